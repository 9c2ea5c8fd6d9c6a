/* Pairs cloud objects with AD objects through hash tables of their anchors. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "join.h"
#include "strmap.h"

/* A key two different objects hold: a doubt, never a match. */
#define JOIN_DUP	SIZE_MAX

struct map_join {
	struct map_pair		*pairs;
	size_t			 npairs;
	struct map_strmap	*ids;		/* cloud id -> pair index */
	struct plan		*found;		/* the findings of the join */
};

/* Maps key to idx; a key another object holds already becomes JOIN_DUP. */
static enum sb_status
claim(struct map_strmap *t, const void *key, size_t len, size_t idx,
    struct sb_error *err)
{
	size_t old;

	if (!map_strmap_get(t, key, len, &old))
		return map_strmap_put(t, key, len, idx, NULL, err);
	if (old != idx && old != JOIN_DUP)
		return map_strmap_set(t, key, len, JOIN_DUP, err);
	return SB_OK;
}

/* The immutableId anchor of an AD object: mS-DS-ConsistencyGuid or objectGUID. */
static const struct sb_bytes *
ad_anchor(const struct dirobj *o, enum map_join_key *key)
{
	if (o->consistency_guid.len == MAP_GUID_LEN) {
		*key = MAP_JOIN_CONSISTENCY_GUID;
		return &o->consistency_guid;
	}
	if (o->guid.len == MAP_GUID_LEN) {
		*key = MAP_JOIN_OBJECT_GUID;
		return &o->guid;
	}
	*key = MAP_JOIN_NONE;
	return NULL;
}

/* Anchor lookups of one cloud object: index of the AD match, or -1 / -2 (dup). */
struct cloud_match {
	long	 by_guid;
	long	 by_sid;
	int	 bad_guid;	/* immutableId is not base64 of 16 bytes */
	int	 bad_sid;	/* onPremisesSecurityIdentifier does not parse */
};

static long
lookup(const struct map_strmap *t, const void *key, size_t len)
{
	size_t idx;

	if (!map_strmap_get(t, key, len, &idx))
		return -1;
	return idx == JOIN_DUP ? -2 : (long)idx;
}

static enum sb_status
match_cloud(const struct dirobj *c, const struct map_strmap *guids,
    const struct map_strmap *sids, struct cloud_match *m, struct sb_error *err)
{
	unsigned char g[MAP_GUID_LEN];
	struct sb_bytes sid = { 0 };
	enum sb_status st;

	m->by_guid = m->by_sid = -1;
	m->bad_guid = m->bad_sid = 0;
	if (c->immutable_id != NULL && c->immutable_id[0] != '\0') {
		if (map_immutable_id_to_guid(c->immutable_id, g, NULL) == SB_OK)
			m->by_guid = lookup(guids, g, sizeof(g));
		else
			m->bad_guid = 1;
	}
	if (c->sid_string != NULL && c->sid_string[0] != '\0') {
		st = map_sid_from_text(c->sid_string, &sid, err);
		if (st == SB_BUG)
			return st;
		if (st == SB_OK)
			m->by_sid = lookup(sids, sid.p, sid.len);
		else
			m->bad_sid = 1;
		sb_bytes_free(&sid);
	}
	return SB_OK;
}

static int
has_anchor(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Graph object ids are GUIDs: anything longer is not one of ours. */
#define WRITEBACK_ID_MAX	64

const char *
map_join_writeback_id(const struct dirobj *o, size_t *len)
{
	static const char *const attrs[] = { "adminDescription",
	    "msDS-ExternalDirectoryObjectId" };
	const size_t plen = sizeof(MAP_WRITEBACK_PREFIX) - 1;
	const struct dirattr *a;
	const struct sb_bytes *v;
	size_t i;

	if (o == NULL || o->kind != DIROBJ_GROUP)
		return NULL;
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		a = dirobj_get(o, attrs[i]);
		if (a == NULL || a->nvals == 0)
			continue;
		v = &a->vals[0];
		if (v->len <= plen || v->len - plen > WRITEBACK_ID_MAX ||
		    strncasecmp((const char *)v->p, MAP_WRITEBACK_PREFIX,
		    plen) != 0 || memchr(v->p, '\0', v->len) != NULL)
			continue;
		*len = v->len - plen;
		return (const char *)v->p + plen;
	}
	return NULL;
}

