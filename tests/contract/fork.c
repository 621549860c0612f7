/*
 * fork.c - contract rule 2: fork returns the child's pid as its parent
 * sees it; with CLONE_NEWPID the child is pid 1 of a new container nested
 * in its parent's (the seed's container spawner).  Where a design cannot
 * nest deeper or make more containers, it refuses with its own error and
 * changes nothing.
 */
#include "contract.h"

/* fork returns the child's pid in the parent's view and a handle to it. */
static void test_fork_returns_child_pid(void **state)
{
	struct fx *f = *state;
	pidsim_tid a = spawn(f, f->host, 2);
	pidsim_tid b = spawn(f, a, 3);

	EQ(pidsim_getpid(f->k, a), 2);
	EQ(pidsim_getppid(f->k, a), 1);
	EQ(pidsim_getppid(f->k, b), 2);
	EQ(pidsim_task_state(f->k, b), PIDSIM_RUNNING);
	EQ(pidsim_level_of(f->k, b), 0);
	assert_census(f, 3, 0, 1);
	ASSERT_PS(f, f->host, 1, 2, 3);
	ASSERT_PS(f, b, 1, 2, 3);
}

/* fork accepts a NULL child pointer and still creates the child. */
static void test_fork_null_child_pointer(void **state)
{
	struct fx *f = *state;

	EQ(pidsim_fork(f->k, f->host, 0, NULL), 2);
	f->mixed = 1;
	expect_nr(f, f->host,
		  pidsim_fork(f->k, f->host, PIDSIM_CLONE_NEWPID, NULL), 3);
	assert_census(f, 3, 0, 2);
	EQ(ps_count(f, f->host), 3);
}

/* fork(CLONE_NEWPID) makes the child pid 1 of a new container, seen by a glue pid. */
static void test_fork_newpid_child_is_container_init(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);

	EQ(pidsim_getpid(f->k, c), 1);
	EQ(pidsim_getppid(f->k, c), 0);
	EQ(pidsim_level_of(f->k, c), 1);
	pid_in(f, f->host, c, 2);
	EQ(pidsim_pid_of(f->k, c, c), 1);
	assert_same_task(f, c, container_of(f, c), c);
	EQ(pidsim_pid_of(f->k, c, container_of(f, f->host)), 0);
	ASSERT_VIEW(f, c, {c, 1});
	assert_census(f, 2, 0, 2);
}

/* Inside a new container the init's first child is pid 2, its parent pid 1. */
static void test_fork_container_first_child_is_pid2(void **state)
{
	struct fx *f = *state;
	pidsim_tid c = spawn_ct(f, f->host, 2);
	pidsim_tid t = spawn(f, c, 2);
	pidsim_tid u = spawn(f, t, 3);
	int pt = pid_in(f, c, t, 2);

	EQ(pidsim_getpid(f->k, t), pt);
	EQ(pidsim_getppid(f->k, t), 1);
	EQ(pidsim_getppid(f->k, u), pt);
	EQ(pidsim_level_of(f->k, u), 1);
	assert_same_task(f, c, container_of(f, u), c);
	ASSERT_VIEW(f, c, {c, 1}, {t, 2}, {u, 3});
	ASSERT_VIEW(f, u, {c, 1}, {t, 2}, {u, 3});
}

/* Unknown fork flags are -EINVAL and consume nothing, not even a pid. */
static void test_fork_unknown_flags_einval(void **state)
{
	struct fx *f = *state;
	const unsigned bad[] = {0x2u, 0x80000000u, ~0u, ~PIDSIM_CLONE_NEWPID};
	pidsim_tid child = PIDSIM_NO_TASK;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		NO_CHANGE(f, -EINVAL, pidsim_fork(f->k, f->host, bad[i], &child));
	spawn(f, f->host, 2);
}

/* Containers nest: a container's tasks can fork containers of their own. */
static void test_fork_nested_containers(void **state)
{
	struct fx *f = *state;
	int hier = has(f, PIDSIM_D_HIERARCHICAL);
	struct topo t;
	pidsim_tid e;

	build_nested_topo(f, &t);
	EQ(pidsim_getpid(f->k, t.d), 1);
	EQ(pidsim_getppid(f->k, t.d), 0);
	EQ(pidsim_level_of(f->k, t.d), 2);
	EQ(pidsim_level_of(f->k, t.u), 2);
	pid_in(f, t.c, t.d, 4);
	ASSERT_VIEW(f, t.d, {t.d, 1}, {t.u, 2});
	e = spawn_ct(f, t.t1, hier ? 6 : 5);   /* a non-init task spawns one too */
	EQ(pidsim_getppid(f->k, e), 0);
	EQ(pidsim_level_of(f->k, e), 2);
	if (hier)
		ASSERT_VIEW(f, t.c, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4},
			    {t.u, 5}, {e, 6});
	else
		ASSERT_VIEW(f, t.c, {t.c, 1}, {t.t1, 2}, {t.t2, 3}, {t.d, 4},
			    {e, 5});
	assert_census(f, 7, 0, 4);
}

