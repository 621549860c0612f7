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
#include "scenario.h"

enum { OC_RAN, OC_NOTRUN, OC_NOPID };

#define MAX_EFFECTS 8	/* labels a cell lists as died or gone */

/* Task operations (a fork, a task listed or checkpointed or restored) a
 * run may make before its transcript streams: below it, a run takes
 * milliseconds and prints one table aligned over every row when it ends;
 * from it on, each row is printed and flushed as its statement finishes. */
#define STREAM_WORK PIDSIM_SC_STREAM_WORK

/* How often churn looks at the clock, in iterations. */
#define CHURN_CLOCK 256

/* What one statement gave on one design. */
struct outcome {
	int how;		/* OC_* */
	unsigned cause;		/* OC_NOTRUN: the line that left nothing to run on */
	int missing;		/* OC_NOTRUN, OC_NOPID: the label; -1: the kernel */
	int ret;		/* the call's return value */
	int nr;			/* the number shown: a pid, a count */
	int label;		/* the task the result names; -1 */
	int status;		/* wait: the wait status */
	int state;		/* resolve: pidsim_task_state() */
	size_t bytes;		/* checkpoint: the image's size */
	char limit[64];		/* a limit the design records; "" */
	bool over;		/* the task budget refused the statement */
	int *pids, *plabels;	/* ps: the pids and the labels they name */
	bool *used;		/* ps: scratch for matching an expected list */
	size_t n, cap;
	int *died, *gone;	/* labels that became zombies / were released */
	size_t nr_died, nr_gone;
	struct sc_cost cost;
};

/* A task a restore made, shown by the label of the task it was
 * checkpointed from; its deaths and release are effects as a label's are. */
struct shadow {
	pidsim_tid t;
	int image, label, before;
};

/* One design's run. */
struct drun {
	const struct pidsim_design_info *info;
	pidsim_kernel *k[PIDSIM_SC_MAX_IMAGES];
	unsigned kdown[PIDSIM_SC_MAX_IMAGES];	/* line its boot failed */
	pidsim_tid *tid;	/* per label: its task; PIDSIM_NO_TASK: unbound */
	int *obj;		/* per label: its object id; -1: unbound */
	void **img;		/* per label: a checkpoint's bytes; NULL: none */
	size_t *img_len;
	int **img_lab;		/* per label: its tasks' labels, image order */
	int *oimg;		/* per object label: the kernel image its object
				 * moved to (migrate); -1: its own */
	struct shadow *sh;	/* restored tasks shown by a label */
	size_t nr_sh, cap_sh;
	bool *nested;		/* per container init: a restore nested a
				 * container in it */
	size_t *img_n;		/* per label: its tasks */
	bool *img_tree;		/* per label: a tree image (a restore as a
				 * container adds an init) */
	size_t img_tasks;	/* tasks in every image held: the budget's */
	size_t nlabels;
	unsigned *unbound;	/* per label: the line that failed to bind it */
	int *before;		/* per label: state before the statement */
	unsigned *death;	/* per label: the line its task died at; 0 */
	int *pct;		/* per container init: its parent container; -1 */
	int *live;		/* task labels whose task may exist */
	size_t nr_live;
	struct sc_tidmap names[PIDSIM_SC_MAX_IMAGES];	/* per image: handle -> label */
	unsigned taint;		/* line its state left the reference's; 0 */
	unsigned *split;	/* per label: the line its state left the
				 * reference's, before the current statement; 0 */
	struct outcome oc;
	uint64_t peak;
};

struct run {
	const struct pidsim_scenario *sc;
	struct drun *d;
	size_t nd;
	struct sc_table tab;
	struct pidsim_sc_summary sum;
	FILE *out;		/* the transcript; NULL: none */
	unsigned max_tasks;	/* the task budget */
	bool has_deadline;
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	bool timed_out;
	bool tab_ok;		/* the table is set up: it can be printed */
	bool streaming;		/* rows go out as they finish */
	uint64_t work;		/* task operations so far (STREAM_WORK) */
};

/* ---- Set-up ------------------------------------------------------------- */

static int drun_init(struct drun *d, const struct pidsim_design_info *info,
		     size_t nl)
{
	size_t n = nl ? nl : 1;

	d->info = info;
	d->nlabels = n;
	d->tid = calloc(n, sizeof *d->tid);
	d->obj = malloc(n * sizeof *d->obj);
	d->img = calloc(n, sizeof *d->img);
	d->img_len = calloc(n, sizeof *d->img_len);
	d->img_lab = calloc(n, sizeof *d->img_lab);
	d->oimg = malloc(n * sizeof *d->oimg);
	d->nested = calloc(n, sizeof *d->nested);
	d->img_n = calloc(n, sizeof *d->img_n);
	d->img_tree = calloc(n, sizeof *d->img_tree);
	d->unbound = calloc(n, sizeof *d->unbound);
	d->before = calloc(n, sizeof *d->before);
	d->death = calloc(n, sizeof *d->death);
	d->split = calloc(n, sizeof *d->split);
	d->pct = malloc(n * sizeof *d->pct);
	d->live = malloc(n * sizeof *d->live);
	d->oc.died = malloc(n * sizeof *d->oc.died);
	d->oc.gone = malloc(n * sizeof *d->oc.gone);
	if (!d->tid || !d->obj || !d->unbound || !d->before || !d->death ||
	    !d->split || !d->pct || !d->live || !d->oc.died || !d->oc.gone ||
	    !d->img || !d->img_len || !d->img_lab || !d->img_n || !d->img_tree ||
	    !d->oimg || !d->nested)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		d->obj[i] = d->pct[i] = d->oimg[i] = -1;
	return 0;
}

static void drun_fini(struct drun *d)
{
	for (size_t i = 0; i < PIDSIM_SC_MAX_IMAGES; i++)
		pidsim_kernel_destroy(d->k[i]);
	free(d->tid);
	free(d->obj);
	for (size_t i = 0; d->img && i < d->nlabels; i++)
		pidsim_image_free(d->img[i]);
	for (size_t i = 0; d->img_lab && i < d->nlabels; i++)
		free(d->img_lab[i]);
	free(d->img);
	free(d->img_len);
	free(d->img_lab);
	free(d->img_n);
	free(d->img_tree);
	free(d->oimg);
	free(d->sh);
	free(d->nested);
	free(d->unbound);
	free(d->before);
	free(d->death);
	free(d->split);
	free(d->pct);
	free(d->live);
	free(d->oc.died);
	free(d->oc.gone);
	free(d->oc.pids);
	free(d->oc.plabels);
	free(d->oc.used);
	for (size_t i = 0; i < PIDSIM_SC_MAX_IMAGES; i++)
		sc_tidmap_free(&d->names[i]);
}

/* ---- Labels and handles ----------------------------------------------------- */

static bool is_task_label(const struct run *r, int label)
{
	return r->sc->labels[label].kind == PIDSIM_SC_TASK;
}

static const char *lname(const struct run *r, int label)
{
	return r->sc->labels[label].name;
}

/* The task label a handle of image belongs to, or -1.  (Handles are per
 * image: two images may hand out the same value.) */
static int label_of(const struct drun *d, int image, pidsim_tid t)
{
	return sc_tidmap_get(&d->names[image], t);
}

/* A new task under its label: it is looked up by handle from now on. */
static int bind_task(struct run *r, struct drun *d, int label, pidsim_tid t)
{
	d->tid[label] = t;
	if (!is_task_label(r, label))
		return 0;
	d->live[d->nr_live++] = label;
	return sc_tidmap_put(&d->names[r->sc->labels[label].image], t, label);
}

/* The label that cur sees as nr names, or -1; not counted as cost. */
static int label_of_nr(struct drun *d, int image, pidsim_tid cur,
		       pidsim_tid ct, int nr)
{
	pidsim_kernel *k = d->k[image];
	pidsim_tid t;
	int err;

	if (nr <= 0)
		return -1;
	err = ct ? pidsim_find_in(k, cur, ct, nr, &t) : pidsim_find(k, cur, nr, &t);
	return err ? -1 : label_of(d, image, t);
}

/* ---- Costs --------------------------------------------------------------- */

static void cost_done(pidsim_kernel *k, const struct pidsim_stats *s0,
		      struct drun *d)
{
	struct pidsim_stats s;

	pidsim_stats_get(k, &s);
	d->oc.cost = (struct sc_cost){
		.lookups = s.lookups - s0->lookups,
		.conversions = s.conversions - s0->conversions,
		.hash_probes = s.hash_probes - s0->hash_probes,
		.bytes = s.bytes,
	};
	if (s.peak_bytes > d->peak)
		d->peak = s.peak_bytes;
}

/* ---- Effects: which labelled tasks a statement killed or released ----------- */

