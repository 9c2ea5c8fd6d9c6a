/*
 * The revert test of the flap quarantine, value by value.  For one
 * attribute of one object, a scan holds the values the plan writes (adds
 * or removes) and learns, from soabridge's own applied journal rows read
 * newest first, what soabridge last did with each of them.  A value is
 * reverted when soabridge's last write of it no longer holds in AD and
 * the plan writes it again: the plan adds a value soabridge last added
 * (AD dropped it), or removes one soabridge last removed (AD has it
 * again).  A value soabridge never wrote is growth, never a revert; so is
 * a value the plan writes the other way (the cloud changed its mind).
 *
 * The plan's deltas are computed from what AD holds now, so "the plan
 * adds v" already says "AD does not hold v"; for member, whose deltas
 * carry only the values a chunk deletes (mapping/plan.h), this is what
 * lets the scan judge a 100,000-member group from the plan alone.  A value
 * AD changed but the plan leaves alone (the cloud agrees with AD now) is
 * no fight, and not counted.
 *
 * Values compare by the attribute's matching rule: DNs (member, manager,
 * a move) by their normal form, booleans without case, the rest byte for
 * byte.  Pure: no state, no I/O.
 */
#ifndef SB_FLAPSCAN_H
#define SB_FLAPSCAN_H

#include <stddef.h>

#include "agent/store/journal.h"
#include "mapping/core.h"
#include "mapping/plan.h"

struct flapscan;

/* A scan of attr (copied) with no values yet.  *out is new. */
enum sb_status	agent_flapscan_new(const char *attr, struct flapscan **out,
		    struct sb_error *err);
void		agent_flapscan_free(struct flapscan *s);
const char	*agent_flapscan_attr(const struct flapscan *s);

/*
 * Adds the values one planned row writes: after \ before are added,
 * before \ after removed (rows of agent_journal_from_change; the parts of
 * one object's writes may each add theirs).
 */
enum sb_status	agent_flapscan_plan(struct flapscan *s,
		    const struct journal_row *row, struct sb_error *err);
/* Sorts what agent_flapscan_plan added; call once, before history rows. */
enum sb_status	agent_flapscan_ready(struct flapscan *s,
		    struct sb_error *err);
/*
 * One applied journal row of this object and attribute, newest first:
 * the planned values it added or removed that no newer row did learn their
 * last write from it.
 */
enum sb_status	agent_flapscan_history(struct flapscan *s,
		    const struct sb_bytes *before, size_t nbefore,
		    const struct sb_bytes *after, size_t nafter,
		    struct sb_error *err);
/* 1 when every planned value's last write is known: older rows are moot. */
int		agent_flapscan_done(const struct flapscan *s);
/* Planned values that are reverts (after the history rows seen). */
size_t		agent_flapscan_reverts(const struct flapscan *s);
/* The planned values (after agent_flapscan_ready). */
size_t		agent_flapscan_size(const struct flapscan *s);

/* One scan per attribute. */
struct flapscan_list {
	struct flapscan	**v;
	size_t		  n;
};

/*
 * The ready scans of what the changes idx[0..n) of p, all of one object
 * (guid), write: every attribute over every part (a group's members come
 * in chunks).  Creations have no history (nor a GUID yet) and a deletion
 * writes no value back: both are left out.  out is filled (the caller
 * frees it with agent_flapscan_list_free, on failure too).
 */
enum sb_status	agent_flapscan_changes(const struct plan *p,
		    const size_t *idx, size_t n, const char *guid,
		    struct flapscan_list *out, struct sb_error *err);
void		agent_flapscan_list_free(struct flapscan_list *l);

#endif
