#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_diff.sh: a differential test against the kernel. The same frames go to
# the DUT twice, to its kernel alone and then with xdpong attached, and every
# frame that comes back must be the same, byte for byte, but for the
# documented differences (IPv4 id, DF, IPv6 flow label). The frames are valid
# echo requests and requests that differ from one in a field or a few, made
# by scapy from a seeded PRNG (tests/diff/gen.py); tests/diff/run.py sends
# them and captures the replies, tests/diff/compare.py compares. The DUT
# kernel's echo counters are the second oracle: xdpong must answer exactly
# the requests that the kernel no longer sees.
#
# DIFF_SEED reproduces a run, DIFF_FRAMES sets the number of generated
# requests (cases; a case is one frame, or two or three for fragments),
# DIFF_EPOCH how many run in one pair of namespaces (fresh ones for each
# epoch and each mode), DIFF_KEEP=1 keeps the report directory,
# DIFF_DUT_SYSCTLS sets more sysctls on the DUT (another configuration to
# compare in), DIFF_MODES="kernel kernel2 xdpong" adds a second kernel-alone
# run: a control, which must agree with the first on every case.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=${PYTHON:-/usr/bin/python3}   # Debian's, where python3-scapy is
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the source tree
SEED=${DIFF_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
FRAMES=${DIFF_FRAMES:-20000}
EPOCH=${DIFF_EPOCH:-20000}
MODES=${DIFF_MODES:-kernel xdpong}
IFB=xpy$ID
GEN=$CLI DEV_GEN=$DEV_CLI
OUT=$TMP/diff

"$PY" -c 'import scapy' 2>/dev/null ||
	bail "python3-scapy is missing ($PY can't import scapy): apt-get install python3-scapy"
command -v jq >/dev/null || bail "jq is missing: apt-get install jq"
eval "$("$PY" "$HERE/diff/topo.py" shell)"
mkdir -p "$OUT"

# Keep the report when something failed: lib.sh removes $TMP. Its text
# files (a few examples of each class of disagreement, hex included, and a
# table of what was changed and who replied); with DIFF_KEEP=1 also every
# frame sent and received (tens of MB).
KEEP=/tmp/xdpong-diff.$ID
diff_cleanup() {
	if [ "${DIFF_KEEP:-}" = 1 ]; then
		rm -rf "$KEEP" && cp -r "$OUT" "$KEEP" && echo "# report kept in $KEEP"
	elif [ "$T_FAILED" != 0 ]; then
		rm -rf "$KEEP" && mkdir "$KEEP" &&
			cp "$OUT"/*.txt "$OUT"/*.sum "$OUT"/*.cnt "$KEEP" 2>/dev/null
		echo "# report kept in $KEEP (DIFF_KEEP=1 keeps every frame too)"
	fi
	dut "$XDPONG" detach "$DEV_DUT" >/dev/null 2>&1
	cleanup
}
trap diff_cleanup EXIT

sysctls() {
	local ns=$1; shift
	ip netns exec "$ns" sysctl -qw "$@" >/dev/null || bail "sysctl $* in $ns"
}

# A fresh pair of namespaces: GEN (no addresses, IPv6 off: it only sends and
# captures through its raw socket) and DUT (the veth, an ifb with a second
# set of addresses, default routes via GEN, permanent neighbours for every
# on-link source the generator uses).
net_up() {
	local a
	ip netns add "$DUT" && ip netns add "$GEN" || bail "can't create namespaces"
	sysctls "$GEN" net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for a in all default; do
		sysctls "$DUT" net.ipv6.conf.$a.accept_ra=0 net.ipv6.conf.$a.router_solicitations=0 \
			net.ipv6.conf.$a.dad_transmits=0 net.ipv6.conf.$a.accept_redirects=0 \
			net.ipv4.conf.$a.accept_redirects=0 net.ipv4.conf.$a.secure_redirects=0 \
			net.ipv4.conf.$a.send_redirects=0
	done
	# DIFF_DUT_SYSCTLS: more settings for the DUT, in both modes, before
	# its devices exist (so "default" ones apply to them), e.g.
	# "net.ipv4.conf.all.rp_filter=1 net.ipv6.conf.default.hop_limit=77".
	# shellcheck disable=SC2086 # a list
	[ -z "${DIFF_DUT_SYSCTLS:-}" ] || sysctls "$DUT" $DIFF_DUT_SYSCTLS
	# Every ICMP error the kernel means to send, sent; fragments that never
	# complete expire only after the run (no "reassembly time exceeded").
	sysctls "$DUT" net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
		net.ipv4.icmp_msgs_per_sec=1000000 net.ipv4.icmp_msgs_burst=1000000 \
		net.ipv4.ipfrag_time=1000000 net.ipv6.ip6frag_time=1000000 \
		net.ipv4.ipfrag_high_thresh=268435456 net.ipv6.ip6frag_high_thresh=268435456
	ip link add "$DEV_DUT" netns "$DUT" address "$T_DUT_MAC" type veth \
		peer name "$DEV_GEN" netns "$GEN" address "$T_GEN_MAC" &&
	dut ip link add "$IFB" address "$T_IFB_MAC" type ifb &&
	dut ip link set lo up &&
	dut ip addr add "$T_DUT4/24" dev "$DEV_DUT" &&
	dut ip addr add "$T_DUT6/64" dev "$DEV_DUT" nodad &&
	dut ip addr add "$T_IFB4/24" dev "$IFB" &&
	dut ip addr add "$T_IFB6/64" dev "$IFB" nodad &&
	dut ip link set "$DEV_DUT" up && dut ip link set "$IFB" up &&
	ip -n "$GEN" link set "$DEV_GEN" up &&
	ip -n "$GEN" link set dev "$DEV_GEN" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags &&
	dut ip route add default via "$T_GEN4" &&
	dut ip -6 route add default via "$T_GEN6" || bail "can't build the test network"
	# Solicit once, at once, and never again later from a timer: a late
	# ARP or NS would land in another frame's window.
	sysctls "$DUT" net.ipv4.neigh.$DEV_DUT.ucast_solicit=0 net.ipv4.neigh.$DEV_DUT.mcast_solicit=1 \
		net.ipv6.neigh.$DEV_DUT.ucast_solicit=0 net.ipv6.neigh.$DEV_DUT.mcast_solicit=1
	for a in $T_NEIGH4 $T_NEIGH6; do
		dut ip neigh replace "$a" lladdr "$T_GEN_MAC" nud permanent dev "$DEV_DUT" ||
			bail "can't add the neighbour $a"
	done
	# IPv6 addresses stay tentative until the kernel sees the carrier (up to
	# a second later): wait until the link-local ones are there and none is
	# tentative, then until the kernel answers on each of its addresses.
	for _ in $(seq 100); do
		dut ip -6 addr show dev "$DEV_DUT" scope link | grep -q "$T_DUT_LL" &&
			dut ip -6 addr show dev "$IFB" scope link | grep -q "$T_IFB_LL" &&
			! dut ip -6 addr show tentative | grep -q . && break
		sleep 0.05
	done
	ip netns exec "$GEN" "$PY" "$HERE/diff/run.py" "$DEV_GEN" ready ||
		bail "the DUT's kernel does not answer on all its addresses"
}

net_down() {
	dut "$XDPONG" detach "$DEV_DUT" >/dev/null 2>&1
	ip netns del "$DUT" 2>/dev/null
	ip netns del "$GEN" 2>/dev/null
	return 0
}

setup_bpffs || bail "can't mount a bpffs"
echo "seed $SEED, $FRAMES cases; rerun with DIFF_SEED=$SEED DIFF_FRAMES=$FRAMES" | diag

# xdpong's counter of the requests it answered.
replied() { xdpong stats --json "$DEV_DUT" | jq -r .reasons.replied; }

run_mode() {
	local e=$1 mode=$2 cases=$3 r=0 echos echos6
	net_up
	if [ "$mode" = xdpong ]; then
		xdpong attach "$DEV_DUT" >"$TMP/out" 2>&1 || { cat "$TMP/out"; bail "xdpong attach failed"; }
	fi
	# The readiness probes are the kernel's: count from here.
	echos=$(counter "$DUT" IcmpInEchos) echos6=$(counter "$DUT" Icmp6InEchos)
	ip netns exec "$GEN" "$PY" "$HERE/diff/run.py" "$DEV_GEN" "$cases" \
		"$OUT/e$e.$mode.jsonl" "$OUT/e$e.$mode.sum" || bail "the runner failed ($mode)"
	[ "$mode" = xdpong ] && r=$(replied)
	printf '{"IcmpInEchos": %d, "Icmp6InEchos": %d, "replied": %d}\n' \
		$(($(counter "$DUT" IcmpInEchos) - echos)) $(($(counter "$DUT" Icmp6InEchos) - echos6)) \
		"${r:-0}" >"$OUT/e$e.$mode.cnt"
	net_down
}

start=$SECONDS
first=0 e=0
while [ "$first" -lt "$FRAMES" ]; do
	n=$((FRAMES - first < EPOCH ? FRAMES - first : EPOCH))
	"$PY" "$HERE/diff/gen.py" "$SEED" "$first" "$n" "$OUT/e$e.cases.jsonl" ||
		bail "the generator failed"
	for mode in $MODES; do
		run_mode "$e" "$mode" "$OUT/e$e.cases.jsonl"
	done
	first=$((first + n)) e=$((e + 1))
done
cat "$OUT"/e*.cases.jsonl >"$OUT/cases.jsonl" && rm "$OUT"/e*.cases.jsonl

ref=${MODES%% *}
[ "$ref" != "$MODES" ] || bail "DIFF_MODES needs two modes at least (the first is the reference)"
for mode in ${MODES#* }; do
	while IFS=$'\t' read -r kind text; do
		case $kind in
		ok) ok "$text" ;;
		not_ok) not_ok "$text" ;;
		skip) skip "$text" ;;
		diag) echo "$text" | diag ;;
		esac
	done < <("$PY" "$HERE/diff/compare.py" "$OUT" "$OUT/cases.jsonl" "$ref" "$mode" "$KEEP" ||
		echo "not_ok	compare.py failed")
done
echo "$((SECONDS - start)) s for $FRAMES cases" | diag
done_testing
