/* cloud/navmembers.c: group members twenty groups to a $batch, large groups paged alone. */
#include <errno.h>

#include "test_cloud_fake.h"

#include "cloud/graph.h"
#include "cloud/navmembers.h"

#define NGROUPS_MAX 64

/* What the callbacks saw, per group. */
struct seen {
	size_t members[NGROUPS_MAX];
	char first[NGROUPS_MAX][40]; /* first member's id */
	int ends[NGROUPS_MAX];
	enum sb_status st[NGROUPS_MAX];
	int code[NGROUPS_MAX];
	char why[NGROUPS_MAX][512];
};

static enum sb_status
on_member(size_t i, struct dirobj *m, void *arg, struct sb_error *err)
{
	struct seen *s = arg;

	(void)err;
	assert_true(i < NGROUPS_MAX);
	assert_int_equal(s->ends[i], 0); /* members come before the end */
	if (s->members[i]++ == 0)
		snprintf(s->first[i], sizeof(s->first[i]), "%s", m->cloud_id);
	dirobj_free(m);
	return SB_OK;
}

static enum sb_status
on_end(size_t i, enum sb_status st, const struct sb_error *why, void *arg,
    struct sb_error *err)
{
	struct seen *s = arg;

	(void)err;
	assert_true(i < NGROUPS_MAX);
	s->ends[i]++;
	s->st[i] = st;
	assert_true((st == SB_SKIP) == (why != NULL));
	if (why != NULL) {
		s->code[i] = why->code;
		snprintf(s->why[i], sizeof(s->why[i]), "%s", why->text);
	}
	return SB_OK;
}

static char idbuf[NGROUPS_MAX][64];
static const char *gids[NGROUPS_MAX];

static void
make_ids(size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(idbuf[i], sizeof(idbuf[i]),
		    "7a000000-0000-4000-8000-%012zu", i);
		gids[i] = idbuf[i];
	}
}

/* A members page of group g: n users from the first-th on, and a nextLink. */
static json_t *
members_page(size_t g, size_t first, size_t n, const char *next)
{
	json_t *page, *arr = json_array();
	char id[64];
	size_t k;

	for (k = first; k < first + n; k++) {
		snprintf(id, sizeof(id), "7b000000-0000-4000-8000-%04zu%08zu",
		    g, k);
		json_array_append_new(arr,
		    json_pack("{s:s, s:s, s:s}", "@odata.type",
			"#microsoft.graph.user", "id", id, "displayName",
			"Member"));
	}
	page = json_pack("{s:s, s:o}", "@odata.context",
	    "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
	    "value", arr);
	if (next != NULL)
		json_object_set_new(page, "@odata.nextLink", json_string(next));
	return page;
}

/* One item of a $batch reply; body is stolen. */
static json_t *
item(size_t id, long status, const char *retry_after, json_t *body)
{
	char ids[24];
	json_t *it;

	snprintf(ids, sizeof(ids), "%zu", id);
	it = json_pack("{s:s, s:i, s:{s:s}}", "id", ids, "status", (int)status,
	    "headers", "Content-Type", "application/json");
	if (retry_after != NULL)
		json_object_set_new(json_object_get(it, "headers"),
		    "Retry-After", json_string(retry_after));
	if (body != NULL)
		json_object_set_new(it, "body", body);
	return it;
}

/* {"responses":[items...]} as text (the caller frees); items stolen. */
static char *
batch_text(json_t *items)
{
	json_t *b = json_pack("{s:o}", "responses", items);
	char *text = json_dumps(b, JSON_COMPACT);

	json_decref(b);
	return text;
}

static json_t *
graph_error(const char *code, const char *msg)
{
	return json_pack("{s:{s:s, s:s}}", "error", "code", code, "message",
	    msg);
}

static size_t
batch_size(const struct fake_request *q)
{
	json_t *b = json_loads(q->body, 0, NULL);
	size_t n;

	assert_non_null(b);
	n = json_array_size(json_object_get(b, "requests"));
	json_decref(b);
	return n;
}

