/*
 * report.c - the transcript: one row per statement (what was
 * asked, in whose view), one column per design (what came back), aligned;
 * then the costs; then one summary line.
 *
 * A cell that differs from the reference design's (the first column) ends
 * in '*', and the row's note says why: "~" when the contract allows the
 * difference, "!" for a violation or a failed expect.
 *
 * Rows go out in groups as the runner hands them over (struct sc_table):
 * a small run's rows in one group at the end, a large run's one by one, so
 * that what is printed is never taken back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define MAX_WIDTH 60	/* a longer cell overflows its column */
#define COST_WIDTH 31	/* "lookups conv probes    bytes" and a gap */

int sc_table_init(struct sc_table *t, size_t nr_rows, size_t nr_designs)
{
	memset(t, 0, sizeof *t);
	t->rows = calloc(nr_rows ? nr_rows : 1, sizeof *t->rows);
	t->designs = calloc(nr_designs, sizeof *t->designs);
	t->total = calloc(nr_designs, sizeof *t->total);
	t->peak = calloc(nr_designs, sizeof *t->peak);
	t->w = calloc(nr_designs ? nr_designs : 1, sizeof *t->w);
	if (!t->rows || !t->designs || !t->total || !t->peak || !t->w)
		return -ENOMEM;
	t->nr_rows = nr_rows;
	t->nr_designs = nr_designs;
	for (size_t i = 0; i < nr_rows; i++) {
		struct sc_row *row = &t->rows[i];

		row->cells = calloc(nr_designs, sizeof *row->cells);
		row->differs = calloc(nr_designs, sizeof *row->differs);
		row->cost = calloc(nr_designs, sizeof *row->cost);
		if (!row->cells || !row->differs || !row->cost)
			return -ENOMEM;
	}
	return 0;
}

void sc_table_free(struct sc_table *t)
{
	for (size_t i = 0; t->rows && i < t->nr_rows; i++) {
		struct sc_row *row = &t->rows[i];

		for (size_t d = 0; row->cells && d < t->nr_designs; d++)
			free(row->cells[d]);
		free(row->cells);
		free(row->differs);
		free(row->cost);
		free(row->asked);
		free(row->note);
	}
	free(t->rows);
	free(t->designs);
	free(t->total);
	free(t->peak);
	free(t->w);
	memset(t, 0, sizeof *t);
}

static size_t cap_width(size_t w)
{
	return w > MAX_WIDTH ? MAX_WIDTH : w;
}

static size_t cell_width(const struct sc_row *row, size_t d)
{
	return (row->cells[d] ? strlen(row->cells[d]) : 0) + row->differs[d];
}

/* The widths rows from..to need, grown into t's: the statement column
 * (set once, from every row), the view column (the widest view's), one
 * per design.  Whether a width grew (or none was set yet). */
static bool widen(struct sc_table *t, size_t from, size_t to)
{
	bool grew = !t->asked_w;

	if (!t->asked_w) {
		t->asked_w = strlen("statement");
		for (size_t i = 0; i < t->nr_rows; i++)
			if (t->rows[i].asked && strlen(t->rows[i].asked) > t->asked_w)
				t->asked_w = strlen(t->rows[i].asked);
		t->asked_w = cap_width(t->asked_w);
		t->view_w = strlen("view");
		for (size_t d = 0; d < t->nr_designs; d++)
			t->w[d] = cap_width(strlen(t->designs[d]->name));
	}
	for (size_t i = from; i < to; i++) {
		const struct sc_row *row = &t->rows[i];

		if (strlen(row->view) > t->view_w) {
			t->view_w = strlen(row->view);
			grew = true;
		}
		for (size_t d = 0; d < t->nr_designs; d++) {
			size_t w = cap_width(cell_width(row, d));

			if (w > t->w[d]) {
				t->w[d] = w;
				grew = true;
			}
		}
	}
	return grew;
}

static void print_header(const struct sc_table *t, FILE *out)
{
	size_t asked = t->asked_w, view = t->view_w;
	const size_t *w = t->w;

	fprintf(out, "line  %-*s  %-*s", (int)asked, "statement", (int)view, "view");
	for (size_t d = 0; d < t->nr_designs; d++)
		fprintf(out, "  %-*s", (int)w[d], t->designs[d]->name);
	fprintf(out, "\n");
}

