// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_detach.c: `xdpong detach IFACE`. Removes our program; libxdp removes
 * its dispatcher and pins too when no other program is left on IFACE. Then
 * what attach pinned for it goes too: the egress program that times the
 * host's pings, and the tracer of failed transmits (whose folder it is in).
 */
#include <stdio.h>
#include "cli.h"

static int run(const char *iface, int ifindex)
{
	struct attached a;
	char msg[256];
	__u32 prog_id;
	int ret;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	prog_id = xdp_program__id(a.prog);

	ret = xdp_program__detach(a.prog, ifindex, a.mode, 0);
	if (ret) {
		libxdp_strerror(ret, msg, sizeof(msg));
		log_error("couldn't detach from '%s': %s", iface, msg);
		ret = EXIT_FAIL;
	} else {
		rtt_egress_remove(prog_id);
		tx_errors_remove(prog_id);
		printf("xdpong detached from %s\n", iface);
	}
	attached_close(&a);
	return ret;
}

const struct command cmd_detach = {
	.name = "detach",
	.args = "IFACE",
	.iface_required = true,
	.summary = "remove the responder from IFACE",
	.opts = (const struct opt[]){ {} },
	.run = run,
};
