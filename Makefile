# pidsim - a userspace model of a kernel task table, PID virtualization
# against PID spaces.  See README.md.
#
# Targets (make help prints this list):
#   all           the library (static and shared) and the command line, build/pidsim
#   install       install the CLI, headers, libraries, pidsim.pc and man pages (PREFIX, DESTDIR)
#   uninstall     remove what install installed (the same PREFIX and DESTDIR)
#   clean         remove build/
#   test          every test in both builds (gcc -O2; clang ASan+UBSan); V=1: every test's own lines
#   test-O2       unit tests, scenarios, images and the command line in the -O2 build
#   test-ASAN     the same in the clang AddressSanitizer + UndefinedBehaviorSanitizer build
#   prop-O2       property suite and allocation-failure sweep, -O2 build (PROP_TRIALS_O2)
#   prop-ASAN     the same in the sanitizer build (PROP_TRIALS_ASAN)
#   replay-O2     the fuzz corpora (tests/corpus/) replayed without libFuzzer, -O2 build
#   replay-ASAN   the same in the sanitizer build
#   compile-fail  the vpid model's two pid domains must not mix (tests/compile_fail/)
#   test-begin    forget the counts of an earlier make test (every test target starts with it)
#   test-install  install into a temporary DESTDIR, build examples/api with pkg-config, check exports
#   paper-check-test  paper-check against the committed results, and hand-edited copies it must reject
#   check-long    the property suite with a large budget (soak; PIDSIM_SEED=... repeats one)
#   mutants       plant each bug of the 2006 thread; the suite must catch it (MUTANT_TRIALS)
#   fuzz          libFuzzer on the operations, scenarios and images (FUZZ_SECONDS=60 each)
#   fuzz-corpus   minimize build/fuzz/corpus/ into tests/corpus/
#   bench         the benchmarks into build/bench/ (IR=0: times only; FULL=1; BENCH_ARGS=...)
#   bench-paper   the run PAPER.md and the README cite, on purpose: bench/results/, plots/
#   paper-check   every figure and ranking PAPER.md and the README cite, against bench/results/
#   paper-update  rewrite those figures from bench/results/, then check them
#   plots         redraw the charts of a results folder (RESULTS=... PLOTS=...)
#   profile       one workload under gperftools (WORKLOAD=churn DESIGN=pidspace SIZE=32768)
#   deps-build    check for uthash.h, the plain build's one need (installs nothing)
#   deps-test     install the Debian packages the tests need (as root; else print the command)
#   deps-bench    install the Debian packages the bench needs
#   help          this list
#
# The plain build (make, make all, make install) needs a C compiler and
# uthash.h (uthash-dev) only, installs nothing, and honours CC, CFLAGS,
# CPPFLAGS and LDFLAGS (make CC=clang CFLAGS=-O0); the project's own
# flags (warnings, -std, include paths) are added to them.  The test, fuzz
# and bench targets install the Debian packages they need with apt-get
# when make runs as root; otherwise make prints the command to run.
# pidsim-bench's options: build/bench/pidsim-bench --help.

SHELL := /bin/bash
.DEFAULT_GOAL := all

BUILD := build
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
STD := -std=c11
# Include paths per folder, so that the compiler keeps the layers honest:
# the model (lib/) sees the public headers and its own; checkpoint and
# restore (lib/ckpt/) the model's too; the scenario language
# (lib/scenario/), the command line, the bench, the property suite and
# the black-box tests see include/ only; white-box tests (tests/white/)
# say by their folder that they look inside.
INC := -Iinclude
INC_LIB := -Iinclude -Ilib
INC_CKPT := -Iinclude -Ilib -Ilib/ckpt
INC_SCENARIO := -Iinclude -Ilib/scenario
INC_WHITE := -Iinclude -Ilib -Ilib/ckpt -Itests
# $(call inc_of,SOURCE): the include paths of a file of lib/.
inc_of = $(if $(filter lib/scenario/%,$(1)),$(INC_SCENARIO),$(if \
	$(filter lib/ckpt/%,$(1)),$(INC_CKPT),$(INC_LIB)))
# $(call test_inc,SOURCE): the include paths of a file of tests/ (the
# shared fixture, tests/fixture.h, for all).
test_inc = $(if $(filter tests/white/%,$(1)),$(INC_WHITE),$(INC) -Itests)

# The compiler and flags of the plain build, which make test runs as its
# -O2 build: the command line's or the environment's CC, CFLAGS, CPPFLAGS
# and LDFLAGS, else gcc -O2 -g.
ifeq ($(origin CC),default)
CC := gcc
endif
CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=

