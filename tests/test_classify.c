// SPDX-License-Identifier: GPL-2.0
/*
 * test_classify.c: the monitor's reading of ICMP errors, through
 * BPF_PROG_TEST_RUN: crafted errors with well-formed and malformed quoted
 * headers (truncated, bad inner IHL, IPv6 extension headers, non-first
 * fragments), RFC 4884 lengths, MTUs, redirects, unsolicited errors, IPv6
 * extension headers before ICMPv6, IGMP. Each row names the counters that
 * must move and the event the ring buffer must carry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "harness.h"

/* An event captured from the ring buffer. */
static struct xdpong_event last_ev;
static int n_ev;
static struct ring_buffer *rb;

static int on_event(void *ctx, void *data, size_t size)
{
	if (size >= sizeof(last_ev))
		memcpy(&last_ev, data, sizeof(last_ev));
	n_ev++;
	return 0;
}

/* A quoted IPv4 header + 8 transport bytes. ihl: 0 = 5. */
static size_t quote4(uint8_t *q, const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
		     int ihl, uint16_t frag, uint16_t sport, uint16_t dport)
{
	int hl = (ihl ? ihl : 5) * 4, i;

	memset(q, 0, 80);
	q[0] = 4 << 4 | (ihl ? ihl : 5);
	put16(q + 2, (hl > 20 ? hl : 20) + 8 + 32);
	put16(q + 6, frag);
	q[8] = 1;
	q[9] = proto;
	memcpy(q + 12, src, 4);
	memcpy(q + 16, dst, 4);
	for (i = 20; i < hl; i++)
		q[i] = 1; /* NOP options */
	if (hl < 20)
		hl = 20;
	if (proto == 1) {       /* ICMP echo: type, code, csum, id, seq */
		q[hl] = 8;
		put16(q + hl + 4, sport);
		put16(q + hl + 6, dport);
	} else {
		put16(q + hl, sport);
		put16(q + hl + 2, dport);
	}
	return hl + 8;
}

/* A quoted IPv6 header, then @n_ext 8-byte extension headers of @ext types, then 8 bytes. */
static size_t quote6(uint8_t *q, const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
		     const uint8_t *ext, int n_ext, uint16_t sport, uint16_t dport)
{
	size_t off = 40;
	int i;

	memset(q, 0, 160);
	q[0] = 6 << 4;
	put16(q + 4, n_ext * 8 + 8 + 32);
	q[6] = n_ext ? ext[0] : proto;
	q[7] = 1;
	memcpy(q + 8, src, 16);
	memcpy(q + 24, dst, 16);
	for (i = 0; i < n_ext; i++, off += 8) {
		q[off] = i + 1 < n_ext ? ext[i + 1] : proto;
		if (ext[i] == 44)
			put16(q + off + 2, 0x0008); /* fragment offset 1: not the first */
	}
	put16(q + off, sport);
	put16(q + off + 2, dport);
	return off + 8;
}

static const uint8_t US4[4] = { 198, 18, 0, 1 }, PEER4[4] = { 198, 18, 0, 2 };
static const uint8_t OTHER4[4] = { 198, 18, 9, 9 };
static const uint8_t US6[16] = V6_US, PEER6[16] = V6_PEER;
static const uint8_t OTHER6[16] = V6(0x20, 0x01, 0x00, 0x02, [14] = 9, [15] = 9);

struct expect {
	int family, type, code;     /* the message class that must be counted */
	int errors, unsolicited, malformed, rfc4884, rfc4884_bad, redirects, bad_hop;
	int mtu_bucket;             /* -1: none */
	int below_min;
	int event;                  /* an event must be sent */
	__u32 ev_flags;             /* flags it must have */
	int inner_proto, sport, dport;
	__u32 mtu;
};

struct ccase {
	const char *name;
	struct frame_spec spec;
	uint8_t quote[200];
	size_t (*make_quote)(uint8_t *q);
	struct expect x;
};

