// SPDX-License-Identifier: GPL-2.0
/*
 * rtt.c: the round trips of the host's own pings, as the CLI reads them:
 * the per-CPU histograms of XDPONG_MAP_RTT_TOTAL (a family each) and of
 * XDPONG_MAP_RTT_PREFIX (a destination prefix each) added up over the CPUs,
 * the "other" rows the table no longer holds, and quantiles interpolated
 * within the log-linear buckets of include/xdpong.h. Only libbpf and libc:
 * tests/test_rtt_quantile.c links this file alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "rtt.h"

/* The trips' spread: the least non-zero minimum, the greatest maximum. */
static void add_min_max(struct xdpong_rtt_stats *to, const struct xdpong_rtt_stats *from)
{
	if (from->min_ns && (!to->min_ns || from->min_ns < to->min_ns))
		to->min_ns = from->min_ns;
	if (from->max_ns > to->max_ns)
		to->max_ns = from->max_ns;
}

void rtt_stats_add(struct xdpong_rtt_stats *to, const struct xdpong_rtt_stats *from)
{
	int i;

	to->sent += from->sent;
	to->replied += from->replied;
	to->lost += from->lost;
	to->late += from->late;
	to->duplicate += from->duplicate;
	to->untracked += from->untracked;
	to->unmatched += from->unmatched;
	to->sum_ns += from->sum_ns;
	add_min_max(to, from);
	for (i = 0; i < XDPONG_RTT_NBUCKETS; i++)
		to->bucket[i] += from->bucket[i];
}

double rtt_loss(const struct xdpong_rtt_stats *s)
{
	__u64 settled = s->replied + s->lost;

	return settled ? (double)s->lost / settled : 0;
}

/* a - b, or 0: the CPUs' slots are read one after the other, not at once. */
static __u64 less(__u64 a, __u64 b)
{
	return a > b ? a - b : 0;
}

/*
 * "Other": what the family's total counted that no row holds now, the rows
 * pushed out of the LRU table. Its spread is not kept anywhere: bound it by
 * the total's and by its own non-empty buckets.
 */
static void make_other(struct rtt_row *other, const struct rtt_row *total,
		       const struct xdpong_rtt_stats *rows)
{
	const struct xdpong_rtt_stats *t = &total->s;
	struct xdpong_rtt_stats *o = &other->s;
	int i, lo = -1, hi = -1;

	memset(other, 0, sizeof(*other));
	other->key.family = total->key.family;
	o->sent = less(t->sent, rows->sent);
	o->replied = less(t->replied, rows->replied);
	o->lost = less(t->lost, rows->lost);
	o->late = less(t->late, rows->late);
	o->duplicate = less(t->duplicate, rows->duplicate);
	o->untracked = less(t->untracked, rows->untracked);
	o->sum_ns = less(t->sum_ns, rows->sum_ns);
	for (i = 0; i < XDPONG_RTT_NBUCKETS; i++) {
		o->bucket[i] = less(t->bucket[i], rows->bucket[i]);
		if (o->bucket[i]) {
			if (lo < 0)
				lo = i;
			hi = i;
		}
	}
	if (lo < 0)
		return;
	o->min_ns = xdpong_rtt_bucket_low(lo);
	if (o->min_ns < t->min_ns)
		o->min_ns = t->min_ns;
	o->max_ns = t->max_ns;
	if (hi < XDPONG_RTT_NBUCKETS - 1 && xdpong_rtt_bucket_low(hi + 1) - 1 < o->max_ns)
		o->max_ns = xdpong_rtt_bucket_low(hi + 1) - 1;
	if (!o->min_ns || o->min_ns > o->max_ns)
		o->min_ns = o->max_ns;
}

