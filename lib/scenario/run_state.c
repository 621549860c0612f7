/*
 * run_state.c - a design's run: its set-up, its labels and the tasks they
 * stand for, what a statement cost, which labelled tasks a statement
 * killed or released, and the limits of the run.
 *
 * The limits of a run (struct pidsim_sc_opts).  A file from anyone must
 * end: a statement that would leave a kernel with more tasks than the
 * task budget is refused before it allocates anything (a fork needs room
 * for one task, churn for one at a time, a restore or a migrate for the
 * whole tree), as are checkpoint images past the budget together; and a
 * time limit stops the run between statements (or inside churn).
 */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime() */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "pidsim_image.h"
#include "run.h"

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
	for (size_t i = 0; i < PIDSIM_SC_MAX_KERNELS; i++) {
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
	free(d->outcome.pzombie);
	free(d->outcome.groups);
	free(d->outcome.used);
}

/* ---- Labels and handles -------------------------------------------------- */

/* The task label a handle of kernel belongs to, or -1.  (Handles are per
 * kernel: two kernels may hand out the same value.) */
int run_label_of(const struct design_run *d, int kernel, pidsim_tid t)
{
	return sc_tidmap_find(&d->label_by_tid[kernel], t);
}

/* A new task under its label: it is looked up by handle from now on. */
int run_bind_task(struct run *r, struct design_run *d, int label, pidsim_tid t)
{
	d->labels[label].tid = t;
	if (!is_task_label(r, label))
		return 0;
	d->live[d->nr_live++] = label;
	return sc_tidmap_put(&d->label_by_tid[r->sc->labels[label].kernel], t, label);
}

/* The label that cur sees as nr names, or -1, and whether its task is a
 * zombie; not counted as cost. */
int run_label_of_nr(struct design_run *d, int kernel, pidsim_tid cur,
		    pidsim_tid ct, int nr, bool *zombie)
{
	pidsim_kernel *k = d->kernel[kernel];
	pidsim_tid t;
	int err;

	if (zombie)
		*zombie = false;
	if (nr <= 0)
		return -1;
	err = ct ? pidsim_find_in(k, cur, ct, nr, &t) : pidsim_find(k, cur, nr, &t);
	if (err)
		return -1;
	if (zombie)
		*zombie = pidsim_task_state(k, t) == PIDSIM_ZOMBIE;
	return run_label_of(d, kernel, t);
}

/* ---- Costs ---------------------------------------------------------------- */

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
		.probes = s.probes - s0->probes,
		.bytes = s.bytes,
	};
}

/* Add c's counters to sum's (the bytes are not a count: left alone). */
void run_cost_sum(struct sc_cost *sum, const struct sc_cost *c)
{
	sum->lookups += c->lookups;
	sum->conversions += c->conversions;
	sum->probes += c->probes;
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

/* ---- Effects: which labelled tasks a statement killed or released -------- */

int run_task_state(const struct run *r, const struct design_run *d, int label)
{
	pidsim_kernel *k = d->kernel[r->sc->labels[label].kernel];
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
		struct label_state *task = &d->labels[l];

		if (now < 0)
			outcome->gone[outcome->nr_gone++] = l;
		else if (now == PIDSIM_ZOMBIE && task->state_before == PIDSIM_RUNNING)
			outcome->died[outcome->nr_died++] = l;
		if (now != task->state_before && task->state_before == PIDSIM_RUNNING)
			task->died_at = line;
		if (now >= 0)
			d->live[kept++] = l;
	}
	d->nr_live = kept;
	restored_effects(d);
}

/* ---- The limits of the run ----------------------------------------------- */

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
