#!/bin/bash
# 023: one writer per state_dir.  While a sync runs (slowed by a throttled
# Exchange Online call), a second sync and an undo refuse with a message
# naming the holder's pid; plan and status still work; once the first ends,
# sync works again.  A lock file left by a dead process is taken over.
# (The throttle lasts 4 s: long enough for the checks, under ASan too.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset
mailbox_users 5
conf=$(lab_conf)

cat > "$T/fault.json" <<'EOF'
{"kind": "429", "retry_after": 4, "path": "InvokeCommand", "count": 1}
EOF
fake POST faults "$T/fault.json" >/dev/null
"$SOABRIDGE" -c "$conf" sync >"$T/a.out" 2>"$T/a.err" &
pid=$!
check "the first sync holds the lock (its pid in state_dir/lock)" \
    wait_for grep -qs "^pid=$pid command=sync " "$STATE/lock"

sb "$conf" sync >"$T/b.out" 2>"$T/b.err"; rc=$?
check "a second sync meanwhile: exit 1" [ $rc -eq 1 ]
check "... naming the holder" grep -q "is in use: soabridge sync (pid $pid) has held $STATE/lock since" "$T/b.err"
check "... having written nothing" [ ! -s "$T/b.out" ]
sb "$conf" undo 1 >/dev/null 2>"$T/u.err"; rc=$?
[ $rc -eq 1 ] && grep -q "is in use: soabridge sync (pid $pid)" "$T/u.err"
verdict "an undo meanwhile refuses the same way"
sb "$conf" status >"$T/status.txt" 2>&1
check "status names the holder" grep -q "^lock: *held by pid $pid (sync since" "$T/status.txt"
sb "$conf" plan >/dev/null 2>"$T/p.err"; rc=$?
check "plan meanwhile works (it writes nothing)" [ $rc -eq 0 ]
check "the first sync was still running through all that" kill -0 $pid

wait $pid; rc=$?
check "the first sync exits 0" [ $rc -eq 0 ]
fake GET stats >"$T/stats.json"
check "it was slowed by the throttled call (the fault fired)" jtrue "$T/stats.json" \
    "d['requests']['POST /adminapi/beta/{tenant}/InvokeCommand'].get('429') == 1"
sb "$conf" status >"$T/status.txt" 2>&1
check "status: the lock is free again" grep -q "^lock: *free" "$T/status.txt"
sb "$conf" sync >/dev/null 2>"$T/b.err"; rc=$?
check "afterwards a sync works" [ $rc -eq 0 ]
sb "$conf" runs --format json >"$T/runs.json"
check "refused writers recorded no run" jtrue "$T/runs.json" \
    "[(r['command'], r['outcome']) for r in d] == [('sync', 'ok'), ('sync', 'ok')]"

# A lock file naming a dead process (no lock held): taken over, said so.
echo "pid=999999 command=sync started=2020-01-01T00:00:00Z" > "$STATE/lock"
sb "$conf" sync >/dev/null 2>"$T/c.err"; rc=$?
check "a stale lock of a dead pid: sync exits 0" [ $rc -eq 0 ]
check "... and says it took it over" grep -q "lock.stale .*pid=999999 .*result=taken_over (that process is gone)" "$T/c.err"
check "the lock file is empty once released" [ ! -s "$STATE/lock" ]
finish
