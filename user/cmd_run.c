// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_run.c: `xdpong run [attach options] [serve options] IFACE...`: xdpong
 * as one long-running service. It attaches to every interface named (or
 * adopts the xdpong program it finds there, left by an earlier run: no gap in
 * answering), keeps each in step with the host as track does, serves
 * /metrics as serve does, and tells systemd how it is (sd_notify: READY=1,
 * STATUS=, WATCHDOG=1). Until SIGTERM or SIGINT, when it detaches from every
 * interface it manages (unless --keep-attached); SIGHUP writes the textfile
 * anew and attaches again where it had failed.
 *
 * One interface failing (deleted, detached by someone else, never there)
 * is reported and the others go on. Each interface is locked for this
 * process (lock.c): a second run on it refuses to start.
 *
 * Everything is logged on stderr, one line per event (stdout goes there too),
 * with syslog priority prefixes when stderr is systemd's journal, a timestamp
 * otherwise.
 *
 * With --output FILE, the ICMP events of every interface managed go to one
 * file of JSON lines, as `xdpong events --output` writes them (eventlog.c:
 * rotated by size, reopened on SIGHUP, never blocking): a ring-buffer reader
 * per active interface. Without it, no reader: a ring buffer has one
 * consumer, and `xdpong events` may be it.
 *
 * One thread: poll() on the signals (signalfd), netlink's link, address,
 * route, rule and neighbour changes, serve's endpoint and the ring buffers;
 * between them the sysctl checks every --sync-interval and the watchdog.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "events.h"
#include "run.h"

static struct {
	bool keep_attached;
	double sync_interval;
} opts = { .sync_interval = 1.0 };

static struct str_list ifaces;

static const struct opt run_opts[] = {
	{ "keep-attached", 'k', OPT_FLAG, &opts.keep_attached, NULL,
	  "when stopped, leave the programs attached and answering (the next run adopts them)" },
	{ "sync-interval", 'I', OPT_SECONDS, &opts.sync_interval, "S",
	  "seconds between sysctl checks, as track's --interval (default 1)", NULL, 3600 },
	{}
};

/* A sync that fails is tried again at the next netlink change, or after this. */
#define SYNC_RETRY_S 30.0

/* ---- The log: one line per event, on stderr ---- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- The interfaces ---- */

struct managed {
	const char *asked;     /* as named on the command line */
	int ifindex;           /* 0 until found */
	int lock_fd;           /* ours (lock.c), or -1 */
	bool active;           /* attached or adopted, followed and kept in step */
	bool waiting;          /* not active because it doesn't exist (yet): taken when it appears */
	bool sync_failing;     /* the last sync failed (said once) */
	double sync_retry;     /* ... try again after this */
	struct attached a;     /* while active */
	struct follow f;       /* while active: f.name is its name now */
	struct ring_buffer *rb; /* while active, with --output: its events */
	char why[96];          /* not active: why, for STATUS */
};

static struct managed *ifs;
static int n_ifs;

static const char *name_of(const struct managed *m)
{
	return m->active ? m->f.name : m->asked;
}

/* ---- The events (--output) ---- */

static struct {
	struct eventlog *log;    /* NULL: no --output, no reader */
	struct evfilter *filter; /* --filter, or NULL */
	__s64 mono_to_real_ns;   /* add to a CLOCK_MONOTONIC time for wall time */
	bool failed;             /* the writer stopped (said once) */
} ev;

static int on_event(void *ctx, void *data, size_t size)
{
	const struct managed *m = ctx;
	const struct xdpong_event *e = data;
	char *line, msg[512];
	int ret;

	if (size < sizeof(*e) || ev.failed)
		return 0;
	if (ev.filter && !evfilter_match(ev.filter, e->data, event_caplen(e), e->pkt_len))
		return 0;
	line = event_json(m->f.name, e, e->ts_ns + ev.mono_to_real_ns);
	ret = line ? eventlog_write(ev.log, line, strlen(line)) : 0;
	free(line);
	/* -ENOBUFS: the disk is behind; the line is counted, not waited for. A
	 * writer stopped: said once; answering matters more, so run goes on. */
	if (ret && ret != -ENOBUFS) {
		ev.failed = true;
		if (!eventlog_error(ev.log, msg, sizeof(msg)))
			snprintf(msg, sizeof(msg), "can't write '%s': %s", eventout_path(), strerror(-ret));
		log_event(LOG_ERR, "%s: the events are no longer written (restart to write them "
		    "again); answering goes on", msg);
	}
	return 0;
}

