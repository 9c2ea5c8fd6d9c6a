# state-lib.sh -- helpers of the state, journal and safety tests (020-029),
# sourced after lib.sh.  Gives: $STATE (the lab config's state_dir), sb (the
# binary on a config), sql (sqlite3 on the state), mailbox_users (seed N
# IsExchangeCloudManaged users and their tenant), staff_dump (what AD holds).
STATE="$TOP/tests/lab/run/state"

# sb CONF ARGS...: soabridge on CONF.
# (a function: to kill it, run "$SOABRIDGE" itself in the background)
sb() { local c=$1; shift; "$SOABRIDGE" -c "$c" "$@"; }
# sql SQL: one query on the state file (read only).
sql() { sqlite3 -readonly "$STATE/state.db" "$@"; }

# mailbox_users N [FIRST]: N users CN=User NNNN,OU=Staff (from FIRST, default
# 0), synced and not cloud-managed, whose mailboxes are IsExchangeCloudManaged
# and differ from AD: a proxy address removed and one added, extensionAttribute1
# replaced, extensionAttribute2 cleared, extensionAttribute5 set, the hide flag
# set on every other one, msExchExtensionCustomAttribute1 given two values.
# Seeds AD and loads the tenant.  MAILBOX_USERS_OFFLINE=1: AD is the lab's
# clean domain with the users added offline (lab_load: thousands in seconds).
mailbox_users() {
	/usr/bin/python3 - "$1" "${2:-0}" "$T/users.ldif" "$T/users.json" <<'EOF'
import base64, json, sys
n, first, ldif, tenant = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
users, mbx, out = [], [], []
for i in range(first, first + n):
    g = base64.b64encode(bytes.fromhex("5a0b1c2d3e4f40118000000000020000")[:12] + i.to_bytes(4, "big")).decode()
    u = "u%04d" % i
    out.append(f"""dn: CN=User {i:04d},OU=Staff,@BASE@
objectClass: user
sAMAccountName: {u}
displayName: User {i:04d}
mail: {u}@corp.example.test
mailNickname: {u}
proxyAddresses: SMTP:{u}@corp.example.test
proxyAddresses: smtp:old.{u}@corp.example.test
extensionAttribute1: ad-one-{i}
extensionAttribute2: ad-two
msExchHideFromAddressLists: FALSE
mS-DS-ConsistencyGuid:: {g}
""")
    cid = "10000000-0000-4000-8000-%012d" % (200000 + i)
    users.append({"id": cid, "userPrincipalName": f"{u}@corp.example.test",
                  "displayName": f"User {i:04d}", "onPremisesImmutableId": g,
                  "onPremisesSyncEnabled": True, "onPremisesSyncBehavior": {"isCloudManaged": False}})
    mbx.append({"ExternalDirectoryObjectId": cid, "DisplayName": f"User {i:04d}", "Alias": u,
                "WindowsEmailAddress": f"{u}@corp.example.test",
                "EmailAddresses": [f"SMTP:{u}@corp.example.test", f"smtp:new.{u}@corp.example.test"],
                "IsDirSynced": True, "IsExchangeCloudManaged": True,
                "HiddenFromAddressListsEnabled": i % 2 == 0,
                "CustomAttribute1": f"cloud-one-{i}", "CustomAttribute5": "five",
                "ExtensionCustomAttribute1": ["x", "y"]})
open(ldif, "w").write("\n".join(out))
json.dump({"users": users, "mailboxes": mbx}, open(tenant, "w"))
EOF
	if [ "${MAILBOX_USERS_OFFLINE:-0}" = 1 ]; then
		sed "s/@BASE@/$LAB_BASE_DN/g" "$T/users.ldif" > "$T/users-load.ldif"
		lab_load "$T/users-load.ldif"
	else
		seed_ldif "$T/users.ldif"
	fi
	mk_tenant "$T/tenant.json" < "$T/users.json"
	load_tenant "$T/tenant.json"
}

# The attributes soabridge may write to a user (exchange and identity classes).
WRITTEN="mail mailNickname proxyAddresses msExchHideFromAddressLists
extensionAttribute1 extensionAttribute2 extensionAttribute3 extensionAttribute4 extensionAttribute5
extensionAttribute6 extensionAttribute7 extensionAttribute8 extensionAttribute9 extensionAttribute10
extensionAttribute11 extensionAttribute12 extensionAttribute13 extensionAttribute14 extensionAttribute15
msExchExtensionCustomAttribute1 msExchExtensionCustomAttribute2 msExchExtensionCustomAttribute3
msExchExtensionCustomAttribute4 msExchExtensionCustomAttribute5
displayName givenName sn title department company physicalDeliveryOfficeName telephoneNumber
mobile streetAddress l st postalCode co employeeID manager"

# staff_dump OUT: those attributes of every user under OU=Staff, one sorted JSON
# document (values sorted: AD keeps no order), for before/after comparisons.
staff_dump() {
	# shellcheck disable=SC2086 # one word per attribute
	ad_json "OU=Staff,$LAB_BASE_DN" "(objectClass=user)" $WRITTEN | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(json.dumps({dn.lower(): {k: sorted(v) for k, v in e.items()} for dn, e in d.items()},
                 sort_keys=True, indent=1, ensure_ascii=False))' > "$1"
}

# same_dump "desc" A B: ok when the dumps are equal, else the first differences.
same_dump() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		nok "$1"; diff "$2" "$3" | head -20 | sed 's/^/#   /'; fi
}

# wait_for CMD...: up to 10 s for CMD to succeed.
wait_for() {
	local i
	for i in $(seq 1 200); do "$@" && return 0; sleep 0.05; done
	return 1
}
