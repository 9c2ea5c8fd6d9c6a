/* cloud/graph.c, cloud/pager.c and cloud/json.c: Graph pages into dirobjs, paging, SOA in $batch. */
#include "test_cloud_fake.h"

#include "cloud/batch.h"
#include "cloud/graph.h"

static const char *const user_select[] = { "id", "displayName", "jobTitle",
	"businessPhones", "proxyAddresses", "onPremisesExtensionAttributes",
	"accountEnabled", "extension_0a1b2c3d4e5f60718293a4b5c6d7e8f9_employeeNumber",
	"manager", NULL };

static enum sb_status
parse_file(const char *rel, enum dirobj_kind kind, const char *const *select,
    int expand, struct dirset *out, char **next, struct sb_error *err)
{
	enum sb_status st;
	size_t len;
	char *body = load_data(rel, &len);

	st = cloud_graph_parse_page(body, len, kind, select, expand, out, next,
	    err);
	free(body);
	return st;
}

static void
assert_values(const struct dirobj *o, const char *name, size_t n)
{
	const struct dirattr *a = dirobj_get(o, name);

	if (a == NULL)
		fail_msg("attribute %s absent", name);
	if (a->nvals != n)
		fail_msg("attribute %s: %zu values, expected %zu", name,
		    a->nvals, n);
}

static void
test_graph_page_keeps_anchors_and_selected_properties(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	struct dirobj *ann;
	char *next = NULL;

	(void)state;
	dirset_init(&s);
	assert_int_equal(parse_file("graph/users-page1.json", DIROBJ_USER,
	    user_select, 1, &s, &next, &err), SB_OK);
	assert_int_equal(s.n, 3);
	ann = s.objs[0];
	assert_int_equal(ann->kind, DIROBJ_USER);
	assert_string_equal(ann->cloud_id,
	    "5b3c0a5e-1111-4c2e-9a1b-000000000001");
	assert_string_equal(ann->display_name, "Ann Archer");
	assert_string_equal(ann->immutable_id, "Aqk3zGn6a0mY2VxzLl3aVQ==");
	assert_string_equal(ann->sid_string,
	    "S-1-5-21-1004336348-1177238915-682003330-1105");
	assert_int_equal(ann->sync_enabled, SB_TRI_TRUE);
	assert_int_equal(ann->cloud_managed, SB_TRI_UNSET);
	assert_string_equal(dirobj_get_str(ann, "jobTitle"), "Engineer");
	assert_values(ann, "businessPhones", 2);
	assert_values(ann, "proxyAddresses", 3);
	assert_string_equal(dirobj_get_str(ann, "accountEnabled"), "true");
	assert_string_equal(dirobj_get_str(ann, "manager"),
	    "5b3c0a5e-1111-4c2e-9a1b-000000000002");
	assert_string_equal(next, "https://graph.microsoft.com/v1.0/users?"
	    "$select=id,displayName,onPremisesImmutableId,"
	    "onPremisesSecurityIdentifier,onPremisesSyncEnabled,jobTitle,"
	    "businessPhones,proxyAddresses,onPremisesExtensionAttributes,"
	    "accountEnabled&$top=999&$expand=manager($select=id)&$skiptoken="
	    "RFNwdAIAAQAAAB9BbGV4V0Bjb250b3NvLm9ubWljcm9zb2Z0LmNvbSk");
	/* unselected anchors are fields, not attributes */
	assert_null(dirobj_get(ann, "onPremisesImmutableId"));
	free(next);
	dirset_free(&s);
}

static void
test_graph_page_flattens_nested_objects_with_dotted_names(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	char *next = NULL;

	(void)state;
	dirset_init(&s);
	assert_int_equal(parse_file("graph/users-page1.json", DIROBJ_USER,
	    user_select, 1, &s, &next, &err), SB_OK);
	assert_string_equal(dirobj_get_str(s.objs[0],
	    "onPremisesExtensionAttributes.extensionAttribute1"), "cost-4711");
	assert_values(s.objs[0],
	    "onPremisesExtensionAttributes.extensionAttribute2", 0);
	assert_values(s.objs[0],
	    "onPremisesExtensionAttributes.extensionAttribute3", 0);
	assert_null(dirobj_get(s.objs[0], "onPremisesExtensionAttributes"));
	/* a null complex property: present, no values */
	assert_values(s.objs[1], "onPremisesExtensionAttributes", 0);
	free(next);
	dirset_free(&s);
}

