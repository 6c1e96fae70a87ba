#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_rtt.sh: ping telemetry of the host's own pings (`xdpong rtt`) against
# the clients' own measurement. The DUT, with xdpong attached, pings out to
# the far namespace (lib.sh's client), where tests/rtt_responder.py answers
# from raw sockets after a set delay (this kernel has no netem) and drops,
# duplicates or delays past the timeout on purpose; its kernel answers
# nothing. ping's per-reply times, its loss and duplicate counts, fping's
# results and the responder's log of what it did are the oracles.
. "$(dirname "$0")/lib.sh"

if ! "$XDPONG" rtt --help >/dev/null 2>&1; then
	echo "1..0 # SKIP xdpong has no rtt command (ping telemetry not built)"
	exit 0
fi

PY=${PYTHON:-/usr/bin/python3}   # Debian's, where python3-scapy is
RESPONDER=$(dirname "$0")/rtt_responder.py
command -v fping >/dev/null || bail "fping is missing: apt-get install fping"
"$PY" -c 'import scapy' 2>/dev/null || bail "python3-scapy is missing ($PY can't import scapy)"

setup_net
FAR=$CLI
far() { cli "$@"; }
# The far side: its kernel answers no echo request; AnyIP routes make whole
# prefixes local there, and the DUT routes them to it.
far sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1
for p in 198.18.8.0/21 198.18.16.0/20 198.18.128.0/18; do
	far ip route add local "$p" dev lo && dut ip route add "$p" via "$CLI4" || bail "route $p"
done
far ip -6 route add local 2001:2:0:10::/60 dev lo && dut ip -6 route add 2001:2:0:10::/60 via "$CLI6" ||
	bail "route 2001:2:0:10::/60"

