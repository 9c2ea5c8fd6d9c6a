/*
 * Unit tests for ldap/conn.c: what ad_connect() refuses before it opens a
 * connection (no network is used: every case fails before the first packet).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ldap/conn.h"

static struct sb_bytes pw = { (unsigned char *)"pw", 2 };

static enum sb_status
try(const char *uri, int starttls, const char *dn,
    const struct sb_bytes *pass, const char *ca, struct sb_error *err)
{
	struct ad_params p;
	struct ad_conn *c = NULL;
	enum sb_status st;

	memset(&p, 0, sizeof(p));
	p.uri = uri;
	p.ca_file = ca;
	p.starttls = starttls;
	p.bind_dn = dn;
	p.password = pass;
	p.timeout_s = 5;
	memset(err, 0, sizeof(*err));
	st = ad_connect(&p, &c, err);
	assert_null(c);
	return st;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void
test_conn_plain_ldap_without_starttls_is_refused(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(try("ldap://dc1.corp.example", 0, "CN=svc", &pw, NULL,
	    &err), SB_CONFIG);
	assert_string_equal(err.where, "ad.connect");
	assert_contains(err.text, "refusing a simple bind in clear text over "
	    "ldap://dc1.corp.example: use ldaps:// or set starttls");
	/* One plain URI in a list is enough to refuse. */
	assert_int_equal(try("LDAP://dc1 ldap://dc2", 0, "CN=svc", &pw, NULL,
	    &err), SB_CONFIG);
}

static void
test_conn_starttls_on_ldaps_is_refused(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(try("ldaps://dc1", 1, "CN=svc", &pw, NULL, &err),
	    SB_CONFIG);
	assert_contains(err.text, "starttls is for ldap:// URIs");
}

static void
test_conn_other_schemes_and_mixed_lists_are_refused(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(try("ldapi:///run/slapd.sock", 0, "CN=svc", &pw, NULL,
	    &err), SB_CONFIG);
	assert_contains(err.text, "ldapi:///run/slapd.sock");
	assert_int_equal(try("dc1.corp.example", 0, "CN=svc", &pw, NULL, &err),
	    SB_CONFIG);
	assert_int_equal(try("ldaps://", 0, "CN=svc", &pw, NULL, &err),
	    SB_CONFIG);
	assert_int_equal(try("ldaps://dc1, ldap://dc2", 1, "CN=svc", &pw, NULL,
	    &err), SB_CONFIG);
	assert_contains(err.text, "mixes");
	assert_int_equal(try("", 0, "CN=svc", &pw, NULL, &err), SB_CONFIG);
	assert_int_equal(try(NULL, 0, "CN=svc", &pw, NULL, &err), SB_CONFIG);
}

static void
test_conn_empty_password_is_refused_as_an_anonymous_bind(void **state)
{
	struct sb_bytes empty = { (unsigned char *)"", 0 };
	struct sb_error err;

	(void)state;
	assert_int_equal(try("ldaps://dc1", 0, "CN=svc,OU=Service", &empty,
	    NULL, &err), SB_CONFIG);
	assert_contains(err.text, "password for CN=svc,OU=Service is empty");
	assert_int_equal(try("ldaps://dc1", 0, "CN=svc", NULL, NULL, &err),
	    SB_CONFIG);
}

static void
test_conn_empty_bind_dn_is_refused(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(try("ldaps://dc1", 0, "", &pw, NULL, &err), SB_CONFIG);
	assert_contains(err.text, "bind_dn");
}

static void
test_conn_unreadable_ca_file_is_config_naming_it(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(try("ldaps://dc1", 0, "CN=svc", &pw,
	    "/nonexistent/ca.pem", &err), SB_CONFIG);
	assert_contains(err.text, "ca_file /nonexistent/ca.pem");
}

static void
test_conn_errors_never_carry_the_password(void **state)
{
	struct sb_bytes secret = { (unsigned char *)"Hunter2-Secret", 14 };
	struct sb_error err;

	(void)state;
	try("ldap://dc1", 0, "CN=svc", &secret, NULL, &err);
	assert_null(strstr(err.text, "Hunter2"));
	try("ldaps://dc1", 0, "CN=svc", &secret, "/nonexistent", &err);
	assert_null(strstr(err.text, "Hunter2"));
}

/* A GSSAPI bind: no password, plain ldap:// allowed, a keytab needed. */
static void
test_conn_gssapi_needs_a_keytab_not_a_password(void **state)
{
	struct ad_params p;
	struct ad_conn *c = NULL;
	struct sb_error err;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.uri = "ldap://dc1.corp.example";
	p.sasl_mech = "GSSAPI";
	p.timeout_s = 5;
	assert_int_equal(ad_connect(&p, &c, &err), SB_CONFIG);
	assert_contains(err.text, "needs a keytab (ldap.keytab_file)");
	/* past the URI checks: the missing keytab stops it, before the KDC */
	p.keytab = "/nonexistent/ldap.keytab";
	assert_int_equal(ad_connect(&p, &c, &err), SB_CONFIG);
	assert_string_equal(err.where, "ad.kerberos");
	assert_contains(err.text,
	    "keytab /nonexistent/ldap.keytab does not "
	    "exist");
	assert_null(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_conn_gssapi_needs_a_keytab_not_a_password),
		cmocka_unit_test(
		    test_conn_plain_ldap_without_starttls_is_refused),
		cmocka_unit_test(test_conn_starttls_on_ldaps_is_refused),
		cmocka_unit_test(
		    test_conn_other_schemes_and_mixed_lists_are_refused),
		cmocka_unit_test(
		    test_conn_empty_password_is_refused_as_an_anonymous_bind),
		cmocka_unit_test(test_conn_empty_bind_dn_is_refused),
		cmocka_unit_test(
		    test_conn_unreadable_ca_file_is_config_naming_it),
		cmocka_unit_test(test_conn_errors_never_carry_the_password),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
