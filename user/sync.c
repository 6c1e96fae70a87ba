// SPDX-License-Identifier: GPL-2.0
/*
 * sync.c: bring the program's config and its address, route, neighbour and
 * VLAN maps to the host's state, for attach (on maps not yet in use), sync
 * and track.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"


/* Set @flag of @cfg as @on says; true when it starts to hold, the one time
 * its warning is said. */
static bool host_flag(struct xdpong_config *cfg, const struct xdpong_config *before,
		      __u32 flag, bool on)
{
	cfg->flags = on ? cfg->flags | flag : cfg->flags & ~flag;
	return on && !(before->flags & flag);
}

/*
 * A sync that failed leaves the maps as the last good one made them, or
 * part way: the host may since have dropped an address, a route or a
 * sysctl's consent (a Router Advertisement flood that grows the routing
 * table past the route map is enough), and answering by them would answer
 * what the kernel no longer does. So every request goes to the kernel
 * (not-in-step) until a sync succeeds; the rest of the config stays as it
 * was. A sync that changed neighbours before failing says so too
 * (neigh_gen), or the per-CPU cache could keep a MAC the map no longer has.
 */
static void fail_closed(const char *iface, int cfg_fd, bool neighs_changed)
{
	struct xdpong_config now;
	int ret = config_read(cfg_fd, &now);

	if (!ret) {
		if (!(now.flags & XDPONG_F_NOT_IN_STEP))
			log_warning("'%s' is not in step with the host: requests go to the kernel "
			    "(not-in-step) until a sync succeeds", iface);
		now.flags |= XDPONG_F_NOT_IN_STEP;
		if (neighs_changed)
			now.neigh_gen++;
		ret = config_write(cfg_fd, &now);
	}
	if (ret)
		log_error("can't tell the program of '%s' that it is not in step: %s", iface,
		    strerror(-ret));
}

int host_sync(const char *iface, int ifindex, const struct host_maps *m,
	      const struct addr_list *extra, struct xdpong_config *cfg,
	      struct sync_report *rep)
{
	struct xdpong_config before = *cfg;
	struct host_view h;
	int ret;

	memset(rep, 0, sizeof(*rep));
	memset(&h, 0, sizeof(h));
	ret = config_from_host(iface, cfg);
	if (ret)
		goto out;
	ret = host_read(&h);
	if (ret) {
		log_error("can't read the links and addresses of this network namespace: %s",
		    strerror(-ret));
		ret = EXIT_FAIL;
		goto out;
	}
	/* In step again, if this sync gets to the end. */
	cfg->flags &= ~XDPONG_F_NOT_IN_STEP;
	host_l3dev(&h, ifindex, ifindex, &cfg->dev);
	if (host_flag(cfg, &before, XDPONG_F_VLAN_TAG_UNKNOWN,
		      vlans_any(&h, ifindex) && host_strips_vlan_tags(iface)))
		log_warning("'%s' has VLAN devices and may strip their tags (rx-vlan-offload), which XDP "
		     "can't read here: untagged requests go to the kernel (vlan-tag-unknown). "
		     "'ethtool -K %s rxvlan off' brings them back", iface, iface);
	if (host_flag(cfg, &before, XDPONG_F_POLICY_ROUTING, h.custom_rules))
		log_warning("this host has ip rules beyond the defaults, or source-specific or TOS "
		     "routes (policy routing): where the kernel sends a reply can't be known in XDP, "
		     "so requests go to the kernel (policy-routing)");
	if (host_flag(cfg, &before, XDPONG_F_IPSEC, h.ipsec))
		log_warning("this host has IPsec policies (ip xfrm policy): which plaintext requests "
		     "the kernel drops, and which replies it encrypts, can't be known in XDP, so "
		     "requests go to the kernel (ipsec-policy)");

	ret = neigh_update(m->neigh_fd, &h, &rep->neighs_changed);
	if (ret) {
		log_error("can't update the neighbours of '%s': %s", iface, strerror(-ret));
		ret = EXIT_FAIL;
		goto out;
	}
	if (rep->neighs_changed)
		cfg->neigh_gen++;
	ret = vlans_update(m->vlan_fd, &h, ifindex, &rep->vlans);
	if (ret) {
		log_error("can't update the VLAN devices of '%s': %s", iface, strerror(-ret));
		ret = EXIT_FAIL;
		goto out;
	}
	/* Writes the config too if the addresses changed. */
	ret = addrs_update(m->addr_fd, m->route_fd, m->cfg_fd, &h, ifindex, extra, cfg,
			   &rep->addrs);
	if (ret) {
		if (ret != -E2BIG)
			log_error("can't update the addresses of '%s': %s", iface, strerror(-ret));
		ret = EXIT_FAIL;
		goto out;
	}
	rep->cfg_changed = memcmp(&before, cfg, sizeof(*cfg)) != 0;
	if (!rep->addrs.added && !rep->addrs.removed && !rep->addrs.routes_changed &&
	    rep->cfg_changed &&
	    (ret = config_write(m->cfg_fd, cfg))) {
		log_error("can't write the config of '%s': %s", iface, strerror(-ret));
		ret = EXIT_FAIL;
	}
out:
	if (ret)
		fail_closed(iface, m->cfg_fd, rep->neighs_changed);
	host_free(&h);
	return ret;
}
