/*
 * helpers.c - what the contract's tests share (contract.h): what the
 * designs may differ in, making and reaping tasks, and looking at views.
 */
#include "contract.h"

int contract_setup(void **state)
{
	fx_setup(state);
	reboot(*state, 0);
	return 0;
}

int has(const struct fx *f, unsigned flag)
{
	return (f->info->flags & flag) != 0;
}

/*
 * Whether rule 3 fixes the numbers viewer sees, so that a test may demand
 * them.  Inside a container it does unless the design renumbers.  In the
 * host it does while the host sees host tasks and glue pids only, or sees
 * everything by one shared range (vpid's internal pids); a design whose
 * host sees container tasks by other numbers (IBM's ct << 22 | vpid) fixes
 * only the numbers of an image that never had a container.
 */
int exact(const struct fx *f, pidsim_tid viewer)
{
	if (pidsim_level_of(f->k, viewer) > 0)
		return !has(f, PIDSIM_D_RENUMBERS);
	return !f->mixed || !has(f, PIDSIM_D_HOST_SEES_ALL) ||
	       has(f, PIDSIM_D_SHARED_RANGE);
}

/* A number viewer was given: want where rule 3 fixes it, else any pid. */
void expect_nr(const struct fx *f, pidsim_tid viewer, int got, int want)
{
	if (exact(f, viewer))
		EQ(got, want);
	else
		assert_true(got > 0);
}

/* Reboot with pid_max, or skip when the design cannot give it. */
void need_pid_max(struct fx *f, int pid_max)
{
	if (pid_max > f->info->max_pid_max) {
		print_message("%s: pid_max %d exceeds max_pid_max %d, skipped\n",
			      f->info->name, pid_max, f->info->max_pid_max);
		skip();
	}
	reboot(f, pid_max);
}

/* Skip unless containers nest at least `levels` deep. */
void need_levels(struct fx *f, int levels)
{
	if (f->info->max_level < levels) {
		print_message("%s: max_level %d < %d, skipped\n",
			      f->info->name, f->info->max_level, levels);
		skip();
	}
}

/* Fork a child of parent; want is its pid in parent's view where rule 3
 * fixes it (0: any). */
pidsim_tid fork_as(struct fx *f, pidsim_tid parent, unsigned flags, int want)
{
	pidsim_tid child = PIDSIM_NO_TASK;
	int pid;

	if (flags & PIDSIM_CLONE_NEWPID)
		f->mixed = 1;
	pid = pidsim_fork(f->k, parent, flags, &child);
	if (want > 0)
		expect_nr(f, parent, pid, want);
	else
		assert_true(pid > 0);
	assert_true(child != PIDSIM_NO_TASK);
	return child;
}

pidsim_tid spawn(struct fx *f, pidsim_tid parent, int want)
{
	return fork_as(f, parent, 0, want);
}

/* Fork a new container's init; want is its glue pid in parent's view. */
pidsim_tid spawn_ct(struct fx *f, pidsim_tid parent, int want)
{
	return fork_as(f, parent, PIDSIM_CLONE_NEWPID, want);
}

/* Fork children of parent that get pids first..last, in order. */
void fork_range(struct fx *f, pidsim_tid parent, int first, int last)
{
	for (int pid = first; pid <= last; pid++)
		spawn(f, parent, pid);
}

/* Fork children of parent until its view or a range it needs is full:
 * the last fork must fail with -EAGAIN.  Returns how many were forked. */
int fill(struct fx *f, pidsim_tid parent)
{
	int n = 0, pid;

	while ((pid = pidsim_fork(f->k, parent, 0, NULL)) > 0)
		assert_true(++n <= PIDSIM_PID_MAX_LIMIT);
	EQ(pid, -EAGAIN);
	return n;
}

/* The number viewer sees t by: > 0, and want where rule 3 fixes it. */
int pid_in(struct fx *f, pidsim_tid viewer, pidsim_tid t, int want)
{
	int pid = pidsim_pid_of(f->k, viewer, t);

	if (want > 0)
		expect_nr(f, viewer, pid, want);
	else
		assert_true(pid > 0);
	return pid;
}

/* parent's wait(pid) reaps the child it sees as got, with status. */
void reap_as(struct fx *f, pidsim_tid parent, int pid, int got, int status)
{
	int st = -12345;

	EQ(pidsim_wait(f->k, parent, pid, &st), got);
	EQ(st, status);
}

/* parent reaps pid and finds status. */
void reap(struct fx *f, pidsim_tid parent, int pid, int status)
{
	reap_as(f, parent, pid, pid, status);
}

void kill_reap(struct fx *f, pidsim_tid parent, int pid)
{
	EQ(pidsim_kill(f->k, parent, pid, SIGKILL), 0);
	reap(f, parent, pid, KILLED(SIGKILL));
}

