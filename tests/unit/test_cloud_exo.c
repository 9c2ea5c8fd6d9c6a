/* cloud/exo.c: Get-Mailbox pages into mailbox dirobjs, paging by POST, cmdlet errors. */
#include "test_cloud_fake.h"

#include "cloud/exo.h"
#include "mapping/attrmap.h"

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
	assert_string_equal(f.req[0].url,
	    "https://outlook.office365.com/"
	    "adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?$select="
	    "ExternalDirectoryObjectId,Identity,DisplayName,"
	    "RecipientTypeDetails,IsDirSynced,IsExchangeCloudManaged,"
	    "WhenChangedUTC,"
	    "EmailAddresses,WindowsEmailAddress,PrimarySmtpAddress,Alias,"
	    "CustomAttribute1,CustomAttribute2,CustomAttribute3,"
	    "CustomAttribute4,CustomAttribute5,CustomAttribute6,"
	    "CustomAttribute7,CustomAttribute8,CustomAttribute9,"
	    "CustomAttribute10,CustomAttribute11,CustomAttribute12,"
	    "CustomAttribute13,CustomAttribute14,CustomAttribute15,"
	    "ExtensionCustomAttribute1,ExtensionCustomAttribute2,"
	    "ExtensionCustomAttribute3,ExtensionCustomAttribute4,"
	    "ExtensionCustomAttribute5,HiddenFromAddressListsEnabled");
	/* the nextLink verbatim, the same headers on every page */
	assert_string_equal(f.req[1].url, "https://outlook.office365.com/"
	    "adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?%24skiptoken="
	    "eyJDb250aW51YXRpb25Ub2tlbiI6IjEifQ");
	assert_string_equal(f.req[0].header, f.req[1].header);
	assert_string_equal(f.req[0].body, f.req[1].body);
	assert_string_equal(f.req[0].body, "{\"CmdletInput\":{\"CmdletName\":"
	    "\"Get-Mailbox\",\"Parameters\":{\"ResultSize\":\"Unlimited\","
	    "\"RecipientTypeDetails\":[\"UserMailbox\",\"SharedMailbox\","
	    "\"RoomMailbox\",\"EquipmentMailbox\"]}}}");
	assert_string_equal(f.req[0].header, "X-AnchorMailbox: APP:SystemMailbox"
	    "{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com\n"
	    "Prefer: odata.maxpagesize=1000");
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

static void
test_exo_select_holds_every_mapped_property_once(void **state)
{
	static const char *const props[] = { "EmailAddresses", "Alias",
		"emailaddresses", "ExternalDirectoryObjectId", NULL };
	static const char *const bad[] = { "Alias&$expand=x", NULL };
	const char *const *mapped = map_mailbox_properties();
	struct sb_error err = { 0 };
	char *url = NULL, want[128];
	size_t i;

	(void)state;
	assert_int_equal(cloud_exo_url("https://outlook.office365.us",
	    "contoso.us", props, &url, &err), SB_OK);
	assert_string_equal(url,
	    "https://outlook.office365.us/adminapi/beta/"
	    "contoso.us/InvokeCommand?$select=ExternalDirectoryObjectId,"
	    "Identity,DisplayName,RecipientTypeDetails,IsDirSynced,"
	    "IsExchangeCloudManaged,WhenChangedUTC,EmailAddresses,Alias");
	free(url);
	assert_int_equal(cloud_exo_url("https://x.test", "t", mapped, &url,
	    &err), SB_OK);
	for (i = 0; mapped[i] != NULL; i++) {
		snprintf(want, sizeof(want), "%s,", mapped[i]);
		assert_true(strstr(url, want) != NULL ||
		    (strlen(url) > strlen(mapped[i]) && strcmp(url +
		    strlen(url) - strlen(mapped[i]), mapped[i]) == 0));
	}
	free(url);
	url = NULL;
	assert_int_equal(cloud_exo_url("https://x.test", "t", bad, &url, &err),
	    SB_BUG);
	assert_null(url);
}

