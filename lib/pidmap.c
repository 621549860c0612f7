/* pidmap.c - the cyclic pid allocator of one view (see pidmap.h). */
#include "pidmap.h"

#include <errno.h>

#include "check.h"
#include "pidsim.h"

#define PAGE_BITS PS_PIDMAP_PAGE_BITS
#define PAGE_WORDS (PAGE_BITS / 64)
#define PAGE_BYTES (PAGE_WORDS * sizeof(uint64_t))

static uint64_t top_bytes(int nr_pages)
{
	return (uint64_t)nr_pages * (sizeof(uint64_t *) + sizeof(uint16_t));
}

int ps_pidmap_init(struct ps_mem *m, struct ps_pidmap *map, int pid_max)
{
	int nr_pages = (pid_max + PAGE_BITS - 1) / PAGE_BITS;

	map->pid_max = pid_max;
	map->last = 0;
	map->skip_bit = 0;
	map->nr_pages = nr_pages;
	map->nr_used = 0;
	map->pages = ps_zalloc(m, top_bytes(nr_pages));
	if (!map->pages)
		return -ENOMEM;
	map->page_used = (uint16_t *)(map->pages + nr_pages);
	return 0;
}

void ps_pidmap_fini(struct ps_mem *m, struct ps_pidmap *map)
{
	for (int i = 0; i < map->nr_pages; i++)
		ps_free(m, map->pages[i], PAGE_BYTES);
	ps_free(m, map->pages, top_bytes(map->nr_pages));
	map->pages = NULL;
}

/* First number in [from, to) not taken, or -1. */
static int find_zero(const struct ps_pidmap *map, int from, int to)
{
	while (from < to) {
		int p = from / PAGE_BITS, page_end = (p + 1) * PAGE_BITS;
		const uint64_t *page = map->pages[p];

		if (!page)
			return from;
		if (map->page_used[p] < PAGE_BITS) {
			for (int nr = from; nr < page_end && nr < to;) {
				int bit = nr % 64;
				uint64_t free = ~page[(nr % PAGE_BITS) / 64] >> bit;

				if (free) {
					nr += __builtin_ctzll(free);
					return nr < to ? nr : -1;
				}
				nr += 64 - bit;
			}
		}
		from = page_end;
	}
	return -1;
}

/* First number in [from, to) that may be handed out, or -1. */
static int find_free(const struct ps_pidmap *map, int from, int to)
{
	for (;;) {
		int nr = find_zero(map, from, to);

		if (nr < 0 || !(nr & map->skip_bit))
			return nr;
		/* The next number with skip_bit clear. */
		from = (nr | (2 * map->skip_bit - 1)) + 1;
	}
}

static int set_taken(struct ps_mem *m, struct ps_pidmap *map, int nr)
{
	int p = nr / PAGE_BITS, bit = nr % PAGE_BITS;

	if (!map->pages[p]) {
		map->pages[p] = ps_zalloc(m, PAGE_BYTES);
		if (!map->pages[p])
			return -ENOMEM;
	}
	map->pages[p][bit / 64] |= 1ull << (bit % 64);
	map->page_used[p]++;
	map->nr_used++;
	return nr;
}

int ps_pidmap_alloc(struct ps_mem *m, struct ps_pidmap *map)
{
	return ps_pidmap_alloc_below(m, map, map->pid_max);
}

int ps_pidmap_alloc_below(struct ps_mem *m, struct ps_pidmap *map, int limit)
{
	/* alloc_pid(): "init really needs pid 1, but after reaching the
	 * maximum wrap back to RESERVED_PIDS". */
	int low = map->last >= PIDSIM_RESERVED_PIDS ? PIDSIM_RESERVED_PIDS : 1;
	int nr;

#ifdef PS_MUTANT_WRAP_TO_1
	low = 1;	/* mutant (make mutants): wrap past the reserved pids */
#endif

	if (limit > map->pid_max)
		limit = map->pid_max;
	nr = find_free(map, map->last + 1, limit);
	if (nr < 0)
		nr = find_free(map, low, map->last + 1 < limit ? map->last + 1 : limit);
	if (nr < 0)
		return -EAGAIN;
	nr = set_taken(m, map, nr);
	if (nr > 0)
		map->last = nr;
	return nr;
}

int ps_pidmap_take(struct ps_mem *m, struct ps_pidmap *map, int nr)
{
	if (nr < 1 || nr >= map->pid_max)
		return -EINVAL;
	if (ps_pidmap_taken(map, nr))
		return -EEXIST;
	return set_taken(m, map, nr);
}

int ps_pidmap_alloc_want(struct ps_mem *m, struct ps_pidmap *map, int want,
			 int limit)
{
	if (!want)
		return ps_pidmap_alloc_below(m, map, limit);
	if (want >= limit)
		return -EINVAL;
	return ps_pidmap_take(m, map, want);
}

void ps_pidmap_free(struct ps_mem *m, struct ps_pidmap *map, int nr)
{
	int p = nr / PAGE_BITS, bit = nr % PAGE_BITS;

	PS_BUG_ON(!ps_pidmap_taken(map, nr));
	map->pages[p][bit / 64] &= ~(1ull << (bit % 64));
	map->nr_used--;
	if (--map->page_used[p] == 0) {
		/* An empty page goes back, so that memory follows the
		 * tasks and a failed allocation leaves no page behind. */
		ps_free(m, map->pages[p], PAGE_BYTES);
		map->pages[p] = NULL;
	}
}

void ps_pidmap_unalloc(struct ps_mem *m, struct ps_pidmap *map, int nr, int last)
{
	ps_pidmap_free(m, map, nr);
	map->last = last;
}

bool ps_pidmap_taken(const struct ps_pidmap *map, int nr)
{
	const uint64_t *page;

	if (nr < 1 || nr >= map->pid_max)
		return false;
	page = map->pages[nr / PAGE_BITS];
	return page && (page[(nr % PAGE_BITS) / 64] >> (nr % 64) & 1);
}

int ps_pidmap_next(const struct ps_pidmap *map, int nr)
{
	if (nr < 1)
		nr = 1;
	while (nr < map->pid_max) {
		int p = nr / PAGE_BITS, page_end = (p + 1) * PAGE_BITS;
		const uint64_t *page = map->pages[p];

		if (page && map->page_used[p]) {
			for (; nr < page_end && nr < map->pid_max;) {
				int bit = nr % 64;
				uint64_t used = page[(nr % PAGE_BITS) / 64] >> bit;

				if (used) {
					nr += __builtin_ctzll(used);
					return nr < map->pid_max ? nr : 0;
				}
				nr += 64 - bit;
			}
		}
		nr = page_end;
	}
	return 0;
}

uint64_t ps_pidmap_bytes(const struct ps_pidmap *map)
{
	uint64_t bytes = top_bytes(map->nr_pages);

	for (int i = 0; i < map->nr_pages; i++)
		if (map->pages[i])
			bytes += PAGE_BYTES;
	return bytes;
}
