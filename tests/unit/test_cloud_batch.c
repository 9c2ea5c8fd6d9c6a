/* cloud/batch.c: $batch bodies, replies matched by id, 429 items resent. */
#include "test_cloud_fake.h"

#include "cloud/batch.h"

static const char *const ids[] = {
	"5b3c0a5e-1111-4c2e-9a1b-000000000001",
	"5b3c0a5e-1111-4c2e-9a1b-000000000002",
	"5b3c0a5e-1111-4c2e-9a1b-000000000003",
	"5b3c0a5e-1111-4c2e-9a1b-000000000004",
};

static const char *const urls[] = {
	"/users/5b3c0a5e-1111-4c2e-9a1b-000000000001/onPremisesSyncBehavior",
	"/users/5b3c0a5e-1111-4c2e-9a1b-000000000002/onPremisesSyncBehavior",
	"/users/5b3c0a5e-1111-4c2e-9a1b-000000000003/onPremisesSyncBehavior",
	"/users/5b3c0a5e-1111-4c2e-9a1b-000000000004/onPremisesSyncBehavior",
};

/* n items on urls[], all of them sent, as batch_round prepares them. */
static void
items_init(struct cloud_batch_item *items, size_t n, int sent)
{
	size_t i;

	memset(items, 0, n * sizeof(*items));
	for (i = 0; i < n; i++) {
		items[i].url = urls[i % 4];
		items[i].sent = sent;
		items[i].retry_after = -1;
	}
}

/* The requests array of a body cloud_batch_request made (a new reference). */
static json_t *
requests_of(const char *body)
{
	json_t *root = json_loads(body, 0, NULL), *reqs;

	assert_non_null(root);
	reqs = json_object_get(root, "requests");
	assert_true(json_is_array(reqs));
	json_incref(reqs);
	json_decref(root);
	return reqs;
}

static const char *
req_field(json_t *reqs, size_t i, const char *key)
{
	const char *s = json_string_value(json_object_get(
	    json_array_get(reqs, i), key));

	assert_non_null(s);
	return s;
}

static enum sb_status
parse_text(const char *text, struct cloud_batch_item *items, size_t n,
    struct sb_error *err)
{
	memset(err, 0, sizeof(*err));
	return cloud_batch_parse("graph.soa", text, strlen(text), items, n,
	    err);
}

static void
test_batch_request_holds_the_sent_items_by_index_with_relative_urls(
    void **state)
{
	struct cloud_batch_item items[4];
	struct sb_error err = { 0 };
	char *body = NULL;
	json_t *reqs;

	(void)state;
	items_init(items, 4, 1);
	items[1].sent = 0;	/* answered in an earlier round */
	assert_int_equal(cloud_batch_request(items, 4, &body, &err), SB_OK);
	reqs = requests_of(body);
	assert_int_equal(json_array_size(reqs), 3);
	/* the id is the item's index, so a later round keeps its ids */
	assert_string_equal(req_field(reqs, 0, "id"), "0");
	assert_string_equal(req_field(reqs, 1, "id"), "2");
	assert_string_equal(req_field(reqs, 2, "id"), "3");
	assert_string_equal(req_field(reqs, 1, "method"), "GET");
	/* relative to the version, exactly as given */
	assert_string_equal(req_field(reqs, 1, "url"), urls[2]);
	assert_null(strstr(body, "/v1.0"));
	json_decref(reqs);
	free(body);
}

static void
test_batch_request_refuses_more_than_20_sub_requests(void **state)
{
	struct cloud_batch_item items[CLOUD_BATCH_MAX + 1];
	struct sb_error err = { 0 };
	char *body = NULL;
	json_t *reqs;

	(void)state;
	items_init(items, CLOUD_BATCH_MAX + 1, 1);
	assert_int_equal(cloud_batch_request(items, CLOUD_BATCH_MAX + 1, &body,
	    &err), SB_BUG);
	assert_null(body);
	assert_non_null(strstr(err.text, "more than 20 requests"));
	/* 20 is Graph's limit and still one batch */
	assert_int_equal(cloud_batch_request(items, CLOUD_BATCH_MAX, &body,
	    &err), SB_OK);
	reqs = requests_of(body);
	assert_int_equal(json_array_size(reqs), CLOUD_BATCH_MAX);
	assert_string_equal(req_field(reqs, 19, "id"), "19");
	json_decref(reqs);
	free(body);
}

