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
#include "xdpong_icmp.h"

/* Names: the BPF side uses them as identifiers, userspace as strings.
 * The kernel keeps 15 characters of a map name: those that userspace finds
 * by name must fit. */
#define XDPONG_PROG             xdpong
#define XDPONG_MAP_CONFIG       xdpong_config
#define XDPONG_MAP_ADDRS        xdpong_addrs
/* _v4: an answered request is counted once (xdpong_stats_complete(), since
 * _v2), and the reasons grew (no-neighbour, ipsec-policy, kernel-ratelimit
 * in _v3; not-in-step, reply-too-big, route-exception in _v4): a program
 * attached by an older build lacks this map, and the CLI says to attach
 * again rather than misread its counts. */
#define XDPONG_MAP_STATS        xdpong_stats_v4
#define XDPONG_MAP_MSGS         xdpong_msgs
#define XDPONG_MAP_EVENTS       xdpong_events
#define XDPONG_MAP_EVENT_RATE   xdpong_event_rate
#define XDPONG_MAP_SCRATCH      xdpong_scratch
#define XDPONG_MAP_RATE         xdpong_rate
#define XDPONG_MAP_SRC_RATE     xdpong_src_rate
#define XDPONG_MAP_ADDR_CACHE   xdpong_addr_cache
#define XDPONG_MAP_VLANS        xdpong_vlans
#define XDPONG_MAP_ROUTES       xdpong_routes
#define XDPONG_MAP_NEIGH        xdpong_neigh
#define XDPONG_MAP_NEIGH_LEARNT xdpong_neigh_learnt
#define XDPONG_MAP_EXC_SEEN     xdpong_exc_seen
#define XDPONG_MAP_EXC_GEN      xdpong_exc_gen
#define XDPONG_MAP_MSG_CODES    xdpong_codes

#define XDPONG_STR_(x)          #x
#define XDPONG_STR(x)           XDPONG_STR_(x)

/*
 * Capacity: local addresses per set by default (the map holds two sets,
 * see struct xdpong_local_key; `attach --max-addrs` changes it), VLAN
 * devices on one interface, message classes whose code has no dense slot,
 * and per-source rate limiters (least recently used sources are forgotten).
 */
#define XDPONG_DEFAULT_MAX_ADDRS 16384
#define XDPONG_MAX_ADDRS_LIMIT  (1 << 20)
#define XDPONG_MAX_VLANS        4096
#define XDPONG_MAX_ROUTES       65536  /* per set */
#define XDPONG_MAX_NEIGH        65536
#define XDPONG_MAX_NEIGH_LEARNT 16384  /* an LRU: a flood of senders pushes out the oldest */
/* A learnt neighbour is used for this long after its last ARP request or
 * solicitation (an active client sends one when its own entry for us goes
 * stale, every 30 s or so). */
#define XDPONG_NEIGH_LEARNT_NS  (60ULL * 1000000000ULL)
/* Destinations an error about the host's own packets named (a path MTU, a
 * redirect), for which the kernel may keep a route exception: at most this
 * many (an LRU), each for the longest the kernel keeps one (mtu_expires). */
#define XDPONG_MAX_EXC_SEEN     16384
#define XDPONG_EXC_SEEN_NS      (600ULL * 1000000000ULL)
#define XDPONG_MAX_MSG_CLASSES  4096
#define XDPONG_MAX_SOURCES      65536

/* Run priority in the libxdp dispatcher (lower runs first). */
#define XDPONG_DEFAULT_PRIO     50

/* xdpong_config.flags */
#define XDPONG_F_MONITOR_ONLY   (1U << 0) /* classify and count, answer nothing */
#define XDPONG_F_IGNORE_V4      (1U << 1) /* net.ipv4.icmp_echo_ignore_all is set */
#define XDPONG_F_IGNORE_V6      (1U << 2) /* net.ipv6.icmp.echo_ignore_all is set */
#define XDPONG_F_OVER_LIMIT_DROP (1U << 3) /* drop requests over a rate limit (else pass) */
#define XDPONG_F_VLAN_TAG_UNKNOWN (1U << 4) /* the interface has VLAN devices and its NIC
					     * may strip their tags (rx-vlan-offload):
					     * an untagged frame may belong to one of them */

#define XDPONG_F_POLICY_ROUTING (1U << 5) /* ip rules beyond the defaults: the route back
					    * can't be known from XDPONG_MAP_ROUTES */
