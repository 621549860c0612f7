/*
 * errors.c - contract rule 10: a caller that is a zombie, reaped, or never
 * was fails every call with -ESRCH and changes nothing; errors have
 * names.
 */
#include "contract.h"

/* Every call made by cur fails with -ESRCH and changes nothing. */
static void assert_cur_refused(struct fx *f, pidsim_tid cur)
{
	pidsim_tid h, hct = container_of(f, f->host);
	int st, buf[4];

	NO_CHANGE(f, -ESRCH, pidsim_fork(f->k, cur, 0, &h));
	NO_CHANGE(f, -ESRCH, pidsim_fork(f->k, cur, PIDSIM_CLONE_NEWPID, &h));
	NO_CHANGE(f, -ESRCH, pidsim_exit(f->k, cur, 0));
	NO_CHANGE(f, -ESRCH, pidsim_wait(f->k, cur, -1, &st));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, cur, 1, 0));
	NO_CHANGE(f, -ESRCH, pidsim_getpid(f->k, cur));
	NO_CHANGE(f, -ESRCH, pidsim_getppid(f->k, cur));
	NO_CHANGE(f, -ESRCH, pidsim_ps(f->k, cur, buf, 4));
	NO_CHANGE(f, -ESRCH, pidsim_find(f->k, cur, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_pid_of(f->k, cur, f->host));
	NO_CHANGE(f, -ESRCH, pidsim_find_in(f->k, cur, hct, 1, &h));
	NO_CHANGE(f, -ESRCH, pidsim_kill_in(f->k, cur, hct, 1, 0));
	NO_CHANGE(f, -ESRCH, pidsim_ps_in(f->k, cur, hct, buf, 4));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, cur, 1));
}

/* t names no task: state, container and level queries are -ESRCH. */
static void assert_no_such_task(struct fx *f, pidsim_tid t)
{
	pidsim_tid ct;

	EQ(pidsim_task_state(f->k, t), -ESRCH);
	EQ(pidsim_container_of(f->k, t, &ct), -ESRCH);
	EQ(pidsim_level_of(f->k, t), -ESRCH);
	EQ(pidsim_pid_of(f->k, f->host, t), -ESRCH);
}

/* A zombie makes no system calls: -ESRCH for each, nothing changes. */
static void test_cur_zombie_refused(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);

	spawn(f, a, 3);
	EQ(pidsim_exit(f->k, a, 5), 0);
	assert_cur_refused(f, a);
	reap(f, f->host, 2, EXITED(5));
}

/* A reaped handle, one released with its container included, is -ESRCH everywhere. */
static void test_cur_reaped_refused(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid c = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c, 2);

	kill_reap(f, f->host, 2);
	assert_cur_refused(f, a);
	assert_no_such_task(f, a);
	kill_reap(f, f->host, pid_in(f, f->host, c, 3));
	assert_cur_refused(f, t);
	assert_no_such_task(f, t);
	assert_cur_refused(f, c);
	assert_no_such_task(f, c);
}

/* PIDSIM_NO_TASK and handles never issued are -ESRCH, never a crash. */
static void test_cur_no_task_refused(void **state)
{
	struct fx *f = *state;
	const pidsim_tid bogus[] = {PIDSIM_NO_TASK, (pidsim_tid)0xdeadbeefcafef00dULL,
				    UINT64_MAX, f->host + 100000};

	spawn(f, f->host, 2);
	for (size_t i = 0; i < ARRAY_SIZE(bogus); i++) {
		assert_cur_refused(f, bogus[i]);
		assert_no_such_task(f, bogus[i]);
	}
}

/* Error names come back for negated and plain errnos, "E?" otherwise. */
static void test_errname_names_errors(void **state)
{
	(void)state;
	assert_string_equal(pidsim_errname(-ESRCH), "ESRCH");
	assert_string_equal(pidsim_errname(ESRCH), "ESRCH");
	assert_string_equal(pidsim_errname(-EAGAIN), "EAGAIN");
	assert_string_equal(pidsim_errname(-ECHILD), "ECHILD");
	assert_string_equal(pidsim_errname(-EPERM), "EPERM");
	assert_string_equal(pidsim_errname(-EINVAL), "EINVAL");
	assert_string_equal(pidsim_errname(-EBADF), "EBADF");
	assert_string_equal(pidsim_errname(-ENOENT), "ENOENT");
	assert_string_equal(pidsim_errname(-ENOSPC), "ENOSPC");
	assert_string_equal(pidsim_errname(-ENOMEM), "ENOMEM");
	assert_string_equal(pidsim_errname(-99999), "E?");
}

static const struct CMUnitTest tests[] = {
	T(test_cur_zombie_refused),
	T(test_cur_reaped_refused),
	T(test_cur_no_task_refused),
	T(test_errname_names_errors),
};

const struct contract_group contract_errors = { tests, ARRAY_SIZE(tests) };
