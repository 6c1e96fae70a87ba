// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_pass.bpf.c: a plain XDP_PASS program for the tests, attached with
 * `ip link`: to a veth peer, so that the peer receives XDP_TX frames (frags,
 * so jumbo MTUs too), and as the program that isn't libxdp's, beside which
 * attach must refuse to run.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp.frags")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
