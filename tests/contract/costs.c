/*
 * costs.c - the cost counters: bytes from boot with their peak, a reset
 * that keeps the bytes, lookups counted.
 */
#include "contract.h"

/* Bytes are counted from boot, grow with tasks, and the peak never trails them. */
static void test_stats_bytes_and_peak(void **state)
{
	struct fx *f = *state;
	struct pidsim_stats s0, s1, s2;

	pidsim_stats_get(f->k, &s0);
	assert_true(s0.bytes > 0);
	assert_true(s0.peak_bytes >= s0.bytes);
	for (int i = 0; i < 50; i++)
		spawn(f, f->host, 0);
	spawn(f, spawn_ct(f, f->host, 0), 2);
	pidsim_stats_get(f->k, &s1);
	assert_true(s1.bytes > s0.bytes);
	assert_true(s1.peak_bytes >= s1.bytes);
	EQ(pidsim_kill(f->k, f->host, -1, SIGKILL), 0);
	reap_all(f, f->host);
	assert_census(f, 1, 0, 1);
	pidsim_stats_get(f->k, &s2);
	assert_true(s2.peak_bytes >= s1.bytes);
	assert_true(s2.peak_bytes >= s2.bytes);
}

/* stats_reset zeroes the counters but keeps the bytes. */
static void test_stats_reset_keeps_bytes(void **state)
{
	struct fx *f = *state;
	struct pidsim_stats s, r;
	pidsim_tid h;

	spawn(f, f->host, 2);
	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	pidsim_stats_get(f->k, &s);
	assert_true(s.allocs > 0);
	pidsim_stats_reset(f->k);
	pidsim_stats_get(f->k, &r);
	EQ(r.lookups, 0);
	EQ(r.conversions, 0);
	EQ(r.probes, 0);
	EQ(r.allocs, 0);
	EQ((long long)r.bytes, (long long)s.bytes);
	assert_true(r.peak_bytes >= r.bytes);
}

/* A number -> task lookup is counted. */
static void test_stats_find_counts_lookup(void **state)
{
	struct fx *f = *state;
	struct pidsim_stats s0, s1;
	pidsim_tid h;

	spawn(f, f->host, 2);
	pidsim_stats_get(f->k, &s0);
	EQ(pidsim_find(f->k, f->host, 2, &h), 0);
	pidsim_stats_get(f->k, &s1);
	assert_true(s1.lookups > s0.lookups);
}

static const struct CMUnitTest tests[] = {
	T(test_stats_bytes_and_peak),
	T(test_stats_reset_keeps_bytes),
	T(test_stats_find_counts_lookup),
};

const struct contract_group contract_costs = { tests, ARRAY_SIZE(tests) };
