// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_attach.c: `xdpong attach IFACE`. Loads the program through libxdp, so
 * that it runs in the dispatcher beside other libxdp programs, with its
 * config and address maps filled before the first packet can reach it.
 * The program stays attached when the command exits, as with xdp-loader;
 * so does the egress program that times the host's own pings (ping
 * telemetry, rtt_egress.c), unless --no-rtt.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "run.h"
#include "xdpong_icmp.h"
#include "xdpong.skel.h"

static const char *const mode_choices[] = { "native", "skb", NULL };
enum { MODE_NATIVE, MODE_SKB, MODE_UNSET };

static struct {
	int mode;
	unsigned int priority;
	struct addr_list addrs;
	bool monitor_only;
	struct str_list samples;
	struct limit_opts limits;
	unsigned int max_addrs;
	bool no_rtt;
	struct rtt_opts rtt;
	unsigned int rtt_prefixes;
	bool pingers;
	unsigned int pinger_flows;
} opts = { .mode = MODE_UNSET, .priority = XDPONG_DEFAULT_PRIO, .limits = LIMIT_OPTS_INIT,
	   .max_addrs = XDPONG_DEFAULT_MAX_ADDRS, .rtt = RTT_OPTS_INIT,
	   .rtt_prefixes = XDPONG_RTT_MAX_PREFIXES, .pinger_flows = XDPONG_MAX_PINGERS };

/* The largest tables one may ask for: a row of the prefix table is a
 * struct xdpong_rtt_stats (about 1 KB) per CPU, and rtt reads them all; a
 * flow about 150 bytes. */
#define RTT_PREFIXES_LIMIT 65536
#define PINGER_FLOWS_LIMIT 1048576

const struct opt attach_opts[] = {
	{ "mode", 'm', OPT_ENUM, &opts.mode, "native|skb",
	  "attach mode (default: native, or the mode of the libxdp dispatcher already there)",
	  mode_choices },
	{ "priority", 'p', OPT_UINT, &opts.priority, "N",
	  "run priority in the libxdp dispatcher, lower runs first (default 50)", NULL, 1000000 },
	{ "address", 'a', OPT_ADDR, &opts.addrs, "ADDR",
	  "also answer for ADDR, besides the host's own addresses (repeatable)" },
	{ "monitor-only", 'M', OPT_FLAG, &opts.monitor_only, NULL,
	  "classify and count only: answer nothing" },
	{ "sample", 's', OPT_STRING, &opts.samples, "TYPE=N",
	  "an event for 1 in N messages of TYPE, e.g. echo-request=100, icmp:13=1, "
	  "time-exceeded=0 (default: every error and redirect, nothing else; repeatable)" },
	{ "max-addrs", 'A', OPT_UINT, &opts.max_addrs, "N",
	  "room for N addresses of the host (default 16384)", NULL, XDPONG_MAX_ADDRS_LIMIT },
	LIMIT_OPT_ENTRIES(opts.limits),
	{ "no-rtt", 'N', OPT_FLAG, &opts.no_rtt, NULL,
	  "don't time the host's own pings (no egress program)" },
	RTT_OPT_ENTRIES(opts.rtt),
	{ "rtt-prefixes", 'P', OPT_UINT, &opts.rtt_prefixes, "N",
	  "room for N destination prefixes of round trips; the least recent go first "
	  "(default 256)", NULL, RTT_PREFIXES_LIMIT },
	{ "pingers", 'g', OPT_FLAG, &opts.pingers, NULL,
	  "follow the pings answered: rate, gaps, reordering, jitter per source" },
	{ "pinger-flows", 'F', OPT_UINT, &opts.pinger_flows, "N",
	  "follow up to N flows of pings answered; the least recent go first (default 16384)",
	  NULL, PINGER_FLOWS_LIMIT },
	{}
};

/* Events: every error and redirect by default, then each --sample TYPE=N. */
static int make_sampling(struct xdpong_config *cfg)
{
	int t;

	for (t = 0; t < 256; t++) {
		cfg->sample[XDPONG_FAM_ICMP - 1][t] = xdpong_icmp4_is_error(t);
		cfg->sample[XDPONG_FAM_ICMPV6 - 1][t] = xdpong_icmp6_is_error(t) ||
							t == XDPONG_ICMP6_ND_REDIRECT;
	}
	return sampling_apply(&opts.samples, cfg);
}

