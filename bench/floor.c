/*
 * floor.c - the reference rows: the least a pid -> task table can cost.
 *
 * A plain array indexed by pid is the floor of any lookup: one load.  A
 * tight radix tree (below) is the strong table beside it: what a pid
 * table that can hold a sparse range of numbers costs at least.  Neither
 * counts, allocates per item, or checks a caller: they show what the
 * model's own machinery costs on top.
 *
 * Not a hash: a hash's churn writes random slots across a table that the
 * designs' tables move through in order, so a busy machine slows it
 * several times more than the designs, and ratios to it invert.
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

/*
 * The strong table: a radix tree of 256-slot levels, as the designs' pid
 * tables (lib/pidtab.h) and Linux's IDR, cut to the least: its height
 * fixed when it is made (the digits of pid_max - 1), the walk unrolled by
 * height, no counters, levels kept when they empty.  The designs' tables
 * do the same walk with more around it, and touch memory in the same
 * order (a churn moves through the leaves in order), so a busy machine
 * slows both alike: the ratio between them is the model's overhead.
 */
void floor_radix_init(struct floor_radix *t, int pid_max)
{
	t->height = 1;
	while (t->height < 3 && ((pid_max - 1) >> (8 * t->height)))
		t->height++;
	t->limit = 1u << (8 * t->height);
	t->root = xcalloc(1, sizeof *t->root);
}

static void radix_free(struct floor_radix_node *n, int height)
{
	if (!n)
		return;
	for (int i = 0; height > 1 && i < 256; i++)
		radix_free(n->slot[i], height - 1);
	free(n);
}

void floor_radix_fini(struct floor_radix *t)
{
	radix_free(t->root, t->height);
	t->root = NULL;
}

void floor_radix_put(struct floor_radix *t, int key, struct floor_task *task)
{
	struct floor_radix_node *n = t->root;

	for (int h = t->height - 1; h > 0; h--) {
		void **slot = &n->slot[(key >> (8 * h)) & 255];

		if (!*slot)
			*slot = xcalloc(1, sizeof *n);
		n = *slot;
	}
	n->slot[key & 255] = task;
}

void floor_radix_del(struct floor_radix *t, int key)
{
	struct floor_radix_node *n = t->root;

	for (int h = t->height - 1; n && h > 0; h--)
		n = n->slot[(key >> (8 * h)) & 255];
	if (n)
		n->slot[key & 255] = NULL;
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
