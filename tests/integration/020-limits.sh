#!/bin/bash
# 020: safety limits.  A plan of 30 changes against max_changes = 10 is refused
# whole before the first write (exit 3, the limit and the excess named, the
# DC's highestCommittedUSN unchanged, the run recorded as refused);
# --max-changes raises the limit for one run; a plan that removes more values
# than max_deletes is refused the same way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
# Ten IsExchangeCloudManaged users, three changes each: a proxy address added,
# extensionAttribute1 replaced, extensionAttribute5 set.
for i in 0 1 2 3 4 5 6 7 8 9; do
	cat <<EOF

dn: CN=Lim $i,$S
objectClass: user
sAMAccountName: lim.$i
mail: lim.$i@corp.example.test
mailNickname: lim.$i
proxyAddresses: SMTP:lim.$i@corp.example.test
extensionAttribute1: old-$i
msExchHideFromAddressLists: FALSE
mS-DS-ConsistencyGuid:: $(hex_b64 5a0b1c2d3e4f4011800000000003000$i)
EOF
done | seed_ldif
/usr/bin/python3 - "$T/part.json" <<'EOF'
import base64, json, sys
users, mbx = [], []
for i in range(10):
    g = base64.b64encode(bytes.fromhex("5a0b1c2d3e4f4011800000000003000%d" % i)).decode()
    cid = "10000000-0000-4000-8000-0000000300%02d" % i
    users.append({"id": cid, "userPrincipalName": "lim.%d@corp.example.test" % i, "displayName": "Lim %d" % i,
                  "onPremisesImmutableId": g, "onPremisesSyncEnabled": True,
                  "onPremisesSyncBehavior": {"isCloudManaged": False}})
    mbx.append({"ExternalDirectoryObjectId": cid, "Alias": "lim.%d" % i,
                "WindowsEmailAddress": "lim.%d@corp.example.test" % i,
                "EmailAddresses": ["SMTP:lim.%d@corp.example.test" % i, "smtp:alias.%d@corp.example.test" % i],
                "IsDirSynced": True, "IsExchangeCloudManaged": True, "HiddenFromAddressListsEnabled": False,
                "CustomAttribute1": "new-%d" % i, "CustomAttribute5": "five"})
json.dump({"users": users, "mailboxes": mbx}, open(sys.argv[1], "w"))
EOF
mk_tenant "$T/tenant.json" < "$T/part.json"
load_tenant "$T/tenant.json"
conf=$(lab_conf max_changes=10 max_deletes=5)

# 1. Thirty changes, max_changes = 10: refused before the first write.
usn0=$(highest_usn)
sb "$conf" sync --format json >"$T/out.json" 2>"$T/err"; rc=$?
check "30 changes over max_changes = 10: exit 3" [ $rc -eq 3 ]
check "the message names the limit and the excess" grep -q \
    "the plan has 30 changes, 20 over max_changes = 10: nothing written" "$T/err"
check "the refused plan is shown" jtrue "$T/out.json" "len(d['changes']) == 10"
check "highestCommittedUSN unchanged: nothing written" [ "$(highest_usn)" = "$usn0" ]
same_vals "Lim 0 keeps its extensionAttribute1" "CN=Lim 0,$S" extensionAttribute1 old-0
sb "$conf" runs --format json >"$T/runs.json"
check "the run is recorded as refused, nothing applied" jtrue "$T/runs.json" \
    "[(r['command'], r['outcome'], r['applied'], r['planned']) for r in d] == [('sync', 'refused', 0, 10)]"

# 2. --max-changes raises it for one run only.
sb "$conf" sync --max-changes 29 >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 3 ] && grep -q "30 changes, 1 over max_changes = 29" "$T/err"
verdict "--max-changes 29: still refused, 1 over"
check "... and still nothing written" [ "$(highest_usn)" = "$usn0" ]
sb "$conf" plan >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "sync would refuse this plan: the plan has 30 changes" "$T/err"
verdict "plan exits 0 and warns that sync would refuse it"
sb "$conf" sync --max-changes 30 --format json >"$T/out.json" 2>"$T/err"; rc=$?
check "--max-changes 30: sync exits 0" [ $rc -eq 0 ]
check "... every change applied" jtrue "$T/out.json" \
    "len(d['changes']) == 10 and all(c['result'] == 'applied' for c in d['changes'])"
same_vals "Lim 9's extensionAttribute1 written" "CN=Lim 9,$S" extensionAttribute1 new-9
same_vals "Lim 9's proxy address added" "CN=Lim 9,$S" proxyAddresses \
    SMTP:lim.9@corp.example.test smtp:alias.9@corp.example.test
sb "$conf" plan --format json >"$T/plan.json" 2>/dev/null
check "the limit was for that run only: the config's 10 holds again" \
    jtrue "$T/plan.json" "d['changes'] == []"

# 3. Ten values removed (extensionAttribute1 cleared), max_deletes = 5.
for i in 0 1 2 3 4 5 6 7 8 9; do
	echo "{\"CustomAttribute1\": \"\"}" > "$T/p.json"
	fake PATCH "objects/10000000-0000-4000-8000-0000000300$(printf %02d $i)" "$T/p.json" >/dev/null
done
usn1=$(highest_usn)
sb "$conf" sync >/dev/null 2>"$T/err"; rc=$?
check "10 values removed over max_deletes = 5: exit 3" [ $rc -eq 3 ]
check "the message names max_deletes and the excess" grep -q \
    "the plan removes 10 values or objects, 5 over max_deletes = 5: nothing written" "$T/err"
check "max_changes (10) was not exceeded: not named" not grep -q "over max_changes" "$T/err"
check "highestCommittedUSN unchanged" [ "$(highest_usn)" = "$usn1" ]
same_vals "Lim 3 keeps its extensionAttribute1" "CN=Lim 3,$S" extensionAttribute1 new-3
sb "$conf" runs --format json >"$T/runs.json"
check "runs: refused, refused, ok, refused" jtrue "$T/runs.json" \
    "[r['outcome'] for r in d] == ['refused', 'refused', 'ok', 'refused']"
finish
