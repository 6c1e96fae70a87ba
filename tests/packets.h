/* SPDX-License-Identifier: GPL-2.0 */
/*
 * packets.h: builds Ethernet frames for the tests from a plain description,
 * with every checksum computed from scratch (RFC 1071) by code that shares
 * nothing with the XDP program's helpers. The expected Echo Reply is built
 * the same way from the request's description, so comparing it byte by byte
 * with the program's output checks the incremental updates against a full
 * recomputation.
 */
#ifndef XDPONG_TEST_PACKETS_H
#define XDPONG_TEST_PACKETS_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#define FRAME_MAX 16384

enum { ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd, ETHERTYPE_ARP = 0x0806,
       ETHERTYPE_8021Q = 0x8100, ETHERTYPE_8021AD = 0x88a8 };

struct frame_spec {
	int family;                 /* 4 or 6 */
	int vlans;                  /* number of VLAN tags, outer first in vlan_proto */
	uint16_t vlan_proto[4];
	uint16_t vlan_tci[4];       /* 0: VLAN 100, 101, ... with priority 0 */
	uint8_t dst_mac[6], src_mac[6];
	uint8_t src[16], dst[16];   /* IPv4: the first 4 bytes */
	uint8_t ttl;                /* TTL or hop limit */
	uint8_t tos;                /* TOS or traffic class */
	uint32_t flow;              /* IPv6 flow label */
	uint16_t ip_id;
	uint16_t frag;              /* IPv4 flags + fragment offset, host order */
	int opt_len;                /* IPv4 option bytes, a multiple of 4 */
	int version;                /* 0: the family's; else written into the header */
	int ihl;                    /* 0: computed; else written into the header */
	uint8_t proto;              /* 0: ICMP/ICMPv6; else the (first) next protocol */
	int ext;                    /* IPv6: an 8-byte extension header first ... */
	uint8_t ext_type;           /* ... of this type (0: hop-by-hop) */
	uint8_t type, code;
	uint16_t id, seq;
	int payload_len;
	uint8_t fill;               /* payload byte i is fill + i */
	uint16_t filler;            /* the first two payload bytes, if payload_len >= 2 */
	const uint8_t *payload;     /* if set, the payload itself (payload_len bytes) */
	int ip_len_delta;           /* added to the IP length field */
	int no_pseudo;              /* IPv6: compute the checksum without the pseudo-header */
	int bad_ip_csum, bad_icmp_csum;
	int icmp_csum_ffff;         /* store a computed 0x0000 as 0xffff */
	int pad;                    /* bytes after the IP datagram (Ethernet padding) */
	int truncate;               /* bytes cut off the end of the frame */
	int corrupt_at;             /* payload byte corrupt_at - 1 changed after the
				     * checksum was computed (0: none) */
};

/* RFC 1071, the textbook way: 16-bit big-endian words, carries folded at the end. */
static inline uint32_t ref_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static inline uint16_t ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static inline uint16_t ref_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	return ~ref_fold(ref_sum(p, len, sum)) & 0xffff;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

/* IPv6 pseudo-header sum (RFC 8200 8.1) for an ICMPv6 message of len bytes. */
static inline uint32_t ref_pseudo6(const uint8_t *src, const uint8_t *dst, uint32_t len)
{
	uint32_t sum = ref_sum(src, 16, 0);

	sum = ref_sum(dst, 16, sum);
	sum += len >> 16;
	sum += len & 0xffff;
	return sum + 58;
}

static inline size_t l2_len(const struct frame_spec *s)
{
	return 14 + 4 * s->vlans;
}

