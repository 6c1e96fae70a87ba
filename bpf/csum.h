/* SPDX-License-Identifier: GPL-2.0 */
/*
 * csum.h: Internet checksum arithmetic (RFC 1071) for verifying requests,
 * RFC 1624 incremental updates for building replies; summing a message
 * across the packet (blocks, fragments) is csum_packet.h's.
 *
 * One's complement sums do not depend on byte order (RFC 1071 2.B): every
 * value here is summed in the order it has in memory, so nothing is swapped.
 */
#ifndef XDPONG_CSUM_H
#define XDPONG_CSUM_H

#include <linux/bpf.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Add two 32-bit partial sums with the end-around carry. */
static __always_inline __u32 csum_add32(__u32 a, __u32 b)
{
	a += b;
	return a + (a < b);
}

/* Fold a 32-bit partial sum to 16 bits, carries included. */
static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/*
 * RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one 16-bit word changing from
 * @old to @new. Both folds are needed: the first sum can carry twice.
 * Correct for every input checksum, 0x0000 and 0xffff included.
 */
static __always_inline void csum_replace2(__sum16 *sum, __be16 old, __be16 new)
{
	__u32 s = (__u16)~*sum;

	s += (__u16)~old;
	s += new;
	*sum = ~csum_fold(s);
}

/*
 * The partial sum of the @n bytes at @p (@n a constant multiple of 4, @p
 * 4-byte aligned as the verifier counts packet offsets, NET_IP_ALIGN
 * included), added to @seed: @n / 4 loads and adds into 64 bits, folded
 * back to 32 (2^32 = 1 modulo 0xffff, so the fold keeps the sum). For the
 * fixed headers (the IPv4 header, the IPv6 addresses): no helper call.
 */
static __always_inline __u32 csum_inline(const void *p, int n, __u32 seed)
{
	const __u32 *w = p;
	__u64 s = seed;
	int i;

#pragma unroll
	for (i = 0; i < n / 4; i++)
		s += w[i];
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return s;
}

/* Does the 20-byte IPv4 header at @iph verify? */
static __always_inline int csum_ipv4_hdr_ok(const void *iph)
{
	return csum_fold(csum_inline(iph, 20, 0)) == 0xffff;
}

/* The IPv6 pseudo-header's sum (RFC 8200 8.1): the addresses of @ip6h, an
 * upper-layer length of @len, next header @nexthdr. */
static __always_inline __u32 csum_ipv6_pseudo(const struct ipv6hdr *ip6h, __u32 len, __u8 nexthdr)
{
	__u32 sum = csum_inline(&ip6h->saddr, 2 * sizeof(struct in6_addr), 0);

	sum = csum_add32(sum, bpf_htonl(len));
	return csum_add32(sum, bpf_htonl(nexthdr));
}

#endif /* XDPONG_CSUM_H */
