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
 *   fuzz seeds DIR N         write N generated requests to DIR (a corpus)
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

#include "model.h"

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

/* Show a disagreement: the frame, the program's output, the model's reply. */
static void show(int prog_fd, unsigned long n, const char *kind, const uint8_t *f, size_t len)
{
	static uint8_t out[FRAME_MAX], want[FRAME_MAX];
	size_t wlen = model(f, len, want);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);

	bpf_prog_test_run_opts(prog_fd, &o);
	printf("# frame %lu (%s): model %s, program verdict %u\n", n, kind, wlen ? "TX" : "PASS",
	       o.retval);
	hexdump("input", f, len);
	hexdump("program's output", out, o.data_size_out);
	if (wlen)
		hexdump("model's reply", want, wlen);
}

/* Write @n generated requests into @dir: a seed corpus for fuzz_libfuzzer. */
static int write_seeds(const char *dir, unsigned long n)
{
	static uint8_t f[FRAME_MAX];
	char path[512];
	unsigned long i;

	rng = 1;
	for (i = 0; i < n; i++) {
		size_t len = make_frame(f, K_VALID);
		FILE *fp;

		snprintf(path, sizeof(path), "%s/seed-%05lu", dir, i);
		fp = fopen(path, "w");
		if (!fp || fwrite(f, 1, len, fp) != len) {
			perror(path);
			return 1;
		}
		fclose(fp);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t f[FRAME_MAX];
	unsigned long frames = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (unsigned long long)time(NULL);
	unsigned long checked[K_MAX] = {}, replies[K_MAX] = {}, bad[K_MAX] = {}, n;
	struct xdpong *skel;
	int prog_fd, k_i, ok, replied;
	__u32 verdict;

	if (argc == 4 && !strcmp(argv[1], "seeds"))
		return write_seeds(argv[2], strtoul(argv[3], NULL, 10));
	libbpf_set_print(print_libbpf);
	rng = seed ? seed : 1;
	skel = xdpong__open_and_load();
	if (!skel || model_setup(skel)) {
		printf("Bail out! can't load and set up the program: %s\n", strerror(errno));
		return 1;
	}
	prog_fd = bpf_program__fd(skel->progs.xdpong);

	printf("# seed %llu (rerun: fuzz %lu %llu)\n", seed, frames, seed);
	for (n = 0; n < frames; n++) {
		enum kind kind = n % 10 < 4 ? K_VALID : n % 10 < 7 ? K_MUTATED :
				 n % 10 < 9 ? K_TRUNCATED : K_RANDOM;
		size_t len = make_frame(f, kind);

		ok = model_agrees(prog_fd, f, len, &verdict, &replied);
		if (ok < 0) {
			printf("Bail out! BPF_PROG_TEST_RUN: %s\n", strerror(errno));
			return 1;
		}
		checked[kind]++;
		replies[kind] += replied;
		if (!ok && bad[kind]++ < 3)
			show(prog_fd, n, kind_names[kind], f, len);
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
