/* The changes of one group, built part by part (mapping/groups.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authority.h"
#include "dn.h"
#include "groupchg.h"
#include "provision.h"

/* Group attributes the cloud may own, from Graph's group properties. */
static const struct group_row {
	const char	*ad;
	const char	*graph;
	unsigned	 cls;
	int		 multi;
} group_rows[] = {
	{ "description", "description", MAP_CLASS_IDENTITY, 0 },
	{ "displayName", "displayName", MAP_CLASS_IDENTITY, 0 },
	{ "mail", "mail", MAP_CLASS_EXCHANGE, 0 },
	{ "mailNickname", "mailNickname", MAP_CLASS_EXCHANGE, 0 },
	{ "proxyAddresses", "proxyAddresses", MAP_CLASS_EXCHANGE, 1 },
};
#define NGROUP_ROWS	(sizeof(group_rows) / sizeof(group_rows[0]))

/* ---- desired attributes ---- */

enum sb_status
map_group_desired(const struct dirobj *cloud, unsigned classes,
    const struct map_options *opt, struct dirobj **out, struct sb_error *err)
{
	const struct group_row *row;
	const struct dirattr *a;
	struct dirobj *d;
	enum sb_status st = SB_OK;
	size_t i, k;

	d = dirobj_new(DIROBJ_GROUP);
	if (d == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
	for (i = 0; i < NGROUP_ROWS && st == SB_OK; i++) {
		row = &group_rows[i];
		if ((row->cls & classes) == 0 ||
		    map_options_skips(opt, row->ad))
			continue;
		a = dirobj_get(cloud, row->graph);
		if (a == NULL)
			continue;	/* not read: leave AD alone */
		st = dirobj_touch(d, row->ad, err);
		for (k = 0; k < a->nvals && st == SB_OK; k++) {
			/* SPO: and other cloud-internal addresses stay out. */
			if (a->vals[k].len == 0 || (row->multi &&
			    map_options_excluded(opt, row->ad, &a->vals[k])))
				continue;
			st = dirobj_add_value(d, row->ad, a->vals[k].p,
			    a->vals[k].len, err);
			if (!row->multi)
				break;
		}
	}
	if (st != SB_OK) {
		dirobj_free(d);
		return st;
	}
	*out = d;
	return SB_OK;
}

/* ---- building the changes of one group ---- */

void
map_chlist_free(struct map_chlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		map_change_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A new, empty change at the end of l (initialised by the caller). */
static enum sb_status
chlist_next(struct map_chlist *l, struct change **out, struct sb_error *err)
{
	struct change *nv;
	size_t ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 4;
		nv = realloc(l->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "map.groups",
			    "out of memory");
		l->v = nv;
		l->cap = ncap;
	}
	*out = &l->v[l->n++];
	memset(*out, 0, sizeof(**out));
	return SB_OK;
}

/* A change of op on dn (ad's, or a new group's) with the pair's names. */
enum sb_status
map_chlist_start(struct map_chlist *l, enum change_op op, const struct dirobj *ad,
    const struct dirobj *cloud, const char *dn, const char *rule,
    struct change **out, struct sb_error *err)
{
	struct change *c = NULL;
	enum sb_status st;

	st = chlist_next(l, &c, err);
	if (st != SB_OK)
		return st;
	st = map_change_init(c, op, ad, cloud, rule, err);
	if (st != SB_OK) {
		l->n--;		/* map_change_init left it cleared */
		return st;
	}
	c->kind = DIROBJ_GROUP;
	if (ad == NULL && dn != NULL) {
		c->dn = strdup(dn);
		if (c->dn == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "map.groups",
			    "out of memory");
	}
	*out = c;
	return SB_OK;
}

/*
 * Member deltas in chunks of MAP_MEMBER_CHUNK values, deletions first: the
 * first chunk into *first when it is not NULL, the others into new MODIFY
 * changes.  Each delta's before holds the chunk's deleted values (plan.h).
 */
enum sb_status
map_chlist_members(struct map_chlist *l, size_t first, const struct dirobj *ad,
    const struct dirobj *cloud, const char *dn, const char *rule,
    const struct map_member_diff *md, struct sb_error *err)
{
	const struct sb_bytes **ptrs = NULL;
	struct sb_bytes *before = NULL, *addv = NULL;
	struct change *c = NULL;
	enum sb_status st = SB_OK;
	size_t total = md->ndel + md->nadd, start, end, i, nd, na;

	if (total == 0)
		return SB_OK;
	ptrs = calloc(MAP_MEMBER_CHUNK, sizeof(*ptrs));
	before = calloc(MAP_MEMBER_CHUNK, sizeof(*before));
	addv = calloc(MAP_MEMBER_CHUNK, sizeof(*addv));
	if (ptrs == NULL || before == NULL || addv == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
		goto done;
	}
	for (start = 0; start < total && st == SB_OK; start = end) {
		end = start + MAP_MEMBER_CHUNK < total ?
		    start + MAP_MEMBER_CHUNK : total;
		if (start == 0 && first != SIZE_MAX)
			c = &l->v[first];
		else
			st = map_chlist_start(l, MAP_CHANGE_MODIFY, ad, cloud, dn,
			    rule, &c, err);
		if (st != SB_OK)
			break;
		for (i = start, nd = 0; i < end && i < md->ndel; i++, nd++) {
			ptrs[nd] = md->del[i];
			before[nd] = *md->del[i];
		}
		if (nd > 0)
			st = map_change_add_delta(c, "member",
			    MAP_DELTA_DELETE, ptrs, nd, before, nd, err);
		for (i = start > md->ndel ? start : md->ndel, na = 0;
		    i < end && st == SB_OK; i++, na++) {
			addv[na].p = (unsigned char *)md->add[i - md->ndel];
			addv[na].len = strlen(md->add[i - md->ndel]);
			ptrs[na] = &addv[na];
		}
		if (na > 0 && st == SB_OK)
			st = map_change_add_delta(c, "member", MAP_DELTA_ADD,
			    ptrs, na, before, nd, err);
	}
done:
	free(ptrs);
	free(before);
	free(addv);
	return st;
}

/* Empty MODIFYs dropped, parts numbered, the rest moved into the plan. */
enum sb_status
map_chlist_commit(struct map_chlist *l, struct plan *p, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].op == MAP_CHANGE_MODIFY && l->v[i].ndeltas == 0) {
			map_change_clear(&l->v[i]);
			continue;
		}
		if (n != i) {
			l->v[n] = l->v[i];
			memset(&l->v[i], 0, sizeof(l->v[i]));
		}
		n++;
	}
	l->n = n;
	for (i = 0; i < n && st == SB_OK; i++) {
		l->v[i].part = n > 1 ? (unsigned)(i + 1) : 0;
		l->v[i].nparts = n > 1 ? (unsigned)n : 0;
		st = map_plan_take_change(p, &l->v[i], err);
	}
	map_chlist_free(l);
	return st;
}

