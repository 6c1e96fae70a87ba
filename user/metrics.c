// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c: every attached interface's counters in the Prometheus text
 * exposition format 0.0.4, for `xdpong serve` (over HTTP, or as a file for
 * node_exporter's textfile collector).
 *
 * One snapshot of every interface is read first, then written family by
 * family, as the format wants each metric's samples together. Label values
 * are escaped: an interface name can hold any byte but '/', ':' and
 * whitespace, and one bad name must not cost the others their metrics.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <arpa/inet.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "metrics.h"
#include "rtt.h"
#include "xdpong_icmp.h"

/* One interface xdpong is attached to, as read for one scrape. */
struct iface {
	char name[IF_NAMESIZE];
	const char *mode;     /* native, skb, hw */
	__u32 prog_id;
	bool dispatcher;      /* in libxdp's dispatcher, or alone */
	bool readable;        /* its counters were read into t */
	struct totals t;
	__u64 echo_in[2];     /* [IPv4, IPv6] echo requests answered or dropped in XDP */
	__u64 echo_out[2];    /* ... and the replies sent */
	bool rtt_ok;          /* its ping telemetry was read into rtt ... */
	struct rtt_table rtt;
	bool pingers_ok;      /* ... and its pingers, one row per family, into pingers */
	struct pinger_table pingers;
};

/* serve --rtt-prefix-metrics: the busiest prefixes of each interface exported. */
static unsigned int export_prefixes;

struct snapshot {
	struct iface *ifs;
	size_t n;
};

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 if it isn't one:
 * no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629). */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating 0 */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * A label value between double quotes. The format escapes backslash, double
 * quote and newline, and is UTF-8: a byte that isn't UTF-8 is written as the
 * four characters \xNN (the backslash escaped, so "\\xff" on the wire).
 */
static void put_label_value(FILE *f, const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t n;

	fputc('"', f);
	while (*s) {
		n = utf8_len(s);
		if (!n) {
			fprintf(f, "\\\\x%02x", *s++);
		} else if (*s == '\\' || *s == '"') {
			fputc('\\', f);
			fputc(*s++, f);
		} else if (*s == '\n') {
			fputs("\\n", f);
			s++;
		} else {
			fwrite(s, 1, n, f);
			s += n;
		}
	}
	fputc('"', f);
}

/* name{label="value",...}: the labels as name, value pairs up to a NULL. */
static void put_name_labels(FILE *f, const char *name, va_list ap)
{
	const char *label, *sep = "{";

	fputs(name, f);
	while ((label = va_arg(ap, const char *))) {
		fprintf(f, "%s%s=", sep, label);
		put_label_value(f, va_arg(ap, const char *));
		sep = ",";
	}
	if (*sep == ',')
		fputc('}', f);
}

/* name{label="value",...} v */
static void sample(FILE *f, const char *name, unsigned long long v, ...)
{
	va_list ap;

	va_start(ap, v);
	put_name_labels(f, name, ap);
	va_end(ap);
	fprintf(f, " %llu\n", v);
}

/* The same with a value in seconds, from nanoseconds: exact, as a decimal. */
static void sample_ns(FILE *f, const char *name, unsigned long long ns, ...)
{
	va_list ap;

	va_start(ap, ns);
	put_name_labels(f, name, ap);
	va_end(ap);
	fprintf(f, " %llu.%09llu\n", ns / 1000000000ULL, ns % 1000000000ULL);
}

static const char *const err_family[2] = { "icmp", "icmpv6" };

/* Replies the driver failed to transmit after XDP_TX, by cause; nothing
 * where they are not counted (no tracer pinned). */
