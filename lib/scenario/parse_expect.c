/*
 * parse_expect.c - expect: what the statement before it should give, on
 * every design or on those its selectors pick, as alternatives of
 * matchers (docs/scenarios.md, "expect").
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Which checks an expect can make on each kind of statement. */
static unsigned allowed_matches(enum pidsim_sc_kind kind)
{
	unsigned base = PIDSIM_SC_M_NR | PIDSIM_SC_M_ERR | PIDSIM_SC_M_OK |
			PIDSIM_SC_M_NOPID | PIDSIM_SC_M_LIMIT;

	switch (kind) {
	case PIDSIM_SC_FORK: case PIDSIM_SC_GETPID: case PIDSIM_SC_GETPPID:
	case PIDSIM_SC_REF: case PIDSIM_SC_NOTIFY: case PIDSIM_SC_RESTORE:
	case PIDSIM_SC_MIGRATE: case PIDSIM_SC_SETSID: case PIDSIM_SC_GETPGID:
	case PIDSIM_SC_GETSID:
		return base | PIDSIM_SC_M_LABEL;
	case PIDSIM_SC_WAIT:
		return base | PIDSIM_SC_M_LABEL | PIDSIM_SC_M_EXITED | PIDSIM_SC_M_KILLED;
	case PIDSIM_SC_RESOLVE:
		return base | PIDSIM_SC_M_LABEL | PIDSIM_SC_M_STATE;
	case PIDSIM_SC_PS:
		return base | PIDSIM_SC_M_LIST;
	default:
		return base;
	}
}

/* NUMBER, LABEL or NUMBER(LABEL): an expected pid.  A ps list holds pids,
 * and a result names a task only by a pid, so NUMBER is 1 or more there
 * (-1 stands for "any number" in an item). */
static int parse_item(struct parser *p, const struct tok *t, bool in_list,
		      struct pidsim_sc_item *it)
{
	const char *open = memchr(t->s, '(', t->len);
	struct tok lab;
	int r;

	*it = (struct pidsim_sc_item){ -1, -1 };
	if (!open) {
		if (is_digit(t->s[0]) || t->s[0] == '-')
			return in_list ? sc_parse_number(p, t, PID_RANGE, "a pid", &it->nr)
				       : sc_parse_number(p, t, INT_RANGE, "a pid", &it->nr);
		return sc_find_label(p, t, TASKS, "a pid (a number, a label or "
				  "NUMBER(LABEL))", &it->label);
	}
	lab = (struct tok){ open + 1, t->len - (size_t)(open - t->s) - 1,
			    t->col + (unsigned)(open - t->s) + 1 };
	r = sc_number_in(t->s, (size_t)(open - t->s), PID_RANGE, &it->nr);
	if (r == -1 || lab.len < 2 || lab.s[lab.len - 1] != ')')
		return sc_fail_expected(p, t, "NUMBER(LABEL)");
	if (r == -2)
		return sc_fail(p, t->col, "expected NUMBER(LABEL) with a pid of 1 or "
			    "more: a task is named only by a pid");
	lab.len--;
	return sc_find_label(p, &lab, TASKS, "a task label inside ( )", &it->label);
}

static int add_item(struct parser *p, const struct pidsim_sc_item *it)
{
	struct pidsim_scenario *sc = p->sc;

	if (sc->nr_items >= MAX_ITEMS)
		return sc_fail(p, 1, "too many expected pids (at most %d)", MAX_ITEMS);
	if (sc_grow((void **)&sc->items, &sc->cap_items, sc->nr_items, sizeof *sc->items))
		return sc_fail_oom(p);
	sc->items[sc->nr_items++] = *it;
	return 0;
}

/* [ ITEM ... ] */
static int parse_list(struct parser *p, struct pidsim_sc_match *m)
{
	const struct tok *t;
	struct pidsim_sc_item it;
	int err;

	m->list = p->sc->nr_items;
	while ((t = next(p)) && !tok_is(t, "]")) {
		err = parse_item(p, t, true, &it);
		if (!err)
			err = add_item(p, &it);
		if (err)
			return err;
		m->list_len++;
	}
	return t ? 0 : sc_fail_expected(p, t, "']'");
}

/* A matcher word with an argument: exited CODE, killed SIGNAL. */
static int parse_status(struct parser *p, const struct tok *t, struct pidsim_sc_match *m,
			unsigned *bit)
{
	if (tok_is(t, "exited")) {
		*bit = PIDSIM_SC_M_EXITED;
		return sc_parse_number(p, next(p), 0, 255, "an exit code (0..255)", &m->code);
	}
	*bit = PIDSIM_SC_M_KILLED;
	return sc_parse_sig(p, next(p), &m->sig);
}

/* One matcher token (and its argument) into m; *bit says which check. */
static int parse_matcher(struct parser *p, const struct tok *t,
			 struct pidsim_sc_match *m, unsigned *bit)
{
	struct pidsim_sc_item it;
	unsigned both;
	int err;

