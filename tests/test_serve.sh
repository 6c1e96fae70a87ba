#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_serve.sh: the Prometheus endpoint, scraped, checked by promtool and
# parsed by the Prometheus project's own Python parser; its answer to every
# method; and its limits: idle, slow and many connections, and a scrape every
# 10 ms. Clients connect from the CLI namespace over the veth, or from the DUT
# namespace to its own address; every loop is bounded.
. "$(dirname "$0")/lib.sh"

setup_net
PORT=$((20000 + ID % 20000))
URL=http://$DUT4:$PORT
PY=/usr/bin/python3
TIMEOUT=2 # serve --timeout

# The HTTP clients. Each stops by itself.
cat >"$TMP/clients.py" <<'PY'
import http.client, os, resource, select, socket, sys, time, urllib.error, urllib.request

def scrape(url):
    """The samples, as the Prometheus Python parser reads them."""
    from prometheus_client.parser import text_string_to_metric_families
    try:
        body = urllib.request.urlopen(url, timeout=5).read().decode()
    except urllib.error.HTTPError as e:
        print("HTTP", e.code)
        return
    for fam in text_string_to_metric_families(body):
        for s in fam.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            print(f"{s.name}{{{labels}}} {int(s.value)}")

def fetch(url, out):
    """The body, byte for byte."""
    with open(out, "wb") as f:
        f.write(urllib.request.urlopen(url, timeout=5).read())

def request(method, host, port, path, body=None):
    """Status, headers and body length of one request."""
    c = http.client.HTTPConnection(host, int(port), timeout=5)
    c.request(method, path, body=body.encode() if body else None)
    r = c.getresponse()
    data = r.read()
    print("status", r.status)
    for k, v in r.getheaders():
        print(f"{k}: {v}")
    print("body-bytes", len(data))

def burst(url, n, gap, timeout):
    """n scrapes, gap seconds apart, each within timeout seconds."""
    ok, slowest = 0, 0.0
    for _ in range(int(n)):
        t = time.monotonic()
        try:
            body = urllib.request.urlopen(url, timeout=float(timeout)).read()
            ok += body.endswith(b"\n") and b"xdpong_up{" in body
        except OSError as e:
            print("failed:", e)
        slowest = max(slowest, time.monotonic() - t)
        time.sleep(float(gap))
    print(f"{ok} of {n} scrapes, the slowest in {slowest * 1000:.0f} ms")

def still_open(socks):
    """How many the server has not closed (no EOF, no reset)."""
    n = 0
    for s in socks:
        p = select.poll()
        p.register(s, select.POLLIN)
        if not p.poll(0):
            n += 1
            continue
        try:
            n += s.recv(1, socket.MSG_PEEK) != b""
        except OSError:
            pass
    return n

