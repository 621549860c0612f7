/*
 * calls.c - contract rule 8: getpid, getppid, ps (ascending), find, and
 * qualified addresses (container, pid) from an ancestor container: the
 * seed's ps --show-container.
 */
#include "contract.h"

/* ps lists visible pids ascending, whatever order they were handed out in. */
static void test_ps_ascending_after_wrap(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 10);
	fork_range(f, f->host, 2, 9);
	kill_reap(f, f->host, 3);
	kill_reap(f, f->host, 6);
	spawn(f, f->host, 3);
	spawn(f, f->host, 6);
	ASSERT_PS(f, f->host, 1, 2, 3, 4, 5, 6, 7, 8, 9);
}

/* ps returns the full count and stores at most cap pids. */
static void test_ps_cap_truncates_but_counts(void **state)
{
	struct fx *f = *state;
	int buf[3] = {-7, -7, -7};

	fork_range(f, f->host, 2, 4);
	EQ(pidsim_ps(f->k, f->host, buf, 2), 4);
	EQ(buf[0], 1);
	EQ(buf[1], 2);
	EQ(buf[2], -7);
	buf[0] = -7;
	EQ(pidsim_ps(f->k, f->host, buf, 0), 4);
	EQ(buf[0], -7);
}

/* ps_in(ct) reads ct's view, alike from the container itself and from an ancestor. */
static void test_ps_in_reads_container_view(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t2 = spawn(f, c, 2), t3 = spawn(f, c, 3);
	pidsim_tid ct = container_of(f, c);

	ASSERT_VIEW(f, c, {c, 1}, {t2, 2}, {t3, 3});
	assert_ps_in_is_ps(f, f->host, ct, c);
	assert_ps_in_is_ps(f, c, ct, c);
	assert_ps_in_is_ps(f, f->host, container_of(f, f->host), f->host);
}

/* ps_in of a nested container from the grandparent sees the nested view. */
static void test_ps_in_nested_from_grandparent(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid v;

	build_nested_topo(f, &t);
	v = spawn(f, t.d, 3);
	ASSERT_VIEW(f, t.d, {t.d, 1}, {t.u, 2}, {v, 3});
	assert_ps_in_is_ps(f, f->host, container_of(f, t.d), t.d);
	assert_ps_in_is_ps(f, t.t1, container_of(f, t.d), t.d);
	assert_ps_in_is_ps(f, f->host, container_of(f, t.c), t.c);
}

/* A container that is neither cur's nor below it is -EPERM for every qualified call. */
static void test_qualified_outside_cur_eperm(void **state)
{
	struct fx *f = *state;
	pidsim_tid c1 = spawn_ct(f, f->host, 2);
	pidsim_tid c2 = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c1, 2);
	pidsim_tid hct = container_of(f, f->host), c2t = container_of(f, c2), h;
	int pids[4];

	watch(f, c1);
	watch(f, c2);
	NO_CHANGE(f, -EPERM, pidsim_ps_in(f->k, t, hct, pids, 4));
	NO_CHANGE(f, -EPERM, pidsim_ps_in(f->k, c1, c2t, pids, 4));
	NO_CHANGE(f, -EPERM, pidsim_find_in(f->k, t, hct, 1, &h));
	NO_CHANGE(f, -EPERM, pidsim_find_in(f->k, t, c2t, 1, &h));
	NO_CHANGE(f, -EPERM, pidsim_kill_in(f->k, t, hct, 1, SIGKILL));
	NO_CHANGE(f, -EPERM, pidsim_kill_in(f->k, c1, c2t, 1, SIGKILL));
}

/* A stale or absent container handle is -ESRCH for every qualified call. */
static void test_qualified_stale_container_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid ct = container_of(f, c), h;
	int pids[4];

	kill_reap(f, f->host, pid_in(f, f->host, c, 2));
	NO_CHANGE(f, -ESRCH, pidsim_ps_in(f->k, f->host, ct, pids, 4));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, f->host, ct, 1, 0));
	NO_CHANGE(f, -ESRCH,
		  pidsim_ps_in(f->k, f->host, PIDSIM_NO_TASK, pids, 4));
	NO_CHANGE(f, -ESRCH,
		  pidsim_find_in(f->k, f->host, PIDSIM_NO_TASK, 1, &h));
}

