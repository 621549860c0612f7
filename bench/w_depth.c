/*
 * w_depth.c - nesting depth: what a task L containers down costs, for
 * every design whose max_level reaches L (issue 8, "Tests and
 * measurements").  pidns numbers a task at every level from its own up to
 * the host, so its fork and reap do L + 1 allocations and table entries
 * and its pid object grows by a upid per level; a lookup stays one probe
 * of one table at any depth.  The other designs with max_level 32 (vpid,
 * pidspace) are swept too; vpid-openvz and vpid-ibm stop at level 1 and
 * show depth 0..1 for reference.
 *
 * At each depth L, in an image with a chain of L containers (each one's
 * init the parent of the next), DEPTH_TASKS tasks in the deepest:
 *   fork       fork + exit + waitpid(pid) by a worker of the deepest
 *              container (pid_max the default, so numbers wrap);
 *   find-deep  pidsim_find() from the deepest init, hits;
 *   find-host  pidsim_find() from host init, of the same tasks by the
 *              host's own numbers for them, where the design lets the
 *              host see them (not pidspace below level 0);
 *   bytes      bytes per task: a fresh image, the chain, one warm fork,
 *              then the bytes counter's delta over DEPTH_BYTES_FORKS
 *              forks in the deepest container, divided by their number;
 *   *-probes, *-conv  the counters' hash probes and conversions per
 *              operation (the cost model, checked);
 *   linux      the real kernel's fork + exit + waitpid (variant fork)
 *              and vfork + exit + waitpid (variant vfork: no copy of the
 *              address space) at that depth below the bench's own pid
 *              namespace, copied from the kernel workload (w_kernel.c),
 *              which runs first.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define DEPTH_TASKS 1024	/* tasks in the deepest container, init included */
#define DEPTH_BYTES_FORKS 4096
#define NQ 4096			/* lookup queries, cycled */

static const int depths_default[] = { 0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32 };

int depth_list(int *depths)
{
	int n = 0;

	if (bench.full) {
		for (int l = 0; l <= PIDSIM_MAX_LEVEL; l++)
			depths[n++] = l;
		return n;
	}
	for (size_t i = 0; i < sizeof depths_default / sizeof *depths_default; i++)
		depths[n++] = depths_default[i];
	return n;
}

struct depth_state {
	pidsim_kernel *k;
	pidsim_tid host, init, worker;	/* init: the deepest container's */
	pidsim_tid cur;			/* who looks up */
	int q[NQ];			/* numbers cur looks up */
	size_t pos;
};

static uint64_t run_cycle(void *p, uint64_t iters)
{
	struct depth_state *s = p;

	return world_churn(s->k, s->worker, iters);
}

static uint64_t run_find(void *p, uint64_t iters)
{
	struct depth_state *s = p;
	uint64_t sum = 0;
	size_t i = s->pos;

	for (uint64_t n = 0; n < iters; n++, i = (i + 1) % NQ) {
		pidsim_tid t = 0;

		sum += (uint64_t)pidsim_find(s->k, s->cur, s->q[i], &t) + t;
	}
	s->pos = i;
	return sum;
}

/* A chain of depth containers below the host; the deepest one's init. */
static pidsim_tid chain(pidsim_kernel *k, int depth)
{
	pidsim_tid init = pidsim_host_init(k);

	for (int l = 1; l <= depth && init; l++)
		init = world_fork(k, init, PIDSIM_CLONE_NEWPID);
	if (!init) {
		fprintf(stderr, "bench: depth %d: a chain of containers failed (%s)\n",
			depth, pidsim_kernel_design(k)->name);
		exit(1);
	}
	return init;
}

/* The image of one depth point: the chain, a worker and DEPTH_TASKS tasks
 * in the deepest container. */
static void setup(struct depth_state *s, const char *design, int depth)
{
	s->k = world_kernel(design, 0);
	s->host = pidsim_host_init(s->k);
	s->init = chain(s->k, depth);
	s->worker = world_fork(s->k, s->init, 0);
	world_fill(s->k, s->init, 2, DEPTH_TASKS);
}

