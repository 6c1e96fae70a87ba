// SPDX-License-Identifier: GPL-2.0
/*
 * test_pingers_bpf.c: the pings xdpong answers, followed per flow
 * (bpf/pingers.h), through BPF_PROG_TEST_RUN. Echo requests built from
 * scratch (packets.h) go through the XDP program with XDPONG_F_PINGERS set;
 * each must be answered (XDP_TX, the reply byte for byte as the kernel's:
 * following a flow must not touch the frame), and its flow in
 * XDPONG_MAP_PINGERS must say what the requests said: counts, sequence gaps,
 * reordering, duplicates, the senders' timestamps and the jitter computed
 * here from RFC 3550 by the test itself, and whether the data is what a
 * ping client sends, for payloads laid out as real clients lay them out.
 *
 * Runs under cmocka; `CMOCKA_MESSAGE_OUTPUT=TAP` gives TAP for prove.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"

static int pingers_fd;

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* bpf_ktime_get_ns()'s clock */
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The flow key of a request: its source (IPv4-mapped), family, identifier. */
static struct xdpong_pinger_key flow_key(const struct frame_spec *s)
{
	struct xdpong_pinger_key k = { .family = s->family, .id = htons(s->id) };

	if (s->family == 4) {
		k.src.addr[10] = 0xff;
		k.src.addr[11] = 0xff;
		memcpy(k.src.addr + 12, s->src, 4);
	} else {
		memcpy(k.src.addr, s->src, 16);
	}
	return k;
}

/* The flow of the requests like @s; 0, or -1 if there is none. */
static int get_flow(const struct frame_spec *s, struct xdpong_pinger *f)
{
	struct xdpong_pinger_key k = flow_key(s);

	return bpf_map_lookup_elem(pingers_fd, &k, f) ? -1 : 0;
}

static struct xdpong_pinger flow(const struct frame_spec *s)
{
	struct xdpong_pinger f;

	if (get_flow(s, &f))
		fail_msg("no flow for id 0x%04x", s->id);
	return f;
}

/*
 * Run request @s; it must be answered, with the reply the kernel would send
 * (packets.h builds it from scratch). *@before and *@after: CLOCK_MONOTONIC
 * around the run, which brackets the program's bpf_ktime_get_ns().
 */
static void answer(const struct frame_spec *s, __u64 *before, __u64 *after)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX], exp[FRAME_MAX];
	struct frame_spec reply = reply_spec(s, s->family == 4 ? CFG_TTL : CFG_HOP);
	size_t len = build_frame(s, in), exp_len = build_frame(&reply, exp);
	__u64 t0, t1;
	__u32 out_len;
	int verdict;

	t0 = mono_ns();
	verdict = run_frame(in, len, out, &out_len);
	t1 = mono_ns();
	assert_int_equal(verdict, XDP_TX);
	assert_int_equal(out_len, exp_len);
	assert_memory_equal(out, exp, exp_len);
	if (before)
		*before = t0;
	if (after)
		*after = t1;
}

static void answer_seq(struct frame_spec *s, uint16_t seq)
{
	s->seq = seq;
	answer(s, NULL, NULL);
}

/* ---- Payloads as ping clients lay them out ---- */

#define TV_SEC  1700000000ULL /* a plausible sender clock: 2023-11-14 */
#define TV_USEC 123456ULL

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (24 - 8 * i);
}

/* iputils ping: byte k is k, then a struct timeval (64-bit, little-endian)
 * over the first 16 bytes if there is room (ping_common.c). */
static void iputils_at(uint8_t *p, size_t n, uint64_t sec, uint64_t usec)
{
	for (size_t k = 0; k < n; k++)
		p[k] = k;
	if (n >= 16) {
		put_le64(p, sec);
		put_le64(p + 8, usec);
	}
}

static void iputils(uint8_t *p, size_t n)
{
	iputils_at(p, n, TV_SEC, TV_USEC);
}

/* iputils -p PATTERN: the pattern from byte 0, then the timestamp over it. */
static void iputils_pattern(uint8_t *p, size_t n, const uint8_t *pat, size_t plen)
{
	for (size_t k = 0; k < n; k++)
		p[k] = pat[k % plen];
	if (n >= 16) {
		put_le64(p, TV_SEC);
		put_le64(p + 8, TV_USEC);
	}
}

