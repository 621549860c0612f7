/* test_pidns.c - what is particular to hierarchical pid namespaces
 * (lib/pidns_model.c): a number at every level up to the host, 32 levels,
 * ancestors seeing and signalling descendants by their own numbers, forks
 * that fail at one level failing at all, owners kept as weak references,
 * and bytes per task that grow with depth. */
#include <errno.h>

#include "fixture.h"
#include "internal.h"
#include "pidns.h"

#define DEPTH PIDSIM_MAX_LEVEL
#define SIGKILL_ 9
#define SIGTERM_ 15

/* inits[0] is host init, inits[d] the init of a container at level d,
 * forked by inits[d - 1]. */
static void build_chain(pidsim_kernel *k, pidsim_tid *inits, int depth)
{
	inits[0] = pidsim_host_init(k);
	for (int d = 1; d <= depth; d++) {
		assert_int_equal(pidsim_fork(k, inits[d - 1], PIDSIM_CLONE_NEWPID,
					     &inits[d]), 2);
		assert_int_equal(pidsim_level_of(k, inits[d]), d);
	}
}

/* ---- Tests ---------------------------------------------------------------- */

/* The design record: 32 levels, -ENOSPC past them, hierarchical views,
 * every task in the host's range, owners kept as references. */
static void test_pidns_design_info(void **state)
{
	const struct pidsim_design_info *i = pidsim_design_find("pidns");

	(void)state;
	assert_non_null(i);
	assert_int_equal(i->max_level, PIDSIM_MAX_LEVEL);
	assert_int_equal(i->level_errno, -ENOSPC);
	assert_int_equal(i->max_containers, 0);
	assert_int_equal(i->max_pid_max, PIDSIM_PID_MAX_LIMIT);
	assert_int_equal(i->flags, PIDSIM_D_HOST_SEES_ALL |
			 PIDSIM_D_SHARED_RANGE | PIDSIM_D_HIERARCHICAL);
	assert_false(i->flags & PIDSIM_D_OWNER_BY_NUMBER);
	assert_non_null(i->lookup);
	assert_non_null(i->conversion);
}

/*
 * Containers nested 0..32 deep, then a plain task forked at every depth:
 * each task has a number in its own container and in every ancestor, read
 * from each ancestor's init (numbers[a]), and none in a descendant.  Level
 * a holds the inits of levels a..32 as 1..33-a, then the plain tasks of
 * levels a..32 in fork order, so task w[d] is 34 - 2a + d at level a.
 */
static void test_pidns_numbers_at_every_level(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid inits[DEPTH + 1], w[DEPTH + 1], found;

	build_chain(k, inits, DEPTH);
	for (int d = 0; d <= DEPTH; d++)
		assert_int_equal(pidsim_fork(k, inits[d], 0, &w[d]), 34 - d);
	for (int d = 0; d <= DEPTH; d++) {
		assert_int_equal(pidsim_getpid(k, w[d]), 34 - d);
		assert_int_equal(pidsim_getpid(k, inits[d]), 1);
		for (int a = 0; a <= DEPTH; a++) {
			int want_w = a <= d ? 34 - 2 * a + d : 0;
			int want_init = a <= d ? d - a + 1 : 0;

			assert_int_equal(pidsim_pid_of(k, inits[a], w[d]), want_w);
			assert_int_equal(pidsim_pid_of(k, inits[a], inits[d]),
					 want_init);
			if (a > d)
				continue;
			assert_int_equal(pidsim_find(k, inits[a], want_w, &found), 0);
			assert_true(found == w[d]);
		}
	}
	/* Each level sees its own two tasks and both of every deeper level. */
	for (int a = 0; a <= DEPTH; a++)
		assert_int_equal(pidsim_ps(k, inits[a], NULL, 0), 2 * (33 - a));
	/* getppid of a plain task: its init; of a container init: 0. */
	assert_int_equal(pidsim_getppid(k, w[DEPTH]), 1);
	assert_int_equal(pidsim_getppid(k, inits[DEPTH]), 0);
}

