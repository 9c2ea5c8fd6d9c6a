/* Minimal value-level deltas from desired and actual AD values. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrmap.h"
#include "diff.h"
#include "dn.h"

static enum sb_status
sorted_ptrs(const struct dirattr *a, const struct sb_bytes ***out,
    struct sb_error *err)
{
	const struct sb_bytes **v;
	size_t i;

	*out = NULL;
	if (a == NULL || a->nvals == 0)
		return SB_OK;
	v = malloc(a->nvals * sizeof(*v));
	if (v == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.diff", "out of memory");
	for (i = 0; i < a->nvals; i++)
		v[i] = &a->vals[i];
	qsort(v, a->nvals, sizeof(*v), sb_bytes_cmp_ptr);
	*out = v;
	return SB_OK;
}

/*
 * Marks want values found in have (and repeated want values) in keep_w and
 * have values found in want in keep_h: a merge of the sorted lists,
 * O(n log n) for the large multi-valued attributes (member) too.
 */
static void
merge_mark(const struct dirattr *want, const struct sb_bytes **sw,
    const struct dirattr *have, const struct sb_bytes **sh,
    unsigned char *keep_w, unsigned char *keep_h)
{
	size_t nw = want->nvals, nh = have ? have->nvals : 0, i = 0, k = 0;
	int c;

	if (nw == 0 || sw == NULL)
		return;
	while (i < nw && k < nh) {
		c = sb_bytes_cmp(sw[i], sh[k]);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			k++;
		} else {
			keep_w[sw[i] - want->vals] = 1;
			keep_h[sh[k] - have->vals] = 1;
			i++;
		}
	}
	for (i = 1; i < nw; i++)
		if (sb_bytes_cmp(sw[i - 1], sw[i]) == 0)
			keep_w[sw[i] - want->vals] = 1;	/* a repeat: no add */
}

/* Marks the values opt keeps out of writes as kept: never added nor removed. */
static void
mark_excluded(const struct map_options *opt, const struct dirattr *a,
    unsigned char *keep)
{
	size_t i;

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (map_options_excluded(opt, a->name, &a->vals[i]))
			keep[i] = 1;
}

static enum sb_status
diff_multi(const struct dirattr *want, const struct dirattr *have,
    const struct map_options *opt, struct change *c, struct sb_error *err)
{
	const struct sb_bytes **sw = NULL, **sh = NULL, **list = NULL;
	unsigned char *keep_w = NULL, *keep_h = NULL;
	size_t nw = want->nvals, nh = have ? have->nvals : 0, i, n;
	const struct sb_bytes *before = have ? have->vals : NULL;
	enum sb_status st;

	st = sorted_ptrs(want, &sw, err);
	if (st == SB_OK)
		st = sorted_ptrs(have, &sh, err);
	if (st != SB_OK)
		goto done;
	keep_w = calloc(nw + 1, 1);
	keep_h = calloc(nh + 1, 1);
	list = malloc((nw > nh ? nw : nh) * sizeof(*list) + 1);
	if (keep_w == NULL || keep_h == NULL || list == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.diff", "out of memory");
		goto done;
	}
	merge_mark(want, sw, have, sh, keep_w, keep_h);
	mark_excluded(opt, want, keep_w);
	mark_excluded(opt, have, keep_h);
	for (i = n = 0; i < nh; i++)
		if (!keep_h[i])
			list[n++] = &have->vals[i];
	if (n > 0)
		st = map_change_add_delta(c, want->name, MAP_DELTA_DELETE,
		    list, n, before, nh, err);
	for (i = n = 0; i < nw && st == SB_OK; i++)
		if (!keep_w[i])
			list[n++] = &want->vals[i];
	if (n > 0 && st == SB_OK)
		st = map_change_add_delta(c, want->name, MAP_DELTA_ADD,
		    list, n, before, nh, err);
done:
	free(sw);
	free(sh);
	free(list);
	free(keep_w);
	free(keep_h);
	return st;
}

static int
equal_single(enum map_match match, const struct sb_bytes *a,
    const struct sb_bytes *b)
{
	switch (match) {
	case MAP_MATCH_BOOL:
		return a->len == b->len && (a->len == 0 ||
		    strncasecmp((const char *)a->p, (const char *)b->p,
		    a->len) == 0) && memchr(a->p, '\0', a->len) == NULL;
	case MAP_MATCH_DN:
		/* Values carry a spare NUL; an embedded one is not a DN. */
		if (memchr(a->p, '\0', a->len) != NULL ||
		    memchr(b->p, '\0', b->len) != NULL)
			return 0;
		if (sb_bytes_cmp(a, b) == 0)
			return 1;
		return map_dn_equal((const char *)a->p, (const char *)b->p);
	case MAP_MATCH_EXACT:
		break;
	}
	return sb_bytes_cmp(a, b) == 0;
}

static enum sb_status
diff_single(const struct map_attr *row, const struct dirattr *want,
    const struct dirattr *have, struct change *c, struct sb_error *err)
{
	const struct sb_bytes *v;
	size_t nh = have ? have->nvals : 0;
	const struct sb_bytes *before = have ? have->vals : NULL;
	enum map_match match = row ? row->match : MAP_MATCH_EXACT;

	if (want->nvals == 0) {
		if (nh == 0)
			return SB_OK;
		return map_change_add_delta(c, want->name, MAP_DELTA_DELETE,
		    NULL, 0, before, nh, err);
	}
	v = &want->vals[0];
	if (nh == 1 && equal_single(match, v, &have->vals[0]))
		return SB_OK;
	return map_change_add_delta(c, want->name, MAP_DELTA_REPLACE, &v, 1,
	    before, nh, err);
}

enum sb_status
map_diff(const struct dirobj *desired, const struct dirobj *actual,
    struct change *c, struct sb_error *err)
{
	return map_diff_opt(desired, actual, NULL, c, err);
}

enum sb_status
map_diff_opt(const struct dirobj *desired, const struct dirobj *actual,
    const struct map_options *opt, struct change *c, struct sb_error *err)
{
	const struct dirattr *want, *have;
	const struct map_attr *row;
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; i < desired->nattrs && st == SB_OK; i++) {
		want = &desired->attrs[i];
		have = actual ? dirobj_get(actual, want->name) : NULL;
		row = map_attrmap_find(want->name);
		if (row != NULL && row->multi)
			st = diff_multi(want, have, opt, c, err);
		else
			st = diff_single(row, want, have, c, err);
	}
	return st;
}
