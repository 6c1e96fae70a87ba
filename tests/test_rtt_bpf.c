// SPDX-License-Identifier: GPL-2.0
/*
 * test_rtt_bpf.c: the host's own pings, BPF side. The XDP program and the
 * egress program loaded as attach loads them (user/rtt_egress.c: the egress
 * object shares the XDP object's maps, is attached at tcx egress and pinned),
 * in a network and mount namespace of the test's own: its lo, its bpffs.
 *
 * Echo requests go through the egress program and their replies through the
 * XDP program by BPF_PROG_TEST_RUN, and each row checks the pending table,
 * the prefix rows, the family totals and the events; the round trips against
 * the test's own clock. The sweep runs for real (its timer, a short timeout),
 * and so does a real `ping` over lo with both programs attached. The
 * histogram's bucket function is checked at every boundary against an
 * implementation of its definition written here.
 */
#define _GNU_SOURCE /* unshare() */
#include <limits.h>
#include <setjmp.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/version.h>
#include <cmocka.h>
#include "harness.h"
#include "cli.h"

/* As user/rtt_egress.c: Debian 12's headers predate tcx (Linux 6.6). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define BPF_TCX_EGRESS 47
#endif
#define TCX_NEXT_RET 0xffffffffU /* TCX_NEXT, -1, as test_run reports it */

#define NB XDPONG_RTT_NBUCKETS
#define TIMEOUT_NS 1000000000ULL

static int egress_fd, pend_fd, pfx_fd, tot_fd;
static __u32 xdp_id;
static char bpffs[] = "/tmp/xdpong-rtt-bpffs-XXXXXX";
static struct ring_buffer *rb;
static struct xdpong_event evs[256];
static int n_evs;

/* The host (local) addresses: requests leave from them, replies come to them. */
static const uint8_t US4[4] = { 198, 18, 0, 1 };
static const uint8_t US6[16] = V6_US;

static int on_event(void *ctx, void *data, size_t size)
{
	if (size >= sizeof(struct xdpong_event) && n_evs < (int)(sizeof(evs) / sizeof(evs[0])))
		memcpy(&evs[n_evs++], data, sizeof(struct xdpong_event));
	return 0;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* bpf_ktime_get_ns()'s clock */
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- The reference bucket: include/xdpong.h's comment, done another way ---- */

static unsigned int ref_bucket(__u64 ns)
{
	int e;

	if (ns < 1024)
		return 0;
	if (ns >= 1ULL << 36)
		return NB - 1;
	e = 63 - __builtin_clzll(ns);
	return 1 + 4 * (e - 10) + (unsigned int)((ns - (1ULL << e)) / (1ULL << (e - 2)));
}

/* ---- Frames ---- */

/* An echo request from the host to @remote (4 or 16 bytes). */
static struct frame_spec request(int family, const uint8_t *remote, uint16_t id, uint16_t seq)
{
	struct frame_spec s = ECHO4();

	if (family == 6)
		s = (struct frame_spec)ECHO6();
	memset(s.src, 0, 16);
	memset(s.dst, 0, 16);
	memcpy(s.src, family == 4 ? US4 : US6, family == 4 ? 4 : 16);
	memcpy(s.dst, remote, family == 4 ? 4 : 16);
	s.id = id;
	s.seq = seq;
	return s;
}

/* Through the egress program: it must go on, unchanged. */
static void run_egress(const struct frame_spec *s)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	size_t len = build_frame(s, in);
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = len,
		    .data_out = out, .data_size_out = FRAME_MAX, .repeat = 1);

	if (bpf_prog_test_run_opts(egress_fd, &opts))
		fail_msg("BPF_PROG_TEST_RUN (egress): %s", strerror(errno));
	assert_int_equal(opts.retval, TCX_NEXT_RET);
	assert_int_equal(opts.data_size_out, len);
	assert_memory_equal(out, in, len);
}

/* The reply to @req through the XDP program: passed on, untouched. */
static void run_reply(const struct frame_spec *req)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	struct frame_spec r = reply_spec(req, 64);
	size_t len = build_frame(&r, in);
	__u32 out_len;

	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, in, len);
}

/* ---- Maps ---- */

static struct xdpong_rtt_key pend_key(int family, const uint8_t *remote, uint16_t id, uint16_t seq)
{
	struct xdpong_rtt_key k = { .family = family, .id = htons(id), .seq = htons(seq) };

	if (family == 4) {
		k.local.addr[10] = k.local.addr[11] = k.remote.addr[10] = k.remote.addr[11] = 0xff;
		memcpy(k.local.addr + 12, US4, 4);
		memcpy(k.remote.addr + 12, remote, 4);
	} else {
		memcpy(k.local.addr, US6, 16);
		memcpy(k.remote.addr, remote, 16);
	}
	return k;
}

