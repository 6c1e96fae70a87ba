// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c: the real program, through BPF_PROG_TEST_RUN, against a reference
 * model written here from the rules alone (it shares none of the program's
 * code). Frames are generated and mutated: valid requests mutated byte by
 * byte, truncated, padded, with random EtherTypes and lengths, VLAN stacks,
 * extension headers, fragments, random addresses. For every frame the
 * program's verdict and output must equal the model's: the request untouched
 * when it passes, or exactly the reply the kernel would send.
 *
 *   fuzz [FRAMES] [SEED]     (FRAMES defaults to 200000)
 *
 * Prints TAP: one line per kind of frame, with how many were checked.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
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
		memcpy(out, f + 6, 6);
		memcpy(out + 6, f, 6);
		memcpy(out + l3 + 12, ip + 16, 4);
		memcpy(out + l3 + 16, ip + 12, 4);
		out[l3 + 8] = TTL;
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
		if (s[0] == 0xff || !memcmp(s, V6S[3], 16) || !memcmp(s, V6S[4], 16) ||
		    !memcmp(s, V6S[5], 12))
			return 0;
		if (!sum_ok(ic, plen, ref_pseudo6(s, d, plen)))
			return 0;
		memcpy(out, f, l3 + 40 + plen);
		memcpy(out, f + 6, 6);
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

/* ---- The generator ---- */

static uint64_t rng;

