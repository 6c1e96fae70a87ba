// SPDX-License-Identifier: GPL-2.0
/*
 * pingers.bpf.c: pingers_follow() (pingers.h), a unit of its own linked
 * into the XDP program (Makefile: bpftool gen object): the request answered,
 * into its flow, and the check of its data.
 *
 * What a ping client puts in its data (the first bytes after the 8-byte
 * echo header), as the check below knows it:
 *   iputils ping (Linux)   a struct timeval (16 bytes on 64-bit senders,
 *                          tv_sec and tv_usec little-endian) if the data
 *                          has room, then byte k = k & 0xff (-p: the
 *                          pattern, repeated from byte 0)
 *   FreeBSD, macOS,        an 8-byte tv32 (big-endian), then byte k = k
 *   NetBSD, old OpenBSD
 *   OpenBSD (2015-)        a 16-byte tv64 and an 8-byte SipHash MAC, then
 *                          byte k = k
 *   busybox ping           a 4-byte monotonic microsecond count, then the
 *                          -p byte (0 by default)
 *   fping, mtr, hping,     all zeros (or one constant byte); fping -R sends
 *   check_icmp             random bytes: counted odd
 *   Windows ping           "abcdefghijklmnopqrstuvw" over and over, from
 *                          byte 0
 *   Cisco IOS              0xabcd over and over
 *   Go pro-bing (Telegraf) 8 bytes of time, 8 of tracker, then 0x01s
 *   blackbox_exporter      "Prometheus Blackbox Exporter", then zeros
 *
 * The check: the blackbox_exporter text at byte 0 is a ping; otherwise the
 * window is the bytes [start, start + 32) of the data, start = 16 after an
 * iputils timestamp, else 24 (past the longest header a known client puts
 * first: OpenBSD's). The window is a ping's if every byte k of it is
 * k & 0xff (iputils, BSD), or 'a' + k % 23 (Windows), or it repeats with a
 * period of 16 or less, seen at least twice (-p patterns, zeros, constant
 * bytes). Anything else is odd: random bytes, text, a tunnel's headers.
 * A window shorter than 8 bytes tells too little: not odd. The size alone
 * is not judged (ping -s 1472 is how MTUs are probed); last_len and bytes
 * let userspace show it.
 */
#include <linux/bpf.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdpong.h"
#include "maps.h"
#include "addrs.h"
#include "parsing.h"
#include "pingers.h"

/* The data bytes read: a timestamp, a client's text, the window after. */
#define PINGERS_LOOK        56
#define PINGERS_WINDOW      32  /* bytes of the data matched against the patterns */
#define PINGERS_MIN_WINDOW  8   /* fewer tell too little to call the data odd */
#define PINGERS_MAX_PERIOD  16  /* iputils' -p takes up to 16 pattern bytes */
#define PINGERS_SKIP        24  /* without an iputils timestamp: past OpenBSD's 24 */
#define PINGERS_WIN_ALPHABET 23 /* Windows: 'a' to 'w', over and over */

/* iputils' struct timeval on a 64-bit Linux sender. */
struct pinger_timeval {
	__u8 tv_sec[8];   /* little-endian */
	__u8 tv_usec[8];
};

/* A timestamp is believed if its seconds fall in [2000, 2106) and its
 * microseconds below a second: random data passes 1 time in 10^13. */
#define PINGERS_TV_SEC_MIN  946684800ULL /* 2000-01-01T00:00:00Z */
#define PINGERS_TV_SEC_END  (1ULL << 32)
#define PINGERS_USEC_PER_S  1000000ULL

/* The blackbox_exporter's data (prober/icmp.go), at byte 0. */
#define PINGERS_BLACKBOX     "Prometheus Blackbox Exporter"
#define PINGERS_BLACKBOX_LEN (sizeof(PINGERS_BLACKBOX) - 1)