static void
test_members_45_groups_go_in_3_batches(void **state)
{
	struct fake_reply replies[3] = { { .status = 200 }, { .status = 200 },
		{ .status = 200 } };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	char *texts[3], want[160];
	size_t b, i, n;
	json_t *arr;

	(void)state;
	make_ids(45);
	for (b = 0; b < 3; b++) {
		arr = json_array();
		n = b < 2 ? 20 : 5;
		/* in reverse: Graph answers in any order */
		for (i = n; i-- > 0;)
			json_array_append_new(arr,
			    item(i, 200, NULL,
				members_page(b * 20 + i, 0,
				    1 + (b * 20 + i) % 3, NULL)));
		texts[b] = batch_text(arr);
		replies[b].body = texts[b];
	}
	c = fake_client(&f, replies, 3);
	assert_int_equal(cloud_nav_members(c, gids, 45, &r, &err), SB_OK);
	assert_int_equal(f.nreq, 3);
	assert_int_equal(batch_size(&f.req[0]), 20);
	assert_int_equal(batch_size(&f.req[1]), 20);
	assert_int_equal(batch_size(&f.req[2]), 5);
	for (b = 0; b < 3; b++) {
		assert_string_equal(f.req[b].method, "POST");
		assert_string_equal(f.req[b].url,
		    "https://graph.microsoft.com/v1.0/$batch");
	}
	snprintf(want, sizeof(want),
	    "\"url\":\"/groups/%s/members?$select="
	    "id,displayName&$top=999\"",
	    gids[44]);
	assert_non_null(strstr(f.req[2].body, want));
	for (i = 0; i < 45; i++) {
		assert_int_equal(s->ends[i], 1);
		assert_int_equal(s->st[i], SB_OK);
		assert_int_equal(s->members[i], 1 + i % 3);
		/* each group got its own page, not its neighbour's */
		snprintf(want, sizeof(want),
		    "7b000000-0000-4000-8000-%04zu"
		    "%08d",
		    i, 0);
		assert_string_equal(s->first[i], want);
	}
	for (b = 0; b < 3; b++)
		free(texts[b]);
	fake_free(&f);
	cloud_close(c);
	free(s);
}

static void
test_members_a_group_with_a_next_link_is_paged_alone(void **state)
{
	struct fake_reply replies[3] = { { .status = 200 }, { .status = 200 },
		{ .status = 200 } };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	char next[200], next2[256], *batch, *p2, *p3;
	json_t *arr, *j;

	(void)state;
	make_ids(3);
	snprintf(next, sizeof(next),
	    "https://graph.microsoft.com/v1.0/groups/"
	    "%s/members?$select=id,displayName&$top=999&$skiptoken=A1",
	    gids[1]);
	snprintf(next2, sizeof(next2), "%s2", next);
	arr = json_array();
	json_array_append_new(arr,
	    item(0, 200, NULL, members_page(0, 0, 2, NULL)));
	json_array_append_new(arr,
	    item(1, 200, NULL, members_page(1, 0, 999, next)));
	json_array_append_new(arr,
	    item(2, 200, NULL, members_page(2, 0, 1, NULL)));
	batch = batch_text(arr);
	j = members_page(1, 999, 999, next2);
	p2 = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	j = members_page(1, 1998, 5, NULL);
	p3 = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	replies[0].body = batch;
	replies[1].body = p2;
	replies[2].body = p3;
	c = fake_client(&f, replies, 3);
	assert_int_equal(cloud_nav_members(c, gids, 3, &r, &err), SB_OK);
	/* one $batch, then the two further pages of group 1 only, as given */
	assert_int_equal(f.nreq, 3);
	assert_string_equal(f.req[1].method, "GET");
	assert_string_equal(f.req[1].url, next);
	assert_string_equal(f.req[2].url, next2);
	assert_int_equal(s->members[0], 2);
	assert_int_equal(s->members[1], 999 + 999 + 5);
	assert_int_equal(s->members[2], 1);
	assert_int_equal(s->st[1], SB_OK);
	assert_int_equal(s->ends[1], 1);
	fake_free(&f);
	cloud_close(c);
	free(batch);
	free(p2);
	free(p3);
	free(s);
}

