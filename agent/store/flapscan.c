/* The revert test of the flap quarantine, value by value. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/store/flapscan.h"
#include "agent/store/values.h"
#include "mapping/attrmap.h"
#include "mapping/dn.h"

/* What soabridge does (or last did) with a value. */
enum fs_dir {
	FS_NONE = 0,	/* not known yet; as a plan direction: ignored */
	FS_ADD,
	FS_DEL,
};

enum fs_match {
	FS_EXACT = 0,
	FS_BOOL,
	FS_DN,
};

struct fs_val {
	struct sb_bytes	 key;	/* the value, comparable form */
	enum fs_dir	 dir;	/* what the plan does with it */
	enum fs_dir	 last;	/* what soabridge last did with it */
};

struct flapscan {
	char		*attr;
	enum fs_match	 match;
	struct fs_val	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 nopen;	/* last write not known yet */
};

static enum fs_match
match_of(const char *attr)
{
	const struct map_attr *a;

	/* member is planned by mapping/groups.c, outside the attribute map. */
	if (strcasecmp(attr, "member") == 0 ||
	    strcasecmp(attr, AGENT_JOURNAL_DN_ATTR) == 0)
		return FS_DN;
	a = map_attrmap_find(attr);
	if (a != NULL && a->match == MAP_MATCH_DN)
		return FS_DN;
	if (a != NULL && a->match == MAP_MATCH_BOOL)
		return FS_BOOL;
	return FS_EXACT;
}

/*
 * The comparable form of v: a DN's normal form (the raw bytes when it does
 * not parse: then only the same bytes match), a boolean upper-cased.
 */
static enum sb_status
make_key(enum fs_match m, const struct sb_bytes *v, struct sb_bytes *out,
    struct sb_error *err)
{
	struct sb_bytes copy = { NULL, 0 };
	enum sb_status st;
	char *norm = NULL;
	size_t i;

	/* A copy ends in NUL: the DN parser wants a string. */
	st = sb_bytes_copy(&copy, v->p, v->len, err);
	if (st != SB_OK)
		return st;
	if (m == FS_DN && memchr(copy.p, '\0', copy.len) == NULL &&
	    map_dn_normalize((const char *)copy.p, &norm, NULL) == SB_OK) {
		st = sb_bytes_from_str(out, norm, err);
		free(norm);
		sb_bytes_free(&copy);
		return st;
	}
	for (i = 0; m == FS_BOOL && i < copy.len; i++)
		if (copy.p[i] >= 'a' && copy.p[i] <= 'z')
			copy.p[i] = (unsigned char)(copy.p[i] - 'a' + 'A');
	*out = copy;
	return SB_OK;
}

enum sb_status
agent_flapscan_new(const char *attr, struct flapscan **out,
    struct sb_error *err)
{
	struct flapscan *s;

	s = calloc(1, sizeof(*s));
	if (s == NULL || (s->attr = strdup(attr)) == NULL) {
		free(s);
		return sb_fail(err, SB_BUG, ENOMEM, "flap", "out of memory");
	}
	s->match = match_of(attr);
	*out = s;
	return SB_OK;
}

void
agent_flapscan_free(struct flapscan *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		sb_bytes_free(&s->v[i].key);
	free(s->v);
	free(s->attr);
	free(s);
}

const char *
agent_flapscan_attr(const struct flapscan *s)
{
	return s->attr;
}

static enum sb_status
push(struct flapscan *s, const struct sb_bytes *v, enum fs_dir dir,
    struct sb_error *err)
{
	struct fs_val *nv;
	size_t cap;

	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 8;
		nv = realloc(s->v, cap * sizeof(*nv));
		if (nv == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "flap",
			    "out of memory");
		s->v = nv;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	if (make_key(s->match, v, &s->v[s->n].key, err) != SB_OK)
		return SB_BUG;
	s->v[s->n++].dir = dir;
	return SB_OK;
}

enum sb_status
agent_flapscan_plan(struct flapscan *s, const struct journal_row *row,
    struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; st == SB_OK && i < row->nafter; i++)
		if (!agent_values_contain(row->before, row->nbefore,
		    &row->after[i]))
			st = push(s, &row->after[i], FS_ADD, err);
	for (i = 0; st == SB_OK && i < row->nbefore; i++)
		if (!agent_values_contain(row->after, row->nafter,
		    &row->before[i]))
			st = push(s, &row->before[i], FS_DEL, err);
	return st;
}

static int
by_key(const void *a, const void *b)
{
	const struct fs_val *x = a, *y = b;

	return sb_bytes_cmp(&x->key, &y->key);
}