/* The config from the options; the host's part comes with the maps. */
int attach_make_config(struct xdpong_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->flags = opts.monitor_only ? XDPONG_F_MONITOR_ONLY : 0;
	/* XDPONG_F_RTT waits for the egress program: attach_iface() sets it. */
	if (opts.pingers)
		cfg->flags |= XDPONG_F_PINGERS;
	cfg->event_rate = XDPONG_DEFAULT_EVENT_RATE;
	limits_apply(&opts.limits, cfg);
	if (!opts.max_addrs) {
		log_error("--max-addrs must be at least 1");
		return EXIT_USAGE;
	}
	if (!opts.rtt_prefixes || !opts.pinger_flows) {
		log_error("--%s must be at least 1", opts.rtt_prefixes ? "pinger-flows" : "rtt-prefixes");
		return EXIT_USAGE;
	}
	if (rtt_opts_check(&opts.rtt))
		return EXIT_USAGE;
	/* Settings for round trips that won't be timed: a mistake, say so. */
	if (opts.no_rtt && rtt_opts_given(&opts.rtt)) {
		log_error("--no-rtt: the host's pings are not timed, so --rtt-timeout and "
		    "--rtt-prefix-v4/-v6 would do nothing; give one or the other");
		return EXIT_USAGE;
	}
	rtt_config_default(&cfg->rtt);
	rtt_opts_apply(&opts.rtt, cfg);
	return make_sampling(cfg);
}

/* Create a map like @map's, for bpf_map__reuse_fd() before the object loads. */
static int create_like(struct bpf_map *map)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = bpf_map__map_flags(map));

	return bpf_map_create(bpf_map__type(map), bpf_map__name(map), bpf_map__key_size(map),
			      bpf_map__value_size(map), bpf_map__max_entries(map), &opts);
}

/*
 * Fill the config, address and VLAN maps from the host before the program
 * exists, so that its first packet finds them ready. Returns 0 or an exit
 * code, having said what is wrong.
 */
static int prefill_maps(struct xdpong *skel, const char *iface, int ifindex,
			struct xdpong_config *cfg)
{
	struct host_maps m;
	struct sync_report rep;
	__u32 zero = 0;
	int ret;

