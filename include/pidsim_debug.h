/*
 * pidsim_debug.h - hooks for the test tree, not part of the interface.
 *
 * Fault injection in the manner of SQLite's malloc tests: make the N-th
 * allocation an image makes from now on fail, run one call, and check that
 * it returned -ENOMEM and changed nothing (tests/prop/allocfail.c sweeps
 * N over every allocation a call makes).  The counter is the one
 * pidsim_stats.allocs reports: every ps_alloc()/ps_realloc() of the image,
 * the pid tables' tree levels included.
 *
 * The hooks live in the static library only: the shared one does not
 * export them (hidden below), and make install does not install this
 * header.  The test tree and the bench link libpidsim.a.
 */
#ifndef PIDSIM_DEBUG_H
#define PIDSIM_DEBUG_H

#include <stdint.h>

#include "pidsim.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#pragma GCC visibility push(hidden)
#endif

/* Make the nth allocation k makes from now fail (1: the next one), once.
 * 0 disarms. */
void pidsim_debug_fail_alloc(pidsim_kernel *k, uint64_t nth);

/* Whether the armed failure has happened yet: true once it has (or when
 * nothing is armed). */
int pidsim_debug_fail_fired(const pidsim_kernel *k);

/* Allocation calls k has made since it was created. */
uint64_t pidsim_debug_allocs(const pidsim_kernel *k);

/*
 * pidsim_find() in two halves, for make bench to time the second alone:
 * what a lookup costs without the public call's check of its caller
 * (resolving cur's handle, that it runs).  pidsim_debug_view() is cur's
 * container, NULL when cur is not a running task, valid while that
 * container exists; pidsim_debug_find() is the design's lookup of pid in
 * it, counted as pidsim_find() counts, and the found task's handle or 0.
 */
const void *pidsim_debug_view(pidsim_kernel *k, pidsim_tid cur);
pidsim_tid pidsim_debug_find(pidsim_kernel *k, const void *view, int pid);

/*
 * Which process group (session when sid) task t is in, as an identity no
 * number gives: equal for two tasks in one group, nonzero, and valid
 * while that group lives; 0 for a stale handle.  And the group the view
 * of cur names by nr (what kill(-nr) signals), 0 when none.  For the
 * property suite's isolation check: a kill(0) or kill(-pgid) may change a
 * task the caller cannot see only if it is in the group signalled.
 */
uint64_t pidsim_debug_group_id(const pidsim_kernel *k, pidsim_tid t, int sid);
uint64_t pidsim_debug_find_group_id(pidsim_kernel *k, pidsim_tid cur, int nr);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif /* PIDSIM_DEBUG_H */