/* The pending entry of a request; 0, or -ENOENT. */
static int pending(const struct xdpong_rtt_key *k, struct xdpong_rtt_pending *v)
{
	return bpf_map_lookup_elem(pend_fd, k, v) ? -errno : 0;
}

static int pending_count(void)
{
	struct xdpong_rtt_key k, next, *prev = NULL;
	int n = 0;

	while (bpf_map_get_next_key(pend_fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		n++;
	}
	return n;
}

/* Empty the pending table: no request of an earlier row can be swept into
 * this one's counts. */
static void clear_pending(void)
{
	struct xdpong_rtt_key k;

	while (bpf_map_get_next_key(pend_fd, NULL, &k) == 0)
		bpf_map_delete_elem(pend_fd, &k);
}

/* Per-CPU rows added up; min_ns the least non-zero. */
static void sum_cpus(const struct xdpong_rtt_stats *per, struct xdpong_rtt_stats *out)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	size_t w;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < ncpu; i++) {
		const struct xdpong_rtt_stats *s = &per[i];

		for (w = 0; w < sizeof(*out) / sizeof(__u64); w++)
			((__u64 *)out)[w] += ((const __u64 *)s)[w];
		out->min_ns -= s->min_ns;
		out->max_ns -= s->max_ns;
		if (s->min_ns && (!out->min_ns || s->min_ns < out->min_ns))
			out->min_ns = s->min_ns;
		if (s->max_ns > out->max_ns)
			out->max_ns = s->max_ns;
	}
}

/* The row of prefix @a (4 or 16 bytes, given already masked) / @plen; -ENOENT if none. */
static int row(int family, const uint8_t *a, int plen, struct xdpong_rtt_stats *out)
{
	struct xdpong_rtt_prefix_key k = { .family = family, .prefixlen = plen };
	struct xdpong_rtt_stats *per = calloc(libbpf_num_possible_cpus(), sizeof(*per));
	int ret;

	assert_non_null(per);
	if (family == 4) {
		k.a.addr[10] = k.a.addr[11] = 0xff;
		memcpy(k.a.addr + 12, a, 4);
	} else {
		memcpy(k.a.addr, a, 16);
	}
	ret = bpf_map_lookup_elem(pfx_fd, &k, per) ? -errno : 0;
	if (!ret)
		sum_cpus(per, out);
	else
		memset(out, 0, sizeof(*out));
	free(per);
	return ret;
}

static void total(int family, struct xdpong_rtt_stats *out)
{
	struct xdpong_rtt_stats *per = calloc(libbpf_num_possible_cpus(), sizeof(*per));
	__u32 i = family == 6;

	assert_non_null(per);
	assert_int_equal(bpf_map_lookup_elem(tot_fd, &i, per), 0);
	sum_cpus(per, out);
	free(per);
}

static void drain_events(void)
{
	ring_buffer__consume(rb);
	n_evs = 0;
}

/* The event of the message whose id/sequence are @id/@seq with @flag; NULL if none. */
static const struct xdpong_event *find_event(__u32 flag, int family, uint16_t id, uint16_t seq)
{
	int i;

	ring_buffer__consume(rb);
	for (i = 0; i < n_evs; i++)
		if ((evs[i].flags & flag) && evs[i].family == family &&
		    (flag != XDPONG_EV_LOST || (evs[i].inner_sport == id && evs[i].inner_dport == seq)))
			return &evs[i];
	return NULL;
}

static void set_rtt(__u64 timeout_ns, int v4, int v6)
{
	base_cfg.rtt.timeout_ns = timeout_ns;
	base_cfg.rtt.prefix_v4 = v4;
	base_cfg.rtt.prefix_v6 = v6;
	set_config(CFG_TTL, CFG_HOP, XDPONG_F_RTT);
}

/* ---- The rows ---- */

static void buckets(void **state)
{
	static const struct { __u64 ns; unsigned int b; } known[] = {
		{ 0, 0 }, { 1023, 0 }, { 1024, 1 }, { 1279, 1 }, { 1280, 2 }, { 1535, 2 },
		{ 1536, 3 }, { 1792, 4 }, { 2047, 4 }, { 2048, 5 },
		{ (1ULL << 36) - 1, NB - 2 }, { 1ULL << 36, NB - 1 }, { ~0ULL, NB - 1 },
	};
	unsigned int i;
	int e;

	assert_int_equal(NB, 106); /* 26 powers of two from 2^10, 4 each, and the two ends */
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_int_equal(xdpong_rtt_bucket(known[i].ns), known[i].b);
		assert_int_equal(ref_bucket(known[i].ns), known[i].b);
	}
	/* Every boundary: its lower bound is in it, the ns before in the one before. */
	assert_int_equal(xdpong_rtt_bucket_low(0), 0);
	assert_int_equal(xdpong_rtt_bucket_low(1), 1024);
	assert_int_equal(xdpong_rtt_bucket_low(NB - 1), 1ULL << 36);
	for (i = 1; i < NB; i++) {
		__u64 low = xdpong_rtt_bucket_low(i);

		assert_true(low > xdpong_rtt_bucket_low(i - 1));
		assert_int_equal(xdpong_rtt_bucket(low), i);
		assert_int_equal(ref_bucket(low), i);
		assert_int_equal(xdpong_rtt_bucket(low - 1), i - 1);
		assert_int_equal(ref_bucket(low - 1), i - 1);
	}
	/* Around every power of two, and between, both agree. */
	for (e = 0; e < 64; e++) {
		__u64 p = 1ULL << e, v[] = { p - 1, p, p + 1, p + p / 3, p + p / 2 + 7 };

		for (i = 0; i < 5; i++)
			assert_int_equal(xdpong_rtt_bucket(v[i]), ref_bucket(v[i]));
	}
	/* At least 4 buckets per power of two (the ask). */
	assert_int_not_equal(xdpong_rtt_bucket(50000), xdpong_rtt_bucket(80000));
	assert_int_not_equal(xdpong_rtt_bucket(20000000), xdpong_rtt_bucket(30000000));
}

