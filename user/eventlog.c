// SPDX-License-Identifier: GPL-2.0
/*
 * eventlog.c: the event file, JSON lines rotated by size with N backups
 * kept (as Hubble's exporter does with lumberjack: 10 MB x 5 by default),
 * reopened on request (SIGHUP), written by a thread of its own.
 *
 * Two buffers of half EVENTLOG_QUEUE_BYTES each: the caller appends whole
 * lines to one under a mutex (a memcpy, never I/O); the writer swaps it for
 * the other, empty one and writes it out without the lock. The one being
 * filled full while the other is still being written means the disk is
 * behind: the line is dropped and counted, and the writer says how many it
 * lost in the file itself, where the log pipeline sees it.
 */
#define _GNU_SOURCE /* memrchr, pthread_timedjoin_np */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "events.h"

#define BUF_BYTES (EVENTLOG_QUEUE_BYTES / 2)

struct eventlog {
	char *path;
	unsigned long long max_bytes;
	unsigned int backups;

	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	/* Under lock: */
	char *fill;                 /* where eventlog_write() appends */
	size_t fill_len;
	unsigned long long dropped; /* lines dropped, in all */
	bool reopen, closing;
	int error;                  /* -errno once the writer has stopped */
	char errmsg[PATH_MAX + 96];

	/* The writer's own: */
	char *drain;                /* being written */
	int fd;
	unsigned long long size;    /* bytes in the current file */
	bool regular;               /* a regular file: rotated */
	unsigned long long reported; /* dropped lines already said in the file */
};

/* Stop the writer for good: later lines are refused with this error. */
static void fail(struct eventlog *l, int error, const char *what, const char *path)
{
	pthread_mutex_lock(&l->lock);
	if (!l->error) {
		l->error = -error;
		snprintf(l->errmsg, sizeof(l->errmsg), "%s '%s': %s", what, path, strerror(error));
	}
	pthread_mutex_unlock(&l->lock);
}

static int open_file(struct eventlog *l)
{
	struct stat st;

	l->fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (l->fd < 0 || fstat(l->fd, &st)) {
		fail(l, errno, "can't open", l->path);
		return -1;
	}
	l->regular = S_ISREG(st.st_mode);
	l->size = l->regular ? st.st_size : 0;
	return 0;
}

/* PATH.n into buf. */
static void backup_name(const struct eventlog *l, unsigned int n, char *buf, size_t len)
{
	snprintf(buf, len, "%s.%u", l->path, n);
}

/* PATH to PATH.1, each PATH.n to PATH.n+1 (the last one overwritten), a
 * new PATH; with no backups, PATH is just begun again. */
static int rotate(struct eventlog *l)
{
	char from[PATH_MAX + 16], to[PATH_MAX + 16];
	unsigned int n;

	close(l->fd);
	l->fd = -1;
	if (!l->backups) {
		if (unlink(l->path) && errno != ENOENT) {
			fail(l, errno, "can't remove", l->path);
			return -1;
		}
		return open_file(l);
	}
	for (n = l->backups - 1; n >= 1; n--) {
		backup_name(l, n, from, sizeof(from));
		backup_name(l, n + 1, to, sizeof(to));
		if (rename(from, to) && errno != ENOENT) {
			fail(l, errno, "can't rename", from);
			return -1;
		}
	}
	backup_name(l, 1, to, sizeof(to));
	if (rename(l->path, to) && errno != ENOENT) {
		fail(l, errno, "can't rename", l->path);
		return -1;
	}
	return open_file(l);
}

static int write_all(struct eventlog *l, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(l->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			fail(l, errno, "can't write", l->path);
			return -1;
		}
		p += w;
		n -= w;
		l->size += w;
	}
	return 0;
}

/* Whole lines, rotating before a line that would take the file past
 * max_bytes; a line longer than that alone gets a file of its own. */
static int write_lines(struct eventlog *l, const char *p, size_t n)
{
	while (n) {
		size_t room, take = n;

		if (l->max_bytes && l->regular && l->size + n > l->max_bytes) {
			const char *nl;

			room = l->size < l->max_bytes ? l->max_bytes - l->size : 0;
			nl = room ? memrchr(p, '\n', room < n ? room : n) : NULL;
			if (nl) {
				take = nl + 1 - p;
			} else if (l->size) {
				if (rotate(l))
					return -1;
				continue;
			} else {
				take = (const char *)memchr(p, '\n', n) + 1 - p; /* too long to fit */
			}
		}
		if (write_all(l, p, take))
			return -1;
		p += take;
		n -= take;
		if (n && rotate(l))
			return -1;
	}
	return 0;
}

static void lost_line(struct eventlog *l, unsigned long long lost)
{
	char line[128], date[32];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(line, sizeof(line), "{\"time\":\"%s.%06ldZ\",\"lost_events\":%llu}\n", date,
		 ts.tv_nsec / 1000, lost);
	write_lines(l, line, strlen(line));
}

