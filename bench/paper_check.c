/*
 * paper_check.c - every figure and ranking that PAPER.md and the README
 * cite, checked against the committed results (make paper-check), or
 * rewritten from them (make paper-update).
 *
 *   paper-check --results DIR [--update] FILE...
 *
 * A cited figure carries a note right after it, an HTML comment that
 * markdown does not show, saying where it comes from:
 *
 *   56.9 ns<!--pc churn/ct/32768/vpid-ibm median-->
 *   1.6×<!--pc lookup-tasks/hit/131072/vpid ir / pidspace ir-->
 *   1.6–2.1×<!--pc range lookup-tasks/hit/{1024,131072}/vpid ir / pidspace ir-->
 *   <!--pc rank ir churn/ct/32768: vpid-ibm < pidspace < pidns, vpid-->
 *   <!--pc tied median lookup-tasks/hit-lat/1048576: pidspace vpid-ibm-->
 *   <!--pc excerpt summary.txt-->   (before a fenced block of its lines)
 *   200 ns<!--pc given-->           (a target or a parameter, not a result)
 *   <!--pc begin--> ... <!--pc end-->  (where every figure needs a note)
 *
 * A row is workload/variant/x/subject of DIR/<workload>.tsv; a field is
 * one of its columns (median, min, max, cv, n, ir, ratio, ratio_min,
 * ratio_max).  An expression is terms and operators (+ - * /), evaluated
 * left to right; a term is a row and a field, a bare subject and a field
 * (the first row's workload, variant and x), or a number.  A figure must
 * equal the expression's value rounded as the figure is written; a range
 * (the last two numbers before the note) must be its least and greatest
 * value over the x listed in the first row ({a,b,...}, or * for every x)
 * and the subjects listed there ({a,b,...}).
 *
 * A ranking holds when each side beats the next: by instructions (ir),
 * by more than 1%; by time (median), in every round when the rows were
 * timed in the same rounds (their ratio, round by round, stays under 1),
 * else when their ranges over the rounds do not overlap, never by a time
 * of one sample (a build, a teardown); by a count, strictly.  "tied" holds when no pair of them is ranked so: the text
 * says "tied within noise" and the results must not contradict it.
 *
 * Between "begin" and "end" a number followed by a unit of measurement
 * (ns, µs, ms, ×, %, instructions, bytes), and any number in a table's
 * cell, must carry a note, so that no figure is cited unchecked.  --update rewrites each figure (keeping its
 * decimals and separators) and each excerpt line from the results; a
 * ranking it cannot rewrite: that is a sentence for a person to change.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

#define MAX_SAMPLES 64

/* ---- The results ---------------------------------------------------------- */

enum field { F_MEDIAN, F_MIN, F_MAX, F_CV, F_N, F_IR, F_RATIO, F_RATIO_MIN,
	     F_RATIO_MAX, NR_FIELDS };
static const char *const field_name[NR_FIELDS] = {
	"median", "min", "max", "cv", "n", "ir", "ratio", "ratio_min", "ratio_max",
};

struct rrow {
	char *workload, *variant, *subject;
	bool one_timing;	/* a time of one sample (build, teardown) */
	long x;
	double f[NR_FIELDS];
	int pass, nsamples;
	double samples[MAX_SAMPLES];
};

static struct rrow *rows;
static size_t nr_rows, cap_rows;
static const char *results_dir;

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		perror("paper-check");
		exit(2);
	}
	return p;
}

static double num_field(const char *s)
{
	char *end;
	double v;

	if (!s || !*s || !strcmp(s, "nan") || !strcmp(s, "-"))
		return NAN;
	v = strtod(s, &end);
	return end == s ? NAN : v;
}

