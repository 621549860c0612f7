/* test_vpid.c - what is particular to PID virtualization (lib/vpid_model.c):
 * the internal pid space the host sees, the counted conversions, the one
 * range shared by all containers, owners kept as internal numbers. */
#include <errno.h>

#include "vpid.h"
#include "white.h"

/* The host sees a container's tasks by their internal pids, which are
 * what the container's vpids convert to. */
static void test_vpid_host_sees_internal_pids(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid", 0);
	pidsim_tid host = pidsim_host_init(k), init, c, found;
	int glue = pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	int c_vpid = pidsim_fork(k, init, 0, &c);
	struct ps_container *ct = task_of(k, init)->ct;
	ps_ipid c_pid = ps_vpid_to_pid(k, ct, (ps_vpid){ c_vpid });

	assert_int_equal(glue, 2);
	assert_int_equal(c_vpid, 2);
	assert_int_equal(c_pid.nr, 3);
	assert_int_equal(pidsim_find(k, host, c_pid.nr, &found), 0);
	assert_true(found == c);
	assert_int_equal(pidsim_pid_of(k, host, c), 3);
	assert_int_equal(ps_vpid_to_pid(k, ct, (ps_vpid){ 1 }).nr, glue);
	assert_int_equal(ps_pid_to_vpid(k, ct, c_pid).nr, 2);
	/* Host init is not in the container's map. */
	assert_int_equal(ps_pid_to_vpid(k, ct, (ps_ipid){ 1 }).nr, 0);
	assert_int_equal(ps_vpid_to_pid(k, ct, (ps_vpid){ 99 }).nr, 0);
}

/* Every crossing in a container pays a conversion; the host pays none. */
static void test_vpid_conversions_counted(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid", 0);
	pidsim_tid host = pidsim_host_init(k), init, c;
	struct pidsim_stats s;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	pidsim_fork(k, init, 0, &c);
	pidsim_stats_reset(k);
	pidsim_getpid(k, host);
	pidsim_kill(k, host, 1, 0);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 0);
	assert_int_equal(s.probes, 1);	/* the global table */

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_getpid(k, c), 2);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 1);	/* pid -> vpid */
	assert_int_equal(s.probes, 1);

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_kill(k, c, 1, 0), 0);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.lookups, 1);
	assert_int_equal(s.conversions, 1);	/* vpid -> pid */
	assert_int_equal(s.probes, 2);	/* the map, then the global table */
}

/* The calls of groups and sessions (issue 14) pay as every crossing does:
 * a number in is converted once (comb_vpid_to_pid(), negative or not),
 * a number out once (pid_type_to_vpid()), and a kill(-pgid) pays its one
 * conversion whatever the group's size; the host and kill(0) pay none. */
static void test_vpid_group_conversions_counted(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid", 0);
	pidsim_tid host = pidsim_host_init(k), init, a, b;
	struct pidsim_stats s;
	int an, bn, host_a;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	an = pidsim_fork(k, init, 0, &a);
	assert_int_equal(pidsim_setpgid(k, a, 0, 0), 0);
	bn = pidsim_fork(k, a, 0, &b);
	for (int i = 0; i < 8; i++)
		pidsim_fork(k, a, 0, NULL);
	host_a = pidsim_pid_of(k, host, a);

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_getpgid(k, b, 0), an);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 1);	/* the group's pid -> vpid */

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_getsid(k, a, bn), 0);	/* outside: none */
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 2);	/* vpid -> pid, pid -> vpid */

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_setpgid(k, a, bn, 0), 0);
	assert_int_equal(pidsim_setpgid(k, a, bn, an), 0);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 1 + 2);	/* pid; pid and pgid */

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_kill(k, b, -an, 0), 0);	/* ten members */
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 1);

	pidsim_stats_reset(k);
	assert_int_equal(pidsim_kill(k, b, 0, 0), 0);
	assert_int_equal(pidsim_getpgid(k, host, host_a), host_a);
	assert_int_equal(pidsim_kill(k, host, -host_a, 0), 0);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.conversions, 0);
}

/* All containers draw internal pids from one range: when the host has
 * used it up, a container with free vpids still cannot fork. */
static void test_vpid_shared_range(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid", 10);
	pidsim_tid host = pidsim_host_init(k), init, t;
	struct snap before;

	assert_true(pidsim_kernel_design(k)->flags & PIDSIM_D_SHARED_RANGE);
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	while (pidsim_fork(k, host, 0, &t) > 0)
		;
	snapshot_views(k, (const pidsim_tid[]){ host, init }, 2, &before);
	assert_int_equal(before.census.tasks, 9);
	assert_int_equal(pidsim_fork(k, init, 0, &t), -EAGAIN);
	ASSERT_UNCHANGED(&before);
}

/* A nested container's init has a glue vpid in its parent container,
 * converted like any other. */
static void test_vpid_nested_glue(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid", 0);
	pidsim_tid host = pidsim_host_init(k), a, b, x;
	struct ps_container *outer;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &a);
	assert_int_equal(pidsim_fork(k, a, PIDSIM_CLONE_NEWPID, &b), 2);
	outer = task_of(k, a)->ct;
	assert_int_equal(ps_vpid_to_pid(k, outer, (ps_vpid){ 2 }).nr,
			 pidsim_pid_of(k, host, b));
	assert_int_equal(pidsim_find(k, a, 2, &x), 0);
	assert_true(x == b);
	assert_int_equal(pidsim_getpid(k, b), 1);
}

/* F_SETOWN keeps the internal pid: after the owner is reaped and the
 * number reused, notify reaches the new task. */
static void test_vpid_owner_is_a_number(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid", 4);
	pidsim_tid host = pidsim_host_init(k), a, b, c, to;
	int obj, st;

	pidsim_fork(k, host, 0, &a);			/* 2 */
	pidsim_fork(k, host, 0, &b);			/* 3 */
	obj = pidsim_setown(k, host, 2);
	assert_true(obj >= 0);
	pidsim_exit(k, a, 0);
	assert_int_equal(pidsim_wait(k, host, 2, &st), 2);
	assert_int_equal(pidsim_fork(k, host, 0, &c), 2);	/* reused */
	assert_int_equal(pidsim_notify(k, obj, 0, &to), 0);
	assert_true(to == c);
	(void)b;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vpid_host_sees_internal_pids, kernel_teardown),
		cmocka_unit_test_teardown(test_vpid_conversions_counted, kernel_teardown),
		cmocka_unit_test_teardown(test_vpid_group_conversions_counted, kernel_teardown),
		cmocka_unit_test_teardown(test_vpid_shared_range, kernel_teardown),
		cmocka_unit_test_teardown(test_vpid_nested_glue, kernel_teardown),
		cmocka_unit_test_teardown(test_vpid_owner_is_a_number, kernel_teardown),
	};

	return cmocka_run_group_tests_name("vpid", tests, NULL, NULL);
}
