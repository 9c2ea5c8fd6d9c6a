/* Unit tests of agent/store/undomoves.c and undoguids.c: undo bookkeeping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/store/undoguids.h"
#include "agent/store/undomoves.h"
#include "test_agent.h"

#define FX_OLD	"CN=G,OU=Old,DC=corp,DC=example"

static void
test_undomoves_a_group_moved_back_is_found_by_its_guid(void **state)
{
	struct undo_moves m = { NULL, 0 };

	(void)state;
	assert_null(agent_undomoves_find(&m, FX_GUID_ANN));
	assert_int_equal(agent_undomoves_add(&m, FX_GUID_ANN, FX_OLD, NULL),
	    SB_OK);
	assert_string_equal(agent_undomoves_find(&m, FX_GUID_ANN), FX_OLD);
	assert_null(agent_undomoves_find(&m, FX_GUID_BOB));
	agent_undomoves_free(&m);
	agent_undomoves_free(NULL);
}

static void
test_undomoves_an_unknown_guid_never_matches(void **state)
{
	struct undo_moves m = { NULL, 0 };

	(void)state;
	assert_int_equal(agent_undomoves_add(&m, "", FX_OLD, NULL), SB_OK);
	assert_null(agent_undomoves_find(&m, ""));
	agent_undomoves_free(&m);
}

static void
test_undomoves_retarget_renames_only_the_changes_from_the_index_on(void **state)
{
	struct plan *p = map_plan_new();
	struct change c;

	(void)state;
	assert_non_null(p);
	fx_change(&c, FX_ANN);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	fx_change(&c, FX_BOB);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	assert_int_equal(agent_undomoves_retarget(p, 1, FX_OLD, NULL), SB_OK);
	assert_string_equal(p->changes[0].dn, FX_ANN);
	assert_string_equal(p->changes[1].dn, FX_OLD);
	map_plan_free(p);
}

static void
test_undoguids_grow_with_the_plan_and_keep_earlier_guids(void **state)
{
	struct undo_guids g = { NULL, NULL };

	(void)state;
	assert_int_equal(agent_undoguids_set(&g, 0, 0, FX_GUID_ANN, NULL),
	    SB_OK);
	assert_null(g.v);
	assert_int_equal(agent_undoguids_set(&g, 2, 0, FX_GUID_ANN, NULL),
	    SB_OK);
	assert_int_equal(agent_undoguids_set(&g, 3, 2, "", NULL), SB_OK);
	assert_string_equal(g.v[0], FX_GUID_ANN);
	assert_string_equal(g.v[1], FX_GUID_ANN);
	assert_string_equal(g.v[2], "");
	agent_undoguids_free(&g);
	agent_undoguids_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undomoves_a_group_moved_back_is_found_by_its_guid),
		cmocka_unit_test(test_undomoves_an_unknown_guid_never_matches),
		cmocka_unit_test(test_undomoves_retarget_renames_only_the_changes_from_the_index_on),
		cmocka_unit_test(test_undoguids_grow_with_the_plan_and_keep_earlier_guids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
