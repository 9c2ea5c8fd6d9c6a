#!/bin/bash
# 056: members removed in AD by hand after each of three runs quarantine
# the group (issue 11, item 4).  Each run puts back what soabridge had added
# and someone removed since: a revert, counted value by value (a different
# member each time counts the same).  The fourth run quarantines the group,
# and the quarantine decided on member stops every write to the group in
# that run: the member, a description the cloud changed, and a move to the
# OU its extension names, which is a separate part of the group's writes.
# Another group, growing in the same run, is written.  Release ends it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B" TF="OU=Team F,OU=Groups,$B"
FLAP="CN=SG-Flap,$CG" STEADY="CN=SG-Steady,$CG"
EXT=extension_00000000000040008000000000000002_OnPremisesDN
ID_FLAP=20000000-0000-4000-8000-000000056001 ID_STEADY=20000000-0000-4000-8000-000000056002
udn() { echo "CN=Flap User $1,$S"; }
{
	for n in 1 2 3 4; do
		printf 'dn: %s\nobjectClass: user\nsAMAccountName: flap.u%s\n' "$(udn $n)" "$n"
		printf 'mS-DS-ConsistencyGuid:: %s\n\n' "$(hex_b64 5a0b1c2d3e4f4011800000000005600$n)"
	done
	printf 'dn: %s\nobjectClass: organizationalUnit\n\n' "$TF"
	printf 'dn: %s\nobjectClass: group\nsAMAccountName: SG-Flap\ndescription: before\n\n' "$FLAP"
	printf 'dn: %s\nobjectClass: group\nsAMAccountName: SG-Steady\n' "$STEADY"
} | seed_ldif
SID_FLAP=$(ad_sid "$FLAP") SID_STEADY=$(ad_sid "$STEADY")

/usr/bin/python3 - "$SID_FLAP" "$SID_STEADY" > "$T/partial.json" <<'EOF'
import base64, json, sys
sid_flap, sid_steady = sys.argv[1:3]
uid = lambda n: "10000000-0000-4000-8000-00000005600%d" % n
users = [{"id": uid(n), "userPrincipalName": "flap.u%d@corp.example.test" % n,
          "displayName": "Flap User %d" % n, "onPremisesSyncEnabled": True,
          "onPremisesImmutableId": base64.b64encode(bytes.fromhex("5a0b1c2d3e4f4011800000000005600%d" % n)).decode()}
         for n in range(1, 5)]
def group(gid, name, sid, members):
    return {"id": gid, "displayName": name, "description": "before", "mailEnabled": False,
            "mailNickname": name, "securityEnabled": True, "groupTypes": [],
            "onPremisesSecurityIdentifier": sid, "onPremisesSyncEnabled": None,
            "onPremisesSyncBehavior": {"isCloudManaged": True}, "members": members}
json.dump({"users": users, "groups": [
    group("20000000-0000-4000-8000-000000056001", "SG-Flap", sid_flap, [uid(1), uid(2), uid(3)]),
    group("20000000-0000-4000-8000-000000056002", "SG-Steady", sid_steady, [uid(1)])]}, sys.stdout)
EOF
mk_tenant "$T/tenant.json" < "$T/partial.json"
load_tenant "$T/tenant.json"
conf=$(lab_conf ou_extension=$EXT)

remove_by_hand() {
	admodify >/dev/null <<EOF
dn: $FLAP
changetype: modify
delete: member
member: $1
EOF
}

sb "$conf" sync --format json >"$T/sync1.json" 2>"$T/sync1.err"; rc=$?
check "sync 1 exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync1.err"
same_vals "sync 1: SG-Flap holds the cloud's members" "$FLAP" member "$(udn 1)" "$(udn 2)" "$(udn 3)"
for run in 2 3; do
	gone=$(udn $((run - 1)))
	remove_by_hand "$gone"
	verdict "after run $((run - 1)): $gone removed from SG-Flap by hand"
	sb "$conf" sync --format json >"$T/sync$run.json" 2>"$T/sync$run.err"; rc=$?
	check "sync $run exits 0" [ $rc -eq 0 ]
	check "sync $run puts the member back" \
	    [ "$(member_delta "$T/sync$run.json" "$FLAP" add)" = "$(jlist "$gone")" ]
	check "sync $run: revert $((run - 1)) counted on member" \
	    [ "$(sql "SELECT count FROM flaps WHERE attr = 'member'")" = $((run - 1)) ]
	check "sync $run: not quarantined yet" not has_finding "$T/sync$run.json" flap "$FLAP"