/* A lookup is one probe and a task's number one read, at any depth: no
 * conversions, and no probe to convert. */
static void test_pidns_lookup_cost_flat_in_depth(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid inits[DEPTH + 1], deep, found;
	struct pidsim_stats s;

	build_chain(k, inits, DEPTH);
	pidsim_fork(k, inits[DEPTH], 0, &deep);
	for (int a = 0; a <= DEPTH; a++) {
		int nr = pidsim_pid_of(k, inits[a], deep);

		pidsim_stats_reset(k);
		assert_int_equal(pidsim_find(k, inits[a], nr, &found), 0);
		assert_true(found == deep);
		assert_int_equal(pidsim_pid_of(k, inits[a], deep), nr);
		pidsim_stats_get(k, &s);
		assert_int_equal(s.lookups, 1);
		assert_int_equal(s.probes, 1);
		assert_int_equal(s.conversions, 0);
	}
	/* Depth is paid at fork: one insert per level. */
	pidsim_stats_reset(k);
	pidsim_fork(k, inits[DEPTH], 0, NULL);
	pidsim_stats_get(k, &s);
	assert_int_equal(s.probes, DEPTH + 1);
	assert_int_equal(s.conversions, 0);
}

/* The calls of groups and sessions read a group's number as a task's,
 * one read at any depth (pid_nr_ns() of the group's pid): a kill(-pgid)
 * from every level is one lookup, one probe, no conversion. */
static void test_pidns_group_calls_flat_in_depth(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid inits[DEPTH + 1], lead;
	struct pidsim_stats s;

	build_chain(k, inits, DEPTH);
	pidsim_fork(k, inits[DEPTH], 0, &lead);
	assert_int_equal(pidsim_setpgid(k, lead, 0, 0), 0);
	for (int i = 0; i < 8; i++)
		pidsim_fork(k, lead, 0, NULL);
	for (int a = 0; a <= DEPTH; a++) {
		int nr = pidsim_pid_of(k, inits[a], lead);

		pidsim_stats_reset(k);
		assert_int_equal(pidsim_getpgid(k, inits[a], nr), nr);
		assert_int_equal(pidsim_kill(k, inits[a], -nr, 0), 0);
		pidsim_stats_get(k, &s);
		assert_int_equal(s.lookups, 2);
		assert_int_equal(s.probes, 2);
		assert_int_equal(s.conversions, 0);
	}
}

/* Warm fork + exit + wait cycles from cur: the allocations they made. */
static uint64_t churn_allocs(pidsim_kernel *k, pidsim_tid cur, int cycles)
{
	struct pidsim_stats s0, s1;
	pidsim_tid t;
	int st, nr;

	for (int i = 0; i <= cycles; i++) {
		if (i == 1)
			pidsim_stats_get(k, &s0);
		nr = pidsim_fork(k, cur, 0, &t);
		pidsim_exit(k, t, 0);
		assert_int_equal(pidsim_wait(k, cur, nr, &st), nr);
	}
	pidsim_stats_get(k, &s1);
	assert_int_equal(s1.bytes, s0.bytes);
	return s1.allocs - s0.allocs;
}

/* Warm, fork + exit + wait at level 32 allocates no more than pidspace,
 * which has no pid object (the task alone, or nothing where the model
 * caches tasks): the pid object comes from its level's cache, as from a
 * kmem cache per level. */
static void test_pidns_pid_objects_cached_per_level(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0), *flat;
	pidsim_tid inits[DEPTH + 1];

	build_chain(k, inits, DEPTH);
	assert_int_equal(pidsim_kernel_create("pidspace", 0, &flat), 0);
	assert_int_equal(churn_allocs(k, inits[DEPTH], 10),
			 churn_allocs(flat, pidsim_host_init(flat), 10));
	pidsim_kernel_destroy(flat);
}

/* A 33rd level is refused with -ENOSPC, and nothing changes; a plain fork
 * at level 32 still works. */
