/* test_vpid_openvz.c - the OpenVZ patch's own behaviour
 * (lib/vpid_openvz_model.c): linear vpids, the skipped VPID_BIT, the
 * switch to sparse mode, no nesting. */
#include <errno.h>
#include <string.h>

#include "vpid_openvz.h"
#include "white.h"

#define VPID_BIT 1024

/* In linear mode init is vpid 1 and every other task's vpid is its
 * internal pid with bit 10 set: internal pid + 1024. */
static void test_openvz_linear_vpid_is_pid_plus_1024(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-openvz", 0);
	pidsim_tid host = pidsim_host_init(k), init, t;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	assert_int_equal(pidsim_getpid(k, init), 1);
	for (int i = 0; i < 50; i++) {
		int vpid = pidsim_fork(k, init, 0, &t);
		int pid = pidsim_pid_of(k, host, t);

		assert_int_equal(vpid, pid + VPID_BIT);
		assert_int_equal(pidsim_getpid(k, t), vpid);
		assert_false(ps_openvz_is_sparse(task_of(k, t)->ct));
	}
}

/* The internal allocator never hands out a number with bit 10 set, so
 * pid_max 4096 gives 2048 - 1 numbers, not 4095. */
static void test_openvz_bit10_never_handed_out(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-openvz", 4096);
	pidsim_tid host = pidsim_host_init(k), t;
	int n = 1, pid;

	while ((pid = pidsim_fork(k, host, 0, &t)) > 0) {
		assert_int_equal(pid & VPID_BIT, 0);
		n++;
	}
	assert_int_equal(pid, -EAGAIN);
	assert_int_equal(n, 2048 - 1);
}

/* Forcing sparse mode keeps every vpid and every result seen inside the
 * container; later forks still work, through the hash. */
static void test_openvz_sparse_switch_keeps_results(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-openvz", 0);
	pidsim_tid host = pidsim_host_init(k), init, t[6], x;
	int before[16], after[16], n, m, vpids[6], st;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	for (int i = 0; i < 6; i++)
		vpids[i] = pidsim_fork(k, i < 3 ? init : t[i - 3], 0, &t[i]);
	pidsim_exit(k, t[5], 7);			/* a zombie */
	n = pidsim_ps(k, init, before, 16);

	assert_int_equal(ps_openvz_set_sparse(k, task_of(k, init)->ct), 0);
	assert_true(ps_openvz_is_sparse(task_of(k, init)->ct));
	m = pidsim_ps(k, init, after, 16);
	assert_int_equal(m, n);
	assert_memory_equal(before, after, (size_t)n * sizeof *before);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(pidsim_find(k, init, vpids[i], &x), 0);
		assert_true(x == t[i]);
		assert_int_equal(pidsim_pid_of(k, init, t[i]), vpids[i]);
	}
	assert_int_equal(pidsim_getppid(k, t[3]), vpids[0]);
	assert_int_equal(pidsim_wait(k, t[2], -1, &st), vpids[5]);
	assert_int_equal(st, 7 << 8);
	/* A new task gets a vpid from the container's own allocator. */
	assert_int_equal(pidsim_fork(k, init, 0, &x), 2);
	assert_int_equal(pidsim_kill(k, init, 2, 0), 0);
	assert_int_equal(ps_openvz_set_sparse(k, task_of(k, init)->ct), 0);
	assert_int_equal(ps_openvz_set_sparse(k, task_of(k, host)->ct), -EINVAL);
}

/* A failed switch (out of memory) leaves the container linear and whole. */
static void test_openvz_sparse_switch_enomem(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-openvz", 0);
	pidsim_tid host = pidsim_host_init(k), init, t;
	struct snap before;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	pidsim_fork(k, init, 0, &t);
	snapshot_views(k, (const pidsim_tid[]){ host, init, t }, 3, &before);
	k->mem.fail_at = k->mem.allocs + 1;
	assert_int_equal(ps_openvz_set_sparse(k, task_of(k, init)->ct), -ENOMEM);
	ASSERT_UNCHANGED(&before);
	assert_false(ps_openvz_is_sparse(task_of(k, init)->ct));
	assert_int_equal(pidsim_getpid(k, t), pidsim_pid_of(k, host, t) + VPID_BIT);
}

