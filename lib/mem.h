/*
 * mem.h - every byte the model allocates, counted per kernel image.
 *
 * The benchmarks report bytes per task for each design, so all memory goes
 * through here: the model's own objects, the allocators' bitmaps and the
 * pid tables (see pidtab.h).  A test build can make the N-th allocation
 * fail, as SQLite's malloc tests do, to check that every failing call
 * returns -ENOMEM and changes nothing.
 */
#ifndef PS_MEM_H
#define PS_MEM_H

#include <stddef.h>
#include <stdint.h>

struct ps_mem {
	uint64_t bytes;		/* allocated now */
	uint64_t peak;		/* most ever allocated at once */
	uint64_t allocs;	/* calls to ps_alloc/ps_realloc */
	uint64_t fail_at;	/* fail the allocation with this allocs value; 0: never */
	void *pidtab_spare;	/* pid-table levels kept for reuse (pidtab.c) */
	unsigned nr_pidtab_spare;
};

void *ps_alloc(struct ps_mem *m, size_t size);
void *ps_zalloc(struct ps_mem *m, size_t size);
/* Like realloc(), but a failure leaves *p untouched and returns -ENOMEM. */
int ps_realloc(struct ps_mem *m, void **p, size_t old_size, size_t new_size);
void ps_free(struct ps_mem *m, void *p, size_t size);
/* Give back the end of a block: never fails (if realloc() will not
 * shrink it, the block stays as it was) and is never made to fail.
 * Returns the size the block has now. */
size_t ps_shrink(struct ps_mem *m, void **p, size_t old_size, size_t new_size);

/* 1 in an AddressSanitizer build: the caches of freed objects (tasks,
 * pid-table levels) keep nothing then, so that a use after free is caught. */
#if defined(__SANITIZE_ADDRESS__)
#define PS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PS_ASAN 1
#endif
#endif
#ifndef PS_ASAN
#define PS_ASAN 0
#endif

/*
 * A block an allocator keeps for reuse instead of freeing (pidtab.c's
 * spare levels) is free memory, as malloc's own free lists are: out of
 * the image's bytes while kept (ps_mem_keep), back in when reused
 * (ps_mem_reuse, which never fails), and freed with ps_free_kept().  So a
 * call that fails and puts back what it took leaves the bytes as they were.
 */
void ps_mem_keep(struct ps_mem *m, size_t size);
void ps_mem_reuse(struct ps_mem *m, size_t size);
void ps_free_kept(void *p);

#endif
