#!/bin/bash
# 087: two agents, one writer (issue 14, item 7).  The lease object is made
# as an admin would (a container, and Read/Write Property of
# adminDescription on it delegated to the agent's account); check-config
# --connect says so before and after the delegation.  Two 'soabridge run'
# on separate state_dirs (two hosts), interval 1, lease_seconds 10: exactly
# one takes the lease and writes the cloud change, the other says it is
# standby and writes nothing.  SIGKILL of the holder: the other takes over
# once the lease has expired (not before) and writes the next change.  A
# sync by hand beside it writes nothing; a stopped holder releases the
# lease.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
ERIN="CN=Erin Lease,$S"
ERIN_ID=10000000-0000-4000-8000-000000087001
G_ERIN=$(hex_b64 5a0b1c2d3e4f40118000000000087001)
LEASE="CN=soabridge-lease,OU=Service,$LAB_BASE_DN"
# adminDescription's schemaIDGUID (the same in every AD forest)
ADMIN_DESCRIPTION_GUID=bf967919-0de6-11d0-a285-00aa003049e2
seed_ldif <<EOF2
dn: $ERIN
objectClass: user
sAMAccountName: erin.lease
displayName: Erin Lease
extensionAttribute1: ad-one
mS-DS-ConsistencyGuid:: $G_ERIN

