/*
 * fuzz_scenario.c - libFuzzer target: the scenario parser.
 *
 * Any bytes: the parser must return 0 or an error with a line and column,
 * never crash or leak.  What parses must print (pidsim_sc_write) as text
 * that parses again and prints the same (the canonical form is a fixed
 * point).  A small scenario that parses is also run on every design, with
 * no output: the runner must not crash either.
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
	t2 = canonical(again, &len2);
	if (len1 != len2 || memcmp(t1, t2, len1)) {
		fprintf(stderr, "fuzz_scenario: the canonical text is not a fixed "
			"point:\n%s\n--\n%s", t1, t2);
		abort();
	}
	if (cheap(sc))
		pidsim_sc_run(sc, NULL, 0, NULL, NULL);
	free(t1);
	free(t2);
	pidsim_sc_free(again);
	pidsim_sc_free(sc);
	return 0;
}
