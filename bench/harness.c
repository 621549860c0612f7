/* harness.c - timing, statistics, progress and context (see bench.h). */
#define _GNU_SOURCE
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* Set by the Makefile: how the library and the bench were compiled. */
#ifndef BENCH_LIB_CFLAGS
#define BENCH_LIB_CFLAGS "?"
#endif
#ifndef BENCH_CFLAGS
#define BENCH_CFLAGS "?"
#endif

volatile uint64_t bench_sink;

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double time_run(struct subject *s, uint64_t iters)
{
	double t0 = bench_now();

	bench_sink += s->run(s->state, iters);
	return bench_now() - t0;
}

/*
 * Grow the iteration count until one run lasts min_sample_s; the runs
 * made on the way are the subject's untimed warm-up.  A step preempted
 * on a busy machine looks slow, and a count taken from it leaves samples
 * of a few cold microseconds: a step whose time per iteration jumps
 * above twice the best seen is retried, the count is taken from the best
 * rate seen, and the calibration ends only when a second step long
 * enough to time has confirmed that rate.
 */
#define CAL_MAX_STEPS 40

static uint64_t calibrate(struct subject *s)
{
	double want = bench.min_sample_s * 1.1, best = INFINITY;
	uint64_t iters = 1;
	int timed = 0, retries = 0;

	for (int step = 0; step < CAL_MAX_STEPS; step++) {
		double t = time_run(s, iters), per = t / (double)iters;
		uint64_t from_best;

		if (t < bench.min_sample_s / 20) {	/* too short to time */
			iters *= t < want / 100 ? 10 : 2;
			continue;
		}
		if (per > 2 * best && retries < 3) {	/* a jump: preempted */
			retries++;
			continue;
		}
		timed++;
		best = per < best ? per : best;
		from_best = (uint64_t)ceil(want / best);
		if (t >= bench.min_sample_s && timed >= 2 && from_best <= iters)
			return iters;
		if (from_best > iters)
			iters = from_best;
	}
	return iters;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void bench_stats_of(const double *v, int n, struct bench_stats *st)
{
	double sorted[BENCH_MAX_REPS], mean = 0, var = 0;

	memcpy(sorted, v, (size_t)n * sizeof *v);
	qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
	for (int i = 0; i < n; i++)
		mean += v[i] / n;
	for (int i = 0; i < n; i++)
		var += (v[i] - mean) * (v[i] - mean) / n;
	st->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	st->min = sorted[0];
	st->max = sorted[n - 1];
	st->cv = mean > 0 ? sqrt(var) / mean : 0;
	st->reps = n;
}

double bench_ratio_max(const double *a, const double *b, int n)
{
	double most = NAN;

	for (int r = 0; r < n; r++)
		if (b[r] > 0 && !(a[r] / b[r] <= most))
			most = a[r] / b[r];
	return most;
}

/* s's ratio to ref, round by round, summarised. */
static void ratio_of(struct subject *s, const struct subject *ref, int reps)
{
	double v[BENCH_MAX_REPS];
	struct bench_stats st;

	for (int r = 0; r < reps; r++)
		v[r] = s->samples[r] / ref->samples[r];
	bench_stats_of(v, reps, &st);
	s->ratio.median = st.median;
	s->ratio.min = st.min;
	s->ratio.max = st.max;
}

/*
 * A flag on a subject whose iteration count is under 1/20 of its point's
 * median while its samples are shorter than asked: a count that a
 * disturbed calibration left, not a slow operation.
 */
static void flag_short(struct subject *s, int n)
{
	uint64_t iters[BENCH_MAX_SUBJECTS], median;
	int m = 0;

	for (int j = 0; j < n; j++)
		if (!s[j].skip[0])
			iters[m++] = s[j].st.iters;
	if (!m)
		return;
	qsort(iters, (size_t)m, sizeof *iters, cmp_u64);
	median = iters[m / 2];
	for (int j = 0; j < n; j++) {
		double sample_s = s[j].st.median * 1e-9 * (double)s[j].st.iters;

		if (s[j].skip[0] || s[j].st.iters * 20 >= median ||
		    sample_s >= bench.min_sample_s / 2)
			continue;
		snprintf(s[j].flag, sizeof s[j].flag, "calibration disturbed: "
			 "%llu iterations (point median %llu), samples of %.2f ms",
			 (unsigned long long)s[j].st.iters, (unsigned long long)median,
			 sample_s * 1e3);
	}
}

static int nr_passes;
static void load_sample(void);
static void count_measure(struct subject *s, int n);

void bench_measure(struct subject *s, int n)
{
	int reps = bench.reps, ref = -1, pass = ++nr_passes;

	load_sample();
	for (int j = 0; j < n; j++) {
		s[j].pass = pass;
		s[j].flag[0] = 0;
		s[j].st.ir = NAN;
		s[j].ratio.median = s[j].ratio.min = s[j].ratio.max = NAN;
		if (!s[j].skip[0] && !strcmp(s[j].name, BENCH_REF) && ref < 0)
			ref = j;
	}
	if (bench.counting) {
		count_measure(s, n);
		return;
	}
	for (int j = 0; j < n; j++)
		if (!s[j].skip[0])
			s[j].st.iters = calibrate(&s[j]);
	/* Every round takes one sample of each subject, starting with a
	 * different one each time, so that drift hits all of them alike. */
	for (int r = 0; r < reps; r++) {
		for (int i = 0; i < n; i++) {
			struct subject *x = &s[(i + r) % n];

			if (!x->skip[0])
				x->samples[r] = time_run(x, x->st.iters) * 1e9 /
						(double)x->st.iters;
		}
	}
	for (int j = 0; j < n; j++) {
		uint64_t iters = s[j].st.iters;

		if (s[j].skip[0])
			continue;
		bench_stats_of(s[j].samples, reps, &s[j].st);
		s[j].st.iters = iters;
		s[j].st.ir = NAN;
		if (ref >= 0)
			ratio_of(&s[j], &s[ref], reps);
	}
	flag_short(s, n);
}

/* ---- Instructions: the counting run, under callgrind -------------------- */

/*
 * make bench runs the bench twice: first under callgrind with
 * --collect-atstart=no --instr-atstart=no --combine-dumps=yes
 * (main.c), where bench_measure() counts instead of timing; then timed,
 * reading the counts back (results_load_ir()).  Around the counted run
 * only, collection is switched on; a dump then appends its totals to
 * callgrind's output file, which this process reads back: callgrind has
 * no request that returns a count.
 *
 * Instructions per operation are the same on a busy machine as on a
 * quiet one: they are the cost that does not depend on the machine's
 * mood.  A count is made on a warmed-up subject, over enough operations
 * to make about IR_TARGET instructions (at least one), the same number
 * in every run (chosen from a count of one operation), so that two runs
 * count the same work.
 */
#ifdef BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

#define IR_TARGET 2000000ull
#define IR_MAX_ITERS 100000ull

static long ir_offset;		/* how much of callgrind's file is read */

/* The totals of the last dump appended to callgrind's file. */
static uint64_t ir_read_totals(void)
{
	FILE *f = fopen(bench.ir_out, "r");
	char line[512];
	uint64_t last = 0;
	int seen = 0;

	if (!f || fseek(f, ir_offset, SEEK_SET)) {
		fprintf(stderr, "bench: cannot read callgrind's %s\n", bench.ir_out);
		exit(1);
	}
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "totals:", 7)) {
			last = strtoull(line + 7, NULL, 10);
			seen = 1;
		}
	}
	ir_offset = ftell(f);
	fclose(f);
	if (!seen) {
		fprintf(stderr, "bench: no totals in callgrind's %s\n", bench.ir_out);
		exit(1);
	}
	return last;
}

