/* SPDX-License-Identifier: GPL-2.0 */
/* run.h: what `xdpong run` (cmd_run.c) takes from attach and serve, and its
 * readiness notices to the service manager (notify.c). */
#ifndef XDPONG_RUN_H
#define XDPONG_RUN_H

#include <stdbool.h>
#include "cli.h"

/* ---- attach (cmd_attach.c): its options, and attaching with them ---- */
extern const struct opt attach_opts[];
/* Attach to IFACE as `xdpong attach` does; returns 0 or an exit code. */
int attach_iface(const char *iface, int ifindex);
/* The config the options make, before the host's part. */
int attach_make_config(struct xdpong_config *cfg);
/* The --address list; whether --mode was given, and which. */
const struct addr_list *attach_addresses(void);
bool attach_mode_asked(enum xdp_attach_mode *mode);

/* ---- serve (cmd_serve.c): the endpoint and the textfile, in the caller's loop ---- */
extern const struct opt serve_opts[];
/* Check serve's options, write the textfile once, listen; 0 or an exit code. */
int serve_start(void);
/* The descriptor to poll for input (-1: none), and the longest wait in ms. */
int serve_fd(void);
int serve_wait_ms(void);
/* After the poll: answer clients, cut the overdue, write the textfile if due. */
void serve_work(void);
/* Write the textfile at the next serve_work(). */
void serve_write_soon(void);
void serve_stop(void);

#endif /* XDPONG_RUN_H */
