// SPDX-License-Identifier: GPL-2.0
/*
 * log.c: what xdpong says on stderr. One line each: errors and warnings
 * prefixed "xdpong: ", and the long-running commands' events (run) with a
 * timestamp. When stderr is systemd's journal ($JOURNAL_STREAM names it),
 * each line starts with its syslog priority ("<3>") instead, which the
 * journal reads and strips (sd-daemon(3)).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"

int verbose;
bool log_quiet;
static bool journal;

void log_init(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	journal = e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 && !fstat(STDERR_FILENO, &st) &&
		  st.st_dev == dev && st.st_ino == ino;
}

static void vsay(int prio, const char *prefix, bool stamp, const char *fmt, va_list ap)
{
	char ts[32];
	time_t t;

	if (journal) {
		fprintf(stderr, "<%d>", prio);
	} else if (stamp) {
		t = time(NULL);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", localtime(&t));
		fprintf(stderr, "%s ", ts);
	}
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet && !verbose)
		return;
	va_start(ap, fmt);
	vsay(LOG_ERR, "xdpong: ", false, fmt, ap);
	va_end(ap);
}

void log_warning(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet && !verbose)
		return;
	va_start(ap, fmt);
	vsay(LOG_WARNING, "xdpong: warning: ", false, fmt, ap);
	va_end(ap);
}

void log_event(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(prio, "", true, fmt, ap);
	va_end(ap);
}
