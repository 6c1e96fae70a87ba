// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c: the benchmark harness (`make bench` runs it through run.sh).
 *
 *   bench micro            per-packet cost in BPF_PROG_TEST_RUN, against a
 *                          trivial XDP_TX and XDP_PASS program measured in the
 *                          same run;
 *   bench stats            what `xdpong stats` costs against counter slots;
 *   bench stages DIR       what each stage of a reply costs, from the
 *                          benchmark builds in DIR that leave one out;
 *   bench rtt DIR          what ping telemetry costs: the egress program
 *                          (DIR/rtt_egress.bpf.o) per packet against a trivial
 *                          tc program, and echo replies matched in XDP
 *                          against XDP without XDPONG_F_RTT;
 *   bench compare A.o B.o...
 *                          builds of the program, interleaved: the small
 *                          replies and a passed packet, each against A;
 *   bench hot 4|6 SECONDS  the small reply path alone, for perf to sample;
 *   bench reflect IFACE    attach the bare reflector to IFACE, and exit;
 *   bench reflect-verified IFACE
 *                          the same with bench_reflect_verified;
 *   bench tcx-on|tcx-off IFACE
 *                          put a trivial tc program on IFACE's tcx egress, or
 *                          take it off (the cost of an egress hook as such);
 *   bench gen IFACE PEER_MAC SRC DST SECONDS
 *                          the end-to-end generator: live frames
 *                          (BPF_F_TEST_XDP_LIVE_FRAMES) sent from IFACE with
 *                          XDP_TX, replies counted on IFACE by bench_sink;
 *                          prints replies per second.
 *
 * test_run reuses its buffer across repetitions: after the first, the frame
 * would already be a reply, and xdpong would pass it as "not an echo
 * request". So the reply path runs behind bench_restore, which writes the
 * request back over the packet and tail-calls xdpong; the same wrapper
 * around a trivial XDP_TX program is measured too, and only the difference
 * is charged to xdpong.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <sys/time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xdpong.h"
#include "xdpong.skel.h"
#include "bench.skel.h"
#include "bench.h"
#include "packets.h"
#include "cli.h"

#define RUNS 7

static struct xdpong *xp;
static struct bench *bp;

static const uint8_t MAC_US[6] = { 0x02, 0, 0, 0xaa, 0, 1 }, MAC_PEER[6] = { 0x02, 0, 0, 0xbb, 0, 2 };

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct frame_spec echo(int family, int payload)
{
	struct frame_spec s = { .family = family, .ttl = 64, .type = family == 4 ? 8 : 128,
				.id = 0x1234, .seq = 1, .payload_len = payload, .fill = 0x10 };

	memcpy(s.dst_mac, MAC_US, 6);
	memcpy(s.src_mac, MAC_PEER, 6);
	if (family == 4) {
		memcpy(s.src, (uint8_t[]){ 198, 18, 0, 2 }, 4);
		memcpy(s.dst, (uint8_t[]){ 198, 18, 0, 1 }, 4);
	} else {
		memcpy(s.src, (uint8_t[16]){ 0x20, 0x01, 0, 2, [15] = 2 }, 16);
		memcpy(s.dst, (uint8_t[16]){ 0x20, 0x01, 0, 2, [15] = 1 }, 16);
	}
	return s;
}

/* The config, addresses and routes the benchmarks assume, in @obj's maps. */
static void fill_maps(struct bpf_object *obj)
{
	struct xdpong_config cfg = { .ttl = 64, .hop_limit = 64, .dev = { .ifindex = 1 } };
	/* Default routes back by test_run's interface (lo), as a server has. */
	struct xdpong_route_key r4 = { .prefixlen = XDPONG_ROUTE_KEY_BITS + 96, .family = 4,
				       .a.addr = { [10] = 0xff, [11] = 0xff } };
	struct xdpong_route_key r6 = { .prefixlen = XDPONG_ROUTE_KEY_BITS, .family = 6 };
	struct xdpong_route via_lo = { .ifindex = 1 };
	struct xdpong_local_key k4 = { .a.addr = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 1 } };
	struct xdpong_local_key k6 = { .a.addr = { 0x20, 0x01, 0, 2, [15] = 1 } };
	struct xdpong_addr_val v = {};
	/* The peers as the neighbour table knows them (a next hop without an
	 * entry is the kernel's). */
	struct xdpong_neigh_key n4 = { .ifindex = 1, .a.addr = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 2 } };
	struct xdpong_neigh_key n6 = { .ifindex = 1, .a.addr = { 0x20, 0x01, 0, 2, [15] = 2 } };
	struct xdpong_neigh peer = {};
	int neigh_fd = bpf_object__find_map_fd_by_name(obj, XDPONG_STR(XDPONG_MAP_NEIGH));
	int cfg_fd = bpf_object__find_map_fd_by_name(obj, XDPONG_STR(XDPONG_MAP_CONFIG));
	int addr_fd = bpf_object__find_map_fd_by_name(obj, XDPONG_STR(XDPONG_MAP_ADDRS));
	int route_fd = bpf_object__find_map_fd_by_name(obj, XDPONG_STR(XDPONG_MAP_ROUTES));
	__u32 zero = 0;

	memcpy(cfg.mac, MAC_US, 6);
	memcpy(peer.mac, MAC_PEER, 6);
	/* Events off: the micro bench measures the packet path, not the ring. */
	if (bpf_map_update_elem(cfg_fd, &zero, &cfg, 0) ||
	    bpf_map_update_elem(addr_fd, &k4, &v, 0) ||
	    bpf_map_update_elem(addr_fd, &k6, &v, 0) ||
	    bpf_map_update_elem(route_fd, &r4, &via_lo, 0) ||
	    bpf_map_update_elem(route_fd, &r6, &via_lo, 0) ||
	    bpf_map_update_elem(neigh_fd, &n4, &peer, 0) ||
	    bpf_map_update_elem(neigh_fd, &n6, &peer, 0))
		die("fill xdpong's maps");
}

