#!/bin/bash
# 082: soabridge run (issue 14): a cycle every daemon.interval seconds,
# the first a full reconciliation (084 tests the incremental cycles in
# detail).  A mailbox change made in the fake cloud reaches
# AD within a few cycles; status and sync keep working beside it (the lock
# is held per cycle); SIGHUP with a broken file is refused (each diagnostic
# logged, the old configuration kept, the loop goes on), SIGHUP with a
# valid one is taken; SIGTERM ends it with exit 0 within 10 s.  check-config
# refuses interval = 0 naming the key.  systemd's notify socket (a datagram socket
# the test listens on) hears READY=1, STATUS=, RELOADING=1 and STOPPING=1.
. "$(dirname "$0")/lib.sh"
lab_reset

S="OU=Staff,$LAB_BASE_DN"
ERIN="CN=Erin Runner,$S"
ERIN_ID=10000000-0000-4000-8000-000000082001
G_ERIN=$(hex_b64 5a0b1c2d3e4f40118000000000082001)
seed_ldif <<EOF
dn: $ERIN
objectClass: user
sAMAccountName: erin.runner
displayName: Erin Runner
extensionAttribute1: ad-one
mS-DS-ConsistencyGuid:: $G_ERIN
EOF
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ERIN_ID", "userPrincipalName": "erin.runner@corp.example.test",
  "displayName": "Erin Runner", "onPremisesImmutableId": "$G_ERIN", "onPremisesSyncEnabled": true,
  "onPremisesSyncBehavior": {"isCloudManaged": false}}],
 "mailboxes": [
 {"ExternalDirectoryObjectId": "$ERIN_ID", "DisplayName": "Erin Runner", "Alias": "erin.runner",
  "WindowsEmailAddress": "erin.runner@corp.example.test",
  "EmailAddresses": ["SMTP:erin.runner@corp.example.test"],
  "IsDirSynced": true, "IsExchangeCloudManaged": true, "HiddenFromAddressListsEnabled": false,
  "CustomAttribute1": "cloud-one"}]}
EOF
load_tenant "$T/tenant.json"

conf=$(lab_conf)
printf 'daemon {\n  interval = 2\n}\n' >> "$conf"
cp "$conf" "$T/good.conf"

ext1_is() { [ "$(ad_vals "$ERIN" extensionAttribute1)" = "$1" ]; }
alive() { kill -0 "$pid" 2>/dev/null; }
logged() { grep -q -- "$1" "$T/run.err"; }

# systemd's side of sd_notify: one line per datagram, "--" after each.
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode() + "\n--\n"); f.flush()
' "$T/notify.sock" "$T/notify.log" &
npid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$T/notify.sock" ] && break; sleep 0.2; done

NOTIFY_SOCKET="$T/notify.sock" "$SOABRIDGE" -c "$conf" run >"$T/run.out" 2>"$T/run.err" &
pid=$!
stop_run() { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; kill "$npid" 2>/dev/null; }
trap 'stop_run; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
notified() { grep -q -- "$1" "$T/notify.log" 2>/dev/null; }

check "the first cycle writes the mailbox's CustomAttribute1 (within 20 s)" within 20 ext1_is cloud-one
check "run logs its start and intervals" logged "run: started (pid $pid): a cycle every 2 s, a full reconciliation now and every 21600 s"
check "sd_notify: READY=1 after the first cycle" within 5 notified "^READY=1$"
check "sd_notify: a STATUS line per cycle, naming its kind" notified "^STATUS=cycle 1 (full) ok; every 2 s$"

echo '{"CustomAttribute1": "cloud-two"}' > "$T/patch.json"
fake PATCH "objects/$ERIN_ID" "$T/patch.json" >/dev/null
check "a cloud change made after start reaches AD (within 20 s)" within 20 ext1_is cloud-two
check "run is still running" alive

