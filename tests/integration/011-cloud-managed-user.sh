#!/bin/bash
# 011: an isCloudManaged user (onPremisesSyncEnabled null, isCloudManaged true):
# sync writes its identity attributes from the Graph user (under Graph's own
# names), its manager as the manager's AD DN, and the Exchange attributes of
# its mailbox.  A cloud-managed user whose manager has no AD object gets an
# `unresolved` finding and AD's manager is left alone.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
HANA="CN=Hana Cloud,$S" IVAN="CN=Ivan Boss,$S" JACK="CN=Jack Orphan,$S" BOSS="CN=Old Boss,$S"
G_HANA=$(hex_b64 5a0b1c2d3e4f40118000000000011001)
G_IVAN=$(hex_b64 5a0b1c2d3e4f40118000000000011002)
G_JACK=$(hex_b64 5a0b1c2d3e4f40118000000000011003)
ID_HANA=10000000-0000-4000-8000-000000011001 ID_IVAN=10000000-0000-4000-8000-000000011002
ID_JACK=10000000-0000-4000-8000-000000011003 ID_KARL=10000000-0000-4000-8000-000000011004

seed_ldif <<EOF
dn: $BOSS
objectClass: user
sAMAccountName: old.boss
displayName: Old Boss

dn: $IVAN
objectClass: user
sAMAccountName: ivan.boss
displayName: Ivan Boss
mS-DS-ConsistencyGuid:: $G_IVAN

dn: $HANA
objectClass: user
sAMAccountName: hana.cloud
userPrincipalName: hana.cloud@corp.example.test
displayName: Hana (old)
givenName: Hanna
sn: Oldname
title: Junior
department: Old Department
company: Old Company
physicalDeliveryOfficeName: Old Office
telephoneNumber: +1 555 0000
mobile: +1 555 0001
streetAddress: 1 Old Road
l: Oldtown
st: OT
postalCode: 00000
co: Norway
employeeID: OLD-1
manager: $BOSS
mail: hana.old@corp.example.test
mailNickname: hana.old
proxyAddresses: SMTP:hana.old@corp.example.test
proxyAddresses: smtp:hana.gone@corp.example.test
extensionAttribute5: cost-0001
mS-DS-ConsistencyGuid:: $G_HANA

dn: $JACK
objectClass: user
sAMAccountName: jack.orphan
displayName: Jack Orphan
title: Old Title
manager: $BOSS
mS-DS-ConsistencyGuid:: $G_JACK
EOF

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_HANA", "userPrincipalName": "hana.cloud@corp.example.test",
  "displayName": "Hana Cloud", "givenName": "Hana", "surname": "Cloud",
  "jobTitle": "Platform Engineer", "department": "Engineering", "companyName": "Contoso Cloud",
  "officeLocation": "Building 7, Room 4.12", "businessPhones": ["+1 555 0102"],
  "mobilePhone": "+1 555 0199", "streetAddress": "1 Cloud Way", "city": "Seattle", "state": "WA",
  "postalCode": "98101", "country": "United States", "employeeId": "E0102",
  "mail": "hana.cloud@corp.example.test", "mailNickname": "hana.cloud",
  "proxyAddresses": ["SMTP:hana.cloud@corp.example.test", "smtp:hana@corp.example.test"],
  "onPremisesImmutableId": "$G_HANA", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}, "manager": "$ID_IVAN"},
 {"id": "$ID_IVAN", "userPrincipalName": "ivan.boss@corp.example.test", "displayName": "Ivan Boss",
  "onPremisesImmutableId": "$G_IVAN", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "$ID_JACK", "userPrincipalName": "jack.orphan@corp.example.test", "displayName": "Jack Orphan",
  "jobTitle": "New Title", "onPremisesImmutableId": "$G_JACK", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}, "manager": "$ID_KARL"},
 {"id": "$ID_KARL", "userPrincipalName": "karl.cloudonly@demo.onmicrosoft.com",
  "displayName": "Karl Cloudonly", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_HANA", "DisplayName": "Hana Cloud", "Alias": "hana.cloud",
  "WindowsEmailAddress": "hana.cloud@corp.example.test",
  "EmailAddresses": ["SMTP:hana.cloud@corp.example.test", "smtp:hana@corp.example.test",
                     "smtp:hana.cloud@demo.mail.onmicrosoft.com"],
  "IsDirSynced": false, "IsExchangeCloudManaged": false, "HiddenFromAddressListsEnabled": true,
  "CustomAttribute1": "Engineering", "CustomAttribute5": "cost-4711", "CustomAttribute15": "last",
  "ExtensionCustomAttribute2": ["proj-apollo", "proj-gemini"]}
]}
EOF
load_tenant "$T/tenant.json"

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
jtrue "$T/plan.json" "[c['rule'] for c in d['changes'] if c['dn'] == a[0]] == ['isCloudManaged']" "$HANA"
verdict "plan: Hana's change is allowed by isCloudManaged"
check "plan: an unresolved finding for Jack's manager" has_finding "$T/plan.json" unresolved "$JACK"
jtrue "$T/plan.json" "any(f['kind'] == 'unresolved' and f['attribute'] == 'manager' and f['dn'] == a[0] for f in d['findings'])" "$JACK"
verdict "plan: the unresolved finding names the manager attribute"
jtrue "$T/plan.json" "not any(x['attribute'] == 'manager' for c in d['changes'] if c['dn'] == a[0] for x in c['deltas'])" "$JACK"
verdict "plan: no manager delta for Jack"
check "plan: Ivan (neither flag) is not changed" not has_change "$T/plan.json" "$IVAN"
ivan_usn=$(usn_changed "$IVAN")

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"

