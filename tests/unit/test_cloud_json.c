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

/* Found by fuzz_graph: an object without keys reached qsort(NULL, 0). */
static void
test_json_objects_without_keys_or_with_one_are_distinct(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(distinct("{}", &err), SB_OK);
	assert_int_equal(distinct("{\"a\":{}}", &err), SB_OK);
	assert_int_equal(distinct("{\"a\":1}", &err), SB_OK);
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

/* Helpers for the tests below. */

static json_t *
parse(const char *text)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);

	assert_non_null(v);
	return v;
}

/* The attributes cloud_json_attr makes of {"name": <text>}, in a new dirobj. */
static struct dirobj *
attr_of(const char *name, const char *text, enum sb_status want)
{
	struct dirobj *o = dirobj_new(DIROBJ_USER);
	struct sb_error err = { 0 };
	json_t *v = parse(text);

	assert_non_null(o);
	assert_int_equal(cloud_json_attr(&users, o, name, v, &err), want);
	json_decref(v);
	return o;
}

static void
assert_attr(const struct dirobj *o, const char *name, size_t n,
    const char *first)
{
	const struct dirattr *a = dirobj_get(o, name);

	if (a == NULL)
		fail_msg("attribute %s absent", name);
	if (a->nvals != n)
		fail_msg("attribute %s: %zu values, expected %zu", name,
		    a->nvals, n);
	if (first != NULL && (a->vals[0].len != strlen(first) ||
	    memcmp(a->vals[0].p, first, a->vals[0].len) != 0))
		fail_msg("attribute %s: first value %.*s, expected %s", name,
		    (int)a->vals[0].len, (const char *)a->vals[0].p, first);
}

static void
test_json_load_refuses_empty_non_json_and_non_object_bodies(void **state)
{
	static const char *const bad[] = { "", "<html>503</html>", "[1,2]",
		"\"text\"", "{\"value\":[", "null" };
	struct sb_error err;
	json_t *root;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		root = NULL;
		assert_int_equal(cloud_json_load(&users, bad[i], strlen(bad[i]),
		    &root, &err), SB_RETRY);
		assert_null(root);
		assert_string_equal(err.where, "graph.users");
		if (strstr(err.text, "malformed response from GET /v1.0/users")
		    == NULL)
			fail_msg("body %zu: %s", i, err.text);
	}
	/* len counts, not the NUL: the rest of the buffer is not read */
	assert_int_equal(cloud_json_load(&users, "{}garbage", 2, &root, &err),
	    SB_OK);
	assert_true(json_is_object(root));
	json_decref(root);
}

static void
test_json_page_copies_next_link_and_ends_without_one(void **state)
{
	struct sb_error err = { 0 };
	json_t *root, *value = NULL;
	char *next = (char *)"sentinel";

	(void)state;
	root = parse("{\"value\":[{\"id\":\"a\"}],\"@odata.nextLink\":"
	    "\"https://graph.microsoft.com/v1.0/users?$skiptoken=x\"}");
	assert_int_equal(cloud_json_page(&users, root, &value, &next, &err),
	    SB_OK);
	assert_int_equal(json_array_size(value), 1);
	assert_string_equal(next,
	    "https://graph.microsoft.com/v1.0/users?$skiptoken=x");
	json_decref(root);
	/* a copy: it outlives the reply */
	assert_string_equal(next,
	    "https://graph.microsoft.com/v1.0/users?$skiptoken=x");
	free(next);

	/* the last page of a delta round: its deltaLink is no next page */
	root = parse("{\"value\":[],\"@odata.deltaLink\":\"https://graph."
	    "microsoft.com/v1.0/users/delta?$deltatoken=y\"}");
	next = (char *)"sentinel";
	assert_int_equal(cloud_json_page(&users, root, &value, &next, &err),
	    SB_OK);
	assert_null(next);
	json_decref(root);

	root = parse("{\"value\":[],\"@odata.nextLink\":null}");
	next = (char *)"sentinel";
	assert_int_equal(cloud_json_page(&users, root, &value, &next, &err),
	    SB_OK);
	assert_null(next);
	json_decref(root);
}

