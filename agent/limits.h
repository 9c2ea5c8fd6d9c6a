/*
 * Safety limits on a whole plan, checked before the first write.
 *
 * "changes" counts what a plan writes: each value added, each value removed
 * (a cleared attribute: each value it held), each attribute replaced (one,
 * however many values), and each object created, renamed or moved, or
 * deleted; the values an object is created with count as values added, a
 * deleted object's values are not counted again.  "deletes" counts the
 * values removed and the objects deleted.  A plan over limits.max_changes
 * (or --max-changes N for one run) or limits.max_deletes is refused whole:
 * nothing is written, exit 3.
 */
#ifndef SB_LIMITS_H
#define SB_LIMITS_H

#include <stddef.h>

#include "mapping/plan.h"

struct agent_limit_counts {
	size_t	changes;
	size_t	deletes;
};

enum agent_limit {
	AGENT_LIMIT_CHANGES = 0,	/* limits.max_changes */
	AGENT_LIMIT_DELETES,		/* limits.max_deletes */
};

/* Pure: counts p as described above. */
void		agent_limits_count(const struct plan *p,
		    struct agent_limit_counts *out);
/*
 * Pure: SB_REFUSED, with a message naming the limit and by how much the
 * plan exceeds it, when n is over max for that limit; else SB_OK.
 */
enum sb_status	agent_limits_check(const struct agent_limit_counts *n,
		    enum agent_limit which, long max, struct sb_error *err);

#endif
