#!/bin/bash
# 052: Graph and Exchange Online are cross-checked (issue 11, test 6).  Three
# mailboxes claim IsExchangeCloudManaged and IsDirSynced.  Una's Graph user
# has onPremisesSyncEnabled null and Wes's false: Graph does not show a
# synced object, so their Exchange attributes stay AD's (not written) and an
# inconsistent-soa finding says why.  Vic's Graph user is synced
# (onPremisesSyncEnabled true, not isCloudManaged): his are written.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
UNA="CN=Una Unsynced,$S" WES="CN=Wes Stopped,$S" VIC="CN=Vic Synced,$S"
G_UNA=$(hex_b64 5a0b1c2d3e4f40118000000000052001)
G_WES=$(hex_b64 5a0b1c2d3e4f40118000000000052002)
G_VIC=$(hex_b64 5a0b1c2d3e4f40118000000000052003)
ID_UNA=10000000-0000-4000-8000-000000052001 ID_WES=10000000-0000-4000-8000-000000052002
ID_VIC=10000000-0000-4000-8000-000000052003

user() {	# dn sam guid
	printf 'dn: %s\nobjectClass: user\nsAMAccountName: %s\nmail: %s.old@corp.example.test\n' "$1" "$2" "$2"
	printf 'proxyAddresses: SMTP:%s.old@corp.example.test\nextensionAttribute1: ad-one\n' "$2"
	printf 'mS-DS-ConsistencyGuid:: %s\n\n' "$3"
}
{ user "$UNA" una "$G_UNA"; user "$WES" wes "$G_WES"; user "$VIC" vic "$G_VIC"; } | seed_ldif

gu() {	# id name guid sync-enabled-json
	echo "{\"id\": \"$1\", \"userPrincipalName\": \"$2@corp.example.test\", \"displayName\": \"$2\",
	  \"onPremisesImmutableId\": \"$3\", \"onPremisesSyncEnabled\": $4,
	  \"onPremisesSyncBehavior\": {\"isCloudManaged\": false}}"
}
mb() {	# id name
	echo "{\"ExternalDirectoryObjectId\": \"$1\", \"IsDirSynced\": true, \"IsExchangeCloudManaged\": true,
	  \"EmailAddresses\": [\"SMTP:$2@corp.example.test\"], \"WindowsEmailAddress\": \"$2@corp.example.test\",
	  \"Alias\": \"$2\", \"CustomAttribute1\": \"cloud-one\"}"
}
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 $(gu "$ID_UNA" una "$G_UNA" null),
 $(gu "$ID_WES" wes "$G_WES" false),
 $(gu "$ID_VIC" vic "$G_VIC" true)
],
"mailboxes": [ $(mb "$ID_UNA" una), $(mb "$ID_WES" wes), $(mb "$ID_VIC" vic) ]}
EOF
load_tenant "$T/tenant.json"
una_before=$(attrs_of "$UNA") wes_before=$(attrs_of "$WES")

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: no change of Una (Graph: onPremisesSyncEnabled null)" not has_change "$T/plan.json" "$UNA"
check "plan: no change of Wes (Graph: onPremisesSyncEnabled false)" not has_change "$T/plan.json" "$WES"
check "plan: Una has an inconsistent-soa finding naming the null" jtrue "$T/plan.json" \
    "any(f['kind'] == 'inconsistent-soa' and f['dn'] == a[0] and 'onPremisesSyncEnabled is null' in f['message'] for f in d['findings'])" "$UNA"
check "plan: Wes has an inconsistent-soa finding naming the false" jtrue "$T/plan.json" \
    "any(f['kind'] == 'inconsistent-soa' and f['dn'] == a[0] and 'onPremisesSyncEnabled is false' in f['message'] for f in d['findings'])" "$WES"
check "plan: Vic (synced, Graph agrees) is written by IsExchangeCloudManaged" jtrue "$T/plan.json" \
    "any(c['dn'] == a[0] and c['rule'] == 'IsExchangeCloudManaged' for c in d['changes'])" "$VIC"

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
check "Una is not written" [ "$(attrs_of "$UNA")" = "$una_before" ]
check "Wes is not written" [ "$(attrs_of "$WES")" = "$wes_before" ]
same_vals "Vic: proxyAddresses from the mailbox" "$VIC" proxyAddresses "SMTP:vic@corp.example.test"
same_vals "Vic: extensionAttribute1 from the mailbox" "$VIC" extensionAttribute1 "cloud-one"
finish