/* A request, then its reply after about @wait_us: counted, bucketed, timed. */
static void round_trip(int family, const uint8_t *remote, const uint8_t *row_addr, int plen,
		       unsigned int wait_us)
{
	struct frame_spec req = request(family, remote, 0x4242, 11);
	struct xdpong_rtt_key k = pend_key(family, remote, 0x4242, 11);
	struct xdpong_rtt_stats r0, t0, r1, t1, r2, t2;
	int fam = family == 4 ? XDPONG_FAM_ICMP : XDPONG_FAM_ICMPV6;
	const struct xdpong_event *ev;
	struct xdpong_rtt_pending v;
	__u64 before, after, rtt;
	unsigned int i, b;

	clear_pending();
	drain_events();
	assert_int_equal(row(family, row_addr, plen, &r0), -ENOENT);
	total(family, &t0);

	before = now_ns();
	run_egress(&req);
	assert_int_equal(pending(&k, &v), 0);
	assert_int_equal(v.state, XDPONG_RTT_WAITING);
	assert_true(v.sent_ns >= before && v.sent_ns <= now_ns());
	assert_int_equal(row(family, row_addr, plen, &r1), 0);
	total(family, &t1);
	assert_int_equal(r1.sent, 1);
	assert_int_equal(t1.sent - t0.sent, 1);
	assert_int_equal(r1.replied + t1.replied - t0.replied, 0);

	usleep(wait_us);
	run_reply(&req);
	after = now_ns();
	assert_int_equal(pending(&k, &v), 0);
	assert_int_equal(v.state, XDPONG_RTT_REPLIED);
	assert_int_equal(row(family, row_addr, plen, &r1), 0);
	total(family, &t1);
	assert_int_equal(r1.replied, 1);
	assert_int_equal(t1.replied - t0.replied, 1);
	assert_int_equal(r1.lost + r1.late + r1.duplicate + r1.untracked, 0);
	/* One trip: min, max and sum are it; within what the test's clock saw. */
	rtt = r1.max_ns;
	assert_int_equal(r1.min_ns, rtt);
	assert_int_equal(r1.sum_ns, rtt);
	assert_true(rtt >= wait_us * 1000ULL && rtt <= after - before);
	assert_int_equal(t1.sum_ns - t0.sum_ns, rtt);
	assert_true(t1.max_ns >= rtt && t1.min_ns && t1.min_ns <= rtt);
	b = ref_bucket(rtt);
	for (i = 0; i < NB; i++) {
		assert_int_equal(r1.bucket[i], i == b);
		assert_int_equal(t1.bucket[i] - t0.bucket[i], i == b);
	}
	/* The reply's event (sampled 1 in 1 here) carries the trip. */
	ev = find_event(XDPONG_EV_RTT, fam, 0, 0);
	assert_non_null(ev);
	assert_int_equal(ev->rtt_ns, rtt);
	assert_int_equal(ev->type, family == 4 ? 0 : 129);

	/* The same reply again: a duplicate, not a second trip. */
	drain_events();
	run_reply(&req);
	assert_int_equal(row(family, row_addr, plen, &r2), 0);
	total(family, &t2);
	assert_int_equal(r2.replied, 1);
	assert_int_equal(r2.duplicate, 1);
	assert_int_equal(t2.duplicate - t1.duplicate, 1);
	assert_int_equal(t2.replied, t1.replied);
	assert_memory_equal(r2.bucket, r1.bucket, sizeof(r1.bucket));
	ev = find_event(XDPONG_EV_RTT_DUP, fam, 0, 0);
	assert_non_null(ev);
	assert_int_equal(ev->flags & XDPONG_EV_RTT, 0);
}

static void round_trip_v4(void **state)
{
	static const uint8_t remote[4] = { 198, 18, 11, 2 }, net[4] = { 198, 18, 11, 0 };

	round_trip(4, remote, net, 24, 0);
}

