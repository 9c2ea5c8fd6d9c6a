#!/bin/bash
# 015: the join.  (a) mS-DS-ConsistencyGuid, when set, is the anchor: an
# immutableId of its bytes joins (and the user is written), one of the
# objectGUID's does not (not-joined, no write); (b) without
# mS-DS-ConsistencyGuid the objectGUID joins; (c) without an immutableId,
# onPremisesSecurityIdentifier = objectSid joins; (d) anchors that match
# nothing give a not-joined finding and sync creates nothing.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
UA="CN=Ulla Consistency,$S" UB="CN=Uwe Objectguid,$S" UC="CN=Una Sid,$S"
CG_A=$(hex_b64 5a0b1c2d3e4f40118000000000015001)
ID_A=10000000-0000-4000-8000-000000015001 ID_B=10000000-0000-4000-8000-000000015002
ID_C=10000000-0000-4000-8000-000000015003 ID_D=10000000-0000-4000-8000-000000015004

seed_ldif <<EOF
dn: $UA
objectClass: user
sAMAccountName: ulla.consistency
displayName: Ulla Consistency
extensionAttribute1: ad-a
mS-DS-ConsistencyGuid:: $CG_A

dn: $UB
objectClass: user
sAMAccountName: uwe.objectguid
displayName: Uwe Objectguid
extensionAttribute1: ad-b

dn: $UC
objectClass: user
sAMAccountName: una.sid
displayName: Una Sid
title: AD Title
extensionAttribute1: ad-c
EOF

OG_A=$(ad_guid_b64 "$UA") OG_B=$(ad_guid_b64 "$UB") SID_C=$(ad_sid "$UC")
check "Ulla's objectGUID differs from her mS-DS-ConsistencyGuid" [ -n "$OG_A" -a "$OG_A" != "$CG_A" ]
check "Una has a SID" [ "${SID_C#$LAB_DOMAIN_SID-}" != "$SID_C" ]
# Anchors of nobody: fresh GUID bytes, a RID nobody has.
CG_D=$(hex_b64 5a0b1c2d3e4f40118000000000015004)
SID_D="$LAB_DOMAIN_SID-987654"

# tenant ANCHOR_OF_A: the four users, each IsExchangeCloudManaged with CustomAttribute1.
tenant() {
	mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_A", "userPrincipalName": "ulla@corp.example.test", "displayName": "Ulla Consistency",
  "onPremisesImmutableId": "$1", "onPremisesSyncEnabled": true},
 {"id": "$ID_B", "userPrincipalName": "uwe@corp.example.test", "displayName": "Uwe Objectguid",
  "onPremisesImmutableId": "$OG_B", "onPremisesSyncEnabled": true},
 {"id": "$ID_C", "userPrincipalName": "una@corp.example.test", "displayName": "Una Sid",
  "jobTitle": "Cloud Title", "onPremisesSecurityIdentifier": "$SID_C", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}},
 {"id": "$ID_D", "userPrincipalName": "dora.nowhere@corp.example.test", "displayName": "Dora Nowhere",
  "jobTitle": "Ghost", "onPremisesImmutableId": "$CG_D", "onPremisesSecurityIdentifier": "$SID_D",
  "onPremisesSamAccountName": "dora.nowhere", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_A", "Alias": "ulla", "EmailAddresses": ["SMTP:ulla@corp.example.test"],
  "WindowsEmailAddress": "ulla@corp.example.test", "IsDirSynced": true, "IsExchangeCloudManaged": true,
  "CustomAttribute1": "$2"},
 {"ExternalDirectoryObjectId": "$ID_B", "Alias": "uwe", "EmailAddresses": ["SMTP:uwe@corp.example.test"],
  "WindowsEmailAddress": "uwe@corp.example.test", "IsDirSynced": true, "IsExchangeCloudManaged": true,
  "CustomAttribute1": "cloud-b"},
 {"ExternalDirectoryObjectId": "$ID_C", "Alias": "una", "EmailAddresses": ["SMTP:una@corp.example.test"],
  "WindowsEmailAddress": "una@corp.example.test", "IsDirSynced": false, "IsExchangeCloudManaged": false,
  "CustomAttribute1": "cloud-c"},
 {"ExternalDirectoryObjectId": "$ID_D", "Alias": "dora", "EmailAddresses": ["SMTP:dora@corp.example.test"],
  "WindowsEmailAddress": "dora@corp.example.test", "IsDirSynced": false, "IsExchangeCloudManaged": true,
  "CustomAttribute1": "cloud-d"}
]}
EOF
	load_tenant "$T/tenant.json"
}
count_users() { adsearch -b "$LAB_BASE_DN" "(objectClass=user)" dn | grep -c '^dn'; }
all_dns() { adsearch -b "$LAB_BASE_DN" "(objectClass=*)" dn | grep '^dn' | sort; }

