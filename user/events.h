/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h: the parts of the event stream that `xdpong events` puts together
 * and that another long-running command can reuse: the event as JSON or text
 * (evformat.c) and the tcpdump filter (evfilter.c). Free of <linux/bpf.h>,
 * so that evfilter.c can include it beside <pcap/pcap.h> (both define
 * struct bpf_insn).
 */
#ifndef XDPONG_EVENTS_H
#define XDPONG_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "xdpong.h"

/* ---- One event, rendered (evformat.c) ---- */
/* One JSON object on one line, without the newline: malloc'd, or NULL. */
char *event_json(const char *iface, const struct xdpong_event *e, __u64 real_ns);
/* One line of text, with its newline, to f. */
void event_text(FILE *f, const char *iface, const struct xdpong_event *e, __u64 real_ns);
/* Add to an event's ts_ns (CLOCK_MONOTONIC) for the wall-clock time. */
__s64 event_clock_offset(void);
/* The captured bytes of the event's packet. */
static inline unsigned int event_caplen(const struct xdpong_event *e)
{
	return e->cap_len <= XDPONG_EVENT_SNAPLEN ? e->cap_len : XDPONG_EVENT_SNAPLEN;
}

/* ---- A tcpdump filter over the event's packet (evfilter.c, libpcap) ---- */
struct evfilter;
/* Compile expr (pcap-filter(7)) for Ethernet frames of at most snaplen
 * captured bytes; NULL with libpcap's message in errbuf. */
struct evfilter *evfilter_new(const char *expr, unsigned int snaplen, char *errbuf, size_t len);
/* Whether the frame (caplen bytes captured of len) matches. */
bool evfilter_match(const struct evfilter *f, const void *data, unsigned int caplen,
		    unsigned int len);
void evfilter_free(struct evfilter *f);

#endif /* XDPONG_EVENTS_H */
