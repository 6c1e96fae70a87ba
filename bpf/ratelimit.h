/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratelimit.h: reply rate limits, global and per source, as GCRA (the
 * generic cell rate algorithm): one timestamp of state per bucket, updated
 * with compare-and-swap so that every CPU shares it.
 */
#ifndef XDPONG_RATELIMIT_H
#define XDPONG_RATELIMIT_H

#include <bpf/bpf_helpers.h>
#include "maps.h"

/* Tries at the compare-and-swap before a contended packet counts as over. */
#define GCRA_TRIES 4

/*
 * Admit one reply at @now: the theoretical arrival time moves on by
 * @interval; a reply is over the limit when it would be more than
 * @tolerance ahead of now.
 */
static __always_inline int gcra_admit(__u64 *tat, __u64 now, __u64 interval, __u64 tolerance)
{
	__u64 old = *tat, t, prev;
	int i;

	for (i = 0; i < GCRA_TRIES; i++) {
		t = old > now ? old : now;
		if (t - now > tolerance)
			return 0;
		prev = __sync_val_compare_and_swap(tat, old, t + interval);
		if (prev == old)
			return 1;
		old = prev;
	}
	return 0;
}

/* Is either limit on? Only then is the source's key worth building. */
static __always_inline int rate_limited(const struct xdpong_config *cfg)
{
	return cfg->rate_interval_ns || cfg->src_interval_ns;
}

/* The source's bucket key: IPv4-mapped /32 (as given), or the IPv6 /64. */
static __always_inline int rate_admit(const struct xdpong_config *cfg,
				      const struct xdpong_addr_key *src)
{
	struct xdpong_rate_state *st, init = {};
	__u64 now;
	__u32 zero = 0;

	if (!rate_limited(cfg))
		return 1;
	now = bpf_ktime_get_ns();
	if (cfg->src_interval_ns) {
		st = bpf_map_lookup_elem(&XDPONG_MAP_SRC_RATE, src);
		if (!st) {
			/* A new source starts with a full burst; if another CPU
			 * inserted it meanwhile, use that one. */
			bpf_map_update_elem(&XDPONG_MAP_SRC_RATE, src, &init, BPF_NOEXIST);
			st = bpf_map_lookup_elem(&XDPONG_MAP_SRC_RATE, src);
		}
		if (!st || !gcra_admit(&st->tat, now, cfg->src_interval_ns, cfg->src_tolerance_ns))
			return 0;
	}
	if (cfg->rate_interval_ns) {
		st = bpf_map_lookup_elem(&XDPONG_MAP_RATE, &zero);
		if (!st || !gcra_admit(&st->tat, now, cfg->rate_interval_ns, cfg->rate_tolerance_ns))
			return 0;
	}
	return 1;
}

static __always_inline enum xdpong_reason over_limit(const struct xdpong_config *cfg)
{
	return cfg->flags & XDPONG_F_OVER_LIMIT_DROP ? XDPONG_R_RATE_DROP : XDPONG_R_RATE_PASS;
}

#endif /* XDPONG_RATELIMIT_H */
