// SPDX-License-Identifier: GPL-2.0
/*
 * test_packets.c: the XDP program in the kernel through BPF_PROG_TEST_RUN,
 * one table row per case: an input frame, the expected verdict and reason,
 * and (for XDP_TX) the expected reply built from scratch. Passed frames
 * must come out untouched, replies byte for byte as expected with their
 * checksums re-verified from scratch, and exactly the row's reason counter
 * must move. Then a sweep of every request checksum value.
 *
 * Runs under cmocka; `CMOCKA_MESSAGE_OUTPUT=TAP` gives TAP for prove.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"

struct pcase {
	const char *name;
	struct frame_spec spec;
	int verdict;
	enum xdpong_reason reason;
	void (*edit)(uint8_t *frame, size_t *len); /* a change the spec can't say */
	int cfg_unset;     /* run with the config's TTL zeroed */
	__u32 cfg_flags;   /* run with these XDPONG_F_* */
	__u32 dev_flags;   /* run with these XDPONG_L3_* on the attached interface */
	__u32 dev_flags_off; /* and without these of its usual ones */
	__u32 mtu4, mtu6;  /* run with these MTUs on it */
	uint8_t reply_mac[6]; /* the reply's destination MAC, if not the request's source */
};

static void make_arp(uint8_t *f, size_t *len)
{
	put16(f + 12, ETHERTYPE_ARP);
}

/* test_run takes nothing shorter than an Ethernet header. */
static void cut_to_14(uint8_t *f, size_t *len)
{
	*len = 14;
}

#define TX(n, s, ...)        { n, s, XDP_TX, XDPONG_R_REPLIED, __VA_ARGS__ }
#define PASS(n, r, s, ...)   { n, s, XDP_PASS, XDPONG_R_##r, __VA_ARGS__ }

