/* SPDX-License-Identifier: GPL-2.0 */
/*
 * neigh_learn.h: the neighbours a client announces before its first
 * request, noted as the frames go by, so that a client first met after
 * attach is answered here, not by the kernel (a request whose next hop has
 * no neighbour entry is the kernel's: route.h).
 *
 * The kernel makes an entry for the sender of an ARP request for one of its
 * addresses (arp_process(): neigh_event_ns()), and of a neighbour
 * solicitation for one, with a source link-layer address option
 * (ndisc_recv_ns()), taking the MAC given even over one it had. Here: the
 * same frames, where the kernel would take them (to our MAC or a group the
 * frame belongs to; a solicitation with a verified checksum, from the
 * link, nothing but the option after it), into XDPONG_MAP_NEIGH_LEARNT, an
 * LRU hash apart from the host's table as userspace read it (which comes
 * first), each entry used for XDPONG_NEIGH_LEARNT_NS after its sender was
 * last heard: a flood of forged senders churns the LRU, never the host's
 * table, and a forged entry ages out. The kernel completes an entry of its
 * own from the ARP reply or solicited advertisement that answers its
 * request, and makes none from one it didn't ask for (arp_accept, RFC
 * 9131): here, an answer is taken only for a next hop the kernel is
 * resolving, one that a request to it went to the kernel for (route.h
 * marks it so), within XDPONG_NEIGH_RESOLVING_NS.
 * Only a sender on the link gets an entry: a forged request from an address
 * nobody announced still goes to the kernel, which resolves it and, finding
 * no one, doesn't answer.
 *
 * The global functions are in neigh_learn.bpf.c; each reads the frame from
 * the offsets the parse found, for @ifindex, the receiving device.
 */
#ifndef XDPONG_NEIGH_LEARN_H
#define XDPONG_NEIGH_LEARN_H

#include <linux/bpf.h>
#include "xdpong.h"

/* An ARP request for one of our addresses, or the reply to the kernel's,
 * at @l3_off. */
int learn_arp(struct xdp_md *ctx, __u32 l3_off, __u32 ifindex,
	      const struct xdpong_config *cfg);
/* A neighbour solicitation for one of our addresses, or the advertisement
 * answering the kernel's: the ICMPv6 message at @l4_off, its IPv6 header at
 * @l3_off. */
int learn_nd(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off, __u32 ifindex,
	     const struct xdpong_config *cfg);

#endif /* XDPONG_NEIGH_LEARN_H */
