// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_stats.c: `xdpong stats IFACE [--json] [--per-cpu]`: the per-CPU
 * counters summed over all possible CPUs: actions, replies the driver failed
 * to transmit, reasons, messages by type and code with their names, what the
 * errors' quotes said, events, and the round trips of the host's pings.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "cli.h"
#include "rtt.h"

static struct {
	bool json;
	bool per_cpu;
} opts;

static const struct opt stats_opts[] = {
	{ "json", 'j', OPT_FLAG, &opts.json, NULL, "print JSON" },
	{ "per-cpu", 'c', OPT_FLAG, &opts.per_cpu, NULL, "also show each CPU's actions and reasons" },
	{}
};

static json_object *u64(__u64 v)
{
	return json_object_new_uint64(v);
}

static json_object *err_json(const struct xdpong_err_stats *e)
{
	json_object *o = json_object_new_object(), *h = json_object_new_array();
	char name[24];
	int i;

#define ERR_JSON_(f, desc) json_object_object_add(o, #f, u64(e->f));
	ERR_FIELDS(ERR_JSON_)
#undef ERR_JSON_
	for (i = 0; i < XDPONG_MTU_NBUCKETS; i++) {
		json_object *b = json_object_new_object();

		json_object_object_add(b, "mtu", json_object_new_string(mtu_bucket_name(i, name, sizeof(name))));
		json_object_object_add(b, "count", u64(e->mtu[i]));
		json_object_array_add(h, b);
	}
	json_object_object_add(o, "mtu_histogram", h);
	return o;
}

static json_object *reasons_json(const struct xdpong_stats *st)
{
	json_object *o = json_object_new_object();
	int r;

	for (r = 0; r < XDPONG_R_MAX; r++)
		json_object_object_add(o, reason_name(r), u64(st->reason[r].packets));
	return o;
}

static json_object *actions_json(const struct xdpong_counter *action, bool bytes)
{
	json_object *o = json_object_new_object();
	int r;

	for (r = 0; r < XDPONG_ACT_MAX; r++)
		json_object_object_add(o, action_name(r),
				       u64(bytes ? action[r].bytes : action[r].packets));
	return o;
}

/* The failures' total and causes, or null where they are not counted. */
static void tx_failed_json(json_object *o, const struct totals *t)
{
	json_object *by;

	if (!t->tx_failed_counted) {
		json_object_object_add(o, "tx_failed", NULL);
		json_object_object_add(o, "tx_failures", NULL);
		return;
	}
	by = json_object_new_object();
	json_object_object_add(o, "tx_failed", u64(tx_failed_total(&t->tx_failed)));
#define TXF_JSON_(f, desc) json_object_object_add(by, #f, u64(t->tx_failed.f));
	TX_FAILED_FIELDS(TXF_JSON_)
#undef TXF_JSON_
	json_object_object_add(o, "tx_failures", by);
}

/* The round trips, if this xdpong times them; rtt_read()'s return. */
struct rtt_part {
	int ret;
	struct rtt_table t;
};

static void print_json(const char *iface, const struct totals *t, const struct rtt_part *rtt)
{
	json_object *o = json_object_new_object(), *reasons = json_object_new_object();
	json_object *fam[XDPONG_FAM_MAX] = {}, *errs = json_object_new_object();
	json_object *ev = json_object_new_object();
	char name[96];
	size_t i;
	int f;

	json_object_object_add(o, "ifname", json_object_new_string(iface));
	json_object_object_add(o, "actions", actions_json(t->action, false));
	tx_failed_json(o, t);
	json_object_object_add(o, "action_bytes", actions_json(t->action, true));
	for (f = 0; f < XDPONG_R_MAX; f++)
		json_object_object_add(reasons, reason_name(f), u64(t->reason[f].packets));
	json_object_object_add(o, "reasons", reasons);

	for (f = XDPONG_FAM_ICMP; f < XDPONG_FAM_MAX; f++) {
		fam[f] = json_object_new_array();
		json_object_object_add(o, family_name(f), fam[f]);
	}
	for (i = 0; i < t->n_msgs; i++) {
		const struct msg_count *m = &t->msgs[i];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "type", json_object_new_int(m->key.type));
		json_object_object_add(e, "code", json_object_new_int(m->key.code));
		json_object_object_add(e, "name", json_object_new_string(
			msg_name(m->key.family, m->key.type, m->key.code, name, sizeof(name))));
		json_object_object_add(e, "packets", u64(m->c.packets));
		json_object_object_add(e, "bytes", u64(m->c.bytes));
		if (m->key.family < XDPONG_FAM_MAX && fam[m->key.family])
			json_object_array_add(fam[m->key.family], e);
		else
			json_object_put(e);
	}
	json_object_object_add(errs, "icmp", err_json(&t->err[0]));
	json_object_object_add(errs, "icmpv6", err_json(&t->err[1]));
	json_object_object_add(o, "errors", errs);
#define EV_JSON_(f, desc) json_object_object_add(ev, #f, u64(t->events.f));
	EVENT_FIELDS(EV_JSON_)
