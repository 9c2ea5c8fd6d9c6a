#!/bin/bash
# 086: soabridge run writes daemon.metrics_file (issue 14, metrics): the
# Prometheus text format, parsed here with prometheus_client's own parser.
# The file is there at start with zero counters (a throttled first request
# holds the first cycle back), then rewritten after every cycle, full or
# incremental, atomically (no temporary file left, mode 0644); a spent
# delta link counts a resync.  After SIGTERM its counters match the run:
# one full cycle, the others incremental, cycles = the runs the state
# recorded plus the quiet cycles, changes planned, applied
# and failed = their sums in 'soabridge runs --json' (two Exchange
# attributes written: class exchange), objects read per side, one
# not-joined finding, the throttled reply, requests = what the fake cloud
# received, the last success recent.  A directory gone while run runs is a
# warning naming the file, and the service goes on.  check-config says
# what it writes (and --help says it), and refuses a file in a missing
# directory (exit 2 naming daemon.metrics_file).
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
ANN="CN=Ann Metric,$S"
BEN="CN=Ben Metric,$S"
ANN_ID=10000000-0000-4000-8000-000000086001
BEN_ID=10000000-0000-4000-8000-000000086002
LOST_ID=10000000-0000-4000-8000-000000086003
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000086001)
G_BEN=$(hex_b64 5a0b1c2d3e4f40118000000000086002)
G_LOST=$(hex_b64 5a0b1c2d3e4f40118000000000086003)
seed_ldif <<EOF
dn: $ANN
objectClass: user
sAMAccountName: ann.metric
displayName: Ann Metric
extensionAttribute1: ad-ann
mS-DS-ConsistencyGuid:: $G_ANN

