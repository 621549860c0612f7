/*
 * w_iterate.c - kill -1 and ps: walking a view, from inside a container
 * and from the host.  The image has N tasks on the host and N in each of
 * four containers.  What the host sees is where the designs differ by
 * rule: vpid-style designs show it every task, pidspace its own tasks and
 * the glue pids of its child containers.  So the host rows do different
 * amounts of work by design; n says how many pids each one listed.
 *
 * kill(-1, 0) signals nothing (signal 0 only probes), so it can be
 * repeated: it measures the walk and the per-task checks of kill -1.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define NCT 4

enum op { PS_CT, PS_HOST, PS_IN, KILL_CT, KILL_HOST, NR_OPS };
static const char *const op_name[NR_OPS] = {
	"ps-ct", "ps-host", "ps-in-ct", "kill-1-ct", "kill-1-host",
};

struct it_state {
	pidsim_kernel *k;	/* a design */
	pidsim_tid host, ct_task, ct_init;
	struct floor_bits bits;	/* or the floor: a view of N tasks */
	struct floor_array arr;
	enum op op;
	int *buf;
	size_t cap;
};

static uint64_t run_model(void *p, uint64_t iters)
{
	struct it_state *s = p;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		switch (s->op) {
		case PS_CT:
			sum += (uint64_t)pidsim_ps(s->k, s->ct_task, s->buf, s->cap);
			break;
		case PS_HOST:
			sum += (uint64_t)pidsim_ps(s->k, s->host, s->buf, s->cap);
			break;
		case PS_IN:
			sum += (uint64_t)pidsim_ps_in(s->k, s->host, s->ct_init,
						      s->buf, s->cap);
			break;
		case KILL_CT:
			sum += (uint64_t)pidsim_kill(s->k, s->ct_task, -1, 0);
			break;
		default:
			sum += (uint64_t)pidsim_kill(s->k, s->host, -1, 0);
			break;
		}
	}
	return sum + (uint64_t)s->buf[0];
}

/* The floor of a walk of one view (ps, kill -1, ps of a container from
 * its parent): walk the taken bits, read each task, list its pid. */
static uint64_t run_floor(void *p, uint64_t iters)
{
	struct it_state *s = p;
	size_t words = (size_t)s->bits.pid_max / 64 + 1;
	uint64_t sum = 0;

	for (uint64_t n = 0; n < iters; n++) {
		size_t count = 0;

		for (size_t w = 0; w < words; w++) {
			for (uint64_t bits = s->bits.word[w] & (w ? ~0ull : ~1ull);
			     bits; bits &= bits - 1) {
				int nr = (int)(w * 64) + __builtin_ctzll(bits);

				if (count < s->cap)
					s->buf[count] = (int)s->arr.slot[nr]->handle;
				count++;
			}
		}
		sum += count;
	}
	return sum;
}

/* The image; returns the tasks it holds (fewer when a range is full). */
static long model_setup(struct it_state *s, const char *design, long per_view,
			int pid_max)
{
	long held = 0;

	s->k = world_kernel(design, pid_max);
	s->host = pidsim_host_init(s->k);
	held += world_fill(s->k, s->host, 1, (unsigned)per_view);
	for (int c = 0; c < NCT; c++) {
		pidsim_tid init = world_fork(s->k, s->host, PIDSIM_CLONE_NEWPID);
		pidsim_tid first = init ? world_fork(s->k, init, 0) : PIDSIM_NO_TASK;

		if (!first)
			break;
		if (c == 0) {
			s->ct_init = init;
			s->ct_task = first;
		}
		held += world_fill(s->k, init, 2, (unsigned)per_view);
	}
	return held;
}

static void floor_setup(struct it_state *s, long per_view, int pid_max)
{
	floor_bits_init(&s->bits, pid_max);
	floor_array_init(&s->arr, pid_max);
	for (long i = 0; i < per_view; i++) {
		int nr = floor_bits_alloc(&s->bits);

		s->arr.slot[nr] = calloc(1, sizeof(struct floor_task));
		s->arr.slot[nr]->handle = (uint64_t)nr;
	}
}

