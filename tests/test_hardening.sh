#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_hardening.sh: rate limits under a real flood, the kernel's echo
# sysctls, address tracking, and faults: a deleted interface, killed
# readers, commands racing, counters read during a flood.
. "$(dirname "$0")/lib.sh"

setup_net
now() { date +%s.%N; }

# ---- Rate limits ----
check "attach with 100 replies/s per source, burst 10" \
	xdpong attach --src-rate 100 --src-burst 10 "$DEV_DUT"
check_exit "status shows the limit" 0 "100/s \(burst 10\) per source; over a limit: pass" \
	xdpong status "$DEV_DUT"
in_echos=$(counter "$DUT" IcmpInEchos)
t0=$(now)
check_exit "a 1000-request flood (1 ms apart) is all answered" 0 " 1000 received" \
	cli ping -c 1000 -i 0.001 -W 2 -q "$DUT4"
t1=$(now)
replied=$(stat .reasons.replied)
passed=$(stat '.reasons["rate-limited-pass"]')
# GCRA: at most burst + rate x elapsed; at least most of it, the flood being faster.
max=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", 10 + 100 * (b - a) + 2 }')
min=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", 0.8 * (10 + 100 * (b - a)) }')
if [ "$replied" -le "$max" ] && [ "$replied" -ge "$min" ]; then
	ok "xdpong answered $replied, within [$min, $max] for $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s"
else
	not_ok "xdpong answered $replied, outside [$min, $max]"
fi
is "the rest went to the kernel, counted rate-limited-pass" "$((replied + passed))" 1000
is "... and the kernel answered them (IcmpInEchos)" "$(counter "$DUT" IcmpInEchos)" "$((in_echos + passed))"

check_exit "set --over-limit drop, without reattaching" 0 "over a limit: drop" \
	xdpong set --over-limit drop "$DEV_DUT"
dropped=$(stat .actions.drop)
cli ping -c 500 -i 0.001 -W 1 -q "$DUT4" >"$TMP/ping" 2>&1
received=$(awk '/received/ { print $4 }' "$TMP/ping")
is "over the limit, requests are dropped: received + dropped = sent" \
	"$((received + $(stat .actions.drop) - dropped))" 500
check_exit "set --src-rate 0 lifts the limit" 0 "no per-source limit" xdpong set --src-rate 0 "$DEV_DUT"
before=$(stat .reasons.replied)
check_exit "... then a flood is all answered" 0 " 300 received" cli ping -c 300 -i 0.001 -W 2 -q "$DUT4"
is "... by xdpong" "$(stat .reasons.replied)" "$((before + 300))"
check_exit "set without options: usage" 2 "nothing to set" xdpong set "$DEV_DUT"

# ---- Totals stay exact while a flood runs and stats reads them ----
before=$(stat .reasons.replied)
cli ping -f -c 3000 -q "$DUT4" >"$TMP/flood" 2>&1 &
FLOOD=$!
reads=0
while kill -0 $FLOOD 2>/dev/null; do stat .reasons.replied >/dev/null && reads=$((reads + 1)); done
wait $FLOOD
is "a 3000-request flood, stats read $reads times meanwhile: all answered" \
	"$(awk '/received/ { print $4 }' "$TMP/flood")" 3000
is "... and counted exactly" "$(stat .reasons.replied)" "$((before + 3000))"

# ---- The kernel's echo sysctls ----
dut sysctl -qw net.ipv4.icmp_echo_ignore_all=1
check_exit "sync picks up icmp_echo_ignore_all" 0 "config updated" xdpong sync "$DEV_DUT"
ign=$(stat '.reasons["echo-ignored"]')
check_exit "then a ping gets no reply, as from the kernel" 1 " 0 received" cli ping -c 2 -i 0.2 -W 1 "$DUT4"
is "... counted as echo-ignored" "$(stat '.reasons["echo-ignored"]')" "$((ign + 2))"
check_exit "IPv6 still answered (its own sysctl)" 0 " 2 received" cli ping -6 -c 2 -i 0.2 -W 1 "$DUT6"
dut sysctl -qw net.ipv4.icmp_echo_ignore_all=0
check "sync again" xdpong sync "$DEV_DUT"
check_exit "answered again" 0 " 2 received" cli ping -c 2 -i 0.2 -W 1 "$DUT4"
# An icmp_ratemask with the echo reply in it (not the default): the kernel
# answers under its own limit, a burst of 6 and then one a second a peer, so
# every request is its to answer, and ten at once don't all get a reply.
for fam in 4 6; do
	if [ $fam = 4 ]; then
		dut sysctl -qw net.ipv4.icmp_ratemask=$((0x1819))
		in_counter=IcmpInEchos dst=$DUT4
	else
		dut sysctl -qw net.ipv6.icmp.ratemask=0-1,3-127,129
		in_counter=Icmp6InEchos dst=$DUT6
	fi
	check_exit "IPv$fam: sync picks up a ratemask with echo replies in it" 0 "config updated" \
		xdpong sync "$DEV_DUT"
	check_exit "... status says so" 0 "rate-limits its .*IPv$fam echo replies" xdpong status "$DEV_DUT"
	rl=$(stat '.reasons["kernel-ratelimit"]')
	in=$(counter "$DUT" "$in_counter")
	cli ping -$fam -c 10 -i 0.01 -W 1 "$dst" >"$TMP/ratemask" 2>&1
	is "... the kernel saw all ten requests, counted kernel-ratelimit" \
		"$(($(counter "$DUT" "$in_counter") - in))/$(stat '.reasons["kernel-ratelimit"]')" "10/$((rl + 10))"
	got=$(awk '/received/ { print $4 }' "$TMP/ratemask")
	is "... and answered fewer (got $got)" "$((got < 10))" 1
