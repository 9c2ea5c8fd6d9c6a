/* Unit tests for ldap/krbrules.c: when credentials are renewed, and what each krb5 error says. */
#include <errno.h>
#include <krb5.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ldap/kerberos.h"

#define PRINC "svc-soabridge@CORP.EXAMPLE.TEST"
#define KT "/etc/soabridge/ldap.keytab"
#define REALM "CORP.EXAMPLE.TEST"
#define HOST "dc1.corp.example.test"

static const struct ad_krb_errctx full = { PRINC, KT, REALM, "127.0.0.1:88",
	HOST, "krb5 says" };

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void
test_krb_renews_with_a_third_of_a_long_life_left(void **state)
{
	long long start = 1000000, life = 36000, end = start + life;

	(void)state;
	/* none yet, or nothing valid */
	assert_int_equal(ad_krb_renew_due(start, 0, 0), 1);
	assert_int_equal(ad_krb_renew_due(end, start, end), 1);
	assert_int_equal(ad_krb_renew_due(end + 5, start, end), 1);
	/* fresh, and just before a third is left */
	assert_int_equal(ad_krb_renew_due(start, start, end), 0);
	assert_int_equal(ad_krb_renew_due(end - life / 3, start, end), 0);
	/* less than a third left */
	assert_int_equal(ad_krb_renew_due(end - life / 3 + 1, start, end), 1);
}

static void
test_krb_renews_short_tickets_before_the_kdc_margin(void **state)
{
	long long start = 5000, end = start + 180; /* the lab's 3 minutes */

	(void)state;
	/* a third (60 s) is less than the margin: the margin decides */
	assert_int_equal(ad_krb_renew_due(start, start, end), 0);
	assert_int_equal(ad_krb_renew_due(end - AD_KRB_RENEW_MARGIN_S, start,
			     end),
	    0);
	assert_int_equal(ad_krb_renew_due(end - AD_KRB_RENEW_MARGIN_S + 1,
			     start, end),
	    1);
	/* a ticket shorter than the margin is acquired for every use */
	assert_int_equal(ad_krb_renew_due(start, start, start + 100), 1);
}

static void
expect(long code, enum sb_status st, const char *const *needles)
{
	struct sb_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(ad_krb_errmap(code, &full, &err), st);
	assert_int_equal(err.status, st);
	assert_string_equal(err.where, "ad.kerberos");
	for (; *needles != NULL; needles++)
		assert_contains(err.text, *needles);
}

static void
test_krb_errors_name_what_to_fix(void **state)
{
	static const char *const kt_mode[] = { KT, "cannot be read", NULL };
	static const char *const notin[] = { PRINC, "not in keytab " KT, NULL };
	static const char *const skew[] = { "clocks", REALM, "5 minutes",
		NULL };
	static const char *const kdc[] = {
		"cannot reach a KDC of realm " REALM " (KDC 127.0.0.1:88)", NULL
	};
	static const char *const spn[] = { "ldap/" HOST, REALM,
		"not an IP address", NULL };
	static const char *const stale[] = { PRINC, KT, "stale", NULL };
	static const char *const other[] = { PRINC, KT, REALM, "krb5 says",
		NULL };

	(void)state;
	expect(EACCES, SB_CONFIG, kt_mode);
	expect(KRB5_KT_NOTFOUND, SB_STOP, notin);
	expect(KRB5KRB_AP_ERR_SKEW, SB_STOP, skew);
	expect(KRB5_KDC_UNREACH, SB_RETRY, kdc);
	expect(KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, SB_STOP, spn);
	expect(KRB5KDC_ERR_PREAUTH_FAILED, SB_STOP, stale);
	/* unmapped: krb5's own message, with who and where */
	expect(KRB5KDC_ERR_BADOPTION, SB_STOP, other);
}

static void
test_krb_errors_say_unknown_for_what_is_not_known(void **state)
{
	struct ad_krb_errctx x = { 0 };
	struct sb_error err;

	(void)state;
	x.realm = REALM;
	assert_int_equal(ad_krb_errmap(KRB5_KDC_UNREACH, &x, &err), SB_RETRY);
	/* no KDC in krb5.conf: no empty parentheses */
	assert_string_equal(err.text,
	    "cannot reach a KDC of realm " REALM
	    ": is it running, and does krb5.conf (or KRB5_CONFIG) name it?");
	assert_int_equal(ad_krb_errmap(KRB5_KT_NOTFOUND, &x, &err), SB_STOP);
	assert_contains(err.text,
	    "principal (unknown) is not in keytab "
	    "(unknown)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_krb_renews_with_a_third_of_a_long_life_left),
		cmocka_unit_test(
		    test_krb_renews_short_tickets_before_the_kdc_margin),
		cmocka_unit_test(test_krb_errors_name_what_to_fix),
		cmocka_unit_test(
		    test_krb_errors_say_unknown_for_what_is_not_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
