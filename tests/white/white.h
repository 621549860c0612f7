/*
 * white.h - what the white-box suites (tests/white/) share besides
 * fixture.h: the model's objects behind the public handles.
 */
#ifndef PIDSIM_TEST_WHITE_H
#define PIDSIM_TEST_WHITE_H

#include "fixture.h"
#include "internal.h"

/* The task handle t names, by the library's own lookup; it must exist. */
static inline struct ps_task *task_of(pidsim_kernel *k, pidsim_tid t)
{
	struct ps_task *p = ps_task_resolve(k, t);

	assert_non_null(p);
	return p;
}

#endif /* PIDSIM_TEST_WHITE_H */
