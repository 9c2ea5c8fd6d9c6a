/* The write-ahead journal: rows from a change, their states, values as JSON. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/store/journal.h"
#include "agent/store/position.h"
#include "agent/store/values.h"
#include "mapping/log.h"
#include "ldap/trace.h"
#include "mapping/attrmap.h"
#include "mapping/dn.h"

static const char *const state_names[] = {
	"pending", "applied", "failed", "not-applied",
};
static const char *const mode_names[] = { "values", "replace" };

const char *
agent_journal_state_name(enum journal_state st)
{
	if ((unsigned)st < sizeof(state_names) / sizeof(state_names[0]))
		return state_names[st];
	return "unknown";
}

const char *
agent_journal_mode_name(enum journal_mode m)
{
	return m == JOURNAL_REPLACE ? mode_names[1] : mode_names[0];
}

static int
state_parse(const char *s, enum journal_state *out)
{
	size_t i;

	for (i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (s != NULL && strcmp(s, state_names[i]) == 0) {
			*out = (enum journal_state)i;
			return 1;
		}
	return 0;
}

static int
op_parse(const char *s, enum change_op *out)
{
	static const enum change_op ops[] = { MAP_CHANGE_MODIFY,
	    MAP_CHANGE_ADD, MAP_CHANGE_RENAME, MAP_CHANGE_DELETE };
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (s != NULL && strcmp(s, map_change_op_name(ops[i])) == 0) {
			*out = ops[i];
			return 1;
		}
	return 0;
}

static void
row_clear(struct journal_row *r)
{
	free(r->dn);
	free(r->attr);
	free(r->error);
	agent_values_free(r->before, r->nbefore);
	agent_values_free(r->after, r->nafter);
	memset(r, 0, sizeof(*r));
}

void
agent_journal_rows_free(struct journal_rows *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		row_clear(&r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* Applies one delta to the row's after-values. */
static enum sb_status
row_apply(struct journal_row *r, const struct delta *d, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	switch (d->op) {
	case MAP_DELTA_ADD:
		for (i = 0; i < d->nvals && st == SB_OK; i++)
			if (!agent_values_contain(r->after, r->nafter,
			    &d->vals[i]))
				st = agent_values_append(&r->after, &r->nafter,
				    &d->vals[i], err);
		break;
	case MAP_DELTA_DELETE:
		if (d->nvals == 0) {
			agent_values_clear(&r->after, &r->nafter);
			r->mode = JOURNAL_REPLACE;
		}
		for (i = 0; i < d->nvals; i++)
			agent_values_remove(r->after, &r->nafter, &d->vals[i]);
		break;
	case MAP_DELTA_REPLACE:
		agent_values_clear(&r->after, &r->nafter);
		st = agent_values_copy(d->vals, d->nvals, &r->after,
		    &r->nafter, err);
		r->mode = JOURNAL_REPLACE;
		break;
	}
	return st;
}

/* The rename of c as a delta of the DN: before the old DN, after the new. */
static enum sb_status
rename_delta(const struct change *c, struct delta *d, struct sb_bytes *old,
    struct sb_bytes *new, struct sb_error *err)
{
	char *parent = NULL, *dn = NULL;
	enum sb_status st = SB_OK;
	size_t n;

	if (c->new_superior == NULL)
		st = map_dn_parent(c->dn, &parent, err);
	if (st != SB_OK)
		goto done;
	n = strlen(c->new_rdn ? c->new_rdn : "") + 2 + strlen(c->new_superior ?
	    c->new_superior : parent);
	dn = malloc(n);
	if (dn == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "journal", "out of memory");
		goto done;
	}
	snprintf(dn, n, "%s,%s", c->new_rdn ? c->new_rdn : "",
	    c->new_superior ? c->new_superior : parent);
	old->p = (unsigned char *)c->dn;
	old->len = strlen(c->dn);
	new->p = (unsigned char *)dn;
	new->len = strlen(dn);
	memset(d, 0, sizeof(*d));
	d->attr = (char *)(uintptr_t)AGENT_JOURNAL_DN_ATTR;
	d->op = MAP_DELTA_REPLACE;
	d->vals = new;
	d->nvals = 1;
	d->before = old;
	d->nbefore = 1;
	dn = NULL;	/* new->p owns it: the caller frees it */
done:
	free(dn);
	free(parent);
	return st;
}

/*
 * The deltas of c as the journal sees them: a delete's leave nothing after
 * them; a rename is one delta of the DN.
 */
