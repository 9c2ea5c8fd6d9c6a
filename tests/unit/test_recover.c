/*
 * Unit tests of agent/recover.c: a run a dead process left "running" is
 * closed as interrupted, and each pending journal row is settled by what
 * AD holds now (recover.h).  The state store is a real SQLite file in a
 * scratch directory; AD is the fake LDAP connection of test_ldap_fake.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/recover.h"
#include "agent/store/journal.h"
#include "agent/store/state.h"
#include "test_agent.h"
#include "test_ldap_fake.h"

#define BASE	"DC=corp,DC=example"

struct fx {
	char			*dir;
	struct agent_state	*s;
	long long		 dead;	/* the run a crash left running */
	long long		 self;
	struct fake_ldap	 f;
};

/*
 * A state file whose run "dead" journaled title Engineer -> Lead on Ann
 * (guid: "" or FX_GUID_ANN) and died before the result; then run "self".
 */
static void
fx_open(struct fx *x, const char *guid)
{
	struct journal_rows rows = { NULL, 0 };
	struct change c;
	char path[512];

	memset(x, 0, sizeof(*x));
	x->dir = fx_tmpdir();
	snprintf(path, sizeof(path), "%s/state.db", x->dir);
	assert_int_equal(agent_state_open_file(path, AGENT_STATE_RW, &x->s,
	    NULL), SB_OK);
	assert_int_equal(agent_state_run_begin(x->s, "sync", 0, &x->dead,
	    NULL), SB_OK);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "Engineer", NULL, "Lead",
	    NULL);
	assert_int_equal(agent_journal_from_change(&c, guid, x->dead, 0,
	    &rows, NULL), SB_OK);
	assert_int_equal(agent_journal_pending(x->s, &rows, NULL), SB_OK);
	agent_journal_rows_free(&rows);
	map_change_clear(&c);
	assert_int_equal(agent_state_run_begin(x->s, "sync", 0, &x->self,
	    NULL), SB_OK);
	fake_ldap_open(&x->f, NULL);
}

static void
fx_close(struct fx *x)
{
	fake_ldap_close(&x->f);
	agent_state_close(x->s);
	fx_rmdir(x->dir);
}

/* The state of the dead run's only journal row. */
static enum journal_state
row_state(struct fx *x)
{
	struct journal_rows rows = { NULL, 0 };
	enum journal_state st;

	assert_int_equal(agent_journal_load(x->s, x->dead, -1, &rows, NULL),
	    SB_OK);
	assert_int_equal(rows.n, 1);
	st = rows.v[0].state;
	agent_journal_rows_free(&rows);
	return st;
}

/* The outcome of run id. */
static void
assert_outcome(struct fx *x, long long id, const char *outcome)
{
	struct agent_run *runs = NULL;
	size_t i, n = 0;
	int found = 0;

	assert_int_equal(agent_state_runs(x->s, outcome, &runs, &n, NULL),
	    SB_OK);
	for (i = 0; i < n; i++)
		if (runs[i].id == id)
			found = 1;
	free(runs);
	if (!found)
		fail_msg("run %lld is not %s", id, outcome);
}

