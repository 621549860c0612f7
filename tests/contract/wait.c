/*
 * wait.c - contract rule 6: wait reaps a zombie child (pid -1: the first
 * in the order the children became children) and never blocks: 0 while
 * children run, -ECHILD when there are none.
 */
#include "contract.h"

/* wait with no children at all is -ECHILD, for -1 and for any pid. */
static void test_wait_no_children_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st;

	watch(f, a);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, -1, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 1, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 2, &st));
}

/* wait returns 0 while every child it matches is still running. */
static void test_wait_running_children_returns_0(void **state)
{
	struct fx *f = *state;
	int st;

	spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	NO_CHANGE(f, 0, pidsim_wait(f->k, f->host, -1, &st));
	NO_CHANGE(f, 0, pidsim_wait(f->k, f->host, 3, &st));
}

/* wait(pid) reaps that child even when an earlier child is a zombie too. */
static void test_wait_pid_reaps_named_child(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, f->host, 3);

	EQ(pidsim_exit(f->k, a, 1), 0);
	EQ(pidsim_exit(f->k, b, 2), 0);
	reap(f, f->host, 3, EXITED(2));
	EQ(pidsim_task_state(f->k, a), PIDSIM_ZOMBIE);
	reap(f, f->host, 2, EXITED(1));
}

/* wait(pid) for a visible task that is not cur's child is -ECHILD. */
static void test_wait_not_a_child_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);
	int st;

	EQ(pidsim_exit(f->k, b, 0), 0);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, 3, &st));  /* grandchild */
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 1, &st));        /* parent */
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, a, 2, &st));        /* itself */
	reap(f, a, 3, EXITED(0));
}

/* wait(pid) for a number cur cannot see is -ECHILD, not -ESRCH. */
static void test_wait_invisible_pid_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	int st;

	EQ(pidsim_exit(f->k, t, 0), 0);
	watch(f, c);
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, 99, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, INT_MAX, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, c, 7, &st));
	reap(f, c, pid_in(f, c, t, 2), EXITED(0));
}

/* INT_MIN is -ESRCH (kernel_wait4(): "-INT_MIN is not defined"); a
 * number naming no process group matches no child, -ECHILD; wait(0)
 * reaps a child in the caller's group (pgrp.c has the rest of rule 15). */
static void test_wait_int_min_and_no_group(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st;

	EQ(pidsim_exit(f->k, a, 0), 0);
	NO_CHANGE(f, -ESRCH, pidsim_wait(f->k, f->host, INT_MIN, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, -2, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, -INT_MAX, &st));
	reap_as(f, f->host, 0, 2, EXITED(0));
}

/* wait(-1) reaps in fork order: not pid order, not exit order. */
static void test_wait_any_in_fork_order(void **state)
{
	struct fx *f = *state;
	pidsim_tid t4, t9, t3;

	need_pid_max(f, 10);
	fork_range(f, f->host, 2, 9);
	kill_reap(f, f->host, 3);
	t3 = spawn(f, f->host, 3);         /* forked last, lowest pid */
	EQ(pidsim_find(f->k, f->host, 4, &t4), 0);
	EQ(pidsim_find(f->k, f->host, 9, &t9), 0);
	EQ(pidsim_exit(f->k, t3, 3), 0);
	EQ(pidsim_exit(f->k, t9, 9), 0);
	EQ(pidsim_exit(f->k, t4, 4), 0);
	reap_as(f, f->host, -1, 4, EXITED(4));
	reap_as(f, f->host, -1, 9, EXITED(9));
	reap_as(f, f->host, -1, 3, EXITED(3));
}

/* Adopted orphans join the end of their new parent's children. */
static void test_wait_any_adopted_orphans_appended(void **state)
{
	struct fx *f = *state;
	pidsim_tid p, q, y;
	int st;

	spawn(f, f->host, 2);              /* x: runs throughout */
	p = spawn(f, f->host, 3);
	q = spawn(f, p, 4);
	y = spawn(f, f->host, 5);
	EQ(pidsim_exit(f->k, p, 0), 0);    /* q adopted after y */
	EQ(pidsim_exit(f->k, q, 1), 0);
	EQ(pidsim_exit(f->k, y, 2), 0);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 3);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 5);
	EQ(pidsim_wait(f->k, f->host, -1, &st), 4);
	EQ(st, EXITED(1));
	EQ(pidsim_wait(f->k, f->host, -1, &st), 0);
}

/* Wait statuses are Linux-encoded: exit code << 8, or the killing signal. */
static void test_wait_status_encoding(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st = -1;

	spawn(f, f->host, 3);
	EQ(pidsim_exit(f->k, a, 42), 0);
	EQ(pidsim_kill(f->k, f->host, 3, SIGTERM), 0);
	EQ(pidsim_wait(f->k, f->host, 2, &st), 2);
	EQ(st, 42 << 8);
	assert_true(WIFEXITED(st));
	EQ(WEXITSTATUS(st), 42);
	EQ(pidsim_wait(f->k, f->host, 3, &st), 3);
	EQ(st, SIGTERM);
	assert_true(WIFSIGNALED(st));
	EQ(WTERMSIG(st), SIGTERM);
}

/* Waiting for a container's init returns its glue pid in the parent's view. */
static void test_wait_container_init_by_glue_pid(void **state)
{
	struct fx *f = *state;
	pidsim_tid c;

	spawn(f, f->host, 2);
	c = spawn_ct(f, f->host, 3);
	EQ(pidsim_exit(f->k, c, 9), 0);
	reap_as(f, f->host, -1, pid_in(f, f->host, c, 3), EXITED(9));
}

/* A reaped child cannot be waited for again. */
static void test_wait_twice_echild(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	int st;

	EQ(pidsim_exit(f->k, a, 0), 0);
	reap(f, f->host, 2, EXITED(0));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, 2, &st));
	NO_CHANGE(f, -ECHILD, pidsim_wait(f->k, f->host, -1, &st));
}

static const struct CMUnitTest tests[] = {
	T(test_wait_no_children_echild),
	T(test_wait_running_children_returns_0),
	T(test_wait_pid_reaps_named_child),
	T(test_wait_not_a_child_echild),
	T(test_wait_invisible_pid_echild),
	T(test_wait_int_min_and_no_group),
	T(test_wait_any_in_fork_order),
	T(test_wait_any_adopted_orphans_appended),
	T(test_wait_status_encoding),
	T(test_wait_container_init_by_glue_pid),
	T(test_wait_twice_echild),
};

const struct contract_group contract_wait = { tests, ARRAY_SIZE(tests) };
