/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdpong.h: everything the XDP program (bpf/) and the CLI (user/) share.
 *
 * Map names, the layout of every map key and value, the configuration
 * struct and the table of pass/drop reasons are defined here once. Only
 * fixed-width __u types are used, so both sides agree on the layout.
 */
#ifndef XDPONG_H
#define XDPONG_H

#include <linux/types.h>

/* Names: the BPF side uses them as identifiers, userspace as strings. */
#define XDPONG_PROG             xdpong
#define XDPONG_MAP_CONFIG       xdpong_config
#define XDPONG_MAP_ADDRS        xdpong_addrs
#define XDPONG_MAP_STATS        xdpong_stats
#define XDPONG_MAP_MSGS         xdpong_msgs
#define XDPONG_MAP_EVENTS       xdpong_events
#define XDPONG_MAP_EVENT_RATE   xdpong_event_rate
#define XDPONG_MAP_SCRATCH      xdpong_scratch
#define XDPONG_MAP_RATE         xdpong_rate
#define XDPONG_MAP_SRC_RATE     xdpong_src_rate
#define XDPONG_MAP_ADDR_CACHE   xdpong_addr_cache

#define XDPONG_STR_(x)          #x
#define XDPONG_STR(x)           XDPONG_STR_(x)

/* Capacity of the local-address map, the message-class map, and the
 * per-source rate limiter (least recently used sources are forgotten). */
#define XDPONG_MAX_ADDRS        1024
#define XDPONG_MAX_MSG_CLASSES  4096
#define XDPONG_MAX_SOURCES      65536

/* Run priority in the libxdp dispatcher (lower runs first). */
#define XDPONG_DEFAULT_PRIO     50

/* xdpong_config.flags */
#define XDPONG_F_MONITOR_ONLY   (1U << 0) /* classify and count, answer nothing */
#define XDPONG_F_IGNORE_V4      (1U << 1) /* net.ipv4.icmp_echo_ignore_all is set */
#define XDPONG_F_IGNORE_V6      (1U << 2) /* net.ipv6.icmp.echo_ignore_all is set */
#define XDPONG_F_OVER_LIMIT_DROP (1U << 3) /* drop requests over a rate limit (else pass) */

/* Events: ring buffer size, bytes of each packet kept, default rate cap. */
#define XDPONG_EVENTS_BYTES     (1 << 20)
#define XDPONG_EVENT_SNAPLEN    256
#define XDPONG_DEFAULT_EVENT_RATE 1000

/* Message families counted by type and code. */
enum xdpong_family {
	XDPONG_FAM_NONE = 0,
	XDPONG_FAM_ICMP,   /* IPv4 protocol 1 */
	XDPONG_FAM_ICMPV6, /* IPv6 next header 58 */
	XDPONG_FAM_IGMP,   /* IPv4 protocol 2 */
	XDPONG_FAM_MAX,
};
#define XDPONG_NFAM (XDPONG_FAM_MAX - 1) /* families that are counted */

/*
 * XDPONG_MAP_CONFIG, an array of one entry, written by `xdpong attach`.
 * A zero ttl means "not configured yet": the program then answers nothing.
 */
struct xdpong_config {
	__u8  ttl;        /* IPv4 TTL of replies: net.ipv4.ip_default_ttl */
	__u8  hop_limit;  /* IPv6 hop limit of replies: net.ipv6.conf.IFACE.hop_limit */
	__u8  mac[6];     /* the interface's MAC; all zero accepts any unicast MAC */
	__u32 flags;      /* XDPONG_F_* */
	__u32 event_rate; /* events per second at most, over all CPUs */
	/*
	 * Reply rate limits (GCRA): a reply every interval ns on average, up
	 * to burst back to back (tolerance = (burst - 1) x interval). An
	 * interval of 0 turns a limit off. Global, and per source (IPv4 /32,
	 * IPv6 /64).
	 */
	__u64 rate_interval_ns;
	__u64 rate_tolerance_ns;
	__u64 src_interval_ns;
	__u64 src_tolerance_ns;
	/* Bumped by userspace after every change to XDPONG_MAP_ADDRS: it
	 * invalidates the per-CPU XDPONG_MAP_ADDR_CACHE. */
	__u64 addr_gen;
	/* An event for 1 in N messages of [family - 1][type]; 0: none. */
	__u16 sample[XDPONG_NFAM][256];
};

