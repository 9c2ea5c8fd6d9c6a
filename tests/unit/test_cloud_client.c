/* cloud/client.c: parameters, the token cache per audience, one refresh on 401. */
#include "test_cloud_fake.h"

#include <time.h>

#include "cloud/graph.h"

static const struct sb_bytes secret = { (unsigned char *)FAKE_SECRET,
	sizeof(FAKE_SECRET) - 1 };

static enum sb_status
open_with(const char *graph_url, const char *tenant,
    const struct sb_bytes *sec, struct sb_error *err)
{
	struct cloud_params p = {
		.login_url = "https://login.microsoftonline.com",
		.graph_url = graph_url,
		.exchange_url = "https://outlook.office365.com",
		.tenant_id = tenant,
		.client_id = "11111111-1111-1111-1111-111111111111",
		.client_secret = sec,
	};
	struct cloud_client *c = NULL;
	enum sb_status st;

	st = cloud_open(&p, &c, err);
	cloud_close(c);
	return st;
}

static void
test_client_open_wants_https_urls_a_tenant_and_a_secret(void **state)
{
	static const struct sb_bytes empty = { NULL, 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(open_with("https://graph.microsoft.com/", "contoso.com",
	    &secret, &err), SB_OK);
	assert_int_equal(open_with("http://graph.microsoft.com", "contoso.com",
	    &secret, &err), SB_CONFIG);
	assert_string_equal(err.text, "graph_url must be an https:// URL");
	assert_int_equal(open_with("https://graph.microsoft.com?x=1",
	    "contoso.com", &secret, &err), SB_CONFIG);
	assert_int_equal(open_with("https://graph.microsoft.com", "a/b",
	    &secret, &err), SB_CONFIG);
	assert_non_null(strstr(err.text, "tenant_id"));
	assert_int_equal(open_with("https://graph.microsoft.com", "",
	    &secret, &err), SB_CONFIG);
	assert_int_equal(open_with("https://graph.microsoft.com", "contoso.com",
	    &empty, &err), SB_CONFIG);
	assert_int_equal(open_with("https://graph.microsoft.com", "contoso.com",
	    NULL, &err), SB_CONFIG);
	assert_null(strstr(err.text, FAKE_SECRET));
}

static void
test_client_check_tokens_gets_one_token_per_audience(void **state)
{
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct cloud_stats stats;
	struct sb_error err = { 0 };
	const char *tok;

	(void)state;
	assert_int_equal(cloud_check_tokens(c, &err), SB_OK);
	assert_int_equal(f.ntokens, 2);
	assert_non_null(strstr(f.token_body, "outlook.office365.com"));
	/* cached: no new requests */
	assert_int_equal(cloud_check_tokens(c, &err), SB_OK);
	assert_int_equal(f.ntokens, 2);
	assert_int_equal(cloud_client_token(c, CLOUD_AUD_GRAPH, 0, &tok, &err),
	    SB_OK);
	assert_string_equal(tok, "tok-graph-1");
	assert_int_equal(cloud_client_token(c, CLOUD_AUD_EXO, 0, &tok, &err),
	    SB_OK);
	assert_string_equal(tok, "tok-exo-2");
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.token_fetches[CLOUD_AUD_GRAPH], 1);
	assert_int_equal(stats.token_fetches[CLOUD_AUD_EXO], 1);
	fake_free(&f);
	cloud_close(c);
}

static enum sb_status
drop_cb(struct dirobj *o, void *arg, struct sb_error *err)
{
	(void)arg;
	(void)err;
	dirobj_free(o);
	return SB_OK;
}

static void
test_client_401_renews_the_token_once_and_succeeds(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 401, .file = "graph/error-401.json" },
		{ .status = 200, .file = "graph/users-empty.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_stats stats;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_graph_users(c, NULL, 0, drop_cb, NULL, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 2);
	assert_string_equal(f.req[0].bearer, "tok-graph-1");
	assert_string_equal(f.req[1].bearer, "tok-graph-2");
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.token_refreshes_401, 1);
	assert_int_equal(stats.token_fetches[CLOUD_AUD_GRAPH], 2);
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_second_401_stops_after_one_refresh(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 401, .file = "graph/error-401.json" },
		{ .status = 401, .file = "graph/error-401.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_graph_users(c, NULL, 0, drop_cb, NULL, &err),
	    SB_STOP);
	assert_int_equal(f.nreq, 2);
	assert_int_equal(f.ntokens, 2);
	assert_int_equal(err.code, 401);
	assert_non_null(strstr(err.text, "InvalidAuthenticationToken"));
	assert_non_null(strstr(err.text, "after a token refresh"));
	assert_null(strstr(err.text, "tok-graph"));
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_token_failure_ends_the_call_without_a_request(void **state)
{
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct sb_error err = { 0 };

	(void)state;
	f.token_status = 401;
	f.token_file = "token/error-invalid-secret.json";
	assert_int_equal(cloud_graph_users(c, NULL, 0, drop_cb, NULL, &err),
	    SB_STOP);
	assert_int_equal(f.nreq, 0);
	assert_non_null(strstr(err.text, "AADSTS7000215"));
	assert_null(strstr(err.text, FAKE_SECRET));
	fake_free(&f);
	cloud_close(c);
}