static void setup_xdpong(void)
{
	xp = xdpong__open_and_load();
	if (!xp)
		die("load xdpong");
	fill_maps(xp->obj);
}

static void set_template(const uint8_t *frame, size_t len)
{
	static struct bench_template t;
	__u32 zero = 0;

	t.len = len;
	memcpy(t.data, frame, len);
	if (bpf_map_update_elem(bpf_map__fd(bp->maps.bench_template), &zero, &t, 0))
		die("set the template");
}

static void set_jump(int prog_fd)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(bpf_map__fd(bp->maps.bench_jump), &zero, &prog_fd, 0))
		die("set the tail call");
}

#define ANY_VERDICT (-1000)

/* Average ns per run over @repeat repetitions; checks the verdict (unless ANY_VERDICT). */
static double run_once(int prog_fd, const uint8_t *frame, size_t len, __u32 repeat, int verdict)
{
	static uint8_t out[FRAME_MAX];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = repeat);

	if (bpf_prog_test_run_opts(prog_fd, &o))
		die("BPF_PROG_TEST_RUN");
	if (verdict != ANY_VERDICT && (int)o.retval != verdict) {
		fprintf(stderr, "bench: verdict %u, expected %d\n", o.retval, verdict);
		exit(1);
	}
	return o.duration;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct result {
	double med, min, max;
};

static struct result measure(int prog_fd, const uint8_t *frame, size_t len, int verdict)
{
	double v[RUNS];
	__u32 repeat = len > 4000 ? 200000 : 1000000;
	struct result r;
	int i;

	run_once(prog_fd, frame, len, 1000, verdict); /* warm up */
	for (i = 0; i < RUNS; i++)
		v[i] = run_once(prog_fd, frame, len, repeat, verdict);
	qsort(v, RUNS, sizeof(v[0]), cmp_double);
	r.med = v[RUNS / 2];
	r.min = v[0];
	r.max = v[RUNS - 1];
	return r;
}

static void row(const char *path, size_t len, struct result r, double delta, int has_delta)
{
	printf("| %-38s | %5zu | %7.1f | %5.1f-%-6.1f |", path, len, r.med, r.min, r.max);
	if (has_delta)
		printf(" %+7.1f |\n", delta);
	else
		printf(" %7s |\n", "");
}

/*
 * @prog behind the restore wrapper, its own cost: the wrapper's around a
 * trivial XDP_TX (@base) taken out, on the scale of the trivial XDP_TX
 * measured directly (@tx).
 */
static struct result behind_restore(int restore, int prog, const uint8_t *f, size_t len,
				    struct result base, struct result tx)
{
	struct result r;

	set_jump(prog);
	r = measure(restore, f, len, XDP_TX);
	r.med = tx.med + (r.med - base.med);
	r.min = tx.med + (r.min - base.max);
	r.max = tx.med + (r.max - base.min);
	return r;
}

