// SPDX-License-Identifier: GPL-2.0
/*
 * neigh.c: the neighbour map from the host's view (host.c): the valid
 * entries of the kernel's neighbour table (reachable, stale, delay, probe,
 * permanent), so that a reply goes to the MAC the kernel's would. Entries
 * are updated in place: each is right on its own, and the program re-reads
 * them when xdpong_config.neigh_gen moves.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "cli.h"

static int cmp_neigh(const void *a, const void *b)
{
	const struct host_neigh *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return memcmp(&x->a, &y->a, sizeof(x->a));
}

int neigh_update(int fd, const struct host_view *h, int *changed)
{
	struct xdpong_neigh_key key, next, *prev = NULL, *stale;
	struct xdpong_neigh cur;
	int i, n_stale = 0, cap = 256;

	*changed = 0;
	/* What the kernel no longer has goes first, so that room is made
	 * before anything is added. */
	stale = malloc(cap * sizeof(*stale));
	if (!stale)
		return -ENOMEM;
	/* Sorted, so that each entry of the map is looked up, not searched for. */
	qsort(h->neighs, h->n_neighs, sizeof(*h->neighs), cmp_neigh);
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct host_neigh want = { .ifindex = next.ifindex, .a = next.a };

		key = next;
		prev = &key;
		if (bsearch(&want, h->neighs, h->n_neighs, sizeof(*h->neighs), cmp_neigh))
			continue;
		if (n_stale == cap) {
			struct xdpong_neigh_key *p = realloc(stale, 2 * cap * sizeof(*p));

			if (!p)
				break;
			stale = p;
			cap *= 2;
		}
		stale[n_stale++] = key;
	}
	for (i = 0; i < n_stale; i++)
		if (!bpf_map_delete_elem(fd, &stale[i]))
			(*changed)++;
	free(stale);
	for (i = 0; i < h->n_neighs; i++) {
		struct xdpong_neigh_key k = { .ifindex = h->neighs[i].ifindex, .a = h->neighs[i].a };
		struct xdpong_neigh v = {};

		memcpy(v.mac, h->neighs[i].mac, 6);
		if (!bpf_map_lookup_elem(fd, &k, &cur) && !memcmp(&cur, &v, sizeof(v)))
			continue;
		/* More neighbours than the map holds (XDPONG_MAX_NEIGH, beyond
		 * the kernel's own gc_thresh3): the rest are the kernel's to
		 * resolve (no-neighbour), and the sync goes on. */
		if (bpf_map_update_elem(fd, &k, &v, BPF_ANY)) {
			if (errno == E2BIG)
				continue;
			return -errno;
		}
		(*changed)++;
	}
	return 0;
}
