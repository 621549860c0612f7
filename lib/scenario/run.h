/*
 * run.h - the scenario runner's own state, shared by its files.
 *
 * A run (struct run) runs one parsed scenario on one design or on all of
 * them.  Each design gets a struct design_run: its own kernels (one per
 * `kernel` of the file, sc->kernels[]) and its own binding of the file's
 * labels to what they stand for there (struct label_state: a task, an
 * object, a checkpoint image).  A statement runs on every design in turn;
 * what came back is kept as the design's struct outcome, which becomes a
 * transcript cell, is checked by the expects that follow, and (with
 * several designs) is compared with the reference's, design 0.
 *
 * Two kinds of image meet here and are kept apart in every name, as in
 * pidsim_scenario.h: a kernel (pidsim_kernel; an index into the file's
 * kernels, sc->kernels[], is an int kernel, as st->kernel is) and a
 * checkpoint image (pidsim_image.h; "ckpt": the bytes a PIDSIM_SC_CKPT
 * label holds, from `checkpoint ... -> IMAGE`).
 *
 * The files of the runner:
 *   run.c          the public entry points and the loop over statements
 *   run_state.c    set-up, labels and handles, costs, effects, the limits
 *                  of the run (task budget, time limit)
 *   run_stmt.c     one statement on one design: kernel and the process
 *                  statements (fork ... churn)
 *   run_ckpt.c     checkpoint, restore and migrate
 *   run_limits.c   which design limit a failed call hit
 *   run_cell.c     an outcome as text: the cell, the comparison keys
 *   run_expect.c   expects
 *   run_compare.c  the comparison rules and their explanation text
 */
#ifndef PS_SCENARIO_RUN_H
#define PS_SCENARIO_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "scenario.h"

/* How far a statement got on a design (struct outcome.how). */
enum {
	OUTCOME_RAN,		/* the call was made */
	OUTCOME_NOT_RUN,	/* an earlier line left no kernel or no label */
	OUTCOME_NO_PID,		/* a label's task has no number in the view */
};

/* What one statement gave on one design. */
struct outcome {
	int how;		/* OUTCOME_* */
	unsigned cause;		/* OUTCOME_NOT_RUN: the line that left nothing to run on */
	int missing;		/* OUTCOME_NOT_RUN, OUTCOME_NO_PID: the label; -1: the kernel */
	int ret;		/* the call's return value */
	int nr;			/* the number shown: a pid, a count */
	int label;		/* the task the result names; -1 */
	int status;		/* wait: the wait status */
	int state;		/* resolve: pidsim_task_state() */
	size_t bytes;		/* checkpoint: the checkpoint image's size */
	char limit[64];		/* a limit the design records; "" */
	bool over;		/* the task budget refused the statement */
	int *pids, *plabels;	/* ps: the pids and the labels they name */
	bool *pzombie;		/* ps: whether each pid is a zombie's */
	int *groups;		/* ps groups: per pid, its group's and its
				 * session's number and the labels they
				 * name (GRP_* below) */
	bool *used;		/* ps: scratch for matching an expected list */
	size_t n, cap;
	int *died, *gone;	/* labels that became zombies / were released:
				 * room for one entry per label */
	size_t nr_died, nr_gone;
	struct sc_cost cost;
};

/* A task a restore made, shown by the label of the task it was
 * checkpointed from; its deaths and release are effects as a label's are. */
struct restored_task {
	pidsim_tid t;
	int kernel;		/* the kernel it lives in */
	int label;		/* the label it is shown by */
	int state_before;	/* its state before the statement */
};

/* A checkpoint image a label holds (`checkpoint ... -> IMAGE`). */
struct held_ckpt {
	void *bytes;		/* pidsim_checkpoint()'s image; NULL: none */
	size_t len;
	int *labels;		/* its tasks' labels, in image order; -1: none */
	size_t nr_tasks;
	bool tree;		/* a tree image: a restore as a container
				 * adds an init */
};

/* What one label of the file stands for on one design, and what the run
 * remembers about it.  Which fields mean something depends on the label's
 * kind (sc->labels[].kind). */
