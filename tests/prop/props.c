/* props.c - the properties, their checks and their reports (see props.h). */
#define _POSIX_C_SOURCE 200809L
#include "props.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "exec.h"
#include "print.h"

struct props_env props_all[] = {
	{ .name = "invariants", .checks = CHK_INV },
	{ .name = "isolation", .checks = CHK_ISO },
	{ .name = "weakrefs", .checks = CHK_WEAK },
	{ .name = "reference", .checks = CHK_REF },
	{ .name = "differential", .differential = true },
	{ .name = "scenario", .printer = true },
	{ .name = "transplant", .transplant = true,
	  .checks = CHK_INV | CHK_ISO | CHK_WEAK | CHK_REF },
};
const size_t props_nr = sizeof props_all / sizeof props_all[0];

static bool wanted(const struct props_env *pe, const struct pidsim_design_info *d)
{
	return !pe->design || strcmp(pe->design, d->name) == 0;
}

/* The workload as the first design runs it, printed, must parse. */
static enum prop_result printer_check(const struct wl *w, struct props_env *pe,
				      char *why, size_t size)
{
	struct exec_out out;
	char msg[256], *text;
	enum prop_result r = PROP_PASS;

	exec_run(w, pidsim_design_at(0), 0, &out);
	pe->calls += out.calls;
	pe->steps += out.skipped ? 0 : w->n;
	if (out.skipped) {
		exec_out_free(&out);
		return PROP_SKIP;
	}
	text = wl_scenario(w, out.log, -1, NULL, NULL, NULL);
	if (wl_scenario_check(text, msg, sizeof msg)) {
		snprintf(why, size, "the printed workload does not parse: %s", msg);
		r = PROP_FAIL;
	}
	free(text);
	exec_out_free(&out);
	return r;
}

void props_count(struct props_env *pe, const struct exec_out *out, size_t steps)
{
	pe->calls += out->calls;
	pe->steps += out->skipped ? 0 : steps;
	pe->effects += out->effects;
	pe->misdelivered += out->misdelivered;
	pe->crossings += out->crossings;
	for (int k = 0; k < WL_NR_KINDS; k++)
		for (int c = 0; c < EXEC_NR_OUTCOMES; c++)
			pe->cover[k][c] += out->cover[k][c];
}

enum prop_result props_check(const void *inst, void *env, char *why, size_t size)
{
	struct props_env *pe = env;
	const struct wl *w = inst;
	int ran = 0;

	if (pe->differential)
		return differential_check(w, pe, why, size);
	if (pe->printer)
		return printer_check(w, pe, why, size);
	for (size_t i = 0; i < pidsim_design_count(); i++) {
		const struct pidsim_design_info *d = pidsim_design_at(i);
		struct exec_out out;

		if (!wanted(pe, d))
			continue;
		exec_run(w, d, pe->checks, &out);
		props_count(pe, &out, w->n);
		if (out.failed) {
			snprintf(why, size, "%s", out.why);
			exec_out_free(&out);
			return PROP_FAIL;
		}
		ran += !out.skipped;
		exec_out_free(&out);
	}
	return ran ? PROP_PASS : PROP_SKIP;
}

/* "step N (DESIGN...": the failing step and design of a message. */
static int parse_why(const char *why, char *design, size_t size)
{
	int step;
	const char *open = strchr(why, '('), *end;

	if (sscanf(why, "step %d", &step) != 1 || !open)
		return -1;
	end = open + 1 + strcspn(open + 1, " )");
	snprintf(design, size, "%.*s", (int)(end - open - 1), open + 1);
	return step - 1;
}

/* text, indented, a run of identical lines shown once with its count (the
 * file written keeps them all). */
static void print_collapsed(FILE *f, const char *text)
{
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n'), *next;
		int len = (int)(nl ? nl - line : (long)strlen(line)), n = 1;

		next = nl ? nl + 1 : NULL;
		while (next && strncmp(next, line, (size_t)len) == 0 &&
		       (next[len] == '\n' || next[len] == '\0')) {
			n++;
			next = next[len] ? next + len + 1 : NULL;
		}
		if (n > 1)
			fprintf(f, "     %.*s    # ... %d times\n", len, line, n);
		else
			fprintf(f, "     %.*s\n", len, line);
		line = next;
	}
}

void props_report(FILE *f, const void *inst, void *env, uint64_t seed,
		  const char *why)
{
	struct props_env *pe = env;
	const struct wl *w = inst;
	const struct pidsim_design_info *d = NULL;
	struct exec_out out = { 0 };
	char design[64] = "", msg[256], expect[96] = "";
	int step = parse_why(why, design, sizeof design);
	bool crashed = strstr(why, "crashed") || strstr(why, "sanitizer");
	struct wl *upto;
	char *text;

	if (step >= 0)
		d = pidsim_design_find(design);
	fprintf(f, "   %s\n", why);
	/* The steps up to the failure, no further (a later one may crash),
	 * run again on the failing design for the numbers it passed; not
	 * after a crash, which would crash again. */
	upto = wl_copy(w);
	if (step >= 0 && (size_t)step < upto->n)
		upto->n = (size_t)step + 1;
	if (d && !crashed)
		exec_run(upto, d, pe->checks, &out);
	/* A result unlike the model's, on a step the language says in one
	 * statement: an expect that `pidsim run` then fails. */
	if (out.has_want && step >= 0 && upto->ops[step].kind != WL_CHURN &&
	    upto->ops[step].kind != WL_SPAWN && upto->ops[step].kind != WL_RESOLVE &&
	    upto->ops[step].kind != WL_STATS_RESET) {
		if (out.want < 0)
			snprintf(expect, sizeof expect, "expect @%s %s", d->name,
				 pidsim_errname(out.want));
		else
			snprintf(expect, sizeof expect, "expect @%s %d", d->name, out.want);
	}
	text = wl_scenario(upto, out.log, step, d ? d->name : NULL, why,
			   *expect ? expect : NULL);
	fprintf(f, "   counterexample (%zu steps, as a scenario file):\n", upto->n);
	print_collapsed(f, text);
	if (wl_scenario_check(text, msg, sizeof msg))
		fprintf(f, "   (the scenario parser rejects it: %s)\n", msg);
	if (pe->fail_dir) {
		char path[512];
		FILE *out_f;

		mkdir(pe->fail_dir, 0777);
		snprintf(path, sizeof path, "%s/%s-%016" PRIx64 ".scenario", pe->fail_dir,
			 pe->name, seed);
		out_f = fopen(path, "w");
		if (out_f) {
			fputs(text, out_f);
			fclose(out_f);
			fprintf(f, "   written to %s (replay: build/pidsim run %s)\n",
				path, path);
		}
	}
	fprintf(f, "   replay the trial: PIDSIM_SEED=0x%016" PRIx64 " PIDSIM_TRIALS=1 "
		"PIDSIM_PROPS=%s\n", seed, pe->name);
	free(text);
	wl_free(upto);
	exec_out_free(&out);
}
