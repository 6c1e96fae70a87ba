#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_e2e.sh: real ping and ping -6 between two namespaces over veth, with
# the kernels' own counters as oracles: the DUT kernel must never see the
# requests XDP answers, the client kernel must find every reply valid, and
# what xdpong must leave to the kernel must still be answered by it.
. "$(dirname "$0")/lib.sh"

setup_net
COUNT=20
# Defaults other than 64, to see that replies take the host's own.
dut sysctl -qw net.ipv4.ip_default_ttl=99
dut sysctl -qw net.ipv6.conf."$DEV_DUT".hop_limit=77

check "attach to the DUT's veth" xdpong attach "$DEV_DUT"
check_exit "status lists the DUT's addresses" 0 "$DUT4" xdpong status "$DEV_DUT"
check_exit "status lists the IPv6 address too" 0 "$DUT6" xdpong status "$DEV_DUT"

# ---- IPv4 echo, answered by XDP ----
in_echos=$(counter "$DUT" IcmpInEchos)
cli_reps=$(counter "$CLI" IcmpInEchoReps)
cli_csum=$(counter "$CLI" IcmpInCsumErrors)
cli_hdr=$(counter "$CLI" IpInHdrErrors)
# The capture ends by itself after the 2 x COUNT packets (or 20 s).
ip netns exec "$CLI" timeout 20 tcpdump -c $((2 * COUNT)) -U -Z root -i "$DEV_CLI" -n \
	-w "$TMP/v4.pcap" icmp >/dev/null 2>&1 &
TCPDUMP=$!
sleep 1
check_exit "ping gets all $COUNT replies" 0 " $COUNT received" \
	cli ping -c $COUNT -i 0.01 -W 2 "$DUT4"
wait $TCPDUMP
is "the DUT kernel saw no echo request (IcmpInEchos)" "$(counter "$DUT" IcmpInEchos)" "$in_echos"
is "the client kernel took $COUNT valid replies (IcmpInEchoReps)" \
	"$(counter "$CLI" IcmpInEchoReps)" "$((cli_reps + COUNT))"
is "no reply had a bad ICMP checksum (IcmpInCsumErrors)" "$(counter "$CLI" IcmpInCsumErrors)" "$cli_csum"
is "no reply had a bad IP header (IpInHdrErrors)" "$(counter "$CLI" IpInHdrErrors)" "$cli_hdr"
tcpdump -r "$TMP/v4.pcap" -n -vv 'icmp[icmptype] == icmp-echoreply' 2>/dev/null >"$TMP/v4.txt"
is "tcpdump saw $COUNT echo replies" "$(grep -c 'echo reply' "$TMP/v4.txt")" "$COUNT"
is "every reply has the DUT's TTL (99) and no checksum error in tcpdump's eyes" \
	"$(grep -c 'ttl 99,' "$TMP/v4.txt")/$(grep -ci 'bad\|wrong' "$TMP/v4.txt")" "$COUNT/0"
is "stats: $COUNT replied" "$(stat .reasons.replied)" "$COUNT"
is "stats: $COUNT ICMP echo requests counted" \
	"$(stat '.icmp[] | select(.type == 8 and .code == 0) | .packets')" "$COUNT"
is "stats: actions.tx agrees" "$(stat .actions.tx)" "$COUNT"

# ---- IPv6 echo, answered by XDP ----
in6=$(counter "$DUT" Icmp6InEchos)
cli6=$(counter "$CLI" Icmp6InEchoReplies)
cli6_csum=$(counter "$CLI" Icmp6InCsumErrors)
check_exit "ping -6 gets all $COUNT replies" 0 " $COUNT received" \
	cli ping -6 -c $COUNT -i 0.01 -W 2 "$DUT6"