/* Reap every zombie child of parent. */
void reap_all(struct fx *f, pidsim_tid parent)
{
	int st;

	while (pidsim_wait(f->k, parent, -1, &st) > 0)
		;
}

/* a and b are the same task: viewer sees both by one number. */
void assert_same_task(struct fx *f, pidsim_tid viewer, pidsim_tid a,
		      pidsim_tid b)
{
	int pa = pidsim_pid_of(f->k, viewer, a);

	assert_true(pa > 0);
	EQ(pidsim_pid_of(f->k, viewer, b), pa);
}

pidsim_tid container_of(struct fx *f, pidsim_tid t)
{
	pidsim_tid ct = PIDSIM_NO_TASK;

	EQ(pidsim_container_of(f->k, t, &ct), 0);
	assert_true(ct != PIDSIM_NO_TASK);
	return ct;
}

/* How many pids cur sees. */
int ps_count(struct fx *f, pidsim_tid cur)
{
	int buf[SNAP_CAP];

	return pidsim_ps(f->k, cur, buf, SNAP_CAP);
}

void assert_census(struct fx *f, unsigned tasks, unsigned zombies,
		   unsigned containers)
{
	struct pidsim_census c;

	pidsim_census_get(f->k, &c);
	EQ(c.tasks, tasks);
	EQ(c.zombies, zombies);
	EQ(c.containers, containers);
}

void assert_pids(const char *file, int line, const char *what,
		 int got_n, const int *got, const int *want, size_t n)
{
	int same = got_n == (int)n;

	for (size_t i = 0; same && i < n; i++)
		same = got[i] == want[i];
	if (same)
		return;
	print_error("%s: got %d pids:", what, got_n);
	for (int i = 0; i < got_n && i < SNAP_CAP; i++)
		print_error(" %d", got[i]);
	print_error("; want %zu:", n);
	for (size_t i = 0; i < n; i++)
		print_error(" %d", want[i]);
	print_error("\n");
	_fail(file, line);
}

/*
 * viewer's ps lists exactly the numbers viewer sees the tasks w by, in
 * ascending order, and those are w's pids where rule 3 fixes them.
 */
void assert_view(struct fx *f, const char *file, int line,
		 pidsim_tid viewer, const struct seen *w, size_t n)
{
	int want[SNAP_CAP], got[SNAP_CAP], got_n;

	assert_true(n <= SNAP_CAP);
	for (size_t i = 0; i < n; i++) {
		int pid = pidsim_pid_of(f->k, viewer, w[i].t), j = (int)i;

		if (exact(f, viewer))
			eq(file, line, "pid_of(viewer, task)", pid, w[i].pid);
		else if (pid <= 0)
			eq(file, line, "pid_of(viewer, task) > 0", pid, 1);
		for (; j > 0 && want[j - 1] > pid; j--)   /* insertion sort */
			want[j] = want[j - 1];
		want[j] = pid;
	}
	got_n = pidsim_ps(f->k, viewer, got, SNAP_CAP);
	assert_pids(file, line, "ps(viewer)", got_n, got, want, n);
}

/* ps_in(cur, ct) lists what ps(viewer) does, viewer being in ct. */
void assert_ps_in_is_ps(struct fx *f, pidsim_tid cur, pidsim_tid ct,
			pidsim_tid viewer)
{
	int a[SNAP_CAP], b[SNAP_CAP];
	int n = pidsim_ps(f->k, viewer, a, SNAP_CAP);

	assert_true(n > 0);
	assert_pids(__FILE__, __LINE__, "ps_in(cur, ct)",
		    pidsim_ps_in(f->k, cur, ct, b, SNAP_CAP), b, a, (size_t)n);
}

/*
 * The topology several tests share:
 *
 *   host init (1) -- c: init of C, glue 2 -+- t1 (2 in C)
 *                                          +- t2 (3 in C)
 *                                          +- d: init of D, glue 4 in C -- u (2 in D)
 *
 * d and u only where containers nest (else PIDSIM_NO_TASK).  A
 * hierarchical design also shows u in C, as 5.
 */
void build_topo(struct fx *f, struct topo *t)
{
	t->c = spawn_ct(f, f->host, 2);
	t->t1 = spawn(f, t->c, 2);
	t->t2 = spawn(f, t->c, 3);
	t->d = t->u = PIDSIM_NO_TASK;
	if (f->info->max_level < 2)
		return;
	t->d = spawn_ct(f, t->c, 4);
	t->u = spawn(f, t->d, 2);
}

/* build_topo, skipping the test where containers do not nest. */
void build_nested_topo(struct fx *f, struct topo *t)
{
	need_levels(f, 2);
	build_topo(f, t);
}
