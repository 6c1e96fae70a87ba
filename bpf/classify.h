/* SPDX-License-Identifier: GPL-2.0 */
/*
 * classify.h: which ICMP, ICMPv6 or IGMP message a packet carries; for an
 * error, what its quoted original header says (inner addresses, protocol,
 * ports or ICMP id, whether we sent it), the reported MTU, the RFC 4884
 * length, the redirect gateway; and the event for the ring buffer, within
 * the sampling and the per-second cap set in the config.
 *
 * The findings go into struct msg_info, which stats.h counts at the exit.
 * Only the first 8 bytes of a quoted transport header are ever read.
 */
#ifndef XDPONG_CLASSIFY_H
#define XDPONG_CLASSIFY_H

#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "addrs.h"
#include "maps.h"
#include "parsing.h"

#define NSEC_PER_SEC   1000000000ULL
/* IPv6 extension headers we look through, outer or quoted. */
#define IPV6_EXT_MAX   4

static __always_inline int icmp4_is_error(__u8 type)
{
	/* dest-unreachable, source-quench, redirect, time-exceeded, param-problem */
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

/* The per-second cap over all CPUs. */
static __always_inline int event_rate_ok(const struct xdpong_config *cfg)
{
	struct xdpong_event_rate *r;
	__u32 zero = 0;
	__u64 now;

	r = bpf_map_lookup_elem(&XDPONG_MAP_EVENT_RATE, &zero);
	if (!r)
		return 0;
	now = bpf_ktime_get_ns();
	/* Two CPUs may open a new window at once and admit a few extra events:
	 * the cap is approximate by that much, and stays bounded. */
	if (now - r->window_ns >= NSEC_PER_SEC) {
		r->window_ns = now;
		r->count = 0;
	}
	return __sync_fetch_and_add(&r->count, 1) < cfg->event_rate;
}

/*
 * Where to parse the message into: the ring buffer when its event is due,
 * else, for an error or a redirect, whose details are counted anyway, a
 * per-CPU scratch event. Sets m->ev. NULL: nothing more to read (the hot
 * path for echo requests and other messages without events).
 */
static __always_inline struct xdpong_event *event_begin(const struct xdpong_config *cfg,
							 struct msg_info *m, int *reserved,
							 int detailed)
{
	__u16 n = cfg->sample[(m->key.family - 1) & 3][m->key.type];
	struct xdpong_event *ev = NULL;
	__u32 zero = 0;

	*reserved = 0;
	if (!n && !detailed)
		return NULL;
	if (!n) {
		m->ev = EV_NONE;
	} else if (n > 1 && bpf_get_prandom_u32() % n) {
		m->ev = EV_SAMPLED_OUT;
	} else if (!event_rate_ok(cfg)) {
		m->ev = EV_RATE_LIMITED;
	} else {
		ev = bpf_ringbuf_reserve(&XDPONG_MAP_EVENTS, sizeof(*ev), 0);
		m->ev = ev ? EV_SENT : EV_RING_FULL;
	}
	if (ev) {
		*reserved = 1;
		return ev;
	}
	return bpf_map_lookup_elem(&XDPONG_MAP_SCRATCH, &zero);
}

/* Finish the event: metadata and the frame's first bytes, then submit. */
static __always_inline void event_end(struct xdp_md *ctx, struct xdpong_event *ev,
				      const struct msg_info *m, __u32 frame_len)
{
	/* 64-bit, so that the verifier sees the very register that is checked. */
	__u64 cap = frame_len < XDPONG_EVENT_SNAPLEN ? frame_len : XDPONG_EVENT_SNAPLEN;

	ev->ts_ns = bpf_ktime_get_ns();
	ev->ifindex = ctx->ingress_ifindex;
	ev->flags = m->flags;
	ev->family = m->key.family;
	ev->type = m->key.type;
	ev->code = m->key.code;
	ev->mtu = m->mtu;
	ev->pkt_len = frame_len;
	asm volatile("" : "+r"(cap)); /* restated below for the verifier */
	if (cap < 1 || cap > XDPONG_EVENT_SNAPLEN ||
	    bpf_xdp_load_bytes(ctx, 0, ev->data, cap))
		cap = 0;
	ev->cap_len = cap;
	bpf_ringbuf_submit(ev, 0);
}

/* Ports (TCP, UDP, SCTP, DCCP, UDP-Lite) or ICMP/ICMPv6 id and sequence. */
static __always_inline void quote_transport(struct xdpong_event *ev, struct msg_info *m,
					    __u8 proto, __u8 *l4, void *data_end, int avail)
{
	ev->inner_proto = proto;
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_UDPLITE:
		if (avail < 4 || (void *)(l4 + 4) > data_end)
			return;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* Skip type, code and checksum: the id and sequence follow. */
		if (avail < 8 || (void *)(l4 + 8) > data_end)
			return;
		l4 += 4;
		break;
	default:
		return;
	}
	ev->inner_sport = bpf_ntohs(*(__be16 *)l4);
	ev->inner_dport = bpf_ntohs(*(__be16 *)(l4 + 2));
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
	if (!lookup_v4(cfg, q->saddr))
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
		__u8 *h = c->pos;
		__u32 len;

		switch (nexthdr) {
		case 0:   /* hop-by-hop */
		case 43:  /* routing */
		case 60:  /* destination options */
			if ((void *)(h + 2) > c->end)
				return -1;
			len = (h[1] + 1) * 8;
			break;
		case 51:  /* AH */
			if ((void *)(h + 2) > c->end)
				return -1;
			len = (h[1] + 2) * 4;
			break;
		case 44:  /* fragment */
			if ((void *)(h + 8) > c->end)
				return -1;
			if (((h[2] << 8) | h[3]) & 0xfff8) {
				*nonfirst = 1;
				return -1;
			}
			len = 8;
			break;
		default:
			return nexthdr;
		}
		if (c->pos + len > c->end)
			return -1;
		nexthdr = h[0];
		c->pos += len;
	}
	return -1;
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
	/* Any of the host's addresses: link-local ones are kept under 0 too. */
	if (!lookup_v6(cfg, &q->saddr, 0))
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

