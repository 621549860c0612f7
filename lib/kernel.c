/*
 * kernel.c - a kernel image: booted with host init as pid 1 of the host
 * container on the design it names, destroyed with everything in it, and
 * its counters (pidsim.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "pidtab.h"
#include "task.h"

int pidsim_kernel_create(const char *name, int pid_max, pidsim_kernel **out)
{
	const struct ps_design *d = ps_design_find(name);
	struct ps_mem mem = { 0 };
	size_t size;
	pidsim_kernel *k;
	int err;

	if (!out || !name)
		return -EINVAL;
	if (!d)
		return -ENOENT;
	if (pid_max == 0)
		pid_max = PIDSIM_PID_MAX_DEFAULT;
	if (pid_max < 2 || pid_max > PIDSIM_PID_MAX_LIMIT ||
	    pidsim_design_allows(&d->info, &(struct pidsim_needs){ .pid_max = pid_max }))
		return -EINVAL;
	size = ps_priv_offset(sizeof *k) + d->kernel_priv;
	k = ps_zalloc(&mem, size);
	if (!k)
		return -ENOMEM;
	k->mem = mem;
	k->design = d;
	k->pid_max = pid_max;
	k->free_owner = -1;
	k->task_size = ps_priv_offset(sizeof(struct ps_task)) + d->task_priv;
	k->ct_size = ps_priv_offset(sizeof(struct ps_container)) + d->ct_priv;
	ps_reftab_init(&k->refs);
	err = d->kernel_init(k);
	if (err)
		goto out_free;
	err = ps_ct_create(k, NULL, 0, &k->host);
	if (err)
		goto out_fini;
	err = ps_task_create(k, k->host, NULL, &k->host->init);
	if (err)
		goto out_host;
	ps_pgrp_boot(k->host->init);
	*out = k;
	return 0;

out_host:
	ps_ct_destroy(k, k->host);
out_fini:
	d->kernel_fini(k);
	ps_reftab_fini(&k->mem, &k->refs);
out_free:
	free(k);
	return err;
}

void pidsim_kernel_destroy(pidsim_kernel *k)
{
	if (!k)
		return;
	ps_zap_container(k, k->host);
	ps_release_task(k, k->host->init);		/* destroys the host */
	k->design->kernel_fini(k);
	ps_task_cache_drain(k);
	ps_pidtab_spare_drain(&k->mem);
	ps_reftab_fini(&k->mem, &k->refs);
	ps_free(&k->mem, k->owners, (size_t)k->cap_owners * sizeof *k->owners);
	/* Everything the image allocated is back, but the image itself. */
	PS_BUG_ON(k->mem.bytes != ps_priv_offset(sizeof *k) + k->design->kernel_priv);
	free(k);
}

const struct pidsim_design_info *pidsim_kernel_design(const pidsim_kernel *k)
{
	return k ? &k->design->info : NULL;
}

int pidsim_kernel_pid_max(const pidsim_kernel *k)
{
	return k ? k->pid_max : -EINVAL;
}

pidsim_tid pidsim_host_init(const pidsim_kernel *k)
{
	return k ? k->host->init->ref : PIDSIM_NO_TASK;
}

int pidsim_stats_get(const pidsim_kernel *k, struct pidsim_stats *out)
{
	if (!k || !out)
		return -EINVAL;
	*out = k->stats;
	out->bytes = k->mem.bytes;
	out->peak_bytes = k->mem.peak;
	out->allocs = k->mem.allocs - k->allocs_base;
	return 0;
}

void pidsim_stats_reset(pidsim_kernel *k)
{
	if (!k)
		return;
	memset(&k->stats, 0, sizeof k->stats);
	k->mem.peak = k->mem.bytes;
	k->allocs_base = k->mem.allocs;
}

int pidsim_census_get(const pidsim_kernel *k, struct pidsim_census *out)
{
	if (!k || !out)
		return -EINVAL;
	out->tasks = k->nr_tasks;
	out->zombies = k->nr_zombies;
	out->containers = k->nr_containers - k->nr_dead_cts;
	out->reaped_leaders = k->nr_reaped;
	return 0;
}
