#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_fleet.sh: a fleet on one machine, watched by a real Prometheus.
#
# 8 servers (network namespaces; s1-s3 with two interfaces), each with
# xdpong on its data interfaces, `serve` on a management veth and `events
# --output` per interface; a client namespace that pings them, routes them
# into links of MTU 1300 and 1280, answers their UDP with port unreachables
# and forges errors; a monitoring namespace running the Debian `prometheus`
# on 127.0.0.1 with contrib/prometheus/ (its intervals made 1 s, its `for:`
# 2 s), scraping every server over its veth.
#
# The rules first: promtool check and test rules, every rule covered. Then
# promtool check metrics on every endpoint; PromQL must give, per server and
# over the fleet, exactly what `stats --json` says on each server; the event
# files hold every event sent; alerts go from inactive through pending to
# firing where the test makes their condition, and nowhere else.
. "$(dirname "$0")/lib.sh"

CONTRIB=$(cd "$(dirname "$0")/.." && pwd)/contrib/prometheus
N=8
PY=/usr/bin/python3

# ---- The rules, on their own ----
check "promtool check rules: recording rules and alerts" \
	promtool check rules "$CONTRIB/xdpong.rules.yml" "$CONTRIB/xdpong.alerts.yml"
check "promtool check config: the example prometheus.yml" promtool check config "$CONTRIB/prometheus.yml"
check "promtool test rules: each rule on made-up series" \
	bash -c "cd '$CONTRIB' && promtool test rules xdpong.rules.test.yml"
untested=$(for r in $(sed -nE 's/^ *- (record|alert): *([^ ]+).*/\2/p' "$CONTRIB"/xdpong.rules.yml "$CONTRIB"/xdpong.alerts.yml); do
	grep -qE "(expr|alertname): $r\b" "$CONTRIB/xdpong.rules.test.yml" || echo "$r"
done)
is "... and no rule without a test" "$untested" ""

