/* cloud/pager.c: pages requested, parsed whole, nextLinks followed as given. */
#include "test_cloud_fake.h"

#include "cloud/json.h"
#include "cloud/pager.h"

#define PAGE1	"https://graph.microsoft.com/v1.0/users?$select=id&$top=999"
#define PAGE2	"https://graph.microsoft.com/v1.0/users?$select=id&$top=999" \
		"&$skiptoken=RFNwdAIAAQAAAB9BbGV4V0Bjb250b3NvLm9ubWljcm9zb2Z0"
#define PAGE3	"https://graph.microsoft.com/v1.0/users?$select=id&$top=999" \
		"&$skiptoken=X%2BY%2FZ%3D"

/* Each object of a page as a dirobj holding only its id. */
static enum sb_status
id_item(const struct cloud_errctx *x, json_t *item, size_t index, void *arg,
    struct dirobj **out, struct sb_error *err)
{
	struct dirobj *o;
	enum sb_status st;

	(void)arg;
	if (!json_is_string(json_object_get(item, "id")))
		return cloud_errmap_malformed(x, err, "object %zu has no id",
		    index);
	o = dirobj_new(DIROBJ_USER);
	assert_non_null(o);
	st = cloud_json_str(x, item, "id", &o->cloud_id, err);
	if (st != SB_OK) {
		dirobj_free(o);
		return st;
	}
	*out = o;
	return SB_OK;
}

static enum sb_status
parse_ids(const char *body, size_t len, void *arg, struct dirset *out,
    char **next_link, struct sb_error *err)
{
	const struct cloud_errctx x = { "graph.users", "GET", "/v1.0/users",
	    NULL, NULL };

	(void)arg;
	return cloud_json_listing(&x, body, len, id_item, NULL, out,
	    next_link, err);
}

static const struct cloud_pager users_pager = {
	.aud = CLOUD_AUD_GRAPH,
	.method = "GET",
	.url = PAGE1,
	.origin = "https://graph.microsoft.com",
	.where = "graph.users",
	.endpoint = "/v1.0/users",
	.permission = "User.Read.All",
	.parse = parse_ids,
};

struct collect {
	struct dirset	 set;
	size_t		 fail_at;	/* 1-based object that fails; 0 never */
	size_t		 calls;
};

static enum sb_status
collect_cb(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct collect *c = arg;

	c->calls++;
	if (c->fail_at != 0 && c->calls == c->fail_at) {
		dirobj_free(o);
		return sb_fail(err, SB_REFUSED, 0, "test", "callback says no");
	}
	return dirset_add(&c->set, o, err);
}

static enum sb_status
run(const struct cloud_pager *p, const struct fake_reply *replies, size_t n,
    struct fake *f, struct collect *col, struct sb_error *err)
{
	struct cloud_client *c = fake_client(f, replies, n);
	enum sb_status st;

	dirset_init(&col->set);
	memset(err, 0, sizeof(*err));
	st = cloud_pager_run(c, p, collect_cb, col, err);
	cloud_close(c);
	return st;
}

