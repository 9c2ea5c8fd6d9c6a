/* The plan: its changes and findings, filled, sorted, counted and freed. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dirobj.h"
#include "plan.h"

#define FINDING_TEXT_MAX	512

struct plan *
map_plan_new(void)
{
	return calloc(1, sizeof(struct plan));
}

static void
finding_clear(struct finding *f)
{
	free(f->dn);
	free(f->cloud_id);
	free(f->display_name);
	free(f->attr);
	free(f->message);
}

static void
bytes_array_free(struct sb_bytes *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_bytes_free(&v[i]);
	free(v);
}

void
map_change_clear(struct change *c)
{
	size_t i;

	for (i = 0; i < c->ndeltas; i++) {
		free(c->deltas[i].attr);
		bytes_array_free(c->deltas[i].vals, c->deltas[i].nvals);
		bytes_array_free(c->deltas[i].before, c->deltas[i].nbefore);
	}
	free(c->deltas);
	free(c->dn);
	free(c->new_rdn);
	free(c->new_superior);
	free(c->cloud_id);
	free(c->display_name);
	free(c->rule);
	memset(c, 0, sizeof(*c));
}

void
map_plan_free(struct plan *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nchanges; i++)
		map_change_clear(&p->changes[i]);
	for (i = 0; i < p->nfindings; i++)
		finding_clear(&p->findings[i]);
	free(p->changes);
	free(p->findings);
	free(p);
}

/* Grows *arr (of elements of size sz) so that it holds one more. */
static enum sb_status
grow(void **arr, size_t *cap, size_t n, size_t sz, struct sb_error *err)
{
	size_t ncap;
	void *na;

	if (n < *cap)
		return SB_OK;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / sz)
		return sb_fail(err, SB_BUG, ENOMEM, "map.plan", "too large");
	na = realloc(*arr, ncap * sz);
	if (na == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.plan", "out of memory");
	*arr = na;
	*cap = ncap;
	return SB_OK;
}

/* strdup that keeps NULL; sets *bad when out of memory. */
static char *
dup_or_null(const char *s, int *bad)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = strdup(s);
	if (c == NULL)
		*bad = 1;
	return c;
}

/* Appends f (its strings owned) to p; bad: a copy into f failed. */
static enum sb_status
finding_push(struct plan *p, struct finding *f, int bad, struct sb_error *err)
{
	enum sb_status st;

	st = bad ? sb_fail(err, SB_BUG, ENOMEM, "map.plan", "out of memory") :
	    grow((void **)&p->findings, &p->fcap, p->nfindings,
	    sizeof(*p->findings), err);
	if (st != SB_OK) {
		finding_clear(f);
		return st;
	}
	p->findings[p->nfindings++] = *f;
	return SB_OK;
}

enum sb_status
map_plan_add_finding(struct plan *p, struct sb_error *err,
    enum finding_kind kind, const struct dirobj *ad,
    const struct dirobj *cloud, const char *attr, const char *fmt, ...)
{
	char text[FINDING_TEXT_MAX];
	struct finding f;
	va_list ap;
	int bad = 0;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);	/* capped on purpose */
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.dn = dup_or_null(ad ? ad->dn : NULL, &bad);
	f.cloud_id = dup_or_null(cloud ? cloud->cloud_id : NULL, &bad);
	f.display_name = dup_or_null(dirobj_shown_name(ad, cloud), &bad);
	f.attr = dup_or_null(attr, &bad);
	f.message = dup_or_null(text, &bad);
	return finding_push(p, &f, bad, err);
}

enum sb_status
map_plan_copy_findings(struct plan *dst, const struct plan *src,
    struct sb_error *err)
{
	const struct finding *s;
	struct finding f;
	enum sb_status st = SB_OK;
	size_t i;
	int bad;

	for (i = 0; st == SB_OK && src != NULL && i < src->nfindings; i++) {
		s = &src->findings[i];
		bad = 0;
		memset(&f, 0, sizeof(f));
		f.kind = s->kind;
		f.dn = dup_or_null(s->dn, &bad);
		f.cloud_id = dup_or_null(s->cloud_id, &bad);
		f.display_name = dup_or_null(s->display_name, &bad);
		f.attr = dup_or_null(s->attr, &bad);
		f.message = dup_or_null(s->message, &bad);
		st = finding_push(dst, &f, bad, err);
	}
	return st;
}

enum sb_status
map_change_init(struct change *c, enum change_op op, const struct dirobj *ad,
    const struct dirobj *cloud, const char *rule, struct sb_error *err)
{
	int bad = 0;

	memset(c, 0, sizeof(*c));
	c->op = op;
	c->kind = ad ? ad->kind : cloud ? cloud->kind : DIROBJ_OTHER;
	c->dn = dup_or_null(ad ? ad->dn : NULL, &bad);
	c->cloud_id = dup_or_null(cloud ? cloud->cloud_id : NULL, &bad);
	c->display_name = dup_or_null(dirobj_shown_name(ad, cloud), &bad);
	c->rule = dup_or_null(rule, &bad);
	if (bad) {
		map_change_clear(c);
		return sb_fail(err, SB_BUG, ENOMEM, "map.plan", "out of memory");
	}
	return SB_OK;
}

