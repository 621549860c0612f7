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

#include "scenario.h"

#define MAX_TOKS (PIDSIM_SC_MAX_LINE + 1)
#define MAX_ITEMS 100000	/* expect alternatives and list items, each */
#define SHOW_TOKEN 40		/* bytes of a token quoted in a message */

struct tok {
	const char *s;
	size_t len;
	unsigned col;
};

struct parser {
	struct pidsim_scenario *sc;
	struct pidsim_sc_error *err;
	unsigned line;
	struct tok toks[MAX_TOKS];
	size_t nr_toks, pos;
	unsigned eol_col;	/* the column just past the last token */
	size_t last;		/* the last statement an expect may check */
	bool have_last;
	unsigned host_use;	/* line where the implicit host was booted */
};

/* Words with a meaning of their own, which therefore name no label. */
static const char *const reserved[] = {
	"kernel", "fork", "exit", "wait", "kill", "getpid", "getppid", "ps",
	"ref", "resolve", "setown", "notify", "close", "churn", "expect",
	"migrate", "checkpoint", "restore", "restart", "tree", "into", "design",
	"any", "newpid", "pid_max", "or",
	"ok", "nopid", "limit", "running", "zombie", "gone", "exited", "killed",
	NULL,
};

/* ---- Errors --------------------------------------------------------------- */

