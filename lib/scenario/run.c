/*
 * scenario_run.c - run a parsed scenario on one design or on all of them.
 *
 * Each design gets its own kernel images and its own binding of the file's
 * labels to task handles.  A statement runs on every design in turn; what
 * came back is kept as an outcome, which becomes a transcript cell, is
 * checked by the expects that follow, and (with several designs) is
 * compared with the first design's.
 *
 * Comparing two designs.  Each outcome has two keys: one with the numbers
 * and the labels they resolve to, and one "up to renaming", where a number
 * that names a labelled task is replaced by the label (for designs with
 * PIDSIM_D_RENUMBERS, whose numbers differ by a consistent renaming).  A
 * disagreement is then allowed when the contract explains it:
 *   - a limit the design records (pid_max, max_level, max_containers,
 *     min_ct_pid_max, a shared range), or a statement that could not run
 *     because of one;
 *   - rule 9: a stored owner kept as a number on one design and as a weak
 *     reference on the other (or as numbers reused differently);
 *   - the host's view, when the designs' flags say how it differs;
 *   - a hierarchical design's view of a container with descendants;
 *   - a raw number typed into a design that renumbers;
 *   - the state of the two images diverged at an earlier statement (whose
 *     own disagreement was classified there), and has not converged since.
 * Anything else is a contract violation.  A difference that involves a task
 * whose state had already diverged is shown as following the line where it
 * did, before any flag is blamed.  The reasons are said of the designs
 * that differ from the reference; designs with the same reason share it in
 * the note ("pidspace, pidns: ...").
 *
 * The runner's own questions (which label a number names, which tasks a
 * statement killed) are asked outside the cost window of the statement, so
 * the cost columns show only what the statement itself did.
 *
 * The limits of a run (struct pidsim_sc_opts).  A file from anyone must
 * end: a statement that would leave a kernel image with more tasks than
 * the task budget is refused before it allocates anything (a fork needs
 * room for one task, churn for one at a time, a restore or a migrate for
 * the whole tree), as are checkpoint images past the budget together;
 * and a time limit stops the run between statements (or inside churn).
 * The transcript goes out while the run goes, once the run is large
 * enough for that to matter (STREAM_WORK).
 */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime() */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pidsim_image.h"
#include "run.h"

/* Task operations (a fork, a task listed or checkpointed or restored) a
 * run may make before its transcript streams: below it, a run takes
 * milliseconds and prints one table aligned over every row when it ends;
 * from it on, each row is printed and flushed as its statement finishes. */
#define STREAM_WORK PIDSIM_SC_STREAM_WORK

/* How often churn looks at the clock, in iterations. */
#define CHURN_CLOCK 256

/* ---- Set-up ------------------------------------------------------------- */

/* Nothing bound yet: labels[] and the lists that hold labels have room for
 * every label of the file (at least one). */
int run_design_init(struct design_run *d, const struct pidsim_design_info *info,
		    size_t nr_labels)
{
	size_t n = nr_labels ? nr_labels : 1;

	d->info = info;
	d->nr_labels = n;
	d->labels = calloc(n, sizeof *d->labels);
	d->live = malloc(n * sizeof *d->live);
	d->outcome.died = malloc(n * sizeof *d->outcome.died);
	d->outcome.gone = malloc(n * sizeof *d->outcome.gone);
	if (!d->labels || !d->live || !d->outcome.died || !d->outcome.gone)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		d->labels[i].obj = -1;
		d->labels[i].obj_kernel = -1;
		d->labels[i].parent_ct = -1;
	}
	return 0;
}

void run_design_fini(struct design_run *d)
{
	for (size_t i = 0; i < PIDSIM_SC_MAX_IMAGES; i++) {
		pidsim_kernel_destroy(d->kernel[i]);
		sc_tidmap_free(&d->label_by_tid[i]);
	}
	for (size_t i = 0; d->labels && i < d->nr_labels; i++) {
		pidsim_image_free(d->labels[i].ckpt.bytes);
		free(d->labels[i].ckpt.labels);
	}
	free(d->labels);
	free(d->live);
	free(d->restored);
	free(d->outcome.died);
	free(d->outcome.gone);
	free(d->outcome.pids);
	free(d->outcome.plabels);
	free(d->outcome.used);
}

/* ---- Labels and handles ----------------------------------------------------- */

/* The task label a handle of kernel belongs to, or -1.  (Handles are per
 * kernel: two kernels may hand out the same value.) */
int run_label_of(const struct design_run *d, int kernel, pidsim_tid t)
{
	return sc_tidmap_get(&d->label_by_tid[kernel], t);
}

