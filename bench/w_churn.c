/*
 * w_churn.c - fork + exit + waitpid cycles, with N tasks alive around
 * them and pid_max 4N rounded up to a power of two (vpid-openvz can use
 * only half of a range), so that numbers wrap and are reused within a
 * sample.  Made by a worker task on the host and in a container.
 *
 * The floor does the least any task table must: take a number from a
 * cyclic bitmap, allocate a task, enter it in the table (the array, or
 * the radix tree), find it again at wait, remove it, free both.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct churn_state {
	pidsim_kernel *k;		/* a design */
	pidsim_tid worker;
	struct floor_bits bits;		/* or a floor */
	struct floor_array arr;
	struct floor_radix radix;
	struct floor_task **live;	/* the floor's tasks alive around */
	long nlive;
};

static uint64_t run_model(void *p, uint64_t iters)
{
	struct churn_state *s = p;

	return world_churn(s->k, s->worker, iters);
}

static struct floor_task *new_task(int nr)
{
	struct floor_task *t = malloc(sizeof *t);

	if (!t)
		abort();
	t->handle = (uint64_t)nr;
	return t;
}

static uint64_t run_array(void *p, uint64_t iters)
{
	struct churn_state *s = p;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		int nr = floor_bits_alloc(&s->bits);
		struct floor_task *t;

		s->arr.slot[nr] = new_task(nr);
		t = s->arr.slot[nr];		/* waitpid(nr) */
		sum += t->handle;
		s->arr.slot[nr] = NULL;
		floor_bits_free(&s->bits, nr);
		free(t);
	}
	return sum;
}

static uint64_t run_radix(void *p, uint64_t iters)
{
	struct churn_state *s = p;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		int nr = floor_bits_alloc(&s->bits);
		struct floor_task *t;

		floor_radix_put(&s->radix, nr, new_task(nr));
		t = floor_radix_get(&s->radix, nr);	/* waitpid(nr) */
		sum += t->handle;
		floor_radix_del(&s->radix, nr);
		floor_bits_free(&s->bits, nr);
		free(t);
	}
	return sum;
}

/* N tasks alive in the floor: numbers 1.., as a fresh view hands out. */
static void floor_setup(struct churn_state *s, long live, int pid_max)
{
	floor_bits_init(&s->bits, pid_max);
	floor_array_init(&s->arr, pid_max);
	floor_radix_init(&s->radix, pid_max);
	s->live = malloc((size_t)live * sizeof *s->live);
	s->nlive = live;
	for (long i = 0; i < live; i++) {
		int nr = floor_bits_alloc(&s->bits);

		s->live[i] = new_task(nr);
		s->arr.slot[nr] = s->live[i];
		floor_radix_put(&s->radix, nr, s->live[i]);
	}
}

static void floor_teardown(struct churn_state *s)
{
	for (long i = 0; i < s->nlive; i++)
		free(s->live[i]);
	free(s->live);
	floor_bits_fini(&s->bits);
	floor_array_fini(&s->arr);
	floor_radix_fini(&s->radix);
}

/* An image with `live` tasks where the worker lives (the host, or a
 * container at level 1), the worker among them. */
static long model_setup(struct churn_state *s, const char *design, long live,
			int pid_max, bool in_ct)
{
	pidsim_tid init;

	s->k = world_kernel(design, pid_max);
	init = pidsim_host_init(s->k);
	if (in_ct)
		init = world_fork(s->k, init, PIDSIM_CLONE_NEWPID);
	s->worker = init ? world_fork(s->k, init, 0) : PIDSIM_NO_TASK;
	if (!s->worker)
		return 1;
	/* Leave room for the cycle's child. */
	return world_fill(s->k, init, 2, (unsigned)live + 1) - 1;
}

static void churn_point(FILE *out, long live, bool in_ct)
{
	struct subject s[BENCH_MAX_SUBJECTS];
	struct churn_state st[BENCH_MAX_SUBJECTS];
	int n = subjects_init(s, true);
	long pm = pow2_ceil(4 * live);
	int pid_max = (int)(pm > PIDSIM_PID_MAX_LIMIT ? PIDSIM_PID_MAX_LIMIT : pm);
	struct need need = { in_ct, in_ct, pid_max };
	const char *where = in_ct ? "ct" : "host";

	memset(st, 0, sizeof st);
	for (int i = 0; i < n; i++) {
		const struct pidsim_design_info *d = pidsim_design_find(s[i].name);

		s[i].state = &st[i];
		bench_progress("churn %s %ld: setting up %s", where, live, s[i].name);
		if (!d) {
			floor_setup(&st[i], live, pid_max);
			s[i].run = strcmp(s[i].name, BENCH_REF) ? run_radix : run_array;
		} else if (design_supports(d, &need, s[i].skip, sizeof s[i].skip)) {
			long held = model_setup(&st[i], s[i].name, live, pid_max, in_ct);

			s[i].run = run_model;
			if (held < live)
				world_short(s[i].skip, sizeof s[i].skip, s[i].name,
					    held, live, true);
		}
	}
	bench_progress("churn %s %ld: measuring", where, live);
	bench_measure(s, n);
	results_add_subjects(out, "churn", where, live, s, n, "ns/cycle", pid_max);
	for (int i = 0; i < n; i++) {
		if (st[i].k)
			pidsim_kernel_destroy(st[i].k);
		else if (st[i].live)
			floor_teardown(&st[i]);
	}
}

static const long sizes_default[] = { 1024, 32768, 262144, 0 };
static const long sizes_full[] = { 1024, 4096, 32768, 262144, 1048576, 2097152, 0 };

void wl_churn(void)
{
	const long *sizes = bench.full ? sizes_full : sizes_default;
	FILE *out = results_open("churn", "live tasks around the cycle "
		"(n: pid_max, about 4x that, so numbers wrap)",
		"fork + exit + waitpid(pid) by a worker on the host and in a container");

	for (int i = 0; sizes[i]; i++) {
		if (bench.size && sizes[i] != bench.size)
			continue;
		churn_point(out, sizes[i], true);
		churn_point(out, sizes[i], false);
	}
	results_close(out);
	bench_progress_done();
}
