#!/bin/bash
# 073: issue 12, test 5.  Get-Mailbox is asked for only what the attribute
# map uses ($select) in pages of 1000 (Prefer: odata.maxpagesize=1000): the
# fake's stats show both on every InvokeCommand, and a 1,000-mailbox
# tenant's full read stays under 2 MB of Exchange payload, where whole
# mailboxes (~250 properties each, as Exchange serves them) are ~13 MB.
. "$(dirname "$0")/lib.sh"
lab_reset
N=1000
/usr/bin/python3 - "$N" <<'PY' | mk_tenant "$T/tenant.json"
import json, sys
n = int(sys.argv[1])
users, mailboxes = [], []
for i in range(n):
    uid = "73000000-0000-4000-8000-%012d" % i
    users.append({"id": uid, "userPrincipalName": "u%d@corp.example.test" % i,
                  "displayName": "User %d" % i, "onPremisesSyncEnabled": True})
    mailboxes.append({"ExternalDirectoryObjectId": uid, "Alias": "u%d" % i,
                      "EmailAddresses": ["SMTP:u%d@corp.example.test" % i,
                                         "smtp:u%d@contoso.onmicrosoft.com" % i,
                                         "SPO:SPO_%s@SPO_73000000" % uid, "SIP:u%d@corp.example.test" % i],
                      "IsDirSynced": True, "IsExchangeCloudManaged": i % 2 == 0,
                      "CustomAttribute1": "cost-%d" % i})
print(json.dumps({"users": users, "mailboxes": mailboxes}))
PY
load_tenant "$T/tenant.json"

"$SOABRIDGE" -c "$(lab_conf)" -v plan >"$T/out" 2>"$T/err"; rc=$?
check "plan of a 1,000-mailbox tenant exits 0" [ $rc -eq 0 ]
check "every mailbox was read" grep -q "exo.mailboxes objects=$N" "$T/err"
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | tail -5
fake GET stats > "$T/stats.json"
jpy "$T/stats.json" "{k: v for k, v in d['exchange'].items() if k != 'selects'}" | sed 's/^/# exchange: /'
check "every InvokeCommand carried a \$select" jtrue "$T/stats.json" \
    "d['exchange']['requests'] >= 1 and d['exchange']['with_select'] == d['exchange']['requests']"
check "every InvokeCommand carried Prefer: odata.maxpagesize=1000" jtrue "$T/stats.json" \
    "d['exchange']['prefers'] == {'odata.maxpagesize=1000': d['exchange']['requests']}"
check "the \$select names the join key and the mapped properties, and no more" jtrue "$T/stats.json" \
    "all({'ExternalDirectoryObjectId', 'EmailAddresses', 'CustomAttribute15', 'ExtensionCustomAttribute5', 'HiddenFromAddressListsEnabled'} <= set(s.split(',')) and len(s.split(',')) < 40 for s in d['exchange']['selects'])"
check "1,000 mailboxes in one page" jtrue "$T/stats.json" "d['exchange']['requests'] == 1"
check "the full read is under 2 MB of Exchange payload" jtrue "$T/stats.json" "d['exchange']['bytes'] < 2000000"

# What the same read costs without $select: the whole mailboxes (the
# payload soabridge asked for before; proves the 2 MB above is no accident).
fake DELETE stats >/dev/null
tok=$(curl -sS --cacert "$CLOUD_CA_FILE" "$CLOUD_URL/$CLOUD_TENANT_ID/oauth2/v2.0/token" \
    --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$CLOUD_CLIENT_ID" \
    --data-urlencode "client_secret@$CLOUD_SECRET_FILE" \
    --data-urlencode "scope=https://outlook.office365.com/.default" |
    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
curl -sS --cacert "$CLOUD_CA_FILE" -o /dev/null -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/json' "$CLOUD_URL/adminapi/beta/$CLOUD_TENANT_ID/InvokeCommand" \
    --data '{"CmdletInput":{"CmdletName":"Get-Mailbox","Parameters":{"ResultSize":"Unlimited"}}}'
fake GET stats > "$T/full.json"
jpy "$T/full.json" "d['exchange']['bytes']" | sed 's/^/# without $select: bytes=/'
check "without \$select the same page is over 2 MB" jtrue "$T/full.json" "d['exchange']['bytes'] > 2000000"
finish
