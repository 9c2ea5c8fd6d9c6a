#!/bin/sh
# tls.sh -- the lab CA and the certificates it signs, for the Samba DC and the fake cloud.
#   tls.sh ca                 make tests/lab/run/tls/ca.pem + ca.key once (kept across lab resets)
#   tls.sh cert NAME [DNS...] make tests/lab/run/tls/NAME.pem + NAME.key for 127.0.0.1, localhost and
#                             the DNS names given (a certificate lacking one of them is made anew)
# Idempotent: existing files are kept.  Keys are 0600 (Samba refuses a readable TLS key).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${LAB_TLS_DIR:-$HERE/run/tls}
umask 077
mkdir -p "$DIR"

make_ca() {
	[ -s "$DIR/ca.pem" ] && [ -s "$DIR/ca.key" ] && return 0
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
	    -subj "/CN=soabridge lab CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -keyout "$DIR/ca.key" -out "$DIR/ca.pem" 2>/dev/null
	chmod 644 "$DIR/ca.pem"
}

# has_names PEM DNS...: the certificate covers every name.
has_names() {
	pem=$1
	shift
	for n in "$@"; do
		openssl x509 -in "$pem" -noout -checkhost "$n" 2>/dev/null | grep -q 'does match' || return 1
	done
}

make_cert() {
	name=$1
	shift
	extra=""
	for n in "$@"; do extra="$extra,DNS:$n"; done
	[ -s "$DIR/$name.pem" ] && [ -s "$DIR/$name.key" ] && has_names "$DIR/$name.pem" "$@" && return 0
	make_ca
	openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$name.lab.test" \
	    -keyout "$DIR/$name.key" -out "$DIR/$name.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:%s.lab.test%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
	    "$name" "$extra" > "$DIR/$name.ext"
	openssl x509 -req -in "$DIR/$name.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
	    -CAcreateserial -days 3650 -sha256 -extfile "$DIR/$name.ext" \
	    -out "$DIR/$name.pem" 2>/dev/null
	rm -f "$DIR/$name.csr" "$DIR/$name.ext"
	chmod 644 "$DIR/$name.pem"
}

case "${1:-}" in
ca)	make_ca ;;
cert)	name=${2:-}
	[ -n "$name" ] || { echo "usage: $0 cert NAME" >&2; exit 2; }
	shift 2
	make_cert "$name" "$@" ;;
*)	echo "usage: $0 ca | cert NAME" >&2; exit 2 ;;
esac
