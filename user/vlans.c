// SPDX-License-Identifier: GPL-2.0
/*
 * vlans.c: the VLAN map from the host's view (host.c): one entry per VLAN
 * device on the attached interface, keyed by the tags its frames carry
 * (802.1Q or 802.1ad, and a VLAN device on a VLAN device for two tags),
 * saying how the kernel takes packets on it (host_l3dev). A VLAN device
 * with an egress priority map is not answered for: the kernel's reply would
 * carry a priority that ours would not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "cli.h"

struct vlan_entry {
	struct xdpong_vlan_key k;
	struct xdpong_l3dev v;
};

/* A device whose MAC isn't @parent's: the kernel takes only frames to its
 * own MAC there, and replies from it, where xdpong checks and sends the
 * attached interface's. */
static bool own_mac(const struct host_link *l, const struct host_link *parent)
{
	return l->has_mac && parent && parent->has_mac && memcmp(l->mac, parent->mac, 6);
}

static int vlan_entries(const struct host_view *h, int ifindex, struct vlan_entry *out, int max)
{
	const struct host_link *parent = host_link(h, ifindex);
	int i, n = 0;

	for (i = 0; i < h->n_links && n < max; i++) {
		const struct host_link *l = &h->links[i], *outer;
		struct vlan_entry *e = &out[n];

		if (!l->is_vlan || !l->lower)
			continue;
		memset(e, 0, sizeof(*e));
		if (l->lower == ifindex) {
			e->k.outer_tpid = l->vlan_proto;
			e->k.outer_vid = l->vlan_id;
			outer = NULL;
		} else {
			outer = host_link(h, l->lower);
			if (!outer || !outer->is_vlan || outer->lower != ifindex)
				continue;
			e->k.outer_tpid = outer->vlan_proto;
			e->k.outer_vid = outer->vlan_id;
			e->k.inner_tpid = l->vlan_proto;
			e->k.inner_vid = l->vlan_id;
		}
		host_l3dev(h, l->ifindex, ifindex, &e->v);
		if (l->vlan_egress_map || (outer && (outer->vlan_egress_map || !outer->up)) ||
		    own_mac(l, parent) || (outer && own_mac(outer, parent)))
			e->v.flags |= XDPONG_L3_NO_ANSWER;
		n++;
	}
	return n;
}

bool vlans_any(const struct host_view *h, int ifindex)
{
	int i;

	for (i = 0; i < h->n_links; i++)
		if (h->links[i].is_vlan && h->links[i].lower == ifindex)
			return true;
	return false;
}

/* Make the map hold exactly the host's VLAN devices: update, then delete. */
int vlans_update(int vlan_fd, const struct host_view *h, int ifindex, struct map_change *ch)
{
	static struct vlan_entry want[XDPONG_MAX_VLANS];
	struct xdpong_vlan_key key, next, *prev = NULL;
	struct xdpong_vlan_key *stale = NULL;
	struct xdpong_l3dev cur;
	int n = vlan_entries(h, ifindex, want, XDPONG_MAX_VLANS), i, n_stale = 0, ret = 0;

	memset(ch, 0, sizeof(*ch));
	for (i = 0; i < n; i++) {
		if (!bpf_map_lookup_elem(vlan_fd, &want[i].k, &cur) &&
		    !memcmp(&cur, &want[i].v, sizeof(cur)))
			continue;
		if (bpf_map_update_elem(vlan_fd, &want[i].k, &want[i].v, BPF_ANY))
			return -errno;
		ch->added++;
	}
	stale = calloc(XDPONG_MAX_VLANS, sizeof(*stale));
	if (!stale)
		return -ENOMEM;
	while (bpf_map_get_next_key(vlan_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		for (i = 0; i < n; i++)
			if (!memcmp(&want[i].k, &key, sizeof(key)))
				break;
		if (i == n && n_stale < XDPONG_MAX_VLANS)
			stale[n_stale++] = key;
	}
	for (i = 0; i < n_stale; i++)
		if (!bpf_map_delete_elem(vlan_fd, &stale[i]))
			ch->removed++;
	free(stale);
	return ret;
}
