#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_parity.sh: what the kernel would not answer, xdpong must not answer
# either, end to end with real pings and the kernel's own counters:
# the route back (rp_filter, asymmetric routes, no route, policy routing),
# the neighbour table's MAC, disable_ipv6, addresses on a down interface or
# in a VRF; and the address map under churn: thousands of addresses,
# a map too small (every request to the kernel until a sync fits), a subnet
# with hundreds of addresses, nothing flapping.
. "$(dirname "$0")/lib.sh"

setup_net
# A second interface of the DUT's (a veth pair inside it: no dummy module here).
DUM=xpm$ID
dut ip link add "$DUM" type veth peer name xpn$ID && dut ip link set "$DUM" up &&
	dut ip link set xpn$ID up || bail "can't add a second interface"
dut ip addr add 198.18.5.1/24 dev "$DUM"
dut ip addr add 2001:2:5::1/64 dev "$DUM" nodad
dut_mac=$(dut cat /sys/class/net/"$DEV_DUT"/address)
# The client reaches the dummy's subnets through the DUT.
cli ip route add 198.18.5.0/24 via "$DUT4"
cli ip route add 198.18.9.0/24 via "$DUT4"
cli ip route add 198.19.0.0/16 via "$DUT4"
cli ip -6 route add 2001:2:5::/64 via "$DUT6"

# in_echos: the DUT kernel's echo requests seen, both families.
in_echos() { echo $(($(counter "$DUT" IcmpInEchos) + $(counter "$DUT" Icmp6InEchos))); }

# kernel_alone_silent PING-ARGS...: detached, the kernel alone sends no
# reply to the same pings either; then xdpong is attached again.
kernel_alone_silent() {
	check "detach" xdpong detach "$DEV_DUT"
	check_exit "... and the kernel alone sends none either" 1 " 0 received" \
		cli ping -c 2 -i 0.01 -W 1 "$@"
	check "attach again" xdpong attach "$DEV_DUT"
}

# refused REASON WHAT PING-ARGS...: three pings get no reply, counted under
# REASON, and the kernel alone sends none either.
refused() {
	local reason=$1 what=$2 n
	shift 2
	n=$(stat ".reasons[\"$reason\"]")
	check_exit "$what gets no reply" 1 " 0 received" cli ping -c 3 -i 0.01 -W 1 "$@"
	is "... counted $reason" "$(stat ".reasons[\"$reason\"]")" "$((n + 3))"
	kernel_alone_silent "$@"
}

check "attach" xdpong attach "$DEV_DUT"

# ---- The route back: rp_filter, asymmetric routes, no route ----
# xdpong answers only where the route back to the source leaves by the
# interface the request came in on; elsewhere the kernel decides: it drops
# the request (rp_filter 1, no route) or replies by the other interface.
for rpf in 1 2 0; do
	dut sysctl -qw net.ipv4.conf.all.rp_filter=$rpf
	check "rp_filter $rpf: sync" xdpong sync "$DEV_DUT"
	e=$(in_echos)
	check_exit "rp_filter $rpf: a request routed back through the interface is answered" 0 \
		" 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
	is "... by xdpong (the kernel saw none)" "$(in_echos)" "$e"
done
# A source the DUT routes out of its second interface, and one it can't route.
cli ip addr add 198.18.5.77/32 dev "$DEV_CLI"
cli ip addr add 198.18.9.9/32 dev "$DEV_CLI"
for rpf in 1 2 0; do
	dut sysctl -qw net.ipv4.conf.all.rp_filter=$rpf
	check "rp_filter $rpf: sync" xdpong sync "$DEV_DUT"
	el=$(stat '.reasons["route-elsewhere"]')
	nr=$(stat '.reasons["no-route"]')
	check_exit "rp_filter $rpf: a source routed back elsewhere gets no reply here" 1 \
		" 0 received" cli ping -c 3 -i 0.01 -W 1 -I 198.18.5.77 "$DUT4"
	check_exit "rp_filter $rpf: a source with no route back gets none" 1 " 0 received" \
		cli ping -c 3 -i 0.01 -W 1 -I 198.18.9.9 "$DUT4"
	is "... counted as route-elsewhere and no-route" \
		"$(stat '.reasons["route-elsewhere"]')/$(stat '.reasons["no-route"]')" "$((el + 3))/$((nr + 3))"
