#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_firewall.sh: attach warns about the firewall rules that answering in
# XDP bypasses, and only about those. Real nftables and iptables rules in the
# DUT's namespace; the bypass itself is proven end to end with the rule's own
# counter, ping, and tcpdump on the DUT.
. "$(dirname "$0")/lib.sh"

command -v nft >/dev/null && command -v iptables-nft >/dev/null ||
	bail "nft and iptables-nft needed (apt-get install nftables iptables)"
setup_net

fw() { dut nft "$@"; }
# A ruleset of its own for each case: the namespace's whole ruleset goes.
fw_reset() {
	fw flush ruleset
	dut iptables-legacy -P INPUT ACCEPT 2>/dev/null
	dut iptables-legacy -F 2>/dev/null
	dut iptables-legacy -X 2>/dev/null
}

# attach_warns DESC PATTERN [ATTACH OPTIONS]: attach succeeds, and its stderr
# has PATTERN (ERE); "-" for no warning at all. Detaches afterwards.
attach_warns() {
	local desc=$1 pattern=$2 rc; shift 2
	xdpong attach "$@" "$DEV_DUT" >"$TMP/attach.out" 2>"$TMP/attach.err"
	rc=$?
	if [ "$rc" = 0 ] && { if [ "$pattern" = - ]; then ! grep -q warning "$TMP/attach.err"
			      else grep -Eq -- "$pattern" "$TMP/attach.err"; fi; }; then
		ok "$desc"
		[ "${V:-}" = 1 ] && diag <"$TMP/attach.err"
	else
		not_ok "$desc"
		{ echo "exit $rc, wanted 0 and ${pattern/#-/no warning}"; cat "$TMP/attach.err"; } | diag
	fi
	xdpong detach "$DEV_DUT" >/dev/null 2>&1
	fw_reset
}

# ---- No rules, no rules that matter ----
attach_warns "an empty ruleset: no warning" -
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; policy accept; }'
fw add rule inet filter input tcp dport 22 drop
fw add rule inet filter input udp dport 53 drop
attach_warns "rules that match only TCP or UDP: no warning" -
fw add table inet filter
fw add chain inet filter output '{ type filter hook output priority 0; }'
fw add rule inet filter output icmp type echo-request drop
fw add rule inet filter output meta l4proto ipv6-icmp icmpv6 type echo-request drop
attach_warns "echo requests dropped on the output hook (our own pings): no warning" -
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; policy drop; }'
fw add rule inet filter input ct state established,related accept
fw add rule inet filter input iif lo accept
fw add rule inet filter input meta l4proto '{ icmp, ipv6-icmp }' accept
fw add rule inet filter input tcp dport 22 accept
attach_warns "default drop, but ICMP accepted (the kernel would answer too): no warning" -
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; }'
fw add rule inet filter input icmp type '{ timestamp-request, address-mask-request }' drop
fw add rule inet filter input icmpv6 type != echo-request accept
fw add rule inet filter input iifname "nosuch*" icmp type echo-request drop
attach_warns "other ICMP types, another interface's rule: no warning" -
fw add table netdev ing
fw add chain netdev ing in "{ type filter hook ingress device lo priority 0; }"
fw add rule netdev ing in meta l4proto icmp drop
attach_warns "an ingress chain on another device: no warning" -

# ---- Rules that answering in XDP bypasses ----
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; }'
fw add rule inet filter input icmp type echo-request drop
attach_warns "inet filter input 'icmp type echo-request drop': a warning naming table, chain and rule" \
	"warning: nftables table inet filter, chain input \(hook input\) has rules that match ICMP echo requests \(e.g. 'icmp type echo-request drop'\)"
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; }'
fw add rule inet filter input icmp type echo-request drop
attach_warns "... which names --monitor-only and the rate limits" \
	"Keep the rules in force with --monitor-only, or approximate them with --rate/--src-rate"
