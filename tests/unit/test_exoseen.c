/* agent/exoseen.c: WhenChangedUTC read as Exchange serves it; pairs seen. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "agent/exoseen.h"

static void
test_exo_time_reads_the_forms_exchange_serves(void **state)
{
	time_t t;
	char s[21];

	(void)state;
	assert_true(agent_exo_parse_time("2026-12-05T10:11:12Z", &t));
	assert_int_equal((long long)t, 1796465472LL);
	assert_true(agent_exo_parse_time("2026-12-05T10:11:12.1234567Z", &t));
	assert_int_equal((long long)t, 1796465472LL);
	assert_true(agent_exo_parse_time("2026-12-05T11:11:12+01:00", &t));
	assert_int_equal((long long)t, 1796465472LL);
	assert_true(agent_exo_parse_time("2026-12-05T10:11:12", &t));
	assert_int_equal((long long)t, 1796465472LL);
	assert_true(agent_exo_parse_time("1970-01-01T00:00:00Z", &t));
	assert_int_equal((long long)t, 0);
	assert_true(agent_exo_parse_time("2024-02-29T00:00:00Z", &t));
	assert_int_equal((long long)t, 1709164800LL);
	assert_string_equal(sb_utc_text(1796465472, s, sizeof(s)),
	    "2026-12-05T10:11:12Z");
}

static void
test_exo_time_refuses_what_is_not_a_time(void **state)
{
	time_t t = 7;

	(void)state;
	assert_false(agent_exo_parse_time(NULL, &t));
	assert_false(agent_exo_parse_time("", &t));
	assert_false(agent_exo_parse_time("12/05/2026 10:11:12", &t));
	assert_false(agent_exo_parse_time("2026-13-05T10:11:12Z", &t));
	assert_false(agent_exo_parse_time("2026-12-05T10:11:12Zjunk", &t));
	assert_false(agent_exo_parse_time("2026-12-05T10:11:12+0100", &t));
	assert_int_equal((long long)t, 7);
}

static void
test_exo_seen_remembers_pairs_and_forgets_old_ones(void **state)
{
	struct agent_exo_seen s = { 0 };
	struct sb_error err = { 0 };

	(void)state;
	assert_false(agent_exo_seen_has(&s, "a", 100));
	assert_int_equal(agent_exo_seen_add(&s, "a", 100, &err), SB_OK);
	assert_int_equal(agent_exo_seen_add(&s, "A", 100, &err), SB_OK);
	assert_int_equal(s.n, 1);
	assert_true(agent_exo_seen_has(&s, "A", 100));
	/* the same mailbox changed again is a new change */
	assert_false(agent_exo_seen_has(&s, "a", 101));
	assert_int_equal(agent_exo_seen_add(&s, "b", 200, &err), SB_OK);
	agent_exo_seen_prune(&s, 150);
	assert_false(agent_exo_seen_has(&s, "a", 100));
	assert_true(agent_exo_seen_has(&s, "b", 200));
	agent_exo_seen_free(&s);
	assert_int_equal(s.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exo_time_reads_the_forms_exchange_serves),
		cmocka_unit_test(test_exo_time_refuses_what_is_not_a_time),
		cmocka_unit_test(
		    test_exo_seen_remembers_pairs_and_forgets_old_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
