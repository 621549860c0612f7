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

/* find_task_by_pid_ns(), counted: the task view sees as nr, or NULL. */
static inline struct ps_task *find_task(pidsim_kernel *k,
				 const struct ps_container *view, int nr)
{
	k->stats.lookups++;
	if (nr < 1)
		return NULL;	/* each design bounds the numbers its views hold */
	return k->design->find_task(k, view, nr);
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

	if (*nr < 1)
		return NULL;
	t = k->design->find_ge(k, view, *nr, found);
	if (t)
		*nr = *found < INT_MAX ? *found + 1 : 0;
	return t;
}

/* task.c */
/* do_exit() and exit_notify(): t becomes a zombie with status. */
void ps_do_exit(pidsim_kernel *k, struct ps_task *t, int status);
/* zap_pid_ns_processes(): every task of ct but its init, released. */
void ps_zap_container(pidsim_kernel *k, struct ps_container *ct);
/* Free the tasks kept for reuse. */
void ps_task_cache_drain(pidsim_kernel *k);
/* The caller of a qualified call (cur_tid, running) and the view its
 * address names (ct, which cur's container must be or contain). */
int ps_qualified_caller(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid ct,
			struct ps_task **cur, struct ps_container **view);

/* signal.c */
/* 0, or -EINVAL for a signal the model does not have. */
int ps_sig_valid(int sig);
/* group_send_sig_info() to t, already found; from is the sender's
 * container, NULL for kernel context. */
int ps_send_signal(pidsim_kernel *k, const struct ps_container *from,
		   struct ps_task *t, int sig);

#endif
