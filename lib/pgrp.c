/*
 * pgrp.c - process groups and sessions: the other pid types of
 * task->pids[], for every design.
 *
 * Why they matter here.  The 2006 summary asks that "UNIX semantics of pid
 * visibility (e.g. kill etc) do not cross the container boundary (with
 * some glue at the top)", and the patches virtualized every pid type, not
 * only the task's own (OpenVZ's virt_pgid()/virt_sid(), IBM's
 * virt_process_group()).  A group is named by a number, kill(0) and
 * kill(-pgid) signal all of it, and a group is inherited across the
 * spawner transition: a new container's init stays in its creator's
 * group and session until someone calls setsid().  So kill(0) from inside
 * a container reaches the members of that group outside it, on Linux as
 * in every design here (signal.c); setsid() in the container's init
 * closes the crossing.
 *
 * The rules are Linux's (kernel/sys.c, kernel/signal.c, kernel/exit.c,
 * kernel/pid.c), written once for every design:
 *   - copy_process(): a child joins its parent's group and session, a new
 *     container's init too;
 *   - sys_setpgid(), ksys_setsid(), sys_getpgid(), sys_getsid() below;
 *   - __kill_pgrp_info() and do_wait()'s eligible_pid(): signal.c, task.c;
 *   - a group or session is named by its leader's struct pid, which stays
 *     linked, numbers and all, while any task still uses it through any
 *     pid type: detach_pid() frees it (free_pid()) only when no type
 *     links it any more.  So a number stays taken while a live group or
 *     session bears it, even after its leader was reaped, and alloc_pid()
 *     cannot hand it out.  Here the leader's task object is that struct
 *     pid: at reap it stays, as "remains" (state PS_REAPED: no task, no
 *     handle, no place in the family tree), with every number the design
 *     gave it, until its group and session are empty.  A container lives
 *     as long as a pid of it does (ps_container.users), as a
 *     pid_namespace lives while its pids hold it.
 *
 * What a design decides is only the numbering: find_group() and
 * group_nr() in struct ps_design (each design's file says what it does
 * with a group whose leader lives outside the caller's container).
 *
 * Not modelled: exec (setpgid()'s -EACCES for a child that has exec'd),
 * threads, terminals (tcsetpgrp(), SIGHUP to orphaned groups), stop
 * signals.
 */
#include <errno.h>

#include "check.h"
#include "pidsim_debug.h"
#include "task.h"

/* ---- Membership ----------------------------------------------------------- */

/* attach_pid(t, PIDTYPE_PGID, g): t becomes the first member of g. */
static void pg_link(struct ps_task *t, struct ps_task *g)
{
	t->pgrp = g;
	t->pg_prev = NULL;
	t->pg_next = g->pg_first;
	if (g->pg_first)
		g->pg_first->pg_prev = t;
	g->pg_first = t;
}

static void pg_unlink(struct ps_task *t)
{
	struct ps_task *g = t->pgrp;

	if (t->pg_prev)
		t->pg_prev->pg_next = t->pg_next;
	else
		g->pg_first = t->pg_next;
	if (t->pg_next)
		t->pg_next->pg_prev = t->pg_prev;
	t->pgrp = t->pg_next = t->pg_prev = NULL;
}

static void sess_link(struct ps_task *t, struct ps_task *s)
{
	t->session = s;
	s->nr_session++;
}

/* Whether anything still names p: a member, a session member, a walk. */
static bool pid_used(const struct ps_task *p)
{
	return p->pg_first || p->nr_session || p->pins;
}

/* put_pid() of remains: gone once nothing names them. */
static void pid_put(pidsim_kernel *k, struct ps_task *p)
{
	if (p && p->state == PS_REAPED && !pid_used(p))
		ps_pid_free(k, p);
}

void ps_pgrp_inherit(struct ps_task *child, struct ps_task *parent)
{
	pg_link(child, parent->pgrp);
	sess_link(child, parent->session);
}