/* With --output: a reader of the interface's events, now that it is active. */
static void events_open(struct managed *m)
{
	if (!ev.log)
		return;
	m->rb = ring_buffer__new(m->a.map_fd[MAP_EVENTS], on_event, m, NULL);
	if (!m->rb)
		log_event(LOG_ERR, "%s: can't read its events: %s; they are not written to '%s'",
		    m->asked, strerror(errno), eventout_path());
}

/* What its ring still holds, written; then no reader. */
static void events_close(struct managed *m)
{
	if (!m->rb)
		return;
	ev.mono_to_real_ns = event_clock_offset();
	ring_buffer__consume(m->rb);
	ring_buffer__free(m->rb);
	m->rb = NULL;
}

static void set_why(struct managed *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_why(struct managed *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->why, sizeof(m->why), fmt, ap);
	va_end(ap);
}

/* The interface's index and our lock on it. Returns 0 or an exit code. */
static int claim(struct managed *m)
{
	pid_t holder;
	int fd;

	m->waiting = false;
	m->ifindex = if_nametoindex(m->asked);
	if (!m->ifindex) {
		m->waiting = true;
		set_why(m, "no such interface");
		return EXIT_NODEV;
	}
	if (m->lock_fd >= 0)
		return 0;
	fd = iface_lock(m->ifindex, m->asked, &holder);
	if (fd == -EWOULDBLOCK) {
		log_event(LOG_ERR, "%s: another xdpong run (pid %ld) manages it; stop that one first "
		    "(one run per interface)", m->asked, (long)holder);
		set_why(m, "managed by another xdpong run, pid %ld", (long)holder);
		return EXIT_STATE;
	}
	if (fd < 0) {
		log_event(LOG_ERR, "%s: can't lock it in %s: %s", m->asked, run_dir(), strerror(-fd));
		set_why(m, "can't lock it: %s", strerror(-fd));
		return EXIT_FAIL;
	}
	m->lock_fd = fd;
	return 0;
}

static void unclaim(struct managed *m)
{
	iface_unlock(m->lock_fd, m->ifindex);
	m->lock_fd = -1;
}

/*
 * The options on a program attached before, as `xdpong set` changes a
 * running one: all of them, as a new attach would make its config (an
 * option left out takes its default), so that a restart leaves the same
 * state whether it attached or adopted.
 */
static void options_apply(struct xdpong_config *cfg, const struct xdpong_config *want)
{
	const __u32 flags = XDPONG_F_MONITOR_ONLY | XDPONG_F_OVER_LIMIT_DROP | XDPONG_F_PINGERS;

	cfg->flags = (cfg->flags & ~flags) | (want->flags & flags);
	/* XDPONG_F_RTT says the egress program is there: never set from the
	 * options, only cleared by --no-rtt (the program then idles). */
	if (attach_no_rtt())
		cfg->flags &= ~XDPONG_F_RTT;
	cfg->rtt = want->rtt;
	cfg->event_rate = want->event_rate;
	cfg->rate_interval_ns = want->rate_interval_ns;
	cfg->rate_tolerance_ns = want->rate_tolerance_ns;
	cfg->src_interval_ns = want->src_interval_ns;
	cfg->src_tolerance_ns = want->src_tolerance_ns;
	memcpy(cfg->sample, want->sample, sizeof(cfg->sample));
}

