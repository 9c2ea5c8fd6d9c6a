#!/bin/bash
# 016: scope and protection.  An IsExchangeCloudManaged user in OU=Outside
# (outside write_scope) is `out-of-scope`; a user in OU=Staff with adminCount=1
# is `protected`; the Administrator, reached through its SID by an
# IsExchangeCloudManaged or an isCloudManaged cloud object, is protected (or
# out of scope) -- also when write_scope covers the whole domain.  None of them
# is written by sync (uSNChanged unchanged), while an ordinary user beside them is.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN" O="OU=Outside,$LAB_BASE_DN"
ADMIN="CN=Administrator,CN=Users,$LAB_BASE_DN"
VERA="CN=Vera Outside,$O" WADE="CN=Wade Admincount,$S" XENA="CN=Xena Ordinary,$S"
G_VERA=$(hex_b64 5a0b1c2d3e4f40118000000000016001)
G_WADE=$(hex_b64 5a0b1c2d3e4f40118000000000016002)
G_XENA=$(hex_b64 5a0b1c2d3e4f40118000000000016003)
ID_VERA=10000000-0000-4000-8000-000000016001 ID_WADE=10000000-0000-4000-8000-000000016002
ID_XENA=10000000-0000-4000-8000-000000016003 ID_ADM=10000000-0000-4000-8000-000000016004

seed_ldif <<EOF
dn: $VERA
objectClass: user
sAMAccountName: vera.outside
displayName: Vera Outside
extensionAttribute1: ad-vera
proxyAddresses: SMTP:vera@corp.example.test
mS-DS-ConsistencyGuid:: $G_VERA

dn: $WADE
objectClass: user
sAMAccountName: wade.admincount
displayName: Wade Admincount
adminCount: 1
extensionAttribute1: ad-wade
mS-DS-ConsistencyGuid:: $G_WADE

dn: $XENA
objectClass: user
sAMAccountName: xena.ordinary
displayName: Xena Ordinary
extensionAttribute1: ad-xena
mS-DS-ConsistencyGuid:: $G_XENA
EOF
check "Wade has adminCount=1" [ "$(ad_vals "$WADE" adminCount)" = 1 ]
SID_ADM=$(ad_sid "$ADMIN")
check "the Administrator's SID ends in -500" [ "${SID_ADM%-500}" != "$SID_ADM" ]

# tenant ADMIN-MODE: mode exchange (IsExchangeCloudManaged) or cloud (isCloudManaged).
tenant() {
	local sync='true' behav='false' exo='true'
	[ "$1" = cloud ] && sync='null' behav='true' exo='false'
	mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_VERA", "userPrincipalName": "vera@corp.example.test", "displayName": "Vera Outside",
  "onPremisesImmutableId": "$G_VERA", "onPremisesSyncEnabled": true},
 {"id": "$ID_WADE", "userPrincipalName": "wade@corp.example.test", "displayName": "Wade Admincount",
  "jobTitle": "Cloud Title", "onPremisesImmutableId": "$G_WADE", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}},
 {"id": "$ID_XENA", "userPrincipalName": "xena@corp.example.test", "displayName": "Xena Ordinary",
  "onPremisesImmutableId": "$G_XENA", "onPremisesSyncEnabled": true},
 {"id": "$ID_ADM", "userPrincipalName": "administrator@corp.example.test", "displayName": "Cloud Admin Name",
  "jobTitle": "Pwned", "department": "Nowhere", "businessPhones": ["+1 555 6666"],
  "onPremisesSecurityIdentifier": "$SID_ADM", "onPremisesSyncEnabled": $sync,
  "onPremisesSyncBehavior": {"isCloudManaged": $behav}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_VERA", "Alias": "vera", "WindowsEmailAddress": "vera@corp.example.test",
  "EmailAddresses": ["SMTP:vera@corp.example.test", "smtp:vera.new@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "CustomAttribute1": "cloud-vera"},
 {"ExternalDirectoryObjectId": "$ID_WADE", "Alias": "wade", "WindowsEmailAddress": "wade@corp.example.test",
  "EmailAddresses": ["SMTP:wade@corp.example.test"], "IsDirSynced": false, "IsExchangeCloudManaged": false,
  "CustomAttribute1": "cloud-wade"},
 {"ExternalDirectoryObjectId": "$ID_XENA", "Alias": "xena", "WindowsEmailAddress": "xena@corp.example.test",
  "EmailAddresses": ["SMTP:xena@corp.example.test"], "IsDirSynced": true, "IsExchangeCloudManaged": true,
  "CustomAttribute1": "cloud-xena"},
 {"ExternalDirectoryObjectId": "$ID_ADM", "Alias": "admin", "WindowsEmailAddress": "pwned@corp.example.test",
  "EmailAddresses": ["SMTP:pwned@corp.example.test", "smtp:evil@corp.example.test"],
  "IsDirSynced": $exo, "IsExchangeCloudManaged": $exo, "HiddenFromAddressListsEnabled": true,
  "CustomAttribute1": "cloud-admin"}
]}
EOF
	load_tenant "$T/tenant.json"
}
usns() { for u in "$VERA" "$WADE" "$ADMIN"; do echo "$u $(usn_changed "$u")"; done; }
# admin_refused PLAN: the Administrator has a protected or out-of-scope finding and no change.
admin_refused() {
	jtrue "$1" "any(f['kind'] in ('protected', 'out-of-scope') and (f['dn'] or '').lower() == a[0].lower() for f in d['findings']) and not any((c['dn'] or '').lower() == a[0].lower() for c in d['changes'])" "$ADMIN"
}

