/*
 * format.c - a statement back to text, in the canonical form the
 * parser reads back unchanged: the transcript's "what was asked" column,
 * and how the property tests print a shrunk counterexample; and a whole
 * file so, its comments and blank lines kept (pidsim fmt).
 *
 * Canonical means: defaults written out (the signal of kill and notify),
 * single spaces, signals by their Linux name, and an unnamed fork child
 * left unnamed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

/* snprintf() into a fixed buffer, counting what would not fit. */
struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	size_t at = o->len < o->size ? o->len : o->size;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf ? o->buf + at : NULL, o->buf ? o->size - at : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static const char *name(const struct pidsim_scenario *sc, int label)
{
	return sc->labels[label].name;
}

static void put_sig(struct out *o, int sig)
{
	const char *s = sc_sig_name(sig);

	if (s)
		put(o, " %s", s);
	else
		put(o, " %d", sig);
}

static void put_pid_of(struct out *o, const struct pidsim_scenario *sc,
		       const struct pidsim_sc_stmt *st, const struct pidsim_sc_pid *pid)
{
	put(o, " ");
	if (pid->ct >= 0)
		put(o, "%s:", name(sc, pid->ct));
	if (pid->label >= 0)
		put(o, "%s%s", pid->group ? "-" : "", name(sc, pid->label));
	else if (st->kind == PIDSIM_SC_WAIT && pid->nr == -1)
		put(o, "any");
	else
		put(o, "%d", pid->nr);
}

static void put_pid(struct out *o, const struct pidsim_scenario *sc,
		    const struct pidsim_sc_stmt *st)
{
	put_pid_of(o, sc, st, &st->pid);
}

static void put_item(struct out *o, const struct pidsim_scenario *sc,
		     int nr, int label)
{
	if (label < 0)
		put(o, "%d", nr);
	else if (nr == -1)
		put(o, "%s", name(sc, label));
	else
		put(o, "%d(%s)", nr, name(sc, label));
}

static void put_list(struct out *o, const struct pidsim_scenario *sc,
		     const struct pidsim_sc_match *m)
{
	put(o, " [");
	for (size_t i = 0; i < m->list_len; i++) {
		const struct pidsim_sc_item *it = &sc->items[m->list + i];

		put(o, i ? " " : "");
		put_item(o, sc, it->nr, it->label);
	}
	put(o, "]");
}

/* One alternative of an expect, its checks in a fixed order. */
static void put_match(struct out *o, const struct pidsim_scenario *sc,
		      const struct pidsim_sc_match *m)
{
	if (m->what & PIDSIM_SC_M_LIST)
		put_list(o, sc, m);
	if (m->what & PIDSIM_SC_M_STATE)
		put(o, " %s", sc_state_name(m->state));
	if (m->what & (PIDSIM_SC_M_NR | PIDSIM_SC_M_LABEL)) {
		put(o, " ");
		put_item(o, sc, m->what & PIDSIM_SC_M_NR ? m->nr : -1,
			 m->what & PIDSIM_SC_M_LABEL ? m->label : -1);
	}
	if (m->what & PIDSIM_SC_M_ERR)
		put(o, " %s", pidsim_errname(m->err));
	if (m->what & PIDSIM_SC_M_OK)
		put(o, " ok");
	if (m->what & PIDSIM_SC_M_NOPID)
		put(o, " nopid");
	if (m->what & PIDSIM_SC_M_LIMIT)
		put(o, " limit");
	if (m->what & PIDSIM_SC_M_EXITED)
		put(o, " exited %d", m->code);
	if (m->what & PIDSIM_SC_M_KILLED) {
		put(o, " killed");
		put_sig(o, m->sig);
	}
}

/* The alternatives of an expect: " 2(a) or limit". */
static void put_alts(struct out *o, const struct pidsim_scenario *sc,
		     const struct pidsim_sc_stmt *st)
{
	for (size_t i = 0; i < st->nr_alts; i++) {
		put(o, i ? " or" : "");
		put_match(o, sc, &sc->matches[st->alt + i]);
	}
}