/* Take over the xdpong found on the interface, in place. Returns 0 or an exit code. */
static int adopt(struct managed *m)
{
	struct host_maps hm = {
		.cfg_fd = m->a.map_fd[MAP_CONFIG], .addr_fd = m->a.map_fd[MAP_ADDRS],
		.vlan_fd = m->a.map_fd[MAP_VLANS], .route_fd = m->a.map_fd[MAP_ROUTES],
		.neigh_fd = m->a.map_fd[MAP_NEIGH],
	};
	__u32 id = xdp_program__id(m->a.prog);
	struct xdpong_config cfg, want, before;
	enum xdp_attach_mode mode;
	struct sync_report rep;
	int ret;

	if ((ret = attach_make_config(&want)))
		return ret;
	if ((ret = config_read(hm.cfg_fd, &cfg))) {
		log_event(LOG_ERR, "%s: can't read the config of the xdpong attached: %s", m->asked,
		    strerror(-ret));
		return EXIT_FAIL;
	}
	before = cfg;
	options_apply(&cfg, &want);
	if (memcmp(&before, &cfg, sizeof(cfg)) && (ret = config_write(hm.cfg_fd, &cfg))) {
		log_event(LOG_ERR, "%s: can't write the config of the xdpong attached: %s", m->asked,
		    strerror(-ret));
		return EXIT_FAIL;
	}
	if ((ret = host_sync(m->asked, m->ifindex, &hm, attach_addresses(), &cfg, &rep)))
		return ret;
	/* The tracer of failed transmits, if it went with an earlier xdpong. */
	if (m->a.tx_fd < 0) {
		struct tx_errors *t = tx_errors_start(m->asked, m->ifindex);

		if (t)
			tx_errors_keep(t, m->asked, id);
		tx_errors_close(t);
	}
	/* Ping telemetry, if it went without (attached with --no-rtt): as a
	 * fresh attach would have it, its egress program, then the flag. */
	if (!attach_no_rtt() && !rtt_egress_present(id) && m->a.map_fd[MAP_RTT_TOTAL] >= 0 &&
	    !rtt_egress_start(m->asked, m->ifindex, id, NULL) &&
	    !config_read(hm.cfg_fd, &cfg)) {
		cfg.flags |= XDPONG_F_RTT;
		if (config_write(hm.cfg_fd, &cfg))
			log_event(LOG_WARNING, "%s: the host's pings are not timed: can't write the "
			    "config", m->asked);
	}
	log_event(LOG_NOTICE, "%s: adopted the xdpong attached before (program id %u, %s mode), "
	    "answering all along; options applied, config %s", m->asked, id, mode_name(m->a.mode),
	    memcmp(&before, &cfg, sizeof(cfg)) ? "updated" : "unchanged");
	if (attach_mode_asked(&mode) && mode != m->a.mode)
		log_event(LOG_WARNING, "%s: it runs in %s mode, not the %s mode asked: the mode changes "
		    "only when attached anew (stop, 'xdpong detach %s', start)", m->asked,
		    mode_name(m->a.mode), mode_name(mode), m->asked);
	return 0;
}

/* Attach to the interface, or adopt the xdpong there; then follow it. Returns 0 or an exit code. */
static int start(struct managed *m)
{
	int ret = attached_find(m->ifindex, &m->a);

	if (ret == 0) {
		ret = adopt(m);
	} else {
		attached_close(&m->a);
		/* Says what is wrong itself: another program there, no native mode, ... */
		ret = attach_iface(m->asked, m->ifindex);
		if (!ret && (ret = attached_find(m->ifindex, &m->a))) {
			log_event(LOG_ERR, "%s: attached, but can't find it again: %s", m->asked, strerror(-ret));
			ret = EXIT_FAIL;
		}
	}
	if (!ret && (ret = follow_init(&m->f, m->ifindex, m->asked, xdp_program__id(m->a.prog)))) {
		log_event(LOG_ERR, "%s: can't query its XDP programs: %s", m->asked, strerror(-ret));
		ret = EXIT_FAIL;
	}
	if (ret) {
		attached_close(&m->a);
		set_why(m, "attach failed (exit %d; see the log)", ret);
		return ret;
	}
	m->active = true;
	m->sync_failing = false;
	m->why[0] = 0;
	events_open(m);
	return 0;
}

/* Claim, then start; on failure, let go. Returns 0 or an exit code. */
static int take(struct managed *m)
{
	int ret = claim(m);

	if (!ret && (ret = start(m)))
		unclaim(m);
	return ret;
}

static int detach(struct managed *m)
{
	__u32 id = xdp_program__id(m->a.prog);
	char msg[256];
	int ret;

	ret = xdp_program__detach(m->a.prog, m->ifindex, m->a.mode, 0);
	if (ret) {
		libxdp_strerror(ret, msg, sizeof(msg));
		log_event(LOG_ERR, "%s: couldn't detach: %s", name_of(m), msg);
		return ret;
	}
	tx_errors_remove(id);
	log_event(LOG_NOTICE, "%s: detached", name_of(m));
	return 0;
}

/* No longer managed: @why, for STATUS. */
static void drop(struct managed *m, bool waiting, const char *why)
{
	events_close(m);
	attached_close(&m->a);
	unclaim(m);
	m->active = false;
	m->waiting = waiting;
	set_why(m, "%s", why);
}

