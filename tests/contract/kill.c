/*
 * kill.c - contract rule 7: signals take Linux's default actions, errors
 * come in Linux's order, kill -1 reaches every visible task but the caller
 * and its container's init, and a container's init ignores its own
 * container's signals (SIGNAL_UNKILLABLE) and dies only of SIGKILL from
 * an ancestor.
 */
#include "contract.h"

/* Signal 0 only probes: 0 for a running or zombie target, nothing changes. */
static void test_kill_sig0_probes(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), b = spawn(f, f->host, 3);

	watch(f, a);
	EQ(pidsim_exit(f->k, b, 0), 0);
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, 0));
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 3, 0));
	NO_CHANGE(f, 0, pidsim_kill(f->k, a, 2, 0));
}

/* SIGCHLD, SIGCONT, SIGURG and SIGWINCH are ignored: 0, the target lives. */
static void test_kill_ignored_signals(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {17, 18, 23, 28};
	pidsim_tid a = spawn(f, f->host, 2);

	watch(f, a);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, sigs[i]));
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
}

/* Every other signal 1..64 kills: a zombie with status "killed by sig". */
static void test_kill_fatal_signals_kill(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {1, 2, 3, 9, 10, 13, 14, 15, 16, 24, 27, 29, 31,
			    32, 34, 63, 64};

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		pidsim_tid a = spawn(f, f->host, 0);
		int pid = pidsim_getpid(f->k, a);

		EQ(pidsim_kill(f->k, f->host, pid, sigs[i]), 0);
		EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
		reap(f, f->host, pid, KILLED(sigs[i]));
	}
}

/* A task may kill itself with a fatal signal. */
static void test_kill_self(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	EQ(pidsim_kill(f->k, a, 2, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, KILLED(SIGTERM));
}

/* Signals outside 0..64 and the stop signals 19..22 are -EINVAL. */
static void test_kill_bad_signal_einval(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {-1, 65, 19, 20, 21, 22, 1000, INT_MIN, INT_MAX};
	pidsim_tid a = spawn(f, f->host, 2);

	watch(f, a);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, 2, sigs[i]));
		NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, a, 2, sigs[i]));
	}
}

/* A number nobody visible holds is -ESRCH, checked before the signal. */
static void test_kill_invisible_pid_esrch_before_einval(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);

	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 50, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 50, 0));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 50, 65));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, 99999, 19));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, INT_MAX, -1));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t, 5, 65));
}

/* INT_MIN is -ESRCH ("-INT_MIN is undefined": kill_something_info()),
 * and so is a number naming no process group, before the signal number
 * (pgrp.c has the rest of rule 15). */
static void test_kill_int_min_and_no_group(void **state)
{
	struct fx *f = *state;

	spawn(f, f->host, 2);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, INT_MIN, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -2, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -2, 65));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -INT_MAX, 0));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, 0, 65));
}

/* Killing a zombie returns 0 and keeps its original status. */
static void test_kill_zombie_is_noop(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	EQ(pidsim_exit(f->k, a, 3), 0);
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, SIGKILL));
	NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, 2, SIGTERM));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, 2, 65));
	reap(f, f->host, 2, EXITED(3));
}

/* kill -1 signals every visible task but cur and its container's init. */
static void test_kill_all_spares_self_and_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);
	pidsim_tid c = spawn(f, f->host, 4);

	EQ(pidsim_kill(f->k, a, -1, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, b), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	reap(f, a, 3, KILLED(SIGKILL));
	reap(f, f->host, 4, KILLED(SIGKILL));
}

/* kill -1 counts zombies as targets: 0 when only zombies remain. */
static void test_kill_all_zombies_are_targets(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, f->host, 3);

	watch(f, a);
	EQ(pidsim_exit(f->k, b, 4), 0);
	NO_CHANGE(f, 0, pidsim_kill(f->k, a, -1, SIGKILL));
	reap(f, f->host, 3, EXITED(4));
}

/* kill -1 with no target is -ESRCH even for a bad signal; with one, -EINVAL. */
static void test_kill_all_no_target_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, t;

	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -1, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -1, 0));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, f->host, -1, 65));
	c = spawn_ct(f, f->host, 2);
	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, c, -1, SIGKILL));
	t = spawn(f, c, 2);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t, -1, SIGKILL));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, f->host, -1, 65));
	NO_CHANGE(f, -EINVAL, pidsim_kill(f->k, c, -1, 19));
}

/* kill -1 inside a container stays inside it (and its descendants, if
 * hierarchical); a child container's init dies only by SIGKILL. */
