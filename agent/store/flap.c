/* Flap counting and quarantine: changes that keep being undone in AD stop being written. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/store/array.h"
#include "agent/store/flap.h"
#include "agent/store/flapscan.h"
#include "agent/store/journal.h"
#include "mapping/log.h"
#include "agent/store/values.h"
#include "mapping/dn.h"
#include "mapping/quote.h"

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

/* void *: agent_array_free() clears each entry through it. */
static void
entry_clear(void *p)
{
	struct flap_entry *e = p;

	free(e->dn);
	free(e->attr);
	memset(e, 0, sizeof(*e));
}

void
agent_flap_list_free(struct flap_list *l)
{
	if (l == NULL)
		return;
	agent_array_free(l->v, l->n, sizeof(l->v[0]), entry_clear);
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

	st = agent_state_prepare(s, "flap.quarantine", &q,
	    "SELECT guid, dn, attr, "
	    "count, run, since, released IS NOT NULL FROM quarantine WHERE "
	    "(?1 IS NULL OR guid = ?1) AND (?2 OR released IS NULL) ORDER BY "
	    "dn", err);
	if (st != SB_OK)
		goto done;
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
	st = agent_state_prepare(s, "flap.count", &q,
	    "SELECT count FROM flaps "
	    "WHERE guid = ? AND attr = ?", err);
	if (st != SB_OK)
		goto done;
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

/*
 * How many journal rows of one (object, attribute) a run reads, newest
 * first, to learn what soabridge last wrote of the planned values: a
 * write older than that many of its own writes to the same attribute is
 * history, not a fight.  It bounds the work on a group whose membership
 * soabridge has written run after run for years.
 */
#define FLAP_HISTORY_MAX	10000

/* soabridge's applied writes of (guid, attribute of fs), newest first. */
static enum sb_status
read_history(struct agent_state *s, const char *guid, struct flapscan *fs,
    struct sb_error *err)
{
	struct sb_bytes *b = NULL, *a = NULL;
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;
	size_t nb = 0, na = 0;
	int rc = SQLITE_DONE;

	st = agent_state_prepare(s, "flap.history", &q,
	    "SELECT before, after FROM "
	    "journal WHERE guid = ?1 AND attr = ?2 AND state = 'applied' "
	    "ORDER BY id DESC LIMIT ?3", err);
	if (st != SB_OK)
		goto done;
	sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, agent_flapscan_attr(fs), -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, FLAP_HISTORY_MAX);
	while (st == SB_OK && !agent_flapscan_done(fs) &&
	    (rc = sqlite3_step(q)) == SQLITE_ROW) {
		st = agent_values_decode((const char *)sqlite3_column_text(q,
		    0), &b, &nb, err);
		if (st == SB_OK)
			st = agent_values_decode((const char *)
			    sqlite3_column_text(q, 1), &a, &na, err);
		if (st == SB_OK)
			st = agent_flapscan_history(fs, b, nb, a, na, err);
		agent_values_clear(&b, &nb);
		agent_values_clear(&a, &na);
	}
	if (st == SB_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = agent_state_fail(s, "flap.history", err);
done:
	sqlite3_finalize(q);
	return st;
}

/* The changes of one object in the plan: their indexes, in plan order. */
struct flap_obj {
	const char	*guid;
	const size_t	*idx;
	size_t		 n;
};

/* A flap finding in place of the changes of the object of change c. */
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
	    "consecutive runs: %s, nothing written to the object ('soabridge "
	    "release %s' ends it)", count, when, guid);
}

/*
 * Counts the attributes of one object whose planned values revert what
 * soabridge wrote; *trip names the first that reaches the threshold.
 */
static enum sb_status
count_reverts(struct agent_state *s, const struct plan *p,
    const struct flap_obj *ob, long threshold, struct agent_flaps *f,
    const char **trip, long *tripcount, struct sb_error *err)
{
	struct flapscan_list sc = { NULL, 0 };
	const char *dn = p->changes[ob->idx[0]].dn, *attr;
	char qdn[MAP_QUOTE_BUF];
	enum sb_status st;
	size_t i, nrev;
	long count;

	*trip = NULL;
	st = agent_flapscan_changes(p, ob->idx, ob->n, ob->guid, &sc, err);
	for (i = 0; st == SB_OK && i < sc.n; i++) {
		st = read_history(s, ob->guid, sc.v[i], err);
		nrev = st == SB_OK ? agent_flapscan_reverts(sc.v[i]) : 0;
		if (nrev == 0)
			continue;
		attr = agent_flapscan_attr(sc.v[i]);
		st = load_count(s, ob->guid, attr, &count, err);
		if (st != SB_OK)
			break;
		count = agent_flap_next(count, 1);
		log_info("flap.count dn=%s guid=%s attr=%s values=%zu "
		    "count=%ld threshold=%ld", map_quote_str(qdn, sizeof(qdn),
		    dn), ob->guid, attr, nrev, count, threshold);
		st = list_add(&f->counts, ob->guid, dn, attr, count, 0, NULL,
		    err);
		if (st != SB_OK || *trip != NULL ||
		    !agent_flap_trips(count, threshold))
			continue;
		st = list_add(&f->quarantine, ob->guid, dn, attr, count, 0,
		    NULL, err);
		/* The list owns a copy: sc goes before the caller reads it. */
		if (st == SB_OK) {
			*trip = f->quarantine.v[f->quarantine.n - 1].attr;
			*tripcount = count;
		}
	}
	agent_flapscan_list_free(&sc);
	return st;
}