static enum sb_status
journal_delta(const struct change *c, size_t i, struct delta *d,
    struct sb_bytes dnv[2], struct sb_error *err)
{
	if (c->op == MAP_CHANGE_RENAME)
		return rename_delta(c, d, &dnv[0], &dnv[1], err);
	*d = c->deltas[i];
	if (c->op == MAP_CHANGE_DELETE) {
		d->op = MAP_DELTA_DELETE;
		d->vals = NULL;
		d->nvals = 0;
	}
	return SB_OK;
}

enum sb_status
agent_journal_from_change(const struct change *c, const char *guid,
    long long run, long seq, struct journal_rows *out, struct sb_error *err)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_bytes dnv[2] = { { NULL, 0 }, { NULL, 0 } };
	struct journal_row *r, *nv;
	struct delta dd, *d = &dd;
	enum sb_status st = SB_OK;
	size_t i, k, n;

	n = c->op == MAP_CHANGE_RENAME ? 1 : c->ndeltas;
	for (i = 0; i < n; i++) {
		free(dnv[1].p);
		dnv[1].p = NULL;
		st = journal_delta(c, i, d, dnv, err);
		if (st != SB_OK)
			goto done;
		r = NULL;
		for (k = 0; k < rows.n; k++)
			if (strcasecmp(rows.v[k].attr, d->attr) == 0)
				r = &rows.v[k];
		if (r == NULL) {
			nv = realloc(rows.v, (rows.n + 1) * sizeof(*nv));
			if (nv == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "journal",
				    "out of memory");
				goto done;
			}
			rows.v = nv;
			r = &rows.v[rows.n++];
			memset(r, 0, sizeof(*r));
			r->run = run;
			r->seq = seq;
			r->op = c->op;
			r->state = JOURNAL_PENDING;
			r->mode = JOURNAL_VALUES;
			snprintf(r->guid, sizeof(r->guid), "%s", guid ? guid :
			    "");
			r->dn = strdup(c->dn ? c->dn : "");
			r->attr = strdup(d->attr);
			if (r->dn == NULL || r->attr == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "journal",
				    "out of memory");
				goto done;
			}
			st = agent_values_copy(d->before, d->nbefore,
			    &r->before, &r->nbefore, err);
			if (st == SB_OK)
				st = agent_values_copy(d->before, d->nbefore,
				    &r->after, &r->nafter, err);
			if (st != SB_OK)
				goto done;
		}
		st = row_apply(r, d, err);
		if (st != SB_OK)
			goto done;
	}
	*out = rows;
	rows.v = NULL;
	rows.n = 0;
done:
	free(dnv[1].p);
	agent_journal_rows_free(&rows);
	return st;
}

/* ---- what AD holds (pure) ---- */

static int
value_equal(enum map_match m, const struct sb_bytes *a,
    const struct sb_bytes *b)
{
	if (sb_bytes_cmp(a, b) == 0)
		return 1;
	if (memchr(a->p, '\0', a->len) != NULL ||
	    memchr(b->p, '\0', b->len) != NULL)
		return 0;
	if (m == MAP_MATCH_BOOL)
		return a->len == b->len &&
		    strncasecmp((const char *)a->p, (const char *)b->p,
		    a->len) == 0;
	if (m == MAP_MATCH_DN)
		return map_dn_equal((const char *)a->p, (const char *)b->p);
	return 0;
}

/* a and b hold the same values (as sets; the match rule for each pair). */
static int
same_set(enum map_match m, const struct sb_bytes *a, size_t na,
    const struct sb_bytes *b, size_t nb)
{
	size_t i, k;
	int found;

	for (i = 0; i < na; i++) {
		for (k = 0, found = 0; k < nb && !found; k++)
			found = value_equal(m, &a[i], &b[k]);
		if (!found)
			return 0;
	}
	for (k = 0; k < nb; k++) {
		for (i = 0, found = 0; i < na && !found; i++)
			found = value_equal(m, &a[i], &b[k]);
		if (!found)
			return 0;
	}
	return 1;
}

/*
 * VALUES rows: the change added after \ before and removed before \ after.
 * AD holds the after-values when every added value is there and no removed
 * one; the before-values in the opposite case.
 */
static enum journal_holds
holds_values(const struct journal_row *r, const struct sb_bytes *cur,
    size_t ncur)
{
	int after = 1, before = 1, in;
	size_t i;

	for (i = 0; i < r->nafter; i++) {
		if (agent_values_contain(r->before, r->nbefore, &r->after[i]))
			continue;
		in = agent_values_contain(cur, ncur, &r->after[i]);
		after &= in;
		before &= !in;
	}
	for (i = 0; i < r->nbefore; i++) {
		if (agent_values_contain(r->after, r->nafter, &r->before[i]))
			continue;
		in = agent_values_contain(cur, ncur, &r->before[i]);
		after &= !in;
		before &= in;
	}
	if (after)
		return JOURNAL_HOLDS_AFTER;
	return before ? JOURNAL_HOLDS_BEFORE : JOURNAL_HOLDS_OTHER;
}

