/* Unit tests for ldap/range.c: parsing "member;range=N-M" attribute descriptions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ldap/range.h"

static void
test_range_open_end_gives_start_and_star(void **state)
{
	struct ad_range r;

	(void)state;
	assert_int_equal(ad_range_parse("member;range=1500-*", &r), 1);
	assert_int_equal(r.baselen, 6);
	assert_int_equal(r.start, 1500);
	assert_true(r.end_star);
}

static void
test_range_closed_window_gives_start_and_end(void **state)
{
	struct ad_range r;

	(void)state;
	assert_int_equal(ad_range_parse("member;range=0-1499", &r), 1);
	assert_int_equal(r.baselen, 6);
	assert_int_equal(r.start, 0);
	assert_int_equal(r.end, 1499);
	assert_false(r.end_star);
	assert_int_equal(ad_range_parse("member;range=7-7", &r), 1);
	assert_int_equal(r.end, 7);
}

static void
test_range_option_name_is_case_insensitive(void **state)
{
	struct ad_range r;

	(void)state;
	assert_int_equal(ad_range_parse("Member;Range=0-*", &r), 1);
	assert_int_equal(r.baselen, 6);
	assert_true(r.end_star);
}

static void
test_range_plain_and_other_options_are_not_ranged(void **state)
{
	struct ad_range r;

	(void)state;
	assert_int_equal(ad_range_parse("member", &r), 0);
	assert_int_equal(ad_range_parse("userCertificate;binary", &r), 0);
	assert_int_equal(ad_range_parse("cn;lang-de", &r), 0);
	/* "range" must be a whole option, not the end of a name. */
	assert_int_equal(ad_range_parse("msDS-range=0-*", &r), 0);
}

static void
test_range_keeps_options_before_and_after(void **state)
{
	struct ad_range r;

	(void)state;
	assert_int_equal(ad_range_parse("userCertificate;binary;range=0-*",
	    &r), 1);
	assert_int_equal(r.baselen, strlen("userCertificate;binary"));
	assert_int_equal(ad_range_parse("member;range=10-19;x-opt", &r), 1);
	assert_int_equal(r.start, 10);
	assert_int_equal(r.end, 19);
}

static void
test_range_malformed_is_refused(void **state)
{
	static const char *const bad[] = {
		"member;range=", "member;range=-*", "member;range=a-*",
		"member;range=5", "member;range=5-", "member;range=5-3",
		"member;range=0-*x", "member;range=0-14x", "member;range=0*",
		";range=0-*", "member;range=99999999999999999999999-*",
		"member;range=0-99999999999999999999999",
		"member;range= 0-*",
	};
	struct ad_range r = { 99, 99, 99, 99 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ad_range_parse(bad[i], &r) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	/* r untouched on failure */
	assert_int_equal(r.baselen, 99);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_open_end_gives_start_and_star),
		cmocka_unit_test(test_range_closed_window_gives_start_and_end),
		cmocka_unit_test(test_range_option_name_is_case_insensitive),
		cmocka_unit_test(test_range_plain_and_other_options_are_not_ranged),
		cmocka_unit_test(test_range_keeps_options_before_and_after),
		cmocka_unit_test(test_range_malformed_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
