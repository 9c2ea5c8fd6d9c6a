/* cloud/http.c: retries, Retry-After, backoff, the rate cap, URL helpers, curl's https-only setup. */
#include "test_cloud_fake.h"

#include <time.h>

#include "cloud/http.h"

/* A transport that plays replies without a client or tokens. */
struct script {
	const struct fake_reply	*r;
	size_t			 n, next;
	char			 crid[8][40];
	struct fake		 f;	/* its sleep log */
};

static enum sb_status
script_transport(void *arg, const struct cloud_http_req *req,
    const char *crid, struct cloud_http_resp *resp, struct sb_error *err)
{
	struct script *s = arg;
	const struct fake_reply *r;

	assert_true(s->next < s->n);
	snprintf(s->crid[s->next], sizeof(s->crid[0]), "%s", crid);
	r = &s->r[s->next++];
	if (r->drop)
		return sb_fail(err, SB_RETRY, 56, req->where,
		    "Connection reset by peer (curl 56)");
	resp->status = r->status;
	if (r->retry_after != NULL)
		resp->retry_after = cloud_http_parse_retry_after(
		    r->retry_after, 0);
	if (r->content_type != NULL)
		snprintf(resp->content_type, sizeof(resp->content_type), "%s",
		    r->content_type);
	if (r->body != NULL)
		sb_buf_append(&resp->body, r->body, strlen(r->body), NULL);
	return SB_OK;
}

static struct cloud_http *
script_http(struct script *s, const struct fake_reply *r, size_t n)
{
	struct cloud_http *h = NULL;
	struct sb_error err = { 0 };

	memset(s, 0, sizeof(*s));
	s->r = r;
	s->n = n;
	assert_int_equal(cloud_http_new(NULL, 0, &h, &err), SB_OK);
	cloud_http_set_transport(h, script_transport, s);
	cloud_http_set_sleep(h, fake_sleep, &s->f);
	cloud_http_set_rate(h, 0);
	return h;
}

static const struct cloud_http_req get_users = {
	.method = "GET", .url = "https://graph.microsoft.com/v1.0/users?$top=999",
	.where = "graph.users",
};

static void
test_http_retry_after_seconds_and_dates_are_read(void **state)
{
	time_t now = 1700000000;	/* Tue, 14 Nov 2023 22:13:20 GMT */

	(void)state;
	assert_int_equal(cloud_http_parse_retry_after("7", now), 7);
	assert_int_equal(cloud_http_parse_retry_after(" 120 ", now), 120);
	assert_int_equal(cloud_http_parse_retry_after(
	    "Tue, 14 Nov 2023 22:13:50 GMT", now), 30);
	assert_int_equal(cloud_http_parse_retry_after(
	    "Tue, 14 Nov 2023 22:00:00 GMT", now), 0);
	assert_int_equal(cloud_http_parse_retry_after("soon", now), -1);
	assert_int_equal(cloud_http_parse_retry_after("-3", now), -1);
	assert_int_equal(cloud_http_parse_retry_after("7x", now), -1);
	assert_int_equal(cloud_http_parse_retry_after(NULL, now), -1);
}

static void
test_http_a_fractional_retry_after_is_rounded_up_never_down(void **state)
{
	time_t now = 1700000000;

	(void)state;
	assert_int_equal(cloud_http_parse_retry_after("1.5", now), 2);
	assert_int_equal(cloud_http_parse_retry_after("0.2", now), 1);
	assert_int_equal(cloud_http_parse_retry_after(" 3.001 ", now), 4);
	assert_int_equal(cloud_http_parse_retry_after("2.000", now), 2);
	assert_int_equal(cloud_http_parse_retry_after("0.0", now), 0);
	assert_int_equal(cloud_http_parse_retry_after("2.", now), -1);
	assert_int_equal(cloud_http_parse_retry_after("1.5s", now), -1);
	assert_int_equal(cloud_http_parse_retry_after("1.2.3", now), -1);
	assert_int_equal(cloud_http_parse_retry_after("99999999.5", now),
	    CLOUD_HTTP_RETRY_AFTER_MAX);
	/* and the wait that follows is at least the 1.5 s asked */
	assert_true(cloud_http_backoff_ms(0,
			cloud_http_parse_retry_after("1.5", now), 120,
			0) >= 1500);
}

