/*
 * Group fixtures for the unit tests of mapping/groups.c, members.c,
 * placement.c and provision.c: AD groups, cloud groups and their members as
 * ldap/ and cloud/ fill them (mapping/groups.h).  Include after
 * test_mapping.h.
 */
#ifndef TEST_GROUPS_H
#define TEST_GROUPS_H

#include "mapping/groups.h"
#include "mapping/members.h"

#define FX_GROUPS	"OU=Groups,DC=corp,DC=example"
#define FX_CLOUDG	"OU=Cloud Groups,OU=Groups,DC=corp,DC=example"
#define FX_EXT		"extension_00000000000040008000000000000002_OnPremisesDN"

/* An AD group: dn, objectGUID seed, RID of a domain SID (0: none). */
static inline struct dirobj *
fx_ad_group(const char *dn, int seed, unsigned rid)
{
	struct dirobj *o = fx_ad_user(dn, seed, rid);

	o->kind = DIROBJ_GROUP;
	return o;
}

/*
 * A cloud security group.  rid > 0: on-premises SID of that RID, not
 * syncing, isCloudManaged cm; rid 0: cloud-native (no anchor, cm false).
 */
static inline struct dirobj *
fx_cloud_group(const char *id, const char *name, unsigned rid,
    enum sb_tri cm)
{
	struct dirobj *o = dirobj_new(DIROBJ_GROUP);
	char sid[128];

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->cloud_id, id, NULL), SB_OK);
	assert_int_equal(dirobj_set_str(&o->display_name, name, NULL), SB_OK);
	fx_set(o, "displayName", name, NULL);
	fx_set(o, "securityEnabled", "true", NULL);
	fx_set(o, "mailEnabled", "false", NULL);
	fx_set(o, "groupTypes", NULL);
	if (rid != 0) {
		snprintf(sid, sizeof(sid), "%s-%u", FX_DOMAIN_SID, rid);
		assert_int_equal(dirobj_set_str(&o->sid_string, sid, NULL),
		    SB_OK);
		o->sync_enabled = SB_TRI_UNSET;
		o->cloud_managed = cm;
	} else {
		o->cloud_managed = SB_TRI_FALSE;
	}
	return o;
}

/* Marks the members as read (none yet). */
static inline void
fx_members_read(struct dirobj *g)
{
	dirobj_members_touch(g);
}

/* Appends one member: type "user", "group", "device", ... */
static inline void
fx_member(struct dirobj *g, const char *id, const char *type,
    const char *name)
{
	char t[64];

	snprintf(t, sizeof(t), "#microsoft.graph.%s", type);
	assert_int_equal(dirobj_add_member(g, id, t, name, NULL), SB_OK);
}

/* A synced user pair: AD user dn (seed) and cloud user id joined to it. */
static inline void
fx_user_pair(struct fx_world *w, const char *dn, const char *id, int seed)
{
	fx_add(&w->ad, fx_ad_user(dn, seed, 0));
	fx_add(&w->cloud, fx_cloud_user(id, id, seed, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
}

/* Group options: write scope Staff and Groups, allowed OU=Groups. */
struct fx_gworld {
	struct fx_world	 w;
	char		*scope[2];
	char		*allowed[1];
	char		*listed[4];
};

static inline void
fx_gworld_init(struct fx_gworld *g)
{
	fx_world_init(&g->w);
	g->scope[0] = (char *)FX_STAFF;
	g->scope[1] = (char *)FX_GROUPS;
	g->w.opt.write_scope = g->scope;
	g->w.opt.nwrite_scope = 2;
	g->allowed[0] = (char *)FX_GROUPS;
	g->w.opt.groups.allowed_ous = g->allowed;
	g->w.opt.groups.nallowed_ous = 1;
	g->w.opt.groups.default_ou = (char *)FX_CLOUDG;
	g->w.opt.groups.sam_pattern = (char *)"%{displayName}";
	g->w.opt.groups_complete = 1;
}

/* The n-th change of dn (0-based), or NULL. */
static inline const struct change *
fx_change_n(const struct plan *p, const char *dn, size_t n)
{
	size_t i;

	for (i = 0; i < p->nchanges; i++)
		if (p->changes[i].dn != NULL &&
		    strcmp(p->changes[i].dn, dn) == 0 && n-- == 0)
			return &p->changes[i];
	return NULL;
}

/* Member values dn's changes add (op ADD) or delete, counted. */
static inline size_t
fx_member_values(const struct plan *p, const char *dn, enum delta_op op)
{
	const struct change *c;
	size_t i, k, n = 0;

	for (i = 0; i < p->nchanges; i++) {
		c = &p->changes[i];
		if (c->dn == NULL || strcmp(c->dn, dn) != 0 ||
		    c->op != MAP_CHANGE_MODIFY)
			continue;
		for (k = 0; k < c->ndeltas; k++)
			if (strcmp(c->deltas[k].attr, "member") == 0 &&
			    c->deltas[k].op == op)
				n += c->deltas[k].nvals;
	}
	return n;
}

/* 1 when a finding of kind on dn (or the cloud id) holds text. */
static inline int
fx_finding_has(const struct plan *p, enum finding_kind kind, const char *who,
    const char *text)
{
	const struct finding *f;
	size_t i;

	for (i = 0; i < p->nfindings; i++) {
		f = &p->findings[i];
		if (f->kind == kind && ((f->dn && strcmp(f->dn, who) == 0) ||
		    (f->cloud_id && strcmp(f->cloud_id, who) == 0)) &&
		    f->message != NULL && strstr(f->message, text) != NULL)
			return 1;
	}
	return 0;
}

#endif
