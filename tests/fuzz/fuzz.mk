# tests/fuzz/fuzz.mk -- libFuzzer harnesses for the parsers of untrusted input
# (included by the Makefile).
#
#   make fuzz             each harness for FUZZ_SECONDS (default 60)
#   make fuzz-smoke       each harness for FUZZ_SMOKE_SECONDS (default 3)
#
# The production sources are compiled again with clang into $(FUZZ_DIR)/obj,
# apart from the gcc objects, and put in an archive: a harness links only the
# members it needs.  Runs write new inputs into $(FUZZ_DIR)/corpus/<harness>,
# never into the seed dirs, and a crash leaves its input in
# $(FUZZ_DIR)/crash/<harness>/.

FUZZ_DIR	?= build/fuzz
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_SMOKE_SECONDS ?= 3
# More sanitizer flags, for a build of your own (with its own FUZZ_DIR).
FUZZ_SAN_EXTRA	?=
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
# -Werror stays with the gcc build: a clang-only warning in a file another
# engineer owns must not stop the fuzz build.
FUZZ_CFLAGS	:= -std=c11 -pthread -g -O1 $(filter-out -Werror,$(WARN)) \
		   $(FUZZ_SAN) $(FUZZ_SAN_EXTRA)
FUZZ_HARNESSES	:= graph exo batch token errmap header dn filter conf \
		   report
FUZZ_SRCS	:= $(filter-out agent/main.c,\
		   $(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
FUZZ_OBJS	:= $(FUZZ_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_LIB	:= $(FUZZ_DIR)/libsoabridge-fuzz.a
FUZZ_BINS	:= $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz_%)

# Seeds per harness: tests/fuzz/corpus/<harness> when it exists, plus these.
FUZZ_SEEDS_graph	:= tests/data/graph
FUZZ_SEEDS_exo		:= tests/data/exo
FUZZ_SEEDS_batch	:= tests/data/graph
FUZZ_SEEDS_token	:= tests/data/token
FUZZ_SEEDS_errmap	:= tests/data/graph tests/data/exo tests/data/token
FUZZ_SEEDS_dn		:= tests/data/ldap
FUZZ_SEEDS_filter	:= tests/data/ldap

.PHONY: fuzz fuzz-smoke fuzz-build

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC/FUZZ $<"
	@$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
	    $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_LIB): $(FUZZ_OBJS)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD/FUZZ $@"
	@$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) \
	    -o $@ $< $(FUZZ_LIB) $(PKG_LIBS)

-include $(FUZZ_OBJS:.o=.d)

fuzz-build: $(FUZZ_BINS)

# A ")" that make does not read as the end of a function call.
fuzz_rp := )

# Runs every harness for $(1) seconds; all run even after a crash, and the
# target fails naming each harness that crashed.
define fuzz_run
	@failed=""; for h in $(FUZZ_HARNESSES); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$h $(FUZZ_DIR)/crash/$$h; \
	  seeds=""; \
	  if [ -d tests/fuzz/corpus/$$h ]; then \
	    seeds=tests/fuzz/corpus/$$h; fi; \
	  case $$h in \
	  $(foreach g,$(FUZZ_HARNESSES),\
	    $(g)$(fuzz_rp) seeds="$$seeds $(FUZZ_SEEDS_$(g))";;) \
	  esac; \
	  echo "== fuzz_$$h $(1) s"; \
	  if ! $(FUZZ_DIR)/fuzz_$$h -max_total_time=$(1) -timeout=10 \
	      -rss_limit_mb=1024 -max_len=65536 -print_final_stats=0 \
	      -artifact_prefix=$(FUZZ_DIR)/crash/$$h/ \
	      $(FUZZ_DIR)/corpus/$$h $$seeds \
	      >$(FUZZ_DIR)/fuzz_$$h.log 2>&1; then \
	    tail -n 40 $(FUZZ_DIR)/fuzz_$$h.log; \
	    echo "fuzz: fuzz_$$h FAILED: input in" \
	      "$(FUZZ_DIR)/crash/$$h/, log in $(FUZZ_DIR)/fuzz_$$h.log"; \
	    failed="$$failed $$h"; \
	  else \
	    grep -E '^Done' $(FUZZ_DIR)/fuzz_$$h.log | tail -n 1; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashed:$$failed"; exit 1; fi; \
	echo "fuzz: $(words $(FUZZ_HARNESSES)) harnesses, no crash"
endef

fuzz: fuzz-build
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-smoke: fuzz-build
	$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))
