"""The fake cloud at scale (issue 16): no stall of its own (each reply one write, TCP_NODELAY on
every accepted socket), a service latency of its own choosing (latency_ms), tenants over the old
16 MiB cap, and Exchange pages whose cost does not grow with the tenant.

    /usr/bin/python3 -m unittest discover -s tests/fakecloud -p 'test_*.py' -v
"""

import io
import json
import os
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import admin  # noqa: E402
import fakecloud  # noqa: E402
from testlib import EXO_SCOPE, Server, ServerCase, _user, tenant, uid  # noqa: E402
from web import Response  # noqa: E402

BIG_USERS = 20000


def big_tenant(n=BIG_USERS):
    """testlib's tenant with n users, each with a mailbox, some 1 KB of JSON each: at 20,000,
    over the 16 MiB the admin API used to take."""
    doc = tenant()
    doc["users"] = [_user(i, department="Department %d" % (i % 50),
                          streetAddress="%d Long Street Name, Building %d" % (i, i % 7),
                          employeeId="E%08d" % i, jobTitle="Engineer %d" % (i % 13),
                          officeLocation="Office %d" % (i % 40),
                          businessPhones=["+1 555 %07d" % i])
                    for i in range(1, n + 1)]
    doc["groups"] = []
    doc["mailboxes"] = [
        {"ExternalDirectoryObjectId": uid(i), "Alias": "user%d" % i,
         "EmailAddresses": ["SMTP:user%d@corp.example.test" % i,
                            "smtp:u%d@corp.example.test" % i,
                            "X500:/o=ExchangeLabs/ou=Exchange Administrative Group/cn=u%d" % i],
         "IsDirSynced": True, "RecipientTypeDetails": "UserMailbox",
         "CustomAttribute1": "Value %d" % i} for i in range(1, n + 1)]
    return doc


class Recorder(io.RawIOBase):
    def __init__(self):
        self.writes = []

    def write(self, data):
        self.writes.append(bytes(data))
        return len(data)


class OneWrite(unittest.TestCase):
    """A reply in two writes (headers, then body) waits on Nagle and the client's delayed ACK:
    some 40 ms a reply over a keep-alive connection."""

    def reply_writes(self, resp, version="HTTP/1.1"):
        handler = fakecloud.Handler.__new__(fakecloud.Handler)
        handler.wfile = Recorder()
        handler.request_version = version
        handler.close_connection = False
        handler.requestline = "GET / " + version
        handler.command = "GET"
        handler._send(None, resp)
        return handler.wfile.writes

    def test_headers_and_body_go_in_one_write(self):
        writes = self.reply_writes(Response(200, {"value": [1, 2, 3]}))
        self.assertEqual(len(writes), 1, writes)
        head, _, body = writes[0].partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head)
        self.assertIn(b"Content-Length: %d" % len(body), head)
        self.assertEqual(json.loads(body), {"value": [1, 2, 3]})

    def test_a_reply_without_body_is_one_write_too(self):
        writes = self.reply_writes(Response(204))
        self.assertEqual(len(writes), 1, writes)
        self.assertTrue(writes[0].endswith(b"\r\n\r\n"))

    def test_http_0_9_has_no_headers(self):
        writes = self.reply_writes(Response(400, {"error": "x"}), version="HTTP/0.9")
        self.assertEqual(writes, [b'{"error":"x"}'])


class Sockets(ServerCase):
    def test_accepted_sockets_have_tcp_nodelay(self):
        seen = []

        class Probe(fakecloud.Handler):
            def setup(self):
                super().setup()
                seen.append(self.connection.getsockopt(socket.IPPROTO_TCP,
                                                       socket.TCP_NODELAY))

        self.server.httpd.RequestHandlerClass = Probe
        self.addCleanup(setattr, self.server.httpd, "RequestHandlerClass", fakecloud.Handler)
        self.server.call("GET", "/_fake/health")
        self.assertEqual(len(seen), 1)
        self.assertNotEqual(seen[0], 0)

    def test_keep_alive_requests_do_not_stall(self):
        """50 requests on one connection: stalled 40 ms each they would take over 2 s;
        unstalled they take some 100 ms.  The bound leaves a wide margin for a busy machine."""
        token = self.server.token()
        conn = self.server.connection()
        self.addCleanup(conn.close)
        started = time.monotonic()
        for _ in range(50):
            conn.request("GET", "/v1.0/users?$top=2", headers={"Authorization": "Bearer " + token})
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
        took = time.monotonic() - started
        self.assertLess(took, 1.0, "50 requests on one connection took %.2f s" % took)


