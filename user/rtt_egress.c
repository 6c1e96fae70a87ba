// SPDX-License-Identifier: GPL-2.0
/*
 * rtt_egress.c: the egress program of ping telemetry (bpf/rtt_egress.bpf.c),
 * which times the host's echo requests for the XDP program to match their
 * replies. `xdpong attach` loads it once the XDP program is attached, with
 * the XDP program's maps (config, events, the round-trip maps: the same
 * maps, by descriptor), attaches it at the interface's tcx egress, and pins
 * its link under XDPONG_PIN_DIR/<the XDP program's id>/, beside the tx_failed
 * tracer's pins (tx_errors.c): it outlives the command as the XDP program
 * does. Its sweep map, which holds the timer that finds lost requests, is
 * pinned there too: the kernel cancels a map's timers once no file or pin
 * holds the map. `xdpong detach` unpins both, which detaches the program;
 * tx_errors_remove() does too, for a program that vanished.
 *
 * tcx only (Linux 6.6): on an older kernel the round trips are not measured,
 * with a warning, and the XDP program runs as ever.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/version.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "rtt_egress.skel.h"

/* Debian 12's linux-libc-dev (6.1) predates tcx: the attach type of
 * include/uapi/linux/bpf.h since Linux 6.6. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define BPF_TCX_EGRESS 47
#define BPF_F_BEFORE   (1U << 3) /* link_create.flags: in front of the others */
#endif

/* What is pinned in the XDP program's folder: the sweep's map first, so that
 * whoever finds the link finds the timer held. */
static const char *const pin_names[] = {
	XDPONG_STR(XDPONG_MAP_RTT_SWEEP),
	XDPONG_STR(XDPONG_PROG_RTT_EGRESS),
};
#define N_PINS (sizeof(pin_names) / sizeof(pin_names[0]))

/* The XDP program's maps the egress program uses, by name. */
static const char *const shared_maps[] = {
	XDPONG_STR(XDPONG_MAP_CONFIG),
	XDPONG_STR(XDPONG_MAP_EVENTS),
	XDPONG_STR(XDPONG_MAP_EVENT_RATE),
	XDPONG_STR(XDPONG_MAP_STATS),
	XDPONG_STR(XDPONG_MAP_RTT_PENDING),
	XDPONG_STR(XDPONG_MAP_RTT_PREFIX),
	XDPONG_STR(XDPONG_MAP_RTT_TOTAL),
};
#define N_SHARED (sizeof(shared_maps) / sizeof(shared_maps[0]))

/* A descriptor of the map called @name among those of the XDP program
 * @prog_id, or -errno. The kernel keeps the first 15 characters of a name
 * (xdpong_event_rate is xdpong_event_ra there): those are compared. */
static int prog_map_fd(__u32 prog_id, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 ids[64], len = sizeof(info), i;
	int prog_fd, fd, ret = -ENOENT;

	prog_fd = bpf_prog_get_fd_by_id(prog_id);
	if (prog_fd < 0)
		return -errno;
	info.nr_map_ids = 64;
	info.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len)) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < info.nr_map_ids && i < 64; i++) {
		struct bpf_map_info minfo = {};
		__u32 mlen = sizeof(minfo);

		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &minfo, &mlen) &&
		    !strncmp(minfo.name, name, BPF_OBJ_NAME_LEN - 1)) {
			ret = fd;
			break;
		}
		close(fd);
	}
out:
	close(prog_fd);
	return ret;
}

/* Hand @skel the XDP program's maps, from its loaded object @xdp_obj or, for
 * one attached before (run adopting it), from the program @prog_id itself:
 * the programs then share them. */
static int reuse_maps(struct rtt_egress *skel, struct bpf_object *xdp_obj, __u32 prog_id,
		      const char **which)
{
	size_t i;
	int ret;

	for (i = 0; i < N_SHARED; i++) {
		struct bpf_map *ours = bpf_object__find_map_by_name(skel->obj, shared_maps[i]);
		int fd;

		*which = shared_maps[i];
		if (xdp_obj) {
			struct bpf_map *theirs = bpf_object__find_map_by_name(xdp_obj, shared_maps[i]);

			fd = theirs ? bpf_map__fd(theirs) : -ENOENT;
		} else {
			fd = prog_map_fd(prog_id, shared_maps[i]);
		}
		if (!ours || fd < 0)
			return -ENOENT;
		/* The definition comes with the descriptor: max_entries too, which
		 * attach sets on the XDP object's (--rtt-prefixes). reuse_fd()
		 * keeps a descriptor of its own. */
		ret = bpf_map__reuse_fd(ours, fd);
		if (!xdp_obj)
			close(fd);
		if (ret)
			return ret;
	}
	return 0;
}

