/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pingers.h: the pings xdpong answers, followed per flow (include/xdpong.h,
 * XDPONG_MAP_PINGERS). PLACEHOLDER: the contract only.
 */
#ifndef XDPONG_PINGERS_H
#define XDPONG_PINGERS_H

#include <linux/bpf.h>
#include "xdpong.h"

/* The request at @l3_off/@l4_off (family @family), now turned into its reply
 * (addresses swapped, identifier, sequence and data as they came). */
static __always_inline void pingers_track(struct xdp_md *ctx, __u32 l3_off, __u32 l4_off,
					  __u32 family, const struct xdpong_config *cfg)
{
}

#endif /* XDPONG_PINGERS_H */
