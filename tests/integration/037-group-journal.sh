#!/bin/bash
# 037: group writes go through the journal.  A sync that adds 1,200 members
# to a cloud-managed group in three parts (and removes one AD member) is one
# run whose changes are all recorded; `undo RUN` puts back exactly the member
# values AD had before, part by part.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

N=1200
S="OU=Staff,$LAB_BASE_DN" CG="OU=Cloud Groups,OU=Groups,$LAB_BASE_DN"
GRP="CN=SG-Journal,$CG" OLD="CN=Old Member,$S"
ID_G=20000000-0000-4000-8000-000000037001 ID_OLD=10000000-0000-4000-8000-000000037999
G_OLD=$(hex_b64 5a0b1c2d3e4f40118000000000037999)

/usr/bin/python3 - "$N" "$S" > "$T/users.ldif" <<'EOF'
import base64, sys
n, ou = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    g = bytes.fromhex("5a0b1c2d3e4f401180000037%08x" % i)
    print("dn: CN=Journal User %04d,%s\nobjectClass: user\nsAMAccountName: jrnl%04d\n"
          "mS-DS-ConsistencyGuid:: %s\n" % (i, ou, i, base64.b64encode(g).decode()))
EOF
seed_ldif "$T/users.ldif"
seed_ldif <<EOF
dn: $OLD
objectClass: user
sAMAccountName: old.member
mS-DS-ConsistencyGuid:: $G_OLD

dn: $GRP
objectClass: group
sAMAccountName: SG-Journal
displayName: SG-Journal
member: $OLD
EOF
SID_G=$(ad_sid "$GRP")
/usr/bin/python3 - "$N" "$ID_G" "$SID_G" "$ID_OLD" "$G_OLD" > "$T/partial.json" <<'EOF'
import base64, json, sys
n, gid, sid, old, gold = int(sys.argv[1]), *sys.argv[2:]
uid = lambda i: "10000000-0000-4000-8037-%012d" % i
users = [{"id": uid(i), "userPrincipalName": "jrnl%04d@corp.example.test" % i,
          "displayName": "Journal User %04d" % i, "onPremisesSyncEnabled": True,
          "onPremisesImmutableId": base64.b64encode(
              bytes.fromhex("5a0b1c2d3e4f401180000037%08x" % i)).decode()} for i in range(n)]
users.append({"id": old, "userPrincipalName": "old@corp.example.test", "displayName": "Old Member",
              "onPremisesSyncEnabled": True, "onPremisesImmutableId": gold})
groups = [{"id": gid, "displayName": "SG-Journal", "mailEnabled": False, "mailNickname": "SG-Journal",
           "securityEnabled": True, "groupTypes": [], "onPremisesSecurityIdentifier": sid,
           "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True},
           "members": [uid(i) for i in range(n)]}]
json.dump({"users": users, "groups": groups}, sys.stdout)
EOF
mk_tenant "$T/tenant.json" < "$T/partial.json"
load_tenant "$T/tenant.json"
members() { adsearch -b "$GRP" -s base member | sed -n 's/^member: //p' | sort; }
members > "$T/before"

CONF=$(lab_conf max_changes=5000)
"$SOABRIDGE" -c "$CONF" sync --format json > "$T/sync.json" 2> "$T/sync.err"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -3 "$T/sync.err" | sed 's/^/#   /'
check "sync: three parts, all applied" \
    jtrue "$T/sync.json" "[(c.get('part'), c.get('result')) for c in d['changes'] if c['dn'] == a[0]] == [(1, 'applied'), (2, 'applied'), (3, 'applied')]" "$GRP"
check "SG-Journal has the 1,200 cloud members, not the old one" [ "$(nmembers "$GRP")" -eq $N ]
run=$(jpy "$T/sync.json" "d.get('run')")
check "the sync is a recorded run" [ -n "$run" ]

# The undo removes 1,200 values: over the default max_deletes (50) it is
# refused whole, like a sync; the run raises the limit to go on.
"$TOP/tests/lab/mkconf" max_changes=5000 > "$T/default-deletes.conf"
"$SOABRIDGE" -c "$T/default-deletes.conf" undo "$run" > "$T/undo-refused.txt" 2> "$T/undo-refused.err"; rc=$?
check "undo over max_deletes exits 3" [ $rc -eq 3 ]
check "... naming max_deletes" grep -q "max_deletes = 50" "$T/undo-refused.err"
check "... and SG-Journal still has the 1,200 cloud members" [ "$(nmembers "$GRP")" -eq $N ]
CONF=$(lab_conf max_changes=5000 max_deletes=5000)
"$SOABRIDGE" -c "$CONF" undo "$run" --dry-run --format json > "$T/undo-plan.json" 2> "$T/undo-plan.err"; rc=$?
check "undo --dry-run exits 0" [ $rc -eq 0 ]
check "undo --dry-run: the 1,200 values removed, the old member added back" \
    jtrue "$T/undo-plan.json" "d['summary']['value_deletes'] == 1200 and d['summary']['value_adds'] == 1"
"$SOABRIDGE" -c "$CONF" undo "$run" > "$T/undo.txt" 2> "$T/undo.err"; rc=$?
check "undo exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -3 "$T/undo.err" | sed 's/^/#   /'
members > "$T/after"
if cmp -s "$T/before" "$T/after"; then ok "undo: SG-Journal holds exactly its members before the sync"
else nok "undo: SG-Journal holds exactly its members before the sync"; fi
finish