def flood(host, port, n, hold):
    """n idle connections; how many the server keeps, then after hold s."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, int(n) + 64), hard))
    socks = []
    for _ in range(int(n)):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect((host, int(port)))
            socks.append(s)
        except OSError:
            s.close()
    print("connected", len(socks), flush=True)
    time.sleep(0.5)
    print("kept", still_open(socks), flush=True)
    time.sleep(float(hold))
    print("kept later", still_open(socks), flush=True)

def slowloris(host, port, gap, limit):
    """A request that never ends, a few bytes every gap s, for limit s at most."""
    s = socket.create_connection((host, int(port)), timeout=5)
    t0 = time.monotonic()
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    while time.monotonic() - t0 < float(limit):
        try:
            s.sendall(b"X-Slow: y\r\n")
            s.settimeout(float(gap))
            if s.recv(1) == b"":
                break
        except socket.timeout:
            continue
        except OSError:
            break
    else:
        print(f"still connected after {limit} s")
        return
    print(f"cut off after {time.monotonic() - t0:.1f} s")

def watch_file(path, seconds):
    """Read path over and over for seconds: reads, versions (inode and mtime:
    one per write), the inodes among them, partial or missing reads."""
    from prometheus_client.parser import text_string_to_metric_families
    reads, versions, partial, last = 0, set(), 0, None
    t0 = time.monotonic()
    while time.monotonic() - t0 < float(seconds):
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                versions.add((st.st_ino, st.st_mtime_ns))
                data = f.read()
        except FileNotFoundError:
            partial += 1
            continue
        reads += 1
        lines = data.decode().splitlines()
        key = lines[-1].rsplit(" ", 1)[0] if lines else ""
        last = last or key
        try:
            list(text_string_to_metric_families(data.decode()))
        except Exception:
            partial += 1
            continue
        partial += not data.endswith(b"\n") or key != last
    inodes = len({ino for ino, _ in versions})
    print(f"{reads} reads, {len(versions)} versions in {inodes} inodes, {partial} partial or missing")

globals()[sys.argv[1]](*sys.argv[2:])
PY
cli_http() { cli "$PY" "$TMP/clients.py" "$@"; }
dut_http() { dut "$PY" "$TMP/clients.py" "$@"; }

check_exit "serve --listen garbage" 2 "not ADDR:PORT" xdpong serve --listen nowhere
check_exit "serve takes no interface" 2 "unexpected argument" xdpong serve "$DEV_DUT"
check_exit "serve --timeout 0" 2 "at least 1 second" xdpong serve --timeout 0
check_exit "serve --interval without --textfile" 2 "give --textfile" xdpong serve --interval 1
check_exit "serve --textfile to no directory" 2 "not a directory" xdpong serve --textfile "$TMP/none"
check "attach" xdpong attach "$DEV_DUT"
# Interface names that need escaping: a quote and a backslash, and a byte that
# isn't UTF-8 (both legal in Linux). veth pairs inside the DUT namespace.
ODD1='q"'$ID'\' ODD2=$'q\xff'$ID
check "an interface named $ODD1" dut ip link add "$ODD1" type veth peer name xpo$ID
check "an interface named q<0xff>$ID" dut ip link add "$ODD2" type veth peer name xpp$ID
for d in "$ODD1" "$ODD2" xpo$ID xpp$ID; do dut ip link set "$d" up; done
check "attach to $ODD1 (skb)" xdpong attach --mode skb "$ODD1"
check "attach to q<0xff>$ID (skb)" xdpong attach --mode skb "$ODD2"
check_exit "pings, answered" 0 " 7 received" cli ping -c 7 -i 0.01 -W 2 "$DUT4"

# Reported MTUs: the CLI namespace routes 198.18.9.0/24 over a 1400-byte link
# and 2001:2:9::/64 over a 1280-byte one (veth pairs of its own), and its
# kernel answers the DUT's bigger packets with frag-needed / packet-too-big.
cli sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.icmp_ratelimit=0 \
	net.ipv6.icmp.ratelimit=0 net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000
check "a 1400-byte and a 1280-byte link behind the CLI" eval '
	cli ip link add xpm$ID mtu 1400 type veth peer name xpn$ID mtu 1400 &&
	cli ip link add xpr$ID mtu 1280 type veth peer name xps$ID mtu 1280 &&
	for d in xpm$ID xpn$ID xpr$ID xps$ID; do cli ip link set $d up || exit 1; done &&
	cli ip route add 198.18.9.0/24 dev xpm$ID && cli ip -6 route add 2001:2:9::/64 dev xpr$ID &&
	dut ip route add 198.18.9.0/24 via $CLI4 && dut ip -6 route add 2001:2:9::/64 via $CLI6'
V4_ERRS=$(counter "$CLI" IcmpOutDestUnreachs) V6_ERRS=$(counter "$CLI" Icmp6OutPktTooBigs)
for n in 1 2 3; do # a new destination each time: the DUT caches the path MTU
	dut ping -c 1 -M do -s 1472 -W 1 198.18.9.$n >/dev/null 2>&1
	dut ping -6 -c 1 -M do -s 1400 -W 1 2001:2:9::$n >/dev/null 2>&1
done
V4_ERRS=$(($(counter "$CLI" IcmpOutDestUnreachs) - V4_ERRS))
V6_ERRS=$(($(counter "$CLI" Icmp6OutPktTooBigs) - V6_ERRS))
is "the CLI's kernel sent 3 frag-needed and 3 packet-too-big" "$V4_ERRS $V6_ERRS" "3 3"
check_exit "... reporting MTU 1400 (the DUT's kernel learnt it)" 0 "mtu 1400" dut ip route get 198.18.9.1
check_exit "... and 1280" 0 "mtu 1280" dut ip -6 route get 2001:2:9::1

ip netns exec "$DUT" "$XDPONG" serve --listen "$DUT4:$PORT" --timeout $TIMEOUT >"$TMP/serve" 2>&1 &
SERVE=$!
for _ in $(seq 50); do grep -q "^serving" "$TMP/serve" && break; sleep 0.1; done

# ---- The exposition ----
check "scrape" cli_http fetch "$URL/metrics" "$TMP/raw"
# The Prometheus project's own linter is the referee: the format, and the
# naming conventions (counters end in _total, base units, snake_case, HELP).
check "promtool check metrics: no error, no lint" promtool check metrics <"$TMP/raw"
cli_http scrape "$URL/metrics" >"$TMP/metrics"
is "the exposition parses, with samples" "$([ -s "$TMP/metrics" ] && echo yes)" yes
is "xdpong_up for the interface" "$(grep -c "^xdpong_up{ifname=$DEV_DUT} 1" "$TMP/metrics")" 1
is "replied, as counted by stats" \
	"$(grep "^xdpong_reason_packets_total{ifname=$DEV_DUT,reason=replied}" "$TMP/metrics" | awk '{print $2}')" \
	"$(stat .reasons.replied)"
is "tx packets: the 7 pings" \
	"$(grep "^xdpong_packets_total{action=tx,ifname=$DEV_DUT}" "$TMP/metrics" | awk '{print $2}')" 7
is "echo requests by name" \
	"$(grep "^xdpong_messages_total{code=0,family=icmp,ifname=$DEV_DUT,name=echo-request,type=8}" "$TMP/metrics" | awk '{print $2}')" 7
is "a quote and a backslash, escaped" \
	"$(grep -cF "xdpong_up{ifname=$ODD1} 1" "$TMP/metrics")" 1
is "a byte that isn't UTF-8, written as \\xff" \
	"$(grep -cF "xdpong_up{ifname=q\\xff$ID} 1" "$TMP/metrics")" 1
is "xdpong_build_info: version, libraries (as built), kernel" \
	"$(grep '^xdpong_build_info{' "$TMP/metrics")" \
	"xdpong_build_info{kernel=$(dut uname -r),libbpf=$(pkg-config --modversion libbpf),libxdp=$(pkg-config --modversion libxdp),version=$("$XDPONG" --version | awk '{print $2}')} 1"
xdpong status --json "$DEV_DUT" >"$TMP/status"
is "xdpong_attach_info: mode, program id, dispatcher or alone, as status says" \
	"$(grep "^xdpong_attach_info{.*ifname=$DEV_DUT," "$TMP/metrics")" \
	"xdpong_attach_info{attachment=$(jq -r '.interfaces[0] | if .dispatcher_id then "dispatcher" else "alone" end' "$TMP/status"),ifname=$DEV_DUT,mode=native,prog_id=$(jq .interfaces[0].prog_id "$TMP/status")} 1"
is "xdpong_attach_info: skb mode" "$(grep -cF "ifname=$ODD1,mode=skb," "$TMP/metrics")" 1

# The reported MTUs: a histogram, cumulative, le the bucket's last MTU.
mtu() { grep "^xdpong_reported_mtu_bytes_$1{family=$2,ifname=$DEV_DUT${3:-}}" "$TMP/metrics" | awk '{print $2}'; }
is "MTU histogram, IPv4: nothing up to 1399, the 3 errors by 1479, and in all" \
	"$(mtu bucket icmp ,le=1399) $(mtu bucket icmp ,le=1479) $(mtu bucket icmp ,le=+Inf) $(mtu count icmp)" \
	"0 $V4_ERRS $V4_ERRS $V4_ERRS"
is "MTU histogram, IPv6: nothing up to 1279, the 3 errors by 1399, and in all" \
	"$(mtu bucket icmpv6 ,le=1279) $(mtu bucket icmpv6 ,le=1399) $(mtu bucket icmpv6 ,le=+Inf) $(mtu count icmpv6)" \
	"0 $V6_ERRS $V6_ERRS $V6_ERRS"
is "... with every bucket: le=67 575 1279 1399 1479 1499 1500 8999 +Inf" \
	"$(grep "^xdpong_reported_mtu_bytes_bucket{family=icmp,ifname=$DEV_DUT," "$TMP/metrics" | sed 's/.*le=\([^}]*\)}.*/\1/' | xargs)" \
	"67 575 1279 1399 1479 1499 1500 8999 +Inf"
if grep -q '^xdpong_reported_mtu_bytes_sum' "$TMP/metrics"; then
	is "MTU histogram _sum: the MTUs added up" "$(mtu sum icmp) $(mtu sum icmpv6)" \
		"$((1400 * V4_ERRS)) $((1280 * V6_ERRS))"
else
	not_ok "MTU histogram _sum: missing from the scrape"
fi

# ---- Ping telemetry, written into the maps by hand ----
# Until the BPF side fills them for real (tests/test_rtt*.sh), known values
# written with bpftool into the maps of an xdpong on an interface of its own
# (xpt: nothing the DUT sends goes out there to change them) are what serve,
# pingers and watch must show. telemetry.py holds the data and, for the
# checks, puts the round trips into buckets by the rule include/xdpong.h
# states, apart from the C code.
cat >"$TMP/telemetry.py" <<'PY'
# Ping telemetry written into an attached xdpong's maps by hand (bpftool),
# and what a reader must then show. The layouts are include/xdpong.h's; the
# round trips are given in ns and put into their buckets here, by the
# log-linear rule the header states, independently of the C code.
import ipaddress, json, struct, subprocess, sys

NBUCKETS = 2 + ((36 - 10) << 2)

def bucket(ns):
    if ns < 1 << 10:
        return 0
    if ns >= 1 << 36:
        return NBUCKETS - 1
    e = ns.bit_length() - 1
    return 1 + ((e - 10) << 2) + ((ns >> (e - 2)) & 3)

def ncpu():
    n = 0
    for part in open("/sys/devices/system/cpu/possible").read().strip().split(","):
        lo, _, hi = part.partition("-")
        n += int(hi or lo) - int(lo) + 1
    return n

def bpftool(*args):
    out = subprocess.run(["bpftool", "-j", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else None

def maps_of(prog_id):
    ids = bpftool("prog", "show", "id", str(prog_id))["map_ids"]
    return {bpftool("map", "show", "id", str(m))["name"]: m for m in ids}

def hexbytes(b):
    return [f"0x{x:02x}" for x in b]

def update(map_id, key, value):
    subprocess.run(["bpftool", "map", "update", "id", str(map_id), "key", "hex",
                    *[f"{x:02x}" for x in key], "value", "hex", *[f"{x:02x}" for x in value]],
                   check=True)

def addr16(s):
    a = ipaddress.ip_address(s)
    return (b"\0" * 10 + b"\xff\xff" + a.packed) if a.version == 4 else a.packed

def stats(trips, sent, lost, late=0, dup=0, untracked=0, unmatched=0):
    b = [0] * NBUCKETS
    for t in trips:
        b[bucket(t)] += 1
    return struct.pack(f"={10 + NBUCKETS}Q", sent, len(trips), lost, late, dup, untracked,
                       unmatched, sum(trips), min(trips, default=0), max(trips, default=0), *b)

# The data: each family's total, three prefix rows, four pinger flows.
US, MS = 1000, 1000000
TOTAL = {
    4: dict(trips=[700, 50 * US, 80 * US, 80 * US, 20 * MS, 30 * MS, 30 * MS, 900 * MS, 70 * 10**9],
            sent=23, lost=7, late=2, dup=3, untracked=5, unmatched=11),
    6: dict(trips=[5 * US, 45 * MS, 46 * MS], sent=13, lost=4, late=1, dup=0, untracked=0, unmatched=2),
}
PREFIXES = [  # family, prefix, len, trips, sent, lost
    (4, "198.18.5.0", 24, [1 * MS, 2 * MS], 10, 1),
    (4, "198.18.6.0", 24, [3 * MS, 3 * MS, 40 * MS], 30, 2),
    (6, "2001:2:7::", 48, [45 * MS], 20, 3),
]
FLOWS = [  # family, source, id, first_ns, last_ns, requests, bytes, gaps, reordered, dups, timestamped, jitter_ns, odd, max_seq, last_len
    (4, "198.18.0.2", 1, 10**9, 11 * 10**9, 101, 6464, 4, 1, 0, 101, 200 * US, 0, 105, 56),
    (4, "198.18.0.2", 2, 5 * 10**9, 7 * 10**9, 21, 1344, 0, 0, 1, 0, 0, 0, 21, 56),
    (4, "198.18.0.77", 9, 10**9, 2 * 10**9, 11, 15000, 1, 2, 0, 11, 100 * US, 11, 12, 1400),
    (6, "2001:2::2", 3, 2 * 10**9, 4 * 10**9, 5, 320, 0, 0, 0, 5, 50 * US, 0, 5, 56),
]
RTT_FLAG, PINGERS_FLAG = 1 << 6, 1 << 7

def write(prog_id):
    m = maps_of(prog_id)
    cfg = bytes(int(x, 16) for x in bpftool("map", "lookup", "id", str(m["xdpong_config"]),
                                              "key", "0", "0", "0", "0")["value"])
    flags = struct.unpack_from("=I", cfg, 8)[0] | RTT_FLAG | PINGERS_FLAG
    update(m["xdpong_config"], b"\0" * 4, cfg[:8] + struct.pack("=I", flags) + cfg[12:])
    for fam, t in TOTAL.items():
        update(m["xdpong_rtt_tot"], struct.pack("=I", fam == 6), stats(**t))
    for fam, pfx, plen, trips, sent, lost in PREFIXES:
        update(m["xdpong_rtt_pfx"], struct.pack("=BBH", fam, plen, 0) + addr16(pfx),
               stats(trips, sent, lost))
    for fam, src, fid, *v in FLOWS:
        update(m["xdpong_pingers"], struct.pack("=BB", fam, 0) + struct.pack(">H", fid) + addr16(src),
               struct.pack("=9QqQHHI", *v[:8], v[8], 0, v[9], v[10], v[11], 0))


def scrape(url):
    import urllib.request
    from prometheus_client.parser import text_string_to_metric_families
    body = urllib.request.urlopen(url, timeout=5).read().decode()
    return [s for fam in text_string_to_metric_families(body) for s in fam.samples]

def say(desc, got, wanted):
    print(f"{desc}|{got}|{wanted}")

def check(url, ifname, prefixes="0"):
    """What serve must show of the data written: desc|got|wanted lines."""
    n = ncpu()
    samples = [s for s in scrape(url) if s.labels.get("ifname") == ifname]
    def get(name, **labels):
        return [int(s.value) if s.value == int(s.value) else s.value for s in samples if s.name == name and
                all(s.labels.get(k) == v for k, v in labels.items())]
    for fam, label in ((4, "icmp"), (6, "icmpv6")):
        trips = TOTAL[fam]["trips"]
        hist = sorted(((float(s.labels["le"]), s.value) for s in samples
                       if s.name == "xdpong_echo_rtt_seconds_bucket" and s.labels["family"] == label))
        les = [le for le, _ in hist]
        say(f"{label}: 97 edges and +Inf, 4.096 us to 68.719476736 s",
            (len(hist), les[0] if les else None, les[-2] if les else None), (98, 4.096e-06, 68.719476736))
        say(f"{label}: the edges are the BPF buckets' lower bounds (in seconds)",
            [round(le * 1e9) for le in les[:-1]],
            [(1 << e) + (s << (e - 2)) for e in range(12, 36) for s in range(4)] + [1 << 36])
        say(f"{label}: cumulative counts never fall", all(a[1] <= b[1] for a, b in zip(hist, hist[1:])), True)
        bad = [(le, v) for le, v in hist[:-1] if v != n * sum(t < le * 1e9 for t in trips)]
        say(f"{label}: each bucket counts the trips below its edge ({n} CPUs)", bad, [])
        say(f"{label}: +Inf == _count == the trips", (int(hist[-1][1]) if hist else None,
            get("xdpong_echo_rtt_seconds_count", family=label)), (n * len(trips), [n * len(trips)]))
        s = get("xdpong_echo_rtt_seconds_sum", family=label)
        say(f"{label}: _sum, the trips added up", [round(v * 1e9) for v in s], [n * sum(trips)])
        t = TOTAL[fam]
        for metric, key in (("requests_timed", "sent"), ("lost", "lost"), ("late_replies", "late"),
                            ("duplicate_replies", "dup"), ("unmatched_replies", "unmatched"),
                            ("untracked", "untracked")):
            say(f"{label}: xdpong_echo_{metric}_total", get(f"xdpong_echo_{metric}_total", family=label),
                [n * t[key]])
    want = sorted(PREFIXES, key=lambda p: -p[4])[:int(prefixes)]
    got = sorted({(s.labels["family"], s.labels["prefix"]) for s in samples if "prefix" in s.labels})
    say(f"prefix series: the {prefixes} busiest", got,
        sorted((("icmp", "icmpv6")[f == 6], f"{p}/{l}") for f, p, l, *_ in want))
    for f, p, l, trips, sent, lost in want:
        pfx = f"{p}/{l}"
        say(f"{pfx}: sent, lost, round trips", (get("xdpong_echo_prefix_requests_timed_total", prefix=pfx),
            get("xdpong_echo_prefix_lost_total", prefix=pfx), get("xdpong_echo_rtt_prefix_seconds_count", prefix=pfx),
            [round(v * 1e9) for v in get("xdpong_echo_rtt_prefix_seconds_sum", prefix=pfx)]),
            ([n * sent], [n * lost], [n * len(trips)], [n * sum(trips)]))
    for fam, label in ((4, "icmp"), (6, "icmpv6")):
        flows = [f for f in FLOWS if f[0] == fam]
        say(f"{label} pingers: flows, requests, gaps, reordered, odd payloads",
            [get(f"xdpong_pingers_{m}", family=label) for m in ("flows", "requests", "gaps", "reordered", "odd_payloads")],
            [[len(flows)], [sum(f[5] for f in flows)], [sum(f[7] for f in flows)], [sum(f[8] for f in flows)],
             [sum(f[12] for f in flows)]])

if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
PY
tele() { "$PY" "$TMP/telemetry.py" "$@"; }
# Each line of telemetry.py check: desc|got|wanted.
tele_checks() {
	local desc got wanted
	while IFS='|' read -r desc got wanted; do is "$desc" "$got" "$wanted"; done
}
TI=xpt$ID
check "an interface of its own for the telemetry" eval "dut ip link add $TI type veth peer name xpu$ID &&
	dut ip link set $TI up && dut ip link set xpu$ID up"
check "attach to it" xdpong attach "$TI"
TPROG=$(xdpong status --json "$TI" | jq '.interfaces[0].prog_id')
if ! tele maps_of "$TPROG" >/dev/null 2>&1 || ! "$PY" -c "
import sys; sys.path.insert(0, '$TMP'); import telemetry
m = telemetry.maps_of($TPROG); sys.exit(not {'xdpong_rtt_tot', 'xdpong_rtt_pfx', 'xdpong_pingers'} <= set(m))"; then
	skip "ping telemetry: the program has no telemetry maps (the BPF side is not in this build)"
else
	check_exit "pingers before --pingers: says how to turn them on" 0 "attach with --pingers" \
		xdpong pingers "$TI"
	is "... and in JSON: enabled false, no source" "$(xdpong pingers --json "$TI" | jq -c '[.enabled, .sources]')" \
		"[false,[]]"
	check_exit "pingers --top x: exit 2" 2 "not a whole number" xdpong pingers --top x "$TI"
	check_exit "pingers --prefix-v6 129: exit 2" 2 "from 0 to 128" xdpong pingers --prefix-v6 129 "$TI"
	check_exit "serve --rtt-prefix-metrics x: exit 2" 2 "not a whole number" xdpong serve --rtt-prefix-metrics x
	# watch reads before and after the write: its frames show the deltas.
	ip netns exec "$DUT" "$XDPONG" watch --interval 1.5 --count 3 "$TI" >"$TMP/watch" 2>&1 &
	WATCH=$!
	sleep 0.3
	check "write the telemetry (bpftool)" tele write "$TPROG"
	wait $WATCH
	dut "$PY" "$TMP/telemetry.py" check "$URL/metrics" "$TI" 0 >"$TMP/tele" 2>&1 || diag <"$TMP/tele"
	tele_checks <"$TMP/tele"
	# The busiest prefixes, opted in.
	ip netns exec "$DUT" "$XDPONG" serve --listen "127.0.0.1:$((PORT + 2))" --rtt-prefix-metrics 2 \
		>"$TMP/serve-p" 2>&1 &
	SERVE_P=$!
	for _ in $(seq 50); do grep -q "^serving" "$TMP/serve-p" && break; sleep 0.1; done
	dut_http fetch "http://127.0.0.1:$((PORT + 2))/metrics" "$TMP/raw-p"
	check "serve --rtt-prefix-metrics 2: promtool check metrics" promtool check metrics <"$TMP/raw-p"
	ip netns exec "$DUT" "$PY" "$TMP/telemetry.py" check "http://127.0.0.1:$((PORT + 2))/metrics" "$TI" 2 \
		>"$TMP/tele-p" 2>&1 || diag <"$TMP/tele-p"
	tele_checks < <(grep -E '^(prefix series|[0-9a-f:.]+/[0-9]+:)' "$TMP/tele-p")
	kill $SERVE_P; wait $SERVE_P 2>/dev/null

	# pingers: by /32 and /64, then /24; rate = (requests - flows) / span.
	xdpong pingers --json "$TI" >"$TMP/pingers.json"
	is "pingers: busiest first, by /32 and /64" \
		"$(jq -c '[.enabled, [.sources[] | [.prefix, .flows, .requests, .gaps, .reordered, .duplicates, .odd_payload, .last_len]]]' "$TMP/pingers.json")" \
		'[true,[["198.18.0.2/32",2,122,4,1,1,0,56],["198.18.0.77/32",1,11,1,2,0,11,1400],["2001:2::/64",1,5,0,0,0,0,56]]]'
	is "... the rate over the flows' span: (122 - 2) / 10 s, 10 / 1 s, 4 / 2 s" \
		"$(jq -c '[.sources[].rate]' "$TMP/pingers.json")" "[12,10,2]"
	is "... jitter: the flows' mean weighted by timestamped requests" \
		"$(jq -c '[.sources[] | .jitter_s * 1e6 | round]' "$TMP/pingers.json")" "[200,100,50]"
	is "pingers --prefix-v4 24 --top 1: the /24 alone" \
		"$(xdpong pingers --json --prefix-v4 24 --top 1 "$TI" | jq -c '[.sources[] | [.prefix, .flows, .requests, (.jitter_s * 1e9 | round)]]')" \
		"[[\"198.18.0.0/24\",3,133,$(( (200000 * 101 + 100000 * 11) / 112 ))]]"
	check_exit "pingers, the table: the rows, with loss on the way in" 0 \
		"198\.18\.0\.2/32 +2 +122 +12\.0 +4 \(3\.2%\)" xdpong pingers "$TI"

	# watch: a frame with the written round trips as the interval's.
	V4=$(grep -E '^  all \(IPv4\) ' "$TMP/watch" | grep -v ' - ' | head -1)
	is "watch: IPv4's trips in one frame, p50 in the median's bucket [16.78, 20.97) ms" \
		"$(echo "$V4" | awk '{ print ($4 >= 16.777 && $4 < 20.972) }')" 1
	is "... and its loss: 7 of 23" "$(echo "$V4" | awk '{ print $NF }')" "30.4%"
	is "... the busiest prefix of that frame first" \
		"$(grep -A3 -E '^  all \(IPv6\) ' "$TMP/watch" | grep -v ' - ' | grep -m1 -oE '^  [0-9a-f:.]+/[0-9]+')" \
		"  198.18.6.0/24"
	is "... and a frame with no trip since: p50 -" \
		"$(grep -E '^  all \(IPv4\) ' "$TMP/watch" | tail -1 | awk '{ print $4 }')" "-"
fi
check "detach it" xdpong detach "$TI"

# ---- Stand-ins for the kernel's ICMP MIB ----
# For each family, what the kernel counted plus what xdpong counts in its
# stead must be what ping sent and got back: answered, and dropped over a
# rate limit (set --rate 1 --over-limit drop).
MIB="IcmpInMsgs IcmpInEchos IcmpOutMsgs IcmpOutEchoReps Icmp6InMsgs Icmp6InEchos Icmp6OutMsgs Icmp6OutEchoReplies"
standin() { # the xdpong_netstat_* name for a kernel counter name
	echo "$1" | sed -E 's/^Icmp6/icmp6_/; s/^Icmp/icmp_/; s/([a-z])([A-Z])/\1_\2/g' |
		tr 'A-Z' 'a-z' | sed 's/^/xdpong_netstat_/; s/$/_total/'
}
mib() { # kernel counter, then its stand-in, for each of $MIB
	local c
	cli_http scrape "$URL/metrics" >"$TMP/mib"
	for c in $MIB; do
		echo "$c $(counter "$DUT" "$c") $(grep "^$(standin "$c"){ifname=$DEV_DUT} " "$TMP/mib" | awk '{print $2}')"
	done
}
if grep -q "^xdpong_netstat_icmp_in_echos_total{ifname=$DEV_DUT}" "$TMP/metrics"; then
	# The neighbours the DUT's kernel has met since attach (the client
	# had the DUT's addresses resolved already, and asked nothing that
	# xdpong could learn from): a request to a next hop xdpong doesn't
	# know is the kernel's (no-neighbour), and this test is about xdpong's.
	xdpong sync "$DEV_DUT" >/dev/null
	mib >"$TMP/mib0"
	cli ping -c 20 -i 0.01 -W 2 "$DUT4" >"$TMP/p4"
	cli ping -6 -c 20 -i 0.01 -W 2 "$DUT6" >"$TMP/p6"
	xdpong set --rate 1 --burst 1 --over-limit drop "$DEV_DUT" >/dev/null
	cli ping -c 10 -i 0.01 -W 1 "$DUT4" >>"$TMP/p4"
	cli ping -6 -c 10 -i 0.01 -W 1 "$DUT6" >>"$TMP/p6"
	xdpong set --rate 0 --over-limit pass "$DEV_DUT" >/dev/null
	mib >"$TMP/mib1"
	sent() { awk '/transmitted/ { n += $1 } END { print n }' "$1"; }
	got() { awk '/transmitted/ { n += $4 } END { print n }' "$1"; }
	delta() { # kernel+stand-in, kernel alone, stand-in alone, of counter $1
		join "$TMP/mib0" "$TMP/mib1" |
			awk -v c="$1" '$1 == c { print ($4 - $2) + ($5 - $3), $4 - $2, $5 - $3 }'
	}
	is "ICMP: InEchos, the kernel's plus xdpong's = the requests ping sent" \
		"$(delta IcmpInEchos | cut -d' ' -f1)" "$(sent "$TMP/p4")"
	is "ICMP: OutEchoReps, the kernel's plus xdpong's = the replies ping got" \
		"$(delta IcmpOutEchoReps | cut -d' ' -f1)" "$(got "$TMP/p4")"
	is "ICMPv6: InEchos, the kernel's plus xdpong's = the requests ping sent" \
		"$(delta Icmp6InEchos | cut -d' ' -f1)" "$(sent "$TMP/p6")"
	is "ICMPv6: OutEchoReplies, the kernel's plus xdpong's = the replies ping got" \
		"$(delta Icmp6OutEchoReplies | cut -d' ' -f1)" "$(got "$TMP/p6")"
	is "... some dropped over the limit, so the test means something" \
		"$(($(sent "$TMP/p4") > $(got "$TMP/p4") && $(sent "$TMP/p6") > $(got "$TMP/p6")))" 1
	is "... of which the kernel counted none: xdpong took them all" \
		"$(for c in IcmpInEchos IcmpOutEchoReps Icmp6InEchos Icmp6OutEchoReplies; do delta $c | cut -d' ' -f2; done | xargs)" \
		"0 0 0 0"
	is "InMsgs and OutMsgs stand-ins: the same echoes (every message xdpong takes is one)" \
		"$(for c in IcmpInMsgs IcmpOutMsgs Icmp6InMsgs Icmp6OutMsgs; do delta $c | cut -d' ' -f3; done | xargs)" \
		"$(for c in IcmpInEchos IcmpOutEchoReps Icmp6InEchos Icmp6OutEchoReplies; do delta $c | cut -d' ' -f3; done | xargs)"
else
	not_ok "kernel-MIB stand-ins: missing from the scrape"
fi

# The PromQL the README gives, as recording rules, judged by Prometheus' own
# engine on made-up series: h1 with both (the kernel 1/s, xdpong 2/s on eth0
# and 1/s on eth1, whose counter resets at a reattach), h2 without xdpong
# (5/s), and an IPv6 host with serve --textfile (both through node_exporter:
# one instance).
RULES=$(cd "$(dirname "$0")/.." && pwd)/docs/xdpong-netstat.rules.yml
cat >"$TMP/rules-test.yml" <<EOF
rule_files: [ "$RULES" ]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'node_netstat_Icmp_InEchos{instance="h1:9100",job="node"}'
        values: '0+60x10'
      - series: 'xdpong_netstat_icmp_in_echos_total{instance="h1:17798",job="xdpong",ifname="eth0"}'
        values: '0+120x10'
      - series: 'xdpong_netstat_icmp_in_echos_total{instance="h1:17798",job="xdpong",ifname="eth1"}'
        values: '0+60x4 0+60x5'
      - series: 'node_netstat_Icmp_InEchos{instance="h2:9100",job="node"}'
        values: '0+300x10'
      - series: 'node_netstat_Icmp6_OutEchoReplies{instance="[2001:2::3]:9100",job="node"}'
        values: '0+60x10'
      - series: 'xdpong_netstat_icmp6_out_echo_replies_total{instance="[2001:2::3]:9100",job="node",ifname="eth0"}'
        values: '0+600x10'
    promql_expr_test:
      - expr: host:node_netstat_Icmp_InEchos:rate5m
        eval_time: 10m
        exp_samples:
          - labels: 'host:node_netstat_Icmp_InEchos:rate5m{host="h1"}'
            value: 4
          - labels: 'host:node_netstat_Icmp_InEchos:rate5m{host="h2"}'
            value: 5
      - expr: host:node_netstat_Icmp6_OutEchoReplies:rate5m
        eval_time: 10m
        exp_samples:
          - labels: 'host:node_netstat_Icmp6_OutEchoReplies:rate5m{host="[2001:2::3]"}'
            value: 11
EOF
check "the README's PromQL: promtool check rules" promtool check rules "$RULES"
check "... and promtool test rules: the kernel's rate plus xdpong's, per host" \
	promtool test rules "$TMP/rules-test.yml"

# ---- Every method gets an answer ----
cli_http request HEAD "$DUT4" "$PORT" /metrics >"$TMP/head"
is "HEAD /metrics: 200" "$(grep -c '^status 200$' "$TMP/head")" 1
is "HEAD: the exposition's content type" \
	"$(grep -ci '^Content-Type: text/plain; version=0.0.4; charset=utf-8$' "$TMP/head")" 1
is "HEAD: no body" "$(grep '^body-bytes' "$TMP/head")" "body-bytes 0"
for m in POST PUT DELETE OPTIONS PATCH; do
	cli_http request $m "$DUT4" "$PORT" /metrics "x=1" >"$TMP/m" 2>&1
	is "$m /metrics: 405 with Allow: GET, HEAD" \
		"$(grep -c -e '^status 405$' -e '^Allow: GET, HEAD$' "$TMP/m")" 2
done
check_exit "another path: 404" 0 "HTTP 404" cli_http scrape "$URL/"

# ---- Limits and timeouts ----
# 1100 idle connections from the DUT's own address: it keeps 8, closes the
# rest at once, and the last 8 after the timeout; meanwhile a scrape from
# another address succeeds within a second.
dut_http flood "$DUT4" "$PORT" 1100 $((TIMEOUT + 1)) >"$TMP/flood" 2>&1 &
FLOOD=$!
for _ in $(seq 50); do grep -q '^kept ' "$TMP/flood" && break; sleep 0.1; done
check_exit "1100 idle connections: a scrape from another address within 1 s" 0 "^3 of 3 scrapes" \
	cli_http burst "$URL/metrics" 3 0.1 1
is "... of which the server keeps 8 (the limit per address)" "$(grep '^kept ' "$TMP/flood")" "kept 8"
wait $FLOOD
is "... and closes those after the $TIMEOUT s timeout" "$(grep '^kept later' "$TMP/flood")" "kept later 0"
check_exit "a slowloris client (a header line every 0.5 s) is cut off at the timeout" 0 \
	"cut off after [23]\.[0-9] s" dut_http slowloris "$DUT4" "$PORT" 0.5 10
FDS=$(ls /proc/$SERVE/fd | wc -l)
check_exit "a scrape every 10 ms, 300 times: all answered" 0 "^300 of 300 scrapes" \
	cli_http burst "$URL/metrics" 300 0.01 1
is "... and no descriptor leaked" "$(ls /proc/$SERVE/fd | wc -l)" "$FDS"

kill "$SERVE"; wait "$SERVE"
is "serve stops cleanly on SIGTERM" "$?" 0

# ---- The textfile, for node_exporter ----
TF=$TMP/textfile
mkdir "$TF"
ip netns exec "$DUT" "$XDPONG" serve --textfile "$TF" --interval 0.2 >"$TMP/serve" 2>&1 &
SERVE=$!
for _ in $(seq 50); do [ -e "$TF/xdpong.prom" ] && break; sleep 0.1; done
is "serve --textfile alone: writes $TF/xdpong.prom, serves no HTTP" "$(cat "$TMP/serve")" \
	"writing Prometheus metrics to $TF/xdpong.prom every 0.2 s"
is "... and listens nowhere" "$(dut ss -tlnpH | grep -c "pid=$SERVE,")" 0
check "... a file promtool check metrics accepts" promtool check metrics <"$TF/xdpong.prom"
# About 10 versions in 2 s; replaced by rename, not rewritten in place, so the
# inode changes (a freed inode number is soon reused: that count is a floor).
check_exit "... replaced every 0.2 s by a new file (rename), never seen partial" 0 \
	"^[0-9]+ reads, (8|9|1[0-2]) versions in ([2-9]|1[0-2]) inodes, 0 partial or missing" \
	dut_http watch_file "$TF/xdpong.prom" 2
# node_exporter itself is the referee of the textfile.
NE_PORT=$((PORT + 1))
ip netns exec "$DUT" prometheus-node-exporter --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TF" --web.listen-address="127.0.0.1:$NE_PORT" >"$TMP/ne" 2>&1 &
NE=$!
for _ in $(seq 50); do dut_http burst "http://127.0.0.1:$NE_PORT/metrics" 1 0 1 >/dev/null 2>&1 && break; sleep 0.1; done
dut_http scrape "http://127.0.0.1:$NE_PORT/metrics" >"$TMP/ne-metrics"
kill $NE; wait $NE 2>/dev/null
is "node_exporter's textfile collector reads it without error" \
	"$(grep -c '^node_textfile_scrape_error{} 0$' "$TMP/ne-metrics")" 1
is "... and passes on xdpong_up and the counters" \
	"$(grep -c -e "^xdpong_up{ifname=$DEV_DUT} 1" -e "^xdpong_packets_total{action=tx,ifname=$DEV_DUT} " "$TMP/ne-metrics")" 2
# A directory gone: said once; back: said again, and the file is back.
rm -r "$TF"
sleep 0.6
mkdir "$TF"
for _ in $(seq 20); do [ -e "$TF/xdpong.prom" ] && break; sleep 0.1; done
is "the directory gone, then back: one complaint, one recovery" \
	"$(grep -c "can't write $TF/xdpong.prom: No such file or directory; trying again" "$TMP/serve") $(grep -c "written again" "$TMP/serve")" "1 1"
kill "$SERVE"; wait "$SERVE"
is "serve --textfile stops cleanly on SIGTERM" "$?" 0
is "... leaving the file, and no temporary one" "$(ls -A "$TF")" "xdpong.prom"

# The default address, in the DUT namespace's own loopback.
ip netns exec "$DUT" "$XDPONG" serve >"$TMP/serve" 2>&1 &
SERVE=$!
for _ in $(seq 50); do grep -q "^serving" "$TMP/serve" && break; sleep 0.1; done
is "the default: 127.0.0.1:17798" "$(head -1 "$TMP/serve")" \
	"serving Prometheus metrics on http://127.0.0.1:17798/metrics"
check_exit "... answered there" 0 "^1 of 1 scrapes" dut_http burst http://127.0.0.1:17798/metrics 1 0 1
kill "$SERVE"; wait "$SERVE"
check "detach" xdpong detach "$DEV_DUT"

done_testing