static void test_pidns_level_33_refused(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid inits[DEPTH + 1], child = PIDSIM_NO_TASK;
	struct snap before;

	build_chain(k, inits, DEPTH);
	snapshot_views(k, inits, DEPTH + 1, &before);
	assert_int_equal(pidsim_fork(k, inits[DEPTH], PIDSIM_CLONE_NEWPID, &child),
			 -ENOSPC);
	assert_true(child == PIDSIM_NO_TASK);
	ASSERT_UNCHANGED(&before);
	assert_int_equal(pidsim_fork(k, inits[DEPTH], 0, &child), 2);
	assert_int_equal(pidsim_pid_of(k, inits[0], child), DEPTH + 2);
}

/*
 * host (1) -- c: init of C, 2 -- d: init of D, 2 in C, 3 in host
 *                                  +- u: 2 in D, 3 in C, 4 in host
 * The host and C kill D's tasks by their own numbers; D reaps them.  C
 * kills and waits for d by C's number; the host SIGKILLs d, which is not
 * its child, by the host's number, and C reaps it.
 */
static void test_pidns_ancestor_kills_and_waits(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid host = pidsim_host_init(k), c, d, u, v, found;
	int st, ps[8];

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c);
	assert_int_equal(pidsim_fork(k, c, PIDSIM_CLONE_NEWPID, &d), 2);
	assert_int_equal(pidsim_fork(k, d, 0, &u), 2);
	assert_int_equal(pidsim_pid_of(k, c, u), 3);
	assert_int_equal(pidsim_pid_of(k, host, u), 4);

	/* The host kills u by the host's number; D reaps it by its own. */
	assert_int_equal(pidsim_kill(k, host, 4, SIGTERM_), 0);
	assert_int_equal(pidsim_task_state(k, u), PIDSIM_ZOMBIE);
	assert_int_equal(pidsim_find(k, host, 4, &found), 0);	/* a zombie */
	assert_int_equal(pidsim_wait(k, d, 2, &st), 2);
	assert_int_equal(st, SIGTERM_);
	assert_int_equal(pidsim_find(k, host, 4, &found), -ESRCH);
	assert_int_equal(pidsim_find(k, c, 3, &found), -ESRCH);

	/* C does the same by C's number. */
	assert_int_equal(pidsim_fork(k, d, 0, &v), 3);
	assert_int_equal(pidsim_pid_of(k, c, v), 4);
	assert_int_equal(pidsim_kill(k, c, 4, SIGKILL_), 0);
	assert_int_equal(pidsim_wait(k, d, -1, &st), 3);
	assert_int_equal(st, SIGKILL_);

	/* D's init ignores all but SIGKILL from an ancestor, at any depth. */
	assert_int_equal(pidsim_kill(k, host, 3, SIGTERM_), 0);
	assert_int_equal(pidsim_task_state(k, d), PIDSIM_RUNNING);

	/* C kills and waits for its child d by C's number. */
	pidsim_fork(k, d, 0, &v);
	assert_int_equal(pidsim_kill(k, c, 2, SIGKILL_), 0);
	assert_int_equal(pidsim_task_state(k, v), -ESRCH);	/* zapped */
	assert_int_equal(pidsim_ps(k, c, ps, 8), 2);		/* c, zombie d */
	assert_int_equal(pidsim_wait(k, c, 2, &st), 2);
	assert_int_equal(st, SIGKILL_);
	assert_int_equal(pidsim_ps(k, host, ps, 8), 2);
	assert_int_equal(ps[0], 1);
	assert_int_equal(ps[1], 2);

	/* The host SIGKILLs a grandchild container's init by its own number,
	 * and C, its parent, reaps it (C's numbers so far: c 1, d 2, u 3,
	 * v 4 and 5; the host's: one more). */
	assert_int_equal(pidsim_fork(k, c, PIDSIM_CLONE_NEWPID, &d), 6);
	assert_int_equal(pidsim_fork(k, d, 0, &u), 2);
	assert_int_equal(pidsim_pid_of(k, host, d), 7);
	assert_int_equal(pidsim_kill(k, host, 7, SIGKILL_), 0);
	assert_int_equal(pidsim_task_state(k, u), -ESRCH);
	assert_int_equal(pidsim_wait(k, host, 7, &st), -ECHILD);	/* not its child */
	assert_int_equal(pidsim_wait(k, c, 6, &st), 6);
	assert_int_equal(st, SIGKILL_);

	/* And kills and waits for its own child container's init. */
	assert_int_equal(pidsim_kill(k, host, 2, SIGKILL_), 0);
	assert_int_equal(pidsim_wait(k, host, 2, &st), 2);
	assert_int_equal(st, SIGKILL_);
	assert_int_equal(pidsim_ps(k, host, ps, 8), 1);
}

