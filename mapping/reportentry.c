/* Report entries: value lists, marks, owners and the hand-over of each. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrmap.h"
#include "reportentry.h"

enum sb_status
map_report_oom(struct sb_error *err)
{
	return sb_fail(err, SB_BUG, ENOMEM, "map.report", "out of memory");
}

enum sb_status
map_report_vpush(struct report_vlist *l, const struct sb_bytes *b,
    struct sb_error *err)
{
	const struct sb_bytes **nv;
	size_t ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 16;
		if (ncap > SIZE_MAX / sizeof(*nv))
			return map_report_oom(err);
		nv = realloc(l->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return map_report_oom(err);
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = b;
	return SB_OK;
}

enum sb_status
map_report_vpush_all(struct report_vlist *l, const struct sb_bytes *vals,
    size_t n, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; i < n && st == SB_OK; i++)
		st = map_report_vpush(l, &vals[i], err);
	return st;
}

void
map_report_vfree(struct report_vlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
map_report_strcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_bytes_pp(const void *x, const void *y)
{
	return sb_bytes_cmp(*(const struct sb_bytes *const *)x,
	    *(const struct sb_bytes *const *)y);
}

static const char *
change_dn(const struct report_walk *w, size_t i)
{
	return w->chg[i]->dn;
}

static const char *
finding_dn(const struct report_walk *w, size_t i)
{
	return w->fnd[i]->dn;
}

/* First index below n whose DN (dn_at, sorted) is not below dn. */
static size_t
dn_lower_bound(const struct report_walk *w, size_t n, const char *dn,
    const char *(*dn_at)(const struct report_walk *, size_t))
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (map_report_strcmp(dn_at(w, mid), dn) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
map_report_changes_from(const struct report_walk *w, const char *dn)
{
	return dn_lower_bound(w, w->nchg, dn, change_dn);
}

size_t
map_report_findings_from(const struct report_walk *w, const char *dn)
{
	return dn_lower_bound(w, w->nfnd, dn, finding_dn);
}

const char *
map_report_name_of(const struct dirobj *ad, const struct dirobj *cloud)
{
	if (cloud != NULL && cloud->display_name != NULL)
		return cloud->display_name;
	if (ad != NULL && ad->display_name != NULL)
		return ad->display_name;
	return ad != NULL ? dirobj_get_str(ad, "displayName") : NULL;
}

enum map_report_owner
map_report_owner_of(const struct map_authority *auth, unsigned cls)
{
	if ((auth->classes & cls) == 0)
		return MAP_REPORT_OWNER_AD;
	if (strcmp(auth->rule, MAP_RULE_EXCHANGE) == 0)
		return MAP_REPORT_OWNER_EXCHANGE;
	return MAP_REPORT_OWNER_CLOUD;
}

/* The class of an attribute outside the map: member, else placement. */
unsigned
map_report_class_of(const char *attr)
{
	const struct map_attr *row = map_attrmap_find(attr);

	if (row != NULL)
		return row->cls;
	if (strcasecmp(attr, "member") == 0)
		return MAP_CLASS_MEMBERSHIP;
	return MAP_CLASS_PLACEMENT;
}

int
map_report_is_refusal(enum finding_kind k)
{
	return k == MAP_FINDING_PROTECTED || k == MAP_FINDING_OUT_OF_SCOPE ||
	    k == MAP_FINDING_REFUSED || k == MAP_FINDING_FLAP;
}

int
map_report_is_unjoined(enum finding_kind k)
{
	return k == MAP_FINDING_NOT_JOINED || k == MAP_FINDING_AMBIGUOUS_JOIN ||
	    k == MAP_FINDING_CLOUD_ONLY;
}

/* A fresh entry for an object: lists emptied, no values, no reason. */
void
map_report_entry_reset(struct report_walk *w)
{
	w->ad.n = w->cloud.n = w->add.n = w->rem.n = 0;
	memset(&w->e, 0, sizeof(w->e));
}

enum sb_status
map_report_marks_grow(struct report_walk *w, size_t n, struct sb_error *err)
{
	unsigned char *a, *c;

	if (n <= w->markcap)
		return SB_OK;
	a = realloc(w->ad_mark, n);
	if (a == NULL)
		return map_report_oom(err);
	w->ad_mark = a;
	c = realloc(w->cloud_mark, n);
	if (c == NULL)
		return map_report_oom(err);
	w->cloud_mark = c;
	w->markcap = n;
	return SB_OK;
}

/* mark[i] = 1 when vals[i] is one of what (by bytes): O((n + m) log m). */
enum sb_status
map_report_mark_in(struct report_walk *w, const struct report_vlist *vals,
    const struct report_vlist *what, unsigned char *mark,
    struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	w->tmp.n = 0;
	for (i = 0; i < what->n && st == SB_OK; i++)
		st = map_report_vpush(&w->tmp, what->v[i], err);
	if (st != SB_OK)
		return st;
	if (w->tmp.n > 1)
		qsort(w->tmp.v, w->tmp.n, sizeof(*w->tmp.v), cmp_bytes_pp);
	for (i = 0; i < vals->n; i++)
		mark[i] = w->tmp.n > 0 && bsearch(&vals->v[i], w->tmp.v,
		    w->tmp.n, sizeof(*w->tmp.v), cmp_bytes_pp) != NULL;
	return SB_OK;
}

/* A fresh entry for the object of a joined pair. */
void
map_report_entry_object(struct report_walk *w, const struct report_pair *px)
{
	const struct map_pair *pr = px->pr;

	map_report_entry_reset(w);
	w->e.kind = pr->ad->kind;
	w->e.dn = pr->ad->dn;
	w->e.cloud_id = pr->cloud->cloud_id;
	w->e.display_name = map_report_name_of(pr->ad, pr->cloud);
	w->e.rule = px->auth.rule;
}

/* Marks the differences, applies the run's limit, hands the entry over. */
enum sb_status
map_report_emit(struct report_walk *w, struct sb_error *err)
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
		st = map_report_marks_grow(w, n + 1, err);
		if (st == SB_OK)
			st = map_report_mark_in(w, &w->ad, &w->rem,
			    w->ad_mark, err);
		if (st == SB_OK)
			st = map_report_mark_in(w, &w->cloud, &w->add,
			    w->cloud_mark, err);
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
delta_lists(struct report_walk *w, const struct delta *d, struct sb_error *err)
{
	switch (d->op) {
	case MAP_DELTA_ADD:
		return map_report_vpush_all(&w->add, d->vals, d->nvals, err);
	case MAP_DELTA_DELETE:
		if (d->nvals == 0)	/* the whole attribute */
			return map_report_vpush_all(&w->rem, d->before,
			    d->nbefore, err);
		return map_report_vpush_all(&w->rem, d->vals, d->nvals, err);
	case MAP_DELTA_REPLACE:
		if (map_report_vpush_all(&w->add, d->vals, d->nvals,
		    err) != SB_OK)
			return SB_BUG;
		return map_report_vpush_all(&w->rem, d->before, d->nbefore,
		    err);
	}
	return SB_OK;
}

/* The add and remove lists of every delta of c on attr; how many there were. */
enum sb_status
map_report_change_lists(struct report_walk *w, const struct change *c,
    const char *attr, size_t *found, struct sb_error *err)
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
