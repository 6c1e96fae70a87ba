// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_status.c: `xdpong status [IFACE] [--json]`: where xdpong is attached,
 * in which mode, beside which programs, and the addresses it answers for.
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

static unsigned long long per_sec(__u64 interval_ns)
{
	return interval_ns ? 1000000000ULL / interval_ns : 0;
}

static unsigned long long burst_of(__u64 interval_ns, __u64 tolerance_ns)
{
	return interval_ns ? tolerance_ns / interval_ns + 1 : 0;
}

void print_limits(const struct xdpong_config *cfg)
{
	if (cfg->rate_interval_ns)
		printf("at most %llu replies/s (burst %llu) in all", per_sec(cfg->rate_interval_ns),
		       burst_of(cfg->rate_interval_ns, cfg->rate_tolerance_ns));
	else
		printf("no global rate limit");
	if (cfg->src_interval_ns)
		printf(", %llu/s (burst %llu) per source", per_sec(cfg->src_interval_ns),
		       burst_of(cfg->src_interval_ns, cfg->src_tolerance_ns));
	else
		printf(", no per-source limit");
	if (cfg->rate_interval_ns || cfg->src_interval_ns)
		printf("; over a limit: %s", cfg->flags & XDPONG_F_OVER_LIMIT_DROP ? "drop" : "pass");
	printf("; events: at most %u/s\n", cfg->event_rate);
}

static json_object *limits_json(const struct xdpong_config *cfg)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "rate", json_object_new_int64(per_sec(cfg->rate_interval_ns)));
	json_object_object_add(o, "burst", json_object_new_int64(
		burst_of(cfg->rate_interval_ns, cfg->rate_tolerance_ns)));
	json_object_object_add(o, "src_rate", json_object_new_int64(per_sec(cfg->src_interval_ns)));
	json_object_object_add(o, "src_burst", json_object_new_int64(
		burst_of(cfg->src_interval_ns, cfg->src_tolerance_ns)));
	json_object_object_add(o, "over_limit", json_object_new_string(
		cfg->flags & XDPONG_F_OVER_LIMIT_DROP ? "drop" : "pass"));
	json_object_object_add(o, "event_rate", json_object_new_int64(cfg->event_rate));
	return o;
}

/* The addresses of the set in use that are answered for, or broadcast. */
static json_object *addresses_json(int fd, __u32 set)
{
	json_object *arr = json_object_new_array();
	struct xdpong_local_key key, next, *prev = NULL;
	struct xdpong_addr_val val;
	char buf[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE];

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		json_object *o;

		key = next;
		prev = &key;
		if (key.set != set || bpf_map_lookup_elem(fd, &key, &val) ||
		    (val.flags & XDPONG_ADDR_SOURCE_ONLY))
			continue;
		addr_format(&key.a, buf, sizeof(buf));
		o = json_object_new_object();
		json_object_object_add(o, "address", json_object_new_string(buf));
		if (key.ifindex && if_indextoname(key.ifindex, ifname))
			json_object_object_add(o, "scope_ifname", json_object_new_string(ifname));
		json_object_object_add(o, "configured",
				       json_object_new_boolean(val.flags & XDPONG_ADDR_CONFIGURED));
		json_object_object_add(o, "broadcast",
				       json_object_new_boolean(val.flags & XDPONG_ADDR_BROADCAST));
		json_object_array_add(arr, o);
	}
	return arr;
}

static int cmp_addr(const void *a, const void *b)
{
	json_object *x = json_object_object_get(*(json_object *const *)a, "address");
	json_object *y = json_object_object_get(*(json_object *const *)b, "address");

	return strcmp(json_object_get_string(x), json_object_get_string(y));
}

