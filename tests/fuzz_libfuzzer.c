// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_libfuzzer.c: the same check as fuzz.c, with libFuzzer choosing the
 * frames: coverage of the reference model's branches (which follow the
 * rules) guides it toward the inputs that matter. Each input is one frame;
 * a disagreement aborts with the frame saved by libFuzzer.
 *
 *   make fuzz-libfuzzer [FUZZ_SECONDS=60]
 */
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "model.h"

static int prog_fd = -1;

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xdpong *skel;
	__u32 verdict;
	int replied;

	if (prog_fd < 0) {
		libbpf_set_print(quiet);
		skel = xdpong__open_and_load();
		if (!skel || model_setup(skel)) {
			fprintf(stderr, "can't load the program (root needed)\n");
			abort();
		}
		prog_fd = bpf_program__fd(skel->progs.xdpong);
	}
	/* test_run takes whole Ethernet headers only */
	if (size < 14 || size > FRAME_MAX - 64)
		return 0;
	if (model_agrees(prog_fd, data, size, &verdict, &replied) != 1) {
		fprintf(stderr, "the program (verdict %u) and the model disagree\n", verdict);
		abort();
	}
	return 0;
}
