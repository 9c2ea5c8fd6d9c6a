#!/bin/bash
# 054: groups.delete deletes only groups soabridge's own journal shows it
# created (issue 11).  SG-Mine is provisioned by a sync, SG-Foreign carries
# the same kind of anchor (adminDescription = Group_<id>) written by someone
# else (Microsoft's writeback, an admin); both cloud groups are then deleted
# in the cloud.  With groups.delete = true only SG-Mine is deleted; SG-Foreign
# stays, with a deleted-in-cloud finding saying it was not created by
# soabridge.  A group soabridge created and an undo deleted again counts no
# longer: re-created by hand with the anchor, it is not deleted either.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B"
ANN="CN=Ann Delete,$S" MINE="CN=SG-Mine,$CG" FOREIGN="CN=SG-Foreign,$CG" AGAIN="CN=SG-Again,$CG"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000054001)
ID_ANN=10000000-0000-4000-8000-000000054001
ID_MINE=20000000-0000-4000-8000-000000054001 ID_FOREIGN=20000000-0000-4000-8000-000000054002
ID_AGAIN=20000000-0000-4000-8000-000000054003

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.delete
mS-DS-ConsistencyGuid:: $G_ANN

dn: $FOREIGN
objectClass: group
sAMAccountName: SG-Foreign
adminDescription: Group_$ID_FOREIGN
EOF

user="{\"id\": \"$ID_ANN\", \"userPrincipalName\": \"ann.delete@corp.example.test\",
  \"displayName\": \"Ann Delete\", \"onPremisesImmutableId\": \"$G_ANN\", \"onPremisesSyncEnabled\": true}"
grp() { echo "{\"id\": \"$1\", \"displayName\": \"$2\", \"mailEnabled\": false, \"mailNickname\": \"$2\",
  \"securityEnabled\": true, \"groupTypes\": [], \"members\": [\"$ID_ANN\"]}"; }
mk_tenant "$T/tenant1.json" <<EOF
{"users": [$user], "groups": [$(grp "$ID_MINE" SG-Mine), $(grp "$ID_FOREIGN" SG-Foreign), $(grp "$ID_AGAIN" SG-Again)]}
EOF
mk_tenant "$T/tenant2.json" <<EOF
{"users": [$user], "groups": []}
EOF
CONF=$(lab_conf provision=true delete=true)

load_tenant "$T/tenant1.json"
sb "$CONF" sync --format json >"$T/sync1.json" 2>"$T/sync1.err"; rc=$?
check "first sync (SG-Mine and SG-Again provisioned) exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync1.err"
run1=$(jpy "$T/sync1.json" "d.get('run')")
same_vals "SG-Mine created by soabridge" "$MINE" member "$ANN"
same_vals "SG-Again created by soabridge" "$AGAIN" member "$ANN"
same_vals "SG-Foreign (joined by its anchor) got Ann" "$FOREIGN" member "$ANN"

# The creation of SG-Again is undone (deleted), then an admin makes it again
# by hand with the same anchor: soabridge did not create this one.
sb "$CONF" undo "$run1" >"$T/undo.txt" 2>"$T/undo.err"; rc=$?
check "undo of the first sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/undo.err"
check "undo: SG-Again is gone" [ -z "$(adsearch -b "$AGAIN" -s base dn 2>/dev/null)" ]
check "undo: SG-Mine is gone too" [ -z "$(adsearch -b "$MINE" -s base dn 2>/dev/null)" ]
printf 'dn: %s\nobjectClass: group\nsAMAccountName: SG-Again\nadminDescription: Group_%s\n' \
    "$AGAIN" "$ID_AGAIN" | seed_ldif
sb "$CONF" sync --format json >"$T/sync2.json" 2>"$T/sync2.err"; rc=$?
check "second sync (SG-Mine provisioned again) exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync2.err"
same_vals "SG-Mine created again by soabridge" "$MINE" member "$ANN"

# All three are deleted in the cloud.
load_tenant "$T/tenant2.json"
gplan "$T/plan.json" provision=true delete=true; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: only SG-Mine is deleted" \
    jtrue "$T/plan.json" "[c['dn'] for c in d['changes'] if c['op'] == 'delete'] == [a[0]]" "$MINE"
check "plan: SG-Foreign: not created by soabridge, not deleted" \
    msg_has "$T/plan.json" deleted-in-cloud "$FOREIGN" "not created by soabridge: not deleted"
check "plan: SG-Again (made by hand after the undo): not deleted" \
    msg_has "$T/plan.json" deleted-in-cloud "$AGAIN" "not created by soabridge: not deleted"
sb "$CONF" sync --format json >"$T/sync3.json" 2>"$T/sync3.err"; rc=$?
check "sync (delete = true) exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync3.err"
check "SG-Mine is deleted" [ -z "$(adsearch -b "$CG" "(sAMAccountName=SG-Mine)" dn)" ]
check "SG-Foreign is still there" [ -n "$(adsearch -b "$FOREIGN" -s base dn 2>/dev/null)" ]
check "SG-Again is still there" [ -n "$(adsearch -b "$AGAIN" -s base dn 2>/dev/null)" ]
finish