/* Host init leads session 1 and group 1 from boot, as /sbin/init makes
 * itself with setsid() (systemd and sysvinit both do). */
void ps_pgrp_boot(struct ps_task *init)
{
	pg_link(init, init);
	sess_link(init, init);
}

/* change_pid(t, PIDTYPE_PGID, g): out of its group, which is freed if it
 * was the remains of a leader and t its last member, into g. */
static void pgrp_change(pidsim_kernel *k, struct ps_task *t, struct ps_task *g)
{
	struct ps_task *old = t->pgrp;

	if (old == g)
		return;
	pg_unlink(t);
	pg_link(t, g);
	pid_put(k, old);
}

#ifdef PS_MUTANT_GROUP_NUMBER_REUSED
/* mutant (make mutants): a reaped leader's numbers go back to the
 * allocators while its group lives on (free_pidmap() at reap, as if
 * detach_pid() did not ask whether another type still uses the pid); the
 * group keeps a place-holder pid with new numbers, if any are left (if
 * none, it has none: exit_status, unused once reaped, says so to
 * ps_pid_free()). */
static void mutant_renumber(pidsim_kernel *k, struct ps_task *t)
{
	k->design->detach_pid(k, t);
	t->exit_status = k->design->attach_pid(k, t, NULL) ? PS_MUTANT_NO_PID : 0;
}
#endif

void ps_pgrp_release(pidsim_kernel *k, struct ps_task *t)
{
	struct ps_task *g = t->pgrp, *s = t->session;

	/* A restore's rollback releases tasks that never joined. */
	if (g)
		pg_unlink(t);
	if (s) {
		s->nr_session--;
		t->session = NULL;
	}
#ifdef PS_MUTANT_GROUP_NUMBER_REUSED
	if (pid_used(t))
		mutant_renumber(k, t);
#endif
	if (g != t)
		pid_put(k, g);
	if (s != t && s != g)
		pid_put(k, s);
	pid_put(k, t);
}

void ps_pid_pin(struct ps_task *p)
{
	p->pins++;
}

void ps_pid_unpin(pidsim_kernel *k, struct ps_task *p)
{
	PS_BUG_ON(!p->pins);
	p->pins--;
	pid_put(k, p);
}

/* ---- The numbers a view reads ---------------------------------------------- */

/* pid_vnr() of a group's or session's pid: 0 when the view has none. */
static int group_nr(pidsim_kernel *k, const struct ps_task *pid,
		    const struct ps_container *view)
{
	return k->design->group_nr(k, pid, view);
}

/* ---- The calls ------------------------------------------------------------- */

/* The task a getpgid()/getsid() asks about: pid 0 is the caller, else
 * find_task_by_vpid() (a zombie has its groups until it is reaped). */
static int target_of(pidsim_kernel *k, struct ps_task *cur, int pid,
		     struct ps_task **t)
{
	*t = pid ? find_task(k, cur->ct, pid) : cur;
	return *t ? 0 : -ESRCH;
}

/* sys_getpgid(). */
int pidsim_getpgid(pidsim_kernel *k, pidsim_tid cur_tid, int pid)
{
	struct ps_task *cur, *t;
	int err = current_of(k, cur_tid, &cur);

	if (!err)
		err = target_of(k, cur, pid, &t);
	return err ? err : group_nr(k, t->pgrp, cur->ct);
}

/* sys_getsid(). */
int pidsim_getsid(pidsim_kernel *k, pidsim_tid cur_tid, int pid)
{
	struct ps_task *cur, *t;
	int err = current_of(k, cur_tid, &cur);

	if (!err)
		err = target_of(k, cur, pid, &t);
	return err ? err : group_nr(k, t->session, cur->ct);
}

/*
 * sys_setpgid(), in its order of checks: pgid < 0 -EINVAL; the target
 * (pid 0: the caller) must be the caller or its child, -ESRCH; a child in
 * another session, -EPERM; a session leader, -EPERM; a pgid other than
 * the target's own number must name a group with a member in the caller's
 * session (pid_task(find_vpid(pgid), PIDTYPE_PGID)), -EPERM.  "pgid ==
 * pid" compares numbers in the caller's view, the caller's own being
 * task_pid_vnr() when pid is 0.  Nothing is allocated: a move cannot
 * fail half way.
 */
