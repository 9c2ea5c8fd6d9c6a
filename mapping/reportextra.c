/* Report entries off the map's rows: members, new groups, moves, deletes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrmap.h"
#include "dn.h"
#include "placement.h"
#include "reportentry.h"
#include "reportextra.h"

/* The owner a change's rule names; a rule other than these is the cloud's. */
static enum map_report_owner
owner_of_rule(const char *rule)
{
	if (rule != NULL && strcmp(rule, MAP_RULE_EXCHANGE) == 0)
		return MAP_REPORT_OWNER_EXCHANGE;
	if (rule != NULL && strcmp(rule, MAP_RULE_AD) == 0)
		return MAP_REPORT_OWNER_AD;
	return MAP_REPORT_OWNER_CLOUD;
}

/*
 * AD after sync applies changes c0..c1 of one object to attr: the
 * replacement, else before less what the deltas delete plus what they add.
 */
static enum sb_status
after_values(struct report_walk *w, size_t c0, size_t c1,
    const char *attr, struct sb_error *err)
{
	const struct delta *d;
	enum sb_status st = SB_OK;
	size_t i, j, k, n = w->ad.n;

	for (j = c0; j < c1; j++)
		for (i = 0; i < w->chg[j]->ndeltas; i++) {
			d = &w->chg[j]->deltas[i];
			if (strcasecmp(d->attr, attr) == 0 &&
			    d->op == MAP_DELTA_REPLACE)
				return map_report_vpush_all(&w->cloud, d->vals,
				    d->nvals, err);
		}
	st = map_report_marks_grow(w, n + 1, err);
	if (st == SB_OK)
		st = map_report_mark_in(w, &w->ad, &w->rem, w->ad_mark, err);
	for (k = 0; k < n && st == SB_OK; k++)
		if (!w->ad_mark[k])
			st = map_report_vpush(&w->cloud, w->ad.v[k], err);
	for (j = c0; j < c1 && st == SB_OK; j++)
		for (i = 0; i < w->chg[j]->ndeltas && st == SB_OK; i++) {
			d = &w->chg[j]->deltas[i];
			if (strcasecmp(d->attr, attr) == 0 &&
			    d->op == MAP_DELTA_ADD)
				st = map_report_vpush_all(&w->cloud, d->vals,
				    d->nvals, err);
		}
	return st;
}

static void
entry_change(struct report_walk *w, const struct change *c, const char *attr)
{
	map_report_entry_reset(w);
	w->e.state = MAP_REPORT_CLOUD_DRIFT;
	w->e.owner = owner_of_rule(c->rule);
	w->e.kind = c->kind;
	w->e.dn = c->dn;
	w->e.cloud_id = c->cloud_id;
	w->e.display_name = c->display_name;
	w->e.rule = c->rule;
	w->e.attr = attr;
	w->e.cls = attr ? map_report_class_of(attr) : 0;
	w->e.cloud_known = 1;
}

/* A rename: distinguishedName from its DN to the new one. */
static enum sb_status
emit_rename(struct report_walk *w, const struct change *c,
    struct sb_error *err)
{
	char *parent = NULL;
	const char *sup = c->new_superior;
	enum sb_status st = SB_OK;
	struct sb_buf b;

	sb_buf_init(&b, MAP_DN_MAX);
	sb_bytes_free(&w->dnval[0]);
	sb_bytes_free(&w->dnval[1]);
	if (sup == NULL)
		st = map_dn_parent(c->dn, &parent, err);
	if (st == SB_OK)
		st = sb_buf_printf(&b, err, "%s,%s", c->new_rdn ? c->new_rdn :
		    "", sup ? sup : parent);
	if (st == SB_OK)
		st = sb_bytes_from_str(&w->dnval[0], c->dn, err);
	if (st == SB_OK)
		st = sb_bytes_copy(&w->dnval[1], b.p, b.len, err);
	free(parent);
	sb_buf_free(&b);
	if (st != SB_OK)
		return st;
	entry_change(w, c, "distinguishedName");
	w->e.cls = MAP_CLASS_PLACEMENT;
	if (map_report_vpush(&w->ad, &w->dnval[0], err) != SB_OK ||
	    map_report_vpush(&w->rem, &w->dnval[0], err) != SB_OK ||
	    map_report_vpush(&w->cloud, &w->dnval[1], err) != SB_OK ||
	    map_report_vpush(&w->add, &w->dnval[1], err) != SB_OK)
		return SB_BUG;
	return map_report_emit(w, err);
}

/* 1 when a delta of changes c0..(c, i) before this one is on attr. */
static int
attr_seen(const struct report_walk *w, size_t c0, size_t c, size_t i,
    const char *attr)
{
	const struct change *x;
	size_t j, k;

	for (j = c0; j <= c; j++) {
		x = w->chg[j];
		for (k = 0; k < (j == c ? i : x->ndeltas); k++)
			if (strcasecmp(x->deltas[k].attr, attr) == 0 &&
			    (x->op != MAP_CHANGE_MODIFY ||
			    map_attrmap_find(attr) == NULL))
				return 1;
	}
	return 0;
}

