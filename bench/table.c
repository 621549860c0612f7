/*
 * table.c - the summary on stdout: a row per measurement, the designs as
 * columns, each cell the median and its ratio to the row's reference, the
 * fastest design marked; the real kernel in a column of its own; then the
 * issue's targets, met or missed, and why.
 *
 * Rows whose results are missing (a narrowed run) are left out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

enum ref {
	REF_HASH,	/* the plain open-addressing hash */
	REF_HASH_HIT,	/* its hits, for a variant the floor sits out */
	REF_ARRAY,	/* the plain array */
	REF_MODEL,	/* the model's constant overhead: getpid from the host */
	REF_BEST,	/* the best design */
	REF_NONE,	/* a count: no ratio */
};
static const char *const ref_name[] = { "hash", "hash", "array", "model", "best", "" };

struct trow {
	const char *label;
	const char *workload, *variant;
	long x;
	enum ref ref;
	const char *kvariant;	/* the real kernel's counterpart, or NULL */
	long kx;
};

static const struct trow trows[] = {
	{ "lookup hit, 1,024 tasks", "lookup-tasks", "hit", 1024, REF_HASH, NULL, 0 },
	{ "lookup hit, 131,072 tasks", "lookup-tasks", "hit", 131072, REF_HASH, NULL, 0 },
	{ "lookup hit, 1,048,576 tasks", "lookup-tasks", "hit", 1048576, REF_HASH, NULL, 0 },
	{ "lookup hit, 4,194,304 tasks", "lookup-tasks", "hit", 4194304, REF_HASH, NULL, 0 },
	{ "lookup alone, 1,048,576 tasks", "lookup-tasks", "hit-raw", 1048576, REF_HASH_HIT, NULL, 0 },
	{ "lookup latency, 1,024 tasks", "lookup-tasks", "hit-lat", 1024, REF_HASH, NULL, 0 },
	{ "lookup latency, 1,048,576 tasks", "lookup-tasks", "hit-lat", 1048576, REF_HASH, NULL, 0 },
	{ "lookup miss, 1,024 tasks", "lookup-tasks", "miss", 1024, REF_HASH, NULL, 0 },
	{ "lookup miss, 1,048,576 tasks", "lookup-tasks", "miss", 1048576, REF_HASH, NULL, 0 },
	{ "lookup hit, 1 container", "lookup-containers", "hit", 1, REF_HASH, NULL, 0 },
	{ "lookup hit, 100 containers", "lookup-containers", "hit", 100, REF_HASH, NULL, 0 },
	{ "lookup hit, 10,000 containers", "lookup-containers", "hit", 10000, REF_HASH, NULL, 0 },
	{ "lookup miss, 10,000 containers", "lookup-containers", "miss", 10000, REF_HASH, NULL, 0 },
	{ "getpid, host (model overhead)", "calls", "getpid", 0, REF_MODEL, "getpid", 0 },
	{ "getpid, level 1", "calls", "getpid", 1, REF_MODEL, "getpid", 1 },
	{ "getpid, level 2", "calls", "getpid", 2, REF_MODEL, "getpid", 2 },
	{ "getppid, level 1", "calls", "getppid", 1, REF_MODEL, "getppid", 1 },
	{ "kill(pid, 0), host", "calls", "kill0", 0, REF_MODEL, "kill0", 0 },
	{ "kill(pid, 0), level 1", "calls", "kill0", 1, REF_MODEL, "kill0", 1 },
	{ "kill(pid, 0), level 2", "calls", "kill0", 2, REF_MODEL, "kill0", 2 },
	{ "waitpid(running), level 1", "calls", "wait", 1, REF_MODEL, NULL, 0 },
	{ "fork+exit+wait, ct, 1,024", "churn", "ct", 1024, REF_HASH, "fork-exit-wait", 1 },
	{ "fork+exit+wait, ct, 32,768", "churn", "ct", 32768, REF_HASH, "fork-exit-wait", 1 },
	{ "fork+exit+wait, host, 32,768", "churn", "host", 32768, REF_HASH, "fork-exit-wait", 0 },
	{ "fork+exit+wait, ct, 262,144", "churn", "ct", 262144, REF_HASH, "fork-exit-wait", 1 },
	{ "fork+exit+wait, depth 0", "depth", "fork", 0, REF_BEST, "fork-exit-wait", 0 },
	{ "fork+exit+wait, depth 1", "depth", "fork", 1, REF_BEST, "fork-exit-wait", 1 },
	{ "fork+exit+wait, depth 8", "depth", "fork", 8, REF_BEST, "fork-exit-wait", 8 },
	{ "fork+exit+wait, depth 32", "depth", "fork", 32, REF_BEST, "fork-exit-wait", 32 },
	{ "lookup from deepest init, depth 8", "depth", "find-deep", 8, REF_BEST, NULL, 0 },
	{ "lookup from deepest init, depth 32", "depth", "find-deep", 32, REF_BEST, NULL, 0 },
	{ "lookup from host, depth 32", "depth", "find-host", 32, REF_BEST, NULL, 0 },
	{ "bytes/task, depth 0", "depth", "bytes", 0, REF_BEST, NULL, 0 },
	{ "bytes/task, depth 1", "depth", "bytes", 1, REF_BEST, NULL, 0 },
	{ "bytes/task, depth 32", "depth", "bytes", 32, REF_BEST, NULL, 0 },
	{ "ps in a container, 16,384", "iterate", "ps-ct", 16384, REF_ARRAY, NULL, 0 },
	{ "ps on the host, 16,384 x 5 views", "iterate", "ps-host", 16384, REF_BEST, NULL, 0 },
	{ "ps of a container from host", "iterate", "ps-in-ct", 16384, REF_BEST, NULL, 0 },
	{ "kill(-1, 0) in a container", "iterate", "kill-1-ct", 16384, REF_BEST, NULL, 0 },
	{ "kill(-1, 0) on the host", "iterate", "kill-1-host", 16384, REF_BEST, NULL, 0 },
	{ "notify after 131,072 cycles", "notify", "time", 131072, REF_BEST, NULL, 0 },
	{ "notify mis-delivered %, 32,768", "notify", "misdelivered", 32768, REF_NONE, NULL, 0 },
	{ "notify mis-delivered %, 131,072", "notify", "misdelivered", 131072, REF_NONE, NULL, 0 },
	{ "build ns/task, 4,194,304", "scale", "build", 4194304, REF_BEST, NULL, 0 },
	{ "teardown ns/task, 4,194,304", "scale", "teardown", 4194304, REF_BEST, NULL, 0 },
	{ "bytes/task, 1,048,576", "scale", "bytes", 1048576, REF_BEST, NULL, 0 },
	{ "bytes/task, 4,194,304", "scale", "bytes", 4194304, REF_BEST, NULL, 0 },
	{ "checkpoint ns/task, 4,096", "migration", "checkpoint", 4096, REF_BEST, NULL, 0 },
	{ "restore ns/task, 4,096", "migration", "restore", 4096, REF_BEST, NULL, 0 },
	{ "checkpoint ns/task, 65,536", "migration", "checkpoint", 65536, REF_BEST, NULL, 0 },
	{ "restore ns/task, 65,536", "migration", "restore", 65536, REF_BEST, NULL, 0 },
	{ "ckpt+restore ns/task, 65,536", "migration", "ckpt+restore", 65536, REF_BEST, NULL, 0 },
	{ "migrate ns/task, 65,536", "migration", "migrate", 65536, REF_BEST, NULL, 0 },
	{ "image bytes/task, 65,536", "migration", "image-bytes", 65536, REF_NONE, NULL, 0 },
	{ "restore a pidns image, 4,096", "migration", "from-pidns", 4096, REF_BEST, NULL, 0 },
	{ "restore a vpid-openvz image, 4,096", "migration", "from-vpid-openvz", 4096, REF_BEST, NULL, 0 },
};

