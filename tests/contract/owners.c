/*
 * owners.c - contract rule 9: stored owners (F_SETOWN) signalled later
 * from kernel context.  Each design stores what it naturally would, and
 * after the owner is reaped and its number reused a number reaches the
 * new holder, a weak reference nobody.
 */
#include "contract.h"

/* setown records the owner; notify from kernel context reaches it, sig 0 only probes. */
static void test_owner_notify_reaches_owner(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), to = PIDSIM_NO_TASK;
	int obj = pidsim_setown(f->k, f->host, 2);
	int obj2 = pidsim_setown(f->k, f->host, 1);

	assert_true(obj >= 0);
	assert_true(obj2 >= 0);
	assert_true(obj2 != obj);
	watch(f, a);
	NO_CHANGE(f, 0, pidsim_notify(f->k, obj, 0, &to));
	assert_same_task(f, f->host, to, a);
	NO_CHANGE(f, 0, pidsim_notify(f->k, obj, SIGCHLD, &to));
	EQ(pidsim_notify(f->k, obj, SIGTERM, &to), 0);
	assert_same_task(f, f->host, to, a);
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, KILLED(SIGTERM));
}

/* setown inside a container reads pid in the container's view. */
static void test_owner_setown_inside_container(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2), to = PIDSIM_NO_TASK;
	int pt = pid_in(f, c, t, 2);
	int obj = pidsim_setown(f->k, c, pt);
	int obj_init = pidsim_setown(f->k, t, 1);

	assert_true(obj >= 0);
	assert_true(obj_init >= 0);
	EQ(pidsim_notify(f->k, obj, 0, &to), 0);
	assert_same_task(f, c, to, t);
	EQ(pidsim_notify(f->k, obj_init, 0, &to), 0);
	assert_same_task(f, c, to, c);
	EQ(pidsim_notify(f->k, obj, SIGKILL, &to), 0);
	reap(f, c, pt, KILLED(SIGKILL));
}

/* setown of a pid cur cannot see is -ESRCH; pid <= 0 is -EINVAL. */
static void test_owner_setown_errors(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);

	watch(f, c);
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, f->host, 50));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, f->host, INT_MAX));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, t, 5));
	NO_CHANGE(f, -EINVAL, pidsim_setown(f->k, f->host, 0));
	NO_CHANGE(f, -EINVAL, pidsim_setown(f->k, f->host, -1));
	NO_CHANGE(f, -EINVAL, pidsim_setown(f->k, t, INT_MIN));
}

/* notify of an unknown object is -EBADF; a bad signal is -EINVAL. */
static void test_owner_notify_errors(void **state)
{
	struct fx *f = *state;
	const int bad[] = {-1, 65, 19, 20, 21, 22, INT_MIN};
	pidsim_tid a = spawn(f, f->host, 2), to;
	int obj = pidsim_setown(f->k, f->host, 2);

	assert_true(obj >= 0);
	watch(f, a);
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, obj + 1000, 0, &to));
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, -1, 0, &to));
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, INT_MAX, SIGKILL, &to));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		NO_CHANGE(f, -EINVAL, pidsim_notify(f->k, obj, bad[i], &to));
}

/* Owner reaped and its number still free: notify is -ESRCH in every design. */
static void test_owner_notify_after_reap_esrch(void **state)
{
	struct fx *f = *state;
	pidsim_tid to;
	int obj;

	spawn(f, f->host, 2);
	obj = pidsim_setown(f->k, f->host, 2);
	assert_true(obj >= 0);
	kill_reap(f, f->host, 2);
	to = (pidsim_tid)77;
	NO_CHANGE(f, -ESRCH, pidsim_notify(f->k, obj, 0, &to));
	EQ(to, PIDSIM_NO_TASK);
	NO_CHANGE(f, -ESRCH, pidsim_notify(f->k, obj, SIGKILL, &to));
}

/* A zombie owner still resolves: notify reaches it and changes nothing. */
static void test_owner_notify_zombie_owner(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2), to = PIDSIM_NO_TASK;
	int obj = pidsim_setown(f->k, f->host, 2);

	assert_true(obj >= 0);
	EQ(pidsim_exit(f->k, a, 3), 0);
	NO_CHANGE(f, 0, pidsim_notify(f->k, obj, SIGKILL, &to));
	EQ(pidsim_pid_of(f->k, f->host, to), 2);
	reap(f, f->host, 2, EXITED(3));
}

