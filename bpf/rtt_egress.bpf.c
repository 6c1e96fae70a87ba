// SPDX-License-Identifier: GPL-2.0
/*
 * rtt_egress.bpf.c: the egress side of the host's own pings. A tcx egress
 * program, of its own object, that `xdpong attach` loads beside the XDP
 * program with the XDP program's maps (user/rtt_egress.c): it timestamps
 * every echo request the host sends out of the interface into
 * XDPONG_MAP_RTT_PENDING, where the XDP program finds it when the reply
 * comes in (rtt.h). It never changes or drops a packet: every frame goes on
 * (TCX_NEXT).
 *
 * What is timed: Ethernet, up to two VLAN tags in the frame (a tag the stack
 * hands the driver out of band, in skb->vlan_tci, is not in the frame and
 * needs no skipping), then an ICMP echo request (type 8, code 0) in IPv4
 * with any header length, or an ICMPv6 one (128, 0) after the IPv6
 * extension headers the XDP parser walks too (parsing.h: hop-by-hop,
 * routing, destination options, AH, fragment, IPV6_EXT_MAX of them). Of a
 * fragmented request, the first fragment, which carries the echo header, is
 * timed; the XDP side matches the reply's first fragment the same way.
 *
 * A timer of this object sweeps the pending table every XDPONG_RTT_SWEEP_NS:
 * a request unanswered for the timeout is lost (counted, and an event), and
 * entries are deleted once no reply can still count. The timer lives in
 * XDPONG_MAP_RTT_SWEEP, which user/rtt_egress.c pins beside the program's
 * link: the kernel cancels a map's timers when no file or pin holds it.
 *
 * Headers are read with bpf_skb_load_bytes(): the skb may be non-linear, and
 * a tc program must not pull (and so change) what it only looks at.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdpong.h"
#include "xdpong_icmp.h"
#include "parsing.h"
#include "shared_maps.h"
#include "rtt_maps.h"

/* Debian 12's linux-libc-dev predates tcx (Linux 6.6): its verdicts. */
#ifndef TCX_NEXT
#define TCX_NEXT -1 /* go on to the next program, then the stack */
#endif
/* <linux/time.h> would clash with the BPF target's headers. */
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC 1
#endif

/* The sweep's timer, armed by the first request timed (sweep_arm()). */
struct rtt_sweep {
	struct bpf_timer timer;
	__u32 armed;    /* set (compare-and-swap) by the program that arms it */
	__u32 pad;
};

/* One entry: the sweep's timer. Pinned by user/rtt_egress.c, see above. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtt_sweep);
} XDPONG_MAP_RTT_SWEEP SEC(".maps");

/*
 * Most of what a host sends is not an echo request. Tell the plain cases, an
 * untagged IPv4 or IPv6 frame whose transport is something else or whose
 * ICMP type is another, from the headers in the linear area, before any
 * helper call or map lookup: 1 if @skb is surely no echo request, 0 if
 * echo_request_key() must look.
 */
static __always_inline int surely_not_echo(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return 0;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *iph = (void *)(eth + 1);
		__u8 *type = (void *)(iph + 1); /* the ICMP type, if no options */

		if ((void *)(iph + 1) > data_end)
			return 0;
		if (iph->protocol != IPPROTO_ICMP)
			return 1;
		/* ICMP but not a request (the kernel's own echo replies, its
		 * errors): every answer the host sends comes this way. (A later
		 * fragment's byte there is no type; a request's first fragment
		 * is timed, the later ones never are.) */
		return iph->ihl == 5 && (void *)(type + 1) <= data_end &&
		       *type != XDPONG_ICMP_ECHO_REQUEST;
	}
	if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6h = (void *)(eth + 1);
		__u8 *type = (void *)(ip6h + 1);

		if ((void *)(ip6h + 1) > data_end)
			return 0;
		/* An extension header may lead to ICMPv6: the slow path walks it. */
		if (ip6h->nexthdr == IPPROTO_TCP || ip6h->nexthdr == IPPROTO_UDP)
			return 1;
		return ip6h->nexthdr == IPPROTO_ICMPV6 && (void *)(type + 1) <= data_end &&
		       *type != XDPONG_ICMP6_ECHO_REQUEST;
	}
	return !proto_is_vlan(eth->h_proto);
}