static void keep_row(void *ctx, const struct tsv_row *r)
{
	const char *w = tsv_get(r, "workload"), *v = tsv_get(r, "variant");
	const char *x = tsv_get(r, "x"), *s = tsv_get(r, "subject");
	const char *samples = tsv_get(r, "samples"), *pass = tsv_get(r, "pass");
	struct rrow *o;

	(void)ctx;
	if (!w || !v || !x || !s)
		return;
	if (nr_rows == cap_rows) {
		cap_rows = cap_rows ? 2 * cap_rows : 1024;
		rows = realloc(rows, cap_rows * sizeof *rows);
		if (!rows)
			abort();
	}
	o = &rows[nr_rows++];
	memset(o, 0, sizeof *o);
	o->workload = xstrdup(w);
	o->variant = xstrdup(v);
	o->subject = xstrdup(s);
	o->x = strtol(x, NULL, 10);
	for (int i = 0; i < NR_FIELDS; i++)
		o->f[i] = num_field(tsv_get(r, field_name[i]));
	o->pass = pass ? atoi(pass) : 0;
	o->one_timing = tsv_get(r, "unit") && !strncmp(tsv_get(r, "unit"), "ns", 2) &&
			num_field(tsv_get(r, "reps")) < 2;
	for (const char *p = samples; p && *p && *p != '-' && o->nsamples < MAX_SAMPLES;) {
		o->samples[o->nsamples++] = strtod(p, NULL);
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
}

static void load_results(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];

	if (!d) {
		fprintf(stderr, "paper-check: %s: cannot open the results folder\n", dir);
		exit(2);
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".tsv"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		tsv_read(path, keep_row, NULL);
	}
	closedir(d);
}

static const struct rrow *find_row(const char *w, const char *v, long x, const char *s)
{
	for (size_t i = nr_rows; i-- > 0;)
		if (rows[i].x == x && !strcmp(rows[i].workload, w) &&
		    !strcmp(rows[i].variant, v) && !strcmp(rows[i].subject, s))
			return &rows[i];
	return NULL;
}

/* ---- Messages -------------------------------------------------------------- */

static int failures;
static const char *cur_file;
static int cur_line;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", cur_file, cur_line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

/* ---- Rows and expressions ---------------------------------------------------- */

/* A row key: workload/variant/x/subject, x a number or a pattern. */
struct key {
	char w[32], v[32], xs[128], s[128];
	bool full;		/* all four parts; else a bare subject */
};

static bool parse_key(const char *tok, struct key *k)
{
	memset(k, 0, sizeof *k);
	if (!strchr(tok, '/')) {
		snprintf(k->s, sizeof k->s, "%s", tok);
		return true;
	}
	if (sscanf(tok, "%31[^/]/%31[^/]/%127[^/]/%127s", k->w, k->v, k->xs, k->s) != 4)
		return false;
	k->full = true;
	return true;
}

static int parse_field(const char *tok)
{
	for (int i = 0; i < NR_FIELDS; i++)
		if (!strcmp(tok, field_name[i]))
			return i;
	return -1;
}

/* The x values a pattern lists: a number, {a,b,...}, or * (every x the
 * rows of w/v/s have).  Returns how many. */
static int x_values(const struct key *k, long *xs, int max)
{
	int n = 0;

	if (!strcmp(k->xs, "*")) {
		for (size_t i = 0; i < nr_rows && n < max; i++) {
			const struct rrow *r = &rows[i];
			bool dup = false;

			if (strcmp(r->workload, k->w) || strcmp(r->variant, k->v) ||
			    (k->s[0] != '{' && strcmp(r->subject, k->s)))
				continue;
			for (int j = 0; j < n; j++)
				dup |= xs[j] == r->x;
			if (!dup)
				xs[n++] = r->x;
		}
		return n;
	}
	for (const char *p = k->xs + (k->xs[0] == '{'); *p && n < max;) {
		char *end;

		xs[n++] = strtol(p, &end, 10);
		if (end == p)
			return -1;
		p = end + (*end == ',');
		if (*end == '}' || !*end)
			break;
	}
	return n;
}

struct term {
	bool is_num;
	double num;
	struct key key;
	int field;
	char op;		/* the operator before it (0 for the first) */
};

#define MAX_TERMS 16

