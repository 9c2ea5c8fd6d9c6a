/* cloud/errmap.c: HTTP status and error bodies -> status and a message quoting the service. */
#include "test_cloud_fake.h"

#include "cloud/errmap.h"

static const struct cloud_errctx users = { "graph.users", "GET",
	"/v1.0/users", "User.Read.All", NULL };

static enum sb_status
map_file(const struct cloud_errctx *x, long status, const char *rel,
    const char *rid, struct sb_error *err)
{
	enum sb_status st;
	size_t len;
	char *body = load_data(rel, &len);

	st = cloud_errmap(x, status, body, len, rid, err);
	free(body);
	return st;
}

static void
test_errmap_403_stops_and_names_the_missing_permission(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&users, 403, "graph/error-403.json", NULL,
	    &err), SB_STOP);
	assert_int_equal(err.status, SB_STOP);
	assert_int_equal(err.code, 403);
	assert_string_equal(err.where, "graph.users");
	assert_string_equal(err.text, "GET /v1.0/users: HTTP 403 "
	    "Authorization_RequestDenied: Insufficient privileges to complete "
	    "the operation. (request-id 0a1b2c3d-0000-4000-8000-000000000403); "
	    "missing permission: grant the application permission "
	    "User.Read.All and admin consent");
}

static void
test_errmap_400_is_a_bug_quoting_graphs_code_and_message(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&users, 400, "graph/error-400.json", NULL,
	    &err), SB_BUG);
	assert_non_null(strstr(err.text, "HTTP 400 Request_BadRequest: Invalid "
	    "property 'jobtitel' in $select."));
}

static void
test_errmap_404_skips_the_one_object(void **state)
{
	struct cloud_errctx x = { "graph.members", "GET",
		"/v1.0/groups/{id}/members", NULL,
		"7c1d0000-2222-4b3c-8d4e-000000000099" };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&x, 404, "graph/error-404.json", NULL, &err),
	    SB_SKIP);
	assert_non_null(strstr(err.text, "object "
	    "7c1d0000-2222-4b3c-8d4e-000000000099: HTTP 404 "
	    "Request_ResourceNotFound"));
}

static void
test_errmap_410_asks_for_a_resync(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&users, 410, "graph/error-410.json", NULL,
	    &err), SB_RESYNC);
	assert_non_null(strstr(err.text, "syncStateNotFound"));
}

static void
test_errmap_throttling_and_server_errors_are_retried(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&users, 429, "graph/error-429.json", NULL,
	    &err), SB_RETRY);
	assert_int_equal(map_file(&users, 503, "graph/error-503.json", NULL,
	    &err), SB_RETRY);
	assert_int_equal(cloud_errmap_status(500), SB_RETRY);
	assert_int_equal(cloud_errmap_status(504), SB_RETRY);
	assert_int_equal(cloud_errmap_status(408), SB_RETRY);
}

static void
test_errmap_401_after_the_refresh_stops(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&users, 401, "graph/error-401.json", NULL,
	    &err), SB_STOP);
	assert_non_null(strstr(err.text, "InvalidAuthenticationToken"));
	assert_non_null(strstr(err.text, "after a token refresh"));
}

static void
test_errmap_without_a_json_body_still_names_status_and_endpoint(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&users, 502, "graph/not-json.html", "rid-9",
	    &err), SB_RETRY);
	assert_string_equal(err.text, "GET /v1.0/users: HTTP 502 (no JSON "
	    "error body) (request-id rid-9)");
	assert_int_equal(cloud_errmap(&users, 500, NULL, 0, NULL, &err),
	    SB_RETRY);
	assert_string_equal(err.text, "GET /v1.0/users: HTTP 500");
}

static void
test_errmap_response_header_request_id_wins_over_the_body(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	map_file(&users, 403, "graph/error-403.json", "hdr-rid", &err);
	assert_non_null(strstr(err.text, "(request-id hdr-rid)"));
	assert_null(strstr(err.text, "000000000403"));
}

static void
test_errmap_exo_cmdlet_error_shows_its_text_then_exception(void **state)
{
	struct cloud_errctx x = { "exo.mailboxes", "POST",
		"/adminapi/beta/{tenant}/InvokeCommand", NULL, NULL };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(map_file(&x, 400, "exo/error-cmdlet.json", NULL,
	    &err), SB_BUG);
	assert_non_null(strstr(err.text, "HTTP 400 BadRequest: The operation "
	    "couldn't be performed because object 'nobody' couldn't be "
	    "found"));
	assert_non_null(strstr(err.text, "[ManagementObjectNotFoundException]"));
	assert_null(strstr(err.text, "|Microsoft"));
}

static void
test_errmap_long_messages_are_cut_without_losing_the_hint(void **state)
{
	char body[2048], msg[1200];
	struct sb_error err = { 0 };

	(void)state;
	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	snprintf(body, sizeof(body), "{\"error\":{\"code\":"
	    "\"Authorization_RequestDenied\",\"message\":\"%s\"}}", msg);
	cloud_errmap(&users, 403, body, strlen(body), "r1", &err);
	assert_true(strlen(err.text) < sizeof(err.text));
	assert_non_null(strstr(err.text, "x..."));
	assert_non_null(strstr(err.text, "User.Read.All"));
	assert_non_null(strstr(err.text, "(request-id r1)"));
}

static void
test_errmap_quote_replaces_controls_and_cuts_on_a_utf8_boundary(void **state)
{
	char out[64];

	(void)state;
	cloud_errmap_quote(out, sizeof(out), "a\r\nTrace ID: 1\tb", 60);
	assert_string_equal(out, "a Trace ID: 1 b");
	/* "é" is two bytes: a cut inside it drops it whole */
	cloud_errmap_quote(out, sizeof(out), "abc\xc3\xa9z", 4);
	assert_string_equal(out, "abc...");
	cloud_errmap_quote(out, sizeof(out), NULL, 10);
	assert_string_equal(out, "");
}

static void
test_errmap_malformed_names_endpoint_and_problem(void **state)
{
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_errmap_malformed(&users, &err, "\"value\" is "
	    "not an array"), SB_RETRY);
	assert_string_equal(err.text, "malformed response from GET "
	    "/v1.0/users: \"value\" is not an array");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errmap_403_stops_and_names_the_missing_permission),
		cmocka_unit_test(test_errmap_400_is_a_bug_quoting_graphs_code_and_message),
		cmocka_unit_test(test_errmap_404_skips_the_one_object),
		cmocka_unit_test(test_errmap_410_asks_for_a_resync),
		cmocka_unit_test(test_errmap_throttling_and_server_errors_are_retried),
		cmocka_unit_test(test_errmap_401_after_the_refresh_stops),
		cmocka_unit_test(test_errmap_without_a_json_body_still_names_status_and_endpoint),
		cmocka_unit_test(test_errmap_response_header_request_id_wins_over_the_body),
		cmocka_unit_test(test_errmap_exo_cmdlet_error_shows_its_text_then_exception),
		cmocka_unit_test(test_errmap_long_messages_are_cut_without_losing_the_hint),
		cmocka_unit_test(test_errmap_quote_replaces_controls_and_cuts_on_a_utf8_boundary),
		cmocka_unit_test(test_errmap_malformed_names_endpoint_and_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
