/* Cloud objects a run skips, and the findings that name them. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/log.h"
#include "agent/skips.h"
#include "mapping/cloudid.h"
#include "mapping/members.h"

static void
skip_clear(struct agent_skip *s)
{
	free(s->cloud_id);
	free(s->display_name);
	free(s->attr);
	free(s->why);
	memset(s, 0, sizeof(*s));
}

void
agent_skips_free(struct agent_skips *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++)
		skip_clear(&k->v[i]);
	free(k->v);
	k->v = NULL;
	k->n = 0;
}

static enum sb_status
skip_add(struct agent_skips *k, const struct dirobj *o, const char *attr,
    const char *why, struct sb_error *err)
{
	struct agent_skip *nv, *s;

	nv = realloc(k->v, (k->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "skips", "out of memory");
	k->v = nv;
	s = &nv[k->n];
	memset(s, 0, sizeof(*s));
	s->kind = o->kind;
	s->cloud_id = strdup(o->cloud_id ? o->cloud_id : "");
	s->display_name = o->display_name ? strdup(o->display_name) : NULL;
	s->attr = strdup(attr);
	s->why = strdup(why);
	if (s->cloud_id == NULL || s->attr == NULL || s->why == NULL ||
	    (o->display_name != NULL && s->display_name == NULL)) {
		skip_clear(s);
		return sb_fail(err, SB_BUG, ENOMEM, "skips", "out of memory");
	}
	k->n++;
	return SB_OK;
}

/* One object whose id is no Graph object id: recorded and logged. */
static enum sb_status
skip_bad_id(struct agent_skips *k, const struct dirobj *o,
    struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE], why[96], text[160];

	map_cloudid_show(o->cloud_id, shown, sizeof(shown));
	map_cloudid_why(o->cloud_id, why, sizeof(why));
	snprintf(text, sizeof(text), "its id is not a Graph object id (%s)",
	    why);
	log_warn("cloud.skip kind=%s id=\"%s\" result=skipped (id: %s)",
	    dirobj_kind_name(o->kind), shown, why);
	return skip_add(k, o, "id", text, err);
}

enum sb_status
agent_skips_sift(struct agent_skips *k, struct dirset *set, size_t from,
    struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i, keep = from;

	for (i = from; i < set->n; i++) {
		if (st == SB_OK && !map_cloudid_valid(set->objs[i]->cloud_id)) {
			st = skip_bad_id(k, set->objs[i], err);
			dirobj_free(set->objs[i]);
			set->objs[i] = NULL;
			continue;
		}
		set->objs[keep++] = set->objs[i];
	}
	for (i = keep; i < set->n; i++)
		set->objs[i] = NULL;
	set->n = keep;
	return st;
}

enum sb_status
agent_skips_members(struct agent_skips *k, struct dirobj *g,
    const char *why, struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];

	/* Absent, not empty: an empty list would remove every member. */
	dirobj_remove(g, MAP_MEMBERS_ATTR);
	dirobj_remove(g, MAP_MEMBERS_TYPE_ATTR);
	dirobj_remove(g, MAP_MEMBERS_NAME_ATTR);
	log_warn("graph.members group=\"%s\" result=skipped (%s)",
	    map_cloudid_show(g->cloud_id, shown, sizeof(shown)), why);
	return skip_add(k, g, "members", why, err);
}

/* The skip that change c came from, or NULL. */
static const struct agent_skip *
skip_of(const struct agent_skips *k, const struct change *c)
{
	size_t i;

	for (i = 0; c->cloud_id != NULL && i < k->n; i++)
		if (strcmp(k->v[i].cloud_id, c->cloud_id) == 0)
			return &k->v[i];
	return NULL;
}

/* The finding of one skipped object; dn: its AD object's, or NULL. */
static enum sb_status
add_finding(struct plan *p, const struct agent_skip *s, const char *dn,
    size_t dropped, struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];
	struct dirobj ad, cloud;

	memset(&ad, 0, sizeof(ad));
	memset(&cloud, 0, sizeof(cloud));
	ad.kind = cloud.kind = s->kind;
	ad.dn = (char *)(uintptr_t)dn;
	/* A shown form: the raw id may be long or hold control bytes. */
	cloud.cloud_id = (char *)(uintptr_t)map_cloudid_show(s->cloud_id,
	    shown, sizeof(shown));
	cloud.display_name = s->display_name;
	return map_plan_add_finding(p, err, MAP_FINDING_BAD_VALUE,
	    dn ? &ad : NULL, &cloud, s->attr, "%s: skipped, nothing written "
	    "for it this run%s", s->why, dropped ? " (its planned changes "
	    "left out)" : "");
}

enum sb_status
agent_skips_apply(const struct agent_skips *k, struct plan *p,
    struct sb_error *err)
{
	const struct agent_skip *s;
	const char **dn = NULL;
	size_t *dropped = NULL, i, keep = 0;
	enum sb_status st = SB_OK;

	if (k->n == 0)
		return SB_OK;
	dn = calloc(k->n, sizeof(*dn));
	dropped = calloc(k->n, sizeof(*dropped));
	if (dn == NULL || dropped == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "skips", "out of memory");
		goto done;
	}
	/* Findings first: they copy the DN of a change still in p. */
	for (i = 0; i < p->nchanges; i++) {
		s = skip_of(k, &p->changes[i]);
		if (s != NULL && dropped[s - k->v]++ == 0)
			dn[s - k->v] = p->changes[i].dn;
	}
	for (i = 0; st == SB_OK && i < k->n; i++)
		st = add_finding(p, &k->v[i], dn[i], dropped[i], err);
	for (i = 0; st == SB_OK && i < p->nchanges; i++) {
		if (skip_of(k, &p->changes[i]) != NULL) {
			map_change_clear(&p->changes[i]);
			continue;
		}
		if (keep != i) {
			p->changes[keep] = p->changes[i];
			memset(&p->changes[i], 0, sizeof(p->changes[i]));
		}
		keep++;
	}
	if (st == SB_OK) {
		p->nchanges = keep;
		map_plan_sort(p);
	}
done:
	free(dn);
	free(dropped);
	return st;
}
