// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_pass.bpf.c: a plain XDP_PASS program for the tests. Attached with
 * `ip link` to a veth peer so that the peer receives XDP_TX frames, and as
 * the "program that isn't libxdp's" that attach must refuse to run beside.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
