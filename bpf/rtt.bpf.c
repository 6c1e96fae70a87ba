// SPDX-License-Identifier: GPL-2.0
/*
 * rtt.bpf.c: rtt_match() (rtt.h), a unit of its own linked into the XDP
 * program (Makefile: bpftool gen object): the host's echo reply matched to
 * the request that bpf/rtt_egress.bpf.c timed on its way out, settled and
 * counted in the round-trip maps (rtt_maps.h).
 *
 * A pending request moves WAITING -> REPLIED (in time) or -> LATE (a reply
 * past the timeout, before the sweep saw it), or LOST (the sweep) -> LATE.
 * Each move is a compare-and-swap, so a reply racing another reply, or the
 * sweep, on another CPU is counted once, under what it turned out to be.
 */
#include <linux/bpf.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>

#include "xdpong.h"
#include "xdpong_icmp.h"
#include "addrs.h"
#include "parsing.h"
#include "rtt_maps.h"
#include "rtt.h"

/* What a reply turned out to be. */
enum rtt_outcome {
	RTT_REPLIED,      /* in time: a round trip */
	RTT_LATE_UNSWEPT, /* past the timeout, the sweep not yet run: lost, and late */
	RTT_LATE,         /* to a request the sweep counted lost */
	RTT_DUPLICATE,    /* to a request already answered */
};

/* Move @v on by a reply that took @rtt; returns what it was. */
static __always_inline enum rtt_outcome rtt_settle(struct xdpong_rtt_pending *v, __u64 rtt,
						   __u64 timeout)
{
	__u32 state = v->state, want, prev;
	int i;

	/* Each failed swap means another CPU moved the state on, which it can
	 * do twice at most (WAITING -> LOST -> LATE): three rounds settle it. */
#pragma unroll
	for (i = 0; i < 3; i++) {
		if (state == XDPONG_RTT_WAITING)
			want = rtt <= timeout ? XDPONG_RTT_REPLIED : XDPONG_RTT_LATE;
		else if (state == XDPONG_RTT_LOST)
			want = XDPONG_RTT_LATE;
		else
			return RTT_DUPLICATE;
		prev = __sync_val_compare_and_swap(&v->state, state, want);
		if (prev == state) {
			if (state == XDPONG_RTT_LOST)
				return RTT_LATE;
			return want == XDPONG_RTT_REPLIED ? RTT_REPLIED : RTT_LATE_UNSWEPT;
		}
		state = prev;
	}
	return RTT_DUPLICATE;
}

/* Count @o (a trip of @rtt ns) in this CPU's slot @s of a row or a total. */
static __always_inline void rtt_count(struct xdpong_rtt_stats *s, enum rtt_outcome o, __u64 rtt)
{
	__u32 b;

	switch (o) {
	case RTT_REPLIED:
		b = xdpong_rtt_bucket(rtt);
		/* Always true; the verifier can't follow xdpong_rtt_bucket()'s bound. */
		if (b >= XDPONG_RTT_NBUCKETS)
			b = XDPONG_RTT_NBUCKETS - 1;
		/* Per-CPU slots: plain adds. */
		s->replied++;
		s->bucket[b]++;
		s->sum_ns += rtt;
		if (!s->min_ns || rtt < s->min_ns)
			s->min_ns = rtt;
		if (rtt > s->max_ns)
			s->max_ns = rtt;
		break;
	case RTT_LATE_UNSWEPT:
		s->lost++;
		s->late++;
		break;
	case RTT_LATE:
		s->late++;
		break;
	case RTT_DUPLICATE:
		s->duplicate++;
		break;
	}
}

/*
 * The echo reply at @l3_off/@l4_off, identified in @m: find the request it
 * answers (its key is the reply's, addresses swapped), settle it, count it,
 * and note it in @m for the message's event. A global function: the
 * verifier checks it once, apart from the entry point, whose stack (with the
 * classifier's) has no room for its keys; so it re-derives its packet
 * pointers from ctx and the offsets.
 */
__noinline int rtt_match(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
			 struct msg_info *m, const struct xdpong_config *cfg)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xdpong_rtt_prefix_key pk;
	struct xdpong_rtt_stats *row, *tot;
	struct xdpong_rtt_key key = {};
	struct xdpong_rtt_pending *v;
	struct icmp_echo_hdr *icmp;
	enum rtt_outcome o;
	__u64 rtt;

	/* The parser's bounds, restated for this separately verified function. */
	if (!m || !cfg || l3_off > MAX_L3_OFF || l4_off > MAX_L4_OFF)
		return 0;
	icmp = data + l4_off;
	if ((void *)(icmp + 1) > data_end)
		return 0;
	if (m->key.family == XDPONG_FAM_ICMP) {
		struct iphdr *iph = data + l3_off;

		if ((void *)(iph + 1) > data_end)
			return 0;
		key.family = 4;
		v4_mapped(key.local.addr, iph->daddr);
		v4_mapped(key.remote.addr, iph->saddr);
	} else {
		struct ipv6hdr *ip6h = data + l3_off;

		if ((void *)(ip6h + 1) > data_end)
			return 0;
		key.family = 6;
		__builtin_memcpy(key.local.addr, &ip6h->daddr, 16);
		__builtin_memcpy(key.remote.addr, &ip6h->saddr, 16);
	}
	key.id = icmp->id;
	key.seq = icmp->sequence;

	tot = rtt_total(key.family);
	if (!tot)
		return 0;
	v = bpf_map_lookup_elem(&XDPONG_MAP_RTT_PENDING, &key);
	if (!v) {
		/* Not a request of the host's timed here: another interface's,
		 * sent before attach, swept, or not a reply to us at all. */
		tot->unmatched++;
		return 0;
	}
	/* A request sent again since the lookup (the same identifier and
	 * sequence) can have reused the element: never a trip below zero. */
	rtt = bpf_ktime_get_ns();
	rtt = rtt > v->sent_ns ? rtt - v->sent_ns : 0;
	o = rtt_settle(v, rtt, rtt_timeout(cfg));

	rtt_prefix_key(&pk, key.family, key.remote.addr, cfg);
	row = rtt_row(&pk);
	if (row)
		rtt_count(row, o, rtt);
	rtt_count(tot, o, rtt);

	if (o == RTT_REPLIED)
		m->flags |= XDPONG_EV_RTT;
	else if (o == RTT_DUPLICATE)
		m->flags |= XDPONG_EV_RTT_DUP;
	else
		m->flags |= XDPONG_EV_RTT_LATE;
	/* A late reply's event carries its trip too: how late it was. */
	if (o != RTT_DUPLICATE)
		m->rtt_ns = rtt;
	return 0;
}
