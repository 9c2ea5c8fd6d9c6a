/*
 * Unit tests of agent/writer.c: the apply loop of sync and undo (writer.h).
 * AD is the fake LDAP connection of test_ldap_fake.h, with the write gate
 * (agent/gate.h) on it: per change the gate re-reads the target (one
 * search), then the writer sends the change (one write), so replies are
 * queued in that order.  The journal is a real SQLite file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/gate.h"
#include "agent/lease.h"
#include "agent/store/journal.h"
#include "agent/store/state.h"
#include "agent/writer.h"
#include "conf/conf.h"
#include "test_agent.h"
#include "test_ldap_fake.h"

#define BASE	"DC=corp,DC=example"

struct fx {
	char			*dir;
	struct agent_state	*s;
	long long		 run;
	struct fake_ldap	 f;
	struct conf		 conf;
	struct agent_gate	*gate;
	struct plan		 p;
	struct change		 c[4];
	struct agent_writer_result r;
};

static void
fx_open(struct fx *x)
{
	char path[512];

	memset(x, 0, sizeof(*x));
	x->dir = fx_tmpdir();
	snprintf(path, sizeof(path), "%s/state.db", x->dir);
	assert_int_equal(agent_state_open_file(path, AGENT_STATE_RW, &x->s,
	    NULL), SB_OK);
	assert_int_equal(agent_state_run_begin(x->s, "sync", 0, &x->run,
	    NULL), SB_OK);
	fake_ldap_open(&x->f, NULL);
	x->conf.ldap.base_dn = (char *)BASE;
	assert_int_equal(agent_gate_new(x->f.c, &x->conf, NULL, 0, &x->gate,
	    NULL), SB_OK);
	x->p.changes = x->c;
}

/* Change i of the plan: title of dn replaced from "Engineer" to val. */
static void
fx_title(struct fx *x, const char *dn, const char *val)
{
	struct change *c = &x->c[x->p.nchanges++];

	fx_change(c, dn);
	fx_delta(c, "title", MAP_DELTA_REPLACE, "Engineer", NULL, val, NULL);
}

/* The gate's re-read of dn (request msgid) finds a plain user there. */
static void
fx_user_found(struct fx *x, int msgid, const char *dn)
{
	fake_ldap_entry(&x->f, msgid, dn, "objectClass", "top", "person",
	    "user", NULL, "sAMAccountName", "someone", NULL, NULL);
	fake_ldap_done(&x->f, msgid, LDAP_SUCCESS, NULL, "");
}

static void
fx_close(struct fx *x)
{
	size_t i;

	agent_writer_result_free(&x->r);
	for (i = 0; i < x->p.nchanges; i++)
		map_change_clear(&x->c[i]);
	agent_gate_free(x->gate);
	fake_ldap_close(&x->f);
	agent_state_close(x->s);
	fx_rmdir(x->dir);
}

/* The journal rows of the run (all states); free with rows_free. */
static void
fx_rows(struct fx *x, struct journal_rows *rows)
{
	assert_int_equal(agent_journal_load(x->s, x->run, -1, rows, NULL),
	    SB_OK);
}

static void
test_writer_applies_changes_in_plan_order_and_journals_each(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_title(&x, FX_BOB, "Chief");
	fx_user_found(&x, 1, FX_ANN);
	fake_ldap_result(&x.f, 2, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	fx_user_found(&x, 3, FX_BOB);
	fake_ldap_result(&x.f, 4, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate, &x.p,
	    NULL, &x.r, &err), SB_OK);
	assert_int_equal(x.r.n, 2);
	assert_int_equal(x.r.napplied, 2);
	assert_int_equal(x.r.nfailed, 0);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_APPLIED);
	assert_int_equal(x.r.applied[1], AGENT_WRITE_APPLIED);
	/* gate read, write; gate read, write: Ann before Bob */
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 4);
	assert_int_equal(fake_ldap_req_op(&x.f, 0), LDAP_REQ_SEARCH);
	assert_int_equal(fake_ldap_req_op(&x.f, 1), LDAP_REQ_MODIFY);
	assert_true(fake_ldap_holds_str(&x.f, 1, FX_ANN));
	assert_true(fake_ldap_holds_str(&x.f, 1, "Lead"));
	assert_int_equal(fake_ldap_req_op(&x.f, 3), LDAP_REQ_MODIFY);
	assert_true(fake_ldap_holds_str(&x.f, 3, FX_BOB));
	/* one row per change, with its before and after, marked applied */
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 2);
	assert_int_equal(rows.v[0].seq, 0);
	assert_string_equal(rows.v[0].dn, FX_ANN);
	assert_true(fx_same(rows.v[0].before, rows.v[0].nbefore, "Engineer",
	    NULL));
	assert_true(fx_same(rows.v[0].after, rows.v[0].nafter, "Lead", NULL));
	assert_int_equal(rows.v[0].state, JOURNAL_APPLIED);
	assert_int_equal(rows.v[1].seq, 1);
	assert_string_equal(rows.v[1].dn, FX_BOB);
	assert_int_equal(rows.v[1].state, JOURNAL_APPLIED);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

