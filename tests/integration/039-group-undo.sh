#!/bin/bash
# 039: undo reverts a run's group structure.  One sync creates SG-Fresh and
# fills it, moves SG-Move into Team A and deletes SG-Gone (deleted in the
# cloud, groups.delete = true); all three show in the plan first.  `undo RUN`
# empties and deletes SG-Fresh (not while it holds a member someone added by
# hand: a conflict), moves SG-Move back (same objectGUID) and creates SG-Gone
# again from its journaled before-image (a NEW objectGUID, said so); undoing
# the undo brings back the state after the sync.  SG-Gone is one soabridge
# created in an earlier sync (groups.delete deletes only those: issue 11).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B" TA="OU=Team A,OU=Groups,$B"
ANN="CN=Ann Undo,$S" BEN="CN=Ben Undo,$S" CAT="CN=Cat Undo,$S"
FRESH="CN=SG-Fresh,$CG" MOVE="CN=SG-Move,$CG" MOVED="CN=SG-Move,$TA" GONE="CN=SG-Gone,$CG"
EXT=extension_00000000000040008000000000000002_OnPremisesDN
ID_ANN=10000000-0000-4000-8000-000000039001 ID_BEN=10000000-0000-4000-8000-000000039002
ID_CAT=10000000-0000-4000-8000-000000039003
ID_MOVE=20000000-0000-4000-8000-000000039001 ID_FRESH=20000000-0000-4000-8000-000000039002
ID_GONE=20000000-0000-4000-8000-000000039003
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000039001) G_BEN=$(hex_b64 5a0b1c2d3e4f40118000000000039002)
G_CAT=$(hex_b64 5a0b1c2d3e4f40118000000000039003)

seed_ldif <<EOF
dn: $TA
objectClass: organizationalUnit

dn: $ANN
objectClass: user
sAMAccountName: ann.undo
mS-DS-ConsistencyGuid:: $G_ANN

dn: $BEN
objectClass: user
sAMAccountName: ben.undo
mS-DS-ConsistencyGuid:: $G_BEN

dn: $CAT
objectClass: user
sAMAccountName: cat.undo
mS-DS-ConsistencyGuid:: $G_CAT

dn: $MOVE
objectClass: group
sAMAccountName: SG-Move
member: $ANN

EOF
SID_MOVE=$(ad_sid "$MOVE") GUID_MOVE=$(ad_guid_b64 "$MOVE")

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.undo@corp.example.test", "displayName": "Ann Undo",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true},
 {"id": "$ID_BEN", "userPrincipalName": "ben.undo@corp.example.test", "displayName": "Ben Undo",
  "onPremisesImmutableId": "$G_BEN", "onPremisesSyncEnabled": true},
 {"id": "$ID_CAT", "userPrincipalName": "cat.undo@corp.example.test", "displayName": "Cat Undo",
  "onPremisesImmutableId": "$G_CAT", "onPremisesSyncEnabled": true}
],
"groups": [
 {"id": "$ID_MOVE", "displayName": "SG-Move", "mailEnabled": false, "mailNickname": "SG-Move",
  "securityEnabled": true, "groupTypes": [], "onPremisesSecurityIdentifier": "$SID_MOVE",
  "onPremisesSyncEnabled": null, "onPremisesSyncBehavior": {"isCloudManaged": true},
  "members": ["$ID_ANN"], "$EXT": "$MOVED"},
 {"id": "$ID_FRESH", "displayName": "SG-Fresh", "description": "Fresh", "mailEnabled": false,
  "mailNickname": "SG-Fresh", "securityEnabled": true, "groupTypes": [],
  "members": ["$ID_ANN", "$ID_BEN"]}
]}
EOF
CONF=$(lab_conf ou_extension=$EXT provision=true delete=true)
exists() { [ -n "$(adsearch -b "$1" -s base dn 2>/dev/null)" ]; }
ops() { jpy "$1" "sorted([c['op'], c['dn']] for c in d['changes'])"; }

# First soabridge creates SG-Gone (with Cat), then it is deleted in the cloud.
jpy "$T/tenant.json" "dict(d, groups=[{'id': a[0], 'displayName': 'SG-Gone', 'description': 'Gone team', 'mailEnabled': False, 'mailNickname': 'SG-Gone', 'securityEnabled': True, 'groupTypes': [], 'members': [a[1]]}])" \
    "$ID_GONE" "$ID_CAT" > "$T/tenant0.json"
load_tenant "$T/tenant0.json"
sb "$CONF" sync --format json >"$T/sync0.json" 2>"$T/sync0.err"; rc=$?
check "first sync (SG-Gone provisioned) exits 0" [ $rc -eq 0 ]
same_vals "first sync: SG-Gone created with Cat" "$GONE" member "$CAT"
GUID_GONE=$(ad_guid_b64 "$GONE")
load_tenant "$T/tenant.json"

# Issue 7, test 7: shown in the plan before the sync.
sb "$CONF" plan --format json >"$T/plan.json" 2>"$T/plan.err"
check "plan: SG-Fresh created, SG-Move moved, SG-Gone deleted" jtrue "$T/plan.json" \
    "{(c['op'], c['dn'].lower()) for c in d['changes'] if c['op'] != 'modify'} == {('add', a[0].lower()), ('rename', a[1].lower()), ('delete', a[2].lower())}" \
    "$FRESH" "$MOVE" "$GONE"