static int push_row(struct rtt_table *t, size_t *cap, const struct xdpong_rtt_prefix_key *key,
		    const struct xdpong_rtt_stats *s)
{
	if (t->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct rtt_row *r = realloc(t->rows, ncap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		t->rows = r;
		*cap = ncap;
	}
	t->rows[t->n].key = *key;
	t->rows[t->n].s = *s;
	t->n++;
	return 0;
}

/* Every row of the prefix table, summed over CPUs; read in batches
 * (mapread.c), as packets add and push out rows meanwhile. */
static int read_prefixes(int fd, int ncpu, struct rtt_table *t)
{
	struct xdpong_rtt_prefix_key *keys;
	struct xdpong_rtt_stats *vals, sum;
	size_t n, i, cap = 0;
	int cpu, ret;

	_Static_assert(sizeof(struct xdpong_rtt_stats) % 8 == 0, "per-CPU values unpadded");
	if ((ret = map_read_all(fd, (void **)&keys, (void **)&vals, &n)))
		return ret;
	for (i = 0; i < n; i++) {
		memset(&sum, 0, sizeof(sum));
		for (cpu = 0; cpu < ncpu; cpu++)
			rtt_stats_add(&sum, &vals[i * ncpu + cpu]);
		if ((sum.sent || sum.replied || sum.lost || sum.late || sum.duplicate ||
		     sum.untracked) && (ret = push_row(t, &cap, &keys[i], &sum)))
			break;
	}
	free(keys);
	free(vals);
	return ret;
}

/* The family's total: XDPONG_MAP_RTT_TOTAL[0] IPv4, [1] IPv6. */
static int read_total(int fd, int ncpu, __u32 idx, struct rtt_row *r)
{
	struct xdpong_rtt_stats *v = calloc(ncpu, sizeof(*v));
	int cpu, ret = 0;

	if (!v)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	r->key.family = idx ? 6 : 4;
	if (bpf_map_lookup_elem(fd, &idx, v))
		ret = -errno;
	else
		for (cpu = 0; cpu < ncpu; cpu++)
			rtt_stats_add(&r->s, &v[cpu]);
	free(v);
	return ret;
}

/* Busiest first; then by family and prefix, so that the order holds still. */
static int cmp_row(const void *a, const void *b)
{
	const struct rtt_row *x = a, *y = b;

	if (x->s.sent != y->s.sent)
		return x->s.sent < y->s.sent ? 1 : -1;
	if (x->key.family != y->key.family)
		return x->key.family - y->key.family;
	if (x->key.prefixlen != y->key.prefixlen)
		return x->key.prefixlen - y->key.prefixlen;
	return memcmp(x->key.a.addr, y->key.a.addr, sizeof(x->key.a.addr));
}

int rtt_read(const struct attached *a, struct rtt_table *t)
{
	int ncpu = libbpf_num_possible_cpus(), f, ret;
	struct xdpong_rtt_stats rows[2];
	struct xdpong_config cfg;
	__u32 zero = 0;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (a->map_fd[MAP_RTT_TOTAL] < 0 || a->map_fd[MAP_RTT_PREFIX] < 0)
		return -ENOENT;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	if (bpf_map_lookup_elem(a->map_fd[MAP_CONFIG], &zero, &cfg))
		return -errno;
	t->enabled = cfg.flags & XDPONG_F_RTT;
	t->cfg = cfg.rtt;

	/* The rows before the totals: counted since, a trip is in the total
	 * and not yet in its row, never the other way round ("other" >= 0). */
	if ((ret = read_prefixes(a->map_fd[MAP_RTT_PREFIX], ncpu, t)) ||
	    (ret = read_total(a->map_fd[MAP_RTT_TOTAL], ncpu, 0, &t->total[0])) ||
	    (ret = read_total(a->map_fd[MAP_RTT_TOTAL], ncpu, 1, &t->total[1]))) {
		rtt_table_free(t);
		return ret;
	}
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < t->n; i++)
		if (t->rows[i].key.family == 4 || t->rows[i].key.family == 6)
			rtt_stats_add(&rows[t->rows[i].key.family == 6], &t->rows[i].s);
	for (f = 0; f < 2; f++)
		make_other(&t->other[f], &t->total[f], &rows[f]);
	if (t->n)
		qsort(t->rows, t->n, sizeof(*t->rows), cmp_row);
	return 0;
}

void rtt_table_free(struct rtt_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}

/* The upper bound of bucket @i: the next one's lower bound; the last bucket
 * has none, so the longest trip seen bounds it. */
static double bucket_high(const struct xdpong_rtt_stats *s, int i)
{
	double low = xdpong_rtt_bucket_low(i);

	if (i < XDPONG_RTT_NBUCKETS - 1)
		return xdpong_rtt_bucket_low(i + 1);
	return s->max_ns > low ? (double)s->max_ns : low;
}

double rtt_quantile(const struct xdpong_rtt_stats *s, double q)
{
	double count = 0, rank, below = 0, v = 0, low;
	int i;

	for (i = 0; i < XDPONG_RTT_NBUCKETS; i++)
		count += s->bucket[i];
	if (!count)
		return 0;
	if (!(q > 0))
		q = 0;
	if (q > 1)
		q = 1;
	/* The trip of rank q x count, counting the trips of a bucket as spread
	 * evenly over it. */
	rank = q * count;
	for (i = 0; i < XDPONG_RTT_NBUCKETS; i++) {
		if (!s->bucket[i])
			continue;
		low = xdpong_rtt_bucket_low(i);
		if (below + s->bucket[i] >= rank) {
			v = low + (rank - below) / s->bucket[i] * (bucket_high(s, i) - low);
			break;
		}
		below += s->bucket[i];
		v = bucket_high(s, i);
	}
	if (s->min_ns && v < s->min_ns)
		v = s->min_ns;
	if (s->max_ns && v > s->max_ns)
		v = s->max_ns;
	return v;
}

void rtt_row_name(const struct rtt_row *r, bool other, char *buf, size_t len)
{
	const char *fam = r->key.family == 6 ? "IPv6" : "IPv4";
	char addr[INET6_ADDRSTRLEN];

	if (other) {
		snprintf(buf, len, "other (%s)", fam);
	} else if (!r->key.prefixlen) {
		snprintf(buf, len, "all (%s)", fam);
	} else {
		/* IPv4 is stored IPv4-mapped: its address is the last 4 bytes. */
		if (r->key.family == 4)
			inet_ntop(AF_INET, &r->key.a.addr[12], addr, sizeof(addr));
		else
			inet_ntop(AF_INET6, r->key.a.addr, addr, sizeof(addr));
		snprintf(buf, len, "%s/%u", addr, r->key.prefixlen);
	}
}
