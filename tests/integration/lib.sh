# lib.sh -- helpers sourced by tests/integration/NNN-*.sh.
# Gives: $SOABRIDGE, lab.env and cloud.env variables, a scratch dir $T,
# ok/check/finish for TAP-like output, and ldapsearch/ldapmodify wrappers.
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SOABRIDGE=${SOABRIDGE:-$TOP/build/soabridge}
. "$TOP/tests/lab/run/lab.env"
. "$TOP/tests/fakecloud/run/cloud.env"
export LDAPTLS_CACERT="$LAB_CA_FILE" LDAPTLS_REQCERT=demand
T=$(mktemp -d /tmp/sbinteg.XXXXXX)
trap 'rm -rf "$T"' EXIT
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
