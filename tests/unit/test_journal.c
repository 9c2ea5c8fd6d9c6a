/* Unit tests of agent/store/journal.c: rows from changes, what AD holds, values, states. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "agent/store/journal.h"
#include "agent/store/position.h"
#include "test_agent.h"

static struct agent_state *
mem_state(long long *run)
{
	struct agent_state *s = NULL;

	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	assert_int_equal(agent_state_run_begin(s, "sync", 0, run, NULL),
	    SB_OK);
	return s;
}

static void
test_journal_one_row_per_attribute_with_before_and_after(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct change c;

	(void)state;
	fx_change(&c, FX_ANN);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_DELETE, "SMTP:a@x", "smtp:old@x",
	    NULL, "smtp:old@x", NULL);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, "SMTP:a@x", "smtp:old@x",
	    NULL, "smtp:new@x", NULL);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "Engineer", NULL, "Lead",
	    NULL);
	fx_delta(&c, "extensionAttribute3", MAP_DELTA_DELETE, "stale", NULL,
	    NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, 7, 3, &r,
	    NULL), SB_OK);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.v[0].attr, "proxyAddresses");
	assert_int_equal(r.v[0].mode, JOURNAL_VALUES);
	assert_true(fx_same(r.v[0].before, r.v[0].nbefore, "SMTP:a@x",
	    "smtp:old@x", NULL));
	assert_true(fx_same(r.v[0].after, r.v[0].nafter, "SMTP:a@x",
	    "smtp:new@x", NULL));
	assert_int_equal(r.v[1].mode, JOURNAL_REPLACE);
	assert_true(fx_same(r.v[1].after, r.v[1].nafter, "Lead", NULL));
	assert_int_equal(r.v[2].mode, JOURNAL_REPLACE);
	assert_int_equal(r.v[2].nafter, 0);
	assert_int_equal(r.v[0].run, 7);
	assert_int_equal(r.v[0].seq, 3);
	assert_string_equal(r.v[0].guid, FX_GUID_ANN);
	assert_string_equal(r.v[0].dn, FX_ANN);
	assert_int_equal(r.v[0].state, JOURNAL_PENDING);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
}

static void
row_of(struct journal_rows *r, const char *attr, enum delta_op op, ...)
{
	struct change c;
	struct fx_vals before, vals;
	va_list ap;

	fx_change(&c, FX_ANN);
	va_start(ap, op);
	fx_vals(&before, &ap);
	fx_vals(&vals, &ap);
	va_end(ap);
	assert_int_equal(map_change_add_delta(&c, attr, op, vals.p, vals.n,
	    before.v, before.n, NULL), SB_OK);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, 1, 0, r,
	    NULL), SB_OK);
	map_change_clear(&c);
}

static enum journal_holds
holds(const struct journal_row *row, ...)
{
	struct fx_vals cur;
	va_list ap;

	va_start(ap, row);
	fx_vals(&cur, &ap);
	va_end(ap);
	return agent_journal_holds(row, cur.v, cur.n);
}

static void
test_journal_value_rows_compare_only_the_values_changed(void **state)
{
	struct journal_rows r = { NULL, 0 };

	(void)state;
	/* Added smtp:new (nothing removed); someone's smtp:other is ignored. */
	row_of(&r, "proxyAddresses", MAP_DELTA_ADD, "SMTP:a@x", "smtp:old@x",
	    NULL, "smtp:new@x", NULL);
	assert_int_equal(holds(&r.v[0], "SMTP:a@x", "smtp:old@x", "smtp:new@x",
	    NULL), JOURNAL_HOLDS_AFTER);
	assert_int_equal(holds(&r.v[0], "SMTP:a@x", "smtp:old@x", NULL),
	    JOURNAL_HOLDS_BEFORE);
	assert_int_equal(holds(&r.v[0], "smtp:other@x", NULL),
	    JOURNAL_HOLDS_BEFORE);
	agent_journal_rows_free(&r);
	row_of(&r, "proxyAddresses", MAP_DELTA_DELETE, "SMTP:a@x",
	    "smtp:old@x", NULL, "smtp:old@x", NULL);
	assert_int_equal(holds(&r.v[0], "SMTP:a@x", "smtp:other@x", NULL),
	    JOURNAL_HOLDS_AFTER);
	assert_int_equal(holds(&r.v[0], "smtp:old@x", NULL),
	    JOURNAL_HOLDS_BEFORE);
	agent_journal_rows_free(&r);
}

