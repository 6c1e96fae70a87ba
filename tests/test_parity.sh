#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_parity.sh: what the kernel would not answer, xdpong must not answer
# either, end to end with real pings and the kernel's own counters:
# rp_filter (strict and loose), disable_ipv6, addresses on a down interface
# or in a VRF; and the address map under churn: thousands of addresses,
# a map too small, a subnet with hundreds of addresses, nothing flapping.
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

check "attach" xdpong attach "$DEV_DUT"

# ---- rp_filter 1 (strict) ----
# bpf_fib_lookup() needs forwarding on the interface; without it, rp_filter
# hosts get their requests passed to the kernel, and a warning.
dut sysctl -qw net.ipv4.conf.all.rp_filter=1
check_exit "sync picks up rp_filter, and warns: forwarding is off" 0 \
	"warning: rp_filter is on .* forwarding is off" xdpong sync "$DEV_DUT"
unk=$(stat '.reasons["rp-filter-unknown"]')
e=$(in_echos)
check_exit "rp_filter 1, forwarding off: a request is answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by the kernel, counted rp-filter-unknown" \
	"$(in_echos)/$(stat '.reasons["rp-filter-unknown"]')" "$((e + 3))/$((unk + 3))"
dut sysctl -qw net.ipv4.conf."$DEV_DUT".forwarding=1
e=$(in_echos)
check_exit "rp_filter 1: a request routed back through the interface is answered" 0 \
	" 5 received" cli ping -c 5 -i 0.01 -W 2 "$DUT4"
is "... by xdpong (the kernel saw none)" "$(in_echos)" "$e"
# A source the DUT routes out of another interface: the second one's subnet.
cli ip addr add 198.18.5.77/32 dev "$DEV_CLI"
rpf=$(stat '.reasons["rp-filter"]')
check_exit "rp_filter 1: a source routed back elsewhere gets no reply" 1 " 0 received" \
	cli ping -c 3 -i 0.01 -W 1 -I 198.18.5.77 "$DUT4"
is "... counted as rp-filter" "$(stat '.reasons["rp-filter"]')" "$((rpf + 3))"
# The kernel alone agrees: detach and ask it.
check "detach" xdpong detach "$DEV_DUT"
check_exit "... and the kernel alone does not answer it either" 1 " 0 received" \
	cli ping -c 2 -i 0.01 -W 1 -I 198.18.5.77 "$DUT4"
check "attach again" xdpong attach "$DEV_DUT"

# ---- rp_filter 2 (loose) ----
dut sysctl -qw net.ipv4.conf.all.rp_filter=2
check "sync picks up rp_filter 2" xdpong sync "$DEV_DUT"
e=$(in_echos)
check_exit "rp_filter 2: a request is answered" 0 " 3 received" \
	cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by xdpong" "$(in_echos)" "$e"
cli ip addr add 198.18.9.9/32 dev "$DEV_CLI"
rpf=$(stat '.reasons["rp-filter"]')
check_exit "rp_filter 2: a source with no route at all gets no reply" 1 " 0 received" \
	cli ping -c 3 -i 0.01 -W 1 -I 198.18.9.9 "$DUT4"
is "... counted as rp-filter" "$(stat '.reasons["rp-filter"]')" "$((rpf + 3))"
dut sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf."$DEV_DUT".rp_filter=0
dut sysctl -qw net.ipv4.conf."$DEV_DUT".forwarding=0
check "sync: rp_filter off" xdpong sync "$DEV_DUT"

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
check "detach" xdpong detach "$DEV_DUT"
check_exit "... and the kernel alone does not answer it either" 1 " 0 received" \
	cli ping -6 -c 2 -i 0.01 -W 1 2001:2:5::1
check "attach again" xdpong attach "$DEV_DUT"
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

done_testing
