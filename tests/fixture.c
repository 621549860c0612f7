/*
 * fixture.c - what the cmocka suites share; see fixture.h.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* ---- Assertions that print numbers and errno names ------------------------ */

static const char *errtag(long long v)
{
	return v < 0 && v > -4096 ? pidsim_errname((int)v) : NULL;
}

void eq(const char *file, int line, const char *what, long long got,
	long long want)
{
	const char *g = errtag(got), *w = errtag(want);

	if (got == want)
		return;
	print_error("%s is %lld%s%s, want %lld%s%s\n", what, got, g ? " " : "",
		    g ? g : "", want, w ? " " : "", w ? w : "");
	_fail(file, line);
}

/* ---- Snapshots ------------------------------------------------------------- */

void snapshot_views(pidsim_kernel *k, const pidsim_tid *views, size_t n,
		    struct snap *s)
{
	struct pidsim_stats st;

	assert_true(n <= SNAP_VIEWS);
	memset(s, 0, sizeof *s);
	s->k = k;
	s->nviews = n;
	pidsim_census_get(k, &s->census);
	pidsim_stats_get(k, &st);
	s->bytes = st.bytes;
	for (size_t v = 0; v < n; v++) {
		s->view[v] = views[v];
		s->state[v] = pidsim_task_state(k, views[v]);
		s->n[v] = pidsim_ps(k, views[v], s->pids[v], SNAP_CAP);
		for (int i = 0; i < s->n[v] && i < SNAP_CAP; i++) {
			s->pgid[v][i] = pidsim_getpgid(k, views[v], s->pids[v][i]);
			s->sid[v][i] = pidsim_getsid(k, views[v], s->pids[v][i]);
		}
	}
}

void assert_same_snapshot(const struct snap *was, const char *file, int line)
{
	static struct snap now;	/* too large for every caller's stack */

	snapshot_views(was->k, was->view, was->nviews, &now);
	eq(file, line, "census.tasks", now.census.tasks, was->census.tasks);
	eq(file, line, "census.zombies", now.census.zombies,
	   was->census.zombies);
	eq(file, line, "census.containers", now.census.containers,
	   was->census.containers);
	eq(file, line, "census.reaped_leaders", now.census.reaped_leaders,
	   was->census.reaped_leaders);
	eq(file, line, "stats.bytes", (long long)now.bytes,
	   (long long)was->bytes);
	for (size_t v = 0; v < was->nviews; v++) {
		eq(file, line, "task_state(view)", now.state[v], was->state[v]);
		eq(file, line, "ps count", now.n[v], was->n[v]);
		for (int i = 0; i < now.n[v] && i < SNAP_CAP; i++) {
			eq(file, line, "ps entry", now.pids[v][i],
			   was->pids[v][i]);
			eq(file, line, "getpgid(entry)", now.pgid[v][i],
			   was->pgid[v][i]);
			eq(file, line, "getsid(entry)", now.sid[v][i],
			   was->sid[v][i]);
		}
	}
}

/* ---- The per-design fixture ----------------------------------------------- */

int fx_setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof *f);

	f->info = *state;
	*state = f;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *f = *state;

	pidsim_kernel_destroy(f->k);
	for (size_t i = 0; i < ARRAY_SIZE(f->image); i++)
		pidsim_kernel_destroy(f->image[i]);
	test_free(f);
	return 0;
}

void reboot(struct fx *f, int pid_max)
{
	pidsim_kernel_destroy(f->k);
	f->k = NULL;
	f->nwatch = 0;
	f->mixed = 0;
	EQ(pidsim_kernel_create(f->info->name, pid_max, &f->k), 0);
	assert_non_null(f->k);
	f->host = pidsim_host_init(f->k);
	assert_true(f->host != PIDSIM_NO_TASK);
}

pidsim_kernel *boot_image(struct fx *f, const char *design, int pid_max)
{
	size_t i = 0;

	while (i < ARRAY_SIZE(f->image) && f->image[i])
		i++;
	assert_true(i < ARRAY_SIZE(f->image));
	EQ(pidsim_kernel_create(design ? design : f->info->name, pid_max,
				&f->image[i]), 0);
	return f->image[i];
}

void watch(struct fx *f, pidsim_tid t)
{
	assert_true(f->nwatch < MAX_WATCH);
	f->watch[f->nwatch++] = t;
}

void snapshot(struct fx *f, struct snap *s)
{
	pidsim_tid views[1 + MAX_WATCH];

	views[0] = f->host;
	memcpy(views + 1, f->watch, f->nwatch * sizeof *views);
	snapshot_views(f->k, views, 1 + f->nwatch, s);
}

int run_per_design(const char *suite, const struct CMUnitTest *tests,
		   size_t n)
{
	size_t designs = pidsim_design_count();
	struct CMUnitTest *copy = malloc(n * sizeof *copy);
	int failed = 0;

	if (!copy || designs == 0) {
		fprintf(stderr, "%s: %s\n", suite,
			copy ? "no designs compiled in" : "out of memory");
		free(copy);
		return 1;
	}
	for (size_t i = 0; i < designs; i++) {
		const struct pidsim_design_info *info = pidsim_design_at(i);
		char name[64];

		memcpy(copy, tests, n * sizeof *copy);
		for (size_t j = 0; j < n; j++)
			copy[j].initial_state = (void *)info;
		snprintf(name, sizeof name, "%s/%s", suite, info->name);
		print_message("[==========] %s: %s\n", name, info->summary);
		/* cmocka_run_group_tests_name()'s expansion: the macro wants
		 * an array, not a pointer and a count. */
		failed |= _cmocka_run_group_tests(name, copy, n, NULL, NULL) != 0;
	}
	free(copy);
	return failed;
}

/* ---- One image as a test's state ------------------------------------------ */

pidsim_kernel *boot_kernel(void **state, const char *design, int pid_max)
{
	pidsim_kernel *k;

	assert_int_equal(pidsim_kernel_create(design, pid_max, &k), 0);
	*state = k;
	return k;
}

int kernel_teardown(void **state)
{
	pidsim_kernel_destroy(*state);
	return 0;
}

/* ---- Output ---------------------------------------------------------------- */

char *read_back(FILE *f)
{
	long n;
	char *text;

	assert_non_null(f);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}
