/* Unit tests for mapping/quote.c: quoting, binary as hex, caps, secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mapping/quote.h"

static const char *
q(const void *p, size_t len)
{
	static char buf[MAP_QUOTE_BUF];

	return map_quote(buf, sizeof(buf), p, len);
}

static void
test_quote_text_is_quoted_with_quotes_and_backslashes_escaped(void **state)
{
	(void)state;
	assert_string_equal(q("smtp:a@x", 8), "\"smtp:a@x\"");
	assert_string_equal(q("CN=Doe\\, John", 13), "\"CN=Doe\\\\, John\"");
	assert_string_equal(q("say \"hi\"", 8), "\"say \\\"hi\\\"\"");
	assert_string_equal(q("", 0), "\"\"");
}

static void
test_quote_control_characters_cannot_forge_a_log_line(void **state)
{
	(void)state;
	assert_string_equal(q("a\nsoabridge: error x", 20),
	    "\"a\\x0asoabridge: error x\"");
	assert_string_equal(q("\t\r\x7f", 3), "\"\\x09\\x0d\\x7f\"");
}

static void
test_quote_utf8_text_stays_readable(void **state)
{
	static const char s[] = "Zo\xc3\xab \xe6\x97\xa5";

	(void)state;
	assert_string_equal(q(s, strlen(s)), "\"Zo\xc3\xab \xe6\x97\xa5\"");
}

static void
test_quote_binary_and_invalid_utf8_are_hex(void **state)
{
	static const unsigned char guid[4] = { 0x00, 0x2a, 0xff, 0x10 };

	(void)state;
	assert_string_equal(q(guid, 4), "0x002aff10");
	assert_string_equal(q("a\0b", 3), "\"a\\x00b\"");
	assert_string_equal(q("\xc3\x28", 2), "0xc328");	/* bad continuation */
	assert_string_equal(q("\xc0\xaf", 2), "0xc0af");	/* overlong '/' */
	assert_string_equal(q("\xed\xa0\x80", 3), "0xeda080");	/* surrogate */
	assert_string_equal(q("\xe6\x97", 2), "0xe697");	/* cut short */
}

static void
test_quote_long_values_are_cut_with_an_ellipsis(void **state)
{
	char big[2000], buf[64];
	const char *s;

	(void)state;
	memset(big, 'x', sizeof(big));
	s = map_quote(buf, sizeof(buf), big, sizeof(big));
	assert_true(strlen(s) < sizeof(buf));
	assert_int_equal(s[0], '"');
	assert_string_equal(s + strlen(s) - 4, "...\"");
	s = map_quote(buf, sizeof(buf), "\xff\xfe\xfd\xfc\xfb\xfa\xf9"
	    "\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0\xef\xee\xed\xec\xeb\xea"
	    "\xe9\xe8\xe7\xe6\xe5\xe4\xe3\xe2\xe1\xe0", 32);
	assert_true(strlen(s) < sizeof(buf));
	assert_string_equal(s + strlen(s) - 3, "...");
}

static void
test_quote_cut_never_splits_a_utf8_character(void **state)
{
	char big[300], buf[32];
	const char *s;
	size_t i, n;

	(void)state;
	for (i = 0; i + 2 <= sizeof(big); i += 2) {
		big[i] = (char)0xc3;
		big[i + 1] = (char)0xab;
	}
	s = map_quote(buf, sizeof(buf), big, sizeof(big));
	n = strlen(s);
	assert_string_equal(s + n - 4, "...\"");
	/* Between the opening quote and "...": whole two-byte characters. */
	assert_int_equal((n - 5) % 2, 0);
	assert_int_equal((unsigned char)s[n - 5], 0xab);
}

static void
test_quote_null_string_is_a_dash(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(map_quote_str(buf, sizeof(buf), NULL), "-");
}

static void
test_quote_password_attributes_are_secret(void **state)
{
	(void)state;
	assert_true(map_quote_is_secret("unicodePwd"));
	assert_true(map_quote_is_secret("UNICODEPWD"));
	assert_true(map_quote_is_secret("userPassword"));
	assert_true(map_quote_is_secret("msDS-ManagedPassword"));
	assert_true(map_quote_is_secret("ms-Mcs-AdmPwd"));
	assert_true(map_quote_is_secret("someVendorSecretKey"));
	assert_true(map_quote_is_secret("supplementalCredentials"));
	assert_false(map_quote_is_secret("proxyAddresses"));
	/* Too careful is fine: a timestamp named like a password is hidden too. */
	assert_true(map_quote_is_secret("pwdLastSet"));
	assert_false(map_quote_is_secret("mail"));
	assert_false(map_quote_is_secret(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_text_is_quoted_with_quotes_and_backslashes_escaped),
		cmocka_unit_test(test_quote_control_characters_cannot_forge_a_log_line),
		cmocka_unit_test(test_quote_utf8_text_stays_readable),
		cmocka_unit_test(test_quote_binary_and_invalid_utf8_are_hex),
		cmocka_unit_test(test_quote_long_values_are_cut_with_an_ellipsis),
		cmocka_unit_test(test_quote_cut_never_splits_a_utf8_character),
		cmocka_unit_test(test_quote_null_string_is_a_dash),
		cmocka_unit_test(test_quote_password_attributes_are_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
