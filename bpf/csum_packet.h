/* SPDX-License-Identifier: GPL-2.0 */
/*
 * csum_packet.h: the partial sum of a message in the packet, wherever it
 * lies: straight from the linear area, by blocks through bpf_loop(), from
 * fragments through dynptr slices or copies. Only the entry point's unit
 * includes it: its copy buffer is a map of its own (csum.h has the
 * arithmetic, for every unit).
 */
#ifndef XDPONG_CSUM_PACKET_H
#define XDPONG_CSUM_PACKET_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "csum.h"

/* Longest message we sum: an IPv4 total length or IPv6 payload length. */
#define CSUM_MAX_LEN   0xffff
/* Block sizes: older kernels' bpf_csum_diff() takes at most 512 bytes a
 * call; Linux 6.18's takes any length, and csum_block_cb() tries 2048 first. */
#define CSUM_BLOCK     512
#define CSUM_BIG_BLOCK 2048
/* Largest offset of a summed range: the deepest L4 header we checksum. */
#define CSUM_MAX_OFF   128

/*
 * The deepest offset read directly. The verifier tracks a packet range only
 * while offset + block stays below 0xffff (a CSUM_BIG_BLOCK after this
 * offset does); bytes beyond it go through the copy path.
 */
#define CSUM_DIRECT_MAX_OFF 0xf7ff

/* Pointer to the @n bytes at @off + @pos if they lie in the linear area, else NULL. */
static __always_inline void *csum_direct(void *data, void *data_end,
					 __u32 off, __u32 pos, __u32 n)
{
	__u32 o = off + pos;
	void *p;

	/* Keeps clang from folding the bound below into one the verifier can't follow. */
	barrier_var(o);
	if (o > CSUM_DIRECT_MAX_OFF)
		return NULL;
	p = data + o;
	if (p + n > data_end)
		return NULL;
	return p;
}

/* Sum the next @n bytes directly if they lie in the linear area. @n % 4 == 0.
 * (csum_inline() for the 64 bytes of a usual ping measured the same as the
 * helper in `make bench`, so the helper it is, for every size.) */
#define CSUM_DIRECT_STEP(n)                                                 \
	do {                                                                 \
		void *p;                                                     \
		if (len - pos >= (n) &&                                      \
		    (p = csum_direct(data, data_end, off, pos, (n)))) {      \
			sum = bpf_csum_diff(NULL, 0, p, (n), sum);           \
			pos += (n);                                          \
		}                                                            \
	} while (0)

/*
 * Where a block that is not in the linear area (it lies in, or across,
 * fragments) is copied to be summed: a per-CPU buffer, not the stack, which
 * can't spare 512 bytes beside the entry point's frame.
 */
struct csum_buf {
	__u8 b[CSUM_BIG_BLOCK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct csum_buf);
} xdpong_csum_buf SEC(".maps");

/* Kernel 6.4+: the frame as a dynamic pointer, whose slices point straight
 * into a fragment when the range lies within one (no copy). Weak: on an older
 * kernel they resolve to 0 and the blocks are copied. */
extern int bpf_dynptr_from_xdp(struct xdp_md *x, __u64 flags,
			       struct bpf_dynptr *ptr__uninit) __ksym __weak;
extern void *bpf_dynptr_slice(const struct bpf_dynptr *p, __u32 offset,
			      void *buffer__opt, __u32 buffer__szk) __ksym __weak;

/* State of one csum_packet() call, shared with its bpf_loop() callback. */
struct csum_state {
	struct xdp_md *ctx;
	__u32 off;  /* packet offset of the range */
	__u32 len;  /* its length */
	__u32 pos;  /* bytes summed so far */
	__u32 sum;
	int err;
	int big_refused; /* bpf_csum_diff() refused a CSUM_BIG_BLOCK: an older kernel */
};

/*
 * Add the CSUM_BIG_BLOCK bytes at @p to @st. Returns 0, or -1 (and notes it,
 * so that no later block tries) if this kernel's bpf_csum_diff() refuses
 * that many bytes.
 */
static __always_inline int csum_big_block(struct csum_state *st, const void *p)
{
	long r = bpf_csum_diff(NULL, 0, (void *)p, CSUM_BIG_BLOCK, st->sum);

	if (r < 0) {
		st->big_refused = 1;
		return -1;
	}
	st->sum = r;
	st->pos += CSUM_BIG_BLOCK;
	return 0;
}

/*
 * bpf_loop() callback: sum the next CSUM_BLOCK bytes (fewer at the end),
 * directly if they lie in the linear area, else copied out of the frame
 * with bpf_xdp_load_bytes(), zero-padded to whole words. bpf_loop() lets
 * the verifier check this once instead of once per iteration.
 */
