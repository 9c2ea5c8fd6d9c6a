/*
 * Cloud objects a run skips: one bad object is a finding, never the end of
 * the run.  An object whose id is not a Graph object id
 * (mapping/cloudid.h) is set aside as soon as it is read, before its id is
 * used anywhere (a $batch URL, a members URL, a join, an anchor); a group
 * whose members cannot be read whole (a malformed member entry, the group
 * gone since the listing: SB_SKIP from cloud/) stays, so that it still
 * joins and does not look deleted, but its membership is left unread.  Once
 * the plan is built, every change that came from a skipped object leaves
 * it, and a finding of kind bad-value names the object and says why.
 */
#ifndef SB_SKIPS_H
#define SB_SKIPS_H

#include <stddef.h>

#include "mapping/dirobj.h"
#include "mapping/plan.h"

struct agent_skip {
	enum dirobj_kind kind;
	char		*cloud_id;	/* exact: to match changes */
	char		*display_name;	/* or NULL */
	char		*attr;		/* "id" or "members" */
	char		*why;
};

struct agent_skips {
	struct agent_skip	*v;
	size_t			 n;
};

void		agent_skips_free(struct agent_skips *k);
/*
 * Moves the objects of set from index from on whose cloud_id is not a
 * Graph object id out of set (order kept) into k.
 */
enum sb_status	agent_skips_sift(struct agent_skips *k, struct dirset *set,
		    size_t from, struct sb_error *err);
/*
 * Group g's members could not be read (why: cloud/'s error text): its
 * membership attributes are removed (not read: mapping/groups.h leaves
 * membership alone) and g is recorded in k.
 */
enum sb_status	agent_skips_members(struct agent_skips *k, struct dirobj *g,
		    const char *why, struct sb_error *err);
/*
 * Takes every change of a skipped object out of p and adds one bad-value
 * finding per skipped object (with the DN of its AD object when the plan
 * had changes for it).
 */
enum sb_status	agent_skips_apply(const struct agent_skips *k, struct plan *p,
		    struct sb_error *err);

#endif
