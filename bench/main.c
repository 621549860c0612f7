/*
 * main.c - pidsim-bench: every design, every workload, in one run.
 *
 *   pidsim-bench [--full] [--only w1,w2] [--design NAME] [--size N]
 *                [--reps R] [--min-ms MS] [--seed S] [--out DIR]
 *                [--no-floor] [--no-kernel]
 *
 * The table goes to stdout, context and progress to stderr, the rows to
 * DIR/<workload>.tsv (bench/results/).  --design and --size narrow a run
 * to one design and one size, for make profile.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct bench_cfg bench = {
	.reps = 7,
	.min_sample_s = 0.010,
	.seed = 0x2006020318363500ull,	/* the summary's date and time */
	.outdir = "bench/results",
	.floors = true,
	.kernel = true,
};

/* In this order: the real kernel first, while the bench's heap is small
 * and fork() copies little. */
static const struct {
	const char *name;
	void (*run)(void);
} workloads[] = {
	{ "kernel", wl_kernel },
	{ "calls", wl_calls },
	{ "lookup-tasks", wl_lookup_tasks },	/* and the scale rows */
	{ "lookup-containers", wl_lookup_containers },
	{ "churn", wl_churn },
	{ "depth", wl_depth },
	{ "iterate", wl_iterate },
	{ "notify", wl_notify },
	{ "migration", wl_migrate },
};

static bool wanted(const char *name)
{
	const char *p = bench.only;
	size_t len = strlen(name);

	if (!p)
		return true;
	while ((p = strstr(p, name))) {
		bool start = p == bench.only || p[-1] == ',';

		if (start && (p[len] == ',' || p[len] == 0))
			return true;
		p += len;
	}
	return false;
}

static void usage(void)
{
	fprintf(stderr, "usage: pidsim-bench [--full] [--only w1,w2] [--design NAME] "
		"[--size N] [--reps R] [--min-ms MS] [--seed S] [--out DIR] "
		"[--no-floor] [--no-kernel]\nworkloads:");
	for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++)
		fprintf(stderr, " %s", workloads[i].name);
	fputc('\n', stderr);
	exit(2);
}

static void parse(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--full"))
			bench.full = true;
		else if (!strcmp(a, "--no-floor"))
			bench.floors = false;
		else if (!strcmp(a, "--no-kernel"))
			bench.kernel = false;
		else if (!v)
			usage();
		else if (!strcmp(a, "--only"))
			bench.only = v, i++;
		else if (!strcmp(a, "--design"))
			bench.design = v, i++;
		else if (!strcmp(a, "--size"))
			bench.size = strtol(v, NULL, 0), i++;
		else if (!strcmp(a, "--reps"))
			bench.reps = atoi(v), i++;
		else if (!strcmp(a, "--min-ms"))
			bench.min_sample_s = atof(v) / 1e3, i++;
		else if (!strcmp(a, "--seed"))
			bench.seed = strtoull(v, NULL, 0), i++;
		else if (!strcmp(a, "--out"))
			bench.outdir = v, i++;
		else
			usage();
	}
	if (bench.reps < 1 || bench.reps > BENCH_MAX_REPS || bench.min_sample_s <= 0)
		usage();
	if (bench.design && !pidsim_design_find(bench.design)) {
		fprintf(stderr, "pidsim-bench: no design '%s'\n", bench.design);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	double t0 = bench_now();

	parse(argc, argv);
	fprintf(stderr, "pidsim bench\n");
	bench_context(stderr, "  ");
	fprintf(stderr, "  designs:  ");
	for (size_t i = 0; i < pidsim_design_count(); i++)
		fprintf(stderr, "%s%s", i ? ", " : "", pidsim_design_at(i)->name);
	fprintf(stderr, "\n");
	for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++) {
		double t = bench_now();

		if (!wanted(workloads[i].name) ||
		    (workloads[i].run == wl_kernel && !bench.kernel))
			continue;
		workloads[i].run();
		fprintf(stderr, "  %-18s %6.1f s\n", workloads[i].name, bench_now() - t);
	}
	fprintf(stderr, "  total              %6.1f s\n", bench_now() - t0);
	table_print(stdout);
	return 0;
}