/* A cloud group without a usable anchor: by its id in a writeback anchor. */
static enum sb_status
decide_writeback(const struct dirset *ad, struct map_pair *pr,
    const struct map_strmap *wb, int report, struct plan *f, struct sb_error *err)
{
	const struct dirobj *c = pr->cloud;
	long idx = -1;

	if (has_anchor(c->cloud_id))
		idx = lookup(wb, c->cloud_id, strlen(c->cloud_id));
	if (idx == -2) {
		pr->ambiguous = 1;
		return f ? map_plan_add_finding(f, err,
		    MAP_FINDING_AMBIGUOUS_JOIN, NULL, c, NULL,
		    "more than one AD group carries adminDescription "
		    MAP_WRITEBACK_PREFIX "%s", c->cloud_id) : SB_OK;
	}
	if (idx < 0)
		return report && f ? map_plan_add_finding(f, err,
		    MAP_FINDING_NOT_JOINED, NULL, c, NULL,
		    "no AD object has this on-premises anchor") : SB_OK;
	pr->ad = ad->objs[idx];
	pr->key = MAP_JOIN_WRITEBACK;
	return SB_OK;
}

/* Decides one cloud object's pair from its lookups; findings say why not. */
static enum sb_status
decide(const struct dirset *ad, struct map_pair *pr, const struct cloud_match *m,
    const struct map_strmap *wb, struct plan *f, struct sb_error *err)
{
	const struct dirobj *c = pr->cloud, *a;
	enum map_join_key key;
	long idx;

	if (!has_anchor(c->immutable_id) && !has_anchor(c->sid_string)) {
		if (c->kind == DIROBJ_GROUP)
			return decide_writeback(ad, pr, wb, 0, f, err);
		return f ? map_plan_add_finding(f, err, MAP_FINDING_CLOUD_ONLY,
		    NULL, c, NULL, "cloud-only object: no on-premises anchor")
		    : SB_OK;
	}
	if (m->by_guid == -2 || (m->by_guid < 0 && m->by_sid == -2)) {
		pr->ambiguous = 1;
		return f ? map_plan_add_finding(f, err,
		    MAP_FINDING_AMBIGUOUS_JOIN, NULL, c, NULL,
		    "%s matches more than one AD object", m->by_guid == -2 ?
		    "onPremisesImmutableId" : "onPremisesSecurityIdentifier")
		    : SB_OK;
	}
	if (m->by_guid >= 0 && m->by_sid >= 0 && m->by_guid != m->by_sid) {
		pr->ambiguous = 1;
		return f ? map_plan_add_finding(f, err,
		    MAP_FINDING_AMBIGUOUS_JOIN, ad->objs[m->by_guid], c, NULL,
		    "onPremisesImmutableId and onPremisesSecurityIdentifier "
		    "match different AD objects (the other: %s)",
		    ad->objs[m->by_sid]->dn ? ad->objs[m->by_sid]->dn : "?")
		    : SB_OK;
	}
	idx = m->by_guid >= 0 ? m->by_guid : m->by_sid;
	if (idx < 0 && c->kind == DIROBJ_GROUP && !m->bad_guid && !m->bad_sid)
		return decide_writeback(ad, pr, wb, 1, f, err);
	if (idx < 0)
		return f ? map_plan_add_finding(f, err,
		    MAP_FINDING_NOT_JOINED, NULL, c, NULL,
		    "no AD object has this on-premises anchor%s%s",
		    m->bad_guid ? "; onPremisesImmutableId is not the base64 "
		    "of 16 bytes" : "",
		    m->bad_sid ? "; onPremisesSecurityIdentifier is malformed"
		    : "") : SB_OK;
	a = ad->objs[idx];
	if (a->kind != c->kind)
		return f ? map_plan_add_finding(f, err,
		    MAP_FINDING_NOT_JOINED, a, c, NULL,
		    "the anchor matches an AD %s, not a %s",
		    dirobj_kind_name(a->kind), dirobj_kind_name(c->kind))
		    : SB_OK;
	pr->ad = a;
	if (m->by_guid >= 0)
		ad_anchor(a, &key);
	else
		key = MAP_JOIN_SID;
	pr->key = key;
	return SB_OK;
}

