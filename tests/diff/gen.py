# SPDX-License-Identifier: GPL-2.0
"""gen.py SEED FIRST COUNT OUT: the differential test's requests, one case a line.

Each case is a valid echo request (IPv4 or IPv6, random size, identifier,
sequence, TOS / traffic class, TTL / hop limit, flow label), changed in no
field ("plain", about 30%), in one field (most of the rest), or in two or
three. The frames come from scapy, an independent library; the little this
file computes itself (checksums after a change, fragments) is its own and
shares nothing with the program under test or its other tests.

A line: {"i": n, "cat": category, "tags": [what was changed], "plain": 0|1,
"f": [frame hex, ...]}; a case is one frame, or several (fragments).
Everything comes from random.Random(SEED): the same seed, the same file.
"""
import ipaddress
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import topo  # noqa: E402

from scapy.layers.l2 import Ether, Dot1Q, Dot1AD, ARP  # noqa: E402
from scapy.layers.inet import IP, ICMP, UDP  # noqa: E402
from scapy.layers.inet6 import (IPv6, ICMPv6EchoRequest, ICMPv6Unknown,  # noqa: E402
                                IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt,
                                IPv6ExtHdrRouting, IPv6ExtHdrSegmentRouting,
                                IPv6ExtHdrFragment, Pad1, PadN, HBHOptUnknown,
                                RouterAlert, ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS,
                                ICMPv6ND_RA, ICMPv6ND_Redirect, ICMPv6NDOptSrcLLAddr,
                                ICMPv6NDOptDstLLAddr)
from scapy.packet import Raw  # noqa: E402
from scapy.config import conf  # noqa: E402

conf.verb = 0

SENT_ID = topo.SENTINEL_ID
BCAST = "ff:ff:ff:ff:ff:ff"
MAX_V4, MAX_V6 = 1472, 1452

# ---- Checksums (RFC 1071), for the changes made after scapy built a frame ----


def osum(b, s=0):
    """One's complement sum of b's 16-bit words, folded: 0x0001..0xffff for
    anything but all zeros."""
    if len(b) % 2:
        b = bytes(b) + b"\0"
    s += sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def oadd(a, b):
    s = a + b
    return (s & 0xffff) + (s >> 16)


def osub(a, b):
    return oadd(a, ~b & 0xffff)


def put16(b, off, v):
    b[off:off + 2] = struct.pack("!H", v & 0xffff)


def get16(b, off):
    return struct.unpack("!H", bytes(b[off:off + 2]))[0]


def ip4_csum_fix(b, ip):
    ihl = (b[ip] & 15) * 4
    put16(b, ip + 10, 0)
    put16(b, ip + 10, ~osum(b[ip:ip + ihl]) & 0xffff)


def pseudo6(b, ip, length, nh=58):
    return osum(bytes(b[ip + 8:ip + 40]) + struct.pack("!IxxxB", length, nh))


def l4_sum(b, info, length=None):
    """The sum over the ICMP / ICMPv6 message (its checksum field zero)."""
    o = info["l4"]
    n = length if length is not None else info["end"] - o
    msg = bytearray(b[o:o + n])
    msg[2:4] = b"\0\0"
    if info["fam"] == 6:
        return osum(msg, pseudo6(b, info["ip"], n))
    return osum(msg)


def l4_csum_fix(b, info, length=None):
    put16(b, info["l4"] + 2, ~l4_sum(b, info, length) & 0xffff)


# ---- The request, before it is built ----


class Req:
    def __init__(self, rng, fam):
        self.fam = fam
        self.dmac, self.smac = topo.DUT_MAC, topo.GEN_MAC
        self.vlans = []           # (tpid, pcp, dei, vid), outer first
        self.ethertype = None     # None: the family's
        self.tos = 0
        self.ttl = 64
        self.fl = 0
        self.ipid = rng.randrange(65536)
        self.flags = 0            # IPv4 flags (bits: 4 reserved, 2 DF, 1 MF)
        self.frag = 0
        self.proto = None         # None: ICMP / ICMPv6
        self.opts = b""           # IPv4 options, raw
        self.exts = []            # IPv6 extension headers, scapy layers
        self.itype = 8 if fam == 4 else 128
        self.icode = 0
        self.iid = rng.randrange(65536)
        if self.iid == SENT_ID:
            self.iid ^= 1
        self.iseq = rng.randrange(65536)
        self.payload = b""
        self.l4 = None            # a scapy layer replacing the echo request
        self.pad = b""
        self.post = []            # f(bytearray, info) after the build
        self.split = None         # f(bytes, info) -> [frames]: fragments
        self.raw = None           # a whole frame, built by hand


def mac_for(fam, dst):
    """The destination MAC a sender would use for dst."""
    if fam == 4:
        a = [int(x) for x in dst.split(".")]
        if 224 <= a[0] <= 239:
            return "01:00:5e:%02x:%02x:%02x" % (a[1] & 0x7f, a[2], a[3])
        if dst in ("255.255.255.255", "198.18.0.255", "198.18.5.255"):
            return BCAST
        return topo.DUT_MAC
    if dst.startswith("ff"):
        b = ipaddress.IPv6Address(dst).packed
        return "33:33:" + ":".join("%02x" % x for x in b[12:])
    return topo.DUT_MAC


