/* SPDX-License-Identifier: GPL-2.0 */
/*
 * echo.h: which echo requests we answer, and building the Echo Reply in place.
 *
 * The reply is the request with MACs and addresses swapped, TTL/hop limit set
 * to the host's default, the type changed to Echo Reply and both checksums
 * updated incrementally (RFC 1624). Id, sequence and payload are untouched.
 */
#ifndef XDPONG_ECHO_H
#define XDPONG_ECHO_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include "csum.h"
#include "maps.h"
#include "parsing.h"
#include "xdpong_icmp.h"
#include "addrs.h"
#include "rxdev.h"
#include "route.h"


/*
 * MACs: the destination unicast, and the interface's own when the loader set
 * it; the source a station's (not group, not zero), since the reply goes
 * back to it: the kernel would reply to the MAC its neighbour table has.
 */
static __always_inline enum xdpong_reason check_macs(const struct ethhdr *eth,
						     const struct xdpong_config *cfg)
{
	__u64 ours = mac_load(cfg->mac);

	if (eth->h_dest[0] & 1)
		return XDPONG_R_MAC_GROUP;
	if (ours && mac_load(eth->h_dest) != ours)
		return XDPONG_R_MAC_OTHER;
	if ((eth->h_source[0] & 1) || !mac_load(eth->h_source))
		return XDPONG_R_SRC_MAC_INVALID;
	return GO_ON;
}

/* Where a reply goes: the next hop's MAC; and the source's rate-limit key
 * (IPv4 /32, IPv6 /64), set only when a limit is on. */
struct reply_to {
	struct xdpong_addr_key rate_key; /* first: v4_mapped() writes it by words */
	__u64 mac;       /* mac_load() */
	__u8 limited;    /* a limit was on when rate_key was set: answer_echo()
			  * goes by this, not by the config read again, which
			  * `xdpong set` may have changed meanwhile */
};

static __always_inline enum xdpong_reason check_ipv4_addrs(const struct iphdr *iph,
							   const struct xdpong_config *cfg,
							   const struct xdpong_l3dev *dev,
							   struct reply_to *to)
{
	struct xdpong_addr_cache *c = addr_cache(cfg);
	struct xdpong_addr_val *val;
	enum xdpong_reason r;
	__u8 src16[16];
	int lasting;

	if (iph->daddr == bpf_htonl(0xffffffff))
		return XDPONG_R_DST_BROADCAST;
	if (ipv4_is_multicast(iph->daddr))
		return XDPONG_R_DST_MULTICAST;
	if (!c || !c->dst_ok || c->dst != iph->daddr) {
		val = lookup_v4(cfg, iph->daddr);
		if (!val || (val->flags & XDPONG_ADDR_SOURCE_ONLY))
			return XDPONG_R_DST_NOT_LOCAL;
		if (val->flags & XDPONG_ADDR_BROADCAST)
			return XDPONG_R_DST_BROADCAST;
		if (c) {
			c->dst = iph->daddr;
			c->dst_ok = 1;
		}
	}
	/* The kernel drops a packet from one of its own addresses or subnet
	 * broadcasts (martian source). */
	if (ipv4_src_martian(iph->saddr))
		return XDPONG_R_SRC_INVALID;
	if (c && c->src_ok && c->src == iph->saddr && c->src_ifindex == dev->ifindex) {
		to->mac = mac_load(c->src_mac);
		return GO_ON;
	}
	if (lookup_v4(cfg, iph->saddr))
		return XDPONG_R_SRC_INVALID;
	v4_mapped(src16, iph->saddr);
	r = route_back(cfg, dev, src16, 1, 0, &to->mac, &lasting);
	if (r != GO_ON)
		return r;
	if (c && lasting) {
		c->src = iph->saddr;
		c->src_ifindex = dev->ifindex;
		mac_store(c->src_mac, to->mac);
		c->src_ok = 1;
	}
	return GO_ON;
}

/*
 * The destination must be an address the kernel delivers to from @dev (a
 * link-local one only on @dev itself), never an IPv4 one in IPv6 clothes;
 * the source must not be the host's own (the kernel would answer itself,
 * through loopback, not the wire), and routed back through @dev.
 */
static __always_inline enum xdpong_reason check_ipv6_addrs(const struct ipv6hdr *ip6h,
							   const struct xdpong_config *cfg,
							   const struct xdpong_l3dev *dev,
							   struct reply_to *to)
{
	struct xdpong_addr_cache *c = addr_cache(cfg);
	struct xdpong_addr_val *val;
	enum xdpong_reason r;
	__u32 scope;
	int lasting, linklocal;