/* Parse "term [op term]..." from the words of an expression. */
static int parse_expr(char **words, int nw, struct term *t)
{
	int n = 0;

	for (int i = 0; i < nw && n < MAX_TERMS;) {
		char op = 0;
		char *end;

		if (n) {
			if (strlen(words[i]) != 1 || !strchr("+-*/", words[i][0]))
				return -1;
			op = words[i++][0];
			if (i >= nw)
				return -1;
		}
		memset(&t[n], 0, sizeof t[n]);
		t[n].op = op;
		t[n].num = strtod(words[i], &end);
		if (end != words[i] && !*end) {
			t[n].is_num = true;
			i++;
		} else {
			if (i + 1 >= nw || !parse_key(words[i], &t[n].key) ||
			    (t[n].field = parse_field(words[i + 1])) < 0)
				return -1;
			if (!n && !t[n].key.full)
				return -1;
			i += 2;
		}
		n++;
	}
	return n;
}

/* The value of t at x and subject (the first term's, which may be
 * patterns); NAN, with a failure said, when a row is missing. */
static double eval(const struct term *t, int n, long x, const char *subject)
{
	double v = NAN;

	for (int i = 0; i < n; i++) {
		const struct key *k = t[i].key.full ? &t[i].key : &t[0].key;
		const char *sj = i == 0 ? subject : t[i].key.s;
		long xi = x;
		const struct rrow *r;
		double a;

		if (t[i].is_num) {
			a = t[i].num;
		} else {
			if (t[i].key.full && i > 0)
				xi = strtol(t[i].key.xs, NULL, 10);
			r = find_row(k->w, k->v, xi, sj);
			if (!r) {
				fail("no row %s/%s/%ld/%s in %s/%s.tsv", k->w, k->v, xi, sj,
				     results_dir, k->w);
				return NAN;
			}
			a = r->f[t[i].field];
		}
		switch (t[i].op) {
		case 0: v = a; break;
		case '+': v += a; break;
		case '-': v -= a; break;
		case '*': v *= a; break;
		default: v /= a; break;
		}
	}
	return v;
}

/* The subjects a pattern lists: a name, or {a,b,...}.  Returns how many. */
static int subject_values(const char *pat, char names[][32], int max)
{
	int n = 0;

	if (pat[0] != '{') {
		snprintf(names[0], 32, "%.31s", pat);
		return 1;
	}
	for (const char *p = pat + 1; *p && *p != '}' && n < max;) {
		size_t len = strcspn(p, ",}");

		snprintf(names[n++], 32, "%.*s", (int)len, p);
		p += len + (p[len] == ',');
	}
	return n;
}

/* ---- Figures in the text ------------------------------------------------------- */

/* A number in the text: where it starts and ends, its value, decimals,
 * and whether it has thousands separators. */
struct figure {
	size_t start, end;
	double value;
	int decimals;
	bool commas;
};

/* The last `want` numbers of text[0 .. at), last one first in out[0].
 * A number: digits, with ',' between groups of three and one '.'. */
static int last_numbers(const char *text, size_t at, struct figure *out, int want)
{
	int n = 0;
	size_t i = at;

	while (n < want && i > 0) {
		size_t end, start;
		char buf[64];
		size_t b = 0;
		struct figure f = { 0 };
		bool dot = false;

		while (i > 0 && !isdigit((unsigned char)text[i - 1]))
			i--;
		if (!i)
			break;
		end = i;
		while (i > 0 && (isdigit((unsigned char)text[i - 1]) ||
				 ((text[i - 1] == ',' || text[i - 1] == '.') && i > 1 &&
				  isdigit((unsigned char)text[i - 2]))))
			i--;
		start = i;
		for (size_t j = start; j < end && b < sizeof buf - 1; j++) {
			if (text[j] == ',') {
				f.commas = true;
				continue;
			}
			if (dot)
				f.decimals++;
			dot |= text[j] == '.';
			buf[b++] = text[j];
		}
		buf[b] = 0;
		f.start = start;
		f.end = end;
		f.value = strtod(buf, NULL);
		out[n++] = f;
	}
	return n;
}

static bool matches(const struct figure *f, double v)
{
	double unit = pow(10, -f->decimals);

	return !isnan(v) && fabs(f->value - v) <= unit / 2 + 1e-9 * fabs(v);
}

