#!/bin/bash
# 088: issue 16, cloud.max_requests_per_second.  check-config takes the key
# (1 to 1000) and refuses 0 naming the key and its line.  A plan against the
# demo tenant (pages of two: some 15 requests, tokens included) with a
# ceiling of 2 starts no more than 2 requests in any one second of the fake
# cloud's request log (a small tolerance for the TLS handshake of a new
# connection, which delays one arrival and so shortens the next gap); the
# same plan with the default ceiling (20) does start 3 within a second, so
# the check tells the two apart.  Both plans find the same changes.
. "$(dirname "$0")/lib.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
seed_ldif "$TOP/tests/fixtures/demo-groups.ldif"
load_tenant "$TOP/tests/fixtures/demo-tenant.json"
echo '{"page_size": {"graph": 2, "exo": 2}}' > "$T/config.json"
fake PUT config "$T/config.json" >/dev/null

# The conf with the ceiling set in its cloud section: FILE VALUE.
with_ceiling() {
	sed "/^cloud {/a\\  max_requests_per_second = $2" "$(lab_conf)" > "$1"
}
with_ceiling "$T/two.conf" 2
with_ceiling "$T/zero.conf" 0
line=$(grep -n 'max_requests_per_second' "$T/zero.conf" | cut -d: -f1)

"$SOABRIDGE" -c "$T/two.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "check-config takes max_requests_per_second = 2" [ $rc -eq 0 ]
"$SOABRIDGE" -c "$T/zero.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "check-config refuses 0 (exit 2)" [ $rc -eq 2 ]
check "naming the file, line and key, and the range" grep -qF \
    "$T/zero.conf:$line: cloud.max_requests_per_second: 0 is out of range (1 to 1000)" "$T/err"

# The most requests that arrived within any one second (less the
# tolerance), $batch items left out: they travel inside their $batch.
# Prints "MOST REQUESTS".
most_in_a_second() {
	/usr/bin/python3 -c '
import json, sys
log = json.load(open(sys.argv[1]))["requests"]
times = sorted(e["arrived"] for e in log if e["batch"] is None)
window, most = 1.0 - float(sys.argv[2]), 0
j = 0
for i, t in enumerate(times):
    while times[j] <= t - window:
        j += 1
    most = max(most, i - j + 1)
print(most, len(times))' "$1" "$2"
}

fake DELETE requests >/dev/null
start=$(date +%s%N)
"$SOABRIDGE" -c "$T/two.conf" plan --format json >"$T/slow.json" 2>"$T/slow.err"; rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
fake GET requests > "$T/slow-requests.json"
check "plan with a ceiling of 2 exits 0 or 1 (changes found)" [ $rc -le 1 ]
read -r most total < <(most_in_a_second "$T/slow-requests.json" 0.1)
echo "# ceiling 2: $total requests in $took_ms ms, at most $most within 0.9 s"
check "enough requests to tell ($total >= 10)" [ "$total" -ge 10 ]
check "no more than 2 requests started in any second ($most)" [ "$most" -le 2 ]
check "the run took at least (requests - 1) / 2 seconds" \
    [ "$took_ms" -ge $(( (total - 1) * 500 - 500 )) ]

fake DELETE requests >/dev/null
"$SOABRIDGE" -c "$(lab_conf)" plan --format json >"$T/fast.json" 2>"$T/fast.err"; rc=$?
fake GET requests > "$T/fast-requests.json"
read -r most total < <(most_in_a_second "$T/fast-requests.json" 0.1)
echo "# default ceiling: $total requests, at most $most within 0.9 s"
check "with the default ceiling, 3 or more start within a second ($most)" [ "$most" -ge 3 ]
check "both plans find the same changes" jtrue "$T/slow.json" \
    "sorted(json.dumps(c, sort_keys=True) for c in d['changes']) == sorted(json.dumps(c, sort_keys=True) for c in json.load(open(a[0]))['changes'])" \
    "$T/fast.json"
finish
