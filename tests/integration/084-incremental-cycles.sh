#!/bin/bash
# 084: the service's incremental cycles (issue 14, items 1 and 2).  With
# interval = 2: a full reconciliation at start; then each cycle asks AD
# (uSNChanged above the watermark), Graph (users and groups delta links)
# and Exchange Online (-Filter "WhenChangedUTC -ge ...") what changed.  An
# unchanged tenant costs no writes and only those requests (the tokens kept
# from cycle to cycle); a mailbox change
# made through the fake's admin API, a Graph change, and an AD edit of a
# cloud-owned attribute each reach AD within two cycles.  A spent delta link
# (410 Gone) leads to one full resync, nothing deleted; with 30 % of the
# cloud's answers 429 the cycles still converge and no retry comes sooner
# than its Retry-After; tokens that expire between cycles are renewed on
# the 401.  SIGTERM: exit 0.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
IRIS="CN=Iris Delta,$S" JUNO="CN=Juno Delta,$S"
ID_IRIS=10000000-0000-4000-8000-000000084001
ID_JUNO=10000000-0000-4000-8000-000000084002
G_IRIS=$(hex_b64 5a0b1c2d3e4f40118000000000084001)
G_JUNO=$(hex_b64 5a0b1c2d3e4f40118000000000084002)
seed_ldif <<EOF
dn: $IRIS
objectClass: user
sAMAccountName: iris.delta
displayName: Iris Delta
extensionAttribute1: ad-one
mS-DS-ConsistencyGuid:: $G_IRIS

