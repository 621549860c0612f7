/*
 * regress.h - seeds that always run before the random trials, as theft's
 * always_seeds: each found a failure once (a bug in a design or a mutant
 * the suite was slow to catch), and each must keep passing.  Add a seed
 * with a comment saying what it found.
 *
 * A seed names a workload only through the generator (wl.c): after a change
 * to the generator, a seed makes a different workload, and the list should
 * be found again (make mutants prints the seeds that caught each mutant, in
 * build/mutants/NAME/log.txt).
 */
#ifndef PROP_REGRESS_H
#define PROP_REGRESS_H

#include <stdint.h>

static const uint64_t prop_regression_seeds[] = {
	0x5eed2006ull,			/* the default run's first trial */
	0x65e2a37847f239fcull,		/* WRAP_TO_1: pid 300 after a wrap */
	0xf323e523d91c8240ull,		/* ORPHANS_TO_HOST */
	0x9fbbfef8a3f50e68ull,		/* WAIT_UNCONVERTED */
	0x523fa572b26daa30ull,		/* OWNER_VIRTUAL, INIT_EXIT_KEEPS_CONTAINER */
};

#endif