static void round_trip_v4_slow(void **state)
{
	static const uint8_t remote[4] = { 198, 18, 12, 77 }, net[4] = { 198, 18, 12, 0 };

	round_trip(4, remote, net, 24, 3000); /* 3 ms: bucket ~ 2^21 */
}

static void round_trip_v6(void **state)
{
	static const uint8_t remote[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x13, 0xab, 0xcd, [15] = 2);
	static const uint8_t net[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x13);

	round_trip(6, remote, net, 48, 500);
}

/* A reply to no request: unmatched, in the total only. */
static void unmatched(void **state)
{
	static const uint8_t r4[4] = { 198, 18, 14, 2 }, n4[4] = { 198, 18, 14, 0 };
	static const uint8_t r6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x14, [15] = 2);
	static const uint8_t n6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x14);
	struct frame_spec q4 = request(4, r4, 1, 1), q6 = request(6, r6, 1, 1);
	struct xdpong_rtt_stats a4, a6, b4, b6, r;

	clear_pending();
	total(4, &a4);
	total(6, &a6);
	run_reply(&q4);
	run_reply(&q6);
	run_reply(&q6);
	total(4, &b4);
	total(6, &b6);
	assert_int_equal(b4.unmatched - a4.unmatched, 1);
	assert_int_equal(b6.unmatched - a6.unmatched, 2);
	assert_int_equal(b4.replied + b4.duplicate, a4.replied + a4.duplicate);
	assert_int_equal(row(4, n4, 24, &r), -ENOENT);
	assert_int_equal(row(6, n6, 48, &r), -ENOENT);
	/* A reply with a request of another id or sequence pending: no match either. */
	run_egress(&q4);
	q4.seq = 2;
	run_reply(&q4);
	q4.seq = 1;
	q4.id = 2;
	run_reply(&q4);
	total(4, &b4);
	assert_int_equal(b4.unmatched - a4.unmatched, 3);
	assert_int_equal(row(4, n4, 24, &r), 0);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.replied + r.duplicate, 0);
}

/* Frames the egress program must not time. */
static void egress_ignores(void **state)
{
	static const uint8_t remote[4] = { 198, 18, 15, 2 }, net[4] = { 198, 18, 15, 0 };
	static const uint8_t r6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x15, [15] = 2);
	struct { const char *what; struct frame_spec s; __u32 flags; } rows[8];
	struct xdpong_rtt_stats a4, a6, b4, b6, r;
	int i, n = 0;

	clear_pending();
	rows[n].what = "an echo reply (the host answering)";
	rows[n].s = request(4, remote, 1, 1);
	rows[n++].s.type = 0;
	rows[n].what = "code 1";
	rows[n].s = request(4, remote, 1, 2);
	rows[n++].s.code = 1;
	rows[n].what = "UDP";
	rows[n].s = request(4, remote, 1, 3);
	rows[n++].s.proto = 17;
	rows[n].what = "a non-first fragment";
	rows[n].s = request(4, remote, 1, 4);
	rows[n++].s.frag = 0x0010;
	rows[n].what = "cut in the echo header";
	rows[n].s = request(4, remote, 1, 5);
	rows[n].s.payload_len = 0;
	rows[n++].s.truncate = 3;
	rows[n].what = "an ICMPv6 echo reply";
	rows[n].s = request(6, r6, 1, 6);
	rows[n++].s.type = 129;
	rows[n].what = "three VLAN tags";
	rows[n].s = request(4, remote, 1, 7);
	rows[n].s.vlans = 3;
	rows[n].s.vlan_proto[0] = rows[n].s.vlan_proto[1] = rows[n].s.vlan_proto[2] = ETHERTYPE_8021Q;
	n++;
	rows[n].what = "a request, with ping telemetry off";
	rows[n].s = request(4, remote, 1, 8);
	rows[n++].flags = 0;
	for (i = 0; i < n - 1; i++)
		rows[i].flags = XDPONG_F_RTT;

	total(4, &a4);
	total(6, &a6);
	for (i = 0; i < n; i++) {
		print_message("# %s\n", rows[i].what);
		set_config(CFG_TTL, CFG_HOP, rows[i].flags);
		run_egress(&rows[i].s);
		assert_int_equal(pending_count(), 0);
	}
	set_config(CFG_TTL, CFG_HOP, XDPONG_F_RTT);
	total(4, &b4);
	total(6, &b6);
	assert_int_equal(b4.sent + b4.untracked, a4.sent + a4.untracked);
	assert_int_equal(b6.sent + b6.untracked, a6.sent + a6.untracked);
	assert_int_equal(row(4, net, 24, &r), -ENOENT);
}

