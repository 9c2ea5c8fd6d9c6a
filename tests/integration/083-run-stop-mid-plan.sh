#!/bin/bash
# 083: SIGTERM while run's writer has an object in hand (issue 14): the
# write in hand completes, no further object is started, the run is
# recorded 'stopped' with what was applied, run exits 0, and the next sync
# plans and applies only what was left.  The test binary raises SIGTERM
# just before the second change's LDAP write (SOABRIDGE_TEST_TERM_AT).
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
users="" mailboxes="" dns=()
for n in 1 2 3; do
	dn="CN=Stop User$n,$S" id=10000000-0000-4000-8000-00000008300$n
	g=$(hex_b64 5a0b1c2d3e4f4011800000000008300$n)
	dns+=("$dn")
	seed_ldif <<EOF
dn: $dn
objectClass: user
sAMAccountName: stop.user$n
displayName: Stop User$n
mS-DS-ConsistencyGuid:: $g
EOF
	users="$users${users:+,}
 {\"id\": \"$id\", \"userPrincipalName\": \"stop.user$n@corp.example.test\", \"displayName\": \"Stop User$n\",
  \"onPremisesImmutableId\": \"$g\", \"onPremisesSyncEnabled\": true, \"onPremisesSyncBehavior\": {\"isCloudManaged\": false}}"
	mailboxes="$mailboxes${mailboxes:+,}
 {\"ExternalDirectoryObjectId\": \"$id\", \"DisplayName\": \"Stop User$n\", \"Alias\": \"stop.user$n\",
  \"WindowsEmailAddress\": \"stop.user$n@corp.example.test\", \"EmailAddresses\": [\"SMTP:stop.user$n@corp.example.test\"],
  \"IsDirSynced\": true, \"IsExchangeCloudManaged\": true, \"HiddenFromAddressListsEnabled\": false,
  \"CustomAttribute1\": \"stop-$n\"}"
done
echo "{\"users\": [$users], \"mailboxes\": [$mailboxes]}" | mk_tenant "$T/tenant.json"
load_tenant "$T/tenant.json"

conf=$(lab_conf)
printf 'daemon {\n  interval = 2\n}\n' >> "$conf"
written() { local n=0 dn; for dn in "${dns[@]}"; do [ -n "$(ad_vals "$dn" extensionAttribute1)" ] && n=$((n + 1)); done; echo $n; }

SOABRIDGE_TEST_TERM_AT=before:1 timeout 60 "$SOABRIDGE_TEST_BIN" -c "$conf" run \
    >"$T/run.out" 2>"$T/run.err"; rc=$?
check "run exits 0 after a SIGTERM in the middle of its plan" [ $rc -eq 0 ]
check "the change in hand was written, the next not started: 2 of 3 objects written" [ "$(written)" = 2 ]
grep -q "sync: stopped by a signal: 1 change not attempted" "$T/run.err"
verdict "run says 1 change was not attempted"
grep -q "run: stopped by a signal after 1 cycle$" "$T/run.err"
verdict "run stopped after its first cycle"
"$SOABRIDGE" -c "$conf" runs --format json >"$T/runs.json"
jtrue "$T/runs.json" "d[-1]['outcome'] == 'stopped' and d[-1]['planned'] == 3 and d[-1]['applied'] == 2 and d[-1]['failed'] == 0"
verdict "the run is recorded 'stopped': planned 3, applied 2, failed 0"
"$SOABRIDGE" -c "$conf" status >"$T/status.out" 2>&1
check "status names no problem for a stopped run" not grep -q "the last run" "$T/status.out"

sb_sync "$T/sync.json"; rc=$?
check "the next sync exits 0" [ $rc -eq 0 ]
jtrue "$T/sync.json" "len(d['changes']) == 1"
verdict "the next sync plans only the change left"
check "all 3 objects written now" [ "$(written)" = 3 ]
[ $_fail -eq 0 ] || sed 's/^/#   /' "$T/run.err" | tail -30
finish
