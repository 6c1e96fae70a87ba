// SPDX-License-Identifier: GPL-2.0
/*
 * counters.c: sum the per-CPU counters over all possible CPUs, derive the
 * action totals from the reasons, and merge the three message tables; and the
 * count of replies the driver failed to transmit, when it is kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "cli.h"

static const char *const reason_names[XDPONG_R_MAX] = {
#define REASON_NAME_(name, act, str, desc) [XDPONG_R_##name] = str,
	XDPONG_REASONS(REASON_NAME_)
#undef REASON_NAME_
};

const char *reason_name(enum xdpong_reason r)
{
	return r < XDPONG_R_MAX ? reason_names[r] : "unknown";
}

const char *action_name(enum xdpong_action a)
{
	static const char *const names[XDPONG_ACT_MAX] = {
		[XDPONG_ACT_PASS] = "pass",
		[XDPONG_ACT_TX] = "tx",
		[XDPONG_ACT_DROP] = "drop",
	};
	return a < XDPONG_ACT_MAX ? names[a] : "unknown";
}

static const __u32 mtu_bounds[] = {
#define MTU_BOUND_(b) b,
	XDPONG_MTU_BOUNDS(MTU_BOUND_)
#undef MTU_BOUND_
};

/* "<68", "68-575", "1500", ">=9000" */
const char *mtu_bucket_name(int i, char *buf, size_t len)
{
	if (i == 0)
		snprintf(buf, len, "<%u", mtu_bounds[0]);
	else if (i == XDPONG_MTU_NBUCKETS - 1)
		snprintf(buf, len, ">=%u", mtu_bounds[i - 1]);
	else if (mtu_bounds[i] - mtu_bounds[i - 1] == 1)
		snprintf(buf, len, "%u", mtu_bounds[i - 1]);
	else
		snprintf(buf, len, "%u-%u", mtu_bounds[i - 1], mtu_bounds[i] - 1);
	return buf;
}

static void add(struct xdpong_counter *to, const struct xdpong_counter *c)
{
	to->packets += c->packets;
	to->bytes += c->bytes;
}

/* Add up structs made of __u64 counters only. */
static void add_u64s(void *to, const void *from, size_t size)
{
	__u64 *t = to;
	const __u64 *f = from;
	size_t i;

	for (i = 0; i < size / sizeof(__u64); i++)
		t[i] += f[i];
}

static int push_msg(struct totals *t, size_t *cap, const struct xdpong_msg_key *key,
		    const struct xdpong_counter *c)
{
	if (t->n_msgs == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct msg_count *m = realloc(t->msgs, ncap * sizeof(*m));

		if (!m)
			return -ENOMEM;
		t->msgs = m;
		*cap = ncap;
	}
	t->msgs[t->n_msgs].key = *key;
	t->msgs[t->n_msgs].c = *c;
	t->n_msgs++;
	return 0;
}

static int cmp_msg(const void *a, const void *b)
{
	const struct xdpong_msg_key *x = &((const struct msg_count *)a)->key;
	const struct xdpong_msg_key *y = &((const struct msg_count *)b)->key;

	if (x->family != y->family)
		return x->family - y->family;
	if (x->type != y->type)
		return x->type - y->type;
	return x->code - y->code;
}

void actions_of(const struct xdpong_counter reason[XDPONG_R_MAX],
		struct xdpong_counter action[XDPONG_ACT_MAX])
{
	int r;

	memset(action, 0, XDPONG_ACT_MAX * sizeof(*action));
	for (r = 0; r < XDPONG_R_MAX; r++)
		add(&action[xdpong_reason_action(r)], &reason[r]);
}

#define BATCH 256

/* A message class from a key of XDPONG_MAP_MSGS: the key itself. */
static struct xdpong_msg_key class_of_msg_key(__u32 raw)
{
	struct xdpong_msg_key key;

	memcpy(&key, &raw, sizeof(key));
	return key;
}

/* A message class from an index of XDPONG_MAP_MSG_CODES. */
static struct xdpong_msg_key class_of_code_index(__u32 idx)
{
	__u32 slot = idx % XDPONG_CODE_SLOTS, ft = idx / XDPONG_CODE_SLOTS;

	return (struct xdpong_msg_key){
		.family = ft / 256 + 1, .type = ft % 256, .code = xdpong_slot_code(slot),
	};
}

/*
 * Sum a per-CPU map of message counters, a batch of keys per syscall: the
 * hash of classes, or the array of assigned codes (both have 4-byte keys;
 * @class_of turns one into its class).
 */
