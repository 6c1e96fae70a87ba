#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_tx_failed.sh: replies the driver fails to transmit after XDP_TX. veth
# hands XDP_TX frames only to a peer with an XDP program, and only frames
# within the peer's MTU: with the client's program removed, or replies too big
# for the client, the pings get nothing, and tx_failed must count exactly the
# replies xdpong sent (tx) that the client never got. The client kernel's
# counters are the oracle for "never got".
. "$(dirname "$0")/lib.sh"

setup_net
COUNT=10
dut_mac=$(dut cat /sys/class/net/"$DEV_DUT"/address)

# ---- The client's veth without an XDP program: every reply is lost ----
cli ip link set dev "$DEV_CLI" xdpdrv off
check_exit "attach warns that the peer has no XDP program, and what to do" 0 \
	"warning: '$DEV_DUT' is a veth whose peer '$DEV_CLI'.* has no XDP program.*--mode skb" \
	xdpong attach "$DEV_DUT"
is "... in one line" "$(grep -c . "$TMP/out")" 2
is "... and attaches all the same" "$(dut ip -o link show "$DEV_DUT" | grep -c ' xdp')" 1
is "stats: tx_failed starts at 0" "$(stat .tx_failed)/$(stat .actions.tx)" 0/0
prog_id=$(dut ip -o link show "$DEV_DUT" | sed -n 's/.*prog\/xdp id \([0-9]*\).*/\1/p')
pins="$TMP/bpffs/xdpong/$prog_id"
# (beside ping telemetry's egress program and its sweep: test_rtt.sh's)
is "attach pinned the counters and the two tracepoint links" \
	"$(ls "$pins" 2>&1 | grep -v '^xdpong_rtt_' | tr '\n' ' ')" "xdpong_tx_failed xdpong_txf_bulk_tx xdpong_txf_exception "

reps=$(counter "$CLI" IcmpInEchoReps)
reps6=$(counter "$CLI" Icmp6InEchoReplies)
check_exit "ping gets no reply" 1 " 0 received" cli ping -c $COUNT -i 0.01 -W 1 "$DUT4"
check_exit "ping -6 gets no reply" 1 " 0 received" cli ping -6 -c $COUNT -i 0.01 -W 1 "$DUT6"
is "... the client kernel got none (IcmpInEchoReps, Icmp6InEchoReplies)" \
	"$(counter "$CLI" IcmpInEchoReps)/$(counter "$CLI" Icmp6InEchoReplies)" "$reps/$reps6"
is "... yet xdpong answered all $((2 * COUNT)) (tx)" "$(stat .actions.tx)" $((2 * COUNT))
is "tx_failed counts exactly the lost replies" "$(stat .tx_failed)" $((2 * COUNT))
# serve exports them, by cause (one textfile write, then stopped).
mkdir "$TMP/tf"
# Started directly, so that $! is serve itself.
ip netns exec "$DUT" "$XDPONG" serve --textfile "$TMP/tf" --interval 1 >/dev/null 2>&1 &
SERVE=$!
for _ in $(seq 50); do [ -e "$TMP/tf/xdpong.prom" ] && break; sleep 0.1; done
kill "$SERVE"; wait "$SERVE" 2>/dev/null
is "serve: xdpong_tx_failed_total by cause" \
	"$(grep "^xdpong_tx_failed_total{ifname=\"$DEV_DUT\",cause=\"peer_unable\"}" "$TMP/tf/xdpong.prom" | awk '{print $2}')" \
	$((2 * COUNT))
is "... all as 'veth peer without XDP program'" \
	"$(xdpong stats --json "$DEV_DUT" | jq -c .tx_failures)" \
	"{\"refused\":0,\"peer_unable\":$((2 * COUNT)),\"peer_dropped\":0}"
is "stats shows tx_failed right below tx" \
	"$(xdpong stats "$DEV_DUT" | grep -A1 '^  tx ' | awk 'NR == 2 { print $1, $2, $3 }')" \
	"tx_failed $((2 * COUNT)) -"
