#!/bin/bash
# 097: DCs found through DNS (issue 15, item 3): ldap.domain and no uri.
# The lab DC runs no DNS and the machine's resolv.conf is not ours: a tiny
# responder (dnssrv.py) answers the SRV query, and the test binary's hook
# (SOABRIDGE_TEST_DNS_PORT) points the resolver at it.  A dead target at
# priority 0, the lab DC at priority 10: the run uses the lab DC.  A domain
# without SRV records: a clear error naming the domain and the record, exit 1.
. "$(dirname "$0")/lib.sh"
lab_reset
DOMAIN=corp.example.test

S="OU=Staff,$LAB_BASE_DN"
FAY="CN=Fay Srv,$S"
FAY_ID=10000000-0000-4000-8000-000000097001
G_FAY=$(hex_b64 5a0b1c2d3e4f40118000000000097001)
seed_ldif <<EOF2
dn: $FAY
objectClass: user
sAMAccountName: fay.srv
displayName: Fay Srv
extensionAttribute1: ad-one
mS-DS-ConsistencyGuid:: $G_FAY
EOF2
mk_tenant "$T/tenant.json" <<EOF2
{"users": [
 {"id": "$FAY_ID", "userPrincipalName": "fay.srv@corp.example.test",
  "displayName": "Fay Srv", "onPremisesImmutableId": "$G_FAY", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}],
 "mailboxes": [
 {"ExternalDirectoryObjectId": "$FAY_ID", "DisplayName": "Fay Srv", "Alias": "fay.srv",
  "WindowsEmailAddress": "fay.srv@corp.example.test",
  "EmailAddresses": ["SMTP:fay.srv@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "cloud-srv"}]}
EOF2
load_tenant "$T/tenant.json"

# The lab's certificate names 127.0.0.1 (tests/lab/tls.sh); the SRV target
# is that name.  127.0.0.2 answers nothing (Samba binds 127.0.0.1 only).
/usr/bin/python3 "$TOP/tests/integration/dnssrv.py" "$T/dns.port" "$DOMAIN" \
    0:0:389:127.0.0.2 10:0:389:127.0.0.1 & dns=$!
trap 'kill $dns 2>/dev/null; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
within 5 test -s "$T/dns.port" || { nok "dnssrv.py did not start"; finish; exit; }
export SOABRIDGE_TEST_DNS_PORT=$(cat "$T/dns.port")

lab_conf >/dev/null
sed "s|^  uri = .*|  domain = \"$DOMAIN\"|" "$T/soabridge.conf" > "$T/srv.conf"
"$SOABRIDGE_TEST_BIN" -c "$T/srv.conf" check-config >"$T/cc.out" 2>&1
check "check-config accepts ldap.domain without uri" [ $? -eq 0 ]
sed "s|^  uri = .*|&\n  domain = \"$DOMAIN\"|" "$T/soabridge.conf" > "$T/both.conf"
"$SOABRIDGE_TEST_BIN" -c "$T/both.conf" check-config >"$T/both.out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "ldap.domain: '$DOMAIN' with uri: give one" "$T/both.out"
verdict "uri and domain together: exit 2, saying to keep one"

"$SOABRIDGE_TEST_BIN" -v -c "$T/srv.conf" sync >"$T/sync.out" 2>"$T/sync.err"; rc=$?
check "sync with the DCs from SRV succeeds (exit 0)" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.out" "$T/sync.err"
grep -q "ad.srv domain=$DOMAIN dc=1 uri=ldaps://127.0.0.2:636 priority=0" "$T/sync.err" &&
    grep -q "ad.srv domain=$DOMAIN dc=2 uri=ldaps://127.0.0.1:636 priority=10" "$T/sync.err"
verdict "the SRV records in priority order, each an ldaps://<target>:636 URI"
grep -q 'ad.connect uri="ldaps://127.0.0.2:636" result=skipped (DC 1 of 2)' "$T/sync.err"
verdict "the dead priority-0 DC is skipped, with why"
grep -q '^DC: dc1\..* (ldaps://127.0.0.1:636)$' "$T/sync.out"
verdict "the run used the lab DC and says so"
[ "$(ad_vals "$FAY" extensionAttribute1)" = "cloud-srv" ]
verdict "the write landed"

sed "s|^  uri = .*|  domain = \"nodc.example.test\"|" "$T/soabridge.conf" > "$T/nodc.conf"
"$SOABRIDGE_TEST_BIN" -c "$T/nodc.conf" plan >"$T/nodc.out" 2>"$T/nodc.err"; rc=$?
check "a domain without SRV records: exit 1" [ $rc -eq 1 ]
grep -q "no domain controller found for ldap.domain nodc.example.test: DNS SRV _ldap._tcp.dc._msdcs.nodc.example.test: no such name" "$T/nodc.err"
verdict "the error names the domain and the record asked for"
[ $rc -eq 1 ] || sed 's/^/#   /' "$T/nodc.err"

finish
