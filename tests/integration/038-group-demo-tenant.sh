#!/bin/bash
# 038: the demo tenant's groups (tests/fixtures/demo-tenant.json with
# demo-ad.ldif and demo-groups.ldif).  SG-Cloud-Engineering, cloud-managed,
# whose SID names no AD object, joins by its writeback anchor; Alice and Bob
# become members, Dave (cloud-only), the laptop and the AD-owned
# SG-Onprem-Finance (not in AD) are reported by name, Carol (in AD, synced,
# not a cloud member) is removed.  With ou_extension, the group moves to the
# OU its extension remembers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
seed_ldif "$TOP/tests/fixtures/demo-groups.ldif"
load_tenant "$TOP/tests/fixtures/demo-tenant.json"

B=$LAB_BASE_DN S="OU=Staff,$LAB_BASE_DN"
ENG="CN=SG-Cloud-Engineering,OU=Cloud Groups,OU=Groups,$B"
ID_ENG=20000000-0000-4000-8000-000000000001
EXT=extension_00000000000040008000000000000002_OnPremisesDN

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: Alice and Bob become members" [ "$(member_delta "$T/plan.json" "$ENG" add)" = "$(jlist "CN=Alice Cloud,$S" "CN=Bob Exchange,$S")" ]
check "plan: Carol (synced, not a cloud member) is removed" [ "$(member_delta "$T/plan.json" "$ENG" delete)" = "$(jlist "CN=Carol Synced,$S")" ]
check "plan: allowed by isCloudManaged" jtrue "$T/plan.json" "all(c['rule'] == 'isCloudManaged' for c in d['changes'] if c['dn'] == a[0])" "$ENG"
check "plan: Dave (cloud-only) is reported" msg_has "$T/plan.json" unresolved "$ENG" '"Dave Cloudonly"'
check "plan: the laptop is reported" msg_has "$T/plan.json" unresolved "$ENG" '"LAPTOP-ALICE01" (device'
check "plan: SG-Onprem-Finance (not in AD) is reported" msg_has "$T/plan.json" unresolved "$ENG" '"SG-Onprem-Finance" (group'
check "plan: SG-Onprem-Finance itself is not joined" has_finding "$T/plan.json" not-joined 20000000-0000-4000-8000-000000000002
sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
same_vals "SG-Cloud-Engineering: Alice and Bob" "$ENG" member "CN=Alice Cloud,$S" "CN=Bob Exchange,$S"

gplan "$T/plan2.json" "ou_extension=$EXT"
check "with ou_extension: moved to OU=Groups, as its extension remembers" \
    jtrue "$T/plan2.json" "[(c['op'], c['new_superior']) for c in d['changes'] if c['dn'] == a[0]] == [('rename', a[1])]" "$ENG" "OU=Groups,$B"
gsync "$T/sync2.json" "ou_extension=$EXT"; rc=$?
check "sync (ou_extension) exits 0" [ $rc -eq 0 ]
same_vals "the moved group keeps its members" "CN=SG-Cloud-Engineering,OU=Groups,$B" member "CN=Alice Cloud,$S" "CN=Bob Exchange,$S"
gplan "$T/plan3.json" "ou_extension=$EXT"
check "next plan: nothing for the group" not has_change "$T/plan3.json" "CN=SG-Cloud-Engineering,OU=Groups,$B"
finish
