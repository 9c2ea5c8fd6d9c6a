/*
 * The write gate's check of one change right before it is written
 * (agent/gatecheck.c): the rules are in agent/gate.h.
 */
#ifndef SB_GATECHECK_H
#define SB_GATECHECK_H

#include "agent/gateverdict.h"
#include "mapping/plan.h"

struct agent_gate;

/*
 * Checks c, whose object has objectGUID text guid ("" when unknown: then
 * by DN), against AD as it is now.  *v says what may be sent; for
 * GATE_TRIMMED, *trimmed is a copy of c without the refused member values
 * (map_change_clear it); why (AGENT_GATE_WHY_SIZE bytes) says what was
 * refused and why.  *read_st is the status of a failed read of AD (SB_OK
 * when every read worked): a refusal for a dead connection, which the
 * caller may take as the end of its writes.  Returns SB_BUG only (out of
 * memory); every other failure is a refusal.
 */
enum sb_status	agent_gate_check(struct agent_gate *g, const struct change *c,
		    const char *guid, enum gate_verdict *v,
		    struct change *trimmed, char *why, enum sb_status *read_st,
		    struct sb_error *err);

#endif