static void
test_graph_page_tells_null_absent_and_empty_collection_apart(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	struct dirobj *bob, *cleo;
	char *next = NULL;

	(void)state;
	dirset_init(&s);
	assert_int_equal(parse_file("graph/users-page1.json", DIROBJ_USER,
	    user_select, 1, &s, &next, &err), SB_OK);
	bob = s.objs[1];
	cleo = s.objs[2];
	/* null -> present with no values */
	assert_values(bob, "jobTitle", 0);
	assert_null(bob->immutable_id);
	assert_null(bob->sid_string);
	assert_int_equal(bob->sync_enabled, SB_TRI_UNSET);
	/* empty collection -> present with no values */
	assert_values(bob, "businessPhones", 0);
	assert_values(bob, "proxyAddresses", 0);
	assert_string_equal(dirobj_get_str(bob, "accountEnabled"), "false");
	/* manager expanded but null -> known to be none: present, 0 values */
	assert_values(bob, "manager", 0);
	/* absent -> absent */
	assert_null(dirobj_get(cleo, "jobTitle"));
	assert_null(dirobj_get(cleo, "proxyAddresses"));
	assert_values(cleo, "manager", 0);	/* expanded, left out: none */
	assert_int_equal(cleo->sync_enabled, SB_TRI_FALSE);
	assert_values(cleo, "businessPhones", 1);
	free(next);
	dirset_free(&s);
}

static void
test_graph_page_skips_at_keys_and_writes_numbers_as_text(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	char *next = (char *)"sentinel";
	size_t i;

	(void)state;
	dirset_init(&s);
	/* select NULL: every property Graph sent, except metadata */
	assert_int_equal(parse_file("graph/users-page2.json", DIROBJ_USER,
	    NULL, 0, &s, &next, &err), SB_OK);
	assert_null(next);	/* the last page */
	assert_int_equal(s.n, 1);
	assert_string_equal(dirobj_get_str(s.objs[0],
	    "extension_0a1b2c3d4e5f60718293a4b5c6d7e8f9_employeeNumber"),
	    "4711");
	for (i = 0; i < s.objs[0]->nattrs; i++)
		assert_null(strchr(s.objs[0]->attrs[i].name, '@'));
	dirset_free(&s);

	dirset_init(&s);
	assert_int_equal(parse_file("graph/users-page1.json", DIROBJ_USER,
	    NULL, 1, &s, &next, &err), SB_OK);
	for (i = 0; i < s.objs[0]->nattrs; i++)
		assert_null(strchr(s.objs[0]->attrs[i].name, '@'));
	assert_null(dirobj_get(s.objs[0], "manager.id"));
	assert_string_equal(dirobj_get_str(s.objs[0], "manager"),
	    "5b3c0a5e-1111-4c2e-9a1b-000000000002");
	free(next);
	dirset_free(&s);
}

static void
test_graph_page_repeated_selects_do_not_double_values(void **state)
{
	static const char *const twice[] = { "proxyAddresses", "ProxyAddresses",
		"proxyAddresses", NULL };
	struct dirset s;
	struct sb_error err = { 0 };
	char *next = NULL;

	(void)state;
	dirset_init(&s);
	assert_int_equal(parse_file("graph/users-page1.json", DIROBJ_USER,
	    twice, 0, &s, &next, &err), SB_OK);
	assert_values(s.objs[0], "proxyAddresses", 3);
	free(next);
	dirset_free(&s);
}

static void
test_graph_page_malformed_is_an_error_naming_the_endpoint(void **state)
{
	static const char *const files[] = { "graph/users-value-not-array.json",
		"graph/users-no-value.json", "graph/users-missing-id.json",
		"graph/users-wrong-types.json", "graph/users-truncated.json",
		"graph/not-json.html" };
	struct dirset s;
	struct sb_error err;
	char *next;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		dirset_init(&s);
		memset(&err, 0, sizeof(err));
		next = NULL;
		assert_int_equal(parse_file(files[i], DIROBJ_USER, user_select,
		    0, &s, &next, &err), SB_RETRY);
		/* never partial data */
		assert_int_equal(s.n, 0);
		assert_null(next);
		assert_string_equal(err.where, "graph.users");
		assert_non_null(strstr(err.text,
		    "malformed response from GET /v1.0/users"));
		dirset_free(&s);
	}
}

