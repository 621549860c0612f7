/*
 * pidtab.h - a table from a number to a value: the pid hash.
 *
 * Every design keeps its lookup tables here (pidspace: one per container;
 * vpid: the internal pid table and each container's two-way map), so that
 * the cost of a table operation is the same in every design and a
 * difference between designs is a difference in how many table operations
 * they do, which the hash_probes counter counts.
 *
 * The table is uthash with an embedded handle per node, a NULL head, and
 * functions that change the table taking the head by address.  Keys are
 * ints, hashed with a cheap 32-bit mixer instead of uthash's Jenkins hash
 * (pids are small dense integers: the mixer spreads them as well, for a
 * fraction of the work).  uthash's own allocations are counted in the
 * image's ps_mem, and an allocation failure leaves the table as it was
 * (HASH_NONFATAL_OOM) and becomes -ENOMEM.
 *
 * Two choices of how uthash is used, made for lookup speed (make bench
 * measures them against a plain open-addressing hash):
 *   - the table doubles its buckets when it holds more items than buckets.
 *     uthash's own rule (double when one chain reaches 10) lets the mean
 *     chain reach 2 to 4 with a good hash, and every link is a cache miss
 *     into another task;
 *   - a find walks the bucket's chain comparing the keys themselves, not
 *     uthash's stored hash, key pointer and key length first: one cache
 *     line of each node instead of two.
 */
#ifndef PS_PIDTAB_H
#define PS_PIDTAB_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

/* The allocator uthash uses for the table being changed now; set by
 * ps_pidtab_add() and ps_pidtab_del() around every change. */
extern _Thread_local struct ps_mem *ps_pidtab_mem;

static inline uint32_t ps_pidtab_hash(uint32_t x)
{
	/* The finalizer of MurmurHash3: every input bit reaches the low bits
	 * that uthash uses to pick a bucket. */
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

#define HASH_NONFATAL_OOM 1
#define HASH_FUNCTION(keyptr, keylen, hashv)                                   \
	((hashv) = ps_pidtab_hash(*(const uint32_t *)(const void *)(keyptr)))
#define HASH_KEYCMP(a, b, n) (*(const int *)(const void *)(a) != *(const int *)(const void *)(b))
#define uthash_malloc(sz) ps_alloc(ps_pidtab_mem, (sz))
#define uthash_free(ptr, sz) ps_free(ps_pidtab_mem, (ptr), (sz))
#include <uthash.h>

struct ps_pidtab_node {
	int key;
	union {
		struct ps_task *task;
		int nr;
	} val;
	UT_hash_handle hh;
};

/* Find key: the node or NULL.  Counts one probe.  HASH_FIND's walk of
 * the key's bucket, comparing keys only (see above). */
static inline struct ps_pidtab_node *
ps_pidtab_find(struct ps_pidtab_node *head, int key, uint64_t *probes)
{
	const UT_hash_table *tbl;
	const UT_hash_handle *hh;
	unsigned bkt;

	++*probes;
	if (!head)
		return NULL;
	tbl = head->hh.tbl;
	HASH_TO_BKT(ps_pidtab_hash((uint32_t)key), tbl->num_buckets, bkt);
	for (hh = tbl->buckets[bkt].hh_head; hh; hh = hh->hh_next) {
		struct ps_pidtab_node *n = (struct ps_pidtab_node *)ELMT_FROM_HH(tbl, hh);

		if (n->key == key)
			return n;
	}
	return NULL;
}

/* Insert node (whose key is not in the table): 0 or -ENOMEM.  Keeps the
 * load at most one item per bucket; a failed doubling leaves the table
 * as it was, only fuller. */
static inline int ps_pidtab_add(struct ps_mem *m, struct ps_pidtab_node **head,
				struct ps_pidtab_node *node, uint64_t *probes)
{
	UT_hash_table *tbl;
	int oomed = 0;

	++*probes;
	ps_pidtab_mem = m;
	HASH_ADD(hh, *head, key, sizeof node->key, node);
	tbl = node->hh.tbl;
	if (!tbl)
		return -ENOMEM;
	tbl->noexpand = 1;		/* uthash's rule off: ours below */
	if (tbl->num_items > tbl->num_buckets)
		HASH_EXPAND_BUCKETS(&node->hh, tbl, oomed);
	(void)oomed;
	return 0;
}

/* Remove node, which is in the table. */
static inline void ps_pidtab_del(struct ps_mem *m, struct ps_pidtab_node **head,
				 struct ps_pidtab_node *node, uint64_t *probes)
{
	++*probes;
	ps_pidtab_mem = m;
	HASH_DELETE(hh, *head, node);
}

static inline unsigned ps_pidtab_count(const struct ps_pidtab_node *head)
{
	return head ? head->hh.tbl->num_items : 0;
}

#endif