/* Quotes, one function each, so that the table stays readable. */
static size_t q_udp_ours(uint8_t *q) { return quote4(q, US4, PEER4, 17, 0, 0, 40000, 33434); }
static size_t q_udp_other(uint8_t *q) { return quote4(q, OTHER4, PEER4, 17, 0, 0, 40000, 33434); }
static size_t q_icmp_ours(uint8_t *q) { return quote4(q, US4, PEER4, 1, 0, 0, 0x1234, 7); }
static size_t q_truncated(uint8_t *q) { quote4(q, US4, PEER4, 17, 0, 0, 1, 2); return 12; }
static size_t q_bad_ihl(uint8_t *q) { return quote4(q, US4, PEER4, 17, 3, 0, 1, 2); }
static size_t q_options(uint8_t *q) { return quote4(q, US4, PEER4, 17, 7, 0, 5353, 53); }
static size_t q_ports_only(uint8_t *q) { return quote4(q, US4, PEER4, 17, 0, 0, 1111, 2222) - 4; }
static size_t q_icmp_4(uint8_t *q) { return quote4(q, US4, PEER4, 1, 0, 0, 1, 2) - 4; }
static size_t q_later_frag(uint8_t *q) { return quote4(q, US4, PEER4, 17, 0, 0x0010, 1, 2); }
static size_t q_rfc4884(uint8_t *q)
{
	quote4(q, US4, PEER4, 17, 0, 0, 40000, 33434);
	/* padded to 128 bytes (RFC 4884 3), then an extension header */
	q[128] = 0x20;
	return 128 + 4 + 8;
}
static size_t q6_udp_ours(uint8_t *q) { return quote6(q, US6, PEER6, 17, NULL, 0, 40000, 33434); }
static size_t q6_udp_other(uint8_t *q) { return quote6(q, OTHER6, PEER6, 17, NULL, 0, 1, 2); }
static size_t q6_ext(uint8_t *q)
{
	static const uint8_t ext[] = { 0, 60 };

	return quote6(q, US6, PEER6, 17, ext, 2, 40000, 443);
}
static size_t q6_later_frag(uint8_t *q)
{
	static const uint8_t ext[] = { 44 };

	return quote6(q, US6, PEER6, 17, ext, 1, 1, 2);
}
static size_t q6_truncated(uint8_t *q) { quote6(q, US6, PEER6, 17, NULL, 0, 1, 2); return 20; }
static size_t q6_redirect(uint8_t *q)
{
	/* target (a router on the link) and destination */
	static const uint8_t target[16] = V6(0xfe, 0x80, [15] = 0xfe);

	memcpy(q, target, 16);
	memcpy(q + 16, PEER6, 16);
	return 32;
}

/* Errors from a router; the 4 bytes after the checksum are 0 unless a row sets them. */
#define ERR4(...) ECHO4(.src = V4(198, 18, 0, 254), .id = 0, .seq = 0, __VA_ARGS__)
#define ERR6(...) ECHO6(.src = V6(0x20, 0x01, 0x00, 0x02, [15] = 0xfe), .id = 0, .seq = 0, __VA_ARGS__)
#define NO_MTU .mtu_bucket = -1

/* MTU buckets: see XDPONG_MTU_BOUNDS. */
enum { B_LT68 = 0, B_1280 = 3, B_1400 = 4, B_1500 = 6 };

