/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rxdev.h: which device the kernel would receive a frame on, and whether it
 * would take it there: the attached interface for an untagged frame, the
 * VLAN device with the frame's tags (XDPONG_MAP_VLANS) for a tagged one.
 * The kernel drops a frame tagged for a VLAN it has no device for (and takes
 * a priority-tagged VID 0 frame as untagged, replying untagged: we leave
 * those to it). When the NIC may strip tags into the receive descriptor
 * (rx-vlan-offload) and the interface has VLAN devices, an untagged-looking
 * frame may be a VLAN's, and is not answered. The kernel's
 * bpf_xdp_metadata_rx_vlan_tag() kfunc would tell, but only a device-bound
 * program may call it ("metadata kfuncs require device-bound program"), and
 * libxdp's dispatcher can't run one: see the README.
 */
#ifndef XDPONG_RXDEV_H
#define XDPONG_RXDEV_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "maps.h"
#include "parsing.h"

#define VLAN_VID_MASK 0x0fff

/* *@dev: the config's device or the VLAN map's entry, not a copy. */
static __always_inline enum xdpong_reason receiving_dev(const struct pkt *p,
							const struct xdpong_config *cfg,
							const struct xdpong_l3dev **devp)
{
	struct xdpong_vlan_key key = {};
	const struct xdpong_l3dev *dev;

	if (p->vlans.n == 0) {
		if (cfg->flags & XDPONG_F_VLAN_TAG_UNKNOWN)
			return XDPONG_R_VLAN_UNKNOWN;
		dev = &cfg->dev;
	} else {
		key.outer_tpid = p->vlans.tpid[0];
		key.outer_vid = bpf_ntohs(p->vlans.tci[0]) & VLAN_VID_MASK;
		if (p->vlans.n > 1) {
			key.inner_tpid = p->vlans.tpid[1];
			key.inner_vid = bpf_ntohs(p->vlans.tci[1]) & VLAN_VID_MASK;
		}
		dev = bpf_map_lookup_elem(&XDPONG_MAP_VLANS, &key);
		if (!dev)
			return XDPONG_R_VLAN_NO_DEVICE;
	}
	if (dev->flags & XDPONG_L3_NO_ANSWER)
		return XDPONG_R_DEV_NO_ANSWER;
	*devp = dev;
	return GO_ON;
}

#endif /* XDPONG_RXDEV_H */
