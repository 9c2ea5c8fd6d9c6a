/* cloud/token.c: token replies and errors, the form body, renewal time, secrets kept out of text. */
#include "test_cloud_fake.h"

#include "cloud/token.h"

static enum sb_status
parse_file(long status, const char *rel, struct cloud_token *t,
    struct sb_error *err)
{
	enum sb_status st;
	size_t len;
	char *body = load_data(rel, &len);

	st = cloud_token_parse(status, body, len, CLOUD_TOKEN_SCOPE_GRAPH,
	    1000000, t, err);
	free(body);
	return st;
}

static void
test_token_reply_gives_the_token_renewed_at_80_percent(void **state)
{
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(parse_file(200, "token/success-graph.json", &t, &err),
	    SB_OK);
	assert_non_null(strstr(t.access, "eyJ0eXAiOiJKV1Qi"));
	assert_int_equal(t.len, strlen(t.access));
	assert_int_equal(t.expires_in, 3599);
	assert_int_equal(t.renew_at_ms, 1000000 + 3599 * 800);
	assert_true(cloud_token_fresh(&t, 1000000 + 3599 * 800 - 1));
	assert_false(cloud_token_fresh(&t, 1000000 + 3599 * 800));
	cloud_token_free(&t);
	assert_null(t.access);
	assert_false(cloud_token_fresh(&t, 0));
	cloud_token_free(&t);	/* twice is harmless */
}

static void
test_token_a_short_lived_token_is_renewed_five_minutes_before_expiry(void *
	*state)
{
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };
	char body[128];

	(void)state;
	/* ten minutes: 80 % would leave 2 minutes, under the 5 of the rule */
	snprintf(body, sizeof(body),
	    "{\"token_type\":\"Bearer\","
	    "\"expires_in\":600,\"access_token\":\"abc\"}");
	assert_int_equal(cloud_token_parse(200, body, strlen(body), "s",
			     1000000, &t, &err),
	    SB_OK);
	assert_int_equal(t.renew_at_ms, 1000000 + 300 * 1000);
	cloud_token_free(&t);
	/* four minutes: no room for five; 80 % of it */
	snprintf(body, sizeof(body),
	    "{\"token_type\":\"Bearer\","
	    "\"expires_in\":240,\"access_token\":\"abc\"}");
	assert_int_equal(cloud_token_parse(200, body, strlen(body), "s",
			     1000000, &t, &err),
	    SB_OK);
	assert_int_equal(t.renew_at_ms, 1000000 + 240 * 800);
	cloud_token_free(&t);
}

static void
test_token_reply_with_expires_in_as_text_is_accepted(void **state)
{
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(parse_file(200, "token/success-string-expiry.json",
	    &t, &err), SB_OK);
	assert_string_equal(t.access, "v1-style-token");
	assert_int_equal(t.expires_in, 3600);
	cloud_token_free(&t);
}

static void
test_token_an_unbounded_expires_in_is_capped_at_a_day(void **state)
{
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	/* {"expires_in":11529215046068470}: now + exp * 800 would overflow */
	assert_int_equal(parse_file(200, "token/success-huge-expiry.json", &t,
	    &err), SB_OK);
	assert_int_equal(t.expires_in, CLOUD_TOKEN_EXPIRES_MAX);
	assert_int_equal(t.renew_at_ms, 1000000 + CLOUD_TOKEN_EXPIRES_MAX *
	    10 * CLOUD_TOKEN_RENEW_PCT);
	cloud_token_free(&t);
	assert_int_equal(parse_file(200, "token/success-huge-expiry-text.json",
	    &t, &err), SB_OK);
	assert_int_equal(t.expires_in, CLOUD_TOKEN_EXPIRES_MAX);
	cloud_token_free(&t);
}

static void
test_token_national_clouds_have_their_own_hosts_and_scopes(void **state)
{
	const struct cloud_env *e;

	(void)state;
	e = cloud_token_env(NULL);
	assert_string_equal(e->name, "global");
	assert_string_equal(cloud_token_env_scope(e, CLOUD_AUD_GRAPH),
	    CLOUD_TOKEN_SCOPE_GRAPH);
	assert_string_equal(cloud_token_env_scope(e, CLOUD_AUD_EXO),
	    CLOUD_TOKEN_SCOPE_EXO);
	e = cloud_token_env("china");
	assert_string_equal(e->login_url, "https://login.chinacloudapi.cn");
	assert_string_equal(e->graph_url,
	    "https://microsoftgraph.chinacloudapi.cn");
	assert_string_equal(cloud_token_env_scope(e, CLOUD_AUD_GRAPH),
	    "https://microsoftgraph.chinacloudapi.cn/.default");
	assert_string_equal(cloud_token_env_scope(e, CLOUD_AUD_EXO),
	    "https://partner.outlook.cn/.default");
	e = cloud_token_env("usgov");
	assert_string_equal(e->login_url, "https://login.microsoftonline.us");
	assert_string_equal(e->graph_scope,
	    "https://graph.microsoft.us/.default");
	assert_string_equal(e->exo_scope,
	    "https://outlook.office365.us/.default");
	e = cloud_token_env("usgov-dod");
	assert_string_equal(e->graph_url, "https://dod-graph.microsoft.us");
	assert_string_equal(e->exchange_url, "https://webmail.apps.mil");
	assert_null(cloud_token_env("mars"));
	assert_null(cloud_token_env("Global"));
}

