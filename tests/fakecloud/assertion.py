"""Certificate credentials: verify a client_assertion JWT the way the identity platform does
(reference/graph-exo-protocol.md section 1), with the standard library only.

The tenant fixture lists the app's certificates under "clientCertificates" (PEM text, or the
absolute path of a PEM file).  The JWT header names its certificate by x5t#S256 (or the older
x5t, SHA-1); the signature is PS256 (RSASSA-PSS, SHA-256, MGF1-SHA-256) or RS256
(RSASSA-PKCS1-v1_5); aud must be the token URL, iss and sub the client id, and the current time
within nbf..exp (five minutes' skew allowed).  verify() returns None or (AADSTS number, text).
"""

import base64
import hashlib
import hmac
import json
import re
import time

SKEW = 300
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
PEM_RE = re.compile(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)


def _b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url_encode(raw):
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


# -- certificates ---------------------------------------------------------------------------------

def _der_items(buf):
    """The TLV items of a DER constructed value, as (tag, content) pairs."""
    items, pos = [], 0
    while pos < len(buf):
        tag, length = buf[pos], buf[pos + 1]
        pos += 2
        if length & 0x80:
            n = length & 0x7F
            length = int.from_bytes(buf[pos:pos + n], "big")
            pos += n
        items.append((tag, buf[pos:pos + length]))
        pos += length
    return items


def rsa_public_key(der):
    """(n, e) from an X.509 certificate: Certificate -> tbsCertificate -> subjectPublicKeyInfo."""
    tbs = _der_items(_der_items(der)[0][1])[0][1]
    fields = _der_items(tbs)
    first = 1 if fields[0][0] == 0xA0 else 0          # [0] version is optional
    spki = _der_items(fields[first + 5][1])
    bits = spki[1][1]
    n_item, e_item = _der_items(_der_items(bits[1:])[0][1])
    return int.from_bytes(n_item[1], "big"), int.from_bytes(e_item[1], "big")


def load_certificates(store):
    """[(der, n, e)] for the fixture's clientCertificates; unreadable entries are skipped."""
    out = []
    for entry in store.doc_extra.get("clientCertificates") or []:
        text = entry
        if isinstance(entry, str) and entry.startswith("/"):
            try:
                with open(entry, encoding="ascii") as fh:
                    text = fh.read()
            except OSError:
                continue
        for block in PEM_RE.findall(text if isinstance(text, str) else ""):
            try:
                der = base64.b64decode("".join(block.split()))
                out.append((der,) + rsa_public_key(der))
            except (ValueError, IndexError):
                continue
    return out


# -- RSA signatures -------------------------------------------------------------------------------

def _verify_pkcs1(n, e, message, sig):
    k = (n.bit_length() + 7) // 8
    if len(sig) != k:
        return False
    em = pow(int.from_bytes(sig, "big"), e, n).to_bytes(k, "big")
    t = SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return hmac.compare_digest(em, expected)


def _mgf1(seed, length):
    out, counter = b"", 0
    while len(out) < length:
        out += hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
    return out[:length]


def _verify_pss(n, e, message, sig):
    """EMSA-PSS-VERIFY (RFC 8017 9.1.2) with SHA-256; any salt length."""
    h_len = 32
    mod_bits = n.bit_length()
    em_bits = mod_bits - 1
    em_len = (em_bits + 7) // 8
    if len(sig) != (mod_bits + 7) // 8:
        return False
    m = pow(int.from_bytes(sig, "big"), e, n)
    if m.bit_length() > em_bits:
        return False
    em = m.to_bytes(em_len, "big")
    if em_len < h_len + 2 or em[-1] != 0xBC:
        return False
    masked, digest = em[:em_len - h_len - 1], em[em_len - h_len - 1:-1]
    top_bits = 8 * em_len - em_bits
    if top_bits and masked[0] >> (8 - top_bits):
        return False
    db = bytearray(a ^ b for a, b in zip(masked, _mgf1(digest, len(masked))))
    db[0] &= 0xFF >> top_bits
    sep = next((i for i, b in enumerate(db) if b != 0), None)
    if sep is None or db[sep] != 0x01:
        return False
    salt = bytes(db[sep + 1:])
    expected = hashlib.sha256(b"\x00" * 8 + hashlib.sha256(message).digest() + salt).digest()
    return hmac.compare_digest(digest, expected)


# -- the assertion --------------------------------------------------------------------------------

def verify(assertion, store, token_url):
    try:
        head_b64, claims_b64, sig_b64 = assertion.split(".")
        header, claims = json.loads(_b64url(head_b64)), json.loads(_b64url(claims_b64))
        sig = _b64url(sig_b64)
    except (ValueError, TypeError):
        return 50027, "JWT token is invalid or malformed."
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return 50027, "JWT token is invalid or malformed."
    alg = header.get("alg")
    if alg not in ("PS256", "RS256"):
        return 5002738, "Invalid JWT token. '%s' is not a supported signature algorithm." % alg
    cert = _find_certificate(header, load_certificates(store))
    if cert is None:
        thumb = header.get("x5t#S256") or header.get("x5t")
        return 700027, ("Client assertion failed signature validation. Reason - The key was not "
                        "found. Thumbprint of key used by client: '%s'." % thumb)
    _, n, e = cert
    message = ("%s.%s" % (head_b64, claims_b64)).encode("ascii")
    check = _verify_pss if alg == "PS256" else _verify_pkcs1
    if not check(n, e, message, sig):
        return 700027, ("Client assertion failed signature validation. Reason - The provided "
                        "signature value did not match the expected signature value.")
    return _check_claims(claims, store, token_url)


def _find_certificate(header, certs):
    for cert in certs:
        der = cert[0]
        if header.get("x5t#S256") == _b64url_encode(hashlib.sha256(der).digest()):
            return cert
        if header.get("x5t") == _b64url_encode(hashlib.sha1(der).digest()):
            return cert
    return None


def _check_claims(claims, store, token_url):
    aud = claims.get("aud")
    if not isinstance(aud, str) or aud.lower().rstrip("/") != token_url.lower():
        return 50027, ("Invalid JWT token. The audience '%s' is not the token endpoint '%s'."
                       % (aud, token_url))
    if claims.get("iss") != claims.get("sub") or str(claims.get("iss", "")).lower() \
            != store.client_id.lower():
        return 700021, ("Client assertion application identifier doesn't match 'client_id' "
                        "parameter.")
    if not claims.get("jti"):
        return 50027, "Invalid JWT token. The 'jti' claim is required."
    now = time.time()
    nbf, exp = claims.get("nbf", 0), claims.get("exp")
    if not isinstance(exp, (int, float)) or not isinstance(nbf, (int, float)) \
            or now + SKEW < nbf or now - SKEW > exp:
        return 700024, ("Client assertion is not within its valid time range. Current time: %d, "
                        "assertion valid from %s, expiry time of assertion %s."
                        % (now, nbf, exp))
    return None
