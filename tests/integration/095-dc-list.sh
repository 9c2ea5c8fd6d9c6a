#!/bin/bash
# 095: more than one DC (issue 15, item 3).  ldap.uri lists the DCs tried in
# order: with nothing listening on the first, the run uses the second, says
# which DC it used and why the first was skipped; a DC that accepts TCP but
# never answers is skipped within ldap.timeout; a DC that refuses the
# password stops the list at once (the same password tried on every DC would
# only lock the account out).
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
DANA="CN=Dana List,$S"
DANA_ID=10000000-0000-4000-8000-000000095001
G_DANA=$(hex_b64 5a0b1c2d3e4f40118000000000095001)
seed_ldif <<EOF2
dn: $DANA
objectClass: user
sAMAccountName: dana.list
displayName: Dana List
extensionAttribute1: ad-one
mS-DS-ConsistencyGuid:: $G_DANA
EOF2
mk_tenant "$T/tenant.json" <<EOF2
{"users": [
 {"id": "$DANA_ID", "userPrincipalName": "dana.list@corp.example.test",
  "displayName": "Dana List", "onPremisesImmutableId": "$G_DANA", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}],
 "mailboxes": [
 {"ExternalDirectoryObjectId": "$DANA_ID", "DisplayName": "Dana List", "Alias": "dana.list",
  "WindowsEmailAddress": "dana.list@corp.example.test",
  "EmailAddresses": ["SMTP:dana.list@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "cloud-one"}]}
EOF2
load_tenant "$T/tenant.json"

# conf_uris NAME 'URI-LIST' [EXTRA-LDAP-LINE]: the lab config with that uri.
conf_uris() {
	lab_conf >/dev/null
	sed "s|^  uri = .*|  uri = $2|" "$T/soabridge.conf" > "$T/$1.conf"
	[ -z "${3:-}" ] || sed -i "s|^  base_dn = |  $3\n  base_dn = |" "$T/$1.conf"
}

# Samba listens on 127.0.0.1 only (tests/lab/lab: interfaces, bind
# interfaces only): nothing answers on 127.0.0.2.
if timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.2/636' 2>/dev/null; then
	nok "nothing may listen on 127.0.0.2:636 for this test"; finish; exit
fi

conf_uris two '{"ldaps://127.0.0.2", "'"$LAB_LDAP_URI"'"}'
"$SOABRIDGE" -c "$T/two.conf" check-config >"$T/cc.out" 2>&1
check "check-config accepts a list of URIs" [ $? -eq 0 ]
"$SOABRIDGE" -c "$T/two.conf" check-config --connect >"$T/cc.out" 2>"$T/cc.err"; rc=$?
[ $rc -eq 0 ] && grep -qF "ldap: bound to $LAB_LDAP_URI (DC: dc1." "$T/cc.out"
verdict "check-config --connect binds to the second DC and names it"
[ $? -eq 0 ] || sed 's/^/#   /' "$T/cc.out" "$T/cc.err"

"$SOABRIDGE" -v -c "$T/two.conf" sync >"$T/sync.out" 2>"$T/sync.err"; rc=$?
check "sync with the first DC down succeeds (exit 0)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.out" "$T/sync.err"
grep -q 'ad.connect uri="ldaps://127.0.0.2" result=skipped (DC 1 of 2): cannot reach ldaps://127.0.0.2' "$T/sync.err"
verdict "the log says the first DC was skipped, and why"
grep -q "ad.connect uri=\"$LAB_LDAP_URI\" .* host=\"dc1\..*result=ok" "$T/sync.err"
verdict "the log names the DC used: its URI and host"
grep -q "^DC: dc1\..* ($LAB_LDAP_URI)$" "$T/sync.out"
verdict "the sync's summary says 'DC: <host>'"
[ "$(ad_vals "$DANA" extensionAttribute1)" = "cloud-one" ]
verdict "the write landed through the second DC"

# A DC that accepts TCP and never answers: skipped within ldap.timeout.
PORT_FILE=$T/silent.port
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$PORT_FILE" & silent=$!
within 5 test -s "$PORT_FILE"
conf_uris silent '{"ldaps://127.0.0.1:'"$(cat "$PORT_FILE")"'", "'"$LAB_LDAP_URI"'"}' "timeout = 3"
start=$(date +%s)
"$SOABRIDGE" -v -c "$T/silent.conf" plan >"$T/silent.out" 2>"$T/silent.err"; rc=$?
took=$(( $(date +%s) - start ))
kill "$silent" 2>/dev/null; wait "$silent" 2>/dev/null
check "a DC that never answers is skipped: the plan succeeds on the next (exit 0)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/silent.err"
grep -q "ad.connect uri=\"ldaps://127.0.0.1:[0-9]*\" result=skipped (DC 1 of 2): .*\(timed out\|did not complete in time\|can't contact\)" "$T/silent.err"
verdict "the silent DC's skip is logged with why"
check "... within the timeout (3 s; took ${took}s)" [ "$took" -le 9 ]

# A DC that refuses the password: the list stops there.
printf 'not-the-password' > "$T/bad.secret"; chmod 600 "$T/bad.secret"
conf_uris badpw '{"'"$LAB_LDAP_URI"'", "ldaps://localhost"}'
sed -i "s|^  password_file = .*|  password_file = \"$T/bad.secret\"|" "$T/badpw.conf"
"$SOABRIDGE" -vv -c "$T/badpw.conf" plan >"$T/badpw.out" 2>"$T/badpw.err"; rc=$?
check "a refused password: exit 1" [ $rc -eq 1 ]
grep -q "invalid credentials" "$T/badpw.err"
verdict "the error says invalid credentials"
! grep -q "localhost" "$T/badpw.err"
verdict "the second DC was never tried (no bind with the same password)"
[ $? -eq 0 ] || sed 's/^/#   /' "$T/badpw.err"

# Every DC down: one error listing each and why.
conf_uris none '{"ldaps://127.0.0.2", "ldaps://127.0.0.3"}'
"$SOABRIDGE" -c "$T/none.conf" plan >"$T/none.out" 2>"$T/none.err"; rc=$?
check "every DC down: exit 1" [ $rc -eq 1 ]
grep -q "none of the 2 domain controllers could be used: cannot reach ldaps://127.0.0.2.*; cannot reach ldaps://127.0.0.3" "$T/none.err"
verdict "one error lists each DC and why"
[ $? -eq 0 ] || sed 's/^/#   /' "$T/none.err"

finish
