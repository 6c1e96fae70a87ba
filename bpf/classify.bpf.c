// SPDX-License-Identifier: GPL-2.0
/*
 * classify.bpf.c: the classifier's global functions (classify.h), a unit of
 * its own linked into the XDP program (Makefile: bpftool gen object). For an
 * ICMP or ICMPv6 error, what its quoted original header says (inner
 * addresses, protocol, ports or ICMP id, whether we sent it), the reported
 * MTU, the RFC 4884 length, the redirect gateway: into struct msg_info, and
 * the event (events.h) gets the details.
 *
 * Fields are read through the structs below, named after the RFCs that
 * define them. Only the first 8 bytes of a quoted transport header are ever
 * read.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdpong_icmp.h"
#include "maps.h"
#include "parsing.h"
#include "addrs.h"
#include "events.h"
#include "classify.h"

/* The first 8 bytes of an ICMP error (RFC 792, 1191, 4884). */
struct icmp_err_hdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	union {
		struct {
			__u8 pointer;  /* parameter problem */
			__u8 length;   /* RFC 4884: the quoted datagram, in 32-bit words */
			__be16 mtu;    /* frag-needed: the next hop's MTU (RFC 1191) */
		} err;
		__be32 gateway;        /* redirect */
	} un;
};

/* The first 8 bytes of an ICMPv6 error (RFC 4443, 4884). */
struct icmp6_err_hdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	union {
		__be32 mtu;            /* packet too big */
		struct {
			__u8 length;   /* RFC 4884: the quoted datagram, in 64-bit words */
			__u8 unused[3];
		} err;
	} un;
};

/* An ND redirect (RFC 4861 4.5): the better first hop, then the destination. */
struct nd_redirect {
	struct icmp6_err_hdr hdr;      /* its 4 bytes after the checksum are reserved */
	struct in6_addr target;
	struct in6_addr dest;
};

/* The part of a quoted transport header we read: the ports, or an ICMP
 * echo's id and sequence (struct icmp_echo_hdr, parsing.h). */
struct quoted_ports {
	__be16 source;
	__be16 dest;
};

/* Ports (TCP, UDP, SCTP, DCCP, UDP-Lite) or ICMP/ICMPv6 id and sequence. */
static __always_inline void quote_transport(struct xdpong_event *ev, struct msg_info *m,
					    __u8 proto, void *l4, void *data_end, int avail)
{
	struct icmp_echo_hdr *echo = l4;
	struct quoted_ports *ports;
	int need;

	ev->inner_proto = proto;
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_UDPLITE:
		ports = l4;
		need = sizeof(*ports);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		ports = (struct quoted_ports *)&echo->id;
		need = sizeof(*echo);
		break;
	default:
		return;
	}
	if (avail < need || (void *)(ports + 1) > data_end)
		return;
	ev->inner_sport = bpf_ntohs(ports->source);
	ev->inner_dport = bpf_ntohs(ports->dest);
	m->flags |= XDPONG_EV_PORTS;
}

/* The quoted IPv4 header at @q, @qlen bytes of it quoted. */
static __always_inline void quote_ipv4(const struct xdpong_config *cfg,
				       struct xdpong_event *ev, struct msg_info *m,
				       struct iphdr *q, void *data_end, int qlen)
{
	int hlen;

	if (qlen < (int)sizeof(*q) || (void *)(q + 1) > data_end ||
	    q->version != 4 || q->ihl < 5) {
		m->flags |= XDPONG_EV_QUOTE_BAD;
		return;
	}
	m->flags |= XDPONG_EV_QUOTE;
	v4_mapped(ev->inner_src, q->saddr);
	v4_mapped(ev->inner_dst, q->daddr);
	if (!quoted_src_ours_v4(cfg, q->saddr))
		m->flags |= XDPONG_EV_UNSOLICITED;
	hlen = q->ihl * 4;
	if (qlen < hlen) {
		m->flags |= XDPONG_EV_QUOTE_BAD;
		return;
	}
	/* A non-first fragment quotes no transport header. */
	if (q->frag_off & bpf_htons(IP_OFFSET)) {
		ev->inner_proto = q->protocol;
		return;
	}
	quote_transport(ev, m, q->protocol, (__u8 *)q + hlen, data_end, qlen - hlen);
}

