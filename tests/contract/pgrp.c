/*
 * pgrp.c - contract rules 11-16: process groups and sessions (Linux 6.18's
 * behaviour, kernel/sys.c, kernel/signal.c, kernel/exit.c, kernel/pid.c).
 *
 *   11  host init leads session 1 and group 1; a child joins its parent's
 *       group and session, a new container's init too;
 *   12  setpgid(): its errors in order, a parent moving a child;
 *   13  setsid(): -EPERM for a group leader, else a new session and group;
 *   14  getpgid(), getsid(): the leader's number in the caller's view, 0
 *       when it has none there (vpid-openvz: the host's number,
 *       PIDSIM_D_HOST_GROUP_NUMBER), -ESRCH for a pid the caller cannot
 *       see;
 *   15  kill(0) and kill(-pgid): every member, zombies counted, wherever it
 *       lives, a container's init protected; wait(0) and wait(-pgid): the
 *       children in the group, adopted orphans keeping theirs;
 *   16  a group's or session's number stays taken in every view while the
 *       group or session has a member, even after its leader was reaped.
 * Every failing call changes nothing (rule 10): NO_CHANGE() compares every
 * visible task's group and session too.
 */
#include "contract.h"

static int getpgid_of(struct fx *f, pidsim_tid cur, int pid)
{
	return pidsim_getpgid(f->k, cur, pid);
}

static int getsid_of(struct fx *f, pidsim_tid cur, int pid)
{
	return pidsim_getsid(f->k, cur, pid);
}

/* What a container task reads for a group or session led outside its
 * container: 0, or on a design that shows the host's number, host_nr. */
static int outside_nr(const struct fx *f, int host_nr)
{
	return has(f, PIDSIM_D_HOST_GROUP_NUMBER) ? host_nr : 0;
}

/* ---- Rule 11: boot and inheritance ------------------------------------------ */

/* Host init leads session 1 and group 1; its children are in both. */
static void test_pgrp_host_init_leads_session_1(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, a, 3);

	EQ(getpgid_of(f, f->host, 0), 1);
	EQ(getsid_of(f, f->host, 0), 1);
	EQ(getpgid_of(f, a, 0), 1);
	EQ(getsid_of(f, b, 0), 1);
	EQ(getpgid_of(f, f->host, 3), 1);
	EQ(pidsim_setsid(f->k, f->host), -EPERM);
}

/* A new container's init stays in its creator's group and session, which
 * it cannot name, and so do its children; its creator still sees it there. */
static void test_pgrp_container_init_inherits(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), c, x;
	int g;

	EQ(pidsim_setpgid(f->k, a, 0, 0), 0);
	c = spawn_ct(f, a, 0);
	x = spawn(f, c, 2);
	g = pid_in(f, f->host, a, 2);
	EQ(getpgid_of(f, c, 0), outside_nr(f, g));
	EQ(getsid_of(f, c, 0), outside_nr(f, 1));
	EQ(getpgid_of(f, x, 0), outside_nr(f, g));
	EQ(getpgid_of(f, c, pid_in(f, c, x, 2)), outside_nr(f, g));
	EQ(getpgid_of(f, a, pid_in(f, a, c, 0)), g);
	EQ(getsid_of(f, f->host, pid_in(f, f->host, c, 0)), 1);
}

/* ---- Rule 12: setpgid() ------------------------------------------------------- */

/* pid 0 is the caller, pgid 0 its own number: it leads a group of its own. */
static void test_pgrp_setpgid_zero_makes_leader(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b;

	EQ(pidsim_setpgid(f->k, a, 0, 0), 0);
	EQ(getpgid_of(f, a, 0), 2);
	EQ(getsid_of(f, a, 0), 1);
	b = spawn(f, a, 3);
	EQ(getpgid_of(f, b, 0), 2);
	EQ(pidsim_setpgid(f->k, b, 3, 3), 0);	/* pid and pgid its own */
	EQ(getpgid_of(f, f->host, 3), 3);
	EQ(pidsim_setpgid(f->k, b, 0, 2), 0);	/* back, by number */
	EQ(getpgid_of(f, f->host, 3), 2);
	EQ(pidsim_setpgid(f->k, a, 0, 0), 0);	/* already: nothing to do */
	EQ(getpgid_of(f, f->host, 2), 2);
}

