// SPDX-License-Identifier: GPL-2.0
/*
 * xdpong.bpf.c: the XDP entry point.
 *
 * Answers ICMP/ICMPv6 Echo Requests addressed to this host with an Echo
 * Reply by XDP_TX, and passes everything else to the kernel untouched, each
 * packet counted under the reason for its verdict. The checks run cheapest
 * first; the checksums, which read the whole message, run last.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <xdp/xdp_helpers.h>

#include "xdpong.h"
#include "maps.h"
#include "parsing.h"
#include "csum_packet.h"
#include "echo.h"
#include "events.h"
#include "classify.h"
#include "rxdev.h"
#include "ratelimit.h"
#include "stats.h"
#include "rtt_maps.h"
#include "rtt.h"
#include "pingers.h"
#include "neigh_learn.h"

/*
 * Benchmark builds only (`make bench`: tests/bench/bench.c measures what
 * each stage costs by leaving it out): XDPONG_BENCH_SKIP names one stage.
 * A normal build defines none, and every stage runs.
 */
#define SKIP_NONE     0
#define SKIP_CLASSIFY 1
#define SKIP_ADDRS    2
#define SKIP_CSUM     3
#define SKIP_RATE     4
#define SKIP_COUNT    5
#ifndef XDPONG_BENCH_SKIP
#define XDPONG_BENCH_SKIP SKIP_NONE
#endif

/* libxdp dispatcher: our run priority, and run the next program on XDP_PASS. */
struct {
	__uint(priority, XDPONG_DEFAULT_PRIO);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(XDPONG_PROG);

/*
 * Checks common to both families once the IP layer has said "echo request":
 * would the kernel answer at all, and on which device does it take the
 * frame (@dev)?
 */
static __always_inline enum xdpong_reason echo_preflight(struct pkt *p, __u32 ignore_flag,
							 __u32 ratemask_flag,
							 const struct xdpong_config *cfg,
							 const struct xdpong_l3dev **dev)
{
	/* The config's switches that send every request to the kernel: the
	 * usual case, none of them on, is one test before the MACs and one
	 * after. */
	__u32 before_macs = XDPONG_F_MONITOR_ONLY | XDPONG_F_NOT_IN_STEP | ignore_flag | ratemask_flag;
	__u32 after_macs = XDPONG_F_POLICY_ROUTING | XDPONG_F_IPSEC;
	enum xdpong_reason r;

	if (!cfg || !cfg->ttl || !cfg->hop_limit)
		return XDPONG_R_NOT_CONFIGURED;
	if (cfg->flags & before_macs) {
		if (cfg->flags & XDPONG_F_MONITOR_ONLY)
			return XDPONG_R_MONITOR_ONLY;
		/* Userspace's last sync failed: what the maps say may no
		 * longer be so (user/sync.c). */
		if (cfg->flags & XDPONG_F_NOT_IN_STEP)
			return XDPONG_R_NOT_IN_STEP;
		/* The kernel would not answer: let it not answer. */
		if (cfg->flags & ignore_flag)
			return XDPONG_R_ECHO_IGNORED;
		/* It would answer some, under its own rate limit (a non-default
		 * icmp_ratemask): which ones only it knows. */
		return XDPONG_R_KERNEL_RATELIMIT;
	}
	r = check_macs(p->eth, cfg);
	if (r != GO_ON)
		return r;
	if (cfg->flags & after_macs) {
		/* With ip rules, where the kernel sends a reply depends on
		 * more than XDPONG_MAP_ROUTES tells (route.h). */
		if (cfg->flags & XDPONG_F_POLICY_ROUTING)
			return XDPONG_R_POLICY_ROUTING;
		/* With IPsec policies, the kernel drops the plaintext requests
		 * they cover (xfrm4_policy_check()), and encrypts its replies. */
		return XDPONG_R_IPSEC_POLICY;
	}
	return receiving_dev(p, cfg, dev);
}

/* An echo request of ours, with ICMP type and code checked: the echo header. */
static __always_inline enum xdpong_reason echo_header(struct pkt *p, __u8 request_type,
						      struct icmp_echo_hdr **icmp)
{
	int type = parse_icmp_echo(&p->c, icmp);

