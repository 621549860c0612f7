/*
 * exit.c - contract rule 5: exit makes a zombie that keeps its number
 * until reaped, with status code & 0xff; orphans go to their container's
 * init; a container's init exiting releases its container and every
 * container below it; host init cannot exit.
 */
#include "contract.h"

/* exit makes a zombie: counted, visible and findable until its parent reaps it. */
static void test_exit_makes_zombie_until_reaped(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), h = PIDSIM_NO_TASK;

	EQ(pidsim_exit(f->k, a, 3), 0);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	assert_census(f, 2, 1, 1);
	ASSERT_PS(f, f->host, 1, 2);
	EQ(pidsim_pid_of(f->k, f->host, a), 2);
	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	EQ(pidsim_task_state(f->k, h), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, EXITED(3));
	EQ(pidsim_task_state(f->k, a), -ESRCH);
	EQ(pidsim_task_state(f->k, h), -ESRCH);
	assert_census(f, 1, 0, 1);
	ASSERT_PS(f, f->host, 1);
}

/* A zombie keeps its number: it is not handed out again until reaped. */
static void test_exit_zombie_keeps_its_number(void **state)
{
	struct fx *f = *state;
	pidsim_tid a;

	need_pid_max(f, 4);
	a = spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	EQ(pidsim_exit(f->k, a, 0), 0);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, f->host, 0, NULL));
	reap(f, f->host, 2, EXITED(0));
	spawn(f, f->host, 2);
}

/* The exit status keeps the low 8 bits of the code, as Linux's does. */
static void test_exit_status_low_8_bits(void **state)
{
	struct fx *f = *state;
	const int codes[] = {0, 1, 42, 255, 256, 300, -1, INT_MIN, INT_MAX};

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		pidsim_tid a = spawn(f, f->host, 0);
		int pid = pidsim_getpid(f->k, a), st = -1;

		EQ(pidsim_exit(f->k, a, codes[i]), 0);
		EQ(pidsim_wait(f->k, f->host, pid, &st), pid);
		EQ(st, EXITED(codes[i]));
		assert_true(WIFEXITED(st));
		EQ(WEXITSTATUS(st), codes[i] & 0xff);
	}
}

/* Host init cannot exit: -EPERM, and nothing changes. */
static void test_exit_host_init_eperm(void **state)
{
	struct fx *f = *state;

	spawn(f, f->host, 2);
	spawn_ct(f, f->host, 3);
	NO_CHANGE(f, -EPERM, pidsim_exit(f->k, f->host, 0));
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);
}

/* A zombie or reaped task cannot exit again: -ESRCH, status kept. */
static void test_exit_twice_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	EQ(pidsim_exit(f->k, a, 1), 0);
	NO_CHANGE(f, -ESRCH, pidsim_exit(f->k, a, 2));
	reap(f, f->host, 2, EXITED(1));
	NO_CHANGE(f, -ESRCH, pidsim_exit(f->k, a, 3));
}

/* A host orphan is reparented to host init, which reaps it. */
static void test_exit_reparents_orphans_to_host_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);
	pidsim_tid c = spawn(f, b, 4);
	int st;

	EQ(pidsim_exit(f->k, b, 0), 0);
	EQ(pidsim_getppid(f->k, c), 1);
	reap(f, a, 3, EXITED(0));
	EQ(pidsim_wait(f->k, a, 4, &st), -ECHILD);
	EQ(pidsim_exit(f->k, c, 5), 0);
	reap_as(f, f->host, -1, 4, EXITED(5));
	EQ(pidsim_wait(f->k, f->host, -1, &st), 0);   /* a still runs */
}

/* A container orphan is reparented to the container's init: getppid 1, reaped by it. */
static void test_exit_reparents_orphans_to_container_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid u = spawn(f, t, 3);
	int pt = pid_in(f, c, t, 2), pu = pid_in(f, c, u, 3), st;

	EQ(pidsim_exit(f->k, t, 0), 0);
	EQ(pidsim_getppid(f->k, u), 1);
	EQ(pidsim_exit(f->k, u, 4), 0);
	reap_as(f, c, -1, pt, EXITED(0));  /* t: c's child first */
	reap_as(f, c, -1, pu, EXITED(4));  /* u: adopted later */
	EQ(pidsim_wait(f->k, c, -1, &st), -ECHILD);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 0);   /* host init got nothing */
}

