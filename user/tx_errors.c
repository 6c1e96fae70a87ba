// SPDX-License-Identifier: GPL-2.0
/*
 * tx_errors.c: the tracer of replies the driver failed to transmit after
 * XDP_TX (bpf/tx_errors.bpf.c). `xdpong attach` loads it for the interface
 * and attaches it before the XDP program, so the first reply is covered, then
 * pins its two links and its counter map in bpffs under
 * XDPONG_PIN_DIR/<the XDP program's id>/: they outlive the command as the XDP
 * program does. The other commands find the map there from the program they
 * find on the interface; `xdpong detach` unpins all three, which detaches the
 * tracer. If the XDP program goes away without detach (its interface
 * deleted), the next command that checks bpffs sweeps its pins, and those
 * of the round trips' egress program beside them (rtt_egress.c).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "tx_errors.skel.h"

/* What is pinned in each program's folder. */
static const char *const pin_names[] = {
	XDPONG_STR(XDPONG_MAP_TX_FAILED),
	XDPONG_STR(XDPONG_PROG_TXF_EXCEPTION),
	XDPONG_STR(XDPONG_PROG_TXF_BULK),
};
#define N_PINS (sizeof(pin_names) / sizeof(pin_names[0]))

/* <bpffs>/xdpong, <bpffs>/xdpong/<prog_id>, or <bpffs>/xdpong/<prog_id>/<name>. */
int xdpong_pin_path(char *buf, size_t len, __u32 prog_id, const char *name)
{
	int n;

	if (!prog_id)
		n = snprintf(buf, len, "%s/%s", bpffs_dir(), XDPONG_PIN_DIR);
	else if (!name)
		n = snprintf(buf, len, "%s/%s/%u", bpffs_dir(), XDPONG_PIN_DIR, prog_id);
	else
		n = snprintf(buf, len, "%s/%s/%u/%s", bpffs_dir(), XDPONG_PIN_DIR, prog_id, name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

struct tx_errors *tx_errors_start(const char *iface, int ifindex)
{
	struct tx_errors *skel;
	struct stat ns;
	int ret;

	/* 1. Open, and say which device counts: its ifindex and namespace. */
	skel = tx_errors__open();
	if (!skel) {
		ret = -errno;
		goto fail;
	}
	skel->rodata->target_ifindex = ifindex;
	if (stat("/proc/self/ns/net", &ns) == 0)
		skel->rodata->target_netns = ns.st_ino;

	/* 2. Load and attach both tracepoints (tp_btf: no tracefs needed). */
	if ((ret = tx_errors__load(skel)) || (ret = tx_errors__attach(skel)))
		goto fail;
	return skel;
fail:
	log_error("warning: can't count the replies '%s' fails to transmit (tx_failed): %s%s", iface,
	    strerror(-ret), verbose ? "" : " (run with -v for details)");
	tx_errors__destroy(skel);
	return NULL;
}

int tx_errors_keep(struct tx_errors *t, const char *iface, __u32 prog_id)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int ret;

	if (!t)
		return -EINVAL;
	if ((ret = xdpong_pin_path(dir, sizeof(dir), 0, NULL)) ||
	    (mkdir(dir, 0700) && errno != EEXIST && (ret = -errno)) ||
	    (ret = xdpong_pin_path(dir, sizeof(dir), prog_id, NULL)) ||
	    (mkdir(dir, 0700) && (ret = -errno)))
		goto fail;
	/* The map first: a command that finds it finds a tracer feeding it. */
	if ((ret = xdpong_pin_path(path, sizeof(path), prog_id, pin_names[0])) ||
	    (ret = bpf_map__pin(t->maps.XDPONG_MAP_TX_FAILED, path)) ||
	    (ret = xdpong_pin_path(path, sizeof(path), prog_id, pin_names[1])) ||
	    (ret = bpf_link__pin(t->links.XDPONG_PROG_TXF_EXCEPTION, path)) ||
	    (ret = xdpong_pin_path(path, sizeof(path), prog_id, pin_names[2])) ||
	    (ret = bpf_link__pin(t->links.XDPONG_PROG_TXF_BULK, path)))
		goto fail;
	return 0;
fail:
	log_error("warning: can't keep the count of replies '%s' fails to transmit (tx_failed): "
	    "pinning in %s: %s", iface, dir, strerror(-ret));
	tx_errors_remove(prog_id);
	return ret;
}

void tx_errors_close(struct tx_errors *t)
{
	tx_errors__destroy(t);
}

int tx_errors_open(__u32 prog_id)
{
	char path[PATH_MAX];
	int fd, ret;

	if ((ret = xdpong_pin_path(path, sizeof(path), prog_id, pin_names[0])))
		return ret;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

void tx_errors_remove(__u32 prog_id)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < N_PINS; i++)
		if (!xdpong_pin_path(path, sizeof(path), prog_id, pin_names[i]))
			unlink(path);
	/* The round trips' egress program is pinned here too (rtt_egress.c):
	 * the folder goes only once it is empty. */
	rtt_egress_remove(prog_id);
	if (!xdpong_pin_path(path, sizeof(path), prog_id, NULL))
		rmdir(path);
	/* The last one out removes the folder; others may still be in it. */
	if (!xdpong_pin_path(path, sizeof(path), 0, NULL))
		rmdir(path);
}

void tx_errors_sweep(void)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;

	if (xdpong_pin_path(path, sizeof(path), 0, NULL) || !(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		char *end;
		unsigned long id = strtoul(e->d_name, &end, 10);
		int fd;

		if (!id || *end || id > UINT_MAX)
			continue;
		/* Program ids are allocated cyclically: one that is gone stays gone. */
		fd = bpf_prog_get_fd_by_id(id);
		if (fd >= 0)
			close(fd);
		else if (errno == ENOENT)
			tx_errors_remove(id);
	}
	closedir(d);
}