static json_object *status_json(const char *iface, int ifindex, const struct attached *a)
{
	json_object *o = json_object_new_object(), *others = json_object_new_array();
	struct xdp_program *main_prog = xdp_multiprog__main_prog(a->mp), *p;
	struct xdpong_config cfg = {};
	__u32 zero = 0;
	json_object *addrs;

	bpf_map_lookup_elem(a->map_fd[MAP_CONFIG], &zero, &cfg);
	json_object_object_add(o, "ifname", json_object_new_string(iface));
	json_object_object_add(o, "ifindex", json_object_new_int(ifindex));
	json_object_object_add(o, "mode", json_object_new_string(mode_name(a->mode)));
	json_object_object_add(o, "prog_id", json_object_new_int64(xdp_program__id(a->prog)));
	/* The run priority orders the dispatcher's programs; alone, there is none. */
	if (xdp_multiprog__is_legacy(a->mp)) {
		json_object_object_add(o, "priority", NULL);
		json_object_object_add(o, "dispatcher_id", NULL);
	} else {
		json_object_object_add(o, "priority",
				       json_object_new_int64(xdp_program__run_prio(a->prog)));
		json_object_object_add(o, "dispatcher_id",
				       json_object_new_int64(xdp_program__id(main_prog)));
	}
	json_object_object_add(o, "ttl", json_object_new_int(cfg.ttl));
	json_object_object_add(o, "hop_limit", json_object_new_int(cfg.hop_limit));
	json_object_object_add(o, "monitor_only",
			       json_object_new_boolean(cfg.flags & XDPONG_F_MONITOR_ONLY));
	json_object_object_add(o, "echo_ignored_v4",
			       json_object_new_boolean(cfg.flags & XDPONG_F_IGNORE_V4));
	json_object_object_add(o, "echo_ignored_v6",
			       json_object_new_boolean(cfg.flags & XDPONG_F_IGNORE_V6));
	json_object_object_add(o, "limits", limits_json(&cfg));
	for (p = xdp_multiprog__next_prog(NULL, a->mp); p; p = xdp_multiprog__next_prog(p, a->mp)) {
		json_object *q;

		if (p == a->prog)
			continue;
		q = json_object_new_object();
		json_object_object_add(q, "name", json_object_new_string(xdp_program__name(p)));
		json_object_object_add(q, "prog_id", json_object_new_int64(xdp_program__id(p)));
		json_object_object_add(q, "priority", json_object_new_int64(xdp_program__run_prio(p)));
		json_object_array_add(others, q);
	}
	json_object_object_add(o, "other_programs", others);
	addrs = addresses_json(a->map_fd[MAP_ADDRS], cfg.addr_gen & 1);
	json_object_array_sort(addrs, cmp_addr);
	json_object_object_add(o, "addresses", addrs);
	return o;
}

static void print_text(json_object *st, const struct xdpong_config *cfg)
{
	json_object *others = json_object_object_get(st, "other_programs");
	json_object *addrs = json_object_object_get(st, "addresses");
	json_object *disp = json_object_object_get(st, "dispatcher_id");
	size_t i;

#define S(k) json_object_get_string(json_object_object_get(st, k))
	printf("%s: xdpong attached in %s mode, program id %s", S("ifname"), S("mode"),
	       S("prog_id"));
	if (disp)
		printf(", priority %s in libxdp dispatcher id %s\n", S("priority"),
		       json_object_get_string(disp));
	else
		printf(", alone (without dispatcher)\n");
	printf("  replies: TTL %s, hop limit %s%s\n", S("ttl"), S("hop_limit"),
	       json_object_get_boolean(json_object_object_get(st, "monitor_only")) ?
	       "; monitor-only: answers nothing" : "");
#undef S
	if (cfg->flags & (XDPONG_F_IGNORE_V4 | XDPONG_F_IGNORE_V6))
		printf("  the kernel ignores %s echo requests (echo_ignore_all): so does xdpong\n",
		       (cfg->flags & XDPONG_F_IGNORE_V4) && (cfg->flags & XDPONG_F_IGNORE_V6) ?
		       "IPv4 and IPv6" : cfg->flags & XDPONG_F_IGNORE_V4 ? "IPv4" : "IPv6");
	printf("  limits: ");
	print_limits(cfg);
	for (i = 0; i < json_object_array_length(others); i++) {
		json_object *q = json_object_array_get_idx(others, i);

		printf("  beside: %s (program id %s, priority %s)\n",
		       json_object_get_string(json_object_object_get(q, "name")),
		       json_object_get_string(json_object_object_get(q, "prog_id")),
		       json_object_get_string(json_object_object_get(q, "priority")));
	}
	printf("  answers for:\n");
	for (i = 0; i < json_object_array_length(addrs); i++) {
		json_object *q = json_object_array_get_idx(addrs, i), *scope;

		if (json_object_get_boolean(json_object_object_get(q, "broadcast")))
			continue;
		printf("    %s", json_object_get_string(json_object_object_get(q, "address")));
		if ((scope = json_object_object_get(q, "scope_ifname")))
			printf(" (on %s only)", json_object_get_string(scope));
		if (json_object_get_boolean(json_object_object_get(q, "configured")))
			printf(" (--address)");
		printf("\n");
	}
	for (i = 0; i < json_object_array_length(addrs); i++) {
		json_object *q = json_object_array_get_idx(addrs, i);

		if (json_object_get_boolean(json_object_object_get(q, "broadcast")))
			printf("  never answers for, nor from, broadcast %s\n",
			       json_object_get_string(json_object_object_get(q, "address")));
	}
}

/* One attached interface: into the JSON list, or printed as text now. */
static void show(json_object *list, const char *iface, int ifindex, const struct attached *a)
{
	json_object *st = status_json(iface, ifindex, a);
	struct xdpong_config cfg = {};

	if (opts.json) {
		json_object_array_add(list, st);
		return;
	}
	config_read(a->map_fd[MAP_CONFIG], &cfg);
	print_text(st, &cfg);
	json_object_put(st);
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
