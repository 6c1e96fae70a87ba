# SPDX-License-Identifier: GPL-2.0
"""run.py IFACE CASES OUT SUMMARY: send every case's frames to the DUT, and
record every frame that comes back, case by case. (run.py IFACE ready: wait
until the DUT answers on each of its addresses.)

Runs in the generator's namespace, on the generator's side of the veth pair,
through one AF_PACKET socket. After each case's frames come two sentinels,
valid echo requests with identifier topo.SENTINEL_ID and the case's number in
the payload: S1, and once S1's reply is back, S2. Whatever arrives before S2's
reply, sentinels aside, is the case's. Why two: in XDP mode the DUT's veth
flushes its XDP_TX replies at the end of a NAPI poll, before the frames it
passed reach the kernel (GRO's list is flushed last), and the generator's
veth hands frames that came as XDP frames to the stack after those that came
as skbs in the same poll; so in principle S1's reply (xdpong's) can overtake
a reply the kernel makes to the case. S1's reply means the poll that held the
case's frames is over, so S2 goes into a later one and its reply comes after
everything the case caused. It costs a round trip per case (about 50 us):
20 000 cases take 2-3 s. In practice S1 was never overtaken (s1_overtaken in
the summary counts it), and anything arriving before the next case is sent
is recorded as late: both catch a broken assumption.

The socket gets the VLAN tag that the receive path strips back from its
auxdata (PACKET_AUXDATA), so replies are compared as they were on the wire.
"""
import json
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import topo  # noqa: E402

ETH_P_ALL = 3
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6
PACKET_OUTGOING = 4
AUX = struct.Struct("=IIIHHHH")
TIMEOUT = float(os.environ.get("DIFF_TIMEOUT", "1.0"))


def mac(s):
    return bytes.fromhex(s.replace(":", ""))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


ETH_SENT = mac(topo.DUT_MAC) + mac(topo.GEN_MAC) + b"\x08\x00"
SRC4, DST4 = socket.inet_aton(topo.GEN4), socket.inet_aton(topo.DUT4)


def sentinel(idx, which):
    icmp = struct.pack("!BBHHH", 8, 0, 0, topo.SENTINEL_ID, idx & 0xffff) + \
        topo.SENTINEL_MAGIC + struct.pack("!IB", idx, which)
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64, 1, 0, SRC4, DST4)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ETH_SENT + ip + icmp


def probe(i, dst):
    """An echo request from the generator to dst, identifier SENTINEL_ID + 1."""
    pid = topo.SENTINEL_ID + 1
    if ":" not in dst:
        icmp = struct.pack("!BBHHH", 8, 0, 0, pid, i) + b"ready?"
        icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64, 1, 0, SRC4,
                         socket.inet_aton(dst))
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        return ETH_SENT + ip + icmp
    s6 = socket.inet_pton(socket.AF_INET6, topo.GEN6)
    d6 = socket.inet_pton(socket.AF_INET6, dst)
    icmp = struct.pack("!BBHHH", 128, 0, 0, pid, i) + b"ready?"
    c = csum(s6 + d6 + struct.pack("!IxxxB", len(icmp), 58) + icmp)
    icmp = icmp[:2] + struct.pack("!H", c) + icmp[4:]
    ip = struct.pack("!IHBB", 6 << 28, len(icmp), 58, 64) + s6 + d6
    return ETH_SENT[:12] + b"\x86\xdd" + ip + icmp


def ready(port):
    """Until the DUT answers on each of its addresses (IPv6 ones are
    tentative for a while after the link comes up), at most 10 s."""
    dsts = [topo.DUT4, topo.IFB4, topo.DUT6, topo.IFB6, topo.DUT_LL]
    deadline = time.monotonic() + 10
    i = 0
    while dsts and time.monotonic() < deadline:
        for d in dsts:
            port.send(probe(i, d))
        time.sleep(0.05)
        for f in port.frames():
            for d in list(dsts):
                p = probe(i, d)
                # the reply: the request's addresses swapped, type 0 / 129
                if len(f) == len(p) and f[-6:] == b"ready?" and \
                        (f[26:30] == p[30:34] if ":" not in d else f[22:38] == p[38:54]):
                    dsts.remove(d)
        i += 1
    return not dsts


def sentinel_of(f):
    """(case, which) if f is a sentinel's echo reply, else None."""
    if len(f) < 34 or f[12:14] != b"\x08\x00" or f[23] != 1:
        return None
    o = 14 + (f[14] & 15) * 4
    m = topo.SENTINEL_MAGIC
    # A frame cut short of its own header's claims (one the DUT forwards
    # back as it came, say) is not a sentinel.
    if len(f) < o + 13 + len(m):
        return None
    if f[o] != 0 or struct.unpack("!H", f[o + 4:o + 6])[0] != topo.SENTINEL_ID or \
            f[o + 8:o + 8 + len(m)] != m:
        return None
    return struct.unpack("!IB", f[o + 8 + len(m):o + 13 + len(m)])


