// SPDX-License-Identifier: GPL-2.0
/*
 * tx_errors.bpf.c: counts the replies the driver could not transmit after
 * xdpong returned XDP_TX, which the XDP program itself can't see: the verdict
 * is carried out after it returns. Two tracepoints report such failures:
 *
 *   xdp:xdp_exception (dev, prog, act)  with act XDP_TX: the driver refused
 *       the frame (TX ring full, queue stopped): most native drivers, and
 *       generic (skb) mode when the driver refuses the skb;
 *   xdp:xdp_bulk_tx (dev, sent, drops, err)  veth, once per flush of its
 *       XDP_TX bulk queue: drops with err -ENXIO when the peer can't take
 *       XDP frames (no XDP program, or down), drops with err 0 when its ring
 *       is full or a frame is over its MTU.
 *
 * Both are attached as tp_btf programs (no tracefs needed), one pair for each
 * interface xdpong is attached to: `xdpong attach` sets the interface below,
 * loads, attaches, and pins the links and the counter map in bpffs; `xdpong
 * detach` unpins them. Neither tracepoint carries the frame, and xdp_bulk_tx
 * no program, so failures are told apart by device: ifindex and network
 * namespace. The XDP program's path is untouched; these run only when a
 * tracepoint fires (xdp_bulk_tx: once per veth flush of up to 16 frames).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "xdpong.h"

/*
 * The few kernel fields read, as CO-RE definitions: libbpf relocates each
 * access to the running kernel's layout (from its BTF), so no vmlinux.h.
 */
struct ns_common {
	unsigned int inum;   /* the inode number of /proc/PID/ns/net */
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

struct net_device {
	int ifindex;
	struct {
		struct net *net; /* possible_net_t; absent without CONFIG_NET_NS */
	} nd_net;
} __attribute__((preserve_access_index));

struct bpf_prog;

/* Set by `xdpong attach` before loading: the interface whose failures count. */
const volatile __u32 target_ifindex;
const volatile __u32 target_netns; /* its namespace's inode; 0: don't check */

/* Per-CPU counts of failed XDP_TX frames, by what reported them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdpong_tx_failed);
} XDPONG_MAP_TX_FAILED SEC(".maps");

static __always_inline int is_target(const struct net_device *dev)
{
	/* ifindex is unique only within a namespace: every veth is 2 in its own. */
	if (dev->ifindex != (int)target_ifindex)
		return 0;
	if (!target_netns || !bpf_core_field_exists(dev->nd_net.net))
		return 1;
	return dev->nd_net.net->ns.inum == target_netns;
}

static __always_inline struct xdpong_tx_failed *counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&XDPONG_MAP_TX_FAILED, &zero);
}

SEC("tp_btf/xdp_exception")
int BPF_PROG(XDPONG_PROG_TXF_EXCEPTION, const struct net_device *dev,
	     const struct bpf_prog *xdp, __u32 act)
{
	struct xdpong_tx_failed *c;

	if (act != XDP_TX || !is_target(dev))
		return 0;
	c = counters();
	if (c)
		c->refused++;   /* per-CPU: a plain add */
	return 0;
}

SEC("tp_btf/xdp_bulk_tx")
int BPF_PROG(XDPONG_PROG_TXF_BULK, const struct net_device *dev, int sent, int drops, int err)
{
	struct xdpong_tx_failed *c;

	/* Fires on every flush: the common case, nothing dropped, leaves first. */
	if (drops <= 0 || !is_target(dev))
		return 0;
	c = counters();
	if (!c)
		return 0;
	if (err)
		c->peer_unable += drops;
	else
		c->peer_dropped += drops;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
