"""Certificate credentials: verify a client_assertion JWT the way the identity platform does
(reference/graph-exo-protocol.md section 1), with Debian's python3-cryptography for the RSA
signature (imported only when an assertion arrives: secret logins need nothing beyond the
standard library).

The tenant fixture lists the app's certificates as Graph lists them on the application object:
"keyCredentials": [{"type": "AsymmetricX509Cert", "usage": "Verify", "key": "<base64 DER>"}]
(Graph's keyCredential resource, https://learn.microsoft.com/graph/api/resources/keycredential).
The JWT header names its certificate by x5t#S256 (or the older x5t, SHA-1); the signature is
PS256 (RSASSA-PSS, SHA-256, MGF1-SHA-256, salt of 32 bytes as RFC 7518 3.5 fixes it) or RS256
(RSASSA-PKCS1-v1_5); aud must be the token URL, iss and sub the client id, and the current time
within nbf..exp (five minutes' skew allowed).  verify() returns None or (AADSTS number, text).
"""

import base64
import binascii
import hashlib
import json
import time

SKEW = 300


def _b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url_encode(raw):
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def registered_certificates(store):
    """The DER certificates of the fixture's keyCredentials that may sign (type
    AsymmetricX509Cert, usage Verify); malformed entries are skipped."""
    out = []
    for cred in store.doc_extra.get("keyCredentials") or []:
        if not isinstance(cred, dict) or cred.get("type") != "AsymmetricX509Cert" \
                or cred.get("usage", "Verify") != "Verify":
            continue
        try:
            out.append(base64.b64decode(cred.get("key") or "", validate=True))
        except (binascii.Error, ValueError, TypeError):
            continue
    return out


def _find_certificate(header, ders):
    for der in ders:
        if header.get("x5t#S256") == _b64url_encode(hashlib.sha256(der).digest()):
            return der
        if header.get("x5t") == _b64url_encode(hashlib.sha1(der).digest()):
            return der
    return None


def _signature_ok(der, alg, message, sig):
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    try:
        key = x509.load_der_x509_certificate(der).public_key()
    except ValueError:
        return False
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    if alg == "PS256":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    else:
        pad = padding.PKCS1v15()
    try:
        key.verify(sig, message, pad, hashes.SHA256())
    except InvalidSignature:
        return False
    return True


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
    thumb = header.get("x5t#S256") or header.get("x5t")
    der = _find_certificate(header, registered_certificates(store))
    if der is None:
        return 700027, ("The certificate with identifier used to sign the client assertion is "
                        "not registered on application. [Reason - The key was not found., "
                        "Thumbprint of key used by client: '%s']" % thumb)
    message = ("%s.%s" % (head_b64, claims_b64)).encode("ascii")
    if not _signature_ok(der, alg, message, sig):
        return 700027, ("Client assertion contains an invalid signature. [Reason - The provided "
                        "signature value did not match the expected signature value., "
                        "Thumbprint of key used by client: '%s']" % thumb)
    return _check_claims(claims, store, token_url)


def _check_claims(claims, store, token_url):
    aud = claims.get("aud")
    if not isinstance(aud, str) or aud.lower().rstrip("/") != token_url.lower():
        # Unsure: Microsoft documents no code for this case; 50027 ("invalid JWT") is what
        # clients report for a client assertion whose aud is not the token endpoint.
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
