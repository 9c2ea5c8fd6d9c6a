/*
 * The report walk: indexes the plan by DN, walks the joined pairs, then
 * shows what no pair showed (changes, findings, synced AD objects alone).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authority.h"
#include "codec.h"
#include "join.h"
#include "report.h"
#include "reportattr.h"
#include "reportentry.h"
#include "reportextra.h"

static int
cmp_change_ptr(const void *x, const void *y)
{
	const struct change *a = *(const struct change *const *)x;
	const struct change *b = *(const struct change *const *)y;
	int c = map_report_strcmp(a->dn, b->dn);

	return c ? c : (a > b) - (a < b);
}

static int
cmp_finding_ptr(const void *x, const void *y)
{
	const struct finding *a = *(const struct finding *const *)x;
	const struct finding *b = *(const struct finding *const *)y;
	int c = map_report_strcmp(a->dn, b->dn);

	if (c == 0)
		c = map_report_strcmp(a->cloud_id, b->cloud_id);
	return c ? c : (a > b) - (a < b);
}

static int
cmp_pair_ptr(const void *x, const void *y)
{
	const struct map_pair *a = *(const struct map_pair *const *)x;
	const struct map_pair *b = *(const struct map_pair *const *)y;
	int c = map_report_strcmp(a->ad->dn, b->ad->dn);

	return c ? c : (a > b) - (a < b);
}

static int
cmp_obj_dn(const void *x, const void *y)
{
	const struct dirobj *a = *(const struct dirobj *const *)x;
	const struct dirobj *b = *(const struct dirobj *const *)y;
	int c = map_report_strcmp(a->dn, b->dn);

	return c ? c : (a > b) - (a < b);
}

static int
cmp_obj_addr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const struct dirobj *const *)x;
	uintptr_t b = (uintptr_t)*(const struct dirobj *const *)y;

	return (a > b) - (a < b);
}

/*
 * The state of a finding shown on its own.  Group findings (mapping/groups.c)
 * go by name: an AD-only member kept and a group handed back are AD's, a
 * group gone from the cloud (or an object deleted while the run read it)
 * has no cloud object; anything else (soa-unreadable too) is a write not
 * made.
 */
enum map_report_state
map_report_finding_state(enum finding_kind k)
{
	static const char *const ad_owned[] = {
		"ad-authoritative", "inconsistent-soa", "ad-only-member",
		"handed-back",
	};
	const char *name = map_finding_kind_name(k);
	size_t i;

	if (map_report_is_unjoined(k) ||
	    strcmp(name, "deleted-in-cloud") == 0 ||
	    k == MAP_FINDING_GONE_IN_CLOUD)
		return MAP_REPORT_UNJOINED;
	if (k == MAP_FINDING_UNRESOLVED)
		return MAP_REPORT_UNRESOLVED;
	for (i = 0; i < sizeof(ad_owned) / sizeof(ad_owned[0]); i++)
		if (strcmp(name, ad_owned[i]) == 0)
			return MAP_REPORT_AD_DIFFERENCE;
	return MAP_REPORT_REFUSED;
}

/* A finding no joined object's entries showed: its own entry. */
static enum sb_status
emit_finding(struct report_walk *w, const struct finding *f,
    struct sb_error *err)
{
	const struct map_pair *pr;
	struct map_authority auth;

	map_report_entry_reset(w);
	pr = f->cloud_id && w->j ? map_join_find(w->j, f->cloud_id) : NULL;
	w->e.dn = f->dn;
	w->e.cloud_id = f->cloud_id;
	w->e.display_name = f->display_name;
	w->e.attr = f->attr;
	w->e.cls = f->attr ? map_report_class_of(f->attr) : 0;
	w->e.reason = map_finding_kind_name(f->kind);
	w->e.message = f->message;
	/* Only mailboxes name a cloud id outside the cloud set. */
	w->e.kind = pr ? (pr->ad ? pr->ad->kind : pr->cloud->kind) :
	    f->cloud_id && !f->dn ? DIROBJ_MAILBOX : DIROBJ_OTHER;
	if (map_report_is_unjoined(f->kind)) {
		w->e.state = MAP_REPORT_UNJOINED;
		w->e.owner = MAP_REPORT_OWNER_NONE;
		return map_report_emit(w, err);
	}
	map_authority_decide(pr ? pr->cloud : NULL, pr ? pr->mailbox : NULL,
	    &auth);
	w->e.rule = auth.rule;
	w->e.owner = map_report_owner_of(&auth,
	    w->e.cls ? w->e.cls : auth.classes);
	w->e.state = map_report_finding_state(f->kind);
	if (w->e.state == MAP_REPORT_AD_DIFFERENCE)
		w->e.owner = MAP_REPORT_OWNER_AD;
	else if (w->e.state == MAP_REPORT_UNJOINED ||
	    f->kind == MAP_FINDING_SOA_UNREADABLE)
		w->e.owner = MAP_REPORT_OWNER_NONE; /* nobody's, or unknown */
	return map_report_emit(w, err);
}

