/*
 * w_lookup.c - pid -> task from inside a container (find_task_by_vpid()),
 * hits and misses, over the number of tasks and over the number of
 * containers; and, on the way, the scale workload: the time to build and
 * tear down an image of N live tasks and the bytes each task costs.
 *
 * Through the public API a lookup from inside a container is
 * pidsim_find(cur, pid): it also resolves the caller's handle (a weak
 * reference: an index and a generation compare) and reads the found
 * task's handle.  That part is the same in every design; the calls
 * workload measures it alone (getpid from the host) so that it can be
 * subtracted.
 *
 * Two ways to time a lookup.  "hit" and "miss" are throughput: lookups
 * back to back, which a CPU overlaps, so a structure with fewer dependent
 * steps per lookup gains twice.  "hit-lat" is latency: which number is
 * asked next depends on the previous answer, so lookups do not overlap,
 * as in a kernel where one system call does one lookup among other work.
 */
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "pidsim_debug.h"

/* One query: a caller (its handle, or its container's index for the
 * floor) and the number it asks for. */
struct query {
	pidsim_tid cur;
	int pid;
	int ct;
};

/* The containers of one image: their inits and the pids each sees. */
struct ctset {
	unsigned n;
	pidsim_tid *init;
	int **pids;
	size_t *npids;
};

/* What one subject looks up in. */
struct lk_state {
	pidsim_kernel *k;		/* a design */
	struct floor_array *arr;	/* or a floor: one table per container */
	struct floor_radix *radix;
	struct query *q;
	const void **views;		/* hit-raw: each container's view */
	size_t mask, pos;
	bool chained;		/* hit-lat: the next query waits for this answer */
};

/*
 * A run: one(s, i) -> uint64_t for iters queries.  Chained, the next
 * query's index depends on the answer (sum >> 63 is 0, but the CPU must
 * have the answer to know it); otherwise the loop must not depend on it at
 * all, so the two are separate loops (a select would make both dependent).
 * A macro, so that each run inlines its own one().
 */
#define DEFINE_RUN(name, one)                                                 \
	static uint64_t name(void *p, uint64_t iters)                         \
	{                                                                     \
		struct lk_state *s = p;                                       \
		size_t i = s->pos;                                            \
		uint64_t sum = 0;                                             \
									      \
		if (s->chained) {                                             \
			for (uint64_t n = 0; n < iters; n++) {                \
				sum += one(s, i);                             \
				i = (i + 1 + (size_t)(sum >> 63)) & s->mask;  \
			}                                                     \
		} else {                                                      \
			for (uint64_t n = 0; n < iters; n++) {                \
				sum += one(s, i);                             \
				i = (i + 1) & s->mask;                        \
			}                                                     \
		}                                                             \
		s->pos = i;                                                   \
		return sum;                                                   \
	}

/* ---- Runs --------------------------------------------------------------- */

static inline uint64_t find_one(const struct lk_state *s, size_t i)
{
	pidsim_tid t = 0;

	return (uint64_t)pidsim_find(s->k, s->q[i].cur, s->q[i].pid, &t) + t;
}

/* The design's lookup alone: pidsim_find() less its caller check. */
static inline uint64_t raw_one(const struct lk_state *s, size_t i)
{
	return pidsim_debug_find(s->k, s->views[s->q[i].ct], s->q[i].pid);
}

static inline uint64_t array_one(const struct lk_state *s, size_t i)
{
	const struct floor_array *a = &s->arr[s->q[i].ct];
	int pid = s->q[i].pid;
	struct floor_task *t = pid < a->size ? a->slot[pid] : NULL;

	return t ? t->handle : 0;
}

static inline uint64_t radix_one(const struct lk_state *s, size_t i)
{
	struct floor_task *t = floor_radix_get(&s->radix[s->q[i].ct], s->q[i].pid);

	return t ? t->handle : 0;
}

DEFINE_RUN(run_find, find_one)