static int fail(struct parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, unsigned col, const char *fmt, ...)
{
	va_list ap;

	p->err->line = p->line;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int fail_oom(struct parser *p)
{
	fail(p, 1, "out of memory");
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
static int fail_expected(struct parser *p, const struct tok *t, const char *what)
{
	char buf[SHOW_TOKEN + 8];

	if (!t)
		return fail(p, p->eol_col, "expected %s", what);
	return fail(p, t->col, "expected %s, got %s", what, show(t, buf, sizeof buf));
}

/* ---- Tokens ------------------------------------------------------------------ */

static const struct tok *peek(const struct parser *p)
{
	return p->pos < p->nr_toks ? &p->toks[p->pos] : NULL;
}

static const struct tok *next(struct parser *p)
{
	return p->pos < p->nr_toks ? &p->toks[p->pos++] : NULL;
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t && strlen(word) == t->len && memcmp(t->s, word, t->len) == 0;
}

static int want_end(struct parser *p)
{
	const struct tok *t = peek(p);

	return t ? fail_expected(p, t, "end of line") : 0;
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
		return fail(p, (unsigned)i + 1,
			    "unexpected byte 0x%02x (is this a binary file?)", c);
	if (c >= 0x80 && !comment)
		return fail(p, (unsigned)i + 1,
			    "unexpected byte 0x%02x (non-ASCII is allowed only in comments)", c);
	return 0;
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
			return fail(p, PIDSIM_SC_MAX_LINE + 1,
				    "line longer than %d bytes", PIDSIM_SC_MAX_LINE);
		err = check_byte(p, s, i, comment);
		if (err)
			return err;
		if (comment || is_space(s[i]))
			continue;
		starts = i == 0 || is_space(s[i - 1]) || is_bracket(s[i - 1]) ||
			 is_bracket(s[i]);
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
static int grow(void **arr, size_t *cap, size_t nr, size_t size)
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
		return fail(p, col, "too many statements (at most %d)",
			    PIDSIM_SC_MAX_STMTS);
	if (grow((void **)&sc->stmts, &sc->cap_stmts, sc->nr_stmts, sizeof *sc->stmts))
		return fail_oom(p);
	*out = &sc->stmts[sc->nr_stmts];
	**out = (struct pidsim_sc_stmt){
		.kind = kind, .line = p->line, .col = col, .kernel = -1,
		.who = -1, .def = -1, .pid = { -1, 0, -1 }, .ct = -1, .obj = -1,
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

static int add_label(struct parser *p, const char *name, size_t len,
		     enum pidsim_sc_label_kind kind, int kernel, int *out)
{
	struct pidsim_scenario *sc = p->sc;
	struct pidsim_sc_label *l;

	if (grow((void **)&sc->labels, &sc->cap_labels, sc->nr_labels,
		 sizeof *sc->labels))
		return fail_oom(p);
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
		return fail_oom(p);
	default:
		return fail(p, 1, "label '%s' is already defined", l->name);
	}
	*out = (int)sc->nr_labels++;
	return 0;
}

/* ---- Labels --------------------------------------------------------------------- */

static bool is_reserved(const struct tok *t)
{
	for (size_t i = 0; reserved[i]; i++)
		if (tok_is(t, reserved[i]))
			return true;
	return false;
}

/* A label is a lowercase letter, then lowercase letters, digits, '_'. */
static bool label_syntax(const char *s, size_t len)
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
		return fail(p, 1, "too many kernel images (at most %d)",
			    PIDSIM_SC_MAX_KERNELS);
	err = add_label(p, "host", 4, PIDSIM_SC_TASK, (int)sc->nr_kernels, &idx);
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
static int find_label(struct parser *p, const struct tok *t, unsigned mask,
		      const char *what, int *out)
{
	int idx;

	if (!t || !label_syntax(t->s, t->len) || is_reserved(t))
		return fail_expected(p, t, what);
	idx = sc_names_find(p->sc, t->s, t->len);
	if (idx < 0 && tok_is(t, "host"))
		return implicit_host(p, out);
	if (idx < 0)
		return fail(p, t->col, "unknown label '%.*s': define it first "
			    "(fork ... -> %.*s)", (int)t->len, t->s,
			    (int)t->len, t->s);
	if (!(mask & (1u << p->sc->labels[idx].kind)))
		return fail(p, t->col, "expected %s, but '%.*s' is %s", what,
			    (int)t->len, t->s,
			    p->sc->labels[idx].kind == PIDSIM_SC_OBJECT ?
			    "an object (from setown)" :
			    p->sc->labels[idx].kind == PIDSIM_SC_CKPT ?
			    "an image (from checkpoint)" : "a task");
	*out = idx;
	return 0;
}

#define TASKS ((1u << PIDSIM_SC_TASK) | (1u << PIDSIM_SC_ALIAS))
#define OBJECTS (1u << PIDSIM_SC_OBJECT)
#define CKPTS (1u << PIDSIM_SC_CKPT)

/* A label that must live on the same kernel as the statement. */
static int same_kernel(struct parser *p, const struct tok *t, int label, int kernel)
{
	const struct pidsim_scenario *sc = p->sc;
	int other = sc->labels[label].kernel;

	if (other == kernel)
		return 0;
	return fail(p, t->col, "'%s' lives on kernel '%s', not on kernel '%s'",
		    sc->labels[label].name, sc->labels[sc->kernels[other].init].name,
		    sc->labels[sc->kernels[kernel].init].name);
}

/* The task making the call: the statement's first argument, which also
 * decides the kernel the statement runs on. */
static int parse_who(struct parser *p, const char *stmt, struct pidsim_sc_stmt *st)
{
	char what[64];
	int err;

	snprintf(what, sizeof what, "a task label after '%s'", stmt);
	err = find_label(p, next(p), TASKS, what, &st->who);
	if (err)
		return err;
	st->kernel = p->sc->labels[st->who].kernel;
	return 0;
}

/* "-> LABEL": a new label of kind, on kernel. */
static int parse_def(struct parser *p, enum pidsim_sc_label_kind kind, int kernel,
		     int *out)
{
	const struct tok *t = next(p);
	int idx;

	if (!tok_is(t, "->"))
		return fail_expected(p, t, "'->' and a new label");
	t = next(p);
	if (t && is_reserved(t))
		return fail(p, t->col, "expected a new label, got '%.*s', which is "
			    "a keyword", (int)t->len, t->s);
	if (!t || !label_syntax(t->s, t->len))
		return fail_expected(p, t, "a new label (a lowercase letter, then "
				     "lowercase letters, digits or '_', at most 31)");
	if (tok_is(t, "host"))
		return fail(p, t->col, "'host' names the init of the default "
			    "kernel image; choose another label");
	idx = sc_names_find(p->sc, t->s, t->len);
	if (idx >= 0)
		return fail(p, t->col, "label '%.*s' is already defined (line %u)",
			    (int)t->len, t->s, p->sc->labels[idx].line);
	return add_label(p, t->s, t->len, kind, kernel, out);
}

/* ---- Numbers ------------------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal integer in s[0..len): -1 when it is not one, -2 when it is
 * one but outside lo..hi. */
static int number_in(const char *s, size_t len, long lo, long hi, int *out)
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

static int parse_number(struct parser *p, const struct tok *t, long lo, long hi,
			const char *what, int *out)
{
	int r;

	if (!t)
		return fail_expected(p, t, what);
	r = number_in(t->s, t->len, lo, hi, out);
	if (r == -1)
		return fail_expected(p, t, what);
	if (r == -2)
		return fail(p, t->col, "number %.*s out of range (%ld..%ld)",
			    t->len > SHOW_TOKEN ? SHOW_TOKEN : (int)t->len, t->s, lo, hi);
	return 0;
}

#define INT_RANGE (-2147483647L - 1), 2147483647L
#define PID_RANGE 1L, 2147483647L

/* A signal: a Linux name (KILL, SIGTERM) or any int. */
static int parse_sig(struct parser *p, const struct tok *t, int *out)
{
	int sig;

	if (t && !is_digit(t->s[0]) && t->s[0] != '-') {
		sig = sc_sig_number(t->s, t->len);
		if (sig < 0)
			return fail_expected(p, t, "a signal (a name such as KILL "
					     "or SIGTERM, or a number)");
		*out = sig;
		return 0;
	}
	return parse_number(p, t, INT_RANGE, "a signal (a name such as KILL or "
			    "SIGTERM, or a number)", out);
}

/* ---- Pids ----------------------------------------------------------------- */

/* One side of a pid: a number, or a task label on kernel. */
static int pid_part(struct parser *p, const struct tok *t, int kernel,
		    struct pidsim_sc_pid *pid)
{
	int err;

	if (is_digit(t->s[0]) || t->s[0] == '-')
		return parse_number(p, t, INT_RANGE, "a pid (a number or a task label)",
				    &pid->nr);
	err = find_label(p, t, TASKS, "a pid (a number or a task label)", &pid->label);
	return err ? err : same_kernel(p, t, pid->label, kernel);
}

/* PID: a number, a label, CT:NUMBER or CT:LABEL; `any` where allowed. */
static int parse_pid(struct parser *p, int kernel, bool any, bool qualified,
		     struct pidsim_sc_pid *pid)
{
	const struct tok *t = next(p);
	const char *colon;
	struct tok ct, rest;
	int err;

	*pid = (struct pidsim_sc_pid){ -1, 0, -1 };
	if (!t)
		return fail_expected(p, t, any ? "a pid or 'any'" : "a pid");
	if (any && tok_is(t, "any")) {
		pid->nr = -1;
		return 0;
	}
	colon = memchr(t->s, ':', t->len);
	if (!colon)
		return pid_part(p, t, kernel, pid);
	if (!qualified)
		return fail(p, t->col, "expected a pid: this statement takes no "
			    "qualified CONTAINER:PID address");
	ct = (struct tok){ t->s, (size_t)(colon - t->s), t->col };
	rest = (struct tok){ colon + 1, t->len - ct.len - 1,
			     t->col + (unsigned)ct.len + 1 };
	err = find_label(p, &ct, TASKS, "a container label before ':'", &pid->ct);
	if (!err)
		err = same_kernel(p, &ct, pid->ct, kernel);
	if (err)
		return err;
	if (!rest.len)
		return fail(p, rest.col, "expected a pid after ':'");
	return pid_part(p, &rest, kernel, pid);
}

/* ---- Statements ----------------------------------------------------------- */

/* The NAME of "kernel [NAME]", "host" when left out: a label not yet
 * defined, and not the host that an earlier line booted implicitly. */
static int kernel_name(struct parser *p, const struct pidsim_sc_stmt *st,
		       struct tok *name)
{
	const struct tok *t = peek(p);
	int idx;

	*name = (struct tok){ "host", 4, st->col };
	if (t && !tok_is(t, "pid_max")) {
		if (!label_syntax(t->s, t->len) || is_reserved(t))
			return fail_expected(p, t, "a name for the kernel image or 'pid_max'");
		*name = *next(p);
	}
	idx = sc_names_find(p->sc, name->s, name->len);
	if (idx >= 0 && p->sc->labels[idx].line == 0)
		return fail(p, st->col, "kernel 'host' must come before the first "
			    "use of 'host' (line %u booted it with the default "
			    "pid_max)", p->host_use);
	if (idx >= 0)
		return fail(p, name->col, "label '%.*s' is already defined (line %u)",
			    (int)name->len, name->s, p->sc->labels[idx].line);
	if (p->sc->nr_kernels >= PIDSIM_SC_MAX_KERNELS)
		return fail(p, st->col, "too many kernel images (at most %d)",
			    PIDSIM_SC_MAX_KERNELS);
	return 0;
}

/* design D: a design's name, which the kernel runs whatever the design
 * under test (for migration between designs). */
static int parse_design(struct parser *p, char *out)
{
	const struct tok *t = next(p);

	if (!t || t->len > PIDSIM_SC_MAX_LABEL)
		return fail_expected(p, t, "a design name ('pidsim designs' lists them)");
	memcpy(out, t->s, t->len);
	out[t->len] = '\0';
	if (!pidsim_design_find(out))
		return fail(p, t->col, "unknown design '%s' ('pidsim designs' lists "
			    "them)", out);
	return 0;
}

/* kernel [NAME] [design D] [pid_max N] */
static int parse_kernel(struct parser *p, struct pidsim_sc_stmt *st)
{
	struct pidsim_scenario *sc = p->sc;
	char design[PIDSIM_SC_MAX_LABEL + 1] = "";
	struct tok name;
	int err = kernel_name(p, st, &name);

	if (!err && tok_is(peek(p), "design")) {
		next(p);
		err = parse_design(p, design);
	}
	if (!err && tok_is(peek(p), "pid_max")) {
		next(p);
		err = parse_number(p, next(p), 2, PIDSIM_PID_MAX_LIMIT,
				   "a pid_max (2..4194304)", &st->arg);
	}
	if (!err)
		err = add_label(p, name.s, name.len, PIDSIM_SC_TASK,
				(int)sc->nr_kernels, &st->def);
	if (err)
		return err;
	st->kernel = (int)sc->nr_kernels;
	sc->kernels[sc->nr_kernels] = (struct pidsim_sc_kernel){
		.init = st->def, .pid_max = st->arg, .stmt = sc->nr_stmts,
	};
	memcpy(sc->kernels[sc->nr_kernels++].design, design, sizeof design);
	return 0;
}

/* fork WHO [newpid] [-> LABEL] */
static int parse_fork(struct parser *p, struct pidsim_sc_stmt *st)
{
	char name[PIDSIM_SC_MAX_LABEL + 1];
	int err = parse_who(p, "fork", st);

	if (err)
		return err;
	if (tok_is(peek(p), "newpid")) {
		next(p);
		st->arg = PIDSIM_CLONE_NEWPID;
	}
	if (peek(p))
		return parse_def(p, PIDSIM_SC_TASK, st->kernel, &st->def);
	/* An unnamed child still gets a label, which the transcript shows and
	 * no file can write: '@' is not a label character. */
	snprintf(name, sizeof name, "fork@%u", p->line);
	err = add_label(p, name, strlen(name), PIDSIM_SC_TASK, st->kernel, &st->def);
	if (!err)
		p->sc->labels[st->def].hidden = true;
	return err;
}

/* exit WHO [CODE] */
static int parse_exit(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "exit", st);

	if (!err && peek(p))
		err = parse_number(p, next(p), INT_RANGE, "an exit code", &st->arg);
	return err;
}

/* wait WHO PID|any */
static int parse_wait(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "wait", st);

	return err ? err : parse_pid(p, st->kernel, true, false, &st->pid);
}

/* kill WHO PID [SIGNAL]; the default signal is TERM, as kill(1)'s. */
static int parse_kill(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "kill", st);

	if (!err)
		err = parse_pid(p, st->kernel, false, true, &st->pid);
	st->arg = 15;
	if (!err && peek(p))
		err = parse_sig(p, next(p), &st->arg);
	return err;
}