dn: $LEASE
objectClass: container
description: soabridge lease (adminDescription holds it)
EOF2
mk_tenant "$T/tenant.json" <<EOF2
{"users": [
 {"id": "$ERIN_ID", "userPrincipalName": "erin.lease@corp.example.test",
  "displayName": "Erin Lease", "onPremisesImmutableId": "$G_ERIN", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}],
 "mailboxes": [
 {"ExternalDirectoryObjectId": "$ERIN_ID", "DisplayName": "Erin Lease", "Alias": "erin.lease",
  "WindowsEmailAddress": "erin.lease@corp.example.test",
  "EmailAddresses": ["SMTP:erin.lease@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "cloud-one"}]}
EOF2
load_tenant "$T/tenant.json"

# Two hosts: the same directory and tenant, a state_dir each.
mkconf_host() {
	lab_conf >/dev/null
	sed "s|^state_dir = .*|state_dir = \"$T/state-$1\"|" "$T/soabridge.conf" > "$T/$1.conf"
	printf 'daemon {\n  interval = 1\n  lease_dn = "%s"\n  lease_seconds = 10\n}\n' "$LEASE" >> "$T/$1.conf"
}
mkconf_host a
mkconf_host b
mkconf_host c

# check-config prints the lease; --connect finds it readable, not writable.
"$SOABRIDGE" -c "$T/a.conf" check-config >"$T/cc.out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -qF "lease: $LEASE (adminDescription), 10 s; writes stop 3 s before it expires" "$T/cc.out"
verdict "check-config prints the lease settings"
"$SOABRIDGE" -c "$T/a.conf" check-config --connect >"$T/cc.out" 2>"$T/cc.err"; rc=$?
[ $rc -ne 0 ] && grep -q "may read it but not write adminDescription: delegate" "$T/cc.err"
verdict "check-config --connect: the lease object without the delegation is refused, naming what to delegate"
[ $rc -ne 0 ] || sed 's/^/#   /' "$T/cc.out" "$T/cc.err"

# The delegation (dsacls on Windows): Read and Write Property of
# adminDescription on the lease object, nothing more.  samba-tool over
# LDAP as the lab's Administrator (the lab's smb.conf: its realm and TLS).
svc_sid=$(ad_sid "$LAB_BIND_DN")
samba-tool dsacl set -s "$TOP/tests/lab/run/dc1/etc/smb.conf" -H ldap://127.0.0.1 \
    -U "Administrator%$LAB_ADMIN_PW" --objectdn="$LEASE" --trusteedn="$LAB_BIND_DN" \
    --sddl="(OA;;RPWP;$ADMIN_DESCRIPTION_GUID;;$svc_sid)" >"$T/dsacl.out" 2>&1; rc=$?
check "delegate RP/WP of adminDescription on the lease object" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/dsacl.out"
"$SOABRIDGE" -c "$T/a.conf" check-config --connect >"$T/cc.out" 2>"$T/cc.err"; rc=$?
[ $rc -eq 0 ] && grep -qF "lease: $LEASE can be read and written; free" "$T/cc.out"
verdict "check-config --connect: the lease object can be read and written, free"
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/cc.out" "$T/cc.err"

ext1_is() { [ "$(ad_vals "$ERIN" extensionAttribute1)" = "$1" ]; }
lease_val() { ad_vals "$LEASE" adminDescription; }
holder_pid() { lease_val | sed -n 's/^holder=[^:]*:\([0-9]*\):[0-9a-f]*;expires=[0-9]*$/\1/p'; }
applied() { # applied changes over the runs of host $1
	"$SOABRIDGE" -c "$T/$1.conf" runs --format json 2>/dev/null |
	    /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(sum(r["applied"] for r in (d if isinstance(d, list) else d["runs"])))' 2>/dev/null || echo 0
}

"$SOABRIDGE" -c "$T/a.conf" run >"$T/a.out" 2>"$T/a.err" &
pa=$!
"$SOABRIDGE" -c "$T/b.conf" run >"$T/b.out" 2>"$T/b.err" &
pb=$!
trap 'kill -KILL $pa $pb 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT

check "one of the two writes the cloud change (within 20 s)" within 20 ext1_is cloud-one
hp=$(holder_pid)
if [ "$hp" = "$pa" ]; then H=a hpid=$pa S=b spid=$pb
elif [ "$hp" = "$pb" ]; then H=b hpid=$pb S=a spid=$pa
else H= ; fi
check "the lease names one of the two processes (host:pid:token)" [ -n "$H" ]
[ -n "$H" ] || { lease_val | sed 's/^/#   /'; finish; exit 1; }
hid=$(lease_val | sed -n 's/^holder=\([^;]*\);.*/\1/p')
sleep 3	# a few more cycles of both
check "the holder applied the change" [ "$(applied $H)" = 1 ]
check "the standby applied nothing (no run in its state)" [ "$(applied $S)" = 0 ]
grep -q "run: lease: acquired the lease on $LEASE: holder $hid until" "$T/$H.err"
verdict "the holder logged that it acquired the lease"
grep -q "run: lease: standby: $hid holds the lease on $LEASE until .*; checking it at each interval" "$T/$S.err"
verdict "the standby logged that it is standby, naming the holder"
check "the standby said so once (one line per change of state)" [ "$(grep -c 'standby:' "$T/$S.err")" = 1 ]
v0=$(lease_val)
renewed() { [ "$(lease_val)" != "$v0" ]; }
check "the holder renews the lease (its expiry moves within 8 s)" within 8 renewed

# status on either host names the holder, read from AD.
"$SOABRIDGE" -c "$T/$S.conf" status >"$T/status.out" 2>&1
grep -q "^lease: *$LEASE: held by $hid until " "$T/status.out"
verdict "status names the lease and its holder"
"$SOABRIDGE" -c "$T/$S.conf" status --format json >"$T/status.json" 2>/dev/null
jtrue "$T/status.json" "d['lease']['holder'] == a[0]" "$hid"; verdict "status JSON: lease.holder"

# A sync by hand on a third host while the lease is held: nothing written.
"$SOABRIDGE" -c "$T/c.conf" sync >"$T/c.out" 2>"$T/c.err"; rc=$?
[ $rc -eq 1 ] && grep -q "does not hold the lease on $LEASE" "$T/c.err"
verdict "sync by hand beside the holder: exit 1, does not hold the lease"
check "the sync by hand applied nothing" [ "$(applied c)" = 0 ]

# SIGKILL the holder: the lease stays in AD until it expires.
kill -KILL "$hpid"; wait "$hpid" 2>/dev/null
expires=$(lease_val | sed -n 's/.*;expires=\([0-9]*\)$/\1/p')
echo '{"CustomAttribute1": "cloud-two"}' > "$T/patch.json"
fake PATCH "objects/$ERIN_ID" "$T/patch.json" >/dev/null
check "the standby takes over and writes the next change (within 25 s)" within 25 ext1_is cloud-two
now=$(date +%s)
check "not before the lease expired ($expires, seen at $now)" [ "$now" -ge "$expires" ]
grep -q "run: lease: took over the lease on $LEASE from $hid, whose lease expired at" "$T/$S.err"
verdict "the standby logged the take-over, naming the old holder"
started=$("$SOABRIDGE" -c "$T/$S.conf" runs --format json | /usr/bin/python3 -c '
import json, sys, datetime
d = json.load(sys.stdin); d = d if isinstance(d, list) else d["runs"]
s = d[0]["started"].replace("Z", "+00:00")
t = datetime.datetime.fromisoformat(s)
if t.tzinfo is None: t = t.replace(tzinfo=datetime.timezone.utc)
print(int(t.timestamp()))')
check "the standby's first write cycle started after the expiry ($started >= $expires)" [ "${started:-0}" -ge "$expires" ]
check "the new holder applied the change" [ "$(applied $S)" = 1 ]
case $(lease_val) in "holder="*":$spid:"*) ok "the lease now names the new holder";; *) nok "the lease now names the new holder";; esac

# A stopped holder releases the lease.
kill -TERM "$spid"; wait "$spid"; rc=$?
check "the holder exits 0 on SIGTERM" [ $rc -eq 0 ]
check "it released the lease (logged)" grep -q "run: lease: released the lease on $LEASE" "$T/$S.err"
check "the lease object is empty again" [ -z "$(lease_val)" ]
check "no secret in the output" sh -c "! grep -qF '$LAB_BIND_PW' '$T/a.out' '$T/a.err' '$T/b.out' '$T/b.err'"
[ $_fail -eq 0 ] || { echo "# a:"; sed 's/^/#   /' "$T/a.err" | tail -30; echo "# b:"; sed 's/^/#   /' "$T/b.err" | tail -30; }
finish