	if (tok_is(t, "[")) {
		*bit = PIDSIM_SC_M_LIST;
		return parse_list(p, m);
	}
	if (tok_is(t, "exited") || tok_is(t, "killed"))
		return parse_status(p, t, m, bit);
	if (tok_is(t, "ok") || tok_is(t, "nopid") || tok_is(t, "limit")) {
		*bit = tok_is(t, "ok") ? PIDSIM_SC_M_OK : tok_is(t, "nopid") ?
		       PIDSIM_SC_M_NOPID : PIDSIM_SC_M_LIMIT;
		return 0;
	}
	if (tok_is(t, "running") || tok_is(t, "zombie") || tok_is(t, "gone")) {
		*bit = PIDSIM_SC_M_STATE;
		m->state = tok_is(t, "running") ? PIDSIM_RUNNING :
			   tok_is(t, "zombie") ? PIDSIM_ZOMBIE : -ESRCH;
		return 0;
	}
	if (t->s[0] == 'E') {
		*bit = PIDSIM_SC_M_ERR;
		m->err = sc_errno_number(t->s, t->len);
		return m->err ? 0 : sc_fail_expected(p, t, "an errno name such as ESRCH");
	}
	err = parse_item(p, t, false, &it);
	if (err)
		return err;
	both = PIDSIM_SC_M_NR | PIDSIM_SC_M_LABEL;
	/* Only the checks the item makes: NUMBER and LABEL in either order
	 * add up to what NUMBER(LABEL) checks. */
	*bit = 0;
	if (it.nr != -1 || it.label < 0) {
		*bit |= PIDSIM_SC_M_NR;
		if (!(m->what & PIDSIM_SC_M_NR))
			m->nr = it.nr;
	}
	if (it.label >= 0) {
		*bit |= PIDSIM_SC_M_LABEL;
		if (!(m->what & PIDSIM_SC_M_LABEL))
			m->label = it.label;
	}
	/* As in NUMBER(LABEL): a number that names a task is a pid. */
	if (((m->what | *bit) & both) == both && m->nr < 1)
		return sc_fail(p, t->col, "a number with a label must be a pid of 1 or "
			    "more: a task is named only by a pid");
	return 0;
}

/* MATCHER {MATCHER}: one alternative, up to 'or' or the end of the line. */
static int parse_alt(struct parser *p, enum pidsim_sc_kind kind)
{
	struct pidsim_scenario *sc = p->sc;
	struct pidsim_sc_match m = { 0 };
	const struct tok *t;
	char what[64];
	unsigned bit;
	int err;

	while ((t = peek(p)) && !tok_is(t, "or")) {
		next(p);
		err = parse_matcher(p, t, &m, &bit);
		if (err)
			return err;
		if (m.what & bit)
			return sc_fail(p, t->col, "this alternative already checks "
				    "that; use 'or' between alternatives");
		if (bit & ~allowed_matches(kind))
			return sc_fail(p, t->col, "%s '%s' result cannot be checked "
				    "that way", sc_article(pidsim_sc_kind_name(kind)),
				    pidsim_sc_kind_name(kind));
		m.what |= bit;
	}
	if (!m.what) {
		snprintf(what, sizeof what, "what '%s' should give", pidsim_sc_kind_name(kind));
		return sc_fail_expected(p, t, what);
	}
	if (sc->nr_matches >= MAX_ITEMS)
		return sc_fail(p, 1, "too many expect alternatives (at most %d)", MAX_ITEMS);
	if (sc_grow((void **)&sc->matches, &sc->cap_matches, sc->nr_matches,
		 sizeof *sc->matches))
		return sc_fail_oom(p);
	sc->matches[sc->nr_matches++] = m;
	return 0;
}

/* @DESIGN, @FLAG, @!DESIGN, @!FLAG: one more condition on the designs. */
static int parse_selector(struct parser *p, const struct tok *t, struct pidsim_sc_sel *sel)
{
	const char *s = t->s + 1;
	size_t len = t->len - 1;
	bool negate = len && s[0] == '!';
	unsigned flag;

	s += negate;
	len -= negate;
	flag = pidsim_flag_find(s, len);
	if (flag) {
		*(negate ? &sel->off : &sel->on) |= flag;
		return 0;
	}
	if (sel->design[0])
		return sc_fail(p, t->col, "one @DESIGN selector per expect");
	if (len && len <= PIDSIM_SC_MAX_LABEL) {
		memcpy(sel->design, s, len);
		sel->design[len] = '\0';
		sel->not_design = negate;
		if (pidsim_design_find(sel->design))
			return 0;
	}
	sel->design[0] = '\0';
	return sc_fail_expected(p, t, "@DESIGN or @FLAG (run 'pidsim designs' "
			     "for both lists)");
}

/* expect {@SELECTOR} MATCHERS {or MATCHERS} */
int sc_parse_expect(struct parser *p, struct pidsim_sc_stmt *st)
{
	enum pidsim_sc_kind kind;
	int err;

	if (!p->have_last)
		return sc_fail(p, st->col, "expect must follow the statement it checks");
	st->target = p->last;
	kind = p->sc->stmts[p->last].kind;
	while (peek(p) && peek(p)->s[0] == '@') {
		err = parse_selector(p, next(p), &st->sel);
		if (err)
			return err;
	}
	st->alt = p->sc->nr_matches;
	do {
		err = parse_alt(p, kind);
		if (err)
			return err;
		st->nr_alts++;
	} while (next(p));	/* the 'or' between alternatives */
	return 0;
}