/* A new task under its label: it is looked up by handle from now on. */
int run_bind_task(struct run *r, struct design_run *d, int label, pidsim_tid t)
{
	d->labels[label].tid = t;
	if (!is_task_label(r, label))
		return 0;
	d->live[d->nr_live++] = label;
	return sc_tidmap_put(&d->label_by_tid[r->sc->labels[label].image], t, label);
}

/* The label that cur sees as nr names, or -1; not counted as cost. */
int run_label_of_nr(struct design_run *d, int kernel, pidsim_tid cur,
		    pidsim_tid ct, int nr)
{
	pidsim_kernel *k = d->kernel[kernel];
	pidsim_tid t;
	int err;

	if (nr <= 0)
		return -1;
	err = ct ? pidsim_find_in(k, cur, ct, nr, &t) : pidsim_find(k, cur, nr, &t);
	return err ? -1 : run_label_of(d, kernel, t);
}

/* ---- Costs --------------------------------------------------------------- */

/* What k counted since s0, and the bytes it holds now; notes k's peak. */
static struct sc_cost cost_since(pidsim_kernel *k, const struct pidsim_stats *s0,
				 struct design_run *d)
{
	struct pidsim_stats s;

	pidsim_stats_get(k, &s);
	if (s.peak_bytes > d->peak)
		d->peak = s.peak_bytes;
	return (struct sc_cost){
		.lookups = s.lookups - s0->lookups,
		.conversions = s.conversions - s0->conversions,
		.hash_probes = s.hash_probes - s0->hash_probes,
		.bytes = s.bytes,
	};
}

/* Add c's counters to sum's (the bytes are not a count: left alone). */
void run_cost_sum(struct sc_cost *sum, const struct sc_cost *c)
{
	sum->lookups += c->lookups;
	sum->conversions += c->conversions;
	sum->hash_probes += c->hash_probes;
}

/* The statement's cost: what k counted since s0, and the bytes after. */
void run_cost_done(pidsim_kernel *k, const struct pidsim_stats *s0,
		   struct design_run *d)
{
	d->outcome.cost = cost_since(k, s0, d);
}

/* Add what k counted since s0 to the statement's cost (a migrate counts
 * on both kernels; the bytes shown stay the target's). */
void run_cost_add(pidsim_kernel *k, const struct pidsim_stats *s0,
		  struct design_run *d)
{
	struct sc_cost c = cost_since(k, s0, d);

	run_cost_sum(&d->outcome.cost, &c);
}

/* ---- Effects: which labelled tasks a statement killed or released ----------- */

int run_task_state(const struct run *r, const struct design_run *d, int label)
{
	pidsim_kernel *k = d->kernel[r->sc->labels[label].image];
	pidsim_tid t = d->labels[label].tid;

	return k && t ? pidsim_task_state(k, t) : 0;
}

void run_effects_before(const struct run *r, struct design_run *d)
{
	for (size_t i = 0; i < d->nr_live; i++)
		d->labels[d->live[i]].state_before = run_task_state(r, d, d->live[i]);
	for (size_t i = 0; i < d->nr_restored; i++) {
		struct restored_task *task = &d->restored[i];

		task->state_before = pidsim_task_state(d->kernel[task->kernel], task->t);
	}
}

/* The same for the tasks restores made; a label's lists have room for
 * one entry per label. */
static void restored_effects(struct design_run *d)
{
	struct outcome *outcome = &d->outcome;
	size_t kept = 0;

	for (size_t i = 0; i < d->nr_restored; i++) {
		struct restored_task *task = &d->restored[i];
		int now = pidsim_task_state(d->kernel[task->kernel], task->t);

		if (now < 0 && outcome->nr_gone < d->nr_labels)
			outcome->gone[outcome->nr_gone++] = task->label;
		else if (now == PIDSIM_ZOMBIE && task->state_before == PIDSIM_RUNNING &&
			 outcome->nr_died < d->nr_labels)
			outcome->died[outcome->nr_died++] = task->label;
		if (now >= 0)
			d->restored[kept++] = *task;
	}
	d->nr_restored = kept;
}

/* Compare with run_effects_before(), note when each task died (two designs
 * whose tasks died at different lines have diverged, even if the tasks
 * are all zombies now), and drop released tasks from live. */