done
# The kernel alone agrees.
check "detach" xdpong detach "$DEV_DUT"
check_exit "... and the kernel alone sends neither a reply here" 1 " 0 received" \
	cli ping -c 2 -i 0.01 -W 1 -I 198.18.5.77 "$DUT4"
check_exit "... nor there" 1 " 0 received" cli ping -c 2 -i 0.01 -W 1 -I 198.18.9.9 "$DUT4"
check "attach again" xdpong attach "$DEV_DUT"
# A route added later, through the interface: sync follows it.
dut ip route add 198.18.9.0/24 via 198.18.0.2
check_exit "sync picks up a new route" 0 "[1-9][0-9]* route changes" xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "now that source is answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 -I 198.18.9.9 "$DUT4"
is "... by xdpong" "$(in_echos)" "$e"
# The same source in an AnyIP range of the DUT's (a local route on lo, in the
# local table, which the kernel looks at first): the host's own, a martian.
dut ip route add local 198.18.9.0/24 dev lo
check "sync: a local route" xdpong sync "$DEV_DUT"
refused no-route "a source in an AnyIP range of the host's" -I 198.18.9.9 "$DUT4"
dut ip route del local 198.18.9.0/24 dev lo
check "sync: the local route is gone" xdpong sync "$DEV_DUT"
check_exit "... and the source is answered again" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 -I 198.18.9.9 "$DUT4"
# IPv6 looks in the local table first, whatever the length: a source in a
# longer main-table prefix inside a local one (AnyIP on lo) is the host's.
cli ip addr add 2001:2:9:1::9/128 dev "$DEV_CLI" nodad
dut ip -6 neigh replace "$CLI6" lladdr "$(cli cat /sys/class/net/"$DEV_CLI"/address)" dev "$DEV_DUT" nud permanent
dut ip -6 route add 2001:2:9:1::/64 via "$CLI6" dev "$DEV_DUT"
cli ip -6 neigh replace "$DUT6" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
check "sync: a route to the client's second IPv6 prefix" xdpong sync "$DEV_DUT"
check_exit "a source in it is answered" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 -I 2001:2:9:1::9 "$DUT6"
dut ip -6 route add local 2001:2:9::/48 dev lo
check "sync: an IPv6 AnyIP range around it" xdpong sync "$DEV_DUT"
refused no-route "then it" -6 -I 2001:2:9:1::9 "$DUT6"
dut ip -6 route del local 2001:2:9::/48 dev lo
dut ip -6 route del 2001:2:9:1::/64 via "$CLI6" dev "$DEV_DUT"
dut ip -6 neigh del "$CLI6" dev "$DEV_DUT"
cli ip -6 neigh del "$DUT6" dev "$DEV_CLI"
cli ip addr del 2001:2:9:1::9/128 dev "$DEV_CLI"
check "sync" xdpong sync "$DEV_DUT"
# A route back with an encapsulation (lightweight tunnel: MPLS, seg6, ip):
# what goes out is the kernel's to make.
dut ip route replace 198.18.9.0/24 encap ip id 1 dst 198.18.0.2 via 198.18.0.2 dev "$DEV_DUT"
check "sync: a route with an encapsulation" xdpong sync "$DEV_DUT"
nr=$(stat '.reasons["no-route"]')
e=$(in_echos)
check_exit "a request routed back through an encapsulation is answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 -I 198.18.9.9 "$DUT4"
is "... by the kernel, counted no-route" "$(in_echos)/$(stat '.reasons["no-route"]')" \
	"$((e + 3))/$((nr + 3))"
dut ip route del 198.18.9.0/24
# Policy routing: one rule beyond the defaults, and requests go to the kernel.
dut ip rule add from 198.18.9.0/24 lookup 100
check_exit "a custom ip rule: sync warns" 0 "warning: .*policy routing" xdpong sync "$DEV_DUT"
pr=$(stat '.reasons["policy-routing"]')
e=$(in_echos)
check_exit "... and a request is answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by the kernel, counted policy-routing" \
	"$(in_echos)/$(stat '.reasons["policy-routing"]')" "$((e + 3))/$((pr + 3))"
