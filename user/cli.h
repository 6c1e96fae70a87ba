/* SPDX-License-Identifier: GPL-2.0 */
/* cli.h: what the subcommands of the xdpong CLI share. */
#ifndef XDPONG_CLI_H
#define XDPONG_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>
#include <xdp/libxdp.h>
#include "xdpong.h"

/* Shown by --version and in serve's xdpong_build_info. */
#define XDPONG_VERSION "0.1.0"

/* Exit codes, documented in xdpong(8). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,     /* an operation failed */
	EXIT_USAGE = 2,    /* bad arguments */
	EXIT_NODEV = 3,    /* no such interface */
	EXIT_NOPERM = 4,   /* missing capabilities */
	EXIT_STATE = 5,    /* the interface is not in the state asked for */
	EXIT_ENV = 6,      /* the environment lacks something: bpffs, kernel support */
};

extern int verbose;

/* ---- What xdpong says on stderr (log.c) ---- */
/* Tell whether stderr is systemd's journal (lines then carry priorities). */
void log_init(void);
/* Errors and warnings said only with -v: a retry's, said once already. */
extern bool log_quiet;
/* "xdpong: <message>": something failed. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "xdpong: warning: <message>": something works less well. */
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A long-running command's event, timestamped; @prio: LOG_ERR, LOG_INFO, ... */
void log_event(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- Table-driven options (opts.c) ---- */
enum opt_type {
	OPT_FLAG,    /* bool */
	OPT_UINT,    /* unsigned int, 0..max */
	OPT_ENUM,    /* int: index into choices */
	OPT_ADDR,    /* struct addr_list: repeatable IPv4/IPv6 address */
	OPT_STRING,  /* struct str_list: a repeatable string */
	OPT_SECONDS, /* double: a number of seconds, from SECONDS_MIN to max */
};

/* The shortest interval any command takes: a loop every 0.1 s costs little,
 * while --interval 0.0001 made track and watch spin on a whole CPU. */
#define SECONDS_MIN 0.1

struct opt {
	const char *name;
	char short_name;
	enum opt_type type;
	void *dest;
	const char *metavar;
	const char *help;
	const char *const *choices; /* OPT_ENUM: NULL-terminated */
	unsigned int max;           /* OPT_UINT, OPT_SECONDS */
};

#define MAX_EXTRA_ADDRS 64
struct addr_list {
	struct xdpong_addr_key addrs[MAX_EXTRA_ADDRS];
	int n;
};

#define MAX_STRINGS 32
struct str_list {
	const char *v[MAX_STRINGS];
	int n;
};

struct command {
	const char *name;
	const char *args;     /* positional arguments, for usage */
	bool iface_required;  /* IFACE positional: required, or optional if args set */
	const char *summary;
	const struct opt *opts;
	const char *notes;    /* for usage, after the options, or NULL */
	/* Other commands' option tables, also taken (NULL-terminated): run takes
	 * attach's, serve's and events' --output, into their own storage. */
	const struct opt *const *more_opts;
	/* IFACE...: every positional argument goes here, unresolved; run() then
	 * gets no IFACE. */
	struct str_list *ifaces;
	int (*run)(const char *iface, int ifindex);
};

/* Parse argv (after the subcommand) into cmd's option table; resolves IFACE.
 * Returns PARSED_RUN, or the exit code to end with (--help, a bad argument). */
#define PARSED_RUN (-1)
int parse_command(const struct command *cmd, int argc, char **argv,
		  const char **iface, int *ifindex);
void print_command_usage(const struct command *cmd, FILE *out);

/* ---- The environment (env.c) ---- */
int iface_resolve(const char *name, int *ifindex);
int check_privileges(void);
int check_bpffs(void);
const char *bpffs_dir(void);
void setup_library_logging(void);
int read_sysctl_uint(const char *path, unsigned int *val);
/* The sysctl at @fmt with @name in it (an interface, "all"), or @dflt. */
unsigned int conf_uint(const char *fmt, const char *name, unsigned int dflt);

/* ---- A hash map read whole, in batches (mapread.c) ---- */
/* Every entry of the hash @fd: *@n keys and values in arrays of the caller's
 * to free (per-CPU maps: a value per possible CPU, each padded to 8 bytes).
 * Bounded by about the map's size, even under a flood. 0 or -errno. */
int map_read_all(int fd, void **keys, void **vals, size_t *n);

/* ---- The attached program (attached.c) ---- */
enum xdpong_map_id {
	MAP_CONFIG, MAP_ADDRS, MAP_VLANS, MAP_ROUTES, MAP_NEIGH, MAP_STATS, MAP_MSGS, MAP_MSG_CODES,
	MAP_EVENTS,
	/* Optional (fd -1 when absent): ping telemetry. */
	MAP_RTT_PENDING, MAP_RTT_PREFIX, MAP_RTT_TOTAL, MAP_PINGERS,
	MAP_COUNT
};
#define MAP_FIRST_OPTIONAL MAP_RTT_PENDING

struct attached {
	struct xdp_multiprog *mp;
	struct xdp_program *prog;  /* ours, inside mp */
	enum xdp_attach_mode mode;
	int map_fd[MAP_COUNT];
	int tx_fd;                 /* XDPONG_MAP_TX_FAILED, pinned by attach; < 0 if not there */
};

/* Find xdpong on ifindex. Returns 0, -ENOENT if it is not attached, or -errno. */
int attached_find(int ifindex, struct attached *a);
/* The same, after checking capabilities and bpffs, saying what is wrong.
 * Returns 0 or an exit code. */
int attached_open(int ifindex, const char *iface, struct attached *a);
void attached_close(struct attached *a);
const char *mode_name(enum xdp_attach_mode mode);

/* ---- Following an interface, by index, and our program on it (follow.c) ---- */
struct follow {
	int ifindex;
	char name[IF_NAMESIZE];  /* its name now */
	__u32 prog_id;           /* our program */
	__u32 ids[3];            /* the XDP programs on it, as the kernel said last */
	bool lost;               /* our program was found gone */
};
#define FOLLOW_RENAMED 1
/* Returns 0 or -errno (bpf_xdp_query()). */
int follow_init(struct follow *f, int ifindex, const char *name, __u32 prog_id);
/*
 * Look again, at no descriptor's cost (libxdp is asked only when the kernel's
 * program ids change). Returns 0; FOLLOW_RENAMED, with the old name in
 * @old_name and the new one in f->name; -ENODEV if the interface is gone;
 * -ENOENT if our program is no longer attached (detached, or replaced),
 * which is final; or another -errno (try again later).
 */
int follow_check(struct follow *f, char old_name[IF_NAMESIZE]);

/* For the readers, events and watch: follow the program they read. */
#define FOLLOW_EVERY_S 0.25 /* how often reader_check() asks the kernel */
#define FOLLOW_GRACE_S 3.0  /* how long it waits for xdpong to come back */
struct reader_follow {
	struct follow f;
	const char *iface;
	double checked;         /* when last asked (CLOCK_MONOTONIC, s) */
	double missing_since;   /* when xdpong was first seen gone; 0 while there */
	bool other;             /* ... and another XDP program was there */
	int exit_code;          /* after FOLLOW_END */
};
enum { FOLLOW_SAME = 0, FOLLOW_NEW = 1, FOLLOW_END = -1 };
void reader_follow_init(struct reader_follow *r, const char *iface, int ifindex,
			const struct attached *a);
/*
 * At most every FOLLOW_EVERY_S: FOLLOW_SAME, go on (xdpong is there, or
 * has been gone less than FOLLOW_GRACE_S); FOLLOW_NEW, another xdpong
 * program took its place and *a is now that one (the old one closed): read
 * its maps from now on; FOLLOW_END, stop with r->exit_code, having said why
 * (detached, replaced by another program, the interface gone).
 */
int reader_check(struct reader_follow *r, struct attached *a);

/* ---- The config (config.c) ---- */
#define LIMIT_UNSET 0xffffffffU
struct limit_opts {
	unsigned int rate, burst;         /* global replies/s and burst */
	unsigned int src_rate, src_burst; /* per source (IPv4 /32, IPv6 /64) */
	int over_limit;                   /* -1 unset, 0 pass, 1 drop */
	unsigned int event_rate;
};
#define LIMIT_OPTS_INIT { LIMIT_UNSET, LIMIT_UNSET, LIMIT_UNSET, LIMIT_UNSET, -1, LIMIT_UNSET }
extern const char *const over_limit_choices[];
/* The option table entries for struct limit_opts @l, shared by attach and set. */
#define LIMIT_OPT_ENTRIES(l)                                                              \
	{ "rate", 'R', OPT_UINT, &(l).rate, "N",                                          \
	  "answer at most N requests a second in all (0: no limit)", NULL, 1000000000 },   \
	{ "burst", 'B', OPT_UINT, &(l).burst, "N",                                        \
	  "... and N back to back (default: a second's worth)", NULL, 1000000000 },       \
	{ "src-rate", 'S', OPT_UINT, &(l).src_rate, "N",                                  \
	  "answer at most N requests a second per source, IPv4 /32 or IPv6 /64 (0: no limit)", \
	  NULL, 1000000000 },                                                              \
	{ "src-burst", 'b', OPT_UINT, &(l).src_burst, "N",                                \
	  "... and N back to back (default: a second's worth)", NULL, 1000000000 },       \
	{ "over-limit", 'o', OPT_ENUM, &(l).over_limit, "pass|drop",                      \
	  "what to do with requests over a limit: pass them to the kernel, or drop them", \
	  over_limit_choices },                                                            \
	{ "event-rate", 'r', OPT_UINT, &(l).event_rate, "N",                              \
	  "at most N events a second, over all CPUs (default 1000; 0: none)", NULL, 10000000 }

int config_from_host(const char *iface, struct xdpong_config *cfg);
/* Each --sample TYPE=N of @samples, on top of @cfg's sampling. 0 or
 * EXIT_USAGE, said; @cfg may be half changed then: write it only on 0. */
int sampling_apply(const struct str_list *samples, struct xdpong_config *cfg);
void limits_apply(const struct limit_opts *l, struct xdpong_config *cfg);

/* Ping telemetry's settings, shared by attach and set: a timeout of 0 and
 * a length of LIMIT_UNSET are "not given". */
#define RTT_TIMEOUT_MAX_S 60 /* XDPONG_RTT_KEEP_TIMEOUTS of it stay in the pending table */
struct rtt_opts {
	double timeout;          /* --rtt-timeout, seconds */
	unsigned int prefix_v4;  /* --rtt-prefix-v4, 1..32 */
	unsigned int prefix_v6;  /* --rtt-prefix-v6, 1..128 */
};
#define RTT_OPTS_INIT { 0, LIMIT_UNSET, LIMIT_UNSET }
#define RTT_OPT_ENTRIES(r)                                                                \
	{ "rtt-timeout", 'W', OPT_SECONDS, &(r).timeout, "SECONDS",                       \
	  "count the host's echo request lost when unanswered this long (default 1)",     \
	  NULL, RTT_TIMEOUT_MAX_S },                                                       \
	{ "rtt-prefix-v4", '4', OPT_UINT, &(r).prefix_v4, "N",                            \
	  "a row of round trips per IPv4 destination /N, from 1 to 32 (default 24)", NULL, 32 }, \
	{ "rtt-prefix-v6", '6', OPT_UINT, &(r).prefix_v6, "N",                            \
	  "a row of round trips per IPv6 destination /N, from 1 to 128 (default 48)", NULL, 128 }
/* Whether any was given. */
bool rtt_opts_given(const struct rtt_opts *r);
/* Check them: 0, or EXIT_USAGE having said what is wrong. */
int rtt_opts_check(const struct rtt_opts *r);
/* Apply those given to @cfg->rtt (checked before). */
void rtt_opts_apply(const struct rtt_opts *r, struct xdpong_config *cfg);
/* The defaults of a new attach. */
void rtt_config_default(struct xdpong_rtt_config *rc);
/* A limit's replies a second, and its burst, from the config's GCRA terms. */
unsigned long long rate_of(__u64 interval_ns);
unsigned long long burst_of(__u64 interval_ns, __u64 tolerance_ns);
int config_read(int map_fd, struct xdpong_config *cfg);
int config_write(int map_fd, const struct xdpong_config *cfg);

/* ---- The host's links, addresses and delivery sysctls (host.c) ---- */
struct host_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];          /* "vlan", "vrf", "bridge", ...; "" for none */
	bool up;                /* IFF_UP */
	int master;             /* IFLA_MASTER, or 0 */
	int lower;              /* IFLA_LINK in this namespace (a VLAN's parent), or 0 */
	bool is_vlan;
	__u16 vlan_id;
	__be16 vlan_proto;
	bool vlan_egress_map;   /* an egress priority map is set */
	__u32 vrf_table;        /* a VRF device's routing table */
	__u8 mac[6];            /* IFLA_ADDRESS, if has_mac */
	bool has_mac;
	__u32 mtu;              /* IFLA_MTU */
};

