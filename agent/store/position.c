/* Positions in the state: read, list, and advance inside a transaction. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/log.h"
#include "agent/store/position.h"

static void
copy_col(sqlite3_stmt *q, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(q, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

/* A decimal number without sign, for numeric positions. */
static int
parse_u64(const char *s, unsigned long long *out)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

enum sb_status
agent_position_advance(struct agent_state *s, const struct agent_position *p,
    long long run, struct sb_error *err)
{
	static const char sql[] = "INSERT INTO positions (name, value, run, "
	    "updated) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE "
	    "SET value = ?2, run = ?3, updated = ?4";
	char now[AGENT_STATE_TIME_SIZE], old[AGENT_POSITION_MAX];
	unsigned long long vold, vnew;
	sqlite3_stmt *q = NULL;
	enum sb_status st;

	if (sqlite3_get_autocommit(agent_state_db(s)))
		return sb_fail(err, SB_BUG, 0, "state.advance", "position %s: "
		    "advanced outside the transaction that records its "
		    "changes", p->name);
	if (p->numeric && !parse_u64(p->value, &vnew))
		return sb_fail(err, SB_BUG, 0, "state.advance", "position %s: "
		    "'%s' is not a number", p->name, p->value);
	st = agent_position_get(s, p->name, old, sizeof(old), err);
	if (st != SB_OK)
		goto done;
	if (p->numeric && parse_u64(old, &vold) && vnew < vold) {
		log_warn("state.position name=%s value=%s kept=%s (never moves "
		    "backwards)", p->name, p->value, old);
		goto done;
	}
	agent_state_now(now);
	st = agent_state_prepare(s, "state.advance", &q, sql, err);
	if (st != SB_OK)
		goto done;
	sqlite3_bind_text(q, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->value, -1, SQLITE_STATIC);
	if (run > 0)
		sqlite3_bind_int64(q, 3, run);
	else
		sqlite3_bind_null(q, 3);
	sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		st = agent_state_fail(s, "state.advance", err);
		goto done;
	}
	log_info("state.position name=%s value=%s run=%lld", p->name,
	    p->numeric ? p->value : "(delta link)", run);
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_position_get(struct agent_state *s, const char *name, char *out,
    size_t n, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;
	int rc;

	out[0] = '\0';
	st = agent_state_prepare(s, "state.position", &q,
	    "SELECT value FROM positions "
	    "WHERE name = ?", err);
	if (st != SB_OK)
		goto done;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		if ((size_t)sqlite3_column_bytes(q, 0) >= n) {
			st = sb_fail(err, SB_BUG, 0, "state.position",
			    "position %s is longer than %zu bytes", name, n);
			goto done;
		}
		copy_col(q, 0, out, n);
	} else if (rc != SQLITE_DONE) {
		st = agent_state_fail(s, "state.position", err);
	}
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_position_list(struct agent_state *s, struct agent_position_row **out,
    size_t *n, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	struct agent_position_row *v = NULL, *nv;
	size_t len = 0;
	enum sb_status st = SB_OK;
	int rc;

	st = agent_state_prepare(s, "state.positions", &q,
	    "SELECT name, value, run, "
	    "updated FROM positions ORDER BY name", err);
	if (st != SB_OK)
		goto done;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		nv = realloc(v, (len + 1) * sizeof(*v));
		if (nv == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "state.positions",
			    "out of memory");
			goto done;
		}
		v = nv;
		copy_col(q, 0, v[len].name, sizeof(v[len].name));
		copy_col(q, 1, v[len].value, sizeof(v[len].value));
		v[len].run = sqlite3_column_int64(q, 2);
		copy_col(q, 3, v[len].updated, sizeof(v[len].updated));
		len++;
	}
	if (rc != SQLITE_DONE) {
		st = agent_state_fail(s, "state.positions", err);
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