/* The quoted IPv6 header at @q, @qlen bytes of it quoted. */
static __always_inline void quote_ipv6(const struct xdpong_config *cfg,
				       struct xdpong_event *ev, struct msg_info *m,
				       struct ipv6hdr *q, void *data_end, int qlen)
{
	struct hdr_cursor c = { .pos = q + 1, .end = data_end };
	int proto, nonfirst = 0, used;

	if (qlen < (int)sizeof(*q) || (void *)(q + 1) > data_end || q->version != 6) {
		m->flags |= XDPONG_EV_QUOTE_BAD;
		return;
	}
	m->flags |= XDPONG_EV_QUOTE;
	__builtin_memcpy(ev->inner_src, &q->saddr, 16);
	__builtin_memcpy(ev->inner_dst, &q->daddr, 16);
	if (!quoted_src_ours_v6(cfg, &q->saddr))
		m->flags |= XDPONG_EV_UNSOLICITED;
	proto = skip_ipv6_ext(&c, q->nexthdr, &nonfirst);
	if (proto < 0) {
		/* Quoted headers cut short; a later fragment has none to read. */
		if (!nonfirst)
			m->flags |= XDPONG_EV_QUOTE_BAD;
		return;
	}
	used = (__u8 *)c.pos - (__u8 *)q;
	if (used > qlen) {
		m->flags |= XDPONG_EV_QUOTE_BAD;
		return;
	}
	quote_transport(ev, m, proto, c.pos, data_end, qlen - used);
}

/* The error quotes one of the host's own packets: a path MTU or a redirect
 * in it may make the kernel keep an exception for where the packet went
 * (exceptions.h). */
static __always_inline int quotes_ours(const struct msg_info *m)
{
	return (m->flags & (XDPONG_EV_QUOTE | XDPONG_EV_UNSOLICITED)) == XDPONG_EV_QUOTE;
}

/*
 * RFC 4884: a non-zero length (IPv4: 32-bit words; IPv6: 64-bit words)
 * bounds the quoted datagram; extensions follow it. Returns the number of
 * bytes quoted.
 */
static __always_inline int quoted_len(struct msg_info *m, __u8 len_field, int unit, int body)
{
	int len = len_field * unit;

	if (!len_field)
		return body;
	m->flags |= XDPONG_EV_RFC4884;
	if (len > body) {
		m->flags |= XDPONG_EV_RFC4884_BAD;
		return body;
	}
	return len;
}

/*
 * An IPv4 packet at @l3_off whose protocol is ICMP or IGMP, its message at
 * @l4_off as the parser found them, identified in @m: the event and the
 * details. A global function: the verifier checks
 * it once, apart from the caller's paths, so it re-derives its packet
 * pointers from ctx and the offsets.
 */