static void
test_pager_follows_next_link_verbatim_until_the_last_page(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"@odata.context\":\"x\",\"value\":"
		  "[{\"id\":\"a\"},{\"id\":\"b\"}],\"@odata.nextLink\":\""
		  PAGE2 "\"}" },
		{ .status = 200, .body = "{\"value\":[],\"@odata.nextLink\":\""
		  PAGE3 "\"}" },
		{ .status = 200, .body = "{\"value\":[{\"id\":\"c\"}]}" },
	};
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	assert_int_equal(run(&users_pager, replies, 3, &f, &col, &err), SB_OK);
	/* the fake fails any request past the last page */
	assert_int_equal(f.nreq, 3);
	assert_string_equal(f.req[0].url, PAGE1);
	/* as given: neither rebuilt nor re-encoded */
	assert_string_equal(f.req[1].url, PAGE2);
	assert_string_equal(f.req[2].url, PAGE3);
	assert_string_equal(f.req[2].method, "GET");
	assert_int_equal(col.set.n, 3);
	assert_string_equal(col.set.objs[0]->cloud_id, "a");
	assert_string_equal(col.set.objs[1]->cloud_id, "b");
	assert_string_equal(col.set.objs[2]->cloud_id, "c");
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_ends_at_a_page_with_a_delta_link_and_no_next_link(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"}],"
		  "\"@odata.deltaLink\":\"https://graph.microsoft.com/v1.0/"
		  "users/delta?$deltatoken=abc\"}" },
	};
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	assert_int_equal(run(&users_pager, replies, 1, &f, &col, &err), SB_OK);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(col.set.n, 1);
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_refuses_a_next_link_to_another_host(void **state)
{
	/* each would carry our token somewhere else */
	static const char *const links[] = {
		"https://evil.example/v1.0/users?$skiptoken=x",
		"https://graph.microsoft.com.evil.example/v1.0/users",
		"http://graph.microsoft.com/v1.0/users?$skiptoken=x",
		"https://graph.microsoft.com:8443/v1.0/users?$skiptoken=x",
		"not a url",
	};
	struct fake_reply reply = { .status = 200 };
	struct fake f;
	struct collect col;
	struct sb_error err;
	char body[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(body, sizeof(body), "{\"value\":[{\"id\":\"a\"}],"
		    "\"@odata.nextLink\":\"%s\"}", links[i]);
		reply.body = body;
		memset(&col, 0, sizeof(col));
		if (run(&users_pager, &reply, 1, &f, &col, &err) != SB_STOP)
			fail_msg("nextLink %s followed", links[i]);
		assert_non_null(strstr(err.text, "another host"));
		assert_non_null(strstr(err.text, "GET /v1.0/users"));
		assert_int_equal(f.nreq, 1);
		/* the page read before is the callback's already */
		assert_int_equal(col.set.n, 1);
		dirset_free(&col.set);
		fake_free(&f);
	}
}

static void
test_pager_accepts_a_next_link_on_the_origin_in_other_case(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[],\"@odata.nextLink\":"
		  "\"https://Graph.Microsoft.com:443/v1.0/users?"
		  "$skiptoken=x\"}" },
		{ .status = 200, .body = "{\"value\":[]}" },
	};
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	assert_int_equal(run(&users_pager, replies, 2, &f, &col, &err), SB_OK);
	assert_int_equal(f.nreq, 2);
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_refuses_a_next_link_that_repeats_the_page(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"}],"
		  "\"@odata.nextLink\":\"" PAGE1 "\"}" },
	};
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	/* else the same page would be read until the page cap */
	assert_int_equal(run(&users_pager, replies, 1, &f, &col, &err),
	    SB_RETRY);
	assert_int_equal(f.nreq, 1);
	assert_non_null(strstr(err.text, "malformed response from GET "
	    "/v1.0/users"));
	assert_non_null(strstr(err.text, "repeats the page"));
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_a_page_without_value_is_malformed_naming_the_endpoint(
    void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"}],"
		  "\"@odata.nextLink\":\"" PAGE2 "\"}" },
		{ .status = 200, .file = "graph/users-no-value.json" },
	};
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	assert_int_equal(run(&users_pager, replies, 2, &f, &col, &err),
	    SB_RETRY);
	assert_string_equal(err.where, "graph.users");
	assert_non_null(strstr(err.text, "malformed response from GET "
	    "/v1.0/users"));
	assert_non_null(strstr(err.text, "no \"value\""));
	/* the nextLink of the bad page is not followed */
	assert_int_equal(f.nreq, 2);
	assert_int_equal(col.set.n, 1);
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_http_error_on_a_later_page_ends_the_listing(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"}],"
		  "\"@odata.nextLink\":\"" PAGE2 "\"}" },
		{ .status = 403, .file = "graph/error-403.json" },
	};
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	assert_int_equal(run(&users_pager, replies, 2, &f, &col, &err),
	    SB_STOP);
	assert_int_equal(err.code, 403);
	assert_non_null(strstr(err.text, "User.Read.All"));
	assert_int_equal(col.set.n, 1);
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_more_objects_than_max_objects_stops_before_handing_over(
    void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"},"
		  "{\"id\":\"b\"}],\"@odata.nextLink\":\"" PAGE2 "\"}" },
		{ .status = 200, .body = "{\"value\":[{\"id\":\"c\"},"
		  "{\"id\":\"d\"}]}" },
	};
	struct cloud_pager p = users_pager;
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	p.max_objects = 3;
	p.object_id = "7c1d0000-2222-4b3c-8d4e-000000000010";
	assert_int_equal(run(&p, replies, 2, &f, &col, &err), SB_STOP);
	assert_non_null(strstr(err.text, "GET /v1.0/users object "
	    "7c1d0000-2222-4b3c-8d4e-000000000010: more than 3 objects"));
	/* the page over the cap is not handed over (ASan: and is freed) */
	assert_int_equal(col.set.n, 2);
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_callback_failure_ends_the_listing_with_its_error(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"},"
		  "{\"id\":\"b\"},{\"id\":\"c\"}],\"@odata.nextLink\":\""
		  PAGE2 "\"}" },
	};
	struct fake f;
	struct collect col = { .fail_at = 2 };
	struct sb_error err;

	(void)state;
	assert_int_equal(run(&users_pager, replies, 1, &f, &col, &err),
	    SB_REFUSED);
	assert_string_equal(err.text, "callback says no");
	/* the rest of the page is freed, not handed over; no next page */
	assert_int_equal(col.calls, 2);
	assert_int_equal(col.set.n, 1);
	assert_int_equal(f.nreq, 1);
	dirset_free(&col.set);
	fake_free(&f);
}