# The two builds make test runs: name, compiler, flags; the order-only
# prerequisite that provides what each needs (the plain build checks for
# uthash.h and installs nothing; the sanitizer build needs clang).
CC_O2 := $(CC)
CFLAGS_O2 := $(CFLAGS)
CPPFLAGS_O2 := $(CPPFLAGS)
LDFLAGS_O2 := $(LDFLAGS)
DEPS_O2 := deps-build
CC_ASAN := clang
CFLAGS_ASAN := -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all
CPPFLAGS_ASAN :=
LDFLAGS_ASAN :=
DEPS_ASAN := deps-test
VARIANTS := O2 ASAN

# Every suite of make test runs under tests/suite.sh, which prints one
# line for it (V=1: its whole output first; on a failure, its whole
# output, always) and keeps its counts in $(TEST_RESULTS); make test's
# last line sums them.
TEST_RESULTS := $(BUILD)/test-results
SUITE = V=$(V) TEST_RESULTS=$(TEST_RESULTS) tests/suite.sh

# The library's version: PIDSIM_VERSION in include/pidsim.h.  The shared
# library is libpidsim.so.VERSION, its soname libpidsim.so.MAJOR.
VERSION := $(shell sed -n 's/^\#define PIDSIM_VERSION "\(.*\)"$$/\1/p' include/pidsim.h)
MAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME := libpidsim.so.$(MAJOR)
SHLIB := $(BUILD)/O2/libpidsim.so.$(VERSION)