DEFINE_RUN(run_raw, raw_one)

DEFINE_RUN(run_array, array_one)

DEFINE_RUN(run_radix, radix_one)

/* ---- Set-up ------------------------------------------------------------- */

static void ctset_free(struct ctset *c)
{
	for (unsigned i = 0; i < c->n; i++)
		free(c->pids[i]);	/* c->n may have shrunk: calloc'd, so safe */
	free(c->init);
	free(c->pids);
	free(c->npids);
	memset(c, 0, sizeof *c);
}

/*
 * Build nct containers under the host, each filled to per_ct tasks (init
 * included), the last one taking what is left of total.  Returns the
 * tasks the image holds, host init included.
 */
static unsigned build(pidsim_kernel *k, unsigned nct, unsigned per_ct,
		      struct ctset *c)
{
	pidsim_tid host = pidsim_host_init(k);
	struct pidsim_census cs;

	c->n = nct;
	c->init = calloc(nct, sizeof *c->init);
	c->pids = calloc(nct, sizeof *c->pids);
	c->npids = calloc(nct, sizeof *c->npids);
	for (unsigned i = 0; i < nct; i++) {
		c->init[i] = world_fork(k, host, PIDSIM_CLONE_NEWPID);
		if (!c->init[i]) {
			c->n = i;	/* full: the caller says what it holds */
			break;
		}
		world_fill(k, c->init[i], 1, per_ct);
		c->pids[i] = world_pids(k, c->init[i], &c->npids[i]);
	}
	pidsim_census_get(k, &cs);
	return cs.tasks;
}

/* Queries for one subject: the same sequence for all, from one seed. */
static void make_queries(struct query *q, size_t nq, const struct ctset *c,
			 bool hits, int pid_max, uint64_t seed)
{
	struct rng r = { seed };

	for (size_t i = 0; i < nq; i++) {
		unsigned ct = (unsigned)rng_below(&r, c->n);

		q[i].ct = (int)ct;
		q[i].cur = c->init[ct];
		q[i].pid = hits ? c->pids[ct][rng_below(&r, c->npids[ct])]
			 : world_random_free(c->pids[ct], c->npids[ct], pid_max, &r);
	}
}

/* The floor's tables, holding floor tasks at the pids the designs use. */
static struct floor_task *floor_build(const struct ctset *c, struct floor_array *arr,
				      struct floor_radix *radix, int pid_max)
{
	size_t total = 0, at = 0;
	struct floor_task *tasks;

	for (unsigned i = 0; i < c->n; i++)
		total += c->npids[i];
	tasks = calloc(total ? total : 1, sizeof *tasks);
	for (unsigned i = 0; i < c->n; i++) {
		size_t np = c->npids[i];
		int top = np ? c->pids[i][np - 1] : 0;

		floor_array_init(&arr[i], top + 1);
		floor_radix_init(&radix[i], pid_max);
		for (size_t j = 0; j < np; j++, at++) {
			tasks[at].handle = at + 1;
			arr[i].slot[c->pids[i][j]] = &tasks[at];
			floor_radix_put(&radix[i], c->pids[i][j], &tasks[at]);
		}
	}
	return tasks;
}

/*
 * The work behind one lookup, from the image's counters: hash probes and
 * pid conversions per pidsim_find(), over a pass of the queries.  This is
 * what explains a design's cost over the floor.
 */
static void record_work(FILE *out, const char *workload, const char *variant,
			long x, const struct subject *s, struct lk_state *st)
{
	char name[32];
	struct pidsim_stats c;
	const uint64_t passes = 4096;

	if (!st->k || s->skip[0])
		return;
	pidsim_stats_reset(st->k);
	bench_sink += s->run(st, passes);
	pidsim_stats_get(st->k, &c);
	snprintf(name, sizeof name, "%s-probes", variant);
	results_add_value(out, workload, name, x, s->name, "probes/op",
			  (double)c.probes / passes, (long)passes, NULL);
	snprintf(name, sizeof name, "%s-conv", variant);
	results_add_value(out, workload, name, x, s->name, "conv/op",
			  (double)c.conversions / passes, (long)passes, NULL);
}

