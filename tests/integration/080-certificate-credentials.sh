#!/bin/bash
# 080: issue 14, item 3.  Certificate credentials: with certificate_file and
# private_key_file in place of client_secret_file, soabridge signs a client
# assertion (PS256) for each token request and syncs end to end; a pair the
# app registration does not know is refused by the token endpoint
# (AADSTS700027, exit 1, nothing written); a key that is not the
# certificate's, both credentials at once, or a key file others may read are
# refused before any request.  The certificates are made here (openssl req)
# and registered in the fake's tenant as Graph's keyCredentials.
. "$(dirname "$0")/lib.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"

mkcert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=soabridge-080-$1" \
	    -keyout "$T/$1.key" -out "$T/$1.pem" 2>/dev/null
	chmod 600 "$T/$1.key"
}
mkcert app
mkcert other

# The demo tenant with app.pem registered (the public part, base64 DER).
/usr/bin/python3 - "$TOP/tests/fixtures/demo-tenant.json" "$T/app.pem" "$T/tenant.json" <<'EOF'
import base64, json, ssl, sys
d = json.load(open(sys.argv[1]))
der = ssl.PEM_cert_to_DER_cert(open(sys.argv[2]).read())
d["keyCredentials"] = [{"type": "AsymmetricX509Cert", "usage": "Verify",
                        "key": base64.b64encode(der).decode()}]
json.dump(d, open(sys.argv[3], "w"))
EOF
load_tenant "$T/tenant.json"

# cert_conf NAME CERT KEY: the lab config with the certificate in place of the secret.
cert_conf() {
	sed "s|^  client_secret_file = .*|  certificate_file = \"$2\"\n  private_key_file = \"$3\"|" \
	    "$(lab_conf)" > "$T/$1.conf"
	echo "$T/$1.conf"
}
conf=$(cert_conf good "$T/app.pem" "$T/app.key")
check "the config names no client secret" not grep -q client_secret "$conf"

"$SOABRIDGE" -c "$conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "check-config: certificate_file + private_key_file is configuration OK" \
    [ $rc -eq 0 -a ! -s "$T/err" ]
"$SOABRIDGE" -c "$conf" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
check "check-config --connect: exit 0, both tokens with the certificate" \
    grep -q "cloud: got Graph and Exchange Online tokens" "$T/out"
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | tail -5

"$SOABRIDGE" -c "$conf" -vv sync --format json >"$T/sync.json" 2>"$T/sync.err"; rc=$?
check "sync with the certificate exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.err" | tail -5
check "sync wrote Bob Exchange's cloud-managed attributes" \
    has_change "$T/sync.json" "CN=Bob Exchange,OU=Staff,$LAB_BASE_DN"
"$SOABRIDGE" -c "$conf" plan --format json >"$T/plan.json" 2>"$T/plan.err"; rc=$?
check "a plan after it has nothing left for Bob" \
    not has_change "$T/plan.json" "CN=Bob Exchange,OU=Staff,$LAB_BASE_DN"
keyline=$(sed -n 2p "$T/app.key")
check "-vv output holds no line of the private key" \
    not grep -qF -- "$keyline" "$T/sync.json" "$T/sync.err"
check "-vv output holds no client assertion (no JWT with the PS256 header)" \
    not grep -q 'eyJhbGciOiJQUzI1Ni' "$T/sync.json" "$T/sync.err"

# A consistent pair the app registration does not know: Entra's AADSTS700027.
conf=$(cert_conf other "$T/other.pem" "$T/other.key")
highest=$(highest_usn)
"$SOABRIDGE" -c "$conf" sync >"$T/out" 2>"$T/err"; rc=$?
check "an unregistered certificate: sync exits 1" [ $rc -eq 1 ]
check "and the message names AADSTS700027" grep -q "AADSTS700027" "$T/err"
check "nothing was written to AD" [ "$(highest_usn)" = "$highest" ]

# A key that is not the certificate's: refused when loaded, before any request.
conf=$(cert_conf mixed "$T/app.pem" "$T/other.key")
fake DELETE stats >/dev/null
"$SOABRIDGE" -c "$conf" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
check "a key of another certificate: check-config --connect exits 2" [ $rc -eq 2 ]
check "naming the mismatch" grep -q "private_key_file does not hold the key of the certificate in $T/app.pem" "$T/err"
fake GET stats > "$T/stats.json"
check "and no token was asked for" \
    jtrue "$T/stats.json" "not any(k.endswith('/token') for k in d['requests'])"

# Both credentials at once: a config error naming the line.
sed "s|^  client_secret_file = .*|&\n  certificate_file = \"$T/app.pem\"\n  private_key_file = \"$T/app.key\"|" \
    "$(lab_conf)" > "$T/both.conf"
line=$(grep -n certificate_file "$T/both.conf" | cut -d: -f1)
"$SOABRIDGE" -c "$T/both.conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "a secret and a certificate: check-config exits 2" [ $rc -eq 2 ]
check "naming FILE:LINE: cloud.certificate_file" \
    grep -q "^$T/both.conf:$line: cloud.certificate_file: give one credential" "$T/err"

# The key file is a secret file: others may not read it.
cp "$T/app.key" "$T/open.key"; chmod 644 "$T/open.key"
conf=$(cert_conf open "$T/app.pem" "$T/open.key")
line=$(grep -n private_key_file "$conf" | cut -d: -f1)
"$SOABRIDGE" -c "$conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "a key file of mode 0644: check-config exits 2 naming $conf:$line: cloud.private_key_file" \
    grep -q "^$conf:$line: cloud.private_key_file: .*accessible by group or others" "$T/err"
finish
