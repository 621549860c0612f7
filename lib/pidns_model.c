/*
 * pidns_model.c - hierarchical pid namespaces: a number in every container
 * from the task's own up to the host, each from that container's own
 * allocator and table.
 *
 * Where it comes from: the design Linux merged in 2.6.24 (Pavel Emelyanov,
 * OpenVZ, and Sukadev Bhattiprolu, IBM, 2007), which settled the 2006
 * argument with a hybrid neither side had proposed.  Each task's struct pid
 * carries "struct upid numbers[1]", allocated with level + 1 entries
 * (include/linux/pid.h; one kmem cache "pid_<n>" per level,
 * create_pid_cachep()): upid {nr, ns} is the task's number in one
 * namespace, numbers[0] the host's.  alloc_pid() (kernel/pid.c) takes a
 * number at every level, from the task's own namespace up to init_pid_ns,
 * each from that namespace's own allocator: a pidmap per namespace in
 * 2.6.24, an IDR per namespace since 4.15 ("pid: replace pid bitmap
 * implementation with IDR API"), which is also the lookup table.  Any level
 * out of numbers unwinds the levels already done (out_free) and fails the
 * fork with -EAGAIN.  So the PID spaces of the summary are there, one per
 * container; OpenVZ's "vpid == pid for the host" is there, as numbers[0];
 * and struct pid is Eric Biederman's weak task reference.
 *
 *   find_pid_ns(nr, ns)   one lookup in ns's table (idr_find(&ns->idr))
 *   pid_nr_ns(pid, ns)    one read: numbers[ns->level].nr if its ns is ns,
 *                         else 0 (ns is not an ancestor-or-self)
 *   find_ge_pid(nr, ns)   the next number ns holds (idr_get_next())
 *
 * Visibility is hierarchical, Linux's answer to the question the summary
 * left open (Herbert's container hierarchy, which it called "a flat
 * hierarchy" from the kernel's view): every task has a number in each
 * ancestor container, so every ancestor sees it, kills it and lists it by
 * its own number.  The glue pid of a
 * container's init is not a special case: it is the init's number at the
 * parent's level.  Since every task holds a number at level 0, the host's
 * range bounds every container (PIDSIM_D_SHARED_RANGE: Linux's global
 * pid_max).
 *
 * Nesting stops at MAX_PID_NS_LEVEL, 32: create_pid_namespace() refuses a
 * 33rd level with -ENOSPC since 4.9 ("pidns: Add a limit on the number of
 * pid namespaces"; -EINVAL before), which unshare(CLONE_NEWPID) and
 * clone(CLONE_NEWPID) return.  The model returns -ENOSPC too.
 *
 * Stored owners keep the task's weak reference (t->ref, weakref.h), as the
 * pidspace design does.  Linux keeps a counted reference to struct pid
 * instead (f_setown() -> get_pid()), which outlives the task and resolves
 * through pid_task() to no task once free_pid() has taken its numbers out
 * of every namespace; a later task with the same number gets a new struct
 * pid.  A generation-checked slot gives the same guarantee with no
 * reference count, so the model's pid object holds the numbers only and
 * is freed at reap.
 *
 * Migration: a restore asks for a number at every level inside the
 * restored tree, each checked against that level's pid_max as alloc_pid()
 * checks set_tid, and takes new ones at the levels above it, as CRIU does
 * with clone3()'s set_tid array (lib/ckpt/restore.c).
 *
 * Process groups and sessions (pgrp.c) are Linux's: a group is its
 * leader's struct pid, so getpgid() is pid_vnr(task_pgrp()): the leader's
 * number at the caller's level, 0 when the leader has none there (a
 * group inherited from an ancestor namespace); kill(-pgid) and
 * wait(-pgid) find it with find_vpid(), one probe at the caller's level.
 * A reaped leader's struct pid keeps its number at every level while the
 * group or session lives (free_pid() waits for the last pid type).
 *
 * The model's own choices:
 *   - the pid object is allocated per task, sized by its level, and a
 *     reaped one goes to a small free list per level (at most
 *     PIDNS_CACHE_MAX objects, a slab's per-CPU array in miniature), so
 *     that fork + exit + wait at any depth allocates only the task itself;
 *   - each container has a pidmap (the allocator every design shares) and
 *     a table (pidtab.h), where Linux has one IDR doing both; numbers are
 *     taken at every level first and entered in the tables afterwards, as
 *     alloc_pid() stores NULL and makes the pid visible with idr_replace()
 *     only once every level has a number;
 *   - a failed fork puts every level's cursor back: a failing call changes
 *     nothing.  Linux leaves idr_alloc_cyclic()'s cursor moved at the
 *     levels that had succeeded (it resets it only for a namespace's
 *     first pid);
 *   - each container has its own pid_max, as since Linux 6.14 (pidns.h),
 *     the image's unless set.
 *
 * Costs: a lookup from any container is one probe of that container's
 * table, and a task's number in a view is one read and one compare, at
 * any depth; neither is a conversion.  Depth is paid at fork and reap: a
 * task at level L takes and releases L + 1 numbers and L + 1 table entries,
 * and holds a pid object of 16 + 24 (L + 1) bytes (a table node and a
 * namespace pointer per level; Linux: 16 bytes per upid plus an IDR slot)
 * besides what every design's task costs, and a slot in each level's
 * table.  make bench's depth sweep measures what that comes to per level
 * (PAPER.md cites it).
 */
