#!/bin/bash
# 057: one bad cloud object is a finding, never the end of the run (issue
# 11, item 5).  In one tenant: a cloud group with a 200-character id (with
# provisioning on, so its members would be read and the group created), a
# cloud-managed user with a 200-character id (its source of authority would
# be read in a $batch), and a cloud-managed group whose members page holds
# an entry without an id.  Each is skipped with a bad-value finding naming
# it; nothing is written for them; the other group in the same run is
# synced; plan, sync and report exit 0.  Once the members page is whole
# again, the group is synced too.
#
# The members page is spoilt by the fake cloud's "entry" fault (a shape
# Graph itself never sends; tests/fakecloud/README.md).  A fake cloud started
# before that fault existed refuses it, so this test runs its own instance,
# from this tree, on a free port, and stops it at the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B"
GOOD="CN=SG-Good,$CG" BADM="CN=SG-BadMember,$CG" CARL="CN=Carl Longid,$S"
ID_GOOD=20000000-0000-4000-8000-000000057001 ID_BADM=20000000-0000-4000-8000-000000057002
LONG_G=$(printf 'g%.0s' $(seq 1 200)) LONG_U=$(printf 'u%.0s' $(seq 1 200))
udn() { echo "CN=Bad User $1,$S"; }
{
	for n in 1 2; do
		printf 'dn: %s\nobjectClass: user\nsAMAccountName: bad.u%s\n' "$(udn $n)" "$n"
		printf 'mS-DS-ConsistencyGuid:: %s\n\n' "$(hex_b64 5a0b1c2d3e4f4011800000000005700$n)"
	done
	printf 'dn: %s\nobjectClass: user\nsAMAccountName: carl.longid\ntitle: AD title\n' "$CARL"
	printf 'mS-DS-ConsistencyGuid:: %s\n\n' "$(hex_b64 5a0b1c2d3e4f40118000000000057003)"
	printf 'dn: %s\nobjectClass: group\nsAMAccountName: SG-Good\n\n' "$GOOD"
	printf 'dn: %s\nobjectClass: group\nsAMAccountName: SG-BadMember\ndescription: before\nmember: %s\n' "$BADM" "$(udn 1)"
} | seed_ldif
SID_GOOD=$(ad_sid "$GOOD") SID_BADM=$(ad_sid "$BADM")

/usr/bin/python3 - "$SID_GOOD" "$SID_BADM" "$LONG_G" "$LONG_U" > "$T/partial.json" <<'EOF'
import base64, json, sys
sid_good, sid_badm, long_g, long_u = sys.argv[1:5]
b64 = lambda h: base64.b64encode(bytes.fromhex(h)).decode()
uid = lambda n: "10000000-0000-4000-8000-00000005700%d" % n
users = [{"id": uid(n), "userPrincipalName": "bad.u%d@corp.example.test" % n,
          "displayName": "Bad User %d" % n, "onPremisesSyncEnabled": True,
          "onPremisesImmutableId": b64("5a0b1c2d3e4f4011800000000005700%d" % n)} for n in (1, 2)]
