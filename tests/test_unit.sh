#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_unit.sh: contrib/systemd/xdpong.service as `make install` installs it.
# This machine runs no systemd as PID 1, so systemd's own tools judge the
# unit file (systemd-analyze verify and security), and the service itself is
# run as the unit would run it: its ExecStart with the installed environment
# file, confined as the unit says (tests/sandbox.py: the capability bounding
# set, NoNewPrivileges, the system call filter, the address families,
# MemoryDenyWriteExecute; mounts here: a read-only file system but for the
# bpffs and the run directory, read-only /proc/sys and /sys). There it must
# start, answer real pings in XDP, serve /metrics, reload and stop cleanly;
# with one of its capabilities fewer it must refuse clearly.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$(dirname "$0")/.." && pwd)
# systemd's tools come with Debian's systemd package, on every Debian 12 but
# the smallest containers; the Makefile doesn't install it (nor remove it).
if ! command -v systemd-analyze >/dev/null; then
	echo "1..0 # SKIP no systemd-analyze here (Debian package systemd)"
	exit 0
fi
PY=${PYTHON:-/usr/bin/python3}   # Debian's, where python3-seccomp is
"$PY" -c 'import seccomp' 2>/dev/null ||
	bail "python3-seccomp is missing ($PY can't import seccomp): apt-get install python3-seccomp"
setup_net

# ---- make install into a prefix of the test's ----
PFX=$TMP/prefix
ENVFILE=$PFX/etc/default/xdpong
UNIT=$PFX/lib/systemd/system/xdpong.service
check "make install PREFIX=... ENVFILE=..." make -s -C "$SRC" install PREFIX="$PFX" ENVFILE="$ENVFILE"
is "the binary, the man page, the unit and the environment file" \
	"$(cd "$PFX" && find . -type f | sort | tr '\n' ' ')" \
	"./etc/default/xdpong ./lib/systemd/system/xdpong.service ./sbin/xdpong ./share/man/man8/xdpong.8 "
is "the unit runs the installed binary" "$(grep '^ExecStart=' "$UNIT")" \
	"ExecStart=$PFX/sbin/xdpong run \$XDPONG_OPTIONS \$XDPONG_INTERFACES"
is "... with the installed environment file" "$(grep '^EnvironmentFile=' "$UNIT")" "EnvironmentFile=$ENVFILE"

# ---- systemd's judgement of the unit file ----
is "systemd-analyze verify: no complaint" "$(systemd-analyze verify --man=no "$UNIT" 2>&1; echo "exit $?")" "exit 0"
systemd-analyze security --offline=yes --json=short "$UNIT" >"$TMP/security.json" 2>"$TMP/security.err"
systemd-analyze security --offline=yes "$UNIT" >"$TMP/security.txt" 2>&1
check_exit "systemd-analyze security: exposure at most 2.5 (OK)" 0 "Overall exposure level for xdpong.service: (1\\.[0-9]|2\\.[0-5]) OK" \
	cat "$TMP/security.txt"
for d in NoNewPrivileges= 'ProtectSystem=' 'ProtectHome=' 'PrivateTmp=' 'RestrictAddressFamilies=~AF_PACKET' \
	 'RestrictAddressFamilies=~…' 'SystemCallArchitectures=' 'MemoryDenyWriteExecute=' \
	 'SystemCallFilter=~@mount' 'CapabilityBoundingSet=~CAP_SYS_MODULE' 'RestrictNamespaces=~net'; do
	is "systemd-analyze security: $d holds" \
		"$(jq -r --arg n "$d" '.[] | select(.name == $n) | .set' "$TMP/security.json")" true
done
check_exit "ProtectSystem is strict, with the bpffs writable" 0 "ReadWritePaths=/sys/fs/bpf" \
	grep -x -e 'ProtectSystem=strict' -e 'ReadWritePaths=/sys/fs/bpf' "$UNIT"

