/* SPDX-License-Identifier: GPL-2.0 */
/* pcapout.h: write Ethernet frames to a pcap file (pcapout.c). */
#ifndef XDPONG_PCAPOUT_H
#define XDPONG_PCAPOUT_H

#include <stdio.h>

struct pcap_out;

struct pcap_out *pcap_out_open(const char *path, int snaplen, char *errbuf, size_t len);
/* 0, or -1 with errno set. Nothing is written for caplen 0: an event
 * without a frame (a lost request) has no record in a capture. */
int pcap_out_write(struct pcap_out *p, unsigned long long real_ns, const void *data,
		   unsigned int caplen, unsigned int len);
void pcap_out_close(struct pcap_out *p);

#endif /* XDPONG_PCAPOUT_H */
