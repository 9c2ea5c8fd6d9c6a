#!/bin/bash
# 021: undo RUN puts back, value by value, every attribute the run wrote, where
# AD still holds what it wrote; an attribute changed by someone else since is
# kept and reported as a conflict.  --dry-run shows the plan and writes
# nothing; the undo is a run of its own, journaled, and can be undone too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
ANN="CN=Ann Exchange,$S" BEN="CN=Ben Cloud,$S" CAT="CN=Cat Synced,$S" BOSS="CN=The Boss,$S"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000040001)
G_BEN=$(hex_b64 5a0b1c2d3e4f40118000000000040002)
G_CAT=$(hex_b64 5a0b1c2d3e4f40118000000000040003)
G_BOSS=$(hex_b64 5a0b1c2d3e4f40118000000000040004)
seed_ldif <<EOF
dn: $BOSS
objectClass: user
sAMAccountName: the.boss
mS-DS-ConsistencyGuid:: $G_BOSS

dn: $ANN
objectClass: user
sAMAccountName: ann.exchange
mail: ann@corp.example.test
mailNickname: ann
proxyAddresses: SMTP:ann@corp.example.test
proxyAddresses: smtp:ann.old@corp.example.test
extensionAttribute1: ad-one
extensionAttribute2: ad-two
msExchHideFromAddressLists: FALSE
mS-DS-ConsistencyGuid:: $G_ANN

dn: $BEN
objectClass: user
sAMAccountName: ben.cloud
displayName: Ben Cloud
title: Trainee
telephoneNumber: +1 555 0100
mS-DS-ConsistencyGuid:: $G_BEN

dn: $CAT
objectClass: user
sAMAccountName: cat.synced
title: Controller
extensionAttribute1: cat-one
mS-DS-ConsistencyGuid:: $G_CAT
EOF
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "10000000-0000-4000-8000-000000040001", "userPrincipalName": "ann@corp.example.test",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true, "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "10000000-0000-4000-8000-000000040002", "userPrincipalName": "ben@corp.example.test",
  "displayName": "Ben Cloud", "jobTitle": "Engineer", "department": "Platform", "businessPhones": ["+1 555 0199"],
  "manager": "10000000-0000-4000-8000-000000040004",
  "onPremisesImmutableId": "$G_BEN", "onPremisesSyncEnabled": false, "onPremisesSyncBehavior": {"isCloudManaged": true}},
 {"id": "10000000-0000-4000-8000-000000040003", "userPrincipalName": "cat@corp.example.test",
  "jobTitle": "CFO", "onPremisesImmutableId": "$G_CAT", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "10000000-0000-4000-8000-000000040004", "userPrincipalName": "boss@corp.example.test",
  "onPremisesImmutableId": "$G_BOSS", "onPremisesSyncEnabled": true, "onPremisesSyncBehavior": {"isCloudManaged": false}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "10000000-0000-4000-8000-000000040001", "Alias": "ann",
  "WindowsEmailAddress": "ann@corp.example.test",
  "EmailAddresses": ["SMTP:ann@corp.example.test", "smtp:ann.new@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": true,
  "CustomAttribute1": "cloud-one", "CustomAttribute5": "cloud-five",
  "ExtensionCustomAttribute1": ["a", "b"]}
]}
EOF
load_tenant "$T/tenant.json"
conf=$(lab_conf)
staff_dump "$T/before.json"

sb "$conf" sync --format json >"$T/sync.json" 2>"$T/err"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
check "sync names its run" jtrue "$T/sync.json" "d['run'] == 1"
check "Ann and Ben were written, Cat not" jtrue "$T/sync.json" \
    "sorted(c['dn'] for c in d['changes']) == sorted(a)" "$ANN" "$BEN"
same_vals "Ben's manager set" "$BEN" manager "$BOSS"
staff_dump "$T/synced.json"

# Someone changes what the run wrote: Ann's extensionAttribute1 and Ben's
# title; and adds an address of their own to Ann's proxyAddresses.
admodify >/dev/null <<EOF
dn: $ANN
changetype: modify
replace: extensionAttribute1
extensionAttribute1: theirs
-
add: proxyAddresses
proxyAddresses: smtp:theirs@corp.example.test

dn: $BEN
changetype: modify
replace: title
title: Admin Title
EOF

