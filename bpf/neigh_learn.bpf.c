// SPDX-License-Identifier: GPL-2.0
/*
 * neigh_learn.bpf.c: neighbours from ARP requests and neighbour
 * solicitations, as the kernel takes them (neigh_learn.h). A unit of its
 * own, linked into the XDP program.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdpong_icmp.h"
#include "maps.h"
#include "parsing.h"
#include "addrs.h"
#include "neigh_learn.h"

#define ARPHRD_ETHER_   1
#define ARPOP_REQUEST_  1

/* An Ethernet/IPv4 ARP packet (RFC 826). The addresses are only 2-byte
 * aligned: read with __builtin_memcpy. */
struct arp_eth_ipv4 {
	__be16 hrd;
	__be16 pro;
	__u8 hln;
	__u8 pln;
	__be16 op;
	__u8 sha[ETH_ALEN];
	__u8 sip[4];
	__u8 tha[ETH_ALEN];
	__u8 tip[4];
};

/* A neighbour solicitation (RFC 4861 4.3) with one option, the source
 * link-layer address: 32 bytes, as Linux sends it. */
struct nd_ns_sllao {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 reserved;
	struct in6_addr target;
	__u8 opt_type;      /* 1: source link-layer address */
	__u8 opt_len;       /* in 8-byte units: 1 for Ethernet */
	__u8 lla[ETH_ALEN];
};
#define ND_OPT_SOURCE_LLA 1

/* A station's MAC: not a group address, not zero. */
static __always_inline int station_mac(const __u8 *mac)
{
	return !(mac[0] & 1) && mac_load(mac) != 0;
}

/* Note @mac for the neighbour @a16 on @ifindex, heard now: the last word
 * wins, as in the kernel's table. */
static __always_inline void learn(__u32 ifindex, const __u8 *a16, const __u8 *mac)
{
	struct xdpong_neigh_key k = { .ifindex = ifindex };
	struct xdpong_neigh_learnt v = { .seen_ns = bpf_ktime_get_ns() };

	__builtin_memcpy(k.a.addr, a16, 16);
	__builtin_memcpy(v.mac, mac, ETH_ALEN);
	bpf_map_update_elem(&XDPONG_MAP_NEIGH_LEARNT, &k, &v, BPF_ANY);
}

/* An address the host delivers to as a destination: ours, not a broadcast. */
static __always_inline int ours_v4(const struct xdpong_config *cfg, __be32 a)
{
	struct xdpong_addr_val *v = lookup_v4(cfg, a);

	return v && !(v->flags & (XDPONG_ADDR_SOURCE_ONLY | XDPONG_ADDR_BROADCAST));
}

__noinline int learn_arp(struct xdp_md *ctx, __u32 l3_off, __u32 ifindex,
			 const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct arp_eth_ipv4 *arp;
	__u8 sip16[16];
	__be32 sip, tip;
	__u64 dst;

	if (!cfg || l3_off > MAX_L3_OFF)
		return 0;
	arp = data + l3_off;
	if ((void *)(eth + 1) > end || (void *)(arp + 1) > end)
		return 0;
	/* To all, or to us: the kernel drops a frame for another station. */
	dst = mac_load(eth->h_dest);
	if (dst != 0xffffffffffffULL && dst != mac_load(cfg->mac))
		return 0;
	if (arp->hrd != bpf_htons(ARPHRD_ETHER_) || arp->pro != bpf_htons(ETH_P_IP) ||
	    arp->hln != ETH_ALEN || arp->pln != 4 || arp->op != bpf_htons(ARPOP_REQUEST_))
		return 0;
	__builtin_memcpy(&sip, arp->sip, 4);
	__builtin_memcpy(&tip, arp->tip, 4);
	/* 0.0.0.0: a duplicate address probe, which makes no entry. */
	if (!sip || ipv4_src_martian(sip) || !ours_v4(cfg, tip) ||
	    !station_mac(arp->sha) || lookup_v4(cfg, sip))
		return 0;
	v4_mapped(sip16, sip);
	learn(ifindex, sip16, arp->sha);
	return 0;
}