/* *out (n values) becomes a copy of the values that ptrs or vals name. */
static enum sb_status
copy_values(struct sb_bytes **out, const struct sb_bytes *const *ptrs,
    const struct sb_bytes *vals, size_t n, struct sb_error *err)
{
	struct sb_bytes *v;
	const struct sb_bytes *src;
	enum sb_status st = SB_OK;
	size_t i;

	*out = NULL;
	if (n == 0)
		return SB_OK;
	if (ptrs == NULL && vals == NULL)
		return sb_fail(err, SB_BUG, EINVAL, "map.plan",
		    "%zu values given without values", n);
	v = calloc(n, sizeof(*v));
	if (v == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.plan", "out of memory");
	for (i = 0; i < n && st == SB_OK; i++) {
		src = ptrs ? ptrs[i] : &vals[i];
		st = sb_bytes_copy(&v[i], src->p, src->len, err);
	}
	if (st != SB_OK) {
		bytes_array_free(v, n);
		return st;
	}
	*out = v;
	return SB_OK;
}

enum sb_status
map_change_add_delta(struct change *c, const char *attr, enum delta_op op,
    const struct sb_bytes *const *vals, size_t nvals,
    const struct sb_bytes *before, size_t nbefore, struct sb_error *err)
{
	struct delta d;
	enum sb_status st;

	memset(&d, 0, sizeof(d));
	st = grow((void **)&c->deltas, &c->cap, c->ndeltas, sizeof(*c->deltas),
	    err);
	if (st != SB_OK)
		return st;
	d.op = op;
	d.attr = strdup(attr);
	if (d.attr == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.plan", "out of memory");
		goto done;
	}
	st = copy_values(&d.vals, vals, NULL, nvals, err);
	if (st != SB_OK)
		goto done;
	d.nvals = nvals;
	st = copy_values(&d.before, NULL, before, nbefore, err);
	if (st != SB_OK)
		goto done;
	d.nbefore = nbefore;
	c->deltas[c->ndeltas++] = d;
	memset(&d, 0, sizeof(d));
done:
	free(d.attr);
	bytes_array_free(d.vals, d.nvals);
	bytes_array_free(d.before, d.nbefore);
	return st;
}

enum sb_status
map_plan_take_change(struct plan *p, struct change *c, struct sb_error *err)
{
	enum sb_status st;

	st = grow((void **)&p->changes, &p->ccap, p->nchanges,
	    sizeof(*p->changes), err);
	if (st != SB_OK) {
		map_change_clear(c);
		return st;
	}
	p->changes[p->nchanges++] = *c;
	memset(c, 0, sizeof(*c));
	return SB_OK;
}

static int
cmp_opt_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Creations, modifies, moves, deletions: the order sync applies them in. */
static int
phase(enum change_op op)
{
	switch (op) {
	case MAP_CHANGE_ADD:	return 0;
	case MAP_CHANGE_MODIFY:	return 1;
	case MAP_CHANGE_RENAME:	return 2;
	case MAP_CHANGE_DELETE:	return 3;
	}
	return 4;
}

static int
cmp_change(const void *x, const void *y)
{
	const struct change *a = x, *b = y;
	int c;

	if ((c = phase(a->op) - phase(b->op)) != 0)
		return c;
	if ((c = cmp_opt_str(a->dn, b->dn)) != 0)
		return c;
	if (a->part != b->part)
		return a->part < b->part ? -1 : 1;
	return cmp_opt_str(a->cloud_id, b->cloud_id);
}

static int
cmp_finding(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	int c;

	if ((c = cmp_opt_str(a->dn, b->dn)) != 0)
		return c;
	if ((c = cmp_opt_str(a->cloud_id, b->cloud_id)) != 0)
		return c;
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if ((c = cmp_opt_str(a->attr, b->attr)) != 0)
		return c;
	return cmp_opt_str(a->message, b->message);
}

void
map_plan_sort(struct plan *p)
{
	if (p->nchanges > 1)
		qsort(p->changes, p->nchanges, sizeof(*p->changes), cmp_change);
	if (p->nfindings > 1)
		qsort(p->findings, p->nfindings, sizeof(*p->findings),
		    cmp_finding);
}

void
map_plan_count(const struct plan *p, struct plan_counts *out)
{
	const struct change *c;
	const struct delta *d;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < p->nchanges; i++) {
		c = &p->changes[i];
		if (c->part <= 1)
			out->changes++;
		switch (c->op) {
		case MAP_CHANGE_MODIFY:	out->modifies++; break;
		case MAP_CHANGE_ADD:	out->adds++; break;
		case MAP_CHANGE_RENAME:	out->renames++; break;
		case MAP_CHANGE_DELETE:	out->deletes++; break;
		}
		/* A deleted object's deltas are its before-image. */
		if (c->op == MAP_CHANGE_DELETE)
			continue;
		for (k = 0; k < c->ndeltas; k++) {
			d = &c->deltas[k];
			if (d->op == MAP_DELTA_ADD)
				out->value_adds += d->nvals;
			else if (d->op == MAP_DELTA_DELETE)
				out->value_deletes += d->nvals ? d->nvals :
				    d->nbefore;
			else
				out->replaces++;
		}
	}
}

