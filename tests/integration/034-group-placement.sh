#!/bin/bash
# 034: OU placement.  With groups.ou_extension set, a cloud-managed group
# moves (modrdn with newSuperior, objectGUID kept) to the parent of the DN in
# its extension property when that OU is inside allowed_ous and write_scope;
# one pointing outside, at CN=Users, at the Domain Controllers OU or with DN
# metacharacters is refused with a finding and the group stays put; without
# an extension value the group stays where it is (default_ou is only where
# new groups are created: issue 11).  A provisioned group is created in the
# extension's OU, or not at all when that OU is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN G="OU=Groups,$B" CG="OU=Cloud Groups,OU=Groups,$B" TA="OU=Team A,OU=Groups,$B"
EXT=extension_00000000000040008000000000000002_OnPremisesDN
seed_ldif <<EOF
dn: $TA
objectClass: organizationalUnit

$(for n in 1 2 3 4 5; do printf 'dn: CN=SG-Place%s,%s\nobjectClass: group\nsAMAccountName: SG-Place%s\n\n' $n "$CG" $n; done)

dn: CN=SG-Place6,$G
objectClass: group
sAMAccountName: SG-Place6
EOF
for n in 1 2 3 4 5; do eval "SID$n=\$(ad_sid 'CN=SG-Place$n,$CG')"; done
SID6=$(ad_sid "CN=SG-Place6,$G")
GUID1=$(ad_guid_b64 "CN=SG-Place1,$CG")

# One row per group: N|SID or -|extension DN or - (no SID: cloud-native).
/usr/bin/python3 - "$EXT" > "$T/partial.json" <<EOF
import json, sys
ext = sys.argv[1]
rows = [l.split("|") for l in """1|$SID1|CN=SG-Place1,$TA
2|$SID2|CN=SG-Place2,OU=Outside,$B
3|$SID3|CN=SG-Place3,CN=Users,$B
4|$SID4|CN=SG-Place4,OU=Domain Controllers,$B
5|$SID5|CN=SG-Place5,OU=Team\\\\,A,OU=Groups,$B
6|$SID6|-
7|-|CN=Old Name,$TA
8|-|CN=SG-Place8,CN=Users,$B""".splitlines()]
groups = []
for n, sid, dn in rows:
    g = {"id": "20000000-0000-4000-8000-00000003400" + n, "displayName": "SG-Place" + n,
         "mailEnabled": False, "mailNickname": "SG-Place" + n, "securityEnabled": True,
         "groupTypes": [], "members": []}
    if sid != "-":
        g.update({"onPremisesSecurityIdentifier": sid, "onPremisesSyncEnabled": None,
                  "onPremisesSyncBehavior": {"isCloudManaged": True}})
    if dn != "-":
        g[ext] = dn
    groups.append(g)
json.dump({"groups": groups}, sys.stdout)
EOF
mk_tenant "$T/tenant.json" < "$T/partial.json"
check "fixture: the metacharacter reaches the tenant" grep -q 'OU=Team\\\\,A' "$T/tenant.json"
load_tenant "$T/tenant.json"
# refused FILE N TEXT: a placement-refused finding of SG-PlaceN holding TEXT.
refused() { jtrue "$1" "any(f['kind'] == 'placement-refused' and f['display_name'] == 'SG-Place' + a[0] and a[1] in f['message'] for f in d['findings'])" "$2" "$3"; }
moves() { jpy "$1" "sorted([c['dn'], c['new_rdn'], c['new_superior']] for c in d['changes'] if c['op'] == 'rename')"; }

CONF="ou_extension=$EXT provision=true provision_groups=20000000-0000-4000-8000-000000034007;20000000-0000-4000-8000-000000034008"
usn0=$(highest_usn)
gplan "$T/plan.json" $CONF; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: SG-Place1 moves to its extension's OU; no other move (SG-Place6 has no value)" \
    [ "$(moves "$T/plan.json")" = "$(jpy /dev/stdin 'sorted(d)' <<<"[[\"CN=SG-Place1,$CG\", \"CN=SG-Place1\", \"$TA\"]]")" ]
check "plan: an OU outside allowed_ous is refused" refused "$T/plan.json" 2 "not inside groups.allowed_ous"
check "plan: CN=Users is refused" refused "$T/plan.json" 3 "protected container CN=Users"
check "plan: the Domain Controllers OU is refused" refused "$T/plan.json" 4 "protected container OU=Domain Controllers"
check "plan: DN metacharacters are refused" refused "$T/plan.json" 5 "metacharacter"
check "plan: a provisioned group is created in its extension's OU (cn from its name)" \
    jtrue "$T/plan.json" "any(c['op'] == 'add' and c['dn'] == a[0] for c in d['changes'])" "CN=SG-Place7,$TA"
check "plan: a provisioned group whose OU is refused is not created" refused "$T/plan.json" 8 "not created"
check "plan wrote nothing" [ "$(highest_usn)" = "$usn0" ]
"$SOABRIDGE" -c "$(lab_conf $CONF)" plan > "$T/plan.txt" 2>&1
check "plan (text) shows the move" grep -q "move to CN=SG-Place1,$TA" "$T/plan.txt"

gsync "$T/sync.json" $CONF; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
check "SG-Place1 is in Team A" [ -n "$(adsearch -b "CN=SG-Place1,$TA" -s base dn 2>/dev/null)" ]
check "... with the same objectGUID" [ "$(ad_guid_b64 "CN=SG-Place1,$TA")" = "$GUID1" ]
check "SG-Place6 (no extension value) stayed in OU=Groups" [ -n "$(adsearch -b "CN=SG-Place6,$G" -s base dn 2>/dev/null)" ]
for n in 2 3 4 5; do
	check "SG-Place$n stayed where it was" [ -n "$(adsearch -b "CN=SG-Place$n,$CG" -s base dn 2>/dev/null)" ]
done
check "SG-Place7 was created in Team A" [ -n "$(adsearch -b "CN=SG-Place7,$TA" -s base dn 2>/dev/null)" ]
check "nothing was created in CN=Users" [ -z "$(adsearch -b "CN=Users,$B" "(cn=SG-Place*)" dn)" ]
gplan "$T/plan2.json" $CONF
check "next plan: no change" jtrue "$T/plan2.json" "d['summary']['changes'] == 0"

# allowed_ous = the whole domain: CN=Users and the Domain Controllers OU stay refused.
gplan "$T/plan3.json" $CONF "allowed_ous=$B"; rc=$?
check "plan (allowed_ous = the domain) exits 0" [ $rc -eq 0 ]
check "... CN=Users still refused" refused "$T/plan3.json" 3 "protected container CN=Users"
check "... the Domain Controllers OU still refused" refused "$T/plan3.json" 4 "OU=Domain Controllers"
check "... OU=Outside refused by write_scope" refused "$T/plan3.json" 2 "outside ldap.write_scope"
check "... and nothing moves" jtrue "$T/plan3.json" "not any(c['op'] == 'rename' for c in d['changes'])"
finish