static bool changes_state(enum pidsim_sc_kind kind)
{
	return kind == PIDSIM_SC_EXIT || kind == PIDSIM_SC_WAIT ||
	       kind == PIDSIM_SC_KILL || kind == PIDSIM_SC_NOTIFY ||
	       kind == PIDSIM_SC_CHURN || kind == PIDSIM_SC_MIGRATE;
}

static int task_state(const struct run *r, const struct drun *d, int label)
{
	pidsim_kernel *k = d->k[r->sc->labels[label].image];

	return k && d->tid[label] ? pidsim_task_state(k, d->tid[label]) : 0;
}

static void effects_before(const struct run *r, struct drun *d)
{
	for (size_t i = 0; i < d->nr_live; i++)
		d->before[d->live[i]] = task_state(r, d, d->live[i]);
	for (size_t i = 0; i < d->nr_sh; i++)
		d->sh[i].before = pidsim_task_state(d->k[d->sh[i].image], d->sh[i].t);
}

/* The same for the tasks restores made; a label's lists have room for
 * one entry per label. */
static void shadow_effects(struct drun *d)
{
	struct outcome *oc = &d->oc;
	size_t kept = 0;

	for (size_t i = 0; i < d->nr_sh; i++) {
		struct shadow *sh = &d->sh[i];
		int now = pidsim_task_state(d->k[sh->image], sh->t);

		if (now < 0 && oc->nr_gone < d->nlabels)
			oc->gone[oc->nr_gone++] = sh->label;
		else if (now == PIDSIM_ZOMBIE && sh->before == PIDSIM_RUNNING &&
			 oc->nr_died < d->nlabels)
			oc->died[oc->nr_died++] = sh->label;
		if (now >= 0)
			d->sh[kept++] = *sh;
	}
	d->nr_sh = kept;
}

/* Compare with effects_before(), note when each task died (two designs
 * whose tasks died at different lines have diverged, even if the tasks
 * are all zombies now), and drop released tasks from live. */
static void effects_after(const struct run *r, struct drun *d, unsigned line)
{
	struct outcome *oc = &d->oc;
	size_t kept = 0;

	for (size_t i = 0; i < d->nr_live; i++) {
		int l = d->live[i], now = task_state(r, d, l);

		if (now < 0)
			oc->gone[oc->nr_gone++] = l;
		else if (now == PIDSIM_ZOMBIE && d->before[l] == PIDSIM_RUNNING)
			oc->died[oc->nr_died++] = l;
		if (now != d->before[l] && d->before[l] == PIDSIM_RUNNING)
			d->death[l] = line;
		if (now >= 0)
			d->live[kept++] = l;
	}
	d->nr_live = kept;
	shadow_effects(d);
}

/* ---- Running one statement ------------------------------------------------- */

/* Every label the statement uses, for the check that each is bound. */
static size_t used_labels(const struct pidsim_sc_stmt *st, int out[4])
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
static bool can_run(const struct run *r, struct drun *d, const struct pidsim_sc_stmt *st)
{
	struct outcome *oc = &d->oc;
	int labels[4];
	size_t n = used_labels(st, labels);

	if (!d->k[st->image]) {
		oc->how = OC_NOTRUN;
		oc->cause = d->kdown[st->image];
		oc->missing = -1;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		int l = labels[i];
		enum pidsim_sc_label_kind kind = r->sc->labels[l].kind;
		bool bound = kind == PIDSIM_SC_OBJECT ? d->obj[l] >= 0 :
			     kind == PIDSIM_SC_IMAGE ? d->img[l] != NULL :
			     d->tid[l] != PIDSIM_NO_TASK;

		if (!bound) {
			oc->how = OC_NOTRUN;
			oc->cause = d->unbound[l];
			oc->missing = l;
			return false;
		}
	}
	return true;
}

/* The number a statement's pid stands for in the caller's view: the raw
 * number, or the number its label has there.  false (and OC_NOPID) when
 * the label's task has no number there: invisible, or released. */
static bool pid_number(struct drun *d, pidsim_kernel *k,
		       const struct pidsim_sc_stmt *st, int *nr)
{
	const struct pidsim_sc_pid *pid = &st->pid;
	pidsim_tid viewer, t;
	int n;

	if (pid->label < 0) {
		*nr = pid->nr;
		return true;
	}
	viewer = pid->ct >= 0 ? d->tid[pid->ct] : d->tid[st->who];
	t = d->tid[pid->label];
	n = pidsim_pid_of(k, viewer, t);
	if (n > 0) {
		*nr = n;
		return true;
	}
	if (n == 0 || pidsim_task_state(k, t) < 0) {
		d->oc.how = OC_NOPID;
		d->oc.missing = pid->label;
		return false;
	}
	/* The viewer makes no calls (it is a zombie).  A container's init is
	 * 1 in its own view; otherwise the call fails on the caller first,
	 * whatever the number. */
	*nr = 1;
	return true;
}

/* Record that the outcome is a limit the design states: "max_level 32". */
static void note_limit(struct drun *d, const char *what, int v)
{
	if (v >= 0)
		snprintf(d->oc.limit, sizeof d->oc.limit, "%s %d", what, v);
	else
		snprintf(d->oc.limit, sizeof d->oc.limit, "%s", what);
}

/* ---- The limits of the run ------------------------------------------------- */

static size_t tasks_on(const pidsim_kernel *k)
{
	struct pidsim_census c;

	pidsim_census_get(k, &c);
	return c.tasks;
}

/* Whether need more tasks, where have are, would pass the task budget; if
 * so the statement does nothing and gives E2BIG, a recorded limit, and
 * the label it would have defined is unbound from this line on. */
static bool over_budget(const struct run *r, struct drun *d,
			const struct pidsim_sc_stmt *st, size_t have, size_t need)
{
	if (have + need <= r->max_tasks)
		return false;
	d->oc.ret = d->oc.nr = -E2BIG;
	d->oc.over = true;
	note_limit(d, "max_tasks", (int)r->max_tasks);
	if (st->def >= 0)
		d->unbound[st->def] = st->line;
	return true;
}

/* Whether the time limit has passed; once it has, it stays passed. */
static bool out_of_time(struct run *r)
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

/* Whether a fork(flags) by cur in a container is below the pid_max the
 * design needs there (min_ct_pid_max). */
static bool below_min_ct_pid_max(pidsim_kernel *k, pidsim_tid cur, unsigned flags)
{
	const struct pidsim_design_info *info = pidsim_kernel_design(k);

	return !(flags & PIDSIM_CLONE_NEWPID) && info->min_ct_pid_max &&
	       pidsim_kernel_pid_max(k) < info->min_ct_pid_max &&
	       pidsim_level_of(k, cur) > 0;
}

/* Whether a failed fork hit a limit the design records. */
static void fork_limit(struct drun *d, pidsim_kernel *k, pidsim_tid cur,
		       unsigned flags, int ret)
{
	const struct pidsim_design_info *info = pidsim_kernel_design(k);
	struct pidsim_census c;

	pidsim_census_get(k, &c);
	if ((flags & PIDSIM_CLONE_NEWPID) && ret == info->level_errno &&
	    pidsim_level_of(k, cur) >= info->max_level)
		note_limit(d, "max_level", info->max_level);
	else if ((flags & PIDSIM_CLONE_NEWPID) && ret == -EAGAIN &&
		 info->max_containers && c.containers - 1 >= info->max_containers)
		note_limit(d, "max_containers", (int)info->max_containers);
	else if (ret == -EAGAIN && below_min_ct_pid_max(k, cur, flags))
		note_limit(d, "min_ct_pid_max", info->min_ct_pid_max);
	else if (ret == -EAGAIN && (info->flags & PIDSIM_D_SHARED_RANGE))
		note_limit(d, "shared pid range full", -1);
}

/* An image runs the design under test, or the one its kernel statement
 * names (design D). */
static int run_kernel(struct run *r, struct drun *d, const struct pidsim_sc_stmt *st)
{
	const char *fixed = r->sc->images[st->image].design;
	const struct pidsim_design_info *info =
		fixed[0] ? pidsim_design_find(fixed) : d->info;
	struct pidsim_stats s0 = { 0 };
	pidsim_kernel *k;
	int ret = pidsim_kernel_create(info->name, st->arg, &k);

	d->oc.ret = ret;
	if (ret) {
		d->kdown[st->image] = st->line;
		if (ret == -EINVAL && st->arg > info->max_pid_max)
			note_limit(d, "max_pid_max", info->max_pid_max);
		return ret == -ENOMEM ? ret : 0;
	}
	d->k[st->image] = k;
	cost_done(k, &s0, d);
	d->oc.label = st->def;
	return bind_task(r, d, st->def, pidsim_host_init(k));
}

