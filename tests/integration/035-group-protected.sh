#!/bin/bash
# 035: protected groups and members.  A cloud group claiming the Domain
# Admins SID (or the built-in Administrators SID) with isCloudManaged true,
# members and an OU: Domain Admins and Administrators are unchanged, with a
# `protected` finding.  So is a cloud-managed group with adminCount=1, and one
# nested in Domain Admins.  An ordinary cloud-managed group never gets a
# protected account or group as a member, and keeps the protected member it
# has, while its other members are written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B"
DA="CN=Domain Admins,CN=Users,$B" ADMS="CN=Administrators,CN=Builtin,$B" ADMIN="CN=Administrator,CN=Users,$B"
ANN="CN=Ann Plain,$S" WADE="CN=Wade Admincount,$S"
HIGH="CN=SG-Admincount,$CG" NEST="CN=SG-In-DA,$CG" PLAIN="CN=SG-Plain,$CG"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000035001) G_WADE=$(hex_b64 5a0b1c2d3e4f40118000000000035002)
ID_ANN=10000000-0000-4000-8000-000000035001 ID_WADE=10000000-0000-4000-8000-000000035002
ID_ADMIN=10000000-0000-4000-8000-000000035003
ID_DA=20000000-0000-4000-8000-000000035001 ID_ADMS=20000000-0000-4000-8000-000000035002
ID_HIGH=20000000-0000-4000-8000-000000035003 ID_NEST=20000000-0000-4000-8000-000000035004
ID_PLAIN=20000000-0000-4000-8000-000000035005
EXT=extension_00000000000040008000000000000002_OnPremisesDN

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.plain
mS-DS-ConsistencyGuid:: $G_ANN

dn: $WADE
objectClass: user
sAMAccountName: wade.admincount
adminCount: 1
mS-DS-ConsistencyGuid:: $G_WADE

dn: $HIGH
objectClass: group
sAMAccountName: SG-Admincount
adminCount: 1

dn: $NEST
objectClass: group
sAMAccountName: SG-In-DA

dn: $PLAIN
objectClass: group
sAMAccountName: SG-Plain
member: $ADMIN
EOF
admodify >/dev/null <<EOF
dn: $DA
changetype: modify
add: member
member: $NEST
EOF
verdict "SG-In-DA is nested in Domain Admins"
SID_DA=$(ad_sid "$DA") SID_HIGH=$(ad_sid "$HIGH") SID_NEST=$(ad_sid "$NEST") SID_PLAIN=$(ad_sid "$PLAIN")
SID_ADMIN=$(ad_sid "$ADMIN")
check "Domain Admins has RID 512" [ "${SID_DA##*-}" = 512 ]

cm() {	# id name sid members-json [extra]
	echo "{\"id\": \"$1\", \"displayName\": \"$2\", \"description\": \"claimed by the cloud\",
	  \"mailEnabled\": false, \"mailNickname\": \"x$1\", \"securityEnabled\": true, \"groupTypes\": [],
	  \"onPremisesSecurityIdentifier\": \"$3\", \"onPremisesSyncEnabled\": null,
	  \"onPremisesSyncBehavior\": {\"isCloudManaged\": true}, \"members\": $4,
	  \"$EXT\": \"CN=$2,$CG\"}"
}
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.plain@corp.example.test", "displayName": "Ann Plain",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true},
 {"id": "$ID_WADE", "userPrincipalName": "wade@corp.example.test", "displayName": "Wade Admincount",
  "onPremisesImmutableId": "$G_WADE", "onPremisesSyncEnabled": true},
 {"id": "$ID_ADMIN", "userPrincipalName": "administrator@corp.example.test", "displayName": "Administrator",
  "onPremisesSecurityIdentifier": "$SID_ADMIN", "onPremisesSyncEnabled": true}
],
"groups": [
 $(cm "$ID_DA" "Pwned Admins" "$SID_DA" "[\"$ID_ANN\"]"),
 $(cm "$ID_ADMS" "Pwned Builtin" "S-1-5-32-544" "[\"$ID_ANN\"]"),
 $(cm "$ID_HIGH" "SG-Admincount" "$SID_HIGH" "[\"$ID_ANN\"]"),
 $(cm "$ID_NEST" "SG-In-DA" "$SID_NEST" "[\"$ID_ANN\"]"),
 $(cm "$ID_PLAIN" "SG-Plain" "$SID_PLAIN" "[\"$ID_ANN\", \"$ID_WADE\", \"$ID_ADMIN\", \"$ID_DA\"]")
]}
EOF
load_tenant "$T/tenant.json"
watched() { for dn in "$DA" "$ADMS" "$HIGH" "$NEST" "$ADMIN" "$WADE"; do attrs_of "$dn"; done; }
watched > "$T/before"

CONF="ou_extension=$EXT allowed_ous=$B"
gplan "$T/plan.json" $CONF; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
for dn in "$DA" "$ADMS" "$HIGH" "$NEST"; do
	check "plan: no change of ${dn%%,*}" not has_change "$T/plan.json" "$dn"
done
check "plan: Domain Admins is protected" msg_has "$T/plan.json" protected "$DA" "protected group"
check "plan: Administrators is protected" msg_has "$T/plan.json" protected "$ADMS" "protected group"
check "plan: an adminCount=1 group is protected" msg_has "$T/plan.json" protected "$HIGH" "adminCount=1"
check "plan: a group nested in Domain Admins is protected" msg_has "$T/plan.json" protected "$NEST" "nested in $DA"
check "plan: SG-Plain gets only Ann" [ "$(member_delta "$T/plan.json" "$PLAIN" add)" = "$(jlist "$ANN")" ]
check "plan: ... never the adminCount=1 user" msg_has "$T/plan.json" protected "$PLAIN" '"Wade Admincount" is protected'
check "plan: ... never Domain Admins" msg_has "$T/plan.json" protected "$PLAIN" '"Pwned Admins" is protected'
check "plan: ... never the Administrator" msg_has "$T/plan.json" protected "$PLAIN" '"Administrator" is protected'
check "plan: ... and keeps the Administrator it has" msg_has "$T/plan.json" protected "$PLAIN" "never removed"

gsync "$T/sync.json" $CONF; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
watched > "$T/after"
if cmp -s "$T/before" "$T/after"; then ok "Domain Admins, Administrators, the protected groups and accounts are unchanged"
else nok "protected objects unchanged"; diff "$T/before" "$T/after" | head -5 | sed 's/^/#   /'; fi
same_vals "Domain Admins' members are as they were" "$DA" member "$ADMIN" "$NEST"
same_vals "SG-Plain: Ann added, the Administrator kept" "$PLAIN" member "$ADMIN" "$ANN"
finish
