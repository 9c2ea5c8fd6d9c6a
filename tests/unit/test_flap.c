/* Unit tests of agent/store/flap.c: counting changes undone in AD, quarantine, release. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/store/flap.h"
#include "agent/store/journal.h"
#include "test_agent.h"


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
	const char *ann_guid[] = { FX_GUID_ANN };
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
	const char *ann_guid[1];
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
	ann_guid[0] = FX_GUID_ANN;
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

/* ---- membership and whole objects ---- */

#define GRP	"CN=SG-Eng,OU=Groups,DC=corp,DC=example"
#define M_A	"CN=A,OU=Staff,DC=corp,DC=example"
#define M_B	"CN=B,OU=Staff,DC=corp,DC=example"
#define M_C	"CN=C,OU=Staff,DC=corp,DC=example"
#define M_D	"CN=D,OU=Staff,DC=corp,DC=example"
#define M_E	"CN=E,OU=Staff,DC=corp,DC=example"

/*
 * A member change of GRP as mapping/groups.c makes them: the added values,
 * and the deleted ones, whose before holds only them (plan.h).  adds and
 * dels are NULL-terminated lists (either may be NULL).
 */
static void
member_change(struct change *c, const char *const *adds,
    const char *const *dels)
{
	struct sb_bytes v[8];
	const struct sb_bytes *pv[8];
	size_t n;

	fx_change(c, GRP);
	for (n = 0; dels != NULL && dels[n] != NULL; n++) {
		v[n] = fx_b(dels[n]);
		pv[n] = &v[n];
	}
	if (n > 0)
		assert_int_equal(map_change_add_delta(c, "member",
		    MAP_DELTA_DELETE, pv, n, v, n, NULL), SB_OK);
	for (n = 0; adds != NULL && adds[n] != NULL; n++) {
		v[n] = fx_b(adds[n]);
		pv[n] = &v[n];
	}
	if (n > 0)
		assert_int_equal(map_change_add_delta(c, "member",
		    MAP_DELTA_ADD, pv, n, NULL, 0, NULL), SB_OK);
}

/* Journals c (of the object guid) as applied by a new run; clears c. */
static void
applied(struct agent_state *s, struct change *c, const char *guid)
{
	struct journal_rows r = { NULL, 0 };
	long long run;

	assert_int_equal(agent_state_run_begin(s, "sync", 0, &run, NULL),
	    SB_OK);
	assert_int_equal(agent_journal_from_change(c, guid, run, 0, &r, NULL),
	    SB_OK);
	assert_int_equal(agent_journal_pending(s, &r, NULL), SB_OK);
	assert_int_equal(agent_journal_mark(s, run, 0, JOURNAL_APPLIED, NULL,
	    NULL, 0, NULL), SB_OK);
	agent_journal_rows_free(&r);
	map_change_clear(c);
}

static void
applied_members(struct agent_state *s, const char *const *adds,
    const char *const *dels)
{
	struct change c;

	member_change(&c, adds, dels);
	applied(s, &c, FX_GUID_BOB);
}

/*
 * One run's flap step over a plan of GRP's member change (adds, dels):
 * filter, then commit.  Returns the plan; f holds what was decided.
 */
static struct plan *
member_cycle(struct agent_state *s, const char *const *adds,
    const char *const *dels, struct agent_flaps *f)
{
	const char *grp_guid[] = { FX_GUID_BOB };
	struct plan *p = map_plan_new();
	struct change c;
	long long run;

	assert_non_null(p);
	member_change(&c, adds, dels);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	assert_int_equal(agent_flap_filter(s, p, grp_guid, 3, f, NULL), SB_OK);
	assert_int_equal(agent_state_run_begin(s, "sync", 0, &run, NULL),
	    SB_OK);
	assert_int_equal(agent_flap_commit(s, f, run, NULL), SB_OK);
	return p;
}

static void
test_flap_a_group_gaining_a_member_every_run_is_not_flapping(void **state)
{
	static const char *const m[] = { M_A, M_B, M_C, M_D, M_E };
	const char *one[2] = { NULL, NULL };
	struct agent_state *s = NULL;
	struct flap_list q = { NULL, 0 };
	struct agent_flaps f;
	struct plan *p;
	size_t i;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	one[0] = m[0];
	applied_members(s, one, NULL);
	/* Each run adds a member soabridge never wrote: growth. */
	for (i = 1; i < 5; i++) {
		one[0] = m[i];
		p = member_cycle(s, one, NULL, &f);
		assert_int_equal(p->nchanges, 1);
		assert_int_equal(p->nfindings, 0);
		assert_int_equal(f.counts.n, 0);
		assert_int_equal(f.quarantine.n, 0);
		agent_flap_free(&f);
		map_plan_free(p);
		applied_members(s, one, NULL);
	}
	assert_int_equal(agent_flap_quarantined(s, &q, NULL), SB_OK);
	assert_int_equal(q.n, 0);
	agent_flap_list_free(&q);
	agent_state_close(s);
}

