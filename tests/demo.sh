#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh: `make demo`. Builds two namespaces joined by veth, attaches
# xdpong on one, pings it from the other with ping and ping -6 while the
# counters tick live, shows the DUT kernel's own counters proving it never
# saw the requests, shows the pings it answered by source and the round
# trips of the DUT's own pings, then removes everything.
. "$(dirname "$0")/lib.sh"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# Show and run an xdpong command on the DUT.
run() { printf '[%s]# xdpong %s\n' "$DUT" "$*"; xdpong "$@"; }

say "Two namespaces: $DUT ($DUT4, $DUT6) and $CLI ($CLI4, $CLI6), over veth"
setup_net

say "Attach xdpong to the DUT's interface (--pingers: follow the pings it answers)"
run attach --pingers "$DEV_DUT" || exit 1
run status "$DEV_DUT"

say "The DUT kernel's echo counters before"
dut nstat -saz IcmpInEchos IcmpOutEchoReps Icmp6InEchos Icmp6OutEchoReplies | tail -n +2

say "ping and ping -6 from $CLI: 500 requests each, 100 a second; live counters"
cli ping -q -c 500 -i 0.01 "$DUT4" >"$TMP/ping4" &
P4=$!
cli ping -6 -q -c 500 -i 0.01 "$DUT6" >"$TMP/ping6" &
P6=$!
prev=0
while kill -0 $P4 2>/dev/null || kill -0 $P6 2>/dev/null; do
	sleep 1
	tx=$(stat .actions.tx)
	printf '  replied by XDP: %6s total, %4s/s   (passed to the kernel: %s)\n' \
		"$tx" "$((tx - prev))" "$(stat .actions.pass)"
	prev=$tx
done
wait $P4 $P6
tail -2 "$TMP/ping4"
tail -2 "$TMP/ping6"

say "The DUT kernel's echo counters after: unchanged, XDP answered everything"
dut nstat -saz IcmpInEchos IcmpOutEchoReps Icmp6InEchos Icmp6OutEchoReplies | tail -n +2

say "A ping with IP options (ping -R) is left to the kernel, which answers it"
cli ping -R -c 2 -i 0.2 "$DUT4" | grep -E 'bytes from|received'
dut nstat -saz IcmpInEchos | tail -n +2

say "The pings answered, by source: rate, requests lost on the way in, jitter"
run pingers "$DEV_DUT"

say "The DUT's own pings to $CLI, timed from tc egress to XDP: round trips and loss"
dut ping -q -c 20 -i 0.05 "$CLI4" | tail -1
dut ping -6 -q -c 20 -i 0.05 "$CLI6" | tail -1
run rtt "$DEV_DUT"

say "The counters"
run stats "$DEV_DUT"

say "Detach; the namespaces go when the demo ends"
run detach "$DEV_DUT"
