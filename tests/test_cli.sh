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
is "nothing got attached by any of these" "$(xdp_id "$DEV_DUT")" ""
check_exit "watch --interval 0" 2 "not a number of seconds" xdpong watch --interval 0 "$DEV_DUT"
check_exit "watch --interval abc" 2 "not a number of seconds" xdpong watch --interval abc "$DEV_DUT"
check_exit "events, two --write" 2 "one file" xdpong events --write a.pcap --write b.pcap "$DEV_DUT"

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
check "detach" xdpong detach "$DEV_DUT"
is "nothing left attached" "$(xdp_id "$DEV_DUT")" ""
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