# responder NAME ARGS...: a responder in the far namespace, logging to $TMP/NAME.log.
RESPONDERS=()
responder() {
	local name=$1 i; shift
	# exec: $! is the responder itself, not a shell that would outlive
	# nothing when killed; its output off the test's, which prove reads
	# until every writer is gone.
	(exec ip netns exec "$FAR" "$PY" "$RESPONDER" --log "$TMP/$name.log" \
		--ready "$TMP/$name.ready" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err") &
	RESPONDERS+=($!)
	for i in $(seq 50); do [ -e "$TMP/$name.ready" ] && return; sleep 0.1; done
	bail "responder $name didn't start: $(cat "$TMP/$name.err")"
}
stop_responders() {
	local p
	for p in "${RESPONDERS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	RESPONDERS=()
}
trap 'stop_responders; cleanup' EXIT
# actions NAME ACTION: how many requests responder NAME handled that way.
actions() { awk -v a="$2" '$7 == a' "$TMP/$1.log" | wc -l; }

responder d1 --delay-ms 1 --dst 198.18.11.0/24 --dst 2001:2:0:11::/64
responder d10 --delay-ms 10 --dst 198.18.12.0/24 --dst 2001:2:0:12::/64
responder d50 --delay-ms 50 --dst 198.18.13.0/24 --dst 2001:2:0:13::/64
responder drop --delay-ms 1 --drop-every 10 --dst 198.18.14.0/24 --dst 2001:2:0:14::/64
responder dup --delay-ms 1 --dup-every 5 --dst 198.18.15.0/24 --dst 2001:2:0:15::/64
responder late --delay-ms 1 --late-every 5 --late-ms 1500 --dst 198.18.16.0/24 --dst 2001:2:0:16::/64
responder many --delay-ms 1 --dst 198.18.17.0/24 --dst 198.18.20.0/22 --dst 198.18.128.0/18

# ---- The responder alone, before xdpong: ping sees its delay and drops ----
check_exit "the far kernel answers nothing: a ping to an address no responder serves is lost" 1 \
	" 0 received" dut ping -c 2 -i 0.1 -W 1 "$CLI4"
check_exit "responder: ping through a 50 ms delay takes at least 50 ms" 0 \
	"rtt min/avg/max/mdev = 5[0-9]\.[0-9]+/" dut ping -c 3 -i 0.05 198.18.13.9
check_exit "responder: ping -6 through a 10 ms delay takes at least 10 ms" 0 \
	"rtt min/avg/max/mdev = 1[0-9]\.[0-9]+/" dut ping -6 -c 3 -i 0.05 2001:2:0:12::9
check_exit "responder: ping -c 10 loses the 10th to --drop-every 10" 0 \
	"10 packets transmitted, 9 received" dut ping -c 10 -i 0.05 -W 1 198.18.14.9
csum=$(counter "$DUT" IcmpInCsumErrors)/$(counter "$DUT" Icmp6InCsumErrors)
is "responder: no reply had a bad checksum (DUT's Icmp(6)InCsumErrors)" "$csum" "0/0"

# ---- Attached: every ping timed ----
# IPv6 rows by /64 here, so that each delay has its own row (the test's
# addresses are one /48); the default /48 is checked after the scan.
check "attach --rtt-prefix-v6 64" xdpong attach --rtt-prefix-v6 64 "$DEV_DUT"
# (its note on stderr when the pings are not timed is checked in the --no-rtt part)
rtt() { xdpong rtt --json "$DEV_DUT" 2>/dev/null; }
# row PREFIX FIELD: a field of PREFIX's row ("" if there is none).
row() { rtt | jq -r --arg p "$1" ".prefixes[] | select(.prefix == \$p) | .$2"; }
rtt >"$TMP/rtt.json"
is "rtt --json: enabled, timeout 1 s, prefixes /24 and /64" \
	"$(jq -c '[.enabled, .timeout_s, .prefix_v4, .prefix_v6]' "$TMP/rtt.json")" "[true,1,24,64]"
is "nothing sent yet: both totals 0" "$(jq -c '[.total[].sent]' "$TMP/rtt.json")" "[0,0]"

# compare.py PING_OUTPUT ROW_JSON: xdpong's row against ping's own times:
# p50 within 10% (or 50 us) of ping's median; min and max just below ping's
# (ping's clock starts before the request reaches tc egress, and stops after
# the reply leaves XDP); each trip in the bucket of its ping time, less up to
# that slack (the log-linear buckets of include/xdpong.h recomputed here).
cat >"$TMP/compare.py" <<'PY'
import json, re, statistics, sys
times = [float(m) / 1e3 for m in re.findall(r"time=([0-9.]+) ms(?! \(DUP)", open(sys.argv[1]).read())]
row = json.load(open(sys.argv[2]))
bad = []
def close(a, b, rel=0.10, floor=50e-6):
    return abs(a - b) <= max(rel * b, floor)
med = statistics.median(times)
if not close(row["p50_s"], med):
    bad.append("p50 %.6f s, ping's median %.6f s" % (row["p50_s"], med))
if not close(row["mean_s"], statistics.mean(times)):
    bad.append("mean %.6f s, ping's %.6f s" % (row["mean_s"], statistics.mean(times)))
slack = lambda t: max(300e-6, 0.05 * t)
up = lambda t: 20e-6 + 0.005 * t   # ping prints 3 significant digits
for name, x, t in (("min", row["min_s"], min(times)), ("max", row["max_s"], max(times))):
    if not (t - slack(t) <= x <= t + up(t)):
        bad.append("%s %.6f s, ping's %.6f s" % (name, x, t))
def bucket(s):            # XDPONG_RTT_*: 4 buckets per power of two from 2^10 ns
    ns = int(s * 1e9)
    if ns < 1 << 10: return 0
    if ns >= 1 << 36: return 2 + (26 << 2) - 1
    e = ns.bit_length() - 1
    return 1 + ((e - 10) << 2) + ((ns >> (e - 2)) & 3)
def low(i):
    e, s = 10 + ((i - 1) >> 2), (i - 1) & 3
    return (1 << e) + (s << (e - 2))
got = {}
for b in row["buckets"]:
    if b["count"]:
        i = bucket(b["low_s"] + 1e-10)
        if abs(low(i) / 1e9 - b["low_s"]) > 1e-9 or abs(low(i + 1) / 1e9 - b["high_s"]) > 1e-9:
            bad.append("bucket [%g, %g) is not one of the log-linear buckets" % (b["low_s"], b["high_s"]))
        got[i] = got.get(i, 0) + b["count"]
sure, maybe = {}, {}
for t in times:
    lo, hi = bucket(t - slack(t)), bucket(t + up(t))
    if lo == hi:
        sure[lo] = sure.get(lo, 0) + 1
    for i in range(lo, hi + 1):
        maybe[i] = maybe.get(i, 0) + 1
# A trip may miss its band on a noisy machine (a preempted ping): one in 20.
off = sum(max(0, sure.get(i, 0) - got.get(i, 0)) + max(0, got.get(i, 0) - maybe.get(i, 0))
          for i in set(got) | set(sure))
if off > max(1, len(times) // 20) or sum(got.values()) != len(times):
    bad.append("buckets %s, ping's times %s" % (
        {"%.6f" % (low(i) / 1e9): n for i, n in sorted(got.items())}, ["%.6f" % t for t in times]))
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY

# ---- Round trips through 1, 10 and 50 ms, against ping's own ----
N=20
SENT4=0 SENT6=0
for d in 1 10 50; do
	# the responders d1, d10 and d50 above
	case $d in 1) n=11 ;; 10) n=12 ;; 50) n=13 ;; esac
	for fam in 4 6; do
		if [ $fam = 4 ]; then dst=198.18.$n.1 pfx=198.18.$n.0/24 ping=(ping)
		else dst=2001:2:0:$n::1 pfx=2001:2:0:$n::/64 ping=(ping -6); fi
		check_exit "$d ms: ${ping[*]} -c $N gets all replies" 0 " $N received" \
			dut "${ping[@]}" -c $N -i 0.05 -W 2 "$dst"
		cp "$TMP/out" "$TMP/ping$d.$fam"
		[ $fam = 4 ] && SENT4=$((SENT4 + N)) || SENT6=$((SENT6 + N))
		rtt | jq --arg p "$pfx" '.prefixes[] | select(.prefix == $p)' >"$TMP/row.json"
		is "$d ms: $pfx: $N sent, $N replied, none lost" \
			"$(jq -c '[.sent, .replied, .lost, .late, .duplicate]' "$TMP/row.json")" "[$N,$N,0,0,0]"
		check "$d ms: $pfx: p50 within 10% of ping's median, the trips in their buckets" \
			"$PY" "$TMP/compare.py" "$TMP/ping$d.$fam" "$TMP/row.json"
	done