static int micro(void)
{
	static uint8_t f[FRAME_MAX], q[128];
	static const struct { int family, payload; const char *name; } replies[] = {
		{ 4, 56, "reply IPv4, 56-byte payload" },
		{ 4, 512, "reply IPv4, 512-byte payload" },
		{ 4, 1472, "reply IPv4, 1472-byte payload" },
		{ 4, 8972, "reply IPv4, jumbo 8972 (multi-buffer)" },
		{ 6, 56, "reply IPv6, 56-byte payload" },
		{ 6, 512, "reply IPv6, 512-byte payload" },
		{ 6, 1452, "reply IPv6, 1452-byte payload" },
		{ 6, 8952, "reply IPv6, jumbo 8952 (multi-buffer)" },
	};
	int tx = bpf_program__fd(bp->progs.bench_tx), pass = bpf_program__fd(bp->progs.bench_pass);
	int restore = bpf_program__fd(bp->progs.bench_restore);
	int xdpong = bpf_program__fd(xp->progs.xdpong);
	struct frame_spec s = echo(4, 56);
	struct result r_tx, r_pass, r, base;
	size_t len, i;

	len = build_frame(&s, f);
	r_tx = measure(tx, f, len, XDP_TX);
	r_pass = measure(pass, f, len, XDP_PASS);
	printf("| %-38s | %5s | %7s | %-12s | %7s |\n", "path", "bytes", "ns/pkt", "min-max",
	       "vs TX");
	printf("|%s|-------|---------|--------------|---------|\n",
	       "----------------------------------------");
	row("baseline: trivial XDP_PASS", len, r_pass, r_pass.med - r_tx.med, 1);
	row("baseline: trivial XDP_TX", len, r_tx, 0, 1);

	for (i = 0; i < sizeof(replies) / sizeof(replies[0]); i++) {
		s = echo(replies[i].family, replies[i].payload);
		len = build_frame(&s, f);
		set_template(f, len);
		set_jump(tx);
		base = measure(restore, f, len, XDP_TX);
		r = behind_restore(restore, xdpong, f, len, base, r_tx);
		row(replies[i].name, len, r, r.med - r_tx.med, 1);
	}

	/* The floors: a bare reflector (swap, type, checksum update), no checks;
	 * and one that verifies both checksums and counts. */
	s = echo(4, 56);
	len = build_frame(&s, f);
	set_template(f, len);
	set_jump(tx);
	base = measure(restore, f, len, XDP_TX);
	r = behind_restore(restore, bpf_program__fd(bp->progs.bench_reflect), f, len, base, r_tx);
	row("bare reflector IPv4 (no checks)", len, r, r.med - r_tx.med, 1);
	r = behind_restore(restore, bpf_program__fd(bp->progs.bench_reflect_verified), f, len, base, r_tx);
	row("reflector + checksums verified, counted", len, r, r.med - r_tx.med, 1);

	/* Paths that leave the frame as it is: measured directly. */
	s = echo(4, 56);
	s.proto = 6; /* TCP: not ICMP */
	len = build_frame(&s, f);
	r = measure(xdpong, f, len, XDP_PASS);
	row("pass: TCP, not ICMP", len, r, r.med - r_tx.med, 1);
	s = echo(4, 56);
	memcpy(s.dst, (uint8_t[]){ 198, 18, 0, 99 }, 4);
	len = build_frame(&s, f);
	r = measure(xdpong, f, len, XDP_PASS);
	row("pass: echo request, not for us", len, r, r.med - r_tx.med, 1);
	s = echo(4, 56);
	s.type = 3;
	s.code = 3;
	s.id = s.seq = 0;
	memcpy(s.src, (uint8_t[]){ 198, 18, 0, 254 }, 4);
	memset(q, 0, sizeof(q));
	q[0] = 0x45;
	q[9] = 17;
	memcpy(q + 12, (uint8_t[]){ 198, 18, 0, 1, 198, 18, 0, 2 }, 8);
	put16(q + 22, 33434);
	s.payload = q;
	s.payload_len = 28;
	len = build_frame(&s, f);
	r = measure(xdpong, f, len, XDP_PASS);
	row("classify: port unreachable, quoted UDP", len, r, r.med - r_tx.med, 1);
	return 0;
}

/*
 * Where the nanoseconds of a reply go: each benchmark build of the program
 * (XDPONG_BENCH_SKIP, bpf/xdpong.bpf.c) leaves one stage out, and the
 * stage's cost is the full program's less that build's, all measured in
 * this run. What no build leaves out (parsing, the preflight checks, the
 * reply itself) is the rest.
 */
static double median_of(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return v[n / 2];
}

#define STAGE_ROUNDS 5