/* VLAN tags, IPv4 options, an IPv6 extension header, a first fragment: timed. */
static void egress_headers(void **state)
{
	static const uint8_t remote[4] = { 198, 18, 16, 2 }, net[4] = { 198, 18, 16, 0 };
	static const uint8_t r6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x16, [15] = 2);
	static const uint8_t n6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x16);
	struct frame_spec s[6];
	struct xdpong_rtt_pending v;
	struct xdpong_rtt_stats r;
	struct xdpong_rtt_key k;
	int i;

	clear_pending();
	s[0] = request(4, remote, 0x100, 1);
	s[0].vlans = 1;
	s[0].vlan_proto[0] = ETHERTYPE_8021Q;
	s[1] = request(4, remote, 0x100, 2);
	s[1].vlans = 2;
	s[1].vlan_proto[0] = ETHERTYPE_8021AD;
	s[1].vlan_proto[1] = ETHERTYPE_8021Q;
	s[2] = request(4, remote, 0x100, 3);
	s[2].opt_len = 8;
	s[3] = request(4, remote, 0x100, 4);
	s[3].frag = 0x2000; /* more fragments, offset 0: the first */
	s[4] = request(6, r6, 0x100, 5);
	s[4].ext = 1;       /* hop-by-hop */
	s[5] = request(6, r6, 0x100, 6);
	s[5].vlans = 1;
	s[5].vlan_proto[0] = ETHERTYPE_8021Q;
	for (i = 0; i < 6; i++) {
		run_egress(&s[i]);
		k = pend_key(s[i].family, s[i].family == 4 ? remote : r6, 0x100, i + 1);
		assert_int_equal(pending(&k, &v), 0);
		assert_int_equal(v.state, XDPONG_RTT_WAITING);
	}
	assert_int_equal(pending_count(), 6);
	assert_int_equal(row(4, net, 24, &r), 0);
	assert_int_equal(r.sent, 4);
	assert_int_equal(row(6, n6, 48, &r), 0);
	assert_int_equal(r.sent, 2);
	/* Their replies, tagged and with options as the requests were: matched. */
	for (i = 0; i < 6; i++)
		run_reply(&s[i]);
	assert_int_equal(row(4, net, 24, &r), 0);
	assert_int_equal(r.replied, 4);
	assert_int_equal(row(6, n6, 48, &r), 0);
	assert_int_equal(r.replied, 2);
}

/* A reply past the timeout, before the sweep saw its request: lost and late. */
static void late_reply(void **state)
{
	static const uint8_t remote[4] = { 198, 18, 17, 2 }, net[4] = { 198, 18, 17, 0 };
	struct frame_spec req = request(4, remote, 0x200, 1);
	struct xdpong_rtt_key k = pend_key(4, remote, 0x200, 1);
	struct xdpong_rtt_stats a, b, r;
	struct xdpong_rtt_pending v;
	const struct xdpong_event *ev;

	clear_pending();
	drain_events();
	total(4, &a);
	run_egress(&req);
	assert_int_equal(pending(&k, &v), 0);
	/* Sent 3 timeouts ago (the sweep may see it first: the counts agree). */
	v.sent_ns -= 3 * TIMEOUT_NS;
	assert_int_equal(bpf_map_update_elem(pend_fd, &k, &v, BPF_EXIST), 0);
	run_reply(&req);
	assert_int_equal(pending(&k, &v), 0);
	assert_int_equal(v.state, XDPONG_RTT_LATE);
	assert_int_equal(row(4, net, 24, &r), 0);
	total(4, &b);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.lost, 1);
	assert_int_equal(r.late, 1);
	assert_int_equal(r.replied + r.duplicate, 0);
	assert_int_equal(r.max_ns + r.sum_ns, 0);
	assert_int_equal(b.lost - a.lost, 1);
	assert_int_equal(b.late - a.late, 1);
	assert_int_equal(b.replied, a.replied);
	ev = find_event(XDPONG_EV_RTT_LATE, XDPONG_FAM_ICMP, 0, 0);
	assert_non_null(ev);
	assert_true(ev->rtt_ns >= 3 * TIMEOUT_NS);
	/* And again: a duplicate. */
	run_reply(&req);
	assert_int_equal(row(4, net, 24, &r), 0);
	assert_int_equal(r.late, 1);
	assert_int_equal(r.duplicate, 1);
}

/* The prefix lengths come from the config, each in its family's bits. */
static void prefix_lengths(void **state)
{
	static const uint8_t remote[4] = { 198, 19, 201, 9 }, net[4] = { 198, 19, 0, 0 };
	static const uint8_t r6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x18, 0x77, 0x66, [15] = 9);
	static const uint8_t n6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x18, 0x77, 0x60);
	struct frame_spec q4 = request(4, remote, 0x300, 1), q6 = request(6, r6, 0x300, 1);
	struct xdpong_rtt_stats r;

	clear_pending();
	set_rtt(TIMEOUT_NS, 16, 60);
	run_egress(&q4);
	run_egress(&q6);
	run_reply(&q4);
	run_reply(&q6);
	set_rtt(TIMEOUT_NS, 24, 48);
	assert_int_equal(row(4, net, 16, &r), 0);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.replied, 1);
	assert_int_equal(row(6, n6, 60, &r), 0);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.replied, 1);
}