static const struct ccase cases[] = {
	{ "v4 port unreachable quoting our UDP", ERR4(.type = 3, .code = 3), {}, q_udp_ours,
	  { 1, 3, 3, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE | XDPONG_EV_PORTS,
	    .inner_proto = 17, .sport = 40000, .dport = 33434 } },
	{ "v4 error quoting someone else's packet: unsolicited", ERR4(.type = 3, .code = 3), {}, q_udp_other,
	  { 1, 3, 3, .errors = 1, .unsolicited = 1, NO_MTU, .event = 1,
	    .ev_flags = XDPONG_EV_UNSOLICITED, .inner_proto = 17 } },
	{ "v4 time exceeded quoting our ping", ERR4(.type = 11, .code = 0), {}, q_icmp_ours,
	  { 1, 11, 0, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_PORTS,
	    .inner_proto = 1, .sport = 0x1234, .dport = 7 } },
	{ "v4 frag needed, MTU 1400", ERR4(.type = 3, .code = 4, .id = 0, .seq = 1400), {}, q_udp_ours,
	  { 1, 3, 4, .errors = 1, .mtu_bucket = B_1400, .event = 1, .ev_flags = XDPONG_EV_MTU,
	    .inner_proto = 17, .mtu = 1400 } },
	{ "v4 frag needed, MTU 1500", ERR4(.type = 3, .code = 4, .id = 0, .seq = 1500), {}, q_udp_ours,
	  { 1, 3, 4, .errors = 1, .mtu_bucket = B_1500, .event = 1, .inner_proto = 17, .mtu = 1500 } },
	{ "v4 frag needed, MTU 60: below 68", ERR4(.type = 3, .code = 4, .id = 0, .seq = 60), {}, q_udp_ours,
	  { 1, 3, 4, .errors = 1, .mtu_bucket = B_LT68, .below_min = 1, .event = 1,
	    .ev_flags = XDPONG_EV_MTU_LOW, .inner_proto = 17, .mtu = 60 } },
	{ "v4 quote truncated to 12 bytes", ERR4(.type = 3, .code = 1), {}, q_truncated,
	  { 1, 3, 1, .errors = 1, .malformed = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE_BAD } },
	{ "v4 quote with inner IHL 3", ERR4(.type = 3, .code = 1), {}, q_bad_ihl,
	  { 1, 3, 1, .errors = 1, .malformed = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE_BAD } },
	{ "v4 quote with inner options (IHL 7)", ERR4(.type = 3, .code = 3), {}, q_options,
	  { 1, 3, 3, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_PORTS,
	    .inner_proto = 17, .sport = 5353, .dport = 53 } },
	{ "v4 quote with 4 transport bytes: ports", ERR4(.type = 3, .code = 3), {}, q_ports_only,
	  { 1, 3, 3, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_PORTS,
	    .inner_proto = 17, .sport = 1111, .dport = 2222 } },
	{ "v4 quoted ICMP with 4 bytes: no id", ERR4(.type = 11, .code = 0), {}, q_icmp_4,
	  { 1, 11, 0, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE, .inner_proto = 1 } },
	{ "v4 quote of a later fragment: no ports", ERR4(.type = 11, .code = 1), {}, q_later_frag,
	  { 1, 11, 1, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE, .inner_proto = 17 } },
	{ "v4 time exceeded with an RFC 4884 length", ERR4(.type = 11, .code = 0, .id = 32), {}, q_rfc4884,
	  { 1, 11, 0, .errors = 1, .rfc4884 = 1, NO_MTU, .event = 1,
	    .ev_flags = XDPONG_EV_RFC4884 | XDPONG_EV_PORTS, .inner_proto = 17, .sport = 40000 } },
	{ "v4 RFC 4884 length past the message", ERR4(.type = 3, .code = 3, .id = 200), {}, q_udp_ours,
	  { 1, 3, 3, .errors = 1, .rfc4884 = 1, .rfc4884_bad = 1, NO_MTU, .event = 1,
	    .ev_flags = XDPONG_EV_RFC4884_BAD, .inner_proto = 17 } },
	{ "v4 redirect (host) to 198.18.0.254", ERR4(.type = 5, .code = 1, .id = 0xc612, .seq = 0x00fe), {}, q_udp_ours,
	  { 1, 5, 1, .errors = 1, .redirects = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_GATEWAY,
	    .inner_proto = 17 } },
	{ "v6 port unreachable quoting our UDP", ERR6(.type = 1, .code = 4), {}, q6_udp_ours,
	  { 2, 1, 4, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE | XDPONG_EV_PORTS,
	    .inner_proto = 17, .sport = 40000, .dport = 33434 } },
	{ "v6 error quoting someone else's packet", ERR6(.type = 1, .code = 3), {}, q6_udp_other,
	  { 2, 1, 3, .errors = 1, .unsolicited = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_UNSOLICITED,
	    .inner_proto = 17 } },
	{ "v6 packet too big, MTU 1400", ERR6(.type = 2, .code = 0, .id = 0, .seq = 1400), {}, q6_udp_ours,
	  { 2, 2, 0, .errors = 1, .mtu_bucket = B_1400, .event = 1, .ev_flags = XDPONG_EV_MTU,
	    .inner_proto = 17, .mtu = 1400 } },
	{ "v6 packet too big, MTU 1280", ERR6(.type = 2, .code = 0, .id = 0, .seq = 1280), {}, q6_udp_ours,
	  { 2, 2, 0, .errors = 1, .mtu_bucket = B_1280, .event = 1, .inner_proto = 17, .mtu = 1280 } },
	{ "v6 packet too big, MTU 1000: below 1280", ERR6(.type = 2, .code = 0, .id = 0, .seq = 1000), {}, q6_udp_ours,
	  { 2, 2, 0, .errors = 1, .mtu_bucket = 2, .below_min = 1, .event = 1,
	    .ev_flags = XDPONG_EV_MTU_LOW, .inner_proto = 17, .mtu = 1000 } },
	{ "v6 quote through hop-by-hop and dest options", ERR6(.type = 1, .code = 4), {}, q6_ext,
	  { 2, 1, 4, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_PORTS,
	    .inner_proto = 17, .sport = 40000, .dport = 443 } },
	{ "v6 quote of a later fragment: no ports", ERR6(.type = 3, .code = 1), {}, q6_later_frag,
	  { 2, 3, 1, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE } },
	{ "v6 quote truncated to 20 bytes", ERR6(.type = 1, .code = 0), {}, q6_truncated,
	  { 2, 1, 0, .errors = 1, .malformed = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_QUOTE_BAD } },
	{ "v6 time exceeded behind a hop-by-hop header", ERR6(.type = 3, .code = 0, .ext = 1, .ext_type = 0), {}, q6_udp_ours,
	  { 2, 3, 0, .errors = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_PORTS, .inner_proto = 17 } },
	{ "ND redirect with hop limit 64: flagged", ERR6(.type = 137, .code = 0, .ttl = 64), {}, q6_redirect,
	  { 2, 137, 0, .redirects = 1, .bad_hop = 1, NO_MTU, .event = 1,
	    .ev_flags = XDPONG_EV_GATEWAY | XDPONG_EV_BAD_HOP_LIMIT } },
	{ "ND redirect with hop limit 255", ERR6(.type = 137, .code = 0, .ttl = 255), {}, q6_redirect,
	  { 2, 137, 0, .redirects = 1, NO_MTU, .event = 1, .ev_flags = XDPONG_EV_GATEWAY } },
	{ "neighbour solicitation: counted, no event", ERR6(.type = 135, .ttl = 255), {}, q6_redirect,
	  { 2, 135, 0, NO_MTU } },
	{ "IGMPv2 report", ECHO4(.proto = 2, .type = 0x16, .code = 10, .payload_len = 0), {}, NULL,
	  { 3, 0x16, 0, NO_MTU } },
	{ "echo request (not for us): counted, no event by default",
	  ECHO4(.dst = V4(198, 18, 0, 99)), {}, NULL, { 1, 8, 0, NO_MTU } },
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static __u64 msg_count(int fam, int type, int code)
{
	struct xdpong_msg_key k = { .family = fam, .type = type, .code = code };
	int ncpu = libbpf_num_possible_cpus(), i;
	struct xdpong_counter pc[ncpu];
	static struct xdpong_stats st;
	__u64 n = 0;

	int slot = xdpong_code_slot(code);
	__u32 idx = xdpong_msg_code_index(fam, type, slot);

	if (code == 0) {
		stats_sum(&st);
		return st.code0[fam - 1][type].packets;
	}
	if (slot >= 0) {
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.xdpong_codes), &idx, pc))
			return 0;
	} else if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.xdpong_msgs), &k, pc)) {
		return 0;
	}
	for (i = 0; i < ncpu; i++)
		n += pc[i].packets;
	return n;
}