int pidsim_setpgid(pidsim_kernel *k, pidsim_tid cur_tid, int pid, int pgid)
{
	struct ps_task *cur, *t, *g;
	int err = current_of(k, cur_tid, &cur);

	if (err)
		return err;
	if (pgid < 0)
		return -EINVAL;
	if (pid < 0)
		return -ESRCH;	/* find_task_by_vpid() finds nothing */
	err = target_of(k, cur, pid, &t);
	if (err)
		return err;
	if (t->parent == cur) {
		if (t->session != cur->session)
			return -EPERM;
	} else if (t != cur) {
		return -ESRCH;
	}
	if (t->session == t)
		return -EPERM;	/* signal->leader */
	if (pgid == 0 || pgid == (pid ? pid : ps_task_nr(k, cur, cur->ct))) {
		g = t;
	} else {
		g = find_group(k, cur->ct, pgid);
		if (!g || !g->pg_first || g->pg_first->session != cur->session)
			return -EPERM;
	}
	pgrp_change(k, t, g);
	return 0;
}

/*
 * ksys_setsid(): -EPERM for a session leader, and for a caller whose pid
 * already names a process group ("a process group id already exists
 * that equals the proposed session id": pid_task(sid, PIDTYPE_PGID)),
 * which is every group leader; else a new session and a new group, both
 * the caller's pid, and its number in the caller's view.
 */
int pidsim_setsid(pidsim_kernel *k, pidsim_tid cur_tid)
{
	struct ps_task *cur, *old, *old_g;
	int err = current_of(k, cur_tid, &cur);

	if (err)
		return err;
	if (cur->session == cur || cur->pg_first)
		return -EPERM;
	old = cur->session;
	old_g = cur->pgrp;
	old->nr_session--;
	sess_link(cur, cur);
	pg_unlink(cur);
	pg_link(cur, cur);
	pid_put(k, old_g);	/* each once: they may be one pid */
	if (old != old_g)
		pid_put(k, old);
	return ps_task_nr(k, cur, cur->ct);
}

/* ---- pidsim_debug.h -------------------------------------------------------- */

uint64_t pidsim_debug_group_id(const pidsim_kernel *k, pidsim_tid tid, int sid)
{
	struct ps_task *t = k ? ps_task_resolve(k, tid) : NULL;

	return t ? (uint64_t)(uintptr_t)(sid ? t->session : t->pgrp) : 0;
}

uint64_t pidsim_debug_find_group_id(pidsim_kernel *k, pidsim_tid cur_tid, int nr)
{
	struct ps_task *cur = k ? current_resolve(k, cur_tid) : NULL;
	struct ps_task *g = cur ? find_group(k, cur->ct, nr) : NULL;

	return g && g->pg_first ? (uint64_t)(uintptr_t)g : 0;
}

/* ---- Building blocks for lib/ckpt/ (internal.h) ------------------------ */

void ps_pgrp_join(pidsim_kernel *k, struct ps_task *t, struct ps_task *pgrp,
		  struct ps_task *session)
{
	struct ps_task *old_g = t->pgrp, *old_s = t->session;

	if (old_g)
		pg_unlink(t);
	if (old_s)
		old_s->nr_session--;
	pg_link(t, pgrp);
	sess_link(t, session);
	pid_put(k, old_g);
	if (old_s != old_g)
		pid_put(k, old_s);
}

int ps_pid_remains(pidsim_kernel *k, struct ps_container *ct,
		   const struct ps_pid_want *want, struct ps_task **out)
{
	int err = ps_task_create(k, ct, want, out);

	if (err)
		return err;
	ps_pid_pin(*out);		/* nothing names it yet */
	ps_release_task(k, *out);
	return 0;
}