/* A full pending table: a new request is untracked, none pushed out. */
static void pending_full(void **state)
{
	static const uint8_t remote[4] = { 198, 18, 19, 2 }, net[4] = { 198, 18, 19, 0 };
	struct frame_spec req = request(4, remote, 0x400, 1);
	struct xdpong_rtt_key k = pend_key(4, remote, 0x400, 1), fill;
	/* Answered just now: the sweep would only delete them, a timeout on. */
	struct xdpong_rtt_pending v = { .sent_ns = now_ns(), .state = XDPONG_RTT_REPLIED };
	struct xdpong_rtt_stats a, b, r;
	__u32 i, max = bpf_map__max_entries(skel->maps.XDPONG_MAP_RTT_PENDING);

	clear_pending();
	for (i = 0; i < max; i++) {
		fill = pend_key(4, remote, 0x401 + (i >> 16), i & 0xffff);
		assert_int_equal(bpf_map_update_elem(pend_fd, &fill, &v, BPF_NOEXIST), 0);
	}
	total(4, &a);
	run_egress(&req);
	total(4, &b);
	clear_pending();
	assert_int_equal(b.untracked - a.untracked, 1);
	assert_int_equal(b.sent, a.sent);
	assert_int_equal(row(4, net, 24, &r), 0);
	assert_int_equal(r.untracked, 1);
	assert_int_equal(r.sent, 0);
	assert_int_equal(pending(&k, &v), -ENOENT);
}

/* Wait up to 3 s for the pending entry @k to reach @state (-1: be deleted). */
static int wait_state(const struct xdpong_rtt_key *k, int state)
{
	struct xdpong_rtt_pending v;
	int i, ret = 0;

	for (i = 0; i < 300; i++) {
		ret = pending(k, &v);
		if ((state < 0 && ret == -ENOENT) || (state >= 0 && !ret && (int)v.state == state))
			return 0;
		usleep(10000);
	}
	return -1;
}

/* The sweep, for real: its timer, a 50 ms timeout. */
static void sweep(void **state)
{
	static const uint8_t remote[4] = { 198, 18, 20, 2 }, net[4] = { 198, 18, 20, 0 };
	static const uint8_t r6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x20, [15] = 2);
	static const uint8_t n6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x00, 0x20);
	struct frame_spec lost = request(4, remote, 0x500, 1), late = request(6, r6, 0x500, 2);
	struct frame_spec answered = request(4, remote, 0x500, 3);
	struct xdpong_rtt_key kl = pend_key(4, remote, 0x500, 1), k6 = pend_key(6, r6, 0x500, 2);
	struct xdpong_rtt_key ka = pend_key(4, remote, 0x500, 3);
	static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 1, };
	static const uint8_t mapped_remote[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 20, 2 };
	struct xdpong_rtt_stats a4, a6, b4, b6, r;
	const struct xdpong_event *ev;
	__u64 t0;

	clear_pending();
	drain_events();
	set_rtt(50000000ULL, 24, 48);
	total(4, &a4);
	total(6, &a6);
	t0 = now_ns();
	run_egress(&lost);
	run_egress(&late);
	run_egress(&answered);
	run_reply(&answered);

	/* Unanswered past the timeout: lost, then kept 4 timeouts, then gone. */
	assert_int_equal(wait_state(&kl, XDPONG_RTT_LOST), 0);
	assert_true(now_ns() - t0 >= 50000000ULL);
	assert_int_equal(wait_state(&k6, XDPONG_RTT_LOST), 0);
	total(4, &b4);
	total(6, &b6);
	assert_int_equal(b4.lost - a4.lost, 1);
	assert_int_equal(b6.lost - a6.lost, 1);
	assert_int_equal(row(4, net, 24, &r), 0);
	assert_int_equal(r.sent, 2);
	assert_int_equal(r.lost, 1);
	assert_int_equal(r.replied, 1);
	ev = find_event(XDPONG_EV_LOST, XDPONG_FAM_ICMP, 0x500, 1);
	assert_non_null(ev);
	assert_int_equal(ev->type, 8);
	assert_int_equal(ev->code, 0);
	assert_int_equal(ev->cap_len, 0);
	assert_int_equal(ev->pkt_len, 0);
	assert_int_equal(ev->ifindex, base_cfg.dev.ifindex);
	assert_memory_equal(ev->src, mapped, 16);
	assert_memory_equal(ev->dst, mapped_remote, 16);
	assert_true(ev->ts_ns > t0);
	ev = find_event(XDPONG_EV_LOST, XDPONG_FAM_ICMPV6, 0x500, 2);
	assert_non_null(ev);
	assert_int_equal(ev->type, 128);
	assert_memory_equal(ev->src, US6, 16);
	assert_memory_equal(ev->dst, r6, 16);

	/* A reply to a request counted lost: late, not lost again. */
	run_reply(&late);
	assert_int_equal(row(6, n6, 48, &r), 0);
	assert_int_equal(r.lost, 1);
	assert_int_equal(r.late, 1);
	assert_int_equal(r.replied, 0);
	assert_non_null(find_event(XDPONG_EV_RTT_LATE, XDPONG_FAM_ICMPV6, 0, 0));

	/* Answered: deleted a timeout on; lost and late: 4 timeouts on. */
	assert_int_equal(wait_state(&ka, -1), 0);
	assert_int_equal(wait_state(&kl, -1), 0);
	assert_int_equal(wait_state(&k6, -1), 0);
	assert_true(now_ns() - t0 >= XDPONG_RTT_KEEP_TIMEOUTS * 50000000ULL);
	/* Counted once, however often the sweep ran. */
	total(4, &b4);
	assert_int_equal(b4.lost - a4.lost, 1);
	set_rtt(TIMEOUT_NS, 24, 48);
}

