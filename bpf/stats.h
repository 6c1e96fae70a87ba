/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats.h: per-CPU counting as the program returns, and the verdict:
 * record() for a packet that got as far as its message, record_reason() for
 * one that carries none (the parse stopped short, or not ICMP, ICMPv6 or
 * IGMP), whose reason is all there is to count. A packet touches one slot of XDPONG_MAP_STATS (an answered request one
 * counter of it: xdpong_stats_complete()); only an ICMP/ICMPv6/IGMP
 * message with a non-zero code also touches XDPONG_MAP_MSG_CODES (assigned
 * codes) or XDPONG_MAP_MSGS (the rest).
 */
#ifndef XDPONG_STATS_H
#define XDPONG_STATS_H

#include "maps.h"
#include "pkt.h"

static __always_inline void count(struct xdpong_counter *c, __u64 bytes)
{
	/* Per-CPU slots: plain adds, no atomics needed. */
	c->packets++;
	c->bytes += bytes;
}

static __always_inline void count_msg(struct xdpong_stats *st,
				      const struct xdpong_msg_key *msg, __u64 bytes)
{
	struct xdpong_counter *c, init = { 1, bytes };
	__u32 fam = msg->family - 1, type = msg->type;
	int slot;

	/* Unsigned: XDPONG_FAM_NONE wraps around and fails the test too. */
	if (fam >= XDPONG_NFAM)
		return;
	if (msg->code == 0) {
		/* Hides the index from the compiler's rewriting of the bounds check,
		 * which the verifier could not follow. */
		barrier_var(fam);
		if (fam < XDPONG_NFAM)
			count(&st->code0[fam][type & 0xff], bytes);
		return;
	}
	slot = xdpong_code_slot(msg->code);
	if (slot >= 0) {
		__u32 idx = xdpong_msg_code_index(fam + 1, type & 0xff, slot);

		c = bpf_map_lookup_elem(&XDPONG_MAP_MSG_CODES, &idx);
		if (c)
			count(c, bytes);
		return;
	}
	c = bpf_map_lookup_elem(&XDPONG_MAP_MSGS, msg);
	if (c) {
		count(c, bytes);
		return;
	}
	/* First of its class on this CPU: another CPU may insert it meanwhile. */
	if (bpf_map_update_elem(&XDPONG_MAP_MSGS, msg, &init, BPF_NOEXIST) == 0)
		return;
	c = bpf_map_lookup_elem(&XDPONG_MAP_MSGS, msg);
	if (c)
		count(c, bytes);
	else
		st->msg_table_full++;
}

/* What classify.h found about an error, a redirect, and the event. */
static __always_inline void count_details(struct xdpong_stats *st, const struct msg_info *m)
{
	struct xdpong_err_stats *e = &st->err[m->key.family == XDPONG_FAM_ICMPV6];
	__u32 f = m->flags;

	if (f & XDPONG_EV_ERROR) {
		e->errors++;
		if (f & XDPONG_EV_UNSOLICITED)
			e->unsolicited++;
		if (f & XDPONG_EV_QUOTE_BAD)
			e->quote_malformed++;
		if (f & XDPONG_EV_RFC4884)
			e->rfc4884++;
		if (f & XDPONG_EV_RFC4884_BAD)
			e->rfc4884_bad++;
	}
	if (f & XDPONG_EV_MTU) {
		__u32 b = xdpong_mtu_bucket(m->mtu);

		if (b < XDPONG_MTU_NBUCKETS)
			e->mtu[b]++;
		e->mtu_sum += m->mtu;
		if (f & XDPONG_EV_MTU_LOW)
			e->mtu_below_min++;
	}
	if (f & XDPONG_EV_GATEWAY) {
		e->redirects++;
		if (f & XDPONG_EV_BAD_HOP_LIMIT)
			e->redirect_bad_hop++;
	}
	switch (m->ev) {
	case EV_SENT:
		st->events.sent++;
		break;
	case EV_SAMPLED_OUT:
		st->events.sampled_out++;
		break;
	case EV_RATE_LIMITED:
		st->events.rate_limited++;
		break;
	case EV_RING_FULL:
		st->events.ring_full++;
		break;
	}
}

static __always_inline int xdp_action_of(enum xdpong_reason reason)
{
	switch (xdpong_reason_action(reason)) {
	case XDPONG_ACT_TX:
		return XDP_TX;
	case XDPONG_ACT_DROP:
		return XDP_DROP;
	default:
		return XDP_PASS;
	}
}

/*
 * A packet that carries no message (its parse stopped short, or it is not
 * ICMP, ICMPv6 or IGMP): counted under its reason alone, which is all
 * record() would count of it. The common case on a busy host, kept short.
 */
static __always_inline int record_reason(enum xdpong_reason reason, __u64 bytes)
{
	__u32 zero = 0;
	struct xdpong_stats *st = bpf_map_lookup_elem(&XDPONG_MAP_STATS, &zero);

	if (st && reason < XDPONG_R_MAX)
		count(&st->reason[reason], bytes);
	return xdp_action_of(reason);
}

/* Count the packet under its reason and message class; return the verdict. */
static __always_inline int record(enum xdpong_reason reason,
				  const struct msg_info *msg, __u64 bytes)
{
	__u32 zero = 0;
	struct xdpong_stats *st = bpf_map_lookup_elem(&XDPONG_MAP_STATS, &zero);

	if (st) {
		/* What the kernel's ICMP MIB misses, by family. An answered
		 * request counts here alone: its reason and class follow
		 * (xdpong_stats_complete()). */
		if (reason == XDPONG_R_REPLIED) {
			count(&st->echo_replied[msg->key.family == XDPONG_FAM_ICMPV6], bytes);
		} else {
			if (reason < XDPONG_R_MAX)
				count(&st->reason[reason], bytes);
			count_msg(st, &msg->key, bytes);
			if (reason == XDPONG_R_RATE_DROP)
				count(&st->echo_dropped[msg->key.family == XDPONG_FAM_ICMPV6], bytes);
		}
		if (msg->flags || msg->ev)
			count_details(st, msg);
	}
	return xdp_action_of(reason);
}

#endif /* XDPONG_STATS_H */
