/* The SQLite state store: open with safe modes, migrate, transactions. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mapping/log.h"
#include "agent/store/state.h"

struct agent_state {
	sqlite3	*db;
	char	*path;
	int	 schema;
	int	 readonly;
	int held; /* an open transaction waits for the next */
};

/*
 * Version 1.  Values in the journal are JSON arrays (agent/store/journal.h);
 * times are UTC ISO 8601 text; objects are named by DN and by objectGUID
 * text (a rename keeps the GUID).
 */
static const char schema_v1[] =
"CREATE TABLE runs ("
"  id        INTEGER PRIMARY KEY AUTOINCREMENT,"
"  command   TEXT NOT NULL,"
"  undo_of   INTEGER REFERENCES runs(id),"
"  pid       INTEGER NOT NULL,"
"  started   TEXT NOT NULL,"
"  ended     TEXT,"
"  outcome   TEXT NOT NULL DEFAULT 'running',"
"  planned   INTEGER NOT NULL DEFAULT 0,"
"  applied   INTEGER NOT NULL DEFAULT 0,"
"  failed    INTEGER NOT NULL DEFAULT 0,"
"  conflicts INTEGER NOT NULL DEFAULT 0,"
"  message   TEXT);"
"CREATE TABLE journal ("
"  id      INTEGER PRIMARY KEY AUTOINCREMENT,"
"  run     INTEGER NOT NULL REFERENCES runs(id),"
"  seq     INTEGER NOT NULL,"
"  op      TEXT NOT NULL,"
"  dn      TEXT NOT NULL,"
"  guid    TEXT NOT NULL,"
"  attr    TEXT NOT NULL,"
"  mode    TEXT NOT NULL,"
"  before  TEXT NOT NULL,"
"  after   TEXT NOT NULL,"
"  state   TEXT NOT NULL,"
"  error   TEXT,"
"  created TEXT NOT NULL,"
"  updated TEXT NOT NULL,"
"  UNIQUE (run, seq, attr));"
"CREATE INDEX journal_object ON journal(guid, attr, id);"
"CREATE INDEX journal_pending ON journal(run) WHERE state = 'pending';"
"CREATE TABLE positions ("
"  name    TEXT PRIMARY KEY,"
"  value   TEXT NOT NULL,"
"  run     INTEGER REFERENCES runs(id),"
"  updated TEXT NOT NULL);"
"CREATE TABLE flaps ("
"  guid  TEXT NOT NULL,"
"  attr  TEXT NOT NULL,"
"  dn    TEXT NOT NULL,"
"  count INTEGER NOT NULL,"
"  run   INTEGER NOT NULL,"
"  PRIMARY KEY (guid, attr));"
"CREATE TABLE quarantine ("
"  guid   TEXT PRIMARY KEY,"
"  dn     TEXT NOT NULL,"
"  attr   TEXT NOT NULL,"
"  count  INTEGER NOT NULL,"
"  run    INTEGER NOT NULL,"
"  since  TEXT NOT NULL,"
"  released TEXT);";

/* Version 2: the identity each run was bound to AD as (LDAP WhoAmI). */
static const char schema_v2[] = "ALTER TABLE runs ADD COLUMN bound TEXT;";

static const char *const migrations[AGENT_STATE_SCHEMA] = { schema_v1,
	schema_v2 };

enum sb_status
agent_state_prepare(struct agent_state *s, const char *where,
    sqlite3_stmt **q, const char *sql, struct sb_error *err)
{
	*q = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, q, NULL) == SQLITE_OK)
		return SB_OK;
	sqlite3_finalize(*q);
	*q = NULL;
	return agent_state_fail(s, where, err);
}

enum sb_status
agent_state_fail(struct agent_state *s, const char *where,
    struct sb_error *err)
{
	int rc = sqlite3_extended_errcode(s->db);
	enum sb_status st;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:	st = SB_RETRY; break;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:	st = SB_STOP; break;
	default:		st = SB_BUG; break;
	}
	return sb_fail(err, st, rc, where, "%s: %s", s->path[0] ? s->path :
	    "state", sqlite3_errmsg(s->db));
}

static enum sb_status
db_exec(sqlite3 *db, const char *sql, const char *where, struct sb_error *err)
{
	char *msg = NULL;
	enum sb_status st = SB_OK;
	int rc;

	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		st = sb_fail(err, (rc & 0xff) == SQLITE_BUSY ? SB_RETRY :
		    (rc & 0xff) == SQLITE_READONLY || (rc & 0xff) ==
		    SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ? SB_STOP :
		    SB_BUG, rc, where, "%s", msg ? msg : sqlite3_errstr(rc));
	}
	sqlite3_free(msg);
	return st;
}

enum sb_status
agent_state_exec(struct agent_state *s, const char *sql, const char *where,
    struct sb_error *err)
{
	return db_exec(s->db, sql, where, err);
}

