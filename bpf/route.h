/* SPDX-License-Identifier: GPL-2.0 */
/*
 * route.h: where the kernel would send the reply, from its routing and
 * neighbour tables as userspace mirrors them (XDPONG_MAP_ROUTES,
 * XDPONG_MAP_NEIGH). A request is answered only if the route back to its
 * source is one plain unicast route leaving by the device the request came
 * in on: otherwise the kernel would reply elsewhere (asymmetric routing, a
 * spoofed source), drop it (rp_filter, no route, a blackhole), and so the
 * request is its to handle. This covers rp_filter in both modes without
 * bpf_fib_lookup(), which refuses to look up on a device that does not
 * forward. The reply goes to the next hop's MAC, as the kernel's would. A
 * next hop with no neighbour entry is the kernel's too: it would resolve it
 * first (ARP, neighbour discovery) and reply only if something answered,
 * which for a forged source nothing does. The entries are the kernel's
 * table as userspace last read it, then the senders of ARP requests and
 * solicitations for our addresses since (neigh_learn.h), for a while.
 */
#ifndef XDPONG_ROUTE_H
#define XDPONG_ROUTE_H

#include <bpf/bpf_helpers.h>
#include "maps.h"
#include "addrs.h"

/*
 * The route back to @src16 (IPv6, or IPv4-mapped) from @dev. On success,
 * *@mac is the next hop's MAC, and *@lasting says whether it may be cached
 * (it is from the host's table; a learnt one may age out).
 * A link-local source is on-link (check_ipv6_addrs() has made sure the
 * device has its on-link fe80::/64 route).
 */
static __always_inline enum xdpong_reason route_back(const struct xdpong_config *cfg,
						     const struct xdpong_l3dev *dev,
						     const __u8 *src16, int is_v4, int linklocal,
						     __u64 *mac, int *lasting)
{
	struct xdpong_neigh_key nk = { .ifindex = dev->ifindex };
	struct xdpong_route_key rk;
	struct xdpong_route *rt;
	struct xdpong_neigh *n;
	struct xdpong_neigh_learnt *l;
	__u64 now;

	/* The kernel may keep a path MTU or a redirect for the source. */
	if (exception_seen(src16))
		return XDPONG_R_ROUTE_EXCEPTION;
	__builtin_memcpy(nk.a.addr, src16, 16);
	if (!linklocal) {
		rk.prefixlen = XDPONG_ROUTE_KEY_BITS + 128;
		rk.set = addr_set(cfg);
		rk.family = is_v4 ? 4 : 6;
		rk.pad[0] = rk.pad[1] = 0;
		__builtin_memcpy(rk.a.addr, src16, 16);
		rt = bpf_map_lookup_elem(&XDPONG_MAP_ROUTES, &rk);
		if (rt && (rt->flags & XDPONG_ROUTE_EXCEPTION))
			return XDPONG_R_ROUTE_EXCEPTION;
		if (!rt || (rt->flags & XDPONG_ROUTE_NO_REPLY))
			return XDPONG_R_NO_ROUTE;
		if (rt->ifindex != dev->ifindex)
			return XDPONG_R_ROUTE_ELSEWHERE;
		if (rt->flags & XDPONG_ROUTE_GATEWAY)
			__builtin_memcpy(nk.a.addr, rt->gateway.addr, 16);
	}
	n = bpf_map_lookup_elem(&XDPONG_MAP_NEIGH, &nk);
	if (n) {
		*mac = mac_load(n->mac);
		*lasting = 1;
		return GO_ON;
	}
	l = bpf_map_lookup_elem(&XDPONG_MAP_NEIGH_LEARNT, &nk);
	now = bpf_ktime_get_ns();
	if (!l || l->resolving || now - l->seen_ns > XDPONG_NEIGH_LEARNT_NS) {
		/* The kernel will resolve it to answer: the answer to its ARP
		 * request or solicitation is then learnt, as the kernel takes
		 * it (neigh_learn.h). */
		struct xdpong_neigh_learnt r = { .seen_ns = now, .resolving = 1 };

		if (!l || !l->resolving || now - l->seen_ns > XDPONG_NEIGH_RESOLVING_NS)
			bpf_map_update_elem(&XDPONG_MAP_NEIGH_LEARNT, &nk, &r, BPF_ANY);
		return XDPONG_R_NO_NEIGHBOUR;
	}
	*mac = mac_load(l->mac);
	*lasting = 0;
	return GO_ON;
}

#endif /* XDPONG_ROUTE_H */
