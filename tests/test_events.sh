#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_events.sh: `xdpong events` and `watch` as long-running readers. They
# follow a new xdpong on the interface and stop, saying why, when it is
# detached, replaced by another program or the interface is gone.
. "$(dirname "$0")/lib.sh"

setup_net

# bg NAME CMD...: start CMD in the DUT namespace, its output in $TMP/NAME.out
# and .err; its pid in $NAME.
bg() {
	local name=$1; shift
	ip netns exec "$DUT" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	eval "$name=\$!"
}
# waited PID SECONDS: wait for PID, at most SECONDS; RC is its exit code,
# or "running" (then it is killed).
waited() {
	local i
	for i in $(seq $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"; wait "$1" 2>/dev/null
		RC=running
	else
		wait "$1"; RC=$?
	fi
}
prog_id() { xdpong status --json "$DEV_DUT" | jq '.interfaces[0].prog_id'; }
now() { date +%s.%N; }
since() { awk -v t0="$1" -v t1="$(now)" 'BEGIN { print t1 - t0 }'; }

# ---- Following the program ----
check "attach" xdpong attach "$DEV_DUT"
OLD=$(prog_id)
bg EV "$XDPONG" events --json "$DEV_DUT"
bg W "$XDPONG" watch --interval 0.2 "$DEV_DUT"
sleep 0.5
# A detach and attach, as an upgrade does: the new program is followed.
xdpong detach "$DEV_DUT" >/dev/null && xdpong attach --sample echo-request=1 "$DEV_DUT" >/dev/null
NEW=$(prog_id)
sleep 0.5
check_exit "pings to the new program" 0 " 3 received" cli ping -c 3 -i 0.1 -W 1 "$DUT4"
sleep 0.5
is "events follows the new program, and says so" "$(cat "$TMP/EV.err")" \
	"xdpong: xdpong on '$DEV_DUT' was replaced: following the new program (id $NEW, was $OLD)"
is "... and reads its events: the 3 echo requests" \
	"$(jq -r '.name + " from " + .src' "$TMP/EV.out" | sort | uniq -c | xargs)" "3 echo-request from $CLI4"
is "watch follows it too" "$(cat "$TMP/W.err")" "$(cat "$TMP/EV.err")"
is "... and shows its counters: tx 3 in the last frame" \
	"$(grep -E '^  tx +[0-9]+ +[0-9]+ +[0-9]+$' "$TMP/W.out" | tail -1 | awk '{print $4}')" 3

# Detached for good: both stop after the grace period (3 s), exit 5.
T0=$(now)
xdpong detach "$DEV_DUT" >/dev/null
waited "$EV" 6; is "detached: events stops, exit 5" "$RC" 5
waited "$W" 2; is "... watch too" "$RC" 5
is "... after the 3 s grace period, within a second" "$(since "$T0" | awk '{print ($1 >= 3 && $1 < 4.5)}')" 1
is "... saying why" "$(tail -1 "$TMP/EV.err"; tail -1 "$TMP/W.err")" \
	"xdpong: xdpong was detached from '$DEV_DUT'; stopping
xdpong: xdpong was detached from '$DEV_DUT'; stopping"

# Replaced by a program that isn't xdpong.
check "attach" xdpong attach "$DEV_DUT"
bg EV "$XDPONG" events "$DEV_DUT"
sleep 0.3
xdpong detach "$DEV_DUT" >/dev/null &&
	dut ip link set dev "$DEV_DUT" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
waited "$EV" 6; is "replaced by another XDP program: events stops, exit 5" "$RC" 5
is "... saying so" "$(cat "$TMP/EV.err")" \
	"xdpong: xdpong on '$DEV_DUT' was replaced by another XDP program; stopping"
dut ip link set dev "$DEV_DUT" xdpdrv off

# ---- Outputs that fail end the command ----
check "attach, an event per echo request" xdpong attach --sample echo-request=1 "$DEV_DUT"
# head -1 exits after the first event: events must notice at the next event,
# and with none (one ping here), from the pipe itself.
for pings in 5 1; do
	T0=$(now)
	bash -c "ip netns exec $DUT $XDPONG events $DEV_DUT | head -1 >$TMP/head.out;"' echo "${PIPESTATUS[0]}"' \
		>"$TMP/pipe.rc" 2>"$TMP/pipe.err" &
	P=$!
	sleep 0.5
	cli ping -c $pings -i 0.2 -W 1 "$DUT4" >/dev/null
	waited "$P" 3
	is "events | head -1, then $((pings - 1)) more events: the pipeline ends, events with exit 0" \
		"$RC $(cat "$TMP/pipe.rc") $(wc -l <"$TMP/head.out")" "0 0 1"
	# (0.5 s for the reader to start, the first event then; two seconds' margin
	# for a loaded 2-CPU machine: the bound is that it ends, not how fast)
	is "... within two seconds of the first event, quietly" \
		"$(since "$T0" | awk '{print ($1 < 2.5)}')$(cat "$TMP/pipe.err")" 1
done
# A full disk: standard output, and the pcap file.
ip netns exec "$DUT" "$XDPONG" events "$DEV_DUT" >/dev/full 2>"$TMP/full.err" &
EV=$!
ip netns exec "$DUT" "$XDPONG" events --write /dev/full "$DEV_DUT" >/dev/null 2>"$TMP/full-pcap.err" &
EVP=$!
sleep 0.3
cli ping -c 1 -W 1 "$DUT4" >/dev/null
waited "$EV" 2
is "events >/dev/full: exit 1 at the first event" "$RC" 1
is "... saying why" "$(cat "$TMP/full.err")" \
	"xdpong: can't write to standard output: No space left on device"
waited "$EVP" 2
is "events --write /dev/full: exit 1" "$RC" 1
is "... saying why" "$(cat "$TMP/full-pcap.err")" \
	"xdpong: can't write '/dev/full': No space left on device"
check "detach" xdpong detach "$DEV_DUT"

# ---- --filter: a tcpdump filter over the event's packet, in every output ----
check_exit "--filter with a syntax error: exit 2, libpcap's message" 2 \
	"--filter 'icmp\[': can't parse filter expression: syntax error" xdpong events --filter 'icmp[' "$DEV_DUT"
check_exit "--filter twice: exit 2" 2 "takes one expression" xdpong events -f icmp -f icmp6 "$DEV_DUT"
check "attach, an event per echo request" xdpong attach --sample echo-request=1 "$DEV_DUT"
cli sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
# round NAME ARGS...: one reader, `events ARGS`, over the same traffic each
# time (a ring buffer has one consumer: readers at once would share it):
# echo requests both ways, and errors the CLI's kernel sends back to the DUT
# (a UDP port nobody listens on); IPv4 first, then IPv6.
round() {
	local name=$1; shift
	bg "$name" "$XDPONG" events "$@" "$DEV_DUT"
	sleep 0.3
	cli ping -c 4 -i 0.05 -W 1 "$DUT4" >/dev/null
	dut bash -c "for i in 1 2; do echo x >/dev/udp/$CLI4/33434; sleep 0.05; done"
	cli ping -6 -c 3 -i 0.05 -W 1 "$DUT6" >/dev/null
	dut bash -c "for i in 1 2; do echo x >/dev/udp/$CLI6/33434; sleep 0.05; done"
	sleep 0.3
	if kill -0 "${!name}" 2>/dev/null; then
		kill "${!name}"; wait "${!name}"; RC=stopped
	else
		wait "${!name}"; RC=$?
	fi
}
UNREACH='icmp[icmptype] == icmp-unreach'
round ALL --json --write "$TMP/all.pcap"
is "without a filter: 4 + 3 echo requests, 2 + 2 port unreachables" \
	"$(jq -r '.family + " " + .name' "$TMP/ALL.out" | sort | uniq -c | xargs)" \
	"2 icmp dest-unreachable/port 4 icmp echo-request 2 icmpv6 dest-unreachable/port 3 icmpv6 echo-request"
round JS --json --write "$TMP/f.pcap" --filter "$UNREACH"
# tcpdump applies the same expression to the unfiltered round's pcap.
tcpdump -r "$TMP/all.pcap" -t -n "$UNREACH" >"$TMP/want.txt" 2>/dev/null
is "'$UNREACH': tcpdump finds the 2 IPv4 unreachables in the unfiltered pcap" \
	"$(grep -c "ICMP $CLI4 udp port 33434 unreachable" "$TMP/want.txt") $(wc -l <"$TMP/want.txt")" "2 2"
is "... the filtered pcap holds the same packets" "$(tcpdump -r "$TMP/f.pcap" -t -n 2>/dev/null)" \
	"$(cat "$TMP/want.txt")"
proj='[.family, .name, .src, .dst, .inner.proto, .inner.dport]'
is "... the JSON the same events as the unfiltered stream's" "$(jq -c "$proj" "$TMP/JS.out")" \
	"$(jq -c "select(.family == \"icmp\" and .type == 3) | $proj" "$TMP/ALL.out")"
round TXT --filter "$UNREACH"
is "... and the text" \
	"$(grep -c " icmp dest-unreachable/port $CLI4 > $DUT4 quoting udp $DUT4:[0-9]* > $CLI4:33434$" "$TMP/TXT.out") $(wc -l <"$TMP/TXT.out")" "2 2"
round V6 --json --filter 'icmp6 and ip6[40] == 128' --count 2
is "--count 2 counts matching events only: 2 IPv6 echo requests, after IPv4 ones, then exit 0" \
	"$RC $(jq -r '.family + " " + .name' "$TMP/V6.out" | sort | uniq -c | xargs)" "0 2 icmpv6 echo-request"
round NONE --json --write "$TMP/none.pcap" --filter tcp
is "'tcp': nothing, in JSON and pcap" \
	"$(wc -l <"$TMP/NONE.out") $(tcpdump -r "$TMP/none.pcap" -n 2>/dev/null | wc -l)" "0 0"
check "detach" xdpong detach "$DEV_DUT"

# ---- --output FILE: JSON lines for a log shipper, rotated, reopened on SIGHUP ----
check_exit "--output-size 1x: exit 2" 2 "'1x' is not a size" xdpong events -o "$TMP/x" -s 1x "$DEV_DUT"
check_exit "--output-backups without --output: exit 2" 2 "go with --output" \
	xdpong events --output-backups 2 "$DEV_DUT"
check "attach: an event per echo request, 100 000 a second at most" \
	xdpong attach --sample echo-request=1 --event-rate 100000 "$DEV_DUT"
sent() { stat .events.sent; }
check_exit "--output into a folder that doesn't exist: exit 1" 1 \
	"can't write '/nonexistent/ev.json': No such file or directory" \
	xdpong events --output /nonexistent/ev.json "$DEV_DUT"

# Appended to what the file had; after SIGHUP, a new file where the old one was.
F=$TMP/ev.json
echo '{"earlier":true}' >"$F"
S0=$(sent)
bg EV "$XDPONG" events --output "$F" "$DEV_DUT"
sleep 0.3
cli ping -c 5 -i 0.05 -W 1 "$DUT4" >/dev/null
sleep 0.3
mv "$F" "$F.moved"
kill -HUP "$EV"
sleep 0.3
cli ping -6 -c 4 -i 0.05 -W 1 "$DUT6" >/dev/null
sleep 0.3
is "SIGHUP: events goes on" "$(kill -0 "$EV" && echo running)" running
kill "$EV"; wait "$EV"
is "... and ends on SIGTERM, exit 0, silent" "$? $(cat "$TMP/EV.out" "$TMP/EV.err")" "0 "
is "the file: the line it had, then the 5 IPv4 events, JSON lines" \
	"$(jq -r 'if .earlier then "earlier" else "\(.family) \(.name) \(.src)" end' "$F.moved" | uniq -c | xargs)" \
	"1 earlier 5 icmp echo-request $CLI4"
is "... reopened after SIGHUP: the 4 IPv6 ones" \
	"$(jq -r '"\(.family) \(.name) \(.src)"' "$F" | uniq -c | xargs)" "4 icmpv6 echo-request $CLI6"
is "... the lines are those of events --json" \
	"$(jq -c 'del(.time, .ts_ns, .inner)' "$F" | sort -u)" \
	"{\"ifname\":\"$DEV_DUT\",\"ifindex\":$(dut cat /sys/class/net/$DEV_DUT/ifindex),\"family\":\"icmpv6\",\"type\":128,\"code\":0,\"name\":\"echo-request\",\"error\":false,\"src\":\"$CLI6\",\"dst\":\"$DUT6\",\"flags\":[],\"len\":118}"
is "... every event sent, written" "$(($(sent) - S0))" 9

# Rotation at 16 KB: 600 events, about 200 KB. With 100 backups nothing is
# lost; with 2, the newest 2 files and the current one stay.
for keep in 100 2; do
	rm -f "$TMP"/rot.json*
	S0=$(sent)
	bg EV "$XDPONG" events --output "$TMP/rot.json" --output-size 16k --output-backups $keep "$DEV_DUT"
	sleep 0.3
	cli ping -c 600 -i 0.002 -W 1 "$DUT4" >/dev/null
	sleep 0.3
	kill "$EV"; wait "$EV"
	S1=$(sent)
	files=$(cd "$TMP" && ls rot.json* | sort -t. -k3,3rn | xargs) # oldest first, rot.json last
	n=$(echo "$files" | wc -w)
	is "--output-size 16k --output-backups $keep: $n files, none over 16384 bytes, whole lines" \
		"$(cd "$TMP" && for f in $files; do [ "$(wc -c <"$f")" -le 16384 ] && [ -z "$(tail -c1 "$f")" ] && echo ok; done | wc -l)" "$n"
	cat $(for f in $files; do echo "$TMP/$f"; done) >"$TMP/rot.all"
	is "... every line an event, in order across the files (ts_ns rising)" \
		"$(jq -s '[.[] | .ts_ns] as $t | [range(1; $t | length) | select($t[.] <= $t[. - 1])] | length' "$TMP/rot.all") $(jq -c .name "$TMP/rot.all" | sort -u)" \
		'0 "echo-request"'
	if [ $keep = 100 ]; then
		is "... all $((S1 - S0)) events sent are there" "$(wc -l <"$TMP/rot.all")" "$((S1 - S0))"
		is "... in 8 files or more, each rotated one at least 15 KB" \
			"$([ "$n" -ge 8 ] && echo yes) $(cd "$TMP" && for f in $files; do [ $f = rot.json ] || [ "$(wc -c <"$f")" -ge 15360 ] || echo "$f short"; done)" "yes "
	else
		is "... rot.json, rot.json.1 and rot.json.2 only" "$files" "rot.json.2 rot.json.1 rot.json"
		is "... the newest events: the last one sent ends rot.json" \
			"$(tail -1 "$TMP/rot.json" | jq -r .name) $(($(wc -l <"$TMP/rot.all") < S1 - S0))" "echo-request 1"
	fi
done

# A disk that takes nothing: a FIFO no one reads. The ring buffer is read on
# (ring_full stays 0, 6000 events at 5000/s: 2730 fill the ring), the lines
# wait in the 1 MB queue (and the pipe), the rest are dropped and counted in
# the file.
mkfifo "$TMP/fifo"
sleep 60 <"$TMP/fifo" & HOLD=$!  # opens it for reading, reads nothing
S0=$(sent)
R0=$(stat .events.ring_full)
bg EV "$XDPONG" events --output "$TMP/fifo" "$DEV_DUT"
sleep 0.3
cli ping -c 6000 -i 0.0002 -W 1 "$DUT4" >/dev/null
sleep 0.3
is "a stuck file: every event taken from the ring (none ring_full), 6000 sent" \
	"$(($(stat .events.ring_full) - R0)) $(($(sent) - S0))" "0 6000"
cat "$TMP/fifo" >"$TMP/fifo.out" & CAT=$!
# A reader at all times: with none, the writer would get EPIPE.
for _ in $(seq 50); do [ "$(readlink "/proc/$CAT/fd/3")" = "$TMP/fifo" ] && break; sleep 0.05; done
kill "$HOLD"; wait "$HOLD" 2>/dev/null
sleep 0.3
kill "$EV"; wait "$EV"
wait "$CAT"
lost=$(jq -r 'select(.lost_events) | .lost_events' "$TMP/fifo.out")
is "... then, read: the events queued, and one line for those dropped" \
	"$(($(grep -vc lost_events "$TMP/fifo.out") + lost)) $(grep -c lost_events "$TMP/fifo.out")" "6000 1"
is "... which were some ($lost): what waited is at most the 1 MB queue and the pipe's 64 KB" \
	"$([ "${lost:-0}" -gt 0 ] && [ "$(grep -v lost_events "$TMP/fifo.out" | wc -c)" -le $((1048576 + 65536)) ] && echo yes)" yes
is "... and said on exit" "$(cat "$TMP/EV.err")" \
	"xdpong: warning: $lost events were not written to '$TMP/fifo': the disk was behind (the file says where: \"lost_events\")"
# Stuck at exit: it waits 2 s for the queue, then goes.
sleep 60 <"$TMP/fifo" & HOLD=$!
bg EV "$XDPONG" events --output "$TMP/fifo" "$DEV_DUT"
sleep 0.3
cli ping -c 1000 -i 0.0002 -W 1 "$DUT4" >/dev/null
sleep 0.3
T0=$(now)
kill "$EV"
waited "$EV" 4
is "a file stuck at exit: events ends, exit 1, after 2 s" "$RC $(since "$T0" | awk '{print ($1 >= 2 && $1 < 3)}')" "1 1"
is "... saying so" "$(cat "$TMP/EV.err")" \
	"xdpong: '$TMP/fifo' took nothing for 2 s: the events still queued are lost"
kill "$HOLD"; wait "$HOLD" 2>/dev/null
# A full disk ends it, at the first event.
bg EV "$XDPONG" events --output /dev/full "$DEV_DUT"
sleep 0.3
cli ping -c 1 -W 1 "$DUT4" >/dev/null
waited "$EV" 2
is "--output /dev/full: exit 1" "$RC" 1
is "... saying why" "$(cat "$TMP/EV.err")" "xdpong: can't write '/dev/full': No space left on device"
check "detach" xdpong detach "$DEV_DUT"

# The interface deleted: at once, exit 3. (A second veth pair, skb mode.)
check "a second interface, attached" eval "dut ip link add xpe$ID type veth peer name xpg$ID &&
	dut ip link set xpe$ID up && dut ip link set xpg$ID up &&
	xdpong attach --mode skb xpe$ID"
bg EV "$XDPONG" events "xpe$ID"
bg W "$XDPONG" watch --interval 0.2 "xpe$ID"
sleep 0.3
T0=$(now)
dut ip link del "xpe$ID"
waited "$EV" 2; is "the interface deleted: events stops, exit 3" "$RC" 3
waited "$W" 2; is "... watch too" "$RC" 3
is "... within a second" "$(since "$T0" | awk '{print ($1 < 1)}')" 1
is "... saying why" "$(tail -1 "$TMP/EV.err")" "xdpong: the interface 'xpe$ID' is gone; stopping"

# ---- Ping telemetry's events, as text and JSON ----
# Rendered through the functions `events` and `run` use (evformat.c,
# pcapout.c), linked from the build with a small driver: until the BPF side
# sends them, the events are made here, field by field as include/xdpong.h
# lays them out.
cat >"$TMP/evrender.c" <<'C'
#include <arpa/inet.h>
#include <string.h>
#include "events.h"
#include "pcapout.h"
static void v4(__u8 *a, const char *s) { memset(a, 0, 10); a[10] = a[11] = 0xff; inet_pton(AF_INET, s, a + 12); }
int main(int argc, char **argv)
{
	struct xdpong_event rtt = { .ifindex = 7, .flags = XDPONG_EV_RTT, .family = 1, .type = 0,
				    .pkt_len = 98, .cap_len = 98, .rtt_ns = 10234567 };
	struct xdpong_event lost = { .ifindex = 7, .flags = XDPONG_EV_LOST, .family = 1, .type = 8,
				     .inner_sport = 77, .inner_dport = 9 };
	struct xdpong_event late = rtt;
	char err[256];
	struct pcap_out *p = pcap_out_open(argv[1], XDPONG_EVENT_SNAPLEN, err, sizeof(err));

	v4(rtt.src, "198.18.1.2"); v4(rtt.dst, "198.18.0.1");
	v4(lost.src, "198.18.0.1"); v4(lost.dst, "198.18.1.2");
	late = rtt;
	late.flags = XDPONG_EV_RTT_LATE;
	late.rtt_ns = 1500000000;
	for (int i = 0; i < 3; i++) {
		const struct xdpong_event *e = i == 0 ? &rtt : i == 1 ? &late : &lost;

		event_text(stdout, "eth9", e, 1700000000ULL * 1000000000ULL);
		puts(event_json("eth9", e, 1700000000ULL * 1000000000ULL));
		if (pcap_out_write(p, 1, e->data, event_caplen(e), e->pkt_len))
			return 1;
	}
	pcap_out_close(p);
	return argc < 2;
}
C
if cc -Iinclude -Iuser -I"$BUILD" $(pkg-config --cflags libbpf libxdp json-c libpcap) -o "$TMP/evrender" \
	"$TMP/evrender.c" $(ls "$BUILD"/user/*.o | grep -v '/main\.o$') \
	$(pkg-config --libs libbpf libxdp json-c libmnl libpcap libmicrohttpd libsystemd) -ldl 2>"$TMP/cc.err"; then
	"$TMP/evrender" "$TMP/ev.pcap" >"$TMP/ev.out"
	is "an echo reply with its round trip: rtt 10.23 ms" "$(sed -n 1p "$TMP/ev.out")" \
		"22:13:20.000000Z eth9 icmp echo-reply 198.18.1.2 > 198.18.0.1 rtt 10.23 ms"
	is "... in JSON: rtt_s" "$(sed -n 2p "$TMP/ev.out" | jq -c '[.name, .rtt_s, .flags]')" \
		'["echo-reply",0.010234567,[]]'
	is "a late reply: flagged, with its trip" "$(sed -n 3p "$TMP/ev.out")" \
		"22:13:20.000000Z eth9 icmp echo-reply 198.18.1.2 > 198.18.0.1 rtt 1500.00 ms [late-reply]"
	is "... in JSON" "$(sed -n 4p "$TMP/ev.out" | jq -c '[.rtt_s, .flags]')" '[1.5,["late-reply"]]'
	is "a lost request: addresses, id and sequence" "$(sed -n 5p "$TMP/ev.out")" \
		"22:13:20.000000Z eth9 icmp lost echo-request 198.18.0.1 > 198.18.1.2 id 77 seq 9"
	is "... in JSON" "$(sed -n 6p "$TMP/ev.out" | jq -c '[.name, .lost, .src, .dst, .id, .seq, .len]')" \
		'["echo-request",true,"198.18.0.1","198.18.1.2",77,9,0]'
	is "the pcap: the two frames, not the frameless lost request" \
		"$(tcpdump -r "$TMP/ev.pcap" 2>/dev/null | wc -l)" 2
else
	not_ok "building the event renderer" && diag <"$TMP/cc.err"
fi

done_testing
