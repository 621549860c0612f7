/*
 * report.c - the transcript for people: one row per statement (what was
 * asked, in whose view), one column per design (what came back), aligned
 * and fitted into a width; then the costs; then one summary line.  The
 * machine-readable transcripts are report_data.c's.
 *
 * A cell that differs from the reference design's (the first column) ends
 * in '*', and the row's note says why: "~" when the contract allows the
 * difference, "!" for a violation or a failed expect.
 *
 * The table fits the width it is given: a column is as wide as its widest
 * cell, and when the row does not fit, the designs' columns are narrowed,
 * the widest first, down to their names; a longer cell wraps at its
 * blanks onto more lines.  Beside other designs a cell stops after
 * MAX_CELL_LINES lines, ending in "+N more" (the words, ps pids or
 * labels, left out); with one design it is always whole.  A note that does
 * not fit after its row goes on lines of its own under it.  No line ends
 * in a blank.
 *
 * Rows go out in groups as the runner hands them over (struct sc_table):
 * a small run's rows in one group at the end, a large run's one by one, so
 * that what is printed is never taken back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define LINE_W 4		/* the line number's column */
#define GAP 2			/* blanks between columns */
#define MIN_COL 12		/* a design's column is narrowed no further
				 * (nor below its name) */
#define MIN_ASKED 16		/* nor the statement's, once they are */
#define MAX_CELL_LINES 3	/* beside other designs */
#define NOTE_INDENT 6		/* a note under its row starts here */

int sc_table_init(struct sc_table *t, size_t nr_rows, size_t nr_designs)
{
	size_t nd = nr_designs ? nr_designs : 1;

	memset(t, 0, sizeof *t);
	t->rows = calloc(nr_rows ? nr_rows : 1, sizeof *t->rows);
	t->designs = calloc(nd, sizeof *t->designs);
	t->total = calloc(nd, sizeof *t->total);
	t->peak = calloc(nd, sizeof *t->peak);
	t->nat = calloc(nd, sizeof *t->nat);
	t->w = calloc(nd, sizeof *t->w);
	if (!t->rows || !t->designs || !t->total || !t->peak || !t->nat || !t->w)
		return -ENOMEM;
	t->nr_rows = nr_rows;
	t->nr_designs = nr_designs;
	t->width = SIZE_MAX / 4;	/* no limit */
	for (size_t i = 0; i < nr_rows; i++) {
		struct sc_row *row = &t->rows[i];

		row->cells = calloc(nd, sizeof *row->cells);
		row->differs = calloc(nd, sizeof *row->differs);
		row->verdict = calloc(nd, sizeof *row->verdict);
		row->why = calloc(nd, sizeof *row->why);
		row->result = calloc(nd, sizeof *row->result);
		row->cost = calloc(nd, sizeof *row->cost);
		if (!row->cells || !row->differs || !row->verdict || !row->why ||
		    !row->result || !row->cost)
			return -ENOMEM;
	}
	return 0;
}

void sc_table_free(struct sc_table *t)
{
	for (size_t i = 0; t->rows && i < t->nr_rows; i++) {
		struct sc_row *row = &t->rows[i];

		for (size_t d = 0; d < t->nr_designs; d++) {
			if (row->cells)
				free(row->cells[d]);
			if (row->why)
				free(row->why[d]);
			if (row->result)
				free(row->result[d].limit);
		}
		free(row->cells);
		free(row->differs);
		free(row->verdict);
		free(row->why);
		free(row->result);
		free(row->cost);
		free(row->asked);
		free(row->expected);
		free(row->note);
	}
	free(t->rows);
	free(t->designs);
	free(t->total);
	free(t->peak);
	free(t->nat);
	free(t->w);
	memset(t, 0, sizeof *t);
}

/* ---- Lines of a cell ------------------------------------------------------ */

/* A cell's text as lines of at most a column's width. */
struct lines {
	char **line;
	size_t n;
	bool oom;
};

