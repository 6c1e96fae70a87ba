#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_pingers.sh: the pings xdpong answers (`attach --pingers`, `xdpong
# pingers`), followed from the requests alone: per source prefix, requests,
# bytes, sequence gaps (requests dropped on the way, by nftables in the
# client), reordering and duplicates (scapy), iputils timestamps and the
# jitter they show, payloads unlike a ping client's. What was sent is the
# oracle: ping's own counts, and the frames scapy built.
. "$(dirname "$0")/lib.sh"

if ! "$XDPONG" pingers --help >/dev/null 2>&1; then
	echo "1..0 # SKIP xdpong has no pingers command (ping telemetry not built)"
	exit 0
fi

PY=${PYTHON:-/usr/bin/python3}   # Debian's, where python3-scapy is
"$PY" -c 'import scapy' 2>/dev/null || bail "python3-scapy is missing ($PY can't import scapy)"
command -v nft >/dev/null || bail "nft is missing: apt-get install nftables"

setup_net
# One client address per scenario: each is a source row of its own.
for h in 3 10 11 12 13 14; do cli ip addr add 198.18.0.$h/24 dev "$DEV_CLI"; done
# ... and an IPv6 client in another /64, on the link (a route both ways).
cli ip addr add 2001:2:0:1::2/64 dev "$DEV_CLI" nodad
dut ip -6 route add 2001:2:0:1::/64 dev "$DEV_DUT"
# The DUT knows each of them as a neighbour, as after any earlier traffic:
# a source it has no entry for is the kernel's to resolve, and its first
# request the kernel's to answer (test_parity.sh), which would leave a row
# one request short here.
cli_mac=$(cli cat /sys/class/net/"$DEV_CLI"/address)
for a in 198.18.0.2 198.18.0.3 198.18.0.10 198.18.0.11 198.18.0.12 198.18.0.13 198.18.0.14 \
	2001:2:0:1::2; do
	dut ip neigh replace "$a" lladdr "$cli_mac" dev "$DEV_DUT" nud permanent
done

check "attach --pingers" xdpong attach --pingers "$DEV_DUT"
pingers() { xdpong pingers --json "$DEV_DUT"; }
# src PREFIX FIELD: a field of the source row PREFIX.
# (FIELD: a name, or a jq expression on the row)
src() {
	local f=$2
	case $f in .* | \[*) ;; *) f=.$f ;; esac
	pingers | jq -r --arg p "$1" ".sources[] | select(.prefix == \$p) | $f"
}
is "pingers --json: enabled, no source yet" "$(pingers | jq -c '[.enabled, (.sources | length)]')" "[true,0]"

# ---- ping, with requests 5, 6 and 12 dropped on the way ----
cli nft -f - <<'NFT' || bail "nftables in the client namespace"
table inet xpdrop {
	chain out {
		type filter hook output priority 0;
		ip saddr 198.18.0.2 icmp type echo-request icmp sequence { 5, 6, 12 } drop
		ip6 saddr 2001:2::2 icmpv6 type echo-request icmpv6 sequence { 5, 6, 12 } drop
	}
}
NFT
check_exit "ping -c 20: 17 replies, 3 dropped on the way" 0 "20 packets transmitted, 17 received" \
	cli ping -c 20 -i 0.05 -W 1 "$DUT4"
check_exit "ping -6 -c 20: the same" 0 "20 packets transmitted, 17 received" \
	cli ping -6 -c 20 -i 0.05 -W 1 "$DUT6"
for p in 198.18.0.2/32 2001:2::/64; do
	is "$p: 1 flow, 17 requests of 64 ICMP bytes, 3 gaps, no reordering, no duplicate" \
		"$(src "$p" '[.flows, .requests, .bytes, .gaps, .reordered, .duplicates] | @csv')" "1,17,1088,3,0,0"
	is "$p: all 17 timestamped (iputils), none odd, last length 56" \
		"$(src "$p" '[.timestamped, .odd_payload, .last_len] | @csv')" "17,0,56"
	is "$p: rate about 20 a second (between 10 and 40)" \
		"$(src "$p" '.rate >= 10 and .rate <= 40')" true
	is "$p: jitter of a steady ping under 5 ms" "$(src "$p" '.jitter_s >= 0 and .jitter_s < 0.005')" true
done
cli nft delete table inet xpdrop

# ---- A second client: a second row, its own counts ----
check_exit "a second client pings 7 times" 0 " 7 received" cli ping -c 7 -i 0.02 -I 198.18.0.3 "$DUT4"
is "two IPv4 source rows" "$(pingers | jq '[.sources[] | select(.prefix | contains(":") | not)] | length')" 2
is "198.18.0.3/32: 7 requests, no gap" "$(src 198.18.0.3/32 '[.requests, .gaps] | @csv')" "7,0"
is "198.18.0.2/32 unchanged: 17" "$(src 198.18.0.2/32 .requests)" 17
is "the IPv6 rows by /64: 2001:2::/64 and 2001:2:0:1::/64 apart" \
	"$(cli ping -6 -c 2 -i 0.02 -I 2001:2:0:1::2 "$DUT6" >/dev/null; src 2001:2:0:1::/64 requests)" 2

