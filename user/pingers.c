// SPDX-License-Identifier: GPL-2.0
/*
 * pingers.c: the pings the host answers, as `pingers`, `watch` and `serve`
 * show them. The XDP program follows each flow (source address and echo
 * identifier) in XDPONG_MAP_PINGERS; here the flows are added up by source
 * prefix, busiest first. A ping client uses one identifier per run, so a
 * prefix holds one flow per run of each host in it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "rtt.h"

/* The address masked to its first @bits (IPv4: of its last 4 bytes). */
static void mask_prefix(struct xdpong_addr_key *a, unsigned int family, unsigned int bits)
{
	unsigned int first = family == 4 ? 12 : 0, i;

	for (i = first; i < 16; i++) {
		unsigned int have = bits > 8 * (i - first) ? bits - 8 * (i - first) : 0;

		if (have < 8)
			a->addr[i] &= (__u8)(0xff00 >> have);
	}
}

/* Busiest first: most requests; then by family and prefix, for a stable order. */
static int cmp_busiest(const void *a, const void *b)
{
	const struct pinger_row *x = a, *y = b;

	if (x->sum.requests != y->sum.requests)
		return x->sum.requests < y->sum.requests ? 1 : -1;
	if (x->family != y->family)
		return x->family - y->family;
	return memcmp(&x->prefix, &y->prefix, sizeof(x->prefix));
}

/*
 * Add flow @p to row @r. jitter_ns is kept as a sum weighted by the
 * flow's timestamped requests until pingers_read() divides; last_len and
 * max_seq are those of the flow heard from last.
 */
static void add_flow(struct pinger_row *r, const struct xdpong_pinger *p)
{
	struct xdpong_pinger *s = &r->sum;

	if (!r->flows || p->first_ns < s->first_ns)
		s->first_ns = p->first_ns;
	if (!r->flows || p->last_ns >= s->last_ns) {
		s->last_ns = p->last_ns;
		s->last_len = p->last_len;
		s->max_seq = p->max_seq;
		s->last_transit_ns = p->last_transit_ns;
	}
	s->requests += p->requests;
	s->bytes += p->bytes;
	s->gaps += p->gaps;
	s->reordered += p->reordered;
	s->duplicates += p->duplicates;
	s->timestamped += p->timestamped;
	s->jitter_ns += p->jitter_ns * p->timestamped;
	s->odd_payload += p->odd_payload;
	r->flows++;
}

/*
 * The rate over the prefix's span, first request to last: (requests -
 * flows) / span, as each flow's first request opens its span rather than
 * ends an interval. N flows of k requests every 1/r s over the same span
 * then give N r exactly. A prefix heard once has no rate (0).
 */
static double rate_of_row(const struct pinger_row *r)
{
	__u64 span = r->sum.last_ns - r->sum.first_ns;

	if (!span || r->sum.requests <= r->flows)
		return 0;
	return (r->sum.requests - r->flows) * 1e9 / span;
}

/* A flow's place: its source prefix, then its place in the walk. */
struct flow_ref {
	__u8 family;
	__u8 pad[3];
	__u32 idx;
	struct xdpong_addr_key prefix;
};

/* By family and prefix, so that a prefix's flows are a run; in a run, in
 * the order read, so that add_flow() sees them as the walk did. */
static int cmp_ref(const void *a, const void *b)
{
	const struct flow_ref *x = a, *y = b;
	int d;

	if (x->family != y->family)
		return x->family - y->family;
	if ((d = memcmp(&x->prefix, &y->prefix, sizeof(x->prefix))))
		return d;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

int pingers_read(const struct attached *a, unsigned int prefix_v4, unsigned int prefix_v6,
		 struct pinger_table *t)
{
	int fd = a->map_fd[MAP_PINGERS];
	struct xdpong_pinger_key *keys = NULL;
	struct xdpong_pinger *vals = NULL;
	struct flow_ref *refs = NULL;
	struct xdpong_config cfg;
	struct pinger_row *r = NULL;
	size_t n, nref = 0, i;
	int ret;

	memset(t, 0, sizeof(*t));
	if (fd < 0)
		return -ENOENT;
	if ((ret = config_read(a->map_fd[MAP_CONFIG], &cfg)))
		return ret;
	t->enabled = cfg.flags & XDPONG_F_PINGERS;
	/* In batches (mapread.c): a flood of spoofed sources churning the
	 * table can neither restart the read nor make it endless; its newest
	 * flows may be cut. */
	if ((ret = map_read_all(fd, (void **)&keys, (void **)&vals, &n)))
		goto out;
	/* Sorted by prefix, not searched for one row per flow: the table can
	 * hold a million flows, each a row of its own. */
	if (n && !(refs = calloc(n, sizeof(*refs)))) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct flow_ref *f = &refs[nref];

		if (keys[i].family != 4 && keys[i].family != 6)
			continue;
		f->family = keys[i].family;
		f->idx = i;
		f->prefix = keys[i].src;
		mask_prefix(&f->prefix, f->family, f->family == 4 ? prefix_v4 : prefix_v6);
		nref++;
	}
	qsort(refs, nref, sizeof(*refs), cmp_ref);
	/* As many rows as runs: at most one a flow. */
	if (nref && !(t->rows = calloc(nref, sizeof(*t->rows)))) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nref; i++) {
		if (!r || r->family != refs[i].family ||
		    memcmp(&r->prefix, &refs[i].prefix, sizeof(r->prefix))) {
			r = &t->rows[t->n++];
			r->family = refs[i].family;
			r->prefixlen = r->family == 4 ? prefix_v4 : prefix_v6;
			r->prefix = refs[i].prefix;
		}
		add_flow(r, &vals[refs[i].idx]);
	}
	for (i = 0; i < t->n; i++) {
		r = &t->rows[i];
		r->sum.jitter_ns = r->sum.timestamped ? r->sum.jitter_ns / r->sum.timestamped : 0;
		r->rate = rate_of_row(r);
	}
	qsort(t->rows, t->n, sizeof(*t->rows), cmp_busiest);
out:
	free(refs);
	free(keys);
	free(vals);
	if (ret)
		pinger_table_free(t);
	return ret;
}

void pinger_table_free(struct pinger_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}
