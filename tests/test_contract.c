/*
 * test_contract.c - the contract every pid design meets, run once per design.
 *
 * Issue 2's "Semantics" section lists ten numbered rules.  This suite checks
 * each of them, error paths included, through the public interface only
 * (include/pidsim.h), and runs the same group of tests against every design
 * in pidsim_design_at(): cmocka's prestate hands each test the design's info
 * record, and the setup boots an image of that design.
 *
 * Designs may differ only where their info record says so, and the tests
 * branch on exactly those fields and flags:
 *   - PIDSIM_D_HOST_SEES_ALL: a host task sees every task (vpid: by internal
 *     pid), not only host tasks and the glue pid of each child container's
 *     init (pidspace);
 *   - PIDSIM_D_HIERARCHICAL: every ancestor container sees a task, by a
 *     number of its own;
 *   - PIDSIM_D_OWNER_BY_NUMBER: a stored owner (F_SETOWN) is a number, so
 *     after reuse it reaches the new holder instead of nobody;
 *   - PIDSIM_D_SHARED_RANGE: container tasks draw from the host's range too;
 *   - PIDSIM_D_RENUMBERS: numbers inside containers do not follow rule 3;
 *   - the limits max_level, level_errno, max_containers, max_pid_max.
 * Where rule 3 fixes a number (see exact()), the tests demand it; elsewhere
 * they take numbers from the tasks themselves and demand the same behaviour.
 *
 * A failing call must change nothing (rule 10): NO_CHANGE() takes a
 * snapshot (census, ps of host init and of watched tasks, their states,
 * bytes allocated) before the call and compares after it.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pidsim.h"
#include "pidsim_debug.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SNAP_CAP 512     /* pids a snapshot or a ps check keeps per view */
#define MAX_WATCH 6      /* tasks a snapshot follows besides host init */

/* Linux wait statuses, as <sys/wait.h> decodes them. */
#define EXITED(code) (((code) & 0xff) << 8)
#define KILLED(sig) (sig)

/* One image of the design under test. */
struct fx {
	const struct pidsim_design_info *info;
	pidsim_kernel *k;
	pidsim_tid host;              /* host init */
	int mixed;                    /* a container was ever made in k */
	pidsim_tid watch[MAX_WATCH];  /* tasks whose view and state snapshots record */
	size_t nwatch;
};

/* ---- Assertions that print numbers and errno names ------------------------ */

static const char *errtag(long long v)
{
	return v < 0 && v > -4096 ? pidsim_errname((int)v) : NULL;
}

/* Fail unless got == want, printing both in decimal with errno names. */
static void eq(const char *file, int line, const char *what, long long got,
	       long long want)
{
	const char *g = errtag(got), *w = errtag(want);

	if (got == want)
		return;
	print_error("%s is %lld%s%s, want %lld%s%s\n", what, got, g ? " " : "",
		    g ? g : "", want, w ? " " : "", w ? w : "");
	_fail(file, line);
}

#define EQ(expr, want) \
	eq(__FILE__, __LINE__, #expr, (long long)(expr), (long long)(want))

static int has(const struct fx *f, unsigned flag)
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
static int exact(const struct fx *f, pidsim_tid viewer)
{
	if (pidsim_level_of(f->k, viewer) > 0)
		return !has(f, PIDSIM_D_RENUMBERS);
	return !f->mixed || !has(f, PIDSIM_D_HOST_SEES_ALL) ||
	       has(f, PIDSIM_D_SHARED_RANGE);
}

/* A number viewer was given: want where rule 3 fixes it, else any pid. */
static void expect_nr(const struct fx *f, pidsim_tid viewer, int got, int want)
{
	if (exact(f, viewer))
		EQ(got, want);
	else
		assert_true(got > 0);
}

/* ---- Snapshots: "a call that fails changes nothing" ----------------------- */

struct snap {
	struct pidsim_census census;
	uint64_t bytes;
	int state[MAX_WATCH];
	int n[MAX_WATCH + 1];
	int pids[MAX_WATCH + 1][SNAP_CAP];
};

/* Follow t's view and state in later snapshots. */
static void watch(struct fx *f, pidsim_tid t)
{
	assert_true(f->nwatch < MAX_WATCH);
	f->watch[f->nwatch++] = t;
}

static void snapshot(struct fx *f, struct snap *s)
{
	struct pidsim_stats st;

	memset(s, 0, sizeof *s);
	pidsim_census_get(f->k, &s->census);
	pidsim_stats_get(f->k, &st);
	s->bytes = st.bytes;
	s->n[0] = pidsim_ps(f->k, f->host, s->pids[0], SNAP_CAP);
	for (size_t i = 0; i < f->nwatch; i++) {
		s->state[i] = pidsim_task_state(f->k, f->watch[i]);
		s->n[i + 1] = pidsim_ps(f->k, f->watch[i], s->pids[i + 1],
					SNAP_CAP);
	}
}

static void assert_same_snapshot(struct fx *f, const struct snap *was,
				 const char *file, int line)
{
	struct snap now;

	snapshot(f, &now);
	eq(file, line, "census.tasks", now.census.tasks, was->census.tasks);
	eq(file, line, "census.zombies", now.census.zombies,
	   was->census.zombies);
	eq(file, line, "census.containers", now.census.containers,
	   was->census.containers);
	eq(file, line, "stats.bytes", (long long)now.bytes,
	   (long long)was->bytes);
	for (size_t i = 0; i < f->nwatch; i++)
		eq(file, line, "task_state(watched)", now.state[i],
		   was->state[i]);
	for (size_t v = 0; v <= f->nwatch; v++) {
		eq(file, line, "ps count", now.n[v], was->n[v]);
		for (int i = 0; i < now.n[v] && i < SNAP_CAP; i++)
			eq(file, line, "ps entry", now.pids[v][i],
			   was->pids[v][i]);
	}
}

/* call returns want, and the image is as it was before the call. */
#define NO_CHANGE(f, want, call)                                        \
	do {                                                            \
		struct snap before_;                                    \
		snapshot((f), &before_);                                \
		EQ((call), (want));                                     \
		assert_same_snapshot((f), &before_, __FILE__, __LINE__); \
	} while (0)

/* ---- Fixture ------------------------------------------------------------- */

/* Replace the image with a fresh one of the same design. */
static void reboot(struct fx *f, int pid_max)
{
	pidsim_kernel_destroy(f->k);
	f->k = NULL;
	f->nwatch = 0;
	f->mixed = 0;
	EQ(pidsim_kernel_create(f->info->name, pid_max, &f->k), 0);
	assert_non_null(f->k);
	f->host = pidsim_host_init(f->k);
	assert_true(f->host != PIDSIM_NO_TASK);
}

/* Reboot with pid_max, or skip when the design cannot give it. */
static void need_pid_max(struct fx *f, int pid_max)
{
	if (pid_max > f->info->max_pid_max) {
		print_message("%s: pid_max %d exceeds max_pid_max %d, skipped\n",
			      f->info->name, pid_max, f->info->max_pid_max);
		skip();
	}
	reboot(f, pid_max);
}

/* Skip unless containers nest at least `levels` deep. */
static void need_levels(struct fx *f, int levels)
{
	if (f->info->max_level < levels) {
		print_message("%s: max_level %d < %d, skipped\n",
			      f->info->name, f->info->max_level, levels);
		skip();
	}
}

static int setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof *f);

	f->info = *state;
	*state = f;
	reboot(f, 0);
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	pidsim_kernel_destroy(f->k);
	test_free(f);
	return 0;
}

/* ---- Helpers ------------------------------------------------------------- */

/* Fork a child of parent; want is its pid in parent's view where rule 3
 * fixes it (0: any). */
static pidsim_tid fork_as(struct fx *f, pidsim_tid parent, unsigned flags,
			  int want)
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

static pidsim_tid spawn(struct fx *f, pidsim_tid parent, int want)
{
	return fork_as(f, parent, 0, want);
}

/* Fork a new container's init; want is its glue pid in parent's view. */
static pidsim_tid spawn_ct(struct fx *f, pidsim_tid parent, int want)
{
	return fork_as(f, parent, PIDSIM_CLONE_NEWPID, want);
}

/* Fork children of parent that get pids first..last, in order. */
static void fork_range(struct fx *f, pidsim_tid parent, int first, int last)
{
	for (int pid = first; pid <= last; pid++)
		spawn(f, parent, pid);
}

/* Fork children of parent until its view or a range it needs is full:
 * the last fork must fail with -EAGAIN.  Returns how many were forked. */
static int fill(struct fx *f, pidsim_tid parent)
{
	int n = 0, pid;

	while ((pid = pidsim_fork(f->k, parent, 0, NULL)) > 0)
		assert_true(++n <= PIDSIM_PID_MAX_LIMIT);
	EQ(pid, -EAGAIN);
	return n;
}

/* The number viewer sees t by: > 0, and want where rule 3 fixes it. */
static int pid_in(struct fx *f, pidsim_tid viewer, pidsim_tid t, int want)
{
	int pid = pidsim_pid_of(f->k, viewer, t);

	if (want > 0)
		expect_nr(f, viewer, pid, want);
	else
		assert_true(pid > 0);
	return pid;
}

/* parent's wait(pid) reaps the child it sees as got, with status. */
static void reap_as(struct fx *f, pidsim_tid parent, int pid, int got,
		    int status)
{
	int st = -12345;

	EQ(pidsim_wait(f->k, parent, pid, &st), got);
	EQ(st, status);
}

/* parent reaps pid and finds status. */
static void reap(struct fx *f, pidsim_tid parent, int pid, int status)
{
	reap_as(f, parent, pid, pid, status);
}

static void kill_reap(struct fx *f, pidsim_tid parent, int pid)
{
	EQ(pidsim_kill(f->k, parent, pid, SIGKILL), 0);
	reap(f, parent, pid, KILLED(SIGKILL));
}

/* Reap every zombie child of parent. */
static void reap_all(struct fx *f, pidsim_tid parent)
{
	int st;

	while (pidsim_wait(f->k, parent, -1, &st) > 0)
		;
}

/* a and b are the same task: viewer sees both by one number. */
static void assert_same_task(struct fx *f, pidsim_tid viewer, pidsim_tid a,
			     pidsim_tid b)
{
	int pa = pidsim_pid_of(f->k, viewer, a);

	assert_true(pa > 0);
	EQ(pidsim_pid_of(f->k, viewer, b), pa);
}