void run_effects_after(const struct run *r, struct design_run *d, unsigned line)
{
	struct outcome *outcome = &d->outcome;
	size_t kept = 0;

	for (size_t i = 0; i < d->nr_live; i++) {
		int l = d->live[i], now = run_task_state(r, d, l);
		struct label_state *ls = &d->labels[l];

		if (now < 0)
			outcome->gone[outcome->nr_gone++] = l;
		else if (now == PIDSIM_ZOMBIE && ls->state_before == PIDSIM_RUNNING)
			outcome->died[outcome->nr_died++] = l;
		if (now != ls->state_before && ls->state_before == PIDSIM_RUNNING)
			ls->died_at = line;
		if (now >= 0)
			d->live[kept++] = l;
	}
	d->nr_live = kept;
	restored_effects(d);
}

/* ---- Running one statement ------------------------------------------------- */

/* Every label the statement uses, for the check that each is bound. */
size_t run_used_labels(const struct pidsim_sc_stmt *st, int out[4])
{
	int cand[4] = { st->who, st->pid.label, st->pid.ct,
			st->ct >= 0 ? st->ct : st->obj };
	size_t n = 0;

	for (size_t i = 0; i < 4; i++)
		if (cand[i] >= 0)
			out[n++] = cand[i];
	return n;
}

/* Whether the statement has a kernel and bound labels to run on; if not,
 * the outcome says why. */
static bool can_run(const struct run *r, struct design_run *d, const struct pidsim_sc_stmt *st)
{
	struct outcome *outcome = &d->outcome;
	int labels[4];
	size_t n = run_used_labels(st, labels);

	if (!d->kernel[st->image]) {
		outcome->how = OUTCOME_NOT_RUN;
		outcome->cause = d->boot_failed[st->image];
		outcome->missing = -1;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		int l = labels[i];
		enum pidsim_sc_label_kind kind = r->sc->labels[l].kind;
		bool bound = kind == PIDSIM_SC_OBJECT ? d->labels[l].obj >= 0 :
			     kind == PIDSIM_SC_IMAGE ? d->labels[l].ckpt.bytes != NULL :
			     d->labels[l].tid != PIDSIM_NO_TASK;

		if (!bound) {
			outcome->how = OUTCOME_NOT_RUN;
			outcome->cause = d->labels[l].unbound_at;
			outcome->missing = l;
			return false;
		}
	}
	return true;
}

/* The number a statement's pid stands for in the caller's view: the raw
 * number, or the number its label has there.  false (and OUTCOME_NO_PID) when
 * the label's task has no number there: invisible, or released. */
static bool pid_number(struct design_run *d, pidsim_kernel *k,
		       const struct pidsim_sc_stmt *st, int *nr)
{
	const struct pidsim_sc_pid *pid = &st->pid;
	pidsim_tid viewer, t;
	int n;

	if (pid->label < 0) {
		*nr = pid->nr;
		return true;
	}
	viewer = pid->ct >= 0 ? d->labels[pid->ct].tid : d->labels[st->who].tid;
	t = d->labels[pid->label].tid;
	n = pidsim_pid_of(k, viewer, t);
	if (n > 0) {
		*nr = n;
		return true;
	}
	if (n == 0 || pidsim_task_state(k, t) < 0) {
		d->outcome.how = OUTCOME_NO_PID;
		d->outcome.missing = pid->label;
		return false;
	}
	/* The viewer makes no calls (it is a zombie).  A container's init is
	 * 1 in its own view; otherwise the call fails on the caller first,
	 * whatever the number. */
	*nr = 1;
	return true;
}

/* ---- The limits of the run ------------------------------------------------- */

size_t run_tasks_on(const pidsim_kernel *k)
{
	struct pidsim_census c;

	pidsim_census_get(k, &c);
	return c.tasks;
}

/* Whether need more tasks, where have are, would pass the task budget; if
 * so the statement does nothing and gives E2BIG, a recorded limit, and
 * the label it would have defined is unbound from this line on. */
bool run_over_budget(const struct run *r, struct design_run *d,
		     const struct pidsim_sc_stmt *st, size_t have, size_t need)
{
	if (have + need <= r->max_tasks)
		return false;
	d->outcome.ret = d->outcome.nr = -E2BIG;
	d->outcome.over = true;
	run_note_limit(d, "max_tasks", (int)r->max_tasks);
	if (st->def >= 0)
		d->labels[st->def].unbound_at = st->line;
	return true;
}

/* Whether the time limit has passed; once it has, it stays passed. */
bool run_out_of_time(struct run *r)
{
	struct timespec now;

	if (r->timed_out || !r->has_deadline)
		return r->timed_out;
	clock_gettime(CLOCK_MONOTONIC, &now);
	r->timed_out = now.tv_sec > r->deadline.tv_sec ||
		       (now.tv_sec == r->deadline.tv_sec &&
			now.tv_nsec >= r->deadline.tv_nsec);
	return r->timed_out;
}

