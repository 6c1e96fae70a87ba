# SPDX-License-Identifier: GPL-2.0
#
# xdpong: `make` builds everything into build/, `make test` runs the tests,
# `make demo` runs the demo, `make install` installs. V=1 shows full commands.
#
# Packages. `make` and `make install` never install anything: when a build
# package is missing they stop with one line naming it. `make deps` installs
# the build packages. `make test`, `demo`, `bench`, `fuzz` and
# `fuzz-libfuzzer`, the entry points for a fresh Debian machine, install what
# they need first (as root; otherwise they name it and stop), then build and
# run in a sub-make (run-test, run-demo, ...).
#
# Why a sub-make: make reads the whole Makefile, pkg-config's flags included,
# before any recipe runs, so the make that installs the libraries has already
# read their flags as empty and can't link (issue #9). The sub-make is a new
# make that reads the Makefile after the install. Making just the flags lazy
# would fix today's two variables, not the next `:=`, `$(wildcard ...)` or
# `ifeq` that looks at the system; no make here both installs and builds.
# tests/test_build.sh checks it with fake tools, .ci/run for real.

.DELETE_ON_ERROR:
.SECONDARY:
.DEFAULT_GOAL := all

ARCH      := $(shell uname -m)
BUILD     := build
CLANG     ?= clang
CC        ?= gcc
BPFTOOL   ?= bpftool
PKGS      := libbpf libxdp json-c libmnl libpcap libmicrohttpd libsystemd
# Opened with dlopen() when attach reads the firewall (user/firewall.c), so that
# xdpong runs without nftables installed: built against, never linked.
DLOPEN_PKGS := libnftables
PREFIX    ?= /usr/local
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
# systemd reads units in /usr/local/lib/systemd/system too (systemd.unit(5)).
UNITDIR   ?= $(PREFIX)/lib/systemd/system
# The unit's EnvironmentFile: the Debian place, whatever the PREFIX.
ENVFILE   ?= /etc/default/xdpong

# Debian packages: to build, and what the tests and the demo run.
BUILD_DEBS := make gcc libc6-dev pkg-config clang llvm bpftool linux-libc-dev \
              libbpf-dev libxdp-dev libjson-c-dev libmnl-dev libpcap-dev libmicrohttpd-dev \
              libnftables-dev libsystemd-dev
RUN_DEBS   := iproute2 iputils-ping jq procps
TEST_DEBS  := $(RUN_DEBS) libcmocka-dev perl libcap2-bin xdp-tools tcpdump python3 \
              python3-prometheus-client python3-scapy python3-seccomp nftables iptables \
              prometheus prometheus-node-exporter fping
BENCH_DEBS := $(TEST_DEBS) gnuplot-nox

# What each entry point installs before its sub-make.
test_DEBS           := $(BUILD_DEBS) $(TEST_DEBS)
demo_DEBS           := $(BUILD_DEBS) $(RUN_DEBS)
bench_DEBS          := $(BUILD_DEBS) $(BENCH_DEBS)
fuzz_DEBS           := $(BUILD_DEBS) $(TEST_DEBS)
fuzz-libfuzzer_DEBS := $(BUILD_DEBS) libclang-rt-14-dev
ENTRY_POINTS        := test demo bench fuzz fuzz-libfuzzer

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# Read once, when make starts: so only ever in a make that installs nothing.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(DLOPEN_PKGS) 2>/dev/null)
LDLIBS     := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Werror -Iinclude -Ibpf -I$(BUILD) \
              -I/usr/include/$(ARCH)-linux-gnu
CFLAGS     ?= -O2 -g
CFLAGS     += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror -std=gnu11 -Iinclude -Iuser -I$(BUILD) \
              $(PKG_CFLAGS)