/* v written as f is: its decimals, and separators when f has them. */
static void format_like(const struct figure *f, double v, char *buf, size_t len)
{
	char plain[64], *dot;
	size_t intlen, o = 0;

	snprintf(plain, sizeof plain, "%.*f", f->decimals, v);
	if (!f->commas) {
		snprintf(buf, len, "%s", plain);
		return;
	}
	dot = strchr(plain, '.');
	intlen = dot ? (size_t)(dot - plain) : strlen(plain);
	for (size_t i = 0; i < intlen && o + 2 < len; i++) {
		if (i && (intlen - i) % 3 == 0 && plain[0] != '-')
			buf[o++] = ',';
		buf[o++] = plain[i];
	}
	snprintf(buf + o, len - o, "%s", dot ? dot : "");
}

/* ---- Edits, for --update -------------------------------------------------------- */

struct edit {
	size_t start, end;
	char *text;
};

static struct edit *edits;
static size_t nr_edits, cap_edits;

static void add_edit(size_t start, size_t end, const char *text)
{
	if (nr_edits == cap_edits) {
		cap_edits = cap_edits ? 2 * cap_edits : 64;
		edits = realloc(edits, cap_edits * sizeof *edits);
		if (!edits)
			abort();
	}
	edits[nr_edits].start = start;
	edits[nr_edits].end = end;
	edits[nr_edits++].text = xstrdup(text);
}

/* ---- Notes ------------------------------------------------------------------- */

#define MAX_WORDS 64

static int split_words(char *s, char **w)
{
	int n = 0;

	for (char *t = strtok(s, " \t\n"); t && n < MAX_WORDS; t = strtok(NULL, " \t\n"))
		w[n++] = t;
	return n;
}

