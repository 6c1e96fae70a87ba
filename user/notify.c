// SPDX-License-Identifier: GPL-2.0
/*
 * notify.c: readiness, status and liveness for the service manager, through
 * libsystemd's sd_notify(3) (Type=notify). Without $NOTIFY_SOCKET (not
 * started by systemd) every call does nothing.
 *
 * The watchdog: when the unit sets WatchdogSec=, systemd passes
 * $WATCHDOG_USEC and kills the service if no WATCHDOG=1 comes within it.
 * run's loop sends one every half of it, from the loop itself, so a loop
 * that hangs stops the pings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <systemd/sd-daemon.h>
#include "run.h"

static struct {
	double period;     /* seconds between WATCHDOG=1; 0: no watchdog */
	double next;       /* CLOCK_MONOTONIC seconds of the next one */
	char status[512];  /* the last STATUS= sent */
} n;

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void notify_init(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) > 0 && usec)
		n.period = usec / 2e6;
	n.next = mono_s();
}

double notify_watchdog_period(void)
{
	return n.period;
}

int notify_wait_ms(void)
{
	double until;

	if (!n.period)
		return -1;
	until = (n.next - mono_s()) * 1000;
	return until > 0 ? (int)until + 1 : 0;
}

void notify_watchdog(void)
{
	double now;

	if (!n.period || (now = mono_s()) < n.next)
		return;
	sd_notify(0, "WATCHDOG=1");
	n.next = now + n.period;
}

void notify_status(const char *fmt, ...)
{
	char buf[sizeof(n.status)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!strcmp(buf, n.status))
		return;
	snprintf(n.status, sizeof(n.status), "%s", buf);
	sd_notifyf(0, "STATUS=%s", n.status);
}

void notify_ready(void)
{
	sd_notify(0, "READY=1");
}

void notify_reloading(void)
{
	struct timespec ts;

	/* MONOTONIC_USEC: what Type=notify-reload (systemd 253) asks; older ones ignore it. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
		   (unsigned long long)ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000);
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}
