/* results.c - rows to TSV files and to the summary table (see bench.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "tsv.h"

static struct row *rows;
static size_t nr_rows, cap_rows;

FILE *results_open(const char *workload, const char *axis, const char *about)
{
	char path[512];
	FILE *f;

	mkdir(bench.outdir, 0777);
	snprintf(path, sizeof path, "%s/%s.tsv", bench.outdir, workload);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fprintf(f, "# pidsim bench: %s\n# %s\n# x: %s\n", workload, about, axis);
	bench_context(f, "# ");
	fprintf(f, "# ir: instructions per operation (callgrind, the timed region "
		   "only; nan: not counted); ratio: the median over rounds of the "
		   "row's sample over the %s's in the same round (min, max: its "
		   "range); pass: rows of one pass were timed in the same rounds; "
		   "samples: ns per operation, round by round; flag: why a time "
		   "is suspect\n", BENCH_REF);
	fprintf(f, "workload\tvariant\tx\tsubject\tunit\tmedian\tmin\tmax\tcv\t"
		   "reps\titers\tn\tnote\tir\tratio\tratio_min\tratio_max\t"
		   "pass\tsamples\tflag\n");
	return f;
}

void results_close(FILE *f)
{
	if (f)
		fclose(f);
}

static void keep(const struct row *r)
{
	if (nr_rows == cap_rows) {
		cap_rows = cap_rows ? cap_rows * 2 : 256;
		rows = realloc(rows, cap_rows * sizeof *rows);
		if (!rows)
			abort();
	}
	rows[nr_rows++] = *r;
}

/* A value for the TSV: "nan" (never "-nan") when there is none. */
static const char *num(char *buf, size_t len, double v)
{
	if (isnan(v))
		return "nan";
	snprintf(buf, len, "%.6g", v);
	return buf;
}

/* ---- Instruction counts of the counting run ------------------------------ */

struct ir_count {
	char key[128];		/* workload, variant, x, subject */
	double ir;
};
static struct ir_count *irs;
static size_t nr_irs, cap_irs;

static void ir_key(char *buf, size_t len, const char *workload, const char *variant,
		   long x, const char *subject)
{
	snprintf(buf, len, "%s\t%s\t%ld\t%s", workload, variant, x, subject);
}

static void ir_keep(void *ctx, const struct tsv_row *r)
{
	const char *w = tsv_get(r, "workload"), *v = tsv_get(r, "variant");
	const char *x = tsv_get(r, "x"), *s = tsv_get(r, "subject");
	const char *ir = tsv_get(r, "ir");

	(void)ctx;
	if (!w || !v || !x || !s || !ir || !strcmp(ir, "nan") || !ir[0])
		return;
	if (nr_irs == cap_irs) {
		cap_irs = cap_irs ? cap_irs * 2 : 256;
		irs = realloc(irs, cap_irs * sizeof *irs);
		if (!irs)
			abort();
	}
	ir_key(irs[nr_irs].key, sizeof irs[nr_irs].key, w, v, strtol(x, NULL, 10), s);
	irs[nr_irs++].ir = strtod(ir, NULL);
}

size_t results_load_ir(const char *dir)
{
	static const char *const files[] = {
		"machine", "calls", "groups", "lookup-tasks", "lookup-containers", "scale",
		"churn", "depth", "iterate", "notify", "migration",
	};
	char path[512];

	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s.tsv", dir, files[i]);
		tsv_read(path, ir_keep, NULL);
	}
	return nr_irs;
}

static double ir_lookup(const struct row *r)
{
	char key[128];

	ir_key(key, sizeof key, r->workload, r->variant, r->x, r->subject);
	for (size_t i = 0; i < nr_irs; i++)
		if (!strcmp(irs[i].key, key))
			return irs[i].ir;
	return NAN;
}

/* ---- Rows ---------------------------------------------------------------- */