static void
test_batch_parse_matches_responses_out_of_order_by_id(void **state)
{
	struct cloud_batch_item items[4];
	struct sb_error err = { 0 };
	size_t len, i;
	char *body = load_data("graph/batch-soa-round1.json", &len);

	(void)state;
	/* the reply lists ids 3, 1, 0, 2 */
	items_init(items, 4, 1);
	assert_int_equal(cloud_batch_parse("graph.soa", body, len, items, 4,
	    &err), SB_OK);
	for (i = 0; i < 4; i++)
		assert_true(items[i].answered);
	assert_int_equal(items[0].status, 200);
	assert_int_equal(items[1].status, 429);
	assert_int_equal(items[2].status, 200);
	assert_int_equal(items[3].status, 404);
	assert_non_null(strstr(items[0].body, ids[0]));
	assert_non_null(strstr(items[0].body, "\"isCloudManaged\":true"));
	assert_non_null(strstr(items[2].body, ids[2]));
	assert_non_null(strstr(items[2].body, "\"isCloudManaged\":false"));
	assert_int_equal(items[2].body_len, strlen(items[2].body));
	cloud_batch_reset(items, 4);
	free(body);
}

static void
test_batch_parse_reads_a_throttled_items_own_retry_after(void **state)
{
	struct cloud_batch_item items[4];
	struct sb_error err = { 0 };
	size_t len;
	char *body = load_data("graph/batch-soa-round1.json", &len);

	(void)state;
	items_init(items, 4, 1);
	assert_int_equal(cloud_batch_parse("graph.soa", body, len, items, 4,
	    &err), SB_OK);
	assert_int_equal(items[1].status, 429);
	assert_int_equal(items[1].retry_after, 7);
	assert_int_equal(items[0].retry_after, -1);
	assert_int_equal(items[3].retry_after, -1);
	cloud_batch_reset(items, 4);
	free(body);

	/* header names in any case; a number as well as a string */
	items_init(items, 2, 1);
	assert_int_equal(parse_text("{\"responses\":[{\"id\":\"0\",\"status\":"
	    "429,\"headers\":{\"retry-after\":\"12\"}},{\"id\":\"1\","
	    "\"status\":503,\"headers\":{\"RETRY-AFTER\":3}}]}", items, 2,
	    &err), SB_OK);
	assert_int_equal(items[0].retry_after, 12);
	assert_int_equal(items[1].retry_after, 3);
	assert_null(items[0].body);
	cloud_batch_reset(items, 2);
}

static void
test_batch_parse_rounds_a_fractional_retry_after_up(void **state)
{
	struct cloud_batch_item items[3];
	struct sb_error err = { 0 };

	(void)state;
	items_init(items, 3, 1);
	assert_int_equal(
	    parse_text(
		"{\"responses\":[{\"id\":\"0\",\"status\":"
		"429,\"headers\":{\"Retry-After\":\"1.5\"}},{\"id\":\"1\","
		"\"status\":429,\"headers\":{\"Retry-After\":0.25}},{\"id\":"
		"\"2\",\"status\":503,\"headers\":{\"Retry-After\":-1.5}}]}",
		items, 3, &err),
	    SB_OK);
	assert_int_equal(items[0].retry_after, 2);
	assert_int_equal(items[1].retry_after, 1);
	assert_int_equal(items[2].retry_after, -1);
	cloud_batch_reset(items, 3);
}

