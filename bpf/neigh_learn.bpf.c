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
#include "csum.h"
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

/* A neighbour solicitation or advertisement (RFC 4861 4.3, 4.4) with one
 * option, the sender's or the target's link-layer address: 32 bytes, as
 * Linux sends them. */
struct nd_msg_lla {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 flags;       /* advertisement: router, solicited, override */
	struct in6_addr target;
	__u8 opt_type;      /* 1: source link-layer address; 2: target */
	__u8 opt_len;       /* in 8-byte units: 1 for Ethernet */
	__u8 lla[ETH_ALEN];
};
#define ND_OPT_SOURCE_LLA 1
#define ND_OPT_TARGET_LLA 2
#define NA_SOLICITED bpf_htonl(0x40000000)

/* A station's MAC: not a group address, not zero. */
static __always_inline int station_mac(const __u8 *mac)
{
	return !(mac[0] & 1) && mac_load(mac) != 0;
}

/*
 * Note @mac for the neighbour @a16 on @ifindex, heard now: the last word
 * wins, as in the kernel's table. An answer (@answer: an ARP reply, a
 * solicited advertisement) only for a neighbour the kernel is resolving:
 * one a request went to it for (route.h), moments ago; it takes no other.
 */
static __always_inline void learn(__u32 ifindex, const __u8 *a16, const __u8 *mac, int answer)
{
	struct xdpong_neigh_key k = { .ifindex = ifindex };
	struct xdpong_neigh_learnt v = { .seen_ns = bpf_ktime_get_ns() }, *cur;

	__builtin_memcpy(k.a.addr, a16, 16);
	if (answer) {
		cur = bpf_map_lookup_elem(&XDPONG_MAP_NEIGH_LEARNT, &k);
		if (!cur || !cur->resolving || v.seen_ns - cur->seen_ns > XDPONG_NEIGH_RESOLVING_NS)
			return;
	}
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
	int reply;

	if (!cfg || l3_off > MAX_L3_OFF)
		return 0;
	arp = data + l3_off;
	if ((void *)(eth + 1) > end || (void *)(arp + 1) > end)
		return 0;
	/* To all, or to us: the kernel drops a frame for another station. A
	 * reply answers the kernel's request, to us. */
	dst = mac_load(eth->h_dest);
	reply = arp->op == bpf_htons(ARPOP_REPLY_);
	if (dst != mac_load(cfg->mac) && (reply || dst != 0xffffffffffffULL))
		return 0;
	if (arp->hrd != bpf_htons(ARPHRD_ETHER_) || arp->pro != bpf_htons(ETH_P_IP) ||
	    arp->hln != ETH_ALEN || arp->pln != 4 || (!reply && arp->op != bpf_htons(ARPOP_REQUEST_)))
		return 0;
	__builtin_memcpy(&sip, arp->sip, 4);
	__builtin_memcpy(&tip, arp->tip, 4);
	/* 0.0.0.0: a duplicate address probe, which makes no entry. */
	if (!sip || ipv4_src_martian(sip) || !ours_v4(cfg, tip) ||
	    !station_mac(arp->sha) || lookup_v4(cfg, sip))
		return 0;
	v4_mapped(sip16, sip);
	learn(ifindex, sip16, arp->sha, reply);
	return 0;
}

/* Does the message's ICMPv6 checksum verify (RFC 4443 2.3)? */
static __always_inline int nd_csum_ok(const struct ipv6hdr *ip6h, const struct nd_msg_lla *nd)
{
	__u32 sum = csum_ipv6_pseudo(ip6h, sizeof(*nd), IPPROTO_ICMPV6);

	return csum_fold(csum_inline(nd, sizeof(*nd), sum)) == 0xffff;
}

/* To the solicitation's target itself (unicast, to our MAC) or to its
 * solicited-node group (ff02::1:ffXX:XXXX, to 33:33:ff:XX:XX:XX). */
static __always_inline int ns_to_target(const struct ethhdr *eth, const struct ipv6hdr *ip6h,
					const struct nd_msg_lla *ns, const struct xdpong_config *cfg)
{
	const __u8 *d = ip6h->daddr.s6_addr, *t = ns->target.s6_addr, *m = eth->h_dest;

	if (same_in6(d, &ns->target))
		return mac_load(m) == mac_load(cfg->mac);
	return d[0] == 0xff && d[1] == 0x02 &&
	       !(d[2] | d[3] | d[4] | d[5] | d[6] | d[7] | d[8] | d[9] | d[10]) && d[11] == 1 &&
	       d[12] == 0xff && d[13] == t[13] && d[14] == t[14] && d[15] == t[15] &&
	       m[0] == 0x33 && m[1] == 0x33 && m[2] == 0xff && m[3] == t[13] && m[4] == t[14] &&
	       m[5] == t[15];
}

/* One of our addresses on the receiving device @ifindex (the kernel looks
 * there alone: ipv6_get_ifaddr(..., strict)). */
static __always_inline int ours_v6_here(const struct xdpong_config *cfg,
					const struct in6_addr *a, __u32 ifindex)
{
	struct xdpong_addr_val *v = lookup_v6(cfg, a, ipv6_is_linklocal(a) ? ifindex : 0);

	return v && !(v->flags & XDPONG_ADDR_SOURCE_ONLY) && v->ifindex == ifindex;
}

__noinline int learn_nd(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off, __u32 ifindex,
			const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6h;
	struct nd_msg_lla *nd;
	const struct in6_addr *who;
	int answer;

	if (!cfg || l3_off > MAX_L3_OFF)
		return 0;
	ip6h = data + l3_off;
	nd = (void *)(ip6h + 1);
	if ((void *)(eth + 1) > end || (void *)(nd + 1) > end)
		return 0;
	/* Right after the fixed header, all of the payload (no extension
	 * header, nothing in padding); from the link (hop limit 255, code 0:
	 * RFC 4861 7.1); with one option, a link-layer address. */
	if (l4_off != l3_off + sizeof(*ip6h) || ip6h->nexthdr != IPPROTO_ICMPV6 ||
	    ip6h->payload_len != bpf_htons(sizeof(*nd)) || ip6h->hop_limit != 255 ||
	    nd->code != 0 || nd->opt_len != 1 || !station_mac(nd->lla))
		return 0;
	if (nd->type == XDPONG_ICMP6_ND_NS) {
		/* A solicitation for one of ours: its sender (from ::, a
		 * duplicate address probe, makes no entry). */
		if (nd->opt_type != ND_OPT_SOURCE_LLA || !ns_to_target(eth, ip6h, nd, cfg) ||
		    ipv6_src_invalid(&ip6h->saddr) || !ours_v6_here(cfg, &nd->target, ifindex))
			return 0;
		who = &ip6h->saddr;
		answer = 0;
	} else if (nd->type == XDPONG_ICMP6_ND_NA) {
		/* The answer to the kernel's solicitation: to us, solicited. */
		if (nd->opt_type != ND_OPT_TARGET_LLA || !(nd->flags & NA_SOLICITED) ||
		    mac_load(eth->h_dest) != mac_load(cfg->mac) ||
		    !ours_v6_here(cfg, &ip6h->daddr, ifindex) || ipv6_src_invalid(&nd->target))
			return 0;
		who = &nd->target;
		answer = 1;
	} else {
		return 0;
	}
	if (lookup_v6(cfg, who, 0) || !nd_csum_ok(ip6h, nd))
		return 0;
	learn(ifindex, who->s6_addr, nd->lla, answer);
	return 0;
}
