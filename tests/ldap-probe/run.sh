#!/bin/bash
# tests/ldap-probe/run.sh -- build the ldap/ probe (ASan, UBSan) and run it against the lab DC.
#
#   tests/ldap-probe/run.sh            needs a running lab (tests/lab/lab start)
#
# Fixtures, made as Administrator with ldapmodify, all under OU=ldap-probe,OU=Staff and
# OU=ldap-probe,OU=Groups (the svc account's delegated OUs):
#   OU=paged      1,200 users probe-u0001..1200 (the first 1,000 with department=probe-1000)
#   OU=members    3,000 contacts, members of CN=probe-big (a group with 3,000 members)
#   OU=w          write targets, made afresh each run: CN=probe-w1 and CN=Doe\, John
# The bulk fixtures are kept between runs while complete (a lab reset removes them);
# PROBE_LOAD_BULK=1 loads them offline first (see "run" below).
# Output: the probe's "ok"/"not ok" lines and "N passed, N failed"; the log (debug level) is
# left in $OUT/probe.log. Exit status: the probe's.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENV_FILE=$ROOT/tests/lab/run/lab.env
OUT=${BUILD:-$ROOT/build}/ldap-probe
CC=${CC:-gcc}

[ -r "$ENV_FILE" ] || { echo "run.sh: $ENV_FILE missing: tests/lab/lab start" >&2; exit 2; }
# shellcheck disable=SC1090
. "$ENV_FILE"
: "${LAB_STARTTLS_URI:=${LAB_LDAP_URI/ldaps:/ldap:}}"
export LAB_STARTTLS_URI

mkdir -p "$OUT"
umask 077

# --- build --------------------------------------------------------------------------------------
# PROBE_VALGRIND=1: a plain build run under valgrind instead of ASan/UBSan.
cd "$ROOT"
WARN="-Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla"
if [ -n "${PROBE_VALGRIND:-}" ]; then
	SAN="-O0"
	RUNNER=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect
	    --error-exitcode=9 --log-file="$OUT/valgrind.log")
else
	SAN="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
	RUNNER=()
