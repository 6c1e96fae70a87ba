/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h: what the BPF_PROG_TEST_RUN tests share: the program loaded
 * from its skeleton with a known config and addresses, running a frame,
 * and reading the per-CPU counters. For cmocka test files.
 */
#ifndef XDPONG_TEST_HARNESS_H
#define XDPONG_TEST_HARNESS_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xdpong.h"
#include "xdpong_icmp.h"
#include "xdpong.skel.h"
#include "packets.h"

#define CFG_TTL 77  /* distinct from any request TTL, so the rewrite shows */
#define CFG_HOP 99

static struct xdpong *skel;
static int prog_fd, stats_fd, config_fd;
static struct xdpong_config base_cfg;

#define MAC_US   { 0x02, 0x00, 0x00, 0xaa, 0x00, 0x01 }
#define MAC_PEER { 0x02, 0x00, 0x00, 0xbb, 0x00, 0x02 }
#define V4(a, b, c, d) { a, b, c, d }
#define V6(...) { __VA_ARGS__ }
#define V6_US    V6(0x20, 0x01, 0x00, 0x02, [15] = 1)
#define V6_PEER  V6(0x20, 0x01, 0x00, 0x02, [15] = 2)
/* The host's, on an interface in another VRF or down: never answered for. */
#define V4_OTHER V4(198, 18, 5, 1)
#define V6_OTHER V6(0x20, 0x01, 0x00, 0x02, 0, 5, [15] = 1)

/* A request from a Linux ping: the base of every row, which overrides fields. */
#define ECHO4(...) { .family = 4, .dst_mac = MAC_US, .src_mac = MAC_PEER,          \
		     .src = V4(198, 18, 0, 2), .dst = V4(198, 18, 0, 1), .ttl = 61,   \
		     .ip_id = 0x4242, .frag = 0x4000, .type = 8, .id = 0x1234,         \
		     .seq = 7, .payload_len = 56, .fill = 0x10, .filler = 0x1011,      \
		     __VA_ARGS__ }
#define ECHO6(...) { .family = 6, .dst_mac = MAC_US, .src_mac = MAC_PEER,          \
		     .src = V6_PEER, .dst = V6_US, .ttl = 61, .flow = 0xbeef5,         \
		     .type = 128, .id = 0x1234, .seq = 7, .payload_len = 56,           \
		     .fill = 0x10, .filler = 0x1011, __VA_ARGS__ }
#define DOUBLE_TAG .vlans = 2, .vlan_proto = { ETHERTYPE_8021AD, ETHERTYPE_8021Q }, .src = V4(198, 18, 101, 2)
/* VLAN devices 7 (802.1Q 100), 8 (802.1ad 100 + 802.1Q 101), 9 (802.1Q 102),
 * each with its subnet: 198.18.100+i.0/24 and 2001:2:0:100+i::/64, the peer at .2 and ::2. */
#define VLAN_100 .vlans = 1, .vlan_proto = { ETHERTYPE_8021Q }
#define FROM_VLAN4(i) .src = V4(198, 18, 100 + (i), 2), .dst = V4(198, 18, 0, 1)
#define FROM_VLAN6(i) .src = V6(0x20, 0x01, 0x00, 0x02, 0, 100 + (i), [15] = 2)

/* The counters summed over all CPUs (struct xdpong_stats is all __u64s), each
 * CPU's slot completed as every reader does. */
static __attribute__((unused)) void stats_sum(struct xdpong_stats *out)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct xdpong_stats *st = calloc(ncpu, sizeof(*st));
	__u32 zero = 0;
	size_t w;

	assert_non_null(st);
	assert_int_equal(bpf_map_lookup_elem(stats_fd, &zero, st), 0);
	memset(out, 0, sizeof(*out));
	for (i = 0; i < ncpu; i++) {
		xdpong_stats_complete(&st[i]);
		for (w = 0; w < sizeof(*out) / sizeof(__u64); w++)
			((__u64 *)out)[w] += ((__u64 *)&st[i])[w];
	}
	free(st);
}

static __attribute__((unused)) __u64 reason_count(enum xdpong_reason r)
{
	static struct xdpong_stats st;

	stats_sum(&st);
	return st.reason[r].packets;
}

