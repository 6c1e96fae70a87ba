#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_host_changes.sh: the host's configuration beyond addresses and plain
# routes, and its changes, end to end against the kernel: a sync that fails
# (xdpong must then answer nothing: its maps may be stale), source-specific
# and TOS routes, a device without its fe80::/64 route, a static NOARP
# neighbour, MTUs the kernel fragments its reply under (the device's IPv6
# MTU, which a Router Advertisement may lower; a route's), a route's hop
# limit, a route whose lifetime ends, and the kernel's route exceptions (a
# forged frag-needed, packet-too-big, redirect).
# Each case: what xdpong does, counted under its reason, and what the kernel
# alone does with the same pings.
. "$(dirname "$0")/lib.sh"

PY=${PYTHON:-/usr/bin/python3}
setup_net
dut_mac=$(dut cat /sys/class/net/"$DEV_DUT"/address)
cli_mac=$(cli cat /sys/class/net/"$DEV_CLI"/address)
dut_ll=$(dut ip -6 addr show dev "$DEV_DUT" scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }')
cli_ll=$(cli ip -6 addr show dev "$DEV_CLI" scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }')
[ -n "$dut_ll" ] && [ -n "$cli_ll" ] || bail "no link-local addresses"
# Static neighbours both ways: no resolution in the way of what is tested.
dut ip neigh replace "$CLI4" lladdr "$cli_mac" dev "$DEV_DUT" nud permanent
dut ip -6 neigh replace "$CLI6" lladdr "$cli_mac" dev "$DEV_DUT" nud permanent
dut ip -6 neigh replace "$cli_ll" lladdr "$cli_mac" dev "$DEV_DUT" nud permanent
cli ip neigh replace "$DUT4" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
cli ip -6 neigh replace "$DUT6" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
cli ip -6 neigh replace "$dut_ll" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent

in_echos() { echo $(($(counter "$DUT" IcmpInEchos) + $(counter "$DUT" Icmp6InEchos))); }
reason() { stat ".reasons[\"$1\"] // 0"; }

# kernel_alone PATTERN PING-ARGS...: detached, the kernel alone gives the
# same pings the same count of replies; then xdpong is attached again.
kernel_alone() {
	local want=$1
	shift
	check "detach" xdpong detach "$DEV_DUT"
	check_exit "... and the kernel alone:$want too" "$([ "$want" = " 0 received" ] && echo 1 || echo 0)" \
		"$want" cli ping -c 3 -i 0.01 -W 1 "$@"
	check "attach again" xdpong attach "$DEV_DUT"
}