#define LABEL_W 34
#define CELL_W 14

static const struct row *find(const struct trow *t, const char *subject)
{
	const struct row *r = results_find(t->workload, t->variant, t->x, subject);

	return r && !isnan(r->st.median) ? r : NULL;
}

/* The model's constant overhead: the cheapest getpid from the host. */
static double model_overhead(void)
{
	const struct trow t = { "", "calls", "getpid", 0, REF_NONE, NULL, 0 };
	double best = NAN;

	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct row *r = find(&t, pidsim_design_at(i)->name);

		if (r && !(r->st.median >= best))
			best = r->st.median;
	}
	return best;
}

static double best_design(const struct trow *t)
{
	double best = NAN;

	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct row *r = find(t, pidsim_design_at(i)->name);

		if (r && !(r->st.median >= best))
			best = r->st.median;
	}
	return best;
}

static double ref_value(const struct trow *t)
{
	const struct row *r;

	switch (t->ref) {
	case REF_HASH: r = find(t, "hash"); return r ? r->st.median : NAN;
	case REF_HASH_HIT:
		r = results_find(t->workload, "hit", t->x, "hash");
		return r ? r->st.median : NAN;
	case REF_ARRAY: r = find(t, "array"); return r ? r->st.median : NAN;
	case REF_MODEL: return model_overhead();
	case REF_BEST: return best_design(t);
	default: return NAN;
	}
}