/* An image runs the design under test, or the one its kernel statement
 * names (design D). */
int run_kernel(struct run *r, struct design_run *d, const struct pidsim_sc_stmt *st)
{
	const char *fixed = r->sc->images[st->image].design;
	const struct pidsim_design_info *info =
		fixed[0] ? pidsim_design_find(fixed) : d->info;
	struct pidsim_stats s0 = { 0 };
	pidsim_kernel *k;
	int ret = pidsim_kernel_create(info->name, st->arg, &k);

	d->outcome.ret = ret;
	if (ret) {
		d->boot_failed[st->image] = st->line;
		run_boot_limit(d, info, st->arg, ret);
		return ret == -ENOMEM ? ret : 0;
	}
	d->kernel[st->image] = k;
	run_cost_done(k, &s0, d);
	d->outcome.label = st->def;
	return run_bind_task(r, d, st->def, pidsim_host_init(k));
}

static int run_fork(struct run *r, struct design_run *d, pidsim_kernel *k,
		    const struct pidsim_sc_stmt *st)
{
	pidsim_tid cur = d->labels[st->who].tid, child = PIDSIM_NO_TASK;
	struct pidsim_stats s0;
	int ret, err = 0, ct = -1;

	pidsim_stats_get(k, &s0);
	ret = pidsim_fork(k, cur, (unsigned)st->arg, &child);
	run_cost_done(k, &s0, d);
	d->outcome.ret = d->outcome.nr = ret;
	if (ret < 0) {
		d->labels[st->def].unbound_at = st->line;
		run_fork_limit(d, k, cur, (unsigned)st->arg, ret);
		return ret == -ENOMEM ? ret : 0;
	}
	d->outcome.label = st->def;
	if (st->arg & PIDSIM_CLONE_NEWPID) {
		pidsim_tid pc;

		if (pidsim_container_of(k, cur, &pc) == 0)
			ct = run_label_of(d, st->image, pc);
		d->labels[st->def].parent_ct = ct;
	}
	err = run_bind_task(r, d, st->def, child);
	return err;
}

static void run_wait(struct design_run *d, pidsim_kernel *k, pidsim_tid cur, int nr)
{
	int status = 0;

	d->outcome.ret = d->outcome.nr = pidsim_wait(k, cur, nr, &status);
	d->outcome.status = status;
}

static void run_kill(struct design_run *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st,
		     int nr)
{
	pidsim_tid cur = d->labels[st->who].tid;

	if (st->pid.ct >= 0)
		d->outcome.ret = pidsim_kill_in(k, cur, d->labels[st->pid.ct].tid, nr, st->arg);
	else
		d->outcome.ret = pidsim_kill(k, cur, nr, st->arg);
	d->outcome.nr = d->outcome.ret;
}

/* Fork, exit and reap count children, one at a time: moves the caller's
 * allocator on, as a busy system does between two events.  Needs room for
 * one task under the budget; stops early when the time limit passes. */
static void run_churn(struct run *r, struct design_run *d, pidsim_kernel *k,
		      const struct pidsim_sc_stmt *st, pidsim_tid cur, int count)
{
	int done = 0, ret = 0;

	if (run_over_budget(r, d, st, run_tasks_on(k), 1))
		return;
	while (done < count && ret >= 0) {
		if (done % CHURN_CLOCK == CHURN_CLOCK - 1 && run_out_of_time(r))
			return;
		pidsim_tid c;
		int nr = pidsim_fork(k, cur, 0, &c);

		ret = nr;
		if (nr < 0)
			break;
		ret = pidsim_exit(k, c, 0);
		if (ret >= 0)
			ret = pidsim_wait(k, cur, nr, NULL);
		if (ret >= 0)
			done++;
	}
	d->outcome.ret = ret < 0 ? ret : done;
	d->outcome.nr = done;
	if (ret == -EAGAIN)
		run_fork_limit(d, k, cur, 0, ret);
}

