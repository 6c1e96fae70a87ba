#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_monitor.sh: real ICMP and ICMPv6 errors, made by real Linux kernels
# (a router and a far host), counted by xdpong on the monitored host. The
# monitor's per-type counts must equal the host kernel's own counters, its
# per-code counts what the router and the far host say they sent, its MTUs
# the link's; the event stream and its pcap must show the same packets.
. "$(dirname "$0")/lib.sh"

setup_routed_net
# --no-rtt: the host's pings here get errors, not replies; ping telemetry
# would count them lost and add its events to the errors' (test_rtt.sh's).
check "attach --monitor-only" xdpong attach --monitor-only --no-rtt "$DEV_DUT"

# The event stream, for the whole test.
ip netns exec "$DUT" "$XDPONG" events --json --write "$TMP/ev.pcap" "$DEV_DUT" >"$TMP/ev.json" 2>"$TMP/ev.err" &
EVENTS=$!
sleep 0.5

rtr() { ip netns exec "$RTR" "$@"; }
far() { ip netns exec "$FAR" "$@"; }
# msgs FAMILY TYPE [CODE]: packets the monitor counted.
msgs() {
	local sel=".type == $2"
	[ -n "${3:-}" ] && sel="$sel and .code == $3"
	stat "[.$1[] | select($sel) | .packets] | add // 0"
}

# phase DESC FAMILY TYPE CODE NS COUNTER CMD...: run CMD, which makes NS send
# errors (its nstat COUNTER); the monitor must count exactly those.
phase() {
	local desc=$1 fam=$2 type=$3 code=$4 ns=$5 ctr=$6 before sent seen; shift 6
	before=$(msgs "$fam" "$type" "$code")
	sent=$(counter "$ns" "$ctr")
	"$@" >/dev/null 2>&1
	sleep 0.3
	sent=$(( $(counter "$ns" "$ctr") - sent ))
	seen=$(( $(msgs "$fam" "$type" "$code") - before ))
	if [ "$sent" -gt 0 ] && [ "$seen" = "$sent" ]; then
		ok "$desc: $seen counted as $fam $type/$code"
	else
		not_ok "$desc: $fam $type/$code"
		echo "$ns sent $sent ($ctr), the monitor counted $seen" | diag
	fi
}

# ---- IPv4 ----
phase "TTL expiry (ping -t 1)" icmp 11 0 "$RTR" IcmpOutTimeExcds \
	dut ping -c 3 -i 0.2 -t 1 -W 1 "$FAR4"
# The router limits route errors per source to about one a second after a
# burst (net.ipv4.route.error_cost), sharing its token with other errors.
sleep 1.1
phase "unreachable route" icmp 3 1 "$RTR" IcmpOutDestUnreachs \
	dut ping -c 2 -i 0.2 -W 1 198.18.3.1
sleep 1.1
phase "prohibit route" icmp 3 13 "$RTR" IcmpOutDestUnreachs \
	dut ping -c 2 -i 0.2 -W 1 198.18.4.1
sleep 1.1
phase "no route" icmp 3 0 "$RTR" IcmpOutDestUnreachs \
	dut ping -c 2 -i 0.2 -W 1 198.18.5.1
phase "closed UDP port" icmp 3 3 "$FAR" IcmpOutDestUnreachs \
	dut bash -c "echo a > /dev/udp/$FAR4/33434; sleep 0.1; echo b > /dev/udp/$FAR4/33434"
low=$(stat '.errors.icmp.mtu_histogram[] | select(.mtu == "1400-1479") | .count')
phase "DF packet over a 1400-byte link" icmp 3 4 "$RTR" IcmpOutDestUnreachs \
	dut ping -c 1 -M do -s 1472 -W 1 "$FAR4"
is "... its MTU, 1400, in the histogram" \
	"$(stat '.errors.icmp.mtu_histogram[] | select(.mtu == "1400-1479") | .count')" "$((low + 1))"

# ---- IPv6 ----
phase "hop limit expiry (ping -6 -t 1)" icmpv6 3 0 "$RTR" Icmp6OutTimeExcds \
	dut ping -6 -c 3 -i 0.2 -t 1 -W 1 "$FAR6"
phase "no route" icmpv6 1 0 "$RTR" Icmp6OutDestUnreachs \
	dut ping -6 -c 2 -i 0.2 -W 1 2001:2:0:5::1
phase "prohibit route" icmpv6 1 1 "$RTR" Icmp6OutDestUnreachs \
	dut ping -6 -c 2 -i 0.2 -W 1 2001:2:0:4::1
phase "address unreachable (no neighbour)" icmpv6 1 3 "$RTR" Icmp6OutDestUnreachs \
	dut ping -6 -c 1 -W 5 2001:2:0:2::99