static void
test_batch_parse_keeps_a_404_items_error_body_for_the_caller(void **state)
{
	struct cloud_batch_item items[4];
	struct sb_error err = { 0 };
	size_t len;
	char *body = load_data("graph/batch-soa-round1.json", &len);
	json_t *b;

	(void)state;
	items_init(items, 4, 1);
	/* the batch is fine: an item's failure is the caller's to judge */
	assert_int_equal(cloud_batch_parse("graph.soa", body, len, items, 4,
	    &err), SB_OK);
	assert_int_equal(items[3].status, 404);
	b = json_loads(items[3].body, 0, NULL);
	assert_non_null(b);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    b, "error"), "code")), "Request_ResourceNotFound");
	json_decref(b);
	cloud_batch_reset(items, 4);
	free(body);
}

static void
test_batch_parse_malformed_reply_names_where_and_endpoint(void **state)
{
	static const char *const bad[] = {
		/* no responses, not an array, an item not an object */
		"{\"value\":[]}",
		"{\"responses\":{}}",
		"{\"responses\":[\"0\"]}",
		/* no status, a status as text, an id as a number */
		"{\"responses\":[{\"id\":\"0\",\"body\":{}}]}",
		"{\"responses\":[{\"id\":\"0\",\"status\":\"200\"}]}",
		"{\"responses\":[{\"id\":0,\"status\":200}]}",
		/* not an object, nothing */
		"[]",
		"",
	};
	struct cloud_batch_item items[1];
	struct sb_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		items_init(items, 1, 1);
		if (parse_text(bad[i], items, 1, &err) != SB_RETRY)
			fail_msg("reply %zu (%s) not refused", i, bad[i]);
		assert_string_equal(err.where, "graph.soa");
		if (strstr(err.text, "malformed response from POST "
		    "/v1.0/$batch") == NULL)
			fail_msg("reply %zu: %s", i, err.text);
		cloud_batch_reset(items, 1);
	}
	items_init(items, 1, 1);
	assert_int_equal(parse_text("{\"value\":[]}", items, 1, &err),
	    SB_RETRY);
	assert_non_null(strstr(err.text, "no \"responses\" array"));
}

static void
test_batch_parse_refuses_an_answer_to_an_item_not_sent(void **state)
{
	struct cloud_batch_item items[2];
	struct sb_error err;

	(void)state;
	items_init(items, 2, 1);
	items[1].sent = 0;	/* done in an earlier round */
	assert_int_equal(parse_text("{\"responses\":[{\"id\":\"0\",\"status\":"
	    "200},{\"id\":\"1\",\"status\":200}]}", items, 2, &err),
	    SB_RETRY);
	assert_non_null(strstr(err.text, "response 1 answers no request"));
	cloud_batch_reset(items, 2);
}

static void
test_batch_reset_frees_bodies_and_clears_the_flags(void **state)
{
	struct cloud_batch_item items[2];
	struct sb_error err;

	(void)state;
	items_init(items, 2, 1);
	assert_int_equal(parse_text("{\"responses\":[{\"id\":\"1\",\"status\":"
	    "429,\"headers\":{\"Retry-After\":\"4\"},\"body\":{\"a\":1}},"
	    "{\"id\":\"0\",\"status\":200,\"body\":{\"b\":2}}]}", items, 2,
	    &err), SB_OK);
	items[0].done = 1;
	cloud_batch_reset(items, 2);
	assert_null(items[0].body);
	assert_null(items[1].body);
	assert_int_equal(items[1].body_len, 0);
	assert_false(items[0].done || items[0].sent || items[0].answered);
	assert_int_equal(items[1].status, 0);
	assert_int_equal(items[1].retry_after, -1);
	assert_string_equal(items[0].url, urls[0]);	/* the caller's */
}

/* Through the transport seam. */

static const char round1[] = "{\"responses\":["
    "{\"id\":\"2\",\"status\":429,\"headers\":{\"Retry-After\":\"3\","
    "\"Content-Type\":\"application/json\"},\"body\":{\"error\":{\"code\":"
    "\"TooManyRequests\",\"message\":\"Too many requests.\"}}},"
    "{\"id\":\"0\",\"status\":200,\"headers\":{\"Content-Type\":"
    "\"application/json\"},\"body\":{\"id\":\"a\",\"isCloudManaged\":true}},"
    "{\"id\":\"1\",\"status\":503,\"headers\":{},\"body\":null}]}";