static void run_ccase(void **state)
{
	const struct ccase *c = *state;
	static struct xdpong_stats a, b;
	static uint8_t in[FRAME_MAX], out[FRAME_MAX], q[256];
	struct frame_spec s = c->spec;
	const struct expect *x = &c->x;
	const struct xdpong_err_stats *ea, *eb;
	__u64 before;
	size_t len;
	__u32 out_len;
	int fi = x->family == XDPONG_FAM_ICMPV6, i;

	if (c->make_quote) {
		s.payload_len = c->make_quote(q);
		s.payload = q;
	}
	len = build_frame(&s, in);
	stats_sum(&a);
	before = msg_count(x->family, x->type, x->code);
	ring_buffer__consume(rb);
	n_ev = 0;

	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(out_len, len);
	assert_memory_equal(out, in, len);

	stats_sum(&b);
	ea = &a.err[fi];
	eb = &b.err[fi];
	assert_int_equal(msg_count(x->family, x->type, x->code), before + 1);
	assert_int_equal(eb->errors - ea->errors, x->errors);
	assert_int_equal(eb->unsolicited - ea->unsolicited, x->unsolicited);
	assert_int_equal(eb->quote_malformed - ea->quote_malformed, x->malformed);
	assert_int_equal(eb->rfc4884 - ea->rfc4884, x->rfc4884);
	assert_int_equal(eb->rfc4884_bad - ea->rfc4884_bad, x->rfc4884_bad);
	assert_int_equal(eb->redirects - ea->redirects, x->redirects);
	assert_int_equal(eb->redirect_bad_hop - ea->redirect_bad_hop, x->bad_hop);
	assert_int_equal(eb->mtu_below_min - ea->mtu_below_min, x->below_min);
	for (i = 0; i < XDPONG_MTU_NBUCKETS; i++)
		assert_int_equal(eb->mtu[i] - ea->mtu[i], i == x->mtu_bucket);

	ring_buffer__consume(rb);
	assert_int_equal(b.events.sent - a.events.sent, x->event);
	assert_int_equal(n_ev, x->event);
	if (!x->event)
		return;
	assert_int_equal(last_ev.family, x->family);
	assert_int_equal(last_ev.type, x->type);
	assert_int_equal(last_ev.code, s.code);
	assert_int_equal(last_ev.flags & x->ev_flags, x->ev_flags);
	assert_int_equal(last_ev.pkt_len, len);
	assert_int_equal(last_ev.cap_len, len < XDPONG_EVENT_SNAPLEN ? len : XDPONG_EVENT_SNAPLEN);
	assert_memory_equal(last_ev.data, in, last_ev.cap_len);
	if (x->inner_proto)
		assert_int_equal(last_ev.inner_proto, x->inner_proto);
	if (x->sport)
		assert_int_equal(last_ev.inner_sport, x->sport);
	if (x->dport)
		assert_int_equal(last_ev.inner_dport, x->dport);
	if (x->mtu)
		assert_int_equal(last_ev.mtu, x->mtu);
	if (x->ev_flags & XDPONG_EV_GATEWAY && x->family == XDPONG_FAM_ICMP) {
		static const uint8_t gw[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 254 };

		assert_memory_equal(last_ev.gateway, gw, 16);
	}
}

