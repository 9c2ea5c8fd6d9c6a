/* Unit tests of agent/store/state.c: schema migrations, file modes, runs, positions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "agent/store/position.h"
#include "agent/store/state.h"
#include "test_agent.h"

static int
count_rows(struct agent_state *s, const char *sql)
{
	sqlite3_stmt *q = NULL;
	int n = -1;

	assert_int_equal(sqlite3_prepare_v2(agent_state_db(s), sql, -1, &q,
	    NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return n;
}

static int
user_version(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	int v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q,
	    NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	return v;
}

static mode_t
mode_of(const char *dir, const char *name)
{
	char path[512];
	struct stat sb;

	snprintf(path, sizeof(path), "%s%s%s", dir, name ? "/" : "",
	    name ? name : "");
	assert_int_equal(stat(path, &sb), 0);
	return sb.st_mode & 0777;
}

static void
test_state_new_store_is_migrated_to_the_current_schema(void **state)
{
	struct agent_state *s = NULL;
	struct sb_error err;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    &err), SB_OK);
	assert_int_equal(agent_state_schema(s), AGENT_STATE_SCHEMA);
	assert_int_equal(user_version(agent_state_db(s)), AGENT_STATE_SCHEMA);
	assert_int_equal(count_rows(s, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('runs', 'journal', "
	    "'positions', 'flaps', 'quarantine')"), 5);
	agent_state_close(s);
}

static void
test_state_migrations_run_once_each_in_order(void **state)
{
	static const char *const v1[] = { "CREATE TABLE t (a INTEGER);" };
	static const char *const v2[] = { "CREATE TABLE t (a INTEGER);",
	    "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x';" };
	struct sb_error err;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(agent_state_migrate(db, v1, 1, &err), SB_OK);
	assert_int_equal(user_version(db), 1);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO t (a) VALUES (7)", NULL,
	    NULL, NULL), SQLITE_OK);
	/* Again with the same list: nothing runs (CREATE would fail). */
	assert_int_equal(agent_state_migrate(db, v1, 1, &err), SB_OK);
	/* A newer binary: only migration 2 runs, the data stays. */
	assert_int_equal(agent_state_migrate(db, v2, 2, &err), SB_OK);
	assert_int_equal(user_version(db), 2);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT a, b FROM t", -1, &q,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 7);
	assert_string_equal((const char *)sqlite3_column_text(q, 1), "x");
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void
test_state_a_failed_migration_leaves_the_version_alone(void **state)
{
	static const char *const bad[] = { "CREATE TABLE t (a INTEGER);",
	    "CREATE TABLE u (b INTEGER); THIS IS NOT SQL;" };
	struct sb_error err;
	sqlite3 *db = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_not_equal(agent_state_migrate(db, bad, 2, &err), SB_OK);
	assert_int_equal(user_version(db), 1);
	/* Migration 2 rolled back whole: no table u. */
	assert_int_not_equal(sqlite3_exec(db, "SELECT * FROM u", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_state_refuses_a_schema_newer_than_it_knows(void **state)
{
	static const char *const v1[] = { "CREATE TABLE t (a INTEGER);" };
	struct sb_error err;
	sqlite3 *db = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 9", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(agent_state_migrate(db, v1, 1, &err), SB_STOP);
	assert_non_null(strstr(err.text, "schema version 9, newer"));
	sqlite3_close(db);
}

static void
test_state_dir_is_0700_and_files_0600_whatever_the_umask(void **state)
{
	char *tmp = fx_tmpdir(), dir[256];
	struct agent_state *s = NULL;
	struct sb_error err;
	long long run;
	mode_t old;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/state", tmp);
	old = umask(0);
	assert_int_equal(agent_state_open(dir, AGENT_STATE_RW, &s, &err),
	    SB_OK);
	assert_int_equal(agent_state_run_begin(s, "sync", 0, &run, &err),
	    SB_OK);
	umask(old);
	assert_int_equal(mode_of(dir, NULL), 0700);
	assert_int_equal(mode_of(dir, "state.db"), 0600);
	assert_int_equal(mode_of(dir, "state.db-wal"), 0600);
	agent_state_close(s);
	fx_rmdir(tmp);
}

static void
test_state_tightens_wider_modes_left_by_someone(void **state)
{
	char *dir = fx_tmpdir(), path[256];
	struct agent_state *s = NULL;
	struct sb_error err;
	FILE *f;

	(void)state;
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/state.db-wal", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(agent_state_open(dir, AGENT_STATE_RW, &s, &err),
	    SB_OK);
	assert_int_equal(mode_of(dir, NULL), 0700);
	assert_int_equal(mode_of(dir, "state.db-wal"), 0600);
	agent_state_close(s);
	fx_rmdir(dir);
}

static void
test_state_read_only_without_a_file_is_no_state_and_creates_none(void **state)
{
	char *dir = fx_tmpdir(), path[256];
	struct agent_state *s = (struct agent_state *)1;
	struct sb_error err;
	struct stat sb;

	(void)state;
	assert_int_equal(agent_state_open(dir, AGENT_STATE_RO, &s, &err),
	    SB_OK);
	assert_null(s);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	assert_int_not_equal(stat(path, &sb), 0);
	fx_rmdir(dir);
}

static void
test_state_runs_begin_running_and_end_with_counts(void **state)
{
	struct agent_run_counts n = { 5, 4, 1, 0 };
	struct agent_state *s = NULL;
	struct agent_run r, *v = NULL;
	struct sb_error err;
	long long a, b;
	sqlite3_stmt *q = NULL;
	size_t nv;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    &err), SB_OK);
	assert_int_equal(agent_state_run_begin(s, "sync", 0, &a, &err), SB_OK);
	assert_int_equal(agent_state_run_begin(s, "undo", a, &b, &err), SB_OK);
	assert_int_equal(agent_state_run_get(s, a, &r, &err), SB_OK);
	assert_string_equal(r.outcome, "running");
	assert_string_equal(r.ended, "");
	assert_int_equal(agent_state_run_end(s, a, "failed", &n, "AD said no",
	    NULL, 0, &err), SB_OK);
	assert_int_equal(agent_state_run_get(s, a, &r, &err), SB_OK);
	assert_string_equal(r.outcome, "failed");
	assert_int_not_equal(r.ended[0], '\0');
	assert_int_equal(r.planned, 5);
	assert_int_equal(r.applied, 4);
	assert_int_equal(r.failed, 1);
	assert_string_equal(r.message, "AD said no");
	assert_int_equal(agent_state_runs(s, "running", &v, &nv, &err), SB_OK);
	assert_int_equal(nv, 1);
	assert_int_equal(v[0].id, b);
	assert_int_equal(v[0].undo_of, a);
	assert_string_equal(v[0].command, "undo");
	free(v);
	/* the identity a run was bound as, in its row */
	assert_int_equal(agent_state_run_bound(s, a, "u:CORP\\svc", &err),
	    SB_OK);
	assert_int_equal(sqlite3_prepare_v2(agent_state_db(s),
			     "SELECT bound FROM runs WHERE id = ?", -1, &q,
			     NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(q, 1, a);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0),
	    "u:CORP\\svc");
	sqlite3_finalize(q);
	assert_int_equal(agent_state_run_get(s, 99, &r, &err), SB_SKIP);
	agent_state_close(s);
}

