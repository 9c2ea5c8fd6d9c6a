/* Report entries: per object and attribute, both sides, owner and state. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrmap.h"
#include "authority.h"
#include "codec.h"
#include "diff.h"
#include "dn.h"
#include "join.h"
#include "placement.h"
#include "report.h"
#include "rules.h"

/*
 * A list of borrowed value pointers, reused from entry to entry.  It grows
 * to the largest attribute seen: bounded by the input, which is in memory.
 */
struct vlist {
	const struct sb_bytes	**v;
	size_t			  n;
	size_t			  cap;
};

struct walk {
	const struct map_report_input	*in;
	map_report_cb			 cb;
	void				*arg;
	struct map_report_stats		 stats;
	struct map_join			*j;
	const struct change		**chg;	/* plan changes by DN */
	size_t				  nchg;
	unsigned char			 *chg_done;
	const struct finding		**fnd;	/* plan findings by DN */
	size_t				  nfnd;
	unsigned char			 *fnd_done;
	struct vlist			  ad, cloud, add, rem, tmp;
	unsigned char			 *ad_mark, *cloud_mark;
	size_t				  markcap;
	struct sb_bytes			  dnval[2];	/* a rename's DNs */
	struct map_report_entry		  e;
};

static enum sb_status
oom(struct sb_error *err)
{
	return sb_fail(err, SB_BUG, ENOMEM, "map.report", "out of memory");
}

static enum sb_status
vlist_push(struct vlist *l, const struct sb_bytes *b, struct sb_error *err)
{
	const struct sb_bytes **nv;
	size_t ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 16;
		if (ncap > SIZE_MAX / sizeof(*nv))
			return oom(err);
		nv = realloc(l->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return oom(err);
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = b;
	return SB_OK;
}

static enum sb_status
vlist_push_all(struct vlist *l, const struct sb_bytes *vals, size_t n,
    struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; i < n && st == SB_OK; i++)
		st = vlist_push(l, &vals[i], err);
	return st;
}

static void
vlist_free(struct vlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
cmp_opt_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_change_ptr(const void *x, const void *y)
{
	const struct change *a = *(const struct change *const *)x;
	const struct change *b = *(const struct change *const *)y;
	int c = cmp_opt_str(a->dn, b->dn);

	return c ? c : (a > b) - (a < b);
}

static int
cmp_finding_ptr(const void *x, const void *y)
{
	const struct finding *a = *(const struct finding *const *)x;
	const struct finding *b = *(const struct finding *const *)y;
	int c = cmp_opt_str(a->dn, b->dn);

	if (c == 0)
		c = cmp_opt_str(a->cloud_id, b->cloud_id);
	return c ? c : (a > b) - (a < b);
}

static int
cmp_pair_ptr(const void *x, const void *y)
{
	const struct map_pair *a = *(const struct map_pair *const *)x;
	const struct map_pair *b = *(const struct map_pair *const *)y;
	int c = cmp_opt_str(a->ad->dn, b->ad->dn);

	return c ? c : (a > b) - (a < b);
}

static int
cmp_obj_dn(const void *x, const void *y)
{
	const struct dirobj *a = *(const struct dirobj *const *)x;
	const struct dirobj *b = *(const struct dirobj *const *)y;
	int c = cmp_opt_str(a->dn, b->dn);

	return c ? c : (a > b) - (a < b);
}

static int
cmp_obj_addr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const struct dirobj *const *)x;
	uintptr_t b = (uintptr_t)*(const struct dirobj *const *)y;

	return (a > b) - (a < b);
}

static int
cmp_bytes_pp(const void *x, const void *y)
{
	return sb_bytes_cmp(*(const struct sb_bytes *const *)x,
	    *(const struct sb_bytes *const *)y);
}

