/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maps.h: the XDP program's maps: those it shares with the other objects of
 * its interface (shared_maps.h), and its own. Keys, values and names come
 * from include/xdpong.h.
 *
 * The maps of this header, shared_maps.h and rtt_maps.h are __weak: the
 * program is linked from several units (Makefile: bpftool gen object,
 * libbpf's static linker), each of which includes them, so each defines
 * every map; the linker merges weak definitions, which must be identical,
 * into one map of the name, where two strong ones would not link. An object
 * compiled alone (rtt_egress.bpf.c) has one of each: there __weak changes
 * nothing. Never a static map in a header: each unit would have its own.
 * (csum.h's buffer is strong: only the entry point's unit includes csum.h.)
 */
#ifndef XDPONG_MAPS_H
#define XDPONG_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpong.h"
#include "shared_maps.h"

/* The host's addresses, in two sets (struct xdpong_local_key); attach
 * sizes it for --max-addrs before loading. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2 * XDPONG_DEFAULT_MAX_ADDRS);
	__type(key, struct xdpong_local_key);
	__type(value, struct xdpong_addr_val);
} XDPONG_MAP_ADDRS __weak SEC(".maps");

/* The routes back, in two sets like the addresses; LPM tries need no prealloc. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * XDPONG_MAX_ROUTES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xdpong_route_key);
	__type(value, struct xdpong_route);
} XDPONG_MAP_ROUTES __weak SEC(".maps");

/* The host's neighbour table: next hop -> MAC. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDPONG_MAX_NEIGH);
	__type(key, struct xdpong_neigh_key);
	__type(value, struct xdpong_neigh);
} XDPONG_MAP_NEIGH __weak SEC(".maps");

/* The neighbours learnt from ARP and ND since (neigh_learn.h): an LRU, which
 * a flood of forged senders can churn but never fill for the table above. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XDPONG_MAX_NEIGH_LEARNT);
	__type(key, struct xdpong_neigh_key);
	__type(value, struct xdpong_neigh_learnt);
} XDPONG_MAP_NEIGH_LEARNT __weak SEC(".maps");

/* Destinations that errors about the host's packets named (exceptions.h). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XDPONG_MAX_EXC_SEEN);
	__type(key, struct xdpong_addr_key);
	__type(value, __u64);
} XDPONG_MAP_EXC_SEEN __weak SEC(".maps");

/* How many were noted since attach. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} XDPONG_MAP_EXC_GEN __weak SEC(".maps");

/* The VLAN devices on the attached interface, by tag. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDPONG_MAX_VLANS);
	__type(key, struct xdpong_vlan_key);
	__type(value, struct xdpong_l3dev);
} XDPONG_MAP_VLANS __weak SEC(".maps");

/* Per-CPU counters of messages with a non-zero code, by family x type x code. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, XDPONG_MAX_MSG_CLASSES);
	__type(key, struct xdpong_msg_key);
	__type(value, struct xdpong_counter);
} XDPONG_MAP_MSGS __weak SEC(".maps");

/* Per-CPU counters of the IANA-assigned non-zero codes, at fixed slots. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDPONG_MSG_CODE_ENTRIES);
	__type(key, __u32);
	__type(value, struct xdpong_counter);
} XDPONG_MAP_MSG_CODES __weak SEC(".maps");

/* Per-CPU room to parse an error into when its event is not sent. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdpong_event);
} XDPONG_MAP_SCRATCH __weak SEC(".maps");

/* The global reply rate limiter's state. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdpong_rate_state);
} XDPONG_MAP_RATE __weak SEC(".maps");

/* Per-source reply rate limiters, least recently used forgotten first. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XDPONG_MAX_SOURCES);
	__type(key, struct xdpong_addr_key);
	__type(value, struct xdpong_rate_state);
} XDPONG_MAP_SRC_RATE __weak SEC(".maps");

/* The last local IPv4 destination and non-local source, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdpong_addr_cache);
} XDPONG_MAP_ADDR_CACHE __weak SEC(".maps");

/* The flows of the pings answered; attach sizes it (--pinger-flows). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, XDPONG_MAX_PINGERS);
	__type(key, struct xdpong_pinger_key);
	__type(value, struct xdpong_pinger);
} XDPONG_MAP_PINGERS __weak SEC(".maps");

#endif /* XDPONG_MAPS_H */