/* Add the 32-bit words of @n bytes at @p to @s. */
static __always_inline __u64 sum_words(__u64 s, const void *p, int n)
{
	const __u32 *w = p;
	int i;

#pragma unroll
	for (i = 0; i < n / 4; i++)
		s += w[i];
	return s;
}

/* Does the solicitation's ICMPv6 checksum verify (RFC 4443 2.3)? */
static __always_inline int ns_csum_ok(const struct ipv6hdr *ip6h, const struct nd_ns_sllao *ns)
{
	__u64 s = sum_words(0, &ip6h->saddr, 32);

	s += bpf_htonl(sizeof(*ns));
	s += bpf_htonl(IPPROTO_ICMPV6);
	s = sum_words(s, ns, sizeof(*ns));
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s == 0xffff;
}

__noinline int learn_nd(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off, __u32 ifindex,
			const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h;
	struct nd_ns_sllao *ns;
	struct xdpong_addr_val *v;
	const __u8 *d, *t;
	__u32 scope;
	__u64 dst;

	if (!cfg || l3_off > MAX_L3_OFF)
		return 0;
	ip6h = data + l3_off;
	ns = (void *)(ip6h + 1);
	if ((void *)(eth + 1) > end || (void *)(ns + 1) > end)
		return 0;
	/* The solicitation right after the fixed header, all of the payload
	 * (no extension header, nothing in padding); from the link (hop limit
	 * 255, code 0: RFC 4861 7.1.1); with one option, the sender's MAC. */
	if (l4_off != l3_off + sizeof(*ip6h) || ip6h->nexthdr != IPPROTO_ICMPV6 ||
	    ip6h->payload_len != bpf_htons(sizeof(*ns)) || ip6h->hop_limit != 255 ||
	    ns->type != XDPONG_ICMP6_ND_NS || ns->code != 0 ||
	    ns->opt_type != ND_OPT_SOURCE_LLA || ns->opt_len != 1)
		return 0;
	/* To the target itself (unicast, to our MAC) or to its solicited-node
	 * group (ff02::1:ffXX:XXXX, to 33:33:ff:XX:XX:XX). */
	d = ip6h->daddr.s6_addr;
	t = ns->target.s6_addr;
	dst = mac_load(eth->h_dest);
	if (same_in6(d, &ns->target)) {
		if (dst != mac_load(cfg->mac))
			return 0;
	} else if (!(d[0] == 0xff && d[1] == 0x02 && !(d[2] | d[3] | d[4] | d[5] | d[6] | d[7] |
							 d[8] | d[9] | d[10]) &&
		     d[11] == 1 && d[12] == 0xff && d[13] == t[13] && d[14] == t[14] &&
		     d[15] == t[15] && eth->h_dest[0] == 0x33 && eth->h_dest[1] == 0x33 &&
		     eth->h_dest[2] == 0xff && eth->h_dest[3] == t[13] &&
		     eth->h_dest[4] == t[14] && eth->h_dest[5] == t[15])) {
		return 0;
	}
	/* From ::, a duplicate address probe: no entry. */
	if (ipv6_src_invalid(&ip6h->saddr) || !station_mac(ns->lla) ||
	    lookup_v6(cfg, &ip6h->saddr, 0))
		return 0;
	/* The kernel looks the target up on the receiving device alone
	 * (ipv6_get_ifaddr(..., strict)). */
	scope = ipv6_is_linklocal(&ns->target) ? ifindex : 0;
	v = lookup_v6(cfg, &ns->target, scope);
	if (!v || (v->flags & XDPONG_ADDR_SOURCE_ONLY) || v->ifindex != ifindex ||
	    !ns_csum_ok(ip6h, ns))
		return 0;
	learn(ifindex, ip6h->saddr.s6_addr, ns->lla);
	return 0;
}