/* The config the tests run with: events for every error, up to 1000 a second. */
static __attribute__((unused)) void init_config(void)
{
	static const __u8 mac[6] = MAC_US;
	int t;

	base_cfg.ttl = CFG_TTL;
	base_cfg.hop_limit = CFG_HOP;
	memcpy(base_cfg.mac, mac, 6);
	base_cfg.event_rate = 1000;
	base_cfg.dev.ifindex = 1; /* test_run's ingress interface is lo */
	base_cfg.dev.flags = XDPONG_L3_LL_ONLINK; /* as with its fe80::/64 route */
	for (t = 0; t < 256; t++) {
		base_cfg.sample[XDPONG_FAM_ICMP - 1][t] = xdpong_icmp4_is_error(t);
		base_cfg.sample[XDPONG_FAM_ICMPV6 - 1][t] = xdpong_icmp6_is_error(t) ||
							    t == XDPONG_ICMP6_ND_REDIRECT;
	}
}

static __attribute__((unused)) void set_config(int ttl, int hop, __u32 flags)
{
	struct xdpong_config cfg = base_cfg;
	__u32 zero = 0;

	cfg.ttl = ttl;
	cfg.hop_limit = hop;
	cfg.flags = flags;
	assert_int_equal(bpf_map_update_elem(config_fd, &zero, &cfg, BPF_ANY), 0);
}

/* The address map key of @a16 in the set in use; @scope: the receiving
 * device of a link-local address, else 0. */
static __attribute__((unused)) struct xdpong_local_key addr_key(const uint8_t *a16, __u32 scope)
{
	struct xdpong_local_key k = { .set = base_cfg.addr_gen & 1, .ifindex = scope };

	memcpy(k.a.addr, a16, 16);
	return k;
}

static __attribute__((unused)) void add_addr_flags(const uint8_t *a16, __u32 scope, __u32 flags)
{
	struct xdpong_local_key k = addr_key(a16, scope);
	struct xdpong_addr_val v = { .ifindex = scope, .flags = flags };

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_addrs), &k, &v, BPF_ANY))
		fail_msg("add_addr: %s", strerror(errno));
}

static __attribute__((unused)) void add_addr(const uint8_t *a16, __u32 scope)
{
	add_addr_flags(a16, scope, 0);
}

static __attribute__((unused)) void del_addr(const uint8_t *a16, __u32 scope)
{
	struct xdpong_local_key k = addr_key(a16, scope);

	if (bpf_map_delete_elem(bpf_map__fd(skel->maps.xdpong_addrs), &k))
		fail_msg("del_addr: %s", strerror(errno));
}

/*
 * Move every entry to the other set and flip addr_gen, as userspace does on
 * a change: the program's caches must notice.
 */
static __attribute__((unused)) void next_addr_set(void)
{
	int fd = bpf_map__fd(skel->maps.xdpong_addrs);
	struct xdpong_local_key keys[64], k, next, *prev = NULL;
	struct xdpong_addr_val v;
	__u32 cur = base_cfg.addr_gen & 1;
	int n = 0, i;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (k.set == cur && n < 64)
			keys[n++] = k;
	}
	for (i = 0; i < n; i++) {
		k = keys[i];
		assert_int_equal(bpf_map_lookup_elem(fd, &k, &v), 0);
		k.set = !cur;
		assert_int_equal(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
	}
	/* The routes move with the addresses. */
	{
		int rfd = bpf_map__fd(skel->maps.xdpong_routes), m = 0;
		struct xdpong_route_key rkeys[64], rk, rnext, *rprev = NULL;
		struct xdpong_route rv;

		while (bpf_map_get_next_key(rfd, rprev, &rnext) == 0) {
			rk = rnext;
			rprev = &rk;
			if (rk.set == cur && m < 64)
				rkeys[m++] = rk;
		}
		for (i = 0; i < m; i++) {
			rk = rkeys[i];
			assert_int_equal(bpf_map_lookup_elem(rfd, &rk, &rv), 0);
			rk.set = !cur;
			assert_int_equal(bpf_map_update_elem(rfd, &rk, &rv, BPF_ANY), 0);
		}
		base_cfg.addr_gen++;
		set_config(CFG_TTL, CFG_HOP, 0);
		for (i = 0; i < m; i++)
			assert_int_equal(bpf_map_delete_elem(rfd, &rkeys[i]), 0);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(bpf_map_delete_elem(fd, &keys[i]), 0);
}

/* A route of the host's table, in the set in use: @a16 (IPv4-mapped for
 * IPv4)/@len (the family's own length), leaving by @ifindex. */
static __attribute__((unused)) void add_route(const uint8_t *a16, int family, int len,
					      __u32 ifindex, const uint8_t *gw16, __u32 flags)
{
	struct xdpong_route_key k = { .set = base_cfg.addr_gen & 1, .family = family };
	struct xdpong_route v = { .ifindex = ifindex, .flags = flags };

	k.prefixlen = XDPONG_ROUTE_KEY_BITS + (family == 4 ? 96 : 0) + len;
	memcpy(k.a.addr, a16, 16);
	if (gw16) {
		v.flags |= XDPONG_ROUTE_GATEWAY;
		memcpy(v.gateway.addr, gw16, 16);
	}
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_routes), &k, &v, BPF_ANY))
		fail_msg("add_route: %s", strerror(errno));
}