fw add table ip6 filter
fw add chain ip6 filter input '{ type filter hook input priority 0; }'
fw add rule ip6 filter input icmpv6 type echo-request drop
attach_warns "ip6 'icmpv6 type echo-request drop'" \
	"table ip6 filter, chain input \(hook input\) has rules that match ICMPv6 echo requests"
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; policy drop; }'
fw add rule inet filter input ct state established,related accept
fw add rule inet filter input tcp dport 22 accept
attach_warns "a default-drop input policy with no ICMP accept rule" \
	"chain input \(hook input\) has policy drop and no rule that accepts ICMP and ICMPv6 echo requests, so the kernel would not answer them.*--monitor-only"
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; policy drop; }'
fw add rule inet filter input ip saddr 198.51.100.0/24 icmp type echo-request accept
fw add rule inet filter input icmpv6 type echo-request accept
attach_warns "default drop, echo accepted only from some sources" \
	"policy drop and accepts ICMP echo requests only under conditions \(e.g. 'ip saddr 198.51.100.0/24 icmp type echo-request accept'\)"
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; }'
fw add rule inet filter input meta l4proto ipv6-icmp icmpv6 type '{ echo-request, nd-neighbor-solicit }' limit rate 5/second accept
fw add rule inet filter input icmpv6 type echo-request drop
attach_warns "a rate limit on echo requests" "'.*limit rate 5/second accept'"
fw add table inet filter
fw add chain inet filter prerouting '{ type filter hook prerouting priority -300; }'
fw add chain inet filter icmp_rules
fw add rule inet filter prerouting meta l4proto icmp jump icmp_rules
fw add rule inet filter icmp_rules icmp type 0-10 counter log prefix '"ping "'
attach_warns "a rule in a chain jumped to from prerouting" \
	"chain prerouting \(hook prerouting\) has rules .*'icmp type 0-10 counter log prefix \"ping \"' in chain icmp_rules"
fw add table netdev ing
fw add chain netdev ing in "{ type filter hook ingress device $DEV_DUT priority 0; }"
fw add rule netdev ing in meta l4proto icmp drop
attach_warns "a netdev ingress chain on the interface" \
	"table netdev ing, chain in \(hook ingress, device $DEV_DUT\) has rules that match ICMP echo requests"
fw add table inet filter
fw add chain inet filter output '{ type filter hook output priority 0; }'
fw add rule inet filter output icmp type echo-reply drop
attach_warns "echo replies dropped on output: the kernel's would be, ours aren't" \
	"chain output \(hook output\) has rules that match ICMP echo replies.*XDP_TX"
dut iptables-nft -A INPUT -p icmp --icmp-type echo-request -j DROP
attach_warns "iptables-nft -p icmp --icmp-type echo-request -j DROP" \
	"table ip filter, chain INPUT \(hook input\) has rules that match ICMP echo requests \(e.g. '.*icmp type echo-request.*drop'\)"
dut iptables-nft -A INPUT -p icmp --icmp-type timestamp-request -j DROP
dut iptables-nft -A INPUT -p tcp --dport 22 -j DROP
attach_warns "iptables-nft rules for timestamp requests and TCP: no warning" -
dut ip6tables-nft -P INPUT DROP
attach_warns "ip6tables-nft with policy DROP" \
	"table ip6 filter, chain INPUT \(hook input\) has policy drop and no rule that accepts ICMPv6 echo requests"
dut ip6tables-nft -P INPUT ACCEPT
dut iptables-legacy -A INPUT -s 198.18.0.0/15 -p icmp --icmp-type echo-request -j DROP
attach_warns "iptables-legacy (x_tables) -p icmp --icmp-type echo-request -j DROP" \
	"iptables-legacy table filter, chain INPUT has rules that match ICMP echo requests \(e.g. rule 1 of chain INPUT"
dut iptables-legacy -A INPUT -p icmp --icmp-type timestamp-request -j DROP
dut iptables-legacy -A INPUT -p tcp --dport 22 -j DROP
dut iptables-legacy -A INPUT -m conntrack --ctstate INVALID -j DROP
attach_warns "iptables-legacy rules for timestamp requests, TCP, invalid packets: no warning" -
dut iptables-legacy -N PINGS
dut iptables-legacy -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
dut iptables-legacy -A INPUT -p icmp -j PINGS
dut iptables-legacy -A PINGS -s 198.51.100.0/24 -j ACCEPT
dut iptables-legacy -P INPUT DROP
attach_warns "iptables-legacy policy DROP, echo accepted from some sources in a user chain" \
	"iptables-legacy table filter, chain INPUT has policy DROP and accepts ICMP echo requests only under conditions \(e.g. rule 1 of chain PINGS\)"
dut iptables-legacy -A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/s -j ACCEPT
attach_warns "iptables-legacy -m limit on echo requests" \
	"iptables-legacy table filter, chain INPUT has rules that match ICMP echo requests \(e.g. rule 1 of chain INPUT.*--rate/--src-rate"
dut ip6tables-legacy -P INPUT DROP
attach_warns "ip6tables-legacy policy DROP" \
	"ip6tables-legacy table filter, chain INPUT has policy DROP and no rule that accepts ICMPv6 echo requests"
dut ip6tables-legacy -P INPUT ACCEPT