/* Queries from the deepest init: random numbers it sees (all hits). */
static void queries_deep(struct depth_state *s)
{
	struct rng r = { bench.seed };
	size_t n;
	int *pids = world_pids(s->k, s->init, &n);

	s->cur = s->init;
	for (int i = 0; i < NQ; i++)
		s->q[i] = pids[rng_below(&r, n)];
	s->pos = 0;
	free(pids);
}

/*
 * Queries from host init: the same tasks, by the host's numbers for them.
 * False, with why, when the host does not see every task of the deepest
 * container by a number of its own.
 */
static bool queries_host(struct depth_state *s, char *why, size_t len)
{
	struct rng r = { bench.seed };
	size_t n, seen = 0;
	int *pids = world_pids(s->k, s->init, &n);
	int *host = malloc(n * sizeof *host);

	if (!host)
		abort();
	for (size_t i = 0; i < n; i++) {
		pidsim_tid t = 0;

		host[i] = pidsim_find(s->k, s->init, pids[i], &t) == 0
				  ? pidsim_pid_of(s->k, s->host, t) : 0;
		seen += host[i] > 0;
	}
	if (seen == n) {
		s->cur = s->host;
		for (int i = 0; i < NQ; i++)
			s->q[i] = host[rng_below(&r, n)];
		s->pos = 0;
	} else {
		snprintf(why, len, "not visible: the host numbers %zu of the "
			 "deepest container's %zu tasks", seen, n);
	}
	free(host);
	free(pids);
	return seen == n;
}

/* The counters per operation of a subject's run: the cost model. */
static void record_work(FILE *out, const char *variant, long x,
			const struct subject *s, struct depth_state *st)
{
	char name[32];
	struct pidsim_stats c;
	const uint64_t ops = 4096;

	if (!st->k || s->skip[0])
		return;
	pidsim_stats_reset(st->k);
	bench_sink += s->run(st, ops);
	pidsim_stats_get(st->k, &c);
	snprintf(name, sizeof name, "%s-probes", variant);
	results_add_value(out, "depth", name, x, s->name, "probes/op",
			  (double)c.probes / ops, (long)ops, NULL);
	snprintf(name, sizeof name, "%s-conv", variant);
	results_add_value(out, "depth", name, x, s->name, "conv/op",
			  (double)c.conversions / ops, (long)ops, NULL);
}

/* Bytes per task at depth: a fresh image, so that no freed task or pid
 * object is waiting in a cache to be reused (they would count as bytes
 * already held); the warm fork takes the deepest view's first pidmap page
 * and table. */
static double bytes_per_task(const char *design, int depth)
{
	pidsim_kernel *k = world_kernel(design, 0);
	pidsim_tid init = chain(k, depth);
	struct pidsim_stats s0, s1;

	world_fork(k, init, 0);
	pidsim_stats_get(k, &s0);
	if (world_fill(k, init, 0, DEPTH_BYTES_FORKS) < DEPTH_BYTES_FORKS) {
		pidsim_kernel_destroy(k);
		return NAN;
	}
	pidsim_stats_get(k, &s1);
	pidsim_kernel_destroy(k);
	return (double)(s1.bytes - s0.bytes) / DEPTH_BYTES_FORKS;
}

/* The real kernel's fork and vfork round trips at this depth, if the
 * kernel workload measured them. */
static void record_linux(FILE *out, int depth)
{
	static const char *const kv[][2] = {
		{ "fork-exit-wait", "fork" }, { "vfork-exit-wait", "vfork" },
	};

	for (size_t i = 0; i < sizeof kv / sizeof *kv; i++) {
		const struct row *k = results_find("kernel", kv[i][0], depth, "linux");
		struct row r;

		if (!k)
			continue;
		r = *k;
		snprintf(r.workload, sizeof r.workload, "depth");
		snprintf(r.variant, sizeof r.variant, "%s", kv[i][1]);
		snprintf(r.unit, sizeof r.unit, "ns/cycle");
		if (!isnan(r.st.median))
			snprintf(r.note, sizeof r.note, "real %s+exit+waitpid in nested "
				 "pid namespaces, not the model", kv[i][1]);
		results_add(out, &r);
	}
}

