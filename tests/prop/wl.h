/*
 * wl.h - a workload: one kernel image's pid_max and a sequence of calls,
 * covering every operation of the contract, generated at random, shrunk
 * and printed (the property harness's type callbacks, prop.h).
 *
 * Tasks are named by labels, as in the scenario language, because numbers
 * are exactly what differs between views and between designs: label 0 is
 * host init, and each fork defines a new label for its child whether or
 * not the fork succeeds.  A pid argument names a task by label (the
 * executor turns it into the number the caller sees it by; if the caller
 * does not see it, into the number the caller's view last saw it by -- a
 * just-freed number -- or its number in its own container), or is a raw
 * number, or is -1.  Weak references (pidsim_find) and kernel objects
 * (pidsim_setown) have labels of their own.
 *
 * Removing a fork while shrinking leaves its label undefined: calls by it
 * are made with no task (-ESRCH), and pids naming it fall back to the raw
 * number the generator stored with them.
 */
#ifndef PROP_WL_H
#define PROP_WL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "prop.h"

enum wl_kind {
	WL_FORK,	/* who, flags -> def */
	WL_EXIT,	/* who, arg = code */
	WL_WAIT,	/* who, pid */
	WL_KILL,	/* who, pid, arg = sig */
	WL_KILL_IN,	/* who, target = container (its init's label), pid, arg = sig */
	WL_GETPID,	/* who */
	WL_GETPPID,	/* who */
	WL_PS,		/* who */
	WL_PS_IN,	/* who, target = container */
	WL_FIND,	/* who, pid -> def (a reference label) */
	WL_FIND_IN,	/* who, target = container, pid -> def (a reference label) */
	WL_PID_OF,	/* who, target = a task label */
	WL_RESOLVE,	/* who, target = a reference label */
	WL_SETOWN,	/* who, pid -> def (an object label) */
	WL_NOTIFY,	/* target = an object label (-1: pid.raw is the id), arg = sig */
	WL_CLOSE,	/* target = an object label (-1: pid.raw is the id) */
	WL_CHURN,	/* who, arg = count: fork, exit 0, wait, arg times */
	WL_SPAWN,	/* who, flags, arg = count: fork arg unnamed children */
	WL_STATS_RESET,	/* pidsim_stats_reset() */
	WL_MIGRATE,	/* who, target = root, pid.task = the new parent, flags =
			 * WL_MIG_* -> def (the task linked to the parent):
			 * pidsim_migrate() within the one image */
	WL_NR_KINDS
};

/* WL_MIGRATE's flags */
#define WL_MIG_TREE 0x1u	/* PIDSIM_CKPT_TREE, else PIDSIM_CKPT_CONTAINER */
#define WL_MIG_INTO 0x2u	/* PIDSIM_RESTORE_INTO, else _CONTAINER */

enum wl_pid_kind { WL_PID_TASK, WL_PID_RAW, WL_PID_ANY };

struct wl_pid {
	int kind;		/* enum wl_pid_kind */
	int task;		/* WL_PID_TASK: a task label */
	int raw;		/* WL_PID_RAW, and the fallback of WL_PID_TASK */
};

struct wl_op {
	int kind;		/* enum wl_kind */
	int who;		/* the caller's task label */
	int def;		/* the label it defines, or -1 */
	unsigned flags;		/* fork */
	int arg;
	int target;
	struct wl_pid pid;
};

struct wl {
	int pid_max;		/* 0: the default */
	size_t n;
	struct wl_op *ops;
	int nr_tasks, nr_refs, nr_objs;	/* label counts (label spaces) */
};

/* The harness's type: alloc generates, shrink simplifies. */
extern const struct prop_type wl_type;

struct wl *wl_generate(struct prop_rng *rng);
struct wl *wl_copy(const struct wl *w);
void wl_free(struct wl *w);

/* Decode a fuzzer's bytes into a workload (never fails; NULL for none). */
struct wl *wl_decode(const unsigned char *data, size_t size);

const char *wl_kind_name(int kind);

#endif