	if (ipv6_is_multicast(&ip6h->daddr))
		return XDPONG_R_DST_MULTICAST;
	if (ipv6_is_v4mapped(&ip6h->daddr))
		return XDPONG_R_DST_NOT_LOCAL;
	scope = ipv6_is_linklocal(&ip6h->daddr) ? dev->ifindex : 0;
	if (!c || !c->dst6_ok || c->dst6_ifindex != scope || !same_in6(c->dst6, &ip6h->daddr)) {
		val = lookup_v6(cfg, &ip6h->daddr, scope);
		if (!val || (val->flags & XDPONG_ADDR_SOURCE_ONLY))
			return XDPONG_R_DST_NOT_LOCAL;
		if (c) {
			__builtin_memcpy(c->dst6, &ip6h->daddr, 16);
			c->dst6_ifindex = scope;
			c->dst6_ok = 1;
		}
	}
	if (ipv6_src_invalid(&ip6h->saddr))
		return XDPONG_R_SRC_INVALID;
	/* The kernel routes a reply to a link-local address by the receiving
	 * device's routes: through its fe80::/64 route, on-link; without it,
	 * through a gateway or not at all. */
	linklocal = ipv6_is_linklocal(&ip6h->saddr);
	if (linklocal && !(dev->flags & XDPONG_L3_LL_ONLINK))
		return XDPONG_R_NO_ROUTE;
	if (c && c->src6_ok && c->src6_ifindex == dev->ifindex && same_in6(c->src6, &ip6h->saddr)) {
		to->mac = mac_load(c->src6_mac);
		return GO_ON;
	}
	/* Every address of the host, link-local ones too, is under 0. */
	if (lookup_v6(cfg, &ip6h->saddr, 0))
		return XDPONG_R_SRC_INVALID;
	r = route_back(cfg, dev, ip6h->saddr.s6_addr, 0, linklocal, &to->mac, &lasting);
	if (r != GO_ON)
		return r;
	if (c && lasting) {
		__builtin_memcpy(c->src6, &ip6h->saddr, 16);
		c->src6_ifindex = dev->ifindex;
		mac_store(c->src6_mac, to->mac);
		c->src6_ok = 1;
	}
	return GO_ON;
}

/* From our MAC (the request's destination) to the next hop's, as the
 * kernel's reply. */
static __always_inline void set_macs(struct ethhdr *eth, const struct reply_to *to)
{
	mac_store(eth->h_source, mac_load(eth->h_dest));
	mac_store(eth->h_dest, to->mac);
}

/*
 * The reply leaves tagged as the kernel's would through the VLAN device:
 * same TPID and VID, priority and DEI from the device's egress map, which
 * userspace only lets us answer for while it is empty (priority 0).
 */
static __always_inline void reply_vlan_tags(struct xdp_md *ctx, __u32 n)
{
	void *data_end, *data;
	struct vlan_hdr *vlh;
	int i;

	/* The usual untagged frame: nothing to load, nothing to do. */
	if (!n)
		return;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	vlh = data + sizeof(struct ethhdr);
#pragma unroll
	for (i = 0; i < VLAN_MAX_DEPTH; i++) {
		if (i >= n || (void *)(vlh + 1) > data_end)
			break;
		vlh->tci &= bpf_htons(VLAN_VID_MASK);
		vlh++;
	}
}

/*
 * Set the first byte (in memory order) of the 16-bit word at @word, covered
 * by @sum, updating @sum (RFC 1624). The new word is made in a register and
 * stored whole: storing the byte and then loading the word over it would
 * stall the load behind the store (no store-to-load forwarding from a
 * narrower store), about 4 ns a reply on this machine, twice per reply.
 */
static __always_inline void set_first_byte_csum(void *word, __u8 val, __sum16 *sum)
{
	union {
		__be16 w;
		__u8 b[2];
	} old, new;

	old.w = *(__be16 *)word;
	new.w = old.w;
	new.b[0] = val;
	*(__be16 *)word = new.w;
	csum_replace2(sum, old.w, new.w);
}

/* Turn a verified IPv4 Echo Request into its Echo Reply, in place. */
static __always_inline void build_reply_v4(struct ethhdr *eth, struct iphdr *iph,
					   struct icmp_echo_hdr *icmp, __u8 ttl,
					   const struct reply_to *to)
{
	__be32 addr = iph->saddr;
	__be16 frag = iph->frag_off;

	set_macs(eth, to);
	iph->saddr = iph->daddr;
	iph->daddr = addr;
	/* ttl and protocol share a 16-bit word of the header checksum. */
	set_first_byte_csum(&iph->ttl, ttl, &iph->check);
	/* Not a fragment, so at most DF and the reserved bit are set: the
	 * reply keeps DF and clears the bit that must be zero (RFC 791). */
	if (frag & bpf_htons(IP_RESERVED)) {
		iph->frag_off = frag & bpf_htons(IP_DF);
		csum_replace2(&iph->check, frag, iph->frag_off);
	}
	/* type and code share the first 16-bit word of the ICMP checksum. */
	set_first_byte_csum(&icmp->type, XDPONG_ICMP_ECHO_REPLY, &icmp->checksum);
}

/* Turn a verified ICMPv6 Echo Request into its Echo Reply, in place. */
static __always_inline void build_reply_v6(struct ethhdr *eth, struct ipv6hdr *ip6h,
					   struct icmp_echo_hdr *icmp, __u8 hop_limit,
					   const struct reply_to *to)
{
	struct in6_addr addr = ip6h->saddr;

	set_macs(eth, to);
	ip6h->saddr = ip6h->daddr;
	ip6h->daddr = addr;
	/* The hop limit is not covered by any checksum; the swap keeps the
	 * pseudo-header sum the same. */
	ip6h->hop_limit = hop_limit;
	set_first_byte_csum(&icmp->type, XDPONG_ICMP6_ECHO_REPLY, &icmp->checksum);
}

#endif /* XDPONG_ECHO_H */
