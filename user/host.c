// SPDX-License-Identifier: GPL-2.0
/*
 * host.c: what the kernel of this network namespace knows about where it
 * takes packets and where it sends replies: its links (up or down, VRF and
 * other masters, VLAN devices and their tags), addresses, routes, rules and
 * neighbours, read with RTM_GET* dumps through libmnl, and disable_ipv6 per
 * device. addrs.c, routes.c, neigh.c and vlans.c turn this into maps.
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
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
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
	if (!strcmp(l->kind, "vrf") && tb[IFLA_INFO_DATA]) {
		const struct nlattr *rt[IFLA_VRF_MAX + 1] = {};

		if (mnl_attr_parse_nested(tb[IFLA_INFO_DATA], attr_cb, ATTRS(rt)) >= 0 &&
		    rt[IFLA_VRF_TABLE])
			l->vrf_table = mnl_attr_get_u32(rt[IFLA_VRF_TABLE]);
		return;
	}
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
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
		l->has_mac = true;
	}
	if (tb[IFLA_MTU])
		l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
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

static void key_from(int family, const void *p, struct xdpong_addr_key *k)
{
	memset(k, 0, sizeof(*k));
	if (family == AF_INET) {
		k->addr[10] = k->addr[11] = 0xff;
		memcpy(&k->addr[12], p, 4);
	} else {
		memcpy(k->addr, p, 16);
	}
}

/* A metric of RTA_METRICS (`ip route ... mtu N`, `hoplimit N`), or 0. */
static __u32 route_metric(const struct nlattr *metrics, int which)
{
	const struct nlattr *tb[RTAX_MAX + 1] = {};

	if (!metrics || mnl_attr_parse_nested(metrics, attr_cb, ATTRS(tb)) < 0 || !tb[which] ||
	    mnl_attr_get_payload_len(tb[which]) < 4)
		return 0;
	return mnl_attr_get_u32(tb[which]);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = {};
	unsigned int alen = rtm->rtm_family == AF_INET ? 4 : 16;
	struct host_route *r;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), attr_cb, ATTRS(tb)) < 0)
		return MNL_CB_ERROR;
	if ((d->err = push((void **)&d->h->routes, &d->h->n_routes, &d->cap, sizeof(*r))))
		return MNL_CB_ERROR;
	r = &d->h->routes[d->h->n_routes - 1];
	r->family = rtm->rtm_family;
	r->dst_len = rtm->rtm_dst_len;
	r->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	r->type = rtm->rtm_type;
	r->priority = tb[RTA_PRIORITY] ? mnl_attr_get_u32(tb[RTA_PRIORITY]) : 0;
	r->oif = tb[RTA_OIF] ? (int)mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	if (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) == alen)
		key_from(r->family, mnl_attr_get_payload(tb[RTA_DST]), &r->dst);
	else
		key_from(r->family, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", &r->dst);
	if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) == alen) {
		r->has_gw = true;
		key_from(r->family, mnl_attr_get_payload(tb[RTA_GATEWAY]), &r->gw);
	}
	/* Several next hops, a gateway of the other family, a nexthop object,
	 * an encapsulation (MPLS, seg6, BPF lightweight tunnels), an MTU (the
	 * kernel fragments a longer reply): more than one plain route says. */
	r->complex = tb[RTA_MULTIPATH] || tb[RTA_VIA] || tb[RTA_NH_ID] || tb[RTA_ENCAP] ||
		     route_metric(tb[RTA_METRICS], RTAX_MTU) || (r->type == RTN_UNICAST && !r->oif);
	/* The TTL or hop limit of the kernel's replies by this route, if the
	 * route sets one (`hoplimit N`; a Router Advertisement's default
	 * route has its Cur Hop Limit): routes.c compares it with the one
	 * xdpong replies with. */
	r->hoplimit = route_metric(tb[RTA_METRICS], RTAX_HOPLIMIT);
	/* A lifetime that is over (a Router Advertisement's, `expires`): the
	 * kernel's lookups skip the route at once, its dump shows it until the
	 * garbage collector runs, up to half a minute later. */
	if (tb[RTA_CACHEINFO] &&
	    mnl_attr_get_payload_len(tb[RTA_CACHEINFO]) >= sizeof(struct rta_cacheinfo)) {
		const struct rta_cacheinfo *ci = mnl_attr_get_payload(tb[RTA_CACHEINFO]);

		r->expired = (__s32)ci->rta_expires < 0;
	}
	/* A route for some sources only (IPv6 `from`), or for one TOS, which
	 * wins on its prefix whatever the metrics: the route back depends on
	 * more than the destination, as with ip rules. */
	if (rtm->rtm_src_len || rtm->rtm_tos)
		d->h->custom_rules = true;
	return MNL_CB_OK;
}

