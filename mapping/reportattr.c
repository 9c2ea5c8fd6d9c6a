/* Report entries of a joined object: the state of each attribute of the map. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrmap.h"
#include "diff.h"
#include "reportattr.h"
#include "reportentry.h"
#include "reportextra.h"
#include "rules.h"

static const struct dirattr *
raw_cloud(const struct map_pair *pr, const struct map_attr *row)
{
	const struct dirattr *a = NULL;

	if (row->cls == MAP_CLASS_EXCHANGE && pr->mailbox != NULL &&
	    row->mailbox_src != NULL)
		a = dirobj_get(pr->mailbox, row->mailbox_src);
	if (a == NULL && row->graph_src != NULL)
		a = dirobj_get(pr->cloud, row->graph_src);
	return a;
}

/* 1 when a finding of kind k on an attribute of the map is read there. */
static int
explains_attr(enum finding_kind k)
{
	return map_report_is_refusal(k) || k == MAP_FINDING_UNRESOLVED ||
	    k == MAP_FINDING_BAD_VALUE;
}

/* 1 when f says why attr of cloud object cloud_id is not written. */
static int
finding_on(const struct finding *f, const char *cloud_id, const char *attr)
{
	if (f->attr == NULL || strcasecmp(f->attr, attr) != 0 ||
	    map_report_strcmp(f->cloud_id, cloud_id) != 0)
		return 0;
	return explains_attr(f->kind);
}

/* The first such finding among the plan's of one object (lo..hi). */
static const struct finding *
plan_finding(const struct report_walk *w, size_t lo, size_t hi,
    const char *cloud_id, const char *attr)
{
	size_t i;

	for (i = lo; i < hi; i++)
		if (finding_on(w->fnd[i], cloud_id, attr))
			return w->fnd[i];
	return NULL;
}

/* The first such finding among the rules' (tf). */
static const struct finding *
rules_finding(const struct plan *tf, const char *cloud_id, const char *attr)
{
	size_t i;

	for (i = 0; i < tf->nfindings; i++)
		if (finding_on(&tf->findings[i], cloud_id, attr))
			return &tf->findings[i];
	return NULL;
}

/*
 * An attribute a finding of the plan or the rules is about: refused by
 * policy, or unresolved or unmappable, shown with the cloud's own values.
 */
static enum sb_status
attr_by_finding(struct report_walk *w, const struct report_pair *px,
    const struct map_attr *row, const struct finding *pf,
    struct sb_error *err)
{
	struct map_report_entry *e = &w->e;
	const struct dirattr *cw;
	enum sb_status st = SB_OK;

	e->reason = map_finding_kind_name(pf->kind);
	e->message = pf->message;
	if (map_report_is_refusal(pf->kind)) {
		e->state = MAP_REPORT_REFUSED;
		return SB_OK;
	}
	cw = raw_cloud(px->pr, row);
	w->cloud.n = 0;
	e->cloud_known = cw != NULL;
	if (cw != NULL)
		st = map_report_vpush_all(&w->cloud, cw->vals, cw->nvals, err);
	if (pf->kind == MAP_FINDING_UNRESOLVED)
		e->state = MAP_REPORT_UNRESOLVED;
	else
		e->state = e->owner == MAP_REPORT_OWNER_AD ?
		    MAP_REPORT_AD_DIFFERENCE : MAP_REPORT_REFUSED;
	return st;
}

/* An attribute that differs with no finding on it: who keeps it as it is. */
static void
attr_by_owner(struct report_walk *w, const struct report_pair *px,
    const struct map_attr *row)
{
	struct map_report_entry *e = &w->e;

	if (e->owner == MAP_REPORT_OWNER_AD) {
		e->state = MAP_REPORT_AD_DIFFERENCE;
		e->reason = px->conflict ? "inconsistent-soa" :
		    "ad-authoritative";
		e->message = px->conflict ? px->conflict->message : NULL;
	} else if (px->refusal != NULL) {
		e->state = MAP_REPORT_REFUSED;
		e->reason = map_finding_kind_name(px->refusal->kind);
		e->message = px->refusal->message;
	} else {
		e->state = MAP_REPORT_REFUSED;
		if ((row->cls & w->in->opt->classes) == 0 ||
		    map_options_skips(w->in->opt, row->ad_name)) {
			e->reason = "skipped";
			e->message = "not written: the configuration or the AD "
			    "schema leaves this attribute out";
		} else {
			e->reason = "not-planned";
			e->message = "cloud-owned and different, but the plan "
			    "has no change for it";
		}
	}
}

