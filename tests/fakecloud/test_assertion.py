"""Certificate credentials: client_assertion JWTs signed with openssl (PS256 and RS256) are
accepted exactly when the identity platform would accept them, the certificates registered as
Graph's keyCredentials; refusals come in the identity platform's error shape."""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testlib import CLIENT_ID, GRAPH_SCOPE, TENANT_ID, Server, tenant  # noqa: E402

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def b64url(raw):
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def make_certificate(directory, name):
    key, pem = os.path.join(directory, name + ".key"), os.path.join(directory, name + ".pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=" + name, "-keyout", key, "-out", pem],
                   check=True, capture_output=True)
    der = subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"], check=True,
                         capture_output=True).stdout
    with open(pem) as fh:
        return key, fh.read(), der


class Assertion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.key, cls.pem, cls.der = make_certificate(cls.tmp.name, "app")
        cls.other_key = os.path.join(cls.tmp.name, "other.key")
        cls.other_der = make_certificate(cls.tmp.name, "other")[2]
        doc = tenant()
        # Graph's keyCredential resource (application.keyCredentials)
        doc["keyCredentials"] = [{"type": "AsymmetricX509Cert", "usage": "Verify",
                                  "key": base64.b64encode(cls.der).decode()}]
        cls.server = Server(doc)
        cls.token_url = "%s/%s/oauth2/v2.0/token" % (cls.server.base, TENANT_ID)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    def jwt(self, alg="PS256", key=None, der=None, sha1=False, **claims):
        now = int(time.time())
        der = der or self.der
        header = {"alg": alg, "typ": "JWT"}
        if sha1:
            header["x5t"] = b64url(hashlib.sha1(der).digest())
        else:
            header["x5t#S256"] = b64url(hashlib.sha256(der).digest())
        body = {"aud": self.token_url, "iss": CLIENT_ID, "sub": CLIENT_ID,
                "jti": str(uuid.uuid4()), "nbf": now, "exp": now + 600}
        body.update(claims)
        signing_input = "%s.%s" % (b64url(json.dumps(header).encode()),
                                   b64url(json.dumps(body).encode()))
        cmd = ["openssl", "dgst", "-sha256", "-sign", key or self.key]
        if alg == "PS256":
            cmd += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"]
        sig = subprocess.run(cmd, input=signing_input.encode(), check=True,
                             capture_output=True).stdout
        return signing_input + "." + b64url(sig)

    def login(self, assertion):
        return self.server.call("POST", "/%s/oauth2/v2.0/token" % TENANT_ID, form={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "scope": GRAPH_SCOPE,
            "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion})

    def assertRefused(self, reply, code, text=""):
        self.assertEqual(reply.status, 401, reply)
        self.assertEqual(reply.json["error"], "invalid_client")
        self.assertEqual(reply.json["error_codes"], [code])
        self.assertTrue(reply.json["error_description"].startswith("AADSTS%d: %s" % (code, text)),
                        reply.json["error_description"])
        for key in ("timestamp", "trace_id", "correlation_id"):
            self.assertIn(key, reply.json)

    def test_ps256_and_rs256_accepted(self):
        for alg in ("PS256", "RS256"):
            reply = self.login(self.jwt(alg))
            self.assertEqual(reply.status, 200, (alg, reply))
            token = reply.json["access_token"]
            self.assertEqual(self.server.graph("GET", "/users?$top=1", token=token).status, 200)

    def test_sha1_thumbprint_accepted(self):
        self.assertEqual(self.login(self.jwt(sha1=True)).status, 200)

    def test_signed_with_another_key(self):
        # names the registered certificate, signed with a key that is not its own
        self.assertRefused(self.login(self.jwt(key=self.other_key)), 700027,
                           "Client assertion contains an invalid signature")

    def test_certificate_not_registered(self):
        self.assertRefused(self.login(self.jwt(key=self.other_key, der=self.other_der)), 700027,
                           "The certificate with identifier used to sign the client assertion "
                           "is not registered on application")

    def test_tampered_claims(self):
        head, _, sig = self.jwt().split(".")
        forged = b64url(json.dumps({"aud": self.token_url, "iss": CLIENT_ID, "sub": CLIENT_ID,
                                    "jti": "x", "nbf": 0, "exp": 2 ** 40}).encode())
        self.assertRefused(self.login("%s.%s.%s" % (head, forged, sig)), 700027)

    def test_claims_checked(self):
        now = int(time.time())
        self.assertRefused(self.login(self.jwt(aud="https://login.microsoftonline.com/x")), 50027)
        self.assertRefused(self.login(self.jwt(iss="someone-else")), 700021)
        self.assertRefused(self.login(self.jwt(sub="someone-else")), 700021)
        self.assertRefused(self.login(self.jwt(exp=now - 3600, nbf=now - 7200)), 700024)
        self.assertRefused(self.login(self.jwt(nbf=now + 3600, exp=now + 4000)), 700024)

    def test_skew_of_five_minutes_allowed(self):
        now = int(time.time())
        self.assertEqual(self.login(self.jwt(nbf=now + 120)).status, 200)
        self.assertEqual(self.login(self.jwt(exp=now - 120, nbf=now - 700)).status, 200)

    def test_unknown_certificate(self):
        head = b64url(json.dumps({"alg": "PS256", "x5t#S256": "AAAA"}).encode())
        claims = b64url(b"{}")
        self.assertRefused(self.login("%s.%s.%s" % (head, claims, "AAAA")), 700027,
                           "The certificate with identifier")

    def test_certificates_of_other_types_or_usages_do_not_count(self):
        doc = tenant()
        doc["keyCredentials"] = [
            {"type": "Symmetric", "usage": "Verify", "key": base64.b64encode(self.der).decode()},
            {"type": "AsymmetricX509Cert", "usage": "Sign",
             "key": base64.b64encode(self.der).decode()},
            {"type": "AsymmetricX509Cert", "usage": "Verify", "key": "not base64!"}]
        server = Server(doc)
        try:
            url = "%s/%s/oauth2/v2.0/token" % (server.base, TENANT_ID)
            reply = server.call("POST", "/%s/oauth2/v2.0/token" % TENANT_ID, form={
                "grant_type": "client_credentials", "client_id": CLIENT_ID,
                "scope": GRAPH_SCOPE, "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self.jwt(aud=url)})
            self.assertRefused(reply, 700027, "The certificate with identifier")
        finally:
            server.close()

if __name__ == "__main__":
    unittest.main()