# Cloud-managed, so a candidate whose source of authority is read in $batch.
users.append({"id": long_u, "userPrincipalName": "carl@corp.example.test",
              "displayName": "Carl Longid", "jobTitle": "Cloud title",
              "onPremisesImmutableId": b64("5a0b1c2d3e4f40118000000000057003"),
              "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True}})
def group(gid, name, sid, members, **extra):
    g = {"id": gid, "displayName": name, "mailEnabled": False, "mailNickname": name,
         "securityEnabled": True, "groupTypes": [], "members": members}
    if sid:
        g.update({"onPremisesSecurityIdentifier": sid, "onPremisesSyncEnabled": None,
                  "onPremisesSyncBehavior": {"isCloudManaged": True}})
    g.update(extra)
    return g
json.dump({"users": users, "groups": [
    group("20000000-0000-4000-8000-000000057001", "SG-Good", sid_good, [uid(1), uid(2)]),
    group("20000000-0000-4000-8000-000000057002", "SG-BadMember", sid_badm, [uid(1), uid(2)],
          description="after"),
    group(long_g, "SG-Long", None, [uid(1)])]}, sys.stdout)
EOF
mk_tenant "$T/tenant.json" < "$T/partial.json"

# Our own fake cloud (see above); the config follows it.
shared_url=$CLOUD_URL
export FAKECLOUD_RUN_DIR="$T/cloud"
trap 'FAKECLOUD_RUN_DIR="$T/cloud" "$TOP/tests/fakecloud/fakecloud" stop >/dev/null 2>&1; rm -rf "$T"' EXIT
"$TOP/tests/fakecloud/fakecloud" start --port 0 --tenant "$T/tenant.json" >/dev/null ||
    { echo "not ok - own fake cloud did not start"; exit 1; }
. "$T/cloud/cloud.env"
conf() { lab_conf provision=true "$@" >/dev/null; sed -i "s|$shared_url|$CLOUD_URL|g" "$T/soabridge.conf"; echo "$T/soabridge.conf"; }
printf '{"kind": "entry", "path": "/groups/%s/members", "index": 1, "unset": ["id"], "share": 1}' "$ID_BADM" > "$T/fault.json"
fake POST faults "$T/fault.json" >/dev/null
verdict "fake cloud: SG-BadMember's members page has an entry without an id"

# bad FILE NAME ATTR TEXT: a bad-value finding of the object named NAME on ATTR holding TEXT.
bad() { jtrue "$1" "any(f['kind'] == 'bad-value' and f['display_name'] == a[0] and f['attribute'] == a[1] and a[2] in f['message'] for f in d['findings'])" "$2" "$3" "$4"; }

usn0=$(highest_usn)
"$SOABRIDGE" -c "$(conf)" plan --format json >"$T/plan.json" 2>"$T/plan.err"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.err"
check "plan: the group with a 200-character id is a finding naming it" \
    bad "$T/plan.json" SG-Long id "id is not a Graph object id (200 characters, at most 64)"
check "... its id shown cut, never whole" jtrue "$T/plan.json" \
    "any(f['display_name'] == 'SG-Long' and f['cloud_id'].endswith('... (200 characters)') and len(f['cloud_id']) < 100 for f in d['findings'])"
check "plan: the user with a 200-character id is a finding naming it" \
    bad "$T/plan.json" "Carl Longid" id "200 characters"
check "plan: the group with a malformed member entry is a finding naming it" \
    bad "$T/plan.json" SG-BadMember members "member 1 of the page has no \"id\" string"
check "... with its AD object's DN" has_finding "$T/plan.json" bad-value "$BADM"
check "plan: nothing planned for SG-BadMember" not has_change "$T/plan.json" "$BADM"
check "plan: nothing planned for Carl" not has_change "$T/plan.json" "$CARL"
check "plan: SG-Long is not created" not jtrue "$T/plan.json" "any(c['op'] == 'add' for c in d['changes'])"
check "plan: SG-Good is still planned" \
    [ "$(member_delta "$T/plan.json" "$GOOD" add)" = "$(jlist "$(udn 1)" "$(udn 2)")" ]
check "plan wrote nothing" [ "$(highest_usn)" = "$usn0" ]
check "plan warns about each skipped object" [ "$(grep -c 'result=skipped' "$T/plan.err")" = 3 ]
check "... without a control byte or the whole id" not grep -q "$LONG_G" "$T/plan.err"

badm_usn=$(usn_changed "$BADM") carl_usn=$(usn_changed "$CARL")
"$SOABRIDGE" -c "$(conf)" sync --format json >"$T/sync.json" 2>"$T/sync.err"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.err"
same_vals "sync: SG-Good is synced in the same run" "$GOOD" member "$(udn 1)" "$(udn 2)"
check "sync: SG-BadMember is not written (uSNChanged)" [ "$(usn_changed "$BADM")" = "$badm_usn" ]
same_vals "... its members stay AD's" "$BADM" member "$(udn 1)"
same_vals "... its description stays AD's" "$BADM" description before
check "sync: Carl is not written" [ "$(usn_changed "$CARL")" = "$carl_usn" ]
check "sync: no group created for SG-Long" \
    [ -z "$(adsearch -b "$B" '(|(sAMAccountName=SG-Long)(displayName=SG-Long))' dn | sed -n 's/^dn: //p')" ]
check "sync shows the findings too" bad "$T/sync.json" SG-BadMember members "malformed member entry"
"$SOABRIDGE" -c "$(conf)" report --format json -o "$T/report.json" 2>"$T/report.err"; rc=$?
check "report exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/report.err"
names_skipped() { grep -q '"SG-Long"' "$1" && grep -q '"SG-BadMember"' "$1" && grep -q '"Carl Longid"' "$1"; }
check "... and names the three skipped objects" names_skipped "$T/report.json"

fake DELETE faults >/dev/null
verdict "fake cloud: the members page is whole again"
"$SOABRIDGE" -c "$(conf)" sync --format json >"$T/sync2.json" 2>"$T/sync2.err"; rc=$?
check "the next sync exits 0" [ $rc -eq 0 ]
check "... and no longer skips SG-BadMember" not bad "$T/sync2.json" SG-BadMember members "malformed"
same_vals "... which gets the cloud's members" "$BADM" member "$(udn 1)" "$(udn 2)"
same_vals "... and the cloud's description" "$BADM" description after
check "... while SG-Long is still a finding" bad "$T/sync2.json" SG-Long id "200 characters"
finish
