/* Unit tests of agent/store/revert.c: undoing a group's creation, move and deletion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/store/revert.h"
#include "test_agent.h"

#define G_DN	"CN=SG-New,OU=Cloud,DC=corp,DC=example"
#define G_OLD	"CN=SG-Ops,OU=Groups,DC=corp,DC=example"
#define G_NEW	"CN=SG-Ops,OU=Team,OU=Groups,DC=corp,DC=example"
#define G_ID	"Group_20000000-0000-4000-8000-000000000001"

static struct revert_ctx
ctx(void)
{
	struct revert_ctx x;

	memset(&x, 0, sizeof(x));
	x.of_run = 5;
	x.rule = "undo of run 5";
	return x;
}

/* Appends the rows of change c (run 5, seq), marked applied, to all. */
static void
take_rows(struct change *c, long seq, struct journal_rows *all)
{
	struct journal_rows r = { NULL, 0 };
	struct journal_row *nv;
	size_t i;

	assert_int_equal(agent_journal_from_change(c, "", 5, seq, &r, NULL),
	    SB_OK);
	nv = realloc(all->v, (all->n + r.n) * sizeof(*nv));
	assert_non_null(nv);
	all->v = nv;
	for (i = 0; i < r.n; i++) {
		r.v[i].state = JOURNAL_APPLIED;
		all->v[all->n++] = r.v[i];
	}
	free(r.v);
	map_change_clear(c);
}

/* Run 5 created SG-New (seq 0) and added Ann to it (seq 1). */
static void
created_rows(struct journal_rows *all)
{
	struct change c;

	fx_change(&c, G_DN);
	c.op = MAP_CHANGE_ADD;
	fx_delta(&c, "adminDescription", MAP_DELTA_ADD, NULL, G_ID, NULL);
	fx_delta(&c, "groupType", MAP_DELTA_ADD, NULL, "-2147483646", NULL);
	fx_delta(&c, "objectClass", MAP_DELTA_ADD, NULL, "group", NULL);
	fx_delta(&c, "sAMAccountName", MAP_DELTA_ADD, NULL, "SG-New", NULL);
	take_rows(&c, 0, all);
	fx_change(&c, G_DN);
	fx_delta(&c, "member", MAP_DELTA_ADD, NULL, FX_ANN, NULL);
	take_rows(&c, 1, all);
}

/* SG-New as AD holds it now: as created, with Ann. */
static struct dirobj *
created_group(void)
{
	struct dirobj *o = fx_obj(G_DN);

	o->kind = DIROBJ_GROUP;
	fx_attr(o, "adminDescription", G_ID, NULL);
	fx_attr(o, "groupType", "-2147483646", NULL);
	fx_attr(o, "objectClass", "top", "group", NULL);
	fx_attr(o, "sAMAccountName", "SG-New", NULL);
	fx_attr(o, "member", FX_ANN, NULL);
	return o;
}

/* Reverts the creation (rows 0..3 of all) given o; returns changes added. */
static size_t
revert_creation(struct plan *p, const struct journal_rows *all,
    const struct dirobj *o, long *conflicts)
{
	struct revert_ctx x = ctx();
	struct sb_bytes *ours = NULL, *parents = NULL;
	size_t added;

	assert_int_equal(agent_revert_run_members(all->v, all->n, 0, G_DN, "",
	    &ours, &x.nours, &parents, &x.nparents, NULL), SB_OK);
	x.ours = ours;
	x.parents = parents;
	assert_int_equal(agent_revert_add(p, all->v, 4, o, &x, conflicts,
	    &added, NULL), SB_OK);
	free(ours);
	free(parents);
	return added;
}