dut ip rule del from 198.18.9.0/24 lookup 100
check "sync: the rule is gone" xdpong sync "$DEV_DUT"

# ---- A class E address of the DUT's, as a source ----
# Never answered for (240/4), but the host's own: a request from it is a
# martian to the kernel, whatever the neighbour table says.
dut ip addr add 240.1.0.5/16 dev "$DEV_DUT"
dut ip neigh replace 240.1.0.5 lladdr "$(cli cat /sys/class/net/"$DEV_CLI"/address)" dev "$DEV_DUT" nud permanent
cli ip addr add 240.1.0.5/32 dev "$DEV_CLI"
cli ip route add 240.1.0.0/16 dev "$DEV_CLI"
cli ip neigh replace "$DUT4" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
check "sync: a class E address" xdpong sync "$DEV_DUT"
refused src-invalid "a request from the DUT's own class E address" -I 240.1.0.5 "$DUT4"
cli ip neigh del "$DUT4" dev "$DEV_CLI"
cli ip route del 240.1.0.0/16 dev "$DEV_CLI"
cli ip addr del 240.1.0.5/32 dev "$DEV_CLI"
dut ip neigh del 240.1.0.5 dev "$DEV_DUT"
dut ip addr del 240.1.0.5/16 dev "$DEV_DUT"
check "sync" xdpong sync "$DEV_DUT"

# ---- IPsec: with xfrm policies, the kernel decides ----
# An inbound policy makes it drop a plaintext request it covers; an outbound
# one makes it encrypt the reply (here, with no SA, send none); so does a
# default that blocks. xdpong sees no policy in XDP: every request is the
# kernel's while any holds.
for pol in "policy add src 198.18.0.0/24 dst 198.18.0.1/32 dir in tmpl proto esp mode transport level required" \
	"policy add src 198.18.0.1/32 dst 198.18.0.0/24 dir out tmpl proto esp mode transport level required" \
	"policy setdefault in block"; do
	dut ip xfrm $pol || bail "ip xfrm $pol"
	check_exit "ip xfrm $pol: sync warns" 0 "warning: .*IPsec" xdpong sync "$DEV_DUT"
	ip=$(stat '.reasons["ipsec-policy"]')
	check_exit "... and the request gets no reply" 1 " 0 received" cli ping -c 3 -i 0.01 -W 1 "$DUT4"
	is "... it went to the kernel, counted ipsec-policy" "$(stat '.reasons["ipsec-policy"]')" "$((ip + 3))"
	kernel_alone_silent "$DUT4"
	dut ip xfrm policy flush
	dut ip xfrm policy setdefault in accept
	check "sync: the policy gone" xdpong sync "$DEV_DUT"
done
check "sync: no policy left" xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "answered again" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by xdpong" "$(in_echos)" "$e"

# ---- The neighbour table decides the reply's MAC ----
# A request from a forged source MAC: the reply goes where the kernel's
# would, to the MAC its neighbour table has for the client.
cli_mac=$(cli cat /sys/class/net/"$DEV_CLI"/address)
dut ip neigh replace "$CLI4" lladdr "$cli_mac" dev "$DEV_DUT" nud permanent
check "sync picks up the neighbour" xdpong sync "$DEV_DUT"
cli ip link set dev "$DEV_CLI" address 02:00:00:00:77:01
cli ip link set dev "$DEV_CLI" promisc on
cli timeout 5 tcpdump -c 2 -U -Z root -i "$DEV_CLI" -n -e -w "$TMP/mac.pcap" icmp >/dev/null 2>&1 &
TCPD=$!
sleep 1
cli ping -c 1 -W 1 "$DUT4" >/dev/null 2>&1
wait $TCPD
is "the reply went to the neighbour table's MAC, not the request's" \
	"$(tcpdump -r "$TMP/mac.pcap" -n -e 2>/dev/null | grep -c "> $cli_mac.*echo reply")" 1
