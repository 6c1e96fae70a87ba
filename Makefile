# SPDX-License-Identifier: GPL-2.0
#
# xdpong: `make` builds everything into build/, `make test` runs the tests,
# `make demo` runs the demo. On Debian, missing packages are installed first
# (as root); elsewhere the missing ones are named. V=1 shows full commands.

.DELETE_ON_ERROR:
.SECONDARY:
.DEFAULT_GOAL := all

ARCH      := $(shell uname -m)
BUILD     := build
CLANG     ?= clang
CC        ?= gcc
BPFTOOL   ?= bpftool
PKGS      := libbpf libxdp json-c libmnl libpcap libmicrohttpd

# Debian packages: to build, and what the tests and the demo run.
BUILD_DEBS := make gcc libc6-dev pkg-config clang llvm bpftool linux-libc-dev \
              libbpf-dev libxdp-dev libjson-c-dev libmnl-dev libpcap-dev libmicrohttpd-dev
RUN_DEBS   := iproute2 iputils-ping jq procps
TEST_DEBS  := $(RUN_DEBS) libcmocka-dev perl libcap2-bin xdp-tools tcpdump python3 \
              python3-prometheus-client prometheus prometheus-node-exporter
BENCH_DEBS := $(TEST_DEBS) gnuplot-nox

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Werror -Iinclude -Ibpf -I$(BUILD) \
              -I/usr/include/$(ARCH)-linux-gnu
CFLAGS     ?= -O2 -g
CFLAGS     += -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror -std=gnu11 -Iinclude -Iuser -I$(BUILD) \
              $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS     := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

