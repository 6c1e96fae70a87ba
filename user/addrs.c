// SPDX-License-Identifier: GPL-2.0
/*
 * addrs.c: the address map from the host's view (host.c). An address is
 * answered for if the kernel would deliver a packet for it that arrives on
 * the attached interface: it is on an interface of the same VRF, up for IPv6
 * (an IPv6 link-local one only on the receiving device itself). Every other address
 * of the host is kept too, flagged source-only, for the martian-source and
 * own-source checks. The map holds two sets; a change writes the new set,
 * flips xdpong_config.addr_gen, then deletes the old set, so that the
 * program always sees one whole set.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "cli.h"

static void key_from_v4(const void *in4, struct xdpong_addr_key *key)
{
	memset(key, 0, sizeof(*key));
	key->addr[10] = key->addr[11] = 0xff;
	memcpy(&key->addr[12], in4, 4);
}

static int key_is_v4(const struct xdpong_addr_key *key)
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(key->addr, prefix, sizeof(prefix));
}

/* Addresses the kernel never answers an echo for on the wire. */
static int key_is_answerable(const struct xdpong_addr_key *key)
{
	struct in6_addr a;

	memcpy(&a, key->addr, sizeof(a));
	if (key_is_v4(key)) {
		__u8 first = key->addr[12];

		return first != 0 && first != 127 && first < 224;
	}
	return !IN6_IS_ADDR_UNSPECIFIED(&a) && !IN6_IS_ADDR_LOOPBACK(&a) &&
	       !IN6_IS_ADDR_MULTICAST(&a) && !IN6_IS_ADDR_V4MAPPED(&a);
}

int addr_parse(const char *s, struct xdpong_addr_key *key)
{
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1)
		key_from_v4(&a4, key);
	else if (inet_pton(AF_INET6, s, key->addr) != 1)
		return -EINVAL;
	if (!key_is_answerable(key) ||
	    (key_is_v4(key) && !memcmp(&key->addr[12], "\xff\xff\xff\xff", 4)))
		return -EINVAL;
	return 0;
}

void addr_format(const struct xdpong_addr_key *key, char *buf, size_t len)
{
	if (key_is_v4(key))
		inet_ntop(AF_INET, &key->addr[12], buf, len);
	else
		inet_ntop(AF_INET6, key->addr, buf, len);
}

/* ---- A set of map entries ---- */
struct entry {
	struct xdpong_local_key k;
	struct xdpong_addr_val v;
};

struct entries {
	struct entry *e;
	int n, cap;
};

static int add_entry(struct entries *s, __u32 scope, const struct xdpong_addr_key *key,
		     __u32 on_ifindex, __u32 flags)
{
	if (s->n == s->cap) {
		int ncap = s->cap ? s->cap * 2 : 256;
		struct entry *e = realloc(s->e, ncap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		s->e = e;
		s->cap = ncap;
	}
	memset(&s->e[s->n], 0, sizeof(s->e[s->n]));
	s->e[s->n].k.ifindex = scope;
	s->e[s->n].k.a = *key;
	s->e[s->n].v.ifindex = on_ifindex;
	s->e[s->n].v.flags = flags;
	s->n++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->k.ifindex != y->k.ifindex)
		return x->k.ifindex < y->k.ifindex ? -1 : 1;
	return memcmp(&x->k.a, &y->k.a, sizeof(x->k.a));
}

/*
 * One entry per key. An address the host has twice is answered for if any
 * copy is delivered to; a subnet broadcast is never answered, even where an
 * interface also has it as an address (the kernel's local table lists it as
 * broadcast).
 */
static void merge_entries(struct entries *s)
{
	int i, j = 0;

	if (!s->n)
		return;
	qsort(s->e, s->n, sizeof(*s->e), cmp_entry);
	for (i = 1; i < s->n; i++) {
		struct entry *d = &s->e[j], *x = &s->e[i];

		if (cmp_entry(d, x)) {
			s->e[++j] = *x;
			continue;
		}
		if (!(x->v.flags & XDPONG_ADDR_SOURCE_ONLY) && (d->v.flags & XDPONG_ADDR_SOURCE_ONLY)) {
			d->v.flags &= ~XDPONG_ADDR_SOURCE_ONLY;
			d->v.ifindex = x->v.ifindex;
		}
		d->v.flags |= x->v.flags & (XDPONG_ADDR_BROADCAST | XDPONG_ADDR_CONFIGURED);
	}
	s->n = j + 1;
}

