#!/bin/bash
# 030: membership of a cloud-managed group (isCloudManaged, joined by its SID).
# plan shows the members to add and the findings, and writes nothing; sync
# adds the cloud members; a member added in AD by hand (with a cloud
# counterpart) is removed on the next run; an AD-only member is kept and
# reported (and removed with remove_unsynced_members = true); a cloud-only
# user and a device are reported by name; an AD-owned group beside it is
# never written.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN" CG="OU=Cloud Groups,OU=Groups,$LAB_BASE_DN" G="OU=Groups,$LAB_BASE_DN"
ANN="CN=Ann Member,$S" BEN="CN=Ben Member,$S" CID="CN=Cid Byhand,$S" DOT="CN=Dot Adonly,$S"
ENG="CN=SG-Eng,$CG" FIN="CN=SG-Fin,$G"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000030001)
G_BEN=$(hex_b64 5a0b1c2d3e4f40118000000000030002)
G_CID=$(hex_b64 5a0b1c2d3e4f40118000000000030003)
ID_ANN=10000000-0000-4000-8000-000000030001 ID_BEN=10000000-0000-4000-8000-000000030002
ID_CID=10000000-0000-4000-8000-000000030003 ID_EVE=10000000-0000-4000-8000-000000030004
ID_ENG=20000000-0000-4000-8000-000000030001 ID_FIN=20000000-0000-4000-8000-000000030002
ID_DEV=40000000-0000-4000-8000-000000030001

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.member
mS-DS-ConsistencyGuid:: $G_ANN

dn: $BEN
objectClass: user
sAMAccountName: ben.member
mS-DS-ConsistencyGuid:: $G_BEN

dn: $CID
objectClass: user
sAMAccountName: cid.byhand
mS-DS-ConsistencyGuid:: $G_CID

dn: $DOT
objectClass: user
sAMAccountName: dot.adonly

dn: $ENG
objectClass: group
sAMAccountName: SG-Eng
description: Engineering
member: $DOT

dn: $FIN
objectClass: group
sAMAccountName: SG-Fin
member: $DOT
EOF
SID_ENG=$(ad_sid "$ENG") SID_FIN=$(ad_sid "$FIN")

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann@corp.example.test", "displayName": "Ann Member",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true},
 {"id": "$ID_BEN", "userPrincipalName": "ben@corp.example.test", "displayName": "Ben Member",
  "onPremisesImmutableId": "$G_BEN", "onPremisesSyncEnabled": true},
 {"id": "$ID_CID", "userPrincipalName": "cid@corp.example.test", "displayName": "Cid Byhand",
  "onPremisesImmutableId": "$G_CID", "onPremisesSyncEnabled": true},
 {"id": "$ID_EVE", "userPrincipalName": "eve@demo.onmicrosoft.com", "displayName": "Eve Cloudonly"}
],
"devices": [{"id": "$ID_DEV", "displayName": "LAPTOP-EVE01", "deviceId": "40000000-0000-4000-8000-0000000300d1",
  "operatingSystem": "Windows", "accountEnabled": true}],
"groups": [
 {"id": "$ID_ENG", "displayName": "SG-Eng", "description": "Engineering", "mailEnabled": false,
  "mailNickname": "SG-Eng", "securityEnabled": true, "groupTypes": [],
  "onPremisesSecurityIdentifier": "$SID_ENG", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true},
  "members": ["$ID_ANN", "$ID_BEN", "$ID_EVE", "$ID_DEV"]},
 {"id": "$ID_FIN", "displayName": "SG-Fin", "mailEnabled": false, "mailNickname": "SG-Fin",
  "securityEnabled": true, "groupTypes": [], "onPremisesSecurityIdentifier": "$SID_FIN",
  "onPremisesSyncEnabled": true, "onPremisesSyncBehavior": {"isCloudManaged": false},
  "members": ["$ID_ANN", "$ID_BEN"]}
]}
EOF
load_tenant "$T/tenant.json"

usn0=$(highest_usn); fin_usn=$(usn_changed "$FIN")
sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: the cloud members are added to SG-Eng" \
    [ "$(member_delta "$T/plan.json" "$ENG" add)" = "$(jlist "$ANN" "$BEN")" ]
check "plan: SG-Eng's change is allowed by isCloudManaged" \
    jtrue "$T/plan.json" "all(c['rule'] == 'isCloudManaged' for c in d['changes'] if c['dn'] == a[0])" "$ENG"
check "plan: the AD-only member is kept and reported" msg_has "$T/plan.json" ad-only-member "$ENG" "$DOT"
check "plan: the cloud-only user is reported by name" msg_has "$T/plan.json" unresolved "$ENG" '"Eve Cloudonly"'
check "plan: the device is reported by name" msg_has "$T/plan.json" unresolved "$ENG" '"LAPTOP-EVE01" (device'
check "plan: nothing removed from SG-Eng" [ "$(member_delta "$T/plan.json" "$ENG" delete)" = "[]" ]
check "plan: the AD-owned group SG-Fin is not changed" not has_change "$T/plan.json" "$FIN"
check "plan wrote nothing (highestCommittedUSN)" [ "$(highest_usn)" = "$usn0" ]
"$SOABRIDGE" -c "$(lab_conf)" plan > "$T/plan.txt" 2>&1
check "plan (text) names the member change" grep -q "member .*+ \"$ANN\"" "$T/plan.txt"

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
same_vals "SG-Eng holds the cloud members and the AD-only one" "$ENG" member "$ANN" "$BEN" "$DOT"
same_vals "SG-Fin (AD's) is as it was" "$FIN" member "$DOT"
check "SG-Fin untouched (uSNChanged)" [ "$(usn_changed "$FIN")" = "$fin_usn" ]

# Someone adds Cid (who has a cloud counterpart) in AD by hand.
admodify >/dev/null <<EOF
dn: $ENG
changetype: modify
add: member
member: $CID
EOF
verdict "Cid added to SG-Eng by hand"
sb_plan "$T/plan2.json"
check "next plan: Cid is removed" [ "$(member_delta "$T/plan2.json" "$ENG" delete)" = "$(jlist "$CID")" ]
check "next plan: nothing else for SG-Eng" [ "$(member_delta "$T/plan2.json" "$ENG" add)" = "[]" ]
sb_sync "$T/sync2.json"; rc=$?
check "next sync exits 0" [ $rc -eq 0 ]
same_vals "next sync: the hand-added member is gone, the AD-only one stays" "$ENG" member "$ANN" "$BEN" "$DOT"

sb_sync "$T/sync3.json"
check "a third sync changes nothing" jtrue "$T/sync3.json" "d['summary']['changes'] == 0"
check "... and still reports the AD-only member" msg_has "$T/sync3.json" ad-only-member "$ENG" "$DOT"

gplan "$T/plan4.json" remove_unsynced_members=true
check "remove_unsynced_members = true: the AD-only member is removed" \
    [ "$(member_delta "$T/plan4.json" "$ENG" delete)" = "$(jlist "$DOT")" ]
check "remove_unsynced_members = true: no ad-only-member finding" not msg_has "$T/plan4.json" ad-only-member "$ENG" "$DOT"
gsync "$T/sync4.json" remove_unsynced_members=true; rc=$?
check "sync (remove_unsynced_members) exits 0" [ $rc -eq 0 ]
same_vals "SG-Eng is exactly the resolvable cloud members" "$ENG" member "$ANN" "$BEN"
same_vals "SG-Fin still as it was" "$FIN" member "$DOT"
finish
