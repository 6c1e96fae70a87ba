// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_status.c: `xdpong status [IFACE] [--json]`: where xdpong is attached,
 * in which mode, beside which programs, how the kernel takes packets there,
 * the addresses it answers for, and what of ping telemetry is on. One model (struct status), read once,
 * and two renderers: text and JSON (json-c), as bpftool does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <json-c/json.h>
#include "cli.h"

static struct {
	bool json;
} opts;

static const struct opt status_opts[] = {
	{ "json", 'j', OPT_FLAG, &opts.json, NULL, "print JSON" },
	{}
};

#define MAX_OTHERS 16

struct status_addr {
	char addr[INET6_ADDRSTRLEN];
	char scope[IF_NAMESIZE];  /* "": any interface; else this one only */
	bool configured;          /* --address */
	bool broadcast;           /* a subnet broadcast: never answered */
};

struct status {
	const char *ifname;
	int ifindex;
	const char *mode;
	__u32 prog_id;
	bool alone;               /* no libxdp dispatcher */
	__u32 priority, dispatcher_id;
	struct xdpong_config cfg;
	struct { const char *name; __u32 prog_id, priority; } others[MAX_OTHERS];
	int n_others;
	struct status_addr *addrs;
	int n_addrs;
	int n_vlans;              /* VLAN devices on the interface xdpong answers on */
	/* Ping telemetry; a table's size is 0 where the program lacks it (an
	 * older xdpong). */
	bool rtt_timed;           /* the egress program is pinned, and its replies matched */
	bool rtt_egress;          /* the egress program is pinned */
	__u32 max_pending, max_prefixes, max_pinger_flows;
};

void print_limits(const struct xdpong_config *cfg)
{
	if (cfg->rate_interval_ns)
		printf("at most %llu replies/s (burst %llu) in all", rate_of(cfg->rate_interval_ns),
		       burst_of(cfg->rate_interval_ns, cfg->rate_tolerance_ns));
	else
		printf("no global rate limit");
	if (cfg->src_interval_ns)
		printf(", %llu/s (burst %llu) per source", rate_of(cfg->src_interval_ns),
		       burst_of(cfg->src_interval_ns, cfg->src_tolerance_ns));
	else
		printf(", no per-source limit");
	if (cfg->rate_interval_ns || cfg->src_interval_ns)
		printf("; over a limit: %s", cfg->flags & XDPONG_F_OVER_LIMIT_DROP ? "drop" : "pass");
	printf("; events: at most %u/s\n", cfg->event_rate);
}

void print_rtt_settings(const struct xdpong_config *cfg)
{
	printf("lost after %g s, a row per IPv4 /%u and IPv6 /%u; pingers %s\n",
	       cfg->rtt.timeout_ns / 1e9, cfg->rtt.prefix_v4, cfg->rtt.prefix_v6,
	       cfg->flags & XDPONG_F_PINGERS ? "followed" : "not followed");
}

/* A map's max_entries; 0 if it is not there. */
static __u32 map_size(int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len) ? info.max_entries : 0;
}

static int cmp_addr(const void *a, const void *b)
{
	return strcmp(((const struct status_addr *)a)->addr, ((const struct status_addr *)b)->addr);
}

/* The addresses of the set in use that are answered for, or broadcast. */
static int read_addrs(int fd, __u32 set, struct status *st)
{
	struct xdpong_local_key key, next, *prev = NULL;
	struct xdpong_addr_val val;
	int cap = 0;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct status_addr *a;

		key = next;
		prev = &key;
		if (key.set != set || bpf_map_lookup_elem(fd, &key, &val) ||
		    (val.flags & XDPONG_ADDR_SOURCE_ONLY))
			continue;
		if (st->n_addrs == cap) {
			cap = cap ? 2 * cap : 64;
			a = realloc(st->addrs, cap * sizeof(*a));
			if (!a)
				return -ENOMEM;
			st->addrs = a;
		}
		a = &st->addrs[st->n_addrs++];
		memset(a, 0, sizeof(*a));
		addr_format(&key.a, a->addr, sizeof(a->addr));
		if (key.ifindex)
			if_indextoname(key.ifindex, a->scope);
		a->configured = val.flags & XDPONG_ADDR_CONFIGURED;
		a->broadcast = val.flags & XDPONG_ADDR_BROADCAST;
	}
	qsort(st->addrs, st->n_addrs, sizeof(*st->addrs), cmp_addr);
	return 0;
}

static int count_keys(int fd, size_t key_size)
{
	char key[64], next[64];
	void *prev = NULL;
	int n = 0;

	if (key_size > sizeof(key))
		return 0;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(key, next, key_size);
		prev = key;
		n++;
	}
	return n;
}