static int run_fork(struct run *r, struct drun *d, pidsim_kernel *k,
		    const struct pidsim_sc_stmt *st)
{
	pidsim_tid cur = d->tid[st->who], child = PIDSIM_NO_TASK;
	struct pidsim_stats s0;
	int ret, err = 0, ct = -1;

	pidsim_stats_get(k, &s0);
	ret = pidsim_fork(k, cur, (unsigned)st->arg, &child);
	cost_done(k, &s0, d);
	d->oc.ret = d->oc.nr = ret;
	if (ret < 0) {
		d->unbound[st->def] = st->line;
		fork_limit(d, k, cur, (unsigned)st->arg, ret);
		return ret == -ENOMEM ? ret : 0;
	}
	d->oc.label = st->def;
	if (st->arg & PIDSIM_CLONE_NEWPID) {
		pidsim_tid pc;

		if (pidsim_container_of(k, cur, &pc) == 0)
			ct = label_of(d, st->image, pc);
		d->pct[st->def] = ct;
	}
	err = bind_task(r, d, st->def, child);
	return err;
}

static void run_wait(struct drun *d, pidsim_kernel *k, pidsim_tid cur, int nr)
{
	int status = 0;

	d->oc.ret = d->oc.nr = pidsim_wait(k, cur, nr, &status);
	d->oc.status = status;
}

static void run_kill(struct drun *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st,
		     int nr)
{
	pidsim_tid cur = d->tid[st->who];

	if (st->pid.ct >= 0)
		d->oc.ret = pidsim_kill_in(k, cur, d->tid[st->pid.ct], nr, st->arg);
	else
		d->oc.ret = pidsim_kill(k, cur, nr, st->arg);
	d->oc.nr = d->oc.ret;
}

/* Fork, exit and reap count children, one at a time: moves the caller's
 * allocator on, as a busy system does between two events.  Needs room for
 * one task under the budget; stops early when the time limit passes. */
