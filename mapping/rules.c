/* Desired AD values of one joined object, from the attribute map and the cloud's values. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrmap.h"
#include "rules.h"

/* 1 when a has at least one non-empty value. */
static int
has_text(const struct dirattr *a)
{
	size_t i;

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (a->vals[i].len > 0)
			return 1;
	return 0;
}

static const struct sb_bytes *
first_text(const struct dirattr *a)
{
	size_t i;

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (a->vals[i].len > 0)
			return &a->vals[i];
	return NULL;
}

/*
 * The cloud attribute feeding row for this pair, or NULL when unknown.
 * Sets *src to the object it was read from (for findings).
 */
static const struct dirattr *
source_attr(const struct map_attr *row, const struct map_pair *pr,
    const struct dirobj **src)
{
	const struct dirattr *a, *alt;
	const char *name, *altname;

	if (row->cls == MAP_CLASS_EXCHANGE && pr->mailbox != NULL) {
		*src = pr->mailbox;
		name = row->mailbox_src;
		altname = row->mailbox_alt;
	} else if (row->cls == MAP_CLASS_EXCHANGE && pr->mailbox_ambiguous) {
		return NULL;
	} else {
		*src = pr->cloud;
		name = row->graph_src;
		altname = NULL;
	}
	if (name == NULL)
		return NULL;
	a = dirobj_get(*src, name);
	if (altname != NULL && !has_text(a)) {
		alt = dirobj_get(*src, altname);
		if (has_text(alt) || a == NULL)
			a = alt;
	}
	return a;
}

/*
 * All non-empty values, exact duplicates dropped, in their first order;
 * values the options exclude (proxyAddresses prefixes) left out.
 */
static enum sb_status
add_multi(struct dirobj *d, const char *name, const struct dirattr *a,
    const struct map_options *opt, struct sb_error *err)
{
	const struct sb_bytes **sorted = NULL;
	unsigned char *dup = NULL;
	enum sb_status st;
	size_t i, n = a->nvals;

	st = dirobj_touch(d, name, err);
	if (st != SB_OK || n == 0)
		return st;
	sorted = malloc(n * sizeof(*sorted));
	dup = calloc(n, 1);
	if (sorted == NULL || dup == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.rules", "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++)
		sorted[i] = &a->vals[i];
	qsort(sorted, n, sizeof(*sorted), sb_bytes_cmp_ptr);
	/* Of equal values keep the earliest: each run is in original order. */
	for (i = 1; i < n; i++)
		if (sb_bytes_cmp(sorted[i - 1], sorted[i]) == 0)
			dup[sorted[i] - a->vals] = 1;
	for (i = 0; i < n && st == SB_OK; i++)
		if (!dup[i] && a->vals[i].len > 0 &&
		    !map_options_excluded(opt, name, &a->vals[i]))
			st = dirobj_add_value(d, name, a->vals[i].p,
			    a->vals[i].len, err);
done:
	free(sorted);
	free(dup);
	return st;
}

static int
bytes_eq_ci(const struct sb_bytes *b, const char *s)
{
	size_t n = strlen(s);

	return b->len == n && strncasecmp((const char *)b->p, s, n) == 0 &&
	    memchr(b->p, '\0', n) == NULL;
}

/* One single-valued attribute through its transform. */
static enum sb_status
add_single(struct dirobj *d, const struct map_attr *row,
    const struct dirattr *a, const struct map_pair *pr,
    const struct map_join *j, struct plan *f, struct sb_error *err)
{
	const struct sb_bytes *v = first_text(a);
	const struct dirobj *mgr;
	const char *out;

	if (v == NULL)
		return dirobj_touch(d, row->ad_name, err);
	switch (row->xf) {
	case MAP_XF_BOOL:
		if (bytes_eq_ci(v, "true"))
			out = "TRUE";
		else if (bytes_eq_ci(v, "false"))
			out = "FALSE";
		else
			return f ? map_plan_add_finding(f, err,
			    MAP_FINDING_BAD_VALUE, pr->ad, pr->cloud,
			    row->ad_name, "%s is neither true nor false: "
			    "left alone", a->name) : SB_OK;
		return dirobj_add_str(d, row->ad_name, out, err);
	case MAP_XF_MANAGER_DN:
		mgr = j != NULL ? map_join_ad_of(j, (const char *)v->p) : NULL;
		if (mgr == NULL || mgr->dn == NULL)
			return f ? map_plan_add_finding(f, err,
			    MAP_FINDING_UNRESOLVED, pr->ad, pr->cloud,
			    row->ad_name, "manager %s has no joined AD object: "
			    "manager left alone", (const char *)v->p) : SB_OK;
		return dirobj_add_str(d, row->ad_name, mgr->dn, err);
	case MAP_XF_NONE:
	case MAP_XF_FIRST:
		break;
	}
	return dirobj_add_value(d, row->ad_name, v->p, v->len, err);
}

enum sb_status
map_rules_desired(const struct map_pair *pr, unsigned classes,
    const struct map_options *opt, const struct map_join *j,
    struct plan *findings, struct dirobj **out, struct sb_error *err)
{
	const struct map_attr *map, *row;
	const struct dirattr *a;
	const struct dirobj *src;
	struct dirobj *d = NULL;
	enum sb_status st = SB_OK;
	size_t n, i;

	if (pr->ad == NULL) {
		st = sb_fail(err, SB_BUG, EINVAL, "map.rules",
		    "rules asked for an object that is not joined");
		goto done;
	}
	d = dirobj_new(pr->ad->kind);
	if (d == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.rules", "out of memory");
		goto done;
	}
	st = dirobj_set_str(&d->dn, pr->ad->dn, err);
	map = map_attrmap_default(&n);
	for (i = 0; i < n && st == SB_OK; i++) {
		row = &map[i];
		if ((row->cls & classes) == 0 ||
		    (opt != NULL && map_options_skips(opt, row->ad_name)))
			continue;
		a = source_attr(row, pr, &src);
		if (a == NULL)
			continue;	/* not known: leave AD alone */
		if (row->multi)
			st = add_multi(d, row->ad_name, a, opt, err);
		else
			st = add_single(d, row, a, pr, j, findings, err);
	}
	if (st != SB_OK)
		goto done;
	*out = d;
	d = NULL;
done:
	dirobj_free(d);
	return st;
}
