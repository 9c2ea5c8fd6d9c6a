/*
 * Fixtures shared by the mapping unit tests: build AD objects, cloud users
 * and mailboxes as ldap/ and cloud/ fill them (see DESIGN.md and the data
 * conventions in mapping/plan.h), find changes in a plan, and apply a change
 * to an AD object as AD would.  static inline, so each test file uses what it
 * needs without unused-function warnings.  Include after <cmocka.h>.
 */
#ifndef TEST_MAPPING_H
#define TEST_MAPPING_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/codec.h"
#include "mapping/dirobj.h"
#include "mapping/build.h"
#include "mapping/options.h"
#include "mapping/plan.h"

#define FX_DOMAIN_SID	"S-1-5-21-1111111111-2222222222-3333333333"
#define FX_BASE		"DC=corp,DC=example"
#define FX_STAFF	"OU=Staff,DC=corp,DC=example"

/* A recognisable 16-byte anchor: seed in every byte, byte 0 zero (a NUL). */
static inline void
fx_guid(unsigned char g[16], int seed)
{
	int i;

	for (i = 0; i < 16; i++)
		g[i] = (unsigned char)(seed * 16 + i);
	g[0] = 0;
}

static inline char *
fx_immutable(int seed)
{
	unsigned char g[16];
	char *s = NULL;

	fx_guid(g, seed);
	assert_int_equal(map_immutable_id_from_guid(g, 16, &s, NULL), SB_OK);
	return s;
}

/* Sets attr to the NULL-terminated values (none: present, no value). */
static inline void
fx_set(struct dirobj *o, const char *attr, ...)
{
	const char *v;
	va_list ap;

	dirobj_remove(o, attr);
	assert_int_equal(dirobj_touch(o, attr, NULL), SB_OK);
	va_start(ap, attr);
	while ((v = va_arg(ap, const char *)) != NULL)
		assert_int_equal(dirobj_add_str(o, attr, v, NULL), SB_OK);
	va_end(ap);
}

/* An AD user: dn, anchor seed (objectGUID), RID of a domain SID (0: none). */
static inline struct dirobj *
fx_ad_user(const char *dn, int seed, unsigned rid)
{
	struct dirobj *o = dirobj_new(DIROBJ_USER);
	unsigned char g[16];
	char sid[128];

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->dn, dn, NULL), SB_OK);
	fx_guid(g, seed);
	assert_int_equal(sb_bytes_copy(&o->guid, g, 16, NULL), SB_OK);
	if (rid != 0) {
		snprintf(sid, sizeof(sid), "%s-%u", FX_DOMAIN_SID, rid);
		assert_int_equal(map_sid_from_text(sid, &o->sid, NULL), SB_OK);
	}
	return o;
}

/* A Graph user with its anchors (NULL: none) and SOA flags. */
static inline struct dirobj *
fx_cloud_user(const char *id, const char *name, int seed, unsigned rid,
    enum sb_tri sync_enabled, enum sb_tri cloud_managed)
{
	struct dirobj *o = dirobj_new(DIROBJ_USER);
	char sid[128], *imm;

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->cloud_id, id, NULL), SB_OK);
	assert_int_equal(dirobj_set_str(&o->display_name, name, NULL), SB_OK);
	if (seed > 0) {
		imm = fx_immutable(seed);
		assert_int_equal(dirobj_set_str(&o->immutable_id, imm, NULL),
		    SB_OK);
		free(imm);
	}
	if (rid != 0) {
		snprintf(sid, sizeof(sid), "%s-%u", FX_DOMAIN_SID, rid);
		assert_int_equal(dirobj_set_str(&o->sid_string, sid, NULL),
		    SB_OK);
	}
	o->sync_enabled = sync_enabled;
	o->cloud_managed = cloud_managed;
	return o;
}

static inline struct dirobj *
fx_mailbox(const char *id, enum sb_tri exchange_cloud_managed,
    enum sb_tri dir_synced)
{
	struct dirobj *o = dirobj_new(DIROBJ_MAILBOX);

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->cloud_id, id, NULL), SB_OK);
	o->exchange_cloud_managed = exchange_cloud_managed;
	o->sync_enabled = dir_synced;
	return o;
}

static inline void
fx_add(struct dirset *s, struct dirobj *o)
{
	assert_int_equal(dirset_add(s, o, NULL), SB_OK);
}

/* The three sets of a plan, and options for FX_BASE with write scope OU=Staff. */
struct fx_world {
	struct dirset		ad;
	struct dirset		cloud;
	struct dirset		mbx;
	struct map_options	opt;
	char			*scope[1];
};

