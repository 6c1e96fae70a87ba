/* SPDX-License-Identifier: GPL-2.0 */
/*
 * addrs.h: address predicates, and lookups in the local-address map, in the
 * set that xdpong_config.addr_gen selects (see struct xdpong_local_key),
 * with the per-CPU cache of the last answers (XDPONG_MAP_ADDR_CACHE).
 */
#ifndef XDPONG_ADDRS_H
#define XDPONG_ADDRS_H

#include <linux/in6.h>
#include <bpf/bpf_endian.h>
#include "maps.h"
#include "exceptions.h"

/*
 * Store an IPv4 address IPv4-mapped (::ffff:a.b.c.d), as the address map
 * and events do; word by word, since an initializer would cost a map.
 */
static __always_inline void v4_mapped(__u8 *out16, __be32 addr)
{
	__u32 *w = (__u32 *)out16;

	w[0] = 0;
	w[1] = 0;
	w[2] = bpf_htonl(0x0000ffff);
	w[3] = addr;
}

/*
 * A MAC address as one number: its six bytes in memory order, read and
 * written as three 16-bit words. Every MAC the program touches is 2-byte
 * aligned (the Ethernet header, the config, the neighbour map, the address
 * cache), so a check or a copy is three loads, not six (or eighteen).
 * Equality and zero tests don't depend on byte order; the group bit is read
 * from the first byte itself.
 */
static __always_inline __u64 mac_load(const void *mac)
{
	const __u16 *w = mac;

	return (__u64)w[0] | (__u64)w[1] << 16 | (__u64)w[2] << 32;
}

static __always_inline void mac_store(void *mac, __u64 v)
{
	__u16 *w = mac;

	w[0] = v;
	w[1] = v >> 16;
	w[2] = v >> 32;
}

static __always_inline __u32 addr_set(const struct xdpong_config *cfg)
{
	return cfg ? (__u32)(cfg->addr_gen & 1) : 0;
}

static __always_inline struct xdpong_addr_val *lookup_v4(const struct xdpong_config *cfg,
							 __be32 addr)
{
	struct xdpong_local_key key = { .set = addr_set(cfg) };

	v4_mapped(key.a.addr, addr);
	return bpf_map_lookup_elem(&XDPONG_MAP_ADDRS, &key);
}

/* @ifindex: the receiving device for a link-local address, else 0. */
static __always_inline struct xdpong_addr_val *lookup_v6(const struct xdpong_config *cfg,
							 const struct in6_addr *addr,
							 __u32 ifindex)
{
	struct xdpong_local_key key = { .set = addr_set(cfg), .ifindex = ifindex };

	__builtin_memcpy(key.a.addr, addr, sizeof(key.a.addr));
	return bpf_map_lookup_elem(&XDPONG_MAP_ADDRS, &key);
}

/* This CPU's address cache, emptied if the address or neighbour maps
 * changed since, or a route exception was noted (exceptions.h). */
static __always_inline struct xdpong_addr_cache *addr_cache(const struct xdpong_config *cfg)
{
	__u32 zero = 0;
	struct xdpong_addr_cache *c = bpf_map_lookup_elem(&XDPONG_MAP_ADDR_CACHE, &zero);
	__u64 *noted = exceptions_noted(), exc_gen = noted ? *noted : 0;

	if (c && (c->gen != cfg->addr_gen || c->neigh_gen != cfg->neigh_gen ||
		  c->exc_gen != exc_gen)) {
		c->gen = cfg->addr_gen;
		c->neigh_gen = cfg->neigh_gen;
		c->exc_gen = exc_gen;
		c->dst_ok = 0;
		c->src_ok = 0;
		c->dst6_ok = 0;
		c->src6_ok = 0;
		c->quoted_ok = 0;
		c->quoted6_ok = 0;
	}
	return c;
}

static __always_inline int same_in6(const __u8 *a, const struct in6_addr *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return x[0] == y[0] && x[1] == y[1];
}

/*
 * Is @addr, the source of a header an ICMP error quotes, one of the host's
 * (did the host send what the error is about)? Errors come in runs about the
 * same flow, so the last source found ours is kept in this CPU's address
 * cache, and a run costs one lookup, not one an error.
 */
static __always_inline int quoted_src_ours_v4(const struct xdpong_config *cfg, __be32 addr)
{
	struct xdpong_addr_cache *c = addr_cache(cfg);

	if (c && c->quoted_ok && c->quoted == addr)
		return 1;
	if (!lookup_v4(cfg, addr))
		return 0;
	if (c) {
		c->quoted = addr;
		c->quoted_ok = 1;
	}
	return 1;
}

/* The same for IPv6: any of the host's addresses, link-local ones are under 0. */
static __always_inline int quoted_src_ours_v6(const struct xdpong_config *cfg,
					      const struct in6_addr *addr)
{
	struct xdpong_addr_cache *c = addr_cache(cfg);

	if (c && c->quoted6_ok && same_in6(c->quoted6, addr))
		return 1;
	if (!lookup_v6(cfg, addr, 0))
		return 0;
	if (c) {
		__builtin_memcpy(c->quoted6, addr, 16);
		c->quoted6_ok = 1;
	}
	return 1;
}

static __always_inline int ipv4_is_multicast(__be32 a)
{
	return (a & bpf_htonl(0xf0000000)) == bpf_htonl(0xe0000000);
}

/* A source the kernel treats as martian: 0/8, 127/8, 224/4, 255.255.255.255. */
static __always_inline int ipv4_src_martian(__be32 a)
{
	__u8 first = bpf_ntohl(a) >> 24;

	return first == 0 || first == 127 || ipv4_is_multicast(a) ||
	       a == bpf_htonl(0xffffffff);
}

static __always_inline int ipv6_is_multicast(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xff;
}

static __always_inline int ipv6_is_linklocal(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

/* ::ffff:0:0/96 (RFC 4291 2.5.5.2): an IPv4 address, never an IPv6 one of ours. */
static __always_inline int ipv6_is_v4mapped(const struct in6_addr *a)
{
	const __u32 *w = a->s6_addr32;

	return !(w[0] | w[1]) && w[2] == bpf_htonl(0x0000ffff);
}

/* ::, ::1 and ::ffff:0:0/96 (RFC 4291 2.5.2, 2.5.3, 2.5.5.2) never source an echo. */
static __always_inline int ipv6_src_invalid(const struct in6_addr *a)
{
	const __u32 *w = a->s6_addr32;

	if (ipv6_is_multicast(a) || ipv6_is_v4mapped(a))
		return 1;
	return !(w[0] | w[1] | w[2]) && (w[3] == 0 || w[3] == bpf_htonl(1));
}

#endif /* XDPONG_ADDRS_H */