phase "closed UDP port" icmpv6 1 4 "$FAR" Icmp6OutDestUnreachs \
	dut bash -c "echo a > /dev/udp/$FAR6/33434; sleep 0.1; echo b > /dev/udp/$FAR6/33434"
low=$(stat '.errors.icmpv6.mtu_histogram[] | select(.mtu == "1400-1479") | .count')
phase "packet too big for a 1400-byte link" icmpv6 2 0 "$RTR" Icmp6OutPktTooBigs \
	dut ping -6 -c 1 -s 1452 -W 1 "$FAR6"
is "... its MTU, 1400, in the histogram" \
	"$(stat '.errors.icmpv6.mtu_histogram[] | select(.mtu == "1400-1479") | .count')" "$((low + 1))"

# ---- The monitor against the host kernel's own per-type counters ----
is "ICMP dest-unreachable = IcmpInDestUnreachs" "$(msgs icmp 3)" "$(counter "$DUT" IcmpInDestUnreachs)"
is "ICMP time-exceeded = IcmpInTimeExcds" "$(msgs icmp 11)" "$(counter "$DUT" IcmpInTimeExcds)"
is "ICMPv6 dest-unreachable = Icmp6InDestUnreachs" "$(msgs icmpv6 1)" "$(counter "$DUT" Icmp6InDestUnreachs)"
is "ICMPv6 packet-too-big = Icmp6InPktTooBigs" "$(msgs icmpv6 2)" "$(counter "$DUT" Icmp6InPktTooBigs)"
is "ICMPv6 time-exceeded = Icmp6InTimeExcds" "$(msgs icmpv6 3)" "$(counter "$DUT" Icmp6InTimeExcds)"
is "ICMPv6 neighbour advertisements = Icmp6InNeighborAdvertisements" \
	"$(msgs icmpv6 136)" "$(counter "$DUT" Icmp6InNeighborAdvertisements)"
is "every error quoted a packet of ours: none unsolicited" \
	"$(stat '.errors.icmp.unsolicited + .errors.icmpv6.unsolicited')" 0
is "no quote was malformed" "$(stat '.errors.icmp.quote_malformed + .errors.icmpv6.quote_malformed')" 0

# ---- Monitor-only: echo requests go to the kernel ----
in_echos=$(counter "$DUT" IcmpInEchos)
check_exit "a ping to the monitored host is answered" 0 " 2 received" far ping -c 2 -i 0.2 -W 1 198.18.1.1
is "... by its kernel, not by xdpong" "$(counter "$DUT" IcmpInEchos)" "$((in_echos + 2))"
is "... counted as monitor-only" "$(stat '.reasons["monitor-only"]')" 2

# ---- watch and stats show the names ----
check_exit "watch: rates with names" 0 "dest-unreachable/admin-prohibited" \
	xdpong watch --count 1 --interval 0.2 "$DEV_DUT"
check_exit "stats: names in the table" 0 "packet-too-big" xdpong stats "$DEV_DUT"
check_exit "stats --per-cpu" 0 "cpu +reason" xdpong stats --per-cpu "$DEV_DUT"

# ---- The events, and the pcap ----
errors=$(stat '.errors.icmp.errors + .errors.icmpv6.errors')
sleep 0.3
kill "$EVENTS"; wait "$EVENTS"
is "events exited cleanly on SIGTERM" "$?" 0
is "one event per error" "$(grep -c '"error":true' "$TMP/ev.json")" "$errors"
is "stats counted them sent" "$(stat .events.sent)" "$errors"
is "two events carry MTU 1400 (IPv4, IPv6)" "$(jq -s '[.[] | select(.mtu == 1400)] | length' "$TMP/ev.json")" 2
is "the port-unreachable events quote our UDP packets to port 33434" \
	"$(jq -s -c '[.[] | select(.name == "dest-unreachable/port") | [.inner.proto, .inner.dport, .inner.dst]] | unique' "$TMP/ev.json")" \
	'[[17,33434,"198.18.2.1"],[17,33434,"2001:2:0:2::1"]]'
is "the TTL events quote our pings to the far host" \
	"$(jq -s -c '[.[] | select(.name == "time-exceeded/ttl") | [.src, .inner.proto, .inner.dst]] | unique' "$TMP/ev.json")" \
	'[["198.18.1.254",1,"198.18.2.1"]]'
tcpdump -r "$TMP/ev.pcap" -n >"$TMP/pcap.txt" 2>"$TMP/pcap.err"
is "tcpdump reads the pcap: one packet per event" "$(wc -l <"$TMP/pcap.txt")" "$errors"
is "... the same errors" \
	"$(grep -c 'unreachable\|time exceeded\|packet too big\|need to frag' "$TMP/pcap.txt")" "$errors"

check "detach" xdpong detach "$DEV_DUT"
done_testing