cli ip link set dev "$DEV_CLI" promisc off
cli ip link set dev "$DEV_CLI" address "$cli_mac"
dut ip neigh del "$CLI4" dev "$DEV_DUT"
check "sync" xdpong sync "$DEV_DUT"

# ---- A next hop the neighbour table lacks is the kernel's ----
# A source on the link that no one answers ARP for: the kernel asks, hears
# nothing, and never replies; xdpong must not reply either (to the
# request's MAC, say). The client keeps the DUT's MAC by hand, so that it
# sends no ARP of its own from that address.
cli ip addr add 198.18.0.50/32 dev "$DEV_CLI"
cli sysctl -qw net.ipv4.conf."$DEV_CLI".arp_ignore=8
cli ip neigh replace "$DUT4" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
check "sync" xdpong sync "$DEV_DUT"
nn=$(stat '.reasons["no-neighbour"]')
e=$(in_echos)
check_exit "a source on the link no one answers ARP for gets no reply" 1 " 0 received" \
	cli ping -c 3 -i 0.01 -W 1 -I 198.18.0.50 "$DUT4"
is "... the kernel saw the requests, counted no-neighbour" \
	"$(in_echos)/$(stat '.reasons["no-neighbour"]')" "$((e + 3))/$((nn + 3))"
kernel_alone_silent -I 198.18.0.50 "$DUT4"
cli sysctl -qw net.ipv4.conf."$DEV_CLI".arp_ignore=0
cli ip neigh del "$DUT4" dev "$DEV_CLI"
cli ip -6 neigh del "$DUT6" dev "$DEV_CLI" 2>/dev/null
# A client first met after attach: its ARP request (neighbour solicitation)
# came first, the kernel made its entry from it, and so did xdpong: answered
# here from the first request, with no sync in between.
cli ip addr add 198.18.0.51/32 dev "$DEV_CLI"
cli ip addr add 2001:2::51/128 dev "$DEV_CLI" nodad
e=$(in_echos)
check_exit "a client first met after attach is answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 -I 198.18.0.51 "$DUT4"
check_exit "... over IPv6 too" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 -I 2001:2::51 "$DUT6"
is "... by xdpong, from the first request (its ARP / solicitation was learnt)" "$(in_echos)" "$e"
dut ip neigh show | grep -q "198.18.0.51 .*lladdr" && ok "... and the kernel made the entry too" ||
	not_ok "... and the kernel made the entry too"
# With arp_ignore set, whether the kernel makes the entry depends on more
# than the frame: nothing is learnt from ARP, and a new client's requests
# are the kernel's until a sync.
dut sysctl -qw net.ipv4.conf."$DEV_DUT".arp_ignore=1
check "sync: arp_ignore" xdpong sync "$DEV_DUT"
cli ip neigh del "$DUT4" dev "$DEV_CLI"
cli ip addr add 198.18.0.52/32 dev "$DEV_CLI"
e=$(in_echos)
check_exit "arp_ignore: a client first met after attach is answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 -I 198.18.0.52 "$DUT4"
is "... by the kernel (nothing learnt from its ARP)" "$(in_echos)" "$((e + 3))"
dut sysctl -qw net.ipv4.conf."$DEV_DUT".arp_ignore=0
check "sync" xdpong sync "$DEV_DUT"
cli ip addr del 198.18.0.52/32 dev "$DEV_CLI"
# A client that asks nothing first (it has the DUT's MAC already): its first
# request is the kernel's, which asks for the client's MAC; the answer is
# learnt as the kernel takes it, and the rest are xdpong's.
cli ip neigh replace "$DUT4" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
cli ip addr add 198.18.0.53/32 dev "$DEV_CLI"
e=$(in_echos)
check_exit "a client that sent no ARP first is answered" 0 " 5 received" \
	cli ping -c 5 -i 0.2 -W 2 -I 198.18.0.53 "$DUT4"
is "... its first request by the kernel, the rest by xdpong (the kernel's ARP answer learnt)" \
	"$(in_echos)" "$((e + 1))"
