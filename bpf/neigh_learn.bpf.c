// SPDX-License-Identifier: GPL-2.0
/*
 * neigh_learn.bpf.c: neighbour entries from ARP and neighbour discovery, as
 * the kernel makes them (neigh_learn.h). A unit of its own, linked into the
 * XDP program.
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
#define ARPOP_REPLY_    2

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

/* A neighbour solicitation or advertisement (RFC 4861 4.3, 4.4) with its
 * first option, where the link-layer address is (Linux puts it first). */
struct nd_msg_lla {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 flags;       /* NA: router, solicited, override */
	struct in6_addr target;
	__u8 opt_type;      /* 1: source link-layer address, 2: target */
	__u8 opt_len;       /* in 8-byte units: 1 for Ethernet */
	__u8 lla[ETH_ALEN];
};
#define ND_OPT_SOURCE_LLA 1
#define ND_OPT_TARGET_LLA 2
#define NA_FLAG_SOLICITED bpf_htonl(0x40000000)

/* A station's MAC: not a group address, not zero. */
static __always_inline int station_mac(const __u8 *mac)
{
	return !(mac[0] & 1) && mac_load(mac) != 0;
}

/* Note @mac for the neighbour @a16 on @ifindex, unless there is an entry. */
static __always_inline void learn(__u32 ifindex, const __u8 *a16, const __u8 *mac)
{
	struct xdpong_neigh_key k = { .ifindex = ifindex };
	struct xdpong_neigh v = {};

	__builtin_memcpy(k.a.addr, a16, 16);
	__builtin_memcpy(v.mac, mac, ETH_ALEN);
	bpf_map_update_elem(&XDPONG_MAP_NEIGH, &k, &v, BPF_NOEXIST);
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

	if (!cfg || l3_off > MAX_L3_OFF)
		return 0;
	arp = data + l3_off;
	if ((void *)(eth + 1) > end || (void *)(arp + 1) > end)
		return 0;
	if (arp->hrd != bpf_htons(ARPHRD_ETHER_) || arp->pro != bpf_htons(ETH_P_IP) ||
	    arp->hln != ETH_ALEN || arp->pln != 4)
		return 0;
	__builtin_memcpy(&sip, arp->sip, 4);
	__builtin_memcpy(&tip, arp->tip, 4);
	/* The kernel answers a request for its address; it takes a reply
	 * only to its own request, which went out from its address. */
	if (arp->op == bpf_htons(ARPOP_REPLY_)) {
		if (mac_load(eth->h_dest) != mac_load(cfg->mac))
			return 0;
	} else if (arp->op != bpf_htons(ARPOP_REQUEST_)) {
		return 0;
	}
	/* 0.0.0.0: a duplicate address probe, which makes no entry. */
	if (!sip || ipv4_src_martian(sip) || !ours_v4(cfg, tip) ||
	    !station_mac(arp->sha) || lookup_v4(cfg, sip))
		return 0;
	v4_mapped(sip16, sip);
	learn(ifindex, sip16, arp->sha);
	return 0;
}

__noinline int learn_nd(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off, __u32 ifindex,
			const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h;
	struct nd_msg_lla *nd;
	struct xdpong_addr_val *v;
	const struct in6_addr *who;
	__u32 scope;

	if (!cfg || l3_off > MAX_L3_OFF || l4_off > MAX_L4_OFF)
		return 0;
	ip6h = data + l3_off;
	nd = data + l4_off;
	if ((void *)(eth + 1) > end || (void *)(ip6h + 1) > end || (void *)(nd + 1) > end)
		return 0;
	/* RFC 4861 7.1: from the link itself, code 0. */
	if (ip6h->hop_limit != 255 || nd->code != 0 || nd->opt_len != 1)
		return 0;
	if (nd->type == XDPONG_ICMP6_ND_NS) {
		/* From :: (duplicate address detection): no entry. */
		if (nd->opt_type != ND_OPT_SOURCE_LLA || ipv6_src_invalid(&ip6h->saddr))
			return 0;
		scope = ipv6_is_linklocal(&nd->target) ? ifindex : 0;
		v = lookup_v6(cfg, &nd->target, scope);
		if (!v || (v->flags & XDPONG_ADDR_SOURCE_ONLY))
			return 0;
		who = &ip6h->saddr;
	} else if (nd->type == XDPONG_ICMP6_ND_NA) {
		if (nd->opt_type != ND_OPT_TARGET_LLA || !(nd->flags & NA_FLAG_SOLICITED) ||
		    mac_load(eth->h_dest) != mac_load(cfg->mac) || ipv6_src_invalid(&nd->target))
			return 0;
		who = &nd->target;
	} else {
		return 0;
	}
	if (!station_mac(nd->lla) || lookup_v6(cfg, who, 0))
		return 0;
	learn(ifindex, who->s6_addr, nd->lla);
	return 0;
}