# ---- When the ruleset can't be read ----
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; }'
fw add rule inet filter input icmp type echo-request drop
lib=$(ldconfig -p | awk '$1 == "libnftables.so.1" { print $NF; exit }')
# A mount namespace of the command's own hides the library from it alone.
check_exit "no libnftables at run time: attach succeeds, says nothing" 0 "^xdpong attached" \
	unshare -m sh -c "mount --bind /dev/null '$lib' && ip netns exec $DUT $XDPONG attach $DEV_DUT 2>&1"
xdpong detach "$DEV_DUT" >/dev/null 2>&1
is "... not a word on stderr" "$(grep -c . "$TMP/out")" 1
check_exit "... with -v, one line saying why" 0 "firewall check: no nftables library" \
	unshare -m sh -c "mount --bind /dev/null '$lib' && ip netns exec $DUT $XDPONG -v attach $DEV_DUT 2>&1"
xdpong detach "$DEV_DUT" >/dev/null 2>&1
fw_reset

# ---- The bypass, end to end ----
# The rule's own counter is the oracle for what the firewall saw.
fw add table inet filter
fw add chain inet filter input '{ type filter hook input priority 0; }'
fw add rule inet filter input icmp type echo-request counter drop
drops() { fw -j list chain inet filter input | jq '[.nftables[].rule.expr[]?.counter.packets // empty] | add'; }
check_exit "--monitor-only: no warning (the firewall is still in force)" 0 "monitor-only" \
	xdpong attach --monitor-only "$DEV_DUT"
! grep -q warning "$TMP/out"; is "... not a word about the firewall" $? 0
check_exit "--monitor-only: the drop rule keeps the ping unanswered" 1 " 0 received" \
	cli ping -c 3 -i 0.2 -W 1 "$DUT4"
is "... the rule dropped all 3 requests" "$(drops)" 3
xdpong detach "$DEV_DUT" >/dev/null
check_exit "a plain attach warns about the rule" 0 "has rules that match ICMP echo requests" \
	xdpong attach --sample echo-request=1 "$DEV_DUT"
# tcpdump on the DUT sees neither the answered requests nor the replies:
# XDP_TX frames never become socket buffers, so no packet socket gets them.
dut tcpdump -U -Z root -i "$DEV_DUT" -n -w "$TMP/dut.pcap" >/dev/null 2>&1 &
DUMP=$!
# ... while xdpong events can record them, from the sampled requests.
dut "$XDPONG" events --write "$TMP/events.pcap" --count 5 "$DEV_DUT" >/dev/null 2>&1 &
EVENTS=$!
sleep 1
check_exit "... yet the ping is answered, by xdpong" 0 " 5 received" cli ping -c 5 -i 0.2 -W 1 "$DUT4"
is "... the drop rule never saw the requests (its counter stays at 3)" "$(drops)" 3
# Requests with IP options go to the kernel: tcpdump and the rule see those.
check_exit "requests xdpong passes (IP options) meet the rule" 1 " 0 received" \
	cli ping -R -c 2 -i 0.2 -W 1 "$DUT4"
is "... which drops them (counter 5)" "$(drops)" 5
sleep 0.5
kill "$DUMP"; wait "$DUMP" 2>/dev/null
wait "$EVENTS"
tcpdump -r "$TMP/dut.pcap" -n icmp 2>/dev/null >"$TMP/dut.txt"
is "tcpdump on the DUT saw only the 2 requests xdpong passed, and no reply" \
	"$(grep -c 'echo request' "$TMP/dut.txt")/$(grep -c 'echo reply' "$TMP/dut.txt")" 2/0
is "xdpong events --write recorded the 5 requests" \
	"$(tcpdump -r "$TMP/events.pcap" -n 2>/dev/null | grep -c 'echo request')" 5
xdpong detach "$DEV_DUT" >/dev/null
# The same in generic (skb) mode: XDP runs there before the packet taps too.
xdpong attach --mode skb "$DEV_DUT" >/dev/null 2>&1
dut tcpdump -U -Z root -i "$DEV_DUT" -n -w "$TMP/skb.pcap" >/dev/null 2>&1 &
DUMP=$!
sleep 1
check_exit "skb mode: the ping is answered" 0 " 3 received" cli ping -c 3 -i 0.2 -W 1 "$DUT4"
sleep 0.5
kill "$DUMP"; wait "$DUMP" 2>/dev/null
is "... and tcpdump on the DUT saw no echo request or reply" \
	"$(tcpdump -r "$TMP/skb.pcap" -n icmp 2>/dev/null | grep -c echo)" 0
is "... nor did the drop rule" "$(drops)" 5
xdpong detach "$DEV_DUT" >/dev/null
fw_reset

done_testing