static void iputils_p_deadbeef(uint8_t *p, size_t n)
{
	static const uint8_t pat[] = { 0xde, 0xad, 0xbe, 0xef };

	iputils_pattern(p, n, pat, sizeof(pat));
}

static void iputils_p_16(uint8_t *p, size_t n)
{
	static const uint8_t pat[16] = { 0x5a, 0x17, 0xc3, 0x00, 0x9e, 0x42, 0x42, 0x81,
					 0x07, 0xf0, 0x33, 0x6d, 0xa5, 0x12, 0xee, 0x01 };

	iputils_pattern(p, n, pat, sizeof(pat));
}

static void iputils_p_ff(uint8_t *p, size_t n)
{
	static const uint8_t pat[] = { 0xff };

	iputils_pattern(p, n, pat, sizeof(pat));
}

/* FreeBSD, macOS: a tv32 (two big-endian 32-bit words), then byte k is k. */
static void bsd(uint8_t *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		p[k] = k;
	put_be32(p, TV_SEC);
	put_be32(p + 4, TV_USEC * 1000);
}

/* OpenBSD: a 16-byte tv64 and an 8-byte SipHash MAC, then byte k is k. */
static void openbsd(uint8_t *p, size_t n)
{
	static const uint8_t mac[8] = { 0x9b, 0x2e, 0x71, 0xd4, 0x0c, 0xe8, 0x55, 0x3a };

	for (size_t k = 0; k < n; k++)
		p[k] = k;
	memset(p, 0, 16);
	put_be32(p + 4, TV_SEC);
	put_be32(p + 12, TV_USEC * 1000);
	memcpy(p + 16, mac, 8);
}

/* Windows: "abcdefghijklmnopqrstuvw" over and over, from byte 0. */
static void windows(uint8_t *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		p[k] = 'a' + k % 23;
}

/* fping, mtr, check_icmp: zeros. */
static void zeros(uint8_t *p, size_t n)
{
	memset(p, 0, n);
}

/* busybox: a 32-bit monotonic microsecond count, host order, then zeros. */
static void busybox(uint8_t *p, size_t n)
{
	static const uint8_t us[4] = { 0x4d, 0x1f, 0xa2, 0x07 };

	memset(p, 0, n);
	memcpy(p, us, n < 4 ? n : 4);
}

/* Cisco IOS: 0xabcd over and over. */
static void cisco(uint8_t *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		p[k] = k & 1 ? 0xcd : 0xab;
}

/* Go pro-bing (Telegraf): 8 bytes of time (ns, big-endian), an 8-byte
 * tracker, then 0x01s. */
static void probing(uint8_t *p, size_t n)
{
	static const uint8_t head[16] = { 0x17, 0x9a, 0x3c, 0x5e, 0x21, 0x0f, 0x88, 0x40,
					  0x6b, 0x8b, 0x45, 0x67, 0x32, 0x1a, 0xfe, 0x09 };

	memset(p, 1, n);
	memcpy(p, head, n < 16 ? n : 16);
}

/* blackbox_exporter: its name, then zeros (payload_size). */
static void blackbox(uint8_t *p, size_t n)
{
	static const char name[] = "Prometheus Blackbox Exporter";

	memset(p, 0, n);
	memcpy(p, name, n < sizeof(name) - 1 ? n : sizeof(name) - 1);
}

/* Random bytes (xorshift32, a fixed seed: the same bytes every run). */
static void random_bytes(uint8_t *p, size_t n)
{
	uint32_t x = 0x2545f491;

	for (size_t k = 0; k < n; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[k] = x >> 24;
	}
}

/* A valid iputils timestamp, then random bytes: the disguise is not enough. */
static void stamped_random(uint8_t *p, size_t n)
{
	random_bytes(p, n);
	put_le64(p, TV_SEC);
	put_le64(p + 8, TV_USEC);
}

/* An iputils timestamp, 8 bytes of something else, then counting: after a
 * timestamp the window starts at byte 16, and those 8 bytes are in it. */
static void stamped_then_junk(uint8_t *p, size_t n)
{
	iputils(p, n);
	memcpy(p + 16, "\x52\x9f\x03\xe1\x7c\x44\xb0\x0d", 8);
}

/* A DNS query carried in ICMP, as DNS-over-ICMP tunnels send: a header,
 * then a long base32 label of encoded data. */
