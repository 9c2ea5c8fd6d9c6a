#!/bin/bash
# 058: honest configuration (issue 11, item 7; issue 12, item 7).  A key of the contract that
# this version does not implement, set to anything but its default, is
# refused by check-config and by every command that reads the file: exit 2,
# FILE:LINE: KEY, "not supported yet", and nothing written.  Every key of
# the daemon section is read since issue 14 (082, 084, 086, 087).
. "$(dirname "$0")/lib.sh"

# Its own state_dir: a refused command must not even create it.
conf=$(lab_conf)
sed -i "s|^state_dir = .*|state_dir = \"$T/state\"|" "$conf"
sb() { "$SOABRIDGE" -c "$@"; }

# (certificate credentials, refused here until issue 14, work now: see 080.)
# (GSSAPI binds, refused here until issue 15, work now: see 090-092.  What they do not use is
# refused rather than ignored.)
# bad NAME SED PATTERN: a copy of the lab config changed by SED fails check-config with exit 2
# and a line matching PATTERN.
bad() {
	local f="$T/$1.conf" rc
	sed "$2" "$conf" > "$f"
	sb "$f" check-config >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] && grep -q "$3" "$T/err" && ! grep -q "configuration OK" "$T/out"
	verdict "$1: check-config exits 2: $3"
	[ $rc -eq 2 ] || sed 's/^/# /' "$T/out" "$T/err"
}
bad gssapi-with-password "s|^  password_file = .*|&\n  sasl_mech = \"GSSAPI\"|" \
    "^$T/gssapi-with-password.conf:[0-9]*: ldap.password_file: not used with sasl_mech = \"GSSAPI\""
bad gssapi-without-keytab "s|^  password_file = .*|&\n  sasl_mech = \"GSSAPI\"|" \
    "ldap.keytab_file: required with sasl_mech = \"GSSAPI\""
bad keytab-without-gssapi "s|^  password_file = .*|&\n  keytab_file = \"/etc/krb5.keytab\"|" \
    "ldap.keytab_file: is for sasl_mech = \"GSSAPI\""
bad principal-without-gssapi \
    "s|^  password_file = .*|&\n  principal = \"svc-soabridge@CORP.EXAMPLE.TEST\"|" \
    "ldap.principal: is for sasl_mech = \"GSSAPI\""
bad other-mech "s|^  password_file = .*|&\n  sasl_mech = \"DIGEST-MD5\"|" \
    "ldap.sasl_mech: 'DIGEST-MD5': only \"GSSAPI\""
# issue 15: a list of DCs, or the domain whose SRV records name them, work now
# (095, 097); both together are refused saying which to keep.
sed "s|^  uri = \(.*\)|  uri = {\1, \"ldaps://dc2.corp.example.test\"}|" "$conf" > "$T/l.conf"
sb "$T/l.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "configuration OK$" "$T/out"
verdict "ldap.uri as a list: configuration OK"
sed "s|^  uri = .*|  domain = \"corp.example.test\"|" "$conf" > "$T/d.conf"
sb "$T/d.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "configuration OK$" "$T/out"
verdict "ldap.domain in place of uri: configuration OK"
sed "s|^  password_file = .*|&\n  domain = \"corp.example.test\"|" "$conf" > "$T/b.conf"
line=$(grep -n 'domain = ' "$T/b.conf" | cut -d: -f1)
sb "$T/b.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^$T/b.conf:$line: ldap.domain: 'corp.example.test' with uri: give one" "$T/err"
verdict "ldap.domain beside uri: exit 2, FILE:LINE: ldap.domain saying to keep one"

# issue 12: national clouds are supported now; a name that is none is refused.
for env in usgov usgov-dod china; do
	sed "s|^  client_secret_file = .*|&\n  environment = \"$env\"|" "$conf" > "$T/env.conf"
	sb "$T/env.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 0 ] && grep -q "configuration OK$" "$T/out" && [ ! -s "$T/err" ]
	verdict "environment = \"$env\": configuration OK"
