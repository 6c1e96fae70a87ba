#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_run.sh: `xdpong run`, the service, started as systemd would start it
# (stdin from /dev/null, its log in a file, $NOTIFY_SOCKET and
# $WATCHDOG_USEC set, a run directory of its own), on two interfaces of the
# DUT: the notify protocol read from a socket the test owns, real pings
# answered by XDP (the DUT kernel's IcmpInEchos must not move), /metrics,
# SIGHUP, SIGTERM; kill -9 and a restart under a continuous ping without a
# lost reply; a second run refused; interfaces renamed, deleted, recreated,
# detached by hand, missing; descriptors that don't grow; --output, the
# events of both interfaces in one file, reopened on SIGHUP. Then track: a
# rename, its descriptors, and the interval's lower bound.
. "$(dirname "$0")/lib.sh"

setup_net
# A second link between the DUT and the client.
DEV2=xpe$ID CLI2=xpf$ID
DUT2_4=198.18.1.1 CLI2_4=198.18.1.2
add_link2() {
	ip link add "$DEV2" netns "$DUT" type veth peer name "$CLI2" netns "$CLI" &&
	dut ip addr add "$DUT2_4/24" dev "$DEV2" &&
	cli ip addr add "$CLI2_4/24" dev "$CLI2" &&
	dut ip link set "$DEV2" up && cli ip link set "$CLI2" up &&
	cli ip link set dev "$CLI2" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
}
add_link2 || bail "can't add the second link"

export RUNTIME_DIRECTORY=$TMP/run
PORT=17798
URL=http://127.0.0.1:$PORT/metrics
NOTIFY=$TMP/notify.log
LOG=$TMP/run.log

# The service manager's side of sd_notify: a datagram socket the test owns.
# Each message is logged with its time; at READY=1 it also logs what the
# kernel says is attached and whether /metrics answers, right then.
cat >"$TMP/notify.py" <<'EOF'
import os, socket, subprocess, sys, time, urllib.request
path, out, ns, url = sys.argv[1:5]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
t0 = time.monotonic()
with open(out, "w", buffering=1) as f:
    while True:
        msg = s.recv(4096).decode()
        t = time.monotonic() - t0
        for line in msg.split("\n"):
            f.write("%.3f %s\n" % (t, line))
        if "READY=1" in msg.split("\n"):
            links = subprocess.run(["ip", "-n", ns, "-o", "link", "show"], capture_output=True,
                                   text=True).stdout
            xdp = sum(1 for l in links.splitlines() if " xdp" in l and "lo:" not in l)
            try:
                code = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c",
                                       "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1], timeout=2).status)",
                                       url], capture_output=True, text=True).stdout.strip()
            except Exception as e:
                code = str(e)
            f.write("%.3f AT-READY xdp=%d http=%s\n" % (t, xdp, code))