dn: $BEN
objectClass: user
sAMAccountName: ben.metric
displayName: Ben Metric
extensionAttribute1: ad-ben
mS-DS-ConsistencyGuid:: $G_BEN
EOF
# Two mailboxes whose CustomAttribute1 the cloud owns (two changes), and a
# synced user that no AD object matches (a not-joined finding).
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ANN_ID", "userPrincipalName": "ann.metric@corp.example.test",
  "displayName": "Ann Metric", "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "$BEN_ID", "userPrincipalName": "ben.metric@corp.example.test",
  "displayName": "Ben Metric", "onPremisesImmutableId": "$G_BEN", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}},
 {"id": "$LOST_ID", "userPrincipalName": "lost.metric@corp.example.test",
  "displayName": "Lost Metric", "onPremisesImmutableId": "$G_LOST", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}],
 "mailboxes": [
 {"ExternalDirectoryObjectId": "$ANN_ID", "DisplayName": "Ann Metric", "Alias": "ann.metric",
  "WindowsEmailAddress": "ann.metric@corp.example.test",
  "EmailAddresses": ["SMTP:ann.metric@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "cloud-ann"},
 {"ExternalDirectoryObjectId": "$BEN_ID", "DisplayName": "Ben Metric", "Alias": "ben.metric",
  "WindowsEmailAddress": "ben.metric@corp.example.test",
  "EmailAddresses": ["SMTP:ben.metric@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "cloud-ben"}]}
EOF
load_tenant "$T/tenant.json"
fake DELETE requests >/dev/null

mkdir "$T/prom"
PROM="$T/prom/soabridge.prom"
conf=$(lab_conf)
printf 'daemon {\n  interval = 2\n  metrics_file = "%s"\n}\n' "$PROM" >> "$conf"

# metric NAME [LABEL=VALUE...]: the sum of the samples of NAME with those
# labels in $PROM, as prometheus_client parses it; fails when it does not
# parse or holds no such sample.
metric() {
	/usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
name, want = sys.argv[2], dict(a.split("=", 1) for a in sys.argv[3:])
found, total = False, 0.0
for fam in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in fam.samples:
        if s.name == name and all(s.labels.get(k) == v for k, v in want.items()):
            found, total = True, total + s.value
if not found:
    sys.exit(1)
print(int(total) if total == int(total) else total)
' "$PROM" "$@"
}
# is NAME [LABEL=VALUE...] OP NUMBER
is() {
	local n=$#; local op=${@:$((n - 1)):1} want=${@:$n:1} v
	v=$(metric "${@:1:$((n - 2))}") || return 1
	/usr/bin/python3 -c 'import sys; v, w = float(sys.argv[1]), float(sys.argv[3]); sys.exit(0 if {"==": v == w, ">=": v >= w, "<=": v <= w, ">": v > w}[sys.argv[2]] else 1)' "$v" "$op" "$want"
}
wait_for() {
	local n=$(($1 * 2)); shift
	while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.5; n=$((n - 1)); done
	return 1
}
alive() { kill -0 "$pid" 2>/dev/null; }
logged() { grep -q -- "$1" "$T/run.err"; }

"$SOABRIDGE" --help >"$T/help.out" 2>&1
check "--help says run writes metrics to daemon.metrics_file" grep -q "with daemon.metrics_file set, writes Prometheus" "$T/help.out"

# check-config: what it writes; a missing directory refused naming the key.
"$SOABRIDGE" -c "$conf" check-config >"$T/cc.out" 2>"$T/cc.err"; rc=$?
[ $rc -eq 0 ] && grep -qF "metrics: 'soabridge run' writes its counters in the Prometheus text format to $PROM at start and after every cycle" "$T/cc.out"
verdict "check-config: OK, and says where run writes its metrics"
sed "s|metrics_file = .*|metrics_file = \"$T/nodir/soabridge.prom\"|" "$conf" > "$T/nodir.conf"
line=$(grep -n 'metrics_file' "$T/nodir.conf" | cut -d: -f1)
"$SOABRIDGE" -c "$T/nodir.conf" check-config >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -qF "$T/nodir.conf:$line: daemon.metrics_file: '$T/nodir/soabridge.prom': directory $T/nodir: No such file or directory" "$T/err"
verdict "check-config: a metrics_file in a missing directory exits 2 naming FILE:LINE: daemon.metrics_file"
sed "s|metrics_file = .*|metrics_file = \"prom/soabridge.prom\"|" "$conf" > "$T/rel.conf"
"$SOABRIDGE" -c "$T/rel.conf" check-config >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "daemon.metrics_file: 'prom/soabridge.prom' must be an absolute path" "$T/err"
verdict "check-config: a relative metrics_file exits 2 naming daemon.metrics_file"

# The first Graph request (the full reconciliation's delta link) is throttled for 3 s: the file written at start
# is there, all zero, before the first cycle ends.
echo '{"kind": "429", "retry_after": 3, "path": "^/v1.0/users", "count": 1}' | fake POST faults - >/dev/null
"$SOABRIDGE" -c "$conf" -v run >"$T/run.out" 2>"$T/run.err" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
check "the metrics file is written at start (within 2 s)" wait_for 2 test -s "$PROM"
check "at start: no cycle counted yet" is soabridge_cycles_total == 0
check "at start: last success 0" is soabridge_last_success_timestamp_seconds == 0
cp "$PROM" "$T/start.prom"

check "the first cycle, a full reconciliation, is counted (within 20 s)" wait_for 20 is soabridge_cycles_total kind=full result=ok == 1
check "incremental cycles follow: 2 counted (within 20 s)" wait_for 20 is soabridge_cycles_total kind=incremental result=ok ">=" 2
check "AD holds Ann's CustomAttribute1" [ "$(ad_vals "$ANN" extensionAttribute1)" = cloud-ann ]
check "AD holds Ben's CustomAttribute1" [ "$(ad_vals "$BEN" extensionAttribute1)" = cloud-ben ]
check "the file is mode 0644" [ "$(stat -c %a "$PROM")" = 644 ]
check "no temporary file beside it" [ "$(ls -A "$T/prom")" = soabridge.prom ]

# A directory gone: a warning naming the file, the service goes on; back: written again.
mv "$T/prom" "$T/prom.away"
check "a write into a missing directory is logged, naming the file (within 10 s)" \
    wait_for 10 logged "soabridge: warn run.metrics file=$PROM result=failed: cannot create a file in directory $T/prom: No such file or directory"
check "run goes on after a failed write" alive
mv "$T/prom.away" "$T/prom"
n=$(metric soabridge_cycles_total)
check "the directory back: the next cycle writes the file again (within 10 s)" wait_for 10 is soabridge_cycles_total ">" "$n"

# A spent users delta link: the next incremental cycle resyncs, counted.
echo '{"kind": "410", "path": "/v1\\.0/users/delta$", "count": 1}' | fake POST faults - >/dev/null
check "a spent delta link: a resync is counted (within 20 s)" wait_for 20 is soabridge_delta_resyncs_total == 1
check "run said so" logged 'the users delta link was refused as spent: a full resync'

# Stop it between cycles, then compare the last file with the state.
kill -TERM "$pid"
wait "$pid"; rc=$?
check "SIGTERM: run exits 0" [ $rc -eq 0 ]
check "run says it stopped" logged "run: stopped by a signal after"
"$SOABRIDGE" -c "$conf" runs --format json >"$T/runs.json" 2>/dev/null
R="(d['runs'] if isinstance(d, dict) else d)"
ncycles=$(sed -n 's/.*stopped by a signal after \([0-9]*\) cycle.*/\1/p' "$T/run.err")
metric soabridge_cycles_total >/dev/null; verdict "the file parses as Prometheus text"
check "cycles_total = the cycles run says it made ($ncycles)" is soabridge_cycles_total == "$ncycles"
check "one full reconciliation" is soabridge_cycles_total kind=full == 1
check "the others incremental" is soabridge_cycles_total kind=incremental == $((ncycles - 1))
# A quiet incremental cycle records no run; every other cycle is one.
nquiet=$(grep -c 'incr.check verdict=quiet' "$T/run.err")
nruns=$(jpy "$T/runs.json" "len($R)")
check "cycles_total = the runs the state recorded ($nruns) + the quiet cycles ($nquiet)" \
    is soabridge_cycles_total == $((nruns + nquiet))
check "cycles ok = the runs ok (or stopped) + the quiet cycles" is soabridge_cycles_total result=ok == \
    $(($(jpy "$T/runs.json" "sum(1 for r in $R if r['outcome'] in ('ok', 'stopped'))") + nquiet))
check "the resync counted once" is soabridge_delta_resyncs_total == "$(grep -c 'run: the users delta link was refused as spent' "$T/run.err")"
check "changes planned: the two mailboxes, class exchange" is soabridge_changes_planned_total class=exchange == 2
check "changes planned = the runs' planned" is soabridge_changes_planned_total == "$(jpy "$T/runs.json" "sum(r['planned'] for r in $R)")"
check "changes applied = the runs' applied" is soabridge_changes_applied_total == "$(jpy "$T/runs.json" "sum(r['applied'] for r in $R)")"
check "changes applied: the two mailboxes, class exchange" is soabridge_changes_applied_total class=exchange == 2
check "changes applied: no other class" is soabridge_changes_applied_total == 2
check "changes failed = the runs' failed (0)" is soabridge_changes_failed_total == "$(jpy "$T/runs.json" "sum(r['failed'] for r in $R)")"
check "objects read: 3 Graph users per full read" is soabridge_objects_read_total side=graph == $((3 * nruns))
check "objects read: 2 mailboxes per full read" is soabridge_objects_read_total side=exchange == $((2 * nruns))
check "objects read: AD objects, at least the 2 per full read" is soabridge_objects_read_total side=ad ">=" $((2 * nruns))
check "findings: the not-joined user, state unjoined" is soabridge_findings state=unjoined kind=not-joined == 1
check "findings: nothing refused" is soabridge_findings state=refused == 0
check "cloud throttled: the one 429" is soabridge_cloud_throttled_total == 1
fake GET requests > "$T/requests.json"
check "cloud requests = what the fake cloud received" is soabridge_cloud_requests_total == \
    "$(jpy "$T/requests.json" "sum(1 for r in d['requests'] if r.get('batch') is None)")"
now=$(date +%s)
check "last success within the last 10 s" is soabridge_last_success_timestamp_seconds ">=" $((now - 10))
check "last success not in the future" is soabridge_last_success_timestamp_seconds "<=" "$now"
check "last cycle duration recorded" is soabridge_last_cycle_duration_seconds ">" 0
check "the start file had every counter at 0" /usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
sys.exit(0 if all(s.value == 0 for f in text_string_to_metric_families(open(sys.argv[1]).read()) for s in f.samples) else 1)
' "$T/start.prom"
check "no temporary file left" [ "$(ls -A "$T/prom")" = soabridge.prom ]
[ $_fail -eq 0 ] || { sed 's/^/#   /' "$T/run.err" | tail -30; sed 's/^/#   /' "$PROM"; }
finish