/* A container cannot create a container: -EPERM, nothing changed. */
static void test_openvz_no_nesting(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-openvz", 0);
	pidsim_tid host = pidsim_host_init(k), init, t;
	struct snap before;

	assert_int_equal(pidsim_kernel_design(k)->max_level, 1);
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init);
	snapshot_views(k, (const pidsim_tid[]){ host, init }, 2, &before);
	assert_int_equal(pidsim_fork(k, init, PIDSIM_CLONE_NEWPID, &t), -EPERM);
	ASSERT_UNCHANGED(&before);
}

/* With pid_max 1025 a linear vpid could not stay below pid_max, so a
 * container holds its init alone (min_ct_pid_max, below). */
static void test_openvz_small_pid_max_container(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-openvz", 1025);
	pidsim_tid host = pidsim_host_init(k), init, t;

	assert_true(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init) > 0);
	assert_int_equal(pidsim_fork(k, init, 0, &t), -EAGAIN);
	assert_true(pidsim_fork(k, host, 0, &t) > 0);
}

/* min_ct_pid_max is exact: one below it a linear container's task cannot
 * fork even with internal pid 2 free (-EAGAIN, nothing changed); at it,
 * it can.  Host forks are not limited. */
static void test_openvz_min_ct_pid_max_matches_fork(void **state)
{
	int min = pidsim_design_find("vpid-openvz")->min_ct_pid_max;

	assert_true(min > 2);
	for (int pid_max = min - 1; pid_max <= min; pid_max++) {
		pidsim_kernel *k = boot_kernel(state, "vpid-openvz", pid_max);
		pidsim_tid host = pidsim_host_init(k), init, x, t;
		struct snap before;
		int ret;

		/* init takes internal pid 3; pid 2 is free again */
		assert_int_equal(pidsim_fork(k, host, 0, &x), 2);
		assert_true(pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &init) > 0);
		assert_int_equal(pidsim_kill(k, host, 2, 9), 0);
		assert_int_equal(pidsim_wait(k, host, 2, NULL), 2);
		snapshot_views(k, (const pidsim_tid[]){ host, init }, 2, &before);
		ret = pidsim_fork(k, init, 0, &t);
		if (pid_max < min) {
			assert_int_equal(ret, -EAGAIN);
			ASSERT_UNCHANGED(&before);
			assert_true(pidsim_fork(k, host, 0, &t) > 0);
		} else {
			assert_int_equal(ret, 2 + VPID_BIT);
		}
		kernel_teardown(state);
	}
	*state = NULL;
}

/* A number with bit 10 set that names a task of another container, or
 * the container's own init, is not visible by it. */
static void test_openvz_linear_lookup_checks_container(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "vpid-openvz", 0);
	pidsim_tid host = pidsim_host_init(k), a, b, ta, x;
	int init_pid;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &a);
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &b);
	int va = pidsim_fork(k, a, 0, &ta);

	assert_int_equal(pidsim_find(k, b, va, &x), -ESRCH);
	assert_int_equal(pidsim_kill(k, b, va, 9), -ESRCH);
	init_pid = pidsim_pid_of(k, host, a);
	assert_int_equal(pidsim_find(k, a, init_pid | VPID_BIT, &x), -ESRCH);
	assert_int_equal(pidsim_find(k, a, 5, &x), -ESRCH);	/* bit 10 clear */
	assert_int_equal(pidsim_task_state(k, ta), PIDSIM_RUNNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_openvz_linear_vpid_is_pid_plus_1024, kernel_teardown),
		cmocka_unit_test_teardown(test_openvz_bit10_never_handed_out, kernel_teardown),
		cmocka_unit_test_teardown(test_openvz_sparse_switch_keeps_results, kernel_teardown),
		cmocka_unit_test_teardown(test_openvz_sparse_switch_enomem, kernel_teardown),
		cmocka_unit_test_teardown(test_openvz_no_nesting, kernel_teardown),
		cmocka_unit_test_teardown(test_openvz_small_pid_max_container, kernel_teardown),
		cmocka_unit_test_teardown(test_openvz_min_ct_pid_max_matches_fork, kernel_teardown),
		cmocka_unit_test_teardown(test_openvz_linear_lookup_checks_container, kernel_teardown),
	};

	return cmocka_run_group_tests_name("vpid-openvz", tests, NULL, NULL);
}