# ---- The service, run as the unit runs it ----
# The unit's command line, with the installed environment file set for the
# DUT: systemd splits an unbraced $VAR into words, as the shell does here.
sed -i -e "s|^XDPONG_INTERFACES=.*|XDPONG_INTERFACES=\"$DEV_DUT\"|" \
	-e "s|^XDPONG_OPTIONS=.*|XDPONG_OPTIONS=\"--rate 100000 --listen 127.0.0.1:17798\"|" "$ENVFILE"
# shellcheck disable=SC1090
. "$ENVFILE"
read -r -a EXEC <<<"$(sed -n 's/^ExecStart=//p' "$UNIT" |
	sed -e "s|\$XDPONG_OPTIONS|$XDPONG_OPTIONS|" -e "s|\$XDPONG_INTERFACES|$XDPONG_INTERFACES|")"
CAPS=$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT" | tr ' ' ',')
mkdir -p "$TMP/run" && export RUNTIME_DIRECTORY=$TMP/run  # RuntimeDirectory=xdpong

# sandboxed CAPS CMD...: CMD in the DUT's namespace, confined as the unit
# says (CAPS: '-' for the unit's capabilities, or a list). The file system:
# every mount read-only (ProtectSystem=strict) but /dev, /proc, the bpffs
# (ReadWritePaths=/sys/fs/bpf: here the test's) and the run directory;
# /proc/sys and /sys read-only too (ProtectKernelTunables=).
sandboxed() {
	local caps=$1; shift
	ip netns exec "$DUT" unshare -m --propagation private sh -ec '
		rw=$1 bpffs=$2; shift 2
		mount --bind "$rw" "$rw"
		for m in $(findmnt -rno TARGET | sort -r); do
			case $m in /proc|/proc/*|/dev|/dev/*|"$rw"|"$bpffs") continue ;; esac
			mount -o remount,bind,ro "$m" 2>/dev/null || true
		done
		mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys
		exec "$@"' sh "$TMP/run" "$TMP/bpffs" "$PY" "$SRC/tests/sandbox.py" "$UNIT" "$caps" -- "$@"
}

# The notify socket, as the service manager's.
"$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
with open(sys.argv[2], "w", buffering=1) as f:
    while True: f.write(s.recv(4096).decode() + "\n")' "$TMP/notify.sock" "$TMP/notify" &
NOTIFIER=$!
for _ in $(seq 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.1; done
wait_for() {
	local _
	for _ in $(seq 100); do grep -Eq -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# svc_pid LOG: the service's pid, as it logs it (sandboxed runs in a subshell).
svc_pid() { wait_for "$1" 'running, pid' && sed -n 's/.*running, pid \([0-9]*\).*/\1/p' "$1"; }
NOTIFY_SOCKET=$TMP/notify.sock WATCHDOG_USEC=30000000 sandboxed - "${EXEC[@]}" </dev/null >"$TMP/svc.log" 2>&1 &
JOB=$!
if wait_for "$TMP/notify" '^READY=1$'; then ok "confined as the unit says: READY=1"; else not_ok "confined as the unit says: READY=1"; diag <"$TMP/svc.log"; fi
SVC=$(svc_pid "$TMP/svc.log")
got=$(capsh --decode="$(awk '/^CapBnd/ { print $2 }' "/proc/$SVC/status")" | sed 's/.*=//' | tr ',' '\n' | sort | paste -sd,)
is "... with the unit's capabilities only ($CAPS)" "$got" "$(echo "$CAPS" | tr 'A-Z,' 'a-z\n' | sort | paste -sd,)"
is "... NoNewPrivileges, and a seccomp filter" \
	"$(awk '/^NoNewPrivs|^Seccomp:/ { printf "%s ", $2 }' "/proc/$SVC/status")" "1 2 "
in4=$(counter "$DUT" IcmpInEchos)
check_exit "... pings answered" 0 " 20 received" cli ping -c 20 -i 0.01 -W 2 "$DUT4"
is "... by XDP (IcmpInEchos unchanged)" "$(counter "$DUT" IcmpInEchos)" "$in4"
dut "$PY" -c 'import urllib.request, sys; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
	http://127.0.0.1:17798/metrics >"$TMP/metrics" 2>&1
check_exit "... /metrics served" 0 "^xdpong_up\\{ifname=\"$DEV_DUT\"\\} 1" cat "$TMP/metrics"
check_exit "... the options from the environment file applied" 0 "at most 100000 replies/s" xdpong status "$DEV_DUT"
kill -HUP "$SVC"
wait_for "$TMP/svc.log" 'SIGHUP: every interface resynced'
check_exit "... SIGHUP (ExecReload)" 0 'SIGHUP: every interface resynced' cat "$TMP/svc.log"
kill -TERM "$SVC"; wait "$JOB"
is "... SIGTERM: exit 0" "$?" 0
is "... detached" "$(dut ip -o link show "$DEV_DUT" | grep -c ' xdp')" 0
is "... nothing left in bpffs" "$(find "$TMP/bpffs" -mindepth 2 ! -name globals | wc -l)" 0
is "... and no system call was refused on the way (no EPERM, no EAFNOSUPPORT in its log)" \
	"$(grep -Eci 'Operation not permitted|Address family not supported|couldn.t|can.t' "$TMP/svc.log")" 0

# ---- The capabilities: each one needed, the two redundant ones not ----
without() { echo "$CAPS" | tr ',' '\n' | grep -vx "$1" | paste -sd,; }
check_exit "without CAP_SYS_ADMIN: refused, exit 4" 4 "missing capabilities: CAP_SYS_ADMIN" \
	sandboxed "$(without CAP_SYS_ADMIN)" "${EXEC[@]}"
check_exit "without CAP_NET_ADMIN: refused, exit 4" 4 "missing capabilities: CAP_NET_ADMIN" \
	sandboxed "$(without CAP_NET_ADMIN)" "${EXEC[@]}"
is "... nothing attached meanwhile" "$(dut ip -o link show "$DEV_DUT" | grep -c ' xdp')" 0
# CAP_BPF and CAP_PERFMON: granted by CAP_SYS_ADMIN anyway (bpf_capable(),
# perfmon_capable()); the unit lists them for the day libxdp no longer needs
# CAP_SYS_ADMIN. With CAP_NET_ADMIN and CAP_SYS_ADMIN alone, all works:
NOTIFY_SOCKET=$TMP/notify.sock sandboxed CAP_NET_ADMIN,CAP_SYS_ADMIN "${EXEC[@]}" </dev/null >"$TMP/svc2.log" 2>&1 &
JOB=$!
SVC=$(svc_pid "$TMP/svc2.log")
check_exit "CAP_NET_ADMIN and CAP_SYS_ADMIN alone: pings answered" 0 " 3 received" \
	cli ping -c 3 -i 0.05 -W 2 "$DUT4"
kill -TERM "$SVC"; wait "$JOB"
is "... and stopped cleanly" "$?/$(dut ip -o link show "$DEV_DUT" | grep -c ' xdp')" 0/0

# ---- make uninstall: nothing left (the environment file is the operator's once changed) ----
check "make uninstall, the environment file changed" make -s -C "$SRC" uninstall PREFIX="$PFX" ENVFILE="$ENVFILE"
is "... leaves only the environment file" "$(cd "$PFX" && find . -type f)" "./etc/default/xdpong"
cp "$SRC/contrib/systemd/xdpong.default" "$ENVFILE"
check "make uninstall, the environment file as installed" make -s -C "$SRC" uninstall PREFIX="$PFX" ENVFILE="$ENVFILE"
is "... leaves nothing" "$(cd "$PFX" && find . -type f)" ""

kill "$NOTIFIER" 2>/dev/null; wait "$NOTIFIER" 2>/dev/null
done_testing
