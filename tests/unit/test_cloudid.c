/* Unit tests of mapping/cloudid.c: which Graph object ids soabridge uses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/cloudid.h"

static void
test_cloudid_real_graph_ids_pass(void **state)
{
	(void)state;
	assert_true(map_cloudid_valid("5b3c0a5e-1111-4c2e-9a1b-000000000001"));
	assert_true(map_cloudid_valid("5B3C0A5E11114C2E9A1B000000000001"));
	assert_true(map_cloudid_valid("x"));
}

static void
test_cloudid_long_empty_and_odd_ids_are_refused(void **state)
{
	char id[201], why[96];

	(void)state;
	memset(id, 'a', 200);
	id[200] = '\0';
	assert_false(map_cloudid_valid(id));
	assert_string_equal(map_cloudid_why(id, why, sizeof(why)),
	    "200 characters, at most 64");
	id[MAP_CLOUDID_MAX] = '\0';
	assert_true(map_cloudid_valid(id));
	id[MAP_CLOUDID_MAX + 1] = '\0';
	id[MAP_CLOUDID_MAX] = 'a';
	assert_false(map_cloudid_valid(id));
	assert_false(map_cloudid_valid(NULL));
	assert_false(map_cloudid_valid(""));
	assert_string_equal(map_cloudid_why("", why, sizeof(why)), "empty");
	/* What would change a URL path, or a log line. */
	assert_false(map_cloudid_valid("../users"));
	assert_string_equal(map_cloudid_why("../users", why, sizeof(why)),
	    "holds '.'; only letters, digits and '-'");
	assert_false(map_cloudid_valid("a\tb"));
	assert_string_equal(map_cloudid_why("a\tb", why, sizeof(why)),
	    "holds a control character");
	assert_false(map_cloudid_valid("caf\xc3\xa9"));
	assert_string_equal(map_cloudid_why("ok-id", why, sizeof(why)), "");
}

static void
test_cloudid_show_escapes_and_cuts(void **state)
{
	char id[201], buf[MAP_CLOUDID_SHOW_SIZE];

	(void)state;
	assert_string_equal(map_cloudid_show("a\x07\\b", buf, sizeof(buf)),
	    "a\\x07\\x5cb");
	memset(id, 'a', 200);
	id[200] = '\0';
	map_cloudid_show(id, buf, sizeof(buf));
	assert_int_equal(strspn(buf, "a"), 60);
	assert_string_equal(buf + 60, "... (200 characters)");
	/* A small buffer cuts, never overflows. */
	assert_string_equal(map_cloudid_show("abcdef", buf, 4), "abc");
	assert_string_equal(map_cloudid_show(NULL, buf, sizeof(buf)), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cloudid_real_graph_ids_pass),
		cmocka_unit_test(test_cloudid_long_empty_and_odd_ids_are_refused),
		cmocka_unit_test(test_cloudid_show_escapes_and_cuts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