/*
 * The key of the echo request in @skb, if it is one; returns its type, or
 * -1 (not an echo request, or cut short). Offsets are runtime values checked
 * by bpf_skb_load_bytes() itself.
 */
static __always_inline int echo_request_key(struct __sk_buff *skb, struct xdpong_rtt_key *key)
{
	__u32 off = sizeof(struct ethhdr);
	struct icmp_echo_hdr icmp;
	struct vlan_hdr vlh;
	__u8 want_type;
	__be16 proto;
	int i;

	if (bpf_skb_load_bytes(skb, offsetof(struct ethhdr, h_proto), &proto, sizeof(proto)))
		return -1;
#pragma unroll
	for (i = 0; i < VLAN_MAX_DEPTH; i++) {
		if (!proto_is_vlan(proto))
			break;
		if (bpf_skb_load_bytes(skb, off, &vlh, sizeof(vlh)))
			return -1;
		proto = vlh.encap_proto;
		off += sizeof(vlh);
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr iph;

		if (bpf_skb_load_bytes(skb, off, &iph, sizeof(iph)))
			return -1;
		if (iph.version != 4 || iph.ihl < 5 || iph.protocol != IPPROTO_ICMP)
			return -1;
		/* Only the first fragment carries the echo header. */
		if (iph.frag_off & bpf_htons(IP_OFFSET))
			return -1;
		key->family = 4;
		key->local.addr[10] = key->local.addr[11] = 0xff;   /* IPv4-mapped */
		key->remote.addr[10] = key->remote.addr[11] = 0xff;
		__builtin_memcpy(&key->local.addr[12], &iph.saddr, 4);
		__builtin_memcpy(&key->remote.addr[12], &iph.daddr, 4);
		off += iph.ihl * 4;
		want_type = XDPONG_ICMP_ECHO_REQUEST;
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6h;
		__u8 next;

		if (bpf_skb_load_bytes(skb, off, &ip6h, sizeof(ip6h)) || ip6h.version != 6)
			return -1;
		off += sizeof(ip6h);
		next = ip6h.nexthdr;
		/* The extension headers skip_ipv6_ext() (parsing.h) walks. */
#pragma unroll
		for (i = 0; i < IPV6_EXT_MAX; i++) {
			struct ipv6_frag_hdr fh;
			struct ipv6_opt_hdr h;
			__u32 len;

			if (next == IPPROTO_ICMPV6)
				break;
			if (next == XDPONG_IPV6_EXT_FRAGMENT) {
				if (bpf_skb_load_bytes(skb, off, &fh, sizeof(fh)) ||
				    (fh.frag_off & bpf_htons(IPV6_FRAG_OFFSET)))
					return -1;
				next = fh.nexthdr;
				off += sizeof(fh);
				continue;
			}
			if (next != XDPONG_IPV6_EXT_HOPOPTS && next != XDPONG_IPV6_EXT_ROUTING &&
			    next != XDPONG_IPV6_EXT_DSTOPTS && next != XDPONG_IPV6_EXT_AH)
				return -1;
			if (bpf_skb_load_bytes(skb, off, &h, sizeof(h)))
				return -1;
			/* RFC 8200 4.3-4.6: 8-byte units, not counting the first;
			 * AH (RFC 4302): 4-byte units, minus 2. */
			len = next == XDPONG_IPV6_EXT_AH ? (h.hdrlen + 2) * 4 : (h.hdrlen + 1) * 8;
			next = h.nexthdr;
			off += len;
		}
		if (next != IPPROTO_ICMPV6)
			return -1;
		key->family = 6;
		__builtin_memcpy(key->local.addr, &ip6h.saddr, 16);
		__builtin_memcpy(key->remote.addr, &ip6h.daddr, 16);
		want_type = XDPONG_ICMP6_ECHO_REQUEST;
	} else {
		return -1;
	}

	if (bpf_skb_load_bytes(skb, off, &icmp, sizeof(icmp)))
		return -1;
	if (icmp.type != want_type || icmp.code != 0)
		return -1;
	key->id = icmp.id;
	key->seq = icmp.sequence;
	return want_type;
}

