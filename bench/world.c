/*
 * world.c - kernel images to measure: what a design can hold, and the
 * set-up every workload shares (fill a container, list its pids).
 *
 * Designs come from pidsim_design_count()/pidsim_design_at(), never by
 * name, and each one's recorded limits decide whether it can run a
 * measurement point, asked of pidsim_design_allows() as the calls ask it:
 * when it cannot, its row says "not supported by this design" and which
 * limit.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

long pow2_ceil(long x)
{
	long p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

bool design_supports(const struct pidsim_design_info *d, const struct need *n,
		     char *why, size_t len)
{
	struct pidsim_needs needs = {
		.level = n->level,
		.containers = n->containers,
		.pid_max = n->pid_max,
		.forks_in_containers = n->level > 0,
	};
	enum pidsim_limit l = pidsim_design_allows(d, &needs);
	char limit[64];

	if (!l)
		return true;
	pidsim_limit_format(d, l, limit, sizeof limit);
	snprintf(why, len, "not supported by this design: %s", limit);
	return false;
}

static void die(const char *what, const char *design, int err)
{
	fprintf(stderr, "bench: %s (%s): %s\n", what, design, pidsim_errname(err));
	exit(1);
}

pidsim_kernel *world_kernel(const char *design, int pid_max)
{
	pidsim_kernel *k;
	int err = pidsim_kernel_create(design, pid_max, &k);

	if (err)
		die("pidsim_kernel_create", design, err);
	return k;
}

pidsim_tid world_fork(pidsim_kernel *k, pidsim_tid parent, unsigned flags)
{
	pidsim_tid child;
	int err = pidsim_fork(k, parent, flags, &child);

	if (err == -EAGAIN)
		return PIDSIM_NO_TASK;	/* a pid range is full: the caller says so */
	if (err < 0)
		die("pidsim_fork", pidsim_kernel_design(k)->name, err);
	return child;
}

unsigned world_fill(pidsim_kernel *k, pidsim_tid parent, unsigned have,
		    unsigned n)
{
	for (; have < n; have++) {
		int err = pidsim_fork(k, parent, 0, NULL);

		if (err == -EAGAIN)
			break;
		if (err < 0)
			die("pidsim_fork", pidsim_kernel_design(k)->name, err);
	}
	return have;
}

uint64_t world_churn(pidsim_kernel *k, pidsim_tid worker, uint64_t iters)
{
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		pidsim_tid child;
		int pid = pidsim_fork(k, worker, 0, &child), status;

		pidsim_exit(k, child, 0);
		sum += (uint64_t)pidsim_wait(k, worker, pid, &status);
	}
	return sum;
}

int *world_pids(pidsim_kernel *k, pidsim_tid cur, size_t *n)
{
	int count = pidsim_ps(k, cur, NULL, 0);
	int *pids;

	if (count < 0)
		die("pidsim_ps", pidsim_kernel_design(k)->name, count);
	pids = malloc(((size_t)count + 1) * sizeof *pids);
	if (!pids)
		die("malloc", "bench", -ENOMEM);
	*n = (size_t)pidsim_ps(k, cur, pids, (size_t)count);
	return pids;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int world_random_free(const int *pids, size_t npids, int pid_max, struct rng *r)
{
	/* Rejection sampling: a view less than 99% full finds one quickly. */
	if ((double)npids >= 0.99 * (pid_max - 1))
		return 0;
	for (;;) {
		int nr = 1 + (int)rng_below(r, (uint64_t)pid_max - 1);

		if (!bsearch(&nr, pids, npids, sizeof *pids, cmp_int))
			return nr;
	}
}

void world_short(char *why, size_t len, const char *design, long held, long want,
		 bool skip)
{
	const struct pidsim_design_info *d = pidsim_design_find(design);

	snprintf(why, len, "%sholds %ld of %ld tasks (fork: EAGAIN%s)",
		 skip ? "not supported by this design: " : "", held, want,
		 d && (d->flags & PIDSIM_D_SHARED_RANGE) ? ", one shared pid range" : "");
}

int subjects_init(struct subject *s, bool with_floors)
{
	int n = 0;

	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const char *name = pidsim_design_at(i)->name;

		if (bench.design && strcmp(bench.design, name))
			continue;
		memset(&s[n], 0, sizeof s[n]);
		snprintf(s[n++].name, sizeof s->name, "%s", name);
	}
	if (with_floors && bench.floors && !bench.design) {
		memset(&s[n], 0, sizeof s[n]);
		snprintf(s[n++].name, sizeof s->name, BENCH_REF);
		memset(&s[n], 0, sizeof s[n]);
		snprintf(s[n++].name, sizeof s->name, "radix");
	}
	return n;
}