/* A parent moves its child into another group of the same session. */
static void test_pgrp_setpgid_parent_moves_child(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, f->host, 3);

	EQ(pidsim_setpgid(f->k, f->host, 2, 0), 0);	/* a leads 2 */
	EQ(pidsim_setpgid(f->k, f->host, 3, 2), 0);	/* b joins it */
	EQ(getpgid_of(f, b, 0), 2);
	EQ(getpgid_of(f, a, 3), 2);
	EQ(pidsim_setpgid(f->k, f->host, 3, 1), 0);	/* and back to 1 */
	EQ(getpgid_of(f, b, 0), 1);
}

/* The errors, in Linux's order, each changing nothing. */
static void test_pgrp_setpgid_errors(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, a, 3);
	pidsim_tid s = spawn(f, f->host, 4), z = spawn(f, f->host, 5);

	watch(f, a);
	watch(f, s);
	EQ(pidsim_exit(f->k, z, 0), 0);
	NO_CHANGE(f, -EINVAL, pidsim_setpgid(f->k, a, 0, -1));
	NO_CHANGE(f, -EINVAL, pidsim_setpgid(f->k, a, 99, -5));	/* before ESRCH */
	NO_CHANGE(f, -ESRCH, pidsim_setpgid(f->k, f->host, 3, 0)); /* a grandchild */
	NO_CHANGE(f, -ESRCH, pidsim_setpgid(f->k, a, 4, 0));	/* not a child */
	NO_CHANGE(f, -ESRCH, pidsim_setpgid(f->k, a, 99, 0));	/* nobody */
	NO_CHANGE(f, -ESRCH, pidsim_setpgid(f->k, a, -3, 0));
	NO_CHANGE(f, -ESRCH, pidsim_setpgid(f->k, b, 1, 0));	/* its parent's parent */
	NO_CHANGE(f, -EPERM, pidsim_setpgid(f->k, f->host, 0, 0)); /* leads session 1 */
	NO_CHANGE(f, -EPERM, pidsim_setpgid(f->k, a, 0, 99));	/* no group 99 */
	NO_CHANGE(f, -EPERM, pidsim_setpgid(f->k, a, 0, 4));	/* 4 leads none */
	EQ(pidsim_setsid(f->k, s), 4);				/* s: session 4 */
	NO_CHANGE(f, -EPERM, pidsim_setpgid(f->k, f->host, 4, 0)); /* other session */
	NO_CHANGE(f, -EPERM, pidsim_setpgid(f->k, f->host, 4, 1));
	NO_CHANGE(f, -EPERM, pidsim_setpgid(f->k, a, 0, 4));	/* group of another session */
	NO_CHANGE(f, -EPERM, pidsim_setpgid(f->k, s, 0, 0));	/* leads session 4 */
	NO_CHANGE(f, 0, pidsim_setpgid(f->k, f->host, 5, 1));	/* a zombie child: same group */
	EQ(pidsim_setpgid(f->k, f->host, 5, 0), 0);		/* and it may move */
	EQ(getpgid_of(f, f->host, 5), 5);
	NO_CHANGE(f, -ESRCH, pidsim_setpgid(f->k, z, 0, 0));	/* a zombie calls nothing */
}

/* ---- Rule 13: setsid() ---------------------------------------------------------- */

/* A new session and group, both the caller's number, its only member. */
static void test_pgrp_setsid_new_session(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b;

	EQ(pidsim_setsid(f->k, a), 2);
	EQ(getpgid_of(f, a, 0), 2);
	EQ(getsid_of(f, a, 0), 2);
	EQ(getsid_of(f, f->host, 0), 1);
	b = spawn(f, a, 3);
	EQ(getsid_of(f, b, 0), 2);
	EQ(getpgid_of(f, b, 0), 2);
	EQ(pidsim_setsid(f->k, b), 3);		/* b leads no group */
	EQ(getsid_of(f, f->host, 3), 3);
	EQ(getpgid_of(f, f->host, 3), 3);
}

/* -EPERM for a session leader, for a group leader, and for a task whose
 * number names a group it has left. */
