#!/bin/bash
# 012: neither flag: synced users that are neither isCloudManaged nor
# IsExchangeCloudManaged, whose cloud values all differ from AD's, are AD's:
# the plan has no change for them but an `ad-authoritative` finding, and sync
# (which does write another, cloud-managed user) leaves their uSNChanged and
# every attribute as they were.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
LENA="CN=Lena Synced,$S" MIKA="CN=Mika Synced,$S" NORA="CN=Nora Exchange,$S" BOSS="CN=Old Boss,$S"
G_LENA=$(hex_b64 5a0b1c2d3e4f40118000000000012001)
G_MIKA=$(hex_b64 5a0b1c2d3e4f40118000000000012002)
G_NORA=$(hex_b64 5a0b1c2d3e4f40118000000000012003)
G_BOSS=$(hex_b64 5a0b1c2d3e4f40118000000000012004)
ID_LENA=10000000-0000-4000-8000-000000012001 ID_MIKA=10000000-0000-4000-8000-000000012002
ID_NORA=10000000-0000-4000-8000-000000012003 ID_BOSS=10000000-0000-4000-8000-000000012004

seed_ldif <<EOF
dn: $BOSS
objectClass: user
sAMAccountName: old.boss
displayName: Old Boss
mS-DS-ConsistencyGuid:: $G_BOSS

dn: $LENA
objectClass: user
sAMAccountName: lena.synced
userPrincipalName: lena.synced@corp.example.test
displayName: Lena Synced
givenName: Lena
sn: Synced
title: Controller
department: Finance
company: Contoso AD
physicalDeliveryOfficeName: HQ 1
telephoneNumber: +1 555 2000
mobile: +1 555 2001
streetAddress: 2 AD Street
l: Oslo
st: OS
postalCode: 0150
co: Norway
employeeID: E2000
mail: lena@corp.example.test
mailNickname: lena
proxyAddresses: SMTP:lena@corp.example.test
proxyAddresses: smtp:lena.ad@corp.example.test
extensionAttribute1: Finance
extensionAttribute15: ad-fifteen
msExchExtensionCustomAttribute1: ad-value
msExchHideFromAddressLists: FALSE
mS-DS-ConsistencyGuid:: $G_LENA

dn: $MIKA
objectClass: user
sAMAccountName: mika.synced
displayName: Mika Synced
title: Analyst
mail: mika@corp.example.test
proxyAddresses: SMTP:mika@corp.example.test
mS-DS-ConsistencyGuid:: $G_MIKA

dn: $NORA
objectClass: user
sAMAccountName: nora.exchange
displayName: Nora Exchange
mail: nora@corp.example.test
extensionAttribute1: old
mS-DS-ConsistencyGuid:: $G_NORA
EOF

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_LENA", "userPrincipalName": "lena.synced@corp.example.test",
  "displayName": "Lena Cloud", "givenName": "Lene", "surname": "Cloudy", "jobTitle": "CFO",
  "department": "Treasury", "companyName": "Contoso Cloud", "officeLocation": "Cloud 9",
  "businessPhones": ["+1 555 9000"], "mobilePhone": "+1 555 9001", "streetAddress": "9 Cloud Way",
  "city": "Seattle", "state": "WA", "postalCode": "98101", "country": "United States",
  "employeeId": "E9000", "mail": "lena.cloud@corp.example.test", "mailNickname": "lena.cloud",
  "proxyAddresses": ["SMTP:lena.cloud@corp.example.test"],
  "onPremisesImmutableId": "$G_LENA", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}, "manager": "$ID_BOSS"},
 {"id": "$ID_MIKA", "userPrincipalName": "mika.synced@corp.example.test",
  "displayName": "Mika Cloud", "jobTitle": "Senior Analyst", "mail": "mika.cloud@corp.example.test",
  "proxyAddresses": ["SMTP:mika.cloud@corp.example.test", "smtp:mika@corp.example.test"],
  "onPremisesImmutableId": "$G_MIKA", "onPremisesSyncEnabled": true},
 {"id": "$ID_NORA", "userPrincipalName": "nora.exchange@corp.example.test", "displayName": "Nora Exchange",
  "onPremisesImmutableId": "$G_NORA", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "$ID_BOSS", "userPrincipalName": "old.boss@corp.example.test", "displayName": "Old Boss",
  "onPremisesImmutableId": "$G_BOSS", "onPremisesSyncEnabled": true}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_LENA", "DisplayName": "Lena Cloud", "Alias": "lena.cloud",
  "WindowsEmailAddress": "lena.cloud@corp.example.test",
  "EmailAddresses": ["SMTP:lena.cloud@corp.example.test", "smtp:lena@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": false, "HiddenFromAddressListsEnabled": true,
  "CustomAttribute1": "Treasury", "CustomAttribute2": "cloud-two",
  "ExtensionCustomAttribute1": ["cloud-value"]},
 {"ExternalDirectoryObjectId": "$ID_NORA", "DisplayName": "Nora Exchange", "Alias": "nora",
  "WindowsEmailAddress": "nora@corp.example.test", "EmailAddresses": ["SMTP:nora@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "new"}
]}
EOF
load_tenant "$T/tenant.json"

for u in "$LENA" "$MIKA" "$BOSS"; do attrs_of "$u"; usn_changed "$u"; done > "$T/before"

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
check "plan: no change for Lena (neither flag)" not has_change "$T/plan.json" "$LENA"
check "plan: no change for Mika (neither flag, no mailbox)" not has_change "$T/plan.json" "$MIKA"
check "plan: an ad-authoritative finding for Lena" has_finding "$T/plan.json" ad-authoritative "$LENA"
check "plan: an ad-authoritative finding for Mika" has_finding "$T/plan.json" ad-authoritative "$MIKA"
# 15 identity attributes, and proxyAddresses, mail, mailNickname, extensionAttribute1,
# 2 and 15, msExchExtensionCustomAttribute1, msExchHideFromAddressLists.  manager is
# not among them: Graph is asked for managers of cloud-managed users only (issue 12).
jtrue "$T/plan.json" "[f['message'] for f in d['findings'] if f['dn'] == a[0]] and all('on 23 attribute(s)' in f['message'] and 'manager' not in f['message'] for f in d['findings'] if f['dn'] == a[0])" "$LENA"
verdict "plan: Lena's finding counts the 23 attributes that differ, manager not read for her"
check "plan: the IsExchangeCloudManaged user beside them is changed" has_change "$T/plan.json" "$NORA"

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
same_vals "sync wrote the IsExchangeCloudManaged user" "$NORA" extensionAttribute1 new
for u in "$LENA" "$MIKA" "$BOSS"; do attrs_of "$u"; usn_changed "$u"; done > "$T/after"
if cmp -s "$T/before" "$T/after"; then
	ok "after sync, the AD-authoritative users' attributes and uSNChanged are unchanged"
else
	nok "after sync, the AD-authoritative users' attributes and uSNChanged are unchanged"
	diff "$T/before" "$T/after" | sed 's/^/#   /'
fi
same_vals "Lena keeps her AD title" "$LENA" title Controller
same_vals "Lena keeps her AD proxyAddresses" "$LENA" proxyAddresses "SMTP:lena@corp.example.test" "smtp:lena.ad@corp.example.test"
same_vals "Lena has no manager written" "$LENA" manager
finish
