#!/bin/bash
# 032: nested groups.  A cloud-managed group whose cloud members include
# another synced group gets that group's AD DN as a member; a cloud-only
# group it contains is reported (not a member) until it exists in AD; once
# provisioning creates that group, it becomes a member in the same run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN" CG="OU=Cloud Groups,OU=Groups,$LAB_BASE_DN" G="OU=Groups,$LAB_BASE_DN"
ANN="CN=Ann Nested,$S" PARENT="CN=SG-Parent,$CG" CHILD="CN=SG-Child,$G"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000032001)
ID_ANN=10000000-0000-4000-8000-000000032001
ID_PARENT=20000000-0000-4000-8000-000000032001 ID_CHILD=20000000-0000-4000-8000-000000032002
ID_CLOUD=20000000-0000-4000-8000-000000032003

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.nested
mS-DS-ConsistencyGuid:: $G_ANN

dn: $PARENT
objectClass: group
sAMAccountName: SG-Parent

dn: $CHILD
objectClass: group
sAMAccountName: SG-Child
member: $ANN
EOF
SID_PARENT=$(ad_sid "$PARENT") SID_CHILD=$(ad_sid "$CHILD")

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.nested@corp.example.test", "displayName": "Ann Nested",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true}
],
"groups": [
 {"id": "$ID_PARENT", "displayName": "SG-Parent", "mailEnabled": false, "mailNickname": "SG-Parent",
  "securityEnabled": true, "groupTypes": [], "onPremisesSecurityIdentifier": "$SID_PARENT",
  "onPremisesSyncEnabled": null, "onPremisesSyncBehavior": {"isCloudManaged": true},
  "members": ["$ID_ANN", "$ID_CHILD", "$ID_CLOUD"]},
 {"id": "$ID_CHILD", "displayName": "SG-Child", "mailEnabled": false, "mailNickname": "SG-Child",
  "securityEnabled": true, "groupTypes": [], "onPremisesSecurityIdentifier": "$SID_CHILD",
  "onPremisesSyncEnabled": true, "onPremisesSyncBehavior": {"isCloudManaged": false},
  "members": ["$ID_ANN"]},
 {"id": "$ID_CLOUD", "displayName": "SG-Cloud Born", "description": "made in the cloud",
  "mailEnabled": false, "mailNickname": "SG-Cloud-Born", "securityEnabled": true, "groupTypes": [],
  "members": ["$ID_ANN"]}
]}
EOF
load_tenant "$T/tenant.json"

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: SG-Parent gets Ann and the synced group SG-Child" \
    [ "$(member_delta "$T/plan.json" "$PARENT" add)" = "$(jlist "$ANN" "$CHILD")" ]
check "plan: the cloud-only nested group is reported, not added" \
    msg_has "$T/plan.json" unresolved "$PARENT" '"SG-Cloud Born" (group'
check "plan: SG-Child (AD's) is not changed" not has_change "$T/plan.json" "$CHILD"
check "plan: the cloud-only group is not provisioned (provision = false)" \
    msg_has "$T/plan.json" cloud-only "$ID_CLOUD" "groups.provision is false"

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
same_vals "SG-Parent: Ann and SG-Child" "$PARENT" member "$ANN" "$CHILD"
same_vals "SG-Child is as it was" "$CHILD" member "$ANN"
check "SG-Child's memberOf shows SG-Parent" grep -q "memberOf: $PARENT" <(adsearch -b "$CHILD" -s base memberOf)

# Provisioning on: SG-Cloud Born is created, and is SG-Parent's member in the same run.
gplan "$T/plan2.json" provision=true; rc=$?
check "plan (provision) exits 0" [ $rc -eq 0 ]
NEW="CN=SG-Cloud Born,$CG"
check "plan: SG-Cloud Born is created in the default OU" \
    jtrue "$T/plan2.json" "any(c['op'] == 'add' and c['dn'] == a[0] for c in d['changes'])" "$NEW"
check "plan: and added to SG-Parent by its new DN" [ "$(member_delta "$T/plan2.json" "$PARENT" add)" = "$(jlist "$NEW")" ]
check "plan: creations come before modifies" \
    jtrue "$T/plan2.json" "[c['op'] for c in d['changes']] == sorted((c['op'] for c in d['changes']), key=['add', 'modify', 'rename', 'delete'].index)"
gsync "$T/sync2.json" provision=true; rc=$?
check "sync (provision) exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync2.json.err"
same_vals "SG-Parent: Ann, SG-Child and SG-Cloud Born" "$PARENT" member "$ANN" "$CHILD" "$NEW"
same_vals "SG-Cloud Born got its own member" "$NEW" member "$ANN"
gplan "$T/plan3.json" provision=true
check "next plan: nothing to do" jtrue "$T/plan3.json" "d['summary']['changes'] == 0"
finish
