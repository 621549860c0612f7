/* test_weakref.c - weak task references (lib/weakref.c). */
#include <stdlib.h>

#include "fixture.h"
#include "weakref.h"

struct fixture {
	struct ps_mem mem;
	struct ps_reftab tab;
	int objs[200];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	ps_reftab_init(&f->tab);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ps_reftab_fini(&f->mem, &f->tab);
	assert_int_equal(f->mem.bytes, 0);
	free(f);
	return 0;
}

/* A reference resolves to its object until it is detached. */
static void test_weakref_resolves_until_detached(void **state)
{
	struct fixture *f = *state;
	ps_ref r = ps_ref_attach(&f->mem, &f->tab, &f->objs[0]);

	assert_true(r != 0);
	assert_ptr_equal(ps_ref_resolve(&f->tab, r), &f->objs[0]);
	ps_ref_detach(&f->tab, r);
	assert_null(ps_ref_resolve(&f->tab, r));
}

/* A reused slot never lets an old reference reach the new object. */
static void test_weakref_reuse_is_not_resolved(void **state)
{
	struct fixture *f = *state;
	ps_ref old = ps_ref_attach(&f->mem, &f->tab, &f->objs[0]), r;

	ps_ref_detach(&f->tab, old);
	r = ps_ref_attach(&f->mem, &f->tab, &f->objs[1]);
	assert_int_equal((uint32_t)r, (uint32_t)old);	/* same slot */
	assert_true(r != old);
	assert_null(ps_ref_resolve(&f->tab, old));
	assert_ptr_equal(ps_ref_resolve(&f->tab, r), &f->objs[1]);
}

/* The null reference and references to slots never handed out resolve to
 * nothing. */
static void test_weakref_garbage_resolves_to_nothing(void **state)
{
	struct fixture *f = *state;

	assert_null(ps_ref_resolve(&f->tab, 0));
	assert_null(ps_ref_resolve(&f->tab, 12345));
	ps_ref_attach(&f->mem, &f->tab, &f->objs[0]);
	assert_null(ps_ref_resolve(&f->tab, 0));
	assert_null(ps_ref_resolve(&f->tab, (uint64_t)7 << 32 | 1));
	assert_null(ps_ref_resolve(&f->tab, UINT64_MAX));
}

/* Growing the table keeps every reference valid. */
static void test_weakref_growth_keeps_refs(void **state)
{
	struct fixture *f = *state;
	ps_ref refs[200];

	for (int i = 0; i < 200; i++)
		refs[i] = ps_ref_attach(&f->mem, &f->tab, &f->objs[i]);
	for (int i = 0; i < 200; i++)
		assert_ptr_equal(ps_ref_resolve(&f->tab, refs[i]), &f->objs[i]);
	assert_int_equal(ps_reftab_bytes(&f->tab), f->mem.bytes);
}

/* A failed growth returns 0 and leaves the table as it was. */
static void test_weakref_enomem_changes_nothing(void **state)
{
	struct fixture *f = *state;
	ps_ref first = ps_ref_attach(&f->mem, &f->tab, &f->objs[0]);
	uint64_t bytes;

	for (int i = 1; i < 64; i++)
		ps_ref_attach(&f->mem, &f->tab, &f->objs[i]);
	bytes = f->mem.bytes;
	f->mem.fail_at = f->mem.allocs + 1;
	assert_int_equal(ps_ref_attach(&f->mem, &f->tab, &f->objs[64]), 0);
	assert_int_equal(f->mem.bytes, bytes);
	assert_int_equal(f->tab.nr, 64);
	assert_ptr_equal(ps_ref_resolve(&f->tab, first), &f->objs[0]);
}

/* A slot whose generation would wrap is retired, never reused. */
static void test_weakref_generation_wrap_retires(void **state)
{
	struct fixture *f = *state;
	ps_ref r = ps_ref_attach(&f->mem, &f->tab, &f->objs[0]), next;

	f->tab.slots[0].gen = UINT32_MAX;
	r = (uint64_t)UINT32_MAX << 32 | 1;
	ps_ref_detach(&f->tab, r);
	next = ps_ref_attach(&f->mem, &f->tab, &f->objs[1]);
	assert_int_not_equal((uint32_t)next, 1);
	assert_null(ps_ref_resolve(&f->tab, r));
	assert_null(ps_ref_resolve(&f->tab, 1));	/* generation 0 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_weakref_resolves_until_detached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weakref_reuse_is_not_resolved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weakref_garbage_resolves_to_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weakref_growth_keeps_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weakref_enomem_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weakref_generation_wrap_retires, setup, teardown),
	};

	return cmocka_run_group_tests_name("weakref", tests, NULL, NULL);
}
