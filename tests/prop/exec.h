/*
 * exec.h - run a workload on one design, through the public interface
 * only, and check it step by step.
 *
 * Which checks run is a mask, so that each property (props.c) is one
 * mask and a failure names the property it broke:
 *
 *   CHK_INV    invariants of the task table after every step, from the
 *              public calls alone (census, ps, pid_of, getppid, task
 *              state, container and level, stats);
 *   CHK_ISO    isolation: every task a call observes or changes must be
 *              one the caller's container may see, or a consequence the
 *              contract names (an init's death takes its container);
 *   CHK_WEAK   weak references: handles and references never resolve to
 *              a task other than their own, and resolve to nothing once
 *              it is reaped; stored owners by weak reference likewise;
 *   CHK_REF    agreement with the reference model (ref.h) on every result
 *              and, after every step, on every view;
 *   CHK_TRACE  record what every step observed, by label, for the
 *              differential property (differential.c).
 */
#ifndef PROP_EXEC_H
#define PROP_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "pidsim.h"
#include "wl.h"

#define CHK_INV 0x1u
#define CHK_ISO 0x2u
#define CHK_WEAK 0x4u
#define CHK_REF 0x8u
#define CHK_TRACE 0x10u

/* One step as the differential compares it: numbers turned into labels. */
struct obs {
	int err;		/* the result if negative, else 0 */
	int nr;			/* the result if >= 0 */
	int task;		/* the task a result names: a label; -100 - n for
				 * the n-th task made, unnamed; -1 none */
	int status;		/* wait */
	uint64_t list;		/* ps: a hash of the set of labels listed */
	uint64_t effects;	/* a hash of every label's state after the step */
	int view;		/* the view numbers were read in: 0 host, 1 a
				 * container, 2 a container that a hierarchical
				 * design numbers differently (tasks below it) */
	bool raw;		/* the pid passed was not a visible task's number */
	int arg;		/* the pid passed */
	int level;		/* the caller's container's level */
};

/* Outcome classes, for coverage: what the generator reaches. */
enum { EXEC_OK, EXEC_ESRCH, EXEC_EINVAL, EXEC_ECHILD, EXEC_EAGAIN, EXEC_ELIMIT,
       EXEC_EBADF, EXEC_EPERM, EXEC_OTHER, EXEC_NR_OUTCOMES };
extern const char *const exec_outcome_names[EXEC_NR_OUTCOMES];

/* What one step passed, for printing a counterexample. */
struct step_log {
	int pid;		/* the number passed */
	bool symbolic;		/* it was the named task's number in the view */
	bool ran;		/* the step ran */
	int pid2;		/* setpgid's pgid, likewise */
	bool symbolic2;
};

struct exec_out {
	bool failed;
	bool skipped;		/* the design refused the image (pid_max) */
	bool has_want;		/* the failure was a result unlike the model's: */
	int want;		/* the model's result */
	int step;		/* the failing step */
	char why[1024];
	uint64_t calls;		/* calls made to the design under test */
	uint64_t effects;	/* effects checked for isolation */
	uint64_t misdelivered;	/* stored owners by number that reached
				 * another task after the owner's death:
				 * allowed by PIDSIM_D_OWNER_BY_NUMBER */
	uint64_t crossings;	/* tasks a kill(0) or kill(-pgid) changed
				 * outside the caller's view: members of the
				 * group signalled, as on Linux */
	uint64_t cover[WL_NR_KINDS][EXEC_NR_OUTCOMES];	/* results seen */
	struct obs *trace;	/* CHK_TRACE: one per step */
	struct step_log *log;	/* one per step */
	int restore_ret;	/* the last WL_RESTORE's result; INT_MIN: none */
};

/* Run w on design d.  0 when every check passed (or out->skipped), 1 on
 * the first failure (out->why, out->step).  Free out with exec_out_free. */
int exec_run(const struct wl *w, const struct pidsim_design_info *d,
	     unsigned checks, struct exec_out *out);
void exec_out_free(struct exec_out *out);

/* What exec_run_ckpt() checkpoints once the workload has run and passed:
 * of the tasks alive then (with PIDSIM_CKPT_CONTAINER, the inits of
 * containers), in the order the run made them, the pick % count-th, from
 * kernel context (with no container, a tree).  The image (free with
 * pidsim_image_free()) and the root come back; image stays NULL when
 * there was no candidate. */
struct exec_ckpt {
	unsigned what;		/* PIDSIM_CKPT_TREE or _CONTAINER; out: what
				 * was checkpointed */
	uint32_t pick;
	void *image;		/* out */
	size_t len;		/* out */
	int root;		/* out: the run's index of the root */
};

int exec_run_ckpt(const struct wl *w, const struct pidsim_design_info *d,
		  unsigned checks, struct exec_out *out, struct exec_ckpt *ck);

#endif