/* getpid WHO, getppid WHO */
static int parse_getpid(struct parser *p, struct pidsim_sc_stmt *st)
{
	return parse_who(p, pidsim_sc_kind_name(st->kind), st);
}

/* ps WHO [CONTAINER] */
static int parse_ps(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "ps", st);

	if (err || !peek(p))
		return err;
	err = find_label(p, peek(p), TASKS, "a container label", &st->ct);
	return err ? err : same_kernel(p, next(p), st->ct, st->kernel);
}

/* ref WHO PID -> LABEL */
static int parse_ref(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "ref", st);

	if (!err)
		err = parse_pid(p, st->kernel, false, true, &st->pid);
	return err ? err : parse_def(p, PIDSIM_SC_ALIAS, st->kernel, &st->def);
}

/* resolve WHO LABEL */
static int parse_resolve(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "resolve", st);

	if (err)
		return err;
	err = find_label(p, peek(p), TASKS, "a task label to resolve", &st->pid.label);
	return err ? err : same_kernel(p, next(p), st->pid.label, st->kernel);
}

/* setown WHO PID -> OBJECT */
static int parse_setown(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "setown", st);

	if (!err)
		err = parse_pid(p, st->kernel, false, false, &st->pid);
	return err ? err : parse_def(p, PIDSIM_SC_OBJECT, st->kernel, &st->def);
}

