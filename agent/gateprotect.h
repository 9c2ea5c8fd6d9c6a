/*
 * What the write gate counts as protected: mapping/protect.h and what only
 * the gate sees.  Used by the check of the target (gatecheck.c) and of
 * member values (gatemembers.c).
 */
#ifndef SB_GATEPROTECT_H
#define SB_GATEPROTECT_H

#include <stddef.h>

struct agent_gate;
struct dirobj;

/* What every protection check reads of an object (memberOf: its nesting). */
extern const char *const agent_gate_protect_attrs[];

/*
 * 1 with why when o is protected: mapping/protect.h, plus domain
 * controller accounts and foreign security principals.
 */
int		agent_gate_protected(const struct agent_gate *g,
		    const struct dirobj *o, char *why, size_t whysz);

#endif
