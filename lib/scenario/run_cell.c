/*
 * run_cell.c - an outcome as text: the transcript cell a reader sees, and
 * the two keys two designs are compared by (run_compare.c): one with the
 * numbers and the labels they name, and one up to renaming, where a number
 * that names a labelled task is replaced by the label (for designs with
 * PIDSIM_D_RENUMBERS, whose numbers differ by a consistent renaming).
 */
#include <stdlib.h>

#include "run.h"

#define MAX_EFFECTS 8	/* labels a cell lists as died or gone */

/* A pid as the transcript shows it: 3(a), or 3 when it names no label. */
static void put_pid(struct sc_buf *b, const struct run *r, int nr, int label)
{
	if (label >= 0)
		sc_buf_printf(b, "%d(%s)", nr, label_name(r, label));
	else
		sc_buf_printf(b, "%d", nr);
}

/* The same pid for comparison up to renaming: the label if it has one. */
static void put_named(struct sc_buf *b, const struct run *r, int nr, int label,
		      bool named)
{
	if (named && label >= 0)
		sc_buf_printf(b, "%s", label_name(r, label));
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

/* A ps entry by the key a named list is compared in: its label, or
 * (unlabelled) its number, after every label. */
struct keyed {
	int key;
	size_t i;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/* Labels, sorted; a cell shows the first few, a key all of them. */
static void put_labels(struct sc_buf *b, const struct run *r, int *l, size_t n,
		       bool brief)
{
	size_t show = brief && n > MAX_EFFECTS ? MAX_EFFECTS - 1 : n;

	qsort(l, n, sizeof *l, cmp_int);
	for (size_t i = 0; i < show; i++)
		sc_buf_printf(b, " %s", label_name(r, l[i]));
	if (show < n)
		sc_buf_printf(b, " +%zu more", n - show);
}

/* The labels a statement killed and released: " {died a b; gone c}". */
static void put_effects(struct sc_buf *b, const struct run *r, struct outcome *outcome,
			bool brief)
{
	if (!outcome->nr_died && !outcome->nr_gone)
		return;
	sc_buf_printf(b, " {");
	if (outcome->nr_died)
		sc_buf_printf(b, "died");
	put_labels(b, r, outcome->died, outcome->nr_died, brief);
	if (outcome->nr_gone)
		sc_buf_printf(b, "%sgone", outcome->nr_died ? "; " : "");
	put_labels(b, r, outcome->gone, outcome->nr_gone, brief);
	sc_buf_printf(b, "}");
}

/* ps groups: ":PGID/SID" after a pid, each as a pid is shown (a number
 * naming no labelled task, 0 for none in the view, an errno name). */
static void put_groups(struct sc_buf *b, const struct run *r, const int *g,
		       bool named)
{
	for (int j = 0; j < 2; j++) {
		int nr = g[j ? GRP_SID : GRP_PGID];
		int label = g[j ? GRP_SID_LABEL : GRP_PGID_LABEL];

		sc_buf_printf(b, j ? "/" : ":");
		if (nr < 0)
			sc_buf_printf(b, "%s", pidsim_errname(nr));
		else
			put_named(b, r, nr, nr ? label : -1, named);
	}
}

/* A ps list, a zombie's pid marked Z ("3(b)Z"), with groups
 * ("3(b):1/1"); sorted by label when named (the order of numbers is
 * what a renumbering design changes). */
static void put_list(struct sc_buf *b, const struct run *r,
		     const struct outcome *outcome, bool named, bool groups)
{
	struct keyed *order = NULL;

	if (named && outcome->n) {
		order = malloc(outcome->n * sizeof *order);
		if (!order) {
			b->oom = true;
			return;
		}
		for (size_t i = 0; i < outcome->n; i++)
			order[i] = (struct keyed){
				outcome->plabels[i] >= 0 ? outcome->plabels[i]
							 : -1 - outcome->pids[i], i };
		qsort(order, outcome->n, sizeof *order, cmp_keyed);
	}
	sc_buf_printf(b, "[");
	for (size_t i = 0; i < outcome->n; i++) {
		size_t j = order ? order[i].i : i;

		sc_buf_printf(b, i ? " " : "");
		put_named(b, r, outcome->pids[j], outcome->plabels[j], named);
		if (outcome->pzombie[j])
			sc_buf_printf(b, "Z");
		if (groups)
			put_groups(b, r, outcome->groups + GRP_N * j, named);
	}
	sc_buf_printf(b, "]");
	free(order);
}

/* resolve: the task's state, and the number the caller sees it by. */
static void put_resolved(struct sc_buf *b, const struct run *r,
			 const struct outcome *outcome, bool named)
{
	sc_buf_printf(b, "%s", sc_state_name(outcome->state));
	if (outcome->state < 0)
		return;
	if (outcome->nr >= 0) {
		sc_buf_printf(b, " ");
		put_named(b, r, outcome->nr, outcome->nr ? outcome->label : -1, named);
	} else {
		sc_buf_printf(b, " %s", pidsim_errname(outcome->nr));
	}
}

/* What the call returned, as the statement's kind shows it. */
static void put_result(struct sc_buf *b, const struct run *r,
		       const struct pidsim_sc_stmt *st, struct outcome *outcome,
		       bool named, bool brief)
{
	if (st->kind == PIDSIM_SC_RESOLVE) {
		put_resolved(b, r, outcome, named);
	} else if (st->kind == PIDSIM_SC_KERNEL && outcome->ret == 0) {
		sc_buf_printf(b, "booted");
	} else if (outcome->ret < 0) {
		sc_buf_printf(b, "%s", pidsim_errname(outcome->ret));
		if (st->kind == PIDSIM_SC_CHURN && outcome->nr)
			sc_buf_printf(b, " after %d", outcome->nr);
	} else if (st->kind == PIDSIM_SC_PS) {
		put_list(b, r, outcome, named,
			 (unsigned)st->arg & PIDSIM_SC_GROUPS);
	} else if (st->kind == PIDSIM_SC_CHECKPOINT) {
		/* the size is the design's (pidns keeps more numbers): shown,
		 * not compared */
		sc_buf_printf(b, "%d tasks", outcome->nr);
		if (brief)
			sc_buf_printf(b, ", %zu bytes", outcome->bytes);
	} else if (st->kind == PIDSIM_SC_REF || st->kind == PIDSIM_SC_NOTIFY) {
		sc_buf_printf(b, "%s %s", st->kind == PIDSIM_SC_REF ? "found" : "reached",
			      outcome->label >= 0 ? label_name(r, outcome->label) : "?");
	} else if (outcome->label >= 0 && outcome->ret > 0) {
		put_named(b, r, outcome->ret, outcome->label, named);
	} else {
		sc_buf_printf(b, "%d", outcome->ret);
	}
}

/* What a statement gave: the transcript cell (brief), the key that
 * compares numbers and labels, or the one that compares up to renaming
 * (named). */
static void put_outcome(struct sc_buf *b, const struct run *r,
			const struct pidsim_sc_stmt *st, struct outcome *outcome,
			bool named, bool brief)
{
	if (outcome->how == OUTCOME_NOT_RUN) {
		sc_buf_printf(b, "- (line %u)", outcome->cause);
		return;
	}
	if (outcome->how == OUTCOME_NO_PID) {
		sc_buf_printf(b, "nopid");
		return;
	}
	put_result(b, r, st, outcome, named, brief);
	if (st->kind == PIDSIM_SC_WAIT && outcome->ret > 0)
		put_status(b, outcome->status);
	if (outcome->limit[0] && brief)	/* a note for the reader, not a result */
		sc_buf_printf(b, " [limit: %s]", outcome->limit);
	put_effects(b, r, outcome, brief);
}

/* d's outcome as text: a cell (brief), or a key for comparison (up to
 * renaming when named). */
char *run_outcome_text(const struct run *r, struct design_run *d,
		       const struct pidsim_sc_stmt *st, bool named, bool brief)
{
	struct sc_buf b = { 0 };

	put_outcome(&b, r, st, &d->outcome, named, brief);
	return sc_buf_take(&b);
}
