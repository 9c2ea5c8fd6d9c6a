#!/bin/bash
# 075: issue 12, test 3.  onPremisesSyncBehavior replies in both shapes:
# wrapped in "value", as Microsoft's API reference shows it
# (tests/data/graph/SOURCES.md), the users are written as cloud-managed; a
# reply {} (a 200 without a boolean isCloudManaged) for one of three is a
# soa-unreadable finding naming it, and it is not written while the others
# are (exit 0); every candidate's reply {}: plan and sync end with exit 1,
# say why, and write nothing.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
ANN="CN=Ann Shape,$S" BEN="CN=Ben Shape,$S" CID="CN=Cid Shape,$S"
ID_ANN=10000000-0000-4000-8000-000000075001 ID_BEN=10000000-0000-4000-8000-000000075002
ID_CID=10000000-0000-4000-8000-000000075003
g() { hex_b64 "5a0b1c2d3e4f4011800000000007500$1"; }
{
	n=1
	for dn in "$ANN" "$BEN" "$CID"; do
		printf 'dn: %s\nobjectClass: user\nsAMAccountName: shape.%s\ntitle: AD title\n' "$dn" "$n"
		printf 'mS-DS-ConsistencyGuid:: %s\n\n' "$(g $n)"
		n=$((n + 1))
	done
} | seed_ldif

/usr/bin/python3 - "$ID_ANN" "$ID_BEN" "$ID_CID" <<'PY' | mk_tenant "$T/tenant.json"
import base64, json, sys
users = []
for n, (uid, name) in enumerate(zip(sys.argv[1:4], ("Ann Shape", "Ben Shape", "Cid Shape")), 1):
    guid = base64.b64encode(bytes.fromhex("5a0b1c2d3e4f4011800000000007500%d" % n)).decode()
    users.append({"id": uid, "userPrincipalName": "shape.%d@corp.example.test" % n,
                  "displayName": name, "jobTitle": "Cloud title 1",
                  "onPremisesImmutableId": guid, "onPremisesSyncEnabled": None,
                  "onPremisesSyncBehavior": {"isCloudManaged": True}})
