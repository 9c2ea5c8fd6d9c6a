#!/bin/bash
# 078: issue 12, test 8 (item 7).  Exchange Online's EmailAddresses holds
# SharePoint's cloud-internal SPO: addresses beside SMTP: and SIP: ones.
# With exchange.proxy_address_exclude at its default {"SPO:"}, sync writes
# the SIP: address and neither writes the cloud's SPO: address nor removes
# the spo: value AD already holds (the prefix is matched regardless of
# case); the next plan and the report find no drift over it.  Configured
# {} (every prefix as the cloud holds it), the plan would write and remove
# them.  A cloud-managed mail-enabled group's proxyAddresses follow the
# same rule.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
MIA="CN=Mia Prefix,$S" ID_MIA=10000000-0000-4000-8000-000000078001
G_MIA=$(hex_b64 5a0b1c2d3e4f40118000000000078001)
SPO_AD="spo:SPO_old@SPO_78000000-0000-4000-8000-000000000001"
SPO_CLOUD="SPO:SPO_1d2e3f40@SPO_78000000-0000-4000-8000-000000000002"
LIST="CN=SG-List78,OU=Cloud Groups,OU=Groups,$LAB_BASE_DN" ID_LIST=20000000-0000-4000-8000-000000078001
SPO_GAD="SPO:SPO_g0ld@SPO_78000000-0000-4000-8000-000000000003"
SPO_GCLOUD="SPO:SPO_g9ew@SPO_78000000-0000-4000-8000-000000000004"
seed_ldif <<LDIF_END
dn: $MIA
objectClass: user
sAMAccountName: mia.prefix
mail: mia@corp.example.test
proxyAddresses: SMTP:mia@corp.example.test
proxyAddresses: smtp:mia.stale@corp.example.test
proxyAddresses: $SPO_AD
mS-DS-ConsistencyGuid:: $G_MIA

dn: $LIST
objectClass: group
sAMAccountName: SG-List78
mail: list78@corp.example.test
proxyAddresses: SMTP:list78@corp.example.test
proxyAddresses: $SPO_GAD
LDIF_END
SID_LIST=$(ad_sid "$LIST")

mk_tenant "$T/tenant.json" <<JSON_END
{"users": [{"id": "$ID_MIA", "userPrincipalName": "mia@corp.example.test", "displayName": "Mia Prefix",
  "onPremisesImmutableId": "$G_MIA", "onPremisesSyncEnabled": true}],
 "mailboxes": [{"ExternalDirectoryObjectId": "$ID_MIA", "Alias": "mia",
  "WindowsEmailAddress": "mia@corp.example.test", "IsDirSynced": true, "IsExchangeCloudManaged": true,
  "EmailAddresses": ["SMTP:mia@corp.example.test", "smtp:mia@contoso.mail.onmicrosoft.com",
                     "$SPO_CLOUD", "SIP:mia@corp.example.test"]}],
 "groups": [{"id": "$ID_LIST", "displayName": "SG-List78", "mailEnabled": true, "securityEnabled": true,
  "groupTypes": [], "mail": "list78@corp.example.test", "mailNickname": "list78",
  "proxyAddresses": ["SMTP:list78@corp.example.test", "smtp:list78@contoso.mail.onmicrosoft.com", "$SPO_GCLOUD"],
  "onPremisesSecurityIdentifier": "$SID_LIST", "onPremisesSyncEnabled": null,
  "onPremisesSyncBehavior": {"isCloudManaged": true}, "members": []}]}
JSON_END
load_tenant "$T/tenant.json"

conf=$(lab_conf)
check "the lab config has no exchange section: the default applies" not grep -q '^exchange' "$conf"
"$SOABRIDGE" -c "$conf" check-config >"$T/cc.out" 2>"$T/cc.err"; rc=$?
check "check-config: configuration OK, no warning" [ $rc -eq 0 -a ! -s "$T/cc.err" ]
sed '$a exchange { proxy_address_exclude = {} }' "$conf" > "$T/all.conf"
"$SOABRIDGE" -c "$T/all.conf" check-config >"$T/cc.out" 2>"$T/cc.err"; rc=$?
check "proxy_address_exclude = {}: configuration OK (no longer refused)" \
    [ $rc -eq 0 -a ! -s "$T/cc.err" ]