static void
test_pager_posts_the_same_body_and_headers_to_every_page(void **state)
{
	static const char *const hdrs[] = { "Prefer: odata.maxpagesize=1000",
		NULL };
	static const char cmd[] = "{\"CmdletInput\":{\"CmdletName\":"
	    "\"Get-Mailbox\"}}";
	static const struct fake_reply replies[] = {
		{ .status = 200, .body = "{\"value\":[{\"id\":\"a\"}],"
		  "\"@odata.nextLink\":\"https://outlook.office365.com/"
		  "adminapi/beta/t/InvokeCommand?$skiptoken=2\"}" },
		{ .status = 200, .body = "{\"value\":[{\"id\":\"b\"}]}" },
	};
	struct cloud_pager p = users_pager;
	struct fake f;
	struct collect col = { .fail_at = 0 };
	struct sb_error err;

	(void)state;
	p.aud = CLOUD_AUD_EXO;
	p.method = "POST";
	p.url = "https://outlook.office365.com/adminapi/beta/t/InvokeCommand";
	p.origin = "https://outlook.office365.com/";
	p.content_type = "application/json";
	p.body = cmd;
	p.headers = hdrs;
	assert_int_equal(run(&p, replies, 2, &f, &col, &err), SB_OK);
	assert_int_equal(f.nreq, 2);
	assert_string_equal(f.req[1].method, "POST");
	assert_string_equal(f.req[1].url, "https://outlook.office365.com/"
	    "adminapi/beta/t/InvokeCommand?$skiptoken=2");
	assert_string_equal(f.req[0].body, cmd);
	assert_string_equal(f.req[1].body, cmd);
	assert_string_equal(f.req[1].header, "Prefer: odata.maxpagesize=1000");
	assert_string_equal(f.req[1].bearer, "tok-exo-1");
	assert_int_equal(col.set.n, 2);
	dirset_free(&col.set);
	fake_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pager_follows_next_link_verbatim_until_the_last_page),
		cmocka_unit_test(test_pager_ends_at_a_page_with_a_delta_link_and_no_next_link),
		cmocka_unit_test(test_pager_refuses_a_next_link_to_another_host),
		cmocka_unit_test(test_pager_accepts_a_next_link_on_the_origin_in_other_case),
		cmocka_unit_test(test_pager_refuses_a_next_link_that_repeats_the_page),
		cmocka_unit_test(test_pager_a_page_without_value_is_malformed_naming_the_endpoint),
		cmocka_unit_test(test_pager_http_error_on_a_later_page_ends_the_listing),
		cmocka_unit_test(test_pager_more_objects_than_max_objects_stops_before_handing_over),
		cmocka_unit_test(test_pager_callback_failure_ends_the_listing_with_its_error),
		cmocka_unit_test(test_pager_posts_the_same_body_and_headers_to_every_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