/*
 * RFC 4884: a non-zero length (IPv4: 32-bit words at byte 5; IPv6: 64-bit
 * words at byte 4) bounds the quoted datagram; extensions follow it.
 * Returns the number of bytes quoted.
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
 * An IPv4 packet at @l3_off whose protocol is ICMP or IGMP. A global
 * function: the verifier checks it once, apart from the caller's paths,
 * so it re-derives its packet pointers from ctx.
 */
__noinline int classify_ipv4(struct xdp_md *ctx, __u32 l3_off, __u32 frame_len,
			     struct msg_info *m, const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xdpong_event *ev;
	struct iphdr *iph;
	int reserved, body, proto;
	__u8 *l4;

	if (!m || !cfg || l3_off > MAX_L3_OFF)
		return 0;
	iph = data + l3_off;
	if ((void *)(iph + 1) > data_end || iph->ihl < 5)
		return 0;
	/* Only the first fragment carries the message header. */
	if (iph->frag_off & bpf_htons(IP_OFFSET))
		return 0;
	l4 = (__u8 *)iph + iph->ihl * 4;
	if ((void *)(l4 + 2) > data_end)
		return 0;
	proto = iph->protocol;
	m->key.family = proto == IPPROTO_ICMP ? XDPONG_FAM_ICMP : XDPONG_FAM_IGMP;
	m->key.type = l4[0];
	/* IGMP's second byte is a max response time, not a code. */
	m->key.code = proto == IPPROTO_ICMP ? l4[1] : 0;
	if (proto == IPPROTO_ICMP && icmp4_is_error(l4[0]))
		m->flags |= XDPONG_EV_ERROR;

	ev = event_begin(cfg, m, &reserved, (m->flags & XDPONG_EV_ERROR) != 0);
	if (!ev)
		return 0;
	v4_mapped(ev->src, iph->saddr);
	v4_mapped(ev->dst, iph->daddr);
	ev->inner_proto = 0;
	ev->inner_sport = ev->inner_dport = 0;

	if ((m->flags & XDPONG_EV_ERROR) && (void *)(l4 + 8) <= data_end) {
		body = (int)bpf_ntohs(iph->tot_len) - iph->ihl * 4 - 8;
		/* RFC 4884 lengths: dest-unreachable, time-exceeded, param-problem */
		if (l4[0] == 3 || l4[0] == 11 || l4[0] == 12)
			body = quoted_len(m, l4[5], 4, body);
		if (l4[0] == 3 && l4[1] == 4) {
			/* RFC 1191: the next-hop MTU in bytes 6-7 */
			m->mtu = bpf_ntohs(*(__be16 *)(l4 + 6));
			m->flags |= XDPONG_EV_MTU;
			if (m->mtu < 68)
				m->flags |= XDPONG_EV_MTU_LOW;
		}
		if (l4[0] == 5) {
			/* RFC 792: the gateway in bytes 4-7 */
			v4_mapped(ev->gateway, *(__be32 *)(l4 + 4));
			m->flags |= XDPONG_EV_GATEWAY;
		}
		quote_ipv4(cfg, ev, m, (struct iphdr *)(l4 + 8), data_end, body);
	}
	if (reserved)
		event_end(ctx, ev, m, frame_len);
	return 0;
}

