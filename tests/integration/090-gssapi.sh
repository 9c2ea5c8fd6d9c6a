#!/bin/bash
# 090: a GSSAPI (Kerberos) bind from the lab keytab, no password file: check-config --connect and
# sync bind as the agent's principal, the log and the journal's run record say which identity, and
# the writes land in AD.
. "$(dirname "$0")/lib.sh"
lab_reset
# soabridge has no key for krb5.conf: the system's, or KRB5_CONFIG (the lab realm's).
export KRB5_CONFIG=$LAB_KRB5_CONFIG

conf=$(lab_conf --gssapi)
check "the config binds with GSSAPI, without password_file or bind_dn" \
    eval 'grep -q "sasl_mech = \"GSSAPI\"" "$conf" && ! grep -qE "password_file|bind_dn" "$conf"'
check "the lab keytab is mode 0600" [ "$(stat -c %a "$LAB_KEYTAB")" = 600 ]

out=$("$SOABRIDGE" -v -c "$conf" check-config --connect 2>"$T/check.err"); rc=$?
check "check-config --connect: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/check.err" | tail -5
echo "$out" | grep -q "^ldap: bound to ldaps://$LAB_DC_HOST (DC: [^)]*) as .*$LAB_PRINCIPAL (GSSAPI)"
verdict "check-config says it bound as the principal, with GSSAPI"
check "the log: credentials acquired from the keytab into a memory cache" \
    grep -q "ad.kerberos principal=$LAB_PRINCIPAL keytab=$LAB_KEYTAB cache=MEMORY:.* result=acquired" "$T/check.err"
check "the log: ad.connect names the bind and the identity bound" \
    grep -q "ad.connect uri=\"ldaps://$LAB_DC_HOST\" bind=gssapi bind_dn=\"$LAB_PRINCIPAL\" bound=\".*svc-soabridge" "$T/check.err"

S="OU=Staff,$LAB_BASE_DN"
NORA="CN=Nora Kerberos,$S"
G_NORA=$(hex_b64 5a0b1c2d3e4f40118000000000090001)
ID_NORA=10000000-0000-4000-8000-000000090001
seed_ldif <<LDIF
dn: $NORA
objectClass: user
sAMAccountName: nora.krb
displayName: Nora (old)
title: Old Title
mS-DS-ConsistencyGuid:: $G_NORA
LDIF
mk_tenant "$T/tenant.json" <<JSON
{"users": [
 {"id": "$ID_NORA", "userPrincipalName": "nora.krb@corp.example.test", "displayName": "Nora Kerberos",
  "jobTitle": "Ticket Keeper", "onPremisesImmutableId": "$G_NORA", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}}
]}
JSON
load_tenant "$T/tenant.json"

"$SOABRIDGE" -v -c "$conf" sync --format json >"$T/sync.json" 2>"$T/sync.err"; rc=$?
check "sync with GSSAPI: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.err" | grep -v "info ad.op\|info http" | tail -8
same_vals "the write landed: title" "$NORA" title "Ticket Keeper"
same_vals "the write landed: displayName" "$NORA" displayName "Nora Kerberos"
check "the sync's log names the identity bound" \
    grep -q "ad.connect .*bind=gssapi .*bound=\".*svc-soabridge" "$T/sync.err"
bound=$(sqlite3 -readonly "$TOP/tests/lab/run/state/state.db" \
    "SELECT bound FROM runs WHERE command = 'sync' ORDER BY id DESC LIMIT 1")
echo "# runs.bound: $bound"
check "the journal's run record names the identity bound" \
    eval '[ -n "$bound" ] && echo "$bound" | grep -qi "svc-soabridge"'
check "no password is read: the config names no password file" not grep -q "$LAB_BIND_PW_FILE" "$conf"
finish