static void check_figure(const char *text, size_t at, char **w, int nw, bool range,
			 bool update)
{
	struct term t[MAX_TERMS];
	struct figure fig[2];
	long xs[64];
	char subjects[16][32];
	int n = parse_expr(w, nw, t), nx = 1, ns = 1;
	double lo = INFINITY, hi = -INFINITY;

	if (n < 1) {
		fail("cannot read the note's expression");
		return;
	}
	if (range) {
		nx = x_values(&t[0].key, xs, 64);
		ns = subject_values(t[0].key.s, subjects, 16);
		if (nx < 1 || ns < 1) {
			fail("no rows for %s/%s/%s/%s", t[0].key.w, t[0].key.v,
			     t[0].key.xs, t[0].key.s);
			return;
		}
	} else {
		xs[0] = strtol(t[0].key.xs, NULL, 10);
		snprintf(subjects[0], sizeof subjects[0], "%.31s", t[0].key.s);
	}
	for (int i = 0; i < nx; i++) {
		for (int j = 0; j < ns; j++) {
			double v = eval(t, n, xs[i], subjects[j]);

			if (isnan(v))
				return;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	if (last_numbers(text, at, fig, range ? 2 : 1) < (range ? 2 : 1)) {
		fail("no figure before the note");
		return;
	}
	if (!range) {
		char want[64];

		format_like(&fig[0], lo, want, sizeof want);
		if (update)
			add_edit(fig[0].start, fig[0].end, want);
		else if (!matches(&fig[0], lo))
			fail("the text says %.*s, the results %s (%g)",
			     (int)(fig[0].end - fig[0].start), text + fig[0].start, want, lo);
		return;
	}
	{
		char wlo[64], whi[64];

		format_like(&fig[1], lo, wlo, sizeof wlo);
		format_like(&fig[0], hi, whi, sizeof whi);
		if (update) {
			add_edit(fig[1].start, fig[1].end, wlo);
			add_edit(fig[0].start, fig[0].end, whi);
		} else if (!matches(&fig[1], lo) || !matches(&fig[0], hi)) {
			fail("the text says %.*s-%.*s, the results %s-%s",
			     (int)(fig[1].end - fig[1].start), text + fig[1].start,
			     (int)(fig[0].end - fig[0].start), text + fig[0].start, wlo, whi);
		}
	}
}

/* Whether a beats b in field f (see the top of this file). */
static bool beats(const struct rrow *a, const struct rrow *b, int f)
{
	if (f == F_IR)
		return a->f[F_IR] * 1.01 < b->f[F_IR];
	if (f == F_MEDIAN && (a->one_timing || b->one_timing))
		return false;	/* one sample ranks nothing */
	if (f != F_MEDIAN || a->nsamples < 2 || b->nsamples < 2)
		return a->f[f] < b->f[f];
	if (a->pass && a->pass == b->pass && a->nsamples == b->nsamples) {
		for (int r = 0; r < a->nsamples; r++)
			if (!(a->samples[r] < b->samples[r]))
				return false;
		return true;
	}
	return a->f[F_MAX] < b->f[F_MIN];
}

/* "rank F w/v/x: a, b < c < d" or "tied F w/v/x: a b c". */
static void check_order(char **w, int nw, bool tied)
{
	struct key k;
	int f, groups[MAX_WORDS], n = 0, ng = 0;
	const struct rrow *r[MAX_WORDS];
	char *names[MAX_WORDS];
	long x;

	memset(&k, 0, sizeof k);
	if (nw < 3 || (f = parse_field(w[0])) < 0 || w[1][strlen(w[1]) - 1] != ':' ||
	    sscanf(w[1], "%31[^/]/%31[^/]/%127[^:]", k.w, k.v, k.xs) != 3) {
		fail("cannot read the note: %s FIELD workload/variant/x: subjects",
		     tied ? "tied" : "rank");
		return;
	}
	x = strtol(k.xs, NULL, 10);
	for (int i = 2; i < nw && n < MAX_WORDS; i++) {
		if (!strcmp(w[i], "<")) {
			if (tied) {
				fail("'<' in a tied note");
				return;
			}
			ng++;
			continue;
		}
		for (char *p = strtok(w[i], ","); p && n < MAX_WORDS; p = strtok(NULL, ",")) {
			names[n] = p;
			groups[n] = ng;
			r[n] = find_row(k.w, k.v, x, p);
			if (!r[n]) {
				fail("no row %s/%s/%s/%s", k.w, k.v, k.xs, p);
				return;
			}
			if (isnan(r[n]->f[f])) {
				fail("%s/%s/%s/%s has no %s", k.w, k.v, k.xs, p, field_name[f]);
				return;
			}
			n++;
		}
	}
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			if (tied && i != j && beats(r[i], r[j], f)) {
				fail("%s/%s/%s: %s beats %s by %s, the text says tied",
				     k.w, k.v, k.xs, names[i], names[j], field_name[f]);
				return;
			}
			if (!tied && groups[j] == groups[i] + 1 && !beats(r[i], r[j], f)) {
				fail("%s/%s/%s: %s does not beat %s by %s (%g against %g%s)",
				     k.w, k.v, k.xs, names[i], names[j], field_name[f],
				     r[i]->f[f], r[j]->f[f], f == F_MEDIAN ?
				     ", in every round" : f == F_IR ? ", by over 1%" : "");
				return;
			}
		}
	}
}

/* ---- Excerpts ------------------------------------------------------------------ */

static char **summary_lines;
static size_t nr_summary;

static void load_summary(const char *name)
{
	char path[1024], line[4096];
	FILE *f;

	if (summary_lines)
		return;
	snprintf(path, sizeof path, "%s/%s", results_dir, name);
	f = fopen(path, "r");
	if (!f) {
		fail("cannot read %s", path);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		summary_lines = realloc(summary_lines, (nr_summary + 1) * sizeof *summary_lines);
		if (!summary_lines)
			abort();
		summary_lines[nr_summary++] = xstrdup(line);
	}
	fclose(f);
}

/* The label of the line s[0 .. len): up to two spaces in a row (the
 * table's columns), or up to its first colon ("run:"). */
static size_t label_len(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == ' ' && s[i + 1] == ' ')
			return i;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ':')
			return i + 1;
	return len;
}