static long csum_block_cb(__u32 i, void *arg)
{
	struct csum_state *st = arg;
	void *data = (void *)(long)st->ctx->data;
	void *data_end = (void *)(long)st->ctx->data_end;
	/* 64-bit, so that the verifier sees the very register that is checked. */
	__u64 n = st->len - st->pos, words;
	struct csum_buf *buf;
	__u32 zero = 0;
	void *p;

	if (st->pos >= st->len)
		return 1;
	/* Linux 6.18 sums any length in one bpf_csum_diff() call; older
	 * kernels refuse more than 512 bytes (-EINVAL), and then the 512-byte
	 * blocks below do it. Half the linear area of a jumbo frame goes in
	 * one call this way, not four. */
	if (n >= CSUM_BIG_BLOCK && !st->big_refused &&
	    (p = csum_direct(data, data_end, st->off, st->pos, CSUM_BIG_BLOCK)) &&
	    !csum_big_block(st, p))
		return 0;
	if (n >= CSUM_BLOCK) {
		p = csum_direct(data, data_end, st->off, st->pos, CSUM_BLOCK);
		if (p) {
			st->sum = bpf_csum_diff(NULL, 0, p, CSUM_BLOCK, st->sum);
			st->pos += CSUM_BLOCK;
			return 0;
		}
		if (bpf_dynptr_slice) {
			struct bpf_dynptr dp;

			buf = bpf_map_lookup_elem(&xdpong_csum_buf, &zero);
			if (!buf || bpf_dynptr_from_xdp(st->ctx, 0, &dp))
				goto fail;
			/* In a fragment, big blocks too: fewer calls, and a copy
			 * only where a block spans two fragments. */
			if (n >= CSUM_BIG_BLOCK && !st->big_refused) {
				p = bpf_dynptr_slice(&dp, st->off + st->pos, buf->b, CSUM_BIG_BLOCK);
				if (!p)
					goto fail;
				if (!csum_big_block(st, p))
					return 0;
			}
			p = bpf_dynptr_slice(&dp, st->off + st->pos, buf->b, CSUM_BLOCK);
			if (!p)
				goto fail;
			st->sum = bpf_csum_diff(NULL, 0, p, CSUM_BLOCK, st->sum);
			st->pos += CSUM_BLOCK;
			return 0;
		}
		n = CSUM_BLOCK;
	}
	/* 1 <= n <= CSUM_BLOCK already holds; restated past clang's reach so
	 * that the verifier sees it too. */
	barrier_var(n);
	if (n == 0 || n > CSUM_BLOCK)
		goto fail;
	buf = bpf_map_lookup_elem(&xdpong_csum_buf, &zero);
	if (!buf)
		goto fail;
	/* Pad the tail with zeros: the last word of the buffer is enough, as
	 * only the 1-3 bytes after the message are summed with it. */
	words = (n + 3) & ~3ULL;
	barrier_var(words); /* as for n */
	if (words > CSUM_BLOCK || words < 4)
		goto fail;
	*(__u32 *)(buf->b + words - 4) = 0;
	if (bpf_xdp_load_bytes(st->ctx, st->off + st->pos, buf->b, n))
		goto fail;
	st->sum = bpf_csum_diff(NULL, 0, (void *)buf->b, words, st->sum);
	st->pos += n;
	return 0;
fail:
	st->err = 1;
	return 1;
}

/*
 * Partial one's complement sum of @len bytes at offset @off of the packet,
 * added to @seed, in *@out. Whole blocks go through csum_block_cb(); a
 * shorter message (a usual ping) is summed straight from the linear area in
 * power-of-two steps; what is left (fragments, a 1-3 byte tail) is copied.
 * Every piece starts at an even offset of the range, as the sum requires.
 * Returns 0, or -1 if the range is not all in the packet.
 */
static __always_inline int csum_packet(struct xdp_md *ctx, __u32 off, __u32 len,
				       __u32 seed, __u32 *out)
{
	struct csum_state st = { .ctx = ctx, .off = off, .len = len, .sum = seed };
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 sum, pos;

	if (off > CSUM_MAX_OFF || len > CSUM_MAX_LEN)
		return -1;
	if (len >= CSUM_BLOCK)
		bpf_loop(len / CSUM_BLOCK, csum_block_cb, &st, 0);
	if (st.err)
		return -1;

	sum = st.sum;
	pos = st.pos;
	CSUM_DIRECT_STEP(256);
	CSUM_DIRECT_STEP(128);
	CSUM_DIRECT_STEP(64);
	CSUM_DIRECT_STEP(32);
	CSUM_DIRECT_STEP(16);
	CSUM_DIRECT_STEP(8);
	CSUM_DIRECT_STEP(4);
	st.sum = sum;
	st.pos = pos;

	if (pos < len)
		bpf_loop(1, csum_block_cb, &st, 0);
	if (st.err || st.pos != len)
		return -1;
	*out = st.sum;
	return 0;
}

#endif /* XDPONG_CSUM_PACKET_H */
