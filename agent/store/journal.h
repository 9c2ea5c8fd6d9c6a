/*
 * The journal, written ahead: one row per attribute of each change, with
 * the attribute's values before (the before-image AD held when the plan
 * was made) and after (what the change leaves).  Its rows are committed
 * "pending" before the LDAP operation is sent, then marked "applied" or
 * "failed" (with AD's error) once the result is in.  A run that died leaves
 * pending rows: the next run re-reads AD and marks each "applied" when AD
 * holds its after-values, else "not-applied" (agent/recover.c).
 *
 * A rename or move is journaled as a row of the pseudo-attribute
 * distinguishedName (AGENT_JOURNAL_DN_ATTR): before the old DN, after the
 * new one.  A delete's rows hold the object's before-image, after empty.
 * An add's rows get the new object's GUID once AD has created it
 * (agent_journal_set_guid).
 *
 * Values are stored as JSON arrays (agent/store/values.h).  Ownership: a
 * struct journal_rows owns every row and everything in it;
 * agent_journal_rows_free() frees them.
 *
 * Rows are built and compared with AD in journal.c (pure), written and
 * marked in journalwrite.c, read back in journalread.c.
 */
#ifndef SB_JOURNAL_H
#define SB_JOURNAL_H

#include <stddef.h>

#include "agent/store/state.h"
#include "mapping/codec.h"
#include "mapping/dirobj.h"
#include "mapping/plan.h"

/* The row of a rename: the DN as an attribute. */
#define AGENT_JOURNAL_DN_ATTR		"distinguishedName"

enum journal_state {
	JOURNAL_PENDING = 0,	/* committed; the LDAP result not yet known */
	JOURNAL_APPLIED,	/* AD took it */
	JOURNAL_FAILED,		/* AD refused it (error holds why) */
	JOURNAL_NOT_APPLIED,	/* its run died before AD took it */
};

enum journal_mode {
	JOURNAL_VALUES = 0,	/* value by value: values added and removed */
	JOURNAL_REPLACE,	/* the attribute as a whole (single-valued) */
};

/* What AD holds now for a row's attribute (agent_journal_holds). */
enum journal_holds {
	JOURNAL_HOLDS_AFTER = 0,	/* what the row's change left */
	JOURNAL_HOLDS_BEFORE,		/* what was there before it */
	JOURNAL_HOLDS_OTHER,		/* something else: someone changed it */
};

struct journal_row {
	long long	 id;
	long long	 run;
	long		 seq;		/* the change within its run */
	enum change_op	 op;
	char		*dn;
	char		 guid[MAP_GUID_TEXT_SIZE];	/* "" when unknown */
	char		*attr;
	enum journal_mode mode;
	struct sb_bytes	*before;
	size_t		 nbefore;
	struct sb_bytes	*after;
	size_t		 nafter;
	enum journal_state state;
	char		*error;		/* FAILED: AD's error; else NULL */
};

struct journal_rows {
	struct journal_row	*v;
	size_t			 n;
};

void		 agent_journal_rows_free(struct journal_rows *r);
const char	*agent_journal_state_name(enum journal_state st);
const char	*agent_journal_mode_name(enum journal_mode m);

/*
 * Pure: the rows of change c (one per attribute, deltas of one attribute
 * merged) for run and seq; guid is the object's GUID text or "".  out is
 * filled (and owned by the caller) only on success.
 */
enum sb_status	 agent_journal_from_change(const struct change *c,
		     const char *guid, long long run, long seq,
		     struct journal_rows *out, struct sb_error *err);

/*
 * Pure: what cur (AD's attribute now; NULL: absent) holds compared with
 * row.  VALUES rows compare the values the change added and removed, byte
 * for byte; REPLACE rows the whole attribute, by the attribute's matching
 * rule (DN, boolean or exact).
 */
enum journal_holds agent_journal_holds(const struct journal_row *row,
		     const struct sb_bytes *cur, size_t ncur);

/*
 * Write-ahead: inserts rows as pending in one committed transaction and
 * sets their ids.  Refuses (SB_BUG) an attribute whose values are secrets.
 */
enum sb_status	 agent_journal_pending(struct agent_state *s,
		     struct journal_rows *rows, struct sb_error *err);
/*
 * Marks the pending rows of (run, seq) as st (APPLIED or FAILED; error may
 * be NULL) and advances the positions that cover them, in one transaction.
 */
enum sb_status	 agent_journal_mark(struct agent_state *s, long long run,
		     long seq, enum journal_state st, const char *error,
		     const struct agent_position *pos, size_t npos,
		     struct sb_error *err);
/*
 * The same without positions, its transaction held (agent_state_hold) to
 * be committed with the next agent_journal_pending(): the writer's way.
 */
enum sb_status	 agent_journal_mark_held(struct agent_state *s,
		     long long run, long seq, enum journal_state st,
		     const char *error, struct sb_error *err);
/*
 * Sets the objectGUID text of the rows of (run, seq): a created object's,
 * known only once AD has created it.
 */
enum sb_status	 agent_journal_set_guid(struct agent_state *s, long long run,
		     long seq, const char *guid, struct sb_error *err);
/* One row by id, in the caller's transaction or alone. */
enum sb_status	 agent_journal_set_state(struct agent_state *s, long long id,
		     enum journal_state st, const char *error,
		     struct sb_error *err);
/*
 * The rows of run (by id); only those in state st, or all when st is -1.
 * out is new on success.
 */
enum sb_status	 agent_journal_load(struct agent_state *s, long long run,
		     int st, struct journal_rows *out, struct sb_error *err);
/* The runs with pending rows, ascending; *ids is new (free()). */
enum sb_status	 agent_journal_pending_runs(struct agent_state *s,
		     long long **ids, size_t *n, struct sb_error *err);
/* How many changes (distinct seq) of run have a row in state st. */
enum sb_status	 agent_journal_count(struct agent_state *s, long long run,
		     enum journal_state st, long *n, struct sb_error *err);
/*
 * The newest applied row of (guid, attr), whatever run wrote it, into out
 * (a struct journal_rows of 0 or 1 row).
 */
enum sb_status	 agent_journal_last_applied(struct agent_state *s,
		     const char *guid, const char *attr,
		     struct journal_rows *out, struct sb_error *err);

/* Cap on the GUIDs agent_journal_created returns (objects soabridge made). */
#define AGENT_JOURNAL_CREATED_MAX	1000000

/*
 * The objectGUIDs of the objects soabridge created (for groups.delete):
 * those of applied ADD rows (of sync or of an undo that re-created a
 * deleted group), less those an applied DELETE row with a later id removed
 * again: an undo of the creation, or groups.delete itself.  A GUID is never
 * reused, so such a GUID names a gone object; one restored from the AD
 * Recycle Bin keeps its GUID, and an admin's restore is not soabridge's
 * creation.  Canonical lower-case text, sorted by strcmp, no duplicates.
 * *out is new: agent_journal_guids_free(*out, *n).
 */
enum sb_status	 agent_journal_created(struct agent_state *s, char ***out,
		     size_t *n, struct sb_error *err);
void		 agent_journal_guids_free(char **v, size_t n);

#endif
