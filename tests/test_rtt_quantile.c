// SPDX-License-Identifier: GPL-2.0
/*
 * test_rtt_quantile.c: the quantiles that rtt, stats, watch and serve show
 * (user/rtt.c), from histograms built here the way the XDP program builds
 * them, through xdpong_rtt_bucket(). The oracle is the samples themselves:
 * the exact quantile of the sorted trips, which the histogram must give
 * within the precision of the bucket it falls in. Also: clamping to the
 * trips seen, the open last bucket, summing CPUs, the rows' names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "rtt.h"

/* A histogram and the samples it was built from. */
struct sample_set {
	struct xdpong_rtt_stats s;
	__u64 *v;
	size_t n, cap;
};

static void add_trip(struct sample_set *set, __u64 ns)
{
	struct xdpong_rtt_stats *s = &set->s;

	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 1024;
		set->v = realloc(set->v, set->cap * sizeof(*set->v));
		assert_non_null(set->v);
	}
	set->v[set->n++] = ns;
	/* As the XDP program counts a reply matched in time. */
	s->replied++;
	s->sum_ns += ns;
	s->bucket[xdpong_rtt_bucket(ns)]++;
	if (!s->min_ns || ns < s->min_ns)
		s->min_ns = ns;
	if (ns > s->max_ns)
		s->max_ns = ns;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* The exact quantile: the trip of rank ceil(q n), as the samples say. */
static double exact_quantile(struct sample_set *set, double q)
{
	size_t k;

	qsort(set->v, set->n, sizeof(*set->v), cmp_u64);
	k = (size_t)ceil(q * set->n);
	return set->v[k ? k - 1 : 0];
}

/* The width of the bucket @ns falls in: the histogram's precision there. */
static double bucket_width(__u64 ns)
{
	__u32 i = xdpong_rtt_bucket(ns);

	assert_true(i < XDPONG_RTT_NBUCKETS - 1);
	return xdpong_rtt_bucket_low(i + 1) - xdpong_rtt_bucket_low(i);
}

static void assert_quantile_near(struct sample_set *set, double q)
{
	double want = exact_quantile(set, q), got = rtt_quantile(&set->s, q);
	double tol = bucket_width(want);

	if (fabs(got - want) > tol)
		fail_msg("q %.3f: got %.0f ns, the samples say %.0f ns (bucket width %.0f)", q, got,
			 want, tol);
	assert_true(got >= set->s.min_ns && got <= set->s.max_ns);
}

static void free_set(struct sample_set *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}

/* The buckets themselves: 4 per power of two, bounds that chain up. */
static void test_buckets(void **state)
{
	__u32 i;

	assert_int_equal(xdpong_rtt_bucket(0), 0);
	assert_int_equal(xdpong_rtt_bucket(1023), 0);
	assert_int_equal(xdpong_rtt_bucket(1024), 1);
	assert_int_equal(xdpong_rtt_bucket(1ULL << 36), XDPONG_RTT_NBUCKETS - 1);
	for (i = 1; i < XDPONG_RTT_NBUCKETS; i++) {
		__u64 low = xdpong_rtt_bucket_low(i);

		assert_true(low > xdpong_rtt_bucket_low(i - 1));
		assert_int_equal(xdpong_rtt_bucket(low), i);
		assert_int_equal(xdpong_rtt_bucket(low - 1), i - 1);
	}
	/* The examples: 50 us and 80 us, 20 ms and 30 ms, apart. */
	assert_int_not_equal(xdpong_rtt_bucket(50000), xdpong_rtt_bucket(80000));
	assert_int_not_equal(xdpong_rtt_bucket(20000000), xdpong_rtt_bucket(30000000));
}

/* Every trip the same: every quantile is that trip, clamped by min and max. */
static void test_constant(void **state)
{
	struct sample_set set = {};
	double q;
	int i;

	for (i = 0; i < 1000; i++)
		add_trip(&set, 5000000);
	for (q = 0; q <= 1.0001; q += 0.05)
		assert_true(rtt_quantile(&set.s, q) == 5000000);

	/* Without the spread (an "other" row whose min and max are unknown),
	 * still within the bucket. */
	set.s.min_ns = set.s.max_ns = 0;
	for (q = 0.01; q <= 1.0001; q += 0.05) {
		double v = rtt_quantile(&set.s, q);

		assert_true(v >= xdpong_rtt_bucket_low(xdpong_rtt_bucket(5000000)));
		assert_true(v <= xdpong_rtt_bucket_low(xdpong_rtt_bucket(5000000) + 1));
	}
	free_set(&set);
}

/* Uniform over 1 ms .. 100 ms: within a bucket, and in fact close to q. */
static void test_uniform(void **state)
{
	struct sample_set set = {};
	const int n = 99000;
	double q;
	int i;

	for (i = 0; i < n; i++)
		add_trip(&set, 1000000 + (__u64)i * 1000);
	for (q = 0.01; q < 1; q += 0.01)
		assert_quantile_near(&set, q);
	/* Spread evenly in each bucket, as the trips are: 1% of the range. */
	for (q = 0.1; q < 1; q += 0.1) {
		double want = 1e6 + q * (n - 1) * 1000;

		assert_true(fabs(rtt_quantile(&set.s, q) - want) < 0.01 * 99e6);
	}
	free_set(&set);
}

