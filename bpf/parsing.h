/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parsing.h: header parsing with a cursor, into struct pkt (pkt.h).
 *
 * Contract: each parse_* helper takes a cursor, checks that its whole header
 * lies before the cursor's end, advances the cursor past it and returns the
 * next protocol (>= 0, in the byte order it has in the packet), or the
 * negated xdpong reason (< 0) that sends the packet to the kernel. On error
 * the cursor is left where it was.
 */
#ifndef XDPONG_PARSING_H
#define XDPONG_PARSING_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include "xdpong.h"
#include "xdpong_icmp.h"
#include "pkt.h"

/* IPv4 frag_off bits (host order, RFC 791): reserved (must be zero), don't
 * fragment, more fragments, and the offset. */
#define IP_RESERVED 0x8000
#define IP_DF     0x4000
#define IP_MF     0x2000
#define IP_OFFSET 0x1fff

/* The deepest L3 offset parse_ethhdr() can return: Ethernet + two VLAN tags. */
#define MAX_L3_OFF (ETH_HLEN + VLAN_MAX_DEPTH * 4)

struct vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

static __always_inline int proto_is_vlan(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD);
}

/* Ethernet plus up to VLAN_MAX_DEPTH tags, noted in @tags; returns the
 * EtherType (network order). */
static __always_inline int parse_ethhdr(struct hdr_cursor *c, struct ethhdr **ethp,
					struct vlan_tags *tags)
{
	struct ethhdr *eth = c->pos;
	struct vlan_hdr *vlh;
	void *pos;
	__be16 proto;
	int i;

	if ((void *)(eth + 1) > c->end)
		return -XDPONG_R_TRUNCATED;
	/* One 16-bit load: struct ethhdr is packed, which makes clang read its
	 * fields byte by byte; the field itself is 2-byte aligned. */
	proto = *(const __be16 *)((void *)eth + offsetof(struct ethhdr, h_proto));
	pos = eth + 1;

#pragma unroll
	for (i = 0; i < VLAN_MAX_DEPTH; i++) {
		if (!proto_is_vlan(proto))
			goto done;
		vlh = pos;
		if ((void *)(vlh + 1) > c->end)
			return -XDPONG_R_TRUNCATED;
		tags->tpid[i] = proto;
		tags->tci[i] = vlh->tci;
		tags->n = i + 1;
		proto = vlh->encap_proto;
		pos = vlh + 1;
	}
	/* Still a tag after VLAN_MAX_DEPTH of them (only then: an untagged
	 * frame doesn't test its EtherType twice). */
	if (proto_is_vlan(proto))
		return -XDPONG_R_VLAN_DEPTH;
done:
	*ethp = eth;
	c->pos = pos;
	return proto;
}

/* IPv4 header with its options; returns the protocol. */
static __always_inline int parse_iphdr(struct hdr_cursor *c, struct iphdr **iphp)
{
	struct iphdr *iph = c->pos;
	__u32 hdrsize;

	if ((void *)(iph + 1) > c->end)
		return -XDPONG_R_TRUNCATED;
	if (iph->version != 4 || iph->ihl < 5)
		return -XDPONG_R_BAD_IP_HEADER;
	hdrsize = iph->ihl * 4;
	if (c->pos + hdrsize > c->end)
		return -XDPONG_R_TRUNCATED;

	*iphp = iph;
	c->pos += hdrsize;
	return iph->protocol;
}

/* The fixed IPv6 header; returns its next header. */
static __always_inline int parse_ip6hdr(struct hdr_cursor *c, struct ipv6hdr **ip6hp)
{
	struct ipv6hdr *ip6h = c->pos;

	if ((void *)(ip6h + 1) > c->end)
		return -XDPONG_R_TRUNCATED;
	if (ip6h->version != 6)
		return -XDPONG_R_BAD_IP_HEADER;

	*ip6hp = ip6h;
	c->pos = ip6h + 1;
	return ip6h->nexthdr;
}

/* The 8-byte header common to ICMP echo and ICMPv6 echo; returns the type. */
struct icmp_echo_hdr {
	__u8   type;
	__u8   code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
};

static __always_inline int parse_icmp_echo(struct hdr_cursor *c, struct icmp_echo_hdr **icmpp)
{
	struct icmp_echo_hdr *icmp = c->pos;

	if ((void *)(icmp + 1) > c->end)
		return -XDPONG_R_TRUNCATED;

	*icmpp = icmp;
	c->pos = icmp + 1;
	return icmp->type;
}

/* IPv6 extension headers we look through, outer or quoted, and so the
 * deepest transport offset: each is at most 2048 bytes (RFC 8200 4.3). */
#define IPV6_EXT_MAX   4
#define MAX_L4_OFF     (MAX_L3_OFF + 40 + IPV6_EXT_MAX * 2048)

/* The IPv6 fragment header (RFC 8200 4.5); its offset in 8-byte units. */
struct ipv6_frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 identification;
};
#define IPV6_FRAG_OFFSET 0xfff8

/*
 * Walk IPv6 extension headers from @c: hop-by-hop, routing, destination
 * options, fragment, AH. Returns the upper-layer protocol, or -1 if the
 * chain is cut, too long, or this is not a first fragment (*@nonfirst).
 */
static __always_inline int skip_ipv6_ext(struct hdr_cursor *c, __u8 nexthdr, int *nonfirst)
{
	int i;

#pragma unroll
	for (i = 0; i < IPV6_EXT_MAX; i++) {
		struct ipv6_opt_hdr *h = c->pos;
		struct ipv6_frag_hdr *fh = c->pos;
		__u32 len;

		switch (nexthdr) {
		case XDPONG_IPV6_EXT_HOPOPTS:
		case XDPONG_IPV6_EXT_ROUTING:
		case XDPONG_IPV6_EXT_DSTOPTS:
			if ((void *)(h + 1) > c->end)
				return -1;
			len = (h->hdrlen + 1) * 8;
			break;
		case XDPONG_IPV6_EXT_AH:
			/* RFC 4302: the length in 4-byte units, minus 2 */
			if ((void *)(h + 1) > c->end)
				return -1;
			len = (h->hdrlen + 2) * 4;
			break;
		case XDPONG_IPV6_EXT_FRAGMENT:
			if ((void *)(fh + 1) > c->end)
				return -1;
			if (fh->frag_off & bpf_htons(IPV6_FRAG_OFFSET)) {
				*nonfirst = 1;
				return -1;
			}
			len = sizeof(*fh);
			break;
		default:
			return nexthdr;
		}
		if (c->pos + len > c->end)
			return -1;
		nexthdr = h->nexthdr;
		c->pos += len;
	}
	return -1;
}

#endif /* XDPONG_PARSING_H */
