/* debug.c - the test tree's hooks into an image (include/pidsim_debug.h). */
#include "pidsim_debug.h"

#include "internal.h"

void pidsim_debug_fail_alloc(pidsim_kernel *k, uint64_t nth)
{
	k->mem.fail_at = nth ? k->mem.allocs + nth : 0;
}

int pidsim_debug_fail_fired(const pidsim_kernel *k)
{
	return k->mem.fail_at == 0 || k->mem.allocs >= k->mem.fail_at;
}

uint64_t pidsim_debug_allocs(const pidsim_kernel *k)
{
	return k->mem.allocs;
}