static void
test_exo_full_get_mailbox_keeps_every_address_and_empty_attribute(void **state)
{
	struct dirset s;
	struct sb_error err = { 0 };
	const struct dirattr *a;
	struct dirobj *gus;
	char *next = (char *)"sentinel";
	size_t i;

	(void)state;
	dirset_init(&s);
	assert_int_equal(parse_file("exo/get-mailbox-full.json", &s, &next,
	    &err), SB_OK);
	assert_null(next);
	assert_int_equal(s.n, 1);
	gus = s.objs[0];
	/* 253 properties, no annotation among them */
	assert_int_equal(gus->nattrs, 253);
	for (i = 0; i < gus->nattrs; i++)
		assert_null(strchr(gus->attrs[i].name, '@'));
	assert_string_equal(gus->cloud_id,
	    "5b3c0a5e-1111-4c2e-9a1b-000000000007");
	assert_int_equal(gus->exchange_cloud_managed, SB_TRI_TRUE);
	/* cloud/ hands over every address; which ones reach AD is mapping's */
	a = dirobj_get(gus, "EmailAddresses");
	assert_non_null(a);
	assert_int_equal(a->nvals, 7);
	assert_memory_equal(a->vals[0].p, "SPO:", 4);
	assert_memory_equal(a->vals[1].p, "SIP:", 4);
	assert_memory_equal(a->vals[5].p, "X500:", 5);
	assert_memory_equal(a->vals[6].p, "x500:", 5);
	assert_int_equal(nvals(gus, "CustomAttribute2"), 0);	/* "" */
	assert_string_equal(dirobj_get_str(gus, "CustomAttribute1"),
	    "cost-4711");
	assert_int_equal(nvals(gus, "ExtensionCustomAttribute1"), 0); /* [] */
	assert_int_equal(nvals(gus, "ExtensionCustomAttribute2"), 2);
	dirset_free(&s);
}

static void
test_exo_401_not_allowed_stops_at_once_naming_the_role(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 401, .file = "exo/error-not-allowed.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct cloud_stats stats;
	struct dirset s;
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&s);
	assert_int_equal(cloud_exo_mailboxes(c, collect_cb, &s, &err), SB_STOP);
	assert_int_equal(f.nreq, 1);
	assert_int_equal(f.ntokens, 1);
	cloud_client_stats(c, &stats);
	assert_int_equal(stats.token_refreshes_401, 0);
	assert_string_equal(err.where, "exo.mailboxes");
	assert_non_null(strstr(err.text, "POST /adminapi/beta/contoso."
	    "onmicrosoft.com/InvokeCommand: HTTP 401 Unauthorized: User is not "
	    "allowed to call Get-Mailbox"));
	assert_non_null(strstr(err.text, "Exchange role for Get-Mailbox"));
	assert_non_null(strstr(err.text, "View-Only Recipients"));
	dirset_free(&s);
	fake_free(&f);
	cloud_close(c);
}

static void
test_exo_404_details_and_plain_text_throttling(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 404, .file = "exo/error-not-found.json" },
		{ .status = 500, .file = "exo/error-throttled.txt",
		    .content_type = "text/plain" },
		{ .status = 200, .file = "exo/mailboxes-page2.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct dirset s;
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&s);
	assert_int_equal(cloud_exo_mailboxes(c, collect_cb, &s, &err), SB_SKIP);
	assert_non_null(strstr(err.text, "HTTP 404 NotFound: The operation "
	    "couldn't be performed because object 'gus.grey@contoso.com' "
	    "couldn't be found on 'AM0PR01A001DC01.EURPR01A001.prod.outlook."
	    "com'."));
	/* plain-text throttling: waited out and sent again */
	assert_int_equal(cloud_exo_mailboxes(c, collect_cb, &s, &err), SB_OK);
	assert_int_equal(f.nreq, 3);
	assert_int_equal(f.nsleeps, 1);
	assert_int_equal(s.n, 1);
	dirset_free(&s);
	fake_free(&f);
	cloud_close(c);
}

/* The body a read sent: Get-Mailbox's, then what follows the type list. */
static void
assert_get_mailbox_body(const char *body, const char *rest)
{
	static const char head[] =
	    "{\"CmdletInput\":{\"CmdletName\":"
	    "\"Get-Mailbox\",\"Parameters\":{\"ResultSize\":\"Unlimited\","
	    "\"RecipientTypeDetails\":[\"UserMailbox\",\"SharedMailbox\","
	    "\"RoomMailbox\",\"EquipmentMailbox\"]";

	assert_memory_equal(body, head, sizeof(head) - 1);
	assert_string_equal(body + sizeof(head) - 1, rest);
}

static void
test_exo_changed_asks_for_mailboxes_changed_since_in_utc(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "exo/mailboxes-page1.json" },
		{ .status = 200, .file = "exo/mailboxes-page2.json" },
		{ .status = 200, .file = "exo/mailboxes-page2.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct dirset s, all;
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&s);
	dirset_init(&all);
	/* UTC whatever the agent's zone (a POSIX TZ: five hours west) */
	setenv("TZ", "XST5", 1);
	tzset();
	/* 1796465472: 2026-12-05T10:11:12Z */
	assert_int_equal(cloud_exo_mailboxes_changed(c, 1796465472, collect_cb,
			     &s, &err),
	    SB_OK);
	unsetenv("TZ");
	tzset();
	assert_int_equal(s.n, 3);
	assert_int_equal(f.nreq, 2);
	assert_get_mailbox_body(f.req[0].body,
	    ",\"Filter\":\"WhenChangedUTC -ge '2026-12-05T10:11:12Z'\"}}}");
	/* the nextLink's token is bound to the body: the same on every page */
	assert_string_equal(f.req[0].body, f.req[1].body);
	assert_string_equal(f.req[1].url,
	    "https://outlook.office365.com/"
	    "adminapi/beta/contoso.onmicrosoft.com/InvokeCommand?%24skiptoken="
	    "eyJDb250aW51YXRpb25Ub2tlbiI6IjEifQ");
	/* the URL ($select), headers and objects of the full read */
	assert_int_equal(cloud_exo_mailboxes(c, collect_cb, &all, &err), SB_OK);
	assert_int_equal(f.nreq, 3);
	assert_get_mailbox_body(f.req[2].body, "}}}");
	assert_string_equal(f.req[0].url, f.req[2].url);
	assert_string_equal(f.req[0].header, f.req[2].header);
	assert_string_equal(s.objs[2]->cloud_id, all.objs[0]->cloud_id);
	assert_int_equal(s.objs[2]->nattrs, all.objs[0]->nattrs);
	dirset_free(&s);
	dirset_free(&all);
	fake_free(&f);
	cloud_close(c);
}

