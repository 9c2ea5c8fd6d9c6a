#!/bin/sh
# run.sh: build tests/cloud-probe/probe.c with cloud/, start a private fake cloud (its own run
# directory and a free port, so it never touches a fake someone else runs), run the probe, then
# check that no secret and no issued token reached the probe's output.
#   tests/cloud-probe/run.sh          exit 0 all checks passed, 1 a check failed, 77 no fake cloud
# Environment: CC (default cc), PROBE_KEEP=1 keeps the work directory, PROBE_SAN=0 builds
# without ASan/UBSan.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
FAKE=tests/fakecloud/fakecloud
if [ ! -x "$FAKE" ]; then
	echo "cloud-probe: $FAKE is not there yet: skipped"
	exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cloud-probe.XXXXXX")
export FAKECLOUD_RUN_DIR="$WORK/fake"
cleanup() {
	"$FAKE" stop >/dev/null 2>&1 || true
	[ "${PROBE_KEEP:-0}" = 1 ] && echo "cloud-probe: kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
[ "${PROBE_SAN:-1}" = 0 ] && SAN=""
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -pthread -D_DEFAULT_SOURCE -g -O1 -Wall -Wextra -Werror -Wformat=2 -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla $SAN -I. -o "$WORK/probe" \
	tests/cloud-probe/probe.c cloud/*.c mapping/*.c agent/log.c \
	-lcurl -ljansson -lssl -lcrypto

/usr/bin/python3 tests/cloud-probe/tenant.py > "$WORK/tenant.json"
"$FAKE" start --tenant "$WORK/tenant.json" --port 0 >/dev/null
# shellcheck disable=SC1091
. "$FAKECLOUD_RUN_DIR/cloud.env"

rc=0
"$WORK/probe" > "$WORK/probe.out" 2> "$WORK/probe.log" || rc=$?
cat "$WORK/probe.out"
if [ "$rc" -ne 0 ]; then
	echo "cloud-probe: the probe failed (exit $rc); its log:"
	tail -n 60 "$WORK/probe.log"
fi

# Secrets: the client secret, the wrong one the probe tries, every token the fake issued.
curl -sS --cacert "$CLOUD_CA_FILE" "$CLOUD_ADMIN_URL/tokens" > "$WORK/tokens.json"
/usr/bin/python3 - "$WORK/tokens.json" "$CLOUD_SECRET_FILE" > "$WORK/secrets" <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))["tokens"]:
    print(t["access_token"])
print(open(sys.argv[2]).read())
print("wrong-Secret~probe.0042")
PY
leaks=0
while IFS= read -r s; do
	[ -n "$s" ] || continue
	if grep -qF -- "$s" "$WORK/probe.out" "$WORK/probe.log"; then
		echo "not ok - a secret or token appears in the probe's output"
		leaks=1
	fi
done < "$WORK/secrets"
ntok=$(grep -c . "$WORK/secrets")
if grep -qi 'authorization' "$WORK/probe.log"; then
	echo "not ok - an Authorization header appears in the log"
	leaks=1
fi
[ "$leaks" = 0 ] && echo "ok - none of $ntok secrets and tokens is in the output or the log"
grep -q 'request_id=' "$WORK/probe.log" && echo "ok - requests logged with their request-id" ||
	{ echo "not ok - no request-id in the debug log"; leaks=1; }

[ "$rc" -eq 0 ] && [ "$leaks" -eq 0 ] || exit 1
echo "cloud-probe: all checks passed"