static void
test_journal_a_half_done_value_change_holds_neither(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct change c;

	(void)state;
	fx_change(&c, FX_ANN);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_DELETE, "smtp:old@x", NULL,
	    "smtp:old@x", NULL);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, "smtp:old@x", NULL,
	    "smtp:new@x", NULL);
	assert_int_equal(agent_journal_from_change(&c, "", 1, 0, &r, NULL),
	    SB_OK);
	assert_int_equal(holds(&r.v[0], "smtp:old@x", "smtp:new@x", NULL),
	    JOURNAL_HOLDS_OTHER);
	assert_int_equal(holds(&r.v[0], NULL), JOURNAL_HOLDS_OTHER);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
}

static void
test_journal_replace_rows_compare_by_the_attribute_matching_rule(void **state)
{
	struct journal_rows r = { NULL, 0 };

	(void)state;
	row_of(&r, "title", MAP_DELTA_REPLACE, "Engineer", NULL, "Lead", NULL);
	assert_int_equal(holds(&r.v[0], "Lead", NULL), JOURNAL_HOLDS_AFTER);
	assert_int_equal(holds(&r.v[0], "lead", NULL), JOURNAL_HOLDS_OTHER);
	assert_int_equal(holds(&r.v[0], "Engineer", NULL),
	    JOURNAL_HOLDS_BEFORE);
	assert_int_equal(holds(&r.v[0], NULL), JOURNAL_HOLDS_OTHER);
	agent_journal_rows_free(&r);
	row_of(&r, "manager", MAP_DELTA_REPLACE, NULL,
	    "CN=Boss,OU=Staff,DC=corp,DC=example", NULL);
	assert_int_equal(holds(&r.v[0], "cn=boss, ou=staff,dc=CORP,dc=example",
	    NULL), JOURNAL_HOLDS_AFTER);
	assert_int_equal(holds(&r.v[0], NULL), JOURNAL_HOLDS_BEFORE);
	agent_journal_rows_free(&r);
	row_of(&r, "msExchHideFromAddressLists", MAP_DELTA_REPLACE, "FALSE",
	    NULL, "TRUE", NULL);
	assert_int_equal(holds(&r.v[0], "true", NULL), JOURNAL_HOLDS_AFTER);
	agent_journal_rows_free(&r);
}

static void
test_journal_a_rename_is_a_row_of_the_dn(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct sb_bytes cur;
	struct change c;

	(void)state;
	fx_change(&c, "CN=G,OU=A,DC=corp,DC=example");
	c.op = MAP_CHANGE_RENAME;
	c.new_rdn = strdup("CN=G");
	c.new_superior = strdup("OU=B,DC=corp,DC=example");
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, 1, 0, &r,
	    NULL), SB_OK);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.v[0].attr, AGENT_JOURNAL_DN_ATTR);
	assert_int_equal(r.v[0].op, MAP_CHANGE_RENAME);
	assert_true(fx_same(r.v[0].before, r.v[0].nbefore,
	    "CN=G,OU=A,DC=corp,DC=example", NULL));
	assert_true(fx_same(r.v[0].after, r.v[0].nafter,
	    "CN=G,OU=B,DC=corp,DC=example", NULL));
	cur = fx_b("cn=g,ou=b,dc=CORP,dc=example");
	assert_int_equal(agent_journal_holds(&r.v[0], &cur, 1),
	    JOURNAL_HOLDS_AFTER);
	agent_journal_rows_free(&r);
	/* A rename in place: the new RDN under the same parent. */
	free(c.new_superior);
	c.new_superior = NULL;
	free(c.new_rdn);
	c.new_rdn = strdup("CN=H");
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, 1, 0, &r,
	    NULL), SB_OK);
	assert_true(fx_same(r.v[0].after, r.v[0].nafter,
	    "CN=H,OU=A,DC=corp,DC=example", NULL));
	agent_journal_rows_free(&r);
	map_change_clear(&c);
}

static void
test_journal_a_delete_leaves_nothing_after(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct change c;

	(void)state;
	fx_change(&c, "CN=G,OU=A,DC=corp,DC=example");
	c.op = MAP_CHANGE_DELETE;
	fx_delta(&c, "member", MAP_DELTA_DELETE, "CN=a", "CN=b", NULL, NULL);
	fx_delta(&c, "description", MAP_DELTA_DELETE, "d", NULL, NULL);
	assert_int_equal(agent_journal_from_change(&c, "", 1, 0, &r, NULL),
	    SB_OK);
	assert_int_equal(r.n, 2);
	assert_true(fx_same(r.v[0].before, r.v[0].nbefore, "CN=a", "CN=b",
	    NULL));
	assert_int_equal(r.v[0].nafter, 0);
	assert_int_equal(r.v[1].nafter, 0);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
}

