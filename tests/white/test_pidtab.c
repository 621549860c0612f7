/* test_pidtab.c - the pid table, a radix tree (lib/pidtab.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

#include "fixture.h"
#include "pidtab.h"

#define N 5000

struct fixture {
	struct ps_mem mem;
	struct ps_pidtab tab;
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
	struct ps_pidtab_node *n;

	while ((n = ps_pidtab_first(&f->tab)))
		ps_pidtab_del(&f->mem, &f->tab, n, &f->probes);
	assert_int_equal(ps_pidtab_count(&f->tab), 0);
	assert_null(f->tab.root);
	ps_pidtab_spare_drain(&f->mem);
	assert_int_equal(f->mem.bytes, 0);	/* the levels went with the last node */
	free(f);
	return 0;
}

static void add_key(struct fixture *f, int i, int key)
{
	f->nodes[i].key = key;
	f->nodes[i].val.nr = -(i + 1);
	assert_int_equal(ps_pidtab_add(&f->mem, &f->tab, &f->nodes[i], &f->probes), 0);
}

static void add(struct fixture *f, int i)
{
	add_key(f, i, i + 1);
}

/* Every key added is found, with its value; others are not. */
static void test_pidtab_find_what_was_added(void **state)
{
	struct fixture *f = *state;
	struct ps_pidtab empty = { 0 };

	for (int i = 0; i < N; i++)
		add(f, i);
	assert_int_equal(ps_pidtab_count(&f->tab), N);
	for (int i = 0; i < N; i++)
		assert_ptr_equal(ps_pidtab_find(&f->tab, i + 1, &f->probes), &f->nodes[i]);
	assert_null(ps_pidtab_find(&f->tab, 0, &f->probes));
	assert_null(ps_pidtab_find(&f->tab, N + 1, &f->probes));
	assert_null(ps_pidtab_find(&f->tab, -1, &f->probes));
	assert_null(ps_pidtab_find(&f->tab, INT_MAX, &f->probes));
	assert_null(ps_pidtab_find(&empty, 1, &f->probes));
	assert_ptr_equal(ps_pidtab_first(&f->tab), &f->nodes[0]);
}

/* Deleted keys are gone; the rest stay. */
static void test_pidtab_delete(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 100; i++)
		add(f, i);
	for (int i = 0; i < 100; i += 2)
		ps_pidtab_del(&f->mem, &f->tab, &f->nodes[i], &f->probes);
	for (int i = 0; i < 100; i++)
		assert_true((ps_pidtab_find(&f->tab, i + 1, &f->probes) != NULL) == (i % 2 == 1));
	assert_int_equal(ps_pidtab_count(&f->tab), 50);
	assert_ptr_equal(ps_pidtab_first(&f->tab), &f->nodes[1]);
}

/*
 * Keys across the whole int range, added and deleted in a random order,
 * checked against a plain list after every step: the tree grows levels on
 * top for a large key and gives them back when it goes.
 */
static void test_pidtab_random_against_a_list(void **state)
{
	struct fixture *f = *state;
	static const int bounds[] = { PS_PIDTAB_FANOUT, 1 << 12, 1 << 18, INT_MAX };
	bool in[N] = { false };
	uint64_t r = 0x9e3779b97f4a7c15u;

	for (int i = 0; i < N; i++) {
		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		f->nodes[i].key = (int)(r % (uint64_t)bounds[i % 4]);
		for (int j = 0; j < i; j++)	/* keys distinct */
			if (f->nodes[j].key == f->nodes[i].key)
				f->nodes[i].key = -1;
	}
	for (int step = 0; step < 4 * N; step++) {
		int i;

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		i = (int)(r % N);
		if (f->nodes[i].key < 0)
			continue;
		if (in[i])
			ps_pidtab_del(&f->mem, &f->tab, &f->nodes[i], &f->probes);
		else
			assert_int_equal(ps_pidtab_add(&f->mem, &f->tab, &f->nodes[i],
						       &f->probes), 0);
		in[i] = !in[i];
		if (step % 97 == 0)
			for (int j = 0; j < N; j++)
				if (f->nodes[j].key >= 0)
					assert_ptr_equal(ps_pidtab_find(&f->tab, f->nodes[j].key,
									&f->probes),
							 in[j] ? &f->nodes[j] : NULL);
	}
	/* Only small keys left: the tree is back to the height they need. */
	for (int i = 0; i < N; i++)
		if (in[i] && f->nodes[i].key >= (int)PS_PIDTAB_FANOUT) {
			ps_pidtab_del(&f->mem, &f->tab, &f->nodes[i], &f->probes);
			in[i] = false;
		}
	assert_true(f->tab.height <= 1);
	assert_true(f->mem.bytes <= sizeof(struct ps_pidtab_level));
}

