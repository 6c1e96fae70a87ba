// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_watch.c: `xdpong watch IFACE [--interval S]`: live per-second rates,
 * like xdp-monitor: actions (with the replies the driver failed to transmit
 * beside tx), reasons, and the busiest message types first.
 * On a terminal it redraws in place (cursor home, each line cleared to its
 * end, one write per frame: no flicker) until Ctrl-C; elsewhere it prints
 * one frame after another. A new xdpong on the interface is followed; it
 * ends when xdpong is detached (follow.c).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "cli.h"
#include "rtt.h"

static struct {
	double interval;
	unsigned int count;
} opts = { .interval = 1.0 };

static const struct opt watch_opts[] = {
	{ "interval", 'i', OPT_SECONDS, &opts.interval, "S",
	  "seconds between refreshes (default 1)", NULL, 3600 },
	{ "count", 'n', OPT_UINT, &opts.count, "N", "stop after N refreshes (default: until Ctrl-C)",
	  NULL, 100000000 },
	{}
};

struct rate {
	const struct msg_count *m;
	double pps, bps;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_rate(const void *a, const void *b)
{
	const struct rate *x = a, *y = b;

	if (x->pps != y->pps)
		return x->pps < y->pps ? 1 : -1;
	return 0;
}

/* The previous sample's count of a message class (both lists are sorted). */
static const struct xdpong_counter *find_prev(const struct totals *prev,
					      const struct xdpong_msg_key *k)
{
	size_t i;

	for (i = 0; i < prev->n_msgs; i++)
		if (!memcmp(&prev->msgs[i].key, k, sizeof(*k)))
			return &prev->msgs[i].c;
	return NULL;
}

/*
 * The host's pings since the last frame: each row's counters less the
 * previous frame's, so that p50 and p99 are of the last interval's round
 * trips, not of everything since attach. A row new since (or pushed out and
 * back: its counters then start again) counts whole.
 */
#define RTT_ROWS 5 /* the busiest prefixes shown */

struct rtt_live {
	char name[INET6_ADDRSTRLEN + 16];
	struct xdpong_rtt_stats d; /* since the last frame */
};

static void stats_since(const struct xdpong_rtt_stats *cur, const struct xdpong_rtt_stats *prev,
			struct xdpong_rtt_stats *d)
{
	int b;

	*d = *cur;
	if (!prev || prev->sent > cur->sent || prev->replied > cur->replied)
		return; /* new, or begun again */
	d->sent -= prev->sent;
	d->replied -= prev->replied;
	d->lost -= prev->lost;
	d->sum_ns -= prev->sum_ns;
	for (b = 0; b < XDPONG_RTT_NBUCKETS; b++)
		d->bucket[b] -= prev->bucket[b];
	/* min_ns and max_ns stay the lifetime's: they bound the quantiles of
	 * any interval, as rtt_quantile() clamps to them. */
}

static const struct rtt_row *find_rtt_row(const struct rtt_table *t, const struct xdpong_rtt_prefix_key *k)
{
	size_t i;

	for (i = 0; t && i < t->n; i++)
		if (!memcmp(&t->rows[i].key, k, sizeof(*k)))
			return &t->rows[i];
	return NULL;
}

static int cmp_live(const void *a, const void *b)
{
	const struct rtt_live *x = a, *y = b;

	return x->d.sent < y->d.sent ? 1 : x->d.sent > y->d.sent ? -1 : 0;
}

/* "12.34 ms", or "-" with no round trip in the interval. */
static const char *ms(const struct xdpong_rtt_stats *s, double q, char *buf, size_t len)
{
	__u64 n = 0;
	int b;

	for (b = 0; b < XDPONG_RTT_NBUCKETS; b++)
		n += s->bucket[b];
	if (!n)
		return "-";
	snprintf(buf, len, "%.3f ms", rtt_quantile(s, q) / 1e6);
	return buf;
}

static void rtt_live_row(FILE *f, const struct rtt_live *l, double dt, const char *eol)
{
	char p50[24], p99[24], loss[24];

	if (l->d.sent)
		snprintf(loss, sizeof(loss), "%.1f%%", 100.0 * l->d.lost / l->d.sent);
	else
		snprintf(loss, sizeof(loss), "-");
	fprintf(f, "  %-28s %10.1f %12s %12s %10.1f %8s%s", l->name, l->d.sent / dt,
		ms(&l->d, 0.5, p50, sizeof(p50)), ms(&l->d, 0.99, p99, sizeof(p99)),
		l->d.lost / dt, loss, eol);
}

/* The section: each family's total, then the busiest prefixes of the
 * interval. Returns the lines written. */
static int rtt_section(FILE *f, const struct rtt_table *cur, const struct rtt_table *prev,
		       double dt, const char *eol)
{
	struct rtt_live *live = calloc(cur->n + 1, sizeof(*live));
	struct rtt_live total;
	int used = 2, fam;
	size_t i;

	if (!live)
		return 0;
	fprintf(f, "%s  %-28s %10s %12s %12s %10s %8s%s", eol, "the host's pings to", "sent/s",
		"p50", "p99", "lost/s", "loss", eol);
	for (fam = 0; fam < 2; fam++) {
		rtt_row_name(&cur->total[fam], false, total.name, sizeof(total.name));
		stats_since(&cur->total[fam].s, prev ? &prev->total[fam].s : NULL, &total.d);
		rtt_live_row(f, &total, dt, eol);
		used++;
	}
	for (i = 0; i < cur->n; i++) {
		const struct rtt_row *p = find_rtt_row(prev, &cur->rows[i].key);

		rtt_row_name(&cur->rows[i], false, live[i].name, sizeof(live[i].name));
		stats_since(&cur->rows[i].s, p ? &p->s : NULL, &live[i].d);
	}
	qsort(live, cur->n, sizeof(*live), cmp_live);
	for (i = 0; i < cur->n && i < RTT_ROWS && live[i].d.sent; i++, used++)
		rtt_live_row(f, &live[i], dt, eol);
	if (!cur->enabled) {
		fprintf(f, "  (not timed: attached with --no-rtt)%s", eol);
		used++;
	}
	free(live);
	return used;
}

static int term_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 8)
		return ws.ws_row;
	return 40;
}