EOF
python3 "$TMP/notify.py" "$TMP/notify.sock" "$NOTIFY" "$DUT" "$URL" &
NOTIFIER=$!
for _ in $(seq 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.1; done

# run_service ARGS...: start `xdpong run ARGS` as systemd would; $SVC is its pid.
run_service() {
	ip netns exec "$DUT" env NOTIFY_SOCKET="$TMP/notify.sock" WATCHDOG_USEC=400000 \
		"$XDPONG" run "$@" </dev/null >>"$LOG" 2>&1 &
	SVC=$!
}
# wait_for FILE ERE [SECONDS]: until a line of FILE matches.
wait_for() {
	local _
	for _ in $(seq $((${3:-5} * 10))); do grep -Eq -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}
nready() { grep -c ' READY=1$' "$NOTIFY"; }
scrape() { dut python3 -c 'import urllib.request, sys; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$URL"; }
xdp_on() { dut ip -o link show "$1" 2>/dev/null | grep -c ' xdp'; }
# The fewest of five looks: a sync holds a netlink socket open for the few
# milliseconds of its dump, which a look may fall into; a leak raises them all.
nfds() {
	local i n min=
	for i in 1 2 3 4 5; do
		n=$(ls "/proc/$1/fd" | wc -l)
		[ -z "$min" ] || [ "$n" -lt "$min" ] && min=$n
		sleep 0.03
	done
	echo "$min"
}

# ---- Start: READY=1 once both are attached and /metrics listens ----
mkdir "$TMP/tf"
run_service --sync-interval 0.2 --listen 127.0.0.1:$PORT --textfile "$TMP/tf" --interval 600 \
	"$DEV_DUT" "$DEV2"
if wait_for "$NOTIFY" ' READY=1$' 10; then ok "READY=1 on the notify socket"; else not_ok "READY=1 on the notify socket"; diag <"$LOG"; fi
wait_for "$NOTIFY" 'AT-READY'
is "... when it came, both interfaces had XDP and /metrics answered 200" \
	"$(grep -o 'AT-READY.*' "$NOTIFY" | head -1)" "AT-READY xdp=2 http=200"
check_exit "STATUS= names both interfaces" 0 "STATUS=answering on $DEV_DUT, $DEV2\$" cat "$NOTIFY"
w0=$(grep -c ' WATCHDOG=1$' "$NOTIFY")
sleep 2
w=$(( $(grep -c ' WATCHDOG=1$' "$NOTIFY") - w0 ))
is "WATCHDOG=1 every half of WATCHDOG_USEC (0.2 s): 8 to 11 in 2 s (got $w)" "$(( w >= 8 && w <= 11 ))" 1
check "the service runs on" kill -0 "$SVC"

# ---- Real pings, answered by XDP on both ----
in4=$(counter "$DUT" IcmpInEchos); in6=$(counter "$DUT" Icmp6InEchos)
check_exit "ping on the first interface: all answered" 0 " 20 received" cli ping -c 20 -i 0.01 -W 2 "$DUT4"
check_exit "ping -6 on the first interface: all answered" 0 " 20 received" cli ping -6 -c 20 -i 0.01 -W 2 "$DUT6"
check_exit "ping on the second interface: all answered" 0 " 20 received" cli ping -c 20 -i 0.01 -W 2 "$DUT2_4"
is "... by XDP: the DUT kernel saw no echo request" \
	"$(counter "$DUT" IcmpInEchos)/$(counter "$DUT" Icmp6InEchos)" "$in4/$in6"

# ---- /metrics ----
scrape >"$TMP/m1" 2>&1
check_exit "/metrics: xdpong_up for the first interface" 0 "^xdpong_up\\{ifname=\"$DEV_DUT\"\\} 1" cat "$TMP/m1"
check_exit "/metrics: xdpong_up for the second" 0 "^xdpong_up\\{ifname=\"$DEV2\"\\} 1" cat "$TMP/m1"
is "/metrics: 40 replies on the first interface" \
	"$(awk -v k="xdpong_packets_total{ifname=\"$DEV_DUT\",action=\"tx\"}" '$1 == k { print $2 }' "$TMP/m1")" 40

# ---- The log: one line per event, no terminal codes ----
is "the log has no escape sequence (colours, cursor)" "$(grep -c $'\033' "$LOG")" 0
check_exit "the log says it runs, and where" 0 "running, pid $SVC: answering on $DEV_DUT, $DEV2" cat "$LOG"

# ---- A second run on one of its interfaces refuses, and changes nothing ----
check_exit "a second run on the same interface: refused (exit 5), naming the first" 5 \
	"$DEV2: another xdpong run \\(pid $SVC\\) manages it" \
	ip netns exec "$DUT" "$XDPONG" run --listen 127.0.0.1:17799 "$DEV2"
check_exit "... the first still answers there" 0 " 3 received" cli ping -c 3 -i 0.01 -W 2 "$DUT2_4"

# ---- Addresses and sysctls kept in step (track's job) ----
dut ip addr add 198.18.0.77/24 dev "$DEV_DUT"
sleep 0.5
in4=$(counter "$DUT" IcmpInEchos)
check_exit "an address added is answered within half a second" 0 " 2 received" cli ping -c 2 -i 0.05 -W 1 198.18.0.77
is "... by XDP" "$(counter "$DUT" IcmpInEchos)" "$in4"
dut sysctl -qw net.ipv4.icmp_echo_ignore_all=1
sleep 0.5
check_exit "icmp_echo_ignore_all=1: no reply within the sync interval" 1 " 0 received" cli ping -c 2 -i 0.1 -W 1 "$DUT4"
dut sysctl -qw net.ipv4.icmp_echo_ignore_all=0
sleep 0.5

# ---- Descriptors don't grow: sync every 0.2 s, a scrape every 50 ms ----
f0=$(nfds "$SVC")
dut python3 -c '
import sys, time, urllib.request
for _ in range(80):
    urllib.request.urlopen(sys.argv[1], timeout=5).read()
    time.sleep(0.05)' "$URL"
is "descriptors after ~4 s of syncs and 80 scrapes: as many as before ($f0)" "$(nfds "$SVC")" "$f0"

# ---- SIGHUP: the files written anew, READY again ----
n=$(nready)
tf0=$(command stat -c %i "$TMP/tf/xdpong.prom")
kill -HUP "$SVC"
wait_for "$LOG" 'SIGHUP: every interface resynced'
check_exit "SIGHUP: logged" 0 'SIGHUP: every interface resynced' cat "$LOG"
wait_for "$NOTIFY" ' RELOADING=1$'
is "SIGHUP: RELOADING=1, then READY=1 again" "$(grep -c ' RELOADING=1$' "$NOTIFY")/$(nready)" "1/$((n + 1))"
check "... and it runs on" kill -0 "$SVC"
# (command stat: lib.sh's stat() reads xdpong's counters)
for _ in $(seq 20); do [ "$(command stat -c %i "$TMP/tf/xdpong.prom")" != "$tf0" ] && break; sleep 0.1; done
is "... and the textfile (--interval 600) written anew: another inode" \
	"$(test "$(command stat -c %i "$TMP/tf/xdpong.prom")" != "$tf0" && echo new)" new
check_exit "... with the replies so far" 0 "^xdpong_packets_total\\{ifname=\"$DEV_DUT\",action=\"tx\"\\} [1-9]" \
	cat "$TMP/tf/xdpong.prom"

# ---- Renamed: followed by its index ----
DEV2B=xpg$ID
dut ip link set "$DEV2" down; dut ip link set "$DEV2" name "$DEV2B"; dut ip link set "$DEV2B" up
if wait_for "$LOG" "$DEV2 is now called $DEV2B"; then ok "a rename is logged"; else not_ok "a rename is logged"; diag <"$LOG"; fi
in4=$(counter "$DUT" IcmpInEchos)
check_exit "... and the renamed interface still answered" 0 " 3 received" cli ping -c 3 -i 0.05 -W 2 "$DUT2_4"
is "... by XDP" "$(counter "$DUT" IcmpInEchos)" "$in4"
wait_for "$NOTIFY" "STATUS=answering on $DEV_DUT, $DEV2B\$"
check_exit "STATUS= has its new name" 0 "STATUS=answering on $DEV_DUT, $DEV2B\$" cat "$NOTIFY"
dut ip link set "$DEV2B" down; dut ip link set "$DEV2B" name "$DEV2"; dut ip link set "$DEV2" up
wait_for "$LOG" "$DEV2B is now called $DEV2"

# ---- Deleted: reported, the other goes on; back: managed again ----
dut ip link del "$DEV2"
if wait_for "$LOG" "$DEV2 is gone \\(deleted\\)"; then ok "a deleted interface is reported"; else not_ok "a deleted interface is reported"; diag <"$LOG"; fi
wait_for "$NOTIFY" "STATUS=answering on $DEV_DUT; not on $DEV2: deleted"
check_exit "... in STATUS= too" 0 "STATUS=answering on $DEV_DUT; not on $DEV2: deleted" cat "$NOTIFY"
in4=$(counter "$DUT" IcmpInEchos)
check_exit "... and the other interface still answered" 0 " 5 received" cli ping -c 5 -i 0.01 -W 2 "$DUT4"
is "... by XDP" "$(counter "$DUT" IcmpInEchos)" "$in4"
check "... and the service runs on" kill -0 "$SVC"
add_link2 || bail "can't add the second link again"
if wait_for "$LOG" "$DEV2 is here: managed"; then ok "the interface back under its name: managed again"; else not_ok "the interface back under its name: managed again"; diag <"$LOG"; fi
in4=$(counter "$DUT" IcmpInEchos)
check_exit "... and answered by XDP" 0 " 3 received" cli ping -c 3 -i 0.05 -W 2 "$DUT2_4"
is "... (IcmpInEchos)" "$(counter "$DUT" IcmpInEchos)" "$in4"

# ---- Detached by hand: reported, not fought; SIGHUP takes it again ----
check "xdpong detach, by hand" xdpong detach "$DEV2"
if wait_for "$LOG" "$DEV2: xdpong was detached or replaced by someone else"; then ok "a detach by hand is reported"; else not_ok "a detach by hand is reported"; diag <"$LOG"; fi
sleep 0.5
is "... and not undone" "$(xdp_on "$DEV2")" 0
kill -HUP "$SVC"
wait_for "$LOG" "$DEV2: managed again"
is "SIGHUP attaches it again" "$(xdp_on "$DEV2")" 1

# ---- SIGTERM: STOPPING=1, exit 0, nothing left attached ----
kill -TERM "$SVC"; wait "$SVC"
is "SIGTERM: exit 0" "$?" 0
wait_for "$NOTIFY" ' STOPPING=1$'
check_exit "... STOPPING=1" 0 ' STOPPING=1$' cat "$NOTIFY"
is "... nothing attached on either interface" "$(xdp_on "$DEV_DUT")/$(xdp_on "$DEV2")" 0/0
is "... nothing left in bpffs" "$(find "$TMP/bpffs" -mindepth 2 ! -name globals | wc -l)" 0
is "... no lock file left" "$(ls "$RUNTIME_DIRECTORY" | wc -l)" 0
in4=$(counter "$DUT" IcmpInEchos)
check_exit "... and the kernel answers again" 0 " 2 received" cli ping -c 2 -i 0.05 -W 2 "$DUT4"
is "... (IcmpInEchos +2)" "$(counter "$DUT" IcmpInEchos)" "$((in4 + 2))"

# ---- kill -9 and a restart under a continuous ping: not one reply lost ----
: >"$LOG"
run_service --rate 100000 "$DEV_DUT"
wait_for "$LOG" "running, pid $SVC"
in4=$(counter "$DUT" IcmpInEchos)
cli ping -q -c 600 -i 0.01 -W 1 "$DUT4" >"$TMP/ping" 2>&1 &
PING=$!
sleep 1
kill -9 "$SVC"; wait "$SVC" 2>/dev/null
OLD=$SVC
sleep 1
is "killed with -9: still attached" "$(xdp_on "$DEV_DUT")" 1
run_service --rate 200000 "$DEV_DUT"
wait_for "$LOG" "running, pid $SVC"
wait "$PING"
is "600 pings at 100/s across the kill -9 and the restart: 0% lost" \
	"$(grep -o '[0-9]* received, [0-9.]*% packet loss' "$TMP/ping")" "600 received, 0% packet loss"
is "... all answered by XDP (IcmpInEchos unchanged)" "$(counter "$DUT" IcmpInEchos)" "$in4"
check_exit "the restart adopted the program, with the new options" 0 \
	"$DEV_DUT: adopted the xdpong attached before .*config updated" cat "$LOG"
check_exit "... the new rate limit in force" 0 "at most 200000 replies/s" xdpong status "$DEV_DUT"
is "... the lock of the killed one was free (no refusal)" "$(grep -c 'another xdpong run' "$LOG")" 0

# ---- --keep-attached: stopped, still answering; the next run adopts ----
kill -TERM "$SVC"; wait "$SVC"
: >"$LOG"
run_service --keep-attached "$DEV_DUT"
wait_for "$LOG" "running, pid $SVC"
kill -TERM "$SVC"; wait "$SVC"
is "--keep-attached: SIGTERM leaves it attached" "$(xdp_on "$DEV_DUT")" 1
in4=$(counter "$DUT" IcmpInEchos)
check_exit "... answering" 0 " 3 received" cli ping -c 3 -i 0.05 -W 2 "$DUT4"
is "... by XDP" "$(counter "$DUT" IcmpInEchos)" "$in4"
run_service "$DEV_DUT"
wait_for "$LOG" "running, pid $SVC"
check_exit "the next run adopts it" 0 "$DEV_DUT: adopted" cat "$LOG"
kill -TERM "$SVC"; wait "$SVC"
is "... and detaches it at SIGTERM" "$(xdp_on "$DEV_DUT")" 0

# ---- Adopting a program attached with --no-rtt: ping telemetry added ----
check "attach --no-rtt by hand" xdpong attach --no-rtt "$DEV_DUT"
: >"$LOG"
run_service "$DEV_DUT"
wait_for "$LOG" "running, pid $SVC"
check_exit "run adopts it" 0 "$DEV_DUT: adopted" cat "$LOG"
is "... and times the host's pings, as a fresh attach would" \
	"$(xdpong rtt --json "$DEV_DUT" | jq -c '[.enabled, .total[0].sent]')" "[true,0]"
check_exit "a ping from the DUT" 0 " 2 received" dut ping -c 2 -i 0.05 -W 2 "$CLI4"
is "... timed: 2 sent, 2 replied" \
	"$(xdpong rtt --json "$DEV_DUT" | jq -c '[.total[0].sent, .total[0].replied]')" "[2,2]"
kill -TERM "$SVC"; wait "$SVC"
is "... its egress program gone with it at SIGTERM" "$(find "$TMP/bpffs" -name xdpong_rtt_out | wc -l)" 0

# ---- --output FILE: the events of every interface, one file; SIGHUP reopens it ----
check_exit "run --output-size 1x: exit 2" 2 "'1x' is not a size" \
	ip netns exec "$DUT" "$XDPONG" run --output "$TMP/x.json" --output-size 1x "$DEV_DUT"
check_exit "run --filter without --output: exit 2" 2 "go with --output" \
	ip netns exec "$DUT" "$XDPONG" run --filter icmp "$DEV_DUT"
check_exit "run --filter with a syntax error: exit 2, libpcap's message" 2 "can't parse filter expression" \
	ip netns exec "$DUT" "$XDPONG" run --output "$TMP/x.json" --filter 'icmp[' "$DEV_DUT"
check_exit "run --output into a folder that doesn't exist: exit 1" 1 \
	"can't write '/nonexistent/ev.json': No such file or directory" \
	ip netns exec "$DUT" "$XDPONG" run --output /nonexistent/ev.json "$DEV_DUT"
is "... before anything was attached" "$(xdp_on "$DEV_DUT")/$(xdp_on "$DEV2")" 0/0
# Errors toward the DUT: UDP to a port nobody listens on, the CLI's kernel
# answers port unreachable (not rate limited, to count them).
cli sysctl -qw net.ipv4.icmp_ratelimit=0
unreach() { dut bash -c "for i in \$(seq $2); do echo x >/dev/udp/$1/33434; sleep 0.05; done"; }
errors_in() { jq -r '"\(.ifname) \(.family) \(.type)/\(.code) \(.name) \(.src)"' "$1" | sort | uniq -c | xargs; }
F=$TMP/run-events.json
: >"$LOG"
run_service --output "$F" "$DEV_DUT" "$DEV2"
wait_for "$LOG" "running, pid $SVC"
unreach "$CLI4" 3; unreach "$CLI2_4" 2
sleep 0.3
is "--output: one JSON line per error received, from both interfaces" "$(errors_in "$F")" \
	"3 $DEV_DUT icmp 3/3 dest-unreachable/port $CLI4 2 $DEV2 icmp 3/3 dest-unreachable/port $CLI2_4"
is "... every line parses" "$(jq -c . "$F" | wc -l)" 5
mv "$F" "$F.moved"
kill -HUP "$SVC"
wait_for "$LOG" "the event file reopened"
unreach "$CLI2_4" 2
sleep 0.3
is "SIGHUP after the file was moved: a new file at the path, with the errors since" \
	"$(errors_in "$F")" "2 $DEV2 icmp 3/3 dest-unreachable/port $CLI2_4"
is "... the moved file as it was" "$(wc -l <"$F.moved")" 5
# Replaced by hand, taken again: a new reader, the old one's gone (its epoll
# descriptor: each reader has one).
nepoll() { find "/proc/$1/fd" -lname 'anon_inode:\[eventpoll\]' | wc -l; }
f0=$(nepoll "$SVC")
xdpong detach "$DEV2" >/dev/null
wait_for "$LOG" "$DEV2: xdpong was detached or replaced by someone else"
kill -HUP "$SVC"
wait_for "$LOG" "$DEV2: managed again"
unreach "$CLI2_4" 1
sleep 0.3
is "detached by hand, taken again at SIGHUP: its events read again" \
	"$(errors_in "$F")" "3 $DEV2 icmp 3/3 dest-unreachable/port $CLI2_4"
is "... as many epoll descriptors as before ($f0)" "$(nepoll "$SVC")" "$f0"
kill -TERM "$SVC"; wait "$SVC"
is "... SIGTERM: exit 0, nothing left attached" "$?/$(xdp_on "$DEV_DUT")/$(xdp_on "$DEV2")" 0/0/0
# --filter: only the events whose packet matches, into the rotated file.
run_service --output "$F.f" --output-size 1M --output-backups 2 --filter "src host $CLI2_4" \
	"$DEV_DUT" "$DEV2"
wait_for "$LOG" "running, pid $SVC"
unreach "$CLI4" 2; unreach "$CLI2_4" 2
sleep 0.3
kill -TERM "$SVC"; wait "$SVC"
is "--filter 'src host $CLI2_4': only those, exit 0" "$? $(errors_in "$F.f")" \
	"0 2 $DEV2 icmp 3/3 dest-unreachable/port $CLI2_4"
# Without --output, run reads no events: `xdpong events` has them all.
run_service "$DEV_DUT"
wait_for "$LOG" "running, pid $SVC"
ip netns exec "$DUT" timeout 10 "$XDPONG" events --json --count 3 "$DEV_DUT" >"$TMP/ev.out" 2>&1 &
EVP=$!
sleep 0.3
unreach "$CLI4" 3
wait "$EVP"
is "without --output, run reads no events: xdpong events beside it gets every one" \
	"$? $(errors_in "$TMP/ev.out")" "0 3 $DEV_DUT icmp 3/3 dest-unreachable/port $CLI4"
kill -TERM "$SVC"; wait "$SVC"

# ---- One interface failing doesn't take the other down ----
: >"$LOG"
dut ip link set dev "$DEV2" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
run_service "$DEV_DUT" "$DEV2" "xpnone$ID"
if wait_for "$LOG" "running, pid $SVC"; then ok "another program on one interface, another missing: it runs"; else not_ok "another program on one interface, another missing: it runs"; diag <"$LOG"; fi
check_exit "... saying why for each" 0 "xpnone$ID: no such interface" cat "$LOG"
check_exit "... STATUS= too" 0 "STATUS=answering on $DEV_DUT; not on $DEV2: .*; not on xpnone$ID: no such interface" cat "$NOTIFY"
is "... the other program left in place" "$(dut ip -o link show "$DEV2" | grep -c 'prog/xdp id')" 1
in4=$(counter "$DUT" IcmpInEchos)
check_exit "... the first interface answered by XDP" 0 " 3 received" cli ping -c 3 -i 0.05 -W 2 "$DUT4"
is "... (IcmpInEchos)" "$(counter "$DUT" IcmpInEchos)" "$in4"
kill -TERM "$SVC"; wait "$SVC"
is "... SIGTERM: exit 0, nothing of ours left" "$?/$(xdp_on "$DEV_DUT")" "0/0"
dut ip link set dev "$DEV2" xdpdrv off
check_exit "no interface at all: exit 3" 3 "no interface could be attached" \
	ip netns exec "$DUT" "$XDPONG" run "xpnone$ID"
check_exit "an interface named twice: exit 2" 2 "named twice" \
	ip netns exec "$DUT" "$XDPONG" run "$DEV_DUT" "$DEV_DUT"
check_exit "run without an interface: exit 2" 2 "missing interface name" ip netns exec "$DUT" "$XDPONG" run
is "nothing left attached" "$(xdp_on "$DEV_DUT")/$(xdp_on "$DEV2")" 0/0

# ---- The journal: priorities as "<N>" prefixes when stderr is the journal ----
# (command stat: lib.sh's stat() reads xdpong's counters)
: >"$TMP/journal"
ino=$(command stat -c '%d:%i' "$TMP/journal")
ip netns exec "$DUT" env JOURNAL_STREAM="$ino" "$XDPONG" run "$DEV_DUT" "xpnone$ID" \
	</dev/null >>"$TMP/journal" 2>&1 &
SVC=$!
wait_for "$TMP/journal" "running, pid"
kill -TERM "$SVC"; wait "$SVC"
check_exit "stderr is the journal: a warning has <4>" 0 "^<4>xpnone$ID: no such interface" cat "$TMP/journal"
check_exit "... notices <5>, with no timestamp of ours (the journal has its own)" 0 \
	"^<5>running, pid $SVC" cat "$TMP/journal"

# ---- track: a rename, its descriptors, the interval's lower bound ----
check "attach, for track" xdpong attach "$DEV_DUT"
ip netns exec "$DUT" "$XDPONG" track --interval 0.1 "$DEV_DUT" >"$TMP/track" 2>&1 &
TRACK=$!
sleep 0.5
f0=$(nfds "$TRACK")
dut ip link set "$DEV_DUT" down; dut ip link set "$DEV_DUT" name "xph$ID"; dut ip link set "xph$ID" up
sleep 3
check "track: still running after a rename" kill -0 "$TRACK"
check_exit "... saying so" 0 "$DEV_DUT is now called xph$ID" cat "$TMP/track"
dut ip addr add 198.18.0.78/24 dev "xph$ID"
sleep 0.5
check_exit "... and still tracking it: a new address is in the map" 0 "198.18.0.78" xdpong status "xph$ID"
is "... its descriptors after ~30 checks: as many as before ($f0)" "$(nfds "$TRACK")" "$f0"
t0=$(awk '{ print $14 + $15 }' "/proc/$TRACK/stat")
sleep 2
t1=$(awk '{ print $14 + $15 }' "/proc/$TRACK/stat")
is "... at the lowest interval (0.1 s), under 10% of a CPU ($((t1 - t0)) ticks in 2 s)" \
	"$(( (t1 - t0) * 100 / (2 * $(getconf CLK_TCK)) < 10 ))" 1
dut ip link set "xph$ID" down; dut ip link set "xph$ID" name "$DEV_DUT"; dut ip link set "$DEV_DUT" up
kill "$TRACK"; wait "$TRACK"
is "track stops cleanly on SIGTERM" "$?" 0
check_exit "track --interval 0.0001: refused (exit 2), naming the bounds" 2 "from 0.1 to 3600" \
	xdpong track --interval 0.0001 "$DEV_DUT"
check_exit "watch --interval 0.0001: refused (exit 2)" 2 "from 0.1 to 3600" \
	xdpong watch --interval 0.0001 "$DEV_DUT"
check_exit "watch --help gives the bounds" 0 "interval S .*from 0.1 to 3600" xdpong watch --help
check "detach" xdpong detach "$DEV_DUT"

kill "$NOTIFIER" 2>/dev/null; wait "$NOTIFIER" 2>/dev/null
done_testing