/* ps: room for every task; the count can be no larger. */
static int run_ps(struct design_run *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st)
{
	struct outcome *outcome = &d->outcome;
	pidsim_tid cur = d->labels[st->who].tid;
	struct pidsim_census c;
	int ret;

	pidsim_census_get(k, &c);
	if (c.tasks + 1 > outcome->cap) {
		size_t cap = c.tasks + 1;
		int *p = realloc(outcome->pids, cap * sizeof *p), *l = NULL;
		bool *u = NULL;

		if (p)
			outcome->pids = p;
		if (p && (l = realloc(outcome->plabels, cap * sizeof *l)))
			outcome->plabels = l;
		if (l && (u = realloc(outcome->used, cap * sizeof *u)))
			outcome->used = u;
		if (!u)
			return -ENOMEM;
		outcome->cap = cap;
	}
	if (st->ct >= 0)
		ret = pidsim_ps_in(k, cur, d->labels[st->ct].tid, outcome->pids, outcome->cap);
	else
		ret = pidsim_ps(k, cur, outcome->pids, outcome->cap);
	outcome->ret = outcome->nr = ret;
	outcome->n = ret < 0 ? 0 : (size_t)ret < outcome->cap ? (size_t)ret : outcome->cap;
	return 0;
}

static int run_ref(struct run *r, struct design_run *d, pidsim_kernel *k,
		   const struct pidsim_sc_stmt *st, int nr)
{
	pidsim_tid cur = d->labels[st->who].tid, t = PIDSIM_NO_TASK;
	int ret;

	if (st->pid.ct >= 0)
		ret = pidsim_find_in(k, cur, d->labels[st->pid.ct].tid, nr, &t);
	else
		ret = pidsim_find(k, cur, nr, &t);
	d->outcome.ret = d->outcome.nr = ret;
	if (ret < 0) {
		d->labels[st->def].unbound_at = st->line;
		return 0;
	}
	d->outcome.label = run_label_of(d, st->image, t);
	return run_bind_task(r, d, st->def, t);
}

static void run_resolve(struct design_run *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st)
{
	pidsim_tid t = d->labels[st->pid.label].tid;

	d->outcome.state = pidsim_task_state(k, t);
	d->outcome.nr = pidsim_pid_of(k, d->labels[st->who].tid, t);
	d->outcome.ret = d->outcome.state < 0 ? d->outcome.state : d->outcome.nr;
	d->outcome.label = run_label_of(d, st->image, t);
}

static void run_setown(struct design_run *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st,
		       int nr)
{
	int ret = pidsim_setown(k, d->labels[st->who].tid, nr);

	d->outcome.ret = d->outcome.nr = ret;
	if (ret >= 0)
		d->labels[st->def].obj = ret;
	else
		d->labels[st->def].unbound_at = st->line;
}

/* The kernel an object's statement runs on: the statement's, or the one
 * the object moved to with its owner (migrate). */
static int obj_kernel_of(const struct design_run *d, const struct pidsim_sc_stmt *st)
{
	int moved = d->labels[st->obj].obj_kernel;

	return moved >= 0 ? moved : st->image;
}

static void run_notify(struct design_run *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st)
{
	pidsim_tid to = PIDSIM_NO_TASK;

	if (st->kind == PIDSIM_SC_CLOSE) {
		d->outcome.ret = d->outcome.nr = pidsim_owner_close(k, d->labels[st->obj].obj);
		return;
	}
	d->outcome.ret = d->outcome.nr = pidsim_notify(k, d->labels[st->obj].obj, st->arg, &to);
	d->outcome.label = run_label_of(d, obj_kernel_of(d, st), to);
}

/* The call itself, inside the cost window. */
static int run_call(struct run *r, struct design_run *d, pidsim_kernel *k,
		    const struct pidsim_sc_stmt *st, int nr)
{
	pidsim_tid cur = st->who >= 0 ? d->labels[st->who].tid : PIDSIM_NO_TASK;
	struct outcome *outcome = &d->outcome;

	switch (st->kind) {
	case PIDSIM_SC_EXIT:
		outcome->ret = outcome->nr = pidsim_exit(k, cur, st->arg);
		return 0;
	case PIDSIM_SC_WAIT:
		run_wait(d, k, cur, nr);
		return 0;
	case PIDSIM_SC_KILL:
		run_kill(d, k, st, nr);
		return 0;
	case PIDSIM_SC_GETPID:
		outcome->ret = outcome->nr = pidsim_getpid(k, cur);
		return 0;
	case PIDSIM_SC_GETPPID:
		outcome->ret = outcome->nr = pidsim_getppid(k, cur);
		return 0;
	case PIDSIM_SC_PS:
		return run_ps(d, k, st);
	case PIDSIM_SC_REF:
		return run_ref(r, d, k, st, nr);
	case PIDSIM_SC_RESOLVE:
		run_resolve(d, k, st);
		return 0;
	case PIDSIM_SC_SETOWN:
		run_setown(d, k, st, nr);
		return 0;
	case PIDSIM_SC_NOTIFY: case PIDSIM_SC_CLOSE:
		run_notify(d, k, st);
		return 0;
	case PIDSIM_SC_CHURN:
		run_churn(r, d, k, st, cur, st->arg);
		return 0;
	default:
		return -EINVAL;	/* kernel, fork and expect go elsewhere */
	}
}

