/* cloud/httpbudget.c: the cycle's cloud budget, counted and spent. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cloud/httpbudget.h"

static void
test_budget_defaults_are_the_documented_constants(void **state)
{
	struct cloud_budget b;

	(void)state;
	cloud_budget_init(&b, 0, 0);
	assert_int_equal(b.max_requests, CLOUD_CYCLE_REQUESTS_MAX);
	assert_int_equal(b.max_wait_ms, CLOUD_CYCLE_WAIT_MAX_S * 1000);
	cloud_budget_init(&b, 7, 3);
	assert_int_equal(b.max_requests, 7);
	assert_int_equal(b.max_wait_ms, 3000);
}

static void
test_budget_counts_requests_per_endpoint_then_refuses_past_the_cap(void **state)
{
	struct cloud_budget b;
	struct sb_error err = { 0 };

	(void)state;
	cloud_budget_init(&b, 3, 0);
	assert_int_equal(cloud_budget_request(&b, "graph.users", &err), SB_OK);
	assert_int_equal(cloud_budget_request(&b, "token", &err), SB_OK);
	assert_int_equal(cloud_budget_request(&b, "graph.users", &err), SB_OK);
	assert_int_equal(cloud_budget_request(&b, "exo.mailboxes", &err),
	    SB_RETRY);
	assert_string_equal(err.where, "cloud.budget");
	assert_non_null(strstr(err.text,
	    "exo.mailboxes: the cloud request "
	    "budget of this run is spent: 3 requests sent, at most 3 per run "
	    "(CLOUD_CYCLE_REQUESTS_MAX)"));
	assert_int_equal(b.requests, 3);
	assert_int_equal(b.nwhere, 2);
	assert_string_equal(b.by_where[0].where, "graph.users");
	assert_int_equal(b.by_where[0].requests, 2);
	assert_string_equal(b.by_where[1].where, "token");
	assert_int_equal(b.by_where[1].requests, 1);
}

static void
test_budget_refuses_a_wait_that_would_pass_the_cycles_cap(void **state)
{
	struct cloud_budget b;
	struct sb_error err = { 0 };

	(void)state;
	cloud_budget_init(&b, 0, 10);
	b.throttled = 2;
	assert_int_equal(cloud_budget_wait(&b, "graph.soa", 6000, &err), SB_OK);
	assert_int_equal(cloud_budget_wait(&b, "graph.soa", 4000, &err), SB_OK);
	assert_int_equal(b.waited_ms, 10000);
	assert_int_equal(b.retries, 2);
	/* not a millisecond more: the wait is refused, not shortened */
	assert_int_equal(cloud_budget_wait(&b, "graph.users", 1, &err),
	    SB_RETRY);
	assert_int_equal(b.waited_ms, 10000);
	assert_int_equal(b.retries, 2);
	assert_string_equal(err.where, "cloud.budget");
	assert_non_null(strstr(err.text,
	    "graph.users: the throttling budget "
	    "of this run is spent: waited 10 s for throttled requests, and "
	    "1 s more would pass the 10 s a run may wait "
	    "(CLOUD_CYCLE_WAIT_MAX_S)"));
	assert_non_null(strstr(err.text, "2 retries, 2 throttled"));
}

static void
test_budget_line_names_every_count_and_endpoint(void **state)
{
	struct cloud_budget b;
	struct sb_error err = { 0 };
	char line[512], small[120];
	int i;

	(void)state;
	cloud_budget_init(&b, 0, 0);
	for (i = 0; i < 3; i++)
		cloud_budget_request(&b, "graph.soa", &err);
	cloud_budget_request(&b, "exo.mailboxes", &err);
	cloud_budget_wait(&b, "graph.soa", 1500, &err);
	b.throttled = 1;
	b.paced_ms = 50;
	cloud_budget_format(&b, line, sizeof(line));
	assert_string_equal(line,
	    "requests=4 retries=1 throttled=1 "
	    "waited_ms=1500 paced_ms=50 max_requests=100000 max_wait_s=1800 "
	    "graph.soa=3 exo.mailboxes=1");
	/* cut to whole pairs */
	cloud_budget_format(&b, small, 110);
	assert_null(strstr(small, "exo.mailboxes"));
	assert_true(strlen(small) < 110);
}

static void
test_budget_keeps_counting_past_the_last_endpoint_slot(void **state)
{
	struct cloud_budget b;
	struct sb_error err = { 0 };
	char name[24];
	int i;

	(void)state;
	cloud_budget_init(&b, 0, 0);
	for (i = 0; i < CLOUD_BUDGET_WHERE_MAX + 4; i++) {
		snprintf(name, sizeof(name), "where.%d", i);
		assert_int_equal(cloud_budget_request(&b, name, &err), SB_OK);
	}
	assert_int_equal(b.nwhere, CLOUD_BUDGET_WHERE_MAX);
	assert_int_equal(b.requests, CLOUD_BUDGET_WHERE_MAX + 4);
	assert_string_equal(b.by_where[CLOUD_BUDGET_WHERE_MAX - 1].where,
	    "other");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_budget_defaults_are_the_documented_constants),
		cmocka_unit_test(
		    test_budget_counts_requests_per_endpoint_then_refuses_past_the_cap),
		cmocka_unit_test(
		    test_budget_refuses_a_wait_that_would_pass_the_cycles_cap),
		cmocka_unit_test(
		    test_budget_line_names_every_count_and_endpoint),
		cmocka_unit_test(
		    test_budget_keeps_counting_past_the_last_endpoint_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