static void write_tx_failed(FILE *f, const struct iface *i)
{
	if (!i->t.tx_failed_counted)
		return;
#define TX_FAILED_SAMPLE_(fld, desc)                                                    \
	sample(f, "xdpong_tx_failed_total", i->t.tx_failed.fld, "ifname", i->name,      \
	       "cause", #fld, NULL);
	TX_FAILED_FIELDS(TX_FAILED_SAMPLE_)
#undef TX_FAILED_SAMPLE_
}

static void write_up(FILE *f, const struct iface *i)
{
	sample(f, "xdpong_up", i->readable, "ifname", i->name, NULL);
}

static void write_attach(FILE *f, const struct iface *i)
{
	char id[12];

	snprintf(id, sizeof(id), "%u", i->prog_id);
	sample(f, "xdpong_attach_info", 1, "ifname", i->name, "mode", i->mode, "prog_id", id,
	       "attachment", i->dispatcher ? "dispatcher" : "alone", NULL);
}

static void write_packets(FILE *f, const struct iface *i)
{
	int a;

	for (a = 0; a < XDPONG_ACT_MAX; a++)
		sample(f, "xdpong_packets_total", i->t.action[a].packets,
		       "ifname", i->name, "action", action_name(a), NULL);
}

static void write_bytes(FILE *f, const struct iface *i)
{
	int a;

	for (a = 0; a < XDPONG_ACT_MAX; a++)
		sample(f, "xdpong_bytes_total", i->t.action[a].bytes,
		       "ifname", i->name, "action", action_name(a), NULL);
}

static void write_reasons(FILE *f, const struct iface *i)
{
	int r;

	for (r = 0; r < XDPONG_R_MAX; r++)
		sample(f, "xdpong_reason_packets_total", i->t.reason[r].packets,
		       "ifname", i->name, "reason", reason_name(r), NULL);
}

static void write_message(FILE *f, const struct iface *i, const struct xdpong_msg_key *key,
			  unsigned long long packets)
{
	char type[4], code[4], name[96];

	snprintf(type, sizeof(type), "%u", key->type);
	snprintf(code, sizeof(code), "%u", key->code);
	sample(f, "xdpong_messages_total", packets, "ifname", i->name,
	       "family", family_name(key->family), "type", type, "code", code,
	       "name", msg_name(key->family, key->type, key->code, name, sizeof(name)), NULL);
}

/*
 * Each class seen; and the echo requests of both families from the start,
 * at 0 until one is seen: rate() counts a series' increase from its first
 * sample, so a class born at 5 would lose those 5, and the echo offload
 * ratio (contrib/prometheus) divides by these.
 */
static void write_messages(FILE *f, const struct iface *i)
{
	static const struct xdpong_msg_key echo[] = {
		{ .family = XDPONG_FAM_ICMP, .type = XDPONG_ICMP_ECHO_REQUEST },
		{ .family = XDPONG_FAM_ICMPV6, .type = XDPONG_ICMP6_ECHO_REQUEST },
	};
	bool seen[2] = { false, false };
	size_t k, e;

	for (k = 0; k < i->t.n_msgs; k++) {
		const struct msg_count *m = &i->t.msgs[k];

		for (e = 0; e < 2; e++)
			seen[e] |= m->key.family == echo[e].family && m->key.type == echo[e].type &&
				   m->key.code == echo[e].code;
		write_message(f, i, &m->key, m->c.packets);
	}
	for (e = 0; e < 2; e++)
		if (!seen[e])
			write_message(f, i, &echo[e], 0);
}

static void write_errors(FILE *f, const struct iface *i)
{
	int e;

	for (e = 0; e < 2; e++) {
#define ERR_KIND_(field, desc) \
		sample(f, "xdpong_errors_total", i->t.err[e].field, "ifname", i->name, \
		       "family", err_family[e], "kind", #field, NULL);
		ERR_FIELDS(ERR_KIND_)
#undef ERR_KIND_
	}
}

/*
 * The reported MTUs as a Prometheus histogram. BPF bucket b holds the MTUs
 * below bound b and not below bound b - 1; MTUs are whole numbers, so its
 * cumulative count is exactly that of le="bound b - 1". _sum is the sum of
 * the MTUs themselves, which only the BPF side can add up: without its
 * mtu_sum counter there is no _sum (the format allows it), rather than one
 * made up from the bounds.
 */
static const unsigned int mtu_bounds[] = {
#define MTU_BOUND_(b) b,
	XDPONG_MTU_BOUNDS(MTU_BOUND_)
#undef MTU_BOUND_
};

static void write_mtu(FILE *f, const struct iface *i)
{
	char le[12];
	int e, b;

	for (e = 0; e < 2; e++) {
		const struct xdpong_err_stats *s = &i->t.err[e];
		unsigned long long cumulative = 0;

		for (b = 0; b < XDPONG_MTU_NBUCKETS; b++) {
			cumulative += s->mtu[b];
			if (b < XDPONG_MTU_NBUCKETS - 1)
				snprintf(le, sizeof(le), "%u", mtu_bounds[b] - 1);
			else
				snprintf(le, sizeof(le), "+Inf");
			sample(f, "xdpong_reported_mtu_bytes_bucket", cumulative, "ifname", i->name,
			       "family", err_family[e], "le", le, NULL);
		}
		sample(f, "xdpong_reported_mtu_bytes_sum", s->mtu_sum, "ifname", i->name,
		       "family", err_family[e], NULL);
		sample(f, "xdpong_reported_mtu_bytes_count", cumulative, "ifname", i->name,
		       "family", err_family[e], NULL);
	}
}

static void write_events(FILE *f, const struct iface *i)
{
#define EVENT_OUTCOME_(field, desc) \
	sample(f, "xdpong_events_total", i->t.events.field, "ifname", i->name, \
	       "outcome", #field, NULL);
	EVENT_FIELDS(EVENT_OUTCOME_)
#undef EVENT_OUTCOME_
}

static void write_msg_table_full(FILE *f, const struct iface *i)
{
	sample(f, "xdpong_msg_table_full_total", i->t.msg_table_full, "ifname", i->name, NULL);
}

/* ---- Ping telemetry: the host's own pings (rtt.c reads them) ---- */

/*
 * The edges of xdpong_echo_rtt_seconds: the BPF histogram's own, so that
 * every cumulative count is exact, not spread by a guess. All of them from
 * 2^12 ns (4.1 us) up: four per power of two, ~19% apart, as the issue asks
 * of the histogram itself, so that histogram_quantile()'s interpolation
 * within a bucket stays within the 10% the proof allows. Below 4 us no
 * round trip through a NIC and a kernel ends, and the first edge's count
 * still holds everything below it. The last edge is the BPF table's last,
 * 2^36 ns (68.7 s), longer than any timeout: past it only +Inf. That is 97
 * edges and +Inf per family and interface: the price of exact quantiles
 * in the text format, which has no native (sparse) histograms.
 *
 * BPF bucket b holds [low(b), low(b + 1)) ns, so the cumulative count at
 * le = low(b + 1) counts the trips below the edge, where Prometheus means
 * "at most": the two differ only for a trip of exactly that many ns.
 */
#define RTT_FIRST_EDGE (1 + ((12 - XDPONG_RTT_LOW_SHIFT) << XDPONG_RTT_SUB_SHIFT))

static const char *const rtt_family[2] = { "icmp", "icmpv6" };

/* "0.000004096": ns in seconds, exactly, no trailing zeros. */
static const char *edge_name(__u64 ns, char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "%llu.%09llu", ns / 1000000000ULL, ns % 1000000000ULL);

	while (n > 1 && buf[n - 1] == '0')
		buf[--n] = 0;
	if (n && buf[n - 1] == '.')
		buf[--n] = 0;
	return buf;
}

/*
 * One histogram: name_bucket{..., le}, name_sum, name_count, with the
 * labels ifname and family, and prefix unless NULL. (A NULL prefix turns
 * the label list into ifname, family, le: the "le" pair takes prefix's place
 * and the list ends where le's pair was.)
 */
static void write_rtt_histogram(FILE *f, const char *name, const char *ifname, const char *family,
				const char *prefix, const struct xdpong_rtt_stats *s)
{
	char bucket[64], sum[64], count[64], le[32];
	unsigned long long cumulative = 0;
	__u32 b;

	snprintf(bucket, sizeof(bucket), "%s_bucket", name);
	snprintf(sum, sizeof(sum), "%s_sum", name);
	snprintf(count, sizeof(count), "%s_count", name);
	for (b = 0; b < XDPONG_RTT_NBUCKETS; b++) {
		/* le = low(b) counts buckets 0 to b - 1. */
		if (b >= RTT_FIRST_EDGE) {
			edge_name(xdpong_rtt_bucket_low(b), le, sizeof(le));
			sample(f, bucket, cumulative, "ifname", ifname, "family", family,
			       prefix ? "prefix" : "le", prefix ? prefix : le, prefix ? "le" : NULL, le,
			       NULL);
		}
		cumulative += s->bucket[b];
	}
	sample(f, bucket, cumulative, "ifname", ifname, "family", family,
	       prefix ? "prefix" : "le", prefix ? prefix : "+Inf", prefix ? "le" : NULL, "+Inf", NULL);
	sample_ns(f, sum, s->sum_ns, "ifname", ifname, "family", family,
		  prefix ? "prefix" : NULL, prefix, NULL);
	/* _count is +Inf's by construction, not `replied`: the two are separate
	 * per-CPU counters, and a read between their updates could differ. */
	sample(f, count, cumulative, "ifname", ifname, "family", family,
	       prefix ? "prefix" : NULL, prefix, NULL);
}

static void write_rtt(FILE *f, const struct iface *i)
{
	int fam;

	if (!i->rtt_ok || !i->rtt.enabled)
		return;
	for (fam = 0; fam < 2; fam++)
		write_rtt_histogram(f, "xdpong_echo_rtt_seconds", i->name, rtt_family[fam], NULL,
				    &i->rtt.total[fam].s);
}

/* The counters of both families: X(field of xdpong_rtt_stats, metric, help). */
#define RTT_COUNTERS(X)                                                                      \
	X(sent, "xdpong_echo_requests_timed_total",                                         \
	  "The host's echo requests timed as they left (each one counts as lost, replied or still waiting).") \
	X(lost, "xdpong_echo_lost_total",                                                   \
	  "The host's echo requests unanswered within the timeout (attach --rtt-timeout).")  \
	X(late, "xdpong_echo_late_replies_total",                                           \
	  "Echo replies to requests already counted lost.")                                 \
	X(duplicate, "xdpong_echo_duplicate_replies_total",                                 \
	  "Further echo replies to a request already answered.")                            \
	X(unmatched, "xdpong_echo_unmatched_replies_total",                                 \
	  "Echo replies to no request the host was seen sending (another host's, or long gone).") \
	X(untracked, "xdpong_echo_untracked_total",                                         \
	  "The host's echo requests not timed: the table of requests in flight was full.")

#define RTT_COUNTER_WRITER_(field, metric, help)                                             \
	static void write_rtt_##field(FILE *f, const struct iface *i)                        \
	{                                                                                    \
		int fam;                                                                     \
		if (!i->rtt_ok || !i->rtt.enabled)                                           \
			return;                                                              \
		for (fam = 0; fam < 2; fam++)                                                \
			sample(f, metric, i->rtt.total[fam].s.field, "ifname", i->name,      \
			       "family", rtt_family[fam], NULL);                             \
	}
RTT_COUNTERS(RTT_COUNTER_WRITER_)
#undef RTT_COUNTER_WRITER_

/* The busiest prefixes' rows, with serve --rtt-prefix-metrics N: the first N. */
static size_t prefixes_exported(const struct iface *i)
{
	if (!i->rtt_ok || !i->rtt.enabled)
		return 0;
	return i->rtt.n < export_prefixes ? i->rtt.n : export_prefixes;
}

static void write_rtt_prefix(FILE *f, const struct iface *i)
{
	char name[INET6_ADDRSTRLEN + 8];
	size_t k;

	for (k = 0; k < prefixes_exported(i); k++) {
		const struct rtt_row *r = &i->rtt.rows[k];

		rtt_row_name(r, false, name, sizeof(name));
		write_rtt_histogram(f, "xdpong_echo_rtt_prefix_seconds", i->name,
				    rtt_family[r->key.family == 6], name, &r->s);
	}
}

static void write_rtt_prefix_counter(FILE *f, const struct iface *i, const char *metric, bool lost)
{
	char name[INET6_ADDRSTRLEN + 8];
	size_t k;

	for (k = 0; k < prefixes_exported(i); k++) {
		const struct rtt_row *r = &i->rtt.rows[k];

		rtt_row_name(r, false, name, sizeof(name));
		sample(f, metric, lost ? r->s.lost : r->s.sent, "ifname", i->name,
		       "family", rtt_family[r->key.family == 6], "prefix", name, NULL);
	}
}

static void write_rtt_prefix_sent(FILE *f, const struct iface *i)
{
	write_rtt_prefix_counter(f, i, "xdpong_echo_prefix_requests_timed_total", false);
}

static void write_rtt_prefix_lost(FILE *f, const struct iface *i)
{
	write_rtt_prefix_counter(f, i, "xdpong_echo_prefix_lost_total", true);
}

/* ---- Ping telemetry: the pings the host answers (pingers.c) ---- */

/*
 * Gauges, not counters: they add up the flows the XDP program follows now,
 * in an LRU table, and a flow pushed out by newer ones takes its counts
 * with it. A counter that can fall would read as a reset, and rate() would
 * count the whole of it again.
 */
#define PINGER_GAUGES(X)                                                                     \
	X(requests, "xdpong_pingers_requests",                                              \
	  "Echo requests answered, in the flows followed now (attach --pingers; can fall as old flows are pushed out).") \
	X(gaps, "xdpong_pingers_gaps",                                                      \
	  "Echo requests missing on the way in (sequence numbers skipped), in the flows followed now.") \
	X(reordered, "xdpong_pingers_reordered",                                            \
	  "Echo requests that came after a later one, in the flows followed now.")           \
	X(odd_payload, "xdpong_pingers_odd_payloads",                                       \
	  "Echo requests whose data is unlike a ping client's (a hint of ICMP tunnelling), in the flows followed now.")

/* The row of family @fam (0: IPv4) in pingers read by /0 prefixes; NULL if none seen. */
static const struct pinger_row *pingers_of(const struct iface *i, int fam)
{
	size_t k;

	for (k = 0; k < i->pingers.n; k++)
		if (i->pingers.rows[k].family == (fam ? 6 : 4))
			return &i->pingers.rows[k];
	return NULL;
}

static bool pingers_shown(const struct iface *i)
{
	return i->pingers_ok && i->pingers.enabled;
}

static void write_pingers_flows(FILE *f, const struct iface *i)
{
	for (int fam = 0; pingers_shown(i) && fam < 2; fam++) {
		const struct pinger_row *r = pingers_of(i, fam);

		sample(f, "xdpong_pingers_flows", r ? r->flows : 0, "ifname", i->name,
		       "family", rtt_family[fam], NULL);
	}
}

#define PINGER_GAUGE_WRITER_(field, metric, help)                                            \
	static void write_pingers_##field(FILE *f, const struct iface *i)                    \
	{                                                                                    \
		for (int fam = 0; pingers_shown(i) && fam < 2; fam++) {                      \
			const struct pinger_row *r = pingers_of(i, fam);                     \
			sample(f, metric, r ? r->sum.field : 0, "ifname", i->name,           \
			       "family", rtt_family[fam], NULL);                             \
		}                                                                            \
	}
PINGER_GAUGES(PINGER_GAUGE_WRITER_)
#undef PINGER_GAUGE_WRITER_

/* Each metric family: its name, type, help, and one interface's samples. */
static const struct family {
	const char *name, *type, *help;
	void (*write)(FILE *f, const struct iface *i);
	bool unreadable_too; /* also for an interface whose counters couldn't be read */
} families[] = {
	{ "xdpong_up", "gauge",
	  "1 for each interface xdpong is attached to; 0 if its counters can't be read.",
	  write_up, true },
	{ "xdpong_attach_info", "gauge",
	  "How xdpong is attached: mode, program id, in libxdp's dispatcher or alone.",
	  write_attach, true },
	{ "xdpong_packets_total", "counter",
	  "Packets by action (tx: answered, pass: to the kernel, drop).", write_packets },
	{ "xdpong_bytes_total", "counter", "Bytes by action.", write_bytes },
	{ "xdpong_tx_failed_total", "counter",
	  "Replies the driver failed to transmit after XDP_TX (counted as tx too), by cause.",
	  write_tx_failed },
	{ "xdpong_reason_packets_total", "counter", "Packets by the reason for their verdict.",
	  write_reasons },
	{ "xdpong_messages_total", "counter", "ICMP, ICMPv6 and IGMP messages by type and code.",
	  write_messages },
	{ "xdpong_errors_total", "counter", "ICMP errors, and what their quoted headers said.",
	  write_errors },
	{ "xdpong_reported_mtu_bytes", "histogram",
	  "MTUs reported by frag-needed (ICMP) and packet-too-big (ICMPv6).", write_mtu },
	{ "xdpong_events_total", "counter", "Events, by what became of them.", write_events },
	{ "xdpong_msg_table_full_total", "counter",
	  "Messages of a class with an unassigned code not counted by class: its table was full.",
	  write_msg_table_full },
	{ "xdpong_echo_rtt_seconds", "histogram",
	  "Round trips of the host's echo requests, to their replies, by family.", write_rtt },
#define RTT_COUNTER_FAMILY_(field, metric, help) { metric, "counter", help, write_rtt_##field },
	RTT_COUNTERS(RTT_COUNTER_FAMILY_)
#undef RTT_COUNTER_FAMILY_
	{ "xdpong_echo_rtt_prefix_seconds", "histogram",
	  "Round trips of the host's echo requests by destination prefix: the busiest "
	  "(serve --rtt-prefix-metrics N).", write_rtt_prefix },
	{ "xdpong_echo_prefix_requests_timed_total", "counter",
	  "The host's echo requests timed, by destination prefix: the busiest (serve --rtt-prefix-metrics N).",
	  write_rtt_prefix_sent },
	{ "xdpong_echo_prefix_lost_total", "counter",
	  "The host's echo requests unanswered within the timeout, by destination prefix: the "
	  "busiest (serve --rtt-prefix-metrics N).", write_rtt_prefix_lost },
	{ "xdpong_pingers_flows", "gauge",
	  "Ping flows (source and identifier) followed now (attach --pingers).", write_pingers_flows },
#define PINGER_GAUGE_FAMILY_(field, metric, help) { metric, "gauge", help, write_pingers_##field },
	PINGER_GAUGES(PINGER_GAUGE_FAMILY_)
#undef PINGER_GAUGE_FAMILY_
};

#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

/*
 * Stand-ins for the kernel's ICMP MIB. An echo request answered (or dropped
 * over a rate limit) in XDP never reaches the kernel, so its Icmp InMsgs and
 * InEchos, and for the reply OutMsgs and OutEchoReps (Icmp6 alike), miss it;
 * node_exporter's node_netstat_Icmp_InEchos and the like drop when xdpong is
 * attached. Each of these counts what the kernel would have, per interface:
 * a dashboard adds their rates to the kernel's (README: PromQL).
 */
static const struct netstat {
	const char *name, *kernel;
	int v6;    /* Icmp6, else Icmp */
	bool in;   /* requests received, else replies sent */
} netstat[] = {
	{ "xdpong_netstat_icmp_in_msgs_total", "Icmp_InMsgs", 0, true },
	{ "xdpong_netstat_icmp_in_echos_total", "Icmp_InEchos", 0, true },
	{ "xdpong_netstat_icmp_out_msgs_total", "Icmp_OutMsgs", 0, false },
	{ "xdpong_netstat_icmp_out_echo_reps_total", "Icmp_OutEchoReps", 0, false },
	{ "xdpong_netstat_icmp6_in_msgs_total", "Icmp6_InMsgs", 1, true },
	{ "xdpong_netstat_icmp6_in_echos_total", "Icmp6_InEchos", 1, true },
	{ "xdpong_netstat_icmp6_out_msgs_total", "Icmp6_OutMsgs", 1, false },
	{ "xdpong_netstat_icmp6_out_echo_replies_total", "Icmp6_OutEchoReplies", 1, false },
};

/* Summed over the CPUs: struct totals keeps each CPU's slot. */
static void echo_counts(struct iface *it)
{
	int cpu, f;

	for (cpu = 0; cpu < it->t.ncpu; cpu++) {
		const struct xdpong_stats *st = &it->t.percpu[cpu];

		for (f = 0; f < 2; f++) {
			it->echo_out[f] += st->echo_replied[f].packets;
			it->echo_in[f] += st->echo_replied[f].packets + st->echo_dropped[f].packets;
		}
	}
}

static void write_netstat(FILE *f, const struct snapshot *s)
{
	size_t n, k;

	for (n = 0; n < sizeof(netstat) / sizeof(netstat[0]); n++) {
		const struct netstat *m = &netstat[n];

		fprintf(f, "# HELP %s What the kernel's %s misses: echo %s in XDP. Add its rate "
			"to node_netstat_%s's.\n# TYPE %s counter\n", m->name, m->kernel,
			m->in ? "requests answered or dropped" : "replies sent", m->kernel, m->name);
		for (k = 0; k < s->n; k++) {
			const struct iface *i = &s->ifs[k];

			if (i->readable)
				sample(f, m->name, m->in ? i->echo_in[m->v6] : i->echo_out[m->v6],
				       "ifname", i->name, NULL);
		}
	}
}

static void snapshot_free(struct snapshot *s)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		if (s->ifs[k].readable)
			totals_free(&s->ifs[k].t);
		if (s->ifs[k].rtt_ok)
			rtt_table_free(&s->ifs[k].rtt);
		if (s->ifs[k].pingers_ok)
			pinger_table_free(&s->ifs[k].pingers);
	}
	free(s->ifs);
	s->ifs = NULL;
	s->n = 0;
}