/* Make <bpffs>/xdpong/<prog_id>/: tx_errors_keep() has, unless it failed. */
static int make_dirs(__u32 prog_id, char *dir, size_t len)
{
	int ret = snprintf(dir, len, "%s/%s", bpffs_dir(), XDPONG_PIN_DIR);

	if (ret < 0 || (size_t)ret >= len)
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	if ((ret = xdpong_pin_path(dir, len, prog_id, NULL)))
		return ret;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int rtt_egress_start(const char *iface, int ifindex, __u32 prog_id, struct bpf_object *xdp_obj)
{
	static const char attaching[] = "attaching";
	const char *step = "opening", *which = NULL;
	char dir[PATH_MAX] = "", path[PATH_MAX];
	struct rtt_egress *skel;
	LIBBPF_OPTS(bpf_link_create_opts, link_opts, .flags = BPF_F_BEFORE);
	int link_fd = -1, ret;

	/* 1. Open, and take the XDP program's maps instead of making ours. */
	skel = rtt_egress__open();
	if (!skel) {
		ret = -errno;
		goto fail;
	}
	step = "sharing the XDP program's maps with";
	if ((ret = reuse_maps(skel, xdp_obj, prog_id, &which)))
		goto fail;
	which = NULL;

	/* 2. Load, and attach at the interface's tcx egress. */
	step = "loading";
	if ((ret = rtt_egress__load(skel)))
		goto fail;
	step = attaching;
	/* In front of the interface's other tcx programs: one that ends the
	 * run would otherwise hide the host's requests from us, while ours
	 * always lets the run go on (TCX_NEXT). */
	link_fd = bpf_link_create(bpf_program__fd(skel->progs.XDPONG_PROG_RTT_EGRESS), ifindex,
				  BPF_TCX_EGRESS, &link_opts);
	if (link_fd < 0) {
		ret = -errno;
		goto fail;
	}

	/* 3. Pin the timer's map, then the link: they outlive us. */
	step = "pinning";
	if ((ret = make_dirs(prog_id, dir, sizeof(dir))) ||
	    (ret = xdpong_pin_path(path, sizeof(path), prog_id, pin_names[0])) ||
	    (ret = bpf_map__pin(skel->maps.XDPONG_MAP_RTT_SWEEP, path)) ||
	    (ret = xdpong_pin_path(path, sizeof(path), prog_id, pin_names[1])))
		goto fail;
	if (bpf_obj_pin(link_fd, path)) {
		ret = -errno;
		goto fail;
	}

	/* 4. Let go of our handles: the pins hold the program. */
	close(link_fd);
	rtt_egress__destroy(skel);
	return 0;
fail:
	if (ret == -ENOENT && which)
		log_error("warning: no round trips on '%s': the XDP program has no map %s "
		    "(built by another xdpong?)", iface, which);
	else if (ret == -EINVAL && step == attaching)
		log_error("warning: no round trips on '%s': this kernel has no tcx egress hook "
		    "(Linux 6.6 or later)", iface);
	else
		log_error("warning: no round trips on '%s': %s the egress program: %s%s", iface,
		    step, strerror(-ret), verbose ? "" : " (run with -v for details)");
	rtt_egress_remove(prog_id);
	if (link_fd >= 0)
		close(link_fd);
	rtt_egress__destroy(skel);
	return ret;
}

bool rtt_egress_present(__u32 prog_id)
{
	char path[PATH_MAX];

	return !xdpong_pin_path(path, sizeof(path), prog_id, pin_names[1]) && access(path, F_OK) == 0;
}

void rtt_egress_remove(__u32 prog_id)
{
	char path[PATH_MAX];
	size_t i;

	/* The link first: the program stops before its timer's map goes. */
	for (i = N_PINS; i-- > 0;)
		if (!xdpong_pin_path(path, sizeof(path), prog_id, pin_names[i]))
			unlink(path);
}