static void
test_recover_pending_row_is_applied_when_ad_holds_the_after_value(
    void **state)
{
	struct sb_error err;
	struct fx x;
	size_t n = 0;

	(void)state;
	fx_open(&x, "");
	fake_ldap_entry(&x.f, 1, FX_ANN, "title", "Lead", NULL, NULL);
	fake_ldap_done(&x.f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(agent_recover_runs(x.s, x.f.c, BASE, x.self, &n,
	    &err), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(row_state(&x), JOURNAL_APPLIED);
	assert_outcome(&x, x.dead, "interrupted");
	fx_close(&x);
}

static void
test_recover_pending_row_is_not_applied_when_ad_holds_the_before_value(
    void **state)
{
	struct sb_error err;
	struct fx x;
	size_t n = 0;

	(void)state;
	fx_open(&x, "");
	fake_ldap_entry(&x.f, 1, FX_ANN, "title", "Engineer", NULL, NULL);
	fake_ldap_done(&x.f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(agent_recover_runs(x.s, x.f.c, BASE, x.self, &n,
	    &err), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(row_state(&x), JOURNAL_NOT_APPLIED);
	assert_outcome(&x, x.dead, "interrupted");
	fx_close(&x);
}

static void
test_recover_object_gone_from_ad_settles_a_modify_not_applied(void **state)
{
	struct sb_error err;
	struct fx x;
	size_t n = 0;

	(void)state;
	fx_open(&x, "");
	fake_ldap_done(&x.f, 1, LDAP_NO_SUCH_OBJECT, "0000208D: NameErr",
	    NULL);
	assert_int_equal(agent_recover_runs(x.s, x.f.c, BASE, x.self, &n,
	    &err), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(row_state(&x), JOURNAL_NOT_APPLIED);
	fx_close(&x);
}

static void
test_recover_leaves_the_callers_own_run_alone(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct change c;
	struct sb_error err;
	struct fx x;
	size_t n = 0;

	(void)state;
	fx_open(&x, "");
	/* the dead run is settled ... */
	fake_ldap_entry(&x.f, 1, FX_ANN, "title", "Lead", NULL, NULL);
	fake_ldap_done(&x.f, 1, LDAP_SUCCESS, NULL, "");
	/* ... but self's pending row is its own business */
	fx_change(&c, FX_BOB);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "A", NULL, "B", NULL);
	assert_int_equal(agent_journal_from_change(&c, "", x.self, 0, &rows,
	    NULL), SB_OK);
	assert_int_equal(agent_journal_pending(x.s, &rows, NULL), SB_OK);
	agent_journal_rows_free(&rows);
	map_change_clear(&c);
	assert_int_equal(agent_recover_runs(x.s, x.f.c, BASE, x.self, &n,
	    &err), SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(agent_journal_load(x.s, x.self, -1, &rows, NULL),
	    SB_OK);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.v[0].state, JOURNAL_PENDING);
	agent_journal_rows_free(&rows);
	assert_outcome(&x, x.self, "running");
	/* one read, the dead run's: none for self */
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 1);
	fx_close(&x);
}

static void
test_recover_reread_by_guid_searches_the_subtree_of_base(void **state)
{
	static const char *const attrs[] = { "title", NULL };
	struct fake_search_req r;
	struct dirobj *o = NULL;
	struct fake_ldap f;
	struct sb_error err;
	const struct dirattr *a;

	(void)state;
	fake_ldap_open(&f, NULL);
	/* renamed since: found by GUID at its new DN */
	fake_ldap_entry(&f, 1, FX_BOB, "title", "Lead", NULL, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(agent_recover_reread(f.c, BASE, FX_GUID_ANN, FX_ANN,
	    attrs, &o, &err), SB_OK);
	assert_non_null(o);
	assert_string_equal(o->dn, FX_BOB);
	a = dirobj_get(o, "title");
	assert_non_null(a);
	assert_true(fx_same(a->vals, a->nvals, "Lead", NULL));
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	fake_ldap_search_req(&f, 0, &r);
	assert_string_equal(r.base, BASE);
	assert_int_equal(r.scope, LDAP_SCOPE_SUBTREE);
	ber_memvfree((void **)r.attrs);
	dirobj_free(o);
	fake_ldap_close(&f);
}

static void
test_recover_reread_of_a_gone_dn_is_ok_and_null(void **state)
{
	static const char *const attrs[] = { "title", NULL };
	struct fake_search_req r;
	struct dirobj *o = NULL;
	struct fake_ldap f;
	struct sb_error err;

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_done(&f, 1, LDAP_NO_SUCH_OBJECT, NULL, NULL);
	assert_int_equal(agent_recover_reread(f.c, BASE, "", FX_ANN, attrs,
	    &o, &err), SB_OK);
	assert_null(o);
	fake_ldap_requests(&f);
	fake_ldap_search_req(&f, 0, &r);
	assert_string_equal(r.base, FX_ANN);
	assert_int_equal(r.scope, LDAP_SCOPE_BASE);
	ber_memvfree((void **)r.attrs);
	fake_ldap_close(&f);
}

/*
 * A run that lost its DC ended "failed" with the unanswered write pending:
 * the next run settles it by reading AD and keeps the outcome and message.
 */
static void
test_recover_pending_settles_an_ended_run_keeping_its_outcome(void **state)
{
	struct agent_run_counts cnt = { 1, 0, 1, 0 };
	struct agent_run r;
	struct sb_error err;
	struct fx x;
	size_t n = 0;

	(void)state;
	fx_open(&x, "");
	assert_int_equal(
	    agent_state_run_end(x.s, x.dead, "failed", &cnt,
		"lost the DC mid-run: cannot reach ldaps://dc1 (dc1.corp.example)",
		NULL, 0, NULL),
	    SB_OK);
	/* nothing running but self: agent_recover_runs has nothing to do */
	assert_int_equal(agent_recover_runs(x.s, x.f.c, BASE, x.self, &n, &err),
	    SB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(row_state(&x), JOURNAL_PENDING);
	fake_ldap_entry(&x.f, 1, FX_ANN, "title", "Lead", NULL, NULL);
	fake_ldap_done(&x.f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(agent_recover_pending(x.s, x.f.c, BASE, x.self, &n,
			     &err),
	    SB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(row_state(&x), JOURNAL_APPLIED);
	assert_outcome(&x, x.dead, "failed");
	assert_int_equal(agent_state_run_get(x.s, x.dead, &r, NULL), SB_OK);
	assert_int_equal(r.applied, 1);
	assert_non_null(strstr(r.message,
	    "lost the DC mid-run: cannot reach "
	    "ldaps://dc1 (dc1.corp.example); run "));
	assert_non_null(strstr(r.message, "found 1 of its 1 unanswered"));
	/* settled: a second pass reads nothing */
	assert_int_equal(agent_recover_pending(x.s, x.f.c, BASE, x.self, &n,
			     &err),
	    SB_OK);
	assert_int_equal(n, 0);
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 1);
	fx_close(&x);
}

static void
test_recover_pending_leaves_running_runs_and_self_alone(void **state)
{
	struct sb_error err;
	struct fx x;
	size_t n = 9;

	(void)state;
	fx_open(&x, "");
	/* "dead" is still running: agent_recover_runs' business */
	assert_int_equal(agent_recover_pending(x.s, x.f.c, BASE, x.self, &n,
			     &err),
	    SB_OK);
	assert_int_equal(row_state(&x), JOURNAL_PENDING);
	assert_outcome(&x, x.dead, "running");
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 0);
	fx_close(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_recover_pending_settles_an_ended_run_keeping_its_outcome),
		cmocka_unit_test(
		    test_recover_pending_leaves_running_runs_and_self_alone),
		cmocka_unit_test(
		    test_recover_pending_row_is_applied_when_ad_holds_the_after_value),
		cmocka_unit_test(
		    test_recover_pending_row_is_not_applied_when_ad_holds_the_before_value),
		cmocka_unit_test(
		    test_recover_object_gone_from_ad_settles_a_modify_not_applied),
		cmocka_unit_test(test_recover_leaves_the_callers_own_run_alone),
		cmocka_unit_test(
		    test_recover_reread_by_guid_searches_the_subtree_of_base),
		cmocka_unit_test(
		    test_recover_reread_of_a_gone_dn_is_ok_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
