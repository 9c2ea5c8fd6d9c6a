/* Unit tests of agent/flap.c: counting changes undone in AD, quarantine, release. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/flap.h"
#include "agent/journal.h"
#include "test_agent.h"

static const char *const ann_guid[] = { FX_GUID_ANN };

/* A run that wrote Ann's title from `from` to `to` and was applied. */
static long long
wrote_title(struct agent_state *s, const char *from, const char *to)
{
	struct journal_rows r = { NULL, 0 };
	struct change c;
	long long run;

	assert_int_equal(agent_state_run_begin(s, "sync", 0, &run, NULL),
	    SB_OK);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, from, NULL, to, NULL);
	assert_int_equal(agent_journal_from_change(&c, FX_GUID_ANN, run, 0, &r,
	    NULL), SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, NULL), SB_OK);
	assert_int_equal(agent_journal_mark(s, run, 0, JOURNAL_APPLIED, NULL,
	    NULL, 0, NULL), SB_OK);
	agent_journal_rows_free(&r);
	map_change_clear(&c);
	return run;
}

/* A plan that sets Ann's title to want while AD holds have. */
static struct plan *
plan_title(const char *have, const char *want)
{
	struct plan *p = map_plan_new();
	struct change c;

	assert_non_null(p);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, have, NULL, want, NULL);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	return p;
}

/* One sync cycle of the flap step: filter, then commit for a new run. */
static struct plan *
cycle(struct agent_state *s, const char *have, const char *want, int commit,
    struct agent_flaps *f)
{
	struct plan *p = plan_title(have, want);
	long long run;

	assert_int_equal(agent_flap_filter(s, p, ann_guid, 3, f, NULL), SB_OK);
	if (commit) {
		assert_int_equal(agent_state_run_begin(s, "sync", 0, &run,
		    NULL), SB_OK);
		assert_int_equal(agent_flap_commit(s, f, run, NULL), SB_OK);
	}
	return p;
}

static void
test_flap_counting_is_pure_and_resets(void **state)
{
	(void)state;
	assert_int_equal(agent_flap_next(0, 1), 1);
	assert_int_equal(agent_flap_next(2, 1), 3);
	assert_int_equal(agent_flap_next(2, 0), 0);
	assert_false(agent_flap_trips(2, 3));
	assert_true(agent_flap_trips(3, 3));
	assert_false(agent_flap_trips(5, 0));
}

static void
test_flap_three_reverts_quarantine_the_object(void **state)
{
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct flap_list q = { NULL, 0 };
	struct plan *p;
	int i;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	wrote_title(s, "Engineer", "Lead");
	for (i = 1; i <= 2; i++) {
		/* Someone put "Engineer" back: counted, still written. */
		p = cycle(s, "Engineer", "Lead", 1, &f);
		assert_int_equal(p->nchanges, 1);
		assert_int_equal(f.counts.n, 1);
		assert_int_equal(f.counts.v[0].count, i);
		assert_int_equal(f.quarantine.n, 0);
		agent_flap_free(&f);
		map_plan_free(p);
		wrote_title(s, "Engineer", "Lead");
	}
	p = cycle(s, "Engineer", "Lead", 1, &f);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(f.quarantine.n, 1);
	assert_int_equal(p->nfindings, 1);
	assert_int_equal(p->findings[0].kind, MAP_FINDING_FLAP);
	assert_string_equal(p->findings[0].dn, FX_ANN);
	assert_string_equal(p->findings[0].attr, "title");
	assert_non_null(strstr(p->findings[0].message, "3 consecutive runs"));
	agent_flap_free(&f);
	map_plan_free(p);
	/* Later runs: held, the finding names the run that decided it. */
	p = cycle(s, "Engineer", "Lead", 1, &f);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(f.held, 1);
	assert_non_null(strstr(p->findings[0].message, "quarantined by run"));
	assert_non_null(strstr(p->findings[0].message, "soabridge release "
	    FX_GUID_ANN));
	agent_flap_free(&f);
	map_plan_free(p);
	assert_int_equal(agent_flap_quarantined(s, &q, NULL), SB_OK);
	assert_int_equal(q.n, 1);
	assert_string_equal(q.v[0].guid, FX_GUID_ANN);
	assert_int_equal(q.v[0].count, 3);
	agent_flap_list_free(&q);
	agent_state_close(s);
}

