# soabridge: writes cloud-managed state (Entra ID, Exchange Online) back into Active Directory.
#
#   make            build build/soabridge
#   make test       install missing packages, build, run unit, fake cloud, lab and integration tests
#   make check      the same tests built with ASan and UBSan
#   make lint       purity of mapping/, banned calls, cppcheck
#   make demo       start the lab DC and the fake cloud, then run soabridge against them
#   make lab        start the lab DC and the fake cloud, write tests/lab/run/soabridge.conf
#   make deps       install the Debian packages that are missing (root) or print the command
#   make install    PREFIX=/usr/local DESTDIR= (binary, example config, systemd unit)

VERSION   := 0.1.0
PREFIX    ?= /usr/local
SBINDIR   ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR   ?= $(PREFIX)/lib/systemd/system
BUILD     ?= build
CC        ?= cc
# krb5, krb5-gssapi, libsasl2: GSSAPI (Kerberos keytab) binds (ldap/kerberos.c, ldap/sasl.c).
PKGS      := ldap lber libcurl jansson libconfuse sqlite3 openssl libsystemd krb5 krb5-gssapi \
             libsasl2

# Sanitizer build (make check): separate object tree, same sources.
ifeq ($(SAN),1)
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT       := -O1
else
SANFLAGS  :=
OPT       := -O2
endif

WARN      := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wvla
CPPFLAGS  += -I. -D_DEFAULT_SOURCE -DSOABRIDGE_VERSION='"$(VERSION)"'
CFLAGS    ?= $(OPT) -g
CFLAGS    += -std=c11 -pthread $(WARN) $(SANFLAGS)
LDFLAGS   += -pthread $(SANFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lldap -llber -lcurl -ljansson -lconfuse -lsqlite3 -lssl -lcrypto -lsystemd -lkrb5 -lk5crypto -lcom_err -lgssapi_krb5 -lsasl2) -lresolv