static void test_pgrp_setsid_group_leader_eperm(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b;

	watch(f, a);
	NO_CHANGE(f, -EPERM, pidsim_setsid(f->k, f->host));
	EQ(pidsim_setpgid(f->k, a, 0, 0), 0);
	NO_CHANGE(f, -EPERM, pidsim_setsid(f->k, a));
	b = spawn(f, a, 3);
	watch(f, b);
	EQ(pidsim_setpgid(f->k, a, 0, 1), 0);	/* a leaves; b keeps group 2 */
	EQ(getpgid_of(f, b, 0), 2);
	NO_CHANGE(f, -EPERM, pidsim_setsid(f->k, a));
	EQ(pidsim_setsid(f->k, b), 3);
	EQ(pidsim_setsid(f->k, a), 2);		/* group 2 is gone */
	NO_CHANGE(f, -EPERM, pidsim_setsid(f->k, a));
}

/* ---- Rule 14: getpgid(), getsid() ------------------------------------------------ */

/* -ESRCH for a pid the caller cannot see; a zombie keeps its groups. */
static void test_pgrp_get_errors(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2), x = spawn(f, c, 2);
	int xn = pid_in(f, c, x, 2);

	spawn(f, f->host, 0);		/* a host task x cannot see */
	watch(f, x);
	NO_CHANGE(f, -ESRCH, pidsim_getpgid(f->k, x, 99));
	NO_CHANGE(f, -ESRCH, pidsim_getsid(f->k, x, 99));
	NO_CHANGE(f, -ESRCH, pidsim_getpgid(f->k, x, -1));
	NO_CHANGE(f, -ESRCH, pidsim_getsid(f->k, x, 3));
	EQ(pidsim_setsid(f->k, x), xn);
	EQ(pidsim_exit(f->k, x, 0), 0);
	EQ(getpgid_of(f, c, xn), xn);		/* a zombie */
	EQ(getsid_of(f, c, xn), xn);
	NO_CHANGE(f, -ESRCH, pidsim_getpgid(f->k, x, 0));	/* calls nothing */
	reap(f, c, xn, EXITED(0));
	NO_CHANGE(f, -ESRCH, pidsim_getpgid(f->k, c, xn));
}

/* The leader's number in each view: a container that setsid()s reads 1,
 * its creator the glue pid; a nested task a parent container's number. */
static void test_pgrp_numbers_in_each_view(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2), x, y;
	int glue = pid_in(f, f->host, c, 2);

	int xn;

	EQ(pidsim_setsid(f->k, c), 1);
	x = spawn(f, c, 2);
	xn = pid_in(f, c, x, 2);
	EQ(getpgid_of(f, x, 0), 1);
	EQ(getsid_of(f, x, xn), 1);
	EQ(getpgid_of(f, f->host, glue), glue);
	EQ(getsid_of(f, f->host, glue), glue);
	EQ(pidsim_setpgid(f->k, c, xn, 0), 0);
	EQ(getpgid_of(f, x, 0), xn);
	if (has(f, PIDSIM_D_HOST_SEES_ALL)) {
		int hx = pid_in(f, f->host, x, 0);

		EQ(getpgid_of(f, f->host, hx), hx);
	}
	if (f->info->max_level < 2)
		return;
	y = spawn_ct(f, x, 0);
	EQ(getpgid_of(f, y, 0), 0);		/* x's group: outside y's view */
	EQ(getsid_of(f, y, 0), 0);
	EQ(getpgid_of(f, c, pid_in(f, c, y, 0)), xn);
}

/* ---- Rule 15: kill and wait on groups -------------------------------------------- */

/* kill(0) reaches every member of the caller's group, itself included,
 * and not the tasks of other groups. */
static void test_pgrp_kill_zero_reaches_group(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, a, 3), c = spawn(f, a, 4);
	pidsim_tid d = spawn(f, f->host, 5);

	EQ(pidsim_setpgid(f->k, f->host, 2, 0), 0);
	EQ(pidsim_setpgid(f->k, a, 3, 2), 0);
	EQ(pidsim_setpgid(f->k, a, 4, 2), 0);
	EQ(pidsim_kill(f->k, b, 0, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, b), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, d), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);
}

