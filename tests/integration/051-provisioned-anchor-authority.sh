#!/bin/bash
# 051: the writeback anchor does not override Graph (issue 11, test 3).  Three
# AD groups carry adminDescription = Group_<their cloud id>: SG-Synced, whose
# cloud group says onPremisesSyncEnabled = true (Entra Connect owns it);
# SG-Back, handed back (isCloudManaged false, onPremisesSyncEnabled null,
# on-premises anchors); SG-Own, a cloud-only group as soabridge provisions
# them.  Only SG-Own is written; the other two keep their members and
# description (uSNChanged unchanged), with an inconsistent-soa and a
# handed-back finding that say why.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B"
ANN="CN=Ann Anchor,$S" BEN="CN=Ben Anchor,$S"
SYNCED="CN=SG-Synced,$CG" BACK="CN=SG-Back,$CG" OWN="CN=SG-Own,$CG"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000051001) G_BEN=$(hex_b64 5a0b1c2d3e4f40118000000000051002)
ID_ANN=10000000-0000-4000-8000-000000051001 ID_BEN=10000000-0000-4000-8000-000000051002
ID_SYNCED=20000000-0000-4000-8000-000000051001 ID_BACK=20000000-0000-4000-8000-000000051002
ID_OWN=20000000-0000-4000-8000-000000051003

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.anchor
mS-DS-ConsistencyGuid:: $G_ANN

dn: $BEN
objectClass: user
sAMAccountName: ben.anchor
mS-DS-ConsistencyGuid:: $G_BEN

dn: $SYNCED
objectClass: group
sAMAccountName: SG-Synced
description: AD's description
adminDescription: Group_$ID_SYNCED
member: $ANN

dn: $BACK
objectClass: group
sAMAccountName: SG-Back
description: AD's description
adminDescription: Group_$ID_BACK
member: $ANN

dn: $OWN
objectClass: group
sAMAccountName: SG-Own
description: AD's description
adminDescription: Group_$ID_OWN
member: $ANN
EOF
SID_SYNCED=$(ad_sid "$SYNCED") SID_BACK=$(ad_sid "$BACK")

grp() {	# id name extra-json
	echo "{\"id\": \"$1\", \"displayName\": \"$2\", \"description\": \"the cloud's description\",
	  \"mailEnabled\": false, \"mailNickname\": \"$2\", \"securityEnabled\": true, \"groupTypes\": [],
	  \"members\": [\"$ID_BEN\"]$3}"
}
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.anchor@corp.example.test", "displayName": "Ann Anchor",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true},
 {"id": "$ID_BEN", "userPrincipalName": "ben.anchor@corp.example.test", "displayName": "Ben Anchor",
  "onPremisesImmutableId": "$G_BEN", "onPremisesSyncEnabled": true}
],
"groups": [
 $(grp "$ID_SYNCED" SG-Synced ", \"onPremisesSecurityIdentifier\": \"$SID_SYNCED\", \"onPremisesSyncEnabled\": true"),
 $(grp "$ID_BACK" SG-Back ", \"onPremisesSecurityIdentifier\": \"$SID_BACK\", \"onPremisesSyncEnabled\": null, \"onPremisesSyncBehavior\": {\"isCloudManaged\": false}"),
 $(grp "$ID_OWN" SG-Own "")
]}
EOF
load_tenant "$T/tenant.json"
synced_usn=$(usn_changed "$SYNCED") back_usn=$(usn_changed "$BACK")

gplan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: no change of SG-Synced (Entra Connect syncs it)" not has_change "$T/plan.json" "$SYNCED"
check "plan: no change of SG-Back (handed back)" not has_change "$T/plan.json" "$BACK"
check "plan: SG-Synced: an inconsistent-soa finding says why" \
    msg_has "$T/plan.json" inconsistent-soa "$SYNCED" "onPremisesSyncEnabled is true: Entra Connect syncs this group"
check "plan: SG-Back: a handed-back finding" msg_has "$T/plan.json" handed-back "$BACK" "AD's again"
check "plan: SG-Own (cloud-only, provisioned) is written: rule provisioned" \
    jtrue "$T/plan.json" "any(c['dn'].lower() == a[0].lower() and c['rule'] == 'provisioned' for c in d['changes'])" "$OWN"

gsync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
check "SG-Synced is not written (uSNChanged)" [ "$(usn_changed "$SYNCED")" = "$synced_usn" ]
check "SG-Back is not written (uSNChanged)" [ "$(usn_changed "$BACK")" = "$back_usn" ]
same_vals "SG-Synced keeps its AD members" "$SYNCED" member "$ANN"
same_vals "SG-Back keeps its AD members" "$BACK" member "$ANN"
same_vals "SG-Synced keeps AD's description" "$SYNCED" description "AD's description"
same_vals "SG-Own gets the cloud's members" "$OWN" member "$BEN"
same_vals "SG-Own gets the cloud's description" "$OWN" description "the cloud's description"
finish