/*
 * What attached_find() said about each interface with an XDP program, kept
 * from scrape to scrape while the kernel reports the same programs on it.
 * libxdp 1.3's xdp_multiprog__get_from_ifindex() leaks a program descriptor
 * at each call (xdp-tools issue #343, fixed in libxdp 1.4), which a scrape
 * every few milliseconds would soon exhaust; bpf_xdp_query() costs none.
 * libxdp replaces the dispatcher at every change, so the ids change too.
 */
struct cached {
	int ifindex;
	__u32 drv_id, skb_id, hw_id; /* the programs attached, as the kernel says */
	int found;                   /* attached_find()'s result */
	struct attached a;
	bool seen;                   /* still there at this scrape */
};

static struct cached *cache;
static size_t n_cache;

static struct cached *cache_lookup(int ifindex, const struct bpf_xdp_query_opts *q)
{
	struct cached *c = NULL, *grown;
	size_t k;

	for (k = 0; k < n_cache; k++)
		if (cache[k].ifindex == ifindex)
			c = &cache[k];
	/* Kept: an answer (ours, or not), not an error, which may pass. */
	if (c && c->drv_id == q->drv_prog_id && c->skb_id == q->skb_prog_id &&
	    c->hw_id == q->hw_prog_id && (c->found == 0 || c->found == -ENOENT))
		return c;
	if (c) {
		attached_close(&c->a);
	} else {
		grown = realloc(cache, (n_cache + 1) * sizeof(*cache));
		if (!grown)
			return NULL;
		cache = grown;
		c = &cache[n_cache++];
	}
	c->ifindex = ifindex;
	c->drv_id = q->drv_prog_id;
	c->skb_id = q->skb_prog_id;
	c->hw_id = q->hw_prog_id;
	c->found = attached_find(ifindex, &c->a);
	return c;
}

