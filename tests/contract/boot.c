/*
 * boot.c - contract rule 1: an image boots with host init as pid 1 of the
 * host container; pid_max is set per image (default 32768, up to
 * PID_MAX_LIMIT, within the design's max_pid_max).  The design record is
 * complete, and make bench's lookup (pidsim_debug_find()) answers as
 * pidsim_find() does.
 */
#include "contract.h"
#include "pidsim_debug.h"

/* A fresh image holds host init alone: pid 1, level 0, one container. */
static void test_kernel_boots_host_init_as_pid1(void **state)
{
	struct fx *f = *state;

	EQ(pidsim_getpid(f->k, f->host), 1);
	EQ(pidsim_getppid(f->k, f->host), 0);
	EQ(pidsim_task_state(f->k, f->host), PIDSIM_RUNNING);
	EQ(pidsim_level_of(f->k, f->host), 0);
	assert_same_task(f, f->host, container_of(f, f->host), f->host);
	assert_census(f, 1, 0, 1);
	ASSERT_PS(f, f->host, 1);
	assert_string_equal(pidsim_kernel_design(f->k)->name, f->info->name);
}

/* pid_max 0 means Linux's default 32768; other valid values are kept. */
static void test_kernel_pid_max_default_and_set(void **state)
{
	struct fx *f = *state;

	EQ(pidsim_kernel_pid_max(f->k), PIDSIM_PID_MAX_DEFAULT);
	reboot(f, 2);
	EQ(pidsim_kernel_pid_max(f->k), 2);
	reboot(f, 1000);
	EQ(pidsim_kernel_pid_max(f->k), 1000);
	EQ(pidsim_getpid(f->k, f->host), 1);
	reboot(f, f->info->max_pid_max);
	EQ(pidsim_kernel_pid_max(f->k), f->info->max_pid_max);
}

/* pid_max outside 2..PID_MAX_LIMIT, or above the design's max, is -EINVAL. */
static void test_kernel_pid_max_out_of_range_einval(void **state)
{
	struct fx *f = *state;
	const int bad[] = {1, -1, INT_MIN, PIDSIM_PID_MAX_LIMIT + 1, INT_MAX,
			   f->info->max_pid_max + 1};
	pidsim_kernel *k;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		k = NULL;
		EQ(pidsim_kernel_create(f->info->name, bad[i], &k), -EINVAL);
	}
}

/* An unknown design is -ENOENT; a NULL name or NULL out is -EINVAL. */
static void test_kernel_create_bad_arguments(void **state)
{
	struct fx *f = *state;
	pidsim_kernel *k = NULL;

	pidsim_kernel_destroy(NULL);
	EQ(pidsim_kernel_create("no-such-design", 0, &k), -ENOENT);
	EQ(pidsim_kernel_create("", 0, &k), -ENOENT);
	EQ(pidsim_kernel_create(f->info->name, 0, NULL), -EINVAL);
	EQ(pidsim_kernel_create(NULL, 0, &k), -EINVAL);
}

/* The design record is complete, findable by name, and pins its flags. */
static void test_kernel_design_info_consistent(void **state)
{
	struct fx *f = *state;
	const struct pidsim_design_info *i = f->info;
	const unsigned vpid_flags = PIDSIM_D_HOST_SEES_ALL |
				    PIDSIM_D_OWNER_BY_NUMBER |
				    PIDSIM_D_SHARED_RANGE;

	assert_non_null(i->name);
	assert_non_null(i->summary);
	assert_non_null(i->lookup);
	assert_non_null(i->conversion);
	assert_non_null(pidsim_design_find(i->name));
	assert_string_equal(pidsim_design_find(i->name)->name, i->name);
	assert_null(pidsim_design_find("no-such-design"));
	assert_null(pidsim_design_at(pidsim_design_count()));
	assert_true(i->max_level >= 1);
	assert_true(i->level_errno < 0);
	assert_true(i->max_pid_max >= 2 &&
		    i->max_pid_max <= PIDSIM_PID_MAX_LIMIT);
	assert_true(i->min_ct_pid_max == 0 ||
		    (i->min_ct_pid_max > 2 && i->min_ct_pid_max <= i->max_pid_max));
	/* issue 2's two designs, as the issue describes them */
	if (strcmp(i->name, "vpid") == 0 || strcmp(i->name, "pidspace") == 0) {
		EQ(i->max_level, PIDSIM_MAX_LEVEL);
		EQ(i->level_errno, -ENOSPC);
		EQ(i->flags, strcmp(i->name, "vpid") == 0 ? vpid_flags : 0);
	}
}

/*
 * pidsim_debug_find(), make bench's lookup without pidsim_find()'s check
 * of its caller, answers as pidsim_find() does: hits, misses, numbers of
 * other views, from the host and from a container.
 */
static void test_debug_find_agrees_with_find(void **state)
{
	struct fx *f = *state;
	pidsim_tid init = spawn_ct(f, f->host, 0), cur[2];
	int hits = 0;

	spawn(f, init, 0);
	spawn(f, init, 0);
	spawn(f, f->host, 0);
	cur[0] = f->host;
	cur[1] = init;
	for (int v = 0; v < 2; v++) {
		const void *view = pidsim_debug_view(f->k, cur[v]);

		assert_non_null(view);
		for (int pid = -1; pid <= 16; pid++) {
			pidsim_tid want = PIDSIM_NO_TASK;
			int r = pidsim_find(f->k, cur[v], pid, &want);

			EQ(pidsim_debug_find(f->k, view, pid), r == 0 ? want : 0);
			hits += r == 0;
		}
	}
	assert_true(hits >= 5);	/* host init, the container's init and two children, ... */
	assert_null(pidsim_debug_view(f->k, PIDSIM_NO_TASK));
}

static const struct CMUnitTest tests[] = {
	T(test_kernel_boots_host_init_as_pid1),
	T(test_kernel_pid_max_default_and_set),
	T(test_kernel_pid_max_out_of_range_einval),
	T(test_kernel_create_bad_arguments),
	T(test_kernel_design_info_consistent),
	T(test_debug_find_agrees_with_find),
};

const struct contract_group contract_boot = { tests, ARRAY_SIZE(tests) };