static const struct pcase cases[] = {
	/* Replies: sizes, tails, VLANs, padding, jumbo (multi-buffer). */
	TX("v4 payload 0", ECHO4(.payload_len = 0)),
	TX("v4 payload 1", ECHO4(.payload_len = 1)),
	TX("v4 payload 3 (odd tail)", ECHO4(.payload_len = 3)),
	TX("v4 payload 56", ECHO4()),
	TX("v4 payload 57", ECHO4(.payload_len = 57)),
	TX("v4 payload 255", ECHO4(.payload_len = 255)),
	TX("v4 payload 1472", ECHO4(.payload_len = 1472)),
	TX("v4 jumbo 8972 (multi-buffer)", ECHO4(.payload_len = 8972)),
	TX("v4 jumbo 8971 odd (multi-buffer)", ECHO4(.payload_len = 8971)),
	TX("v4 64k-ish 16000 (multi-buffer)", ECHO4(.payload_len = FRAME_MAX - 400)),
	TX("v6 payload 0", ECHO6(.payload_len = 0)),
	TX("v6 payload 1", ECHO6(.payload_len = 1)),
	TX("v6 payload 56", ECHO6()),
	TX("v6 payload 1452", ECHO6(.payload_len = 1452)),
	TX("v6 payload 1472", ECHO6(.payload_len = 1472)),
	TX("v6 jumbo 8952 (multi-buffer)", ECHO6(.payload_len = 8952)),
	TX("v6 jumbo 8953 odd (multi-buffer)", ECHO6(.payload_len = 8953)),
	/* VLANs: only those with a VLAN device (harness.h: 802.1Q 100, 802.1ad
	 * 100 + 802.1Q 101, ...), the reply tagged at priority 0. */
	TX("v4 VLAN 100 (a VLAN device)", ECHO4(VLAN_100, FROM_VLAN4(0))),
	TX("v4 802.1ad 100 + 802.1Q 101 (stacked VLAN devices)", ECHO4(DOUBLE_TAG)),
	TX("v6 VLAN 100 (a VLAN device)", ECHO6(VLAN_100, FROM_VLAN6(0))),
	TX("v6 802.1ad 100 + 802.1Q 101 (stacked VLAN devices)", ECHO6(DOUBLE_TAG, FROM_VLAN6(1))),
	TX("v4 VLAN 100 with priority 5 and DEI: the reply at priority 0",
	   ECHO4(VLAN_100, FROM_VLAN4(0), .vlan_tci = { 0xb064 })),
	TX("v6 link-local of the VLAN device, tagged", ECHO6(VLAN_100,
	   .dst = V6(0xfe, 0x80, [15] = 7), .src = V6(0xfe, 0x80, [15] = 9))),
	PASS("v4 VLAN 100 from the base interface's subnet: routed back elsewhere", ROUTE_ELSEWHERE,
	     ECHO4(VLAN_100)),
	PASS("v4 VLAN 5: no VLAN device", VLAN_NO_DEVICE, ECHO4(.vlans = 1,
	     .vlan_proto = { ETHERTYPE_8021Q }, .vlan_tci = { 5 })),
	PASS("v6 VLAN 4095: no VLAN device", VLAN_NO_DEVICE, ECHO6(.vlans = 1,
	     .vlan_proto = { ETHERTYPE_8021Q }, .vlan_tci = { 4095 })),
	PASS("v4 priority tag (VID 0): the kernel answers it untagged", VLAN_NO_DEVICE,
	     ECHO4(.vlans = 1, .vlan_proto = { ETHERTYPE_8021Q }, .vlan_tci = { 0xa000 })),
	PASS("v4 802.1ad 100 alone: the device is 802.1Q", VLAN_NO_DEVICE, ECHO4(.vlans = 1,
	     .vlan_proto = { ETHERTYPE_8021AD })),
	PASS("v6 two 802.1Q tags: no such stack", VLAN_NO_DEVICE, ECHO6(.vlans = 2,
	     .vlan_proto = { ETHERTYPE_8021Q, ETHERTYPE_8021Q })),
	PASS("v6 link-local of the base interface, tagged", DST_NOT_LOCAL, ECHO6(VLAN_100,
	     .dst = V6(0xfe, 0x80, [15] = 1))),
	PASS("v6 on a VLAN device with disable_ipv6", IPV6_DISABLED, ECHO6(.vlans = 1,
	     .vlan_proto = { ETHERTYPE_8021Q }, .vlan_tci = { 102 })),
	TX("v4 on a VLAN device with disable_ipv6", ECHO4(.vlans = 1,
	   .vlan_proto = { ETHERTYPE_8021Q }, .vlan_tci = { 102 }, FROM_VLAN4(2))),
	PASS("v4 on a VLAN device that is down", DEV_NO_ANSWER, ECHO4(.vlans = 1,
	     .vlan_proto = { ETHERTYPE_8021Q }, .vlan_tci = { 103 })),
	PASS("untagged, where the NIC may have stripped a tag", VLAN_UNKNOWN, ECHO4(),
	     .cfg_flags = XDPONG_F_VLAN_TAG_UNKNOWN),
	TX("v4 Ethernet padding stripped", ECHO4(.payload_len = 0, .pad = 18)),
	TX("v6 trailing bytes stripped", ECHO6(.payload_len = 0, .pad = 7)),
	TX("v4 padding on a jumbo frame", ECHO4(.payload_len = 8000, .pad = 60)),
	TX("v4 checksum 0xffff (other zero)", ECHO4(.payload_len = 2, .filler = 0, .fill = 0,
						     .id = 0xf7ff, .seq = 0, .icmp_csum_ffff = 1)),
	TX("v4 without DF, TTL 1", ECHO4(.frag = 0, .ttl = 1)),
	TX("v4 TOS kept", ECHO4(.tos = 0xb8)),
	TX("v4 reserved flag: the reply has it clear", ECHO4(.frag = 0x8000)),
	TX("v4 reserved flag and DF: the reply keeps DF", ECHO4(.frag = 0xc000)),
	TX("v6 link-local on this interface", ECHO6(.dst = V6(0xfe, 0x80, [15] = 1),
						    .src = V6(0xfe, 0x80, [15] = 9))),

	/* Everything the kernel must see, each under its reason. */
	PASS("ARP", NON_IP, ECHO4(), make_arp),
	PASS("three VLAN tags", VLAN_DEPTH, ECHO4(.vlans = 3, .vlan_proto = { ETHERTYPE_8021AD, ETHERTYPE_8021Q, ETHERTYPE_8021Q })),
	PASS("Ethernet header only", TRUNCATED, ECHO4(), cut_to_14),
	PASS("v4 header cut", TRUNCATED, ECHO4(.payload_len = 0, .truncate = 20)),
	PASS("v4 total length past the frame", TRUNCATED, ECHO4(.ip_len_delta = 1)),
	PASS("v4 frame cut in the payload", TRUNCATED, ECHO4(.truncate = 1)),
	PASS("v4 total length 27 (no ICMP header)", TRUNCATED, ECHO4(.payload_len = 0, .ip_len_delta = -1)),
	PASS("v6 payload length past the frame", TRUNCATED, ECHO6(.ip_len_delta = 1)),
	PASS("v6 payload length 7", TRUNCATED, ECHO6(.payload_len = 0, .ip_len_delta = -1)),
	PASS("v6 header cut", TRUNCATED, ECHO6(.payload_len = 0, .truncate = 20)),
	PASS("jumbo cut in the fragments", TRUNCATED, ECHO4(.payload_len = 8972, .truncate = 100)),
	PASS("v4 version 5", BAD_IP_HEADER, ECHO4(.version = 5)),
	PASS("v4 IHL 4", BAD_IP_HEADER, ECHO4(.ihl = 4)),
	PASS("v4 total length 10", BAD_IP_HEADER, ECHO4(.payload_len = 0, .ip_len_delta = -18)),
	PASS("v6 version 4", BAD_IP_HEADER, ECHO6(.version = 4)),
	PASS("v6 payload length 0", BAD_IP_HEADER, ECHO6(.payload_len = 0, .ip_len_delta = -8)),
	PASS("v4 UDP", NOT_ICMP, ECHO4(.proto = 17)),
	PASS("v6 UDP", NOT_ICMP, ECHO6(.proto = 17)),
	PASS("v4 more fragments", FRAGMENT, ECHO4(.frag = 0x2000)),
	PASS("v4 fragment offset", FRAGMENT, ECHO4(.frag = 0x0010)),
	PASS("v6 fragment header", FRAGMENT, ECHO6(.ext = 1, .ext_type = 44)),
	PASS("v4 options (IHL 6)", IP_OPTIONS, ECHO4(.opt_len = 4)),
	PASS("v4 40 bytes of options", IP_OPTIONS, ECHO4(.opt_len = 40)),
	PASS("v6 hop-by-hop header", EXT_HEADER, ECHO6(.ext = 1, .ext_type = 0)),
	PASS("v6 destination options", EXT_HEADER, ECHO6(.ext = 1, .ext_type = 60)),
	PASS("v6 routing header", EXT_HEADER, ECHO6(.ext = 1, .ext_type = 43)),
	PASS("v4 echo reply", NOT_ECHO, ECHO4(.type = 0)),
	PASS("v4 dest unreachable", NOT_ECHO, ECHO4(.type = 3, .code = 3)),
	PASS("v4 timestamp", NOT_ECHO, ECHO4(.type = 13)),
	PASS("v4 extended echo (PROBE)", NOT_ECHO, ECHO4(.type = 42)),
	PASS("v6 echo reply", NOT_ECHO, ECHO6(.type = 129)),
	PASS("v6 neighbour solicitation", NOT_ECHO, ECHO6(.type = 135)),
	PASS("v6 extended echo (PROBE)", NOT_ECHO, ECHO6(.type = 160)),
	PASS("v4 echo code 1", BAD_CODE, ECHO4(.code = 1)),
	PASS("v6 echo code 255", BAD_CODE, ECHO6(.code = 255)),
	/* The route back, and the MAC the kernel would reply to. */
	TX("v4 from a forged unicast MAC: the reply goes to the next hop's", ECHO4(.src_mac = { 0x02, 0, 0, 0xcc, 0, 7 }),
	   .reply_mac = MAC_PEER),
	TX("v6 from a forged unicast MAC: the reply goes to the next hop's", ECHO6(.src_mac = { 0x02, 0, 0, 0xcc, 0, 7 }),
	   .reply_mac = MAC_PEER),
	TX("v4 from our own MAC: the reply goes to the next hop's", ECHO4(.src_mac = MAC_US), .reply_mac = MAC_PEER),
	/* A next hop the neighbour table lacks: the kernel would resolve it
	 * first, and answer only if something answered (for a forged source,
	 * nothing does): the kernel's to handle. */
	PASS("v6 link-local source the neighbour table lacks", NO_NEIGHBOUR,
	     ECHO6(.src = V6(0xfe, 0x80, [15] = 8), .dst = V6(0xfe, 0x80, [15] = 1),
		   .src_mac = { 0x02, 0, 0, 0xcc, 0, 8 })),
	TX("v6 link-local source the neighbour table has: to its MAC there",
	   ECHO6(.src = V6(0xfe, 0x80, [15] = 9), .dst = V6(0xfe, 0x80, [15] = 1),
		 .src_mac = { 0x02, 0, 0, 0xcc, 0, 9 }), .reply_mac = MAC_PEER),
	/* The kernel looks up the route back to a link-local source among the
	 * receiving device's routes: without its on-link fe80::/64 one, it
	 * replies through a gateway or not at all. */
	PASS("v6 link-local source, the device without its fe80::/64 route", NO_ROUTE,
	     ECHO6(.src = V6(0xfe, 0x80, [15] = 9), .dst = V6(0xfe, 0x80, [15] = 1),
		   .src_mac = { 0x02, 0, 0, 0xcc, 0, 9 }), .dev_flags_off = XDPONG_L3_LL_ONLINK),
	TX("v6 global source, the device without its fe80::/64 route",
	   ECHO6(), .dev_flags_off = XDPONG_L3_LL_ONLINK),
	/* A source the route cache has an exception for (a redirect, a path MTU). */
	PASS("v4 source with a route exception", ROUTE_EXCEPTION, ECHO4(.src = V4(198, 18, 6, 9))),
	PASS("v6 source with a route exception", ROUTE_EXCEPTION,
	     ECHO6(.src = V6(0x20, 0x01, 0x00, 0x02, 0, 6, [15] = 9))),
	/* Longer than the device's MTU (IPv6: its own, which an RA may
	 * lower): the kernel fragments its reply. */
	PASS("v6 reply longer than the device's IPv6 MTU", REPLY_TOO_BIG,
	     ECHO6(.payload_len = 1233), .mtu6 = 1280),
	TX("v6 reply the size of the device's IPv6 MTU", ECHO6(.payload_len = 1232), .mtu6 = 1280),
	PASS("v4 reply longer than the device's MTU", REPLY_TOO_BIG,
	     ECHO4(.payload_len = 1473), .mtu4 = 1500),
	TX("v4 reply the size of the device's MTU", ECHO4(.payload_len = 1472), .mtu4 = 1500),
	/* The last sync with the host failed: the maps may be stale. */
	PASS("v4 while not in step with the host", NOT_IN_STEP, ECHO4(),
	     .cfg_flags = XDPONG_F_NOT_IN_STEP),
	PASS("v6 while not in step with the host", NOT_IN_STEP, ECHO6(),
	     .cfg_flags = XDPONG_F_NOT_IN_STEP),
	PASS("v4 on-link source the neighbour table lacks", NO_NEIGHBOUR, ECHO4(.src = V4(198, 18, 6, 3))),
	TX("v4 on-link source the neighbour table has: to its MAC there",
	   ECHO4(.src = V4(198, 18, 6, 2), .src_mac = { 0x02, 0, 0, 0xcc, 0, 6 }), .reply_mac = MAC_PEER),
	PASS("v6 on-link source the neighbour table lacks", NO_NEIGHBOUR,
	     ECHO6(.src = V6(0x20, 0x01, 0x00, 0x02, 0, 6, [15] = 3))),
	TX("v6 on-link source the neighbour table has: to its MAC there",
	   ECHO6(.src = V6(0x20, 0x01, 0x00, 0x02, 0, 6, [15] = 2), .src_mac = { 0x02, 0, 0, 0xcc, 0, 6 }),
	   .reply_mac = MAC_PEER),
	PASS("v4 via a gateway the neighbour table lacks", NO_NEIGHBOUR, ECHO4(.src = V4(198, 18, 4, 9))),
	PASS("v4 from a subnet routed by another interface", ROUTE_ELSEWHERE, ECHO4(.src = V4(198, 18, 7, 9))),
	PASS("v6 from a prefix routed by another interface", ROUTE_ELSEWHERE,
	     ECHO6(.src = V6(0x20, 0x01, 0x00, 0x02, 0, 7, [15] = 9))),
	PASS("v4 from a blackholed subnet", NO_ROUTE, ECHO4(.src = V4(198, 18, 8, 9))),
	PASS("v4 with policy routing on the host", POLICY_ROUTING, ECHO4(),
	     .cfg_flags = XDPONG_F_POLICY_ROUTING),
	PASS("v4 from a broadcast MAC", SRC_MAC_INVALID, ECHO4(.src_mac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff })),
	PASS("v6 from an IPv6 multicast MAC", SRC_MAC_INVALID, ECHO6(.src_mac = { 0x33, 0x33, 0, 0, 0, 1 })),
	PASS("v4 from an IPv4 multicast MAC", SRC_MAC_INVALID, ECHO4(.src_mac = { 0x01, 0, 0x5e, 0, 0, 1 })),
	PASS("v4 from MAC 00:00:00:00:00:00", SRC_MAC_INVALID, ECHO4(.src_mac = { 0 })),
	PASS("v6 from MAC 00:00:00:00:00:00", SRC_MAC_INVALID, ECHO6(.src_mac = { 0 })),
	PASS("v4 broadcast MAC", MAC_GROUP, ECHO4(.dst_mac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff })),
	PASS("v4 multicast MAC", MAC_GROUP, ECHO4(.dst_mac = { 0x01, 0x00, 0x5e, 0, 0, 1 })),
	PASS("v6 multicast MAC", MAC_GROUP, ECHO6(.dst_mac = { 0x33, 0x33, 0, 0, 0, 1 })),
	PASS("v4 another host's MAC", MAC_OTHER, ECHO4(.dst_mac = { 0x02, 0, 0, 0xaa, 0, 0x09 })),
	PASS("v6 another host's MAC", MAC_OTHER, ECHO6(.dst_mac = { 0x02, 0, 0, 0xaa, 0, 0x09 })),
	PASS("v4 to 255.255.255.255", DST_BROADCAST, ECHO4(.dst = V4(255, 255, 255, 255))),
	PASS("v4 to 224.0.0.1", DST_MULTICAST, ECHO4(.dst = V4(224, 0, 0, 1))),
	PASS("v6 to ff02::1", DST_MULTICAST, ECHO6(.dst = V6(0xff, 0x02, [15] = 1))),
	PASS("v4 to a non-local address", DST_NOT_LOCAL, ECHO4(.dst = V4(198, 18, 0, 99))),
	PASS("v4 to the subnet broadcast", DST_BROADCAST, ECHO4(.dst = V4(198, 18, 0, 255))),
	PASS("v4 to another subnet's broadcast", DST_NOT_LOCAL, ECHO4(.dst = V4(198, 18, 1, 255))),
	PASS("v6 to a non-local address", DST_NOT_LOCAL, ECHO6(.dst = V6(0x20, 0x01, 0, 2, [15] = 0x99))),
	PASS("v6 link-local of another interface", DST_NOT_LOCAL, ECHO6(.dst = V6(0xfe, 0x80, [15] = 2))),
	PASS("v6 to ::ffff:198.18.0.1 (our IPv4 address, mapped)", DST_NOT_LOCAL,
	     ECHO6(.dst = V6([10] = 0xff, [11] = 0xff, 198, 18, 0, 1))),
	PASS("v6 to ::ffff:198.18.0.255 (our subnet broadcast, mapped)", DST_NOT_LOCAL,
	     ECHO6(.dst = V6([10] = 0xff, [11] = 0xff, 198, 18, 0, 255))),
	PASS("v4 to an address of ours not delivered here (VRF, down)", DST_NOT_LOCAL,
	     ECHO4(.dst = V4_OTHER)),
	PASS("v6 to an address of ours not delivered here (VRF, down)", DST_NOT_LOCAL,
	     ECHO6(.dst = V6_OTHER)),
	PASS("v6 with disable_ipv6 on the interface", IPV6_DISABLED, ECHO6(),
	     .dev_flags = XDPONG_L3_NO_IPV6),
	TX("v4 with disable_ipv6 on the interface", ECHO4(), .dev_flags = XDPONG_L3_NO_IPV6),
	PASS("v6 from our own address", SRC_INVALID, ECHO6(.src = V6_US)),
	PASS("v6 from our own address on another interface", SRC_INVALID, ECHO6(.src = V6_OTHER)),
	PASS("v6 from our own link-local address", SRC_INVALID, ECHO6(.src = V6(0xfe, 0x80, [15] = 1),
	     .dst = V6(0xfe, 0x80, [15] = 1))),
	PASS("v6 from our link-local address of another link", SRC_INVALID,
	     ECHO6(.src = V6(0xfe, 0x80, [15] = 2), .dst = V6(0xfe, 0x80, [15] = 1))),
	PASS("v4 from our address on another interface", SRC_INVALID, ECHO4(.src = V4_OTHER)),
	PASS("v4 from 0.0.0.0", SRC_INVALID, ECHO4(.src = V4(0, 0, 0, 0))),
	PASS("v4 from 127.0.0.1", SRC_INVALID, ECHO4(.src = V4(127, 0, 0, 1))),
	PASS("v4 from 224.0.0.5", SRC_INVALID, ECHO4(.src = V4(224, 0, 0, 5))),
	PASS("v4 from 255.255.255.255", SRC_INVALID, ECHO4(.src = V4(255, 255, 255, 255))),
	PASS("v4 from our own address", SRC_INVALID, ECHO4(.src = V4(198, 18, 0, 1))),
	PASS("v4 from our subnet's broadcast", SRC_INVALID, ECHO4(.src = V4(198, 18, 0, 255))),
	PASS("v6 from ::", SRC_INVALID, ECHO6(.src = V6(0))),
	PASS("v6 from ::1", SRC_INVALID, ECHO6(.src = V6([15] = 1))),
	PASS("v6 from ff02::1", SRC_INVALID, ECHO6(.src = V6(0xff, 0x02, [15] = 1))),
	PASS("v6 from ::ffff:198.18.0.2", SRC_INVALID, ECHO6(.src = V6([10] = 0xff, [11] = 0xff, 198, 18, 0, 2))),
	PASS("v4 bad header checksum", BAD_IP_CSUM, ECHO4(.bad_ip_csum = 1)),
	PASS("v4 bad ICMP checksum", BAD_ICMP_CSUM, ECHO4(.bad_icmp_csum = 1)),
	PASS("v4 bad ICMP checksum, odd tail", BAD_ICMP_CSUM, ECHO4(.payload_len = 5, .bad_icmp_csum = 1)),
	PASS("v4 bad ICMP checksum, jumbo", BAD_ICMP_CSUM, ECHO4(.payload_len = 8972, .bad_icmp_csum = 1)),
	PASS("v6 bad ICMPv6 checksum", BAD_ICMP_CSUM, ECHO6(.bad_icmp_csum = 1)),
	PASS("v6 checksum without pseudo-header", BAD_ICMP_CSUM, ECHO6(.no_pseudo = 1)),
	PASS("v6 bad checksum, jumbo", BAD_ICMP_CSUM, ECHO6(.payload_len = 8952, .bad_icmp_csum = 1)),
	/* One byte changed in each part of a jumbo frame the sum reads in its own
	 * way: the linear area's big block, its 512-byte blocks, a fragment's
	 * big slice, the block across a fragment boundary, the copied tail. */
	PASS("v4 jumbo, a byte changed at 100", BAD_ICMP_CSUM, ECHO4(.payload_len = 8972, .corrupt_at = 100)),
	PASS("v4 jumbo, a byte changed at 2500", BAD_ICMP_CSUM, ECHO4(.payload_len = 8972, .corrupt_at = 2500)),
	PASS("v4 jumbo, a byte changed at 3480", BAD_ICMP_CSUM, ECHO4(.payload_len = 8972, .corrupt_at = 3480)),
	PASS("v4 jumbo, a byte changed at 5000", BAD_ICMP_CSUM, ECHO4(.payload_len = 8972, .corrupt_at = 5000)),
	PASS("v4 jumbo, a byte changed at 7600", BAD_ICMP_CSUM, ECHO4(.payload_len = 8972, .corrupt_at = 7600)),
	PASS("v4 jumbo, a byte changed at 8971", BAD_ICMP_CSUM, ECHO4(.payload_len = 8971, .corrupt_at = 8971)),
	PASS("v6 jumbo, a byte changed at 6000", BAD_ICMP_CSUM, ECHO6(.payload_len = 8952, .corrupt_at = 6000)),
	PASS("v4 16000, a byte changed at 15000", BAD_ICMP_CSUM, ECHO4(.payload_len = 16000, .corrupt_at = 15000)),
	PASS("config not filled in", NOT_CONFIGURED, ECHO4(), .cfg_unset = 1),
	PASS("monitor-only mode", MONITOR_ONLY, ECHO6(), .cfg_flags = XDPONG_F_MONITOR_ONLY),
	PASS("v4 with icmp_echo_ignore_all", ECHO_IGNORED, ECHO4(), .cfg_flags = XDPONG_F_IGNORE_V4),
	TX("v6 answered when only IPv4 ignores echo", ECHO6()),
	PASS("v6 with echo_ignore_all", ECHO_IGNORED, ECHO6(), .cfg_flags = XDPONG_F_IGNORE_V6),
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void run_case(void **state)
{
	const struct pcase *c = *state;
	static uint8_t in[FRAME_MAX], out[FRAME_MAX], exp[FRAME_MAX];
	struct frame_spec reply;
	size_t in_len, exp_len;
	__u64 before, after_total = 0, before_total = 0;
	static struct xdpong_stats st_before, st_after;
	int fam = c->spec.family == 4 ? XDPONG_FAM_ICMP - 1 : XDPONG_FAM_ICMPV6 - 1;
	int req = c->spec.family == 4 ? XDPONG_ICMP_ECHO_REQUEST : XDPONG_ICMP6_ECHO_REQUEST;
	struct xdpong_l3dev saved_dev;
	__u32 out_len;
	int verdict, r;

	in_len = build_frame(&c->spec, in);
	if (c->edit)
		c->edit(in, &in_len);
	saved_dev = base_cfg.dev;
	base_cfg.dev.flags = (base_cfg.dev.flags | c->dev_flags) & ~c->dev_flags_off;
	base_cfg.dev.mtu4 = c->mtu4;
	base_cfg.dev.mtu6 = c->mtu6;
	if (c->cfg_unset || c->cfg_flags || c->dev_flags || c->dev_flags_off || c->mtu4 || c->mtu6)
		set_config(c->cfg_unset ? 0 : CFG_TTL, CFG_HOP, c->cfg_flags);
	base_cfg.dev = saved_dev;
	for (r = 0; r < XDPONG_R_MAX; r++)
		before_total += reason_count(r);
	before = reason_count(c->reason);
	stats_sum(&st_before);

	verdict = run_frame(in, in_len, out, &out_len);
	set_config(CFG_TTL, CFG_HOP, 0);
	stats_sum(&st_after);

	assert_int_equal(verdict, c->verdict);
	assert_int_equal(reason_count(c->reason), before + 1);
	for (r = 0; r < XDPONG_R_MAX; r++)
		after_total += reason_count(r);
	assert_int_equal(after_total, before_total + 1);
	/* An answered request also counts in its message class and as an echo
	 * the kernel never saw (the program counts it once: the readers'
	 * xdpong_stats_complete() must give all three). */
	if (c->reason == XDPONG_R_REPLIED) {
		assert_int_equal(st_after.code0[fam][req].packets, st_before.code0[fam][req].packets + 1);
		assert_int_equal(st_after.echo_replied[c->spec.family == 6].packets,
				 st_before.echo_replied[c->spec.family == 6].packets + 1);
	}

	if (c->verdict == XDP_PASS) {
		/* Untouched: same length, same bytes. */
		assert_int_equal(out_len, in_len);
		assert_memory_equal(out, in, in_len);
		return;
	}
	reply = reply_spec(&c->spec, c->spec.family == 4 ? CFG_TTL : CFG_HOP);
	if (c->reply_mac[0] | c->reply_mac[1] | c->reply_mac[5])
		memcpy(reply.dst_mac, c->reply_mac, 6);
	exp_len = build_frame(&reply, exp);
	assert_int_equal(out_len, exp_len);
	assert_memory_equal(out, exp, exp_len);
	assert_true(ref_checksums_ok(out, out_len, c->spec.vlans));
}