LIB_SRC := $(wildcard lib/*.c lib/*/*.c)
LIB_HDR := $(wildcard lib/*.h lib/*/*.h lib/*.def include/*.h)
# A test binary per tests/test_*.c and tests/white/test_*.c, and one of
# the contract suite's folder; each links the shared fixture.
TEST_SRC := $(wildcard tests/test_*.c tests/white/test_*.c)
CONTRACT_SRC := $(wildcard tests/contract/*.c)
TEST_HDR := $(wildcard tests/*.h tests/contract/*.h tests/white/*.h)
TESTS := $(sort $(patsubst tests/%.c,%,$(TEST_SRC)) test_contract)

# ---- Debian packages ------------------------------------------------------
PKGS_TEST := libcmocka-dev uthash-dev clang libclang-rt-14-dev
PKGS_BENCH := gnuplot-nox libgoogle-perftools-dev google-perftools graphviz valgrind

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

.PHONY: all deps-build deps-test deps-bench test test-O2 test-ASAN test-begin \
	test-install compile-fail help clean install uninstall \
	bench bench-paper plots profile paper-check paper-check-test paper-update

# The plain build installs nothing: it says what is missing.
deps-build:
	@echo '#include <uthash.h>' | $(CC) $(CPPFLAGS) -E -x c - >/dev/null 2>&1 || \
		{ echo "pidsim: the build needs uthash.h: apt-get install uthash-dev" >&2; exit 1; }

deps-test:
	$(call need,$(PKGS_TEST))

deps-bench:
	$(call need,$(PKGS_TEST) $(PKGS_BENCH))

# ---- Per-build rules ------------------------------------------------------
# $(call variant,NAME): the library, the tests and their run for one build.
define variant
$(BUILD)/$(1)/lib/%.o: lib/%.c $(LIB_HDR) | $(DEPS_$(1))
	@mkdir -p $$(@D)
	$$(CC_$(1)) $(STD) $(WARN) $$(call inc_of,$$<) $$(CPPFLAGS_$(1)) $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/libpidsim.a: $(patsubst lib/%.c,$(BUILD)/$(1)/lib/%.o,$(LIB_SRC))
	@rm -f $$@
	ar rcs $$@ $$^

$(BUILD)/$(1)/tests/%.o: tests/%.c $(TEST_HDR) $(LIB_HDR) | deps-test
	@mkdir -p $$(@D)
	$$(CC_$(1)) $(STD) $(WARN) $$(call test_inc,$$<) $$(CPPFLAGS_$(1)) $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/tests/%: tests/%.c $(BUILD)/$(1)/tests/fixture.o $(BUILD)/$(1)/libpidsim.a \
		$(TEST_HDR) $(LIB_HDR)
	@mkdir -p $$(@D)
	$$(CC_$(1)) $(STD) $(WARN) $$(call test_inc,$$<) $$(CPPFLAGS_$(1)) $$(CFLAGS_$(1)) $$< \
		$(BUILD)/$(1)/tests/fixture.o $(BUILD)/$(1)/libpidsim.a $$(LDFLAGS_$(1)) -lcmocka -o $$@

# The contract suite: a file per rule group (tests/contract/), one binary.
$(BUILD)/$(1)/tests/test_contract: $(patsubst tests/%.c,$(BUILD)/$(1)/tests/%.o,$(CONTRACT_SRC)) \
		$(BUILD)/$(1)/tests/fixture.o $(BUILD)/$(1)/libpidsim.a
	$$(CC_$(1)) $$(CFLAGS_$(1)) $$^ $$(LDFLAGS_$(1)) -lcmocka -o $$@

# The command line (tools/pidsim.c), linked with the static library.
$(BUILD)/$(1)/pidsim: tools/pidsim.c $(BUILD)/$(1)/libpidsim.a | $(DEPS_$(1))
	@mkdir -p $$(@D)
	$$(CC_$(1)) $(STD) $(WARN) $(INC) $$(CPPFLAGS_$(1)) $$(CFLAGS_$(1)) $$< \
		$(BUILD)/$(1)/libpidsim.a $$(LDFLAGS_$(1)) -o $$@

# The unit tests, then every scenario with --design all and the malformed
# files (tests/scenarios.sh), then images between processes and damaged
# image files (tests/image_cli.sh), then the command line's own errors and
# limits (tests/cli.sh), then examples/api against the build tree: each a
# suite of tests/suite.sh, one line each (V=1: everything they print).
test-$(1): $(addprefix $(BUILD)/$(1)/tests/,$(TESTS)) $(BUILD)/$(1)/pidsim \
		$(BUILD)/$(1)/examples/api/tour | test-begin
	@echo "== $(1) build: $$(strip $$(CC_$(1)) $$(CPPFLAGS_$(1)) $$(CFLAGS_$(1)))"
	@set -e; for t in $$(filter $(BUILD)/$(1)/tests/%,$$^); do \
		$(SUITE) "$(1) $$$${t#$(BUILD)/$(1)/tests/}" $$$$t; done
	@$(SUITE) "$(1) scenarios" tests/scenarios.sh $(BUILD)/$(1)/pidsim
	@$(SUITE) "$(1) images" tests/image_cli.sh $(BUILD)/$(1)/pidsim
	@$(SUITE) "$(1) command line" tests/cli.sh $(BUILD)/$(1)/pidsim
	@$(SUITE) "$(1) examples/api" $(BUILD)/$(1)/examples/api/tour
endef
$(foreach v,$(VARIANTS),$(eval $(call variant,$(v))))

# ---- The plain build and its installation ---------------------------------
all: $(BUILD)/O2/libpidsim.a $(SHLIB) $(BUILD)/pidsim

# build/pidsim: the command line of the -O2 build.
$(BUILD)/pidsim: $(BUILD)/O2/pidsim
	cp $< $@

# The shared library: the same sources compiled position-independent; it
# exports the public API alone, every pidsim_* symbol (lib/pidsim.map),
# and not the test tree's hooks (pidsim_debug.h: hidden).
$(BUILD)/O2/pic/lib/%.o: lib/%.c $(LIB_HDR) | deps-build
	@mkdir -p $(@D)
	$(CC_O2) $(STD) $(WARN) $(call inc_of,$<) $(CPPFLAGS_O2) $(CFLAGS_O2) -fPIC -c $< -o $@

$(SHLIB): $(patsubst lib/%.c,$(BUILD)/O2/pic/lib/%.o,$(LIB_SRC)) lib/pidsim.map
	$(CC_O2) $(CFLAGS_O2) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/pidsim.map \
		-Wl,--no-undefined $(filter %.o,$^) $(LDFLAGS_O2) -o $@
	ln -sf $(notdir $@) $(BUILD)/O2/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/O2/libpidsim.so

# examples/api/: a program that uses the library, as a user builds it: the
# public headers and the shared library (make test runs it, and
# test-install builds it again against an installed tree with pkg-config).
$(BUILD)/O2/examples/api/tour: examples/api/tour.c $(SHLIB) | deps-build
	@mkdir -p $(@D)
	$(CC_O2) $(STD) $(WARN) $(INC) $(CPPFLAGS_O2) $(CFLAGS_O2) $< -L$(BUILD)/O2 \
		-Wl,-rpath,'$$ORIGIN/../..' $(LDFLAGS_O2) -lpidsim -o $@

# The sanitizer build has no shared library: the example links the static one.
$(BUILD)/ASAN/examples/api/tour: examples/api/tour.c $(BUILD)/ASAN/libpidsim.a | deps-test
	@mkdir -p $(@D)
	$(CC_ASAN) $(STD) $(WARN) $(INC) $(CFLAGS_ASAN) $< $(BUILD)/ASAN/libpidsim.a -o $@

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# pidsim_debug.h is the test tree's, not the interface: not installed.
INSTALL_HDR := include/pidsim.h include/pidsim_image.h include/pidsim_scenario.h
MAN_PAGES := docs/man/pidsim.1 docs/man/pidsim-scenario.5
# Every file install makes, for uninstall.
INSTALLED := $(BINDIR)/pidsim $(addprefix $(INCLUDEDIR)/,$(notdir $(INSTALL_HDR))) \
	$(addprefix $(LIBDIR)/,libpidsim.a libpidsim.so.$(VERSION) $(SONAME) libpidsim.so) \
	$(PKGCONFIGDIR)/pidsim.pc $(MANDIR)/man1/pidsim.1 $(MANDIR)/man5/pidsim-scenario.5

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BUILD)/pidsim $(DESTDIR)$(BINDIR)/pidsim
	install -m 644 $(INSTALL_HDR) $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(BUILD)/O2/libpidsim.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libpidsim.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libpidsim.so
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' lib/pidsim.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/pidsim.pc
	install -m 644 docs/man/pidsim.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/man/pidsim-scenario.5 $(DESTDIR)$(MANDIR)/man5/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then \
		ldconfig; fi

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

# install and uninstall into a temporary DESTDIR, examples/api built there
# with pkg-config, the shared library's exports, and the plain build's
# flags and dependencies (tests/package.sh).
test-install: all $(BUILD)/O2/examples/api/tour | test-begin
	@CC="$(CC_O2)" $(SUITE) "install" tests/package.sh "$(MAKE)" $(BUILD)/O2/examples/api/tour

# The vpid model's two pid domains must not mix: each file in
# tests/compile_fail/ must fail to compile as it is, and compile with
# -DPS_CONTROL, which swaps in the correctly typed line.
compile-fail: | deps-test test-begin
	@$(SUITE) "compile-fail" bash -c 'set -e; for f in tests/compile_fail/*.c; do \
		$(CC_O2) $(STD) $(WARN) $(INC_LIB) -DPS_CONTROL -fsyntax-only $$f || \
			{ echo "FAIL control of $$f does not compile"; exit 1; }; \
		if $(CC_O2) $(STD) $(WARN) $(INC_LIB) -fsyntax-only $$f 2>/dev/null; then \
			echo "FAIL $$f compiles: the pid domains mix"; exit 1; \
		fi; \
		echo "ok   $$f rejected, as it must be"; \
	done'

test-begin:
	@rm -rf $(TEST_RESULTS); mkdir -p $(TEST_RESULTS)

test: compile-fail test-O2 test-ASAN prop-O2 prop-ASAN replay-O2 replay-ASAN \
		paper-check-test test-install
	@tests/suite.sh --total $(TEST_RESULTS)

# ---- Property suite (tests/prop/) ------------------------------------------
# Random workloads on every design, checked step by step (invariants,
# isolation, weak references, the reference model, the differential between
# designs), failures shrunk and printed as scenario files; then the
# allocation-failure sweep.  PIDSIM_SEED=... PIDSIM_TRIALS=... replay and
# extend a run (tests/prop/main.c lists the other knobs).
PROP_COMMON := harness wl ref exec check_invariants check_isolation check_weakrefs \
	check_reference trace props print differential transplant
# The libFuzzer targets (tests/prop/fuzz_*.c): make fuzz runs them, make
# test replays their corpora without libFuzzer (replay-O2, replay-ASAN).
FUZZ_TARGETS := ops scenario image
PROP_HDR := $(wildcard tests/prop/*.h)
PROP_FAIL_DIR := $(BUILD)/prop-failures
# Trials per property in make test: some 30 to 40 seconds for each build
# when both run at once on two cores (an ASan trial costs about five -O2
# ones).  check-long: soak runs, some 15 and 10 minutes.
PROP_TRIALS_O2 ?= 6000
PROP_TRIALS_ASAN ?= 1200
PROP_TRIALS_LONG ?= 300000
PROP_TRIALS_LONG_ASAN ?= 30000

# $(call prop_variant,NAME): the suite and the sweep for one build.
define prop_variant
$(BUILD)/$(1)/prop/%.o: tests/prop/%.c $(PROP_HDR) $(LIB_HDR) | deps-test
	@mkdir -p $$(@D)
	$$(CC_$(1)) $(STD) $(WARN) $(INC) -Itests/prop $$(CFLAGS_$(1)) -c $$< -o $$@

$(BUILD)/$(1)/prop/pidsim-prop: $(patsubst %,$(BUILD)/$(1)/prop/%.o,main $(PROP_COMMON)) \
		$(BUILD)/$(1)/libpidsim.a
	$$(CC_$(1)) $$(CFLAGS_$(1)) $$^ -o $$@

# Image creation and scenario parsing allocate with malloc: wrapped.
$(BUILD)/$(1)/prop/pidsim-allocfail: $(patsubst %,$(BUILD)/$(1)/prop/%.o,allocfail harness wl ref print) \
		$(BUILD)/$(1)/libpidsim.a
	$$(CC_$(1)) $$(CFLAGS_$(1)) $$^ -Wl,--wrap=malloc,--wrap=realloc,--wrap=calloc -o $$@

prop-$(1): $(BUILD)/$(1)/prop/pidsim-prop $(BUILD)/$(1)/prop/pidsim-allocfail | test-begin
	@PIDSIM_TRIALS=$$(PROP_TRIALS_$(1)) PIDSIM_FAIL_DIR=$(PROP_FAIL_DIR) \
		$(SUITE) "$(1) properties" $(BUILD)/$(1)/prop/pidsim-prop
	@$(SUITE) "$(1) allocfail" $(BUILD)/$(1)/prop/pidsim-allocfail

# A fuzz target without libFuzzer (tests/prop/fuzz_replay.c): it replays
# the target's corpus, tests/corpus/TARGET/, and the inputs that once
# crashed it, kept after the fix, tests/corpus/regress-TARGET/.
$(BUILD)/$(1)/prop/replay-%: $(BUILD)/$(1)/prop/fuzz_%.o $(BUILD)/$(1)/prop/fuzz_replay.o \
		$(patsubst %,$(BUILD)/$(1)/prop/%.o,$(PROP_COMMON)) $(BUILD)/$(1)/libpidsim.a
	$$(CC_$(1)) $$(CFLAGS_$(1)) $$^ -o $$@

replay-$(1): $(addprefix $(BUILD)/$(1)/prop/replay-,$(FUZZ_TARGETS)) | test-begin
	@set -e; for t in $(FUZZ_TARGETS); do \
		log=$(BUILD)/$(1)/prop/replay-$$$$t.log; \
		$(SUITE) "$(1) fuzz corpus $$$$t" bash -c "$(BUILD)/$(1)/prop/replay-$$$$t \
			tests/corpus/$$$$t $$$$(ls -d tests/corpus/regress-$$$$t 2>/dev/null) 2>$$$$log || \
			{ tail -30 $$$$log; echo \"FAIL replay: $$$$t: the last input named above \
			crashed (log: $$$$log)\"; exit 1; }"; \
	done
endef
$(foreach v,$(VARIANTS),$(eval $(call prop_variant,$(v))))

# A large budget, a new seed each run (PIDSIM_SEED=... to repeat one).
check-long: $(BUILD)/O2/prop/pidsim-prop $(BUILD)/ASAN/prop/pidsim-prop \
		$(BUILD)/ASAN/prop/pidsim-allocfail
	PIDSIM_SEED=$${PIDSIM_SEED:-time} PIDSIM_TRIALS=$(PROP_TRIALS_LONG) \
		PIDSIM_FAIL_DIR=$(PROP_FAIL_DIR) $(BUILD)/O2/prop/pidsim-prop
	PIDSIM_SEED=$${PIDSIM_SEED:-time} PIDSIM_TRIALS=$(PROP_TRIALS_LONG_ASAN) \
		PIDSIM_FAIL_DIR=$(PROP_FAIL_DIR) $(BUILD)/ASAN/prop/pidsim-prop
	PIDSIM_SEED=$${PIDSIM_SEED:-time} PIDSIM_ALLOCFAIL_GENERATED=2000 \
		$(BUILD)/ASAN/prop/pidsim-allocfail

# ---- Mutants: the 2006 thread's bugs, planted ------------------------------
# Each name is a PS_MUTANT_<name> switch in lib/ (grep PS_MUTANT lib/); each
# mutant library runs the suite, which must catch it.
MUTANTS := GETPPID_UNCONVERTED WAIT_UNCONVERTED OWNER_VIRTUAL ORPHANS_TO_HOST \
	INIT_EXIT_KEEPS_CONTAINER VPID_FIND_UNCONVERTED WEAKREF_NO_GENERATION WRAP_TO_1 \
	VPID_PGRP_UNCONVERTED GROUP_NUMBER_REUSED
MUTANT_TRIALS ?= 5000

define mutant
$(BUILD)/mutants/$(1)/lib/%.o: lib/%.c $(LIB_HDR) | deps-test
	@mkdir -p $$(@D)
	$(CC_O2) $(STD) $(WARN) $$(call inc_of,$$<) $(CFLAGS_O2) -DPS_MUTANT_$(1) -c $$< -o $$@

$(BUILD)/mutants/$(1)/libpidsim.a: $(patsubst lib/%.c,$(BUILD)/mutants/$(1)/lib/%.o,$(LIB_SRC))
	@rm -f $$@
	ar rcs $$@ $$^

$(BUILD)/mutants/$(1)/pidsim-prop: $(patsubst %,$(BUILD)/O2/prop/%.o,main $(PROP_COMMON)) \
		$(BUILD)/mutants/$(1)/libpidsim.a
	$(CC_O2) $(CFLAGS_O2) $$^ -o $$@
endef
$(foreach m,$(MUTANTS),$(eval $(call mutant,$(m))))

mutants: $(foreach m,$(MUTANTS),$(BUILD)/mutants/$(m)/pidsim-prop)
	@echo "== mutants: each must be caught within $(MUTANT_TRIALS) trials per property"
	@missed=0; for m in $(MUTANTS); do \
		log=$(BUILD)/mutants/$$m/log.txt; \
		PIDSIM_MUTANT=$$m PIDSIM_STOP_FIRST=1 PIDSIM_TRIALS=$(MUTANT_TRIALS) \
			PIDSIM_FAIL_DIR=$(BUILD)/mutants/$$m/failures \
			timeout 600 $(BUILD)/mutants/$$m/pidsim-prop > $$log 2>&1; \
		if grep -q "^== MUTANT $$m: caught" $$log; then \
			grep "^== MUTANT" $$log; \
			grep -m1 "^   step \|crashed" $$log | sed 's/^ */     /'; \
		else \
			echo "== MUTANT $$m: NOT CAUGHT (see $$log)"; missed=1; \
		fi; \
	done; exit $$missed

# ---- Fuzzing (libFuzzer) -----------------------------------------------------
# tests/prop/fuzz_*.c: the operation sequence, the scenario parser, the
# image decoder and restore (structure-aware: tests/prop/fuzz_image_mutate.c).
# Each runs FUZZ_SECONDS, all of them whatever one finds; make fuzz fails
# if any crashed.  New inputs go to build/fuzz/corpus/; tests/corpus/TARGET/
# holds the small corpus kept in git, tests/corpus/regress-TARGET/ the
# inputs that once crashed a target (both seed the run, and make test
# replays both).  A crash is kept as build/fuzz/TARGET-crash-*: replay it
# with build/fuzz/fuzz_TARGET FILE, and once fixed add it to
# tests/corpus/regress-TARGET/.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all

$(BUILD)/fuzz/lib/%.o: lib/%.c $(LIB_HDR) | deps-test
	@mkdir -p $(@D)
	clang $(STD) $(WARN) $(call inc_of,$<) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(BUILD)/fuzz/libpidsim.a: $(patsubst lib/%.c,$(BUILD)/fuzz/lib/%.o,$(LIB_SRC))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fuzz/prop/%.o: tests/prop/%.c $(PROP_HDR) $(LIB_HDR) | deps-test
	@mkdir -p $(@D)
	clang $(STD) $(WARN) $(INC) -Itests/prop $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		-c $< -o $@

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/prop/fuzz_%.o \
		$(patsubst %,$(BUILD)/fuzz/prop/%.o,$(PROP_COMMON)) $(BUILD)/fuzz/libpidsim.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -o $@

# The image target's mutator (LLVMFuzzerCustomMutator) is libFuzzer-only.
$(BUILD)/fuzz/fuzz_image: $(BUILD)/fuzz/prop/fuzz_image_mutate.o

fuzz: $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_TARGETS))
	@crashed=""; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$t tests/corpus/$$t; \
		echo "== fuzz $$t: $(FUZZ_SECONDS) s"; \
		if $(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(BUILD)/fuzz/$$t- $(BUILD)/fuzz/corpus/$$t \
			tests/corpus/$$t $$(ls -d tests/corpus/regress-$$t 2>/dev/null) \
			> $(BUILD)/fuzz/$$t.log 2>&1; then \
			grep -E "^Done|number_of_executed_units|new_units_added" \
				$(BUILD)/fuzz/$$t.log | sed 's/^/   /'; \
		else \
			tail -40 $(BUILD)/fuzz/$$t.log; \
			echo "== fuzz $$t: FOUND A CRASH (log: $(BUILD)/fuzz/$$t.log;" \
				"input: $$(ls -t $(BUILD)/fuzz/$$t-* 2>/dev/null | head -1))"; \
			crashed="$$crashed $$t"; \
		fi; \
	done; \
	if [ -n "$$crashed" ]; then echo "== fuzz: FAILED:$$crashed"; exit 1; fi; \
	echo "== fuzz: nothing found"

# Minimize build/fuzz/corpus/ into tests/corpus/ (to keep what is worth it).
fuzz-corpus: $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/merged/$$t; \
		$(BUILD)/fuzz/fuzz_$$t -merge=1 $(BUILD)/fuzz/merged/$$t tests/corpus/$$t \
			$(BUILD)/fuzz/corpus/$$t > /dev/null 2>&1; \
		rm -rf tests/corpus/$$t; mv $(BUILD)/fuzz/merged/$$t tests/corpus/$$t; \
		echo "tests/corpus/$$t: $$(ls tests/corpus/$$t | wc -l) inputs"; \
	done

.PHONY: prop-O2 prop-ASAN replay-O2 replay-ASAN check-long mutants fuzz fuzz-corpus
.PRECIOUS: $(BUILD)/fuzz/prop/%.o $(BUILD)/fuzz/lib/%.o
.PRECIOUS: $(foreach v,$(VARIANTS),$(patsubst %,$(BUILD)/$(v)/prop/fuzz_%.o,replay $(FUZZ_TARGETS)))

# ---- Benchmarks -----------------------------------------------------------
# bench/*.c against the O2 library.  make bench writes its results, summary
# and charts to build/bench/ (untracked: git status stays clean); the run
# that PAPER.md and the README cite lives in bench/results/ and plots/ and
# is remade only on purpose, by make bench-paper (README.md, "Benchmarks").
BENCH_SRC := $(filter-out bench/paper_check.c,$(wildcard bench/*.c))
BENCH_HDR := $(wildcard bench/*.h)
BENCH_CFLAGS := -O2 -g
BENCH_DEFS := -DBENCH_CFLAGS='"$(BENCH_CFLAGS)"' -DBENCH_LIB_CFLAGS='"$(CFLAGS_O2)"' \
	$(if $(wildcard /usr/include/valgrind/callgrind.h),-DBENCH_HAVE_CALLGRIND)
BENCH_BIN := $(BUILD)/bench/pidsim-bench
RESULTS ?= $(BUILD)/bench/results
PLOTS ?= $(BUILD)/bench/plots
PAPER_RESULTS := bench/results
PAPER_PLOTS := plots
BENCH_ARGS ?=
WORKLOAD ?= churn
DESIGN ?= pidspace
SIZE ?= 32768
PPROF = $$(command -v google-pprof || command -v pprof)

$(BUILD)/bench/pidsim-bench: $(BENCH_SRC) $(BENCH_HDR) $(BUILD)/O2/libpidsim.a | deps-bench
	@mkdir -p $(@D)
	$(CC_O2) $(STD) $(WARN) $(INC) $(BENCH_CFLAGS) $(BENCH_DEFS) $(BENCH_SRC) \
		$(BUILD)/O2/libpidsim.a -lm -o $@

# The same, linked with gperftools' profiler (CPUPROFILE= turns it on).
$(BUILD)/bench/pidsim-bench-prof: $(BENCH_SRC) $(BENCH_HDR) $(BUILD)/O2/libpidsim.a | deps-bench
	@mkdir -p $(@D)
	$(CC_O2) $(STD) $(WARN) $(INC) $(BENCH_CFLAGS) $(BENCH_DEFS) $(BENCH_SRC) \
		$(BUILD)/O2/libpidsim.a -lm -Wl,--no-as-needed -lprofiler -Wl,--as-needed -o $@

# malloc backs the heap with transparent huge pages (glibc 2.35+), as a
# kernel's own memory is mapped: the bench then measures the tables, not
# this machine's 4 KiB page faults and TLB misses.
BENCH_ENV := GLIBC_TUNABLES=glibc.malloc.hugetlb=1

# $(call bench_run,RESULTS,PLOTS): a run into RESULTS, its charts in PLOTS.
# The counting run's scratch files stay in build/bench/ir; the summary is
# written aside and moved in at the end (the stamp's commit is taken
# before the run changes any file git tracks).
define bench_run
	@mkdir -p $(1) $(BUILD)/bench
	@set -o pipefail; $(BENCH_ENV) $(BENCH_BIN) --out $(1) --ir-dir $(BUILD)/bench/ir \
		$(if $(FULL),--full) $(if $(filter 0,$(IR)),--no-ir) $(BENCH_ARGS) \
		| tee $(BUILD)/bench/summary.txt
	@mv $(BUILD)/bench/summary.txt $(1)/summary$(if $(FULL),-full).txt
	@$(MAKE) --no-print-directory plots RESULTS=$(1) PLOTS=$(2)
endef

bench: $(BENCH_BIN)
	$(call bench_run,$(RESULTS),$(PLOTS))
	@echo "bench: results in $(RESULTS)/, charts in $(PLOTS)/ (untracked)"

# The committed run: bench/results/ and plots/, then the figures PAPER.md
# and the README cite rewritten from it and checked.  Best made on a quiet
# machine: the summary's first line says how quiet it was.
bench-paper: $(BENCH_BIN)
	$(call bench_run,$(PAPER_RESULTS),$(PAPER_PLOTS))
	@$(MAKE) --no-print-directory paper-update

plots: | deps-bench
	@mkdir -p $(PLOTS)
	gnuplot -e "fmt='svg'; dir='$(RESULTS)'; out='$(PLOTS)'" plots/charts.gp
	gnuplot -e "fmt='png'; dir='$(RESULTS)'; out='$(PLOTS)'" plots/charts.gp
	@echo "charts: $$(ls $(PLOTS)/*.svg | tr '\n' ' ')"

# ---- Claims checked against the committed results ---------------------------
# bench/paper_check.c reads the <!--pc ...--> notes beside each figure
# and ranking of PAPER.md and the README (the syntax: bench/paper_check.c) and the
# TSV files of bench/results/.
PAPER_CHECK := $(BUILD)/bench/paper-check
PAPER_DOCS := PAPER.md README.md

$(PAPER_CHECK): bench/paper_check.c bench/tsv.c bench/tsv.h
	@mkdir -p $(@D)
	$(CC_O2) $(STD) $(WARN) $(CFLAGS_O2) $(filter %.c,$^) -lm -o $@

paper-check: $(PAPER_CHECK)
	$(PAPER_CHECK) --results $(PAPER_RESULTS) $(PAPER_DOCS)

# The checker can fail: mutated copies of the docs must (no bench run).
paper-check-test: $(PAPER_CHECK) | test-begin
	@$(SUITE) "paper-check" tests/paper_check.sh $(PAPER_CHECK)

paper-update: $(PAPER_CHECK)
	$(PAPER_CHECK) --results $(PAPER_RESULTS) --update $(PAPER_DOCS)
	$(PAPER_CHECK) --results $(PAPER_RESULTS) $(PAPER_DOCS)

profile: $(BUILD)/bench/pidsim-bench-prof
	@mkdir -p $(RESULTS) $(BUILD)/profile
	$(BENCH_ENV) CPUPROFILE=$(BUILD)/profile/$(WORKLOAD)-$(DESIGN).prof CPUPROFILE_FREQUENCY=4000 \
		$< --only $(WORKLOAD) --design $(DESIGN) --size $(SIZE) --reps 15 \
		--min-ms 50 --no-ir --out $(BUILD)/profile >/dev/null
	$(PPROF) --text $< $(BUILD)/profile/$(WORKLOAD)-$(DESIGN).prof \
		> $(RESULTS)/profile-$(WORKLOAD)-$(DESIGN).txt 2>/dev/null
	$(PPROF) --svg $< $(BUILD)/profile/$(WORKLOAD)-$(DESIGN).prof \
		> $(RESULTS)/profile-$(WORKLOAD)-$(DESIGN).svg 2>/dev/null
	@head -25 $(RESULTS)/profile-$(WORKLOAD)-$(DESIGN).txt
	@echo "profile: $(RESULTS)/profile-$(WORKLOAD)-$(DESIGN).{txt,svg}"

# The target list at the top of this file.
help:
	@sed -n '/^# Targets/,/^#$$/{/^#   /s/^#   //p}' Makefile

clean:
	rm -rf $(BUILD)
