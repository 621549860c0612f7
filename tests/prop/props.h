/*
 * props.h - the properties the suite checks, over every design.
 *
 *   invariants    per design, after every step: the task table's invariants
 *                 through the public interface (exec.h, CHK_INV)
 *   isolation     per design: no call from inside a container observes or
 *                 changes a task outside what the contract lets it see
 *                 (CHK_ISO); cross-boundary effects counted, must be 0
 *   weakrefs      per design: handles, references and stored owners never
 *                 resolve to a task other than their own (CHK_WEAK)
 *   reference     per design: every result as the reference model (ref.h)
 *                 says, up to the design's documented differences (CHK_REF)
 *   differential  every pair of designs observes the same, up to the
 *                 differences their info flags and limits allow
 *                 (differential.c)
 *   scenario      every workload, printed as a counterexample would be
 *                 (print.h), is a scenario file the parser accepts: a
 *                 failure's report can always be replayed
 *   transplant    a tree or container checkpointed mid-workload on one
 *                 design, restored on a fresh or busy image of a random
 *                 design, the workload going on there under every check
 *                 (transplant.c)
 */
#ifndef PROP_PROPS_H
#define PROP_PROPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "prop.h"
#include "wl.h"

struct props_env {
	const char *name;
	unsigned checks;	/* CHK_*; 0 for the differential */
	bool differential;
	bool printer;		/* the scenario property */
	bool transplant;	/* the transplant property (transplant.c) */
	const char *design;	/* only this design (PIDSIM_DESIGN), or NULL */
	const char *fail_dir;	/* where counterexamples are written, or NULL */
	uint64_t calls;		/* calls made to designs */
	uint64_t steps;		/* workload steps run, summed over designs */
	uint64_t effects;	/* state changes checked for isolation */
	uint64_t misdelivered;	/* stale stored owners by number that reached
				 * another task (allowed, rule 9) */
	uint64_t crossings;	/* group kills that reached members outside
				 * the caller's view (allowed: Linux does) */
	uint64_t compared;	/* step comparisons between two designs */
	uint64_t allowed;	/* of which differed as the flags allow */
	uint64_t cover[WL_NR_KINDS][16];	/* outcomes per kind (exec.h) */
};

extern struct props_env props_all[];
extern const size_t props_nr;

struct exec_out;

/* Add what one run of a workload of steps steps did to pe's counters. */
void props_count(struct props_env *pe, const struct exec_out *out, size_t steps);

enum prop_result props_check(const void *inst, void *env, char *why, size_t size);
void props_report(FILE *f, const void *inst, void *env, uint64_t seed,
		  const char *why);

/* The differential property's check (differential.c). */
enum prop_result differential_check(const struct wl *w, struct props_env *pe,
				    char *why, size_t size);

/* The transplant property: its type, check and report (transplant.c). */
extern const struct prop_type transplant_type;
enum prop_result transplant_check(const void *inst, void *env, char *why, size_t size);
void transplant_report(FILE *f, const void *inst, void *env, uint64_t seed,
		       const char *why);

#endif
