/* Flap counting and quarantine: changes that keep being undone in AD stop being written. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/flap.h"
#include "agent/journal.h"
#include "agent/log.h"
#include "ldap/trace.h"
#include "mapping/dn.h"

long
agent_flap_next(long count, int changed_back)
{
	return changed_back ? count + 1 : 0;
}

int
agent_flap_trips(long count, long threshold)
{
	return threshold > 0 && count >= threshold;
}

static void
entry_clear(struct flap_entry *e)
{
	free(e->dn);
	free(e->attr);
	memset(e, 0, sizeof(*e));
}

void
agent_flap_list_free(struct flap_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		entry_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
agent_flap_free(struct agent_flaps *f)
{
	if (f == NULL)
		return;
	agent_flap_list_free(&f->counts);
	agent_flap_list_free(&f->quarantine);
	f->held = 0;
}

static enum sb_status
list_add(struct flap_list *l, const char *guid, const char *dn,
    const char *attr, long count, long long run, const char *since,
    struct sb_error *err)
{
	struct flap_entry *nv, *e;

	nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "flap", "out of memory");
	l->v = nv;
	e = &nv[l->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->guid, sizeof(e->guid), "%s", guid);
	e->dn = strdup(dn ? dn : "");
	e->attr = strdup(attr ? attr : "");
	e->count = count;
	e->run = run;
	snprintf(e->since, sizeof(e->since), "%s", since ? since : "");
	if (e->dn == NULL || e->attr == NULL) {
		entry_clear(e);
		return sb_fail(err, SB_BUG, ENOMEM, "flap", "out of memory");
	}
	l->n++;
	return SB_OK;
}

/*
 * Quarantine rows; guid NULL for all.  Released ones (in their grace run)
 * only when with_released.
 */
static enum sb_status
load_quarantine(struct agent_state *s, const char *guid, int with_released,
    struct flap_list *out, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;
	int rc;

	if (sqlite3_prepare_v2(agent_state_db(s), "SELECT guid, dn, attr, "
	    "count, run, since, released IS NOT NULL FROM quarantine WHERE "
	    "(?1 IS NULL OR guid = ?1) AND (?2 OR released IS NULL) ORDER BY "
	    "dn", -1, &q, NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "flap.quarantine", err);
		goto done;
	}
	if (guid != NULL)
		sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, with_released);
	while (st == SB_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		st = list_add(out, (const char *)sqlite3_column_text(q, 0),
		    (const char *)sqlite3_column_text(q, 1),
		    (const char *)sqlite3_column_text(q, 2),
		    (long)sqlite3_column_int64(q, 3), sqlite3_column_int64(q,
		    4), (const char *)sqlite3_column_text(q, 5), err);
		if (st == SB_OK)
			out->v[out->n - 1].released = sqlite3_column_int(q, 6);
	}
	if (st == SB_OK && rc != SQLITE_DONE)
		st = agent_state_fail(s, "flap.quarantine", err);
done:
	sqlite3_finalize(q);
	return st;
}

static enum sb_status
load_count(struct agent_state *s, const char *guid, const char *attr,
    long *count, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;
	int rc;

	*count = 0;
	if (sqlite3_prepare_v2(agent_state_db(s), "SELECT count FROM flaps "
	    "WHERE guid = ? AND attr = ?", -1, &q, NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "flap.count", err);
		goto done;
	}
	sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, attr, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(q, 0);
	else if (rc != SQLITE_DONE)
		st = agent_state_fail(s, "flap.count", err);
done:
	sqlite3_finalize(q);
	return st;
}

/* Did AD change attr of guid since soabridge last wrote it?  before: AD now. */
static enum sb_status
changed_back(struct agent_state *s, const char *guid,
    const struct journal_row *now, int *out, struct sb_error *err)
{
	struct journal_rows last = { NULL, 0 };
	enum sb_status st;

	*out = 0;
	st = agent_journal_last_applied(s, guid, now->attr, &last, err);
	if (st == SB_OK && last.n == 1)
		*out = agent_journal_holds(&last.v[0], now->before,
		    now->nbefore) != JOURNAL_HOLDS_AFTER;
	agent_journal_rows_free(&last);
	return st;
}

/* A flap finding in place of change c. */
static enum sb_status
add_finding(struct plan *p, const struct change *c, const char *guid,
    const char *attr, long count, long long run, struct sb_error *err)
{
	struct dirobj ad, cloud;
	char when[48];

	memset(&ad, 0, sizeof(ad));
	memset(&cloud, 0, sizeof(cloud));
	ad.kind = cloud.kind = c->kind;
	ad.dn = c->dn;
	cloud.cloud_id = c->cloud_id;
	cloud.display_name = c->display_name;
	if (run > 0)
		snprintf(when, sizeof(when), "quarantined by run %lld", run);
	else
		snprintf(when, sizeof(when), "quarantined now");
	return map_plan_add_finding(p, err, MAP_FINDING_FLAP, &ad,
	    c->cloud_id ? &cloud : NULL, attr, "changed back in AD on %ld "
	    "consecutive runs: %s, nothing written ('soabridge release %s' "
	    "ends it)", count, when, guid);
}

