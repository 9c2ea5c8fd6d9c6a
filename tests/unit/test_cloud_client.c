/* cloud/client.c: parameters, the token cache per audience, one refresh on 401. */
#include "test_cloud_fake.h"

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_open_wants_https_urls_a_tenant_and_a_secret),
		cmocka_unit_test(test_client_check_tokens_gets_one_token_per_audience),
		cmocka_unit_test(test_client_401_renews_the_token_once_and_succeeds),
		cmocka_unit_test(test_client_second_401_stops_after_one_refresh),
		cmocka_unit_test(test_client_token_failure_ends_the_call_without_a_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