/* notify OBJECT [SIGNAL]; the default is IO, what send_sigio() sends. */
static int parse_notify(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = find_label(p, next(p), OBJECTS, "an object label (from setown)",
			     &st->obj);

	if (err)
		return err;
	st->kernel = p->sc->labels[st->obj].kernel;
	st->arg = 29;
	if (st->kind == PIDSIM_SC_NOTIFY && peek(p))
		err = parse_sig(p, next(p), &st->arg);
	return err;
}

/* churn WHO COUNT: fork, exit and reap COUNT children, one at a time. */
static int parse_churn(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "churn", st);

	return err ? err : parse_number(p, next(p), 1, PIDSIM_SC_MAX_CHURN,
					"a count (1..100000)", &st->arg);
}

/* ---- Expect ------------------------------------------------------------------- */

/* The optional words of checkpoint, restore and migrate, in order. */
static void parse_mig_flags(struct parser *p, struct pidsim_sc_stmt *st, bool tree,
			    bool into)
{
	if (tree && tok_is(peek(p), "tree")) {
		next(p);
		st->arg |= (int)PIDSIM_SC_TREE;
	}
	if (into && tok_is(peek(p), "into")) {
		next(p);
		st->arg |= (int)PIDSIM_SC_INTO;
	}
}

/* The tree to checkpoint or migrate, on the statement's kernel. */
static int parse_root(struct parser *p, struct pidsim_sc_stmt *st)
{
	const struct tok *t = next(p);
	int err = find_label(p, t, TASKS, "the task whose tree to take (a "
			     "container's init, or with 'tree' any task)",
			     &st->pid.label);

	return err ? err : same_kernel(p, t, st->pid.label, st->kernel);
}