/*
 * Pick the two payload bytes (ICMP) or the IP id (IPv4 header) so that the
 * request's checksum takes the value @target: with the word set to 0 the
 * checksum is C0 = ~S; a word W gives ~(S + W), so W = ~target + C0.
 */
static uint16_t word_for(uint16_t c0, uint16_t target)
{
	return ref_fold((uint32_t)(uint16_t)~target + c0);
}

/* Every request checksum value 0x0000-0xfffe (0xffff has its own row). */
static void sweep(int family)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX], exp[FRAME_MAX];
	struct frame_spec s = family == 4 ? (struct frame_spec)ECHO4(.payload_len = 6)
					  : (struct frame_spec)ECHO6(.payload_len = 6);
	size_t l4 = l2_len(&s) + (family == 4 ? 20 : 40), len, exp_len;
	uint16_t c0_icmp, c0_ip = 0;
	__u32 out_len;
	unsigned int t, bad = 0;

	s.filler = 0;
	s.ip_id = 0;
	build_frame(&s, in);
	c0_icmp = get16(in + l4 + 2);
	if (family == 4)
		c0_ip = get16(in + l2_len(&s) + 10);

	for (t = 0; t < 0xffff; t++) {
		struct frame_spec r;

		s.filler = word_for(c0_icmp, t);
		if (family == 4)
			s.ip_id = word_for(c0_ip, t);
		len = build_frame(&s, in);
		assert_int_equal(get16(in + l4 + 2), t);
		if (family == 4)
			assert_int_equal(get16(in + l2_len(&s) + 10), t);

		r = reply_spec(&s, family == 4 ? CFG_TTL : CFG_HOP);
		exp_len = build_frame(&r, exp);
		if (run_frame(in, len, out, &out_len) != XDP_TX || out_len != exp_len ||
		    memcmp(out, exp, exp_len) || !ref_checksums_ok(out, out_len, 0)) {
			if (bad++ < 5)
				print_error("checksum 0x%04x: wrong reply\n", t);
		}
	}
	assert_int_equal(bad, 0);
}

