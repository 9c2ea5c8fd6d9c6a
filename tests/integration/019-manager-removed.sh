#!/bin/bash
# 019: an isCloudManaged user's manager follows the cloud both ways: set in the
# cloud, AD's manager becomes the manager's DN; removed in the cloud (the user
# has no manager any more), AD's manager is cleared.  (Different from 011's
# unresolved case: there the cloud names a manager that has no AD object, and
# AD's manager is left alone.)
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
EMMA="CN=Emma Report,$S" MAX="CN=Max Manager,$S"
G_EMMA=$(hex_b64 5a0b1c2d3e4f40118000000000019001)
G_MAX=$(hex_b64 5a0b1c2d3e4f40118000000000019002)
ID_EMMA=10000000-0000-4000-8000-000000019001 ID_MAX=10000000-0000-4000-8000-000000019002

seed_ldif <<EOF
dn: $MAX
objectClass: user
sAMAccountName: max.manager
displayName: Max Manager
mS-DS-ConsistencyGuid:: $G_MAX

dn: $EMMA
objectClass: user
sAMAccountName: emma.report
displayName: Emma Report
title: Analyst
mS-DS-ConsistencyGuid:: $G_EMMA
EOF

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_EMMA", "userPrincipalName": "emma@corp.example.test", "displayName": "Emma Report",
  "jobTitle": "Analyst", "onPremisesImmutableId": "$G_EMMA", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}, "manager": "$ID_MAX"},
 {"id": "$ID_MAX", "userPrincipalName": "max@corp.example.test", "displayName": "Max Manager",
  "onPremisesImmutableId": "$G_MAX", "onPremisesSyncEnabled": true}
]}
EOF
load_tenant "$T/tenant.json"

sb_sync "$T/sync1.json"; rc=$?
check "first sync exits 0" [ $rc -eq 0 ]
same_vals "first sync: manager is the manager's DN" "$EMMA" manager "$MAX"

echo '{"manager": null}' | fake PATCH "objects/$ID_EMMA" - >/dev/null
verdict "PATCH: the manager is removed in the cloud"
sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
jtrue "$T/plan.json" "[(x['op'], x['before']) for c in d['changes'] if c['dn'] == a[0] for x in c['deltas'] if x['attribute'] == 'manager'] == [('delete', [a[1]])]" "$EMMA" "$MAX"
verdict "plan: the manager is deleted"
check "plan: no unresolved finding (there is no manager to resolve)" not has_finding "$T/plan.json" unresolved "$EMMA"
sb_sync "$T/sync2.json"; rc=$?
check "second sync exits 0" [ $rc -eq 0 ]
same_vals "second sync: AD has no manager" "$EMMA" manager
finish