/*
 * Two agents, one writer: with a lease the gate asks for it right before
 * each write; a lease not held (here: one that cannot be read) refuses
 * the change with nothing sent or journaled, and the rest is not tried.
 */
static void
test_writer_without_the_lease_sends_and_journals_nothing(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct agent_lease *lease = NULL;
	struct sb_error err;
	struct conf lc;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_title(&x, FX_BOB, "Chief");
	memset(&lc, 0, sizeof(lc));
	lc.ldap.password_file = (char *)"/nonexistent/soabridge/bind.secret";
	lc.daemon.lease_dn = (char *)"CN=lease,OU=Service," BASE;
	lc.daemon.lease_seconds = 30;
	assert_int_equal(agent_lease_new("soabridge", "run", &lease, &err),
	    SB_OK);
	assert_int_equal(agent_lease_turn(lease, &lc), 0);
	agent_gate_set_lease(x.gate, lease);
	assert_int_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate, &x.p,
			     NULL, &x.r, &err),
	    SB_OK);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_REFUSED);
	assert_non_null(strstr(x.r.errors[0], "no longer holds the lease"));
	assert_int_equal(x.r.applied[1], AGENT_WRITE_NOT_TRIED);
	assert_int_equal(x.r.napplied, 0);
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 0);
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 0);
	agent_journal_rows_free(&rows);
	agent_lease_end(lease);
	fx_close(&x);
}

/* plan: the same loop, the gate's reads and nothing after them */
static void
test_writer_check_meets_the_gate_and_sends_and_journals_nothing(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_title(&x, FX_BOB, "Chief");
	fake_ldap_done(&x.f, 1, LDAP_NO_SUCH_OBJECT, "0000208D: NameErr",
	    NULL);
	fx_user_found(&x, 2, FX_BOB);
	assert_int_equal(agent_writer_check(x.f.c, x.gate, &x.p, NULL, &x.r,
	    &err), SB_OK);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_REFUSED);
	assert_int_equal(x.r.nrefused, 1);
	assert_non_null(strstr(x.r.errors[0], "gone"));
	/* would write: not tried, nothing said against it */
	assert_int_equal(x.r.applied[1], AGENT_WRITE_NOT_TRIED);
	assert_null(x.r.errors[1]);
	assert_int_equal(x.r.napplied, 0);
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 2);
	assert_int_equal(fake_ldap_req_op(&x.f, 0), LDAP_REQ_SEARCH);
	assert_int_equal(fake_ldap_req_op(&x.f, 1), LDAP_REQ_SEARCH);
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 0);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

/*
 * plan: what the plan creates cannot be read yet.  A new group's own
 * changes and member values naming it are left to sync's gate, which sees
 * them once the group exists; the rest of the change still meets the gate.
 */