struct host_addr {
	int family;             /* AF_INET, AF_INET6 */
	int ifindex;
	int prefixlen;
	bool link_scope;        /* an IPv6 link-local address */
	bool usable;            /* not tentative, DAD not failed */
	struct xdpong_addr_key key;
};

struct host_route {
	int family;             /* AF_INET, AF_INET6 */
	int dst_len;
	__u32 table;
	__u8 type;              /* RTN_UNICAST, RTN_BLACKHOLE, ... */
	__u32 priority;         /* the metric: the lowest wins */
	int oif;
	bool has_gw;
	bool complex;           /* multipath, via, nexthop object, an MTU metric */
	__u32 hoplimit;         /* its hoplimit metric, or 0 */
	bool expired;           /* its lifetime (RA, `expires`) is over: the
				 * kernel no longer uses it, though the
				 * dump shows it until it is collected */
	struct xdpong_addr_key dst, gw;
};

/* An exception in the kernel's route cache (`ip route show cache`): a
 * redirect or a path MTU for one destination. */
struct host_exception {
	int family;
	struct xdpong_addr_key dst;
};

struct host_neigh {
	int ifindex;
	struct xdpong_addr_key a;
	__u8 mac[6];
};

struct host_view {
	struct host_link *links;
	int n_links;
	struct host_addr *addrs;
	int n_addrs;
	struct host_route *routes;
	int n_routes;
	struct host_neigh *neighs;
	int n_neighs;
	struct host_exception *exceptions;
	int n_exceptions;
	bool custom_rules;      /* ip rules beyond the defaults, source-specific
				 * (IPv6 `from`) or TOS routes */
	bool ipsec;             /* xfrm policies in or out, or a default that blocks */
};