/* ---- One measurement point --------------------------------------------- */

struct point {
	const char *workload;
	long x;
	unsigned nct, per_ct;
	int pid_max;
	FILE *out, *scale;	/* scale: build/teardown/bytes rows, or NULL */
	bool latency;		/* measure hit-lat too */
};

static void record_scale(const struct point *pt, const char *design,
			 double build_s, unsigned held, pidsim_kernel *k,
			 size_t malloc_bytes)
{
	struct pidsim_stats st;
	char note[96] = "";

	pidsim_stats_get(k, &st);
	if (held < (unsigned)pt->x)
		world_short(note, sizeof note, design, held, pt->x, false);
	results_add_value(pt->scale, "scale", "build", pt->x, design, "ns/task",
			  build_s * 1e9 / held, held, note);
	results_add_value(pt->scale, "scale", "bytes", pt->x, design, "bytes/task",
			  (double)st.bytes / held, held, note);
	results_add_value(pt->scale, "scale", "peak", pt->x, design, "bytes/task",
			  (double)st.peak_bytes / held, held, note);
	results_add_value(pt->scale, "scale", "malloc", pt->x, design, "bytes/task",
			  (double)malloc_bytes / held, held,
			  "malloc'd, headers included (mallinfo2)");
}

/* The subjects of one point, and what each looks up in. */
struct lk_point {
	struct subject s[BENCH_MAX_SUBJECTS];
	struct lk_state st[BENCH_MAX_SUBJECTS];
	struct ctset cs[BENCH_MAX_SUBJECTS];
	unsigned held[BENCH_MAX_SUBJECTS];
	int n, ref;			/* ref: the first design measured */
	size_t nq;
	struct floor_array *arr;	/* the floor's tables, one per container */
	struct floor_radix *radix;
	struct floor_task *ftasks;
};

/* Build every design's image (timed, for the scale rows). */
static void setup_designs(const struct point *pt, struct lk_point *p)
{
	struct need need = { 1, pt->nct, pt->pid_max };

	for (int i = 0; i < p->n; i++) {
		struct subject *s = &p->s[i];
		const struct pidsim_design_info *d = pidsim_design_find(s->name);
		double t0;
		size_t m0;

		if (!d || !design_supports(d, &need, s->skip, sizeof s->skip))
			continue;
		bench_progress("%s %ld: building %s", pt->workload, pt->x, s->name);
		m0 = mallinfo2().uordblks;
		t0 = bench_now();
		p->st[i].k = world_kernel(s->name, pt->pid_max);
		p->held[i] = build(p->st[i].k, pt->nct, pt->per_ct, &p->cs[i]);
		if (pt->scale)
			record_scale(pt, s->name, bench_now() - t0, p->held[i],
				     p->st[i].k, mallinfo2().uordblks - m0);
		s->run = run_find;
		if (p->cs[i].n < pt->nct)
			world_short(s->skip, sizeof s->skip, s->name, p->held[i],
				    1 + (long)pt->nct * pt->per_ct, true);
		else if (p->ref < 0)
			p->ref = i;
	}
}

/* The floors hold floor tasks at the pids the first design's views hold
 * (the same in every design, inside a container). */
static void setup_floors(const struct point *pt, struct lk_point *p)
{
	for (int i = 0; i < p->n; i++) {
		if (pidsim_design_find(p->s[i].name))
			continue;
		if (!p->arr) {
			p->arr = calloc(pt->nct, sizeof *p->arr);
			p->radix = calloc(pt->nct, sizeof *p->radix);
			p->ftasks = floor_build(&p->cs[p->ref], p->arr, p->radix,
						pt->pid_max);
		}
		p->cs[i] = p->cs[p->ref];	/* shared: the pids, not the handles */
		p->held[i] = p->held[p->ref];
		p->st[i].arr = p->arr;
		p->st[i].radix = p->radix;
		p->s[i].run = strcmp(p->s[i].name, BENCH_REF) ? run_radix : run_array;
	}
}