static void
test_json_page_without_a_value_array_or_with_a_bad_next_link_is_malformed(
    void **state)
{
	static const char *const bad[] = {
		"{\"@odata.nextLink\":\"https://graph.microsoft.com/v1.0/x\"}",
		"{\"value\":{}}",
		"{\"value\":null}",
		"{\"value\":[],\"@odata.nextLink\":\"\"}",
		"{\"value\":[],\"@odata.nextLink\":42}",
	};
	static const char *const why[] = { "no \"value\"",
		"\"value\" is not an array", "\"value\" is not an array",
		"\"@odata.nextLink\" is not a URL",
		"\"@odata.nextLink\" is not a URL" };
	struct sb_error err;
	json_t *root, *value;
	char *next;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		root = parse(bad[i]);
		value = NULL;
		next = NULL;
		assert_int_equal(cloud_json_page(&users, root, &value, &next,
		    &err), SB_RETRY);
		assert_null(value);
		assert_null(next);
		if (strstr(err.text, why[i]) == NULL ||
		    strstr(err.text, "GET /v1.0/users") == NULL)
			fail_msg("page %zu: %s", i, err.text);
		json_decref(root);
	}
}

static void
test_json_attr_null_empty_string_and_empty_array_are_present_without_values(
    void **state)
{
	static const char *const empty[] = { "null", "\"\"", "[]" };
	struct dirobj *o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		o = attr_of("jobTitle", empty[i], SB_OK);
		/* present: the cloud says "cleared", not "unknown" */
		assert_attr(o, "jobTitle", 0, NULL);
		dirobj_free(o);
	}
}

static void
test_json_attr_collection_gives_one_value_per_element(void **state)
{
	struct dirobj *o;
	const struct dirattr *a;

	(void)state;
	o = attr_of("proxyAddresses", "[\"SMTP:ann@contoso.com\","
	    "\"smtp:a@contoso.com\",null,\"X500:/o=x\"]", SB_OK);
	a = dirobj_get(o, "proxyAddresses");
	assert_non_null(a);
	/* null elements carry nothing; prefixes and case kept */
	assert_int_equal(a->nvals, 3);
	assert_attr(o, "proxyAddresses", 3, "SMTP:ann@contoso.com");
	dirobj_free(o);
	/* objects in a collection: compact JSON with sorted keys */
	o = attr_of("identities", "[{\"signInType\":\"userName\","
	    "\"issuer\":\"contoso.com\"}]", SB_OK);
	assert_attr(o, "identities", 1,
	    "{\"issuer\":\"contoso.com\",\"signInType\":\"userName\"}");
	dirobj_free(o);
}

static void
test_json_attr_booleans_and_numbers_become_text(void **state)
{
	struct dirobj *o;

	(void)state;
	o = attr_of("accountEnabled", "true", SB_OK);
	assert_attr(o, "accountEnabled", 1, "true");
	dirobj_free(o);
	o = attr_of("accountEnabled", "false", SB_OK);
	assert_attr(o, "accountEnabled", 1, "false");
	dirobj_free(o);
	o = attr_of("employeeNumber", "4711", SB_OK);
	assert_attr(o, "employeeNumber", 1, "4711");
	dirobj_free(o);
	o = attr_of("quota", "-9007199254740993", SB_OK);
	assert_attr(o, "quota", 1, "-9007199254740993");
	dirobj_free(o);
	/* a double reads back as the same double */
	o = attr_of("ratio", "0.1", SB_OK);
	assert_attr(o, "ratio", 1, "0.1");
	dirobj_free(o);
	o = attr_of("ratio", "1.5e300", SB_OK);
	assert_attr(o, "ratio", 1, "1.5e+300");
	dirobj_free(o);
}

static void
test_json_attr_flattens_objects_into_dotted_names_without_annotations(
    void **state)
{
	struct dirobj *o;
	size_t i;

	(void)state;
	o = attr_of("onPremisesExtensionAttributes", "{\"@odata.type\":"
	    "\"#microsoft.graph.onPremisesExtensionAttributes\","
	    "\"extensionAttribute1\":\"cost-4711\",\"extensionAttribute2\":"
	    "null,\"nested\":{\"deep\":true,\"x@odata.type\":\"#y\"}}", SB_OK);
	assert_attr(o, "onPremisesExtensionAttributes.extensionAttribute1", 1,
	    "cost-4711");
	assert_attr(o, "onPremisesExtensionAttributes.extensionAttribute2", 0,
	    NULL);
	assert_attr(o, "onPremisesExtensionAttributes.nested.deep", 1, "true");
	/* the object itself is no attribute, and no annotation is either */
	assert_null(dirobj_get(o, "onPremisesExtensionAttributes"));
	assert_int_equal(o->nattrs, 3);
	for (i = 0; i < o->nattrs; i++)
		assert_null(strchr(o->attrs[i].name, '@'));
	dirobj_free(o);
}