/* An exception of the kernel's route cache: a redirect or a path MTU. */
static int exception_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = {};
	unsigned int alen = rtm->rtm_family == AF_INET ? 4 : 16;
	struct host_exception *e;

	if (nlh->nlmsg_type != RTM_NEWROUTE || !(rtm->rtm_flags & RTM_F_CLONED) ||
	    (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*rtm), attr_cb, ATTRS(tb)) < 0)
		return MNL_CB_ERROR;
	if (!tb[RTA_DST] || mnl_attr_get_payload_len(tb[RTA_DST]) != alen)
		return MNL_CB_OK;
	if ((d->err = push((void **)&d->h->exceptions, &d->h->n_exceptions, &d->cap, sizeof(*e))))
		return MNL_CB_ERROR;
	e = &d->h->exceptions[d->h->n_exceptions - 1];
	e->family = rtm->rtm_family;
	key_from(e->family, mnl_attr_get_payload(tb[RTA_DST]), &e->dst);
	return MNL_CB_OK;
}

/* Any rule but the kernel's defaults (and VRF's l3mdev rule) makes the
 * route back depend on more than the destination. */
static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[FRA_MAX + 1] = {};
	__u32 prio, table;

	/* Multicast routing has rules of its own families: not ours. */
	if (nlh->nlmsg_type != RTM_NEWRULE ||
	    (frh->family != AF_INET && frh->family != AF_INET6))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*frh), attr_cb, ATTRS(tb)) < 0)
		return MNL_CB_ERROR;
	prio = tb[FRA_PRIORITY] ? mnl_attr_get_u32(tb[FRA_PRIORITY]) : 0;
	table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh->table;
	if (tb[FRA_L3MDEV])
		return MNL_CB_OK;
	if (frh->action == FR_ACT_TO_TBL && !frh->src_len && !frh->dst_len && !frh->tos &&
	    !tb[FRA_IFNAME] && !tb[FRA_OIFNAME] && !tb[FRA_FWMARK] &&
	    ((prio == 0 && table == RT_TABLE_LOCAL) || (prio == 32766 && table == RT_TABLE_MAIN) ||
	     (prio == 32767 && table == RT_TABLE_DEFAULT)))
		return MNL_CB_OK;
	d->h->custom_rules = true;
	return MNL_CB_OK;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *d = data;
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1] = {};
	unsigned int alen = nd->ndm_family == AF_INET ? 4 : 16;
	struct host_neigh *n;

	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6) ||
	    !(nd->ndm_state &
	      (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)))
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*nd), attr_cb, ATTRS(tb)) < 0)
		return MNL_CB_ERROR;
	if (!tb[NDA_DST] || mnl_attr_get_payload_len(tb[NDA_DST]) != alen ||
	    !tb[NDA_LLADDR] || mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6)
		return MNL_CB_OK;
	if ((d->err = push((void **)&d->h->neighs, &d->h->n_neighs, &d->cap, sizeof(*n))))
		return MNL_CB_ERROR;
	n = &d->h->neighs[d->h->n_neighs - 1];
	n->ifindex = nd->ndm_ifindex;
	key_from(nd->ndm_family, mnl_attr_get_payload(tb[NDA_DST]), &n->a);
	memcpy(n->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
	return MNL_CB_OK;
}

/* A dump of @type; @rtm_flags: for RTM_GETROUTE, RTM_F_CLONED asks for
 * the route cache's exceptions instead of the routes. */
static int dump_flags(int type, __u32 rtm_flags, mnl_cb_t cb, struct dump_ctx *d)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
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
	if (rtm_flags) {
		struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

		rtm->rtm_family = AF_UNSPEC;
		rtm->rtm_flags = rtm_flags;
	} else {
		struct rtgenmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));

		rt->rtgen_family = AF_UNSPEC;
	}
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