/* Follow the interface and keep it in step with the host; @dirty: netlink said something changed. */
static void keep_in_step(struct managed *m, bool dirty, double now)
{
	char old[IF_NAMESIZE];
	struct sync_report rep;
	__u32 id = m->f.prog_id;
	int ret = follow_check(&m->f, old);

	if (ret == FOLLOW_RENAMED) {
		log_event(LOG_NOTICE, "%s is now called %s: followed by its index", old, m->f.name);
	} else if (ret == -ENODEV) {
		log_event(LOG_ERR, "%s is gone (deleted): no longer managed, the other interfaces go on; "
		    "attached again if '%s' comes back", m->f.name, m->asked);
		tx_errors_remove(id);
		drop(m, true, "deleted; attached again if it comes back");
		return;
	} else if (ret == -ENOENT) {
		log_event(LOG_ERR, "%s: xdpong was detached or replaced by someone else: no longer "
		    "managed, the other interfaces go on (SIGHUP attaches it again)", m->f.name);
		drop(m, false, "detached by someone else; SIGHUP attaches it again");
		return;
	} else if (ret) {
		log_event(LOG_WARNING, "%s: can't query its XDP programs: %s", m->f.name, strerror(-ret));
	}

	if (m->sync_failing && !dirty && now < m->sync_retry)
		return;
	ret = sync_once(m->f.name, m->ifindex, &m->a, &rep);
	if (ret) {
		if (!m->sync_failing)
			log_event(LOG_ERR, "%s: can't keep it in step with the host (above); tried again at "
			    "the next change, every %g s, and on SIGHUP", m->f.name, SYNC_RETRY_S);
		m->sync_failing = true;
		m->sync_retry = now + SYNC_RETRY_S;
		return;
	}
	if (m->sync_failing)
		log_event(LOG_NOTICE, "%s: in step with the host again", m->f.name);
	m->sync_failing = false;
	/* Neighbours come and go all day: said only with -v (as track). */
	if (rep.addrs.added || rep.addrs.removed || rep.addrs.routes_changed ||
	    rep.vlans.added || rep.vlans.removed ||
	    (rep.cfg_changed && !rep.neighs_changed) || (verbose && rep.neighs_changed))
		log_event(LOG_INFO, "%s: %d addresses added, %d removed; %d route changes; %d neighbour "
		    "changes; %d VLAN devices added or changed, %d removed; config %s%s",
		    m->f.name, rep.addrs.added, rep.addrs.removed, rep.addrs.routes_changed,
		    rep.neighs_changed, rep.vlans.added, rep.vlans.removed,
		    rep.cfg_changed ? "updated" : "unchanged", dirty ? " (netlink change)" : "");
}

/* STATUS=: where it answers, and where not and why. Returns it. */
static const char *update_status(void)
{
	static char buf[480];
	size_t len = 0;
	int i, n_active = 0;

	buf[0] = 0;
	for (i = 0; i < n_ifs; i++) {
		if (!ifs[i].active)
			continue;
		len += snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0, "%s%s",
				n_active++ ? ", " : "answering on ", ifs[i].f.name);
	}
	if (!n_active)
		len += snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0,
				"attached nowhere");
	for (i = 0; i < n_ifs; i++)
		if (!ifs[i].active)
			len += snprintf(buf + len, len < sizeof(buf) ? sizeof(buf) - len : 0,
					"; not on %s: %s", ifs[i].asked, ifs[i].why);
	notify_status("%s", buf);
	return buf;
}

/* Netlink: every change that can matter to an interface or its maps. */
static struct mnl_socket *listen_netlink(void)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (!nl || mnl_socket_bind(nl, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_LINK |
				   RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_NEIGH |
				   RTMGRP_IPV4_RULE, MNL_SOCKET_AUTOPID) < 0 ||
	    /* IPv6 rules have no legacy group bit. */
	    mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &(int){ RTNLGRP_IPV6_RULE },
				  sizeof(int)) < 0) {
		if (nl)
			mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* Drain the socket; true if anything came (or was lost: ENOBUFS). */
static bool netlink_changed(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	bool changed = false;
	ssize_t n;

	while ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0 || (n < 0 && errno == ENOBUFS))
		changed = true;
	return changed;
}