/*
 * One variant, for every subject, interleaved: hit, hit-lat or miss.  With
 * the hits (where the point measures latency too) go a second subject per
 * design, interleaved with the rest: the same hits through
 * pidsim_debug_find(), the design's lookup without pidsim_find()'s check
 * of its caller, recorded as variant hit-raw, to show what that check
 * costs (the floors have none).
 */
enum { V_HIT, V_HIT_LAT, V_MISS, NR_VARIANTS };

/* Add the hit-raw subjects after p's n, from[j] the design each times;
 * returns how many. */
static int add_raw_subjects(struct lk_point *p, int *from)
{
	int m = 0;

	for (int i = 0; i < p->n && p->n + m < BENCH_MAX_SUBJECTS; i++) {
		struct lk_state *raw = &p->st[p->n + m];
		struct subject *s = &p->s[p->n + m];

		if (!p->st[i].k || p->s[i].skip[0])
			continue;
		*raw = p->st[i];		/* the same image and queries */
		raw->views = malloc(p->cs[i].n * sizeof *raw->views);
		for (unsigned c = 0; c < p->cs[i].n; c++)
			raw->views[c] = pidsim_debug_view(raw->k, p->cs[i].init[c]);
		memset(s, 0, sizeof *s);
		snprintf(s->name, sizeof s->name, "%s", p->s[i].name);
		s->state = raw;
		s->run = run_raw;
		from[m++] = i;
	}
	return m;
}

static void measure_variant(const struct point *pt, struct lk_point *p, int v)
{
	static const char *const variants[] = { "hit", "hit-lat", "miss" };
	int raw = 0, from[BENCH_MAX_SUBJECTS];

	for (int i = 0; i < p->n; i++) {
		struct lk_state *st = &p->st[i];

		if (p->s[i].skip[0])
			continue;
		free(st->q);
		st->q = malloc(p->nq * sizeof *st->q);
		st->mask = p->nq - 1;
		st->chained = v == V_HIT_LAT;
		make_queries(st->q, p->nq, &p->cs[i], v != V_MISS, pt->pid_max,
			     bench.seed);
		if (v == V_MISS && !st->q[0].pid)
			snprintf(p->s[i].skip, sizeof p->s[i].skip, "view full: no misses");
	}
	if (v == V_HIT && pt->latency)
		raw = add_raw_subjects(p, from);
	bench_progress("%s %ld: %s lookups", pt->workload, pt->x, variants[v]);
	bench_measure(p->s, p->n + raw);
	for (int i = 0; i < p->n; i++) {
		results_add_subjects(pt->out, pt->workload, variants[v], pt->x,
				     &p->s[i], 1, "ns/lookup", p->held[i]);
		record_work(pt->out, pt->workload, variants[v], pt->x, &p->s[i],
			    &p->st[i]);
	}
	for (int j = 0; j < raw; j++) {
		results_add_subjects(pt->out, pt->workload, "hit-raw", pt->x,
				     &p->s[p->n + j], 1, "ns/lookup", p->held[from[j]]);
		free(p->st[p->n + j].views);
	}
}

/* Tear down every image (timed, for the scale rows) and the floors. */
static void teardown(const struct point *pt, struct lk_point *p)
{
	for (int i = 0; i < p->n; i++) {
		double t0 = bench_now();

		free(p->st[i].q);
		if (!p->st[i].k)
			continue;
		pidsim_kernel_destroy(p->st[i].k);
		if (pt->scale)
			results_add_value(pt->scale, "scale", "teardown", pt->x,
					  p->s[i].name, "ns/task",
					  (bench_now() - t0) * 1e9 / p->held[i],
					  p->held[i], NULL);
		ctset_free(&p->cs[i]);
	}
	for (unsigned i = 0; p->arr && i < pt->nct; i++) {
		floor_array_fini(&p->arr[i]);
		floor_radix_fini(&p->radix[i]);
	}
	free(p->arr);
	free(p->radix);
	free(p->ftasks);
}