BPF_HDRS   := $(wildcard bpf/*.h) include/xdpong.h
USER_SRCS  := $(wildcard user/*.c)
USER_OBJS  := $(patsubst user/%.c,$(BUILD)/user/%.o,$(USER_SRCS))
TEST_PROGS := $(BUILD)/xdp_pass.bpf.o

# Install missing Debian packages $(1), saying so, or name them and stop.
define ensure_debs
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || \
	    missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "  DEPS     installing Debian packages:$$missing"; \
	    apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      $$missing >/dev/null || { echo "error: apt-get install$$missing failed" >&2; exit 1; }; \
	  else \
	    echo "error: missing Debian packages:$$missing" >&2; \
	    echo "       install them as root: apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi
endef

.PHONY: all deps deps-test deps-bench print-test-debs check-toolchain test demo bench fuzz fuzz-libfuzzer clean install

all: $(BUILD)/xdpong

deps:
	$(call ensure_debs,$(BUILD_DEBS))

deps-test:
	$(call ensure_debs,$(BUILD_DEBS) $(TEST_DEBS))

print-test-debs:
	@echo $(BUILD_DEBS) $(TEST_DEBS)

# Fail early and clearly rather than with a compiler error.
check-toolchain: deps
	@command -v $(CLANG) >/dev/null || { echo "error: $(CLANG) not found (apt-get install clang)" >&2; exit 1; }
	@$(CLANG) -print-targets 2>/dev/null | grep -qw bpf || { echo "error: $(CLANG) has no BPF target" >&2; exit 1; }
	@command -v $(BPFTOOL) >/dev/null || { echo "error: bpftool not found (apt-get install bpftool)" >&2; exit 1; }
	@test -f /usr/include/$(ARCH)-linux-gnu/asm/types.h || { echo "error: no /usr/include/$(ARCH)-linux-gnu/asm/types.h (apt-get install linux-libc-dev)" >&2; exit 1; }
	@pkg-config --exists $(PKGS) || { echo "error: pkg-config can't find all of: $(PKGS) (apt-get install libbpf-dev libxdp-dev libjson-c-dev libmnl-dev libpcap-dev libmicrohttpd-dev)" >&2; exit 1; }

$(BUILD)/.toolchain-ok: | check-toolchain
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(BUILD)/.toolchain-ok
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.bpf.o: tests/%.bpf.c | $(BUILD)/.toolchain-ok
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.bpf.o: tests/bench/%.bpf.c tests/bench/bench.h | $(BUILD)/.toolchain-ok
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Itests/bench -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $* > $@ 2> $@.log || { cat $@.log >&2; exit 1; }

$(BUILD)/user/%.o: user/%.c $(wildcard user/*.h) include/xdpong.h $(BUILD)/xdpong.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# serve's xdpong_build_info: the library versions xdpong is built against.
$(BUILD)/user/metrics.o: CFLAGS += -DXDPONG_LIBBPF_VERSION='"$(shell pkg-config --modversion libbpf 2>/dev/null)"' \
                                   -DXDPONG_LIBXDP_VERSION='"$(shell pkg-config --modversion libxdp 2>/dev/null)"'

$(BUILD)/xdpong: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/test_%: tests/test_%.c tests/packets.h tests/harness.h include/xdpong.h $(BUILD)/xdpong.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-override-init -Itests $< -o $@ $(LDLIBS) -lcmocka

TEST_BINS  := $(BUILD)/test_packets $(BUILD)/test_classify $(BUILD)/fuzz
FUZZ_FRAMES ?= 5000000

$(BUILD)/fuzz: tests/fuzz.c tests/model.h tests/packets.h include/xdpong.h $(BUILD)/xdpong.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $< -o $@ $(LDLIBS)

# A longer run than make test's 200 000 frames; FUZZ_FRAMES and FUZZ_SEED choose.
fuzz: deps-test all $(BUILD)/fuzz
	$(Q)$(BUILD)/fuzz $(FUZZ_FRAMES) $(FUZZ_SEED)

# Coverage-guided: libFuzzer (clang's runtime) picks the frames.
FUZZ_SECONDS ?= 60
$(BUILD)/fuzz_libfuzzer: tests/fuzz_libfuzzer.c tests/model.h tests/packets.h $(BUILD)/xdpong.skel.h
	$(call msg,CC,$@)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address -Iinclude -Itests -I$(BUILD) $< -o $@ $(LDLIBS)

fuzz-libfuzzer: deps-test all $(BUILD)/fuzz
	$(call ensure_debs,libclang-rt-14-dev)
	$(Q)$(MAKE) --no-print-directory $(BUILD)/fuzz_libfuzzer
	$(Q)mkdir -p $(BUILD)/corpus && $(BUILD)/fuzz seeds $(BUILD)/corpus 300
	$(Q)$(BUILD)/fuzz_libfuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=2000 \
	  -artifact_prefix=$(BUILD)/ $(BUILD)/corpus

$(BUILD)/bench: tests/bench/bench.c tests/bench/bench.h tests/packets.h $(BUILD)/bench.skel.h \
		$(BUILD)/xdpong.skel.h $(BUILD)/user/counters.o
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests -Itests/bench $< $(BUILD)/user/counters.o -o $@ $(LDLIBS)

deps-bench:
	$(call ensure_debs,$(BUILD_DEBS) $(BENCH_DEBS))

bench: deps-bench all $(BUILD)/bench $(TEST_PROGS)
	$(Q)BENCH=$(abspath $(BUILD)/bench) XDPONG=$(abspath $(BUILD)/xdpong) BUILD=$(abspath $(BUILD)) \
	  tests/bench/run.sh

test: deps-test all $(TEST_BINS) $(TEST_PROGS)
	$(call msg,TEST,prove)
	$(Q)XDPONG=$(abspath $(BUILD)/xdpong) BUILD=$(abspath $(BUILD)) CMOCKA_MESSAGE_OUTPUT=TAP \
	  prove --exec '' $(if $(V),-v) $(TEST_BINS) tests/test_*.sh

demo: deps-test all $(TEST_PROGS)
	$(Q)XDPONG=$(abspath $(BUILD)/xdpong) BUILD=$(abspath $(BUILD)) tests/demo.sh

install: all
	install -D -m 0755 $(BUILD)/xdpong $(DESTDIR)/usr/local/sbin/xdpong
	install -D -m 0644 man/xdpong.8 $(DESTDIR)/usr/local/share/man/man8/xdpong.8

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)
