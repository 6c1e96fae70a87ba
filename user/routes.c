// SPDX-License-Identifier: GPL-2.0
/*
 * routes.c: the route map from the host's view (host.c): the routes of the
 * table the kernel would route a reply by, one entry per prefix, as the
 * kernel picks among them (the lowest metric). A prefix the kernel would not
 * send a plain unicast reply by (blackhole, unreachable, prohibit, several
 * next hops, a tie between two routes) is marked so. So is what the local
 * table makes the host's own beyond its addresses (the kernel looks there
 * first, and takes a source found there for a martian): an AnyIP range
 * (`ip route add local PREFIX dev lo`, a prefix on lo), an explicit
 * broadcast address, an IPv6 anycast one. So is an address the route
 * cache has an exception for (a redirect, a path MTU), and a route whose
 * lifetime is over is left out. The entries go in the two sets that
 * addrs_update() switches together with the addresses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include "cli.h"

static int push_route(struct route_entries *r, const struct route_entry *e)
{
	if (r->n == r->cap) {
		int ncap = r->cap ? r->cap * 2 : 64;
		struct route_entry *p = realloc(r->e, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		r->e = p;
		r->cap = ncap;
	}
	r->e[r->n++] = *e;
	return 0;
}

static int cmp_key(const struct route_entry *x, const struct route_entry *y)
{
	return memcmp(&x->k, &y->k, sizeof(x->k));
}

/* By prefix, then the metric: the first of each prefix is the kernel's. */
static int cmp_route(const void *a, const void *b)
{
	const struct route_entry *x = a, *y = b;
	int c = cmp_key(x, y);

	return c ? c : x->prio < y->prio ? -1 : x->prio > y->prio;
}

static int cmp_addr_key(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct xdpong_addr_key));
}

/*
 * A local-table route that makes a source the host's own, which the address
 * map doesn't say already: a local route that is not one address of the
 * host's (@own: their keys, sorted), a broadcast or anycast one.
 */
static bool local_route_counts(const struct host_route *hr, const struct xdpong_addr_key *own,
			       int n_own)
{
	int full = hr->family == AF_INET ? 32 : 128;

	if (hr->type == RTN_BROADCAST || hr->type == RTN_ANYCAST)
		return true;
	if (hr->type != RTN_LOCAL)
		return false;
	return hr->dst_len < full || !bsearch(&hr->dst, own, n_own, sizeof(*own), cmp_addr_key);
}

/* Is @k (an IPv6 route key) inside the prefix of the local-table route @hr? */
static bool inside(const struct xdpong_route_key *k, const struct host_route *hr)
{
	int bits = hr->dst_len, len = k->prefixlen - XDPONG_ROUTE_KEY_BITS, i;

	if (len < bits)
		return false;
	for (i = 0; i < bits / 8; i++)
		if (k->a.addr[i] != hr->dst.addr[i])
			return false;
	return bits % 8 == 0 ||
	       !((k->a.addr[bits / 8] ^ hr->dst.addr[bits / 8]) & (0xff << (8 - bits % 8)));
}

/*
 * IPv6 looks in the local table first, and takes what it finds there
 * whatever its length (fib6_rule_lookup()): a longer main-table prefix
 * inside a local one (an AnyIP range on lo) is the host's own too.
 */
static void local6_first(const struct host_view *h, struct route_entries *w)
{
	int i, j;

	for (i = 0; i < h->n_routes; i++) {
		const struct host_route *hr = &h->routes[i];

		if (hr->table != RT_TABLE_LOCAL || hr->family != AF_INET6 || hr->dst_len >= 128 ||
		    hr->type != RTN_LOCAL)
			continue;
		for (j = 0; j < w->n; j++)
			if (w->e[j].k.family == 6 && inside(&w->e[j].k, hr))
				w->e[j].v.flags |= XDPONG_ROUTE_NO_REPLY;
	}
}

int routes_want(const struct host_view *h, __u32 table, const struct xdpong_config *cfg,
		struct route_entries *w)
{
	struct xdpong_addr_key *own = NULL;
	int i, j = 0, ret = 0;