check_exit "... and why" 0 "veth peer without XDP program \(or down\) +$((2 * COUNT))$" \
	xdpong stats "$DEV_DUT"
check_exit "watch shows it beside tx" 0 "  tx_failed +0 +$((2 * COUNT))$" \
	xdpong watch --interval 0.1 --count 1 "$DEV_DUT"

# ---- The peer's program back: replies arrive, tx_failed stays put ----
cli ip link set dev "$DEV_CLI" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
check_exit "with the peer's program back, ping gets every reply" 0 " $COUNT received" \
	cli ping -c $COUNT -i 0.01 -W 1 "$DUT4"
check_exit "... and ping -6" 0 " $COUNT received" cli ping -6 -c $COUNT -i 0.01 -W 1 "$DUT6"
is "... answered by xdpong (tx)" "$(stat .actions.tx)" $((4 * COUNT))
is "tx_failed stays put" "$(stat .tx_failed)" $((2 * COUNT))

# ---- Replies over the client's MTU ----
# The client can't send a frame over its own MTU, so its requests come from a
# 9000-byte veth (xpm) in its namespace, redirected by tc onto its 1500-byte
# veth, which checks only the DUT's MTU (9000). The replies, as big, are over
# the client's: veth drops them (xdp_bulk_tx, err 0).
XPM=xpm$ID
if dut ip link set "$DEV_DUT" mtu 9000 &&
   cli ip link add "$XPM" mtu 9000 type veth peer name xpn$ID mtu 9000 &&
   cli ip link set "$XPM" up && cli ip link set xpn$ID up &&
   cli ip neigh replace "$DUT4" lladdr "$dut_mac" dev "$XPM" nud permanent &&
   cli ip route add "$DUT4/32" dev "$XPM" &&
   cli tc qdisc add dev "$XPM" clsact &&
   cli tc filter add dev "$XPM" egress u32 match u32 0 0 \
	action mirred egress redirect dev "$DEV_CLI" 2>"$TMP/err"; then
	check "sync: the DUT's new MTU" xdpong sync "$DEV_DUT"
	tx=$(stat .actions.tx)
	failed=$(stat .tx_failed)
	check_exit "5 pings of 3000 bytes onto the client's 1500-byte MTU get no reply" 1 \
		" 0 received" cli ping -M do -s 3000 -c 5 -i 0.01 -W 1 "$DUT4"
	is "... xdpong answered them" "$(stat .actions.tx)" $((tx + 5))
	is "... tx_failed counts the 5" "$(stat .tx_failed)" $((failed + 5))
	is "... as 'veth peer's ring full, or over its MTU'" "$(stat .tx_failures.peer_dropped)" 5
else
	skip "no tc u32 or mirred here: $(cat "$TMP/err")"
fi
cli ip link del "$XPM" 2>/dev/null
dut ip link set "$DEV_DUT" mtu 1500

# ---- Not counted: the outputs say so ----
# (as when an older xdpong attached, or attach couldn't load the tracer)
map_id=$(bpftool -j map show pinned "$pins/xdpong_tx_failed" | jq .id)
rm "$pins/xdpong_tx_failed"
is "stats --json: tx_failed null when it isn't counted" "$(stat .tx_failed)" null
check_exit "stats says it isn't counted" 0 "tx_failed +- +- +\(not counted" xdpong stats "$DEV_DUT"
check_exit "... and watch" 0 "tx_failed +- +not counted" xdpong watch --interval 0.1 --count 1 "$DEV_DUT"
bpftool map pin id "$map_id" "$pins/xdpong_tx_failed"

