/*
 * weakref.c - weak task references: a handle to a reaped task stays
 * stale, whoever holds its number next.
 */
#include "contract.h"

/* A handle to a reaped task stays stale even after its number is reused. */
static void test_weakref_stale_after_number_reuse(void **state)
{
	struct fx *f = *state;
	pidsim_tid old = PIDSIM_NO_TASK, n;

	need_pid_max(f, 4);
	spawn(f, f->host, 2);
	spawn(f, f->host, 3);
	EQ(pidsim_find(f->k, f->host, 2, &old), 0);
	kill_reap(f, f->host, 2);
	n = spawn(f, f->host, 2);
	EQ(pidsim_task_state(f->k, old), -ESRCH);
	EQ(pidsim_pid_of(f->k, f->host, old), -ESRCH);
	EQ(pidsim_getpid(f->k, old), -ESRCH);
	NO_CHANGE(f, -ESRCH, pidsim_fork(f->k, old, 0, NULL));
	EQ(pidsim_task_state(f->k, n), PIDSIM_RUNNING);
}

static const struct CMUnitTest tests[] = {
	T(test_weakref_stale_after_number_reuse),
};

const struct contract_group contract_weakref = { tests, ARRAY_SIZE(tests) };
