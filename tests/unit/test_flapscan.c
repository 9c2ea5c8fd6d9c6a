/* Unit tests of agent/store/flapscan.c: the value-by-value revert test, pure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/store/flapscan.h"
#include "test_agent.h"

/* Up to two values (NULL: none). */
struct vals {
	struct sb_bytes	v[4];
	size_t		n;
};

static struct vals
vals(const char *a, const char *b)
{
	struct vals x = { { { NULL, 0 } }, 0 };

	if (a != NULL)
		x.v[x.n++] = fx_b(a);
	if (b != NULL)
		x.v[x.n++] = fx_b(b);
	return x;
}

/* A scan of attr for a plan row before -> after. */
static struct flapscan *
scan(const char *attr, struct vals before, struct vals after)
{
	struct journal_row row;
	struct flapscan *s = NULL;

	memset(&row, 0, sizeof(row));
	row.attr = (char *)(uintptr_t)attr;
	row.before = before.v;
	row.nbefore = before.n;
	row.after = after.v;
	row.nafter = after.n;
	assert_int_equal(agent_flapscan_new(attr, &s, NULL), SB_OK);
	assert_int_equal(agent_flapscan_plan(s, &row, NULL), SB_OK);
	assert_int_equal(agent_flapscan_ready(s, NULL), SB_OK);
	return s;
}

static void
history(struct flapscan *s, struct vals before, struct vals after)
{
	assert_int_equal(agent_flapscan_history(s, before.v, before.n,
	    after.v, after.n, NULL), SB_OK);
}

static void
test_flapscan_values_never_written_are_growth(void **state)
{
	struct flapscan *s = scan("member", vals(NULL, NULL),
	    vals("CN=New,DC=x", NULL));

	(void)state;
	assert_int_equal(agent_flapscan_size(s), 1);
	history(s, vals(NULL, NULL), vals("CN=Old,DC=x", NULL));
	assert_false(agent_flapscan_done(s));
	assert_int_equal(agent_flapscan_reverts(s), 0);
	agent_flapscan_free(s);
}

static void
test_flapscan_the_newest_row_decides_and_ends_the_scan(void **state)
{
	struct flapscan *s = scan("member", vals(NULL, NULL),
	    vals("CN=A,DC=x", NULL));

	(void)state;
	/* Newest first: soabridge added A, before that it had removed it. */
	history(s, vals(NULL, NULL), vals("cn=a,dc=X", NULL));
	assert_true(agent_flapscan_done(s));
	history(s, vals("CN=A,DC=x", NULL), vals(NULL, NULL));
	assert_int_equal(agent_flapscan_reverts(s), 1);
	agent_flapscan_free(s);
}

static void
test_flapscan_a_value_kept_by_a_write_is_not_written_by_it(void **state)
{
	/* Single-valued: the plan sets title to Lead again. */
	struct flapscan *s = scan("title", vals("Engineer", NULL),
	    vals("Lead", NULL));

	(void)state;
	assert_int_equal(agent_flapscan_size(s), 2);
	/* A write that left Lead alone (a REPLACE of other values). */
	history(s, vals("Lead", "x"), vals("Lead", NULL));
	assert_false(agent_flapscan_done(s));
	history(s, vals("Engineer", NULL), vals("Lead", NULL));
	assert_true(agent_flapscan_done(s));
	/* Lead added again and Engineer removed again: two values. */
	assert_int_equal(agent_flapscan_reverts(s), 2);
	agent_flapscan_free(s);
}

static void
test_flapscan_booleans_compare_without_case(void **state)
{
	struct flapscan *s = scan("msExchHideFromAddressLists",
	    vals("FALSE", NULL), vals("TRUE", NULL));

	(void)state;
	history(s, vals("false", NULL), vals("true", NULL));
	assert_int_equal(agent_flapscan_reverts(s), 2);
	agent_flapscan_free(s);
	/* Exact attributes: a case change is another value. */
	s = scan("proxyAddresses", vals(NULL, NULL), vals("SMTP:a@x", NULL));
	history(s, vals(NULL, NULL), vals("smtp:a@x", NULL));
	assert_int_equal(agent_flapscan_reverts(s), 0);
	agent_flapscan_free(s);
}

static void
test_flapscan_one_plan_over_parts_and_attributes(void **state)
{
	struct flapscan_list l = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct change c;
	size_t idx[] = { 0, 1 };

	(void)state;
	assert_non_null(p);
	fx_change(&c, "CN=G,DC=x");
	fx_delta(&c, "member", MAP_DELTA_ADD, NULL, "CN=A,DC=x", NULL);
	fx_delta(&c, "description", MAP_DELTA_REPLACE, "o", NULL, "n", NULL);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	fx_change(&c, "CN=G,DC=x");
	fx_delta(&c, "member", MAP_DELTA_DELETE, "CN=B,DC=x", NULL,
	    "CN=B,DC=x", NULL);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	assert_int_equal(agent_flapscan_changes(p, idx, 2, FX_GUID_BOB, &l,
	    NULL), SB_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(agent_flapscan_attr(l.v[0]), "member");
	assert_int_equal(agent_flapscan_size(l.v[0]), 2);
	assert_string_equal(agent_flapscan_attr(l.v[1]), "description");
	agent_flapscan_list_free(&l);
	map_plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flapscan_values_never_written_are_growth),
		cmocka_unit_test(test_flapscan_the_newest_row_decides_and_ends_the_scan),
		cmocka_unit_test(test_flapscan_a_value_kept_by_a_write_is_not_written_by_it),
		cmocka_unit_test(test_flapscan_booleans_compare_without_case),
		cmocka_unit_test(test_flapscan_one_plan_over_parts_and_attributes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
