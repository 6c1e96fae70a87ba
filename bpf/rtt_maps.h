/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtt_maps.h: the maps of the host's own pings, and the helpers both of
 * their programs use to reach a row. The XDP program (rtt.bpf.c) and the
 * egress program (rtt_egress.bpf.c) share these maps: attach loads the
 * egress object with the XDP program's (bpf_map__reuse_fd()). The pingers'
 * flows are the XDP program's alone (maps.h). Layouts: include/xdpong.h.
 * The maps are __weak: the XDP program's units each define them, and the
 * linker makes them one (maps.h).
 */
#ifndef XDPONG_RTT_MAPS_H
#define XDPONG_RTT_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdpong.h"

/* The host's echo requests in flight, by family, addresses, id, sequence.
 * Full: a new request is counted untracked (rtt_egress.bpf.c). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDPONG_RTT_MAX_PENDING);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xdpong_rtt_key);
	__type(value, struct xdpong_rtt_pending);
} XDPONG_MAP_RTT_PENDING __weak SEC(".maps");

/* Round trips per destination prefix; attach sizes it (--rtt-prefixes).
 * Full: the least recently used row goes, its counts stay in the total. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, XDPONG_RTT_MAX_PREFIXES);
	__type(key, struct xdpong_rtt_prefix_key);
	__type(value, struct xdpong_rtt_stats);
} XDPONG_MAP_RTT_PREFIX __weak SEC(".maps");

/* Round trips per family: [0] IPv4, [1] IPv6. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPONG_RTT_TOTAL_ENTRIES);
	__type(key, __u32);
	__type(value, struct xdpong_rtt_stats);
} XDPONG_MAP_RTT_TOTAL __weak SEC(".maps");

/* A new row's value. struct xdpong_rtt_stats is too big for the stack
 * (512 bytes), so the zeros come from read-only global data. */
static const struct xdpong_rtt_stats rtt_zero_row;

/* The timeout of the config, or the default while none is set. */
static __always_inline __u64 rtt_timeout(const struct xdpong_config *cfg)
{
	return cfg->rtt.timeout_ns ? cfg->rtt.timeout_ns : XDPONG_RTT_DEFAULT_TIMEOUT_NS;
}

/* The row of @addr (16 bytes, IPv4-mapped for @family 4, 4-byte aligned):
 * the address masked to the config's prefix length for the family, which
 * counts in the family's bits (24, not 120). */
static __always_inline void rtt_prefix_key(struct xdpong_rtt_prefix_key *k, __u8 family,
					   const __u8 *addr, const struct xdpong_config *cfg)
{
	const __u32 *in = (const __u32 *)addr;
	__u32 *out = (__u32 *)k->a.addr;
	__u32 max = family == 4 ? 32 : 128;
	__u32 len = family == 4 ? cfg->rtt.prefix_v4 : cfg->rtt.prefix_v6;
	__u32 bits;
	int i;

	if (len > max)
		len = max;
	k->family = family;
	k->prefixlen = len;
	k->pad = 0;
	bits = 128 - max + len; /* an IPv4-mapped address keeps its 96-bit head */
#pragma unroll
	for (i = 0; i < 4; i++) {
		__u32 keep = bits > 32 * i ? bits - 32 * i : 0;

		if (keep >= 32)
			out[i] = in[i];
		else if (keep == 0)
			out[i] = 0;
		else
			out[i] = in[i] & bpf_htonl(~0U << (32 - keep));
	}
}

/* This CPU's slot of the row @k, created if missing; NULL if it can't be. */
static __always_inline struct xdpong_rtt_stats *rtt_row(const struct xdpong_rtt_prefix_key *k)
{
	struct xdpong_rtt_stats *s = bpf_map_lookup_elem(&XDPONG_MAP_RTT_PREFIX, k);

	if (s)
		return s;
	/* Look up first: an LRU update takes a free node, evicting if need be,
	 * before it finds the key exists. NOEXIST: another CPU may have just
	 * created it, and its counts must stay. */
	bpf_map_update_elem(&XDPONG_MAP_RTT_PREFIX, k, &rtt_zero_row, BPF_NOEXIST);
	return bpf_map_lookup_elem(&XDPONG_MAP_RTT_PREFIX, k);
}

/* This CPU's slot of @family's (4 or 6) total. */
static __always_inline struct xdpong_rtt_stats *rtt_total(__u8 family)
{
	__u32 i = family == 6;

	return bpf_map_lookup_elem(&XDPONG_MAP_RTT_TOTAL, &i);
}

#endif /* XDPONG_RTT_MAPS_H */