static void
test_graph_members_are_typed_by_odata_type(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	char *body, *next = NULL;
	size_t len;

	(void)state;
	dirset_init(&s);
	body = load_data("graph/members-page.json", &len);
	assert_int_equal(cloud_graph_parse_members(body, len, &s, &next, &err),
	    SB_OK);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.objs[0]->kind, DIROBJ_USER);
	assert_int_equal(s.objs[1]->kind, DIROBJ_GROUP);
	assert_int_equal(s.objs[2]->kind, DIROBJ_CONTACT);
	assert_int_equal(s.objs[3]->kind, DIROBJ_OTHER);
	assert_string_equal(dirobj_get_str(s.objs[3], "odataType"),
	    "#microsoft.graph.device");
	assert_string_equal(s.objs[2]->display_name, "External Partner");
	assert_non_null(strstr(next, "$skiptoken=X%274453707402000100000017%27"));
	free(next);
	free(body);
	dirset_free(&s);
}

static void
test_graph_a_malformed_member_entry_skips_only_its_group(void **state)
{
	static const char *const files[] = { "graph/members-no-id.json",
	    "graph/members-id-not-string.json",
	    "graph/members-id-too-long.json",
	    "graph/members-id-control.json" };
	static const char *const why[] = { "member 1 of the page has no \"id\"",
	    "member 0 of the page has no \"id\"",
	    "(200 characters)\" is not a Graph object id (200 characters, "
	    "at most 64)", "is not a Graph object id (holds a control "
	    "character)" };
	struct dirset s;
	struct sb_error err;
	char *body, *next;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		dirset_init(&s);
		memset(&err, 0, sizeof(err));
		next = NULL;
		body = load_data(files[i], &len);
		/* SKIP: this group only, never the run; never half a page. */
		assert_int_equal(cloud_graph_parse_members(body, len, &s,
		    &next, &err), SB_SKIP);
		assert_int_equal(s.n, 0);
		assert_null(next);
		assert_string_equal(err.where, "graph.members");
		assert_non_null(strstr(err.text, "malformed member entry"));
		if (strstr(err.text, why[i]) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", files[i], err.text,
			    why[i]);
		/* Control bytes never reach a message. */
		assert_null(strchr(err.text, '\a'));
		free(body);
		dirset_free(&s);
	}
}

/* Listing through the pager, with the scripted transport. */

struct collect {
	struct dirset	 set;
	size_t		 fail_at;	/* 0: never */
};

static enum sb_status
collect_cb(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct collect *c = arg;

	if (c->fail_at != 0 && c->set.n + 1 == c->fail_at) {
		dirobj_free(o);
		return sb_fail(err, SB_REFUSED, 0, "test", "callback says no");
	}
	return dirset_add(&c->set, o, err);
}

static void
test_graph_users_follows_next_link_verbatim_page_by_page(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/users-page1.json" },
		{ .status = 200, .file = "graph/users-page2.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct collect col = { .fail_at = 0 };
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&col.set);
	assert_int_equal(cloud_graph_users(c, user_select, 1, collect_cb, &col,
	    &err), SB_OK);
	assert_int_equal(col.set.n, 4);
	assert_int_equal(f.nreq, 2);
	assert_string_equal(f.req[0].method, "GET");
	assert_string_equal(f.req[0].url, "https://graph.microsoft.com/v1.0/"
	    "users?$select=id,displayName,onPremisesImmutableId,"
	    "onPremisesSecurityIdentifier,onPremisesSyncEnabled,jobTitle,"
	    "businessPhones,proxyAddresses,onPremisesExtensionAttributes,"
	    "accountEnabled,"
	    "extension_0a1b2c3d4e5f60718293a4b5c6d7e8f9_employeeNumber"
	    "&$top=999&$expand=manager($select=id)");
	assert_non_null(strstr(f.req[1].url, "&$skiptoken=RFNwdAIAAQAAAB9Bb"));
	assert_string_equal(f.req[0].bearer, "tok-graph-1");
	assert_string_equal(f.req[1].bearer, "tok-graph-1");
	assert_int_equal(f.ntokens, 1);
	assert_int_equal(strlen(f.req[0].crid), 36);
	assert_string_not_equal(f.req[0].crid, f.req[1].crid);
	dirset_free(&col.set);
	fake_free(&f);
	cloud_close(c);
}

static void
test_graph_users_refuses_a_next_link_to_another_host(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"}],"
		  "\"@odata.nextLink\":\"https://evil.example/v1.0/users?x=1\"}" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct collect col = { .fail_at = 0 };
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&col.set);
	assert_int_equal(cloud_graph_users(c, NULL, 0, collect_cb, &col, &err),
	    SB_STOP);
	assert_non_null(strstr(err.text, "another host"));
	assert_int_equal(f.nreq, 1);
	dirset_free(&col.set);
	fake_free(&f);
	cloud_close(c);
}

