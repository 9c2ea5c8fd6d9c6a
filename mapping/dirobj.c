/* Directory objects: anchors plus a sorted, case-insensitive attribute set. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrname.h"
#include "dirobj.h"

struct dirobj *
dirobj_new(enum dirobj_kind kind)
{
	struct dirobj *o;

	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return NULL;
	o->kind = kind;
	o->sync_enabled = SB_TRI_UNSET;
	o->cloud_managed = SB_TRI_UNSET;
	o->exchange_cloud_managed = SB_TRI_UNSET;
	return o;
}

static void
attr_clear(struct dirattr *a)
{
	size_t i;

	for (i = 0; i < a->nvals; i++)
		sb_bytes_free(&a->vals[i]);
	free(a->vals);
	if (a->owned_name)
		free((char *)a->name);
}

void
dirobj_free(struct dirobj *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nattrs; i++)
		attr_clear(&o->attrs[i]);
	free(o->attrs);
	dirobj_members_forget(o);
	free(o->dn);
	free(o->cloud_id);
	free(o->display_name);
	free(o->immutable_id);
	free(o->sid_string);
	sb_bytes_free(&o->guid);
	sb_bytes_free(&o->consistency_guid);
	sb_bytes_free(&o->sid);
	free(o);
}

const char *
dirobj_kind_name(enum dirobj_kind kind)
{
	switch (kind) {
	case DIROBJ_USER:	return "user";
	case DIROBJ_GROUP:	return "group";
	case DIROBJ_CONTACT:	return "contact";
	case DIROBJ_MAILBOX:	return "mailbox";
	case DIROBJ_OTHER:	return "other";
	}
	return "unknown";
}

enum sb_status
dirobj_set_str(char **field, const char *s, struct sb_error *err)
{
	char *copy = NULL;

	if (s != NULL) {
		copy = strdup(s);
		if (copy == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "dirobj",
			    "out of memory");
	}
	free(*field);
	*field = copy;
	return SB_OK;
}

/* Index of name, or of where it would be inserted (with *found = 0). */
static size_t
attr_find(const struct dirobj *o, const char *name, int *found)
{
	size_t lo = 0, hi = o->nattrs, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcasecmp(o->attrs[mid].name, name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/* The shared copy of name, else one of its own (*owned 1); NULL: no memory. */
static const char *
name_for(const char *name, int *owned)
{
	const char *shared = map_attrname(name);

	*owned = shared == NULL;
	return shared != NULL ? shared : strdup(name);
}

static enum sb_status
attr_get_or_add(struct dirobj *o, const char *name, struct dirattr **out,
    struct sb_error *err)
{
	struct dirattr *na;
	const char *kept;
	size_t i, ncap;
	int found, owned;

	i = attr_find(o, name, &found);
	if (found) {
		*out = &o->attrs[i];
		return SB_OK;
	}
	if (o->nattrs == o->cap) {
		/* By half, not double: the slack of every object adds up. */
		ncap = o->cap ? o->cap + o->cap / 2 : 8;
		na = realloc(o->attrs, ncap * sizeof(*na));
		if (na == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "dirobj",
			    "out of memory");
		o->attrs = na;
		o->cap = ncap;
	}
	if ((kept = name_for(name, &owned)) == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "dirobj", "out of memory");
	memmove(&o->attrs[i + 1], &o->attrs[i],
	    (o->nattrs - i) * sizeof(*o->attrs));
	memset(&o->attrs[i], 0, sizeof(o->attrs[i]));
	o->attrs[i].name = kept;
	o->attrs[i].owned_name = owned != 0;
	o->nattrs++;
	*out = &o->attrs[i];
	return SB_OK;
}

enum sb_status
dirobj_touch(struct dirobj *o, const char *name, struct sb_error *err)
{
	struct dirattr *a;

	return attr_get_or_add(o, name, &a, err);
}

enum sb_status
dirobj_add_value(struct dirobj *o, const char *name, const void *p,
    size_t len, struct sb_error *err)
{
	struct dirattr *a;
	struct sb_bytes *nv;
	enum sb_status st;
	size_t ncap;

	st = attr_get_or_add(o, name, &a, err);
	if (st != SB_OK)
		return st;
	if (a->nvals == a->cap) {
		/* Most attributes hold one value: room for one first. */
		ncap = a->cap ? (size_t)a->cap * 2 : 1;
		if (ncap > UINT32_MAX / 2)
			return sb_fail(err, SB_BUG, ENOMEM, "dirobj",
			    "too many values");
		nv = realloc(a->vals, ncap * sizeof(*nv));
		if (nv == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "dirobj",
			    "out of memory");
		a->vals = nv;
		a->cap = ncap;
	}
	st = sb_bytes_copy(&a->vals[a->nvals], p, len, err);
	if (st != SB_OK)
		return st;
	a->nvals++;
	return SB_OK;
}

enum sb_status
dirobj_add_str(struct dirobj *o, const char *name, const char *s,
    struct sb_error *err)
{
	return dirobj_add_value(o, name, s, strlen(s), err);
}

const struct dirattr *
dirobj_get(const struct dirobj *o, const char *name)
{
	size_t i;
	int found;

	i = attr_find(o, name, &found);
	return found ? &o->attrs[i] : NULL;
}

const char *
dirobj_get_str(const struct dirobj *o, const char *name)
{
	const struct dirattr *a = dirobj_get(o, name);

	if (a == NULL || a->nvals == 0)
		return NULL;
	return (const char *)a->vals[0].p;
}

void
dirobj_remove(struct dirobj *o, const char *name)
{
	size_t i;
	int found;

	i = attr_find(o, name, &found);
	if (!found)
		return;
	attr_clear(&o->attrs[i]);
	memmove(&o->attrs[i], &o->attrs[i + 1],
	    (o->nattrs - i - 1) * sizeof(*o->attrs));
	o->nattrs--;
}

void
dirset_init(struct dirset *s)
{
	s->objs = NULL;
	s->n = 0;
	s->cap = 0;
}

enum sb_status
dirset_add(struct dirset *s, struct dirobj *o, struct sb_error *err)
{
	struct dirobj **no;
	size_t ncap;

	if (s->n == s->cap) {
		ncap = s->cap ? s->cap * 2 : 64;
		no = realloc(s->objs, ncap * sizeof(*no));
		if (no == NULL) {
			dirobj_free(o);
			return sb_fail(err, SB_BUG, ENOMEM, "dirset",
			    "out of memory");
		}
		s->objs = no;
		s->cap = ncap;
	}
	s->objs[s->n++] = o;
	return SB_OK;
}

void
dirset_free(struct dirset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		dirobj_free(s->objs[i]);
	free(s->objs);
	s->objs = NULL;
	s->n = s->cap = 0;
}

static void
member_clear(struct dirmember *m)
{
	free(m->id);
	free(m->type);
	free(m->name);
}

enum sb_status
dirobj_add_member(struct dirobj *o, const char *id, const char *type,
    const char *name, struct sb_error *err)
{
	struct dirmember m, *nm;
	size_t ncap;

	if (o->nmembers == o->mcap) {
		ncap = o->mcap ? o->mcap * 2 : 16;
		if (ncap > SIZE_MAX / sizeof(*nm))
			return sb_fail(err, SB_BUG, ENOMEM, "dirobj",
			    "too many members");
		nm = realloc(o->members, ncap * sizeof(*nm));
		if (nm == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "dirobj",
			    "out of memory");
		o->members = nm;
		o->mcap = ncap;
	}
	memset(&m, 0, sizeof(m));
	if (dirobj_set_str(&m.id, id, err) != SB_OK ||
	    dirobj_set_str(&m.type, type, err) != SB_OK ||
	    dirobj_set_str(&m.name, name, err) != SB_OK) {
		member_clear(&m);
		return SB_BUG;
	}
	o->members[o->nmembers++] = m;
	o->members_read = 1;
	return SB_OK;
}

void
dirobj_members_touch(struct dirobj *o)
{
	o->members_read = 1;
}

void
dirobj_members_forget(struct dirobj *o)
{
	size_t i;

	for (i = 0; i < o->nmembers; i++)
		member_clear(&o->members[i]);
	free(o->members);
	o->members = NULL;
	o->nmembers = o->mcap = 0;
	o->members_read = 0;
}

const char *
dirobj_shown_name(const struct dirobj *ad, const struct dirobj *cloud)
{
	if (cloud != NULL && cloud->display_name != NULL)
		return cloud->display_name;
	if (ad != NULL && ad->display_name != NULL)
		return ad->display_name;
	return ad != NULL ? dirobj_get_str(ad, "displayName") : NULL;
}

/* *to from from (both left empty when from is). */
static enum sb_status
bytes_clone(struct sb_bytes *to, const struct sb_bytes *from,
    struct sb_error *err)
{
	if (from->p == NULL)
		return SB_OK;
	return sb_bytes_copy(to, from->p, from->len, err);
}

static enum sb_status
anchors_clone(struct dirobj *c, const struct dirobj *o, struct sb_error *err)
{
	if (dirobj_set_str(&c->dn, o->dn, err) != SB_OK ||
	    dirobj_set_str(&c->cloud_id, o->cloud_id, err) != SB_OK ||
	    dirobj_set_str(&c->display_name, o->display_name, err) != SB_OK ||
	    dirobj_set_str(&c->immutable_id, o->immutable_id, err) != SB_OK ||
	    dirobj_set_str(&c->sid_string, o->sid_string, err) != SB_OK ||
	    bytes_clone(&c->guid, &o->guid, err) != SB_OK ||
	    bytes_clone(&c->consistency_guid, &o->consistency_guid, err) !=
		SB_OK ||
	    bytes_clone(&c->sid, &o->sid, err) != SB_OK)
		return SB_BUG;
	c->sync_enabled = o->sync_enabled;
	c->cloud_managed = o->cloud_managed;
	c->exchange_cloud_managed = o->exchange_cloud_managed;
	c->protect_only = o->protect_only;
	return SB_OK;
}

enum sb_status
dirobj_clone(const struct dirobj *o, struct dirobj **out, struct sb_error *err)
{
	struct dirobj *c;
	const struct dirattr *a;
	const struct dirmember *m;
	enum sb_status st;
	size_t i, k;

	*out = NULL;
	c = dirobj_new(o->kind);
	if (c == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "dirobj", "out of memory");
	st = anchors_clone(c, o, err);
	for (i = 0; st == SB_OK && i < o->nattrs; i++) {
		a = &o->attrs[i];
		st = dirobj_touch(c, a->name, err);
		for (k = 0; st == SB_OK && k < a->nvals; k++)
			st = dirobj_add_value(c, a->name, a->vals[k].p,
			    a->vals[k].len, err);
	}
	for (i = 0; st == SB_OK && i < o->nmembers; i++) {
		m = &o->members[i];
		st = dirobj_add_member(c, m->id, m->type, m->name, err);
	}
	if (st == SB_OK)
		c->members_read = o->members_read;
	if (st != SB_OK) {
		dirobj_free(c);
		return st;
	}
	*out = c;
	return SB_OK;
}
