#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_build.sh: the README's commands on their first run, what each make
# target does about missing packages, and make install / uninstall.
#
# Each case runs in its own copy of the source tree without build/ (what a
# fresh clone has), with fakes first on PATH: apt-get, dpkg-query and
# pkg-config report every package of the Makefile's lists missing until
# apt-get "installs" it (only a note in a state folder: nothing on this
# machine changes). Only then does pkg-config answer, with the real flags
# plus a marker in --cflags. So a build that read pkg-config's flags before
# its install step links without its libraries (undefined references) and
# compiles without the marker: the first-run bug of issue #9. prove and the
# demo script are stand-ins that record their call; the real ones are the
# other suites. .ci/run does the same for real: it removes the packages in a
# throwaway overlay of the machine and runs the README's two commands.
. "$(dirname "$0")/lib.sh"

SRC=$(cd "$(dirname "$0")/.." && pwd)
# The outer `make test` must not leak into the makes run here.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES XDPONG BUILD
MARK=-DXDPONG_FIRST_RUN_MARK

# ---- The fakes ----
FAKE=$TMP/fake
mkdir -p "$FAKE"
REAL_PKG_CONFIG=$(command -v pkg-config) || bail "pkg-config not installed"

# The Debian packages whose libraries pkg-config describes: the -dev ones
# of the Makefile's build list, but libc's.
BUILD_DEBS=$(make -s -C "$SRC" print-build-debs) || bail "make print-build-debs failed"
TEST_DEBS=$(make -s -C "$SRC" print-test-debs) || bail "make print-test-debs failed"
LIB_DEBS=$(printf '%s\n' $BUILD_DEBS | grep -E '^lib.*-dev$' | grep -vx 'libc6-dev' | tr '\n' ' ')

# FAKE_STATE (set per case) holds installed (one package a line) and logs.
cat >"$FAKE/apt-get" <<'EOF'
#!/bin/bash
echo "apt-get $*" >>"$FAKE_STATE/apt.log"
args=()
for a in "$@"; do case $a in -*) ;; *) args+=("$a") ;; esac; done
[ "${args[0]:-}" = install ] && printf '%s\n' "${args[@]:1}" >>"$FAKE_STATE/installed"
exit 0
EOF
cat >"$FAKE/dpkg-query" <<'EOF'
#!/bin/bash
# Only -W with a format: "installed NAME" for each installed package.
rc=0 skip=0
for a in "$@"; do
	if [ $skip = 1 ]; then skip=0; continue; fi
	case $a in
	-f|--showformat) skip=1 ;;
	-*) ;;
	*) if grep -qx -- "$a" "$FAKE_STATE/installed" 2>/dev/null; then
		printf 'installed %s\n' "$a"
	   else
		echo "dpkg-query: no packages found matching $a" >&2; rc=1
	   fi ;;
	esac
done
exit $rc
EOF
cat >"$FAKE/pkg-config" <<EOF
#!/bin/bash
installed() { grep -qx -- "\$1" "\$FAKE_STATE/installed" 2>/dev/null; }
installed pkg-config || { echo "pkg-config: command not found" >&2; exit 127; }
for p in $LIB_DEBS; do
	installed "\$p" || { echo "Package \$p was not found in the pkg-config search path." >&2; exit 1; }
