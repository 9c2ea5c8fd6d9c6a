#!/bin/bash
# 025: secrets stay out of everything soabridge writes.  With -v (and -vv)
# every LDAP operation and HTTP request is logged (method, path, status,
# duration), yet neither the LDAP password, nor the client secret, nor any
# access token the fake cloud issued appears in the logs, the plans, the
# state (sqlite3 .dump and the raw files, -wal included, also mid-run).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/state-lib.sh"
lab_reset
mailbox_users 5
conf=$(lab_conf)
fake DELETE tokens >/dev/null
mkdir -p "$T/out" "$T/snap"

# Mid-run copy of the state files: a throttled Exchange call holds the
# sync for two seconds after the run was recorded.
cat > "$T/fault.json" <<'EOF'
{"kind": "429", "retry_after": 2, "path": "InvokeCommand", "count": 1}
EOF
fake POST faults "$T/fault.json" >/dev/null
"$SOABRIDGE" -c "$conf" -v sync >"$T/out/slow.out" 2>"$T/out/slow.err" &
pid=$!
wait_for grep -qs "^pid=$pid " "$STATE/lock"
wait_for test -s "$STATE/state.db-wal"
cp "$STATE"/state.db* "$T/snap/"
wait $pid
check "the slowed sync exits 0" [ $? -eq 0 ]
check "a populated -wal was copied mid-run" test -s "$T/snap/state.db-wal"

n=0
for v in -v -vv; do
	for cmd in "check-config --connect" "plan" "plan --format json" "sync" "sync --format json" \
	    "runs" "runs --format json" "status" "status --format json" "undo 1 --dry-run" "undo 1" \
	    "undo 1 --format json"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # cmd holds its arguments
		"$SOABRIDGE" -c "$conf" $v $cmd >"$T/out/$n.out" 2>"$T/out/$n.err"
	done
done
L="$T/out/slow.err"
check "-v shows each HTTP request: method, path, status, duration" \
    grep -qE "info http.request where=[a-z.]+ method=(GET|POST) path=/[^ ]* status=200 ms=[0-9]+" "$L"
check "-v shows the throttled request and its retry" grep -qE "http.request .*path=/adminapi/[^ ]*/InvokeCommand status=429" "$L"
check "-v shows the token requests, not their body" \
    grep -qE "http.request .*method=POST path=/[^ ]*/oauth2/v2.0/token status=200" "$L"
check "-v shows each LDAP operation" grep -qE "info ad.op op=bind .*result=ok ms=[0-9]+" "$L"
check "-v shows each LDAP write" [ "$(grep -cE "info ad.op op=modify dn=\"CN=User 000[0-4],.*result=ok ms=[0-9]+" "$L")" = 5 ]
check "-v shows the run" grep -q "info run.end run=1 outcome=ok" "$L"

sqlite3 "$STATE/state.db" .dump > "$T/out/dump.sql"
cp "$STATE"/* "$T/out/" 2>/dev/null
# (sqlite3 checkpoints the WAL it opens: dump a copy, keep the raw snapshot)
cp -r "$T/snap" "$T/snapcopy"
sqlite3 "$T/snapcopy/state.db" .dump > "$T/out/snapdump.sql"
check "the mid-run dump holds the run" grep -q "INSERT INTO runs" "$T/out/snapdump.sql"
check "the dump holds the journal" grep -q "INSERT INTO journal" "$T/out/dump.sql"

fake GET tokens > "$T/tokens.json"
jpy "$T/tokens.json" "'\n'.join(t['access_token'] for t in d['tokens'])" > "$T/tokens.txt"
check "the fake cloud issued tokens during the test" [ "$(grep -c . "$T/tokens.txt")" -ge 2 ]
{
	cat "$LAB_BIND_PW_FILE"; echo
	echo "$LAB_BIND_PW"
	cat "$CLOUD_SECRET_FILE"; echo
	cat "$T/tokens.txt"
} | grep . | sort -u > "$T/secrets.txt"
check "secrets to look for: password, client secret, tokens" [ "$(wc -l < "$T/secrets.txt")" -ge 4 ]
found=""
while IFS= read -r s; do
	[ ${#s} -ge 8 ] || { nok "a secret shorter than 8 characters cannot be searched for"; continue; }
	hits=$(grep -rlaF -- "$s" "$T/out" "$T/snap" 2>/dev/null)
	[ -n "$hits" ] && found="$found ${s:0:6}...:$hits"
done < "$T/secrets.txt"
check "no secret in logs, plans, the state dump or the raw state files" [ -z "$found" ]
[ -n "$found" ] && echo "#   found:$found"
check "no Authorization header or bearer in any log" not grep -rqaiE "authorization:|bearer [a-z0-9]" "$T/out"
check "$(ls "$T/out" "$T/snap" | wc -l) files searched, a mid-run -wal among them" test -s "$T/snap/state.db-wal"
finish
