"""Helpers for the fake cloud's own tests: a small tenant, an in-process server on a free port,
and an HTTPS client that verifies the server against the lab CA (so every test also proves the
certificate is valid for 127.0.0.1)."""

import http.client
import json
import os
import ssl
import subprocess
import sys
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import fakecloud  # noqa: E402

TLS_DIR = os.path.abspath(os.environ.get("LAB_TLS_DIR")
                          or os.path.join(ROOT, "tests", "lab", "run", "tls"))
CA_FILE = os.path.join(TLS_DIR, "ca.pem")

TENANT_ID = "11111111-0000-4000-8000-000000000001"
CLIENT_ID = "11111111-0000-4000-8000-000000000002"
SECRET = "test-secret~0001"
APP = CLIENT_ID.replace("-", "")
EXT_DN = "extension_%s_OnPremisesDN" % APP
GRAPH_SCOPE = "https://graph.microsoft.com/.default"
EXO_SCOPE = "https://outlook.office365.com/.default"


def uid(n):
    return "aaaaaaaa-0000-4000-8000-%012d" % n


def gid(n):
    return "bbbbbbbb-0000-4000-8000-%012d" % n


CONTACT = "cccccccc-0000-4000-8000-000000000001"
DEVICE = "dddddddd-0000-4000-8000-000000000001"
SP = "eeeeeeee-0000-4000-8000-000000000001"


def _user(n, **extra):
    user = {"id": uid(n), "userPrincipalName": "user%d@corp.example.test" % n,
            "displayName": "User %d" % n, "givenName": "User", "surname": "N%d" % n,
            "mail": "user%d@corp.example.test" % n, "onPremisesSyncEnabled": True,
            "onPremisesImmutableId": "AAAAAAAAAAAAAAAAAAAAA%d==" % n,
            "onPremisesSecurityIdentifier": "S-1-5-21-1-2-3-%d" % (1000 + n)}
    user.update(extra)
    return user


def tenant():
    """Seven users (user 1 cloud-managed, user 2 managed by user 1, user 7 cloud-only), two
    groups with typed members, a contact, a device, a service principal, and mailboxes of all
    kinds the cmdlets tell apart."""
    users = [_user(n) for n in range(1, 8)]
    users[0].update({"onPremisesSyncEnabled": None, "jobTitle": "Boss",
                     "onPremisesSyncBehavior": {"isCloudManaged": True}})
    users[1].update({"manager": uid(1), "jobTitle": "Engineer", "businessPhones": ["+1 555 2"]})
    users[6] = {"id": uid(7), "userPrincipalName": "cloud7@example.onmicrosoft.com",
                "displayName": "Cloud Seven", "onPremisesSyncEnabled": None}
    groups = [
        {"id": gid(1), "displayName": "SG One", "securityEnabled": True, "mailEnabled": False,
         "groupTypes": [], "onPremisesSyncBehavior": {"isCloudManaged": True},
         "onPremisesSecurityIdentifier": "S-1-5-21-1-2-3-2001",
         "members": [uid(1), uid(2), gid(2), CONTACT, DEVICE, SP],
         EXT_DN: "CN=SG One,OU=Groups,DC=corp,DC=example,DC=test"},
        {"id": gid(2), "displayName": "DL Two", "securityEnabled": False, "mailEnabled": True,
         "groupTypes": [], "onPremisesSyncEnabled": True, "members": [uid(3)]},
    ]
    mailboxes = [
        {"ExternalDirectoryObjectId": uid(n), "Alias": "user%d" % n,
         "EmailAddresses": ["SMTP:user%d@corp.example.test" % n, "smtp:u%d@corp.example.test" % n,
                            "X500:/o=ExchangeLabs/ou=Exchange Administrative Group/cn=u%d" % n],
         "IsDirSynced": n != 1, "IsExchangeCloudManaged": n == 3,
         "RecipientTypeDetails": "UserMailbox"} for n in range(1, 6)]
    mailboxes[2].update({"CustomAttribute1": "Sales",
                         "ExtensionCustomAttribute1": ["a", "b"]})
    mailboxes.append({"ExternalDirectoryObjectId": uid(6), "Alias": "shared6",
                      "EmailAddresses": ["SMTP:shared6@corp.example.test"],
                      "RecipientTypeDetails": "SharedMailbox", "IsDirSynced": True})
    mailboxes.append({"ExternalDirectoryObjectId": uid(7), "Alias": "cloud7",
                      "EmailAddresses": ["SMTP:cloud7@example.com"],
                      "RecipientTypeDetails": "MailUser", "IsDirSynced": False})
    return {"tenantId": TENANT_ID, "clientId": CLIENT_ID, "clientSecret": SECRET,
            "domains": ["corp.example.test"], "users": users, "groups": groups,
            "contacts": [{"id": CONTACT, "displayName": "Contact One", "mail": "c1@example.org",
                          "onPremisesSyncEnabled": True}],
            "devices": [{"id": DEVICE, "displayName": "Device One"}],
            "servicePrincipals": [{"id": SP, "displayName": "App One"}],
            "mailboxes": mailboxes}


