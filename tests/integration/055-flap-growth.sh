#!/bin/bash
# 055: a cloud group gaining one member per run is growth, not a flap.  The
# flap test compares, value by value, what soabridge wrote last time with
# what the plan writes now (issue 11, item 4): a member soabridge never
# wrote is never a revert.  Five runs, one new member each: never
# quarantined, no flap counted, and the group ends with every member.
# (The old test compared the last journal row with the member delta's
# before-values, which hold only deleted members: it quarantined this group
# on the fourth run.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN" CG="OU=Cloud Groups,OU=Groups,$LAB_BASE_DN"
GRP="CN=SG-Grow,$CG"
ID_GRP=20000000-0000-4000-8000-000000055001
# Five users, each joined by its mS-DS-ConsistencyGuid.
{
	for n in 1 2 3 4 5; do
		printf 'dn: CN=Grow User %s,%s\nobjectClass: user\nsAMAccountName: grow.u%s\n' "$n" "$S" "$n"
		printf 'mS-DS-ConsistencyGuid:: %s\n\n' "$(hex_b64 5a0b1c2d3e4f4011800000000005500$n)"
	done
	printf 'dn: %s\nobjectClass: group\nsAMAccountName: SG-Grow\n' "$GRP"
} | seed_ldif
SID_GRP=$(ad_sid "$GRP")
uid() { echo "10000000-0000-4000-8000-00000005500$1"; }
udn() { echo "CN=Grow User $1,$S"; }

# tenant K: the group has members 1..K.
tenant() {
	/usr/bin/python3 - "$1" "$SID_GRP" "$ID_GRP" > "$T/partial.json" <<'EOF'
import base64, json, sys
k, sid, gid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
users = [{"id": "10000000-0000-4000-8000-00000005500%d" % n,
          "userPrincipalName": "grow.u%d@corp.example.test" % n, "displayName": "Grow User %d" % n,
          "onPremisesImmutableId": base64.b64encode(bytes.fromhex("5a0b1c2d3e4f4011800000000005500%d" % n)).decode(),
          "onPremisesSyncEnabled": True} for n in range(1, 6)]
group = {"id": gid, "displayName": "SG-Grow", "mailEnabled": False, "mailNickname": "SG-Grow",
         "securityEnabled": True, "groupTypes": [], "onPremisesSecurityIdentifier": sid,
         "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True},
         "members": [u["id"] for u in users[:k]]}
json.dump({"users": users, "groups": [group]}, sys.stdout)
EOF
	mk_tenant "$T/tenant.json" < "$T/partial.json"
	load_tenant "$T/tenant.json"
}

conf=$(lab_conf)
want=()
for k in 1 2 3 4 5; do
	tenant "$k"
	want+=("$(udn "$k")")
	sb "$conf" sync --format json >"$T/sync$k.json" 2>"$T/sync$k.err"; rc=$?
	check "sync $k exits 0" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync$k.err"
	check "sync $k adds member $k, and only it" \
	    [ "$(member_delta "$T/sync$k.json" "$GRP" add)" = "$(jlist "$(udn "$k")")" ]
	check "sync $k: no flap finding" not jtrue "$T/sync$k.json" \
	    "any(f['kind'] == 'flap' for f in d['findings'])"
	check "sync $k: no revert counted" [ "$(sql "SELECT count(*) FROM flaps")" = 0 ]
done
same_vals "the group ends with every member" "$GRP" member "${want[@]}"
check "nothing quarantined" [ "$(sql "SELECT count(*) FROM quarantine")" = 0 ]
sb "$conf" status --format json >"$T/status.json"
check "status: nothing quarantined, health ok" jtrue "$T/status.json" \
    "d['quarantined'] == [] and d['health'] == 'ok'"
sb "$conf" sync --format json >"$T/sync6.json" 2>/dev/null
check "a sixth sync has nothing to do" jtrue "$T/sync6.json" "d['summary']['changes'] == 0"
finish
