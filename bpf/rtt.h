/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtt.h: the XDP side of ping telemetry: an echo reply matched to the
 * host's request that bpf/rtt_egress.bpf.c timed (include/xdpong.h).
 * PLACEHOLDER: the contract only; the matching is being written.
 */
#ifndef XDPONG_RTT_H
#define XDPONG_RTT_H

#include "pkt.h"
#include "xdpong_icmp.h"

static __always_inline int is_echo_reply(const struct msg_info *m)
{
	return (m->key.family == XDPONG_FAM_ICMP && m->key.type == XDPONG_ICMP_ECHO_REPLY) ||
	       (m->key.family == XDPONG_FAM_ICMPV6 && m->key.type == XDPONG_ICMP6_ECHO_REPLY);
}

/* Match the reply in @p to its request; sets p->msg.rtt_ns and XDPONG_EV_RTT*. */
static __always_inline void rtt_match_reply(struct pkt *p, const struct xdpong_config *cfg)
{
}

#endif /* XDPONG_RTT_H */