enum sb_status
agent_flapscan_ready(struct flapscan *s, struct sb_error *err)
{
	size_t i, k = 0;

	(void)err;
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), by_key);
	/*
	 * One entry per value.  Added and removed at once (two spellings the
	 * matching rule makes equal) is no write of that value: ignored.
	 */
	for (i = 0; i < s->n; i++) {
		if (k > 0 && by_key(&s->v[k - 1], &s->v[i]) == 0) {
			if (s->v[k - 1].dir != s->v[i].dir)
				s->v[k - 1].dir = FS_NONE;
			sb_bytes_free(&s->v[i].key);
			continue;
		}
		s->v[k++] = s->v[i];
	}
	s->n = k;
	for (i = 0, s->nopen = 0; i < s->n; i++)
		s->nopen += s->v[i].dir != FS_NONE;
	return SB_OK;
}

/* The planned entry of v, or NULL. */
static enum sb_status
find(const struct flapscan *s, const struct sb_bytes *v, struct fs_val **out,
    struct sb_error *err)
{
	struct fs_val key;
	enum sb_status st;

	*out = NULL;
	memset(&key, 0, sizeof(key));
	st = make_key(s->match, v, &key.key, err);
	if (st == SB_OK)
		*out = bsearch(&key, s->v, s->n, sizeof(*s->v), by_key);
	sb_bytes_free(&key.key);
	return st;
}

/* vals of a history row that the other side lacks were last written dir. */
static enum sb_status
learn(struct flapscan *s, const struct sb_bytes *vals, size_t n,
    const struct sb_bytes *other, size_t nother, enum fs_dir dir,
    struct sb_error *err)
{
	struct fs_val *hit;
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; st == SB_OK && s->nopen > 0 && i < n; i++) {
		st = find(s, &vals[i], &hit, err);
		if (st != SB_OK || hit == NULL || hit->dir == FS_NONE ||
		    hit->last != FS_NONE)
			continue;
		/* Kept by that write (in both sides): not written by it. */
		if (agent_values_contain(other, nother, &vals[i]))
			continue;
		hit->last = dir;
		s->nopen--;
	}
	return st;
}

enum sb_status
agent_flapscan_history(struct flapscan *s, const struct sb_bytes *before,
    size_t nbefore, const struct sb_bytes *after, size_t nafter,
    struct sb_error *err)
{
	enum sb_status st;

	st = learn(s, after, nafter, before, nbefore, FS_ADD, err);
	if (st == SB_OK)
		st = learn(s, before, nbefore, after, nafter, FS_DEL, err);
	return st;
}

int
agent_flapscan_done(const struct flapscan *s)
{
	return s->nopen == 0;
}

size_t
agent_flapscan_reverts(const struct flapscan *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->v[i].dir != FS_NONE && s->v[i].last == s->v[i].dir;
	return n;
}

size_t
agent_flapscan_size(const struct flapscan *s)
{
	return s->n;
}

void
agent_flapscan_list_free(struct flapscan_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		agent_flapscan_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The scan of attr in l, added when there is none yet. */
static enum sb_status
scan_of(struct flapscan_list *l, const char *attr, struct flapscan **out,
    struct sb_error *err)
{
	struct flapscan **nv;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i]->attr, attr) == 0) {
			*out = l->v[i];
			return SB_OK;
		}
	nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "flap", "out of memory");
	l->v = nv;
	if (agent_flapscan_new(attr, &l->v[l->n], err) != SB_OK)
		return SB_BUG;
	*out = l->v[l->n++];
	return SB_OK;
}

enum sb_status
agent_flapscan_changes(const struct plan *p, const size_t *idx, size_t n,
    const char *guid, struct flapscan_list *out, struct sb_error *err)
{
	struct journal_rows rows = { NULL, 0 };
	const struct change *c;
	struct flapscan *fs = NULL;
	enum sb_status st = SB_OK;
	size_t i, k;

	for (i = 0; st == SB_OK && i < n; i++) {
		c = &p->changes[idx[i]];
		if (c->op != MAP_CHANGE_MODIFY && c->op != MAP_CHANGE_RENAME)
			continue;
		st = agent_journal_from_change(c, guid, 0, 0, &rows, err);
		for (k = 0; st == SB_OK && k < rows.n; k++) {
			st = scan_of(out, rows.v[k].attr, &fs, err);
			if (st == SB_OK)
				st = agent_flapscan_plan(fs, &rows.v[k], err);
		}
		agent_journal_rows_free(&rows);
	}
	for (i = 0; st == SB_OK && i < out->n; i++)
		st = agent_flapscan_ready(out->v[i], err);
	return st;
}