static pidsim_tid container_of(struct fx *f, pidsim_tid t)
{
	pidsim_tid ct = PIDSIM_NO_TASK;

	EQ(pidsim_container_of(f->k, t, &ct), 0);
	assert_true(ct != PIDSIM_NO_TASK);
	return ct;
}

/* How many pids cur sees. */
static int ps_count(struct fx *f, pidsim_tid cur)
{
	int buf[SNAP_CAP];

	return pidsim_ps(f->k, cur, buf, SNAP_CAP);
}

static void assert_census(struct fx *f, unsigned tasks, unsigned zombies,
			  unsigned containers)
{
	struct pidsim_census c;

	pidsim_census_get(f->k, &c);
	EQ(c.tasks, tasks);
	EQ(c.zombies, zombies);
	EQ(c.containers, containers);
}

static void assert_pids(const char *file, int line, const char *what,
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

/* ps(cur) is exactly the listed pids. */
#define ASSERT_PS(f, cur, ...)                                             \
	do {                                                               \
		static const int want_[] = {__VA_ARGS__};                  \
		int got_[SNAP_CAP];                                        \
		int n_ = pidsim_ps((f)->k, (cur), got_, SNAP_CAP);         \
		assert_pids(__FILE__, __LINE__, "ps(" #cur ")", n_, got_,  \
			    want_, ARRAY_SIZE(want_));                     \
	} while (0)

/* A task and the number a view should show it by. */
struct seen {
	pidsim_tid t;
	int pid;
};

/*
 * viewer's ps lists exactly the numbers viewer sees the tasks w by, in
 * ascending order, and those are w's pids where rule 3 fixes them.
 */
static void assert_view(struct fx *f, const char *file, int line,
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

/* ps(viewer) is the tasks listed as {task, pid}: ASSERT_VIEW(f, v, {a, 1}, {b, 2}). */
#define ASSERT_VIEW(f, viewer, ...)                                       \
	assert_view((f), __FILE__, __LINE__, (viewer),                    \
		    (const struct seen[]){__VA_ARGS__},                   \
		    sizeof((const struct seen[]){__VA_ARGS__}) /          \
			    sizeof(struct seen))

/* ps_in(cur, ct) lists what ps(viewer) does, viewer being in ct. */
static void assert_ps_in_is_ps(struct fx *f, pidsim_tid cur, pidsim_tid ct,
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
struct topo {
	pidsim_tid c, t1, t2, d, u;
};

static void build_topo(struct fx *f, struct topo *t)
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
static void build_nested_topo(struct fx *f, struct topo *t)
{
	need_levels(f, 2);
	build_topo(f, t);
}

/* ==== Rule 1: boot and pid_max ============================================= */

/* A fresh image holds host init alone: pid 1, level 0, one container. */
static void test_kernel_boots_host_init_as_pid1(void **state)
{
	struct fx *f = *state;

	EQ(pidsim_getpid(f->k, f->host), 1);
	EQ(pidsim_getppid(f->k, f->host), 0);
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);
	EQ(pidsim_level_of(f->k, f->host), 0);
	assert_same_task(f, f->host, container_of(f, f->host), f->host);
	assert_census(f, 1, 0, 1);
	ASSERT_PS(f, f->host, 1);
	assert_string_equal(pidsim_kernel_design(f->k)->name, f->info->name);
}

/* pid_max 0 means Linux's default 32768; other valid values are kept. */
static void test_kernel_pid_max_default_and_set(void **state)
{
	struct fx *f = *state;

	EQ(pidsim_kernel_pid_max(f->k), PIDSIM_PID_MAX_DEFAULT);
	reboot(f, 2);
	EQ(pidsim_kernel_pid_max(f->k), 2);
	reboot(f, 1000);
	EQ(pidsim_kernel_pid_max(f->k), 1000);
	EQ(pidsim_getpid(f->k, f->host), 1);
	reboot(f, f->info->max_pid_max);
	EQ(pidsim_kernel_pid_max(f->k), f->info->max_pid_max);
}

/* pid_max outside 2..PID_MAX_LIMIT, or above the design's max, is -EINVAL. */
static void test_kernel_pid_max_out_of_range_einval(void **state)
{
	struct fx *f = *state;
	const int bad[] = {1, -1, INT_MIN, PIDSIM_PID_MAX_LIMIT + 1, INT_MAX,
			   f->info->max_pid_max + 1};
	pidsim_kernel *k;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		k = NULL;
		EQ(pidsim_kernel_create(f->info->name, bad[i], &k), -EINVAL);
	}
}

/* An unknown design is -ENOENT; a NULL name or NULL out is -EINVAL. */
static void test_kernel_create_bad_arguments(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = NULL;

	pidsim_kernel_destroy(NULL);
	EQ(pidsim_kernel_create("no-such-design", 0, &k), -ENOENT);
	EQ(pidsim_kernel_create("", 0, &k), -ENOENT);
	EQ(pidsim_kernel_create(f->info->name, 0, NULL), -EINVAL);
	EQ(pidsim_kernel_create(NULL, 0, &k), -EINVAL);
}

/* The design record is complete, findable by name, and pins its flags. */
static void test_kernel_design_info_consistent(void **state)
{
	struct fx *f = *state;
	const struct pidsim_design_info *i = f->info;
	const unsigned vpid_flags = PIDSIM_D_HOST_SEES_ALL |
				    PIDSIM_D_OWNER_BY_NUMBER |
				    PIDSIM_D_SHARED_RANGE;

	assert_non_null(i->name);
	assert_non_null(i->summary);
	assert_non_null(i->lookup);
	assert_non_null(i->conversion);
	assert_non_null(pidsim_design_find(i->name));
	assert_string_equal(pidsim_design_find(i->name)->name, i->name);
	assert_null(pidsim_design_find("no-such-design"));
	assert_null(pidsim_design_at(pidsim_design_count()));
	assert_true(i->max_level >= 1);
	assert_true(i->level_errno < 0);
	assert_true(i->max_pid_max >= 2 &&
		    i->max_pid_max <= PIDSIM_PID_MAX_LIMIT);
	assert_true(i->min_ct_pid_max == 0 ||
		    (i->min_ct_pid_max > 2 && i->min_ct_pid_max <= i->max_pid_max));
	/* issue 2's two designs, as the issue describes them */
	if (strcmp(i->name, "vpid") == 0 || strcmp(i->name, "pidspace") == 0) {
		EQ(i->max_level, PIDSIM_MAX_LEVEL);
		EQ(i->level_errno, -ENOSPC);
		EQ(i->flags, strcmp(i->name, "vpid") == 0 ? vpid_flags : 0);
	}
}

/* ==== Rule 2: fork and new containers ====================================== */

/* fork returns the child's pid in the parent's view and a handle to it. */
static void test_fork_returns_child_pid(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);

	EQ(pidsim_getpid(f->k, a), 2);
	EQ(pidsim_getppid(f->k, a), 1);
	EQ(pidsim_getppid(f->k, b), 2);
	EQ(pidsim_task_state(f->k, b), PIDSIM_RUNNING);
	EQ(pidsim_level_of(f->k, b), 0);
	assert_census(f, 3, 0, 1);
	ASSERT_PS(f, f->host, 1, 2, 3);
	ASSERT_PS(f, b, 1, 2, 3);
}

/* fork accepts a NULL child pointer and still creates the child. */
static void test_fork_null_child_pointer(void **state)
{
	struct fx *f = *state;

	EQ(pidsim_fork(f->k, f->host, 0, NULL), 2);
	f->mixed = 1;
	expect_nr(f, f->host,
		  pidsim_fork(f->k, f->host, PIDSIM_CLONE_NEWPID, NULL), 3);
	assert_census(f, 3, 0, 2);
	EQ(ps_count(f, f->host), 3);
}

/* fork(CLONE_NEWPID) makes the child pid 1 of a new container, seen by a glue pid. */
static void test_fork_newpid_child_is_container_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);

	EQ(pidsim_getpid(f->k, c), 1);
	EQ(pidsim_getppid(f->k, c), 0);
	EQ(pidsim_level_of(f->k, c), 1);
	pid_in(f, f->host, c, 2);
	EQ(pidsim_pid_of(f->k, c, c), 1);
	assert_same_task(f, c, container_of(f, c), c);
	EQ(pidsim_pid_of(f->k, c, container_of(f, f->host)), 0);
	ASSERT_VIEW(f, c, {c, 1});
	assert_census(f, 2, 0, 2);
}

/* Inside a new container the init's first child is pid 2, its parent pid 1. */
static void test_fork_container_first_child_is_pid2(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid u = spawn(f, t, 3);
	int pt = pid_in(f, c, t, 2);

	EQ(pidsim_getpid(f->k, t), pt);
	EQ(pidsim_getppid(f->k, t), 1);
	EQ(pidsim_getppid(f->k, u), pt);
	EQ(pidsim_level_of(f->k, u), 1);
	assert_same_task(f, c, container_of(f, u), c);
	ASSERT_VIEW(f, c, {c, 1}, {t, 2}, {u, 3});
	ASSERT_VIEW(f, u, {c, 1}, {t, 2}, {u, 3});
}

/* Unknown fork flags are -EINVAL and consume nothing, not even a pid. */
static void test_fork_unknown_flags_einval(void **state)
{
	struct fx *f = *state;
	const unsigned bad[] = {0x2u, 0x80000000u, ~0u, ~PIDSIM_CLONE_NEWPID};
	pidsim_tid child = PIDSIM_NO_TASK;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		NO_CHANGE(f, -EINVAL, pidsim_fork(f->k, f->host, bad[i], &child));
	spawn(f, f->host, 2);
}

/* Containers nest: a container's tasks can fork containers of their own. */
static void test_fork_nested_containers(void **state)
{
	struct fx *f = *state;
	int hier = has(f, PIDSIM_D_HIERARCHICAL);
	struct topo t;
	pidsim_tid e;

	build_nested_topo(f, &t);
	EQ(pidsim_getpid(f->k, t.d), 1);
	EQ(pidsim_getppid(f->k, t.d), 0);
	EQ(pidsim_level_of(f->k, t.d), 2);
	EQ(pidsim_level_of(f->k, t.u), 2);
	pid_in(f, t.c, t.d, 4);
	ASSERT_VIEW(f, t.d, {t.d, 1}, {t.u, 2});
	e = spawn_ct(f, t.t1, hier ? 6 : 5);   /* a non-init task spawns one too */
	EQ(pidsim_getppid(f->k, e), 0);
	EQ(pidsim_level_of(f->k, e), 2);
	if (hier)
		ASSERT_VIEW(f, t.c, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4},
			    {t.u, 5}, {e, 6});
	else
		ASSERT_VIEW(f, t.c, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4},
			    {e, 5});
	assert_census(f, 7, 0, 4);
}

