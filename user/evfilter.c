// SPDX-License-Identifier: GPL-2.0
/*
 * evfilter.c: `events --filter EXPR`, a tcpdump filter expression
 * (pcap-filter(7)) over each event's packet: compiled once by libpcap for
 * Ethernet frames (pcap_compile), run on the bytes the event carries
 * (pcap_offline_filter). A filter that reads past those bytes (the first
 * XDPONG_EVENT_SNAPLEN of the frame) doesn't match, as in tcpdump -s.
 * Apart from the files that include <linux/bpf.h> (struct bpf_insn).
 */
#include <stdlib.h>
#include <pcap/pcap.h>
#include "events.h"

struct evfilter {
	struct bpf_program prog;
};

struct evfilter *evfilter_new(const char *expr, unsigned int snaplen, char *errbuf, size_t len)
{
	struct evfilter *f = calloc(1, sizeof(*f));
	pcap_t *p = pcap_open_dead(DLT_EN10MB, snaplen);
	bool ok = false;

	if (!f || !p)
		snprintf(errbuf, len, "out of memory");
	else if (pcap_compile(p, &f->prog, expr, 1, PCAP_NETMASK_UNKNOWN))
		snprintf(errbuf, len, "%s", pcap_geterr(p));
	else
		ok = true;
	if (p)
		pcap_close(p); /* the compiled program stands alone */
	if (!ok) {
		free(f);
		return NULL;
	}
	return f;
}

bool evfilter_match(const struct evfilter *f, const void *data, unsigned int caplen,
		    unsigned int len)
{
	struct pcap_pkthdr h = { .caplen = caplen, .len = len };

	/* An event without a frame (a lost ping of the host's) has nothing to
	 * filter on: it never matches, whatever the expression ("less 100"
	 * or "" would match an empty frame). */
	if (!len)
		return false;
	return pcap_offline_filter(&f->prog, &h, data) != 0;
}

void evfilter_free(struct evfilter *f)
{
	if (!f)
		return;
	pcap_freecode(&f->prog);
	free(f);
}
