// SPDX-License-Identifier: GPL-2.0
/*
 * bench.bpf.c: the benchmark's own programs, baselines and tools:
 *   bench_tx, bench_pass   trivial XDP_TX / XDP_PASS programs (baselines);
 *   bench_reflect          a bare reflector: swap MACs and addresses, set the
 *                          reply type with its checksum, XDP_TX (the limit of
 *                          the XDP_TX path, with none of xdpong's checks);
 *   bench_reflect_verified the reflector after verifying both checksums and
 *                          counting the reply (the least a correct responder
 *                          does);
 *   bench_restore          writes the template frame over the packet, then
 *                          tail-calls slot 0 of bench_jump: test_run reuses its
 *                          buffer, so each repetition starts from the request;
 *   bench_gen              the live-frames generator: writes the template
 *                          frame (its page may hold a returned reply) and
 *                          sends it with XDP_TX;
 *   bench_sink             on the generator's interface: counts echo replies
 *                          and drops them;
 *   bench_tc_ok            a trivial tc program (TC_ACT_OK): the baseline of
 *                          the egress program of ping telemetry.
 * The XDP ones are multi-buffer (xdp.frags), as xdpong is, so that tail calls
 * between them are allowed.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench.h"

/* The frame bench_restore and bench_gen write. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_template);
} bench_template SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} bench_jump SEC(".maps");

/* Echo replies seen by bench_sink, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bench_replies SEC(".maps");

SEC("xdp.frags")
int bench_tx(struct xdp_md *ctx)
{
	return XDP_TX;
}

SEC("xdp.frags")
int bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

static __always_inline int write_template(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct bench_template *t = bpf_map_lookup_elem(&bench_template, &zero);
	__u64 len;

	if (!t)
		return -1;
	len = t->len;
	/* Bounded for the verifier: the template fits its buffer. */
	barrier_var(len);
	if (len < 1 || len > BENCH_FRAME_MAX)
		return -1;
	return bpf_xdp_store_bytes(ctx, 0, t->data, len) ? -1 : 0;
}

/* A locked instruction (x86: it drains the store buffer), so that the
 * program measured after bench_restore reads the frame as a driver's
 * program would read a received one: from the cache, not from stores still
 * in flight, which a narrower or straddling load can't be forwarded from. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bench_fence SEC(".maps");

static __always_inline void store_fence(void)
{
	__u32 zero = 0;
	__u64 *f = bpf_map_lookup_elem(&bench_fence, &zero);

	if (f)
		__sync_fetch_and_add(f, 1);
}

SEC("xdp.frags")
int bench_restore(struct xdp_md *ctx)
{
	if (write_template(ctx))
		return XDP_ABORTED;
	store_fence();
	bpf_tail_call(ctx, &bench_jump, 0);
	return XDP_ABORTED;
}

SEC("xdp.frags")
int bench_gen(struct xdp_md *ctx)
{
	return write_template(ctx) ? XDP_ABORTED : XDP_TX;
}

SEC("xdp.frags")
int bench_sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u8 *icmp = (void *)(iph + 1);
	__u32 zero = 0;
	__u64 *n;

	if ((void *)(icmp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    iph->protocol != IPPROTO_ICMP || icmp[0] != 0)
		return XDP_PASS;
	n = bpf_map_lookup_elem(&bench_replies, &zero);
	if (n)
		(*n)++;
	return XDP_DROP;
}

static __always_inline int reflect(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u8 *icmp = (void *)(iph + 1), mac[ETH_ALEN];
	__u32 addr, sum;

	if ((void *)(icmp + 4) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    iph->protocol != IPPROTO_ICMP || icmp[0] != 8)
		return XDP_PASS;
	__builtin_memcpy(mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
	addr = iph->saddr;
	iph->saddr = iph->daddr;
	iph->daddr = addr;
	/* type 8 -> 0: RFC 1624 for that one word */
	icmp[0] = 0;
	sum = (__u16)~*(__u16 *)(icmp + 2) + (__u16)~bpf_htons(0x0800);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	*(__u16 *)(icmp + 2) = ~sum;
	return XDP_TX;
}

SEC("xdp.frags")
int bench_reflect(struct xdp_md *ctx)
{
	return reflect(ctx);
}

/*
 * The reflector plus the least a correct responder must do: verify both
 * checksums (the IPv4 header inline, the ICMP message through
 * bpf_csum_diff(), as xdpong does) and count the reply in a per-CPU counter.
 * For a 98-byte IPv4 request with a 64-byte ICMP message only.
 */
static __always_inline __u16 fold(__u64 s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s;
}

SEC("xdp.frags")
int bench_reflect_verified(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u8 *icmp = (void *)(iph + 1);
	__u32 *w = (void *)iph, zero = 0;
	__u64 s = 0, *n;
	int i;

	if ((void *)(icmp + 64) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    iph->protocol != IPPROTO_ICMP || icmp[0] != 8)
		return XDP_PASS;
#pragma unroll
	for (i = 0; i < 5; i++)
		s += w[i];
	if (fold(s) != 0xffff)
		return XDP_PASS;
	if (fold(bpf_csum_diff(NULL, 0, (void *)icmp, 64, 0)) != 0xffff)
		return XDP_PASS;
	n = bpf_map_lookup_elem(&bench_replies, &zero);
	if (n)
		(*n)++;
	return reflect(ctx);
}

SEC("tc")
int bench_tc_ok(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
