// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_stats.c: `xdpong stats IFACE [--json]`: the per-CPU counters summed
 * over all possible CPUs: actions, reasons, and messages by type and code.
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "cli.h"

static struct {
	bool json;
} opts;

static const struct opt stats_opts[] = {
	{ "json", 'j', OPT_FLAG, &opts.json, NULL, "print JSON" },
	{}
};

static const char *const family_names[XDPONG_FAM_MAX] = {
	[XDPONG_FAM_ICMP] = "icmp",
	[XDPONG_FAM_ICMPV6] = "icmpv6",
	[XDPONG_FAM_IGMP] = "igmp",
};

static json_object *counter_json(const struct xdpong_counter *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "packets", json_object_new_uint64(c->packets));
	json_object_object_add(o, "bytes", json_object_new_uint64(c->bytes));
	return o;
}

static void print_json(const char *iface, const struct totals *t)
{
	json_object *o = json_object_new_object(), *actions = json_object_new_object();
	json_object *reasons = json_object_new_object(), *bytes = json_object_new_object();
	json_object *fam[XDPONG_FAM_MAX] = {};
	size_t i;
	int f;

	json_object_object_add(o, "ifname", json_object_new_string(iface));
	for (f = 0; f < XDPONG_ACT_MAX; f++) {
		json_object_object_add(actions, action_name(f),
				       json_object_new_uint64(t->action[f].packets));
		json_object_object_add(bytes, action_name(f), json_object_new_uint64(t->action[f].bytes));
	}
	json_object_object_add(o, "actions", actions);
	json_object_object_add(o, "action_bytes", bytes);
	for (f = 0; f < XDPONG_R_MAX; f++)
		json_object_object_add(reasons, reason_name(f),
				       json_object_new_uint64(t->reason[f].packets));
	json_object_object_add(o, "reasons", reasons);

	for (f = XDPONG_FAM_ICMP; f < XDPONG_FAM_MAX; f++) {
		fam[f] = json_object_new_array();
		json_object_object_add(o, family_names[f], fam[f]);
	}
	for (i = 0; i < t->n_msgs; i++) {
		const struct msg_count *m = &t->msgs[i];
		json_object *e = counter_json(&m->c);

		json_object_object_add(e, "type", json_object_new_int(m->key.type));
		json_object_object_add(e, "code", json_object_new_int(m->key.code));
		if (m->key.family < XDPONG_FAM_MAX && fam[m->key.family])
			json_object_array_add(fam[m->key.family], e);
		else
			json_object_put(e);
	}
	json_object_object_add(o, "msg_table_full", json_object_new_uint64(t->msg_table_full));
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
}

static void print_table(const char *iface, const struct totals *t)
{
	size_t i;
	int f;

	printf("%s: xdpong counters (all CPUs)\n\n", iface);
	printf("  %-22s %14s %16s\n", "action", "packets", "bytes");
	for (f = 0; f < XDPONG_ACT_MAX; f++)
		printf("  %-22s %14llu %16llu\n", action_name(f), t->action[f].packets,
		       t->action[f].bytes);

	printf("\n  %-22s %14s %16s\n", "reason", "packets", "bytes");
	for (f = 0; f < XDPONG_R_MAX; f++)
		if (t->reason[f].packets)
			printf("  %-22s %14llu %16llu\n", reason_name(f), t->reason[f].packets,
			       t->reason[f].bytes);

	printf("\n  %-8s %4s %4s %14s %16s\n", "message", "type", "code", "packets", "bytes");
	for (i = 0; i < t->n_msgs; i++) {
		const struct msg_count *m = &t->msgs[i];

		printf("  %-8s %4u %4u %14llu %16llu\n",
		       m->key.family < XDPONG_FAM_MAX ? family_names[m->key.family] : "?",
		       m->key.type, m->key.code, m->c.packets, m->c.bytes);
	}
	if (!t->n_msgs)
		printf("  (no ICMP, ICMPv6 or IGMP messages yet)\n");
	if (t->msg_table_full)
		printf("\n  %llu messages uncounted: the message table is full\n",
		       t->msg_table_full);
}

static int run(const char *iface, int ifindex)
{
	struct attached a;
	struct totals t;
	int ret;

	if ((ret = check_privileges()) || (ret = check_bpffs()) ||
	    (ret = attached_open(ifindex, iface, &a)))
		return ret;
	ret = totals_read(&a, &t);
	attached_close(&a);
	if (ret) {
		err("can't read the counters of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	if (opts.json)
		print_json(iface, &t);
	else
		print_table(iface, &t);
	totals_free(&t);
	return EXIT_OK;
}

const struct command cmd_stats = {
	.name = "stats",
	.args = "IFACE",
	.iface_required = true,
	.summary = "show the counters: actions, reasons, messages by type and code",
	.opts = stats_opts,
	.run = run,
};