static int dump(int type, mnl_cb_t cb, struct dump_ctx *d)
{
	return dump_flags(type, 0, cb, d);
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
	if (!ret) {
		d.cap = 0;
		ret = dump(RTM_GETROUTE, route_cb, &d);
	}
	if (!ret) {
		d.cap = 0;
		ret = dump_flags(RTM_GETROUTE, RTM_F_CLONED, exception_cb, &d);
	}
	if (!ret)
		ret = dump(RTM_GETRULE, rule_cb, &d);
	if (!ret) {
		d.cap = 0;
		ret = dump(RTM_GETNEIGH, neigh_cb, &d);
	}
	if (!ret)
		ret = xfrm_policies(&h->ipsec);
	if (ret)
		host_free(h);
	return ret;
}

void host_free(struct host_view *h)
{
	free(h->links);
	free(h->addrs);
	free(h->routes);
	free(h->neighs);
	free(h->exceptions);
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

/* The routing table the kernel routes a reply from @ifindex by. */
__u32 host_route_table(const struct host_view *h, int ifindex)
{
	int dom = host_l3_domain(h, ifindex);
	const struct host_link *v = dom > 0 ? host_link(h, dom) : NULL;

	return v && v->vrf_table ? v->vrf_table : RT_TABLE_MAIN;
}

/*
 * Is @ifindex's best fe80::/64 route (the lowest metric, alone at it) its
 * plain on-link one, with no longer route of fe80::/10 by it and no route
 * exception for a link-local address? The kernel looks up the route back to
 * a link-local source among the receiving device's routes alone: without
 * that one (`addrgenmode none`, the route deleted, one via a gateway at a
 * lower metric) it replies through a gateway, or not at all.
 */
static bool ll_onlink(const struct host_view *h, int ifindex)
{
	__u32 table = host_route_table(h, ifindex);
	const struct host_route *best = NULL;
	bool tie = false;
	int i;

	/* An exception of the route cache for a link-local address (a path
	 * MTU, a redirect): the route map isn't looked at for those. */
	for (i = 0; i < h->n_exceptions; i++)
		if (key_is_linklocal(&h->exceptions[i].dst))
			return false;
	for (i = 0; i < h->n_routes; i++) {
		const struct host_route *r = &h->routes[i];

		if (r->family != AF_INET6 || r->oif != ifindex || r->dst_len < 10 || r->table != table ||
		    !key_is_linklocal(&r->dst) || r->expired)
			continue;
		if (r->dst_len > 64)
			return false;
		if (r->dst_len < 64)
			continue;
		/* The kernel takes the lowest metric among them: it must be the
		 * on-link one, alone at its metric. */
		if (best && r->priority == best->priority)
			tie = true;
		if (!best || r->priority < best->priority) {
			best = r;
			tie = false;
		}
	}
	return best && !tie && best->type == RTN_UNICAST && !best->has_gw && !best->complex &&
	       !best->hoplimit && !memcmp(best->dst.addr, "\xfe\x80\0\0\0\0\0\0", 8);
}

/*
 * How the kernel takes packets on device @ifindex, to be answered for an
 * xdpong attached to @attached: XDPONG_L3_* flags, and the MTUs its replies
 * leave by.
 */
void host_l3dev(const struct host_view *h, int ifindex, int attached, struct xdpong_l3dev *dev)
{
	const struct host_link *l = host_link(h, ifindex), *m;

	memset(dev, 0, sizeof(*dev));
	dev->ifindex = ifindex;
	dev->flags = XDPONG_L3_NO_ANSWER;
	/* The attached interface itself receives nothing while down. */
	if (!l || !(l->up || ifindex == attached) ||
	    host_l3_domain(h, ifindex) != host_l3_domain(h, attached))
		return;
	/* A bridge, bond or team port: the kernel takes its frames on the master. */
	m = l->master ? host_link(h, l->master) : NULL;
	if (m && strcmp(m->kind, "vrf"))
		return;
	dev->flags = 0;
	if (conf_uint("/proc/sys/net/ipv6/conf/%s/disable_ipv6", l->name, 0))
		dev->flags |= XDPONG_L3_NO_IPV6;
	if (ll_onlink(h, ifindex))
		dev->flags |= XDPONG_L3_LL_ONLINK;
	dev->mtu4 = l->mtu;
	dev->mtu6 = conf_uint("/proc/sys/net/ipv6/conf/%s/mtu", l->name, 0);
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