/* Each find, add and delete counts one probe. */
static void test_pidtab_counts_probes(void **state)
{
	struct fixture *f = *state;

	add(f, 0);
	ps_pidtab_find(&f->tab, 1, &f->probes);
	ps_pidtab_find(&f->tab, 2, &f->probes);
	ps_pidtab_del(&f->mem, &f->tab, &f->nodes[0], &f->probes);
	assert_int_equal(f->probes, 4);
}

/*
 * The table's levels are counted, and an add that cannot have every level
 * it needs is -ENOMEM with the table as it was: at every allocation of an
 * add that makes a new root and a new path at once.
 */
static void test_pidtab_enomem(void **state)
{
	struct fixture *f = *state;
	uint64_t n;

	f->nodes[0].key = 1;
	f->mem.fail_at = f->mem.allocs + 1;
	assert_int_equal(ps_pidtab_add(&f->mem, &f->tab, &f->nodes[0], &f->probes), -ENOMEM);
	assert_null(f->tab.root);
	assert_int_equal(f->mem.bytes, 0);
	add(f, 0);
	assert_true(f->mem.bytes > 0);
	add_key(f, 1, PS_PIDTAB_FANOUT + 6);	/* two levels */
	add_key(f, 3, 1 << (2 * PS_PIDTAB_SHIFT));	/* a third, then freed: kept */
	ps_pidtab_del(&f->mem, &f->tab, &f->nodes[3], &f->probes);

	f->nodes[2].key = INT_MAX;
	for (n = 1;; n++) {
		struct ps_pidtab before = f->tab;
		uint64_t bytes = f->mem.bytes;
		void *spare = f->mem.pidtab_spare;
		unsigned nr_spare = f->mem.nr_pidtab_spare;
		int err;

		f->mem.fail_at = f->mem.allocs + n;
		err = ps_pidtab_add(&f->mem, &f->tab, &f->nodes[2], &f->probes);
		f->mem.fail_at = 0;
		if (!err)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_memory_equal(&before, &f->tab, sizeof before);
		assert_int_equal(f->mem.bytes, bytes);
		assert_ptr_equal(f->mem.pidtab_spare, spare);
		assert_int_equal(f->mem.nr_pidtab_spare, nr_spare);
		assert_ptr_equal(ps_pidtab_find(&f->tab, PS_PIDTAB_FANOUT + 6, &f->probes),
				 &f->nodes[1]);
		assert_null(ps_pidtab_find(&f->tab, INT_MAX, &f->probes));
	}
	assert_true(n > 2);	/* levels kept, then new ones */
	assert_ptr_equal(ps_pidtab_find(&f->tab, INT_MAX, &f->probes), &f->nodes[2]);
	assert_ptr_equal(ps_pidtab_find(&f->tab, 1, &f->probes), &f->nodes[0]);
	ps_pidtab_del(&f->mem, &f->tab, &f->nodes[2], &f->probes);
	assert_int_equal(f->tab.height, 2);	/* FANOUT + 6 needs two levels */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pidtab_find_what_was_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidtab_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidtab_random_against_a_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidtab_counts_probes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pidtab_enomem, setup, teardown),
	};

	return cmocka_run_group_tests_name("pidtab", tests, NULL, NULL);
}
