// SPDX-License-Identifier: GPL-2.0
/*
 * config.c: the program's config from the host (TTL, hop limit, MAC, the
 * kernel's echo sysctls) and from the rate-limit and ping telemetry options,
 * shared by attach, set, sync and track.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if_arp.h>
#include <bpf/bpf.h>
#include "cli.h"

const char *const over_limit_choices[] = { "pass", "drop", NULL };

/* The interface must carry Ethernet frames; its MAC goes into the config. */
static int read_mac(const char *iface, __u8 mac[6])
{
	struct ifreq ifr = {};
	int fd, ret = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		ret = -errno;
	else if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		ret = -EPROTONOSUPPORT;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return ret;
}

/*
 * Is ICMPv6 type 129 (echo reply) in net.ipv6.icmp.ratemask, a bitmap list
 * ("0-1,3-127", the default, leaves it out)? An unreadable file: no.
 */
static bool ratemask6_has_echo_reply(void)
{
	FILE *f = fopen("/proc/sys/net/ipv6/icmp/ratemask", "r");
	char buf[4096], *tok, *save = NULL;
	bool has = false;

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		for (tok = strtok_r(buf, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save)) {
			unsigned int lo, hi;
			int n = sscanf(tok, "%u-%u", &lo, &hi);

			if (n == 1)
				hi = lo;
			if (n >= 1 && lo <= XDPONG_ICMP6_ECHO_REPLY && XDPONG_ICMP6_ECHO_REPLY <= hi)
				has = true;
		}
	}
	fclose(f);
	return has;
}

/*
 * What the kernel's own replies use: ip_default_ttl, the hop limit of the
 * interface the reply leaves by (per interface in IPv6), the MAC, and
 * whether it answers echo at all, or under its own rate limit (an
 * icmp_ratemask with the echo reply in it). Other fields are kept. Returns
 * 0 or an exit code, having said what is wrong.
 */
int config_from_host(const char *iface, struct xdpong_config *cfg)
{
	unsigned int ttl = 64, hop_limit = 64, ign4 = 0, ign6 = 0, mask4 = 0x1818;
	bool arp_learn_off;
	char path[128];
	int ret;

	read_sysctl_uint("/proc/sys/net/ipv4/ip_default_ttl", &ttl);
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/hop_limit", iface);
	if (read_sysctl_uint(path, &hop_limit))
		read_sysctl_uint("/proc/sys/net/ipv6/conf/default/hop_limit", &hop_limit);
	read_sysctl_uint("/proc/sys/net/ipv4/icmp_echo_ignore_all", &ign4);
	read_sysctl_uint("/proc/sys/net/ipv6/icmp/echo_ignore_all", &ign6);
	read_sysctl_uint("/proc/sys/net/ipv4/icmp_ratemask", &mask4);
	/* arp_ignore and arp_filter (all, or the interface's) decide whether
	 * the kernel answers an ARP request, and makes its sender's entry. */
	arp_learn_off = conf_uint("/proc/sys/net/ipv4/conf/%s/arp_ignore", "all", 0) ||
			conf_uint("/proc/sys/net/ipv4/conf/%s/arp_ignore", iface, 0) ||
			conf_uint("/proc/sys/net/ipv4/conf/%s/arp_filter", "all", 0) ||
			conf_uint("/proc/sys/net/ipv4/conf/%s/arp_filter", iface, 0);

	cfg->ttl = ttl;
	cfg->hop_limit = hop_limit;
	cfg->flags &= ~(XDPONG_F_IGNORE_V4 | XDPONG_F_IGNORE_V6 |
			XDPONG_F_RATEMASK_V4 | XDPONG_F_RATEMASK_V6 | XDPONG_F_NO_ARP_LEARN);
	if (arp_learn_off)
		cfg->flags |= XDPONG_F_NO_ARP_LEARN;
	if (ign4)
		cfg->flags |= XDPONG_F_IGNORE_V4;
	if (ign6)
		cfg->flags |= XDPONG_F_IGNORE_V6;
	if (mask4 & (1U << XDPONG_ICMP_ECHO_REPLY))
		cfg->flags |= XDPONG_F_RATEMASK_V4;
	if (ratemask6_has_echo_reply())
		cfg->flags |= XDPONG_F_RATEMASK_V6;
	ret = read_mac(iface, cfg->mac);
	if (ret == -EPROTONOSUPPORT)
		log_error("'%s' is not an Ethernet interface; xdpong answers Ethernet frames only", iface);
	else if (ret)
		log_error("can't read the MAC address of '%s': %s", iface, strerror(-ret));
	return ret ? EXIT_FAIL : 0;
}

/* Rates both ways, here only: N per second <-> ns between replies; 0: no limit. */
static __u64 interval_of(unsigned int rate)
{
	return rate ? 1000000000ULL / rate : 0;
}

unsigned long long rate_of(__u64 interval_ns)
{
	return interval_ns ? 1000000000ULL / interval_ns : 0;
}

