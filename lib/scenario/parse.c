/*
 * parse.c - scenario text to a statement list.
 *
 * A pure function of its input: no I/O, no global state, nothing run.  It
 * reads one line at a time, splits it into tokens, and parses the tokens
 * with one function per statement kind.  Everything that can be checked
 * without running is checked here, so that a file that parses runs to the
 * end on every design: label syntax and kinds, definition before use, one
 * kernel per label, number ranges, and what an expect can say about
 * the statement it follows.  The first error stops the parse with its line,
 * its column and what was expected (the grammar is docs/scenarios.md).
 *
 * Memory is bounded: a line is at most PIDSIM_SC_MAX_LINE bytes, a file at
 * most PIDSIM_SC_MAX_STMTS statements and MAX_ITEMS expected values, and
 * every allocation is checked.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Words with a meaning of their own, which therefore name no label. */
static const char *const reserved[] = {
	"kernel", "fork", "exit", "wait", "kill", "getpid", "getppid", "ps",
	"ref", "resolve", "setown", "notify", "close", "churn", "expect",
	"migrate", "checkpoint", "restore", "restart", "tree", "into", "design",
	"setpgid", "setsid", "getpgid", "getsid", "groups",
	"any", "newpid", "pid_max", "or",
	"ok", "nopid", "limit", "running", "zombie", "gone", "exited", "killed",
	NULL,
};

/* ---- Errors --------------------------------------------------------------- */