/* fork(CLONE_NEWPID) at the design's deepest level fails with its level_errno. */
static void test_fork_newpid_past_max_level_refused(void **state)
{
	struct fx *f = *state;
	int max = f->info->max_level;
	pidsim_tid cur = f->host, child;

	if (max > 64) {
		print_message("%s: max_level %d too deep to build, skipped\n",
			      f->info->name, max);
		skip();
	}
	for (int lvl = 1; lvl <= max; lvl++) {
		cur = spawn_ct(f, cur, 2);
		EQ(pidsim_level_of(f->k, cur), lvl);
		EQ(pidsim_getpid(f->k, cur), 1);
	}
	watch(f, cur);
	NO_CHANGE(f, f->info->level_errno,
		  pidsim_fork(f->k, cur, PIDSIM_CLONE_NEWPID, &child));
	spawn(f, cur, 2);                  /* a plain fork still works */
	assert_census(f, (unsigned)max + 2, 0, (unsigned)max + 1);
	EQ(ps_count(f, f->host), has(f, PIDSIM_D_HOST_SEES_ALL) ? max + 2 : 2);
}

/* A design with a container limit refuses one container more, changing nothing. */
static void test_fork_newpid_past_max_containers_refused(void **state)
{
	struct fx *f = *state;
	unsigned max = f->info->max_containers;
	struct snap before;

	if (max == 0 || max > 4096) {
		print_message("%s: max_containers %u, no limit to reach, skipped\n",
			      f->info->name, max);
		skip();
	}
	for (unsigned i = 0; i < max; i++)
		spawn_ct(f, f->host, 0);
	snapshot(f, &before);
	assert_true(pidsim_fork(f->k, f->host, PIDSIM_CLONE_NEWPID, NULL) < 0);
	assert_same_snapshot(f, &before, __FILE__, __LINE__);
}

/* Below the design's min_ct_pid_max a container's task cannot fork:
 * -EAGAIN, nothing changed; the host still can. */
static void test_fork_in_container_below_min_ct_pid_max_refused(void **state)
{
	struct fx *f = *state;
	int min = f->info->min_ct_pid_max;
	pidsim_tid init;

	if (min == 0) {
		print_message("%s: min_ct_pid_max 0, no limit to reach, skipped\n",
			      f->info->name);
		skip();
	}
	reboot(f, min - 1);
	init = spawn_ct(f, f->host, 2);
	watch(f, init);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, init, 0, NULL));
	spawn(f, f->host, 3);
}

/*
 * pidsim_debug_find(), make bench's lookup without pidsim_find()'s check
 * of its caller, answers as pidsim_find() does: hits, misses, numbers of
 * other views, from the host and from a container.
 */
static void test_debug_find_agrees_with_find(void **state)
{
	struct fx *f = *state;
	pidsim_tid init = spawn_ct(f, f->host, 0), cur[2];
	int hits = 0;

	spawn(f, init, 0);
	spawn(f, init, 0);
	spawn(f, f->host, 0);
	cur[0] = f->host;
	cur[1] = init;
	for (int v = 0; v < 2; v++) {
		const void *view = pidsim_debug_view(f->k, cur[v]);

		assert_non_null(view);
		for (int pid = -1; pid <= 16; pid++) {
			pidsim_tid want = PIDSIM_NO_TASK;
			int r = pidsim_find(f->k, cur[v], pid, &want);

			EQ(pidsim_debug_find(f->k, view, pid), r == 0 ? want : 0);
			hits += r == 0;
		}
	}
	assert_true(hits >= 5);	/* host init, the container's init and two children, ... */
	assert_null(pidsim_debug_view(f->k, PIDSIM_NO_TASK));
}

/* ==== Rule 3: cyclic allocation ============================================ */

/* Host pids are handed out cyclically: a freed number is not reused at once. */
static void test_alloc_host_cyclic(void **state)
{
	struct fx *f = *state;

	spawn(f, f->host, 2);
	kill_reap(f, f->host, 2);
	spawn(f, f->host, 3);
	spawn(f, f->host, 4);
	ASSERT_PS(f, f->host, 1, 3, 4);
}

/* Container pids are handed out cyclically in the container's own view. */
static void test_alloc_container_cyclic(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid t3, t4;

	kill_reap(f, c, pid_in(f, c, t, 2));
	t3 = spawn(f, c, 3);
	t4 = spawn(f, c, 4);
	ASSERT_VIEW(f, c, {c, 1}, {t3, 3}, {t4, 4});
}

/* Past pid_max - 1 the search wraps to 1 while the last pid is below 300. */
static void test_alloc_wraps_to_1_below_reserved(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 10);
	fork_range(f, f->host, 2, 9);
	kill_reap(f, f->host, 5);
	spawn(f, f->host, 5);
	kill_reap(f, f->host, 3);
	kill_reap(f, f->host, 7);
	spawn(f, f->host, 7);              /* next after 5, not lowest free */
	spawn(f, f->host, 3);              /* then wraps */
	ASSERT_PS(f, f->host, 1, 2, 3, 4, 5, 6, 7, 8, 9);
}

/* Once the last pid is 300 or more the search wraps to 300, not to 1. */
static void test_alloc_wraps_to_reserved_pids(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 400);
	fork_range(f, f->host, 2, 399);
	kill_reap(f, f->host, 5);
	kill_reap(f, f->host, 305);
	spawn(f, f->host, 305);
	EQ(ps_count(f, f->host), 398);
}

/* A full host view makes fork fail with -EAGAIN and change nothing. */
static void test_alloc_host_full_eagain(void **state)
{
	struct fx *f = *state;
	pidsim_tid a, child;

	need_pid_max(f, 4);
	a = spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	watch(f, a);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host, 0, &child));
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, a, 0, &child));
	f->mixed = 1;   /* IBM's host sees a container's init as ct << 22 | 1 */
	if (exact(f, f->host))
		NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host,
						  PIDSIM_CLONE_NEWPID, &child));
	kill_reap(f, f->host, 3);
	spawn(f, f->host, 3);
}

/* pid_max 2 leaves room for pid 1 only: host init cannot fork. */
static void test_alloc_pid_max_2_holds_init_only(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 2);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host, 0, NULL));
	ASSERT_PS(f, f->host, 1);
}

/* A full container view makes fork fail with -EAGAIN and change nothing. */
static void test_alloc_container_full_eagain(void **state)
{
	struct fx *f = *state;
	int shared = has(f, PIDSIM_D_SHARED_RANGE);
	pidsim_tid c, child;
	int n, pids[2];

	need_pid_max(f, 10);
	c = spawn_ct(f, f->host, 2);
	watch(f, c);
	n = fill(f, c);
	if (exact(f, c))
		EQ(n, shared ? 7 : 8);     /* shared: internal 3..9 run out first */
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, c, 0, &child));
	if (f->info->max_level >= 2)
		NO_CHANGE(f, -EAGAIN,
			  pidsim_fork(f->k, c, PIDSIM_CLONE_NEWPID, &child));
	if (n == 0)
		return;
	/* The first child's number is free again once it is reaped; a
	 * shared range gives its internal pid back, c's view moves on. */
	EQ(pidsim_ps(f->k, c, pids, 2), n + 1);
	kill_reap(f, c, pids[1]);
	spawn(f, c, shared ? 9 : 2);
}

/* A container's numbers do not depend on how many pids the host handed out. */
static void test_alloc_container_independent_of_host(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, t1, t2, t3;

	fork_range(f, f->host, 2, 6);
	c = spawn_ct(f, f->host, 7);
	t1 = spawn(f, c, 2);
	t2 = spawn(f, c, 3);
	/* vpid's host sees internal pids: 8 and 9 went to c's tasks. */
	spawn(f, f->host, has(f, PIDSIM_D_SHARED_RANGE) ? 10 : 8);
	t3 = spawn(f, c, 4);
	ASSERT_VIEW(f, c, {c, 1}, {t1, 2}, {t2, 3}, {t3, 4});
}

/* One shared range: host tasks can leave a container no pid. */
static void test_alloc_shared_range_host_starves_container(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, child;

	need_pid_max(f, 10);
	c = spawn_ct(f, f->host, 2);
	watch(f, c);
	fill(f, f->host);
	if (has(f, PIDSIM_D_SHARED_RANGE))
		NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, c, 0, &child));
	else
		spawn(f, c, 2);
}

/* ==== Rule 4: visibility =================================================== */

/* A container sees its own tasks plus the init of each direct child container. */
static void test_visibility_container_view(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid h = PIDSIM_NO_TASK;

	build_topo(f, &t);
	EQ(pidsim_getppid(f->k, t.t2), 1);
	if (!t.d) {
		ASSERT_VIEW(f, t.t1, {t.c, 1}, {t.t1, 2}, {t.t2, 3});
		return;
	}
	if (has(f, PIDSIM_D_HIERARCHICAL))
		ASSERT_VIEW(f, t.t1, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4},
			    {t.u, 5});
	else
		ASSERT_VIEW(f, t.t1, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4});
	ASSERT_VIEW(f, t.d, {t.d, 1}, {t.u, 2});
	ASSERT_VIEW(f, t.u, {t.d, 1}, {t.u, 2});
	EQ(pidsim_find(f->k, t.t1, pid_in(f, t.t1, t.d, 4), &h), 0);
	assert_same_task(f, t.c, h, t.d);
	EQ(pidsim_getppid(f->k, t.u), 1);
}

/* Across a boundary only a child container's init is visible (and, if
 * hierarchical, every descendant). */
