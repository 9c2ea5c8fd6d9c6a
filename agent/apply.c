/* Applying one planned change to AD through ldap/write.c. */
#include <errno.h>
#include <stdlib.h>

#include "agent/apply.h"
#include "ldap/write.h"

static enum ad_mod_op
mod_op(enum delta_op op)
{
	switch (op) {
	case MAP_DELTA_ADD:	return AD_MOD_ADD;
	case MAP_DELTA_DELETE:	return AD_MOD_DELETE;
	case MAP_DELTA_REPLACE:	return AD_MOD_REPLACE;
	}
	return AD_MOD_REPLACE;
}

/* One change, one LDAP modify: AD applies all of it or none of it. */
enum sb_status
agent_apply_change(struct ad_conn *ad, const struct change *c,
    struct sb_error *err)
{
	struct ad_mod *mods;
	enum sb_status st;
	size_t i;

	if (c->op != MAP_CHANGE_MODIFY)
		return sb_fail(err, SB_SKIP, 0, "sync.apply", "%s: %s changes "
		    "are not applied by this version", c->dn,
		    map_change_op_name(c->op));
	mods = calloc(c->ndeltas + 1, sizeof(*mods));
	if (mods == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "sync.apply",
		    "out of memory");
	for (i = 0; i < c->ndeltas; i++) {
		mods[i].attr = c->deltas[i].attr;
		mods[i].op = mod_op(c->deltas[i].op);
		mods[i].vals = c->deltas[i].vals;
		mods[i].nvals = c->deltas[i].nvals;
	}
	st = ad_modify(ad, c->dn, mods, c->ndeltas, err);
	free(mods);
	return st;
}