static void floor_teardown(struct it_state *s)
{
	for (int nr = 1; nr < s->arr.size; nr++)
		free(s->arr.slot[nr]);
	floor_bits_fini(&s->bits);
	floor_array_fini(&s->arr);
}

/* How many pids op lists (or signals) in s. */
static long op_count(struct it_state *s)
{
	switch (s->op) {
	case PS_CT: case KILL_CT:
		return pidsim_ps(s->k, s->ct_task, NULL, 0);
	case PS_IN:
		return pidsim_ps_in(s->k, s->host, s->ct_init, NULL, 0);
	default:
		return pidsim_ps(s->k, s->host, NULL, 0);
	}
}

static void iterate_point(FILE *out, long per_view)
{
	struct subject s[BENCH_MAX_SUBJECTS];
	struct it_state st[BENCH_MAX_SUBJECTS];
	int n = subjects_init(s, true);
	long pm = pow2_ceil(16 * per_view);
	int pid_max = (int)(pm > PIDSIM_PID_MAX_LIMIT ? PIDSIM_PID_MAX_LIMIT : pm);
	struct need need = { 1, NCT, pid_max };

	if (n && !strcmp(s[n - 1].name, "radix"))
		n--;		/* the array's walk of its bitmap is the floor */
	memset(st, 0, sizeof st);
	for (int i = 0; i < n; i++) {
		const struct pidsim_design_info *d = pidsim_design_find(s[i].name);

		bench_progress("iterate %ld: setting up %s", per_view, s[i].name);
		s[i].state = &st[i];
		st[i].cap = (size_t)pid_max;
		st[i].buf = calloc((size_t)pid_max, sizeof *st[i].buf);
		if (!d) {
			/* One floor, for the walk of a container's view. */
			floor_setup(&st[i], per_view, pid_max);
		} else if (design_supports(d, &need, s[i].skip, sizeof s[i].skip)) {
			long want = per_view * (NCT + 1);
			long held = model_setup(&st[i], s[i].name, per_view, pid_max);

			if (held < want)
				world_short(s[i].skip, sizeof s[i].skip, s[i].name,
					    held, want, true);
		}
	}
	for (int op = 0; op < NR_OPS; op++) {
		for (int i = 0; i < n; i++) {
			st[i].op = (enum op)op;
			s[i].run = st[i].k ? run_model : run_floor;
			if (!st[i].k && st[i].arr.slot)
				snprintf(s[i].skip, sizeof s[i].skip, "%s",
					 op == PS_HOST || op == KILL_HOST ? "no floor for "
					 "this row: what the host sees differs by design" : "");
		}
		bench_progress("iterate %ld: %s", per_view, op_name[op]);
		bench_measure(s, n);
		for (int i = 0; i < n; i++)
			results_add_subjects(out, "iterate", op_name[op], per_view,
					     &s[i], 1, "ns/call",
					     st[i].k ? op_count(&st[i]) : per_view);
	}
	for (int i = 0; i < n; i++) {
		if (st[i].k)
			pidsim_kernel_destroy(st[i].k);
		else if (st[i].arr.slot)
			floor_teardown(&st[i]);
		free(st[i].buf);
	}
}

static const long sizes_default[] = { 1024, 16384, 131072, 0 };
static const long sizes_full[] = { 1024, 4096, 16384, 65536, 131072, 524288, 0 };

void wl_iterate(void)
{
	const long *sizes = bench.full ? sizes_full : sizes_default;
	FILE *out = results_open("iterate", "tasks per view (host and 4 containers; "
		"n: pids listed)", "ps and kill(-1, 0), from a container and from the host");

	for (int i = 0; sizes[i]; i++)
		if (!bench.size || sizes[i] == bench.size)
			iterate_point(out, sizes[i]);
	results_close(out);
	bench_progress_done();
}
