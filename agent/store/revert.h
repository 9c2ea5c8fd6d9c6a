/*
 * The revert of a run's structural changes to groups, for undo (pure):
 * - a creation (ADD) is reverted by deleting the group, only while it is
 *   still the one the run created, where the run created it, holding no
 *   member and in no group that the run did not write;
 * - a move or rename (RENAME) by moving it back to its old DN, only while
 *   it is still at the DN the run gave it and the old DN is free;
 * - a deletion (DELETE) by creating the group again from its journaled
 *   before-image at its old DN, only while nothing took that DN.  AD never
 *   reuses an objectGUID or SID: the new group has new ones, so rights
 *   granted to the old group must be granted again (only the AD Recycle
 *   Bin restores the original).
 * Anything else was changed since by someone else: left alone, reported
 * as a conflict (a finding of kind refused).
 */
#ifndef SB_REVERT_H
#define SB_REVERT_H

#include <stddef.h>

#include "agent/store/journal.h"
#include "mapping/plan.h"

/*
 * What a revert needs besides the object as AD holds it now, read by the
 * caller (borrowed).  undo of run of_run; rule names the changes.
 */
struct revert_ctx {
	long long		 of_run;
	const char		*rule;
	/* RENAME, DELETE: the entry now at the DN the revert would take. */
	const struct dirobj	*taken;
	/* ADD: member values the undone run added to the group ... */
	const struct sb_bytes	*ours;
	size_t			 nours;
	/* ... and the groups it added the group to (their DNs). */
	const struct sb_bytes	*parents;
	size_t			 nparents;
	/* DELETE: members of the before-image no longer in AD. */
	const struct sb_bytes	*gone;
	size_t			 ngone;
	/*
	 * DELETE: when not NULL, receives what AD will hold once the group
	 * is created again (a new dirobj, dirobj_free), or NULL.
	 */
	struct dirobj		**recreated;
};

/* The group attributes a revert reads, writes again and checks. */
extern const char *const agent_revert_group_attrs[];

/*
 * Each adds to p the changes reverting rows (one change of the undone run,
 * op ADD, RENAME or DELETE) given cur, the object as AD holds it now
 * (found by objectGUID, else by DN; NULL: not found), or a finding when
 * it cannot be reverted (*conflicts grows).  *added: changes added.
 */
enum sb_status	agent_revert_add(struct plan *p, const struct journal_row *rows,
		    size_t n, const struct dirobj *cur,
		    const struct revert_ctx *x, long *conflicts, size_t *added,
		    struct sb_error *err);
enum sb_status	agent_revert_rename(struct plan *p,
		    const struct journal_row *rows, size_t n,
		    const struct dirobj *cur, const struct revert_ctx *x,
		    long *conflicts, size_t *added, struct sb_error *err);
enum sb_status	agent_revert_delete(struct plan *p,
		    const struct journal_row *rows, size_t n,
		    const struct dirobj *cur, const struct revert_ctx *x,
		    long *conflicts, size_t *added, struct sb_error *err);

/*
 * Pure: from the undone run's rows (all n of them: the applied ones, and
 * pending ones too when pending is 1), the member values it added to
 * the group at dn (or with objectGUID guid, when not "") into *ours and
 * the DNs of the groups it added that group to into *parents.  Both are
 * new arrays (free() them) of values borrowed from rows.
 */
enum sb_status	agent_revert_run_members(const struct journal_row *rows,
		    size_t n, int pending, const char *dn, const char *guid,
		    struct sb_bytes **ours, size_t *nours,
		    struct sb_bytes **parents, size_t *nparents,
		    struct sb_error *err);

#endif