def noise(f):
    """The DUT's own periodic chatter: IGMP, MLD reports and queries, router
    solicitations. Nothing the generator sends makes the DUT send these."""
    et, o = struct.unpack("!H", f[12:14])[0], 14
    while et in (0x8100, 0x88a8) and len(f) >= o + 4:
        et, o = struct.unpack("!H", f[o + 2:o + 4])[0], o + 4
    if et == 0x0800 and len(f) > o + 9:
        return f[o + 9] == 2
    if et == 0x86dd and len(f) >= o + 40:
        nh, p = f[o + 6], o + 40
        if nh == 0 and len(f) >= p + 2:
            nh, p = f[p], p + (f[p + 1] + 1) * 8
        return nh == 58 and len(f) > p and f[p] in (130, 131, 132, 133, 143)
    return False


class Port:
    def __init__(self, ifname):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE
        s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        s.bind((ifname, ETH_P_ALL))
        s.setblocking(False)
        self.s = s
        self.poll = select.poll()
        self.poll.register(s, select.POLLIN)
        self.noise = 0
        self.stale = 0
        self.anc = socket.CMSG_SPACE(AUX.size)
        self.drain()

    def frames(self):
        """Every frame that came in and is waiting, with its VLAN tag back."""
        out = []
        while True:
            try:
                data, anc, _, addr = self.s.recvmsg(65536, self.anc)
            except BlockingIOError:
                return out
            if addr[2] == PACKET_OUTGOING:
                continue
            for level, kind, d in anc:
                if level == SOL_PACKET and kind == PACKET_AUXDATA and len(d) >= AUX.size:
                    st, _, _, _, _, tci, tpid = AUX.unpack(d[:AUX.size])
                    if st & TP_STATUS_VLAN_VALID:
                        if not st & TP_STATUS_VLAN_TPID_VALID:
                            tpid = 0x8100
                        data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
            if noise(data):
                self.noise += 1
                continue
            out.append(data)

    def drain(self):
        return self.frames()

    def send(self, f):
        try:
            self.s.send(f)
            return None
        except OSError as e:
            return e.strerror

    def until(self, want, got, deadline):
        """Collect frames into got until the sentinel want's reply; False on timeout."""
        while True:
            for f in self.frames():
                s = sentinel_of(f)
                if s is None:
                    got.append(f)
                elif tuple(s) == want:
                    return True
                else:
                    self.stale += 1
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.poll.poll(left * 1000)


def main():
    if sys.argv[2:] == ["ready"]:
        sys.exit(0 if ready(Port(sys.argv[1])) else 1)
    ifname, cases_path, out_path, summary_path = sys.argv[1:5]
    # One CPU: the DUT's kernel takes the frames from one backlog queue, in order.
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    port = Port(ifname)
    t0 = time.monotonic()
    n = sent = plain = sentinels = retried = lost = late = errors = overtaken = 0
    prev = None
    with open(cases_path) as fin, open(out_path, "w") as fout:
        for line in fin:
            case = json.loads(line)
            idx = case["i"]
            frames = [bytes.fromhex(h) for h in case["f"]]
            stray = port.drain()
            stray = [f for f in stray if sentinel_of(f) is None]
            if stray and prev is not None:
                prev["late"] = [f.hex() for f in stray]
                late += len(stray)
            if prev is not None:
                fout.write(json.dumps(prev) + "\n")
            rec = {"i": idx, "a": 0}
            for attempt in range(2):
                rec["a"] = attempt + 1
                got, errs = [], []
                for f in frames:
                    e = port.send(f)
                    if e:
                        errs.append(e)
                sent += len(frames)
                plain += case.get("plain", 0)
                port.send(sentinel(idx, 1))
                ok = port.until((idx, 1), got, time.monotonic() + TIMEOUT)
                if ok:
                    port.send(sentinel(idx, 2))
                    n1 = len(got)
                    ok = port.until((idx, 2), got, time.monotonic() + TIMEOUT)
                    overtaken += len(got) > n1
                    sentinels += 2
                else:
                    sentinels += 1
                if ok:
                    break
                retried += 1
                time.sleep(0.2)
                port.drain()
            else:
                lost += 1
                rec["lost"] = True
            if errs:
                rec["err"] = sorted(set(errs))
                errors += 1
            rec["r"] = [f.hex() for f in got]
            prev = rec
            n += 1
        time.sleep(0.05)
        stray = [f for f in port.drain() if sentinel_of(f) is None]
        if prev is not None:
            if stray:
                prev["late"] = [f.hex() for f in stray]
                late += len(stray)
            fout.write(json.dumps(prev) + "\n")
    summary = {"cases": n, "frames": sent, "plain": plain, "sentinels": sentinels,
               "retried": retried, "lost": lost, "late": late, "send_errors": errors,
               "noise": port.noise, "stale_sentinels": port.stale,
               "s1_overtaken": overtaken,
               "seconds": round(time.monotonic() - t0, 2)}
    with open(summary_path, "w") as f:
        json.dump(summary, f)


if __name__ == "__main__":
    main()