tenant "$CG_A" cloud-a
sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
check "(a) joined by mS-DS-ConsistencyGuid: a change" has_change "$T/plan.json" "$UA"
check "(b) joined by objectGUID: a change" has_change "$T/plan.json" "$UB"
check "(c) joined by objectSid: a change" has_change "$T/plan.json" "$UC"
check "(d) no AD match: not-joined finding" has_finding "$T/plan.json" not-joined "$ID_D"
jtrue "$T/plan.json" "not any(c['cloud_id'] == a[0] or c['op'] != 'modify' for c in d['changes'])" "$ID_D"
verdict "(d) no change for it, and no change other than modify"
check "plan: the other three are not not-joined" \
    not jtrue "$T/plan.json" "any(f['kind'] == 'not-joined' and f['cloud_id'] in a for f in d['findings'])" "$ID_A" "$ID_B" "$ID_C"

all_dns > "$T/all0"; users0=$(count_users)
sb_sync "$T/sync.json"; rc=$?
all_dns > "$T/all1"; users1=$(count_users)
check "sync exits 0" [ $rc -eq 0 ]
same_vals "(a) written through the consistency-guid join" "$UA" extensionAttribute1 cloud-a
same_vals "(b) written through the objectGUID join" "$UB" extensionAttribute1 cloud-b
same_vals "(c) written through the SID join (exchange)" "$UC" extensionAttribute1 cloud-c
same_vals "(c) written through the SID join (identity)" "$UC" title "Cloud Title"
check "(d) no user created in AD" [ "$users1" -eq "$users0" ]
if cmp -s "$T/all0" "$T/all1"; then ok "(d) no object at all created in AD"
else nok "(d) no object at all created in AD"; diff "$T/all0" "$T/all1" | head -5 | sed 's/^/#   /'; fi
check "(d) no AD object named after the cloud user" \
    [ -z "$(adsearch -b "$LAB_BASE_DN" "(|(sAMAccountName=dora.nowhere)(displayName=Dora Nowhere)(mail=dora@corp.example.test))" dn | grep '^dn')" ]

# (a) again, with an immutableId of the objectGUID: mS-DS-ConsistencyGuid is the anchor, so no join.
tenant "$OG_A" cloud-a-again
usn_a=$(usn_changed "$UA")
sb_plan "$T/plan2.json"; rc=$?
check "plan (objectGUID immutableId) exits 0" [ $rc -eq 0 ]
check "(a) objectGUID immutableId with a consistency guid set: not-joined" has_finding "$T/plan2.json" not-joined "$ID_A"
check "(a) ... and no change for the user" not has_change "$T/plan2.json" "$UA"
sb_sync "$T/sync2.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
same_vals "(a) ... not written by sync" "$UA" extensionAttribute1 cloud-a
check "(a) ... uSNChanged unchanged" [ "$(usn_changed "$UA")" = "$usn_a" ]
finish
