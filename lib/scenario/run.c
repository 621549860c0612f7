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