static void test_visibility_pid_of_across_boundary(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid a;

	build_topo(f, &t);
	a = spawn(f, f->host, 0);
	EQ(pidsim_pid_of(f->k, t.c, f->host), 0);
	EQ(pidsim_pid_of(f->k, t.t1, f->host), 0);
	EQ(pidsim_pid_of(f->k, t.t1, a), 0);
	if (!t.d)
		return;
	if (has(f, PIDSIM_D_HIERARCHICAL))
		pid_in(f, t.t1, t.u, 5);
	else
		EQ(pidsim_pid_of(f->k, t.t1, t.u), 0);
	EQ(pidsim_pid_of(f->k, t.u, t.t1), 0);   /* parent container task */
	EQ(pidsim_pid_of(f->k, t.d, t.c), 0);    /* parent container init */
	EQ(pidsim_pid_of(f->k, t.u, f->host), 0);
}

/* getppid of a container's init is 0: its parent is outside its view. */
static void test_visibility_container_init_getppid_zero(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);

	EQ(pidsim_getppid(f->k, c), 0);
	EQ(pidsim_getppid(f->k, t), 1);
	if (f->info->max_level >= 2)
		EQ(pidsim_getppid(f->k, spawn_ct(f, t, 3)), 0);
}

/* Numbers not visible in a container: -ESRCH for kill/find/setown, -ECHILD for wait. */
static void test_visibility_invisible_number_refused(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid h, a = PIDSIM_NO_TASK;
	int st, pa;

	build_topo(f, &t);
	for (int i = 0; i < 8; i++)
		a = spawn(f, f->host, 0);
	pa = pid_in(f, f->host, a, 0);     /* a host number C does not hold */
	watch(f, t.c);
	watch(f, a);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t.t1, pa, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_find(f->k, t.t1, pa, &h));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, t.t1, pa));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, t.c, pa, &st));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t.c, 99999, 0));
	if (!t.d)
		return;
	watch(f, t.d);
	/* t2 is 3 in C; D holds no 3 */
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t.u, 3, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_find(f->k, t.u, 3, &h));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, t.u, 3));
}

/* Sibling containers number independently and cannot reach each other. */
static void test_visibility_sibling_containers_isolated(void **state)
{
	struct fx *f = *state;
	pidsim_tid c1 = spawn_ct(f, f->host, 2);
	pidsim_tid c2 = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c1, 2);
	pidsim_tid u = spawn(f, c2, 2);
	pidsim_tid h = PIDSIM_NO_TASK;
	int pt = pid_in(f, c1, t, 2);

	ASSERT_VIEW(f, c1, {c1, 1}, {t, 2});
	ASSERT_VIEW(f, c2, {c2, 1}, {u, 2});
	EQ(pidsim_pid_of(f->k, c1, u), 0);
	EQ(pidsim_pid_of(f->k, c1, c2), 0);
	EQ(pidsim_find(f->k, c1, pt, &h), 0);
	assert_same_task(f, c1, h, t);
	kill_reap(f, c1, pt);
	EQ(pidsim_task_state(f->k, u), PIDSIM_RUNNING);
}

/* The host's view by design: every task (vpid), or host tasks and glue (pidspace). */
static void test_visibility_host_view_by_design(void **state)
{
	struct fx *f = *state;
	int sees = has(f, PIDSIM_D_HOST_SEES_ALL);
	struct topo t;
	pidsim_tid a, h;

	build_topo(f, &t);
	a = spawn(f, f->host, !sees ? 3 : t.d ? 7 : 5);
	if (!sees) {
		ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2}, {a, 3});
		EQ(pidsim_pid_of(f->k, f->host, t.t1), 0);
		EQ(pidsim_pid_of(f->k, f->host, t.t2), 0);
		if (t.d) {
			EQ(pidsim_pid_of(f->k, f->host, t.d), 0);
			EQ(pidsim_pid_of(f->k, f->host, t.u), 0);
		}
		return;
	}
	if (t.d)
		ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2}, {t.t1, 3},
			    {t.t2, 4}, {t.d, 5}, {t.u, 6}, {a, 7});
	else
		ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2}, {t.t1, 3},
			    {t.t2, 4}, {a, 5});
	EQ(pidsim_find(f->k, f->host, pid_in(f, f->host, t.t2, 4), &h), 0);
	assert_same_task(f, t.c, h, t.t2);
}

/* ==== Rule 5: exit, zombies, reparenting, container teardown =============== */

/* exit makes a zombie: counted, visible and findable until its parent reaps it. */
static void test_exit_makes_zombie_until_reaped(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), h = PIDSIM_NO_TASK;

	EQ(pidsim_exit(f->k, a, 3), 0);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	assert_census(f, 2, 1, 1);
	ASSERT_PS(f, f->host, 1, 2);
	EQ(pidsim_pid_of(f->k, f->host, a), 2);
	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	EQ(pidsim_task_state(f->k, h), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, EXITED(3));
	EQ(pidsim_task_state(f->k, a), -ESRCH);
	EQ(pidsim_task_state(f->k, h), -ESRCH);
	assert_census(f, 1, 0, 1);
	ASSERT_PS(f, f->host, 1);
}

/* A zombie keeps its number: it is not handed out again until reaped. */
static void test_exit_zombie_keeps_its_number(void **state)
{
	struct fx *f = *state;
	pidsim_tid a;

	need_pid_max(f, 4);
	a = spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	EQ(pidsim_exit(f->k, a, 0), 0);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host, 0, NULL));
	reap(f, f->host, 2, EXITED(0));
	spawn(f, f->host, 2);
}

/* The exit status keeps the low 8 bits of the code, as Linux's does. */
static void test_exit_status_low_8_bits(void **state)
{
	struct fx *f = *state;
	const int codes[] = {0, 1, 42, 255, 256, 300, -1, INT_MIN, INT_MAX};

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		pidsim_tid a = spawn(f, f->host, 0);
		int pid = pidsim_getpid(f->k, a), st = -1;

		EQ(pidsim_exit(f->k, a, codes[i]), 0);
		EQ(pidsim_wait(f->k, f->host, pid, &st), pid);
		EQ(st, EXITED(codes[i]));
		assert_true(WIFEXITED(st));
		EQ(WEXITSTATUS(st), codes[i] & 0xff);
	}
}

/* Host init cannot exit: -EPERM, and nothing changes. */
static void test_exit_host_init_eperm(void **state)
{
	struct fx *f = *state;

	spawn(f, f->host, 2);
	spawn_ct(f, f->host, 3);
	NO_CHANGE(f, -EPERM, pidsim_exit(f->k, f->host, 0));
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);
}

/* A zombie or reaped task cannot exit again: -ESRCH, status kept. */
static void test_exit_twice_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	EQ(pidsim_exit(f->k, a, 1), 0);
	NO_CHANGE(f, -ESRCH, pidsim_exit(f->k, a, 2));
	reap(f, f->host, 2, EXITED(1));
	NO_CHANGE(f, -ESRCH, pidsim_exit(f->k, a, 3));
}

/* A host orphan is reparented to host init, which reaps it. */
static void test_exit_reparents_orphans_to_host_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);
	pidsim_tid c = spawn(f, b, 4);
	int st;

	EQ(pidsim_exit(f->k, b, 0), 0);
	EQ(pidsim_getppid(f->k, c), 1);
	reap(f, a, 3, EXITED(0));
	EQ(pidsim_wait(f->k, a, 4, &st), -ECHILD);
	EQ(pidsim_exit(f->k, c, 5), 0);
	reap_as(f, f->host, -1, 4, EXITED(5));
	EQ(pidsim_wait(f->k, f->host, -1, &st), 0);   /* a still runs */
}

/* A container orphan is reparented to the container's init: getppid 1, reaped by it. */
static void test_exit_reparents_orphans_to_container_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid u = spawn(f, t, 3);
	int pt = pid_in(f, c, t, 2), pu = pid_in(f, c, u, 3), st;

	EQ(pidsim_exit(f->k, t, 0), 0);
	EQ(pidsim_getppid(f->k, u), 1);
	EQ(pidsim_exit(f->k, u, 4), 0);
	reap_as(f, c, -1, pt, EXITED(0));  /* t: c's child first */
	reap_as(f, c, -1, pu, EXITED(4));  /* u: adopted later */
	EQ(pidsim_wait(f->k, c, -1, &st), -ECHILD);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 0);   /* host init got nothing */
}

/* Zombie children of an exiting task are reparented and reaped by the adopter. */
static void test_exit_reparents_zombie_children(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);

	EQ(pidsim_exit(f->k, b, 6), 0);
	EQ(pidsim_exit(f->k, a, 0), 0);
	assert_census(f, 3, 2, 1);
	reap(f, f->host, 3, EXITED(6));
	reap(f, f->host, 2, EXITED(0));
	assert_census(f, 1, 0, 1);
}

/* A container init's exit releases every other task of its container at once. */
static void test_exit_container_init_releases_its_tasks(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t1 = spawn(f, c, 2);
	pidsim_tid t2 = spawn(f, t1, 3);
	pidsim_tid z = spawn(f, t1, 4);
	pidsim_tid a = spawn(f, f->host, 0);

	EQ(pidsim_exit(f->k, z, 0), 0);    /* a zombie nobody reaped */
	assert_census(f, 6, 1, 2);
	EQ(pidsim_exit(f->k, c, 7), 0);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, t1), -ESRCH);
	EQ(pidsim_task_state(f->k, t2), -ESRCH);
	EQ(pidsim_task_state(f->k, z), -ESRCH);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	assert_census(f, 3, 1, 2);
	EQ(ps_count(f, f->host), 3);
	reap(f, f->host, pid_in(f, f->host, c, 2), EXITED(7));
}

/* A container init's exit also releases every descendant container. */
static void test_exit_container_init_releases_nested(void **state)
{
	struct fx *f = *state;
	struct topo t;

	build_nested_topo(f, &t);
	assert_census(f, 6, 0, 3);
	EQ(pidsim_exit(f->k, t.c, 1), 0);
	EQ(pidsim_task_state(f->k, t.d), -ESRCH);
	EQ(pidsim_task_state(f->k, t.u), -ESRCH);
	EQ(pidsim_task_state(f->k, t.t1), -ESRCH);
	assert_census(f, 2, 1, 2);
	ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2});
}

/* The container is gone once its exited init is reaped; its handle is stale. */
static void test_exit_container_gone_once_init_reaped(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid ct = container_of(f, c), h;
	int pids[4];

	spawn(f, c, 2);
	EQ(pidsim_exit(f->k, c, 7), 0);
	assert_census(f, 2, 1, 2);
	reap(f, f->host, pid_in(f, f->host, c, 2), EXITED(7));
	assert_census(f, 1, 0, 1);
	EQ(pidsim_task_state(f->k, c), -ESRCH);
	NO_CHANGE(f, -ESRCH, pidsim_ps_in(f->k, f->host, ct, pids, 4));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, f->host, ct, 1, SIGKILL));
	spawn(f, f->host, has(f, PIDSIM_D_SHARED_RANGE) ? 4 : 3);
}