/* Name what the call returned: the labels its numbers stand for, and the
 * task a wait released.  Outside the cost window. */
static void name_results(struct design_run *d, const struct pidsim_sc_stmt *st)
{
	struct outcome *outcome = &d->outcome;
	pidsim_tid cur = st->who >= 0 ? d->labels[st->who].tid : PIDSIM_NO_TASK;

	if (st->kind == PIDSIM_SC_GETPID || st->kind == PIDSIM_SC_GETPPID)
		outcome->label = run_label_of_nr(d, st->image, cur, 0, outcome->ret);
	if (st->kind == PIDSIM_SC_WAIT && outcome->ret > 0 && outcome->nr_gone) {
		outcome->label = outcome->gone[0];	/* the one task a wait releases */
		outcome->nr_gone = 0;
	}
	for (size_t i = 0; st->kind == PIDSIM_SC_EXIT && i < outcome->nr_died; i++) {
		if (outcome->died[i] != st->who)
			continue;	/* the caller's own death goes unsaid */
		memmove(outcome->died + i, outcome->died + i + 1,
			(--outcome->nr_died - i) * sizeof *outcome->died);
		break;
	}
	for (size_t i = 0; i < outcome->n; i++)
		outcome->plabels[i] = run_label_of_nr(d, st->image, cur,
						      st->ct >= 0 ? d->labels[st->ct].tid : 0,
					     outcome->pids[i]);
}

/* Run statement st on design d, leaving the outcome in d->outcome. */
int run_stmt(struct run *r, struct design_run *d, const struct pidsim_sc_stmt *st)
{
	struct outcome *outcome = &d->outcome;
	struct pidsim_stats s0;
	pidsim_kernel *k;
	int nr = 0, err;

	*outcome = (struct outcome){ .label = -1, .missing = -1, .pids = outcome->pids,
				.plabels = outcome->plabels, .used = outcome->used,
				.cap = outcome->cap, .died = outcome->died, .gone = outcome->gone };
	if (st->kind == PIDSIM_SC_KERNEL)
		return run_kernel(r, d, st);
	if (!can_run(r, d, st)) {
		if (st->def >= 0)
			d->labels[st->def].unbound_at = outcome->cause;
		return 0;
	}
	k = d->kernel[st->kind == PIDSIM_SC_NOTIFY || st->kind == PIDSIM_SC_CLOSE ?
		      obj_kernel_of(d, st) : st->image];
	pidsim_stats_get(k, &s0);
	outcome->cost.bytes = s0.bytes;	/* what a statement that runs no call shows */
	if (st->kind == PIDSIM_SC_FORK)
		return run_over_budget(r, d, st, run_tasks_on(k), 1) ? 0 : run_fork(r, d, k, st);
	if (st->kind == PIDSIM_SC_CHECKPOINT)
		return run_checkpoint(r, d, k, st);
	if (st->kind == PIDSIM_SC_RESTORE)
		return run_restore(r, d, k, st);
	if (st->kind == PIDSIM_SC_MIGRATE)
		return run_migrate(r, d, k, st);
	if (st->kind != PIDSIM_SC_RESOLVE && !pid_number(d, k, st, &nr)) {
		if (st->def >= 0)
			d->labels[st->def].unbound_at = st->line;
		return 0;
	}
	if (changes_state(st->kind))
		run_effects_before(r, d);
	pidsim_stats_get(k, &s0);
	err = run_call(r, d, k, st, nr);
	run_cost_done(k, &s0, d);
	if (changes_state(st->kind))
		run_effects_after(r, d, st->line);
	name_results(d, st);
	return err;
}

/* ---- The run ---------------------------------------------------------------- */

/* The view column: the container (named by its init) whose numbers the
 * statement reads, on the reference design, before it runs. */
static void name_view(const struct run *r, const struct pidsim_sc_stmt *st,
		      struct sc_row *row)
{
	int view = run_view_of(&r->designs[0], st);
	const char *name = st->kind == PIDSIM_SC_NOTIFY || st->kind == PIDSIM_SC_CLOSE ?
			   "(kernel)" : view >= 0 ? label_name(r, view) : "-";

	snprintf(row->view, sizeof row->view, "%s", name);
}

