/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtt.h: the XDP side of the host's own pings: an echo reply matched to the
 * request that bpf/rtt_egress.bpf.c timed on its way out (include/xdpong.h,
 * "Ping telemetry"). The reply's verdict is not ours to change: it goes on
 * to the kernel, and only the counters and the message's event learn of it.
 * The entry point's inline part is here; the matching, a global function,
 * is in rtt.bpf.c, a unit of its own linked into the program.
 */
#ifndef XDPONG_RTT_H
#define XDPONG_RTT_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpong.h"
#include "xdpong_icmp.h"
#include "pkt.h"

static __always_inline int is_echo_reply(const struct msg_info *m)
{
	return (m->key.family == XDPONG_FAM_ICMP && m->key.type == XDPONG_ICMP_ECHO_REPLY) ||
	       (m->key.family == XDPONG_FAM_ICMPV6 && m->key.type == XDPONG_ICMP6_ECHO_REPLY);
}

/*
 * The echo reply at @l3_off/@l4_off, identified in @m: find the request it
 * answers, settle it, count it, and note it in @m for the message's event
 * (rtt.bpf.c). A global function: the verifier checks it once, apart from
 * the entry point, whose stack (with the classifier's) has no room for its
 * keys. Returns 0.
 */
int rtt_match(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
	      struct msg_info *m, const struct xdpong_config *cfg);

/* Called for echo replies only, with XDPONG_F_RTT set: match the reply in
 * @p to the host's request; sets p->msg.rtt_ns and XDPONG_EV_RTT*. */
static __always_inline void rtt_match_reply(struct pkt *p, const struct xdpong_config *cfg)
{
	rtt_match(p->ctx, p->l3_off, p->l4_off, &p->msg, cfg);
}

#endif /* XDPONG_RTT_H */