static void
test_journal_rows_go_pending_then_applied_or_failed(void **state)
{
	struct journal_rows r = { NULL, 0 }, got = { NULL, 0 };
	struct agent_state *s;
	struct change c;
	long long run;
	long n;

	(void)state;
	s = mem_state(&run);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "A", NULL, "B", NULL);
	fx_delta(&c, "mail", MAP_DELTA_REPLACE, NULL, "a@x", NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 0, &r,
	    NULL), SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, NULL), SB_OK);
	assert_true(r.v[0].id > 0 && r.v[1].id > r.v[0].id);
	assert_int_equal(agent_journal_load(s, run, JOURNAL_PENDING, &got,
	    NULL), SB_OK);
	assert_int_equal(got.n, 2);
	assert_true(fx_same(got.v[0].before, got.v[0].nbefore, "A", NULL));
	assert_true(fx_same(got.v[0].after, got.v[0].nafter, "B", NULL));
	agent_journal_rows_free(&got);
	assert_int_equal(agent_journal_mark(s, run, 0, JOURNAL_FAILED,
	    "constraint violation", NULL, 0, NULL), SB_OK);
	/* Only pending rows move: a second mark changes nothing. */
	assert_int_equal(agent_journal_mark(s, run, 0, JOURNAL_APPLIED, NULL,
	    NULL, 0, NULL), SB_OK);
	assert_int_equal(agent_journal_load(s, run, -1, &got, NULL), SB_OK);
	assert_int_equal(got.v[1].state, JOURNAL_FAILED);
	assert_string_equal(got.v[1].error, "constraint violation");
	agent_journal_rows_free(&got);
	assert_int_equal(agent_journal_count(s, run, JOURNAL_FAILED, &n, NULL),
	    SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(agent_journal_count(s, run, JOURNAL_APPLIED, &n,
	    NULL), SB_OK);
	assert_int_equal(n, 0);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
	agent_state_close(s);
}

/*
 * The writer's batching: a change's result is held open and committed with
 * the next change's write-ahead rows (one commit per LDAP operation); a
 * result held at the end is committed by flush, and by close.
 */
