"""tests/fixtures/demo-tenant.json: `make demo` and the lab rely on its objects and their
authority states; this keeps an edit from silently changing them."""

import base64
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testlib import ROOT, Server  # noqa: E402

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "demo-tenant.json")
SID_RE = re.compile(r"^S-1-5-21-1111111111-2222222222-3333333333-\d+$")


def user(n):
    return "10000000-0000-4000-8000-%012d" % n


def group(n):
    return "20000000-0000-4000-8000-%012d" % n


class DemoFixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(FIXTURE) as fh:
            cls.doc = json.load(fh)
        cls.server = Server(cls.doc)
        cls.users = {u["id"]: u for u in cls.doc["users"]}
        cls.mailboxes = {m["ExternalDirectoryObjectId"]: m for m in cls.doc["mailboxes"]}

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def soa(self, kind, oid):
        reply = self.server.graph("GET", "/%s/%s/onPremisesSyncBehavior" % (kind, oid))
        self.assertEqual(reply.status, 200, reply)
        return reply.json["isCloudManaged"]

    def test_anchors(self):
        for u in self.doc["users"]:
            if u["id"] == user(5):
                self.assertNotIn("onPremisesImmutableId", u)      # cloud-only
                self.assertNotIn("onPremisesSecurityIdentifier", u)
                continue
            self.assertEqual(len(base64.b64decode(u["onPremisesImmutableId"])), 16)
            self.assertRegex(u["onPremisesSecurityIdentifier"], SID_RE)
        for g in self.doc["groups"]:
            self.assertRegex(g["onPremisesSecurityIdentifier"], SID_RE)

    def test_authority_states(self):
        # Alice: converted (isCloudManaged), no longer synced, identity attributes, a manager.
        self.assertTrue(self.soa("users", user(2)))
        self.assertIsNone(self.users[user(2)]["onPremisesSyncEnabled"])
        self.assertEqual(self.users[user(2)]["manager"], user(1))
        self.assertTrue(self.users[user(2)]["jobTitle"])
        # Bob: synced, Exchange attributes cloud-managed.
        self.assertFalse(self.soa("users", user(3)))
        self.assertTrue(self.users[user(3)]["onPremisesSyncEnabled"])
        self.assertTrue(self.mailboxes[user(3)]["IsExchangeCloudManaged"])
        # Carol and Maria: synced, neither flag (AD is authoritative).
        for n in (1, 4):
            self.assertFalse(self.soa("users", user(n)))
            self.assertTrue(self.users[user(n)]["onPremisesSyncEnabled"])
            self.assertFalse(self.mailboxes[user(n)]["IsExchangeCloudManaged"])
        # Dave: cloud-only.
        self.assertFalse(self.soa("users", user(5)))
        self.assertIsNone(self.users[user(5)]["onPremisesSyncEnabled"])
        # Groups: one cloud-managed security group with members, one AD-managed.
        self.assertTrue(self.soa("groups", group(1)))
        self.assertFalse(self.soa("groups", group(2)))

    def test_mailbox_addresses(self):
        prefixes = {a.split(":", 1)[0] for m in self.doc["mailboxes"] for a in m["EmailAddresses"]}
        self.assertTrue({"SMTP", "smtp", "X500"} <= prefixes)
        multi = [m for m in self.doc["mailboxes"]
                 if len(m.get("ExtensionCustomAttribute1", [])) > 1]
        self.assertTrue(multi)
        value = self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"}).json["value"]
        self.assertEqual(len(value), 5)

    def test_members(self):
        reply = self.server.graph("GET", "/groups/%s/members?$select=id" % group(1))
        types = {m["@odata.type"] for m in reply.json["value"]}
        self.assertEqual(types, {"#microsoft.graph.user", "#microsoft.graph.group",
                                 "#microsoft.graph.device"})


if __name__ == "__main__":
    unittest.main()