/*
 * One change: 1 in *drop when its object is (or now becomes) quarantined.
 * Counts go to f.
 */
static enum sb_status
filter_change(struct agent_state *s, struct plan *p, const struct change *c,
    const char *guid, long threshold, struct agent_flaps *f, int *drop,
    struct sb_error *err)
{
	struct flap_list q = { NULL, 0 };
	struct journal_rows rows = { NULL, 0 };
	const char *trip = NULL;
	char qdn[AD_TRACE_QBUF];
	long count, tripcount = 0;
	enum sb_status st;
	size_t i;
	int back;

	*drop = 0;
	st = load_quarantine(s, guid, 1, &q, err);
	if (st != SB_OK)
		goto done;
	if (q.n > 0 && q.v[0].released) {
		/* Just released: written without counting what is there. */
		log_info("flap.grace dn=%s guid=%s (released: not counted "
		    "this run)", ad_trace_qstr(qdn, sizeof(qdn), c->dn), guid);
		goto done;
	}
	if (q.n > 0) {
		*drop = 1;
		f->held++;
		st = add_finding(p, c, guid, q.v[0].attr, q.v[0].count,
		    q.v[0].run, err);
		goto done;
	}
	st = agent_journal_from_change(c, guid, 0, 0, &rows, err);
	for (i = 0; st == SB_OK && i < rows.n; i++) {
		st = changed_back(s, guid, &rows.v[i], &back, err);
		if (st == SB_OK)
			st = load_count(s, guid, rows.v[i].attr, &count, err);
		if (st != SB_OK || !back)
			continue;
		count = agent_flap_next(count, back);
		log_info("flap.count dn=%s guid=%s attr=%s count=%ld "
		    "threshold=%ld", ad_trace_qstr(qdn, sizeof(qdn), c->dn),
		    guid, rows.v[i].attr, count, threshold);
		st = list_add(&f->counts, guid, c->dn, rows.v[i].attr, count, 0,
		    NULL, err);
		if (st == SB_OK && trip == NULL &&
		    agent_flap_trips(count, threshold)) {
			trip = rows.v[i].attr;
			tripcount = count;
			st = list_add(&f->quarantine, guid, c->dn, trip, count,
			    0, NULL, err);
		}
	}
	if (st != SB_OK || trip == NULL)
		goto done;
	*drop = 1;
	log_warn("flap.quarantine dn=%s guid=%s attr=%s count=%ld",
	    ad_trace_qstr(qdn, sizeof(qdn), c->dn), guid, trip, tripcount);
	st = add_finding(p, c, guid, trip, tripcount, 0, err);
done:
	agent_journal_rows_free(&rows);
	agent_flap_list_free(&q);
	return st;
}

enum sb_status
agent_flap_filter(struct agent_state *s, struct plan *p,
    const char *const *guids, long threshold, struct agent_flaps *out,
    struct sb_error *err)
{
	struct agent_flaps f;
	enum sb_status st = SB_OK;
	size_t i, keep = 0, nf = p->nfindings;
	int drop;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < p->nchanges; i++) {
		drop = 0;
		if (s != NULL && guids[i] != NULL && guids[i][0] != '\0' &&
		    st == SB_OK)
			st = filter_change(s, p, &p->changes[i], guids[i],
			    threshold, &f, &drop, err);
		if (drop) {
			map_change_clear(&p->changes[i]);
			continue;
		}
		if (keep != i) {
			p->changes[keep] = p->changes[i];
			memset(&p->changes[i], 0, sizeof(p->changes[i]));
		}
		keep++;
	}
	p->nchanges = keep;
	if (p->nfindings != nf)
		map_plan_sort(p);
	if (st != SB_OK) {
		agent_flap_free(&f);
		return st;
	}
	*out = f;
	return SB_OK;
}

static enum sb_status
step(struct agent_state *s, sqlite3_stmt *q, const char *where,
    struct sb_error *err)
{
	enum sb_status st = SB_OK;

