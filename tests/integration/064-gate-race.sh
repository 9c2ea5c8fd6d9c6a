#!/bin/bash
# 064: the write gate holds at the moment of the write, not only in the plan
# (and plan itself passes the gate: AD changing under a plan shows in it).
# The plan adds Bob to SG-Race, SG-Nest and SG-Calm and removes Bob and Cid
# from SG-Trim.  Between the plan and the first write (the test binary's
# hook SOABRIDGE_TEST_BEFORE_GATE; build/soabridge has no hooks), AD
# changes: SG-Race gains adminCount=1, SG-Nest is nested two levels deep in
# DnsAdmins (outside base_dn, which is an OU here), and Cid gains
# adminCount=1.  The sync refuses SG-Race and SG-Nest (nothing sent, with
# why), takes Cid out of SG-Trim's change, and writes the rest.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN GB="OU=Groups,$B" CG="OU=Cloud Groups,OU=Groups,$B"
ANN="CN=Ann Race,$CG" BOB="CN=Bob Race,$CG" CID="CN=Cid Race,$CG"
RACE="CN=SG-Race,$CG" NEST="CN=SG-Nest,$CG" TRIM="CN=SG-Trim,$CG" CALM="CN=SG-Calm,$CG"
MID="CN=SG-Mid,CN=Users,$B" DNSADM="CN=DnsAdmins,CN=Users,$B"
ID_ANN=10000000-0000-4000-8000-000000064001 ID_BOB=10000000-0000-4000-8000-000000064002
ID_CID=10000000-0000-4000-8000-000000064003
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000064001) G_BOB=$(hex_b64 5a0b1c2d3e4f40118000000000064002)
G_CID=$(hex_b64 5a0b1c2d3e4f40118000000000064003)
# The lab DC runs without DNS (dns-backend NONE): DnsAdmins is made here as
# DNS setup makes it, a domain-local security group in CN=Users.
seed_ldif <<EOF
dn: $DNSADM
objectClass: group
sAMAccountName: DnsAdmins
groupType: -2147483644
description: DNS Administrators Group

dn: $ANN
objectClass: user
sAMAccountName: ann.race
mS-DS-ConsistencyGuid:: $G_ANN

dn: $BOB
objectClass: user
sAMAccountName: bob.race
mS-DS-ConsistencyGuid:: $G_BOB

dn: $CID
objectClass: user
sAMAccountName: cid.race
mS-DS-ConsistencyGuid:: $G_CID

dn: $RACE
objectClass: group
sAMAccountName: SG-Race
member: $ANN

dn: $NEST
objectClass: group
sAMAccountName: SG-Nest
member: $ANN

dn: $CALM
objectClass: group
sAMAccountName: SG-Calm
member: $ANN

dn: $TRIM
objectClass: group
sAMAccountName: SG-Trim
member: $ANN
member: $BOB
member: $CID
EOF

cm() {	# n dn members...
	local n=$1 dn=$2; shift 2
	local m; m=$(printf '"%s", ' "$@"); m="[${m%, }]"
	echo "{\"id\": \"20000000-0000-4000-8000-00000006400$n\", \"displayName\": \"$(echo "${dn%%,*}" | cut -c4-)\",
	  \"mailEnabled\": false, \"mailNickname\": \"g$n\", \"securityEnabled\": true, \"groupTypes\": [],
	  \"onPremisesSecurityIdentifier\": \"$(ad_sid "$dn")\", \"onPremisesSyncEnabled\": null,
	  \"onPremisesSyncBehavior\": {\"isCloudManaged\": true}, \"members\": $m}"
}
user() { echo "{\"id\": \"$1\", \"userPrincipalName\": \"$2@corp.example.test\", \"displayName\": \"$2\",
  \"onPremisesImmutableId\": \"$3\", \"onPremisesSyncEnabled\": true}"; }
mk_tenant "$T/tenant.json" <<EOF
{"users": [$(user $ID_ANN ann "$G_ANN"), $(user $ID_BOB bob "$G_BOB"), $(user $ID_CID cid "$G_CID")],
 "groups": [
 $(cm 1 "$RACE" $ID_ANN $ID_BOB), $(cm 2 "$NEST" $ID_ANN $ID_BOB),
 $(cm 3 "$TRIM" $ID_ANN), $(cm 4 "$CALM" $ID_ANN $ID_BOB)
]}
EOF
load_tenant "$T/tenant.json"
CONF=$(lab_conf "base_dn=$GB" "write_scope=$GB")

"$SOABRIDGE" -c "$CONF" plan --format json > "$T/plan.json" 2> "$T/plan.err"
check "plan exits 0" [ $? -eq 0 ]
check "plan: Bob added to SG-Race" [ "$(member_delta "$T/plan.json" "$RACE" add)" = "$(jlist "$BOB")" ]
check "plan: Bob added to SG-Nest" [ "$(member_delta "$T/plan.json" "$NEST" add)" = "$(jlist "$BOB")" ]
check "plan: Bob and Cid removed from SG-Trim" [ "$(member_delta "$T/plan.json" "$TRIM" delete)" = "$(jlist "$BOB" "$CID")" ]