/*
 * The entry of delta i of change j on an attribute outside the map: AD's
 * values, what changes c0..c1 add and remove, and AD after them.
 */
static enum sb_status
extra_attr(struct report_walk *w, size_t c0, size_t c1, size_t j, size_t i,
    const struct dirobj *ad, struct sb_error *err)
{
	const struct change *c = w->chg[j];
	const struct delta *d = &c->deltas[i];
	const struct dirattr *a;
	enum sb_status st = SB_OK;
	size_t k, found = 0;

	entry_change(w, c, d->attr);
	a = ad ? dirobj_get(ad, d->attr) : NULL;
	if (a != NULL)
		st = map_report_vpush_all(&w->ad, a->vals, a->nvals, err);
	else if (c->op == MAP_CHANGE_MODIFY)
		st = map_report_vpush_all(&w->ad, d->before, d->nbefore, err);
	for (k = c0; k < c1 && st == SB_OK; k++)
		if (w->chg[k]->op != MAP_CHANGE_DELETE)
			st = map_report_change_lists(w, w->chg[k], d->attr,
			    &found, err);
	if (st == SB_OK)
		st = after_values(w, c0, c1, d->attr, err);
	if (st == SB_OK)
		st = map_report_emit(w, err);
	return st;
}

/*
 * The entries of what the map's rows do not show, for changes c0..c1 of
 * one object (an object's writes may come in parts): deltas on attributes
 * outside the map (member), groups to create, moves, deletes; one entry an
 * attribute, whatever the parts.  ad is the joined AD object or NULL.
 */
enum sb_status
map_report_extra(struct report_walk *w, size_t c0, size_t c1,
    const struct dirobj *ad, struct sb_error *err)
{
	const struct change *c;
	const char *attr;
	enum sb_status st = SB_OK;
	size_t i, j;

	for (j = c0; j < c1 && st == SB_OK; j++) {
		c = w->chg[j];
		if (c->op == MAP_CHANGE_RENAME)
			st = emit_rename(w, c, err);
		if (c->op == MAP_CHANGE_DELETE) {
			entry_change(w, c, NULL);
			w->e.cls = MAP_CLASS_PLACEMENT;
			w->e.cloud_known = 0;
			w->e.message = "sync deletes this object";
			st = map_report_emit(w, err);
			continue;
		}
		for (i = 0; i < c->ndeltas && st == SB_OK; i++) {
			attr = c->deltas[i].attr;
			if ((c->op == MAP_CHANGE_MODIFY &&
			    map_attrmap_find(attr) != NULL) ||
			    attr_seen(w, c0, j, i, attr))
				continue;	/* a row of the map, or done */
			st = extra_attr(w, c0, c1, j, i, ad, err);
		}
	}
	return st;
}

/*
 * A cloud-owned group that sync does not move because its cloud group has
 * no OU-extension value: it stays where it is (groups.default_ou is only
 * for groups soabridge creates).  One in-sync placement entry says so, so
 * that the report does not leave the admin guessing why nothing moved.
 */
enum sb_status
map_report_placement_kept(struct report_walk *w,
    const struct report_pair *px, struct sb_error *err)
{
	const struct map_pair *pr = px->pr;
	const struct map_options *opt = w->in->opt;
	struct map_placement pl;
	enum sb_status st;
	size_t k;

	if (pr->cloud->kind != DIROBJ_GROUP || px->refusal != NULL ||
	    px->conflict != NULL || (px->auth.classes & opt->classes &
	    MAP_CLASS_PLACEMENT) == 0)
		return SB_OK;
	for (k = px->c0; k < px->c1; k++)
		if (w->chg[k]->op == MAP_CHANGE_RENAME)
			return SB_OK;
	for (k = px->f0; k < px->f1; k++)
		if (w->fnd[k]->kind == MAP_FINDING_PLACEMENT)
			return SB_OK;	/* its own entry says why */
	st = map_placement_target(pr->cloud, opt, MAP_PLACE_FOR_EXISTING, &pl,
	    err);
	if (st != SB_OK || pl.source != MAP_PLACE_NONE) {
		map_placement_clear(&pl);
		return st;
	}
	map_placement_clear(&pl);
	sb_bytes_free(&w->dnval[0]);
	st = sb_bytes_from_str(&w->dnval[0], pr->ad->dn, err);
	if (st != SB_OK)
		return st;
	map_report_entry_object(w, px);
	w->e.attr = "distinguishedName";
	w->e.cls = MAP_CLASS_PLACEMENT;
	w->e.owner = map_report_owner_of(&px->auth, MAP_CLASS_PLACEMENT);
	w->e.state = MAP_REPORT_IN_SYNC;
	w->e.reason = "stays";
	w->e.message = "the cloud group has no OU-extension value "
	    "(groups.ou_extension): the group stays in its OU; "
	    "groups.default_ou is only where soabridge creates groups";
	st = map_report_vpush(&w->ad, &w->dnval[0], err);
	return st == SB_OK ? map_report_emit(w, err) : st;
}
