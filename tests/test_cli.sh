#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_cli.sh: every way the CLI can be misused or meet a hostile
# interface gets a clear message, its exit code, and leaves nothing changed.
# Exit codes: 2 usage, 3 no such interface, 4 capabilities, 5 state, 6 environment.
. "$(dirname "$0")/lib.sh"

setup_net

xdp_id() { dut ip -d -o link show "$1" | grep -o 'prog/xdp id [0-9]*' | awk '{print $3}'; }

# ---- Arguments ----
check_exit "no command: usage" 2 "Usage: xdpong" xdpong
check_exit "--help" 0 "attach +IFACE" xdpong --help
check_exit "attach --help lists its options" 0 "--priority N" xdpong attach --help
check_exit "unknown command" 2 "unknown command 'frobnicate'" xdpong frobnicate
check_exit "unknown option" 2 "unknown option" xdpong attach --frob "$DEV_DUT"
check_exit "attach without an interface" 2 "missing interface name" xdpong attach
check_exit "two interfaces" 2 "unexpected argument" xdpong attach "$DEV_DUT" lo
check_exit "--mode bogus" 2 "not one of: native\|skb" xdpong attach --mode bogus "$DEV_DUT"
check_exit "--priority abc" 2 "not a whole number" xdpong attach --priority abc "$DEV_DUT"
check_exit "--priority -1" 2 "not a whole number" xdpong attach --priority -1 "$DEV_DUT"
check_exit "--address 224.0.0.1 (multicast)" 2 "not a unicast" xdpong attach --address 224.0.0.1 "$DEV_DUT"
check_exit "--address garbage" 2 "not a unicast" xdpong attach --address 198.18.0.300 "$DEV_DUT"
check_exit "--sample with an unknown type" 2 "no message type is called 'nosuch'" \
	xdpong attach --sample nosuch=1 "$DEV_DUT"
check_exit "--sample without =N" 2 "not TYPE=N" xdpong attach --sample icmp:8 "$DEV_DUT"
check_exit "--sample with an unknown family" 2 "unknown family" xdpong attach --sample ipx:echo-request=1 "$DEV_DUT"
check_exit "--event-rate -5" 2 "not a whole number" xdpong attach --event-rate -5 "$DEV_DUT"
check_exit "--rtt-timeout 0" 2 "rtt-timeout: '0' is not a number of seconds" xdpong attach --rtt-timeout 0 "$DEV_DUT"
check_exit "--rtt-timeout 61" 2 "not a number of seconds from 0.1 to 60" xdpong attach --rtt-timeout 61 "$DEV_DUT"
check_exit "--rtt-timeout 1s" 2 "not a number of seconds" xdpong attach --rtt-timeout 1s "$DEV_DUT"
check_exit "--rtt-prefix-v4 0" 2 "rtt-prefix-v4: a prefix length from 1 to 32" xdpong attach --rtt-prefix-v4 0 "$DEV_DUT"
check_exit "--rtt-prefix-v4 33" 2 "rtt-prefix-v4: '33' is not a whole number from 0 to 32" \
	xdpong attach --rtt-prefix-v4 33 "$DEV_DUT"
check_exit "--rtt-prefix-v6 0" 2 "rtt-prefix-v6: a prefix length from 1 to 128" xdpong attach --rtt-prefix-v6 0 "$DEV_DUT"
check_exit "--rtt-prefix-v6 129" 2 "rtt-prefix-v6: '129' is not a whole number" xdpong attach --rtt-prefix-v6 129 "$DEV_DUT"
check_exit "--rtt-prefixes 0" 2 "rtt-prefixes must be at least 1" xdpong attach --rtt-prefixes 0 "$DEV_DUT"
check_exit "--rtt-prefixes too many" 2 "rtt-prefixes: '9999999' is not a whole number" \
	xdpong attach --rtt-prefixes 9999999 "$DEV_DUT"