/* The summary's tables share their rows' labels: a line belongs to the
 * table whose header came last before it (0: before any). */
static const char *const table_heads[] = {
	"ns per operation", "instructions per operation",
};

static int head_of(const char *line, size_t len)
{
	for (size_t h = 0; h < sizeof table_heads / sizeof *table_heads; h++)
		if (len >= strlen(table_heads[h]) &&
		    !strncmp(line, table_heads[h], strlen(table_heads[h])))
			return (int)h + 1;
	return 0;
}

/* len, less the spaces at the end of s[0 .. len). */
static size_t rstrip_len(const char *s, size_t len)
{
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len;
}

/* The summary line in table `table` equal to line (exact, but for the
 * spaces at its end, which editors drop), or with its
 * label (!exact); -1 when there is none. */
static long summary_find(const char *line, size_t len, int table, bool exact)
{
	int in = 0;

	for (size_t s = 0; s < nr_summary; s++) {
		const char *l = summary_lines[s];
		int h = head_of(l, strlen(l));

		in = h ? h : in;
		if (in != table && !h)
			continue;
		if (exact ? rstrip_len(l, strlen(l)) == rstrip_len(line, len) &&
			    !strncmp(l, line, rstrip_len(line, len))
			  : label_len(l, strlen(l)) == label_len(line, len) &&
			    !strncmp(l, line, label_len(line, len)))
			return (long)s;
	}
	return -1;
}

/* Check (or rewrite) the lines of the fenced block starting at text[at]:
 * each must be a line of the summary, in the same table. */
static size_t check_excerpt(const char *text, size_t at, bool update)
{
	size_t i = at;
	bool open = false;
	int table = 0;

	while (text[i]) {
		size_t end = i + strcspn(text + i, "\n");
		size_t len = end - i;

		cur_line++;
		if (!strncmp(text + i, "```", 3)) {
			if (open)
				return end;
			open = true;
		} else if (open && len) {
			long s;

			table = head_of(text + i, len) ? head_of(text + i, len) : table;
			s = summary_find(text + i, len, table, true);
			if (s < 0 && update) {
				s = summary_find(text + i, len, table, false);
				if (s >= 0)
					add_edit(i, end, summary_lines[s]);
			}
			if (s < 0)
				fail("an excerpt line that %s/summary.txt does not have%s: %.*s%s",
				     results_dir, table ? " in that table" : "",
				     (int)(len > 60 ? 60 : len), text + i, len > 60 ? "..." : "");
		} else if (!open && len) {
			fail("no fenced block after the excerpt note");
			return end;
		}
		i = end + (text[end] == '\n');
	}
	return i;
}

/* ---- Unmarked figures ------------------------------------------------------------ */

static const char *const units[] = {
	"ns", "\xc2\xb5s", "us", "ms", "\xc3\x97", "%", "instructions", "bytes",
};

/* Whether text[i..] begins a unit (after optional spaces), and where the
 * unit ends. */
static bool unit_at(const char *text, size_t i, size_t *after)
{
	while (text[i] == ' ')
		i++;
	if (!strncmp(text + i, "\xc2\xa0", 2))	/* no-break space */
		i += 2;
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t len = strlen(units[u]);

		if (!strncmp(text + i, units[u], len) &&
		    !isalnum((unsigned char)text[i + len])) {
			*after = i + len;
			return true;
		}
	}
	return false;
}

/* A figure in a lint region needs a note: a number followed by a unit,
 * or any number in a table's cell. */
static void lint_line(const char *text, size_t start, size_t end)
{
	bool table = text[start] == '|';

	for (size_t i = start; i < end; i++) {
		size_t after, j;
		bool unit;

		if (!isdigit((unsigned char)text[i]) ||
		    (i > start && (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '.' ||
				   text[i - 1] == ',' || text[i - 1] == '_' ||
				   text[i - 1] == '-' || text[i - 1] == '/')))
			continue;
		j = i;
		while (j < end && (isdigit((unsigned char)text[j]) ||
				   ((text[j] == ',' || text[j] == '.') &&
				    isdigit((unsigned char)text[j + 1]))))
			j++;
		unit = unit_at(text, j, &after);
		if (!unit)
			after = j;
		if ((unit || table) && strncmp(text + after, "<!--pc", 6))
			fail("a figure with no note: %.*s", (int)(after - i), text + i);
		i = j;
	}
}

