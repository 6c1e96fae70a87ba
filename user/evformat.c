// SPDX-License-Identifier: GPL-2.0
/*
 * evformat.c: one event from the ring buffer, as a JSON object on one line
 * (for `events --json`, and for the event file a log shipper tails) or as a
 * line of text. Names come from names.c.
 *
 * Ping telemetry adds two kinds. An echo reply matched to the host's own
 * request carries its round trip (XDPONG_EV_RTT): "rtt 10.23 ms", "rtt_s".
 * A lost request (XDPONG_EV_LOST) has no frame: the sweep that found it
 * unanswered sends the request's addresses, identifier and sequence, shown
 * as "lost echo-request 198.18.0.1 > 198.18.1.2 id 77 seq 9".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include "cli.h"
#include "events.h"

static const struct {
	__u32 flag;
	const char *name;
} flag_names[] = {
	{ XDPONG_EV_UNSOLICITED, "unsolicited" },
	{ XDPONG_EV_QUOTE_BAD, "quote-malformed" },
	{ XDPONG_EV_MTU_LOW, "mtu-below-min" },
	{ XDPONG_EV_RFC4884, "rfc4884" },
	{ XDPONG_EV_RFC4884_BAD, "rfc4884-bad-length" },
	{ XDPONG_EV_BAD_HOP_LIMIT, "hop-limit-not-255" },
	{ XDPONG_EV_RTT_LATE, "late-reply" },
	{ XDPONG_EV_RTT_DUP, "duplicate-reply" },
};

/* Whether the event carries a round trip: a reply in time, or a late or
 * duplicate one whose request was still known. */
static bool has_rtt(const struct xdpong_event *e)
{
	return (e->flags & XDPONG_EV_RTT) ||
	       ((e->flags & (XDPONG_EV_RTT_LATE | XDPONG_EV_RTT_DUP)) && e->rtt_ns);
}

/* In ms, as ping prints its times: "10.23", "0.052". */
static void format_rtt(__u64 ns, char *buf, size_t len)
{
	snprintf(buf, len, ns >= 1000000 ? "%.2f" : "%.3f", ns / 1e6);
}

static const char *addr_str(const __u8 *a16, char *buf)
{
	struct xdpong_addr_key k;

	memcpy(k.addr, a16, 16);
	addr_format(&k, buf, INET6_ADDRSTRLEN);
	return buf;
}

static const char *proto_name(int p)
{
	switch (p) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_DCCP: return "dccp";
	case IPPROTO_UDPLITE: return "udplite";
	default: return NULL;
	}
}

static int is_icmp(int p)
{
	return p == IPPROTO_ICMP || p == IPPROTO_ICMPV6;
}

