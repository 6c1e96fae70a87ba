// SPDX-License-Identifier: GPL-2.0
/*
 * names.c: the one table of names for ICMP, ICMPv6 and IGMP types and codes
 * (IANA registries "ICMP Type Numbers", "ICMPv6 Parameters", "IGMP Type
 * Numbers"), used by every output: stats, watch, events, options.
 * A name is "type" or "type/code"; unassigned ones read "type-N", "code-N".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

struct msg_name {
	__u8 family;
	__u8 type;
	short code;       /* -1: the type's own name */
	const char *name;
};

#define T(f, t, n)    { XDPONG_FAM_##f, t, -1, n }
#define C(f, t, c, n) { XDPONG_FAM_##f, t, c, n }

static const struct msg_name names[] = {
	T(ICMP, 0, "echo-reply"),
	T(ICMP, 3, "dest-unreachable"),
	C(ICMP, 3, 0, "net"), C(ICMP, 3, 1, "host"), C(ICMP, 3, 2, "protocol"),
	C(ICMP, 3, 3, "port"), C(ICMP, 3, 4, "frag-needed"), C(ICMP, 3, 5, "source-route-failed"),
	C(ICMP, 3, 6, "net-unknown"), C(ICMP, 3, 7, "host-unknown"), C(ICMP, 3, 8, "source-isolated"),
	C(ICMP, 3, 9, "net-prohibited"), C(ICMP, 3, 10, "host-prohibited"),
	C(ICMP, 3, 11, "net-tos"), C(ICMP, 3, 12, "host-tos"), C(ICMP, 3, 13, "admin-prohibited"),
	C(ICMP, 3, 14, "precedence-violation"), C(ICMP, 3, 15, "precedence-cutoff"),
	T(ICMP, 4, "source-quench"),
	T(ICMP, 5, "redirect"),
	C(ICMP, 5, 0, "net"), C(ICMP, 5, 1, "host"), C(ICMP, 5, 2, "tos-net"), C(ICMP, 5, 3, "tos-host"),
	T(ICMP, 6, "alternate-host-address"),
	T(ICMP, 8, "echo-request"),
	T(ICMP, 9, "router-advertisement"),
	C(ICMP, 9, 0, "normal"), C(ICMP, 9, 16, "no-common-traffic"),
	T(ICMP, 10, "router-solicitation"),
	T(ICMP, 11, "time-exceeded"),
	C(ICMP, 11, 0, "ttl"), C(ICMP, 11, 1, "reassembly"),
	T(ICMP, 12, "param-problem"),
	C(ICMP, 12, 0, "pointer"), C(ICMP, 12, 1, "missing-option"), C(ICMP, 12, 2, "bad-length"),
	T(ICMP, 13, "timestamp"),
	T(ICMP, 14, "timestamp-reply"),
	T(ICMP, 15, "info-request"),
	T(ICMP, 16, "info-reply"),
	T(ICMP, 17, "address-mask-request"),
	T(ICMP, 18, "address-mask-reply"),
	T(ICMP, 30, "traceroute"),
	T(ICMP, 31, "conversion-error"),
	T(ICMP, 40, "photuris"),
	C(ICMP, 40, 0, "bad-spi"), C(ICMP, 40, 1, "auth-failed"), C(ICMP, 40, 2, "decompression-failed"),
	C(ICMP, 40, 3, "decryption-failed"), C(ICMP, 40, 4, "need-authentication"),
	C(ICMP, 40, 5, "need-authorization"),
	T(ICMP, 41, "experimental-mobility"),
	T(ICMP, 42, "extended-echo-request"),
	C(ICMP, 42, 0, "no-error"),
	T(ICMP, 43, "extended-echo-reply"),
	C(ICMP, 43, 0, "no-error"), C(ICMP, 43, 1, "malformed-query"),
	C(ICMP, 43, 2, "no-such-interface"), C(ICMP, 43, 3, "no-such-table-entry"),
	C(ICMP, 43, 4, "multiple-interfaces"),
	T(ICMP, 253, "experiment-1"),
	T(ICMP, 254, "experiment-2"),

	T(ICMPV6, 1, "dest-unreachable"),
	C(ICMPV6, 1, 0, "no-route"), C(ICMPV6, 1, 1, "admin-prohibited"),
	C(ICMPV6, 1, 2, "beyond-scope"), C(ICMPV6, 1, 3, "address"), C(ICMPV6, 1, 4, "port"),
	C(ICMPV6, 1, 5, "source-policy-failed"), C(ICMPV6, 1, 6, "reject-route"),
	C(ICMPV6, 1, 7, "source-routing-header-error"), C(ICMPV6, 1, 8, "headers-too-long"),
	T(ICMPV6, 2, "packet-too-big"),
	T(ICMPV6, 3, "time-exceeded"),
	C(ICMPV6, 3, 0, "hop-limit"), C(ICMPV6, 3, 1, "reassembly"),
	T(ICMPV6, 4, "param-problem"),
	C(ICMPV6, 4, 0, "pointer"), C(ICMPV6, 4, 1, "unrecognized-next-header"),
	C(ICMPV6, 4, 2, "unrecognized-option"), C(ICMPV6, 4, 3, "incomplete-header-chain"),
	C(ICMPV6, 4, 4, "sr-upper-layer-header"), C(ICMPV6, 4, 5, "unrecognized-next-header-in-path"),
	C(ICMPV6, 4, 6, "extension-header-too-big"), C(ICMPV6, 4, 7, "extension-header-chain-too-long"),
	C(ICMPV6, 4, 8, "too-many-extension-headers"), C(ICMPV6, 4, 9, "too-many-options"),
	C(ICMPV6, 4, 10, "option-too-big"),
	T(ICMPV6, 100, "private-experiment-100"),
	T(ICMPV6, 101, "private-experiment-101"),
	T(ICMPV6, 128, "echo-request"),
	T(ICMPV6, 129, "echo-reply"),
	T(ICMPV6, 130, "mld-query"),
	T(ICMPV6, 131, "mld-report"),
	T(ICMPV6, 132, "mld-done"),
	T(ICMPV6, 133, "router-solicitation"),
	T(ICMPV6, 134, "router-advertisement"),
	T(ICMPV6, 135, "neighbour-solicitation"),
	T(ICMPV6, 136, "neighbour-advertisement"),
	T(ICMPV6, 137, "redirect"),
	T(ICMPV6, 138, "router-renumbering"),
	C(ICMPV6, 138, 0, "command"), C(ICMPV6, 138, 1, "result"), C(ICMPV6, 138, 255, "seq-reset"),
	T(ICMPV6, 139, "node-info-query"),
	C(ICMPV6, 139, 0, "ipv6-subject"), C(ICMPV6, 139, 1, "name-subject"), C(ICMPV6, 139, 2, "ipv4-subject"),
	T(ICMPV6, 140, "node-info-response"),
	C(ICMPV6, 140, 0, "success"), C(ICMPV6, 140, 1, "refused"), C(ICMPV6, 140, 2, "unknown-qtype"),
	T(ICMPV6, 141, "inverse-nd-solicitation"),
	T(ICMPV6, 142, "inverse-nd-advertisement"),
	T(ICMPV6, 143, "mldv2-report"),
	T(ICMPV6, 144, "haad-request"),
	T(ICMPV6, 145, "haad-reply"),
	T(ICMPV6, 146, "mobile-prefix-solicitation"),
	T(ICMPV6, 147, "mobile-prefix-advertisement"),
	T(ICMPV6, 148, "cert-path-solicitation"),
	T(ICMPV6, 149, "cert-path-advertisement"),
	T(ICMPV6, 150, "experimental-mobility"),
	T(ICMPV6, 151, "mrd-advertisement"),
	T(ICMPV6, 152, "mrd-solicitation"),
	T(ICMPV6, 153, "mrd-termination"),
	T(ICMPV6, 154, "fmipv6"),
	T(ICMPV6, 155, "rpl-control"),
	T(ICMPV6, 156, "ilnpv6-locator-update"),
	T(ICMPV6, 157, "duplicate-address-request"),
	T(ICMPV6, 158, "duplicate-address-confirmation"),
	T(ICMPV6, 159, "mpl-control"),
	T(ICMPV6, 160, "extended-echo-request"),
	C(ICMPV6, 160, 0, "no-error"),
	T(ICMPV6, 161, "extended-echo-reply"),
	C(ICMPV6, 161, 0, "no-error"), C(ICMPV6, 161, 1, "malformed-query"),
	C(ICMPV6, 161, 2, "no-such-interface"), C(ICMPV6, 161, 3, "no-such-table-entry"),
	C(ICMPV6, 161, 4, "multiple-interfaces"),
	T(ICMPV6, 200, "private-experiment-200"),
	T(ICMPV6, 201, "private-experiment-201"),

	T(IGMP, 0x11, "query"),
	T(IGMP, 0x12, "v1-report"),
	T(IGMP, 0x13, "dvmrp"),
	T(IGMP, 0x14, "pim-v1"),
	T(IGMP, 0x16, "v2-report"),
	T(IGMP, 0x17, "leave"),
	T(IGMP, 0x1e, "mtrace-response"),
	T(IGMP, 0x1f, "mtrace"),
	T(IGMP, 0x22, "v3-report"),
	T(IGMP, 0x30, "mrd-advertisement"),
	T(IGMP, 0x31, "mrd-solicitation"),
	T(IGMP, 0x32, "mrd-termination"),
};

