// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_sync.c: `xdpong sync IFACE`: bring the program up to date with the
 * host once: its addresses, TTL, hop limit, MAC and echo sysctls. For hosts
 * without a long-running `xdpong track`.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* Shared with track: returns 0 or an exit code; *changed if anything did. */
int sync_once(const char *iface, const struct attached *a, int *added, int *removed,
	      bool *cfg_changed)
{
	struct xdpong_config old, cfg;
	int ret;

	ret = config_read(a->map_fd[MAP_CONFIG], &old);
	if (ret) {
		err("can't read the config of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	cfg = old;
	ret = config_from_host(iface, &cfg);
	if (ret)
		return ret;
	/* The addresses first: the generation bump below, written after,
	 * is what tells the program's per-CPU caches to forget. */
	ret = addrs_sync(a->map_fd[MAP_ADDRS], added, removed);
	if (ret) {
		err("can't sync the addresses of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	*cfg_changed = memcmp(&old, &cfg, sizeof(cfg)) != 0;
	if (*added || *removed)
		cfg.addr_gen++;
	if (memcmp(&old, &cfg, sizeof(cfg)) && (ret = config_write(a->map_fd[MAP_CONFIG], &cfg))) {
		err("can't write the config of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	return 0;
}

static int run(const char *iface, int ifindex)
{
	struct attached a;
	int ret, added, removed;
	bool changed;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	ret = sync_once(iface, &a, &added, &removed, &changed);
	attached_close(&a);
	if (!ret)
		printf("%s: %d addresses added, %d removed; config %s\n", iface, added, removed,
		       changed ? "updated" : "unchanged");
	return ret;
}

const struct command cmd_sync = {
	.name = "sync",
	.args = "IFACE",
	.iface_required = true,
	.summary = "update addresses, TTL, hop limit and echo sysctls from the host, once",
	.opts = (const struct opt[]){ {} },
	.run = run,
};