/* Sampling and the per-second cap, enforced in BPF. */
static void sampling_and_cap(void **state)
{
	static struct xdpong_stats a, b;
	static uint8_t in[FRAME_MAX], out[FRAME_MAX], q[256];
	struct frame_spec s = ERR4(.type = 3, .code = 3);
	struct xdpong_event_rate zero_rate = {};
	__u32 out_len, zero = 0;
	size_t len;
	int i;

	s.payload_len = q_udp_ours(q);
	s.payload = q;
	len = build_frame(&s, in);

	/* 1 in 4: of 400 errors, about 100 events (binomial: 60..140 is > 99.99%). */
	base_cfg.sample[0][3] = 4;
	set_config(CFG_TTL, CFG_HOP, 0);
	stats_sum(&a);
	for (i = 0; i < 400; i++)
		run_frame(in, len, out, &out_len);
	stats_sum(&b);
	assert_int_equal(b.events.sent + b.events.sampled_out - a.events.sent - a.events.sampled_out, 400);
	assert_in_range(b.events.sent - a.events.sent, 60, 140);

	/* A cap of 50 a second: 400 errors at once give exactly 50 events. */
	base_cfg.sample[0][3] = 1;
	base_cfg.event_rate = 50;
	set_config(CFG_TTL, CFG_HOP, 0);
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(skel->maps.xdpong_event_rate), &zero,
					     &zero_rate, BPF_ANY), 0);
	stats_sum(&a);
	for (i = 0; i < 400; i++)
		run_frame(in, len, out, &out_len);
	stats_sum(&b);
	assert_int_equal(b.events.sent - a.events.sent, 50);
	assert_int_equal(b.events.rate_limited - a.events.rate_limited, 350);

	/* Sample 0: no event at all. */
	base_cfg.sample[0][3] = 0;
	base_cfg.event_rate = 1000;
	set_config(CFG_TTL, CFG_HOP, 0);
	stats_sum(&a);
	run_frame(in, len, out, &out_len);
	stats_sum(&b);
	assert_int_equal(b.events.sent - a.events.sent, 0);
	assert_int_equal(b.err[0].errors - a.err[0].errors, 1);
	init_config();
	set_config(CFG_TTL, CFG_HOP, 0);
	ring_buffer__consume(rb);
}