done
check_exit "rtt (table) names its columns" 0 "p50.*p99" xdpong rtt "$DEV_DUT"
is "the totals: every request sent, v4 and v6" "$(rtt | jq -c '[.total[].sent]')" "[$SENT4,$SENT6]"

# stop_events: end the reader started last. ($! is the shell running dut, not
# xdpong: a reader left behind would take half of the next one's events, a
# ring buffer having one consumer.)
stop_events() {
	pkill -f -- "events --json $DEV_DUT" 2>/dev/null
	wait "$EVENTS" 2>/dev/null
}

# ---- Loss: every 10th request dropped, counted once the timeout passed ----
dut "$XDPONG" events --json "$DEV_DUT" >"$TMP/events.json" 2>"$TMP/events.err" &
EVENTS=$!
sleep 0.5
: >"$TMP/drop.log"
dut ping -c 30 -i 0.05 -W 2 198.18.14.1 >"$TMP/ping.drop4"
dut ping -6 -c 30 -i 0.05 -W 2 2001:2:0:14::1 >"$TMP/ping.drop6"
SENT4=$((SENT4 + 30)) SENT6=$((SENT6 + 30))
drop4=$(awk '$2 == 4 && $7 == "drop"' "$TMP/drop.log" | wc -l)
drop6=$(awk '$2 == 6 && $7 == "drop"' "$TMP/drop.log" | wc -l)
is "the responder dropped 3 of each family's 30" "$drop4/$drop6" "3/3"
rx4=$(grep -oE '[0-9]+ received' "$TMP/ping.drop4" | cut -d' ' -f1)
rx6=$(grep -oE '[0-9]+ received' "$TMP/ping.drop6" | cut -d' ' -f1)
is "ping's own loss agrees: 30 - $drop4 and 30 - $drop6 received" "$rx4/$rx6" "$((30 - drop4))/$((30 - drop6))"
# The sweep counts a request lost 1 s (the timeout) after it went, every 100 ms.
for _ in $(seq 60); do
	[ "$(row 198.18.14.0/24 lost)/$(row 2001:2:0:14::/64 lost)" = "$drop4/$drop6" ] && break
	sleep 0.1
