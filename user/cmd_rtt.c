// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_rtt.c: `xdpong rtt IFACE [--json] [--top N]`: the round trips and
 * the loss of the host's own pings out of IFACE, per destination prefix,
 * with the prefixes pushed out of the table as "other" and a total per
 * family. One model (struct rtt_table, rtt.c) and two renderers, text and
 * JSON; stats shows the totals with the same code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "rtt.h"

/* Without --top, the text shows this many prefixes; JSON shows them all. */
#define TEXT_TOP 20

static struct {
	bool json;
	unsigned int top;
} opts = { .top = LIMIT_UNSET };

static const struct opt rtt_opts[] = {
	{ "json", 'j', OPT_FLAG, &opts.json, NULL, "print JSON" },
	{ "top", 'n', OPT_UINT, &opts.top, "N",
	  "the N busiest prefixes only (default: 20 in text, all in JSON; 0: all)", NULL, 1000000 },
	{}
};

/* The quantiles every output shows. */
static const struct { const char *name; double q; } quantiles[] = {
	{ "p50", 0.50 }, { "p90", 0.90 }, { "p99", 0.99 },
};
#define N_QUANTILES (sizeof(quantiles) / sizeof(quantiles[0]))

static bool measured(const struct xdpong_rtt_stats *s)
{
	return s->replied && s->max_ns;
}

static bool any(const struct xdpong_rtt_stats *s)
{
	return s->sent || s->replied || s->lost || s->late || s->duplicate || s->untracked ||
	       s->unmatched;
}

/* ---- JSON ---- */
/* Seconds, or null where nothing was measured. */
static json_object *seconds(bool valid, double ns)
{
	return valid ? json_object_new_double(ns / 1e9) : NULL;
}

static json_object *row_json(const struct rtt_row *r, bool other, bool total)
{
	const struct xdpong_rtt_stats *s = &r->s;
	json_object *o = json_object_new_object(), *b = json_object_new_array();
	bool m = measured(s);
	char name[64];
	size_t q;
	int i;

	rtt_row_name(r, other, name, sizeof(name));
#define ADD(k, v) json_object_object_add(o, k, v)
#define U64(f) ADD(#f, json_object_new_uint64(s->f))
	ADD("prefix", json_object_new_string(name));
	ADD("family", json_object_new_int(r->key.family));
	U64(sent);
	U64(replied);
	U64(lost);
	U64(late);
	U64(duplicate);
	U64(untracked);
	if (total)
		U64(unmatched);
	ADD("min_s", seconds(m, s->min_ns));
	for (q = 0; q < N_QUANTILES; q++) {
		char key[16];

		snprintf(key, sizeof(key), "%s_s", quantiles[q].name);
		ADD(key, seconds(m, rtt_quantile(s, quantiles[q].q)));
	}
	ADD("max_s", seconds(m, s->max_ns));
	ADD("mean_s", seconds(m, m ? (double)s->sum_ns / s->replied : 0));
	for (i = 0; i < XDPONG_RTT_NBUCKETS; i++) {
		json_object *e;

		if (!s->bucket[i])
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "low_s", json_object_new_double(xdpong_rtt_bucket_low(i) / 1e9));
		/* The last bucket has no upper bound. */
		json_object_object_add(e, "high_s", i < XDPONG_RTT_NBUCKETS - 1 ?
			json_object_new_double(xdpong_rtt_bucket_low(i + 1) / 1e9) : NULL);
		json_object_object_add(e, "count", json_object_new_uint64(s->bucket[i]));
		json_object_array_add(b, e);
	}
	ADD("buckets", b);
#undef U64
#undef ADD
	return o;
}

static size_t shown(const struct rtt_table *t, size_t top)
{
	return top && top < t->n ? top : t->n;
}

json_object *rtt_json(const char *iface, const struct rtt_table *t, size_t top)
{
	json_object *o = json_object_new_object(), *rows = json_object_new_array();
	json_object *other = json_object_new_array(), *total = json_object_new_array();
	size_t i;
	int f;

	json_object_object_add(o, "interface", json_object_new_string(iface));
	json_object_object_add(o, "enabled", json_object_new_boolean(t->enabled));
	json_object_object_add(o, "timeout_s", json_object_new_double(t->cfg.timeout_ns / 1e9));
	json_object_object_add(o, "prefix_v4", json_object_new_int(t->cfg.prefix_v4));
	json_object_object_add(o, "prefix_v6", json_object_new_int(t->cfg.prefix_v6));
	for (i = 0; i < shown(t, top); i++)
		json_object_array_add(rows, row_json(&t->rows[i], false, false));
	for (f = 0; f < 2; f++) {
		json_object_array_add(other, row_json(&t->other[f], true, false));
		json_object_array_add(total, row_json(&t->total[f], false, true));
	}
	json_object_object_add(o, "prefixes", rows);
	json_object_object_add(o, "other", other);
	json_object_object_add(o, "total", total);
	return o;
}

/* An xdpong without ping telemetry: the same keys, nothing in them. */
static json_object *none_json(const char *iface)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "interface", json_object_new_string(iface));
	json_object_object_add(o, "enabled", json_object_new_boolean(false));
	json_object_object_add(o, "timeout_s", NULL);
	json_object_object_add(o, "prefix_v4", NULL);
	json_object_object_add(o, "prefix_v6", NULL);
	json_object_object_add(o, "prefixes", json_object_new_array());
	json_object_object_add(o, "other", json_object_new_array());
	json_object_object_add(o, "total", json_object_new_array());
	return o;
}

