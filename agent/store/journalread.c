/* The journal read back: a run's rows, the last applied, counts, creations. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store/journal.h"
#include "agent/store/values.h"
#include "mapping/codec.h"

static int
state_parse(const char *s, enum journal_state *out)
{
	size_t i;

	for (i = JOURNAL_PENDING; i <= JOURNAL_NOT_APPLIED; i++)
		if (s != NULL && strcmp(s,
		    agent_journal_state_name((enum journal_state)i)) == 0) {
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

	st = agent_state_prepare(s, "journal.load", &q,
	    "SELECT " ROW_COLUMNS
	    " FROM journal WHERE run = ?1 AND (?2 IS NULL OR state = ?2) "
	    "ORDER BY id", err);
	if (st != SB_OK)
		goto done;
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

	st = agent_state_prepare(s, "journal.last", &q,
	    "SELECT " ROW_COLUMNS
	    " FROM journal WHERE guid = ?1 AND attr = ?2 AND state = "
	    "'applied' ORDER BY id DESC LIMIT 1", err);
	if (st != SB_OK)
		goto done;
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
	st = agent_state_prepare(s, "journal.count", &q,
	    "SELECT COUNT(DISTINCT seq) "
	    "FROM journal WHERE run = ? AND state = ?", err);
	if (st != SB_OK)
		goto done;
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

enum sb_status
agent_journal_pending_runs(struct agent_state *s, long long **ids, size_t *n,
    struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	long long *v = NULL, *nv;
	enum sb_status st;
	int rc;

	*ids = NULL;
	*n = 0;
	/* The partial index journal_pending makes this cheap. */
	st = agent_state_prepare(s, "journal.pending", &q,
	    "SELECT DISTINCT run FROM journal WHERE state = 'pending' "
	    "ORDER BY run",
	    err);
	while (st == SB_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		nv = realloc(v, (*n + 1) * sizeof(*v));
		if (nv == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "journal.pending",
			    "out of memory");
			break;
		}
		v = nv;
		v[(*n)++] = sqlite3_column_int64(q, 0);
	}
	if (st == SB_OK && rc != SQLITE_DONE)
		st = agent_state_fail(s, "journal.pending", err);
	sqlite3_finalize(q);
	if (st != SB_OK) {
		free(v);
		*n = 0;
		return st;
	}
	*ids = v;
	return SB_OK;
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

	st = agent_state_prepare(s, "journal.created", &q,
	    "SELECT DISTINCT a.guid "
	    "FROM journal a WHERE a.op = 'add' AND a.state = 'applied' AND "
	    "a.guid <> '' AND NOT EXISTS (SELECT 1 FROM journal d WHERE "
	    "d.guid = a.guid AND d.op = 'delete' AND d.state = 'applied' AND "
	    "d.id > a.id)", err);
	if (st != SB_OK)
		goto done;
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