/* The crossing: a task inside a container whose init never called
 * setsid() is in its creator's group; kill(0) from it reaches the members
 * outside, while the container's init, a member too, ignores a signal
 * from inside.  After setsid() in the init its new children's kill(0)
 * stays inside. */
static void test_pgrp_kill_zero_crosses_until_setsid(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), s, c, x, y, c2;

	EQ(pidsim_setpgid(f->k, f->host, 2, 0), 0);
	s = spawn(f, a, 3);
	c = spawn_ct(f, a, 0);
	x = spawn(f, c, 2);
	EQ(pidsim_kill(f->k, x, 0, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);	/* outside: crossed */
	EQ(pidsim_task_state(f->k, s), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, x), PIDSIM_ZOMBIE);	/* itself */
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);	/* its own init */
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);

	c2 = spawn_ct(f, f->host, 0);
	EQ(pidsim_setsid(f->k, c2), 1);
	y = spawn(f, c2, 2);
	s = spawn(f, f->host, 0);
	EQ(getsid_of(f, y, 0), 1);
	EQ(pidsim_kill(f->k, y, 0, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, y), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, c2), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, s), PIDSIM_RUNNING);
}

/* kill(-pgid): every member as the caller's view numbers the group,
 * zombies counted (0, nothing changes), -ESRCH for a number naming none
 * (checked before the signal); a container's init ignores it from inside
 * and all but SIGKILL from above. */
static void test_pgrp_kill_negative_pgid(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, f->host, 3), c, x;
	int glue;

	EQ(pidsim_setpgid(f->k, f->host, 2, 0), 0);
	EQ(pidsim_setpgid(f->k, f->host, 3, 2), 0);
	EQ(pidsim_exit(f->k, a, 0), 0);
	EQ(pidsim_exit(f->k, b, 0), 0);
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, -2, SIGKILL));	/* zombies */
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, -2, 65));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -99, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -99, 65));
	c = spawn_ct(f, f->host, 4);
	glue = pid_in(f, f->host, c, 4);
	EQ(pidsim_setsid(f->k, c), 1);
	x = spawn(f, c, 2);
	watch(f, c);
	watch(f, x);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, x, -pid_in(f, c, x, 2), 0)); /* leads none */
	EQ(pidsim_kill(f->k, x, 0, SIGKILL), 0);	/* from inside: init ignores */
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, x), PIDSIM_ZOMBIE);
	EQ(pidsim_kill(f->k, f->host, -glue, SIGTERM), 0);	/* from above: not KILL */
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
	EQ(pidsim_kill(f->k, f->host, -glue, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	reap(f, f->host, glue, KILLED(SIGKILL));
}

/* A group kill whose SIGKILL takes a container's init also takes that
 * container's tasks, members of the group or not, and the walk goes on
 * over the members left. */
static void test_pgrp_kill_walk_survives_releases(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), c, x, y, b;

	EQ(pidsim_setpgid(f->k, f->host, 2, 0), 0);
	c = spawn_ct(f, a, 0);		/* in group 2 */
	x = spawn(f, c, 2);
	y = spawn(f, c, 3);
	b = spawn(f, a, 0);
	EQ(pidsim_kill(f->k, f->host, -2, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, b), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, x), -ESRCH);	/* released with c's container */
	EQ(pidsim_task_state(f->k, y), -ESRCH);
	EQ(pidsim_kill(f->k, f->host, -2, SIGKILL), 0);	/* zombies left */
}

/* wait(0) and wait(-pgid) reap the children in that group only; -ECHILD
 * when none is in it; 0 when those in it all run. */
static void test_pgrp_wait_by_group(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, f->host, 3);
	pidsim_tid c = spawn(f, f->host, 4);
	int st;

	(void)c;
	EQ(pidsim_setpgid(f->k, f->host, 2, 0), 0);
	EQ(pidsim_setpgid(f->k, f->host, 3, 2), 0);
	EQ(pidsim_exit(f->k, b, 7), 0);
	EQ(pidsim_exit(f->k, c, 8), 0);
	watch(f, a);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 0, &st));	/* a: no children */
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, -99, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, -4, &st)); /* 4 leads none */
	reap_as(f, f->host, -2, 3, EXITED(7));			/* b, not c */
	NO_CHANGE(f, 0, pidsim_wait(f->k, f->host, -2, &st));	/* a runs */
	reap_as(f, f->host, 0, 4, EXITED(8));			/* c, in group 1 */
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, 0, &st));
}

