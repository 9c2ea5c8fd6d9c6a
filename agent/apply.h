/*
 * Applying one change of a plan to AD: the only bridge from struct change
 * (mapping/) to the LDAP write functions (ldap/write.c).
 */
#ifndef SB_APPLY_H
#define SB_APPLY_H

#include "mapping/plan.h"

struct ad_conn;

/*
 * One change, one LDAP operation: AD applies all of it or none of it.
 * MODIFY: ad_modify with the deltas (member chunks with the permissive
 * modify control); ADD: ad_add of c->dn with the deltas' values; RENAME:
 * ad_rename to new_rdn under new_superior; DELETE: ad_delete.
 */
enum sb_status	agent_apply_change(struct ad_conn *ad, const struct change *c,
		    struct sb_error *err);

#endif
