// SPDX-License-Identifier: GPL-2.0
/*
 * host.c: what the kernel of this network namespace knows about where it
 * takes packets: its links (up or down, VRF and other masters, VLAN devices
 * and their tags) and its addresses, read with RTM_GETLINK and RTM_GETADDR
 * dumps through libmnl, and the per-device sysctls that decide delivery
 * (disable_ipv6, rp_filter). addrs.c and vlans.c turn this into maps.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <libmnl/libmnl.h>
#include "cli.h"

static int push(void **arr, int *n, int *cap, size_t size)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 64;
		void *p = realloc(*arr, ncap * size);

		if (!p)
			return -ENOMEM;
		*arr = p;
		*cap = ncap;
	}
	memset((char *)*arr + (size_t)*n * size, 0, size);
	(*n)++;
	return 0;
}

struct dump_ctx {
	struct host_view *h;
	int cap;
	int err;
};

/* A table of attributes by type, up to max: a newer kernel sends types
 * these headers don't know, which are skipped. */
struct attr_table {
	const struct nlattr **tb;
	int max;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct attr_table *t = data;
	int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

#define ATTRS(tb) (&(struct attr_table){ tb, sizeof(tb) / sizeof(tb[0]) - 1 })

/* IFLA_LINKINFO: the kind, and for a VLAN device its tag and egress map. */
static void parse_linkinfo(const struct nlattr *info, struct host_link *l)
{
	const struct nlattr *tb[IFLA_INFO_MAX + 1] = {}, *vt[IFLA_VLAN_MAX + 1] = {};

	if (mnl_attr_parse_nested(info, attr_cb, ATTRS(tb)) < 0 || !tb[IFLA_INFO_KIND])
		return;
	snprintf(l->kind, sizeof(l->kind), "%s", mnl_attr_get_str(tb[IFLA_INFO_KIND]));
	if (strcmp(l->kind, "vlan") || !tb[IFLA_INFO_DATA] ||
	    mnl_attr_parse_nested(tb[IFLA_INFO_DATA], attr_cb, ATTRS(vt)) < 0)
		return;
	l->is_vlan = true;
	if (vt[IFLA_VLAN_ID])
		l->vlan_id = mnl_attr_get_u16(vt[IFLA_VLAN_ID]);
	/* The kernel's default is 802.1Q. */
	l->vlan_proto = vt[IFLA_VLAN_PROTOCOL] ? mnl_attr_get_u16(vt[IFLA_VLAN_PROTOCOL]) :
						 htons(0x8100);
	/* Any egress mapping gives replies a priority we would not. */
	if (vt[IFLA_VLAN_EGRESS_QOS] &&
	    mnl_attr_get_payload_len(vt[IFLA_VLAN_EGRESS_QOS]) > 0)
		l->vlan_egress_map = true;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	struct host_link *l;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, ATTRS(tb)) < 0)
		return MNL_CB_ERROR;
	if ((d->err = push((void **)&d->h->links, &d->h->n_links, &d->cap, sizeof(*l))))
		return MNL_CB_ERROR;
	l = &d->h->links[d->h->n_links - 1];
	l->ifindex = ifi->ifi_index;
	l->up = ifi->ifi_flags & IFF_UP;
	if (tb[IFLA_IFNAME])
		snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_MASTER])
		l->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	/* A lower device in another namespace is none of ours. */
	if (tb[IFLA_LINK] && !tb[IFLA_LINK_NETNSID])
		l->lower = mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINKINFO])
		parse_linkinfo(tb[IFLA_LINKINFO], l);
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = {}, *attr;
	struct host_addr *a;
	__u32 flags;
	int len = ifa->ifa_family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, ATTRS(tb)) < 0)
		return MNL_CB_ERROR;
	flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	attr = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!attr || mnl_attr_get_payload_len(attr) != (unsigned int)len)
		return MNL_CB_OK;
	if ((d->err = push((void **)&d->h->addrs, &d->h->n_addrs, &d->cap, sizeof(*a))))
		return MNL_CB_ERROR;
	a = &d->h->addrs[d->h->n_addrs - 1];
	a->family = ifa->ifa_family;
	a->ifindex = ifa->ifa_index;
	a->prefixlen = ifa->ifa_prefixlen;
	a->link_scope = ifa->ifa_scope == RT_SCOPE_LINK;
	/* The kernel does not accept packets for these yet (or ever). */
	a->usable = !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
	if (len == 4) {
		a->key.addr[10] = a->key.addr[11] = 0xff;
		memcpy(&a->key.addr[12], mnl_attr_get_payload(attr), 4);
	} else {
		memcpy(a->key.addr, mnl_attr_get_payload(attr), 16);
	}
	return MNL_CB_OK;
}

