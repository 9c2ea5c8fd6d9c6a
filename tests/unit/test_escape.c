/* Unit tests for ldap/escape.c: RFC 4515 filter value escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ldap/escape.h"

static char *
esc(const void *p, size_t len)
{
	struct sb_error err;
	char *out = NULL;

	assert_int_equal(ad_filter_escape(p, len, &out, &err), SB_OK);
	assert_non_null(out);
	return out;
}

static void
expect_escape(const void *p, size_t len, const char *want)
{
	char *got = esc(p, len);

	assert_string_equal(got, want);
	free(got);
}

static void
test_escape_star_parens_and_backslash_become_hex(void **state)
{
	(void)state;
	expect_escape("*", 1, "\\2A");
	expect_escape("(", 1, "\\28");
	expect_escape(")", 1, "\\29");
	expect_escape("\\", 1, "\\5C");
	expect_escape("a*b(c)d\\e", 9, "a\\2Ab\\28c\\29d\\5Ce");
}

static void
test_escape_nul_byte_is_escaped_not_a_terminator(void **state)
{
	(void)state;
	expect_escape("a\0b", 3, "a\\00b");
	expect_escape("\0", 1, "\\00");
}

static void
test_escape_control_bytes_and_del_are_escaped(void **state)
{
	(void)state;
	expect_escape("\t\n\r\x1f\x7f", 5, "\\09\\0A\\0D\\1F\\7F");
}

static void
test_escape_dn_and_text_specials_stay_literal(void **state)
{
	static const char s[] = "Doe, John + Jr = \"x\" <y>; #z ~!";

	(void)state;
	/* RFC 4514's specials mean nothing in a filter value. */
	expect_escape(s, sizeof(s) - 1, s);
	expect_escape("  spaces  ", 10, "  spaces  ");
}

static void
test_escape_utf8_is_escaped_byte_by_byte(void **state)
{
	(void)state;
	expect_escape("Zo\xc3\xab", 4, "Zo\\C3\\AB");
	expect_escape("\xe6\x97\xa5", 3, "\\E6\\97\\A5");
	expect_escape("\xf0\x9f\x98\x80", 4, "\\F0\\9F\\98\\80");
}

static void
test_escape_binary_guid_matches_every_byte(void **state)
{
	static const unsigned char guid[16] = { 0x01, 0x02, 0x00, 0xff, 0x2a,
	    0x28, 0x29, 0x5c, 0x41, 0x7a, 0x80, 0x10, 0x20, 0x3d, 0xfe, 0x00 };

	(void)state;
	/* Printable bytes may stay literal (RFC 4515); AD matches either way. */
	expect_escape(guid, 16,
	    "\\01\\02\\00\\FF\\2A\\28\\29\\5CAz\\80\\10 =\\FE\\00");
}

static void
test_escape_every_byte_value_round_trips(void **state)
{
	unsigned char all[256];
	unsigned char back[256];
	char *s, *p;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	s = esc(all, sizeof(all));
	/* Decode: "\XX" or a literal byte; specials never appear literally. */
	for (p = s; *p != '\0'; n++) {
		assert_true(n < sizeof(back));
		if (*p == '\\') {
			back[n] = (unsigned char)strtoul((char[]){ p[1], p[2],
			    '\0' }, NULL, 16);
			p += 3;
		} else {
			assert_null(strchr("*()", *p));
			assert_true((unsigned char)*p >= 0x20 &&
			    (unsigned char)*p < 0x7f);
			back[n] = (unsigned char)*p++;
		}
	}
	assert_int_equal(n, 256);
	assert_memory_equal(back, all, 256);
	free(s);
}

static void
test_escape_empty_value_is_empty_string(void **state)
{
	(void)state;
	expect_escape("", 0, "");
	expect_escape(NULL, 0, "");
}

static void
test_escape_refuses_oversized_value(void **state)
{
	struct sb_error err;
	char *out = NULL;
	char *big;

	(void)state;
	big = calloc(1, AD_ESCAPE_MAX_VALUE + 1);
	assert_non_null(big);
	assert_int_equal(ad_filter_escape(big, AD_ESCAPE_MAX_VALUE + 1, &out,
	    &err), SB_SKIP);
	assert_null(out);
	assert_string_equal(err.where, "ad.escape");
	free(big);
}

static void
test_filter_eq_builds_an_equality_filter(void **state)
{
	static const unsigned char guid[4] = { 0xa1, 0x00, 0x2a, 0x41 };
	struct sb_error err;
	char *f = NULL;

	(void)state;
	assert_int_equal(ad_filter_eq("objectGUID", guid, 4, &f, &err), SB_OK);
	assert_string_equal(f, "(objectGUID=\\A1\\00\\2AA)");
	free(f);
	assert_int_equal(ad_filter_eq("cn", "Doe, John (*)", 13, &f, &err),
	    SB_OK);
	assert_string_equal(f, "(cn=Doe, John \\28\\2A\\29)");
	free(f);
}

static void
test_filter_eq_refuses_a_name_that_is_not_an_attribute(void **state)
{
	struct sb_error err;
	char *f = NULL;

	(void)state;
	assert_int_equal(ad_filter_eq("cn=x)(uid", "v", 1, &f, &err), SB_BUG);
	assert_null(f);
	assert_int_equal(ad_filter_eq("", "v", 1, &f, &err), SB_BUG);
	assert_int_equal(ad_filter_eq(NULL, "v", 1, &f, &err), SB_BUG);
	assert_null(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_star_parens_and_backslash_become_hex),
		cmocka_unit_test(test_escape_nul_byte_is_escaped_not_a_terminator),
		cmocka_unit_test(test_escape_control_bytes_and_del_are_escaped),
		cmocka_unit_test(test_escape_dn_and_text_specials_stay_literal),
		cmocka_unit_test(test_escape_utf8_is_escaped_byte_by_byte),
		cmocka_unit_test(test_escape_binary_guid_matches_every_byte),
		cmocka_unit_test(test_escape_every_byte_value_round_trips),
		cmocka_unit_test(test_escape_empty_value_is_empty_string),
		cmocka_unit_test(test_escape_refuses_oversized_value),
		cmocka_unit_test(test_filter_eq_builds_an_equality_filter),
		cmocka_unit_test(test_filter_eq_refuses_a_name_that_is_not_an_attribute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