static void dns_query(uint8_t *p, size_t n)
{
	static const uint8_t q[] =
		"\x8f\x3a\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
		"\x34" "mzxw6ytboi2dqnzqgeydambqhaydambrgizdgnbvgy3tqojqgeza"
		"\x01" "t" "\x07" "example" "\x03" "com" "\x00" "\x00\x10\x00\x01";

	memset(p, 0, n);
	memcpy(p, q, n < sizeof(q) - 1 ? n : sizeof(q) - 1);
}

/* An IPv4 packet inside (icmptunnel): IP and TCP headers, then a TLS record. */
static void ip_in_icmp(uint8_t *p, size_t n)
{
	static const uint8_t pkt[] = {
		0x45, 0x00, 0x00, 0x5c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0xb1, 0xe6,
		0x0a, 0x00, 0x00, 0x02, 0xc6, 0x12, 0x00, 0x63,                 /* IPv4 */
		0xd4, 0x31, 0x01, 0xbb, 0x6e, 0x0c, 0x3f, 0x91, 0x2a, 0x11, 0x90, 0x04,
		0x80, 0x18, 0x01, 0xf5, 0x4c, 0x2d, 0x00, 0x00,                 /* TCP */
		0x17, 0x03, 0x03, 0x00, 0x23, 0x9c, 0x41, 0x0e, 0xb7, 0x62, 0x3d, 0xf8,
		0x05, 0xa9, 0x70, 0x1b, 0xc4, 0x8e, 0x2f, 0x66,                 /* TLS */
	};

	memset(p, 0, n);
	memcpy(p, pkt, n < sizeof(pkt) ? n : sizeof(pkt));
}

static void text(uint8_t *p, size_t n)
{
	static const char t[] = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n"
				"User-Agent: tunnel/1.0\r\n\r\n";

	memset(p, 0, n);
	memcpy(p, t, n < sizeof(t) - 1 ? n : sizeof(t) - 1);
}

struct payload_case {
	const char *name;
	void (*fill)(uint8_t *p, size_t n);
	int len;
	int odd;
	int stamped;
};

static const struct payload_case payloads[] = {
	{ "iputils ping, 56 bytes",                    iputils,          56,  0, 1 },
	{ "iputils ping -s 8 (no room for a timestamp)", iputils,        8,   0, 0 },
	{ "iputils ping -s 100",                       iputils,          100, 0, 1 },
	{ "iputils ping -s 1400",                      iputils,          1400, 0, 1 },
	{ "iputils ping -p deadbeef",                  iputils_p_deadbeef, 56, 0, 1 },
	{ "iputils ping -p with 16 pattern bytes",     iputils_p_16,     56,  0, 1 },
	{ "iputils ping -p ff",                        iputils_p_ff,     56,  0, 1 },
	{ "FreeBSD/macOS ping (tv32, then counting)",  bsd,              56,  0, 0 },
	{ "OpenBSD ping (tv64 and MAC, then counting)", openbsd,         56,  0, 0 },
	{ "Windows ping, 32 bytes",                    windows,          32,  0, 0 },
	{ "Windows ping -l 100",                       windows,          100, 0, 0 },
	{ "fping (zeros)",                             zeros,            56,  0, 0 },
	{ "busybox ping",                              busybox,          56,  0, 0 },
	{ "busybox ping -s 25 (a 1-byte window: too short to judge)", busybox, 25, 0, 0 },
	{ "Cisco IOS (0xabcd)",                        cisco,            100, 0, 0 },
	{ "Go pro-bing",                               probing,          56,  0, 0 },
	{ "blackbox_exporter",                         blackbox,         28,  0, 0 },
	{ "blackbox_exporter payload_size 64",         blackbox,         64,  0, 0 },
	{ "no data at all",                            zeros,            0,   0, 0 },
	{ "random bytes (fping -R too)",               random_bytes,     56,  1, 0 },
	{ "random bytes, 1000",                        random_bytes,     1000, 1, 0 },
	{ "random bytes behind a valid timestamp",     stamped_random,   56,  1, 1 },
	{ "a timestamp, 8 other bytes, then counting", stamped_then_junk, 56, 1, 1 },
	{ "a DNS query (DNS over ICMP)",               dns_query,        80,  1, 0 },
	{ "an IPv4/TCP/TLS packet (IP over ICMP)",     ip_in_icmp,       60,  1, 0 },
	{ "HTTP text",                                 text,             76,  1, 0 },
	{ "random, 30 bytes (a 6-byte window: too short to judge)", random_bytes, 30, 0, 0 },
};

