/* Cloud objects a run skips, and the findings that name them. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/log.h"
#include "agent/skips.h"
#include "mapping/cloudid.h"

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
skip_add(struct agent_skips *k, const struct dirobj *o, enum finding_kind f,
    const char *attr, int soa_unknown, const char *why, struct sb_error *err)
{
	struct agent_skip *nv, *s;

	nv = realloc(k->v, (k->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "skips", "out of memory");
	k->v = nv;
	s = &nv[k->n];
	memset(s, 0, sizeof(*s));
	s->kind = o->kind;
	s->finding = f;
	s->soa_unknown = soa_unknown;
	s->cloud_id = strdup(o->cloud_id ? o->cloud_id : "");
	s->display_name = o->display_name ? strdup(o->display_name) : NULL;
	s->attr = attr ? strdup(attr) : NULL;
	s->why = strdup(why);
	if (s->cloud_id == NULL || (attr != NULL && s->attr == NULL) ||
	    s->why == NULL ||
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
	return skip_add(k, o, MAP_FINDING_BAD_VALUE, "id", 0, text, err);
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
    enum finding_kind f, const char *why, struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];

	/* Absent, not empty: an empty list would remove every member. */
	dirobj_members_forget(g);
	log_warn("graph.members group=\"%s\" result=skipped kind=%s (%s)",
	    map_cloudid_show(g->cloud_id, shown, sizeof(shown)),
	    map_finding_kind_name(f), why);
	return skip_add(k, g, f, "members", 0, why, err);
}

enum sb_status
agent_skips_object(struct agent_skips *k, const struct dirobj *o,
    enum finding_kind f, const char *attr, int soa_unknown, const char *why,
    struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];

	log_warn("cloud.skip kind=%s id=\"%s\" result=skipped finding=%s (%s)",
	    dirobj_kind_name(o->kind), map_cloudid_show(o->cloud_id, shown,
	    sizeof(shown)), map_finding_kind_name(f), why);
	return skip_add(k, o, f, attr, soa_unknown, why, err);
}

/* The skip of cloud object id, or NULL. */
static const struct agent_skip *
skip_of_id(const struct agent_skips *k, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < k->n; i++)
		if (strcmp(k->v[i].cloud_id, id) == 0)
			return &k->v[i];
	return NULL;
}

/* The skip that change c came from, or NULL. */
static const struct agent_skip *
skip_of(const struct agent_skips *k, const struct change *c)
{
	return skip_of_id(k, c->cloud_id);
}

/* What the finding of skip s says. */
static void
finding_text(const struct agent_skip *s, size_t dropped, char *buf,
    size_t bufsz)
{
	const char *left = dropped ? " (its planned changes left out)" : "";

	switch (s->finding) {
	case MAP_FINDING_SOA_UNREADABLE:
		snprintf(buf, bufsz, "its source of authority could not be "
		    "read: %s: nothing written for it this run%s; the next run "
		    "reads it again", s->why, left);
		break;
	case MAP_FINDING_GONE_IN_CLOUD:
		snprintf(buf, bufsz, "deleted in the cloud while this run read "
		    "it: %s: nothing written for it this run%s", s->why, left);
		break;
	default:
		snprintf(buf, bufsz, "%s: skipped, nothing written for it this "
		    "run%s", s->why, left);
		break;
	}
}

/* The finding of one skipped object; dn: its AD object's, or NULL. */
static enum sb_status
add_finding(struct plan *p, const struct agent_skip *s, const char *dn,
    size_t dropped, struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE], text[512];
	struct dirobj ad, cloud;

	memset(&ad, 0, sizeof(ad));
	memset(&cloud, 0, sizeof(cloud));
	ad.kind = cloud.kind = s->kind;
	ad.dn = (char *)(uintptr_t)dn;
	/* A shown form: the raw id may be long or hold control bytes. */
	cloud.cloud_id = (char *)(uintptr_t)map_cloudid_show(s->cloud_id,
	    shown, sizeof(shown));
	cloud.display_name = s->display_name;
	finding_text(s, dropped, text, sizeof(text));
	return map_plan_add_finding(p, err, s->finding, dn ? &ad : NULL,
	    &cloud, s->attr, "%s", text);
}

/* A finding that judged the authority of an object whose SOA is unknown. */
static int
judged_authority(const struct agent_skips *k, const struct finding *f)
{
	const struct agent_skip *s = skip_of_id(k, f->cloud_id);

	return s != NULL && s->soa_unknown &&
	    (f->kind == MAP_FINDING_AD_AUTHORITATIVE ||
	    f->kind == MAP_FINDING_INCONSISTENT_SOA);
}

static void
finding_free(struct finding *f)
{
	free(f->dn);
	free(f->cloud_id);
	free(f->display_name);
	free(f->attr);
	free(f->message);
	memset(f, 0, sizeof(*f));
}

/* Leaves out the findings judged_authority() names; dn[] keeps their DN. */
static enum sb_status
drop_findings(const struct agent_skips *k, struct plan *p, char **dn,
    struct sb_error *err)
{
	const struct agent_skip *s;
	size_t i, keep = 0;

	for (i = 0; i < p->nfindings; i++) {
		s = skip_of_id(k, p->findings[i].cloud_id);
		if (s != NULL && dn[s - k->v] == NULL &&
		    p->findings[i].dn != NULL) {
			dn[s - k->v] = strdup(p->findings[i].dn);
			if (dn[s - k->v] == NULL)
				return sb_fail(err, SB_BUG, ENOMEM, "skips",
				    "out of memory");
		}
		if (judged_authority(k, &p->findings[i])) {
			finding_free(&p->findings[i]);
			continue;
		}
		if (keep != i) {
			p->findings[keep] = p->findings[i];
			memset(&p->findings[i], 0, sizeof(p->findings[i]));
		}
		keep++;
	}
	p->nfindings = keep;
	return SB_OK;
}

enum sb_status
agent_skips_apply(const struct agent_skips *k, struct plan *p,
    struct sb_error *err)
{
	const struct agent_skip *s;
	char **dn = NULL;
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
	/* The DN of the object, from a change of it, else a finding. */
	for (i = 0; st == SB_OK && i < p->nchanges; i++) {
		s = skip_of(k, &p->changes[i]);
		if (s != NULL && dropped[s - k->v]++ == 0 &&
		    p->changes[i].dn != NULL) {
			dn[s - k->v] = strdup(p->changes[i].dn);
			if (dn[s - k->v] == NULL)
				st = sb_fail(err, SB_BUG, ENOMEM, "skips",
				    "out of memory");
		}
	}
	if (st == SB_OK)
		st = drop_findings(k, p, dn, err);
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
	for (i = 0; dn != NULL && i < k->n; i++)
		free(dn[i]);
	free(dn);
	free(dropped);
	return st;
}
