/*
 * bench.h - the pieces of pidsim's benchmark (make bench).
 *
 * A measurement point (one workload at one size) has a list of subjects:
 * every design compiled in, and reference rows (the floor: a plain array
 * indexed by pid, and a tight radix tree, the strong table beside it).
 * The harness times them interleaved, so that the ratios between subjects
 * hold on a noisy machine: a calibrated, untimed warm-up for each, then
 * rounds in which every subject takes one sample in turn.  A subject's
 * ratio to the array is taken within each round (its sample over the
 * array's in the same round), then summarised over the rounds.  Each
 * result becomes a row (workload, variant, x, subject, statistics) that
 * goes to a TSV file under the results folder and to the summary table.
 *
 * Beside the times, what does not depend on the machine's mood: the
 * instructions per operation, counted by a second run of the same bench
 * under callgrind (bench.counting: every bench_measure() counts instead
 * of timing, the timed region only), and the model's own counters.
 *
 * google/benchmark's conventions: CLOCK_MONOTONIC, samples of at least
 * ~10 ms, the median with min, max and the coefficient of variation, and
 * results kept live through a volatile sink.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pidsim.h"

#define BENCH_MAX_REPS 31
#define BENCH_MAX_SUBJECTS 16

/* ---- Configuration (main.c) ------------------------------------------- */

struct bench_cfg {
	bool full;		/* FULL=1: the whole sweep, up to PID_MAX_LIMIT */
	int reps;		/* samples per subject */
	double min_sample_s;	/* one sample lasts at least this long */
	uint64_t seed;
	const char *outdir;	/* build/bench/results (make bench-paper: bench/results) */
	const char *only;	/* run only these workloads (comma list), or NULL */
	const char *design;	/* run only this design (profiling), or NULL */
	long size;		/* profiling: one size, or 0 */
	bool floors;		/* measure the reference rows */
	bool kernel;		/* measure the real kernel */
	bool ir;		/* count instructions first, under callgrind */
	bool counting;		/* this process is that count (--count) */
	const char *ir_out;	/* counting: callgrind's output file, read back */
};

extern struct bench_cfg bench;

/* ---- Harness (harness.c) ----------------------------------------------- */

/* Keeps results live: everything measured is added here. */
extern volatile uint64_t bench_sink;

double bench_now(void);			/* CLOCK_MONOTONIC, seconds */

struct bench_stats {
	double median, min, max, cv;	/* ns per operation */
	int reps;
	uint64_t iters;			/* operations per sample */
	double ir;			/* instructions per operation, or NaN */
};

/* A ratio to the reference, taken within each round: median, min, max
 * over the rounds (NaN when the pass has no reference). */
struct bench_ratio {
	double median, min, max;
};

/* The reference of every pass that has the floors: the plain array. */
#define BENCH_REF "array"

/* One thing being timed at one measurement point. */
struct subject {
	char name[32];			/* a design's name, "array", "radix" */
	void *state;
	/* Do the operation iters times; return something to keep live. */
	uint64_t (*run)(void *state, uint64_t iters);
	char skip[96];			/* non-empty: why it is not measured */
	double samples[BENCH_MAX_REPS];	/* ns per operation, round by round */
	struct bench_stats st;
	/* Set by bench_measure(): */
	int pass;			/* which bench_measure() timed it */
	struct bench_ratio ratio;	/* to BENCH_REF in the same rounds */
	char flag[96];			/* why its time is suspect, or "" */
};

/*
 * Calibrate and time every subject that is not skipped, interleaved; or,
 * when counting, count each one's instructions per operation (st.ir).
 */
void bench_measure(struct subject *s, int n);

/*
 * Instructions between bench_count_begin() and bench_count_end(), for a
 * workload that times its own samples (a restore into a fresh target):
 * only the code between the two is counted.  0 when not counting.
 */
void bench_count_begin(void);
uint64_t bench_count_end(const char *label);

/* Whether this bench can count instructions (built with callgrind.h), and
 * whether it runs under valgrind now. */
bool bench_can_count(void);
bool bench_under_valgrind(void);

/* The 1-minute load average when the run started, the most seen at any
 * bench_measure() since, and now. */
void bench_load(double *start, double *max, double *end);

