/*
 * machine.c - the machine-speed rows, measured at the start of a run
 * (x = 0) and at its end (x = 1), in one pass each, interleaved:
 *
 *   array-lookup  lookups in a plain array of 1,024 tasks, back to back:
 *                 how fast this CPU runs the floor of every lookup now;
 *   chase         a dependent chase through 64 MiB, one cache line at a
 *                 time in a random cycle: how long a load that misses
 *                 every cache takes now.
 *
 * They say how fast the machine was while the run was made, and whether
 * it changed between the start and the end: a figure of another run is
 * read against them, never compared bare.  The stamp carries both.
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define ARRAY_TASKS 1024
#define ARRAY_QUERIES 4096
#define CHASE_BYTES (64u << 20)

struct chase_node {
	uint32_t next;
	char pad[60];		/* one node per cache line */
};

struct machine_state {
	struct floor_array arr;
	struct floor_task *tasks;
	int q[ARRAY_QUERIES];
	struct chase_node *chase;
	size_t pos;
};

static uint64_t run_array(void *p, uint64_t iters)
{
	struct machine_state *s = p;
	uint64_t sum = 0;
	size_t i = s->pos;

	for (uint64_t n = 0; n < iters; n++, i = (i + 1) % ARRAY_QUERIES) {
		struct floor_task *t = s->arr.slot[s->q[i]];

		sum += t ? t->handle : 0;
	}
	s->pos = i;
	return sum;
}

static uint64_t run_chase(void *p, uint64_t iters)
{
	struct machine_state *s = p;
	uint32_t at = (uint32_t)s->pos;

	for (uint64_t n = 0; n < iters; n++)
		at = s->chase[at].next;
	s->pos = at;
	return at;
}

static void setup(struct machine_state *s)
{
	size_t nodes = CHASE_BYTES / sizeof *s->chase;
	uint32_t *order = malloc(nodes * sizeof *order);
	struct rng r = { bench.seed };

	memset(s, 0, sizeof *s);
	floor_array_init(&s->arr, ARRAY_TASKS + 1);
	s->tasks = calloc(ARRAY_TASKS + 1, sizeof *s->tasks);
	s->chase = malloc(nodes * sizeof *s->chase);
	if (!order || !s->tasks || !s->chase) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	for (int pid = 1; pid <= ARRAY_TASKS; pid++) {
		s->tasks[pid].handle = (uint64_t)pid;
		s->arr.slot[pid] = &s->tasks[pid];
	}
	for (int i = 0; i < ARRAY_QUERIES; i++)
		s->q[i] = 1 + (int)rng_below(&r, ARRAY_TASKS);
	/* Sattolo's shuffle: one cycle through every node. */
	for (size_t i = 0; i < nodes; i++)
		order[i] = (uint32_t)i;
	for (size_t i = nodes - 1; i > 0; i--) {
		size_t j = rng_below(&r, i);
		uint32_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < nodes; i++)
		s->chase[order[i]].next = order[(i + 1) % nodes];
	free(order);
}

static void teardown(struct machine_state *s)
{
	floor_array_fini(&s->arr);
	free(s->tasks);
	free(s->chase);
}

void wl_machine(const char *when)
{
	static FILE *out;
	static struct machine_state st[2];
	struct subject s[2];
	bool end = !strcmp(when, "end");

	if (!out)
		out = results_open("machine", "0: at the start of the run, 1: at its end",
			"the machine's speed now: array lookups at 1,024 tasks, and a "
			"dependent memory chase through 64 MiB");
	memset(s, 0, sizeof s);
	snprintf(s[0].name, sizeof s[0].name, BENCH_REF);
	snprintf(s[1].name, sizeof s[1].name, "chase");
	s[0].run = run_array;
	s[1].run = run_chase;
	setup(&st[0]);
	st[1] = st[0];
	s[0].state = &st[0];
	s[1].state = &st[1];
	bench_progress("machine speed (%s)", when);
	bench_measure(s, 2);
	results_add_subjects(out, "machine", "array-lookup", end, &s[0], 1, "ns/lookup",
			     ARRAY_TASKS);
	results_add_subjects(out, "machine", "chase", end, &s[1], 1, "ns/load",
			     CHASE_BYTES / sizeof(struct chase_node));
	teardown(&st[0]);
	if (end) {
		results_close(out);
		out = NULL;
	}
	bench_progress_done();
}
