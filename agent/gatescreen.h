/*
 * The write gate over a whole plan before anything is written
 * (agent/gatescreen.c), so that undo's plan shows its refusals.
 */
#ifndef SB_GATESCREEN_H
#define SB_GATESCREEN_H

#include <stddef.h>

#include "mapping/plan.h"

struct agent_gate;

/*
 * Runs every change of p through agent_gate_check before anything is
 * written, so that a plan built without the planner's checks (undo's)
 * shows what the gate will refuse: a refused change leaves p (guids[i],
 * per change, follow) with a finding of kind refused saying why; a change
 * with member values taken out is replaced by what is left, with a
 * finding.  *nrefused: the changes taken out.  The writer checks again
 * at the moment of each write.
 */
enum sb_status	agent_gate_screen(struct agent_gate *g, struct plan *p,
		    const char **guids, size_t *nrefused, struct sb_error *err);

#endif