static inline void
fx_world_init(struct fx_world *w)
{
	dirset_init(&w->ad);
	dirset_init(&w->cloud);
	dirset_init(&w->mbx);
	map_options_init(&w->opt);
	w->opt.base_dn = (char *)FX_BASE;
	w->scope[0] = (char *)FX_STAFF;
	w->opt.write_scope = w->scope;
	w->opt.nwrite_scope = 1;
}

static inline void
fx_world_free(struct fx_world *w)
{
	dirset_free(&w->ad);
	dirset_free(&w->cloud);
	dirset_free(&w->mbx);
}

static inline struct plan *
fx_plan(struct fx_world *w)
{
	struct plan *p = NULL;
	struct sb_error err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(map_build_plan(&w->ad, &w->cloud, &w->mbx, &w->opt,
	    &p, &err), SB_OK);
	assert_non_null(p);
	return p;
}

static inline const struct change *
fx_change(const struct plan *p, const char *dn)
{
	size_t i;

	for (i = 0; i < p->nchanges; i++)
		if (p->changes[i].dn != NULL &&
		    strcmp(p->changes[i].dn, dn) == 0)
			return &p->changes[i];
	return NULL;
}

static inline const struct delta *
fx_delta(const struct change *c, const char *attr, enum delta_op op)
{
	size_t i;

	for (i = 0; c != NULL && i < c->ndeltas; i++)
		if (strcasecmp(c->deltas[i].attr, attr) == 0 &&
		    c->deltas[i].op == op)
			return &c->deltas[i];
	return NULL;
}

static inline size_t
fx_findings(const struct plan *p, enum finding_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < p->nfindings; i++)
		if (p->findings[i].kind == kind)
			n++;
	return n;
}

static inline const struct finding *
fx_finding(const struct plan *p, enum finding_kind kind)
{
	size_t i;

	for (i = 0; i < p->nfindings; i++)
		if (p->findings[i].kind == kind)
			return &p->findings[i];
	return NULL;
}

static inline int
fx_has_value(const struct dirobj *o, const char *attr, const char *v)
{
	const struct dirattr *a = dirobj_get(o, attr);
	size_t i;

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (sb_bytes_eq_str(&a->vals[i], v))
			return 1;
	return 0;
}

/* Drops value v of a (case-insensitively, as AD matches most strings). */
static inline void
fx_drop_value(struct dirobj *o, const char *attr, const struct sb_bytes *v)
{
	const struct dirattr *a = dirobj_get(o, attr);
	struct dirobj *tmp = dirobj_new(DIROBJ_OTHER);
	size_t i;

	assert_non_null(tmp);
	for (i = 0; a != NULL && i < a->nvals; i++)
		if (a->vals[i].len != v->len || strncasecmp(
		    (const char *)a->vals[i].p, (const char *)v->p, v->len))
			assert_int_equal(dirobj_add_value(tmp, attr,
			    a->vals[i].p, a->vals[i].len, NULL), SB_OK);
	dirobj_remove(o, attr);
	a = dirobj_get(tmp, attr);
	for (i = 0; a != NULL && i < a->nvals; i++)
		assert_int_equal(dirobj_add_value(o, attr, a->vals[i].p,
		    a->vals[i].len, NULL), SB_OK);
	dirobj_free(tmp);
}

/* Applies a MODIFY to the AD object as AD would, deltas in order. */
static inline void
fx_apply(struct dirobj *ad, const struct change *c)
{
	const struct delta *d;
	size_t i, k;

	assert_int_equal(c->op, MAP_CHANGE_MODIFY);
	for (i = 0; i < c->ndeltas; i++) {
		d = &c->deltas[i];
		switch (d->op) {
		case MAP_DELTA_REPLACE:
			dirobj_remove(ad, d->attr);
			/* FALLTHROUGH */
		case MAP_DELTA_ADD:
			for (k = 0; k < d->nvals; k++)
				assert_int_equal(dirobj_add_value(ad, d->attr,
				    d->vals[k].p, d->vals[k].len, NULL), SB_OK);
			break;
		case MAP_DELTA_DELETE:
			if (d->nvals == 0)
				dirobj_remove(ad, d->attr);
			for (k = 0; k < d->nvals; k++)
				fx_drop_value(ad, d->attr, &d->vals[k]);
			if (dirobj_get(ad, d->attr) != NULL &&
			    dirobj_get(ad, d->attr)->nvals == 0)
				dirobj_remove(ad, d->attr);
			break;
		}
	}
}

/* Applies every change of p to the AD set (found by DN). */
static inline void
fx_apply_plan(struct dirset *ad, const struct plan *p)
{
	size_t i, k;

	for (i = 0; i < p->nchanges; i++)
		for (k = 0; k < ad->n; k++)
			if (strcmp(ad->objs[k]->dn, p->changes[i].dn) == 0)
				fx_apply(ad->objs[k], &p->changes[i]);
}

#endif
