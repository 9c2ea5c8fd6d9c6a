/* Applying one planned change to AD through ldap/write.c: modify, add, rename, delete. */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

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

/* 1 when c changes member values (a chunk of a group's membership). */
static int
writes_members(const struct change *c)
{
	size_t i;

	for (i = 0; i < c->ndeltas; i++)
		if (strcasecmp(c->deltas[i].attr, "member") == 0)
			return 1;
	return 0;
}

/* The deltas as ad_mods (borrowing their values); *n of them. */
static enum sb_status
mods_of(const struct change *c, struct ad_mod **out, size_t *n,
    struct sb_error *err)
{
	struct ad_mod *mods;
	size_t i, k = 0;

	mods = calloc(c->ndeltas + 1, sizeof(*mods));
	if (mods == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "sync.apply",
		    "out of memory");
	for (i = 0; i < c->ndeltas; i++) {
		/* An ADD creates with values; an attribute without none. */
		if (c->op == MAP_CHANGE_ADD && c->deltas[i].nvals == 0)
			continue;
		mods[k].attr = c->deltas[i].attr;
		mods[k].op = mod_op(c->deltas[i].op);
		mods[k].vals = c->deltas[i].vals;
		mods[k].nvals = c->deltas[i].nvals;
		k++;
	}
	*out = mods;
	*n = k;
	return SB_OK;
}

/*
 * One change, one LDAP operation: AD applies all of it or none of it.
 * A chunk of member values is sent with the permissive modify control:
 * a member someone added (or removed) since the read is not an error, so
 * one hand edit cannot fail the other values of the chunk.
 */
enum sb_status
agent_apply_change(struct ad_conn *ad, const struct change *c,
    struct sb_error *err)
{
	struct ad_mod *mods = NULL;
	enum sb_status st;
	size_t n = 0;
	int permissive;

	switch (c->op) {
	case MAP_CHANGE_RENAME:
		return ad_rename(ad, c->dn, c->new_rdn, c->new_superior, err);
	case MAP_CHANGE_DELETE:
		return ad_delete(ad, c->dn, err);
	case MAP_CHANGE_ADD:
	case MAP_CHANGE_MODIFY:
		break;
	}
	st = mods_of(c, &mods, &n, err);
	if (st != SB_OK)
		return st;
	if (c->op == MAP_CHANGE_ADD) {
		st = ad_add(ad, c->dn, mods, n, err);
	} else {
		permissive = writes_members(c);
		if (permissive)
			ad_set_permissive_modify(ad, 1);
		st = ad_modify(ad, c->dn, mods, n, err);
		if (permissive)
			ad_set_permissive_modify(ad, 0);
	}
	free(mods);
	return st;
}