/*
 * XDPONG_MAP_ADDRS, a hash: the unicast addresses this host answers for, and
 * its IPv4 subnet broadcast addresses (flagged). IPv4 addresses are stored
 * IPv4-mapped (::ffff:a.b.c.d).
 */
struct xdpong_addr_key {
	__u8 addr[16];
};

struct xdpong_addr_val {
	__u32 ifindex;   /* for IPv6 link-local: the only interface it is valid on; else 0 */
	__u32 flags;     /* XDPONG_ADDR_* */
};

#define XDPONG_ADDR_CONFIGURED  (1U << 0) /* added with --address, not read from the host */
#define XDPONG_ADDR_BROADCAST   (1U << 1) /* a subnet broadcast address of ours: never
					   * answered, and never a valid source */

/*
 * XDPONG_MAP_ADDR_CACHE, a per-CPU array of one entry: the last IPv4
 * destination found local and the last source found not ours, and the last
 * IPv6 destination found ours, so that a flood to one address skips the hash
 * lookups. Valid while gen equals xdpong_config.addr_gen.
 */
struct xdpong_addr_cache {
	__u64 gen;
	__be32 dst;     /* valid if dst_ok */
	__be32 src;     /* valid if src_ok */
	__u8 dst6[16];  /* the last IPv6 destination found ours; valid if dst6_ok */
	__u8 dst_ok;
	__u8 src_ok;
	__u8 dst6_ok;
	__u8 pad[5];
};

/* A packet and byte counter: the value of every per-CPU counter slot. */
struct xdpong_counter {
	__u64 packets;
	__u64 bytes;
};

/* What the program did with a packet. */
enum xdpong_action {
	XDPONG_ACT_PASS = 0,
	XDPONG_ACT_TX,
	XDPONG_ACT_DROP,
	XDPONG_ACT_MAX,
};

/*
 * Every packet gets exactly one reason; each reason implies one action.
 * X(enum suffix, action, name shown to users, description)
 */
#define XDPONG_REASONS(X)                                                          \
	X(REPLIED,        TX,   "replied",          "echo request answered by XDP_TX")        \
	X(NON_IP,         PASS, "non-ip",           "not IPv4 or IPv6 (ARP, LLDP, ...)")      \
	X(VLAN_DEPTH,     PASS, "vlan-depth",       "more than two VLAN tags")                \
	X(TRUNCATED,      PASS, "truncated",        "frame shorter than its headers claim")   \
	X(BAD_IP_HEADER,  PASS, "bad-ip-header",    "bad IP version, IHL or length field")    \
	X(NOT_ICMP,       PASS, "not-icmp",         "transport is not ICMP/ICMPv6")           \
	X(FRAGMENT,       PASS, "fragment",         "IP fragment: the kernel reassembles")    \
	X(IP_OPTIONS,     PASS, "ip-options",       "IPv4 header carries options")            \
	X(EXT_HEADER,     PASS, "ext-header",       "IPv6 extension header before ICMPv6")    \
	X(NOT_ECHO,       PASS, "not-echo-request", "ICMP message other than echo request")   \
	X(BAD_CODE,       PASS, "bad-code",         "echo request with code other than 0")    \
	X(MAC_GROUP,      PASS, "dst-mac-group",    "destination MAC is multicast/broadcast") \
	X(MAC_OTHER,      PASS, "dst-mac-other",    "destination MAC is not the interface's") \
	X(DST_BROADCAST,  PASS, "dst-broadcast",    "destination is the broadcast address")   \
	X(DST_MULTICAST,  PASS, "dst-multicast",    "destination is a multicast address")     \
	X(DST_NOT_LOCAL,  PASS, "dst-not-local",    "destination is not one of our addresses") \
	X(SRC_INVALID,    PASS, "src-invalid",      "source multicast/broadcast/loopback/unspecified/ours") \
	X(BAD_IP_CSUM,    PASS, "bad-ip-csum",      "IPv4 header checksum does not verify")   \
	X(BAD_ICMP_CSUM,  PASS, "bad-icmp-csum",    "ICMP checksum does not verify")          \
	X(NOT_CONFIGURED, PASS, "not-configured",   "attach has not filled the config yet")   \
	X(ECHO_IGNORED,   PASS, "echo-ignored",     "the kernel's icmp_echo_ignore_all is set") \
	X(RATE_PASS,      PASS, "rate-limited-pass", "over a rate limit, --over-limit pass")   \
	X(RATE_DROP,      DROP, "rate-limited-drop", "over a rate limit, --over-limit drop")   \
	X(MONITOR_ONLY,   PASS, "monitor-only",     "attached with --monitor-only")           \
	X(TRIM_FAILED,    PASS, "trim-failed",      "could not strip Ethernet padding")

