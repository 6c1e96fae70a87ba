// SPDX-License-Identifier: GPL-2.0
/*
 * follow.c: follow an interface and our program on it, for every
 * long-running command: track and run (follow_check(): renamed, gone, our
 * program lost), and the readers, events and watch (reader_check(), on top:
 * a new xdpong on the interface is followed, and with none for
 * FOLLOW_GRACE_S they end, saying why).
 *
 * The interface is followed by its index, so a rename is noticed, not taken
 * for a removal. Our program is checked with bpf_xdp_query(), which costs
 * no descriptor: libxdp 1.3's xdp_multiprog__get_from_ifindex() leaks one
 * program descriptor per call (xdp-tools issue #343, fixed in libxdp 1.4),
 * so calling it every second ran track out of descriptors in ~17 minutes.
 * libxdp is asked only when the kernel reports other program ids on the
 * interface (libxdp replaces its dispatcher at every change, so any change
 * shows), which is rare.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "cli.h"

static int query(struct follow *f, __u32 ids[3])
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ret = bpf_xdp_query(f->ifindex, 0, &q);

	if (ret)
		return ret;
	ids[0] = q.drv_prog_id;
	ids[1] = q.skb_prog_id;
	ids[2] = q.hw_prog_id;
	return 0;
}

int follow_init(struct follow *f, int ifindex, const char *name, __u32 prog_id)
{
	memset(f, 0, sizeof(*f));
	f->ifindex = ifindex;
	f->prog_id = prog_id;
	snprintf(f->name, sizeof(f->name), "%s", name);
	return query(f, f->ids);
}

int follow_check(struct follow *f, char old_name[IF_NAMESIZE])
{
	char name[IF_NAMESIZE];
	struct attached a;
	__u32 ids[3];
	int ret, renamed = 0;

	if (f->lost)
		return -ENOENT;
	if (!if_indextoname(f->ifindex, name))
		return errno == ENXIO || errno == ENODEV ? -ENODEV : -errno;
	if (strcmp(name, f->name)) {
		memcpy(old_name, f->name, IF_NAMESIZE);
		memcpy(f->name, name, IF_NAMESIZE);
		renamed = FOLLOW_RENAMED;
	}
	ret = query(f, ids);
	if (ret)
		return ret;
	if (!memcmp(ids, f->ids, sizeof(ids)))
		return renamed;
	/* Something changed on the interface: is our program still there? */
	ret = attached_find(f->ifindex, &a);
	if (ret == 0 && xdp_program__id(a.prog) != f->prog_id)
		ret = -ENOENT; /* another xdpong replaced ours */
	attached_close(&a);
	if (ret == -ENOENT)
		f->lost = true; /* for good: a program attached later is not ours */
	else if (ret)
		return ret;     /* not an answer: ask again next time */
	memcpy(f->ids, ids, sizeof(ids));
	return ret ? ret : renamed;
}

/* ---- For the readers: events and watch ---- */
static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void reader_follow_init(struct reader_follow *r, const char *iface, int ifindex,
			const struct attached *a)
{
	memset(r, 0, sizeof(*r));
	r->iface = iface;
	follow_init(&r->f, ifindex, iface, xdp_program__id(a->prog));
}

int reader_check(struct reader_follow *r, struct attached *a)
{
	char old[IF_NAMESIZE];
	struct attached found;
	double now = mono_s();
	int ret;

	if (now - r->checked < FOLLOW_EVERY_S)
		return FOLLOW_SAME;
	r->checked = now;
	ret = follow_check(&r->f, old);
	if (ret == -ENODEV) {
		log_error("the interface '%s' is gone; stopping", r->iface);
		r->exit_code = EXIT_NODEV;
		return FOLLOW_END;
	}
	if (ret >= 0) {
		r->missing_since = 0;
		return FOLLOW_SAME;
	}
	if (ret != -ENOENT)
		return FOLLOW_SAME; /* no answer: ask again next time */
	/* Ours is gone: another xdpong in its place is followed. */
	ret = attached_find(r->f.ifindex, &found);
	if (!ret) {
		log_error("xdpong on '%s' was replaced: following the new program (id %u, was %u)",
		    r->iface, xdp_program__id(found.prog), r->f.prog_id);
		follow_init(&r->f, r->f.ifindex, r->iface, xdp_program__id(found.prog));
		r->missing_since = 0;
		attached_close(a);
		*a = found;
		return FOLLOW_NEW;
	}
	r->other = ret == -ENOENT && found.mp;
	attached_close(&found);
	if (!r->missing_since)
		r->missing_since = now;
	if (now - r->missing_since < FOLLOW_GRACE_S)
		return FOLLOW_SAME;
	if (r->other)
		log_error("xdpong on '%s' was replaced by another XDP program; stopping", r->iface);
	else
		log_error("xdpong was detached from '%s'; stopping", r->iface);
	r->exit_code = EXIT_STATE;
	return FOLLOW_END;
}