static void
test_http_backoff_honours_retry_after_and_never_waits_less(void **state)
{
	unsigned int rnd;

	(void)state;
	for (rnd = 0; rnd < 1000; rnd += 37) {
		long w = cloud_http_backoff_ms(3, 7, 120, rnd);

		assert_true(w >= 7000 && w <= 7250);
	}
	/* more than the cap: give up rather than retry early */
	assert_int_equal(cloud_http_backoff_ms(0, 300, 120, 0), -1);
	assert_int_equal(cloud_http_backoff_ms(0, 120, 120, 0), 120000);
}

static void
test_http_backoff_without_retry_after_grows_with_jitter_to_the_cap(void **state)
{
	long w;
	int a;

	(void)state;
	for (a = 0; a < 12; a++) {
		long base = 1000L << (a < 8 ? a : 8);

		if (base > 120000)
			base = 120000;
		w = cloud_http_backoff_ms(a, -1, 120, 0);
		assert_int_equal(w, base / 2);
		w = cloud_http_backoff_ms(a, -1, 120, 0xffffffffu);
		assert_true(w >= base / 2 && w <= base);
	}
}

static void
test_http_429_with_retry_after_is_waited_out_then_succeeds(void **state)
{
	static const struct fake_reply r[] = {
		{ .status = 429, .retry_after = "3", .body = "{}" },
		{ .status = 503, .body = "{}" },
		{ .status = 200, .body = "{\"value\":[]}" },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 3);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(resp.status, 200);
	assert_string_equal(resp.body.p, "{\"value\":[]}");
	assert_int_equal(resp.attempts, 3);
	assert_int_equal(s.f.nsleeps, 2);
	assert_true(s.f.sleeps[0] >= 3000);		/* Retry-After */
	assert_true(s.f.sleeps[1] >= 1000 && s.f.sleeps[1] <= 2000);
	/* one client-request-id for the request, through its retries */
	assert_string_equal(s.crid[0], s.crid[2]);
	assert_int_equal(strlen(resp.client_request_id), 36);
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_504_with_a_fractional_retry_after_waits_at_least_that(void **state)
{
	static const struct fake_reply r[] = {
		{ .status = 504, .retry_after = "1.5", .body = "{}" },
		{ .status = 200, .body = "{\"value\":[]}" },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 2);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(s.f.nsleeps, 1);
	/* 1.5 s asked: 2 s and a little spread, never 1 */
	assert_true(s.f.sleeps[0] >= 2000 && s.f.sleeps[0] <= 2250);
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_dropped_connections_are_retried_then_reported(void **state)
{
	static const struct fake_reply r[] = {
		{ .drop = 1 }, { .drop = 1 }, { .drop = 1 }, { .drop = 1 },
		{ .drop = 1 }, { .drop = 1 },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 6);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };
	char want[200];

	(void)state;
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err),
	    SB_RETRY);
	assert_int_equal(s.next, 1 + CLOUD_HTTP_RETRIES_MAX);
	assert_int_equal(s.f.nsleeps, CLOUD_HTTP_RETRIES_MAX);
	assert_string_equal(err.where, "graph.users");
	/* the client-request-id every attempt carried, for support */
	snprintf(want, sizeof(want),
	    "GET /v1.0/users: Connection reset by "
	    "peer (curl 56); gave up after 6 attempts (client-request-id %s)",
	    s.crid[0]);
	assert_string_equal(err.text, want);
	assert_string_equal(s.crid[5], s.crid[0]);
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_a_retry_after_beyond_the_cap_is_not_cut_short(void **state)
{
	static const struct fake_reply r[] = {
		{ .status = 429, .retry_after = "3600", .body = "{}" },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 1);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_resp_init(&resp);
	/* the 429 comes back to the caller, whose errmap says SB_RETRY */
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(resp.status, 429);
	assert_int_equal(resp.retry_after, 3600);
	assert_int_equal(s.f.nsleeps, 0);
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_a_long_retry_after_is_read_whole_and_capped(void **state)
{
	char v[160], line[200];
	struct cloud_http_resp resp;

	(void)state;
	/* 63 zeros and 1200: a copy cut at 64 bytes read 0 */
	memset(v, '0', 63);
	snprintf(v + 63, sizeof(v) - 63, "1200");
	assert_int_equal(cloud_http_parse_retry_after(v, 0), 1200);
	/* past any long: saturates at the cap, never overflows */
	assert_int_equal(cloud_http_parse_retry_after(
	    "99999999999999999999999999999999", 0), CLOUD_HTTP_RETRY_AFTER_MAX);
	assert_int_equal(cloud_http_parse_retry_after_n("12xyz", 2, 0), 12);
	assert_int_equal(cloud_http_parse_retry_after("12 34", 0), -1);
	/* through curl's header callback, which no longer copies into 64 */
	cloud_http_resp_init(&resp);
	snprintf(line, sizeof(line), "Retry-After: %s\r\n", v);
	assert_int_equal(cloud_http_header_cb(line, 1, strlen(line), &resp),
	    strlen(line));
	assert_int_equal(resp.retry_after, 1200);
	snprintf(line, sizeof(line), "WWW-Authenticate: Bearer client_id="
	    "\"00000002-0000-0ff1-ce00-000000000000\", error=\"invalid_token"
	    "\"\r\n");
	cloud_http_header_cb(line, 1, strlen(line), &resp);
	assert_int_equal(resp.invalid_token, 1);
	snprintf(line, sizeof(line), "HTTP/1.1 200 OK\r\n");
	cloud_http_header_cb(line, 1, strlen(line), &resp);
	assert_int_equal(resp.invalid_token, 0);	/* a new block */
	assert_int_equal(resp.retry_after, -1);
	snprintf(line, sizeof(line), "www-authenticate: Bearer realm=\"\", "
	    "authorization_uri=\"https://login.microsoftonline.com/common/"
	    "oauth2/authorize\"\r\n");
	cloud_http_header_cb(line, 1, strlen(line), &resp);
	assert_int_equal(resp.invalid_token, 0);
	cloud_http_resp_free(&resp);
}

static void
test_http_a_day_long_retry_after_gives_up_instead_of_waiting(void **state)
{
	static const struct fake_reply r[] = {
		{ .status = 429, .retry_after = "0000000000000000000000000000"
		    "0000000000000000000000000000000000086400", .body = "{}" },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 1);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(resp.status, 429);
	assert_int_equal(resp.retry_after, 86400);
	assert_int_equal(s.f.nsleeps, 0);
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_plain_text_throttling_is_retried_like_a_429(void **state)
{
	static const struct fake_reply r[] = {
		{ .status = 400, .content_type = "text/plain; charset=utf-8",
		    .body = "The request was throttled: too many concurrent "
		    "requests for this tenant." },
		{ .status = 500, .retry_after = "2", .body = "Server Busy, "
		    "please try again later" },
		{ .status = 200, .body = "{\"value\":[]}" },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 3);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(resp.status, 200);
	assert_int_equal(s.next, 3);
	assert_int_equal(s.f.nsleeps, 2);
	assert_true(s.f.sleeps[1] >= 2000);	/* its Retry-After */
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
	/* what counts as throttling in plain text, and what does not */
	assert_true(cloud_http_throttled_text(503, NULL, "Too Many Requests",
	    17));
	assert_false(cloud_http_throttled_text(400, "application/json",
	    "throttled", 9));
	assert_false(cloud_http_throttled_text(400, NULL,
	    "{\"error\":\"throttled\"}", 22));
	assert_false(cloud_http_throttled_text(404, "text/plain",
	    "Not Found", 9));
	assert_false(cloud_http_throttled_text(200, "text/plain",
	    "throttled", 9));
}

static void
test_http_other_errors_are_not_retried(void **state)
{
	static const struct fake_reply r[] = {
		{ .status = 403, .body = "{}" },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 1);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(resp.status, 403);
	assert_int_equal(s.next, 1);
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_rate_cap_spaces_requests(void **state)
{
	static const struct fake_reply r[] = {
		{ .status = 200, .body = "{}" }, { .status = 200, .body = "{}" },
	};
	struct script s;
	struct cloud_http *h = script_http(&s, r, 2);
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_set_rate(h, 4);	/* 250 ms apart */
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(cloud_http_request(h, &get_users, &resp, &err), SB_OK);
	assert_int_equal(s.f.nsleeps, 1);
	assert_true(s.f.sleeps[0] > 150 && s.f.sleeps[0] <= 250);
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

/* A ceiling is never exceeded by rounding: 300 a second is 4 ms, not 3. */
static void
test_http_rate_interval_rounds_up(void **state)
{
	(void)state;
	assert_int_equal(cloud_http_rate_interval_ms(0), 0);
	assert_int_equal(cloud_http_rate_interval_ms(1), 1000);
	assert_int_equal(cloud_http_rate_interval_ms(2), 500);
	assert_int_equal(cloud_http_rate_interval_ms(20), 50);
	assert_int_equal(cloud_http_rate_interval_ms(300), 4);
	assert_int_equal(cloud_http_rate_interval_ms(600), 2);
	assert_int_equal(cloud_http_rate_interval_ms(1000), 1);
}

static void
test_http_curl_refuses_plain_http_without_sending(void **state)
{
	static const struct cloud_http_req req = {
		.method = "GET", .url = "http://127.0.0.1:9/v1.0/users",
		.bearer = "tok", .where = "graph.users",
	};
	struct cloud_http *h = NULL;
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_http_new(NULL, 5, &h, &err), SB_OK);
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &req, &resp, &err), SB_CONFIG);
	assert_null(strstr(err.text, "tok"));
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_curl_connection_refused_is_retried(void **state)
{
	static const struct cloud_http_req req = {
		.method = "GET", .url = "https://127.0.0.1:1/v1.0/users",
		.where = "graph.users",
	};
	struct cloud_http *h = NULL;
	struct cloud_http_resp resp;
	struct sb_error err = { 0 };
	struct fake f = { 0 };

	(void)state;
	assert_int_equal(cloud_http_new(NULL, 5, &h, &err), SB_OK);
	cloud_http_set_sleep(h, fake_sleep, &f);
	cloud_http_set_retries(h, 2, 120);
	cloud_http_resp_init(&resp);
	assert_int_equal(cloud_http_request(h, &req, &resp, &err), SB_RETRY);
	assert_int_equal(f.nsleeps >= 2, 1);
	assert_non_null(strstr(err.text, "gave up after 3 attempts"));
	cloud_http_resp_free(&resp);
	cloud_http_free(h);
}

static void
test_http_an_unreadable_ca_file_is_a_config_error(void **state)
{
	struct cloud_http *h = NULL;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_http_new("/nonexistent/ca.pem", 0, &h, &err),
	    SB_CONFIG);
	assert_null(h);
	assert_string_equal(err.text, "ca_file /nonexistent/ca.pem: No such "
	    "file or directory");
}

static void
test_http_url_helpers_strip_queries_and_compare_origins(void **state)
{
	char path[64];
	char uuid[37];
	struct sb_error err = { 0 };

	(void)state;
	cloud_http_url_path("https://graph.microsoft.com/v1.0/users?$skiptoken="
	    "abc", path, sizeof(path));
	assert_string_equal(path, "/v1.0/users");
	cloud_http_url_path("https://login.example/t/oauth2/v2.0/token#x", path,
	    sizeof(path));
	assert_string_equal(path, "/t/oauth2/v2.0/token");
	cloud_http_url_path("https://host", path, sizeof(path));
	assert_string_equal(path, "/");
	assert_true(cloud_http_same_origin("https://graph.microsoft.com",
	    "https://GRAPH.microsoft.com:443/v1.0/users?$skiptoken=x"));
	assert_false(cloud_http_same_origin("https://graph.microsoft.com",
	    "https://graph.microsoft.com.evil.example/v1.0/users"));
	assert_false(cloud_http_same_origin("https://127.0.0.1:8443",
	    "https://127.0.0.1:8444/v1.0/users"));
	assert_false(cloud_http_same_origin("https://a.example", "not a url"));
	assert_int_equal(cloud_http_uuid(uuid, &err), SB_OK);
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '4');
	assert_non_null(strchr("89ab", uuid[19]));
}