static int status_read(const char *iface, int ifindex, const struct attached *a,
		       struct status *st)
{
	struct xdp_program *p;

	memset(st, 0, sizeof(*st));
	st->ifname = iface;
	st->ifindex = ifindex;
	st->mode = mode_name(a->mode);
	st->prog_id = xdp_program__id(a->prog);
	st->alone = xdp_multiprog__is_legacy(a->mp);
	/* The run priority orders the dispatcher's programs; alone, there is none. */
	if (!st->alone) {
		st->priority = xdp_program__run_prio(a->prog);
		st->dispatcher_id = xdp_program__id(xdp_multiprog__main_prog(a->mp));
	}
	config_read(a->map_fd[MAP_CONFIG], &st->cfg);
	for (p = xdp_multiprog__next_prog(NULL, a->mp); p && st->n_others < MAX_OTHERS;
	     p = xdp_multiprog__next_prog(p, a->mp)) {
		if (p == a->prog)
			continue;
		st->others[st->n_others].name = xdp_program__name(p);
		st->others[st->n_others].prog_id = xdp_program__id(p);
		st->others[st->n_others].priority = xdp_program__run_prio(p);
		st->n_others++;
	}
	st->n_vlans = count_keys(a->map_fd[MAP_VLANS], sizeof(struct xdpong_vlan_key));
	st->rtt_egress = rtt_egress_present(st->prog_id);
	st->rtt_timed = st->rtt_egress && (st->cfg.flags & XDPONG_F_RTT);
	st->max_pending = map_size(a->map_fd[MAP_RTT_PENDING]);
	st->max_prefixes = map_size(a->map_fd[MAP_RTT_PREFIX]);
	st->max_pinger_flows = map_size(a->map_fd[MAP_PINGERS]);
	return read_addrs(a->map_fd[MAP_ADDRS], st->cfg.addr_gen & 1, st);
}

static void status_free(struct status *st)
{
	free(st->addrs);
	st->addrs = NULL;
}

/* ---- JSON ---- */
static json_object *limits_json(const struct xdpong_config *cfg)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "rate", json_object_new_int64(rate_of(cfg->rate_interval_ns)));
	json_object_object_add(o, "burst", json_object_new_int64(
		burst_of(cfg->rate_interval_ns, cfg->rate_tolerance_ns)));
	json_object_object_add(o, "src_rate", json_object_new_int64(rate_of(cfg->src_interval_ns)));
	json_object_object_add(o, "src_burst", json_object_new_int64(
		burst_of(cfg->src_interval_ns, cfg->src_tolerance_ns)));
	json_object_object_add(o, "over_limit", json_object_new_string(
		cfg->flags & XDPONG_F_OVER_LIMIT_DROP ? "drop" : "pass"));
	json_object_object_add(o, "event_rate", json_object_new_int64(cfg->event_rate));
	return o;
}

/* Ping telemetry: null where the program has none (an older xdpong). */
static json_object *rtt_json_of(const struct status *st)
{
	json_object *o;

	if (!st->max_prefixes)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "timed", json_object_new_boolean(st->rtt_timed));
	json_object_object_add(o, "egress_attached", json_object_new_boolean(st->rtt_egress));
	json_object_object_add(o, "timeout_s", json_object_new_double(st->cfg.rtt.timeout_ns / 1e9));
	json_object_object_add(o, "prefix_v4", json_object_new_int(st->cfg.rtt.prefix_v4));
	json_object_object_add(o, "prefix_v6", json_object_new_int(st->cfg.rtt.prefix_v6));
	json_object_object_add(o, "max_prefixes", json_object_new_int64(st->max_prefixes));
	json_object_object_add(o, "max_pending", json_object_new_int64(st->max_pending));
	return o;
}

static json_object *pingers_json_of(const struct status *st)
{
	json_object *o;

	if (!st->max_pinger_flows)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "enabled", json_object_new_boolean(st->cfg.flags & XDPONG_F_PINGERS));
	json_object_object_add(o, "max_flows", json_object_new_int64(st->max_pinger_flows));
	return o;
}

