// SPDX-License-Identifier: GPL-2.0
/*
 * mapread.c: a whole hash map read at once, a batch of entries per syscall
 * (BPF_MAP_LOOKUP_BATCH), for the tables packets fill while we read them:
 * ping telemetry's prefix rows (rtt.c) and the pingers' flows (pingers.c).
 * A hash's batches walk its buckets, so entries the program adds or pushes
 * out meanwhile are neither read twice nor make the walk start over, as
 * get_next_key does when its key is gone.
 */
#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"

#define BATCH 256

int map_read_all(int fd, void **keys, void **vals, size_t *n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), batch = BATCH, token, got;
	size_t cap = 0, limit, vsize;
	void *in = NULL, *grown;
	int err, ncpu;

	*keys = NULL;
	*vals = NULL;
	*n = 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	vsize = info.value_size;
	if (info.type == BPF_MAP_TYPE_PERCPU_HASH || info.type == BPF_MAP_TYPE_LRU_PERCPU_HASH) {
		/* A value per possible CPU, each padded to 8 bytes. */
		if ((ncpu = libbpf_num_possible_cpus()) <= 0)
			return ncpu ? ncpu : -EINVAL;
		vsize = ((vsize + 7) & ~(size_t)7) * ncpu;
	}
	/* A flood can refill buckets ahead of the walk: stop after about the
	 * map's size, so that a read always ends. */
	limit = info.max_entries + info.max_entries / 8 + BATCH;
	do {
		if (*n + batch > cap) {
			cap = *n + batch > 2 * cap ? *n + batch : 2 * cap;
			if (!(grown = realloc(*keys, cap * info.key_size)))
				goto nomem;
			*keys = grown;
			if (!(grown = realloc(*vals, cap * vsize)))
				goto nomem;
			*vals = grown;
		}
		got = batch;
		err = bpf_map_lookup_batch(fd, in, &token, (char *)*keys + *n * info.key_size,
					   (char *)*vals + *n * vsize, &got, &opts);
		if (err && errno == ENOSPC && batch < (1U << 16)) {
			/* One bucket holds more entries than a batch: nothing was
			 * read, so ask again from the same bucket with room for it
			 * (err reset, or the loop would end here). */
			batch *= 4;
			err = 0;
			continue;
		}
		if (err && errno != ENOENT) {
			err = -errno;
			goto fail;
		}
		*n += got;
		in = &token;
	} while (!err && *n < limit);
	return 0;
nomem:
	err = -ENOMEM;
fail:
	free(*keys);
	free(*vals);
	*keys = NULL;
	*vals = NULL;
	*n = 0;
	return err;
}