done

# The third removal; meanwhile the cloud changes the group's description
# and names an allowed OU for it, and SG-Steady gains a member.
remove_by_hand "$(udn 3)"
verdict "after run 3: $(udn 3) removed from SG-Flap by hand"
printf '{"description": "after", "%s": "CN=SG-Flap,%s"}' "$EXT" "$TF" > "$T/patch.json"
fake PATCH "objects/$ID_FLAP" "$T/patch.json" >/dev/null
verdict "cloud: SG-Flap's description changed and its OU extension set"
printf '{"members": ["%s", "%s"]}' 10000000-0000-4000-8000-000000056001 10000000-0000-4000-8000-000000056004 > "$T/steady.json"
fake PATCH "objects/$ID_STEADY" "$T/steady.json" >/dev/null
verdict "cloud: SG-Steady gains a member"
# What SG-Flap's writes are, with a threshold this run cannot reach.
sed 's/flap_threshold = 3/flap_threshold = 1000/' "$conf" > "$T/high.conf"
sb "$T/high.conf" plan --format json >"$T/plan4.json" 2>/dev/null
check "SG-Flap's writes: its member, its description and a move (a separate part)" jtrue "$T/plan4.json" \
    "sorted(set(x['attribute'] for c in d['changes'] if c['dn'] == a[0] for x in c['deltas'])) == ['description', 'member'] and any(c['op'] == 'rename' and c['dn'] == a[0] for c in d['changes'])" "$FLAP"
sb "$conf" plan --format json >"$T/plan4q.json" 2>/dev/null
check "plan (threshold 3) already shows the quarantine sync 4 will decide" has_finding "$T/plan4q.json" flap "$FLAP"
usn=$(usn_changed "$FLAP")
sb "$conf" sync --format json >"$T/sync4.json" 2>"$T/sync4.err"; rc=$?
check "sync 4 exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync4.err"
check "sync 4 quarantines SG-Flap: a flap finding on member" jtrue "$T/sync4.json" \
    "any(f['kind'] == 'flap' and f['dn'] == a[0] and f['attribute'] == 'member' and '3 consecutive runs' in f['message'] for f in d['findings'])" "$FLAP"
check "... one finding for the object" [ "$(jpy "$T/sync4.json" "len([f for f in d['findings'] if f['kind'] == 'flap'])")" = 1 ]
check "... no change of SG-Flap at all: no member, description or move" not has_change "$T/sync4.json" "$FLAP"
check "... it was not moved" [ -n "$(adsearch -b "$FLAP" -s base dn 2>/dev/null)" ]
check "... not written (uSNChanged)" [ "$(usn_changed "$FLAP")" = "$usn" ]
same_vals "... the description stays AD's" "$FLAP" description before
same_vals "... the member removed by hand stays removed" "$FLAP" member "$(udn 1)" "$(udn 2)"
same_vals "SG-Steady, growing in the same run, is written" "$STEADY" member "$(udn 1)" "$(udn 4)"
check "SG-Steady is not quarantined" not has_finding "$T/sync4.json" flap "$STEADY"
sb "$conf" status --format json >"$T/status.json"
check "status lists SG-Flap as quarantined on member" jtrue "$T/status.json" \
    "[(q['dn'], q['attribute']) for q in d['quarantined']] == [(a[0], 'member')]" "$FLAP"

sb "$conf" release "$FLAP" >/dev/null 2>&1
verdict "release SG-Flap"
sb "$conf" sync --format json >"$T/sync5.json" 2>"$T/sync5.err"; rc=$?
check "after release, sync 5 exits 0" [ $rc -eq 0 ]
check "... and moves it to its OU" [ -n "$(adsearch -b "CN=SG-Flap,$TF" -s base dn 2>/dev/null)" ]
same_vals "... SG-Flap holds the cloud's members again" "CN=SG-Flap,$TF" member "$(udn 1)" "$(udn 2)" "$(udn 3)"
same_vals "... and the cloud's description" "CN=SG-Flap,$TF" description after
finish