done
sleep 1.5 # and nothing more is counted later
is "lost: exactly the dropped requests, v4 and v6" \
	"$(row 198.18.14.0/24 lost)/$(row 2001:2:0:14::/64 lost)" "$drop4/$drop6"
is "... the others replied" \
	"$(row 198.18.14.0/24 replied)/$(row 2001:2:0:14::/64 replied)" "$rx4/$rx6"
stop_events
# A lost request is an event with no frame: its destination, flagged lost.
lost_ev() { jq -r --arg d "$1" 'select(.dst == $d and .lost == true) | .dst' \
	"$TMP/events.json" | wc -l; }
is "events --json: an XDPONG_EV_LOST event per lost request, v4 and v6" \
	"$(lost_ev 198.18.14.1)/$(lost_ev 2001:2:0:14::1)" "$drop4/$drop6"

# ---- Duplicates: counted, not matched twice; round-trip events carry rtt_s ----
check "sample every echo reply as an event" xdpong set --sample echo-reply=1 "$DEV_DUT"
dut "$XDPONG" events --json "$DEV_DUT" >"$TMP/events.json" 2>"$TMP/events.err" &
EVENTS=$!
sleep 0.5
dut ping -c 20 -i 0.05 -W 2 198.18.15.1 >"$TMP/ping.dup4"
dut ping -6 -c 20 -i 0.05 -W 2 2001:2:0:15::1 >"$TMP/ping.dup6"
SENT4=$((SENT4 + 20)) SENT6=$((SENT6 + 20))
sleep 0.5
stop_events
dups=$(awk '$7 == "dup"' "$TMP/dup.log" | wc -l)
is "the responder answered 4 of each family's 20 twice" "$dups" 8
# (ping exits on its 20th reply: the duplicate of the 20th may come after)
is "ping saw the duplicates (+3 or +4, twice)" \
	"$(cat "$TMP/ping.dup4" "$TMP/ping.dup6" | grep -cE '\+[34] duplicates')" 2
is "duplicate: 4 each; replied: 20 each, once" \
	"$(row 198.18.15.0/24 duplicate)/$(row 2001:2:0:15::/64 duplicate)/$(row 198.18.15.0/24 replied)/$(row 2001:2:0:15::/64 replied)" \
	"4/4/20/20"