/* SIGHUP: the textfile now, every interface not managed tried again, all resynced. */
static void reload(void)
{
	int i, tried = 0, taken = 0;
	bool textfile;

	notify_reloading();
	textfile = serve_write_soon();
	if (ev.log)
		eventlog_reopen(ev.log); /* a log rotator moved the event file */
	for (i = 0; i < n_ifs; i++) {
		if (ifs[i].active) {
			ifs[i].sync_failing = false; /* resync now */
			continue;
		}
		tried++;
		if (!take(&ifs[i])) {
			taken++;
			log_event(LOG_NOTICE, "%s: managed again", ifs[i].f.name);
		} else if (!ifs[i].waiting) {
			log_event(LOG_ERR, "%s: still not attached (above)", ifs[i].asked);
		}
	}
	log_event(LOG_NOTICE, "SIGHUP: every interface resynced%s%s; %d of the %d not managed taken "
	    "again", textfile ? ", the textfile written anew" : "",
	    ev.log ? ", the event file reopened" : "", taken, tried);
	notify_ready();
}

static int run(const char *unused_iface, int unused_ifindex)
{
	struct mnl_socket *nl = NULL;
	struct signalfd_siginfo si;
	int i, j, ret, first_err = 0, sfd = -1;
	unsigned long long max_bytes, lost;
	double next_sync;
	sigset_t sigs;

	/* stdout (attach's lines) to stderr too, a line at a time: one log, in order. */
	fflush(stdout);
	dup2(STDERR_FILENO, STDOUT_FILENO);
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (i = 0; i < ifaces.n; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(ifaces.v[i], ifaces.v[j])) {
				log_error("run: '%s' is named twice", ifaces.v[i]);
				return EXIT_USAGE;
			}
	{
		struct xdpong_config cfg; /* bad --sample values: said now, not per interface */

		if ((ret = attach_make_config(&cfg)))
			return ret;
	}
	if ((ret = eventout_check("run", true, &max_bytes, &ev.filter)))
		return ret;
	if ((ret = check_privileges()) || (ret = check_bpffs()))
		goto out;
	/* The event file: one that can't be written stops us before any
	 * interface is touched. */
	if (eventout_path()) {
		ev.log = eventlog_open(eventout_path(), max_bytes, eventout_backups());
		if (!ev.log) {
			log_error("run: can't write '%s': %s", eventout_path(), strerror(errno));
			ret = EXIT_FAIL;
			goto out;
		}
	}

	/* Signals are read from a descriptor in the loop; one that comes while
	 * starting waits there, so a stop during the start still detaches. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
	/* Subscribe before the first sync, so that no change falls between. */
	nl = listen_netlink();
	if (sfd < 0 || !nl) {
		log_error("run: can't listen to signals and netlink: %s", strerror(errno));
		ret = EXIT_FAIL;
		goto out;
	}
	notify_init();

	/* 1. Lock every interface that exists; another run on one: refuse. */
	ifs = calloc(ifaces.n, sizeof(*ifs));
	if (!ifs) {
		ret = EXIT_FAIL;
		goto out;
	}
	for (n_ifs = 0; n_ifs < ifaces.n; n_ifs++) {
		ifs[n_ifs].asked = ifaces.v[n_ifs];
		ifs[n_ifs].lock_fd = -1;
	}
	for (i = 0; i < n_ifs; i++) {
		ret = claim(&ifs[i]);
		if (ret == EXIT_NODEV) {
			log_event(LOG_WARNING, "%s: no such interface (yet): attached when it appears; "
			    "the other interfaces go on", ifs[i].asked);
			first_err = first_err ? first_err : ret;
		} else if (ret) {
			goto out;
		}
	}

	/* 2. The endpoint: a port taken or a bad option stops us before any
	 * interface is touched. */
	if ((ret = serve_start()))
		goto out;

	/* 3. Attach, or adopt. One failing doesn't stop the others. */
	for (i = 0; i < n_ifs; i++) {
		if (ifs[i].lock_fd < 0)
			continue;
		ret = start(&ifs[i]);
		if (ret) {
			log_event(LOG_ERR, "%s: not attached (above); the other interfaces go on; "
			    "SIGHUP tries again", ifs[i].asked);
			unclaim(&ifs[i]);
			first_err = first_err ? first_err : ret;
		}
	}
	for (i = 0; i < n_ifs && !ifs[i].active; i++)
		;
	if (i == n_ifs) {
		ret = first_err ? first_err : EXIT_FAIL;
		log_error("run: no interface could be attached");
		goto out;
	}

	/* 4. Ready: every interface attached that could be, the endpoint listening. */
	log_event(LOG_NOTICE, "running, pid %ld: %s", (long)getpid(), update_status());
	notify_ready();
	next_sync = now_s() + opts.sync_interval;
	ret = EXIT_OK;
	for (;;) {
		/* The signals, netlink, serve, then each interface's events. */
		struct pollfd pfd[3 + MAX_STRINGS] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = mnl_socket_get_fd(nl), .events = POLLIN },
			{ .fd = serve_fd(), .events = POLLIN },
		};
		struct managed *rb_of[MAX_STRINGS];
		int wait = serve_wait_ms(), w = notify_wait_ms(), n_pfd = 3;
		double now = now_s(), until = (next_sync - now) * 1000;
		bool dirty, stop = false, tick;

		for (i = 0; i < n_ifs; i++) {
			if (!ifs[i].rb)
				continue;
			rb_of[n_pfd - 3] = &ifs[i];
			pfd[n_pfd].fd = ring_buffer__epoll_fd(ifs[i].rb);
			pfd[n_pfd++].events = POLLIN;
		}
		if (until < wait)
			wait = until > 0 ? (int)until + 1 : 0;
		if (w >= 0 && w < wait)
			wait = w;
		if (poll(pfd, n_pfd, wait) < 0 && errno != EINTR) {
			log_event(LOG_ERR, "poll: %s", strerror(errno));
			ret = EXIT_FAIL;
			break;
		}
		/* The events first: a stop or a drop below frees the readers. Anew
		 * each time: the wall clock moves against the monotonic one (NTP). */
		ev.mono_to_real_ns = event_clock_offset();
		for (i = 3; i < n_pfd; i++)
			if (pfd[i].revents)
				ring_buffer__consume(rb_of[i - 3]->rb);
		while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGHUP)
				reload();
			else
				stop = true;
		}
		if (stop)
			break;
		serve_work();
		dirty = netlink_changed(nl);
		now = now_s();
		tick = now >= next_sync;
		if (tick)
			next_sync = now + opts.sync_interval;
		for (i = 0; i < n_ifs; i++) {
			struct managed *m = &ifs[i];

			if (m->active && (dirty || tick))
				keep_in_step(m, dirty, now);
			else if (!m->active && m->waiting && dirty && if_nametoindex(m->asked)) {
				if (!take(m))
					log_event(LOG_NOTICE, "%s is here: managed", m->f.name);
				else if (!m->waiting)
					log_event(LOG_ERR, "%s is here, but not attached (above); SIGHUP "
					    "tries again", m->asked);
			}
		}
		if (dirty || tick)
			update_status();
		notify_watchdog();
	}

	/* 5. Stop: detach (or not), unlock. */
	notify_stopping();
	log_event(LOG_NOTICE, "stopping: %s", opts.keep_attached ?
	    "leaving the programs attached (--keep-attached)" : "detaching");
