#!/bin/bash
# 033: provisioning cloud security groups (groups.provision = true).  Each is
# created under groups.default_ou with the configured type, a valid and unique
# sAMAccountName and cn, its description and display name, and the anchor
# adminDescription = msDS-ExternalDirectoryObjectId = Group_<cloud id>, by
# which the next run joins it: a second run creates nothing.  A name taken by
# an existing AD object is resolved without touching that object; Microsoft
# 365 groups and groups not listed in provision_groups are not created.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN" CG="OU=Cloud Groups,OU=Groups,$LAB_BASE_DN"
ANN="CN=Ann Prov,$S" OLD="CN=SG-Collide,$CG" TAKER="CN=Sam Taker,$S"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000033001)
ID_ANN=10000000-0000-4000-8000-000000033001 ID_EVE=10000000-0000-4000-8000-000000033002
ID_A=20000000-0000-4000-8000-000000033001 ID_B=20000000-0000-4000-8000-000000033002
ID_C=20000000-0000-4000-8000-000000033003 ID_D=20000000-0000-4000-8000-000000033004
ID_E=20000000-0000-4000-8000-000000033005 ID_F=20000000-0000-4000-8000-000000033006

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.prov
mS-DS-ConsistencyGuid:: $G_ANN

dn: $TAKER
objectClass: user
sAMAccountName: SG-Sam-Taken

dn: $OLD
objectClass: group
sAMAccountName: SG-Collide
description: an AD group that is not soabridge's
member: $TAKER

dn: CN=SG-Machine,$CG
objectClass: computer
sAMAccountName: SG-MACHINE\$

dn: OU=SG-Branch,$CG
objectClass: organizationalUnit
EOF
attrs_of "$OLD" > "$T/old.before"; old_usn=$(usn_changed "$OLD")

grp() {	# id name [extra JSON]
	echo "{\"id\": \"$1\", \"displayName\": \"$2\", \"mailEnabled\": false, \"mailNickname\": \"x$1\",
	  \"securityEnabled\": true, \"groupTypes\": [], \"members\": [\"$ID_ANN\", \"$ID_EVE\"]${3:+, $3}}"
}
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.prov@corp.example.test", "displayName": "Ann Prov",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true},
 {"id": "$ID_EVE", "userPrincipalName": "eve@demo.onmicrosoft.com", "displayName": "Eve Cloud"}
],
"groups": [
 $(grp "$ID_A" 'Projects/Alpha: Beta*' '"description": "Project Alpha team"'),
 $(grp "$ID_B" 'SG-Collide' '"description": "the cloud one"'),
 $(grp "$ID_C" 'SG-Sam-Taken'),
 $(grp "$ID_D" 'All Company' '"groupTypes": ["Unified"], "mailEnabled": true'),
 $(grp "$ID_E" 'Sales, EMEA'),
 $(grp 20000000-0000-4000-8000-000000033008 'SG-Machine'),
 $(grp 20000000-0000-4000-8000-000000033009 'SG-Branch')
]}
EOF
load_tenant "$T/tenant.json"
A="CN=Projects/Alpha: Beta*,$CG" B="CN=SG-Collide (2),$CG" C="CN=SG-Sam-Taken,$CG" E="CN=Sales\\, EMEA,$CG"
adds() { jpy "$1" "sorted(c['dn'] for c in d['changes'] if c['op'] == 'add')"; }
# add_val FILE DN ATTR: the values of ATTR in DN's ADD, as JSON.
add_val() { jpy "$1" "[v for c in d['changes'] if c['op'] == 'add' and c['dn'] == a[0] for x in c['deltas'] if x['attribute'] == a[1] for v in x['values']]" "$2" "$3"; }

usn0=$(highest_usn)
gplan "$T/plan.json" provision=true type=global; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: six groups to create, under the default OU" \
    [ "$(adds "$T/plan.json")" = "$(jlist "$A" "$B" "$C" "$E" "CN=SG-Machine (2),$CG" "CN=SG-Branch (2),$CG")" ]
check "plan: a name a computer holds is not taken" [ "$(add_val "$T/plan.json" "CN=SG-Machine (2),$CG" sAMAccountName)" = '["SG-Machine"]' ]
check "plan: the Microsoft 365 group is not created" \
    msg_has "$T/plan.json" cloud-only "$ID_D" "not a security group"
check "plan: groupType global security" [ "$(add_val "$T/plan.json" "$A" groupType)" = '["-2147483646"]' ]
check "plan: sAMAccountName without the characters AD refuses" \
    [ "$(add_val "$T/plan.json" "$A" sAMAccountName)" = '["Projects_Alpha_ Beta_"]' ]
