/*
 * pidtab.c - the pid table's changes: insert, delete, first.  See pidtab.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "pidtab.h"

static unsigned idx(uint32_t key, unsigned level)
{
	return (key >> (PS_PIDTAB_SHIFT * (level - 1))) & PS_PIDTAB_MASK;
}

/*
 * Levels freed are kept for the next insert, a few per image (a slab's
 * per-CPU array in miniature): fork + exit + wait with the cursor in an
 * empty stretch of numbers would otherwise make and free a leaf every
 * cycle.  Kept levels are free memory, not in the image's bytes (mem.h).
 * Sanitizer builds keep none, so that a use after free is caught.
 */
#define PS_PIDTAB_SPARE_MAX (PS_ASAN ? 0 : 256)

/* An empty level, a kept one if there is one (*kept then says so).  A
 * level is only ever freed empty, so a kept one is all NULL but the link. */
static struct ps_pidtab_level *level_alloc(struct ps_mem *m, bool *kept)
{
	struct ps_pidtab_level *l = m->pidtab_spare;

	*kept = l != NULL;
	if (l) {
		m->pidtab_spare = l->slot[0];
		m->nr_pidtab_spare--;
		l->slot[0] = NULL;
		ps_mem_reuse(m, sizeof *l);
	} else {
		l = ps_alloc(m, sizeof *l);
		if (l)
			memset(l, 0, sizeof *l);
	}
	return l;
}

/* Keep l, which is empty, for reuse. */
static void level_keep(struct ps_mem *m, struct ps_pidtab_level *l)
{
	PS_BUG_ON(l->count);
	ps_mem_keep(m, sizeof *l);
	l->slot[0] = m->pidtab_spare;
	m->pidtab_spare = l;
	m->nr_pidtab_spare++;
}

static void level_free(struct ps_mem *m, struct ps_pidtab_level *l)
{
	if (m->nr_pidtab_spare < PS_PIDTAB_SPARE_MAX)
		level_keep(m, l);
	else
		ps_free(m, l, sizeof *l);
}

void ps_pidtab_spare_drain(struct ps_mem *m)
{
	while (m->pidtab_spare) {
		struct ps_pidtab_level *l = m->pidtab_spare;

		m->pidtab_spare = l->slot[0];
		ps_free_kept(l);
	}
	m->nr_pidtab_spare = 0;
}

/* The height a tree needs to hold key and what it holds now. */
static unsigned height_for(const struct ps_pidtab *t, uint32_t key)
{
	unsigned h = t->height ? t->height : 1;

	while (!ps_pidtab_fits(h, key))
		h++;
	return h;
}

/* How many levels an insert of key into a tree of height h must make. */
static unsigned levels_needed(const struct ps_pidtab *t, uint32_t key,
			      unsigned h)
{
	const struct ps_pidtab_level *l = t->root;

	if (!l)
		return h;
	if (h > t->height)	/* new roots, then a new path under the top */
		return (h - t->height) + (h - 1);
	for (unsigned level = h; level > 1; level--) {
		l = l->slot[idx(key, level)];
		if (!l)
			return level - 1;
	}
	return 0;
}

/* need new levels into fresh[], all or none: 0 or -ENOMEM, with what was
 * taken put back (the kept ones in the order they were kept), so that
 * nothing has changed. */
static int levels_take(struct ps_mem *m, struct ps_pidtab_level **fresh,
		       unsigned need)
{
	bool kept[2 * PS_PIDTAB_MAX_HEIGHT];

	for (unsigned i = 0; i < need; i++) {
		fresh[i] = level_alloc(m, &kept[i]);
		if (fresh[i])
			continue;
		while (i--) {
			if (kept[i])
				level_keep(m, fresh[i]);
			else
				ps_free(m, fresh[i], sizeof *fresh[i]);
		}
		return -ENOMEM;
	}
	return 0;
}

int ps_pidtab_add(struct ps_mem *m, struct ps_pidtab *t,
		  struct ps_pidtab_node *node, uint64_t *probes)
{
	struct ps_pidtab_level *fresh[2 * PS_PIDTAB_MAX_HEIGHT], *l;
	uint32_t key = (uint32_t)node->key;
	unsigned h, need, used = 0;
	void **slot;

	++*probes;
	PS_BUG_ON(node->key < 0);
	h = height_for(t, key);
	need = levels_needed(t, key, h);
	if (levels_take(m, fresh, need))
		return -ENOMEM;

	/* Nothing can fail from here on. */
	if (t->root) {
		while (t->height < h) {
			l = fresh[used++];
			l->slot[0] = t->root;
			l->count = 1;
			t->root = l;
			t->height++;
		}
	}
	t->height = h;
	t->shift = PS_PIDTAB_SHIFT * (h - 1);
	slot = (void **)&t->root;
	l = NULL;
	for (unsigned level = h; level >= 1; level--) {
		if (!*slot) {
			*slot = fresh[used++];
			if (l)
				l->count++;
		}
		l = *slot;
		slot = &l->slot[idx(key, level)];
	}
	PS_BUG_ON(*slot);
	PS_BUG_ON(used != need);
	*slot = node;
	l->count++;
	t->count++;
	return 0;
}

void ps_pidtab_del(struct ps_mem *m, struct ps_pidtab *t,
		   struct ps_pidtab_node *node, uint64_t *probes)
{
	struct ps_pidtab_level *path[PS_PIDTAB_MAX_HEIGHT + 1];
	uint32_t key = (uint32_t)node->key;
	unsigned level;

	++*probes;
	PS_BUG_ON(!t->root || node->key < 0 || !ps_pidtab_fits(t->height, key));
	path[t->height] = t->root;
	for (level = t->height; level > 1; level--) {
		path[level - 1] = path[level]->slot[idx(key, level)];
		PS_BUG_ON(!path[level - 1]);
	}
	PS_BUG_ON(path[1]->slot[key & PS_PIDTAB_MASK] != node);
	path[1]->slot[key & PS_PIDTAB_MASK] = NULL;
	t->count--;

	/* Free the levels this leaves empty, from the leaf up. */
	for (level = 1; level <= t->height && --path[level]->count == 0; level++) {
		level_free(m, path[level]);
		if (level == t->height) {
			t->root = NULL;
			t->height = 0;
			t->shift = 0;
			return;
		}
		path[level + 1]->slot[idx(key, level + 1)] = NULL;
	}

	/* Drop roots that only lead to slot 0: the tree is as tall as its
	 * largest key needs. */
	while (t->height > 1 && t->root->count == 1 && t->root->slot[0]) {
		struct ps_pidtab_level *old = t->root;

		t->root = old->slot[0];
		t->height--;
		t->shift -= PS_PIDTAB_SHIFT;
		old->slot[0] = NULL;	/* empty, as every freed level */
		old->count = 0;
		level_free(m, old);
	}
}

struct ps_pidtab_node *ps_pidtab_first(const struct ps_pidtab *t)
{
	const struct ps_pidtab_level *l = t->root;

	for (unsigned level = t->height; l; level--) {
		unsigned i = 0;

		while (!l->slot[i])
			i++;	/* a level in the tree is never empty */
		if (level == 1)
			return l->slot[i];
		l = l->slot[i];
	}
	return NULL;
}
