#!/bin/bash
# 014: changes are value-level.  After a first sync, one more EmailAddresses
# value in the cloud gives exactly one proxyAddresses "add" of that value (no
# replace, no delete) in the plan and in the LDAP modify; an attribute the AD
# admin changed meanwhile survives.  A CustomAttribute cleared in the cloud
# removes its extensionAttribute from AD entirely; one value taken out of an
# ExtensionCustomAttribute removes just that value.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
SARA="CN=Sara Values,$S"
G_SARA=$(hex_b64 5a0b1c2d3e4f40118000000000014001)
ID_SARA=10000000-0000-4000-8000-000000014001
ADDR=("SMTP:sara@corp.example.test" "smtp:sara.v@corp.example.test"
      "smtp:sara@demo.mail.onmicrosoft.com" "SIP:sara@corp.example.test")
NEW="smtp:sara.new@corp.example.test"

seed_ldif <<EOF
dn: $SARA
objectClass: user
sAMAccountName: sara.values
displayName: Sara Values
telephoneNumber: +1 555 1400
proxyAddresses: SMTP:sara@corp.example.test
mS-DS-ConsistencyGuid:: $G_SARA
EOF

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_SARA", "userPrincipalName": "sara.values@corp.example.test", "displayName": "Sara Values",
  "onPremisesImmutableId": "$G_SARA", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_SARA", "Alias": "sara", "WindowsEmailAddress": "sara@corp.example.test",
  "EmailAddresses": ["${ADDR[0]}", "${ADDR[1]}", "${ADDR[2]}", "${ADDR[3]}"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute3": "three", "CustomAttribute4": "four",
  "ExtensionCustomAttribute2": ["keep-a", "drop-b", "keep-c"]}
]}
EOF
load_tenant "$T/tenant.json"

sb_sync "$T/sync1.json"; rc=$?
check "first sync exits 0" [ $rc -eq 0 ]
same_vals "first sync: proxyAddresses are the cloud's" "$SARA" proxyAddresses "${ADDR[@]}"
same_vals "first sync: extensionAttribute3 written" "$SARA" extensionAttribute3 three
same_vals "first sync: msExchExtensionCustomAttribute2 written" "$SARA" msExchExtensionCustomAttribute2 keep-a drop-b keep-c

# One more address in the cloud.
/usr/bin/python3 -c 'import json, sys; print(json.dumps({"EmailAddresses": sys.argv[1:]}))' \
    "${ADDR[@]}" "$NEW" | fake PATCH "objects/$ID_SARA" - >/dev/null
verdict "PATCH the mailbox: one more EmailAddresses value"
sb_plan "$T/plan2.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
jtrue "$T/plan2.json" "[(x['op'], x['values']) for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'proxyAddresses'] == [('add', [a[0]])]" "$NEW"
verdict "plan: proxyAddresses has exactly one delta, op add, of exactly the new value"
jtrue "$T/plan2.json" "d['summary']['changes'] == 1 and d['summary']['value_adds'] == 1 and d['summary']['value_deletes'] == 0 and d['summary']['replaces'] == 0"
verdict "plan: summary is one value added, nothing removed or replaced"

# The AD admin changes another attribute between plan and sync.
admodify >/dev/null <<EOF
dn: $SARA
changetype: modify
replace: telephoneNumber
telephoneNumber: +1 555 1499
-
add: description
description: set by the AD admin
EOF
verdict "the AD admin changes telephoneNumber and adds a description"

"$SOABRIDGE" -c "$(lab_conf)" -v sync --format json > "$T/sync2.json" 2> "$T/sync2.log"; rc=$?
check "second sync exits 0" [ $rc -eq 0 ]
grep 'ad.modify' "$T/sync2.log" | grep 'attr=proxyAddresses' > "$T/mod.proxy"
if [ "$(wc -l < "$T/mod.proxy")" -eq 1 ] && grep -q ' add=1 ' "$T/mod.proxy" &&
    ! grep -Eq 'replace|del=' "$T/mod.proxy"; then
	ok "the LDAP modify adds one proxyAddresses value and neither replaces nor deletes"
else
	nok "the LDAP modify adds one proxyAddresses value and neither replaces nor deletes"
	sed 's/^/#   /' "$T/sync2.log"
fi
same_vals "AD has all the values" "$SARA" proxyAddresses "${ADDR[@]}" "$NEW"
same_vals "the admin's telephoneNumber survives" "$SARA" telephoneNumber "+1 555 1499"
same_vals "the admin's description survives" "$SARA" description "set by the AD admin"

# Clear a CustomAttribute, take one value out of an ExtensionCustomAttribute.
echo '{"CustomAttribute3": "", "ExtensionCustomAttribute2": ["keep-a", "keep-c"]}' |
    fake PATCH "objects/$ID_SARA" - >/dev/null
verdict "PATCH the mailbox: CustomAttribute3 cleared, drop-b taken out"
sb_plan "$T/plan3.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
jtrue "$T/plan3.json" "[(x['op'], x['values']) for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'extensionAttribute3'] in ([('delete', [])], [('delete', ['three'])])"
verdict "plan: extensionAttribute3 is deleted"
jtrue "$T/plan3.json" "[(x['op'], x['values']) for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'msExchExtensionCustomAttribute2'] == [('delete', ['drop-b'])]"
verdict "plan: msExchExtensionCustomAttribute2 loses exactly drop-b"
jtrue "$T/plan3.json" "sorted(x['attribute'] for c in d['changes'] for x in c['deltas']) == ['extensionAttribute3', 'msExchExtensionCustomAttribute2']"
verdict "plan: nothing else changes"
sb_sync "$T/sync3.json"; rc=$?
check "third sync exits 0" [ $rc -eq 0 ]
ad_json "$SARA" "(objectClass=*)" -s base extensionAttribute3 > "$T/ea3.json"
check "extensionAttribute3 is gone from AD (no value at all)" jtrue "$T/ea3.json" "len(d) == 1 and not any(k.lower() == 'extensionattribute3' for e in d.values() for k in e)"
same_vals "extensionAttribute4 is untouched" "$SARA" extensionAttribute4 four
same_vals "msExchExtensionCustomAttribute2 keeps the other values" "$SARA" msExchExtensionCustomAttribute2 keep-a keep-c
same_vals "proxyAddresses unchanged" "$SARA" proxyAddresses "${ADDR[@]}" "$NEW"
finish
