#!/bin/bash
# 018: escaping and round trip.  A user whose CN needs RFC 4514 escapes
# (`Doe, John "JJ" +1`), IsExchangeCloudManaged, gets CustomAttribute and
# ExtensionCustomAttribute values holding UTF-8, commas, quotes, `=`, `+`, `\`,
# `*`, parentheses and leading/trailing spaces: AD holds each byte for byte,
# and a second plan has no change.  Another user's manager is that DN.  Cloud
# values shaped like LDAP filters (`*)(objectClass=*`) change nothing else.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
DOE='CN=Doe\, John \"JJ\" \+1,'"$S"
ZED="CN=Zed Filter,$S" BYST="CN=Bystander,$S" STAR="CN=Star Name,$S"
G_DOE=$(hex_b64 5a0b1c2d3e4f40118000000000018001)
G_ZED=$(hex_b64 5a0b1c2d3e4f40118000000000018002)
G_STAR=$(hex_b64 5a0b1c2d3e4f40118000000000018003)
ID_DOE=10000000-0000-4000-8000-000000018001 ID_ZED=10000000-0000-4000-8000-000000018002
ID_STAR=10000000-0000-4000-8000-000000018003

seed_ldif <<EOF
dn: $DOE
objectClass: user
sAMAccountName: john.doe
displayName: Doe, John "JJ" +1
extensionAttribute1: old
msExchExtensionCustomAttribute1: old
proxyAddresses: SMTP:john.doe@corp.example.test
mS-DS-ConsistencyGuid:: $G_DOE

dn: $ZED
objectClass: user
sAMAccountName: zed.filter
displayName: Zed Filter
title: AD Title
mS-DS-ConsistencyGuid:: $G_ZED

dn: $STAR
objectClass: user
sAMAccountName: star.name
displayName: Star Name
mS-DS-ConsistencyGuid:: $G_STAR

dn: $BYST
objectClass: user
sAMAccountName: bystander
displayName: Bystander
title: Innocent
extensionAttribute1: bystander-value
proxyAddresses: SMTP:bystander@corp.example.test
EOF
DOE_AD=$(adsearch -b "$S" "(sAMAccountName=john.doe)" dn | /usr/bin/python3 "$TOP/tests/integration/ldif2json.py" | /usr/bin/python3 -c 'import json, sys; print(*json.load(sys.stdin))')
check "the escaped DN exists (AD spells it: $DOE_AD)" [ -n "$DOE_AD" ]
check "its CN is the unescaped text" [ "$(ad_vals "$DOE" cn)" = 'Doe, John "JJ" +1' ]

# The values, in JSON (one document: the mailbox's attributes), reused to check AD.
cat > "$T/values.json" <<'EOF'
{"CustomAttribute1": "Ünïcödé é ü 漢字",
 "CustomAttribute2": "a, b; c = d + e",
 "CustomAttribute3": "quote \" and \\ backslash",
 "CustomAttribute4": "star * (paren) )(objectClass=*)",
 "CustomAttribute5": "  leading and trailing spaces  ",
 "CustomAttribute6": "#hash first, then <angle> & amp",
 "CustomAttribute7": ": colon first",
 "CustomAttribute8": "ends with a backslash \\",
 "CustomAttribute9": "=equals first",
 "CustomAttribute10": "CN=Looks\\, Like A DN,OU=Staff",
 "CustomAttribute15": " 漢字 ",
 "ExtensionCustomAttribute1": ["é,ü", "漢字 (x)", " spaced ", "a\\b*c", "x=y+z", "\"quoted\""],
 "ExtensionCustomAttribute2": ["*)(objectClass=*", "(|(cn=*))", "\\2a"],
 "EmailAddresses": ["SMTP:john.doe@corp.example.test", "smtp:o'brien+tag@corp.example.test",
                    "X500:/o=Org/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=Doe, John \"JJ\" +1",
                    "smtp:*)(objectClass=*@corp.example.test"]}
EOF
/usr/bin/python3 - "$T/values.json" "$G_DOE" "$G_ZED" "$G_STAR" "$ID_DOE" "$ID_ZED" "$ID_STAR" > "$T/partial.json" <<'EOF'
import json, sys
vals = json.load(open(sys.argv[1]))
g_doe, g_zed, g_star, id_doe, id_zed, id_star = sys.argv[2:8]
mbx = dict(vals, ExternalDirectoryObjectId=id_doe, Alias="john.doe",
           WindowsEmailAddress="john.doe@corp.example.test", IsDirSynced=True,
           IsExchangeCloudManaged=True, HiddenFromAddressListsEnabled=False)