static void
test_revert_deletes_a_created_group_holding_only_the_runs_members(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = created_group();
	long conflicts = 0;

	(void)state;
	created_rows(&all);
	assert_int_equal(revert_creation(p, &all, o, &conflicts), 1);
	assert_int_equal(conflicts, 0);
	assert_int_equal(p->changes[0].op, MAP_CHANGE_DELETE);
	assert_string_equal(p->changes[0].dn, G_DN);
	assert_string_equal(p->changes[0].rule, "undo of run 5");
	/* The before-image for the journal; not the members (undone first). */
	assert_int_equal(p->changes[0].ndeltas, 4);
	agent_journal_rows_free(&all);
	dirobj_free(o);
	map_plan_free(p);
}

static void
test_revert_keeps_a_created_group_someone_added_a_member_to(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = created_group();
	long conflicts = 0;

	(void)state;
	created_rows(&all);
	fx_attr(o, "member", FX_ANN, FX_BOB, NULL);
	assert_int_equal(revert_creation(p, &all, o, &conflicts), 0);
	assert_int_equal(conflicts, 1);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(p->findings[0].kind, MAP_FINDING_REFUSED);
	assert_non_null(strstr(p->findings[0].message, "holds 1 member it did "
	    "not write (\"" FX_BOB "\"): not deleted"));
	agent_journal_rows_free(&all);
	dirobj_free(o);
	map_plan_free(p);
}

static void
test_revert_keeps_a_created_group_nested_or_renamed_since(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = created_group();
	long conflicts = 0;

	(void)state;
	created_rows(&all);
	fx_attr(o, "memberOf", "CN=Other,DC=corp,DC=example", NULL);
	assert_int_equal(revert_creation(p, &all, o, &conflicts), 0);
	fx_attr(o, "memberOf", NULL);
	fx_attr(o, "sAMAccountName", "SG-Renamed", NULL);
	assert_int_equal(revert_creation(p, &all, o, &conflicts), 0);
	dirobj_set_str(&o->dn, "CN=SG-New,OU=Elsewhere,DC=corp,DC=example",
	    NULL);
	assert_int_equal(revert_creation(p, &all, o, &conflicts), 0);
	assert_int_equal(revert_creation(p, &all, NULL, &conflicts), 0);
	assert_int_equal(conflicts, 4);
	assert_int_equal(p->nchanges, 0);
	assert_non_null(strstr(p->findings[0].message, "made a member of 1 "
	    "group since"));
	assert_non_null(strstr(p->findings[1].message, "now has "
	    "sAMAccountName \"SG-Renamed\", not \"SG-New\""));
	assert_non_null(strstr(p->findings[2].message, "moved or renamed "
	    "since by someone else: not deleted"));
	assert_non_null(strstr(p->findings[3].message, "no longer in AD"));
	agent_journal_rows_free(&all);
	dirobj_free(o);
	map_plan_free(p);
}

static void
test_revert_counts_the_groups_the_run_nested_a_created_group_in(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct plan *p = map_plan_new();
	struct dirobj *o = created_group();
	struct change c;
	long conflicts = 0;

	(void)state;
	created_rows(&all);
	fx_change(&c, "CN=Parent,DC=corp,DC=example");
	fx_delta(&c, "member", MAP_DELTA_ADD, NULL, G_DN, NULL);
	take_rows(&c, 2, &all);
	fx_attr(o, "memberOf", "CN=Parent,DC=corp,DC=example", NULL);
	assert_int_equal(revert_creation(p, &all, o, &conflicts), 1);
	assert_int_equal(conflicts, 0);
	agent_journal_rows_free(&all);
	dirobj_free(o);
	map_plan_free(p);
}

/* Run 5 moved SG-Ops from OU=Groups into OU=Team. */
static void
moved_rows(struct journal_rows *all)
{
	struct change c;

	fx_change(&c, G_OLD);
	c.op = MAP_CHANGE_RENAME;
	c.new_rdn = strdup("CN=SG-Ops");
	c.new_superior = strdup("OU=Team,OU=Groups,DC=corp,DC=example");
	take_rows(&c, 0, all);
}