cli ip neigh del "$DUT4" dev "$DEV_CLI"
cli ip addr del 198.18.0.53/32 dev "$DEV_CLI"
cli ip addr del 198.18.0.50/32 dev "$DEV_CLI"
cli ip addr del 198.18.0.51/32 dev "$DEV_CLI"
cli ip addr del 2001:2::51/128 dev "$DEV_CLI"
# The DUT meets 198.18.0.2 again (its entry went above): one ping, which the
# kernel answers once it has asked for the MAC. Its own resolution is the
# kernel's (xdpong learns from requests, not replies): a sync mirrors it.
cli ping -c 1 -W 2 "$DUT4" >/dev/null
check "sync: the neighbour the kernel resolved" xdpong sync "$DEV_DUT"

# ---- An address on a down interface ----
dut sysctl -qw net.ipv6.conf."$DUM".keep_addr_on_down=1
e=$(in_echos)
check_exit "the dummy's address, up: answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 198.18.5.1
is "... by xdpong" "$(in_echos)" "$e"
dut ip link set "$DUM" down
check "sync after the dummy went down" xdpong sync "$DEV_DUT"
nl=$(stat '.reasons["dst-not-local"]')
e=$(in_echos)
check_exit "the second interface's IPv4 address, down: the kernel still answers" 0 \
	" 3 received" cli ping -c 3 -i 0.01 -W 2 198.18.5.1
is "... and so does xdpong (its local route stays)" "$(in_echos)" "$e"
check_exit "its IPv6 address kept on down: no reply (its local route is gone)" 1 \
	" 0 received" cli ping -6 -c 3 -i 0.01 -W 1 2001:2:5::1
is "... counted as dst-not-local" "$(stat '.reasons["dst-not-local"]')" "$((nl + 3))"
kernel_alone_silent -6 2001:2:5::1
dut ip link set "$DUM" up
dut ip addr replace 2001:2:5::1/64 dev "$DUM" nodad
check "sync after the dummy came up" xdpong sync "$DEV_DUT"
check_exit "the dummy's address, up again: answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 198.18.5.1

# ---- disable_ipv6 on the interface the request arrives on ----
cli ip -6 neigh replace "$DUT6" lladdr "$dut_mac" dev "$DEV_CLI" nud permanent
check_exit "before disable_ipv6: ping -6 to the dummy's address is answered" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 2001:2:5::1
dut sysctl -qw net.ipv6.conf."$DEV_DUT".disable_ipv6=1
check "sync picks up disable_ipv6" xdpong sync "$DEV_DUT"
dis=$(stat '.reasons["ipv6-disabled"]')
check_exit "disable_ipv6=1: ping -6 gets no reply" 1 " 0 received" \
	cli ping -6 -c 3 -i 0.01 -W 1 2001:2:5::1
is "... counted as ipv6-disabled" "$(stat '.reasons["ipv6-disabled"]')" "$((dis + 3))"
e=$(in_echos)
check_exit "... while IPv4 is still answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by xdpong" "$(in_echos)" "$e"
dut sysctl -qw net.ipv6.conf."$DEV_DUT".disable_ipv6=0
dut ip addr add "$DUT6/64" dev "$DEV_DUT" nodad 2>/dev/null

# ---- An address in a VRF ----
VRF=xpv$ID
if dut ip link add "$VRF" type vrf table 77 2>/dev/null; then
	dut ip link set "$VRF" up
	dut ip link set "$DUM" master "$VRF"
	check "sync after enslaving the dummy to a VRF" xdpong sync "$DEV_DUT"
	nl=$(stat '.reasons["dst-not-local"]')
	check_exit "an address in another VRF: no reply" 1 " 0 received" \
		cli ping -c 3 -i 0.01 -W 1 198.18.5.1
	is "... counted as dst-not-local" "$(stat '.reasons["dst-not-local"]')" "$((nl + 3))"
	dut ip link set "$DUM" nomaster
	check "sync after releasing it" xdpong sync "$DEV_DUT"
else
	skip "no VRF support in this kernel"
fi
check "detach" xdpong detach "$DEV_DUT"