doc = {"users": [
    {"id": id_doe, "userPrincipalName": "john.doe@corp.example.test", "displayName": "Doe, John \"JJ\" +1",
     "onPremisesImmutableId": g_doe, "onPremisesSyncEnabled": True},
    # isCloudManaged, its manager the escaped-DN user, a filter-shaped title.
    {"id": id_zed, "userPrincipalName": "zed@corp.example.test", "displayName": "Zed Filter",
     "jobTitle": "*)(objectClass=*", "department": "(|(title=*))",
     "onPremisesImmutableId": g_zed, "onPremisesSyncEnabled": None,
     "onPremisesSyncBehavior": {"isCloudManaged": True}, "manager": id_doe},
    # isCloudManaged, a filter-shaped displayName.
    {"id": id_star, "userPrincipalName": "star@corp.example.test", "displayName": "*)(objectClass=*",
     "onPremisesImmutableId": g_star, "onPremisesSyncEnabled": None,
     "onPremisesSyncBehavior": {"isCloudManaged": True}},
], "mailboxes": [mbx]}
json.dump(doc, sys.stdout, ensure_ascii=False)
EOF
mk_tenant "$T/tenant.json" < "$T/partial.json"
load_tenant "$T/tenant.json"

byst0=$(attrs_of "$BYST"; usn_changed "$BYST")

sb_plan "$T/plan.json"; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
check "plan: a change for the escaped-DN user" jtrue "$T/plan.json" "any(c['dn'] in (a[0], a[1]) and c['rule'] == 'IsExchangeCloudManaged' for c in d['changes'])" "$DOE" "$DOE_AD"
check "plan: the bystander is not changed" not has_change "$T/plan.json" "$BYST"

sb_sync "$T/sync.json"; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"

# Every value, byte for byte.
for i in 1 2 3 4 5 6 7 8 9 10 15; do
	v=$(jpy "$T/values.json" "d['CustomAttribute$i']")
	same_vals "extensionAttribute$i holds $(jpy "$T/values.json" "json.dumps(d['CustomAttribute$i'], ensure_ascii=False)") exactly" \
	    "$DOE" "extensionAttribute$i" "$v"
done
for i in 1 2; do
	mapfile -t vs < <(jpy "$T/values.json" "'\n'.join(d['ExtensionCustomAttribute$i'])")
	same_vals "msExchExtensionCustomAttribute$i holds each value exactly" "$DOE" "msExchExtensionCustomAttribute$i" "${vs[@]}"
done
mapfile -t vs < <(jpy "$T/values.json" "'\n'.join(d['EmailAddresses'])")
same_vals "proxyAddresses hold each value exactly" "$DOE" proxyAddresses "${vs[@]}"
check "extensionAttribute5 kept its spaces (31 characters)" \
    [ "$(ad_json "$DOE" "(objectClass=*)" -s base extensionAttribute5 | /usr/bin/python3 -c 'import json,sys; print(len(*[e["extensionAttribute5"][0] for e in json.load(sys.stdin).values()]))')" = 31 ]

same_vals "the manager written is the escaped DN (found again by AD)" "$ZED" manager "$DOE_AD"
same_vals "a filter-shaped jobTitle is written as text" "$ZED" title "*)(objectClass=*"
same_vals "a filter-shaped department is written as text" "$ZED" department "(|(title=*))"
same_vals "a filter-shaped displayName is written as text" "$STAR" displayName "*)(objectClass=*"
byst1=$(attrs_of "$BYST"; usn_changed "$BYST")
check "the bystander is untouched (attributes and uSNChanged)" [ "$byst0" = "$byst1" ]
check "no other object got the filter-shaped values" \
    [ "$(adsearch -b "$LAB_BASE_DN" '(|(displayName=\2a\29\28objectClass=\2a)(title=\2a\29\28objectClass=\2a))' dn | grep -c '^dn')" = 2 ]

sb_plan "$T/plan2.json"; rc=$?
check "second plan exits 0" [ $rc -eq 0 ]
if jtrue "$T/plan2.json" "d['summary']['changes'] == 0 and d['changes'] == []"; then
	ok "second plan: no change (every value round-trips)"
else
	nok "second plan: no change (every value round-trips)"
	jpy "$T/plan2.json" "d['changes']" | sed 's/^/#   /'
fi
finish
