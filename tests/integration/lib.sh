# lib.sh -- helpers sourced by tests/integration/NNN-*.sh.
# Gives: $SOABRIDGE, lab.env and cloud.env variables, a scratch dir $T,
# ok/check/finish for TAP-like output, and ldapsearch/ldapmodify wrappers.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SOABRIDGE=${SOABRIDGE:-$TOP/build/soabridge}
SOABRIDGE_TEST_BIN=${SOABRIDGE_TEST_BIN:-$TOP/build/soabridge-test}
. "$TOP/tests/lab/run/lab.env"
. "$TOP/tests/fakecloud/run/cloud.env"
export LDAPTLS_CACERT="$LAB_CA_FILE" LDAPTLS_REQCERT=demand
T=$(mktemp -d /tmp/sbinteg.XXXXXX)
trap '[ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
_pass=0 _fail=0

ok()   { echo "ok - $*"; _pass=$((_pass + 1)); }
nok()  { echo "not ok - $*"; _fail=$((_fail + 1)); }
# check "description" command...: ok when the command succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
# verdict "description": ok when the command just before it succeeded
verdict() { if [ $? -eq 0 ]; then ok "$1"; else nok "$1"; fi; }
finish() { echo "# $_pass passed, $_fail failed"; [ $_fail -eq 0 ]; }

# A config for the lab and the fake cloud; extra args go to mkconf.
lab_conf() { "$TOP/tests/lab/mkconf" "$@" > "$T/soabridge.conf"; echo "$T/soabridge.conf"; }

# ldapsearch as the admin, no line wrapping.
adsearch() { ldapsearch -LLL -o ldif-wrap=no -x -H "$LAB_LDAP_URI" -D "$LAB_ADMIN_DN" -w "$LAB_ADMIN_PW" "$@"; }
admodify() { ldapmodify -x -H "$LAB_LDAP_URI" -D "$LAB_ADMIN_DN" -w "$LAB_ADMIN_PW" "$@"; }
highest_usn() { adsearch -b "" -s base highestCommittedUSN | awk '/^highestCommittedUSN:/{print $2}'; }

# A clean directory and state: the lab's snapshot, no soabridge state.
lab_reset() {
	"$TOP/tests/lab/lab" reset >/dev/null || { echo "lab reset failed"; exit 1; }
	rm -rf "$TOP/tests/lab/run/state"
	# The first bind after a reset moves highestCommittedUSN (NOTES.md): do it now.
	adsearch -b "$LAB_BASE_DN" -s base dn >/dev/null
	ldapsearch -LLL -x -H "$LAB_LDAP_URI" -D "$LAB_BIND_DN" -w "$LAB_BIND_PW" \
	    -b "$LAB_BASE_DN" -s base dn >/dev/null
}

# lab_reset with the LDIF file $1 (real DNs, no @BASE@) added offline: tests/lab/lab load, built
# once per file and lab setup, then a snapshot (thousands of users in a second, not a minute).
lab_load() {
	"$TOP/tests/lab/lab" load "$1" >"$T/lab-load.log" 2>&1 ||
	    { cat "$T/lab-load.log"; echo "lab load $1 failed"; exit 1; }
	rm -rf "$TOP/tests/lab/run/state"
	adsearch -b "$LAB_BASE_DN" -s base dn >/dev/null
	ldapsearch -LLL -x -H "$LAB_LDAP_URI" -D "$LAB_BIND_DN" -w "$LAB_BIND_PW" \
	    -b "$LAB_BASE_DN" -s base dn >/dev/null
}

# Add LDIF (file or stdin) as the admin; @BASE@ becomes the base DN.
seed_ldif() {
	sed "s/@BASE@/$LAB_BASE_DN/g" "${1:--}" | ldapadd -x -H "$LAB_LDAP_URI" \
	    -D "$LAB_ADMIN_DN" -w "$LAB_ADMIN_PW" >/dev/null ||
	    { echo "seed_ldif failed"; exit 1; }
}

# The fake cloud's admin API: fake METHOD PATH [JSON-FILE-or-'-']
fake() {
	local m=$1 p=$2 body=${3:-}
	if [ -n "$body" ]; then
		curl -sS --fail-with-body --cacert "$CLOUD_CA_FILE" -X "$m" \
		    -H 'Content-Type: application/json' --data-binary "@$body" "$CLOUD_ADMIN_URL/$p"
	else
		curl -sS --fail-with-body --cacert "$CLOUD_CA_FILE" -X "$m" "$CLOUD_ADMIN_URL/$p"
	fi
}
# Replace the tenant with a fixture file; clear faults and stats.
load_tenant() {
	fake PUT tenant "$1" >/dev/null || { echo "load_tenant $1 failed"; exit 1; }
	fake DELETE faults >/dev/null; fake DELETE stats >/dev/null; fake DELETE config >/dev/null
}

# JSON {dn: {attr: [values]}} of entries under BASE matching FILTER.
ad_json() { adsearch -b "$1" "${2:-(objectClass=*)}" "${@:3}" | /usr/bin/python3 "$TOP/tests/integration/ldif2json.py"; }
# Values of ATTR on DN, one per line (exact, decoded).
ad_vals() {
	ad_json "$1" "(objectClass=*)" -s base "$2" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in d.values():
    for k, vs in e.items():
        if k.lower() == sys.argv[1].lower():
            for v in vs: print(v)' "$2"
}
usn_changed() { ad_vals "$1" uSNChanged; }
# base64 of an entry's objectGUID / mS-DS-ConsistencyGuid (an immutableId).
ad_guid_b64() { adsearch -b "$1" -s base "(objectClass=*)" objectGUID | awk '/^objectGUID::/{print $2}'; }
# objectSid of an entry as S-1-5-... text.
ad_sid() {
	adsearch -b "$1" -s base "(objectClass=*)" objectSid | awk '/^objectSid::/{print $2}' |
	    /usr/bin/python3 -c '
import base64, struct, sys
b = base64.b64decode(sys.stdin.read().strip())
n = b[1]; auth = int.from_bytes(b[2:8], "big")
subs = struct.unpack("<%dI" % n, b[8:8 + 4 * n])
print("S-%d-%d-%s" % (b[0], auth, "-".join(map(str, subs))))'
}

