/* SPDX-License-Identifier: GPL-2.0 */
/* bench.h: what the benchmark's programs and its harness share. */
#ifndef XDPONG_BENCH_H
#define XDPONG_BENCH_H

#include <linux/types.h>

#define BENCH_FRAME_MAX 9100

struct bench_template {
	__u32 len;
	__u8 data[BENCH_FRAME_MAX];
};

#endif /* XDPONG_BENCH_H */
