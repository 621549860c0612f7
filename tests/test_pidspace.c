/* test_pidspace.c - what is particular to PID spaces
 * (lib/pidspace_model.c): no conversions, one probe per lookup, a range per
 * container, a flat hierarchy, owners kept as weak references. */
#include <errno.h>

#include "fixture.h"
#include "pidsim.h"

/* A workload in and out of containers makes no conversion, and a lookup
 * from a container is one probe of its table. */
static void test_pidspace_no_conversions(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidspace", 0);
	pidsim_tid host = pidsim_host_init(k), init, c;
	struct pidsim_stats s;
	int st;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	pidsim_fork(k, init, 0, &c);
	pidsim_getpid(k, c);
	pidsim_getppid(k, c);
	pidsim_exit(k, c, 1);
	pidsim_wait(k, init, -1, &st);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 0);

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_kill(k, init, 1, 0), 0);
	assert_int_equal(pidsim_getpid(k, init), 1);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.lookups, 1);
	assert_int_equal(s.probes, 1);
}

/* Nor do the calls of groups and sessions: a group's number is the
 * leader's own in the container's space, a kill(-pgid) one lookup. */
static void test_pidspace_group_calls_no_conversions(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidspace", 0);
	pidsim_tid host = pidsim_host_init(k), init, a, b;
	struct pidsim_stats s;
	int an, bn;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	an = pidsim_fork(k, init, 0, &a);
	assert_int_equal(pidsim_setsid(k, a), an);
	bn = pidsim_fork(k, a, 0, &b);
	for (int i = 0; i < 8; i++)
		pidsim_fork(k, a, 0, NULL);
	pidsim_stats_reset(k);
	assert_int_equal(pidsim_setpgid(k, a, bn, 0), 0);
	assert_int_equal(pidsim_setpgid(k, a, bn, an), 0);
	assert_int_equal(pidsim_getpgid(k, b, 0), an);
	assert_int_equal(pidsim_getsid(k, a, bn), an);
	assert_int_equal(pidsim_kill(k, b, -an, 0), 0);
	assert_int_equal(pidsim_kill(k, b, 0, 0), 0);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 0);
	assert_int_equal(s.lookups, 1 + 2 + 1 + 1);
	assert_int_equal(s.probes, s.lookups);
}

/* The host sees its own tasks and each child container's init by its
 * glue pid, and nothing deeper (the flat hierarchy). */
static void test_pidspace_host_sees_glue_only(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidspace", 0);
	pidsim_tid host = pidsim_host_init(k), init, c, inner;
	int pids[8], n;

	assert_int_equal(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init), 2);
	pidsim_fork(k, init, 0, &c);
	pidsim_fork(k, init, PIDSIM_CLONE_NEWPID, &inner);
	n = pidsim_ps(k, host, pids, 8);
	assert_int_equal(n, 2);
	assert_int_equal(pids[0], 1);
	assert_int_equal(pids[1], 2);
	assert_int_equal(pidsim_pid_of(k, host, c), 0);
	assert_int_equal(pidsim_pid_of(k, host, inner), 0);
	assert_int_equal(pidsim_pid_of(k, init, inner), 3);
}

/* Each container has its own range: a full host does not stop a
 * container from forking. */
static void test_pidspace_range_per_container(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidspace", 10);
	pidsim_tid host = pidsim_host_init(k), init, t;

	assert_false(pidsim_kernel_design(k)->flags & PIDSIM_D_SHARED_RANGE);
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	while (pidsim_fork(k, host, 0, &t) > 0)
		;
	assert_int_equal(pidsim_fork(k, host, 0, &t), -EAGAIN);
	assert_int_equal(pidsim_fork(k, init, 0, &t), 2);
}

/* F_SETOWN keeps a weak reference: after the owner is reaped and its
 * number reused, notify reaches nobody. */
static void test_pidspace_owner_is_a_reference(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidspace", 4);
	pidsim_tid host = pidsim_host_init(k), a, b, c, to = 1;
	int obj, st;

	pidsim_fork(k, host, 0, &a);
	pidsim_fork(k, host, 0, &b);
	obj = pidsim_setown(k, host, 2);
	pidsim_exit(k, a, 0);
	pidsim_wait(k, host, 2, &st);
	assert_int_equal(pidsim_fork(k, host, 0, &c), 2);
	assert_int_equal(pidsim_notify(k, obj, 0, &to), -ESRCH);
	assert_true(to == PIDSIM_NO_TASK);
	(void)b;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pidspace_no_conversions, kernel_teardown),
		cmocka_unit_test_teardown(test_pidspace_group_calls_no_conversions,
					  kernel_teardown),
		cmocka_unit_test_teardown(test_pidspace_host_sees_glue_only, kernel_teardown),
		cmocka_unit_test_teardown(test_pidspace_range_per_container, kernel_teardown),
		cmocka_unit_test_teardown(test_pidspace_owner_is_a_reference, kernel_teardown),
	};

	return cmocka_run_group_tests_name("pidspace", tests, NULL, NULL);
}