static int stages(const char *dir)
{
	static const struct { const char *stage, *file; } builds[] = {
		{ "classify (the message, once per packet)", "xdpong_skip_classify.bpf.o" },
		{ "address checks, route back, neighbour", "xdpong_skip_addrs.bpf.o" },
		{ "checksums (IP header, ICMP message)", "xdpong_skip_csum.bpf.o" },
		{ "rate limit (both off: a flag test)", "xdpong_skip_rate.bpf.o" },
		{ "counting (per-CPU stats at the exit)", "xdpong_skip_count.bpf.o" },
	};
	enum { NB = sizeof(builds) / sizeof(builds[0]) };
	static uint8_t f[2][FRAME_MAX];
	struct frame_spec spec[2] = { echo(4, 56), echo(6, 56) };
	size_t len[2] = { build_frame(&spec[0], f[0]), build_frame(&spec[1], f[1]) };
	int tx = bpf_program__fd(bp->progs.bench_tx), restore = bpf_program__fd(bp->progs.bench_restore);
	int prog[NB + 1];
	struct bpf_object *obj[NB];
	double full[2][STAGE_ROUNDS], cost[2][NB][STAGE_ROUNDS], med_full[2], med[2][NB], sum[2] = { 0, 0 };
	int i, fam, r;

	prog[0] = bpf_program__fd(xp->progs.xdpong);
	for (i = 0; i < NB; i++) {
		char path[512];
		struct bpf_program *p;

		snprintf(path, sizeof(path), "%s/%s", dir, builds[i].file);
		obj[i] = bpf_object__open_file(path, NULL);
		if (libbpf_get_error(obj[i]) || bpf_object__load(obj[i]))
			die(path);
		p = bpf_object__find_program_by_name(obj[i], XDPONG_STR(XDPONG_PROG));
		if (!p)
			die("find the program");
		fill_maps(obj[i]);
		prog[i + 1] = bpf_program__fd(p);
	}
	/*
	 * Rounds: in each, the baseline, the full program and every build, one
	 * after the other, so that a stage's cost is a difference measured
	 * seconds apart; the table has the median of the rounds' differences.
	 */
	for (r = 0; r < STAGE_ROUNDS; r++) {
		for (fam = 0; fam < 2; fam++) {
			double base, all;

			set_template(f[fam], len[fam]);
			set_jump(tx);
			base = measure(restore, f[fam], len[fam], XDP_TX).med;
			set_jump(prog[0]);
			all = measure(restore, f[fam], len[fam], XDP_TX).med - base;
			full[fam][r] = all;
			for (i = 0; i < NB; i++) {
				set_jump(prog[i + 1]);
				cost[fam][i][r] = all - (measure(restore, f[fam], len[fam], XDP_TX).med - base);
			}
		}
	}
	for (fam = 0; fam < 2; fam++) {
		med_full[fam] = median_of(full[fam], STAGE_ROUNDS);
		for (i = 0; i < NB; i++) {
			med[fam][i] = median_of(cost[fam][i], STAGE_ROUNDS);
			sum[fam] += med[fam][i];
		}
	}
	printf("| %-42s | %10s | %10s |\n", "stage (98-byte IPv4, 118-byte IPv6 reply)", "IPv4 ns", "IPv6 ns");
	printf("|--------------------------------------------|------------|------------|\n");
	for (i = 0; i < NB; i++)
		printf("| %-42s | %+10.1f | %+10.1f |\n", builds[i].stage, med[0][i], med[1][i]);
	printf("| %-42s | %+10.1f | %+10.1f |\n", "the rest: parse, preflight, build the reply",
	       med_full[0] - sum[0], med_full[1] - sum[1]);
	printf("| %-42s | %+10.1f | %+10.1f |\n", "all: over a trivial XDP_TX", med_full[0], med_full[1]);
	for (i = 0; i < NB; i++)
		bpf_object__close(obj[i]);
	return 0;
}

/*
 * bench compare A.o B.o...: builds of the program side by side, for trying
 * a change: the small replies (behind the restore wrapper) and a passed TCP
 * segment, every build measured in turn in each round, in an order that
 * rotates; prints each build's median cost over a trivial XDP_TX, and the
 * median of its difference from A's. Every build must answer the requests
 * and pass the segment, as xdpong does: one that doesn't stops the bench.
 */
#define COMPARE_ROUNDS 9
#define COMPARE_MAX 8

static int load_build(const char *path, struct bpf_object **obj)
{
	struct bpf_program *p;

	*obj = bpf_object__open_file(path, NULL);
	if (libbpf_get_error(*obj) || bpf_object__load(*obj))
		die(path);
	p = bpf_object__find_program_by_name(*obj, XDPONG_STR(XDPONG_PROG));
	if (!p)
		die("find the program");
	fill_maps(*obj);
	return bpf_program__fd(p);
}

static int compare(int n, char **paths)
{
	static uint8_t f[3][FRAME_MAX];
	static const char *names[3] = { "reply IPv4, 56-byte payload", "reply IPv6, 56-byte payload",
					"pass: TCP, not ICMP" };
	static double cost[3][COMPARE_MAX][COMPARE_ROUNDS], diff[3][COMPARE_MAX][COMPARE_ROUNDS];
	struct frame_spec spec[3] = { echo(4, 56), echo(6, 56), echo(4, 56) };
	int tx = bpf_program__fd(bp->progs.bench_tx), restore = bpf_program__fd(bp->progs.bench_restore);
	struct bpf_object *obj[COMPARE_MAX];
	int prog[COMPARE_MAX], k, i, j, r;
	size_t len[3];

	if (n < 2 || n > COMPARE_MAX) {
		fprintf(stderr, "bench compare: 2 to %d builds\n", COMPARE_MAX);
		return 2;
	}
	spec[2].proto = 6;
	for (k = 0; k < 3; k++)
		len[k] = build_frame(&spec[k], f[k]);
	for (i = 0; i < n; i++)
		prog[i] = load_build(paths[i], &obj[i]);
	for (r = 0; r < COMPARE_ROUNDS; r++) {
		double tx_direct = measure(tx, f[2], len[2], XDP_TX).med;

		for (k = 0; k < 3; k++) {
			double base = 0;

			if (k < 2) {
				set_template(f[k], len[k]);
				set_jump(tx);
				base = measure(restore, f[k], len[k], XDP_TX).med;
			}
			for (j = 0; j < n; j++) {
				i = (j + r) % n;
				if (k < 2) {
					set_jump(prog[i]);
					cost[k][i][r] = measure(restore, f[k], len[k], XDP_TX).med - base;
				} else {
					cost[k][i][r] = measure(prog[i], f[k], len[k], XDP_PASS).med - tx_direct;
				}
			}
			for (i = 0; i < n; i++)
				diff[k][i][r] = cost[k][i][r] - cost[k][0][r];
		}
	}
	printf("| %-30s |", "build: median ns over XDP_TX");
	for (k = 0; k < 3; k++)
		printf(" %-28.28s |", names[k]);
	printf("\n");
	for (i = 0; i < n; i++) {
		printf("| %-30.30s |", paths[i]);
		for (k = 0; k < 3; k++)
			printf(" %+8.1f (%+5.1f vs first)    |", median_of(cost[k][i], COMPARE_ROUNDS),
			       median_of(diff[k][i], COMPARE_ROUNDS));
		printf("\n");
	}
	for (i = 0; i < n; i++)
		bpf_object__close(obj[i]);
	return 0;
}