usn0=$(highest_usn)
sb "$conf" undo 1 --dry-run >"$T/dry.txt" 2>"$T/err"; rc=$?
check "undo --dry-run exits 0" [ $rc -eq 0 ]
check "undo --dry-run writes nothing to AD" [ "$(highest_usn)" = "$usn0" ]
check "undo --dry-run shows the plan" grep -q "^undo (dry run): 2 objects to change" "$T/dry.txt"
check "undo --dry-run shows the conflict" grep -q "conflict: AD holds \"theirs\", not what run 1 wrote (\"cloud-one\")" "$T/dry.txt"
sb "$conf" runs --format json >"$T/runs.json"
check "undo --dry-run records no run" jtrue "$T/runs.json" "len(d) == 1"

sb "$conf" undo 1 --format json >"$T/undo.json" 2>"$T/err"; rc=$?
check "undo 1 exits 0" [ $rc -eq 0 ]
check "undo is run 2, reverting run 1" jtrue "$T/undo.json" "d['run'] == 2 and d['undo_of'] == 1"
check "undo applied both objects" jtrue "$T/undo.json" \
    "sorted(c['dn'] for c in d['changes'] if c['result'] == 'applied') == sorted(a)" "$ANN" "$BEN"
check "two conflicts reported, Ann's extensionAttribute1 and Ben's title" jtrue "$T/undo.json" \
    "sorted((f['dn'], f['attribute']) for f in d['findings'] if f['kind'] == 'refused' and 'conflict' in f['message']) == sorted([(a[0], 'extensionAttribute1'), (a[1], 'title')])" "$ANN" "$BEN"
check "stderr says what was left alone" grep -q "2 attributes changed since run 1 left alone" "$T/err"

# Every other attribute is back; the conflicting ones and the foreign address stay.
/usr/bin/python3 - "$T/before.json" "$T/expected.json" "$ANN" "$BEN" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1])); ann, ben = sys.argv[3].lower(), sys.argv[4].lower()
d[ann]["extensionAttribute1"] = ["theirs"]
d[ann]["proxyAddresses"] = sorted(d[ann]["proxyAddresses"] + ["smtp:theirs@corp.example.test"])
d[ben]["title"] = ["Admin Title"]
open(sys.argv[2], "w").write(json.dumps(d, sort_keys=True, indent=1, ensure_ascii=False) + "\n")
EOF
staff_dump "$T/after.json"
same_dump "every written attribute is back; the changed ones are kept" "$T/expected.json" "$T/after.json"
same_vals "Ben's manager cleared again" "$BEN" manager
sb "$conf" runs --format json >"$T/runs.json"
check "runs: sync ok, then undo 1 ok with 2 conflicts" jtrue "$T/runs.json" \
    "[(r['id'], r['command'], r['undo_of'], r['outcome'], r['applied'], r['conflicts']) for r in d] == [(1, 'sync', None, 'ok', 2, 0), (2, 'undo', 1, 'ok', 2, 2)]"
check "the undo is journaled" [ "$(sql "SELECT count(*) FROM journal WHERE run = 2 AND state = 'applied'")" -gt 0 ]

# Undo again: nothing of run 1 is left in AD to revert.
usn1=$(highest_usn)
sb "$conf" undo 1 >"$T/again.txt" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "^undo: 0 objects to change" "$T/again.txt"
verdict "undo 1 a second time: nothing to change"
check "... and nothing written" [ "$(highest_usn)" = "$usn1" ]

# Undoing the undo writes run 1's values again (the conflicts stay theirs).
sb "$conf" undo 2 >/dev/null 2>"$T/err"; rc=$?
check "undo 2 (the undo) exits 0" [ $rc -eq 0 ]
same_vals "Ann's proxy addresses are run 1's again, plus theirs" "$ANN" proxyAddresses \
    SMTP:ann@corp.example.test smtp:ann.new@corp.example.test smtp:theirs@corp.example.test
same_vals "Ben's manager is run 1's again" "$BEN" manager "$BOSS"
same_vals "Ben's title stays theirs" "$BEN" title "Admin Title"

sb "$conf" undo 99 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "there is no run 99" "$T/err"; verdict "undo of an unknown run: exit 2"
sb "$conf" undo 2>"$T/err"; rc=$?
check "undo without a run: exit 2" [ $rc -eq 2 ]
finish