/*
 * A full host fails a fork at level 3 after levels 3, 2 and 1 had their
 * numbers: -EAGAIN, and every level is as it was, cursors included.
 */
static void test_pidns_host_full_fails_every_level(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 6);
	pidsim_tid inits[4], extra, child = PIDSIM_NO_TASK;
	struct snap before;
	int st;

	build_chain(k, inits, 3);			/* host 1..4 */
	assert_int_equal(pidsim_fork(k, inits[0], 0, &extra), 5);
	snapshot_views(k, inits, 4, &before);
	assert_int_equal(pidsim_fork(k, inits[3], 0, &child), -EAGAIN);
	assert_int_equal(pidsim_fork(k, inits[2], PIDSIM_CLONE_NEWPID, &child),
			 -EAGAIN);
	assert_true(child == PIDSIM_NO_TASK);
	ASSERT_UNCHANGED(&before);

	/* With a host number free, the fork gets at every level the number
	 * it would have got had nothing failed. */
	pidsim_kill(k, inits[0], 5, SIGKILL_);
	assert_int_equal(pidsim_wait(k, inits[0], 5, &st), 5);
	assert_int_equal(pidsim_fork(k, inits[3], 0, &child), 2);
	assert_int_equal(pidsim_pid_of(k, inits[2], child), 3);
	assert_int_equal(pidsim_pid_of(k, inits[1], child), 4);
	assert_int_equal(pidsim_pid_of(k, inits[0], child), 5);
}

/*
 * A middle level out of numbers (its own pid_max, as since Linux 6.14)
 * fails a deeper fork at every level: -EAGAIN with nothing changed, the
 * deeper level's number given back and its cursor put back.
 */
static void test_pidns_middle_level_full_fails_every_level(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid inits[4], t, child = PIDSIM_NO_TASK;
	struct snap before;
	int st;

	build_chain(k, inits, 3);
	assert_int_equal(ps_pidns_set_pid_max(k, inits[2], 4), 0);
	assert_int_equal(pidsim_fork(k, inits[2], 0, &t), 3);	/* 1..3 taken */
	snapshot_views(k, inits, 4, &before);
	assert_int_equal(pidsim_fork(k, inits[3], 0, &child), -EAGAIN);
	assert_int_equal(pidsim_fork(k, inits[2], 0, &child), -EAGAIN);
	assert_int_equal(pidsim_fork(k, inits[3], PIDSIM_CLONE_NEWPID, &child),
			 -EAGAIN);
	assert_true(child == PIDSIM_NO_TASK);
	ASSERT_UNCHANGED(&before);
	/* Levels above and beside it are not full. */
	assert_int_equal(pidsim_fork(k, inits[1], 0, &child), 5);
	assert_int_equal(pidsim_pid_of(k, inits[0], child), 6);

	/* One number freed at level 2: the level-3 fork goes through with
	 * level 3's next number, 2, as if the failures had not happened. */
	pidsim_kill(k, inits[2], 3, SIGKILL_);
	assert_int_equal(pidsim_wait(k, inits[2], 3, &st), 3);
	assert_int_equal(pidsim_fork(k, inits[3], 0, &child), 2);
	assert_int_equal(pidsim_pid_of(k, inits[2], child), 3);
	assert_int_equal(pidsim_pid_of(k, inits[1], child), 6);
	assert_int_equal(pidsim_pid_of(k, inits[0], child), 7);
}