#include <errno.h>
#include <stddef.h>

#include "check.h"
#include "internal.h"
#include "pidmap.h"
#include "pidns.h"
#include "pidtab.h"

#define PIDNS_CACHE_MAX 8	/* freed pid objects kept per level */

/* A task's number in one namespace, and its entry in that one's table. */
struct upid {
	struct ps_pidtab_node node;	/* key: the number; val.task: the task */
	const struct ps_container *ns;
};

/* struct pid, the numbers part: one upid per level, [0] the host's. */
struct pidns_pid {
	int level;
	bool fresh;			/* allocated, not taken from the cache */
	struct pidns_pid *next_free;	/* on its level's cache */
	struct upid numbers[];		/* level + 1 of them */
};

struct pidns_kernel {
	struct pidns_pid *cache[PIDSIM_MAX_LEVEL + 1];
	int cached[PIDSIM_MAX_LEVEL + 1];
};

struct pidns {				/* per container: struct pid_namespace */
	struct ps_pidmap map;
	struct ps_pidtab table;	/* every task at this level and below */
	int pid_max;			/* this level's own (Linux 6.14) */
};

struct pidns_task {
	struct pidns_pid *pid;
};

static struct pidns_kernel *pk_of(const struct pidsim_kernel *k)
{
	return ps_priv(k);
}

static struct pidns *ns_of(const struct ps_container *ct)
{
	return ps_priv(ct);
}

static struct pidns_pid *pid_of(const struct ps_task *t)
{
	return ((struct pidns_task *)ps_priv(t))->pid;
}

/* ---- Pid objects, sized by level ---------------------------------------- */

static size_t pid_size(int level)
{
	return sizeof(struct pidns_pid) + (size_t)(level + 1) * sizeof(struct upid);
}

/* kmem_cache_alloc(ns->pid_cachep): from the level's cache, or new. */
static struct pidns_pid *pid_alloc(struct pidsim_kernel *k, int level)
{
	struct pidns_kernel *pk = pk_of(k);
	struct pidns_pid *pid = pk->cache[level];

	PS_BUG_ON(level < 0 || level > PIDSIM_MAX_LEVEL);
	if (pid) {
		pk->cache[level] = pid->next_free;
		pk->cached[level]--;
		pid->fresh = false;
		return pid;
	}
	pid = ps_alloc(&k->mem, pid_size(level));
	if (pid) {
		pid->level = level;
		pid->fresh = true;
	}
	return pid;
}

/* kmem_cache_free(): back to the cache while it has room. */
static void pid_free(struct pidsim_kernel *k, struct pidns_pid *pid)
{
	struct pidns_kernel *pk = pk_of(k);
	int level = pid->level;

	if (pk->cached[level] == PIDNS_CACHE_MAX) {
		ps_free(&k->mem, pid, pid_size(level));
		return;
	}
	pid->next_free = pk->cache[level];
	pk->cache[level] = pid;
	pk->cached[level]++;
}

/* Undo pid_alloc() in a fork that fails: the image's bytes as they were. */
static void pid_unalloc(struct pidsim_kernel *k, struct pidns_pid *pid)
{
	if (pid->fresh)
		ps_free(&k->mem, pid, pid_size(pid->level));
	else
		pid_free(k, pid);
}

/* ---- Set-up ------------------------------------------------------------- */

static int pidns_kernel_init(struct pidsim_kernel *k)
{
	struct pidns_kernel *pk = pk_of(k);

	for (int i = 0; i <= PIDSIM_MAX_LEVEL; i++) {
		pk->cache[i] = NULL;
		pk->cached[i] = 0;
	}
	return 0;
}

static void pidns_kernel_fini(struct pidsim_kernel *k)
{
	struct pidns_kernel *pk = pk_of(k);

	for (int i = 0; i <= PIDSIM_MAX_LEVEL; i++) {
		while (pk->cache[i]) {
			struct pidns_pid *pid = pk->cache[i];

			pk->cache[i] = pid->next_free;
			ps_free(&k->mem, pid, pid_size(i));
		}
		pk->cached[i] = 0;
	}
}

