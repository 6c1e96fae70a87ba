// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_serve.c: `xdpong serve [--listen ADDR:PORT]`: a Prometheus endpoint
 * served by libmicrohttpd, with the counters of every interface xdpong is
 * attached to, read afresh at each scrape (metrics.c renders them). Until
 * Ctrl-C or SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>
#include "cli.h"
#include "metrics.h"

static struct {
	struct str_list listen;
} opts;

static const struct opt serve_opts[] = {
	{ "listen", 'l', OPT_STRING, &opts.listen, "ADDR:PORT",
	  "where to listen (default 127.0.0.1:9798; [::1]:9798 for IPv6)" },
	{}
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **state)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = 0;
	char *body;
	int status = MHD_HTTP_OK;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return MHD_NO;
	if (strcmp(url, "/metrics")) {
		static char nf[] = "xdpong serves /metrics\n";

		resp = MHD_create_response_from_buffer(strlen(nf), nf, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_FOUND;
	} else {
		body = metrics_render(&len);
		if (!body)
			return MHD_NO;
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4");
	}
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
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

static int run(const char *iface, int ifindex)
{
	const char *listen = opts.listen.n ? opts.listen.v[opts.listen.n - 1] : "127.0.0.1:9798";
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	int ret;

	if (parse_listen(listen, &ss)) {
		err("serve: '%s' is not ADDR:PORT (e.g. 127.0.0.1:9798 or [::1]:9798)", listen);
		return EXIT_USAGE;
	}
	if ((ret = check_privileges()) || (ret = check_bpffs()))
		return ret;
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
			     (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
			     0, NULL, NULL, on_request, NULL,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_END);
	if (!d) {
		err("serve: can't listen on %s: %s", listen, strerror(errno));
		return EXIT_FAIL;
	}
	printf("serving Prometheus metrics on http://%s/metrics\n", listen);
	fflush(stdout);
	catch_stop_signals();
	while (!stop_requested)
		pause();
	MHD_stop_daemon(d);
	return EXIT_OK;
}

const struct command cmd_serve = {
	.name = "serve",
	.args = "",
	.summary = "serve every attached interface's counters to Prometheus, until stopped",
	.opts = serve_opts,
	.run = run,
};