/* ps_pidns_set_pid_max() takes a live container init and a pid_max within
 * the image's; a new container starts with its parent's. */
static void test_pidns_set_pid_max(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 100), *other;
	pidsim_tid host = pidsim_host_init(k), c, t, e;
	int st;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c);
	pidsim_fork(k, c, 0, &t);
	assert_int_equal(ps_pidns_set_pid_max(k, t, 10), -EINVAL);
	assert_int_equal(ps_pidns_set_pid_max(k, c, 1), -EINVAL);
	assert_int_equal(ps_pidns_set_pid_max(k, c, 101), -EINVAL);
	assert_int_equal(ps_pidns_set_pid_max(k, c, 100), 0);
	assert_int_equal(ps_pidns_set_pid_max(k, host, 2), 0);
	assert_int_equal(pidsim_fork(k, host, 0, NULL), -EAGAIN);
	pidsim_kill(k, host, 2, SIGKILL_);
	pidsim_wait(k, host, 2, &st);
	assert_int_equal(ps_pidns_set_pid_max(k, c, 10), -ESRCH);
	assert_int_equal(pidsim_kernel_create("pidspace", 0, &other), 0);
	assert_int_equal(ps_pidns_set_pid_max(other, pidsim_host_init(other), 10),
			 -EINVAL);
	pidsim_kernel_destroy(other);

	/* Inherited at creation: e keeps 4 after its parent is raised. */
	assert_int_equal(ps_pidns_set_pid_max(k, host, 100), 0);
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c);
	assert_int_equal(ps_pidns_set_pid_max(k, c, 4), 0);
	assert_int_equal(pidsim_fork(k, c, PIDSIM_CLONE_NEWPID, &e), 2);
	assert_int_equal(ps_pidns_set_pid_max(k, c, 100), 0);
	assert_int_equal(pidsim_fork(k, e, 0, NULL), 2);
	assert_int_equal(pidsim_fork(k, e, 0, NULL), 3);
	assert_int_equal(pidsim_fork(k, e, 0, NULL), -EAGAIN);
	assert_int_equal(pidsim_fork(k, c, 0, NULL), 5);
}

/* Fork host tasks until the next weak reference needs a bigger table, so
 * that a fork can also fail after attach_pid(), in ps_ref_attach(). */
static void fill_reftab(pidsim_kernel *k)
{
	while (k->refs.free_head || k->refs.nr < k->refs.cap)
		assert_true(pidsim_fork(k, pidsim_host_init(k), 0, NULL) > 0);
}

/*
 * Every allocation a fork of a level-5 container makes, failed in turn:
 * -ENOMEM and nothing changed, bytes included, each time; then the fork
 * that succeeds gets the numbers a fork with no failures would have.
 * Twice: with a new pid object, then with one from the level's cache.
 */
static void test_pidns_enomem_changes_nothing(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid inits[5], child;
	struct snap before;
	int ret, st;

	build_chain(k, inits, 4);
	for (int round = 0; round < 2; round++) {
		int fails = 0, glue = 2 + round;

		fill_reftab(k);
		snapshot_views(k, inits, 5, &before);
		for (uint64_t n = 1;; n++) {
			k->mem.fail_at = k->mem.allocs + n;
			child = PIDSIM_NO_TASK;
			ret = pidsim_fork(k, inits[4], PIDSIM_CLONE_NEWPID, &child);
			if (ret != -ENOMEM)
				break;
			fails++;
			assert_true(child == PIDSIM_NO_TASK);
			ASSERT_UNCHANGED(&before);
		}
		k->mem.fail_at = 0;
		/* round 0: container, pidmap, task, pid, page, table, refs */
		assert_true(fails >= (round ? 4 : 5));
		assert_int_equal(ret, glue);
		for (int a = 1; a <= 4; a++)
			assert_int_equal(pidsim_pid_of(k, inits[a], child),
					 4 - a + glue);
		assert_int_equal(pidsim_getpid(k, child), 1);
		pidsim_kill(k, inits[4], glue, SIGKILL_);
		assert_int_equal(pidsim_wait(k, inits[4], glue, &st), glue);
	}
}

