/* results.c - rows to TSV files and to the summary table (see bench.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"

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
	fprintf(f, "workload\tvariant\tx\tsubject\tunit\tmedian\tmin\tmax\tcv\t"
		   "reps\titers\tn\tnote\n");
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

void results_add(FILE *f, const struct row *r)
{
	const struct bench_stats *s = &r->st;
	char a[32], b[32], c[32];

	keep(r);
	if (!f)
		return;
	fprintf(f, "%s\t%s\t%ld\t%s\t%s\t%s\t%s\t%s\t%.4f\t%d\t%llu\t%ld\t%s\n",
		r->workload, r->variant, r->x, r->subject, r->unit,
		num(a, sizeof a, s->median), num(b, sizeof b, s->min),
		num(c, sizeof c, s->max), s->cv, s->reps,
		(unsigned long long)s->iters, r->n, r->note[0] ? r->note : "-");
	fflush(f);
}

static void row_init(struct row *r, const char *workload, const char *variant,
		     long x, const char *subject, const char *unit)
{
	memset(r, 0, sizeof *r);
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