/* Send @n copies of a request from @src; count the verdicts. */
static void burst_from(const uint8_t src[4], int n, int *tx, int *pass, int *drop)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	struct frame_spec s = ECHO4();
	size_t len;
	__u32 out_len;
	int i, v;

	memcpy(s.src, src, 4);
	len = build_frame(&s, in);
	*tx = *pass = *drop = 0;
	for (i = 0; i < n; i++) {
		v = run_frame(in, len, out, &out_len);
		*tx += v == XDP_TX;
		*pass += v == XDP_PASS;
		*drop += v == XDP_DROP;
	}
}

static void set_limits(__u64 g_interval, int g_burst, __u64 s_interval, int s_burst, __u32 flags)
{
	base_cfg.rate_interval_ns = g_interval;
	base_cfg.rate_tolerance_ns = g_interval * (g_burst - 1);
	base_cfg.src_interval_ns = s_interval;
	base_cfg.src_tolerance_ns = s_interval * (s_burst - 1);
	set_config(CFG_TTL, CFG_HOP, flags);
}

/* Rate limits: bursts within one second, so no token comes back meanwhile. */
static void rate_limits(void **state)
{
	static const uint8_t a[4] = { 198, 18, 0, 2 }, b[4] = { 198, 18, 0, 3 }, c[4] = { 198, 18, 0, 4 };
	__u64 before_pass = reason_count(XDPONG_R_RATE_PASS), before_drop;
	int tx, pass, drop;

	/* Per source: a burst of 3 at one a minute, excess passed. */
	set_limits(0, 1, 60000000000ULL, 3, 0);
	burst_from(a, 5, &tx, &pass, &drop);
	assert_int_equal(tx, 3);
	assert_int_equal(pass, 2);
	burst_from(b, 4, &tx, &pass, &drop);
	assert_int_equal(tx, 3); /* another source has its own bucket */
	assert_int_equal(reason_count(XDPONG_R_RATE_PASS), before_pass + 3);

	/* Excess dropped instead. */
	before_drop = reason_count(XDPONG_R_RATE_DROP);
	set_limits(0, 1, 60000000000ULL, 3, XDPONG_F_OVER_LIMIT_DROP);
	burst_from(a, 2, &tx, &pass, &drop);
	assert_int_equal(drop, 2);
	assert_int_equal(reason_count(XDPONG_R_RATE_DROP), before_drop + 2);

	/* Global: a burst of 2 for everybody. */
	set_limits(60000000000ULL, 2, 0, 1, 0);
	burst_from(c, 3, &tx, &pass, &drop);
	assert_int_equal(tx, 2);
	burst_from(b, 1, &tx, &pass, &drop);
	assert_int_equal(pass, 1);

	/* Off again: everything answered. */
	set_limits(0, 1, 0, 1, 0);
	burst_from(a, 10, &tx, &pass, &drop);
	assert_int_equal(tx, 10);
}

