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
#include "csum.h"
#include "echo.h"
#include "events.h"
#include "classify.h"
#include "rxdev.h"
#include "ratelimit.h"
#include "stats.h"

/* libxdp dispatcher: our run priority, and run the next program on XDP_PASS. */
struct {
	__uint(priority, XDPONG_DEFAULT_PRIO);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(XDPONG_PROG);

/* A check helper returns CHECK_OK to go on, or the reason to pass. */
#define CHECK_OK XDPONG_R_REPLIED

/*
 * Checks common to both families once the IP layer has said "echo request":
 * would the kernel answer at all, and on which device does it take the
 * frame (@dev)?
 */
static __always_inline enum xdpong_reason echo_preflight(struct pkt *p, __u32 ignore_flag,
							 const struct xdpong_config *cfg,
							 struct xdpong_l3dev *dev)
{
	enum xdpong_reason r;

	if (!cfg || !cfg->ttl || !cfg->hop_limit)
		return XDPONG_R_NOT_CONFIGURED;
	if (cfg->flags & XDPONG_F_MONITOR_ONLY)
		return XDPONG_R_MONITOR_ONLY;
	/* The kernel would not answer: let it not answer. */
	if (cfg->flags & ignore_flag)
		return XDPONG_R_ECHO_IGNORED;
	r = check_macs(p->eth, cfg);
	if (r != CHECK_OK)
		return r;
	/* With ip rules, where the kernel sends a reply depends on more than
	 * XDPONG_MAP_ROUTES tells (route.h). */
	if (cfg->flags & XDPONG_F_POLICY_ROUTING)
		return XDPONG_R_POLICY_ROUTING;
	return receiving_dev(p, cfg, dev);
}

/*
 * Strip what follows the IP datagram (Ethernet padding), as the kernel does,
 * then find the headers again: bpf_xdp_adjust_tail() invalidates packet
 * pointers. Returns 0, or -1 if the frame can't be trimmed.
 */
static __always_inline int trim_and_reload(struct pkt *p, __u32 ip_len, __u32 l3_hdr_len,
					   void **l3, struct icmp_echo_hdr **icmp)
{
	__u32 want = p->l3_off + ip_len;
	__u64 l3_off = p->l3_off; /* 64-bit: the verifier must see the checked register */
	void *data, *data_end;

	if (p->frame_len > want &&
	    bpf_xdp_adjust_tail(p->ctx, -(int)(p->frame_len - want)))
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

static __always_inline enum xdpong_reason handle_ipv4(struct pkt *p)
{
	const struct xdpong_config *cfg = NULL;
	struct xdpong_l3dev dev;
	struct reply_to to;
	struct xdpong_addr_key src;
	struct icmp_echo_hdr *icmp;
	struct iphdr *iph;
	enum xdpong_reason r;
	__u32 tot_len, icmp_len, sum;
	void *l3;
	int proto;

	proto = parse_iphdr(&p->c, &iph);
	if (proto < 0)
		return -proto;
	if (proto != IPPROTO_ICMP && proto != IPPROTO_IGMP)
		return XDPONG_R_NOT_ICMP;
	/* The one config lookup of the packet. */
	cfg = get_config();
	classify_ipv4(p->ctx, p->l3_off, p->frame_len, &p->msg, cfg);
	if (proto != IPPROTO_ICMP)
		return XDPONG_R_NOT_ICMP;
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET))
		return XDPONG_R_FRAGMENT;
	if (iph->ihl != 5)
		return XDPONG_R_IP_OPTIONS;

	tot_len = bpf_ntohs(iph->tot_len);
	if (tot_len < sizeof(*iph))
		return XDPONG_R_BAD_IP_HEADER;
	if (tot_len < sizeof(*iph) + sizeof(*icmp) || p->l3_off + tot_len > p->frame_len)
		return XDPONG_R_TRUNCATED;
	proto = parse_icmp_echo(&p->c, &icmp);
	if (proto < 0)
		return -proto;
	if (proto != XDPONG_ICMP_ECHO_REQUEST)
		return XDPONG_R_NOT_ECHO;
	if (icmp->code)
		return XDPONG_R_BAD_CODE;

	r = echo_preflight(p, XDPONG_F_IGNORE_V4, cfg, &dev);
	if (r != CHECK_OK)
		return r;
	r = check_ipv4_addrs(iph, cfg, &dev, &to);
	if (r != CHECK_OK)
		return r;
	if (!csum_ipv4_hdr_ok(iph))
		return XDPONG_R_BAD_IP_CSUM;
	icmp_len = tot_len - sizeof(*iph);
	if (csum_packet(p->ctx, p->l3_off + sizeof(*iph), icmp_len, 0, &sum) ||
	    csum_fold(sum) != 0xffff)
		return XDPONG_R_BAD_ICMP_CSUM;
	/* Last: only a request we would answer spends a token. */
	v4_mapped(src.addr, iph->saddr);
	if (!rate_admit(cfg, &src))
		return over_limit(cfg);