# ---- ping -p: a ping client's pattern; scapy's random bytes: not ----
check_exit "ping -p ff00 -s 100 is answered" 0 " 5 received" \
	cli ping -c 5 -i 0.02 -p ff00 -s 100 -I 198.18.0.10 "$DUT4"
is "198.18.0.10/32: timestamped, not odd, last length 100" \
	"$(src 198.18.0.10/32 '[.timestamped, .odd_payload, .last_len] | @csv')" "5,0,100"

# frames.py (not scapy.py, which would hide scapy itself): frames from the client, ICMP echo requests with chosen
# sequences and payloads. Each call is one flow (one identifier).
cat >"$TMP/frames.py" <<'PY'
import os, struct, sys, time
from scapy.all import IP, ICMP, send
src, dst, ident, what = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), sys.argv[4]
def iputils(extra=0.0):
    # iputils' payload: struct timeval (native, 64-bit), then bytes 0x10, 0x11, ...
    t = time.time() - extra
    return struct.pack("=qq", int(t), int((t % 1) * 1e6)) + bytes(range(0x10, 0x10 + 40))
def req(seq, data):
    return IP(src=src, dst=dst) / ICMP(type=8, id=ident, seq=seq) / data
if what == "random":      # 20 requests of random bytes, 64 then 1000 long
    for i in range(1, 21):
        send(req(i, os.urandom(64 if i <= 10 else 1000)), verbose=0)
        time.sleep(0.01)
elif what == "holes":      # sequences 1, 2, 3, 7, 8: 3 missing
    for s in (1, 2, 3, 7, 8):
        send(req(s, iputils()), verbose=0)
        time.sleep(0.01)
elif what == "reorder":    # 1, 2, 4, 3, 5, 5: one late, one again
    for s in (1, 2, 4, 3, 5, 5):
        send(req(s, iputils()), verbose=0)
        time.sleep(0.01)
elif what == "jitter":     # 40 timestamps alternately 0 and 10 ms old
    for s in range(1, 41):
        send(req(s, iputils(0.010 * (s % 2))), verbose=0)
        time.sleep(0.02)
PY
scapy() { cli "$PY" "$TMP/frames.py" "$1" "$DUT4" "$2" "$3"; }
before=$(stat .reasons.replied)
scapy 198.18.0.11 0x1111 random
is "20 random payloads answered" "$(stat .reasons.replied)" "$((before + 20))"
is "198.18.0.11/32: 20 requests, 20 odd, none timestamped, last length 1000" \
	"$(src 198.18.0.11/32 '[.requests, .odd_payload, .timestamped, .last_len] | @csv')" "20,20,0,1000"
is "... bytes: 10 x 72 + 10 x 1008" "$(src 198.18.0.11/32 .bytes)" $((10 * 72 + 10 * 1008))

scapy 198.18.0.12 0x2222 holes
is "sequences 1, 2, 3, 7, 8: 3 gaps, timestamped, not odd" \
	"$(src 198.18.0.12/32 '[.requests, .gaps, .reordered, .duplicates, .timestamped, .odd_payload] | @csv')" \
	"5,3,0,0,5,0"

scapy 198.18.0.13 0x3333 reorder
is "sequences 1, 2, 4, 3, 5, 5: 1 reordered, 1 duplicate" \
	"$(src 198.18.0.13/32 '[.requests, .reordered, .duplicates] | @csv')" "6,1,1"

scapy 198.18.0.14 0x4444 jitter
is "timestamps 10 ms apart in transit, alternately: jitter between 5 and 12 ms" \
	"$(src 198.18.0.14/32 '.jitter_s > 0.005 and .jitter_s < 0.012')" true

# ---- Two flows from one source add up in its row ----
scapy 198.18.0.12 0x2223 holes
is "198.18.0.12/32: 2 flows, 10 requests, 6 gaps" "$(src 198.18.0.12/32 '[.flows, .requests, .gaps] | @csv')" "2,10,6"

# ---- A flood of spoofed sources churning a small table ----
# 30000 sources of 198.19.0.0/16, each one flow (its identifier fixed), round
# and round into 4096 flows: every flow read is pushed out soon after. A read
# of the table must end, and count each flow once (get_next_key's walk starts
# over when its key is pushed out, and re-added flows).
check "detach" xdpong detach "$DEV_DUT"
# Answered only with a route back to the sources (attach mirrors the routes),
# through a next hop the DUT has a neighbour entry for: the client.
dut ip route add 198.19.0.0/16 via "$CLI4" dev "$DEV_DUT"
check "attach --pingers --pinger-flows 4096" xdpong attach --pingers --pinger-flows 4096 "$DEV_DUT"
# flood.py: echo requests from 198.19.0.0/16, as frames to the DUT's MAC (the
# client has no such address to send from), until $TMP/stop appears; a request
# is 16 ICMP bytes. A raw socket: scapy sends too few for the churn.
cat >"$TMP/flood.py" <<'PY'
import os, socket, struct, sys
dev, dmac, smac, stop = sys.argv[1:5]
eth = bytes.fromhex(dmac.replace(":", "") + smac.replace(":", "")) + b"\x08\x00"
dst = socket.inet_aton("198.18.0.1")
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    return ~((s & 0xffff) + (s >> 16)) & 0xffff
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((dev, 0))
seq = 0
while seq < 200 and not os.path.exists(stop):   # 200 rounds: a bound, should stop go missing
    seq += 1
    for i in range(30000):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 36, 0, 0, 64, 1, 0,
                         struct.pack("!BBH", 198, 19, i), dst)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        icmp = struct.pack("!BBHHH8x", 8, 0, 0, i, seq)
        icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
        sock.send(eth + ip + icmp)