is "every ICMPv6 reply has the interface's hop limit (77)" "$(grep -c 'ttl=77 ' "$TMP/out")" "$COUNT"
is "the DUT kernel saw no ICMPv6 echo request (Icmp6InEchos)" "$(counter "$DUT" Icmp6InEchos)" "$in6"
is "the client kernel took $COUNT valid ICMPv6 replies" "$(counter "$CLI" Icmp6InEchoReplies)" "$((cli6 + COUNT))"
is "no ICMPv6 reply had a bad checksum (Icmp6InCsumErrors)" "$(counter "$CLI" Icmp6InCsumErrors)" "$cli6_csum"
is "stats: $((2 * COUNT)) replied in all" "$(stat .reasons.replied)" "$((2 * COUNT))"
is "stats: $COUNT ICMPv6 echo requests counted" \
	"$(stat '.icmpv6[] | select(.type == 128 and .code == 0) | .packets')" "$COUNT"

# ---- The DUT's IPv6 link-local address, on its own link ----
ll=$(dut ip -6 -o addr show dev "$DEV_DUT" scope link | awk '{print $4}' | cut -d/ -f1)
in6=$(counter "$DUT" Icmp6InEchos)
check_exit "ping -6 to the DUT's link-local address is answered" 0 " 3 received" \
	cli ping -6 -c 3 -i 0.01 -W 2 "$ll%$DEV_CLI"
is "... by xdpong" "$(counter "$DUT" Icmp6InEchos)" "$in6"

# ---- Payload sizes up to a full 1500-byte frame, and the kernel still sees none ----
in_echos=$(counter "$DUT" IcmpInEchos)
in6=$(counter "$DUT" Icmp6InEchos)
for size in 0 1 1472; do
	check_exit "ping -s $size is answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 -s $size "$DUT4"
done
for size in 0 1 1452; do
	check_exit "ping -6 -s $size is answered" 0 " 3 received" cli ping -6 -c 3 -i 0.01 -W 2 -s $size "$DUT6"
done
is "the DUT kernel still saw no echo request" "$(counter "$DUT" IcmpInEchos)" "$in_echos"
is "the DUT kernel still saw no ICMPv6 echo request" "$(counter "$DUT" Icmp6InEchos)" "$in6"

# ---- What the kernel must answer itself ----
in_echos=$(counter "$DUT" IcmpInEchos)
opts=$(stat '.reasons["ip-options"]')
check_exit "ping -R (IP options) is answered" 0 " 3 received" cli ping -R -c 3 -i 0.01 -W 2 "$DUT4"
is "... by the kernel (IcmpInEchos +3)" "$(counter "$DUT" IcmpInEchos)" "$((in_echos + 3))"
is "... counted as ip-options" "$(stat '.reasons["ip-options"]')" "$((opts + 3))"

in_echos=$(counter "$DUT" IcmpInEchos)
frags=$(stat .reasons.fragment)
check_exit "ping -s 3000 (fragmented) is answered" 0 " 3 received" \
	cli ping -s 3000 -c 3 -i 0.01 -W 2 "$DUT4"
is "... by the kernel (IcmpInEchos +3)" "$(counter "$DUT" IcmpInEchos)" "$((in_echos + 3))"
is "... its 9 fragments counted as fragment" "$(stat .reasons.fragment)" "$((frags + 9))"

in6=$(counter "$DUT" Icmp6InEchos)
check_exit "ping -6 -s 3000 (fragment headers) is answered" 0 " 3 received" \
	cli ping -6 -s 3000 -c 3 -i 0.01 -W 2 "$DUT6"
is "... by the kernel (Icmp6InEchos +3)" "$(counter "$DUT" Icmp6InEchos)" "$((in6 + 3))"

in6=$(counter "$DUT" Icmp6InEchos)
check_exit "ping -6 ff02::1 (multicast) is answered" 0 "received" \
	cli ping -6 -c 2 -i 0.2 -W 2 "ff02::1%$DEV_CLI"
is "... by the kernel" "$(counter "$DUT" Icmp6InEchos)" "$((in6 + 2))"