#define XDPONG_REASON_ENUM_(name, act, str, desc) XDPONG_R_##name,
enum xdpong_reason {
	XDPONG_REASONS(XDPONG_REASON_ENUM_)
	XDPONG_R_MAX,
};
#undef XDPONG_REASON_ENUM_

/* The action a reason implies: the verdict, and how userspace sums actions. */
static inline enum xdpong_action xdpong_reason_action(enum xdpong_reason r)
{
#define XDPONG_REASON_ACTION_(name, act, str, desc) \
	case XDPONG_R_##name: return XDPONG_ACT_##act;
	switch (r) {
	XDPONG_REASONS(XDPONG_REASON_ACTION_)
	default: return XDPONG_ACT_PASS;
	}
#undef XDPONG_REASON_ACTION_
}

/*
 * Reported MTU histogram (frag-needed, packet-too-big): bucket i holds the
 * MTUs below the i-th bound and not below the one before; the last bucket
 * holds the rest.
 */
#define XDPONG_MTU_BOUNDS(X) X(68) X(576) X(1280) X(1400) X(1480) X(1500) X(1501) X(9000)
#define XDPONG_MTU_COUNT_(b) + 1
#define XDPONG_MTU_NBUCKETS (1 XDPONG_MTU_BOUNDS(XDPONG_MTU_COUNT_))

static inline __u32 xdpong_mtu_bucket(__u32 mtu)
{
	__u32 i = 0;
#define XDPONG_MTU_TEST_(b) if (mtu < (b)) return i; i++;
	XDPONG_MTU_BOUNDS(XDPONG_MTU_TEST_)
#undef XDPONG_MTU_TEST_
	return i;
}

/* ICMP/ICMPv6 errors, per family (index 0 IPv4, 1 IPv6). */
struct xdpong_err_stats {
	__u64 errors;           /* error messages seen */
	__u64 unsolicited;      /* quoting a packet not from our addresses: spoofed? */
	__u64 quote_malformed;  /* quoted header truncated or invalid */
	__u64 mtu[XDPONG_MTU_NBUCKETS];
	__u64 mtu_below_min;    /* MTU below 68 (IPv4) or 1280 (IPv6) */
	__u64 rfc4884;          /* with an RFC 4884 length (extensions follow) */
	__u64 rfc4884_bad;      /* RFC 4884 length beyond the message */
	__u64 redirects;        /* redirects (IPv4 type 5, ND redirect) */
	__u64 redirect_bad_hop; /* ND redirect whose hop limit is not 255 */
};

/* Events sent to the ring buffer, and those not sent. */
struct xdpong_event_stats {
	__u64 sent;
	__u64 sampled_out;      /* skipped by the 1-in-N sampling */
	__u64 rate_limited;     /* over the per-second cap */
	__u64 ring_full;        /* no room in the ring buffer (slow reader) */
};

/*
 * XDPONG_MAP_STATS, a per-CPU array of one entry: the one slot the program
 * touches for almost every packet. It holds a counter per reason, and the
 * messages with code 0 (echo, most errors' first code, ND, MLD, IGMP) in a
 * dense family x type table. Messages with another code go to XDPONG_MAP_MSGS.
 */
struct xdpong_stats {
	struct xdpong_counter reason[XDPONG_R_MAX];
	struct xdpong_counter code0[XDPONG_NFAM][256]; /* [family - 1][type] */
	struct xdpong_err_stats err[2];                /* [IPv4, IPv6] */
	struct xdpong_event_stats events;
	__u64 msg_table_full; /* messages not counted: XDPONG_MAP_MSGS was full */
};

/*
 * XDPONG_MAP_MSGS, a per-CPU hash: packets and bytes of each message class
 * with a non-zero code, keyed by family x type x code. Only classes seen take
 * a slot, so summing it stays cheap however many CPUs there are.
 */
