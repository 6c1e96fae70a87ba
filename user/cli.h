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

/* Print "xdpong: <message>" on stderr. */
void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Table-driven options (opts.c) ---- */
enum opt_type {
	OPT_FLAG,    /* bool */
	OPT_UINT,    /* unsigned int, 0..max */
	OPT_ENUM,    /* int: index into choices */
	OPT_ADDR,    /* struct addr_list: repeatable IPv4/IPv6 address */
	OPT_STRING,  /* struct str_list: a repeatable string */
	OPT_SECONDS, /* double: a positive number of seconds, at most max */
};

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
	int (*run)(const char *iface, int ifindex);
};

/* Parse argv (after the subcommand) into cmd's option table; resolves IFACE. */
int parse_command(const struct command *cmd, int argc, char **argv,
		  const char **iface, int *ifindex);
void print_command_usage(const struct command *cmd, FILE *out);

/* ---- The environment (env.c) ---- */
int iface_resolve(const char *name, int *ifindex);
int check_privileges(void);
int check_bpffs(void);
void setup_library_logging(void);
int read_sysctl_uint(const char *path, unsigned int *val);

/* ---- The attached program (attached.c) ---- */
enum xdpong_map_id { MAP_CONFIG, MAP_ADDRS, MAP_STATS, MAP_MSGS, MAP_EVENTS, MAP_COUNT };

struct attached {
	struct xdp_multiprog *mp;
	struct xdp_program *prog;  /* ours, inside mp */
	enum xdp_attach_mode mode;
	int map_fd[MAP_COUNT];
};

/* Find xdpong on ifindex. Returns 0, -ENOENT if it is not attached, or -errno. */
int attached_find(int ifindex, struct attached *a);
/* The same, after checking capabilities and bpffs, saying what is wrong.
 * Returns 0 or an exit code. */
int attached_open(int ifindex, const char *iface, struct attached *a);
void attached_close(struct attached *a);
const char *mode_name(enum xdp_attach_mode mode);

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
void limits_apply(const struct limit_opts *l, struct xdpong_config *cfg);
int config_read(int map_fd, struct xdpong_config *cfg);
int config_write(int map_fd, const struct xdpong_config *cfg);

/* ---- Local addresses (addrs.c) ---- */
int addrs_fill(int map_fd, const struct addr_list *extra);
int addrs_sync(int map_fd, int *added, int *removed);
int addr_parse(const char *s, struct xdpong_addr_key *key);
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

int totals_read(const struct attached *a, struct totals *t);
/* Each reason implies an action: sum the reasons' counters by action. */
void actions_of(const struct xdpong_counter reason[XDPONG_R_MAX],
		struct xdpong_counter action[XDPONG_ACT_MAX]);
void totals_free(struct totals *t);
const char *reason_name(enum xdpong_reason r);
const char *action_name(enum xdpong_action a);
/* A reported-MTU bucket's name: "<68", "68-575", "1500", ">=9000". */
const char *mtu_bucket_name(int i, char *buf, size_t len);

/* ---- Names of message types and codes (names.c) ---- */
const char *family_name(int family);
const char *msg_name(int family, int type, int code, char *buf, size_t len);
int msg_type_match(const char *s, int family, int type);

/* ---- Shown by status and set (cmd_status.c); run by sync and track (cmd_sync.c) ---- */
void print_limits(const struct xdpong_config *cfg);
int sync_once(const char *iface, const struct attached *a, int *added, int *removed,
	      bool *cfg_changed);

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

/* Set by SIGINT/SIGTERM in the long-running commands (watch, events). */
extern volatile int stop_requested;
void catch_stop_signals(void);

#endif /* XDPONG_CLI_H */