/* A task that is not a container's init names no container: a clean error. */
static void test_qualified_non_init_handle_refused(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	struct snap before;
	int pids[4];

	snapshot(f, &before);
	assert_true(pidsim_ps_in(f->k, f->host, a, pids, 4) < 0);
	assert_true(pidsim_kill_in(f->k, f->host, a, 1, SIGKILL) < 0);
	ASSERT_UNCHANGED(&before);
}

/* find_in reads pid in ct's view: an ancestor reaches tasks it cannot see by number. */
static void test_find_in_reaches_container_tasks(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid ct = container_of(f, c), h = PIDSIM_NO_TASK;
	int pt = pid_in(f, c, t, 2);

	EQ(pidsim_find_in(f->k, f->host, ct, pt, &h), 0);
	assert_same_task(f, c, h, t);
	EQ(pidsim_find_in(f->k, f->host, ct, 1, &h), 0);
	assert_same_task(f, c, h, c);
	EQ(pidsim_find_in(f->k, c, ct, pt, &h), 0);
	assert_same_task(f, c, h, t);
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 3, &h));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 0, &h));
}

/* kill_in signals pid in ct's view, with kill's errors in kill's order. */
static void test_kill_in_signals_container_task(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid ct = container_of(f, c);
	int pt = pid_in(f, c, t, 2);

	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, f->host, ct, 3, 65));
	NO_CHANGE(f, -EINVAL, pidsim_kill_in(f->k, f->host, ct, pt, 65));
	NO_CHANGE(f, -EINVAL, pidsim_kill_in(f->k, f->host, ct, 0, SIGKILL));
	NO_CHANGE(f, 0, pidsim_kill_in(f->k, f->host, ct, pt, 0));
	EQ(pidsim_kill_in(f->k, f->host, ct, pt, SIGKILL), 0);
	EQ(pidsim_task_state(f->k, t), PIDSIM_ZOMBIE);
	reap(f, c, pt, KILLED(SIGKILL));
}

/* find gives a handle for a visible pid and -ESRCH for any other number. */
static void test_find_visible_only(void **state)
{
	struct fx *f = *state;
	const int bad[] = {3, 0, -1, INT_MAX, INT_MIN};
	pidsim_tid a = spawn(f, f->host, 2), h = PIDSIM_NO_TASK;

	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	assert_same_task(f, f->host, h, a);
	EQ(pidsim_find(f->k, a, 1, &h), 0);
	assert_same_task(f, a, h, f->host);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		NO_CHANGE(f, -ESRCH, pidsim_find(f->k, f->host, bad[i], &h));
}

/* pid_of: the number in cur's view, 0 when not visible, -ESRCH once reaped. */
static void test_pid_of_view_and_stale(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid c = spawn_ct(f, f->host, 3);

	EQ(pidsim_pid_of(f->k, f->host, a), 2);
	EQ(pidsim_pid_of(f->k, a, f->host), 1);
	EQ(pidsim_pid_of(f->k, c, a), 0);
	EQ(pidsim_exit(f->k, a, 0), 0);
	EQ(pidsim_pid_of(f->k, f->host, a), 2);
	reap(f, f->host, 2, EXITED(0));
	EQ(pidsim_pid_of(f->k, f->host, a), -ESRCH);
	EQ(pidsim_pid_of(f->k, c, a), -ESRCH);
}

/* container_of and level_of name a task's container and depth; stale is -ESRCH. */
static void test_container_of_and_level_of(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid c = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c, 2), ct;

	assert_same_task(f, f->host, container_of(f, a), f->host);
	assert_same_task(f, c, container_of(f, t), c);
	EQ(pidsim_level_of(f->k, a), 0);
	EQ(pidsim_level_of(f->k, t), 1);
	kill_reap(f, c, pid_in(f, c, t, 2));
	EQ(pidsim_container_of(f->k, t, &ct), -ESRCH);
	EQ(pidsim_level_of(f->k, t), -ESRCH);
}

static const struct CMUnitTest tests[] = {
	T(test_ps_ascending_after_wrap),
	T(test_ps_cap_truncates_but_counts),
	T(test_ps_in_reads_container_view),
	T(test_ps_in_nested_from_grandparent),
	T(test_qualified_outside_cur_eperm),
	T(test_qualified_stale_container_esrch),
	T(test_qualified_non_init_handle_refused),
	T(test_find_in_reaches_container_tasks),
	T(test_kill_in_signals_container_task),
	T(test_find_visible_only),
	T(test_pid_of_view_and_stale),
	T(test_container_of_and_level_of),
};

const struct contract_group contract_calls = { tests, ARRAY_SIZE(tests) };