/* A device whose frames reach the program: @ifindex, or a VLAN device on it. */
static bool is_receiving_dev(const struct host_view *h, int dev, int ifindex)
{
	const struct host_link *l = host_link(h, dev);
	int depth;

	for (depth = 0; l && depth <= 2; depth++) {
		if (l->ifindex == ifindex)
			return true;
		if (!l->is_vlan || !l->lower)
			return false;
		l = host_link(h, l->lower);
	}
	return false;
}

static int host_entries(const struct host_view *h, int ifindex, struct entries *s)
{
	int domain = host_l3_domain(h, ifindex), i, ret = 0;

	for (i = 0; i < h->n_addrs && !ret; i++) {
		const struct host_addr *a = &h->addrs[i];
		const struct host_link *l = host_link(h, a->ifindex);
		/* The attached interface counts as up: nothing arrives while it is down. */
		bool up = l && (l->up || a->ifindex == ifindex);
		/* The kernel keeps delivering to the IPv4 addresses of a down
		 * interface (their local routes stay); IPv6 ones kept on down
		 * (keep_addr_on_down) lose theirs. */
		bool delivered = l && (up || a->family == AF_INET) &&
				 host_l3_domain(h, a->ifindex) == domain;
		__u32 where = delivered ? 0 : XDPONG_ADDR_SOURCE_ONLY;

		if (!a->usable)
			continue;
		/* A class E (240/4) address of the host's is never answered
		 * for, but is the host's own as a source all the same: the
		 * kernel takes a request from it for a martian. */
		if (!key_is_answerable(&a->key)) {
			if (!key_is_v4(&a->key) || a->key.addr[12] < 240 ||
			    !memcmp(&a->key.addr[12], "\xff\xff\xff\xff", 4))
				continue;
			where = XDPONG_ADDR_SOURCE_ONLY;
		}
		if (a->family == AF_INET6 && a->link_scope) {
			/* Ours as a source whatever its link; as a destination
			 * only on its own device. */
			ret = add_entry(s, 0, &a->key, a->ifindex, XDPONG_ADDR_SOURCE_ONLY);
			if (!ret && up && is_receiving_dev(h, a->ifindex, ifindex))
				ret = add_entry(s, a->ifindex, &a->key, a->ifindex, 0);
			continue;
		}
		ret = add_entry(s, 0, &a->key, a->ifindex, where);
		/* The subnet's broadcast, as the kernel's local table has it. */
		if (!ret && a->family == AF_INET && a->prefixlen < 31) {
			struct xdpong_addr_key b = a->key;
			__u32 v, mask = htonl(~0U << (32 - a->prefixlen));

			memcpy(&v, &b.addr[12], 4);
			v = (v & mask) | ~mask;
			memcpy(&b.addr[12], &v, 4);
			ret = add_entry(s, 0, &b, a->ifindex, XDPONG_ADDR_BROADCAST | where);
		}
	}
	return ret;
}

/* Every entry of set @set in the map. */
static int read_set(int fd, __u32 set, struct entries *s)
{
	struct xdpong_local_key key, next, *prev = NULL;
	struct xdpong_addr_val val;
	int ret = 0;

	while (!ret && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (key.set != set || bpf_map_lookup_elem(fd, &key, &val))
			continue;
		ret = add_entry(s, key.ifindex, &key.a, val.ifindex, val.flags);
	}
	return ret;
}

static void delete_set(int fd, __u32 set, const struct entries *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		struct xdpong_local_key k = s->e[i].k;

		k.set = set;
		bpf_map_delete_elem(fd, &k);
	}
}

int addrs_capacity(int addr_fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(addr_fd, &info, &len))
		return -errno;
	return info.max_entries / 2;
}