#define N_PAYLOADS (sizeof(payloads) / sizeof(payloads[0]))

/* Each payload in one request of a flow of its own, IPv4 and IPv6. */
static void payload_checks(void **state)
{
	static uint8_t data[FRAME_MAX];
	struct xdpong_pinger f;
	unsigned int i, fam, failed = 0;

	for (fam = 4; fam <= 6; fam += 2) {
		for (i = 0; i < N_PAYLOADS; i++) {
			const struct payload_case *c = &payloads[i];
			struct frame_spec s = fam == 4 ? (struct frame_spec)ECHO4() :
							 (struct frame_spec)ECHO6();

			s.id = 0x7000 + i;
			s.seq = 1;
			s.payload_len = c->len;
			c->fill(data, c->len);
			s.payload = data;
			answer(&s, NULL, NULL);
			f = flow(&s);
			if (f.odd_payload != (__u64)c->odd || f.timestamped != (__u64)c->stamped) {
				print_message("IPv%u %s: odd %llu (want %d), timestamped %llu (want %d)\n",
					      fam, c->name, (unsigned long long)f.odd_payload, c->odd,
					      (unsigned long long)f.timestamped, c->stamped);
				failed++;
			}
			assert_int_equal(f.requests, 1);
			assert_int_equal(f.bytes, 8 + c->len);
			assert_int_equal(f.last_len, c->len);
		}
	}
	assert_int_equal(failed, 0);
}

/* ---- Sequences ---- */

/* A run with a gap, then the late ones, a duplicate, and one very late. */
static void sequence_gaps(void **state)
{
	struct frame_spec s = ECHO4(.id = 0x5101, .payload_len = 56);
	static const uint16_t run[] = { 1, 2, 3, 6, 7 };
	struct xdpong_pinger f;
	__u64 first_before, first_after, last_before, last_after;
	size_t i;

	s.seq = run[0];
	answer(&s, &first_before, &first_after);
	for (i = 1; i < sizeof(run) / sizeof(run[0]); i++)
		answer_seq(&s, run[i]);
	f = flow(&s);
	assert_int_equal(f.requests, 5);
	assert_int_equal(f.gaps, 2);          /* 4 and 5 */
	assert_int_equal(f.max_seq, 7);
	assert_int_equal(f.reordered, 0);
	assert_int_equal(f.duplicates, 0);

	answer_seq(&s, 5);                    /* late: no longer missing */
	f = flow(&s);
	assert_int_equal(f.reordered, 1);
	assert_int_equal(f.gaps, 1);
	assert_int_equal(f.max_seq, 7);

	answer_seq(&s, 7);                    /* the highest again */
	f = flow(&s);
	assert_int_equal(f.duplicates, 1);
	assert_int_equal(f.gaps, 1);

	answer_seq(&s, 4);                    /* the other late one */
	answer_seq(&s, 2);                    /* a duplicate of an old one: behind */
	s.payload_len = 100;
	s.seq = 8;
	answer(&s, &last_before, &last_after);
	f = flow(&s);
	assert_int_equal(f.requests, 10);
	assert_int_equal(f.gaps, 0);          /* never below zero */
	assert_int_equal(f.reordered, 3);
	assert_int_equal(f.duplicates, 1);
	assert_int_equal(f.max_seq, 8);
	assert_int_equal(f.bytes, 9 * (8 + 56) + 8 + 100);
	assert_int_equal(f.last_len, 100);
	assert_int_equal(f.timestamped, 0);
	assert_in_range(f.first_ns, first_before, first_after);
	assert_in_range(f.last_ns, last_before, last_after);
}

/* Sequence numbers wrap at 65535. */
static void sequence_wrap(void **state)
{
	struct frame_spec s = ECHO4(.id = 0x5102);
	struct xdpong_pinger f;

	answer_seq(&s, 65534);
	answer_seq(&s, 65535);
	answer_seq(&s, 1);                    /* 0 is missing */
	answer_seq(&s, 3);                    /* 2 too */
	f = flow(&s);
	assert_int_equal(f.gaps, 2);
	assert_int_equal(f.max_seq, 3);
	answer_seq(&s, 0);                    /* late, from across the wrap */
	f = flow(&s);
	assert_int_equal(f.requests, 5);
	assert_int_equal(f.gaps, 1);
	assert_int_equal(f.max_seq, 3);
	assert_int_equal(f.reordered, 1);
	assert_int_equal(f.duplicates, 0);
}

