/* cloud/exo.c: Get-Mailbox pages into mailbox dirobjs, paging by POST, cmdlet errors. */
#include "test_cloud_fake.h"

#include "cloud/exo.h"

static enum sb_status
parse_file(const char *rel, struct dirset *out, char **next,
    struct sb_error *err)
{
	enum sb_status st;
	size_t len;
	char *body = load_data(rel, &len);

	st = cloud_exo_parse_page(body, len, out, next, err);
	free(body);
	return st;
}

static size_t
nvals(const struct dirobj *o, const char *name)
{
	const struct dirattr *a = dirobj_get(o, name);

	if (a == NULL)
		fail_msg("attribute %s absent", name);
	return a->nvals;
}

static void
test_exo_mailbox_carries_authority_flags_and_exchange_names(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	struct dirobj *ann;
	char *next = NULL;
	size_t i;

	(void)state;
	dirset_init(&s);
	assert_int_equal(parse_file("exo/mailboxes-page1.json", &s, &next,
	    &err), SB_OK);
	/* the discovery mailbox has no ExternalDirectoryObjectId: skipped */
	assert_int_equal(s.n, 2);
	ann = s.objs[0];
	assert_int_equal(ann->kind, DIROBJ_MAILBOX);
	assert_string_equal(ann->cloud_id,
	    "5b3c0a5e-1111-4c2e-9a1b-000000000001");
	assert_string_equal(ann->display_name, "Ann Archer");
	assert_int_equal(ann->exchange_cloud_managed, SB_TRI_TRUE);
	assert_int_equal(ann->sync_enabled, SB_TRI_TRUE);
	assert_int_equal(ann->cloud_managed, SB_TRI_UNSET);
	assert_int_equal(nvals(ann, "EmailAddresses"), 3);
	assert_string_equal(dirobj_get_str(ann, "EmailAddresses"),
	    "SMTP:ann@contoso.com");
	assert_string_equal(dirobj_get_str(ann, "CustomAttribute1"),
	    "cost-4711");
	assert_int_equal(nvals(ann, "CustomAttribute2"), 0);	/* "" */
	assert_int_equal(nvals(ann, "CustomAttribute3"), 0);	/* null */
	assert_int_equal(nvals(ann, "ExtensionCustomAttribute1"), 2);
	assert_int_equal(nvals(ann, "ExtensionCustomAttribute2"), 0);
	assert_string_equal(dirobj_get_str(ann,
	    "HiddenFromAddressListsEnabled"), "false");
	assert_string_equal(dirobj_get_str(ann, "MaxSendSize"), "35840");
	assert_null(dirobj_get(ann, "CustomAttribute4"));	/* absent */
	for (i = 0; i < ann->nattrs; i++)
		assert_null(strchr(ann->attrs[i].name, '@'));
	assert_int_equal(s.objs[1]->exchange_cloud_managed, SB_TRI_UNSET);
	assert_int_equal(s.objs[1]->sync_enabled, SB_TRI_FALSE);
	assert_string_equal(dirobj_get_str(s.objs[1],
	    "HiddenFromAddressListsEnabled"), "true");
	assert_string_equal(next, "https://outlook.office365.com/adminapi/beta/"
	    "contoso.onmicrosoft.com/InvokeCommand?%24skiptoken="
	    "eyJDb250aW51YXRpb25Ub2tlbiI6IjEifQ");
	free(next);
	dirset_free(&s);
}

static void
test_exo_booleans_as_text_are_read(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	char *next = (char *)"sentinel";

	(void)state;
	dirset_init(&s);
	assert_int_equal(parse_file("exo/mailboxes-page2.json", &s, &next,
	    &err), SB_OK);
	assert_null(next);
	assert_int_equal(s.objs[0]->sync_enabled, SB_TRI_TRUE);
	assert_int_equal(s.objs[0]->exchange_cloud_managed, SB_TRI_FALSE);
	dirset_free(&s);
}

static void
test_exo_malformed_page_is_an_error_naming_the_endpoint(void **state)
{
	static const char *const files[] = {
		"exo/mailboxes-value-not-array.json", "graph/not-json.html",
		"graph/users-truncated.json" };
	struct dirset s;
	struct sb_error err;
	char *next;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		dirset_init(&s);
		memset(&err, 0, sizeof(err));
		next = NULL;
		assert_int_equal(parse_file(files[i], &s, &next, &err),
		    SB_RETRY);
		assert_int_equal(s.n, 0);
		assert_string_equal(err.where, "exo.mailboxes");
		assert_non_null(strstr(err.text, "malformed response from POST "
		    "/adminapi/beta/{tenant}/InvokeCommand"));
		dirset_free(&s);
	}
}

static enum sb_status
collect_cb(struct dirobj *o, void *arg, struct sb_error *err)
{
	return dirset_add(arg, o, err);
}

static void
test_exo_pages_by_posting_the_same_body_to_the_next_link(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "exo/mailboxes-page1.json" },
		{ .status = 200, .file = "exo/mailboxes-page2.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct dirset s;
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&s);
	assert_int_equal(cloud_exo_mailboxes(c, collect_cb, &s, &err), SB_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(f.nreq, 2);
	assert_string_equal(f.req[0].method, "POST");
	assert_string_equal(f.req[0].url, "https://outlook.office365.com/"
	    "adminapi/beta/contoso.onmicrosoft.com/InvokeCommand");
	assert_non_null(strstr(f.req[1].url, "?%24skiptoken=eyJDb250"));
	assert_string_equal(f.req[0].body, f.req[1].body);
	assert_string_equal(f.req[0].body, "{\"CmdletInput\":{\"CmdletName\":"
	    "\"Get-Mailbox\",\"Parameters\":{\"ResultSize\":\"Unlimited\","
	    "\"RecipientTypeDetails\":[\"UserMailbox\",\"SharedMailbox\","
	    "\"RoomMailbox\",\"EquipmentMailbox\"]}}}");
	assert_string_equal(f.req[0].header, "X-AnchorMailbox: APP:SystemMailbox"
	    "{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com");
	/* the Exchange Online token, not Graph's */
	assert_string_equal(f.req[0].bearer, "tok-exo-1");
	assert_non_null(strstr(f.token_body, "outlook.office365.com%2F.default"));
	dirset_free(&s);
	fake_free(&f);
	cloud_close(c);
}

static void
test_exo_cmdlet_errors_are_explained(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 400, .file = "exo/error-cmdlet.json" },
		{ .status = 400, .file = "exo/error-no-role.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 2);
	struct dirset s;
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&s);
	assert_int_equal(cloud_exo_mailboxes(c, collect_cb, &s, &err), SB_BUG);
	assert_non_null(strstr(err.text, "object 'nobody' couldn't be found"));
	assert_int_equal(cloud_exo_mailboxes(c, collect_cb, &s, &err), SB_STOP);
	assert_int_equal(err.status, SB_STOP);
	assert_non_null(strstr(err.text, "The term 'Get-Mailbox' is not "
	    "recognized"));
	assert_non_null(strstr(err.text, "Exchange role"));
	dirset_free(&s);
	fake_free(&f);
	cloud_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exo_mailbox_carries_authority_flags_and_exchange_names),
		cmocka_unit_test(test_exo_booleans_as_text_are_read),
		cmocka_unit_test(test_exo_malformed_page_is_an_error_naming_the_endpoint),
		cmocka_unit_test(test_exo_pages_by_posting_the_same_body_to_the_next_link),
		cmocka_unit_test(test_exo_cmdlet_errors_are_explained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