/* How many entries of @a are not in @b with the same value (both sorted). */
static int count_missing(const struct entries *a, const struct entries *b)
{
	int i, j = 0, n = 0;

	for (i = 0; i < a->n; i++) {
		while (j < b->n && cmp_entry(&b->e[j], &a->e[i]) < 0)
			j++;
		if (j == b->n || cmp_entry(&b->e[j], &a->e[i]) ||
		    memcmp(&b->e[j].v, &a->e[i].v, sizeof(a->e[i].v)))
			n++;
	}
	return n;
}

int addrs_update(int addr_fd, int route_fd, int cfg_fd, const struct host_view *h,
		 int ifindex, const struct addr_list *extra, struct xdpong_config *cfg,
		 struct map_change *ch)
{
	struct entries want = {}, old = {}, stale = {};
	struct route_entries rwant = {}, rold = {}, rstale = {};
	__u32 cur = cfg->addr_gen & 1, next = !cur;
	int cap = addrs_capacity(addr_fd), ret, i;

	memset(ch, 0, sizeof(*ch));
	if (cap < 0)
		return cap;
	ret = host_entries(h, ifindex, &want);
	if (!ret)
		ret = read_set(addr_fd, cur, &old);
	if (!ret)
		ret = routes_want(h, host_route_table(h, ifindex), cfg, &rwant);
	if (!ret)
		ret = routes_read(route_fd, cur, &rold);
	for (i = 0; !ret && extra && i < extra->n; i++)
		ret = add_entry(&want, key_is_linklocal(&extra->addrs[i]) ? ifindex : 0,
				&extra->addrs[i], 0, XDPONG_ADDR_CONFIGURED);
	/* Without a new list, the --address ones stay. */
	for (i = 0; !ret && !extra && i < old.n; i++)
		if (old.e[i].v.flags & XDPONG_ADDR_CONFIGURED)
			ret = add_entry(&want, old.e[i].k.ifindex, &old.e[i].k.a, 0,
					XDPONG_ADDR_CONFIGURED);
	if (ret)
		goto out;
	merge_entries(&want);
	merge_entries(&old);
	if (want.n > cap) {
		log_error("the host has %d addresses to know (its own, subnet broadcasts, link-local "
		    "ones), more than the %d the map holds; attach with --max-addrs %d or more",
		    want.n, cap, want.n);
		ret = -E2BIG;
		goto out;
	}
	if (rwant.n > XDPONG_MAX_ROUTES) {
		log_error("the routing table has %d routes, more than the %d xdpong holds",
		    rwant.n, XDPONG_MAX_ROUTES);
		ret = -E2BIG;
		goto out;
	}
	ch->added = count_missing(&want, &old);
	ch->removed = count_missing(&old, &want);
	ch->routes_changed = routes_missing(&rwant, &rold) + routes_missing(&rold, &rwant);
	if (!ch->added && !ch->removed && !ch->routes_changed)
		goto out;

	/* Leftovers of an update that died halfway, then the new sets. */
	ret = read_set(addr_fd, next, &stale);
	if (!ret)
		ret = routes_read(route_fd, next, &rstale);
	if (ret)
		goto out;
	delete_set(addr_fd, next, &stale);
	routes_delete(route_fd, next, &rstale, rstale.n);
	for (i = 0; i < want.n; i++) {
		struct xdpong_local_key k = want.e[i].k;

		k.set = next;
		if (bpf_map_update_elem(addr_fd, &k, &want.e[i].v, BPF_ANY)) {
			ret = -errno;
			want.n = i;
			delete_set(addr_fd, next, &want);
			goto out;
		}
	}
	ret = routes_write(route_fd, next, &rwant);
	if (ret) {
		delete_set(addr_fd, next, &want);
		goto out;
	}
	/* The switch: from here on the program reads the new sets. */
	cfg->addr_gen++;
	ret = config_write(cfg_fd, cfg);
	if (ret) {
		cfg->addr_gen--;
		delete_set(addr_fd, next, &want);
		routes_delete(route_fd, next, &rwant, rwant.n);
		goto out;
	}
	delete_set(addr_fd, cur, &old);
	routes_delete(route_fd, cur, &rold, rold.n);
out:
	if (ret)
		memset(ch, 0, sizeof(*ch));
	free(want.e);
	free(old.e);
	free(stale.e);
	free(rwant.e);
	free(rold.e);
	free(rstale.e);
	return ret;
}