static int do_stmt(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row)
{
	bool over = false;
	int err;

	name_view(r, st, row);
	for (size_t i = 0; i < r->nr_designs; i++) {
		struct design_run *d = &r->designs[i];

		if (run_out_of_time(r))
			return -ETIMEDOUT;
		err = run_stmt(r, d, st);
		if (err)
			return err;
		if (r->timed_out)	/* churn stopped part way */
			return -ETIMEDOUT;
		row->cells[i] = run_outcome_text(r, d, st, false, true);
		if (!row->cells[i])
			return -ENOMEM;
		row->cost[i] = d->outcome.cost;
		over |= d->outcome.over;
	}
	r->sum.statements++;
	row->has_cost = true;
	if (over && !r->sum.over_budget++)
		r->sum.budget_line = st->line;
	return r->nr_designs < 2 ? 0 : run_compare(r, st, row);
}

/* The task operations a statement is about to make on every design, at
 * most: what decides when the transcript starts to stream. */
static uint64_t work_ahead(const struct run *r, const struct pidsim_sc_stmt *st)
{
	uint64_t w = 0;

	for (size_t i = 0; i < r->nr_designs; i++) {
		const struct design_run *d = &r->designs[i];
		int who = st->who >= 0 ? r->sc->labels[st->who].image : -1;

		w++;
		if (st->kind == PIDSIM_SC_CHURN)
			w += (unsigned)st->arg;
		else if (st->kind == PIDSIM_SC_RESTORE)
			w += d->labels[st->obj].ckpt.nr_tasks;
		else if ((st->kind == PIDSIM_SC_PS || st->kind == PIDSIM_SC_CHECKPOINT ||
			  st->kind == PIDSIM_SC_MIGRATE) && who >= 0 && d->kernel[who])
			w += run_tasks_on(d->kernel[who]);
	}
	return w;
}

/* Statement i: its rows before it go out first if it is the one that
 * makes the run large, and its own row as soon as it has run. */
static int run_one(struct run *r, size_t i)
{
	const struct pidsim_sc_stmt *st = &r->sc->stmts[i];
	struct sc_row *row = &r->tab.rows[i];
	uint64_t ahead = work_ahead(r, st);
	int err;

	if (r->out && !r->streaming && r->work + ahead >= STREAM_WORK) {
		r->streaming = true;
		err = sc_table_print_rows(&r->tab, r->out, i);
		if (err)
			return err;
	}
	r->work += ahead;
	if (run_out_of_time(r))
		return -ETIMEDOUT;
	err = st->kind == PIDSIM_SC_EXPECT ? run_expect(r, st, row) : do_stmt(r, st, row);
	if (err)
		return err;
	r->tab.nr_done = i + 1;
	return r->streaming ? sc_table_print_rows(&r->tab, r->out, i + 1) : 0;
}

static int run_all(struct run *r)
{
	const struct pidsim_scenario *sc = r->sc;
	int err = 0;

	for (size_t i = 0; i < sc->nr_stmts; i++) {
		r->tab.rows[i].line = sc->stmts[i].line;
		r->tab.rows[i].asked = sc_format_alloc(sc, i);
		if (!r->tab.rows[i].asked)
			return -ENOMEM;
	}
	for (size_t i = 0; i < r->nr_designs; i++)
		for (size_t m = 0; m < sc->nr_images && !err; m++)
			if (sc->images[m].stmt == (size_t)-1)	/* the implicit host */
				err = run_kernel(r, &r->designs[i], &(struct pidsim_sc_stmt){
					.kind = PIDSIM_SC_KERNEL, .image = (int)m,
					.def = sc->images[m].init });
	for (size_t i = 0; i < sc->nr_stmts && !err; i++) {
		err = run_one(r, i);
		if (err == -ETIMEDOUT)
			r->sum.stopped_line = sc->stmts[i].line;
	}
	return err;
}

/* The designs to run: one by name, or all. */
static int pick_designs(struct run *r, const char *design)
{
	size_t n = pidsim_design_count();
	bool all = !design || strcmp(design, "all") == 0;

	if (!all && !pidsim_design_find(design))
		return -ENOENT;
	r->nr_designs = all ? n : 1;
	r->designs = calloc(r->nr_designs, sizeof *r->designs);
	if (!r->designs)
		return -ENOMEM;
	for (size_t i = 0; i < r->nr_designs; i++) {
		const struct pidsim_design_info *info =
			all ? pidsim_design_at(i) : pidsim_design_find(design);
		int err = run_design_init(&r->designs[i], info, r->sc->nr_labels);

		if (err)
			return err;
	}
	return 0;
}