BPF_HDRS   := $(wildcard bpf/*.h include/*.h)
USER_SRCS  := $(wildcard user/*.c)
USER_OBJS  := $(patsubst user/%.c,$(BUILD)/user/%.o,$(USER_SRCS))
TEST_PROGS := $(BUILD)/xdp_pass.bpf.o

# Shell: set $missing to those of the Debian packages $(1) that aren't
# installed; none where there is no dpkg (the checks below name what's missing).
missing_debs = missing=""; \
	if command -v dpkg-query >/dev/null; then \
	  have=" $$(dpkg-query -W -f='$${db:Status-Status} $${Package}\n' $(1) 2>/dev/null | \
	           awk '$$1 == "installed" { printf "%s ", $$2 }')"; \
	  for p in $(1); do case "$$have" in *" $$p "*) ;; *) missing="$$missing $$p" ;; esac; done; \
	fi

# Install the missing Debian packages $(1), saying so; not root: name them and stop.
define ensure_debs
	@$(call missing_debs,$(1)); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	    echo "error: missing Debian packages:$$missing; as root, run: apt-get install$$missing" >&2; exit 1; \
	  fi; \
	  echo "  DEPS     apt-get install$$missing"; \
	  log=$$(mktemp); \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	      $$missing; } >$$log 2>&1 || { cat $$log >&2; rm -f $$log; \
	    echo "error: apt-get install$$missing failed" >&2; exit 1; }; \
	  rm -f $$log; \
	fi
endef

.PHONY: all deps print-build-debs print-test-debs check-toolchain clean install uninstall \
        $(ENTRY_POINTS) $(addprefix run-,$(ENTRY_POINTS))

all: $(BUILD)/xdpong

deps:
	$(call ensure_debs,$(BUILD_DEBS))

# The entry points: install, then everything else in a make that starts after.
$(ENTRY_POINTS):
	$(call ensure_debs,$($@_DEBS))
	$(Q)$(MAKE) --no-print-directory run-$@

print-build-debs:
	@echo $(BUILD_DEBS)

print-test-debs:
	@echo $(BUILD_DEBS) $(TEST_DEBS)

# Fail early and clearly rather than with a compiler error. Runs at every
# make that builds something (0.2 s, most of it clang -print-targets), so
# a package removed since the last build is named too.
check-toolchain:
	@$(call missing_debs,$(BUILD_DEBS)); [ -z "$$missing" ] || { \
	  echo "error: missing Debian packages to build:$$missing; run 'make deps' as root (apt-get install$$missing)" >&2; exit 1; }
	@command -v $(CLANG) >/dev/null || { echo "error: $(CLANG) not found (apt-get install clang)" >&2; exit 1; }
	@$(CLANG) -print-targets 2>/dev/null | grep -qw bpf || { echo "error: $(CLANG) has no BPF target" >&2; exit 1; }
	@command -v $(BPFTOOL) >/dev/null || { echo "error: bpftool not found (apt-get install bpftool)" >&2; exit 1; }
	@test -f /usr/include/$(ARCH)-linux-gnu/asm/types.h || { echo "error: no /usr/include/$(ARCH)-linux-gnu/asm/types.h (apt-get install linux-libc-dev)" >&2; exit 1; }
	@pkg-config --exists $(PKGS) $(DLOPEN_PKGS) || { echo "error: pkg-config can't find all of: $(PKGS) $(DLOPEN_PKGS) (apt-get install libbpf-dev libxdp-dev libjson-c-dev libmnl-dev libpcap-dev libmicrohttpd-dev libnftables-dev libsystemd-dev)" >&2; exit 1; }

$(BUILD) $(BUILD)/user $(BUILD)/bpf:
	$(Q)mkdir -p $@

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | check-toolchain $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.bpf.o: tests/%.bpf.c | check-toolchain $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.bpf.o: tests/bench/%.bpf.c tests/bench/bench.h | check-toolchain $(BUILD)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Itests/bench -c $< -o $@

# The XDP program is one object linked from a unit per concern: the entry
# point (bpf/xdpong.bpf.c) and the global functions it calls (XDP_UNITS: the
# bpf/*.bpf.c of those names), each compiled into $(BUILD)/bpf/, then linked
# by libbpf's static linker (bpftool gen object): one program, the same maps
# (their definitions in the headers are __weak: bpf/maps.h), one skeleton.
XDP_UNITS     := classify rtt pingers neigh_learn
XDP_UNIT_OBJS := $(patsubst %,$(BUILD)/bpf/%.o,$(XDP_UNITS))

$(BUILD)/bpf/%.o: bpf/%.bpf.c $(BPF_HDRS) | check-toolchain $(BUILD)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/xdpong.bpf.o: $(BUILD)/bpf/xdpong.o $(XDP_UNIT_OBJS)
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@ 2> $@.log || { cat $@.log >&2; exit 1; }

$(BUILD)/user/%.o: user/%.c $(wildcard user/*.h include/*.h) $(BUILD)/xdpong.skel.h | $(BUILD)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# The tracer of failed transmits is an object of its own (bpf/tx_errors.bpf.c),
# and so is the egress program of ping telemetry (bpf/rtt_egress.bpf.c).
$(BUILD)/user/tx_errors.o: $(BUILD)/tx_errors.skel.h
$(BUILD)/user/rtt_egress.o: $(BUILD)/rtt_egress.skel.h
# serve's xdpong_build_info: the library versions xdpong is built against.
$(BUILD)/user/metrics.o: CFLAGS += -DXDPONG_LIBBPF_VERSION='"$(shell pkg-config --modversion libbpf 2>/dev/null)"' \
                                   -DXDPONG_LIBXDP_VERSION='"$(shell pkg-config --modversion libxdp 2>/dev/null)"'

$(BUILD)/xdpong: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/test_%: tests/test_%.c tests/packets.h tests/harness.h $(wildcard include/*.h) $(BUILD)/xdpong.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-override-init -Itests $< -o $@ $(LDLIBS) -lcmocka

# test_rtt_bpf loads the egress program as attach does: through user/rtt_egress.c.
RTT_TEST_OBJS := $(addprefix $(BUILD)/user/,rtt_egress.o tx_errors.o env.o log.o)
$(BUILD)/test_rtt_bpf: tests/test_rtt_bpf.c tests/packets.h tests/harness.h $(wildcard include/*.h) \
		       $(BUILD)/xdpong.skel.h $(RTT_TEST_OBJS)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-override-init -Itests $< $(RTT_TEST_OBJS) -o $@ $(LDLIBS) -lcmocka

# rtt.c's quantiles, on histograms the test builds.
$(BUILD)/test_rtt_quantile: tests/test_rtt_quantile.c $(BUILD)/user/rtt.o $(BUILD)/user/mapread.o user/rtt.h user/cli.h $(wildcard include/*.h)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $< $(BUILD)/user/rtt.o $(BUILD)/user/mapread.o -o $@ $(LDLIBS) -lcmocka -lm

TEST_BINS   := $(BUILD)/test_packets $(BUILD)/test_classify $(BUILD)/test_rtt_bpf $(BUILD)/test_pingers_bpf \
               $(BUILD)/test_rtt_quantile $(BUILD)/fuzz
FUZZ_FRAMES ?= 5000000
DIFF_FRAMES ?= 200000

$(BUILD)/fuzz: tests/fuzz.c tests/model.h tests/packets.h $(wildcard include/*.h) $(BUILD)/xdpong.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $< -o $@ $(LDLIBS)

# A longer run than make test's 200 000 frames; FUZZ_FRAMES and FUZZ_SEED
# choose. Then the differential test, DIFF_FRAMES frames, where there is one.
run-fuzz: all $(BUILD)/fuzz $(TEST_PROGS)
	$(call msg,FUZZ,$(FUZZ_FRAMES) frames)
	$(Q)$(BUILD)/fuzz $(FUZZ_FRAMES) $(FUZZ_SEED)
ifneq ($(wildcard tests/test_diff.sh),)
	$(call msg,DIFF,$(DIFF_FRAMES) frames)
	$(Q)DIFF_FRAMES=$(DIFF_FRAMES) XDPONG=$(abspath $(BUILD)/xdpong) BUILD=$(abspath $(BUILD)) \
	  tests/test_diff.sh
endif

# Coverage-guided: libFuzzer (clang's runtime) picks the frames.
FUZZ_SECONDS ?= 60
$(BUILD)/fuzz_libfuzzer: tests/fuzz_libfuzzer.c tests/model.h tests/packets.h $(BUILD)/xdpong.skel.h
	$(call msg,CC,$@)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address -Iinclude -Itests -I$(BUILD) $< -o $@ $(LDLIBS)

run-fuzz-libfuzzer: all $(BUILD)/fuzz $(BUILD)/fuzz_libfuzzer
	$(Q)mkdir -p $(BUILD)/corpus && $(BUILD)/fuzz seeds $(BUILD)/corpus 300
	$(Q)$(BUILD)/fuzz_libfuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=2000 \
	  -artifact_prefix=$(BUILD)/ $(BUILD)/corpus

# Benchmark builds of the program, each leaving one stage out (bench stages):
# the entry point compiled so, linked with the same other units.
BENCH_STAGES   := classify addrs csum rate count
BENCH_VARIANTS := $(patsubst %,$(BUILD)/xdpong_skip_%.bpf.o,$(BENCH_STAGES))
$(BUILD)/bpf/xdpong_skip_%.o: bpf/xdpong.bpf.c $(BPF_HDRS) | check-toolchain $(BUILD)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -DXDPONG_BENCH_SKIP=SKIP_$(shell echo $* | tr a-z A-Z) -c $< -o $@

$(BUILD)/xdpong_skip_%.bpf.o: $(BUILD)/bpf/xdpong_skip_%.o $(XDP_UNIT_OBJS)
	$(call msg,GEN-OBJ,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(BUILD)/bench: tests/bench/bench.c tests/bench/bench.h tests/packets.h $(BUILD)/bench.skel.h \
		$(BUILD)/xdpong.skel.h $(BUILD)/user/counters.o
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests -Itests/bench $< $(BUILD)/user/counters.o -o $@ $(LDLIBS)

run-bench: all $(BUILD)/bench $(TEST_PROGS) $(BENCH_VARIANTS) $(BUILD)/rtt_egress.bpf.o
	$(Q)BENCH=$(abspath $(BUILD)/bench) XDPONG=$(abspath $(BUILD)/xdpong) BUILD=$(abspath $(BUILD)) \
	  tests/bench/run.sh

run-test: all $(TEST_BINS) $(TEST_PROGS)
	$(call msg,TEST,prove)
	$(Q)XDPONG=$(abspath $(BUILD)/xdpong) BUILD=$(abspath $(BUILD)) CMOCKA_MESSAGE_OUTPUT=TAP \
	  prove --exec '' $(if $(V),-v) $(TEST_BINS) tests/test_*.sh

run-demo: all $(TEST_PROGS)
	$(Q)XDPONG=$(abspath $(BUILD)/xdpong) BUILD=$(abspath $(BUILD)) tests/demo.sh

# PREFIX (/usr/local), SBINDIR, MANDIR, UNITDIR, ENVFILE, and DESTDIR for a
# staging root. The unit runs $(SBINDIR)/xdpong. The environment file is the
# operator's once installed: never overwritten, and removed by uninstall
# only if unchanged.
install: all
	$(call msg,INSTALL,$(DESTDIR)$(SBINDIR)/xdpong)
	$(Q)install -D -m 0755 $(BUILD)/xdpong $(DESTDIR)$(SBINDIR)/xdpong
	$(call msg,INSTALL,$(DESTDIR)$(MANDIR)/man8/xdpong.8)
	$(Q)install -D -m 0644 man/xdpong.8 $(DESTDIR)$(MANDIR)/man8/xdpong.8
	$(call msg,INSTALL,$(DESTDIR)$(UNITDIR)/xdpong.service)
	$(Q)install -d $(DESTDIR)$(UNITDIR) && \
	  sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|^EnvironmentFile=.*|EnvironmentFile=$(ENVFILE)|' \
	  contrib/systemd/xdpong.service >$(DESTDIR)$(UNITDIR)/xdpong.service && \
	  chmod 0644 $(DESTDIR)$(UNITDIR)/xdpong.service
	$(Q)if [ -e $(DESTDIR)$(ENVFILE) ]; then \
	  echo "  KEEP     $(DESTDIR)$(ENVFILE) (yours)"; \
	else \
	  printf '  %-8s %s\n' INSTALL $(DESTDIR)$(ENVFILE); \
	  install -D -m 0644 contrib/systemd/xdpong.default $(DESTDIR)$(ENVFILE); \
	fi
	@[ -n "$(DESTDIR)" ] || echo "  NEXT     set XDPONG_INTERFACES in $(ENVFILE), then: systemctl daemon-reload; systemctl enable --now xdpong"

uninstall:
	$(call msg,RM,$(DESTDIR)$(SBINDIR)/xdpong $(DESTDIR)$(MANDIR)/man8/xdpong.8 $(DESTDIR)$(UNITDIR)/xdpong.service)
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/xdpong $(DESTDIR)$(MANDIR)/man8/xdpong.8 $(DESTDIR)$(UNITDIR)/xdpong.service
	$(Q)if cmp -s contrib/systemd/xdpong.default $(DESTDIR)$(ENVFILE); then \
	  printf '  %-8s %s\n' RM $(DESTDIR)$(ENVFILE); rm -f $(DESTDIR)$(ENVFILE); \
	elif [ -e $(DESTDIR)$(ENVFILE) ]; then \
	  echo "  KEEP     $(DESTDIR)$(ENVFILE) (changed: yours)"; \
	fi

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)
