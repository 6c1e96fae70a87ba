/* SPDX-License-Identifier: GPL-2.0 */
/*
 * classify.h: which ICMP, ICMPv6 or IGMP message a packet carries, inline in
 * the entry point (identify_message(), wants_details()); and, where its
 * details are wanted, the classifier's global functions, whose bodies are in
 * classify.bpf.c, a unit of their own linked into the program: for an error,
 * what its quoted original header says, the reported MTU, the RFC 4884
 * length, the redirect gateway. The findings go into struct msg_info, which
 * stats.h counts at the exit; the event (events.h) gets the details.
 */
#ifndef XDPONG_CLASSIFY_H
#define XDPONG_CLASSIFY_H

#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdpong.h"
#include "xdpong_icmp.h"
#include "parsing.h"
#include "pkt.h"

/*
 * The message a packet carries, from the parse: family, type, code, and
 * whether it is an error. Inline and cheap: every message is counted by it,
 * and only those whose details are wanted (wants_details()) go on to the
 * classifier's global functions (classify.bpf.c).
 */
static __always_inline void identify_message(struct pkt *p)
{
	struct msg_info *m = &p->msg;
	/* Every message's first two bytes, as the echo header has them: type
	 * and code (for IGMP: type and max response time). */
	struct msg_start {
		__u8 type;
		__u8 code;
	} *h = p->c.pos;

	if ((void *)(h + 1) > p->c.end)
		return;
	if (p->iph) {
		/* Only the first fragment carries the message header. */
		if (p->iph->frag_off & bpf_htons(IP_OFFSET))
			return;
		if (p->l4_proto == IPPROTO_ICMP) {
			m->key.family = XDPONG_FAM_ICMP;
			m->key.code = h->code;
			if (xdpong_icmp4_is_error(h->type))
				m->flags |= XDPONG_EV_ERROR;
		} else if (p->l4_proto == IPPROTO_IGMP) {
			/* IGMP's second byte is a max response time, not a code. */
			m->key.family = XDPONG_FAM_IGMP;
		} else {
			return;
		}
	} else if (p->ip6h && p->l4_proto == IPPROTO_ICMPV6) {
		m->key.family = XDPONG_FAM_ICMPV6;
		m->key.code = h->code;
		if (xdpong_icmp6_is_error(h->type))
			m->flags |= XDPONG_EV_ERROR;
		if (xdpong_icmp6_is_nd(h->type) && p->ip6h->hop_limit != 255)
			m->flags |= XDPONG_EV_BAD_HOP_LIMIT;
	} else {
		return;
	}
	m->key.type = h->type;
}

/* Whether the classifier must read on: an event may be due (sampling), or
 * an error's or a redirect's details are counted. */
static __always_inline int wants_details(const struct xdpong_config *cfg,
					 const struct msg_info *m)
{
	/* Unsigned: XDPONG_FAM_NONE wraps around and fails the test too. */
	__u32 fam = m->key.family - 1;

	if (fam >= XDPONG_NFAM)
		return 0;
	return cfg->sample[fam][m->key.type] ||
	       (m->flags & XDPONG_EV_ERROR) ||
	       (m->key.family == XDPONG_FAM_ICMPV6 && m->key.type == XDPONG_ICMP6_ND_REDIRECT);
}

/*
 * The classifier's global functions (classify.bpf.c): the details of the
 * IPv4 (ICMP or IGMP) or IPv6 (ICMPv6) packet at @l3_off, its message at
 * @l4_off as the parser found them, identified in @m, into @m and the
 * event. Each is verified once, apart from the entry point's paths, against
 * this prototype. Return 0.
 */
int classify_ipv4(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
		  struct msg_info *m, const struct xdpong_config *cfg);
int classify_ipv6(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
		  struct msg_info *m, const struct xdpong_config *cfg);

#endif /* XDPONG_CLASSIFY_H */