check_exit "--pinger-flows 0" 2 "pinger-flows must be at least 1" xdpong attach --pinger-flows 0 "$DEV_DUT"
check_exit "--pingers takes no value" 2 "unexpected argument" xdpong attach --pingers on "$DEV_DUT"
is "nothing got attached by any of these" "$(xdp_id "$DEV_DUT")" ""
check_exit "watch --interval 0" 2 "not a number of seconds" xdpong watch --interval 0 "$DEV_DUT"
check_exit "watch --interval abc" 2 "not a number of seconds" xdpong watch --interval abc "$DEV_DUT"
check_exit "events, two --write" 2 "one file" xdpong events --write a.pcap --write b.pcap "$DEV_DUT"
check_exit "rtt --top abc" 2 "top: 'abc' is not a whole number" xdpong rtt --top abc "$DEV_DUT"
check_exit "rtt without an interface" 2 "missing interface name" xdpong rtt
check_exit "set with nothing to set" 2 "nothing to set" xdpong set "$DEV_DUT"
check_exit "set --pingers maybe" 2 "pingers: 'maybe' is not one of: on\|off" xdpong set --pingers maybe "$DEV_DUT"
check_exit "set --rtt-prefix-v4 0" 2 "a prefix length from 1 to 32" xdpong set --rtt-prefix-v4 0 "$DEV_DUT"
check_exit "set --rtt-timeout -1" 2 "not a number of seconds" xdpong set --rtt-timeout -1 "$DEV_DUT"

# ---- The interface ----
check_exit "unknown interface" 3 "Couldn't find network interface 'nosuch0'" xdpong attach nosuch0
check_exit "stats of an unknown interface" 3 "Couldn't find network interface" xdpong stats nosuch0
check_exit "a name longer than IFNAMSIZ" 3 "Couldn't find network interface" \
	xdpong attach aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
check_exit "lo is not Ethernet" 1 "not an Ethernet interface" xdpong attach lo
is "lo has no XDP program" "$(xdp_id lo)" ""

# ---- Not attached ----
check_exit "detach with nothing attached" 5 "xdpong is not attached to '$DEV_DUT'" xdpong detach "$DEV_DUT"
check_exit "stats with nothing attached" 5 "not attached" xdpong stats "$DEV_DUT"
check_exit "status with nothing attached" 5 "not attached" xdpong status "$DEV_DUT"
check_exit "status of all interfaces, none attached" 0 "not attached to any interface" xdpong status
check_exit "events with nothing attached" 5 "not attached" xdpong events "$DEV_DUT"
check_exit "watch with nothing attached" 5 "not attached" xdpong watch "$DEV_DUT"
check_exit "rtt with nothing attached" 5 "not attached" xdpong rtt "$DEV_DUT"
check_exit "set --rtt-timeout with nothing attached" 5 "not attached" xdpong set --rtt-timeout 2 "$DEV_DUT"

# ---- Privileges (capsh drops them for one command) ----
check_exit "attach without CAP_SYS_ADMIN/CAP_NET_ADMIN/CAP_BPF" 4 "CAP_NET_ADMIN.*run it as root" \
	dut capsh --drop=cap_sys_admin,cap_net_admin,cap_bpf -- -c "$XDPONG attach $DEV_DUT"
check_exit "stats without CAP_SYS_ADMIN" 4 "missing capabilities: CAP_SYS_ADMIN" \
	dut capsh --drop=cap_sys_admin -- -c "$XDPONG stats $DEV_DUT"
is "nothing got attached without privileges" "$(xdp_id "$DEV_DUT")" ""

# ---- bpffs ----
mkdir "$TMP/notbpf"
check_exit "no bpffs: says how to mount one" 6 "mount -t bpf bpf $TMP/notbpf" \
	env LIBXDP_BPFFS="$TMP/notbpf" ip netns exec "$DUT" "$XDPONG" attach "$DEV_DUT"
is "nothing got attached without bpffs" "$(xdp_id "$DEV_DUT")" ""

# ---- Native mode not supported (a bridge has no native XDP) ----
dut ip link add xpdm$ID type bridge
dut ip link set xpdm$ID up
check_exit "native mode on a bridge: try --mode skb" 6 "native mode is not supported.*--mode skb" \
	xdpong attach xpdm$ID
is "... nothing attached" "$(xdp_id xpdm$ID)" ""
check_exit "--mode skb works there" 0 "skb mode" xdpong attach --mode skb xpdm$ID
check_exit "status shows skb mode" 0 "attached in skb mode" xdpong status xpdm$ID
check "detach from the bridge" xdpong detach xpdm$ID
# Gone, or its link-local address, when it gets one, joins the next attach's.
dut ip link del xpdm$ID

# ---- Another XDP program that isn't libxdp's ----
dut ip link set dev "$DEV_DUT" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
foreign=$(xdp_id "$DEV_DUT")
check_exit "attach beside a foreign XDP program: refused" 5 "without the libxdp dispatcher.*xdp_pass" \
	xdpong attach "$DEV_DUT"
is "... the foreign program is untouched" "$(xdp_id "$DEV_DUT")" "$foreign"
check_exit "... detach doesn't remove it either" 5 "another XDP program" xdpong detach "$DEV_DUT"
is "... still there" "$(xdp_id "$DEV_DUT")" "$foreign"
dut ip link set dev "$DEV_DUT" xdp off

