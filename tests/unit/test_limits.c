/* Unit tests of agent/limits.c: what counts as a change and a delete, and the refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/limits.h"
#include "test_agent.h"

static void
take(struct plan *p, struct change *c)
{
	assert_int_equal(map_plan_take_change(p, c, NULL), SB_OK);
}

static void
test_limits_count_values_added_removed_and_attributes_replaced(void **state)
{
	struct agent_limit_counts n;
	struct plan *p = map_plan_new();
	struct change c;

	(void)state;
	fx_change(&c, FX_ANN);
	/* 2 values added, 1 removed */
	fx_delta(&c, "proxyAddresses", MAP_DELTA_DELETE, "a", "b", NULL, "b",
	    NULL);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, "a", "b", NULL, "c", "d",
	    NULL);
	/* one replace, whatever it replaces */
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "x", NULL, "y", NULL);
	/* a clear removes each value it held */
	fx_delta(&c, "extensionAttribute1", MAP_DELTA_DELETE, "old", NULL,
	    NULL);
	take(p, &c);
	agent_limits_count(p, &n);
	assert_int_equal(n.changes, 5);
	assert_int_equal(n.deletes, 2);
	map_plan_free(p);
}

static void
test_limits_count_objects_created_and_deleted_once(void **state)
{
	struct agent_limit_counts n;
	struct plan *p = map_plan_new();
	struct change c;

	(void)state;
	fx_change(&c, "CN=G,OU=Groups,DC=corp,DC=example");
	c.op = MAP_CHANGE_ADD;
	fx_delta(&c, "member", MAP_DELTA_ADD, NULL, "CN=a", "CN=b", NULL);
	take(p, &c);
	fx_change(&c, "CN=Old,OU=Groups,DC=corp,DC=example");
	c.op = MAP_CHANGE_DELETE;
	fx_delta(&c, "member", MAP_DELTA_DELETE, "CN=a", "CN=b", "CN=c", NULL,
	    NULL);
	take(p, &c);
	fx_change(&c, "CN=Moved,OU=Groups,DC=corp,DC=example");
	c.op = MAP_CHANGE_RENAME;
	take(p, &c);
	agent_limits_count(p, &n);
	/* created (1) with 2 values, deleted (1, its values not again), moved (1) */
	assert_int_equal(n.changes, 5);
	assert_int_equal(n.deletes, 1);
	map_plan_free(p);
}

static void
test_limits_refuse_naming_the_limit_and_the_excess(void **state)
{
	struct agent_limit_counts n = { 30, 12 };
	struct sb_error err;

	(void)state;
	assert_int_equal(agent_limits_check(&n, AGENT_LIMIT_CHANGES, 10, &err),
	    SB_REFUSED);
	assert_non_null(strstr(err.text, "the plan has 30 changes, 20 over "
	    "max_changes = 10: nothing written"));
	assert_int_equal(agent_limits_check(&n, AGENT_LIMIT_DELETES, 10, &err),
	    SB_REFUSED);
	assert_non_null(strstr(err.text, "removes 12 values or objects, 2 "
	    "over max_deletes = 10"));
	assert_int_equal(agent_limits_check(&n, AGENT_LIMIT_CHANGES, 30, &err),
	    SB_OK);
	assert_int_equal(agent_limits_check(&n, AGENT_LIMIT_DELETES, 12, &err),
	    SB_OK);
}

static void
test_limits_an_empty_plan_passes_a_zero_limit(void **state)
{
	struct agent_limit_counts n;
	struct plan *p = map_plan_new();

	(void)state;
	agent_limits_count(p, &n);
	assert_int_equal(n.changes, 0);
	assert_int_equal(agent_limits_check(&n, AGENT_LIMIT_CHANGES, 0, NULL),
	    SB_OK);
	map_plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_count_values_added_removed_and_attributes_replaced),
		cmocka_unit_test(test_limits_count_objects_created_and_deleted_once),
		cmocka_unit_test(test_limits_refuse_naming_the_limit_and_the_excess),
		cmocka_unit_test(test_limits_an_empty_plan_passes_a_zero_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
