/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exceptions.h: the route exceptions the kernel may make from what the
 * program passes it. A frag-needed or packet-too-big about one of the host's
 * own packets makes the kernel keep a path MTU for its destination, and a
 * redirect a next hop: it then fragments its replies there, or sends them
 * through the redirect's gateway. IPv4 keeps these beside its routes
 * (fib_nh_exception), and its route dump shows one only once the kernel has
 * itself sent something there, which it never does while xdpong answers
 * that address: so the program notes the destination as the error goes by
 * (classify.bpf.c) and sends that address's requests to the kernel for as
 * long as the kernel may keep the exception. Userspace reads the exceptions
 * the dump does show into the route map too (routes.c, route-exception).
 * A flood of forged errors fills the LRU: its entries then leave early,
 * after the kernel has answered once, which shows the exception to the next
 * sync; and at worst costs the offload of the addresses it names.
 */
#ifndef XDPONG_EXCEPTIONS_H
#define XDPONG_EXCEPTIONS_H

#include <bpf/bpf_helpers.h>
#include "maps.h"

/* How many destinations have been noted since attach: the per-CPU address
 * caches are emptied when it moves (addrs.h). */
static __always_inline __u64 *exceptions_noted(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&XDPONG_MAP_EXC_GEN, &zero);
}

/* An error about the host's packet to @addr16 (IPv6, or IPv4-mapped). */
static __always_inline void exception_note(const __u8 *addr16)
{
	__u64 now = bpf_ktime_get_ns(), *n = exceptions_noted();
	struct xdpong_addr_key k;

	__builtin_memcpy(k.addr, addr16, 16);
	bpf_map_update_elem(&XDPONG_MAP_EXC_SEEN, &k, &now, BPF_ANY);
	if (n)
		__sync_fetch_and_add(n, 1);
}

/* May the kernel keep an exception for @addr16? No lookup until one was noted. */
static __always_inline int exception_seen(const __u8 *addr16)
{
	__u64 *n = exceptions_noted(), *seen;
	struct xdpong_addr_key k;

	if (!n || !*n)
		return 0;
	__builtin_memcpy(k.addr, addr16, 16);
	seen = bpf_map_lookup_elem(&XDPONG_MAP_EXC_SEEN, &k);
	return seen && bpf_ktime_get_ns() - *seen < XDPONG_EXC_SEEN_NS;
}

#endif /* XDPONG_EXCEPTIONS_H */