int host_read(struct host_view *h);
/* xfrm.c: does an IPsec policy for what the host receives or sends (or a
 * blocking default) hold? */
int xfrm_policies(bool *any);
void host_free(struct host_view *h);
/* fe80::/10 (RFC 4291 2.5.6). */
static inline bool key_is_linklocal(const struct xdpong_addr_key *key)
{
	return key->addr[0] == 0xfe && (key->addr[1] & 0xc0) == 0x80;
}
const struct host_link *host_link(const struct host_view *h, int ifindex);
int host_l3_domain(const struct host_view *h, int ifindex);
void host_l3dev(const struct host_view *h, int ifindex, int attached, struct xdpong_l3dev *dev);
bool host_strips_vlan_tags(const char *iface);
__u32 host_route_table(const struct host_view *h, int ifindex);

/* ---- The address and VLAN maps (addrs.c, vlans.c) ---- */
struct map_change {
	int added, removed;
	int routes_changed;
};
/*
 * Bring the address and route maps to the host's state for interface
 * @ifindex, plus @extra (NULL: keep the --address ones the map has): the new
 * sets are written beside the old, @cfg (with addr_gen bumped) written to
 * @cfg_fd, then the old sets deleted. On error nothing the program sees has
 * changed. @cfg is written only if something changed (*@ch: the addresses,
 * and routes_changed).
 */