/* Real pings over the namespace's lo, both programs attached (XDP in skb mode). */
static void real_ping(void **state)
{
	static const uint8_t net[4] = { 198, 18, 200, 0 };
	static const uint8_t n6[16] = V6(0x20, 0x01, 0x00, 0x02, 0x02, 0x00);
	struct xdpong_rtt_stats r;
	int ret;

	clear_pending();
	assert_int_equal(bpf_xdp_attach(1, prog_fd, XDP_FLAGS_SKB_MODE, NULL), 0);
	ret = system("ping -q -c 3 -i 0.2 -W 2 198.18.200.1 >/dev/null && "
		     "ping -q -6 -c 2 -i 0.2 -W 2 2001:2:200::1 >/dev/null");
	bpf_xdp_detach(1, XDP_FLAGS_SKB_MODE, NULL);
	assert_int_equal(ret, 0);
	assert_int_equal(row(4, net, 24, &r), 0);
	assert_int_equal(r.sent, 3);
	assert_int_equal(r.replied, 3);
	assert_int_equal(r.lost + r.late + r.duplicate, 0);
	assert_true(r.min_ns > 0 && r.min_ns <= r.max_ns && r.max_ns < 2000000000ULL);
	assert_true(r.sum_ns >= r.min_ns + r.max_ns);
	assert_int_equal(row(6, n6, 48, &r), 0);
	assert_int_equal(r.sent, 2);
	assert_int_equal(r.replied, 2);
}

/* tcx egress programs on lo. */
static int egress_progs(void)
{
	LIBBPF_OPTS(bpf_prog_query_opts, q);

	if (bpf_prog_query_opts(1, BPF_TCX_EGRESS, &q))
		return -errno;
	return q.prog_cnt;
}

/* detach's part: unpinned, the egress program goes, and the folder with it. */
static void removal(void **state)
{
	char dir[PATH_MAX];
	struct stat st;
	int i;

	snprintf(dir, sizeof(dir), "%s/%s/%u", bpffs, XDPONG_PIN_DIR, xdp_id);
	assert_true(rtt_egress_present(xdp_id));
	assert_int_equal(egress_progs(), 1);
	close(egress_fd);
	egress_fd = -1;
	rtt_egress_remove(xdp_id);
	assert_false(rtt_egress_present(xdp_id));
	for (i = 0; i < 100 && egress_progs() != 0; i++)
		usleep(10000);
	assert_int_equal(egress_progs(), 0);
	tx_errors_remove(xdp_id);
	assert_int_not_equal(stat(dir, &st), 0);
}

/*
 * Another tcx egress program there before ours, one that ends the run
 * (TCX_PASS): ours goes in front of it, so the host's requests are still
 * timed, and it still runs after ours (TCX_NEXT). Started as `run` starts it
 * beside a program attached before: the maps found from the XDP program's id.
 */
static void front_of_chain(void **state)
{
	static const uint8_t net[4] = { 198, 18, 200, 0 };
	/* r0 = 0 (TCX_PASS); exit */
	const struct bpf_insn pass[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_query_opts, q);
	struct xdpong_rtt_stats before, after;
	struct bpf_prog_info pi = {};
	__u32 ids[4] = {}, len = sizeof(pi);
	int pass_fd, pass_link, ret;

	pass_fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "tcx_pass", "GPL", pass, 2, NULL);
	assert_true(pass_fd >= 0);
	pass_link = bpf_link_create(pass_fd, 1, BPF_TCX_EGRESS, NULL);
	assert_true(pass_link >= 0);
	assert_int_equal(rtt_egress_start("lo", 1, xdp_id, NULL), 0);

	q.prog_ids = ids;
	q.prog_cnt = 4;
	assert_int_equal(bpf_prog_query_opts(1, BPF_TCX_EGRESS, &q), 0);
	assert_int_equal(q.prog_cnt, 2);
	assert_int_equal(bpf_obj_get_info_by_fd(pass_fd, &pi, &len), 0);
	assert_int_not_equal(ids[0], pi.id);   /* ours first ... */
	assert_int_equal(ids[1], pi.id);       /* ... then the one that was there */

	clear_pending();
	memset(&before, 0, sizeof(before));
	row(4, net, 24, &before);
	assert_int_equal(bpf_xdp_attach(1, prog_fd, XDP_FLAGS_SKB_MODE, NULL), 0);
	ret = system("ping -q -c 2 -i 0.2 -W 2 198.18.200.1 >/dev/null");
	bpf_xdp_detach(1, XDP_FLAGS_SKB_MODE, NULL);
	assert_int_equal(ret, 0);
	assert_int_equal(row(4, net, 24, &after), 0);
	assert_int_equal(after.sent - before.sent, 2);
	assert_int_equal(after.replied - before.replied, 2);

	rtt_egress_remove(xdp_id);
	close(pass_link);
	close(pass_fd);
}