rtt_ev() { jq -r --arg s "$1" 'select(.src == $s and .rtt_s != null) | .rtt_s' "$TMP/events.json"; }
for fam in 4 6; do
	[ $fam = 4 ] && src=198.18.15.1 pfx=198.18.15.0/24 || src=2001:2:0:15::1 pfx=2001:2:0:15::/64
	rtt_ev "$src" >"$TMP/rtt_ev"
	is "events: a round-trip event (rtt_s) per matched reply from $src, none for the duplicates" \
		"$(wc -l <"$TMP/rtt_ev")" 20
	is "... each rtt_s within the row's min and max" \
		"$(awk -v lo="$(row "$pfx" min_s)" -v hi="$(row "$pfx" max_s)" \
			'$1 < lo - 1e-9 || $1 > hi + 1e-9' "$TMP/rtt_ev" | wc -l)" 0
done
check "back to no echo-reply events" xdpong set --sample echo-reply=0 "$DEV_DUT"

# ---- Late replies: past the timeout, counted lost then late, never matched ----
dut ping -c 10 -i 0.05 -W 1 198.18.16.1 >/dev/null
dut ping -6 -c 10 -i 0.05 -W 1 2001:2:0:16::1 >/dev/null
SENT4=$((SENT4 + 10)) SENT6=$((SENT6 + 10))
late=$(actions late late)
is "the responder answered 2 of each family's 10 after 1.5 s" "$late" 4
unmatched=$(rtt | jq -c '[.total[].unmatched]')
sleep 2.5 # 1.5 s, and the reply in flight
for fam in 4 6; do
	[ $fam = 4 ] && pfx=198.18.16.0/24 || pfx=2001:2:0:16::/64
	is "$pfx: 2 lost, then 2 late; 8 replied" \
		"$(row "$pfx" lost)/$(row "$pfx" late)/$(row "$pfx" replied)" "2/2/8"
done
is "late replies are not unmatched" "$(rtt | jq -c '[.total[].unmatched]')" "$unmatched"

# ---- A reply to no request: unmatched ----
cat >"$TMP/unsolicited.py" <<PY
from scapy.all import IP, IPv6, ICMP, ICMPv6EchoReply, send
send(IP(src="$CLI4", dst="$DUT4") / ICMP(type=0, id=0x4242, seq=7) / (b"x" * 56), verbose=0)
send(IPv6(src="$CLI6", dst="$DUT6") / ICMPv6EchoReply(id=0x4242, seq=7) / (b"x" * 56), verbose=0)
PY
u0=$(rtt | jq '.total[0].unmatched') u1=$(rtt | jq '.total[1].unmatched')
far "$PY" "$TMP/unsolicited.py" 2>&1 | grep -v "No route found for IPv6" | diag
sleep 0.2
is "an echo reply to no request: unmatched, v4 and v6" \
	"$(rtt | jq -c '[.total[].unmatched]')" "[$((u0 + 1)),$((u1 + 1))]"

# ---- The host's pings answered by the kernel, then by another xdpong ----
far sysctl -qw net.ipv4.icmp_echo_ignore_all=0 net.ipv6.icmp.echo_ignore_all=0
e=$(counter "$FAR" IcmpInEchos)
check_exit "the far kernel answers ping" 0 " 10 received" dut ping -c 10 -i 0.02 -W 2 "$CLI4"
is "... (the far kernel's IcmpInEchos +10)" "$(counter "$FAR" IcmpInEchos)" "$((e + 10))"
check_exit "... and ping -6" 0 " 10 received" dut ping -6 -c 10 -i 0.02 -W 2 "$CLI6"
SENT4=$((SENT4 + 10)) SENT6=$((SENT6 + 10))
is "kernel replies timed: 198.18.0.0/24 and 2001:2::/64 10 replied each" \
	"$(row 198.18.0.0/24 replied)/$(row 2001:2::/64 replied)" "10/10"