static void lookup_point(const struct point *pt)
{
	static struct lk_point p;
	size_t nq = (size_t)pow2_ceil(4L * pt->nct * pt->per_ct);

	memset(&p, 0, sizeof p);
	p.n = subjects_init(p.s, true);
	p.ref = -1;
	p.nq = nq < 4096 ? 4096 : nq > (1u << 20) ? (1u << 20) : nq;
	for (int i = 0; i < p.n; i++)
		p.s[i].state = &p.st[i];
	setup_designs(pt, &p);
	if (p.ref >= 0) {
		setup_floors(pt, &p);
		for (int v = 0; v < NR_VARIANTS; v++)
			if (v != V_HIT_LAT || pt->latency)
				measure_variant(pt, &p, v);
	}
	teardown(pt, &p);
}

/* ---- The sweeps ---------------------------------------------------------- */

static const long tasks_default[] = { 1024, 16384, 131072, 1048576, 4194304, 0 };
static const long tasks_full[] = { 1024, 4096, 16384, 65536, 262144, 1048576,
				   2097152, 4194304, 0 };

/*
 * Lookup over the number of tasks: one container holding all but host
 * init, so that x is the image's live tasks (4,194,304 at PID_MAX_LIMIT:
 * a container's view holds at most pid_max-1 of them).  pid_max is about
 * twice the tasks, so that misses have numbers to miss.
 */
void wl_lookup_tasks(void)
{
	const long *sizes = bench.full ? tasks_full : tasks_default;
	FILE *out = results_open("lookup-tasks", "live tasks in the image "
		"(host init + one container)",
		"pidsim_find() from inside the container: random hits, random misses");
	FILE *scale = results_open("scale", "live tasks asked for (n: held)",
		"build an image of x live tasks (fork), its bytes, tear it down");

	for (int i = 0; sizes[i]; i++) {
		long x = sizes[i];
		struct point pt = { "lookup-tasks", x, 1, (unsigned)x - 1, 0, out, scale,
				    true };

		if (bench.size && x != bench.size)
			continue;
		pt.pid_max = (int)pow2_ceil(2 * x);
		pt.pid_max = pt.pid_max < PIDSIM_PID_MAX_DEFAULT ? PIDSIM_PID_MAX_DEFAULT
			   : pt.pid_max > PIDSIM_PID_MAX_LIMIT ? PIDSIM_PID_MAX_LIMIT
			   : pt.pid_max;
		lookup_point(&pt);
	}
	results_close(out);
	results_close(scale);
	bench_progress_done();
}

static const long cts_default[] = { 1, 10, 100, 1000, 10000, 0 };
static const long cts_full[] = { 1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 0 };

/* Lookup over the number of containers, the tasks held constant: every
 * query comes from a random container's init and asks for a number in its
 * view. */
void wl_lookup_containers(void)
{
	const long *sizes = bench.full ? cts_full : cts_default;
	long total = bench.full ? 262144 : 65536;
	FILE *out = results_open("lookup-containers", "containers (tasks held constant)",
		"pidsim_find() from random containers' inits: random hits, random misses");

	fprintf(out, "# tasks in all: %ld, spread evenly over the containers\n", total);
	for (int i = 0; sizes[i]; i++) {
		long x = sizes[i];
		struct point pt = { "lookup-containers", x, (unsigned)x,
				    (unsigned)(total / x), 0, out, NULL, false };

		if (bench.size && x != bench.size)
			continue;
		pt.pid_max = (int)pow2_ceil(2 * total);
		lookup_point(&pt);
	}
	results_close(out);
	bench_progress_done();
}
