// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set.c: `xdpong set IFACE [--rate N] [--burst N] [--src-rate N]
 * [--src-burst N] [--over-limit pass|drop] [--event-rate N] [--rtt-timeout S]
 * [--rtt-prefix-v4 N] [--rtt-prefix-v6 N] [--pingers on|off] [--sample TYPE=N]`:
 * change the
 * limits and ping telemetry of an attached program at once, without
 * reattaching. The config is read, changed and written back in one update:
 * what was not asked for stays as it was.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char *const on_off_choices[] = { "off", "on", NULL };

static struct {
	struct limit_opts limits;
	struct rtt_opts rtt;
	int pingers;              /* -1 unset, 0 off, 1 on */
	struct str_list samples;
} opts = { .limits = LIMIT_OPTS_INIT, .rtt = RTT_OPTS_INIT, .pingers = -1 };

static const struct opt set_opts[] = {
	LIMIT_OPT_ENTRIES(opts.limits),
	RTT_OPT_ENTRIES(opts.rtt),
	{ "pingers", 'g', OPT_ENUM, &opts.pingers, "on|off",
	  "follow the pings answered, or stop (the flows followed stay until pushed out)",
	  on_off_choices },
	{ "sample", 's', OPT_STRING, &opts.samples, "TYPE=N",
	  "an event for 1 in N messages of TYPE from now on, e.g. echo-reply=1 (0: none; "
	  "repeatable; the types not named keep their sampling)" },
	{}
};

/* What the program must have for the options given: an older xdpong's
 * config has no room for ping telemetry. 0, or an exit code, said. */
static int check_program(const char *iface, const struct attached *a)
{
	if (rtt_opts_given(&opts.rtt) && a->map_fd[MAP_RTT_TOTAL] < 0) {
		log_error("the xdpong on '%s' has no ping telemetry (attached by an older xdpong); "
		    "detach it and attach again", iface);
		return EXIT_STATE;
	}
	if (opts.pingers == 1 && a->map_fd[MAP_PINGERS] < 0) {
		log_error("the xdpong on '%s' can't follow pingers (attached by an older xdpong); "
		    "detach it and attach again", iface);
		return EXIT_STATE;
	}
	return 0;
}

static int run(const char *iface, int ifindex)
{
	static const struct limit_opts unset = LIMIT_OPTS_INIT;
	bool limits = memcmp(&opts.limits, &unset, sizeof(unset)) != 0;
	bool rtt = rtt_opts_given(&opts.rtt) || opts.pingers >= 0;
	struct xdpong_config cfg;
	struct attached a;
	int ret;

	if (!limits && !rtt && !opts.samples.n) {
		log_error("set: nothing to set; see 'xdpong set --help'");
		return EXIT_USAGE;
	}
	if ((ret = rtt_opts_check(&opts.rtt)))
		return ret;
	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	if ((ret = check_program(iface, &a))) {
		attached_close(&a);
		return ret;
	}
	ret = config_read(a.map_fd[MAP_CONFIG], &cfg);
	if (!ret) {
		limits_apply(&opts.limits, &cfg);
		rtt_opts_apply(&opts.rtt, &cfg);
		/* A bad TYPE=N: said, and nothing written. */
		if ((ret = sampling_apply(&opts.samples, &cfg))) {
			attached_close(&a);
			return ret;
		}
		if (opts.pingers == 1)
			cfg.flags |= XDPONG_F_PINGERS;
		else if (opts.pingers == 0)
			cfg.flags &= ~XDPONG_F_PINGERS;
		ret = config_write(a.map_fd[MAP_CONFIG], &cfg);
	}
	attached_close(&a);
	if (ret) {
		log_error("can't change the config of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	if (limits) {
		printf("%s: ", iface);
		print_limits(&cfg);
	}
	if (rtt) {
		printf("%s: ping telemetry: ", iface);
		print_rtt_settings(&cfg);
	}
	if (opts.samples.n)
		printf("%s: sampling changed for the %d type%s named\n", iface, opts.samples.n,
		       opts.samples.n == 1 ? "" : "s");
	return EXIT_OK;
}

const struct command cmd_set = {
	.name = "set",
	.args = "IFACE",
	.iface_required = true,
	.summary = "change rate limits, the event cap and ping telemetry while attached",
	.opts = set_opts,
	.run = run,
};
