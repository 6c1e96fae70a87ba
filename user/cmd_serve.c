// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_serve.c: `xdpong serve [--listen ADDR:PORT] [--timeout S]
 * [--textfile DIR [--interval S]] [--rtt-prefix-metrics N]`: a Prometheus
 * endpoint served by
 * libmicrohttpd, with the counters of every interface xdpong is attached to,
 * read afresh at each scrape (metrics.c renders them); or the same metrics
 * rewritten every interval in a file for node_exporter's textfile collector;
 * or both. Until Ctrl-C or SIGTERM.
 *
 * One thread runs everything: libmicrohttpd in its external-loop mode over
 * epoll, and between its rounds the deadline of every connection and the
 * textfile. So that no client can deny the endpoint to the others,
 * connections are limited in all and per client address, and each one must
 * send its request and take its answer within the timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include "cli.h"
#include "metrics.h"
#include "run.h"

/*
 * Not 9798, nor any port from 9090 to 9999: Prometheus' "Default port
 * allocations" gives 9090-9099 to its own components and 9100-9999 to
 * exporters, and that range is full (9798 is another exporter's). 17798 is
 * outside it, in no Debian /etc/services entry, and below Linux's ephemeral
 * ports (32768-60999), so no outgoing connection takes it first.
 */
#define DEFAULT_LISTEN   "127.0.0.1:17798"
#define MAX_CONNECTIONS  64  /* in all: MHD stops accepting beyond, until one closes */
#define MAX_PER_ADDRESS  8   /* per client address: MHD closes the others at once */
#define DEFAULT_TIMEOUT  10  /* seconds: Prometheus' default scrape timeout */
#define TICK_MS          250 /* deadlines are checked at least this often */
#define TEXTFILE_NAME    "xdpong.prom" /* node_exporter reads *.prom only */
#define DEFAULT_INTERVAL 15.0

static struct {
	struct str_list listen;
	unsigned int timeout;
	struct str_list textfile;
	double interval;
	unsigned int rtt_prefixes;
} opts = { .timeout = DEFAULT_TIMEOUT };

const struct opt serve_opts[] = {
	{ "listen", 'l', OPT_STRING, &opts.listen, "ADDR:PORT",
	  "where to listen (default " DEFAULT_LISTEN ", unless --textfile alone; "
	  "[::1]:PORT for IPv6)" },
	{ "timeout", 'T', OPT_UINT, &opts.timeout, "S",
	  "a client has S seconds to send its request and take the answer (default 10)",
	  NULL, 3600 },
	{ "textfile", 't', OPT_STRING, &opts.textfile, "DIR",
	  "write the metrics to DIR/" TEXTFILE_NAME ", for node_exporter's textfile collector" },
	{ "interval", 'i', OPT_SECONDS, &opts.interval, "S",
	  "... every S seconds (default 15)", NULL, 3600 },
	/* Not --rtt-prefixes: run takes attach's options too, and that one is
	 * attach's, the size of the table. */
	{ "rtt-prefix-metrics", 'P', OPT_UINT, &opts.rtt_prefixes, "N",
	  "also export the round trips and loss of the N busiest destination prefixes of each "
	  "interface (default 0: the totals only; each costs ~100 series)", NULL,
	  1U << 20 },
	{}
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A client connection, from accept to close. MHD's own timeout only counts
 * idle time: a client that sends a byte every few seconds and never ends its
 * request (slowloris), or reads its answer as slowly, is never idle. So each
 * connection also has a deadline: its request asked and answered within the
 * timeout of its accept or of its previous answer.
 */
struct conn {
	struct conn *prev, *next;
	MHD_socket fd;
	double since;  /* accepted, or its last answer sent */
	bool cut;      /* shut down: MHD sees it and closes the connection */
};

static struct conn conns = { &conns, &conns };

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *info;
	struct conn *k = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (k) {
			k->prev->next = k->next;
			k->next->prev = k->prev;
			free(k);
			*socket_context = NULL;
		}
		return;
	}
	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	k = calloc(1, sizeof(*k));
	if (!info || !k) {
		free(k); /* untracked: MHD's idle timeout still applies */
		return;
	}
	k->fd = info->connect_fd;
	k->since = now_s();
	k->next = &conns;
	k->prev = conns.prev;
	conns.prev->next = k;
	conns.prev = k;
	*socket_context = k;
}

/* A request is over (answered, or failed): its connection's clock restarts. */
static void on_completed(void *cls, struct MHD_Connection *c, void **req,
			 enum MHD_RequestTerminationCode toe)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *k = info ? info->socket_context : NULL;

	if (k)
		k->since = now_s();
}

/*
 * Shut down every connection past its deadline. Not close(): MHD owns the
 * descriptor; it reads the end of the stream at its next round and closes
 * the connection itself. The CLOSED notification, in this same thread,
 * removes it from the list before the descriptor can be reused.
 */
static void cut_overdue(double now)
{
	struct conn *k;

	for (k = conns.next; k != &conns; k = k->next) {
		if (!k->cut && now - k->since > opts.timeout) {
			shutdown(k->fd, SHUT_RDWR);
			k->cut = true;
			if (verbose)
				log_error("serve: closing a connection that took more than %u s", opts.timeout);
		}
	}
}

/* The answers that never change, made once. */
static struct {
	struct MHD_Response *not_found, *not_allowed, *failed;
} fixed;

static struct MHD_Response *text_response(const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);

	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	return r;
}

static int make_fixed_responses(void)
{
	fixed.not_found = text_response("xdpong serves /metrics\n");
	fixed.not_allowed = text_response("xdpong serves GET and HEAD /metrics\n");
	fixed.failed = text_response("xdpong could not read its counters\n");
	if (!fixed.not_found || !fixed.not_allowed || !fixed.failed)
		return -ENOMEM;
	if (MHD_add_response_header(fixed.not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") != MHD_YES)
		return -ENOMEM;
	return 0;
}

static void free_fixed_responses(void)
{
	if (fixed.not_found)
		MHD_destroy_response(fixed.not_found);
	if (fixed.not_allowed)
		MHD_destroy_response(fixed.not_allowed);
	if (fixed.failed)
		MHD_destroy_response(fixed.failed);
}

/*
 * Called once the request's headers are in. Every method gets an answer on
 * this first call: GET and HEAD /metrics the exposition (MHD sends no body to
 * HEAD), another path 404, another method 405 with Allow. An answer queued
 * before a request body is read makes MHD close the connection after it.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **req)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = 0;
	char *body;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, fixed.not_allowed);
	if (strcmp(url, "/metrics"))
		return MHD_queue_response(c, MHD_HTTP_NOT_FOUND, fixed.not_found);
	body = metrics_render(opts.rtt_prefixes, &len);
	if (!body) {
		log_error("serve: can't read the counters: %s", strerror(errno));
		return MHD_queue_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, fixed.failed);
	}
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_queue_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, fixed.failed);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * The textfile: written whole to DIR/xdpong.prom.tmp, then renamed over
 * DIR/xdpong.prom, so that node_exporter reads the old file or the new one,
 * never half of one (rename(2) is atomic within a directory; the collector
 * ignores names not ending in .prom).
 */
static struct {
	char path[4096], tmp[4096];
	bool failing;  /* the last write failed: say so once, and when it works again */
} textfile;

static int textfile_write(void)
{
	size_t len = 0, off = 0;
	char *body = metrics_render(opts.rtt_prefixes, &len);
	int fd = -1, ret = 0;

	if (!body)
		return -errno;
	fd = open(textfile.tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	while (off < len) {
		ssize_t n = write(fd, body + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		off += n;
	}
	if (close(fd)) {
		fd = -1;
		ret = -errno;
		goto out;
	}
	fd = -1;
	if (rename(textfile.tmp, textfile.path))
		ret = -errno;
out:
	if (fd >= 0)
		close(fd);
	if (ret)
		unlink(textfile.tmp);
	free(body);
	return ret;
}

/* Write the textfile; a failure is reported once, until a write works. */
static void textfile_update(void)
{
	int ret = textfile_write();

	if (ret && !textfile.failing)
		log_error("serve: can't write %s: %s; trying again every %g s", textfile.path,
		    strerror(-ret), opts.interval);
	else if (!ret && textfile.failing)
		log_error("serve: %s written again", textfile.path);
	textfile.failing = ret;
}

static int textfile_setup(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		log_error("serve: --textfile: '%s' is not a directory", dir);
		return EXIT_USAGE;
	}
	if ((size_t)snprintf(textfile.path, sizeof(textfile.path), "%s/" TEXTFILE_NAME, dir) >=
		    sizeof(textfile.path) ||
	    (size_t)snprintf(textfile.tmp, sizeof(textfile.tmp), "%s/" TEXTFILE_NAME ".tmp", dir) >=
		    sizeof(textfile.tmp)) {
		log_error("serve: --textfile: '%s' is too long", dir);
		return EXIT_USAGE;
	}
	return 0;
}

/* "ADDR:PORT" or "[ADDR6]:PORT". */
static int parse_listen(const char *s, struct sockaddr_storage *ss)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return -1;
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

		host[strlen(host) - 1] = 0;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		return inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1 ? 0 : -1;
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;

		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		return inet_pton(AF_INET, host, &a4->sin_addr) == 1 ? 0 : -1;
	}
}

static struct MHD_Daemon *start_http(const struct sockaddr_storage *ss)
{
	unsigned int flags = MHD_USE_EPOLL; /* no thread of its own: run() drives it */

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (verbose)
		flags |= MHD_USE_ERROR_LOG;
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
				MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)MAX_PER_ADDRESS,
				MHD_OPTION_CONNECTION_TIMEOUT, opts.timeout,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_END);
}

/* The endpoint and the textfile, between serve_start() and serve_stop(). */
static struct {
	const char *listen, *dir;
	struct MHD_Daemon *d;
	int fd;            /* MHD's epoll descriptor, or -1 */
	double next_write;
} ep = { .fd = -1 };

/* Check the options, write the textfile once, listen. Returns 0 or an exit code. */
int serve_start(void)
{
	bool http;
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	int ret;

	ep.listen = opts.listen.n ? opts.listen.v[opts.listen.n - 1] : DEFAULT_LISTEN;
	ep.dir = opts.textfile.n ? opts.textfile.v[opts.textfile.n - 1] : NULL;
	http = opts.listen.n || !ep.dir; /* --textfile alone: no HTTP */
	if (http && parse_listen(ep.listen, &ss)) {
		log_error("serve: '%s' is not ADDR:PORT (e.g. " DEFAULT_LISTEN " or [::1]:PORT)", ep.listen);
		return EXIT_USAGE;
	}
	if (!opts.timeout) {
		log_error("serve: --timeout must be at least 1 second");
		return EXIT_USAGE;
	}
	if (opts.interval && !ep.dir) {
		log_error("serve: --interval is how often --textfile writes: give --textfile DIR");
		return EXIT_USAGE;
	}
	if (!opts.interval)
		opts.interval = DEFAULT_INTERVAL;
	if (ep.dir && (ret = textfile_setup(ep.dir)))
		return ret;
	if ((ret = check_privileges()) || (ret = check_bpffs()))
		return ret;

	/* The textfile first: a directory we can't write to is an error now, not later. */
	if (ep.dir) {
		ret = textfile_write();
		if (ret) {
			log_error("serve: can't write %s: %s", textfile.path, strerror(-ret));
			return EXIT_FAIL;
		}
		ep.next_write = now_s() + opts.interval;
		printf("writing Prometheus metrics to %s every %g s\n", textfile.path, opts.interval);
	}
	if (http) {
		if (make_fixed_responses()) {
			log_error("serve: out of memory");
			serve_stop();
			return EXIT_FAIL;
		}
		ep.d = start_http(&ss);
		info = ep.d ? MHD_get_daemon_info(ep.d, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
		if (!info) {
			log_error("serve: can't listen on %s: %s", ep.listen, strerror(errno));
			serve_stop();
			return EXIT_FAIL;
		}
		ep.fd = info->epoll_fd;
		printf("serving Prometheus metrics on http://%s/metrics\n", ep.listen);
	}
	fflush(stdout);
	return 0;
}

/* What to poll for input (-1: nothing), and for how long at most, in ms. */
int serve_fd(void)
{
	return ep.fd;
}

int serve_wait_ms(void)
{
	MHD_UNSIGNED_LONG_LONG mhd_ms;
	int wait = TICK_MS;

	/* MHD's next timeout, the next deadline check, or the next textfile. */
	if (ep.d && MHD_get_timeout(ep.d, &mhd_ms) == MHD_YES && mhd_ms < (MHD_UNSIGNED_LONG_LONG)wait)
		wait = mhd_ms;
	if (ep.dir) {
		double until = (ep.next_write - now_s()) * 1000;

		if (until < wait)
			wait = until > 0 ? (int)until + 1 : 0;
	}
	return wait;
}

/* After poll(): answer clients, cut the overdue, write the textfile if due. */
void serve_work(void)
{
	double now;

	if (ep.d) {
		MHD_run(ep.d);
		cut_overdue(now_s());
	}
	now = now_s();
	if (ep.dir && now >= ep.next_write) {
		textfile_update();
		/* Every interval from the last write; a late one doesn't make a burst. */
		ep.next_write = now + opts.interval;
	}
}

/* Write the textfile at the next serve_work() (run, on SIGHUP); false if there is none. */
bool serve_write_soon(void)
{
	ep.next_write = 0;
	return ep.dir;
}

void serve_stop(void)
{
	if (ep.d)
		MHD_stop_daemon(ep.d);
	ep.d = NULL;
	ep.fd = -1;
	free_fixed_responses();
	memset(&fixed, 0, sizeof(fixed));
}

static int run(const char *iface, int ifindex)
{
	int ret = serve_start();

	if (ret)
		return ret;
	catch_stop_signals();
	while (!stop_requested) {
		struct pollfd pfd = { .fd = serve_fd(), .events = POLLIN };

		/* poll() on no descriptor is a plain sleep. */
		if (poll(&pfd, 1, serve_wait_ms()) < 0 && errno != EINTR) {
			log_error("serve: poll: %s", strerror(errno));
			ret = EXIT_FAIL;
			break;
		}
		serve_work();
	}
	serve_stop();
	return ret;
}

const struct command cmd_serve = {
	.name = "serve",
	.args = "",
	.summary = "serve every attached interface's counters to Prometheus, until stopped",
	.opts = serve_opts,
	.run = run,
};
