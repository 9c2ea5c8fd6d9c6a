#!/bin/bash
# 061: groups.remove_unsynced_members = true never removes a protected
# member, read or not.  SG-Keep (cloud-managed; the cloud lists only Ann)
# holds in AD the DC's computer account, the Administrator, Authenticated
# Users (a foreign security principal) and Zed, an ordinary AD-only user.
# Zed is removed; the others stay: with base_dn the domain (the DC account
# and the FSP are not read) and with base_dn an OU (nothing outside it is
# read, the Administrator included).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B"
ANN="CN=Ann Keep,$CG" ZED="CN=Zed Adonly,$CG" KEEP="CN=SG-Keep,$CG"
ADMIN="CN=Administrator,CN=Users,$B" FSP="CN=S-1-5-11,CN=ForeignSecurityPrincipals,$B"
DC=$(adsearch -b "OU=Domain Controllers,$B" "(objectClass=computer)" dn | sed -n 's/^dn: //p' | head -1)
check "the lab has a DC computer account" [ -n "$DC" ]
check "the lab has the Authenticated Users FSP" [ -n "$(adsearch -b "$FSP" -s base dn 2>/dev/null)" ]
ID_ANN=10000000-0000-4000-8000-000000061001 ID_KEEP=20000000-0000-4000-8000-000000061001
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000061001)

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.keep
mS-DS-ConsistencyGuid:: $G_ANN

dn: $ZED
objectClass: user
sAMAccountName: zed.adonly
EOF
add_members() {
	admodify >/dev/null <<EOF
dn: $KEEP
changetype: modify
add: member
member: $ANN
member: $ZED
member: $DC
member: $ADMIN
member: $FSP
EOF
}
seed_ldif <<EOF
dn: $KEEP
objectClass: group
sAMAccountName: SG-Keep
EOF
add_members
verdict "SG-Keep holds Ann, Zed, the DC, the Administrator and Authenticated Users"

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.keep@corp.example.test", "displayName": "Ann Keep",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true}
],
"groups": [
 {"id": "$ID_KEEP", "displayName": "SG-Keep", "mailEnabled": false, "mailNickname": "SG-Keep",
  "securityEnabled": true, "groupTypes": [], "onPremisesSecurityIdentifier": "$(ad_sid "$KEEP")",
  "onPremisesSyncEnabled": null, "onPremisesSyncBehavior": {"isCloudManaged": true},
  "members": ["$ID_ANN"]}
]}
EOF
load_tenant "$T/tenant.json"

for base in "$B" "OU=Groups,$B"; do
	what="base_dn ${base%%,DC=*}"
	scope="write_scope=$base"
	gplan "$T/plan.json" remove_unsynced_members=true "base_dn=$base" "$scope"; rc=$?
	check "$what: plan exits 0" [ $rc -eq 0 ]
	check "$what: plan removes only Zed" [ "$(member_delta "$T/plan.json" "$KEEP" delete)" = "$(jlist "$ZED")" ]
	gsync "$T/sync.json" remove_unsynced_members=true "base_dn=$base" "$scope"; rc=$?
	check "$what: sync exits 0" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
	same_vals "$what: SG-Keep keeps the DC, the Administrator and the FSP" \
	    "$KEEP" member "$ANN" "$DC" "$ADMIN" "$FSP"
	admodify >/dev/null <<EOF
dn: $KEEP
changetype: modify
add: member
member: $ZED
EOF
done
finish
