/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pingers.h: the pings xdpong answers, followed per flow (include/xdpong.h,
 * XDPONG_MAP_PINGERS): a flow is a family, a source and an echo identifier,
 * that is one ping process on one host. For each request answered, from the
 * request alone (nothing is sent):
 *
 *  - requests, bytes, first and last arrival, the data length;
 *  - the sequence: gaps (requests that never arrived), reordered, duplicates;
 *  - the sender's timestamp, where the data carries one (iputils ping), and
 *    from it the interarrival jitter of RFC 3550 6.4.1;
 *  - whether the data looks like what a ping client sends (odd_payload
 *    counts the requests whose data does not: a hint of ICMP tunnelling).
 *
 * It runs only with XDPONG_F_PINGERS, after answer_echo() built the reply:
 * the frame is read (bpf_xdp_load_bytes(), fragments included), never
 * written. The addresses are swapped by then: the requester is the reply's
 * destination; the identifier, sequence and data are as they came.
 *
 * The work is pingers_follow(), a global function in pingers.bpf.c (with
 * the check of the data: which clients' data counts as a ping's), a unit of
 * its own linked into the program; the entry point calls it through
 * pingers_track().
 */
#ifndef XDPONG_PINGERS_H
#define XDPONG_PINGERS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xdpong.h"

/*
 * The request answered in the frame at @l3_off/@l4_off, into its flow
 * (pingers.bpf.c). A global function: the verifier checks it once, apart
 * from the entry point's paths and stack; it takes only the frame's offsets
 * and reads through bpf_xdp_load_bytes(). Returns 0.
 */
int pingers_follow(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off, __u32 family);

/* The request at @l3_off/@l4_off (family @family), now turned into its
 * reply (addresses swapped, identifier, sequence and data as they came).
 * @cfg holds nothing this needs yet: the flag was the caller's test. */
static __always_inline void pingers_track(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
					  __u32 family, const struct xdpong_config *cfg)
{
	pingers_follow(ctx, l3_off, l4_off, family);
}

#endif /* XDPONG_PINGERS_H */
