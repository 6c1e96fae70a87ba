// SPDX-License-Identifier: GPL-2.0
/*
 * tx_peer.c: at attach, warn when the interface can't transmit XDP_TX frames
 * at all, so that every reply would be lost.
 *
 * The case there is: a veth in native mode whose peer has no native XDP
 * program. veth hands XDP_TX frames to the peer's NAPI ring, which exists
 * only while the peer has an XDP program (xdp:xdp_bulk_tx then reports them
 * dropped with -ENXIO) or GRO on; with GRO alone the kernel doesn't wake the
 * peer for them (veth_xdp_flush() checks for its XDP program), so they wait
 * in the ring for unrelated traffic. The device's xdp-features
 * (NETDEV_XDP_ACT_NDO_XMIT) can't tell these apart: GRO sets them too. So we
 * ask rtnetlink for the peer (IFLA_LINK, in the namespace IFLA_LINK_NETNSID
 * names) and whether a driver-mode program is on it (IFLA_XDP_DRV_PROG_ID).
 * In skb mode XDP_TX goes through the stack's own transmit path, which needs
 * nothing of the peer. Other drivers that take a native program do XDP_TX
 * (NETDEV_XDP_ACT_BASIC) whatever their neighbours do.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "cli.h"

struct link {
	char name[IFNAMSIZ];
	char kind[16];         /* IFLA_INFO_KIND: "veth", ... */
	__u32 peer;            /* IFLA_LINK: the peer's ifindex ... */
	int peer_netnsid;      /* ... in this namespace (-1), or another */
	__u32 drv_prog_id;     /* a native XDP program, or 0 */
};

static int parse_info(const struct nlattr *a, void *data)
{
	struct link *l = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND && !mnl_attr_validate(a, MNL_TYPE_STRING))
		snprintf(l->kind, sizeof(l->kind), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int parse_xdp(const struct nlattr *a, void *data)
{
	struct link *l = data;

	if (mnl_attr_get_type(a) == IFLA_XDP_DRV_PROG_ID && !mnl_attr_validate(a, MNL_TYPE_U32))
		l->drv_prog_id = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int parse_link_attr(const struct nlattr *a, void *data)
{
	struct link *l = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (!mnl_attr_validate(a, MNL_TYPE_STRING))
			snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_LINK:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			l->peer = mnl_attr_get_u32(a);
		break;
	case IFLA_LINK_NETNSID:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			l->peer_netnsid = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, parse_info, l);
		break;
	case IFLA_XDP:
		mnl_attr_parse_nested(a, parse_xdp, l);
		break;
	}
	return MNL_CB_OK;
}

static int parse_link(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct ifinfomsg), parse_link_attr, data);
}

/* RTM_GETLINK ifindex, in the namespace netnsid names (-1: ours). */
static int get_link(struct mnl_socket *nl, int ifindex, int netnsid, struct link *l)
{
	static char buf[16384]; /* a link message with its stats is a few KB */
	unsigned int seq = time(NULL), portid = mnl_socket_get_portid(nl);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int n;

	memset(l, 0, sizeof(*l));
	l->peer_netnsid = -1;
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (netnsid >= 0)
		mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, netnsid);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	return mnl_cb_run(buf, n, seq, portid, parse_link, l) < 0 ? -errno : 0;
}

void warn_if_tx_unable(const char *iface, int ifindex, enum xdp_attach_mode mode)
{
	struct mnl_socket *nl;
	struct link self, peer;

	if (mode != XDP_MODE_NATIVE)
		return;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return;
	/* Anything we can't find out is no reason to warn. */
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    get_link(nl, ifindex, -1, &self) || strcmp(self.kind, "veth") || !self.peer ||
	    get_link(nl, self.peer, self.peer_netnsid, &peer) || peer.drv_prog_id)
		goto out;
	log_error("warning: '%s' is a veth whose peer '%s'%s has no XDP program: veth hands XDP_TX "
	    "frames only to a peer with one, so replies will be lost (counted in tx_failed). "
	    "Attach an XDP program to '%s' (one that returns XDP_PASS will do), or attach "
	    "xdpong with --mode skb", iface, peer.name,
	    self.peer_netnsid >= 0 ? " (in another network namespace)" : "", peer.name);
out:
	mnl_socket_close(nl);
}
