#!/bin/bash
# 092: Kerberos credentials are renewed from the keytab before they expire: `soabridge run` with
# short tickets keeps binding, cycle after cycle, for longer than one ticket lives, and the log shows
# the renewals.
#
# The lifetime: 3 minutes.  krb5.conf's ticket_lifetime = 2m does give 2-minute tickets (klist shows
# them), but the lab's Samba KDC answers "Ticket expired" to every service-ticket request made with
# a TGT that has 120 s or less left (seen with KRB5_TRACE), so a 2-minute TGT never yields a ticket
# for ldap/<dc>.  3 minutes is the shortest whole-minute lifetime that works; soabridge renews once
# less than AD_KRB_RENEW_MARGIN_S (150 s) is left, i.e. every 30 s or so here.  The run lasts 200 s:
# past the first ticket's end (180 s), where a run that never renewed fails to bind.
. "$(dirname "$0")/lib.sh"
lab_reset
LIFE=180
SPAN=200

S="OU=Staff,$LAB_BASE_DN"
OLGA="CN=Olga Renewal,$S"
G_OLGA=$(hex_b64 5a0b1c2d3e4f40118000000000092001)
ID_OLGA=10000000-0000-4000-8000-000000092001
seed_ldif <<LDIF
dn: $OLGA
objectClass: user
sAMAccountName: olga.renewal
displayName: Olga Renewal
LDIF
mk_tenant "$T/tenant.json" <<JSON
{"users": [
 {"id": "$ID_OLGA", "userPrincipalName": "olga.renewal@corp.example.test", "displayName": "Olga Renewal",
  "onPremisesImmutableId": "$G_OLGA", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}
]}
JSON
load_tenant "$T/tenant.json"

sed 's/^\[libdefaults\]$/&\n\tticket_lifetime = 3m/' "$LAB_KRB5_CONFIG" > "$T/krb5.conf"
export KRB5_CONFIG=$T/krb5.conf
KRB5CCNAME=FILE:$T/cc kinit -k -t "$LAB_KEYTAB" "$LAB_PRINCIPAL" && KRB5CCNAME=FILE:$T/cc klist > "$T/klist" 2>&1
life=$(/usr/bin/python3 - "$T/klist" <<'PY'
import sys, datetime
for l in open(sys.argv[1]):
    f = l.split()
    if len(f) >= 5 and f[4].startswith("krbtgt/"):
        fmt = "%m/%d/%y %H:%M:%S"
        a = datetime.datetime.strptime(f[0] + " " + f[1], fmt)
        b = datetime.datetime.strptime(f[2] + " " + f[3], fmt)
        print(int((b - a).total_seconds()))
PY
)
check "the test's krb5.conf gives $LIFE-second tickets (klist: ${life:-none})" [ "${life:-0}" = $LIFE ]

conf=$(lab_conf --gssapi)
printf 'daemon {\n  interval = 10\n}\n' >> "$conf"
start=$(date +%s)
"$SOABRIDGE" -v -c "$conf" run >"$T/run.out" 2>"$T/run.err" &
pid=$!
sleep $SPAN
kill -TERM "$pid" 2>/dev/null
wait "$pid"; rc=$?
end=$(date +%s)
check "run exits 0 on SIGTERM after $((end - start)) s" [ $rc -eq 0 ]

ok_cycles=$(grep -c "run.cycle n=[0-9]* kind=[a-z]* result=ok" "$T/run.err")
bad_cycles=$(grep "run.cycle n=[0-9]* kind=[a-z]* result=" "$T/run.err" | grep -vc "result=ok")
binds=$(grep -c "ad.connect .*bind=gssapi .*result=ok" "$T/run.err")
echo "# cycles ok: $ok_cycles, not ok: $bad_cycles, GSSAPI binds: $binds"
check "every cycle ended ok (at least 15 of them)" [ "$ok_cycles" -ge 15 -a "$bad_cycles" -eq 0 ]
check "every cycle bound with GSSAPI" [ "$binds" -ge "$ok_cycles" ]
check "no error logged" not grep -q "error" "$T/run.err"
grep "error" "$T/run.err" | head -3 | sed 's/^/#   /'
check "the credentials were acquired once from the keytab, lifetime $LIFE s" \
    eval '[ "$(grep -c "ad.kerberos .*lifetime=${LIFE}s result=acquired" "$T/run.err")" = 1 ]'
renewals=$(grep -c "ad.kerberos .*result=renewed left=" "$T/run.err")
echo "# renewals: $renewals"
grep "ad.kerberos" "$T/run.err" | head -3 | sed 's/^/#   /'
check "the log shows renewals (at least 3), each with time still left" [ "$renewals" -ge 3 ]
# A bind later than the first ticket's end: only a renewed ticket can have made it.
last_bind_after=$(/usr/bin/python3 - "$T/run.err" "$start" "$LIFE" <<'PY'
import sys
# The cycles are 10 s apart: count the binds; the n-th began no earlier than start + 10*(n-1).
n = sum(1 for l in open(sys.argv[1]) if "ad.connect " in l and "bind=gssapi" in l and "result=ok" in l)
print(1 if 10 * (n - 1) > int(sys.argv[3]) else 0)
PY
)
check "binds went on past the first ticket's end ($LIFE s)" [ "$last_bind_after" = 1 ]
finish