/* First index in the DN-sorted chg (or fnd) whose DN is not below dn. */
static size_t
changes_from(const struct walk *w, const char *dn)
{
	size_t lo = 0, hi = w->nchg, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp_opt_str(w->chg[mid]->dn, dn) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t
findings_from(const struct walk *w, const char *dn)
{
	size_t lo = 0, hi = w->nfnd, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cmp_opt_str(w->fnd[mid]->dn, dn) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const char *
name_of(const struct dirobj *ad, const struct dirobj *cloud)
{
	if (cloud != NULL && cloud->display_name != NULL)
		return cloud->display_name;
	if (ad != NULL && ad->display_name != NULL)
		return ad->display_name;
	return ad != NULL ? dirobj_get_str(ad, "displayName") : NULL;
}

static enum map_report_owner
owner_of(const struct map_authority *auth, unsigned cls)
{
	if ((auth->classes & cls) == 0)
		return MAP_REPORT_OWNER_AD;
	if (strcmp(auth->rule, MAP_RULE_EXCHANGE) == 0)
		return MAP_REPORT_OWNER_EXCHANGE;
	return MAP_REPORT_OWNER_CLOUD;
}

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

/* The class of an attribute outside the map: member, else placement. */
static unsigned
class_of(const char *attr)
{
	const struct map_attr *row = map_attrmap_find(attr);

	if (row != NULL)
		return row->cls;
	if (strcasecmp(attr, "member") == 0)
		return MAP_CLASS_MEMBERSHIP;
	return MAP_CLASS_PLACEMENT;
}

static int
is_refusal(enum finding_kind k)
{
	return k == MAP_FINDING_PROTECTED || k == MAP_FINDING_OUT_OF_SCOPE ||
	    k == MAP_FINDING_REFUSED || k == MAP_FINDING_FLAP;
}

static int
is_unjoined(enum finding_kind k)
{
	return k == MAP_FINDING_NOT_JOINED || k == MAP_FINDING_AMBIGUOUS_JOIN ||
	    k == MAP_FINDING_CLOUD_ONLY;
}

/* A fresh entry for an object: lists emptied, no values, no reason. */
static void
entry_reset(struct walk *w)
{
	w->ad.n = w->cloud.n = w->add.n = w->rem.n = 0;
	memset(&w->e, 0, sizeof(w->e));
}

static enum sb_status
marks_grow(struct walk *w, size_t n, struct sb_error *err)
{
	unsigned char *a, *c;

	if (n <= w->markcap)
		return SB_OK;
	a = realloc(w->ad_mark, n);
	if (a == NULL)
		return oom(err);
	w->ad_mark = a;
	c = realloc(w->cloud_mark, n);
	if (c == NULL)
		return oom(err);
	w->cloud_mark = c;
	w->markcap = n;
	return SB_OK;
}

/* mark[i] = 1 when vals[i] is one of what (by bytes): O((n + m) log m). */
static enum sb_status
mark_in(struct walk *w, const struct vlist *vals, const struct vlist *what,
    unsigned char *mark, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	w->tmp.n = 0;
	for (i = 0; i < what->n && st == SB_OK; i++)
		st = vlist_push(&w->tmp, what->v[i], err);
	if (st != SB_OK)
		return st;
	if (w->tmp.n > 1)
		qsort(w->tmp.v, w->tmp.n, sizeof(*w->tmp.v), cmp_bytes_pp);
	for (i = 0; i < vals->n; i++)
		mark[i] = w->tmp.n > 0 && bsearch(&vals->v[i], w->tmp.v,
		    w->tmp.n, sizeof(*w->tmp.v), cmp_bytes_pp) != NULL;
	return SB_OK;
}

/* Marks the differences, applies the run's limit, hands the entry over. */
static enum sb_status
emit(struct walk *w, struct sb_error *err)
{
	struct map_report_entry *e = &w->e;
	enum sb_status st;
	size_t n = w->ad.n > w->cloud.n ? w->ad.n : w->cloud.n;

	e->ad.v = w->ad.v;
	e->ad.n = w->ad.n;
	e->cloud.v = w->cloud.v;
	e->cloud.n = w->cloud.n;
	e->add.v = w->add.v;
	e->add.n = w->add.n;
	e->remove.v = w->rem.v;
	e->remove.n = w->rem.n;
	e->ad_diff = e->cloud_diff = NULL;
	if (w->add.n > 0 || w->rem.n > 0) {
		st = marks_grow(w, n + 1, err);
		if (st == SB_OK)
			st = mark_in(w, &w->ad, &w->rem, w->ad_mark, err);
		if (st == SB_OK)
			st = mark_in(w, &w->cloud, &w->add, w->cloud_mark, err);
		if (st != SB_OK)
			return st;
		e->ad_diff = w->ad_mark;
		e->cloud_diff = w->cloud_mark;
	}
	if (w->in->limit != NULL && e->state == MAP_REPORT_CLOUD_DRIFT) {
		e->state = MAP_REPORT_REFUSED;
		e->reason = "limit";
		e->message = w->in->limit;
	}
	return w->cb(e, w->arg, err);
}

/* The add and remove lists of one delta, as sync applies it. */
static enum sb_status
delta_lists(struct walk *w, const struct delta *d, struct sb_error *err)
{
	switch (d->op) {
	case MAP_DELTA_ADD:
		return vlist_push_all(&w->add, d->vals, d->nvals, err);
	case MAP_DELTA_DELETE:
		if (d->nvals == 0)	/* the whole attribute */
			return vlist_push_all(&w->rem, d->before, d->nbefore,
			    err);
		return vlist_push_all(&w->rem, d->vals, d->nvals, err);
	case MAP_DELTA_REPLACE:
		if (vlist_push_all(&w->add, d->vals, d->nvals, err) != SB_OK)
			return SB_BUG;
		return vlist_push_all(&w->rem, d->before, d->nbefore, err);
	}
	return SB_OK;
}

/* The add and remove lists of every delta of c on attr; how many there were. */
static enum sb_status
change_lists(struct walk *w, const struct change *c, const char *attr,
    size_t *found, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; i < c->ndeltas && st == SB_OK; i++)
		if (strcasecmp(c->deltas[i].attr, attr) == 0) {
			st = delta_lists(w, &c->deltas[i], err);
			(*found)++;
		}
	return st;
}

/* The cloud's own values for row, untransformed: unresolved, bad ones. */
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

/* 1 when f says why attr of cloud object cloud_id is not written. */
static int
finding_on(const struct finding *f, const char *cloud_id, const char *attr)
{
	if (f->attr == NULL || strcasecmp(f->attr, attr) != 0 ||
	    cmp_opt_str(f->cloud_id, cloud_id) != 0)
		return 0;
	return is_refusal(f->kind) || f->kind == MAP_FINDING_UNRESOLVED ||
	    f->kind == MAP_FINDING_BAD_VALUE;
}

/* The first such finding among the plan's of one object (lo..hi). */
static const struct finding *
plan_finding(const struct walk *w, size_t lo, size_t hi, const char *cloud_id,
    const char *attr)
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

/* What one pair's walk needs besides the walk. */
struct pairctx {
	const struct map_pair	*pr;
	struct map_authority	 auth;
	const struct dirobj	*want;		/* the cloud's, in AD form */
	const struct change	*tc;		/* want against AD: all diffs */
	const struct plan	*tf;		/* the rules' findings */
	const struct finding	*refusal;	/* the plan refuses it */
	const struct finding	*conflict;	/* INCONSISTENT_SOA */
	int			 soa_unknown;	/* SOA_UNREADABLE: no owner known */
	size_t			 c0, c1, f0, f1; /* its changes, findings */
};

static void
entry_object(struct walk *w, const struct pairctx *px)
{
	const struct map_pair *pr = px->pr;

	entry_reset(w);
	w->e.kind = pr->ad->kind;
	w->e.dn = pr->ad->dn;
	w->e.cloud_id = pr->cloud->cloud_id;
	w->e.display_name = name_of(pr->ad, pr->cloud);
	w->e.rule = px->auth.rule;
}

/* The state of one attribute of the map on one joined object, and its entry. */
static enum sb_status
walk_attr(struct walk *w, const struct pairctx *px, const struct map_attr *row,
    struct sb_error *err)
{
	const struct map_pair *pr = px->pr;
	const struct dirattr *a, *cw;
	const struct finding *pf, *tff;
	struct map_report_entry *e = &w->e;
	const char *name = row->ad_name;
	enum sb_status st = SB_OK;
	size_t k, found = 0, diffs = 0;

	entry_object(w, px);
	e->attr = name;
	e->cls = row->cls;
	e->owner = px->soa_unknown ? MAP_REPORT_OWNER_NONE :
	    owner_of(&px->auth, row->cls);
	a = dirobj_get(pr->ad, name);
	if (a != NULL)
		st = vlist_push_all(&w->ad, a->vals, a->nvals, err);
	cw = dirobj_get(px->want, name);
	e->cloud_known = cw != NULL;
	if (cw != NULL && st == SB_OK)
		st = vlist_push_all(&w->cloud, cw->vals, cw->nvals, err);
	/* What sync writes: the plan's deltas, nothing recomputed. */
	for (k = px->c0; k < px->c1 && st == SB_OK; k++)
		if (w->chg[k]->op == MAP_CHANGE_MODIFY)
			st = change_lists(w, w->chg[k], name, &found, err);
	if (st != SB_OK || found > 0) {
		e->state = MAP_REPORT_CLOUD_DRIFT;
		return st == SB_OK ? emit(w, err) : st;
	}
	pf = plan_finding(w, px->f0, px->f1, pr->cloud->cloud_id, name);
	tff = rules_finding(px->tf, pr->cloud->cloud_id, name);
	if (pf == NULL)
		pf = tff;	/* the plan's own finding first */
	if (pf == NULL || is_refusal(pf->kind))
		st = change_lists(w, px->tc, name, &diffs, err);
	if (st != SB_OK)
		return st;
	if (pf != NULL && is_refusal(pf->kind)) {
		e->state = MAP_REPORT_REFUSED;
		e->reason = map_finding_kind_name(pf->kind);
		e->message = pf->message;
	} else if (pf != NULL) {
		/* Unresolved or unmappable: show what the cloud itself says. */
		cw = raw_cloud(pr, row);
		w->cloud.n = 0;
		e->cloud_known = cw != NULL;
		if (cw != NULL)
			st = vlist_push_all(&w->cloud, cw->vals, cw->nvals,
			    err);
		e->message = pf->message;
		e->reason = map_finding_kind_name(pf->kind);
		if (pf->kind == MAP_FINDING_UNRESOLVED)
			e->state = MAP_REPORT_UNRESOLVED;
		else
			e->state = e->owner == MAP_REPORT_OWNER_AD ?
			    MAP_REPORT_AD_DIFFERENCE : MAP_REPORT_REFUSED;
	} else if (diffs > 0 && e->owner == MAP_REPORT_OWNER_AD) {
		e->state = MAP_REPORT_AD_DIFFERENCE;
		e->reason = px->conflict ? "inconsistent-soa" :
		    "ad-authoritative";
		e->message = px->conflict ? px->conflict->message : NULL;
	} else if (diffs > 0 && px->refusal != NULL) {
		e->state = MAP_REPORT_REFUSED;
		e->reason = map_finding_kind_name(px->refusal->kind);
		e->message = px->refusal->message;
	} else if (diffs > 0) {
		e->state = MAP_REPORT_REFUSED;
		if ((row->cls & w->in->opt->classes) == 0 ||
		    map_options_skips(w->in->opt, name)) {
			e->reason = "skipped";
			e->message = "not written: the configuration or the AD "
			    "schema leaves this attribute out";
		} else {
			e->reason = "not-planned";
			e->message = "cloud-owned and different, but the plan "
			    "has no change for it";
		}
	} else {
		e->state = MAP_REPORT_IN_SYNC;
		if (w->ad.n == 0 && w->cloud.n == 0) {
			w->stats.empty++;
			return SB_OK;
		}
	}
	return st == SB_OK ? emit(w, err) : st;
}

/*
 * AD after sync applies changes c0..c1 of one object to attr: the
 * replacement, else before less what the deltas delete plus what they add.
 */
static enum sb_status
after_values(struct walk *w, size_t c0, size_t c1, const char *attr,
    struct sb_error *err)
{
	const struct delta *d;
	enum sb_status st = SB_OK;
	size_t i, j, k, n = w->ad.n;

	for (j = c0; j < c1; j++)
		for (i = 0; i < w->chg[j]->ndeltas; i++) {
			d = &w->chg[j]->deltas[i];
			if (strcasecmp(d->attr, attr) == 0 &&
			    d->op == MAP_DELTA_REPLACE)
				return vlist_push_all(&w->cloud, d->vals,
				    d->nvals, err);
		}
	st = marks_grow(w, n + 1, err);
	if (st == SB_OK)
		st = mark_in(w, &w->ad, &w->rem, w->ad_mark, err);
	for (k = 0; k < n && st == SB_OK; k++)
		if (!w->ad_mark[k])
			st = vlist_push(&w->cloud, w->ad.v[k], err);
	for (j = c0; j < c1 && st == SB_OK; j++)
		for (i = 0; i < w->chg[j]->ndeltas && st == SB_OK; i++) {
			d = &w->chg[j]->deltas[i];
			if (strcasecmp(d->attr, attr) == 0 &&
			    d->op == MAP_DELTA_ADD)
				st = vlist_push_all(&w->cloud, d->vals,
				    d->nvals, err);
		}
	return st;
}

static void
entry_change(struct walk *w, const struct change *c, const char *attr)
{
	entry_reset(w);
	w->e.state = MAP_REPORT_CLOUD_DRIFT;
	w->e.owner = owner_of_rule(c->rule);
	w->e.kind = c->kind;
	w->e.dn = c->dn;
	w->e.cloud_id = c->cloud_id;
	w->e.display_name = c->display_name;
	w->e.rule = c->rule;
	w->e.attr = attr;
	w->e.cls = attr ? class_of(attr) : 0;
	w->e.cloud_known = 1;
}

/* A rename: distinguishedName from its DN to the new one. */
static enum sb_status
emit_rename(struct walk *w, const struct change *c, struct sb_error *err)
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
	if (vlist_push(&w->ad, &w->dnval[0], err) != SB_OK ||
	    vlist_push(&w->rem, &w->dnval[0], err) != SB_OK ||
	    vlist_push(&w->cloud, &w->dnval[1], err) != SB_OK ||
	    vlist_push(&w->add, &w->dnval[1], err) != SB_OK)
		return SB_BUG;
	return emit(w, err);
}