#undef EV_JSON_
	json_object_object_add(o, "events", ev);
	json_object_object_add(o, "msg_table_full", u64(t->msg_table_full));
	/* As `rtt --json` says it; null from an xdpong without ping telemetry. */
	json_object_object_add(o, "rtt", rtt->ret ? NULL : rtt_json(iface, &rtt->t, 0));
	if (opts.per_cpu) {
		json_object *arr = json_object_new_array();
		int cpu;

		for (cpu = 0; cpu < t->ncpu; cpu++) {
			json_object *c = json_object_new_object();

			json_object_object_add(c, "cpu", json_object_new_int(cpu));
			struct xdpong_counter act[XDPONG_ACT_MAX];

			actions_of(t->percpu[cpu].reason, act);
			json_object_object_add(c, "actions", actions_json(act, false));
			json_object_object_add(c, "reasons", reasons_json(&t->percpu[cpu]));
			json_object_array_add(arr, c);
		}
		json_object_object_add(o, "per_cpu", arr);
	}
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_errors(const char *fam, const struct xdpong_err_stats *e)
{
	char name[24];
	int i;

	if (!e->errors && !e->redirects)
		return;
	printf("\n  %s errors\n", fam);
#define ERR_ROW_(f, desc) if (e->f || !strcmp(#f, "errors")) printf("    %-40s %14llu\n", desc, e->f);
	ERR_FIELDS(ERR_ROW_)
#undef ERR_ROW_
	for (i = 0; i < XDPONG_MTU_NBUCKETS; i++)
		if (e->mtu[i])
			printf("    %-40s %14llu\n", mtu_bucket_name(i, name, sizeof(name)), e->mtu[i]);
}

/* Beside tx: how many of those replies the driver failed to transmit. */
static void print_tx_failed(const struct totals *t)
{
	if (t->tx_failed_counted)
		printf("  %-22s %14llu %16s\n", "tx_failed", tx_failed_total(&t->tx_failed), "-");
	else
		printf("  %-22s %14s %16s   (not counted: see TX FAILURES in xdpong(8))\n",
		       "tx_failed", "-", "-");
}

/* ... and why, when any failed. */
static void print_tx_failures(const struct totals *t)
{
	if (!t->tx_failed_counted || !tx_failed_total(&t->tx_failed))
		return;
	printf("\n  tx_failed: replies lost after XDP_TX\n");
#define TXF_ROW_(f, desc) if (t->tx_failed.f) printf("    %-40s %14llu\n", desc, t->tx_failed.f);
	TX_FAILED_FIELDS(TXF_ROW_)
#undef TXF_ROW_
}

static void print_per_cpu(const struct totals *t)
{
	int cpu, r;

	printf("\n  %-5s %-22s %14s %16s\n", "cpu", "reason", "packets", "bytes");
	for (cpu = 0; cpu < t->ncpu; cpu++)
		for (r = 0; r < XDPONG_R_MAX; r++)
			if (t->percpu[cpu].reason[r].packets)
				printf("  %-5d %-22s %14llu %16llu\n", cpu, reason_name(r),
				       t->percpu[cpu].reason[r].packets, t->percpu[cpu].reason[r].bytes);
}

static void print_table(const char *iface, const struct totals *t, const struct rtt_part *rtt)
{
	char name[96];
	size_t i;
	int f;

	printf("%s: xdpong counters (all CPUs)\n\n", iface);
	printf("  %-22s %14s %16s\n", "action", "packets", "bytes");
	for (f = 0; f < XDPONG_ACT_MAX; f++) {
		printf("  %-22s %14llu %16llu\n", action_name(f), t->action[f].packets,
		       t->action[f].bytes);
		if (f == XDPONG_ACT_TX)
			print_tx_failed(t);
	}
	print_tx_failures(t);

	printf("\n  %-22s %14s %16s\n", "reason", "packets", "bytes");
	for (f = 0; f < XDPONG_R_MAX; f++)
		if (t->reason[f].packets)
			printf("  %-22s %14llu %16llu\n", reason_name(f), t->reason[f].packets,
			       t->reason[f].bytes);

	printf("\n  %-6s %4s %4s  %-36s %12s %14s\n", "family", "type", "code", "message",
	       "packets", "bytes");
	for (i = 0; i < t->n_msgs; i++) {
		const struct msg_count *m = &t->msgs[i];

		printf("  %-6s %4u %4u  %-36s %12llu %14llu\n", family_name(m->key.family),
		       m->key.type, m->key.code,
		       msg_name(m->key.family, m->key.type, m->key.code, name, sizeof(name)),
		       m->c.packets, m->c.bytes);
	}
	if (!t->n_msgs)
		printf("  (no ICMP, ICMPv6 or IGMP messages yet)\n");
	print_errors("ICMP", &t->err[0]);
	print_errors("ICMPv6", &t->err[1]);
	if (t->events.sent || t->events.sampled_out || t->events.rate_limited || t->events.ring_full) {
		printf("\n  events\n");
#define EV_ROW_(f, desc) printf("    %-40s %14llu\n", desc, t->events.f);
		EVENT_FIELDS(EV_ROW_)
#undef EV_ROW_
	}
	if (t->msg_table_full)
		printf("\n  %llu messages uncounted: the message table is full\n",
		       t->msg_table_full);
	if (!rtt->ret && rtt->t.enabled)
		rtt_print_totals(&rtt->t);
	if (opts.per_cpu)
		print_per_cpu(t);
}

static int run(const char *iface, int ifindex)
{
	struct rtt_part rtt;
	struct attached a;
	struct totals t;
	int ret;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	ret = totals_read(&a, &t);
	rtt.ret = ret ? -EAGAIN : rtt_read(&a, &rtt.t);
	attached_close(&a);
	if (ret) {
		log_error("can't read the counters of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	/* The counters are the point: round trips that can't be read are a warning. */
	if (rtt.ret && rtt.ret != -ENOENT)
		log_warning("can't read the round trips of '%s': %s", iface, strerror(-rtt.ret));
	if (opts.json)
		print_json(iface, &t, &rtt);
	else
		print_table(iface, &t, &rtt);
	totals_free(&t);
	if (!rtt.ret)
		rtt_table_free(&rtt.t);
	return EXIT_OK;
}

const struct command cmd_stats = {
	.name = "stats",
	.args = "IFACE",
	.iface_required = true,
	.summary = "show the counters: actions, reasons, messages by type and code, errors",
	.opts = stats_opts,
	.run = run,
};