static void totals(struct run *r)
{
	for (size_t i = 0; i < r->nr_designs; i++) {
		struct sc_cost *t = &r->tab.total[i];

		r->tab.peak[i] = r->designs[i].peak;
		for (size_t s = 0; s < r->tab.nr_done; s++) {
			const struct sc_cost *c = &r->tab.rows[s].cost[i];

			if (!r->tab.rows[s].has_cost)
				continue;
			run_cost_sum(t, c);
			t->bytes = c->bytes;
		}
	}
}

/* Run r->sc on design ("all" or a name): the designs, the table, every
 * statement.  run_fini() undoes it, whatever it returned. */
static int run_start(struct run *r, const char *design)
{
	int err = pick_designs(r, design);

	r->sum.max_tasks = r->max_tasks;
	if (!err)
		err = sc_table_init(&r->tab, r->sc->nr_stmts, r->nr_designs);
	for (size_t i = 0; !err && i < r->nr_designs; i++)
		r->tab.designs[i] = r->designs[i].info;
	r->tab_ok = !err;
	if (!err)
		err = run_all(r);
	r->sum.designs = r->nr_designs;
	return err;
}

static void run_fini(struct run *r)
{
	for (size_t i = 0; r->designs && i < r->nr_designs; i++)
		run_design_fini(&r->designs[i]);
	free(r->designs);
	sc_table_free(&r->tab);
}

int pidsim_sc_run_opts(const struct pidsim_scenario *sc,
		       const struct pidsim_sc_opts *opts, FILE *out,
		       struct pidsim_sc_summary *sum)
{
	static const struct pidsim_sc_opts defaults = { 0 };
	struct run r = { .sc = sc, .out = out };
	int err, perr;

	if (!opts)
		opts = &defaults;
	if (!sc || opts->max_tasks > INT_MAX)
		return -EINVAL;
	r.max_tasks = opts->max_tasks ? opts->max_tasks : PIDSIM_SC_MAX_TASKS_DEFAULT;
	if (opts->timeout_ms) {
		clock_gettime(CLOCK_MONOTONIC, &r.deadline);
		r.deadline.tv_sec += (time_t)(opts->timeout_ms / 1000);
		r.deadline.tv_nsec += (long)(opts->timeout_ms % 1000) * 1000000L;
		if (r.deadline.tv_nsec >= 1000000000L) {
			r.deadline.tv_sec++;
			r.deadline.tv_nsec -= 1000000000L;
		}
		r.has_deadline = true;
	}
	err = run_start(&r, opts->design);
	if (out && r.tab_ok) {	/* the rows that ran, whatever came after */
		perr = sc_table_print_rows(&r.tab, out, r.tab.nr_done);
		if (!err || err == -ETIMEDOUT) {
			totals(&r);
			sc_table_print_end(&r.tab, out, opts->flags, &r.sum);
			perr = fflush(out) || ferror(out) ? -EIO : perr;
		}
		if (!err || (err == -ETIMEDOUT && perr))
			err = perr;
	}
	if ((!err || err == -ETIMEDOUT) && sum)
		*sum = r.sum;
	run_fini(&r);
	return err;
}

int pidsim_sc_run(const struct pidsim_scenario *sc, const char *design,
		  unsigned flags, FILE *out, struct pidsim_sc_summary *sum)
{
	struct pidsim_sc_opts opts = { .design = design, .flags = flags };

	return pidsim_sc_run_opts(sc, &opts, out, sum);
}

int pidsim_sc_run_image(const struct pidsim_scenario *sc, const char *design,
			const char *image, void **buf, size_t *len,
			struct pidsim_sc_summary *sum)
{
	struct run r = { .sc = sc, .max_tasks = PIDSIM_SC_MAX_TASKS_DEFAULT };
	struct held_ckpt *ckpt;
	int l, err;

	if (!sc || !design || !image || !buf || !len)
		return -EINVAL;
	l = sc_names_find(sc, image, strlen(image));
	if (l < 0 || sc->labels[l].kind != PIDSIM_SC_IMAGE ||
	    strcmp(design, "all") == 0)
		return -ENOENT;
	err = run_start(&r, design);
	ckpt = err ? NULL : &r.designs[0].labels[l].ckpt;
	if (ckpt && !ckpt->bytes)
		err = -ESRCH;
	if (!err) {
		*buf = ckpt->bytes;
		*len = ckpt->len;
		ckpt->bytes = NULL;
		if (sum)
			*sum = r.sum;
	}
	run_fini(&r);
	return err;
}