static int dump(int type, mnl_cb_t cb, struct dump_ctx *d)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct rtgenmsg *rt;
	unsigned int seq, portid;
	int ret;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq = time(NULL);
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, cb, d);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0)
		ret = d->err ? d->err : -errno;
out:
	mnl_socket_close(nl);
	return ret < 0 ? ret : 0;
}

int host_read(struct host_view *h)
{
	struct dump_ctx d = { .h = h };
	int ret;

	memset(h, 0, sizeof(*h));
	ret = dump(RTM_GETLINK, link_cb, &d);
	if (!ret) {
		d.cap = 0;
		ret = dump(RTM_GETADDR, addr_cb, &d);
	}
	if (ret)
		host_free(h);
	return ret;
}

void host_free(struct host_view *h)
{
	free(h->links);
	free(h->addrs);
	memset(h, 0, sizeof(*h));
}

const struct host_link *host_link(const struct host_view *h, int ifindex)
{
	int i;

	for (i = 0; i < h->n_links; i++)
		if (h->links[i].ifindex == ifindex)
			return &h->links[i];
	return NULL;
}

/* The L3 domain of a device: its VRF (l3mdev), or 0 for the default one. */
int host_l3_domain(const struct host_view *h, int ifindex)
{
	const struct host_link *l = host_link(h, ifindex), *m;

	if (!l)
		return -1;
	if (!strcmp(l->kind, "vrf"))
		return l->ifindex;
	m = l->master ? host_link(h, l->master) : NULL;
	return m && !strcmp(m->kind, "vrf") ? m->ifindex : 0;
}

static unsigned int conf_uint(const char *fmt, const char *name, unsigned int dflt)
{
	char path[160];
	unsigned int v = dflt;

	snprintf(path, sizeof(path), fmt, name);
	read_sysctl_uint(path, &v);
	return v;
}

/*
 * How the kernel takes packets on device @ifindex, to be answered for an
 * xdpong attached to @attached: XDPONG_L3_* flags.
 */
__u32 host_l3_flags(const struct host_view *h, int ifindex, int attached)
{
	const struct host_link *l = host_link(h, ifindex), *m;
	unsigned int rpf, rpf_all;
	__u32 flags = 0;

	/* The attached interface itself receives nothing while down. */
	if (!l || !(l->up || ifindex == attached) ||
	    host_l3_domain(h, ifindex) != host_l3_domain(h, attached))
		return XDPONG_L3_NO_ANSWER;
	/* A bridge, bond or team port: the kernel takes its frames on the master. */
	m = l->master ? host_link(h, l->master) : NULL;
	if (m && strcmp(m->kind, "vrf"))
		return XDPONG_L3_NO_ANSWER;
	if (conf_uint("/proc/sys/net/ipv6/conf/%s/disable_ipv6", l->name, 0))
		flags |= XDPONG_L3_NO_IPV6;
	rpf = conf_uint("/proc/sys/net/ipv4/conf/%s/rp_filter", l->name, 0);
	rpf_all = conf_uint("/proc/sys/net/ipv4/conf/%s/rp_filter", "all", 0);
	rpf = rpf > rpf_all ? rpf : rpf_all;
	if (rpf == 1)
		flags |= XDPONG_L3_RPF_STRICT;
	else if (rpf >= 2)
		flags |= XDPONG_L3_RPF_LOOSE;
	return flags;
}

/* Whether IPv4 forwarding is on for @ifindex: bpf_fib_lookup() needs it. */
bool host_forwards_v4(const struct host_view *h, int ifindex)
{
	const struct host_link *l = host_link(h, ifindex);

	return l && conf_uint("/proc/sys/net/ipv4/conf/%s/forwarding", l->name, 0);
}

/* Whether the NIC may strip VLAN tags before XDP sees them (rx-vlan-offload);
 * when it can't be read, assume it may. */
bool host_strips_vlan_tags(const char *iface)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GFLAGS };
	struct ifreq ifr = {};
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	ifr.ifr_data = (void *)&ev;
	ret = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	return ret || (ev.data & ETH_FLAG_RXVLAN);
}