static void
test_flap_members_removed_by_hand_three_runs_running_quarantine(void **state)
{
	static const char *const first[] = { M_A, M_B, M_C, NULL };
	/* Whoever removes them takes a different one each time. */
	static const char *const gone[] = { M_A, M_B, M_C };
	const char *one[2] = { NULL, NULL };
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;
	int i;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	applied_members(s, first, NULL);
	for (i = 0; i < 2; i++) {
		one[0] = gone[i];
		p = member_cycle(s, one, NULL, &f);
		assert_int_equal(p->nchanges, 1);
		assert_int_equal(f.counts.n, 1);
		assert_string_equal(f.counts.v[0].attr, "member");
		assert_int_equal(f.counts.v[0].count, i + 1);
		agent_flap_free(&f);
		map_plan_free(p);
		applied_members(s, one, NULL);
	}
	one[0] = gone[2];
	p = member_cycle(s, one, NULL, &f);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(f.quarantine.n, 1);
	assert_int_equal(p->nfindings, 1);
	assert_int_equal(p->findings[0].kind, MAP_FINDING_FLAP);
	assert_string_equal(p->findings[0].attr, "member");
	assert_non_null(strstr(p->findings[0].message, "3 consecutive runs"));
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);
}

static void
test_flap_a_member_put_back_by_hand_is_a_revert(void **state)
{
	static const char *const c_only[] = { M_C, NULL };
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	/* soabridge removed C; someone added C back; the plan removes it. */
	applied_members(s, NULL, c_only);
	p = member_cycle(s, NULL, c_only, &f);
	assert_int_equal(f.counts.n, 1);
	assert_int_equal(f.counts.v[0].count, 1);
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);
}

static void
test_flap_only_soabridges_newest_write_of_a_value_counts(void **state)
{
	static const char *const a_only[] = { M_A, NULL };
	static const char *const a_other_spelling[] = {
	    "cn=a, ou=STAFF,dc=corp,dc=example", NULL };
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	applied_members(s, a_only, NULL);
	/* The cloud dropped A and soabridge removed it: its newest write. */
	applied_members(s, NULL, a_only);
	/* The cloud adds A again: not a revert of anything. */
	p = member_cycle(s, a_only, NULL, &f);
	assert_int_equal(f.counts.n, 0);
	agent_flap_free(&f);
	map_plan_free(p);
	/* The cloud removes what soabridge added: not a revert either. */
	applied_members(s, a_only, NULL);
	p = member_cycle(s, NULL, a_only, &f);
	assert_int_equal(f.counts.n, 0);
	agent_flap_free(&f);
	map_plan_free(p);
	/* Member DNs compare as DNs: re-adding A in another spelling. */
	applied_members(s, a_only, NULL);
	p = member_cycle(s, a_other_spelling, NULL, &f);
	assert_int_equal(f.counts.n, 1);
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);
}

/* GRP's parts: a description, a member chunk, a move; then Ann's title. */
static struct plan *
plan_parts(void)
{
	static const char *const a_only[] = { M_A, NULL };
	struct plan *p = map_plan_new();
	struct change c;

	assert_non_null(p);
	fx_change(&c, GRP);
	fx_delta(&c, "description", MAP_DELTA_REPLACE, "old", NULL, "new",
	    NULL);
	c.part = 1;
	c.nparts = 3;
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	member_change(&c, a_only, NULL);
	c.part = 2;
	c.nparts = 3;
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	fx_change(&c, GRP);
	c.op = MAP_CHANGE_RENAME;
	c.new_rdn = strdup("CN=SG-Eng");
	c.new_superior = strdup("OU=Eng,OU=Groups,DC=corp,DC=example");
	c.part = 3;
	c.nparts = 3;
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "Engineer", NULL, "Lead",
	    NULL);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	return p;
}

/* The GUIDs of plan_parts' changes, fresh: the filter compacts them. */
static void
parts_guids(const char *guids[4])
{
	guids[0] = guids[1] = guids[2] = FX_GUID_BOB;
	guids[3] = FX_GUID_ANN;
}