struct label_state {
	pidsim_tid tid;		/* a task or alias: its task; PIDSIM_NO_TASK:
				 * unbound */
	int obj;		/* an object: its id; -1: unbound */
	int obj_kernel;		/* an object: the kernel it moved to with its
				 * owner (migrate); -1: its own */
	struct held_ckpt ckpt;	/* a checkpoint image */
	int parent_ct;		/* a container init: its parent container's
				 * init; -1 */
	bool has_nested;	/* a container init: a restore nested a
				 * container in it */
	unsigned unbound_at;	/* the line that failed to bind it; 0 */
	int state_before;	/* a task: its state before the statement */
	unsigned died_at;	/* a task: the line it died at; 0 */
	unsigned diverged_at;	/* the line its state left the reference
				 * design's, before the current statement; 0 */
};

/* One design's run.  kernel[] and the tables by handle are per kernel of
 * the file (sc->kernels[]); labels[] is per label of the file. */
struct design_run {
	const struct pidsim_design_info *info;
	pidsim_kernel *kernel[PIDSIM_SC_MAX_KERNELS];	/* NULL: not booted */
	unsigned boot_failed[PIDSIM_SC_MAX_KERNELS];	/* the line its boot failed */
	struct sc_tidmap label_by_tid[PIDSIM_SC_MAX_KERNELS];	/* handle -> label */
	struct label_state *labels;
	size_t nr_labels;
	int *live;		/* task labels whose task may exist */
	size_t nr_live;
	struct restored_task *restored;	/* tasks a restore made, shown by a label */
	size_t nr_restored, cap_restored;
	size_t ckpt_tasks;	/* tasks in every checkpoint image held: the
				 * task budget's */
	unsigned diverged_at;	/* the line its state left the reference
				 * design's; 0 */
	bool said_renumbering;	/* a note said its numbers differ by a
				 * renaming (once per run) */
	struct outcome outcome;
	uint64_t peak;
};

struct run {
	const struct pidsim_scenario *sc;
	struct design_run *designs;	/* designs[0]: the reference */
	size_t nr_designs;
	struct sc_table tab;
	struct pidsim_sc_summary sum;
	FILE *out;		/* the transcript; NULL: none */
	unsigned max_tasks;	/* the task budget */
	bool has_deadline;
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	bool timed_out;
	bool tab_ok;		/* the table is set up: it can be printed */
	bool streaming;		/* rows go out as they finish */
	uint64_t work;		/* task operations so far (PIDSIM_SC_STREAM_WORK) */
};

static inline bool is_task_label(const struct run *r, int label)
{
	return r->sc->labels[label].kind == PIDSIM_SC_TASK;
}

static inline const char *label_name(const struct run *r, int label)
{
	return r->sc->labels[label].name;
}

/* struct outcome.groups: four ints per pid of a ps list. */
enum { GRP_PGID, GRP_SID, GRP_PGID_LABEL, GRP_SID_LABEL, GRP_N };

/* Labels a statement may use (run_used_labels()). */
#define RUN_MAX_USED 5

/* Whether a statement of kind may change the state of tasks it does not
 * define (kill them, release them). */
static inline bool changes_state(enum pidsim_sc_kind kind)
{
	return kind == PIDSIM_SC_EXIT || kind == PIDSIM_SC_WAIT ||
	       kind == PIDSIM_SC_KILL || kind == PIDSIM_SC_NOTIFY ||
	       kind == PIDSIM_SC_CHURN || kind == PIDSIM_SC_MIGRATE;
}

/* ---- run_state.c: set-up, labels, costs, effects, limits of the run ---- */

/* Nothing bound yet, room for nr_labels labels: 0 or -ENOMEM (then
 * run_design_fini() frees what there is). */
int run_design_init(struct design_run *d, const struct pidsim_design_info *info,
		    size_t nr_labels);
void run_design_fini(struct design_run *d);

/* The task label a handle of kernel belongs to, or -1.  (Handles are per
 * kernel: two kernels may hand out the same value.) */
int run_label_of(const struct design_run *d, int kernel, pidsim_tid t);
/* The label that cur sees as nr names (in ct's view when ct is a task),
 * or -1; not counted as cost.  *zombie (when not NULL): whether that task
 * is a zombie. */
int run_label_of_nr(struct design_run *d, int kernel, pidsim_tid cur,
		    pidsim_tid ct, int nr, bool *zombie);
/* A new task under its label: it is looked up by handle from now on.
 * 0 or -ENOMEM. */
int run_bind_task(struct run *r, struct design_run *d, int label, pidsim_tid t);

/* The statement's cost: what k counted since s0, and the bytes after. */
void run_cost_done(pidsim_kernel *k, const struct pidsim_stats *s0,
		   struct design_run *d);