static void
test_revert_moves_a_group_back_where_the_run_found_it(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct revert_ctx x = ctx();
	struct plan *p = map_plan_new();
	struct dirobj *o = fx_obj(G_NEW);
	long conflicts = 0;
	size_t added;

	(void)state;
	moved_rows(&all);
	assert_int_equal(agent_revert_rename(p, all.v, all.n, o, &x,
	    &conflicts, &added, NULL), SB_OK);
	assert_int_equal(added, 1);
	assert_int_equal(conflicts, 0);
	assert_int_equal(p->changes[0].op, MAP_CHANGE_RENAME);
	assert_string_equal(p->changes[0].dn, G_NEW);
	assert_string_equal(p->changes[0].new_rdn, "CN=SG-Ops");
	assert_string_equal(p->changes[0].new_superior,
	    "OU=Groups,DC=corp,DC=example");
	agent_journal_rows_free(&all);
	dirobj_free(o);
	map_plan_free(p);
}

static void
test_revert_leaves_a_group_moved_since_or_whose_old_dn_is_taken(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct revert_ctx x = ctx();
	struct plan *p = map_plan_new();
	struct dirobj *o = fx_obj("CN=SG-Ops,OU=Else,DC=corp,DC=example");
	struct dirobj *other = fx_obj(G_OLD);
	long conflicts = 0;
	size_t added;

	(void)state;
	moved_rows(&all);
	assert_int_equal(agent_revert_rename(p, all.v, all.n, o, &x,
	    &conflicts, &added, NULL), SB_OK);
	dirobj_set_str(&o->dn, G_NEW, NULL);
	x.taken = other;
	assert_int_equal(agent_revert_rename(p, all.v, all.n, o, &x,
	    &conflicts, &added, NULL), SB_OK);
	/* Already back: nothing to do, no conflict. */
	dirobj_set_str(&o->dn, G_OLD, NULL);
	x.taken = NULL;
	assert_int_equal(agent_revert_rename(p, all.v, all.n, o, &x,
	    &conflicts, &added, NULL), SB_OK);
	assert_int_equal(conflicts, 2);
	assert_int_equal(p->nchanges, 0);
	assert_non_null(strstr(p->findings[0].message, "moved or renamed "
	    "since by someone else: not moved back"));
	assert_non_null(strstr(p->findings[1].message, "is taken by another "
	    "object since"));
	agent_journal_rows_free(&all);
	dirobj_free(o);
	dirobj_free(other);
	map_plan_free(p);
}

/* Run 5 deleted SG-Old: its before-image. */
static void
deleted_rows(struct journal_rows *all)
{
	struct change c;

	fx_change(&c, G_OLD);
	c.op = MAP_CHANGE_DELETE;
	fx_delta(&c, "adminDescription", MAP_DELTA_DELETE, G_ID, NULL, NULL);
	fx_delta(&c, "description", MAP_DELTA_DELETE, "Ops team", NULL, NULL);
	fx_delta(&c, "groupType", MAP_DELTA_DELETE, "-2147483646", NULL, NULL);
	fx_delta(&c, "member", MAP_DELTA_DELETE, FX_ANN, FX_BOB, NULL, NULL);
	fx_delta(&c, "objectClass", MAP_DELTA_DELETE, "top", "group", NULL,
	    NULL);
	fx_delta(&c, "sAMAccountName", MAP_DELTA_DELETE, "SG-Ops", NULL, NULL);
	take_rows(&c, 0, all);
}

static const struct delta *
find(const struct change *c, const char *attr)
{
	size_t i;

	for (i = 0; i < c->ndeltas; i++)
		if (strcmp(c->deltas[i].attr, attr) == 0)
			return &c->deltas[i];
	return NULL;
}