enum journal_holds
agent_journal_holds(const struct journal_row *row, const struct sb_bytes *cur,
    size_t ncur)
{
	const struct map_attr *a = map_attrmap_find(row->attr);
	enum map_match m = a ? a->match : MAP_MATCH_EXACT;

	if (strcasecmp(row->attr, AGENT_JOURNAL_DN_ATTR) == 0)
		m = MAP_MATCH_DN;

	if (row->mode == JOURNAL_VALUES)
		return holds_values(row, cur, ncur);
	if (same_set(m, row->after, row->nafter, cur, ncur))
		return JOURNAL_HOLDS_AFTER;
	if (same_set(m, row->before, row->nbefore, cur, ncur))
		return JOURNAL_HOLDS_BEFORE;
	return JOURNAL_HOLDS_OTHER;
}

/* ---- SQL ---- */

static enum sb_status
insert_row(struct agent_state *s, sqlite3_stmt *q, struct journal_row *r,
    const char *now, struct sb_error *err)
{
	char *before = NULL, *after = NULL;
	enum sb_status st;

	if (ad_trace_is_secret(r->attr)) {
		st = sb_fail(err, SB_BUG, 0, "journal.pending", "%s: refusing "
		    "to journal the secret attribute %s", r->dn, r->attr);
		goto done;
	}
	st = agent_values_encode(r->before, r->nbefore, &before, err);
	if (st == SB_OK)
		st = agent_values_encode(r->after, r->nafter, &after, err);
	if (st != SB_OK)
		goto done;
	sqlite3_reset(q);
	sqlite3_bind_int64(q, 1, r->run);
	sqlite3_bind_int64(q, 2, r->seq);
	sqlite3_bind_text(q, 3, map_change_op_name(r->op), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->dn, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->guid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, r->attr, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, agent_journal_mode_name(r->mode), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(q, 8, before, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, after, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, now, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		st = agent_state_fail(s, "journal.pending", err);
		goto done;
	}
	r->id = sqlite3_last_insert_rowid(agent_state_db(s));
	r->state = JOURNAL_PENDING;
done:
	free(before);
	free(after);
	return st;
}

enum sb_status
agent_journal_pending(struct agent_state *s, struct journal_rows *rows,
    struct sb_error *err)
{
	static const char sql[] = "INSERT INTO journal (run, seq, op, dn, "
	    "guid, attr, mode, before, after, state, created, updated) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10, ?10)";
	char now[AGENT_STATE_TIME_SIZE];
	sqlite3_stmt *q = NULL;
	enum sb_status st;
	size_t i;

	agent_state_now(now);
	st = agent_state_begin(s, err);
	if (st != SB_OK)
		return st;
	if (sqlite3_prepare_v2(agent_state_db(s), sql, -1, &q, NULL) !=
	    SQLITE_OK) {
		st = agent_state_fail(s, "journal.pending", err);
		goto done;
	}
	for (i = 0; i < rows->n && st == SB_OK; i++)
		st = insert_row(s, q, &rows->v[i], now, err);
	if (st == SB_OK)
		st = agent_state_commit(s, err);
done:
	sqlite3_finalize(q);
	if (st != SB_OK)
		agent_state_rollback(s);
	return st;
}

static enum sb_status
update_rows(struct agent_state *s, const char *sql, long long a, long b,
    enum journal_state st_new, const char *error, struct sb_error *err)
{
	char now[AGENT_STATE_TIME_SIZE];
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;

	agent_state_now(now);
	if (sqlite3_prepare_v2(agent_state_db(s), sql, -1, &q, NULL) !=
	    SQLITE_OK) {
		st = agent_state_fail(s, "journal.mark", err);
		goto done;
	}
	sqlite3_bind_text(q, 1, agent_journal_state_name(st_new), -1,
	    SQLITE_STATIC);
	if (error != NULL && *error != '\0')
		sqlite3_bind_text(q, 2, error, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 2);
	sqlite3_bind_text(q, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, a);
	if (sqlite3_bind_parameter_count(q) >= 5)
		sqlite3_bind_int64(q, 5, b);
	if (sqlite3_step(q) != SQLITE_DONE)
		st = agent_state_fail(s, "journal.mark", err);
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_journal_mark(struct agent_state *s, long long run, long seq,
    enum journal_state st_new, const char *error,
    const struct agent_position *pos, size_t npos, struct sb_error *err)
{
	static const char sql[] = "UPDATE journal SET state = ?1, error = ?2, "
	    "updated = ?3 WHERE run = ?4 AND seq = ?5 AND state = 'pending'";
	enum sb_status st;
	size_t i;

	st = agent_state_begin(s, err);
	if (st != SB_OK)
		return st;
	st = update_rows(s, sql, run, seq, st_new, error, err);
	for (i = 0; st == SB_OK && i < npos; i++)
		st = agent_position_advance(s, &pos[i], run, err);
	if (st == SB_OK)
		st = agent_state_commit(s, err);
	if (st != SB_OK)
		agent_state_rollback(s);
	return st;
}

enum sb_status
agent_journal_set_state(struct agent_state *s, long long id,
    enum journal_state st_new, const char *error, struct sb_error *err)
{
	static const char sql[] = "UPDATE journal SET state = ?1, error = ?2, "
	    "updated = ?3 WHERE id = ?4";

	return update_rows(s, sql, id, 0, st_new, error, err);
}

enum sb_status
agent_journal_set_guid(struct agent_state *s, long long run, long seq,
    const char *guid, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;

	if (sqlite3_prepare_v2(agent_state_db(s), "UPDATE journal SET guid = "
	    "?1 WHERE run = ?2 AND seq = ?3", -1, &q, NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "journal.guid", err);
		goto done;
	}
	sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, run);
	sqlite3_bind_int64(q, 3, seq);
	if (sqlite3_step(q) != SQLITE_DONE)
		st = agent_state_fail(s, "journal.guid", err);
done:
	sqlite3_finalize(q);
	return st;
}

#define ROW_COLUMNS "id, run, seq, op, dn, guid, attr, mode, before, after, " \
	"state, error"

static enum sb_status
row_from_stmt(struct agent_state *s, sqlite3_stmt *q, struct journal_row *r,
    struct sb_error *err)
{
	const char *t;
	enum sb_status st;

	(void)s;
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(q, 0);
	r->run = sqlite3_column_int64(q, 1);
	r->seq = (long)sqlite3_column_int64(q, 2);
	if (!op_parse((const char *)sqlite3_column_text(q, 3), &r->op) ||
	    !state_parse((const char *)sqlite3_column_text(q, 10), &r->state))
		return sb_fail(err, SB_BUG, 0, "journal.load", "journal row "
		    "%lld: unknown op or state", r->id);
	r->dn = strdup((const char *)sqlite3_column_text(q, 4));
	t = (const char *)sqlite3_column_text(q, 5);
	snprintf(r->guid, sizeof(r->guid), "%s", t ? t : "");
	r->attr = strdup((const char *)sqlite3_column_text(q, 6));
	t = (const char *)sqlite3_column_text(q, 7);
	r->mode = t && strcmp(t, "replace") == 0 ? JOURNAL_REPLACE :
	    JOURNAL_VALUES;
	t = (const char *)sqlite3_column_text(q, 11);
	r->error = t ? strdup(t) : NULL;
	if (r->dn == NULL || r->attr == NULL || (t != NULL && r->error == NULL))
		return sb_fail(err, SB_BUG, ENOMEM, "journal.load",
		    "out of memory");
	st = agent_values_decode((const char *)sqlite3_column_text(q, 8),
	    &r->before, &r->nbefore, err);
	if (st == SB_OK)
		st = agent_values_decode((const char *)sqlite3_column_text(q,
		    9), &r->after, &r->nafter, err);
	return st;
}

static enum sb_status
load_rows(struct agent_state *s, sqlite3_stmt *q, struct journal_rows *out,
    struct sb_error *err)
{
	struct journal_rows rows = { NULL, 0 };
	struct journal_row *nv;
	enum sb_status st = SB_OK;
	int rc;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		nv = realloc(rows.v, (rows.n + 1) * sizeof(*nv));
		if (nv == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "journal.load",
			    "out of memory");
			goto done;
		}
		rows.v = nv;
		st = row_from_stmt(s, q, &rows.v[rows.n++], err);
		if (st != SB_OK)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		st = agent_state_fail(s, "journal.load", err);
		goto done;
	}
	*out = rows;
	rows.v = NULL;
	rows.n = 0;