static void
test_writer_check_leaves_what_the_plan_creates_to_sync(void **state)
{
	static const char *const g_new = "CN=G-New,OU=Groups," BASE;
	static const char *const g_old = "CN=G-Old,OU=Groups," BASE;
	static char *scope[] = { (char *)BASE };
	static char *ous[] = { (char *)"OU=Groups," BASE };
	struct sb_error err;
	struct dirobj ad;
	struct fx x;

	(void)state;
	fx_open(&x);
	agent_gate_free(x.gate);
	x.conf.ldap.write_scope.v = scope;
	x.conf.ldap.write_scope.n = 1;
	x.conf.groups.allowed_ous.v = ous;
	x.conf.groups.allowed_ous.n = 1;
	assert_int_equal(agent_gate_new(x.f.c, &x.conf, NULL, 0, &x.gate,
	    NULL), SB_OK);
	memset(&ad, 0, sizeof(ad));
	ad.kind = DIROBJ_GROUP;
	ad.dn = (char *)(uintptr_t)g_new;
	assert_int_equal(map_change_init(&x.c[0], MAP_CHANGE_ADD, &ad, NULL,
	    "provisioned", NULL), SB_OK);
	fx_delta(&x.c[0], "objectClass", MAP_DELTA_ADD, NULL, "group", NULL);
	fx_change(&x.c[1], g_old);
	fx_delta(&x.c[1], "member", MAP_DELTA_ADD, NULL, g_new, NULL);
	fx_change(&x.c[2], g_new);
	fx_delta(&x.c[2], "description", MAP_DELTA_REPLACE, NULL, "d", NULL);
	x.p.nchanges = 3;
	/* the one read: G-Old itself (its new member is not looked up) */
	fake_ldap_entry(&x.f, 1, g_old, "objectClass", "top", "group", NULL,
	    "sAMAccountName", "G-Old", NULL, NULL);
	fake_ldap_done(&x.f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(agent_writer_check(x.f.c, x.gate, &x.p, NULL, &x.r,
	    &err), SB_OK);
	assert_int_equal(x.r.nrefused, 0);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_NOT_TRIED);
	assert_null(x.r.errors[0]);
	assert_int_equal(x.r.applied[1], AGENT_WRITE_NOT_TRIED);
	assert_null(x.r.errors[1]);
	assert_int_equal(x.r.applied[2], AGENT_WRITE_NOT_TRIED);
	assert_null(x.r.errors[2]);
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 1);
	assert_true(fake_ldap_holds_str(&x.f, 0, g_old));
	fx_close(&x);
}

static void
test_writer_gate_refusal_sends_and_journals_nothing_and_goes_on(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_title(&x, FX_BOB, "Chief");
	/* Ann was deleted since the plan was made */
	fake_ldap_done(&x.f, 1, LDAP_NO_SUCH_OBJECT, "0000208D: NameErr",
	    NULL);
	fx_user_found(&x, 2, FX_BOB);
	fake_ldap_result(&x.f, 3, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate, &x.p,
	    NULL, &x.r, &err), SB_OK);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_REFUSED);
	assert_int_equal(x.r.nrefused, 1);
	assert_non_null(x.r.errors[0]);
	assert_non_null(strstr(x.r.errors[0], "gone"));
	assert_int_equal(x.r.applied[1], AGENT_WRITE_APPLIED);
	assert_int_equal(x.r.napplied, 1);
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 3);
	assert_int_equal(fake_ldap_req_op(&x.f, 1), LDAP_REQ_SEARCH);
	assert_int_equal(fake_ldap_req_op(&x.f, 2), LDAP_REQ_MODIFY);
	assert_false(fake_ldap_holds_str(&x.f, 2, FX_ANN));
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 1);
	assert_string_equal(rows.v[0].dn, FX_BOB);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

static void
test_writer_ad_refusal_is_journaled_failed_and_the_loop_goes_on(
    void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_title(&x, FX_BOB, "Chief");
	fx_user_found(&x, 1, FX_ANN);
	fake_ldap_result(&x.f, 2, LDAP_RES_MODIFY, LDAP_CONSTRAINT_VIOLATION,
	    "000021C7: AtrErr: DSID-03200BBA, problem 1005");
	fx_user_found(&x, 3, FX_BOB);
	fake_ldap_result(&x.f, 4, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate, &x.p,
	    NULL, &x.r, &err), SB_OK);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_FAILED);
	assert_int_equal(x.r.nfailed, 1);
	assert_non_null(x.r.errors[0]);
	assert_int_equal(x.r.applied[1], AGENT_WRITE_APPLIED);
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 2);
	assert_int_equal(rows.v[0].state, JOURNAL_FAILED);
	assert_int_equal(rows.v[1].state, JOURNAL_APPLIED);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