/* Set or clear XDPONG_F_RTT in @obj's config. */
static void set_rtt(struct bpf_object *obj, int on)
{
	int fd = bpf_object__find_map_fd_by_name(obj, XDPONG_STR(XDPONG_MAP_CONFIG));
	struct xdpong_config cfg;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, &cfg))
		die("read the config");
	cfg.flags = on ? cfg.flags | XDPONG_F_RTT : cfg.flags & ~XDPONG_F_RTT;
	cfg.rtt.timeout_ns = XDPONG_RTT_DEFAULT_TIMEOUT_NS;
	cfg.rtt.prefix_v4 = XDPONG_RTT_DEFAULT_PREFIX_V4;
	cfg.rtt.prefix_v6 = XDPONG_RTT_DEFAULT_PREFIX_V6;
	if (bpf_map_update_elem(fd, &zero, &cfg, 0))
		die("write the config");
}

/* The host's echo request @s (from us) as pending, sent 1 ms ago. */
static void add_pending(const struct frame_spec *s)
{
	int fd = bpf_object__find_map_fd_by_name(xp->obj, XDPONG_STR(XDPONG_MAP_RTT_PENDING));
	struct xdpong_rtt_key k = { .family = s->family, .id = htons(s->id), .seq = htons(s->seq) };
	struct xdpong_rtt_pending v = { .state = XDPONG_RTT_WAITING };
	struct timespec now;

	if (s->family == 4) {
		k.local.addr[10] = k.local.addr[11] = k.remote.addr[10] = k.remote.addr[11] = 0xff;
		memcpy(k.local.addr + 12, s->src, 4);
		memcpy(k.remote.addr + 12, s->dst, 4);
	} else {
		memcpy(k.local.addr, s->src, 16);
		memcpy(k.remote.addr, s->dst, 16);
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	v.sent_ns = now.tv_sec * 1000000000ULL + now.tv_nsec - 1000000;
	if (bpf_map_update_elem(fd, &k, &v, 0))
		die("add a pending request");
}

/* The frame the host sends (@request) or gets back (!@request) for echo(): the
 * addresses and MACs the other way round, as our own ping's. */
static struct frame_spec own_ping(int family, int request)
{
	struct frame_spec s = echo(family, 56), r = s;

	if (request) {
		memcpy(s.src, r.dst, 16);
		memcpy(s.dst, r.src, 16);
		memcpy(s.src_mac, r.dst_mac, 6);
		memcpy(s.dst_mac, r.src_mac, 6);
	} else {
		s.type = family == 4 ? 0 : 129;
	}
	return s;
}

/*
 * What ping telemetry costs. The egress program (its own object, with
 * xdpong's maps, as attach loads it) on the host's echo request and on a
 * TCP packet, over a trivial tc program; the echo reply path in XDP with
 * XDPONG_F_RTT and without; and the answered echo request, which must not
 * get slower. test_run repeats one frame: after the first repetition, a
 * request re-times the same pending entry and a reply finds it answered
 * (a duplicate): a lookup and an update, as a new one costs.
 */
static int rtt(const char *dir)
{
	static uint8_t f[FRAME_MAX];
	struct frame_spec s, q;
	struct result base, r, off, pass;
	int tx = bpf_program__fd(bp->progs.bench_tx), restore = bpf_program__fd(bp->progs.bench_restore);
	int xdpong = bpf_program__fd(xp->progs.xdpong), tc = bpf_program__fd(bp->progs.bench_tc_ok);
	char path[512];
	size_t len;
	int fam;

	printf("| %-42s | %5s | %7s | %-12s | %9s |\n", "path", "bytes", "ns/pkt", "min-max", "vs base");
	printf("|--------------------------------------------|-------|---------|--------------|-----------|\n");
#define ROW(name, l, res, b) printf("| %-42s | %5zu | %7.1f | %5.1f-%-6.1f | %+9.1f |\n", \
				    name, (size_t)(l), (res).med, (res).min, (res).max, (res).med - (b))

	/* The answered echo request: XDP_TX with XDPONG_F_RTT off and on. */
	for (fam = 4; fam <= 6; fam += 2) {
		s = echo(fam, 56);
		len = build_frame(&s, f);
		set_template(f, len);
		set_jump(tx);
		base = measure(restore, f, len, XDP_TX);
		set_jump(xdpong);
		set_rtt(xp->obj, 0);
		off = measure(restore, f, len, XDP_TX);
		set_rtt(xp->obj, 1);
		r = measure(restore, f, len, XDP_TX);
		ROW(fam == 4 ? "reply IPv4, RTT off (vs trivial TX)" : "reply IPv6, RTT off (vs trivial TX)",
		    len, off, base.med);
		ROW(fam == 4 ? "reply IPv4, RTT on (vs RTT off)" : "reply IPv6, RTT on (vs RTT off)",
		    len, r, off.med);
	}

	/* The echo reply to the host's ping: passed to the kernel, matched on the way. */
	for (fam = 4; fam <= 6; fam += 2) {
		s = own_ping(fam, 0);
		len = build_frame(&s, f);
		pass = measure(bpf_program__fd(bp->progs.bench_pass), f, len, XDP_PASS);
		set_rtt(xp->obj, 0);
		off = measure(xdpong, f, len, XDP_PASS);
		set_rtt(xp->obj, 1);
		s.seq = 999; /* no request pending */
		len = build_frame(&s, f);
		r = measure(xdpong, f, len, XDP_PASS);
		ROW(fam == 4 ? "echo reply IPv4, RTT off (vs trivial PASS)" :
			       "echo reply IPv6, RTT off (vs trivial PASS)", len, off, pass.med);
		ROW(fam == 4 ? "echo reply IPv4, unmatched (vs RTT off)" :
			       "echo reply IPv6, unmatched (vs RTT off)", len, r, off.med);
		s.seq = 1;
		q = own_ping(fam, 1); /* its request, pending */
		add_pending(&q);
		len = build_frame(&s, f);
		r = measure(xdpong, f, len, XDP_PASS);
		ROW(fam == 4 ? "echo reply IPv4, matched (vs RTT off)" :
			       "echo reply IPv6, matched (vs RTT off)", len, r, off.med);
	}

	/* The egress program, an object of its own: skipped where it isn't built. */
	snprintf(path, sizeof(path), "%s/rtt_egress.bpf.o", dir);
	if (access(path, R_OK)) {
		printf("\n%s is not built: the egress program's cost is not measured.\n", path);
		return 0;
	}
	{
		struct bpf_object *eobj = bpf_object__open_file(path, NULL);
		struct bpf_program *prog;
		struct bpf_map *m;
		struct result t;

		if (libbpf_get_error(eobj))
			die(path);
		/* As attach does: xdpong's maps, shared by descriptor. */
		bpf_object__for_each_map(m, eobj) {
			struct bpf_map *x = bpf_object__find_map_by_name(xp->obj, bpf_map__name(m));

			if (x && bpf_map__name(m)[0] != '.' && bpf_map__reuse_fd(m, bpf_map__fd(x)))
				die("share xdpong's maps");
		}
		prog = bpf_object__find_program_by_name(eobj, XDPONG_STR(XDPONG_PROG_RTT_EGRESS));
		if (!prog) {
			errno = ENOENT;
			die("find " XDPONG_STR(XDPONG_PROG_RTT_EGRESS));
		}
		bpf_program__set_type(prog, BPF_PROG_TYPE_SCHED_CLS);
		if (bpf_object__load(eobj))
			die("load the egress program");
		set_rtt(xp->obj, 1);
		for (fam = 4; fam <= 6; fam += 2) {
			s = own_ping(fam, 1);
			len = build_frame(&s, f);
			t = measure(tc, f, len, TC_ACT_OK);
			r = measure(bpf_program__fd(prog), f, len, ANY_VERDICT);
			ROW("tc baseline: trivial TC_ACT_OK", len, t, t.med);
			ROW(fam == 4 ? "egress: echo request IPv4 (vs trivial tc)" :
				       "egress: echo request IPv6 (vs trivial tc)", len, r, t.med);
			s.proto = 6; /* TCP: not ICMP */
			len = build_frame(&s, f);
			r = measure(bpf_program__fd(prog), f, len, ANY_VERDICT);
			ROW(fam == 4 ? "egress: TCP IPv4 (vs trivial tc)" : "egress: TCP IPv6 (vs trivial tc)",
			    len, r, t.med);
			/* The kernel's own echo reply (it leaves the ICMP socket of
			 * the host): every answer the kernel sends pays this. */
			s = own_ping(fam, 1);
			s.type = fam == 4 ? 0 : 129;
			len = build_frame(&s, f);
			r = measure(bpf_program__fd(prog), f, len, ANY_VERDICT);
			ROW(fam == 4 ? "egress: echo reply IPv4 (vs trivial tc)" :
				       "egress: echo reply IPv6 (vs trivial tc)", len, r, t.med);
		}
		bpf_object__close(eobj);
	}
#undef ROW
	return 0;
}