/* ==== Rule 6: wait ========================================================= */

/* wait with no children at all is -ECHILD, for -1 and for any pid. */
static void test_wait_no_children_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st;

	watch(f, a);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, -1, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 1, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 2, &st));
}

/* wait returns 0 while every child it matches is still running. */
static void test_wait_running_children_returns_0(void **state)
{
	struct fx *f = *state;
	int st;

	spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	NO_CHANGE(f, 0, pidsim_wait(f->k, f->host, -1, &st));
	NO_CHANGE(f, 0, pidsim_wait(f->k, f->host, 3, &st));
}

/* wait(pid) reaps that child even when an earlier child is a zombie too. */
static void test_wait_pid_reaps_named_child(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, f->host, 3);

	EQ(pidsim_exit(f->k, a, 1), 0);
	EQ(pidsim_exit(f->k, b, 2), 0);
	reap(f, f->host, 3, EXITED(2));
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, EXITED(1));
}

/* wait(pid) for a visible task that is not cur's child is -ECHILD. */
static void test_wait_not_a_child_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);
	int st;

	EQ(pidsim_exit(f->k, b, 0), 0);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, 3, &st));  /* grandchild */
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 1, &st));        /* parent */
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 2, &st));        /* itself */
	reap(f, a, 3, EXITED(0));
}

/* wait(pid) for a number cur cannot see is -ECHILD, not -ESRCH. */
static void test_wait_invisible_pid_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	int st;

	EQ(pidsim_exit(f->k, t, 0), 0);
	watch(f, c);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, 99, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, INT_MAX, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, c, 7, &st));
	reap(f, c, pid_in(f, c, t, 2), EXITED(0));
}

/* pid 0 and pid < -1 are -EINVAL: process groups are not modelled. */
static void test_wait_process_groups_einval(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st;

	EQ(pidsim_exit(f->k, a, 0), 0);
	NO_CHANGE(f, -EINVAL, pidsim_wait(f->k, f->host, 0, &st));
	NO_CHANGE(f, -EINVAL, pidsim_wait(f->k, f->host, -2, &st));
	NO_CHANGE(f, -EINVAL, pidsim_wait(f->k, f->host, INT_MIN, &st));
	reap(f, f->host, 2, EXITED(0));
}

/* wait(-1) reaps in fork order: not pid order, not exit order. */
static void test_wait_any_in_fork_order(void **state)
{
	struct fx *f = *state;
	pidsim_tid t4, t9, t3;

	need_pid_max(f, 10);
	fork_range(f, f->host, 2, 9);
	kill_reap(f, f->host, 3);
	t3 = spawn(f, f->host, 3);         /* forked last, lowest pid */
	EQ(pidsim_find(f->k, f->host, 4, &t4), 0);
	EQ(pidsim_find(f->k, f->host, 9, &t9), 0);
	EQ(pidsim_exit(f->k, t3, 3), 0);
	EQ(pidsim_exit(f->k, t9, 9), 0);
	EQ(pidsim_exit(f->k, t4, 4), 0);
	reap_as(f, f->host, -1, 4, EXITED(4));
	reap_as(f, f->host, -1, 9, EXITED(9));
	reap_as(f, f->host, -1, 3, EXITED(3));
}

/* Adopted orphans join the end of their new parent's children. */
static void test_wait_any_adopted_orphans_appended(void **state)
{
	struct fx *f = *state;
	pidsim_tid p, q, y;
	int st;

	spawn(f, f->host, 2);              /* x: runs throughout */
	p = spawn(f, f->host, 3);
	q = spawn(f, p, 4);
	y = spawn(f, f->host, 5);
	EQ(pidsim_exit(f->k, p, 0), 0);    /* q adopted after y */
	EQ(pidsim_exit(f->k, q, 1), 0);
	EQ(pidsim_exit(f->k, y, 2), 0);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 3);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 5);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 4);
	EQ(st, EXITED(1));
	EQ(pidsim_wait(f->k, f->host, -1, &st), 0);
}

/* Wait statuses are Linux-encoded: exit code << 8, or the killing signal. */
static void test_wait_status_encoding(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st = -1;

	spawn(f, f->host, 3);
	EQ(pidsim_exit(f->k, a, 42), 0);
	EQ(pidsim_kill(f->k, f->host, 3, SIGTERM), 0);
	EQ(pidsim_wait(f->k, f->host, 2, &st), 2);
	EQ(st, 42 << 8);
	assert_true(WIFEXITED(st));
	EQ(WEXITSTATUS(st), 42);
	EQ(pidsim_wait(f->k, f->host, 3, &st), 3);
	EQ(st, SIGTERM);
	assert_true(WIFSIGNALED(st));
	EQ(WTERMSIG(st), SIGTERM);
}

/* Waiting for a container's init returns its glue pid in the parent's view. */
static void test_wait_container_init_by_glue_pid(void **state)
{
	struct fx *f = *state;
	pidsim_tid c;

	spawn(f, f->host, 2);
	c = spawn_ct(f, f->host, 3);
	EQ(pidsim_exit(f->k, c, 9), 0);
	reap_as(f, f->host, -1, pid_in(f, f->host, c, 3), EXITED(9));
}

/* A reaped child cannot be waited for again. */
static void test_wait_twice_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st;

	EQ(pidsim_exit(f->k, a, 0), 0);
	reap(f, f->host, 2, EXITED(0));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, 2, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, -1, &st));
}

/* ==== Rule 7: kill ========================================================= */

/* Signal 0 only probes: 0 for a running or zombie target, nothing changes. */
static void test_kill_sig0_probes(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, f->host, 3);

	watch(f, a);
	EQ(pidsim_exit(f->k, b, 0), 0);
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, 0));
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 3, 0));
	NO_CHANGE(f, 0, pidsim_kill(f->k, a, 2, 0));
}

/* SIGCHLD, SIGCONT, SIGURG and SIGWINCH are ignored: 0, the target lives. */
static void test_kill_ignored_signals(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {17, 18, 23, 28};
	pidsim_tid a = spawn(f, f->host, 2);

	watch(f, a);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, sigs[i]));
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
}

/* Every other signal 1..64 kills: a zombie with status "killed by sig". */
static void test_kill_fatal_signals_kill(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {1, 2, 3, 9, 10, 13, 14, 15, 16, 24, 27, 29, 31,
			    32, 34, 63, 64};

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		pidsim_tid a = spawn(f, f->host, 0);
		int pid = pidsim_getpid(f->k, a);

		EQ(pidsim_kill(f->k, f->host, pid, sigs[i]), 0);
		EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
		reap(f, f->host, pid, KILLED(sigs[i]));
	}
}

/* A task may kill itself with a fatal signal. */
static void test_kill_self(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	EQ(pidsim_kill(f->k, a, 2, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, KILLED(SIGTERM));
}

/* Signals outside 0..64 and the stop signals 19..22 are -EINVAL. */
static void test_kill_bad_signal_einval(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {-1, 65, 19, 20, 21, 22, 1000, INT_MIN, INT_MAX};
	pidsim_tid a = spawn(f, f->host, 2);

	watch(f, a);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, 2, sigs[i]));
		NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, a, 2, sigs[i]));
	}
}

/* A number nobody visible holds is -ESRCH, checked before the signal. */
static void test_kill_invisible_pid_esrch_before_einval(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);

	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 50, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 50, 0));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 50, 65));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 99999, 19));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, INT_MAX, -1));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t, 5, 65));
}

/* pid 0 and pid < -1 are -EINVAL: process groups are not modelled. */
static void test_kill_process_groups_einval(void **state)
{
	struct fx *f = *state;

	spawn(f, f->host, 2);
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, 0, SIGKILL));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, 0, 0));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, -2, SIGKILL));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, INT_MIN, SIGKILL));
}

/* Killing a zombie returns 0 and keeps its original status. */
static void test_kill_zombie_is_noop(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	EQ(pidsim_exit(f->k, a, 3), 0);
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, SIGKILL));
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, SIGTERM));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, 2, 65));
	reap(f, f->host, 2, EXITED(3));
}

/* kill -1 signals every visible task but cur and its container's init. */
static void test_kill_all_spares_self_and_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);
	pidsim_tid c = spawn(f, f->host, 4);

	EQ(pidsim_kill(f->k, a, -1, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, b), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	reap(f, a, 3, KILLED(SIGKILL));
	reap(f, f->host, 4, KILLED(SIGKILL));
}

/* kill -1 counts zombies as targets: 0 when only zombies remain. */
static void test_kill_all_zombies_are_targets(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, f->host, 3);

	watch(f, a);
	EQ(pidsim_exit(f->k, b, 4), 0);
	NO_CHANGE(f, 0, pidsim_kill(f->k, a, -1, SIGKILL));
	reap(f, f->host, 3, EXITED(4));
}

/* kill -1 with no target is -ESRCH even for a bad signal; with one, -EINVAL. */
static void test_kill_all_no_target_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, t;

	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -1, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -1, 0));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -1, 65));
	c = spawn_ct(f, f->host, 2);
	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, c, -1, SIGKILL));
	t = spawn(f, c, 2);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t, -1, SIGKILL));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, -1, 65));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, c, -1, 19));
}

/* kill -1 inside a container stays inside it (and its descendants, if
 * hierarchical); a child container's init dies only by SIGKILL. */
static void test_kill_all_inside_container(void **state)
{
	struct fx *f = *state;
	int hier = has(f, PIDSIM_D_HIERARCHICAL);
	struct topo t;
	pidsim_tid a;

	build_topo(f, &t);
	a = spawn(f, f->host, 0);
	EQ(pidsim_kill(f->k, t.t1, -1, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, t.t2), PIDSIM_ZOMBIE);
	if (t.d) {
		EQ(pidsim_task_state(f->k, t.d), PIDSIM_RUNNING);
		EQ(pidsim_task_state(f->k, t.u),
		   hier ? PIDSIM_ZOMBIE : PIDSIM_RUNNING);
	}
	EQ(pidsim_kill(f->k, t.t1, -1, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, t.t1), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, t.c), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	reap(f, t.c, pid_in(f, t.c, t.t2, 3), KILLED(SIGTERM));
	if (!t.d)
		return;
	EQ(pidsim_task_state(f->k, t.d), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, t.u), -ESRCH);
	reap(f, t.c, pid_in(f, t.c, t.d, 4), KILLED(SIGKILL));
}

