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
	static const struct cloud_errreply refreshed = { 1, 0, NULL, NULL };
	struct sb_error err = { 0 };
	size_t len;
	char *body = load_data("graph/error-401.json", &len);

	(void)state;
	assert_int_equal(cloud_errmap_reply(&users, &refreshed, 401, body, len,
	    NULL, &err), SB_STOP);
	assert_non_null(strstr(err.text, "InvalidAuthenticationToken"));
	assert_non_null(strstr(err.text, "after a token refresh"));
	/* told nothing of a refresh, it does not claim one */
	assert_int_equal(cloud_errmap(&users, 401, body, len, NULL, &err),
	    SB_STOP);
	assert_null(strstr(err.text, "after a token refresh"));
	free(body);
}

static const struct cloud_errctx invoke = { "exo.mailboxes", "POST",
	"/adminapi/beta/{tenant}/InvokeCommand", NULL, NULL };

static void
test_errmap_exo_401_not_allowed_names_the_cmdlet_and_the_exchange_role(void **state)
{
	struct sb_error err = { 0 };
	char cmdlet[32];
	size_t len;
	char *body = load_data("exo/error-not-allowed.json", &len);

	(void)state;
	assert_int_equal(cloud_errmap_401(body, len, 0, cmdlet,
	    sizeof(cmdlet)), CLOUD_401_RIGHTS);
	assert_string_equal(cmdlet, "Get-Mailbox");
	/* the body wins over a header that blames the token */
	assert_int_equal(cloud_errmap_401(body, len, 1, NULL, 0),
	    CLOUD_401_RIGHTS);
	assert_int_equal(cloud_errmap(&invoke, 401, body, len, "rid-1", &err),
	    SB_STOP);
	assert_int_equal(err.status, SB_STOP);
	assert_int_equal(err.code, 401);
	assert_non_null(strstr(err.text, "HTTP 401 Unauthorized: User is not "
	    "allowed to call Get-Mailbox"));
	assert_non_null(strstr(err.text, "; the app has no Exchange role for "
	    "Get-Mailbox: assign one that reads recipients (a role group, or "
	    "RBAC for Applications: -Role \"View-Only Recipients\") and grant "
	    "Exchange.ManageAsApp"));
	assert_null(strstr(err.text, "credential"));
	assert_true(strlen(err.text) < sizeof(err.text) - 1);	/* not cut */
	free(body);
}

static void
test_errmap_a_401_is_about_the_token_only_when_it_says_so(void **state)
{
	size_t len;
	char *body = load_data("graph/error-401.json", &len);

	(void)state;
	assert_int_equal(cloud_errmap_401(body, len, 0, NULL, 0),
	    CLOUD_401_TOKEN);
	free(body);
	body = load_data("exo/error-invalid-token.json", &len);
	assert_int_equal(cloud_errmap_401(body, len, 0, NULL, 0),
	    CLOUD_401_TOKEN);
	free(body);
	assert_int_equal(cloud_errmap_401(NULL, 0, 1, NULL, 0),
	    CLOUD_401_TOKEN);
	assert_int_equal(cloud_errmap_401("{}", 2, 0, NULL, 0),
	    CLOUD_401_OTHER);
	assert_int_equal(cloud_errmap_401("Unauthorized", 12, 0, NULL, 0),
	    CLOUD_401_OTHER);
}

static void
test_errmap_exo_details_give_the_text_after_the_last_bar(void **state)
{
	struct sb_error err = { 0 };
	char reason[256], type[64];
	size_t len;
	char *file = load_data("exo/error-not-found.json", &len);
	const char *body = file;

	(void)state;
	cloud_errmap_reason(body, len, reason, sizeof(reason), type,
	    sizeof(type));
	assert_string_equal(reason, "The operation couldn't be performed "
	    "because object 'gus.grey@contoso.com' couldn't be found on "
	    "'AM0PR01A001DC01.EURPR01A001.prod.outlook.com'.");
	assert_string_equal(type, "ManagementObjectNotFoundException");
	assert_int_equal(cloud_errmap(&invoke, 404, body, len, NULL, &err),
	    SB_SKIP);
	assert_non_null(strstr(err.text, "HTTP 404 NotFound: The operation "
	    "couldn't be performed because object 'gus.grey@contoso.com' "
	    "couldn't be found"));
	assert_non_null(strstr(err.text, "[ManagementObjectNotFoundException]"));
	assert_null(strstr(err.text, "Error executing cmdlet"));
	assert_null(strstr(err.text, "Ex6F9304"));
	free(file);
	/* no details: innererror, then message */
	body = "{\"error\":{\"message\":\"m\",\"innererror\":{\"message\":"
	    "\"inner\"}}}";
	cloud_errmap_reason(body, strlen(body), reason, sizeof(reason), NULL, 0);
	assert_string_equal(reason, "inner");
	body = "{\"error\":{\"message\":\"m\",\"details\":[{\"message\":"
	    "\"\"}]}}";
	cloud_errmap_reason(body, strlen(body), reason, sizeof(reason), NULL, 0);
	assert_string_equal(reason, "m");
}

static void
test_errmap_plain_text_throttling_is_retried_and_quoted(void **state)
{
	static const struct cloud_errreply text = { 0, 0, "text/plain", NULL };
	struct sb_error err = { 0 };
	size_t len;
	char *body = load_data("exo/error-throttled.txt", &len);

	(void)state;
	assert_int_equal(cloud_errmap_reply(&invoke, &text, 400, body, len,
	    NULL, &err), SB_RETRY);
	assert_non_null(strstr(err.text, "HTTP 400: The request was "
	    "throttled: too many concurrent requests for this tenant."));
	assert_non_null(strstr(err.text, "(plain-text reply)"));
	free(body);
	/* plain text that is no throttling keeps the status's meaning */
	assert_int_equal(cloud_errmap(&invoke, 400, "Bad Request", 11, NULL,
	    &err), SB_BUG);
	assert_non_null(strstr(err.text, "HTTP 400: Bad Request (plain-text "
	    "reply)"));
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
		cmocka_unit_test(test_errmap_exo_401_not_allowed_names_the_cmdlet_and_the_exchange_role),
		cmocka_unit_test(test_errmap_a_401_is_about_the_token_only_when_it_says_so),
		cmocka_unit_test(test_errmap_exo_details_give_the_text_after_the_last_bar),
		cmocka_unit_test(test_errmap_plain_text_throttling_is_retried_and_quoted),
		cmocka_unit_test(test_errmap_without_a_json_body_still_names_status_and_endpoint),
		cmocka_unit_test(test_errmap_response_header_request_id_wins_over_the_body),
		cmocka_unit_test(test_errmap_exo_cmdlet_error_shows_its_text_then_exception),
		cmocka_unit_test(test_errmap_long_messages_are_cut_without_losing_the_hint),
		cmocka_unit_test(test_errmap_quote_replaces_controls_and_cuts_on_a_utf8_boundary),
		cmocka_unit_test(test_errmap_malformed_names_endpoint_and_problem),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