/* What `xdpong stats` costs: reading and summing the counters. */
static int stats_scaling(void)
{
	static const int classes[] = { 0, 64, 512, XDPONG_MAX_MSG_CLASSES };
	int msgs = bpf_map__fd(xp->maps.xdpong_msgs), ncpu = libbpf_num_possible_cpus();
	struct attached a = { .tx_fd = -1 };
	struct xdpong_counter *v = calloc(ncpu, sizeof(*v));
	int n = 0, i, k, run;

	for (i = 0; i < MAP_COUNT; i++)
		a.map_fd[i] = -1;
	a.map_fd[MAP_STATS] = bpf_map__fd(xp->maps.XDPONG_MAP_STATS);
	a.map_fd[MAP_MSGS] = msgs;
	a.map_fd[MAP_MSG_CODES] = bpf_map__fd(xp->maps.xdpong_codes);

	printf("| %-24s | %10s | %12s | %-18s |\n", "message classes in use", "bytes read", "ms (median)",
	       "min-max");
	printf("|--------------------------|------------|--------------|--------------------|\n");
	for (i = 0; i < (int)(sizeof(classes) / sizeof(classes[0])); i++) {
		double t[RUNS];

		for (; n < classes[i]; n++) {
			struct xdpong_msg_key key = { .family = 1 + n / 4096 % 3, .type = n / 255,
						      .code = 1 + n % 255 };

			if (bpf_map_update_elem(msgs, &key, v, 0))
				die("fill the message table");
		}
		for (run = 0; run < RUNS; run++) {
			struct timespec t0, t1;
			struct totals tot;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (totals_read(&a, &tot))
				die("totals_read");
			clock_gettime(CLOCK_MONOTONIC, &t1);
			totals_free(&tot);
			t[run] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		}
		qsort(t, RUNS, sizeof(t[0]), cmp_double);
		k = ncpu * (sizeof(struct xdpong_stats) + classes[i] * sizeof(struct xdpong_counter));
		printf("| %-24d | %10d | %12.3f | %7.3f-%-10.3f |\n", classes[i], k, t[RUNS / 2], t[0],
		       t[RUNS - 1]);
	}
	printf("\n%d possible CPUs; the bytes read grow linearly with them.\n", ncpu);
	free(v);
	return 0;
}