MODULES   := mapping conf ldap cloud agent agent/store agent/report agent/cmd
LIB_SRCS  := $(filter-out agent/main.c,$(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ  := $(BUILD)/obj/agent/main.o
MAPPING_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard mapping/*.c))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps test unit integ lab-tests fakecloud-tests bench-tests check lint lint-pure lint-layout lint-tests format-check \
        lab lab-stop demo install clean bench

all: $(BUILD)/soabridge

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/soabridge: $(MAIN_OBJ) $(LIB_OBJS)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The test binary: the same objects, but tests/hooks/testhook.c in place of
# the shipped no-op agent/testhook.c (crash and race points for
# tests/integration).  Never installed; build/soabridge holds no hook.
HOOK_OBJ  := $(BUILD)/obj/tests/hooks/testhook.o
$(BUILD)/soabridge-test: $(MAIN_OBJ) $(filter-out $(BUILD)/obj/agent/testhook.o,$(LIB_OBJS)) $(HOOK_OBJ)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(PKG_LIBS) -lcmocka

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(HOOK_OBJ:.o=.d)

deps:
	@sh tests/deps.sh

# Unit tests: pure code, no network, seconds.
unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; \
	  SOABRIDGE_TEST_DATA=tests/data $$t; done

fakecloud-tests:
	/usr/bin/python3 -m unittest discover -s tests/fakecloud -p 'test_*.py' -v

# The bench's generator and plan2ldif (not the bench itself: make bench).
bench-tests:
	/usr/bin/python3 -m unittest discover -s tests/bench -p 'test_*.py' -v

lab-tests: $(BUILD)/soabridge
	tests/lab/test-lab

# Integration tests drive the built binary against the lab DC and the fake cloud.
integ: $(BUILD)/soabridge $(BUILD)/soabridge-test
	BUILD=$(BUILD) tests/integration/run

test: deps
	$(MAKE) all unit lint-pure lint-layout lint-tests
	$(MAKE) fakecloud-tests bench-tests
	$(MAKE) lab-tests
	$(MAKE) integ

check: deps
	$(MAKE) SAN=1 BUILD=build/san all unit
	$(MAKE) fuzz-smoke
	$(MAKE) SAN=1 BUILD=build/san integ

# mapping/ is pure: libc and its own headers only.  nm catches what a macro hides.
lint-pure: $(MAPPING_OBJS)
	@! grep -nE '#[[:space:]]*include[[:space:]]*[<"](ldap|lber|curl/curl|jansson|confuse|sqlite3|openssl/[a-z]+)\.h' mapping/*.[ch]
	@! grep -nE '#[[:space:]]*include[[:space:]]*"(\.\./)?(agent|ldap|cloud|conf)/' mapping/*.[ch]
	@! nm -u $(MAPPING_OBJS) | grep -E ' U (ldap_|ber_|curl_|json_|cfg_|sqlite3_|time$$|fopen$$|getenv$$|rand$$)'
	@echo "lint-pure: mapping/ is pure"

# The layout: no include cycle, each folder includes only what README's
# "Layout" allows, no file over 600 lines, no function over 80.
lint-layout:
	@python3 tests/lint/layering.py; rc=$$?; \
	  python3 tests/lint/sizes.py && exit $$rc

# The house style is written down in .clang-format.  Code written before it
# (up to the commit in tests/lint/format-base) keeps its hand layout; every
# line of a .c file changed since then must be as clang-format lays it out.
# Headers are left out: their tab-aligned declarations and struct members
# are a layout clang-format cannot express, and one line edited in such a
# block must stay aligned with its neighbours.
FORMAT_PATHS := $(foreach m,$(MODULES),'$(m)/*.c') 'tests/unit/*.c' \
		'tests/fuzz/*.c'
format-check:
	@base=$$(cat tests/lint/format-base); \
	if ! git rev-parse -q --verify "$$base^{commit}" >/dev/null; then \
	  echo "format-check: commit $$base (tests/lint/format-base) is not" \
	    "in this clone: fetch the history (git fetch --unshallow)"; \
	  exit 1; fi; \
	out=$$(git diff -U0 --no-color "$$base" -- $(FORMAT_PATHS) | \
	  clang-format-diff -p1) || exit 1; \
	if [ -n "$$out" ]; then printf '%s\n' "$$out"; \
	  echo "format-check: lines changed since $$base are not laid out" \
	    "as .clang-format says ('clang-format-diff -p1 -i' on" \
	    "'git diff -U0 $$base' fixes them)"; exit 1; fi; \
	echo "format-check: lines changed since $$base follow .clang-format"

lint-tests:
	/usr/bin/python3 -m unittest discover -s tests/lint -p 'test_*.py' -v

lint: lint-pure lint-layout format-check
	@! grep -nwE '(strcpy|strcat|sprintf|vsprintf|gets|atoi|strtok)[[:space:]]*\(' \
	    $(foreach m,$(MODULES),$(m)/*.c) tests/unit/*.c || { echo "lint: banned call"; false; }
	@if command -v cppcheck >/dev/null; then \
	  cppcheck -q --error-exitcode=1 --std=c11 --inline-suppr -I. \
	    --suppress=missingIncludeSystem --suppress=unusedFunction \
	    mapping conf ldap cloud agent; else echo "lint: cppcheck not installed, skipped"; fi
	@echo "lint: ok"

include tests/fuzz/fuzz.mk

lab: deps all
	tests/lab/lab start
	tests/fakecloud/fakecloud start --tenant tests/fixtures/demo-tenant.json
	tests/lab/mkconf > tests/lab/run/soabridge.conf
	@echo "lab: config written to tests/lab/run/soabridge.conf"

lab-stop:
	-tests/fakecloud/fakecloud stop
	-tests/lab/lab stop

demo: lab
	tests/demo

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/soabridge
	install -m 0755 $(BUILD)/soabridge $(DESTDIR)$(SBINDIR)/soabridge
	test -e $(DESTDIR)$(SYSCONFDIR)/soabridge/soabridge.conf || \
	  install -m 0640 conf/soabridge.conf.example $(DESTDIR)$(SYSCONFDIR)/soabridge/soabridge.conf
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	  contrib/soabridge.service > $(DESTDIR)$(UNITDIR)/soabridge.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/soabridge.service

# Speed and memory: the planner over synthetic tenants (objects/s, peak RSS), then soabridge
# against a generated tenant and AD of SCALE users on the lab, beside the floor for the same work
# (tests/bench/bench.py; results in build/bench/results.json).  Never part of `make test`.
SCALE ?= 10000
LATENCIES ?= 0 100
$(BUILD)/bench/bench_plan: tests/bench/bench_plan.c $(MAPPING_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(MAPPING_OBJS)

bench: deps all $(BUILD)/bench/bench_plan
	$(BUILD)/bench/bench_plan 10000
	$(BUILD)/bench/bench_plan 100000
	/usr/bin/python3 tests/bench/bench.py --scale $(SCALE) --latency $(LATENCIES)

clean:
	rm -rf build