out:
	for (i = 0; i < n_ifs; i++) {
		events_close(&ifs[i]);
		if (ifs[i].active && !opts.keep_attached && detach(&ifs[i]))
			ret = EXIT_FAIL;
		attached_close(&ifs[i].a);
		unclaim(&ifs[i]);
	}
	free(ifs);
	if (ev.log) {
		lost = eventlog_dropped(ev.log);
		if (lost)
			log_event(LOG_WARNING, "%llu events were not written to '%s': the disk was "
			    "behind (the file says where: \"lost_events\")", lost, eventout_path());
		/* The lines still queued are written first. */
		j = eventlog_close(ev.log);
		if (j == -ETIMEDOUT)
			log_event(LOG_ERR, "'%s' took nothing for %d s: the events still queued are lost",
			    eventout_path(), EVENTLOG_CLOSE_WAIT_S);
		else if (j && !ev.failed)
			log_event(LOG_ERR, "can't write '%s': %s", eventout_path(), strerror(-j));
	}
	evfilter_free(ev.filter);
	serve_stop();
	if (nl)
		mnl_socket_close(nl);
	if (sfd >= 0)
		close(sfd);
	return ret;
}

const struct command cmd_run = {
	.name = "run",
	.args = "IFACE...",
	.summary = "attach to every IFACE, keep them in step and serve /metrics: xdpong as a "
		   "service, until SIGTERM",
	.notes = "With --output, the events of every IFACE go to FILE, one file for all. Without it,\n"
		 "run reads no events: a ring buffer has one reader, and `xdpong events IFACE` may be it.",
	.opts = run_opts,
	.more_opts = (const struct opt *const[]){ attach_opts, serve_opts, eventout_opts, NULL },
	.ifaces = &ifaces,
	.run = run,
};
