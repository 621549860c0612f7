/* test_pidtab.c - the pid hash (lib/pidtab.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "pidtab.h"

#define N 5000

struct fixture {
	struct ps_mem mem;
	struct ps_pidtab_node *head;
	struct ps_pidtab_node nodes[N];
	uint64_t probes;
};

static int setup(void **state)
{
	*state = calloc(1, sizeof(struct fixture));
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	while (f->head)
		ps_pidtab_del(&f->mem, &f->head, f->head, &f->probes);
	assert_int_equal(f->mem.bytes, 0);	/* the table went with its last node */
	free(f);
	return 0;
}

static void add(struct fixture *f, int i)
{
	f->nodes[i].key = i + 1;
	f->nodes[i].val.nr = -(i + 1);
	assert_int_equal(ps_pidtab_add(&f->mem, &f->head, &f->nodes[i], &f->probes), 0);
}

/* Every key added is found, with its value; others are not. */
static void test_pidtab_find_what_was_added(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < N; i++)
		add(f, i);
	assert_int_equal(ps_pidtab_count(f->head), N);
	for (int i = 0; i < N; i++)
		assert_int_equal(ps_pidtab_find(f->head, i + 1, &f->probes)->val.nr, -(i + 1));
	assert_null(ps_pidtab_find(f->head, 0, &f->probes));
	assert_null(ps_pidtab_find(f->head, N + 1, &f->probes));
	assert_null(ps_pidtab_find(NULL, 1, &f->probes));
}

/* Deleted keys are gone; the rest stay. */
static void test_pidtab_delete(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 100; i++)
		add(f, i);
	for (int i = 0; i < 100; i += 2)
		ps_pidtab_del(&f->mem, &f->head, &f->nodes[i], &f->probes);
	for (int i = 0; i < 100; i++)
		assert_true((ps_pidtab_find(f->head, i + 1, &f->probes) != NULL) == (i % 2 == 1));
}

/* Each find, add and delete counts one probe. */
static void test_pidtab_counts_probes(void **state)
{
	struct fixture *f = *state;

	add(f, 0);
	ps_pidtab_find(f->head, 1, &f->probes);
	ps_pidtab_find(f->head, 2, &f->probes);
	ps_pidtab_del(&f->mem, &f->head, &f->nodes[0], &f->probes);
	assert_int_equal(f->probes, 4);
}

/* The table's own memory is counted, and a failure to create it is
 * -ENOMEM with the table unchanged. */
static void test_pidtab_enomem(void **state)
{
	struct fixture *f = *state;

	f->nodes[0].key = 1;
	f->mem.fail_at = f->mem.allocs + 1;
	assert_int_equal(ps_pidtab_add(&f->mem, &f->head, &f->nodes[0], &f->probes), -ENOMEM);
	assert_null(f->head);
	assert_int_equal(f->mem.bytes, 0);
	add(f, 0);
	assert_true(f->mem.bytes > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pidtab_find_what_was_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidtab_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidtab_counts_probes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidtab_enomem, setup, teardown),
	};

	return cmocka_run_group_tests_name("pidtab", tests, NULL, NULL);
}