static void fmt_num(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v < 10)
		snprintf(buf, len, "%.2f", v);
	else if (v < 1000)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.0f", v);
}

static void print_header(FILE *f)
{
	fprintf(f, "%-*s %*s", LABEL_W, "ns per operation (median)", CELL_W, "reference");
	for (size_t i = 0; i < pidsim_design_count(); i++)
		fprintf(f, " %*s", CELL_W, pidsim_design_at(i)->name);
	fprintf(f, " | %10s\n", "linux (*)");
}

static void print_row(FILE *f, const struct trow *t, int *notes)
{
	double ref = ref_value(t), best = best_design(t);
	char num[32], cell[64];
	const struct row *k;

	fmt_num(num, sizeof num, t->ref == REF_BEST || t->ref == REF_NONE ? NAN : ref);
	snprintf(cell, sizeof cell, "%s %s", ref_name[t->ref], num);
	fprintf(f, "%-*s %*s", LABEL_W, t->label, CELL_W, t->ref == REF_BEST ||
		t->ref == REF_NONE ? ref_name[t->ref] : cell);
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct row *r = results_find(t->workload, t->variant, t->x,
						   pidsim_design_at(i)->name);

		if (!r || isnan(r->st.median)) {
			snprintf(cell, sizeof cell, "%s", r ? "n/s" : "-");
			*notes += !!r;
		} else {
			fmt_num(num, sizeof num, r->st.median);
			if (t->ref != REF_NONE && ref > 0)
				snprintf(cell, sizeof cell, "%s %5.2fx%s", num,
					 r->st.median / ref, r->st.median == best ? "*" : " ");
			else
				snprintf(cell, sizeof cell, "%s%s", num,
					 r->st.median == best ? "*" : " ");
		}
		fprintf(f, " %*s", CELL_W, cell);
	}
	k = t->kvariant ? results_find("kernel", t->kvariant, t->kx, "linux") : NULL;
	fmt_num(num, sizeof num, k ? k->st.median : NAN);
	fprintf(f, " | %10s\n", num);
}

/* ---- Targets ------------------------------------------------------------ */

static double median_of(const char *w, const char *v, long x, const char *subject)
{
	const struct row *r = results_find(w, v, x, subject);

	return r ? r->st.median : NAN;
}

/* Met, or missed and whose fault: when the best design meets the target,
 * a design that misses it does so by what it does on top. */
static const char *verdict(double v, double limit, double best)
{
	if (isnan(v))
		return "not measured";
	if (v <= limit)
		return "met";
	return best <= limit ? "MISSED by the design (another design meets it)"
			     : "MISSED (no design meets it: the model's cost)";
}

/*
 * The lookup target, for pidspace, three ways: back to back (throughput),
 * back to back without pidsim_find()'s check of its caller (the design's
 * lookup alone), and one at a time (latency).
 */
