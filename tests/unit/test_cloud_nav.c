/* cloud/nav.c: source of authority and managers read in $batch, one state per object. */
#include "test_cloud_fake.h"

#include "cloud/nav.h"

static const char *const ids7[] = {
	"5b3c0a5e-1111-4c2e-9a1b-000000000001",
	"5b3c0a5e-1111-4c2e-9a1b-000000000002",
	"5b3c0a5e-1111-4c2e-9a1b-000000000003",
	"5b3c0a5e-1111-4c2e-9a1b-000000000004",
	"5b3c0a5e-1111-4c2e-9a1b-000000000005",
	"5b3c0a5e-1111-4c2e-9a1b-000000000006",
	"5b3c0a5e-1111-4c2e-9a1b-000000000007",
};

static void
assert_why(const char *why, const char *part)
{
	if (why == NULL || strstr(why, part) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", why ? why : "(null)", part);
}

static void
test_nav_soa_reads_flat_and_wrapped_and_never_takes_no_boolean_for_false(
    void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/batch-soa-shapes.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct sb_error err = { 0 };
	struct cloud_soa out[7];

	(void)state;
	memset(out, 0, sizeof(out));
	assert_int_equal(cloud_nav_soa(c, DIROBJ_USER, ids7, 7, out, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 1);
	assert_non_null(strstr(f.req[0].body, "\"url\":\"/users/"
	    "5b3c0a5e-1111-4c2e-9a1b-000000000001/onPremisesSyncBehavior"
	    "?$select=isCloudManaged\""));
	/* {"value":{...,"isCloudManaged":true}}: Microsoft's reference shape */
	assert_int_equal(out[0].state, CLOUD_SOA_TRUE);
	assert_null(out[0].why);
	/* flat, as working clients see it */
	assert_int_equal(out[1].state, CLOUD_SOA_FALSE);
	/* {}: unreadable, never "not cloud-managed" */
	assert_int_equal(out[2].state, CLOUD_SOA_UNREADABLE);
	assert_why(out[2].why, "answered 200 without a boolean isCloudManaged "
	    "(isCloudManaged is absent)");
	assert_why(out[2].why, "/v1.0/users/{id}/onPremisesSyncBehavior");
	assert_int_equal(out[3].state, CLOUD_SOA_UNREADABLE);
	assert_why(out[3].why, "isCloudManaged is null");
	/* 404: deleted since the listing */
	assert_int_equal(out[4].state, CLOUD_SOA_GONE);
	assert_why(out[4].why, "HTTP 404: Resource "
	    "'5b3c0a5e-1111-4c2e-9a1b-000000000005' does not exist");
	assert_int_equal(out[5].state, CLOUD_SOA_UNREADABLE);
	assert_why(out[5].why, "\"value\" is not an object");
	/* an answer about another object is none about this one */
	assert_int_equal(out[6].state, CLOUD_SOA_UNREADABLE);
	assert_why(out[6].why, "about another object");
	cloud_nav_soa_free(out, 7);
	fake_free(&f);
	cloud_close(c);
}

/* The reply exactly as Microsoft's API reference shows it, in a $batch item. */
static void
test_nav_soa_reads_the_documented_example(void **state)
{
	static const char *const ids[] = {
	    "673f83c9-7e84-4db8-9a63-b8a8c309fdad" };
	struct fake_reply replies[1] = { { .status = 200 } };
	struct fake f;
	struct cloud_client *c;
	struct sb_error err = { 0 };
	struct cloud_soa out[1];
	char *doc, *batch;
	size_t len;
	json_t *b;

	(void)state;
	doc = load_data("graph/soa-value-wrapped.json", &len);
	b = json_pack("{s:[{s:s, s:i, s:{s:s}, s:o}]}", "responses", "id", "0",
	    "status", 200, "headers", "Content-Type", "application/json",
	    "body", json_loadb(doc, len, 0, NULL));
	assert_non_null(b);
	batch = json_dumps(b, JSON_COMPACT);
	replies[0].body = batch;
	c = fake_client(&f, replies, 1);
	assert_int_equal(cloud_nav_soa(c, DIROBJ_GROUP, ids, 1, out, &err),
	    SB_OK);
	assert_int_equal(out[0].state, CLOUD_SOA_TRUE);
	assert_non_null(strstr(f.req[0].body, "/groups/673f83c9-"));
	cloud_nav_soa_free(out, 1);
	fake_free(&f);
	cloud_close(c);
	json_decref(b);
	free(batch);
	free(doc);
}

static void
test_nav_managers_tell_none_gone_and_not_read_apart(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/batch-managers.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct sb_error err = { 0 };
	struct cloud_manager out[5];

	(void)state;
	assert_int_equal(cloud_nav_managers(c, ids7, 5, out, &err), SB_OK);
	assert_int_equal(f.nreq, 1);
	assert_string_equal(f.req[0].url,
	    "https://graph.microsoft.com/v1.0/$batch");
	assert_non_null(strstr(f.req[0].body, "\"url\":\"/users/"
	    "5b3c0a5e-1111-4c2e-9a1b-000000000002/manager?$select=id\""));
	assert_int_equal(out[0].state, CLOUD_MGR_SET);
	assert_string_equal(out[0].id, "5b3c0a5e-1111-4c2e-9a1b-0000000000aa");
	/* "Resource 'manager' does not exist": no manager, clear AD's */
	assert_int_equal(out[1].state, CLOUD_MGR_NONE);
	assert_null(out[1].why);
	/* "Resource '<the user>' does not exist": the user is gone */
	assert_int_equal(out[2].state, CLOUD_MGR_GONE);
	assert_why(out[2].why, "HTTP 404: Resource "
	    "'5b3c0a5e-1111-4c2e-9a1b-000000000003'");
	/* a 404 that says neither, a 200 without an id: not read */
	assert_int_equal(out[3].state, CLOUD_MGR_FAILED);
	assert_why(out[3].why, "Not found.");
	assert_int_equal(out[4].state, CLOUD_MGR_FAILED);
	assert_why(out[4].why, "without a usable id");
	cloud_nav_managers_free(out, 5);
	fake_free(&f);
	cloud_close(c);
}

static void
test_nav_managers_go_twenty_to_a_batch(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .auto_batch = 1 },
		{ .status = 200, .auto_batch = 1 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct sb_error err = { 0 };
	struct cloud_manager out[21];
	char idbuf[21][40];
	const char *ids[21];
	json_t *b;
	size_t i;

	(void)state;
	for (i = 0; i < 21; i++) {
		snprintf(idbuf[i], sizeof(idbuf[i]),
		    "5b3c0a5e-1111-4c2e-9a1b-%012zu", i);
		ids[i] = idbuf[i];
	}
	assert_int_equal(cloud_nav_managers(c, ids, 21, out, &err), SB_OK);
	assert_int_equal(f.nreq, 2);
	for (i = 0; i < 2; i++) {
		b = json_loads(f.req[i].body, 0, NULL);
		assert_int_equal(json_array_size(json_object_get(b, "requests")),
		    i == 0 ? 20 : 1);
		json_decref(b);
	}
	/* the automatic answer has no id: not read, AD left alone */
	for (i = 0; i < 21; i++)
		assert_int_equal(out[i].state, CLOUD_MGR_FAILED);
	cloud_nav_managers_free(out, 21);
	fake_free(&f);
	cloud_close(c);
}

static void
test_nav_a_manager_403_stops_naming_the_permission(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/batch-managers-403.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct sb_error err = { 0 };
	struct cloud_manager out[1] = { { CLOUD_MGR_SET, NULL, NULL } };

	(void)state;
	assert_int_equal(cloud_nav_managers(c, ids7, 1, out, &err), SB_STOP);
	assert_non_null(strstr(err.text, "User.Read.All"));
	assert_non_null(strstr(err.text, "Authorization_RequestDenied"));
	assert_int_equal(strlen(f.req[0].crid), 36);
	assert_non_null(strstr(err.text, f.req[0].crid));
	/* out untouched on failure */
	assert_int_equal(out[0].state, CLOUD_MGR_SET);
	fake_free(&f);
	cloud_close(c);
}

static void
test_nav_refuses_an_id_that_is_not_one_before_sending(void **state)
{
	static const char *const bad[] = { "../users" };
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct sb_error err = { 0 };
	struct cloud_manager out[1];
	struct cloud_soa soa[1];

	(void)state;
	assert_int_equal(cloud_nav_managers(c, bad, 1, out, &err), SB_BUG);
	assert_int_equal(cloud_nav_soa(c, DIROBJ_USER, bad, 1, soa, &err),
	    SB_BUG);
	assert_int_equal(f.nreq, 0);
	fake_free(&f);
	cloud_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nav_soa_reads_flat_and_wrapped_and_never_takes_no_boolean_for_false),
		cmocka_unit_test(test_nav_soa_reads_the_documented_example),
		cmocka_unit_test(test_nav_managers_tell_none_gone_and_not_read_apart),
		cmocka_unit_test(test_nav_managers_go_twenty_to_a_batch),
		cmocka_unit_test(test_nav_a_manager_403_stops_naming_the_permission),
		cmocka_unit_test(test_nav_refuses_an_id_that_is_not_one_before_sending),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