static json_object *status_json(const struct status *st)
{
	json_object *o = json_object_new_object(), *others = json_object_new_array();
	json_object *addrs = json_object_new_array();
	const struct xdpong_config *cfg = &st->cfg;
	int i;

#define ADD(k, v) json_object_object_add(o, k, v)
#define BOOL(v) json_object_new_boolean(v)
	ADD("ifname", json_object_new_string(st->ifname));
	ADD("ifindex", json_object_new_int(st->ifindex));
	ADD("mode", json_object_new_string(st->mode));
	ADD("prog_id", json_object_new_int64(st->prog_id));
	ADD("priority", st->alone ? NULL : json_object_new_int64(st->priority));
	ADD("dispatcher_id", st->alone ? NULL : json_object_new_int64(st->dispatcher_id));
	ADD("ttl", json_object_new_int(cfg->ttl));
	ADD("hop_limit", json_object_new_int(cfg->hop_limit));
	ADD("monitor_only", BOOL(cfg->flags & XDPONG_F_MONITOR_ONLY));
	ADD("echo_ignored_v4", BOOL(cfg->flags & XDPONG_F_IGNORE_V4));
	ADD("echo_ignored_v6", BOOL(cfg->flags & XDPONG_F_IGNORE_V6));
	ADD("kernel_ratelimit_v4", BOOL(cfg->flags & XDPONG_F_RATEMASK_V4));
	ADD("kernel_ratelimit_v6", BOOL(cfg->flags & XDPONG_F_RATEMASK_V6));
	ADD("ipv6_disabled", BOOL(cfg->dev.flags & XDPONG_L3_NO_IPV6));
	ADD("policy_routing", BOOL(cfg->flags & XDPONG_F_POLICY_ROUTING));
	ADD("ipsec_policy", BOOL(cfg->flags & XDPONG_F_IPSEC));
	ADD("in_step", BOOL(!(cfg->flags & XDPONG_F_NOT_IN_STEP)));
	ADD("ipv6_mtu", json_object_new_int64(cfg->dev.mtu6));
	ADD("link_local_onlink", BOOL(cfg->dev.flags & XDPONG_L3_LL_ONLINK));
	ADD("vlan_tag_unknown", BOOL(cfg->flags & XDPONG_F_VLAN_TAG_UNKNOWN));
	ADD("vlan_devices", json_object_new_int(st->n_vlans));
	ADD("limits", limits_json(cfg));
	ADD("rtt", rtt_json_of(st));
	ADD("pingers", pingers_json_of(st));
	for (i = 0; i < st->n_others; i++) {
		json_object *q = json_object_new_object();

		json_object_object_add(q, "name", json_object_new_string(st->others[i].name));
		json_object_object_add(q, "prog_id", json_object_new_int64(st->others[i].prog_id));
		json_object_object_add(q, "priority", json_object_new_int64(st->others[i].priority));
		json_object_array_add(others, q);
	}
	ADD("other_programs", others);
	for (i = 0; i < st->n_addrs; i++) {
		const struct status_addr *a = &st->addrs[i];
		json_object *q = json_object_new_object();

		json_object_object_add(q, "address", json_object_new_string(a->addr));
		if (*a->scope)
			json_object_object_add(q, "scope_ifname", json_object_new_string(a->scope));
		json_object_object_add(q, "configured", BOOL(a->configured));
		json_object_object_add(q, "broadcast", BOOL(a->broadcast));
		json_object_array_add(addrs, q);
	}
	ADD("addresses", addrs);
#undef BOOL
#undef ADD
	return o;
}

/* ---- Text ---- */
static void print_rtt_status(const struct status *st)
{
	const struct xdpong_config *cfg = &st->cfg;

	if (!st->max_prefixes) {
		printf("  ping telemetry: none in this xdpong (attached by an older version)\n");
		return;
	}
	if (st->rtt_timed)
		printf("  the host's pings: timed at egress, lost after %g s; a row per IPv4 /%u and "
		       "IPv6 /%u, %u rows at most, %u requests in flight\n", cfg->rtt.timeout_ns / 1e9,
		       cfg->rtt.prefix_v4, cfg->rtt.prefix_v6, st->max_prefixes, st->max_pending);
	else if (st->rtt_egress)
		printf("  the host's pings: not timed (the egress program is there, but its replies "
		       "are not matched)\n");
	else
		printf("  the host's pings: not timed (attached with --no-rtt, or the egress program "
		       "could not load or was removed)\n");
	if (!st->max_pinger_flows)
		return;
	if (cfg->flags & XDPONG_F_PINGERS)
		printf("  the pings answered: followed, %u flows at most\n", st->max_pinger_flows);
	else
		printf("  the pings answered: not followed (xdpong set IFACE --pingers on)\n");
}