# ---- The fleet ----
MON=xpf$ID-mon CL=xpf$ID-cli
srv() { echo "xpf$ID-s$1"; }
# ifaces K: server K's data interfaces.
ifaces() { if [ "$1" -le 3 ]; then echo eth0 eth1; else echo eth0; fi; }
# net K I: the third byte of server K's interface ethI subnet (and IPv6 /64).
net() { echo $((10 * $1 + ${2#eth})); }
PIDS=""
fleet_cleanup() {
	local p k
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	for k in $(seq $N); do
		ip netns del "$(srv $k)" 2>/dev/null
		mountpoint -q "$TMP/bpffs-$k" 2>/dev/null && umount "$TMP/bpffs-$k"
	done
	ip netns del "$MON" 2>/dev/null
	ip netns del "$CL" 2>/dev/null
	cleanup
}
trap fleet_cleanup EXIT

# on K CMD...: CMD on server K, with its own bpffs (a machine has one).
on() { local k=$1; shift; LIBXDP_BPFFS=$TMP/bpffs-$k ip netns exec "$(srv $k)" "$@"; }
cl() { ip netns exec "$CL" "$@"; }
mon() { ip netns exec "$MON" "$@"; }
x() { local k=$1; shift; on "$k" "$XDPONG" "$@"; }
# spawn NS OUT CMD...: CMD in the background in namespace NS (with server K's
# bpffs for "sK"), output to OUT, its pid kept for the cleanup. The command
# itself is backgrounded, not a function (its pid would be a subshell's).
spawn() {
	local ns=$1 out=$2; shift 2
	case $ns in s*) LIBXDP_BPFFS=$TMP/bpffs-${ns#s} ip netns exec "$(srv ${ns#s})" "$@" >"$out" 2>&1 & ;;
	            *) ip netns exec "$ns" "$@" >"$out" 2>&1 & ;;
	esac
	PIDS="$PIDS $!"
}

build_fleet() {
	local k i n
	ip netns add "$MON" && ip netns add "$CL" || return 1
	ip -n "$MON" link set lo up && ip -n "$CL" link set lo up || return 1
	# The client routes to the MTU-1300 and -1280 links, and every kernel
	# sends each error it is asked to.
	cl sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
		net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000 || return 1
	cl ip link add mtua mtu 1300 type veth peer name mtub mtu 1300 &&
	cl ip link add mtuc mtu 1280 type veth peer name mtud mtu 1280 || return 1
	for i in mtua mtub mtuc mtud; do cl ip link set "$i" up || return 1; done
	cl ip route add 198.19.250.0/24 dev mtua && cl ip -6 route add 2001:2:ff::/64 dev mtuc || return 1
	for k in $(seq $N); do
		ip netns add "$(srv $k)" && ip -n "$(srv $k)" link set lo up || return 1
		mkdir "$TMP/bpffs-$k" && mount -t bpf bpf "$TMP/bpffs-$k" || return 1
		# Management: serve listens on 198.19.K.2, Prometheus is 198.19.K.1.
		ip link add mgmt0 netns "$(srv $k)" type veth peer name "s$k" netns "$MON" &&
		ip -n "$(srv $k)" addr add "198.19.$k.2/24" dev mgmt0 &&
		ip -n "$MON" addr add "198.19.$k.1/24" dev "s$k" &&
		ip -n "$(srv $k)" link set mgmt0 up && ip -n "$MON" link set "s$k" up || return 1
		# Data: ethI is 198.18.N.1 and 2001:2:0:N::1, the client .2 and ::2.
		for i in $(ifaces $k); do
			n=$(net $k $i)
			ip link add "$i" netns "$(srv $k)" type veth peer name "s${k}e${i#eth}" netns "$CL" &&
			ip -n "$(srv $k)" addr add "198.18.$n.1/24" dev "$i" &&
			ip -n "$(srv $k)" addr add "2001:2:0:$n::1/64" dev "$i" nodad &&
			ip -n "$CL" addr add "198.18.$n.2/24" dev "s${k}e${i#eth}" &&
			ip -n "$CL" addr add "2001:2:0:$n::2/64" dev "s${k}e${i#eth}" nodad &&
			ip -n "$(srv $k)" link set "$i" up && ip -n "$CL" link set "s${k}e${i#eth}" up &&
			# veth hands XDP_TX frames only to a peer with an XDP program.
			cl ip link set dev "s${k}e${i#eth}" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags ||
				return 1
		done
		n=$(net $k eth0)
		ip -n "$(srv $k)" route add 198.19.250.0/24 via "198.18.$n.2" &&
		ip -n "$(srv $k)" -6 route add 2001:2:ff::/64 via "2001:2:0:$n::2" || return 1
	done
}
build_fleet || bail "can't build the fleet (root, netns, veth and bpffs needed)"
T_START=$(date +%s)

attached=0
for k in $(seq $N); do
	for i in $(ifaces $k); do x $k attach "$i" >/dev/null 2>&1 && attached=$((attached + 1)); done
done
is "xdpong attached on the 11 data interfaces of the 8 servers" "$attached" 11
# Each server: serve on its management address, an event file per interface.
PORT=17798
for k in $(seq $N); do
	spawn s$k "$TMP/serve-$k" "$XDPONG" serve --listen "198.19.$k.2:$PORT"
	for i in $(ifaces $k); do
		spawn s$k "$TMP/events-s$k-$i.err" "$XDPONG" events --output "$TMP/events-s$k-$i.json" "$i"
	done
done
for k in $(seq $N); do
	for _ in $(seq 50); do grep -q '^serving' "$TMP/serve-$k" && break; sleep 0.1; done
done

# The HTTP clients of the monitoring namespace, and the forger of errors.
cat >"$TMP/fleet.py" <<'PY'
import json, socket, struct, sys, time, urllib.parse, urllib.request

def get(url):
    return urllib.request.urlopen(url, timeout=5).read()

def fetch(url, out):
    open(out, "wb").write(get(url))

def api(prom, path, **params):
    r = json.loads(get(prom + "/api/v1/" + path + ("?" + urllib.parse.urlencode(params) if params else "")))
    assert r["status"] == "success", r
    return r["data"]

def query(prom, expr):
    return api(prom, "query", query=expr)["result"]

def ready(prom, targets, seconds):
    """Prometheus up, with every target scraped and up."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < float(seconds):
        try:
            r = query(prom, 'count(up{job="xdpong"} == 1)')
            if r and int(r[0]["value"][1]) == int(targets):
                print("ready"); return
        except OSError:
            pass
        time.sleep(0.2)
    print("not ready")

def scraped_since(prom, t, seconds):
    """Until every target has been scraped after the Unix time t."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < float(seconds):
        r = query(prom, "min(timestamp(xdpong_build_info))")
        if r and float(r[0]["value"][1]) > float(t):
            print("scraped"); return
        time.sleep(0.2)
    print("not scraped")

def rule_state(prom, name):
    for g in api(prom, "rules", type="alert")["groups"]:
        for r in g["rules"]:
            if r["name"] == name:
                print(r["state"], "evaluated" if r.get("lastEvaluation", "").startswith("20") else "never")

def server(labels):
    """sK, from the instance 198.19.K.2:PORT: the rules keep job and instance."""
    return "s" + labels["instance"].split(".")[2]

def alerts(prom):
    """Every alert now: name server [family|ifname] state."""
    for a in sorted(api(prom, "alerts")["alerts"], key=lambda a: sorted(a["labels"].items())):
        l = a["labels"]
        print(l["alertname"], server(l), l.get("family", l.get("ifname", "")), a["state"])

def watch_alert(prom, name, want, seconds):
    """Each instance's states, in the order seen, polling every 0.1 s until
    want instances fire (then one more second, for any other), at most
    seconds."""
    seen, t0, done = {}, time.monotonic(), None
    while time.monotonic() - t0 < float(seconds):
        firing = 0
        for a in api(prom, "alerts")["alerts"]:
            l = a["labels"]
            if l["alertname"] != name:
                continue
            k = "%s %s" % (server(l), l.get("family", l.get("ifname", "")))
            if not seen.get(k) or seen[k][-1] != a["state"]:
                seen.setdefault(k, []).append(a["state"])
            firing += a["state"] == "firing"
        if firing >= int(want) and done is None:
            done = time.monotonic()
        if done and time.monotonic() - done > 1:
            break
        time.sleep(0.1)
    for k in sorted(seen):
        print(k + ": " + " ".join(seen[k]))

# What stats --json says, as the exporter's series: metric -> label names,
# and each interface's (labels, value) pairs. The MTU buckets' bounds are
# the program's, written here again (le: the bucket's last MTU).
LE = ["67", "575", "1279", "1399", "1479", "1499", "1500", "8999", "+Inf"]
def mtu_buckets(s):
    for f in ("icmp", "icmpv6"):
        c = 0
        for le, b in zip(LE, s["errors"][f]["mtu_histogram"]):
            c += b["count"]
            yield {"family": f, "le": le}, c
FAMILIES = {
    "xdpong_packets_total": (["action"], lambda s: (({"action": a}, v) for a, v in s["actions"].items())),
    "xdpong_bytes_total": (["action"], lambda s: (({"action": a}, v) for a, v in s["action_bytes"].items())),
    "xdpong_reason_packets_total": (["reason"], lambda s: (({"reason": r}, v) for r, v in s["reasons"].items())),
    "xdpong_messages_total": (["family", "type", "code"], lambda s: (
        ({"family": f, "type": str(m["type"]), "code": str(m["code"])}, m["packets"])
        for f in ("icmp", "icmpv6", "igmp") for m in s[f])),
    "xdpong_errors_total": (["family", "kind"], lambda s: (
        ({"family": f, "kind": k}, v) for f in ("icmp", "icmpv6")
        for k, v in s["errors"][f].items() if k != "mtu_histogram")),
    "xdpong_reported_mtu_bytes_bucket": (["family", "le"], mtu_buckets),
    "xdpong_events_total": (["outcome"], lambda s: (({"outcome": o}, v) for o, v in s["events"].items())),
    "xdpong_tx_failed_total": (["cause"], lambda s: (({"cause": c}, v) for c, v in (s["tx_failures"] or {}).items())),
    "xdpong_msg_table_full_total": ([], lambda s: [({}, s["msg_table_full"])]),
}

def compare(prom, stats_json):
    """Per metric: the PromQL sums by server and over the fleet against the
    sums of stats --json over the interfaces and the servers."""
    stats = json.load(open(stats_json))   # {server: {ifname: stats}}
    for metric, (labels, series) in FAMILIES.items():
        want = {}
        for server, ifs in stats.items():
            for s in ifs.values():
                for l, v in series(s):
                    for key in ((server,) + tuple(l[n] for n in labels), ("fleet",) + tuple(l[n] for n in labels)):
                        want[key] = want.get(key, 0) + v
        got = {}
        by = ",".join(labels)
        for r in query(prom, "sum by (server%s) (%s)" % ("," + by if by else "", metric)):
            got[(r["metric"]["server"],) + tuple(r["metric"].get(n, "") for n in labels)] = int(float(r["value"][1]))
        for r in query(prom, "sum by (%s) (%s)" % (by, metric)):
            got[("fleet",) + tuple(r["metric"].get(n, "") for n in labels)] = int(float(r["value"][1]))
        # A series one side lacks is 0 there: serve writes the echo
        # requests at 0 before stats lists them.
        bad = [k for k in set(want) | set(got) if want.get(k, 0) != got.get(k, 0)]
        total = sum(v for k, v in want.items() if k[0] == "fleet")
        print("%s: %d series, %d in all, %d differ" % (metric, len(want), total, len(bad)))
        for k in sorted(bad)[:5]:
            print("  %s: PromQL %s, stats %s" % (" ".join(k), got.get(k), want.get(k)), file=sys.stderr)

def run_queries(prom, path):
    """Each line of path a query: it must run (an error is printed)."""
    n = 0
    for expr in open(path).read().splitlines():
        try:
            query(prom, expr)
            n += 1
        except Exception as e:
            print("failed:", expr, e)
    print(n, "ran")

def values(prom, expr):
    for r in sorted(query(prom, expr), key=lambda r: sorted(r["metric"].items())):
        l = r["metric"]
        print(l["server"] if "server" in l else server(l) if "instance" in l else "fleet", r["value"][1])

def forge(dst, n, rate):
    """n ICMP port unreachables to dst, quoting a UDP packet dst never sent
    (from 198.18.222.1 to 198.18.223.1), rate a second."""
    def csum(b):
        s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
        s = (s >> 16) + (s & 0xffff)
        return ~(s + (s >> 16)) & 0xffff
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 1, 0x4000, 64, 17, 0,
                     socket.inet_aton("198.18.222.1"), socket.inet_aton("198.18.223.1"))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    quote = ip + struct.pack("!HHHH", 40000, 33434, 8, 0)
    icmp = struct.pack("!BBHI", 3, 3, 0, 0) + quote
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for _ in range(int(n)):
        s.sendto(icmp, (dst, 0))
        time.sleep(1 / float(rate))
    print("sent", n)

globals()[sys.argv[1]](*sys.argv[2:])
PY
fleet() { mon "$PY" "$TMP/fleet.py" "$@"; }

# promtool is the referee of every endpoint's exposition.
bad=""
for k in $(seq $N); do
	fleet fetch "http://198.19.$k.2:$PORT/metrics" "$TMP/metrics-$k" &&
		promtool check metrics <"$TMP/metrics-$k" >"$TMP/promtool-$k" 2>&1 || bad="$bad s$k"
done
is "promtool check metrics accepts every server's endpoint, reached over its veth" "$bad" ""

# ---- Prometheus: the example configuration, made fast ----
PROM=$TMP/prom
mkdir -p "$PROM/data"
cp "$CONTRIB"/xdpong.rules.yml "$CONTRIB"/xdpong.alerts.yml "$CONTRIB"/prometheus.yml "$PROM/"
sed -Ei 's/^( *(scrape_interval|scrape_timeout|evaluation_interval): ).*/\11s/' "$PROM/prometheus.yml"
sed -Ei 's/^( +for: )[0-9]+m$/\12s/' "$PROM/xdpong.alerts.yml"
for k in $(seq $N); do echo "{\"targets\": [\"198.19.$k.2:$PORT\"], \"labels\": {\"server\": \"s$k\"}}"; done |
	jq -s . >"$PROM/xdpong-targets.json"
spawn "$MON" "$TMP/prometheus.log" prometheus --config.file="$PROM/prometheus.yml" \
	--storage.tsdb.path="$PROM/data" --web.listen-address=127.0.0.1:9090
P=http://127.0.0.1:9090
check_exit "Prometheus, on 127.0.0.1 in the monitoring namespace, scrapes all 8 servers" 0 "^ready" \
	fleet ready "$P" $N 20
is "... listening nowhere else" "$(mon ss -tlnH | awk '$4 ~ /:9090$/ {print $4}')" "127.0.0.1:9090"
sleep 2
is "no alert before any traffic" "$(fleet alerts "$P")" ""
is "XdpongUnsolicitedErrorSurge: inactive, evaluated" "$(fleet rule_state "$P" XdpongUnsolicitedErrorSurge)" \
	"inactive evaluated"

# ---- Traffic: pings both ways, real errors from the client's kernel ----
# Routers reporting MTUs below 1400: the alert for s1-s4 (IPv4), s5, s6 (IPv6).
fleet watch_alert "$P" XdpongPathMTUBelowExpected 6 30 >"$TMP/mtu-alert" &
W=$!
TRAFFIC=""
for k in $(seq $N); do
	for i in $(ifaces $k); do
		n=$(net $k $i)
		cl ping -c $((3 + k + 2 * ${i#eth})) -i 0.02 -W 1 "198.18.$n.1" >/dev/null &
		TRAFFIC="$TRAFFIC $!"
		cl ping -6 -c $((1 + k)) -i 0.02 -W 1 "2001:2:0:$n::1" >/dev/null &
		TRAFFIC="$TRAFFIC $!"
	done
	# k UDP datagrams to a closed port: k port unreachables.
	on $k bash -c "for j in \$(seq $k); do echo x >/dev/udp/198.18.$(net $k eth0).2/33434; sleep 0.02; done" &
	TRAFFIC="$TRAFFIC $!"
	# s1-s4: k destinations behind the MTU-1300 link: frag-needed, MTU 1300.
	if [ $k -le 4 ]; then
		on $k bash -c "for j in \$(seq $k); do ping -c 1 -M do -s 1400 -W 1 198.19.250.\$((10 * $k + j)); done" \
			>/dev/null 2>&1 &
		TRAFFIC="$TRAFFIC $!"
	fi
	# s5, s6: packet-too-big from the MTU-1280 link.
	if [ $k -ge 5 ] && [ $k -le 6 ]; then
		on $k ping -6 -c 1 -M do -s 1400 -W 1 "2001:2:ff::$k" >/dev/null 2>&1 &
		TRAFFIC="$TRAFFIC $!"
	fi
done
wait $TRAFFIC
wait $W
is "XdpongPathMTUBelowExpected: pending, then firing, for the servers sent MTUs 1300 and 1280" \
	"$(cat "$TMP/mtu-alert")" \
	"s1 icmp: pending firing
s2 icmp: pending firing
s3 icmp: pending firing
s4 icmp: pending firing
s5 icmpv6: pending firing
s6 icmpv6: pending firing"
is "... while XdpongUnsolicitedErrorSurge stays inactive" "$(fleet rule_state "$P" XdpongUnsolicitedErrorSurge)" \
	"inactive evaluated"

# ---- Forged errors on s5: the alert goes from inactive to firing ----
fleet watch_alert "$P" XdpongUnsolicitedErrorSurge 1 20 >"$TMP/surge-alert" &
W=$!
check_exit "400 forged port unreachables to s5, 200 a second" 0 "sent 400" \
	cl "$PY" "$TMP/fleet.py" forge "198.18.$(net 5 eth0).1" 400 200
wait $W
is "XdpongUnsolicitedErrorSurge: pending, then firing, for s5 alone" "$(cat "$TMP/surge-alert")" \
	"s5 icmp: pending firing"

# ---- PromQL against stats --json, per server and over the fleet ----
# Quiet counters: stats read before the scrape and after the queries must
# agree (IPv6 neighbour discovery, MLD may still come in).
snap() { # {server: {ifname: stats --json}}
	local k i
	for k in $(seq $N); do
		for i in $(ifaces $k); do
			echo "{\"s$k\": {\"$i\": $(x $k stats --json "$i")}}"
		done
	done | jq -s 'reduce .[] as $x ({}; . * $x)'
}
for try in 1 2 3 4 5; do
	sleep 1
	snap >"$TMP/stats-a.json"
	T=$(date +%s.%N)
	fleet scraped_since "$P" "$T" 10 >/dev/null
	fleet compare "$P" "$TMP/stats-a.json" >"$TMP/compare" 2>"$TMP/compare.err"
	snap >"$TMP/stats-b.json"
	cmp -s "$TMP/stats-a.json" "$TMP/stats-b.json" && break
done
is "the counters were quiet while Prometheus scraped (try $try)" "$(cmp -s "$TMP/stats-a.json" "$TMP/stats-b.json" && echo yes)" yes
while read -r metric series _ total _ _ differ _; do
	is "PromQL = stats --json: ${metric%:} ($series series by server and fleet, $total in all)" "$differ" 0
done <"$TMP/compare"
is "... every metric compared" "$(wc -l <"$TMP/compare")" 9
[ -s "$TMP/compare.err" ] && diag <"$TMP/compare.err"
is "... with something to compare: replies, errors and events on every server" \
	"$(jq '[.[] | [([.[] | .reasons.replied] | add), ([.[] | .errors.icmp.errors + .errors.icmpv6.errors] | add), ([.[] | .events.sent] | add)] | min] | min > 0' "$TMP/stats-a.json")" true
is "the fleet's unsolicited errors: the 400 forged, all on s5" \
	"$(fleet values "$P" 'sum by (server) (xdpong_errors_total{kind="unsolicited"}) > 0' | xargs)" "s5 400"
is "recording rules: every server answered all its echo requests in XDP, the fleet too" \
	"$(fleet values "$P" 'instance:xdpong_echo_offload:ratio_rate5m or job:xdpong_echo_offload:ratio_rate5m' |
		awk '{ printf "%s %s ", $1, ($2 - 1 < 1e-9 && 1 - $2 < 1e-9) ? "1" : $2 }' | xargs -n2 | sort | xargs)" \
	"fleet 1 s1 1 s2 1 s3 1 s4 1 s5 1 s6 1 s7 1 s8 1"

# The README's dashboard PromQL runs, on this Prometheus.
README=$(cd "$(dirname "$0")/.." && pwd)/README.md
sed -n '/^\*\*Dashboards\.\*\*/,/^```$/p' "$README" | grep -v -e '^#' -e '^```' -e '^\*\*' -e '^The PromQL' -e '^$' \
	>"$TMP/dashboards"
check_exit "the README's dashboard queries ($(wc -l <"$TMP/dashboards")) all run" 0 \
	"^$(wc -l <"$TMP/dashboards") ran" fleet run_queries "$P" "$TMP/dashboards"

# ---- The event files: every event sent, as a log shipper gets it ----
bad=""
for k in $(seq $N); do
	for i in $(ifaces $k); do
		f=$TMP/events-s$k-$i.json
		[ "$(jq -c . "$f" | wc -l)" = "$(jq ".s$k.$i.events.sent" "$TMP/stats-a.json")" ] || bad="$bad s$k/$i"
	done
done
is "each interface's event file holds one JSON line per event sent" "$bad" ""
is "... s5's: the 400 forged errors, flagged unsolicited, quoting 198.18.222.1" \
	"$(jq -r 'select(.flags | index("unsolicited")) | .inner.src' "$TMP/events-s5-eth0.json" | uniq -c | xargs)" \
	"400 198.18.222.1"
is "... s1's eth0: its frag-needed, MTU 1300" \
	"$(jq -r 'select(.mtu) | .mtu' "$TMP/events-s1-eth0.json" | xargs)" 1300

# ---- Detached: XdpongDetached fires for that interface ----
fleet watch_alert "$P" XdpongDetached 1 15 >"$TMP/detach-alert" &
W=$!
check "detach s8's eth0" x 8 detach eth0
wait $W
is "XdpongDetached: pending, then firing, for s8 eth0" "$(cat "$TMP/detach-alert")" "s8 eth0: pending firing"

for k in $(seq $N); do
	for i in $(ifaces $k); do
		[ $k = 8 ] || x $k detach "$i" >/dev/null || not_ok "detach s$k $i"
	done
done
is "the fleet, from attach to here, in under 90 s" "$(($(date +%s) - T_START < 90))" 1
done_testing