/* The highest pid cur sees. */
static int highest_pid(struct fx *f, pidsim_tid cur)
{
	size_t cap = (size_t)pidsim_kernel_pid_max(f->k);
	int *pids = test_malloc(cap * sizeof *pids);
	int n = pidsim_ps(f->k, cur, pids, cap), top;

	assert_true(n > 0 && (size_t)n <= cap);
	top = pids[n - 1];
	test_free(pids);
	return top;
}

/*
 * Every range parent's children draw from is full but for one number (the
 * highest, so that rule 3's wrap reaches it), the owner takes it, is reaped,
 * and the one task forked next takes it again.  A design storing numbers
 * signals that task; one storing a weak reference reaches nobody.
 */
static void assert_owner_reuse(struct fx *f, pidsim_tid parent)
{
	int by_number = has(f, PIDSIM_D_OWNER_BY_NUMBER);
	pidsim_tid owner, n, to = PIDSIM_NO_TASK;
	int po, obj;

	fill(f, parent);
	kill_reap(f, parent, highest_pid(f, parent));
	owner = spawn(f, parent, 0);
	po = pid_in(f, parent, owner, 0);
	obj = pidsim_setown(f->k, parent, po);
	assert_true(obj >= 0);
	kill_reap(f, parent, po);
	n = spawn(f, parent, 0);
	watch(f, n);
	NO_CHANGE(f, by_number ? 0 : -ESRCH, pidsim_notify(f->k, obj, 0, &to));
	if (by_number)
		assert_same_task(f, parent, to, n);
	else
		EQ(to, PIDSIM_NO_TASK);
	EQ(pidsim_notify(f->k, obj, SIGKILL, &to), by_number ? 0 : -ESRCH);
	EQ(pidsim_task_state(f->k, n),
	   by_number ? PIDSIM_ZOMBIE : PIDSIM_RUNNING);
}

/* pid_max for the reuse tests: quick to fill, yet leaving every design
 * room for container tasks (vpid-openvz keeps them below pid_max - 1024). */
#define REUSE_PID_MAX 2048

/* Host owner reaped, number reused: vpid signals the new task, pidspace nobody. */
static void test_owner_reuse_in_host_by_design(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, REUSE_PID_MAX);
	assert_owner_reuse(f, f->host);
}

/* Container owner reaped, number reused: vpid reaches the reuser, pidspace nobody. */
static void test_owner_reuse_in_container_by_design(void **state)
{
	struct fx *f = *state;

	need_pid_max(f, REUSE_PID_MAX);
	assert_owner_reuse(f, spawn_ct(f, f->host, 2));
}

/* owner_close forgets the object: notify and a second close are -EBADF. */
static void test_owner_close_forgets_object(void **state)
{
	struct fx *f = *state;
	pidsim_tid to;
	int obj;

	spawn(f, f->host, 2);
	obj = pidsim_setown(f->k, f->host, 2);
	assert_true(obj >= 0);
	EQ(pidsim_owner_close(f->k, obj), 0);
	NO_CHANGE(f, -EBADF, pidsim_notify(f->k, obj, 0, &to));
	NO_CHANGE(f, -EBADF, pidsim_owner_close(f->k, obj));
	NO_CHANGE(f, -EBADF, pidsim_owner_close(f->k, -1));
	NO_CHANGE(f, -EBADF, pidsim_owner_close(f->k, INT_MAX));
}

static const struct CMUnitTest tests[] = {
	T(test_owner_notify_reaches_owner),
	T(test_owner_setown_inside_container),
	T(test_owner_setown_errors),
	T(test_owner_notify_errors),
	T(test_owner_notify_after_reap_esrch),
	T(test_owner_notify_zombie_owner),
	T(test_owner_reuse_in_host_by_design),
	T(test_owner_reuse_in_container_by_design),
	T(test_owner_close_forgets_object),
};

const struct contract_group contract_owners = { tests, ARRAY_SIZE(tests) };
