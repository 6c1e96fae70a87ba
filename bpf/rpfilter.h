/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rpfilter.h: the kernel's IPv4 reverse-path filter (rp_filter, RFC 3704),
 * replicated with bpf_fib_lookup() where the effective setting of the
 * receiving device is on, and only there: with rp_filter 1 (strict) the
 * route back to the source must leave by the receiving device, with 2
 * (loose) it must exist and be unicast. IPv6 has no rp_filter. The helper
 * only looks up on a device with forwarding on (it returns
 * BPF_FIB_LKUP_RET_FWD_DISABLED otherwise): there the request goes to the
 * kernel, under its own reason, and attach says so.
 */
#ifndef XDPONG_RPFILTER_H
#define XDPONG_RPFILTER_H

#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include "xdpong.h"

#ifndef AF_INET
#define AF_INET 2
#endif

static __always_inline enum xdpong_reason check_rp_filter(struct xdp_md *ctx,
							   const struct iphdr *iph,
							   const struct xdpong_l3dev *dev)
{
	struct bpf_fib_lookup fib = {};
	int ret;

	if (!(dev->flags & (XDPONG_L3_RPF_STRICT | XDPONG_L3_RPF_LOOSE)))
		return XDPONG_R_REPLIED;
	/* The kernel's fib_validate_source(): the route to the source, from
	 * our address, with the request's DSCP. */
	fib.family = AF_INET;
	fib.tos = iph->tos;
	fib.ipv4_src = iph->daddr;
	fib.ipv4_dst = iph->saddr;
	fib.ifindex = dev->ifindex;
	ret = bpf_fib_lookup(ctx, &fib, sizeof(fib), BPF_FIB_LOOKUP_SKIP_NEIGH);
	/* The helper refuses to look up on a device that does not forward. */
	if (ret == BPF_FIB_LKUP_RET_FWD_DISABLED)
		return XDPONG_R_RP_FILTER_UNKNOWN;
	if (ret != BPF_FIB_LKUP_RET_SUCCESS && ret != BPF_FIB_LKUP_RET_NO_NEIGH)
		return XDPONG_R_RP_FILTER;
	if ((dev->flags & XDPONG_L3_RPF_STRICT) && fib.ifindex != dev->ifindex)
		return XDPONG_R_RP_FILTER;
	return XDPONG_R_REPLIED;
}

#endif /* XDPONG_RPFILTER_H */