static int read_msg_map(int fd, struct xdpong_msg_key (*class_of)(__u32), int ncpu,
			struct totals *t, size_t *cap)
{
	struct xdpong_counter *vals = calloc((size_t)BATCH * ncpu, sizeof(*vals)), c;
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 keys[BATCH], token, n, i;
	void *in = NULL;
	int cpu, ret = 0, err;

	_Static_assert(sizeof(struct xdpong_msg_key) == sizeof(__u32), "4-byte keys");
	if (!vals)
		return -ENOMEM;
	do {
		n = BATCH;
		err = bpf_map_lookup_batch(fd, in, &token, keys, vals, &n, &opts);
		if (err && errno != ENOENT) {
			ret = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			struct xdpong_msg_key key = class_of(keys[i]);

			memset(&c, 0, sizeof(c));
			for (cpu = 0; cpu < ncpu; cpu++)
				add(&c, &vals[i * ncpu + cpu]);
			if (c.packets && (ret = push_msg(t, cap, &key, &c)))
				goto out;
		}
		in = &token;
	} while (!err);
out:
	free(vals);
	return ret;
}

int tx_failed_read(const struct attached *a, struct xdpong_tx_failed *sum)
{
	int ncpu = libbpf_num_possible_cpus(), cpu, ret = 0;
	struct xdpong_tx_failed *v;
	__u32 zero = 0;

	memset(sum, 0, sizeof(*sum));
	if (a->tx_fd < 0)
		return -ENOENT;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(a->tx_fd, &zero, v))
		ret = -errno;
	else
		/* struct xdpong_tx_failed is all __u64 counters. */
		for (cpu = 0; cpu < ncpu; cpu++)
			add_u64s(sum, &v[cpu], sizeof(*sum));
	free(v);
	return ret;
}

int totals_read(const struct attached *a, struct totals *t)
{
	int ncpu = libbpf_num_possible_cpus();
	struct xdpong_stats *st = NULL, sum; /* 13 KB: fine on the stack */
	struct xdpong_msg_key key;
	size_t cap = 0;
	__u32 zero = 0;
	int cpu, f, type, ret;

	memset(t, 0, sizeof(*t));
	memset(&sum, 0, sizeof(sum));
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	st = calloc(ncpu, sizeof(*st));
	if (!st) {
		ret = -ENOMEM;
		goto out;
	}

	if (bpf_map_lookup_elem(a->map_fd[MAP_STATS], &zero, st)) {
		ret = -errno;
		goto out;
	}
	/* struct xdpong_stats is all __u64 counters. */
	for (cpu = 0; cpu < ncpu; cpu++) {
		xdpong_stats_complete(&st[cpu]);
		add_u64s(&sum, &st[cpu], sizeof(sum));
	}
	memcpy(t->err, sum.err, sizeof(t->err));
	t->events = sum.events;
	memcpy(t->reason, sum.reason, sizeof(t->reason));
	actions_of(t->reason, t->action);
	t->msg_table_full = sum.msg_table_full;
	for (f = 0; f < XDPONG_NFAM; f++) {
		for (type = 0; type < 256; type++) {
			if (!sum.code0[f][type].packets)
				continue;
			key = (struct xdpong_msg_key){ .family = f + 1, .type = type };
			if ((ret = push_msg(t, &cap, &key, &sum.code0[f][type])))
				goto out;
		}
	}

	/* Messages with a non-zero code: assigned codes in the array, the rest
	 * (only the classes seen) in the hash. */
	ret = read_msg_map(a->map_fd[MAP_MSG_CODES], class_of_code_index, ncpu, t, &cap);
	if (!ret)
		ret = read_msg_map(a->map_fd[MAP_MSGS], class_of_msg_key, ncpu, t, &cap);
	if (ret)
		goto out;
	qsort(t->msgs, t->n_msgs, sizeof(*t->msgs), cmp_msg);
	/* Not counted is not an error: the outputs say so. */
	t->tx_failed_counted = tx_failed_read(a, &t->tx_failed) == 0;
	ret = 0;
out:
	if (!ret) {
		t->ncpu = ncpu;
		t->percpu = st;
	} else {
		free(st);
	}
	if (ret)
		totals_free(t);
	return ret;
}

void totals_free(struct totals *t)
{
	free(t->msgs);
	free(t->percpu);
	t->msgs = NULL;
	t->percpu = NULL;
	t->n_msgs = 0;
}
