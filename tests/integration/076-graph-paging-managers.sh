#!/bin/bash
# 076: issue 12, test 6.  Users are listed with $top=999 and no $expand
# (Graph caps a page at 100 when $expand is present, and the fake does too):
# a 2,500-user tenant is listed in 3 pages.  Managers are read only for the
# users whose identity the cloud owns (isCloudManaged), through $batch
# (/users/{id}/manager?$select=id, 20 a batch): 10 such users, one $batch
# for their managers, none for the other 2,490.  A manager read gives the
# DN of the manager's AD object; a 404 on 'manager' (no manager) clears AD's.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
MAX="CN=Max Paging,$S" OLD="CN=Old Paging,$S"
udn() { echo "CN=Cloud Paging $1,$S"; }
uid() { printf '76000000-0000-4000-8000-%012d' "$1"; }
g() { hex_b64 "$(printf '5a0b1c2d3e4f401180000000%08d' "$1")"; }
ID_MAX=76000000-0000-4000-8000-000000009999
{
	printf 'dn: %s\nobjectClass: user\nsAMAccountName: max.paging\n' "$MAX"
	printf 'mS-DS-ConsistencyGuid:: %s\n\n' "$(g 9999)"
	printf 'dn: %s\nobjectClass: user\nsAMAccountName: old.paging\n\n' "$OLD"
	for n in $(seq 1 10); do
		printf 'dn: %s\nobjectClass: user\nsAMAccountName: cloud.paging%s\n' "$(udn $n)" "$n"
		printf 'manager: %s\nmS-DS-ConsistencyGuid:: %s\n\n' "$OLD" "$(g $n)"
	done
} | seed_ldif

# 2,500 users: Max (synced, a manager), 10 isCloudManaged users (1-5 managed
# by Max, 6-8 by nobody, 9-10 by user 1), 2,489 cloud-only users.
/usr/bin/python3 - "$ID_MAX" <<'PY' | mk_tenant "$T/tenant.json"
import base64, json, sys
id_max = sys.argv[1]
uid = lambda n: "76000000-0000-4000-8000-%012d" % n
g = lambda n: base64.b64encode(bytes.fromhex("5a0b1c2d3e4f401180000000%08d" % n)).decode()
users = [{"id": id_max, "userPrincipalName": "max.paging@corp.example.test",
          "displayName": "Max Paging", "onPremisesImmutableId": g(9999),
          "onPremisesSyncEnabled": True}]
for n in range(1, 11):
    u = {"id": uid(n), "userPrincipalName": "cloud.paging%d@corp.example.test" % n,
         "displayName": "Cloud Paging %d" % n, "onPremisesImmutableId": g(n),
         "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True}}
    if n <= 5:
        u["manager"] = id_max
    elif n >= 9:
        u["manager"] = uid(1)
    users.append(u)
for n in range(11, 2500):
    users.append({"id": uid(n), "userPrincipalName": "only%d@corp.example.test" % n,
                  "displayName": "Cloud Only %d" % n, "manager": id_max})
print(json.dumps({"users": users}))
PY
load_tenant "$T/tenant.json"
check "the tenant has 2,500 users" jtrue "$T/tenant.json" "len(d['users']) == 2500"

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err" | tail -5
fake GET stats > "$T/stats.json"
jpy "$T/stats.json" "{k: v for k, v in list(d['requests'].items()) + list(d['batch_items'].items()) if 'users' in k or 'batch' in k}" | sed 's/^/# stats: /'
check "users listed in 3 pages (999 a page, no \$expand)" jtrue "$T/stats.json" \
    "d['requests'].get('GET /v1.0/users') == {'200': 3}"
check "managers read for the 10 cloud-managed users only" jtrue "$T/stats.json" \
    "sum(d['batch_items'].get('GET /v1.0/users/{id}/manager', {}).values()) == 10"
check "... 7 with a manager, 3 without (404)" jtrue "$T/stats.json" \
    "d['batch_items'].get('GET /v1.0/users/{id}/manager') == {'200': 7, '404': 3}"
check "... never one request per user" jtrue "$T/stats.json" \
    "'GET /v1.0/users/{id}/manager' not in d['requests']"
check "two \$batch requests: the 10 users' source of authority, then their managers" jtrue "$T/stats.json" \
    "d['requests'].get('POST /v1.0/\$batch') == {'200': 2}"
for n in 1 2 3 4 5; do same_vals "Cloud Paging $n: manager is Max's DN" "$(udn $n)" manager "$MAX"; done
for n in 6 7 8; do same_vals "Cloud Paging $n: no manager in the cloud, AD's cleared" "$(udn $n)" manager; done
for n in 9 10; do same_vals "Cloud Paging $n: manager is Cloud Paging 1" "$(udn $n)" manager "$(udn 1)"; done

fake DELETE stats >/dev/null
sb_plan "$T/plan.json"; rc=$?
check "a second plan exits 0 with nothing left to do" jtrue "$T/plan.json" "d['changes'] == []"
finish
