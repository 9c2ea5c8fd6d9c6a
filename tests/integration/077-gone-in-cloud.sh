#!/bin/bash
# 077: issue 12, test 7 (and item 6).  An object deleted in the cloud while a
# run reads it is a finding of kind gone-in-cloud, never the end of the run:
# a cloud-managed group whose members read answers 404 (Graph's own
# "Resource '<id>' does not exist ...", the group gone since it was listed),
# and a cloud-managed user whose manager read answers 404 naming the user
# (gone since its source of authority was read).  Neither is written; the
# other group and the other user of the same run are (a 404 on 'manager'
# only says the user has no manager: AD's is cleared); plan, sync and
# report exit 0.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B"
GONE="CN=SG-Gone,$CG" STAY="CN=SG-Stay,$CG"
ANN="CN=Ann Gone,$S" BEN="CN=Ben Stays,$S" BOSS="CN=Boss Gone,$S"
ID_GONE=20000000-0000-4000-8000-000000077001 ID_STAY=20000000-0000-4000-8000-000000077002
ID_ANN=10000000-0000-4000-8000-000000077001 ID_BEN=10000000-0000-4000-8000-000000077002
g() { hex_b64 "5a0b1c2d3e4f4011800000000007700$1"; }
seed_ldif <<LDIF_END
dn: $BOSS
objectClass: user
sAMAccountName: boss.gone

dn: $ANN
objectClass: user
sAMAccountName: ann.gone
title: AD title
manager: $BOSS
mS-DS-ConsistencyGuid:: $(g 1)

dn: $BEN
objectClass: user
sAMAccountName: ben.stays
title: AD title
manager: $BOSS
mS-DS-ConsistencyGuid:: $(g 2)

dn: $GONE
objectClass: group
sAMAccountName: SG-Gone
description: AD description
member: $BOSS

dn: $STAY
objectClass: group
sAMAccountName: SG-Stay
LDIF_END
SID_GONE=$(ad_sid "$GONE") SID_STAY=$(ad_sid "$STAY")

/usr/bin/python3 - "$ID_ANN" "$ID_BEN" "$(g 1)" "$(g 2)" "$ID_GONE" "$SID_GONE" "$ID_STAY" "$SID_STAY" <<'PY' | mk_tenant "$T/tenant.json"
import json, sys
id_ann, id_ben, g1, g2, id_gone, sid_gone, id_stay, sid_stay = sys.argv[1:9]
cm = {"onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True}}
users = [dict(id=id_ann, userPrincipalName="ann.gone@corp.example.test", displayName="Ann Gone",
              jobTitle="Cloud title", onPremisesImmutableId=g1, **cm),
         dict(id=id_ben, userPrincipalName="ben.stays@corp.example.test", displayName="Ben Stays",
              jobTitle="Cloud title", onPremisesImmutableId=g2, **cm)]
def group(gid, name, sid):
    return dict(id=gid, displayName=name, description="cloud description", mailEnabled=False,
                mailNickname=name, securityEnabled=True, groupTypes=[],
                onPremisesSecurityIdentifier=sid, members=[id_ann, id_ben], **cm)
print(json.dumps({"users": users, "groups": [group(id_gone, "SG-Gone", sid_gone),
                                              group(id_stay, "SG-Stay", sid_stay)]}))
PY
load_tenant "$T/tenant.json"
# Deleted while the run reads them: the fake's 404 is Graph's own, naming the
# object of the path ("Resource '<id>' does not exist ...").
printf '[{"kind": "404", "path": "/groups/%s/members", "share": 1},
  {"kind": "404", "path": "/users/%s/manager", "batch": true, "share": 1}]' "$ID_GONE" "$ID_ANN" > "$T/faults.json"
fake POST faults "$T/faults.json" >/dev/null
verdict "fake cloud: SG-Gone's members and Ann's manager answer 404 (gone)"

# gone FILE DN NAME TEXT: a gone-in-cloud finding on DN, named NAME, holding TEXT.
gone() { jtrue "$1" "any(f['kind'] == 'gone-in-cloud' and (f['dn'] or '').lower() == a[0].lower() and f['display_name'] == a[1] and a[2] in f['message'] for f in d['findings'])" "$2" "$3" "$4"; }

gplan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err" | tail -5
check "plan: a gone-in-cloud finding for SG-Gone, naming Graph's 404" \
    gone "$T/plan.json" "$GONE" SG-Gone "Resource '$ID_GONE' does not exist"
check "... on its members" jtrue "$T/plan.json" \
    "any(f['kind'] == 'gone-in-cloud' and f['attribute'] == 'members' and f['cloud_id'] == a[0] for f in d['findings'])" "$ID_GONE"
check "... not called a bad value" not has_finding "$T/plan.json" bad-value "$GONE"
check "plan: a gone-in-cloud finding for Ann" gone "$T/plan.json" "$ANN" "Ann Gone" "Resource '$ID_ANN' does not exist"
check "plan: nothing planned for SG-Gone" not has_change "$T/plan.json" "$GONE"
check "plan: nothing planned for Ann" not has_change "$T/plan.json" "$ANN"
check "plan: SG-Stay's members are planned" \
    [ "$(member_delta "$T/plan.json" "$STAY" add)" = "$(jlist "$ANN" "$BEN")" ]
check "plan warns about each object set aside" [ "$(grep -c 'result=skipped' "$T/plan.json.err")" = 2 ]

gone_usn=$(usn_changed "$GONE") ann_usn=$(usn_changed "$ANN")
gsync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
same_vals "sync: SG-Stay gets the cloud's members" "$STAY" member "$ANN" "$BEN"
same_vals "sync: Ben is written" "$BEN" title "Cloud title"
same_vals "... his manager cleared (a 404 on 'manager': he has none)" "$BEN" manager
check "sync: SG-Gone is not written (uSNChanged)" [ "$(usn_changed "$GONE")" = "$gone_usn" ]
same_vals "... its members stay AD's" "$GONE" member "$BOSS"
check "sync: Ann is not written (uSNChanged)" [ "$(usn_changed "$ANN")" = "$ann_usn" ]
same_vals "... her manager stays AD's" "$ANN" manager "$BOSS"
check "sync shows the findings too" gone "$T/sync.json" "$GONE" SG-Gone "deleted in the cloud while this run read it"

"$SOABRIDGE" -c "$(lab_conf)" report --format json -o "$T/report.json" 2>"$T/report.err"; rc=$?
check "report exits 0" [ $rc -eq 0 ]
check "... with a gone-in-cloud entry for SG-Gone" jtrue "$T/report.json" \
    "any(e['dn'] == a[0] and e['reason'] == 'gone-in-cloud' for e in d['entries'])" "$GONE"

fake DELETE faults >/dev/null
gsync "$T/sync2.json"; rc=$?
check "once Graph answers again, the next sync exits 0" [ $rc -eq 0 ]
check "... without a gone-in-cloud finding" not jtrue "$T/sync2.json" \
    "any(f['kind'] == 'gone-in-cloud' for f in d['findings'])"
same_vals "... and SG-Gone gets the cloud's members (Boss, AD-only, kept)" "$GONE" member "$ANN" "$BEN" "$BOSS"
same_vals "... and Ann the cloud's title" "$ANN" title "Cloud title"
finish
