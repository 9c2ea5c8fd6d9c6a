"""The fake cloud against reference/graph-exo-protocol.md: tokens (section 1), Graph basics and
paging (2), source of authority (3), $batch and throttling (5), Exchange Online (6) and the small
shapes clients rely on (8), plus the admin API.

    /usr/bin/python3 -m unittest discover -s tests/fakecloud -p 'test_*.py' -v
"""

import http.client
import json
import os
import sys
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testlib import (CLIENT_ID, CONTACT, DEVICE, EXO_SCOPE, EXT_DN, GRAPH_SCOPE,  # noqa: E402
                     SP, TENANT_ID, ServerCase, gid, uid)

GRAPH_CT_PREFIX = "application/json;odata.metadata=minimal"

# Microsoft's shapes the fake serves (tests/data/exo/SOURCES.md).
DATA_EXO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "exo")


def _data(name):
    with open(os.path.join(DATA_EXO, name), encoding="utf-8") as fh:
        return json.load(fh)


DATA_FULL = _data("get-mailbox-full.json")
DATA_NOT_FOUND = _data("error-not-found.json")
DATA_NOT_ALLOWED = _data("error-not-allowed.json")


class TokenEndpoint(ServerCase):
    def test_client_credentials_token(self):
        reply = self.server.token_reply()
        self.assertEqual(reply.status, 200, reply)
        self.assertTrue(reply.header("Content-Type").startswith("application/json"))
        body = reply.json
        self.assertEqual(body["token_type"], "Bearer")
        self.assertEqual(body["expires_in"], 3599)
        self.assertEqual(body["ext_expires_in"], 3599)
        self.assertTrue(body["access_token"])

    def test_extra_form_fields_and_query_are_ignored(self):
        reply = self.server.call(
            "POST", "/%s/oauth2/v2.0/token?client-request-id=abc" % TENANT_ID,
            form={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                  "client_secret": "test-secret~0001", "scope": GRAPH_SCOPE,
                  "x-client-SKU": "MSAL.Python", "x-client-VER": "1.2", "x-client-OS": "linux"})
        self.assertEqual(reply.status, 200, reply)

    def test_lifetime_follows_config(self):
        self.server.admin("PUT", "config", {"token_lifetime": 120})
        self.assertEqual(self.server.token_reply().json["expires_in"], 120)

    def assertAadError(self, reply, status, error, code):
        self.assertEqual(reply.status, status, reply)
        self.assertTrue(reply.header("Content-Type").startswith("application/json"))
        body = reply.json
        self.assertEqual(body["error"], error)
        self.assertEqual(body["error_codes"], [code])
        self.assertTrue(body["error_description"].startswith("AADSTS%d: " % code))
        for key in ("timestamp", "trace_id", "correlation_id"):
            self.assertTrue(body[key], key)
        return body

    def test_wrong_secret(self):
        body = self.assertAadError(self.server.token_reply(client_secret="nope"), 401,
                                   "invalid_client", 7000215)
        self.assertIn("Invalid client secret", body["error_description"])
        self.assertNotIn("nope", json.dumps(body))

    def test_expired_secret(self):
        self.server.admin("PUT", "config", {"secret_expired": True})
        self.assertAadError(self.server.token_reply(), 401, "invalid_client", 7000222)

    def test_unknown_client(self):
        other = "99999999-0000-0000-0000-000000000000"
        self.assertAadError(self.server.token_reply(client_id=other), 400,
                            "unauthorized_client", 700016)

    def test_unknown_tenant(self):
        other = "99999999-0000-0000-0000-000000000000"
        self.assertAadError(self.server.token_reply(tenant_id=other), 400,
                            "invalid_request", 90002)

    def test_tenant_by_domain(self):
        self.assertEqual(self.server.token_reply(tenant_id="corp.example.test").status, 200)

    def test_bad_grant_and_scope(self):
        self.assertAadError(self.server.token_reply(grant_type="password"), 400,
                            "unsupported_grant_type", 70003)
        self.assertAadError(self.server.token_reply(scope="openid"), 400, "invalid_scope", 70011)
        self.assertAadError(self.server.token_reply(scope="https://graph.microsoft.com/User.Read"),
                            400, "invalid_scope", 1002012)
        self.assertAadError(self.server.token_reply(scope=None), 400, "invalid_request", 900144)

    def test_national_cloud_scopes_get_tokens_the_services_take(self):
        for graph, exo in (("https://graph.microsoft.us", "https://outlook.office365.us"),
                           ("https://dod-graph.microsoft.us", "https://webmail.apps.mil"),
                           ("https://microsoftgraph.chinacloudapi.cn",
                            "https://partner.outlook.cn")):
            token = self.server.token(graph + "/.default")
            self.assertEqual(self.server.graph("GET", "/users", token=token).status, 200)
            token = self.server.token(exo + "/.default")
            self.assertEqual(self.server.exo("Get-Mailbox", token=token).status, 200)

    def test_correlation_id_echoes_client_request_id(self):
        reply = self.server.call("POST", "/%s/oauth2/v2.0/token" % TENANT_ID,
                                 form={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                       "client_secret": "x", "scope": GRAPH_SCOPE},
                                 headers={"client-request-id": "corr-123"})
        self.assertEqual(reply.json["correlation_id"], "corr-123")

    def test_openid_configuration(self):
        reply = self.server.call("GET", "/%s/v2.0/.well-known/openid-configuration" % TENANT_ID)
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.json["token_endpoint"],
                         "%s/%s/oauth2/v2.0/token" % (self.server.base, TENANT_ID))
        self.assertIn("issuer", reply.json)
        self.assertIn("jwks_uri", reply.json)