static void
test_journal_held_result_commits_with_the_next_rows(void **state)
{
	char dir[] = "/tmp/sb-journal-XXXXXX", path[64];
	struct journal_rows r0 = { NULL, 0 }, r1 = { NULL, 0 };
	struct agent_state *s = NULL;
	struct change c;
	long long run;
	long n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.db", dir);
	assert_int_equal(agent_state_open_file(path, AGENT_STATE_RW, &s, NULL),
	    SB_OK);
	assert_int_equal(agent_state_run_begin(s, "sync", 0, &run, NULL),
	    SB_OK);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "A", NULL, "B", NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 0, &r0,
			     NULL),
	    SB_OK);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 1, &r1,
			     NULL),
	    SB_OK);
	assert_int_equal(agent_journal_pending(s, &r0, NULL), SB_OK);
	assert_int_equal(agent_journal_mark_held(s, run, 0, JOURNAL_APPLIED,
			     NULL, NULL),
	    SB_OK);
	/* Held: the result is not committed yet. */
	assert_int_equal(sqlite3_get_autocommit(agent_state_db(s)), 0);
	assert_int_equal(agent_journal_pending(s, &r1, NULL), SB_OK);
	/* One commit took both: change 0 applied, change 1 pending. */
	assert_int_equal(sqlite3_get_autocommit(agent_state_db(s)), 1);
	assert_int_equal(agent_journal_count(s, run, JOURNAL_APPLIED, &n, NULL),
	    SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(agent_journal_count(s, run, JOURNAL_PENDING, &n, NULL),
	    SB_OK);
	assert_int_equal(n, 1);
	/* Another transaction first commits a held one. */
	assert_int_equal(agent_journal_mark_held(s, run, 1, JOURNAL_FAILED,
			     "refused", NULL),
	    SB_OK);
	assert_int_equal(agent_state_begin(s, NULL), SB_OK);
	assert_int_equal(agent_state_commit(s, NULL), SB_OK);
	assert_int_equal(agent_journal_count(s, run, JOURNAL_FAILED, &n, NULL),
	    SB_OK);
	assert_int_equal(n, 1);
	agent_state_close(s);

	/* A result held when the state is closed is kept. */
	s = NULL;
	assert_int_equal(agent_state_open_file(path, AGENT_STATE_RW, &s, NULL),
	    SB_OK);
	agent_journal_rows_free(&r0);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 2, &r0,
			     NULL),
	    SB_OK);
	assert_int_equal(agent_journal_pending(s, &r0, NULL), SB_OK);
	assert_int_equal(agent_journal_mark_held(s, run, 2, JOURNAL_APPLIED,
			     NULL, NULL),
	    SB_OK);
	agent_state_close(s);
	s = NULL;
	assert_int_equal(agent_state_open_file(path, AGENT_STATE_RW, &s, NULL),
	    SB_OK);
	assert_int_equal(agent_journal_count(s, run, JOURNAL_APPLIED, &n, NULL),
	    SB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(agent_journal_count(s, run, JOURNAL_PENDING, &n, NULL),
	    SB_OK);
	assert_int_equal(n, 0);
	agent_state_close(s);
	agent_journal_rows_free(&r0);
	agent_journal_rows_free(&r1);
	map_change_clear(&c);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

static void
test_journal_mark_advances_positions_in_the_same_transaction(void **state)
{
	struct agent_position p = { "ad.usn", "77", 1 };
	struct journal_rows r = { NULL, 0 };
	struct agent_state *s;
	struct change c;
	long long run;
	char v[32];

	(void)state;
	s = mem_state(&run);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "A", NULL, "B", NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 0, &r,
	    NULL), SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, NULL), SB_OK);
	assert_int_equal(agent_journal_mark(s, run, 0, JOURNAL_APPLIED, NULL,
	    &p, 1, NULL), SB_OK);
	assert_int_equal(agent_position_get(s, "ad.usn", v, sizeof(v), NULL),
	    SB_OK);
	assert_string_equal(v, "77");
	agent_journal_rows_free(&r);
	map_change_clear(&c);
	agent_state_close(s);
}

static void
test_journal_last_applied_is_the_newest_write_of_any_run(void **state)
{
	struct journal_rows r = { NULL, 0 }, last = { NULL, 0 };
	struct agent_state *s;
	struct change c;
	long long run, run2;

	(void)state;
	s = mem_state(&run);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "A", NULL, "B", NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 0, &r,
	    NULL), SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, NULL), SB_OK);
	assert_int_equal(agent_journal_mark(s, run, 0, JOURNAL_APPLIED, NULL,
	    NULL, 0, NULL), SB_OK);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
	assert_int_equal(agent_state_run_begin(s, "undo", run, &run2, NULL),
	    SB_OK);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "B", NULL, "A", NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run2, 0,
	    &r, NULL), SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, NULL), SB_OK);
	/* Still pending: the newest applied one is run's. */
	assert_int_equal(agent_journal_last_applied(s, FX_GUID_ANN, "title",
	    &last, NULL), SB_OK);
	assert_int_equal(last.n, 1);
	assert_int_equal(last.v[0].run, run);
	agent_journal_rows_free(&last);
	assert_int_equal(agent_journal_mark(s, run2, 0, JOURNAL_APPLIED, NULL,
	    NULL, 0, NULL), SB_OK);
	assert_int_equal(agent_journal_last_applied(s, FX_GUID_ANN, "title",
	    &last, NULL), SB_OK);
	assert_int_equal(last.v[0].run, run2);
	assert_true(fx_same(last.v[0].after, last.v[0].nafter, "A", NULL));
	agent_journal_rows_free(&last);
	assert_int_equal(agent_journal_last_applied(s, FX_GUID_BOB, "title",
	    &last, NULL), SB_OK);
	assert_int_equal(last.n, 0);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
	agent_state_close(s);
}

static void
test_journal_refuses_to_store_a_password(void **state)
{
	struct journal_rows r = { NULL, 0 };
	struct agent_state *s;
	struct sb_error err;
	struct change c;
	long long run;

	(void)state;
	s = mem_state(&run);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "unicodePwd", MAP_DELTA_REPLACE, NULL, "Secret-1", NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 0, &r,
	    NULL), SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, &err), SB_BUG);
	assert_null(strstr(err.text, "Secret-1"));
	agent_journal_rows_free(&r);
	assert_int_equal(agent_journal_load(s, run, -1, &r, NULL), SB_OK);
	assert_int_equal(r.n, 0);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
	agent_state_close(s);
}

