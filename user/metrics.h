/* SPDX-License-Identifier: GPL-2.0 */
/* metrics.h: the Prometheus exposition of every attached interface (metrics.c). */
#ifndef XDPONG_METRICS_H
#define XDPONG_METRICS_H

#include <stddef.h>

/*
 * Read the counters of every interface xdpong is attached to, now, and
 * return them in the Prometheus text format 0.0.4: a malloc'd buffer of
 * *len bytes, or NULL with errno set. @rtt_prefixes: the round trips of the
 * busiest destination prefixes of each interface exported too, at most
 * that many (serve --rtt-prefix-metrics; 0: none, the totals only).
 */
char *metrics_render(unsigned int rtt_prefixes, size_t *len);

#endif /* XDPONG_METRICS_H */
