// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_track.c: `xdpong track IFACE`: a long-running process that keeps the
 * program up to date: it listens for link, address, route,
 * rule and neighbour changes on netlink (through libmnl) and resyncs at once, and reads
 * the TTL, hop limit and echo sysctls every second (sysctls have no change
 * notification). It ends on Ctrl-C or SIGTERM, or when xdpong is detached;
 * the program keeps answering either way. A sync that fails sends every
 * request to the kernel (sync.c) and is tried again each interval. It follows the interface by its
 * index: a renamed interface is tracked under its new name.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include "cli.h"

static struct {
	double interval;
} opts = { .interval = 1.0 };

static const struct opt track_opts[] = {
	{ "interval", 'i', OPT_SECONDS, &opts.interval, "S",
	  "seconds between sysctl checks (default 1)", NULL, 3600 },
	{}
};

static void stamp(void)
{
	char buf[16];
	time_t t = time(NULL);

	strftime(buf, sizeof(buf), "%H:%M:%S", localtime(&t));
	printf("%s ", buf);
}

static int run(const char *iface, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = NULL;
	char old_name[IF_NAMESIZE];
	struct sync_report rep;
	struct attached a;
	struct follow f;
	bool failing;
	int ret;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	if ((ret = follow_init(&f, ifindex, iface, xdp_program__id(a.prog)))) {
		log_error("can't query the XDP programs of '%s': %s", iface, strerror(-ret));
		attached_close(&a);
		return EXIT_FAIL;
	}
	iface = f.name;

	/* Subscribe before the first sync, so that no change falls between. */
	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!nl || mnl_socket_bind(nl, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_LINK |
				   RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_NEIGH |
				   RTMGRP_IPV4_RULE, MNL_SOCKET_AUTOPID) < 0 ||
	    /* IPv6 rules have no legacy group bit. */
	    mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &(int){ RTNLGRP_IPV6_RULE },
				  sizeof(int)) < 0) {
		log_error("can't listen to address changes: %s", strerror(errno));
		ret = EXIT_FAIL;
		goto out;
	}
	catch_stop_signals();
	failing = sync_once(iface, ifindex, &a, &rep) != 0;
	stamp();
	if (failing)
		printf("tracking %s: not in step with the host (above): tried again every %g s and "
		       "at each change\n", iface, opts.interval);
	else
		printf("tracking %s: %d addresses added, %d removed; config %s\n", iface,
		       rep.addrs.added, rep.addrs.removed, rep.cfg_changed ? "updated" : "unchanged");
	fflush(stdout);

	while (!stop_requested) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
		bool dirty = false;
		int n = poll(&pfd, 1, opts.interval * 1000);

		if (n < 0 && errno != EINTR) {
			log_error("poll: %s", strerror(errno));
			ret = EXIT_FAIL;
			break;
		}
		/* Any address message: resync from a fresh dump, which is
		 * simpler and surer than applying each message. */
		while (mnl_socket_recvfrom(nl, buf, sizeof(buf)) > 0)
			dirty = true;
		if (stop_requested)
			break;
		ret = follow_check(&f, old_name);
		if (ret == FOLLOW_RENAMED) {
			stamp();
			printf("%s is now called %s; tracking it under its new name\n", old_name, iface);
			fflush(stdout);
		} else if (ret == -ENODEV || ret == -ENOENT) {
			stamp();
			if (ret == -ENODEV)
				printf("%s is gone; stopping\n", iface);
			else
				printf("xdpong is no longer attached to %s; stopping\n", iface);
			ret = EXIT_OK;
			break;
		} else if (ret) {
			log_error("can't query the XDP programs of '%s': %s", iface, strerror(-ret));
		}
		/* A failed sync has sent every request to the kernel
		 * (not-in-step): try again until one succeeds. */
		log_quiet = failing; /* its reasons were said at its first failure */
		ret = sync_once(iface, ifindex, &a, &rep);
		log_quiet = false;
		if (ret) {
			if (!failing) {
				stamp();
				printf("%s: not in step with the host (above): tried again every %g s "
				       "and at each change\n", iface, opts.interval);
				fflush(stdout);
			}
			failing = true;
			continue;
		}
		if (failing) {
			stamp();
			printf("%s: in step with the host again\n", iface);
			fflush(stdout);
			failing = false;
			continue;
		}
		/* Neighbours come and go all day: said only with -v. */
		if (rep.addrs.added || rep.addrs.removed || rep.addrs.routes_changed ||
		    rep.vlans.added || rep.vlans.removed ||
		    (rep.cfg_changed && !rep.neighs_changed) || (verbose && rep.neighs_changed)) {
			stamp();
			printf("%s: %d addresses added, %d removed; %d route changes; %d neighbour "
			       "changes; %d VLAN devices added or changed, %d removed; config %s%s\n",
			       iface, rep.addrs.added, rep.addrs.removed, rep.addrs.routes_changed,
			       rep.neighs_changed, rep.vlans.added, rep.vlans.removed,
			       rep.cfg_changed ? "updated" : "unchanged",
			       dirty ? " (netlink change)" : "");
			fflush(stdout);
		}
	}
out:
	if (nl)
		mnl_socket_close(nl);
	attached_close(&a);
	return ret;
}

const struct command cmd_track = {
	.name = "track",
	.args = "IFACE",
	.iface_required = true,
	.summary = "keep addresses and sysctls in step with the host, until stopped",
	.opts = track_opts,
	.run = run,
};