/* Journals one change of op on dn/guid in run (seq), then marks it st. */
static void
journal_op(struct agent_state *s, long long run, long seq, enum change_op op,
    const char *guid, enum journal_state st)
{
	struct journal_rows r = { NULL, 0 };
	struct change c;

	fx_change(&c, "CN=G,OU=Groups,DC=corp,DC=example");
	c.op = op;
	if (op == MAP_CHANGE_DELETE)
		fx_delta(&c, "description", MAP_DELTA_DELETE, "d", NULL, NULL);
	else
		fx_delta(&c, "objectClass", MAP_DELTA_ADD, NULL, "group", NULL);
	assert_int_equal(agent_journal_from_change(&c, guid, run, seq, &r,
	    NULL), SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, NULL), SB_OK);
	if (st != JOURNAL_PENDING)
		assert_int_equal(agent_journal_mark(s, run, seq, st, NULL, NULL,
		    0, NULL), SB_OK);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
}

#define G_A	"0a000000-0000-0000-0000-00000000000a"
#define G_B	"0b000000-0000-0000-0000-00000000000b"
#define G_C	"0c000000-0000-0000-0000-00000000000c"
#define G_D	"0d000000-0000-0000-0000-00000000000d"
#define G_E	"0e000000-0000-0000-0000-00000000000e"

static void
test_journal_created_lists_what_soabridge_created_and_did_not_delete(void **state)
{
	struct agent_state *s;
	long long run, run2;
	char **v = NULL;
	size_t n = 0;

	(void)state;
	s = mem_state(&run);
	assert_int_equal(agent_journal_created(s, &v, &n, NULL), SB_OK);
	assert_int_equal(n, 0);
	agent_journal_guids_free(v, n);
	journal_op(s, run, 0, MAP_CHANGE_ADD, "0A000000-0000-0000-0000-"
	    "00000000000A", JOURNAL_APPLIED);		/* any case */
	journal_op(s, run, 1, MAP_CHANGE_ADD, G_B, JOURNAL_FAILED);
	/* an ADD whose new object's GUID could not be read: not counted */
	journal_op(s, run, 2, MAP_CHANGE_ADD, "", JOURNAL_APPLIED);
	journal_op(s, run, 3, MAP_CHANGE_ADD, G_C, JOURNAL_APPLIED);
	journal_op(s, run, 4, MAP_CHANGE_ADD, G_D, JOURNAL_APPLIED);
	journal_op(s, run, 5, MAP_CHANGE_MODIFY, G_E, JOURNAL_APPLIED);
	journal_op(s, run, 6, MAP_CHANGE_ADD, G_E, JOURNAL_PENDING);
	/* An undo deletes C (applied) and tries D (refused by AD). */
	assert_int_equal(agent_state_run_begin(s, "undo", run, &run2, NULL),
	    SB_OK);
	journal_op(s, run2, 0, MAP_CHANGE_DELETE, G_C, JOURNAL_APPLIED);
	journal_op(s, run2, 1, MAP_CHANGE_DELETE, G_D, JOURNAL_FAILED);
	assert_int_equal(agent_journal_created(s, &v, &n, NULL), SB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], G_A);
	assert_string_equal(v[1], G_D);
	agent_journal_guids_free(v, n);
	agent_state_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_journal_one_row_per_attribute_with_before_and_after),
		cmocka_unit_test(
		    test_journal_value_rows_compare_only_the_values_changed),
		cmocka_unit_test(
		    test_journal_a_half_done_value_change_holds_neither),
		cmocka_unit_test(
		    test_journal_replace_rows_compare_by_the_attribute_matching_rule),
		cmocka_unit_test(test_journal_a_rename_is_a_row_of_the_dn),
		cmocka_unit_test(test_journal_a_delete_leaves_nothing_after),
		cmocka_unit_test(
		    test_journal_rows_go_pending_then_applied_or_failed),
		cmocka_unit_test(
		    test_journal_mark_advances_positions_in_the_same_transaction),
		cmocka_unit_test(
		    test_journal_held_result_commits_with_the_next_rows),
		cmocka_unit_test(
		    test_journal_last_applied_is_the_newest_write_of_any_run),
		cmocka_unit_test(test_journal_refuses_to_store_a_password),
		cmocka_unit_test(
		    test_journal_created_lists_what_soabridge_created_and_did_not_delete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
