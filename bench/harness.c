/* harness.c - timing, statistics, progress and context (see bench.h). */
#define _GNU_SOURCE
#include <math.h>
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
 * Grow the iteration count until one run lasts min_sample_s.  The runs
 * made on the way are the subject's untimed warm-up.
 */
static uint64_t calibrate(struct subject *s)
{
	uint64_t iters = 1;

	for (;;) {
		double t = time_run(s, iters), want = bench.min_sample_s * 1.1;

		if (t >= bench.min_sample_s)
			return iters;
		if (t < want / 100)
			iters *= 10;
		else
			iters = (uint64_t)ceil((double)iters * want / t);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

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

void bench_measure(struct subject *s, int n)
{
	int reps = bench.reps;

	for (int j = 0; j < n; j++)
		if (!s[j].skip[0])
			s[j].st.iters = calibrate(&s[j]);
	/* Every repetition takes one sample of each subject, starting with a
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
	}
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
	fprintf(f, "%ssampling:  %d repetitions of >= %.0f ms per subject, "
		"interleaved; median, min, max, CV; CLOCK_MONOTONIC\n",
		p, bench.reps, bench.min_sample_s * 1e3);
	fprintf(f, "%ssweep:     %s\n", p, bench.full ? "FULL=1 (to PID_MAX_LIMIT)"
						    : "default (make bench FULL=1 for all)");
}