/* The state of one attribute of the map on one joined object, and its entry. */
static enum sb_status
walk_attr(struct report_walk *w, const struct report_pair *px,
    const struct map_attr *row, struct sb_error *err)
{
	const struct map_pair *pr = px->pr;
	const struct dirattr *a, *cw;
	const struct finding *pf;
	struct map_report_entry *e = &w->e;
	const char *name = row->ad_name;
	enum sb_status st = SB_OK;
	size_t k, found = 0, diffs = 0;

	map_report_entry_object(w, px);
	e->attr = name;
	e->cls = row->cls;
	e->owner = px->soa_unknown ? MAP_REPORT_OWNER_NONE :
	    map_report_owner_of(&px->auth, row->cls);
	a = dirobj_get(pr->ad, name);
	if (a != NULL)
		st = map_report_vpush_all(&w->ad, a->vals, a->nvals, err);
	cw = dirobj_get(px->want, name);
	e->cloud_known = cw != NULL;
	if (cw != NULL && st == SB_OK)
		st = map_report_vpush_all(&w->cloud, cw->vals, cw->nvals, err);
	/* What sync writes: the plan's deltas, nothing recomputed. */
	for (k = px->c0; k < px->c1 && st == SB_OK; k++)
		if (w->chg[k]->op == MAP_CHANGE_MODIFY)
			st = map_report_change_lists(w, w->chg[k], name, &found,
			    err);
	if (st != SB_OK || found > 0) {
		e->state = MAP_REPORT_CLOUD_DRIFT;
		return st == SB_OK ? map_report_emit(w, err) : st;
	}
	pf = plan_finding(w, px->f0, px->f1, pr->cloud->cloud_id, name);
	if (pf == NULL)		/* the plan's own finding first */
		pf = rules_finding(px->tf, pr->cloud->cloud_id, name);
	if (pf == NULL || map_report_is_refusal(pf->kind))
		st = map_report_change_lists(w, px->tc, name, &diffs, err);
	if (st != SB_OK)
		return st;
	if (pf != NULL)
		st = attr_by_finding(w, px, row, pf, err);
	else if (diffs > 0)
		attr_by_owner(w, px, row);
	else {
		e->state = MAP_REPORT_IN_SYNC;
		if (w->ad.n == 0 && w->cloud.n == 0) {
			w->stats.empty++;
			return SB_OK;
		}
	}
	return st == SB_OK ? map_report_emit(w, err) : st;
}


/* Object-level findings of a pair: the refusal and the SOA conflict. */
static void
pair_findings(struct report_walk *w, struct report_pair *px)
{
	const struct finding *f;
	size_t k;

	for (k = px->f0; k < px->f1; k++) {
		f = w->fnd[k];
		if (map_report_strcmp(f->cloud_id,
		    px->pr->cloud->cloud_id) != 0 ||
		    map_report_is_unjoined(f->kind))
			continue;
		/* A quarantine holds the object, whatever attribute flapped. */
		if (f->kind == MAP_FINDING_FLAP ||
		    (f->attr == NULL && map_report_is_refusal(f->kind))) {
			px->refusal = px->refusal ? px->refusal : f;
			w->fnd_done[k] = 1;
		} else if (f->attr == NULL &&
		    (f->kind == MAP_FINDING_SOA_UNREADABLE ||
		    f->kind == MAP_FINDING_GONE_IN_CLOUD)) {
			/*
			 * Not written this run: its attributes are refused
			 * for that reason, and the finding keeps its own
			 * entry so that an object in sync still shows it.
			 */
			px->refusal = f;
			px->soa_unknown = f->kind == MAP_FINDING_SOA_UNREADABLE;
		} else if (f->kind == MAP_FINDING_INCONSISTENT_SOA) {
			px->conflict = f;
			w->fnd_done[k] = 1;
		} else if (f->kind == MAP_FINDING_AD_AUTHORITATIVE) {
			w->fnd_done[k] = 1;	/* its attributes say it */
		} else if (f->attr != NULL && map_attrmap_find(f->attr) &&
		    explains_attr(f->kind)) {
			w->fnd_done[k] = 1;	/* walk_attr reads it */
		}
		/* Anything else (a group's findings) gets its own entry. */
	}
}

/* Every entry of one joined pair: the map's rows, then the rest. */
enum sb_status
map_report_pair(struct report_walk *w, const struct map_pair *pr,
    struct sb_error *err)
{
	const struct map_attr *map;
	struct map_options xo;
	struct dirobj *want = NULL;
	struct plan *tf = NULL;
	struct report_pair px;
	struct change tc;
	enum sb_status st;
	size_t n, i, k;

	memset(&tc, 0, sizeof(tc));
	memset(&px, 0, sizeof(px));
	px.pr = pr;
	map_authority_decide(pr->cloud, pr->mailbox, &px.auth);
	tf = map_plan_new();
	if (tf == NULL) {
		st = map_report_oom(err);
		goto done;
	}
	/*
	 * Every class and attribute: the report compares what the cloud does
	 * not own too.  Only the excluded proxy address prefixes stay out of
	 * the comparison, as they stay out of every write.
	 */
	map_options_init(&xo);
	xo.proxy_exclude = w->in->opt->proxy_exclude;
	xo.nproxy_exclude = w->in->opt->nproxy_exclude;
	st = map_rules_desired(pr, MAP_CLASS_ALL, &xo, w->j, tf, &want, err);
	if (st == SB_OK)
		st = map_change_init(&tc, MAP_CHANGE_MODIFY, pr->ad, pr->cloud,
		    px.auth.rule, err);
	if (st == SB_OK)
		st = map_diff_opt(want, pr->ad, &xo, &tc, err);
	if (st != SB_OK)
		goto done;
	px.want = want;
	px.tc = &tc;
	px.tf = tf;
	px.c0 = map_report_changes_from(w, pr->ad->dn);
	for (px.c1 = px.c0; px.c1 < w->nchg &&
	    map_report_strcmp(w->chg[px.c1]->dn, pr->ad->dn) == 0; px.c1++)
		;
	px.f0 = map_report_findings_from(w, pr->ad->dn);
	for (px.f1 = px.f0; px.f1 < w->nfnd &&
	    map_report_strcmp(w->fnd[px.f1]->dn, pr->ad->dn) == 0; px.f1++)
		;
	pair_findings(w, &px);
	map = map_attrmap_default(&n);
	for (i = 0; i < n && st == SB_OK; i++)
		st = walk_attr(w, &px, &map[i], err);
	if (st == SB_OK)
		st = map_report_extra(w, px.c0, px.c1, pr->ad, err);
	if (st == SB_OK)
		st = map_report_placement_kept(w, &px, err);
	for (k = px.c0; k < px.c1; k++)
		w->chg_done[k] = 1;
done:
	map_change_clear(&tc);
	dirobj_free(want);
	map_plan_free(tf);
	return st;
}

