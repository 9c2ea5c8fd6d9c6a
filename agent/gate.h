/*
 * The write gate: every LDAP write of sync and undo passes it, right before
 * the operation.  The planner's checks make a plan honest; the gate makes
 * the safety rules true when the plan is stale (a group that gained
 * adminCount=1 since it was read, was moved out of the write scope, or
 * whose nesting the planner could not see).  For each change it re-reads
 * AD (never the plan's copy) and refuses, with nothing sent, when:
 *  - the target is gone, or no longer at the DN the change names;
 *  - the target is quarantined for flapping;
 *  - the target lies outside ldap.write_scope (and base_dn);
 *  - the target is protected (mapping/protect.h), or nested at any depth
 *    in a protected group: the chain is walked up through memberOf, each
 *    group read from AD at that moment, inside base_dn or not; a group of
 *    the chain that cannot be read counts as protected;
 *  - a move or a creation goes outside groups.allowed_ous.
 * Member values added or removed are checked one by one: a protected
 * account, or one that cannot be read, is never added and never removed;
 * such values are taken out of the change (the rest is still sent).
 */
#ifndef SB_GATE_H
#define SB_GATE_H

#include <stddef.h>

#include "conf/conf.h"
#include "mapping/plan.h"

struct ad_conn;
struct agent_gate;
struct agent_state;

#define AGENT_GATE_WHY_SIZE	512

enum gate_verdict {
	GATE_PASS = 0,		/* send the change as it is */
	GATE_TRIMMED,		/* send the trimmed copy: some member values refused */
	GATE_REFUSED,		/* send nothing */
};

/*
 * A gate on ad for conf (both borrowed; they must outlive it).  quarantined
 * holds the objectGUID texts of quarantined objects (copied; may be NULL
 * with n 0).
 */
enum sb_status	agent_gate_new(struct ad_conn *ad, const struct conf *conf,
		    const char *const *quarantined, size_t nquarantined,
		    struct agent_gate **out, struct sb_error *err);
/* agent_gate_new with the objects the state s quarantines (s may be NULL). */
enum sb_status	agent_gate_open(struct ad_conn *ad, const struct conf *conf,
		    struct agent_state *s, struct agent_gate **out,
		    struct sb_error *err);
void		agent_gate_free(struct agent_gate *g);

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