/* A sender that writes its sequence in little-endian order steps by 256 on
 * the wire: read the short way, its steps are 1. */
static void sequence_little_endian(void **state)
{
	struct frame_spec s = ECHO4(.id = 0x5103);
	struct xdpong_pinger f;

	answer_seq(&s, 0x0100);
	answer_seq(&s, 0x0200);
	answer_seq(&s, 0x0400);               /* 3 is missing */
	answer_seq(&s, 0x0300);               /* ... and comes late */
	f = flow(&s);
	assert_int_equal(f.requests, 4);
	assert_int_equal(f.gaps, 0);
	assert_int_equal(f.reordered, 1);
	assert_int_equal(f.max_seq, 0x0400);
}

/* Flows: one per family, source and identifier. */
static void flows_apart(void **state)
{
	struct frame_spec a = ECHO4(.id = 0x5201), b = ECHO4(.id = 0x5202);
	struct frame_spec c = ECHO4(.id = 0x5201, .src = V4(198, 18, 0, 3));
	struct frame_spec v6 = ECHO6(.id = 0x5201);
	struct xdpong_pinger f;

	answer_seq(&a, 1);
	answer_seq(&a, 2);
	answer_seq(&b, 1);
	answer_seq(&b, 3);
	answer_seq(&b, 4);
	answer_seq(&c, 9);
	answer_seq(&v6, 1);
	answer_seq(&v6, 2);
	answer_seq(&v6, 5);
	answer_seq(&v6, 6);
	f = flow(&a);
	assert_int_equal(f.requests, 2);
	assert_int_equal(f.gaps, 0);
	f = flow(&b);
	assert_int_equal(f.requests, 3);
	assert_int_equal(f.gaps, 1);
	f = flow(&c);
	assert_int_equal(f.requests, 1);
	assert_int_equal(f.max_seq, 9);
	f = flow(&v6);                         /* the key's family and IPv6 source */
	assert_int_equal(f.requests, 4);
	assert_int_equal(f.gaps, 2);
	assert_int_equal(f.max_seq, 6);
}

/* VLAN tags move the headers: the flow is the same. */
static void vlan_tagged(void **state)
{
	struct frame_spec s4 = ECHO4(VLAN_100, FROM_VLAN4(0), .id = 0x5301);
	struct frame_spec s6 = ECHO6(DOUBLE_TAG, FROM_VLAN6(1), .id = 0x5302);
	struct xdpong_pinger f;

	answer_seq(&s4, 1);
	answer_seq(&s4, 3);
	answer_seq(&s6, 1);
	answer_seq(&s6, 4);
	f = flow(&s4);
	assert_int_equal(f.requests, 2);
	assert_int_equal(f.gaps, 1);
	f = flow(&s6);
	assert_int_equal(f.requests, 2);
	assert_int_equal(f.gaps, 2);
}

/* A jumbo request, in several buffers: read all the same. */
static void jumbo(void **state)
{
	static uint8_t data[FRAME_MAX];
	struct frame_spec s = ECHO4(.id = 0x5401, .payload_len = 8972, .payload = data);
	struct frame_spec s6 = ECHO6(.id = 0x5402, .payload_len = 8952, .payload = data);
	struct xdpong_pinger f;

	iputils(data, 8972);
	answer_seq(&s, 1);
	answer_seq(&s6, 1);
	f = flow(&s);
	assert_int_equal(f.bytes, 8 + 8972);
	assert_int_equal(f.last_len, 8972);
	assert_int_equal(f.timestamped, 1);
	assert_int_equal(f.odd_payload, 0);
	f = flow(&s6);
	assert_int_equal(f.bytes, 8 + 8952);
	assert_int_equal(f.timestamped, 1);
	assert_int_equal(f.odd_payload, 0);
}

/* ---- Timestamps and jitter ---- */

#define JITTER_RUN 12

/*
 * JITTER_RUN requests 2 ms apart, each stamped with the real time of its
 * sending plus @skew_ns(i). The transit of each is bracketed by the
 * monotonic clock around its run; the jitter is recomputed here by RFC 3550
 * 6.4.1 (floating point) from the brackets' midpoints, within what the
 * brackets leave open.
 */
