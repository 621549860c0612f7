/* test_vpid_ibm.c - IBM's patch's own behaviour (lib/vpid_ibm_model.c):
 * container id in the top bits, 512 ids, no nesting. */
#include <errno.h>

#include "fixture.h"
#include "pidsim.h"

/* The host sees container n's task vpid v as n << 22 | v, and the
 * container sees it as v. */
static void test_ibm_kernel_pid_is_id_and_vpid(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-ibm", 0);
	pidsim_tid host = pidsim_host_init(k), c1, c2, t, x;

	assert_int_equal(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c1), 1 << 22 | 1);
	assert_int_equal(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c2), 2 << 22 | 1);
	assert_int_equal(pidsim_fork(k, c2, 0, &t), 2);
	assert_int_equal(pidsim_pid_of(k, host, t), 2 << 22 | 2);
	assert_int_equal(pidsim_find(k, host, 2 << 22 | 2, &x), 0);
	assert_true(x == t);
	/* A container cannot name a kernel pid. */
	assert_int_equal(pidsim_find(k, c2, 2 << 22 | 2, &x), -ESRCH);
	assert_int_equal(pidsim_find(k, c1, 2, &x), -ESRCH);
}

/* 511 containers beside the host, and the 513th (host counted) is
 * -EAGAIN with nothing changed; a reaped container's id is free again. */
static void test_ibm_refuses_513th_container(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-ibm", 0);
	pidsim_tid host = pidsim_host_init(k), c, first = 0;
	struct snap before;
	int st, pid;

	assert_int_equal(pidsim_kernel_design(k)->max_containers, 511);
	for (int i = 0; i < 511; i++) {
		assert_true(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c) > 0);
		if (!first)
			first = c;
	}
	snapshot_views(k, &host, 1, &before);
	assert_int_equal(before.census.containers, 512);
	assert_int_equal(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c), -EAGAIN);
	ASSERT_UNCHANGED(&before);

	pid = pidsim_pid_of(k, host, first);
	pidsim_exit(k, first, 0);
	assert_int_equal(pidsim_wait(k, host, pid, &st), pid);
	assert_int_equal(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c), pid);
}

/* A container cannot create a container. */
static void test_ibm_no_nesting(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-ibm", 0);
	pidsim_tid host = pidsim_host_init(k), c, t;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c);
	assert_int_equal(pidsim_fork(k, c, PIDSIM_CLONE_NEWPID, &t), -EPERM);
}

/* The host's ps walks every container's range in container order. */
static void test_ibm_host_ps_in_order(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-ibm", 0);
	pidsim_tid host = pidsim_host_init(k), c1, c2, t;
	int pids[8];

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c1);
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c2);
	pidsim_fork(k, c1, 0, &t);
	pidsim_fork(k, host, 0, &t);
	assert_int_equal(pidsim_ps(k, host, pids, 8), 5);
	assert_int_equal(pids[0], 1);
	assert_int_equal(pids[1], 2);	/* the host's own range */
	assert_int_equal(pids[2], 1 << 22 | 1);
	assert_int_equal(pids[3], 1 << 22 | 2);
	assert_int_equal(pids[4], 2 << 22 | 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ibm_kernel_pid_is_id_and_vpid, kernel_teardown),
		cmocka_unit_test_teardown(test_ibm_refuses_513th_container, kernel_teardown),
		cmocka_unit_test_teardown(test_ibm_no_nesting, kernel_teardown),
		cmocka_unit_test_teardown(test_ibm_host_ps_in_order, kernel_teardown),
	};

	return cmocka_run_group_tests_name("vpid-ibm", tests, NULL, NULL);
}