static void
test_flap_a_quarantine_on_one_attribute_stops_every_part(void **state)
{
	const char *guids[4];
	static const char *const a_only[] = { M_A, NULL };
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;
	long long run;
	int i;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	for (i = 0; i < 3; i++) {
		applied_members(s, a_only, NULL);
		p = plan_parts();
		parts_guids(guids);
		assert_int_equal(agent_flap_filter(s, p, guids, 3, &f, NULL),
		    SB_OK);
		assert_int_equal(agent_state_run_begin(s, "sync", 0, &run,
		    NULL), SB_OK);
		assert_int_equal(agent_flap_commit(s, &f, run, NULL), SB_OK);
		agent_flap_free(&f);
		if (i < 2) {
			assert_int_equal(p->nchanges, 4);
			map_plan_free(p);
		}
	}
	/* member decided it; the description and the move go too. */
	assert_int_equal(p->nchanges, 1);
	assert_string_equal(p->changes[0].dn, FX_ANN);
	/* The GUIDs left with their changes: Ann's is first now. */
	assert_string_equal(guids[0], FX_GUID_ANN);
	assert_int_equal(p->nfindings, 1);
	assert_string_equal(p->findings[0].dn, GRP);
	assert_string_equal(p->findings[0].attr, "member");
	map_plan_free(p);
	/* Later runs: every part held, one finding for the object. */
	p = plan_parts();
	parts_guids(guids);
	assert_int_equal(agent_flap_filter(s, p, guids, 3, &f, NULL), SB_OK);
	assert_int_equal(p->nchanges, 1);
	assert_int_equal(f.held, 3);
	assert_int_equal(p->nfindings, 1);
	assert_non_null(strstr(p->findings[0].message, "quarantined by run"));
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);
}

static void
test_flap_a_move_undone_by_hand_is_a_revert(void **state)
{
	const char *guids[] = { FX_GUID_BOB };
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;
	struct change c;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	fx_change(&c, GRP);
	c.op = MAP_CHANGE_RENAME;
	c.new_rdn = strdup("CN=SG-Eng");
	c.new_superior = strdup("OU=Eng,OU=Groups,DC=corp,DC=example");
	applied(s, &c, FX_GUID_BOB);
	/* Moved back by hand: the plan moves it again. */
	p = map_plan_new();
	assert_non_null(p);
	fx_change(&c, GRP);
	c.op = MAP_CHANGE_RENAME;
	c.new_rdn = strdup("CN=SG-Eng");
	c.new_superior = strdup("ou=eng,ou=groups,dc=corp,dc=example");
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	assert_int_equal(agent_flap_filter(s, p, guids, 3, &f, NULL), SB_OK);
	assert_int_equal(f.counts.n, 1);
	assert_string_equal(f.counts.v[0].attr, AGENT_JOURNAL_DN_ATTR);
	agent_flap_free(&f);
	map_plan_free(p);
	agent_state_close(s);
}

static void
test_flap_a_value_undone_by_hand_counts_even_after_later_writes(void **state)
{
	const char *ann_guid1[] = { FX_GUID_ANN };
	struct agent_state *s = NULL;
	struct agent_flaps f;
	struct plan *p;
	struct change c;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    NULL), SB_OK);
	/* soabridge added smtp:x, then (a later run) smtp:y. */
	fx_change(&c, FX_ANN);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, "SMTP:a", NULL,
	    "smtp:x", NULL);
	applied(s, &c, FX_GUID_ANN);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, "SMTP:a", "smtp:x",
	    NULL, "smtp:y", NULL);
	applied(s, &c, FX_GUID_ANN);
	/* Someone removed smtp:x; the plan adds it again: a revert. */
	p = map_plan_new();
	assert_non_null(p);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, "SMTP:a", "smtp:y",
	    NULL, "smtp:x", NULL);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
	assert_int_equal(agent_flap_filter(s, p, ann_guid1, 3, &f, NULL),
	    SB_OK);
	assert_int_equal(f.counts.n, 1);
	assert_string_equal(f.counts.v[0].attr, "proxyAddresses");
	agent_flap_free(&f);
	map_plan_free(p);
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
		cmocka_unit_test(test_flap_a_group_gaining_a_member_every_run_is_not_flapping),
		cmocka_unit_test(test_flap_members_removed_by_hand_three_runs_running_quarantine),
		cmocka_unit_test(test_flap_a_member_put_back_by_hand_is_a_revert),
		cmocka_unit_test(test_flap_only_soabridges_newest_write_of_a_value_counts),
		cmocka_unit_test(test_flap_a_quarantine_on_one_attribute_stops_every_part),
		cmocka_unit_test(test_flap_a_move_undone_by_hand_is_a_revert),
		cmocka_unit_test(test_flap_a_value_undone_by_hand_counts_even_after_later_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