static void
test_graph_users_stops_when_the_callback_fails(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/users-page1.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct collect col = { .fail_at = 2 };
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&col.set);
	assert_int_equal(cloud_graph_users(c, user_select, 1, collect_cb, &col,
	    &err), SB_REFUSED);
	assert_int_equal(col.set.n, 1);
	assert_string_equal(err.text, "callback says no");
	dirset_free(&col.set);
	fake_free(&f);
	cloud_close(c);
}

static void
test_graph_rejects_property_names_that_would_change_the_url(void **state)
{
	static const char *const bad[] = { "id", "jobTitle&$filter=x", NULL };
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct collect col = { .fail_at = 0 };
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&col.set);
	assert_int_equal(cloud_graph_groups(c, bad, 0, collect_cb, &col, &err),
	    SB_CONFIG);
	assert_int_equal(f.nreq, 0);
	assert_int_equal(cloud_graph_members(c, "../users", collect_cb, &col,
	    &err), SB_SKIP);
	dirset_free(&col.set);
	fake_free(&f);
	cloud_close(c);
}

static void
test_graph_members_skip_names_the_group(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/members-no-id.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct collect col = { .fail_at = 0 };
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&col.set);
	assert_int_equal(cloud_graph_members(c,
	    "7c1d0000-2222-4b3c-8d4e-000000000010", collect_cb, &col, &err),
	    SB_SKIP);
	assert_int_equal(col.set.n, 0);
	assert_non_null(strstr(err.text, "GET /v1.0/groups/{id}/members "
	    "object 7c1d0000-2222-4b3c-8d4e-000000000010: member 1"));
	/* A group id that is not one: nothing sent, this group only. */
	assert_int_equal(cloud_graph_members(c, "../users", collect_cb, &col,
	    &err), SB_SKIP);
	assert_int_equal(f.nreq, 1);
	dirset_free(&col.set);
	fake_free(&f);
	cloud_close(c);
}

static void
test_graph_403_names_the_permission_to_grant(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 403, .file = "graph/error-403.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct collect col = { .fail_at = 0 };
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&col.set);
	assert_int_equal(cloud_graph_groups(c, NULL, 0, collect_cb, &col, &err),
	    SB_STOP);
	assert_int_equal(err.code, 403);
	assert_non_null(strstr(err.text, "Authorization_RequestDenied"));
	assert_non_null(strstr(err.text, "Group.Read.All"));
	assert_non_null(strstr(err.text, "req-1"));
	dirset_free(&col.set);
	fake_free(&f);
	cloud_close(c);
}

/* Source of authority through $batch. */

static const char *const soa_ids[] = {
	"5b3c0a5e-1111-4c2e-9a1b-000000000001",
	"5b3c0a5e-1111-4c2e-9a1b-000000000002",
	"5b3c0a5e-1111-4c2e-9a1b-000000000003",
	"5b3c0a5e-1111-4c2e-9a1b-000000000004",
};

static void
test_soa_matches_batch_replies_out_of_order_and_retries_the_429(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/batch-soa-round1.json" },
		{ .status = 200, .file = "graph/batch-soa-round2.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct sb_error err = { 0 };
	enum sb_tri out[4] = { 9, 9, 9, 9 };
	json_t *second;

	(void)state;
	assert_int_equal(cloud_graph_soa(c, DIROBJ_USER, soa_ids, 4, out, &err),
	    SB_OK);
	assert_int_equal(out[0], SB_TRI_TRUE);
	assert_int_equal(out[1], SB_TRI_TRUE);	/* after the retry */
	assert_int_equal(out[2], SB_TRI_FALSE);
	assert_int_equal(out[3], SB_TRI_UNSET);	/* 404 */
	assert_int_equal(f.nreq, 2);
	assert_string_equal(f.req[0].url, "https://graph.microsoft.com/v1.0/"
	    "$batch");
	assert_non_null(strstr(f.req[0].body, "\"url\":\"/users/"
	    "5b3c0a5e-1111-4c2e-9a1b-000000000004/onPremisesSyncBehavior"
	    "?$select=isCloudManaged\""));
	/* the second batch holds only the throttled item */
	second = json_loads(f.req[1].body, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(second, "requests")),
	    1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(second, "requests"), 0), "id")), "1");
	json_decref(second);
	/* waited at least the item's Retry-After: 7 s */
	assert_int_equal(f.nsleeps, 1);
	assert_true(f.sleeps[0] >= 7000 && f.sleeps[0] <= 7250);
	fake_free(&f);
	cloud_close(c);
}