__noinline int classify_ipv4(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
			     struct msg_info *m, const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct icmp_err_hdr *icmp;
	struct xdpong_event *ev;
	struct iphdr *iph;
	int reserved, body;

	if (!m || !cfg || l3_off > MAX_L3_OFF || l4_off > MAX_L3_OFF + 60)
		return 0;
	iph = data + l3_off;
	if ((void *)(iph + 1) > data_end)
		return 0;
	icmp = data + l4_off;
	if ((void *)&icmp->checksum > data_end)
		return 0;
	ev = event_begin(cfg, m, &reserved, (m->flags & XDPONG_EV_ERROR) != 0);
	if (!ev)
		return 0;
	v4_mapped(ev->src, iph->saddr);
	v4_mapped(ev->dst, iph->daddr);
	ev->inner_proto = 0;
	ev->inner_sport = ev->inner_dport = 0;

	if ((m->flags & XDPONG_EV_ERROR) && (void *)(icmp + 1) <= data_end) {
		body = (int)bpf_ntohs(iph->tot_len) - iph->ihl * 4 - (int)sizeof(*icmp);
		if (xdpong_icmp4_has_rfc4884(icmp->type))
			body = quoted_len(m, icmp->un.err.length, 4, body);
		if (icmp->type == XDPONG_ICMP_DEST_UNREACH && icmp->code == XDPONG_ICMP_FRAG_NEEDED) {
			m->mtu = bpf_ntohs(icmp->un.err.mtu);
			m->flags |= XDPONG_EV_MTU;
			if (m->mtu < 68)
				m->flags |= XDPONG_EV_MTU_LOW;
		}
		if (icmp->type == XDPONG_ICMP_REDIRECT) {
			v4_mapped(ev->gateway, icmp->un.gateway);
			m->flags |= XDPONG_EV_GATEWAY;
		}
		quote_ipv4(cfg, ev, m, (struct iphdr *)(icmp + 1), data_end, body);
		if (quotes_ours(m) && (m->flags & (XDPONG_EV_MTU | XDPONG_EV_GATEWAY)))
			exception_note(ev->inner_dst);
	}
	if (reserved)
		event_end(ctx, ev, m);
	return 0;
}

/* An IPv6 packet at @l3_off with ICMPv6 at @l4_off; a global function, as
 * classify_ipv4(). @cfg is the caller's: one config lookup per packet. */
__noinline int classify_ipv6(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
			     struct msg_info *m, const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct icmp6_err_hdr *icmp;
	struct nd_redirect *redir;
	struct xdpong_event *ev;
	struct ipv6hdr *ip6h;
	int reserved, body;

	/* The extension headers the parser walked: at most IPV6_EXT_MAX. */
	if (!m || l3_off > MAX_L3_OFF || l4_off > MAX_L4_OFF)
		return 0;
	ip6h = data + l3_off;
	if ((void *)(ip6h + 1) > data_end)
		return 0;
	icmp = data + l4_off;
	if ((void *)&icmp->checksum > data_end || !cfg)
		return 0;
	ev = event_begin(cfg, m, &reserved,
			 (m->flags & XDPONG_EV_ERROR) || icmp->type == XDPONG_ICMP6_ND_REDIRECT);
	if (!ev)
		return 0;
	__builtin_memcpy(ev->src, &ip6h->saddr, 16);
	__builtin_memcpy(ev->dst, &ip6h->daddr, 16);
	ev->inner_proto = 0;
	ev->inner_sport = ev->inner_dport = 0;

	if ((void *)(icmp + 1) <= data_end) {
		/* The ICMPv6 body: the payload less the extension headers and 8. */
		body = (int)bpf_ntohs(ip6h->payload_len) - (int)((void *)icmp - (void *)(ip6h + 1)) -
		       (int)sizeof(*icmp);
		redir = (struct nd_redirect *)icmp;
		if (icmp->type == XDPONG_ICMP6_ND_REDIRECT && (void *)(redir + 1) <= data_end) {
			/* No quote here: the better first hop is the event's gateway. */
			__builtin_memcpy(ev->gateway, &redir->target, 16);
			m->flags |= XDPONG_EV_GATEWAY;
			exception_note(redir->dest.s6_addr);
		}
		if (m->flags & XDPONG_EV_ERROR) {
			if (xdpong_icmp6_has_rfc4884(icmp->type))
				body = quoted_len(m, icmp->un.err.length, 8, body);
			if (icmp->type == XDPONG_ICMP6_PKT_TOO_BIG) {
				m->mtu = bpf_ntohl(icmp->un.mtu);
				m->flags |= XDPONG_EV_MTU;
				if (m->mtu < 1280)
					m->flags |= XDPONG_EV_MTU_LOW;
			}
			quote_ipv6(cfg, ev, m, (struct ipv6hdr *)(icmp + 1), data_end, body);
			if (quotes_ours(m) && (m->flags & XDPONG_EV_MTU))
				exception_note(ev->inner_dst);
		}
	}
	if (reserved)
		event_end(ctx, ev, m);
	return 0;
}