PY
cli "$PY" "$TMP/flood.py" "$DEV_CLI" "$(dut cat /sys/class/net/"$DEV_DUT"/address)" \
	"$(cli cat /sys/class/net/"$DEV_CLI"/address)" "$TMP/stop" &
flood=$!
# Read once the flood has gone round once: the table has turned over.
for _ in $(seq 100); do [ "$(stat .reasons.replied)" -gt 30000 ] && break; sleep 0.1; done
before=$(stat .reasons.replied)
for n in 1 2 3; do
	t0=$(date +%s%N)
	dut timeout 30 "$XDPONG" pingers --json --top 0 "$DEV_DUT" >"$TMP/flood$n.json" 2>&1
	rc=$? t1=$(date +%s%N)
	# 5 s for 4096 flows: a bound on a walk that ends, not a benchmark.
	is "flood, read $n: pingers --json ends (exit 0), within 5 s" \
		"$rc/$(((t1 - t0) / 1000000 < 5000))" "0/1"
	is "flood, read $n: each flow once (one a source), 16 bytes a request, at most 4096 + 1/8 + 256 flows" \
		"$(jq '([.sources[] | select(.flows != 1 or .bytes != 16 * .requests)] | length),
			(.sources | length <= 4096 + 512 + 256 and length > 0)' "$TMP/flood$n.json" | paste -sd,)" \
		"0,true"
done
is "the flood was answered as the table was read" "$(($(stat .reasons.replied) > before))" 1
touch "$TMP/stop"
wait "$flood"

# Quiet now: the same rows as a get_next_key walk of the table gives
# (bpftool's dump), added up by hand.
pingers_map() {
	local ids
	ids=$(dut bpftool prog show id "$(xdpong status --json "$DEV_DUT" | jq ".interfaces[0].prog_id")" -j | jq -c .map_ids)
	dut bpftool map show -j | jq -r --argjson ids "$ids" \
		'.[] | select(.name == "xdpong_pingers" and (.id as $i | any($ids[]; . == $i))) | .id'
}
if command -v bpftool >/dev/null && dut bpftool map dump id "$(pingers_map)" -j >"$TMP/dump.json"; then
	# dump_rows BITS: the dump's flows by IPv4 /BITS (8 or 16 or 32), as pingers shows them.
	dump_rows() {
		jq -c --argjson b "$1" '[.[].formatted | select(.key.family == 4)
			| {p: ((.key.src.addr[12:16] | to_entries
				| map(if .key < $b / 8 then .value else 0 end | tostring) | join(".")) + "/\($b)"),
			   v: .value}]
			| group_by(.p) | map({prefix: .[0].p, flows: length,
				requests: (map(.v.requests) | add), bytes: (map(.v.bytes) | add),
				gaps: (map(.v.gaps) | add), reordered: (map(.v.reordered) | add)})
			| sort_by(.prefix)' "$TMP/dump.json"
	}
	ours() {
		xdpong pingers --json --top 0 --prefix-v4 "$1" "$DEV_DUT" |
			jq -c '[.sources[] | {prefix, flows, requests, bytes, gaps, reordered}] | sort_by(.prefix)'
	}
	is "quiet: the dump's $(jq length "$TMP/dump.json") flows, one row each by /32" "$(ours 32)" "$(dump_rows 32)"
	is "quiet: by /16, one row of them all" "$(ours 16)" "$(dump_rows 16)"
	is "quiet: busiest first" \
		"$(xdpong pingers --json --top 0 "$DEV_DUT" | jq '[.sources[].requests] | . == (sort | reverse)')" true
else
	skip "no bpftool to dump the table with"
fi
check "detach" xdpong detach "$DEV_DUT"
dut ip route del 198.19.0.0/16 via "$CLI4" dev "$DEV_DUT"

# ---- Without --pingers: nothing followed ----
check "attach without --pingers" xdpong attach "$DEV_DUT"
cli ping -c 3 -i 0.02 "$DUT4" >/dev/null
is "pingers --json: not enabled, no source" "$(pingers | jq -c '[.enabled, (.sources | length)]')" "[false,0]"
check "detach" xdpong detach "$DEV_DUT"

done_testing