static void
test_revert_creates_a_deleted_group_again_with_its_members(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct revert_ctx x = ctx();
	struct plan *p = map_plan_new();
	struct dirobj *img = NULL;
	struct sb_bytes bob = fx_b(FX_BOB);
	const struct delta *d;
	long conflicts = 0;
	size_t added;

	(void)state;
	deleted_rows(&all);
	x.gone = &bob;		/* Bob was deleted since */
	x.ngone = 1;
	x.recreated = &img;
	assert_int_equal(agent_revert_delete(p, all.v, all.n, NULL, &x,
	    &conflicts, &added, NULL), SB_OK);
	assert_int_equal(added, 2);
	assert_int_equal(p->changes[0].op, MAP_CHANGE_ADD);
	assert_string_equal(p->changes[0].dn, G_OLD);
	assert_int_equal(p->changes[0].part, 1);
	assert_int_equal(p->changes[0].nparts, 2);
	d = find(&p->changes[0], "objectClass");
	assert_true(fx_same(d->vals, d->nvals, "group", NULL));
	d = find(&p->changes[0], "sAMAccountName");
	assert_true(fx_same(d->vals, d->nvals, "SG-Ops", NULL));
	assert_non_null(find(&p->changes[0], "description"));
	assert_non_null(find(&p->changes[0], "adminDescription"));
	assert_null(find(&p->changes[0], "member"));
	assert_int_equal(p->changes[1].op, MAP_CHANGE_MODIFY);
	d = find(&p->changes[1], "member");
	assert_int_equal(d->op, MAP_DELTA_ADD);
	assert_true(fx_same(d->vals, d->nvals, FX_ANN, NULL));
	/* Bob is someone else's change: reported, not put back. */
	assert_int_equal(conflicts, 1);
	assert_non_null(strstr(p->findings[0].message, "1 member of the group "
	    "run 5 deleted is no longer in AD"));
	assert_non_null(img);
	assert_true(fx_same(dirobj_get(img, "member")->vals,
	    dirobj_get(img, "member")->nvals, FX_ANN, NULL));
	dirobj_free(img);
	agent_journal_rows_free(&all);
	map_plan_free(p);
}

static void
test_revert_does_not_create_a_group_whose_dn_is_taken(void **state)
{
	struct journal_rows all = { NULL, 0 };
	struct revert_ctx x = ctx();
	struct plan *p = map_plan_new();
	struct dirobj *other = fx_obj(G_OLD);
	long conflicts = 0;
	size_t added;

	(void)state;
	deleted_rows(&all);
	x.taken = other;
	assert_int_equal(agent_revert_delete(p, all.v, all.n, NULL, &x,
	    &conflicts, &added, NULL), SB_OK);
	x.taken = NULL;
	assert_int_equal(agent_revert_delete(p, all.v, all.n, other, &x,
	    &conflicts, &added, NULL), SB_OK);
	assert_int_equal(added, 0);
	assert_int_equal(conflicts, 2);
	assert_int_equal(p->nchanges, 0);
	assert_non_null(strstr(p->findings[0].message, "taken by another "
	    "object since: not created again"));
	assert_non_null(strstr(p->findings[1].message, "Recycle Bin"));
	agent_journal_rows_free(&all);
	dirobj_free(other);
	map_plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_revert_deletes_a_created_group_holding_only_the_runs_members),
		cmocka_unit_test(test_revert_keeps_a_created_group_someone_added_a_member_to),
		cmocka_unit_test(test_revert_keeps_a_created_group_nested_or_renamed_since),
		cmocka_unit_test(test_revert_counts_the_groups_the_run_nested_a_created_group_in),
		cmocka_unit_test(test_revert_moves_a_group_back_where_the_run_found_it),
		cmocka_unit_test(test_revert_leaves_a_group_moved_since_or_whose_old_dn_is_taken),
		cmocka_unit_test(test_revert_creates_a_deleted_group_again_with_its_members),
		cmocka_unit_test(test_revert_does_not_create_a_group_whose_dn_is_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
