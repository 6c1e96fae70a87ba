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

#define XDPONG_STR_(x)          #x
#define XDPONG_STR(x)           XDPONG_STR_(x)

/* Capacity of the local-address map and of the message-class map. */
#define XDPONG_MAX_ADDRS        1024
#define XDPONG_MAX_MSG_CLASSES  4096

/* Run priority in the libxdp dispatcher (lower runs first). */
#define XDPONG_DEFAULT_PRIO     50

/* xdpong_config.flags */
#define XDPONG_F_MONITOR_ONLY   (1U << 0) /* classify and count, answer nothing */

/*
 * XDPONG_MAP_CONFIG, an array of one entry, written by `xdpong attach`.
 * A zero ttl means "not configured yet": the program then answers nothing.
 */
struct xdpong_config {
	__u8  ttl;       /* IPv4 TTL of replies: net.ipv4.ip_default_ttl */
	__u8  hop_limit; /* IPv6 hop limit of replies: net.ipv6.conf.IFACE.hop_limit */
	__u8  mac[6];    /* the interface's MAC; all zero accepts any unicast MAC */
	__u32 flags;     /* XDPONG_F_* */
	__u32 pad;
};

/*
 * XDPONG_MAP_ADDRS, a hash: the unicast addresses this host answers for.
 * IPv4 addresses are stored IPv4-mapped (::ffff:a.b.c.d).
 */
struct xdpong_addr_key {
	__u8 addr[16];
};

struct xdpong_addr_val {
	__u32 ifindex;   /* for IPv6 link-local: the only interface it is valid on; else 0 */
	__u32 flags;     /* XDPONG_ADDR_* */
};

#define XDPONG_ADDR_CONFIGURED  (1U << 0) /* added with --address, not read from the host */

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
 * XDPONG_MAP_STATS, a per-CPU array of one entry: the one slot the program
 * touches for almost every packet. It holds a counter per reason, and the
 * messages with code 0 (echo, most errors' first code, ND, MLD, IGMP) in a
 * dense family x type table. Messages with another code go to XDPONG_MAP_MSGS.
 */
struct xdpong_stats {
	struct xdpong_counter reason[XDPONG_R_MAX];
	struct xdpong_counter code0[XDPONG_NFAM][256]; /* [family - 1][type] */
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

#endif /* XDPONG_H */
