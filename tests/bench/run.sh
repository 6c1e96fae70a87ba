#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh: `make bench`. Micro costs in BPF_PROG_TEST_RUN, what `xdpong stats`
# costs, what ping telemetry costs (the tc egress program, the reply matching),
# then end-to-end echo replies per second between two namespaces over
# veth, with four responders on the DUT and xdpong under two rate limits, one
# CPU and two; medians of RUNS
# runs of SECONDS each. Writes build/bench-e2e.dat and, with gnuplot, a plot.
. "$(dirname "$0")/../lib.sh"
: "${BENCH:?set BENCH to the bench binary (make bench does)}"
RUNS=${RUNS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}
OUT=${OUT:-$BUILD}

echo "# xdpong benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), Linux $(uname -r)"
echo
# E2E_ONLY=1: the end-to-end table alone (MODES= picks its responders;
# mode xdpong-b runs the xdpong binary XDPONG_B names: another build, to try
# a change end to end against this one; PLACES=one skips the split placement).
if [ -z "${E2E_ONLY:-}" ]; then
echo "## Per packet, BPF_PROG_TEST_RUN (median of 7 runs of 10^6; jumbo 2x10^5)"
echo
"$BENCH" micro || exit 1
echo
echo "## Where the nanoseconds of a reply go (benchmark builds that leave one stage out)"
echo
"$BENCH" stages "$BUILD" || exit 1
echo
echo "## Ping telemetry: the egress program per packet, echo replies matched in XDP"
echo
"$BENCH" rtt "$BUILD" || exit 1
echo
echo "## xdpong stats: reading and summing the counters"
echo
"$BENCH" stats || exit 1
fi

setup_net
# bench gen sends without ARP: one ping first, so that the DUT's kernel has
# the client's neighbour entry, which xdpong answers at (and reads on attach)
cli ping -c 1 -W 1 "$DUT4" >/dev/null || bail "the client can't ping the DUT"
cli ip link set dev "$DEV_CLI" xdp off # bench gen attaches its own sink
dut_mac=$(dut cat /sys/class/net/"$DEV_DUT"/address)

# mode NAME: put responder NAME on the DUT's veth.
mode() {
	dut ip link set dev "$DEV_DUT" xdp off 2>/dev/null
	xdpong detach "$DEV_DUT" >/dev/null 2>&1
	dut "$BENCH" tcx-off "$DEV_DUT" 2>/dev/null
	case $1 in
	kernel)  # XDP_PASS: veth takes XDP_TX frames only with a program there
		dut ip link set dev "$DEV_DUT" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags ;;
	# (bench gen brings the client's XDP sink itself: attach's warning that
	# the veth peer has none yet is expected here, and kept out of the tables)
	xdpong)  xdpong attach "$DEV_DUT" >/dev/null 2>"$TMP/attach.err" ;;
	# another build of xdpong (XDPONG_B=path), for trying a change end to end
	xdpong-b) dut "${XDPONG_B:?xdpong-b needs XDPONG_B, another build of xdpong}" attach "$DEV_DUT" \
			>/dev/null 2>"$TMP/attach.err" ;;
	reflector) dut "$BENCH" reflect "$DEV_DUT" ;;
	# the reflector that verifies both checksums and counts: the least a
	# correct responder does, in a few hundred bytes of code
	verified) dut "$BENCH" reflect-verified "$DEV_DUT" ;;
	monitor-only) xdpong attach --monitor-only "$DEV_DUT" >/dev/null 2>"$TMP/attach.err" ;;
	# the same without ping telemetry's egress program, which the kernel's
	# replies pass through
	monitor-no-rtt) xdpong attach --monitor-only --no-rtt "$DEV_DUT" >/dev/null 2>"$TMP/attach.err" ;;
	# the kernel behind XDP_PASS, with a trivial program on tcx egress: what
	# any egress hook costs the kernel's replies
	kernel-tcx)
		dut ip link set dev "$DEV_DUT" xdpdrv obj "$BUILD/xdp_pass.bpf.o" sec xdp.frags
		dut "$BENCH" tcx-on "$DEV_DUT" ;;
	# the rate limits, against what they are set to
	rate-1M) xdpong attach --rate 1000000 --over-limit drop "$DEV_DUT" >/dev/null 2>"$TMP/attach.err" ;;
	src-rate-500k) xdpong attach --src-rate 500000 --over-limit drop "$DEV_DUT" >/dev/null 2>"$TMP/attach.err" ;;
	esac
}

