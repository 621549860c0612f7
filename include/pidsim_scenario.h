/*
 * pidsim_scenario.h - the scenario language: parse a workload written once,
 * run it on every design, and compare what each design answers.
 *
 * Why a language?  Design reviews argue from cases ("the spawner forks into
 * a new container", "init dies while a grandchild holds a stored owner").
 * A scenario file writes such a case down once; `pidsim run` runs it on one
 * kernel per design and prints the designs side by side.  The same
 * files are the regression tests, the property tests print their shrunk
 * counterexamples in it, and the paper's worked examples are scenarios.
 * The grammar is in docs/scenarios.md.
 *
 * Tasks and containers are named by labels the file chooses, because pid
 * numbers are exactly what differs between views and between designs; raw
 * numbers are allowed wherever a user would type one.
 *
 * The parser is a pure function from text to a statement list.  It checks
 * everything it can without running anything (syntax, number ranges, that
 * every label is defined before use and is of the right kind), stops at the
 * first error with its line and column, never crashes, and bounds its
 * memory (PIDSIM_SC_MAX_*).
 */
#ifndef PIDSIM_SCENARIO_H
#define PIDSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pidsim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits, so that no input can make the parser or the runner unbounded. */
#define PIDSIM_SC_MAX_LINE 4096      /* bytes in a line, newline excluded */
#define PIDSIM_SC_MAX_LABEL 31       /* bytes in a label */
#define PIDSIM_SC_MAX_STMTS 10000    /* statements in a file */
#define PIDSIM_SC_MAX_KERNELS 8      /* kernels in a file (`kernel`) */
#define PIDSIM_SC_MAX_CHURN 100000   /* churn count */

enum pidsim_sc_kind {
	PIDSIM_SC_KERNEL,	/* kernel [NAME] [design D] [pid_max N] */
	PIDSIM_SC_FORK,		/* fork WHO [newpid] [-> LABEL] */
	PIDSIM_SC_EXIT,		/* exit WHO [CODE] */
	PIDSIM_SC_WAIT,		/* wait WHO PID|any */
	PIDSIM_SC_KILL,		/* kill WHO PID [SIGNAL] */
	PIDSIM_SC_GETPID,	/* getpid WHO */
	PIDSIM_SC_GETPPID,	/* getppid WHO */
	PIDSIM_SC_PS,		/* ps WHO [CONTAINER] */
	PIDSIM_SC_REF,		/* ref WHO PID -> LABEL */
	PIDSIM_SC_RESOLVE,	/* resolve WHO LABEL */
	PIDSIM_SC_SETOWN,	/* setown WHO PID -> OBJECT */
	PIDSIM_SC_NOTIFY,	/* notify OBJECT [SIGNAL] */
	PIDSIM_SC_CLOSE,	/* close OBJECT */
	PIDSIM_SC_CHURN,	/* churn WHO COUNT */
	PIDSIM_SC_EXPECT,	/* expect {@SELECTOR} MATCHERS {or MATCHERS} */
	PIDSIM_SC_CHECKPOINT,	/* checkpoint WHO ROOT [tree] -> IMAGE */
	PIDSIM_SC_RESTORE,	/* restore WHO IMAGE [into] [-> LABEL] */
	PIDSIM_SC_MIGRATE,	/* migrate WHO ROOT TARGET [tree] [into] [-> LABEL] */
	PIDSIM_SC_SETPGID,	/* setpgid WHO PID PGID */
	PIDSIM_SC_SETSID,	/* setsid WHO */
	PIDSIM_SC_GETPGID,	/* getpgid WHO [PID] */
	PIDSIM_SC_GETSID,	/* getsid WHO [PID] */
	PIDSIM_SC_NR_KINDS
};

/* What a label names. */
enum pidsim_sc_label_kind {
	PIDSIM_SC_TASK,		/* a task: a kernel's host init or a fork's child */
	PIDSIM_SC_ALIAS,	/* a weak reference taken by `ref` */
	PIDSIM_SC_OBJECT,	/* a kernel object with a stored owner (`setown`) */
	PIDSIM_SC_CKPT,		/* a checkpoint image (`checkpoint`, pidsim_image.h) */
};

