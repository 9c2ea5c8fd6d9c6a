/*
 * ldap/schema.c: which attributes the schema lacks, against canned AD
 * replies (test_ldap_fake.h): the lookups sent and the answers read.
 */
#include "test_ldap_fake.h"

#include "ldap/schema.h"

#define SCHEMA_NC	"CN=Schema,CN=Configuration,DC=corp,DC=example"

/* The attributeSchema object of name, as AD returns it. */
static void
schema_entry(struct fake_ldap *f, int msgid, const char *name)
{
	char dn[256];

	snprintf(dn, sizeof(dn), "CN=%s,%s", name, SCHEMA_NC);
	fake_ldap_entry(f, msgid, dn, "lDAPDisplayName", name, NULL,
	    "objectClass", "top", "attributeSchema", NULL, NULL);
}

static void
test_schema_lists_the_names_not_found_in_the_order_given(void **state)
{
	static const char *const attrs[] = { "proxyAddresses", "mailNickname",
		"mail", "extensionAttribute1", NULL };
	struct fake_ldap f;
	struct fake_search_req r;
	struct sb_error err = { 0 };
	char **missing = NULL;
	size_t n = 99;

	(void)state;
	fake_ldap_open(&f, SCHEMA_NC);
	/* a fresh forest without the Exchange schema extension */
	schema_entry(&f, 1, "mail");
	schema_entry(&f, 1, "proxyAddresses");
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_schema_missing(f.c, attrs, &missing, &n, &err),
	    SB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(missing[0], "mailNickname");
	assert_string_equal(missing[1], "extensionAttribute1");
	/* one lookup, one level under the schema naming context */
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	fake_ldap_search_req(&f, 0, &r);
	assert_string_equal(r.base, SCHEMA_NC);
	assert_int_equal(r.scope, LDAP_SCOPE_ONELEVEL);
	assert_string_equal(r.attrs[0], "lDAPDisplayName");
	ber_memvfree((void **)r.attrs);
	ad_schema_free_list(missing, n);
	fake_ldap_close(&f);
}

static void
test_schema_compares_names_without_case_and_options(void **state)
{
	static const char *const attrs[] = { "MAIL", "userCertificate;binary",
		NULL };
	unsigned char want[64];
	size_t wl;
	struct fake_ldap f;
	struct sb_error err = { 0 };
	char **missing = (char **)"sentinel";
	size_t n = 99;

	(void)state;
	fake_ldap_open(&f, SCHEMA_NC);
	schema_entry(&f, 1, "mail");
	schema_entry(&f, 1, "userCertificate");
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_schema_missing(f.c, attrs, &missing, &n, &err),
	    SB_OK);
	assert_null(missing);
	assert_int_equal(n, 0);
	/* the lookup names the attribute, not the option */
	fake_ldap_requests(&f);
	wl = fake_ldap_octets("userCertificate", want);
	assert_true(fake_ldap_holds(&f, 0, want, wl));
	assert_false(fake_ldap_holds(&f, 0, ";binary", 7));
	fake_ldap_close(&f);
}

static void
test_schema_asks_at_most_40_names_per_search(void **state)
{
	char names[AD_SCHEMA_NAMES_PER_FILTER + 1][32];
	const char *attrs[AD_SCHEMA_NAMES_PER_FILTER + 2];
	unsigned char last[64];
	size_t i, n = 0, ll;
	struct fake_ldap f;
	struct sb_error err = { 0 };
	char **missing = NULL;

	(void)state;
	for (i = 0; i <= AD_SCHEMA_NAMES_PER_FILTER; i++) {
		snprintf(names[i], sizeof(names[i]), "extensionAttr%zu", i);
		attrs[i] = names[i];
	}
	attrs[AD_SCHEMA_NAMES_PER_FILTER + 1] = NULL;
	fake_ldap_open(&f, SCHEMA_NC);
	schema_entry(&f, 1, "extensionAttr0");
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	schema_entry(&f, 2, "extensionAttr40");
	fake_ldap_done(&f, 2, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_schema_missing(f.c, attrs, &missing, &n, &err),
	    SB_OK);
	assert_int_equal(n, AD_SCHEMA_NAMES_PER_FILTER - 1);
	assert_string_equal(missing[0], "extensionAttr1");
	assert_string_equal(missing[n - 1], "extensionAttr39");
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 2);
	/* the 41st name goes in the second filter only */
	ll = fake_ldap_octets("extensionAttr40", last);
	assert_false(fake_ldap_holds(&f, 0, last, ll));
	assert_true(fake_ldap_holds(&f, 1, last, ll));
	ad_schema_free_list(missing, n);
	fake_ldap_close(&f);
}

static void
test_schema_sends_a_name_with_filter_metacharacters_as_one_value(
    void **state)
{
	static const char *const attrs[] = { "x*)(objectClass=*", NULL };
	unsigned char want[64];
	size_t wl, n = 0;
	struct fake_ldap f;
	struct sb_error err = { 0 };
	char **missing = NULL;

	(void)state;
	fake_ldap_open(&f, SCHEMA_NC);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_schema_missing(f.c, attrs, &missing, &n, &err),
	    SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(missing[0], "x*)(objectClass=*");
	/* escaped (RFC 4515): an equality value, not a widened filter */
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	wl = fake_ldap_octets("x*)(objectClass=*", want);
	assert_true(fake_ldap_holds(&f, 0, want, wl));
	ad_schema_free_list(missing, n);
	fake_ldap_close(&f);
}

static void
test_schema_lookup_failure_is_returned_with_nothing_listed(void **state)
{
	static const char *const attrs[] = { "mail", NULL };
	struct fake_ldap f;
	struct sb_error err = { 0 };
	char **missing = (char **)"sentinel";
	size_t n = 99;

	(void)state;
	fake_ldap_open(&f, SCHEMA_NC);
	fake_ldap_done(&f, 1, LDAP_INSUFFICIENT_ACCESS, "00002098: "
	    "SecErr: DSID-03150F94, problem 4003 (INSUFF_ACCESS_RIGHTS), "
	    "data 0", NULL);
	assert_int_equal(ad_schema_missing(f.c, attrs, &missing, &n, &err),
	    SB_STOP);
	assert_non_null(strstr(err.text, "INSUFF_ACCESS_RIGHTS"));
	/* outputs only on success */
	assert_ptr_equal(missing, (char **)"sentinel");
	assert_int_equal(n, 99);
	fake_ldap_close(&f);
}

static void
test_schema_with_no_names_sends_nothing(void **state)
{
	static const char *const none[] = { NULL };
	struct fake_ldap f;
	struct sb_error err = { 0 };
	char **missing = (char **)"sentinel";
	size_t n = 99;

	(void)state;
	fake_ldap_open(&f, SCHEMA_NC);
	assert_int_equal(ad_schema_missing(f.c, none, &missing, &n, &err),
	    SB_OK);
	assert_null(missing);
	assert_int_equal(n, 0);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 0);
	fake_ldap_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_lists_the_names_not_found_in_the_order_given),
		cmocka_unit_test(test_schema_compares_names_without_case_and_options),
		cmocka_unit_test(test_schema_asks_at_most_40_names_per_search),
		cmocka_unit_test(test_schema_sends_a_name_with_filter_metacharacters_as_one_value),
		cmocka_unit_test(test_schema_lookup_failure_is_returned_with_nothing_listed),
		cmocka_unit_test(test_schema_with_no_names_sends_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
