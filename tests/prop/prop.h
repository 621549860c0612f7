/*
 * prop.h - a small property-based testing harness, after theft.
 *
 * Why our own?  No QuickCheck-style library is packaged for C on Debian,
 * and the part pidsim needs is small: generate an input from a seeded
 * random stream, check a property on it, and when it fails, shrink the
 * input to a minimal one that still fails and print it with the seed that
 * produced it.  The layout is theft's (github.com/silentbicycle/theft):
 *
 *   - per generated type a set of callbacks: alloc (generate from a
 *     seeded stream), free, shrink (by tactic number) and print;
 *   - a property answers PASS, FAIL, SKIP or ERROR;
 *   - shrinking is deterministic: tactics are tried in order, largest
 *     simplification first, and the tactics restart after every success;
 *   - trial i of a run with seed S uses a seed derived from S, the first
 *     trial S itself, so PIDSIM_SEED=<a failing trial's seed>
 *     PIDSIM_TRIALS=1 replays exactly that trial;
 *   - a list of seeds that always run, as regressions, before the random
 *     trials.
 *
 * A crash in a trial (abort, a fault) is caught, reported as ERROR with the
 * trial's seed, and shrunk with every candidate run in a child process.
 */
#ifndef PROP_H
#define PROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- The random stream: splitmix64 -------------------------------------- */

struct prop_rng {
	uint64_t s;
};

static inline uint64_t prop_rng_next(struct prop_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in 0 .. n - 1 (n > 0). */
static inline uint32_t prop_rng_below(struct prop_rng *r, uint32_t n)
{
	return (uint32_t)(((prop_rng_next(r) >> 32) * n) >> 32);
}

/* True with probability percent / 100. */
static inline bool prop_rng_pct(struct prop_rng *r, unsigned percent)
{
	return prop_rng_below(r, 100) < percent;
}

/* ---- Types and properties ---------------------------------------------- */

enum prop_result { PROP_PASS, PROP_FAIL, PROP_SKIP, PROP_ERROR };

enum prop_shrink {
	PROP_SHRINK_OK,			/* *out is a simpler instance */
	PROP_SHRINK_DEAD_END,		/* this tactic does not apply; try the next */
	PROP_SHRINK_NO_MORE_TACTICS,	/* tactic is past the last one */
};

struct prop_type {
	/* A new instance from the random stream. */
	void *(*alloc)(struct prop_rng *rng, void *env);
	void (*free)(void *instance, void *env);
	/* A simpler copy of instance by tactic number (0 = the largest
	 * simplification); instance itself is left alone. */
	enum prop_shrink (*shrink)(const void *instance, uint32_t tactic,
				   void *env, void **out);
	/* A size, for "shrunk from N to M". */
	size_t (*size)(const void *instance, void *env);
	/* Print an instance for a person to read. */
	void (*print)(FILE *f, const void *instance, void *env);
};

struct prop {
	const char *name;
	const struct prop_type *type;
	void *env;
	/* Check the property; on FAIL or ERROR say why in why[size]. */
	enum prop_result (*check)(const void *instance, void *env, char *why,
				  size_t size);
	/* Print a failing instance: the counterexample, its failure, how to
	 * replay it (the type's print and why when NULL).  seed is the
	 * trial's seed. */
	void (*report)(FILE *f, const void *instance, void *env, uint64_t seed,
		       const char *why);
	/* Operations run so far, for the banner; may be NULL. */
	const uint64_t *ops;
};

struct prop_config {
	uint64_t trials;	/* random trials after the regression seeds */
	uint64_t seed;		/* the run's seed */
	const uint64_t *always;	/* seeds that always run first */
	size_t nr_always;
	bool stop_first;	/* stop at the first failure */
	bool shrink;		/* shrink failures (default) */
	unsigned max_shrinks;	/* candidate evaluations at most; 0: 20000 */
	bool quiet;		/* no banners (the fuzz targets) */
};

struct prop_outcome {
	uint64_t pass, fail, skip, error;
	uint64_t trials;	/* trials run, regression seeds included */
	uint64_t first_fail;	/* 1-based trial of the first failure; 0: none */
	uint64_t fail_seed;
	bool crashed;		/* a trial crashed: the process should end soon */
};

/* Run p: the regression seeds, then c->trials random trials.  Prints
 * theft's banners to stdout.  0 when every trial passed or was skipped. */
int prop_run(const struct prop *p, const struct prop_config *c,
	     struct prop_outcome *out);

/* The seed of trial i (0-based) of a run with seed s. */
uint64_t prop_trial_seed(uint64_t s, uint64_t i);

/* PIDSIM_SEED (a number, or "time"), PIDSIM_TRIALS, with defaults. */
uint64_t prop_env_seed(uint64_t def);
uint64_t prop_env_u64(const char *name, uint64_t def);

#endif