/* Neighbour discovery (RFC 4861) needs hop limit 255: nobody routed it. */
static __always_inline int nd_type(__u8 type)
{
	return type >= 133 && type <= 137;
}

/* An IPv6 packet at @l3_off; a global function, as classify_ipv4(). @cfg is
 * the caller's: one config lookup per packet. */
__noinline int classify_ipv6(struct xdp_md *ctx, __u32 l3_off, __u32 frame_len,
			     struct msg_info *m, const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct hdr_cursor c;
	struct xdpong_event *ev;
	struct ipv6hdr *ip6h;
	int proto, nonfirst = 0, reserved, body;
	__u8 *l4;

	if (!m || l3_off > MAX_L3_OFF)
		return 0;
	ip6h = data + l3_off;
	if ((void *)(ip6h + 1) > data_end)
		return 0;
	c.pos = ip6h + 1;
	c.end = data_end;
	proto = skip_ipv6_ext(&c, ip6h->nexthdr, &nonfirst);
	if (proto != IPPROTO_ICMPV6)
		return 0;
	l4 = c.pos;
	if ((void *)(l4 + 2) > data_end || !cfg)
		return 0;
	m->key.family = XDPONG_FAM_ICMPV6;
	m->key.type = l4[0];
	m->key.code = l4[1];
	if (l4[0] < 128)
		m->flags |= XDPONG_EV_ERROR;
	if (nd_type(l4[0]) && ip6h->hop_limit != 255)
		m->flags |= XDPONG_EV_BAD_HOP_LIMIT;

	ev = event_begin(cfg, m, &reserved, (m->flags & XDPONG_EV_ERROR) || l4[0] == 137);
	if (!ev)
		return 0;
	__builtin_memcpy(ev->src, &ip6h->saddr, 16);
	__builtin_memcpy(ev->dst, &ip6h->daddr, 16);
	ev->inner_proto = 0;
	ev->inner_sport = ev->inner_dport = 0;

	if ((void *)(l4 + 8) <= data_end) {
		/* The ICMPv6 body: the payload less the extension headers and 8. */
		body = (int)bpf_ntohs(ip6h->payload_len) - (int)(l4 - (__u8 *)(ip6h + 1)) - 8;
		if (l4[0] == 137 && (void *)(l4 + 40) <= data_end) {
			/* ND redirect: target at 8, destination at 24; no quote here. */
			__builtin_memcpy(ev->gateway, l4 + 8, 16);
			m->flags |= XDPONG_EV_GATEWAY;
		}
		if (m->flags & XDPONG_EV_ERROR) {
			/* RFC 4884 lengths: dest-unreachable, time-exceeded */
			if (l4[0] == 1 || l4[0] == 3)
				body = quoted_len(m, l4[4], 8, body);
			if (l4[0] == 2) {
				/* RFC 4443 3.2: the MTU in bytes 4-7 */
				m->mtu = bpf_ntohl(*(__be32 *)(l4 + 4));
				m->flags |= XDPONG_EV_MTU;
				if (m->mtu < 1280)
					m->flags |= XDPONG_EV_MTU_LOW;
			}
			quote_ipv6(cfg, ev, m, (struct ipv6hdr *)(l4 + 8), data_end, body);
		}
	}
	if (reserved)
		event_end(ctx, ev, m, frame_len);
	return 0;
}

#endif /* XDPONG_CLASSIFY_H */