	bpf_map__set_max_entries(skel->maps.XDPONG_MAP_ADDRS, 2 * opts.max_addrs);
	bpf_map__set_max_entries(skel->maps.XDPONG_MAP_RTT_PREFIX, opts.rtt_prefixes);
	bpf_map__set_max_entries(skel->maps.XDPONG_MAP_PINGERS, opts.pinger_flows);
	m.cfg_fd = create_like(skel->maps.XDPONG_MAP_CONFIG);
	m.addr_fd = create_like(skel->maps.XDPONG_MAP_ADDRS);
	m.vlan_fd = create_like(skel->maps.XDPONG_MAP_VLANS);
	m.route_fd = create_like(skel->maps.XDPONG_MAP_ROUTES);
	m.neigh_fd = create_like(skel->maps.XDPONG_MAP_NEIGH);
	if (m.cfg_fd < 0 || m.addr_fd < 0 || m.vlan_fd < 0 || m.route_fd < 0 || m.neigh_fd < 0 ||
	    bpf_map_update_elem(m.cfg_fd, &zero, cfg, BPF_ANY)) {
		ret = -errno;
		log_error("can't prepare the maps: %s", strerror(-ret));
		ret = ret == -EPERM ? EXIT_NOPERM : EXIT_FAIL;
		goto out;
	}
	ret = host_sync(iface, ifindex, &m, &opts.addrs, cfg, &rep);
	if (ret)
		goto out;
	if (bpf_map__reuse_fd(skel->maps.XDPONG_MAP_CONFIG, m.cfg_fd) ||
	    bpf_map__reuse_fd(skel->maps.XDPONG_MAP_ADDRS, m.addr_fd) ||
	    bpf_map__reuse_fd(skel->maps.XDPONG_MAP_VLANS, m.vlan_fd) ||
	    bpf_map__reuse_fd(skel->maps.XDPONG_MAP_ROUTES, m.route_fd) ||
	    bpf_map__reuse_fd(skel->maps.XDPONG_MAP_NEIGH, m.neigh_fd)) {
		log_error("can't prepare the maps: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
out:
	/* reuse_fd() keeps its own descriptors. */
	if (m.cfg_fd >= 0)
		close(m.cfg_fd);
	if (m.addr_fd >= 0)
		close(m.addr_fd);
	if (m.vlan_fd >= 0)
		close(m.vlan_fd);
	if (m.route_fd >= 0)
		close(m.route_fd);
	if (m.neigh_fd >= 0)
		close(m.neigh_fd);
	return ret;
}

/* Refuse what libxdp would refuse less clearly, and pick the mode. */
static int check_current(const char *iface, int ifindex, enum xdp_attach_mode *mode)
{
	struct attached a;
	int ret = attached_find(ifindex, &a);

	if (ret == 0) {
		log_error("xdpong is already attached to '%s' (program id %u, %s mode); "
		    "run 'xdpong detach %s' first", iface, xdp_program__id(a.prog),
		    mode_name(a.mode), iface);
		ret = EXIT_STATE;
	} else if (ret == -ENOENT && a.mp && xdp_multiprog__is_legacy(a.mp)) {
		struct xdp_program *p = xdp_multiprog__main_prog(a.mp);

		log_error("'%s' already has an XDP program attached without the libxdp "
		    "dispatcher (id %u, '%s'), so xdpong can't run beside it. Remove it "
		    "(ip link set dev %s xdp off), or load both through libxdp on a kernel "
		    "that supports its dispatcher",
		    iface, p ? xdp_program__id(p) : 0, p ? xdp_program__name(p) : "?", iface);
		ret = EXIT_STATE;
	} else if (ret == -ENOENT && a.mp) {
		enum xdp_attach_mode cur = xdp_multiprog__attach_mode(a.mp);

		ret = 0;
		if (opts.mode == MODE_UNSET) {
			*mode = cur;
		} else if (cur != *mode) {
			log_error("the libxdp dispatcher on '%s' runs in %s mode; attach with "
			    "--mode %s to run beside its programs", iface, mode_name(cur),
			    mode_name(cur));
			ret = EXIT_STATE;
		}
	} else if (ret == -ENOENT) {
		ret = 0;
	} else {
		log_error("can't read the XDP state of '%s': %s", iface, strerror(-ret));
		ret = EXIT_FAIL;
	}
	attached_close(&a);
	return ret;
}

static int explain_attach_error(int ret, const char *iface, enum xdp_attach_mode mode)
{
	char msg[256];

	if (ret == -EOPNOTSUPP && mode == XDP_MODE_NATIVE) {
		log_error("native mode is not supported by the driver of '%s'; try --mode skb", iface);
		return EXIT_ENV;
	}
	if (ret == -EPERM) {
		log_error("permission denied attaching to '%s': xdpong needs CAP_SYS_ADMIN, "
		    "CAP_BPF and CAP_NET_ADMIN", iface);
		return EXIT_NOPERM;
	}
	if (ret == -EEXIST || ret == -EBUSY) {
		log_error("another XDP program was attached to '%s' meanwhile; nothing changed", iface);
		return EXIT_STATE;
	}
	if (ret == -ERANGE || ret == -E2BIG) {
		log_error("the MTU of '%s' is too large for %s mode on this kernel", iface,
		    mode_name(mode));
		return EXIT_ENV;
	}
	libxdp_strerror(ret, msg, sizeof(msg));
	log_error("couldn't attach to '%s': %s%s", iface, msg, verbose ? "" : " (run with -v for details)");
	return EXIT_FAIL;
}

static void print_attached(const char *iface, int ifindex, struct xdp_program *prog,
			   const struct xdpong_config *cfg)
{
	double timeout_s = cfg->rtt.timeout_ns / 1e9;

	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	bool alone = libxdp_get_error(mp) || !mp || xdp_multiprog__is_legacy(mp);

	printf("xdpong attached to %s: %s mode, program id %u, ", iface,
	       mode_name(xdp_program__is_attached(prog, ifindex)), xdp_program__id(prog));
	if (alone)
		printf("alone (libxdp could not load its dispatcher: see -v)");
	else
		printf("priority %u in the libxdp dispatcher", xdp_program__run_prio(prog));
	if (cfg->flags & XDPONG_F_MONITOR_ONLY)
		printf("; monitor-only: answers nothing");
	else
		printf("; replies with TTL %u, hop limit %u", cfg->ttl, cfg->hop_limit);
	if (cfg->flags & XDPONG_F_RTT)
		printf("; round trips timed (lost after %g s)", timeout_s);
	else
		printf("; round trips not timed%s", opts.no_rtt ? " (--no-rtt)" : "");
	if (cfg->flags & XDPONG_F_PINGERS)
		printf("; pingers followed");
	printf("\n");
	if (!libxdp_get_error(mp))
		xdp_multiprog__close(mp);
}

/*
 * Attach the egress program that times the host's echo requests, then tell
 * the XDP program to match their replies (XDPONG_F_RTT, in @cfg too). The
 * responder works without it: a failure is a warning, and RTT stays off.
 */
static void start_rtt(struct xdpong *skel, const char *iface, int ifindex, __u32 prog_id,
		      struct xdpong_config *cfg)
{
	int fd = bpf_map__fd(skel->maps.XDPONG_MAP_CONFIG), ret;
	struct xdpong_config now;

	if (rtt_egress_start(iface, ifindex, prog_id, skel->obj)) {
		log_warning("'%s': the host's pings are not timed (RTT off); the responder works "
		    "without it", iface);
		return;
	}
	/* Read-modify-write: the map is the program's now, and the truth. */
	if ((ret = config_read(fd, &now)) == 0) {
		now.flags |= XDPONG_F_RTT;
		ret = config_write(fd, &now);
	}
	if (ret) {
		log_warning("'%s': can't turn round-trip matching on (%s): RTT off", iface,
		    strerror(-ret));
		rtt_egress_remove(prog_id);
		return;
	}
	*cfg = now;
}

int attach_iface(const char *iface, int ifindex)
{
	enum xdp_attach_mode mode = opts.mode == MODE_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE;
	struct xdp_program *prog = NULL;
	struct xdpong_config cfg;
	struct xdpong *skel = NULL;
	struct tx_errors *txf = NULL;
	int ret;

	/* 1. Check the environment and what is on the interface now. */
	if ((ret = attach_make_config(&cfg)) || (ret = check_privileges()) || (ret = check_bpffs()) ||
	    (ret = check_current(iface, ifindex, &mode)))
		return ret;

	/* 2. Open the object and fill the maps the program will use. */
	skel = xdpong__open();
	if (!skel) {
		log_error("can't open the BPF object: %s", strerror(errno));
		return EXIT_FAIL;
	}
	ret = prefill_maps(skel, iface, ifindex, &cfg);
	if (ret)
		goto out;

	/* 3. Let libxdp load it and attach it through its dispatcher. */
	prog = xdp_program__from_bpf_obj(skel->obj, NULL);
	ret = libxdp_get_error(prog);
	if (ret) {
		prog = NULL;
		log_error("can't use the BPF object with libxdp: %s", strerror(-ret));
		ret = EXIT_FAIL;
		goto out;
	}
	xdp_program__set_run_prio(prog, opts.priority);
	/* libbpf only turns SEC("xdp.frags") into a load flag at load time;
	 * tell libxdp now, so that it builds a frags-capable dispatcher. */
	xdp_program__set_xdp_frags_support(prog, true);
	/* Count failed transmits from the first reply on (tx_errors.c). */
	txf = tx_errors_start(iface, ifindex);
	ret = xdp_program__attach(prog, ifindex, mode, 0);
	if (ret) {
		ret = explain_attach_error(ret, iface, mode);
		goto out;
	}

	/* 4. Keep the tracer beside the program; time the host's pings. */
	if (txf)
		tx_errors_keep(txf, iface, xdp_program__id(prog));
	if (!opts.no_rtt)
		start_rtt(skel, iface, ifindex, xdp_program__id(prog), &cfg);
	print_attached(iface, ifindex, prog, &cfg);
	/* 5. Warn if replies can't go out, and say which firewall rules the
	 * answers bypass (monitor-only answers nothing). */
	warn_if_tx_unable(iface, ifindex, mode);
	if (!opts.monitor_only)
		firewall_warn(iface);
	ret = EXIT_OK;
out:
	tx_errors_close(txf);
	/* Closing our handles does not detach: libxdp has pinned the program. */
	xdp_program__close(prog);
	xdpong__destroy(skel);
	return ret;
}

/* For run, which adopts a program attached before: whether --no-rtt was given. */
bool attach_no_rtt(void)
{
	return opts.no_rtt;
}

/* For run, which adopts a program attached before: what the options asked. */
const struct addr_list *attach_addresses(void)
{
	return &opts.addrs;
}

bool attach_mode_asked(enum xdp_attach_mode *mode)
{
	*mode = opts.mode == MODE_SKB ? XDP_MODE_SKB : XDP_MODE_NATIVE;
	return opts.mode != MODE_UNSET;
}

const struct command cmd_attach = {
	.name = "attach",
	.args = "IFACE",
	.iface_required = true,
	.summary = "attach the responder to IFACE; it stays attached when xdpong exits",
	.opts = attach_opts,
	.run = attach_iface,
};