/* ---- Setup: a namespace of our own, both programs loaded as attach does ---- */

static int setup_all(void **state)
{
	char path[PATH_MAX];
	struct bpf_link_info li = {};
	struct bpf_prog_info pi = {};
	__u32 len;
	int fd;

	if (setup(state))
		return -1;
	/* Events for every echo reply: the round trip's event. */
	base_cfg.sample[XDPONG_FAM_ICMP - 1][0] = 1;
	base_cfg.sample[XDPONG_FAM_ICMPV6 - 1][129] = 1;
	base_cfg.event_rate = 100000;
	set_rtt(TIMEOUT_NS, 24, 48);

	len = sizeof(pi);
	if (bpf_obj_get_info_by_fd(prog_fd, &pi, &len))
		return -1;
	xdp_id = pi.id;
	if (rtt_egress_start("lo", 1, xdp_id, skel->obj))
		return -1;
	snprintf(path, sizeof(path), "%s/%s/%u/%s", bpffs, XDPONG_PIN_DIR, xdp_id,
		 XDPONG_STR(XDPONG_PROG_RTT_EGRESS));
	fd = bpf_obj_get(path);
	len = sizeof(li);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &li, &len)) {
		fprintf(stderr, "no egress link pinned at %s: %s\n", path, strerror(errno));
		return -1;
	}
	close(fd);
	egress_fd = bpf_prog_get_fd_by_id(li.prog_id);
	if (egress_fd < 0)
		return -1;
	pend_fd = bpf_map__fd(skel->maps.XDPONG_MAP_RTT_PENDING);
	pfx_fd = bpf_map__fd(skel->maps.XDPONG_MAP_RTT_PREFIX);
	tot_fd = bpf_map__fd(skel->maps.XDPONG_MAP_RTT_TOTAL);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.xdpong_events), on_event, NULL, NULL);
	return rb ? 0 : -1;
}

static int teardown_all(void **state)
{
	ring_buffer__free(rb);
	if (egress_fd >= 0)
		close(egress_fd);
	rtt_egress_remove(xdp_id);
	tx_errors_remove(xdp_id);
	return teardown(state);
}

/* Our own network namespace (its lo, with test addresses) and a bpffs in a
 * mount namespace of our own: nothing the host sees, nothing left behind. */
static int enter_namespaces(void)
{
	if (unshare(CLONE_NEWNET | CLONE_NEWNS)) {
		fprintf(stderr, "unshare: %s (needs root)\n", strerror(errno));
		return -1;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || !mkdtemp(bpffs) ||
	    mount("bpf", bpffs, "bpf", 0, NULL)) {
		fprintf(stderr, "a bpffs of our own at %s: %s\n", bpffs, strerror(errno));
		return -1;
	}
	setenv("LIBXDP_BPFFS", bpffs, 1);
	if (system("ip link set lo up && ip addr add 198.18.200.1/32 dev lo && "
		   "ip -6 addr add 2001:2:200::1/128 dev lo nodad")) {
		fprintf(stderr, "can't set up lo in the test's namespace\n");
		return -1;
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buckets),
		cmocka_unit_test(round_trip_v4),
		cmocka_unit_test(round_trip_v4_slow),
		cmocka_unit_test(round_trip_v6),
		cmocka_unit_test(unmatched),
		cmocka_unit_test(egress_ignores),
		cmocka_unit_test(egress_headers),
		cmocka_unit_test(late_reply),
		cmocka_unit_test(prefix_lengths),
		cmocka_unit_test(pending_full),
		cmocka_unit_test(sweep),
		cmocka_unit_test(real_ping),
		cmocka_unit_test(removal),
		cmocka_unit_test(front_of_chain),
	};
	int ret;

	libbpf_set_print(print_libbpf);
	if (enter_namespaces())
		return 1;
	ret = cmocka_run_group_tests_name("rtt_bpf", tests, setup_all, teardown_all);
	umount(bpffs);
	rmdir(bpffs);
	return ret;
}
