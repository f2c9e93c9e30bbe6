# conclab -- one non-recursive Makefile.
#   make            build ./conclab
#   make run        build and start the dashboard
#   make test       build and run the unit and end-to-end tests
#   make bench      speed figures (trace events, calibration, parallel efficiency)
#   make sizes      file and function lengths against the limits
#   make install PREFIX=/usr/local DESTDIR=
#   SANITIZER=address|undefined|thread adds -fsanitize

PREFIX ?= /usr/local
CC ?= cc
BUILD ?= build$(if $(SANITIZER),-$(subst $(comma),-,$(SANITIZER)))
comma := ,

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
       -Wwrite-strings -Wpointer-arith -Wundef
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Iinclude -MMD -MP \
             -DCONCLAB_PREFIX='"$(PREFIX)"'
LDLIBS = -lncursesw -lpthread -lm
ifneq ($(SANITIZER),)
ALL_CFLAGS += -fsanitize=$(SANITIZER) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZER)
endif
ifeq ($(WERROR),1)
ALL_CFLAGS += -Werror
endif

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(BUILD)/%.o)
LIB_OBJS := $(filter-out $(BUILD)/main.o,$(OBJS))
TEST_SRCS := $(wildcard tests/check_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
# Under ThreadSanitizer the suites that start no thread (the lab screens
# drawn from synthetic traces: 64 of TSan's 125 s) are built, not run;
# they run in the plain and the ASan passes.
TSAN_SKIP := check_screens check_screens_legend
UNIT_BINS := $(if $(filter thread,$(SANITIZER)),$(filter-out \
	$(TSAN_SKIP:%=$(BUILD)/tests/%),$(TEST_BINS)),$(TEST_BINS))
BIN = conclab

.PHONY: all run test unit e2e bench install clean build-deps check-deps e2e-deps sizes

all: $(BIN)

# Every build keeps its binary (and a copy of labs/) in $(BUILD); the default
# build is also copied to ./conclab, which finds labs/ beside it.
# (a changed lab file is copied again: the copy depends on labs/ too)
LAB_FILES = $(wildcard labs/*.lab labs/py/*.py)
$(BUILD)/conclab: $(OBJS) $(LAB_FILES)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)
	mkdir -p $(BUILD)/labs/py && cp labs/*.lab $(BUILD)/labs/ && cp labs/py/*.py $(BUILD)/labs/py/
TEST_CONCLAB = $(CURDIR)/$(BUILD)/conclab
ifeq ($(SANITIZER)$(BUILD),build)
# Copy, then rename: a conclab still running in another terminal keeps its
# old file instead of making cp fail with "Text file busy".
$(BIN): $(BUILD)/conclab
	cp $(BUILD)/conclab $(BIN).new && mv -f $(BIN).new $(BIN)
else
$(BIN): $(BUILD)/conclab
endif

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD): | build-deps
	mkdir -p $(BUILD)/tests

run: $(BIN)
	./$(BIN)

# What the build and the tests need: installed when missing (as root, with
# apt-get), or make stops with the command that installs it.  The build needs
# a C compiler and the ncurses headers; unit tests use Check; end-to-end tests
# drive the dashboard in tmux and read reports with python3.
build-deps:
	@sh tests/deps.sh "make" "a C compiler and the ncurses headers" \
	    "printf '#include <curses.h>\\n' | $(CC) -E -x c - -o /dev/null" \
	    build-essential libncurses-dev

check-deps:
	@sh tests/deps.sh "make test" "the Check test framework" \
	    'pkg-config --exists check || [ -f /usr/include/check.h ]' check

e2e-deps:
	@sh tests/deps.sh "make e2e" "tmux, python3 and procps" \
	    'command -v tmux && command -v python3 && command -v pgrep' tmux python3 procps

CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(LIB_OBJS) | $(BUILD) check-deps
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Itests -o $@ $< $(LIB_OBJS) \
	    $(LDFLAGS) $(CHECK_LIBS) $(LDLIBS)

# unit, then e2e -- never both at once, even with -j (the suites measure
# time); with -k the e2e suite runs after a unit failure too.
test:
	@$(MAKE) --no-print-directory unit; st=$$?; \
	  if [ $$st = 0 ] || [ -n "$(findstring k,$(firstword -$(MAKEFLAGS)))" ]; then \
	    $(MAKE) --no-print-directory e2e || st=1; fi; exit $$st

unit: check-deps $(TEST_BINS) $(BIN)
	@failed=0; for t in $(UNIT_BINS); do \
	  CONCLAB_LABS=$(CURDIR)/labs CONCLAB_FIXTURES=$(CURDIR)/tests/fixtures \
	  CONCLAB_BIN=$(TEST_CONCLAB) $$t || failed=1; done; \
	  [ $$failed = 0 ] || { echo "unit tests failed"; exit 1; }

e2e: e2e-deps $(BIN)
	@CONCLAB_BIN=$(TEST_CONCLAB) CONCLAB_SANITIZER=$(SANITIZER) sh tests/e2e/run.sh

bench: $(BIN) $(BUILD)/tests/bench_main $(BUILD)/tests/bench_dash $(BUILD)/tests/bench_proctrace
	CONCLAB_LABS=$(CURDIR)/labs $(BUILD)/tests/bench_main
	$(BUILD)/tests/bench_proctrace
	CONCLAB_LABS=$(CURDIR)/labs $(BUILD)/tests/bench_dash 5
	CONCLAB_LABS=$(CURDIR)/labs sh tests/bench_server.sh $(TEST_CONCLAB)

$(BUILD)/tests/bench_%: tests/bench_%.c $(LIB_OBJS) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -o $@ $< $(LIB_OBJS) $(LDFLAGS) $(LDLIBS)

# Issue 13's size limits: files, the frame loop, functions (prints the longest).
sizes:
	@sh tests/sizes.sh src

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/conclab/labs
	install -m 755 $(BUILD)/conclab $(DESTDIR)$(PREFIX)/bin/conclab
	install -m 644 labs/*.lab $(DESTDIR)$(PREFIX)/share/conclab/labs/
	install -d $(DESTDIR)$(PREFIX)/share/conclab/labs/py
	install -m 644 labs/py/*.py $(DESTDIR)$(PREFIX)/share/conclab/labs/py/

clean:
	rm -rf build build-* $(BIN)

-include $(OBJS:.o=.d)
# each test's headers (its fixture: screens_fx.h, view_fx.h, verdict_fx.h)
-include $(TEST_BINS:=.d)

# Fuzzing with libFuzzer (clang): every parser that takes outside input.
# make fuzz FUZZ_SECONDS=60 runs each target for that long from tests/fuzz/corpus.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = lab expr config proc proto
FUZZ_BUILD = build-fuzz
FUZZ_SRCS = $(filter-out src/main.c src/ui.c src/canvas.c $(wildcard src/dash*.c) $(wildcard src/view*.c),$(SRCS))
# The library is compiled once for every target (-fsanitize=fuzzer-no-link:
# instrumented, without libFuzzer's main) into an archive; each target links
# its harness with just the members it needs (so screen code is never pulled).
FUZZ_OBJS = $(FUZZ_SRCS:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_LIB = $(FUZZ_BUILD)/libconclab.a
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=c11 -g -O1 -D_GNU_SOURCE -Iinclude $(FUZZ_SAN) -MMD -MP \
              -DCONCLAB_PREFIX='"$(PREFIX)"'

.PHONY: fuzz fuzz-deps
fuzz-deps:
	@sh tests/deps.sh "make fuzz" "clang and libFuzzer" \
	    "echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' | \
	     clang -x c -fsanitize=fuzzer - -o /dev/null" clang libclang-rt-dev

$(FUZZ_BUILD)/obj/%.o: src/%.c | fuzz-deps
	@mkdir -p $(FUZZ_BUILD)/obj
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) | fuzz-deps
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LDLIBS)

-include $(FUZZ_OBJS:.o=.d)

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus-$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=1 $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	    -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
	    $(FUZZ_BUILD)/corpus-$$t tests/fuzz/corpus/$$t 2>$(FUZZ_BUILD)/fuzz_$$t.log || \
	    { tail -40 $(FUZZ_BUILD)/fuzz_$$t.log; echo "fuzz $$t: FAILED (crash input saved as crash-*)"; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|stat::peak_rss' $(FUZZ_BUILD)/fuzz_$$t.log; \
	done

# Long checks whose results go in the issue notes, not in CI.
.PHONY: valgrind
valgrind: $(BIN)
	CONCLAB_LABS=$(CURDIR)/labs sh tests/long/valgrind.sh $(TEST_CONCLAB)

.PHONY: signals
TRIALS ?= 200
KILL_TRIALS ?= 50
signals: $(BIN)
	CONCLAB_LABS=$(CURDIR)/labs sh tests/long/signals.sh $(TEST_CONCLAB) $(TRIALS) $(KILL_TRIALS)

# The classic Python clients against every server mode (ratios per mode).
.PHONY: classic
classic: $(BIN)
	sh tests/long/classic.sh $(TEST_CONCLAB)

# Hostile clients against the server for HOSTILE_SECONDS of RST storm
# (issue 16's must-show: evloop-pool; HOSTILE_MODES="..." for others).
# With SANITIZER=address,undefined any sanitizer report fails it.
HOSTILE_SECONDS ?= 60
HOSTILE_MODES ?= evloop-pool
.PHONY: hostile
hostile: $(BIN)
	CONCLAB_BIN=$(TEST_CONCLAB) HOSTILE_SECONDS=$(HOSTILE_SECONDS) \
	    HOSTILE_MODES="$(HOSTILE_MODES)" sh tests/e2e/t_hostile.sh

# The dashboard left open on a lab for DASH_SOAK_SECONDS (default an hour).
DASH_SOAK_SECONDS ?= 3600
.PHONY: dash-soak
dash-soak: $(BIN)
	sh tests/long/dash_soak.sh $(TEST_CONCLAB) $(DASH_SOAK_SECONDS)

.PHONY: soak
SOAK_SECONDS ?= 600
soak: $(BIN)
	sh tests/long/soak.sh $(TEST_CONCLAB) $(SOAK_SECONDS)