# ---- helpers of the source-of-authority tests (010-029) ----
# mk_tenant OUT: a partial tenant document (JSON, stdin) becomes a full fixture
# in OUT: the running fake cloud's tenantId, clientId and clientSecret, the
# arrays it lacks, users with userType/accountEnabled, mailboxes with a
# RecipientTypeDetails.
mk_tenant() {
	/usr/bin/python3 -c '
import json, sys
out, tid, cid, secf = sys.argv[1:5]
d = json.load(sys.stdin)
d["tenantId"], d["clientId"] = tid, cid
d["clientSecret"] = open(secf).read().strip()
for k in ("users", "groups", "contacts", "devices", "servicePrincipals", "mailboxes"):
    d.setdefault(k, [])
for u in d["users"]:
    u.setdefault("userType", "Member"); u.setdefault("accountEnabled", True)
for m in d["mailboxes"]:
    m.setdefault("RecipientTypeDetails", "UserMailbox")
json.dump(d, open(out, "w"), ensure_ascii=False, indent=1)
' "$1" "$CLOUD_TENANT_ID" "$CLOUD_CLIENT_ID" "$CLOUD_SECRET_FILE"
}
# jpy FILE EXPR [ARG...]: print a Python expression over the JSON in FILE (as
# d; the ARGs as the list a); lists and dicts print as JSON, None as nothing.
jpy() {
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); a = sys.argv[3:]
r = eval(sys.argv[2])
if isinstance(r, (list, dict)): print(json.dumps(r, ensure_ascii=False, sort_keys=True))
elif r is not None: print(r)
' "$@"
}
# jtrue FILE EXPR [ARG...]: succeeds when the expression over d (and a) is true;
# fails when FILE is not JSON.
jtrue() {
	/usr/bin/python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
a = sys.argv[3:]
sys.exit(0 if eval(sys.argv[2]) else 1)
' "$@"
}
# sb_plan OUT [OPTS]: plan --format json into OUT, stderr into OUT.err; its exit code.
sb_plan() { local o=$1; shift; "$SOABRIDGE" -c "$(lab_conf)" "$@" plan --format json >"$o" 2>"$o.err"; }
# sb_sync OUT [OPTS]: sync --format json into OUT, stderr into OUT.err; its exit code.
sb_sync() { local o=$1; shift; "$SOABRIDGE" -c "$(lab_conf)" "$@" sync --format json >"$o" 2>"$o.err"; }
# has_change FILE DN: the plan in FILE has a change of DN.
has_change() { jtrue "$1" "any((c['dn'] or '').lower() == a[0].lower() for c in d['changes'])" "$2"; }
# has_finding FILE KIND DN-or-cloud-id: the plan in FILE has such a finding.
has_finding() {
	jtrue "$1" "any(f['kind'] == a[0] and a[1].lower() in ((f['dn'] or '').lower(), (f['cloud_id'] or '').lower()) for f in d['findings'])" "$2" "$3"
}
# usn_map BASE [FILTER]: "dn<TAB>uSNChanged" of every entry, sorted.
usn_map() {
	ad_json "$1" "${2:-(objectClass=*)}" uSNChanged | /usr/bin/python3 -c '
import json, sys
for dn, e in sorted(json.load(sys.stdin).items()): print(dn + "\t" + e["uSNChanged"][0])'
}
# attrs_of DN: every user attribute of DN as one sorted JSON line (uSNChanged
# and whenChanged left out), to compare before and after.
attrs_of() {
	ad_json "$1" "(objectClass=*)" -s base | /usr/bin/python3 -c '
import json, sys
for e in json.load(sys.stdin).values():
    for k in ("uSNChanged", "whenChanged"): e.pop(k, None)
    print(json.dumps(e, sort_keys=True, ensure_ascii=False))'
}
# same_vals "desc" DN ATTR VALUE...: DN's ATTR holds exactly these values (a set,
# compared byte for byte, no duplicates); no VALUE: the attribute is absent.
same_vals() {
	local d=$1 dn=$2 attr=$3; shift 3
	ad_json "$dn" "(objectClass=*)" -s base "$attr" > "$T/same_vals.json"
	if /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); attr = sys.argv[2]; want = sys.argv[3:]
have = [v for e in d.values() for k, vs in e.items() if k.lower() == attr.lower() for v in vs]
if sorted(have) == sorted(want): sys.exit(0)
print("#   have: %s" % json.dumps(sorted(have), ensure_ascii=False))
print("#   want: %s" % json.dumps(sorted(want), ensure_ascii=False))
sys.exit(1)' "$T/same_vals.json" "$attr" "$@"; then ok "$d"; else nok "$d"; fi
}
# hex_b64 HEX: base64 of the bytes HEX spells (an mS-DS-ConsistencyGuid in LDIF, an immutableId).
hex_b64() { /usr/bin/python3 -c 'import base64, sys; print(base64.b64encode(bytes.fromhex(sys.argv[1])).decode())' "$1"; }
# within SECONDS COMMAND...: polls the command every half second until it succeeds.
within() {
	local n=$(($1 * 2)); shift
	while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.5; n=$((n - 1)); done
	return 1
}
# not CMD...: succeeds when CMD fails (for check "..." not CMD).
not() { ! "$@"; }
