/*
 * ldap/search.c: paged searches against canned AD replies (test_ldap_fake.h):
 * the request sent, cookies followed, references skipped, failures.
 */
#include "test_ldap_fake.h"

struct got {
	size_t		 n;
	size_t		 fail_at;	/* 1-based entry that fails; 0 never */
	char		 dn[8][128];
	enum dirobj_kind kind[8];
};

static enum sb_status
got_cb(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct got *g = arg;

	assert_true(g->n < 8);
	snprintf(g->dn[g->n], sizeof(g->dn[g->n]), "%s", o->dn);
	g->kind[g->n] = o->kind;
	g->n++;
	dirobj_free(o);
	if (g->fail_at != 0 && g->n == g->fail_at)
		return sb_fail(err, SB_REFUSED, 0, "test", "callback says no");
	return SB_OK;
}

#define ANN	"CN=Ann Archer,OU=Staff,DC=corp,DC=example"
#define BOB	"CN=Bob Baker,OU=Staff,DC=corp,DC=example"
#define CLEO	"CN=Cleo Cole,OU=Staff,DC=corp,DC=example"

static void
test_search_sends_base_scope_and_attrs_with_object_class_added(void **state)
{
	static const char *const attrs[] = { "mail", "proxyAddresses", NULL };
	struct fake_ldap f;
	struct fake_search_req r;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_entry(&f, 1, ANN, "objectClass", "top", "person",
	    "organizationalPerson", "user", NULL, "mail",
	    "ann@contoso.com", NULL, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_search(f.c, "OU=Staff,DC=corp,DC=example",
	    AD_SCOPE_ONE, "(objectClass=user)", attrs, got_cb, &g, &err),
	    SB_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.dn[0], ANN);
	assert_int_equal(g.kind[0], DIROBJ_USER);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	fake_ldap_search_req(&f, 0, &r);
	assert_int_equal(r.op, LDAP_REQ_SEARCH);
	assert_string_equal(r.base, "OU=Staff,DC=corp,DC=example");
	assert_int_equal(r.scope, LDAP_SCOPE_ONELEVEL);
	/* objectClass added: the kind of each entry must be known */
	assert_non_null(r.attrs);
	assert_string_equal(r.attrs[0], "mail");
	assert_string_equal(r.attrs[1], "proxyAddresses");
	assert_non_null(r.attrs[2]);
	assert_string_equal(r.attrs[2], "objectClass");
	assert_null(r.attrs[3]);
	/* the paged results control, AD's OID */
	assert_true(fake_ldap_holds(&f, 0, LDAP_CONTROL_PAGEDRESULTS,
	    strlen(LDAP_CONTROL_PAGEDRESULTS)));
	ber_memvfree((void **)r.attrs);
	fake_ldap_close(&f);
}

static void
test_search_does_not_add_object_class_twice_or_to_all_attributes(
    void **state)
{
	static const char *const has[] = { "ObjectClass", "mail", NULL };
	static const char *const star[] = { "*", NULL };
	struct fake_ldap f;
	struct fake_search_req r;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	fake_ldap_done(&f, 2, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    NULL, has, got_cb, &g, &err), SB_OK);
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_BASE,
	    NULL, star, got_cb, &g, &err), SB_OK);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 2);
	fake_ldap_search_req(&f, 0, &r);
	assert_int_equal(r.scope, LDAP_SCOPE_SUBTREE);
	assert_string_equal(r.attrs[0], "ObjectClass");
	assert_string_equal(r.attrs[1], "mail");
	assert_null(r.attrs[2]);
	ber_memvfree((void **)r.attrs);
	fake_ldap_search_req(&f, 1, &r);
	assert_int_equal(r.scope, LDAP_SCOPE_BASE);
	assert_string_equal(r.attrs[0], "*");
	assert_null(r.attrs[1]);
	ber_memvfree((void **)r.attrs);
	fake_ldap_close(&f);
}

static void
test_search_without_a_filter_asks_for_every_object(void **state)
{
	/* (objectClass=*): a present filter [7] "objectClass" */
	static const unsigned char present[] = { 0x87, 0x0b, 'o', 'b', 'j',
		'e', 'c', 't', 'C', 'l', 'a', 's', 's' };
	struct fake_ldap f;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	fake_ldap_done(&f, 2, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    NULL, NULL, got_cb, &g, &err), SB_OK);
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    "", NULL, got_cb, &g, &err), SB_OK);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 2);
	assert_true(fake_ldap_holds(&f, 0, present, sizeof(present)));
	assert_true(fake_ldap_holds(&f, 1, present, sizeof(present)));
	fake_ldap_close(&f);
}

