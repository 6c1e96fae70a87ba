/* SPDX-License-Identifier: GPL-2.0 */
/*
 * events.h: the parts of the event stream that `xdpong events` puts together
 * and that another long-running command can reuse: the event as JSON or text
 * (evformat.c), the tcpdump filter (evfilter.c) and the rotating JSON-lines
 * file (eventlog.c). Free of <linux/bpf.h>, so that evfilter.c can include
 * it beside <pcap/pcap.h> (both define struct bpf_insn).
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
/* The captured bytes of the event's packet: 0 for an event without one
 * (XDPONG_EV_LOST, sent by the sweep, not by a packet): no --filter matches
 * such an event (evfilter_match()). */
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

/* ---- The event file: JSON lines, rotated by size (eventlog.c) ---- */
/*
 * A thread of its own writes the file, so a slow or stuck disk never holds
 * up the caller (the ring-buffer reader): eventlog_write() only copies the
 * line into a bounded queue, and drops it, counted, when the queue is full;
 * the next line written after that is {"time":...,"lost_events":N}.
 * The file is opened for appending. When a line would take it past
 * max_bytes, it is renamed PATH.1 (PATH.1 to PATH.2, ..., the oldest of
 * `backups` dropped) and a new PATH begins; max_bytes 0: never rotated (an
 * outside logrotate then asks for eventlog_reopen()). Only regular files
 * rotate. A write, rotation or open that fails stops the writer: from then
 * on eventlog_write() returns the error, and eventlog_error() says what
 * failed.
 */
#define EVENTLOG_DEFAULT_MAX_BYTES (10ULL << 20) /* as Hubble's exporter: 10 MB x 5 */
#define EVENTLOG_DEFAULT_BACKUPS   5
#define EVENTLOG_QUEUE_BYTES       (1U << 20)    /* what may wait for the disk */
#define EVENTLOG_CLOSE_WAIT_S      2             /* for the queue's last lines */

struct eventlog;
/* Open (create) path and start the writer; NULL with errno set. */
struct eventlog *eventlog_open(const char *path, unsigned long long max_bytes,
			       unsigned int backups);
/* Queue one line (given without its newline). Never waits for the disk.
 * Returns 0; -ENOBUFS if the queue was full (dropped, counted); or the
 * -errno that stopped the writer. */
int eventlog_write(struct eventlog *l, const char *line, size_t len);
/* Close the file and open path again before the next line (a log rotator
 * moved it): call it from the main loop after SIGHUP, not from the handler. */
void eventlog_reopen(struct eventlog *l);
/* 0, or the -errno that stopped the writer, with what failed in msg. */
int eventlog_error(struct eventlog *l, char *msg, size_t len);
/* Lines dropped so far because the writer was behind. */
unsigned long long eventlog_dropped(struct eventlog *l);
/* Write what is queued, stop the writer, close the file. Returns 0 or the
 * writer's -errno; -ETIMEDOUT if the writer was still stuck in a write after
 * EVENTLOG_CLOSE_WAIT_S (it is left to the process's exit). NULL is fine. */
int eventlog_close(struct eventlog *l);
/* "10M", "512k", "1G" (powers of 1024) or bytes: 0, or -EINVAL. */
int eventlog_parse_size(const char *s, unsigned long long *bytes);

#endif /* XDPONG_EVENTS_H */