/* Instrumentation is on only from begin to end: the set-up and the
 * warm-up runs between counts go at the speed of valgrind's plain
 * translation, many times that of callgrind's. */
void bench_count_begin(void)
{
	if (!bench.counting)
		return;
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_TOGGLE_COLLECT;
}

uint64_t bench_count_end(const char *label)
{
	if (!bench.counting)
		return 0;
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_STOP_INSTRUMENTATION;
	CALLGRIND_DUMP_STATS_AT(label);
	return ir_read_totals();
}

static uint64_t count_run(struct subject *s, uint64_t iters)
{
	uint64_t sum;

	bench_count_begin();
	sum = s->run(s->state, iters);
	bench_sink += sum;
	return bench_count_end(s->name);
}

static void count_measure(struct subject *s, int n)
{
	for (int j = 0; j < n; j++) {
		uint64_t one, iters, total;

		if (s[j].skip[0])
			continue;
		bench_sink += s[j].run(s[j].state, 1);	/* warm-up */
		one = count_run(&s[j], 1);
		iters = one ? IR_TARGET / one : IR_MAX_ITERS;
		iters = iters > IR_MAX_ITERS ? IR_MAX_ITERS : iters;
		if (iters > 1) {
			bench_sink += s[j].run(s[j].state, iters);	/* warm-up */
			total = count_run(&s[j], iters);
		} else {
			iters = 1;
			total = one;
		}
		s[j].st.median = s[j].st.min = s[j].st.max = NAN;
		s[j].st.cv = 0;
		s[j].st.reps = 0;
		s[j].st.iters = iters;
		s[j].st.ir = (double)total / (double)iters;
	}
}

