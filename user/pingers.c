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

static struct pinger_row *row_for(struct pinger_table *t, size_t *cap, __u8 family,
				  __u8 prefixlen, const struct xdpong_addr_key *prefix)
{
	struct pinger_row *grown;
	size_t i;

	/* Linear: a table of at most --pinger-flows flows, read on demand. */
	for (i = 0; i < t->n; i++)
		if (t->rows[i].family == family && !memcmp(&t->rows[i].prefix, prefix, sizeof(*prefix)))
			return &t->rows[i];
	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		grown = realloc(t->rows, *cap * sizeof(*grown));
		if (!grown)
			return NULL;
		t->rows = grown;
	}
	memset(&t->rows[t->n], 0, sizeof(t->rows[t->n]));
	t->rows[t->n].family = family;
	t->rows[t->n].prefixlen = prefixlen;
	t->rows[t->n].prefix = *prefix;
	return &t->rows[t->n++];
}

int pingers_read(const struct attached *a, unsigned int prefix_v4, unsigned int prefix_v6,
		 struct pinger_table *t)
{
	int fd = a->map_fd[MAP_PINGERS];
	struct xdpong_pinger_key key, next;
	struct xdpong_config cfg;
	struct xdpong_pinger p;
	struct pinger_row *r;
	void *prev = NULL;
	size_t cap = 0, i;
	int ret;

	memset(t, 0, sizeof(*t));
	if (fd < 0)
		return -ENOENT;
	if ((ret = config_read(a->map_fd[MAP_CONFIG], &cfg)))
		return ret;
	t->enabled = cfg.flags & XDPONG_F_PINGERS;
	/* An LRU hash changes under us: a key gone between get_next_key and
	 * lookup is skipped; one evicted just before the walk reaches it is
	 * gone, as it would be a moment later anyway. */
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct xdpong_addr_key prefix;
		unsigned int bits;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &p))
			continue;
		if (key.family != 4 && key.family != 6)
			continue;
		bits = key.family == 4 ? prefix_v4 : prefix_v6;
		prefix = key.src;
		mask_prefix(&prefix, key.family, bits);
		r = row_for(t, &cap, key.family, bits, &prefix);
		if (!r) {
			pinger_table_free(t);
			return -ENOMEM;
		}
		add_flow(r, &p);
	}
	if (errno != ENOENT) {
		ret = -errno;
		pinger_table_free(t);
		return ret;
	}
	for (i = 0; i < t->n; i++) {
		r = &t->rows[i];
		r->sum.jitter_ns = r->sum.timestamped ? r->sum.jitter_ns / r->sum.timestamped : 0;
		r->rate = rate_of_row(r);
	}
	qsort(t->rows, t->n, sizeof(*t->rows), cmp_busiest);
	return 0;
}

void pinger_table_free(struct pinger_table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = 0;
}