#define XDPONG_F_RTT            (1U << 6) /* the egress program times the host's echo
					    * requests: match their replies (ping
					    * telemetry, below) */
#define XDPONG_F_PINGERS        (1U << 7) /* follow the echo requests answered
					    * (XDPONG_MAP_PINGERS) */
#define XDPONG_F_RATEMASK_V4    (1U << 8) /* net.ipv4.icmp_ratemask has the echo
					    * reply's bit: the kernel rate-limits
					    * its replies */
#define XDPONG_F_RATEMASK_V6    (1U << 9) /* net.ipv6.icmp.ratemask has 129 */
#define XDPONG_F_IPSEC          (1U << 10) /* IPsec (xfrm) policies: the kernel drops
					     * plaintext requests they cover, encrypts
					     * replies */
#define XDPONG_F_NO_ARP_LEARN   (1U << 11) /* arp_ignore or arp_filter set: the kernel
					     * may make no entry from an ARP request
					     * (neigh_learn.h), so none is learnt */
#define XDPONG_F_NOT_IN_STEP    (1U << 12) /* the last sync failed: the maps may
					     * be stale, so the kernel answers
					     * until one succeeds */

/*
 * How the kernel takes packets on one receiving device: the interface
 * xdpong is attached to (xdpong_config.dev) or one of its VLAN devices
 * (XDPONG_MAP_VLANS).
 */
#define XDPONG_L3_NO_IPV6     (1U << 0) /* disable_ipv6: the kernel drops IPv6 here */
#define XDPONG_L3_NO_ANSWER   (1U << 3) /* answer nothing here (down, another VRF,
					 * a VLAN egress priority map, ...) */
#define XDPONG_L3_LL_ONLINK   (1U << 4) /* an on-link fe80::/64 route leaves here:
					 * a link-local source is answered
					 * directly (without it the kernel
					 * answers none, or through a gateway) */

struct xdpong_l3dev {
	__u32 ifindex;   /* the device's ifindex: link-local scope, route lookups */
	__u32 flags;     /* XDPONG_L3_* */
	__u32 mtu4;      /* its MTU; and its IPv6 MTU (conf/DEV/mtu, which a Router */
	__u32 mtu6;      /* Advertisement may lower): a longer reply the kernel
			  * fragments (0: not known, no limit) */
};

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
 * Ping telemetry settings, in xdpong_config.rtt (`attach --rtt-*`, `set`).
 * Prefix lengths are per family; an IPv4 length counts IPv4 bits (24, not
 * 120), although the address is stored IPv4-mapped.
 */
struct xdpong_rtt_config {
	__u64 timeout_ns;   /* a request unanswered this long is lost (default 1 s) */
	__u8 prefix_v4;     /* the host's pings: destination prefix of a table row (24) */
	__u8 prefix_v6;     /* (48) */
	__u8 pad[6];
};
#define XDPONG_RTT_DEFAULT_TIMEOUT_NS 1000000000ULL
#define XDPONG_RTT_DEFAULT_PREFIX_V4  24
#define XDPONG_RTT_DEFAULT_PREFIX_V6  48

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
	/* Bumped by userspace after every change to XDPONG_MAP_ADDRS: its low
	 * bit picks the address set in use, and a change invalidates the
	 * per-CPU XDPONG_MAP_ADDR_CACHE. */
	__u64 addr_gen;
	/* Bumped by userspace after a change to XDPONG_MAP_NEIGH: it too
	 * invalidates XDPONG_MAP_ADDR_CACHE. */
	__u64 neigh_gen;
	/* The attached interface, as the kernel takes packets on it. */
	struct xdpong_l3dev dev;
	/* Ping telemetry: timeouts and prefix lengths (below). */
	struct xdpong_rtt_config rtt;
	/* An event for 1 in N messages of [family - 1][type]; 0: none. */
	__u16 sample[XDPONG_NFAM][256];
};

/* An address: IPv6, or IPv4 stored IPv4-mapped (::ffff:a.b.c.d). */
struct xdpong_addr_key {
	__u8 addr[16];
};

/*
 * XDPONG_MAP_ADDRS, a hash: the addresses the kernel delivers to from the
 * attached interface (those of up interfaces in its VRF), its IPv4 subnet
 * broadcast addresses, and every address of the host, flagged, for the
 * source checks. It holds two sets: userspace writes a whole new set, then
 * flips xdpong_config.addr_gen, then deletes the old one, so a packet sees
 * one complete set or the other, never a mix.
 */