sb "$CONF" sync --format json >"$T/sync.json" 2>"$T/sync.err"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -3 "$T/sync.err" | sed 's/^/#   /'
run=$(jpy "$T/sync.json" "d.get('run')")
same_vals "sync: SG-Fresh created with Ann and Ben" "$FRESH" member "$ANN" "$BEN"
check "sync: SG-Move is in Team A" exists "$MOVED"
check "sync: SG-Gone is deleted" not exists "$GONE"
check "journal: the created group's objectGUID is recorded" \
    [ "$(sql "SELECT count(*) FROM journal WHERE run = $run AND op = 'add' AND guid = ''")" -eq 0 ]

# Someone adds Cat to SG-Fresh by hand: its deletion is refused.
printf 'dn: %s\nchangetype: modify\nadd: member\nmember: %s\n' "$FRESH" "$CAT" | admodify >/dev/null
verdict "hand edit: Cat added to SG-Fresh"
usn0=$(highest_usn)
sb "$CONF" undo "$run" --dry-run >"$T/dry.txt" 2>"$T/dry.err"; rc=$?
check "undo --dry-run exits 0" [ $rc -eq 0 ]
check "undo --dry-run writes nothing" [ "$(highest_usn)" = "$usn0" ]
check "undo --dry-run: SG-Fresh not deleted (a member it did not write)" \
    grep -q "holds 1 member it did not write (\"$CAT\"): not deleted" "$T/dry.txt"
check "undo --dry-run: SG-Move moved back" grep -qi "^> rename $MOVED" "$T/dry.txt"
check "undo --dry-run: SG-Gone created again" grep -qi "^+ add $GONE" "$T/dry.txt"
check "undo --dry-run: says the new objectGUID and SID" grep -q "NEW objectGUID and SID" "$T/dry.err"
sed 's/^/#   /' "$T/dry.txt" | head -40

printf 'dn: %s\nchangetype: modify\ndelete: member\nmember: %s\n' "$FRESH" "$CAT" | admodify >/dev/null
verdict "hand edit: Cat removed again"
sb "$CONF" undo "$run" --dry-run --format json >"$T/dry.json" 2>/dev/null
# ops: (op, dn) in order; SG-Move's own modify named where it will be by then.
check "undo --dry-run: SG-Gone re-created then filled; SG-Fresh emptied then deleted" jtrue "$T/dry.json" \
    "[x for x in [(c['op'], c['dn'].lower()) for c in d['changes']] if x[1] != a[1].lower()] == [('add', a[3].lower()), ('modify', a[3].lower()), ('rename', a[2].lower()), ('modify', a[0].lower()), ('delete', a[0].lower())] and d['summary']['deletes'] == 1" \
    "$FRESH" "$MOVE" "$MOVED" "$GONE"
sb "$CONF" undo "$run" --format json >"$T/undo.json" 2>"$T/undo.err"; rc=$?
check "undo exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -3 "$T/undo.err" | sed 's/^/#   /'
urun=$(jpy "$T/undo.json" "d.get('run')")
check "undo: SG-Fresh is gone" not exists "$FRESH"
check "undo: SG-Move is back, same objectGUID" [ "$(ad_guid_b64 "$MOVE")" = "$GUID_MOVE" ]
check "undo: SG-Move is no longer in Team A" not exists "$MOVED"
same_vals "undo: SG-Gone is back with Cat" "$GONE" member "$CAT"
same_vals "undo: SG-Gone keeps its sAMAccountName" "$GONE" sAMAccountName "SG-Gone"
same_vals "undo: SG-Gone keeps its description" "$GONE" description "Gone team"
same_vals "undo: SG-Gone keeps its adminDescription" "$GONE" adminDescription "Group_$ID_GONE"
check "undo: SG-Gone has a new objectGUID" [ -n "$(ad_guid_b64 "$GONE")" -a "$(ad_guid_b64 "$GONE")" != "$GUID_GONE" ]
gplan "$T/plan2.json" ou_extension=$EXT provision=true delete=true
check "after the undo, the plan is the first one again" \
    [ "$(ops "$T/plan2.json")" = "$(ops "$T/plan.json")" ]

# Undoing the undo: the state after the sync.
sb "$CONF" undo "$urun" >"$T/undo2.txt" 2>"$T/undo2.err"; rc=$?
check "undo of the undo exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -3 "$T/undo2.err" | sed 's/^/#   /'
same_vals "undo of the undo: SG-Fresh again, with Ann and Ben" "$FRESH" member "$ANN" "$BEN"
check "undo of the undo: SG-Move in Team A, same objectGUID" [ "$(ad_guid_b64 "$MOVED")" = "$GUID_MOVE" ]
check "undo of the undo: SG-Gone deleted" not exists "$GONE"
sb "$CONF" runs --format json >"$T/runs.json"
check "runs: the first sync, sync, undo, undo of the undo; all ok, no conflicts" jtrue "$T/runs.json" \
    "[(r['command'], r['outcome'], r['conflicts']) for r in d] == [('sync', 'ok', 0), ('sync', 'ok', 0), ('undo', 'ok', 0), ('undo', 'ok', 0)]"
finish