static void put_expect(struct out *o, const struct pidsim_scenario *sc,
		       const struct pidsim_sc_stmt *st)
{
	const struct pidsim_sc_sel *sel = &st->sel;

	if (sel->design[0])
		put(o, " @%s%s", sel->not_design ? "!" : "", sel->design);
	for (size_t i = 0; sc_flags[i]; i++)
		if ((sel->on | sel->off) & sc_flags[i])
			put(o, " @%s%s", sel->off & sc_flags[i] ? "!" : "",
			    pidsim_flag_name(sc_flags[i]));
	put_alts(o, sc, st);
}

/* The arguments after the statement's word: one case per statement kind,
 * kept in one switch so that it reads against parse_stmt.c. */
static void put_args(struct out *o, const struct pidsim_scenario *sc,
		     const struct pidsim_sc_stmt *st)
{
	switch (st->kind) {
	case PIDSIM_SC_KERNEL:
		put(o, " %s", name(sc, st->def));
		if (sc->kernels[st->kernel].design[0])
			put(o, " design %s", sc->kernels[st->kernel].design);
		if (st->arg)
			put(o, " pid_max %d", st->arg);
		return;
	case PIDSIM_SC_NOTIFY:
		put(o, " %s", name(sc, st->obj));
		put_sig(o, st->arg);
		return;
	case PIDSIM_SC_CLOSE:
		put(o, " %s", name(sc, st->obj));
		return;
	case PIDSIM_SC_EXPECT:
		put_expect(o, sc, st);
		return;
	default:
		break;
	}
	put(o, " %s", name(sc, st->who));
	if (st->kind == PIDSIM_SC_FORK && (st->arg & PIDSIM_CLONE_NEWPID))
		put(o, " newpid");
	if (st->kind == PIDSIM_SC_EXIT && st->arg)
		put(o, " %d", st->arg);
	if (st->kind == PIDSIM_SC_WAIT || st->kind == PIDSIM_SC_KILL ||
	    st->kind == PIDSIM_SC_REF || st->kind == PIDSIM_SC_SETOWN)
		put_pid(o, sc, st);
	if (st->kind == PIDSIM_SC_KILL)
		put_sig(o, st->arg);
	if (st->kind == PIDSIM_SC_PS && st->ct >= 0)
		put(o, " %s", name(sc, st->ct));
	if (st->kind == PIDSIM_SC_PS && ((unsigned)st->arg & PIDSIM_SC_GROUPS))
		put(o, " groups");
	if (st->kind == PIDSIM_SC_SETPGID) {
		put_pid(o, sc, st);
		put_pid_of(o, sc, st, &st->pgid);
	}
	if ((st->kind == PIDSIM_SC_GETPGID || st->kind == PIDSIM_SC_GETSID) &&
	    (st->pid.label >= 0 || st->pid.nr))
		put_pid(o, sc, st);
	if (st->kind == PIDSIM_SC_RESOLVE)
		put(o, " %s", name(sc, st->pid.label));
	if (st->kind == PIDSIM_SC_CHURN)
		put(o, " %d", st->arg);
	if (st->kind == PIDSIM_SC_CHECKPOINT || st->kind == PIDSIM_SC_MIGRATE)
		put(o, " %s", name(sc, st->pid.label));
	if (st->kind == PIDSIM_SC_MIGRATE)
		put(o, " %s", name(sc, st->ct));
	if (st->kind == PIDSIM_SC_RESTORE)
		put(o, " %s", name(sc, st->obj));
	if ((st->kind == PIDSIM_SC_CHECKPOINT || st->kind == PIDSIM_SC_MIGRATE) &&
	    ((unsigned)st->arg & PIDSIM_SC_TREE))
		put(o, " tree");
	if ((st->kind == PIDSIM_SC_RESTORE || st->kind == PIDSIM_SC_MIGRATE) &&
	    ((unsigned)st->arg & PIDSIM_SC_INTO))
		put(o, " into");
	if (st->def >= 0 && !sc->labels[st->def].hidden)
		put(o, " -> %s", name(sc, st->def));
}

int pidsim_sc_format(const struct pidsim_scenario *sc, size_t i, char *buf,
		     size_t size)
{
	struct out o = { buf, size, 0 };

	if (!buf && size)
		return -EINVAL;
	if (size)
		buf[0] = '\0';
	if (!sc || i >= sc->nr_stmts)
		return -EINVAL;
	put(&o, "%s", pidsim_sc_kind_name(sc->stmts[i].kind));
	put_args(&o, sc, &sc->stmts[i]);
	return (int)o.len;
}