	if (type < 0)
		return -type;
	if (type != request_type)
		return XDPONG_R_NOT_ECHO;
	if ((*icmp)->code)
		return XDPONG_R_BAD_CODE;
	return GO_ON;
}

/* IPv4: would the kernel answer this request? *@ip_len: its total length. */
static __always_inline enum xdpong_reason check_echo_v4(struct pkt *p,
							const struct xdpong_config *cfg,
							const struct xdpong_l3dev **dev,
							struct reply_to *to, __u32 *ip_len)
{
	struct iphdr *iph = p->iph;
	struct icmp_echo_hdr *icmp;
	enum xdpong_reason r;
	__u32 sum;

	if (p->l4_proto != IPPROTO_ICMP)
		return XDPONG_R_NOT_ICMP;
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return XDPONG_R_FRAGMENT;
	if (iph->ihl != 5)
		return XDPONG_R_IP_OPTIONS;
	*ip_len = bpf_ntohs(iph->tot_len);
	if (*ip_len < sizeof(*iph))
		return XDPONG_R_BAD_IP_HEADER;
	if (*ip_len < sizeof(*iph) + sizeof(*icmp) || p->l3_off + *ip_len > p->frame_len)
		return XDPONG_R_TRUNCATED;
	r = echo_header(p, XDPONG_ICMP_ECHO_REQUEST, &icmp);
	if (r != GO_ON)
		return r;
	r = echo_preflight(p, XDPONG_F_IGNORE_V4, XDPONG_F_RATEMASK_V4, cfg, dev);
	if (r != GO_ON)
		return r;
	/* Longer than the device takes: the kernel would fragment its reply. */
	if (*ip_len > (*dev)->mtu4 && (*dev)->mtu4)
		return XDPONG_R_REPLY_TOO_BIG;
	if (XDPONG_BENCH_SKIP != SKIP_ADDRS) {
		r = check_ipv4_addrs(iph, cfg, *dev, to);
		if (r != GO_ON)
			return r;
	} else {
		to->mac = mac_load(p->eth->h_source); /* the bench's: back to the source */
	}
	if (XDPONG_BENCH_SKIP != SKIP_CSUM) {
		if (!csum_ipv4_hdr_ok(iph))
			return XDPONG_R_BAD_IP_CSUM;
		if (csum_packet(p->ctx, p->l4_off, *ip_len - sizeof(*iph), 0, &sum) ||
		    csum_fold(sum) != 0xffff)
			return XDPONG_R_BAD_ICMP_CSUM;
	}
	/* Rate limits per /32, when there are any. */
	to->limited = XDPONG_BENCH_SKIP != SKIP_RATE && rate_limited(cfg);
	if (to->limited)
		v4_mapped(to->rate_key.addr, iph->saddr);
	return GO_ON;
}

/* IPv6: would the kernel answer this request? *@ip_len: 40 + payload length. */
static __always_inline enum xdpong_reason check_echo_v6(struct pkt *p,
							const struct xdpong_config *cfg,
							const struct xdpong_l3dev **dev,
							struct reply_to *to, __u32 *ip_len)
{
	struct ipv6hdr *ip6h = p->ip6h;
	struct icmp_echo_hdr *icmp;
	enum xdpong_reason r;
	__u32 plen, sum;

