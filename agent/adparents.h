/*
 * The memberOf parents of the groups a cycle read (agent/cycle.c): what
 * mapping/protect.c judges, read to the top of each nesting, only to tell
 * whether a group is nested in a protected one (mapping/groups.h).
 */
#ifndef SB_AGENT_ADPARENTS_H
#define SB_AGENT_ADPARENTS_H

#include <stddef.h>

#include "mapping/dirobj.h"

struct ad_conn;

/*
 * Reads each memberOf DN of the groups of objs from index first on that
 * is not among objs, then theirs (at most MAP_GROUPS_NEST_MAX), into objs
 * marked protect_only.  A parent left unread is protected in the plan.
 */
enum sb_status	agent_ad_read_parents(struct ad_conn *ad, struct dirset *objs,
		    size_t first, struct sb_error *err);

#endif
