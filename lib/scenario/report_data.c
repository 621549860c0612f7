/*
 * report_data.c - the transcript for programs: a record per statement and
 * design, as TSV (a header line, then a line per record) or as one JSON
 * document ({"file", "designs", "records": [...], "summary"}).
 *
 * A record says where (the line, the statement in canonical form, the
 * view), which design, what came back (the cell as the text transcript
 * shows it; for a statement also the result: whether it ran, the return
 * value and its errno name, the task it names, the limit it hit), how it
 * stands (the class: same, renumbered, allowed, violation; an expect's
 * pass, fail, skip, unselected) and why (the reason the note gives this
 * design, or what a failed expect wanted and got), and what it cost (the
 * counters --stats shows).  Records go out as the rows do, so a large run
 * streams them too.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "scenario.h"

static const char *const class_name[] = {
	[SC_SAME] = "same", [SC_RENUMBERED] = "renumbered",
	[SC_ALLOWED] = "allowed", [SC_VIOLATION] = "violation",
	[SC_PASS] = "pass", [SC_FAIL] = "fail", [SC_SKIP] = "skip",
	[SC_UNSELECTED] = "unselected",
};

static const char *const status_name[] = { "ran", "not-run", "nopid" };

/* ---- TSV ---------------------------------------------------------------- */

#define TSV_HEADER "line\tdesign\tstatement\tview\tcell\tclass\treason\tstatus\t" \
	"ret\terrno\ttask\tlimit\tlookups\tconversions\tprobes\tbytes\texpected\tgot\n"

/* A field: tabs, newlines and backslashes escaped; NULL is empty. */
static void tsv_field(FILE *out, const char *s, const char *after)
{
	for (; s && *s; s++) {
		if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\\')
			fputs("\\\\", out);
		else
			fputc(*s, out);
	}
	fputs(after, out);
}

static void tsv_record(const struct sc_table *t, const struct sc_row *row,
		       size_t d, FILE *out)
{
	const struct sc_result *res = &row->result[d];
	const struct sc_cost *c = &row->cost[d];

	fprintf(out, "%u\t", row->line);
	tsv_field(out, t->designs[d]->name, "\t");
	tsv_field(out, row->asked, "\t");
	tsv_field(out, row->view, "\t");
	tsv_field(out, row->cells[d], "\t");
	tsv_field(out, class_name[row->verdict[d]], "\t");
	tsv_field(out, row->why[d], "\t");
	if (row->is_expect) {
		fputs("\t\t\t\t\t\t\t\t\t", out);
		tsv_field(out, row->expected, "\t");
		tsv_field(out, t->rows[row->target].cells[d], "\n");
		return;
	}
	fprintf(out, "%s\t", status_name[res->how]);
	if (res->how == 0)
		fprintf(out, "%d\t%s\t", res->ret, res->ret < 0 ? pidsim_errname(res->ret) : "");
	else
		fputs("\t\t", out);
	tsv_field(out, res->task, "\t");
	tsv_field(out, res->limit, "\t");
	fprintf(out, "%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t\t\n",
		c->lookups, c->conversions, c->probes, c->bytes);
}

/* ---- JSON ------------------------------------------------------------------ */

/* A JSON string (or null): quotes, backslashes and control bytes
 * escaped, and bytes past ASCII too (a file name may not be UTF-8). */
static void json_str(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_key(FILE *out, const char *key, const char *s)
{
	fprintf(out, ", \"%s\": ", key);
	json_str(out, s);
}

static void json_record(const struct sc_table *t, const struct sc_row *row,
			size_t d, FILE *out)
{
	const struct sc_result *res = &row->result[d];
	const struct sc_cost *c = &row->cost[d];

	fprintf(out, "    {\"line\": %u", row->line);
	json_key(out, "design", t->designs[d]->name);
	json_key(out, "statement", row->asked);
	json_key(out, "view", row->view);
	json_key(out, "cell", row->cells[d]);
	json_key(out, "class", class_name[row->verdict[d]]);
	json_key(out, "reason", row->why[d]);
	if (row->is_expect) {
		json_key(out, "expected", row->expected);
		json_key(out, "got", t->rows[row->target].cells[d]);
		fputs("}", out);
		return;
	}
	fprintf(out, ", \"result\": {\"status\": \"%s\", \"ret\": ", status_name[res->how]);
	if (res->how == 0)
		fprintf(out, "%d", res->ret);
	else
		fputs("null", out);
	json_key(out, "errno", res->how == 0 && res->ret < 0 ? pidsim_errname(res->ret) : NULL);
	json_key(out, "task", res->task);
	json_key(out, "limit", res->limit);
	fprintf(out, "}, \"cost\": {\"lookups\": %" PRIu64 ", \"conversions\": %" PRIu64
		", \"probes\": %" PRIu64 ", \"bytes\": %" PRIu64 "}}",
		c->lookups, c->conversions, c->probes, c->bytes);
}

static void json_head(const struct sc_table *t, FILE *out)
{
	fputs("{\n  \"file\": ", out);
	json_str(out, t->name);
	fputs(",\n  \"designs\": [", out);
	for (size_t d = 0; d < t->nr_designs; d++) {
		fputs(d ? ", " : "", out);
		json_str(out, t->designs[d]->name);
	}
	fputs("],\n  \"records\": [", out);
}

/* ---- Entry points ------------------------------------------------------------ */

int sc_data_print_rows(struct sc_table *t, FILE *out, size_t upto)
{
	bool json = t->output == PIDSIM_SC_JSON;

	if (!t->started) {
		t->started = true;
		if (json)
			json_head(t, out);
		else
			fputs(TSV_HEADER, out);
	}
	for (; t->printed < upto; t->printed++) {
		const struct sc_row *row = &t->rows[t->printed];

		for (size_t d = 0; d < t->nr_designs; d++) {
			if (json) {
				fputs(t->records++ ? ",\n" : "\n", out);
				json_record(t, row, d, out);
			} else {
				tsv_record(t, row, d, out);
			}
		}
	}
	return fflush(out) || ferror(out) ? -EIO : 0;
}

void sc_data_print_end(const struct sc_table *t, FILE *out,
		       const struct pidsim_sc_summary *sum)
{
	if (t->output != PIDSIM_SC_JSON)
		return;
	fprintf(out, "\n  ],\n  \"summary\": {\"statements\": %zu, \"designs\": %zu, "
		"\"disagreements\": %zu, \"allowed\": %zu, \"violations\": %zu, "
		"\"expects\": %zu, \"failed\": %zu, \"max_tasks\": %u, "
		"\"over_budget\": %zu, \"budget_line\": %u, \"stopped_line\": %u, "
		"\"result\": \"%s\"}\n}\n", sum->statements, t->nr_designs,
		sum->disagreements, sum->allowed, sum->violations, sum->expects,
		sum->failed, sum->max_tasks, sum->over_budget, sum->budget_line,
		sum->stopped_line, sc_summary_word(sum));
}