class BearerChecks(ServerCase):
    def test_missing_token(self):
        reply = self.server.call("GET", "/v1.0/users")
        err = self.assertGraphError(reply, 401, "InvalidAuthenticationToken")
        self.assertIn("empty", err["message"])
        self.assertIn("Bearer", reply.header("WWW-Authenticate"))
        self.assertIn("authorization_uri", reply.header("WWW-Authenticate"))

    def test_unknown_token(self):
        reply = self.server.graph("GET", "/users", token="a.b.c")
        self.assertGraphError(reply, 401, "InvalidAuthenticationToken")

    def test_graph_token_refused_by_exchange(self):
        reply = self.server.exo("Get-Mailbox", token=self.server.token(GRAPH_SCOPE))
        self.assertEqual(reply.status, 401, reply)
        self.assertEqual(reply.json["error"]["code"], "InvalidAuthenticationToken")
        self.assertIn("audience", reply.json["error"]["message"])
        self.assertIn("Bearer", reply.header("WWW-Authenticate"))

    def test_exchange_token_refused_by_graph(self):
        reply = self.server.graph("GET", "/users", token=self.server.token(EXO_SCOPE))
        err = self.assertGraphError(reply, 401, "InvalidAuthenticationToken")
        self.assertIn("audience", err["message"])
        self.assertIn("Bearer", reply.header("WWW-Authenticate"))

    def test_expired_token(self):
        self.server.admin("PUT", "config", {"token_lifetime": 1})
        token = self.server.token()
        self.assertEqual(self.server.graph("GET", "/users", token=token).status, 200)
        time.sleep(1.2)
        err = self.assertGraphError(self.server.graph("GET", "/users", token=token), 401,
                                    "InvalidAuthenticationToken")
        self.assertIn("expired", err["message"])

    def test_admin_expires_tokens(self):
        token = self.server.token()
        self.server.admin("POST", "tokens/expire")
        self.assertEqual(self.server.graph("GET", "/users", token=token).status, 401)
        listing = self.server.admin("GET", "tokens")["tokens"]
        self.assertIn(token, [t["access_token"] for t in listing])


class GraphReads(ServerCase):
    def test_response_shapes(self):
        reply = self.server.graph("GET", "/users", headers={"client-request-id": "cid-1"})
        self.assertEqual(reply.status, 200)
        self.assertTrue(reply.header("Content-Type").startswith(GRAPH_CT_PREFIX))
        self.assertTrue(reply.header("request-id"))
        self.assertEqual(reply.header("client-request-id"), "cid-1")
        self.assertTrue(reply.json["@odata.context"].endswith("/v1.0/$metadata#users"))
        err = self.server.graph("GET", "/users?$select=nope",
                                headers={"client-request-id": "cid-2"}).json["error"]
        self.assertEqual(err["innerError"]["client-request-id"], "cid-2")

    def test_paging_returns_every_user_once(self):
        self.server.admin("PUT", "config", {"page_size": {"graph": 3}})
        url, seen, pages = "/users?$select=id,displayName", [], 0
        while url:
            reply = self.server.graph("GET", url)
            self.assertEqual(reply.status, 200, reply)
            self.assertIn("@odata.context", reply.json)
            for obj in reply.json["value"]:
                self.assertEqual(set(obj), {"id", "displayName"})
            seen += [o["id"] for o in reply.json["value"]]
            url = reply.json.get("@odata.nextLink")
            if url:
                self.assertTrue(url.startswith(self.server.base + "/v1.0/users?"))
                self.assertIn("$skiptoken=", url)
            pages += 1
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(seen), sorted(uid(n) for n in range(1, 8)))

    def test_top_pages_and_limits(self):
        reply = self.server.graph("GET", "/users?$top=2&$select=id")
        self.assertEqual(len(reply.json["value"]), 2)
        self.assertIn("$top=2", reply.json["@odata.nextLink"])
        self.assertGraphError(self.server.graph("GET", "/users?$top=1000"), 400,
                              "Request_BadRequest", "999")
        self.assertGraphError(self.server.graph("GET", "/users?$top=0"), 400,
                              "Request_BadRequest")
        self.assertEqual(len(self.server.graph("GET", "/users?$top=999").json["value"]), 7)

    def test_tampered_skiptoken(self):
        self.server.admin("PUT", "config", {"page_size": {"graph": 2}})
        link = self.server.graph("GET", "/users").json["@odata.nextLink"]
        self.assertEqual(self.server.graph("GET", link.replace("skiptoken=", "skiptoken=x")).status,
                         400)

    def test_select_exactly(self):
        reply = self.server.graph("GET", "/users/%s?$select=id,jobTitle,mobilePhone,businessPhones"
                                  % uid(2))
        body = reply.json
        self.assertEqual(body["jobTitle"], "Engineer")
        self.assertIsNone(body["mobilePhone"])                  # selected, no value: null
        self.assertEqual(body["businessPhones"], ["+1 555 2"])
        self.assertEqual(set(body) - {"@odata.context"},
                         {"id", "jobTitle", "mobilePhone", "businessPhones"})
        empty = self.server.graph("GET", "/users/%s?$select=businessPhones" % uid(3)).json
        self.assertEqual(empty["businessPhones"], [])           # collections come back empty

    def test_select_is_case_insensitive(self):
        body = self.server.graph("GET", "/users/%s?$select=JOBTITLE" % uid(2)).json
        self.assertEqual(body["jobTitle"], "Engineer")

    def test_default_properties_without_select(self):
        body = self.server.graph("GET", "/users/%s" % uid(2)).json
        self.assertIn("userPrincipalName", body)
        self.assertIn("displayName", body)
        for nav in ("manager", "onPremisesSyncBehavior", "members"):
            self.assertNotIn(nav, body)
        self.assertNotIn("onPremisesImmutableId", body)         # not in Graph's default set

    def test_bad_select(self):
        err = self.assertGraphError(self.server.graph("GET", "/users?$select=id,x"), 400,
                                    "Request_BadRequest")
        self.assertEqual(err["message"],
                         "Could not find a property named 'x' on type 'microsoft.graph.user'.")
        for nav in ("manager", "onPremisesSyncBehavior"):
            self.assertGraphError(self.server.graph("GET", "/users?$select=" + nav), 400,
                                  "Request_BadRequest")
        self.assertGraphError(self.server.graph("GET", "/groups?$select=members"), 400,
                              "Request_BadRequest")
        # v1.0 groups have no onPremisesImmutableId
        self.assertGraphError(self.server.graph("GET", "/groups?$select=onPremisesImmutableId"),
                              400, "Request_BadRequest", "microsoft.graph.group")

    def test_extension_properties(self):
        body = self.server.graph("GET", "/groups?$select=id,%s" % EXT_DN).json["value"]
        by_id = {g["id"]: g for g in body}
        self.assertEqual(by_id[gid(1)][EXT_DN], "CN=SG One,OU=Groups,DC=corp,DC=example,DC=test")
        self.assertNotIn(EXT_DN, by_id[gid(2)])                # unset extension: left out

    def test_not_found(self):
        err = self.assertGraphError(self.server.graph("GET", "/users/nobody"), 404,
                                    "Request_ResourceNotFound")
        self.assertEqual(err["message"], "Resource 'nobody' does not exist or one of its queried "
                                         "reference-property objects are not present.")
        self.assertEqual(self.server.graph("GET", "/groups/%s" % uid(1)).status, 404)

    def test_user_by_upn(self):
        body = self.server.graph("GET", "/users/user2@corp.example.test?$select=id").json
        self.assertEqual(body["id"], uid(2))

    def test_manager(self):
        body = self.server.graph("GET", "/users/%s/manager?$select=id" % uid(2)).json
        self.assertEqual(body["id"], uid(1))
        self.assertEqual(body["@odata.type"], "#microsoft.graph.user")
        self.assertGraphError(self.server.graph("GET", "/users/%s/manager" % uid(3)), 404,
                              "Request_ResourceNotFound")

    def test_expand_caps_the_page_at_100(self):
        store = []
        for n in range(250):
            store.append({"id": "70000000-0000-4000-8000-%012d" % n, "_type": "user",
                          "userPrincipalName": "p%d@contoso.example" % n,
                          "displayName": "P %d" % n})
        for obj in store:
            self.server.admin("PATCH", "objects/%s" % obj["id"], obj)
        total = len(self.server.graph("GET", "/users?$select=id&$top=999").json["value"])
        self.assertGreater(total, 250)
        reply = self.server.graph("GET", "/users?$select=id&$top=999&$expand=manager($select=id)")
        self.assertEqual(len(reply.json["value"]), 100)
        self.assertIn("$expand=manager", reply.json["@odata.nextLink"])
        self.assertEqual(len(self.server.graph("GET", "/users?$select=id&$top=50&$expand=manager"
                                               ).json["value"]), 50)

    def test_expand_manager(self):
        values = self.server.graph("GET", "/users?$select=id&$expand=manager($select=id)"
                                   ).json["value"]
        by_id = {u["id"]: u for u in values}
        self.assertEqual(by_id[uid(2)]["manager"], {"@odata.type": "#microsoft.graph.user",
                                                    "id": uid(1)})
        self.assertNotIn("manager", by_id[uid(3)])

    def test_members_are_typed(self):
        values = self.server.graph("GET", "/groups/%s/members?$select=id" % gid(1)).json["value"]
        types = {m["id"]: m["@odata.type"] for m in values}
        self.assertEqual(types, {uid(1): "#microsoft.graph.user", uid(2): "#microsoft.graph.user",
                                 gid(2): "#microsoft.graph.group",
                                 CONTACT: "#microsoft.graph.orgContact",
                                 DEVICE: "#microsoft.graph.device",
                                 SP: "#microsoft.graph.servicePrincipal"})

    def test_members_paging_and_cast(self):
        self.server.admin("PUT", "config", {"page_size": {"graph": 4}})
        first = self.server.graph("GET", "/groups/%s/members?$select=id" % gid(1)).json
        second = self.server.graph("GET", first["@odata.nextLink"]).json
        ids = [m["id"] for m in first["value"] + second["value"]]
        self.assertEqual(len(ids), 6)
        self.assertEqual(len(set(ids)), 6)
        users = self.server.graph("GET", "/groups/%s/members/microsoft.graph.user?$select=id"
                                  % gid(1)).json["value"]
        self.assertEqual({m["id"] for m in users}, {uid(1), uid(2)})

    def test_filters(self):
        def ids(query):
            reply = self.server.graph("GET", "/users?$select=id&$filter=" + query)
            self.assertEqual(reply.status, 200, reply)
            return {u["id"] for u in reply.json["value"]}

        self.assertEqual(ids("onPremisesSyncEnabled%20eq%20true"), {uid(n) for n in range(2, 7)})
        self.assertEqual(ids("id%%20in%%20('%s','%s')" % (uid(1), uid(3))), {uid(1), uid(3)})
        self.assertEqual(ids("startswith(displayName,'cloud')"), {uid(7)})
        groups = self.server.graph("GET", "/groups?$select=id&$filter=securityEnabled%20eq%20true")
        self.assertEqual([g["id"] for g in groups.json["value"]], [gid(1)])
        self.assertGraphError(self.server.graph("GET", "/users?$filter=jobTitle%20gt%20'a'"), 400,
                              "Request_UnsupportedQuery")
        self.assertGraphError(self.server.graph("GET", "/users?$filter=displayName%20ne%20'x'"),
                              400, "Request_UnsupportedQuery")
        self.assertEqual(self.server.graph("GET", "/users?$filter=(((").status, 400)
        many = ",".join("'%d'" % i for i in range(16))
        self.assertGraphError(self.server.graph("GET", "/users?$filter=id%%20in%%20(%s)" % many),
                              400, "Request_UnsupportedQuery")

    def test_beta_serves_too(self):
        reply = self.server.call("GET", "/beta/users?$select=id", token=self.server.token())
        self.assertEqual(reply.status, 200)
        self.assertIn("/beta/$metadata#users(id)", reply.json["@odata.context"])

    def test_unknown_segment(self):
        self.assertGraphError(self.server.graph("GET", "/usres"), 400, "BadRequest")


