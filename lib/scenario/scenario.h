/*
 * scenario.h - what the scenario parser, formatter and runner share.
 *
 * The language itself is in include/pidsim_scenario.h and
 * docs/scenarios.md.  Here: the name tables (Linux signal names, errno
 * names, design flags), the two small hash tables (label name -> label,
 * task handle -> label) and a growable string.
 */
#ifndef PS_SCENARIO_H
#define PS_SCENARIO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pidsim_scenario.h"

/* ---- Names -------------------------------------------------------------- */

/* Linux's number for a signal name, with or without "SIG", any case
 * ("KILL", "sigterm"); -1 when there is none. */
int sc_sig_number(const char *s, size_t len);
/* "KILL" for 9; NULL for a number without a name. */
const char *sc_sig_name(int sig);

/* The errno an "ESRCH"-style name stands for; 0 when none. */
int sc_errno_number(const char *s, size_t len);

/* Every design flag, for loops, 0-terminated; their names are
 * pidsim_flag_name()'s. */
extern const unsigned sc_flags[];

/* "running", "zombie", "gone" for PIDSIM_RUNNING, PIDSIM_ZOMBIE, -ESRCH. */
const char *sc_state_name(int state);

/* "an" or "a", as English puts it before word. */
const char *sc_article(const char *word);

/* ---- Lines ---------------------------------------------------------------- */

/* Where the comment of a line (s[0..len), no newline) begins: a '#' that
 * starts a word; len when it has none.  The tokenizer's rule (parse.c). */
size_t sc_comment_at(const char *s, size_t len);

/* ---- Label names -> label index --------------------------------------- */

/* struct pidsim_sc_hash is an entry of a uthash table, private to
 * util.c; sc->names points at one (uthash's head), NULL while
 * no label has been added. */

/* The label called s[0..len), or -1. */
int sc_names_find(const struct pidsim_scenario *sc, const char *s, size_t len);
/* Add label idx: 0, -EEXIST when its name is in the table already (the
 * parser refuses a label defined twice before it gets here), -ENOMEM. */
int sc_names_add(struct pidsim_scenario *sc, int idx);
void sc_names_free(struct pidsim_sc_hash *h);

/* ---- Task handles -> label index --------------------------------------- */

/* A uthash table of struct sc_tid, private to util.c; all zero
 * is empty. */
struct sc_tid;
struct sc_tidmap {
	struct sc_tid *head;	/* NULL: empty */
};

/* Map tid to label (replacing an earlier entry): 0 or -ENOMEM. */
int sc_tidmap_put(struct sc_tidmap *m, pidsim_tid tid, int label);
/* The label tid maps to, or -1. */
int sc_tidmap_find(const struct sc_tidmap *m, pidsim_tid tid);
void sc_tidmap_free(struct sc_tidmap *m);

/* ---- Growable strings ---------------------------------------------------- */

/* A string that grows as text is appended; an allocation failure sets oom
 * and later appends do nothing, so callers check once at the end. */
struct sc_buf {
	char *p;		/* NUL-terminated when len > 0 */
	size_t len, cap;
	bool oom;
};