bool bench_under_valgrind(void)
{
	return RUNNING_ON_VALGRIND;
}

bool bench_can_count(void)
{
#ifdef BENCH_HAVE_CALLGRIND
	return true;
#else
	return false;
#endif
}

/* ---- Load ------------------------------------------------------------------ */

static double load_first = NAN, load_most = NAN;

static double load_now(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double l = NAN;

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = NAN;
		fclose(f);
	}
	return l;
}

static void load_sample(void)
{
	double l = load_now();

	if (isnan(load_first))
		load_first = l;
	if (!(l <= load_most))
		load_most = l;
}

void bench_load(double *start, double *most, double *end)
{
	load_sample();
	*start = load_first;
	*most = load_most;
	*end = load_now();
}

/* ---- Progress ------------------------------------------------------------ */

static double last_progress;
static int progress_open;

void bench_progress(const char *fmt, ...)
{
	bool tty = isatty(STDERR_FILENO);
	double now = bench_now();
	va_list ap;

	/* A log file gets a line every few seconds, a terminal every call. */
	if (!tty && now - last_progress < 3)
		return;
	last_progress = now;
	fputs(tty ? "\r\033[K.. " : ".. ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (!tty)
		fputc('\n', stderr);
	progress_open = tty;
	fflush(stderr);
}

void bench_progress_done(void)
{
	if (progress_open)
		fputs("\r\033[K", stderr);
	progress_open = 0;
}

/* ---- Random numbers ---------------------------------------------------- */

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* ---- Context ----------------------------------------------------------- */

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon) {
			snprintf(buf, len, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = 0;
			break;
		}
	}
	fclose(f);
}

/*
 * What first touching memory costs here, per 4 KiB page, measured once:
 * on a virtual machine it can be tens of microseconds, and it is most of
 * what building a large image costs.
 */
static double page_touch_ns(void)
{
	static double ns = -1;
	size_t len = 32u << 20;
	char *p;
	double t0;

	if (ns >= 0)
		return ns;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ns = 0;
	t0 = bench_now();
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	ns = (bench_now() - t0) * 1e9 / (double)(len / 4096);
	munmap(p, len);
	return ns;
}

/* The first three fields of /proc/loadavg: how busy the machine is. */
static void loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	snprintf(buf, len, "?");
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, " \n")] = 0, buf[len - 1] = 0;
	if (f)
		fclose(f);
}

/* The commit the bench was run from ("abc1234", "-dirty" when the tree
 * has changes), or "unknown" outside a git work tree. */