class SourceOfAuthority(ServerCase):
    def test_get(self):
        for path, expected in (("/users/%s" % uid(1), True), ("/users/%s" % uid(3), False),
                               ("/groups/%s" % gid(1), True), ("/contacts/%s" % CONTACT, False)):
            reply = self.server.graph("GET", path
                                      + "/onPremisesSyncBehavior?$select=isCloudManaged")
            self.assertEqual(reply.status, 200, reply)
            self.assertEqual(reply.json["isCloudManaged"], expected, path)
            self.assertEqual(reply.json["id"], path.rsplit("/", 1)[1])
            self.assertIn("@odata.context", reply.json)

    def test_value_shape_as_microsoft_documents_it(self):
        self.server.admin("PUT", "config", {"soa_shape": "value"})
        reply = self.server.graph("GET", "/users/%s/onPremisesSyncBehavior?$select=isCloudManaged"
                                  % uid(1))
        self.assertEqual(reply.status, 200, reply)
        self.assertNotIn("isCloudManaged", reply.json)
        self.assertEqual(reply.json["value"], {"@odata.type": "#microsoft.graph."
                                               "onPremisesSyncBehavior", "id": uid(1),
                                               "isCloudManaged": True})
        reply = self.server.graph("POST", "/$batch", body={"requests": [
            {"id": "1", "method": "GET", "url": "/users/%s/onPremisesSyncBehavior" % uid(3)}]})
        self.assertFalse(reply.json["responses"][0]["body"]["value"]["isCloudManaged"])
        self.assertEqual(self.server.call("PUT", "/_fake/config",
                                          body={"soa_shape": "wrapped"}).status, 400)

    def test_patch_converts(self):
        path = "/users/%s/onPremisesSyncBehavior" % uid(4)
        reply = self.server.graph("PATCH", path, body={"isCloudManaged": True})
        self.assertEqual(reply.status, 204, reply)
        self.assertEqual(reply.raw, b"")
        self.assertTrue(self.server.graph("GET", path).json["isCloudManaged"])
        user = self.server.graph("GET", "/users/%s?$select=onPremisesSyncEnabled" % uid(4)).json
        self.assertIsNone(user["onPremisesSyncEnabled"])
        mbx = self.server.exo("Get-Mailbox", {"Identity": uid(4)}).json["value"][0]
        self.assertFalse(mbx["IsDirSynced"])
        self.assertEqual(self.server.graph("PATCH", path, body={"isCloudManaged": "yes"}).status,
                         400)
        self.assertEqual(self.server.graph("PATCH", path, body={"other": True}).status, 400)

    def test_not_on_devices(self):
        self.assertGraphError(self.server.graph("GET", "/devices/%s/onPremisesSyncBehavior"
                                                % DEVICE), 400, "BadRequest")

    def test_keep_alive_across_204(self):
        """libcurl reuses connections: a 204 without a body must not desynchronise the next."""
        token = self.server.token()
        conn = self.server.connection()
        headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
        conn.request("PATCH", "/v1.0/users/%s/onPremisesSyncBehavior" % uid(5),
                     body=json.dumps({"isCloudManaged": True}), headers=headers)
        first = conn.getresponse()
        first.read()
        self.assertEqual(first.status, 204)
        conn.request("GET", "/v1.0/users/%s/onPremisesSyncBehavior" % uid(5), headers=headers)
        second = conn.getresponse()
        self.assertTrue(json.loads(second.read())["isCloudManaged"])
        conn.close()


