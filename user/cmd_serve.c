// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_serve.c: `xdpong serve [--listen ADDR:PORT]`: a Prometheus endpoint
 * (text exposition format 0.0.4, served by libmicrohttpd) with the counters
 * of every interface xdpong is attached to, read afresh at each scrape.
 * Until Ctrl-C or SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>
#include "cli.h"

static struct {
	struct str_list listen;
} opts;

static const struct opt serve_opts[] = {
	{ "listen", 'l', OPT_STRING, &opts.listen, "ADDR:PORT",
	  "where to listen (default 127.0.0.1:9798; [::1]:9798 for IPv6)" },
	{}
};

static void help(FILE *f, const char *name, const char *type, const char *text)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* One interface's samples of one metric family are written by the caller. */
static void write_iface(FILE *f, const char *ifname, const struct totals *t, int section)
{
	static const char *const fam[2] = { "icmp", "icmpv6" };
	char name[96];
	size_t i;
	int r, e;

	switch (section) {
	case 0:
		for (r = 0; r < XDPONG_ACT_MAX; r++)
			fprintf(f, "xdpong_packets_total{ifname=\"%s\",action=\"%s\"} %llu\n", ifname,
				action_name(r), t->action[r].packets);
		break;
	case 1:
		for (r = 0; r < XDPONG_ACT_MAX; r++)
			fprintf(f, "xdpong_bytes_total{ifname=\"%s\",action=\"%s\"} %llu\n", ifname,
				action_name(r), t->action[r].bytes);
		break;
	case 2:
		for (r = 0; r < XDPONG_R_MAX; r++)
			fprintf(f, "xdpong_reason_packets_total{ifname=\"%s\",reason=\"%s\"} %llu\n",
				ifname, reason_name(r), t->reason[r].packets);
		break;
	case 3:
		for (i = 0; i < t->n_msgs; i++) {
			const struct msg_count *m = &t->msgs[i];

			fprintf(f, "xdpong_messages_total{ifname=\"%s\",family=\"%s\",type=\"%u\","
				   "code=\"%u\",name=\"%s\"} %llu\n", ifname, family_name(m->key.family),
				m->key.type, m->key.code,
				msg_name(m->key.family, m->key.type, m->key.code, name, sizeof(name)),
				m->c.packets);
		}
		break;
	case 4:
		for (e = 0; e < 2; e++) {
			const struct xdpong_err_stats *s = &t->err[e];

#define ERR_KIND_(field, desc) \
			fprintf(f, "xdpong_errors_total{ifname=\"%s\",family=\"%s\",kind=\"" #field "\"} %llu\n", \
				ifname, fam[e], s->field);
			ERR_FIELDS(ERR_KIND_)
#undef ERR_KIND_
		}
		break;
	case 5:
		for (e = 0; e < 2; e++)
			for (r = 0; r < XDPONG_MTU_NBUCKETS; r++)
				fprintf(f, "xdpong_reported_mtu_total{ifname=\"%s\",family=\"%s\","
					   "mtu=\"%s\"} %llu\n", ifname, fam[e],
					mtu_bucket_name(r, name, sizeof(name)), t->err[e].mtu[r]);
		break;
	case 6:
#define EVENT_OUTCOME_(field, desc) \
		fprintf(f, "xdpong_events_total{ifname=\"%s\",outcome=\"" #field "\"} %llu\n", \
			ifname, t->events.field);
		EVENT_FIELDS(EVENT_OUTCOME_)
#undef EVENT_OUTCOME_
		break;
	}
}

static const struct {
	const char *name, *type, *help;
} sections[] = {
	{ "xdpong_packets_total", "counter", "Packets by action (tx: answered, pass: to the kernel, drop)." },
	{ "xdpong_bytes_total", "counter", "Bytes by action." },
	{ "xdpong_reason_packets_total", "counter", "Packets by the reason for their verdict." },
	{ "xdpong_messages_total", "counter", "ICMP, ICMPv6 and IGMP messages by type and code." },
	{ "xdpong_errors_total", "counter", "ICMP errors, and what their quoted headers said." },
	{ "xdpong_reported_mtu_total", "counter", "MTUs reported by frag-needed and packet-too-big, by bucket." },
	{ "xdpong_events_total", "counter", "Events, by what became of them." },
};

#define N_SECTIONS (int)(sizeof(sections) / sizeof(sections[0]))

/* The whole exposition: every attached interface, read now. */
static char *metrics(size_t *len)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	struct totals t[64];
	char names[64][IF_NAMESIZE];
	int n = 0, s, k;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f) {
		if_freenameindex(ifs);
		return NULL;
	}
	for (i = ifs; i && i->if_index && n < 64; i++) {
		struct attached a;

		if (attached_find(i->if_index, &a) == 0 && totals_read(&a, &t[n]) == 0) {
			snprintf(names[n], sizeof(names[n]), "%s", i->if_name);
			n++;
		}
		attached_close(&a);
	}
	if (ifs)
		if_freenameindex(ifs);

	help(f, "xdpong_up", "gauge", "1 for each interface xdpong is attached to.");
	for (k = 0; k < n; k++)
		fprintf(f, "xdpong_up{ifname=\"%s\"} 1\n", names[k]);
	for (s = 0; s < N_SECTIONS; s++) {
		help(f, sections[s].name, sections[s].type, sections[s].help);
		for (k = 0; k < n; k++)
			write_iface(f, names[k], &t[k], s);
	}
	for (k = 0; k < n; k++)
		totals_free(&t[k]);
	fclose(f);
	return buf;
}

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
		body = metrics(&len);
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