int sc_fail(struct parser *p, unsigned col, const char *fmt, ...)
{
	va_list ap;

	p->err->line = p->line;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int sc_fail_oom(struct parser *p)
{
	sc_fail(p, 1, "out of memory");
	return -ENOMEM;
}

/* A token, quoted for a message and cut short if long. */
static const char *show(const struct tok *t, char *buf, size_t size)
{
	int n = t->len > SHOW_TOKEN ? SHOW_TOKEN : (int)t->len;

	snprintf(buf, size, "'%.*s%s'", n, t->s, t->len > SHOW_TOKEN ? "..." : "");
	return buf;
}

/* "expected WHAT, got 'TOKEN'", or "expected WHAT" at the end of the line. */
int sc_fail_expected(struct parser *p, const struct tok *t, const char *what)
{
	char buf[SHOW_TOKEN + 8];

	if (!t)
		return sc_fail(p, p->eol_col, "expected %s", what);
	return sc_fail(p, t->col, "expected %s, got %s", what, show(t, buf, sizeof buf));
}

/* ---- Tokens ------------------------------------------------------------------ */

static int want_end(struct parser *p)
{
	const struct tok *t = peek(p);

	return t ? sc_fail_expected(p, t, "end of line") : 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_bracket(char c)
{
	return c == '[' || c == ']';
}

/* Check a byte: NUL, control bytes and (outside comments) non-ASCII bytes
 * are errors; a CR only ends a line (CRLF), and the caller takes it off. */
static int check_byte(struct parser *p, const char *s, size_t i, bool comment)
{
	unsigned char c = (unsigned char)s[i];

	if (c == '\t')
		return 0;
	if (c < 0x20 || c == 0x7f)
		return sc_fail(p, (unsigned)i + 1,
			    "unexpected byte 0x%02x (is this a binary file?)", c);
	if (c >= 0x80 && !comment)
		return sc_fail(p, (unsigned)i + 1,
			    "unexpected byte 0x%02x (non-ASCII is allowed only in comments)", c);
	return 0;
}

/* Whether s[i] starts a word: the line's first byte, or one after a
 * blank or a bracket, or a bracket itself. */
static bool starts_word(const char *s, size_t i)
{
	return i == 0 || is_space(s[i - 1]) || is_bracket(s[i - 1]) ||
	       is_bracket(s[i]);
}

size_t sc_comment_at(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '#' && starts_word(s, i))
			return i;
	return len;
}

/* Split a line into tokens: runs of non-blank bytes, with '[' and ']'
 * tokens of their own; '#' at the start of a token begins a comment. */
static int tokenize(struct parser *p, const char *s, size_t len)
{
	bool comment = false;
	size_t i;
	int err;

	p->nr_toks = p->pos = 0;
	p->eol_col = 1;
	for (i = 0; i < len; i++) {
		bool starts;

		if (i >= PIDSIM_SC_MAX_LINE)
			return sc_fail(p, PIDSIM_SC_MAX_LINE + 1,
				    "line longer than %d bytes", PIDSIM_SC_MAX_LINE);
		err = check_byte(p, s, i, comment);
		if (err)
			return err;
		if (comment || is_space(s[i]))
			continue;
		starts = starts_word(s, i);
		if (starts && s[i] == '#') {
			comment = true;
			continue;
		}
		if (starts)
			p->toks[p->nr_toks++] = (struct tok){ s + i, 0, (unsigned)i + 1 };
		p->toks[p->nr_toks - 1].len++;
		p->eol_col = (unsigned)i + 2;
	}
	return 0;
}

/* ---- Storage -------------------------------------------------------------------- */

/* Room for one more element of size in *arr (holding *nr of *cap). */
int sc_grow(void **arr, size_t *cap, size_t nr, size_t size)
{
	size_t ncap;
	void *n;

	if (nr < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	n = realloc(*arr, ncap * size);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

static int new_stmt(struct parser *p, enum pidsim_sc_kind kind, unsigned col,
		    struct pidsim_sc_stmt **out)
{
	struct pidsim_scenario *sc = p->sc;

	if (sc->nr_stmts >= PIDSIM_SC_MAX_STMTS)
		return sc_fail(p, col, "too many statements (at most %d)",
			    PIDSIM_SC_MAX_STMTS);
	if (sc_grow((void **)&sc->stmts, &sc->cap_stmts, sc->nr_stmts, sizeof *sc->stmts))
		return sc_fail_oom(p);
	*out = &sc->stmts[sc->nr_stmts];
	**out = (struct pidsim_sc_stmt){
		.kind = kind, .line = p->line, .col = col, .kernel = -1,
		.who = -1, .def = -1, .pid = { -1, 0, -1, false },
		.pgid = { -1, 0, -1, false }, .ct = -1, .obj = -1,
	};
	return 0;
}

/* Keep the statement new_stmt() handed out. */
static void commit_stmt(struct parser *p)
{
	struct pidsim_scenario *sc = p->sc;

	if (sc->stmts[sc->nr_stmts].kind != PIDSIM_SC_EXPECT) {
		p->last = sc->nr_stmts;
		p->have_last = true;
	}
	sc->nr_stmts++;
}

int sc_add_label(struct parser *p, const char *name, size_t len,
		     enum pidsim_sc_label_kind kind, int kernel, int *out)
{
	struct pidsim_scenario *sc = p->sc;
	struct pidsim_sc_label *l;

	if (sc_grow((void **)&sc->labels, &sc->cap_labels, sc->nr_labels,
		 sizeof *sc->labels))
		return sc_fail_oom(p);
	l = &sc->labels[sc->nr_labels];
	memset(l, 0, sizeof *l);
	memcpy(l->name, name, len);
	l->kind = kind;
	l->kernel = kernel;
	l->line = p->line;
	switch (sc_names_add(sc, (int)sc->nr_labels)) {
	case 0:
		break;
	case -ENOMEM:
		return sc_fail_oom(p);
	default:
		return sc_fail(p, 1, "label '%s' is already defined", l->name);
	}
	*out = (int)sc->nr_labels++;
	return 0;
}

/* ---- Labels --------------------------------------------------------------------- */

bool sc_is_reserved(const struct tok *t)
{
	for (size_t i = 0; reserved[i]; i++)
		if (tok_is(t, reserved[i]))
			return true;
	return false;
}

/* A label is a lowercase letter, then lowercase letters, digits, '_'. */
bool sc_label_syntax(const char *s, size_t len)
{
	if (len == 0 || len > PIDSIM_SC_MAX_LABEL || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return false;
	return true;
}

/* Boot the kernel "host" with the default pid_max, on first use. */
static int implicit_host(struct parser *p, int *out)
{
	struct pidsim_scenario *sc = p->sc;
	int idx, err;

	if (sc->nr_kernels >= PIDSIM_SC_MAX_KERNELS)
		return sc_fail(p, 1, "too many kernel images (at most %d)",
			    PIDSIM_SC_MAX_KERNELS);
	err = sc_add_label(p, "host", 4, PIDSIM_SC_TASK, (int)sc->nr_kernels, &idx);
	if (err)
		return err;
	sc->labels[idx].line = 0;
	sc->kernels[sc->nr_kernels++] = (struct pidsim_sc_kernel){
		.init = idx, .pid_max = 0, .stmt = (size_t)-1,
	};
	p->host_use = p->line;
	*out = idx;
	return 0;
}

/* The label a token names, of one of the kinds in mask (1 << kind). */
int sc_find_label(struct parser *p, const struct tok *t, unsigned mask,
		      const char *what, int *out)
{
	int idx;

	if (!t || !sc_label_syntax(t->s, t->len) || sc_is_reserved(t))
		return sc_fail_expected(p, t, what);
	idx = sc_names_find(p->sc, t->s, t->len);
	if (idx < 0 && tok_is(t, "host"))
		return implicit_host(p, out);
	if (idx < 0)
		return sc_fail(p, t->col, "unknown label '%.*s': define it first "
			    "(fork ... -> %.*s)", (int)t->len, t->s,
			    (int)t->len, t->s);
	if (!(mask & (1u << p->sc->labels[idx].kind)))
		return sc_fail(p, t->col, "expected %s, but '%.*s' is %s", what,
			    (int)t->len, t->s,
			    p->sc->labels[idx].kind == PIDSIM_SC_OBJECT ?
			    "an object (from setown)" :
			    p->sc->labels[idx].kind == PIDSIM_SC_CKPT ?
			    "an image (from checkpoint)" : "a task");
	*out = idx;
	return 0;
}

/* A label that must live on the same kernel as the statement. */
int sc_same_kernel(struct parser *p, const struct tok *t, int label, int kernel)
{
	const struct pidsim_scenario *sc = p->sc;
	int other = sc->labels[label].kernel;

	if (other == kernel)
		return 0;
	return sc_fail(p, t->col, "'%s' lives on kernel '%s', not on kernel '%s'",
		    sc->labels[label].name, sc->labels[sc->kernels[other].init].name,
		    sc->labels[sc->kernels[kernel].init].name);
}

/* The task making the call: the statement's first argument, which also
 * decides the kernel the statement runs on. */
int sc_parse_who(struct parser *p, const char *stmt, struct pidsim_sc_stmt *st)
{
	char what[64];
	int err;

	snprintf(what, sizeof what, "a task label after '%s'", stmt);
	err = sc_find_label(p, next(p), TASKS, what, &st->who);
	if (err)
		return err;
	st->kernel = p->sc->labels[st->who].kernel;
	return 0;
}

/* "-> LABEL": a new label of kind, on kernel. */
int sc_parse_def(struct parser *p, enum pidsim_sc_label_kind kind, int kernel,
		     int *out)
{
	const struct tok *t = next(p);
	int idx;

	if (!tok_is(t, "->"))
		return sc_fail_expected(p, t, "'->' and a new label");
	t = next(p);
	if (t && sc_is_reserved(t))
		return sc_fail(p, t->col, "expected a new label, got '%.*s', which is "
			    "a keyword", (int)t->len, t->s);
	if (!t || !sc_label_syntax(t->s, t->len))
		return sc_fail_expected(p, t, "a new label (a lowercase letter, then "
				     "lowercase letters, digits or '_', at most 31)");
	if (tok_is(t, "host"))
		return sc_fail(p, t->col, "'host' names the init of the default "
			    "kernel image; choose another label");
	idx = sc_names_find(p->sc, t->s, t->len);
	if (idx >= 0)
		return sc_fail(p, t->col, "label '%.*s' is already defined (line %u)",
			    (int)t->len, t->s, p->sc->labels[idx].line);
	return sc_add_label(p, t->s, t->len, kind, kernel, out);
}

/* ---- Numbers ------------------------------------------------------------------- */

/* A decimal integer in s[0..len): -1 when it is not one, -2 when it is
 * one but outside lo..hi. */
int sc_number_in(const char *s, size_t len, long lo, long hi, int *out)
{
	size_t i = s[0] == '-' ? 1 : 0;
	long long v = 0;

	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (!is_digit(s[i]))
			return -1;
		if (v <= 10000000000LL)	/* no overflow; still out of range */
			v = v * 10 + (s[i] - '0');
	}
	if (s[0] == '-')
		v = -v;
	if (v < lo || v > hi)
		return -2;
	*out = (int)v;
	return 0;
}

int sc_parse_number(struct parser *p, const struct tok *t, long lo, long hi,
			const char *what, int *out)
{
	int r;

	if (!t)
		return sc_fail_expected(p, t, what);
	r = sc_number_in(t->s, t->len, lo, hi, out);
	if (r == -1)
		return sc_fail_expected(p, t, what);
	if (r == -2)
		return sc_fail(p, t->col, "number %.*s out of range (%ld..%ld)",
			    t->len > SHOW_TOKEN ? SHOW_TOKEN : (int)t->len, t->s, lo, hi);
	return 0;
}

/* A signal: a Linux name (KILL, SIGTERM) or any int. */
int sc_parse_sig(struct parser *p, const struct tok *t, int *out)
{
	int sig;

	if (t && !is_digit(t->s[0]) && t->s[0] != '-') {
		sig = sc_sig_number(t->s, t->len);
		if (sig < 0)
			return sc_fail_expected(p, t, "a signal (a name such as KILL "
					     "or SIGTERM, or a number)");
		*out = sig;
		return 0;
	}
	return sc_parse_number(p, t, INT_RANGE, "a signal (a name such as KILL or "
			    "SIGTERM, or a number)", out);
}

/* ---- Pids ----------------------------------------------------------------- */

/* One side of a pid: a number, a task label on kernel, or -LABEL (the
 * process group the label's number names). */
static int pid_part(struct parser *p, const struct tok *t, int kernel,
		    struct pidsim_sc_pid *pid)
{
	struct tok lab = *t;
	int err;

	if (t->len > 1 && t->s[0] == '-' && t->s[1] >= 'a' && t->s[1] <= 'z') {
		lab = (struct tok){ t->s + 1, t->len - 1, t->col + 1 };
		pid->group = true;
		t = &lab;
	} else if (is_digit(t->s[0]) || t->s[0] == '-')
		return sc_parse_number(p, t, INT_RANGE, "a pid (a number or a task label)",
				    &pid->nr);
	err = sc_find_label(p, t, TASKS, "a pid (a number or a task label)", &pid->label);
	return err ? err : sc_same_kernel(p, t, pid->label, kernel);
}

/* PID: a number, a label, CT:NUMBER or CT:LABEL; `any` where allowed. */
int sc_parse_pid(struct parser *p, int kernel, bool any, bool qualified,
		     struct pidsim_sc_pid *pid)
{
	const struct tok *t = next(p);
	const char *colon;
	struct tok ct, rest;
	int err;

	*pid = (struct pidsim_sc_pid){ -1, 0, -1, false };
	if (!t)
		return sc_fail_expected(p, t, any ? "a pid or 'any'" : "a pid");
	if (any && tok_is(t, "any")) {
		pid->nr = -1;
		return 0;
	}
	colon = memchr(t->s, ':', t->len);
	if (!colon)
		return pid_part(p, t, kernel, pid);
	if (!qualified)
		return sc_fail(p, t->col, "expected a pid: this statement takes no "
			    "qualified CONTAINER:PID address");
	ct = (struct tok){ t->s, (size_t)(colon - t->s), t->col };
	rest = (struct tok){ colon + 1, t->len - ct.len - 1,
			     t->col + (unsigned)ct.len + 1 };
	err = sc_find_label(p, &ct, TASKS, "a container label before ':'", &pid->ct);
	if (!err)
		err = sc_same_kernel(p, &ct, pid->ct, kernel);
	if (err)
		return err;
	if (!rest.len)
		return sc_fail(p, rest.col, "expected a pid after ':'");
	return pid_part(p, &rest, kernel, pid);
}

/* ---- Lines ------------------------------------------------------------------------- */

static const struct {
	const char *word;
	enum pidsim_sc_kind kind;
	int (*parse)(struct parser *p, struct pidsim_sc_stmt *st);
} statements[] = {
	{ "kernel", PIDSIM_SC_KERNEL, sc_parse_kernel },
	{ "fork", PIDSIM_SC_FORK, sc_parse_fork },
	{ "exit", PIDSIM_SC_EXIT, sc_parse_exit },
	{ "wait", PIDSIM_SC_WAIT, sc_parse_wait },
	{ "kill", PIDSIM_SC_KILL, sc_parse_kill },
	{ "getpid", PIDSIM_SC_GETPID, sc_parse_getpid },
	{ "getppid", PIDSIM_SC_GETPPID, sc_parse_getpid },
	{ "ps", PIDSIM_SC_PS, sc_parse_ps },
	{ "ref", PIDSIM_SC_REF, sc_parse_ref },
	{ "resolve", PIDSIM_SC_RESOLVE, sc_parse_resolve },
	{ "setown", PIDSIM_SC_SETOWN, sc_parse_setown },
	{ "notify", PIDSIM_SC_NOTIFY, sc_parse_notify },
	{ "close", PIDSIM_SC_CLOSE, sc_parse_notify },
	{ "churn", PIDSIM_SC_CHURN, sc_parse_churn },
	{ "expect", PIDSIM_SC_EXPECT, sc_parse_expect },
	{ "checkpoint", PIDSIM_SC_CHECKPOINT, sc_parse_checkpoint },
	{ "restore", PIDSIM_SC_RESTORE, sc_parse_restore },
	{ "migrate", PIDSIM_SC_MIGRATE, sc_parse_migrate },
	{ "setpgid", PIDSIM_SC_SETPGID, sc_parse_setpgid },
	{ "setsid", PIDSIM_SC_SETSID, sc_parse_getpid },
	{ "getpgid", PIDSIM_SC_GETPGID, sc_parse_getpgid },
	{ "getsid", PIDSIM_SC_GETSID, sc_parse_getpgid },
};
#define NR_STATEMENTS (sizeof statements / sizeof statements[0])

const char *pidsim_sc_kind_name(enum pidsim_sc_kind kind)
{
	for (size_t i = 0; i < NR_STATEMENTS; i++)
		if (statements[i].kind == kind)
			return statements[i].word;
	return NULL;
}

/* "a statement (kernel, fork, ... or migrate)": every keyword of the
 * table, for the message of a line that starts with none of them. */
static const char *statement_list(void)
{
	static char list[256];
	size_t n;

	if (list[0])
		return list;
	n = (size_t)snprintf(list, sizeof list, "a statement (");
	for (size_t i = 0; i < NR_STATEMENTS && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
				      i == 0 ? "" : i + 1 < NR_STATEMENTS ? ", " : " or ",
				      statements[i].word);
	if (n < sizeof list)
		snprintf(list + n, sizeof list - n, ")");
	return list;
}

/* One line's statement, if it has one. */
static int parse_line(struct parser *p, const char *s, size_t len)
{
	const struct tok *t;
	struct pidsim_sc_stmt *st = NULL;
	int err = tokenize(p, s, len);

	if (err || !(t = next(p)))
		return err;
	if (tok_is(t, "restart"))
		return sc_fail(p, t->col, "'restart' is reserved: the statement is "
			    "'restore'");
	for (size_t i = 0; i < NR_STATEMENTS; i++) {
		if (!tok_is(t, statements[i].word))
			continue;
		err = new_stmt(p, statements[i].kind, t->col, &st);
		if (!err)
			err = statements[i].parse(p, st);
		if (!err)
			err = want_end(p);
		if (!err)
			commit_stmt(p);
		return err;
	}
	return sc_fail_expected(p, t, statement_list());
}

void pidsim_sc_free(struct pidsim_scenario *sc)
{
	if (!sc)
		return;
	free(sc->stmts);
	free(sc->labels);
	free(sc->matches);
	free(sc->items);
	sc_names_free(sc->names);
	free(sc);
}

int pidsim_sc_parse(const char *text, size_t len, struct pidsim_scenario **out,
		    struct pidsim_sc_error *err)
{
	struct pidsim_sc_error spare;
	struct parser *p;
	size_t at = 0;
	int ret = 0;

	if (!err)
		err = &spare;
	memset(err, 0, sizeof *err);
	if (!out || (!text && len))
		return -EINVAL;
	p = calloc(1, sizeof *p);
	if (!p || !(p->sc = calloc(1, sizeof *p->sc))) {
		free(p);
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return -ENOMEM;
	}
	p->err = err;
	while (at < len && !ret) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;

		/* The newline, LF or CRLF, is not part of the line. */
		p->line++;
		ret = parse_line(p, text + at, n && text[at + n - 1] == '\r' ? n - 1 : n);
		at += n + 1;
	}
	if (ret)
		pidsim_sc_free(p->sc);
	else
		*out = p->sc;
	free(p);
	return ret;
}