static void
test_state_position_advances_only_inside_a_transaction(void **state)
{
	struct agent_position p = { "ad.usn", "4100", 1 };
	struct agent_state *s = NULL;
	struct sb_error err;
	char v[64];

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    &err), SB_OK);
	assert_int_equal(agent_position_advance(s, &p, 0, &err), SB_BUG);
	assert_non_null(strstr(err.text, "outside the transaction"));
	assert_int_equal(agent_position_get(s, "ad.usn", v, sizeof(v),
	    &err), SB_OK);
	assert_string_equal(v, "");
	assert_int_equal(agent_state_begin(s, &err), SB_OK);
	assert_int_equal(agent_position_advance(s, &p, 0, &err), SB_OK);
	assert_int_equal(agent_state_commit(s, &err), SB_OK);
	assert_int_equal(agent_position_get(s, "ad.usn", v, sizeof(v),
	    &err), SB_OK);
	assert_string_equal(v, "4100");
	agent_state_close(s);
}

static void
test_state_a_usn_never_moves_backwards(void **state)
{
	struct agent_position hi = { "ad.usn", "5000", 1 };
	struct agent_position lo = { "ad.usn", "4999", 1 };
	struct agent_position link = { "graph.users", "https://x/d?t=2", 0 };
	struct agent_state *s = NULL;
	struct sb_error err;
	char v[64];

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    &err), SB_OK);
	assert_int_equal(agent_state_begin(s, &err), SB_OK);
	assert_int_equal(agent_position_advance(s, &hi, 0, &err), SB_OK);
	assert_int_equal(agent_position_advance(s, &lo, 0, &err), SB_OK);
	assert_int_equal(agent_position_advance(s, &link, 0, &err), SB_OK);
	assert_int_equal(agent_state_commit(s, &err), SB_OK);
	assert_int_equal(agent_position_get(s, "ad.usn", v, sizeof(v),
	    &err), SB_OK);
	assert_string_equal(v, "5000");
	assert_int_equal(agent_position_get(s, "graph.users", v, sizeof(v),
	    &err), SB_OK);
	assert_string_equal(v, "https://x/d?t=2");
	agent_state_close(s);
}