/* What one request says, before it meets its flow. */
struct pinger_req {
	__u64 now;        /* bpf_ktime_get_ns() */
	__s64 transit;    /* arrival less the sender's timestamp, if stamped */
	__u32 icmp_len;   /* header and data */
	__u16 seq;        /* host order */
	__u8 stamped;     /* the data carries an iputils timestamp */
	__u8 odd;         /* the data is not what a ping client sends */
};

/* A 64-bit little-endian field of the sender's, whatever our byte order. */
static __always_inline __u64 pingers_le64(const __u8 *p)
{
	__u64 v;

	__builtin_memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* The sender's time in ns from an iputils timestamp at @data, or 0 if the
 * bytes are not a plausible struct timeval. */
static __always_inline __u64 pingers_sender_ns(const __u8 *data)
{
	const struct pinger_timeval *tv = (const void *)data;
	__u64 sec = pingers_le64(tv->tv_sec), usec = pingers_le64(tv->tv_usec);

	if (sec < PINGERS_TV_SEC_MIN || sec >= PINGERS_TV_SEC_END || usec >= PINGERS_USEC_PER_S)
		return 0;
	return sec * 1000000000ULL + usec * 1000;
}

/* The first bytes of a request's data, as the payload check reads them. */
#define PINGERS_BUF       64 /* a power of two: see pingers_byte() */
#define PINGERS_BUF_MASK  (PINGERS_BUF - 1)

struct pinger_data {
	__u8 bytes[PINGERS_BUF];  /* PINGERS_LOOK of them read at most */
	__u32 len;    /* how many of them the request has (<= PINGERS_LOOK) */
	__u32 start;  /* where the window begins */
};

/* Byte @k of the data. For the verifier only: clang turns the loops' index
 * into a pointer and the verifier loses the index's bound on the way; a
 * mask it can follow restores one, and the barrier keeps clang, which knows
 * the index is in bounds already, from dropping the mask. */
static __always_inline __u8 pingers_byte(const struct pinger_data *d, __u32 k)
{
	barrier_var(k);
	return d->bytes[k & PINGERS_BUF_MASK];
}

/* Whether the data starts with the blackbox_exporter's text. */
static __always_inline int pingers_is_blackbox(const struct pinger_data *d)
{
	const char sig[] = PINGERS_BLACKBOX;
	__u32 i;

	if (d->len < PINGERS_BLACKBOX_LEN)
		return 0;
	for (i = 0; i < PINGERS_BLACKBOX_LEN; i++)
		if (pingers_byte(d, i) != (__u8)sig[i])
			return 0;
	return 1;
}

/*
 * The tests below walk the window [start, start + len) by its index i, from
 * 0: the verifier then knows i exactly at each step (and start is one of
 * two values), which keeps its walk through these loops short.
 */

/* Whether every byte k of the window is k (iputils and BSD count the bytes
 * of the data, whatever comes before the window). */
static __always_inline int pingers_counts(const struct pinger_data *d, __u32 start, __u32 len)
{
	__u32 i;

	for (i = 0; i < PINGERS_WINDOW && i < len; i++)
		if (pingers_byte(d, start + i) != (__u8)(start + i))
			return 0;
	return 1;
}

/* Whether every byte k of the window is 'a' + k % 23 (Windows). */
static __always_inline int pingers_windows(const struct pinger_data *d, __u32 start, __u32 len)
{
	__u32 i, letter = start % PINGERS_WIN_ALPHABET;

	for (i = 0; i < PINGERS_WINDOW && i < len; i++) {
		if (pingers_byte(d, start + i) != 'a' + letter)
			return 0;
		letter = letter == PINGERS_WIN_ALPHABET - 1 ? 0 : letter + 1;
	}
	return 1;
}

/* Whether the window repeats with period @p. */
static __always_inline int pingers_repeats(const struct pinger_data *d, __u32 start, __u32 len,
					   __u32 p)
{
	__u32 i;

	for (i = p; i < PINGERS_WINDOW && i < len; i++)
		if (pingers_byte(d, start + i) != pingers_byte(d, start + i - p))
			return 0;
	return 1;
}

/*
 * Whether the data is unlike a ping client's (the rules at the top of the
 * file): 1 if odd, 0 if not. A global function, verified once: its loops
 * would otherwise be walked again for every path of the caller. Each test
 * stops at the first byte that fails it: random data costs a few dozen
 * comparisons, a ping's at most a few windows' worth.
 */
__noinline int pingers_payload_odd(const struct pinger_data *d)
{
	__u32 start, len, p;

	if (!d)
		return 0;
	if (pingers_is_blackbox(d))
		return 0;
	start = d->start;
	if (start > PINGERS_SKIP || d->len <= start)
		return 0;
	len = d->len - start;
	if (len > PINGERS_WINDOW)
		len = PINGERS_WINDOW;
	if (len < PINGERS_MIN_WINDOW)
		return 0;
	if (pingers_counts(d, start, len) || pingers_windows(d, start, len))
		return 0;
	/* A pattern seen whole at least twice. */
	for (p = 1; p <= PINGERS_MAX_PERIOD && 2 * p <= len; p++)
		if (pingers_repeats(d, start, len, p))
			return 0;
	return 1;
}

/*
 * Sequence numbers travel big-endian, yet some senders (older Windows)
 * write theirs in host order: on the wire they step by 256. Of the two
 * readings, the step that is shorter (either way round the 16-bit circle)
 * is taken; a big-endian sender's own steps are shorter until it loses 255
 * requests in a row.
 */
static __always_inline __u16 pingers_seq_step(__u16 from, __u16 to)
{
	__u16 be = to - from;
	__u16 le = __builtin_bswap16(to) - __builtin_bswap16(from);
	__u16 be_dist = be < 0x8000 ? be : (__u16)-be;
	__u16 le_dist = le < 0x8000 ? le : (__u16)-le;

	return le_dist < be_dist ? le : be;
}

/* A flow's first request. */
static __always_inline void pingers_first(struct xdpong_pinger *f, const struct pinger_req *r)
{
	__builtin_memset(f, 0, sizeof(*f));
	f->first_ns = r->now;
	f->last_ns = r->now;
	f->requests = 1;
	f->bytes = r->icmp_len;
	f->last_len = r->icmp_len - sizeof(struct icmp_echo_hdr);
	f->max_seq = r->seq;
	f->odd_payload = r->odd;
	if (r->stamped) {
		f->timestamped = 1;
		f->last_transit_ns = r->transit;
	}
}

/*
 * A further request of flow @f. Plain updates, not atomic ones: a flow's
 * requests come from one source to one address, which RSS steers to one
 * queue, so one CPU at a time; should two CPUs meet on a flow, a count may
 * be lost, not corrupted.
 */
static __always_inline void pingers_next(struct xdpong_pinger *f, const struct pinger_req *r)
{
	__u16 d = pingers_seq_step(f->max_seq, r->seq);
	__u64 dev, jitter;
	int in_order = 0;
	__s64 D;

	f->last_ns = r->now;
	f->requests++;
	f->bytes += r->icmp_len;
	f->last_len = r->icmp_len - sizeof(struct icmp_echo_hdr);
	f->odd_payload += r->odd;
	if (d == 0) {
		f->duplicates++;
	} else if (d < 0x8000) {
		/* Ahead: the sequences skipped are missing, for now. */
		f->gaps += d - 1;
		f->max_seq = r->seq;
		in_order = 1;
	} else {
		/* Behind: one that was counted missing has come after all. No
		 * record of each sequence is kept, so a duplicate of an old
		 * one is taken for a late one too (gaps never go below 0). */
		f->reordered++;
		if (f->gaps)
			f->gaps--;
	}
	if (!r->stamped)
		return;
	/* RFC 3550 6.4.1: D is the change in transit time from the previous
	 * request in order; its clock offset cancels out. J += (|D| - J) / 16,
	 * in unsigned steps (BPF has no signed division before cpu v4). */
	if (in_order && f->timestamped) {
		D = r->transit - f->last_transit_ns;
		dev = D < 0 ? -(__u64)D : (__u64)D;
		jitter = f->jitter_ns;
		if (dev >= jitter)
			jitter += (dev - jitter) >> 4;
		else
			jitter -= (jitter - dev) >> 4;
		f->jitter_ns = jitter;
	}
	if (in_order || !f->timestamped)
		f->last_transit_ns = r->transit;
	f->timestamped++;
}

/*
 * The request answered in the frame at @l3_off/@l4_off, into its flow. A
 * global function: the verifier checks it once, apart from the entry
 * point's paths and stack (see classify.bpf.c); it takes only the frame's
 * offsets and reads through bpf_xdp_load_bytes(). Returns 0.
 */
__noinline int pingers_follow(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off, __u32 family)
{
	/* The IP header, then the data: one buffer for both, and the new
	 * flow's value after them, to keep this frame small. */
	union {
		struct iphdr ip;
		struct ipv6hdr ip6;
		struct pinger_data data;
		struct xdpong_pinger first;
	} buf;
	struct xdpong_pinger_key key = { .family = family };
	struct icmp_echo_hdr echo;
	struct xdpong_pinger *f;
	struct pinger_req r = {};
	__u32 ip_len, n;
	__u64 sender_ns;

	if (l4_off <= l3_off || l4_off - l3_off > 0xffff)
		return 0;
	if (family == 4) {
		if (bpf_xdp_load_bytes(ctx, l3_off, &buf.ip, sizeof(buf.ip)))
			return 0;
		ip_len = bpf_ntohs(buf.ip.tot_len);
		v4_mapped(key.src.addr, buf.ip.daddr);
	} else {
		if (bpf_xdp_load_bytes(ctx, l3_off, &buf.ip6, sizeof(buf.ip6)))
			return 0;
		ip_len = sizeof(buf.ip6) + bpf_ntohs(buf.ip6.payload_len);
		__builtin_memcpy(key.src.addr, &buf.ip6.daddr, sizeof(key.src.addr));
	}
	if (ip_len < l4_off - l3_off + sizeof(echo))
		return 0;
	r.icmp_len = ip_len - (l4_off - l3_off);
	if (bpf_xdp_load_bytes(ctx, l4_off, &echo, sizeof(echo)))
		return 0;
	key.id = echo.id;
	r.seq = bpf_ntohs(echo.sequence);
	r.now = bpf_ktime_get_ns();

	n = r.icmp_len - sizeof(echo);
	if (n > PINGERS_LOOK)
		n = PINGERS_LOOK;
	__builtin_memset(&buf.data, 0, sizeof(buf.data));
	buf.data.len = n;
	buf.data.start = PINGERS_SKIP;
	/* A length in [1, PINGERS_LOOK] the verifier can see: the check above
	 * may be folded into the helper's argument by clang. */
	barrier_var(n);
	if (n > 0 && n <= PINGERS_LOOK &&
	    bpf_xdp_load_bytes(ctx, l4_off + sizeof(echo), buf.data.bytes, n))
		return 0;
	if (n >= sizeof(struct pinger_timeval)) {
		sender_ns = pingers_sender_ns(buf.data.bytes);
		if (sender_ns) {
			r.stamped = 1;
			r.transit = (__s64)(r.now - sender_ns);
			buf.data.start = sizeof(struct pinger_timeval);
		}
	}
	r.odd = pingers_payload_odd(&buf.data);

	f = bpf_map_lookup_elem(&XDPONG_MAP_PINGERS, &key);
	if (f) {
		pingers_next(f, &r);
		return 0;
	}
	/* A new flow. The LRU map makes room by pushing the oldest out; if
	 * another CPU created it meanwhile, fold this request in. */
	pingers_first(&buf.first, &r);
	if (!bpf_map_update_elem(&XDPONG_MAP_PINGERS, &key, &buf.first, BPF_NOEXIST))
		return 0;
	f = bpf_map_lookup_elem(&XDPONG_MAP_PINGERS, &key);
	if (f)
		pingers_next(f, &r);
	return 0;
}