	if (sqlite3_step(q) != SQLITE_DONE)
		st = agent_state_fail(s, where, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return st;
}

enum sb_status
agent_flap_commit(struct agent_state *s, const struct agent_flaps *f,
    long long run, struct sb_error *err)
{
	static const char up[] = "INSERT INTO flaps (guid, attr, dn, count, "
	    "run) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (guid, attr) DO "
	    "UPDATE SET dn = ?3, count = ?4, run = ?5";
	static const char quar[] = "INSERT OR REPLACE INTO quarantine (guid, "
	    "dn, attr, count, run, since) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	char now[AGENT_STATE_TIME_SIZE];
	sqlite3_stmt *qu = NULL, *qq = NULL, *qd = NULL;
	sqlite3 *db = agent_state_db(s);
	const struct flap_entry *e;
	enum sb_status st;
	size_t i;

	agent_state_now(now);
	st = agent_state_begin(s, err);
	if (st != SB_OK)
		return st;
	if (sqlite3_prepare_v2(db, up, -1, &qu, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, quar, -1, &qq, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM flaps WHERE run <> ?", -1, &qd,
	    NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "flap.commit", err);
		goto done;
	}
	for (i = 0; st == SB_OK && i < f->counts.n; i++) {
		e = &f->counts.v[i];
		sqlite3_bind_text(qu, 1, e->guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(qu, 2, e->attr, -1, SQLITE_STATIC);
		sqlite3_bind_text(qu, 3, e->dn, -1, SQLITE_STATIC);
		sqlite3_bind_int64(qu, 4, e->count);
		sqlite3_bind_int64(qu, 5, run);
		st = step(s, qu, "flap.commit", err);
	}
	/* A pair this run did not find changed back starts from zero. */
	if (st == SB_OK) {
		sqlite3_bind_int64(qd, 1, run);
		st = step(s, qd, "flap.commit", err);
	}
	/* Released objects had their one run of grace: this one. */
	if (st == SB_OK)
		st = agent_state_exec(s, "DELETE FROM quarantine WHERE "
		    "released IS NOT NULL", "flap.commit", err);
	for (i = 0; st == SB_OK && i < f->quarantine.n; i++) {
		e = &f->quarantine.v[i];
		sqlite3_bind_text(qq, 1, e->guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(qq, 2, e->dn, -1, SQLITE_STATIC);
		sqlite3_bind_text(qq, 3, e->attr, -1, SQLITE_STATIC);
		sqlite3_bind_int64(qq, 4, e->count);
		sqlite3_bind_int64(qq, 5, run);
		sqlite3_bind_text(qq, 6, now, -1, SQLITE_STATIC);
		st = step(s, qq, "flap.commit", err);
	}
	if (st == SB_OK)
		st = agent_state_commit(s, err);
done:
	sqlite3_finalize(qu);
	sqlite3_finalize(qq);
	sqlite3_finalize(qd);
	if (st != SB_OK)
		agent_state_rollback(s);
	return st;
}

enum sb_status
agent_flap_quarantined(struct agent_state *s, struct flap_list *out,
    struct sb_error *err)
{
	struct flap_list l = { NULL, 0 };
	enum sb_status st;

	st = load_quarantine(s, NULL, 0, &l, err);
	if (st != SB_OK) {
		agent_flap_list_free(&l);
		return st;
	}
	*out = l;
	return SB_OK;
}

/* name is this entry's GUID (any case, braces optional) or DN. */
static int
names(const struct flap_entry *e, const char *name)
{
	unsigned char g[MAP_GUID_LEN];
	char text[MAP_GUID_TEXT_SIZE];

	if (map_guid_from_text(name, g, NULL) == SB_OK &&
	    map_guid_to_text(g, sizeof(g), text, sizeof(text), NULL) == SB_OK)
		return strcasecmp(text, e->guid) == 0;
	return map_dn_valid(name) && map_dn_equal(name, e->dn);
}

enum sb_status
agent_flap_release(struct agent_state *s, const char *name,
    struct flap_list *out, struct sb_error *err)
{
	struct flap_list all = { NULL, 0 }, hit = { NULL, 0 };
	sqlite3_stmt *q1 = NULL, *q2 = NULL;
	char now[AGENT_STATE_TIME_SIZE], qdn[AD_TRACE_QBUF];
	const struct flap_entry *e;
	enum sb_status st;
	size_t i;

	st = agent_state_begin(s, err);
	if (st != SB_OK)
		return st;
	st = load_quarantine(s, NULL, 0, &all, err);
	for (i = 0; st == SB_OK && i < all.n; i++) {
		e = &all.v[i];
		if (names(e, name))
			st = list_add(&hit, e->guid, e->dn, e->attr, e->count,
			    e->run, e->since, err);
	}
	if (st != SB_OK)
		goto done;
	if (sqlite3_prepare_v2(agent_state_db(s), "UPDATE quarantine SET "
	    "released = ?2 WHERE guid = ?1", -1, &q1, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(agent_state_db(s), "DELETE FROM flaps WHERE "
	    "guid = ?", -1, &q2, NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "flap.release", err);
		goto done;
	}
	agent_state_now(now);
	for (i = 0; st == SB_OK && i < hit.n; i++) {
		sqlite3_bind_text(q1, 1, hit.v[i].guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(q1, 2, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(q2, 1, hit.v[i].guid, -1, SQLITE_STATIC);
		st = step(s, q1, "flap.release", err);
		if (st == SB_OK)
			st = step(s, q2, "flap.release", err);
	}
	if (st == SB_OK)
		st = agent_state_commit(s, err);
	if (st != SB_OK)
		goto done;
	for (i = 0; i < hit.n; i++)
		log_info("flap.release dn=%s guid=%s", ad_trace_qstr(qdn,
		    sizeof(qdn), hit.v[i].dn), hit.v[i].guid);
	*out = hit;
	hit.v = NULL;
	hit.n = 0;
done:
	sqlite3_finalize(q1);
	sqlite3_finalize(q2);
	if (st != SB_OK)
		agent_state_rollback(s);
	agent_flap_list_free(&all);
	agent_flap_list_free(&hit);
	return st;
}
