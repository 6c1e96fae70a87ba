# SPDX-License-Identifier: GPL-2.0
# lib.sh: TAP output and a private test network for the shell tests.
#
# Each test script sources this file, calls setup_net (two namespaces joined
# by a veth pair, with a bpffs of its own), runs checks, and ends with
# done_testing. Everything is named after the script's PID and removed on
# exit, also on failure or Ctrl-C. V=1 shows each command's output.

set -u

: "${XDPONG:?set XDPONG to the xdpong binary (make test does)}"
: "${BUILD:?set BUILD to the build folder (make test does)}"

ID=$$
DUT=xpdut$ID                 # the host xdpong runs on
CLI=xpcli$ID                 # the host that pings it
RTR=xprtr$ID                 # a Linux router (setup_routed_net)
FAR=xpfar$ID                 # a host behind it
DEV_DUT=xpd$ID
DEV_CLI=xpc$ID
DUT4=198.18.0.1 CLI4=198.18.0.2
DUT6=2001:2::1 CLI6=2001:2::2
TMP=$(mktemp -d /tmp/xdpong-test.XXXXXX)
T_COUNT=0
T_FAILED=0

# ---- TAP ----
ok()     { T_COUNT=$((T_COUNT + 1)); echo "ok $T_COUNT - $*"; }
not_ok() { T_COUNT=$((T_COUNT + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_COUNT - $*"; }
diag()   { sed 's/^/# /'; }
skip()   { T_COUNT=$((T_COUNT + 1)); echo "ok $T_COUNT # SKIP $*"; }

# check DESC CMD...: CMD must succeed.
check() {
	local desc=$1; shift
	if "$@" >"$TMP/out" 2>&1; then
		ok "$desc"
		[ "${V:-}" = 1 ] && diag <"$TMP/out"
	else
		not_ok "$desc"
		{ echo "command: $*"; cat "$TMP/out"; } | diag
	fi
	return 0
}

# check_exit DESC CODE PATTERN CMD...: CMD must exit with CODE and print PATTERN (ERE).
check_exit() {
	local desc=$1 code=$2 pattern=$3 rc; shift 3
	"$@" >"$TMP/out" 2>&1
	rc=$?
	if [ "$rc" = "$code" ] && grep -Eq -- "$pattern" "$TMP/out"; then
		ok "$desc"
		[ "${V:-}" = 1 ] && diag <"$TMP/out"
	else
		not_ok "$desc"
		{ echo "command: $*"; echo "exit $rc, wanted $code and /$pattern/"; cat "$TMP/out"; } | diag
	fi
	return 0
}

# is DESC GOT WANTED
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "got '$2', wanted '$3'" | diag; fi
}

done_testing() {
	echo "1..$T_COUNT"
	[ "$T_FAILED" = 0 ]
	exit $?
}

# ---- The test network ----
dut() { ip netns exec "$DUT" "$@"; }
cli() { ip netns exec "$CLI" "$@"; }
xdpong() { dut "$XDPONG" "$@"; }

cleanup() {
	local ns
	for ns in $DUT $CLI $RTR $FAR; do ip netns del "$ns" 2>/dev/null; done
	if mountpoint -q "$TMP/bpffs" 2>/dev/null; then umount "$TMP/bpffs"; fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A namespace's nstat counter, absolute (-a) and with zero values (-z).
counter() { ip netns exec "$1" nstat -saz "$2" | awk -v k="$2" '$1 == k { print $2 }'; }

# The bpffs of the test, outside /sys (which `ip netns exec` remounts):
# libxdp keeps its state there, and it is gone with the test.
setup_bpffs() {
	mkdir "$TMP/bpffs" && mount -t bpf bpf "$TMP/bpffs" && export LIBXDP_BPFFS="$TMP/bpffs"
}

bail() { echo "Bail out! $*"; exit 1; }

setup_net() {
	ip netns add "$DUT" && ip netns add "$CLI" &&
	ip link add "$DEV_DUT" netns "$DUT" type veth peer name "$DEV_CLI" netns "$CLI" &&
	dut ip link set lo up && cli ip link set lo up &&
	dut ip addr add "$DUT4/24" dev "$DEV_DUT" &&
	dut ip addr add "$DUT6/64" dev "$DEV_DUT" nodad &&
	cli ip addr add "$CLI4/24" dev "$DEV_CLI" &&
	cli ip addr add "$CLI6/64" dev "$DEV_CLI" nodad &&
	dut ip link set "$DEV_DUT" up && cli ip link set "$DEV_CLI" up &&
	# veth delivers XDP_TX frames only to a peer with an XDP program.
	cli ip link set dev "$DEV_CLI" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags &&
	setup_bpffs || bail "can't build the test network (root, netns and veth needed)"
	# Wait for the link-local addresses to finish DAD, so that IPv6 is quiet.
	for _ in $(seq 50); do
		dut ip -6 addr show tentative | grep -q . || cli ip -6 addr show tentative | grep -q . || break
		sleep 0.1
	done
}

# DUT ($DEV_DUT: 198.18.1.1, 2001:2:0:1::1) -- RTR -- FAR (198.18.2.1, 2001:2:0:2::1),
# the RTR-FAR link with MTU 1400. The RTR and FAR kernels send every ICMP
# error they are asked to (no rate limits); RTR answers 198.18.3.0/24 and
# 2001:2:0:3::/64 "unreachable", 198.18.4.0/24 and 2001:2:0:4::/64
# "prohibit", and has no route to anything else.
FAR4=198.18.2.1 FAR6=2001:2:0:2::1
setup_routed_net() {
	local r1=xpr$ID r2=xpq$ID far=xpf$ID ns
	ip netns add "$DUT" && ip netns add "$RTR" && ip netns add "$FAR" &&
	ip link add "$DEV_DUT" netns "$DUT" type veth peer name "$r1" netns "$RTR" &&
	ip link add "$r2" netns "$RTR" mtu 1400 type veth peer name "$far" netns "$FAR" mtu 1400 &&
	dut ip addr add 198.18.1.1/24 dev "$DEV_DUT" &&
	dut ip addr add 2001:2:0:1::1/64 dev "$DEV_DUT" nodad &&
	ip -n "$RTR" addr add 198.18.1.254/24 dev "$r1" &&
	ip -n "$RTR" addr add 2001:2:0:1::fe/64 dev "$r1" nodad &&
	ip -n "$RTR" addr add 198.18.2.254/24 dev "$r2" &&
	ip -n "$RTR" addr add 2001:2:0:2::fe/64 dev "$r2" nodad &&
	ip -n "$FAR" addr add "$FAR4/24" dev "$far" &&
	ip -n "$FAR" addr add "$FAR6/64" dev "$far" nodad || bail "can't build the routed network"
	for ns in $DUT $RTR $FAR; do
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 \
			net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000
	done
	dut ip link set "$DEV_DUT" up && ip -n "$RTR" link set "$r1" up &&
	ip -n "$RTR" link set "$r2" up && ip -n "$FAR" link set "$far" up &&
	ip netns exec "$RTR" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 &&
	dut ip route add default via 198.18.1.254 &&
	dut ip -6 route add default via 2001:2:0:1::fe &&
	ip -n "$FAR" route add default via 198.18.2.254 &&
	ip -n "$FAR" -6 route add default via 2001:2:0:2::fe &&
	ip -n "$RTR" route add unreachable 198.18.3.0/24 &&
	ip -n "$RTR" route add prohibit 198.18.4.0/24 &&
	ip -n "$RTR" -6 route add unreachable 2001:2:0:3::/64 &&
	ip -n "$RTR" -6 route add prohibit 2001:2:0:4::/64 &&
	setup_bpffs || bail "can't build the routed network"
	for _ in $(seq 50); do
		ip netns exec "$RTR" ip -6 addr show tentative | grep -q . || break
		sleep 0.1
	done
}

# json IFACE FILTER: a value from `xdpong stats --json`.
stat() { xdpong stats --json "$DEV_DUT" | jq -r "$1"; }