static const struct fake_reply ok_page = { .status = 200,
	.body = "{\"value\":[]}" };

/* One GET of {graph}/v1.0/users through cloud_client_call. */
static enum sb_status
call_users(struct cloud_client *c, enum cloud_audience aud,
    struct sb_error *err)
{
	struct cloud_call call = { 0 };
	struct cloud_http_resp resp;
	char url[256];
	enum sb_status st;

	snprintf(url, sizeof(url), "%s/v1.0/users", aud == CLOUD_AUD_EXO ?
	    cloud_client_exchange_url(c) : cloud_client_graph_url(c));
	call.aud = aud;
	call.method = "GET";
	call.url = url;
	call.where = "test.call";
	cloud_http_resp_init(&resp);
	st = cloud_client_call(c, &call, &resp, err);
	cloud_http_resp_free(&resp);
	return st;
}

static void
test_client_401_not_allowed_to_call_a_cmdlet_is_not_refreshed(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 401, .file = "exo/error-not-allowed.json",
		    .invalid_token = 1 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct cloud_stats stats;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(call_users(c, CLOUD_AUD_EXO, &err), SB_STOP);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(f.ntokens, 1);		/* one token request only */
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.token_refreshes_401, 0);
	assert_non_null(strstr(err.text, "not allowed to call Get-Mailbox"));
	assert_non_null(strstr(err.text, "Exchange role"));
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_401_invalid_token_header_renews_once(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 401, .invalid_token = 1 },
		ok_page,
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_stats stats;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(call_users(c, CLOUD_AUD_EXO, &err), SB_OK);
	assert_int_equal(f.nreq, 2);
	assert_int_equal(f.ntokens, 2);
	assert_string_not_equal(f.req[0].bearer, f.req[1].bearer);
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.token_refreshes_401, 1);
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_401_that_names_no_token_problem_is_not_refreshed(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 401, .body = "{}" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(call_users(c, CLOUD_AUD_GRAPH, &err), SB_STOP);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(f.ntokens, 1);
	assert_non_null(strstr(err.text, "authentication refused: check the "
	    "tenant"));
	fake_free(&f);
	cloud_close(c);
}

/* A client of environment env with the given URLs (NULL: the env's). */
static struct cloud_client *
env_client(struct fake *f, const struct fake_reply *replies, size_t n,
    const char *env, const char *url)
{
	struct cloud_params p = {
		.environment = env,
		.login_url = url, .graph_url = url, .exchange_url = url,
		.tenant_id = "contoso.partner.onmschina.cn",
		.client_id = "11111111-1111-1111-1111-111111111111",
		.client_secret = &secret,
	};
	struct cloud_client *c = NULL;
	struct sb_error err = { 0 };

	memset(f, 0, sizeof(*f));
	f->replies = replies;
	f->nreplies = n;
	assert_int_equal(cloud_open(&p, &c, &err), SB_OK);
	cloud_client_set_transport(c, fake_transport, f);
	cloud_client_set_sleep(c, fake_sleep, f);
	cloud_client_set_rate(c, 0);
	return c;
}

