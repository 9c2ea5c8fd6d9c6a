#!/bin/bash
# 001: the CLI contract (--version, --help, usage errors) and check-config on
# the generated lab config and on broken ones (exit 2, file:line: key).
. "$(dirname "$0")/lib.sh"

conf=$(lab_conf)

out=$("$SOABRIDGE" --version); rc=$?
check "--version exits 0 and names the version" [ $rc -eq 0 -a "${out#soabridge }" != "$out" ]
out=$("$SOABRIDGE" --help); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q check-config; verdict "--help exits 0 and lists check-config"
"$SOABRIDGE" 2>"$T/err"; rc=$?
check "no command: exit 2" [ $rc -eq 2 ]
check "no command: says so" grep -q "no command given" "$T/err"
"$SOABRIDGE" frobnicate 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown command 'frobnicate'" "$T/err"; verdict "unknown command: exit 2 naming it"
"$SOABRIDGE" --bogus check-config 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "unknown option '--bogus'" "$T/err"; verdict "unknown option: exit 2"
"$SOABRIDGE" -c "$conf" check-config --bogus 2>"$T/err"; rc=$?
check "unknown command argument: exit 2" [ $rc -eq 2 ]

out=$("$SOABRIDGE" -c "$conf" check-config); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "configuration OK"; verdict "generated lab config passes check-config"

# Broken copies: each error names file, line and key, exit 2.
sed 's/^  base_dn = .*/  base_dn = "DC=corp,,DC=x"/' "$conf" > "$T/bad1.conf"
line=$(grep -n 'base_dn' "$T/bad1.conf" | cut -d: -f1)
"$SOABRIDGE" -c "$T/bad1.conf" check-config 2>"$T/err"; rc=$?
check "malformed DN: exit 2" [ $rc -eq 2 ]
check "malformed DN: file:line: ldap.base_dn" grep -q "^$T/bad1.conf:$line: ldap.base_dn: 'DC=corp,,DC=x' is not a valid DN" "$T/err"

sed 's/^  uri = .*/  uri = "ldaps:\/\/127.0.0.1"\n  colour = 3/' "$conf" > "$T/bad2.conf"
line=$(grep -n 'colour' "$T/bad2.conf" | cut -d: -f1)
"$SOABRIDGE" -c "$T/bad2.conf" check-config 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "^$T/bad2.conf:$line: ldap: no such option 'colour'" "$T/err"; verdict "unknown key: exit 2 with file:line"

cp "$LAB_BIND_PW_FILE" "$T/open.secret"; chmod 644 "$T/open.secret"
sed "s|^  password_file = .*|  password_file = \"$T/open.secret\"|" "$conf" > "$T/bad3.conf"
"$SOABRIDGE" -c "$T/bad3.conf" check-config 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "ldap.password_file: $T/open.secret is accessible by group or others" "$T/err"; verdict "world-readable secret: exit 2"
check "the secret itself is not printed" not grep -qF "$(cat "$LAB_BIND_PW_FILE")" "$T/err"

"$SOABRIDGE" -c "$T/missing.conf" check-config 2>"$T/err"; rc=$?
[ $rc -eq 2 ] && grep -q "$T/missing.conf: file: cannot read" "$T/err"; verdict "missing config file: exit 2"
finish