/* fork(CLONE_NEWPID) at the design's deepest level fails with its level_errno. */
static void test_fork_newpid_past_max_level_refused(void **state)
{
	struct fx *f = *state;
	int max = f->info->max_level;
	pidsim_tid cur = f->host, child;

	if (max > 64) {
		print_message("%s: max_level %d too deep to build, skipped\n",
			      f->info->name, max);
		skip();
	}
	for (int lvl = 1; lvl <= max; lvl++) {
		cur = spawn_ct(f, cur, 2);
		EQ(pidsim_level_of(f->k, cur), lvl);
		EQ(pidsim_getpid(f->k, cur), 1);
	}
	watch(f, cur);
	NO_CHANGE(f, f->info->level_errno,
		  pidsim_fork(f->k, cur, PIDSIM_CLONE_NEWPID, &child));
	/* The refusal names its limit, as the check ahead of time does. */
	EQ(pidsim_limit_hit(f->k), PIDSIM_LIMIT_MAX_LEVEL);
	EQ(pidsim_design_allows(f->info, &(struct pidsim_needs){ .level = max }),
	   PIDSIM_LIMIT_NONE);
	EQ(pidsim_design_allows(f->info, &(struct pidsim_needs){ .level = max + 1 }),
	   PIDSIM_LIMIT_MAX_LEVEL);
	{
		char want[64], got[64];

		snprintf(want, sizeof want, "max_level %d", max);
		EQ(pidsim_limit_format(f->info, PIDSIM_LIMIT_MAX_LEVEL, got,
				       sizeof got), (int)strlen(want));
		assert_string_equal(got, want);
	}
	spawn(f, cur, 2);                  /* a plain fork still works */
	EQ(pidsim_fork(f->k, cur, 0x80, NULL), -EINVAL);
	EQ(pidsim_limit_hit(f->k), PIDSIM_LIMIT_NONE);	/* not a limit */
	assert_census(f, (unsigned)max + 2, 0, (unsigned)max + 1);
	EQ(ps_count(f, f->host), has(f, PIDSIM_D_HOST_SEES_ALL) ? max + 2 : 2);
}

/* A design with a container limit refuses one container more, changing nothing. */
static void test_fork_newpid_past_max_containers_refused(void **state)
{
	struct fx *f = *state;
	unsigned max = f->info->max_containers;
	struct snap before;

	if (max == 0 || max > 4096) {
		print_message("%s: max_containers %u, no limit to reach, skipped\n",
			      f->info->name, max);
		skip();
	}
	for (unsigned i = 0; i < max; i++)
		spawn_ct(f, f->host, 0);
	snapshot(f, &before);
	EQ(pidsim_fork(f->k, f->host, PIDSIM_CLONE_NEWPID, NULL), -EAGAIN);
	ASSERT_UNCHANGED(&before);
	EQ(pidsim_limit_hit(f->k), PIDSIM_LIMIT_MAX_CONTAINERS);
	EQ(pidsim_design_allows(f->info, &(struct pidsim_needs){
		.level = 1, .containers = max + 1 }), PIDSIM_LIMIT_MAX_CONTAINERS);
}

/* Below the design's min_ct_pid_max a container's task cannot fork:
 * -EAGAIN, nothing changed; the host still can. */
static void test_fork_in_container_below_min_ct_pid_max_refused(void **state)
{
	struct fx *f = *state;
	int min = f->info->min_ct_pid_max;
	pidsim_tid init;

	if (min == 0) {
		print_message("%s: min_ct_pid_max 0, no limit to reach, skipped\n",
			      f->info->name);
		skip();
	}
	reboot(f, min - 1);
	init = spawn_ct(f, f->host, 2);
	watch(f, init);
	NO_CHANGE(f, -EAGAIN, pidsim_fork(f->k, init, 0, NULL));
	EQ(pidsim_limit_hit(f->k), PIDSIM_LIMIT_MIN_CT_PID_MAX);
	EQ(pidsim_design_allows(f->info, &(struct pidsim_needs){
		.level = 1, .pid_max = min - 1, .forks_in_containers = 1 }),
	   PIDSIM_LIMIT_MIN_CT_PID_MAX);
	EQ(pidsim_design_allows(f->info, &(struct pidsim_needs){
		.level = 1, .pid_max = min, .forks_in_containers = 1 }),
	   PIDSIM_LIMIT_NONE);
	spawn(f, f->host, 3);
}

static const struct CMUnitTest tests[] = {
	T(test_fork_returns_child_pid),
	T(test_fork_null_child_pointer),
	T(test_fork_newpid_child_is_container_init),
	T(test_fork_container_first_child_is_pid2),
	T(test_fork_unknown_flags_einval),
	T(test_fork_nested_containers),
	T(test_fork_newpid_past_max_level_refused),
	T(test_fork_newpid_past_max_containers_refused),
	T(test_fork_in_container_below_min_ct_pid_max_refused),
};

const struct contract_group contract_fork = { tests, ARRAY_SIZE(tests) };