static void print_row(const struct sc_table *t, const struct sc_row *row, FILE *out)
{
	size_t asked = t->asked_w, view = t->view_w;
	const size_t *w = t->w;

	fprintf(out, "%4u  %-*s  %-*s", row->line, (int)asked,
		row->asked ? row->asked : "", (int)view, row->view);
	for (size_t d = 0; d < t->nr_designs; d++) {
		const char *cell = row->cells[d] ? row->cells[d] : "";
		int pad = (int)w[d] - (int)cell_width(row, d);

		bool last = d + 1 == t->nr_designs && !row->note;

		fprintf(out, "  %s%s%*s", cell, row->differs[d] ? "*" : "",
			pad > 0 && !last ? pad : 0, "");
	}
	if (row->note)
		fprintf(out, "  %s %s", row->violation ? "!" : "~", row->note);
	fprintf(out, "\n");
}

static void print_costs_header(const struct sc_table *t, FILE *out, size_t asked)
{
	fprintf(out, "\n== costs per statement: lookups, pid conversions and hash "
		"probes it made; bytes allocated after it\n");
	fprintf(out, "      %-*s", (int)asked, "");
	for (size_t d = 0; d < t->nr_designs; d++)
		fprintf(out, "  %-*s", COST_WIDTH - 2, t->designs[d]->name);
	fprintf(out, "\nline  %-*s", (int)asked, "statement");
	for (size_t d = 0; d < t->nr_designs; d++)
		fprintf(out, "  %7s %5s %6s %8s", "lookups", "conv", "probes", "bytes");
	fprintf(out, "\n");
}

static void print_cost(FILE *out, const struct sc_cost *c)
{
	fprintf(out, "  %7llu %5llu %6llu %8llu", (unsigned long long)c->lookups,
		(unsigned long long)c->conversions,
		(unsigned long long)c->probes, (unsigned long long)c->bytes);
}

static void print_costs(const struct sc_table *t, FILE *out, size_t asked)
{
	print_costs_header(t, out, asked);
	for (size_t i = 0; i < t->nr_done; i++) {
		const struct sc_row *row = &t->rows[i];

		if (!row->has_cost)
			continue;
		fprintf(out, "%4u  %-*s", row->line, (int)asked, row->asked);
		for (size_t d = 0; d < t->nr_designs; d++)
			print_cost(out, &row->cost[d]);
		fprintf(out, "\n");
	}
	fprintf(out, "%-*s", (int)asked + 6, "total");
	for (size_t d = 0; d < t->nr_designs; d++)
		print_cost(out, &t->total[d]);
	fprintf(out, "\n%-*s", (int)asked + 6, "peak bytes");
	for (size_t d = 0; d < t->nr_designs; d++)
		fprintf(out, "  %7s %5s %6s %8llu", "", "", "",
			(unsigned long long)t->peak[d]);
	fprintf(out, "\n");
}

static void print_summary(const struct sc_table *t, FILE *out,
			  const struct pidsim_sc_summary *sum)
{
	fprintf(out, "\n== %zu statement%s on ", sum->statements,
		sum->statements == 1 ? "" : "s");
	if (t->nr_designs == 1)
		fprintf(out, "%s", t->designs[0]->name);
	else
		fprintf(out, "%zu designs", t->nr_designs);
	if (t->nr_designs > 1)
		fprintf(out, ": %zu disagreement%s (%zu allowed, %zu violation%s)",
			sum->disagreements, sum->disagreements == 1 ? "" : "s",
			sum->allowed, sum->violations, sum->violations == 1 ? "" : "s");
	fprintf(out, "; %zu expect check%s, %zu failed", sum->expects,
		sum->expects == 1 ? "" : "s", sum->failed);
	if (sum->over_budget)
		fprintf(out, "; the task budget (max_tasks %u) refused line %u%s",
			sum->max_tasks, sum->budget_line,
			sum->over_budget == 1 ? "" : " and later");
	if (sum->stopped_line)
		fprintf(out, "; the time limit stopped the run at line %u",
			sum->stopped_line);
	fprintf(out, ": %s\n", sum->over_budget || sum->stopped_line ? "INCOMPLETE" :
		sum->violations || sum->failed ? "FAIL" : "PASS");
}

int sc_table_print_rows(struct sc_table *t, FILE *out, size_t upto)
{
	if (widen(t, t->printed, upto))	/* the first time, or wider */
		print_header(t, out);
	for (; t->printed < upto; t->printed++)
		print_row(t, &t->rows[t->printed], out);
	return fflush(out) || ferror(out) ? -EIO : 0;
}

void sc_table_print_end(const struct sc_table *t, FILE *out, unsigned flags,
			const struct pidsim_sc_summary *sum)
{
	if (flags & PIDSIM_SC_STATS)
		print_costs(t, out, t->asked_w);
	print_summary(t, out, sum);
}