/* An orphan adopted by its container's init keeps its group: the init
 * reaps it by that group's number. */
static void test_pgrp_orphan_keeps_group(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2), p = spawn(f, c, 2), o = spawn(f, p, 3);
	int pn = pid_in(f, c, p, 2), on = pid_in(f, c, o, 3), st;

	EQ(pidsim_setpgid(f->k, p, on, 0), 0);	/* o leads a group */
	EQ(pidsim_exit(f->k, p, 0), 0);		/* o goes to c */
	EQ(pidsim_getppid(f->k, o), 1);
	EQ(pidsim_exit(f->k, o, 4), 0);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, c, -pn, &st));	/* p leads none */
	reap_as(f, c, -on, on, EXITED(4));
	reap(f, c, pn, EXITED(0));
}

/* ---- Rule 16: a group's number stays taken ----------------------------------- */

/* Fill viewer's view (each fork a child of viewer) until a range is full. */
static void fill_view(struct fx *f, pidsim_tid viewer)
{
	while (pidsim_fork(f->k, viewer, 0, NULL) > 0)
		;
}

/*
 * A leader reaped while its group has a member: its number names the group
 * still (getpgid, kill(-pgid)) and no task, and no fork gets it however
 * full the view; once the last member is reaped it is free again.  In a
 * container and, where the design numbers it there, in the host too.
 */
static void test_pgrp_number_stays_taken(void **state)
{
	struct fx *f = *state;
	struct pidsim_census cs;
	pidsim_tid c, l, m;
	int nr, hnr;

	need_pid_max(f, f->info->min_ct_pid_max ? f->info->min_ct_pid_max + 40 : 100);
	c = spawn_ct(f, f->host, 2);
	l = spawn(f, c, 2);
	EQ(pidsim_setpgid(f->k, l, 0, 0), 0);
	m = spawn(f, l, 0);
	nr = pid_in(f, c, l, 2);
	hnr = pidsim_pid_of(f->k, f->host, l);
	EQ(pidsim_exit(f->k, l, 0), 0);
	reap(f, c, nr, EXITED(0));
	pidsim_census_get(f->k, &cs);
	EQ(cs.reaped_leaders, 1);
	EQ(getpgid_of(f, m, 0), nr);
	EQ(pidsim_find(f->k, c, nr, NULL), -ESRCH);
	fill_view(f, c);
	EQ(pidsim_find(f->k, c, nr, NULL), -ESRCH);	/* no fork got it */
	EQ(getpgid_of(f, c, pid_in(f, c, m, 0)), nr);
	if (hnr > 0) {
		EQ(pidsim_find(f->k, f->host, hnr, NULL), -ESRCH);
		EQ(pidsim_kill(f->k, f->host, -hnr, 0), 0);
	}
	EQ(pidsim_kill(f->k, c, -nr, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, m), PIDSIM_ZOMBIE);
	reap_all(f, c);
	pidsim_census_get(f->k, &cs);
	EQ(cs.reaped_leaders, 0);
	EQ(pidsim_kill(f->k, c, -nr, 0), -ESRCH);
	fill_view(f, c);
	EQ(pidsim_find(f->k, c, nr, NULL), 0);		/* free again, and taken */
}

/* A session's number too, and at every level that numbers the leader: a
 * container nested in a container where the design nests, else a
 * container and the host. */
static void test_pgrp_session_number_stays_taken(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, d, l, m;
	int lnr, cnr;

	need_pid_max(f, f->info->min_ct_pid_max ? f->info->min_ct_pid_max + 40 : 64);
	if (f->info->max_level >= 2) {
		c = spawn_ct(f, f->host, 2);
		d = spawn_ct(f, c, 2);
	} else {
		c = f->host;
		d = spawn_ct(f, c, 2);
	}
	l = spawn(f, d, 2);
	lnr = pid_in(f, d, l, 2);
	EQ(pidsim_setsid(f->k, l), lnr);
	m = spawn(f, l, 0);
	EQ(pidsim_setpgid(f->k, m, 0, 0), 0);	/* only the session is l's */
	cnr = pidsim_pid_of(f->k, c, l);
	EQ(pidsim_exit(f->k, l, 0), 0);
	reap(f, d, lnr, EXITED(0));
	EQ(getsid_of(f, m, 0), lnr);
	fill_view(f, d);
	EQ(pidsim_find(f->k, d, lnr, NULL), -ESRCH);
	if (cnr > 0) {		/* the level above numbers it too */
		EQ(getsid_of(f, c, pidsim_pid_of(f->k, c, m)), cnr);
		EQ(pidsim_find(f->k, c, cnr, NULL), -ESRCH);
	}
	EQ(pidsim_setsid(f->k, m), -EPERM);	/* m leads its group */
}