fi
# shellcheck disable=SC2086
# ldap/kerberos.c and ldap/sasl.c (GSSAPI binds) need MIT krb5, its GSSAPI and Cyrus SASL;
# ldap/srv.c (DCs from DNS SRV records) needs libresolv.
$CC -std=c11 -pthread -D_DEFAULT_SOURCE -g $SAN $WARN -I. $(pkg-config --cflags krb5 krb5-gssapi libsasl2) \
    -o "$OUT/probe" tests/ldap-probe/probe.c ldap/*.c mapping/*.c agent/log.c \
    -lldap -llber $(pkg-config --libs krb5 krb5-gssapi libsasl2) -lresolv

# --- a CA that did not sign the DC's certificate -----------------------------------------------
if [ ! -s "$OUT/bad-ca.pem" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 -subj "/CN=not the lab CA" \
	    -addext "basicConstraints=critical,CA:TRUE" -keyout "$OUT/bad-ca.key" \
	    -out "$OUT/bad-ca.pem" 2>/dev/null
fi

# --- fixtures -----------------------------------------------------------------------------------
ADMIN_PW_FILE=$OUT/admin.secret
printf '%s' "$LAB_ADMIN_PW" >"$ADMIN_PW_FILE"
trap 'rm -f "$ADMIN_PW_FILE"' EXIT
export LDAPTLS_CACERT=$LAB_CA_FILE LDAPTLS_REQCERT=demand
admin_args=(-x -H "$LAB_LDAP_URI" -D "$LAB_ADMIN_DN" -y "$ADMIN_PW_FILE" -o nettimeout=10)

OU="OU=ldap-probe,OU=Staff,$LAB_BASE_DN"
GOU="OU=ldap-probe,OU=Groups,$LAB_BASE_DN"

count() {	# count BASE FILTER: entries below BASE (one level) matching FILTER
	ldapsearch "${admin_args[@]}" -LLL -E pr=1000/noprompt -b "$1" -s one "$2" 1.1 2>/dev/null \
	    | grep -c '^dn:' || true
}
members() {
	ldapsearch "${admin_args[@]}" -LLL -b "$1" -s base '(objectClass=*)' member 2>/dev/null \
	    | grep -c '^member:' || true
}
exists() {
	ldapsearch "${admin_args[@]}" -LLL -b "$1" -s base '(objectClass=*)' 1.1 >/dev/null 2>&1
}
delete_tree() {
	if exists "$1"; then ldapdelete "${admin_args[@]}" -r "$1" 2>"$OUT/ldapdelete.err" \
	    || { echo "# deleting $1 failed:"; sed 's/^/#   /' "$OUT/ldapdelete.err" | tail -3; return 1; }; fi
}
add() {		# add < LDIF; stops at the first failure
	if ! ldapmodify "${admin_args[@]}" -a >/dev/null 2>"$OUT/ldapmodify.err"; then
		echo "# creating fixtures failed:"
		sed 's/^/#   /' "$OUT/ldapmodify.err" | tail -3
		return 1
	fi
}

# The lab may be restarting (its author resets it): wait for it a while.
lab_pid() { "$ROOT/tests/lab/lab" status 2>/dev/null | sed -n 's/^pid //p'; }
wait_lab() {
	local i
	for i in $(seq "${PROBE_WAIT_LAB:-120}"); do
		"$ROOT/tests/lab/lab" status >/dev/null 2>&1 && return 0
		[ "$i" = 1 ] && echo "# waiting for the lab DC (tests/lab/lab status)"
		sleep 1
	done
	echo "Bail out! the lab DC is not running (tests/lab/lab start)" >&2
	exit 2
}

# The bulk fixtures as LDIF (added over LDAP below, or offline by PROBE_LOAD_BULK).
bulk_ldif() {
	awk -v ou="$OU" 'BEGIN {
		printf "dn: %s\nobjectClass: organizationalUnit\nou: ldap-probe\n\n", ou
		printf "dn: OU=paged,%s\nobjectClass: organizationalUnit\nou: paged\n\n", ou
		printf "dn: OU=members,%s\nobjectClass: organizationalUnit\nou: members\n\n", ou
		for (i = 1; i <= 1200; i++) {
			printf "dn: CN=probe-u%04d,OU=paged,%s\nobjectClass: user\n", i, ou
			printf "sAMAccountName: probe-u%04d\n", i
			if (i <= 1000) printf "department: probe-1000\n"
			printf "\n"
		}
		for (i = 1; i <= 3000; i++)
			printf "dn: CN=probe-c%04d,OU=members,%s\nobjectClass: contact\n\n", i, ou
		printf "dn: CN=probe-big,%s\nobjectClass: group\nsAMAccountName: probe-big\n", ou
		for (i = 1; i <= 3000; i++)
			printf "member: CN=probe-c%04d,OU=members,%s\n", i, ou
		printf "\n"
	}'
}

fixtures() {
	local t0
	t0=$(date +%s)
	if [ "$(count "OU=paged,$OU" '(objectClass=user)')" != 1200 ] \
	    || [ "$(count "OU=members,$OU" '(objectClass=contact)')" != 3000 ] \
	    || [ "$(members "CN=probe-big,$OU")" != 3000 ]; then
		echo "# creating fixtures under $OU (1,200 users, 3,000 contacts, a 3,000-member group)"
		delete_tree "$OU" || return 1
		bulk_ldif | add || return 1
	fi
	delete_tree "OU=w,$OU" || return 1
	delete_tree "$GOU" || return 1
	add <<EOF || return 1
dn: OU=w,$OU
objectClass: organizationalUnit
ou: w

dn: CN=probe-w1,OU=w,$OU
objectClass: user
sAMAccountName: probe-w1

dn: CN=Doe\\, John,OU=w,$OU
objectClass: user
sAMAccountName: probe-doej

dn: $GOU
objectClass: organizationalUnit
ou: ldap-probe

dn: OU=sub,$GOU
objectClass: organizationalUnit
ou: sub
EOF
	echo "# fixtures ready in $(( $(date +%s) - t0 )) s"
}

# --- run ----------------------------------------------------------------------------------------
# PROBE_LOAD_BULK=1 (tests/integration/005): the lab DC becomes its clean domain plus the bulk
# fixtures, added offline (tests/lab/lab load: a snapshot, built once), not over LDAP (~40 s).
if [ -n "${PROBE_LOAD_BULK:-}" ]; then
	bulk_ldif >"$OUT/bulk.ldif"
	"$ROOT/tests/lab/lab" load "$OUT/bulk.ldif" >"$OUT/load.log" 2>&1 \
	    || { cat "$OUT/load.log"; echo "Bail out! lab load of the bulk fixtures failed"; exit 2; }
fi
export PROBE_OU=$OU PROBE_GROUPS_OU=$GOU PROBE_BAD_CA=$OUT/bad-ca.pem PROBE_LOG=$OUT/probe.log
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
for attempt in 1 2 3; do
	wait_lab
	pid_before=$(lab_pid)
	if ! fixtures; then
		if [ "$(lab_pid)" != "$pid_before" ] && [ "$attempt" != 3 ]; then
			echo "# the lab DC restarted while making fixtures: again"
			continue
		fi
		echo "Bail out! cannot make the fixtures"
		exit 2
	fi
	rc=0
	"${RUNNER[@]}" "$OUT/probe" >"$OUT/probe.out" 2>"$PROBE_LOG" || rc=$?
	# A restart of the lab under the probe fails everything after it: try again.
	if [ "$rc" != 0 ] && [ "$(lab_pid)" != "$pid_before" ] && [ "$attempt" != 3 ]; then
		echo "# the lab DC restarted during attempt $attempt (pid $pid_before -> $(lab_pid)): again"
		continue
	fi
	break
done
cat "$OUT/probe.out"
if [ -n "${PROBE_VALGRIND:-}" ]; then
	if [ -s "$OUT/valgrind.log" ]; then
		echo "not ok - valgrind report in $OUT/valgrind.log:"
		head -60 "$OUT/valgrind.log"
		rc=1
	else
		echo "ok - no valgrind report"
	fi
elif grep -q 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error:' "$PROBE_LOG"; then
	echo "not ok - sanitizer report in $PROBE_LOG:"
	grep -A20 'ERROR: \(Address\|Leak\)Sanitizer\|runtime error:' "$PROBE_LOG" | head -60
	rc=1
else
	echo "ok - no AddressSanitizer, LeakSanitizer or UBSan report"
fi
exit "$rc"