static void lines_free(struct lines *l)
{
	for (size_t i = 0; l->line && i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	memset(l, 0, sizeof *l);
}

static void lines_add(struct lines *l, const char *s, size_t len)
{
	char **p;

	if (l->oom)
		return;
	p = realloc(l->line, (l->n + 1) * sizeof *p);
	if (!p || !(p[l->n] = malloc(len + 1))) {
		if (p)
			l->line = p;
		l->oom = true;
		return;
	}
	l->line = p;
	memcpy(l->line[l->n], s, len);
	l->line[l->n++][len] = '\0';
}

/* The words of s, each at most w bytes (a longer one is cut in pieces):
 * their starts and lengths, *n of them.  NULL when out of memory. */
struct word {
	size_t at, len;
};

static struct word *split_words(const char *s, size_t w, size_t *n)
{
	size_t len = strlen(s), cap = len / 2 + 2, nr = 0;
	struct word *v = malloc(cap * sizeof *v);

	for (size_t i = 0; v && i < len; ) {
		size_t end = i;

		while (end < len && s[end] != ' ')
			end++;
		for (size_t at = i; at < end; at += w)
			v[nr++] = (struct word){ at, end - at < w ? end - at : w };
		i = end + 1;
		while (i < len && s[i] == ' ')
			i++;
	}
	*n = nr;
	return v;
}

/* The trailing run of closing marks of s ("]*", "}"): what an elided cell
 * keeps after its "+N more". */
static const char *closer(const char *s)
{
	size_t n = strlen(s);

	while (n && strchr("]}*", s[n - 1]))
		n--;
	return s + n;
}

/* The line of words v[a..b) of s, then "+N more" and the closer when
 * more words (n in all) follow, cut short to fit w. */
static void last_line(struct lines *l, const char *s, const struct word *v,
		      size_t a, size_t b, size_t n, size_t w)
{
	char marker[48];
	size_t len;

	for (;;) {
		len = b > a ? v[b - 1].at + v[b - 1].len - v[a].at : 0;
		snprintf(marker, sizeof marker, "%s+%zu more%s", b > a ? " " : "",
			 n - b, closer(s));
		if (b == a || len + strlen(marker) <= w)
			break;
		b--;
	}
	if (b == a) {		/* the marker alone; shorter if need be */
		if (strlen(marker) > w)
			snprintf(marker, sizeof marker, "+%zu%s", n - b, closer(s));
		lines_add(l, marker, strlen(marker) < w ? strlen(marker) : w);
		return;
	}
	lines_add(l, s + v[a].at, len);
	if (!l->oom) {
		char *p = realloc(l->line[l->n - 1], len + strlen(marker) + 1);

		if (!p) {
			l->oom = true;
			return;
		}
		strcpy(p + len, marker);
		l->line[l->n - 1] = p;
	}
}

/* s wrapped at its blanks into lines of at most w bytes; at most max
 * lines (0: no limit), the last ending in "+N more" when words were left
 * out. */
static void wrap(struct lines *l, const char *s, size_t w, size_t max)
{
	size_t n, a = 0;
	struct word *v;

	memset(l, 0, sizeof *l);
	if (w == 0)
		w = 1;
	if (!s[0] || strlen(s) <= w) {
		lines_add(l, s, strlen(s));
		return;
	}
	v = split_words(s, w, &n);
	if (!v) {
		l->oom = true;
		return;
	}
	while (a < n && !l->oom) {
		size_t b = a + 1;

		while (b < n && v[b].at + v[b].len - v[a].at <= w)
			b++;
		if (max && l->n + 1 == max && b < n) {
			last_line(l, s, v, a, b, n, w);
			break;
		}
		lines_add(l, s + v[a].at, v[b - 1].at + v[b - 1].len - v[a].at);
		a = b;
	}
	free(v);
}

/* ---- Widths ------------------------------------------------------------- */

static size_t cell_width(const struct sc_row *row, size_t d)
{
	return (row->cells[d] ? strlen(row->cells[d]) : 0) + row->differs[d];
}

/* The widths rows from..to need, grown into t's natural widths: the
 * statement column (set once, from every row), the view column, one per
 * design. */
static void widen(struct sc_table *t, size_t from, size_t to)
{
	if (!t->asked_nat) {
		t->asked_nat = t->asked_min = strlen("statement");
		for (size_t i = 0; i < t->nr_rows; i++) {
			const char *a = t->rows[i].asked;
			size_t n = a ? strlen(a) : 0;

			t->asked_nat = n > t->asked_nat ? n : t->asked_nat;
			if (a && strncmp(a, "expect ", 7) != 0 && n > t->asked_min)
				t->asked_min = n;
		}
		t->view_nat = strlen("view");
		for (size_t d = 0; d < t->nr_designs; d++)
			t->nat[d] = strlen(t->designs[d]->name);
	}
	for (size_t i = from; i < to; i++) {
		const struct sc_row *row = &t->rows[i];

		if (strlen(row->view) > t->view_nat)
			t->view_nat = strlen(row->view);
		for (size_t d = 0; d < t->nr_designs; d++)
			if (cell_width(row, d) > t->nat[d])
				t->nat[d] = cell_width(row, d);
	}
}

/* The columns fitting narrows: k 0 is the statement's, k 1.. the
 * designs'.  Their natural widths, and how far each may be narrowed: a
 * design's to its name (MIN_COL at least), the statement's to its widest
 * statement but the expects (a row says what it ran on one line; an
 * expect may wrap); none below its natural width.  When even those
 * floors do not fit (tight), a design's goes to its name alone and the
 * statement's to MIN_ASKED. */
static size_t nat_of(const struct sc_table *t, size_t k)
{
	return k ? t->nat[k - 1] : t->asked_nat;
}

static size_t floor_of(const struct sc_table *t, size_t k)
{
	size_t f = k ? strlen(t->designs[k - 1]->name) : t->asked_min;

	if (t->tight)		/* the first floors do not fit */
		f = k ? f : MIN_ASKED;
	else if (k && f < MIN_COL)
		f = MIN_COL;
	return f < nat_of(t, k) ? f : nat_of(t, k);
}

/* Column k narrowed to at most cap (not below its floor). */
static size_t capped_one(const struct sc_table *t, size_t k, size_t cap)
{
	size_t w = nat_of(t, k) < cap ? nat_of(t, k) : cap;

	return w > floor_of(t, k) ? w : floor_of(t, k);
}

static size_t capped(const struct sc_table *t, size_t cap)
{
	size_t sum = 0;

	for (size_t k = 0; k <= t->nr_designs; k++)
		sum += capped_one(t, k, cap);
	return sum;
}

/* The fitted widths: the natural ones when the table fits; else every
 * column that fitting narrows capped at the widest cap that fits: the
 * widest columns give way first, narrower ones keep their width, and the
 * room left over goes to the capped ones from the left.  (When even the
 * floors do not fit, the table is wider than asked.)  Whether a fitted
 * width changed. */
static bool fit(struct sc_table *t)
{
	size_t nd = t->nr_designs, fixed = LINE_W + GAP + GAP + t->view_nat + GAP * nd;
	size_t avail = t->width > fixed ? t->width - fixed : 0;
	size_t lo = 0, hi = 0, left, old_asked = t->asked_w;
	bool changed = t->view_w != t->view_nat;

	t->tight = false;
	t->tight = capped(t, 0) > avail;
	for (size_t k = 0; k <= nd; k++)
		hi = nat_of(t, k) > hi ? nat_of(t, k) : hi;
	while (lo < hi) {		/* the widest cap that fits */
		size_t mid = lo + (hi - lo + 1) / 2;

		if (capped(t, mid) <= avail)
			lo = mid;
		else
			hi = mid - 1;
	}
	left = avail > capped(t, lo) ? avail - capped(t, lo) : 0;
	t->view_w = t->view_nat;
	for (size_t k = 0; k <= nd; k++) {
		size_t w = capped_one(t, k, lo);

		if (w < nat_of(t, k) && left) {
			w++;
			left--;
		}
		if (k) {
			changed |= t->w[k - 1] != w;
			t->w[k - 1] = w;
		} else {
			t->asked_w = w;
		}
	}
	return changed || old_asked != t->asked_w;
}

/* ---- Rows ----------------------------------------------------------------- */

/* Columns side by side, each lines[c] padded to width[c], line by line;
 * the first line starts with head, the others with as many blanks.  No
 * trailing blanks.  The number of lines. */
static size_t put_columns(struct sc_buf *b, const char *head, struct lines *cols,
			  const size_t *width, size_t nr)
{
	size_t height = 1;

	for (size_t c = 0; c < nr; c++)
		height = cols[c].n > height ? cols[c].n : height;
	for (size_t k = 0; k < height; k++) {
		size_t start = b->len;

		sc_buf_printf(b, "%-*s", LINE_W, k ? "" : head);
		for (size_t c = 0; c < nr; c++)
			sc_buf_printf(b, "%*s%-*s", GAP, "", (int)width[c],
				      k < cols[c].n ? cols[c].line[k] : "");
		while (b->len > start && !b->oom && b->p[b->len - 1] == ' ')
			b->p[--b->len] = '\0';
		sc_buf_printf(b, "\n");
	}
	return height;
}

/* The columns' widths in order: statement, view, each design. */
static size_t *col_widths(const struct sc_table *t)
{
	size_t *w = malloc((t->nr_designs + 2) * sizeof *w);

	if (!w)
		return NULL;
	w[0] = t->asked_w;
	w[1] = t->view_w;
	memcpy(w + 2, t->w, t->nr_designs * sizeof *w);
	return w;
}

static int print_header(const struct sc_table *t, FILE *out)
{
	size_t nr = t->nr_designs + 2, *w = col_widths(t);
	struct lines *cols = calloc(nr, sizeof *cols);
	struct sc_buf b = { 0 };
	bool oom = !w || !cols;

	for (size_t c = 0; !oom && c < nr; c++) {
		const char *name = c == 0 ? "statement" : c == 1 ? "view" :
				   t->designs[c - 2]->name;

		lines_add(&cols[c], name, strlen(name));
		oom |= cols[c].oom;
	}
	if (!oom)
		put_columns(&b, "line", cols, w, nr);
	for (size_t c = 0; cols && c < nr; c++)
		lines_free(&cols[c]);
	free(cols);
	free(w);
	oom |= b.oom;
	if (!oom)
		fputs(sc_buf_str(&b), out);
	sc_buf_free(&b);
	return oom ? -ENOMEM : 0;
}

/* The table's width: every column and the gaps between them. */
static size_t table_width(const struct sc_table *t)
{
	size_t w = LINE_W + GAP + t->asked_w + GAP + t->view_w;

	for (size_t d = 0; d < t->nr_designs; d++)
		w += GAP + t->w[d];
	return w;
}

/* The note, "~ why" or "! why": after the row, past the last column,
 * when the row is one line and there is room; else on lines of its own
 * under it. */
static void put_note(const struct sc_table *t, const struct sc_row *row,
		     struct sc_buf *b, size_t height, size_t row_start)
{
	const char *mark = row->violation ? "!" : "~";
	size_t first = b->len - row_start - 1;	/* the row's line, no newline */
	size_t tw = table_width(t);
	struct lines l;

	if (height == 1 && tw + GAP + 2 + strlen(row->note) <= t->width) {
		b->len--;		/* the newline */
		sc_buf_printf(b, "%*s%s %s\n", (int)(tw - first + GAP), "", mark,
			      row->note);
		return;
	}
	wrap(&l, row->note, t->width > NOTE_INDENT + 2 + 20 ?
	     t->width - NOTE_INDENT - 2 : 20, 0);
	for (size_t k = 0; k < l.n; k++)
		sc_buf_printf(b, "%*s%s %s\n", NOTE_INDENT, "", k ? " " : mark,
			      l.line[k]);
	b->oom |= l.oom;
	lines_free(&l);
}

static int print_row(const struct sc_table *t, const struct sc_row *row, FILE *out)
{
	size_t nr = t->nr_designs + 2, *w = col_widths(t);
	size_t max = t->nr_designs > 1 ? MAX_CELL_LINES : 0;
	struct lines *cols = calloc(nr, sizeof *cols);
	struct sc_buf b = { 0 }, cell = { 0 };
	char head[16];
	bool oom = !w || !cols;
	size_t height = 0;

	snprintf(head, sizeof head, "%*u", LINE_W, row->line);
	for (size_t c = 0; !oom && c < nr; c++) {
		if (c == 0) {
			wrap(&cols[c], row->asked ? row->asked : "", w[c], 0);
		} else if (c == 1) {
			wrap(&cols[c], row->view, w[c], 0);
		} else {
			size_t d = c - 2;

			sc_buf_printf(&cell, "%s%s", row->cells[d] ? row->cells[d] : "",
				      row->differs[d] ? "*" : "");
			wrap(&cols[c], sc_buf_str(&cell), w[c], max);
			oom |= cell.oom;
			sc_buf_free(&cell);
		}
		oom |= cols[c].oom;
	}
	if (!oom)
		height = put_columns(&b, head, cols, w, nr);
	if (!oom && row->note)
		put_note(t, row, &b, height, 0);
	for (size_t c = 0; cols && c < nr; c++)
		lines_free(&cols[c]);
	free(cols);
	free(w);
	oom |= b.oom;
	if (!oom)
		fputs(sc_buf_str(&b), out);
	sc_buf_free(&b);
	return oom ? -ENOMEM : 0;
}

/* A paragraph: text wrapped to the width, "== " before its first line
 * and three blanks before the others. */
static int print_wrapped(const struct sc_table *t, FILE *out, const char *text)
{
	struct lines l;
	bool oom;

	wrap(&l, text, t->width > 3 ? t->width - 3 : 1, 0);
	for (size_t k = 0; k < l.n; k++)
		fprintf(out, "%s%s\n", k ? "   " : "== ", l.line[k]);
	oom = l.oom;
	lines_free(&l);
	return oom ? -ENOMEM : 0;
}

/* ---- Costs -------------------------------------------------------------- */

/* A cost cell's two parts: "lookups/conversions/probes" and the bytes. */
static void cost_parts(const struct sc_cost *c, char *lcp, size_t lsize,
		       char *bytes, size_t bsize)
{
	snprintf(lcp, lsize, "%llu/%llu/%llu", (unsigned long long)c->lookups,
		 (unsigned long long)c->conversions, (unsigned long long)c->probes);
	snprintf(bytes, bsize, "%llu", (unsigned long long)c->bytes);
}

/* One line of the costs table: its first part ("  15  fork host -> a",
 * "total") in first_w, and per design the counters and the bytes (peak:
 * the bytes alone). */
static void cost_line(struct sc_buf *b, const struct sc_table *t, const char *first,
		      size_t first_w, const struct sc_cost *c, const uint64_t *peak,
		      const size_t *lw, const size_t *bw, const size_t *cw)
{
	size_t start = b->len;

	sc_buf_printf(b, "%-*s", (int)first_w, first);
	for (size_t d = 0; d < t->nr_designs; d++) {
		char lcp[80], bytes[24];

		if (peak) {
			snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)peak[d]);
			lcp[0] = '\0';
		} else {
			cost_parts(&c[d], lcp, sizeof lcp, bytes, sizeof bytes);
		}
		sc_buf_printf(b, "%*s%-*s%*s%*s", GAP, "", (int)lw[d], lcp, GAP, "",
			      (int)bw[d], bytes);
		sc_buf_printf(b, "%*s", (int)(cw[d] - lw[d] - GAP - bw[d]), "");
	}
	while (b->len > start && !b->oom && b->p[b->len - 1] == ' ')
		b->p[--b->len] = '\0';
	sc_buf_printf(b, "\n");
}

