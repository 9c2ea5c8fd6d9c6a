/* The runs table: a run begun, its outcome and end, runs read back. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapping/log.h"
#include "agent/store/position.h"
#include "agent/store/state.h"

enum sb_status
agent_state_run_begin(struct agent_state *s, const char *command,
    long long undo_of, long long *id, struct sb_error *err)
{
	static const char sql[] = "INSERT INTO runs (command, undo_of, pid, "
	    "started) VALUES (?, ?, ?, ?)";
	char now[AGENT_STATE_TIME_SIZE];
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;

	agent_state_now(now);
	st = agent_state_prepare(s, "state.run", &q, sql, err);
	if (st != SB_OK)
		goto done;
	sqlite3_bind_text(q, 1, command, -1, SQLITE_STATIC);
	if (undo_of > 0)
		sqlite3_bind_int64(q, 2, undo_of);
	else
		sqlite3_bind_null(q, 2);
	sqlite3_bind_int64(q, 3, (sqlite3_int64)getpid());
	sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		st = agent_state_fail(s, "state.run", err);
		goto done;
	}
	*id = sqlite3_last_insert_rowid(agent_state_db(s));
	log_info("run.begin run=%lld command=%s undo_of=%lld pid=%ld", *id,
	    command, undo_of, (long)getpid());
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_state_run_bound(struct agent_state *s, long long id, const char *bound,
    struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st;

	st = agent_state_prepare(s, "state.run", &q,
	    "UPDATE runs SET bound = ? WHERE id = ?", err);
	if (st != SB_OK)
		return st;
	sqlite3_bind_text(q, 1, bound, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, id);
	if (sqlite3_step(q) != SQLITE_DONE)
		st = agent_state_fail(s, "state.run", err);
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_state_run_outcome(struct agent_state *s, long long id,
    const char *outcome, const struct agent_run_counts *n,
    const char *message, struct sb_error *err)
{
	static const char sql[] = "UPDATE runs SET outcome = ?, planned = ?, "
	    "applied = ?, failed = ?, conflicts = ?, message = ?, "
	    "ended = CASE WHEN ? IN ('running', 'interrupted') THEN NULL "
	    "ELSE ? END "
	    "WHERE id = ?";
	static const struct agent_run_counts zero = { 0, 0, 0, 0 };
	char now[AGENT_STATE_TIME_SIZE];
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;

	if (n == NULL)
		n = &zero;
	agent_state_now(now);
	st = agent_state_prepare(s, "state.run", &q, sql, err);
	if (st != SB_OK)
		goto done;
	sqlite3_bind_text(q, 1, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, n->planned);
	sqlite3_bind_int64(q, 3, n->applied);
	sqlite3_bind_int64(q, 4, n->failed);
	sqlite3_bind_int64(q, 5, n->conflicts);
	if (message != NULL && *message != '\0')
		sqlite3_bind_text(q, 6, message, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 6);
	sqlite3_bind_text(q, 7, outcome, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 9, id);
	if (sqlite3_step(q) != SQLITE_DONE)
		st = agent_state_fail(s, "state.run", err);
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_state_run_end(struct agent_state *s, long long id, const char *outcome,
    const struct agent_run_counts *n, const char *message,
    const struct agent_position *pos, size_t npos, struct sb_error *err)
{
	enum sb_status st;
	size_t i;

	st = agent_state_begin(s, err);
	if (st != SB_OK)
		return st;
	st = agent_state_run_outcome(s, id, outcome, n, message, err);
	for (i = 0; st == SB_OK && i < npos; i++)
		st = agent_position_advance(s, &pos[i], id, err);
	if (st == SB_OK)
		st = agent_state_commit(s, err);
	if (st != SB_OK) {
		agent_state_rollback(s);
		return st;
	}
	log_info("run.end run=%lld outcome=%s planned=%ld applied=%ld "
	    "failed=%ld conflicts=%ld", id, outcome, n ? n->planned : 0,
	    n ? n->applied : 0, n ? n->failed : 0, n ? n->conflicts : 0);
	return SB_OK;
}

static void
copy_col(sqlite3_stmt *q, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

static void
run_from_row(sqlite3_stmt *q, struct agent_run *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(q, 0);
	copy_col(q, 1, r->command, sizeof(r->command));
	r->undo_of = sqlite3_column_int64(q, 2);
	r->pid = (long)sqlite3_column_int64(q, 3);
	copy_col(q, 4, r->started, sizeof(r->started));
	copy_col(q, 5, r->ended, sizeof(r->ended));
	copy_col(q, 6, r->outcome, sizeof(r->outcome));
	r->planned = (long)sqlite3_column_int64(q, 7);
	r->applied = (long)sqlite3_column_int64(q, 8);
	r->failed = (long)sqlite3_column_int64(q, 9);
	r->conflicts = (long)sqlite3_column_int64(q, 10);
	copy_col(q, 11, r->message, sizeof(r->message));
}

#define RUN_COLUMNS "id, command, undo_of, pid, started, ended, outcome, " \
	"planned, applied, failed, conflicts, message"

enum sb_status
agent_state_run_get(struct agent_state *s, long long id, struct agent_run *out,
    struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;
	int rc;

	st = agent_state_prepare(s, "state.run", &q,
	    "SELECT " RUN_COLUMNS
	    " FROM runs WHERE id = ?", err);
	if (st != SB_OK)
		goto done;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		run_from_row(q, out);
	else if (rc == SQLITE_DONE)
		st = sb_fail(err, SB_SKIP, 0, "state.run", "there is no run "
		    "%lld (see 'soabridge runs')", id);
	else
		st = agent_state_fail(s, "state.run", err);
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_state_runs(struct agent_state *s, const char *outcome,
    struct agent_run **out, size_t *n, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	struct agent_run *v = NULL, *nv;
	size_t len = 0, cap = 0;
	enum sb_status st = SB_OK;
	int rc;

	st = agent_state_prepare(s, "state.runs", &q,
	    "SELECT " RUN_COLUMNS
	    " FROM runs WHERE ?1 IS NULL OR outcome = ?1 ORDER BY id", err);
	if (st != SB_OK)
		goto done;
	if (outcome != NULL)
		sqlite3_bind_text(q, 1, outcome, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "state.runs",
				    "out of memory");
				goto done;
			}
			v = nv;
		}
		run_from_row(q, &v[len++]);
	}
	if (rc != SQLITE_DONE) {
		st = agent_state_fail(s, "state.runs", err);
		goto done;
	}
	*out = v;
	*n = len;
	v = NULL;
done:
	free(v);
	sqlite3_finalize(q);
	return st;
}
