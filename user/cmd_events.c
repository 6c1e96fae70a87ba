// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_events.c: `xdpong events IFACE [--json] [--output FILE]
 * [--write FILE.pcap] [--filter EXPR]`: the event stream from the ring
 * buffer, as text or JSON lines on standard output, or JSON lines in a file
 * that rotates by size, for a log shipper (eventlog.c); with --write, the
 * packets' first bytes as a pcap file (libpcap) that tcpdump and Wireshark
 * read; with --filter, only the events whose packet a tcpdump filter
 * matches, in every output. Until Ctrl-C, --count events, an output that
 * fails, or xdpong detached (a new xdpong on the interface is followed:
 * follow.c).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "events.h"
#include "pcapout.h"
#include "run.h"

static struct {
	bool json;
	struct str_list write;
	unsigned int count;
} opts;

/* The event file and the filter: events' options, which run takes too (run.h). */
static struct {
	struct str_list filter;
	struct str_list output;
	struct str_list output_size;
	unsigned int output_backups;
} out_opts = { .output_backups = EVENTLOG_DEFAULT_BACKUPS };

const struct opt eventout_opts[] = {
	{ "output", 'o', OPT_STRING, &out_opts.output, "FILE",
	  "write the events as JSON lines to FILE (rotated by size; SIGHUP reopens it)" },
	{ "output-size", 's', OPT_STRING, &out_opts.output_size, "SIZE",
	  "rotate FILE at SIZE bytes (k, M, G: 1024s; default 10M; 0: never)" },
	{ "output-backups", 'k', OPT_UINT, &out_opts.output_backups, "N",
	  "keep N rotated files, FILE.1 (newest) to FILE.N (default 5)", NULL, 1000 },
	{ "filter", 'f', OPT_STRING, &out_opts.filter, "EXPR",
	  "only the events whose packet matches EXPR, a tcpdump filter (pcap-filter(7))" },
	{}
};

static const struct opt events_opts[] = {
	{ "json", 'j', OPT_FLAG, &opts.json, NULL, "print JSON lines" },
	{ "write", 'w', OPT_STRING, &opts.write, "FILE.pcap",
	  "also write the packets (their first bytes) to a pcap file" },
	{ "count", 'n', OPT_UINT, &opts.count, "N", "stop after N events (default: until Ctrl-C)",
	  NULL, 100000000 },
	{}
};

const char *eventout_path(void)
{
	return out_opts.output.n ? out_opts.output.v[0] : NULL;
}

unsigned int eventout_backups(void)
{
	return out_opts.output_backups;
}

int eventout_check(const char *cmd, bool filter_needs_output, unsigned long long *max_bytes,
		   struct evfilter **filter)
{
	static const struct {
		const struct str_list *l;
		const char *what;
	} once[] = {
		{ &out_opts.output, "--output takes one file" },
		{ &out_opts.output_size, "--output-size takes one size" },
		{ &out_opts.filter, "--filter takes one expression (join them with 'and')" },
	};
	char errbuf[256];
	size_t i;

	*filter = NULL;
	for (i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		if (once[i].l->n > 1) {
			log_error("%s: %s", cmd, once[i].what);
			return EXIT_USAGE;
		}
	}
	*max_bytes = EVENTLOG_DEFAULT_MAX_BYTES;
	if (out_opts.output_size.n && eventlog_parse_size(out_opts.output_size.v[0], max_bytes)) {
		log_error("%s: --output-size: '%s' is not a size (bytes, or with k, M, G)",
		    cmd, out_opts.output_size.v[0]);
		return EXIT_USAGE;
	}
	if (!out_opts.output.n && (out_opts.output_size.n ||
	    out_opts.output_backups != EVENTLOG_DEFAULT_BACKUPS ||
	    (filter_needs_output && out_opts.filter.n))) {
		log_error("%s: --output-size%s --output-backups go with --output", cmd,
		    filter_needs_output ? ", --filter and" : " and");
		return EXIT_USAGE;
	}
	if (out_opts.filter.n) {
		*filter = evfilter_new(out_opts.filter.v[0], XDPONG_EVENT_SNAPLEN, errbuf,
				       sizeof(errbuf));
		if (!*filter) {
			log_error("%s: --filter '%s': %s", cmd, out_opts.filter.v[0], errbuf);
			return EXIT_USAGE;
		}
	}
	return 0;
}

static const char STDOUT_NAME[] = "standard output";

struct reader {
	const char *iface;
	struct eventlog *log;    /* --output, or NULL: standard output */
	struct pcap_out *pcap;
	struct evfilter *filter; /* --filter, or NULL */
	__s64 mono_to_real_ns;   /* add to a CLOCK_MONOTONIC time for wall time */
	unsigned int seen;
	bool done;               /* --count reached, or an output failed */
	const char *failed;      /* the output that failed (STDOUT_NAME, a path) ... */
	int failed_errno;        /* ... and why */
};

/* Stop reading: an output can't be written. */
static int output_failed(struct reader *r, const char *output, int error)
{
	r->failed = output;
	r->failed_errno = error;
	r->done = true;
	return -EINTR;
}

/* Whether standard output is a pipe or socket with no one left to read it
 * (`xdpong events eth0 | head -1`), noticed before the next event. */
static bool stdout_abandoned(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO };
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return false;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct reader *r = ctx;
	const struct xdpong_event *e = data;
	__u64 real_ns;

	if (size < sizeof(*e))
		return 0;
	if (r->filter && !evfilter_match(r->filter, e->data, event_caplen(e), e->pkt_len))
		return 0;
	real_ns = e->ts_ns + r->mono_to_real_ns;
	if (r->log) {
		char *line = event_json(r->iface, e, real_ns);
		int ret = line ? eventlog_write(r->log, line, strlen(line)) : 0;

		free(line);
		/* -ENOBUFS: the disk is behind; the line is counted, not waited for. */
		if (ret && ret != -ENOBUFS)
			return output_failed(r, eventout_path(), -ret);
	} else {
		if (opts.json) {
			char *line = event_json(r->iface, e, real_ns);

			if (line)
				printf("%s\n", line);
			free(line);
		} else {
			event_text(stdout, r->iface, e, real_ns);
		}
		if (fflush(stdout) || ferror(stdout))
			return output_failed(r, STDOUT_NAME, errno);
	}
	if (r->pcap && pcap_out_write(r->pcap, real_ns, e->data, event_caplen(e), e->pkt_len))
		return output_failed(r, opts.write.v[0], errno);
	r->seen++;
	r->done = opts.count && r->seen >= opts.count;
	/* A negative return stops ring_buffer__poll(). */
	return r->done ? -EINTR : 0;
}

/* A ring-buffer reader for the program's events. */
static struct ring_buffer *reader_open(const char *iface, const struct attached *a,
				       struct reader *r)
{
	struct ring_buffer *rb = ring_buffer__new(a->map_fd[MAP_EVENTS], on_event, r, NULL);

	if (!rb)
		log_error("can't read the events of '%s': %s", iface, strerror(errno));
	return rb;
}

static volatile int reopen_requested;

static void on_hup(int sig)
{
	(void)sig;
	reopen_requested = 1;
}

/* The options that take one value, and those that need --output; the filter. */
static int check_opts(unsigned long long *max_bytes, struct evfilter **filter)
{
	if (opts.write.n > 1) {
		log_error("events: --write takes one file");
		return EXIT_USAGE;
	}
	return eventout_check("events", false, max_bytes, filter);
}

/* After the loop: say what failed. The reader of a pipe gone is an end like
 * --count; another error is one. */
static int report_failure(struct reader *r)
{
	char msg[PATH_MAX + 128];

	if (!r->failed || (r->failed == STDOUT_NAME && r->failed_errno == EPIPE))
		return EXIT_OK;
	if (r->failed == STDOUT_NAME)
		log_error("can't write to %s: %s", r->failed, strerror(r->failed_errno));
	else if (r->log && eventlog_error(r->log, msg, sizeof(msg)))
		log_error("%s", msg); /* what the writer was doing: open, write, rename */
	else
		log_error("can't write '%s': %s", r->failed, strerror(r->failed_errno));
	return EXIT_FAIL;
}

static int run(const char *iface, int ifindex)
{
	struct reader r = { .iface = iface };
	struct sigaction hup = { .sa_handler = on_hup };
	unsigned long long max_bytes, lost;
	struct ring_buffer *rb = NULL;
	struct attached a;
	struct reader_follow fl;
	char errbuf[256];
	int ret, n;

	if ((ret = check_opts(&max_bytes, &r.filter)))
		return ret;
	if ((ret = attached_open(ifindex, iface, &a))) {
		evfilter_free(r.filter);
		return ret;
	}

	if (eventout_path()) {
		r.log = eventlog_open(eventout_path(), max_bytes, eventout_backups());
		if (!r.log) {
			log_error("can't write '%s': %s", eventout_path(), strerror(errno));
			ret = EXIT_FAIL;
			goto out;
		}
	}
	if (opts.write.n) {
		r.pcap = pcap_out_open(opts.write.v[0], XDPONG_EVENT_SNAPLEN, errbuf, sizeof(errbuf));
		if (!r.pcap) {
			log_error("can't write '%s': %s", opts.write.v[0], errbuf);
			ret = EXIT_FAIL;
			goto out;
		}
	}
	rb = reader_open(iface, &a, &r);
	if (!rb) {
		ret = EXIT_FAIL;
		goto out;
	}
	catch_stop_signals();
	if (r.log)
		sigaction(SIGHUP, &hup, NULL); /* reopen, as log rotators ask */
	reader_follow_init(&fl, iface, ifindex, &a);
	ret = EXIT_OK;
	while (!stop_requested && !r.done) {
		/* Anew each time: the wall clock moves against the monotonic one
		 * (NTP) over a run of weeks. */
		r.mono_to_real_ns = event_clock_offset();
		n = ring_buffer__poll(rb, 200);

		if (n < 0 && n != -EINTR) {
			log_error("reading events failed: %s", strerror(-n));
			ret = EXIT_FAIL;
			break;
		}
		if (reopen_requested) {
			reopen_requested = 0;
			eventlog_reopen(r.log);
		}
		if (!r.done && !r.log && stdout_abandoned())
			output_failed(&r, STDOUT_NAME, EPIPE);
		/* The writer failed with no event since: stop now, not at the next. */
		if (!r.done && r.log && (n = eventlog_error(r.log, NULL, 0)))
			output_failed(&r, eventout_path(), -n);
		if (stop_requested || r.done)
			break;
		n = reader_check(&fl, &a);
		if (n == FOLLOW_END) {
			ret = fl.exit_code;
			break;
		}
		if (n == FOLLOW_NEW) {
			/* What the old program left in its ring, then the new one's. */
			ring_buffer__consume(rb);
			ring_buffer__free(rb);
			rb = reader_open(iface, &a, &r);
			if (!rb) {
				ret = EXIT_FAIL;
				break;
			}
		}
	}
	if (r.failed)
		ret = report_failure(&r);
out:
	if (r.log) {
		lost = eventlog_dropped(r.log);
		if (lost)
			log_warning("%llu events were not written to '%s': the disk was behind "
			     "(the file says where: \"lost_events\")", lost, eventout_path());
		/* The lines still queued are written first. */
		n = eventlog_close(r.log);
		if (n == -ETIMEDOUT)
			log_error("'%s' took nothing for %d s: the events still queued are lost",
			    eventout_path(), EVENTLOG_CLOSE_WAIT_S);
		else if (n && !r.failed)
			log_error("can't write '%s': %s", eventout_path(), strerror(-n));
		if (n && !r.failed)
			ret = EXIT_FAIL;
	}
	ring_buffer__free(rb);
	pcap_out_close(r.pcap);
	evfilter_free(r.filter);
	attached_close(&a);
	return ret;
}

const struct command cmd_events = {
	.name = "events",
	.args = "IFACE",
	.iface_required = true,
	.summary = "stream ICMP error events (text or JSON lines, a rotated file, pcap)",
	.opts = events_opts,
	.more_opts = (const struct opt *const[]){ eventout_opts, NULL },
	.run = run,
};
