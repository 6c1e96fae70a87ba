/* SPDX-License-Identifier: GPL-2.0 */
/*
 * model.h: the reference model the fuzzers check the program against,
 * written from the rules alone: it shares none of the program's code. Given
 * a frame, it says whether a kernel-equivalent responder answers it, and
 * builds the reply from scratch. The config and addresses it assumes are
 * model_setup()'s.
 */
#ifndef XDPONG_TEST_MODEL_H
#define XDPONG_TEST_MODEL_H

#include <string.h>
#include <bpf/bpf.h>
#include "xdpong.h"
#include "xdpong.skel.h"
#include "packets.h"

#define TTL 77
#define HOP 99

static const uint8_t MAC_US[6] = { 0x02, 0, 0, 0xaa, 0, 1 };
static const uint8_t MAC_PEER[6] = { 0x02, 0, 0, 0xbb, 0, 2 };

/* Addresses the generator picks from; the first of each family is ours. */
static const uint8_t V4S[][4] = {
	{ 198, 18, 0, 1 }, { 198, 18, 0, 2 }, { 198, 18, 0, 255 }, { 255, 255, 255, 255 },
	{ 224, 0, 0, 1 }, { 127, 0, 0, 1 }, { 0, 0, 0, 0 }, { 198, 19, 1, 1 }, { 198, 18, 0, 3 },
};
static const uint8_t V6S[][16] = {
	{ 0x20, 0x01, 0, 2, [15] = 1 }, { 0x20, 0x01, 0, 2, [15] = 2 }, { 0xff, 0x02, [15] = 1 },
	{ [15] = 1 }, { 0 }, { [10] = 0xff, [11] = 0xff, 198, 18, 0, 2 },
	{ 0xfe, 0x80, [15] = 1 }, { 0xfe, 0x80, [15] = 2 }, { 0x20, 0x01, 0, 2, [15] = 3 },
};

/* ---- The model ---- */

static int is_ours4(const uint8_t *a)
{
	return !memcmp(a, V4S[0], 4);
}

/* Ours, and for a link-local address, on this interface (test_run: lo). */
static int is_ours6(const uint8_t *a)
{
	return !memcmp(a, V6S[0], 16) || !memcmp(a, V6S[6], 16);
}

static int sum_ok(const uint8_t *p, size_t len, uint32_t seed)
{
	return ref_fold(ref_sum(p, len, seed)) == 0xffff;
}

/*
 * What the kernel-equivalent responder must do with @f: 0 to pass it, or
 * the length of the reply it builds in @out.
 */
static size_t model(const uint8_t *f, size_t len, uint8_t *out)
{
	size_t l3 = 14;
	uint16_t et = get16(f + 12);
	int tags = 0;

	while (et == ETHERTYPE_8021Q || et == ETHERTYPE_8021AD) {
		if (++tags > 2 || len < l3 + 4)
			return 0;
		et = get16(f + l3 + 2);
		l3 += 4;
	}
	/* The host has no VLAN devices: the kernel drops tagged frames (or,
	 * with VID 0, answers untagged). */
	if (tags)
		return 0;
	/* A reply goes back to the source MAC: a station's, never a group or zero. */
	if ((f[6] & 1) || !(f[6] | f[7] | f[8] | f[9] | f[10] | f[11]))
		return 0;
	if (et == ETHERTYPE_IPV4) {
		const uint8_t *ip = f + l3, *ic;
		size_t tot;

		if (len < l3 + 20 || ip[0] != 0x45 || ip[9] != 1)
			return 0; /* short, not v4, options, not ICMP */
		if (get16(ip + 6) & 0x3fff)
			return 0; /* fragment */
		tot = get16(ip + 2);
		if (tot < 28 || l3 + tot > len)
			return 0;
		ic = ip + 20;
		if (ic[0] != 8 || ic[1] != 0)
			return 0;
		if ((f[0] & 1) || memcmp(f, MAC_US, 6))
			return 0;
		if (!is_ours4(ip + 16))
			return 0;
		/* martian sources (0/8, 127/8, multicast, 255.255.255.255, our
		 * subnet's broadcast), or ours */
		if (ip[12] == 0 || ip[12] == 127 || (ip[12] & 0xf0) == 0xe0 ||
		    !memcmp(ip + 12, V4S[3], 4) || !memcmp(ip + 12, V4S[2], 4) || is_ours4(ip + 12))
			return 0;
		if (!sum_ok(ip, 20, 0) || !sum_ok(ic, tot - 20, 0))
			return 0;
		/* The reply, from scratch. */
		memcpy(out, f, l3 + tot);
		memcpy(out, MAC_PEER, 6); /* the gateway's, from the neighbour table */
		memcpy(out + 6, f, 6);
		memcpy(out + l3 + 12, ip + 16, 4);
		memcpy(out + l3 + 16, ip + 12, 4);
		out[l3 + 8] = TTL;
		/* The reserved flag must be zero (RFC 791); DF stays. */
		put16(out + l3 + 6, get16(ip + 6) & 0x4000);
		put16(out + l3 + 10, 0);
		put16(out + l3 + 10, ref_csum(out + l3, 20, 0));
		out[l3 + 20] = 0;
		put16(out + l3 + 22, 0);
		put16(out + l3 + 22, ref_csum(out + l3 + 20, tot - 20, 0));
		return l3 + tot;
	}
	if (et == ETHERTYPE_IPV6) {
		const uint8_t *ip = f + l3, *ic = ip + 40, *s = ip + 8, *d = ip + 24;
		size_t plen;

		if (len < l3 + 40 || (ip[0] >> 4) != 6 || ip[6] != 58)
			return 0;
		plen = get16(ip + 4);
		if (plen < 8 || l3 + 40 + plen > len)
			return 0;
		if (ic[0] != 128 || ic[1] != 0)
			return 0;
		if ((f[0] & 1) || memcmp(f, MAC_US, 6))
			return 0;
		if (d[0] == 0xff || !is_ours6(d))
			return 0;
		/* multicast, ::1, ::, v4-mapped; or the host's own (the kernel
		 * answers itself through loopback) */
		if (s[0] == 0xff || !memcmp(s, V6S[3], 16) || !memcmp(s, V6S[4], 16) ||
		    !memcmp(s, V6S[5], 12) || is_ours6(s) || !memcmp(s, V6S[7], 16))
			return 0;
		if (!sum_ok(ic, plen, ref_pseudo6(s, d, plen)))
			return 0;
		/* A link-local source is on-link, and the neighbour table here
		 * has none: the kernel would resolve it first. */
		if (s[0] == 0xfe && (s[1] & 0xc0) == 0x80)
			return 0;
		memcpy(out, f, l3 + 40 + plen);
		/* Off-link: the gateway's MAC, from the neighbour table. */
		memcpy(out, MAC_PEER, 6);
		memcpy(out + 6, f, 6);
		memcpy(out + l3 + 8, d, 16);
		memcpy(out + l3 + 24, s, 16);
		out[l3 + 7] = HOP;
		out[l3 + 40] = 129;
		put16(out + l3 + 42, 0);
		put16(out + l3 + 42, ref_csum(out + l3 + 40, plen,
					      ref_pseudo6(out + l3 + 8, out + l3 + 24, plen)));
		return l3 + 40 + plen;
	}
	return 0;
}