static void
test_client_national_cloud_sets_audiences_urls_only_where_to_send(void **state)
{
	static const struct fake_reply replies[] = { ok_page, ok_page };
	struct fake f;
	struct cloud_client *c;
	struct sb_error err = { 0 };

	(void)state;
	/* china, every URL overridden: the scope stays China's */
	c = env_client(&f, replies, 2, "china", "https://fake.test:8443");
	assert_int_equal(call_users(c, CLOUD_AUD_GRAPH, &err), SB_OK);
	assert_int_equal(call_users(c, CLOUD_AUD_EXO, &err), SB_OK);
	assert_string_equal(f.token_scopes[0],
	    "https://microsoftgraph.chinacloudapi.cn/.default");
	assert_string_equal(f.token_scopes[1],
	    "https://partner.outlook.cn/.default");
	assert_string_equal(f.token_url, "https://fake.test:8443/"
	    "contoso.partner.onmschina.cn/oauth2/v2.0/token");
	assert_string_equal(f.req[0].url, "https://fake.test:8443/v1.0/users");
	fake_free(&f);
	cloud_close(c);
	/* usgov-dod, no URL: its own hosts */
	c = env_client(&f, replies, 2, "usgov-dod", NULL);
	assert_string_equal(cloud_client_env(c)->name, "usgov-dod");
	assert_int_equal(call_users(c, CLOUD_AUD_GRAPH, &err), SB_OK);
	assert_int_equal(call_users(c, CLOUD_AUD_EXO, &err), SB_OK);
	assert_string_equal(f.req[0].url,
	    "https://dod-graph.microsoft.us/v1.0/users");
	assert_string_equal(f.req[1].url, "https://webmail.apps.mil/v1.0/users");
	assert_non_null(strstr(f.token_url, "https://login.microsoftonline.us/"));
	assert_string_equal(f.token_scopes[0],
	    "https://dod-graph.microsoft.us/.default");
	assert_string_equal(f.token_scopes[1],
	    "https://webmail.apps.mil/.default");
	fake_free(&f);
	cloud_close(c);
	/* global by default, as before */
	c = env_client(&f, replies, 1, NULL, "");
	assert_int_equal(call_users(c, CLOUD_AUD_GRAPH, &err), SB_OK);
	assert_string_equal(f.req[0].url,
	    "https://graph.microsoft.com/v1.0/users");
	assert_string_equal(f.token_scopes[0], CLOUD_TOKEN_SCOPE_GRAPH);
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_an_unknown_environment_is_a_config_error(void **state)
{
	struct cloud_params p = {
		.environment = "mars",
		.tenant_id = "contoso.com",
		.client_id = "11111111-1111-1111-1111-111111111111",
		.client_secret = &secret,
	};
	struct cloud_client *c = NULL;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_open(&p, &c, &err), SB_CONFIG);
	assert_null(c);
	assert_string_equal(err.text, "environment 'mars' is not one of "
	    "global, usgov, usgov-dod, china");
}

static void
test_client_throttling_past_the_cycles_wait_budget_stops_naming_it(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 429, .retry_after = "3", .body = "{}" },
		{ .status = 429, .retry_after = "3", .body = "{}" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_stats stats;
	struct sb_error err = { 0 };

	(void)state;
	cloud_client_set_budget(c, 0, 5);
	assert_int_equal(call_users(c, CLOUD_AUD_GRAPH, &err), SB_RETRY);
	/* 3 s waited; 3 s more would pass the 5 s: no second wait, no send */
	assert_int_equal(f.nreq, 2);
	assert_int_equal(f.nsleeps, 1);
	assert_true(f.sleeps[0] >= 3000);
	assert_string_equal(err.where, "cloud.budget");
	assert_non_null(strstr(err.text,
	    "throttling budget of this run is "
	    "spent"));
	assert_non_null(strstr(err.text, "CLOUD_CYCLE_WAIT_MAX_S"));
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.throttled, 2);
	assert_int_equal(stats.retries, 1);
	assert_int_equal(stats.waited_ms, f.slept_ms);
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_request_budget_counts_tokens_and_retries_then_stops(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 503, .retry_after = "1", .body = "{}" },
		{ .status = 503, .retry_after = "1", .body = "{}" },
		{ .status = 200, .body = "{\"value\":[]}" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct cloud_stats stats;
	struct sb_error err = { 0 };

	(void)state;
	cloud_client_set_budget(c, 3, 0);
	/* the token request, then two attempts: the third is not sent */
	assert_int_equal(call_users(c, CLOUD_AUD_GRAPH, &err), SB_RETRY);
	assert_int_equal(f.ntokens, 1);
	assert_int_equal(f.nreq, 2);
	assert_string_equal(err.where, "cloud.budget");
	assert_non_null(strstr(err.text,
	    "test.call: the cloud request budget "
	    "of this run is spent: 3 requests sent, at most 3 per run"));
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.attempts, 3);
	assert_int_equal(stats.throttled, 2);
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_error_names_the_request_id_and_our_client_request_id(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 403, .file = "graph/error-403.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct sb_error err = { 0 };
	char want[128];

	(void)state;
	assert_int_equal(call_users(c, CLOUD_AUD_GRAPH, &err), SB_STOP);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(strlen(f.req[0].crid), 36);
	snprintf(want, sizeof(want),
	    "(request-id req-1, client-request-id "
	    "%s)",
	    f.req[0].crid);
	assert_non_null(strstr(err.text, want));
	/* the service's reason is still there */
	assert_non_null(strstr(err.text, "Authorization_RequestDenied"));
	fake_free(&f);
	cloud_close(c);
}