done
dut sysctl -qw net.ipv4.icmp_ratemask=$((0x1818)) net.ipv6.icmp.ratemask=0-1,3-127
check "sync: default ratemasks" xdpong sync "$DEV_DUT"
in=$(counter "$DUT" IcmpInEchos)
check_exit "answered again" 0 " 10 received" cli ping -c 10 -i 0.01 -W 1 "$DUT4"
is "... by xdpong" "$(counter "$DUT" IcmpInEchos)" "$in"

# ---- Address tracking ----
ip netns exec "$DUT" "$XDPONG" track "$DEV_DUT" >"$TMP/track" 2>&1 &
TRACK=$!
sleep 0.5
dut ip addr add 198.18.0.77/24 dev "$DEV_DUT"
sleep 1
check_exit "track: a new address is in the map within a second" 0 "198.18.0.77" xdpong status "$DEV_DUT"
in_echos=$(counter "$DUT" IcmpInEchos)
check_exit "... and answered" 0 " 2 received" cli ping -c 2 -i 0.2 -W 1 198.18.0.77
is "... by xdpong" "$(counter "$DUT" IcmpInEchos)" "$in_echos"
dut ip addr del 198.18.0.77/24 dev "$DEV_DUT"
sleep 1
is "track: a removed address leaves the map within a second" \
	"$(xdpong status "$DEV_DUT" | grep -c 198.18.0.77)" 0
check_exit "... and is no longer answered (no stale cache)" 1 " 0 received" \
	cli ping -c 2 -i 0.2 -W 1 198.18.0.77
dut sysctl -qw net.ipv6.icmp.echo_ignore_all=1
sleep 1.5
check_exit "track: a sysctl change takes effect within its interval" 1 " 0 received" \
	cli ping -6 -c 1 -W 1 "$DUT6"
dut sysctl -qw net.ipv6.icmp.echo_ignore_all=0
kill $TRACK; wait $TRACK
is "track stops cleanly on SIGTERM" "$?" 0
dut ip addr add 198.18.0.78/24 dev "$DEV_DUT"
check_exit "without track, sync adds a new address" 0 "1 addresses added" xdpong sync "$DEV_DUT"

# ---- Killed readers leave the fast path answering ----
ip netns exec "$DUT" "$XDPONG" watch "$DEV_DUT" >/dev/null 2>&1 &
W=$!
ip netns exec "$DUT" "$XDPONG" events "$DEV_DUT" >/dev/null 2>&1 &
E=$!
sleep 0.5
kill -9 $W $E; wait $W $E 2>/dev/null
in_echos=$(counter "$DUT" IcmpInEchos)
check_exit "after kill -9 of watch and events, pings are answered" 0 " 3 received" \
	cli ping -c 3 -i 0.1 -W 1 "$DUT4"
is "... by xdpong still" "$(counter "$DUT" IcmpInEchos)" "$in_echos"

# ---- Commands racing on one interface ----
check "detach" xdpong detach "$DEV_DUT"
for n in 1 2 3; do
	ip netns exec "$DUT" "$XDPONG" attach "$DEV_DUT" >"$TMP/race$n" 2>&1 &
done
wait
is "three attaches at once: exactly one succeeds" "$(grep -l '^xdpong attached' "$TMP"/race* | wc -l)" 1
is "... the others say it is already attached (or busy)" \
	"$(grep -l 'already attached\|meanwhile\|already has an XDP program' "$TMP"/race* | wc -l)" 2
check_exit "... and pings are answered" 0 " 2 received" cli ping -c 2 -i 0.2 -W 1 "$DUT4"

# ---- The interface disappears while attached ----
dut ip link del "$DEV_DUT"
check_exit "status after the interface is gone" 3 "Couldn't find network interface '$DEV_DUT'" \
	xdpong status "$DEV_DUT"
check_exit "stats after the interface is gone" 3 "Couldn't find network interface" xdpong stats "$DEV_DUT"
check_exit "detach after the interface is gone" 3 "Couldn't find network interface" xdpong detach "$DEV_DUT"
check_exit "status of all interfaces: nothing attached" 0 "not attached to any interface" xdpong status
is "nothing is left in bpffs" "$(find "$TMP/bpffs" -mindepth 2 ! -name globals | wc -l)" 0

done_testing