static void run_churn(struct run *r, struct drun *d, pidsim_kernel *k,
		      const struct pidsim_sc_stmt *st, pidsim_tid cur, int count)
{
	int done = 0, ret = 0;

	if (over_budget(r, d, st, tasks_on(k), 1))
		return;
	while (done < count && ret >= 0) {
		if (done % CHURN_CLOCK == CHURN_CLOCK - 1 && out_of_time(r))
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
	d->oc.ret = ret < 0 ? ret : done;
	d->oc.nr = done;
	if (ret == -EAGAIN)
		fork_limit(d, k, cur, 0, ret);
}

/* ps: room for every task; the count can be no larger. */
static int run_ps(struct drun *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st)
{
	struct outcome *oc = &d->oc;
	pidsim_tid cur = d->tid[st->who];
	struct pidsim_census c;
	int ret;

	pidsim_census_get(k, &c);
	if (c.tasks + 1 > oc->cap) {
		size_t cap = c.tasks + 1;
		int *p = realloc(oc->pids, cap * sizeof *p), *l = NULL;
		bool *u = NULL;

		if (p)
			oc->pids = p;
		if (p && (l = realloc(oc->plabels, cap * sizeof *l)))
			oc->plabels = l;
		if (l && (u = realloc(oc->used, cap * sizeof *u)))
			oc->used = u;
		if (!u)
			return -ENOMEM;
		oc->cap = cap;
	}
	if (st->ct >= 0)
		ret = pidsim_ps_in(k, cur, d->tid[st->ct], oc->pids, oc->cap);
	else
		ret = pidsim_ps(k, cur, oc->pids, oc->cap);
	oc->ret = oc->nr = ret;
	oc->n = ret < 0 ? 0 : (size_t)ret < oc->cap ? (size_t)ret : oc->cap;
	return 0;
}

static int run_ref(struct run *r, struct drun *d, pidsim_kernel *k,
		   const struct pidsim_sc_stmt *st, int nr)
{
	pidsim_tid cur = d->tid[st->who], t = PIDSIM_NO_TASK;
	int ret;

	if (st->pid.ct >= 0)
		ret = pidsim_find_in(k, cur, d->tid[st->pid.ct], nr, &t);
	else
		ret = pidsim_find(k, cur, nr, &t);
	d->oc.ret = d->oc.nr = ret;
	if (ret < 0) {
		d->unbound[st->def] = st->line;
		return 0;
	}
	d->oc.label = label_of(d, st->image, t);
	return bind_task(r, d, st->def, t);
}

static void run_resolve(struct drun *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st)
{
	pidsim_tid t = d->tid[st->pid.label];

	d->oc.state = pidsim_task_state(k, t);
	d->oc.nr = pidsim_pid_of(k, d->tid[st->who], t);
	d->oc.ret = d->oc.state < 0 ? d->oc.state : d->oc.nr;
	d->oc.label = label_of(d, st->image, t);
}

static void run_setown(struct drun *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st,
		       int nr)
{
	int ret = pidsim_setown(k, d->tid[st->who], nr);

	d->oc.ret = d->oc.nr = ret;
	if (ret >= 0)
		d->obj[st->def] = ret;
	else
		d->unbound[st->def] = st->line;
}

static void run_notify(struct drun *d, pidsim_kernel *k, const struct pidsim_sc_stmt *st)
{
	int image = d->oimg[st->obj] >= 0 ? d->oimg[st->obj] : st->image;
	pidsim_tid to = PIDSIM_NO_TASK;

	if (st->kind == PIDSIM_SC_CLOSE) {
		d->oc.ret = d->oc.nr = pidsim_owner_close(k, d->obj[st->obj]);
		return;
	}
	d->oc.ret = d->oc.nr = pidsim_notify(k, d->obj[st->obj], st->arg, &to);
	d->oc.label = label_of(d, image, to);
}

/* ---- Migration (pidsim_image.h) ---------------------------------------------- */

/* Add what k counted since s0 to the statement's cost (a migrate counts
 * on both images). */
static void cost_add(pidsim_kernel *k, const struct pidsim_stats *s0, struct drun *d)
{
	struct pidsim_stats s;

	pidsim_stats_get(k, &s);
	d->oc.cost.lookups += s.lookups - s0->lookups;
	d->oc.cost.conversions += s.conversions - s0->conversions;
	d->oc.cost.hash_probes += s.hash_probes - s0->hash_probes;
	if (s.peak_bytes > d->peak)
		d->peak = s.peak_bytes;
}

/* Whether a failed restore hit a limit the target's design records. */
static void restore_limit(struct drun *d, pidsim_kernel *k, int ret)
{
	const struct pidsim_design_info *info = pidsim_kernel_design(k);

	if (ret == info->level_errno)
		note_limit(d, "max_level", info->max_level);
	else if (ret == -EAGAIN && info->max_containers)
		note_limit(d, "max_containers", (int)info->max_containers);
	else if (ret == -EAGAIN && (info->flags & PIDSIM_D_SHARED_RANGE))
		note_limit(d, "shared pid range full", -1);
}

/* Room for the handles of a tree of k: no more than k's tasks. */
static pidsim_tid *tree_room(pidsim_kernel *k, struct pidsim_tree *tree)
{
	struct pidsim_census c;

	pidsim_census_get(k, &c);
	tree->cap = c.tasks;
	return calloc(c.tasks ? c.tasks : 1, sizeof(pidsim_tid));
}

/* The labels of a checkpointed tree's tasks, in image order (-1: none),
 * so that the tasks a restore makes of them can be shown by them. */
static int *tree_labels(const struct drun *d, int image, const struct pidsim_tree *tree)
{
	int *lab = malloc((tree->nr_tasks ? tree->nr_tasks : 1) * sizeof *lab);

	for (size_t i = 0; lab && i < tree->nr_tasks; i++)
		lab[i] = label_of(d, image, tree->src[i]);
	return lab;
}

/* Show the tasks a restore made by the labels of the tasks they were
 * checkpointed from (the top keeps the statement's own label). */
static int name_restored(struct drun *d, int image, const int *lab, size_t n,
			 const struct pidsim_tree *tree)
{
	pidsim_tid ct, top_ct = PIDSIM_NO_TASK;
	int view;

	/* A container restored inside another: the view it was restored
	 * in has containers nested in it now. */
	pidsim_container_of(d->k[image], tree->top, &top_ct);
	view = label_of(d, image, top_ct);
	for (size_t i = 0; view >= 0 && i < tree->nr_tasks && i < tree->cap; i++)
		if (tree->dst[i] != tree->top &&
		    pidsim_container_of(d->k[image], tree->dst[i], &ct) == 0 &&
		    ct == tree->dst[i])
			d->nested[view] = true;
	for (size_t i = 0; lab && i < n && i < tree->nr_tasks; i++) {
		if (lab[i] < 0 || tree->dst[i] == tree->top)
			continue;
		if (sc_tidmap_put(&d->names[image], tree->dst[i], lab[i]))
			return -ENOMEM;
		if (d->nr_sh == d->cap_sh) {
			size_t cap = d->cap_sh ? 2 * d->cap_sh : 16;
			struct shadow *p = realloc(d->sh, cap * sizeof *p);

			if (!p)
				return -ENOMEM;
			d->sh = p;
			d->cap_sh = cap;
		}
		d->sh[d->nr_sh++] = (struct shadow){ tree->dst[i], image, lab[i], 0 };
	}
	return 0;
}

static int run_checkpoint(const struct run *r, struct drun *d, pidsim_kernel *k,
			  const struct pidsim_sc_stmt *st)
{
	unsigned what = (unsigned)st->arg & PIDSIM_SC_TREE ? PIDSIM_CKPT_TREE
							    : PIDSIM_CKPT_CONTAINER;
	struct pidsim_tree tree = { 0 };
	struct pidsim_stats s0;
	void *img = NULL;
	size_t len = 0;
	int ret;

	tree.src = tree_room(k, &tree);
	if (!tree.src)
		return -ENOMEM;
	pidsim_stats_get(k, &s0);
	ret = pidsim_checkpoint(k, d->tid[st->who], d->tid[st->pid.label], what,
				&img, &len, &tree);
	cost_done(k, &s0, d);
	d->oc.ret = d->oc.nr = ret < 0 ? ret : (int)tree.nr_tasks;
	if (ret < 0) {
		free(tree.src);
		d->unbound[st->def] = st->line;
		return ret == -ENOMEM ? ret : 0;
	}
	if (over_budget(r, d, st, d->img_tasks, tree.nr_tasks)) {
		pidsim_image_free(img);
		free(tree.src);
		return 0;
	}
	d->img[st->def] = img;
	d->img_len[st->def] = len;
	d->img_lab[st->def] = tree_labels(d, st->image, &tree);
	d->img_n[st->def] = tree.nr_tasks;
	d->img_tree[st->def] = what == PIDSIM_CKPT_TREE;
	d->img_tasks += tree.nr_tasks;
	d->oc.bytes = len;
	free(tree.src);
	return d->img_lab[st->def] ? 0 : -ENOMEM;
}

/* What a restore or a migrate gave: the top's number in the view it was
 * restored under, bound to the statement's label; or why not. */
static int restored(struct run *r, struct drun *d, pidsim_kernel *k,
		    const struct pidsim_sc_stmt *st, int ret, pidsim_tid top)
{
	pidsim_tid parent = d->tid[st->kind == PIDSIM_SC_MIGRATE ? st->ct : st->who];
	pidsim_tid ct, pc;
	int view;

	d->oc.ret = d->oc.nr = ret;
	if (ret < 0) {
		if (st->def >= 0)
			d->unbound[st->def] = st->line;
		restore_limit(d, k, ret);
		return ret == -ENOMEM ? ret : 0;
	}
	/* A new container: its parent's view has a container nested in it. */
	if (pidsim_container_of(k, top, &ct) == 0 && ct == top &&
	    pidsim_container_of(k, parent, &pc) == 0 &&
	    (view = label_of(d, st->image, pc)) >= 0)
		d->nested[view] = true;
	if (st->def < 0)
		return 0;
	d->oc.label = st->def;
	return bind_task(r, d, st->def, top);
}

/* The stored owners that moved with a migrated tree: their labels name the
 * new objects on the target from now on. */
static void move_objects(const struct run *r, struct drun *d, int from, int to,
			 const struct pidsim_tree *tree)
{
	for (size_t i = 0; i < tree->nr_objs && i < tree->obj_cap; i++) {
		for (size_t l = 0; l < r->sc->nr_labels; l++) {
			int at = d->oimg[l] >= 0 ? d->oimg[l] : r->sc->labels[l].image;

			if (r->sc->labels[l].kind != PIDSIM_SC_OBJECT || at != from ||
			    d->obj[l] != tree->src_obj[i])
				continue;
			d->obj[l] = tree->dst_obj[i];
			d->oimg[l] = to;
			break;
		}
	}
}

/* Whether the tree a migrate copies onto k before it releases it on src
 * would pass the task budget there.  The tree is at most src's tasks but
 * host init; only when that bound does not fit is it counted, by a
 * checkpoint outside the statement's cost window (changing nothing but
 * src's counters). */
static bool migrate_over_budget(const struct run *r, struct drun *d, pidsim_kernel *k,
				pidsim_kernel *src, const struct pidsim_sc_stmt *st,
				unsigned what, unsigned mode)
{
	size_t init = what == PIDSIM_CKPT_TREE && mode == PIDSIM_RESTORE_CONTAINER;
	struct pidsim_tree tree = { 0 };
	void *img = NULL;
	size_t len;

	if (tasks_on(k) + tasks_on(src) - 1 + init <= r->max_tasks)
		return false;
	if (pidsim_checkpoint(src, d->tid[st->who], d->tid[st->pid.label], what,
			      &img, &len, &tree) < 0)
		return false;	/* the migrate fails on its own */
	pidsim_image_free(img);
	return over_budget(r, d, st, tasks_on(k), tree.nr_tasks + init);
}

/* checkpoint, restore, migrate: k is the image the statement's result is
 * read on (the target of a migrate). */
static int run_migration(struct run *r, struct drun *d, pidsim_kernel *k,
			 const struct pidsim_sc_stmt *st)
{
	unsigned what = (unsigned)st->arg & PIDSIM_SC_TREE ? PIDSIM_CKPT_TREE
							    : PIDSIM_CKPT_CONTAINER;
	unsigned mode = (unsigned)st->arg & PIDSIM_SC_INTO ? PIDSIM_RESTORE_INTO
							    : PIDSIM_RESTORE_CONTAINER;
	int si = r->sc->labels[st->who].image;
	pidsim_kernel *src = d->k[si];
	struct pidsim_tree tree = { 0 };
	struct pidsim_stats s0, s0src;
	int ret, err, *lab = NULL;

	if (st->kind == PIDSIM_SC_CHECKPOINT)
		return run_checkpoint(r, d, k, st);
	tree.dst = tree_room(st->kind == PIDSIM_SC_RESTORE ? k : src, &tree);
	if (st->kind == PIDSIM_SC_MIGRATE) {
		/* every object of a scenario has a label */
		tree.src = calloc(tree.cap + 1, sizeof *tree.src);
		tree.obj_cap = d->nlabels;
		tree.src_obj = calloc(d->nlabels, sizeof *tree.src_obj);
		tree.dst_obj = calloc(d->nlabels, sizeof *tree.dst_obj);
	}
	if (!tree.dst || (st->kind == PIDSIM_SC_MIGRATE &&
			  (!tree.src || !tree.src_obj || !tree.dst_obj))) {
		free(tree.dst);
		free(tree.src);
		free(tree.src_obj);
		free(tree.dst_obj);
		return -ENOMEM;
	}
	pidsim_stats_get(k, &s0);
	pidsim_stats_get(src, &s0src);
	if (st->kind == PIDSIM_SC_RESTORE) {
		if (d->img_n[st->obj] > tree.cap) {	/* room for the image's tasks */
			pidsim_tid *p = realloc(tree.dst, d->img_n[st->obj] * sizeof *p);

			if (!p) {
				free(tree.dst);
				return -ENOMEM;
			}
			tree.dst = p;
			tree.cap = d->img_n[st->obj];
			pidsim_stats_get(k, &s0);
		}
		if (over_budget(r, d, st, tasks_on(k), d->img_n[st->obj] +
				(d->img_tree[st->obj] && mode == PIDSIM_RESTORE_CONTAINER))) {
			free(tree.dst);
			return 0;
		}
		ret = pidsim_restore(k, d->img[st->obj], d->img_len[st->obj],
				     d->tid[st->who], mode, &tree);
		cost_done(k, &s0, d);
		err = restored(r, d, k, st, ret, tree.top);
		if (!err && ret >= 0)
			err = name_restored(d, st->image, d->img_lab[st->obj],
					    d->img_n[st->obj], &tree);
		free(tree.dst);
		return err;
	}
	if (migrate_over_budget(r, d, k, src, st, what, mode)) {
		free(tree.dst);
		free(tree.src);
		free(tree.src_obj);
		free(tree.dst_obj);
		return 0;
	}
	effects_before(r, d);
	ret = pidsim_migrate(src, d->tid[st->who], d->tid[st->pid.label], what, k,
			     d->tid[st->ct], mode, &tree);
	cost_done(k, &s0, d);
	if (src != k)
		cost_add(src, &s0src, d);
	if (ret >= 0) {
		lab = tree_labels(d, si, &tree);
		move_objects(r, d, si, st->image, &tree);
	}
	err = restored(r, d, k, st, ret, tree.top);
	effects_after(r, d, st->line);
	if (!err && ret >= 0)
		err = lab ? name_restored(d, st->image, lab, tree.nr_tasks, &tree)
			  : -ENOMEM;
	free(lab);
	free(tree.dst);
	free(tree.src);
	free(tree.src_obj);
	free(tree.dst_obj);
	return err;
}

/* The call itself, inside the cost window. */
static int run_call(struct run *r, struct drun *d, pidsim_kernel *k,
		    const struct pidsim_sc_stmt *st, int nr)
{
	pidsim_tid cur = st->who >= 0 ? d->tid[st->who] : PIDSIM_NO_TASK;
	struct outcome *oc = &d->oc;

	switch (st->kind) {
	case PIDSIM_SC_EXIT:
		oc->ret = oc->nr = pidsim_exit(k, cur, st->arg);
		return 0;
	case PIDSIM_SC_WAIT:
		run_wait(d, k, cur, nr);
		return 0;
	case PIDSIM_SC_KILL:
		run_kill(d, k, st, nr);
		return 0;
	case PIDSIM_SC_GETPID:
		oc->ret = oc->nr = pidsim_getpid(k, cur);
		return 0;
	case PIDSIM_SC_GETPPID:
		oc->ret = oc->nr = pidsim_getppid(k, cur);
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
static void name_results(struct drun *d, const struct pidsim_sc_stmt *st)
{
	struct outcome *oc = &d->oc;
	pidsim_tid cur = st->who >= 0 ? d->tid[st->who] : PIDSIM_NO_TASK;

	if (st->kind == PIDSIM_SC_GETPID || st->kind == PIDSIM_SC_GETPPID)
		oc->label = label_of_nr(d, st->image, cur, 0, oc->ret);
	if (st->kind == PIDSIM_SC_WAIT && oc->ret > 0 && oc->nr_gone) {
		oc->label = oc->gone[0];	/* the one task a wait releases */
		oc->nr_gone = 0;
	}
	for (size_t i = 0; st->kind == PIDSIM_SC_EXIT && i < oc->nr_died; i++) {
		if (oc->died[i] != st->who)
			continue;	/* the caller's own death goes unsaid */
		memmove(oc->died + i, oc->died + i + 1,
			(--oc->nr_died - i) * sizeof *oc->died);
		break;
	}
	for (size_t i = 0; i < oc->n; i++)
		oc->plabels[i] = label_of_nr(d, st->image, cur,
					     st->ct >= 0 ? d->tid[st->ct] : 0,
					     oc->pids[i]);
}

/* Run statement st on design d, leaving the outcome in d->oc. */
static int run_stmt(struct run *r, struct drun *d, const struct pidsim_sc_stmt *st)
{
	struct outcome *oc = &d->oc;
	struct pidsim_stats s0;
	pidsim_kernel *k;
	int nr = 0, err;

	*oc = (struct outcome){ .label = -1, .missing = -1, .pids = oc->pids,
				.plabels = oc->plabels, .used = oc->used,
				.cap = oc->cap, .died = oc->died, .gone = oc->gone };
	if (st->kind == PIDSIM_SC_KERNEL)
		return run_kernel(r, d, st);
	if (!can_run(r, d, st)) {
		if (st->def >= 0)
			d->unbound[st->def] = oc->cause;
		return 0;
	}
	k = d->k[st->image];
	if ((st->kind == PIDSIM_SC_NOTIFY || st->kind == PIDSIM_SC_CLOSE) &&
	    d->oimg[st->obj] >= 0)
		k = d->k[d->oimg[st->obj]];	/* it moved with its owner */
	pidsim_stats_get(k, &s0);
	oc->cost.bytes = s0.bytes;	/* what a statement that runs no call shows */
	if (st->kind == PIDSIM_SC_FORK)
		return over_budget(r, d, st, tasks_on(k), 1) ? 0 : run_fork(r, d, k, st);
	if (st->kind == PIDSIM_SC_CHECKPOINT || st->kind == PIDSIM_SC_RESTORE ||
	    st->kind == PIDSIM_SC_MIGRATE)
		return run_migration(r, d, k, st);
	if (st->kind != PIDSIM_SC_RESOLVE && !pid_number(d, k, st, &nr)) {
		if (st->def >= 0)
			d->unbound[st->def] = st->line;
		return 0;
	}
	if (changes_state(st->kind))
		effects_before(r, d);
	pidsim_stats_get(k, &s0);
	err = run_call(r, d, k, st, nr);
	cost_done(k, &s0, d);
	if (changes_state(st->kind))
		effects_after(r, d, st->line);
	name_results(d, st);
	return err;
}

/* ---- Keys and cells ---------------------------------------------------------- */

/* A pid as the transcript shows it: 3(a), or 3 when it names no label. */
static void put_pid(struct sc_buf *b, const struct run *r, int nr, int label)
{
	if (label >= 0)
		sc_buf_printf(b, "%d(%s)", nr, lname(r, label));
	else
		sc_buf_printf(b, "%d", nr);
}

/* The same pid for comparison up to renaming: the label if it has one. */
static void put_named(struct sc_buf *b, const struct run *r, int nr, int label,
		      bool named)
{
	if (named && label >= 0)
		sc_buf_printf(b, "%s", lname(r, label));
	else
		put_pid(b, r, nr, label);
}

static void put_status(struct sc_buf *b, int status)
{
	int sig = status & 0x7f;
	const char *name = sc_sig_name(sig);

	if (!sig)
		sc_buf_printf(b, " exited %d", (status >> 8) & 0xff);
	else if (name)
		sc_buf_printf(b, " killed %s", name);
	else
		sc_buf_printf(b, " killed %d", sig);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Labels, sorted; a cell shows the first few, a key all of them. */
static void put_labels(struct sc_buf *b, const struct run *r, int *l, size_t n,
		       bool brief)
{
	size_t show = brief && n > MAX_EFFECTS ? MAX_EFFECTS - 1 : n;

	qsort(l, n, sizeof *l, cmp_int);
	for (size_t i = 0; i < show; i++)
		sc_buf_printf(b, " %s", lname(r, l[i]));
	if (show < n)
		sc_buf_printf(b, " +%zu more", n - show);
}

/* The labels a statement killed and released: " {died a b; gone c}". */
static void put_effects(struct sc_buf *b, const struct run *r, struct outcome *oc,
			bool brief)
{
	if (!oc->nr_died && !oc->nr_gone)
		return;
	sc_buf_printf(b, " {");
	if (oc->nr_died)
		sc_buf_printf(b, "died");
	put_labels(b, r, oc->died, oc->nr_died, brief);
	if (oc->nr_gone)
		sc_buf_printf(b, "%sgone", oc->nr_died ? "; " : "");
	put_labels(b, r, oc->gone, oc->nr_gone, brief);
	sc_buf_printf(b, "}");
}

/* A ps list; sorted by label when named (the order of numbers is what a
 * renumbering design changes). */
static void put_list(struct sc_buf *b, const struct run *r, const struct outcome *oc,
		     bool named)
{
	int *order = NULL;

	if (named && oc->n) {
		order = malloc(oc->n * sizeof *order);
		if (!order) {
			b->oom = true;
			return;
		}
		for (size_t i = 0; i < oc->n; i++)
			order[i] = oc->plabels[i] >= 0 ? oc->plabels[i] : -1 - oc->pids[i];
		qsort(order, oc->n, sizeof *order, cmp_int);
	}
	sc_buf_printf(b, "[");
	for (size_t i = 0; i < oc->n; i++) {
		sc_buf_printf(b, i ? " " : "");
		if (order)
			put_named(b, r, -1 - order[i], order[i], true);
		else
			put_pid(b, r, oc->pids[i], oc->plabels[i]);
	}
	sc_buf_printf(b, "]");
	free(order);
}

/* What a statement gave: the transcript cell (brief), the key that
 * compares numbers and labels, or the one that compares up to renaming
 * (named). */
static void put_outcome(struct sc_buf *b, const struct run *r,
			const struct pidsim_sc_stmt *st, struct outcome *oc,
			bool named, bool brief)
{
	if (oc->how == OC_NOTRUN) {
		sc_buf_printf(b, "- (line %u)", oc->cause);
		return;
	}
	if (oc->how == OC_NOPID) {
		sc_buf_printf(b, "nopid");
		return;
	}
	if (st->kind == PIDSIM_SC_RESOLVE) {
		sc_buf_printf(b, "%s", sc_state_name(oc->state));
		if (oc->state >= 0 && oc->nr >= 0)
			sc_buf_printf(b, " ");
		if (oc->state >= 0 && oc->nr >= 0)
			put_named(b, r, oc->nr, oc->nr ? oc->label : -1, named);
		else if (oc->state >= 0)
			sc_buf_printf(b, " %s", pidsim_errname(oc->nr));
	} else if (st->kind == PIDSIM_SC_KERNEL && oc->ret == 0) {
		sc_buf_printf(b, "booted");
	} else if (oc->ret < 0) {
		sc_buf_printf(b, "%s", pidsim_errname(oc->ret));
		if (st->kind == PIDSIM_SC_CHURN && oc->nr)
			sc_buf_printf(b, " after %d", oc->nr);
	} else if (st->kind == PIDSIM_SC_PS) {
		put_list(b, r, oc, named);
	} else if (st->kind == PIDSIM_SC_CHECKPOINT) {
		/* the size is the design's (pidns keeps more numbers): shown,
		 * not compared */
		sc_buf_printf(b, "%d tasks", oc->nr);
		if (brief)
			sc_buf_printf(b, ", %zu bytes", oc->bytes);
	} else if (st->kind == PIDSIM_SC_REF || st->kind == PIDSIM_SC_NOTIFY) {
		sc_buf_printf(b, "%s %s", st->kind == PIDSIM_SC_REF ? "found" : "reached",
			      oc->label >= 0 ? lname(r, oc->label) : "?");
	} else if (oc->label >= 0 && oc->ret > 0) {
		put_named(b, r, oc->ret, oc->label, named);
	} else {
		sc_buf_printf(b, "%d", oc->ret);
	}
	if (st->kind == PIDSIM_SC_WAIT && oc->ret > 0)
		put_status(b, oc->status);
	if (oc->limit[0] && brief)	/* a note for the reader, not a result */
		sc_buf_printf(b, " [limit: %s]", oc->limit);
	put_effects(b, r, oc, brief);
}

/* ---- Expects ----------------------------------------------------------------- */

static bool selected(const struct pidsim_sc_sel *sel, const struct pidsim_design_info *info)
{
	if (sel->design[0] && (strcmp(sel->design, info->name) == 0) == sel->not_design)
		return false;
	return (info->flags & sel->on) == sel->on && !(info->flags & sel->off);
}

/* Whether the task the result names is label's (which may be an alias). */
static bool names_label(const struct run *r, const struct drun *d, int result,
			int label)
{
	return result >= 0 && d->tid[label] && d->tid[label] == d->tid[result] &&
	       r->sc->labels[label].image == r->sc->labels[result].image;
}

static bool item_matches(const struct run *r, const struct drun *d,
			 const struct pidsim_sc_item *it, int nr, int label)
{
	return (it->nr == -1 || it->nr == nr) &&
	       (it->label < 0 || names_label(r, d, label, it->label));
}

/* Every expected pid matches a different pid of the list, in any order. */
static bool list_matches(const struct run *r, const struct drun *d,
			 const struct pidsim_sc_match *m)
{
	const struct outcome *oc = &d->oc;
	bool *u = oc->used, ok = m->list_len == oc->n;

	for (size_t j = 0; ok && j < oc->n; j++)
		u[j] = false;

	for (size_t i = 0; ok && i < m->list_len; i++) {
		const struct pidsim_sc_item *it = &r->sc->items[m->list + i];
		size_t j;

		for (j = 0; j < oc->n; j++)
			if (!u[j] && item_matches(r, d, it, oc->pids[j], oc->plabels[j]))
				break;
		ok = j < oc->n;
		if (ok)
			u[j] = true;
	}
	return ok;
}

static bool status_matches(const struct pidsim_sc_match *m, const struct outcome *oc)
{
	int sig = oc->status & 0x7f;

	if (oc->ret <= 0)
		return false;
	if (m->what & PIDSIM_SC_M_EXITED)
		return sig == 0 && ((oc->status >> 8) & 0xff) == m->code;
	return sig != 0 && sig == m->sig;
}

/* One alternative: every check it makes holds. */
static bool match(const struct run *r, const struct drun *d, const struct pidsim_sc_match *m)
{
	const struct outcome *oc = &d->oc;
	unsigned w = m->what;

	if ((oc->how == OC_NOPID) != !!(w & PIDSIM_SC_M_NOPID))
		return false;
	if (oc->how == OC_NOPID)
		return true;
	if ((w & PIDSIM_SC_M_NR) && oc->nr != m->nr)
		return false;
	if ((w & PIDSIM_SC_M_LABEL) && !names_label(r, d, oc->label, m->label))
		return false;
	if ((w & PIDSIM_SC_M_ERR) && oc->ret != -m->err)
		return false;
	if ((w & PIDSIM_SC_M_OK) && oc->ret < 0)
		return false;
	if ((w & PIDSIM_SC_M_LIMIT) && !oc->limit[0])
		return false;
	if ((w & PIDSIM_SC_M_STATE) && oc->state != m->state &&
	    !(m->state < 0 && oc->state < 0))
		return false;
	if ((w & (PIDSIM_SC_M_EXITED | PIDSIM_SC_M_KILLED)) && !status_matches(m, oc))
		return false;
	return !(w & PIDSIM_SC_M_LIST) || list_matches(r, d, m);
}

/* An expect on one design: its cell, and whether it failed. */
static const char *check_expect(struct run *r, const struct drun *d,
				const struct pidsim_sc_stmt *st, bool *failed)
{
	*failed = false;
	if (!selected(&st->sel, d->info))
		return "";
	if (d->oc.how == OC_NOTRUN)
		return "skip";
	r->sum.expects++;
	for (size_t i = 0; i < st->nr_alts; i++)
		if (match(r, d, &r->sc->matches[st->alt + i]))
			return "pass";
	*failed = true;
	r->sum.failed++;
	return "FAIL";
}

/* ---- Comparing designs --------------------------------------------------------- */

/* The container whose view the statement reads numbers in, as a label of
 * its init; -1 for none (notify, kernel) or a caller that is gone. */
static int view_of(const struct drun *d, const struct pidsim_sc_stmt *st)
{
	int viewer = st->pid.ct >= 0 ? st->pid.ct : st->ct >= 0 ? st->ct : st->who;
	pidsim_kernel *k = st->image >= 0 ? d->k[st->image] : NULL;
	pidsim_tid ct;

	if (viewer < 0 || !k || pidsim_container_of(k, d->tid[viewer], &ct))
		return -1;
	return label_of(d, st->image, ct);
}

static bool is_host(const struct run *r, int ct)
{
	return ct >= 0 && r->sc->images[r->sc->labels[ct].image].init == ct;
}

/* Whether a container has had a container nested in it. */
static bool has_children(const struct run *r, const struct drun *d, int ct)
{
	if (ct >= 0 && d->nested[ct])
		return true;
	for (size_t i = 0; i < r->sc->nr_labels; i++)
		if (d->pct[i] == ct)
			return true;
	return false;
}

/* A list of flags as words: "host-sees-all, shared-range". */
static void put_flag_list(struct sc_buf *b, unsigned flags)
{
	bool first = true;

	for (size_t i = 0; sc_flags[i]; i++) {
		if (!(flags & sc_flags[i]))
			continue;
		sc_buf_printf(b, "%s%s", first ? "" : ", ", sc_flag_name(sc_flags[i]));
		first = false;
	}
}

/* How d's flags among mask stand against the reference a's, in
 * parentheses: "(with hierarchical; without shared-range, unlike vpid)";
 * a flag both have is said to be shared ("renumbers, like vpid"). */
static void put_flags(struct sc_buf *b, const struct drun *a, const struct drun *d,
		      unsigned mask)
{
	unsigned fa = a->info->flags, fd = d->info->flags;
	unsigned with = fd & ~fa & mask, without = fa & ~fd & mask, both = fa & fd & mask;

	sc_buf_printf(b, " (");
	if (with) {
		sc_buf_printf(b, "with ");
		put_flag_list(b, with);
	}
	if (without) {
		sc_buf_printf(b, "%swithout ", with ? "; " : "");
		put_flag_list(b, without);
	}
	if (with || without)
		sc_buf_printf(b, ", unlike %s", a->info->name);
	if (both) {
		sc_buf_printf(b, "%s", with || without ? "; " : "");
		put_flag_list(b, both);
		sc_buf_printf(b, ", like %s", a->info->name);
	}
	sc_buf_printf(b, ")");
}

#define HOST_FLAGS (PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_SHARED_RANGE | \
		    PIDSIM_D_RENUMBERS | PIDSIM_D_HIERARCHICAL)

/*
 * The reasons below are said of the design(s) the note names first, the
 * ones whose cells differ from the reference a's: "stored owner is a weak
 * reference" on pidspace, never the reference's property under another
 * design's name.  Where the reason lies with the reference, the reference
 * is named ("vpid records a limit ...").
 */

/* Explanations from how the run went: a statement that could not run, or
 * a limit.  false when none applies. */
static bool explain_by_run(struct sc_buf *b, const struct drun *a, const struct drun *d)
{
	const struct outcome *oa = &a->oc, *od = &d->oc;
	const char *ref = a->info->name;

	if (od->how == OC_NOTRUN) {
		sc_buf_printf(b, "follows line %u, which left nothing to run on",
			      od->cause);
		return true;
	}
	if (oa->how == OC_NOTRUN) {
		sc_buf_printf(b, "%s did not run: line %u left it nothing to run on",
			      ref, oa->cause);
		return true;
	}
	if (od->limit[0] && oa->limit[0] && strcmp(od->limit, oa->limit)) {
		sc_buf_printf(b, "a recorded limit: %s (%s's: %s)", od->limit,
			      ref, oa->limit);
		return true;
	}
	if (od->limit[0]) {
		sc_buf_printf(b, "%s: %s", od->over ? "the run's task budget" :
			      "a recorded limit", od->limit);
		return true;
	}
	if (oa->limit[0]) {
		sc_buf_printf(b, "%s hit %s: %s", ref, oa->over ? "the run's task budget" :
			      "a limit it records", oa->limit);
		return true;
	}
	return false;
}

/* Rule 9: a notify reaches what the stored owner names, a number or a
 * weak reference.  Only when the two designs store the owner differently
 * (whatever else diverged before); both numbers: see explain(). */
static bool explain_owner(struct sc_buf *b, const struct drun *a, const struct drun *d,
			  const struct pidsim_sc_stmt *st)
{
	unsigned fa = a->info->flags, fd = d->info->flags;

	if (st->kind != PIDSIM_SC_NOTIFY || !((fa ^ fd) & PIDSIM_D_OWNER_BY_NUMBER))
		return false;
	if (fd & PIDSIM_D_OWNER_BY_NUMBER)
		sc_buf_printf(b, "stored owner kept as a number (rule 9), %s keeps "
			      "a weak reference", a->info->name);
	else
		sc_buf_printf(b, "stored owner is a weak reference (rule 9), %s "
			      "keeps a number", a->info->name);
	return true;
}

static bool has_label(const int *v, size_t n, int l)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == l)
			return true;
	return false;
}

/* The earliest line, before this statement, at which a task the
 * difference involves left the reference's state on d: a label the
 * statement names, the task either result names, or one that only one of
 * the results lists (died, gone, or in a ps list; a task both list is not
 * what differs).  0 when none has; *which: its label. */
static unsigned split_line(const struct drun *a, const struct drun *d,
			   const struct pidsim_sc_stmt *st, int *which)
{
	const struct outcome *oc[2] = { &a->oc, &d->oc };
	int used[4];
	size_t n = used_labels(st, used);
	unsigned best = 0;

#define CONSIDER(l) do {							\
		int l_ = (l);							\
		if (l_ >= 0 && (size_t)l_ < d->nlabels && d->split[l_] &&	\
		    (!best || d->split[l_] < best)) {				\
			best = d->split[l_];					\
			*which = l_;						\
		}								\
	} while (0)
#define CONSIDER_ONE_SIDED(field, count) do {				\
		for (size_t i_ = 0; i_ < oc[s]->count; i_++)			\
			if (!has_label(oc[!s]->field, oc[!s]->count,		\
				       oc[s]->field[i_]))			\
				CONSIDER(oc[s]->field[i_]);			\
	} while (0)

	for (size_t i = 0; i < n; i++)
		CONSIDER(used[i]);
	for (size_t s = 0; s < 2; s++) {
		CONSIDER(oc[s]->label);
		CONSIDER_ONE_SIDED(died, nr_died);
		CONSIDER_ONE_SIDED(gone, nr_gone);
		CONSIDER_ONE_SIDED(plabels, n);
	}
