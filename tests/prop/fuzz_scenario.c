/*
 * fuzz_scenario.c - libFuzzer target: the scenario parser.
 *
 * Any bytes: the parser must return 0 or an error with a line and column,
 * never crash or leak.  What parses must print (pidsim_sc_write) as text
 * that parses again, makes the same checks and prints the same (the
 * canonical form is a fixed point).  A small scenario that parses is also
 * run on every design, with no output: the runner must not crash either.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pidsim_scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The canonical text of sc (malloc'd). */
static char *canonical(const struct pidsim_scenario *sc, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		abort();
	pidsim_sc_write(sc, f);
	fclose(f);
	return text;
}

/* Whether two parses make the same checks: every alternative of every
 * expect, field by field (a canonical text that drops a matcher is still
 * a fixed point, so the text alone cannot tell; issue 12). */
static int same_checks(const struct pidsim_scenario *a, const struct pidsim_scenario *b)
{
	if (a->nr_matches != b->nr_matches || a->nr_items != b->nr_items)
		return 0;
	for (size_t i = 0; i < a->nr_matches; i++) {
		const struct pidsim_sc_match *x = &a->matches[i], *y = &b->matches[i];
		unsigned w = x->what;

		if (w != y->what || ((w & PIDSIM_SC_M_NR) && x->nr != y->nr) ||
		    ((w & PIDSIM_SC_M_LABEL) && x->label != y->label) ||
		    ((w & PIDSIM_SC_M_ERR) && x->err != y->err) ||
		    ((w & PIDSIM_SC_M_STATE) && x->state != y->state) ||
		    ((w & PIDSIM_SC_M_EXITED) && x->code != y->code) ||
		    ((w & PIDSIM_SC_M_KILLED) && x->sig != y->sig) ||
		    ((w & PIDSIM_SC_M_LIST) && x->list_len != y->list_len))
			return 0;
	}
	for (size_t i = 0; i < a->nr_items; i++)
		if (a->items[i].nr != b->items[i].nr || a->items[i].label != b->items[i].label)
			return 0;
	return 1;
}

/* Small enough to run quickly: few statements, little churn. */
static int cheap(const struct pidsim_scenario *sc)
{
	long churn = 0;

	if (sc->nr_stmts > 200)
		return 0;
	for (size_t i = 0; i < sc->nr_stmts; i++)
		if (sc->stmts[i].kind == PIDSIM_SC_CHURN)
			churn += sc->stmts[i].arg;
	return churn <= 2000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A small task budget: a container restored into itself doubles
	 * with each line, and 200 lines would outgrow any machine. */
	static const struct pidsim_sc_opts opts = { .max_tasks = 4096 };
	struct pidsim_scenario *sc = NULL, *again = NULL;
	struct pidsim_sc_error err;
	size_t len1, len2;
	char *t1, *t2;

	if (pidsim_sc_parse((const char *)data, size, &sc, &err))
		return 0;
	t1 = canonical(sc, &len1);
	if (pidsim_sc_parse(t1, len1, &again, &err)) {
		fprintf(stderr, "fuzz_scenario: the canonical text does not parse: "
			"line %u, column %u: %s\n%s", err.line, err.col, err.msg, t1);
		abort();
	}
	if (!same_checks(sc, again)) {
		fprintf(stderr, "fuzz_scenario: the canonical text checks something "
			"else:\n%s", t1);
		abort();
	}
	t2 = canonical(again, &len2);
	if (len1 != len2 || memcmp(t1, t2, len1)) {
		fprintf(stderr, "fuzz_scenario: the canonical text is not a fixed "
			"point:\n%s\n--\n%s", t1, t2);
		abort();
	}
	if (cheap(sc))
		pidsim_sc_run_opts(sc, &opts, NULL, NULL);
	free(t1);
	free(t2);
	pidsim_sc_free(again);
	pidsim_sc_free(sc);
	return 0;
}
