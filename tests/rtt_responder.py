#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""rtt_responder.py [options]: an ICMP/ICMPv6 echo responder with a delay of
its own, for the round-trip tests (tests/test_rtt.sh). This kernel has no
netem, so the far end of the path answers from raw sockets, after
--delay-ms, and misbehaves on purpose when asked: it drops every Nth request,
answers every Nth twice, or answers every Nth after --late-ms (beyond
xdpong's timeout).

Run it in a namespace whose kernel does not answer echo requests itself
(net.ipv4.icmp_echo_ignore_all=1, net.ipv6.icmp.echo_ignore_all=1): it
checks, and refuses to start otherwise. Several responders can share a
namespace, each answering its own destinations (--dst): every raw socket
sees every request.

Replies are built from scratch: IPv4 with its own header (IP_HDRINCL) and
the ICMP checksum computed here (RFC 1071), so that any local address,
AnyIP routes included (ip route add local PREFIX dev lo), can answer;
IPv6 from the request's destination (IPV6_PKTINFO; IPV6_FREEBIND for AnyIP
addresses), with the checksum the kernel computes for every ICMPv6 raw
socket (RFC 3542), the pseudo-header included.

--log FILE gets one line per request: "<n> <4|6> <src> <dst> <id> <seq>
<action>", action one of answer, drop, dup, late: the tests' count of what
was done, not of what was asked.
"""
import argparse
import heapq
import ipaddress
import os
import select
import signal
import socket
import struct
import sys
import time

IPV6_RECVPKTINFO = 49
IPV6_PKTINFO = 50
IPV6_FREEBIND = 78
ICMP_ECHO, ICMP_ECHOREPLY = 8, 0
ICMP6_ECHO, ICMP6_ECHOREPLY = 128, 129


def csum(data):
    """RFC 1071: the ones' complement of the ones' complement sum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def reply4(req_ip, ihl):
    """The IPv4 echo reply to the request req_ip (IP header of ihl bytes)."""
    icmp = bytearray(req_ip[ihl:])
    icmp[0] = ICMP_ECHOREPLY
    icmp[2:4] = b"\0\0"
    icmp[2:4] = struct.pack("!H", csum(bytes(icmp)))
    src, dst = req_ip[12:16], req_ip[16:20]
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, req_ip[1], 20 + len(icmp),
                                int.from_bytes(os.urandom(2), "big"), 0x4000, 64,
                                socket.IPPROTO_ICMP, 0, dst, src))
    hdr[10:12] = struct.pack("!H", csum(bytes(hdr)))
    return bytes(hdr) + bytes(icmp)


def reply6(req_icmp):
    """The ICMPv6 echo reply to req_icmp (the kernel fills the checksum)."""
    icmp = bytearray(req_icmp)
    icmp[0] = ICMP6_ECHOREPLY
    icmp[2:4] = b"\0\0"
    return bytes(icmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--delay-ms", type=float, default=0.0, help="answer after this delay")
    ap.add_argument("--drop-every", type=int, default=0, metavar="N",
                    help="don't answer the Nth, 2Nth, ... request")
    ap.add_argument("--dup-every", type=int, default=0, metavar="N",
                    help="answer the Nth, 2Nth, ... request twice")
    ap.add_argument("--late-every", type=int, default=0, metavar="N",
                    help="answer the Nth, 2Nth, ... request after --late-ms instead")
    ap.add_argument("--late-ms", type=float, default=1500.0)
    ap.add_argument("--dst", action="append", default=[], metavar="PREFIX",
                    help="answer requests to PREFIX only (repeatable; default: all)")
    ap.add_argument("--family", choices=["4", "6", "both"], default="both")
    ap.add_argument("--log", help="a line per request to this file")
    ap.add_argument("--ready", help="create this file once the sockets are open")
    a = ap.parse_args()

    for path in ("/proc/sys/net/ipv4/icmp_echo_ignore_all",
                 "/proc/sys/net/ipv6/icmp/echo_ignore_all"):
        with open(path) as f:
            if f.read().strip() != "1":
                sys.exit("rtt_responder: %s is not 1: the kernel would answer too" % path)
    nets = [ipaddress.ip_network(p, strict=False) for p in a.dst]

    socks = {}
    if a.family in ("4", "both"):
        s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s4.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        socks[s4.fileno()] = (4, s4)
    if a.family in ("6", "both"):
        s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        s6.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
        s6.setsockopt(socket.IPPROTO_IPV6, IPV6_FREEBIND, 1)
        socks[s6.fileno()] = (6, s6)
    log = open(a.log, "a", buffering=1) if a.log else None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if a.ready:
        open(a.ready, "w").close()

    n = 0
    queue = []  # (due, tiebreak, family, bytes, peer, src6)
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else None
        readable, _, _ = select.select(list(socks), [], [], timeout)
        for fd in readable:
            fam, s = socks[fd]
            if fam == 4:
                pkt = s.recv(65535)
                ihl = (pkt[0] & 0x0f) * 4
                if len(pkt) < ihl + 8 or pkt[9] != socket.IPPROTO_ICMP or \
                        pkt[ihl] != ICMP_ECHO or pkt[ihl + 1] != 0:
                    continue
                src, dst = socket.inet_ntop(socket.AF_INET, pkt[12:16]), \
                    socket.inet_ntop(socket.AF_INET, pkt[16:20])
                icmp_id, seq = struct.unpack("!HH", pkt[ihl + 4:ihl + 8])
                out, peer, src6 = reply4(pkt, ihl), (src, 0), None
            else:
                pkt, anc, _, peer = s.recvmsg(65535, 256)
                if len(pkt) < 8 or pkt[0] != ICMP6_ECHO or pkt[1] != 0:
                    continue
                src6 = next((d[:16] for lvl, t, d in anc
                             if lvl == socket.IPPROTO_IPV6 and t == IPV6_PKTINFO), None)
                if src6 is None:
                    continue
                src, dst = peer[0].split("%")[0], socket.inet_ntop(socket.AF_INET6, src6)
                icmp_id, seq = struct.unpack("!HH", pkt[4:8])
                out, peer = reply6(pkt), (src, 0)
            if nets and not any(ipaddress.ip_address(dst) in net for net in nets):
                continue
            n += 1
            now = time.monotonic()
            if a.drop_every and n % a.drop_every == 0:
                action, times = "drop", []
            elif a.late_every and n % a.late_every == 0:
                action, times = "late", [now + a.late_ms / 1e3]
            elif a.dup_every and n % a.dup_every == 0:
                action, times = "dup", [now + a.delay_ms / 1e3] * 2
            else:
                action, times = "answer", [now + a.delay_ms / 1e3]
            for i, due in enumerate(times):
                heapq.heappush(queue, (due, n * 2 + i, fam, out, peer, src6))
            if log:
                log.write("%d %d %s %s %d %d %s\n" % (n, fam, src, dst, icmp_id, seq, action))
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, fam, out, peer, src6 = heapq.heappop(queue)
            s = next(s for f, s in socks.values() if f == fam)
            if fam == 4:
                s.sendto(out, peer)
            else:
                s.sendmsg([out], [(socket.IPPROTO_IPV6, IPV6_PKTINFO,
                                   src6 + struct.pack("I", 0))], 0, peer)


if __name__ == "__main__":
    main()
