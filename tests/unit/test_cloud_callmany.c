/*
 * cloud/client.c: cloud_client_call_many, the calls that go out side by side
 * (here one by one: a test's transport is never run on threads).  Each call
 * keeps its own outcome, in order; a refused token is renewed once for them
 * all; no token, no request.
 */
#include "test_cloud_fake.h"

#define NCALLS 3

/* n GETs of {graph}/v1.0/users?n=i through cloud_client_call_many. */
static void
call_users_many(struct cloud_client *c, size_t n, enum sb_status *sts,
    struct sb_error *errs)
{
	struct cloud_call calls[NCALLS];
	struct cloud_http_resp resps[NCALLS];
	char urls[NCALLS][256];
	size_t i;

	assert_true(n <= NCALLS);
	memset(calls, 0, sizeof(calls));
	for (i = 0; i < n; i++) {
		snprintf(urls[i], sizeof(urls[i]), "%s/v1.0/users?n=%zu",
		    cloud_client_graph_url(c), i);
		calls[i].aud = CLOUD_AUD_GRAPH;
		calls[i].method = "GET";
		calls[i].url = urls[i];
		calls[i].where = "test.many";
		cloud_http_resp_init(&resps[i]);
	}
	cloud_client_call_many(c, calls, resps, sts, errs, n);
	for (i = 0; i < n; i++)
		cloud_http_resp_free(&resps[i]);
}

static void
test_call_many_each_call_keeps_its_own_outcome(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[]}" },
		{ .status = 404, .file = "graph/error-404.json" },
		{ .status = 200, .body = "{\"value\":[]}" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct sb_error errs[NCALLS];
	enum sb_status sts[NCALLS];

	(void)state;
	memset(errs, 0, sizeof(errs));
	call_users_many(c, 3, sts, errs);
	assert_int_equal(f.nreq, 3);
	assert_int_equal(sts[0], SB_OK);
	assert_int_not_equal(sts[1], SB_OK);
	assert_int_equal(errs[1].code, 404);
	assert_non_null(strstr(errs[1].text, "/v1.0/users"));
	assert_int_equal(sts[2], SB_OK);
	assert_non_null(strstr(f.req[2].url, "n=2"));
	fake_free(&f);
	cloud_close(c);
}

static void
test_call_many_a_refused_token_is_renewed_once_for_all(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 401, .file = "graph/error-401.json" },
		{ .status = 401, .file = "graph/error-401.json" },
		{ .status = 200, .body = "{\"value\":[]}" },
		{ .status = 200, .body = "{\"value\":[]}" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 4);
	struct sb_error errs[NCALLS];
	enum sb_status sts[NCALLS];
	struct cloud_stats stats;

	(void)state;
	memset(errs, 0, sizeof(errs));
	call_users_many(c, 2, sts, errs);
	assert_int_equal(sts[0], SB_OK);
	assert_int_equal(sts[1], SB_OK);
	assert_int_equal(f.nreq, 4);
	/* Both sent again, in order, with the one new token. */
	assert_string_equal(f.req[2].bearer, "tok-graph-2");
	assert_non_null(strstr(f.req[2].url, "n=0"));
	assert_string_equal(f.req[3].bearer, "tok-graph-2");
	assert_non_null(strstr(f.req[3].url, "n=1"));
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.token_refreshes_401, 1);
	assert_int_equal(stats.token_fetches[CLOUD_AUD_GRAPH], 2);
	fake_free(&f);
	cloud_close(c);
}

static void
test_call_many_no_token_no_request_and_every_call_says_why(void **state)
{
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct sb_error errs[NCALLS];
	enum sb_status sts[NCALLS];
	size_t i;

	(void)state;
	memset(errs, 0, sizeof(errs));
	f.token_status = 401;
	f.token_file = "token/error-invalid-secret.json";
	call_users_many(c, 3, sts, errs);
	assert_int_equal(f.nreq, 0);
	assert_int_equal(f.ntokens, 1);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sts[i], SB_STOP);
		assert_non_null(strstr(errs[i].text, "AADSTS7000215"));
		assert_null(strstr(errs[i].text, FAKE_SECRET));
	}
	fake_free(&f);
	cloud_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_call_many_each_call_keeps_its_own_outcome),
		cmocka_unit_test(
		    test_call_many_a_refused_token_is_renewed_once_for_all),
		cmocka_unit_test(
		    test_call_many_no_token_no_request_and_every_call_says_why),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