# client_source ADDR|-ADDR: the client's pings to the DUT's /64 leave from
# ADDR (another prefix, which the DUT routes back as the case sets up), or
# no longer (-ADDR).
client_source() {
	local a=${1#-}
	if [ "$1" = "$a" ]; then
		cli ip addr add "$a/128" dev "$DEV_CLI" nodad &&
			cli ip -6 route add 2001:2::/64 dev "$DEV_CLI" src "$a" metric 1
	else
		cli ip -6 route del 2001:2::/64 dev "$DEV_CLI" src "$a" metric 1
		cli ip addr del "$a/128" dev "$DEV_CLI"
	fi
}

# start_track OUT: track the DUT every 0.2 s, its output in OUT; $TRACK.
start_track() {
	xdpong track --interval 0.2 "$DEV_DUT" >"$1" 2>&1 &
	TRACK=$!
	sleep 0.5
}

# forge SCAPY-EXPR: the client sends a frame made by scapy.
forge() {
	cli "$PY" -c "from scapy.all import *; sendp($1, iface='$DEV_CLI', verbose=0)" ||
		bail "scapy can't send"
}

check "attach" xdpong attach "$DEV_DUT"
e=$(in_echos)
check_exit "a plain ping is answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by xdpong" "$(in_echos)" "$e"

# ---- A sync that fails: every request to the kernel until one succeeds ----
check "detach" xdpong detach "$DEV_DUT"
check "attach --max-addrs 12" xdpong attach --max-addrs 12 "$DEV_DUT"
dut ip addr add 198.18.0.99/24 dev "$DEV_DUT"
check "sync: 198.18.0.99 added" xdpong sync "$DEV_DUT"
check_exit "198.18.0.99 answered" 0 " 2 received" cli ping -c 2 -i 0.01 -W 2 198.18.0.99
start_track "$TMP/track.out"
dut ip addr del 198.18.0.99/24 dev "$DEV_DUT"
for i in $(seq 1 20); do echo "address add 198.19.1.$i/32 dev $DEV_DUT"; done >"$TMP/add.batch"
dut ip -batch "$TMP/add.batch"
check_exit "a sync past the address map's size fails, saying so" 1 "more than the" \
	xdpong sync "$DEV_DUT"
sleep 0.5
e=$(in_echos) n=$(reason not-in-step)
check_exit "the address removed since gets no reply (the map still has it)" 1 " 0 received" \
	cli ping -c 2 -i 0.01 -W 1 198.18.0.99
check_exit "an address still there is answered" 0 " 2 received" cli ping -c 2 -i 0.01 -W 2 "$DUT4"
is "... by the kernel (both counted not-in-step)" "$(($(in_echos) - e))/$(($(reason not-in-step) - n))" "2/4"
check_exit "status says so" 0 "not in step" xdpong status "$DEV_DUT"
is "track is still running" "$(kill -0 "$TRACK" 2>/dev/null && echo yes)" yes
dut ip -batch <(sed 's/^address add/address del/' "$TMP/add.batch")
sleep 1
e=$(in_echos)
check_exit "the addresses gone again, track's next sync succeeds: answered" 0 " 2 received" \
	cli ping -c 2 -i 0.01 -W 2 "$DUT4"
is "... by xdpong" "$(in_echos)" "$e"
kill "$TRACK"; wait "$TRACK" 2>/dev/null
check_exit "track said it was not in step, and then in step again" 0 "in step with the host again" \
	cat "$TMP/track.out"
diag <"$TMP/track.out"
check "detach" xdpong detach "$DEV_DUT"
check "attach" xdpong attach "$DEV_DUT"

# ---- Routes that depend on more than the destination ----
# An IPv6 route for some sources only: the kernel has no route back for a
# reply from $DUT6, and sends none.
client_source 2001:2:80::5
dut ip -6 route add 2001:2:80::/64 from 2001:2::99/128 via "$CLI6" dev "$DEV_DUT"
check "sync: a source-specific route" xdpong sync "$DEV_DUT"
p=$(reason policy-routing)
check_exit "a request from a prefix only a source-specific route reaches gets no reply" 1 \
	" 0 received" cli ping -6 -c 3 -i 0.01 -W 1 -I 2001:2:80::5 "$DUT6"
is "... counted policy-routing" "$(reason policy-routing)" "$((p + 3))"
kernel_alone " 0 received" -6 -I 2001:2:80::5 "$DUT6"
dut ip -6 route del 2001:2:80::/64 from 2001:2::99/128
client_source -2001:2:80::5
# A TOS route: the kernel replies by it for requests of its TOS, whatever
# the metrics.
dut ip route add 198.18.60.0/24 tos 0x10 via "$CLI4" dev "$DEV_DUT"
check "sync: a TOS route" xdpong sync "$DEV_DUT"
p=$(reason policy-routing) e=$(in_echos)
check_exit "with a TOS route, requests are answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 -Q 0x10 "$DUT4"
is "... by the kernel (policy-routing)" "$(($(in_echos) - e))/$(($(reason policy-routing) - p))" "3/3"
dut ip route del 198.18.60.0/24 tos 0x10
check "sync" xdpong sync "$DEV_DUT"

# ---- A link-local source, the device without its fe80::/64 route ----
e=$(in_echos)
check_exit "a link-local source is answered" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 "$dut_ll%$DEV_CLI"
is "... by xdpong" "$(in_echos)" "$e"
dut ip -6 route del fe80::/64 dev "$DEV_DUT"
check "sync: no fe80::/64 route" xdpong sync "$DEV_DUT"
n=$(reason no-route)
check_exit "without the device's fe80::/64 route, a link-local source gets no reply" 1 \
	" 0 received" cli ping -6 -c 3 -i 0.01 -W 1 "$dut_ll%$DEV_CLI"
is "... counted no-route" "$(reason no-route)" "$((n + 3))"
kernel_alone " 0 received" -6 "$dut_ll%$DEV_CLI"
dut ip -6 route add fe80::/64 dev "$DEV_DUT"
check "sync: the route back" xdpong sync "$DEV_DUT"
check_exit "... with it back, answered again" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 "$dut_ll%$DEV_CLI"

# ... nor where a better fe80::/64 route of the device's goes through a
# gateway: the kernel replies there.
dut ip -6 neigh replace fe80::fe lladdr 02:00:00:00:00:fe dev "$DEV_DUT" nud permanent
dut ip -6 route add fe80::/64 via fe80::fe dev "$DEV_DUT" metric 100
check "sync: fe80::/64 via a gateway, metric 100" xdpong sync "$DEV_DUT"
n=$(reason no-route)
check_exit "a link-local source then gets no reply here" 1 " 0 received" \
	cli ping -6 -c 3 -i 0.01 -W 1 "$dut_ll%$DEV_CLI"
is "... counted no-route" "$(reason no-route)" "$((n + 3))"
kernel_alone " 0 received" -6 "$dut_ll%$DEV_CLI"
dut ip -6 route del fe80::/64 via fe80::fe dev "$DEV_DUT" metric 100
check "sync" xdpong sync "$DEV_DUT"

# ---- A route's hoplimit: the kernel's reply takes it ----
dut ip route add "$CLI4/32" dev "$DEV_DUT" hoplimit 9
check "sync: a route with hoplimit 9" xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "a ping routed back by it is answered with TTL 9" 0 "ttl=9 " \
	cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by the kernel" "$(($(in_echos) - e))" 3
dut ip route replace "$CLI4/32" dev "$DEV_DUT" hoplimit "$(dut sysctl -n net.ipv4.ip_default_ttl)"
check "sync: the same route with the default TTL as its hoplimit" xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "... answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by xdpong" "$(in_echos)" "$e"
dut ip route del "$CLI4/32" dev "$DEV_DUT"
check "sync" xdpong sync "$DEV_DUT"

# ---- A static NOARP neighbour: the kernel replies to its MAC, whatever
# ARP says; so must xdpong ----
dut ip neigh replace "$CLI4" lladdr 02:00:00:00:00:aa dev "$DEV_DUT" nud noarp
cli ip neigh del "$DUT4" dev "$DEV_CLI"
check "sync: a NOARP neighbour" xdpong sync "$DEV_DUT"
r=$(reason replied)
check_exit "the client (ARP first) gets no reply: it goes to the NOARP entry's MAC" 1 " 0 received" \
	cli ping -c 3 -i 0.01 -W 1 "$DUT4"
is "... which xdpong sent there" "$(reason replied)" "$((r + 3))"
kernel_alone " 0 received" "$DUT4"
dut ip neigh replace "$CLI4" lladdr "$cli_mac" dev "$DEV_DUT" nud permanent
cli ip neigh replace "$DUT4" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
check "sync" xdpong sync "$DEV_DUT"

# ---- MTUs: the kernel fragments a reply longer than the device's IPv6
# MTU, or a route's; xdpong leaves those to it ----
dut sysctl -qw "net.ipv6.conf.$DEV_DUT.mtu=1280"
check "sync: IPv6 MTU 1280" xdpong sync "$DEV_DUT"
e=$(in_echos) t=$(reason reply-too-big)
check_exit "a 1300-byte IPv6 ping under an IPv6 MTU of 1280 is answered" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 -s 1300 "$DUT6"
is "... by the kernel (reply-too-big)" "$(($(in_echos) - e))/$(($(reason reply-too-big) - t))" "3/3"
e=$(in_echos)
check_exit "a 1200-byte one" 0 " 3 received" cli ping -6 -c 3 -i 0.01 -W 2 -s 1200 "$DUT6"
is "... by xdpong" "$(in_echos)" "$e"
dut sysctl -qw "net.ipv6.conf.$DEV_DUT.mtu=1500"
dut ip route add "$CLI4/32" dev "$DEV_DUT" mtu lock 1000
check "sync: a route with an MTU" xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "a 1200-byte ping routed back under an MTU of 1000 is answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 -s 1200 "$DUT4"
is "... by the kernel" "$(($(in_echos) - e))" 3
dut ip route del "$CLI4/32" dev "$DEV_DUT"
check "sync" xdpong sync "$DEV_DUT"

# ---- A route whose lifetime ends: the kernel stops using it at once ----
client_source 2001:2:70::5
dut ip -6 route add 2001:2:70::/64 via "$CLI6" dev "$DEV_DUT" expires 3
start_track "$TMP/track2.out"
e=$(in_echos)
check_exit "a source routed back by a route with a lifetime is answered" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 "$DUT6"
is "... by xdpong" "$(in_echos)" "$e"
sleep 3.5
r=$(reason replied)
check_exit "the route expired (still in the kernel's dump): no reply" 1 " 0 received" \
	cli ping -6 -c 3 -i 0.01 -W 1 "$DUT6"
is "... none from xdpong" "$(reason replied)" "$r"
kill "$TRACK"; wait "$TRACK" 2>/dev/null
kernel_alone " 0 received" -6 "$DUT6"
dut ip -6 route del 2001:2:70::/64 2>/dev/null
client_source -2001:2:70::5

# ---- A redirect: an exception in the kernel's route cache, which no
# netlink message announces; track reads it at its next sync ----
client_source 2001:2:50::5
dut ip -6 route add 2001:2:50::/64 via "$cli_ll" dev "$DEV_DUT"
dut ip -6 neigh replace fe80::fd lladdr 02:00:00:00:00:fd dev "$DEV_DUT" nud permanent
start_track "$TMP/track3.out"
e=$(in_echos)
check_exit "a source routed back by a gateway is answered" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 "$DUT6"
is "... by xdpong" "$(in_echos)" "$e"
# The gateway (the client, from its link-local address) redirects the DUT's
# traffic for 2001:2:50::5 to fe80::fd, a station at another MAC.
forge "Ether(dst='$dut_mac', src='$cli_mac') / IPv6(src='$cli_ll', dst='$DUT6', hlim=255) /
       ICMPv6ND_Redirect(tgt='fe80::fd', dst='2001:2:50::5') /
       ICMPv6NDOptDstLLAddr(lladdr='02:00:00:00:00:fd')"
check_exit "the kernel took the redirect" 0 "via fe80::fd" dut ip -6 route get 2001:2:50::5
sleep 0.5
x=$(reason route-exception)
check_exit "after it, the replies go to fe80::fd: none here" 1 " 0 received" \
	cli ping -6 -c 3 -i 0.01 -W 1 "$DUT6"
is "... the kernel's to send (route-exception)" "$(reason route-exception)" "$((x + 3))"
kill "$TRACK"; wait "$TRACK" 2>/dev/null
kernel_alone " 0 received" -6 "$DUT6"

# ---- A frag-needed or packet-too-big about the host's own packet: the
# kernel keeps a path MTU for the destination and fragments its replies
# there (IPv4's shows in no dump until it has sent there itself) ----
forge "Ether(dst='$dut_mac', src='$cli_mac') / IP(src='$CLI4', dst='$DUT4') /
       ICMP(type=3, code=4, nexthopmtu=1000) /
       IP(src='$DUT4', dst='$CLI4', flags='DF', len=1228) / ICMP(type=0, id=7, seq=1)"
e=$(in_echos) x=$(reason route-exception)
check_exit "a 1200-byte ping after a frag-needed of MTU 1000 about the host's packet to it" 0 \
	" 3 received" cli ping -c 3 -i 0.01 -W 2 -M dont -s 1200 "$DUT4"
is "... answered by the kernel (route-exception)" \
	"$(($(in_echos) - e))/$(($(reason route-exception) - x))" "3/3"
check_exit "... which keeps that path MTU" 0 "mtu 1000" dut ip route get "$CLI4"
forge "Ether(dst='$dut_mac', src='$cli_mac') / IPv6(src='$cli_ll', dst='$DUT6') /
       ICMPv6PacketTooBig(mtu=1280) /
       IPv6(src='$dut_ll', dst='$cli_ll') / ICMPv6EchoReply(id=7, seq=1, data=b'x' * 1300)"
e=$(in_echos) x=$(reason route-exception)
check_exit "a 1300-byte ping from a link-local address after a packet-too-big about it" 0 \
	" 3 received" cli ping -6 -c 3 -i 0.01 -W 2 -s 1300 "$dut_ll%$DEV_CLI"
is "... answered by the kernel (route-exception)" \
	"$(($(in_echos) - e))/$(($(reason route-exception) - x))" "3/3"
check "detach" xdpong detach "$DEV_DUT"

done_testing
