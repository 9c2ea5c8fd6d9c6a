#!/bin/bash
# 013: `plan` (text and json) writes nothing: highestCommittedUSN and the state
# directory are as before although changes are pending.  `sync` then applies
# them, and a second `sync` right after finds nothing to do: 0 changes, no
# seeded object's uSNChanged moves, highestCommittedUSN stays.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN" O="OU=Outside,$LAB_BASE_DN"
OLGA="CN=Olga Cloud,$S" PETR="CN=Petr Exchange,$S" QUIN="CN=Quin Synced,$S" RAIA="CN=Raia Outside,$O"
G_OLGA=$(hex_b64 5a0b1c2d3e4f40118000000000013001)
G_PETR=$(hex_b64 5a0b1c2d3e4f40118000000000013002)
G_QUIN=$(hex_b64 5a0b1c2d3e4f40118000000000013003)
G_RAIA=$(hex_b64 5a0b1c2d3e4f40118000000000013004)
ID_OLGA=10000000-0000-4000-8000-000000013001 ID_PETR=10000000-0000-4000-8000-000000013002
ID_QUIN=10000000-0000-4000-8000-000000013003 ID_RAIA=10000000-0000-4000-8000-000000013004

seed_ldif <<EOF
dn: $OLGA
objectClass: user
sAMAccountName: olga.cloud
displayName: Olga Old
title: Old Title
proxyAddresses: SMTP:olga@corp.example.test
mS-DS-ConsistencyGuid:: $G_OLGA

dn: $PETR
objectClass: user
sAMAccountName: petr.exchange
displayName: Petr Exchange
proxyAddresses: SMTP:petr@corp.example.test
proxyAddresses: smtp:petr.old@corp.example.test
extensionAttribute3: stale
msExchExtensionCustomAttribute1: one
mS-DS-ConsistencyGuid:: $G_PETR

dn: $QUIN
objectClass: user
sAMAccountName: quin.synced
displayName: Quin Synced
title: AD Title
mS-DS-ConsistencyGuid:: $G_QUIN

dn: $RAIA
objectClass: user
sAMAccountName: raia.outside
displayName: Raia Outside
mS-DS-ConsistencyGuid:: $G_RAIA
EOF

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_OLGA", "userPrincipalName": "olga.cloud@corp.example.test", "displayName": "Olga Cloud",
  "jobTitle": "New Title", "department": "Engineering", "businessPhones": ["+1 555 1301"],
  "onPremisesImmutableId": "$G_OLGA", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}, "manager": "$ID_PETR"},
 {"id": "$ID_PETR", "userPrincipalName": "petr.exchange@corp.example.test", "displayName": "Petr Exchange",
  "onPremisesImmutableId": "$G_PETR", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "$ID_QUIN", "userPrincipalName": "quin.synced@corp.example.test", "displayName": "Quin Cloud",
  "jobTitle": "Cloud Title", "onPremisesImmutableId": "$G_QUIN", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "$ID_RAIA", "userPrincipalName": "raia.outside@corp.example.test", "displayName": "Raia Cloud",
  "jobTitle": "Outside Title", "onPremisesImmutableId": "$G_RAIA", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_OLGA", "Alias": "olga", "WindowsEmailAddress": "olga@corp.example.test",
  "EmailAddresses": ["SMTP:olga@corp.example.test", "smtp:olga.cloud@corp.example.test"],
  "IsDirSynced": false, "IsExchangeCloudManaged": false, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute2": "olga-two"},
 {"ExternalDirectoryObjectId": "$ID_PETR", "Alias": "petr", "WindowsEmailAddress": "petr@corp.example.test",
  "EmailAddresses": ["SMTP:petr@corp.example.test", "smtp:petr.new@corp.example.test", "SIP:petr@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": true,
  "CustomAttribute1": "petr-one", "ExtensionCustomAttribute1": ["one", "two"]},
 {"ExternalDirectoryObjectId": "$ID_QUIN", "Alias": "quin", "WindowsEmailAddress": "quin.cloud@corp.example.test",
  "EmailAddresses": ["SMTP:quin.cloud@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": false, "HiddenFromAddressListsEnabled": true}
]}
EOF
load_tenant "$T/tenant.json"

STATE="$TOP/tests/lab/run/state"
state_sum() { if [ -e "$STATE" ]; then find "$STATE" -type f -exec sha1sum {} + | sort; else echo absent; fi; }
seeded_usns() { usn_map "$S" "(objectClass=user)"; usn_map "$O" "(objectClass=user)"; }

conf=$(lab_conf)
state0=$(state_sum)
usn0=$(highest_usn)
"$SOABRIDGE" -c "$conf" plan > "$T/plan.txt" 2>"$T/plan.err"; rc=$?
check "plan (text) exits 0" [ $rc -eq 0 ]
check "plan (text) shows pending changes" grep -q "CN=Olga Cloud" "$T/plan.txt"
check "plan (text): highestCommittedUSN unchanged" [ "$(highest_usn)" = "$usn0" ]
sb_plan "$T/plan.json"; rc=$?
check "plan --format json exits 0" [ $rc -eq 0 ]
jtrue "$T/plan.json" "d['summary']['changes'] == 2 and {c['dn'] for c in d['changes']} == set(a)" "$OLGA" "$PETR"
verdict "plan --format json: changes pending for Olga and Petr"
check "plan --format json: highestCommittedUSN unchanged" [ "$(highest_usn)" = "$usn0" ]
check "plan: the state directory is as it was" [ "$(state_sum)" = "$state0" ]
same_vals "plan: Olga's title is still AD's" "$OLGA" title "Old Title"

sb_sync "$T/sync1.json"; rc=$?
check "first sync exits 0" [ $rc -eq 0 ]
check "first sync reports 2 changes" jtrue "$T/sync1.json" "d['summary']['changes'] == 2"
check "first sync moved highestCommittedUSN" [ "$(highest_usn)" != "$usn0" ]
same_vals "first sync wrote Olga's title" "$OLGA" title "New Title"
same_vals "first sync wrote Petr's proxyAddresses" "$PETR" proxyAddresses \
    "SMTP:petr@corp.example.test" "smtp:petr.new@corp.example.test" "SIP:petr@corp.example.test"

seeded_usns > "$T/usns.before"
usn1=$(highest_usn)
sb_sync "$T/sync2.json"; rc=$?
check "second sync exits 0" [ $rc -eq 0 ]
jtrue "$T/sync2.json" "d['command'] == 'sync' and d['summary']['changes'] == 0 and d['changes'] == [] and d['summary']['value_adds'] == d['summary']['value_deletes'] == d['summary']['replaces'] == 0"
verdict "second sync reports 0 changes"
check "second sync: highestCommittedUSN unchanged" [ "$(highest_usn)" = "$usn1" ]
seeded_usns > "$T/usns.after"
check "second sync: seeded objects listed" [ "$(wc -l < "$T/usns.after")" -eq 4 ]
if cmp -s "$T/usns.before" "$T/usns.after"; then
	ok "second sync: no seeded object's uSNChanged moved"
else
	nok "second sync: no seeded object's uSNChanged moved"; diff "$T/usns.before" "$T/usns.after" | sed 's/^/#   /'
fi
finish
