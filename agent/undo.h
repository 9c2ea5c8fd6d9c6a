/*
 * undo RUN: revert what run RUN applied, value by value, only where AD still
 * holds what soabridge wrote.  Value-level rows (multi-valued attributes)
 * delete each value the run added that is still there and add back each
 * value it removed that is still absent.  Whole-attribute rows (single-
 * valued) are put back only when AD holds exactly what the run wrote;
 * anything else was changed by someone since: left alone and reported as
 * a conflict (a finding of kind refused).  The undo is itself a run,
 * journaled like a sync, so it can be undone in turn.
 */
#ifndef SB_UNDO_H
#define SB_UNDO_H

#include <stddef.h>

#include "agent/journal.h"
#include "mapping/plan.h"

/*
 * Pure: adds to p the change that reverts rows (n >= 1, one object, rows
 * of run of_run) given cur, the object as AD holds it now (NULL: gone),
 * and the findings for what cannot be reverted.  *conflicts grows by the
 * attributes left alone; *added is 1 when a change was added.
 */
enum sb_status	agent_undo_object(struct plan *p,
		    const struct journal_row *rows, size_t n,
		    const struct dirobj *cur, long long of_run,
		    long *conflicts, int *added, struct sb_error *err);

#endif
