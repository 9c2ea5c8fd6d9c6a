#!/bin/bash
# 070: issue 12, test 1.  Exchange Online answers an app without an Exchange
# role with 401 "User is not allowed to call Get-Mailbox": a permissions
# error, not a token problem.  soabridge asks for no new token, exits 1 and
# says which cmdlet and what to do (an Exchange role, Exchange.ManageAsApp).
# A 401 that is about the token (invalid_token) is retried once with a new
# token and the run goes on.
. "$(dirname "$0")/lib.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
load_tenant "$TOP/tests/fixtures/demo-tenant.json"
EXO_SCOPE="https://outlook.office365.com/.default"
# exo_tokens: how many Exchange Online tokens were asked for (status 200).
exo_tokens() { fake GET stats | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)["token_scopes"].get(sys.argv[1], {}).get("200", 0))' "$EXO_SCOPE"; }
invoke() { fake GET stats | /usr/bin/python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)["requests"].get(
    "POST /adminapi/beta/{tenant}/InvokeCommand", {}), sort_keys=True))'; }

# No Exchange role: the fake answers every InvokeCommand as Exchange does then.
echo '{"exchange_role": false}' > "$T/norole.json"
fake PUT config "$T/norole.json" >/dev/null
highest=$(highest_usn)
"$SOABRIDGE" -c "$(lab_conf)" plan >"$T/out" 2>"$T/err"; rc=$?
check "no Exchange role: exit 1" [ $rc -eq 1 ]
check "the message quotes Exchange: not allowed to call Get-Mailbox" \
    grep -q "HTTP 401 Unauthorized: User is not allowed to call Get-Mailbox" "$T/err"
check "the message names the fix: an Exchange role for Get-Mailbox" \
    grep -q "the app has no Exchange role for Get-Mailbox: assign one that reads recipients" "$T/err"
check "... a role group or View-Only Recipients through RBAC for Applications, and Exchange.ManageAsApp" \
    grep -q 'role group, or RBAC for Applications: -Role "View-Only Recipients") and grant Exchange.ManageAsApp$' "$T/err"
check "it does not blame the secret or the app registration" not grep -q "credential" "$T/err"
check "one Exchange Online token request only (no refresh)" [ "$(exo_tokens)" = 1 ]
check "one InvokeCommand, answered 401" [ "$(invoke)" = '{"401": 1}' ]
check "nothing written to AD" [ "$(highest_usn)" = "$highest" ]
[ $rc -eq 1 ] || sed 's/^/#   /' "$T/err" | tail -5

# A 401 about the token (WWW-Authenticate: error="invalid_token"): one new
# token, the same request again, and the run goes on.
fake DELETE config >/dev/null; fake DELETE stats >/dev/null
cat > "$T/fault.json" <<'JSON'
{"kind": "401", "path": "InvokeCommand", "count": 1}
JSON
fake POST faults "$T/fault.json" >/dev/null
"$SOABRIDGE" -c "$(lab_conf)" -v plan >"$T/out" 2>"$T/err"; rc=$?
check "401 invalid_token: exit 0" [ $rc -eq 0 ]
check "two Exchange Online token requests (the first, one refresh)" [ "$(exo_tokens)" = 2 ]
check "InvokeCommand: the 401, then 200" [ "$(invoke)" = '{"200": 1, "401": 1}' ]
check "-v says why the token was renewed" grep -q "token.refresh audience=exchange reason=http_401" "$T/err"
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | tail -5
finish
