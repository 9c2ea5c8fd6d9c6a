/* Unit tests of agent/store/undo.c: the revert of one object's journal rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/store/undo.h"
#include "test_agent.h"

/* The rows run 5 journaled for Ann: proxyAddresses and title changed. */
static void
ann_rows(struct journal_rows *r)
{
	struct change c;

	fx_change(&c, FX_ANN);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_DELETE, "SMTP:ann@x",
	    "smtp:old@x", NULL, "smtp:old@x", NULL);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, "SMTP:ann@x",
	    "smtp:old@x", NULL, "smtp:new@x", NULL);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "Engineer", NULL, "Lead",
	    NULL);
	fx_delta(&c, "extensionAttribute2", MAP_DELTA_REPLACE, NULL, "EMEA",
	    NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, 5, 0, r,
	    NULL), SB_OK);
	map_change_clear(&c);
}

static const struct revert_ctx run5 = { 5, "undo of run 5", NULL, NULL, 0,
    NULL, 0, NULL, 0, NULL };

static const struct delta *
delta(const struct change *c, const char *attr, enum delta_op op)
{
	size_t i;

	for (i = 0; i < c->ndeltas; i++)
		if (strcmp(c->deltas[i].attr, attr) == 0 &&
		    c->deltas[i].op == op)
			return &c->deltas[i];
	return NULL;
}

static void
test_undo_puts_back_every_value_ad_still_holds_from_the_run(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = fx_obj(FX_ANN);
	const struct delta *d;
	long conflicts = 0;
	size_t added;

	(void)state;
	ann_rows(&r);
	fx_attr(o, "proxyAddresses", "SMTP:ann@x", "smtp:new@x", NULL);
	fx_attr(o, "title", "Lead", NULL);
	fx_attr(o, "extensionAttribute2", "EMEA", NULL);
	assert_int_equal(agent_undo_object(p, r.v, r.n, o, &run5, &conflicts,
	    &added, NULL), SB_OK);
	assert_int_equal(added, 1);
	assert_int_equal(conflicts, 0);
	assert_int_equal(p->nchanges, 1);
	assert_string_equal(p->changes[0].rule, "undo of run 5");
	d = delta(&p->changes[0], "proxyAddresses", MAP_DELTA_DELETE);
	assert_non_null(d);
	assert_true(fx_same(d->vals, d->nvals, "smtp:new@x", NULL));
	d = delta(&p->changes[0], "proxyAddresses", MAP_DELTA_ADD);
	assert_non_null(d);
	assert_true(fx_same(d->vals, d->nvals, "smtp:old@x", NULL));
	d = delta(&p->changes[0], "title", MAP_DELTA_REPLACE);
	assert_non_null(d);
	assert_true(fx_same(d->vals, d->nvals, "Engineer", NULL));
	assert_true(fx_same(d->before, d->nbefore, "Lead", NULL));
	/* It had no value before: cleared. */
	d = delta(&p->changes[0], "extensionAttribute2", MAP_DELTA_DELETE);
	assert_non_null(d);
	assert_int_equal(d->nvals, 0);
	agent_journal_rows_free(&r);
	dirobj_free(o);
	map_plan_free(p);
}

static void
test_undo_leaves_a_value_changed_since_and_reports_a_conflict(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = fx_obj(FX_ANN);
	long conflicts = 0;
	size_t added;

	(void)state;
	ann_rows(&r);
	/* Someone set the title and added an address of their own since. */
	fx_attr(o, "proxyAddresses", "SMTP:ann@x", "smtp:new@x",
	    "smtp:theirs@x", NULL);
	fx_attr(o, "title", "Manager", NULL);
	fx_attr(o, "extensionAttribute2", "EMEA", NULL);
	assert_int_equal(agent_undo_object(p, r.v, r.n, o, &run5, &conflicts,
	    &added, NULL), SB_OK);
	assert_int_equal(conflicts, 1);
	assert_int_equal(p->nchanges, 1);
	assert_null(delta(&p->changes[0], "title", MAP_DELTA_REPLACE));
	assert_non_null(delta(&p->changes[0], "proxyAddresses",
	    MAP_DELTA_DELETE));
	assert_int_equal(p->nfindings, 1);
	assert_int_equal(p->findings[0].kind, MAP_FINDING_REFUSED);
	assert_string_equal(p->findings[0].attr, "title");
	assert_non_null(strstr(p->findings[0].message, "conflict: AD holds "
	    "\"Manager\", not what run 5 wrote (\"Lead\")"));
	agent_journal_rows_free(&r);
	dirobj_free(o);
	map_plan_free(p);
}

static void
test_undo_of_what_is_already_back_changes_nothing(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = fx_obj(FX_ANN);
	long conflicts = 0;
	size_t added;

	(void)state;
	ann_rows(&r);
	fx_attr(o, "proxyAddresses", "SMTP:ann@x", "smtp:old@x", NULL);
	fx_attr(o, "title", "Engineer", NULL);
	assert_int_equal(agent_undo_object(p, r.v, r.n, o, &run5, &conflicts,
	    &added, NULL), SB_OK);
	assert_int_equal(added, 0);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(p->nfindings, 0);
	assert_int_equal(conflicts, 0);
	agent_journal_rows_free(&r);
	dirobj_free(o);
	map_plan_free(p);
}

static void
test_undo_of_an_object_gone_from_ad_is_a_conflict(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct plan *p = map_plan_new();
	long conflicts = 0;
	size_t added;

	(void)state;
	ann_rows(&r);
	assert_int_equal(agent_undo_object(p, r.v, r.n, NULL, &run5, &conflicts,
	    &added, NULL), SB_OK);
	assert_int_equal(added, 0);
	assert_int_equal(conflicts, 3);
	assert_int_equal(p->nfindings, 1);
	assert_string_equal(p->findings[0].dn, FX_ANN);
	agent_journal_rows_free(&r);
	map_plan_free(p);
}

static void
test_undo_of_a_move_moves_the_group_back(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = fx_obj("CN=G,OU=B,DC=corp,DC=example");
	struct change c;
	long conflicts = 0;
	size_t added;

	(void)state;
	fx_change(&c, "CN=G,OU=A,DC=corp,DC=example");
	c.op = MAP_CHANGE_RENAME;
	c.new_rdn = strdup("CN=G");
	c.new_superior = strdup("OU=B,DC=corp,DC=example");
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, 5, 0, &r,
	    NULL), SB_OK);
	assert_int_equal(agent_undo_object(p, r.v, r.n, o, &run5, &conflicts,
	    &added, NULL), SB_OK);
	assert_int_equal(added, 1);
	assert_int_equal(conflicts, 0);
	assert_int_equal(p->changes[0].op, MAP_CHANGE_RENAME);
	assert_string_equal(p->changes[0].new_superior,
	    "OU=A,DC=corp,DC=example");
	agent_journal_rows_free(&r);
	map_change_clear(&c);
	dirobj_free(o);
	map_plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undo_puts_back_every_value_ad_still_holds_from_the_run),
		cmocka_unit_test(test_undo_leaves_a_value_changed_since_and_reports_a_conflict),
		cmocka_unit_test(test_undo_of_what_is_already_back_changes_nothing),
		cmocka_unit_test(test_undo_of_an_object_gone_from_ad_is_a_conflict),
		cmocka_unit_test(test_undo_of_a_move_moves_the_group_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