static const char round2[] = "{\"responses\":["
    "{\"id\":\"1\",\"status\":200,\"body\":{\"id\":\"b\"}},"
    "{\"id\":\"2\",\"status\":200,\"body\":{\"id\":\"c\"}}]}";

static void
test_batch_run_posts_to_the_versions_batch_url(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .auto_batch = 1 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct cloud_batch_item items[2];
	struct sb_error err = { 0 };

	(void)state;
	items_init(items, 2, 0);
	assert_int_equal(cloud_batch_run(c, "graph.soa", NULL, items, 2, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 1);
	assert_string_equal(f.req[0].method, "POST");
	assert_string_equal(f.req[0].url,
	    "https://graph.microsoft.com/v1.0/$batch");
	assert_string_equal(f.req[0].bearer, "tok-graph-1");
	assert_true(items[0].done && items[1].done);
	assert_int_equal(items[1].status, 200);
	cloud_batch_reset(items, 2);
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_run_resends_only_the_throttled_items_after_retry_after(
    void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = round1 },
		{ .status = 200, .body = round2 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_batch_item items[3];
	struct sb_error err = { 0 };
	json_t *reqs;

	(void)state;
	items_init(items, 3, 0);
	assert_int_equal(cloud_batch_run(c, "graph.soa", NULL, items, 3, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 2);
	/* the 429 and the 503 again, under their first ids; not item 0 */
	reqs = requests_of(f.req[1].body);
	assert_int_equal(json_array_size(reqs), 2);
	assert_string_equal(req_field(reqs, 0, "id"), "1");
	assert_string_equal(req_field(reqs, 1, "id"), "2");
	assert_string_equal(req_field(reqs, 1, "url"), urls[2]);
	json_decref(reqs);
	/* one wait, at least the 3 s the item asked for */
	assert_int_equal(f.nsleeps, 1);
	assert_true(f.sleeps[0] >= 3000 && f.sleeps[0] <= 3250);
	/* every item has its final answer; item 0 kept its first one */
	assert_int_equal(items[0].status, 200);
	assert_non_null(items[0].body);
	assert_non_null(strstr(items[0].body, "\"id\":\"a\""));
	assert_int_equal(items[1].status, 200);
	assert_non_null(strstr(items[1].body, "\"id\":\"b\""));
	assert_int_equal(items[2].status, 200);
	assert_non_null(strstr(items[2].body, "\"id\":\"c\""));
	cloud_batch_reset(items, 3);
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_run_resends_a_504_item_like_a_throttled_one(void **state)
{
	static const char r1[] =
	    "{\"responses\":[{\"id\":\"0\",\"status\":"
	    "200,\"body\":{\"id\":\"a\"}},{\"id\":\"1\",\"status\":504,"
	    "\"body\":{\"error\":{\"code\":\"GatewayTimeout\"}}}]}";
	static const char r2[] = "{\"responses\":[{\"id\":\"1\",\"status\":"
				 "200,\"body\":{\"id\":\"b\"}}]}";
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = r1 },
		{ .status = 200, .body = r2 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct cloud_batch_item items[2];
	struct sb_error err = { 0 };

	(void)state;
	items_init(items, 2, 0);
	assert_int_equal(cloud_batch_run(c, "graph.soa", NULL, items, 2, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 2);
	assert_int_equal(items[1].status, 200);
	assert_non_null(strstr(items[1].body, "\"id\":\"b\""));
	/* no Retry-After: a backoff, not a resend at once */
	assert_int_equal(f.nsleeps, 1);
	assert_true(f.sleeps[0] >= 500);
	cloud_batch_reset(items, 2);
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_run_counts_throttled_items_and_their_wait_in_the_budget(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = round1 },
		{ .status = 200, .body = round2 },
		{ .status = 200, .body = round1 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct cloud_batch_item items[3];
	struct cloud_stats stats;
	struct sb_error err = { 0 };

	(void)state;
	cloud_client_set_budget(c, 0, 4);
	items_init(items, 3, 0);
	assert_int_equal(cloud_batch_run(c, "graph.soa", NULL, items, 3, &err),
	    SB_OK);
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.throttled, 2); /* the 429 and the 503 item */
	assert_int_equal(stats.retries, 1);
	assert_true(stats.waited_ms >= 3000);
	cloud_batch_reset(items, 3);
	/* another 3 s would pass the 4 s of the cycle: stop, naming it */
	items_init(items, 3, 0);
	assert_int_equal(cloud_batch_run(c, "graph.soa", NULL, items, 3, &err),
	    SB_RETRY);
	assert_string_equal(err.where, "cloud.budget");
	assert_non_null(strstr(err.text, "graph.soa: the throttling budget"));
	assert_int_equal(f.nsleeps, 1);
	assert_int_equal(f.nreq, 3);
	cloud_batch_reset(items, 3);
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_run_gives_up_at_once_on_a_retry_after_beyond_max_wait(
    void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"responses\":[{\"id\":\"0\","
		  "\"status\":429,\"headers\":{\"Retry-After\":\"600\"}}]}" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct cloud_batch_item items[1];
	struct sb_error err = { 0 };

	(void)state;
	cloud_client_set_retries(c, 5, 120);
	items_init(items, 1, 0);
	assert_int_equal(cloud_batch_run(c, "graph.soa", NULL, items, 1, &err),
	    SB_RETRY);
	/* waiting less than asked would not honour it: no sleep, no resend */
	assert_int_equal(f.nreq, 1);
	assert_int_equal(f.nsleeps, 0);
	assert_int_equal(err.code, 429);
	assert_non_null(strstr(err.text, "still throttled"));
	assert_non_null(strstr(err.text, urls[0]));
	assert_non_null(strstr(err.text, "Retry-After 600 s"));
	cloud_batch_reset(items, 1);
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_run_malformed_reply_names_where_and_endpoint(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "graph/not-json.html" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct cloud_batch_item items[1];
	struct sb_error err = { 0 };

	(void)state;
	items_init(items, 1, 0);
	assert_int_equal(cloud_batch_run(c, "graph.manager", NULL, items, 1,
	    &err), SB_RETRY);
	assert_string_equal(err.where, "graph.manager");
	assert_non_null(strstr(err.text,
	    "malformed response from POST /v1.0/$batch"));
	cloud_batch_reset(items, 1);
	fake_free(&f);
	cloud_close(c);
}

/* cloud_batch_each */

struct answers {
	size_t		 n;
	size_t		 fail_at;	/* index whose answer fails, or -1 */
	char		 id[32][40];
	size_t		 index[32];
	long		 status[32];
};

static enum sb_status
record_answer(const char *id, const struct cloud_batch_item *it,
    size_t index, void *arg, struct sb_error *err)
{
	struct answers *a = arg;

	assert_true(a->n < 32);
	snprintf(a->id[a->n], sizeof(a->id[a->n]), "%s", id);
	a->index[a->n] = index;
	a->status[a->n] = it->status;
	a->n++;
	if (index == a->fail_at)
		return sb_fail(err, SB_SKIP, 0, "test", "answer %zu refused",
		    index);
	return SB_OK;
}

static void
test_batch_each_sends_twenty_a_batch_and_answers_in_order(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .auto_batch = 1 },
		{ .status = 200, .auto_batch = 1 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct answers a = { .fail_at = (size_t)-1 };
	struct cloud_batch_each e = { "graph.manager", "User.Read.All",
	    "users", "manager", record_answer, &a };
	struct sb_error err = { 0 };
	char idbuf[21][40];
	const char *list[21];
	json_t *reqs;
	size_t i;

	(void)state;
	for (i = 0; i < 21; i++) {
		snprintf(idbuf[i], sizeof(idbuf[i]),
		    "5b3c0a5e-1111-4c2e-9a1b-%012zu", i);
		list[i] = idbuf[i];
	}
	assert_int_equal(cloud_batch_each(c, &e, list, 21, &err), SB_OK);
	assert_int_equal(f.nreq, 2);
	reqs = requests_of(f.req[0].body);
	assert_int_equal(json_array_size(reqs), 20);
	assert_string_equal(req_field(reqs, 3, "url"),
	    "/users/5b3c0a5e-1111-4c2e-9a1b-000000000003/manager");
	json_decref(reqs);
	reqs = requests_of(f.req[1].body);
	assert_int_equal(json_array_size(reqs), 1);
	assert_string_equal(req_field(reqs, 0, "url"),
	    "/users/5b3c0a5e-1111-4c2e-9a1b-000000000020/manager");
	json_decref(reqs);
	assert_int_equal(a.n, 21);
	for (i = 0; i < 21; i++) {
		assert_string_equal(a.id[i], list[i]);
		assert_int_equal(a.index[i], i);
		assert_int_equal(a.status[i], 200);
	}
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_each_refuses_an_id_that_is_not_a_graph_object_id(void **state)
{
	static const char *const list[] = { "5b3c0a5e-1111-4c2e-9a1b-"
	    "000000000001", "../groups/x" };
	struct fake f;
	struct cloud_client *c = fake_client(&f, NULL, 0);
	struct answers a = { .fail_at = (size_t)-1 };
	struct cloud_batch_each e = { "graph.soa", NULL, "users",
	    "onPremisesSyncBehavior", record_answer, &a };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_batch_each(c, &e, list, 2, &err), SB_BUG);
	assert_non_null(strstr(err.text, "not a Graph object id"));
	/* nothing sent: a path in an id would reach another resource */
	assert_int_equal(f.nreq, 0);
	assert_int_equal(a.n, 0);
	fake_free(&f);
	cloud_close(c);
}

static void
test_batch_each_stops_at_the_first_answer_that_fails(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .auto_batch = 1 },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct answers a = { .fail_at = 1 };
	struct cloud_batch_each e = { "graph.soa", NULL, "groups",
	    "onPremisesSyncBehavior", record_answer, &a };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_batch_each(c, &e, ids, 4, &err), SB_SKIP);
	assert_int_equal(a.n, 2);
	assert_string_equal(err.text, "answer 1 refused");
	assert_non_null(strstr(f.req[0].body, "\"/groups/"));
	fake_free(&f);
	cloud_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_batch_request_holds_the_sent_items_by_index_with_relative_urls),
		cmocka_unit_test(
		    test_batch_request_refuses_more_than_20_sub_requests),
		cmocka_unit_test(
		    test_batch_parse_matches_responses_out_of_order_by_id),
		cmocka_unit_test(
		    test_batch_parse_reads_a_throttled_items_own_retry_after),
		cmocka_unit_test(
		    test_batch_parse_rounds_a_fractional_retry_after_up),
		cmocka_unit_test(
		    test_batch_parse_keeps_a_404_items_error_body_for_the_caller),
		cmocka_unit_test(
		    test_batch_parse_malformed_reply_names_where_and_endpoint),
		cmocka_unit_test(
		    test_batch_parse_refuses_an_answer_to_an_item_not_sent),
		cmocka_unit_test(
		    test_batch_reset_frees_bodies_and_clears_the_flags),
		cmocka_unit_test(
		    test_batch_run_posts_to_the_versions_batch_url),
		cmocka_unit_test(
		    test_batch_run_resends_only_the_throttled_items_after_retry_after),
		cmocka_unit_test(
		    test_batch_run_resends_a_504_item_like_a_throttled_one),
		cmocka_unit_test(
		    test_batch_run_counts_throttled_items_and_their_wait_in_the_budget),
		cmocka_unit_test(
		    test_batch_run_gives_up_at_once_on_a_retry_after_beyond_max_wait),
		cmocka_unit_test(
		    test_batch_run_malformed_reply_names_where_and_endpoint),
		cmocka_unit_test(
		    test_batch_each_sends_twenty_a_batch_and_answers_in_order),
		cmocka_unit_test(
		    test_batch_each_refuses_an_id_that_is_not_a_graph_object_id),
		cmocka_unit_test(
		    test_batch_each_stops_at_the_first_answer_that_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