done
out=\$("$REAL_PKG_CONFIG" "\$@") || exit
case " \$* " in *" --cflags "*) out="\$out $MARK" ;; esac
[ -n "\$out" ] && echo \$out
exit 0
EOF
cat >"$FAKE/prove" <<'EOF'
#!/bin/bash
echo "prove $*" >>"$FAKE_STATE/prove.log"
for a in "$@"; do case $a in build/*|*/build/*) [ -x "$a" ] || { echo "missing $a" >&2; exit 1; } ;; esac; done
EOF
chmod 755 "$FAKE"/*

# copy NAME: a fresh copy of the source tree and an empty state.
copy() {
	mkdir -p "$TMP/$1/state"
	tar -C "$SRC" --exclude=./build --exclude=./.git -cf - . | tar -C "$TMP/$1" -xf - &&
	rm -rf "$TMP/$1/build" &&
	printf '#!/bin/bash\necho "demo XDPONG=$XDPONG" >>"$FAKE_STATE/demo.log"\n' >"$TMP/$1/tests/demo.sh"
}
# run_in NAME CMD...: run CMD in copy NAME with the fakes; output in $TMP/NAME.out.
run_in() {
	local d=$TMP/$1; shift
	(cd "$d" && FAKE_STATE=$d/state PATH=$FAKE:$PATH "$@") >"$d.out" 2>&1
}
# marked NAME: every compile and link with CFLAGS had pkg-config's flags
# read after the install (and there was at least one).
marked() {
	local n bad
	n=$(grep -c -- '-std=gnu11' "$TMP/$1.out")
	bad=$(grep -- '-std=gnu11' "$TMP/$1.out" | grep -vc -- "$MARK")
	[ "$n" -gt 0 ] && [ "$bad" = 0 ] ||
		{ echo "$n compiles, $bad without $MARK"; grep -E 'undefined reference|error' "$TMP/$1.out" | head -5; }
}
installed_all() { # NAME PKG...: the fake apt-get installed each PKG
	local d=$TMP/$1 p; shift
	for p in "$@"; do grep -qx -- "$p" "$d/state/installed" 2>/dev/null || { echo "$p not installed"; return 1; }; done
}
show() { diag <"$TMP/$1.out"; }
# check_in DESC NAME CMD...: CMD must succeed in copy NAME.
check_in() {
	local desc=$1; shift
	if run_in "$@"; then ok "$desc"; else not_ok "$desc"; show "$1"; fi
}

copy first-test && copy first-demo && copy plain || bail "can't copy the source tree"

# The README's two commands, each the first command on a fresh machine, in
# the background while the cases below run.
run_in first-demo make V=1 demo & DEMO_PID=$!
run_in first-test make V=1 test & TEST_PID=$!

# ---- make: builds, or names what's missing; never runs apt-get ----
if run_in plain make; then rc=0; else rc=$?; fi
if [ $rc != 0 ] && [ ! -e "$TMP/plain/state/apt.log" ] && [ ! -e "$TMP/plain/build/xdpong" ]; then
	ok "make with packages missing: fails, runs no apt-get, builds nothing"
else
	not_ok "make with packages missing: fails, runs no apt-get, builds nothing"; show plain
	cat "$TMP/plain/state/apt.log" 2>/dev/null | diag
fi
line=$(grep '^error: ' "$TMP/plain.out")
if [ "$(grep -c '^error: ' "$TMP/plain.out")" = 1 ] && grep -q 'make deps' <<<"$line" &&
	grep -q 'apt-get install' <<<"$line" && grep -q 'libpcap-dev' <<<"$line" &&
	! grep -q 'libcmocka-dev' <<<"$line"; then
	ok "make says so in one line: the build packages missing, make deps, apt-get install"
else
	not_ok "make says so in one line: the build packages missing, make deps, apt-get install"; show plain
fi

# Not root: make test names the packages and stops.
chmod 755 "$TMP"
if run_in plain setpriv --reuid=nobody --regid=nogroup --clear-groups make test; then rc=0; else rc=$?; fi
if [ $rc != 0 ] && grep -q 'apt-get install.*libcmocka-dev' "$TMP/plain.out" &&
	[ ! -e "$TMP/plain/state/apt.log" ]; then
	ok "make test, not root: names the missing packages and stops"
else
	not_ok "make test, not root: names the missing packages and stops"; show plain
fi

# ---- make deps installs the build packages; make then builds ----
check_in "make deps" plain make deps
APT_LINES=$(grep -c . "$TMP/plain/state/apt.log" 2>/dev/null)
is "make deps installed the build packages only" \
	"$(grep -c . "$TMP/plain/state/installed" 2>/dev/null)/$(installed_all plain libbpf-dev libpcap-dev clang bpftool && echo build)/$(grep -cx libcmocka-dev "$TMP/plain/state/installed")" \
	"$(echo $BUILD_DEBS | wc -w)/build/0"
check_in "make after make deps builds build/xdpong" plain make V=1
is "make: every compile had the flags read after the install" "$(marked plain)" ""
check_in "make again: nothing to do" plain make
is "make again runs nothing" "$(grep -cv "Nothing to be done\|is up to date" "$TMP/plain.out")" 0
is "make ran no apt-get after make deps" "$(grep -c . "$TMP/plain/state/apt.log")" "$APT_LINES"

# ---- make install / uninstall ----
D=$TMP/dest
check_in "make install DESTDIR=..." plain make install DESTDIR="$D"
is "binary in \$(PREFIX)/sbin, 0755" "$(command stat -c %a "$D/usr/local/sbin/xdpong" 2>&1)" 755
is "man page in \$(PREFIX)/share/man/man8, 0644" "$(command stat -c %a "$D/usr/local/share/man/man8/xdpong.8" 2>&1)" 644
check "the installed binary runs" "$D/usr/local/sbin/xdpong" --help
check_in "make install PREFIX=/usr DESTDIR=..." plain make install PREFIX=/usr DESTDIR="$D"
is "PREFIX=/usr: /usr/sbin/xdpong" "$(command stat -c %a "$D/usr/sbin/xdpong" 2>&1)" 755
check_in "make uninstall DESTDIR=..." plain make uninstall DESTDIR="$D"
check_in "make uninstall PREFIX=/usr DESTDIR=..." plain make uninstall PREFIX=/usr DESTDIR="$D"
is "uninstall leaves no file behind" "$(find "$D" -type f)" ""
is "install and uninstall ran no apt-get" \
	"$(grep -c . "$TMP/plain/state/apt.log")" "$APT_LINES"

# ---- make demo, make test: their first run ----
if wait $DEMO_PID; then ok "make demo, first run: installs, builds, runs the demo"
else not_ok "make demo, first run: installs, builds, runs the demo"; show first-demo; fi
is "make demo installed what it needs" "$(installed_all first-demo libbpf-dev libpcap-dev jq iproute2 && echo yes)" yes
is "make demo ran the demo with the binary" "$(cat "$TMP/first-demo/state/demo.log" 2>&1)" \
	"demo XDPONG=$TMP/first-demo/build/xdpong"
is "make demo: every compile had the flags read after the install" "$(marked first-demo)" ""

if wait $TEST_PID; then ok "make test, first run: installs, builds, runs prove"
else not_ok "make test, first run: installs, builds, runs prove"; show first-test; fi
is "make test installed the build and test packages" \
	"$(installed_all first-test $TEST_DEBS && echo yes)" yes
is "make test ran prove on the test programs and suites" \
	"$(grep -o 'build/test_packets .*tests/test_build.sh' "$TMP/first-test/state/prove.log" 2>/dev/null | wc -l)" 1
is "make test: every compile had the flags read after the install" "$(marked first-test)" ""

done_testing
