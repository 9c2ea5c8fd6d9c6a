"""Certificate credentials: client_assertion JWTs signed with openssl (PS256 and RS256) are
accepted exactly when the identity platform would accept them."""

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
        cls.other_key, _, _ = make_certificate(cls.tmp.name, "other")
        doc = tenant()
        doc["clientCertificates"] = [cls.pem]
        cls.server = Server(doc)
        cls.token_url = "%s/%s/oauth2/v2.0/token" % (cls.server.base, TENANT_ID)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    def jwt(self, alg="PS256", key=None, **claims):
        now = int(time.time())
        header = {"alg": alg, "typ": "JWT",
                  "x5t#S256": b64url(hashlib.sha256(self.der).digest())}
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

    def assertRefused(self, reply, code):
        self.assertEqual(reply.status, 401, reply)
        self.assertEqual(reply.json["error"], "invalid_client")
        self.assertEqual(reply.json["error_codes"], [code])

    def test_ps256_and_rs256_accepted(self):
        for alg in ("PS256", "RS256"):
            reply = self.login(self.jwt(alg))
            self.assertEqual(reply.status, 200, (alg, reply))
            token = reply.json["access_token"]
            self.assertEqual(self.server.graph("GET", "/users?$top=1", token=token).status, 200)

    def test_wrong_key(self):
        self.assertRefused(self.login(self.jwt(key=self.other_key)), 700027)

    def test_tampered_claims(self):
        head, _, sig = self.jwt().split(".")
        forged = b64url(json.dumps({"aud": self.token_url, "iss": CLIENT_ID, "sub": CLIENT_ID,
                                    "jti": "x", "nbf": 0, "exp": 2 ** 40}).encode())
        self.assertRefused(self.login("%s.%s.%s" % (head, forged, sig)), 700027)

    def test_claims_checked(self):
        self.assertRefused(self.login(self.jwt(aud="https://login.microsoftonline.com/x")), 50027)
        self.assertRefused(self.login(self.jwt(iss="someone-else")), 700021)
        self.assertRefused(self.login(self.jwt(exp=int(time.time()) - 3600,
                                               nbf=int(time.time()) - 7200)), 700024)

    def test_unknown_certificate(self):
        head = b64url(json.dumps({"alg": "PS256", "x5t#S256": "AAAA"}).encode())
        claims = b64url(b"{}")
        self.assertRefused(self.login("%s.%s.%s" % (head, claims, "AAAA")), 700027)


if __name__ == "__main__":
    unittest.main()