/* Statement i as a new string (NULL when out of memory). */
char *sc_format_alloc(const struct pidsim_scenario *sc, size_t i)
{
	int n = pidsim_sc_format(sc, i, NULL, 0);
	char *s = n < 0 ? NULL : malloc((size_t)n + 1);

	if (s)
		pidsim_sc_format(sc, i, s, (size_t)n + 1);
	return s;
}

char *sc_format_expected(const struct pidsim_scenario *sc, size_t i)
{
	struct out o = { NULL, 0, 0 };
	char *s;

	put_alts(&o, sc, &sc->stmts[i]);
	s = malloc(o.len + 1);
	if (!s)
		return NULL;
	o = (struct out){ s, o.len + 1, 0 };
	put_alts(&o, sc, &sc->stmts[i]);
	return o.len ? memmove(s, s + 1, o.len) : s;	/* the leading space */
}

int pidsim_sc_write(const struct pidsim_scenario *sc, FILE *f)
{
	if (!sc || !f)
		return -EINVAL;
	for (size_t i = 0; i < sc->nr_stmts; i++) {
		char *s = sc_format_alloc(sc, i);
		int err = !s ? -ENOMEM : fprintf(f, "%s\n", s) < 0 ? -EIO : 0;

		free(s);
		if (err)
			return err;
	}
	return 0;
}

/* ---- A whole file ------------------------------------------------------ */

/* One line of the file in canonical form, into b: its statement (stmt, or
 * NULL for none), then its comment, if any, in its column; no trailing
 * blanks.  A line without a statement keeps its indentation. */
static void fmt_line(struct sc_buf *b, const char *stmt, const char *s, size_t len)
{
	size_t hash = sc_comment_at(s, len), start = b->len;

	while (len > hash && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!stmt) {
		sc_buf_printf(b, "%.*s", (int)len, s);
	} else {
		size_t n = strlen(stmt);

		sc_buf_printf(b, "%s", stmt);
		if (hash < len)
			sc_buf_printf(b, "%*s%.*s", n + 4 <= PIDSIM_SC_COMMENT_COL ?
				      (int)(PIDSIM_SC_COMMENT_COL - 1 - n) : 3, "",
				      (int)(len - hash), s + hash);
	}
	while (b->len > start && !b->oom &&
	       (b->p[b->len - 1] == ' ' || b->p[b->len - 1] == '\t'))
		b->p[--b->len] = '\0';
	sc_buf_printf(b, "\n");
}

/* The lines of text, each statement of sc in place of its own text. */
static int fmt_lines(const struct pidsim_scenario *sc, const char *text, size_t len,
		     struct sc_buf *b)
{
	size_t at = 0, next = 0;
	unsigned line = 0;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t whole = nl ? (size_t)(nl - (text + at)) : len - at;
		size_t n = whole && text[at + whole - 1] == '\r' ? whole - 1 : whole;
		char *stmt = NULL;

		line++;
		if (next < sc->nr_stmts && sc->stmts[next].line == line) {
			stmt = sc_format_alloc(sc, next++);
			if (!stmt)
				return -ENOMEM;
		}
		fmt_line(b, stmt, text + at, n);
		free(stmt);
		at += whole + 1;
	}
	return b->oom ? -ENOMEM : 0;
}

int pidsim_sc_fmt(const char *text, size_t len, char **out, size_t *out_len,
		  struct pidsim_sc_error *err)
{
	struct pidsim_scenario *sc = NULL;
	struct sc_buf b = { 0 };
	int ret;

	if (!out || !out_len || (!text && len))
		return -EINVAL;
	ret = pidsim_sc_parse(text, len, &sc, err);
	if (ret)
		return ret;
	ret = fmt_lines(sc, text, len, &b);
	pidsim_sc_free(sc);
	if (ret) {
		sc_buf_free(&b);
		return ret;
	}
	*out_len = b.len;
	*out = sc_buf_take(&b);	/* "" for an empty file */
	return *out ? 0 : -ENOMEM;
}