same_vals "displayName" "$HANA" displayName "Hana Cloud"
same_vals "givenName" "$HANA" givenName "Hana"
same_vals "sn from surname" "$HANA" sn "Cloud"
same_vals "title from jobTitle" "$HANA" title "Platform Engineer"
same_vals "department" "$HANA" department "Engineering"
same_vals "company from companyName" "$HANA" company "Contoso Cloud"
same_vals "physicalDeliveryOfficeName from officeLocation" "$HANA" physicalDeliveryOfficeName "Building 7, Room 4.12"
same_vals "telephoneNumber from businessPhones[0]" "$HANA" telephoneNumber "+1 555 0102"
same_vals "mobile from mobilePhone" "$HANA" mobile "+1 555 0199"
same_vals "streetAddress" "$HANA" streetAddress "1 Cloud Way"
same_vals "l from city" "$HANA" l "Seattle"
same_vals "st from state" "$HANA" st "WA"
same_vals "postalCode" "$HANA" postalCode "98101"
same_vals "co from country" "$HANA" co "United States"
same_vals "employeeID from employeeId" "$HANA" employeeID "E0102"
same_vals "manager is the manager's AD DN" "$HANA" manager "$IVAN"
same_vals "proxyAddresses from the mailbox" "$HANA" proxyAddresses "SMTP:hana.cloud@corp.example.test" \
    "smtp:hana@corp.example.test" "smtp:hana.cloud@demo.mail.onmicrosoft.com"
same_vals "mail from the mailbox" "$HANA" mail "hana.cloud@corp.example.test"
same_vals "mailNickname from the mailbox" "$HANA" mailNickname "hana.cloud"
same_vals "extensionAttribute1 from the mailbox" "$HANA" extensionAttribute1 "Engineering"
same_vals "extensionAttribute5 from the mailbox" "$HANA" extensionAttribute5 "cost-4711"
same_vals "extensionAttribute15 from the mailbox" "$HANA" extensionAttribute15 "last"
same_vals "msExchExtensionCustomAttribute2 from the mailbox" "$HANA" msExchExtensionCustomAttribute2 proj-apollo proj-gemini
same_vals "msExchHideFromAddressLists from the mailbox" "$HANA" msExchHideFromAddressLists TRUE

same_vals "Jack: manager without an AD object: AD's manager left alone" "$JACK" manager "$BOSS"
same_vals "Jack: the rest of his identity is still written" "$JACK" title "New Title"
check "Ivan (neither flag) untouched" [ "$(usn_changed "$IVAN")" = "$ivan_usn" ]

sb_plan "$T/plan2.json"
jtrue "$T/plan2.json" "d['summary']['changes'] == 0 and any(f['kind'] == 'unresolved' and f['dn'] == a[0] for f in d['findings'])" "$JACK"
verdict "a second plan: no change, the unresolved finding stays"
finish
