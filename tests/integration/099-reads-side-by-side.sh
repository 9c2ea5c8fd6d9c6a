#!/bin/bash
# 099: issue 16 (scale).  A cycle reads AD and the cloud side by side, not
# one after the other: it waits for the slower of the two, not for their sum.
# The test binary's hook SOABRIDGE_TEST_AT_AD_READ holds AD's side once it
# has read everything, and asks the fake cloud meanwhile whether the Graph
# user listing has arrived: it can only have if the cloud's side runs beside
# AD's (read one after the other, nothing reaches Graph while AD's side is
# held, and the hook fails the run).  The plan is the same as the plain
# binary's.  When both sides fail, the error is AD's, and the cloud's is
# logged too.
. "$(dirname "$0")/lib.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
seed_ldif "$TOP/tests/fixtures/demo-groups.ldif"
load_tenant "$TOP/tests/fixtures/demo-tenant.json"

# The hook's command: the fake's request log shows GET /v1.0/users within 30 s.
cat > "$T/users-seen.sh" <<EOF
#!/bin/bash
for i in \$(seq 300); do
	curl -sS --cacert "$CLOUD_CA_FILE" "$CLOUD_ADMIN_URL/requests" |
	    /usr/bin/python3 -c 'import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(r["path"].startswith("/v1.0/users") for r in d["requests"]) else 1)' && exit 0
	sleep 0.1
done
exit 1
EOF
chmod +x "$T/users-seen.sh"
fake DELETE requests >/dev/null

conf=$(lab_conf)
SOABRIDGE_TEST_AT_AD_READ="$T/users-seen.sh" "$SOABRIDGE_TEST_BIN" -v -c "$conf" plan --format json \
    >"$T/held.json" 2>"$T/held.err"; rc=$?
check "plan, AD's side held at its end until Graph's user listing has arrived: exit 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || tail -5 "$T/held.err" | sed 's/^/#   /'
check "... both sides were read (ad.read, graph.users, exo.mailboxes)" eval \
    'grep -q "ad.read objects=" "$T/held.err" && grep -q "graph.users objects=" "$T/held.err" &&
     grep -q "exo.mailboxes objects=" "$T/held.err"'

"$SOABRIDGE" -c "$conf" plan --format json >"$T/plain.json" 2>"$T/plain.err"; rc=$?
check "the plain binary's plan exits 0" [ $rc -eq 0 ]
check "... and is the same plan (changes and findings)" /usr/bin/python3 - "$T/held.json" "$T/plain.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda d: (json.dumps(d["changes"], sort_keys=True), json.dumps(d["findings"], sort_keys=True))
sys.exit(0 if key(a) == key(b) and a["changes"] else 1)
EOF

# Both sides fail: a base DN that does not exist, and Graph's user listing answering 500.
printf '{"kind": "500", "path": "^/v1.0/users", "method": "GET", "share": 1.0}' > "$T/fault.json"
fake POST faults "$T/fault.json" >/dev/null
verdict "fake cloud: every user listing answers 500"
conf=$(lab_conf "base_dn=OU=Nowhere,$LAB_BASE_DN" "write_scope=OU=Nowhere,@BASE@" default_ou= allowed_ous=)
"$SOABRIDGE" -c "$conf" plan --format json >"$T/both.json" 2>"$T/both.err"; rc=$?
sed 's/^/#   /' "$T/both.err" | head -4
check "both sides failing: plan fails (exit $rc)" [ $rc -ne 0 ]
check "... with AD's error, naming the base DN" grep -q "^soabridge: .*OU=Nowhere" "$T/both.err"
check "... and the cloud's logged beside it" grep -q "users.*500.*while the other side also failed" "$T/both.err"
fake DELETE faults >/dev/null
finish
