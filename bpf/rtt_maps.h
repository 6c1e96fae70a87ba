/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtt_maps.h: the maps of ping telemetry. The XDP program and the egress
 * program (rtt_egress.bpf.c) share the round-trip maps: attach loads the
 * egress object with the XDP program's (bpf_map__reuse_fd()). The pingers'
 * flows are the XDP program's alone. Layouts: include/xdpong.h.
 */
#ifndef XDPONG_RTT_MAPS_H
#define XDPONG_RTT_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpong.h"

/* The host's echo requests in flight, by family, addresses, id, sequence. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDPONG_RTT_MAX_PENDING);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xdpong_rtt_key);
	__type(value, struct xdpong_rtt_pending);
} XDPONG_MAP_RTT_PENDING SEC(".maps");

/* Round trips per destination prefix; attach sizes it (--rtt-prefixes). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, XDPONG_RTT_MAX_PREFIXES);
	__type(key, struct xdpong_rtt_prefix_key);
	__type(value, struct xdpong_rtt_stats);
} XDPONG_MAP_RTT_PREFIX SEC(".maps");

/* Round trips per family: [0] IPv4, [1] IPv6. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPONG_RTT_TOTAL_ENTRIES);
	__type(key, __u32);
	__type(value, struct xdpong_rtt_stats);
} XDPONG_MAP_RTT_TOTAL SEC(".maps");

/* The flows of the pings answered; attach sizes it (--pinger-flows). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XDPONG_MAX_PINGERS);
	__type(key, struct xdpong_pinger_key);
	__type(value, struct xdpong_pinger);
} XDPONG_MAP_PINGERS SEC(".maps");

#endif /* XDPONG_RTT_MAPS_H */