tenant exchange
sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
check "OU=Outside user: out-of-scope finding" has_finding "$T/plan.json" out-of-scope "$VERA"
check "OU=Outside user: no change" not has_change "$T/plan.json" "$VERA"
check "adminCount=1 user: protected finding" has_finding "$T/plan.json" protected "$WADE"
check "adminCount=1 user: no change" not has_change "$T/plan.json" "$WADE"
check "Administrator by SID (IsExchangeCloudManaged): refused, no change" admin_refused "$T/plan.json"
check "the ordinary user is changed" has_change "$T/plan.json" "$XENA"

usns > "$T/usn0"
sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
same_vals "sync wrote the ordinary user" "$XENA" extensionAttribute1 cloud-xena
usns > "$T/usn1"
check "sync: OU=Outside user, adminCount=1 user and Administrator not written (uSNChanged)" cmp -s "$T/usn0" "$T/usn1"
same_vals "OU=Outside user keeps its value" "$VERA" extensionAttribute1 ad-vera
same_vals "adminCount=1 user keeps its value" "$WADE" extensionAttribute1 ad-wade
same_vals "Administrator has no extensionAttribute1" "$ADMIN" extensionAttribute1
same_vals "Administrator has no proxyAddresses" "$ADMIN" proxyAddresses

tenant cloud
sb_plan "$T/plan2.json"; rc=$?
check "plan (Administrator isCloudManaged) exits 0" [ $rc -eq 0 ]
check "Administrator by SID (isCloudManaged): refused, no change" admin_refused "$T/plan2.json"
sb_sync "$T/sync2.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
usns > "$T/usn2"
check "sync: none of them written (uSNChanged)" cmp -s "$T/usn0" "$T/usn2"
same_vals "Administrator has no title" "$ADMIN" title

# Scope is not the only guard: with write_scope = the whole domain, protection
# still holds.  (Vera stops being IsExchangeCloudManaged: the bind account may
# not write OU=Outside, so her change would fail.)
echo '{"IsExchangeCloudManaged": false}' | fake PATCH "objects/$ID_VERA" - >/dev/null
verdict "PATCH: Vera's mailbox is no longer IsExchangeCloudManaged"
conf=$(lab_conf)
sed "s|^  write_scope = .*|  write_scope = {\"$LAB_BASE_DN\"}|" "$conf" > "$T/wide.conf"
check "wide config: write_scope is the base DN" grep -q "write_scope = {\"$LAB_BASE_DN\"}" "$T/wide.conf"
"$SOABRIDGE" -c "$T/wide.conf" plan --format json > "$T/plan3.json" 2>"$T/plan3.err"; rc=$?
check "plan (wide scope) exits 0" [ $rc -eq 0 ]
jtrue "$T/plan3.json" "any(f['kind'] == 'protected' and (f['dn'] or '').lower() == a[0].lower() for f in d['findings']) and not any((c['dn'] or '').lower() == a[0].lower() for c in d['changes'])" "$ADMIN"
verdict "wide scope: Administrator is protected, no change"
check "wide scope: adminCount=1 user is protected" has_finding "$T/plan3.json" protected "$WADE"
"$SOABRIDGE" -c "$T/wide.conf" sync --format json > "$T/sync3.json" 2>"$T/sync3.err"; rc=$?
check "sync (wide scope) exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync3.err"
usns > "$T/usn3"
check "wide scope sync: none of them written (uSNChanged)" cmp -s "$T/usn0" "$T/usn3"
finish
