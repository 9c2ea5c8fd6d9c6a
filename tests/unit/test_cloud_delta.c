/*
 * cloud/delta.c: Graph delta rounds counted, the next link kept, a spent
 * link told apart.  The bodies follow "Use delta query to track changes in
 * Microsoft Graph data" and "user: delta" / "group: delta" (learn.microsoft.com
 * /graph/delta-query-overview, /graph/api/user-delta, /graph/api/group-delta).
 */
#include "test_cloud_fake.h"

#include "cloud/delta.h"

static const char *const user_select[] = { "jobTitle", "manager", NULL };

/* A round of two pages: a change, a removal, then the deltaLink. */
static const char page1[] =
    "{\"@odata.context\":\"https://graph.microsoft."
    "com/v1.0/$metadata#users(id,displayName)\",\"@odata.nextLink\":\"https"
    "://graph.microsoft.com/v1.0/users/delta?$skiptoken=pAge2\",\"value\":["
    "{\"id\":\"u1\",\"jobTitle\":\"Boss\"},"
    "{\"id\":\"u2\",\"@removed\":{\"reason\":\"changed\"}}]}";
static const char page2[] =
    "{\"@odata.context\":\"https://graph.microsoft."
    "com/v1.0/$metadata#users(id,displayName)\",\"@odata.deltaLink\":\"https"
    "://graph.microsoft.com/v1.0/users/delta?$deltatoken=nExt\",\"value\":["
    "{\"id\":\"u3\",\"jobTitle\":null}]}";

static void
test_delta_follow_counts_a_round_and_keeps_its_delta_link(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = page1 },
		{ .status = 200, .body = page2 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_delta d;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(
	    cloud_delta_follow(c, DIROBJ_USER,
		"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=oLd",
		&d, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 2);
	assert_string_equal(f.req[0].url,
	    "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=oLd");
	assert_string_equal(f.req[1].url,
	    "https://graph.microsoft.com/v1.0/users/delta?$skiptoken=pAge2");
	assert_int_equal(d.changed, 2);
	assert_int_equal(d.removed, 1);
	assert_int_equal(d.expired, 0);
	assert_string_equal(d.link,
	    "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=nExt");
	cloud_delta_free(&d);
	fake_free(&f);
	cloud_close(c);
}

static void
test_delta_latest_asks_for_the_listing_properties_and_members(void **state)
{
	static const char empty[] =
	    "{\"@odata.deltaLink\":\"https://graph."
	    "microsoft.com/v1.0/groups/delta?$deltatoken=L\",\"value\":[]}";
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = empty },
		{ .status = 200, .body = empty },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_delta d;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_delta_latest(c, DIROBJ_GROUP, NULL, &d, &err),
	    SB_OK);
	assert_string_equal(f.req[0].url,
	    "https://graph.microsoft.com/v1.0/"
	    "groups/delta?$select=id,displayName,onPremisesSecurityIdentifier,"
	    "onPremisesSyncEnabled,members&$deltatoken=latest");
	assert_string_equal(d.link,
	    "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=L");
	cloud_delta_free(&d);
	/* users: the listing's select, manager (navigation) left out */
	assert_int_equal(cloud_delta_latest(c, DIROBJ_USER, user_select, &d,
			     &err),
	    SB_OK);
	assert_string_equal(f.req[1].url,
	    "https://graph.microsoft.com/v1.0/"
	    "users/delta?$select=id,displayName,onPremisesImmutableId,"
	    "onPremisesSecurityIdentifier,onPremisesSyncEnabled,jobTitle"
	    "&$deltatoken=latest");
	cloud_delta_free(&d);
	fake_free(&f);
	cloud_close(c);
}