/* The widths of the costs' columns, per design: the counters', the
 * bytes', the whole column's (at least the design's name). */
static void cost_widths(const struct sc_table *t, size_t d, size_t *lw, size_t *bw,
			size_t *cw)
{
	char lcp[80], bytes[24];

	cost_parts(&t->total[d], lcp, sizeof lcp, bytes, sizeof bytes);
	*lw = strlen(lcp);
	*bw = strlen(bytes);
	snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)t->peak[d]);
	*bw = strlen(bytes) > *bw ? strlen(bytes) : *bw;
	for (size_t i = 0; i < t->nr_done; i++) {
		if (!t->rows[i].has_cost)
			continue;
		cost_parts(&t->rows[i].cost[d], lcp, sizeof lcp, bytes, sizeof bytes);
		*lw = strlen(lcp) > *lw ? strlen(lcp) : *lw;
		*bw = strlen(bytes) > *bw ? strlen(bytes) : *bw;
	}
	*cw = *lw + GAP + *bw;
	*cw = strlen(t->designs[d]->name) > *cw ? strlen(t->designs[d]->name) : *cw;
	*lw = *cw - GAP - *bw;		/* the counters take the room left */
}

/* After the transcript: each statement's cost on each design, the
 * totals, the peaks.  The statements, already shown above, are cut short
 * ("...") to fit the width. */
