// SPDX-License-Identifier: GPL-2.0
/*
 * env.c: what xdpong needs from its environment: the interface, the
 * capabilities, a bpffs for libxdp, library logging and sysctls.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <bpf/libbpf.h>
#include "cli.h"

#define DEFAULT_BPFFS "/sys/fs/bpf"

int iface_resolve(const char *name, int *ifindex)
{
	if (strlen(name) >= IFNAMSIZ || !(*ifindex = if_nametoindex(name))) {
		log_error("Couldn't find network interface '%s'", name);
		return EXIT_NODEV;
	}
	return 0;
}

static int has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return !!(d[cap / 32].effective & (1U << (cap % 32)));
}

/*
 * Loading and attaching need CAP_BPF and CAP_NET_ADMIN; finding maps and
 * programs by id (status, stats, libxdp's dispatcher) needs CAP_SYS_ADMIN.
 */
int check_privileges(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	char missing[96] = "";

	if (syscall(SYS_capget, &hdr, data)) {
		log_error("can't read our capabilities: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (!has_cap(data, CAP_SYS_ADMIN))
		strcat(missing, " CAP_SYS_ADMIN");
	if (!has_cap(data, CAP_BPF) && !has_cap(data, CAP_SYS_ADMIN))
		strcat(missing, " CAP_BPF");
	if (!has_cap(data, CAP_NET_ADMIN))
		strcat(missing, " CAP_NET_ADMIN");
	if (missing[0]) {
		log_error("missing capabilities:%s. xdpong needs CAP_SYS_ADMIN, CAP_BPF and "
		    "CAP_NET_ADMIN: run it as root", missing);
		return EXIT_NOPERM;
	}
	return 0;
}

/* Where libxdp keeps its state, and xdpong its pins: LIBXDP_BPFFS, else /sys/fs/bpf. */
const char *bpffs_dir(void)
{
	const char *dir = getenv("LIBXDP_BPFFS");

	return dir && *dir ? dir : DEFAULT_BPFFS;
}

/* libxdp keeps its dispatcher state in bpffs (LIBXDP_BPFFS, else /sys/fs/bpf). */
int check_bpffs(void)
{
	const char *dir = bpffs_dir();
	const char *automount = getenv("LIBXDP_BPFFS_AUTOMOUNT");
	struct statfs st;

	if (statfs(dir, &st) == 0 && st.f_type == BPF_FS_MAGIC) {
		/* Every command that needs bpffs tidies what a vanished program left. */
		tx_errors_sweep();
		return 0;
	}
	if (automount && !strcmp(automount, "1"))
		return 0; /* libxdp mounts it */
	log_error("no bpffs is mounted at %s; libxdp keeps its dispatcher state there.\n"
	    "  Mount one: mount -t bpf bpf %s\n"
	    "  (or set LIBXDP_BPFFS_AUTOMOUNT=1). Under 'ip netns exec', which mounts a\n"
	    "  fresh /sys for each command, mount a bpffs outside /sys and point\n"
	    "  LIBXDP_BPFFS at it, so that the state outlives the command.", dir, dir);
	return EXIT_ENV;
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int print_libxdp(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* libbpf's and libxdp's own logs appear only with -v. */
void setup_library_logging(void)
{
	libbpf_set_print(print_libbpf);
	libxdp_set_print(print_libxdp);
}

volatile int stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Ctrl-C and kill end watch and events cleanly; nothing of theirs stays. */
void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

unsigned int conf_uint(const char *fmt, const char *name, unsigned int dflt)
{
	char path[160];
	unsigned int v = dflt;

	snprintf(path, sizeof(path), fmt, name);
	read_sysctl_uint(path, &v);
	return v;
}

int read_sysctl_uint(const char *path, unsigned int *val)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%u", val) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}