	/* The main table's view comes with the local table's; a VRF's table
	 * holds its local routes itself. */
	if (table == RT_TABLE_MAIN && h->n_addrs) {
		own = malloc(h->n_addrs * sizeof(*own));
		if (!own)
			return -ENOMEM;
		for (i = 0; i < h->n_addrs; i++)
			own[i] = h->addrs[i].key;
		qsort(own, h->n_addrs, sizeof(*own), cmp_addr_key);
	}
	for (i = 0; i < h->n_routes && !ret; i++) {
		const struct host_route *hr = &h->routes[i];
		/* A local-table route is looked at before the main table's
		 * on the same prefix, whatever the metrics. */
		struct route_entry e = { .prio = hr->table == RT_TABLE_LOCAL ? 0 : hr->priority };

		if (hr->expired ||
		    (hr->table != table &&
		     !(table == RT_TABLE_MAIN && hr->table == RT_TABLE_LOCAL &&
		       local_route_counts(hr, own, own ? h->n_addrs : 0))))
			continue;
		e.k.family = hr->family == AF_INET ? 4 : 6;
		e.k.a = hr->dst;
		e.k.prefixlen = XDPONG_ROUTE_KEY_BITS + (hr->family == AF_INET ? 96 : 0) + hr->dst_len;
		e.v.ifindex = hr->oif;
		if (hr->type != RTN_UNICAST || hr->complex ||
		    (hr->hoplimit && hr->hoplimit != (hr->family == AF_INET ? cfg->ttl : cfg->hop_limit)))
			e.v.flags |= XDPONG_ROUTE_NO_REPLY;
		if (hr->has_gw) {
			e.v.flags |= XDPONG_ROUTE_GATEWAY;
			e.v.gateway = hr->gw;
		}
		ret = push_route(w, &e);
	}
	free(own);
	/* The route cache's exceptions: the kernel replies to such an address
	 * through a redirect's gateway or under a path MTU, which the routes
	 * don't say. Ahead of any route of the same /32 or /128. */
	for (i = 0; i < h->n_exceptions && !ret; i++) {
		const struct host_exception *x = &h->exceptions[i];
		struct route_entry e = { .v.flags = XDPONG_ROUTE_EXCEPTION | XDPONG_ROUTE_NO_REPLY };

		e.k.family = x->family == AF_INET ? 4 : 6;
		e.k.a = x->dst;
		e.k.prefixlen = XDPONG_ROUTE_KEY_BITS + 128;
		ret = push_route(w, &e);
	}
	if (ret || !w->n)
		return ret;
	qsort(w->e, w->n, sizeof(*w->e), cmp_route);
	for (i = 0; i < w->n; i++) {
		if (j && !cmp_key(&w->e[j - 1], &w->e[i])) {
			/* Two different routes at the best metric: either may carry it. */
			if (w->e[i].prio == w->e[j - 1].prio &&
			    memcmp(&w->e[i].v, &w->e[j - 1].v, sizeof(w->e[i].v)))
				w->e[j - 1].v.flags |= XDPONG_ROUTE_NO_REPLY;
			continue;
		}
		w->e[j++] = w->e[i];
	}
	w->n = j;
	for (i = 0; i < w->n; i++)
		w->e[i].prio = 0;
	if (table == RT_TABLE_MAIN)
		local6_first(h, w);
	return 0;
}

int routes_read(int fd, __u8 set, struct route_entries *r)
{
	struct xdpong_route_key key, next, *prev = NULL;
	struct route_entry e = {};
	int ret = 0;

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (key.set != set || bpf_map_lookup_elem(fd, &key, &e.v))
			continue;
		e.k = key;
		e.k.set = 0;
		ret = push_route(r, &e);
	}
	if (!ret && r->n)
		qsort(r->e, r->n, sizeof(*r->e), cmp_route);
	return ret;
}

/* How many entries of @a are not in @b with the same value (both sorted). */
int routes_missing(const struct route_entries *a, const struct route_entries *b)
{
	int i, j = 0, n = 0;

	for (i = 0; i < a->n; i++) {
		while (j < b->n && cmp_key(&b->e[j], &a->e[i]) < 0)
			j++;
		if (j == b->n || cmp_key(&b->e[j], &a->e[i]) ||
		    memcmp(&b->e[j].v, &a->e[i].v, sizeof(a->e[i].v)))
			n++;
	}
	return n;
}

void routes_delete(int fd, __u8 set, const struct route_entries *r, int n)
{
	int i;

	for (i = 0; i < n && i < r->n; i++) {
		struct xdpong_route_key k = r->e[i].k;

		k.set = set;
		bpf_map_delete_elem(fd, &k);
	}
}

/* Write @r into set @set; on failure, take back what was written. */
int routes_write(int fd, __u8 set, const struct route_entries *r)
{
	int i;

	for (i = 0; i < r->n; i++) {
		struct xdpong_route_key k = r->e[i].k;

		k.set = set;
		if (bpf_map_update_elem(fd, &k, &r->e[i].v, BPF_ANY)) {
			int ret = -errno;

			routes_delete(fd, set, r, i);
			return ret;
		}
	}
	return 0;
}
