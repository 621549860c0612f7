/*
 * visibility.c - contract rule 4: a task sees its own container's tasks
 * plus the init of each direct child container; nothing else crosses a
 * container boundary by plain number.  The host's view is where designs
 * differ, as their flags say.
 */
#include "contract.h"

/* A container sees its own tasks plus the init of each direct child container. */
static void test_visibility_container_view(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid h = PIDSIM_NO_TASK;

	build_topo(f, &t);
	EQ(pidsim_getppid(f->k, t.t2), 1);
	if (!t.d) {
		ASSERT_VIEW(f, t.t1, {t.c, 1}, {t.t1, 2}, {t.t2, 3});
		return;
	}
	if (has(f, PIDSIM_D_HIERARCHICAL))
		ASSERT_VIEW(f, t.t1, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4},
			    {t.u, 5});
	else
		ASSERT_VIEW(f, t.t1, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4});
	ASSERT_VIEW(f, t.d, {t.d, 1}, {t.u, 2});
	ASSERT_VIEW(f, t.u, {t.d, 1}, {t.u, 2});
	EQ(pidsim_find(f->k, t.t1, pid_in(f, t.t1, t.d, 4), &h), 0);
	assert_same_task(f, t.c, h, t.d);
	EQ(pidsim_getppid(f->k, t.u), 1);
}

/* Across a boundary only a child container's init is visible (and, if
 * hierarchical, every descendant). */
static void test_visibility_pid_of_across_boundary(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid a;

	build_topo(f, &t);
	a = spawn(f, f->host, 0);
	EQ(pidsim_pid_of(f->k, t.c, f->host), 0);
	EQ(pidsim_pid_of(f->k, t.t1, f->host), 0);
	EQ(pidsim_pid_of(f->k, t.t1, a), 0);
	if (!t.d)
		return;
	if (has(f, PIDSIM_D_HIERARCHICAL))
		pid_in(f, t.t1, t.u, 5);
	else
		EQ(pidsim_pid_of(f->k, t.t1, t.u), 0);
	EQ(pidsim_pid_of(f->k, t.u, t.t1), 0);   /* parent container task */
	EQ(pidsim_pid_of(f->k, t.d, t.c), 0);    /* parent container init */
	EQ(pidsim_pid_of(f->k, t.u, f->host), 0);
}

/* getppid of a container's init is 0: its parent is outside its view. */
static void test_visibility_container_init_getppid_zero(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);

	EQ(pidsim_getppid(f->k, c), 0);
	EQ(pidsim_getppid(f->k, t), 1);
	if (f->info->max_level >= 2)
		EQ(pidsim_getppid(f->k, spawn_ct(f, t, 3)), 0);
}

/* Numbers not visible in a container: -ESRCH for kill/find/setown, -ECHILD for wait. */
static void test_visibility_invisible_number_refused(void **state)
{
	struct fx *f = *state;
	struct topo t;
	pidsim_tid h, a = PIDSIM_NO_TASK;
	int st, pa;

	build_topo(f, &t);
	for (int i = 0; i < 8; i++)
		a = spawn(f, f->host, 0);
	pa = pid_in(f, f->host, a, 0);     /* a host number C does not hold */
	watch(f, t.c);
	watch(f, a);
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t.t1, pa, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_find(f->k, t.t1, pa, &h));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, t.t1, pa));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, t.c, pa, &st));
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t.c, 99999, 0));
	if (!t.d)
		return;
	watch(f, t.d);
	/* t2 is 3 in C; D holds no 3 */
	NO_CHANGE(f, -ESRCH, pidsim_kill(f->k, t.u, 3, SIGKILL));
	NO_CHANGE(f, -ESRCH, pidsim_find(f->k, t.u, 3, &h));
	NO_CHANGE(f, -ESRCH, pidsim_setown(f->k, t.u, 3));
}

/* Sibling containers number independently and cannot reach each other. */
static void test_visibility_sibling_containers_isolated(void **state)
{
	struct fx *f = *state;
	pidsim_tid c1 = spawn_ct(f, f->host, 2);
	pidsim_tid c2 = spawn_ct(f, f->host, 3);
	pidsim_tid t = spawn(f, c1, 2);
	pidsim_tid u = spawn(f, c2, 2);
	pidsim_tid h = PIDSIM_NO_TASK;
	int pt = pid_in(f, c1, t, 2);

	ASSERT_VIEW(f, c1, {c1, 1}, {t, 2});
	ASSERT_VIEW(f, c2, {c2, 1}, {u, 2});
	EQ(pidsim_pid_of(f->k, c1, u), 0);
	EQ(pidsim_pid_of(f->k, c1, c2), 0);
	EQ(pidsim_find(f->k, c1, pt, &h), 0);
	assert_same_task(f, c1, h, t);
	kill_reap(f, c1, pt);
	EQ(pidsim_task_state(f->k, u), PIDSIM_RUNNING);
}

/* The host's view by design: every task (vpid), or host tasks and glue (pidspace). */
static void test_visibility_host_view_by_design(void **state)
{
	struct fx *f = *state;
	int sees = has(f, PIDSIM_D_HOST_SEES_ALL);
	struct topo t;
	pidsim_tid a, h;

	build_topo(f, &t);
	a = spawn(f, f->host, !sees ? 3 : t.d ? 7 : 5);
	if (!sees) {
		ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2}, {a, 3});
		EQ(pidsim_pid_of(f->k, f->host, t.t1), 0);
		EQ(pidsim_pid_of(f->k, f->host, t.t2), 0);
		if (t.d) {
			EQ(pidsim_pid_of(f->k, f->host, t.d), 0);
			EQ(pidsim_pid_of(f->k, f->host, t.u), 0);
		}
		return;
	}
	if (t.d)
		ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2}, {t.t1, 3},
			    {t.t2, 4}, {t.d, 5}, {t.u, 6}, {a, 7});
	else
		ASSERT_VIEW(f, f->host, {f->host, 1}, {t.c, 2}, {t.t1, 3},
			    {t.t2, 4}, {a, 5});
	EQ(pidsim_find(f->k, f->host, pid_in(f, f->host, t.t2, 4), &h), 0);
	assert_same_task(f, t.c, h, t.t2);
}

static const struct CMUnitTest tests[] = {
	T(test_visibility_container_view),
	T(test_visibility_pid_of_across_boundary),
	T(test_visibility_container_init_getppid_zero),
	T(test_visibility_invisible_number_refused),
	T(test_visibility_sibling_containers_isolated),
	T(test_visibility_host_view_by_design),
};

const struct contract_group contract_visibility = { tests, ARRAY_SIZE(tests) };
