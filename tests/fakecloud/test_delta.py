"""Delta queries (reference/graph-exo-protocol.md section 4) on the fake cloud."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testlib import ServerCase, gid, tenant, uid  # noqa: E402


class Delta(ServerCase):
    def round(self, url):
        """Follow nextLinks to the deltaLink: (entries, deltaLink, pages)."""
        entries, pages = [], 0
        while True:
            reply = self.server.graph("GET", url)
            self.assertEqual(reply.status, 200, reply)
            self.assertIn("@odata.context", reply.json)
            entries += reply.json["value"]
            pages += 1
            if "@odata.deltaLink" in reply.json:
                self.assertNotIn("@odata.nextLink", reply.json)
                return entries, reply.json["@odata.deltaLink"], pages
            url = reply.json["@odata.nextLink"]
            self.assertNotIn("$select", url)            # the selection travels in the token

    def test_first_round_then_changes(self):
        self.server.admin("PUT", "config", {"page_size": {"graph": 3}})
        entries, link, pages = self.round("/users/delta?$select=displayName,jobTitle")
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(e["id"] for e in entries), sorted(uid(n) for n in range(1, 8)))
        self.assertEqual(set(entries[0]), {"id", "displayName", "jobTitle"})

        self.server.admin("PATCH", "objects/%s" % uid(3), {"jobTitle": "New title", "city": "X"})
        self.server.admin("PATCH", "objects/%s" % uid(4), {"_delete": True})
        self.server.admin("PATCH", "objects/%s" % uid(5), {"_delete": "hard"})
        self.server.admin("PATCH", "objects/%s" % uid(9), {"_type": "user", "displayName": "Nine"})
        entries, link, _ = self.round(link)
        by_id = {e["id"]: e for e in entries}
        self.assertEqual(set(by_id), {uid(3), uid(4), uid(5), uid(9)})
        self.assertEqual(by_id[uid(3)], {"id": uid(3), "jobTitle": "New title"})  # city unselected
        self.assertEqual(by_id[uid(4)]["@removed"], {"reason": "changed"})
        self.assertEqual(by_id[uid(5)]["@removed"], {"reason": "deleted"})
        self.assertEqual(by_id[uid(9)]["displayName"], "Nine")

        entries, _, _ = self.round(link)
        self.assertEqual(entries, [])

    def test_group_members_delta(self):
        entries, link, _ = self.round("/groups/delta?$select=displayName,members")
        first = {e["id"]: e for e in entries}
        refs = {m["id"]: m["@odata.type"] for m in first[gid(2)]["members@delta"]}
        self.assertEqual(refs, {uid(3): "#microsoft.graph.user"})
        self.server.admin("PATCH", "objects/%s" % gid(2), {"members": [uid(4), gid(1)]})
        entries, _, _ = self.round(link)
        self.assertEqual([e["id"] for e in entries], [gid(2)])
        changes = {m["id"]: m for m in entries[0]["members@delta"]}
        self.assertEqual(changes[uid(3)]["@removed"], {"reason": "deleted"})
        self.assertNotIn("@removed", changes[uid(4)])
        self.assertEqual(changes[gid(1)]["@odata.type"], "#microsoft.graph.group")

    def test_conversion_surfaces_as_sync_enabled_change(self):
        _, link, _ = self.round("/users/delta?$select=onPremisesSyncEnabled")
        self.server.graph("PATCH", "/users/%s/onPremisesSyncBehavior" % uid(2),
                          body={"isCloudManaged": True})
        entries, _, _ = self.round(link)
        self.assertEqual(entries, [{"id": uid(2), "onPremisesSyncEnabled": None}])

    def test_tenant_replacement_is_a_change(self):
        _, link, _ = self.round("/users/delta?$select=displayName")
        doc = tenant()
        doc["users"][5]["displayName"] = "Renamed Six"
        self.server.admin("PUT", "tenant", doc)
        entries, _, _ = self.round(link)
        self.assertEqual(entries, [{"id": uid(6), "displayName": "Renamed Six"}])

    def test_latest(self):
        reply = self.server.graph("GET", "/users/delta?$deltatoken=latest&$select=displayName")
        self.assertEqual(reply.json["value"], [])
        self.server.admin("PATCH", "objects/%s" % uid(1), {"displayName": "One!"})
        entries, _, _ = self.round(reply.json["@odata.deltaLink"])
        self.assertEqual(entries, [{"id": uid(1), "displayName": "One!"}])

    def test_expired_link(self):
        _, link, _ = self.round("/users/delta?$select=id")
        self.server.admin("PUT", "config", {"delta_token_lifetime": 1})
        time.sleep(1.2)
        self.assertGraphError(self.server.graph("GET", link), 400, "syncStateNotFound")

    def test_410_fault_gives_location(self):
        _, link, _ = self.round("/users/delta?$select=id")
        self.server.admin("POST", "faults", {"kind": "410", "path": "/delta"})
        reply = self.server.graph("GET", link)
        self.assertGraphError(reply, 410, "resyncRequired")
        self.assertEqual(reply.header("Location"), self.server.base + "/v1.0/users/delta")

    def test_bad_tokens(self):
        self.assertEqual(self.server.graph("GET", "/users/delta?$deltatoken=abc").status, 400)
        self.assertEqual(self.server.graph("GET", "/users/delta?$skiptoken=abc").status, 400)
        self.assertEqual(self.server.graph("GET", "/devices/delta").status, 400)


if __name__ == "__main__":
    unittest.main()
