/* test_pidmap.c - the cyclic pid allocator (lib/pidmap.c). */
#include <errno.h>
#include <stdlib.h>

#include "fixture.h"
#include "pidmap.h"
#include "pidsim.h"

struct fixture {
	struct ps_mem mem;
	struct ps_pidmap map;
};

static struct fixture *boot(void **state, int pid_max)
{
	struct fixture *f = calloc(1, sizeof *f);

	assert_int_equal(ps_pidmap_init(&f->mem, &f->map, pid_max), 0);
	*state = f;
	return f;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ps_pidmap_fini(&f->mem, &f->map);
	assert_int_equal(f->mem.bytes, 0);	/* nothing leaked */
	free(f);
	return 0;
}

static void alloc_n(struct fixture *f, int n, int first)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), first + i);
}

/* Numbers start at 1 and go up by one. */
static void test_pidmap_starts_at_one(void **state)
{
	struct fixture *f = boot(state, 100);

	alloc_n(f, 5, 1);
}

/* A freed number is not handed out again before the cursor wraps. */
static void test_pidmap_cyclic_not_lowest(void **state)
{
	struct fixture *f = boot(state, 100);

	alloc_n(f, 5, 1);
	ps_pidmap_free(&f->mem, &f->map, 3);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 6);
}

/* With pid_max <= 300 the search wraps to 1, and a full map is -EAGAIN
 * with nothing changed. */
static void test_pidmap_wraps_to_one_when_small(void **state)
{
	struct fixture *f = boot(state, 10);

	alloc_n(f, 9, 1);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), -EAGAIN);
	assert_int_equal(f->map.last, 9);
	ps_pidmap_free(&f->mem, &f->map, 5);
	ps_pidmap_free(&f->mem, &f->map, 2);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 2);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 5);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), -EAGAIN);
}

/* Past RESERVED_PIDS the search wraps to 300: a free number below 300 is
 * never reached again by the cyclic rule (alloc_pid()). */
static void test_pidmap_wraps_to_reserved(void **state)
{
	struct fixture *f = boot(state, 400);

	alloc_n(f, 399, 1);
	ps_pidmap_free(&f->mem, &f->map, 5);
	ps_pidmap_free(&f->mem, &f->map, 350);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 350);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), -EAGAIN);
	ps_pidmap_free(&f->mem, &f->map, 300);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 300);
}

/* Before the cursor passes 300, a wrap goes back to 1 (pid_max > 300). */
static void test_pidmap_early_wrap_goes_to_one(void **state)
{
	struct fixture *f = boot(state, 400);

	alloc_n(f, 200, 1);
	for (int nr = 201; nr < 400; nr++)
		assert_int_equal(ps_pidmap_take(&f->mem, &f->map, nr), nr);
	ps_pidmap_free(&f->mem, &f->map, 7);
	assert_int_equal(f->map.last, 200);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 7);
}

/* take() claims an exact number without moving the cursor, and refuses
 * numbers out of range or taken. */
static void test_pidmap_take(void **state)
{
	struct fixture *f = boot(state, 100);

	assert_int_equal(ps_pidmap_take(&f->mem, &f->map, 50), 50);
	assert_int_equal(ps_pidmap_take(&f->mem, &f->map, 50), -EEXIST);
	assert_int_equal(ps_pidmap_take(&f->mem, &f->map, 0), -EINVAL);
	assert_int_equal(ps_pidmap_take(&f->mem, &f->map, 100), -EINVAL);
	assert_int_equal(ps_pidmap_take(&f->mem, &f->map, -1), -EINVAL);
	assert_int_equal(f->map.last, 0);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 1);
}

/* next() walks the taken numbers in order, across words and pages. */
static void test_pidmap_next_in_order(void **state)
{
	static const int nrs[] = { 1, 63, 64, 65, 4095, 4096, 9000, 9999 };
	struct fixture *f = boot(state, 10000);
	int nr = 0;

	for (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++)
		assert_int_equal(ps_pidmap_take(&f->mem, &f->map, nrs[i]), nrs[i]);
	for (size_t i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
		nr = ps_pidmap_next(&f->map, nr + 1);
		assert_int_equal(nr, nrs[i]);
		assert_true(ps_pidmap_taken(&f->map, nr));
	}
	assert_int_equal(ps_pidmap_next(&f->map, nr + 1), 0);
	assert_false(ps_pidmap_taken(&f->map, 2));
	assert_false(ps_pidmap_taken(&f->map, 10000));
}

/* Pages come on first use and go when empty, so bytes follow the tasks. */
static void test_pidmap_pages_follow_use(void **state)
{
	struct fixture *f = boot(state, 3 * PS_PIDMAP_PAGE_BITS);
	uint64_t empty = f->mem.bytes;

	assert_int_equal(ps_pidmap_bytes(&f->map), empty);
	assert_int_equal(ps_pidmap_take(&f->mem, &f->map, 2 * PS_PIDMAP_PAGE_BITS), 2 * PS_PIDMAP_PAGE_BITS);
	assert_true(f->mem.bytes > empty);
	assert_int_equal(ps_pidmap_bytes(&f->map), f->mem.bytes);
	ps_pidmap_free(&f->mem, &f->map, 2 * PS_PIDMAP_PAGE_BITS);
	assert_int_equal(f->mem.bytes, empty);
}

/* A page that cannot be allocated fails the allocation with -ENOMEM and
 * changes nothing. */
static void test_pidmap_enomem_changes_nothing(void **state)
{
	struct fixture *f = boot(state, 100);

	f->mem.fail_at = f->mem.allocs + 1;
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), -ENOMEM);
	assert_int_equal(f->map.last, 0);
	assert_int_equal(f->map.nr_used, 0);
	assert_int_equal(ps_pidmap_next(&f->map, 1), 0);
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), 1);
}

/* The largest map, PID_MAX_LIMIT, hands out its last number and no more. */
static void test_pidmap_limit(void **state)
{
	struct fixture *f = boot(state, PIDSIM_PID_MAX_LIMIT);

	assert_int_equal(ps_pidmap_take(&f->mem, &f->map, PIDSIM_PID_MAX_LIMIT - 1),
			 PIDSIM_PID_MAX_LIMIT - 1);
	f->map.last = PIDSIM_PID_MAX_LIMIT - 2;
	assert_int_equal(ps_pidmap_alloc(&f->mem, &f->map), PIDSIM_RESERVED_PIDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_pidmap_starts_at_one, teardown),
		cmocka_unit_test_teardown(test_pidmap_cyclic_not_lowest, teardown),
		cmocka_unit_test_teardown(test_pidmap_wraps_to_one_when_small, teardown),
		cmocka_unit_test_teardown(test_pidmap_wraps_to_reserved, teardown),
		cmocka_unit_test_teardown(test_pidmap_early_wrap_goes_to_one, teardown),
		cmocka_unit_test_teardown(test_pidmap_take, teardown),
		cmocka_unit_test_teardown(test_pidmap_next_in_order, teardown),
		cmocka_unit_test_teardown(test_pidmap_pages_follow_use, teardown),
		cmocka_unit_test_teardown(test_pidmap_enomem_changes_nothing, teardown),
		cmocka_unit_test_teardown(test_pidmap_limit, teardown),
	};

	return cmocka_run_group_tests_name("pidmap", tests, NULL, NULL);
}