far ip link set dev "$DEV_CLI" xdp off
check "attach another xdpong on the far side" far "$XDPONG" attach --no-rtt "$DEV_CLI"
e=$(counter "$FAR" IcmpInEchos)/$(counter "$FAR" Icmp6InEchos)
check_exit "the far xdpong answers ping" 0 " 10 received" dut ping -c 10 -i 0.02 -W 2 "$CLI4"
check_exit "... and ping -6" 0 " 10 received" dut ping -6 -c 10 -i 0.02 -W 2 "$CLI6"
SENT4=$((SENT4 + 10)) SENT6=$((SENT6 + 10))
is "... its kernel saw none" "$(counter "$FAR" IcmpInEchos)/$(counter "$FAR" Icmp6InEchos)" "$e"
is "XDP replies timed too: 20 replied each" \
	"$(row 198.18.0.0/24 replied)/$(row 2001:2::/64 replied)" "20/20"
check "detach the far xdpong" far "$XDPONG" detach "$DEV_CLI"
far ip link set dev "$DEV_CLI" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
far sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1

# ---- fping to 200 addresses: one row per /24, the rows add up to the total ----
for n in 20 21 22 23; do for h in $(seq 1 50); do echo 198.18.$n.$h; done; done >"$TMP/targets"
check "fping -c 1 to 200 addresses in 4 /24s: all alive" dut fping -q -c 1 -i 1 -t 2000 -f "$TMP/targets"
SENT4=$((SENT4 + 200))
rtt >"$TMP/rtt.json"
is "4 rows, 50 sent and 50 replied each" \
	"$(jq -c '[.prefixes[] | select(.prefix | test("^198\\.18\\.2[0-3]\\.0/24$")) | [.sent, .replied]] | unique, length' \
		"$TMP/rtt.json" | xargs)" "[[50,50]] 4"
is "the totals: every request the test sent" "$(jq -c '[.total[].sent]' "$TMP/rtt.json")" "[$SENT4,$SENT6]"
is "no row pushed out: other is empty" "$(jq -c '[.other[].sent]' "$TMP/rtt.json")" "[0,0]"
for f in sent replied lost late duplicate untracked; do
	is "$f: rows + other = total, each family" "$(jq -c --arg f "$f" '[range(2) as $i |
		([.prefixes[] | select((.prefix | contains(":")) == ($i == 1)) | .[$f]] | add) + .other[$i][$f]
		== .total[$i][$f]] | all' "$TMP/rtt.json")" true
done

# ---- Requests the host forwards are not its own: not timed ----
# A namespace behind the DUT ($RTR, which cleanup removes) pings the far side
# through it: the requests leave by the attached interface without a socket.
ip netns add "$RTR" || bail "netns $RTR"
ip link add "xpb$ID" netns "$DUT" type veth peer name "xpr$ID" netns "$RTR" || bail "veth to $RTR"
dut ip addr add 198.19.50.1/24 dev "xpb$ID"
dut ip link set "xpb$ID" up
ip netns exec "$RTR" ip addr add 198.19.50.2/24 dev "xpr$ID"
ip netns exec "$RTR" ip link set "xpr$ID" up
ip netns exec "$RTR" ip route add default via 198.19.50.1
dut sysctl -qw net.ipv4.ip_forward=1
far ip route add 198.19.50.0/24 via "$DUT4"
before=$(rtt | jq -c '[.total[0].sent, .total[0].untracked]')
check_exit "a namespace behind the DUT pings the far side through it" 0 " 10 received" \
	ip netns exec "$RTR" ping -c 10 -i 0.02 -W 2 198.18.11.1
is "... its requests are not the DUT's: neither timed nor untracked" \
	"$(rtt | jq -c '[.total[0].sent, .total[0].untracked]')" "$before"
dut sysctl -qw net.ipv4.ip_forward=0