static void
test_client_a_due_token_is_renewed_before_it_expires(void **state)
{
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct timespec ts = { 0, 850 * 1000000L };
	struct sb_error err = { 0 };
	const char *tok;

	(void)state;
	f.token_expires_in = 1; /* renewed at 80 %: after 800 ms */
	assert_int_equal(cloud_client_token(c, CLOUD_AUD_GRAPH, 0, &tok, &err),
	    SB_OK);
	assert_string_equal(tok, "tok-graph-1");
	assert_int_equal(cloud_client_token(c, CLOUD_AUD_GRAPH, 0, &tok, &err),
	    SB_OK);
	assert_int_equal(f.ntokens, 1); /* kept while fresh */
	nanosleep(&ts, NULL);
	assert_int_equal(cloud_client_token(c, CLOUD_AUD_GRAPH, 0, &tok, &err),
	    SB_OK);
	assert_string_equal(tok, "tok-graph-2"); /* due: a new one */
	fake_free(&f);
	cloud_close(c);
}

/* The service's next cycle starts with the tokens the last one ended with. */
static void
test_client_tokens_kept_between_cycles_for_the_same_app_only(void **state)
{
	static const struct sb_bytes other_secret = { (unsigned char *)"x", 1 };
	struct cloud_token_keep k = { 0 };
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0), *c2;
	struct cloud_params p = { .login_url = "https://login.example.test",
		.graph_url = "https://graph.microsoft.com",
		.exchange_url = "https://outlook.office365.com/",
		.tenant_id = "fabrikam.onmicrosoft.com",
		.client_id = "11111111-1111-1111-1111-111111111111",
		.client_secret = &other_secret };
	struct sb_error err = { 0 };
	const char *tok;

	(void)state;
	assert_int_equal(cloud_check_tokens(c, &err), SB_OK);
	assert_int_equal(f.ntokens, 2);
	cloud_client_tokens_keep(c, &k);
	cloud_close(c);
	assert_non_null(k.tok[CLOUD_AUD_GRAPH].access);

	/* the next cycle's client: no token request */
	c = fake_client(&f, NULL, 0);
	f.ntokens = 2;
	cloud_client_tokens_restore(c, &k);
	assert_null(k.tok[CLOUD_AUD_GRAPH].access);
	assert_int_equal(cloud_client_token(c, CLOUD_AUD_GRAPH, 0, &tok, &err),
	    SB_OK);
	assert_string_equal(tok, "tok-graph-1");
	assert_int_equal(cloud_check_tokens(c, &err), SB_OK);
	assert_int_equal(f.ntokens, 2);
	cloud_client_tokens_keep(c, &k);
	cloud_close(c);

	/* another tenant (a reload): the kept tokens are dropped, not used */
	assert_int_equal(cloud_open(&p, &c2, &err), SB_OK);
	cloud_client_set_transport(c2, fake_transport, &f);
	cloud_client_set_rate(c2, 0);
	cloud_client_tokens_restore(c2, &k);
	assert_null(k.key);
	assert_null(k.tok[CLOUD_AUD_GRAPH].access);
	assert_int_equal(cloud_client_token(c2, CLOUD_AUD_GRAPH, 0, &tok, &err),
	    SB_OK);
	assert_int_equal(f.ntokens, 3);
	assert_string_equal(tok, "tok-graph-3");
	cloud_close(c2);
	cloud_token_keep_free(&k);
	fake_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_client_a_due_token_is_renewed_before_it_expires),
		cmocka_unit_test(
		    test_client_error_names_the_request_id_and_our_client_request_id),
		cmocka_unit_test(
		    test_client_throttling_past_the_cycles_wait_budget_stops_naming_it),
		cmocka_unit_test(
		    test_client_request_budget_counts_tokens_and_retries_then_stops),
		cmocka_unit_test(
		    test_client_open_wants_https_urls_a_tenant_and_a_secret),
		cmocka_unit_test(
		    test_client_check_tokens_gets_one_token_per_audience),
		cmocka_unit_test(
		    test_client_tokens_kept_between_cycles_for_the_same_app_only),
		cmocka_unit_test(
		    test_client_401_renews_the_token_once_and_succeeds),
		cmocka_unit_test(
		    test_client_second_401_stops_after_one_refresh),
		cmocka_unit_test(
		    test_client_401_not_allowed_to_call_a_cmdlet_is_not_refreshed),
		cmocka_unit_test(
		    test_client_401_invalid_token_header_renews_once),
		cmocka_unit_test(
		    test_client_401_that_names_no_token_problem_is_not_refreshed),
		cmocka_unit_test(
		    test_client_national_cloud_sets_audiences_urls_only_where_to_send),
		cmocka_unit_test(
		    test_client_an_unknown_environment_is_a_config_error),
		cmocka_unit_test(
		    test_client_token_failure_ends_the_call_without_a_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