static void
test_search_follows_the_paging_cookie_to_the_last_page(void **state)
{
	struct fake_ldap f;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	ad_search_set_page_size(f.c, 2);
	fake_ldap_entry(&f, 1, ANN, "objectClass", "user", NULL, NULL);
	fake_ldap_entry(&f, 1, BOB, "objectClass", "user", NULL, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "cookie-page-2");
	fake_ldap_entry(&f, 2, CLEO, "objectClass", "contact", NULL, NULL);
	/* Samba: a cookie with the last full page, then an empty page */
	fake_ldap_done(&f, 2, LDAP_SUCCESS, NULL, "cookie-page-3");
	fake_ldap_done(&f, 3, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    "(objectClass=*)", NULL, got_cb, &g, &err), SB_OK);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.dn[2], CLEO);
	assert_int_equal(g.kind[2], DIROBJ_CONTACT);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 3);
	/* each page asks with the cookie the last one gave */
	assert_false(fake_ldap_holds(&f, 0, "cookie-page", 11));
	assert_true(fake_ldap_holds(&f, 1, "cookie-page-2", 13));
	assert_true(fake_ldap_holds(&f, 2, "cookie-page-3", 13));
	fake_ldap_close(&f);
}

static void
test_search_skips_continuation_references(void **state)
{
	struct fake_ldap f;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_entry(&f, 1, ANN, "objectClass", "user", NULL, NULL);
	fake_ldap_reference(&f, 1, "ldap://DomainDnsZones.corp.example/"
	    "DC=DomainDnsZones,DC=corp,DC=example");
	fake_ldap_entry(&f, 1, BOB, "objectClass", "group", NULL, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    NULL, NULL, got_cb, &g, &err), SB_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.dn[1], BOB);
	assert_int_equal(g.kind[1], DIROBJ_GROUP);
	fake_ldap_close(&f);
}

static void
test_search_failure_keeps_ads_diagnostic_and_the_base(void **state)
{
	struct fake_ldap f;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_done(&f, 1, LDAP_NO_SUCH_OBJECT, "0000208D: NameErr: "
	    "DSID-03100288, problem 2001 (NO_OBJECT), data 0, best match of:"
	    "\n\t'DC=corp,DC=example'\n", NULL);
	/* the base went away under us: re-read, do not carry on */
	assert_int_equal(ad_search(f.c, "OU=Gone,DC=corp,DC=example",
	    AD_SCOPE_SUB, NULL, NULL, got_cb, &g, &err), SB_RESYNC);
	assert_int_equal(err.code, LDAP_NO_SUCH_OBJECT);
	assert_string_equal(err.where, "ad.search");
	assert_non_null(strstr(err.text, "0000208D"));
	assert_non_null(strstr(err.text, "OU=Gone,DC=corp,DC=example"));
	assert_int_equal(g.n, 0);
	fake_ldap_close(&f);
}

static void
test_search_stops_at_the_callbacks_failure(void **state)
{
	struct fake_ldap f;
	struct got g = { .fail_at = 1 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_entry(&f, 1, ANN, "objectClass", "user", NULL, NULL);
	fake_ldap_entry(&f, 1, BOB, "objectClass", "user", NULL, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "more");
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    NULL, NULL, got_cb, &g, &err), SB_REFUSED);
	assert_string_equal(err.text, "callback says no");
	assert_int_equal(g.n, 1);
	/* no further page asked for; the rest abandoned */
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 2);
	/* SEQUENCE, length, messageID 2, then [APPLICATION 16] Abandon */
	assert_int_equal(f.buf[f.off[1] + 2], 0x02);
	assert_int_equal(f.buf[f.off[1] + 4], 2);
	assert_int_equal(f.buf[f.off[1] + 5], 0x50);
	fake_ldap_close(&f);
}

static void
test_search_refuses_bad_arguments_before_sending(void **state)
{
	struct fake_ldap f;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	assert_int_equal(ad_search(f.c, NULL, AD_SCOPE_SUB, NULL, NULL, got_cb,
	    &g, &err), SB_BUG);
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", 7, NULL, NULL,
	    got_cb, &g, &err), SB_BUG);
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    NULL, NULL, NULL, &g, &err), SB_BUG);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 0);
	fake_ldap_close(&f);
}

static void
test_search_on_a_lost_connection_is_retry_without_sending(void **state)
{
	struct fake_ldap f;
	struct got g = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	fake_ldap_open(&f, NULL);
	/* libldap would reconnect anonymously: never search unbound */
	f.c->broken = 1;
	assert_int_equal(ad_search(f.c, "DC=corp,DC=example", AD_SCOPE_SUB,
	    NULL, NULL, got_cb, &g, &err), SB_RETRY);
	assert_non_null(strstr(err.text, "was lost"));
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 0);
	fake_ldap_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_sends_base_scope_and_attrs_with_object_class_added),
		cmocka_unit_test(test_search_does_not_add_object_class_twice_or_to_all_attributes),
		cmocka_unit_test(test_search_without_a_filter_asks_for_every_object),
		cmocka_unit_test(test_search_follows_the_paging_cookie_to_the_last_page),
		cmocka_unit_test(test_search_skips_continuation_references),
		cmocka_unit_test(test_search_failure_keeps_ads_diagnostic_and_the_base),
		cmocka_unit_test(test_search_stops_at_the_callbacks_failure),
		cmocka_unit_test(test_search_refuses_bad_arguments_before_sending),
		cmocka_unit_test(test_search_on_a_lost_connection_is_retry_without_sending),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
