/*
 * Unit tests for agent/incremental.c's watermark rule: a uSNChanged
 * watermark holds only on the DC database it was read from.  A switch of DC
 * (a fail-over to another DC of ldap.uri or the SRV records, or the same
 * name restored from backup) means a full read, never a missed change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/incremental.h"

#define DC1 "5c2c9a1e-0b7e-4d34-9c3e-1d2f3a4b5c6d"
#define DC2 "a0b1c2d3-e4f5-4617-8899-aabbccddeeff"

static void
test_incr_same_dc_keeps_its_watermark(void **state)
{
	(void)state;
	assert_null(agent_incr_dc_unusable(DC1, "12345", DC1));
}

static void
test_incr_another_dc_reads_in_full(void **state)
{
	const char *why;

	(void)state;
	why = agent_incr_dc_unusable(DC1, "12345", DC2);
	assert_non_null(why);
	assert_non_null(strstr(why, "invocationId changed"));
	/* and back: the last full read's DC is what counts */
	assert_non_null(agent_incr_dc_unusable(DC2, "99", DC1));
}

static void
test_incr_unknown_dc_or_no_watermark_reads_in_full(void **state)
{
	(void)state;
	assert_non_null(agent_incr_dc_unusable(DC1, "12345", ""));
	assert_non_null(agent_incr_dc_unusable("", "", DC1));
	assert_non_null(agent_incr_dc_unusable(DC1, "", DC1));
	assert_non_null(agent_incr_dc_unusable("", "", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incr_same_dc_keeps_its_watermark),
		cmocka_unit_test(test_incr_another_dc_reads_in_full),
		cmocka_unit_test(
		    test_incr_unknown_dc_or_no_watermark_reads_in_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
