#!/bin/bash
# 074: issue 12, item 9.  Replies no service should send must not break the
# client: an unbounded expires_in is read as a day (the renewal time would
# overflow, and every request would fetch a new token); a Retry-After with
# leading zeros past 63 characters is read whole (a copy cut at 64 bytes
# read "0000...0002" as 0 and retried at once); a mailbox whose keys differ
# only in case would merge two properties into one attribute: it is refused
# as malformed, and nothing is written.
. "$(dirname "$0")/lib.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
load_tenant "$TOP/tests/fixtures/demo-tenant.json"

# expires_in = 11529215046068470 (the fake says what it is configured to).
echo '{"token_lifetime": 11529215046068470}' > "$T/config.json"
fake PUT config "$T/config.json" >/dev/null
"$SOABRIDGE" -c "$(lab_conf)" plan >"$T/out" 2>"$T/err"; rc=$?
check "huge expires_in: plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | tail -5
fake GET stats > "$T/stats.json"
check "one Graph token and one Exchange token, each kept for the run" jtrue "$T/stats.json" \
    "d['token_scopes'] == {'https://graph.microsoft.com/.default': {'200': 1}, 'https://outlook.office365.com/.default': {'200': 1}}"
jpy "$T/stats.json" "d['token_scopes']" | sed 's/^/# token_scopes: /'

# Retry-After: 63 zeros, then 2.
fake DELETE config >/dev/null; fake DELETE stats >/dev/null
/usr/bin/python3 - > "$T/fault.json" <<'PY'
import json
print(json.dumps({"kind": "429", "path": "^/v1.0/users$", "count": 1,
                  "headers": {"Retry-After": "0" * 63 + "2"}}))
PY
fake POST faults "$T/fault.json" >/dev/null
"$SOABRIDGE" -c "$(lab_conf)" -v plan >"$T/out" 2>"$T/err"; rc=$?
check "long Retry-After: plan exits 0" [ $rc -eq 0 ]
wait_ms=$(grep -oE "http.retry where=graph.users .*status=429 wait_ms=[0-9]+" "$T/err" | head -1 | sed 's/.*wait_ms=//')
check "the wait honours all of it: 2 s (waited ${wait_ms:-?} ms)" [ "${wait_ms:-0}" -ge 2000 ]

# A mailbox with CustomAttribute1 and customAttribute1: refused, nothing written.
fake DELETE faults >/dev/null
cat > "$T/patch.json" <<'JSON'
{"mailbox": {"CustomAttribute1": "from-one-key", "customAttribute1": "from-the-other"}}
JSON
fake PATCH objects/10000000-0000-4000-8000-000000000002 "$T/patch.json" >/dev/null
highest=$(highest_usn)
"$SOABRIDGE" -c "$(lab_conf)" sync >"$T/out" 2>"$T/err"; rc=$?
check "case twins: exit 1" [ $rc -eq 1 ]
check "the mailbox is refused as malformed, naming both keys" \
    grep -q 'malformed response from POST .*InvokeCommand: object [0-9]* of the page id 10000000-0000-4000-8000-000000000002: "CustomAttribute1" and "customAttribute1" would be one attribute' "$T/err"
check "nothing written to AD" [ "$(highest_usn)" = "$highest" ]
[ $rc -eq 1 ] || sed 's/^/#   /' "$T/err" | tail -5
finish