# ---- Egress program and pins, then detach: nothing left ----
pin=$(find "$TMP/bpffs" -name xdpong_rtt_out | head -1)
is "the egress program is pinned under xdpong/<prog id>/" "$(basename "$(dirname "$(dirname "$pin")")")" xdpong
link_id=$(bpftool link show pinned "$pin" -j 2>/dev/null | jq -r '.id // empty')
prog_id=$(bpftool link show pinned "$pin" -j 2>/dev/null | jq -r '.prog_id // empty')
[ -n "$prog_id" ] || prog_id=$(bpftool prog show pinned "$pin" -j 2>/dev/null | jq -r '.id // empty')
check "... a live program" bpftool prog show id "${prog_id:-none}"
check "detach" xdpong detach "$DEV_DUT"
is "no XDP program is left on the DUT's veth" "$(dut ip -o link show "$DEV_DUT" | grep -c ' xdp')" 0
is "nothing is left in bpffs" "$(find "$TMP/bpffs" -mindepth 2 ! -name globals | wc -l)" 0
check_exit "the egress program is gone" 255 "" bpftool prog show id "${prog_id:-none}"
if [ -n "$link_id" ]; then
	# (bpftool says so with 254 or 255, by version: any failure will do)
	check "... and its link" sh -c "! bpftool link show id $link_id"
fi
is "bpftool net: nothing on the DUT's veth" \
	"$(dut bpftool net show dev "$DEV_DUT" -j | jq '[.[] | .[] | length] | add')" 0

# ---- A scan of more /24s than rows: no failure, "other" carries the rest ----
check "attach --rtt-prefixes 16" xdpong attach --rtt-prefixes 16 "$DEV_DUT"
for n in $(seq 128 191); do echo 198.18.$n.1; done >"$TMP/scan"
check "fping to 64 /24s: all alive" dut fping -q -c 1 -i 1 -t 2000 -f "$TMP/scan"
rtt >"$TMP/rtt.json"
is "the total counts all 64 sent and replied" "$(jq -c '[.total[0].sent, .total[0].replied]' "$TMP/rtt.json")" "[64,64]"
rows=$(jq '[.prefixes[] | select(.prefix | contains(":") | not)] | length' "$TMP/rtt.json")
is "at most 16 rows" "$([ "$rows" -le 16 ] && [ "$rows" -ge 1 ] && echo yes || echo "$rows")" yes
is "other carries the rest: rows + other = 64 sent, 64 replied" \
	"$(jq -c '[([.prefixes[] | select(.prefix | contains(":") | not) | .sent] | add) + .other[0].sent,
		   ([.prefixes[] | select(.prefix | contains(":") | not) | .replied] | add) + .other[0].replied]' \
		"$TMP/rtt.json")" "[64,64]"
is "... and other is not empty: $((64 - rows)) or more sent" \
	"$(jq --argjson r "$rows" '.other[0].sent >= 64 - $r' "$TMP/rtt.json")" true
check_exit "a new prefix after the scan still gets a row" 0 " 5 received" \
	dut ping -c 5 -i 0.02 -W 2 198.18.17.1
is "... 198.18.17.0/24: 5 replied" "$(row 198.18.17.0/24 replied)" 5
check_exit "ping -6 with the default /48 rows" 0 " 3 received" dut ping -6 -c 3 -i 0.02 -W 2 2001:2:0:11::1
is "... one row, 2001:2::/48" "$(row 2001:2::/48 replied)" 3
check "detach" xdpong detach "$DEV_DUT"

# ---- --no-rtt: no egress program, nothing timed ----
check "attach --no-rtt" xdpong attach --no-rtt "$DEV_DUT"
is "rtt --json: not enabled" "$(rtt | jq .enabled)" false
check_exit "rtt: says they are not timed, and how to time them" 0 \
	"not timed.*without --no-rtt time them" xdpong rtt "$DEV_DUT"
is "nothing pinned for it" "$(find "$TMP/bpffs" -name xdpong_rtt_out | wc -l)" 0
dut ping -c 3 -i 0.02 -W 2 198.18.11.1 >/dev/null
is "nothing timed" "$(rtt | jq -c '[.total[].sent] | add // 0')" 0
check "detach" xdpong detach "$DEV_DUT"

stop_responders
done_testing