static void
test_members_a_next_link_to_another_host_gets_no_token(void **state)
{
	struct fake_reply replies[1] = { { .status = 200 } };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	char *batch;

	(void)state;
	make_ids(1);
	batch = batch_text(json_pack("[o]",
	    item(0, 200, NULL,
		members_page(0, 0, 3,
		    "https://evil.example.test/v1.0/groups/x/"
		    "members?$skiptoken=A"))));
	replies[0].body = batch;
	c = fake_client(&f, replies, 1);
	assert_int_equal(cloud_nav_members(c, gids, 1, &r, &err), SB_STOP);
	assert_non_null(strstr(err.text, "another host"));
	assert_int_equal(f.nreq, 1);
	assert_int_equal(s->ends[0], 0);
	fake_free(&f);
	cloud_close(c);
	free(batch);
	free(s);
}

static void
test_members_a_404_item_is_that_group_gone(void **state)
{
	struct fake_reply replies[1] = { { .status = 200 } };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	char *batch, want[160];

	(void)state;
	make_ids(3);
	batch = batch_text(json_pack("[o, o, o]",
	    item(0, 200, NULL, members_page(0, 0, 2, NULL)),
	    item(1, 404, NULL,
		graph_error("Request_ResourceNotFound",
		    "Resource '7a000000-0000-4000-8000-000000000001' does not exist "
		    "or one of its queried reference-property objects are not "
		    "present.")),
	    item(2, 200, NULL, members_page(2, 0, 4, NULL))));
	replies[0].body = batch;
	c = fake_client(&f, replies, 1);
	assert_int_equal(cloud_nav_members(c, gids, 3, &r, &err), SB_OK);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(s->st[1], SB_SKIP);
	assert_int_equal(s->code[1], 404);
	assert_int_equal(s->members[1], 0);
	/* worded as a members request that failed on its own */
	snprintf(want, sizeof(want),
	    "GET /v1.0/groups/%s/members object %s: "
	    "HTTP 404 Request_ResourceNotFound",
	    gids[1], gids[1]);
	if (strstr(s->why[1], want) == NULL)
		fail_msg("\"%s\" lacks \"%s\"", s->why[1], want);
	assert_int_equal(s->st[0], SB_OK);
	assert_int_equal(s->members[0], 2);
	assert_int_equal(s->st[2], SB_OK);
	assert_int_equal(s->members[2], 4);
	fake_free(&f);
	cloud_close(c);
	free(batch);
	free(s);
}

static void
test_members_a_429_item_is_sent_again_after_its_retry_after(void **state)
{
	struct fake_reply replies[2] = { { .status = 200 }, { .status = 200 } };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	char *first, *again, want[128];

	(void)state;
	make_ids(3);
	first = batch_text(json_pack("[o, o, o]",
	    item(0, 200, NULL, members_page(0, 0, 2, NULL)),
	    item(1, 429, "7",
		graph_error("TooManyRequests",
		    "Too many "
		    "requests.")),
	    item(2, 200, NULL, members_page(2, 0, 1, NULL))));
	again = batch_text(json_pack("[o]",
	    item(1, 200, NULL, members_page(1, 0, 3, NULL))));
	replies[0].body = first;
	replies[1].body = again;
	c = fake_client(&f, replies, 2);
	assert_int_equal(cloud_nav_members(c, gids, 3, &r, &err), SB_OK);
	assert_int_equal(f.nreq, 2);
	/* only the throttled item again, after the 7 s it asked for */
	assert_int_equal(batch_size(&f.req[1]), 1);
	snprintf(want, sizeof(want), "/groups/%s/members", gids[1]);
	assert_non_null(strstr(f.req[1].body, want));
	assert_true(f.nsleeps >= 1);
	assert_true(f.sleeps[f.nsleeps - 1] >= 7000);
	assert_int_equal(s->members[0], 2);
	assert_int_equal(s->members[1], 3);
	assert_int_equal(s->members[2], 1);
	assert_int_equal(s->st[1], SB_OK);
	assert_int_equal(s->ends[1], 1);
	fake_free(&f);
	cloud_close(c);
	free(first);
	free(again);
	free(s);
}

