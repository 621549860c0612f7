/*
 * signal.c - kill(2) as Linux delivers it, for every design: the default
 * actions (a signal either kills or is ignored; stop signals are not
 * modelled), a container's init protected from its own container
 * (SIGNAL_UNKILLABLE), kill(-1) over the caller's view, and kill(0) and
 * kill(-pgid) to a process group (pgrp.c).  What a
 * number reaches is the design's answer (task.h's find_task()).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "task.h"

/* Linux's numbers (x86, arm, most others), whatever the host's are: the
 * model is of Linux. */
enum {
	PS_SIGKILL = 9,
	PS_SIGCHLD = 17,
	PS_SIGCONT = 18,
	PS_SIGSTOP = 19,	/* 19..22: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU */
	PS_SIGTTOU = 22,
	PS_SIGURG = 23,
	PS_SIGWINCH = 28,
	PS_SIGRTMAX = 64,
};

int ps_sig_valid(int sig)
{
	/* The stop signals are not modelled: there is no stopped state. */
	if (sig < 0 || sig > PS_SIGRTMAX || (sig >= PS_SIGSTOP && sig <= PS_SIGTTOU))
		return -EINVAL;
	return 0;
}

/* sig_kernel_ignore(): the signals whose default action is to ignore. */
static bool sig_default_ignored(int sig)
{
	return sig == PS_SIGCHLD || sig == PS_SIGCONT || sig == PS_SIGURG ||
	       sig == PS_SIGWINCH;
}

/*
 * sig_task_ignored(): a container's init has SIGNAL_UNKILLABLE and no
 * handlers.  It ignores everything from its own container and from kernel
 * context (from == NULL); a sender in an ancestor container, which init's
 * container cannot see, forces SIGKILL through (send_signal_locked()'s
 * "force").
 */
static bool init_ignores(const struct ps_container *from,
			 const struct ps_task *init, int sig)
{
	return !(sig == PS_SIGKILL && from && from != init->ct &&
		 ps_sees_container(from, init->ct));
}

/* group_send_sig_info() to a target already found; from is the sender's
 * container, NULL for kernel context. */
int ps_send_signal(pidsim_kernel *k, const struct ps_container *from,
		       struct ps_task *t, int sig)
{
	int err = ps_sig_valid(sig);

	if (err)
		return err;
	if (sig == 0 || t->state == PIDSIM_ZOMBIE || sig_default_ignored(sig))
		return 0;
	if (ps_is_init(t) && init_ignores(from, t, sig))
		return 0;
	ps_do_exit(k, t, sig);
	return 0;
}

/*
 * kill_something_info() for pid -1: every task whose number in the
 * caller's view is above 1 (so not the caller's own init, and nothing it
 * cannot see), except the caller.  -ESRCH when there is none.
 */
static int kill_all(pidsim_kernel *k, struct ps_task *cur, int sig)
{
	struct ps_container *view = cur->ct;
	struct ps_task *t;
	int nr = 2, found, count = 0, ret = 0, err;

	while ((t = view_next(k, view, &nr, &found))) {
		if (t == cur)
			continue;
		count++;
		err = ps_send_signal(k, view, t, sig);
		if (err)
			ret = err;
	}
	return count ? ret : -ESRCH;
}

/* The first member of g still marked for the walk of kill_pgrp(), from
 * t on; NULL when none is left. */
static struct ps_task *next_marked(struct ps_task *t)
{
	while (t && !t->kill_mark)
		t = t->pg_next;
	return t;
}

/*
 * __kill_pgrp_info(): every member of process group g, zombies included,
 * wherever it lives: the members are the group's, not the caller's view's
 * (a container's init keeps its own protection, init_ignores()).  -ESRCH
 * when g has no member (checked before the signal number), else the
 * signal's error or 0.
 *
 * Linux queues the signals and delivers them later; here a killing signal
 * takes effect at once, and an init's death releases its container's
 * tasks, members of g among them.  So the members are marked first (the
 * set the signal is sent to), g is pinned (get_pid()), and each marked
 * member is signalled in turn, the walk starting over from the first
 * member whenever a signal released tasks.
 */
static int kill_pgrp(pidsim_kernel *k, const struct ps_container *from,
		     struct ps_task *g, int sig)
{
	struct ps_task *t;
	int err;

	if (!g->pg_first)
		return -ESRCH;
	err = ps_sig_valid(sig);
	if (err)
		return err;
	for (t = g->pg_first; t; t = t->pg_next)
		t->kill_mark = true;
	ps_pid_pin(g);
	t = next_marked(g->pg_first);
	while (t) {
		uint64_t released = k->nr_released;

		t->kill_mark = false;
		ps_send_signal(k, from, t, sig);
		t = next_marked(k->nr_released == released ? t->pg_next
							    : g->pg_first);
	}
	ps_pid_unpin(k, g);
	return 0;
}

/*
 * kill_something_info(): pid > 0 one task; -1 every visible task; 0 the
 * caller's process group (task_pgrp(current): no number is read, so it
 * crosses whatever boundary the group does); below -1 the group the
 * caller's view numbers -pid (find_vpid()); INT_MIN -ESRCH ("-INT_MIN is
 * undefined").
 */
int pidsim_kill(pidsim_kernel *k, pidsim_tid cur_tid, int pid, int sig)
{
	struct ps_task *cur, *t;
	int err;

	err = current_of(k, cur_tid, &cur);
	if (err)
		return err;
	if (pid == -1)
		return kill_all(k, cur, sig);
	if (pid == 0)
		return kill_pgrp(k, cur->ct, cur->pgrp, sig);
	if (pid < 0) {
		if (pid == INT_MIN)
			return -ESRCH;
		t = find_group(k, cur->ct, -pid);
		return t ? kill_pgrp(k, cur->ct, t, sig) : -ESRCH;
	}
	t = find_task(k, cur->ct, pid);
	if (!t)
		return -ESRCH;
	return ps_send_signal(k, cur->ct, t, sig);
}

int pidsim_kill_in(pidsim_kernel *k, pidsim_tid cur_tid, pidsim_tid ct,
		   int pid, int sig)
{
	struct ps_task *cur, *t;
	struct ps_container *view;
	int err = ps_qualified_caller(k, cur_tid, ct, &cur, &view);

	if (err)
		return err;
	if (pid <= 0)
		return -EINVAL;
	t = find_task(k, view, pid);
	if (!t)
		return -ESRCH;
	return ps_send_signal(k, cur->ct, t, sig);
}
