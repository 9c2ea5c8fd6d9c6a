/*
 * The write gate's check of member values: each one added or removed is
 * looked up in AD at the write (agent/gatemembers.c).
 */
#ifndef SB_GATEMEMBERS_H
#define SB_GATEMEMBERS_H

#include "agent/gateverdict.h"
#include "mapping/plan.h"

struct agent_gate;

/*
 * The member values of c's deltas: a protected one, or one AD cannot show,
 * is taken out.  *v: PASS, TRIMMED (*trimmed holds the rest) or REFUSED.
 */
enum sb_status	agent_gate_check_members(struct agent_gate *g,
		    const struct change *c, enum gate_verdict *v,
		    struct change *trimmed, char *why, enum sb_status *read_st,
		    struct sb_error *err);

#endif