/* The per-CPU address cache forgets when the address map's generation moves. */
static void address_cache(void **state)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	static const uint8_t us[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 1 };
	static const uint8_t peer[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 2 };
	static const uint8_t us6[16] = V6_US, peer6[16] = V6_PEER;
	struct frame_spec s = ECHO4();
	size_t len = build_frame(&s, in);
	__u32 out_len;

	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX); /* now cached */
	add_addr(peer, 0);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS); /* source now ours */
	del_addr(peer, 0);
	del_addr(us, 0);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS); /* destination gone */
	add_addr(us, 0);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX);

	/* IPv6: the destination cached, then removed; the source cached, then ours. */
	s = (struct frame_spec)ECHO6();
	len = build_frame(&s, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX);
	del_addr(us6, 0);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	add_addr(us6, 0);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX);
	add_addr_flags(peer6, 0, XDPONG_ADDR_SOURCE_ONLY);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	del_addr(peer6, 0);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX);
}

/* An Ethernet/IPv4 ARP packet (RFC 826) from @sha, in @f; returns its length. */
static size_t arp_frame(uint8_t *f, int op, const uint8_t dst_mac[6], const uint8_t sha[6],
			const uint8_t sip[4], const uint8_t tip[4])
{
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, sha, 6);
	put16(f + 12, ETHERTYPE_ARP);
	put16(f + 14, 1);      /* Ethernet */
	put16(f + 16, 0x0800); /* IPv4 */
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, op);
	memcpy(f + 22, sha, 6);
	memcpy(f + 28, sip, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, tip, 4);
	memset(f + 42, 0, 18); /* padded to 60 bytes, as on the wire */
	return 60;
}

