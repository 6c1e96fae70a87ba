/* SPDX-License-Identifier: GPL-2.0 */
/* run.h: what `xdpong run` (cmd_run.c) takes from attach and serve, and its
 * readiness notices to the service manager (notify.c). */
#ifndef XDPONG_RUN_H
#define XDPONG_RUN_H

#include <stdbool.h>
#include <sys/types.h>
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
/* Whether --no-rtt was given: the host's pings not timed. */
bool attach_no_rtt(void);

/* ---- serve (cmd_serve.c): the endpoint and the textfile, in the caller's loop ---- */
extern const struct opt serve_opts[];
/* Check serve's options, write the textfile once, listen; 0 or an exit code. */
int serve_start(void);
/* The descriptor to poll for input (-1: none), and the longest wait in ms. */
int serve_fd(void);
int serve_wait_ms(void);
/* After the poll: answer clients, cut the overdue, write the textfile if due. */
void serve_work(void);
/* Write the textfile at the next serve_work(); false if there is none. */
bool serve_write_soon(void);
void serve_stop(void);

/* ---- events (cmd_events.c): the event file's options (and --filter) ---- */
struct evfilter;
extern const struct opt eventout_opts[];
/* --output's FILE, or NULL; --output-backups. */
const char *eventout_path(void);
unsigned int eventout_backups(void);
/* Check the options (@cmd names the command in messages; @filter_needs_output:
 * --filter only with --output); --output-size in *max_bytes, the compiled
 * --filter (or NULL) in *filter. Returns 0 or EXIT_USAGE, said. */
int eventout_check(const char *cmd, bool filter_needs_output, unsigned long long *max_bytes,
		   struct evfilter **filter);

/* ---- The service manager's notifications (notify.c, sd_notify(3)) ---- */
/* Read $WATCHDOG_USEC: the watchdog, if the unit has WatchdogSec=. */
void notify_init(void);
/* Seconds between WATCHDOG=1 (0: no watchdog); ms until the next (-1: none). */
double notify_watchdog_period(void);
int notify_wait_ms(void);
/* WATCHDOG=1, if it is time. */
void notify_watchdog(void);
/* STATUS=, a one-line summary (sent only when it changes). */
void notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notify_ready(void);
void notify_reloading(void);
void notify_stopping(void);

/* ---- One run per interface (lock.c) ---- */
/*
 * Lock @ifindex of this network namespace for this process: a flock(2)'d
 * file in the run directory, which the kernel releases when the process
 * ends, kill -9 included. Returns the file's descriptor; -EWOULDBLOCK if
 * another process holds it (its pid in *@holder, 0 if unknown); or -errno.
 */
int iface_lock(int ifindex, const char *iface, pid_t *holder);
/* Release it (and remove the file). */
void iface_unlock(int fd, int ifindex);
/* $RUNTIME_DIRECTORY (systemd's RuntimeDirectory=), else /run/xdpong. */
const char *run_dir(void);

#endif /* XDPONG_RUN_H */