static void target_lookup(FILE *f)
{
	static const long sizes[] = { 1024, 16384, 131072, 1048576, 4194304 };
	const char *d = "pidspace";

	if (!pidsim_design_find(d) || !results_find("lookup-tasks", "hit", 1024, d))
		return;
	fprintf(f, "  pidspace lookup within 1.5x of the plain hash, ratio to it (hits):\n"
		   "    %8s  %-12s %-16s %-10s\n", "tasks", "throughput",
		   "lookup alone", "latency");
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		double v = median_of("lookup-tasks", "hit", sizes[i], d);
		double h = median_of("lookup-tasks", "hit", sizes[i], "hash");
		double vr = median_of("lookup-tasks", "hit-raw", sizes[i], d);
		double vl = median_of("lookup-tasks", "hit-lat", sizes[i], d);
		double hl = median_of("lookup-tasks", "hit-lat", sizes[i], "hash");

		if (isnan(v) || isnan(h))
			continue;
		fprintf(f, "    %8ld  %5.2fx %-6s %5.2fx %-9s %5.2fx %s\n", sizes[i],
			v / h, v / h <= 1.5 ? "met" : "MISSED", vr / h,
			isnan(vr) ? "" : vr / h <= 1.5 ? "met" : "MISSED", vl / hl,
			isnan(vl) ? "" : vl / hl <= 1.5 ? "met" : "MISSED");
	}
	fprintf(f, "    (throughput: pidsim_find() back to back, which a CPU overlaps; lookup\n"
		   "    alone: the same without its check of the caller's handle, the model's\n"
		   "    own cost; latency: each pidsim_find() waits for the one before)\n");
	fprintf(f, "  work per lookup (hit, 1,048,576 tasks; a probe is one pid-table find):\n");
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *di = pidsim_design_at(i);
		double p = median_of("lookup-tasks", "hit-probes", 1048576, di->name);
		double c = median_of("lookup-tasks", "hit-conv", 1048576, di->name);

		if (!isnan(p))
			fprintf(f, "    %-14s %.2f probes, %.2f conversions: %s\n",
				di->name, p, c, di->lookup);
	}
}

static void target_churn(FILE *f)
{
	const char *where[] = { "ct", "host" };
	double kfork = median_of("kernel", "fork-exit-wait", 1, "linux");

	fprintf(f, "  fork+exit+wait <= 200 ns at 32,768 tasks:\n");
	for (int w = 0; w < 2; w++) {
		const struct trow t = { "", "churn", where[w], 32768, REF_BEST, NULL, 0 };
		double best = best_design(&t);

		for (size_t i = 0; i < pidsim_design_count(); i++) {
			const char *name = pidsim_design_at(i)->name;
			double v = median_of("churn", where[w], 32768, name);

			if (isnan(v))
				continue;
			fprintf(f, "    %-4s %-14s %6.1f ns  %s", where[w], name, v,
				verdict(v, 200, best));
			if (!isnan(kfork) && w == 0)
				fprintf(f, "; real fork round trip / this = %.0fx", kfork / v);
			fputc('\n', f);
		}
	}
}

static void target_bytes(FILE *f)
{
	const struct trow t = { "", "scale", "bytes", 4194304, REF_BEST, NULL, 0 };
	double best = best_design(&t);

	fprintf(f, "  < 256 bytes/task at 4,194,304 live tasks (all tables included):\n");
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const char *name = pidsim_design_at(i)->name;
		const struct row *r = results_find("scale", "bytes", 4194304, name);
		double b = median_of("scale", "build", 4194304, name);

		if (!r)
			continue;
		fprintf(f, "    %-14s %6.1f bytes/task, %ld tasks held, built in %.1f s  %s%s%s\n",
			name, r->st.median, r->n, b * (double)r->n * 1e-9,
			verdict(r->st.median, 256, best), r->note[0] ? "; " : "", r->note);
	}
}

/* ---- Depth ------------------------------------------------------------------ */