def batch_body(n, path="/users/%s/onPremisesSyncBehavior"):
    return {"requests": [{"id": str(i), "method": "GET", "url": path % uid(1 + i % 7)}
                         for i in range(n)]}


class Batch(ServerCase):
    def test_twenty_one_refused(self):
        err = self.assertGraphError(self.server.graph("POST", "/$batch", body=batch_body(21)),
                                    400, "BadRequest")
        self.assertIn("20", err["message"])

    def test_twenty_served_with_own_statuses(self):
        body = batch_body(19)
        body["requests"].append({"id": "missing", "method": "GET",
                                 "url": "/users/nobody/onPremisesSyncBehavior"})
        reply = self.server.graph("POST", "/$batch", body=body)
        self.assertEqual(reply.status, 200, reply)
        responses = {r["id"]: r for r in reply.json["responses"]}
        self.assertEqual(set(responses), {str(i) for i in range(19)} | {"missing"})
        self.assertEqual(responses["missing"]["status"], 404)
        self.assertEqual(responses["missing"]["body"]["error"]["code"], "Request_ResourceNotFound")
        for i in range(19):
            item = responses[str(i)]
            self.assertEqual(item["status"], 200)
            self.assertEqual(item["headers"]["Content-Type"], "application/json")
            self.assertEqual(item["body"]["id"], uid(1 + i % 7))
            self.assertEqual(item["body"]["isCloudManaged"], i % 7 == 0)

    def test_order_is_not_kept(self):
        self.server.admin("PUT", "config", {"batch_order": "reverse"})
        reply = self.server.graph("POST", "/$batch", body=batch_body(3))
        self.assertEqual([r["id"] for r in reply.json["responses"]], ["2", "1", "0"])

    def test_patch_and_depends_on(self):
        body = {"requests": [
            {"id": "p", "method": "PATCH", "url": "/users/%s/onPremisesSyncBehavior" % uid(3),
             "headers": {"Content-Type": "application/json"}, "body": {"isCloudManaged": True}},
            {"id": "g", "method": "GET", "url": "/users/%s/onPremisesSyncBehavior" % uid(3),
             "dependsOn": ["p"]},
            {"id": "bad", "method": "GET", "url": "/users/nobody"},
            {"id": "after-bad", "method": "GET", "url": "/users/%s" % uid(3),
             "dependsOn": ["bad"]}]}
        responses = {r["id"]: r for r in self.server.graph("POST", "/$batch", body=body
                                                           ).json["responses"]}
        self.assertEqual(responses["p"]["status"], 204)
        self.assertNotIn("body", responses["p"])
        self.assertTrue(responses["g"]["body"]["isCloudManaged"])
        self.assertEqual(responses["after-bad"]["status"], 424)

    def test_urls_are_relative_to_the_version(self):
        body = {"requests": [{"id": "1", "method": "GET", "url": "/v1.0/users/%s" % uid(1)},
                             {"id": "2", "method": "GET", "url": "users/%s?$select=id" % uid(1)}]}
        responses = {r["id"]: r for r in self.server.graph("POST", "/$batch", body=body
                                                           ).json["responses"]}
        self.assertEqual(responses["1"]["status"], 400)
        self.assertEqual(responses["2"]["status"], 200)

    def test_members_page_inside_a_batch(self):
        # A collection read in a $batch item pages as it does alone: the item's body carries
        # an absolute @odata.nextLink, which the client GETs as-is outside the batch
        # (learn.microsoft.com/graph/json-batching, /graph/paging).
        self.server.admin("PUT", "config", {"page_size": {"graph": 4}})
        url = "/groups/%s/members?$select=id,displayName&$top=999"
        body = {"requests": [{"id": "0", "method": "GET", "url": url % gid(1)},
                             {"id": "1", "method": "GET", "url": url % gid(2)}]}
        responses = {r["id"]: r for r in self.server.graph("POST", "/$batch", body=body
                                                           ).json["responses"]}
        first = responses["0"]["body"]
        self.assertEqual(responses["0"]["status"], 200)
        self.assertEqual(len(first["value"]), 4)
        link = first["@odata.nextLink"]
        self.assertTrue(link.startswith("https://"), link)
        self.assertIn("/v1.0/groups/%s/members?" % gid(1), link)
        self.assertIn("$top=999", link)
        self.assertNotIn("@odata.nextLink", responses["1"]["body"])   # a small group: one page
        second = self.server.graph("GET", link).json
        self.assertNotIn("@odata.nextLink", second)
        ids = [m["id"] for m in first["value"] + second["value"]]
        self.assertEqual(len(set(ids)), 6)

    def test_malformed_batch(self):
        self.assertEqual(self.server.graph("POST", "/$batch", body={"x": 1}).status, 400)
        dup = {"requests": [{"id": "1", "method": "GET", "url": "/users"}] * 2}
        self.assertEqual(self.server.graph("POST", "/$batch", body=dup).status, 400)