/* GCRA: a tolerance of (burst - 1) intervals lets burst through back to back. */
unsigned long long burst_of(__u64 interval_ns, __u64 tolerance_ns)
{
	return interval_ns ? tolerance_ns / interval_ns + 1 : 0;
}

/* Apply the rate-limit options that were given (LIMIT_UNSET: keep). */
void limits_apply(const struct limit_opts *l, struct xdpong_config *cfg)
{
	unsigned int burst;

	if (l->rate != LIMIT_UNSET || l->burst != LIMIT_UNSET) {
		if (l->rate != LIMIT_UNSET)
			cfg->rate_interval_ns = interval_of(l->rate);
		burst = l->burst != LIMIT_UNSET ? l->burst :
			cfg->rate_interval_ns ? rate_of(cfg->rate_interval_ns) : 1;
		cfg->rate_tolerance_ns = cfg->rate_interval_ns * (burst ? burst - 1 : 0);
	}
	if (l->src_rate != LIMIT_UNSET || l->src_burst != LIMIT_UNSET) {
		if (l->src_rate != LIMIT_UNSET)
			cfg->src_interval_ns = interval_of(l->src_rate);
		burst = l->src_burst != LIMIT_UNSET ? l->src_burst :
			cfg->src_interval_ns ? rate_of(cfg->src_interval_ns) : 1;
		cfg->src_tolerance_ns = cfg->src_interval_ns * (burst ? burst - 1 : 0);
	}
	if (l->over_limit >= 0) {
		cfg->flags &= ~XDPONG_F_OVER_LIMIT_DROP;
		if (l->over_limit == 1)
			cfg->flags |= XDPONG_F_OVER_LIMIT_DROP;
	}
	if (l->event_rate != LIMIT_UNSET)
		cfg->event_rate = l->event_rate;
}

void rtt_config_default(struct xdpong_rtt_config *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->timeout_ns = XDPONG_RTT_DEFAULT_TIMEOUT_NS;
	rc->prefix_v4 = XDPONG_RTT_DEFAULT_PREFIX_V4;
	rc->prefix_v6 = XDPONG_RTT_DEFAULT_PREFIX_V6;
}

bool rtt_opts_given(const struct rtt_opts *r)
{
	return r->timeout || r->prefix_v4 != LIMIT_UNSET || r->prefix_v6 != LIMIT_UNSET;
}

/* The option table checks the upper bounds; a /0 is refused here: one row
 * for a whole family is what its total says already. */
int rtt_opts_check(const struct rtt_opts *r)
{
	if (r->prefix_v4 == 0 || r->prefix_v6 == 0) {
		log_error("--rtt-prefix-v%c: a prefix length from 1 to %u, not 0",
		    r->prefix_v4 == 0 ? '4' : '6', r->prefix_v4 == 0 ? 32 : 128);
		return EXIT_USAGE;
	}
	return 0;
}

void rtt_opts_apply(const struct rtt_opts *r, struct xdpong_config *cfg)
{
	if (r->timeout)
		cfg->rtt.timeout_ns = (__u64)(r->timeout * 1e9 + 0.5);
	if (r->prefix_v4 != LIMIT_UNSET)
		cfg->rtt.prefix_v4 = r->prefix_v4;
	if (r->prefix_v6 != LIMIT_UNSET)
		cfg->rtt.prefix_v6 = r->prefix_v6;
}

int config_read(int map_fd, struct xdpong_config *cfg)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(map_fd, &zero, cfg) ? -errno : 0;
}

int config_write(int map_fd, const struct xdpong_config *cfg)
{
	__u32 zero = 0;

	return bpf_map_update_elem(map_fd, &zero, cfg, BPF_ANY) ? -errno : 0;
}

int sampling_apply(const struct str_list *samples, struct xdpong_config *cfg)
{
	int i, f, t, matched;

	for (i = 0; i < samples->n; i++) {
		char name[64], *eq, *end;
		unsigned long n;

		snprintf(name, sizeof(name), "%s", samples->v[i]);
		eq = strrchr(name, '=');
		n = eq ? strtoul(eq + 1, &end, 10) : 0;
		if (!eq || !eq[1] || *end || n > 65535) {
			log_error("--sample: '%s' is not TYPE=N with N from 0 to 65535", samples->v[i]);
			return EXIT_USAGE;
		}
		*eq = 0;
		matched = 0;
		for (f = XDPONG_FAM_ICMP; f < XDPONG_FAM_MAX; f++) {
			for (t = 0; t < 256; t++) {
				int m = msg_type_match(name, f, t);

				if (m < 0) {
					log_error("--sample: unknown family in '%s' (icmp, icmpv6, igmp)", name);
					return EXIT_USAGE;
				}
				if (m) {
					cfg->sample[f - 1][t] = n;
					matched++;
				}
			}
		}
		if (!matched) {
			log_error("--sample: no message type is called '%s' (see xdpong(8))", name);
			return EXIT_USAGE;
		}
	}
	return 0;
}
