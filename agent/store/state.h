/*
 * The state store: one SQLite file, STATE_DIR/state.db (WAL, synchronous
 * FULL; the directory 0700, the files 0600), holding the runs, the journal
 * (agent/store/journal.h), the positions (USN watermark, delta links), the
 * flap counters and the quarantined objects (agent/store/flap.h).  The
 * schema carries a version in PRAGMA user_version and is migrated forward
 * on a read-write open; a newer schema than this binary knows is refused.
 *
 * Positions (agent/store/position.h) advance only inside the transaction
 * that records the changes they cover.  No secret is ever stored here.
 * Opening, migrating and transactions are state.c's; the runs table is
 * staterun.c's, the one part that moves positions (at a run's end).
 */
#ifndef SB_STATE_H
#define SB_STATE_H

#include <stddef.h>

#include "mapping/core.h"

#define AGENT_STATE_FILE	"state.db"
#define AGENT_STATE_SCHEMA	2	/* user_version this binary writes */
#define AGENT_STATE_BUSY_MS	10000	/* wait for another writer's commit */
#define AGENT_STATE_TIME_SIZE	24	/* "2025-01-31T23:59:59Z" and a NUL */

struct agent_state;
struct agent_position;
struct sqlite3;
struct sqlite3_stmt;

enum agent_state_mode {
	AGENT_STATE_RW = 0,	/* create the directory and file, migrate */
	AGENT_STATE_RO,		/* read only; no file yet is not an error */
};

/*
 * Opens dir/state.db.  RW: creates dir (0700) and the file (0600) if need
 * be, tightens wider modes, migrates.  RO: *out is NULL when there is no
 * state yet.  *out is new: agent_state_close() frees it.
 */
enum sb_status	agent_state_open(const char *dir, enum agent_state_mode mode,
		    struct agent_state **out, struct sb_error *err);
/* The same on a file path, or ":memory:" (tests); no directory handling. */
enum sb_status	agent_state_open_file(const char *path,
		    enum agent_state_mode mode, struct agent_state **out,
		    struct sb_error *err);
void		agent_state_close(struct agent_state *s);
/* Creates dir with mode 0700 (its parent must exist); tightens a wider mode. */
enum sb_status	agent_state_mkdir(const char *dir, struct sb_error *err);
/* Borrowed: the file's path; "" for an in-memory store. */
const char	*agent_state_path(const struct agent_state *s);
int		agent_state_schema(const struct agent_state *s);
/* Borrowed handle for agent/store/journal.c and agent/store/flap.c. */
struct sqlite3	*agent_state_db(struct agent_state *s);
int		agent_state_readonly(const struct agent_state *s);

/*
 * Migrations: migrations[i] takes user_version i to i + 1, each in its own
 * transaction.  agent_state_open applies the built-in list; tests pass their
 * own.  A database newer than n is SB_STOP.
 */
enum sb_status	agent_state_migrate(struct sqlite3 *db,
		    const char *const *migrations, size_t n,
		    struct sb_error *err);

/*
 * BEGIN IMMEDIATE / COMMIT / ROLLBACK.  rollback never fails.  begin
 * first commits a held transaction (agent_state_hold).
 */
enum sb_status	agent_state_begin(struct agent_state *s, struct sb_error *err);
enum sb_status	agent_state_commit(struct agent_state *s, struct sb_error *err);
void		agent_state_rollback(struct agent_state *s);
/*
 * A finished transaction left open to be committed with the next one: the
 * writer holds each change's result and commits it with the next change's
 * write-ahead rows, one fsync per LDAP operation instead of two.
 * agent_state_join() begins a transaction or takes over the held one;
 * agent_state_flush() commits a held one (a no-op without); closing the
 * state flushes too.  Until then a crash loses only the held result: the
 * row stays pending, which the next run settles by reading AD.
 */
void		agent_state_hold(struct agent_state *s);
enum sb_status	agent_state_join(struct agent_state *s, struct sb_error *err);
enum sb_status	agent_state_flush(struct agent_state *s, struct sb_error *err);
/* One statement without results (helpers of journal.c and flap.c). */
enum sb_status	agent_state_exec(struct agent_state *s, const char *sql,
		    const char *where, struct sb_error *err);
/* Prepare sql into *q; on failure *q is NULL and the error names where. */
enum sb_status	agent_state_prepare(struct agent_state *s, const char *where,
		    struct sqlite3_stmt **q, const char *sql,
		    struct sb_error *err);
/* An SB_BUG error naming SQLite's message (for the prepare/step helpers). */
enum sb_status	agent_state_fail(struct agent_state *s, const char *where,
		    struct sb_error *err);

/* Now, UTC, as "2025-01-31T23:59:59Z". */
void		agent_state_now(char out[AGENT_STATE_TIME_SIZE]);

/* ---- runs ---- */

struct agent_run {
	long long	 id;
	char		 command[16];	/* "sync", "undo" */
	long long	 undo_of;	/* undo: the run it reverts; else 0 */
	long		 pid;
	char		 started[AGENT_STATE_TIME_SIZE];
	char		 ended[AGENT_STATE_TIME_SIZE];	/* "" while running */
	char		 outcome[16];	/* ok failed refused interrupted... */
	long		 planned;	/* objects in the plan */
	long		 applied;	/* objects written */
	long		 failed;	/* objects whose write failed */
	long		 conflicts;	/* undo: attributes left alone */
	char		 message[512];	/* why it failed or was refused; "" */
};

struct agent_run_counts {
	long	planned;
	long	applied;
	long	failed;
	long	conflicts;
};

/* Records a new run (outcome "running", this process's pid). */
enum sb_status	agent_state_run_begin(struct agent_state *s,
		    const char *command, long long undo_of, long long *id,
		    struct sb_error *err);
/*
 * Records which identity run id is bound to AD as ("u:CORP\\svc", from
 * ad_conn_bound()), once it has connected.
 */
enum sb_status	agent_state_run_bound(struct agent_state *s, long long id,
		    const char *bound, struct sb_error *err);
/*
 * Ends run id in one transaction: outcome, counts, message (may be NULL)
 * and the positions it covers (npos may be 0).
 */
enum sb_status	agent_state_run_end(struct agent_state *s, long long id,
		    const char *outcome, const struct agent_run_counts *n,
		    const char *message, const struct agent_position *pos,
		    size_t npos, struct sb_error *err);
/* Sets a run's outcome, counts and message; alone or in a transaction. */
enum sb_status	agent_state_run_outcome(struct agent_state *s, long long id,
		    const char *outcome, const struct agent_run_counts *n,
		    const char *message, struct sb_error *err);
/* One run; SB_SKIP (with a message) when there is none with that id. */
enum sb_status	agent_state_run_get(struct agent_state *s, long long id,
		    struct agent_run *out, struct sb_error *err);
/*
 * Runs by id (newest last); outcome NULL for all, else only those with that
 * outcome.  *out is new (free()); *n may be 0.
 */
enum sb_status	agent_state_runs(struct agent_state *s, const char *outcome,
		    struct agent_run **out, size_t *n, struct sb_error *err);

#endif
