/*
 * pidmap.h - one view's pid allocator: which numbers are taken, and the
 * cyclic rule for handing out the next one.
 *
 * This is the 2006 kernel's pidmap (kernel/pid.c: alloc_pidmap(),
 * next_pidmap()) with the wrap rule of today's alloc_pid(): numbers are
 * handed out cyclically, the next free one after the last one handed out,
 * and once the cursor has passed RESERVED_PIDS (300) the search wraps back
 * to 300 instead of 1, so that daemons started at boot keep low numbers.
 * Bitmap pages are allocated on first use and freed when empty, so a view
 * that holds ten tasks costs one page whatever its pid_max.
 *
 * Every design uses this same allocator for every view it keeps, so that a
 * difference in allocation cost between designs is a difference in how many
 * views they allocate from, not in how each allocates.
 */
#ifndef PS_PIDMAP_H
#define PS_PIDMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mem.h"

#define PS_PIDMAP_PAGE_BITS 4096

struct ps_pidmap {
	int pid_max;		/* numbers are 1 .. pid_max - 1 */
	int last;		/* last number handed out; 0 before the first */
	int skip_bit;		/* numbers with this bit set are never handed
				 * out (vpid-openvz's VPID_BIT); 0: none */
	int nr_pages;
	int nr_used;
	uint64_t **pages;	/* nr_pages pointers, NULL until first use */
	uint16_t *page_used;	/* numbers taken in each page */
};

/* 0 or -ENOMEM. */
int ps_pidmap_init(struct ps_mem *m, struct ps_pidmap *map, int pid_max);
void ps_pidmap_fini(struct ps_mem *m, struct ps_pidmap *map);

/* The next number by the cyclic rule, marked taken: > 0, -EAGAIN when the
 * view is full, -ENOMEM.  On failure nothing changes. */
int ps_pidmap_alloc(struct ps_mem *m, struct ps_pidmap *map);

/* The same, among the numbers below limit only. */
int ps_pidmap_alloc_below(struct ps_mem *m, struct ps_pidmap *map, int limit);

/* Take exactly nr, as clone3()'s set_tid does: nr, -EINVAL when nr is out of
 * range, -EEXIST when taken, -ENOMEM.  The cursor does not move. */
int ps_pidmap_take(struct ps_mem *m, struct ps_pidmap *map, int nr);

/* The number a fork or a restore gets: want, exactly, when it asks for
 * one (clone3()'s set_tid: -EINVAL at or past limit, -EEXIST when taken),
 * else the cyclic rule's below limit (a view's own pid_max, at most the
 * map's).  The cursor moves only for the cyclic rule. */
int ps_pidmap_alloc_want(struct ps_mem *m, struct ps_pidmap *map, int want,
			 int limit);

/* Undo the ps_pidmap_alloc() that returned nr when the cursor was last:
 * nr is free again and the cursor is back. */
void ps_pidmap_unalloc(struct ps_mem *m, struct ps_pidmap *map, int nr, int last);

/* Release nr, which must be taken; a page left empty is freed. */
void ps_pidmap_free(struct ps_mem *m, struct ps_pidmap *map, int nr);

bool ps_pidmap_taken(const struct ps_pidmap *map, int nr);

/* The first taken number >= nr, or 0 when there is none (next_pidmap()). */
int ps_pidmap_next(const struct ps_pidmap *map, int nr);

/* Bytes this allocator holds now. */
uint64_t ps_pidmap_bytes(const struct ps_pidmap *map);

#endif