# ---- Attaching twice: a clear error, the first stays ----
check "attach" xdpong attach --priority 20 --address 198.18.1.1 --address 2001:2:0:1::1 "$DEV_DUT"
first=$(xdp_id "$DEV_DUT")
check_exit "attach again: already attached" 5 "already attached to '$DEV_DUT'.*detach" xdpong attach "$DEV_DUT"
is "... the first program stays" "$(xdp_id "$DEV_DUT")" "$first"
# The priority orders programs in libxdp's dispatcher; without one it has no meaning.
if xdpong status "$DEV_DUT" | grep -q "without dispatcher"; then
	is "status: no dispatcher here, so no priority shown" \
		"$(xdpong status "$DEV_DUT" | grep -c priority)" 0
else
	check_exit "status shows the priority" 0 "priority 20" xdpong status "$DEV_DUT"
fi
check_exit "status lists --address ones" 0 "198.18.1.1 \(--address\)" xdpong status "$DEV_DUT"
check_exit "status of all interfaces finds it" 0 "$DEV_DUT: xdpong attached" xdpong status
is "status --json is JSON with the program id" \
	"$(xdpong status --json "$DEV_DUT" | jq -r '.interfaces[0].prog_id')" "$first"
is "status --json lists the 2 --address ones and the host's global ones" \
	"$(xdpong status --json "$DEV_DUT" | jq -c '[.interfaces[0].addresses[] | select(.scope_ifname == null and (.broadcast | not)) | .address]')" \
	'["198.18.0.1","198.18.1.1","2001:2:0:1::1","2001:2::1"]'
is "status --json lists the subnet broadcast, flagged" \
	"$(xdpong status --json "$DEV_DUT" | jq -c '[.interfaces[0].addresses[] | select(.broadcast) | .address]')" \
	'["198.18.0.255"]'
is "status --json lists the link-local address, for this interface only" \
	"$(xdpong status --json "$DEV_DUT" | jq -r '.interfaces[0].addresses[] | select(.address | startswith("fe80:")) | .scope_ifname')" \
	"$DEV_DUT"
is "stats --json has every key" \
	"$(xdpong stats --json "$DEV_DUT" | jq -c '[has("actions"), has("reasons"), has("icmp"), has("icmpv6"), (.actions | keys)]')" \
	'[true,true,true,true,["drop","pass","tx"]]'
# an --address (say, a service address routed to this host) is answered
cli ip route add 198.18.1.1/32 via "$DUT4"
check_exit "an --address is answered" 0 " 2 received" cli ping -c 2 -i 0.01 -W 2 198.18.1.1
check_exit "events --write to a folder that doesn't exist" 1 "can't write '/nonexistent/x.pcap'" \
	xdpong events --write /nonexistent/x.pcap "$DEV_DUT"

# ---- Ping telemetry: settings, and what rtt reads from the maps ----
st() { xdpong status --json "$DEV_DUT" | jq -c ".interfaces[0] | $1"; }
is "status: the host's pings timed by default, 1 s, /24 and /48, 256 rows" \
	"$(st '.rtt | [.timed, .egress_attached, .timeout_s, .prefix_v4, .prefix_v6, .max_prefixes]')" \
	'[true,true,1,24,48,256]'
is "status: pingers not followed by default" "$(st '.pingers | [.enabled, .max_flows]')" '[false,16384]'
check_exit "status says so" 0 "the host's pings: timed at egress, lost after 1 s" xdpong status "$DEV_DUT"
check "set --rate 100" xdpong set --rate 100 "$DEV_DUT"
check_exit "set --rtt-timeout 2.5 --rtt-prefix-v6 64" 0 \
	"lost after 2.5 s, a row per IPv4 /24 and IPv6 /64; pingers not followed" \
	xdpong set --rtt-timeout 2.5 --rtt-prefix-v6 64 "$DEV_DUT"
is "... in the config" "$(st '[.rtt.timeout_s, .rtt.prefix_v4, .rtt.prefix_v6]')" '[2.5,24,64]'
is "... the rest of it untouched (the rate limit, the egress program)" \
	"$(st '[.limits.rate, .rtt.timed, .ttl]')" '[100,true,64]'
check_exit "set --pingers on" 0 "IPv6 /64; pingers followed" xdpong set --pingers on "$DEV_DUT"
is "... on, the rest untouched" "$(st '[.pingers.enabled, .rtt.timeout_s, .limits.rate]')" '[true,2.5,100]'
check_exit "set --rtt-prefix-v6 0: refused" 2 "from 1 to 128" \
	xdpong set --rtt-timeout 3 --rtt-prefix-v6 0 --pingers off "$DEV_DUT"
