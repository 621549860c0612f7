/*
 * check.h - rules about state, written down and checked when the code runs
 * (the kernel's WARN_ON/BUG_ON, lockdep_assert_held).  A broken rule is a
 * bug in pidsim, never a user error: it aborts with the rule's text, in
 * every build, because a model that goes on after breaking its own rules
 * measures nothing.  The checks are O(1) and off the measured loops' cost.
 */
#ifndef PS_CHECK_H
#define PS_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define PS_BUG_ON(cond)                                                       \
	do {                                                                  \
		if (__builtin_expect(!!(cond), 0)) {                           \
			fprintf(stderr, "pidsim: %s:%d: BUG_ON(%s)\n",         \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                             \
	} while (0)

#endif