/* A container's init ignores every signal sent from inside its container. */
static void test_kill_container_init_immune_inside(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {SIGKILL, SIGTERM, SIGHUP, 64};
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid ct = container_of(f, c);

	watch(f, c);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		NO_CHANGE(f, 0, pidsim_kill(f->k, t, 1, sigs[i]));
		NO_CHANGE(f, 0, pidsim_kill(f->k, c, 1, sigs[i]));
		NO_CHANGE(f, 0, pidsim_kill_in(f->k, t, ct, 1, sigs[i]));
	}
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
}

/* From its parent container only SIGKILL kills a container's init. */
static void test_kill_container_init_from_parent_sigkill_only(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {SIGHUP, SIGINT, SIGTERM, 64};
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	int pc = pid_in(f, f->host, c, 2);

	watch(f, c);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, pc, sigs[i]));
	EQ(pidsim_kill(f->k, f->host, pc, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, t), -ESRCH);
	reap(f, f->host, pc, KILLED(SIGKILL));
	assert_census(f, 1, 0, 1);
}

/* A qualified kill from a grandparent obeys the same init rule. */
static void test_kill_in_nested_init_sigkill_only(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, d, u, cc, dc;
	int pd;

	need_levels(f, 2);
	c = spawn_ct(f, f->host, 2);
	d = spawn_ct(f, c, 2);
	u = spawn(f, d, 2);
	cc = container_of(f, c);
	dc = container_of(f, d);
	pd = pid_in(f, c, d, 2);
	watch(f, c);
	watch(f, d);
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, cc, pd, SIGTERM));
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, dc, 1, SIGTERM));
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, cc, 1, SIGTERM));
	EQ(pidsim_kill_in(f->k, f->host, dc, 1, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, d), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, u), -ESRCH);
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
	reap(f, c, pd, KILLED(SIGKILL));
}

/* Host kill -1 reaches container tasks only where the design lets the host see them. */
static void test_kill_host_reach_by_design(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid a = spawn(f, f->host, 0);
	int sees = has(f, PIDSIM_D_HOST_SEES_ALL), pt = pid_in(f, c, t, 2);

	EQ(pidsim_kill(f->k, a, -1, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, t), sees ? PIDSIM_ZOMBIE : PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	if (!sees) {
		EQ(pidsim_pid_of(f->k, f->host, t), 0);
		return;
	}
	reap(f, c, pt, KILLED(SIGTERM));
	t = spawn(f, c, 3);
	EQ(pidsim_kill(f->k, f->host, pid_in(f, f->host, t, 0), SIGKILL), 0);
	reap(f, c, pid_in(f, c, t, 3), KILLED(SIGKILL));
}

/* ==== Rule 8: getpid, getppid, ps, find, qualified addresses =============== */

/* ps lists visible pids ascending, whatever order they were handed out in. */
static void test_ps_ascending_after_wrap(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 10);
	fork_range(f, f->host, 2, 9);
	kill_reap(f, f->host, 3);
	kill_reap(f, f->host, 6);
	spawn(f, f->host, 3);
	spawn(f, f->host, 6);
	ASSERT_PS(f, f->host, 1, 2, 3, 4, 5, 6, 7, 8, 9);
}

/* ps returns the full count and stores at most cap pids. */
static void test_ps_cap_truncates_but_counts(void **state)
{
	struct fx *f = *state;
	int buf[3] = {-7, -7, -7};

	fork_range(f, f->host, 2, 4);
	EQ(pidsim_ps(f->k, f->host, buf, 2), 4);
	EQ(buf[0], 1);
	EQ(buf[1], 2);
	EQ(buf[2], -7);
	buf[0] = -7;
	EQ(pidsim_ps(f->k, f->host, buf, 0), 4);
	EQ(buf[0], -7);
}

/* ps_in(ct) reads ct's view, alike from the container itself and from an ancestor. */
static void test_ps_in_reads_container_view(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t2 = spawn(f, c, 2), t3 = spawn(f, c, 3);
	pidsim_tid ct = container_of(f, c);

	ASSERT_VIEW(f, c, {c, 1}, {t2, 2}, {t3, 3});
	assert_ps_in_is_ps(f, f->host, ct, c);
	assert_ps_in_is_ps(f, c, ct, c);
	assert_ps_in_is_ps(f, f->host, container_of(f, f->host), f->host);
}

/* ps_in of a nested container from the grandparent sees the nested view. */
static void test_ps_in_nested_from_grandparent(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid v;

	build_nested_topo(f, &t);
	v = spawn(f, t.d, 3);
	ASSERT_VIEW(f, t.d, {t.d, 1}, {t.u, 2}, {v, 3});
	assert_ps_in_is_ps(f, f->host, container_of(f, t.d), t.d);
	assert_ps_in_is_ps(f, t.t1, container_of(f, t.d), t.d);
	assert_ps_in_is_ps(f, f->host, container_of(f, t.c), t.c);
}

/* A container that is neither cur's nor below it is -EPERM for every qualified call. */
static void test_qualified_outside_cur_eperm(void **state)
{
	struct fx *f = *state;
	pidsim_tid c1 = spawn_ct(f, f->host, 2);
	pidsim_tid c2 = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c1, 2);
	pidsim_tid hct = container_of(f, f->host), c2t = container_of(f, c2), h;
	int pids[4];

	watch(f, c1);
	watch(f, c2);
	NO_CHANGE(f, -EPERM, pidsim_ps_in(f->k, t, hct, pids, 4));
	NO_CHANGE(f, -EPERM, pidsim_ps_in(f->k, c1, c2t, pids, 4));
	NO_CHANGE(f, -EPERM, pidsim_find_in(f->k, t, hct, 1, &h));
	NO_CHANGE(f, -EPERM, pidsim_find_in(f->k, t, c2t, 1, &h));
	NO_CHANGE(f, -EPERM, pidsim_kill_in(f->k, t, hct, 1, SIGKILL));
	NO_CHANGE(f, -EPERM, pidsim_kill_in(f->k, c1, c2t, 1, SIGKILL));
}

/* A stale or absent container handle is -ESRCH for every qualified call. */
static void test_qualified_stale_container_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid ct = container_of(f, c), h;
	int pids[4];

	kill_reap(f, f->host, pid_in(f, f->host, c, 2));
	NO_CHANGE(f, -ESRCH, pidsim_ps_in(f->k, f->host, ct, pids, 4));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, f->host, ct, 1, 0));
	NO_CHANGE(f, -ESRCH,
		  pidsim_ps_in(f->k, f->host, PIDSIM_NO_TASK, pids, 4));
	NO_CHANGE(f, -ESRCH,
		  pidsim_find_in(f->k, f->host, PIDSIM_NO_TASK, 1, &h));
}

/* A task that is not a container's init names no container: a clean error. */
static void test_qualified_non_init_handle_refused(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	struct snap before;
	int pids[4];

	snapshot(f, &before);
	assert_true(pidsim_ps_in(f->k, f->host, a, pids, 4) < 0);
	assert_true(pidsim_kill_in(f->k, f->host, a, 1, SIGKILL) < 0);
	assert_same_snapshot(f, &before, __FILE__, __LINE__);
}

/* find_in reads pid in ct's view: an ancestor reaches tasks it cannot see by number. */
static void test_find_in_reaches_container_tasks(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid ct = container_of(f, c), h = PIDSIM_NO_TASK;
	int pt = pid_in(f, c, t, 2);

	EQ(pidsim_find_in(f->k, f->host, ct, pt, &h), 0);
	assert_same_task(f, c, h, t);
	EQ(pidsim_find_in(f->k, f->host, ct, 1, &h), 0);
	assert_same_task(f, c, h, c);
	EQ(pidsim_find_in(f->k, c, ct, pt, &h), 0);
	assert_same_task(f, c, h, t);
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 3, &h));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 0, &h));
}

/* kill_in signals pid in ct's view, with kill's errors in kill's order. */
static void test_kill_in_signals_container_task(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid ct = container_of(f, c);
	int pt = pid_in(f, c, t, 2);

	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, f->host, ct, 3, 65));
	NO_CHANGE(f, -EINVAL, pidsim_kill_in(f->k, f->host, ct, pt, 65));
	NO_CHANGE(f, -EINVAL, pidsim_kill_in(f->k, f->host, ct, 0, SIGKILL));
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, ct, pt, 0));
	EQ(pidsim_kill_in(f->k, f->host, ct, pt, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, t), PIDSIM_ZOMBIE);
	reap(f, c, pt, KILLED(SIGKILL));
}

/* find gives a handle for a visible pid and -ESRCH for any other number. */
static void test_find_visible_only(void **state)
{
	struct fx *f = *state;
	const int bad[] = {3, 0, -1, INT_MAX, INT_MIN};
	pidsim_tid a = spawn(f, f->host, 2), h = PIDSIM_NO_TASK;

	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	assert_same_task(f, f->host, h, a);
	EQ(pidsim_find(f->k, a, 1, &h), 0);
	assert_same_task(f, a, h, f->host);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		NO_CHANGE(f, -ESRCH, pidsim_find(f->k, f->host, bad[i], &h));
}

/* pid_of: the number in cur's view, 0 when not visible, -ESRCH once reaped. */
static void test_pid_of_view_and_stale(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid c = spawn_ct(f, f->host, 3);

	EQ(pidsim_pid_of(f->k, f->host, a), 2);
	EQ(pidsim_pid_of(f->k, a, f->host), 1);
	EQ(pidsim_pid_of(f->k, c, a), 0);
	EQ(pidsim_exit(f->k, a, 0), 0);
	EQ(pidsim_pid_of(f->k, f->host, a), 2);
	reap(f, f->host, 2, EXITED(0));
	EQ(pidsim_pid_of(f->k, f->host, a), -ESRCH);
	EQ(pidsim_pid_of(f->k, c, a), -ESRCH);
}

