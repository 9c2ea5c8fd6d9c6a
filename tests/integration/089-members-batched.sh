#!/bin/bash
# 089: issue 16 (scale).  Group members are read through $batch, 20 groups
# to a request, and only the groups whose first page carries @odata.nextLink
# are paged on alone with plain GETs.  60 cloud-managed groups, the fake's
# Graph page size at 50: SG-Batch-00 (150 members) needs 2 more pages,
# SG-Batch-01 (60) one more, the rest fit their first page.  One item is
# throttled (429, Retry-After 1) and sent again alone.  AD ends with every
# group's members, and a second plan has nothing to do.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

NU=150 NG=60 PAGE=50
S="OU=Staff,$LAB_BASE_DN" CG="OU=Cloud Groups,OU=Groups,$LAB_BASE_DN"
gdn() { printf 'CN=SG-Batch-%02d,%s' "$1" "$CG"; }
gid() { printf '20000000-0000-4000-8089-%012d' "$1"; }
# Members of group k: all users for 0, 60 for 1, k % 7 for the others.
nwant() { case $1 in 0) echo $NU ;; 1) echo 60 ;; *) echo $(($1 % 7)) ;; esac; }

/usr/bin/python3 - "$NU" "$NG" "$S" "$CG" > "$T/seed.ldif" <<'EOF'
import base64, sys
nu, ng, ou, cg = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i in range(nu):
    g = bytes.fromhex("5a0b1c2d3e4f401180000089%08x" % i)
    print("dn: CN=Batch User %03d,%s\nobjectClass: user\nsAMAccountName: batch%03d\n"
          "mS-DS-ConsistencyGuid:: %s\n" % (i, ou, i, base64.b64encode(g).decode()))
for k in range(ng):
    print("dn: CN=SG-Batch-%02d,%s\nobjectClass: group\nsAMAccountName: SG-Batch-%02d\n"
          % (k, cg, k))
EOF
seed_ldif "$T/seed.ldif"
for k in $(seq 0 $((NG - 1))); do echo "$(gid "$k") $(ad_sid "$(gdn "$k")")"; done > "$T/sids"
check "the $NG AD groups have SIDs" [ "$(awk 'NF == 2 && $2 ~ /^S-1-5-/' "$T/sids" | wc -l)" -eq $NG ]

/usr/bin/python3 - "$NU" "$T/sids" <<'EOF' | mk_tenant "$T/tenant.json"
import base64, json, sys
nu, sids = int(sys.argv[1]), [l.split() for l in open(sys.argv[2])]
uid = lambda i: "10000000-0000-4000-8089-%012d" % i
users = [{"id": uid(i), "userPrincipalName": "batch%03d@corp.example.test" % i,
          "displayName": "Batch User %03d" % i, "onPremisesSyncEnabled": True,
          "onPremisesImmutableId": base64.b64encode(
              bytes.fromhex("5a0b1c2d3e4f401180000089%08x" % i)).decode()} for i in range(nu)]
want = lambda k: nu if k == 0 else 60 if k == 1 else k % 7
groups = [{"id": gid, "displayName": "SG-Batch-%02d" % k, "mailEnabled": False,
           "mailNickname": "SG-Batch-%02d" % k, "securityEnabled": True, "groupTypes": [],
           "onPremisesSecurityIdentifier": sid, "onPremisesSyncEnabled": None,
           "onPremisesSyncBehavior": {"isCloudManaged": True},
           "members": [uid(i) for i in range(want(k))]} for k, (gid, sid) in enumerate(sids)]
print(json.dumps({"users": users, "groups": groups}))
EOF
load_tenant "$T/tenant.json"
printf '{"page_size": {"graph": %d}}' "$PAGE" > "$T/config.json"
fake PUT config "$T/config.json" >/dev/null
verdict "fake cloud: Graph pages of $PAGE"
printf '{"kind": "429", "batch": true, "retry_after": 1, "path": "/groups/%s/members"}' \
    "$(gid 5)" > "$T/fault.json"
fake POST faults "$T/fault.json" >/dev/null
verdict "fake cloud: SG-Batch-05's members item is throttled once"
fake DELETE requests >/dev/null

gsync "$T/sync.json" max_changes=20000; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -5 "$T/sync.json.err" | sed 's/^/#   /'
fake GET requests > "$T/requests.json"
check "the request log kept every request" jtrue "$T/requests.json" "d['dropped'] == 0"
# Member reads: $batch items (batch = the seq of their $batch) and plain GETs.
M="[e for e in d['requests'] if e['key'] == 'GET /v1.0/groups/{id}/members']"
jpy "$T/requests.json" "{'batches': len({e['batch'] for e in $M if e['batch']}), 'items': len([e for e in $M if e['batch']]), 'gets': len([e for e in $M if not e['batch']])}" |
    sed 's/^/# member reads: /'
check "every group's first page came in a \$batch item (60 answered 200)" jtrue "$T/requests.json" \
    "len([e for e in $M if e['batch'] and e['status'] == 200]) == $NG"
check "... in 3 batches of at most 20, plus 1 for the throttled item" jtrue "$T/requests.json" \
    "len({e['batch'] for e in $M if e['batch']}) == 4 and max([e['batch'] for e in $M if e['batch']].count(b) for b in {e['batch'] for e in $M if e['batch']}) == 20"
check "... the throttled item sent again alone, 1 s or more later" jtrue "$T/requests.json" \
    "[e['status'] for e in $M if a[0] in e['path']] == [429, 200] and [e['batch'] for e in $M if e['batch']].count([e['batch'] for e in $M if a[0] in e['path']][1]) == 1 and [e['arrived'] for e in $M if a[0] in e['path']][1] - [e['answered'] for e in $M if a[0] in e['path']][0] >= 1" "$(gid 5)"
check "3 plain GETs: 2 more pages of SG-Batch-00, 1 of SG-Batch-01" jtrue "$T/requests.json" \
    "sorted(e['path'].split('/')[3] for e in $M if not e['batch']) == sorted([a[0], a[0], a[1]])" "$(gid 0)" "$(gid 1)"
check "member requests: ceil(60/20) + 1 retry + 3 pages = 7" jtrue "$T/requests.json" \
    "len({e['batch'] for e in $M if e['batch']}) + len([e for e in $M if not e['batch']]) == 7"

bad=""
for k in $(seq 0 $((NG - 1))); do
	[ "$(nmembers "$(gdn "$k")")" -eq "$(nwant "$k")" ] || bad="$bad $k"
done
check "every group has its cloud members in AD (0: $NU, 1: 60, k: k % 7)" [ -z "$bad" ]
[ -z "$bad" ] || echo "#   wrong:$bad"
check "SG-Batch-00 holds Batch User 149 (its last page)" \
    grep -q "CN=Batch User 149," <(adsearch -b "$(gdn 0)" -s base member)

gplan "$T/plan2.json" max_changes=20000
check "a second plan has nothing to do" jtrue "$T/plan2.json" "d['summary']['changes'] == 0"
finish