/* pidsim_sc_stmt.arg of checkpoint, restore and migrate; of ps. */
#define PIDSIM_SC_TREE 0x1u	/* a task tree, not a container */
#define PIDSIM_SC_INTO 0x2u	/* into the target's own container */
#define PIDSIM_SC_GROUPS 0x4u	/* ps: each pid's process group and session */

struct pidsim_sc_label {
	char name[PIDSIM_SC_MAX_LABEL + 1]; /* "fork@LINE" for an unnamed child */
	enum pidsim_sc_label_kind kind;
	int kernel;		/* the kernel it lives in: kernels[kernel] */
	unsigned line;		/* where it is defined; 0: the implicit host */
	bool hidden;		/* made up for an unnamed child: not writable */
};

/* A pid as the file writes it: a number, or a task's label (the number the
 * caller sees it by), or -LABEL (that number negated: the process group
 * it names, for kill and wait), optionally qualified by a container:
 * CT:PID. */
struct pidsim_sc_pid {
	int label;		/* a task or alias label; -1: use nr */
	int nr;			/* the raw number; -1 for `any` */
	int ct;			/* the container's label (its init); -1: unqualified */
	bool group;		/* -LABEL: the label's number, negated */
};

/* pidsim_sc_match.what: which checks one alternative of an expect makes. */
#define PIDSIM_SC_M_NR 0x1u		/* the result's number is nr */
#define PIDSIM_SC_M_LABEL 0x2u		/* the result names label */
#define PIDSIM_SC_M_ERR 0x4u		/* the call failed with -err */
#define PIDSIM_SC_M_OK 0x8u		/* the call succeeded */
#define PIDSIM_SC_M_NOPID 0x10u		/* a label had no number in the view */
#define PIDSIM_SC_M_LIMIT 0x20u		/* a limit the design records */
#define PIDSIM_SC_M_STATE 0x40u		/* resolve: running, zombie or gone */
#define PIDSIM_SC_M_EXITED 0x80u	/* wait: exited with code */
#define PIDSIM_SC_M_KILLED 0x100u	/* wait: killed by sig */
#define PIDSIM_SC_M_LIST 0x200u		/* ps: these pids, in any order */

/* One element of an expected ps list: a number, a label, or both. */
struct pidsim_sc_item {
	int nr;			/* -1: any number */
	int label;		/* -1: any task */
};

/* One alternative of an expect: every check in `what` must hold. */
struct pidsim_sc_match {
	unsigned what;
	int nr, label, err, state, code, sig;
	size_t list, list_len;	/* items[list .. list + list_len) */
};

/* expect @SELECTOR...: which designs an expect applies to; every
 * selector must hold. */
struct pidsim_sc_sel {
	char design[PIDSIM_SC_MAX_LABEL + 1]; /* @NAME or @!NAME; "" none */
	bool not_design;	/* @!NAME: every design but that one */
	unsigned on, off;	/* @FLAG, @!FLAG: PIDSIM_D_* flags set, unset */
};

struct pidsim_sc_stmt {
	enum pidsim_sc_kind kind;
	unsigned line, col;
	int kernel;		/* the kernel it runs on; -1 for expect */
	int who;		/* the task making the call; -1: none */
	int def;		/* the label it defines (-> LABEL); -1: none */
	struct pidsim_sc_pid pid;	/* wait, kill, ref, setown, setpgid,
					 * getpgid, getsid; checkpoint, migrate:
					 * pid.label is the root */
	struct pidsim_sc_pid pgid;	/* setpgid: the group */
	int ct;			/* ps: the container whose view; -1: own;
				 * migrate: the task to restore under */
	int obj;		/* notify, close: the object's label;
				 * restore: the checkpoint image's */
	int arg;		/* kernel: pid_max (0: default); fork: flags;
				 * exit: code; kill, notify: signal; churn: count;
				 * checkpoint, restore, migrate: PIDSIM_SC_TREE,
				 * PIDSIM_SC_INTO; ps: PIDSIM_SC_GROUPS */
	size_t target;		/* expect: the statement it checks */
	struct pidsim_sc_sel sel;	/* expect */
	size_t alt, nr_alts;	/* expect: matches[alt .. alt + nr_alts) */
};

