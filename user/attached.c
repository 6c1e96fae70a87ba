// SPDX-License-Identifier: GPL-2.0
/*
 * attached.c: find xdpong on an interface and its maps. The program is found
 * through libxdp's dispatcher state, and its maps through the program's own
 * map ids, by the names in include/xdpong.h; the count of failed transmits,
 * which attach pins for the program, by the program's id (tx_errors.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"

static const char *const map_names[MAP_COUNT] = {
	[MAP_CONFIG] = XDPONG_STR(XDPONG_MAP_CONFIG),
	[MAP_ADDRS] = XDPONG_STR(XDPONG_MAP_ADDRS),
	[MAP_VLANS] = XDPONG_STR(XDPONG_MAP_VLANS),
	[MAP_ROUTES] = XDPONG_STR(XDPONG_MAP_ROUTES),
	[MAP_NEIGH] = XDPONG_STR(XDPONG_MAP_NEIGH),
	[MAP_MSG_CODES] = XDPONG_STR(XDPONG_MAP_MSG_CODES),
	[MAP_STATS] = XDPONG_STR(XDPONG_MAP_STATS),
	[MAP_MSGS] = XDPONG_STR(XDPONG_MAP_MSGS),
	[MAP_EVENTS] = XDPONG_STR(XDPONG_MAP_EVENTS),
	[MAP_RTT_PENDING] = XDPONG_STR(XDPONG_MAP_RTT_PENDING),
	[MAP_RTT_PREFIX] = XDPONG_STR(XDPONG_MAP_RTT_PREFIX),
	[MAP_RTT_TOTAL] = XDPONG_STR(XDPONG_MAP_RTT_TOTAL),
	[MAP_PINGERS] = XDPONG_STR(XDPONG_MAP_PINGERS),
};

const char *mode_name(enum xdp_attach_mode mode)
{
	switch (mode) {
	case XDP_MODE_NATIVE: return "native";
	case XDP_MODE_SKB: return "skb";
	case XDP_MODE_HW: return "hw";
	default: return "unknown";
	}
}

static int is_xdpong(const struct xdp_program *p)
{
	return p && !strcmp(xdp_program__name(p), XDPONG_STR(XDPONG_PROG));
}

static int open_maps(struct attached *a)
{
	__u32 ids[64], len, i;
	struct bpf_prog_info info = {};
	int m, fd;

	len = sizeof(info);
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(xdp_program__fd(a->prog), &info, &len))
		return -errno;

	for (i = 0; i < info.nr_map_ids && i < 64; i++) {
		struct bpf_map_info minfo = {};
		__u32 mlen = sizeof(minfo);

		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			return -errno;
		if (bpf_obj_get_info_by_fd(fd, &minfo, &mlen)) {
			close(fd);
			return -errno;
		}
		for (m = 0; m < MAP_COUNT; m++)
			if (a->map_fd[m] < 0 && !strcmp(minfo.name, map_names[m]))
				break;
		if (m < MAP_COUNT)
			a->map_fd[m] = fd;
		else
			close(fd);
	}
	for (m = 0; m < MAP_FIRST_OPTIONAL; m++)
		if (a->map_fd[m] < 0)
			return -ENOENT;
	return 0;
}

int attached_find(int ifindex, struct attached *a)
{
	struct xdp_program *p;
	int m, ret;

	memset(a, 0, sizeof(*a));
	for (m = 0; m < MAP_COUNT; m++)
		a->map_fd[m] = -1;
	a->tx_fd = -1;

	a->mp = xdp_multiprog__get_from_ifindex(ifindex);
	ret = libxdp_get_error(a->mp);
	if (ret) {
		a->mp = NULL;
		return ret;
	}
	if (!a->mp)
		return -ENOENT;

	if (xdp_multiprog__is_legacy(a->mp)) {
		p = xdp_multiprog__main_prog(a->mp);
		a->prog = is_xdpong(p) ? p : NULL;
	} else {
		for (p = xdp_multiprog__next_prog(NULL, a->mp); p;
		     p = xdp_multiprog__next_prog(p, a->mp))
			if (is_xdpong(p))
				break;
		a->prog = p;
	}
	a->mode = xdp_multiprog__attach_mode(a->mp);
	if (!a->prog)
		return -ENOENT;
	ret = open_maps(a);
	if (!ret)
		/* Optional: absent if attach couldn't pin it, or an older xdpong attached. */
		a->tx_fd = tx_errors_open(xdp_program__id(a->prog));
	return ret;
}

int attached_open(int ifindex, const char *iface, struct attached *a)
{
	int ret;

	memset(a, 0, sizeof(*a));
	for (ret = 0; ret < MAP_COUNT; ret++)
		a->map_fd[ret] = -1;
	a->tx_fd = -1;
	if ((ret = check_privileges()) || (ret = check_bpffs()))
		return ret;
	ret = attached_find(ifindex, a);

	if (ret == -ENOENT && a->mp && !a->prog) {
		log_error("xdpong is not attached to '%s' (another XDP program is)", iface);
		ret = EXIT_STATE;
	} else if (ret == -ENOENT && !a->prog) {
		log_error("xdpong is not attached to '%s'", iface);
		ret = EXIT_STATE;
	} else if (ret == -ENOENT) {
		log_error("the xdpong program on '%s' lacks its maps; was it built from "
		    "another version? Detach it and attach again", iface);
		ret = EXIT_STATE;
	} else if (ret) {
		log_error("can't read the XDP state of '%s': %s", iface, strerror(-ret));
		ret = ret == -EPERM ? EXIT_NOPERM : EXIT_FAIL;
	}
	if (ret)
		attached_close(a);
	return ret;
}

void attached_close(struct attached *a)
{
	int m;

	for (m = 0; m < MAP_COUNT; m++) {
		if (a->map_fd[m] >= 0)
			close(a->map_fd[m]);
		a->map_fd[m] = -1;
	}
	if (a->tx_fd >= 0)
		close(a->tx_fd);
	a->tx_fd = -1;
	if (a->mp)
		xdp_multiprog__close(a->mp);
	a->mp = NULL;
	a->prog = NULL;
}
