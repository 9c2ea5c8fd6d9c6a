#!/bin/bash
# 060: undo passes the write gate and the safety limits.  Run 1 removes Bob
# from four cloud-managed groups.  Then SG-Prot gains adminCount=1, SG-Moved
# is moved out of ldap.write_scope and SG-Quar is quarantined.  `undo 1`:
# the dry run shows the three refusals (with why) and the one revert left;
# an undo over limits.max_changes exits 3 and writes nothing; the real undo
# puts Bob back in SG-Plain only, and says what it refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B" EW="OU=Elsewhere,$B"
ANN="CN=Ann Gate,$S" BOB="CN=Bob Gate,$S"
PROT="CN=SG-Prot,$CG" MOVED="CN=SG-Moved,$CG" QUAR="CN=SG-Quar,$CG" PLAIN="CN=SG-Plain,$CG"
ID_ANN=10000000-0000-4000-8000-000000060001 ID_BOB=10000000-0000-4000-8000-000000060002
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000060001) G_BOB=$(hex_b64 5a0b1c2d3e4f40118000000000060002)

grp() {	# dn name
	printf 'dn: %s\nobjectClass: group\nsAMAccountName: %s\nmember: %s\nmember: %s\n\n' \
	    "$1" "$2" "$ANN" "$BOB"
}
{
	printf 'dn: %s\nobjectClass: organizationalUnit\n\n' "$EW"
	printf 'dn: %s\nobjectClass: user\nsAMAccountName: ann.gate\nmS-DS-ConsistencyGuid:: %s\n\n' "$ANN" "$G_ANN"
	printf 'dn: %s\nobjectClass: user\nsAMAccountName: bob.gate\nmS-DS-ConsistencyGuid:: %s\n\n' "$BOB" "$G_BOB"
	grp "$PROT" SG-Prot; grp "$MOVED" SG-Moved; grp "$QUAR" SG-Quar; grp "$PLAIN" SG-Plain
} | seed_ldif

cm() {	# n name sid: a cloud-managed group whose only member is Ann
	echo "{\"id\": \"20000000-0000-4000-8000-00000006000$1\", \"displayName\": \"$2\",
	  \"mailEnabled\": false, \"mailNickname\": \"$2\", \"securityEnabled\": true, \"groupTypes\": [],
	  \"onPremisesSecurityIdentifier\": \"$3\", \"onPremisesSyncEnabled\": null,
	  \"onPremisesSyncBehavior\": {\"isCloudManaged\": true}, \"members\": [\"$ID_ANN\"]}"
}
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.gate@corp.example.test", "displayName": "Ann Gate",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true},
 {"id": "$ID_BOB", "userPrincipalName": "bob.gate@corp.example.test", "displayName": "Bob Gate",
  "onPremisesImmutableId": "$G_BOB", "onPremisesSyncEnabled": true}
],
"groups": [
 $(cm 1 SG-Prot "$(ad_sid "$PROT")"), $(cm 2 SG-Moved "$(ad_sid "$MOVED")"),
 $(cm 3 SG-Quar "$(ad_sid "$QUAR")"), $(cm 4 SG-Plain "$(ad_sid "$PLAIN")")
]}
EOF
load_tenant "$T/tenant.json"
CONF=$(lab_conf)

sb "$CONF" sync --format json > "$T/sync.json" 2> "$T/sync.err"
check "run 1 (sync) exits 0" [ $? -eq 0 ]
RUN=$(sql "SELECT max(id) FROM runs")
for g in "$PROT" "$MOVED" "$QUAR" "$PLAIN"; do
	same_vals "run 1 removed Bob from ${g%%,*}" "$g" member "$ANN"
done

# After run 1: one group turns protected, one leaves the write scope, one is quarantined.
admodify >/dev/null <<EOF
dn: $PROT
changetype: modify
replace: adminCount
adminCount: 1
EOF
verdict "SG-Prot gains adminCount=1"
ldapmodrdn -x -H "$LAB_LDAP_URI" -D "$LAB_ADMIN_DN" -w "$LAB_ADMIN_PW" -r -s "$EW" "$MOVED" "CN=SG-Moved" >/dev/null
verdict "SG-Moved is moved to OU=Elsewhere (outside write_scope)"
MOVED="CN=SG-Moved,$EW"
GUID_QUAR=$(ad_guid_b64 "$QUAR" | /usr/bin/python3 -c '
import base64, sys, uuid
print(uuid.UUID(bytes_le=base64.b64decode(sys.stdin.read().strip())))')
sqlite3 "$STATE/state.db" "INSERT INTO quarantine (guid, dn, attr, count, run, since)
    VALUES ('$GUID_QUAR', '$QUAR', 'member', 3, $RUN, '2026-01-01T00:00:00Z')"
verdict "SG-Quar is quarantined in the state"
sb "$CONF" status > "$T/status.out" 2>&1
check "status lists the quarantine" grep -q "SG-Quar" "$T/status.out"

watched() { for g in "$PROT" "$MOVED" "$QUAR" "$PLAIN"; do attrs_of "$g"; done; }
watched > "$T/before"

refused() {	# FILE NAME TEXT: a refused finding on the group NAME whose message holds TEXT
	jtrue "$1" "any(f['kind'] == 'refused' and a[0].lower() in (f['dn'] or '').lower() and a[1] in f['message'] for f in d['findings'])" "$2" "$3"
}
sb "$CONF" undo "$RUN" --dry-run --format json > "$T/dry.json" 2> "$T/dry.err"
check "undo --dry-run exits 0" [ $? -eq 0 ]
check "dry run: SG-Prot refused, protected" refused "$T/dry.json" "CN=SG-Prot," "adminCount=1"
check "dry run: SG-Moved refused, out of scope" refused "$T/dry.json" "CN=SG-Moved," "write_scope"
check "dry run: SG-Quar refused, quarantined" refused "$T/dry.json" "CN=SG-Quar," "quarantined"
check "dry run: only SG-Plain is reverted" [ "$(jpy "$T/dry.json" "[c['dn'] for c in d['changes']]")" = "$(jlist "$PLAIN")" ]

CONF0=$T/limit0.conf
"$TOP/tests/lab/mkconf" max_changes=0 > "$CONF0"
sb "$CONF0" undo "$RUN" > "$T/limit.out" 2> "$T/limit.err"
check "undo over max_changes exits 3" [ $? -eq 3 ]
check "... and says which limit" grep -q "max_changes" "$T/limit.err"
watched > "$T/after-limit"
check "... and writes nothing" cmp -s "$T/before" "$T/after-limit"
check "... its run is recorded as refused" [ "$(sql "SELECT outcome FROM runs ORDER BY id DESC LIMIT 1")" = refused ]

sb "$CONF" undo "$RUN" > "$T/undo.out" 2> "$T/undo.err"
rc=$?
check "undo exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/undo.err"
check "undo says what the gate refused" grep -q "3 changes refused by the write gate" "$T/undo.err"
check "undo output names SG-Prot's protection" grep -q "adminCount=1" "$T/undo.out"
same_vals "SG-Plain: Bob is back" "$PLAIN" member "$ANN" "$BOB"
same_vals "SG-Prot (adminCount=1): Bob not added back" "$PROT" member "$ANN"
same_vals "SG-Moved (out of scope): Bob not added back" "$MOVED" member "$ANN"
same_vals "SG-Quar (quarantined): Bob not added back" "$QUAR" member "$ANN"
finish