# ---- What nobody may answer ----
dut_mac=$(dut cat /sys/class/net/"$DEV_DUT"/address)
cli ip neigh replace 198.18.0.99 lladdr "$dut_mac" dev "$DEV_CLI"
notlocal=$(stat '.reasons["dst-not-local"]')
check_exit "a ping to a non-local address gets no reply" 1 " 0 received" \
	cli ping -c 3 -i 0.01 -W 1 198.18.0.99
is "... counted as dst-not-local" "$(stat '.reasons["dst-not-local"]')" "$((notlocal + 3))"

group=$(stat '.reasons["dst-mac-group"]')
check_exit "a broadcast ping gets no reply (icmp_echo_ignore_broadcasts)" 1 " 0 received" \
	cli ping -b -c 3 -i 0.01 -W 1 198.18.0.255
is "... counted as dst-mac-group" "$(stat '.reasons["dst-mac-group"]')" "$((group + 3))"

# ---- Jumbo frames: multi-buffer XDP on a 9000-byte MTU ----
if dut ip link set "$DEV_DUT" mtu 9000 2>"$TMP/err" && cli ip link set "$DEV_CLI" mtu 9000; then
	# Until it knows the new MTU, a longer request is the kernel's
	# (reply-too-big): its reply would be fragmented under the old one.
	check "sync: the new MTU" xdpong sync "$DEV_DUT"
	in_echos=$(counter "$DUT" IcmpInEchos)
	check_exit "ping -s 8972 -M do (jumbo) is answered" 0 " 3 received" \
		cli ping -M do -s 8972 -c 3 -i 0.01 -W 2 "$DUT4"
	is "... by XDP (IcmpInEchos unchanged)" "$(counter "$DUT" IcmpInEchos)" "$in_echos"
	in6=$(counter "$DUT" Icmp6InEchos)
	check_exit "ping -6 -s 8952 -M do (jumbo) is answered" 0 " 3 received" \
		cli ping -6 -M do -s 8952 -c 3 -i 0.01 -W 2 "$DUT6"
	is "... by XDP (Icmp6InEchos unchanged)" "$(counter "$DUT" Icmp6InEchos)" "$in6"
	dut ip link set "$DEV_DUT" mtu 1500; cli ip link set "$DEV_CLI" mtu 1500
	check "sync: the MTU back" xdpong sync "$DEV_DUT"
else
	not_ok "set a 9000-byte MTU with xdpong attached"; diag <"$TMP/err"
fi

# ---- Detach: the kernel answers again, nothing is left ----
check "detach" xdpong detach "$DEV_DUT"
is "no XDP program is left on the DUT's veth" "$(dut ip -o link show "$DEV_DUT" | grep -c ' xdp')" 0
is "nothing is left in bpffs" "$(find "$TMP/bpffs" -mindepth 2 ! -name globals | wc -l)" 0
in_echos=$(counter "$DUT" IcmpInEchos)
check_exit "after detach, ping is still answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
is "... by the kernel" "$(counter "$DUT" IcmpInEchos)" "$((in_echos + 3))"

# ---- Generic (skb) mode answers the same ----
check "attach --mode skb" xdpong attach --mode skb "$DEV_DUT"
in_echos=$(counter "$DUT" IcmpInEchos)
in6=$(counter "$DUT" Icmp6InEchos)
check_exit "skb mode: ping is answered" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT4"
check_exit "skb mode: ping -6 is answered" 0 " 3 received" cli ping -6 -c 3 -i 0.01 -W 2 "$DUT6"
is "... by xdpong (IcmpInEchos, Icmp6InEchos unchanged)" \
	"$(counter "$DUT" IcmpInEchos)/$(counter "$DUT" Icmp6InEchos)" "$in_echos/$in6"
check "detach from skb mode" xdpong detach "$DEV_DUT"

done_testing
