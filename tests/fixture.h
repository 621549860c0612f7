/*
 * fixture.h - what the cmocka suites share (the tests in tests/, in
 * tests/white/ and in tests/contract/), written once in tests/fixture.c: assertions that
 * print numbers with their errno names, Linux's wait statuses, the
 * snapshot that checks "a call that fails changes nothing" (the ground
 * rules' "nothing lost"), the per-design fixture with its runner (one
 * cmocka group per design in pidsim_design_at(), cmocka's prestate
 * handing each test the design's info record), one image as a test's
 * state, and a stream read back whole.
 *
 * Only the public headers: black-box and white-box suites both use it.
 * The property suite (tests/prop/) has a harness of its own.
 */
#ifndef PIDSIM_TEST_FIXTURE_H
#define PIDSIM_TEST_FIXTURE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "pidsim.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Linux wait statuses, as <sys/wait.h> decodes them. */
#define EXITED(code) (((code) & 0xff) << 8)
#define KILLED(sig) (sig)

/* ---- Assertions that print numbers and errno names ------------------------ */

/* Fail unless got == want, printing both in decimal with errno names. */
void eq(const char *file, int line, const char *what, long long got,
	long long want);

#define EQ(expr, want) \
	eq(__FILE__, __LINE__, #expr, (long long)(expr), (long long)(want))

/* ---- Snapshots: "a call that fails changes nothing" ----------------------- */

#define SNAP_CAP 512			/* pids a snapshot keeps per view */
#define SNAP_VIEWS (PIDSIM_MAX_LEVEL + 1)	/* views a snapshot follows */

/* An image as its callers can see it: census, bytes allocated, and for
 * each view task its state, its ps, and the process group and session
 * of each pid listed (getpgid(), getsid()). */
struct snap {
	pidsim_kernel *k;
	size_t nviews;
	pidsim_tid view[SNAP_VIEWS];
	struct pidsim_census census;
	uint64_t bytes;
	int state[SNAP_VIEWS];
	int n[SNAP_VIEWS];
	int pids[SNAP_VIEWS][SNAP_CAP];
	int pgid[SNAP_VIEWS][SNAP_CAP], sid[SNAP_VIEWS][SNAP_CAP];
};

/* Record k as seen from the n tasks views. */
void snapshot_views(pidsim_kernel *k, const pidsim_tid *views, size_t n,
		    struct snap *s);

/* Fail unless the image is as it was when was was taken. */
void assert_same_snapshot(const struct snap *was, const char *file, int line);

#define ASSERT_UNCHANGED(was) assert_same_snapshot((was), __FILE__, __LINE__)

/* ---- The per-design fixture ----------------------------------------------- */

#define MAX_WATCH 6	/* tasks a snapshot follows besides host init */
#define FX_IMAGES 4	/* further images a test may boot */

/* One test's images of the design under test. */
struct fx {
	const struct pidsim_design_info *info;
	pidsim_kernel *k;		/* the image under test (reboot()) */
	pidsim_tid host;		/* its host init */
	int mixed;			/* a container was ever made in k */
	pidsim_tid watch[MAX_WATCH];	/* tasks whose view and state
					 * snapshots record */
	size_t nwatch;
	pidsim_kernel *image[FX_IMAGES];	/* boot_image()'s */
	struct snap before;		/* NO_CHANGE()'s */
};

/* cmocka setup: a fixture for the design *state holds (no image yet). */
int fx_setup(void **state);

/* cmocka teardown: destroy every image of the fixture, and it. */
int fx_teardown(void **state);

/* Replace f->k with a fresh image of the design (pid_max 0: the default). */
void reboot(struct fx *f, int pid_max);

/* Boot a further image of design (NULL: the one under test), destroyed by
 * fx_teardown(). */
pidsim_kernel *boot_image(struct fx *f, const char *design, int pid_max);

/* Follow t's view and state in later snapshots of f. */
void watch(struct fx *f, pidsim_tid t);

/* Record f->k as host init and the watched tasks see it. */
void snapshot(struct fx *f, struct snap *s);

/* call returns want, and f->k is as it was before the call. */
#define NO_CHANGE(f, want, call)                        \
	do {                                            \
		snapshot((f), &(f)->before);            \
		EQ((call), (want));                     \
		ASSERT_UNCHANGED(&(f)->before);         \
	} while (0)

/*
 * Run tests once per design, as the group "suite/design" after a line
 * naming the design, each test's prestate being the design's info record
 * (fx_setup() makes the fixture of it).  Returns nonzero if any failed,
 * or if no design is compiled in.
 */
int run_per_design(const char *suite, const struct CMUnitTest *tests,
		   size_t n);

/* ---- One image as a test's state ------------------------------------------ */

/* Boot an image of design as *state (teardown: kernel_teardown()). */
pidsim_kernel *boot_kernel(void **state, const char *design, int pid_max);

int kernel_teardown(void **state);

/* ---- Output ---------------------------------------------------------------- */

/* What was written to f, from its start, as a string (the caller frees
 * it); closes f. */
char *read_back(FILE *f);

#endif /* PIDSIM_TEST_FIXTURE_H */
