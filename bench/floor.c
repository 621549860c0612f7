/*
 * floor.c - the reference rows: the least a pid -> task table can cost.
 *
 * A plain array indexed by pid is the floor of any lookup: one load.  A
 * plain open-addressing hash (linear probing, at most half full, with
 * MurmurHash3's finalizer) is the floor of a hashed lookup, and the figure
 * the pidspace design's target is set against.  Neither
 * counts, allocates per item, or checks a caller: they show what the
 * model's own machinery costs on top.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return p;
}

void floor_array_init(struct floor_array *a, int size)
{
	a->slot = xcalloc((size_t)size, sizeof *a->slot);
	a->size = size;
}

void floor_array_fini(struct floor_array *a)
{
	free(a->slot);
	a->slot = NULL;
}

void floor_hash_init(struct floor_hash *h, uint32_t max_items)
{
	uint32_t cap = (uint32_t)pow2_ceil(2 * (long)max_items + 2);

	h->slot = xcalloc(cap, sizeof *h->slot);
	h->mask = cap - 1;
	h->count = 0;
}

void floor_hash_fini(struct floor_hash *h)
{
	free(h->slot);
	h->slot = NULL;
}

/* The finalizer of MurmurHash3: every input bit reaches the low bits
 * the mask keeps (pids are dense: an identity hash would cluster). */
static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/* Keys are pids, so > 0: key 0 marks an empty slot. */
static uint32_t home(const struct floor_hash *h, int key)
{
	return hash32((uint32_t)key) & h->mask;
}

void floor_hash_put(struct floor_hash *h, int key, struct floor_task *t)
{
	uint32_t i = home(h, key);

	while (h->slot[i].key && h->slot[i].key != key)
		i = (i + 1) & h->mask;
	h->count += !h->slot[i].key;
	h->slot[i].key = key;
	h->slot[i].task = t;
}

struct floor_task *floor_hash_get(const struct floor_hash *h, int key)
{
	for (uint32_t i = home(h, key);; i = (i + 1) & h->mask) {
		if (h->slot[i].key == key)
			return h->slot[i].task;
		if (!h->slot[i].key)
			return NULL;
	}
}

/* Knuth's deletion for linear probing (Algorithm R): move later entries
 * of the run back into the hole, so no tombstones slow the finds. */
void floor_hash_del(struct floor_hash *h, int key)
{
	uint32_t i = home(h, key), j;

	while (h->slot[i].key != key) {
		if (!h->slot[i].key)
			return;
		i = (i + 1) & h->mask;
	}
	for (j = (i + 1) & h->mask; h->slot[j].key; j = (j + 1) & h->mask) {
		uint32_t k = home(h, h->slot[j].key);

		/* j's entry may fill hole i when its home is not in (i, j]. */
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			h->slot[i] = h->slot[j];
			i = j;
		}
	}
	h->slot[i].key = 0;
	h->slot[i].task = NULL;
	h->count--;
}

/* ---- A plain cyclic pid bitmap, for the churn floor ---------------------- */

void floor_bits_init(struct floor_bits *b, int pid_max)
{
	b->word = xcalloc((size_t)pid_max / 64 + 1, sizeof *b->word);
	b->pid_max = pid_max;
	b->last = 0;
	b->word[0] = 1;		/* 0 is no pid */
}

void floor_bits_fini(struct floor_bits *b)
{
	free(b->word);
	b->word = NULL;
}

/* First clear bit in [from, to), or -1. */
static int first_clear(const struct floor_bits *b, int from, int to)
{
	while (from < to) {
		uint64_t free = ~b->word[from / 64] >> (from % 64);

		if (free) {
			from += __builtin_ctzll(free);
			return from < to ? from : -1;
		}
		from = (from / 64 + 1) * 64;
	}
	return -1;
}

int floor_bits_alloc(struct floor_bits *b)
{
	int nr = first_clear(b, b->last + 1, b->pid_max);

	if (nr < 0)
		nr = first_clear(b, 1, b->last + 1);
	if (nr < 0)
		return -1;
	b->word[nr / 64] |= 1ull << (nr % 64);
	b->last = nr;
	return nr;
}

void floor_bits_free(struct floor_bits *b, int nr)
{
	b->word[nr / 64] &= ~(1ull << (nr % 64));
}