/* 1 when a delta of changes c0..(c, i) before this one is on attr. */
static int
attr_seen(const struct walk *w, size_t c0, size_t c, size_t i,
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
 * The entries of what the map's rows do not show, for changes c0..c1 of
 * one object (an object's writes may come in parts): deltas on attributes
 * outside the map (member), groups to create, moves, deletes; one entry an
 * attribute, whatever the parts.  ad is the joined AD object or NULL.
 */
static enum sb_status
emit_change_extra(struct walk *w, size_t c0, size_t c1,
    const struct dirobj *ad, struct sb_error *err)
{
	const struct change *c;
	const struct dirattr *a;
	const char *attr;
	enum sb_status st = SB_OK;
	size_t i, j, k, found;

	for (j = c0; j < c1 && st == SB_OK; j++) {
		c = w->chg[j];
		if (c->op == MAP_CHANGE_RENAME)
			st = emit_rename(w, c, err);
		if (c->op == MAP_CHANGE_DELETE) {
			entry_change(w, c, NULL);
			w->e.cls = MAP_CLASS_PLACEMENT;
			w->e.cloud_known = 0;
			w->e.message = "sync deletes this object";
			st = emit(w, err);
			continue;
		}
		for (i = 0; i < c->ndeltas && st == SB_OK; i++) {
			attr = c->deltas[i].attr;
			if ((c->op == MAP_CHANGE_MODIFY &&
			    map_attrmap_find(attr) != NULL) ||
			    attr_seen(w, c0, j, i, attr))
				continue;	/* a row of the map, or done */
			entry_change(w, c, attr);
			a = ad ? dirobj_get(ad, attr) : NULL;
			if (a != NULL)
				st = vlist_push_all(&w->ad, a->vals, a->nvals,
				    err);
			else if (c->op == MAP_CHANGE_MODIFY)
				st = vlist_push_all(&w->ad, c->deltas[i].before,
				    c->deltas[i].nbefore, err);
			found = 0;
			for (k = c0; k < c1 && st == SB_OK; k++)
				if (w->chg[k]->op != MAP_CHANGE_DELETE)
					st = change_lists(w, w->chg[k], attr,
					    &found, err);
			if (st == SB_OK)
				st = after_values(w, c0, c1, attr, err);
			if (st == SB_OK)
				st = emit(w, err);
		}
	}
	return st;
}

/* Object-level findings of a pair: the refusal and the SOA conflict. */
static void
pair_findings(struct walk *w, struct pairctx *px)
{
	const struct finding *f;
	size_t k;

	for (k = px->f0; k < px->f1; k++) {
		f = w->fnd[k];
		if (cmp_opt_str(f->cloud_id, px->pr->cloud->cloud_id) != 0 ||
		    is_unjoined(f->kind))
			continue;
		/* A quarantine holds the object, whatever attribute flapped. */
		if (f->kind == MAP_FINDING_FLAP ||
		    (f->attr == NULL && is_refusal(f->kind))) {
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
		    (is_refusal(f->kind) || f->kind == MAP_FINDING_UNRESOLVED ||
		    f->kind == MAP_FINDING_BAD_VALUE)) {
			w->fnd_done[k] = 1;	/* walk_attr reads it */
		}
		/* Anything else (a group's findings) gets its own entry. */
	}
}

/*
 * A cloud-owned group that sync does not move because its cloud group has
 * no OU-extension value: it stays where it is (groups.default_ou is only
 * for groups soabridge creates).  One in-sync placement entry says so, so
 * that the report does not leave the admin guessing why nothing moved.
 */
static enum sb_status
emit_placement_kept(struct walk *w, const struct pairctx *px,
    struct sb_error *err)
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
	entry_object(w, px);
	w->e.attr = "distinguishedName";
	w->e.cls = MAP_CLASS_PLACEMENT;
	w->e.owner = owner_of(&px->auth, MAP_CLASS_PLACEMENT);
	w->e.state = MAP_REPORT_IN_SYNC;
	w->e.reason = "stays";
	w->e.message = "the cloud group has no OU-extension value "
	    "(groups.ou_extension): the group stays in its OU; "
	    "groups.default_ou is only where soabridge creates groups";
	st = vlist_push(&w->ad, &w->dnval[0], err);
	return st == SB_OK ? emit(w, err) : st;
}

static enum sb_status
walk_pair(struct walk *w, const struct map_pair *pr, struct sb_error *err)
{
	const struct map_attr *map;
	struct map_options xo;
	struct dirobj *want = NULL;
	struct plan *tf = NULL;
	struct pairctx px;
	struct change tc;
	enum sb_status st;
	size_t n, i, k;

	memset(&tc, 0, sizeof(tc));
	memset(&px, 0, sizeof(px));
	px.pr = pr;
	map_authority_decide(pr->cloud, pr->mailbox, &px.auth);
	tf = map_plan_new();
	if (tf == NULL) {
		st = oom(err);
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
	px.c0 = changes_from(w, pr->ad->dn);
	for (px.c1 = px.c0; px.c1 < w->nchg &&
	    cmp_opt_str(w->chg[px.c1]->dn, pr->ad->dn) == 0; px.c1++)
		;
	px.f0 = findings_from(w, pr->ad->dn);
	for (px.f1 = px.f0; px.f1 < w->nfnd &&
	    cmp_opt_str(w->fnd[px.f1]->dn, pr->ad->dn) == 0; px.f1++)
		;
	pair_findings(w, &px);
	map = map_attrmap_default(&n);
	for (i = 0; i < n && st == SB_OK; i++)
		st = walk_attr(w, &px, &map[i], err);
	if (st == SB_OK)
		st = emit_change_extra(w, px.c0, px.c1, pr->ad, err);
	if (st == SB_OK)
		st = emit_placement_kept(w, &px, err);
	for (k = px.c0; k < px.c1; k++)
		w->chg_done[k] = 1;
done:
	map_change_clear(&tc);
	dirobj_free(want);
	map_plan_free(tf);
	return st;
}

/*
 * The state of a finding shown on its own.  Group findings (mapping/groups.c)
 * go by name: an AD-only member kept and a group handed back are AD's, a
 * group gone from the cloud (or an object deleted while the run read it)
 * has no cloud object; anything else (soa-unreadable too) is a write not
 * made.
 */
static enum map_report_state
state_of_finding(enum finding_kind k)
{
	static const char *const ad_owned[] = {
		"ad-authoritative", "inconsistent-soa", "ad-only-member",
		"handed-back",
	};
	const char *name = map_finding_kind_name(k);
	size_t i;

	if (is_unjoined(k) || strcmp(name, "deleted-in-cloud") == 0 ||
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
emit_finding(struct walk *w, const struct finding *f, struct sb_error *err)
{
	const struct map_pair *pr;
	struct map_authority auth;

	entry_reset(w);
	pr = f->cloud_id && w->j ? map_join_find(w->j, f->cloud_id) : NULL;
	w->e.dn = f->dn;
	w->e.cloud_id = f->cloud_id;
	w->e.display_name = f->display_name;
	w->e.attr = f->attr;
	w->e.cls = f->attr ? class_of(f->attr) : 0;
	w->e.reason = map_finding_kind_name(f->kind);
	w->e.message = f->message;
	/* Only mailboxes name a cloud id outside the cloud set. */
	w->e.kind = pr ? (pr->ad ? pr->ad->kind : pr->cloud->kind) :
	    f->cloud_id && !f->dn ? DIROBJ_MAILBOX : DIROBJ_OTHER;
	if (is_unjoined(f->kind)) {
		w->e.state = MAP_REPORT_UNJOINED;
		w->e.owner = MAP_REPORT_OWNER_NONE;
		return emit(w, err);
	}
	map_authority_decide(pr ? pr->cloud : NULL, pr ? pr->mailbox : NULL,
	    &auth);
	w->e.rule = auth.rule;
	w->e.owner = owner_of(&auth, w->e.cls ? w->e.cls : auth.classes);
	w->e.state = state_of_finding(f->kind);
	if (w->e.state == MAP_REPORT_AD_DIFFERENCE)
		w->e.owner = MAP_REPORT_OWNER_AD;
	else if (w->e.state == MAP_REPORT_UNJOINED ||
	    f->kind == MAP_FINDING_SOA_UNREADABLE)
		w->e.owner = MAP_REPORT_OWNER_NONE;	/* nobody's, or not known */
	return emit(w, err);
}

/* Synced AD objects (mS-DS-ConsistencyGuid set) no cloud object joined. */
static enum sb_status
walk_ad_only(struct walk *w, const struct dirobj **joined, size_t njoined,
    struct sb_error *err)
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
		return oom(err);
	memcpy(objs, ad->objs, ad->n * sizeof(*objs));
	qsort(objs, ad->n, sizeof(*objs), cmp_obj_dn);
	for (i = 0; i < ad->n && st == SB_OK; i++) {
		o = objs[i];
		if (o->protect_only || o->consistency_guid.len != MAP_GUID_LEN ||
		    (njoined > 0 && bsearch(&o, joined, njoined,
		    sizeof(*joined), cmp_obj_addr) != NULL))
			continue;
		/* A finding already named it (an ambiguous join). */
		k = findings_from(w, o->dn);
		named = k < w->nfnd && cmp_opt_str(w->fnd[k]->dn, o->dn) == 0;
		if (named)
			continue;
		entry_reset(w);
		w->e.state = MAP_REPORT_UNJOINED;
		w->e.owner = MAP_REPORT_OWNER_NONE;
		w->e.kind = o->kind;
		w->e.dn = o->dn;
		w->e.display_name = name_of(o, NULL);
		w->e.reason = "ad-only";
		w->e.message = "a synced AD object (mS-DS-ConsistencyGuid set) "
		    "that no cloud object matches";
		st = emit(w, err);
	}
	free(objs);
	return st;
}

/* Indexes of the plan, the pairs and the joined AD objects, sorted. */
static enum sb_status
walk_index(struct walk *w, const struct map_pair ***prs, size_t *nprs,
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
		return oom(err);
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
	struct walk w;
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
		st = walk_pair(&w, prs[i], err);
	for (i = 0; i < w.nchg && st == SB_OK; i = k) {
		for (k = i + 1; k < w.nchg && !w.chg_done[k] &&
		    cmp_opt_str(w.chg[k]->dn, w.chg[i]->dn) == 0; k++)
			;	/* the parts of one object */
		if (!w.chg_done[i])
			st = emit_change_extra(&w, i, k, NULL, err);
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
	vlist_free(&w.ad);
	vlist_free(&w.cloud);
	vlist_free(&w.add);
	vlist_free(&w.rem);
	vlist_free(&w.tmp);
	free(w.ad_mark);
	free(w.cloud_mark);
	sb_bytes_free(&w.dnval[0]);
	sb_bytes_free(&w.dnval[1]);
	return st;
}

size_t
map_report_class_slot(unsigned cls)
{
	switch (cls) {
	case MAP_CLASS_EXCHANGE:	return 0;
	case MAP_CLASS_IDENTITY:	return 1;
	case MAP_CLASS_MEMBERSHIP:	return 2;
	case MAP_CLASS_PLACEMENT:	return 3;
	}
	return 4;
}

const char *
map_report_slot_name(size_t slot)
{
	static const char *const names[MAP_REPORT_NCLASSES] = {
		"exchange", "identity", "membership", "placement", "object",
	};

	return slot < MAP_REPORT_NCLASSES ? names[slot] : "object";
}

void
map_report_count(struct map_report_counts *c, const struct map_report_entry *e)
{
	c->entries++;
	if ((size_t)e->state < MAP_REPORT_NSTATES)
		c->state[e->state]++;
	if ((size_t)e->owner < MAP_REPORT_NOWNERS)
		c->owner[e->owner]++;
	c->cls[map_report_class_slot(e->cls)]++;
	if (e->state == MAP_REPORT_REFUSED && e->reason != NULL &&
	    strcmp(e->reason, "limit") == 0)
		c->limit_refused++;
}

int
map_report_has_drift(const struct map_report_counts *c)
{
	return c->state[MAP_REPORT_CLOUD_DRIFT] > 0 || c->limit_refused > 0;
}

const char *
map_report_state_name(enum map_report_state s)
{
	switch (s) {
	case MAP_REPORT_IN_SYNC:	return "in-sync";
	case MAP_REPORT_CLOUD_DRIFT:	return "cloud-drift";
	case MAP_REPORT_AD_DIFFERENCE:	return "ad-difference";
	case MAP_REPORT_REFUSED:	return "refused";
	case MAP_REPORT_UNRESOLVED:	return "unresolved";
	case MAP_REPORT_UNJOINED:	return "unjoined";
	}
	return "unknown";
}

const char *
map_report_owner_name(enum map_report_owner o)
{
	switch (o) {
	case MAP_REPORT_OWNER_NONE:	return "none";
	case MAP_REPORT_OWNER_CLOUD:	return "isCloudManaged";
	case MAP_REPORT_OWNER_EXCHANGE:	return "IsExchangeCloudManaged";
	case MAP_REPORT_OWNER_AD:	return "AD";
	}
	return "unknown";
}
