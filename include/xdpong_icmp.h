/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdpong_icmp.h: the ICMP, ICMPv6 and IPv6 extension header numbers xdpong
 * acts on, named once for the XDP program (bpf/), the CLI (user/) and the
 * tests: RFC 792, 1191, 4443, 4861, 4884, 8200 and the IANA registries.
 * Prefixed, so as not to clash with <linux/icmp.h> and <netinet/icmp6.h>.
 */
#ifndef XDPONG_ICMP_H
#define XDPONG_ICMP_H

#include <linux/types.h>

/* ICMP types (RFC 792) and the one code we read (RFC 1191). */
enum {
	XDPONG_ICMP_ECHO_REPLY     = 0,
	XDPONG_ICMP_DEST_UNREACH   = 3,
	XDPONG_ICMP_SOURCE_QUENCH  = 4,
	XDPONG_ICMP_REDIRECT       = 5,
	XDPONG_ICMP_ECHO_REQUEST   = 8,
	XDPONG_ICMP_TIME_EXCEEDED  = 11,
	XDPONG_ICMP_PARAM_PROBLEM  = 12,
};
#define XDPONG_ICMP_FRAG_NEEDED 4 /* code of dest-unreachable: the next-hop MTU follows */

/* ICMPv6 types (RFC 4443, 4861). Types below 128 are errors. */
enum {
	XDPONG_ICMP6_DEST_UNREACH  = 1,
	XDPONG_ICMP6_PKT_TOO_BIG   = 2,
	XDPONG_ICMP6_TIME_EXCEEDED = 3,
	XDPONG_ICMP6_PARAM_PROBLEM = 4,
	XDPONG_ICMP6_ECHO_REQUEST  = 128,
	XDPONG_ICMP6_ECHO_REPLY    = 129,
	XDPONG_ICMP6_ND_FIRST      = 133, /* router solicitation */
	XDPONG_ICMP6_ND_NS         = 135, /* neighbour solicitation */
	XDPONG_ICMP6_ND_NA         = 136, /* neighbour advertisement */
	XDPONG_ICMP6_ND_LAST       = 137, /* redirect */
	XDPONG_ICMP6_ND_REDIRECT   = 137,
};

/* The ICMP error types, X(type): events for each by default, quotes read. */
#define XDPONG_ICMP4_ERRORS(X)                                        \
	X(XDPONG_ICMP_DEST_UNREACH) X(XDPONG_ICMP_SOURCE_QUENCH)      \
	X(XDPONG_ICMP_REDIRECT) X(XDPONG_ICMP_TIME_EXCEEDED)          \
	X(XDPONG_ICMP_PARAM_PROBLEM)

static inline int xdpong_icmp4_is_error(__u8 type)
{
#define XDPONG_IS_(t) || type == (t)
	return 0 XDPONG_ICMP4_ERRORS(XDPONG_IS_);
#undef XDPONG_IS_
}

static inline int xdpong_icmp6_is_error(__u8 type)
{
	return type < 128;
}

/* Neighbour discovery (RFC 4861): hop limit 255, or someone routed it. */
static inline int xdpong_icmp6_is_nd(__u8 type)
{
	return type >= XDPONG_ICMP6_ND_FIRST && type <= XDPONG_ICMP6_ND_LAST;
}

/* The errors that may carry an RFC 4884 length of the quoted datagram. */
static inline int xdpong_icmp4_has_rfc4884(__u8 type)
{
	return type == XDPONG_ICMP_DEST_UNREACH || type == XDPONG_ICMP_TIME_EXCEEDED ||
	       type == XDPONG_ICMP_PARAM_PROBLEM;
}

static inline int xdpong_icmp6_has_rfc4884(__u8 type)
{
	return type == XDPONG_ICMP6_DEST_UNREACH || type == XDPONG_ICMP6_TIME_EXCEEDED;
}

/* IPv6 extension headers (RFC 8200 4.1, the IANA list), X(number, name). */
#define XDPONG_IPV6_EXT_HEADERS(X)            \
	X(0,   "hop-by-hop options")          \
	X(43,  "routing")                     \
	X(44,  "fragment")                    \
	X(50,  "encapsulating security payload") \
	X(51,  "authentication")              \
	X(60,  "destination options")         \
	X(135, "mobility")                    \
	X(139, "host identity protocol")      \
	X(140, "shim6")                       \
	X(253, "experimentation")             \
	X(254, "experimentation")

static inline int xdpong_ipv6_is_ext_header(__u8 nexthdr)
{
	switch (nexthdr) {
#define XDPONG_EXT_CASE_(n, name) case n:
	XDPONG_IPV6_EXT_HEADERS(XDPONG_EXT_CASE_)
#undef XDPONG_EXT_CASE_
		return 1;
	}
	return 0;
}

/* The ones classify.h walks through to the upper layer (RFC 8200 4.3-4.6,
 * RFC 4302); ESP can't be looked through. */
#define XDPONG_IPV6_EXT_HOPOPTS   0
#define XDPONG_IPV6_EXT_ROUTING   43
#define XDPONG_IPV6_EXT_FRAGMENT  44
#define XDPONG_IPV6_EXT_AH        51
#define XDPONG_IPV6_EXT_DSTOPTS   60

#endif /* XDPONG_ICMP_H */
