// SPDX-License-Identifier: GPL-2.0
/*
 * follow.c: for the commands that read an attached program for a long time
 * (events, watch): notice when it is detached or replaced. The maps they
 * hold outlive the program, so without this they would read a ring buffer
 * no one writes, or counters frozen at zero rates, forever.
 *
 * Each check asks the kernel which XDP programs the interface has
 * (bpf_xdp_query(): one netlink request). Only when those ids change is
 * libxdp asked which one is xdpong (in a new dispatcher, it may still be
 * ours). A new xdpong is followed; with none, the command waits
 * FOLLOW_GRACE_S for one (a detach and attach, an upgrade) and then ends.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "cli.h"

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void follow_init(struct follow *f, const char *iface, int ifindex, const struct attached *a)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	memset(f, 0, sizeof(*f));
	f->iface = iface;
	f->ifindex = ifindex;
	f->prog_id = xdp_program__id(a->prog);
	if (!bpf_xdp_query(ifindex, 0, &q)) {
		f->ids[0] = q.drv_prog_id;
		f->ids[1] = q.skb_prog_id;
		f->ids[2] = q.hw_prog_id;
	}
}

int follow_check(struct follow *f, struct attached *a)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct attached found;
	char name[IF_NAMESIZE];
	double now = mono_s();
	int ret;

	if (now - f->checked < FOLLOW_EVERY_S)
		return FOLLOW_SAME;
	f->checked = now;
	/* bpf_xdp_query() finds no program on an interface that is gone. */
	ret = if_indextoname(f->ifindex, name) ? bpf_xdp_query(f->ifindex, 0, &q) : -ENODEV;
	if (ret == -ENODEV) {
		err("the interface '%s' is gone; stopping", f->iface);
		f->exit_code = EXIT_NODEV;
		return FOLLOW_END;
	}
	if (ret) {
		err("can't read the XDP state of '%s': %s", f->iface, strerror(-ret));
		f->exit_code = EXIT_FAIL;
		return FOLLOW_END;
	}
	if (q.drv_prog_id != f->ids[0] || q.skb_prog_id != f->ids[1] ||
	    q.hw_prog_id != f->ids[2]) {
		f->ids[0] = q.drv_prog_id;
		f->ids[1] = q.skb_prog_id;
		f->ids[2] = q.hw_prog_id;
		ret = attached_find(f->ifindex, &found);
		/* Another XDP program, or an xdpong whose maps we can't read. */
		f->other = ret == -ENOENT && found.mp;
		if (ret && ret != -ENOENT)
			f->ids[0] = f->ids[1] = f->ids[2] = ~0U; /* ask again next time */
		if (!ret && xdp_program__id(found.prog) == f->prog_id) {
			attached_close(&found); /* ours, in a new dispatcher */
			f->missing_since = 0;
		} else if (!ret) {
			err("xdpong on '%s' was replaced: following the new program (id %u, was %u)",
			    f->iface, xdp_program__id(found.prog), f->prog_id);
			f->prog_id = xdp_program__id(found.prog);
			f->missing_since = 0;
			attached_close(a);
			*a = found;
			return FOLLOW_NEW;
		} else {
			attached_close(&found);
			if (!f->missing_since)
				f->missing_since = now;
		}
	}
	if (f->missing_since && now - f->missing_since >= FOLLOW_GRACE_S) {
		if (f->other)
			err("xdpong on '%s' was replaced by another XDP program; stopping", f->iface);
		else
			err("xdpong was detached from '%s'; stopping", f->iface);
		f->exit_code = EXIT_STATE;
		return FOLLOW_END;
	}
	return FOLLOW_SAME;
}