static struct xdpong_pinger jitter_run(int family, uint16_t id, __s64 (*skew_ns)(int i),
				       double *model, double *slack)
{
	static uint8_t data[64];
	struct frame_spec s = family == 4 ? (struct frame_spec)ECHO4() : (struct frame_spec)ECHO6();
	struct xdpong_pinger f;
	__u64 before, after, sender_ns;
	double transit, prev = 0, j = 0;
	int i;

	s.id = id;
	s.payload = data;
	s.payload_len = sizeof(data);
	*slack = 1000; /* the timeval's microsecond truncation, once */
	for (i = 0; i < JITTER_RUN; i++) {
		struct timespec now;
		__u64 sec, usec;

		clock_gettime(CLOCK_REALTIME, &now);
		sender_ns = (__u64)now.tv_sec * 1000000000ULL + now.tv_nsec + skew_ns(i);
		sec = sender_ns / 1000000000ULL;
		usec = sender_ns % 1000000000ULL / 1000;
		iputils_at(data, sizeof(data), sec, usec);
		sender_ns = sec * 1000000000ULL + usec * 1000; /* what the program reads */
		s.seq = i + 1;
		answer(&s, &before, &after);

		f = flow(&s);
		/* The transit, arrival less the sender's time, in the bracket. */
		assert_true(f.last_transit_ns >= (__s64)(before - sender_ns) &&
			    f.last_transit_ns <= (__s64)(after - sender_ns));
		transit = (double)(__s64)(before - sender_ns) + (after - before) / 2.0;
		if (i > 0) {
			double d = transit - prev;

			j += (dabs(d) - j) / 16;
		}
		prev = transit;
		*slack += (after - before);
		usleep(2000);
	}
	*model = j;
	assert_int_equal(f.timestamped, JITTER_RUN);
	return f;
}

static __s64 no_skew(int i)
{
	return 0;
}

/* The sender's clock jumps 40 ms ahead and back, request after request. */
static __s64 jumpy(int i)
{
	return i & 1 ? 40000000 : 0;
}

static void check_jitter(int family, uint16_t id, __s64 (*skew)(int), double lo, double hi)
{
	double model, slack;
	struct xdpong_pinger f = jitter_run(family, id, skew, &model, &slack);

	print_message("# IPv%d jitter %llu ns, RFC 3550 from the brackets %.0f ns (+/- %.0f)\n",
		      family, (unsigned long long)f.jitter_ns, model, slack);
	/* The integer steps lose under 1 ns each. */
	assert_true(dabs((double)f.jitter_ns - model) <= slack + JITTER_RUN);
	assert_true(f.jitter_ns >= lo && f.jitter_ns <= hi);
	assert_int_equal(f.gaps, 0);
	assert_int_equal(f.odd_payload, 0);
}

static void jitter_steady_v4(void **state)
{
	check_jitter(4, 0x5501, no_skew, 0, 1000000);      /* under 1 ms */
}

static void jitter_steady_v6(void **state)
{
	check_jitter(6, 0x5502, no_skew, 0, 1000000);
}

static void jitter_jumps_v4(void **state)
{
	/* 11 steps of |D| = 40 ms: 40 (1 - (15/16)^11) = 20.3 ms. */
	check_jitter(4, 0x5503, jumpy, 15000000, 25000000);
}

static void jitter_jumps_v6(void **state)
{
	check_jitter(6, 0x5504, jumpy, 15000000, 25000000);
}

/* Late and duplicate requests do not enter the jitter; gaps do not break it. */
static void jitter_in_order_only(void **state)
{
	static uint8_t data[56];
	struct frame_spec s = ECHO4(.id = 0x5505, .payload = data, .payload_len = 56);
	struct xdpong_pinger f;
	__s64 transit;

	iputils_at(data, 56, TV_SEC, 0);
	answer_seq(&s, 1);
	transit = flow(&s).last_transit_ns;
	/* A late request, stamped 30 s earlier: far from the others. */
	iputils_at(data, 56, TV_SEC - 30, 0);
	answer_seq(&s, 0);
	/* A duplicate, the same. */
	answer_seq(&s, 1);
	f = flow(&s);
	assert_int_equal(f.timestamped, 3);
	assert_int_equal(f.jitter_ns, 0);
	assert_int_equal(f.last_transit_ns, transit);
	assert_int_equal(f.reordered, 1);
	assert_int_equal(f.duplicates, 1);
	/* In order after a gap: D is 30 s and the time between the runs. */
	iputils_at(data, 56, TV_SEC - 30, 0);
	answer_seq(&s, 3);
	f = flow(&s);
	assert_int_equal(f.timestamped, 4);
	assert_in_range(f.jitter_ns, 30000000000ULL / 16, 30000000000ULL / 16 + 100000000);
	assert_int_equal(f.gaps, 1);          /* 2; 0 came before it was missed */
}