/* Graph's words for a spent token: 410 Gone, or 400 with these codes. */
static void
test_delta_spent_link_is_expired_not_an_error(void **state)
{
	static const char gone[] =
	    "{\"error\":{\"code\":\"resyncRequired\","
	    "\"message\":\"Resync required. Replace any local cached data with "
	    "data from the delta link in the Location header.\"}}";
	static const char notfound[] =
	    "{\"error\":{\"code\":\"syncStateNotFound"
	    "\",\"message\":\"The sync state generation is not found.\"}}";
	static const struct fake_reply replies[] = {
		{ .status = 410, .body = gone },
		{ .status = 400, .body = notfound },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_delta d;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(
	    cloud_delta_follow(c, DIROBJ_USER,
		"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x",
		&d, &err),
	    SB_OK);
	assert_int_equal(d.expired, 1);
	assert_null(d.link);
	cloud_delta_free(&d);
	assert_int_equal(
	    cloud_delta_follow(c, DIROBJ_GROUP,
		"https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=y",
		&d, &err),
	    SB_OK);
	assert_int_equal(d.expired, 1);
	cloud_delta_free(&d);
	fake_free(&f);
	cloud_close(c);
}

static void
test_delta_other_400_is_an_error_and_foreign_link_is_refused(void **state)
{
	static const char bad[] = "{\"error\":{\"code\":\"BadRequest\","
				  "\"message\":\"Unsupported query.\"}}";
	static const struct fake_reply replies[] = {
		{ .status = 400, .body = bad },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct cloud_delta d;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_not_equal(
	    cloud_delta_follow(c, DIROBJ_USER,
		"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x",
		&d, &err),
	    SB_OK);
	assert_int_equal(d.expired, 0);
	cloud_delta_free(&d);
	/* a stored link that points elsewhere never gets the token */
	assert_int_equal(
	    cloud_delta_follow(c, DIROBJ_USER,
		"https://evil.example/v1.0/users/delta?$deltatoken=x", &d,
		&err),
	    SB_STOP);
	assert_non_null(strstr(err.text, "another host"));
	assert_int_equal(f.nreq, 1);
	cloud_delta_free(&d);
	fake_free(&f);
	cloud_close(c);
}

static void
test_delta_page_needs_exactly_one_link_and_counts_members(void **state)
{
	static const char both[] = "{\"@odata.nextLink\":\"a\","
				   "\"@odata.deltaLink\":\"b\",\"value\":[]}";
	static const char none[] = "{\"value\":[]}";
	static const char members[] =
	    "{\"@odata.deltaLink\":\"b\",\"value\":["
	    "{\"id\":\"g1\",\"members@delta\":[{\"@odata.type\":\"#microsoft."
	    "graph.user\",\"id\":\"u1\"},{\"@odata.type\":\"#microsoft.graph."
	    "user\",\"id\":\"u2\",\"@removed\":\"deleted\"}]}]}";
	static const char noid[] = "{\"@odata.deltaLink\":\"b\",\"value\":["
				   "{\"displayName\":\"x\"}]}";
	struct cloud_delta acc = { 0 };
	struct sb_error err = { 0 };
	char *next, *link;

	(void)state;
	assert_int_not_equal(cloud_delta_parse_page(both, strlen(both), "t",
				 &acc, &next, &link, &err),
	    SB_OK);
	assert_null(next);
	assert_null(link);
	assert_int_not_equal(cloud_delta_parse_page(none, strlen(none), "t",
				 &acc, &next, &link, &err),
	    SB_OK);
	assert_int_not_equal(cloud_delta_parse_page(noid, strlen(noid), "t",
				 &acc, &next, &link, &err),
	    SB_OK);
	assert_int_equal(acc.changed, 0);
	assert_int_equal(cloud_delta_parse_page(members, strlen(members), "t",
			     &acc, &next, &link, &err),
	    SB_OK);
	assert_int_equal(acc.changed, 1);
	assert_int_equal(acc.members, 2);
	assert_string_equal(link, "b");
	free(link);
	assert_true(cloud_delta_is_expired(410, NULL, 0));
	assert_false(cloud_delta_is_expired(404, "{}", 2));
	assert_false(cloud_delta_is_expired(400, "not json", 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_delta_follow_counts_a_round_and_keeps_its_delta_link),
		cmocka_unit_test(
		    test_delta_latest_asks_for_the_listing_properties_and_members),
		cmocka_unit_test(test_delta_spent_link_is_expired_not_an_error),
		cmocka_unit_test(
		    test_delta_other_400_is_an_error_and_foreign_link_is_refused),
		cmocka_unit_test(
		    test_delta_page_needs_exactly_one_link_and_counts_members),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