static void
test_state_run_end_records_outcome_and_positions_together(void **state)
{
	struct agent_position p = { "ad.usn", "4200", 1 };
	struct agent_position bad = { "ad.usn", "not-a-number", 1 };
	struct agent_run_counts n = { 1, 1, 0, 0 };
	struct agent_state *s = NULL;
	struct agent_position_row *rows = NULL;
	struct agent_run r;
	struct sb_error err;
	long long run;
	size_t nrows;

	(void)state;
	assert_int_equal(agent_state_open_file(":memory:", AGENT_STATE_RW, &s,
	    &err), SB_OK);
	assert_int_equal(agent_state_run_begin(s, "sync", 0, &run, &err),
	    SB_OK);
	/* A bad position fails the whole transaction: the run stays open. */
	assert_int_equal(agent_state_run_end(s, run, "ok", &n, NULL, &bad, 1,
	    &err), SB_BUG);
	assert_int_equal(agent_state_run_get(s, run, &r, &err), SB_OK);
	assert_string_equal(r.outcome, "running");
	assert_int_equal(agent_state_run_end(s, run, "ok", &n, NULL, &p, 1,
	    &err), SB_OK);
	assert_int_equal(agent_position_list(s, &rows, &nrows, &err), SB_OK);
	assert_int_equal(nrows, 1);
	assert_string_equal(rows[0].value, "4200");
	assert_int_equal(rows[0].run, run);
	free(rows);
	agent_state_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_new_store_is_migrated_to_the_current_schema),
		cmocka_unit_test(test_state_migrations_run_once_each_in_order),
		cmocka_unit_test(test_state_a_failed_migration_leaves_the_version_alone),
		cmocka_unit_test(test_state_refuses_a_schema_newer_than_it_knows),
		cmocka_unit_test(test_state_dir_is_0700_and_files_0600_whatever_the_umask),
		cmocka_unit_test(test_state_tightens_wider_modes_left_by_someone),
		cmocka_unit_test(test_state_read_only_without_a_file_is_no_state_and_creates_none),
		cmocka_unit_test(test_state_runs_begin_running_and_end_with_counts),
		cmocka_unit_test(test_state_position_advances_only_inside_a_transaction),
		cmocka_unit_test(test_state_a_usn_never_moves_backwards),
		cmocka_unit_test(test_state_run_end_records_outcome_and_positions_together),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
