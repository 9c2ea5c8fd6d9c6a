#!/bin/bash
# 031: large cloud-managed groups.  5,000 synced users (added offline: lab_load); a group
# of 1,600 cloud members and one of 5,000 reach exactly that in AD, written
# in chunks of at most 500 values per modify (parts of one change), read back
# with explicit range retrieval (member;range=0-1499, 1500-2999, ...); the
# values count against limits.max_changes one by one; then one member removed
# in the cloud is one value deleted in AD.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
t0=$(date +%s)

N=5000 SMALL=1600
S="OU=Staff,$LAB_BASE_DN" CG="OU=Cloud Groups,OU=Groups,$LAB_BASE_DN"
G1="CN=SG-Big-1600,$CG" G5="CN=SG-Big-5000,$CG"
ID_G1=20000000-0000-4000-8000-000000031001 ID_G5=20000000-0000-4000-8000-000000031002

# Users u00000..u04999: mS-DS-ConsistencyGuid 5a0b..0031 + 6 hex digits of the index.
/usr/bin/python3 - "$N" "$S" > "$T/users.ldif" <<'EOF'
import base64, sys
n, ou = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    g = bytes.fromhex("5a0b1c2d3e4f401180000031%08x" % i)
    print("dn: CN=Bulk User %05d,%s\nobjectClass: user\nsAMAccountName: bulk%05d\n"
          "mS-DS-ConsistencyGuid:: %s\n" % (i, ou, i, base64.b64encode(g).decode()))
EOF
# Offline, once (a snapshot): over LDAP the 5,000 adds took over a minute of every run.
lab_load "$T/users.ldif"
seed_ldif <<EOF
dn: $G1
objectClass: group
sAMAccountName: SG-Big-1600

dn: $G5
objectClass: group
sAMAccountName: SG-Big-5000
EOF
t1=$(date +%s)
echo "# seeded $N users in $((t1 - t0)) s"
SID_G1=$(ad_sid "$G1") SID_G5=$(ad_sid "$G5")

/usr/bin/python3 - "$N" "$SMALL" "$ID_G1" "$SID_G1" "$ID_G5" "$SID_G5" > "$T/partial.json" <<'EOF'
import base64, json, sys
n, small, id1, sid1, id5, sid5 = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]
uid = lambda i: "10000000-0000-4000-8031-%012d" % i
users = [{"id": uid(i), "userPrincipalName": "bulk%05d@corp.example.test" % i,
          "displayName": "Bulk User %05d" % i, "onPremisesSyncEnabled": True,
          "onPremisesImmutableId": base64.b64encode(
              bytes.fromhex("5a0b1c2d3e4f401180000031%08x" % i)).decode()} for i in range(n)]
grp = lambda gid, sid, name, members: {
    "id": gid, "displayName": name, "mailEnabled": False, "mailNickname": name,
    "securityEnabled": True, "groupTypes": [], "onPremisesSecurityIdentifier": sid,
    "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True},
    "members": members}
groups = [grp(id1, sid1, "SG-Big-1600", [uid(i) for i in range(small)]),
          grp(id5, sid5, "SG-Big-5000", [uid(i) for i in range(n)])]
json.dump({"users": users, "groups": groups}, sys.stdout)
EOF
mk_tenant "$T/tenant.json" < "$T/partial.json"
load_tenant "$T/tenant.json"

gplan "$T/plan.json" max_changes=20000; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: 6,600 member values to add, none to remove" \
    jtrue "$T/plan.json" "d['summary']['value_adds'] == 6600 and d['summary']['value_deletes'] == 0"
check "plan: two objects to change" jtrue "$T/plan.json" "d['summary']['changes'] == 2"
check "plan: no member delta holds more than 500 values" \
    jtrue "$T/plan.json" "max(len(x['values']) for c in d['changes'] for x in c['deltas']) <= 500"
check "plan: SG-Big-5000 is 10 parts of one change, numbered 1..10" \
    jtrue "$T/plan.json" "[c.get('part') for c in d['changes'] if c['dn'] == a[0]] == list(range(1, 11)) and all(c.get('parts') == 10 for c in d['changes'] if c['dn'] == a[0])" "$G5"
check "plan: SG-Big-1600 is 4 parts" jtrue "$T/plan.json" "len([c for c in d['changes'] if c['dn'] == a[0]]) == 4" "$G1"

gsync "$T/refused.json"; rc=$?
check "sync within the default max_changes (500) is refused: exit 3" [ $rc -eq 3 ]
check "... naming max_changes" grep -q "max_changes" "$T/refused.json.err"
check "... and nothing was written" [ "$(nmembers "$G5")" -eq 0 ]

t2=$(date +%s)
"$SOABRIDGE" -v -c "$(lab_conf max_changes=20000)" sync --format json > "$T/sync.json" 2> "$T/sync.err"; rc=$?
t3=$(date +%s)
echo "# sync of 6,600 member values in $((t3 - t2)) s"
check "sync (max_changes = 20000) exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -5 "$T/sync.err" | sed 's/^/#   /'
check "SG-Big-1600 has 1,600 members in AD" [ "$(nmembers "$G1")" -eq "$SMALL" ]
check "SG-Big-5000 has 5,000 members in AD" [ "$(nmembers "$G5")" -eq "$N" ]
check "member writes were modifies of at most 500 values" \
    not grep -qE 'ad.modify .*attr=member add=([5-9][0-9][1-9]|[6-9][0-9][0-9]|[0-9]{4,})' "$T/sync.err"

"$SOABRIDGE" -v -c "$(lab_conf max_changes=20000)" plan --format json > "$T/plan2.json" 2> "$T/plan2.err"
check "second plan: nothing to do" jtrue "$T/plan2.json" "d['summary']['changes'] == 0"
for start in 0 1500 3000 4500; do
	check "SG-Big-5000 read with member;range from $start" \
	    grep -q "op=range dn=\"$G5\" attr=member start=$start " "$T/plan2.err"
done

# One member leaves the cloud group.
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
g = [g for g in d["groups"] if g["id"] == sys.argv[2]][0]
print(json.dumps({"members": g["members"][:1234] + g["members"][1235:]}))' "$T/tenant.json" "$ID_G5" > "$T/patch.json"
fake PATCH "objects/$ID_G5" "$T/patch.json" >/dev/null
verdict "PATCH: Bulk User 01234 leaves SG-Big-5000 in the cloud"
gplan "$T/plan3.json"
check "plan: exactly one value deleted, nothing added" \
    jtrue "$T/plan3.json" "d['summary']['value_deletes'] == 1 and d['summary']['value_adds'] == 0 and d['summary']['changes'] == 1"
check "plan: the value is Bulk User 01234" [ "$(member_delta "$T/plan3.json" "$G5" delete)" = "$(jlist "CN=Bulk User 01234,$S")" ]
gsync "$T/sync3.json"; rc=$?
check "sync exits 0 within the default limits" [ $rc -eq 0 ]
check "SG-Big-5000 has 4,999 members" [ "$(nmembers "$G5")" -eq $((N - 1)) ]
check "Bulk User 01234 is no longer a member" not grep -q "CN=Bulk User 01234," <(adsearch -b "$G5" -s base member)
echo "# total $(( $(date +%s) - t0 )) s"
finish