static void
test_writer_rights_failure_ends_the_loop(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_title(&x, FX_BOB, "Chief");
	fx_user_found(&x, 1, FX_ANN);
	fake_ldap_result(&x.f, 2, LDAP_RES_MODIFY, LDAP_INSUFFICIENT_ACCESS,
	    "00002098: SecErr: DSID-03150F94, problem 4003");
	assert_int_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate, &x.p,
	    NULL, &x.r, &err), SB_OK);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_FAILED);
	/* the rest would fail too: not even read */
	assert_int_equal(x.r.applied[1], AGENT_WRITE_NOT_TRIED);
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 2);
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.v[0].state, JOURNAL_FAILED);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

static void
test_writer_sends_nothing_the_journal_could_not_take(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;
	struct change *c;

	(void)state;
	fx_open(&x);
	/* a secret: the journal refuses to store it (journal.h) */
	c = &x.c[x.p.nchanges++];
	fx_change(c, FX_ANN);
	fx_delta(c, "unicodePwd", MAP_DELTA_REPLACE, NULL, "\"pw\"", NULL);
	fx_user_found(&x, 1, FX_ANN);
	assert_int_not_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate,
	    &x.p, NULL, &x.r, &err), SB_OK);
	/* journal first: without its row, no write */
	fake_ldap_requests(&x.f);
	assert_int_equal(x.f.nmsg, 1);
	assert_int_equal(fake_ldap_req_op(&x.f, 0), LDAP_REQ_SEARCH);
	assert_int_not_equal(x.r.applied[0], AGENT_WRITE_APPLIED);
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 0);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

/*
 * The DC goes away after the gate's read: the write gets no reply.  Its
 * outcome is unknown, so its rows stay pending (the next run settles them
 * by reading AD); nothing more is sent, and the loss is said.
 */
static void
test_writer_lost_dc_leaves_the_unanswered_write_pending(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_title(&x, FX_BOB, "Chief");
	fx_user_found(&x, 1, FX_ANN);
	assert_int_equal(shutdown(x.f.srv, SHUT_WR), 0); /* the DC dies */
	assert_int_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate, &x.p,
			     NULL, &x.r, &err),
	    SB_OK);
	assert_int_equal(x.r.applied[0], AGENT_WRITE_FAILED);
	assert_int_equal(x.r.applied[1], AGENT_WRITE_NOT_TRIED);
	assert_int_equal(x.r.nfailed, 1);
	assert_int_equal(x.r.npending, 1);
	assert_non_null(x.r.lost);
	assert_non_null(strstr(x.r.lost, "ldap://dc1.corp.example"));
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.v[0].state, JOURNAL_PENDING);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

/* AD answered "busy": not done, so failed (settled), and the loop ends. */
static void
test_writer_busy_dc_is_failed_not_pending(void **state)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error err;
	struct fx x;

	(void)state;
	fx_open(&x);
	fx_title(&x, FX_ANN, "Lead");
	fx_user_found(&x, 1, FX_ANN);
	fake_ldap_result(&x.f, 2, LDAP_RES_MODIFY, LDAP_BUSY, "busy");
	assert_int_equal(agent_writer_apply(x.s, x.run, x.f.c, x.gate, &x.p,
			     NULL, &x.r, &err),
	    SB_OK);
	assert_int_equal(x.r.npending, 0);
	assert_null(x.r.lost);
	fx_rows(&x, &rows);
	assert_int_equal(rows.n, 1);
	assert_int_equal(rows.v[0].state, JOURNAL_FAILED);
	agent_journal_rows_free(&rows);
	fx_close(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_writer_lost_dc_leaves_the_unanswered_write_pending),
		cmocka_unit_test(test_writer_busy_dc_is_failed_not_pending),
		cmocka_unit_test(
		    test_writer_applies_changes_in_plan_order_and_journals_each),
		cmocka_unit_test(
		    test_writer_gate_refusal_sends_and_journals_nothing_and_goes_on),
		cmocka_unit_test(
		    test_writer_ad_refusal_is_journaled_failed_and_the_loop_goes_on),
		cmocka_unit_test(test_writer_rights_failure_ends_the_loop),
		cmocka_unit_test(
		    test_writer_without_the_lease_sends_and_journals_nothing),
		cmocka_unit_test(
		    test_writer_check_meets_the_gate_and_sends_and_journals_nothing),
		cmocka_unit_test(
		    test_writer_check_leaves_what_the_plan_creates_to_sync),
		cmocka_unit_test(
		    test_writer_sends_nothing_the_journal_could_not_take),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