class Faults(ServerCase):
    def test_429_with_retry_after(self):
        self.server.admin("POST", "faults", {"kind": "429", "path": "^/v1.0/users$",
                                             "retry_after": 2})
        reply = self.server.graph("GET", "/users")
        self.assertGraphError(reply, 429, "TooManyRequests")
        self.assertEqual(reply.header("Retry-After"), "2")
        self.assertEqual(self.server.graph("GET", "/users").status, 200)     # count 1 by default

    def test_429_on_one_batch_item(self):
        self.server.admin("POST", "faults", {"kind": "429", "batch": True, "retry_after": 3,
                                             "path": "/users/%s/" % uid(2)})
        reply = self.server.graph("POST", "/$batch", body=batch_body(3))
        self.assertEqual(reply.status, 200)
        responses = {r["id"]: r for r in reply.json["responses"]}
        self.assertEqual(responses["1"]["status"], 429)
        self.assertEqual(responses["1"]["headers"]["Retry-After"], "3")
        self.assertEqual(responses["1"]["body"]["error"]["code"], "TooManyRequests")
        self.assertEqual(responses["0"]["status"], 200)

    def test_fractional_retry_after(self):
        self.server.admin("POST", "faults", {"kind": "429", "path": "^/v1.0/users$",
                                             "retry_after": 1.5})
        self.assertEqual(self.server.graph("GET", "/users").header("Retry-After"), "1.5")
        for bad in ("2", True, -1):
            reply = self.server.call("POST", "/_fake/faults",
                                     body={"kind": "429", "retry_after": bad})
            self.assertEqual(reply.status, 400, bad)
            self.assertIn("retry_after", reply.json["error"])

    def test_seed_makes_the_shares_draw_the_same_again(self):
        def statuses():
            self.server.admin("PUT", "config", {"seed": 81})
            return [self.server.graph("GET", "/users").status for _ in range(20)]

        self.server.admin("POST", "faults", {"kind": "429", "path": "^/v1.0/users$",
                                             "share": 0.5})
        first = statuses()
        self.assertIn(429, first)
        self.assertIn(200, first)
        self.assertEqual(statuses(), first)
        reply = self.server.call("PUT", "/_fake/config", body={"seed": "x"})
        self.assertEqual(reply.status, 400)

    def test_request_log_times_ids_statuses_and_batch_items(self):
        self.server.admin("DELETE", "requests")
        self.server.admin("POST", "faults", [
            {"kind": "429", "path": "^/v1.0/groups$", "retry_after": 2},
            {"kind": "503", "batch": True, "retry_after": 1.5, "path": "/users/%s/" % uid(2)}])
        crid = "0f0f0f0f-0000-4000-8000-00000000c1d1"
        self.server.graph("GET", "/groups", headers={"client-request-id": crid})
        self.server.graph("GET", "/groups", headers={"client-request-id": crid})
        self.server.graph("POST", "/$batch", body=batch_body(3),
                          headers={"client-request-id": "batch-1"})
        log = self.server.admin("GET", "requests")
        self.assertEqual(log["dropped"], 0)
        entries = [e for e in log["requests"] if "oauth2" not in e["path"]]
        first, again, batch = entries[0], entries[1], entries[2]
        self.assertEqual((first["status"], first["retry_after"]), (429, "2"))
        self.assertEqual((again["status"], again["retry_after"]), (200, None))
        self.assertEqual(first["client_request_id"], crid)
        self.assertEqual(first["key"], "GET /v1.0/groups")
        self.assertTrue(first["arrived"] <= first["answered"] <= again["arrived"])
        items = [e for e in entries if e["batch"] == batch["seq"]]
        self.assertEqual(len(items), 3)
        throttled = [e for e in items if e["status"] == 503]
        self.assertEqual(len(throttled), 1)
        self.assertEqual(throttled[0]["retry_after"], "1.5")
        self.assertEqual(throttled[0]["path"], "/v1.0/users/%s/onPremisesSyncBehavior" % uid(2))
        self.assertEqual(throttled[0]["client_request_id"], "batch-1")
        self.assertTrue(all(e["answered"] == batch["answered"] for e in items))
        self.server.admin("DELETE", "requests")
        self.assertEqual(self.server.admin("GET", "requests")["requests"], [])

    def test_503(self):
        self.server.admin("POST", "faults", {"kind": "503", "count": 2})
        for _ in range(2):
            reply = self.server.graph("GET", "/groups", token="irrelevant")
            self.assertGraphError(reply, 503, "ServiceUnavailable")
            self.assertTrue(reply.header("Retry-After"))
        self.assertEqual(self.server.admin("GET", "faults")["faults"], [])

    def test_drop_closes_the_connection(self):
        self.server.admin("POST", "faults", {"kind": "drop", "path": "/users"})
        with self.assertRaises((urllib.error.URLError, http.client.HTTPException,
                                ConnectionError)):
            req = urllib.request.Request(self.server.base + "/v1.0/users")
            urllib.request.urlopen(req, context=self.server.ssl, timeout=5)
        self.assertEqual(self.server.graph("GET", "/users").status, 200)

    def test_malformed_answers_200_with_a_body_that_is_not_json(self):
        self.server.admin("POST", "faults", {"kind": "malformed", "path": "/users"})
        req = urllib.request.Request(self.server.base + "/v1.0/users")
        with urllib.request.urlopen(req, context=self.server.ssl, timeout=5) as resp:
            self.assertEqual(resp.status, 200)
            with self.assertRaises(ValueError):
                json.loads(resp.read())
        self.assertEqual(self.server.graph("GET", "/users").status, 200)   # it fired once

    def test_entry_alters_one_entry_of_a_real_answer(self):
        path = "/groups/%s/members" % gid(1)
        self.server.admin("POST", "faults", {"kind": "entry", "path": path, "unset": ["id"],
                                             "share": 1})
        for _ in range(2):      # with share: until cleared
            reply = self.server.graph("GET", path + "?$select=id,displayName")
            self.assertEqual(reply.status, 200, reply)
            first, second = reply.json["value"][:2]
            self.assertNotIn("id", first)
            self.assertEqual(first["@odata.type"], "#microsoft.graph.user")
            self.assertIn("id", second)
        self.server.admin("DELETE", "faults")
        self.server.admin("POST", "faults", {"kind": "entry", "path": path, "index": 1,
                                             "set": {"id": 42}})
        value = self.server.graph("GET", path).json["value"]
        self.assertEqual(value[1]["id"], 42)
        self.assertIsInstance(value[0]["id"], str)
        self.assertIsInstance(self.server.graph("GET", path).json["value"][1]["id"], str)
        for bad in ({"kind": "entry"}, {"kind": "entry", "set": []},
                    {"kind": "entry", "unset": "id"}, {"kind": "entry", "unset": ["id"],
                                                       "index": -1}):
            reply = self.server.call("POST", "/_fake/faults", body=bad)
            self.assertEqual(reply.status, 400, bad)

    def test_faults_on_token_endpoint_and_exchange(self):
        self.server.admin("POST", "faults", [{"kind": "503", "path": "/oauth2/"},
                                             {"kind": "429", "path": "InvokeCommand"}])
        reply = self.server.token_reply()
        self.assertEqual(reply.status, 503)
        self.assertEqual(reply.json["error"], "temporarily_unavailable")
        reply = self.server.exo("Get-Mailbox")
        self.assertEqual(reply.status, 429)
        self.assertTrue(reply.header("Retry-After"))

    def test_body_text_and_headers_replace_the_service_answer(self):
        self.server.admin("POST", "faults", [
            {"kind": "404", "path": "InvokeCommand", "body": DATA_NOT_FOUND},
            {"kind": "429", "path": "InvokeCommand", "retry_after": 3,
             "text": "Too many concurrent requests. Try again later."},
            {"kind": "401", "path": "InvokeCommand", "body": DATA_NOT_ALLOWED,
             "headers": {"WWW-Authenticate": ""}}])
        reply = self.server.exo("Get-Mailbox")
        self.assertEqual((reply.status, reply.json), (404, DATA_NOT_FOUND))
        reply = self.server.exo("Get-Mailbox")
        self.assertEqual(reply.status, 429)
        self.assertTrue(reply.header("Content-Type").startswith("text/plain"))
        self.assertEqual(reply.raw, b"Too many concurrent requests. Try again later.")
        self.assertEqual(reply.header("Retry-After"), "3")
        reply = self.server.exo("Get-Mailbox")
        self.assertEqual((reply.status, reply.json), (401, DATA_NOT_ALLOWED))
        self.assertIsNone(reply.header("WWW-Authenticate"))
        self.assertEqual(self.server.exo("Get-Mailbox").status, 200)
        for bad in ({"kind": "404", "body": {}, "text": "x"}, {"kind": "404", "text": 1},
                    {"kind": "drop", "text": "x"}, {"kind": "404", "headers": {"a": 1}}):
            self.assertEqual(self.server.call("POST", "/_fake/faults", body=bad).status, 400,
                             bad)

    def test_200_serves_its_body_in_place_of_the_answer(self):
        path = "/users/%s/onPremisesSyncBehavior" % uid(1)
        self.server.admin("POST", "faults", {"kind": "200", "path": path, "body": {},
                                             "batch": True, "share": 1})
        reply = self.server.graph("POST", "/$batch", body={"requests": [
            {"id": "1", "method": "GET", "url": path},
            {"id": "2", "method": "GET", "url": "/users/%s/onPremisesSyncBehavior" % uid(3)}]})
        by_id = {r["id"]: r for r in reply.json["responses"]}
        self.assertEqual((by_id["1"]["status"], by_id["1"]["body"]), (200, {}))
        self.assertIs(by_id["2"]["body"]["isCloudManaged"], False)
        self.assertIs(self.server.graph("GET", path).json["isCloudManaged"], True)   # batch only
        self.assertEqual(self.server.call("POST", "/_fake/faults", body={"kind": "200"}).status,
                         400)

    def test_graph_404_names_the_object_as_graph_does(self):
        self.server.admin("POST", "faults", {"kind": "404", "path": "/groups/%s/members" % gid(1)})
        self.assertGraphError(self.server.graph("GET", "/groups/%s/members" % gid(1)), 404,
                              "Request_ResourceNotFound", "Resource '%s' does not exist" % gid(1))
        self.assertEqual(self.server.graph("GET", "/groups/%s/members" % gid(1)).status, 200)

    def test_share_and_bad_specs(self):
        listing = self.server.admin("POST", "faults", {"kind": "500", "share": 1.0})["faults"]
        self.assertIsNone(listing[0]["count_left"])
        for _ in range(3):
            self.assertEqual(self.server.graph("GET", "/users", token="x").status, 500)
        self.server.admin("DELETE", "faults")
        self.assertEqual(self.server.call("POST", "/_fake/faults", body={"kind": "418"}).status,
                         400)


