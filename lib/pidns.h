/*
 * pidns.h - what the hierarchical pid namespace design (pidns_model.c)
 * offers beyond struct ps_design.
 *
 * Since Linux 6.14 ("pid: allow pid_max to be set per pid namespace")
 * pid_max is a property of each pid namespace: /proc/sys/kernel/pid_max
 * inside a namespace sets that namespace's own limit, a new namespace
 * starts with its parent's, and alloc_pid() checks every level against its
 * own (READ_ONCE(tmp->pid_max)).  It is also the one way a level between a
 * task's own and the host's can run out of numbers first: every task a
 * level holds is also held by each of its ancestors, so with one pid_max
 * for all levels the host is always the first to be full.
 */
#ifndef PS_PIDNS_H
#define PS_PIDNS_H

#include "internal.h"

/*
 * Set the pid_max of the container whose init is ct_init: later forks
 * take numbers below it at that level.  Numbers already above it stay, as
 * in Linux.  Containers created afterwards inside it start with it.
 * 0, -ESRCH (stale handle), -EINVAL (not a container init, not a pidns
 * image, or pid_max outside 2 .. the image's pid_max).
 */
int ps_pidns_set_pid_max(struct pidsim_kernel *k, pidsim_tid ct_init,
			 int pid_max);

#endif
