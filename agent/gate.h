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
 *  - a move or a creation goes outside groups.allowed_ous;
 *  - a lease is set (agent_gate_set_lease) and this agent does not hold
 *    it with a margin before its expiry (agent/lease.h): then no change
 *    of the rest of the plan is sent either.
 * Member values added or removed are checked one by one: a protected
 * account, or one that cannot be read, is never added and never removed;
 * such values are taken out of the change (the rest is still sent).
 *
 * This header is what callers include: the gate's life here (gate.c), the
 * check of one change (gatecheck.h) and of a whole plan (gatescreen.h).
 * The parts share gateverdict.h and, privately, gatetypes.h; the rules of
 * protection are in gateprotect.c, those of member values in gatemembers.c;
 * checks that write nothing keep their reads (gatecache.h).
 */
#ifndef SB_GATE_H
#define SB_GATE_H

#include <stddef.h>

#include "agent/gatecache.h"
#include "agent/gatecheck.h"
#include "agent/gatescreen.h"
#include "agent/gateverdict.h"
#include "conf/conf.h"
#include "mapping/core.h"

struct ad_conn;
struct agent_gate;
struct agent_lease;
struct agent_state;

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
/* Every write must find lease held (borrowed; NULL: no such check). */
void		agent_gate_set_lease(struct agent_gate *g,
		    struct agent_lease *lease);

#endif