static enum sb_status
attach_mailboxes(struct map_join *j, const struct dirset *mbx,
    struct plan *f, struct sb_error *err)
{
	const struct dirobj *m;
	struct map_pair *pr;
	enum sb_status st = SB_OK;
	size_t i, k;
	int found;

	if (j->npairs == 0)
		return SB_OK;	/* no user: the id table is empty */
	for (i = 0; mbx != NULL && i < mbx->n && st == SB_OK; i++) {
		m = mbx->objs[i];
		found = has_anchor(m->cloud_id) &&
		    map_strmap_get_str(j->ids, m->cloud_id, &k);
		if (!found) {
			if (f)
				st = map_plan_add_finding(f, err,
				    MAP_FINDING_NOT_JOINED, NULL, m, NULL,
				    "mailbox: no cloud user has this "
				    "ExternalDirectoryObjectId");
			continue;
		}
		pr = &j->pairs[k];
		if (pr->mailbox == NULL && !pr->mailbox_ambiguous) {
			pr->mailbox = m;
			continue;
		}
		if (pr->mailbox != NULL && f)
			st = map_plan_add_finding(f, err,
			    MAP_FINDING_AMBIGUOUS_JOIN, pr->ad, pr->cloud, NULL,
			    "more than one mailbox has this "
			    "ExternalDirectoryObjectId: Exchange attributes "
			    "are left alone");
		pr->mailbox = NULL;
		pr->mailbox_ambiguous = 1;
	}
	return st;
}

/* Two cloud objects on one AD object: neither is joined. */
static enum sb_status
drop_shared(struct map_join *j, struct plan *f, struct sb_error *err)
{
	struct map_strmap *claims = NULL;
	enum sb_status st;
	size_t i;

	st = map_strmap_new(0, &claims, err);
	for (i = 0; i < j->npairs && st == SB_OK; i++)
		if (j->pairs[i].ad != NULL)
			st = claim(claims, &j->pairs[i].ad,
			    sizeof(j->pairs[i].ad), i, err);
	for (i = 0; i < j->npairs && st == SB_OK; i++) {
		if (j->pairs[i].ad == NULL || lookup(claims, &j->pairs[i].ad,
		    sizeof(j->pairs[i].ad)) != -2)
			continue;
		if (f)
			st = map_plan_add_finding(f, err,
			    MAP_FINDING_AMBIGUOUS_JOIN, j->pairs[i].ad,
			    j->pairs[i].cloud, NULL,
			    "more than one cloud object matches this AD object");
		j->pairs[i].key = MAP_JOIN_NONE;
		j->pairs[i].ambiguous = 1;
	}
	/* Unjoin only after every claim was checked against the table. */
	for (i = 0; i < j->npairs; i++)
		if (j->pairs[i].key == MAP_JOIN_NONE)
			j->pairs[i].ad = NULL;
	map_strmap_free(claims);
	return st;
}

/* Every AD object's anchors: immutableId, SID and writeback id tables. */
static enum sb_status
index_ad(const struct dirset *ad, struct map_strmap *guids,
    struct map_strmap *sids, struct map_strmap *wb, struct sb_error *err)
{
	const struct sb_bytes *anchor;
	enum map_join_key key;
	enum sb_status st = SB_OK;
	const char *id;
	size_t i, idlen;

	for (i = 0; st == SB_OK && i < ad->n; i++) {
		/* Read only for nested protection (dirobj.h): never a match. */
		if (ad->objs[i]->protect_only)
			continue;
		anchor = ad_anchor(ad->objs[i], &key);
		if (anchor != NULL)
			st = claim(guids, anchor->p, anchor->len, i, err);
		if (st == SB_OK && ad->objs[i]->sid.len > 0)
			st = claim(sids, ad->objs[i]->sid.p,
			    ad->objs[i]->sid.len, i, err);
		id = map_join_writeback_id(ad->objs[i], &idlen);
		if (st == SB_OK && id != NULL)
			st = claim(wb, id, idlen, i, err);
	}
	return st;
}

