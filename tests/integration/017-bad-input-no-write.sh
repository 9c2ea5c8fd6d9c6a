#!/bin/bash
# 017: bad input stops a sync before any write (highestCommittedUSN unchanged):
# a wrong client secret (AADSTS7000215, the secret not printed), a failed LDAP
# bind (invalid credentials, naming the bind DN, the password not printed), a
# malformed Graph or Exchange Online response (exit 1, naming the endpoint).
# A throttled Graph request (429 with Retry-After) is retried and the sync succeeds.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
YARA="CN=Yara Pending,$S"
G_YARA=$(hex_b64 5a0b1c2d3e4f40118000000000017001)
ID_YARA=10000000-0000-4000-8000-000000017001

seed_ldif <<EOF
dn: $YARA
objectClass: user
sAMAccountName: yara.pending
displayName: Yara Pending
title: AD Title
extensionAttribute1: ad-value
mS-DS-ConsistencyGuid:: $G_YARA
EOF

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_YARA", "userPrincipalName": "yara@corp.example.test", "displayName": "Yara Pending",
  "jobTitle": "Cloud Title", "onPremisesImmutableId": "$G_YARA", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}}
],
"mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_YARA", "Alias": "yara", "WindowsEmailAddress": "yara@corp.example.test",
  "EmailAddresses": ["SMTP:yara@corp.example.test"], "IsDirSynced": false, "IsExchangeCloudManaged": false,
  "CustomAttribute1": "cloud-value"}
]}
EOF
load_tenant "$T/tenant.json"
conf=$(lab_conf)

sb_plan "$T/plan.json"
check "the tenant has a change pending for Yara" has_change "$T/plan.json" "$YARA"

# nowrite DESC: highestCommittedUSN and Yara are as before.
usn0=$(highest_usn) yara0=$(usn_changed "$YARA")
nowrite() {
	[ "$(highest_usn)" = "$usn0" ] && [ "$(usn_changed "$YARA")" = "$yara0" ] &&
	    [ "$(ad_vals "$YARA" title)" = "AD Title" ]
	verdict "$1: nothing written (highestCommittedUSN, Yara's uSNChanged and title unchanged)"
}

# Wrong client secret.
WRONG_SECRET='wrong-secret-Zq9~not-the-right-one'
printf '%s\n' "$WRONG_SECRET" > "$T/bad-client.secret"; chmod 600 "$T/bad-client.secret"
sed "s|^  client_secret_file = .*|  client_secret_file = \"$T/bad-client.secret\"|" "$conf" > "$T/badsecret.conf"
check "config with the wrong secret file" grep -q "$T/bad-client.secret" "$T/badsecret.conf"
"$SOABRIDGE" -c "$T/badsecret.conf" sync > "$T/out" 2> "$T/err"; rc=$?
check "wrong client secret: exit 1" [ $rc -eq 1 ]
check "wrong client secret: the message has AADSTS7000215" grep -q AADSTS7000215 "$T/err"
check "wrong client secret: the secret is not printed" not grep -qF "$WRONG_SECRET" "$T/out" "$T/err"
nowrite "wrong client secret"

# LDAP bind failure.
WRONG_PW='Wrong-Passw0rd-for-svc-7731'
printf '%s\n' "$WRONG_PW" > "$T/bad-ldap.secret"; chmod 600 "$T/bad-ldap.secret"
sed "s|^  password_file = .*|  password_file = \"$T/bad-ldap.secret\"|" "$conf" > "$T/badbind.conf"
check "config with the wrong password file" grep -q "$T/bad-ldap.secret" "$T/badbind.conf"
"$SOABRIDGE" -c "$T/badbind.conf" sync > "$T/out" 2> "$T/err"; rc=$?
check "LDAP bind failure: exit 1" [ $rc -eq 1 ]
check "LDAP bind failure: says invalid credentials" grep -qi "invalid credentials" "$T/err"
check "LDAP bind failure: names the bind DN" grep -qF "$LAB_BIND_DN" "$T/err"
check "LDAP bind failure: the password is not printed" not grep -qF "$WRONG_PW" "$T/out" "$T/err"
nowrite "LDAP bind failure"

# Malformed responses (a 200 whose JSON body is cut short).
for path in /v1.0/users InvokeCommand; do
	load_tenant "$T/tenant.json"
	printf '{"kind": "malformed", "path": "%s"}' "$path" | fake POST faults - >/dev/null
	verdict "fault: malformed $path"
	"$SOABRIDGE" -c "$conf" sync > "$T/out" 2> "$T/err"; rc=$?
	check "malformed $path: exit 1" [ $rc -eq 1 ]
	check "malformed $path: the message names the endpoint" grep -qF "$path" "$T/err"
	[ $rc -eq 1 ] && grep -qF "$path" "$T/err" || sed 's/^/#   /' "$T/err"
	check "malformed $path: the fault fired" jtrue <(fake GET faults) "not d['faults'] or all(f.get('count_left') == 0 for f in d['faults'])"
	nowrite "malformed $path"
done

# Throttling: one 429 with Retry-After 1 on the users list, then success.
load_tenant "$T/tenant.json"
echo '{"kind": "429", "retry_after": 1, "path": "/v1.0/users", "count": 1}' | fake POST faults - >/dev/null
verdict "fault: one 429 on /v1.0/users"
t0=$(date +%s%N)
"$SOABRIDGE" -c "$conf" sync > "$T/out" 2> "$T/err"; rc=$?
t1=$(date +%s%N)
check "throttled: sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/err"
fake GET stats > "$T/stats.json"
if jtrue "$T/stats.json" "d['requests'].get('GET /v1.0/users', {}).get('429') == 1 and d['requests'].get('GET /v1.0/users', {}).get('200', 0) >= 1"; then
	ok "throttled: stats show the 429 and a 200 for GET /v1.0/users"
else
	nok "throttled: stats show the 429 and a 200 for GET /v1.0/users"
	jpy "$T/stats.json" "d['requests']" | sed 's/^/#   /'
fi
check "throttled: the retry waited for Retry-After (>= 1 s)" [ $(( (t1 - t0) / 1000000 )) -ge 1000 ]
same_vals "throttled: the sync wrote Yara's title" "$YARA" title "Cloud Title"
same_vals "throttled: ... and her extensionAttribute1" "$YARA" extensionAttribute1 "cloud-value"
finish
