/*
 * main.c - pidsim-bench: every design, every workload, in one run.
 *
 *   pidsim-bench [--full] [--only w1,w2] [--design NAME] [--size N]
 *                [--reps R] [--min-ms MS] [--seed S] [--out DIR]
 *                [--ir-dir DIR] [--no-ir] [--no-floor] [--no-kernel]
 *
 * The table goes to stdout, context and progress to stderr, the rows to
 * DIR/<workload>.tsv and the run's stamp to DIR/stamp.txt (make bench:
 * build/bench/results/; make bench-paper: bench/results/).  --design and
 * --size narrow a run to one design and one size, for make profile.
 *
 * Unless --no-ir, the bench first runs itself under callgrind (--count,
 * in the folder --ir-dir, DIR/ir by default), counting instructions per
 * operation instead of timing, then reads the counts back into its rows:
 * the column of the TSVs and the table that a busy machine cannot move.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

struct bench_cfg bench = {
	.reps = 7,
	.min_sample_s = 0.010,
	.seed = 0x2006020318363500ull,	/* the summary's date and time */
	.outdir = "build/bench/results",
	.floors = true,
	.kernel = true,
	.ir = true,
};

static const char *ir_dir;	/* --ir-dir: the counting run's folder */

/* In this order: the real kernel first, while the bench's heap is small
 * and fork() copies little. */
static const struct {
	const char *name;
	void (*run)(void);
} workloads[] = {
	{ "kernel", wl_kernel },
	{ "calls", wl_calls },
	{ "groups", wl_groups },
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
	fprintf(stderr,
		"usage: pidsim-bench [options]\n"
		"  --only w1,w2   run only these workloads\n"
		"  --design NAME  run only this design (no floors)\n"
		"  --size N       run only this size (the x of a workload)\n"
		"  --full         the whole sweep, up to PID_MAX_LIMIT tasks\n"
		"  --reps R       rounds per subject (default 7, at most %d)\n"
		"  --min-ms MS    a sample lasts at least MS ms (default 10)\n"
		"  --seed S       the seed of every random sequence\n"
		"  --out DIR      results folder (default build/bench/results)\n"
		"  --ir-dir DIR   the instruction count's folder (default DIR/ir)\n"
		"  --no-ir        do not count instructions under callgrind\n"
		"  --no-floor     no reference rows (array, radix)\n"
		"  --no-kernel    do not measure the real kernel\n"
		"workloads:", BENCH_MAX_REPS);
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
		else if (!strcmp(a, "--no-ir"))
			bench.ir = false;
		else if (!strcmp(a, "--count"))
			bench.counting = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage();
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
		else if (!strcmp(a, "--ir-dir"))
			ir_dir = v, i++;
		else if (!strcmp(a, "--ir-file"))	/* the counting run's */
			bench.ir_out = v, i++;
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

/* mkdir -p */
static void make_dir(const char *path)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(buf, 0777);
		*p = '/';
	}
	if (mkdir(buf, 0777) && errno != EEXIST) {
		fprintf(stderr, "pidsim-bench: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[1024];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		snprintf(buf, sizeof buf, "%.*s/%s", (int)len, path, prog);
		if (access(buf, X_OK) == 0)
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

/*
 * The counting run: this program under callgrind with --count, the same
 * workloads, sizes and seed, no real kernel; its rows go to dir.  False
 * when it cannot run or fails (the timed run goes on without counts).
 */
static bool count_instructions(const char *dir)
{
	char out_file[600], cg_out[640], log[600], exe[512], size[32], seed[32];
	const char *argv[40];
	int argc = 0, status;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	pid_t pid;

	if (len < 0 || !in_path("valgrind"))
		return false;
	exe[len] = 0;
	make_dir(dir);
	snprintf(out_file, sizeof out_file, "%s/callgrind.out", dir);
	snprintf(log, sizeof log, "%s/count.log", dir);
	unlink(out_file);
	argv[argc++] = "valgrind";
	argv[argc++] = "--tool=callgrind";
	argv[argc++] = "--collect-atstart=no";
	argv[argc++] = "--instr-atstart=no";
	argv[argc++] = "--combine-dumps=yes";
	argv[argc++] = "--dump-line=no";
	snprintf(cg_out, sizeof cg_out, "--callgrind-out-file=%s", out_file);
	argv[argc++] = cg_out;
	argv[argc++] = exe;
	argv[argc++] = "--count";
	argv[argc++] = "--no-kernel";
	argv[argc++] = "--out";
	argv[argc++] = dir;
	argv[argc++] = "--ir-file";
	argv[argc++] = out_file;
	snprintf(seed, sizeof seed, "%#llx", (unsigned long long)bench.seed);
	argv[argc++] = "--seed";
	argv[argc++] = seed;
	if (bench.full)
		argv[argc++] = "--full";
	if (!bench.floors)
		argv[argc++] = "--no-floor";
	if (bench.only)
		argv[argc++] = "--only", argv[argc++] = bench.only;
	if (bench.design)
		argv[argc++] = "--design", argv[argc++] = bench.design;
	if (bench.size) {
		snprintf(size, sizeof size, "%ld", bench.size);
		argv[argc++] = "--size", argv[argc++] = size;
	}
	argv[argc] = NULL;
	fprintf(stderr, "  counting instructions under callgrind (%s)\n", log);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		if (!freopen(log, "w", stdout) || dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
			_exit(127);
		execvp("valgrind", (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	unlink(out_file);		/* large, and read already */
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "  the count failed (see %s): no instruction column\n", log);
		return false;
	}
	return true;
}

static void write_stamp(void)
{
	char path[600], stamp[512];
	FILE *f;

	bench_stamp(stamp, sizeof stamp);
	snprintf(path, sizeof path, "%s/stamp.txt", bench.outdir);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%s\n", stamp);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	double t0 = bench_now();
	char dir[600];

	parse(argc, argv);
	bench_start();
	make_dir(bench.outdir);
	if (bench.ir && !bench.counting) {
		snprintf(dir, sizeof dir, "%s/ir", bench.outdir);
		if (!ir_dir)
			ir_dir = dir;
		if (!bench_can_count())
			fprintf(stderr, "  no instruction column: built without "
				"valgrind/callgrind.h\n");
		else if (count_instructions(ir_dir))
			fprintf(stderr, "  instructions: %zu counts (%.0f s)\n",
				results_load_ir(ir_dir), bench_now() - t0);
	}
	if (bench.counting && !bench_under_valgrind()) {
		fprintf(stderr, "pidsim-bench: --count runs under callgrind "
			"(pidsim-bench runs it itself)\n");
		return 2;
	}
	fprintf(stderr, "pidsim bench%s\n", bench.counting ? ": counting instructions" : "");
	bench_context(stderr, "  ");
	fprintf(stderr, "  designs:  ");
	for (size_t i = 0; i < pidsim_design_count(); i++)
		fprintf(stderr, "%s%s", i ? ", " : "", pidsim_design_at(i)->name);
	fprintf(stderr, "\n");
	wl_machine("start");
	for (size_t i = 0; i < sizeof workloads / sizeof workloads[0]; i++) {
		double t = bench_now();

		if (!wanted(workloads[i].name) ||
		    (workloads[i].run == wl_kernel && (!bench.kernel || bench.counting)))
			continue;
		workloads[i].run();
		fprintf(stderr, "  %-18s %6.1f s\n", workloads[i].name, bench_now() - t);
	}
	wl_machine("end");
	fprintf(stderr, "  total              %6.1f s\n", bench_now() - t0);
	if (bench.counting)
		return 0;
	write_stamp();
	table_print(stdout);
	return 0;
}
