/*
 * weakref.h - weak task references.
 *
 * What is a weak task reference?
 *
 * The 2006 summary names the problem of PID spaces: once pids are no longer
 * unique in the kernel, whatever keeps a pid for later (F_SETOWN, a /proc
 * inode, a timer) must keep "the pointer to the task.  This later part
 * unfortunately has the problem of expired references to task structs.  I
 * think that Eric's patch on weak task references ... might come in handy.
 * Instead of storing the task pointer, one stores the task reference."
 * Eric Biederman's task_ref ("proc: don't lock task_structs indefinitely",
 * 2006) put a pointer to the task in a small shared object that the task
 * clears when it goes away; Linux kept the idea as struct pid (pid.h: "a
 * new struct pid is allocated when the numeric pid value is reused").
 *
 * The model keeps the same guarantee with a table of slots: each task owns
 * one slot while it exists, and a reference is the slot's index together
 * with the slot's generation.  Releasing the task bumps the generation, so
 * an old reference resolves to nothing, never to the task that reuses the
 * slot or the number.  Taking and resolving a reference are O(1): an index
 * and a compare, with no search.  A slot whose generation would wrap is
 * retired, so the guarantee holds for any number of reuses.
 */
#ifndef PS_WEAKREF_H
#define PS_WEAKREF_H

#include <stdint.h>

#include "mem.h"

typedef uint64_t ps_ref;	/* generation << 32 | (slot + 1); 0: none */

struct ps_ref_slot {
	void *obj;		/* NULL while the slot is free */
	uint32_t gen;
	uint32_t next_free;	/* slot + 1 of the next free slot; 0: end */
};

struct ps_reftab {
	struct ps_ref_slot *slots;
	uint32_t nr;		/* slots in use or on the free list */
	uint32_t cap;
	uint32_t free_head;	/* slot + 1; 0: none */
};

void ps_reftab_init(struct ps_reftab *t);
void ps_reftab_fini(struct ps_mem *m, struct ps_reftab *t);

/* Make sure the next ps_ref_attach() has a slot: 0 or -ENOMEM.  The
 * table may grow, and stays grown. */
int ps_ref_reserve(struct ps_mem *m, struct ps_reftab *t);

/* Undo a ps_ref_reserve() that found the table at capacity cap. */
void ps_ref_unreserve(struct ps_mem *m, struct ps_reftab *t, uint32_t cap);

/* Give obj a slot: a reference to it, or 0 on -ENOMEM. */
ps_ref ps_ref_attach(struct ps_mem *m, struct ps_reftab *t, void *obj);

/* Release the slot ref names: every reference to it resolves to NULL. */
void ps_ref_detach(struct ps_reftab *t, ps_ref ref);

/* The slot a reference names, 0 .. nr - 1 (for tables indexed by it);
 * meaningful for a reference that resolves. */
static inline uint32_t ps_ref_index(ps_ref ref)
{
	return (uint32_t)ref - 1;
}

/* What ref names now, or NULL. */
static inline void *ps_ref_resolve(const struct ps_reftab *t, ps_ref ref)
{
	uint32_t slot = ps_ref_index(ref);	/* ref 0 wraps to UINT32_MAX */

	if (slot >= t->nr || t->slots[slot].gen != (uint32_t)(ref >> 32))
		return NULL;
	return t->slots[slot].obj;
}

uint64_t ps_reftab_bytes(const struct ps_reftab *t);

#endif
