/*
 * run_expect.c - expects: `expect {@SELECTOR} MATCHERS {or MATCHERS}` checks
 * the outcome of the statement before it on every design the selectors
 * choose; one alternative whose every check holds passes.  A statement
 * that did not run is skipped, not failed.  A failure says what was
 * expected and what came back, per design.
 */
#include <errno.h>
#include <string.h>

#include "run.h"

/* Whether the expect's selectors choose the design. */
static bool selected(const struct pidsim_sc_sel *sel,
		     const struct pidsim_design_info *info)
{
	if (sel->design[0] && (strcmp(sel->design, info->name) == 0) == sel->not_design)
		return false;
	return (info->flags & sel->on) == sel->on && !(info->flags & sel->off);
}

/* Whether the task the result names is label's (which may be an alias). */
static bool names_label(const struct run *r, const struct design_run *d, int result,
			int label)
{
	pidsim_tid t = d->labels[label].tid;

	return result >= 0 && t && t == d->labels[result].tid &&
	       r->sc->labels[label].kernel == r->sc->labels[result].kernel;
}

/* One item of an expected ps list: its number and label, where given. */
static bool item_matches(const struct run *r, const struct design_run *d,
			 const struct pidsim_sc_item *it, int nr, int label)
{
	return (it->nr == -1 || it->nr == nr) &&
	       (it->label < 0 || names_label(r, d, label, it->label));
}

/* Every expected pid matches a different pid of the list, in any order. */
static bool list_matches(const struct run *r, const struct design_run *d,
			 const struct pidsim_sc_match *m)
{
	const struct outcome *outcome = &d->outcome;
	bool *u = outcome->used, ok = m->list_len == outcome->n;

	for (size_t j = 0; ok && j < outcome->n; j++)
		u[j] = false;

	for (size_t i = 0; ok && i < m->list_len; i++) {
		const struct pidsim_sc_item *it = &r->sc->items[m->list + i];
		size_t j;

		for (j = 0; j < outcome->n; j++)
			if (!u[j] && item_matches(r, d, it, outcome->pids[j],
						  outcome->plabels[j]))
				break;
		ok = j < outcome->n;
		if (ok)
			u[j] = true;
	}
	return ok;
}

/* wait: the task exited with the code, or was killed by the signal. */
static bool status_matches(const struct pidsim_sc_match *m,
			   const struct outcome *outcome)
{
	int sig = outcome->status & 0x7f;

	if (outcome->ret <= 0)
		return false;
	if (m->what & PIDSIM_SC_M_EXITED)
		return sig == 0 && ((outcome->status >> 8) & 0xff) == m->code;
	return sig != 0 && sig == m->sig;
}

/* One alternative: every check it makes holds. */
static bool match(const struct run *r, const struct design_run *d,
		  const struct pidsim_sc_match *m)
{
	const struct outcome *outcome = &d->outcome;
	unsigned w = m->what;

	if ((outcome->how == OUTCOME_NO_PID) != !!(w & PIDSIM_SC_M_NOPID))
		return false;
	if (outcome->how == OUTCOME_NO_PID)
		return true;
	if ((w & PIDSIM_SC_M_NR) && outcome->nr != m->nr)
		return false;
	if ((w & PIDSIM_SC_M_LABEL) && !names_label(r, d, outcome->label, m->label))
		return false;
	if ((w & PIDSIM_SC_M_ERR) && outcome->ret != -m->err)
		return false;
	if ((w & PIDSIM_SC_M_OK) && outcome->ret < 0)
		return false;
	if ((w & PIDSIM_SC_M_LIMIT) && !outcome->limit[0])
		return false;
	if ((w & PIDSIM_SC_M_STATE) && outcome->state != m->state &&
	    !(m->state < 0 && outcome->state < 0))
		return false;
	if ((w & (PIDSIM_SC_M_EXITED | PIDSIM_SC_M_KILLED)) &&
	    !status_matches(m, outcome))
		return false;
	return !(w & PIDSIM_SC_M_LIST) || list_matches(r, d, m);
}

/* An expect on one design: how it went. */
static enum sc_verdict check_expect(struct run *r, const struct design_run *d,
				    const struct pidsim_sc_stmt *st)
{
	if (!selected(&st->sel, d->info))
		return SC_UNSELECTED;
	if (d->outcome.how == OUTCOME_NOT_RUN)
		return SC_SKIP;
	r->sum.expects++;
	for (size_t i = 0; i < st->nr_alts; i++)
		if (match(r, d, &r->sc->matches[st->alt + i]))
			return SC_PASS;
	r->sum.failed++;
	return SC_FAIL;
}

static const char *const expect_cell[] = {
	[SC_PASS] = "pass", [SC_FAIL] = "FAIL", [SC_SKIP] = "skip",
	[SC_UNSELECTED] = "",
};

/* The expect on every design: a cell each ("pass", "FAIL", "skip", or
 * empty where the selectors leave the design out), and for each design it
 * failed on, what it expected and what came back (the checked row's
 * cell): the row's note. */
int run_expect(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row)
{
	const struct sc_row *checked = &r->tab.rows[st->target];

	row->is_expect = true;
	row->target = st->target;
	row->expected = sc_format_expected(r->sc, (size_t)(st - r->sc->stmts));
	if (!row->expected)
		return -ENOMEM;
	for (size_t i = 0; i < r->nr_designs; i++) {
		struct sc_buf why = { 0 }, cell = { 0 };

		row->verdict[i] = check_expect(r, &r->designs[i], st);
		sc_buf_printf(&cell, "%s", expect_cell[row->verdict[i]]);
		row->cells[i] = sc_buf_take(&cell);
		if (!row->cells[i])
			return -ENOMEM;
		if (row->verdict[i] != SC_FAIL)
			continue;
		row->violation = true;
		sc_buf_printf(&why, "expected %s, got %s", row->expected,
			      checked->cells[i]);
		row->why[i] = sc_buf_take(&why);
		if (!row->why[i])
			return -ENOMEM;
	}
	return run_note(r, row, 0);
}