# Beside a running run: status reads, sync takes the lock between cycles.
"$SOABRIDGE" -c "$conf" status >"$T/status.out" 2>"$T/status.err"; rc=$?
check "status works beside run (exit 0)" [ $rc -eq 0 ]
grep -Eq 'last run' "$T/status.out"; verdict "status shows the last run"
grep -q "^service: *soabridge run, pid $pid, since " "$T/status.out"; verdict "status shows the running service's pid"
"$SOABRIDGE" -c "$conf" status --format json >"$T/status.json" 2>/dev/null
jtrue "$T/status.json" "d['service']['pid'] == int(a[0])" "$pid"; verdict "status JSON: service.pid"
"$SOABRIDGE" -c "$conf" run >/dev/null 2>"$T/run2.err"; rc=$?
[ $rc -eq 1 ] && grep -q "soabridge run (pid $pid) has held .*/service since" "$T/run2.err"
verdict "a second run on the same state_dir is refused (exit 1) naming the first"
sync_ok() { "$SOABRIDGE" -c "$conf" -q sync >/dev/null 2>"$T/sync.err"; }
check "sync runs beside run between its cycles (exit 0 within 20 s)" within 20 sync_ok
"$SOABRIDGE" -c "$conf" runs --format json >"$T/runs.json" 2>/dev/null
jtrue "$T/runs.json" "sum(1 for r in (d['runs'] if isinstance(d, dict) else d) if r['outcome'] == 'ok') >= 3"
verdict "each cycle that read in full is a run recorded in the state (at least 3 ok)"

# SIGHUP with a broken file: refused, diagnostics logged, the old one kept.
sed 's/interval = 2/interval = 0/' "$T/good.conf" > "$conf"
line=$(grep -n 'interval = 0' "$conf" | cut -d: -f1)
kill -HUP "$pid"
check "a broken file on SIGHUP: the reload is refused (logged)" within 10 logged "run: reload refused"
check "the diagnostic names FILE:LINE: daemon.interval" logged "^$conf:$line: daemon.interval: 0 is out of range"
check "run keeps running on the old configuration" alive
echo '{"CustomAttribute1": "cloud-three"}' > "$T/patch.json"
fake PATCH "objects/$ERIN_ID" "$T/patch.json" >/dev/null
check "cycles go on after the refused reload (a change reaches AD within 20 s)" within 20 ext1_is cloud-three

# SIGHUP with a valid changed file: taken.
sed 's/interval = 2/interval = 3/' "$T/good.conf" > "$conf"
kill -HUP "$pid"
check "a valid file on SIGHUP is taken (logged, interval 3 s)" within 10 logged "run: reloaded $conf (interval 3 s)"
check "run is still running after the reload" alive
check "sd_notify: RELOADING=1 around a reload" notified "^RELOADING=1$"

# SIGTERM: exit 0 within 10 s.
kill -TERM "$pid"
start=$(date +%s)
while alive && [ $(($(date +%s) - start)) -lt 10 ]; do sleep 0.2; done
if alive; then nok "SIGTERM: run exits within 10 s"; kill -KILL "$pid"; else ok "SIGTERM: run exits within 10 s"; fi
wait "$pid"; rc=$?
check "run exits 0 on SIGTERM" [ $rc -eq 0 ]
check "run says it was stopped by a signal" logged "run: stopped by a signal after"
check "sd_notify: STOPPING=1 on exit" within 2 notified "^STOPPING=1$"
kill "$npid" 2>/dev/null
"$SOABRIDGE" -c "$conf" status >"$T/status.out" 2>/dev/null
check "nothing holds the lock afterwards" not grep -q 'held by' "$T/status.out"
check "status: service not running afterwards" grep -q '^service: *not running' "$T/status.out"
check "no secret in run's output" sh -c "! grep -qF '$LAB_BIND_PW' '$T/run.out' '$T/run.err'"
[ $_fail -eq 0 ] || sed 's/^/#   /' "$T/run.err" | tail -40

# check-config: interval range and the daemon keys still refused.
sed 's/interval = 2/interval = 0/' "$T/good.conf" > "$T/zero.conf"
line=$(grep -n 'interval = 0' "$T/zero.conf" | cut -d: -f1)
"$SOABRIDGE" -c "$T/zero.conf" check-config >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^$T/zero.conf:$line: daemon.interval: 0 is out of range (1 to 86400)" "$T/err"
verdict "check-config: interval = 0 exits 2 naming $T/zero.conf:$line: daemon.interval"
"$SOABRIDGE" -c "$T/zero.conf" run >/dev/null 2>"$T/err"; rc=$?
check "run with interval = 0 exits 2 at start" [ $rc -eq 2 ]
finish