/* create_pid_namespace(): an allocator and a table; the parent's pid_max. */
static int pidns_ct_init(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct pidns *ns = ns_of(ct);

	ns->table = (struct ps_pidtab){ 0 };
	ns->pid_max = ct->parent ? ns_of(ct->parent)->pid_max : k->pid_max;
	return ps_pidmap_init(&k->mem, &ns->map, k->pid_max);
}

static void pidns_ct_fini(struct pidsim_kernel *k, struct ps_container *ct)
{
	struct pidns *ns = ns_of(ct);

	PS_BUG_ON(ns->table.root);
	ps_pidmap_fini(&k->mem, &ns->map);
}

/* ---- alloc_pid() and free_pid() ----------------------------------------- */

/* Release the numbers of levels from .. pid->level, putting back the
 * cursors saved in last[] when last is not NULL. */
static void put_numbers(struct pidsim_kernel *k, struct pidns_pid *pid,
			int from, const int *last)
{
	for (int i = from; i <= pid->level; i++) {
		struct ps_pidmap *map = &ns_of(pid->numbers[i].ns)->map;

		ps_pidmap_free(&k->mem, map, pid->numbers[i].node.key);
		if (last)
			map->last = last[i];
	}
}

/* One level's number: the one want asks for (clone3()'s set_tid, checked
 * against the level's own pid_max as alloc_pid() does), else the cyclic
 * rule's. */
static int take_one(struct pidsim_kernel *k, struct pidns *n, int want)
{
	return ps_pidmap_alloc_want(&k->mem, &n->map, want, n->pid_max);
}

/*
 * alloc_pid()'s first loop: a number at every level from ns (the task's
 * own, pid->level) up to the host, deepest first, each level's cursor
 * saved in last[] so that a failure can leave every level as it was.
 */
static int take_numbers(struct pidsim_kernel *k, struct pidns_pid *pid,
			const struct ps_container *ns,
			const struct ps_pid_want *want, int *last)
{
	for (int i = pid->level; i >= 0; i--, ns = ns->parent) {
		struct pidns *n = ns_of(ns);
		int nr;

		PS_BUG_ON(ns->level != i);
		last[i] = n->map.last;
		nr = take_one(k, n, ps_want_nr(want, ns));
		if (nr < 0) {
			put_numbers(k, pid, i + 1, last);
			return nr;	/* -EAGAIN: this level is full; -ENOMEM;
					 * a want's -EEXIST or -EINVAL */
		}
		pid->numbers[i].node.key = nr;
		pid->numbers[i].ns = ns;
	}
	return 0;
}

/* alloc_pid()'s second loop (idr_replace()): make t findable at every
 * level.  Only an allocation in the tables can fail: -ENOMEM. */
static int enter_numbers(struct pidsim_kernel *k, struct pidns_pid *pid,
			 struct ps_task *t)
{
	uint64_t *probes = &k->stats.probes;

	for (int i = pid->level; i >= 0; i--) {
		struct upid *up = &pid->numbers[i];
		int err;

		up->node.val.task = t;
		err = ps_pidtab_add(&k->mem, &ns_of(up->ns)->table, &up->node,
				    probes);
		if (err) {
			while (++i <= pid->level) {
				up = &pid->numbers[i];
				ps_pidtab_del(&k->mem, &ns_of(up->ns)->table,
					      &up->node, probes);
			}
			return err;
		}
	}
	return 0;
}

static int pidns_attach_pid(struct pidsim_kernel *k, struct ps_task *t,
			    const struct ps_pid_want *want)
{
	struct pidns_pid *pid = pid_alloc(k, t->ct->level);
	int last[PIDSIM_MAX_LEVEL + 1], err;

	if (!pid)
		return -ENOMEM;
	err = take_numbers(k, pid, t->ct, want, last);
	if (err)
		goto out_free;
	err = enter_numbers(k, pid, t);
	if (err)
		goto out_put;
	((struct pidns_task *)ps_priv(t))->pid = pid;
	return 0;

out_put:
	put_numbers(k, pid, 0, last);
out_free:
	pid_unalloc(k, pid);
	return err;
}

/* free_pid(): out of every level's table and allocator. */
static void pidns_detach_pid(struct pidsim_kernel *k, struct ps_task *t)
{
	struct pidns_pid *pid = pid_of(t);

	for (int i = 0; i <= pid->level; i++) {
		struct upid *up = &pid->numbers[i];

		ps_pidtab_del(&k->mem, &ns_of(up->ns)->table, &up->node,
			      &k->stats.probes);
	}
	put_numbers(k, pid, 0, NULL);
	pid_free(k, pid);
	((struct pidns_task *)ps_priv(t))->pid = NULL;
}