static void
test_flap_a_run_without_a_revert_starts_the_count_again(void **state)
{
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	wrote_title(s, "Engineer", "Lead");
	p = cycle(s, "Engineer", "Lead", 1, &f);
	assert_int_equal(f.counts.v[0].count, 1);
	agent_flap_free(&f);
	map_plan_free(p);
	wrote_title(s, "Engineer", "Lead");
	/* The cloud moved on; AD still holds what was written: no revert. */
	p = cycle(s, "Lead", "Principal", 1, &f);
	assert_int_equal(f.counts.n, 0);
	assert_int_equal(p->nchanges, 1);
	agent_flap_free(&f);
	map_plan_free(p);
	wrote_title(s, "Lead", "Principal");
	p = cycle(s, "Engineer", "Principal", 1, &f);
	assert_int_equal(f.counts.v[0].count, 1);
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);
}

static void
test_flap_a_plan_without_commit_records_nothing(void **state)
{
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;
	int i;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	wrote_title(s, "Engineer", "Lead");
	for (i = 0; i < 4; i++) {
		p = cycle(s, "Engineer", "Lead", 0, &f);
		assert_int_equal(f.counts.v[0].count, 1);
		assert_int_equal(p->nchanges, 1);
		agent_flap_free(&f);
		map_plan_free(p);
	}
	/* No state at all: nothing counts, nothing is dropped. */
	p = plan_title("Engineer", "Lead");
	assert_int_equal(agent_flap_filter(NULL, p, ann_guid, 1, &f, NULL),
	    SB_OK);
	assert_int_equal(p->nchanges, 1);
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);
}

static void
quarantine_ann(struct agent_state *s)
{
	struct agent_flaps f;
	struct plan *p;
	int i;

	wrote_title(s, "Engineer", "Lead");
	for (i = 0; i < 3; i++) {
		p = cycle(s, "Engineer", "Lead", 1, &f);
		agent_flap_free(&f);
		map_plan_free(p);
		if (i < 2)
			wrote_title(s, "Engineer", "Lead");
	}
}

static void
test_flap_release_by_guid_or_dn_ends_the_quarantine(void **state)
{
	struct agent_state *s = NULL;
	struct flap_list hit = { NULL, 0 }, q = { NULL, 0 };
	struct agent_flaps f;
	struct plan *p;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	quarantine_ann(s);
	assert_int_equal(agent_flap_release(s, "CN=Bob,OU=Staff,DC=corp,"
	    "DC=example", &hit, NULL), SB_OK);
	assert_int_equal(hit.n, 0);
	assert_int_equal(agent_flap_release(s, "{0A0B0C0D-0E0F-1011-1213-"
	    "141516171819}", &hit, NULL), SB_OK);
	assert_int_equal(hit.n, 1);
	assert_string_equal(hit.v[0].dn, FX_ANN);
	agent_flap_list_free(&hit);
	assert_int_equal(agent_flap_quarantined(s, &q, NULL), SB_OK);
	assert_int_equal(q.n, 0);
	agent_flap_list_free(&q);
	/* Written again, without counting what was put back by hand... */
	p = cycle(s, "Engineer", "Lead", 1, &f);
	assert_int_equal(p->nchanges, 1);
	assert_int_equal(p->nfindings, 0);
	assert_int_equal(f.counts.n, 0);
	agent_flap_free(&f);
	map_plan_free(p);
	wrote_title(s, "Engineer", "Lead");
	/* ... and counted from one when it is put back again. */
	p = cycle(s, "Engineer", "Lead", 1, &f);
	assert_int_equal(p->nchanges, 1);
	assert_int_equal(f.counts.v[0].count, 1);
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);

	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	quarantine_ann(s);
	assert_int_equal(agent_flap_release(s, "cn=ann, ou=staff,dc=corp,"
	    "dc=example", &hit, NULL), SB_OK);
	assert_int_equal(hit.n, 1);
	agent_flap_list_free(&hit);
	agent_state_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flap_counting_is_pure_and_resets),
		cmocka_unit_test(test_flap_three_reverts_quarantine_the_object),
		cmocka_unit_test(test_flap_a_run_without_a_revert_starts_the_count_again),
		cmocka_unit_test(test_flap_a_plan_without_commit_records_nothing),
		cmocka_unit_test(test_flap_release_by_guid_or_dn_ends_the_quarantine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
