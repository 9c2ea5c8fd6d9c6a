#!/bin/bash
# 094: issue 16, the status line of a long run.  Run on a terminal (a
# pseudo-terminal from script(1)), sync shows "read N objects" while it
# reads and "written X/Y" while it writes, redrawn in place (\r, erase to
# the end of the line), and no printed line keeps it: a log line (-v) or
# the plan clears it first.  With stderr not a terminal, or with -q, not a
# byte of it appears.
. "$(dirname "$0")/lib.sh"

setup() {
	lab_reset
	seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
	seed_ldif "$TOP/tests/fixtures/demo-groups.ldif"
	load_tenant "$TOP/tests/fixtures/demo-tenant.json"
}
# Runs soabridge ARGS on a pseudo-terminal; what the terminal got is in
# $T/tty.  Returns its exit code.
on_tty() {
	local cmd q
	cmd=$(printf '%q ' "$SOABRIDGE" -c "$(lab_conf)" "$@")
	script -qefc "$cmd" /dev/null </dev/null >"$T/tty"
}
# What a terminal shows of each finished line: the text after the last
# "\r ESC[K" on it.  None may be the status line.
no_status_kept() {
	/usr/bin/python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
lines = data.split("\n")[:-1]
bad = [l for l in lines if re.match(r"(read \d+|.*written \d+/)", l.split("\r\x1b[K")[-1].replace("\r", ""))]
sys.exit(1 if bad else 0)
PY
}

setup
on_tty -v sync; rc=$?
check "sync on a terminal exits 0" [ $rc -eq 0 ]
check "it showed the objects read, in place" grep -qaP '\r\x1b\[Kread \d+ objects' "$T/tty"
check "and the writes against the plan" grep -qaP '\r\x1b\[Kread \d+, planned \d+, written \d+/\d+' "$T/tty"
sb_plan "$T/after.json"
check "the writes landed: a plan after it has nothing to change" \
    jtrue "$T/after.json" "len(d['changes']) == 0"
check "no printed line keeps the status line (log lines, the plan)" no_status_kept "$T/tty"

setup
"$SOABRIDGE" -c "$(lab_conf)" sync >"$T/out" 2>"$T/err"; rc=$?
check "sync with stderr not a terminal exits 0" [ $rc -eq 0 ]
check "and draws no status line" not grep -qaP '\x1b\[K|\r' "$T/err" "$T/out"

setup
on_tty -q sync; rc=$?
check "sync -q on a terminal exits 0" [ $rc -eq 0 ]
check "and draws no status line" not grep -qaP '\x1b\[K|read \d+ objects' "$T/tty"
finish
