/* The journal written ahead: rows inserted pending, marked with AD's result. */
#include <sqlite3.h>
#include <stdlib.h>

#include "agent/store/journal.h"
#include "agent/store/position.h"
#include "agent/store/values.h"
#include "mapping/quote.h"

static enum sb_status
insert_row(struct agent_state *s, sqlite3_stmt *q, struct journal_row *r,
    const char *now, struct sb_error *err)
{
	char *before = NULL, *after = NULL;
	enum sb_status st;

	if (map_quote_is_secret(r->attr)) {
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
	/* With the previous change's held result: one commit for both. */
	st = agent_state_join(s, err);
	if (st != SB_OK)
		return st;
	st = agent_state_prepare(s, "journal.pending", &q, sql, err);
	if (st != SB_OK)
		goto done;
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
	st = agent_state_prepare(s, "journal.mark", &q, sql, err);
	if (st != SB_OK)
		goto done;
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

static enum sb_status
mark(struct agent_state *s, long long run, long seq, enum journal_state st_new,
    const char *error, const struct agent_position *pos, size_t npos, int hold,
    struct sb_error *err)
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
	if (st == SB_OK && hold)
		agent_state_hold(s);
	else if (st == SB_OK)
		st = agent_state_commit(s, err);
	if (st != SB_OK)
		agent_state_rollback(s);
	return st;
}

enum sb_status
agent_journal_mark(struct agent_state *s, long long run, long seq,
    enum journal_state st_new, const char *error,
    const struct agent_position *pos, size_t npos, struct sb_error *err)
{
	return mark(s, run, seq, st_new, error, pos, npos, 0, err);
}

enum sb_status
agent_journal_mark_held(struct agent_state *s, long long run, long seq,
    enum journal_state st_new, const char *error, struct sb_error *err)
{
	return mark(s, run, seq, st_new, error, NULL, 0, 1, err);
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

	st = agent_state_prepare(s, "journal.guid", &q,
	    "UPDATE journal SET guid = "
	    "?1 WHERE run = ?2 AND seq = ?3", err);
	if (st != SB_OK)
		goto done;
	sqlite3_bind_text(q, 1, guid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, run);
	sqlite3_bind_int64(q, 3, seq);
	if (sqlite3_step(q) != SQLITE_DONE)
		st = agent_state_fail(s, "journal.guid", err);
done:
	sqlite3_finalize(q);
	return st;
}