static void
test_token_invalid_secret_stops_with_the_aadsts_code_and_description(void **state)
{
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(parse_file(401, "token/error-invalid-secret.json", &t,
	    &err), SB_STOP);
	assert_null(t.access);
	assert_string_equal(err.where, "token");
	assert_int_equal(err.code, 401);
	assert_non_null(strstr(err.text, "AADSTS7000215: Invalid client secret "
	    "provided."));
	assert_non_null(strstr(err.text, "HTTP 401 invalid_client"));
	assert_non_null(strstr(err.text, CLOUD_TOKEN_SCOPE_GRAPH));
	/* the first line only: no trace ids, no control characters */
	assert_null(strstr(err.text, "Trace ID"));
	assert_null(strchr(err.text, '\r'));
	assert_null(strchr(err.text, '\n'));
}

static void
test_token_other_aadsts_errors_stop_too(void **state)
{
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(parse_file(400, "token/error-app-not-found.json", &t,
	    &err), SB_STOP);
	assert_non_null(strstr(err.text, "unauthorized_client: AADSTS700016: "
	    "Application with identifier"));
	assert_int_equal(parse_file(400, "token/error-tenant-not-found.json",
	    &t, &err), SB_STOP);
	assert_non_null(strstr(err.text, "AADSTS90002: Tenant"));
	/* no code in the description: it comes from error_codes */
	assert_int_equal(parse_file(401, "token/error-code-only.json", &t,
	    &err), SB_STOP);
	assert_non_null(strstr(err.text, "AADSTS7000222: The client secret has "
	    "expired."));
}

static void
test_token_service_trouble_is_retried(void **state)
{
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(parse_file(400, "token/error-unavailable.json", &t,
	    &err), SB_RETRY);
	assert_int_equal(parse_file(503, "graph/not-json.html", &t, &err),
	    SB_RETRY);
}

static void
test_token_malformed_replies_are_errors(void **state)
{
	static const char zero[] = "{\"access_token\":\"x\",\"expires_in\":0}";
	struct cloud_token t = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(parse_file(200, "token/malformed-no-token.json", &t,
	    &err), SB_RETRY);
	assert_non_null(strstr(err.text, "malformed"));
	assert_int_equal(parse_file(200, "graph/not-json.html", &t, &err),
	    SB_STOP);
	assert_non_null(strstr(err.text, "not a JSON object"));
	assert_int_equal(cloud_token_parse(200, zero, strlen(zero), "s", 0, &t,
	    &err), SB_RETRY);
	assert_null(t.access);
}

static void
test_token_form_url_encodes_every_value(void **state)
{
	static const struct sb_bytes secret = {
		(unsigned char *)"a+b&c=d e/~", 11 };
	struct sb_buf b;
	struct sb_error err = { 0 };

	(void)state;
	sb_buf_init(&b, 4096);
	assert_int_equal(cloud_token_form(&b, "11111111-1111-1111-1111-"
	    "111111111111", CLOUD_TOKEN_SCOPE_EXO, &secret, &err), SB_OK);
	assert_string_equal(b.p, "grant_type=client_credentials&client_id="
	    "11111111-1111-1111-1111-111111111111&scope=https%3A%2F%2F"
	    "outlook.office365.com%2F.default&client_secret="
	    "a%2Bb%26c%3Dd%20e%2F~");
	sb_buf_free(&b);
	assert_null(b.p);
}

static void
test_token_redact_replaces_every_copy_of_the_secret(void **state)
{
	static const struct sb_bytes secret = { (unsigned char *)"hunter2", 7 };
	static const struct sb_bytes tiny = { (unsigned char *)"e", 1 };
	char text[64];

	(void)state;
	snprintf(text, sizeof(text), "x hunter2 y hunter2");
	cloud_token_redact(text, sizeof(text), &secret);
	assert_string_equal(text, "x [secret] y [secret]");
	/* the mark holds the secret itself: still terminates */
	snprintf(text, sizeof(text), "see here");
	cloud_token_redact(text, sizeof(text), &tiny);
	assert_string_equal(text, "s[secret][secret] h[secret]r[secret]");
}

static void
test_token_fetch_never_reports_the_secret_even_when_echoed(void **state)
{
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct sb_error err = { 0 };

	(void)state;
	f.token_status = 401;
	f.token_file = "token/error-echoes-secret.json";
	assert_int_equal(cloud_check_tokens(c, &err), SB_STOP);
	assert_non_null(strstr(err.text, "AADSTS7000215"));
	assert_null(strstr(err.text, FAKE_SECRET));
	assert_non_null(strstr(err.text, "[secret]"));
	/* the request carried it, URL-encoded, in the form body */
	assert_non_null(strstr(f.token_body,
	    "client_secret=s3cr3t~Value.with%2Bsymbols"));
	assert_non_null(strstr(f.token_body, "scope=https%3A%2F%2F"
	    "graph.microsoft.com%2F.default"));
	fake_free(&f);
	cloud_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_token_reply_gives_the_token_renewed_at_80_percent),
		cmocka_unit_test(
		    test_token_a_short_lived_token_is_renewed_five_minutes_before_expiry),
		cmocka_unit_test(
		    test_token_reply_with_expires_in_as_text_is_accepted),
		cmocka_unit_test(
		    test_token_an_unbounded_expires_in_is_capped_at_a_day),
		cmocka_unit_test(
		    test_token_national_clouds_have_their_own_hosts_and_scopes),
		cmocka_unit_test(
		    test_token_invalid_secret_stops_with_the_aadsts_code_and_description),
		cmocka_unit_test(test_token_other_aadsts_errors_stop_too),
		cmocka_unit_test(test_token_service_trouble_is_retried),
		cmocka_unit_test(test_token_malformed_replies_are_errors),
		cmocka_unit_test(test_token_form_url_encodes_every_value),
		cmocka_unit_test(
		    test_token_redact_replaces_every_copy_of_the_secret),
		cmocka_unit_test(
		    test_token_fetch_never_reports_the_secret_even_when_echoed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