/* ---- Text ---- */
/* A trip in 3 or 4 digits and its unit: "812us", "1.02ms", "10.2s"; "-": none. */
static const char *duration(bool valid, double ns, char *buf, size_t len)
{
	static const struct { double ns; const char *unit; } units[] = {
		{ 1e9, "s" }, { 1e6, "ms" }, { 1e3, "us" }, { 1, "ns" },
	};
	size_t i;
	double x;

	if (!valid) {
		snprintf(buf, len, "-");
		return buf;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]) - 1 && ns < units[i].ns; i++)
		;
	x = ns / units[i].ns;
	snprintf(buf, len, x >= 100 ? "%.0f%s" : x >= 10 ? "%.1f%s" : "%.2f%s", x, units[i].unit);
	return buf;
}

static void print_row(const struct rtt_row *r, bool other)
{
	const struct xdpong_rtt_stats *s = &r->s;
	char name[64], d[N_QUANTILES + 1][16];
	bool m = measured(s);
	size_t q;

	rtt_row_name(r, other, name, sizeof(name));
	for (q = 0; q < N_QUANTILES; q++)
		duration(m, rtt_quantile(s, quantiles[q].q), d[q], sizeof(d[q]));
	duration(m, s->max_ns, d[q], sizeof(d[q]));
	printf("  %-24s %10llu %8llu %6.1f%% %8s %8s %8s %8s %7llu %7llu\n", name, s->sent, s->lost,
	       100 * rtt_loss(s), d[0], d[1], d[2], d[3], s->late, s->duplicate);
}

static void print_table(const char *iface, const struct rtt_table *t, size_t top)
{
	__u64 untracked = t->total[0].s.untracked + t->total[1].s.untracked;
	__u64 unmatched = t->total[0].s.unmatched + t->total[1].s.unmatched;
	size_t i, n = shown(t, top);
	int f;

	printf("%s: round trips of the host's pings (lost after %g s; a row per IPv4 /%u, "
	       "IPv6 /%u)\n\n", iface, t->cfg.timeout_ns / 1e9, t->cfg.prefix_v4, t->cfg.prefix_v6);
	if (!any(&t->total[0].s) && !any(&t->total[1].s)) {
		printf("  (no echo request timed yet)\n");
		return;
	}
	printf("  %-24s %10s %8s %7s %8s %8s %8s %8s %7s %7s\n", "prefix", "sent", "lost", "loss",
	       "p50", "p90", "p99", "max", "late", "dup");
	for (i = 0; i < n; i++)
		print_row(&t->rows[i], false);
	if (n < t->n)
		printf("  (%zu more prefixes: --top 0 shows them all)\n", t->n - n);
	for (f = 0; f < 2; f++)
		if (any(&t->other[f].s))
			print_row(&t->other[f], true);
	for (f = 0; f < 2; f++)
		if (any(&t->total[f].s))
			print_row(&t->total[f], false);
	if (untracked)
		printf("\n  %llu requests not timed: the table of requests in flight was full\n",
		       untracked);
	if (unmatched)
		printf("\n  %llu echo replies to no request timed here\n", unmatched);
}

void rtt_print_totals(const struct rtt_table *t)
{
	char p50[16], p99[16];
	int f;

	printf("\n  ping round trips (the host's, lost after %g s)\n", t->cfg.timeout_ns / 1e9);
	if (!any(&t->total[0].s) && !any(&t->total[1].s)) {
		printf("    (no echo request timed yet)\n");
		return;
	}
	printf("    %-8s %14s %10s %7s %9s %9s\n", "family", "sent", "lost", "loss", "p50", "p99");
	for (f = 0; f < 2; f++) {
		const struct xdpong_rtt_stats *s = &t->total[f].s;

		if (!any(s))
			continue;
		printf("    %-8s %14llu %10llu %6.1f%% %9s %9s\n", f ? "IPv6" : "IPv4", s->sent,
		       s->lost, 100 * rtt_loss(s), duration(measured(s), rtt_quantile(s, 0.5), p50,
		       sizeof(p50)), duration(measured(s), rtt_quantile(s, 0.99), p99, sizeof(p99)));
	}
}

static void print_json(json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static int run(const char *iface, int ifindex)
{
	size_t top = opts.top == LIMIT_UNSET ? (opts.json ? 0 : TEXT_TOP) : opts.top;
	struct rtt_table t;
	struct attached a;
	int ret;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	ret = rtt_read(&a, &t);
	attached_close(&a);
	if (ret == -ENOENT) {
		/* Not an error: that xdpong works, it just can't say this. */
		fprintf(opts.json ? stderr : stdout, "%s: the xdpong attached has no ping telemetry "
			"(attached by an older xdpong): 'xdpong detach %s' and 'xdpong attach %s' "
			"time the host's pings\n", iface, iface, iface);
		if (opts.json)
			print_json(none_json(iface));
		return EXIT_OK;
	}
	if (ret) {
		log_error("can't read the round trips of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	if (!t.enabled)
		fprintf(opts.json ? stderr : stdout, "%s: the host's pings are not timed (attached "
			"with --no-rtt, or the egress program could not load): 'xdpong detach %s' and "
			"'xdpong attach %s' without --no-rtt time them%s\n", iface, iface, iface,
			opts.json ? "" : "\n");
	if (opts.json)
		print_json(rtt_json(iface, &t, top));
	else if (t.enabled || any(&t.total[0].s) || any(&t.total[1].s))
		print_table(iface, &t, top);
	rtt_table_free(&t);
	return EXIT_OK;
}

const struct command cmd_rtt = {
	.name = "rtt",
	.args = "IFACE",
	.iface_required = true,
	.summary = "show the round trips and loss of the host's own pings, per destination prefix",
	.opts = rtt_opts,
	.run = run,
};
