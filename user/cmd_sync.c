// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_sync.c: `xdpong sync IFACE`: bring the program up to date with the
 * host once: its addresses, TTL, hop limit, MAC and echo sysctls. For hosts
 * without a long-running `xdpong track`.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* Shared with track: returns 0 or an exit code. */
int sync_once(const char *iface, int ifindex, const struct attached *a,
	      struct sync_report *rep)
{
	struct host_maps m = {
		.cfg_fd = a->map_fd[MAP_CONFIG],
		.addr_fd = a->map_fd[MAP_ADDRS],
		.vlan_fd = a->map_fd[MAP_VLANS],
		.route_fd = a->map_fd[MAP_ROUTES],
		.neigh_fd = a->map_fd[MAP_NEIGH],
	};
	struct xdpong_config cfg;
	int ret;

	ret = config_read(m.cfg_fd, &cfg);
	if (ret) {
		log_error("can't read the config of '%s': %s", iface, strerror(-ret));
		return EXIT_FAIL;
	}
	return host_sync(iface, ifindex, &m, NULL, &cfg, rep);
}

static int run(const char *iface, int ifindex)
{
	struct sync_report rep;
	struct attached a;
	int ret;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	ret = sync_once(iface, ifindex, &a, &rep);
	attached_close(&a);
	if (!ret)
		printf("%s: %d addresses added, %d removed; %d route changes; %d neighbour "
		       "changes; %d VLAN devices added or changed, %d removed; config %s\n",
		       iface, rep.addrs.added, rep.addrs.removed, rep.addrs.routes_changed,
		       rep.neighs_changed, rep.vlans.added, rep.vlans.removed,
		       rep.cfg_changed ? "updated" : "unchanged");
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
