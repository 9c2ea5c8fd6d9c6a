# tests/fuzz/fuzz.mk -- libFuzzer harnesses for the parsers of untrusted input
# (included by the Makefile).  Filled in by issue 13 item 9.
.PHONY: fuzz fuzz-smoke
fuzz:
	@echo "fuzz: no harness yet"; false
fuzz-smoke:
	@echo "fuzz-smoke: no harness yet"; false