/*
 * One object: 1 in *drop when it is (or now becomes) quarantined; then
 * none of its changes is written this run, whichever attribute decided.
 */
static enum sb_status
filter_object(struct agent_state *s, struct plan *p, const struct flap_obj *ob,
    long threshold, struct agent_flaps *f, int *drop, struct sb_error *err)
{
	struct flap_list q = { NULL, 0 };
	const struct change *c = &p->changes[ob->idx[0]];
	const char *trip = NULL;
	char qdn[MAP_QUOTE_BUF];
	long tripcount = 0;
	enum sb_status st;

	*drop = 0;
	st = load_quarantine(s, ob->guid, 1, &q, err);
	if (st != SB_OK)
		goto done;
	if (q.n > 0 && q.v[0].released) {
		/* Just released: written without counting what is there. */
		log_info("flap.grace dn=%s guid=%s (released: not counted "
		    "this run)", map_quote_str(qdn, sizeof(qdn), c->dn),
		    ob->guid);
		goto done;
	}
	if (q.n > 0) {
		*drop = 1;
		f->held += ob->n;
		st = add_finding(p, c, ob->guid, q.v[0].attr, q.v[0].count,
		    q.v[0].run, err);
		goto done;
	}
	st = count_reverts(s, p, ob, threshold, f, &trip, &tripcount, err);
	if (st != SB_OK || trip == NULL)
		goto done;
	*drop = 1;
	log_warn("flap.quarantine dn=%s guid=%s attr=%s count=%ld changes=%zu",
	    map_quote_str(qdn, sizeof(qdn), c->dn), ob->guid, trip, tripcount,
	    ob->n);
	st = add_finding(p, c, ob->guid, trip, tripcount, 0, err);
done:
	agent_flap_list_free(&q);
	return st;
}

/* A change index with its object's GUID, to sort changes by object. */
struct flap_ref {
	const char	*guid;
	size_t		 i;
};

static int
by_guid(const void *a, const void *b)
{
	const struct flap_ref *x = a, *y = b;
	int c = strcmp(x->guid, y->guid);

	if (c != 0)
		return c;
	return (x->i > y->i) - (x->i < y->i);
}

/*
 * Groups the changes of p by object (GUID known), decides each object, and
 * sets drop[i] for the changes to leave out.
 */
static enum sb_status
filter_objects(struct agent_state *s, struct plan *p,
    const char *const *guids, long threshold, struct agent_flaps *f,
    unsigned char *drop, struct sb_error *err)
{
	struct flap_ref *refs = NULL;
	struct flap_obj ob;
	size_t *idx = NULL, i, k, n = 0, first;
	enum sb_status st = SB_OK;
	int d;

	refs = calloc(p->nchanges + 1, sizeof(*refs));
	idx = calloc(p->nchanges + 1, sizeof(*idx));
	if (refs == NULL || idx == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "flap", "out of memory");
		goto done;
	}
	for (i = 0; i < p->nchanges; i++)
		if (guids[i] != NULL && guids[i][0] != '\0') {
			refs[n].guid = guids[i];
			refs[n++].i = i;
		}
	qsort(refs, n, sizeof(*refs), by_guid);
	for (first = 0; st == SB_OK && first < n; first = k) {
		for (k = first; k < n && strcmp(refs[k].guid,
		    refs[first].guid) == 0; k++)
			idx[k - first] = refs[k].i;
		ob.guid = refs[first].guid;
		ob.idx = idx;
		ob.n = k - first;
		st = filter_object(s, p, &ob, threshold, f, &d, err);
		for (i = 0; st == SB_OK && d && i < ob.n; i++)
			drop[idx[i]] = 1;
	}
done:
	free(refs);
	free(idx);
	return st;
}

enum sb_status
agent_flap_filter(struct agent_state *s, struct plan *p,
    const char **guids, long threshold, struct agent_flaps *out,
    struct sb_error *err)
{
	struct agent_flaps f;
	unsigned char *drop = NULL;
	enum sb_status st = SB_OK;
	size_t i, keep = 0, nf = p->nfindings;

	memset(&f, 0, sizeof(f));
	drop = calloc(p->nchanges + 1, 1);
	if (drop == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "flap", "out of memory");
	if (s != NULL)
		st = filter_objects(s, p, guids, threshold, &f, drop, err);
	for (i = 0; st == SB_OK && i < p->nchanges; i++) {
		if (drop[i]) {
			map_change_clear(&p->changes[i]);
			continue;
		}
		if (keep != i) {
			p->changes[keep] = p->changes[i];
			memset(&p->changes[i], 0, sizeof(p->changes[i]));
			guids[keep] = guids[i];
		}
		keep++;
	}
	if (st == SB_OK)
		p->nchanges = keep;
	/*
	 * For the findings.  p came sorted and dropping keeps the order; a tie
	 * is one DN, hence one GUID: guids stays aligned.
	 */
	if (p->nfindings != nf)
		map_plan_sort(p);
	free(drop);
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
	char now[AGENT_STATE_TIME_SIZE], qdn[MAP_QUOTE_BUF];
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
	st = agent_state_prepare(s, "flap.release", &q1, "UPDATE quarantine "
	    "SET released = ?2 WHERE guid = ?1", err);
	if (st == SB_OK)
		st = agent_state_prepare(s, "flap.release", &q2,
		    "DELETE FROM flaps WHERE guid = ?", err);
	if (st != SB_OK)
		goto done;
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
		log_info("flap.release dn=%s guid=%s", map_quote_str(qdn,
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