int addrs_update(int addr_fd, int route_fd, int cfg_fd, const struct host_view *h,
		 int ifindex, const struct addr_list *extra, struct xdpong_config *cfg,
		 struct map_change *ch);
/* ---- The route map (routes.c) ---- */
struct route_entry {
	struct xdpong_route_key k;   /* set 0 */
	struct xdpong_route v;
	__u32 prio;                  /* the metric, while choosing */
};
struct route_entries {
	struct route_entry *e;
	int n, cap;
};
/* @cfg: the TTL and hop limit xdpong replies with (a route with another
 * hoplimit is the kernel's). */
int routes_want(const struct host_view *h, __u32 table, const struct xdpong_config *cfg,
		struct route_entries *w);
int routes_read(int fd, __u8 set, struct route_entries *r);
int routes_missing(const struct route_entries *a, const struct route_entries *b);
int routes_write(int fd, __u8 set, const struct route_entries *r);
void routes_delete(int fd, __u8 set, const struct route_entries *r, int n);

/* ---- The neighbour map (neigh.c) ---- */
/* Make the map hold the host's valid neighbours; *@changed: entries added,
 * changed or removed. */
int neigh_update(int fd, const struct host_view *h, int *changed);

/* The number of addresses the map holds in one set. */
int addrs_capacity(int addr_fd);
int vlans_update(int vlan_fd, const struct host_view *h, int ifindex, struct map_change *ch);
bool vlans_any(const struct host_view *h, int ifindex);
int addr_parse(const char *s, struct xdpong_addr_key *key);

