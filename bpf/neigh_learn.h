/* SPDX-License-Identifier: GPL-2.0 */
/*
 * neigh_learn.h: the entries the kernel's neighbour table gains from what
 * it receives, mirrored into XDPONG_MAP_NEIGH as the frames go by, so that
 * a client first met after attach is answered here, not by the kernel (a
 * request whose next hop has no entry is the kernel's: route.h).
 *
 * The kernel makes an entry for the sender of an ARP request for one of its
 * addresses (arp_process(): neigh_event_ns()), and of a neighbour
 * solicitation with a source link-layer address option (ndisc_recv_ns());
 * it completes the one it made for its own request from the ARP reply or
 * solicited advertisement that answers it. Here: the same frames, each
 * sender's address and MAC, when the MAC is a station's and the address
 * could be a neighbour's (not the host's own, not a martian). An entry the
 * map has already is left to userspace (`track`, `sync`), which mirrors the
 * kernel's table and removes what the kernel doesn't have; a full map takes
 * no more, and requests from the senders it couldn't take go to the kernel.
 * Only a sender on the link gets an entry: a forged request from an address
 * nobody claims still goes to the kernel, which resolves it and, finding no
 * one, doesn't answer.
 *
 * The global functions are in neigh_learn.bpf.c; each reads the frame from
 * the offsets the parse found, for @ifindex, the receiving device.
 */
#ifndef XDPONG_NEIGH_LEARN_H
#define XDPONG_NEIGH_LEARN_H

#include <linux/bpf.h>
#include "xdpong.h"

/* An ARP request for one of our addresses, or a reply to us, at @l3_off. */
int learn_arp(struct xdp_md *ctx, __u32 l3_off, __u32 ifindex,
	      const struct xdpong_config *cfg);
/* A neighbour solicitation for one of our addresses or a solicited
 * advertisement to us: the ICMPv6 message at @l4_off, its IPv6 header at
 * @l3_off. */
int learn_nd(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off, __u32 ifindex,
	     const struct xdpong_config *cfg);

#endif /* XDPONG_NEIGH_LEARN_H */