is "... and nothing changed" "$(st '[.rtt.timeout_s, .rtt.prefix_v6, .pingers.enabled]')" '[2.5,64,true]'
check "set --pingers off" xdpong set --pingers off "$DEV_DUT"
is "... off" "$(st '.pingers.enabled')" false
check "set --rate 0" xdpong set --rate 0 "$DEV_DUT"
check_exit "rtt before any ping" 0 "no echo request timed yet" xdpong rtt "$DEV_DUT"

# Rows written by hand (bpftool gives each CPU the same value), then read
# back: added up over the CPUs, the busiest first, "other" the total less
# the rows, quantiles within the one bucket clamped to min and max.
# A map of our program by name: maps are the host's, and other tests' have the same names.
map_id() {
	local prog ids
	prog=$(st .prog_id)
	ids=$(dut bpftool prog show id "$prog" -j | jq -c .map_ids)
	dut bpftool map show -j | jq -r --arg n "$1" --argjson ids "$ids" \
		'.[] | select(.name == $n and (.id as $i | any($ids[]; . == $i))) | .id'
}
# rtt_value SENT REPLIED LOST SUM MIN MAX BUCKET COUNT: struct xdpong_rtt_stats, in bytes
rtt_value() {
	perl -e 'my @b = (0) x 106; $b[$ARGV[6]] = $ARGV[7];
		print join(" ", unpack("C*", pack("Q<*", @ARGV[0..2], 0, 0, 0, 0, @ARGV[3..5], @b)))' "$@"
}
# rtt_key FAMILY PREFIXLEN ADDRESS-BYTES...: struct xdpong_rtt_prefix_key
rtt_key() { local f=$1 l=$2; shift 2; echo "$f $l 0 0 $*"; }
tot=$(map_id xdpong_rtt_tot) pfx=$(map_id xdpong_rtt_pfx)
is "the maps of our program found" "$(echo "$tot $pfx" | wc -w)" 2
ncpu=$(dut bpftool map dump id "$tot" -j | jq '.[0].values | length')
b1ms=$(( (20 - 10) * 4 + 1 ))   # the bucket of 1 ms: [2^20, 2^20 + 2^18) ns
v4net="0 0 0 0 0 0 0 0 0 0 255 255 198 18 5 0"
v4net2="0 0 0 0 0 0 0 0 0 0 255 255 198 18 6 0"
v6net="32 1 0 2 0 7 0 0 0 0 0 0 0 0 0 0"
if dut bpftool map update id "$tot" key 0 0 0 0 value $(rtt_value 10 8 2 8400000 1050000 1100000 $b1ms 8) &&
   dut bpftool map update id "$tot" key 1 0 0 0 value $(rtt_value 4 4 0 4200000 1050000 1050000 $b1ms 4) &&
   dut bpftool map update id "$pfx" key $(rtt_key 4 24 $v4net2) value $(rtt_value 3 3 0 3150000 1050000 1050000 $b1ms 3) &&
   dut bpftool map update id "$pfx" key $(rtt_key 4 24 $v4net) value $(rtt_value 5 4 1 4200000 1050000 1050000 $b1ms 4) &&
   dut bpftool map update id "$pfx" key $(rtt_key 6 48 $v6net) value $(rtt_value 4 4 0 4200000 1050000 1050000 $b1ms 4); then
	xdpong rtt --json "$DEV_DUT" >"$TMP/rtt.json"
	is "rtt --json: the prefixes, busiest first, summed over $ncpu CPUs" \
		"$(jq -c '[.prefixes[] | [.prefix, .family, .sent, .replied, .lost]]' "$TMP/rtt.json")" \
		"[[\"198.18.5.0/24\",4,$((5 * ncpu)),$((4 * ncpu)),$ncpu],[\"2001:2:7::/48\",6,$((4 * ncpu)),$((4 * ncpu)),0],[\"198.18.6.0/24\",4,$((3 * ncpu)),$((3 * ncpu)),0]]"
	is "rtt --json: other, the total less the rows" \
		"$(jq -c '[.other[] | [.prefix, .sent, .replied, .lost]]' "$TMP/rtt.json")" \
		"[[\"other (IPv4)\",$((2 * ncpu)),$ncpu,$ncpu],[\"other (IPv6)\",0,0,0]]"
	is "rtt --json: the totals, their quantiles within [min, max], their bucket" \
		"$(jq -c '.total[0] | [.prefix, .sent, .min_s, .p50_s >= .min_s and .p50_s <= .max_s, .max_s, .mean_s, .buckets]' "$TMP/rtt.json")" \
		"[\"all (IPv4)\",$((10 * ncpu)),0.00105,true,0.0011,0.00105,[{\"low_s\":0.001048576,\"high_s\":0.00131072,\"count\":$((8 * ncpu))}]]"
	is "rtt --json: a total with one trip length has it as every quantile" \
		"$(jq -c '.total[1] | [.p50_s, .p90_s, .p99_s]' "$TMP/rtt.json")" '[0.00105,0.00105,0.00105]'
	is "rtt --json --top 1: the busiest prefix only" \
		"$(xdpong rtt --json --top 1 "$DEV_DUT" | jq -c '[.prefixes[].prefix]')" '["198.18.5.0/24"]'
	check_exit "rtt: the table" 0 "198\.18\.5\.0/24 +$((5 * ncpu)) +$ncpu +20\.0% +1\.05ms" xdpong rtt "$DEV_DUT"
	check_exit "rtt: other and all rows" 0 "all \(IPv6\) +$((4 * ncpu)) +0 +0\.0%" xdpong rtt "$DEV_DUT"
	is "stats --json: rtt as rtt --json has it" \
		"$(xdpong stats --json "$DEV_DUT" | jq -S .rtt)" "$(jq -S . "$TMP/rtt.json")"
	check_exit "stats: the families' round trips" 0 "IPv4 +$((10 * ncpu)) +$((2 * ncpu)) +20\.0% +1\.10ms +1\.10ms" \
		xdpong stats "$DEV_DUT"
