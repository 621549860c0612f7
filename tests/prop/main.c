/*
 * main.c - the property suite: every property of props.h over every
 * design, theft's banners, one summary line.
 *
 * Environment:
 *   PIDSIM_SEED=N|time   the run's seed (default 0x5eed2006); a failing
 *                        trial's seed with PIDSIM_TRIALS=1 replays it
 *   PIDSIM_TRIALS=N      random trials per property (default 200)
 *   PIDSIM_PROPS=a,b     only these properties
 *   PIDSIM_DESIGN=name   only this design (the differential needs them all)
 *   PIDSIM_STOP_FIRST=1  stop each property at its first failure
 *   PIDSIM_SHRINK=0      report failures unshrunk
 *   PIDSIM_NO_REGRESS=1  skip the regression seeds
 *   PIDSIM_FAIL_DIR=dir  write each counterexample there as a scenario file
 *   PIDSIM_MUTANT=name   print which property caught the mutant, and when
 *   PIDSIM_COVERAGE=1    print the outcomes each call reached
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec.h"
#include "pidsim.h"
#include "props.h"
#include "regress.h"

#define DEFAULT_SEED 0x5eed2006ull

static bool selected(const char *list, const char *name)
{
	size_t len = strlen(name);

	if (!list || !*list)
		return true;
	for (const char *p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return true;
	return false;
}

int main(void)
{
	struct prop_config c = {
		.trials = prop_env_u64("PIDSIM_TRIALS", 200),
		.seed = prop_env_seed(DEFAULT_SEED),
		.always = prop_regression_seeds,
		.nr_always = sizeof prop_regression_seeds / sizeof prop_regression_seeds[0],
		.stop_first = prop_env_u64("PIDSIM_STOP_FIRST", 0),
		.shrink = prop_env_u64("PIDSIM_SHRINK", 1),
	};
	const char *props = getenv("PIDSIM_PROPS"), *mutant = getenv("PIDSIM_MUTANT");
	uint64_t trials = 0, steps = 0, calls = 0, caught_at = 0;
	const char *caught_by = NULL;
	char each[256] = "";
	struct timespec t0, t1;
	int failed = 0;

	if (prop_env_u64("PIDSIM_NO_REGRESS", 0))
		c.nr_always = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("== pidsim property suite: seed 0x%016" PRIx64 ", %" PRIu64
	       " trials per property; designs:", c.seed, c.trials + c.nr_always);
	for (size_t i = 0; i < pidsim_design_count(); i++)
		printf(" %s", pidsim_design_at(i)->name);
	printf("\n");
	for (size_t i = 0; i < props_nr; i++) {
		struct props_env *pe = &props_all[i];
		struct prop p = {
			.name = pe->name, .type = pe->transplant ? &transplant_type : &wl_type,
			.env = pe, .check = pe->transplant ? transplant_check : props_check,
			.report = pe->transplant ? transplant_report : props_report,
			.ops = &pe->calls,
		};
		struct prop_outcome o;

		if (!selected(props, pe->name))
			continue;
		pe->design = getenv("PIDSIM_DESIGN");
		pe->fail_dir = getenv("PIDSIM_FAIL_DIR");
		if (pe->differential)
			pe->design = NULL;
		failed |= prop_run(&p, &c, &o) != 0;
		trials += o.trials;
		steps += pe->steps;
		calls += pe->calls;
		if (pe->checks & 0x2u /* CHK_ISO */)
			printf("   isolation: %" PRIu64 " effects checked, %s crossed a "
			       "boundary the contract closes; %" PRIu64 " stale stored "
			       "owners by number reached another task (allowed: rule 9); "
			       "%" PRIu64 " group crossings: kill(0) or kill(-pgid) "
			       "reached a member outside the caller's view (allowed: "
			       "rule 15, Linux's)\n",
			       pe->effects, o.fail || o.error ? "some" : "none",
			       pe->misdelivered, pe->crossings);
		if (pe->differential)
			printf("   differential: %" PRIu64 " step comparisons between "
			       "pairs of designs, %" PRIu64 " allowed differences\n",
			       pe->compared, pe->allowed);
		if (prop_env_u64("PIDSIM_COVERAGE", 0) && !pe->differential) {
			printf("   outcomes per call, summed over designs:\n");
			for (int k = 0; k < WL_NR_KINDS; k++) {
				printf("     %-8s", wl_kind_name(k));
				for (int x = 0; x < EXEC_NR_OUTCOMES; x++)
					if (pe->cover[k][x])
						printf(" %s %" PRIu64, exec_outcome_names[x],
						       pe->cover[k][x]);
				printf("\n");
			}
		}
		snprintf(each + strlen(each), sizeof each - strlen(each), "%s%s ",
			 *each ? ", " : "", pe->name);
		if (o.first_fail)
			snprintf(each + strlen(each), sizeof each - strlen(each),
				 "%" PRIu64, o.first_fail);
		else
			snprintf(each + strlen(each), sizeof each - strlen(each), "-");
		if (o.first_fail && (!caught_by || o.first_fail < caught_at)) {
			caught_by = pe->name;
			caught_at = o.first_fail;
		}
		if (o.crashed)
			break;	/* the heap is suspect: stop here */
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (mutant) {
		if (caught_by)
			printf("== MUTANT %s: caught by '%s' after %" PRIu64 " trial%s "
			       "(%s)\n", mutant, caught_by, caught_at,
			       caught_at == 1 ? "" : "s", each);
		else
			printf("== MUTANT %s: NOT CAUGHT in %" PRIu64 " trials\n", mutant,
			       trials);
	}
	printf("== pidsim property suite: %s; %" PRIu64 " trials, %" PRIu64
	       " workload steps, %" PRIu64 " calls, seed 0x%016" PRIx64 ", %.1f s\n",
	       failed ? "FAIL" : "PASS", trials, steps, calls, c.seed,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return failed;
}