/* A timestamp out of range is none: no jitter from junk. */
static void implausible_timestamps(void **state)
{
	static uint8_t data[56];
	struct frame_spec s = ECHO4(.id = 0x5506, .payload = data, .payload_len = 56);

	iputils_at(data, 56, TV_SEC, 1000000);      /* usec a whole second */
	answer_seq(&s, 1);
	iputils_at(data, 56, 100, 0);               /* 1970 */
	answer_seq(&s, 2);
	iputils_at(data, 56, 1ULL << 32, 0);        /* 2106 */
	answer_seq(&s, 3);
	assert_int_equal(flow(&s).timestamped, 0);
}

/* ---- When nothing is followed ---- */

static void not_answered_no_flow(void **state)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	struct frame_spec not_ours = ECHO4(.id = 0x5601, .dst = V4_OTHER);
	struct frame_spec bad_sum = ECHO6(.id = 0x5602, .bad_icmp_csum = 1);
	struct frame_spec reply = ECHO4(.id = 0x5603, .type = 0);
	struct xdpong_pinger f;
	__u32 out_len;
	size_t len;

	len = build_frame(&not_ours, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(get_flow(&not_ours, &f), -1);
	len = build_frame(&bad_sum, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(get_flow(&bad_sum, &f), -1);
	len = build_frame(&reply, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(get_flow(&reply, &f), -1);
}

static void flag_off_no_flow(void **state)
{
	struct frame_spec s = ECHO4(.id = 0x5701);
	struct frame_spec s6 = ECHO6(.id = 0x5701);
	struct xdpong_pinger f;

	set_config(CFG_TTL, CFG_HOP, 0);
	answer_seq(&s, 1);
	answer_seq(&s6, 1);
	set_config(CFG_TTL, CFG_HOP, XDPONG_F_PINGERS);
	assert_int_equal(get_flow(&s, &f), -1);
	assert_int_equal(get_flow(&s6, &f), -1);
	/* On again: followed from the next request. */
	answer_seq(&s, 2);
	assert_int_equal(flow(&s).requests, 1);
}

/* A flood of flows: the oldest go, every request is still answered, and the
 * newest flows are there. */
static void lru_flood(void **state)
{
	struct frame_spec s = ECHO4(.src = V4(198, 19, 7, 7));
	struct xdpong_pinger_key k, next, *prev = NULL;
	struct xdpong_pinger f;
	unsigned int max = bpf_map__max_entries(skel->maps.xdpong_pingers), n = 0, i;

	for (i = 0; i < max + max / 4; i++) {
		s.id = i;
		answer_seq(&s, 1);
	}
	while (bpf_map_get_next_key(pingers_fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		n++;
	}
	print_message("# %u flows in a map of %u after %u\n", n, max, i);
	assert_true(n <= max);
	for (i = max + max / 4 - 16; i < max + max / 4; i++) {
		s.id = i;
		assert_int_equal(get_flow(&s, &f), 0);
		assert_int_equal(f.requests, 1);
	}
}

static int setup_pingers(void **state)
{
	if (setup(state))
		return -1;
	pingers_fd = bpf_map__fd(skel->maps.xdpong_pingers);
	set_config(CFG_TTL, CFG_HOP, XDPONG_F_PINGERS);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sequence_gaps),
		cmocka_unit_test(sequence_wrap),
		cmocka_unit_test(sequence_little_endian),
		cmocka_unit_test(flows_apart),
		cmocka_unit_test(vlan_tagged),
		cmocka_unit_test(jumbo),
		cmocka_unit_test(payload_checks),
		cmocka_unit_test(jitter_steady_v4),
		cmocka_unit_test(jitter_steady_v6),
		cmocka_unit_test(jitter_jumps_v4),
		cmocka_unit_test(jitter_jumps_v6),
		cmocka_unit_test(jitter_in_order_only),
		cmocka_unit_test(implausible_timestamps),
		cmocka_unit_test(not_answered_no_flow),
		cmocka_unit_test(flag_off_no_flow),
		cmocka_unit_test(lru_flood),
	};

	libbpf_set_print(print_libbpf);
	return cmocka_run_group_tests_name("pingers_bpf", tests, setup_pingers, teardown);
}
