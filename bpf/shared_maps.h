/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shared_maps.h: the maps every BPF object of one attached interface shares
 * with the XDP program: its configuration, the event ring buffer, the
 * event cap's window and the counters (the events' among them). The egress program of ping telemetry
 * (rtt_egress.bpf.c) includes this and rtt_maps.h, not maps.h, so that its
 * object declares only the maps it uses: userspace hands it the XDP
 * program's by bpf_map__reuse_fd() (user/rtt_egress.c). Layouts:
 * include/xdpong.h. The maps are __weak: the XDP program's units each
 * define them, and the linker makes them one (maps.h).
 */
#ifndef XDPONG_SHARED_MAPS_H
#define XDPONG_SHARED_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpong.h"

#define NSEC_PER_SEC   1000000000ULL

/* Reply TTL/hop limit, the interface MAC and mode flags; filled by `xdpong attach`. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdpong_config);
} XDPONG_MAP_CONFIG __weak SEC(".maps");

/* Events for `xdpong events`: ICMP errors, sampled other messages, lost pings. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XDPONG_EVENTS_BYTES);
} XDPONG_MAP_EVENTS __weak SEC(".maps");

/* Per-CPU counters by reason, code-0 messages by family x type, and the
 * events sent or not (the egress program's lost pings too). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdpong_stats);
} XDPONG_MAP_STATS __weak SEC(".maps");

/* The per-second event cap's window, shared by all CPUs (and programs). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdpong_event_rate);
} XDPONG_MAP_EVENT_RATE __weak SEC(".maps");

static __always_inline const struct xdpong_config *get_config(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&XDPONG_MAP_CONFIG, &zero);
}

/* The per-second cap over all CPUs: may one more event go out? */
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

#endif /* XDPONG_SHARED_MAPS_H */