/* A neighbour solicitation (135) or advertisement (136) from @src for
 * @target, its link-layer option (1 source, 2 target) carrying @lla. */
static size_t nd_frame(uint8_t *f, int type, uint32_t flags, const uint8_t src[16],
		       const uint8_t dst[16], const uint8_t dst_mac[6], int hop,
		       const uint8_t target[16], int opt, const uint8_t lla[6])
{
	uint8_t body[24];
	struct frame_spec s = ECHO6(.type = type, .ttl = hop, .id = flags >> 16, .seq = flags & 0xffff,
				    .payload = body, .payload_len = sizeof(body));

	memcpy(s.src, src, 16);
	memcpy(s.dst, dst, 16);
	memcpy(s.dst_mac, dst_mac, 6);
	memcpy(s.src_mac, lla, 6);
	memcpy(body, target, 16);
	body[16] = opt;
	body[17] = 1;
	memcpy(body + 18, lla, 6);
	return build_frame(&s, f);
}

/* Is an echo request from @src (IPv4: 4 bytes) answered, and to which MAC? */
static int answered_to(int family, const uint8_t *src, uint8_t mac[6])
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	struct frame_spec s = ECHO4();
	__u32 out_len;
	size_t len;
	int v;

	if (family == 6)
		s = (struct frame_spec)ECHO6();
	memcpy(s.src, src, family == 4 ? 4 : 16);
	memcpy(s.src_mac, (uint8_t[6]){ 0x02, 0, 0, 0xee, 0, 1 }, 6); /* no one's */
	len = build_frame(&s, in);
	v = run_frame(in, len, out, &out_len);
	if (v == XDP_TX)
		memcpy(mac, out, 6);
	return v;
}