def build(r):
    """The frame (bytearray) and where its layers start."""
    if r.raw is not None:
        return bytearray(r.raw), {"fam": r.fam, "l2": 0}
    et = r.ethertype or (0x0800 if r.fam == 4 else 0x86dd)
    types = [v[0] for v in r.vlans] + [et]
    layers = [Ether(dst=r.dmac, src=r.smac, type=types[0])]
    for (tpid, pcp, dei, vid), nxt in zip(r.vlans, types[1:]):
        cls = Dot1AD if tpid == 0x88a8 else Dot1Q
        layers.append(cls(prio=pcp, id=dei, vlan=vid, type=nxt))
    l2 = 14 + 4 * len(r.vlans)
    if r.fam == 4:
        ip = IP(tos=r.tos, id=r.ipid, flags=r.flags, frag=r.frag, ttl=r.ttl,
                proto=1 if r.proto is None else r.proto, src=r.src, dst=r.dst)
        if r.opts:
            ip.options = [Raw(r.opts)]
        layers.append(ip)
        if r.l4 is not None:
            layers.append(r.l4.copy())
        elif r.itype in (13, 14):
            layers += [ICMP(type=r.itype, code=r.icode, id=r.iid, seq=r.iseq,
                            ts_ori=r.iseq * 1000, ts_rx=0, ts_tx=0), Raw(r.payload)]
        else:
            layers += [ICMP(type=r.itype, code=r.icode, id=r.iid, seq=r.iseq), Raw(r.payload)]
    else:
        ip = IPv6(tc=r.tos, fl=r.fl, hlim=r.ttl, src=r.src, dst=r.dst)
        if r.proto is not None:
            ip.nh = r.proto
        layers.append(ip)
        layers += [e.copy() for e in r.exts]
        if r.l4 is not None:
            layers.append(r.l4.copy())
        elif r.itype == 128:
            layers.append(ICMPv6EchoRequest(code=r.icode, id=r.iid, seq=r.iseq, data=r.payload))
        else:
            layers.append(ICMPv6Unknown(type=r.itype, code=r.icode,
                                        msgbody=struct.pack("!HH", r.iid, r.iseq) + r.payload))
    # add_payload links the layers in place; "/" would copy the chain at each step.
    for upper, lower in zip(layers[1:], layers):
        lower.add_payload(upper)
    # Every field is set or a constant default: no need for scapy to resolve
    # volatile values in a copy of each layer first.
    for p in layers:
        while p:
            p.explicit = 1
            p = p.payload
    b = bytearray(bytes(layers[0]))
    if r.fam == 4:
        o = l2 + (b[l2] & 15) * 4
    else:
        nh, o = b[l2 + 6], l2 + 40
        for _ in r.exts:
            n = 8 if nh == 44 else (b[o + 1] + 1) * 8
            nh, o = b[o], o + n
    info = {"fam": r.fam, "l2": l2, "ip": l2, "l4": o, "end": len(b)}
    # scapy sums ICMPv6 over the routing header's last address; the kernel,
    # for a packet it delivers, over the destination field: ours.
    if r.fam == 6 and r.l4 is None and r.proto is None and get16(b, l2 + 4) == len(b) - l2 - 40:
        l4_csum_fix(b, info)
    return b, info


def l4_only(f):
    """A change to the ICMP header, made only if there is one."""
    def g(b, info):
        if info["end"] - info["l4"] >= 8:
            f(b, info)
    return g


def finish(r):
    """Every frame of the case."""
    b, info = build(r)
    for f in r.post:
        f(b, info)
    frames = r.split(bytes(b), info) if r.split else [bytes(b)]
    if r.pad:
        frames[-1] = frames[-1] + r.pad[:max(0, frame_limit(r) - len(frames[-1]))]
    return frames


def frame_limit(r):
    # packet_snd() takes MTU + 14, and 4 more under an 802.1Q tag.
    return 1518 if r.vlans and r.vlans[0][0] == 0x8100 else 1514


def fit(r):
    """Shrink the payload so that the frame fits the link."""
    if r.raw is not None or len(r.payload) < 1300:
        return
    over = len(build(r)[0]) - frame_limit(r)
    if over > 0:
        r.payload = r.payload[:max(0, len(r.payload) - over)]


# ---- Generation ----

