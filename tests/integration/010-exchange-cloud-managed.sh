#!/bin/bash
# 010: an IsExchangeCloudManaged mailbox (IsDirSynced, the user synced and not
# isCloudManaged): sync makes its Exchange attributes in AD exactly the
# mailbox's (proxyAddresses as a set with prefix case kept, mail, mailNickname,
# extensionAttribute1-15, msExchExtensionCustomAttribute1-5, the hide flag),
# and leaves its identity attributes as AD has them.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
ERIN="CN=Erin Mailbox,$S" GINA="CN=Gina Primary,$S"
FRANK="CN=Frank Manager,$S" BOSS="CN=Old Boss,$S"
G_ERIN=$(hex_b64 5a0b1c2d3e4f40118000000000010001)
G_GINA=$(hex_b64 5a0b1c2d3e4f40118000000000010002)
G_FRANK=$(hex_b64 5a0b1c2d3e4f40118000000000010003)
X500="X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=erin-0a1b2c"

seed_ldif <<EOF
dn: $BOSS
objectClass: user
sAMAccountName: old.boss
displayName: Old Boss

dn: $FRANK
objectClass: user
sAMAccountName: frank.manager
displayName: Frank Manager
title: Director
mS-DS-ConsistencyGuid:: $G_FRANK

dn: $ERIN
objectClass: user
sAMAccountName: erin.mailbox
userPrincipalName: erin.mailbox@corp.example.test
displayName: Erin Mailbox (AD)
givenName: Erin
sn: Mailbox
title: AD Title
department: AD Department
company: AD Company
telephoneNumber: +1 555 1000
mobile: +1 555 1001
l: Oslo
employeeID: E1000
manager: $BOSS
mail: erin.old@corp.example.test
mailNickname: erin.old
proxyAddresses: SMTP:erin.old@corp.example.test
proxyAddresses: smtp:erin@corp.example.test
proxyAddresses: smtp:gone@corp.example.test
extensionAttribute1: ad-one
extensionAttribute4: ad-only-four
extensionAttribute15: old-fifteen
msExchExtensionCustomAttribute1: a
msExchExtensionCustomAttribute1: zz
msExchExtensionCustomAttribute4: stale
msExchHideFromAddressLists: FALSE
mS-DS-ConsistencyGuid:: $G_ERIN