done
sed "s|^  client_secret_file = .*|&\n  environment = \"gcc-high\"|" "$conf" > "$T/env.conf"
line=$(grep -n 'environment = "gcc-high"' "$T/env.conf" | cut -d: -f1)
sb "$T/env.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^$T/env.conf:$line: cloud.environment: 'gcc-high' is not one of global, usgov (GCC High), usgov-dod (DoD), china (21Vianet)" "$T/err"
verdict "environment = \"gcc-high\": exit 2, FILE:LINE: cloud.environment and the names there are"

# issue 12: exchange.proxy_address_exclude is supported now (default {"SPO:"});
# a value that is no address prefix is refused naming it.
sed '$a exchange {\n  proxy_address_exclude = {"SPO:", "sip"}\n}' "$conf" > "$T/x.conf"
sb "$T/x.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "configuration OK$" "$T/out" && [ ! -s "$T/err" ]
verdict "exchange.proxy_address_exclude = {\"SPO:\", \"sip\"}: configuration OK, no warning"
sed '$a exchange {\n  proxy_address_exclude = {"S P:"}\n}' "$conf" > "$T/x.conf"
line=$(grep -n 'proxy_address_exclude' "$T/x.conf" | cut -d: -f1)
sb "$T/x.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^$T/x.conf:$line: exchange.proxy_address_exclude: 'S P:' is not an address prefix" "$T/err"
verdict "proxy_address_exclude = {\"S P:\"}: exit 2, FILE:LINE: KEY naming the value"

# Every command that reads the file refuses it the same way, before it
# connects to anything: sync writes nothing and records no run.
sed "s|^  password_file = .*|&\n  sasl_mech = \"DIGEST-MD5\"|" "$conf" > "$T/c.conf"
line=$(grep -n sasl_mech "$T/c.conf" | cut -d: -f1)
highest=$(highest_usn)
for cmd in plan sync report status runs "undo 1"; do
	sb "$T/c.conf" -v $cmd >/dev/null 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] && grep -q "^$T/c.conf:$line: ldap.sasl_mech: 'DIGEST-MD5': only" "$T/err" &&
	    ! grep -Eq 'ad\.connect|http\.request' "$T/err"
	verdict "$cmd refuses a sasl_mech it has not (exit 2, file:line: key), connecting to nothing"
done
check "nothing was written to AD" [ "$(highest_usn)" = "$highest" ]
check "no state_dir was created" [ ! -e "$T/state" ]

# issue 14: daemon.interval is read (1 to 86400 s); a section holding it
# is no warning any more.
sed '$a daemon {\n  interval = 30\n}' "$conf" > "$T/w.conf"
sb "$T/w.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "configuration OK$" "$T/out" && [ ! -s "$T/err" ]
verdict "daemon { interval = 30 }: configuration OK, no warning"
sed '$a daemon {\n  interval = 0\n}' "$conf" > "$T/w.conf"
line=$(grep -n 'interval = 0' "$T/w.conf" | cut -d: -f1)
sb "$T/w.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^$T/w.conf:$line: daemon.interval: 0 is out of range (1 to 86400)" "$T/err"
verdict "daemon { interval = 0 }: exit 2 naming $T/w.conf:$line: daemon.interval"

# The lab config and the help describe only what exists.
sb "$conf" check-config >"$T/out" 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "configuration OK$" "$T/out" && [ ! -s "$T/err" ]
verdict "the lab config: configuration OK, no warning"
"$SOABRIDGE" --help > "$T/help"
check "--help offers the run command" grep -Eq '^  run( |$)' "$T/help"
check "--help says each cycle is a full read" grep -q "full read of AD and the cloud" "$T/help"
check "--help says there are no incremental cycles yet" grep -q "no incremental" "$T/help"
"$SOABRIDGE" -c "$conf" run now >/dev/null 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "run: takes no arguments" "$T/err"; verdict "'run' with an argument is a usage error (exit 2)"
finish