/* checkpoint WHO ROOT [tree] -> IMAGE */
static int parse_checkpoint(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "checkpoint", st);

	if (!err)
		err = parse_root(p, st);
	if (err)
		return err;
	parse_mig_flags(p, st, true, false);
	return parse_def(p, PIDSIM_SC_CKPT, st->kernel, &st->def);
}

/* restore WHO IMAGE [into] [-> LABEL]: a checkpoint image restores on any
 * kernel. */
static int parse_restore(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "restore", st);

	if (!err)
		err = find_label(p, next(p), CKPTS, "an image label (checkpoint "
				 "... -> IMAGE)", &st->obj);
	if (err)
		return err;
	parse_mig_flags(p, st, false, true);
	return peek(p) ? parse_def(p, PIDSIM_SC_TASK, st->kernel, &st->def) : 0;
}

/* migrate WHO ROOT TARGET [tree] [into] [-> LABEL]: TARGET on any kernel,
 * whose kernel the statement's result is read on. */
static int parse_migrate(struct parser *p, struct pidsim_sc_stmt *st)
{
	int err = parse_who(p, "migrate", st);

	if (!err)
		err = parse_root(p, st);
	if (!err)
		err = find_label(p, next(p), TASKS, "the task to restore under "
				 "(on any kernel image)", &st->ct);
	if (err)
		return err;
	st->kernel = p->sc->labels[st->ct].kernel;
	parse_mig_flags(p, st, true, true);
	return peek(p) ? parse_def(p, PIDSIM_SC_TASK, st->kernel, &st->def) : 0;
}

