# One non-recursive make for the whole project (STYLE.md section 7).
# Sources are found by wildcard: a new .c file in a module directory is built
# and linked without touching this file; tests/unit/test_*.c each become a
# test program linked against every module library.
CC ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config
BUILD ?= build
PREFIX ?= /usr/local
PKGS := libxml-2.0 zlib icu-uc icu-i18n opencc libmicrohttpd jansson
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
XAPIAN_CXXFLAGS := $(shell $(PKG_CONFIG) --cflags xapian-core 2>/dev/null)
XAPIAN_LIBS := $(shell $(PKG_CONFIG) --libs xapian-core 2>/dev/null || echo -lxapian)
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null | sed 's/-I/-isystem /g')
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
OPT ?= -O2
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(OPT) -g \
	-MMD -MP -I. $(PKG_CFLAGS) $(CFLAGS)
ALL_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror $(OPT) -g -MMD -MP -I. \
	$(XAPIAN_CXXFLAGS) $(CXXFLAGS)
LIBS = $(PKG_LIBS) $(XAPIAN_LIBS) -lpthread -lm
ifdef SANITIZE
SAN := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
ALL_CFLAGS += $(SAN)
ALL_CXXFLAGS += $(SAN) -DXS_TESTING
LDFLAGS += $(SAN)
endif
ifdef XS_TESTING
ALL_CXXFLAGS += -DXS_TESTING
endif

# Debian packages the project needs, in one place (make deps installs them).
DEB_PKGS := build-essential pkg-config libxapian-dev xapian-tools libicu-dev \
	libopencc-dev libopencc-data opencc python3-jieba libmicrohttpd-dev \
	libjansson-dev libxml2-dev zlib1g-dev curl wrk groonga-bin sqlite3 \
	chromium fonts-wqy-microhei jq time systemd
# Node.js and npm (for the browser test's playwright-core) are taken from
# Debian only when the machine has no node/npm of its own.
NODE_PKGS := nodejs npm

BIN := $(BUILD)/bin
common_SRC := $(wildcard common/*.c)
analysis_SRC := $(wildcard analysis/*.c)
indexer_SRC := $(filter-out indexer/main.c,$(wildcard indexer/*.c))
searchd_SRC := $(filter-out searchd/main.c,$(wildcard searchd/*.c))
shim_SRC := $(wildcard shim/*.cc)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(patsubst %.cc,$(BUILD)/%.o,$(1)))
LIB_CORE := $(BUILD)/libcore.a
LIB_IDX := $(BUILD)/libidx.a
LIB_SD := $(BUILD)/libsd.a
CORE_OBJ := $(call obj,$(common_SRC) $(analysis_SRC) $(shim_SRC)) $(BUILD)/profiles.o \
	$(BUILD)/synonyms.o
IDX_OBJ := $(call obj,$(indexer_SRC))
SD_OBJ := $(call obj,$(searchd_SRC))
TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))

all: $(BIN)/indexer $(BIN)/searchd $(TOOLS)

$(LIB_CORE): $(CORE_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
$(LIB_IDX): $(IDX_OBJ) | $(BUILD)
	rm -f $@ && ar rcs $@ $^
$(LIB_SD): $(SD_OBJ) | $(BUILD)
	rm -f $@ && ar rcs $@ $^
$(BUILD):
	@mkdir -p $(BUILD)

# searchd/assets/* (the portal page) are compiled into the binary.
# profiles/*.conf (the ingest profiles) likewise, into every program.
ASSETS := $(sort $(wildcard searchd/assets/*))
PROFILES := $(sort $(wildcard profiles/*.conf))
$(BUILD)/assets.c: $(ASSETS) tests/tools/embed.sh
	@mkdir -p $(@D)
	sh tests/tools/embed.sh assets $(ASSETS) > $@
$(BUILD)/profiles.c: $(PROFILES) tests/tools/embed.sh
	@mkdir -p $(@D)
	sh tests/tools/embed.sh builtin_profiles $(PROFILES) > $@
# analysis/synonyms.txt and fillers.txt (the query word tables) likewise.
$(BUILD)/synonyms.c: analysis/synonyms.txt analysis/fillers.txt tests/tools/embed.sh
	@mkdir -p $(@D)
	sh tests/tools/embed.sh builtin_synonyms analysis/synonyms.txt analysis/fillers.txt > $@
$(BUILD)/synonyms.o: $(BUILD)/synonyms.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@
$(BUILD)/assets.o: $(BUILD)/assets.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@
$(BUILD)/profiles.o: $(BUILD)/profiles.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(BIN)/indexer: $(BUILD)/indexer/main.o $(LIB_IDX) $(LIB_CORE)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)
$(BIN)/searchd: $(BUILD)/searchd/main.o $(BUILD)/assets.o $(LIB_SD) $(LIB_IDX) $(LIB_CORE)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/assets.o $(LIB_SD) $(LIB_IDX) $(LIB_CORE)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/tools/%: $(BUILD)/tests/tools/%.o $(LIB_SD) $(LIB_IDX) $(LIB_CORE)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
$(BUILD)/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

tests: all $(TESTS)
test: tests
	BUILD=$(BUILD) sh tests/run.sh
check: test
asan:
	$(MAKE) SANITIZE=address,undefined BUILD=build-asan OPT=-O1 test
bench: all
	sh bench/run.sh
run: deps all
	sh tests/tools/run.sh
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done; \
	  command -v npm >/dev/null 2>&1 || echo $(NODE_PKGS)); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "deps: all Debian packages present"; fi
	@if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules/playwright-core ]; then \
	  (cd tests/browser && npm install --no-audit --no-fund --silent); fi
install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BIN)/indexer $(BIN)/searchd $(DESTDIR)$(PREFIX)/bin/
clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
.PHONY: all tests test check asan bench run deps install clean
.SECONDARY:
