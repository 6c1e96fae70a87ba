/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h: the ring-buffer event of a message, within the sampling (1 in N
 * per family and type) and the per-second cap set in the config
 * (event_rate_ok(), shared_maps.h: the egress program's lost pings count
 * against it too): where the classifier writes what it finds, the round
 * trip of an echo reply (rtt.h), and the frame's first bytes at the end.
 */
#ifndef XDPONG_EVENTS_H
#define XDPONG_EVENTS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "maps.h"
#include "pkt.h"

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
	/* Unsigned: XDPONG_FAM_NONE wraps around and fails the test too. */
	__u32 fam = m->key.family - 1;
	struct xdpong_event *ev = NULL;
	__u32 zero = 0;
	__u16 n;

	*reserved = 0;
	if (fam >= XDPONG_NFAM)
		return NULL;
	n = cfg->sample[fam][m->key.type];
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
				      const struct msg_info *m)
{
	__u32 frame_len = bpf_xdp_get_buff_len(ctx);
	__u64 cap = frame_len < XDPONG_EVENT_SNAPLEN ? frame_len : XDPONG_EVENT_SNAPLEN;

	ev->ts_ns = bpf_ktime_get_ns();
	ev->ifindex = ctx->ingress_ifindex;
	ev->flags = m->flags;
	ev->family = m->key.family;
	ev->type = m->key.type;
	ev->code = m->key.code;
	ev->mtu = m->mtu;
	ev->rtt_ns = m->rtt_ns;
	ev->pkt_len = frame_len;
	/* The bound holds already; clang would fold it into a form the
	 * verifier can't follow, so it is restated on a value clang can't see
	 * through. */
	barrier_var(cap);
	if (cap < 1 || cap > XDPONG_EVENT_SNAPLEN ||
	    bpf_xdp_load_bytes(ctx, 0, ev->data, cap))
		cap = 0;
	ev->cap_len = cap;
	bpf_ringbuf_submit(ev, 0);
}

#endif /* XDPONG_EVENTS_H */
