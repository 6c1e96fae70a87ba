# SPDX-License-Identifier: GPL-2.0
"""compare.py DIR CASES MODE_A MODE_B [SHOWN]: the replies of two runs, case by case.

DIR holds, for each epoch E and mode M, E.M.jsonl (run.py's records),
E.M.sum (run.py's summary) and E.M.cnt (the DUT's counters). Prints lines
for test_diff.sh: "ok<TAB>text", "not_ok<TAB>text", "diag<TAB>text", and
writes the details beside them (DIR/MODE_B-*.txt).

Replies are compared after normalising only what the contract lets differ:
the IPv4 identification and DF bit (the header checksum recomputed), the IPv6
flow label. And what the kernel itself never sends twice the same: the clock
in ICMP timestamp replies and in IPv4 timestamp options. Within a case the
replies are compared as a sorted list (the order of a case's replies depends
on which path made them). Every reply's checksums are checked before.
"""
import glob
import json
import os
import struct
import sys
from collections import Counter, defaultdict

MAX_EXAMPLES = 5


def u16(b, o):
    return struct.unpack("!H", b[o:o + 2])[0]


def osum(b, s=0):
    if len(b) % 2:
        b = bytes(b) + b"\0"
    s += sum(struct.unpack("!%dH" % (len(b) // 2), bytes(b)))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def l3(f):
    """(ethertype, offset of the L3 header, VLAN tags)."""
    o, tags = 12, []
    et = u16(f, 12) if len(f) >= 14 else 0
    while et in (0x8100, 0x88a8) and len(f) >= o + 6:
        tags.append((et, u16(f, o + 2)))
        o += 4
        et = u16(f, o)
    return et, o + 2, tags


def ip6_upper(f, o):
    """(next header, offset) of the upper layer after IPv6 extension headers."""
    nh, p = f[o + 6], o + 40
    while nh in (0, 43, 60) and len(f) >= p + 8:
        nh, p = f[p], p + (f[p + 1] + 1) * 8
    if nh == 44 and len(f) >= p + 8:
        nh, p = f[p], p + 8
    return nh, p


def check(f):
    """The reply's broken checksums, as a list of names."""
    bad = []
    et, o, _ = l3(f)
    if et == 0x0800 and len(f) >= o + 20 and f[o] >> 4 == 4:
        ihl = (f[o] & 15) * 4
        if osum(f[o:o + ihl]) != 0xffff:
            bad.append("ip-header-checksum")
        tot = u16(f, o + 2)
        if f[o + 9] == 1 and u16(f, o + 6) & 0x3fff == 0 and len(f) >= o + tot:
            msg = f[o + ihl:o + tot]
            # A message of all zeros sums to 0 whatever its checksum: the
            # kernel writes 0x0000 there (so does an RFC 1624 update).
            if osum(msg) != 0xffff and any(msg):
                bad.append("icmp-checksum")
    elif et == 0x86dd and len(f) >= o + 40:
        nh, p = ip6_upper(f, o)
        end = o + 40 + u16(f, o + 4)
        if nh == 58 and len(f) >= end and end - p >= 4:
            ps = osum(bytes(f[o + 8:o + 40]) + struct.pack("!IxxxB", end - p, 58))
            if osum(f[p:end], ps) != 0xffff:
                bad.append("icmpv6-checksum")
    return bad


def normalise(f):
    b = bytearray(f)
    et, o, _ = l3(b)
    if et == 0x0800 and len(b) >= o + 20 and b[o] >> 4 == 4 and (b[o] & 15) >= 5:
        ihl = (b[o] & 15) * 4
        b[o + 4:o + 6] = b"\0\0"        # identification
        b[o + 6] &= ~0x40 & 0xff         # DF
        p = o + 20
        while p < o + ihl:              # the clock in timestamp options
            t = b[p]
            if t == 0:
                break
            if t == 1:
                p += 1
                continue
            n = b[p + 1] if p + 1 < o + ihl else 0
            if n < 2:
                break
            if t == 68 and n >= 4:
                # flag 0: timestamps; 1 and 3: address, timestamp pairs
                first, step = (p + 4, 4) if b[p + 3] & 15 == 0 else (p + 8, 8)
                for q in range(first, min(p + n, o + ihl) - 3, step):
                    b[q:q + 4] = b"\0\0\0\0"
            p += n
        b[o + 10:o + 12] = b"\0\0"
        b[o + 10:o + 12] = struct.pack("!H", ~osum(b[o:o + ihl]) & 0xffff)
        l4 = o + ihl
        if b[o + 9] == 1 and len(b) >= l4 + 20 and b[l4] == 14:  # timestamp reply
            b[l4 + 12:l4 + 20] = bytes(8)
            b[l4 + 2:l4 + 4] = b"\0\0"
    elif et == 0x86dd and len(b) >= o + 4:
        b[o + 1] &= 0xf0                 # flow label
        b[o + 2:o + 4] = b"\0\0"
    return bytes(b)


def solicitation(f):
    """The target if f is an ARP request or a neighbour solicitation."""
    et, o, _ = l3(f)
    if et == 0x0806 and len(f) >= o + 28 and u16(f, o + 6) == 1:
        return ip4(f[o + 24:o + 28])
    if et == 0x86dd and len(f) >= o + 64:
        nh, p = ip6_upper(f, o)
        if nh == 58 and f[p] == 135 and len(f) >= p + 24:
            return ip6(f[p + 8:p + 24])
    return None


def mac(b):
    return ":".join("%02x" % x for x in b)


def ip4(b):
    return ".".join(str(x) for x in b)


def ip6(b):
    import ipaddress
    return str(ipaddress.IPv6Address(bytes(b)))


def data(b):
    if len(b) <= 16:
        return b.hex() or "(none)"
    return "%d bytes %s..." % (len(b), b[:8].hex())


def fields(f):
    """The frame as named fields, for saying where two frames differ."""
    d = {"len": str(len(f)), "eth.dst": mac(f[0:6]), "eth.src": mac(f[6:12])}
    et, o, tags = l3(f)
    d["vlan"] = ",".join("%04x:vid%d:pcp%d%s" % (t, c & 0xfff, c >> 13, ":dei" if c & 0x1000 else "")
                         for t, c in tags) or "none"
    d["ethertype"] = "%04x" % et
    if et == 0x0800 and len(f) >= o + 20:
        ihl = (f[o] & 15) * 4
        fo = u16(f, o + 6)
        d.update({"ip.version/ihl": "%d/%d" % (f[o] >> 4, f[o] & 15), "ip.tos": "%#04x" % f[o + 1],
                  "ip.tot_len": str(u16(f, o + 2)),
                  "ip.flags": "reserved=%d,DF=%d,MF=%d" % (fo >> 15, (fo >> 14) & 1, (fo >> 13) & 1),
                  "ip.frag_off": str(fo & 0x1fff), "ip.ttl": str(f[o + 8]),
                  "ip.proto": str(f[o + 9]), "ip.src": ip4(f[o + 12:o + 16]),
                  "ip.dst": ip4(f[o + 16:o + 20]), "ip.options": f[o + 20:o + ihl].hex() or "none"})
        tot = u16(f, o + 2)
        l4, end = o + ihl, o + tot
        if f[o + 9] == 1 and len(f) >= l4 + 4:
            d.update({"icmp.type": str(f[l4]), "icmp.code": str(f[l4 + 1]),
                      "icmp.checksum": "%04x" % u16(f, l4 + 2),
                      "icmp.rest": f[l4 + 4:l4 + 8].hex(), "icmp.data": data(f[l4 + 8:end])})
        else:
            d["ip.payload"] = data(f[l4:end])
        d["trailer"] = data(f[end:]) if len(f) > end else "none"
    elif et == 0x86dd and len(f) >= o + 40:
        w = struct.unpack("!I", f[o:o + 4])[0]
        d.update({"ip6.version": str(w >> 28), "ip6.tclass": "%#04x" % ((w >> 20) & 0xff),
                  "ip6.plen": str(u16(f, o + 4)), "ip6.nh": str(f[o + 6]),
                  "ip6.hlim": str(f[o + 7]), "ip6.src": ip6(f[o + 8:o + 24]),
                  "ip6.dst": ip6(f[o + 24:o + 40])})
        nh, p = ip6_upper(f, o)
        end = o + 40 + u16(f, o + 4)
        if p > o + 40:
            d["ip6.ext"] = f[o + 40:p].hex()
        if nh == 58 and len(f) >= p + 4:
            d.update({"icmp6.type": str(f[p]), "icmp6.code": str(f[p + 1]),
                      "icmp6.checksum": "%04x" % u16(f, p + 2),
                      "icmp6.rest": f[p + 4:p + 8].hex(), "icmp6.data": data(f[p + 8:end])})
        else:
            d["ip6.payload"] = data(f[p:end])
        d["trailer"] = data(f[end:]) if len(f) > end else "none"
    else:
        d["payload"] = data(f[o:])
    return d


def field_diff(a, b):
    fa, fb = fields(a), fields(b)
    return [(k, fa.get(k, "-"), fb.get(k, "-")) for k in list(fa) + [k for k in fb if k not in fa]
            if fa.get(k) != fb.get(k)]


def load(dirname, mode):
    recs, sums, cnts = {}, [], []
    for path in sorted(glob.glob(os.path.join(dirname, "*.%s.jsonl" % mode))):
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                recs[r["i"]] = r
        base = path[:-len(".jsonl")]
        with open(base + ".sum") as f:
            sums.append(json.load(f))
        if os.path.exists(base + ".cnt"):
            with open(base + ".cnt") as f:
                cnts.append(json.load(f))
    return recs, sums, cnts


def replies(rec):
    return [bytes.fromhex(h) for h in rec.get("r", []) + rec.get("late", [])]


def describe(kr, xr, a, b):
    """The class of a disagreement, and its details."""
    if not kr:
        return "%s: no reply; %s: %d" % (a, b, len(xr)), []
    if not xr:
        return "%s: %d; %s: no reply" % (a, len(kr), b), []
    if len(kr) != len(xr):
        return "%s: %d replies; %s: %d" % (a, len(kr), b, len(xr)), []
    diffs, left = [], list(xr)
    for k in kr:
        best = min(left, key=lambda x: len(field_diff(k, x)))
        left.remove(best)
        d = field_diff(k, best)
        if d:
            diffs += d
    names = sorted(set(n for n, _, _ in diffs)) or ["bytes"]
    return "both reply; differ in " + ", ".join(names), diffs


def main():
    dirname, cases_path, a, b = sys.argv[1:5]
    shown = sys.argv[5] if len(sys.argv) > 5 else dirname  # where the report will be
    ka, sa, ca = load(dirname, a)
    kb, sb, cb = load(dirname, b)
    out = []
    ok = lambda t: out.append("ok\t" + t)  # noqa: E731
    bad = lambda t: out.append("not_ok\t" + t)  # noqa: E731
    diag = lambda t: out.append("diag\t" + t)  # noqa: E731

    per_cat = defaultdict(lambda: [0, 0])
    classes = defaultdict(list)     # (cat, label) -> [(case, diffs)]
    variants = defaultdict(lambda: [0, 0, 0, 0])  # tag -> cases, a replied, b replied, agree
    broken = defaultdict(list)      # (mode, checksum) -> cases
    lost = []
    cases = {}
    order = []
    with open(cases_path) as f:
        for line in f:
            c = json.loads(line)
            i = c["i"]
            if i not in ka or i not in kb:
                continue
            cases[i] = c
            ra, rb = ka[i], kb[i]
            if ra.get("lost") or rb.get("lost"):
                lost.append(i)
                continue
            kr, xr = replies(ra), replies(rb)
            for m, rs in ((a, kr), (b, xr)):
                for r in rs:
                    for what in check(r):
                        broken[(m, what)].append(i)
            nk, nx = sorted(normalise(r) for r in kr), sorted(normalise(r) for r in xr)
            agree = nk == nx
            cat = c["cat"]
            if cat not in per_cat:
                order.append(cat)
            per_cat[cat][0] += 1
            for t in c["tags"]:
                v = variants[t]
                v[0] += 1
                v[1] += bool(kr)
                v[2] += bool(xr)
                v[3] += agree
            if agree:
                per_cat[cat][1] += 1
                continue
            label, diffs = describe(nk, nx, a, b)
            classes[(cat, label)].append((i, diffs))

    # One line per category, the disagreements summed up by class.
    for cat in sorted(per_cat, key=lambda c: (c != "plain", c == "combined", c)):
        n, agreed = per_cat[cat]
        if n == agreed:
            ok("%s: %d cases, %s and %s agree on every one" % (cat, n, a, b))
            continue
        mine = sorted(((lbl, v) for (c, lbl), v in classes.items() if c == cat),
                      key=lambda x: -len(x[1]))
        bad("%s: %s and %s disagree on %d of %d cases (%d classes)" %
            (cat, a, b, n - agreed, n, len(mine)))
        path = os.path.join(dirname, "%s-%s.txt" % (b, cat))
        with open(path, "w") as f:
            for lbl, items in mine:
                tags = Counter(t for i, _ in items for t in cases[i]["tags"])
                top = ", ".join("%s x%d" % kv for kv in tags.most_common(4))
                diag("  %5d x %s  [%s]" % (len(items), lbl, top))
                i, diffs = items[0]
                for k, va, vb in diffs[:4]:
                    diag("          e.g. case %d (%s): %s: %s %s, %s %s" %
                         (i, " ".join(cases[i]["tags"]), k, a, va, b, vb))
                if not diffs:
                    diag("          e.g. case %d (%s)" % (i, " ".join(cases[i]["tags"])))
                f.write("== %d x %s\n" % (len(items), lbl))
                for i, diffs in items[:MAX_EXAMPLES]:
                    f.write("case %d: %s\n" % (i, " ".join(cases[i]["tags"])))
                    for h in cases[i]["f"]:
                        f.write("  request   %s\n" % h)
                    for m, rec in ((a, ka[i]), (b, kb[i])):
                        for r in replies(rec):
                            f.write("  %-9s %s\n" % (m, r.hex()))
                        if not replies(rec):
                            f.write("  %-9s (no reply)\n" % m)
                    for k, va, vb in diffs:
                        f.write("    %s: %s %s, %s %s\n" % (k, a, va, b, vb))
                f.write("\n")
        diag("  details: %s" % os.path.join(shown, os.path.basename(path)))

    with open(os.path.join(dirname, "%s-variants.txt" % b), "w") as f:
        f.write("%-40s %7s %9s %9s %7s\n" % ("what was changed", "cases", a + ">0", b + ">0", "agree"))
        for t in sorted(variants):
            v = variants[t]
            f.write("%-40s %7d %9d %9d %7d\n" % (t, v[0], v[1], v[2], v[3]))

    for m in (a, b):
        bm = {k[1]: v for k, v in broken.items() if k[0] == m}
        if bm:
            bad("every reply from %s has right checksums" % m)
            for what, v in sorted(bm.items()):
                diag("  %d replies with a wrong %s, e.g. case %d" % (len(v), what, v[0]))
        else:
            ok("every reply from %s has right checksums" % m)

    # A kernel that has to resolve a neighbour answers later, or not: each
    # on-link address the generator uses must be a permanent neighbour.
    for m, recs in ((a, ka), (b, kb)):
        sol = Counter(t for r in recs.values() for f in replies(r) for t in [solicitation(f)] if t)
        if sol:
            bad("%s: the DUT never had to resolve a neighbour (ARP, NS)" % m)
            diag("  it solicited %s" % ", ".join("%s x%d" % kv for kv in sol.most_common(8)))
        else:
            ok("%s: the DUT never had to resolve a neighbour (ARP, NS)" % m)

    # The transport: every case's sentinels came back, nothing came late.
    for m, sums in ((a, sa), (b, sb)):
        t = {k: round(sum(s[k] for s in sums), 2) for k in sums[0]} if sums else {}
        desc = ", ".join("%s %s" % (k, t[k]) for k in ("cases", "frames", "retried", "noise",
                                                        "stale_sentinels", "s1_overtaken",
                                                        "seconds") if k in t)
        if t.get("lost") or t.get("late"):
            bad("%s run: every case completed, no reply late (%d lost, %d late)" %
                (m, t.get("lost", 0), t.get("late", 0)))
        else:
            ok("%s run: every case completed, no reply late" % m)
        diag("  %s run: %s" % (m, desc))
        if t.get("send_errors"):
            diag("  %s run: %d cases had a frame the socket refused" % (m, t["send_errors"]))

    # The kernel's own counters: xdpong takes exactly what it answers away
    # from the kernel, and answers every plain request.
    if ca and cb and b == "xdpong":
        ta = {k: sum(c[k] for c in ca) for k in ca[0]}
        tb = {k: sum(c[k] for c in cb) for k in cb[0]}
        echos_a = ta["IcmpInEchos"] + ta["Icmp6InEchos"]
        echos_b = tb["IcmpInEchos"] + tb["Icmp6InEchos"]
        retried = sum(s["retried"] for s in sa + sb)
        what = ("%s: IcmpInEchos+Icmp6InEchos %d = %s: %d + xdpong replied %d" %
                (a, echos_a, b, echos_b, tb["replied"]))
        if retried:
            out.append("skip\t%s (cases were retried: counts can't be exact)" % what)
        elif echos_a == echos_b + tb["replied"]:
            ok(what)
        else:
            bad(what + ": no, %+d" % (echos_b + tb["replied"] - echos_a))
            diag("  (%s: %d + %d IPv4 + IPv6 echos; %s: %d + %d)" %
                 (a, ta["IcmpInEchos"], ta["Icmp6InEchos"], b, tb["IcmpInEchos"], tb["Icmp6InEchos"]))
        plain = sum(s["plain"] + s["sentinels"] for s in sb)
        what = ("xdpong replied (%d) to at least every plain request and sentinel sent (%d)" %
                (tb["replied"], plain))
        (ok if tb["replied"] >= plain else bad)(what)
    print("\n".join(out))


if __name__ == "__main__":
    main()
