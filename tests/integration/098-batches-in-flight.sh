#!/bin/bash
# 098: issue 16 (scale).  The per-object reads go out as $batch requests of 20
# items, up to 4 of them in flight at once (CLOUD_HTTP_PARALLEL), never more:
# against a service that answers each in 100 ms or more, one at a time leaves
# the agent waiting.  180 isCloudManaged users with managers: 9 SOA batches
# and 9 manager batches, behind a fake latency of 300 ms.  What the fake saw
# (its request log: when each request arrived and was answered) shows the
# overlap; a throttled item (429) inside a wave is sent again alone, and the
# plan is the same as one read request by request would give: every user's
# title and manager.  A $batch that fails whole (HTTP 500, then the same
# after the retries) stops the plan naming it, with nothing half-read taken.
. "$(dirname "$0")/lib.sh"
lab_reset

NU=180
S="OU=Staff,$LAB_BASE_DN"
/usr/bin/python3 - "$NU" "$S" > "$T/seed.ldif" <<'EOF'
import base64, sys
nu, ou = int(sys.argv[1]), sys.argv[2]
for i in range(nu):
    g = bytes.fromhex("5a0b1c2d3e4f401180000098%08x" % i)
    print("dn: CN=Wave User %03d,%s\nobjectClass: user\nsAMAccountName: wave%03d\n"
          "title: old\nmS-DS-ConsistencyGuid:: %s\n" % (i, ou, i, base64.b64encode(g).decode()))
EOF
seed_ldif "$T/seed.ldif"

/usr/bin/python3 - "$NU" <<'EOF' | mk_tenant "$T/tenant.json"
import base64, json, sys
nu = int(sys.argv[1])
uid = lambda i: "10000000-0000-4000-8098-%012d" % i
users = [{"id": uid(i), "userPrincipalName": "wave%03d@corp.example.test" % i,
          "displayName": "Wave User %03d" % i, "jobTitle": "Title %d" % i,
          "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True},
          "onPremisesImmutableId": base64.b64encode(
              bytes.fromhex("5a0b1c2d3e4f401180000098%08x" % i)).decode(),
          "manager": uid((i + 1) % nu)} for i in range(nu)]
print(json.dumps({"users": users}))
EOF
load_tenant "$T/tenant.json"
echo '{"latency_ms": 300}' > "$T/config.json"
fake PUT config "$T/config.json" >/dev/null
verdict "fake cloud: every Graph request takes 300 ms"
printf '{"kind": "429", "batch": true, "retry_after": 1, "path": "/users/%s/manager"}' \
    "10000000-0000-4000-8098-000000000077" > "$T/fault.json"
fake POST faults "$T/fault.json" >/dev/null
verdict "fake cloud: one manager item is throttled once"
fake DELETE requests >/dev/null

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -5 "$T/plan.json.err" | sed 's/^/#   /'
fake GET requests > "$T/requests.json"
# Of the $batch requests: the most that arrived within 300 ms of each other.
# The fake holds each answer until 300 ms after it read the request, so one
# sent after another was answered arrives 300 ms or more after that one; more
# than one in such a window were in flight together.
B="[e for e in d['requests'] if e['key'] == 'POST /v1.0/\$batch']"
FLIGHT="max(sum(1 for o in $B if e['arrived'] <= o['arrived'] < e['arrived'] + 0.3) for e in $B)"
jpy "$T/requests.json" "{'batches': len($B), 'most_in_flight': $FLIGHT}" | sed 's/^/# /'
check "18 batches of 20 (9 SOA, 9 managers) and one more for the throttled item" jtrue \
    "$T/requests.json" "len($B) == 19"
check "batches were in flight side by side (2 or more at once)" jtrue "$T/requests.json" \
    "$FLIGHT >= 2"
check "... never more than 4 at once" jtrue "$T/requests.json" "$FLIGHT <= 4"
M="[e for e in d['requests'] if e['key'] == 'GET /v1.0/users/{id}/manager' and a[0] in e['path']]"
check "the throttled item was sent again alone, 1 s or more after its 429" jtrue "$T/requests.json" \
    "[e['status'] for e in $M] == [429, 200] and [e['batch'] for e in d['requests'] if e['batch']].count($M[1]['batch']) == 1 and $M[1]['arrived'] - $M[0]['answered'] >= 1" \
    "10000000-0000-4000-8098-000000000077"
check "the plan writes every user's title and manager (180 each)" jtrue "$T/plan.json" \
    "sum(1 for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'title') == $NU and sum(1 for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'manager') == $NU"
check "... the manager of Wave User 077 (the throttled item) too" jtrue "$T/plan.json" \
    "any(x['values'] == [a[0]] for c in d['changes'] if c['dn'].startswith('CN=Wave User 077,') for x in c['deltas'] if x['attribute'] == 'manager')" \
    "CN=Wave User 078,$S"

fake DELETE faults >/dev/null
echo '{"latency_ms": 0}' > "$T/config.json"
fake PUT config "$T/config.json" >/dev/null
printf '{"kind": "500", "path": "/\\\\$batch", "batch": false, "count": 100}' > "$T/fault.json"
fake POST faults "$T/fault.json" >/dev/null
verdict "fake cloud: every \$batch answers 500"
sb_plan "$T/plan500.json"; rc=$?
check "plan stops with a runtime error (exit 1)" [ $rc -eq 1 ]
check "... naming the batch request and its status" grep -q 'graph\.soa.*\$batch.*500\|\$batch.*500.*graph\.soa\|POST /v1.0/\$batch' "$T/plan500.json.err"
sed -n '$p' "$T/plan500.json.err" | sed 's/^/# /'
fake DELETE faults >/dev/null
finish