enum sb_status
map_join_build(const struct dirset *ad, const struct dirset *cloud,
    const struct dirset *mailboxes, struct plan *findings,
    struct map_join **out, struct sb_error *err)
{
	struct map_strmap *guids = NULL, *sids = NULL, *wb = NULL;
	struct map_join *j = NULL;
	struct cloud_match m;
	const struct dirobj *c;
	enum sb_status st;
	size_t i;

	j = calloc(1, sizeof(*j));
	if (j == NULL || (cloud->n > 0 &&
	    (j->pairs = calloc(cloud->n, sizeof(*j->pairs))) == NULL) ||
	    (j->found = map_plan_new()) == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.join", "out of memory");
		goto done;
	}
	j->npairs = cloud->n;
	st = map_strmap_new(MAP_STRMAP_BORROW, &guids, err);
	if (st == SB_OK)
		st = map_strmap_new(MAP_STRMAP_BORROW, &sids, err);
	if (st == SB_OK)
		st = map_strmap_new(MAP_STRMAP_CI | MAP_STRMAP_BORROW,
		    &j->ids, err);
	if (st == SB_OK)
		st = map_strmap_new(MAP_STRMAP_CI | MAP_STRMAP_BORROW,
		    &wb, err);
	if (st == SB_OK)
		st = index_ad(ad, guids, sids, wb, err);
	for (i = 0; st == SB_OK && i < cloud->n; i++) {
		c = cloud->objs[i];
		j->pairs[i].cloud = c;
		/* The first of two objects with one id keeps it. */
		if (has_anchor(c->cloud_id))
			st = map_strmap_put_str(j->ids, c->cloud_id, i, NULL,
			    err);
		if (st == SB_OK)
			st = match_cloud(c, guids, sids, &m, err);
		if (st == SB_OK)
			st = decide(ad, &j->pairs[i], &m, wb, j->found, err);
	}
	if (st == SB_OK)
		st = drop_shared(j, j->found, err);
	if (st == SB_OK)
		st = attach_mailboxes(j, mailboxes, j->found, err);
	if (st == SB_OK && findings != NULL)
		st = map_plan_copy_findings(findings, j->found, err);
	if (st != SB_OK)
		goto done;
	*out = j;
	j = NULL;
done:
	map_strmap_free(guids);
	map_strmap_free(sids);
	map_strmap_free(wb);
	map_join_free(j);
	return st;
}

void
map_join_free(struct map_join *j)
{
	if (j == NULL)
		return;
	map_strmap_free(j->ids);
	map_plan_free(j->found);
	free(j->pairs);
	free(j);
}

const struct plan *
map_join_findings(const struct map_join *j)
{
	return j->found;
}

size_t
map_join_count(const struct map_join *j)
{
	return j->npairs;
}

const struct map_pair *
map_join_pair(const struct map_join *j, size_t i)
{
	return i < j->npairs ? &j->pairs[i] : NULL;
}

const struct map_pair *
map_join_find(const struct map_join *j, const char *cloud_id)
{
	size_t k;

	if (!has_anchor(cloud_id) || !map_strmap_get_str(j->ids, cloud_id, &k))
		return NULL;
	return &j->pairs[k];
}

const struct dirobj *
map_join_ad_of(const struct map_join *j, const char *cloud_id)
{
	const struct map_pair *pr = map_join_find(j, cloud_id);

	return pr != NULL ? pr->ad : NULL;
}

const char *
map_join_key_name(enum map_join_key key)
{
	switch (key) {
	case MAP_JOIN_NONE:		return "none";
	case MAP_JOIN_CONSISTENCY_GUID:	return "mS-DS-ConsistencyGuid";
	case MAP_JOIN_OBJECT_GUID:	return "objectGUID";
	case MAP_JOIN_SID:		return "objectSid";
	case MAP_JOIN_WRITEBACK:	return "adminDescription";
	}
	return "unknown";
}