done:
	agent_journal_rows_free(&rows);
	return st;
}

enum sb_status
agent_journal_load(struct agent_state *s, long long run, int st_want,
    struct journal_rows *out, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st;

	if (sqlite3_prepare_v2(agent_state_db(s), "SELECT " ROW_COLUMNS
	    " FROM journal WHERE run = ?1 AND (?2 IS NULL OR state = ?2) "
	    "ORDER BY id", -1, &q, NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "journal.load", err);
		goto done;
	}
	sqlite3_bind_int64(q, 1, run);
	if (st_want >= 0)
		sqlite3_bind_text(q, 2, agent_journal_state_name(
		    (enum journal_state)st_want), -1, SQLITE_STATIC);
	st = load_rows(s, q, out, err);
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_journal_last_applied(struct agent_state *s, const char *guid,
    const char *attr, struct journal_rows *out, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st;

	if (sqlite3_prepare_v2(agent_state_db(s), "SELECT " ROW_COLUMNS
	    " FROM journal WHERE guid = ?1 AND attr = ?2 AND state = "
	    "'applied' ORDER BY id DESC LIMIT 1", -1, &q, NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "journal.last", err);
		goto done;
	}
	sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, attr, -1, SQLITE_STATIC);
	st = load_rows(s, q, out, err);
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_journal_count(struct agent_state *s, long long run,
    enum journal_state st_want, long *n, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;

	*n = 0;
	if (sqlite3_prepare_v2(agent_state_db(s), "SELECT COUNT(DISTINCT seq) "
	    "FROM journal WHERE run = ? AND state = ?", -1, &q, NULL) !=
	    SQLITE_OK) {
		st = agent_state_fail(s, "journal.count", err);
		goto done;
	}
	sqlite3_bind_int64(q, 1, run);
	sqlite3_bind_text(q, 2, agent_journal_state_name(st_want), -1,
	    SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_ROW) {
		st = agent_state_fail(s, "journal.count", err);
		goto done;
	}
	*n = (long)sqlite3_column_int64(q, 0);
done:
	sqlite3_finalize(q);
	return st;
}

void
agent_journal_guids_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

static int
cmp_guid_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the canonical form of GUID text t; malformed text is skipped. */
static enum sb_status
push_guid(char ***v, size_t *n, size_t *cap, const char *t,
    struct sb_error *err)
{
	unsigned char raw[MAP_GUID_LEN];
	char text[MAP_GUID_TEXT_SIZE];
	char **nv;

	if (t == NULL || map_guid_from_text(t, raw, NULL) != SB_OK ||
	    map_guid_to_text(raw, sizeof(raw), text, sizeof(text), NULL) !=
	    SB_OK)
		return SB_OK;
	if (*n == AGENT_JOURNAL_CREATED_MAX)
		return sb_fail(err, SB_STOP, 0, "journal.created", "more than "
		    "%d objects created by soabridge in the journal",
		    AGENT_JOURNAL_CREATED_MAX);
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		nv = realloc(*v, *cap * sizeof(*nv));
		if (nv == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "journal.created",
			    "out of memory");
		*v = nv;
	}
	(*v)[*n] = strdup(text);
	if ((*v)[*n] == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "journal.created",
		    "out of memory");
	(*n)++;
	return SB_OK;
}