static void depth_point(FILE *out, int depth)
{
	struct subject s[BENCH_MAX_SUBJECTS];
	static struct depth_state st[BENCH_MAX_SUBJECTS];
	int n = subjects_init(s, false);
	struct need need = { depth, (unsigned)depth, PIDSIM_PID_MAX_DEFAULT };
	char skip[BENCH_MAX_SUBJECTS][sizeof s->skip];

	memset(st, 0, sizeof st);
	for (int i = 0; i < n; i++) {
		const struct pidsim_design_info *d = pidsim_design_find(s[i].name);

		s[i].state = &st[i];
		if (!design_supports(d, &need, s[i].skip, sizeof s[i].skip))
			continue;
		bench_progress("depth %d: setting up %s", depth, s[i].name);
		setup(&st[i], s[i].name, depth);
		s[i].run = run_cycle;
	}
	bench_progress("depth %d: fork + exit + wait", depth);
	bench_measure(s, n);
	results_add_subjects(out, "depth", "fork", depth, s, n, "ns/cycle",
			     DEPTH_TASKS);
	for (int i = 0; i < n; i++)
		record_work(out, "fork", depth, &s[i], &st[i]);
	record_linux(out, depth);

	for (int i = 0; i < n; i++) {
		if (!st[i].k)
			continue;
		queries_deep(&st[i]);
		s[i].run = run_find;
	}
	bench_progress("depth %d: lookup from the deepest init", depth);
	bench_measure(s, n);
	results_add_subjects(out, "depth", "find-deep", depth, s, n, "ns/op",
			     DEPTH_TASKS);
	for (int i = 0; i < n; i++)
		record_work(out, "find-deep", depth, &s[i], &st[i]);

	/* From the host: a design that does not show it these tasks is
	 * skipped at this depth only. */
	for (int i = 0; i < n; i++) {
		memcpy(skip[i], s[i].skip, sizeof skip[i]);
		if (st[i].k)
			queries_host(&st[i], s[i].skip, sizeof s[i].skip);
	}
	bench_progress("depth %d: lookup from the host", depth);
	bench_measure(s, n);
	results_add_subjects(out, "depth", "find-host", depth, s, n, "ns/op",
			     DEPTH_TASKS);
	for (int i = 0; i < n; i++)
		record_work(out, "find-host", depth, &s[i], &st[i]);

	for (int i = 0; i < n; i++) {
		double b;

		memcpy(s[i].skip, skip[i], sizeof s[i].skip);
		if (s[i].skip[0]) {
			results_add_value(out, "depth", "bytes", depth, s[i].name,
					  "bytes/task", NAN, 0, s[i].skip);
			continue;
		}
		bench_progress("depth %d: bytes per task, %s", depth, s[i].name);
		b = bytes_per_task(s[i].name, depth);
		results_add_value(out, "depth", "bytes", depth, s[i].name, "bytes/task",
				  b, DEPTH_BYTES_FORKS, isnan(b) ? "fork: EAGAIN" :
				  "fresh image, warm fork, then the delta over n forks");
	}
	for (int i = 0; i < n; i++)
		if (st[i].k)
			pidsim_kernel_destroy(st[i].k);
}

void wl_depth(void)
{
	int depths[PIDSIM_MAX_LEVEL + 1];
	int nd = depth_list(depths);
	FILE *out = results_open("depth", "container level of the task "
		"(0: host; n: tasks in the deepest container, or the count "
		"averaged over)", "a chain of nested containers: fork + exit + "
		"wait, lookup and bytes per task vs depth; linux: the real "
		"kernel at that depth below the bench's own pid namespace");

	for (int i = 0; i < nd; i++) {
		if (bench.size && depths[i] != bench.size)
			continue;
		depth_point(out, depths[i]);
	}
	results_close(out);
	bench_progress_done();
}
