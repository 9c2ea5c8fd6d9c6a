/* Unit tests for ldap/trace.c: its quoting is mapping/quote.c's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ldap/trace.h"

static void
test_trace_quoting_is_mapping_quote(void **state)
{
	static const unsigned char guid[4] = { 0x00, 0x2a, 0xff, 0x10 };
	char a[AD_TRACE_QBUF], b[MAP_QUOTE_BUF];

	(void)state;
	assert_string_equal(ad_trace_quote(a, sizeof(a), "a\nb", 3),
	    map_quote(b, sizeof(b), "a\nb", 3));
	assert_string_equal(ad_trace_quote(a, sizeof(a), guid, 4),
	    map_quote(b, sizeof(b), guid, 4));
	assert_string_equal(ad_trace_qstr(a, sizeof(a), NULL), "-");
	assert_string_equal(ad_trace_qstr(a, sizeof(a), "CN=x"), "\"CN=x\"");
}

static void
test_trace_secret_attributes_are_mapping_secrets(void **state)
{
	(void)state;
	assert_true(ad_trace_is_secret("unicodePwd"));
	assert_false(ad_trace_is_secret("proxyAddresses"));
	assert_false(ad_trace_is_secret(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_quoting_is_mapping_quote),
		cmocka_unit_test(test_trace_secret_attributes_are_mapping_secrets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
