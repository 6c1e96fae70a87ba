// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set.c: `xdpong set IFACE [--rate N] [--burst N] [--src-rate N]
 * [--src-burst N] [--over-limit pass|drop] [--event-rate N]`: change the
 * limits of an attached program at once, without reattaching.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static struct {
	struct limit_opts limits;
} opts = { .limits = LIMIT_OPTS_INIT };

static const struct opt set_opts[] = {
	LIMIT_OPT_ENTRIES(opts.limits),
	{}
};

static int run(const char *iface, int ifindex)
{
	static const struct limit_opts unset = LIMIT_OPTS_INIT;
	struct xdpong_config cfg;
	struct attached a;
	int ret;

	if (!memcmp(&opts.limits, &unset, sizeof(unset))) {
		log_error("set: nothing to set; see 'xdpong set --help'");
		return EXIT_USAGE;
	}
	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	ret = config_read(a.map_fd[MAP_CONFIG], &cfg);
	if (!ret) {
		limits_apply(&opts.limits, &cfg);
		ret = config_write(a.map_fd[MAP_CONFIG], &cfg);
	}
	attached_close(&a);
	if (ret) {
		log_error("can't change the config of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	printf("%s: ", iface);
	print_limits(&cfg);
	return EXIT_OK;
}

const struct command cmd_set = {
	.name = "set",
	.args = "IFACE",
	.iface_required = true,
	.summary = "change rate limits and the event cap while attached",
	.opts = set_opts,
	.run = run,
};