/* Build the frame described by s into buf; returns its length. */
static inline size_t build_frame(const struct frame_spec *s, uint8_t *buf)
{
	size_t off = 0, l3, l4, icmp_len, ip_hlen, total;
	uint16_t ethertype = s->family == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
	uint16_t csum;
	int i;

	memset(buf, 0, FRAME_MAX);
	memcpy(buf, s->dst_mac, 6);
	memcpy(buf + 6, s->src_mac, 6);
	off = 12;
	for (i = 0; i < s->vlans; i++) {
		put16(buf + off, s->vlan_proto[i]);
		put16(buf + off + 2, s->vlan_tci[i] ? s->vlan_tci[i] : 100 + i);
		off += 4;
	}
	put16(buf + off, ethertype);
	l3 = off + 2;

	icmp_len = 8 + s->payload_len;
	if (s->family == 4) {
		uint8_t *ip = buf + l3;

		ip_hlen = 20 + s->opt_len;
		l4 = l3 + ip_hlen;
		ip[0] = (s->version ? s->version : 4) << 4 | (s->ihl ? (size_t)s->ihl : ip_hlen / 4);
		ip[1] = s->tos;
		put16(ip + 2, ip_hlen + icmp_len + s->ip_len_delta);
		put16(ip + 4, s->ip_id);
		put16(ip + 6, s->frag);
		ip[8] = s->ttl;
		ip[9] = s->proto ? s->proto : 1;
		memcpy(ip + 12, s->src, 4);
		memcpy(ip + 16, s->dst, 4);
		for (i = 0; i < s->opt_len; i++)
			ip[20 + i] = 1; /* NOP options */
	} else {
		uint8_t *ip = buf + l3;
		int ext = s->ext ? 8 : 0;

		ip_hlen = 40 + ext;
		l4 = l3 + ip_hlen;
		ip[0] = (s->version ? s->version : 6) << 4 | s->tos >> 4;
		ip[1] = (s->tos & 0xf) << 4 | ((s->flow >> 16) & 0xf);
		put16(ip + 2, s->flow & 0xffff);
		put16(ip + 4, ext + icmp_len + s->ip_len_delta);
		ip[6] = s->ext ? s->ext_type : (s->proto ? s->proto : 58);
		ip[7] = s->ttl;
		memcpy(ip + 8, s->src, 16);
		memcpy(ip + 24, s->dst, 16);
		if (ext) {
			ip[40] = s->proto ? s->proto : 58; /* next header; length 0: 8 bytes */
			ip[42] = 1;                        /* PadN option, 4 bytes of padding */
			ip[43] = 4;
		}
	}

	buf[l4] = s->type;
	buf[l4 + 1] = s->code;
	put16(buf + l4 + 4, s->id);
	put16(buf + l4 + 6, s->seq);
	for (i = 0; i < s->payload_len; i++)
		buf[l4 + 8 + i] = s->fill + i;
	if (s->payload)
		memcpy(buf + l4 + 8, s->payload, s->payload_len);
	else if (s->payload_len >= 2)
		put16(buf + l4 + 8, s->filler);

	if (s->family == 4 || s->no_pseudo)
		csum = ref_csum(buf + l4, icmp_len, 0);
	else
		csum = ref_csum(buf + l4, icmp_len, ref_pseudo6(s->src, s->dst, icmp_len));
	if (csum == 0 && s->icmp_csum_ffff)
		csum = 0xffff;
	if (s->bad_icmp_csum)
		csum ^= 0x0100;
	put16(buf + l4 + 2, csum);
	if (s->corrupt_at)
		buf[l4 + 8 + s->corrupt_at - 1] ^= 0x40;

	if (s->family == 4) {
		csum = ref_csum(buf + l3, ip_hlen, 0);
		put16(buf + l3 + 10, s->bad_ip_csum ? csum ^ 0x0001 : csum);
	}

	total = l4 + icmp_len + s->pad;
	for (i = 0; i < s->pad; i++)
		buf[l4 + icmp_len + i] = 0xa5; /* padding need not be zero */
	return total - s->truncate;
}

/*
 * The Echo Reply the kernel would send for the request in s: MACs and
 * addresses swapped, TTL/hop limit set, the reply type, no padding, every
 * other field as in the request.
 */
static inline struct frame_spec reply_spec(const struct frame_spec *s, uint8_t ttl)
{
	struct frame_spec r = *s;

	memcpy(r.dst_mac, s->src_mac, 6);
	memcpy(r.src_mac, s->dst_mac, 6);
	memcpy(r.src, s->dst, 16);
	memcpy(r.dst, s->src, 16);
	r.ttl = ttl;
	r.type = s->family == 4 ? 0 : 129;
	/* The kernel's reply: the VLAN device's tag at priority 0 (an empty
	 * egress map); the IPv4 reserved flag clear (RFC 791). */
	for (int i = 0; i < 4; i++)
		r.vlan_tci[i] = (s->vlan_tci[i] ? s->vlan_tci[i] : 100 + i) & 0x0fff;
	r.frag = s->frag & ~0x8000;
	r.pad = 0;
	r.icmp_csum_ffff = 0;
	return r;
}

/* Checks a frame's IPv4 header and ICMP/ICMPv6 checksums from scratch. */
static inline int ref_checksums_ok(const uint8_t *f, size_t len, int vlans)
{
	size_t l3 = 14 + 4 * vlans;

	if (len < l3 + 20)
		return 0;
	if ((f[l3] >> 4) == 4) {
		size_t hl = (f[l3] & 0xf) * 4, tot = get16(f + l3 + 2);

		if (tot > len - l3)
			return 0;
		return ref_fold(ref_sum(f + l3, hl, 0)) == 0xffff &&
		       ref_fold(ref_sum(f + l3 + hl, tot - hl, 0)) == 0xffff;
	} else {
		size_t plen = get16(f + l3 + 4);

		if (len < l3 + 40 || plen > len - l3 - 40)
			return 0;
		return ref_fold(ref_sum(f + l3 + 40, plen,
					ref_pseudo6(f + l3 + 8, f + l3 + 24, plen))) == 0xffff;
	}
}

#endif /* XDPONG_TEST_PACKETS_H */
