"""Exchange Online's change times: WhenChangedUTC and WhenChanged on every mailbox, set by the
fixture or at load, moved to now by a change through the admin API or a PUT of the tenant, and
"Get-Mailbox -Filter 'WhenChangedUTC -ge ...'" (what an incremental cycle asks, Exchange having
no delta query) with the date forms and comparison operators Exchange takes.

    /usr/bin/python3 -m unittest discover -s tests/fakecloud -p 'test_*.py' -v
"""

import calendar
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testlib import ServerCase, tenant, uid  # noqa: E402

OLD = "2025-01-02T03:04:05Z"                    # every mailbox's change time in old_tenant()
OLD_SECONDS = 1735787045
ALL = {uid(n) for n in range(1, 7)}             # what Get-Mailbox returns of testlib's tenant


def old_tenant():
    """testlib's tenant with every mailbox last changed at OLD."""
    doc = tenant()
    for mbx in doc["mailboxes"]:
        mbx["WhenChangedUTC"] = OLD
    return doc


class ChangeTimes(ServerCase):
    def setUp(self):
        super().setUp()
        store = self.server.app.store
        self.addCleanup(setattr, store, "clock", time.time)

    def at(self, seconds):
        """The fake's clock stands still at seconds from now on."""
        self.server.app.store.clock = lambda: seconds

    def mailboxes(self, filter_text=None, query=""):
        params = {"ResultSize": "Unlimited"}
        if filter_text is not None:
            params["Filter"] = filter_text
        reply = self.server.exo("Get-Mailbox", params, query=query)
        self.assertEqual(reply.status, 200, reply)
        return {m["ExternalDirectoryObjectId"]: m for m in reply.json["value"]}

    def changed(self):
        return {k: m["WhenChangedUTC"] for k, m in self.mailboxes().items()}

    def ids(self, filter_text):
        return set(self.mailboxes(filter_text))

    def test_every_mailbox_carries_its_load_time_in_both_forms(self):
        # A tenant of its own id: nothing carries over from the one before.
        doc = dict(tenant(), tenantId="22222222-0000-4000-8000-000000000001")
        self.at(1796465472)                                 # 2026-12-05T10:11:12Z
        self.server.admin("PUT", "tenant", doc)
        self.server.admin("PUT", "tenant", tenant())
        self.at(1796465999)
        for mbx in self.mailboxes().values():
            self.assertEqual(mbx["WhenChangedUTC"], "2026-12-05T10:11:12Z")
            self.assertEqual(mbx["WhenChanged"], "2026-12-05T10:11:12+00:00")
        # the real clock: the time of the load, to the second
        self.server.app.store.clock = time.time
        before = int(time.time())
        self.server.admin("PUT", "tenant", doc)
        self.server.admin("PUT", "tenant", tenant())
        after = int(time.time())
        for when in self.changed().values():
            self.assertRegex(when, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            seconds = calendar.timegm(time.strptime(when, "%Y-%m-%dT%H:%M:%SZ"))
            self.assertTrue(before <= seconds <= after, (before, when, after))

    def test_the_fixture_sets_the_time_in_either_property(self):
        doc = tenant()
        doc["mailboxes"][0]["WhenChangedUTC"] = OLD
        doc["mailboxes"][1]["WhenChanged"] = "2025-01-02T05:04:05+02:00"
        self.server.admin("PUT", "tenant", doc)
        mbx = self.mailboxes()
        self.assertEqual(mbx[uid(1)]["WhenChangedUTC"], OLD)
        self.assertEqual(mbx[uid(1)]["WhenChanged"], "2025-01-02T03:04:05+00:00")
        self.assertEqual(mbx[uid(2)]["WhenChangedUTC"], OLD)

    def test_a_fixture_date_that_is_none_is_refused_naming_it(self):
        doc = tenant()
        doc["mailboxes"][2]["WhenChangedUTC"] = "yesterday"
        reply = self.server.call("PUT", "/_fake/tenant", body=doc)
        self.assertEqual(reply.status, 400)
        self.assertEqual(reply.json["error"], "mailboxes[2]: WhenChangedUTC \"yesterday\" is not "
                         "a date like \"2026-12-05T10:11:12Z\"")
        reply = self.server.call("PATCH", "/_fake/objects/%s" % uid(3),
                                 body={"WhenChanged": "13/13/2025 10:00:00"})
        self.assertEqual(reply.status, 400)
        self.assertIn("WhenChanged \"13/13/2025 10:00:00\" is not a date", reply.json["error"])

    def test_select_serves_the_change_time_like_any_property(self):
        self.server.admin("PUT", "tenant", old_tenant())
        query = "$select=ExternalDirectoryObjectId,whenchangedutc"
        for mbx in self.mailboxes(query=query).values():
            self.assertEqual({k for k in mbx if "@" not in k},
                             {"ExternalDirectoryObjectId", "WhenChangedUTC"})
            self.assertEqual(mbx["WhenChangedUTC"], OLD)

    def test_a_mailbox_patched_after_t_is_changed_since_t_and_no_other(self):
        self.server.admin("PUT", "tenant", old_tenant())
        t = int(time.time())
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        self.server.admin("PATCH", "objects/%s" % uid(3), {"CustomAttribute1": "Ops"})
        self.assertEqual(self.ids("WhenChangedUTC -ge '%s'" % since), {uid(3)})
        self.assertEqual(self.ids("WhenChanged -ge '%s'" % since), {uid(3)})
        self.assertEqual(self.ids("WhenChangedUTC -lt '%s'" % since), ALL - {uid(3)})
        # the same instant in the en-US form Exchange also reads
        us = time.strftime("%m/%d/%Y %H:%M:%S", time.gmtime(t))
        self.assertEqual(self.ids("WhenChangedUTC -ge '%s'" % us), {uid(3)})

    def test_what_moves_the_change_time(self):
        self.server.admin("PUT", "tenant", old_tenant())
        self.at(1796465472)
        # Exchange's names and the mailbox object change the mailbox
        self.server.admin("PATCH", "objects/%s" % uid(1), {"mailbox": {"Alias": "boss"}})
        # what Exchange takes from the owning user changes it too; jobTitle does not
        self.server.admin("PATCH", "objects/%s" % uid(2), {"displayName": "Two"})
        self.server.admin("PATCH", "objects/%s" % uid(5), {"jobTitle": "Clerk"})
        # converting the source of authority makes the mailbox leave dir sync
        reply = self.server.graph("PATCH", "/users/%s/onPremisesSyncBehavior" % uid(4),
                                  body={"isCloudManaged": True})
        self.assertEqual(reply.status, 204, reply)
        # a patch may name the time itself (for tests that need an old change)
        self.server.admin("PATCH", "objects/%s" % uid(6),
                          {"CustomAttribute2": "x", "WhenChangedUTC": "2024-06-01T00:00:00Z"})
        new = "2026-12-05T10:11:12Z"
        self.assertEqual(self.changed(), {uid(1): new, uid(2): new, uid(3): OLD, uid(4): new,
                                          uid(5): OLD, uid(6): "2024-06-01T00:00:00Z"})

    def test_put_of_the_tenant_changes_only_the_mailboxes_that_differ(self):
        self.server.admin("PUT", "tenant", old_tenant())
        self.at(1796465472)
        doc = self.server.admin("GET", "tenant")
        self.server.admin("PUT", "tenant", doc)                 # the same: nothing changes
        self.assertEqual(set(self.changed().values()), {OLD})
        doc["mailboxes"][1]["CustomAttribute5"] = "new"         # uid(2), its old time kept
        doc["users"][2]["displayName"] = "Three"                # uid(3)'s owner
        doc["users"][4]["jobTitle"] = "Clerk"                   # not a mailbox's
        doc["mailboxes"][5]["WhenChangedUTC"] = "2024-06-01T00:00:00Z"
        self.server.admin("PUT", "tenant", doc)
        new = "2026-12-05T10:11:12Z"
        self.assertEqual(self.changed(), {uid(1): OLD, uid(2): new, uid(3): new, uid(4): OLD,
                                          uid(5): OLD, uid(6): "2024-06-01T00:00:00Z"})

    def test_date_forms_and_operators(self):
        doc = old_tenant()
        doc["mailboxes"][1]["WhenChangedUTC"] = "2025-06-30T12:00:00Z"      # uid(2)
        doc["mailboxes"][2]["WhenChangedUTC"] = "2025-06-30T12:00:01Z"      # uid(3)
        self.server.admin("PUT", "tenant", doc)
        cases = [
            ("WhenChangedUTC -ge '2025-06-30T12:00:00Z'", {uid(2), uid(3)}),
            ("WhenChangedUTC -gt '2025-06-30T12:00:00Z'", {uid(3)}),
            ("WhenChangedUTC -le '2025-06-30T12:00:00Z'", ALL - {uid(3)}),
            ("WhenChangedUTC -lt '2025-06-30T12:00:00Z'", ALL - {uid(2), uid(3)}),
            ("WhenChangedUTC -eq '2025-06-30T12:00:01Z'", {uid(3)}),
            ("WhenChangedUTC -ne '2025-06-30T12:00:01Z'", ALL - {uid(3)}),
            ("whenchangedutc -GE '2025-06-30T14:00:01+02:00'", {uid(3)}),
            ("WhenChangedUTC -ge '2025-06-30T12:00:01'", {uid(3)}),
            ("WhenChangedUTC -ge '06/30/2025 12:00:01'", {uid(3)}),
            ("WhenChangedUTC -ge '6/30/2025 12:00:01 PM'", {uid(3)}),
            ("WhenChangedUTC -ge \"06/30/2025\"", {uid(2), uid(3)}),
            ("WhenChangedUTC -ge '2025-06-30' -and Alias -ne 'user3'", {uid(2)}),
            ("-not (WhenChangedUTC -lt '2025-06-30T12:00:00Z') -or Alias -eq 'user1'",
             {uid(1), uid(2), uid(3)}),
            ("WhenChangedUTC -eq $null", set()),
            # text compares in order, without regard to case
            ("Alias -ge 'USER4'", {uid(4), uid(5)}),
            ("Alias -lt 'user2'", {uid(1), uid(6)}),
        ]
        for text, want in cases:
            self.assertEqual(self.ids(text), want, text)

    def test_a_malformed_date_is_exchanges_filter_error(self):
        for text, part in (
                ("WhenChangedUTC -ge 'yesterday'", "'yesterday'"),
                ("WhenChangedUTC -ge '2025-13-01T00:00:00Z'", "'2025-13-01T00:00:00Z'"),
                ("WhenChangedUTC -gt '31/12/2025 10:00:00'", "'31/12/2025 10:00:00'"),
                ("WhenChanged -lt '2025-02-30'", "'2025-02-30'"),
                ("WhenChangedUTC -ge $true", "'True'"),
                ("WhenChangedUTC -like '2025*'", "WhenChangedUTC is a date/time"),
                ("WhenChangedUTC -ge", "Expected a value"),
                ("WhenChangedUTC -after '2025-01-01'", "Expected -eq, -ne, -like, -ge")):
            reply = self.server.exo("Get-Mailbox", {"Filter": text})
            self.assertEqual(reply.status, 400, text)
            err = reply.json["error"]
            self.assertEqual(err["code"], "BadRequest")
            self.assertEqual(err["message"], "Error executing cmdlet")
            code, exception, message = err["details"][0]["message"].split("|")
            self.assertTrue(re.fullmatch(r"Ex[0-9A-F]{6}", code), code)
            self.assertEqual(exception, "System.Management.Automation.ParameterBindingException")
            self.assertTrue(message.startswith("Cannot bind parameter 'Filter' to the target."),
                            message)
            self.assertIn(part, message, text)


if __name__ == "__main__":
    unittest.main()