struct xdpong_local_key {
	__u32 set;       /* xdpong_config.addr_gen & 1 */
	__u32 ifindex;   /* IPv6 link-local: the receiving device it belongs to; else 0 */
	struct xdpong_addr_key a;
};

struct xdpong_addr_val {
	__u32 ifindex;   /* the interface the host has it on (for status); 0: --address */
	__u32 flags;     /* XDPONG_ADDR_* */
};

#define XDPONG_ADDR_CONFIGURED  (1U << 0) /* added with --address, not read from the host */
#define XDPONG_ADDR_BROADCAST   (1U << 1) /* a subnet broadcast address of ours: never
					   * answered, and never a valid source */
#define XDPONG_ADDR_SOURCE_ONLY (1U << 2) /* the host's, but not delivered to from this
					   * interface (another VRF, a down interface,
					   * another link's link-local): a request from
					   * it goes to the kernel, one to it too */

/*
 * XDPONG_MAP_ROUTES, an LPM trie: the routes of the table the kernel would
 * route the reply by (main, or the VRF's), in the two sets of
 * XDPONG_MAP_ADDRS, switched by the same addr_gen. IPv4 prefixes are stored
 * IPv4-mapped. A request is answered only if the route back to its source
 * leaves by the device it came in on: where the kernel's reply would go,
 * and what rp_filter (strict or loose) asks.
 */
struct xdpong_route_key {
	__u32 prefixlen;   /* 32 (set, family, pad) + the prefix length (IPv4: 96 + it) */
	__u8 set;          /* xdpong_config.addr_gen & 1 */
	__u8 family;       /* 4 or 6: an IPv6 ::/0 must not match IPv4-mapped sources */
	__u8 pad[2];
	struct xdpong_addr_key a;
};
#define XDPONG_ROUTE_KEY_BITS 32 /* set, family and pad come before the prefix */

struct xdpong_route {
	__u32 ifindex;     /* the device the route leaves by */
	__u32 flags;       /* XDPONG_ROUTE_* */
	struct xdpong_addr_key gateway; /* the next hop, if XDPONG_ROUTE_GATEWAY */
};

#define XDPONG_ROUTE_GATEWAY   (1U << 0) /* via a gateway: its MAC is the reply's */
#define XDPONG_ROUTE_NO_REPLY  (1U << 1) /* not one plain unicast route: blackhole,
					  * unreachable, prohibit, multipath, ... */
#define XDPONG_ROUTE_EXCEPTION (1U << 2) /* the kernel's route cache has an
					  * exception for this address (a
					  * redirect, a path MTU): its to answer */

/*
 * XDPONG_MAP_NEIGH, a hash: the host's neighbour table (valid entries), by
 * device and address (IPv4-mapped), as userspace last read it. The reply
 * goes to the MAC the kernel would send to: its next hop's. A next hop the
 * table lacks is the kernel's to resolve, unless XDPONG_MAP_NEIGH_LEARNT
 * has it: an LRU hash, same key, of the senders of ARP requests and
 * neighbour solicitations for our addresses since (bpf/neigh_learn.h),
 * each used for XDPONG_NEIGH_LEARNT_NS after it was last seen.
 */
struct xdpong_neigh_key {
	__u32 ifindex;
	struct xdpong_addr_key a;
};

struct xdpong_neigh_learnt {
	__u64 seen_ns;  /* bpf_ktime_get_ns() */
	__u8 mac[6];
	__u8 resolving; /* no MAC yet: a request to it went to the kernel, which
			 * is resolving it (ARP, NS), since seen_ns */
	__u8 pad;
};
/* How long the kernel's resolution takes at most, to take its answer. */
#define XDPONG_NEIGH_RESOLVING_NS (5ULL * 1000000000ULL)

struct xdpong_neigh {
	__u8 mac[6];
	__u8 pad[2];
};

/*
 * XDPONG_MAP_VLANS, a hash: the VLAN devices on the attached interface, by
 * their tags as they arrive (outer first; inner zero for a single tag).
 * A tagged frame with no entry is not answered: the kernel drops it.
 */
struct xdpong_vlan_key {
	__be16 outer_tpid;
	__u16 outer_vid;
	__be16 inner_tpid;
	__u16 inner_vid;
};

/*
 * XDPONG_MAP_ADDR_CACHE, a per-CPU array of one entry: the last destination
 * found local and the last source found not ours, per family, so that a
 * flood to one address from one source skips the hash lookups. Valid while
 * gen equals xdpong_config.addr_gen.
 */
struct xdpong_addr_cache {
	__u64 gen;
	__u64 neigh_gen;
	__u64 exc_gen;  /* XDPONG_MAP_EXC_GEN's count when filled */
	__be32 dst;     /* valid if dst_ok */
	__be32 src;     /* valid if src_ok: not ours, routed back via src_ifindex */
	__u8 dst6[16];  /* the last IPv6 destination found ours; valid if dst6_ok */
	__u8 src6[16];  /* the last IPv6 source found good; valid if src6_ok */
	__u32 dst6_ifindex; /* the receiving device dst6 was found ours on */
	__u32 src_ifindex;  /* the receiving device src was checked for */
	__u32 src6_ifindex; /* ... and src6 */
	__u8 src_mac[6];    /* the reply's destination MAC for src (its next hop's) */
	__u8 src6_mac[6];   /* ... for src6 */
	__u8 dst_ok;
	__u8 src_ok;
	__u8 dst6_ok;
	__u8 src6_ok;
	__u8 pad[4];
	__u8 quoted6[16];    /* the last IPv6 source of a header an error quotes
			      * found ours (classify: solicited), if quoted6_ok;
			      * 8-aligned: same_in6() reads it as two words */
	__be32 quoted;       /* ... IPv4, if quoted_ok */
	__u8 quoted_ok;
	__u8 quoted6_ok;
	__u8 pad2[2];
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
	X(VLAN_NO_DEVICE, PASS, "vlan-no-device",   "tagged, and no VLAN device here takes it") \
	X(VLAN_UNKNOWN,   PASS, "vlan-tag-unknown", "the NIC may have stripped a VLAN tag XDP can't read") \
	X(SRC_MAC_INVALID, PASS, "src-mac-invalid", "source MAC is multicast, broadcast or zero") \
	X(IPV6_DISABLED,  PASS, "ipv6-disabled",    "disable_ipv6 is set on the receiving device") \
	X(DEV_NO_ANSWER,  PASS, "dev-no-answer",    "the receiving device is down or in another VRF") \
	X(NO_ROUTE,       PASS, "no-route",         "no unicast route back to the source") \
	X(ROUTE_ELSEWHERE, PASS, "route-elsewhere", "the route back to the source leaves by another device") \
	X(NO_NEIGHBOUR,   PASS, "no-neighbour",     "no neighbour entry for the next hop back: the kernel resolves it") \
	X(POLICY_ROUTING, PASS, "policy-routing",   "ip rules beyond the defaults, or source or TOS routes: the route back is unknown") \
	X(IPSEC_POLICY,   PASS, "ipsec-policy",     "IPsec policies: the kernel may drop the request or encrypt its reply") \
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
	X(KERNEL_RATELIMIT, PASS, "kernel-ratelimit", "the kernel rate-limits echo replies (icmp_ratemask): its to answer") \
	X(RATE_PASS,      PASS, "rate-limited-pass", "over a rate limit, --over-limit pass")   \
	X(RATE_DROP,      DROP, "rate-limited-drop", "over a rate limit, --over-limit drop")   \
	X(MONITOR_ONLY,   PASS, "monitor-only",     "attached with --monitor-only")           \
	X(TRIM_FAILED,    PASS, "trim-failed",      "could not strip Ethernet padding")    \
	X(NOT_IN_STEP,    PASS, "not-in-step",      "the last sync with the host failed: the kernel answers until one succeeds") \
	X(REPLY_TOO_BIG,  PASS, "reply-too-big",    "the reply is longer than the device's IPv6 MTU: the kernel fragments it") \
	X(ROUTE_EXCEPTION, PASS, "route-exception", "the kernel has a redirect or path MTU for the source (ip route show cache)")

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
	__u64 mtu_sum;          /* the MTUs counted in mtu[], added up */
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
 * dense family x type table. Messages with another code go to
 * XDPONG_MAP_MSG_CODES or XDPONG_MAP_MSGS.
 */
struct xdpong_stats {
	struct xdpong_counter reason[XDPONG_R_MAX];
	struct xdpong_counter code0[XDPONG_NFAM][256]; /* [family - 1][type] */
	struct xdpong_err_stats err[2];                /* [IPv4, IPv6] */
	struct xdpong_event_stats events;
	__u64 msg_table_full; /* unassigned codes not counted: XDPONG_MAP_MSGS was full */
	/*
	 * Echo requests the kernel never sees, [IPv4, IPv6]: answered
	 * (XDPONG_R_REPLIED) and dropped (XDPONG_R_RATE_DROP). The kernel's
	 * Icmp/Icmp6 InEchos and OutEchoReps miss exactly these.
	 */
	struct xdpong_counter echo_replied[2];
	struct xdpong_counter echo_dropped[2];
};

static inline void xdpong_counter_add(struct xdpong_counter *to, const struct xdpong_counter *c)
{
	to->packets += c->packets;
	to->bytes += c->bytes;
}

/*
 * The program counts an answered request once, in echo_replied[family]
 * (one counter a reply, not three: the hottest path touches one line of
 * the slot); its reason (XDPONG_R_REPLIED) and its message class (code 0
 * of the family's echo request) follow from it. Every reader of
 * XDPONG_MAP_STATS completes each CPU's slot with this before using it.
 */
static inline void xdpong_stats_complete(struct xdpong_stats *st)
{
	xdpong_counter_add(&st->reason[XDPONG_R_REPLIED], &st->echo_replied[0]);
	xdpong_counter_add(&st->reason[XDPONG_R_REPLIED], &st->echo_replied[1]);
	xdpong_counter_add(&st->code0[XDPONG_FAM_ICMP - 1][XDPONG_ICMP_ECHO_REQUEST],
			   &st->echo_replied[0]);
	xdpong_counter_add(&st->code0[XDPONG_FAM_ICMPV6 - 1][XDPONG_ICMP6_ECHO_REQUEST],
			   &st->echo_replied[1]);
}

/*
 * XDPONG_MAP_MSGS, a per-CPU hash: packets and bytes of each message class
 * whose code has no slot in XDPONG_MAP_MSG_CODES (codes nobody assigned),
 * keyed by family x type x code. Only classes seen take an entry; when it is
 * full, msg_table_full counts what could not be.
 */
struct xdpong_msg_key {
	__u8 family; /* enum xdpong_family */
	__u8 type;
	__u8 code;
	__u8 pad;
};

/*
 * XDPONG_MAP_MSG_CODES, a per-CPU array: packets and bytes of the message
 * classes whose code is 1 to 16 or 255, which covers every code IANA has
 * assigned (the highest below 255 is router advertisement's 16; router
 * renumbering's sequence reset is 255). Each has a fixed slot, so no flood
 * of junk classes can push them out of XDPONG_MAP_MSGS, which counts the
 * other codes and can fill.
 */
#define XDPONG_CODE_SLOTS 18
#define XDPONG_MSG_CODE_ENTRIES (XDPONG_NFAM * 256 * XDPONG_CODE_SLOTS)

/* The slot of @code in XDPONG_MAP_MSG_CODES, or -1: XDPONG_MAP_MSGS. */
static inline int xdpong_code_slot(__u8 code)
{
	return code <= 16 ? code : code == 255 ? 17 : -1;
}

/* The code of slot @slot: the inverse of xdpong_code_slot(). */
static inline __u8 xdpong_slot_code(__u32 slot)
{
	return slot == 17 ? 255 : slot;
}

static inline __u32 xdpong_msg_code_index(__u32 family, __u32 type, __u32 slot)
{
	return ((family - 1) * 256 + type) * XDPONG_CODE_SLOTS + slot;
}

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
#define XDPONG_EV_RTT            (1U << 11) /* an echo reply matched to the host's
					     * request in time: rtt_ns holds the trip */
#define XDPONG_EV_RTT_LATE       (1U << 12) /* an echo reply to a request already
					     * counted lost */
#define XDPONG_EV_RTT_DUP        (1U << 13) /* another reply to an answered request */
#define XDPONG_EV_LOST           (1U << 14) /* no frame: the host's echo request to dst
					     * (from src) went unanswered for the
					     * timeout; inner_sport holds its
					     * identifier, inner_dport its sequence
					     * (host order); type is the request's */

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
	__u64 rtt_ns;           /* XDPONG_EV_RTT: the round trip of this echo reply */
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

/*
 * ---- Ping telemetry ----
 *
 * The host's own pings. bpf/rtt_egress.bpf.c, a tcx egress program of its
 * own object that `attach` loads beside the XDP program (it shares these
 * maps by descriptor) and pins, under XDPONG_PIN_DIR/<XDP program id>/ as
 * XDPONG_PROG_RTT_EGRESS, times every echo request the host sends out of
 * the interface into XDPONG_MAP_RTT_PENDING. The XDP program matches each
 * echo reply to it: the round trip goes into the per-CPU histograms of its
 * destination prefix (XDPONG_MAP_RTT_PREFIX) and of its family
 * (XDPONG_MAP_RTT_TOTAL). A timer of the egress object sweeps the pending
 * table: a request unanswered for xdpong_config.rtt.timeout_ns is lost.
 */
#define XDPONG_MAP_RTT_PENDING  xdpong_rtt_pend
#define XDPONG_MAP_RTT_PREFIX   xdpong_rtt_pfx
#define XDPONG_MAP_RTT_TOTAL    xdpong_rtt_tot
#define XDPONG_MAP_RTT_SWEEP    xdpong_rtt_swp
#define XDPONG_PROG_RTT_EGRESS  xdpong_rtt_out

#define XDPONG_RTT_MAX_PENDING  65536 /* requests in flight, default */
#define XDPONG_RTT_MAX_PREFIXES 256   /* rows of XDPONG_MAP_RTT_PREFIX, default: a row
				       * is ~1 KB per CPU, 15 MB at 64 CPUs */
#define XDPONG_RTT_SWEEP_NS     100000000ULL /* the sweep runs every 100 ms */
/* A request counted lost stays this many timeouts after it was sent, so that
 * a reply still coming is counted late, not unmatched. */
#define XDPONG_RTT_KEEP_TIMEOUTS 4

/* XDPONG_MAP_RTT_PENDING, a hash (no LRU: when it is full, a request is
 * counted untracked, never silently forgotten): the host's requests in
 * flight, and those answered or lost, kept until the sweep removes them. */
struct xdpong_rtt_key {
	__u8 family;     /* 4 or 6 */
	__u8 pad;
	__be16 id;       /* echo identifier, sequence: as on the wire */
	__be16 seq;
	__u16 pad2;
	struct xdpong_addr_key local;  /* the request's source (IPv4-mapped) */
	struct xdpong_addr_key remote; /* its destination: the reply's source */
};

enum xdpong_rtt_state {
	XDPONG_RTT_WAITING = 0, /* no reply yet */
	XDPONG_RTT_REPLIED,     /* replied within the timeout */
	XDPONG_RTT_LOST,        /* counted lost by the sweep */
	XDPONG_RTT_LATE,        /* ... and replied since */
};

struct xdpong_rtt_pending {
	__u64 sent_ns;   /* bpf_ktime_get_ns() at tc egress */
	__u32 state;     /* enum xdpong_rtt_state; changed by compare-and-swap */
	__u32 pad;
};

/*
 * Round-trip histograms, log-linear (as HdrHistogram): 4 buckets per power
 * of two of nanoseconds. Bucket 0 holds trips below 2^10 ns; bucket
 * 1 + 4 (e - 10) + s holds [2^e + s 2^(e-2), 2^e + (s+1) 2^(e-2)) for
 * e in 10..35, s in 0..3; the last bucket 2^36 ns (68.7 s) and above.
 */
#define XDPONG_RTT_LOW_SHIFT    10
#define XDPONG_RTT_HIGH_SHIFT   36
#define XDPONG_RTT_SUB_SHIFT    2
#define XDPONG_RTT_NBUCKETS \
	(2 + ((XDPONG_RTT_HIGH_SHIFT - XDPONG_RTT_LOW_SHIFT) << XDPONG_RTT_SUB_SHIFT))

static inline __u32 xdpong_rtt_bucket(__u64 ns)
{
	__u32 e = 0;
	__u64 v = ns;

	if (ns < (1ULL << XDPONG_RTT_LOW_SHIFT))
		return 0;
	if (ns >= (1ULL << XDPONG_RTT_HIGH_SHIFT))
		return XDPONG_RTT_NBUCKETS - 1;
	/* floor(log2(ns)) without a loop (BPF has no count-leading-zeros). */
	if (v >> 32) { v >>= 32; e += 32; }
	if (v >> 16) { v >>= 16; e += 16; }
	if (v >> 8)  { v >>= 8;  e += 8; }
	if (v >> 4)  { v >>= 4;  e += 4; }
	if (v >> 2)  { v >>= 2;  e += 2; }
	if (v >> 1)  { e += 1; }
	return 1 + ((e - XDPONG_RTT_LOW_SHIFT) << XDPONG_RTT_SUB_SHIFT) +
	       (__u32)((ns >> (e - XDPONG_RTT_SUB_SHIFT)) & ((1U << XDPONG_RTT_SUB_SHIFT) - 1));
}

/* The lower bound of bucket @i in ns (0 for bucket 0). */
static inline __u64 xdpong_rtt_bucket_low(__u32 i)
{
	__u32 e, s;

	if (i == 0)
		return 0;
	if (i >= XDPONG_RTT_NBUCKETS - 1)
		return 1ULL << XDPONG_RTT_HIGH_SHIFT;
	e = XDPONG_RTT_LOW_SHIFT + ((i - 1) >> XDPONG_RTT_SUB_SHIFT);
	s = (i - 1) & ((1U << XDPONG_RTT_SUB_SHIFT) - 1);
	return (1ULL << e) + ((__u64)s << (e - XDPONG_RTT_SUB_SHIFT));
}

/* XDPONG_MAP_RTT_PREFIX, a per-CPU LRU hash: one row per destination
 * prefix (xdpong_config.rtt.prefix_v4/v6; the address masked, IPv4-mapped).
 * A scan pushes old rows out; XDPONG_MAP_RTT_TOTAL keeps every count, so
 * "other" is the total less the rows. */
struct xdpong_rtt_prefix_key {
	__u8 family;     /* 4 or 6 */
	__u8 prefixlen;  /* in the family's bits */
	__u16 pad;
	struct xdpong_addr_key a;
};

struct xdpong_rtt_stats {
	__u64 sent;       /* echo requests timed at egress */
	__u64 replied;    /* replies matched within the timeout: in bucket[] */
	__u64 lost;       /* requests unanswered for the timeout */
	__u64 late;       /* replies to requests already counted lost */
	__u64 duplicate;  /* further replies to an answered request */
	__u64 untracked;  /* requests not timed: XDPONG_MAP_RTT_PENDING was full */
	__u64 unmatched;  /* (XDPONG_MAP_RTT_TOTAL only) replies to no request seen */
	__u64 sum_ns;     /* the trips in bucket[], added up */
	__u64 min_ns;     /* the shortest trip; 0: none yet */
	__u64 max_ns;     /* the longest */
	__u64 bucket[XDPONG_RTT_NBUCKETS];
};

/* XDPONG_MAP_RTT_TOTAL, a per-CPU array: [0] IPv4, [1] IPv6. */
#define XDPONG_RTT_TOTAL_ENTRIES 2

/*
 * The pings the host answers. With XDPONG_F_PINGERS (`attach --pingers`),
 * the XDP program follows each echo request it answers in
 * XDPONG_MAP_PINGERS, an LRU hash by flow (source address and identifier):
 * a flood of sources pushes the oldest flows out, never fails. Userspace
 * adds flows up by source prefix.
 */
#define XDPONG_MAP_PINGERS      xdpong_pingers
#define XDPONG_MAX_PINGERS      16384 /* flows, default */

struct xdpong_pinger_key {
	__u8 family;     /* 4 or 6 */
	__u8 pad;
	__be16 id;       /* echo identifier, as on the wire */
	struct xdpong_addr_key src; /* IPv4-mapped */
};

struct xdpong_pinger {
	__u64 first_ns;     /* the flow's first request, bpf_ktime_get_ns() */
	__u64 last_ns;      /* its last */
	__u64 requests;
	__u64 bytes;        /* ICMP bytes (header and data) */
	__u64 gaps;         /* requests missing: sequence numbers skipped */
	__u64 reordered;    /* requests below the highest sequence seen */
	__u64 duplicates;   /* the highest sequence again */
	__u64 timestamped;  /* requests carrying a sender's timestamp (iputils) */
	__u64 jitter_ns;    /* RFC 3550 interarrival jitter of one-way delay, from
			     * the timestamps: sender and host clocks need not agree */
	__s64 last_transit_ns; /* arrival less the sender's timestamp, last request */
	__u64 odd_payload;  /* data unlike a ping client's: a tunnelling hint */
	__u16 max_seq;      /* the highest sequence seen, host order */
	__u16 last_len;     /* ICMP data length of the last request */
	__u32 pad;
};

#endif /* XDPONG_H */