# ---- The address map under churn ----
# 3000 addresses on the dummy (a host with containers or anycast VIPs).
for i in $(seq 0 2999); do
	echo "address add 198.19.$((i / 250)).$((i % 250 + 1))/16 dev $DUM"
done >"$TMP/addrs.batch"
dut ip -batch "$TMP/addrs.batch" || bail "can't add 3000 addresses"
# Link-local addresses finish DAD first, so that the host stands still.
for _ in $(seq 50); do dut ip -6 addr show tentative | grep -q . || break; sleep 0.1; done
check_exit "attach --max-addrs 1000 with 3000 addresses: a clear error" 1 \
	"more than the 1000 the map holds; attach with --max-addrs" xdpong attach --max-addrs 1000 "$DEV_DUT"
is "... and nothing is attached" "$(dut ip -o link show "$DEV_DUT" | grep -c ' xdp')" 0
check "attach with the default size takes 3000 addresses" xdpong attach "$DEV_DUT"
e=$(in_echos)
check_exit "the 3000th address is answered" 0 " 2 received" cli ping -c 2 -i 0.01 -W 2 198.19.11.250
is "... by xdpong" "$(in_echos)" "$e"
check_exit "sync right after: nothing to change" 0 "0 addresses added, 0 removed" \
	xdpong sync "$DEV_DUT"
# Remove a thousand (secondaries: the primary's removal would take them all), add one.
for i in $(seq 2000 2999); do echo "address del 198.19.$((i / 250)).$((i % 250 + 1))/16 dev $DUM"; done \
	>"$TMP/del.batch"
dut ip -batch "$TMP/del.batch"
dut ip addr add 198.18.5.99/24 dev "$DUM"
check_exit "sync after removing 1000 and adding 1" 0 "1 addresses added, 1000 removed" \
	xdpong sync "$DEV_DUT"
check_exit "a removed address is no longer answered" 1 " 0 received" \
	cli ping -c 2 -i 0.01 -W 1 198.19.11.250
check_exit "the new one is" 0 " 2 received" cli ping -c 2 -i 0.01 -W 2 198.18.5.99
# track: a quiet host means quiet output (no flapping), for three seconds.
xdpong track --interval 0.2 "$DEV_DUT" >"$TMP/track.out" 2>&1 &
TRACK=$!
sleep 3
kill "$TRACK"; wait "$TRACK" 2>/dev/null
is "track on a quiet host with 2000 addresses in one subnet: only its first line" \
	"$(grep -c 'added' "$TMP/track.out")" 1
diag <"$TMP/track.out"
check "detach" xdpong detach "$DEV_DUT"

# ---- A sync that can't fit leaves the maps as they were, and sends every
# request to the kernel until one fits (they may be stale) ----
check "attach --max-addrs 2100 (2000 addresses and their friends fit)" \
	xdpong attach --max-addrs 2100 "$DEV_DUT"
for i in $(seq 3000 3199); do echo "address add 198.19.$((i / 250)).$((i % 250 + 1))/16 dev $DUM"; done \
	>"$TMP/more.batch"
dut ip -batch "$TMP/more.batch"
dut ip addr del 198.18.5.99/24 dev "$DUM"
check_exit "a sync past the map's size fails, saying so" 1 "more than the 2100 the map holds" \
	xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "... an address it had, still the host's, is answered" 0 " 2 received" \
	cli ping -c 2 -i 0.01 -W 2 198.19.0.1
is "... by the kernel (not-in-step)" "$(($(in_echos) - e))/$(stat '.reasons["not-in-step"]')" "2/2"
check_exit "... an address now gone, which the old set still has, is not" 1 " 0 received" \
	cli ping -c 2 -i 0.01 -W 1 198.18.5.99
for i in $(seq 3000 3199); do echo "address del 198.19.$((i / 250)).$((i % 250 + 1))/16 dev $DUM"; done \
	>"$TMP/less.batch"
dut ip -batch "$TMP/less.batch"
check "a sync that fits again" xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "... and xdpong answers again" 0 " 2 received" cli ping -c 2 -i 0.01 -W 2 198.19.0.1
is "... itself" "$(in_echos)" "$e"
check "detach" xdpong detach "$DEV_DUT"

done_testing