void sc_buf_printf(struct sc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sc_buf_vprintf(struct sc_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* The text so far ("" when empty); valid until the next append. */
const char *sc_buf_str(const struct sc_buf *b);
/* Hand over the text (NULL when oom) and reset b. */
char *sc_buf_take(struct sc_buf *b);
void sc_buf_free(struct sc_buf *b);

/* ---- Formatting -------------------------------------------------------- */

/* Statement i in canonical form, as a new string (NULL when out of memory). */
char *sc_format_alloc(const struct pidsim_scenario *sc, size_t i);
/* What expect statement i checks, its alternatives without the word
 * expect and the selectors ("2(a) or limit"), as a new string. */
char *sc_format_expected(const struct pidsim_scenario *sc, size_t i);

/* ---- The transcript ------------------------------------------------------- */

/* What one statement cost one design: pidsim_stats deltas, bytes after. */
struct sc_cost {
	uint64_t lookups, conversions, probes, bytes;
};

/* How a design's cell of a row stands against the reference's, or how
 * an expect went on it (the machine-readable transcripts' "class"). */
enum sc_verdict {
	SC_SAME,	/* as the reference's (or the reference's own) */
	SC_RENUMBERED,	/* the same tasks by other numbers, said once */
	SC_ALLOWED,	/* unlike the reference's; the contract explains it */
	SC_VIOLATION,	/* unlike the reference's; nothing explains it */
	SC_PASS,	/* an expect held */
	SC_FAIL,	/* an expect failed */
	SC_SKIP,	/* an expect on a statement that did not run */
	SC_UNSELECTED,	/* an expect whose selectors leave the design out */
};

/* What a statement (not an expect) returned on one design. */
struct sc_result {
	int how;		/* 0: ran; 1: not run (an earlier line left
				 * nothing to run on); 2: a label had no pid */
	int ret;		/* the call's return value, when it ran */
	const char *task;	/* the label of the task it names; NULL */
	char *limit;		/* the limit it hit ("max_level 1"); NULL */
};

/* One line of the transcript: a statement and what each design gave. */
struct sc_row {
	unsigned line;
	char *asked;		/* the statement, canonical */
	char view[PIDSIM_SC_MAX_LABEL + 1];	/* whose view: a container's init */
	char **cells;		/* per design: what came back */
	bool *differs;		/* per design: unlike the reference (design 0) */
	enum sc_verdict *verdict;	/* per design */
	char **why;		/* per design: why it differs, or what an
				 * expect wanted and got; NULL */
	struct sc_result *result;	/* per design (not for an expect) */
	struct sc_cost *cost;	/* per design */
	bool has_cost;		/* an expect costs nothing and shows no cost */
	bool is_expect;
	size_t target;		/* an expect: the row it checks */
	char *expected;		/* an expect: its alternatives ("2(a) or limit") */
	char *note;		/* the whys, each once after its designs; or NULL */
	bool violation;		/* a contract violation or a failed expect */
};

struct sc_table {
	const struct pidsim_design_info **designs;
	size_t nr_designs;
	struct sc_row *rows;
	size_t nr_rows;
	size_t nr_done;		/* rows whose statement ran on every design */
	struct sc_cost *total;	/* per design: sums, and bytes at the end */
	uint64_t *peak;		/* per design: most bytes, any kernel */
	enum pidsim_sc_output output;
	size_t width;		/* text: the widest line */
	const char *name;	/* the file's name (JSON); NULL */
	/* Printing.  Rows go out in groups: every row at the end of a small
	 * run, one row at a time once a run streams.  A group is aligned
	 * with the widths in force, fitted into width: a column as wide as
	 * its widest cell, the designs' columns narrowed in turn, widest
	 * first, until the table fits, a longer cell wrapping onto more
	 * lines.  The natural widths only grow (the statement column's is the
	 * widest statement of the file from the start); the header is
	 * printed first, and again when the fitted widths change. */
	size_t printed;		/* rows printed */
	bool started;		/* TSV, JSON: the header is out */
	size_t records;		/* JSON: records printed */
	size_t asked_nat, view_nat;	/* 0 before the first header */
	size_t asked_min;	/* the widest statement but the expects */
	size_t *nat;		/* per design */
	size_t asked_w, view_w;	/* fitted */
	bool tight;		/* fitted to the narrower floors */
	size_t *w;		/* per design, fitted */
};

int sc_table_init(struct sc_table *t, size_t nr_rows, size_t nr_designs);
void sc_table_free(struct sc_table *t);
/* Print rows printed..upto (the header first, if due) and flush: 0, or
 * -EIO when out has failed, -ENOMEM. */
int sc_table_print_rows(struct sc_table *t, FILE *out, size_t upto);
/* After the rows: (PIDSIM_SC_STATS, text) the costs of the rows done, then
 * the summary. */
void sc_table_print_end(const struct sc_table *t, FILE *out, unsigned flags,
			const struct pidsim_sc_summary *sum);
/* "PASS", "FAIL" or "INCOMPLETE": the summary's last word. */
const char *sc_summary_word(const struct pidsim_sc_summary *sum);

/* report_data.c: the same for PIDSIM_SC_TSV and PIDSIM_SC_JSON. */
int sc_data_print_rows(struct sc_table *t, FILE *out, size_t upto);
void sc_data_print_end(const struct sc_table *t, FILE *out,
		       const struct pidsim_sc_summary *sum);

#endif
