#!/bin/bash
# 096: the DC lost in the middle of a sync of 2,000 changes (issue 15,
# item 3).  The lab DC is stopped once writes are under way: the run stops
# cleanly (no further write, exit 1, an error naming the DC's URI and
# dnsHostName), its journal settled but for the one write whose reply never
# came (left pending).  The DC back: the next run settles that row by
# reading AD and writes the rest (exit 0, no pending row), and a plan after
# it shows nothing left to change.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/state-lib.sh"
t0=$(date +%s)
lab_reset
# Whatever happens, the lab is left running for the tests after this one.
trap '"$TOP/tests/lab/lab" status >/dev/null 2>&1 || "$TOP/tests/lab/lab" start >/dev/null 2>&1
      [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT

N=2000
MAILBOX_USERS_OFFLINE=1 mailbox_users $N
conf=$(lab_conf max_changes=100000 max_deletes=100000)
echo "# seeded $N users in $(( $(date +%s) - t0 ))s"

"$SOABRIDGE" -v -c "$conf" sync >"$T/s1.out" 2>"$T/s1.err" & pid=$!
applied() { grep -c 'sync.apply .* result=applied' "$T/s1.err"; }
# A function, so that each poll counts again.
under_way() { [ "$(applied)" -ge 300 ]; }
within 600 under_way
check "writes are under way (300 applied)" [ "$(applied)" -ge 300 ]
"$TOP/tests/lab/lab" stop >/dev/null
wait "$pid"; rc=$?
echo "# stopped the DC after $(( $(date +%s) - t0 ))s"
check "the sync that lost its DC exits 1" [ $rc -eq 1 ]
host=$(sed -n 's/.*ad.connect uri=.* host="\([^"]*\)".*result=ok.*/\1/p' "$T/s1.err" | head -1)
check "the run logged the DC's dnsHostName at connect ($host)" [ -n "$host" ]
grep -q "sync: lost the DC mid-run: .*$LAB_LDAP_URI ($host)" "$T/s1.err"
verdict "the error names the DC: its URI and dnsHostName"
[ $? -eq 0 ] || grep -v 'result=applied' "$T/s1.err" | tail -5 | sed 's/^/#   /'
n1=$(applied)
check "it stopped part-way ($n1 of $N applied)" [ "$n1" -lt $N ]
after=$(awk '/sync: lost the DC/{f=1} f && /sync.apply .*result=applied/' "$T/s1.err" | wc -l)
check "no write after the loss" [ "$after" -eq 0 ]
pending=$(sql "SELECT COUNT(DISTINCT run || ':' || seq) FROM journal WHERE state = 'pending'")
check "at most the one unanswered change is left pending ($pending)" [ "$pending" -le 1 ]
check "the run is recorded as failed, naming the DC" \
    [ "$(sql "SELECT outcome FROM runs WHERE message LIKE '%lost the DC%$host%'")" = failed ]

"$TOP/tests/lab/lab" start >/dev/null || { nok "the lab did not start again"; finish; exit; }
"$SOABRIDGE" -c "$conf" sync >"$T/s2.out" 2>"$T/s2.err"; rc=$?
check "the next run exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -5 "$T/s2.err" | sed 's/^/#   /'
check "the journal has no pending row" [ "$(sql "SELECT COUNT(*) FROM journal WHERE state = 'pending'")" = 0 ]
if [ "$pending" -gt 0 ]; then
	grep -q "settled the unanswered writes of 1 run that lost the DC" "$T/s2.err"
	verdict "the next run settled the unanswered write by reading AD"
fi
sb_plan "$T/plan.json"; rc=$?
[ $rc -eq 0 ] && jtrue "$T/plan.json" "len(d['changes']) == 0"
verdict "a plan after it shows nothing left to change (converged)"
echo "# took $(( $(date +%s) - t0 ))s"
finish