/* ---- One file ------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "paper-check: cannot read %s\n", path);
		exit(2);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(2);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

static void apply(const char *path, const char *text, size_t len)
{
	FILE *f;
	size_t at = 0;
	char tmp[1100];

	qsort(edits, nr_edits, sizeof *edits, cmp_edit);
	snprintf(tmp, sizeof tmp, "%s.paper-check", path);
	f = fopen(tmp, "wb");
	if (!f) {
		perror(tmp);
		exit(2);
	}
	for (size_t i = 0; i < nr_edits; i++) {
		fwrite(text + at, 1, edits[i].start - at, f);
		fputs(edits[i].text, f);
		at = edits[i].end;
		free(edits[i].text);
	}
	fwrite(text + at, 1, len - at, f);
	if (fclose(f) || rename(tmp, path)) {
		perror(path);
		exit(2);
	}
}

static void check_file(const char *path, bool update)
{
	size_t len, i = 0;
	char *text = read_file(path, &len);
	bool lint = false, fenced = false;

	cur_file = path;
	cur_line = 0;
	nr_edits = 0;
	while (i < len) {
		size_t end = i + strcspn(text + i, "\n");

		cur_line++;
		if (!strncmp(text + i, "```", 3))
			fenced = !fenced;
		if (lint && !fenced)
			lint_line(text, i, end);
		for (char *p = text + i; (p = strstr(p, "<!--pc")) && p < text + end;) {
			char *close = strstr(p, "-->"), note[1024], *w[MAX_WORDS];
			int nw;

			if (!close) {
				fail("a note with no end");
				break;
			}
			snprintf(note, sizeof note, "%.*s", (int)(close - p - 6), p + 6);
			nw = split_words(note, w);
			if (!nw)
				fail("an empty note");
			else if (!strcmp(w[0], "begin"))
				lint = true;
			else if (!strcmp(w[0], "end"))
				lint = false;
			else if (!strcmp(w[0], "given"))
				;
			else if (!strcmp(w[0], "rank") || !strcmp(w[0], "tied"))
				check_order(w + 1, nw - 1, w[0][0] == 't');
			else if (!strcmp(w[0], "excerpt")) {
				load_summary(nw > 1 ? w[1] : "summary.txt");
				end = check_excerpt(text, end + 1, update);
				break;
			} else if (!strcmp(w[0], "range"))
				check_figure(text, (size_t)(p - text), w + 1, nw - 1, true, update);
			else
				check_figure(text, (size_t)(p - text), w, nw, false, update);
			p = close + 3;
		}
		i = end + 1;
	}
	if (update && nr_edits)
		apply(path, text, len);
	free(text);
}

int main(int argc, char **argv)
{
	bool update = false;
	int first = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--results") && i + 1 < argc)
			results_dir = argv[++i];
		else if (!strcmp(argv[i], "--update"))
			update = true;
		else if (argv[i][0] == '-') {
			first = 0;
			break;
		} else if (!first)
			first = i;
	}
	if (!results_dir || !first) {
		fprintf(stderr, "usage: paper-check --results DIR [--update] FILE...\n");
		return 2;
	}
	load_results(results_dir);
	for (int i = first; i < argc; i++)
		if (strcmp(argv[i], "--update") && strcmp(argv[i], "--results") &&
		    strcmp(argv[i - 1], "--results"))
			check_file(argv[i], update);
	if (failures) {
		fprintf(stderr, "paper-check: %d claim%s not supported by %s%s\n", failures,
			failures == 1 ? "" : "s", results_dir,
			update ? " (figures rewritten; the rest needs a person)" : "");
		return 1;
	}
	printf("paper-check: every cited figure and ranking holds in %s\n", results_dir);
	return 0;
}