static void
test_exo_changed_writes_every_field_in_two_digits(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 200, .file = "exo/mailboxes-page2.json" },
		{ .status = 200, .file = "exo/mailboxes-page2.json" },
		{ .status = 200, .file = "exo/mailboxes-page2.json" },
	};
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 3);
	struct dirset s;
	struct sb_error err = { 0 };

	(void)state;
	dirset_init(&s);
	/* 1799118245: 2027-01-05T03:04:05Z; 0: the epoch */
	assert_int_equal(cloud_exo_mailboxes_changed(c, 1799118245, collect_cb,
			     &s, &err),
	    SB_OK);
	assert_int_equal(cloud_exo_mailboxes_changed(c, 0, collect_cb, &s,
			     &err),
	    SB_OK);
	/* the last second Exchange can be asked about */
	assert_int_equal(cloud_exo_mailboxes_changed(c, (time_t)253402300799,
			     collect_cb, &s, &err),
	    SB_OK);
	assert_int_equal(f.nreq, 3);
	assert_get_mailbox_body(f.req[0].body,
	    ",\"Filter\":\"WhenChangedUTC -ge '2027-01-05T03:04:05Z'\"}}}");
	assert_get_mailbox_body(f.req[1].body,
	    ",\"Filter\":\"WhenChangedUTC -ge '1970-01-01T00:00:00Z'\"}}}");
	assert_get_mailbox_body(f.req[2].body,
	    ",\"Filter\":\"WhenChangedUTC -ge '9999-12-31T23:59:59Z'\"}}}");
	dirset_free(&s);
	fake_free(&f);
	cloud_close(c);
}

static void
test_exo_changed_refuses_a_time_it_cannot_write(void **state)
{
	static const struct fake_reply replies[] = {
		{ .status = 400, .file = "exo/error-no-role.json" },
	};
	static const time_t bad[] = { -1, (time_t)253402300800 };
	struct fake f;
	struct cloud_client *c = fake_client(&f, replies, 1);
	struct dirset s;
	struct sb_error err;
	size_t i;

	(void)state;
	dirset_init(&s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(cloud_exo_mailboxes_changed(c, bad[i],
				     collect_cb, &s, &err),
		    SB_BUG);
		assert_string_equal(err.where, "exo.mailboxes");
		assert_non_null(strstr(err.text,
		    "not a time from 1970 to "
		    "9999"));
	}
	assert_non_null(strstr(err.text, "since 253402300800:"));
	assert_int_equal(f.nreq, 0);
	/* the full read's errors hold for it: no Exchange role, stop */
	assert_int_equal(cloud_exo_mailboxes_changed(c, 1796465472, collect_cb,
			     &s, &err),
	    SB_STOP);
	assert_non_null(strstr(err.text, "Exchange role"));
	assert_int_equal(s.n, 0);
	dirset_free(&s);
	fake_free(&f);
	cloud_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_exo_mailbox_carries_authority_flags_and_exchange_names),
		cmocka_unit_test(test_exo_booleans_as_text_are_read),
		cmocka_unit_test(
		    test_exo_malformed_page_is_an_error_naming_the_endpoint),
		cmocka_unit_test(
		    test_exo_pages_by_posting_the_same_body_to_the_next_link),
		cmocka_unit_test(test_exo_cmdlet_errors_are_explained),
		cmocka_unit_test(
		    test_exo_select_holds_every_mapped_property_once),
		cmocka_unit_test(
		    test_exo_full_get_mailbox_keeps_every_address_and_empty_attribute),
		cmocka_unit_test(
		    test_exo_401_not_allowed_stops_at_once_naming_the_role),
		cmocka_unit_test(
		    test_exo_404_details_and_plain_text_throttling),
		cmocka_unit_test(
		    test_exo_changed_asks_for_mailboxes_changed_since_in_utc),
		cmocka_unit_test(
		    test_exo_changed_writes_every_field_in_two_digits),
		cmocka_unit_test(
		    test_exo_changed_refuses_a_time_it_cannot_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