#undef CONSIDER_ONE_SIDED
#undef CONSIDER
	return best;
}

/* Explanations from the designs' flags, for a statement read in view. */
static bool explain_by_flags(struct sc_buf *b, const struct run *r, const struct drun *a,
			     const struct drun *d, const struct pidsim_sc_stmt *st, int view)
{
	unsigned fa = a->info->flags, fd = d->info->flags;
	unsigned why_host = ((fa ^ fd) | ((fa | fd) & PIDSIM_D_RENUMBERS)) & HOST_FLAGS;

	if (is_host(r, view) && why_host) {
		sc_buf_printf(b, "host view");
		put_flags(b, a, d, why_host);
		return true;
	}
	if (((fa | fd) & PIDSIM_D_HIERARCHICAL) && view >= 0 && has_children(r, a, view)) {
		if (fd & PIDSIM_D_HIERARCHICAL)
			sc_buf_printf(b, "hierarchical: %s's view includes nested "
				      "containers", lname(r, view));
		else
			sc_buf_printf(b, "not hierarchical: %s's view leaves out nested "
				      "containers, as %s's does not", lname(r, view),
				      a->info->name);
		return true;
	}
	/* A tree restored into an existing container asks for the numbers
	 * it had in its source's view, which the designs may number apart
	 * (the host's view, renumbering): each asks for its own. */
	if ((st->kind == PIDSIM_SC_RESTORE || st->kind == PIDSIM_SC_MIGRATE) &&
	    ((unsigned)st->arg & PIDSIM_SC_INTO) && why_host) {
		sc_buf_printf(b, "restored into a view with the numbers its source "
			      "view gave");
		put_flags(b, a, d, why_host);
		return true;
	}
	if (((fa | fd) & PIDSIM_D_RENUMBERS) && st->pid.label < 0 && st->pid.nr > 0) {
		if (fd & PIDSIM_D_RENUMBERS)
			sc_buf_printf(b, "raw pid %d in a design that renumbers",
				      st->pid.nr);
		else
			sc_buf_printf(b, "raw pid %d, which %s renumbers", st->pid.nr,
				      a->info->name);
		return true;
	}
	return false;
}