/* Synced AD objects (mS-DS-ConsistencyGuid set) no cloud object joined. */
static enum sb_status
walk_ad_only(struct report_walk *w, const struct dirobj **joined,
    size_t njoined, struct sb_error *err)
{
	const struct dirset *ad = w->in->ad;
	const struct dirobj **objs = NULL, *o;
	enum sb_status st = SB_OK;
	size_t i, k;
	int named;

	if (ad->n == 0)
		return SB_OK;
	objs = malloc(ad->n * sizeof(*objs));
	if (objs == NULL)
		return map_report_oom(err);
	memcpy(objs, ad->objs, ad->n * sizeof(*objs));
	qsort(objs, ad->n, sizeof(*objs), cmp_obj_dn);
	for (i = 0; i < ad->n && st == SB_OK; i++) {
		o = objs[i];
		if (o->protect_only ||
		    o->consistency_guid.len != MAP_GUID_LEN ||
		    (njoined > 0 && bsearch(&o, joined, njoined,
		    sizeof(*joined), cmp_obj_addr) != NULL))
			continue;
		/* A finding already named it (an ambiguous join). */
		k = map_report_findings_from(w, o->dn);
		named = k < w->nfnd &&
		    map_report_strcmp(w->fnd[k]->dn, o->dn) == 0;
		if (named)
			continue;
		map_report_entry_reset(w);
		w->e.state = MAP_REPORT_UNJOINED;
		w->e.owner = MAP_REPORT_OWNER_NONE;
		w->e.kind = o->kind;
		w->e.dn = o->dn;
		w->e.display_name = map_report_name_of(o, NULL);
		w->e.reason = "ad-only";
		w->e.message = "a synced AD object (mS-DS-ConsistencyGuid set) "
		    "that no cloud object matches";
		st = map_report_emit(w, err);
	}
	free(objs);
	return st;
}

/* Indexes of the plan, the pairs and the joined AD objects, sorted. */
static enum sb_status
walk_index(struct report_walk *w, const struct map_pair ***prs, size_t *nprs,
    const struct dirobj ***joined, struct sb_error *err)
{
	const struct plan *p = w->in->plan;
	const struct map_pair *pr;
	size_t i, n = map_join_count(w->j);

	w->nchg = p->nchanges;
	w->nfnd = p->nfindings;
	w->chg = malloc((w->nchg + 1) * sizeof(*w->chg));
	w->fnd = malloc((w->nfnd + 1) * sizeof(*w->fnd));
	w->chg_done = calloc(w->nchg + 1, 1);
	w->fnd_done = calloc(w->nfnd + 1, 1);
	*prs = malloc((n + 1) * sizeof(**prs));
	*joined = malloc((n + 1) * sizeof(**joined));
	if (w->chg == NULL || w->fnd == NULL || w->chg_done == NULL ||
	    w->fnd_done == NULL || *prs == NULL || *joined == NULL)
		return map_report_oom(err);
	for (i = 0; i < w->nchg; i++)
		w->chg[i] = &p->changes[i];
	for (i = 0; i < w->nfnd; i++)
		w->fnd[i] = &p->findings[i];
	qsort(w->chg, w->nchg, sizeof(*w->chg), cmp_change_ptr);
	qsort(w->fnd, w->nfnd, sizeof(*w->fnd), cmp_finding_ptr);
	*nprs = 0;
	for (i = 0; i < n; i++) {
		pr = map_join_pair(w->j, i);
		if (pr->ad != NULL && pr->ad->dn != NULL) {
			(*joined)[*nprs] = pr->ad;
			(*prs)[(*nprs)++] = pr;
		}
	}
	qsort(*prs, *nprs, sizeof(**prs), cmp_pair_ptr);
	qsort(*joined, *nprs, sizeof(**joined), cmp_obj_addr);
	return SB_OK;
}

enum sb_status
map_report_walk(const struct map_report_input *in, map_report_cb cb,
    void *arg, struct map_report_stats *stats, struct sb_error *err)
{
	const struct map_pair **prs = NULL;
	const struct dirobj **joined = NULL;
	struct report_walk w;
	enum sb_status st;
	size_t i, k, nprs = 0;

	memset(&w, 0, sizeof(w));
	w.in = in;
	w.cb = cb;
	w.arg = arg;
	st = map_join_build(in->ad, in->cloud, in->mailboxes, NULL, &w.j, err);
	if (st == SB_OK)
		st = walk_index(&w, &prs, &nprs, &joined, err);
	for (i = 0; i < nprs && st == SB_OK; i++)
		st = map_report_pair(&w, prs[i], err);
	for (i = 0; i < w.nchg && st == SB_OK; i = k) {
		for (k = i + 1; k < w.nchg && !w.chg_done[k] &&
		    map_report_strcmp(w.chg[k]->dn, w.chg[i]->dn) == 0; k++)
			;	/* the parts of one object */
		if (!w.chg_done[i])
			st = map_report_extra(&w, i, k, NULL, err);
	}
	for (i = 0; i < w.nfnd && st == SB_OK; i++)
		if (!w.fnd_done[i])
			st = emit_finding(&w, w.fnd[i], err);
	if (st == SB_OK)
		st = walk_ad_only(&w, joined, nprs, err);
	if (st == SB_OK && stats != NULL) {
		/* Parents read only for nested protection do not count. */
		for (i = 0; i < in->ad->n; i++)
			w.stats.ad_objects += !in->ad->objs[i]->protect_only;
		w.stats.cloud_objects = in->cloud->n;
		w.stats.mailboxes = in->mailboxes ? in->mailboxes->n : 0;
		w.stats.joined = nprs;
		*stats = w.stats;
	}
	map_join_free(w.j);
	free(w.chg);
	free(w.fnd);
	free(w.chg_done);
	free(w.fnd_done);
	free(prs);
	free(joined);
	map_report_vfree(&w.ad);
	map_report_vfree(&w.cloud);
	map_report_vfree(&w.add);
	map_report_vfree(&w.rem);
	map_report_vfree(&w.tmp);
	free(w.ad_mark);
	free(w.cloud_mark);
	sb_bytes_free(&w.dnval[0]);
	sb_bytes_free(&w.dnval[1]);
	return st;
}

