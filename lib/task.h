/*
 * task.h - what the semantics' files share (task.c, signal.c, kernel.c,
 * owner.c): the counted calls into the design, and the steps more than
 * one of them takes.  Not for lib/ckpt/ (internal.h is its interface) nor
 * the designs.
 */
#ifndef PS_TASK_H
#define PS_TASK_H

#include <errno.h>
#include <limits.h>

#include "internal.h"

/* The task making a call: it must exist and be running. */
static inline struct ps_task *current_resolve(const pidsim_kernel *k, pidsim_tid tid)
{
	struct ps_task *t = ps_task_resolve(k, tid);

	return t && t->state == PIDSIM_RUNNING ? t : NULL;
}

/* The caller of a system call: 0 and *cur, -EINVAL for a NULL image,
 * -ESRCH when cur_tid names no running task. */
static inline int current_of(const pidsim_kernel *k, pidsim_tid cur_tid,
			     struct ps_task **cur)
{
	if (!k)
		return -EINVAL;
	*cur = current_resolve(k, cur_tid);
	return *cur ? 0 : -ESRCH;
}

/* find_task_by_pid_ns(), counted: the task view sees as nr, or NULL.
 * pid_task(): a number kept by the remains of a reaped leader names no
 * task. */
static inline struct ps_task *find_task(pidsim_kernel *k,
				 const struct ps_container *view, int nr)
{
	struct ps_task *t;

	k->stats.lookups++;
	if (nr < 1)
		return NULL;	/* each design bounds the numbers its views hold */
	t = k->design->find_task(k, view, nr);
	return t && t->state != PS_REAPED ? t : NULL;
}

/* find_vpid() of a process group's or a session's number, counted: its
 * pid (a task or the remains of one), or NULL. */
static inline struct ps_task *find_group(pidsim_kernel *k,
				  const struct ps_container *view, int nr)
{
	k->stats.lookups++;
	if (nr < 1)
		return NULL;
	return k->design->find_group(k, view, nr);
}

/*
 * A walk of a view in number order, as find_ge_pid() walks it: the task
 * view sees by the lowest number >= *nr, that number in *found, and *nr
 * moved past it (0 once past INT_MAX, which ends the walk).
 */
static inline struct ps_task *view_next(pidsim_kernel *k,
				 const struct ps_container *view, int *nr,
				 int *found)
{
	struct ps_task *t;

	do {
		if (*nr < 1)
			return NULL;
		t = k->design->find_ge(k, view, *nr, found);
		if (t)
			*nr = *found < INT_MAX ? *found + 1 : 0;
	} while (t && t->state == PS_REAPED);	/* a number, no task */
	return t;
}

/* task.c */
/* do_exit() and exit_notify(): t becomes a zombie with status. */
void ps_do_exit(pidsim_kernel *k, struct ps_task *t, int status);
/* zap_pid_ns_processes(): every task of ct but its init, released. */
void ps_zap_container(pidsim_kernel *k, struct ps_container *ct);
/* Free the tasks kept for reuse. */
void ps_task_cache_drain(pidsim_kernel *k);
/* free_pid(): t, reaped and named by no group or session, goes with its
 * numbers. */
void ps_pid_free(pidsim_kernel *k, struct ps_task *t);
/* The caller of a qualified call (cur_tid, running) and the view its
 * address names (ct, which cur's container must be or contain). */
int ps_qualified_caller(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid ct,
			struct ps_task **cur, struct ps_container **view);

/* pgrp.c */
/* copy_process(): child joins parent's process group and session. */
void ps_pgrp_inherit(struct ps_task *child, struct ps_task *parent);
/* Host init at boot: the leader of session 1 and group 1. */
void ps_pgrp_boot(struct ps_task *init);
/* release_task()'s detach_pid()s: t, just reaped, leaves its group and
 * session; whichever pids are named by nothing any more (t's own
 * included) are freed. */
void ps_pgrp_release(pidsim_kernel *k, struct ps_task *t);

/* signal.c */
/* 0, or -EINVAL for a signal the model does not have. */
int ps_sig_valid(int sig);
/* group_send_sig_info() to t, already found; from is the sender's
 * container, NULL for kernel context. */
int ps_send_signal(pidsim_kernel *k, const struct ps_container *from,
		   struct ps_task *t, int sig);

#endif