/*
 * Why design d may disagree with the reference a, into b; false (and the
 * word VIOLATION) when nothing in the contract explains it.  A difference
 * that involves a task whose state had already left the reference's
 * follows the line where it did, rather than getting a fresh reason: the
 * consequence of an earlier allowed divergence (a task killed on one
 * design and not on the other) is not the host view's doing.
 */
static bool explain(struct sc_buf *b, const struct run *r, const struct drun *a,
		    const struct drun *d, const struct pidsim_sc_stmt *st)
{
	int view = view_of(a, st), which = -1;
	unsigned split;

	if (explain_by_run(b, a, d) || explain_owner(b, a, d, st))
		return true;
	split = d->taint ? split_line(a, d, st, &which) : 0;
	if (split) {
		sc_buf_printf(b, "follows line %u, where %s diverged", split,
			      lname(r, which));
		return true;
	}
	if (st->kind == PIDSIM_SC_NOTIFY &&
	    ((a->info->flags | d->info->flags) & PIDSIM_D_OWNER_BY_NUMBER)) {
		sc_buf_printf(b, "stored owner kept as a number, as on %s (rule 9), "
			      "the number reused differently", a->info->name);
		return true;
	}
	if (explain_by_flags(b, r, a, d, st, view))
		return true;
	if (d->taint) {
		sc_buf_printf(b, "follows the divergence at line %u", d->taint);
		return true;
	}
	if (is_host(r, view))
		sc_buf_printf(b, "VIOLATION: the host view differs, but no design "
			      "flag says why");
	else
		sc_buf_printf(b, "VIOLATION: inside '%s' every design must agree",
			      view >= 0 ? lname(r, view) : "?");
	return false;
}