static void status_print(const struct status *st)
{
	const struct xdpong_config *cfg = &st->cfg;
	int i;

	printf("%s: xdpong attached in %s mode, program id %u", st->ifname, st->mode, st->prog_id);
	if (st->alone)
		printf(", alone (without dispatcher)\n");
	else
		printf(", priority %u in libxdp dispatcher id %u\n", st->priority, st->dispatcher_id);
	printf("  replies: TTL %u, hop limit %u%s\n", cfg->ttl, cfg->hop_limit,
	       cfg->flags & XDPONG_F_MONITOR_ONLY ? "; monitor-only: answers nothing" : "");
	if (cfg->flags & (XDPONG_F_IGNORE_V4 | XDPONG_F_IGNORE_V6))
		printf("  the kernel ignores %s echo requests (echo_ignore_all): so does xdpong\n",
		       (cfg->flags & XDPONG_F_IGNORE_V4) && (cfg->flags & XDPONG_F_IGNORE_V6) ?
		       "IPv4 and IPv6" : cfg->flags & XDPONG_F_IGNORE_V4 ? "IPv4" : "IPv6");
	if (cfg->flags & (XDPONG_F_RATEMASK_V4 | XDPONG_F_RATEMASK_V6))
		printf("  the kernel rate-limits its %s echo replies (icmp_ratemask): those requests go to it\n",
		       (cfg->flags & XDPONG_F_RATEMASK_V4) && (cfg->flags & XDPONG_F_RATEMASK_V6) ?
		       "IPv4 and IPv6" : cfg->flags & XDPONG_F_RATEMASK_V4 ? "IPv4" : "IPv6");
	if (cfg->dev.flags & XDPONG_L3_NO_IPV6)
		printf("  disable_ipv6 is set here: IPv6 goes to the kernel, which drops it\n");
	if (cfg->flags & XDPONG_F_NOT_IN_STEP)
		printf("  not in step with the host (the last sync failed): every request goes to the "
		       "kernel until one succeeds\n");
	if (cfg->flags & XDPONG_F_POLICY_ROUTING)
		printf("  the host has ip rules beyond the defaults, or source-specific or TOS routes: "
		       "every request goes to the kernel\n");
	if (!(cfg->dev.flags & XDPONG_L3_LL_ONLINK))
		printf("  no on-link fe80::/64 route here: link-local sources go to the kernel\n");
	if (cfg->flags & XDPONG_F_IPSEC)
		printf("  the host has IPsec policies: every request goes to the kernel\n");
	if (st->n_vlans)
		printf("  VLAN devices: %d%s\n", st->n_vlans,
		       cfg->flags & XDPONG_F_VLAN_TAG_UNKNOWN ?
		       "; the NIC may strip their tags, so untagged requests go to the kernel" : "");
	printf("  limits: ");
	print_limits(cfg);
	print_rtt_status(st);
	for (i = 0; i < st->n_others; i++)
		printf("  beside: %s (program id %u, priority %u)\n", st->others[i].name,
		       st->others[i].prog_id, st->others[i].priority);
	printf("  answers for:\n");
	for (i = 0; i < st->n_addrs; i++) {
		const struct status_addr *a = &st->addrs[i];

		if (a->broadcast)
			continue;
		printf("    %s", a->addr);
		if (*a->scope)
			printf(" (on %s only)", a->scope);
		if (a->configured)
			printf(" (--address)");
		printf("\n");
	}
	for (i = 0; i < st->n_addrs; i++)
		if (st->addrs[i].broadcast)
			printf("  never answers for, nor from, broadcast %s\n", st->addrs[i].addr);
}

/* One attached interface: into the JSON list, or printed as text now. */
static void show(json_object *list, const char *iface, int ifindex, const struct attached *a)
{
	struct status st;
	int ret = status_read(iface, ifindex, a, &st);

	if (ret) {
		log_error("can't read the status of '%s': %s", iface, strerror(-ret));
		status_free(&st);
		return;
	}
	if (opts.json)
		json_object_array_add(list, status_json(&st));
	else
		status_print(&st);
	status_free(&st);
}

static int run(const char *iface, int ifindex)
{
	json_object *list = json_object_new_array();
	struct if_nameindex *ifs = NULL, *i;
	struct attached a;
	int ret = 0, shown = 0;

	if (iface) {
		if ((ret = attached_open(ifindex, iface, &a)))
			goto out;
		show(list, iface, ifindex, &a);
		shown++;
		attached_close(&a);
	} else {
		if ((ret = check_privileges()) || (ret = check_bpffs()))
			goto out;
		ifs = if_nameindex();
		for (i = ifs; i && i->if_index; i++) {
			if (attached_find(i->if_index, &a) == 0) {
				show(list, i->if_name, i->if_index, &a);
				shown++;
			}
			attached_close(&a);
		}
	}

	if (opts.json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "interfaces", json_object_get(list));
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else if (!shown) {
		printf("xdpong is not attached to any interface\n");
	}
out:
	if (ifs)
		if_freenameindex(ifs);
	json_object_put(list);
	return ret;
}

const struct command cmd_status = {
	.name = "status",
	.args = "[IFACE]",
	.summary = "show where xdpong is attached and what it answers for",
	.opts = status_opts,
	.run = run,
};