/* Forget the interfaces gone, or without XDP, since the last scrape. */
static void cache_sweep(void)
{
	size_t k = 0;

	while (k < n_cache) {
		if (cache[k].seen) {
			k++;
			continue;
		}
		attached_close(&cache[k].a);
		cache[k] = cache[--n_cache];
	}
}

/* Every interface xdpong is attached to, and its counters, read now. */
static int snapshot_read(struct snapshot *s)
{
	struct if_nameindex *all = if_nameindex(), *i;
	int ret = 0;

	memset(s, 0, sizeof(*s));
	if (!all)
		return -errno;
	for (size_t k = 0; k < n_cache; k++)
		cache[k].seen = false;
	for (i = all; i->if_index; i++) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);
		struct iface *it, *grown;
		struct cached *c;

		if (bpf_xdp_query(i->if_index, 0, &q) ||
		    !(q.drv_prog_id || q.skb_prog_id || q.hw_prog_id))
			continue;
		c = cache_lookup(i->if_index, &q);
		if (!c) {
			ret = -ENOMEM;
			break;
		}
		c->seen = true;
		/* Ours, or ours with its maps missing (another version): a.prog is set. */
		if (c->found && !(c->found == -ENOENT && c->a.prog))
			continue;
		grown = realloc(s->ifs, (s->n + 1) * sizeof(*s->ifs));
		if (!grown) {
			ret = -ENOMEM;
			break;
		}
		s->ifs = grown;
		it = &s->ifs[s->n++];
		memset(it, 0, sizeof(*it));
		snprintf(it->name, sizeof(it->name), "%s", i->if_name);
		it->mode = mode_name(c->a.mode);
		it->prog_id = xdp_program__id(c->a.prog);
		it->dispatcher = !xdp_multiprog__is_legacy(c->a.mp);
		it->readable = !c->found && totals_read(&c->a, &it->t) == 0;
		if (!it->readable)
			continue;
		echo_counts(it);
		/* Ping telemetry where the program has it (-ENOENT: an older one). */
		it->rtt_ok = rtt_read(&c->a, &it->rtt) == 0;
		it->pingers_ok = pingers_read(&c->a, 0, 0, &it->pingers) == 0;
	}
	if_freenameindex(all);
	if (ret) {
		snapshot_free(s);
		return ret;
	}
	cache_sweep();
	return 0;
}

