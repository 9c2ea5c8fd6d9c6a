/*
 * Unit tests for ldap/dclist.c: which failures move on to the next DC and
 * which stop the list, and the error when none could be used.  The only
 * "network" is 127.0.0.1 ports nothing listens on (refused at once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>

#include <cmocka.h>

#include "ldap/dclist.h"
#include "ldap/internal.h"

static struct sb_bytes pw = { (unsigned char *)"pw", 2 };

static struct sb_error
error_of(enum sb_status st, int code)
{
	struct sb_error e;

	memset(&e, 0, sizeof(e));
	e.status = st;
	e.code = code;
	return e;
}

static void
test_dclist_network_failures_move_on(void **state)
{
	static const int codes[] = { LDAP_SERVER_DOWN, LDAP_CONNECT_ERROR,
		LDAP_X_CONNECTING, LDAP_TIMEOUT, LDAP_UNAVAILABLE, LDAP_BUSY };
	struct sb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		e = error_of(SB_RETRY, codes[i]);
		assert_true(ad_dclist_try_next(&e));
	}
	/* a certificate that does not verify: that DC's, not the account's */
	e = error_of(SB_STOP, LDAP_SERVER_DOWN);
	assert_true(ad_dclist_try_next(&e));
}

static void
test_dclist_credentials_and_config_stop(void **state)
{
	struct sb_error e;

	(void)state;
	/* a bad password (and "data 775", locked, is the same rc 49) */
	e = error_of(SB_STOP, LDAP_INVALID_CREDENTIALS);
	assert_false(ad_dclist_try_next(&e));
	e = error_of(SB_STOP, LDAP_INAPPROPRIATE_AUTH);
	assert_false(ad_dclist_try_next(&e));
	e = error_of(SB_STOP, LDAP_INSUFFICIENT_ACCESS);
	assert_false(ad_dclist_try_next(&e));
	e = error_of(SB_CONFIG, 0);
	assert_false(ad_dclist_try_next(&e));
	/* a config status never moves on, whatever the code */
	e = error_of(SB_CONFIG, LDAP_SERVER_DOWN);
	assert_false(ad_dclist_try_next(&e));
	e = error_of(SB_BUG, LDAP_NO_MEMORY);
	assert_false(ad_dclist_try_next(&e));
}

static enum sb_status
connect_list(const char *const *uris, size_t n, struct sb_error *err)
{
	struct ad_params p = { 0 };
	struct ad_conn *c = NULL;
	enum sb_status st;

	p.bind_dn = "CN=svc,DC=corp,DC=example";
	p.password = &pw;
	p.timeout_s = 2;
	memset(err, 0, sizeof(*err));
	st = ad_connect_first(&p, uris, n, &c, err);
	assert_null(c);
	return st;
}

static void
test_dclist_all_down_lists_each_dc(void **state)
{
	static const char *const uris[] = { "ldaps://127.0.0.1:1",
		"ldaps://127.0.0.1:2" };
	struct sb_error err;

	(void)state;
	assert_int_equal(connect_list(uris, 2, &err), SB_RETRY);
	assert_string_equal(err.where, "ad.connect");
	assert_non_null(strstr(err.text,
	    "none of the 2 domain controllers "
	    "could be used: "));
	assert_non_null(strstr(err.text, "ldaps://127.0.0.1:1"));
	assert_non_null(strstr(err.text, "ldaps://127.0.0.1:2"));
	assert_null(strstr(err.text, "pw"));
}

static void
test_dclist_moves_on_then_stops_at_a_config_error(void **state)
{
	static const char *const uris[] = { "ldaps://127.0.0.1:1",
		"https://dc2.corp.example", "ldaps://127.0.0.1:3" };
	static const char *const first[] = { "https://dc1.corp.example",
		"ldaps://127.0.0.1:1" };
	struct sb_error err;

	(void)state;
	/* the second's error as it is: the third is never tried */
	assert_int_equal(connect_list(uris, 3, &err), SB_CONFIG);
	assert_non_null(strstr(err.text, "https://dc2.corp.example"));
	assert_null(strstr(err.text, "127.0.0.1:3"));
	assert_null(strstr(err.text, "none of"));

	assert_int_equal(connect_list(first, 2, &err), SB_CONFIG);
	assert_non_null(strstr(err.text, "https://dc1.corp.example"));
	assert_null(strstr(err.text, "127.0.0.1:1"));
}

static void
test_dclist_one_dc_gives_its_own_error(void **state)
{
	static const char *const uris[] = { "ldaps://127.0.0.1:1" };
	struct sb_error err;

	(void)state;
	assert_int_equal(connect_list(uris, 1, &err), SB_RETRY);
	assert_null(strstr(err.text, "none of"));
	assert_non_null(strstr(err.text, "cannot reach ldaps://127.0.0.1:1"));
	assert_int_equal(connect_list(uris, 0, &err), SB_CONFIG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dclist_network_failures_move_on),
		cmocka_unit_test(test_dclist_credentials_and_config_stop),
		cmocka_unit_test(test_dclist_all_down_lists_each_dc),
		cmocka_unit_test(
		    test_dclist_moves_on_then_stops_at_a_config_error),
		cmocka_unit_test(test_dclist_one_dc_gives_its_own_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
