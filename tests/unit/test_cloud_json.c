/* cloud/json.c: an object whose keys would merge into one attribute is refused. */
#include "test_cloud_fake.h"

#include "cloud/exo.h"
#include "cloud/graph.h"
#include "cloud/json.h"

static const struct cloud_errctx users = { "graph.users", "GET",
	"/v1.0/users", NULL, NULL };

static enum sb_status
distinct(const char *text, struct sb_error *err)
{
	json_t *o = json_loads(text, 0, NULL);
	enum sb_status st;

	assert_non_null(o);
	st = cloud_json_distinct(&users, o, 3, err);
	json_decref(o);
	return st;
}

static void
test_json_keys_differing_only_in_case_are_refused(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	char *next = NULL;
	size_t len;
	char *body = load_data("graph/users-case-twins.json", &len);

	(void)state;
	/* read whole, the two would merge into one two-valued jobTitle */
	dirset_init(&s);
	assert_int_equal(cloud_graph_parse_page(body, len, DIROBJ_USER, NULL, 0,
	    &s, &next, &err), SB_RETRY);
	assert_int_equal(s.n, 0);
	assert_non_null(strstr(err.text, "object 0 of the page id "
	    "5b3c0a5e-1111-4c2e-9a1b-000000000021: \""));
	assert_non_null(strstr(err.text, "\"JobTitle\""));
	assert_non_null(strstr(err.text, "\"jobTitle\""));
	assert_non_null(strstr(err.text, "would be one attribute"));
	dirset_free(&s);
	free(body);
	/* in a mailbox page, and one level down */
	assert_int_equal(distinct("{\"Alias\":\"a\",\"alias\":\"b\"}", &err),
	    SB_RETRY);
	assert_int_equal(distinct("{\"a\":{\"B\":1,\"b\":2}}", &err), SB_RETRY);
	assert_non_null(strstr(err.text, "object 3 of the page: \"a."));
}

static void
test_json_a_dotted_key_beside_a_nested_object_is_refused(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	char *next = NULL;
	size_t len;
	char *body = load_data("graph/users-dotted-beside-nested.json", &len);

	(void)state;
	dirset_init(&s);
	assert_int_equal(cloud_graph_parse_page(body, len, DIROBJ_USER, NULL, 0,
	    &s, &next, &err), SB_RETRY);
	assert_int_equal(s.n, 0);
	assert_non_null(strstr(err.text, "\"onPremisesExtensionAttributes."
	    "extensionAttribute1\" and \"onPremisesExtensionAttributes."
	    "extensionAttribute1\" would be one attribute"));
	dirset_free(&s);
	free(body);
	assert_int_equal(distinct("{\"a.b.c\":1,\"a\":{\"b\":{\"c\":2}}}",
	    &err), SB_RETRY);
}

static void
test_json_annotations_and_distinct_names_pass(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	char *next = NULL;
	size_t len;
	char *body;

	(void)state;
	/* X@odata.type beside X, an empty object beside a dotted key */
	assert_int_equal(distinct("{\"EmailAddresses@odata.type\":\"#C\","
	    "\"EmailAddresses\":[\"SMTP:a@b\"],\"@odata.id\":\"x\",\"a\":{},"
	    "\"a.b\":1,\"c\":{\"d\":1},\"c.e\":2}", &err), SB_OK);
	/* Microsoft's shapes read as before */
	dirset_init(&s);
	body = load_data("exo/get-mailbox-full.json", &len);
	assert_int_equal(cloud_exo_parse_page(body, len, &s, &next, &err),
	    SB_OK);
	free(body);
	body = load_data("graph/users-page1.json", &len);
	assert_int_equal(cloud_graph_parse_page(body, len, DIROBJ_USER, NULL, 0,
	    &s, &next, &err), SB_OK);
	free(body);
	free(next);
	dirset_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_keys_differing_only_in_case_are_refused),
		cmocka_unit_test(test_json_a_dotted_key_beside_a_nested_object_is_refused),
		cmocka_unit_test(test_json_annotations_and_distinct_names_pass),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
