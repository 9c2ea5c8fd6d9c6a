#!/bin/bash
# 079: issue 12, item 2.  A few unreadable onPremisesSyncBehavior replies
# (a 200 without a boolean isCloudManaged) are findings; more than 5 % of
# the candidates (one at least) end the run with exit 1, saying how many,
# before anything is written.  Of 40 candidate users: 2 unreadable replies
# are 2 soa-unreadable findings and exit 0; 3 are exit 1.
. "$(dirname "$0")/lib.sh"
lab_reset

uid() { printf '79000000-0000-4000-8000-%012d' "$1"; }
/usr/bin/python3 - <<'PY' | mk_tenant "$T/tenant.json"
import base64, json
users = []
for n in range(1, 41):
    guid = base64.b64encode(bytes.fromhex("5a0b1c2d3e4f401180000000%08d" % (79000 + n))).decode()
    users.append({"id": "79000000-0000-4000-8000-%012d" % n,
                  "userPrincipalName": "share%d@corp.example.test" % n,
                  "displayName": "Share %d" % n, "onPremisesImmutableId": guid,
                  "onPremisesSyncEnabled": None,
                  "onPremisesSyncBehavior": {"isCloudManaged": n % 2 == 0}})
print(json.dumps({"users": users}))
PY
load_tenant "$T/tenant.json"
# unreadable N...: those users' onPremisesSyncBehavior answers 200 {}.
unreadable() {
	fake DELETE faults >/dev/null
	local n
	for n in "$@"; do
		printf '{"kind": "200", "path": "/users/%s/onPremisesSyncBehavior", "body": {}, "batch": true, "share": 1}' \
		    "$(uid "$n")" | fake POST faults - >/dev/null || return 1
	done
}

unreadable 3 17
verdict "fake cloud: 2 of 40 candidates answer {}"
sb_plan "$T/plan1.json"; rc=$?
check "2 of 40 unreadable (5 %): plan exits 0" [ $rc -eq 0 ]
check "... with 2 soa-unreadable findings, one for each" jtrue "$T/plan1.json" \
    "sorted(f['cloud_id'] for f in d['findings'] if f['kind'] == 'soa-unreadable') == sorted(a)" \
    "$(uid 3)" "$(uid 17)"
check "... and the count in the log" grep -q "graph.soa kind=user unreadable=2 candidates=40 allowed=2" "$T/plan1.json.err"

unreadable 3 17 20
verdict "fake cloud: 3 of 40 candidates answer {}"
usn0=$(highest_usn)
sb_plan "$T/plan2.json"; rc=$?
check "3 of 40 unreadable (over 5 %): plan exits 1" [ $rc -eq 1 ]
check "... saying 3 of 40" grep -q "source of authority of 3 of 40 candidate users could not be read" "$T/plan2.json.err"
sb_sync "$T/sync2.json"; rc=$?
check "... sync exits 1 too" [ $rc -eq 1 ]
check "... nothing written" [ "$(highest_usn)" = "$usn0" ]
finish