/* Which checks an expect can make on each kind of statement. */
static unsigned allowed_matches(enum pidsim_sc_kind kind)
{
	unsigned base = PIDSIM_SC_M_NR | PIDSIM_SC_M_ERR | PIDSIM_SC_M_OK |
			PIDSIM_SC_M_NOPID | PIDSIM_SC_M_LIMIT;

	switch (kind) {
	case PIDSIM_SC_FORK: case PIDSIM_SC_GETPID: case PIDSIM_SC_GETPPID:
	case PIDSIM_SC_REF: case PIDSIM_SC_NOTIFY: case PIDSIM_SC_RESTORE:
	case PIDSIM_SC_MIGRATE:
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
			return in_list ? parse_number(p, t, PID_RANGE, "a pid", &it->nr)
				       : parse_number(p, t, INT_RANGE, "a pid", &it->nr);
		return find_label(p, t, TASKS, "a pid (a number, a label or "
				  "NUMBER(LABEL))", &it->label);
	}
	lab = (struct tok){ open + 1, t->len - (size_t)(open - t->s) - 1,
			    t->col + (unsigned)(open - t->s) + 1 };
	r = number_in(t->s, (size_t)(open - t->s), PID_RANGE, &it->nr);
	if (r == -1 || lab.len < 2 || lab.s[lab.len - 1] != ')')
		return fail_expected(p, t, "NUMBER(LABEL)");
	if (r == -2)
		return fail(p, t->col, "expected NUMBER(LABEL) with a pid of 1 or "
			    "more: a task is named only by a pid");
	lab.len--;
	return find_label(p, &lab, TASKS, "a task label inside ( )", &it->label);
}

static int add_item(struct parser *p, const struct pidsim_sc_item *it)
{
	struct pidsim_scenario *sc = p->sc;

	if (sc->nr_items >= MAX_ITEMS)
		return fail(p, 1, "too many expected pids (at most %d)", MAX_ITEMS);
	if (grow((void **)&sc->items, &sc->cap_items, sc->nr_items, sizeof *sc->items))
		return fail_oom(p);
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
	return t ? 0 : fail_expected(p, t, "']'");
}