/* d's outcome as text: a cell (brief), or a key for comparison (up to
 * renaming when named). */
static char *text_of(const struct run *r, struct drun *d, const struct pidsim_sc_stmt *st,
		     bool named, bool brief)
{
	struct sc_buf b = { 0 };

	put_outcome(&b, r, st, &d->oc, named, brief);
	return sc_buf_take(&b);
}

/* The note, into *note (NULL: no difference): each reason once, after the
 * designs it applies to ("pidspace, pidns: ..."), in the designs' order. */
static int group_reasons(const struct run *r, char **why, char **note)
{
	struct sc_buf b = { 0 };

	for (size_t i = 1; i < r->nd; i++) {
		if (!why[i])
			continue;
		sc_buf_printf(&b, "%s%s", b.len ? "; " : "", r->d[i].info->name);
		for (size_t j = i + 1; j < r->nd; j++) {
			if (!why[j] || strcmp(why[i], why[j]))
				continue;
			sc_buf_printf(&b, ", %s", r->d[j].info->name);
			free(why[j]);
			why[j] = NULL;
		}
		sc_buf_printf(&b, ": %s", why[i]);
	}
	if (b.oom) {
		sc_buf_free(&b);
		return -ENOMEM;
	}
	*note = b.len ? sc_buf_take(&b) : NULL;
	return 0;
}

/* Compare every design with the first; mark and classify each difference. */
static int compare(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row)
{
	struct drun *a = &r->d[0];
	char **why = calloc(r->nd, sizeof *why);
	int err = why ? 0 : -ENOMEM;

	for (size_t i = 1; !err && i < r->nd; i++) {
		struct drun *d = &r->d[i];
		bool named = (a->info->flags | d->info->flags) & PIDSIM_D_RENUMBERS;
		char *ka = text_of(r, a, st, named, false);
		char *kd = text_of(r, d, st, named, false);
		bool same = ka && kd && strcmp(ka, kd) == 0, oom = !ka || !kd, allowed;
		struct sc_buf b = { 0 };

		free(ka);
		free(kd);
		if (oom) {
			err = -ENOMEM;
			break;
		}
		if (same)
			continue;
		row->differs[i] = true;
		r->sum.disagreements++;
		allowed = explain(&b, r, a, d, st);
		r->sum.allowed += allowed;
		r->sum.violations += !allowed;
		row->violation |= !allowed;
		why[i] = sc_buf_take(&b);
		if (!why[i])
			err = -ENOMEM;
	}
	if (!err)
		err = group_reasons(r, why, &row->note);
	for (size_t i = 0; why && i < r->nd; i++)
		free(why[i]);
	free(why);
	return err;
}