/* container_of and level_of name a task's container and depth; stale is -ESRCH. */
static void test_container_of_and_level_of(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid c = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c, 2), ct;

	assert_same_task(f, f->host, container_of(f, a), f->host);
	assert_same_task(f, c, container_of(f, t), c);
	EQ(pidsim_level_of(f->k, a), 0);
	EQ(pidsim_level_of(f->k, t), 1);
	kill_reap(f, c, pid_in(f, c, t, 2));
	EQ(pidsim_container_of(f->k, t, &ct), -ESRCH);
	EQ(pidsim_level_of(f->k, t), -ESRCH);
}

/* ==== Rule 9: stored owners (F_SETOWN) ===================================== */

/* setown records the owner; notify from kernel context reaches it, sig 0 only probes. */
static void test_owner_notify_reaches_owner(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), to = PIDSIM_NO_TASK;
	int obj = pidsim_setown(f->k, f->host, 2);
	int obj2 = pidsim_setown(f->k, f->host, 1);

	assert_true(obj >= 0);
	assert_true(obj2 >= 0);
	assert_true(obj2 != obj);
	watch(f, a);
	NO_CHANGE(f, 0, pidsim_notify(f->k, obj, 0, &to));
	assert_same_task(f, f->host, to, a);
	NO_CHANGE(f, 0, pidsim_notify(f->k, obj, SIGCHLD, &to));
	EQ(pidsim_notify(f->k, obj, SIGTERM, &to), 0);
	assert_same_task(f, f->host, to, a);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, KILLED(SIGTERM));
}

/* setown inside a container reads pid in the container's view. */
static void test_owner_setown_inside_container(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2), to = PIDSIM_NO_TASK;
	int pt = pid_in(f, c, t, 2);
	int obj = pidsim_setown(f->k, c, pt);
	int obj_init = pidsim_setown(f->k, t, 1);

	assert_true(obj >= 0);
	assert_true(obj_init >= 0);
	EQ(pidsim_notify(f->k, obj, 0, &to), 0);
	assert_same_task(f, c, to, t);
	EQ(pidsim_notify(f->k, obj_init, 0, &to), 0);
	assert_same_task(f, c, to, c);
	EQ(pidsim_notify(f->k, obj, SIGKILL, &to), 0);
	reap(f, c, pt, KILLED(SIGKILL));
}

/* setown of a pid cur cannot see is -ESRCH; pid <= 0 is -EINVAL. */
static void test_owner_setown_errors(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);

	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, f->host, 50));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, f->host, INT_MAX));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, t, 5));
	NO_CHANGE(f, -EINVAL, pidsim_setown(f->k, f->host, 0));
	NO_CHANGE(f, -EINVAL, pidsim_setown(f->k, f->host, -1));
	NO_CHANGE(f, -EINVAL, pidsim_setown(f->k, t, INT_MIN));
}

/* notify of an unknown object is -EBADF; a bad signal is -EINVAL. */
static void test_owner_notify_errors(void **state)
{
	struct fx *f = *state;
	const int bad[] = {-1, 65, 19, 20, 21, 22, INT_MIN};
	pidsim_tid a = spawn(f, f->host, 2), to;
	int obj = pidsim_setown(f->k, f->host, 2);

	assert_true(obj >= 0);
	watch(f, a);
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, obj + 1000, 0, &to));
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, -1, 0, &to));
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, INT_MAX, SIGKILL, &to));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		NO_CHANGE(f, -EINVAL, pidsim_notify(f->k, obj, bad[i], &to));
}

/* Owner reaped and its number still free: notify is -ESRCH in every design. */
static void test_owner_notify_after_reap_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid to;
	int obj;

	spawn(f, f->host, 2);
	obj = pidsim_setown(f->k, f->host, 2);
	assert_true(obj >= 0);
	kill_reap(f, f->host, 2);
	to = (pidsim_tid)77;
	NO_CHANGE(f, -ESRCH, pidsim_notify(f->k, obj, 0, &to));
	EQ(to, PIDSIM_NO_TASK);
	NO_CHANGE(f, -ESRCH, pidsim_notify(f->k, obj, SIGKILL, &to));
}

/* A zombie owner still resolves: notify reaches it and changes nothing. */
static void test_owner_notify_zombie_owner(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), to = PIDSIM_NO_TASK;
	int obj = pidsim_setown(f->k, f->host, 2);

	assert_true(obj >= 0);
	EQ(pidsim_exit(f->k, a, 3), 0);
	NO_CHANGE(f, 0, pidsim_notify(f->k, obj, SIGKILL, &to));
	EQ(pidsim_pid_of(f->k, f->host, to), 2);
	reap(f, f->host, 2, EXITED(3));
}

/* The highest pid cur sees. */
static int highest_pid(struct fx *f, pidsim_tid cur)
{
	size_t cap = (size_t)pidsim_kernel_pid_max(f->k);
	int *pids = test_malloc(cap * sizeof *pids);
	int n = pidsim_ps(f->k, cur, pids, cap), top;

	assert_true(n > 0 && (size_t)n <= cap);
	top = pids[n - 1];
	test_free(pids);
	return top;
}

/*
 * Every range parent's children draw from is full but for one number (the
 * highest, so that rule 3's wrap reaches it), the owner takes it, is reaped,
 * and the one task forked next takes it again.  A design storing numbers
 * signals that task; one storing a weak reference reaches nobody.
 */
static void assert_owner_reuse(struct fx *f, pidsim_tid parent)
{
	int by_number = has(f, PIDSIM_D_OWNER_BY_NUMBER);
	pidsim_tid owner, n, to = PIDSIM_NO_TASK;
	int po, obj;

	fill(f, parent);
	kill_reap(f, parent, highest_pid(f, parent));
	owner = spawn(f, parent, 0);
	po = pid_in(f, parent, owner, 0);
	obj = pidsim_setown(f->k, parent, po);
	assert_true(obj >= 0);
	kill_reap(f, parent, po);
	n = spawn(f, parent, 0);
	watch(f, n);
	NO_CHANGE(f, by_number ? 0 : -ESRCH, pidsim_notify(f->k, obj, 0, &to));
	if (by_number)
		assert_same_task(f, parent, to, n);
	else
		EQ(to, PIDSIM_NO_TASK);
	EQ(pidsim_notify(f->k, obj, SIGKILL, &to), by_number ? 0 : -ESRCH);
	EQ(pidsim_task_state(f->k, n),
	   by_number ? PIDSIM_ZOMBIE : PIDSIM_RUNNING);
}

/* pid_max for the reuse tests: quick to fill, yet leaving every design
 * room for container tasks (vpid-openvz keeps them below pid_max - 1024). */
#define REUSE_PID_MAX 2048

/* Host owner reaped, number reused: vpid signals the new task, pidspace nobody. */
static void test_owner_reuse_in_host_by_design(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, REUSE_PID_MAX);
	assert_owner_reuse(f, f->host);
}

/* Container owner reaped, number reused: vpid reaches the reuser, pidspace nobody. */
static void test_owner_reuse_in_container_by_design(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, REUSE_PID_MAX);
	assert_owner_reuse(f, spawn_ct(f, f->host, 2));
}

/* owner_close forgets the object: notify and a second close are -EBADF. */
static void test_owner_close_forgets_object(void **state)
{
	struct fx *f = *state;
	pidsim_tid to;
	int obj;

	spawn(f, f->host, 2);
	obj = pidsim_setown(f->k, f->host, 2);
	assert_true(obj >= 0);
	EQ(pidsim_owner_close(f->k, obj), 0);
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, obj, 0, &to));
	NO_CHANGE(f, -EBADF, pidsim_owner_close(f->k, obj));
	NO_CHANGE(f, -EBADF, pidsim_owner_close(f->k, -1));
	NO_CHANGE(f, -EBADF, pidsim_owner_close(f->k, INT_MAX));
}

/* ==== Weak task references ================================================= */

/* A handle to a reaped task stays stale even after its number is reused. */
static void test_weakref_stale_after_number_reuse(void **state)
{
	struct fx *f = *state;
	pidsim_tid old = PIDSIM_NO_TASK, n;

	need_pid_max(f, 4);
	spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	EQ(pidsim_find(f->k, f->host, 2, &old), 0);
	kill_reap(f, f->host, 2);
	n = spawn(f, f->host, 2);
	EQ(pidsim_task_state(f->k, old), -ESRCH);
	EQ(pidsim_pid_of(f->k, f->host, old), -ESRCH);
	EQ(pidsim_getpid(f->k, old), -ESRCH);
	NO_CHANGE(f, -ESRCH, pidsim_fork(f->k, old, 0, NULL));
	EQ(pidsim_task_state(f->k, n), PIDSIM_RUNNING);
}

/* ==== Rule 10: bad callers fail cleanly ==================================== */

/* Every call made by cur fails with -ESRCH and changes nothing. */
static void assert_cur_refused(struct fx *f, pidsim_tid cur)
{
	pidsim_tid h, hct = container_of(f, f->host);
	int st, buf[4];

	NO_CHANGE(f, -ESRCH, pidsim_fork(f->k, cur, 0, &h));
	NO_CHANGE(f, -ESRCH, pidsim_fork(f->k, cur, PIDSIM_CLONE_NEWPID, &h));
	NO_CHANGE(f, -ESRCH, pidsim_exit(f->k, cur, 0));
	NO_CHANGE(f, -ESRCH, pidsim_wait(f->k, cur, -1, &st));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, cur, 1, 0));
	NO_CHANGE(f, -ESRCH, pidsim_getpid(f->k, cur));
	NO_CHANGE(f, -ESRCH, pidsim_getppid(f->k, cur));
	NO_CHANGE(f, -ESRCH, pidsim_ps(f->k, cur, buf, 4));
	NO_CHANGE(f, -ESRCH, pidsim_find(f->k, cur, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_pid_of(f->k, cur, f->host));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, cur, hct, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, cur, hct, 1, 0));
	NO_CHANGE(f, -ESRCH, pidsim_ps_in(f->k, cur, hct, buf, 4));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, cur, 1));
}

/* t names no task: state, container and level queries are -ESRCH. */
static void assert_no_such_task(struct fx *f, pidsim_tid t)
{
	pidsim_tid ct;

	EQ(pidsim_task_state(f->k, t), -ESRCH);
	EQ(pidsim_container_of(f->k, t, &ct), -ESRCH);
	EQ(pidsim_level_of(f->k, t), -ESRCH);
	EQ(pidsim_pid_of(f->k, f->host, t), -ESRCH);
}