enum sb_status
agent_journal_created(struct agent_state *s, char ***out, size_t *nout,
    struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	char **v = NULL;
	size_t n = 0, cap = 0, i, k;
	enum sb_status st = SB_OK;
	int rc;

	if (sqlite3_prepare_v2(agent_state_db(s), "SELECT DISTINCT a.guid "
	    "FROM journal a WHERE a.op = 'add' AND a.state = 'applied' AND "
	    "a.guid <> '' AND NOT EXISTS (SELECT 1 FROM journal d WHERE "
	    "d.guid = a.guid AND d.op = 'delete' AND d.state = 'applied' AND "
	    "d.id > a.id)", -1, &q, NULL) != SQLITE_OK) {
		st = agent_state_fail(s, "journal.created", err);
		goto done;
	}
	while (st == SB_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
		st = push_guid(&v, &n, &cap,
		    (const char *)sqlite3_column_text(q, 0), err);
	if (st == SB_OK && rc != SQLITE_DONE)
		st = agent_state_fail(s, "journal.created", err);
	if (st != SB_OK)
		goto done;
	/* Sorted, one of each (text that differed only in case is one). */
	if (n > 1)	/* qsort(NULL, 0, ...) is undefined */
		qsort(v, n, sizeof(*v), cmp_guid_text);
	for (i = 0, k = 0; i < n; i++) {
		if (k > 0 && strcmp(v[k - 1], v[i]) == 0)
			free(v[i]);
		else
			v[k++] = v[i];
	}
	*out = v;
	*nout = k;
	v = NULL;
	n = 0;
done:
	sqlite3_finalize(q);
	agent_journal_guids_free(v, n);
	return st;
}