/*
 * A flood of junk classes (unassigned codes) fills the hash, and still every
 * assigned class is counted: frag-needed, port unreachable, router
 * advertisement's code 16, router renumbering's 255.
 */
static void junk_classes_cannot_blind(void **state)
{
	static struct xdpong_stats a, b;
	static uint8_t in[FRAME_MAX], out[FRAME_MAX];
	struct { int fam, type, code; struct frame_spec s; } assigned[] = {
		{ 1, 3, 4, ERR4(.type = 3, .code = 4) },
		{ 1, 3, 3, ERR4(.type = 3, .code = 3) },
		{ 1, 9, 16, ECHO4(.type = 9, .code = 16, .dst = V4(198, 18, 0, 99)) },
		{ 2, 138, 255, ECHO6(.type = 138, .code = 255, .dst = V6(0x20, 0x01, 0, 2, [15] = 0x99)) },
		{ 2, 1, 8, ERR6(.type = 1, .code = 8) },
	};
	__u32 out_len;
	size_t len, i;
	int type, code, junk = 0;

	stats_sum(&a);
	for (type = 100; type < 121; type++) {
		for (code = 17; code < 255; code++) {
			struct frame_spec s = ECHO4(.type = type, .code = code, .dst = V4(198, 18, 0, 99));

			len = build_frame(&s, in);
			run_frame(in, len, out, &out_len);
			junk++;
		}
	}
	stats_sum(&b);
	assert_true(junk > XDPONG_MAX_MSG_CLASSES);
	/* The hash took what it could; the rest are counted as not counted. */
	assert_int_equal(b.msg_table_full - a.msg_table_full, junk - XDPONG_MAX_MSG_CLASSES);
	for (i = 0; i < sizeof(assigned) / sizeof(assigned[0]); i++) {
		__u64 before = msg_count(assigned[i].fam, assigned[i].type, assigned[i].code);

		len = build_frame(&assigned[i].s, in);
		assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
		assert_int_equal(msg_count(assigned[i].fam, assigned[i].type, assigned[i].code),
				 before + 1);
	}
	ring_buffer__consume(rb);
}

static int setup_all(void **state)
{
	if (setup(state))
		return -1;
	rb = ring_buffer__new(bpf_map__fd(skel->maps.xdpong_events), on_event, NULL, NULL);
	return rb ? 0 : -1;
}

static int teardown_all(void **state)
{
	ring_buffer__free(rb);
	return teardown(state);
}

/* One run of the error in @in: did it count unsolicited? */
static __u64 unsolicited_of(const uint8_t *in, size_t len)
{
	static struct xdpong_stats a, b;
	static uint8_t out[FRAME_MAX];
	__u32 out_len;

	stats_sum(&a);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	stats_sum(&b);
	return b.err[0].unsolicited - a.err[0].unsolicited;
}

/*
 * The last quoted source found ours is kept in the per-CPU address cache. A
 * change of the address set must empty it: an error about a packet from an
 * address the host no longer has is unsolicited, whatever came before.
 */