/* A matcher word with an argument: exited CODE, killed SIGNAL. */
static int parse_status(struct parser *p, const struct tok *t, struct pidsim_sc_match *m,
			unsigned *bit)
{
	if (tok_is(t, "exited")) {
		*bit = PIDSIM_SC_M_EXITED;
		return parse_number(p, next(p), 0, 255, "an exit code (0..255)", &m->code);
	}
	*bit = PIDSIM_SC_M_KILLED;
	return parse_sig(p, next(p), &m->sig);
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
		return m->err ? 0 : fail_expected(p, t, "an errno name such as ESRCH");
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
		return fail(p, t->col, "a number with a label must be a pid of 1 or "
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
			return fail(p, t->col, "this alternative already checks "
				    "that; use 'or' between alternatives");
		if (bit & ~allowed_matches(kind))
			return fail(p, t->col, "a '%s' result cannot be checked "
				    "that way", pidsim_sc_kind_name(kind));
		m.what |= bit;
	}
	if (!m.what) {
		snprintf(what, sizeof what, "what '%s' should give", pidsim_sc_kind_name(kind));
		return fail_expected(p, t, what);
	}
	if (sc->nr_matches >= MAX_ITEMS)
		return fail(p, 1, "too many expect alternatives (at most %d)", MAX_ITEMS);
	if (grow((void **)&sc->matches, &sc->cap_matches, sc->nr_matches,
		 sizeof *sc->matches))
		return fail_oom(p);
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
		return fail(p, t->col, "one @DESIGN selector per expect");
	if (len && len <= PIDSIM_SC_MAX_LABEL) {
		memcpy(sel->design, s, len);
		sel->design[len] = '\0';
		sel->not_design = negate;
		if (pidsim_design_find(sel->design))
			return 0;
	}
	sel->design[0] = '\0';
	return fail_expected(p, t, "@DESIGN or @FLAG (run 'pidsim designs' "
			     "for both lists)");
}

/* expect {@SELECTOR} MATCHERS {or MATCHERS} */
static int parse_expect(struct parser *p, struct pidsim_sc_stmt *st)
{
	enum pidsim_sc_kind kind;
	int err;

	if (!p->have_last)
		return fail(p, st->col, "expect must follow the statement it checks");
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

/* ---- Lines ------------------------------------------------------------------------- */

static const struct {
	const char *word;
	enum pidsim_sc_kind kind;
	int (*parse)(struct parser *p, struct pidsim_sc_stmt *st);
} statements[] = {
	{ "kernel", PIDSIM_SC_KERNEL, parse_kernel },
	{ "fork", PIDSIM_SC_FORK, parse_fork },
	{ "exit", PIDSIM_SC_EXIT, parse_exit },
	{ "wait", PIDSIM_SC_WAIT, parse_wait },
	{ "kill", PIDSIM_SC_KILL, parse_kill },
	{ "getpid", PIDSIM_SC_GETPID, parse_getpid },
	{ "getppid", PIDSIM_SC_GETPPID, parse_getpid },
	{ "ps", PIDSIM_SC_PS, parse_ps },
	{ "ref", PIDSIM_SC_REF, parse_ref },
	{ "resolve", PIDSIM_SC_RESOLVE, parse_resolve },
	{ "setown", PIDSIM_SC_SETOWN, parse_setown },
	{ "notify", PIDSIM_SC_NOTIFY, parse_notify },
	{ "close", PIDSIM_SC_CLOSE, parse_notify },
	{ "churn", PIDSIM_SC_CHURN, parse_churn },
	{ "expect", PIDSIM_SC_EXPECT, parse_expect },
	{ "checkpoint", PIDSIM_SC_CHECKPOINT, parse_checkpoint },
	{ "restore", PIDSIM_SC_RESTORE, parse_restore },
	{ "migrate", PIDSIM_SC_MIGRATE, parse_migrate },
};
#define NR_STATEMENTS (sizeof statements / sizeof statements[0])

const char *pidsim_sc_kind_name(enum pidsim_sc_kind kind)
{
	for (size_t i = 0; i < NR_STATEMENTS; i++)
		if (statements[i].kind == kind)
			return statements[i].word;
	return NULL;
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
		return fail(p, t->col, "'restart' is reserved: the statement is "
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
	return fail_expected(p, t, "a statement (kernel, fork, exit, wait, kill, "
			     "getpid, getppid, ps, ref, resolve, setown, notify, "
			     "close, churn, checkpoint, restore, migrate or expect)");
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