/* Sibling containers at the same level see nothing of each other, though
 * each task has a number at that level. */
static void test_pidns_siblings_isolated(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid host = pidsim_host_init(k), a, b, in_a, in_b, found;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &a);
	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &b);
	assert_int_equal(pidsim_fork(k, a, 0, &in_a), 2);
	assert_int_equal(pidsim_fork(k, b, 0, &in_b), 2);
	assert_int_equal(pidsim_pid_of(k, a, in_b), 0);
	assert_int_equal(pidsim_pid_of(k, b, in_a), 0);
	assert_int_equal(pidsim_pid_of(k, a, b), 0);
	assert_int_equal(pidsim_find(k, a, 2, &found), 0);
	assert_true(found == in_a);
	assert_int_equal(pidsim_pid_of(k, host, in_a), 4);
	assert_int_equal(pidsim_pid_of(k, host, in_b), 5);
	assert_int_equal(pidsim_kill(k, a, 5, 0), -ESRCH);
}

/* Fork in d, check the child's numbers in d, c and host, and that
 * neither stored owner reaches it; then reap it. */
static void reuse_and_notify(pidsim_kernel *k, pidsim_tid host, pidsim_tid c,
			     pidsim_tid d, const int *obj, int in_d, int in_c,
			     int in_host)
{
	pidsim_tid x, to = 1;
	int st;

	assert_int_equal(pidsim_fork(k, d, 0, &x), in_d);
	assert_int_equal(pidsim_pid_of(k, c, x), in_c);
	assert_int_equal(pidsim_pid_of(k, host, x), in_host);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pidsim_notify(k, obj[i], SIGKILL_, &to), -ESRCH);
		assert_true(to == PIDSIM_NO_TASK);
	}
	assert_int_equal(pidsim_task_state(k, x), PIDSIM_RUNNING);
	pidsim_exit(k, x, 0);
	assert_int_equal(pidsim_wait(k, d, in_d, &st), in_d);
}

/*
 * A stored owner keeps the task, not a number: once the owner is reaped,
 * notify reaches nobody, while its number is reused at the host (D 3,
 * C 4, host 4), then at C (D 4, C 3, host 4), then at D (D 2, C 4,
 * host 4).  pid_max 5: numbers 1..4 at every level.
 */
static void test_pidns_owner_never_reaches_reused_number(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 5);
	pidsim_tid host = pidsim_host_init(k), c, d, owner, to = 1;
	int obj[2], st;

	pidsim_fork(k, host, PIDSIM_CLONE_NEWPID, &c);		/* host 2 */
	pidsim_fork(k, c, PIDSIM_CLONE_NEWPID, &d);		/* host 3, C 2 */
	assert_int_equal(pidsim_fork(k, d, 0, &owner), 2);	/* host 4, C 3 */
	obj[0] = pidsim_setown(k, c, 3);			/* by C's number */
	obj[1] = pidsim_setown(k, host, 4);			/* by the host's */
	assert_true(obj[0] >= 0 && obj[1] >= 0);
	assert_int_equal(pidsim_notify(k, obj[0], 0, &to), 0);
	assert_true(to == owner);
	pidsim_exit(k, owner, 0);
	assert_int_equal(pidsim_wait(k, d, 2, &st), 2);

	reuse_and_notify(k, host, c, d, obj, 3, 4, 4);
	reuse_and_notify(k, host, c, d, obj, 4, 3, 4);
	reuse_and_notify(k, host, c, d, obj, 2, 4, 4);
}