static __attribute__((unused)) void add_neigh(const uint8_t *a16, __u32 ifindex, const uint8_t *mac)
{
	struct xdpong_neigh_key k = { .ifindex = ifindex };
	struct xdpong_neigh v = {};

	memcpy(k.a.addr, a16, 16);
	memcpy(v.mac, mac, 6);
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_neigh), &k, &v, BPF_ANY))
		fail_msg("add_neigh: %s", strerror(errno));
}

/* A VLAN device on the attached interface, by its tags. */
static __attribute__((unused)) void add_vlan(__u16 tpid, __u16 vid, __u16 tpid2, __u16 vid2,
					     __u32 ifindex, __u32 flags)
{
	struct xdpong_vlan_key k = { .outer_tpid = htons(tpid), .outer_vid = vid,
				     .inner_tpid = htons(tpid2), .inner_vid = vid2 };
	struct xdpong_l3dev v = { .ifindex = ifindex, .flags = flags };

	if (bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_vlans), &k, &v, BPF_ANY))
		fail_msg("add_vlan: %s", strerror(errno));
}

static __attribute__((unused)) int setup(void **state)
{
	int i;
	static const uint8_t v4[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 1 };
	static const uint8_t bcast[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 255 };
	static const uint8_t v6[16] = V6_US;
	static const uint8_t ll1[16] = V6(0xfe, 0x80, [15] = 1);
	static const uint8_t ll2[16] = V6(0xfe, 0x80, [15] = 2);
	static const uint8_t ll7[16] = V6(0xfe, 0x80, [15] = 7);
	static const uint8_t ll9[16] = V6(0xfe, 0x80, [15] = 9);
	static const uint8_t any4[16] = { [10] = 0xff, [11] = 0xff };
	static const uint8_t any6[16] = { 0 };
	static const uint8_t gw4[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 254 };
	static const uint8_t gw6[16] = V6(0x20, 0x01, 0x00, 0x02, [15] = 0xfe);
	static const uint8_t net7[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 7, 0 };
	static const uint8_t net8[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 8, 0 };
	static const uint8_t net6_7[16] = V6(0x20, 0x01, 0x00, 0x02, 0, 7);
	static const uint8_t onlink4[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 6, 0 };
	static const uint8_t onlink4_known[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 6, 2 };
	static const uint8_t onlink6[16] = V6(0x20, 0x01, 0x00, 0x02, 0, 6);
	static const uint8_t onlink6_known[16] = V6(0x20, 0x01, 0x00, 0x02, 0, 6, [15] = 2);
	static const uint8_t via_unknown4[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 4, 0 };
	static const uint8_t exception4[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 6, 9 };
	static const uint8_t exception6[16] = V6(0x20, 0x01, 0x00, 0x02, 0, 6, [15] = 9);
	static const uint8_t gw_unknown[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 77 };
	static const uint8_t peer_mac[6] = MAC_PEER;
	static const uint8_t other4[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 5, 1 };
	static const uint8_t other6[16] = V6_OTHER;

	init_config();
	skel = xdpong__open_and_load();
	if (!skel) {
		fprintf(stderr, "can't load the XDP program: %s\n", strerror(errno));
		return -1;
	}
	prog_fd = bpf_program__fd(skel->progs.xdpong);
	stats_fd = bpf_map__fd(skel->maps.XDPONG_MAP_STATS);
	config_fd = bpf_map__fd(skel->maps.xdpong_config);
	set_config(CFG_TTL, CFG_HOP, 0);
	add_addr(v4, 0);
	add_addr_flags(bcast, 0, XDPONG_ADDR_BROADCAST); /* 198.18.0.1/24's */
	add_addr_flags(other4, 0, XDPONG_ADDR_SOURCE_ONLY);
	add_addr(v6, 0);
	add_addr_flags(other6, 0, XDPONG_ADDR_SOURCE_ONLY);
	add_addr(ll1, 1);      /* test_run's ingress interface is lo, ifindex 1 */
	add_addr_flags(ll1, 0, XDPONG_ADDR_SOURCE_ONLY); /* every link-local, for sources */
	add_addr(ll2, 12345);  /* valid only on another interface */
	add_addr_flags(ll2, 0, XDPONG_ADDR_SOURCE_ONLY);
	add_addr(ll7, 7);      /* the link-local address of VLAN device 7 */
	add_addr_flags(ll7, 0, XDPONG_ADDR_SOURCE_ONLY);
	/* Routes back: default routes via gateways whose MAC is the peer's;
	 * 198.18.7.0/24 and 2001:2:7::/48 by another interface; 198.18.8.0/24
	 * a blackhole. */
	add_route(any4, 4, 0, 1, gw4, 0);
	add_route(any6, 6, 0, 1, gw6, 0);
	add_route(net7, 4, 24, 12345, NULL, 0);
	add_route(net8, 4, 24, 1, NULL, XDPONG_ROUTE_NO_REPLY);
	add_route(net6_7, 6, 48, 12345, NULL, 0);
	/* 198.18.6.0/24 and 2001:2:6::/64 on-link, the neighbour table
	 * knowing .2 / ::2 there, not .3 / ::3; 198.18.4.0/24 via a gateway it
	 * doesn't know. */
	add_route(onlink4, 4, 24, 1, NULL, 0);
	add_route(onlink6, 6, 64, 1, NULL, 0);
	add_neigh(onlink4_known, 1, peer_mac);
	add_neigh(onlink6_known, 1, peer_mac);
	add_route(via_unknown4, 4, 24, 1, gw_unknown, 0);
	/* The route cache has exceptions (a redirect, a path MTU) for
	 * 198.18.6.9 and 2001:2:6::9, on-link and known to the neighbour table. */
	add_route(exception4, 4, 32, 0, NULL, XDPONG_ROUTE_EXCEPTION | XDPONG_ROUTE_NO_REPLY);
	add_route(exception6, 6, 128, 0, NULL, XDPONG_ROUTE_EXCEPTION | XDPONG_ROUTE_NO_REPLY);
	add_neigh(exception4, 1, peer_mac);
	add_neigh(exception6, 1, peer_mac);
	add_neigh(gw4, 1, peer_mac);
	add_neigh(gw6, 1, peer_mac);
	add_neigh(ll9, 1, peer_mac);
	add_neigh(ll9, 7, peer_mac);
	/* Each VLAN device has its own subnet, with the peer on it. */
	for (i = 0; i < 3; i++) {
		uint8_t net[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 100 + i, 0 };
		uint8_t net6[16] = V6(0x20, 0x01, 0x00, 0x02, 0, 100 + i);

		add_route(net, 4, 24, 7 + i, NULL, 0);
		add_route(net6, 6, 64, 7 + i, NULL, 0);
		net[15] = 2;
		net6[15] = 2;
		add_neigh(net, 7 + i, peer_mac);
		add_neigh(net6, 7 + i, peer_mac);
	}
	add_vlan(ETHERTYPE_8021Q, 100, 0, 0, 7, XDPONG_L3_LL_ONLINK);
	add_vlan(ETHERTYPE_8021AD, 100, ETHERTYPE_8021Q, 101, 8, XDPONG_L3_LL_ONLINK);
	add_vlan(ETHERTYPE_8021Q, 102, 0, 0, 9, XDPONG_L3_NO_IPV6);
	add_vlan(ETHERTYPE_8021Q, 103, 0, 0, 10, XDPONG_L3_NO_ANSWER);
	return 0;
}

static __attribute__((unused)) int teardown(void **state)
{
	xdpong__destroy(skel);
	return 0;
}

/* Run one frame; returns the verdict, output in out/out_len. */
static __attribute__((unused)) int run_frame(const uint8_t *in, size_t len, uint8_t *out, __u32 *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = in,
		    .data_size_in = len,
		    .data_out = out,
		    .data_size_out = FRAME_MAX,
		    .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		fail_msg("BPF_PROG_TEST_RUN: %s", strerror(errno));
	*out_len = opts.data_size_out;
	return opts.retval;
}

/* libbpf's messages only with V=1. */
static __attribute__((unused)) int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	const char *v = getenv("V");

	return v && *v == '1' ? vfprintf(stderr, fmt, ap) : 0;
}

#endif /* XDPONG_TEST_HARNESS_H */