/* Beside tx: the replies the driver failed to transmit (no byte count). */
static void tx_failed_row(FILE *f, const struct totals *cur, const struct totals *prev,
			  double dt, const char *eol)
{
	__u64 now = tx_failed_total(&cur->tx_failed);

	if (cur->tx_failed_counted && prev->tx_failed_counted)
		fprintf(f, "  %-24s %14.0f %14s %16llu%s", "tx_failed",
			(now - tx_failed_total(&prev->tx_failed)) / dt, "", now, eol);
	else
		fprintf(f, "  %-24s %14s %14s %16s%s", "tx_failed", "-", "", "not counted", eol);
}

static void frame(FILE *f, const char *iface, const struct totals *cur,
		  const struct totals *prev, const struct rtt_table *rtt,
		  const struct rtt_table *rtt_prev, double dt, bool tty)
{
	const char *eol = tty ? "\033[K\n" : "\n";
	struct rate *rates = calloc(cur->n_msgs + 1, sizeof(*rates));
	int rows = tty ? term_rows() - 1 : 1 << 30, used = 0, r;
	char name[96], stamp[32];
	time_t t = time(NULL);
	size_t i;

	if (!rates)
		return;
	strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&t));
	fprintf(f, "xdpong watch %s  %s  every %.3g s  (Ctrl-C to stop)%s%s", iface, stamp,
		opts.interval, eol, eol);
	fprintf(f, "  %-24s %14s %14s %16s%s", "action", "pkt/s", "bit/s", "total", eol);
	used = 3;
	for (r = 0; r < XDPONG_ACT_MAX; r++, used++) {
		fprintf(f, "  %-24s %14.0f %14.0f %16llu%s", action_name(r),
			(cur->action[r].packets - prev->action[r].packets) / dt,
			8.0 * (cur->action[r].bytes - prev->action[r].bytes) / dt,
			cur->action[r].packets, eol);
		if (r == XDPONG_ACT_TX) {
			tx_failed_row(f, cur, prev, dt, eol);
			used++;
		}
	}
	if (rtt)
		used += rtt_section(f, rtt, rtt_prev, dt, eol);
	fprintf(f, "%s  %-24s %14s %14s %16s%s", eol, "reason", "pkt/s", "", "total", eol);
	used += 2;
	for (r = 0; r < XDPONG_R_MAX && used < rows; r++) {
		if (!cur->reason[r].packets)
			continue;
		fprintf(f, "  %-24s %14.0f %14s %16llu%s", reason_name(r),
			(cur->reason[r].packets - prev->reason[r].packets) / dt, "",
			cur->reason[r].packets, eol);
		used++;
	}

	/* The busiest message types first. */
	for (i = 0; i < cur->n_msgs; i++) {
		const struct xdpong_counter *p = find_prev(prev, &cur->msgs[i].key);

		rates[i].m = &cur->msgs[i];
		rates[i].pps = (cur->msgs[i].c.packets - (p ? p->packets : 0)) / dt;
		rates[i].bps = 8.0 * (cur->msgs[i].c.bytes - (p ? p->bytes : 0)) / dt;
	}
	qsort(rates, cur->n_msgs, sizeof(*rates), cmp_rate);
	if (used + 3 < rows) {
		fprintf(f, "%s  %-6s %-40s %10s %12s %14s%s", eol, "family", "message", "pkt/s",
			"bit/s", "total", eol);
		used += 2;
	}
	for (i = 0; i < cur->n_msgs && used < rows; i++, used++) {
		const struct xdpong_msg_key *k = &rates[i].m->key;

		fprintf(f, "  %-6s %-40s %10.0f %12.0f %14llu%s", family_name(k->family),
			msg_name(k->family, k->type, k->code, name, sizeof(name)),
			rates[i].pps, rates[i].bps, rates[i].m->c.packets, eol);
	}
	if (tty)
		fputs("\033[J", f); /* clear what an earlier, longer frame left below */
	else
		fputs("\n", f);
	free(rates);
}