/* One address map entry, in set 0 (addr_gen 0). */
static int model_addr(int fd, const uint8_t *a16, __u32 scope, __u32 flags)
{
	struct xdpong_local_key k = { .ifindex = scope };
	struct xdpong_addr_val v = { .ifindex = scope, .flags = flags };

	memcpy(k.a.addr, a16, 16);
	return bpf_map_update_elem(fd, &k, &v, 0);
}

/* Give the program the config and addresses the model assumes. */
static int model_setup(struct xdpong *skel)
{
	struct xdpong_config cfg = { .ttl = TTL, .hop_limit = HOP, .event_rate = 0,
				     .dev = { .ifindex = 1 } };
	uint8_t k[16] = { [10] = 0xff, [11] = 0xff };
	__u32 zero = 0;
	int fd = bpf_map__fd(skel->maps.xdpong_addrs);

	memcpy(cfg.mac, MAC_US, 6);
	memcpy(k + 12, V4S[0], 4);
	if (model_addr(fd, k, 0, 0))
		return -1;
	memcpy(k + 12, V4S[2], 4); /* 198.18.0.255: the subnet's broadcast */
	model_addr(fd, k, 0, XDPONG_ADDR_BROADCAST);
	model_addr(fd, V6S[0], 0, 0);
	/* fe80::1 on lo, test_run's interface; fe80::2 on another one. Every
	 * link-local address is the host's as a source. */
	model_addr(fd, V6S[6], 1, 0);
	model_addr(fd, V6S[6], 0, XDPONG_ADDR_SOURCE_ONLY);
	model_addr(fd, V6S[7], 12345, 0);
	model_addr(fd, V6S[7], 0, XDPONG_ADDR_SOURCE_ONLY);
	/* Default routes by the interface (lo: test_run's), via gateways whose
	 * MAC is the peer's. */
	{
		struct xdpong_route_key r4 = { .prefixlen = XDPONG_ROUTE_KEY_BITS + 96, .family = 4,
					       .a.addr = { [10] = 0xff, [11] = 0xff } };
		struct xdpong_route_key r6 = { .prefixlen = XDPONG_ROUTE_KEY_BITS, .family = 6 };
		struct xdpong_route v4 = { .ifindex = 1, .flags = XDPONG_ROUTE_GATEWAY,
					   .gateway.addr = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 254 } };
		struct xdpong_route v6 = { .ifindex = 1, .flags = XDPONG_ROUTE_GATEWAY,
					   .gateway.addr = { 0x20, 0x01, 0, 2, [15] = 0xfe } };
		struct xdpong_neigh_key n4 = { .ifindex = 1, .a = v4.gateway };
		struct xdpong_neigh_key n6 = { .ifindex = 1, .a = v6.gateway };
		struct xdpong_neigh mac = {};
		int rfd = bpf_map__fd(skel->maps.xdpong_routes), nfd = bpf_map__fd(skel->maps.xdpong_neigh);

		memcpy(mac.mac, MAC_PEER, 6);
		if (bpf_map_update_elem(rfd, &r4, &v4, 0) || bpf_map_update_elem(rfd, &r6, &v6, 0) ||
		    bpf_map_update_elem(nfd, &n4, &mac, 0) || bpf_map_update_elem(nfd, &n6, &mac, 0))
			return -1;
	}
	return bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_config), &zero, &cfg, 0);
}

/* Run @f through the program; 1 if its verdict and output are the model's,
 * 0 if not, -1 if test_run fails. *@replied: whether the model answers it. */
static int model_agrees(int prog_fd, const uint8_t *f, size_t len, __u32 *retval, int *replied)
{
	static uint8_t out[FRAME_MAX], want[FRAME_MAX];
	size_t wlen = model(f, len, want);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &o))
		return -1;
	*retval = o.retval;
	*replied = wlen != 0;
	if (wlen)
		return o.retval == XDP_TX && o.data_size_out == wlen && !memcmp(out, want, wlen);
	return o.retval == XDP_PASS && o.data_size_out == len && !memcmp(out, f, len);
}

#endif /* XDPONG_TEST_MODEL_H */