/* A kernel of the file: the implicit host, or a `kernel` statement's. */
struct pidsim_sc_kernel {
	int init;		/* its host init's label: the kernel's name */
	int pid_max;		/* 0: PIDSIM_PID_MAX_DEFAULT */
	char design[PIDSIM_SC_MAX_LABEL + 1]; /* design D: this kernel runs D
				 * whatever the design under test; "" none */
	size_t stmt;		/* the kernel statement; (size_t)-1: implicit */
};

struct pidsim_sc_hash;

struct pidsim_scenario {
	struct pidsim_sc_stmt *stmts;
	size_t nr_stmts, cap_stmts;
	struct pidsim_sc_label *labels;
	size_t nr_labels, cap_labels;
	struct pidsim_sc_match *matches;
	size_t nr_matches, cap_matches;
	struct pidsim_sc_item *items;
	size_t nr_items, cap_items;
	struct pidsim_sc_kernel kernels[PIDSIM_SC_MAX_KERNELS];
	size_t nr_kernels;
	struct pidsim_sc_hash *names;	/* label name -> index */
};

/* The first error the parser met. */
struct pidsim_sc_error {
	unsigned line, col;	/* 1-based; col counts bytes */
	char msg[256];		/* "expected ..., got '...'" */
};

/*
 * Parse len bytes of scenario text.  Returns 0 and the statement list in
 * *out, or -EINVAL with the error in *err, or -ENOMEM.  text need not be
 * NUL-terminated; a NUL byte in it is an error.
 */
int pidsim_sc_parse(const char *text, size_t len, struct pidsim_scenario **out,
		    struct pidsim_sc_error *err);

/* Release a parsed scenario.  NULL is ignored. */
void pidsim_sc_free(struct pidsim_scenario *sc);

/*
 * Statement i in the canonical form the parser reads back unchanged.
 * Writes at most size bytes (NUL included) and returns the length the whole
 * text needs, as snprintf() does (buf may be NULL when size is 0); -EINVAL
 * for a NULL sc, an i past the last statement, or a NULL buf with a size.
 */
int pidsim_sc_format(const struct pidsim_scenario *sc, size_t i, char *buf,
		     size_t size);

/* The canonical text of the whole scenario, one statement a line: 0,
 * -EINVAL (NULL sc or f), -ENOMEM, -EIO (a write failed). */
int pidsim_sc_write(const struct pidsim_scenario *sc, FILE *f);

/*
 * A whole scenario file in canonical form, as `pidsim fmt` prints it: each
 * statement as pidsim_sc_format() writes it, every comment and blank line
 * kept where it was.  A comment after a statement starts in column
 * PIDSIM_SC_COMMENT_COL, or three spaces after a longer statement; lines
 * end in LF, with no trailing blanks.  The text is parsed first: 0 and a
 * malloc()ed, NUL-terminated *out of *out_len bytes; -EINVAL with the
 * error in *err (which may be NULL) for a text that does not parse or a
 * NULL argument; -ENOMEM.
 */
#define PIDSIM_SC_COMMENT_COL 31
int pidsim_sc_fmt(const char *text, size_t len, char **out, size_t *out_len,
		  struct pidsim_sc_error *err);

/* The name of a statement kind ("fork"), or NULL. */
const char *pidsim_sc_kind_name(enum pidsim_sc_kind kind);

/* ---- Running ------------------------------------------------------------ */

/* pidsim_sc_run() flags. */
#define PIDSIM_SC_STATS 0x1u	/* print the cost counters per statement */

/*
 * The limits of one run, so that a file from anyone ends, and says where
 * it stopped (pidsim_sc_run_opts()).  The task budget: no statement may
 * leave a kernel with more than max_tasks tasks (running and
 * zombie, host init included), and the checkpoint images a design's run
 * keeps may hold no more than max_tasks tasks together.  A statement that
 * would pass it does nothing and gives E2BIG, shown as a recorded limit
 * ("max_tasks N"); the statements after it run where they can.  The time
 * limit is checked before each statement on each design and while churn
 * runs; a single call already running (a large restore) finishes first.
 */
#define PIDSIM_SC_MAX_TASKS_DEFAULT 4194304	/* tasks per kernel */
#define PIDSIM_SC_STREAM_WORK 65536	/* task operations before rows stream */

/* How the transcript is written (pidsim_sc_opts.output). */
enum pidsim_sc_output {
	PIDSIM_SC_TEXT,		/* a table for people, at most width columns */
	PIDSIM_SC_TSV,		/* a header line, then one line per statement
				 * and design, tab-separated */
	PIDSIM_SC_JSON,		/* one JSON document: the designs, a record per
				 * statement and design, the summary */
};

