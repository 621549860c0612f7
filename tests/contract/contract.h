/*
 * contract.h - the contract every pid design meets, run once per design.
 *
 * Issue 2's "Semantics" section lists ten numbered rules, issue 14's six
 * more on process groups and sessions (pgrp.c).  This suite checks each
 * of them, error paths included, through the public interface only
 * (include/pidsim.h), and runs the same group of tests against every design
 * in pidsim_design_at(): cmocka's prestate hands each test the design's info
 * record, and the setup boots an image of that design.  A file per rule
 * group (CONTRACT_GROUPS below, in the order they run), the helpers they
 * share in helpers.c, the runner in main.c.
 *
 * Designs may differ only where their info record says so, and the tests
 * branch on exactly those fields and flags:
 *   - PIDSIM_D_HOST_SEES_ALL: a host task sees every task (vpid: by internal
 *     pid), not only host tasks and the glue pid of each child container's
 *     init (pidspace);
 *   - PIDSIM_D_HIERARCHICAL: every ancestor container sees a task, by a
 *     number of its own;
 *   - PIDSIM_D_OWNER_BY_NUMBER: a stored owner (F_SETOWN) is a number, so
 *     after reuse it reaches the new holder instead of nobody;
 *   - PIDSIM_D_SHARED_RANGE: container tasks draw from the host's range too;
 *   - PIDSIM_D_RENUMBERS: numbers inside containers do not follow rule 3;
 *   - PIDSIM_D_HOST_GROUP_NUMBER: a group or session led outside a
 *     container reads inside it as its host number, not 0;
 *   - the limits max_level, level_errno, max_containers, max_pid_max.
 * Where rule 3 fixes a number (see exact()), the tests demand it; elsewhere
 * they take numbers from the tasks themselves and demand the same behaviour.
 *
 * A failing call must change nothing (rule 10): NO_CHANGE() (fixture.h)
 * takes a snapshot (census, ps of host init and of watched tasks, their
 * states, bytes allocated) before the call and compares after it.
 *
 * Include this first: it asks for the POSIX signal names.
 */
#ifndef PIDSIM_TEST_CONTRACT_H
#define PIDSIM_TEST_CONTRACT_H

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "fixture.h"

/* ---- The groups ------------------------------------------------------------ */

/* The rule groups, in the order they run: one file each. */
#define CONTRACT_GROUPS(X) \
	X(boot) X(fork) X(alloc) X(visibility) X(exit) X(wait) X(kill) \
	X(calls) X(pgrp) X(owners) X(weakref) X(errors) X(costs)

/* A group's tests, each to run once per design. */
struct contract_group {
	const struct CMUnitTest *tests;
	size_t n;
};

#define X(name) extern const struct contract_group contract_##name;
CONTRACT_GROUPS(X)
#undef X

/* cmocka setup: the fixture, and a fresh image of the design under test. */
int contract_setup(void **state);

/* A test of the suite; the runner fills in the design. */
#define T(fn) cmocka_unit_test_prestate_setup_teardown(fn, contract_setup, \
						       fx_teardown, NULL)

/* ---- What the designs may differ in ---------------------------------------- */

int has(const struct fx *f, unsigned flag);
int exact(const struct fx *f, pidsim_tid viewer);
void expect_nr(const struct fx *f, pidsim_tid viewer, int got, int want);

/* Reboot with pid_max, or skip when the design cannot give it. */
void need_pid_max(struct fx *f, int pid_max);
/* Skip unless containers nest at least `levels` deep. */
void need_levels(struct fx *f, int levels);

/* ---- Making and reaping tasks ----------------------------------------------- */

pidsim_tid fork_as(struct fx *f, pidsim_tid parent, unsigned flags, int want);
pidsim_tid spawn(struct fx *f, pidsim_tid parent, int want);
pidsim_tid spawn_ct(struct fx *f, pidsim_tid parent, int want);
void fork_range(struct fx *f, pidsim_tid parent, int first, int last);
int fill(struct fx *f, pidsim_tid parent);
void reap_as(struct fx *f, pidsim_tid parent, int pid, int got, int status);
void reap(struct fx *f, pidsim_tid parent, int pid, int status);
void kill_reap(struct fx *f, pidsim_tid parent, int pid);
void reap_all(struct fx *f, pidsim_tid parent);

/* ---- Looking ---------------------------------------------------------------- */

int pid_in(struct fx *f, pidsim_tid viewer, pidsim_tid t, int want);
void assert_same_task(struct fx *f, pidsim_tid viewer, pidsim_tid a,
		      pidsim_tid b);
pidsim_tid container_of(struct fx *f, pidsim_tid t);
int ps_count(struct fx *f, pidsim_tid cur);
void assert_census(struct fx *f, unsigned tasks, unsigned zombies,
		   unsigned containers);
void assert_pids(const char *file, int line, const char *what,
		 int got_n, const int *got, const int *want, size_t n);

/* ps(cur) is exactly the listed pids. */
#define ASSERT_PS(f, cur, ...)                                             \
	do {                                                               \
		static const int want_[] = {__VA_ARGS__};                  \
		int got_[SNAP_CAP];                                        \
		int n_ = pidsim_ps((f)->k, (cur), got_, SNAP_CAP);         \
		assert_pids(__FILE__, __LINE__, "ps(" #cur ")", n_, got_,  \
			    want_, ARRAY_SIZE(want_));                     \
	} while (0)

/* A task and the number a view should show it by. */
struct seen {
	pidsim_tid t;
	int pid;
};

void assert_view(struct fx *f, const char *file, int line,
		 pidsim_tid viewer, const struct seen *w, size_t n);

/* ps(viewer) is the tasks listed as {task, pid}: ASSERT_VIEW(f, v, {a, 1}, {b, 2}). */
#define ASSERT_VIEW(f, viewer, ...)                                       \
	assert_view((f), __FILE__, __LINE__, (viewer),                    \
		    (const struct seen[]){__VA_ARGS__},                   \
		    sizeof((const struct seen[]){__VA_ARGS__}) /          \
			    sizeof(struct seen))

void assert_ps_in_is_ps(struct fx *f, pidsim_tid cur, pidsim_tid ct,
			pidsim_tid viewer);

/* ---- The topology several tests share (helpers.c draws it) ------------------ */

struct topo {
	pidsim_tid c, t1, t2, d, u;
};

void build_topo(struct fx *f, struct topo *t);
void build_nested_topo(struct fx *f, struct topo *t);

#endif /* PIDSIM_TEST_CONTRACT_H */
