// SPDX-License-Identifier: GPL-2.0
/*
 * addrs.c: the host's unicast addresses, read with an RTM_GETADDR dump
 * through libmnl, and the local-address map they fill.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <bpf/bpf.h>
#include "cli.h"

static void key_from_v4(const void *in4, struct xdpong_addr_key *key)
{
	memset(key, 0, sizeof(*key));
	key->addr[10] = key->addr[11] = 0xff;
	memcpy(&key->addr[12], in4, 4);
}

static int key_is_v4(const struct xdpong_addr_key *key)
{
	static const __u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return !memcmp(key->addr, prefix, sizeof(prefix));
}

/* Addresses the kernel never answers an echo for on the wire. */
static int key_is_answerable(const struct xdpong_addr_key *key)
{
	struct in6_addr a;

	memcpy(&a, key->addr, sizeof(a));
	if (key_is_v4(key)) {
		__u8 first = key->addr[12];

		return first != 0 && first != 127 && first < 224;
	}
	return !IN6_IS_ADDR_UNSPECIFIED(&a) && !IN6_IS_ADDR_LOOPBACK(&a) &&
	       !IN6_IS_ADDR_MULTICAST(&a) && !IN6_IS_ADDR_V4MAPPED(&a);
}

int addr_parse(const char *s, struct xdpong_addr_key *key)
{
	struct in_addr a4;

	if (inet_pton(AF_INET, s, &a4) == 1)
		key_from_v4(&a4, key);
	else if (inet_pton(AF_INET6, s, key->addr) != 1)
		return -EINVAL;
	if (!key_is_answerable(key) ||
	    (key_is_v4(key) && !memcmp(&key->addr[12], "\xff\xff\xff\xff", 4)))
		return -EINVAL;
	return 0;
}

void addr_format(const struct xdpong_addr_key *key, char *buf, size_t len)
{
	if (key_is_v4(key))
		inet_ntop(AF_INET, &key->addr[12], buf, len);
	else
		inet_ntop(AF_INET6, key->addr, buf, len);
}

struct fill_ctx {
	int map_fd;
	int err;
	struct xdpong_addr_key *seen; /* addresses the dump found, if not NULL */
	int n_seen;
	int added;                    /* not in the map before */
};

static int add_addr(struct fill_ctx *f, const struct xdpong_addr_key *key, __u32 ifindex,
		    __u32 flags)
{
	struct xdpong_addr_val val = { .ifindex = ifindex, .flags = flags }, old;

	if (bpf_map_lookup_elem(f->map_fd, key, &old))
		f->added++;
	if (bpf_map_update_elem(f->map_fd, key, &val, BPF_ANY)) {
		f->err = -errno;
		return -1;
	}
	if (f->seen && f->n_seen < XDPONG_MAX_ADDRS)
		f->seen[f->n_seen++] = *key;
	return 0;
}

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fill_ctx *f = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = {};
	const struct nlattr *attr;
	struct xdpong_addr_key key;
	__u32 flags, ifindex = 0;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	/* The kernel does not accept packets for these yet (or ever). */
	if (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
		return MNL_CB_OK;

	if (ifa->ifa_family == AF_INET) {
		attr = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
		if (!attr || mnl_attr_get_payload_len(attr) != 4)
			return MNL_CB_OK;
		key_from_v4(mnl_attr_get_payload(attr), &key);
		/* The subnet's broadcast, as the kernel's local table has it. */
		if (ifa->ifa_prefixlen < 31 && key_is_answerable(&key)) {
			struct xdpong_addr_key b = key;
			__u32 a, mask = htonl(~0U << (32 - ifa->ifa_prefixlen));

			memcpy(&a, &b.addr[12], 4);
			a = (a & mask) | ~mask;
			memcpy(&b.addr[12], &a, 4);
			if (add_addr(f, &b, 0, XDPONG_ADDR_BROADCAST))
				return MNL_CB_ERROR;
		}
	} else if (ifa->ifa_family == AF_INET6) {
		attr = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
		if (!attr || mnl_attr_get_payload_len(attr) != 16)
			return MNL_CB_OK;
		memcpy(key.addr, mnl_attr_get_payload(attr), 16);
		/* A link-local address is ours only on its own interface. */
		if (ifa->ifa_scope == RT_SCOPE_LINK)
			ifindex = ifa->ifa_index;
	} else {
		return MNL_CB_OK;
	}
	if (!key_is_answerable(&key))
		return MNL_CB_OK;
	return add_addr(f, &key, ifindex, 0) ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Add every unicast address of this network namespace to the map. */
static int dump_into(struct fill_ctx *f)
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
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq = time(NULL);
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_UNSPEC;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, addr_cb, f);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0)
		ret = f->err ? f->err : -errno;
out:
	mnl_socket_close(nl);
	return ret < 0 ? ret : 0;
}

/*
 * Fill the map with every unicast address of this network namespace (the
 * kernel answers for any of them on any interface) plus @extra.
 */
int addrs_fill(int map_fd, const struct addr_list *extra)
{
	struct fill_ctx f = { .map_fd = map_fd };
	int ret = dump_into(&f), i;

	for (i = 0; !ret && extra && i < extra->n; i++)
		if (add_addr(&f, &extra->addrs[i], 0, XDPONG_ADDR_CONFIGURED))
			ret = f.err;
	return ret;
}

/*
 * Make the map follow the host: add its addresses now, and remove those it
 * no longer has; --address ones stay. Counts what changed.
 */
int addrs_sync(int map_fd, int *added, int *removed)
{
	static struct xdpong_addr_key seen[XDPONG_MAX_ADDRS], stale[XDPONG_MAX_ADDRS];
	struct fill_ctx f = { .map_fd = map_fd, .seen = seen };
	struct xdpong_addr_key key, next, *prev = NULL;
	struct xdpong_addr_val val;
	int ret, n_stale = 0, i, j;

	ret = dump_into(&f);
	if (ret)
		return ret;
	while (bpf_map_get_next_key(map_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(map_fd, &key, &val) || (val.flags & XDPONG_ADDR_CONFIGURED))
			continue;
		for (j = 0; j < f.n_seen; j++)
			if (!memcmp(&seen[j], &key, sizeof(key)))
				break;
		if (j == f.n_seen && n_stale < XDPONG_MAX_ADDRS)
			stale[n_stale++] = key;
	}
	for (i = 0; i < n_stale; i++)
		bpf_map_delete_elem(map_fd, &stale[i]);
	*added = f.added;
	*removed = n_stale;
	return 0;
}