static void *writer(void *arg)
{
	struct eventlog *l = arg;
	bool reopen, closing;
	unsigned long long dropped;
	size_t len;
	char *buf;

	pthread_mutex_lock(&l->lock);
	for (;;) {
		while (!l->fill_len && !l->reopen && !l->closing)
			pthread_cond_wait(&l->wake, &l->lock);
		/* Take the queued lines; the caller goes on into the empty buffer. */
		buf = l->fill;
		len = l->fill_len;
		l->fill = l->drain;
		l->fill_len = 0;
		l->drain = buf;
		reopen = l->reopen;
		closing = l->closing;
		dropped = l->dropped;
		l->reopen = false;
		if (l->error) {
			if (closing)
				break;
			continue; /* stopped: the caller is told, the lines are let go */
		}
		pthread_mutex_unlock(&l->lock);

		if (reopen) {
			close(l->fd);
			open_file(l);
		}
		/* Lines dropped while these filled the queue came after them. */
		if (l->fd >= 0 && !write_lines(l, buf, len) && dropped > l->reported) {
			lost_line(l, dropped - l->reported);
			l->reported = dropped;
		}

		pthread_mutex_lock(&l->lock);
		if (closing && !l->fill_len)
			break;
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

struct eventlog *eventlog_open(const char *path, unsigned long long max_bytes,
			       unsigned int backups)
{
	struct eventlog *l = calloc(1, sizeof(*l));
	sigset_t all, old;
	int ret;

	if (!l)
		return NULL;
	l->fd = -1;
	l->max_bytes = max_bytes;
	l->backups = backups;
	l->path = strdup(path);
	l->fill = malloc(BUF_BYTES);
	l->drain = malloc(BUF_BYTES);
	if (!l->path || !l->fill || !l->drain) {
		errno = ENOMEM;
		goto fail;
	}
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->wake, NULL);
	/* Opened here, so that a bad path is the caller's error at once. */
	if (open_file(l)) {
		errno = -l->error;
		goto fail;
	}
	/* Signals (SIGHUP, SIGTERM, ...) stay with the caller's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&l->thread, NULL, writer, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		errno = ret;
		goto fail;
	}
	return l;
fail:
	ret = errno;
	if (l->fd >= 0)
		close(l->fd);
	free(l->fill);
	free(l->drain);
	free(l->path);
	free(l);
	errno = ret;
	return NULL;
}

int eventlog_write(struct eventlog *l, const char *line, size_t len)
{
	int ret = 0;

	pthread_mutex_lock(&l->lock);
	if (l->error) {
		ret = l->error;
	} else if (l->fill_len + len + 1 > BUF_BYTES) {
		l->dropped++;
		ret = -ENOBUFS;
	} else {
		memcpy(l->fill + l->fill_len, line, len);
		l->fill[l->fill_len + len] = '\n';
		l->fill_len += len + 1;
		pthread_cond_signal(&l->wake);
	}
	pthread_mutex_unlock(&l->lock);
	return ret;
}

void eventlog_reopen(struct eventlog *l)
{
	pthread_mutex_lock(&l->lock);
	l->reopen = true;
	pthread_cond_signal(&l->wake);
	pthread_mutex_unlock(&l->lock);
}

int eventlog_error(struct eventlog *l, char *msg, size_t len)
{
	int ret;

	pthread_mutex_lock(&l->lock);
	ret = l->error;
	if (ret && msg)
		snprintf(msg, len, "%s", l->errmsg);
	pthread_mutex_unlock(&l->lock);
	return ret;
}

unsigned long long eventlog_dropped(struct eventlog *l)
{
	unsigned long long n;

	pthread_mutex_lock(&l->lock);
	n = l->dropped;
	pthread_mutex_unlock(&l->lock);
	return n;
}

int eventlog_close(struct eventlog *l)
{
	struct timespec until;
	int ret;

	if (!l)
		return 0;
	pthread_mutex_lock(&l->lock);
	l->closing = true;
	pthread_cond_signal(&l->wake);
	pthread_mutex_unlock(&l->lock);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += EVENTLOG_CLOSE_WAIT_S;
	if (pthread_timedjoin_np(l->thread, NULL, &until)) {
		/* Stuck in write(): a hung disk or a pipe no one reads. Leave it
		 * (and its memory) to the process's exit, rather than hang too. */
		return -ETIMEDOUT;
	}
	ret = l->error;
	if (l->fd >= 0 && close(l->fd) && !ret)
		ret = -errno;
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->wake);
	free(l->fill);
	free(l->drain);
	free(l->path);
	free(l);
	return ret;
}

int eventlog_parse_size(const char *s, unsigned long long *bytes)
{
	unsigned long long v, unit = 1;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': unit = 1ULL << 10; end++; break;
	case 'm': case 'M': unit = 1ULL << 20; end++; break;
	case 'g': case 'G': unit = 1ULL << 30; end++; break;
	}
	if (*end || v > ~0ULL / unit)
		return -EINVAL;
	*bytes = v * unit;
	return 0;
}