/*
 * The neighbour entries the kernel makes from ARP and neighbour discovery
 * (bpf/neigh_learn.bpf.c): a sender on the link gets one, and its requests
 * are answered at its MAC; a forged source nobody claimed stays the
 * kernel's. Each case uses its own source address (198.18.6.0/24 and
 * 2001:2:6::/64 are on-link).
 */
/* Run a frame that gets no reply, for what the program learns from it. */
static void feed(uint8_t *f, size_t len)
{
	static uint8_t out[FRAME_MAX];
	__u32 out_len;

	run_frame(f, len, out, &out_len);
}

/* The learnt neighbour @a16 (IPv4-mapped or IPv6) on test_run's interface. */
static struct xdpong_neigh_learnt learnt(const uint8_t a16[16])
{
	struct xdpong_neigh_key k = { .ifindex = 1 };
	struct xdpong_neigh_learnt v = {};

	memcpy(k.a.addr, a16, 16);
	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.xdpong_neigh_learnt), &k, &v))
		fail_msg("no learnt entry");
	return v;
}

/* Make the learnt neighbour @a16 heard @ns earlier than it was. */
static void age_learnt(const uint8_t a16[16], __u64 ns)
{
	struct xdpong_neigh_key k = { .ifindex = 1 };
	struct xdpong_neigh_learnt v = learnt(a16);

	memcpy(k.a.addr, a16, 16);
	v.seen_ns -= ns;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_neigh_learnt), &k, &v, BPF_EXIST))
		fail_msg("age_learnt: %s", strerror(errno));
}