/* Statistics of n values. */
void bench_stats_of(const double *v, int n, struct bench_stats *st);

/* Whether a ranking or a verdict between two subjects of one pass holds
 * in every round: the largest of a's sample over b's, round by round. */
double bench_ratio_max(const double *a, const double *b, int n);

/* Progress on stderr: one line, rewritten. */
void bench_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bench_progress_done(void);

/* ---- Random numbers (harness.c) ---------------------------------------- */

/* splitmix64: a seeded stream, identical for every design. */
struct rng { uint64_t s; };
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n). */
uint64_t rng_below(struct rng *r, uint64_t n);

/* ---- Results (results.c) ---------------------------------------------- */

struct row {
	char workload[24];	/* lookup-tasks, churn, ... */
	char variant[24];	/* hit, miss, host, ct, ... */
	long x;			/* the axis value */
	char subject[32];
	char unit[12];		/* ns/op, bytes/task, % ... */
	struct bench_stats st;	/* median NaN when not measured */
	long n;			/* a count that goes with it (tasks held, ...) */
	char note[96];		/* why not measured, or what to know */
	/* Timed rows: */
	int pass;		/* rows of one pass were timed in the same rounds */
	double samples[BENCH_MAX_REPS];	/* st.reps of them */
	struct bench_ratio ratio;	/* to BENCH_REF, within each round */
	char flag[96];		/* why the time is suspect, or "" */
};

/* Open <outdir>/<workload>.tsv (truncated, with # context lines). */
FILE *results_open(const char *workload, const char *axis, const char *about);
void results_close(FILE *f);

/* Record a row: to the file and to the rows kept for the table. */
void results_add(FILE *f, const struct row *r);

/* Rows of subject s of a measurement point, with the unit and a count. */
void results_add_subjects(FILE *f, const char *workload, const char *variant,
			  long x, const struct subject *s, int n,
			  const char *unit, long count);

/* A row of one value (a count, a size) rather than a timing. */
void results_add_value(FILE *f, const char *workload, const char *variant,
		       long x, const char *subject, const char *unit,
		       double value, long count, const char *note);

/* Read the instruction counts of an earlier counting run (its folder's
 * *.tsv); results_add() then fills st.ir of each row it has a count for.
 * Returns how many counts it read. */
size_t results_load_ir(const char *dir);

/* The rows kept, for the table. */
const struct row *results_find(const char *workload, const char *variant,
			       long x, const char *subject);
size_t results_count(void);
const struct row *results_at(size_t i);

/* ---- Context (harness.c) ------------------------------------------------ */

/* The run starts: its date, and the commit it runs (git describe), taken
 * before the run writes anything. */
void bench_start(void);

/* Date, compiler, flags, CPU, seed: to f, each line prefixed by prefix. */
void bench_context(FILE *f, const char *prefix);

/* The run's stamp, one line: date, commit, machine, load, median CV, the
 * machine-speed rows; written to <outdir>/stamp.txt for the charts. */
void bench_stamp(char *buf, size_t len);

/* The median CV of the timed rows (NaN when none): how steady the run was. */
double bench_median_cv(void);

/* ---- The designs, and images to measure (world.c) ------------------------ */

/* What a measurement point needs of a design. */
struct need {
	int level;		/* deepest container level used */
	unsigned containers;	/* containers alive at once, host excluded */
	int pid_max;
};

/* Whether design d can run a point; if not, why in why. */
bool design_supports(const struct pidsim_design_info *d, const struct need *n,
		     char *why, size_t len);

/* Create an image or die: the bench measures nothing without one. */
pidsim_kernel *world_kernel(const char *design, int pid_max);

/* fork(), for set-up: the child, PIDSIM_NO_TASK when a pid range is full
 * (-EAGAIN); any other failure is a bug of the bench, and ends it. */
pidsim_tid world_fork(pidsim_kernel *k, pidsim_tid parent, unsigned flags);

/*
 * Fill container ct (named by its init) up to n tasks in all, init
 * included, forking from parent (a running task of ct).  Returns how many
 * it holds: fewer than n when a pid range is full.
 */
unsigned world_fill(pidsim_kernel *k, pidsim_tid parent, unsigned have,
		    unsigned n);

