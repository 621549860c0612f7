/*
 * pidtab.h - a table from a number to a node: the pid table.
 *
 * Every design keeps its lookup tables here (pidspace: one per container;
 * vpid: the internal pid table and each container's two-way map; pidns:
 * one per namespace), so that the cost of a table operation is the same in
 * every design and a difference between designs is a difference in how
 * many table operations they do, which the probes counter counts.
 *
 * The table is a radix tree, as Linux's pid lookup has been since 4.15:
 * find_pid_ns() is idr_find(&ns->idr, nr), an xarray walk ("pid: replace
 * pid bitmap implementation with IDR API", 2017).  Before that, from
 * 2.6.24, it was a chained hash of struct upid (pid_hash); pidsim used
 * uthash for that, whose chains are dependent loads that make bench's
 * back-to-back lookups feel (PAPER.md).  A tree of pids,
 * which are small and dense, is nearly a flat array: the top levels stay
 * in cache and a lookup misses once, in the leaf.
 *
 * Levels have 256 slots where the xarray's have 64: three levels hold
 * every pid below PID_MAX_LIMIT (2^22) where 64-slot levels need four,
 * and each level is a dependent load, which make bench's back-to-back
 * lookups feel.  The price is 2 KiB for the smallest table.
 *
 *   - Nodes are embedded in the objects they index (the task, a design's
 *     map entry); a leaf slot points to the node, and the node holds its
 *     key, so a delete needs no search and a find can be checked.
 *   - The tree is as tall as its largest key needs (8 bits a level), grows
 *     a level on top when a key does not fit, and frees a level as soon as
 *     it is empty, so a table's bytes follow what it holds.
 *   - An insert allocates every level it needs before it links any: on
 *     -ENOMEM the table is as it was.  A delete never allocates.
 *   - Keys are numbers >= 0 (a pid, a vpid, vpid-ibm's container id and
 *     vpid in one int).
 */
#ifndef PS_PIDTAB_H
#define PS_PIDTAB_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define PS_PIDTAB_SHIFT 8
#define PS_PIDTAB_FANOUT (1u << PS_PIDTAB_SHIFT)
#define PS_PIDTAB_MASK (PS_PIDTAB_FANOUT - 1)
/* Levels that hold any int >= 0: 4 * 8 = 32 bits >= 31. */
#define PS_PIDTAB_MAX_HEIGHT 4

struct ps_task;

struct ps_pidtab_node {
	int key;
	union {
		struct ps_task *task;
		int nr;
	} val;
};

/* One level: above the leaves a slot points to a level, in a leaf to a
 * node. */
struct ps_pidtab_level {
	unsigned count;			/* slots in use */
	void *slot[PS_PIDTAB_FANOUT];
};

/* All zeroes is an empty table. */
struct ps_pidtab {
	struct ps_pidtab_level *root;
	unsigned height;		/* levels; 0 while empty */
	unsigned shift;			/* PS_PIDTAB_SHIFT * (height - 1): the
					 * root's index is key >> shift */
	unsigned count;			/* nodes held */
};

/* Whether key fits under a tree of height levels. */
static inline int ps_pidtab_fits(unsigned height, uint32_t key)
{
	return height >= PS_PIDTAB_MAX_HEIGHT ||
	       (key >> (PS_PIDTAB_SHIFT * height)) == 0;
}

/* Find key: the node or NULL.  Counts one probe.  idr_find(): one load a
 * level, no compares but the leaf's. */
static inline struct ps_pidtab_node *
ps_pidtab_find(const struct ps_pidtab *t, int key, uint64_t *probes)
{
	const struct ps_pidtab_level *l = t->root;
	uint32_t k = (uint32_t)key;
	unsigned shift;

	++*probes;
	if (!l || key < 0 || (k >> t->shift) > PS_PIDTAB_MASK)
		return NULL;
	for (shift = t->shift; shift; shift -= PS_PIDTAB_SHIFT) {
		l = l->slot[(k >> shift) & PS_PIDTAB_MASK];
		if (!l)
			return NULL;
	}
	return l->slot[k & PS_PIDTAB_MASK];
}

/* Insert node, whose key (>= 0) is not in the table: 0 or -ENOMEM, and
 * then the table is as it was.  Counts one probe. */
int ps_pidtab_add(struct ps_mem *m, struct ps_pidtab *t,
		  struct ps_pidtab_node *node, uint64_t *probes);

/* Remove node, which is in the table.  Counts one probe. */
void ps_pidtab_del(struct ps_mem *m, struct ps_pidtab *t,
		   struct ps_pidtab_node *node, uint64_t *probes);

/* Free the levels kept for reuse in m (pidtab.c): before an image goes. */
void ps_pidtab_spare_drain(struct ps_mem *m);

/* The node with the lowest key, or NULL: for emptying a table. */
struct ps_pidtab_node *ps_pidtab_first(const struct ps_pidtab *t);

static inline unsigned ps_pidtab_count(const struct ps_pidtab *t)
{
	return t->count;
}

#endif