struct pidsim_sc_opts {
	const char *design;	/* a design's name, or names separated by
				 * commas ("pidns,vpid": the first is the
				 * reference); NULL or "all": every one */
	unsigned flags;		/* PIDSIM_SC_STATS */
	unsigned max_tasks;	/* the task budget; 0: the default */
	unsigned long timeout_ms; /* 0: none */
	enum pidsim_sc_output output;	/* 0: PIDSIM_SC_TEXT */
	unsigned width;		/* text: the widest line; a cell wraps, and
				 * beside others a long one is cut short with
				 * "+N more"; 0: no limit, every column as wide
				 * as its widest cell */
	const char *name;	/* the file's name, for the JSON document;
				 * NULL: none */
};

/* What a run found. */
struct pidsim_sc_summary {
	size_t designs;		/* designs run */
	size_t statements;	/* statements run, expects excluded */
	size_t disagreements;	/* (statement, design) pairs unlike the first */
	size_t allowed;		/* of which explained by the contract */
	size_t violations;	/* of which contract violations */
	size_t expects;		/* (expect, design) checks made */
	size_t failed;		/* of which failed */
	unsigned max_tasks;	/* the task budget the run had */
	size_t over_budget;	/* statements the budget refused on some design */
	unsigned budget_line;	/* the first of them; 0: none */
	unsigned stopped_line;	/* the line the time limit stopped the run
				 * at (it did not finish there); 0: none */
};

/*
 * Run sc on the design called design (or the designs a comma-separated
 * list names, the first the reference), or on every design when design
 * is NULL or "all", printing the text transcript to out (nothing when out
 * is NULL), under the default task budget and no time limit
 * (pidsim_sc_run_opts()).  Returns 0 with *sum filled (sum may be NULL),
 * -ENOENT for an unknown design, -EINVAL for a list that names one twice
 * or has an empty name, -ENOMEM, -EIO when out could not be written.  The
 * scenario passed when sum->violations, sum->failed and sum->over_budget
 * are 0.
 */
int pidsim_sc_run(const struct pidsim_scenario *sc, const char *design,
		  unsigned flags, FILE *out, struct pidsim_sc_summary *sum);

/*
 * The same with the limits and the output of opts (NULL: the defaults,
 * no time limit, text).  -EINVAL for an unknown output or a width below
 * 20.  The transcript goes out as the run goes: a run that stays small
 * (under PIDSIM_SC_STREAM_WORK task operations in all: tasks forked,
 * listed, checkpointed or restored, on every design) prints it when it
 * ends, a text transcript as one aligned table; a larger one
 * prints each row, and flushes out, as soon as its statement has run on
 * every design, so that a run killed or out of memory leaves every row
 * before the statement it died in.  Returns 0, -ENOENT, -ENOMEM, -EIO
 * (out could not be written: the run stops), or -ETIMEDOUT when the time
 * limit stopped it: the rows before sum->stopped_line are printed and
 * *sum is filled (sum may be NULL); on the other errors, the rows before
 * the failing statement are printed.
 */
int pidsim_sc_run_opts(const struct pidsim_scenario *sc,
		       const struct pidsim_sc_opts *opts, FILE *out,
		       struct pidsim_sc_summary *sum);

/*
 * Run sc on the design called design, silently (the default task budget,
 * no time limit), and hand over the bytes
 * the checkpoint image label called ckpt_name holds at the end (a
 * `checkpoint ... -> IMAGE` that succeeded): 0 and a malloc()ed *buf of
 * *len bytes; -EINVAL for a NULL sc, design, ckpt_name, buf or len (sum
 * may be NULL); -ENOENT for an unknown design or a name that is no
 * checkpoint image label; -ESRCH when
 * that checkpoint did not succeed on the design; -ENOMEM.  So an image
 * can travel to another process (`pidsim checkpoint`).
 */
int pidsim_sc_run_image(const struct pidsim_scenario *sc, const char *design,
			const char *ckpt_name, void **buf, size_t *len,
			struct pidsim_sc_summary *sum);

#ifdef __cplusplus
}
#endif
#endif /* PIDSIM_SCENARIO_H */
