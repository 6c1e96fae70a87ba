/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtt.h: ping telemetry as the CLI reads it: the host's own pings
 * (rtt.c: round trips and loss per destination prefix) and the pings it
 * answers (pingers.c: flows added up per source prefix). Used by rtt,
 * pingers, stats, watch and serve; the layouts are include/xdpong.h's.
 */
#ifndef XDPONG_USER_RTT_H
#define XDPONG_USER_RTT_H

#include <stdbool.h>
#include <stddef.h>
#include "cli.h"

/* ---- The host's pings (rtt.c) ---- */

/* One row: a destination prefix, a family's total, or a family's "other". */
struct rtt_row {
	struct xdpong_rtt_prefix_key key; /* total and other: family set, prefixlen 0 */
	struct xdpong_rtt_stats s;        /* summed over CPUs (min_ns: the least non-zero) */
};

struct rtt_table {
	bool enabled;            /* the egress program is attached (XDPONG_F_RTT) */
	struct xdpong_rtt_config cfg;
	struct rtt_row total[2]; /* [0] IPv4, [1] IPv6 */
	struct rtt_row other[2]; /* the total less the rows: prefixes pushed out */
	struct rtt_row *rows;    /* prefixes, busiest (most sent) first */
	size_t n;
};

/* Read @a's ping telemetry. Returns 0, -ENOENT if the program has none
 * (attached by an older xdpong), or -errno. */
int rtt_read(const struct attached *a, struct rtt_table *t);
void rtt_table_free(struct rtt_table *t);
/* @s's round trip at quantile @q (0..1), in ns: interpolated within its
 * bucket, clamped to [min_ns, max_ns]. 0 if nothing was measured. */
double rtt_quantile(const struct xdpong_rtt_stats *s, double q);
/* "198.18.0.0/24", "2001:2::/48", "other (IPv4)", "all (IPv6)". */
void rtt_row_name(const struct rtt_row *r, bool other, char *buf, size_t len);
/* Add @from's counts and buckets to @to's, and widen its min and max. */
void rtt_stats_add(struct xdpong_rtt_stats *to, const struct xdpong_rtt_stats *from);
/* The share of the settled requests (replied or lost) that were lost; 0..1. */
double rtt_loss(const struct xdpong_rtt_stats *s);

/* ---- Shown by rtt and stats (cmd_rtt.c) ---- */
struct json_object;
/* `rtt --json`'s object; @top: the busiest prefixes only (0: all). */
struct json_object *rtt_json(const char *iface, const struct rtt_table *t, size_t top);
/* The families' totals, for stats: sent, lost, loss, p50, p99. */
void rtt_print_totals(const struct rtt_table *t);

/* ---- The pings the host answers (pingers.c) ---- */

/* One source prefix: its flows added up. */
struct pinger_row {
	__u8 family;             /* 4 or 6 */
	__u8 prefixlen;
	struct xdpong_addr_key prefix;
	unsigned int flows;
	struct xdpong_pinger sum;   /* counters added; jitter_ns: the flows' mean,
				     * weighted by timestamped requests */
	double rate;                /* requests a second over the flows' span */
};

struct pinger_table {
	bool enabled;               /* XDPONG_F_PINGERS */
	struct pinger_row *rows;    /* busiest first */
	size_t n;
};

/* Read @a's flows, added up by source prefix /@prefix_v4 and /@prefix_v6. */
int pingers_read(const struct attached *a, unsigned int prefix_v4, unsigned int prefix_v6,
		 struct pinger_table *t);
void pinger_table_free(struct pinger_table *t);

#endif /* XDPONG_USER_RTT_H */
