/* mem.c - counted allocation with optional injected failure. */
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int should_fail(struct ps_mem *m)
{
	return ++m->allocs == m->fail_at;
}

static void account(struct ps_mem *m, size_t size)
{
	m->bytes += size;
	if (m->bytes > m->peak)
		m->peak = m->bytes;
}

void *ps_alloc(struct ps_mem *m, size_t size)
{
	void *p;

	if (should_fail(m))
		return NULL;
	p = malloc(size);
	if (p)
		account(m, size);
	return p;
}

/*
 * malloc() then memset(), kept apart on purpose: gcc fuses the pair into
 * calloc(), which in glibc 2.36 bypasses the per-thread cache (tcache) and
 * so makes every fork after an exit take malloc's slow path instead of
 * reusing the task just freed (make bench's churn: about a fifth of a
 * fork + exit + wait cycle).  The empty asm tells the compiler the block
 * may have been written, so it cannot assume calloc's zeroes.
 */
void *ps_zalloc(struct ps_mem *m, size_t size)
{
	void *p = ps_alloc(m, size);

	if (p) {
		__asm__ volatile("" : : "r"(p) : "memory");
		memset(p, 0, size);
	}
	return p;
}

int ps_realloc(struct ps_mem *m, void **p, size_t old_size, size_t new_size)
{
	void *q;

	if (should_fail(m))
		return -ENOMEM;
	q = realloc(*p, new_size);
	if (!q)
		return -ENOMEM;
	*p = q;
	m->bytes -= old_size;
	account(m, new_size);
	return 0;
}

size_t ps_shrink(struct ps_mem *m, void **p, size_t old_size, size_t new_size)
{
	void *q = new_size ? realloc(*p, new_size) : NULL;

	if (!new_size) {
		free(*p);
		*p = NULL;
	} else if (!q) {
		return old_size;
	} else {
		*p = q;
	}
	m->bytes -= old_size - new_size;
	return new_size;
}

void ps_mem_keep(struct ps_mem *m, size_t size)
{
	m->bytes -= size;
}

void ps_mem_reuse(struct ps_mem *m, size_t size)
{
	account(m, size);
}

void ps_free_kept(void *p)
{
	free(p);
}

void ps_free(struct ps_mem *m, void *p, size_t size)
{
	if (!p)
		return;
	m->bytes -= size;
	free(p);
}
