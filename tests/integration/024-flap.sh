#!/bin/bash
# 024: flap quarantine.  An attribute soabridge wrote that someone changes
# back in AD after each of three runs quarantines its object on the next run:
# nothing more is written to it, the plan and sync show a finding of kind
# flap, status lists it; release (by DN or GUID) ends the quarantine.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset
mailbox_users 2
S="OU=Staff,$LAB_BASE_DN"
FLAP="CN=User 0000,$S" STEADY="CN=User 0001,$S"
conf=$(lab_conf)

revert() {
	admodify >/dev/null <<EOF
dn: $FLAP
changetype: modify
replace: extensionAttribute1
extensionAttribute1: put-back-by-hand
EOF
}

for run in 1 2 3; do
	sb "$conf" sync --format json >"$T/sync$run.json" 2>"$T/err"; rc=$?
	[ $rc -eq 0 ] && has_change "$T/sync$run.json" "$FLAP"
	verdict "sync $run writes the object"
	same_vals "sync $run: extensionAttribute1 is the cloud's" "$FLAP" extensionAttribute1 cloud-one-0
	revert
done
check "two reverts counted so far (the third is seen by the next run)" [ "$(sql "SELECT count FROM flaps WHERE attr = 'extensionAttribute1'")" = 2 ]

usn=$(usn_changed "$FLAP")
sb "$conf" sync --format json >"$T/sync4.json" 2>"$T/err"; rc=$?
check "sync 4 exits 0" [ $rc -eq 0 ]
check "sync 4 does not write the flapping object" not has_change "$T/sync4.json" "$FLAP"
check "... a finding of kind flap says why" has_finding "$T/sync4.json" flap "$FLAP"
check "... naming the attribute and the count" jtrue "$T/sync4.json" \
    "any(f['kind'] == 'flap' and f['attribute'] == 'extensionAttribute1' and '3 consecutive runs' in f['message'] for f in d['findings'])"
check "... and its value stays the one put back" [ "$(ad_vals "$FLAP" extensionAttribute1)" = put-back-by-hand ]
check "... uSNChanged unchanged" [ "$(usn_changed "$FLAP")" = "$usn" ]
check "the other object is not quarantined" not has_finding "$T/sync4.json" flap "$STEADY"

sb "$conf" status >"$T/status.txt"
check "status lists the quarantined object" grep -q "^  $FLAP {.*}: extensionAttribute1 changed back in AD on 3 consecutive runs" "$T/status.txt"
check "status health: attention" grep -q "^health: *attention" "$T/status.txt"
sb "$conf" status --format json >"$T/status.json"
check "status --format json lists it" jtrue "$T/status.json" \
    "[q['dn'] for q in d['quarantined']] == [a[0]] and d['health'] == 'attention'" "$FLAP"
guid=$(jpy "$T/status.json" "d['quarantined'][0]['guid']")

sb "$conf" plan --format json >"$T/plan.json" 2>/dev/null
check "plan shows the quarantine as a flap finding" has_finding "$T/plan.json" flap "$FLAP"
check "plan has no change for it" not has_change "$T/plan.json" "$FLAP"
sb "$conf" sync --format json >"$T/sync5.json" 2>"$T/err"
check "sync 5: still quarantined (by run 4)" jtrue "$T/sync5.json" \
    "any(f['kind'] == 'flap' and 'quarantined by run 4' in f['message'] for f in d['findings'])"
check "... still not written" [ "$(usn_changed "$FLAP")" = "$usn" ]

sb "$conf" release "$FLAP" >"$T/rel.txt" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q "^released $FLAP {$guid}" "$T/rel.txt"
verdict "release DN: exit 0, says what it released"
sb "$conf" status --format json >"$T/status.json"
check "status: nothing quarantined, health ok" jtrue "$T/status.json" \
    "d['quarantined'] == [] and d['health'] == 'ok'"
sb "$conf" sync --format json >"$T/sync6.json" 2>"$T/err"
check "the next sync writes it again" has_change "$T/sync6.json" "$FLAP"
same_vals "extensionAttribute1 is the cloud's again" "$FLAP" extensionAttribute1 cloud-one-0
sb "$conf" release "$FLAP" 2>"$T/err"; rc=$?
[ $rc -eq 1 ] && grep -q "is not quarantined" "$T/err"; verdict "release of an object not quarantined: exit 1"

# flap_threshold = 1: one revert quarantines; release by GUID.
sed 's/flap_threshold = 3/flap_threshold = 1/' "$conf" > "$T/one.conf"
revert
sb "$T/one.conf" sync --format json >"$T/sync7.json" 2>"$T/err"
check "flap_threshold = 1: one revert quarantines" has_finding "$T/sync7.json" flap "$FLAP"
guid=$(sb "$conf" status --format json | jpy /dev/stdin "d['quarantined'][0]['guid']")
sb "$conf" release "{$(echo "$guid" | tr a-f A-F)}" >"$T/rel.txt" 2>&1; rc=$?
check "release by GUID (braces, any case): exit 0" [ $rc -eq 0 ]
sb "$T/one.conf" sync --format json >"$T/sync8.json" 2>"$T/err"
check "... and the next sync writes it" has_change "$T/sync8.json" "$FLAP"
finish
