// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_pingers.c: `xdpong pingers IFACE [--json] [--top N] [--prefix-v4 N]
 * [--prefix-v6 N]`: the pings the host answers, by source prefix (/32 and
 * /64 by default), busiest first: their rate, the requests missing on the
 * way in (sequence gaps), reordering, the jitter of the senders' one-way
 * delay, and payloads unlike a ping client's. Read from the flows the XDP
 * program follows with `attach --pingers` (pingers.c adds them up).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "cli.h"
#include "rtt.h"

#define DEFAULT_TOP 20

static struct {
	bool json;
	unsigned int top;
	unsigned int prefix_v4, prefix_v6;
} opts = { .top = DEFAULT_TOP, .prefix_v4 = 32, .prefix_v6 = 64 };

static const struct opt pingers_opts[] = {
	{ "json", 'j', OPT_FLAG, &opts.json, NULL, "print JSON" },
	{ "top", 'n', OPT_UINT, &opts.top, "N",
	  "the N busiest source prefixes (default 20; 0: all)", NULL, 1000000 },
	{ "prefix-v4", '4', OPT_UINT, &opts.prefix_v4, "N",
	  "add IPv4 sources up by /N (default 32: each host)", NULL, 32 },
	{ "prefix-v6", '6', OPT_UINT, &opts.prefix_v6, "N",
	  "add IPv6 sources up by /N (default 64: each subnet)", NULL, 128 },
	{}
};

static void prefix_name(const struct pinger_row *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	addr_format(&r->prefix, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, r->prefixlen);
}

static size_t shown(const struct pinger_table *t)
{
	return opts.top && opts.top < t->n ? opts.top : t->n;
}

static void print_json(const char *iface, const struct pinger_table *t)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array();
	char name[INET6_ADDRSTRLEN + 8];
	size_t i;

	json_object_object_add(o, "interface", json_object_new_string(iface));
	json_object_object_add(o, "enabled", json_object_new_boolean(t->enabled));
	for (i = 0; i < shown(t); i++) {
		const struct pinger_row *r = &t->rows[i];
		json_object *row = json_object_new_object();

		prefix_name(r, name, sizeof(name));
		json_object_object_add(row, "prefix", json_object_new_string(name));
		json_object_object_add(row, "family", json_object_new_int(r->family));
		json_object_object_add(row, "flows", json_object_new_int64(r->flows));
		json_object_object_add(row, "requests", json_object_new_uint64(r->sum.requests));
		json_object_object_add(row, "bytes", json_object_new_uint64(r->sum.bytes));
		json_object_object_add(row, "rate", json_object_new_double(r->rate));
		json_object_object_add(row, "gaps", json_object_new_uint64(r->sum.gaps));
		json_object_object_add(row, "reordered", json_object_new_uint64(r->sum.reordered));
		json_object_object_add(row, "duplicates", json_object_new_uint64(r->sum.duplicates));
		json_object_object_add(row, "timestamped", json_object_new_uint64(r->sum.timestamped));
		/* null, not 0, where no request carried a timestamp: no jitter known */
		json_object_object_add(row, "jitter_s", r->sum.timestamped ?
				       json_object_new_double(r->sum.jitter_ns / 1e9) : NULL);
		json_object_object_add(row, "odd_payload", json_object_new_uint64(r->sum.odd_payload));
		json_object_object_add(row, "last_len", json_object_new_int(r->sum.last_len));
		json_object_array_add(rows, row);
	}
	json_object_object_add(o, "sources", rows);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* "1.20 ms", "850 us": a duration for the table. */
static const char *duration(double ns, char *buf, size_t len)
{
	if (ns >= 1e9)
		snprintf(buf, len, "%.2f s", ns / 1e9);
	else if (ns >= 1e6)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.0f us", ns / 1e3);
	return buf;
}

static void print_table(const char *iface, const struct pinger_table *t)
{
	char name[INET6_ADDRSTRLEN + 8], lost[32], jitter[24];
	size_t i;

	printf("%s: the pings answered, by source prefix (IPv4 /%u, IPv6 /%u), busiest first\n\n",
	       iface, opts.prefix_v4, opts.prefix_v6);
	printf("  %-30s %5s %10s %8s %16s %9s %6s %10s %6s %5s\n", "source", "flows", "requests",
	       "req/s", "lost on the way", "reordered", "dup", "jitter", "odd", "len");
	for (i = 0; i < shown(t); i++) {
		const struct pinger_row *r = &t->rows[i];
		__u64 expected = r->sum.requests + r->sum.gaps;

		prefix_name(r, name, sizeof(name));
		snprintf(lost, sizeof(lost), "%llu (%.1f%%)", r->sum.gaps,
			 expected ? 100.0 * r->sum.gaps / expected : 0.0);
		printf("  %-30s %5u %10llu %8.1f %16s %9llu %6llu %10s %6llu %5u\n", name, r->flows,
		       r->sum.requests, r->rate, lost, r->sum.reordered, r->sum.duplicates,
		       r->sum.timestamped ? duration(r->sum.jitter_ns, jitter, sizeof(jitter)) : "-",
		       r->sum.odd_payload, r->sum.last_len);
	}
	if (!t->n)
		printf("  (no pings answered yet)\n");
	else if (shown(t) < t->n)
		printf("  ... and %zu more (--top 0: all)\n", t->n - shown(t));
	printf("\n  lost on the way: sequence numbers skipped; jitter: of the senders' one-way "
	       "delay, from their timestamps;\n  odd: payloads unlike a ping client's (a hint of "
	       "tunnelling); len: the last request's data\n");
}

static int run(const char *iface, int ifindex)
{
	struct pinger_table t;
	struct attached a;
	int ret;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	ret = pingers_read(&a, opts.prefix_v4, opts.prefix_v6, &t);
	attached_close(&a);
	if (ret == -ENOENT) {
		log_error("the xdpong attached to '%s' has no pingers' table (an older version): "
			  "detach it and attach again with --pingers", iface);
		return EXIT_STATE;
	}
	if (ret) {
		log_error("can't read the pingers of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	if (opts.json) {
		print_json(iface, &t);
	} else if (!t.enabled && !t.n) {
		printf("%s: the pings answered are not followed: attach with --pingers to follow "
		       "them\n(xdpong detach %s; xdpong attach --pingers %s)\n", iface, iface, iface);
	} else {
		if (!t.enabled)
			printf("%s: no longer following the pings answered (attach --pingers); "
			       "the flows seen before:\n", iface);
		print_table(iface, &t);
	}
	pinger_table_free(&t);
	return EXIT_OK;
}

const struct command cmd_pingers = {
	.name = "pingers",
	.args = "IFACE",
	.iface_required = true,
	.summary = "the pings answered, by source: rate, loss on the way in, jitter, odd payloads",
	.opts = pingers_opts,
	.run = run,
};