/* The deepest depth with a value for subject in a depth variant, or -1. */
static long deepest(const char *variant, const char *subject)
{
	long best = -1;

	for (size_t i = 0; i < results_count(); i++) {
		const struct row *r = results_at(i);

		if (!strcmp(r->workload, "depth") && !strcmp(r->variant, variant) &&
		    !strcmp(r->subject, subject) && !isnan(r->st.median) &&
		    r->x > best)
			best = r->x;
	}
	return best;
}

/* How each cost grows from depth 0 to the deepest level measured: the
 * ratio, and the slope per level. */
static void depth_growth(FILE *f, const char *variant, const char *subject,
			 const char *label, const char *unit, double scale)
{
	long d = deepest(variant, subject);
	double v0 = median_of("depth", variant, 0, subject), v;

	if (d <= 0 || isnan(v0))
		return;
	v = median_of("depth", variant, d, subject);
	fprintf(f, "    %-14s %9.1f -> %9.1f %-10s x%-5.2f %+8.1f per level (0 -> %ld)\n",
		label, v0 * scale, v * scale, unit, v / v0, (v - v0) * scale / (double)d, d);
}

static void depth_summary(FILE *f)
{
	static const struct { const char *variant, *what, *unit; double scale; } rows[] = {
		{ "fork", "fork+exit+wait in the deepest container", "ns", 1 },
		{ "find-deep", "lookup from the deepest init", "ns", 1 },
		{ "find-host", "lookup from the host, by its own number", "ns", 1 },
		{ "bytes", "bytes per task", "bytes", 1 },
	};

	if (!results_find("depth", "fork", 0, pidsim_design_at(0)->name))
		return;
	fprintf(f, "\ndepth (container level of the task, 0 = host), depth 0 -> deepest:\n");
	for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
		fprintf(f, "  %s:\n", rows[r].what);
		for (size_t i = 0; i < pidsim_design_count(); i++)
			depth_growth(f, rows[r].variant, pidsim_design_at(i)->name,
				     pidsim_design_at(i)->name, rows[r].unit, rows[r].scale);
		if (r == 0) {	/* the real kernel; vfork copies no address space */
			depth_growth(f, "fork", "linux", "linux fork", "us", 1e-3);
			depth_growth(f, "vfork", "linux", "linux vfork", "us", 1e-3);
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* How steady the run was: the median coefficient of variation of the
 * timed rows.  A busy machine shows here first. */
static double median_cv(void)
{
	static double cv[1 << 14];
	size_t n = 0;

	for (size_t i = 0; i < results_count() && n < sizeof cv / sizeof *cv; i++) {
		const struct row *r = results_at(i);

		if (r->st.reps > 1 && !isnan(r->st.median))
			cv[n++] = r->st.cv;
	}
	if (!n)
		return NAN;
	qsort(cv, n, sizeof *cv, cmp_double);
	return cv[n / 2];
}

void table_print(FILE *f)
{
	double cv = median_cv();
	int notes = 0;

	fprintf(f, "\n");
	print_header(f);
	for (size_t i = 0; i < sizeof trows / sizeof *trows; i++) {
		const struct trow *t = &trows[i];

		if (results_find(t->workload, t->variant, t->x, pidsim_design_at(0)->name))
			print_row(f, t, &notes);
	}
	fprintf(f, "\ncells: median, then the ratio to the row's reference (hash, array: the\n"
		   "floor measured in the same run; model: getpid from the host, the cost\n"
		   "every call pays; best: the best design); * marks the best design.\n"
		   "(*) linux: real system calls in real nested pid namespaces on this\n"
		   "machine, a different kind of measurement (level 1 for ct rows;\n"
		   "depth rows: that many pid namespaces below the bench's own).\n");
	if (notes)
		fprintf(f, "n/s: not supported by this design (see the TSV's note).\n");
	if (!isnan(cv))
		fprintf(f, "run quality: median CV of the timed rows %.1f%%%s\n", cv * 100,
			cv > 0.05 ? " -- a busy machine: trust ratios within a row more "
				    "than absolute figures, and rerun to confirm a verdict" : "");
	fprintf(f, "\ntargets:\n");
	target_lookup(f);
	target_churn(f);
	target_bytes(f);
	depth_summary(f);
}