static int print_costs(const struct sc_table *t, FILE *out)
{
	size_t nd = t->nr_designs, others = LINE_W + GAP, asked = t->asked_min;
	size_t *lw = calloc(3 * nd + 1, sizeof *lw), *bw = lw + nd, *cw = bw + nd;
	struct sc_buf b = { 0 };
	bool oom;

	if (!lw)
		return -ENOMEM;
	for (size_t d = 0; d < nd; d++) {
		cost_widths(t, d, &lw[d], &bw[d], &cw[d]);
		others += GAP + cw[d];
	}
	if (others + asked > t->width)		/* expects have no costs */
		asked = t->width > others + MIN_ASKED ? t->width - others : MIN_ASKED;
	asked = asked < t->asked_min ? asked : t->asked_min;
	fputs("\n", out);
	if (print_wrapped(t, out, "costs per statement: lookups/conversions/pid-table "
			  "probes it made; bytes allocated after it")) {
		free(lw);
		return -ENOMEM;
	}
	{
		size_t start = b.len;

		sc_buf_printf(&b, "%-*s%*s%-*s", LINE_W, "line", GAP, "", (int)asked,
			      "statement");
		for (size_t d = 0; d < nd; d++)
			sc_buf_printf(&b, "%*s%-*s", GAP, "", (int)cw[d],
				      t->designs[d]->name);
		while (b.len > start && !b.oom && b.p[b.len - 1] == ' ')
			b.p[--b.len] = '\0';
		sc_buf_printf(&b, "\n");
	}
	for (size_t i = 0; i < t->nr_done; i++) {
		const struct sc_row *row = &t->rows[i];
		struct sc_buf first = { 0 };
		size_t n = strlen(row->asked);

		if (!row->has_cost)
			continue;
		sc_buf_printf(&first, "%*u%*s", LINE_W, row->line, GAP, "");
		if (n <= asked)
			sc_buf_printf(&first, "%s", row->asked);
		else
			sc_buf_printf(&first, "%.*s...", (int)(asked - 3), row->asked);
		b.oom |= first.oom;
		cost_line(&b, t, sc_buf_str(&first), LINE_W + GAP + asked, row->cost,
			  NULL, lw, bw, cw);
		sc_buf_free(&first);
	}
	cost_line(&b, t, "total", LINE_W + GAP + asked, t->total, NULL, lw, bw, cw);
	cost_line(&b, t, "peak bytes", LINE_W + GAP + asked, NULL, t->peak, lw, bw, cw);
	free(lw);
	oom = b.oom;
	if (!oom)
		fputs(sc_buf_str(&b), out);
	sc_buf_free(&b);
	return oom ? -ENOMEM : 0;
}