static void pidns_ct_state_get(const struct pidsim_kernel *k,
			       const struct ps_container *ct,
			       struct ps_alloc_state *st)
{
	(void)k;
	st->last = ns_of(ct)->map.last;
	st->mode = 0;
}

static void pidns_ct_state_set(struct pidsim_kernel *k, struct ps_container *ct,
			       const struct ps_alloc_state *st)
{
	(void)k;
	ns_of(ct)->map.last = st->last;
}

/* ---- Lookups ------------------------------------------------------------ */

/* find_task_by_pid_ns(): one probe of the view's table, at any depth. */
static struct ps_task *pidns_find_task(struct pidsim_kernel *k,
				       const struct ps_container *view, int nr)
{
	struct ps_pidtab_node *n =
		ps_pidtab_find(&ns_of(view)->table, nr, &k->stats.probes);

	return n ? n->val.task : NULL;
}

/* pid_nr_ns(): one read of the view's level, 0 unless the view is an
 * ancestor-or-self of t's container. */
static int pidns_task_nr(struct pidsim_kernel *k, const struct ps_task *t,
			 const struct ps_container *view)
{
	const struct pidns_pid *pid = pid_of(t);
	const struct upid *up;

	(void)k;
	if (view->level > pid->level)
		return 0;
	up = &pid->numbers[view->level];
	return up->ns == view ? up->node.key : 0;
}

/* find_ge_pid(): the view's next number, then its task. */
static struct ps_task *pidns_find_ge(struct pidsim_kernel *k,
				     const struct ps_container *view, int nr,
				     int *found)
{
	int next = ps_pidmap_next(&ns_of(view)->map, nr);
	struct ps_task *t;

	if (!next)
		return NULL;
	t = pidns_find_task(k, view, next);
	PS_BUG_ON(!t);		/* every number a view holds is in its table */
	*found = next;
	return t;
}

/* ---- Stored owners ------------------------------------------------------ */

static void pidns_owner_set(struct pidsim_kernel *k, struct ps_owner *o,
			    const struct ps_task *t)
{
	(void)k;
	o->u.ref = t->ref;
}

static struct ps_task *pidns_owner_find(struct pidsim_kernel *k,
				       const struct ps_owner *o)
{
	return ps_ref_resolve(&k->refs, o->u.ref);
}

/* ---- Per-namespace pid_max (pidns.h) ------------------------------------ */

extern const struct ps_design ps_design_pidns;

int ps_pidns_set_pid_max(struct pidsim_kernel *k, pidsim_tid ct_init,
			 int pid_max)
{
	struct ps_task *init = ps_ref_resolve(&k->refs, ct_init);

	if (!init)
		return -ESRCH;
	if (k->design != &ps_design_pidns || init != init->ct->init ||
	    pid_max < 2 || pid_max > k->pid_max)
		return -EINVAL;
	ns_of(init->ct)->pid_max = pid_max;
	return 0;
}

const struct ps_design ps_design_pidns = {
	.info = {
		.name = "pidns",
		.summary = "hierarchical pid namespaces: a number at every level "
			   "(struct pid/upid, Linux 2.6.24)",
		.lookup = "one probe of the caller's level table, at any depth",
		.conversion = "none: one read of numbers[view level], at any depth",
		.max_level = PIDSIM_MAX_LEVEL,
		.level_errno = -ENOSPC,
		.max_containers = 0,
		.max_pid_max = PIDSIM_PID_MAX_LIMIT,
		.min_ct_pid_max = 0,
		.flags = PIDSIM_D_HOST_SEES_ALL | PIDSIM_D_SHARED_RANGE |
			 PIDSIM_D_HIERARCHICAL,
		.host_view = "the host sees every task by its level-0 number, "
			     "which every fork in a container takes too",
	},
	.kernel_priv = sizeof(struct pidns_kernel),
	.ct_priv = sizeof(struct pidns),
	.task_priv = sizeof(struct pidns_task),
	.kernel_init = pidns_kernel_init,
	.kernel_fini = pidns_kernel_fini,
	.ct_init = pidns_ct_init,
	.ct_fini = pidns_ct_fini,
	.ct_state_get = pidns_ct_state_get,
	.ct_state_set = pidns_ct_state_set,
	.attach_pid = pidns_attach_pid,
	.detach_pid = pidns_detach_pid,
	.find_task = pidns_find_task,
	.task_nr = pidns_task_nr,
	.find_group = pidns_find_task,
	.group_nr = pidns_task_nr,
	.find_ge = pidns_find_ge,
	.owner_set = pidns_owner_set,
	.owner_find = pidns_owner_find,
};
