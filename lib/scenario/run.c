/*
 * run.c - run a parsed scenario on one design or on all of them: the
 * public entry points (pidsim_scenario.h) and the loop over statements.
 *
 * Each design gets its own kernels and its own binding of the file's
 * labels (run.h).  A statement runs on every design in turn (run_stmt.c,
 * run_ckpt.c); what came back is kept as an outcome, which becomes a
 * transcript cell (run_cell.c), is checked by the expects that follow
 * (run_expect.c), and (with several designs) is compared with the
 * reference's, design 0 (run_compare.c).
 *
 * The transcript goes out while the run goes, once the run is large
 * enough for that to matter (STREAM_WORK); the limits of a run, its task
 * budget and its time limit, are in run_state.c.
 */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime() */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run.h"

/* Task operations (a fork, a task listed or checkpointed or restored) a
 * run may make before its transcript streams: below it, a run takes
 * milliseconds and prints one table aligned over every row when it ends;
 * from it on, each row is printed and flushed as its statement finishes. */
#define STREAM_WORK PIDSIM_SC_STREAM_WORK

/* The view column: the container (named by its init) whose numbers the
 * statement reads, on the reference design, before it runs. */
static void name_view(const struct run *r, const struct pidsim_sc_stmt *st,
		      struct sc_row *row)
{
	bool on_object = st->kind == PIDSIM_SC_NOTIFY || st->kind == PIDSIM_SC_CLOSE;
	int view = run_view_of(&r->designs[0], st);
	const char *name = on_object ? "(kernel)" : view >= 0 ? label_name(r, view) : "-";

	snprintf(row->view, sizeof row->view, "%s", name);
}

/* What d's outcome was, for the machine-readable transcripts: 0 or
 * -ENOMEM. */
static int keep_result(const struct run *r, const struct design_run *d,
		       struct sc_result *res)
{
	const struct outcome *outcome = &d->outcome;

	res->how = outcome->how;
	res->ret = outcome->ret;
	res->task = outcome->label >= 0 ? label_name(r, outcome->label) : NULL;
	if (outcome->limit[0] && !(res->limit = strdup(outcome->limit)))
		return -ENOMEM;
	return 0;
}

/* A statement other than expect, on every design: its row (cells, costs,
 * the comparison's note), unless the time limit stops it part way. */
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
		if (!row->cells[i] || keep_result(r, d, &row->result[i]))
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
		int kernel = st->who >= 0 ? r->sc->labels[st->who].kernel : -1;

		w++;
		if (st->kind == PIDSIM_SC_CHURN)
			w += (unsigned)st->arg;
		else if (st->kind == PIDSIM_SC_RESTORE)
			w += d->labels[st->obj].ckpt.nr_tasks;
		else if ((st->kind == PIDSIM_SC_PS || st->kind == PIDSIM_SC_CHECKPOINT ||
			  st->kind == PIDSIM_SC_MIGRATE) &&
			 kernel >= 0 && d->kernel[kernel])
			w += run_tasks_on(d->kernel[kernel]);
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
	err = st->kind == PIDSIM_SC_EXPECT ? run_expect(r, st, row)
					    : do_stmt(r, st, row);
	if (err)
		return err;
	r->tab.nr_done = i + 1;
	return r->streaming ? sc_table_print_rows(&r->tab, r->out, i + 1) : 0;
}

/* Boot the kernels no statement boots (the implicit host) on every
 * design, before the first statement. */
static int boot_implicit(struct run *r)
{
	const struct pidsim_scenario *sc = r->sc;
	int err = 0;

	for (size_t i = 0; i < r->nr_designs; i++)
		for (size_t m = 0; m < sc->nr_kernels && !err; m++) {
			struct pidsim_sc_stmt boot = {
				.kind = PIDSIM_SC_KERNEL, .kernel = (int)m,
				.def = sc->kernels[m].init,
			};

			if (sc->kernels[m].stmt == (size_t)-1)
				err = run_kernel(r, &r->designs[i], &boot);
		}
	return err;
}

/* Every statement in turn, each row's statement text first. */
static int run_all(struct run *r)
{
	const struct pidsim_scenario *sc = r->sc;
	int err;

	for (size_t i = 0; i < sc->nr_stmts; i++) {
		r->tab.rows[i].line = sc->stmts[i].line;
		r->tab.rows[i].asked = sc_format_alloc(sc, i);
		if (!r->tab.rows[i].asked)
			return -ENOMEM;
	}
	err = boot_implicit(r);
	for (size_t i = 0; i < sc->nr_stmts && !err; i++) {
		err = run_one(r, i);
		if (err == -ETIMEDOUT)
			r->sum.stopped_line = sc->stmts[i].line;
	}
	return err;
}