# plan takes each change through the same gate (sync minus the write): AD
# changing before the gate shows in the plan, and nothing is written.
cat > "$T/plan-race.sh" <<EOF
set -e
export LDAPTLS_CACERT="$LAB_CA_FILE"
ldapmodify -x -H "$LAB_LDAP_URI" -D "$LAB_ADMIN_DN" -w "$LAB_ADMIN_PW" >/dev/null <<LDIF
dn: $CALM
changetype: modify
replace: adminCount
adminCount: 1
LDIF
EOF
SOABRIDGE_TEST_BEFORE_GATE="bash $T/plan-race.sh" "$SOABRIDGE_TEST_BIN" -c "$CONF" plan --format json \
    > "$T/plan2.json" 2> "$T/plan2.err"
check "plan through the gate exits 0" [ $? -eq 0 ]
pres() { jpy "$1" "[c.get('result') for c in d['changes'] if c['dn'].lower() == a[0].lower()]" "$2"; }
check "plan: SG-Calm would be refused by the gate" [ "$(pres "$T/plan2.json" "$CALM")" = '["refused"]' ]
check "plan: SG-Race would be written (no result)" [ "$(pres "$T/plan2.json" "$RACE")" = '[null]' ]
check "plan says what the gate would refuse" grep -q "1 change would be refused by the write gate" "$T/plan2.err"
same_vals "plan wrote nothing: SG-Calm as it was" "$CALM" member "$ANN"
admodify >/dev/null <<EOF
dn: $CALM
changetype: modify
delete: adminCount
EOF

# What happens in AD between the plan and the first write.
cat > "$T/race.sh" <<EOF
set -e
export LDAPTLS_CACERT="$LAB_CA_FILE"
ldapadd -x -H "$LAB_LDAP_URI" -D "$LAB_ADMIN_DN" -w "$LAB_ADMIN_PW" >/dev/null <<LDIF
dn: $MID
objectClass: group
sAMAccountName: SG-Mid
member: $NEST
LDIF
ldapmodify -x -H "$LAB_LDAP_URI" -D "$LAB_ADMIN_DN" -w "$LAB_ADMIN_PW" >/dev/null <<LDIF
dn: $DNSADM
changetype: modify
add: member
member: $MID

dn: $RACE
changetype: modify
replace: adminCount
adminCount: 1

dn: $CID
changetype: modify
replace: adminCount
adminCount: 1
LDIF
echo raced > "$T/raced"
EOF
SOABRIDGE_TEST_BEFORE_GATE="bash $T/race.sh" "$SOABRIDGE_TEST_BIN" -c "$CONF" sync --format json \
    > "$T/sync.json" 2> "$T/sync.err"
rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.err"
check "the race ran between the plan and the write" [ -f "$T/raced" ]
result() { jpy "$1" "[c.get('result') for c in d['changes'] if c['dn'].lower() == a[0].lower()]" "$2"; }
refusal() { jpy "$1" "' '.join(c.get('refused', '') for c in d['changes'] if c['dn'].lower() == a[0].lower())" "$2"; }
check "SG-Race: refused" [ "$(result "$T/sync.json" "$RACE")" = '["refused"]' ]
check "... because of adminCount=1" grep -q "adminCount=1" <<< "$(refusal "$T/sync.json" "$RACE")"
check "SG-Nest: refused" [ "$(result "$T/sync.json" "$NEST")" = '["refused"]' ]
check "... nested in DnsAdmins (two levels up, outside base_dn)" grep -qi "nested in $DNSADM" <<< "$(refusal "$T/sync.json" "$NEST")"
check "SG-Trim: applied, Cid taken out" grep -q "member $CID: adminCount=1" <<< "$(refusal "$T/sync.json" "$TRIM")"
check "sync says what the gate refused" grep -q "2 changes refused by the write gate" "$T/sync.err"
same_vals "SG-Race: Bob not added" "$RACE" member "$ANN"
same_vals "SG-Nest: Bob not added" "$NEST" member "$ANN" 
same_vals "SG-Trim: Bob removed, Cid kept" "$TRIM" member "$ANN" "$CID"
same_vals "SG-Calm: Bob added" "$CALM" member "$ANN" "$BOB"
# grep reads all of strings' output (no -q): under pipefail an early grep -q exit would kill strings
# with SIGPIPE and turn a found hook into a non-zero status, the very status this check wants.
hooks=$(strings "$SOABRIDGE" | grep -c SOABRIDGE_TEST)
check "build/soabridge holds no test hook (found $hooks)" [ "$hooks" = 0 ]
finish
