#!/bin/bash
# 053: groups.default_ou is where soabridge creates groups, not where it
# moves existing ones (issue 11, test 8).  A cloud-managed group in
# OU=Finance without an OU-extension value stays there, and the report says
# so (placement, in sync, "stays"); one whose value names an allowed OU
# moves there with its objectGUID; a provisioned group without a value is
# still created in default_ou.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" G="OU=Groups,$B" CG="OU=Cloud Groups,OU=Groups,$B"
FINOU="OU=Finance,$G" TA="OU=Team A,$G"
ANN="CN=Ann Place,$S" FIN="CN=SG-Fin,$FINOU" TEAM="CN=SG-Team,$G" NEWG="CN=SG-New053,$CG"
EXT=extension_00000000000040008000000000000002_OnPremisesDN
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000053001)
ID_ANN=10000000-0000-4000-8000-000000053001
ID_FIN=20000000-0000-4000-8000-000000053001 ID_TEAM=20000000-0000-4000-8000-000000053002
ID_NEW=20000000-0000-4000-8000-000000053003

seed_ldif <<EOF
dn: $FINOU
objectClass: organizationalUnit

dn: $TA
objectClass: organizationalUnit

dn: $ANN
objectClass: user
sAMAccountName: ann.place
mS-DS-ConsistencyGuid:: $G_ANN

dn: $FIN
objectClass: group
sAMAccountName: SG-Fin

dn: $TEAM
objectClass: group
sAMAccountName: SG-Team
EOF
SID_FIN=$(ad_sid "$FIN") SID_TEAM=$(ad_sid "$TEAM")
GUID_FIN=$(ad_guid_b64 "$FIN") GUID_TEAM=$(ad_guid_b64 "$TEAM")

cm() {	# id name sid extra-json
	echo "{\"id\": \"$1\", \"displayName\": \"$2\", \"mailEnabled\": false, \"mailNickname\": \"$2\",
	  \"securityEnabled\": true, \"groupTypes\": [], \"onPremisesSecurityIdentifier\": \"$3\",
	  \"onPremisesSyncEnabled\": null, \"onPremisesSyncBehavior\": {\"isCloudManaged\": true},
	  \"members\": [\"$ID_ANN\"]$4}"
}
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.place@corp.example.test", "displayName": "Ann Place",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true}
],
"groups": [
 $(cm "$ID_FIN" SG-Fin "$SID_FIN" ""),
 $(cm "$ID_TEAM" SG-Team "$SID_TEAM" ", \"$EXT\": \"CN=SG-Team,$TA\""),
 {"id": "$ID_NEW", "displayName": "SG-New053", "mailEnabled": false, "mailNickname": "SG-New053",
  "securityEnabled": true, "groupTypes": [], "members": ["$ID_ANN"]}
]}
EOF
load_tenant "$T/tenant.json"
CONF="ou_extension=$EXT provision=true provision_groups=$ID_NEW"
moves() { jpy "$1" "sorted([c['dn'], c['new_superior']] for c in d['changes'] if c['op'] == 'rename')"; }

gplan "$T/plan.json" $CONF; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: only SG-Team moves (to its extension's OU); SG-Fin has no value and stays" \
    [ "$(moves "$T/plan.json")" = "$(jpy /dev/stdin 'd' <<<"[[\"$TEAM\", \"$TA\"]]")" ]
check "plan: SG-Fin still gets its members" [ "$(member_delta "$T/plan.json" "$FIN" add)" = "$(jlist "$ANN")" ]
check "plan: SG-New053 is created in default_ou" \
    jtrue "$T/plan.json" "any(c['op'] == 'add' and c['dn'] == a[0] for c in d['changes'])" "$NEWG"
"$SOABRIDGE" -c "$(lab_conf $CONF)" report --format json -o "$T/report.json" 2>"$T/report.err"; rc=$?
check "report exits 0" [ $rc -eq 0 ]
check "report: SG-Fin's placement is in sync, and says it stays" jtrue "$T/report.json" \
    "any(e['dn'] == a[0] and e['class'] == 'placement' and e['state'] == 'in-sync' and e['reason'] == 'stays' and 'stays in its OU' in e['message'] for e in d['entries'])" "$FIN"

gsync "$T/sync.json" $CONF; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
check "SG-Fin stayed in OU=Finance, same objectGUID" [ "$(ad_guid_b64 "$FIN")" = "$GUID_FIN" ]
check "SG-Fin is not in default_ou" [ -z "$(adsearch -b "CN=SG-Fin,$CG" -s base dn 2>/dev/null)" ]
same_vals "SG-Fin got Ann" "$FIN" member "$ANN"
check "SG-Team moved to Team A, same objectGUID" [ "$(ad_guid_b64 "CN=SG-Team,$TA")" = "$GUID_TEAM" ]
check "SG-Team is no longer in OU=Groups" [ -z "$(adsearch -b "$TEAM" -s base dn 2>/dev/null)" ]
same_vals "SG-New053 was created in default_ou, with Ann" "$NEWG" member "$ANN"
gplan "$T/plan2.json" $CONF
check "next plan: no change" jtrue "$T/plan2.json" "d['summary']['changes'] == 0"
finish