dn: $JUNO
objectClass: user
sAMAccountName: juno.delta
displayName: Juno Delta
title: Junior
mS-DS-ConsistencyGuid:: $G_JUNO
EOF
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_IRIS", "userPrincipalName": "iris.delta@corp.example.test",
  "displayName": "Iris Delta", "onPremisesImmutableId": "$G_IRIS", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "$ID_JUNO", "userPrincipalName": "juno.delta@corp.example.test",
  "displayName": "Juno Delta", "jobTitle": "Engineer", "onPremisesImmutableId": "$G_JUNO",
  "onPremisesSyncEnabled": null, "onPremisesSyncBehavior": {"isCloudManaged": true}}],
 "mailboxes": [
 {"ExternalDirectoryObjectId": "$ID_IRIS", "DisplayName": "Iris Delta", "Alias": "iris.delta",
  "WindowsEmailAddress": "iris.delta@corp.example.test",
  "EmailAddresses": ["SMTP:iris.delta@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "cloud-one"}]}
EOF
load_tenant "$T/tenant.json"

conf=$(lab_conf)
printf 'daemon {\n  interval = 2\n}\n' >> "$conf"

ext1_is() { [ "$(ad_vals "$IRIS" extensionAttribute1)" = "$1" ]; }
title_is() { [ "$(ad_vals "$JUNO" title)" = "$1" ]; }
logged() { grep -q -- "$1" "$T/run.err"; }
count() { grep -c -- "$1" "$T/run.err"; }
# Cycles finished so far.
cycles() { grep -c 'run\.cycle n=[0-9]* kind=[a-z]* result=' "$T/run.err"; }
# quiet_after N: more than N quiet checks logged.
quiet_after() { [ "$(count 'incr.check verdict=quiet')" -gt "$1" ]; }
alive() { kill -0 "$pid" 2>/dev/null; }

"$SOABRIDGE" -c "$conf" -v run >"$T/run.out" 2>"$T/run.err" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT

check "the first cycle is a full reconciliation" within 20 logged 'run.cycle n=1 kind=full result=ok'
check "it writes the mailbox's CustomAttribute1" ext1_is cloud-one
check "and the cloud-managed user's title" title_is Engineer
check "a later cycle finds nothing changed (quiet, within 20 s)" within 20 quiet_after 0

# An unchanged tenant: only delta requests, no writes, no run.
q=$(count 'incr.check verdict=quiet')
runs0=$(count 'run\.end run=')
fake DELETE requests >/dev/null
check "two more quiet cycles (within 20 s)" within 20 quiet_after $((q + 2))
fake GET requests > "$T/quiet.json"
/usr/bin/python3 - "$T/quiet.json" > "$T/quiet.txt" <<'PY'
import json, sys
reqs = json.load(open(sys.argv[1]))["requests"]
graph = [e["path"] for e in reqs if e["path"].startswith("/v1.0/")]
exo = [e["path"] for e in reqs if e["path"].startswith("/adminapi/")]
other = [p for p in graph if not p.endswith("/delta")]
tokens = [e["path"] for e in reqs if e["path"].endswith("/oauth2/v2.0/token")]
print("graph=%d exo=%d non_delta=%d tokens=%d" % (len(graph), len(exo), len(other), len(tokens)))
for p in other:
    print("non-delta: " + p)
PY
sed 's/^/# /' "$T/quiet.txt"
field() { sed -n 1p "$T/quiet.txt" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
check "quiet cycles ask Graph only delta links ($(field graph) requests)" \
    [ "$(field graph)" -ge 4 -a "$(field non_delta)" = 0 ]
check "and Exchange Online once per cycle, the changed-since query ($(field exo))" [ "$(field exo)" -ge 2 ]
check "the tokens of the first cycle serve the next ones ($(field tokens) token requests)" [ "$(field tokens)" = 0 ]
check "no run, so no write, while nothing changed" [ "$(count 'run\.end run=')" = "$runs0" ]

# A mailbox change through the admin API: within two cycles.
n0=$(cycles)
echo '{"CustomAttribute1": "cloud-two"}' > "$T/patch.json"
fake PATCH "objects/$ID_IRIS" "$T/patch.json" >/dev/null
check "a mailbox change reaches AD (within 20 s)" within 20 ext1_is cloud-two
n1=$(cycles)
check "within two cycles ($((n1 - n0)) finished since the change)" [ $((n1 - n0)) -le 2 ]
check "the cycle that took it in saw a mailbox change" logged 'incr.check verdict=changed .*mailboxes=1'

# A Graph change (a cloud-managed user's jobTitle): the users delta.
n0=$(cycles)
echo '{"jobTitle": "Director"}' > "$T/patch.json"
fake PATCH "objects/$ID_JUNO" "$T/patch.json" >/dev/null
check "a Graph change reaches AD (within 20 s)" within 20 title_is Director
n1=$(cycles)
check "within two cycles ($((n1 - n0)) finished since the change)" [ $((n1 - n0)) -le 2 ]
check "the users delta reported it" logged 'incr.check verdict=changed .*users=[1-9]'

# An AD edit of a cloud-owned attribute: reverted within two cycles.
n0=$(cycles)
printf 'dn: %s\nchangetype: modify\nreplace: extensionAttribute1\nextensionAttribute1: ad-edit\n' \
    "$IRIS" | admodify >/dev/null
check "an AD edit of a cloud-owned attribute is reverted (within 20 s)" within 20 ext1_is cloud-two
n1=$(cycles)
check "within two cycles ($((n1 - n0)) finished since the edit)" [ $((n1 - n0)) -le 2 ]
check "AD's uSNChanged reported it" logged 'incr.check verdict=changed ad_changed=[1-9]'

# A spent delta link: one full resync, nothing deleted.
check "quiet again before the next step (within 20 s)" within 20 quiet_after "$(count 'incr.check verdict=quiet')"
objs0=$(adsearch -b "$S" '(|(objectClass=user)(objectClass=group))' dn | grep -c '^dn:')
echo '{"kind": "410", "path": "/v1\\.0/users/delta$", "count": 1}' > "$T/fault.json"
fake POST faults "$T/fault.json" >/dev/null
check "a spent users delta link is said (within 20 s)" within 20 logged 'the users delta link was refused as spent: a full resync'
q=$(count 'incr.check verdict=quiet')
check "the resync's full cycle ends and quiet cycles follow (within 20 s)" within 20 quiet_after "$q"
check "one resync, not one per cycle" [ "$(count 'run: the users delta link was refused as spent')" -eq 1 ]
objs1=$(adsearch -b "$S" '(|(objectClass=user)(objectClass=group))' dn | grep -c '^dn:')
check "nothing deleted by the resync ($objs0 objects before, $objs1 after)" [ "$objs0" = "$objs1" ]
check "the values stay as the cloud has them" ext1_is cloud-two

# 30 % of the cloud's answers throttled: still converges, never early.
echo '{"seed": 7}' > "$T/seed.json"
fake PUT config "$T/seed.json" >/dev/null
echo '[{"kind": "429", "path": "^/(v1\\.0|adminapi)/", "share": 0.3, "retry_after": 1.5}]' > "$T/fault.json"
fake POST faults "$T/fault.json" >/dev/null
fake DELETE requests >/dev/null
echo '{"CustomAttribute1": "cloud-three"}' > "$T/patch.json"
fake PATCH "objects/$ID_IRIS" "$T/patch.json" >/dev/null
check "throttled: a mailbox change still reaches AD (within 60 s)" within 60 ext1_is cloud-three
fake GET requests > "$T/requests.json"
fake DELETE faults >/dev/null
/usr/bin/python3 "$TOP/tests/integration/retries.py" "$T/requests.json" > "$T/retries.txt"
sed 's/^/# /' "$T/retries.txt"
rfield() { sed -n 1p "$T/retries.txt" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
check "throttled: some answers were 429 ($(rfield throttled) of $(rfield cloud))" [ "$(rfield throttled)" -gt 0 ]
check "throttled: no retry came sooner than its Retry-After" [ "$(rfield early)" = 0 ]
check "throttled: every throttled request was sent again" [ "$(rfield unresent)" = 0 ]

# The kept tokens expire between cycles: renewed once on the 401, no
# failed cycle, and a change still goes through.
f0=$(count 'result=failed')
fake POST tokens/expire >/dev/null
echo '{"CustomAttribute1": "cloud-four"}' > "$T/patch.json"
fake PATCH "objects/$ID_IRIS" "$T/patch.json" >/dev/null
check "expired tokens: a mailbox change still reaches AD (within 20 s)" within 20 ext1_is cloud-four
check "the token was renewed on the 401" logged 'token.refresh audience=graph reason=http_401'
check "no cycle failed for it" [ "$(count 'result=failed')" = "$f0" ]

kill -TERM "$pid"
t0=$(date +%s)
while alive && [ $(($(date +%s) - t0)) -lt 10 ]; do sleep 0.2; done
if alive; then nok "SIGTERM: run exits within 10 s"; kill -KILL "$pid"; else ok "SIGTERM: run exits within 10 s"; fi
wait "$pid"; rc=$?
check "run exits 0" [ $rc -eq 0 ]
check "no secret in run's output" sh -c "! grep -qF '$LAB_BIND_PW' '$T/run.out' '$T/run.err'"
[ $_fail -eq 0 ] || grep -v 'http\.\|ad\.op\|cloud\.page' "$T/run.err" | tail -40 | sed 's/^/#   /'
finish