/* A container's init reaped while a host task is in the group it leads:
 * its glue number stays taken, the container lingers with no task (the
 * census no longer counts it), and goes with the group's last member. */
static void test_pgrp_container_lingers_with_its_leader(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2), h = spawn(f, f->host, 3);
	int glue = pid_in(f, f->host, c, 2), hn = pid_in(f, f->host, h, 3);
	struct pidsim_census cs;

	spawn(f, c, 2);
	EQ(pidsim_setpgid(f->k, f->host, glue, 0), 0);
	EQ(pidsim_setpgid(f->k, f->host, hn, glue), 0);
	EQ(pidsim_exit(f->k, c, 0), 0);
	reap(f, f->host, glue, EXITED(0));
	pidsim_census_get(f->k, &cs);
	EQ(cs.containers, 1);
	EQ(cs.reaped_leaders, 1);
	EQ(cs.tasks, 2);
	EQ(getpgid_of(f, h, 0), glue);
	EQ(pidsim_find(f->k, f->host, glue, NULL), -ESRCH);
	EQ(pidsim_kill(f->k, f->host, -glue, 0), 0);
	EQ(pidsim_exit(f->k, h, 0), 0);
	reap(f, f->host, hn, EXITED(0));
	pidsim_census_get(f->k, &cs);
	EQ(cs.reaped_leaders, 0);
	EQ(pidsim_kill(f->k, f->host, -glue, 0), -ESRCH);
	assert_census(f, 1, 0, 1);
}

/* setsid() by the last member of a group and session whose leader was
 * reaped: the leader's pid goes once, with both (the property suite's
 * find: it was freed twice). */
static void test_pgrp_setsid_frees_reaped_leader_once(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b;
	struct pidsim_census cs;

	EQ(pidsim_setsid(f->k, a), 2);
	b = spawn(f, a, 3);
	EQ(pidsim_exit(f->k, a, 0), 0);
	reap(f, f->host, 2, EXITED(0));
	pidsim_census_get(f->k, &cs);
	EQ(cs.reaped_leaders, 1);
	EQ(pidsim_setsid(f->k, b), 3);
	pidsim_census_get(f->k, &cs);
	EQ(cs.reaped_leaders, 0);
	EQ(pidsim_find(f->k, f->host, 2, NULL), -ESRCH);
	spawn(f, f->host, 4);
}

static const struct CMUnitTest tests[] = {
	T(test_pgrp_host_init_leads_session_1),
	T(test_pgrp_container_init_inherits),
	T(test_pgrp_setpgid_zero_makes_leader),
	T(test_pgrp_setpgid_parent_moves_child),
	T(test_pgrp_setpgid_errors),
	T(test_pgrp_setsid_new_session),
	T(test_pgrp_setsid_group_leader_eperm),
	T(test_pgrp_get_errors),
	T(test_pgrp_numbers_in_each_view),
	T(test_pgrp_kill_zero_reaches_group),
	T(test_pgrp_kill_zero_crosses_until_setsid),
	T(test_pgrp_kill_negative_pgid),
	T(test_pgrp_kill_walk_survives_releases),
	T(test_pgrp_wait_by_group),
	T(test_pgrp_orphan_keeps_group),
	T(test_pgrp_number_stays_taken),
	T(test_pgrp_session_number_stays_taken),
	T(test_pgrp_container_lingers_with_its_leader),
	T(test_pgrp_setsid_frees_reaped_leader_once),
};

const struct contract_group contract_pgrp = { tests, ARRAY_SIZE(tests) };
