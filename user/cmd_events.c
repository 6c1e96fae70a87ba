// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_events.c: `xdpong events IFACE [--json] [--write FILE.pcap]`: the
 * event stream from the ring buffer, as text or JSON lines; with --write,
 * the packets' first bytes as a pcap file (libpcap) that tcpdump and
 * Wireshark read. Until Ctrl-C, or --count events.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include "cli.h"
#include "pcapout.h"

static struct {
	bool json;
	struct str_list write;
	unsigned int count;
} opts;

static const struct opt events_opts[] = {
	{ "json", 'j', OPT_FLAG, &opts.json, NULL, "print JSON lines" },
	{ "write", 'w', OPT_STRING, &opts.write, "FILE.pcap",
	  "also write the packets (their first bytes) to a pcap file" },
	{ "count", 'n', OPT_UINT, &opts.count, "N", "stop after N events (default: until Ctrl-C)",
	  NULL, 100000000 },
	{}
};

struct reader {
	const char *iface;
	struct pcap_out *pcap;
	__s64 mono_to_real_ns;   /* add to a CLOCK_MONOTONIC time for wall time */
	unsigned int seen;
};

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
};

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

static void print_json(const struct reader *r, const struct xdpong_event *e, __u64 real_ns)
{
	json_object *o = json_object_new_object(), *flags = json_object_new_array();
	char buf[INET6_ADDRSTRLEN], name[96], ts[48];
	size_t i;

	format_time(real_ns, ts, sizeof(ts));
	json_object_object_add(o, "time", json_object_new_string(ts));
	json_object_object_add(o, "ts_ns", json_object_new_uint64(real_ns));
	json_object_object_add(o, "ifname", json_object_new_string(r->iface));
	json_object_object_add(o, "ifindex", json_object_new_int(e->ifindex));
	json_object_object_add(o, "family", json_object_new_string(family_name(e->family)));
	json_object_object_add(o, "type", json_object_new_int(e->type));
	json_object_object_add(o, "code", json_object_new_int(e->code));
	json_object_object_add(o, "name", json_object_new_string(
		msg_name(e->family, e->type, e->code, name, sizeof(name))));
	json_object_object_add(o, "error", json_object_new_boolean(e->flags & XDPONG_EV_ERROR));
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
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_text(const struct reader *r, const struct xdpong_event *e, __u64 real_ns)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], name[96], ts[48];
	const char *pn;
	size_t i;

	format_time(real_ns, ts, sizeof(ts));
	printf("%s %s %s %s %s > %s", ts + 11, r->iface, family_name(e->family),
	       msg_name(e->family, e->type, e->code, name, sizeof(name)),
	       addr_str(e->src, a), addr_str(e->dst, b));
	if (e->flags & XDPONG_EV_QUOTE) {
		pn = proto_name(e->inner_proto);
		printf(" quoting ");
		if (pn)
			printf("%s", pn);
		else
			printf("proto %u", e->inner_proto);
		if ((e->flags & XDPONG_EV_PORTS) && is_icmp(e->inner_proto))
			printf(" %s > %s id %u seq %u", addr_str(e->inner_src, a),
			       addr_str(e->inner_dst, b), e->inner_sport, e->inner_dport);
		else if (e->flags & XDPONG_EV_PORTS)
			printf(" %s:%u > %s:%u", addr_str(e->inner_src, a), e->inner_sport,
			       addr_str(e->inner_dst, b), e->inner_dport);
		else
			printf(" %s > %s", addr_str(e->inner_src, a), addr_str(e->inner_dst, b));
	}
	if (e->flags & XDPONG_EV_MTU)
		printf(" mtu %u", e->mtu);
	if (e->flags & XDPONG_EV_GATEWAY)
		printf(" gateway %s", addr_str(e->gateway, a));
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (e->flags & flag_names[i].flag)
			printf(" [%s]", flag_names[i].name);
	printf("\n");
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct reader *r = ctx;
	const struct xdpong_event *e = data;
	__u64 real_ns;

	if (size < sizeof(*e))
		return 0;
	real_ns = e->ts_ns + r->mono_to_real_ns;
	if (opts.json)
		print_json(r, e, real_ns);
	else
		print_text(r, e, real_ns);
	if (r->pcap)
		pcap_out_write(r->pcap, real_ns, e->data,
			       e->cap_len <= XDPONG_EVENT_SNAPLEN ? e->cap_len : XDPONG_EVENT_SNAPLEN,
			       e->pkt_len);
	fflush(stdout);
	r->seen++;
	/* A negative return stops ring_buffer__poll(). */
	return opts.count && r->seen >= opts.count ? -EINTR : 0;
}

static __s64 mono_to_real(void)
{
	struct timespec mono, real;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	return (real.tv_sec - mono.tv_sec) * 1000000000LL + (real.tv_nsec - mono.tv_nsec);
}

static int run(const char *iface, int ifindex)
{
	struct reader r = { .iface = iface, .mono_to_real_ns = mono_to_real() };
	struct ring_buffer *rb = NULL;
	struct attached a;
	char errbuf[256];
	int ret;

	if (opts.write.n > 1) {
		err("events: --write takes one file");
		return EXIT_USAGE;
	}
	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;

	if (opts.write.n) {
		r.pcap = pcap_out_open(opts.write.v[0], XDPONG_EVENT_SNAPLEN, errbuf, sizeof(errbuf));
		if (!r.pcap) {
			err("can't write '%s': %s", opts.write.v[0], errbuf);
			ret = EXIT_FAIL;
			goto out;
		}
	}
	rb = ring_buffer__new(a.map_fd[MAP_EVENTS], on_event, &r, NULL);
	if (!rb) {
		err("can't read the events of '%s': %s", iface, strerror(errno));
		ret = EXIT_FAIL;
		goto out;
	}
	catch_stop_signals();
	ret = EXIT_OK;
	while (!stop_requested) {
		int n = ring_buffer__poll(rb, 200);

		if (n == -EINTR)
			break; /* a signal, or --count reached */
		if (n < 0) {
			err("reading events failed: %s", strerror(-n));
			ret = EXIT_FAIL;
			break;
		}
	}
out:
	ring_buffer__free(rb);
	pcap_out_close(r.pcap);
	attached_close(&a);
	return ret;
}

const struct command cmd_events = {
	.name = "events",
	.args = "IFACE",
	.iface_required = true,
	.summary = "stream ICMP error events (text or JSON lines), optionally to a pcap file",
	.opts = events_opts,
	.run = run,
};