static enum sb_status
user_version(sqlite3 *db, int *out, struct sb_error *err)
{
	sqlite3_stmt *q = NULL;
	enum sb_status st = SB_OK;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) !=
	    SQLITE_OK || sqlite3_step(q) != SQLITE_ROW) {
		st = sb_fail(err, SB_STOP, sqlite3_extended_errcode(db),
		    "state.open", "cannot read the schema version: %s",
		    sqlite3_errmsg(db));
		goto done;
	}
	*out = sqlite3_column_int(q, 0);
done:
	sqlite3_finalize(q);
	return st;
}

enum sb_status
agent_state_migrate(struct sqlite3 *db, const char *const *migs, size_t n,
    struct sb_error *err)
{
	char sql[64];
	enum sb_status st;
	int v, in_tx = 0;
	size_t i;

	st = user_version(db, &v, err);
	if (st != SB_OK)
		goto done;
	if (v < 0 || (size_t)v > n) {
		st = sb_fail(err, SB_STOP, 0, "state.migrate", "the state has "
		    "schema version %d, newer than this soabridge knows (%zu):"
		    " run a newer soabridge or restore the older state", v, n);
		goto done;
	}
	for (i = (size_t)v; i < n; i++) {
		st = db_exec(db, "BEGIN IMMEDIATE", "state.migrate", err);
		if (st != SB_OK)
			goto done;
		in_tx = 1;
		/* Another process may have migrated while we waited. */
		st = user_version(db, &v, err);
		if (st != SB_OK)
			goto done;
		if ((size_t)v <= i) {
			st = db_exec(db, migs[i], "state.migrate", err);
			if (st != SB_OK)
				goto done;
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu",
			    i + 1);
			st = db_exec(db, sql, "state.migrate", err);
			if (st != SB_OK)
				goto done;
			log_info("state.migrate schema=%zu", i + 1);
		}
		st = db_exec(db, "COMMIT", "state.migrate", err);
		if (st != SB_OK)
			goto done;
		in_tx = 0;
	}
done:
	if (in_tx)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return st;
}

/* A file of ours holds journal values: 0600 whatever the umask was. */
static enum sb_status
tighten(const char *path, int create, struct sb_error *err)
{
	struct stat sb;
	int fd;
	enum sb_status st = SB_OK;

	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT :
	    0), 0600);
	if (fd < 0) {
		if (!create && errno == ENOENT)
			return SB_OK;
		return sb_fail(err, SB_STOP, errno, "state.open", "%s: %s",
		    path, strerror(errno));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		st = sb_fail(err, SB_STOP, errno, "state.open", "%s: not a "
		    "regular file", path);
	} else if ((sb.st_mode & 077) != 0) {
		if (fchmod(fd, 0600) != 0)
			st = sb_fail(err, SB_STOP, errno, "state.open",
			    "%s: mode %03o and cannot change it: %s", path,
			    (unsigned)(sb.st_mode & 0777), strerror(errno));
		else
			log_warn("state.mode path=\"%s\" was=%03o "
			    "now=600", path, (unsigned)(sb.st_mode & 0777));
	}
	close(fd);
	return st;
}

enum sb_status
agent_state_mkdir(const char *dir, struct sb_error *err)
{
	struct stat sb;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sb_fail(err, SB_STOP, errno, "state.open",
		    "cannot create state_dir %s: %s", dir, strerror(errno));
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return sb_fail(err, SB_CONFIG, errno, "state.open",
		    "state_dir %s is not a directory", dir);
	if ((sb.st_mode & 077) != 0) {
		if (chmod(dir, 0700) != 0)
			return sb_fail(err, SB_STOP, errno, "state.open",
			    "state_dir %s has mode %03o and cannot be made "
			    "0700: %s", dir, (unsigned)(sb.st_mode & 0777),
			    strerror(errno));
		log_warn("state.mode path=\"%s\" was=%03o now=700", dir,
		    (unsigned)(sb.st_mode & 0777));
	}
	return SB_OK;
}

static enum sb_status
set_pragmas(struct agent_state *s, struct sb_error *err)
{
	enum sb_status st;
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA busy_timeout = %d",
	    AGENT_STATE_BUSY_MS);
	st = db_exec(s->db, sql, "state.open", err);
	if (st == SB_OK)
		st = db_exec(s->db, "PRAGMA foreign_keys = ON", "state.open",
		    err);
	if (st != SB_OK || s->readonly)
		return st;
	/*
	 * WAL: readers (plan, status) never block the writer.  FULL: a commit
	 * is on disk before the LDAP write it announces is sent.
	 */
	st = db_exec(s->db, "PRAGMA journal_mode = WAL", "state.open", err);
	if (st == SB_OK)
		st = db_exec(s->db, "PRAGMA synchronous = FULL", "state.open",
		    err);
	return st;
}

