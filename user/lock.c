// SPDX-License-Identifier: GPL-2.0
/*
 * lock.c: at most one `xdpong run` per interface. Each interface it manages
 * has a file in the run directory, locked with flock(2) for as long as the
 * process lives: the kernel releases the lock when the process ends, however
 * it ends (kill -9 included), so a restart never finds a stale lock. The
 * file holds "PID IFNAME" for the message of the one refused.
 *
 * The file is named after the network namespace (the inode of
 * /proc/self/ns/net) and the ifindex, not the name: names are reused across
 * namespaces and change with a rename, the pair is the interface.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "run.h"

#define DEFAULT_RUN_DIR "/run/xdpong"

const char *run_dir(void)
{
	const char *dir = getenv("RUNTIME_DIRECTORY");

	/* systemd gives one path per RuntimeDirectory= entry, ':'-separated: ours is one. */
	return dir && *dir && !strchr(dir, ':') ? dir : DEFAULT_RUN_DIR;
}

static int lock_path(int ifindex, char *buf, size_t len)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	if ((size_t)snprintf(buf, len, "%s/net%llu-if%d.lock", run_dir(),
			     (unsigned long long)st.st_ino, ifindex) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static pid_t read_holder(int fd)
{
	char buf[64] = "";
	long pid;

	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0 || sscanf(buf, "%ld", &pid) != 1 || pid <= 0)
		return 0;
	return pid;
}

int iface_lock(int ifindex, const char *iface, pid_t *holder)
{
	char path[4096], line[64];
	struct stat a, b;
	int fd, ret, tries;

	*holder = 0;
	if ((ret = lock_path(ifindex, path, sizeof(path))))
		return ret;
	if (mkdir(run_dir(), 0755) && errno != EEXIST)
		return -errno;
	/* A holder that unlocks and removes the file between our open() and
	 * our flock() leaves us a lock on a file no one else can find: lock,
	 * then check that the path is still this file. */
	for (tries = 0; tries < 10; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			ret = -errno;
			if (ret == -EWOULDBLOCK)
				*holder = read_holder(fd);
			close(fd);
			return ret;
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return -EAGAIN;
	snprintf(line, sizeof(line), "%ld %s\n", (long)getpid(), iface);
	if (ftruncate(fd, 0) || pwrite(fd, line, strlen(line), 0) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

void iface_unlock(int fd, int ifindex)
{
	char path[4096];

	if (fd < 0)
		return;
	/* Removed while still locked, so no one else can lock it meanwhile. */
	if (!lock_path(ifindex, path, sizeof(path)))
		unlink(path);
	close(fd);
}