dn: $GINA
objectClass: user
sAMAccountName: gina.primary
displayName: Gina Primary
mail: gina.old@corp.example.test
proxyAddresses: SMTP:gina.old@corp.example.test
proxyAddresses: smtp:gina@corp.example.test
mS-DS-ConsistencyGuid:: $G_GINA
EOF

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "10000000-0000-4000-8000-000000010001", "userPrincipalName": "erin.mailbox@corp.example.test",
  "displayName": "Erin Cloud Name", "givenName": "Erina", "surname": "Cloudbox",
  "jobTitle": "Cloud Title", "department": "Cloud Department", "companyName": "Cloud Company",
  "businessPhones": ["+1 555 9999"], "mobilePhone": "+1 555 9998", "city": "Bergen", "employeeId": "E9999",
  "mail": "erin@corp.example.test", "mailNickname": "erin.graph",
  "proxyAddresses": ["SMTP:erin@corp.example.test"],
  "onPremisesImmutableId": "$G_ERIN", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false},
  "manager": "10000000-0000-4000-8000-000000010003"},
 {"id": "10000000-0000-4000-8000-000000010002", "userPrincipalName": "gina.primary@corp.example.test",
  "displayName": "Gina Primary", "onPremisesImmutableId": "$G_GINA", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "10000000-0000-4000-8000-000000010003", "userPrincipalName": "frank.manager@corp.example.test",
  "displayName": "Frank Manager", "jobTitle": "Cloud Director", "onPremisesImmutableId": "$G_FRANK",
  "onPremisesSyncEnabled": true, "onPremisesSyncBehavior": {"isCloudManaged": false}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "10000000-0000-4000-8000-000000010001", "DisplayName": "Erin Cloud Name",
  "Alias": "erin.m", "WindowsEmailAddress": "erin@corp.example.test",
  "EmailAddresses": ["SMTP:erin@corp.example.test", "smtp:erin.old@corp.example.test",
                     "smtp:erin@demo.mail.onmicrosoft.com", "$X500", "SIP:erin@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": true,
  "CustomAttribute1": "one", "CustomAttribute2": "two", "CustomAttribute7": "seven",
  "CustomAttribute11": "eleven", "CustomAttribute15": "fifteen",
  "ExtensionCustomAttribute1": ["a", "b"], "ExtensionCustomAttribute3": ["x"],
  "ExtensionCustomAttribute5": ["e1", "e2", "e3"]},
 {"ExternalDirectoryObjectId": "10000000-0000-4000-8000-000000010002", "DisplayName": "Gina Primary",
  "Alias": "gina.primary", "WindowsEmailAddress": "gina@corp.example.test",
  "EmailAddresses": ["SMTP:gina@corp.example.test", "smtp:gina.old@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false},
 {"ExternalDirectoryObjectId": "10000000-0000-4000-8000-000000010003", "DisplayName": "Frank Manager",
  "Alias": "frank.manager", "WindowsEmailAddress": "frank@corp.example.test",
  "EmailAddresses": ["SMTP:frank@corp.example.test"], "CustomAttribute1": "cloud-frank",
  "IsDirSynced": true, "IsExchangeCloudManaged": false, "HiddenFromAddressListsEnabled": true}
]}
EOF
load_tenant "$T/tenant.json"

IDENT="displayName givenName sn title department company telephoneNumber mobile l employeeID manager"
for a in $IDENT; do echo "$a: $(ad_vals "$ERIN" "$a")"; done > "$T/ident.before"
attrs_of "$FRANK" > "$T/frank.before"; frank_usn=$(usn_changed "$FRANK")

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
jtrue "$T/plan.json" "[c['rule'] for c in d['changes'] if c['dn'] == a[0]] == ['IsExchangeCloudManaged']" "$ERIN"
verdict "plan: one change for Erin, allowed by IsExchangeCloudManaged"
jtrue "$T/plan.json" "not {x['attribute'].lower() for c in d['changes'] if c['dn'] == a[0] for x in c['deltas']} & {s.lower() for s in a[1].split()}" "$ERIN" "$IDENT"
verdict "plan: no identity attribute among Erin's deltas"
check "plan: Frank (neither flag) is not changed" not has_change "$T/plan.json" "$FRANK"

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"

same_vals "proxyAddresses are exactly the mailbox's EmailAddresses, prefix case kept" "$ERIN" proxyAddresses \
    "SMTP:erin@corp.example.test" "smtp:erin.old@corp.example.test" \
    "smtp:erin@demo.mail.onmicrosoft.com" "$X500" "SIP:erin@corp.example.test"
check "a proxy address only AD had is gone" [ -z "$(ad_vals "$ERIN" proxyAddresses | grep -i gone@)" ]
same_vals "mail is WindowsEmailAddress" "$ERIN" mail "erin@corp.example.test"
same_vals "mailNickname is Alias" "$ERIN" mailNickname "erin.m"
same_vals "extensionAttribute1 from CustomAttribute1" "$ERIN" extensionAttribute1 "one"
same_vals "extensionAttribute2 from CustomAttribute2" "$ERIN" extensionAttribute2 "two"
same_vals "extensionAttribute7 from CustomAttribute7" "$ERIN" extensionAttribute7 "seven"
same_vals "extensionAttribute11 from CustomAttribute11" "$ERIN" extensionAttribute11 "eleven"
same_vals "extensionAttribute15 from CustomAttribute15" "$ERIN" extensionAttribute15 "fifteen"
same_vals "extensionAttribute4 cleared (CustomAttribute4 is empty)" "$ERIN" extensionAttribute4
same_vals "msExchExtensionCustomAttribute1 is the cloud's set" "$ERIN" msExchExtensionCustomAttribute1 a b
same_vals "msExchExtensionCustomAttribute3 added" "$ERIN" msExchExtensionCustomAttribute3 x
same_vals "msExchExtensionCustomAttribute5 multi-valued" "$ERIN" msExchExtensionCustomAttribute5 e1 e2 e3
same_vals "msExchExtensionCustomAttribute4 cleared (empty in the cloud)" "$ERIN" msExchExtensionCustomAttribute4
same_vals "msExchHideFromAddressLists TRUE" "$ERIN" msExchHideFromAddressLists TRUE

for a in $IDENT; do echo "$a: $(ad_vals "$ERIN" "$a")"; done > "$T/ident.after"
check "identity attributes (displayName, title, department, phones, manager...) stay AD's" \
    cmp -s "$T/ident.before" "$T/ident.after"
[ "$(ad_vals "$ERIN" manager)" = "$BOSS" ] && [ "$(ad_vals "$ERIN" title)" = "AD Title" ] &&
    [ "$(ad_vals "$ERIN" displayName)" = "Erin Mailbox (AD)" ]
verdict "manager, title and displayName are still the AD values"

same_vals "a primary change (only the prefix case moves) is written" "$GINA" proxyAddresses \
    "SMTP:gina@corp.example.test" "smtp:gina.old@corp.example.test"
same_vals "... and mail follows WindowsEmailAddress" "$GINA" mail "gina@corp.example.test"
same_vals "msExchHideFromAddressLists FALSE from false" "$GINA" msExchHideFromAddressLists FALSE

check "Frank (neither flag) is untouched: uSNChanged" [ "$(usn_changed "$FRANK")" = "$frank_usn" ]
attrs_of "$FRANK" | cmp -s - "$T/frank.before"; verdict "Frank (neither flag) is untouched: attributes"

sb_plan "$T/plan2.json"
check "a second plan has no change" jtrue "$T/plan2.json" "d['summary']['changes'] == 0 and d['changes'] == []"
finish