/* Add what k counted since s0 to the statement's cost (a migrate counts
 * on both kernels; the bytes shown stay the target's). */
void run_cost_add(pidsim_kernel *k, const struct pidsim_stats *s0,
		  struct design_run *d);
/* Add c's counters to sum's (the bytes are not a count: left alone). */
void run_cost_sum(struct sc_cost *sum, const struct sc_cost *c);

/* A task label's state (pidsim_task_state()); 0 when it has no task. */
int run_task_state(const struct run *r, const struct design_run *d, int label);
/* Before and after a statement that changes state: which labelled tasks
 * it killed or released (the outcome's died and gone), the line each
 * died at. */
void run_effects_before(const struct run *r, struct design_run *d);
void run_effects_after(const struct run *r, struct design_run *d, unsigned line);

/* The tasks on k, running and zombie. */
size_t run_tasks_on(const pidsim_kernel *k);
/* Whether need more tasks, where have are, would pass the task budget; if
 * so the statement does nothing and gives E2BIG, a recorded limit, and
 * the label it would have defined is unbound from this line on. */
bool run_over_budget(const struct run *r, struct design_run *d,
		     const struct pidsim_sc_stmt *st, size_t have, size_t need);
/* Whether the time limit has passed; once it has, it stays passed. */
bool run_out_of_time(struct run *r);

/* ---- run_limits.c: which design limit a failed call hit ------------------ */

/* Record that the outcome is a limit: "max_tasks 1024" (v < 0: the
 * words alone); the limit pidsim_limit_hit() says refused the last failed
 * fork, restore or migrate on k. */
void run_note_limit(struct design_run *d, const char *what, int v);
void run_note_limit_hit(struct design_run *d, pidsim_kernel *k);
/* Whether a kernel that failed to boot with pid_max asked past the
 * design's max_pid_max. */
void run_boot_limit(struct design_run *d, const struct pidsim_design_info *info,
		    int pid_max, int ret);

/* ---- run_stmt.c, run_ckpt.c: one statement on one design ----------------- */

/* Every label the statement uses (at most 4), for the check that each is
 * bound: how many. */
size_t run_used_labels(const struct pidsim_sc_stmt *st, int out[RUN_MAX_USED]);
/* Boot a kernel: the design under test, or the one the kernel statement
 * names (design D).  0, or -ENOMEM (a run cannot go on). */
int run_kernel(struct run *r, struct design_run *d, const struct pidsim_sc_stmt *st);
/* Run statement st on design d, leaving the outcome in d->outcome: 0, or
 * an error that stops the run (-ENOMEM). */
int run_stmt(struct run *r, struct design_run *d, const struct pidsim_sc_stmt *st);
/* checkpoint, restore, migrate: k is the kernel the statement's result is
 * read on (the target of a migrate).  As run_stmt(). */
int run_checkpoint(const struct run *r, struct design_run *d, pidsim_kernel *k,
		   const struct pidsim_sc_stmt *st);
int run_restore(struct run *r, struct design_run *d, pidsim_kernel *k,
		const struct pidsim_sc_stmt *st);
int run_migrate(struct run *r, struct design_run *d, pidsim_kernel *k,
		const struct pidsim_sc_stmt *st);

/* ---- run_cell.c, run_expect.c, run_compare.c ----------------------------- */

/* d's outcome of st as a new string (NULL: out of memory): a transcript
 * cell (brief), or a key for comparison (up to renaming when named). */
char *run_outcome_text(const struct run *r, struct design_run *d,
		       const struct pidsim_sc_stmt *st, bool named, bool brief);
/* An expect on every design: the row's cells and note.  0 or -ENOMEM. */
int run_expect(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row);
/* The container whose view the statement reads numbers in on d, as a
 * label of its init; -1 for none (notify, kernel) or a caller that is
 * gone. */
int run_view_of(const struct design_run *d, const struct pidsim_sc_stmt *st);
/* After st ran on every design: compare each with the reference, mark and
 * explain each difference in row, and note where each design's state
 * left the reference's.  0 or -ENOMEM. */
int run_compare(struct run *r, const struct pidsim_sc_stmt *st, struct sc_row *row);
/* The row's note from its whys, designs from..: each reason once, after
 * the designs it applies to ("pidspace, pidns: ..."), in the designs'
 * order; NULL when there is none.  0 or -ENOMEM. */
int run_note(const struct run *r, struct sc_row *row, size_t from);

#endif