/* ---- The sweep ---- */

struct sweep_ctx {
	__u64 now;
	__u64 timeout;
};

/* Request @k, just found lost: count it and tell `xdpong events`. */
static __always_inline void report_lost(const struct xdpong_rtt_key *k)
{
	const struct xdpong_config *cfg = get_config();
	struct xdpong_rtt_prefix_key pk;
	struct xdpong_rtt_stats *s;
	struct xdpong_stats *stats;
	struct xdpong_event *ev;
	__u32 zero = 0;

	if (!cfg)
		return;
	rtt_prefix_key(&pk, k->family, k->remote.addr, cfg);
	/* Per-CPU slots: the sweep runs in softirq, which no packet of this
	 * CPU interrupts. */
	s = rtt_row(&pk);
	if (s)
		s->lost++;
	s = rtt_total(k->family);
	if (s)
		s->lost++;

	/* Counted with the XDP program's events, as they are: sent or not. */
	stats = bpf_map_lookup_elem(&XDPONG_MAP_STATS, &zero);
	if (!event_rate_ok(cfg)) {
		if (stats)
			stats->events.rate_limited++;
		return;
	}
	ev = bpf_ringbuf_reserve(&XDPONG_MAP_EVENTS, sizeof(*ev), 0);
	if (stats) {
		if (ev)
			stats->events.sent++;
		else
			stats->events.ring_full++;
	}
	if (!ev)
		return;
	/* No frame: the header only, all of it written (data[] stays unread,
	 * cap_len 0). */
	__builtin_memset(ev, 0, offsetof(struct xdpong_event, data));
	ev->ts_ns = bpf_ktime_get_ns();
	ev->ifindex = cfg->dev.ifindex;
	ev->flags = XDPONG_EV_LOST;
	if (k->family == 4) {
		ev->family = XDPONG_FAM_ICMP;
		ev->type = XDPONG_ICMP_ECHO_REQUEST;
	} else {
		ev->family = XDPONG_FAM_ICMPV6;
		ev->type = XDPONG_ICMP6_ECHO_REQUEST;
	}
	ev->inner_sport = bpf_ntohs(k->id);
	ev->inner_dport = bpf_ntohs(k->seq);
	__builtin_memcpy(ev->src, k->local.addr, 16);
	__builtin_memcpy(ev->dst, k->remote.addr, 16);
	bpf_ringbuf_submit(ev, 0);
}

/* One pending entry: lost, or done with. */
static long sweep_one(void *map, struct xdpong_rtt_key *k, struct xdpong_rtt_pending *v,
		      struct sweep_ctx *c)
{
	__u64 sent = v->sent_ns, age;

	/* Timed on another CPU after this sweep began. */
	if (sent >= c->now)
		return 0;
	age = c->now - sent;
	switch (v->state) {
	case XDPONG_RTT_WAITING:
		/* A reply racing us on another CPU wins or loses the swap. */
		if (age > c->timeout &&
		    __sync_val_compare_and_swap(&v->state, XDPONG_RTT_WAITING,
						XDPONG_RTT_LOST) == XDPONG_RTT_WAITING)
			report_lost(k);
		break;
	case XDPONG_RTT_REPLIED:
		/* A duplicate after this is unmatched, not a duplicate. */
		if (age > c->timeout)
			bpf_map_delete_elem(map, k);
		break;
	default: /* LOST, LATE: kept so that a reply still coming counts late */
		if (age > XDPONG_RTT_KEEP_TIMEOUTS * c->timeout)
			bpf_map_delete_elem(map, k);
		break;
	}
	return 0;
}