/* Zombie children of an exiting task are reparented and reaped by the adopter. */
static void test_exit_reparents_zombie_children(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);

	EQ(pidsim_exit(f->k, b, 6), 0);
	EQ(pidsim_exit(f->k, a, 0), 0);
	assert_census(f, 3, 2, 1);
	reap(f, f->host, 3, EXITED(6));
	reap(f, f->host, 2, EXITED(0));
	assert_census(f, 1, 0, 1);
}

/* A container init's exit releases every other task of its container at once. */
static void test_exit_container_init_releases_its_tasks(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t1 = spawn(f, c, 2);
	pidsim_tid t2 = spawn(f, t1, 3);
	pidsim_tid z = spawn(f, t1, 4);
	pidsim_tid a = spawn(f, f->host, 0);

	EQ(pidsim_exit(f->k, z, 0), 0);    /* a zombie nobody reaped */
	assert_census(f, 6, 1, 2);
	EQ(pidsim_exit(f->k, c, 7), 0);
	EQ(pidsim_task_state(f->k, c), PIDSIM_ZOMBIE);
	EQ(pidsim_task_state(f->k, t1), -ESRCH);
	EQ(pidsim_task_state(f->k, t2), -ESRCH);
	EQ(pidsim_task_state(f->k, z), -ESRCH);
	EQ(pidsim_task_state(f->k, a), PIDSIM_RUNNING);
	assert_census(f, 3, 1, 2);
	EQ(ps_count(f, f->host), 3);
	reap(f, f->host, pid_in(f, f->host, c, 2), EXITED(7));
}

/* A container init's exit also releases every descendant container. */
static void test_exit_container_init_releases_nested(void **state)
{
	struct fx *f = *state;
	struct topo t;

	build_nested_topo(f, &t);
	assert_census(f, 6, 0, 3);
	EQ(pidsim_exit(f->k, t.c, 1), 0);
	EQ(pidsim_task_state(f->k, t.d), -ESRCH);
	EQ(pidsim_task_state(f->k, t.u), -ESRCH);
	EQ(pidsim_task_state(f->k, t.t1), -ESRCH);
	assert_census(f, 2, 1, 2);
	ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2});
}

/* The container is gone once its exited init is reaped; its handle is stale. */
static void test_exit_container_gone_once_init_reaped(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid ct = container_of(f, c), h;
	int pids[4];

	spawn(f, c, 2);
	EQ(pidsim_exit(f->k, c, 7), 0);
	assert_census(f, 2, 1, 2);
	reap(f, f->host, pid_in(f, f->host, c, 2), EXITED(7));
	assert_census(f, 1, 0, 1);
	EQ(pidsim_task_state(f->k, c), -ESRCH);
	NO_CHANGE(f, -ESRCH, pidsim_ps_in(f->k, f->host, ct, pids, 4));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, f->host, ct, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, f->host, ct, 1, SIGKILL));
	spawn(f, f->host, has(f, PIDSIM_D_SHARED_RANGE) ? 4 : 3);
}

static const struct CMUnitTest tests[] = {
	T(test_exit_makes_zombie_until_reaped),
	T(test_exit_zombie_keeps_its_number),
	T(test_exit_status_low_8_bits),
	T(test_exit_host_init_eperm),
	T(test_exit_twice_esrch),
	T(test_exit_reparents_orphans_to_host_init),
	T(test_exit_reparents_orphans_to_container_init),
	T(test_exit_reparents_zombie_children),
	T(test_exit_container_init_releases_its_tasks),
	T(test_exit_container_init_releases_nested),
	T(test_exit_container_gone_once_init_reaped),
};

const struct contract_group contract_exit = { tests, ARRAY_SIZE(tests) };
