"""The bench's own pieces (make bench): the generator's tenant and AD agree with each other and
with what the issue asks of them, the fake cloud takes the tenant, and plan2ldif writes each kind
of change as ldapmodify expects it.

    /usr/bin/python3 -m unittest discover -s tests/bench -p 'test_*.py' -v
"""
import base64
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fakecloud"))

import gen  # noqa: E402
import plan2ldif  # noqa: E402
import store  # noqa: E402

SCALE = 400


def ldif_entries(text):
    """{dn: {attr: [values]}} of an LDIF of adds (base64 values decoded)."""
    out = {}
    for block in text.split("\n\n"):
        attrs, dn = {}, None
        for line in block.splitlines():
            if line.startswith("#") or not line:
                continue
            if ":: " in line:
                k, v = line.split(":: ", 1)
                v = base64.b64decode(v).decode("latin-1")
            else:
                k, v = line.split(": ", 1)
            if k == "dn":
                dn = v
            else:
                attrs.setdefault(k, []).append(v)
        if dn:
            out[dn] = attrs
    return out


class Generated(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        assert gen.main(["gen.py", str(SCALE), cls.dir.name]) == 0
        with open(os.path.join(cls.dir.name, "tenant.json")) as f:
            cls.tenant = json.load(f)
        with open(os.path.join(cls.dir.name, "ad.ldif")) as f:
            cls.ad = ldif_entries(f.read())
        with open(os.path.join(cls.dir.name, "meta.json")) as f:
            cls.meta = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_the_fake_cloud_takes_the_tenant(self):
        store.Store(self.tenant)

    def test_the_same_scale_gives_the_same_files(self):
        with tempfile.TemporaryDirectory() as other:
            gen.main(["gen.py", str(SCALE), other])
            for name in ("ad.ldif", "tenant.json"):
                with open(os.path.join(other, name), "rb") as a, \
                        open(os.path.join(self.dir.name, name), "rb") as b:
                    self.assertEqual(a.read(), b.read(), name)

    def test_sizes(self):
        self.assertEqual(len(self.tenant["users"]), SCALE)
        self.assertEqual(len(self.tenant["groups"]), SCALE // 10)
        self.assertEqual(len(self.tenant["mailboxes"]), SCALE)
        links = sum(len(g["members"]) for g in self.tenant["groups"])
        self.assertEqual(links, self.meta["member_links"])
        self.assertTrue(9 * SCALE <= links <= 11 * SCALE, links)
        # The largest group holds 55 %: over 50,000 members at SCALE=100000.
        self.assertEqual(self.meta["largest_group"], SCALE * 55 // 100)

    def test_nested_groups(self):
        ids = {g["id"] for g in self.tenant["groups"]}
        nested = [m for g in self.tenant["groups"] for m in g["members"] if m in ids]
        self.assertGreater(len(nested), 0)

    def test_users_join_by_anchor_and_groups_by_sid(self):
        by_sam = {a["sAMAccountName"][0]: a for a in self.ad.values() if "sAMAccountName" in a}
        for u in self.tenant["users"]:
            a = by_sam[u["onPremisesSamAccountName"]]
            self.assertEqual(a["mS-DS-ConsistencyGuid"][0],
                             base64.b64decode(u["onPremisesImmutableId"]).decode("latin-1"))
            self.assertEqual(a["objectSid"][0], u["onPremisesSecurityIdentifier"])
        for g in self.tenant["groups"]:
            self.assertEqual(by_sam[g["onPremisesSamAccountName"]]["objectSid"][0],
                             g["onPremisesSecurityIdentifier"])

    def test_drift_is_about_five_percent(self):
        dn_of = {u["id"]: u["onPremisesDistinguishedName"] for u in self.tenant["users"]}
        changed_titles = sum(1 for u in self.tenant["users"]
                             if self.ad[dn_of[u["id"]]]["title"][0] != u["jobTitle"])
        self.assertTrue(0.02 * SCALE <= changed_titles <= 0.08 * SCALE, changed_titles)
        cloud_links = ad_links = 0
        for g in self.tenant["groups"]:
            ad = next(a for a in self.ad.values()
                      if a.get("objectSid") == [g["onPremisesSecurityIdentifier"]])
            cloud = {dn_of.get(m) for m in g["members"] if m in dn_of}
            mine = {m for m in ad.get("member", []) if m.startswith("CN=User")}
            cloud_links += len(cloud)
            ad_links += len(cloud ^ mine)
        self.assertTrue(0.03 * cloud_links <= ad_links <= 0.07 * cloud_links,
                        (ad_links, cloud_links))
        ext = self.meta["ou_extension"]
        moved = [g for g in self.tenant["groups"] if "OU=Moved" in g[ext]]
        self.assertGreater(len(moved), 0)
        self.assertTrue(all(g["onPremisesSyncBehavior"]["isCloudManaged"] for g in moved))

    def test_authority_mix(self):
        users = self.tenant["users"]
        cloud = sum(u["onPremisesSyncBehavior"]["isCloudManaged"] for u in users)
        exo = sum(m["IsExchangeCloudManaged"] for m in self.tenant["mailboxes"])
        self.assertEqual((cloud, exo), (SCALE * 3 // 10, SCALE * 3 // 10))


class PlanToLdif(unittest.TestCase):
    def ldif(self, changes):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"changes": changes}, f)
        out = io.StringIO()
        try:
            with redirect_stdout(out):
                self.assertEqual(plan2ldif.main(["plan2ldif.py", f.name]), 0)
        finally:
            os.unlink(f.name)
        return out.getvalue()

    def test_each_kind_of_change(self):
        dn = "CN=G\\, one,OU=Groups,DC=x"
        text = self.ldif([
            {"op": "modify", "dn": dn, "deltas": [
                {"attribute": "member", "op": "add", "values": ["CN=a,DC=x", "CN=b,DC=x"]},
                {"attribute": "member", "op": "delete", "values": ["CN=c,DC=x"]},
                {"attribute": "title", "op": "replace", "values": ["Ünïcode"]},
                {"attribute": "department", "op": "replace", "values": []}]},
            {"op": "add", "dn": "CN=New,DC=x", "deltas": [
                {"attribute": "objectClass", "op": "add", "values": ["group"]}]},
            {"op": "rename", "dn": dn, "new_rdn": "CN=G\\, one", "new_superior": "OU=Moved,DC=x",
             "deltas": []},
            {"op": "delete", "dn": "CN=Old,DC=x", "deltas": []}])
        self.assertEqual(text.split("\n\n")[0].splitlines(), [
            "dn: " + dn, "changetype: modify", "add: member", "member: CN=a,DC=x",
            "member: CN=b,DC=x", "-", "delete: member", "member: CN=c,DC=x", "-",
            "replace: title", "title:: " + base64.b64encode("Ünïcode".encode()).decode(), "-",
            "delete: department", "-"])
        self.assertIn("dn: CN=New,DC=x\nchangetype: add\nobjectClass: group\n", text)
        self.assertIn("changetype: modrdn\nnewrdn: CN=G\\, one\ndeleteoldrdn: 1\n"
                      "newsuperior: OU=Moved,DC=x\n", text)
        self.assertIn("dn: CN=Old,DC=x\nchangetype: delete\n", text)

    def test_an_unknown_op_stops_it(self):
        with self.assertRaises(SystemExit):
            self.ldif([{"op": "frobnicate", "dn": "CN=a", "deltas": []}])


if __name__ == "__main__":
    unittest.main()