static uint32_t rnd(void)
{
	/* xorshift64*: fast, and reproducible from the seed */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (rng * 2685821657736338717ULL) >> 32;
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

/* A request that is valid more often than not, with random variations. */
static size_t valid_request(uint8_t *f)
{
	struct frame_spec s = { .family = below(2) ? 4 : 6, .ttl = 1 + below(255),
				.id = rnd(), .seq = rnd(), .fill = rnd(), .filler = rnd(),
				.ip_id = rnd(), .tos = rnd() };
	static const uint16_t tags[] = { ETHERTYPE_8021Q, ETHERTYPE_8021AD };
	uint32_t r = below(100);

	memcpy(s.dst_mac, below(10) ? MAC_US : MAC_PEER, 6);
	if (!below(20))
		s.dst_mac[0] |= 1;
	memcpy(s.src_mac, MAC_PEER, 6);
	s.vlans = below(8) == 0 ? 1 + below(3) : 0;
	for (int i = 0; i < s.vlans; i++)
		s.vlan_proto[i] = tags[below(2)];
	s.type = s.family == 4 ? 8 : 128;
	if (!below(10))
		s.type = below(256);
	if (!below(20))
		s.code = below(256);
	s.payload_len = r < 70 ? below(128) : r < 95 ? below(1500) : r < 99 ? 1500 + below(8000) :
			below(FRAME_MAX - 300);
	if (s.family == 4) {
		memcpy(s.dst, V4S[below(4) ? 0 : below(9)], 4);
		memcpy(s.src, V4S[below(4) ? 1 : below(9)], 4);
		s.frag = below(4) ? 0x4000 : below(3) ? 0 : rnd() & 0xffff;
		if (!below(15))
			s.opt_len = 4 * (1 + below(10));
	} else {
		memcpy(s.dst, V6S[below(4) ? 0 : below(9)], 16);
		memcpy(s.src, V6S[below(4) ? 1 : below(9)], 16);
		s.flow = rnd() & 0xfffff;
		if (!below(15)) {
			static const uint8_t ext[] = { 0, 43, 44, 60, 51 };

			s.ext = 1;
			s.ext_type = ext[below(5)];
		}
	}
	if (!below(30))
		s.bad_ip_csum = 1;
	if (!below(30))
		s.bad_icmp_csum = 1;
	if (!below(30))
		s.ip_len_delta = (int)below(41) - 20;
	if (!below(20))
		s.pad = below(64);
	if (!below(40))
		s.icmp_csum_ffff = 1;
	if (!below(30))
		s.version = below(16);
	if (s.payload_len >= 2 && !s.ext && !below(4)) {
		/* Aim the checksum at a value where an incremental update carries
		 * or borrows: near 0x0000, 0xffff, and the type change's 0x0800. */
		static const uint16_t edges[] = { 0x0000, 0xfff0, 0x07f8, 0xf7f8, 0x7ff8, 0x8000 };
		size_t l4 = l2_len(&s) + (s.family == 4 ? 20 + s.opt_len : 40);
		uint16_t t = edges[below(6)] + below(16), c0;

		s.filler = 0;
		build_frame(&s, f);
		c0 = get16(f + l4 + 2);
		if (s.bad_icmp_csum)
			c0 ^= 0x0100;
		s.filler = ref_fold((uint32_t)(uint16_t)~t + c0);
	}
	return build_frame(&s, f);
}

enum kind { K_VALID, K_MUTATED, K_TRUNCATED, K_RANDOM, K_MAX };
static const char *const kind_names[K_MAX] = {
	"generated requests", "mutated byte by byte", "truncated or padded", "random bytes",
};

static size_t make_frame(uint8_t *f, enum kind k)
{
	size_t len, i, n;

	if (k == K_RANDOM) {
		len = 14 + below(200);
		for (i = 0; i < len; i++)
			f[i] = rnd();
		if (below(2))
			put16(f + 12, below(2) ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
		return len;
	}
	len = valid_request(f);
	if (k == K_MUTATED) {
		n = 1 + below(3);
		for (i = 0; i < n; i++)
			f[below(len < 80 ? len : 80)] ^= 1 << below(8);
	} else if (k == K_TRUNCATED) {
		if (below(2) && len > 15)
			len = 14 + below(len - 14);
		else
			for (n = below(100); n--; len < FRAME_MAX ? f[len++] = rnd() : 0)
				;
	}
	return len < 14 ? 14 : len;
}

/* ---- Running ---- */

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void hexdump(const char *what, const uint8_t *p, size_t len)
{
	size_t i;

	printf("# %s (%zu bytes):", what, len);
	for (i = 0; i < len && i < 128; i++)
		printf("%s%02x", i % 32 ? " " : "\n#   ", p[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	static uint8_t f[FRAME_MAX], out[FRAME_MAX], want[FRAME_MAX];
	unsigned long frames = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (unsigned long long)time(NULL);
	unsigned long checked[K_MAX] = {}, replies[K_MAX] = {}, bad[K_MAX] = {}, n;
	struct xdpong_config cfg = { .ttl = TTL, .hop_limit = HOP, .event_rate = 0 };
	struct xdpong_addr_val lo = { .ifindex = 1 }, any = {};
	struct xdpong_addr_key k;
	struct xdpong *skel;
	__u32 zero = 0;
	int fd, k_i;

	libbpf_set_print(print_libbpf);
	rng = seed ? seed : 1;
	skel = xdpong__open_and_load();
	if (!skel) {
		printf("Bail out! can't load the program: %s\n", strerror(errno));
		return 1;
	}
	memcpy(cfg.mac, MAC_US, 6);
	fd = bpf_map__fd(skel->maps.xdpong_addrs);
	memset(&k, 0, sizeof(k));
	k.addr[10] = k.addr[11] = 0xff;
	memcpy(k.addr + 12, V4S[0], 4);
	bpf_map_update_elem(fd, &k, &any, 0);
	memcpy(k.addr + 12, V4S[2], 4); /* 198.18.0.255: the subnet's broadcast */
	any.flags = XDPONG_ADDR_BROADCAST;
	bpf_map_update_elem(fd, &k, &any, 0);
	any.flags = 0;
	memcpy(k.addr, V6S[0], 16);
	bpf_map_update_elem(fd, &k, &any, 0);
	memcpy(k.addr, V6S[6], 16);  /* fe80::1 on lo, test_run's interface */
	bpf_map_update_elem(fd, &k, &lo, 0);
	memcpy(k.addr, V6S[7], 16);  /* fe80::2 on another interface */
	lo.ifindex = 12345;
	bpf_map_update_elem(fd, &k, &lo, 0);
	bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_config), &zero, &cfg, 0);

	printf("# seed %llu (rerun: fuzz %lu %llu)\n", seed, frames, seed);
	for (n = 0; n < frames; n++) {
		enum kind kind = n % 10 < 4 ? K_VALID : n % 10 < 7 ? K_MUTATED : n % 10 < 9 ? K_TRUNCATED : K_RANDOM;
		size_t len = make_frame(f, kind), wlen = model(f, len, want);
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len,
			    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
		int ok;

		if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.xdpong), &o)) {
			printf("Bail out! BPF_PROG_TEST_RUN: %s\n", strerror(errno));
			return 1;
		}
		if (wlen)
			ok = o.retval == XDP_TX && o.data_size_out == wlen && !memcmp(out, want, wlen);
		else
			ok = o.retval == XDP_PASS && o.data_size_out == len && !memcmp(out, f, len);
		checked[kind]++;
		replies[kind] += wlen != 0;
		if (!ok && bad[kind]++ < 3) {
			printf("# frame %lu (%s): model %s, program %s\n", n, kind_names[kind],
			       wlen ? "TX" : "PASS", o.retval == XDP_TX ? "TX" : o.retval == XDP_PASS ? "PASS" : "other");
			hexdump("input", f, len);
			hexdump("program's output", out, o.data_size_out);
			if (wlen)
				hexdump("model's reply", want, wlen);
		}
	}
	printf("1..%d\n", K_MAX);
	for (k_i = 0; k_i < K_MAX; k_i++)
		printf("%s %d - %s: %lu frames, %lu replies, %lu disagreements\n",
		       bad[k_i] ? "not ok" : "ok", k_i + 1, kind_names[k_i], checked[k_i],
		       replies[k_i], bad[k_i]);
	printf("# %lu frames checked against the model\n", frames);
	xdpong__destroy(skel);
	for (k_i = 0; k_i < K_MAX; k_i++)
		if (bad[k_i])
			return 1;
	return 0;
}