/* iters fork + exit + wait cycles of worker's children: the measured
 * churn loop; returns a sum of the pids, to keep the work live. */
uint64_t world_churn(pidsim_kernel *k, pidsim_tid worker, uint64_t iters);

/* The pids cur sees, ascending, in a new array; *n their number. */
int *world_pids(pidsim_kernel *k, pidsim_tid cur, size_t *n);

/* A random number in 1 .. pid_max-1 missing from pids (ascending), or 0
 * when the view is (nearly) full. */
int world_random_free(const int *pids, size_t npids, int pid_max, struct rng *r);

/* The note of a design that cannot hold an image: "holds 10 of 16 tasks",
 * with "not supported by this design: " first when skip. */
void world_short(char *why, size_t len, const char *design, long held, long want,
		 bool skip);

/* Smallest power of two >= x. */
long pow2_ceil(long x);

/* The subjects of a point: the designs, then the floors when asked for
 * (BENCH_REF, the array, and the radix tree). */
int subjects_init(struct subject *s, bool with_floors);

/* ---- The floor (floor.c) ---------------------------------------------------- */

/*
 * The reference rows.  A floor task is an object the size of a pidspace
 * task (the common task fields and one table node: 80 bytes), its first
 * word its handle, so that a floor lookup does what pidsim_find() does at
 * least: find the task, read its handle.
 */
struct floor_task {
	uint64_t handle;
	struct floor_task *parent;	/* the calls' floor (w_calls.c) */
	char pad[64];
};

/* A plain array indexed by pid. */
struct floor_array {
	struct floor_task **slot;
	int size;
};

/* A tight radix tree of 256-slot levels, its height fixed by pid_max (at
 * most 3: 2^24 numbers): the strong table (floor.c says why not a hash). */
struct floor_radix_node {
	void *slot[256];
};
struct floor_radix {
	struct floor_radix_node *root;
	int height;
	unsigned limit;		/* 256^height: keys below it */
};

void floor_array_init(struct floor_array *a, int size);
void floor_array_fini(struct floor_array *a);
void floor_radix_init(struct floor_radix *t, int pid_max);
void floor_radix_fini(struct floor_radix *t);
void floor_radix_put(struct floor_radix *t, int key, struct floor_task *task);
void floor_radix_del(struct floor_radix *t, int key);

/* A find: inline, as the array's one load is, and unrolled by height. */
static inline struct floor_task *floor_radix_get(const struct floor_radix *t, int key)
{
	const struct floor_radix_node *n = t->root;

	if ((unsigned)key >= t->limit)
		return NULL;
	switch (t->height) {
	case 3:
		n = n->slot[(key >> 16) & 255];
		if (!n)
			return NULL;
		/* fall through */
	case 2:
		n = n->slot[(key >> 8) & 255];
		if (!n)
			return NULL;
		/* fall through */
	default:
		return n->slot[key & 255];
	}
}

/* A plain cyclic allocator: a flat bitmap and a cursor (no reserved
 * range, no pages), the least alloc_pid() can do. */
struct floor_bits {
	uint64_t *word;
	int pid_max, last;
};

void floor_bits_init(struct floor_bits *b, int pid_max);
void floor_bits_fini(struct floor_bits *b);
int floor_bits_alloc(struct floor_bits *b);	/* a number, or -1 when full */
void floor_bits_free(struct floor_bits *b, int nr);

/* ---- Workloads ---------------------------------------------------------- */

void wl_lookup_tasks(void);
void wl_lookup_containers(void);
void wl_calls(void);
void wl_groups(void);
void wl_churn(void);
void wl_iterate(void);
void wl_notify(void);
void wl_depth(void);
void wl_migrate(void);
void wl_kernel(void);
void wl_machine(const char *when);	/* machine.c: the machine-speed rows */

/* The nesting depths swept (w_depth.c), ascending, for the model and the
 * real kernel alike: a few in the default sweep, 0..32 with FULL=1.
 * depths has room for PIDSIM_MAX_LEVEL + 1; returns how many. */
int depth_list(int *depths);

/* ---- The summary table (table.c) ------------------------------------------ */

void table_print(FILE *f);

#endif
