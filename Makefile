# pidsim - a userspace model of a kernel task table, PID virtualization
# against PID spaces.  See README.md.
#
#   make test     build everything twice (gcc -O2, and clang with
#                 AddressSanitizer + UndefinedBehaviorSanitizer) and run
#                 every test in both builds
#   make bench    the benchmarks: tables, TSV results and charts
#   make help     every target
#
# Missing Debian packages are installed with apt-get when make runs as
# root; otherwise make prints the command to run.

SHELL := /bin/bash
.DEFAULT_GOAL := all

BUILD := build
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
STD := -std=c11
INC := -Iinclude -Ilib

# The two builds make test runs: name, compiler, flags.
CC_O2 := gcc
CFLAGS_O2 := -O2 -g
CC_ASAN := clang
CFLAGS_ASAN := -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
VARIANTS := O2 ASAN

LIB_SRC := $(wildcard lib/*.c)
LIB_HDR := $(wildcard lib/*.h lib/*.def include/*.h)
TEST_SRC := $(wildcard tests/test_*.c)
TESTS := $(notdir $(TEST_SRC:.c=))

# ---- Debian packages ------------------------------------------------------
PKGS_TEST := libcmocka-dev uthash-dev clang libclang-rt-14-dev
PKGS_BENCH := gnuplot-nox libgoogle-perftools-dev google-perftools

# $(call need,packages): install what is missing, or say how.
define need
	@missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "pidsim: installing$$missing"; \
			apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "pidsim: missing Debian packages:$$missing" >&2; \
			echo "run:    sudo apt-get install -y$$missing" >&2; \
			exit 1; \
		fi; \
	fi
endef

.PHONY: all deps-test deps-bench test test-O2 test-ASAN compile-fail help clean

deps-test:
	$(call need,$(PKGS_TEST))

deps-bench:
	$(call need,$(PKGS_TEST) $(PKGS_BENCH))

# ---- Per-build rules ------------------------------------------------------
# $(call variant,NAME): the library, the tests and their run for one build.
define variant
$(BUILD)/$(1)/lib/%.o: lib/%.c $(LIB_HDR) | deps-test
	@mkdir -p $$(@D)
	$$(CC_$(1)) $(STD) $(WARN) $(INC) $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/libpidsim.a: $(patsubst lib/%.c,$(BUILD)/$(1)/lib/%.o,$(LIB_SRC))
	@rm -f $$@
	ar rcs $$@ $$^

$(BUILD)/$(1)/tests/%: tests/%.c $(BUILD)/$(1)/libpidsim.a $(wildcard tests/*.h)
	@mkdir -p $$(@D)
	$$(CC_$(1)) $(STD) $(WARN) $(INC) -Itests $$(CFLAGS_$(1)) $$< \
		$(BUILD)/$(1)/libpidsim.a -lcmocka -o $$@

test-$(1): $(addprefix $(BUILD)/$(1)/tests/,$(TESTS))
	@echo "== $(1) build: $$(CC_$(1)) $$(CFLAGS_$(1))"
	@set -e; for t in $$^; do echo "-- $$$$t"; $$$$t; done
endef
$(foreach v,$(VARIANTS),$(eval $(call variant,$(v))))

all: $(BUILD)/O2/libpidsim.a

# The vpid model's two pid domains must not mix: each file in
# tests/compile_fail/ must fail to compile as it is, and compile with
# -DPS_CONTROL, which swaps in the correctly typed line.
compile-fail: | deps-test
	@set -e; for f in tests/compile_fail/*.c; do \
		$(CC_O2) $(STD) $(WARN) $(INC) -DPS_CONTROL -fsyntax-only $$f || \
			{ echo "compile-fail: control of $$f does not compile" >&2; exit 1; }; \
		if $(CC_O2) $(STD) $(WARN) $(INC) -fsyntax-only $$f 2>/dev/null; then \
			echo "compile-fail: $$f compiles: the pid domains mix" >&2; exit 1; \
		fi; \
		echo "compile-fail: $$f rejected, as it must be"; \
	done

test: compile-fail test-O2 test-ASAN
	@echo "== make test: all passed"

help:
	@sed -n '/^#   make/,/^$$/p' Makefile | sed 's/^# *//'

clean:
	rm -rf $(BUILD)
