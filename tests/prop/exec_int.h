/*
 * exec_int.h - what the executor (exec.c) and its checks share: the
 * executor's picture of a run, built from the workload and the public
 * interface alone, and the helpers the checks read it with.  One file per
 * check: check_invariants.c, check_isolation.c, check_weakrefs.c,
 * check_reference.c; trace.c records steps for the differential.
 */
#ifndef PROP_EXEC_INT_H
#define PROP_EXEC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "exec.h"
#include "ref.h"

#include <errno.h>

#define GONE (-ESRCH)
#define VIEWS_PER_STEP 24	/* views the invariants walk in a step */
#define NEW 0			/* a task's state before it existed */
#define NO_HANDLE ((pidsim_tid)0xdeadbeefcafef00dull)

struct xtask {
	pidsim_tid h;
	int label;		/* -1: unnamed (a churn or spawn child) */
	int ref;		/* its id in the model, -1 */
	int ct;			/* its container */
	int state;		/* last seen: RUNNING, ZOMBIE or GONE */
	int pgid, sid;		/* its group's and session's numbers in its
				 * own view, last seen (running); -1: not yet */
};

struct xct {
	int init;		/* a task */
	int parent;		/* a container; -1 for the host */
	int level;
	int ref;		/* its id in the model */
	bool deep;		/* a task below its direct children's inits was
				 * ever made: a hierarchical design numbers it
				 * here, a flat one does not */
};

/* A number a task held in a view, as pid_of() gave it at its fork. */
struct xnum {
	int task, ct, nr;
};

struct ex {
	const struct pidsim_design_info *d;
	const struct wl *w;
	pidsim_kernel *k;
	unsigned checks;
	struct exec_out *out;
	int step;

	struct xtask *t;
	int nt, cap_t;
	struct xct *c;
	int nc, cap_c;
	struct xnum *hist;
	int nh, cap_h;
	int *snap;		/* states before the step, nt_before of them */
	uint64_t *gsnap;	/* groups before the step (pidsim_debug.h) */
	int nt_before, cap_snap;

	int *label_task;	/* task label -> task */
	pidsim_tid *refs;	/* reference label -> handle */
	int *ref_task;		/* reference label -> task it named */
	int *obj_id;		/* object label -> the design's id, -1 */
	int *obj_owner;		/* object label -> owner task */
	int *obj_ct;		/* object label -> the setter's container */
	bool *obj_open;

	bool use_ref;
	struct ref m;
	int *m2x;		/* model task -> task */
	int cap_m2x;

	int *buf, *rbuf;
	size_t cap_buf;
	struct pidsim_stats prev;
};

/* One step being run: what the checks need to know about it. */
struct step {
	const struct wl_op *op;
	int cur, cc;		/* the caller and its container */
	bool cur_ran;		/* the caller was running */
	int view;		/* the view numbers were read in; -1: none */
	int ret, status, n;	/* result; wait status; ps count */
	int x;			/* the task a result names (child, found,
				 * reaped, reached), -1 */
	int owner;		/* setown: the task the number named before */
	uint64_t group;		/* kill(0), kill(-pgid): the group signalled */
};

/* The first failure of a run, "step N (design): ..."; returns 1. */
int ex_fail(struct ex *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The model's result unlike got: ex_fail() and 1; else 0. */
int ex_check_eq(struct ex *e, const char *what, int got, int want);

/* For messages: a result ("-ESRCH"), a task ("t3", "host"), a state. */
const char *ex_errstr(int err);
const char *ex_name(const struct ex *e, int x);
const char *ex_state(int state);
int ex_cmp_int(const void *a, const void *b);

/* Tasks (x) and containers (c), by their index in the run. */
pidsim_tid ex_handle(const struct ex *e, int x);
int ex_task_of(const struct ex *e, int label);
bool ex_alive(const struct ex *e, int x);
bool ex_running(const struct ex *e, int x);
bool ex_is_init(const struct ex *e, int x);
/* A running task in container c to look through, or no task. */
pidsim_tid ex_observer(const struct ex *e, int c);
/* Whether container a is b or an ancestor of b. */
bool ex_ct_contains(const struct ex *e, int a, int b);
/* What the contract lets view c see (rule 4, and the design's flags). */
bool ex_may_see(const struct ex *e, int c, int x);
/* x's number in view c when it was made (0: none); the live task view c
 * knew as nr (-1: none). */
int ex_hist_nr(const struct ex *e, int x, int c);
int ex_hist_task(const struct ex *e, int c, int nr);
/* The task a handle names: an index, -1 for none, -2 for no task made. */
int ex_identify(struct ex *e, pidsim_tid h);
/* x's state before the step (NEW if made in it). */
int ex_before(const struct ex *e, int x);
void ex_ensure_buf(struct ex *e);

/* The checks, after every step (exec.h says what each holds). */
void ex_check_invariants(struct ex *e);
void ex_check_isolation(struct ex *e, const struct step *s);
void ex_check_weak(struct ex *e, const struct step *s);
void ex_check_model_state(struct ex *e);
void ex_record(struct ex *e, const struct step *s, const struct step_log *lg,
	       struct obs *o);

#endif