/* ---- The summary, and the entry points -------------------------------------- */

/* The summary line, wrapped to the width: statements, disagreements,
 * expects, what stopped the run, and PASS, FAIL or INCOMPLETE. */
static void print_summary(const struct sc_table *t, FILE *out,
			  const struct pidsim_sc_summary *sum)
{
	struct sc_buf b = { 0 };

	sc_buf_printf(&b, "%zu statement%s on ", sum->statements,
		      sum->statements == 1 ? "" : "s");
	if (t->nr_designs == 1)
		sc_buf_printf(&b, "%s", t->designs[0]->name);
	else
		sc_buf_printf(&b, "%zu designs", t->nr_designs);
	if (t->nr_designs > 1)
		sc_buf_printf(&b, ": %zu disagreement%s (%zu allowed, %zu violation%s)",
			      sum->disagreements, sum->disagreements == 1 ? "" : "s",
			      sum->allowed, sum->violations, sum->violations == 1 ? "" : "s");
	sc_buf_printf(&b, "; %zu expect check%s, %zu failed", sum->expects,
		      sum->expects == 1 ? "" : "s", sum->failed);
	if (sum->over_budget)
		sc_buf_printf(&b, "; the task budget (max_tasks %u) refused line %u%s",
			      sum->max_tasks, sum->budget_line,
			      sum->over_budget == 1 ? "" : " and later");
	if (sum->stopped_line)
		sc_buf_printf(&b, "; the time limit stopped the run at line %u",
			      sum->stopped_line);
	sc_buf_printf(&b, ": %s", sc_summary_word(sum));
	fputs("\n", out);
	if (b.oom || print_wrapped(t, out, sc_buf_str(&b)))
		fprintf(out, "== %s (out of memory)\n", sc_summary_word(sum));
	sc_buf_free(&b);
}

const char *sc_summary_word(const struct pidsim_sc_summary *sum)
{
	return sum->over_budget || sum->stopped_line ? "INCOMPLETE" :
	       sum->violations || sum->failed ? "FAIL" : "PASS";
}

int sc_table_print_rows(struct sc_table *t, FILE *out, size_t upto)
{
	int err = 0;

	if (t->output != PIDSIM_SC_TEXT)
		return sc_data_print_rows(t, out, upto);
	widen(t, t->printed, upto);
	if (fit(t))		/* the first time, or other widths */
		err = print_header(t, out);
	for (; !err && t->printed < upto; t->printed++)
		err = print_row(t, &t->rows[t->printed], out);
	if (err)
		return err;
	return fflush(out) || ferror(out) ? -EIO : 0;
}

void sc_table_print_end(const struct sc_table *t, FILE *out, unsigned flags,
			const struct pidsim_sc_summary *sum)
{
	if (t->output != PIDSIM_SC_TEXT) {
		sc_data_print_end(t, out, sum);
		return;
	}
	if ((flags & PIDSIM_SC_STATS) && print_costs(t, out))
		fprintf(out, "\n(costs: out of memory)\n");
	print_summary(t, out, sum);
}