#define N_NAMES (sizeof(names) / sizeof(names[0]))

static const char *const family_names[XDPONG_FAM_MAX] = {
	[XDPONG_FAM_NONE] = "none",
	[XDPONG_FAM_ICMP] = "icmp",
	[XDPONG_FAM_ICMPV6] = "icmpv6",
	[XDPONG_FAM_IGMP] = "igmp",
};

const char *family_name(int family)
{
	return family >= 0 && family < XDPONG_FAM_MAX ? family_names[family] : "?";
}

static const char *lookup(int family, int type, int code)
{
	size_t i;

	for (i = 0; i < N_NAMES; i++)
		if (names[i].family == family && names[i].type == type && names[i].code == code)
			return names[i].name;
	return NULL;
}

static int type_has_codes(int family, int type)
{
	size_t i;

	for (i = 0; i < N_NAMES; i++)
		if (names[i].family == family && names[i].type == type && names[i].code >= 0)
			return 1;
	return 0;
}

/* "dest-unreachable/frag-needed", "packet-too-big", "type-77", "echo-request/code-3". */
const char *msg_name(int family, int type, int code, char *buf, size_t len)
{
	const char *t = lookup(family, type, -1), *c = lookup(family, type, code);
	char tbuf[16];

	if (!t) {
		snprintf(tbuf, sizeof(tbuf), "type-%d", type);
		t = tbuf;
	}
	if (c)
		snprintf(buf, len, "%s/%s", t, c);
	else if (code == 0 && !type_has_codes(family, type))
		snprintf(buf, len, "%s", t);
	else
		snprintf(buf, len, "%s/code-%d", t, code);
	return buf;
}

/*
 * Does "[FAMILY:]TYPE" name the type @type of @family? TYPE is a type name
 * or, after a family, a number: "time-exceeded" (both ICMP families),
 * "icmpv6:echo-request", "icmp:8". Returns 1 or 0, or -1 if the family is
 * unknown.
 */
int msg_type_match(const char *s, int family, int type)
{
	const char *colon = strchr(s, ':'), *t = s, *name;
	char *end;
	long n;

	if (colon) {
		int f, known = 0;

		for (f = XDPONG_FAM_ICMP; f < XDPONG_FAM_MAX; f++)
			if (strlen(family_names[f]) == (size_t)(colon - s) &&
			    !strncmp(s, family_names[f], colon - s))
				known = f;
		if (!known)
			return -1;
		if (known != family)
			return 0;
		t = colon + 1;
		n = strtol(t, &end, 10);
		if (*t && !*end)
			return n == type;
	}
	name = lookup(family, type, -1);
	return name && !strcmp(name, t);
}