void results_add(FILE *f, const struct row *in)
{
	struct row copy = *in, *r = &copy;
	const struct bench_stats *s = &r->st;
	char a[32], b[32], c[32], d[32], e[32], g[32], h[32];

	if (!bench.counting && nr_irs && isnan(r->st.ir))
		r->st.ir = ir_lookup(r);
	if (!r->pass)
		r->ratio.median = r->ratio.min = r->ratio.max = NAN;
	keep(r);
	if (!f)
		return;
	fprintf(f, "%s\t%s\t%ld\t%s\t%s\t%s\t%s\t%s\t%.4f\t%d\t%llu\t%ld\t%s\t"
		"%s\t%s\t%s\t%s\t%d\t",
		r->workload, r->variant, r->x, r->subject, r->unit,
		num(a, sizeof a, s->median), num(b, sizeof b, s->min),
		num(c, sizeof c, s->max), s->cv, s->reps,
		(unsigned long long)s->iters, r->n, r->note[0] ? r->note : "-",
		num(d, sizeof d, s->ir), num(e, sizeof e, r->ratio.median),
		num(g, sizeof g, r->ratio.min), num(h, sizeof h, r->ratio.max),
		r->pass);
	for (int i = 0; r->pass && !isnan(s->median) && i < s->reps; i++)
		fprintf(f, "%s%s", i ? "," : "", num(a, sizeof a, r->samples[i]));
	if (!r->pass || isnan(s->median) || !s->reps)
		fputc('-', f);
	fprintf(f, "\t%s\n", r->flag[0] ? r->flag : "-");
	fflush(f);
}

static void row_init(struct row *r, const char *workload, const char *variant,
		     long x, const char *subject, const char *unit)
{
	memset(r, 0, sizeof *r);
	r->st.ir = NAN;
	r->ratio.median = r->ratio.min = r->ratio.max = NAN;
	snprintf(r->workload, sizeof r->workload, "%s", workload);
	snprintf(r->variant, sizeof r->variant, "%s", variant);
	snprintf(r->subject, sizeof r->subject, "%s", subject);
	snprintf(r->unit, sizeof r->unit, "%s", unit);
	r->x = x;
}

void results_add_subjects(FILE *f, const char *workload, const char *variant,
			  long x, const struct subject *s, int n,
			  const char *unit, long count)
{
	for (int i = 0; i < n; i++) {
		struct row r;

		row_init(&r, workload, variant, x, s[i].name, unit);
		r.n = count;
		if (s[i].skip[0]) {
			r.st.median = r.st.min = r.st.max = NAN;
			snprintf(r.note, sizeof r.note, "%s", s[i].skip);
		} else {
			r.st = s[i].st;
			r.pass = s[i].pass;
			r.ratio = s[i].ratio;
			memcpy(r.samples, s[i].samples, sizeof r.samples);
			snprintf(r.flag, sizeof r.flag, "%s", s[i].flag);
		}
		results_add(f, &r);
	}
}

void results_add_value(FILE *f, const char *workload, const char *variant,
		       long x, const char *subject, const char *unit,
		       double value, long count, const char *note)
{
	struct row r;

	row_init(&r, workload, variant, x, subject, unit);
	r.st.median = r.st.min = r.st.max = value;
	r.st.reps = isnan(value) ? 0 : 1;
	r.n = count;
	if (note)
		snprintf(r.note, sizeof r.note, "%s", note);
	results_add(f, &r);
}

const struct row *results_find(const char *workload, const char *variant,
			       long x, const char *subject)
{
	for (size_t i = nr_rows; i-- > 0;) {
		const struct row *r = &rows[i];

		if (r->x == x && !strcmp(r->workload, workload) &&
		    !strcmp(r->variant, variant) && !strcmp(r->subject, subject))
			return r;
	}
	return NULL;
}

size_t results_count(void)
{
	return nr_rows;
}

const struct row *results_at(size_t i)
{
	return i < nr_rows ? &rows[i] : NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median_cv(void)
{
	double *cv = malloc((nr_rows + 1) * sizeof *cv);
	size_t n = 0;
	double m;

	if (!cv)
		abort();
	for (size_t i = 0; i < nr_rows; i++)
		if (rows[i].st.reps > 1 && !isnan(rows[i].st.median))
			cv[n++] = rows[i].st.cv;
	qsort(cv, n, sizeof *cv, cmp_double);
	m = n ? cv[n / 2] : NAN;
	free(cv);
	return m;
}