class Stats(ServerCase):
    def test_counts_what_was_sent(self):
        token = self.server.token()
        self.server.graph("GET", "/users", token=token)
        self.server.graph("GET", "/users", token=token)
        self.server.graph("GET", "/users/%s" % uid(1), token=token)
        self.server.graph("GET", "/users/nobody", token=token)
        self.server.graph("POST", "/$batch", body=batch_body(2), token=token)
        self.server.exo("Get-Mailbox")
        stats = self.server.admin("GET", "stats")
        requests = stats["requests"]
        self.assertEqual(requests["GET /v1.0/users"], {"200": 2})
        self.assertEqual(requests["GET /v1.0/users/{id}"], {"200": 1, "404": 1})
        self.assertEqual(requests["POST /{tenant}/oauth2/v2.0/token"], {"200": 2})
        self.assertEqual(requests["POST /v1.0/$batch"], {"200": 1})
        self.assertEqual(requests["POST /adminapi/beta/{tenant}/InvokeCommand"], {"200": 1})
        self.assertEqual(stats["batch_items"]["GET /v1.0/users/{id}/onPremisesSyncBehavior"],
                         {"200": 2})
        self.assertEqual(stats["cmdlets"]["Get-Mailbox"], {"200": 1})
        self.assertNotIn("GET /_fake/stats", requests)
        self.server.admin("DELETE", "stats")
        self.assertEqual(self.server.admin("GET", "stats")["requests"], {})


    def test_token_scopes_and_exchange_payload(self):
        self.server.token("https://microsoftgraph.chinacloudapi.cn/.default")
        self.server.token_reply("https://example.invalid/.default")
        token = self.server.token("https://partner.outlook.cn/.default")
        self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"}, token=token,
                        query="$select=Alias", headers={"Prefer": "odata.maxpagesize=1000"})
        self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"}, token=token)
        stats = self.server.admin("GET", "stats")
        self.assertEqual(stats["token_scopes"], {
            "https://microsoftgraph.chinacloudapi.cn/.default": {"200": 1},
            "https://example.invalid/.default": {"400": 1},
            "https://partner.outlook.cn/.default": {"200": 1}})
        ex = stats["exchange"]
        self.assertEqual((ex["requests"], ex["with_select"], ex["with_prefer"]), (2, 1, 1))
        self.assertEqual(ex["selects"], {"Alias": 1})
        self.assertEqual(ex["prefers"], {"odata.maxpagesize=1000": 1})
        self.assertGreater(ex["bytes"], 6 * 10000)       # the whole mailboxes of the second