static void
test_members_a_malformed_entry_skips_that_group_only(void **state)
{
	struct fake_reply replies[1] = { { .status = 200 } };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	json_t *bad;
	char *batch;

	(void)state;
	make_ids(2);
	bad = members_page(0, 0, 3, NULL);
	json_object_del(json_array_get(json_object_get(bad, "value"), 1), "id");
	batch = batch_text(json_pack("[o, o]", item(0, 200, NULL, bad),
	    item(1, 200, NULL, members_page(1, 0, 2, NULL))));
	replies[0].body = batch;
	c = fake_client(&f, replies, 1);
	assert_int_equal(cloud_nav_members(c, gids, 2, &r, &err), SB_OK);
	assert_int_equal(s->st[0], SB_SKIP);
	assert_int_equal(s->code[0], 0);
	/* the page is judged whole: no member of it handed over */
	assert_int_equal(s->members[0], 0);
	assert_non_null(strstr(s->why[0], "malformed member entry"));
	assert_non_null(strstr(s->why[0], "member 1 of the page has no"));
	assert_non_null(strstr(s->why[0], gids[0]));
	assert_int_equal(s->st[1], SB_OK);
	assert_int_equal(s->members[1], 2);
	fake_free(&f);
	cloud_close(c);
	free(batch);
	free(s);
}

static void
test_members_a_403_item_fails_the_reads_naming_the_permission(void **state)
{
	struct fake_reply replies[1] = { { .status = 200 } };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	char *batch;

	(void)state;
	make_ids(1);
	batch = batch_text(json_pack("[o]",
	    item(0, 403, NULL,
		graph_error("Authorization_RequestDenied",
		    "Insufficient "
		    "privileges to complete the operation."))));
	replies[0].body = batch;
	c = fake_client(&f, replies, 1);
	assert_int_equal(cloud_nav_members(c, gids, 1, &r, &err), SB_STOP);
	assert_non_null(strstr(err.text, "GroupMember.Read.All"));
	assert_int_equal(s->ends[0], 0);
	fake_free(&f);
	cloud_close(c);
	free(batch);
	free(s);
}

static void
test_members_an_id_that_is_not_one_is_skipped_unsent(void **state)
{
	struct fake_reply replies[1] = { { .status = 200 } };
	static const char *const ids[] = { "../users",
		"7a000000-0000-4000-8000-000000000001" };
	struct seen *s = calloc(1, sizeof(*s));
	struct cloud_members_read r = { on_member, on_end, s };
	struct sb_error err = { 0 };
	struct cloud_client *c;
	struct fake f;
	char *batch;

	(void)state;
	/* the one sent is the batch's item 0 */
	batch = batch_text(json_pack("[o]",
	    item(0, 200, NULL, members_page(1, 0, 1, NULL))));
	replies[0].body = batch;
	c = fake_client(&f, replies, 1);
	assert_int_equal(cloud_nav_members(c, ids, 2, &r, &err), SB_OK);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(batch_size(&f.req[0]), 1);
	assert_null(strstr(f.req[0].body, "../users"));
	assert_int_equal(s->st[0], SB_SKIP);
	assert_int_equal(s->code[0], EINVAL);
	assert_non_null(strstr(s->why[0], "not a Graph object id"));
	assert_int_equal(s->st[1], SB_OK);
	assert_int_equal(s->members[1], 1);
	fake_free(&f);
	cloud_close(c);
	free(batch);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members_45_groups_go_in_3_batches),
		cmocka_unit_test(
		    test_members_a_group_with_a_next_link_is_paged_alone),
		cmocka_unit_test(
		    test_members_a_next_link_to_another_host_gets_no_token),
		cmocka_unit_test(test_members_a_404_item_is_that_group_gone),
		cmocka_unit_test(
		    test_members_a_429_item_is_sent_again_after_its_retry_after),
		cmocka_unit_test(
		    test_members_a_malformed_entry_skips_that_group_only),
		cmocka_unit_test(
		    test_members_a_403_item_fails_the_reads_naming_the_permission),
		cmocka_unit_test(
		    test_members_an_id_that_is_not_one_is_skipped_unsent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