static void
test_soa_of_45_objects_takes_3_batches(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .auto_batch = 1 },
		{ .status = 200, .auto_batch = 1 },
		{ .status = 200, .auto_batch = 1 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct sb_error err = { 0 };
	char idbuf[45][40];
	const char *ids[45];
	enum sb_tri out[45];
	json_t *b;
	size_t i;

	(void)state;
	for (i = 0; i < 45; i++) {
		snprintf(idbuf[i], sizeof(idbuf[i]),
		    "7c1d0000-2222-4b3c-8d4e-%012zu", i);
		ids[i] = idbuf[i];
	}
	assert_int_equal(cloud_graph_soa(c, DIROBJ_GROUP, ids, 45, out, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 3);
	for (i = 0; i < 3; i++) {
		b = json_loads(f.req[i].body, 0, NULL);
		assert_int_equal(json_array_size(json_object_get(b, "requests")),
		    i < 2 ? 20 : 5);
		json_decref(b);
	}
	assert_non_null(strstr(f.req[0].body, "/groups/"));
	for (i = 0; i < 45; i++)
		assert_int_equal(out[i], SB_TRI_TRUE);
	fake_free(&f);
	cloud_close(c);
}

static void
test_soa_item_failure_names_the_object_and_graphs_error(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/batch-soa-403.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct sb_error err = { 0 };
	enum sb_tri out[2] = { 9, 9 };

	(void)state;
	assert_int_equal(cloud_graph_soa(c, DIROBJ_USER, soa_ids, 2, out, &err),
	    SB_STOP);
	assert_non_null(strstr(err.text, soa_ids[1]));
	assert_non_null(strstr(err.text, "Authorization_RequestDenied"));
	assert_non_null(strstr(err.text, "Insufficient privileges"));
	assert_non_null(strstr(err.text,
	    "User-OnPremisesSyncBehavior.ReadWrite.All"));
	/* the item's request-id, and the client-request-id of its $batch */
	assert_non_null(strstr(err.text, "client-request-id "));
	assert_non_null(strstr(err.text, f.req[0].crid));
	/* out untouched on failure */
	assert_int_equal(out[0], 9);
	fake_free(&f);
	cloud_close(c);
}

static void
test_soa_gives_up_when_an_item_stays_throttled(void **state)
{
	static const char throttled[] = "{\"responses\":[{\"id\":\"0\","
	    "\"status\":429,\"headers\":{\"retry-after\":\"2\"},\"body\":"
	    "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"x\"}}}]}";
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = throttled },
		{ .status = 200, .body = throttled },
		{ .status = 200, .body = throttled },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct sb_error err = { 0 };
	enum sb_tri out[1];

	(void)state;
	cloud_client_set_retries(c, 2, 120);
	assert_int_equal(cloud_graph_soa(c, DIROBJ_CONTACT, soa_ids, 1, out,
	    &err), SB_RETRY);
	assert_int_equal(f.nreq, 3);
	assert_int_equal(f.nsleeps, 2);
	assert_non_null(strstr(err.text, "still throttled"));
	assert_non_null(strstr(err.text, soa_ids[0]));
	fake_free(&f);
	cloud_close(c);
}

static void
test_soa_reply_without_a_boolean_fails_the_tri_state_read(void **state)
{
	static const char *const ids[] = {
	    "5b3c0a5e-1111-4c2e-9a1b-000000000001",
	    "5b3c0a5e-1111-4c2e-9a1b-000000000002",
	    "5b3c0a5e-1111-4c2e-9a1b-000000000003",
	    "5b3c0a5e-1111-4c2e-9a1b-000000000004",
	    "5b3c0a5e-1111-4c2e-9a1b-000000000005",
	    "5b3c0a5e-1111-4c2e-9a1b-000000000006",
	    "5b3c0a5e-1111-4c2e-9a1b-000000000007" };
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"responses\":[{\"id\":\"1\","
		  "\"status\":200,\"body\":{\"id\":\"5b3c0a5e-1111-4c2e-"
		  "9a1b-000000000002\",\"isCloudManaged\":false}},{\"id\":"
		  "\"0\",\"status\":200,\"body\":{\"value\":{\"id\":"
		  "\"5b3c0a5e-1111-4c2e-9a1b-000000000001\",\"isCloudManaged\""
		  ":true}}}]}" },
		{ .status = 200, .file = "graph/batch-soa-shapes.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct sb_error err = { 0 };
	enum sb_tri out[7] = { 9, 9, 9, 9, 9, 9, 9 };

	(void)state;
	/* The first two: wrapped true, flat false. */
	assert_int_equal(cloud_graph_soa(c, DIROBJ_USER, ids, 2, out, &err),
	    SB_OK);
	assert_int_equal(out[0], SB_TRI_TRUE);
	assert_int_equal(out[1], SB_TRI_FALSE);
	/* {} for the third: never "false", the call fails naming it. */
	out[0] = out[1] = 9;
	assert_int_equal(cloud_graph_soa(c, DIROBJ_USER, ids, 7, out, &err),
	    SB_RETRY);
	assert_non_null(strstr(err.text, ids[2]));
	assert_non_null(strstr(err.text, "without a boolean isCloudManaged"));
	assert_int_equal(out[0], 9);
	fake_free(&f);
	cloud_close(c);
}