check "plan: a cn taken by an AD group gets the next free name" \
    [ "$(add_val "$T/plan.json" "$B" sAMAccountName)" = '["SG-Collide-2"]' ]
check "plan: a sAMAccountName taken by a user gets a suffix, the cn stays" \
    [ "$(add_val "$T/plan.json" "$C" sAMAccountName)" = '["SG-Sam-Taken-2"]' ]
check "plan: the anchor Group_<id>" [ "$(add_val "$T/plan.json" "$A" adminDescription)" = "[\"Group_$ID_A\"]" ]
check "plan: the members follow the creation" [ "$(member_delta "$T/plan.json" "$A" add)" = "$(jlist "$ANN")" ]
check "plan: the cloud-only member is reported" msg_has "$T/plan.json" unresolved "$ID_A" '"Eve Cloud"'
check "plan wrote nothing" [ "$(highest_usn)" = "$usn0" ]
"$SOABRIDGE" -c "$(lab_conf provision=true type=global)" plan > "$T/plan.txt" 2>&1
check "plan (text) shows the creation" grep -q "^+ add CN=Projects/Alpha: Beta\*,$CG (part 1 of 2)" "$T/plan.txt"

gsync "$T/sync.json" provision=true type=global; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
same_vals "created: objectClass" "$A" objectClass top group
same_vals "created: groupType global security" "$A" groupType -2147483646
same_vals "created: sAMAccountName" "$A" sAMAccountName "Projects_Alpha_ Beta_"
same_vals "created: description" "$A" description "Project Alpha team"
same_vals "created: displayName" "$A" displayName "Projects/Alpha: Beta*"
same_vals "created: adminDescription" "$A" adminDescription "Group_$ID_A"
same_vals "created: msDS-ExternalDirectoryObjectId" "$A" msDS-ExternalDirectoryObjectId "Group_$ID_A"
same_vals "created: its resolvable member" "$A" member "$ANN"
same_vals "the colliding one: a group of its own" "$B" adminDescription "Group_$ID_B"
same_vals "... with its own description" "$B" description "the cloud one"
same_vals "the sAMAccountName taken by a user: suffixed" "$C" sAMAccountName "SG-Sam-Taken-2"
same_vals "a name with a comma: escaped in the DN" "$E" adminDescription "Group_$ID_E"
check "the existing SG-Collide is untouched (uSNChanged)" [ "$(usn_changed "$OLD")" = "$old_usn" ]
attrs_of "$OLD" | cmp -s - "$T/old.before"; verdict "the existing SG-Collide is untouched (attributes)"
check "the Microsoft 365 group was not created" [ -z "$(group_dn "(displayName=All Company)")" ]

gplan "$T/plan2.json" provision=true type=global
check "second plan: nothing to create, nothing to change" \
    jtrue "$T/plan2.json" "d['summary']['changes'] == 0 and not any(c['op'] == 'add' for c in d['changes'])"
gsync "$T/sync2.json" provision=true type=global
check "second sync: nothing created twice" [ "$(adsearch -b "$CG" "(adminDescription=Group_$ID_A)" dn | grep -c '^dn:')" -eq 1 ]

# A new cloud group, with the default type (universal) and provision_groups naming it.
echo "{\"_type\": \"group\", \"displayName\": \"SG-Later\", \"mailEnabled\": false, \"mailNickname\": \"SG-Later\",
  \"securityEnabled\": true, \"groupTypes\": [], \"members\": [\"$ID_ANN\"]}" | fake PATCH "objects/$ID_F" - >/dev/null
verdict "PATCH: a new cloud group SG-Later"
echo '{"_type": "group", "displayName": "SG-Unlisted", "mailEnabled": false, "mailNickname": "SG-Unlisted",
  "securityEnabled": true, "groupTypes": []}' | fake PATCH "objects/20000000-0000-4000-8000-000000033007" - >/dev/null
gplan "$T/plan3.json" provision=true "provision_groups=$ID_A;$ID_B;$ID_C;$ID_E;$ID_F"
check "plan: only SG-Later is created" [ "$(adds "$T/plan3.json")" = "$(jlist "CN=SG-Later,$CG")" ]
check "plan: universal by default" [ "$(add_val "$T/plan3.json" "CN=SG-Later,$CG" groupType)" = '["-2147483640"]' ]
check "plan: a group not in provision_groups is reported" \
    msg_has "$T/plan3.json" cloud-only 20000000-0000-4000-8000-000000033007 "provision_groups"
finish