/* ---- Config and maps from the host, for attach, sync and track (sync.c) ---- */
struct host_maps {
	int cfg_fd, addr_fd, vlan_fd, route_fd, neigh_fd;
};
struct sync_report {
	struct map_change addrs, vlans;
	int neighs_changed;
	bool cfg_changed;
};
/* Returns 0 or an exit code, having said what is wrong; on error the maps
 * the program reads are as they were. */
int host_sync(const char *iface, int ifindex, const struct host_maps *m,
	      const struct addr_list *extra, struct xdpong_config *cfg,
	      struct sync_report *rep);
void addr_format(const struct xdpong_addr_key *key, char *buf, size_t len);

/* ---- Counters (counters.c) ---- */
struct msg_count {
	struct xdpong_msg_key key;
	struct xdpong_counter c;
};

struct totals {
	struct xdpong_counter reason[XDPONG_R_MAX];
	struct xdpong_counter action[XDPONG_ACT_MAX];
	struct msg_count *msgs;   /* sorted by family, type, code */
	size_t n_msgs;
	struct xdpong_err_stats err[2];
	struct xdpong_event_stats events;
	__u64 msg_table_full;
	int ncpu;
	struct xdpong_stats *percpu; /* the slot of each possible CPU */
	struct xdpong_tx_failed tx_failed; /* replies the driver failed to send ... */
	bool tx_failed_counted;            /* ... if counted (the tracer is pinned) */
};

/* The fields of struct xdpong_err_stats and xdpong_event_stats that every
 * output shows: X(field, description). */
#define ERR_FIELDS(X)                                   \
	X(errors, "errors")                             \
	X(unsolicited, "unsolicited (quoted source not ours)") \
	X(quote_malformed, "quoted header malformed")   \
	X(mtu_below_min, "MTU below the minimum")       \
	X(rfc4884, "with an RFC 4884 length")           \
	X(rfc4884_bad, "RFC 4884 length out of bounds") \
	X(redirects, "redirects")                       \
	X(redirect_bad_hop, "ND redirects with hop limit != 255")

#define EVENT_FIELDS(X)                                 \
	X(sent, "sent")                                 \
	X(sampled_out, "sampled out")                   \
	X(rate_limited, "over the rate cap")            \
	X(ring_full, "ring buffer full")

/* The fields of struct xdpong_tx_failed: X(field, description). */
#define TX_FAILED_FIELDS(X)                                                          \
	X(refused, "refused by the driver (ring/queue full)")  \
	X(peer_unable, "veth peer without XDP program (or down)") \
	X(peer_dropped, "veth peer's ring full, or over its MTU")

int totals_read(const struct attached *a, struct totals *t);
/* Sum the per-CPU counts of replies the driver failed to transmit after
 * XDP_TX. Returns 0, -ENOENT if they are not counted (no tracer pinned for
 * this program), or -errno. */
int tx_failed_read(const struct attached *a, struct xdpong_tx_failed *sum);
static inline __u64 tx_failed_total(const struct xdpong_tx_failed *f)
{
	return f->refused + f->peer_unable + f->peer_dropped;
}
/* Each reason implies an action: sum the reasons' counters by action. */
void actions_of(const struct xdpong_counter reason[XDPONG_R_MAX],
		struct xdpong_counter action[XDPONG_ACT_MAX]);