class Exchange(ServerCase):
    def test_paging_every_mailbox_once(self):
        self.server.admin("PUT", "config", {"page_size": {"exo": 2}})
        params = {"ResultSize": "Unlimited",
                  "RecipientTypeDetails": ["UserMailbox", "SharedMailbox"]}
        seen, url, pages = [], None, 0
        while True:
            reply = self.server.exo("Get-Mailbox", params, url=url)
            self.assertEqual(reply.status, 200, reply)
            body = reply.json
            self.assertIn("@odata.context", body)
            for obj in body["value"]:
                self.assertIn("@odata.id", obj)
                self.assertIn("@odata.editLink", obj)
                seen.append(obj["ExternalDirectoryObjectId"])
            pages += 1
            url = body.get("@odata.nextLink")
            if not url:
                break
            self.assertTrue(url.startswith(self.server.base + "/adminapi/beta/"))
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(seen), sorted(uid(n) for n in range(1, 7)))

    def test_next_link_is_bound_to_the_body(self):
        self.server.admin("PUT", "config", {"page_size": {"exo": 2}})
        link = self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"}).json["@odata.nextLink"]
        self.assertEqual(self.server.exo("Get-Mailbox", {"ResultSize": "10"}, url=link).status, 400)

    def test_mailbox_properties(self):
        mbx = self.server.exo("Get-Mailbox", {"Identity": uid(3)}).json["value"][0]
        self.assertEqual(mbx["PrimarySmtpAddress"], "user3@corp.example.test")
        self.assertEqual(mbx["WindowsEmailAddress"], "user3@corp.example.test")
        self.assertEqual(mbx["EmailAddresses"][0], "SMTP:user3@corp.example.test")
        self.assertTrue(mbx["IsExchangeCloudManaged"])
        self.assertTrue(mbx["IsDirSynced"])
        self.assertEqual(mbx["CustomAttribute1"], "Sales")
        self.assertEqual(mbx["CustomAttribute2"], "")
        self.assertEqual(mbx["ExtensionCustomAttribute1"], ["a", "b"])
        self.assertEqual(mbx["ExtensionCustomAttribute5"], [])
        self.assertFalse(mbx["HiddenFromAddressListsEnabled"])
        self.assertEqual(mbx["RecipientTypeDetails"], "UserMailbox")
        self.assertEqual(mbx["DisplayName"], "User 3")            # from the Graph user
        for key in ("Alias", "Identity", "Guid"):
            self.assertTrue(mbx[key], key)

    def test_identity_not_found(self):
        reply = self.server.exo("Get-Mailbox", {"Identity": "ghost@corp.example.test"})
        self.assertEqual(reply.status, 404)
        err = reply.json["error"]
        # Exchange's shape (tests/data/exo/error-not-found.json): the reason in the details
        self.assertEqual(set(err), set(DATA_NOT_FOUND["error"]) - {"internalexception"})
        self.assertEqual(err["code"], "NotFound")
        self.assertEqual(err["message"], "Error executing cmdlet")
        code, exception, text = err["details"][0]["message"].split("|")
        self.assertEqual(code, "Ex6F9304")
        self.assertEqual(exception,
                         "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException")
        self.assertIn("'ghost@corp.example.test' couldn't be found", text)
        self.assertEqual(err["innererror"]["message"], "Error executing cmdlet")

    def test_identity_forms(self):
        for ident in (uid(2), "user2", "user2@corp.example.test", "u2@corp.example.test"):
            value = self.server.exo("Get-Mailbox", {"Identity": ident}).json["value"]
            self.assertEqual([v["ExternalDirectoryObjectId"] for v in value], [uid(2)], ident)

    def test_cmdlets_split_recipient_types(self):
        def ids(cmdlet, params=None):
            params = dict(params or {}, ResultSize="Unlimited")
            return {v["ExternalDirectoryObjectId"]
                    for v in self.server.exo(cmdlet, params).json["value"]}

        self.assertEqual(ids("Get-Mailbox"), {uid(n) for n in range(1, 7)})
        self.assertEqual(ids("Get-Mailbox", {"RecipientTypeDetails": "SharedMailbox"}), {uid(6)})
        self.assertEqual(ids("Get-MailUser"), {uid(7)})
        self.assertEqual(ids("Get-Recipient"), {uid(n) for n in range(1, 8)})

    def test_filter(self):
        reply = self.server.exo("Get-Mailbox", {"Filter": "IsDirSynced -eq $true",
                                                "ResultSize": "Unlimited"})
        self.assertEqual({v["ExternalDirectoryObjectId"] for v in reply.json["value"]},
                         {uid(n) for n in range(2, 7)})
        reply = self.server.exo("Get-Mailbox", {"Filter": "IsExchangeCloudManaged -eq $true"})
        self.assertEqual(reply.status, 400)

    def test_cmdlet_errors(self):
        reply = self.server.exo("Get-Nothing")
        self.assertEqual(reply.status, 400)
        self.assertIn("|System.Management.Automation.CommandNotFoundException|The term "
                      "'Get-Nothing' is not recognized",
                      reply.json["error"]["details"][0]["message"])
        reply = self.server.exo("Get-Mailbox", {"Bogus": 1})
        self.assertEqual(reply.status, 400)
        self.assertIn("ParameterBindingException", reply.json["error"]["details"][0]["message"])
        reply = self.server.exo("Get-Mailbox", {"RecipientTypeDetails": "Nope"})
        self.assertEqual(reply.status, 400)

    def test_full_property_set_without_select(self):
        mbx = self.server.exo("Get-Mailbox", {"Identity": uid(3)}).json["value"][0]
        props = {k for k in mbx if "@" not in k}
        template = {k for k in DATA_FULL["value"][0] if "@" not in k}
        self.assertGreaterEqual(len(props), 250)
        self.assertLessEqual(template, props)
        self.assertEqual(mbx["EmailAddresses@odata.type"], "#Collection(String)")
        self.assertEqual(mbx["ExternalDirectoryObjectId"], uid(3))
        self.assertEqual(mbx["UserPrincipalName"], "user3@corp.example.test")
        self.assertEqual(mbx["CustomAttribute15"], "")
        self.assertEqual(mbx["ExtensionCustomAttribute4"], [])
        self.assertGreater(len(json.dumps(mbx)), 10000)      # ~15 kB, as the service

    def test_select_leaves_every_other_property_out(self):
        self.server.admin("PUT", "config", {"page_size": {"exo": 2}})
        query = "$select=ExternalDirectoryObjectId,emailaddresses,CustomAttribute1,NoSuchThing"
        reply = self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"}, query=query)
        self.assertEqual(reply.status, 200, reply)
        seen = []
        while True:
            for mbx in reply.json["value"]:
                self.assertEqual({k for k in mbx if "@" not in k},
                                 {"ExternalDirectoryObjectId", "EmailAddresses",
                                  "CustomAttribute1"})
                self.assertEqual({k for k in mbx if "@" in k},
                                 {"@odata.id", "@odata.editLink", "EmailAddresses@odata.type"})
                seen.append(mbx["ExternalDirectoryObjectId"])
            link = reply.json.get("@odata.nextLink")
            if not link:
                break
            self.assertIn("$select=ExternalDirectoryObjectId,emailaddresses,", link)
            reply = self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"}, url=link)
        self.assertEqual(sorted(seen), sorted(uid(n) for n in range(1, 7)))
        for bad in ("$select=", "$select=a%20b", "$select=x;y"):
            self.assertEqual(self.server.exo("Get-Mailbox", query=bad).status, 400, bad)

    def test_prefer_maxpagesize_sets_the_page_size(self):
        params = {"ResultSize": "Unlimited"}
        reply = self.server.exo("Get-Mailbox", params,
                                headers={"Prefer": "odata.maxpagesize=4"})
        self.assertEqual(len(reply.json["value"]), 4)
        self.assertEqual(reply.header("Preference-Applied"), "odata.maxpagesize=4")
        reply = self.server.exo("Get-Mailbox", params)
        self.assertEqual(len(reply.json["value"]), 6)
        self.assertIsNone(reply.header("Preference-Applied"))
        # never more than the server's own size
        self.server.admin("PUT", "config", {"page_size": {"exo": 3}})
        reply = self.server.exo("Get-Mailbox", params,
                                headers={"Prefer": "return=minimal, odata.maxpagesize=1000"})
        self.assertEqual(len(reply.json["value"]), 3)
        self.assertEqual(reply.header("Preference-Applied"), "odata.maxpagesize=3")

    def test_an_app_without_an_exchange_role_is_not_allowed(self):
        self.server.admin("PUT", "config", {"exchange_role": False})
        reply = self.server.exo("Get-Mailbox", {"ResultSize": "Unlimited"})
        self.assertEqual(reply.status, 401)
        self.assertEqual(reply.json, DATA_NOT_ALLOWED)
        self.assertIsNone(reply.header("WWW-Authenticate"))
        self.assertEqual(self.server.exo("Get-Recipient").json["error"]["message"],
                         "User is not allowed to call Get-Recipient")
        stats = self.server.admin("GET", "stats")
        self.assertEqual(stats["cmdlets"]["Get-Mailbox"], {"401": 1})

    def test_result_size(self):
        reply = self.server.exo("Get-Mailbox", {"ResultSize": 2})
        self.assertEqual(len(reply.json["value"]), 2)
        self.assertNotIn("@odata.nextLink", reply.json)


