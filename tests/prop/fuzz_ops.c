/*
 * fuzz_ops.c - libFuzzer target: the operation sequence.
 *
 * The fuzzer's bytes drive the workload generator (wl_decode(): every
 * choice the generator makes is read from the input instead of a seeded
 * stream), and the workload runs on every design with every check of the
 * property suite: invariants, isolation, weak references, the reference
 * model, and the differential between designs.  A failed check aborts, so
 * libFuzzer keeps the input; replay it with the binary and the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "exec.h"
#include "props.h"
#include "wl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wl *w = wl_decode(data, size);
	struct props_env all = { .name = "fuzz",
				 .checks = CHK_INV | CHK_ISO | CHK_WEAK | CHK_REF };
	struct props_env diff = { .name = "fuzz-differential", .differential = true };
	char why[2048];

	if (props_check(w, &all, why, sizeof why) == PROP_FAIL ||
	    props_check(w, &diff, why, sizeof why) == PROP_FAIL) {
		fprintf(stderr, "fuzz_ops: %s\n", why);
		props_report(stderr, w, &all, 0, why);
		abort();
	}
	wl_free(w);
	return 0;
}