# The category of each change, by its tag's name: what the report is split by.
CATEGORY = {"dst-mac": "dst-mac", "src-mac": "src-mac", "vlan": "vlan", "dst": "dst-addr",
            "src": "src-addr", "echo-code": "icmp-type", "type": "icmp-type",
            "icmp-len": "icmp-type", "nd": "icmpv6-nd", "icmp-csum": "icmp-csum",
            "ip-opt": "ip4-options", "ihl": "ip4-ihl", "tot-len": "ip4-len", "frag": "ip4-frag",
            "frag6": "ip6-frag", "ip-csum": "ip4-hdr-csum", "ttl": "ttl-hlim", "hlim": "ttl-hlim",
            "tos": "tos-tclass", "tclass": "tos-tclass", "plen": "ip6-plen", "ext": "ip6-ext",
            "pad": "padding", "version": "version", "proto": "proto", "non-ip": "non-ip"}


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.rng = None
        self.i = 0
        self.cats = [
            ("dst-mac", 5, self.m_dst_mac), ("src-mac", 5, self.m_src_mac),
            ("vlan", 6, self.m_vlan), ("dst-addr", 9, self.m_dst_addr),
            ("src-addr", 9, self.m_src_addr), ("icmp-type", 7, self.m_icmp_type),
            ("icmp-csum", 6, self.m_icmp_csum), ("ip4-options", 4, self.m_ip4_options),
            ("ip4-ihl", 2, self.m_ip4_ihl), ("ip4-len", 3, self.m_ip4_len),
            ("ip4-frag", 4, self.m_ip4_frag), ("ip4-hdr-csum", 2, self.m_ip4_hdr_csum),
            ("ttl", 2, self.m_ttl), ("tos", 3, self.m_tos), ("ip6-plen", 3, self.m_ip6_plen),
            ("ip6-ext", 7, self.m_ip6_ext), ("padding", 3, self.m_padding),
            ("version", 2, self.m_version), ("proto", 2, self.m_proto),
            ("non-ip", 1, self.m_non_ip),
        ]
        # Those that change one field and combine with others.
        self.combinable = ["dst-mac", "src-mac", "vlan", "dst-addr", "src-addr", "icmp-csum",
                           "ip4-options", "ip4-frag", "ttl", "tos", "padding", "icmp-type",
                           "ip6-ext", "ip4-len", "ip6-plen"]

    def payload(self, maxn):
        g = self.rng
        x = g.random()
        if x < 0.35:
            n = g.choice([0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 55, 56, 57, 63, 64, 100, 255, 256,
                          512, 1000, maxn - 1, maxn])
        elif x < 0.7:
            n = g.randrange(0, 129)
        else:
            n = g.randrange(0, maxn + 1)
        kind = g.random()
        if kind < 0.5:
            return g.randbytes(n)
        if kind < 0.8:
            return bytes((i + 0x10) & 0xff for i in range(n))  # like ping's
        return bytes([g.choice([0, 0xff])]) * n

    def plain(self, fam=None):
        g = self.rng
        fam = fam or g.choice([4, 6])
        r = Req(g, fam)
        if fam == 4:
            r.src = g.choice([topo.GEN4] * 6 + ["198.18.0.3", "198.18.0.200"] + topo.OFFLINK4)
            r.dst = g.choice([topo.DUT4] * 4 + [topo.IFB4])
            r.flags = g.choice([0, 2])
        else:
            r.src = g.choice([topo.GEN6] * 5 + ["2001:2::3", topo.GEN_LL] + topo.OFFLINK6)
            r.dst = g.choice([topo.DUT6] * 4 + [topo.IFB6, topo.DUT_LL])
            r.fl = g.choice([0, 0, g.randrange(1 << 20)])
        r.tos = g.choice([0, 0, 0, g.randrange(256), g.randrange(64) << 2])
        r.ttl = g.choice([64, 64, g.randrange(1, 256)])
        r.payload = self.payload(MAX_V4 if fam == 4 else MAX_V6)
        return r

    # -- one field --

    def m_dst_mac(self, r):
        name, m = self.rng.choice([("bcast", BCAST), ("v4mcast", "01:00:5e:00:00:01"),
                                   ("v6mcast", "33:33:00:00:00:01"), ("other", topo.OTHER_MAC),
                                   ("gen", topo.GEN_MAC), ("v6solicited", "33:33:ff:00:00:01"),
                                   ("group-bit", "03:d0:00:00:00:01")])
        r.dmac = m
        return "dst-mac=" + name

    def m_src_mac(self, r):
        name, m = self.rng.choice([("bcast", BCAST), ("v6mcast", "33:33:00:00:00:01"),
                                   ("v4mcast", "01:00:5e:00:00:01"), ("zero", "00:00:00:00:00:00"),
                                   ("other", topo.OTHER_MAC), ("dut", topo.DUT_MAC),
                                   ("group-bit", "03:d0:00:00:00:02")])
        r.smac = m
        return "src-mac=" + name

    def m_vlan(self, r):
        g = self.rng
        shape = g.choice(["q", "q", "q", "ad", "qq", "adq", "qqq"])
        vids = {"q": [(0,), (0,), (1,), (100,), (4095,)], "ad": [(0,), (100,)],
                "qq": [(0, 0), (0, 100), (100, 0), (100, 200)],
                "adq": [(0, 0), (0, 100), (100, 0), (100, 200), (4095, 0)],
                "qqq": [(0, 0, 0), (0, 0, 5)]}[shape]
        vid = g.choice(vids)
        tpids = {"q": [0x8100], "ad": [0x88a8], "qq": [0x8100, 0x8100],
                 "adq": [0x88a8, 0x8100], "qqq": [0x8100] * 3}[shape]
        pcp = g.choice([0, 0, g.randrange(8)])
        dei = 1 if g.random() < 0.1 else 0
        r.vlans = [(t, pcp if i == 0 else 0, dei if i == 0 else 0, v)
                   for i, (t, v) in enumerate(zip(tpids, vid))]
        tag = "vlan=" + "/".join("%s:%d" % ("ad" if t == 0x88a8 else "q", v)
                                 for t, v in zip(tpids, vid))
        return tag + ("+pcp" if pcp else "") + ("+dei" if dei else "")

    def m_dst_addr(self, r):
        g = self.rng
        if r.fam == 4:
            d = g.choice([topo.DUT4, topo.IFB4, "127.0.0.1", "198.18.0.255", "198.18.5.255",
                          "255.255.255.255", "224.0.0.1", "224.0.0.251", "0.0.0.0", "240.0.0.1",
                          "198.18.0.99", "198.19.9.9", "198.18.0.0", "198.18.5.0"])
        else:
            d = g.choice([topo.DUT6, topo.DUT_LL, topo.IFB6, topo.IFB_LL, "::1", "::",
                          "::ffff:198.18.0.1", "::ffff:198.18.0.255", "::ffff:198.18.5.1",
                          "::c612:1", "ff02::1", "ff01::1", "ff0e::1", "ff00::1",
                          "ff02::1:ff00:1", "ff02::2", "fe80::99", "2001:2::99", "2001:2::"])
        r.dst = d
        m = mac_for(r.fam, d)
        tag = "dst=" + d
        if m != topo.DUT_MAC and g.random() < 0.3:
            tag += "+our-mac"
        else:
            r.dmac = m
        return tag

    def m_src_addr(self, r):
        g = self.rng
        if r.fam == 4:
            s = g.choice([topo.GEN4, "198.18.0.3", topo.OFFLINK4[0], "198.18.0.0", topo.DUT4,
                          topo.IFB4, "127.0.0.1", "0.0.0.0", "255.255.255.255", "198.18.0.255",
                          "198.18.5.255", "224.0.0.5", "240.0.0.1", "198.18.5.7"])
        else:
            s = g.choice([topo.GEN6, "2001:2::3", topo.GEN_LL, "fe80::99", topo.OFFLINK6[0], "::",
                          "::1", "::ffff:198.18.0.2", topo.DUT6, topo.DUT_LL, topo.IFB6,
                          topo.IFB_LL, "ff02::1", "2001:2:5::7", "::c612:2"])
        r.src = s
        return "src=" + s

    def m_icmp_type(self, r):
        g = self.rng
        if r.fam == 4:
            kind = g.choice(["code", "code", "type", "type", "type", "timestamp", "short"])
            if kind == "code":
                r.icode = g.choice([1, 2, 8, 255])
                return "echo-code=%d" % r.icode
            if kind == "timestamp":
                r.itype, r.payload = 13, b""
                return "type=13(timestamp)"
            if kind == "short":
                n = g.randrange(0, 8)
                r.l4 = Raw(struct.pack("!BBHHH", 8, 0, 0, r.iid, r.iseq)[:n])
                if n >= 4:  # right checksum over what there is
                    r.post.append(lambda b, info: l4_csum_fix(b, info))
                return "icmp-len=%d" % n
            t = g.choice([0, 3, 4, 5, 6, 9, 10, 11, 12, 14, 15, 16, 17, 18, 30, 37, 40, 42, 43,
                          44, 100, 253, 255])
            r.itype = t
            if t in (3, 4, 5, 11, 12):  # an error quoting nothing: it changes no state
                r.payload = bytes(len(r.payload) % 64)
            r.icode = g.choice([0, 0, g.randrange(256)])
            return "type=%d" % t
        kind = g.choice(["code", "code", "type", "type", "nd", "nd"])
        if kind == "code":
            r.icode = g.choice([1, 2, 255])
            return "echo-code=%d" % r.icode
        if kind == "type":
            t = g.choice([129, 1, 2, 3, 4, 100, 127, 139, 140, 141, 142, 160, 161, 200, 255])
            r.itype = t
            if t < 128:
                r.payload = bytes(len(r.payload) % 64)
            r.icode = g.choice([0, 0, g.randrange(256)])
            return "type=%d" % t
        return self.nd(r)

    def nd(self, r):
        """Neighbour discovery: the kernel answers some; none changes its state
        (the neighbours it knows are permanent; RAs and redirects are off)."""
        g = self.rng
        r.payload = b""
        hl = 255 if g.random() < 0.8 else 64
        r.ttl = hl
        what = g.choice(["ns", "ns", "ns-mcast", "ns-dad", "ns-other", "na", "rs", "ra", "redirect"])
        lla = ICMPv6NDOptSrcLLAddr(lladdr=topo.GEN_MAC)
        r.src = g.choice([topo.GEN6, topo.GEN_LL])
        r.dst = topo.DUT6
        if what == "ns":
            tgt = g.choice([topo.DUT6, topo.DUT_LL, topo.IFB6])
            r.l4 = ICMPv6ND_NS(tgt=tgt) / lla
        elif what == "ns-mcast":
            r.dst, r.dmac = "ff02::1:ff00:1", "33:33:ff:00:00:01"
            r.l4 = ICMPv6ND_NS(tgt=topo.DUT6) / lla
        elif what == "ns-dad":
            r.src, r.dst, r.dmac = "::", "ff02::1:ff00:1", "33:33:ff:00:00:01"
            r.l4 = ICMPv6ND_NS(tgt=topo.DUT6)
        elif what == "ns-other":
            r.l4 = ICMPv6ND_NS(tgt="2001:2::77") / lla
        elif what == "na":
            r.dst, r.dmac = "ff02::1", "33:33:00:00:00:01"
            r.l4 = ICMPv6ND_NA(tgt=topo.GEN6, R=0, S=0, O=1) / \
                ICMPv6NDOptDstLLAddr(lladdr=topo.GEN_MAC)
        elif what == "rs":
            r.dst, r.dmac = "ff02::2", "33:33:00:00:00:02"
            r.l4 = ICMPv6ND_RS() / lla
        elif what == "ra":
            r.src, r.dst, r.dmac = topo.GEN_LL, "ff02::1", "33:33:00:00:00:01"
            r.l4 = ICMPv6ND_RA(routerlifetime=0) / lla
        else:
            r.src = topo.GEN_LL
            r.l4 = ICMPv6ND_Redirect(tgt=topo.GEN_LL, dst="2001:2:9::9")
        return "nd=%s/hl%d" % (what, hl)

    def set_seq_for_sum(self, b, info, target):
        """Make the request's ICMP sum (checksum field zero) equal target, by
        its sequence number; the checksum follows."""
        o = info["l4"]
        s0 = l4_sum(b, info)
        put16(b, o + 6, oadd(get16(b, o + 6), osub(target, s0)))
        assert l4_sum(b, info) == target

    def m_icmp_csum(self, r):
        g = self.rng
        kind = g.choice(["bit", "bit", "zero", "ones", "equiv", "equiv", "reply-edge",
                         "reply-edge", "reply-edge", "all-zero"])
        if kind == "all-zero":
            # id 0, sequence 0, zero data: the reply's message is all zeros,
            # its sum 0 (the kernel writes 0x0000, as an update gives).
            r.iid, r.iseq, r.payload = 0, 0, bytes(len(r.payload))
            return "icmp-csum=all-zero-reply"
        if kind == "bit":
            bit = g.randrange(16)
            r.post.append(l4_only(lambda b, info: put16(b, info["l4"] + 2,
                                                        get16(b, info["l4"] + 2) ^ (1 << bit))))
            return "icmp-csum=bit-flipped"
        if kind in ("zero", "ones"):
            v = 0 if kind == "zero" else 0xffff

            def wrong(b, info, v=v):
                if get16(b, info["l4"] + 2) in (0, 0xffff):  # it was right: make it wrong
                    put16(b, info["l4"] + 6, get16(b, info["l4"] + 6) ^ 1)
                put16(b, info["l4"] + 2, v)
            r.post.append(l4_only(wrong))
            return "icmp-csum=wrong-%04x" % v
        if kind == "equiv":
            # The sum is 0xffff: both 0x0000 and 0xffff are right.
            v = g.choice([0, 0xffff])

            def equiv(b, info, v=v):
                self.set_seq_for_sum(b, info, 0xffff)
                put16(b, info["l4"] + 2, v)
            r.post.append(l4_only(equiv))
            return "icmp-csum=equiv-%04x" % v
        # The reply's sum lands on or next to 0xffff, where a from-scratch
        # checksum is 0x0000 and an incremental one may be 0xffff.
        rep = g.choice([0xffff, 0xffff, 0xfffe, 0x0001])
        delta = osub(0x0000, 0x0800) if r.fam == 4 else osub(0x8100, 0x8000)

        def edge(b, info, rep=rep, delta=delta):
            self.set_seq_for_sum(b, info, osub(rep, delta))
            l4_csum_fix(b, info)
        r.post.append(l4_only(edge))
        return "icmp-csum=reply-sum-%04x" % rep

    def m_ip4_options(self, r):
        if r.fam != 4:
            return self.m_ip6_ext(r)
        g = self.rng
        a = bytes(int(x) for x in topo.DUT4.split("."))
        kind = g.choice(["nop", "eol", "nop-eol", "rr", "rr-full", "ts", "ts-addr", "ts-full",
                         "ra", "lsrr", "ssrr", "unknown", "len0", "len1", "len-over", "rr-ptr3",
                         "security", "ts-bad-flag"])
        o = {
            "nop": b"\x01" * 4,
            "eol": b"\x00" * 4,
            "nop-eol": b"\x01\x01\x00\x00",
            "rr": b"\x07" + bytes([3 + 4 * g.randrange(1, 10), 4]),
            "rr-full": b"\x07\x07\x08\xc6\x12\x00\x02",
            "ts": b"\x44" + bytes([4 + 4 * g.randrange(1, 10), 5, 0]),
            "ts-addr": b"\x44" + bytes([4 + 8 * g.randrange(1, 5), 5, 1]),
            "ts-full": b"\x44\x08\x09\x10\x00\x00\x00\x00",
            "ra": b"\x94\x04\x00\x00",
            "lsrr": b"\x83\x07\x04" + a,
            "ssrr": b"\x89\x07\x04" + a,
            "unknown": bytes([g.choice([0x1e, 0x9e, 0x5f, 0xde]), 4, 0, 0]),
            "len0": b"\x07\x00\x04\x00",
            "len1": b"\x44\x01\x00\x00",
            "len-over": b"\x07\x27\x04\x00",
            "rr-ptr3": b"\x07\x07\x03\x00\x00\x00\x00",
            "security": b"\x82\x0b" + bytes(9),
            "ts-bad-flag": b"\x44\x0c\x05\x02" + bytes(8),
        }[kind]
        if kind in ("rr", "ts", "ts-addr"):
            o = o + bytes(o[1] - len(o))
        r.opts = o
        return "ip-opt=" + kind

    def m_ip4_ihl(self, r):
        if r.fam != 4:
            return self.m_ip6_plen(r)
        g = self.rng
        ihl = g.choice([0, 1, 4, 6, 8, 15, "over"])
        if isinstance(ihl, int) and ihl > 5:
            r.opts = bytes(4 * (ihl - 5))  # EOL: the header really is that long
            return "ihl=%d(eol)" % ihl
        r.payload = r.payload[:g.randrange(0, 40)]

        def set_ihl(b, info, ihl=ihl):
            ip = info["ip"]
            v = ihl if ihl != "over" else min(15, (get16(b, ip + 2) // 4) + 1)
            b[ip] = 0x40 | v
            ip4_csum_fix(b, ip) if v >= 5 else put16(b, ip + 10, ~osum(b[ip:ip + 20]) & 0xffff)
        r.post.append(set_ihl)
        return "ihl=%s" % ihl

    def m_ip4_len(self, r):
        if r.fam != 4:
            return self.m_ip6_plen(r)
        g = self.rng
        kind = g.choice(["short-valid", "short-valid", "short", "long", "under-header", "zero"])
        k = g.randrange(1, 9)
        if kind.startswith("short") and len(r.payload) < k:
            r.payload += bytes(k)

        def tot(b, info, kind=kind, k=k):
            ip = info["ip"]
            n = get16(b, ip + 2)
            v = {"short-valid": n - k, "short": n - k, "long": n + k,
                 "under-header": 19, "zero": 0}[kind]
            put16(b, ip + 2, v)
            ip4_csum_fix(b, ip)
            if kind == "short-valid" and v - (info["l4"] - ip) >= 8:
                # the rest is padding: the checksum over what's left
                l4_csum_fix(b, info, v - (info["l4"] - ip))
        r.post.append(tot)
        return "tot-len=" + kind

    def next_fragid(self):
        """The case's own: fragments of different cases never meet."""
        return self.i & 0xffff

    def m_ip4_frag(self, r):
        if r.fam != 4:
            return self.m_ip6_frag(r)
        g = self.rng
        kind = g.choice(["reserved", "reserved", "reserved-df", "df", "mf-first", "last",
                         "middle", "whole-2", "whole-3-reversed", "df-mf", "reserved-mf"])
        r.ipid = self.next_fragid()
        if kind == "reserved":
            r.flags = 4
        elif kind == "reserved-df":
            r.flags = 6
        elif kind == "df":
            r.flags = 2
        elif kind == "mf-first":
            r.flags = 1
        elif kind == "df-mf":
            r.flags = 3
        elif kind == "reserved-mf":
            r.flags = 5
        elif kind in ("last", "middle"):
            r.frag = g.randrange(1, 100)
            r.flags = 1 if kind == "middle" else 0
        else:
            if len(r.payload) < 24:
                r.payload += bytes(24)
            parts = 2 if kind == "whole-2" else 3
            rev = kind.endswith("reversed")

            def split(f, info, parts=parts, rev=rev):
                ip = info["ip"]
                ihl = (f[ip] & 15) * 4
                hdr, data = bytearray(f[ip:ip + ihl]), f[ip + ihl:]
                parts = min(parts, (len(data) - 1) // 8 + 1)
                if parts < 2:  # another change left too little to cut
                    return [f]
                cut = sorted(g.sample(range(1, (len(data) - 1) // 8 + 1), parts - 1))
                edges = [0] + [c * 8 for c in cut] + [len(data)]
                out = []
                for i in range(parts):
                    h = bytearray(hdr)
                    last = i == parts - 1
                    put16(h, 2, ihl + edges[i + 1] - edges[i])
                    put16(h, 6, (get16(h, 6) & 0x4000) | (0 if last else 0x2000) | edges[i] // 8)
                    h = bytearray(f[:ip]) + h
                    ip4_csum_fix(h, ip)
                    out.append(bytes(h) + data[edges[i]:edges[i + 1]])
                return out[::-1] if rev else out
            r.split = split
        return "frag=" + kind

    def m_ip6_frag(self, r):
        g = self.rng
        kind = g.choice(["atomic", "atomic", "first", "last", "whole-2"])
        fid = 0x5a000000 | (self.i & 0xffffff)
        if kind == "atomic":
            r.exts = [IPv6ExtHdrFragment(offset=0, m=0, id=fid)]
        elif kind == "first":
            r.exts = [IPv6ExtHdrFragment(offset=0, m=1, id=fid)]
        elif kind == "last":
            r.exts = [IPv6ExtHdrFragment(offset=g.randrange(1, 100), m=0, id=fid)]
        else:
            if len(r.payload) < 24:
                r.payload += bytes(24)
            r.exts = [IPv6ExtHdrFragment(offset=0, m=0, id=fid)]

            def split(f, info):
                ip = info["ip"]
                fh = ip + 40
                data = f[fh + 8:]
                if f[ip + 6] != 44 or len(data) < 9:  # another change took the header
                    return [f]
                cut = g.randrange(1, (len(data) - 1) // 8 + 1) * 8
                out = []
                for off, chunk, m in ((0, data[:cut], 1), (cut, data[cut:], 0)):
                    h = bytearray(f[:fh + 8])
                    put16(h, ip + 4, 8 + len(chunk))
                    put16(h, fh + 2, off | m)
                    out.append(bytes(h) + chunk)
                return out
            r.split = split
        return "frag6=" + kind

    def m_ip4_hdr_csum(self, r):
        if r.fam != 4:
            return self.m_ip6_plen(r)
        g = self.rng
        kind = g.choice(["bit", "bit", "equiv-0000", "equiv-ffff", "wrong-0000"])

        def hc(b, info, kind=kind):
            ip = info["ip"]
            if kind == "bit":
                put16(b, ip + 10, get16(b, ip + 10) ^ (1 << g.randrange(16)))
                return
            if kind == "wrong-0000":
                if get16(b, ip + 10) in (0, 0xffff):
                    put16(b, ip + 4, get16(b, ip + 4) ^ 1)
                put16(b, ip + 10, 0)
                return
            # The header sums to 0xffff through its id; both forms are right.
            put16(b, ip + 10, 0)
            s0 = osum(b[ip:ip + 20])
            put16(b, ip + 4, oadd(get16(b, ip + 4), osub(0xffff, s0)))
            put16(b, ip + 10, 0 if kind == "equiv-0000" else 0xffff)
        r.post.append(hc)
        return "ip-csum=" + kind

    def m_ttl(self, r):
        r.ttl = self.rng.choice([0, 1, 2, 255])
        return ("ttl=%d" if r.fam == 4 else "hlim=%d") % r.ttl

    def m_tos(self, r):
        r.tos = self.rng.choice([0x01, 0x02, 0x03, 0x04, 0xb8, 0xb9, 0xbb, 0xfc, 0xff, 0x10])
        return ("tos=%#04x" if r.fam == 4 else "tclass=%#04x") % r.tos

    def m_ip6_plen(self, r):
        if r.fam != 6:
            return self.m_ip4_len(r)
        g = self.rng
        kind = g.choice(["short-valid", "short-valid", "short", "long", "zero"])
        k = g.randrange(1, 9)
        if kind.startswith("short") and len(r.payload) < k:
            r.payload += bytes(k)

        def pl(b, info, kind=kind, k=k):
            ip = info["ip"]
            n = get16(b, ip + 4)
            v = {"short-valid": n - k, "short": n - k, "long": n + k, "zero": 0}[kind]
            put16(b, ip + 4, v)
            if kind == "short-valid" and ip + 40 + v - info["l4"] >= 8:
                # the rest is padding: the checksum over what's left
                l4_csum_fix(b, info, ip + 40 + v - info["l4"])
        r.post.append(pl)
        return "plen=" + kind

    def opts8(self, opts):
        """HBH / destination options padded to a multiple of 8 (with PadN)."""
        n = sum(len(bytes(o)) for o in opts) + 2
        if n % 8 == 7:
            opts = opts + [Pad1()]
        elif n % 8:
            opts = opts + [PadN(optdata=bytes(8 - n % 8 - 2))]
        return opts

    def m_ip6_ext(self, r):
        if r.fam != 6:
            return self.m_ip4_options(r)
        g = self.rng
        kind = g.choice(["hbh-pad", "hbh-pad", "hbh-skip", "hbh-discard", "hbh-icmp",
                         "hbh-icmp-nomc", "hbh-ra", "hbh-padn-nonzero", "hbh-pad-long",
                         "dst-pad", "dst-icmp", "rt0-sl0", "rt0-sl1", "rt2-sl0", "rt2-sl1",
                         "rt4-sl0", "rt4-sl1", "rt253-sl0", "frag", "frag", "hbh-not-first",
                         "two-exts", "jumbo"])
        if kind == "frag":
            return self.m_ip6_frag(r)
        H = lambda opts: IPv6ExtHdrHopByHop(autopad=0, options=self.opts8(opts))  # noqa: E731
        D = lambda opts: IPv6ExtHdrDestOpt(autopad=0, options=self.opts8(opts))  # noqa: E731
        unk = lambda t: HBHOptUnknown(otype=t, optdata=b"\0\0")  # noqa: E731
        e = {
            "hbh-pad": lambda: [H([])],
            "hbh-skip": lambda: [H([unk(0x1e)])],
            "hbh-discard": lambda: [H([unk(0x5e)])],
            "hbh-icmp": lambda: [H([unk(0x9e)])],
            "hbh-icmp-nomc": lambda: [H([unk(0xde)])],
            "hbh-ra": lambda: [H([RouterAlert(value=0)])],
            "hbh-padn-nonzero": lambda: [IPv6ExtHdrHopByHop(autopad=0, options=[PadN(optdata=b"ab\0\0")])],
            "hbh-pad-long": lambda: [IPv6ExtHdrHopByHop(autopad=0, options=[PadN(optdata=bytes(12))])],
            "dst-pad": lambda: [D([])],
            "dst-icmp": lambda: [D([unk(0x9e)])],
            "rt0-sl0": lambda: [IPv6ExtHdrRouting(type=0, segleft=0, addresses=[topo.GEN6])],
            "rt0-sl1": lambda: [IPv6ExtHdrRouting(type=0, segleft=1, addresses=[topo.DUT6])],
            "rt2-sl0": lambda: [IPv6ExtHdrRouting(type=2, segleft=0, addresses=[r.dst])],
            "rt2-sl1": lambda: [IPv6ExtHdrRouting(type=2, segleft=1, addresses=[r.dst])],
            "rt4-sl0": lambda: [IPv6ExtHdrSegmentRouting(segleft=0, lastentry=0, addresses=[r.dst])],
            "rt4-sl1": lambda: [IPv6ExtHdrSegmentRouting(segleft=1, lastentry=1,
                                                          addresses=[r.dst, topo.DUT6])],
            "rt253-sl0": lambda: [IPv6ExtHdrRouting(type=253, segleft=0, addresses=[topo.GEN6])],
            "hbh-not-first": lambda: [D([]), H([])],
            "two-exts": lambda: [H([]), D([])],
            "jumbo": lambda: [H([HBHOptUnknown(otype=0xc2, optdata=struct.pack("!I", 70000))])],
        }[kind]()
        r.exts = e
        return "ext=" + kind

    def m_padding(self, r):
        g = self.rng
        n = g.randrange(1, 61)
        r.pad = g.randbytes(n) if g.random() < 0.5 else bytes(n)
        return "pad=" + ("1-15" if n < 16 else "16-60")

    def m_version(self, r):
        g = self.rng
        if r.fam == 4:
            kind = g.choice(["v6-in-0800", "0", "5", "15", "6-nibble"])
        else:
            kind = g.choice(["v4-in-86dd", "0", "4-nibble", "7"])
        if kind == "v6-in-0800":
            r.ethertype = 0x0800
        elif kind == "v4-in-86dd":
            r.ethertype = 0x86dd
        else:
            v = {"0": 0, "5": 5, "15": 15, "6-nibble": 6, "4-nibble": 4, "7": 7}[kind]

            def ver(b, info, v=v):
                ip = info["ip"]
                b[ip] = (v << 4) | (b[ip] & 15)
                if info["fam"] == 4:
                    ip4_csum_fix(b, ip)
            r.post.append(ver)
        return "version=" + kind

    def m_proto(self, r):
        g = self.rng
        if r.fam == 4:
            p = g.choice([2, 17, 58, 253])
        else:
            p = g.choice([1, 17, 59, 253])
        r.proto = p
        if p == 17:
            r.l4 = UDP(sport=r.iid | 1024, dport=g.choice([7, 9, 33434])) / Raw(r.payload[:64])
            if r.fam == 4:
                r.l4.chksum = 0
        else:
            r.l4 = Raw(r.payload[:64] or b"\0" * 8)
        return "proto=%d" % p

    def m_non_ip(self, r):
        g = self.rng
        kind = g.choice(["arp-ours", "arp-ifb", "arp-other", "lldp", "ethertype-88b5"])
        m = lambda s: bytes.fromhex(s.replace(":", ""))  # noqa: E731
        if kind.startswith("arp"):
            pdst = {"arp-ours": topo.DUT4, "arp-ifb": topo.IFB4, "arp-other": "198.18.0.77"}[kind]
            r.raw = bytes(Ether(dst=BCAST, src=topo.GEN_MAC) /
                          ARP(op=1, hwsrc=topo.GEN_MAC, psrc=topo.GEN4, pdst=pdst))
        else:
            et = 0x88cc if kind == "lldp" else 0x88b5
            r.raw = m(topo.DUT_MAC) + m(topo.GEN_MAC) + struct.pack("!H", et) + g.randbytes(46)
        return "non-ip=" + kind

    def case(self, i):
        # A generator of its own for each case: any case can be made alone,
        # in any process, and comes out the same.
        g = self.rng = random.Random("xdpong-diff:%d:%d" % (self.seed, i))
        self.i = i
        x = g.random()
        if x < 0.30:
            r = self.plain()
            fit(r)
            return "plain", ["plain"], 1, finish(r)
        r = self.plain()
        if x < 0.85:
            names = [g.choices(self.cats, weights=[c[1] for c in self.cats])[0]]
        else:
            pool = [c for c in self.cats if c[0] in self.combinable]
            names = g.sample(pool, g.choice([2, 2, 3]))
        tags = []
        # Addresses first: the frame-shaping ones below see the final frame.
        names.sort(key=lambda c: c[0] not in ("dst-addr", "src-addr", "icmp-type"))
        for name, _, fn in names:
            tags.append(fn(r))
        fit(r)
        cat = CATEGORY[tags[0].split("=")[0]] if len(tags) == 1 else "combined"
        return cat, tags, 0, finish(r)


GEN = None


def line(i):
    cat, tags, plain, frames = GEN.case(i)
    return json.dumps({"i": i, "cat": cat, "tags": tags, "plain": plain,
                       "f": [x.hex() for x in frames]}) + "\n"


def main():
    """gen.py SEED FIRST COUNT OUT: cases FIRST to FIRST+COUNT-1, made by all CPUs."""
    global GEN
    seed, first, count, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    GEN = Gen(seed)
    jobs = min(len(os.sched_getaffinity(0)), 8)
    with open(out, "w") as f:
        if jobs < 2 or count < 1000:
            f.writelines(line(i) for i in range(first, first + count))
        else:
            import multiprocessing
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                f.writelines(pool.imap(line, range(first, first + count), chunksize=250))


if __name__ == "__main__":
    main()