static volatile sig_atomic_t alarmed;
static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3],
		      &mac[4], &mac[5]) == 6 ? 0 : -1;
}

/* The live-frames generator; prints "<replies per second> <replies>". */
static int gen(int argc, char **argv)
{
	static uint8_t f[FRAME_MAX];
	struct sigaction sa = { .sa_handler = on_alarm };
	struct frame_spec s = echo(4, 56);
	int ifindex, sink, ncpu = libbpf_num_possible_cpus(), i;
	struct timespec t0, t1;
	__u64 *count = calloc(ncpu, sizeof(*count)), total = 0;
	struct xdp_md ctx = {};
	__u32 zero = 0;
	struct itimerval timer = {};
	double secs;
	size_t len;
	char mac[32], *end;
	FILE *fp;

	if (argc != 5 || !(ifindex = if_nametoindex(argv[0])) || parse_mac(argv[1], s.dst_mac) ||
	    inet_pton(AF_INET, argv[2], s.src) != 1 || inet_pton(AF_INET, argv[3], s.dst) != 1) {
		fprintf(stderr, "usage: bench gen IFACE PEER_MAC SRC DST SECONDS\n");
		return 2;
	}
	secs = strtod(argv[4], &end);
	if (*end || !(secs > 0 && secs <= 3600)) {
		fprintf(stderr, "bench gen: SECONDS must be a number in (0, 3600], not '%s'\n", argv[4]);
		return 2;
	}
	snprintf(mac, sizeof(mac), "/sys/class/net/%s/address", argv[0]);
	fp = fopen(mac, "r");
	if (!fp || !fgets(mac, sizeof(mac), fp) || parse_mac(mac, s.src_mac))
		die("read the interface's MAC");
	fclose(fp);
	len = build_frame(&s, f);
	set_template(f, len);

	sink = bpf_program__fd(bp->progs.bench_sink);
	if (bpf_xdp_attach(ifindex, sink, XDP_FLAGS_DRV_MODE, NULL))
		die("attach bench_sink");
	if (bpf_map_update_elem(bpf_map__fd(bp->maps.bench_replies), &zero, count, 0))
		die("zero the counter");

	/* The generator runs until SIGALRM interrupts BPF_PROG_RUN. */
	sigaction(SIGALRM, &sa, NULL);
	ctx.ingress_ifindex = ifindex;
	ctx.data_end = len; /* the kernel wants ctx to describe the frame */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* setitimer(), not alarm(): the warm-up runs are half a second. */
	timer.it_value.tv_sec = (time_t)secs;
	timer.it_value.tv_usec = (suseconds_t)((secs - (time_t)secs) * 1e6);
	if (setitimer(ITIMER_REAL, &timer, NULL))
		die("setitimer");
	while (!alarmed) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len,
			    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = 1U << 30,
			    .batch_size = 64);

		if (bpf_prog_test_run_opts(bpf_program__fd(bp->progs.bench_gen), &o) &&
		    errno != EINTR) {
			bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
			die("BPF_PROG_RUN live frames");
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	usleep(100000); /* replies in flight */
	if (bpf_map_lookup_elem(bpf_map__fd(bp->maps.bench_replies), &zero, count))
		die("read the counter");
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	for (i = 0; i < ncpu; i++)
		total += count[i];
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f %llu\n", total / secs, (unsigned long long)total);
	free(count);
	return 0;
}