# ---- Detach removes the tracer ----
link_prog=$(bpftool -j link show pinned "$pins/xdpong_txf_bulk_tx" | jq -r .prog_id)
check "detach" xdpong detach "$DEV_DUT"
is "nothing is left in bpffs" "$(find "$TMP/bpffs" -mindepth 2 ! -name globals | wc -l)" 0
is "the tracing program is gone" \
	"$(bpftool prog show id "$link_prog" >/dev/null 2>&1 && echo there || echo gone)" gone

# ---- Generic (skb) mode: the stack's own transmit path ----
# There XDP_TX goes through the driver's ndo_start_xmit: veth delivers it
# without a peer program, and xdp_exception fires only if the driver refuses
# the frame.
cli ip link set dev "$DEV_CLI" xdpdrv off
check_exit "attach --mode skb beside a peer without XDP" 0 "skb mode" xdpong attach --mode skb "$DEV_DUT"
is "... doesn't warn: the stack's path needs nothing of the peer" "$(grep -c warning "$TMP/out")" 0
check_exit "skb mode: ping gets every reply" 0 " $COUNT received" cli ping -c $COUNT -i 0.01 -W 1 "$DUT4"
is "... from xdpong (tx), none failed" "$(stat .actions.tx)/$(stat .tx_failed)" "$COUNT/0"

# veth refuses a frame (NETDEV_TX_BUSY) when the peer's XDP ring is full and
# our device has a qdisc. To fill the ring (256 frames), the client's NAPI
# runs as a thread on the CPU whose softirq answers a 1000-request burst, so
# it can't drain the ring meanwhile. Whether a burst overflows it varies, so
# up to 5 bursts; every one must count exactly the replies the client kernel
# didn't get (IcmpInEchoReps; ping itself misses some in a burst).
cli ip link set dev "$DEV_CLI" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
if dut tc qdisc add dev "$DEV_DUT" root tbf rate 10gbit burst 1000000 latency 100ms 2>"$TMP/err" &&
   cli sh -c "echo 1 > /sys/class/net/$DEV_CLI/threaded" 2>>"$TMP/err" &&
   napi=$(ps -eo pid=,comm= | awk -v d="napi/$DEV_CLI" '$2 == d || index($2, d "-") == 1 { print $1 }') &&
   [ -n "$napi" ] && taskset -p 1 $napi >/dev/null 2>>"$TMP/err"; then
	exact=yes
	for burst in 1 2 3 4 5; do
		tx=$(stat .actions.tx) failed=$(stat .tx_failed) reps=$(counter "$CLI" IcmpInEchoReps)
		cli taskset -c 0 ping -q -f -l 1000 -c 1000 -W 1 "$DUT4" >/dev/null
		lost=$(( $(stat .actions.tx) - tx - ($(counter "$CLI" IcmpInEchoReps) - reps) ))
		[ $(( $(stat .tx_failed) - failed )) = "$lost" ] ||
			{ exact="burst $burst: $lost lost, tx_failed +$(( $(stat .tx_failed) - failed ))"; break; }
		[ "$lost" -gt 0 ] && break
	done
	if [ "$lost" -gt 0 ] || [ "$exact" != yes ]; then
		is "skb mode, peer's ring full ($lost of 1000 replies lost in burst $burst): tx_failed counts exactly those" \
			"$exact" yes
		is "... as refused by the driver (xdp_exception)" \
			"$(stat .tx_failures.refused)" "$(stat .tx_failed)"
	else
		skip "skb mode: 5 bursts didn't fill the peer's ring"
	fi
	dut tc qdisc del dev "$DEV_DUT" root
else
	skip "skb mode, peer's ring full: no tbf or threaded NAPI here: $(cat "$TMP/err")"
fi
check "detach from skb mode" xdpong detach "$DEV_DUT"

# ---- The usual case: no warning ----
check_exit "attach beside a peer with an XDP program" 0 "attached" xdpong attach "$DEV_DUT"
is "... doesn't warn" "$(grep -c warning "$TMP/out")" 0
check "detach" xdpong detach "$DEV_DUT"

done_testing