/*
 * The library versions xdpong was built against, as pkg-config gave them
 * (the Makefile passes them); else what libbpf says at run time.
 */
#ifndef XDPONG_LIBBPF_VERSION
#define XDPONG_LIBBPF_VERSION NULL
#endif
#ifndef XDPONG_LIBXDP_VERSION
#define XDPONG_LIBXDP_VERSION "unknown"
#endif

static void write_build_info(FILE *f)
{
	const char *libbpf = XDPONG_LIBBPF_VERSION, *libxdp = XDPONG_LIBXDP_VERSION;
	char libbpf_run[24];
	struct utsname u;

	if (!*libxdp)
		libxdp = "unknown";
	if (!libbpf || !*libbpf) {
		snprintf(libbpf_run, sizeof(libbpf_run), "%u.%u", libbpf_major_version(),
			 libbpf_minor_version());
		libbpf = libbpf_run;
	}
	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	fputs("# HELP xdpong_build_info xdpong's version, the libbpf and libxdp it was built "
	      "with, and the running kernel.\n# TYPE xdpong_build_info gauge\n", f);
	sample(f, "xdpong_build_info", 1, "version", XDPONG_VERSION, "libbpf", libbpf,
	       "libxdp", libxdp, "kernel", u.release, NULL);
}

char *metrics_render(unsigned int rtt_prefixes, size_t *len)
{
	struct snapshot s;
	char *buf = NULL;
	size_t fam, k;
	FILE *f;
	int ret;

	export_prefixes = rtt_prefixes;
	ret = snapshot_read(&s);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	f = open_memstream(&buf, len);
	if (!f) {
		snapshot_free(&s);
		return NULL;
	}
	write_build_info(f);
	for (fam = 0; fam < N_FAMILIES; fam++) {
		const struct family *m = &families[fam];

		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name, m->type);
		for (k = 0; k < s.n; k++)
			if (s.ifs[k].readable || m->unreadable_too)
				m->write(f, &s.ifs[k]);
	}
	write_netstat(f, &s);
	snapshot_free(&s);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
