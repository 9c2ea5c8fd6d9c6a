/*
 * What the write gate's files share (agent/gate.c: the target and its
 * nesting; agent/gatemembers.c: member values; agent/gatescreen.c: a
 * whole plan before undo writes).  Private to them.
 */
#ifndef SB_GATEINT_H
#define SB_GATEINT_H

#include <stddef.h>

#include "agent/gate.h"
#include "mapping/options.h"

struct agent_gate {
	struct ad_conn		*ad;
	const char		*domain;	/* the naming context searched */
	struct map_options	 opt;		/* scope and OUs, borrowed from conf */
	char			**quar;		/* quarantined objectGUID texts */
	size_t			 nquar;
};

/* What every protection check reads of an object (memberOf: its nesting). */
extern const char *const agent_gate_protect_attrs[];

/*
 * 1 with why when o is protected: mapping/protect.h, plus domain
 * controller accounts and foreign security principals.
 */
int		agent_gate_protected(const struct agent_gate *g,
		    const struct dirobj *o, char *why, size_t whysz);

/*
 * The member values of c's deltas: a protected one, or one AD cannot show,
 * is taken out.  *v: PASS, TRIMMED (*trimmed holds the rest) or REFUSED.
 */
enum sb_status	agent_gate_check_members(struct agent_gate *g,
		    const struct change *c, enum gate_verdict *v,
		    struct change *trimmed, char *why, enum sb_status *read_st,
		    struct sb_error *err);

#endif
