/*
 * alloc.c - contract rule 3: pids are handed out cyclically in every view,
 * wrapping to 300 (RESERVED_PIDS; to 1 while the last pid is below 300)
 * after pid_max - 1; a view with no free pid makes fork fail with -EAGAIN,
 * changing nothing.
 */
#include "contract.h"

/* Host pids are handed out cyclically: a freed number is not reused at once. */
static void test_alloc_host_cyclic(void **state)
{
	struct fx *f = *state;

	spawn(f, f->host, 2);
	kill_reap(f, f->host, 2);
	spawn(f, f->host, 3);
	spawn(f, f->host, 4);
	ASSERT_PS(f, f->host, 1, 3, 4);
}

/* Container pids are handed out cyclically in the container's own view. */
static void test_alloc_container_cyclic(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid t3, t4;

	kill_reap(f, c, pid_in(f, c, t, 2));
	t3 = spawn(f, c, 3);
	t4 = spawn(f, c, 4);
	ASSERT_VIEW(f, c, {c, 1}, {t3, 3}, {t4, 4});
}

/* Past pid_max - 1 the search wraps to 1 while the last pid is below 300. */
static void test_alloc_wraps_to_1_below_reserved(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 10);
	fork_range(f, f->host, 2, 9);
	kill_reap(f, f->host, 5);
	spawn(f, f->host, 5);
	kill_reap(f, f->host, 3);
	kill_reap(f, f->host, 7);
	spawn(f, f->host, 7);              /* next after 5, not lowest free */
	spawn(f, f->host, 3);              /* then wraps */
	ASSERT_PS(f, f->host, 1, 2, 3, 4, 5, 6, 7, 8, 9);
}

/* Once the last pid is 300 or more the search wraps to 300, not to 1. */
static void test_alloc_wraps_to_reserved_pids(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 400);
	fork_range(f, f->host, 2, 399);
	kill_reap(f, f->host, 5);
	kill_reap(f, f->host, 305);
	spawn(f, f->host, 305);
	EQ(ps_count(f, f->host), 398);
}

/* A full host view makes fork fail with -EAGAIN and change nothing. */
static void test_alloc_host_full_eagain(void **state)
{
	struct fx *f = *state;
	pidsim_tid a, child;

	need_pid_max(f, 4);
	a = spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	watch(f, a);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host, 0, &child));
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, a, 0, &child));
	f->mixed = 1;   /* IBM's host sees a container's init as ct << 22 | 1 */
	if (exact(f, f->host))
		NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host,
						  PIDSIM_CLONE_NEWPID, &child));
	kill_reap(f, f->host, 3);
	spawn(f, f->host, 3);
}

/* pid_max 2 leaves room for pid 1 only: host init cannot fork. */
static void test_alloc_pid_max_2_holds_init_only(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, 2);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host, 0, NULL));
	ASSERT_PS(f, f->host, 1);
}

/* A full container view makes fork fail with -EAGAIN and change nothing. */
static void test_alloc_container_full_eagain(void **state)
{
	struct fx *f = *state;
	int shared = has(f, PIDSIM_D_SHARED_RANGE);
	pidsim_tid c, child;
	int n, pids[2];

	need_pid_max(f, 10);
	c = spawn_ct(f, f->host, 2);
	watch(f, c);
	n = fill(f, c);
	if (exact(f, c))
		EQ(n, shared ? 7 : 8);     /* shared: internal 3..9 run out first */
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, c, 0, &child));
	/* A full view is the contract's -EAGAIN on every design; a design's
	 * limit is named only where one is why. */
	EQ(pidsim_limit_hit(f->k),
	   f->info->min_ct_pid_max > 10 ? PIDSIM_LIMIT_MIN_CT_PID_MAX :
	   shared ? PIDSIM_LIMIT_SHARED_RANGE : PIDSIM_LIMIT_NONE);
	if (f->info->max_level >= 2)
		NO_CHANGE(f, -EAGAIN,
			  pidsim_fork(f->k, c, PIDSIM_CLONE_NEWPID, &child));
	if (n == 0)
		return;
	/* The first child's number is free again once it is reaped; a
	 * shared range gives its internal pid back, c's view moves on. */
	EQ(pidsim_ps(f->k, c, pids, 2), n + 1);
	kill_reap(f, c, pids[1]);
	spawn(f, c, shared ? 9 : 2);
}

/* A container's numbers do not depend on how many pids the host handed out. */
static void test_alloc_container_independent_of_host(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, t1, t2, t3;

	fork_range(f, f->host, 2, 6);
	c = spawn_ct(f, f->host, 7);
	t1 = spawn(f, c, 2);
	t2 = spawn(f, c, 3);
	/* vpid's host sees internal pids: 8 and 9 went to c's tasks. */
	spawn(f, f->host, has(f, PIDSIM_D_SHARED_RANGE) ? 10 : 8);
	t3 = spawn(f, c, 4);
	ASSERT_VIEW(f, c, {c, 1}, {t1, 2}, {t2, 3}, {t3, 4});
}

/* One shared range: host tasks can leave a container no pid. */
static void test_alloc_shared_range_host_starves_container(void **state)
{
	struct fx *f = *state;
	pidsim_tid c, child;

	need_pid_max(f, 10);
	c = spawn_ct(f, f->host, 2);
	watch(f, c);
	fill(f, f->host);
	if (has(f, PIDSIM_D_SHARED_RANGE)) {
		NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, c, 0, &child));
		EQ(pidsim_limit_hit(f->k), f->info->min_ct_pid_max > 10 ?
		   PIDSIM_LIMIT_MIN_CT_PID_MAX : PIDSIM_LIMIT_SHARED_RANGE);
	} else {
		spawn(f, c, 2);
	}
}

static const struct CMUnitTest tests[] = {
	T(test_alloc_host_cyclic),
	T(test_alloc_container_cyclic),
	T(test_alloc_wraps_to_1_below_reserved),
	T(test_alloc_wraps_to_reserved_pids),
	T(test_alloc_host_full_eagain),
	T(test_alloc_pid_max_2_holds_init_only),
	T(test_alloc_container_full_eagain),
	T(test_alloc_container_independent_of_host),
	T(test_alloc_shared_range_host_starves_container),
};

const struct contract_group contract_alloc = { tests, ARRAY_SIZE(tests) };