/*
 * The ADD of a new group: its attributes gathered in a dirobj (which keeps
 * them sorted by name), then one ADD delta each.
 */
enum sb_status
map_chlist_add_group(struct map_chlist *l, const struct dirobj *cloud,
    const char *dn, const char *sam, unsigned classes, const char *rule,
    const struct map_options *opt, struct sb_error *err)
{
	const struct dirattr *a;
	const struct sb_bytes **ptrs = NULL;
	struct dirobj *want = NULL, *all = NULL;
	struct change *c;
	char anchor[96];
	enum sb_status st;
	size_t i, k;

	snprintf(anchor, sizeof(anchor), "%s%s", MAP_WRITEBACK_PREFIX,
	    cloud->cloud_id);
	st = map_group_desired(cloud, classes, opt, &want, err);
	if (st != SB_OK)
		return st;
	all = dirobj_new(DIROBJ_GROUP);
	if (all == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
		goto done;
	}
	st = dirobj_add_str(all, "objectClass", "group", err);
	if (st == SB_OK)
		st = dirobj_add_str(all, "sAMAccountName", sam, err);
	if (st == SB_OK)
		st = dirobj_add_str(all, "groupType",
		    map_provision_group_type(opt->groups.type), err);
	if (st == SB_OK)
		st = dirobj_add_str(all, "adminDescription", anchor, err);
	if (st == SB_OK && !map_options_skips(opt,
	    "msDS-ExternalDirectoryObjectId"))
		st = dirobj_add_str(all, "msDS-ExternalDirectoryObjectId",
		    anchor, err);
	for (i = 0; st == SB_OK && i < want->nattrs; i++)
		for (k = 0; st == SB_OK && k < want->attrs[i].nvals; k++)
			st = dirobj_add_value(all, want->attrs[i].name,
			    want->attrs[i].vals[k].p,
			    want->attrs[i].vals[k].len, err);
	if (st == SB_OK)
		st = map_chlist_start(l, MAP_CHANGE_ADD, NULL, cloud, dn, rule,
		    &c, err);
	for (i = 0; st == SB_OK && i < all->nattrs; i++) {
		a = &all->attrs[i];
		free(ptrs);
		ptrs = calloc(a->nvals + 1, sizeof(*ptrs));
		if (ptrs == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "map.groups",
			    "out of memory");
			break;
		}
		for (k = 0; k < a->nvals; k++)
			ptrs[k] = &a->vals[k];
		if (a->nvals > 0)
			st = map_change_add_delta(c, a->name, MAP_DELTA_ADD,
			    ptrs, a->nvals, NULL, 0, err);
	}
done:
	free(ptrs);
	dirobj_free(all);
	dirobj_free(want);
	return st;
}

/* A RENAME of ad into OU to, keeping its RDN. */
enum sb_status
map_chlist_move(struct map_chlist *l, const struct map_pair *pr, const char *to,
    const char *rule, struct sb_error *err)
{
	struct change *c;
	enum sb_status st;

	st = map_chlist_start(l, MAP_CHANGE_RENAME, pr->ad, pr->cloud, NULL, rule,
	    &c, err);
	if (st == SB_OK)
		st = map_dn_rdn(pr->ad->dn, &c->new_rdn, err);
	if (st == SB_OK && (c->new_superior = strdup(to)) == NULL)
		st = sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
	return st;
}

/* Attributes not put in a deleted group's before-image. */
static int
not_in_image(const char *name)
{
	return strcasecmp(name, "memberOf") == 0 ||
	    strcasecmp(name, "adminCount") == 0 ||
	    strcasecmp(name, "isCriticalSystemObject") == 0;
}


enum sb_status
map_chlist_delete(struct map_chlist *l, const struct dirobj *ad,
    const char *cloud_id, struct sb_error *err)
{
	const struct dirattr *a;
	struct change *c;
	enum sb_status st;
	size_t k;

	st = map_chlist_start(l, MAP_CHANGE_DELETE, ad, NULL, NULL,
	    MAP_RULE_DELETE, &c, err);
	if (st == SB_OK && (c->cloud_id = strdup(cloud_id)) == NULL)
		st = sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
	for (k = 0; st == SB_OK && k < ad->nattrs; k++) {
		a = &ad->attrs[k];
		if (a->nvals > 0 && !not_in_image(a->name))
			st = map_change_add_delta(c, a->name,
			    MAP_DELTA_DELETE, NULL, 0, a->vals, a->nvals, err);
	}
	return st;
}