static int run(const char *iface, int ifindex)
{
	bool tty = isatty(STDOUT_FILENO);
	struct totals prev, cur;
	/* Ping telemetry, where the program has it (not one of an older xdpong). */
	struct rtt_table rtt_prev, rtt_cur;
	bool rtt_prev_ok, rtt_cur_ok;
	struct attached a;
	struct reader_follow fl;
	unsigned int n = 0;
	double t0, t1;
	int ret;

	if ((ret = attached_open(ifindex, iface, &a)))
		return ret;
	catch_stop_signals();
	if ((ret = totals_read(&a, &prev))) {
		log_error("can't read the counters of '%s': %s", iface, strerror(-ret));
		attached_close(&a);
		return EXIT_FAIL;
	}
	rtt_prev_ok = rtt_read(&a, &rtt_prev) == 0;
	t0 = now_s();
	reader_follow_init(&fl, iface, ifindex, &a);
	if (tty)
		fputs("\033[?25l\033[H\033[2J", stdout); /* hide the cursor, clear once */

	while (!stop_requested && (!opts.count || n < opts.count)) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f;

		usleep(opts.interval * 1e6);
		if (stop_requested)
			break;
		ret = reader_check(&fl, &a);
		if (ret == FOLLOW_END) {
			ret = fl.exit_code;
			break;
		}
		if (ret == FOLLOW_NEW) {
			/* Another program, other counters: rates from its first reading. */
			totals_free(&prev);
			if ((ret = totals_read(&a, &prev))) {
				log_error("can't read the counters of '%s': %s", iface, strerror(-ret));
				ret = EXIT_FAIL;
				break;
			}
			if (rtt_prev_ok)
				rtt_table_free(&rtt_prev);
			rtt_prev_ok = rtt_read(&a, &rtt_prev) == 0;
			t0 = now_s();
			continue;
		}
		if ((ret = totals_read(&a, &cur))) {
			log_error("can't read the counters of '%s' (detached?): %s", iface, strerror(-ret));
			ret = EXIT_FAIL;
			break;
		}
		rtt_cur_ok = rtt_read(&a, &rtt_cur) == 0;
		t1 = now_s();
		/* Build the frame in memory, then write it at once. */
		f = open_memstream(&buf, &len);
		if (!f) {
			totals_free(&cur);
			if (rtt_cur_ok)
				rtt_table_free(&rtt_cur);
			break;
		}
		if (tty)
			fputs("\033[H", f);
		frame(f, iface, &cur, &prev, rtt_cur_ok ? &rtt_cur : NULL,
		      rtt_prev_ok ? &rtt_prev : NULL, t1 - t0, tty);
		fclose(f);
		fwrite(buf, 1, len, stdout);
		fflush(stdout);
		free(buf);
		totals_free(&prev);
		prev = cur;
		if (rtt_prev_ok)
			rtt_table_free(&rtt_prev);
		rtt_prev = rtt_cur;
		rtt_prev_ok = rtt_cur_ok;
		t0 = t1;
		n++;
	}
	if (tty)
		fputs("\033[?25h", stdout); /* the cursor back */
	totals_free(&prev);
	if (rtt_prev_ok)
		rtt_table_free(&rtt_prev);
	attached_close(&a);
	return ret;
}

const struct command cmd_watch = {
	.name = "watch",
	.args = "IFACE",
	.iface_required = true,
	.summary = "live per-second rates, busiest message types first, until Ctrl-C",
	.opts = watch_opts,
	.run = run,
};
