/* weakref.c - generation-checked slots (see weakref.h). */
#include "weakref.h"

#include <errno.h>

#include "check.h"

void ps_reftab_init(struct ps_reftab *t)
{
	t->slots = NULL;
	t->nr = t->cap = t->free_head = 0;
}

void ps_reftab_fini(struct ps_mem *m, struct ps_reftab *t)
{
	ps_free(m, t->slots, (size_t)t->cap * sizeof *t->slots);
	ps_reftab_init(t);
}

static ps_ref ref_of(const struct ps_reftab *t, uint32_t slot)
{
	return (uint64_t)t->slots[slot].gen << 32 | (slot + 1);
}

int ps_ref_reserve(struct ps_mem *m, struct ps_reftab *t)
{
	uint32_t cap = t->cap ? t->cap * 2 : 64;
	void *p = t->slots;

	if (t->free_head || t->nr < t->cap)
		return 0;
	if (t->cap >= UINT32_MAX / 2 ||
	    ps_realloc(m, &p, (size_t)t->cap * sizeof *t->slots,
		       (size_t)cap * sizeof *t->slots))
		return -ENOMEM;
	t->slots = p;
	t->cap = cap;
	return 0;
}

void ps_ref_unreserve(struct ps_mem *m, struct ps_reftab *t, uint32_t cap)
{
	void *p = t->slots;

	if (t->cap <= cap || t->nr > cap)
		return;
	t->cap = (uint32_t)(ps_shrink(m, &p, (size_t)t->cap * sizeof *t->slots,
				      (size_t)cap * sizeof *t->slots) /
			    sizeof *t->slots);
	t->slots = p;
}

ps_ref ps_ref_attach(struct ps_mem *m, struct ps_reftab *t, void *obj)
{
	uint32_t slot;

	if (t->free_head) {
		slot = t->free_head - 1;
		t->free_head = t->slots[slot].next_free;
	} else {
		if (ps_ref_reserve(m, t))
			return 0;
		slot = t->nr++;
		t->slots[slot].gen = 1;
	}
	t->slots[slot].obj = obj;
	t->slots[slot].next_free = 0;
	return ref_of(t, slot);
}

void ps_ref_detach(struct ps_reftab *t, ps_ref ref)
{
	uint32_t slot = (uint32_t)ref - 1;
	struct ps_ref_slot *s = &t->slots[slot];

	PS_BUG_ON(slot >= t->nr || s->gen != (uint32_t)(ref >> 32) || !s->obj);
	s->obj = NULL;
	if (++s->gen == 0)
		return;		/* retired: its generations are used up */
#ifdef PS_MUTANT_WEAKREF_NO_GENERATION
	/* mutant (make mutants): the slot keeps its generation, so an old
	 * reference names the slot's next task */
	s->gen--;
#endif
	s->next_free = t->free_head;
	t->free_head = slot + 1;
}

uint64_t ps_reftab_bytes(const struct ps_reftab *t)
{
	return (uint64_t)t->cap * sizeof *t->slots;
}