enum sb_status
agent_state_open_file(const char *path, enum agent_state_mode mode,
    struct agent_state **out, struct sb_error *err)
{
	struct agent_state *s = NULL;
	enum sb_status st;
	int flags, memory = strcmp(path, ":memory:") == 0;

	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->path = strdup(memory ? "" : path)) == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "state.open",
		    "out of memory");
		goto done;
	}
	s->readonly = mode == AGENT_STATE_RO;
	flags = s->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
#ifdef SQLITE_OPEN_NOFOLLOW
	flags |= SQLITE_OPEN_NOFOLLOW;
#endif
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		st = sb_fail(err, SB_STOP, s->db ?
		    sqlite3_extended_errcode(s->db) : 0, "state.open",
		    "cannot open %s: %s", path, s->db ? sqlite3_errmsg(s->db) :
		    "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(s->db, 1);
	st = set_pragmas(s, err);
	if (st != SB_OK)
		goto done;
	if (!s->readonly) {
		st = agent_state_migrate(s->db, migrations,
		    sizeof(migrations) / sizeof(migrations[0]), err);
		if (st != SB_OK)
			goto done;
	}
	st = user_version(s->db, &s->schema, err);
	if (st != SB_OK)
		goto done;
	if (s->schema != AGENT_STATE_SCHEMA) {
		st = sb_fail(err, SB_STOP, 0, "state.open", "%s has schema "
		    "version %d; this soabridge reads %d%s", path, s->schema,
		    AGENT_STATE_SCHEMA, s->schema < AGENT_STATE_SCHEMA ?
		    " (a sync migrates it)" : "");
		goto done;
	}
	log_info("state.open path=\"%s\" schema=%d mode=%s",
	    memory ? ":memory:" : path, s->schema, s->readonly ? "ro" : "rw");
	*out = s;
	s = NULL;
done:
	agent_state_close(s);
	return st;
}

enum sb_status
agent_state_open(const char *dir, enum agent_state_mode mode,
    struct agent_state **out, struct sb_error *err)
{
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	char path[PATH_MAX], aux[PATH_MAX + 16];
	struct stat sb;
	enum sb_status st;
	size_t i;
	int n;

	*out = NULL;
	n = snprintf(path, sizeof(path), "%s/%s", dir, AGENT_STATE_FILE);
	if (n < 0 || (size_t)n >= sizeof(path))
		return sb_fail(err, SB_CONFIG, 0, "state.open",
		    "state_dir %s: path too long", dir);
	if (mode == AGENT_STATE_RO) {
		if (stat(path, &sb) != 0 && errno == ENOENT)
			return SB_OK;	/* no run yet: no state */
		return agent_state_open_file(path, mode, out, err);
	}
	st = agent_state_mkdir(dir, err);
	if (st == SB_OK)
		st = tighten(path, 1, err);
	for (i = 0; st == SB_OK && i < sizeof(side) / sizeof(side[0]); i++) {
		snprintf(aux, sizeof(aux), "%s%s", path, side[i]);
		st = tighten(aux, 0, err);
	}
	if (st != SB_OK)
		return st;
	return agent_state_open_file(path, mode, out, err);
}

void
agent_state_close(struct agent_state *s)
{
	struct sb_error err;

	if (s == NULL)
		return;
	/* Closing would roll a held transaction back: keep its results. */
	if (agent_state_flush(s, &err) != SB_OK)
		log_warn("state.close result=error: %s", err.text);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

const char *
agent_state_path(const struct agent_state *s)
{
	return s->path;
}

int
agent_state_schema(const struct agent_state *s)
{
	return s->schema;
}

struct sqlite3 *
agent_state_db(struct agent_state *s)
{
	return s->db;
}

int
agent_state_readonly(const struct agent_state *s)
{
	return s->readonly;
}

enum sb_status
agent_state_begin(struct agent_state *s, struct sb_error *err)
{
	enum sb_status st;

	if ((st = agent_state_flush(s, err)) != SB_OK)
		return st;
	return db_exec(s->db, "BEGIN IMMEDIATE", "state.begin", err);
}

enum sb_status
agent_state_commit(struct agent_state *s, struct sb_error *err)
{
	s->held = 0;
	return db_exec(s->db, "COMMIT", "state.commit", err);
}

void
agent_state_rollback(struct agent_state *s)
{
	if (s == NULL)
		return;
	s->held = 0;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void
agent_state_hold(struct agent_state *s)
{
	s->held = !sqlite3_get_autocommit(s->db);
}

enum sb_status
agent_state_join(struct agent_state *s, struct sb_error *err)
{
	if (s->held) {
		s->held = 0;
		return SB_OK;
	}
	return db_exec(s->db, "BEGIN IMMEDIATE", "state.begin", err);
}

enum sb_status
agent_state_flush(struct agent_state *s, struct sb_error *err)
{
	if (!s->held)
		return SB_OK;
	return agent_state_commit(s, err);
}

void
agent_state_now(char out[AGENT_STATE_TIME_SIZE])
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(out, AGENT_STATE_TIME_SIZE,
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, AGENT_STATE_TIME_SIZE, "1970-01-01T00:00:00Z");
}