# what the plan would do with no exclusion: proves the default is doing the work
"$SOABRIDGE" -c "$T/all.conf" plan --format json >"$T/plan-all.json" 2>"$T/plan-all.err"; rc=$?
check "{}: plan exits 0" [ $rc -eq 0 ]
deltas() { jpy "$1" "sorted((x['op'], v) for c in d['changes'] if c['dn'] == a[0] for x in c['deltas'] if x['attribute'] == 'proxyAddresses' for v in x['values'])" "$2"; }
check "{}: the plan would add the cloud's SPO: and remove AD's spo:" jtrue "$T/plan-all.json" \
    "sum(v in (a[0], a[1]) for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'proxyAddresses' for v in x['values']) == 2" \
    "$SPO_CLOUD" "$SPO_AD"
check "{}: ... and the group's SPO: values too" jtrue "$T/plan-all.json" \
    "sum(v in (a[0], a[1]) for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'proxyAddresses' for v in x['values']) == 2" \
    "$SPO_GCLOUD" "$SPO_GAD"

sb_plan "$T/plan.json"; rc=$?
check "default: plan exits 0" [ $rc -eq 0 ]
deltas "$T/plan.json" "$MIA" | sed 's/^/# proxyAddresses deltas: /'
check "default: SIP: and the new smtp: added, the stale smtp: removed, and no SPO:" jtrue "$T/plan.json" \
    "sorted((x['op'], v) for c in d['changes'] if c['dn'] == a[0] for x in c['deltas'] if x['attribute'] == 'proxyAddresses' for v in x['values']) == [('add', 'SIP:mia@corp.example.test'), ('add', 'smtp:mia@contoso.mail.onmicrosoft.com'), ('delete', 'smtp:mia.stale@corp.example.test')]" "$MIA"
sb_sync "$T/sync.json"; rc=$?
check "default: sync exits 0" [ $rc -eq 0 ]
same_vals "sync: SIP: written, SPO: neither written nor removed" "$MIA" proxyAddresses \
    "SMTP:mia@corp.example.test" "smtp:mia@contoso.mail.onmicrosoft.com" "SIP:mia@corp.example.test" "$SPO_AD"
same_vals "sync: the group's smtp: written, SPO: neither written nor removed" "$LIST" proxyAddresses \
    "SMTP:list78@corp.example.test" "smtp:list78@contoso.mail.onmicrosoft.com" "$SPO_GAD"

sb_plan "$T/plan2.json"; rc=$?
check "the next plan has nothing to do (no drift forever over SPO:)" \
    jtrue "$T/plan2.json" "d['changes'] == []"
"$SOABRIDGE" -c "$conf" report --format json -o "$T/report.json" 2>"$T/report.err"; rc=$?
check "report exits 0" [ $rc -eq 0 ]
check "... proxyAddresses in sync, AD's spo: value shown" jtrue "$T/report.json" \
    "any(e['dn'] == a[0] and e['attribute'] == 'proxyAddresses' and e['state'] == 'in-sync' and a[1] in e['ad_values'] for e in d['entries'])" "$MIA" "$SPO_AD"

# Lower case in the configuration matches too, and AD's value stays.
sed '$a exchange { proxy_address_exclude = {"spo"} }' "$conf" > "$T/lower.conf"
"$SOABRIDGE" -c "$T/lower.conf" plan --format json >"$T/plan3.json" 2>"$T/plan3.err"; rc=$?
check "proxy_address_exclude = {\"spo\"}: nothing to do either" jtrue "$T/plan3.json" "d['changes'] == []"
finish