size_t
map_plan_count_changes(const struct plan *p)
{
	return p->nchanges;
}

size_t
map_plan_count_value_adds(const struct plan *p)
{
	struct plan_counts n;

	map_plan_count(p, &n);
	return n.value_adds;
}

size_t
map_plan_count_value_deletes(const struct plan *p)
{
	struct plan_counts n;

	map_plan_count(p, &n);
	return n.value_deletes;
}

const char *
map_change_op_name(enum change_op op)
{
	switch (op) {
	case MAP_CHANGE_MODIFY:	return "modify";
	case MAP_CHANGE_ADD:	return "add";
	case MAP_CHANGE_RENAME:	return "rename";
	case MAP_CHANGE_DELETE:	return "delete";
	}
	return "unknown";
}

const char *
map_delta_op_name(enum delta_op op)
{
	switch (op) {
	case MAP_DELTA_ADD:	return "add";
	case MAP_DELTA_DELETE:	return "delete";
	case MAP_DELTA_REPLACE:	return "replace";
	}
	return "unknown";
}

const char *
map_finding_kind_name(enum finding_kind kind)
{
	switch (kind) {
	case MAP_FINDING_AD_AUTHORITATIVE:	return "ad-authoritative";
	case MAP_FINDING_NOT_JOINED:		return "not-joined";
	case MAP_FINDING_AMBIGUOUS_JOIN:	return "ambiguous-join";
	case MAP_FINDING_OUT_OF_SCOPE:		return "out-of-scope";
	case MAP_FINDING_PROTECTED:		return "protected";
	case MAP_FINDING_UNRESOLVED:		return "unresolved";
	case MAP_FINDING_INCONSISTENT_SOA:	return "inconsistent-soa";
	case MAP_FINDING_CLOUD_ONLY:		return "cloud-only";
	case MAP_FINDING_BAD_VALUE:		return "bad-value";
	case MAP_FINDING_FLAP:			return "flap";
	case MAP_FINDING_REFUSED:		return "refused";
	case MAP_FINDING_AD_ONLY_MEMBER:	return "ad-only-member";
	case MAP_FINDING_PLACEMENT:		return "placement-refused";
	case MAP_FINDING_HANDED_BACK:		return "handed-back";
	case MAP_FINDING_CLOUD_DELETED:		return "deleted-in-cloud";
	case MAP_FINDING_SOA_UNREADABLE:	return "soa-unreadable";
	case MAP_FINDING_GONE_IN_CLOUD:		return "gone-in-cloud";
	}
	return "unknown";
}

/* The largest number of values of one delta of c. */
static size_t
max_delta_vals(const struct change *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->ndeltas; i++)
		if (c->deltas[i].nvals > n)
			n = c->deltas[i].nvals;
	return n;
}

enum sb_status
map_change_filter_values(const struct change *c, const char *attr,
    const unsigned char *keep, struct change *out, size_t *nkept,
    struct sb_error *err)
{
	const struct sb_bytes **vals = NULL;
	struct sb_bytes *before = NULL;
	const struct delta *d;
	enum sb_status st = SB_OK;
	size_t i, j, k, at = 0, n = max_delta_vals(c);
	int match, del;

	*nkept = 0;
	memset(out, 0, sizeof(*out));
	out->op = c->op;
	out->kind = c->kind;
	out->part = c->part;
	out->nparts = c->nparts;
	vals = calloc(n + 1, sizeof(*vals));
	before = calloc(n + 1, sizeof(*before));
	if (vals == NULL || before == NULL ||
	    dirobj_set_str(&out->dn, c->dn, err) != SB_OK ||
	    dirobj_set_str(&out->new_rdn, c->new_rdn, err) != SB_OK ||
	    dirobj_set_str(&out->new_superior, c->new_superior, err) != SB_OK ||
	    dirobj_set_str(&out->cloud_id, c->cloud_id, err) != SB_OK ||
	    dirobj_set_str(&out->display_name, c->display_name, err) != SB_OK ||
	    dirobj_set_str(&out->rule, c->rule, err) != SB_OK) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.plan", "out of memory");
		goto done;
	}
	for (i = 0; st == SB_OK && i < c->ndeltas; i++) {
		d = &c->deltas[i];
		match = strcasecmp(d->attr, attr) == 0;
		for (j = 0, k = 0; j < d->nvals; j++) {
			if (match && !keep[at++])
				continue;
			vals[k++] = &d->vals[j];
		}
		if (match)
			*nkept += k;
		if (match && k == 0)
			continue;
		/* A filtered delete's before-image is the values it deletes. */
		del = match && d->op == MAP_DELTA_DELETE && d->nbefore > 0;
		for (j = 0; del && j < k; j++)
			before[j] = *vals[j];
		st = map_change_add_delta(out, d->attr, d->op, vals, k,
		    del ? before : d->before, del ? k : d->nbefore, err);
	}
done:
	free(vals);
	free(before);
	if (st != SB_OK)
		map_change_clear(out);
	return st;
}