struct xdpong_msg_key {
	__u8 family; /* enum xdpong_family */
	__u8 type;
	__u8 code;
	__u8 pad;
};

/* XDPONG_MAP_EVENT_RATE, an array of one entry: the cap's current second. */
struct xdpong_event_rate {
	__u64 window_ns; /* start of the current one-second window */
	__u64 count;     /* events admitted in it */
};

/* xdpong_event.flags */
#define XDPONG_EV_ERROR          (1U << 0) /* an ICMP/ICMPv6 error */
#define XDPONG_EV_QUOTE          (1U << 1) /* the quoted IP header was read */
#define XDPONG_EV_PORTS          (1U << 2) /* ... and its ports / ICMP id */
#define XDPONG_EV_UNSOLICITED    (1U << 3) /* the quoted source is not ours */
#define XDPONG_EV_QUOTE_BAD      (1U << 4) /* the quote is truncated or invalid */
#define XDPONG_EV_MTU            (1U << 5) /* mtu holds a reported MTU */
#define XDPONG_EV_MTU_LOW        (1U << 6) /* ... below the family's minimum */
#define XDPONG_EV_RFC4884        (1U << 7) /* an RFC 4884 length is present */
#define XDPONG_EV_RFC4884_BAD    (1U << 8) /* ... pointing past the message */
#define XDPONG_EV_GATEWAY        (1U << 9) /* gateway holds a redirect target */
#define XDPONG_EV_BAD_HOP_LIMIT  (1U << 10) /* ND message with hop limit != 255 */

/*
 * XDPONG_MAP_EVENTS, a ring buffer: one event per ICMP error (and per echo,
 * if sampled), within the sampling and the per-second cap. Addresses are
 * IPv6, or IPv4-mapped.
 */
struct xdpong_event {
	__u64 ts_ns;            /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 ifindex;
	__u32 flags;            /* XDPONG_EV_* */
	__u8  family;           /* enum xdpong_family */
	__u8  type;
	__u8  code;
	__u8  inner_proto;      /* transport of the quoted packet */
	__u16 inner_sport;      /* its ports, or ICMP id and sequence */
	__u16 inner_dport;
	__u8  src[16];          /* outer source and destination */
	__u8  dst[16];
	__u8  inner_src[16];    /* quoted source and destination */
	__u8  inner_dst[16];
	__u8  gateway[16];      /* redirect: gateway (IPv4) or target (ND) */
	__u32 mtu;              /* frag-needed / packet-too-big */
	__u32 pkt_len;          /* the frame's length */
	__u32 cap_len;          /* bytes of it in data[] */
	__u32 pad;
	__u8  data[XDPONG_EVENT_SNAPLEN];
};

/*
 * Replies the driver failed to transmit after XDP_TX, counted by the tracing
 * programs of bpf/tx_errors.bpf.c (a separate object, one per attached
 * interface) into XDPONG_MAP_TX_FAILED, a per-CPU array of one entry. `xdpong
 * attach` pins the map and the programs' links in bpffs, under
 * XDPONG_PIN_DIR/<XDP program id>/, by these names.
 */
#define XDPONG_MAP_TX_FAILED       xdpong_tx_failed
#define XDPONG_PROG_TXF_EXCEPTION  xdpong_txf_exception
#define XDPONG_PROG_TXF_BULK       xdpong_txf_bulk_tx
#define XDPONG_PIN_DIR             "xdpong"

struct xdpong_tx_failed {
	__u64 refused;      /* xdp:xdp_exception, XDP_TX: the driver refused the frame */
	__u64 peer_unable;  /* xdp:xdp_bulk_tx with an error: the veth peer can't take
			     * XDP frames (no XDP program, or down) */
	__u64 peer_dropped; /* xdp:xdp_bulk_tx without: the veth peer's ring was full,
			     * or the frame over its MTU */
};

/* XDPONG_MAP_RATE (one entry) and XDPONG_MAP_SRC_RATE (an LRU hash keyed by
 * the source prefix, IPv4-mapped /32 or IPv6 /64): GCRA state. */
struct xdpong_rate_state {
	__u64 tat; /* theoretical arrival time, ns (bpf_ktime_get_ns) */
};

#endif /* XDPONG_H */