def certificate():
    """The fake cloud's certificate from the lab CA (tests/lab/tls.sh makes it once)."""
    subprocess.run([os.path.join(ROOT, "tests", "lab", "tls.sh"), "cert", "fakecloud"],
                   check=True, stdin=subprocess.DEVNULL)
    return os.path.join(TLS_DIR, "fakecloud.pem"), os.path.join(TLS_DIR, "fakecloud.key")


def _internal_errors_only(line):
    if "internal error" in line:
        sys.stderr.write(line + "\n")


class Reply:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.json = json.loads(raw) if raw else None
        except ValueError:
            self.json = None            # plain text (Exchange under load) or a cut body

    def header(self, name):
        return self.headers.get(name)

    def __repr__(self):
        return "<Reply %d %s>" % (self.status, self.raw[:300])


class Server:
    """One in-process fake cloud on a free port, with a client for it."""

    def __init__(self, doc=None):
        pem, key = certificate()
        doc = doc or tenant()
        self.tenant_id, self.client_id = doc["tenantId"], doc["clientId"]
        self.secret = doc["clientSecret"]
        # Only the fake's own bugs reach stderr; the access log would drown the test output.
        self.app = fakecloud.App(doc, log=_internal_errors_only)
        self.httpd = fakecloud.make_server(self.app, 0, pem, key)
        self.port = self.httpd.server_address[1]
        self.base = "https://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.ssl = ssl.create_default_context(cafile=CA_FILE)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def call(self, method, url, body=None, headers=None, form=None, token=None):
        """One request; url may be a path or an absolute link.  Errors are replies too."""
        if not url.startswith("https://"):
            url = self.base + url
        headers = dict(headers or {})
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if token:
            headers["Authorization"] = "Bearer " + token
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, context=self.ssl, timeout=10) as resp:
                return Reply(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as err:
            with err:
                return Reply(err.code, err.headers, err.read())

    def connection(self):
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ssl, timeout=10)

    # -- the services, as the agent uses them ----------------------------------------------
    def token_reply(self, scope=GRAPH_SCOPE, tenant_id=None, **fields):
        form = {"grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.secret, "scope": scope}
        form.update(fields)
        form = {k: v for k, v in form.items() if v is not None}
        return self.call("POST", "/%s/oauth2/v2.0/token" % (tenant_id or self.tenant_id),
                         form=form)

    def token(self, scope=GRAPH_SCOPE):
        reply = self.token_reply(scope)
        assert reply.status == 200, reply
        return reply.json["access_token"]

    def graph(self, method, path, body=None, token=None, headers=None):
        return self.call(method, path if path.startswith("https://") else "/v1.0" + path,
                         body=body, token=token or self.token(), headers=headers)

    def exo(self, cmdlet, params=None, url=None, token=None, headers=None, query=""):
        """InvokeCommand; query ("$select=...") goes after the path, headers are added."""
        body = {"CmdletInput": {"CmdletName": cmdlet, "Parameters": params or {}}}
        url = url or "/adminapi/beta/%s/InvokeCommand%s" % (self.tenant_id,
                                                             "?" + query if query else "")
        anchor = "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@" + self.tenant_id
        return self.call("POST", url, body=body, token=token or self.token(EXO_SCOPE),
                         headers=dict(headers or {}, **{"X-AnchorMailbox": anchor}))

    def admin(self, method, path, body=None):
        reply = self.call(method, "/_fake/" + path, body=body)
        assert reply.status < 300, reply
        return reply.json

    def reset(self, doc=None):
        self.admin("PUT", "tenant", doc or tenant())
        self.admin("DELETE", "faults")
        self.admin("DELETE", "config")
        self.admin("DELETE", "stats")


class ServerCase(unittest.TestCase):
    """A test case class sharing one server; every test starts from the same tenant."""

    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.server.reset()

    def assertGraphError(self, reply, status, code, message_part=None):
        self.assertEqual(reply.status, status, reply)
        self.assertTrue(reply.header("Content-Type").startswith("application/json"))
        err = reply.json["error"]
        self.assertEqual(err["code"], code, reply)
        if message_part is not None:
            self.assertIn(message_part, err["message"])
        inner = err["innerError"]
        self.assertRegex(inner["date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
        self.assertTrue(inner["request-id"])
        self.assertTrue(inner["client-request-id"])
        return err

