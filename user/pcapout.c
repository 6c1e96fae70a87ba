// SPDX-License-Identifier: GPL-2.0
/*
 * pcapout.c: writing Ethernet frames to a pcap file with libpcap. Kept
 * apart: <pcap/pcap.h> and <linux/bpf.h> both define struct bpf_insn.
 */
#include <stdlib.h>
#include <pcap/pcap.h>
#include "pcapout.h"

struct pcap_out {
	pcap_t *pcap;
	pcap_dumper_t *dump;
};

struct pcap_out *pcap_out_open(const char *path, int snaplen, char *errbuf, size_t len)
{
	struct pcap_out *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pcap = pcap_open_dead(DLT_EN10MB, snaplen);
	p->dump = p->pcap ? pcap_dump_open(p->pcap, path) : NULL;
	if (!p->dump) {
		snprintf(errbuf, len, "%s", p->pcap ? pcap_geterr(p->pcap) : "libpcap failed");
		pcap_out_close(p);
		return NULL;
	}
	return p;
}

int pcap_out_write(struct pcap_out *p, unsigned long long real_ns, const void *data,
		   unsigned int caplen, unsigned int len)
{
	struct pcap_pkthdr h = {
		.ts.tv_sec = real_ns / 1000000000ULL,
		.ts.tv_usec = (real_ns % 1000000000ULL) / 1000,
		.caplen = caplen,
		.len = len,
	};

	/* A frameless event (a lost request) has no packet to record. */
	if (!caplen)
		return 0;
	pcap_dump((u_char *)p->dump, &h, data);
	/* Flushed: a killed reader still leaves a whole file. */
	if (pcap_dump_flush(p->dump) || ferror(pcap_dump_file(p->dump)))
		return -1;
	return 0;
}

void pcap_out_close(struct pcap_out *p)
{
	if (!p)
		return;
	if (p->dump)
		pcap_dump_close(p->dump);
	if (p->pcap)
		pcap_close(p->pcap);
	free(p);
}