static void
test_http_a_100_block_is_forgotten_but_the_client_request_id_kept(void **state)
{
	static const char *const lines[] = { "HTTP/1.1 100 Continue\r\n",
	    "request-id: early\r\n", "Location: https://x/early\r\n",
	    "\r\n", "HTTP/1.1 401 Unauthorized\r\n",
	    "Content-Type: application/json\r\n",
	    "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n" };
	struct cloud_http_resp resp;
	size_t i;

	(void)state;
	cloud_http_resp_init(&resp);
	snprintf(resp.client_request_id, sizeof(resp.client_request_id),
	    "crid-1");
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(cloud_http_header_cb((char *)lines[i], 1,
		    strlen(lines[i]), &resp), strlen(lines[i]));
	assert_string_equal(resp.request_id, "");
	assert_null(resp.location);
	assert_string_equal(resp.content_type, "application/json");
	assert_int_equal(resp.invalid_token, 1);
	assert_string_equal(resp.client_request_id, "crid-1");
	cloud_http_resp_free(&resp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_http_retry_after_seconds_and_dates_are_read),
		cmocka_unit_test(
		    test_http_a_fractional_retry_after_is_rounded_up_never_down),
		cmocka_unit_test(
		    test_http_backoff_honours_retry_after_and_never_waits_less),
		cmocka_unit_test(
		    test_http_backoff_without_retry_after_grows_with_jitter_to_the_cap),
		cmocka_unit_test(
		    test_http_429_with_retry_after_is_waited_out_then_succeeds),
		cmocka_unit_test(
		    test_http_504_with_a_fractional_retry_after_waits_at_least_that),
		cmocka_unit_test(
		    test_http_dropped_connections_are_retried_then_reported),
		cmocka_unit_test(
		    test_http_a_retry_after_beyond_the_cap_is_not_cut_short),
		cmocka_unit_test(
		    test_http_a_long_retry_after_is_read_whole_and_capped),
		cmocka_unit_test(
		    test_http_a_day_long_retry_after_gives_up_instead_of_waiting),
		cmocka_unit_test(
		    test_http_plain_text_throttling_is_retried_like_a_429),
		cmocka_unit_test(test_http_other_errors_are_not_retried),
		cmocka_unit_test(test_http_rate_cap_spaces_requests),
		cmocka_unit_test(test_http_rate_interval_rounds_up),
		cmocka_unit_test(
		    test_http_curl_refuses_plain_http_without_sending),
		cmocka_unit_test(test_http_curl_connection_refused_is_retried),
		cmocka_unit_test(
		    test_http_an_unreadable_ca_file_is_a_config_error),
		cmocka_unit_test(
		    test_http_url_helpers_strip_queries_and_compare_origins),
		cmocka_unit_test(
		    test_http_a_100_block_is_forgotten_but_the_client_request_id_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