else
	not_ok "bpftool can't write the round-trip maps"
fi
check "detach" xdpong detach "$DEV_DUT"
is "nothing left attached" "$(xdp_id "$DEV_DUT")" ""
check_exit "attach --no-rtt --rtt-prefix-v4 16: refused, settings that would do nothing" 2 \
	"--no-rtt: the host's pings are not timed" \
	xdpong attach --no-rtt --rtt-prefix-v4 16 "$DEV_DUT"
is "... nothing attached" "$(xdp_id "$DEV_DUT")" ""
check_exit "attach --no-rtt --pingers --rtt-prefixes 77 --pinger-flows 99" 0 \
	"round trips not timed \(--no-rtt\); pingers followed" \
	xdpong attach --no-rtt --pingers --rtt-prefixes 77 --pinger-flows 99 "$DEV_DUT"
is "status: not timed, the tables sized as asked" \
	"$(st '[.rtt.timed, .rtt.egress_attached, .rtt.max_prefixes, .rtt.prefix_v4, .pingers.enabled, .pingers.max_flows]')" \
	'[false,false,77,24,true,99]'
check_exit "rtt: says how to time them" 0 "not timed.*attach $DEV_DUT' without --no-rtt" xdpong rtt "$DEV_DUT"
is "rtt --json: enabled false" "$(xdpong rtt --json "$DEV_DUT" 2>/dev/null | jq .enabled)" false
is "stats: no round-trip section" "$(xdpong stats "$DEV_DUT" | grep -c "ping round trips")" 0
check "detach" xdpong detach "$DEV_DUT"
is "nothing left in bpffs after detach" "$(find "$TMP/bpffs/xdpong" -mindepth 1 2>/dev/null | wc -l)" 0
check_exit "attach --monitor-only --sample echo-request=1" 0 "monitor-only: answers nothing" \
	xdpong attach --monitor-only --sample echo-request=1 "$DEV_DUT"
check_exit "status says monitor-only" 0 "monitor-only" xdpong status "$DEV_DUT"
ip netns exec "$DUT" "$XDPONG" events --json --count 2 "$DEV_DUT" >"$TMP/echo-ev" 2>&1 &
EV=$!
sleep 0.3
check_exit "a ping is answered, by the kernel" 0 " 2 received" cli ping -c 2 -i 0.2 -W 1 "$DUT4"
wait $EV
is "--sample echo-request=1: an event per request, and events --count 2 ends by itself" \
	"$(jq -r .name "$TMP/echo-ev" | sort | uniq -c | awk '{print $1, $2}')" "2 echo-request"
check "detach" xdpong detach "$DEV_DUT"
# (iproute2 made tc/globals and xdp/globals when it loaded xdp_pass)
is "nothing left in bpffs" "$(find "$TMP/bpffs" -mindepth 2 ! -name globals | tee "$TMP/left" | wc -l)" 0
diag <"$TMP/left"

done_testing