static void
test_json_attr_refuses_nesting_deeper_than_the_cap(void **state)
{
	char deep[256], ok[256];
	struct dirobj *o;
	size_t i, n = 0, m = 0;

	(void)state;
	/* CLOUD_JSON_DEPTH_MAX objects deep: flattened */
	for (i = 0; i < CLOUD_JSON_DEPTH_MAX; i++)
		m += (size_t)snprintf(ok + m, sizeof(ok) - m, "{\"k\":");
	m += (size_t)snprintf(ok + m, sizeof(ok) - m, "1");
	for (i = 0; i < CLOUD_JSON_DEPTH_MAX; i++)
		m += (size_t)snprintf(ok + m, sizeof(ok) - m, "}");
	o = attr_of("a", ok, SB_OK);
	assert_attr(o, "a.k.k.k.k.k.k.k.k", 1, "1");
	dirobj_free(o);
	/* one more: malformed, not silently cut */
	for (i = 0; i <= CLOUD_JSON_DEPTH_MAX; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{\"k\":");
	n += (size_t)snprintf(deep + n, sizeof(deep) - n, "1");
	for (i = 0; i <= CLOUD_JSON_DEPTH_MAX; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "}");
	o = attr_of("a", deep, SB_RETRY);
	dirobj_free(o);
}

static void
test_json_attr_refuses_a_name_longer_than_the_cap(void **state)
{
	char name[CLOUD_JSON_NAME_MAX + 2];
	struct dirobj *o;

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	o = attr_of(name, "\"x\"", SB_RETRY);
	assert_int_equal(o->nattrs, 0);
	dirobj_free(o);
	name[CLOUD_JSON_NAME_MAX] = '\0';
	o = attr_of(name, "\"x\"", SB_OK);
	dirobj_free(o);
}

static void
test_json_str_copies_strings_and_reads_null_or_absent_as_none(void **state)
{
	struct sb_error err = { 0 };
	json_t *obj = parse("{\"mail\":\"ann@contoso.com\",\"alias\":null,"
	    "\"n\":5}");
	char *field = NULL;

	(void)state;
	assert_int_equal(cloud_json_str(&users, obj, "mail", &field, &err),
	    SB_OK);
	assert_string_equal(field, "ann@contoso.com");
	assert_int_equal(cloud_json_str(&users, obj, "alias", &field, &err),
	    SB_OK);
	assert_null(field);
	assert_int_equal(cloud_json_str(&users, obj, "absent", &field, &err),
	    SB_OK);
	assert_null(field);
	assert_int_equal(cloud_json_str(&users, obj, "n", &field, &err),
	    SB_RETRY);
	assert_non_null(strstr(err.text, "n is not a string"));
	free(field);
	json_decref(obj);
}

static void
test_json_tri_reads_booleans_exchange_strings_null_and_absent(void **state)
{
	struct sb_error err = { 0 };
	json_t *obj = parse("{\"t\":true,\"f\":false,\"n\":null,\"T\":\"True\","
	    "\"F\":\"FALSE\",\"one\":1,\"yes\":\"yes\"}");
	enum sb_tri v;

	(void)state;
	assert_int_equal(cloud_json_tri(&users, obj, "t", &v, &err), SB_OK);
	assert_int_equal(v, SB_TRI_TRUE);
	assert_int_equal(cloud_json_tri(&users, obj, "f", &v, &err), SB_OK);
	assert_int_equal(v, SB_TRI_FALSE);
	/* Exchange Online's "True" and "False" */
	assert_int_equal(cloud_json_tri(&users, obj, "T", &v, &err), SB_OK);
	assert_int_equal(v, SB_TRI_TRUE);
	assert_int_equal(cloud_json_tri(&users, obj, "F", &v, &err), SB_OK);
	assert_int_equal(v, SB_TRI_FALSE);
	/* unknown is neither: never read as false */
	assert_int_equal(cloud_json_tri(&users, obj, "n", &v, &err), SB_OK);
	assert_int_equal(v, SB_TRI_UNSET);
	v = SB_TRI_TRUE;
	assert_int_equal(cloud_json_tri(&users, obj, "absent", &v, &err),
	    SB_OK);
	assert_int_equal(v, SB_TRI_UNSET);
	assert_int_equal(cloud_json_tri(&users, obj, "one", &v, &err),
	    SB_RETRY);
	assert_int_equal(cloud_json_tri(&users, obj, "yes", &v, &err),
	    SB_RETRY);
	assert_non_null(strstr(err.text, "yes is not a boolean"));
	json_decref(obj);
}

/* Fails on the object whose id is "bad". */
static enum sb_status
item_unless_bad(const struct cloud_errctx *x, json_t *item, size_t index,
    void *arg, struct dirobj **out, struct sb_error *err)
{
	const char *id = json_string_value(json_object_get(item, "id"));
	struct dirobj *o;

	(void)arg;
	if (id != NULL && strcmp(id, "skip") == 0)
		return SB_OK;		/* *out stays NULL: left out */
	if (id == NULL || strcmp(id, "bad") == 0)
		return cloud_errmap_malformed(x, err, "object %zu refused",
		    index);
	o = dirobj_new(DIROBJ_USER);
	assert_non_null(o);
	*out = o;
	return dirobj_set_str(&o->cloud_id, id, err);
}

static void
test_json_listing_appends_the_whole_page_or_nothing(void **state)
{
	static const char good[] = "{\"value\":[{\"id\":\"a\"},"
	    "{\"id\":\"skip\"},{\"id\":\"b\"}],\"@odata.nextLink\":"
	    "\"https://graph.microsoft.com/v1.0/users?$skiptoken=2\"}";
	static const char bad[] = "{\"value\":[{\"id\":\"c\"},"
	    "{\"id\":\"bad\"}],\"@odata.nextLink\":"
	    "\"https://graph.microsoft.com/v1.0/users?$skiptoken=3\"}";
	struct sb_error err = { 0 };
	struct dirset s;
	char *next = NULL;

	(void)state;
	dirset_init(&s);
	assert_int_equal(cloud_json_listing(&users, good, strlen(good),
	    item_unless_bad, NULL, &s, &next, &err), SB_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.objs[1]->cloud_id, "b");
	assert_non_null(next);
	free(next);
	next = NULL;
	/* the second object fails: the first is not appended either */
	assert_int_equal(cloud_json_listing(&users, bad, strlen(bad),
	    item_unless_bad, NULL, &s, &next, &err), SB_RETRY);
	assert_int_equal(s.n, 2);
	assert_null(next);
	assert_non_null(strstr(err.text, "object 1 refused"));
	dirset_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_keys_differing_only_in_case_are_refused),
		cmocka_unit_test(test_json_a_dotted_key_beside_a_nested_object_is_refused),
		cmocka_unit_test(test_json_objects_without_keys_or_with_one_are_distinct),
		cmocka_unit_test(test_json_annotations_and_distinct_names_pass),
		cmocka_unit_test(test_json_load_refuses_empty_non_json_and_non_object_bodies),
		cmocka_unit_test(test_json_page_copies_next_link_and_ends_without_one),
		cmocka_unit_test(test_json_page_without_a_value_array_or_with_a_bad_next_link_is_malformed),
		cmocka_unit_test(test_json_attr_null_empty_string_and_empty_array_are_present_without_values),
		cmocka_unit_test(test_json_attr_collection_gives_one_value_per_element),
		cmocka_unit_test(test_json_attr_booleans_and_numbers_become_text),
		cmocka_unit_test(test_json_attr_flattens_objects_into_dotted_names_without_annotations),
		cmocka_unit_test(test_json_attr_refuses_nesting_deeper_than_the_cap),
		cmocka_unit_test(test_json_attr_refuses_a_name_longer_than_the_cap),
		cmocka_unit_test(test_json_str_copies_strings_and_reads_null_or_absent_as_none),
		cmocka_unit_test(test_json_tri_reads_booleans_exchange_strings_null_and_absent),
		cmocka_unit_test(test_json_listing_appends_the_whole_page_or_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