/* Two modes: 90% near 1 ms, 10% near 50 ms; the quantiles pick the right one. */
static void test_two_modes(void **state)
{
	struct sample_set set = {};
	int i;

	for (i = 0; i < 900; i++)
		add_trip(&set, 1000000 + (__u64)i * 100000 / 900); /* 1.0 .. 1.1 ms */
	for (i = 0; i < 100; i++)
		add_trip(&set, 50000000 + (__u64)i * 5000000 / 100); /* 50 .. 55 ms */
	assert_quantile_near(&set, 0.5);
	assert_quantile_near(&set, 0.89);
	assert_quantile_near(&set, 0.95);
	assert_quantile_near(&set, 0.99);
	assert_true(rtt_quantile(&set.s, 0.5) < 2000000);
	assert_true(rtt_quantile(&set.s, 0.95) > 45000000);
	free_set(&set);
}

/* Out of range and empty; the open last bucket is bounded by the longest trip. */
static void test_clamping(void **state)
{
	struct sample_set set = {};
	struct xdpong_rtt_stats empty = {};
	double v;

	assert_true(rtt_quantile(&empty, 0.5) == 0);
	add_trip(&set, 3000000);
	add_trip(&set, 7000000);
	add_trip(&set, 9000000);
	assert_true(rtt_quantile(&set.s, 0) == 3000000);
	assert_true(rtt_quantile(&set.s, -1) == 3000000);
	assert_true(rtt_quantile(&set.s, 1) == 9000000);
	assert_true(rtt_quantile(&set.s, 7) == 9000000);
	assert_true(rtt_quantile(&set.s, NAN) == 3000000);
	free_set(&set);

	/* 100 s and 80 s: both in the last bucket, from 2^36 ns. */
	add_trip(&set, 100000000000ULL);
	add_trip(&set, 80000000000ULL);
	v = rtt_quantile(&set.s, 0.5);
	assert_true(v >= 80e9 && v <= 100e9);
	assert_true(rtt_quantile(&set.s, 1) == 100e9);
	free_set(&set);

	/* Below 1 us: bucket 0, from 0. */
	add_trip(&set, 200);
	add_trip(&set, 800);
	v = rtt_quantile(&set.s, 0.5);
	assert_true(v >= 200 && v <= 800);
	free_set(&set);
}

/* CPUs added up: counts and buckets summed, the least non-zero minimum. */
static void test_stats_add(void **state)
{
	struct xdpong_rtt_stats sum = {}, a = {}, b = {}, idle = {};

	a.replied = 2;
	a.min_ns = 7000;
	a.max_ns = 9000;
	a.bucket[xdpong_rtt_bucket(7000)] = 1;
	a.bucket[xdpong_rtt_bucket(9000)] += 1;
	b.replied = 1;
	b.lost = 4;
	b.min_ns = b.max_ns = 5000;
	b.bucket[xdpong_rtt_bucket(5000)] = 1;
	/* An idle CPU's slot (min 0: none yet) between and after the others. */
	rtt_stats_add(&sum, &idle);
	rtt_stats_add(&sum, &a);
	rtt_stats_add(&sum, &idle);
	rtt_stats_add(&sum, &b);
	rtt_stats_add(&sum, &idle);
	assert_int_equal(sum.replied, 3);
	assert_int_equal(sum.lost, 4);
	assert_int_equal(sum.min_ns, 5000);
	assert_int_equal(sum.max_ns, 9000);
	assert_int_equal(sum.bucket[xdpong_rtt_bucket(5000)] + sum.bucket[xdpong_rtt_bucket(7000)] +
			 sum.bucket[xdpong_rtt_bucket(9000)], 3);
	assert_true(fabs(rtt_loss(&sum) - 4.0 / 7) < 1e-9);
}

static void test_row_name(void **state)
{
	struct rtt_row r = {};
	char buf[64], tiny[8];

	r.key.family = 4;
	r.key.prefixlen = 24;
	r.key.a.addr[10] = r.key.a.addr[11] = 0xff;
	r.key.a.addr[12] = 198;
	r.key.a.addr[13] = 18;
	r.key.a.addr[14] = 5;
	rtt_row_name(&r, false, buf, sizeof(buf));
	assert_string_equal(buf, "198.18.5.0/24");
	rtt_row_name(&r, true, buf, sizeof(buf));
	assert_string_equal(buf, "other (IPv4)");

	memset(&r, 0, sizeof(r));
	r.key.family = 6;
	r.key.prefixlen = 48;
	r.key.a.addr[0] = 0x20;
	r.key.a.addr[1] = 0x01;
	r.key.a.addr[3] = 0x02;
	r.key.a.addr[5] = 0x07;
	rtt_row_name(&r, false, buf, sizeof(buf));
	assert_string_equal(buf, "2001:2:7::/48");

	/* A family's total has no prefix. */
	r.key.prefixlen = 0;
	rtt_row_name(&r, false, buf, sizeof(buf));
	assert_string_equal(buf, "all (IPv6)");
	rtt_row_name(&r, true, tiny, sizeof(tiny));
	assert_string_equal(tiny, "other (");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_two_modes),
		cmocka_unit_test(test_clamping),
		cmocka_unit_test(test_stats_add),
		cmocka_unit_test(test_row_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