static void test_kill_all_inside_container(void **state)
{
	struct fx *f = *state;
	int hier = has(f, PIDSIM_D_HIERARCHICAL);
	struct topo t;
	pidsim_tid a;

	build_topo(f, &t);
	a = spawn(f, f->host, 0);
	EQ(pidsim_kill(f->k, t.t1, -1, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, t.t2), PIDSIM_ZOMBIE);
	if (t.d) {
		EQ(pidsim_task_state(f->k, t.d), PIDSIM_RUNNING);
		EQ(pidsim_task_state(f->k, t.u),
		   hier ? PIDSIM_ZOMBIE : PIDSIM_RUNNING);
	}
	EQ(pidsim_kill(f->k, t.t1, -1, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, t.t1), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, t.c), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	reap(f, t.c, pid_in(f, t.c, t.t2, 3), KILLED(SIGTERM));
	if (!t.d)
		return;
	EQ(pidsim_task_state(f->k, t.d), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, t.u), -ESRCH);
	reap(f, t.c, pid_in(f, t.c, t.d, 4), KILLED(SIGKILL));
}

/* A container's init ignores every signal sent from inside its container. */
static void test_kill_container_init_immune_inside(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {SIGKILL, SIGTERM, SIGHUP, 64};
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid ct = container_of(f, c);

	watch(f, c);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		NO_CHANGE(f, 0, pidsim_kill(f->k, t, 1, sigs[i]));
		NO_CHANGE(f, 0, pidsim_kill(f->k, c, 1, sigs[i]));
		NO_CHANGE(f, 0, pidsim_kill_in(f->k, t, ct, 1, sigs[i]));
	}
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
}

/* From its parent container only SIGKILL kills a container's init. */
static void test_kill_container_init_from_parent_sigkill_only(void **state)
{
	struct fx *f = *state;
	const int sigs[] = {SIGHUP, SIGINT, SIGTERM, 64};
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	int pc = pid_in(f, f->host, c, 2);

	watch(f, c);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		NO_CHANGE(f, 0, pidsim_kill(f->k, f->host, pc, sigs[i]));
	EQ(pidsim_kill(f->k, f->host, pc, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, t), -ESRCH);
	reap(f, f->host, pc, KILLED(SIGKILL));
	assert_census(f, 1, 0, 1);
}

/* A qualified kill from a grandparent obeys the same init rule. */
static void test_kill_in_nested_init_sigkill_only(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, d, u, cc, dc;
	int pd;

	need_levels(f, 2);
	c = spawn_ct(f, f->host, 2);
	d = spawn_ct(f, c, 2);
	u = spawn(f, d, 2);
	cc = container_of(f, c);
	dc = container_of(f, d);
	pd = pid_in(f, c, d, 2);
	watch(f, c);
	watch(f, d);
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, cc, pd, SIGTERM));
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, dc, 1, SIGTERM));
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, cc, 1, SIGTERM));
	EQ(pidsim_kill_in(f->k, f->host, dc, 1, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, d), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, u), -ESRCH);
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
	reap(f, c, pd, KILLED(SIGKILL));
}

/* Host kill -1 reaches container tasks only where the design lets the host see them. */
static void test_kill_host_reach_by_design(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid a = spawn(f, f->host, 0);
	int sees = has(f, PIDSIM_D_HOST_SEES_ALL), pt = pid_in(f, c, t, 2);

	EQ(pidsim_kill(f->k, a, -1, SIGTERM), 0);
	EQ(pidsim_task_state(f->k, t), sees ? PIDSIM_ZOMBIE : PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, c), PIDSIM_RUNNING);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	if (!sees) {
		EQ(pidsim_pid_of(f->k, f->host, t), 0);
		return;
	}
	reap(f, c, pt, KILLED(SIGTERM));
	t = spawn(f, c, 3);
	EQ(pidsim_kill(f->k, f->host, pid_in(f, f->host, t, 0), SIGKILL), 0);
	reap(f, c, pid_in(f, c, t, 3), KILLED(SIGKILL));
}

static const struct CMUnitTest tests[] = {
	T(test_kill_sig0_probes),
	T(test_kill_ignored_signals),
	T(test_kill_fatal_signals_kill),
	T(test_kill_self),
	T(test_kill_bad_signal_einval),
	T(test_kill_invisible_pid_esrch_before_einval),
	T(test_kill_int_min_and_no_group),
	T(test_kill_zombie_is_noop),
	T(test_kill_all_spares_self_and_init),
	T(test_kill_all_zombies_are_targets),
	T(test_kill_all_no_target_esrch),
	T(test_kill_all_inside_container),
	T(test_kill_container_init_immune_inside),
	T(test_kill_container_init_from_parent_sigkill_only),
	T(test_kill_in_nested_init_sigkill_only),
	T(test_kill_host_reach_by_design),
};

const struct contract_group contract_kill = { tests, ARRAY_SIZE(tests) };
