/*
 * main.c - the contract suite's runner: every group of CONTRACT_GROUPS, in
 * order, as one cmocka group per design ("contract/<design>").
 */
#include <stdlib.h>

#include "contract.h"

static const struct contract_group *const groups[] = {
#define X(name) &contract_##name,
	CONTRACT_GROUPS(X)
#undef X
};

int main(void)
{
	struct CMUnitTest *all;
	size_t n = 0;
	int failed;

	for (size_t g = 0; g < ARRAY_SIZE(groups); g++)
		n += groups[g]->n;
	all = malloc(n * sizeof *all);
	if (!all) {
		fprintf(stderr, "test_contract: out of memory\n");
		return 1;
	}
	n = 0;
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++)
		for (size_t i = 0; i < groups[g]->n; i++)
			all[n++] = groups[g]->tests[i];
	failed = run_per_design("contract", all, n);
	free(all);
	return failed;
}
