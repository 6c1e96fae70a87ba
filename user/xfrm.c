// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm.c: whether the kernel holds IPsec policies for what it receives or
 * sends. With an inbound xfrm policy (`ip xfrm policy ... dir in`), or the
 * default inbound policy set to block (`ip xfrm policy setdefault in block`,
 * Linux 5.16+), the kernel drops a plaintext request the policy covers
 * (icmp_rcv(): xfrm4_policy_check()); with an outbound one, it encrypts its
 * reply, or drops it. XDP, seeing no policy, can't tell either apart: such a
 * host's requests are the kernel's (sync.c). Read with libmnl over
 * NETLINK_XFRM; a kernel without xfrm has no policies.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/xfrm.h>
#include "cli.h"

struct xfrm_ctx {
	bool any;
};

static int policy_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_ctx *x = data;
	const struct xfrm_userpolicy_info *p = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == XFRM_MSG_NEWPOLICY &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*p) &&
	    (p->dir == XFRM_POLICY_IN || p->dir == XFRM_POLICY_OUT))
		x->any = true;
	return MNL_CB_OK;
}

static int default_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_ctx *x = data;
	const struct xfrm_userpolicy_default *d = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == XFRM_MSG_GETDEFAULT &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*d) &&
	    (d->in == XFRM_USERPOLICY_BLOCK || d->out == XFRM_USERPOLICY_BLOCK))
		x->any = true;
	return MNL_CB_OK;
}

/* One request of @type (a dump if @flags says so), its answers to @cb. */
static int xfrm_query(struct mnl_socket *nl, int type, __u16 flags, size_t payload,
		      mnl_cb_t cb, struct xfrm_ctx *x)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned int seq, portid = mnl_socket_get_portid(nl);
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq = time(NULL) + type;
	mnl_nlmsg_put_extra_header(nlh, payload);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	/* A dump ends with NLMSG_DONE; a single request has one answer. */
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, cb, x);
		if (ret <= MNL_CB_STOP || !(flags & NLM_F_DUMP))
			break;
	}
	return ret < 0 ? -errno : 0;
}

int xfrm_policies(bool *any)
{
	struct xfrm_ctx x = { false };
	struct mnl_socket *nl;
	int ret;

	*any = false;
	nl = mnl_socket_open(NETLINK_XFRM);
	if (!nl)
		return errno == EPROTONOSUPPORT ? 0 : -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	ret = xfrm_query(nl, XFRM_MSG_GETPOLICY, NLM_F_DUMP, 0, policy_cb, &x);
	/* Default policies: 5.16+; an older kernel refuses the request, and
	 * then they are all "accept". */
	if (!ret)
		xfrm_query(nl, XFRM_MSG_GETDEFAULT, 0, sizeof(struct xfrm_userpolicy_default),
			   default_cb, &x);
	*any = x.any;
out:
	mnl_socket_close(nl);
	return ret;
}