static void
test_graph_users_listed_without_expand_ask_999_a_page(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/users-page2.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct collect col = { .fail_at = 0 };
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&col.set);
	assert_int_equal(cloud_graph_users(c, user_select, 0, collect_cb, &col,
	    &err), SB_OK);
	assert_non_null(strstr(f.req[0].url, "&$top=999"));
	assert_null(strstr(f.req[0].url, "$expand"));
	assert_null(strstr(f.req[0].url, "manager"));
	/* Not read: absent, never "no manager". */
	assert_null(dirobj_get(col.set.objs[0], "manager"));
	dirset_free(&col.set);
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_reply_with_unknown_repeated_or_missing_ids_is_malformed(void **state)
{
	static const char *const files[] = { "graph/batch-soa-duplicate.json",
		"graph/batch-soa-unknown-id.json",
		"graph/batch-soa-missing.json", "graph/not-json.html" };
	struct cloud_batch_item items[2];
	struct sb_error err;
	char *body;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		memset(items, 0, sizeof(items));
		items[0].url = "/users/a/onPremisesSyncBehavior";
		items[1].url = "/users/b/onPremisesSyncBehavior";
		items[0].sent = items[1].sent = 1;
		memset(&err, 0, sizeof(err));
		body = load_data(files[i], &len);
		assert_int_equal(cloud_batch_parse("graph.soa", body, len,
		    items, 2, &err), SB_RETRY);
		assert_non_null(strstr(err.text,
		    "malformed response from POST /v1.0/$batch"));
		cloud_batch_reset(items, 2);
		free(body);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graph_page_keeps_anchors_and_selected_properties),
		cmocka_unit_test(test_graph_page_flattens_nested_objects_with_dotted_names),
		cmocka_unit_test(test_graph_page_tells_null_absent_and_empty_collection_apart),
		cmocka_unit_test(test_graph_page_skips_at_keys_and_writes_numbers_as_text),
		cmocka_unit_test(test_graph_page_repeated_selects_do_not_double_values),
		cmocka_unit_test(test_graph_page_malformed_is_an_error_naming_the_endpoint),
		cmocka_unit_test(test_graph_members_are_typed_by_odata_type),
		cmocka_unit_test(test_graph_users_follows_next_link_verbatim_page_by_page),
		cmocka_unit_test(test_graph_users_refuses_a_next_link_to_another_host),
		cmocka_unit_test(test_graph_users_stops_when_the_callback_fails),
		cmocka_unit_test(test_graph_rejects_property_names_that_would_change_the_url),
		cmocka_unit_test(test_graph_403_names_the_permission_to_grant),
		cmocka_unit_test(test_graph_a_malformed_member_entry_skips_only_its_group),
		cmocka_unit_test(test_graph_members_skip_names_the_group),
		cmocka_unit_test(test_soa_matches_batch_replies_out_of_order_and_retries_the_429),
		cmocka_unit_test(test_soa_of_45_objects_takes_3_batches),
		cmocka_unit_test(test_soa_item_failure_names_the_object_and_graphs_error),
		cmocka_unit_test(test_soa_gives_up_when_an_item_stays_throttled),
		cmocka_unit_test(test_soa_reply_without_a_boolean_fails_the_tri_state_read),
		cmocka_unit_test(test_graph_users_listed_without_expand_ask_999_a_page),
		cmocka_unit_test(test_batch_reply_with_unknown_repeated_or_missing_ids_is_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