static const char *commit(void)
{
	static char buf[64];
	FILE *p;

	if (buf[0])
		return buf;
	snprintf(buf, sizeof buf, "unknown");
	p = popen("git describe --always --dirty --abbrev=7 2>/dev/null", "r");
	if (p) {
		if (fgets(buf, sizeof buf, p))
			buf[strcspn(buf, "\n")] = 0;
		if (pclose(p) != 0 || !buf[0])
			snprintf(buf, sizeof buf, "unknown");
	}
	return buf;
}

static time_t started;

void bench_start(void)
{
	started = time(NULL);
	commit();	/* before this run writes a file git tracks */
}

void bench_context(FILE *f, const char *p)
{
	const char *tunables = getenv("GLIBC_TUNABLES");
	char load[64];

	char date[64], cpu[128];
	time_t now = time(NULL);
	struct utsname u;

	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S %z", localtime(&now));
	cpu_model(cpu, sizeof cpu);
	uname(&u);
	fprintf(f, "%sdate:      %s\n", p, date);
	fprintf(f, "%scommit:    %s\n", p, commit());
	fprintf(f, "%scpu:       %s, %ld online\n", p, cpu, sysconf(_SC_NPROCESSORS_ONLN));
	loadavg(load, sizeof load);
	fprintf(f, "%skernel:    %s %s; load average %s at start\n", p, u.sysname,
		u.release, load);
	fprintf(f, "%scompiler:  gcc %s\n", p, __VERSION__);
	fprintf(f, "%sflags:     libpidsim %s; bench %s\n", p, BENCH_LIB_CFLAGS,
		BENCH_CFLAGS);
	fprintf(f, "%smemory:    first touch %.0f ns per 4 KiB page; GLIBC_TUNABLES=%s\n",
		p, page_touch_ns(), tunables ? tunables : "(unset)");
	fprintf(f, "%sseed:      %#llx\n", p, (unsigned long long)bench.seed);
	if (bench.counting)
		fprintf(f, "%scounting:  instructions per operation under callgrind, "
			"the timed region only; no times\n", p);
	else
		fprintf(f, "%ssampling:  %d rounds of >= %.0f ms per subject, "
			"interleaved; median, min, max, CV; ratio to the %s within "
			"each round; CLOCK_MONOTONIC\n",
			p, bench.reps, bench.min_sample_s * 1e3, BENCH_REF);
	fprintf(f, "%ssweep:     %s\n", p, bench.full ? "FULL=1 (to PID_MAX_LIMIT)"
						    : "default (make bench FULL=1 for all)");
}

/* ---- The stamp -------------------------------------------------------- */

void bench_stamp(char *buf, size_t len)
{
	const struct row *a0 = results_find("machine", "array-lookup", 0, BENCH_REF);
	const struct row *c0 = results_find("machine", "chase", 0, "chase");
	const struct row *c1 = results_find("machine", "chase", 1, "chase");
	double l0, lmax, l1, cv = bench_median_cv();
	char date[32], cpu[128], speed[96] = "";
	time_t t = started ? started : time(NULL);

	strftime(date, sizeof date, "%Y-%m-%d %H:%M", localtime(&t));
	cpu_model(cpu, sizeof cpu);
	bench_load(&l0, &lmax, &l1);
	if (a0 && c0)
		snprintf(speed, sizeof speed, "; machine: array lookup %.2f ns, "
			 "memory chase %.0f ns", a0->st.median, c0->st.median);
	if (c0 && c1 && !isnan(c1->st.median))
		snprintf(speed + strlen(speed), sizeof speed - strlen(speed),
			 " (%.0f at the end)", c1->st.median);
	snprintf(buf, len, "%s, commit %s, %s x%ld, load %.2f -> %.2f (max %.2f), "
		 "median CV %.1f%%%s", date, commit(), cpu,
		 sysconf(_SC_NPROCESSORS_ONLN), l0, l1, lmax, cv * 100, speed);
}