void totals_free(struct totals *t);
const char *reason_name(enum xdpong_reason r);
const char *action_name(enum xdpong_action a);
/* A reported-MTU bucket's name: "<68", "68-575", "1500", ">=9000". */
const char *mtu_bucket_name(int i, char *buf, size_t len);

/* ---- Failed XDP_TX replies: the tracer (tx_errors.c), the veth check (tx_peer.c) ---- */
/* What attach pins for an XDP program, in bpffs: <bpffs>/xdpong with
 * @prog_id 0, <bpffs>/xdpong/<prog_id>, or .../<prog_id>/<name>; the tracer
 * and the egress program of ping telemetry (rtt_egress.c) keep theirs there.
 * 0, or -ENAMETOOLONG. */
int xdpong_pin_path(char *buf, size_t len, __u32 prog_id, const char *name);
struct tx_errors;
/* Load the tracer for ifindex and attach it; NULL, with a warning, if it can't be. */
struct tx_errors *tx_errors_start(const char *iface, int ifindex);
/* Pin its links and counters for the XDP program prog_id: it then outlives
 * the command. Returns 0 or -errno, with a warning. */
int tx_errors_keep(struct tx_errors *t, const char *iface, __u32 prog_id);
/* Close our handles: unpinned, the tracer detaches. NULL is fine. */
void tx_errors_close(struct tx_errors *t);
/* The pinned counter map of prog_id: an fd, or -errno. */
int tx_errors_open(__u32 prog_id);
/* Unpin what attach pinned for prog_id (detach). */
void tx_errors_remove(__u32 prog_id);
/* Unpin what was pinned for XDP programs that no longer exist. */
void tx_errors_sweep(void);
/* Warn (stderr) if IFACE can't transmit the XDP_TX frames of a program attached in mode. */
void warn_if_tx_unable(const char *iface, int ifindex, enum xdp_attach_mode mode);

/* ---- Ping telemetry: the egress program (rtt_egress.c) ---- */
/* Load bpf/rtt_egress.bpf.c with the maps of @xdp_obj, the XDP program's
 * loaded object (NULL: of the XDP program @prog_id, found by its map ids, for
 * one attached before), attach it to ifindex's egress (tcx), and pin its link under
 * XDPONG_PIN_DIR/<prog_id>/: it then outlives the command, as the XDP program
 * does. Returns 0 or -errno, having warned. */
struct bpf_object;
int rtt_egress_start(const char *iface, int ifindex, __u32 prog_id, struct bpf_object *xdp_obj);
/* Whether the egress program of the XDP program @prog_id is pinned. */
bool rtt_egress_present(__u32 prog_id);
/* Unpin it (detach, and tx_errors_sweep() for programs gone): it detaches. */
void rtt_egress_remove(__u32 prog_id);

/* ---- Names of message types and codes (names.c) ---- */
const char *family_name(int family);
const char *msg_name(int family, int type, int code, char *buf, size_t len);
int msg_type_match(const char *s, int family, int type);

/* ---- The host's firewall (firewall.c) ---- */
/* Warn on stderr about the rules that answering in XDP on @iface bypasses. */
void firewall_warn(const char *iface);

/* ---- Shown by status and set (cmd_status.c); run by sync and track (cmd_sync.c) ---- */
void print_limits(const struct xdpong_config *cfg);
/* "timeout 1 s, a row per /24 (IPv4) and /48 (IPv6); pingers followed", and a newline. */
void print_rtt_settings(const struct xdpong_config *cfg);
int sync_once(const char *iface, int ifindex, const struct attached *a,
	      struct sync_report *rep);

/* ---- Subcommands, one file each ---- */
extern const struct command cmd_attach;
extern const struct command cmd_detach;
extern const struct command cmd_status;
extern const struct command cmd_stats;
extern const struct command cmd_watch;
extern const struct command cmd_events;
extern const struct command cmd_set;
extern const struct command cmd_sync;
extern const struct command cmd_track;
extern const struct command cmd_serve;
extern const struct command cmd_run;
extern const struct command cmd_rtt;
extern const struct command cmd_pingers;

/* Set by SIGINT/SIGTERM in the long-running commands (watch, events). */
extern volatile int stop_requested;
void catch_stop_signals(void);

#endif /* XDPONG_CLI_H */
