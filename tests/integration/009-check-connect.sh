#!/bin/bash
# 009: check-config --connect binds to AD, gets both cloud tokens, and says
# which mapped attributes the schema lacks; each failure is named, exit 1.
. "$(dirname "$0")/lib.sh"

conf=$(lab_conf)
out=$("$SOABRIDGE" -c "$conf" check-config --connect 2>"$T/err"); rc=$?
check "--connect on the lab: exit 0" [ $rc -eq 0 ]
echo "$out" | grep -q "^ldap: bound to $LAB_LDAP_URI (DC: [^)]*) as $LAB_BIND_DN"; verdict "says it bound, as whom"
echo "$out" | grep -q "^cloud: got Graph and Exchange Online tokens"; verdict "says it got both tokens"
echo "$out" | grep -q "^schema: every mapped attribute exists in AD"; verdict "the lab schema has every mapped attribute"
fake GET stats > "$T/stats.json"
/usr/bin/python3 - "$T/stats.json" <<'PY'; verdict "two token requests reached the token endpoint"
import json, sys
s = json.load(open(sys.argv[1]))["requests"]
n = sum(v for k, c in s.items() if "oauth2/v2.0/token" in k for st, v in c.items() if st == "200")
sys.exit(0 if n >= 2 else 1)
PY

printf 'not-the-secret' > "$T/bad.secret"; chmod 600 "$T/bad.secret"
sed "s|client_secret_file = .*|client_secret_file = \"$T/bad.secret\"|" "$conf" > "$T/bad.conf"
"$SOABRIDGE" -c "$T/bad.conf" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
check "wrong client secret: exit 1" [ $rc -eq 1 ]
check "wrong client secret: AADSTS7000215 named" grep -q AADSTS7000215 "$T/err"
check "wrong client secret: the secret is not printed" not grep -q not-the-secret "$T/err" "$T/out"

sed "s|password_file = .*|password_file = \"$T/bad.secret\"|" "$conf" > "$T/bad2.conf"
"$SOABRIDGE" -c "$T/bad2.conf" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
check "wrong LDAP password: exit 1" [ $rc -eq 1 ]
check "wrong LDAP password: invalid credentials, naming the bind DN" grep -q "bind as $LAB_BIND_DN failed: invalid credentials" "$T/err"

# "every mapped attribute exists" must rest on the schema really having them.
adsearch -b "CN=Schema,CN=Configuration,$LAB_BASE_DN" "(lDAPDisplayName=msExchExtensionCustomAttribute5)" dn | grep -q '^dn:'
verdict "the lab schema really has msExchExtensionCustomAttribute5"
finish