/* The designs a list names, "a,b,c", into infos (room for every design):
 * how many, -ENOENT for a name that is no design, -EINVAL for one named
 * twice or an empty name. */
static int design_list(const char *list, const struct pidsim_design_info **infos)
{
	size_t n = 0;

	for (const char *s = list; ; s++) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		const struct pidsim_design_info *info = NULL;

		for (size_t i = 0; i < pidsim_design_count() && !info; i++)
			if (strlen(pidsim_design_at(i)->name) == len &&
			    memcmp(pidsim_design_at(i)->name, s, len) == 0)
				info = pidsim_design_at(i);
		if (!len)
			return -EINVAL;
		if (!info)
			return -ENOENT;
		for (size_t i = 0; i < n; i++)
			if (infos[i] == info)
				return -EINVAL;
		infos[n++] = info;
		if (!comma)
			return (int)n;
		s = comma;
	}
}

/* The designs to run: those a list names, or all. */
static int pick_designs(struct run *r, const char *design)
{
	size_t n = pidsim_design_count();
	const struct pidsim_design_info **infos = calloc(n, sizeof *infos);
	int nr = 0, err = 0;

	if (!infos)
		return -ENOMEM;
	if (!design || strcmp(design, "all") == 0) {
		for (size_t i = 0; i < n; i++)
			infos[nr++] = pidsim_design_at(i);
	} else {
		nr = design_list(design, infos);
	}
	if (nr > 0) {
		r->nr_designs = (size_t)nr;
		r->designs = calloc(r->nr_designs, sizeof *r->designs);
		err = r->designs ? 0 : -ENOMEM;
	} else {
		err = nr;
	}
	for (size_t i = 0; !err && i < r->nr_designs; i++)
		err = run_design_init(&r->designs[i], infos[i], r->sc->nr_labels);
	free(infos);
	return err;
}

/* The table's totals: each design's costs summed over the rows that ran,
 * the bytes its last row shows, its peak. */
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

/* Run r->sc on design ("all", a name or a list), printed as opts asks:
 * the designs, the table, every statement.  run_fini() undoes it,
 * whatever it returned. */
static int run_start(struct run *r, const char *design,
		     const struct pidsim_sc_opts *opts)
{
	int err = pick_designs(r, design);

	r->sum.max_tasks = r->max_tasks;
	if (!err)
		err = sc_table_init(&r->tab, r->sc->nr_stmts, r->nr_designs);
	for (size_t i = 0; !err && i < r->nr_designs; i++)
		r->tab.designs[i] = r->designs[i].info;
	r->tab.output = opts ? opts->output : PIDSIM_SC_TEXT;
	r->tab.width = opts && opts->width ? opts->width : SIZE_MAX / 4;	/* 0: none */
	r->tab.name = opts ? opts->name : NULL;
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

/* The time limit: timeout_ms from now. */
static void set_deadline(struct run *r, unsigned long timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, &r->deadline);
	r->deadline.tv_sec += (time_t)(timeout_ms / 1000);
	r->deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (r->deadline.tv_nsec >= 1000000000L) {
		r->deadline.tv_sec++;
		r->deadline.tv_nsec -= 1000000000L;
	}
	r->has_deadline = true;
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
	if (!sc || opts->max_tasks > INT_MAX || opts->output > PIDSIM_SC_JSON ||
	    (opts->width && opts->width < 20))
		return -EINVAL;
	r.max_tasks = opts->max_tasks ? opts->max_tasks : PIDSIM_SC_MAX_TASKS_DEFAULT;
	if (opts->timeout_ms)
		set_deadline(&r, opts->timeout_ms);
	err = run_start(&r, opts->design, opts);
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
			const char *ckpt_name, void **buf, size_t *len,
			struct pidsim_sc_summary *sum)
{
	struct run r = { .sc = sc, .max_tasks = PIDSIM_SC_MAX_TASKS_DEFAULT };
	struct held_ckpt *ckpt;
	int label, err;

	if (!sc || !design || !ckpt_name || !buf || !len)
		return -EINVAL;
	label = sc_names_find(sc, ckpt_name, strlen(ckpt_name));
	if (label < 0 || sc->labels[label].kind != PIDSIM_SC_CKPT ||
	    strcmp(design, "all") == 0)
		return -ENOENT;
	err = strchr(design, ',') ? -ENOENT : run_start(&r, design, NULL);
	ckpt = err ? NULL : &r.designs[0].labels[label].ckpt;
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