print(json.dumps({"users": users}))
PY
load_tenant "$T/tenant.json"
echo '{"soa_shape": "value"}' | fake PUT config - >/dev/null
verdict "fake cloud: onPremisesSyncBehavior answers {\"value\": {..., \"isCloudManaged\": true}}"
tok=$(curl -sS --cacert "$CLOUD_CA_FILE" "$CLOUD_URL/$CLOUD_TENANT_ID/oauth2/v2.0/token" \
    --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$CLOUD_CLIENT_ID" \
    --data-urlencode "client_secret@$CLOUD_SECRET_FILE" \
    --data-urlencode "scope=https://graph.microsoft.com/.default" |
    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
curl -sS --cacert "$CLOUD_CA_FILE" -H "Authorization: Bearer $tok" \
    "$CLOUD_URL/v1.0/users/$ID_ANN/onPremisesSyncBehavior?\$select=isCloudManaged" > "$T/shape.json"
check "... as the documented example has it" jtrue "$T/shape.json" \
    "d['value']['isCloudManaged'] is True and 'isCloudManaged' not in d"

# 1. The value-wrapped shape: all three are cloud-managed and written.
sb_sync "$T/sync1.json"; rc=$?
check "value-wrapped replies: sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync1.json.err" | tail -5
for dn in "$ANN" "$BEN" "$CID"; do
	same_vals "... ${dn%%,*} written as cloud-managed" "$dn" title "Cloud title 1"
done
check "... under the rule isCloudManaged" jtrue "$T/sync1.json" \
    "sorted(c['rule'] for c in d['changes']) == ['isCloudManaged'] * 3"
check "... and no soa-unreadable finding" not jtrue "$T/sync1.json" \
    "any(f['kind'] == 'soa-unreadable' for f in d['findings'])"

# 2. A reply {} for Ben: a finding naming him; Ann and Cid still written.
for id in $ID_ANN $ID_BEN $ID_CID; do
	echo '{"jobTitle": "Cloud title 2"}' | fake PATCH "objects/$id" - >/dev/null
done
printf '{"kind": "200", "path": "/users/%s/onPremisesSyncBehavior", "body": {}, "batch": true, "share": 1}' \
    "$ID_BEN" > "$T/fault-ben.json"
fake POST faults "$T/fault-ben.json" >/dev/null
verdict "fake cloud: Ben's onPremisesSyncBehavior answers 200 {}"
ben_usn=$(usn_changed "$BEN")
sb_plan "$T/plan2.json"; rc=$?
check "one reply {} of three: plan exits 0" [ $rc -eq 0 ]
check "... a soa-unreadable finding for Ben, with his DN" has_finding "$T/plan2.json" soa-unreadable "$BEN"
check "... naming the reason" jtrue "$T/plan2.json" \
    "any(f['kind'] == 'soa-unreadable' and f['cloud_id'] == a[0] and f['display_name'] == 'Ben Shape' and 'without a boolean isCloudManaged (isCloudManaged is absent)' in f['message'] for f in d['findings'])" "$ID_BEN"
check "... never called AD-authoritative" not has_finding "$T/plan2.json" ad-authoritative "$BEN"
check "... no change for Ben" not has_change "$T/plan2.json" "$BEN"
sb_sync "$T/sync2.json"; rc=$?
check "one reply {} of three: sync exits 0" [ $rc -eq 0 ]
same_vals "... Ann written" "$ANN" title "Cloud title 2"
same_vals "... Cid written" "$CID" title "Cloud title 2"
same_vals "... Ben not written" "$BEN" title "Cloud title 1"
check "... Ben's entry untouched (uSNChanged)" [ "$(usn_changed "$BEN")" = "$ben_usn" ]
"$SOABRIDGE" -c "$(lab_conf)" report --format json -o "$T/report.json" 2>"$T/report.err"; rc=$?
check "report exits 0" [ $rc -eq 0 ]
check "... Ben's entry says soa-unreadable, with no owner" jtrue "$T/report.json" \
    "any(e['dn'] == a[0] and e['reason'] == 'soa-unreadable' and e['owner'] == 'none' for e in d['entries'])" "$BEN"
check "... and never that AD owns Ben's title" not jtrue "$T/report.json" \
    "any(e['dn'] == a[0] and e['attribute'] == 'title' and e['owner'] == 'AD' for e in d['entries'])" "$BEN"

# 3. Every candidate's reply {}: the run stops, says so, writes nothing.
fake DELETE faults >/dev/null
echo '{"kind": "200", "path": "/onPremisesSyncBehavior", "body": {}, "batch": true, "share": 1}' |
    fake POST faults - >/dev/null
verdict "fake cloud: every onPremisesSyncBehavior answers 200 {}"
for id in $ID_ANN $ID_CID; do
	echo '{"jobTitle": "Cloud title 3"}' | fake PATCH "objects/$id" - >/dev/null
done
usn0=$(highest_usn)
sb_plan "$T/plan3.json"; rc=$?
check "all unreadable: plan exits 1" [ $rc -eq 1 ]
check "... saying the source of authority of 3 of 3 candidate users could not be read" \
    grep -q "source of authority of 3 of 3 candidate users could not be read" "$T/plan3.json.err"
sb_sync "$T/sync3.json"; rc=$?
check "all unreadable: sync exits 1" [ $rc -eq 1 ]
check "... and says why" grep -q "could not be read.*this run writes nothing" "$T/sync3.json.err"
check "... nothing written to AD" [ "$(highest_usn)" = "$usn0" ]
same_vals "... Ann keeps what the last good run wrote" "$ANN" title "Cloud title 2"
finish