/* The timer's callback: sweep, then run again while the program lives. */
static int sweep(void *map, int *key, struct rtt_sweep *s)
{
	const struct xdpong_config *cfg = get_config();
	struct sweep_ctx c;

	if (cfg) {
		c.now = bpf_ktime_get_ns();
		c.timeout = rtt_timeout(cfg);
		bpf_for_each_map_elem(&XDPONG_MAP_RTT_PENDING, sweep_one, &c, 0);
	}
	bpf_timer_start(&s->timer, XDPONG_RTT_SWEEP_NS, 0);
	return 0;
}

/* Arm the sweep, once: the first request timed does it. */
static __always_inline void sweep_arm(void)
{
	struct rtt_sweep *s;
	__u32 zero = 0;

	s = bpf_map_lookup_elem(&XDPONG_MAP_RTT_SWEEP, &zero);
	if (!s || s->armed || __sync_val_compare_and_swap(&s->armed, 0, 1) != 0)
		return;
	/* -EBUSY from init (armed before, then failed to start) is fine. */
	bpf_timer_init(&s->timer, &XDPONG_MAP_RTT_SWEEP, CLOCK_MONOTONIC);
	if (bpf_timer_set_callback(&s->timer, sweep) ||
	    bpf_timer_start(&s->timer, XDPONG_RTT_SWEEP_NS, 0))
		s->armed = 0; /* the next request tries again */
}

/* ---- The program ---- */

/* Time request @key: pending, counted sent; or untracked if the table is full. */
static __always_inline void time_request(const struct xdpong_config *cfg,
					 const struct xdpong_rtt_key *key)
{
	struct xdpong_rtt_pending v = { .sent_ns = bpf_ktime_get_ns(),
					.state = XDPONG_RTT_WAITING };
	struct xdpong_rtt_prefix_key pk;
	struct xdpong_rtt_stats *row, *tot;
	int tracked;

	/* BPF_ANY: the same request again (a client reusing its identifier
	 * and sequence) starts over. A full table (-E2BIG) makes it untracked:
	 * no request in flight is ever pushed out to make room. */
	tracked = !bpf_map_update_elem(&XDPONG_MAP_RTT_PENDING, key, &v, BPF_ANY);
	rtt_prefix_key(&pk, key->family, key->remote.addr, cfg);
	row = rtt_row(&pk);
	tot = rtt_total(key->family);
	/* Per-CPU slots: plain adds. */
	if (tracked) {
		if (row)
			row->sent++;
		if (tot)
			tot->sent++;
		sweep_arm();
	} else {
		if (row)
			row->untracked++;
		if (tot)
			tot->untracked++;
	}
}

SEC("tc")
int XDPONG_PROG_RTT_EGRESS(struct __sk_buff *skb)
{
	const struct xdpong_config *cfg;
	struct xdpong_rtt_key key = {};

	if (surely_not_echo(skb))
		return TCX_NEXT;
	cfg = get_config();
	if (!cfg || !(cfg->flags & XDPONG_F_RTT))
		return TCX_NEXT;
	/* The host's own requests only: they leave a socket of the host's. A
	 * request forwarded (a router, a bridge port, containers behind veth:
	 * crossing namespaces orphans the skb) has none, and must not fill the
	 * table of requests in flight, nor the rows. */
	if (!skb->sk)
		return TCX_NEXT;
	if (echo_request_key(skb, &key) >= 0)
		time_request(cfg, &key);
	return TCX_NEXT;
}

char LICENSE[] SEC("license") = "GPL";