static void quoted_source_cache(void **state)
{
	static const uint8_t us[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 1 };
	static uint8_t in[FRAME_MAX], q[256];
	struct frame_spec s = ERR4(.type = 3, .code = 3);
	size_t len;

	(void)state;
	assert_memory_equal(us + 12, US4, 4);
	s.payload_len = q_udp_ours(q);
	s.payload = q;
	len = build_frame(&s, in);
	assert_int_equal(unsolicited_of(in, len), 0);
	assert_int_equal(unsolicited_of(in, len), 0); /* from the cache */
	del_addr(us, 0);
	next_addr_set();
	assert_int_equal(unsolicited_of(in, len), 1);
	add_addr(us, 0);
	next_addr_set();
	assert_int_equal(unsolicited_of(in, len), 0);
}

/*
 * A frag-needed or a redirect about one of the host's own packets: the
 * kernel may now keep a path MTU or a next hop for its destination (IPv4
 * shows it in no route dump until it has sent there itself), so that
 * destination's echo requests are its own to answer (route-exception). One
 * about someone else's packet notes nothing.
 */
static void route_exception_noted(void **state)
{
	static uint8_t in[FRAME_MAX], out[FRAME_MAX], q[256];
	static const uint8_t peer[16] = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 2 };
	struct frame_spec err = ERR4(.type = 3, .code = 4, .id = 0, .seq = 1000);
	struct frame_spec req = ECHO4();
	struct xdpong_addr_key k;
	__u32 out_len;
	__u64 before;
	size_t len;

	(void)state;
	assert_memory_equal(peer + 12, PEER4, 4);
	/* The frag-needed and redirect rows above noted the peer already. */
	memcpy(k.addr, peer, 16);
	assert_int_equal(bpf_map_delete_elem(bpf_map__fd(skel->maps.xdpong_exc_seen), &k), 0);
	len = build_frame(&req, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX);
	err.payload_len = q_udp_other(q);
	err.payload = q;
	len = build_frame(&err, in);
	run_frame(in, len, out, &out_len);
	len = build_frame(&req, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX); /* unsolicited: nothing noted */
	err.payload_len = q_udp_ours(q);
	len = build_frame(&err, in);
	run_frame(in, len, out, &out_len);
	before = reason_count(XDPONG_R_ROUTE_EXCEPTION);
	len = build_frame(&req, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(reason_count(XDPONG_R_ROUTE_EXCEPTION), before + 1);
	/* The same for a redirect, once the first is forgotten. */
	assert_int_equal(bpf_map_delete_elem(bpf_map__fd(skel->maps.xdpong_exc_seen), &k), 0);
	len = build_frame(&req, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_TX);
	err = (struct frame_spec)ERR4(.type = 5, .code = 1, .id = 0xc612, .seq = 0x00fe);
	err.payload_len = q_udp_ours(q);
	err.payload = q;
	len = build_frame(&err, in);
	run_frame(in, len, out, &out_len);
	len = build_frame(&req, in);
	assert_int_equal(run_frame(in, len, out, &out_len), XDP_PASS);
	assert_int_equal(bpf_map_delete_elem(bpf_map__fd(skel->maps.xdpong_exc_seen), &k), 0);
}

int main(void)
{
	struct CMUnitTest tests[N_CASES + 4];
	size_t i;

	libbpf_set_print(print_libbpf);
	for (i = 0; i < N_CASES; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(run_ccase, (void *)&cases[i]);
		tests[i].name = cases[i].name;
	}
	tests[i] = (struct CMUnitTest)cmocka_unit_test(sampling_and_cap);
	tests[i++].name = "sampling 1 in 4, a cap of 50 a second, sampling off";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(junk_classes_cannot_blind);
	tests[i++].name = "a flood of junk classes fills the hash; assigned ones are still counted";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(quoted_source_cache);
	tests[i++].name = "the cached quoted source is forgotten when the address set changes";
	tests[i] = (struct CMUnitTest)cmocka_unit_test(route_exception_noted);
	tests[i++].name = "a frag-needed or redirect about our packet: its destination's requests go to the kernel";
	return _cmocka_run_group_tests("classify", tests, i, setup_all, teardown_all);
}