/* Attach bench_reflect to IFACE (native); it stays after we exit. */
/* Attach the bare reflector (or, @verified, the one that verifies the
 * checksums and counts) to @iface. */
static int reflect(const char *iface, int verified)
{
	int ifindex = if_nametoindex(iface);
	struct bpf_program *prog = verified ? bp->progs.bench_reflect_verified : bp->progs.bench_reflect;

	if (!ifindex || bpf_xdp_attach(ifindex, bpf_program__fd(prog), XDP_FLAGS_DRV_MODE, NULL))
		die("attach the reflector");
	return 0;
}

/*
 * Put a trivial tc program (bench_tc_ok) on IFACE's tcx egress, or take it
 * off: the cost of an egress hook as such, next to ping telemetry's program.
 * Attached without a link, so it stays after the command exits.
 */
#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS 47
#endif
static int tcx(const char *iface, int on)
{
	int ifindex = if_nametoindex(iface), prog = bpf_program__fd(bp->progs.bench_tc_ok);

	if (!ifindex)
		die(iface);
	if (on ? bpf_prog_attach(prog, ifindex, BPF_TCX_EGRESS, 0)
	       : bpf_prog_detach2(prog, ifindex, BPF_TCX_EGRESS))
		die(on ? "attach bench_tc_ok to tcx egress" : "detach bench_tc_ok");
	return 0;
}

/*
 * bench hot 4|6 SECONDS: the 98-byte IPv4 (118-byte IPv6) reply path alone,
 * behind the restore wrapper, for SECONDS: something for `perf record -e
 * cpu-clock` to sample, instruction by instruction (README, "Profiling").
 */
static int hot(const char *family, const char *seconds)
{
	static uint8_t f[FRAME_MAX];
	int fam = !strcmp(family, "6") ? 6 : 4;
	struct frame_spec s = echo(fam, 56);
	char *end;
	double secs = strtod(seconds, &end);
	struct timespec t0, t;
	size_t len;

	if ((strcmp(family, "4") && strcmp(family, "6")) || *end || !(secs > 0 && secs <= 3600)) {
		fprintf(stderr, "bench hot: FAMILY is 4 or 6, SECONDS a number in (0, 3600]\n");
		return 2;
	}
	len = build_frame(&s, f);
	set_template(f, len);
	set_jump(bpf_program__fd(xp->progs.xdpong));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		run_once(bpf_program__fd(bp->progs.bench_restore), f, len, 1000000, XDP_TX);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	return 0;
}

int main(int argc, char **argv)
{
	libbpf_set_print(print_libbpf);
	bp = bench__open_and_load();
	if (!bp)
		die("load the bench programs");
	if (argc >= 2 && !strcmp(argv[1], "gen"))
		return gen(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "reflect"))
		return reflect(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "reflect-verified"))
		return reflect(argv[2], 1);
	if (argc == 3 && (!strcmp(argv[1], "tcx-on") || !strcmp(argv[1], "tcx-off")))
		return tcx(argv[2], !strcmp(argv[1], "tcx-on"));
	setup_xdpong();
	if (argc == 2 && !strcmp(argv[1], "micro"))
		return micro();
	if (argc == 2 && !strcmp(argv[1], "stats"))
		return stats_scaling();
	if (argc == 3 && !strcmp(argv[1], "stages"))
		return stages(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "rtt"))
		return rtt(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "compare"))
		return compare(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "hot"))
		return hot(argv[2], argv[3]);
	fprintf(stderr, "usage: bench micro | bench stats | bench stages BUILD_DIR | "
		"bench rtt BUILD_DIR | bench compare A.o B.o... | bench hot 4|6 SECONDS | bench gen IFACE PEER_MAC SRC DST SECONDS | "
		"bench reflect|reflect-verified IFACE | bench tcx-on|tcx-off IFACE\n");
	return 2;
}
