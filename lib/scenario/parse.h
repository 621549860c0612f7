/*
 * parse.h - what the scenario parser's files share: the tokens of a line,
 * the parser's state, and the steps every statement's parser takes
 * (parse.c: errors, tokens, labels, numbers, pids, lines;
 * parse_stmt.c: one function per statement; parse_expect.c: expect).
 */
#ifndef PS_SCENARIO_PARSE_H
#define PS_SCENARIO_PARSE_H

#include <stdbool.h>
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

/* The next token without taking it, and taking it; NULL at the end. */
static inline const struct tok *peek(const struct parser *p)
{
	return p->pos < p->nr_toks ? &p->toks[p->pos] : NULL;
}

static inline const struct tok *next(struct parser *p)
{
	return p->pos < p->nr_toks ? &p->toks[p->pos++] : NULL;
}

/* Whether t (which may be NULL) is word. */
static inline bool tok_is(const struct tok *t, const char *word)
{
	return t && strlen(word) == t->len && memcmp(t->s, word, t->len) == 0;
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The label kinds a label may be of, for sc_find_label(): a task (or a
 * weak reference to one), an object, a checkpoint image. */
#define TASKS ((1u << PIDSIM_SC_TASK) | (1u << PIDSIM_SC_ALIAS))
#define OBJECTS (1u << PIDSIM_SC_OBJECT)
#define CKPTS (1u << PIDSIM_SC_CKPT)

/* Number ranges, as lo, hi for sc_parse_number() and sc_number_in(). */
#define INT_RANGE (-2147483647L - 1), 2147483647L
#define PID_RANGE 1L, 2147483647L

/* parse.c */
int sc_add_label(struct parser *p, const char *name, size_t len,
		     enum pidsim_sc_label_kind kind, int kernel, int *out);
int sc_fail(struct parser *p, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sc_fail_expected(struct parser *p, const struct tok *t, const char *what);
int sc_fail_oom(struct parser *p);
int sc_find_label(struct parser *p, const struct tok *t, unsigned mask,
		      const char *what, int *out);
int sc_grow(void **arr, size_t *cap, size_t nr, size_t size);
bool sc_is_reserved(const struct tok *t);
bool sc_label_syntax(const char *s, size_t len);
int sc_number_in(const char *s, size_t len, long lo, long hi, int *out);
int sc_parse_def(struct parser *p, enum pidsim_sc_label_kind kind, int kernel,
		     int *out);
int sc_parse_number(struct parser *p, const struct tok *t, long lo, long hi,
			const char *what, int *out);
int sc_parse_pid(struct parser *p, int kernel, bool any, bool qualified,
		     struct pidsim_sc_pid *pid);
int sc_parse_sig(struct parser *p, const struct tok *t, int *out);
int sc_parse_who(struct parser *p, const char *stmt, struct pidsim_sc_stmt *st);
int sc_same_kernel(struct parser *p, const struct tok *t, int label, int kernel);

/* parse_stmt.c: one parser per statement kind, after its keyword. */
int sc_parse_checkpoint(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_churn(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_exit(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_fork(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_getpid(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_getpgid(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_kernel(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_kill(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_migrate(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_notify(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_ps(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_ref(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_resolve(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_restore(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_root(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_setown(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_setpgid(struct parser *p, struct pidsim_sc_stmt *st);
int sc_parse_wait(struct parser *p, struct pidsim_sc_stmt *st);

/* parse_expect.c */
int sc_parse_expect(struct parser *p, struct pidsim_sc_stmt *st);

#endif
