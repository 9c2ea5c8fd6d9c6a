#!/bin/bash
# 071: issue 12, test 2.  Exchange Online's cmdlet errors carry their reason
# in error.details[].message as "code|exception type|text", error.message
# being only "Error executing cmdlet": the output shows the text after the
# last '|'.  Exchange under load answers in plain text: that is retried like
# a 429, and the run goes on.
. "$(dirname "$0")/lib.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
load_tenant "$TOP/tests/fixtures/demo-tenant.json"

# The 404 body exactly as tests/data/exo/error-not-found.json has it.
/usr/bin/python3 - "$TOP/tests/data/exo/error-not-found.json" > "$T/fault.json" <<'PY'
import json, sys
print(json.dumps({"kind": "404", "path": "InvokeCommand", "count": 1,
                  "body": json.load(open(sys.argv[1]))}))
PY
fake POST faults "$T/fault.json" >/dev/null
"$SOABRIDGE" -c "$(lab_conf)" plan >"$T/out" 2>"$T/err"; rc=$?
check "Exchange 404: exit 1 (the mailbox listing is incomplete)" [ $rc -eq 1 ]
check "the output has the text after the last '|'" grep -qF "The operation couldn't be performed because object 'gus.grey@contoso.com' couldn't be found on 'AM0PR01A001DC01.EURPR01A001.prod.outlook.com'." "$T/err"
check "... and the exception type" grep -q "\[ManagementObjectNotFoundException\]" "$T/err"
check "not the id or the bars" not grep -qE "Ex6F9304|\|Microsoft" "$T/err"
check "not only 'Error executing cmdlet'" not grep -q "Error executing cmdlet" "$T/err"
[ $rc -eq 1 ] || sed 's/^/#   /' "$T/err" | tail -5

# Plain-text throttling (no JSON, a status that is no 429): waited out, sent again.
fake DELETE faults >/dev/null; fake DELETE stats >/dev/null
cat > "$T/fault.json" <<'JSON'
{"kind": "400", "path": "InvokeCommand", "count": 1,
 "text": "The request was throttled: too many concurrent requests for this tenant. Please try again later."}
JSON
fake POST faults "$T/fault.json" >/dev/null
"$SOABRIDGE" -c "$(lab_conf)" -v plan >"$T/out" 2>"$T/err"; rc=$?
check "plain-text throttling: exit 0" [ $rc -eq 0 ]
check "-v shows the throttled answer and its retry" grep -qE "http.retry where=exo.mailboxes .*status=400" "$T/err"
fake GET stats > "$T/stats.json"
check "InvokeCommand: the 400, then 200" jtrue "$T/stats.json" \
    "d['requests']['POST /adminapi/beta/{tenant}/InvokeCommand'] == {'400': 1, '200': 1}"
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | tail -5
finish
