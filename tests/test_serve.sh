#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_serve.sh: the Prometheus endpoint, scraped, checked by promtool and
# parsed by the Prometheus project's own Python parser.
. "$(dirname "$0")/lib.sh"

setup_net
PORT=$((20000 + ID % 20000))
PY=/usr/bin/python3

check_exit "serve --listen garbage" 2 "not ADDR:PORT" xdpong serve --listen nowhere
check_exit "serve takes no interface" 2 "unexpected argument" xdpong serve "$DEV_DUT"
check "attach" xdpong attach "$DEV_DUT"
# Interface names that need escaping: a quote and a backslash, and a byte that
# isn't UTF-8 (both legal in Linux). veth pairs inside the DUT namespace.
ODD1='q"'$ID'\' ODD2=$'q\xff'$ID
check "an interface named $ODD1" dut ip link add "$ODD1" type veth peer name xpo$ID
check "an interface named q<0xff>$ID" dut ip link add "$ODD2" type veth peer name xpp$ID
for d in "$ODD1" "$ODD2" xpo$ID xpp$ID; do dut ip link set "$d" up; done
check "attach to $ODD1 (skb)" xdpong attach --mode skb "$ODD1"
check "attach to q<0xff>$ID (skb)" xdpong attach --mode skb "$ODD2"
check_exit "pings, answered" 0 " 7 received" cli ping -c 7 -i 0.01 -W 2 "$DUT4"
ip netns exec "$DUT" "$XDPONG" serve --listen "127.0.0.1:$PORT" >"$TMP/serve" 2>&1 &
SERVE=$!
sleep 0.5

scrape() {
	dut "$PY" - "$PORT" "$1" <<'PY'
import sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families
port, path = sys.argv[1], sys.argv[2]
try:
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read().decode()
except urllib.error.HTTPError as e:
    print("HTTP", e.code)
    sys.exit(0)
for fam in text_string_to_metric_families(body):
    for s in fam.samples:
        labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
        print(f"{s.name}{{{labels}}} {int(s.value)}")
PY
}

# The exposition as served, byte for byte.
fetch() {
	dut "$PY" - "$PORT" "$1" "$2" <<'PY'
import sys, urllib.request
port, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
with open(out, "wb") as f:
    f.write(urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5).read())
PY
}

check "scrape" fetch /metrics "$TMP/raw"
# The Prometheus project's own linter is the referee: the format, and the
# naming conventions (counters end in _total, base units, snake_case, HELP).
check "promtool check metrics: no error, no lint" promtool check metrics <"$TMP/raw"
scrape /metrics >"$TMP/metrics"
is "the exposition parses, with samples" "$([ -s "$TMP/metrics" ] && echo yes)" yes
is "xdpong_up for the interface" "$(grep -c "^xdpong_up{ifname=$DEV_DUT} 1" "$TMP/metrics")" 1
is "replied, as counted by stats" \
	"$(grep "^xdpong_reason_packets_total{ifname=$DEV_DUT,reason=replied}" "$TMP/metrics" | awk '{print $2}')" \
	"$(stat .reasons.replied)"
is "tx packets: the 7 pings" \
	"$(grep "^xdpong_packets_total{action=tx,ifname=$DEV_DUT}" "$TMP/metrics" | awk '{print $2}')" 7
is "echo requests by name" \
	"$(grep "^xdpong_messages_total{code=0,family=icmp,ifname=$DEV_DUT,name=echo-request,type=8}" "$TMP/metrics" | awk '{print $2}')" 7
is "a quote and a backslash, escaped" \
	"$(grep -cF "xdpong_up{ifname=$ODD1} 1" "$TMP/metrics")" 1
is "a byte that isn't UTF-8, written as \\xff" \
	"$(grep -cF "xdpong_up{ifname=q\\xff$ID} 1" "$TMP/metrics")" 1
check_exit "another path: 404" 0 "HTTP 404" scrape /
kill "$SERVE"; wait "$SERVE"
is "serve stops cleanly on SIGTERM" "$?" 0
check "detach" xdpong detach "$DEV_DUT"

done_testing