static void neighbour_learning(void **state)
{
	static uint8_t f[FRAME_MAX], out[FRAME_MAX];
	static const uint8_t us_mac[6] = MAC_US, bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t x[6] = { 0x02, 0, 0, 0x11, 0, 1 }, y[6] = { 0x02, 0, 0, 0x11, 0, 2 };
	static const uint8_t group[6] = { 0x03, 0, 0, 0x11, 0, 3 }, zero[6] = { 0 };
	static const uint8_t us4[4] = V4(198, 18, 0, 1), not_us4[4] = V4(198, 18, 0, 99);
	static const uint8_t peer_mac[6] = MAC_PEER;
	static const uint8_t us6[16] = V6_US, all_nodes[16] = V6(0xff, 0x02, [15] = 1);
	static const uint8_t sn_us6[16] = V6(0xff, 0x02, [11] = 1, 0xff, 0, 0, 1);
	static const uint8_t sn_mac[6] = { 0x33, 0x33, 0xff, 0, 0, 1 };
	static const uint8_t other_if6[16] = V6(0x20, 0x01, 0x00, 0x02, [15] = 0x77);
	uint8_t mac[6], a4[4] = V4(198, 18, 6, 0), a6[16] = V6(0x20, 0x01, 0x00, 0x02, 0, 6);
	uint8_t v4_16[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 6, 0 };
	__u32 out_len;
	size_t len;
	int i;

	/* IPv4: unknown, then an ARP request for our address: answered, at its MAC. */
	a4[3] = 10;
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	assert_int_equal(reason_count(XDPONG_R_NO_NEIGHBOUR) > 0, 1);
	len = arp_frame(f, 1, bcast, x, a4, us4);
	assert_int_equal(run_frame(f, len, out, &out_len), XDP_PASS); /* the kernel's too */
	assert_int_equal(answered_to(4, a4, mac), XDP_TX);
	assert_memory_equal(mac, x, 6);
	/* A later request from it with another MAC: the last word wins, as in
	 * the kernel's table. */
	feed(f, arp_frame(f, 1, us_mac, y, a4, us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_TX);
	assert_memory_equal(mac, y, 6);
	/* Not learnt: a reply to us for an address the kernel isn't resolving
	 * (no request from it went to the kernel); a request for an address
	 * not ours; one to another station's MAC; a group or zero sender MAC;
	 * a duplicate address probe. */
	a4[3] = 11;
	feed(f, arp_frame(f, 2, us_mac, y, a4, us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	feed(f, arp_frame(f, 1, y, x, a4, us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	a4[3] = 12;
	feed(f, arp_frame(f, 1, bcast, x, a4, not_us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	feed(f, arp_frame(f, 2, x, x, a4, us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	feed(f, arp_frame(f, 1, bcast, group, a4, us4));
	feed(f, arp_frame(f, 1, bcast, zero, a4, us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	feed(f, arp_frame(f, 1, bcast, x, (uint8_t[4]){ 0 }, us4));
	assert_int_equal(answered_to(4, (uint8_t[4]){ 0 }, mac), XDP_PASS);
	/* A request from an unknown source goes to the kernel, which asks for
	 * its MAC: the reply to that request is taken, as the kernel takes it
	 * (and not once the kernel would have given up). */
	a4[3] = 30;
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	feed(f, arp_frame(f, 2, us_mac, x, a4, us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_TX);
	assert_memory_equal(mac, x, 6);
	a4[3] = 31;
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);
	v4_16[15] = 31;
	assert_int_equal(learnt(v4_16).resolving, 1);
	age_learnt(v4_16, XDPONG_NEIGH_RESOLVING_NS + 1000000000ULL);
	feed(f, arp_frame(f, 2, us_mac, x, a4, us4));
	assert_int_equal(learnt(v4_16).resolving, 1); /* the late answer taught nothing */
	/* The host's table (userspace's) comes first. */
	a4[3] = 2;
	feed(f, arp_frame(f, 1, bcast, y, a4, us4));
	assert_int_equal(answered_to(4, a4, mac), XDP_TX);
	assert_memory_equal(mac, peer_mac, 6);
	/* Nothing learnt in monitor-only mode. */
	a4[3] = 13;
	set_config(CFG_TTL, CFG_HOP, XDPONG_F_MONITOR_ONLY);
	feed(f, arp_frame(f, 1, bcast, x, a4, us4));
	set_config(CFG_TTL, CFG_HOP, 0);
	assert_int_equal(answered_to(4, a4, mac), XDP_PASS);

	/* IPv6: our address on the interface (test_run's, lo: 1), another
	 * one's on another interface. */
	{
		struct xdpong_local_key k = addr_key(us6, 0), k2 = addr_key(other_if6, 0);
		struct xdpong_addr_val v = { .ifindex = 1 }, v2 = { .ifindex = 5 };
		int fd = bpf_map__fd(skel->maps.xdpong_addrs);

		assert_int_equal(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
		assert_int_equal(bpf_map_update_elem(fd, &k2, &v2, BPF_ANY), 0);
	}
	/* A solicitation for our address with the sender's MAC. */
	a6[15] = 10;
	assert_int_equal(answered_to(6, a6, mac), XDP_PASS);
	len = nd_frame(f, 135, 0, a6, us6, us_mac, 255, us6, 1, x);
	assert_int_equal(run_frame(f, len, out, &out_len), XDP_PASS);
	assert_int_equal(answered_to(6, a6, mac), XDP_TX);
	assert_memory_equal(mac, x, 6);
	/* To the target's solicited-node group, as a first solicitation goes. */
	a6[15] = 11;
	feed(f, nd_frame(f, 135, 0, a6, sn_us6, sn_mac, 255, us6, 1, y));
	assert_int_equal(answered_to(6, a6, mac), XDP_TX);
	assert_memory_equal(mac, y, 6);
	/* Not learnt, each on its own: an advertisement, even solicited and to
	 * us; a hop limit below 255 (not from the link); a target not ours; a
	 * target option, not a source one; a bad checksum; a byte more in the
	 * payload; to a group that isn't the target's; to another station's
	 * MAC; for an address of ours on another interface (the kernel looks
	 * on the receiving one). */
	for (i = 0; i < 9; i++) {
		a6[15] = 20 + i;
		len = i == 0 ? nd_frame(f, 136, 0x40000000, a6, us6, us_mac, 255, a6, 2, x) :
		      i == 1 ? nd_frame(f, 135, 0, a6, us6, us_mac, 254, us6, 1, x) :
		      i == 2 ? nd_frame(f, 135, 0, a6, us6, us_mac, 255, a6, 1, x) :
		      i == 3 ? nd_frame(f, 135, 0, a6, us6, us_mac, 255, us6, 2, x) :
		      i == 6 ? nd_frame(f, 135, 0, a6, all_nodes, bcast, 255, us6, 1, x) :
		      i == 7 ? nd_frame(f, 135, 0, a6, us6, y, 255, us6, 1, x) :
		      i == 8 ? nd_frame(f, 135, 0, a6, other_if6, us_mac, 255, other_if6, 1, x) :
			       nd_frame(f, 135, 0, a6, us6, us_mac, 255, us6, 1, x);
		if (i == 4)
			f[len - 30] ^= 1;         /* a byte of the checksum */
		if (i == 5)
			f[19] = 33, f[len++] = 0; /* payload length 33: one byte more */
		feed(f, len);
		if (answered_to(6, a6, mac) != XDP_PASS)
			fail_msg("solicitation variant %d was learnt", i);
	}
	/* The solicited advertisement answering the kernel's solicitation for
	 * a source it is resolving. */
	a6[15] = 30;
	assert_int_equal(answered_to(6, a6, mac), XDP_PASS);
	feed(f, nd_frame(f, 136, 0x40000000, a6, us6, us_mac, 255, a6, 2, y));
	assert_int_equal(answered_to(6, a6, mac), XDP_TX);
	assert_memory_equal(mac, y, 6);
	/* A learnt entry ages out: the same one, heard long ago. */
	a6[15] = 10;
	age_learnt(a6, XDPONG_NEIGH_LEARNT_NS + 1000000000ULL);
	assert_int_equal(answered_to(6, a6, mac), XDP_PASS);
}

/* The set not in use is invisible: entries there change nothing until the flip. */
static void address_sets(void **state)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	struct frame_spec s = ECHO4(.dst = V4(198, 18, 0, 77));
	static const uint8_t new4[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 77 };
	size_t len = build_frame(&s, in);
	struct xdpong_local_key k = addr_key(new4, 0);
	struct xdpong_addr_val v = {};
	int fd = bpf_map__fd(skel->maps.xdpong_addrs);
	__u32 out_len;

	k.set = !k.set;
	assert_int_equal(bpf_map_update_elem(fd, &k, &v, BPF_ANY), 0);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(bpf_map_delete_elem(fd, &k), 0);
	add_addr(new4, 0);
	next_addr_set();
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX);
	del_addr(new4, 0);
	next_addr_set();
}

static void sweep_v4(void **state)
{
	sweep(4);
}

static void sweep_v6(void **state)
{
	sweep(6);
}

int main(void)
{
	struct CMUnitTest tests[N_CASES + 6];
	size_t i;

	libbpf_set_print(print_libbpf);
	for (i = 0; i < N_CASES; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(run_case, (void *)&cases[i]);
		tests[i].name = cases[i].name;
	}
	tests[i] = (struct CMUnitTest)cmocka_unit_test(rate_limits);
	tests[i++].name = "rate limits: per source, global, pass or drop";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(address_cache);
	tests[i++].name = "address cache: a map change with a new generation is seen";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(address_sets);
	tests[i++].name = "address sets: the set not in use is not seen";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(neighbour_learning);
	tests[i++].name = "neighbours: learnt from ARP and ND as the kernel does, forged sources not";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(sweep_v4);
	tests[i++].name = "sweep: every IPv4 ICMP and header checksum";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(sweep_v6);
	tests[i++].name = "sweep: every ICMPv6 checksum";
	return _cmocka_run_group_tests("packets", tests, i, setup, teardown);
}
