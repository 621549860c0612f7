/*
 * scenario_util.c - the small containers the scenario code needs: the
 * label-name table, the task-handle table and a growable string.
 *
 * Both tables use open addressing with linear probing, grow at half full,
 * and never delete (labels and handles are never forgotten during a run),
 * so a lookup stays O(1) for files of any length the parser accepts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

/* FNV-1a: names are short; any decent spread will do. */
static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/* splitmix64's finalizer, for handles. */
static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

/* ---- Label names ---------------------------------------------------------- */

static bool label_is(const struct pidsim_scenario *sc, int idx, const char *s,
		     size_t len)
{
	const char *name = sc->labels[idx].name;

	return strlen(name) == len && memcmp(name, s, len) == 0;
}

int sc_names_find(const struct pidsim_scenario *sc, const char *s, size_t len)
{
	const struct pidsim_sc_hash *h = sc->names;
	size_t i;

	if (!h || !h->cap)
		return -1;
	for (i = hash_bytes(s, len) & (h->cap - 1); h->slots[i] >= 0;
	     i = (i + 1) & (h->cap - 1))
		if (label_is(sc, h->slots[i], s, len))
			return h->slots[i];
	return -1;
}

static void names_insert(const struct pidsim_scenario *sc, int *slots,
			 size_t cap, int idx)
{
	const char *name = sc->labels[idx].name;
	size_t i = hash_bytes(name, strlen(name)) & (cap - 1);

	while (slots[i] >= 0)
		i = (i + 1) & (cap - 1);
	slots[i] = idx;
}

/* Double the table (or make the first one), rehashing every label. */
static int names_grow(struct pidsim_scenario *sc)
{
	struct pidsim_sc_hash *h = sc->names;
	size_t cap = h->cap ? h->cap * 2 : 64;
	int *slots = malloc(cap * sizeof *slots);

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		slots[i] = -1;
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i] >= 0)
			names_insert(sc, slots, cap, h->slots[i]);
	free(h->slots);
	h->slots = slots;
	h->cap = cap;
	return 0;
}

int sc_names_add(struct pidsim_scenario *sc, int idx)
{
	if (!sc->names) {
		sc->names = calloc(1, sizeof *sc->names);
		if (!sc->names)
			return -ENOMEM;
	}
	if ((sc->names->used + 1) * 2 > sc->names->cap && names_grow(sc))
		return -ENOMEM;
	names_insert(sc, sc->names->slots, sc->names->cap, idx);
	sc->names->used++;
	return 0;
}

void sc_names_free(struct pidsim_sc_hash *h)
{
	if (!h)
		return;
	free(h->slots);
	free(h);
}

/* ---- Task handles ----------------------------------------------------------- */

static size_t tidmap_slot(const uint64_t *keys, size_t cap, pidsim_tid tid)
{
	size_t i = hash_u64(tid) & (cap - 1);

	while (keys[i] != PIDSIM_NO_TASK && keys[i] != tid)
		i = (i + 1) & (cap - 1);
	return i;
}

static int tidmap_grow(struct sc_tidmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	uint64_t *keys = calloc(cap, sizeof *keys);
	int *vals = malloc(cap * sizeof *vals);

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] != PIDSIM_NO_TASK) {
			size_t j = tidmap_slot(keys, cap, m->keys[i]);

			keys[j] = m->keys[i];
			vals[j] = m->vals[i];
		}
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

int sc_tidmap_put(struct sc_tidmap *m, pidsim_tid tid, int label)
{
	size_t i;

	if (tid == PIDSIM_NO_TASK)
		return 0;
	if ((m->used + 1) * 2 > m->cap && tidmap_grow(m))
		return -ENOMEM;
	i = tidmap_slot(m->keys, m->cap, tid);
	if (m->keys[i] == PIDSIM_NO_TASK)
		m->used++;
	m->keys[i] = tid;
	m->vals[i] = label;
	return 0;
}

int sc_tidmap_get(const struct sc_tidmap *m, pidsim_tid tid)
{
	size_t i;

	if (!m->cap || tid == PIDSIM_NO_TASK)
		return -1;
	i = tidmap_slot(m->keys, m->cap, tid);
	return m->keys[i] == tid ? m->vals[i] : -1;
}

void sc_tidmap_free(struct sc_tidmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ---- Growable strings ------------------------------------------------------- */

void sc_buf_vprintf(struct sc_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	if (b->oom)
		return;
	va_copy(again, ap);
	n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0,
		      fmt, ap);
	if (n >= 0 && b->len + (size_t)n + 1 > b->cap) {
		size_t cap = (b->len + (size_t)n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->oom = true;
			va_end(again);
			return;
		}
		b->p = p;
		b->cap = cap;
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, again);
	}
	va_end(again);
	if (n < 0)
		b->oom = true;
	else
		b->len += (size_t)n;
}

void sc_buf_printf(struct sc_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sc_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *sc_buf_str(const struct sc_buf *b)
{
	return b->p && !b->oom ? b->p : "";
}

char *sc_buf_take(struct sc_buf *b)
{
	char *p = b->oom ? NULL : b->p;

	if (!p && !b->oom)
		p = calloc(1, 1);	/* an empty string is still a string */
	if (b->oom)
		free(b->p);
	memset(b, 0, sizeof *b);
	return p;
}

void sc_buf_free(struct sc_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}