	if (trim_and_reload(p, tot_len, sizeof(*iph), &l3, &icmp))
		return XDPONG_R_TRIM_FAILED;
	reply_vlan_tags(p->ctx, p->vlans.n);
	build_reply_v4(p->eth, l3, icmp, cfg->ttl, &to);
	return XDPONG_R_REPLIED;
}

static __always_inline enum xdpong_reason handle_ipv6(struct pkt *p)
{
	const struct xdpong_config *cfg = NULL;
	struct xdpong_l3dev dev;
	struct reply_to to;
	struct xdpong_addr_key src;
	struct icmp_echo_hdr *icmp;
	struct ipv6hdr *ip6h;
	enum xdpong_reason r;
	__u32 plen, sum;
	void *l3;
	int nexthdr;

	nexthdr = parse_ip6hdr(&p->c, &ip6h);
	if (nexthdr < 0)
		return -nexthdr;
	/* The one config lookup of the packet. */
	cfg = get_config();
	classify_ipv6(p->ctx, p->l3_off, p->frame_len, &p->msg, cfg);
	if (nexthdr == IPPROTO_FRAGMENT)
		return XDPONG_R_FRAGMENT;
	if (xdpong_ipv6_is_ext_header(nexthdr))
		return XDPONG_R_EXT_HEADER;
	if (nexthdr != IPPROTO_ICMPV6)
		return XDPONG_R_NOT_ICMP;

	plen = bpf_ntohs(ip6h->payload_len);
	/* A zero payload length means a jumbogram, which needs a hop-by-hop header. */
	if (plen == 0)
		return XDPONG_R_BAD_IP_HEADER;
	if (plen < sizeof(*icmp) || p->l3_off + sizeof(*ip6h) + plen > p->frame_len)
		return XDPONG_R_TRUNCATED;
	nexthdr = parse_icmp_echo(&p->c, &icmp);
	if (nexthdr < 0)
		return -nexthdr;
	if (nexthdr != XDPONG_ICMP6_ECHO_REQUEST)
		return XDPONG_R_NOT_ECHO;
	if (icmp->code)
		return XDPONG_R_BAD_CODE;

	r = echo_preflight(p, XDPONG_F_IGNORE_V6, cfg, &dev);
	if (r != CHECK_OK)
		return r;
	if (dev.flags & XDPONG_L3_NO_IPV6)
		return XDPONG_R_IPV6_DISABLED;
	r = check_ipv6_addrs(ip6h, cfg, &dev, &to);
	if (r != CHECK_OK)
		return r;
	/* Pseudo-header (RFC 8200 8.1): addresses, upper-layer length, next header. */
	sum = bpf_csum_diff(NULL, 0, (void *)&ip6h->saddr, 2 * sizeof(struct in6_addr), 0);
	sum = csum_add32(sum, bpf_htonl(plen));
	sum = csum_add32(sum, bpf_htonl(IPPROTO_ICMPV6));
	if (csum_packet(p->ctx, p->l3_off + sizeof(*ip6h), plen, sum, &sum) ||
	    csum_fold(sum) != 0xffff)
		return XDPONG_R_BAD_ICMP_CSUM;
	/* Last: only a request we would answer spends a token; per /64. */
	__builtin_memcpy(src.addr, &ip6h->saddr, 8);
	__builtin_memset(src.addr + 8, 0, 8);
	if (!rate_admit(cfg, &src))
		return over_limit(cfg);

	if (trim_and_reload(p, sizeof(*ip6h) + plen, sizeof(*ip6h), &l3, &icmp))
		return XDPONG_R_TRIM_FAILED;
	reply_vlan_tags(p->ctx, p->vlans.n);
	build_reply_v6(p->eth, l3, icmp, cfg->hop_limit, &to);
	return XDPONG_R_REPLIED;
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
	enum xdpong_reason reason;
	int proto;

	proto = parse_ethhdr(&p.c, &p.eth, &p.vlans);
	p.l3_off = p.c.pos - (void *)(long)ctx->data;
	if (proto < 0)
		reason = -proto;
	else if (proto == bpf_htons(ETH_P_IP))
		reason = handle_ipv4(&p);
	else if (proto == bpf_htons(ETH_P_IPV6))
		reason = handle_ipv6(&p);
	else
		reason = XDPONG_R_NON_IP;

	return record(reason, &p.msg, p.frame_len);
}

char LICENSE[] SEC("license") = "GPL";