static void format_time(__u64 real_ns, char *buf, size_t len)
{
	time_t s = real_ns / 1000000000ULL;
	struct tm tm;
	char date[32];

	gmtime_r(&s, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06lluZ", date, (real_ns % 1000000000ULL) / 1000);
}

__s64 event_clock_offset(void)
{
	struct timespec mono, real;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	return (real.tv_sec - mono.tv_sec) * 1000000000LL + (real.tv_nsec - mono.tv_nsec);
}

char *event_json(const char *iface, const struct xdpong_event *e, __u64 real_ns)
{
	json_object *o = json_object_new_object(), *flags = json_object_new_array();
	char buf[INET6_ADDRSTRLEN], name[96], ts[48];
	char *line;
	size_t i;

	format_time(real_ns, ts, sizeof(ts));
	json_object_object_add(o, "time", json_object_new_string(ts));
	json_object_object_add(o, "ts_ns", json_object_new_uint64(real_ns));
	json_object_object_add(o, "ifname", json_object_new_string(iface));
	json_object_object_add(o, "ifindex", json_object_new_int(e->ifindex));
	json_object_object_add(o, "family", json_object_new_string(family_name(e->family)));
	json_object_object_add(o, "type", json_object_new_int(e->type));
	json_object_object_add(o, "code", json_object_new_int(e->code));
	json_object_object_add(o, "name", json_object_new_string(
		msg_name(e->family, e->type, e->code, name, sizeof(name))));
	json_object_object_add(o, "error", json_object_new_boolean(e->flags & XDPONG_EV_ERROR));
	if (e->flags & XDPONG_EV_LOST) {
		json_object_object_add(o, "lost", json_object_new_boolean(true));
		json_object_object_add(o, "id", json_object_new_int(e->inner_sport));
		json_object_object_add(o, "seq", json_object_new_int(e->inner_dport));
	}
	if (has_rtt(e))
		json_object_object_add(o, "rtt_s", json_object_new_double(e->rtt_ns / 1e9));
	json_object_object_add(o, "src", json_object_new_string(addr_str(e->src, buf)));
	json_object_object_add(o, "dst", json_object_new_string(addr_str(e->dst, buf)));
	if (e->flags & XDPONG_EV_QUOTE) {
		json_object *in = json_object_new_object();

		json_object_object_add(in, "proto", json_object_new_int(e->inner_proto));
		json_object_object_add(in, "src", json_object_new_string(addr_str(e->inner_src, buf)));
		json_object_object_add(in, "dst", json_object_new_string(addr_str(e->inner_dst, buf)));
		if (e->flags & XDPONG_EV_PORTS) {
			json_object_object_add(in, is_icmp(e->inner_proto) ? "id" : "sport",
					       json_object_new_int(e->inner_sport));
			json_object_object_add(in, is_icmp(e->inner_proto) ? "seq" : "dport",
					       json_object_new_int(e->inner_dport));
		}
		json_object_object_add(o, "inner", in);
	}
	if (e->flags & XDPONG_EV_MTU)
		json_object_object_add(o, "mtu", json_object_new_int64(e->mtu));
	if (e->flags & XDPONG_EV_GATEWAY)
		json_object_object_add(o, "gateway", json_object_new_string(addr_str(e->gateway, buf)));
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (e->flags & flag_names[i].flag)
			json_object_array_add(flags, json_object_new_string(flag_names[i].name));
	json_object_object_add(o, "flags", flags);
	json_object_object_add(o, "len", json_object_new_int64(e->pkt_len));
	line = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return line;
}

void event_text(FILE *f, const char *iface, const struct xdpong_event *e, __u64 real_ns)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], name[96], ts[48], rtt[32];
	const char *pn;
	size_t i;

	format_time(real_ns, ts, sizeof(ts));
	fprintf(f, "%s %s %s %s%s %s > %s", ts + 11, iface, family_name(e->family),
		e->flags & XDPONG_EV_LOST ? "lost " : "",
		msg_name(e->family, e->type, e->code, name, sizeof(name)),
		addr_str(e->src, a), addr_str(e->dst, b));
	if (e->flags & XDPONG_EV_LOST)
		fprintf(f, " id %u seq %u", e->inner_sport, e->inner_dport);
	if (has_rtt(e)) {
		format_rtt(e->rtt_ns, rtt, sizeof(rtt));
		fprintf(f, " rtt %s ms", rtt);
	}
	if (e->flags & XDPONG_EV_QUOTE) {
		pn = proto_name(e->inner_proto);
		fprintf(f, " quoting ");
		if (pn)
			fprintf(f, "%s", pn);
		else
			fprintf(f, "proto %u", e->inner_proto);
		if ((e->flags & XDPONG_EV_PORTS) && is_icmp(e->inner_proto))
			fprintf(f, " %s > %s id %u seq %u", addr_str(e->inner_src, a),
				addr_str(e->inner_dst, b), e->inner_sport, e->inner_dport);
		else if (e->flags & XDPONG_EV_PORTS)
			fprintf(f, " %s:%u > %s:%u", addr_str(e->inner_src, a), e->inner_sport,
				addr_str(e->inner_dst, b), e->inner_dport);
		else
			fprintf(f, " %s > %s", addr_str(e->inner_src, a), addr_str(e->inner_dst, b));
	}
	if (e->flags & XDPONG_EV_MTU)
		fprintf(f, " mtu %u", e->mtu);
	if (e->flags & XDPONG_EV_GATEWAY)
		fprintf(f, " gateway %s", addr_str(e->gateway, a));
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (e->flags & flag_names[i].flag)
			fprintf(f, " [%s]", flag_names[i].name);
	fputc('\n', f);
}
