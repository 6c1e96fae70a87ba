/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pkt.h: what one packet's parse found, shared by the entry point, the
 * classifier, the echo handlers and the counting at the exit. Filled once,
 * by parsing.h and classify.h; nothing after them re-reads the headers'
 * layout.
 */
#ifndef XDPONG_PKT_H
#define XDPONG_PKT_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include "xdpong.h"

/* We look through at most this many VLAN tags (802.1Q, 802.1ad). */
#define VLAN_MAX_DEPTH 2

struct hdr_cursor {
	void *pos;
	void *end;
};

/* What happened to the event of a message (events.h). */
enum ev_result { EV_NONE = 0, EV_SENT, EV_SAMPLED_OUT, EV_RATE_LIMITED, EV_RING_FULL };

/* The message a packet carries, as classify.h found it. */
struct msg_info {
	struct xdpong_msg_key key;  /* family XDPONG_FAM_NONE: not a message */
	__u32 flags;                /* XDPONG_EV_* */
	__u32 mtu;
	__u8 ev;                    /* enum ev_result */
	__u64 rtt_ns;               /* XDPONG_EV_RTT: an echo reply's round trip (rtt.h) */
};

/* The VLAN tags a frame carries on the wire, outer first. */
struct vlan_tags {
	__be16 tpid[VLAN_MAX_DEPTH];
	__be16 tci[VLAN_MAX_DEPTH];
	__u32 n;
};

/*
 * What a check returns when it has no objection. Not a reason: no packet is
 * ever counted under it, so "answer it" (XDPONG_R_REPLIED) and "go on" can't
 * be mistaken for each other.
 */
#define GO_ON ((enum xdpong_reason)XDPONG_R_MAX)

/* One packet, parsed once: each header's place, for every stage after. */
struct pkt {
	struct xdp_md *ctx;
	struct hdr_cursor c;
	struct ethhdr *eth;
	struct vlan_tags vlans;
	__u32 frame_len;            /* linear area + fragments */
	__u32 l3_off;               /* offset of the IP header */
	__u32 l4_off;               /* offset of the transport header */
	int l4_proto;               /* its protocol; -1: an IPv6 chain we can't walk */
	__u8 family;                /* 4 or 6 */
	__u8 ip6_first_nexthdr;     /* IPv6: the fixed header's next header */
	struct iphdr *iph;          /* family 4 */
	struct ipv6hdr *ip6h;       /* family 6 */
	struct msg_info msg;
};

#endif /* XDPONG_PKT_H */