class Admin(ServerCase):
    def test_patch_object_is_visible(self):
        result = self.server.admin("PATCH", "objects/%s" % uid(3),
                                   {"jobTitle": "Chief", "mail": None,
                                    "mailbox": {"CustomAttribute7": "x",
                                                "IsExchangeCloudManaged": True}})
        self.assertEqual(result["result"], "updated")
        user = self.server.graph("GET", "/users/%s?$select=jobTitle,mail" % uid(3)).json
        self.assertEqual(user["jobTitle"], "Chief")
        self.assertIsNone(user["mail"])
        mbx = self.server.exo("Get-Mailbox", {"Identity": uid(3)}).json["value"][0]
        self.assertEqual(mbx["CustomAttribute7"], "x")

    def test_patch_routes_exchange_names_to_the_mailbox(self):
        self.server.admin("PATCH", "objects/%s" % uid(4), {"IsExchangeCloudManaged": True,
                                                           "department": "Ops"})
        mbx = self.server.exo("Get-Mailbox", {"Identity": uid(4)}).json["value"][0]
        self.assertTrue(mbx["IsExchangeCloudManaged"])
        user = self.server.graph("GET", "/users/%s?$select=department" % uid(4)).json
        self.assertEqual(user["department"], "Ops")
        self.assertNotIn("IsExchangeCloudManaged",
                         self.server.admin("GET", "objects/%s" % uid(4))["object"])
        self.server.admin("PATCH", "objects/%s" % uid(4), {"mailbox": None})
        self.assertEqual(self.server.exo("Get-Mailbox", {"Identity": uid(4)}).status, 404)

    def test_patch_sync_behavior_through_admin(self):
        self.server.admin("PATCH", "objects/%s" % gid(2),
                          {"onPremisesSyncBehavior": {"isCloudManaged": True}})
        reply = self.server.graph("GET", "/groups/%s/onPremisesSyncBehavior" % gid(2))
        self.assertTrue(reply.json["isCloudManaged"])

    def test_create_and_delete(self):
        self.server.admin("PATCH", "objects/%s" % uid(9),
                          {"_type": "user", "displayName": "New", "manager": uid(1)})
        self.assertEqual(self.server.graph("GET", "/users/%s/manager" % uid(9)).status, 200)
        self.server.admin("PATCH", "objects/%s" % uid(1), {"_delete": True})
        self.assertEqual(self.server.graph("GET", "/users/%s" % uid(1)).status, 404)
        members = self.server.graph("GET", "/groups/%s/members" % gid(1)).json["value"]
        self.assertNotIn(uid(1), [m["id"] for m in members])
        self.assertEqual(self.server.graph("GET", "/users/%s/manager" % uid(9)).status, 404)
        reply = self.server.call("PATCH", "/_fake/objects/nobody", body={"x": 1})
        self.assertEqual(reply.status, 404)

    def test_put_tenant_validates(self):
        reply = self.server.call("PUT", "/_fake/tenant", body={"tenantId": "x"})
        self.assertEqual(reply.status, 400)
        self.assertIn("clientId", reply.json["error"])

    def test_config_refuses_unknown_keys(self):
        self.assertEqual(self.server.call("PUT", "/_fake/config", body={"nope": 1}).status, 400)
        self.assertEqual(self.server.call("PUT", "/_fake/config",
                                          body={"page_size": {"graph": 0}}).status, 400)


if __name__ == "__main__":
    unittest.main()