# placement NAME: one CPU (the DUT's NAPI runs where the generator does), or
# split (the DUT's NAPI in its own thread, on CPU 1).
placement() {
	if [ "$1" = split ]; then
		echo 1 | dut tee /sys/class/net/"$DEV_DUT"/threaded >/dev/null
		for pid in $(pgrep "napi/$DEV_DUT"); do taskset -pc 1 "$pid" >/dev/null; done
	else
		echo 0 | dut tee /sys/class/net/"$DEV_DUT"/threaded >/dev/null
	fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo
echo "## End to end: echo replies per second, two namespaces over veth"
echo
echo "Generator: BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES on the client's veth,"
echo "98-byte IPv4 echo requests, pinned to CPU 0; replies counted and dropped by an"
echo "XDP program on the client's veth. Median of $RUNS runs of $SECONDS_PER_RUN s, taken round robin"
echo "(run 1 of every responder, then run 2, ...), each after a 0.5 s run not counted."
echo
printf '| %-12s | %-7s | %12s | %-23s | %9s | %12s | %16s |\n' responder CPUs "replies/s" "min-max" \
	"x kernel" "x reflector" "DUT IcmpInEchos/s"
echo "|--------------|---------|--------------|-------------------------|-----------|--------------|------------------|"
: >"$OUT/bench-e2e.dat"
MODES=${MODES:-kernel reflector verified xdpong monitor-only monitor-no-rtt rate-1M src-rate-500k}
for place in ${PLACES:-one split}; do
	declare -A med echos
	# Round robin: run i of every responder, then run i+1, so that the
	# machine's drift (this VM's neighbours) falls on all of them alike,
	# not on whichever responder's runs happened to come last.
	for m in $MODES; do : >"$TMP/runs.$m"; echos[$m]=0; done
	for _ in $(seq "$RUNS"); do
		for m in $MODES; do
			mode $m
			placement $place
			# a short run first, not counted: the path settles after a switch
			cli taskset -c 0 "$BENCH" gen "$DEV_CLI" "$dut_mac" "$CLI4" "$DUT4" 0.5 >/dev/null || exit 1
			before=$(counter "$DUT" IcmpInEchos)
			cli taskset -c 0 "$BENCH" gen "$DEV_CLI" "$dut_mac" "$CLI4" "$DUT4" "$SECONDS_PER_RUN" \
				| awk '{print $1}' >>"$TMP/runs.$m" || exit 1
			echos[$m]=$(( ${echos[$m]} + $(counter "$DUT" IcmpInEchos) - before ))
		done
	done
	for m in $MODES; do
		med[$m]=$(median <"$TMP/runs.$m")
		min=$(sort -n "$TMP/runs.$m" | head -1)
		max=$(sort -n "$TMP/runs.$m" | tail -1)
		kx=$(awk -v a="${med[$m]}" -v b="${med[kernel]:-0}" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
		rx=$( [ -n "${med[reflector]:-}" ] && awk -v a="${med[$m]}" -v b="${med[reflector]}" \
			'BEGIN { printf "%.2f", b ? a / b : 0 }' || echo "")
		printf '| %-12s | %-7s | %12s | %-23s | %9s | %12s | %16s |\n' "$m" "$place" "${med[$m]}" \
			"$min-$max" "$kx" "$rx" "$(( ${echos[$m]} / (RUNS * SECONDS_PER_RUN) ))"
		echo "$m $place ${med[$m]} $min $max" >>"$OUT/bench-e2e.dat"
	done
	unset med echos
done
mode none

if command -v gnuplot >/dev/null; then
	gnuplot <<GP
set terminal pngcairo size 800,420 font ",10"
set output "$OUT/bench-e2e.png"
set title "Echo replies per second, veth, $(nproc) CPUs (median, min-max)"
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set ylabel "replies/s"
set format y "%.1s%c"
set grid ytics
set key top right
set xtics rotate by -25
plot "< awk '\$2 == \"one\"' $OUT/bench-e2e.dat" using 3:4:5:xtic(1) title "one CPU", \
     "< awk '\$2 == \"split\"' $OUT/bench-e2e.dat" using 3:4:5 title "split: DUT NAPI on CPU 1"
GP
	echo "Plot: $OUT/bench-e2e.png"
fi
