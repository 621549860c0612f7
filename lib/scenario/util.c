/*
 * util.c - the small containers the scenario code needs: the
 * label-name table, the task-handle table and a growable string.
 *
 * Both tables are uthash tables (uthash-dev), an entry per label or
 * handle, found by key in O(1).  The design card names uthash for hash
 * tables, and a maintained library with a documented out-of-memory mode
 * is less to get wrong than the two hand-rolled probing tables it
 * replaced.  uthash's chains are slower than probing, but these tables
 * are not on any measured path: the runner does not count its own
 * lookups, and the benchmarks do not parse or run scenarios.
 *
 * uthash allocates with malloc, as the rest of the scenario code does, so
 * the allocation-failure sweep (tests/prop/allocfail.c, linked with
 * --wrap=malloc) reaches these tables too.  With HASH_NONFATAL_OOM a
 * failed allocation inside HASH_ADD leaves the entry out of the table
 * (hh.tbl NULL) instead of exiting; the add then frees the entry and
 * returns -ENOMEM with the table as it was.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) malloc(sz)
#define uthash_free(ptr, sz) free(ptr)
#include <uthash.h>

#include "scenario.h"

/* ---- Label names ---------------------------------------------------------- */

/* An entry of the label-name table.  sc->names points at one of them
 * (uthash's head), NULL while the table is empty.  The key is a copy of
 * the name: sc->labels moves as the parser grows it. */
struct pidsim_sc_hash {
	UT_hash_handle hh;
	int idx;		/* into sc->labels */
	char name[];		/* the key, NUL-terminated */
};

int sc_names_find(const struct pidsim_scenario *sc, const char *s, size_t len)
{
	struct pidsim_sc_hash *e;

	HASH_FIND(hh, sc->names, s, len, e);
	return e ? e->idx : -1;
}

int sc_names_add(struct pidsim_scenario *sc, int idx)
{
	const char *name = sc->labels[idx].name;
	size_t len = strlen(name);
	struct pidsim_sc_hash *e;

	if (sc_names_find(sc, name, len) >= 0)
		return -EEXIST;		/* uthash: HASH_FIND before HASH_ADD */
	e = malloc(sizeof *e + len + 1);
	if (!e)
		return -ENOMEM;
	e->idx = idx;
	memcpy(e->name, name, len + 1);
	HASH_ADD_KEYPTR(hh, sc->names, e->name, len, e);
	if (!e->hh.tbl) {
		free(e);
		return -ENOMEM;
	}
	return 0;
}

void sc_names_free(struct pidsim_sc_hash *h)
{
	struct pidsim_sc_hash *e, *tmp;

	HASH_ITER(hh, h, e, tmp) {
		HASH_DEL(h, e);
		free(e);
	}
}

/* ---- Task handles ----------------------------------------------------------- */

struct sc_tid {
	UT_hash_handle hh;
	pidsim_tid tid;		/* the key */
	int label;
};

static struct sc_tid *tidmap_find(const struct sc_tidmap *m, pidsim_tid tid)
{
	struct sc_tid *e;

	HASH_FIND(hh, m->head, &tid, sizeof tid, e);
	return e;
}

int sc_tidmap_put(struct sc_tidmap *m, pidsim_tid tid, int label)
{
	struct sc_tid *e;

	if (tid == PIDSIM_NO_TASK)
		return 0;
	e = tidmap_find(m, tid);
	if (e) {
		e->label = label;
		return 0;
	}
	e = malloc(sizeof *e);
	if (!e)
		return -ENOMEM;
	e->tid = tid;
	e->label = label;
	HASH_ADD(hh, m->head, tid, sizeof e->tid, e);
	if (!e->hh.tbl) {
		free(e);
		return -ENOMEM;
	}
	return 0;
}

int sc_tidmap_find(const struct sc_tidmap *m, pidsim_tid tid)
{
	struct sc_tid *e = tid == PIDSIM_NO_TASK ? NULL : tidmap_find(m, tid);

	return e ? e->label : -1;
}

void sc_tidmap_free(struct sc_tidmap *m)
{
	struct sc_tid *e, *tmp;

	HASH_ITER(hh, m->head, e, tmp) {
		HASH_DEL(m->head, e);
		free(e);
	}
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