class Latency(ServerCase):
    def timed(self, call):
        started = time.monotonic()
        reply = call()
        return reply, time.monotonic() - started

    def test_latency_ms_is_checked(self):
        for bad in (-1, 1.5, "100", True, None, 60001):
            reply = self.server.call("PUT", "/_fake/config", body={"latency_ms": bad})
            self.assertEqual(reply.status, 400, bad)
            self.assertIn("latency_ms", reply.json["error"])
        self.assertEqual(self.server.admin("PUT", "config", {"latency_ms": 250})["latency_ms"],
                         250)
        self.assertEqual(self.server.admin("DELETE", "config")["latency_ms"], 0)

    def test_graph_and_exchange_answer_after_the_latency_token_and_admin_at_once(self):
        graph_token, exo_token = self.server.token(), self.server.token(EXO_SCOPE)
        self.server.admin("PUT", "config", {"latency_ms": 400})
        reply, took = self.timed(lambda: self.server.graph("GET", "/users", token=graph_token))
        self.assertEqual(reply.status, 200)
        self.assertGreaterEqual(took, 0.4)
        reply, took = self.timed(lambda: self.server.exo("Get-Mailbox", token=exo_token))
        self.assertEqual(reply.status, 200)
        self.assertGreaterEqual(took, 0.4)
        # An error answer takes as long as a good one.
        reply, took = self.timed(lambda: self.server.graph("GET", "/users/nobody",
                                                           token=graph_token))
        self.assertEqual(reply.status, 404)
        self.assertGreaterEqual(took, 0.4)
        reply, took = self.timed(lambda: self.server.token_reply())
        self.assertEqual(reply.status, 200)
        self.assertLess(took, 0.4)
        reply, took = self.timed(lambda: self.server.call("GET", "/_fake/health"))
        self.assertLess(took, 0.4)

    def test_latency_holds_up_only_its_own_connection(self):
        token = self.server.token()
        self.server.admin("PUT", "config", {"latency_ms": 600})
        took = []

        def one():
            started = time.monotonic()
            self.assertEqual(self.server.graph("GET", "/users", token=token).status, 200)
            took.append(time.monotonic() - started)

        started = time.monotonic()
        threads = [threading.Thread(target=one) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        self.assertEqual(len(took), 4)
        self.assertTrue(all(t >= 0.6 for t in took), took)
        self.assertLess(time.monotonic() - started, 1.8, "four requests waited in turn")

    def test_the_start_setting_is_what_a_reset_goes_back_to(self):
        config = admin.Config({"latency_ms": 100})
        self.assertEqual(config.get("latency_ms"), 100)
        config.update({"latency_ms": 5})
        config.reset()
        self.assertEqual(config.get("latency_ms"), 100)
        self.assertEqual(admin.Config().get("latency_ms"), 0)
        with self.assertRaises(ValueError):
            admin.Config({"latency_ms": -5})


class LargeTenant(unittest.TestCase):
    """20,000 users with mailboxes, loaded through PUT /_fake/tenant, and Get-Mailbox paged
    through: every mailbox rendered once for the whole round, not once per page."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.doc = big_tenant()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_a_tenant_over_16_mib_loads(self):
        size = len(json.dumps(self.doc).encode())
        self.assertGreater(size, 16 * 1024 * 1024)
        self.assertEqual(self.server.admin("PUT", "tenant", self.doc)["tenantId"],
                         self.doc["tenantId"])
        reply = self.server.graph("GET", "/users/%s?$select=employeeId" % uid(BIG_USERS))
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.json["employeeId"], "E%08d" % BIG_USERS)

    def test_the_services_keep_their_16_mib_cap(self):
        conn = self.server.connection()
        self.addCleanup(conn.close)
        conn.putrequest("POST", "/v1.0/$batch")
        conn.putheader("Content-Length", str(16 * 1024 * 1024 + 1))
        conn.endheaders()
        resp = conn.getresponse()
        self.assertEqual(resp.status, 400)
        self.assertIn(b"Content-Length is not acceptable", resp.read())

    def page_through(self, token):
        """Get-Mailbox -ResultSize Unlimited with a $select, page by page: (ids, seconds of
        the slowest page but the first)."""
        ids, slowest, url, first = [], 0.0, None, True
        while True:
            started = time.monotonic()
            reply = self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"}, url=url,
                                    token=token,
                                    query="$select=ExternalDirectoryObjectId,CustomAttribute1"
                                    if url is None else "")
            took = time.monotonic() - started
            self.assertEqual(reply.status, 200, reply)
            if not first:
                slowest = max(slowest, took)
            first = False
            ids += [m["ExternalDirectoryObjectId"] for m in reply.json["value"]]
            url = reply.json.get("@odata.nextLink")
            if url is None:
                return ids, slowest

    def test_paging_costs_a_page_not_the_tenant(self):
        self.server.admin("PUT", "tenant", self.doc)
        token = self.server.token(EXO_SCOPE)
        cache = self.server.app.exo_results
        before = cache.renders
        ids, slowest = self.page_through(token)
        self.assertEqual(len(ids), BIG_USERS)
        self.assertEqual(len(set(ids)), BIG_USERS)
        # 20 pages of 1000: each mailbox rendered once in all, not once per page.
        self.assertEqual(cache.renders - before, BIG_USERS)
        # Rendering the tenant again took some 1.6 s a page; a page of 1000 takes some 0.1 s.
        self.assertLess(slowest, 1.0, "a page took %.2f s" % slowest)
        # The same round again with nothing changed renders nothing.
        ids, _ = self.page_through(token)
        self.assertEqual(len(ids), BIG_USERS)
        self.assertEqual(cache.renders - before, BIG_USERS)
        # A change is seen: the next round renders again and shows it.
        self.server.admin("PATCH", "objects/%s" % uid(7), {"CustomAttribute1": "changed"})
        reply = self.server.exo("Get-Mailbox", {"Identity": uid(7)}, token=token)
        self.assertEqual(reply.json["value"][0]["CustomAttribute1"], "changed")
        self.assertEqual(cache.renders - before, 2 * BIG_USERS)


if __name__ == "__main__":
    unittest.main()