	if (p->ip6_first_nexthdr == IPPROTO_FRAGMENT)
		return XDPONG_R_FRAGMENT;
	if (xdpong_ipv6_is_ext_header(p->ip6_first_nexthdr))
		return XDPONG_R_EXT_HEADER;
	if (p->l4_proto != IPPROTO_ICMPV6)
		return XDPONG_R_NOT_ICMP;
	plen = bpf_ntohs(ip6h->payload_len);
	/* A zero payload length means a jumbogram, which needs a hop-by-hop header. */
	if (plen == 0)
		return XDPONG_R_BAD_IP_HEADER;
	if (plen < sizeof(*icmp) || p->l3_off + sizeof(*ip6h) + plen > p->frame_len)
		return XDPONG_R_TRUNCATED;
	*ip_len = sizeof(*ip6h) + plen;
	r = echo_header(p, XDPONG_ICMP6_ECHO_REQUEST, &icmp);
	if (r != GO_ON)
		return r;
	r = echo_preflight(p, XDPONG_F_IGNORE_V6, XDPONG_F_RATEMASK_V6, cfg, dev);
	if (r != GO_ON)
		return r;
	if ((*dev)->flags & XDPONG_L3_NO_IPV6)
		return XDPONG_R_IPV6_DISABLED;
	if (*ip_len > (*dev)->mtu6 && (*dev)->mtu6)
		return XDPONG_R_REPLY_TOO_BIG;
	if (XDPONG_BENCH_SKIP != SKIP_ADDRS) {
		r = check_ipv6_addrs(ip6h, cfg, *dev, to);
		if (r != GO_ON)
			return r;
	} else {
		to->mac = mac_load(p->eth->h_source); /* the bench's: back to the source */
	}
	if (XDPONG_BENCH_SKIP != SKIP_CSUM) {
		sum = csum_ipv6_pseudo(ip6h, plen, IPPROTO_ICMPV6);
		if (csum_packet(p->ctx, p->l4_off, plen, sum, &sum) || csum_fold(sum) != 0xffff)
			return XDPONG_R_BAD_ICMP_CSUM;
	}
	/* Rate limits per /64, when there are any. */
	to->limited = XDPONG_BENCH_SKIP != SKIP_RATE && rate_limited(cfg);
	if (to->limited) {
		__builtin_memcpy(to->rate_key.addr, &ip6h->saddr, 8);
		__builtin_memset(to->rate_key.addr + 8, 0, 8);
	}
	return GO_ON;
}

/*
 * Strip what follows the IP datagram (Ethernet padding), as the kernel does,
 * then find the headers again: bpf_xdp_adjust_tail() invalidates packet
 * pointers. Returns 0, or -1 if the frame can't be trimmed.
 */
static __always_inline int trim_and_reload(struct pkt *p, __u32 want, __u32 l3_hdr_len,
					   void **l3, struct icmp_echo_hdr **icmp)
{
	__u64 l3_off = p->l3_off; /* 64-bit: the verifier must see the checked register */
	void *data, *data_end;

	if (bpf_xdp_adjust_tail(p->ctx, -(int)(p->frame_len - want)))
		return -1;
	data = (void *)(long)p->ctx->data;
	data_end = (void *)(long)p->ctx->data_end;
	/* l3_off came from pointer arithmetic; re-bound it, past clang's reach,
	 * for the verifier. */
	barrier_var(l3_off);
	if (l3_off > MAX_L3_OFF)
		return -1;
	p->eth = data;
	*l3 = data + l3_off;
	*icmp = *l3 + l3_hdr_len;
	if ((void *)(p->eth + 1) > data_end || (void *)(*icmp + 1) > data_end)
		return -1;
	return 0;
}

/*
 * The headers the reply is made in (@l3_hdr: the IP header the parse found).
 * A frame padded past its IP datagram is trimmed first; one that isn't (the
 * usual case) keeps the parse's pointers. Returns 0, or -1 if the frame
 * can't be trimmed.
 */
static __always_inline int reply_headers(struct pkt *p, void *l3_hdr, __u32 l3_hdr_len,
					 __u32 ip_len, void **l3, struct icmp_echo_hdr **icmp)
{
	if (p->frame_len > p->l3_off + ip_len)
		return trim_and_reload(p, p->l3_off + ip_len, l3_hdr_len, l3, icmp);
	*l3 = l3_hdr;
	*icmp = l3_hdr + l3_hdr_len;
	return (void *)(*icmp + 1) > p->c.end ? -1 : 0;
}

/*
 * The request passed every check: spend a rate-limit token (last, so that
 * only a request we would answer spends one), then turn it into its reply.
 */
static __always_inline enum xdpong_reason answer_echo(struct pkt *p,
						      const struct xdpong_config *cfg,
						      const struct reply_to *to, __u32 ip_len)
{
	struct icmp_echo_hdr *icmp;
	void *l3;

	if (to->limited && !rate_admit(cfg, &to->rate_key))
		return over_limit(cfg);
	/* The IP header's length as a constant in each branch: the verifier
	 * bounds the pointers by it. (Which header the parse found says the
	 * family, as in the entry point.) */
	if (p->iph) {
		if (reply_headers(p, p->iph, sizeof(struct iphdr), ip_len, &l3, &icmp))
			return XDPONG_R_TRIM_FAILED;
		reply_vlan_tags(p->ctx, p->vlans.n);
		build_reply_v4(p->eth, l3, icmp, cfg->ttl, to);
	} else if (p->ip6h) {
		if (reply_headers(p, p->ip6h, sizeof(struct ipv6hdr), ip_len, &l3, &icmp))
			return XDPONG_R_TRIM_FAILED;
		reply_vlan_tags(p->ctx, p->vlans.n);
		build_reply_v6(p->eth, l3, icmp, cfg->hop_limit, to);
	} else {
		return XDPONG_R_NON_IP;
	}
	return XDPONG_R_REPLIED;
}

/* The IP layer, parsed once: its header, the transport and where it starts. */
static __always_inline enum xdpong_reason parse_ip(struct pkt *p, __be16 ethertype)
{
	void *data = (void *)(long)p->ctx->data;
	int proto, nonfirst = 0;

	if (ethertype == bpf_htons(ETH_P_IP)) {
		p->family = 4;
		proto = parse_iphdr(&p->c, &p->iph);
	} else if (ethertype == bpf_htons(ETH_P_IPV6)) {
		p->family = 6;
		proto = parse_ip6hdr(&p->c, &p->ip6h);
		if (proto >= 0) {
			struct hdr_cursor ext = p->c;

			p->ip6_first_nexthdr = proto;
			proto = skip_ipv6_ext(&ext, proto, &nonfirst);
			/* The echo path reads no further than an extension header. */
			if (proto >= 0)
				p->c = ext;
		}
	} else {
		return XDPONG_R_NON_IP;
	}
	if (proto < -1)
		return -proto;
	p->l4_proto = proto;
	p->l4_off = p->c.pos - data;
	return GO_ON;
}

/*
 * An ARP packet (@arp) or a neighbour solicitation or advertisement: the
 * neighbour entry the kernel makes from it, for the device it takes the
 * frame on (neigh_learn.h). Nothing to learn for a program that answers
 * nothing.
 */
static __always_inline void learn_neighbour(struct pkt *p, const struct xdpong_config *cfg,
					    int arp)
{
	const struct xdpong_l3dev *dev;

	if (!cfg || (cfg->flags & XDPONG_F_MONITOR_ONLY) ||
	    (arp && (cfg->flags & XDPONG_F_NO_ARP_LEARN)) || receiving_dev(p, cfg, &dev) != GO_ON)
		return;
	if (arp)
		learn_arp(p->ctx, p->l3_off, dev->ifindex, cfg);
	else
		learn_nd(p->ctx, p->l3_off, p->l4_off, dev->ifindex, cfg);
}

static __always_inline int is_neighbour_discovery(const struct msg_info *m)
{
	return m->key.family == XDPONG_FAM_ICMPV6 &&
	       (m->key.type == XDPONG_ICMP6_ND_NS || m->key.type == XDPONG_ICMP6_ND_NA);
}

/* The details of an ICMP, ICMPv6 or IGMP message: once (classify.h). */
static __always_inline void classify(struct pkt *p, const struct xdpong_config *cfg)
{
	if (p->family == 4 && (p->l4_proto == IPPROTO_ICMP || p->l4_proto == IPPROTO_IGMP))
		classify_ipv4(p->ctx, p->l3_off, p->l4_off, &p->msg, cfg);
	else if (p->family == 6 && p->l4_proto == IPPROTO_ICMPV6)
		classify_ipv6(p->ctx, p->l3_off, p->l4_off, &p->msg, cfg);
}

SEC("xdp.frags")
int XDPONG_PROG(struct xdp_md *ctx)
{
	struct pkt p = {
		.ctx = ctx,
		.c.pos = (void *)(long)ctx->data,
		.c.end = (void *)(long)ctx->data_end,
		.frame_len = bpf_xdp_get_buff_len(ctx),
	};
	const struct xdpong_config *cfg;
	enum xdpong_reason reason;
	const struct xdpong_l3dev *dev = NULL;
	struct reply_to to;
	__u32 ip_len = 0;
	int ethertype;

	/* 1. Parse: Ethernet, VLAN tags, IP, IPv6 extension headers. A packet
	 * that stops here carries no message: its reason is all there is to
	 * count. */
	ethertype = parse_ethhdr(&p.c, &p.eth, &p.vlans);
	if (ethertype < 0) {
		reason = -ethertype;
		goto no_message;
	}
	p.l3_off = p.c.pos - (void *)(long)ctx->data;
	if (ethertype == bpf_htons(ETH_P_ARP)) {
		learn_neighbour(&p, get_config(), 1);
		reason = XDPONG_R_NON_IP;
		goto no_message;
	}
	reason = parse_ip(&p, ethertype);
	if (reason != GO_ON)
		goto no_message;
	if (p.l4_proto != IPPROTO_ICMP && p.l4_proto != IPPROTO_ICMPV6 &&
	    p.l4_proto != IPPROTO_IGMP && !(p.family == 6 && p.l4_proto < 0)) {
		reason = XDPONG_R_NOT_ICMP;
		goto no_message;
	}

	/* 2. Classify the message (the one config lookup of the packet). */
	cfg = get_config();
	if (XDPONG_BENCH_SKIP != SKIP_CLASSIFY) {
		identify_message(&p);
		/* An echo reply to one of the host's own pings: its round trip. */
		if (cfg && (cfg->flags & XDPONG_F_RTT) && is_echo_reply(&p.msg))
			rtt_match_reply(&p, cfg);
		if (cfg && wants_details(cfg, &p.msg))
			classify(&p, cfg);
	}
	if (is_neighbour_discovery(&p.msg))
		learn_neighbour(&p, cfg, 0);

	/* 3. Would the kernel answer it? Then answer it. (Which header the
	 * parse found says the family: the verifier follows a pointer's being
	 * set where it would lose a byte's value.) */
	if (p.iph)
		reason = check_echo_v4(&p, cfg, &dev, &to, &ip_len);
	else if (p.ip6h)
		reason = check_echo_v6(&p, cfg, &dev, &to, &ip_len);
	else
		reason = XDPONG_R_NON_IP;
	if (reason == GO_ON) {
		reason = answer_echo(&p, cfg, &to, ip_len);
		/* The pings answered: their senders' flows, if asked for. */
		if (reason == XDPONG_R_REPLIED && (cfg->flags & XDPONG_F_PINGERS))
			pingers_track(ctx, p.l3_off, p.l4_off, p.iph ? 4 : 6, cfg);
	}
	/* 4. Count it. */
	if (XDPONG_BENCH_SKIP == SKIP_COUNT)
		return xdp_action_of(reason);
	return record(reason, &p.msg, p.frame_len);
no_message:
	if (XDPONG_BENCH_SKIP == SKIP_COUNT)
		return xdp_action_of(reason);
	return record_reason(reason, p.frame_len);
}

char LICENSE[] SEC("license") = "GPL";