/* A zombie makes no system calls: -ESRCH for each, nothing changes. */
static void test_cur_zombie_refused(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	spawn(f, a, 3);
	EQ(pidsim_exit(f->k, a, 5), 0);
	assert_cur_refused(f, a);
	reap(f, f->host, 2, EXITED(5));
}

/* A reaped handle, one released with its container included, is -ESRCH everywhere. */
static void test_cur_reaped_refused(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid c = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c, 2);

	kill_reap(f, f->host, 2);
	assert_cur_refused(f, a);
	assert_no_such_task(f, a);
	kill_reap(f, f->host, pid_in(f, f->host, c, 3));
	assert_cur_refused(f, t);
	assert_no_such_task(f, t);
	assert_cur_refused(f, c);
	assert_no_such_task(f, c);
}

/* PIDSIM_NO_TASK and handles never issued are -ESRCH, never a crash. */
static void test_cur_no_task_refused(void **state)
{
	struct fx *f = *state;
	const pidsim_tid bogus[] = {PIDSIM_NO_TASK, (pidsim_tid)0xdeadbeefcafef00dULL,
				    UINT64_MAX, f->host + 100000};

	spawn(f, f->host, 2);
	for (size_t i = 0; i < ARRAY_SIZE(bogus); i++) {
		assert_cur_refused(f, bogus[i]);
		assert_no_such_task(f, bogus[i]);
	}
}

/* Error names come back for negated and plain errnos, "E?" otherwise. */
static void test_errname_names_errors(void **state)
{
	(void)state;
	assert_string_equal(pidsim_errname(-ESRCH), "ESRCH");
	assert_string_equal(pidsim_errname(ESRCH), "ESRCH");
	assert_string_equal(pidsim_errname(-EAGAIN), "EAGAIN");
	assert_string_equal(pidsim_errname(-ECHILD), "ECHILD");
	assert_string_equal(pidsim_errname(-EPERM), "EPERM");
	assert_string_equal(pidsim_errname(-EINVAL), "EINVAL");
	assert_string_equal(pidsim_errname(-EBADF), "EBADF");
	assert_string_equal(pidsim_errname(-ENOENT), "ENOENT");
	assert_string_equal(pidsim_errname(-ENOSPC), "ENOSPC");
	assert_string_equal(pidsim_errname(-ENOMEM), "ENOMEM");
	assert_string_equal(pidsim_errname(-99999), "E?");
}

/* ==== Cost counters ======================================================== */

/* Bytes are counted from boot, grow with tasks, and the peak never trails them. */
static void test_stats_bytes_and_peak(void **state)
{
	struct fx *f = *state;
	struct pidsim_stats s0, s1, s2;

	pidsim_stats_get(f->k, &s0);
	assert_true(s0.bytes > 0);
	assert_true(s0.peak_bytes >= s0.bytes);
	for (int i = 0; i < 50; i++)
		spawn(f, f->host, 0);
	spawn(f, spawn_ct(f, f->host, 0), 2);
	pidsim_stats_get(f->k, &s1);
	assert_true(s1.bytes > s0.bytes);
	assert_true(s1.peak_bytes >= s1.bytes);
	EQ(pidsim_kill(f->k, f->host, -1, SIGKILL), 0);
	reap_all(f, f->host);
	assert_census(f, 1, 0, 1);
	pidsim_stats_get(f->k, &s2);
	assert_true(s2.peak_bytes >= s1.bytes);
	assert_true(s2.peak_bytes >= s2.bytes);
}

/* stats_reset zeroes the counters but keeps the bytes. */
static void test_stats_reset_keeps_bytes(void **state)
{
	struct fx *f = *state;
	struct pidsim_stats s, r;
	pidsim_tid h;

	spawn(f, f->host, 2);
	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	pidsim_stats_get(f->k, &s);
	assert_true(s.allocs > 0);
	pidsim_stats_reset(f->k);
	pidsim_stats_get(f->k, &r);
	EQ(r.lookups, 0);
	EQ(r.conversions, 0);
	EQ(r.hash_probes, 0);
	EQ(r.allocs, 0);
	EQ((long long)r.bytes, (long long)s.bytes);
	assert_true(r.peak_bytes >= r.bytes);
}

/* A number -> task lookup is counted. */
static void test_stats_find_counts_lookup(void **state)
{
	struct fx *f = *state;
	struct pidsim_stats s0, s1;
	pidsim_tid h;

	spawn(f, f->host, 2);
	pidsim_stats_get(f->k, &s0);
	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	pidsim_stats_get(f->k, &s1);
	assert_true(s1.lookups > s0.lookups);
}

/* ==== Runner =============================================================== */

#define T(fn) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, NULL)

static const struct CMUnitTest contract_tests[] = {
	/* rule 1 */
	T(test_kernel_boots_host_init_as_pid1),
	T(test_kernel_pid_max_default_and_set),
	T(test_kernel_pid_max_out_of_range_einval),
	T(test_kernel_create_bad_arguments),
	T(test_kernel_design_info_consistent),
	T(test_debug_find_agrees_with_find),
	/* rule 2 */
	T(test_fork_returns_child_pid),
	T(test_fork_null_child_pointer),
	T(test_fork_newpid_child_is_container_init),
	T(test_fork_container_first_child_is_pid2),
	T(test_fork_unknown_flags_einval),
	T(test_fork_nested_containers),
	T(test_fork_newpid_past_max_level_refused),
	T(test_fork_newpid_past_max_containers_refused),
	T(test_fork_in_container_below_min_ct_pid_max_refused),
	/* rule 3 */
	T(test_alloc_host_cyclic),
	T(test_alloc_container_cyclic),
	T(test_alloc_wraps_to_1_below_reserved),
	T(test_alloc_wraps_to_reserved_pids),
	T(test_alloc_host_full_eagain),
	T(test_alloc_pid_max_2_holds_init_only),
	T(test_alloc_container_full_eagain),
	T(test_alloc_container_independent_of_host),
	T(test_alloc_shared_range_host_starves_container),
	/* rule 4 */
	T(test_visibility_container_view),
	T(test_visibility_pid_of_across_boundary),
	T(test_visibility_container_init_getppid_zero),
	T(test_visibility_invisible_number_refused),
	T(test_visibility_sibling_containers_isolated),
	T(test_visibility_host_view_by_design),
	/* rule 5 */
	T(test_exit_makes_zombie_until_reaped),
	T(test_exit_zombie_keeps_its_number),
	T(test_exit_status_low_8_bits),
	T(test_exit_host_init_eperm),
	T(test_exit_twice_esrch),
	T(test_exit_reparents_orphans_to_host_init),
	T(test_exit_reparents_orphans_to_container_init),
	T(test_exit_reparents_zombie_children),
	T(test_exit_container_init_releases_its_tasks),
	T(test_exit_container_init_releases_nested),
	T(test_exit_container_gone_once_init_reaped),
	/* rule 6 */
	T(test_wait_no_children_echild),
	T(test_wait_running_children_returns_0),
	T(test_wait_pid_reaps_named_child),
	T(test_wait_not_a_child_echild),
	T(test_wait_invisible_pid_echild),
	T(test_wait_process_groups_einval),
	T(test_wait_any_in_fork_order),
	T(test_wait_any_adopted_orphans_appended),
	T(test_wait_status_encoding),
	T(test_wait_container_init_by_glue_pid),
	T(test_wait_twice_echild),
	/* rule 7 */
	T(test_kill_sig0_probes),
	T(test_kill_ignored_signals),
	T(test_kill_fatal_signals_kill),
	T(test_kill_self),
	T(test_kill_bad_signal_einval),
	T(test_kill_invisible_pid_esrch_before_einval),
	T(test_kill_process_groups_einval),
	T(test_kill_zombie_is_noop),
	T(test_kill_all_spares_self_and_init),
	T(test_kill_all_zombies_are_targets),
	T(test_kill_all_no_target_esrch),
	T(test_kill_all_inside_container),
	T(test_kill_container_init_immune_inside),
	T(test_kill_container_init_from_parent_sigkill_only),
	T(test_kill_in_nested_init_sigkill_only),
	T(test_kill_host_reach_by_design),
	/* rule 8 */
	T(test_ps_ascending_after_wrap),
	T(test_ps_cap_truncates_but_counts),
	T(test_ps_in_reads_container_view),
	T(test_ps_in_nested_from_grandparent),
	T(test_qualified_outside_cur_eperm),
	T(test_qualified_stale_container_esrch),
	T(test_qualified_non_init_handle_refused),
	T(test_find_in_reaches_container_tasks),
	T(test_kill_in_signals_container_task),
	T(test_find_visible_only),
	T(test_pid_of_view_and_stale),
	T(test_container_of_and_level_of),
	/* rule 9 */
	T(test_owner_notify_reaches_owner),
	T(test_owner_setown_inside_container),
	T(test_owner_setown_errors),
	T(test_owner_notify_errors),
	T(test_owner_notify_after_reap_esrch),
	T(test_owner_notify_zombie_owner),
	T(test_owner_reuse_in_host_by_design),
	T(test_owner_reuse_in_container_by_design),
	T(test_owner_close_forgets_object),
	/* weak references */
	T(test_weakref_stale_after_number_reuse),
	/* rule 10 */
	T(test_cur_zombie_refused),
	T(test_cur_reaped_refused),
	T(test_cur_no_task_refused),
	T(test_errname_names_errors),
	/* counters */
	T(test_stats_bytes_and_peak),
	T(test_stats_reset_keeps_bytes),
	T(test_stats_find_counts_lookup),
};

int main(void)
{
	size_t n = pidsim_design_count();
	int failed = 0;

	if (n == 0) {
		fprintf(stderr, "test_contract: no designs compiled in\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pidsim_design_info *info = pidsim_design_at(i);
		struct CMUnitTest tests[ARRAY_SIZE(contract_tests)];
		char name[64];

		memcpy(tests, contract_tests, sizeof tests);
		for (size_t j = 0; j < ARRAY_SIZE(tests); j++)
			tests[j].initial_state = (void *)info;
		snprintf(name, sizeof name, "contract/%s", info->name);
		print_message("[==========] %s: %s\n", name, info->summary);
		failed |= cmocka_run_group_tests_name(name, tests, NULL, NULL) != 0;
	}
	return failed;
}
