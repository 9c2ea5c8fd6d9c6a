#!/bin/bash
# 091: GSSAPI errors an admin can act on, each naming the thing: a keytab others can read
# (check-config exit 2 naming ldap.keytab_file), a principal the keytab does not hold (exit 1, the
# principal and the keytab named), the KDC unreachable (exit 1, the realm and the KDC named), a DC
# addressed by a name with no SPN (ldap/<name> named); and plain ldap:// with SASL sealing works.
. "$(dirname "$0")/lib.sh"
export KRB5_CONFIG=$LAB_KRB5_CONFIG
cp "$LAB_KEYTAB" "$T/svc.keytab"
chmod 600 "$T/svc.keytab"

# 1. The keytab's mode.
chmod 644 "$T/svc.keytab"
conf=$(lab_conf --gssapi keytab="$T/svc.keytab")
"$SOABRIDGE" -c "$conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "keytab mode 0644: check-config exit 2" [ $rc -eq 2 ]
line=$(grep -n keytab_file "$conf" | cut -d: -f1)
check "keytab mode 0644: file:line: ldap.keytab_file named, with the mode" \
    grep -q "^$conf:$line: ldap.keytab_file: $T/svc.keytab is accessible by group or others (mode 0644)" "$T/err"
"$SOABRIDGE" -c "$conf" sync >"$T/out" 2>"$T/err"; rc=$?
check "keytab mode 0644: sync refuses too (exit 2), binding nothing" [ $rc -eq 2 ]
chmod 600 "$T/svc.keytab"

# 2. A principal the keytab does not hold.
conf=$(lab_conf --gssapi keytab="$T/svc.keytab" principal=someone-else@$LAB_REALM)
"$SOABRIDGE" -c "$conf" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
check "principal not in the keytab: exit 1" [ $rc -eq 1 ]
check "principal not in the keytab: the principal and the keytab named" \
    grep -q "principal someone-else@$LAB_REALM is not in keytab $T/svc.keytab" "$T/err"
sed 's/^/#   /' "$T/err" | tail -2

# 3. The KDC unreachable: a krb5.conf whose KDC is a port nothing listens on (what a stopped KDC
#    looks like from here).
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s|kdc = 127.0.0.1\$|kdc = 127.0.0.1:$port|" "$LAB_KRB5_CONFIG" > "$T/krb5-down.conf"
check "the test krb5.conf names the dead KDC" grep -q "kdc = 127.0.0.1:$port" "$T/krb5-down.conf"
conf=$(lab_conf --gssapi)
KRB5_CONFIG=$T/krb5-down.conf timeout 120 "$SOABRIDGE" -c "$conf" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
check "KDC unreachable: exit 1" [ $rc -eq 1 ]
check "KDC unreachable: the realm and the KDC named" \
    grep -q "cannot reach a KDC of realm $LAB_REALM (KDC 127.0.0.1:$port)" "$T/err"
sed 's/^/#   /' "$T/err" | tail -2

# 4. The DC by a name its SPN does not hold (its address): no ticket for ldap/127.0.0.1.
conf=$(lab_conf --gssapi uri=ldaps://127.0.0.1)
"$SOABRIDGE" -c "$conf" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
check "no SPN for the host name used: exit 1" [ $rc -eq 1 ]
check "no SPN for the host name used: ldap/127.0.0.1 named, the FQDN advised" \
    grep -q "knows no service principal ldap/127.0.0.1: name the DC in ldap.uri by the host name" "$T/err"
sed 's/^/#   /' "$T/err" | tail -2

# 5. Plain ldap:// with GSSAPI: allowed, and sealed (Samba, like AD, refuses SASL without a
#    security layer there, so a bind that works has one).
conf=$(lab_conf --gssapi uri=ldap://$LAB_DC_HOST)
out=$("$SOABRIDGE" -v -c "$conf" check-config --connect 2>"$T/err"); rc=$?
check "plain ldap:// with GSSAPI: exit 0" [ $rc -eq 0 ]
check "plain ldap:// with GSSAPI: the log says SASL sealing" \
    grep -q "ad.connect uri=\"ldap://$LAB_DC_HOST\" bind=gssapi .*tls=none-sasl-sealed" "$T/err"
# Without sealing the same DC refuses the bind: ldapwhoami with maxssf=0 shows what we avoid.
KRB5CCNAME=FILE:$T/cc bash -c "kinit -k -t '$LAB_KEYTAB' '$LAB_PRINCIPAL' &&
    ldapwhoami -Y GSSAPI -O maxssf=0 -H ldap://$LAB_DC_HOST -N" >"$T/plain.out" 2>&1
check "(the DC refuses an unsealed SASL bind on plain ldap://: strong auth required)" \
    grep -q "Strong(er) authentication required" "$T/plain.out"
# And a simple bind is still refused on plain ldap://.
conf=$(lab_conf uri=ldap://$LAB_DC_HOST)
"$SOABRIDGE" -c "$conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "plain ldap:// with a password: check-config exit 2" [ $rc -eq 2 ]
finish
