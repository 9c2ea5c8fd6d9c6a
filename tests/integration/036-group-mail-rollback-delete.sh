#!/bin/bash
# 036: a mail-enabled cloud-managed group gets proxyAddresses, mail and
# mailNickname from Graph (a security group that is not mail-enabled keeps
# AD's).  A group whose isCloudManaged turns false is handed back: nothing
# of it is written any more and the plan says so.  A provisioned group
# deleted in the cloud is reported and kept; with groups.delete = true it is
# deleted in AD, counted against max_deletes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

B=$LAB_BASE_DN S="OU=Staff,$B" CG="OU=Cloud Groups,OU=Groups,$B"
ANN="CN=Ann Mail,$S" BEN="CN=Ben Mail,$S" MAILG="CN=SG-Mail,$CG" PLAIN="CN=SG-NoMail,$CG"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000036001) G_BEN=$(hex_b64 5a0b1c2d3e4f40118000000000036002)
ID_ANN=10000000-0000-4000-8000-000000036001 ID_BEN=10000000-0000-4000-8000-000000036002
ID_MAIL=20000000-0000-4000-8000-000000036001 ID_PLAIN=20000000-0000-4000-8000-000000036002
ID_PROV=20000000-0000-4000-8000-000000036003

seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.mail
mS-DS-ConsistencyGuid:: $G_ANN

dn: $BEN
objectClass: user
sAMAccountName: ben.mail
mS-DS-ConsistencyGuid:: $G_BEN

dn: $MAILG
objectClass: group
sAMAccountName: SG-Mail
mail: old-list@corp.example.test
proxyAddresses: SMTP:old-list@corp.example.test

dn: $PLAIN
objectClass: group
sAMAccountName: SG-NoMail
mail: ad-kept@corp.example.test
EOF
SID_MAIL=$(ad_sid "$MAILG") SID_PLAIN=$(ad_sid "$PLAIN")

mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.mail@corp.example.test", "displayName": "Ann Mail",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true},
 {"id": "$ID_BEN", "userPrincipalName": "ben.mail@corp.example.test", "displayName": "Ben Mail",
  "onPremisesImmutableId": "$G_BEN", "onPremisesSyncEnabled": true}
],
"groups": [
 {"id": "$ID_MAIL", "displayName": "SG-Mail", "mailEnabled": true, "securityEnabled": true, "groupTypes": [],
  "mail": "list@corp.example.test", "mailNickname": "list",
  "proxyAddresses": ["SMTP:list@corp.example.test", "smtp:old-list@corp.example.test"],
  "onPremisesSecurityIdentifier": "$SID_MAIL", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}, "members": ["$ID_ANN"]},
 {"id": "$ID_PLAIN", "displayName": "SG-NoMail", "mailEnabled": false, "mailNickname": "SG-NoMail",
  "securityEnabled": true, "groupTypes": [], "onPremisesSecurityIdentifier": "$SID_PLAIN",
  "onPremisesSyncEnabled": null, "onPremisesSyncBehavior": {"isCloudManaged": true}, "members": ["$ID_ANN"]},
 {"id": "$ID_PROV", "displayName": "SG-Ephemeral", "mailEnabled": false, "mailNickname": "SG-Ephemeral",
  "securityEnabled": true, "groupTypes": [], "members": ["$ID_BEN"]}
]}
EOF
load_tenant "$T/tenant.json"
PROV="CN=SG-Ephemeral,$CG"

gsync "$T/sync.json" provision=true; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
same_vals "mail-enabled: proxyAddresses from Graph" "$MAILG" proxyAddresses \
    "SMTP:list@corp.example.test" "smtp:old-list@corp.example.test"
same_vals "mail-enabled: mail from Graph" "$MAILG" mail "list@corp.example.test"
same_vals "mail-enabled: mailNickname from Graph" "$MAILG" mailNickname "list"
same_vals "mail-enabled: members" "$MAILG" member "$ANN"
same_vals "not mail-enabled: AD's mail is left alone" "$PLAIN" mail "ad-kept@corp.example.test"
same_vals "not mail-enabled: no mailNickname written" "$PLAIN" mailNickname
same_vals "not mail-enabled: members still written" "$PLAIN" member "$ANN"
same_vals "SG-Ephemeral provisioned" "$PROV" member "$BEN"

# Rollback: SG-NoMail stops being cloud-managed (Entra Connect not back yet).
echo '{"onPremisesSyncBehavior": {"isCloudManaged": false}, "members": ["'"$ID_BEN"'"], "description": "changed"}' |
    fake PATCH "objects/$ID_PLAIN" - >/dev/null
verdict "PATCH: SG-NoMail isCloudManaged false, members changed in the cloud"
plain_usn=$(usn_changed "$PLAIN")
gplan "$T/plan2.json" provision=true
check "plan: SG-NoMail is handed back" msg_has "$T/plan2.json" handed-back "$PLAIN" "AD's again"
check "plan: and not changed" not has_change "$T/plan2.json" "$PLAIN"
gsync "$T/sync2.json" provision=true
check "sync: SG-NoMail is not written (uSNChanged)" [ "$(usn_changed "$PLAIN")" = "$plain_usn" ]
same_vals "SG-NoMail keeps its AD members" "$PLAIN" member "$ANN"

# SG-Ephemeral is deleted in the cloud.
echo '{"_delete": true, "hard": true}' | fake PATCH "objects/$ID_PROV" - >/dev/null
verdict "PATCH: SG-Ephemeral deleted in the cloud"
gplan "$T/plan3.json" provision=true
check "plan: reported as deleted in the cloud, kept (groups.delete = false)" \
    msg_has "$T/plan3.json" deleted-in-cloud "$PROV" "groups.delete = false"
check "plan: no delete" jtrue "$T/plan3.json" "not any(c['op'] == 'delete' for c in d['changes'])"
gplan "$T/plan4.json" provision=true delete=true
check "plan (delete = true): SG-Ephemeral deleted, with its before-image" \
    jtrue "$T/plan4.json" "[(c['dn'], c['rule']) for c in d['changes'] if c['op'] == 'delete'] == [(a[0], 'groups.delete')] and any(x['attribute'] == 'member' and x['before'] == [a[1]] for c in d['changes'] if c['op'] == 'delete' for x in c['deltas'])" "$PROV" "$BEN"
check "plan (delete = true): one delete in the summary" jtrue "$T/plan4.json" "d['summary']['deletes'] == 1"
gsync "$T/sync4.json" provision=true delete=true max_deletes=0; rc=$?
check "sync with max_deletes = 0 is refused (exit 3)" [ $rc -eq 3 ]
check "... and SG-Ephemeral is still there" [ -n "$(adsearch -b "$PROV" -s base dn 2>/dev/null)" ]
gsync "$T/sync5.json" provision=true delete=true; rc=$?
check "sync (delete = true) exits 0" [ $rc -eq 0 ]
check "SG-Ephemeral is gone from AD" [ -z "$(adsearch -b "$CG" "(sAMAccountName=SG-Ephemeral)" dn)" ]
check "SG-Mail and SG-NoMail are still there" [ -n "$(adsearch -b "$MAILG" -s base dn)" ] && [ -n "$(adsearch -b "$PLAIN" -s base dn)" ]
gplan "$T/plan6.json" provision=true delete=true
check "next plan: nothing to do" jtrue "$T/plan6.json" "d['summary']['changes'] == 0"
finish