/* Whether label l stands for the same kernel state on a and d: an object
 * that exists on both or neither, a task in the same state (a zombie: one
 * that died at the same line, so that its exit status can be the same).
 * An alias is the file's reference, not kernel state. */
static bool same_state(const struct run *r, const struct drun *a,
		       const struct drun *d, size_t l)
{
	if (r->sc->labels[l].kind == PIDSIM_SC_ALIAS)
		return true;
	if (r->sc->labels[l].kind == PIDSIM_SC_OBJECT)
		return (a->obj[l] >= 0) == (d->obj[l] >= 0);
	int sa = task_state(r, a, (int)l);

	return sa == task_state(r, d, (int)l) &&
	       (sa != PIDSIM_ZOMBIE || a->death[l] == d->death[l]);
}

/* After a statement that changes state: note the first line where d's
 * tasks stopped matching the reference's, and forget it once they match
 * again.  A statement that only defines a label, on images that match,
 * needs only that label compared. */
static void track_divergence(const struct run *r, struct drun *d,
			     const struct pidsim_sc_stmt *st)
{
	const struct drun *a = &r->d[0];
	bool same = true;

	if (!d->taint && !changes_state(st->kind)) {
		if (!same_state(r, a, d, (size_t)st->def))
			d->taint = st->line;
		return;
	}
	/* A restore into a view that gave the tree other numbers here than
	 * in the reference: the same tasks, numbered apart from now on. */
	if ((st->kind == PIDSIM_SC_RESTORE || st->kind == PIDSIM_SC_MIGRATE) &&
	    ((unsigned)st->arg & PIDSIM_SC_INTO) && !d->taint &&
	    (a->oc.ret != d->oc.ret || a->oc.nr != d->oc.nr)) {
		d->taint = st->line;
		return;
	}
	for (size_t l = 0; same && l < r->sc->nr_labels; l++)
		same = same_state(r, a, d, l);
	if (same)
		d->taint = 0;
	else if (!d->taint)
		d->taint = st->line;
}

/* After a statement: note, per label, the line where its state on d left
 * the reference's, and forget it once they match again; the statement's
 * own differences were classified before this, so a later one that
 * involves the label follows that line.  Only a statement that changes
 * state can change a label's but its own. */
static void track_labels(const struct run *r, struct drun *d,
			 const struct pidsim_sc_stmt *st)
{
	const struct drun *a = &r->d[0];
	size_t from = changes_state(st->kind) ? 0 : (size_t)st->def;
	size_t to = changes_state(st->kind) ? r->sc->nr_labels : from + 1;

	for (size_t l = from; l < to; l++) {
		if (same_state(r, a, d, l))
			d->split[l] = 0;
		else if (!d->split[l])
			d->split[l] = st->line;
	}
}

/* ---- The run ---------------------------------------------------------------- */

static int do_expect(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row)
{
	struct sc_buf note = { 0 };

	for (size_t i = 0; i < r->nd; i++) {
		bool failed;

		struct sc_buf cell = { 0 };

		sc_buf_printf(&cell, "%s", check_expect(r, &r->d[i], st, &failed));
		row->cells[i] = sc_buf_take(&cell);
		if (!row->cells[i])
			return -ENOMEM;
		if (failed)
			sc_buf_printf(&note, "%sexpect failed on %s", note.len ? "; " : "",
				      r->d[i].info->name);
		row->violation |= failed;
	}
	if (note.oom)
		return -ENOMEM;
	row->note = note.len ? sc_buf_take(&note) : NULL;
	return 0;
}

/* The view column: the container (named by its init) whose numbers the
 * statement reads, on the reference design, before it runs. */
static void name_view(const struct run *r, const struct pidsim_sc_stmt *st,
		      struct sc_row *row)
{
	int view = view_of(&r->d[0], st);
	const char *name = st->kind == PIDSIM_SC_NOTIFY || st->kind == PIDSIM_SC_CLOSE ?
			   "(kernel)" : view >= 0 ? lname(r, view) : "-";

	snprintf(row->view, sizeof row->view, "%s", name);
}

static int do_stmt(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row)
{
	bool over = false;
	int err;

	name_view(r, st, row);
	for (size_t i = 0; i < r->nd; i++) {
		struct drun *d = &r->d[i];

		if (out_of_time(r))
			return -ETIMEDOUT;
		err = run_stmt(r, d, st);
		if (err)
			return err;
		if (r->timed_out)	/* churn stopped part way */
			return -ETIMEDOUT;
		row->cells[i] = text_of(r, d, st, false, true);
		if (!row->cells[i])
			return -ENOMEM;
		row->cost[i] = d->oc.cost;
		over |= d->oc.over;
	}
	r->sum.statements++;
	row->has_cost = true;
	if (over && !r->sum.over_budget++)
		r->sum.budget_line = st->line;
	if (r->nd < 2)
		return 0;
	err = compare(r, st, row);
	for (size_t i = 1; !err && i < r->nd; i++)
		if (changes_state(st->kind) || st->def >= 0) {
			track_labels(r, &r->d[i], st);
			track_divergence(r, &r->d[i], st);
		}
	return err;
}

/* The task operations a statement is about to make on every design, at
 * most: what decides when the transcript starts to stream. */
static uint64_t work_ahead(const struct run *r, const struct pidsim_sc_stmt *st)
{
	uint64_t w = 0;

	for (size_t i = 0; i < r->nd; i++) {
		const struct drun *d = &r->d[i];
		int who = st->who >= 0 ? r->sc->labels[st->who].image : -1;

		w++;
		if (st->kind == PIDSIM_SC_CHURN)
			w += (unsigned)st->arg;
		else if (st->kind == PIDSIM_SC_RESTORE)
			w += d->img_n[st->obj];
		else if ((st->kind == PIDSIM_SC_PS || st->kind == PIDSIM_SC_CHECKPOINT ||
			  st->kind == PIDSIM_SC_MIGRATE) && who >= 0 && d->k[who])
			w += tasks_on(d->k[who]);
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
	if (out_of_time(r))
		return -ETIMEDOUT;
	err = st->kind == PIDSIM_SC_EXPECT ? do_expect(r, st, row) : do_stmt(r, st, row);
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
	for (size_t i = 0; i < r->nd; i++)
		for (size_t m = 0; m < sc->nr_images && !err; m++)
			if (sc->images[m].stmt == (size_t)-1)	/* the implicit host */
				err = run_kernel(r, &r->d[i], &(struct pidsim_sc_stmt){
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
	r->nd = all ? n : 1;
	r->d = calloc(r->nd, sizeof *r->d);
	if (!r->d)
		return -ENOMEM;
	for (size_t i = 0; i < r->nd; i++) {
		const struct pidsim_design_info *info =
			all ? pidsim_design_at(i) : pidsim_design_find(design);
		int err = drun_init(&r->d[i], info, r->sc->nr_labels);

		if (err)
			return err;
	}
	return 0;
}

static void totals(struct run *r)
{
	for (size_t i = 0; i < r->nd; i++) {
		struct sc_cost *t = &r->tab.total[i];

		r->tab.peak[i] = r->d[i].peak;
		for (size_t s = 0; s < r->tab.nr_done; s++) {
			const struct sc_cost *c = &r->tab.rows[s].cost[i];

			if (!r->tab.rows[s].has_cost)
				continue;
			t->lookups += c->lookups;
			t->conversions += c->conversions;
			t->hash_probes += c->hash_probes;
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
		err = sc_table_init(&r->tab, r->sc->nr_stmts, r->nd);
	for (size_t i = 0; !err && i < r->nd; i++)
		r->tab.designs[i] = r->d[i].info;
	r->tab_ok = !err;
	if (!err)
		err = run_all(r);
	r->sum.designs = r->nd;
	return err;
}

static void run_fini(struct run *r)
{
	for (size_t i = 0; r->d && i < r->nd; i++)
		drun_fini(&r->d[i]);
	free(r->d);
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
	int l, err;

	if (!sc || !design || !image || !buf || !len)
		return -EINVAL;
	l = sc_names_find(sc, image, strlen(image));
	if (l < 0 || sc->labels[l].kind != PIDSIM_SC_IMAGE ||
	    strcmp(design, "all") == 0)
		return -ENOENT;
	err = run_start(&r, design);
	if (!err && !r.d[0].img[l])
		err = -ESRCH;
	if (!err) {
		*buf = r.d[0].img[l];
		*len = r.d[0].img_len[l];
		r.d[0].img[l] = NULL;
		if (sum)
			*sum = r.sum;
	}
	run_fini(&r);
	return err;
}