/* Bytes per task at depth d: fork n tasks at level d of a fresh image. */
static double bytes_per_task(int depth, int n)
{
	pidsim_kernel *k;
	pidsim_tid inits[DEPTH + 1];
	struct pidsim_stats s0, s1;

	assert_int_equal(pidsim_kernel_create("pidns", 0, &k), 0);
	build_chain(k, inits, depth);
	pidsim_fork(k, inits[depth], 0, NULL);	/* first pidmap page, table */
	pidsim_stats_get(k, &s0);
	for (int i = 0; i < n; i++)
		assert_true(pidsim_fork(k, inits[depth], 0, NULL) > 0);
	pidsim_stats_get(k, &s1);
	pidsim_kernel_destroy(k);
	return (double)(s1.bytes - s0.bytes) / n;
}

/* Each level a task is seen from costs it a number, a table entry and a
 * upid: bytes per task grow with depth, by at least Linux's 16-byte upid
 * per level, and the host's pays for one level only. */
static void test_pidns_bytes_grow_with_depth(void **state)
{
	static const int depths[] = { 0, 1, 2, 4, 8, 16, 32 };
	double prev = 0, b0 = 0, b;

	(void)state;
	for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
		b = bytes_per_task(depths[i], 200);
		print_message("pidns: depth %2d: %7.1f bytes per task\n",
			      depths[i], b);
		if (i == 0)
			b0 = b;
		else
			assert_true(b > prev);
		prev = b;
	}
	assert_true(prev - b0 >= 32 * 16);
}

/* A middle container's init exiting takes every deeper level with it; the
 * levels above lose exactly those numbers. */
static void test_pidns_middle_exit_zaps_below(void **state)
{
	pidsim_kernel *k = boot_kernel(state, "pidns", 0);
	pidsim_tid inits[5], keep;
	struct pidsim_census c;
	int st, ps[16];

	build_chain(k, inits, 4);
	for (int d = 1; d <= 4; d++)
		pidsim_fork(k, inits[d], 0, NULL);
	pidsim_fork(k, inits[1], 0, &keep);
	assert_int_equal(pidsim_ps(k, inits[0], ps, 16), 10);
	pidsim_exit(k, inits[2], 0);
	pidsim_census_get(k, &c);
	assert_int_equal(c.tasks, 5);		/* host, c1, its two, zombie c2 */
	assert_int_equal(c.containers, 3);	/* host, 1, 2 until reaped */
	assert_int_equal(pidsim_task_state(k, inits[4]), -ESRCH);
	assert_int_equal(pidsim_wait(k, inits[1], 2, &st), 2);
	assert_int_equal(pidsim_ps(k, inits[1], ps, 16), 3);
	assert_int_equal(ps[0], 1);
	assert_int_equal(ps[1], 5);		/* level 1's own task */
	assert_int_equal(ps[2], 9);		/* keep */
	assert_int_equal(pidsim_ps(k, inits[0], ps, 16), 4);
	assert_int_equal(pidsim_pid_of(k, inits[0], keep), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pidns_design_info),
		cmocka_unit_test_teardown(test_pidns_numbers_at_every_level, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_lookup_cost_flat_in_depth, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_group_calls_flat_in_depth, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_pid_objects_cached_per_level,
					  kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_level_33_refused, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_ancestor_kills_and_waits, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_host_full_fails_every_level, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_middle_level_full_fails_every_level,
					  kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_set_pid_max, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_enomem_changes_nothing, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_siblings_isolated, kernel_teardown),
		cmocka_unit_test_teardown(test_pidns_owner_never_reaches_reused_number,
					  kernel_teardown),
		cmocka_unit_test(test_pidns_bytes_grow_with_depth),
		cmocka_unit_test_teardown(test_pidns_middle_exit_zaps_below, kernel_teardown),
	};

	return cmocka_run_group_tests_name("pidns", tests, NULL, NULL);
}
