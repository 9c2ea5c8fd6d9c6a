/*
 * undo RUN: revert what run RUN applied, value by value, only where AD still
 * holds what soabridge wrote.  Value-level rows (multi-valued attributes)
 * delete each value the run added that is still there and add back each
 * value it removed that is still absent.  Whole-attribute rows (single-
 * valued) are put back only when AD holds exactly what the run wrote;
 * anything else was changed by someone since: left alone and reported as
 * a conflict (a finding of kind refused).  A group the run created,
 * moved or deleted is deleted, moved back or created again under the same
 * rule (agent/store/revert.h).  Changes are reverted newest first, so a group
 * created and filled in one run is emptied, then deleted.  The undo is
 * itself a run, journaled like a sync, so it can be undone in turn.
 */
#ifndef SB_UNDO_H
#define SB_UNDO_H

#include <stddef.h>

#include "agent/store/journal.h"
#include "agent/store/revert.h"
#include "mapping/plan.h"

/*
 * Pure: adds to p the changes that revert rows (n >= 1, one change of the
 * undone run x->of_run) given cur, the object as AD holds it now (NULL:
 * gone), and the findings for what cannot be reverted.  A MODIFY is
 * reverted value by value (above); an ADD, RENAME or DELETE of a group by
 * agent/store/revert.h, with what x says of AD.  *conflicts grows by the
 * attributes (objects, for ADD, RENAME, DELETE) left alone; *added is the
 * number of changes added.
 */
enum sb_status	agent_undo_object(struct plan *p,
		    const struct journal_row *rows, size_t n,
		    const struct dirobj *cur, const struct revert_ctx *x,
		    long *conflicts, size_t *added, struct sb_error *err);

#endif
