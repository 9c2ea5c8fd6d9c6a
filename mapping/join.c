/* Pairs cloud objects with AD objects through hash tables of their anchors. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "join.h"

/* Open addressing, linear probing; keys are borrowed from the objects. */
struct hslot {
	const unsigned char	*key;	/* NULL: empty */
	size_t			 len;
	size_t			 idx;
	int			 dup;	/* a second, different object has this key */
};

struct htab {
	struct hslot	*slots;
	size_t		 mask;
	int		 ci;		/* ASCII case-insensitive keys */
};

struct map_join {
	struct map_pair	*pairs;
	size_t		 npairs;
	struct htab	 ids;		/* cloud id -> pair index */
};

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static uint64_t
hash_key(const unsigned char *p, size_t len, int ci)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint64_t)(ci ? lower(p[i]) : p[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

static enum sb_status
htab_init(struct htab *t, size_t n, int ci, struct sb_error *err)
{
	size_t cap = 16;

	while (cap < n * 2) {
		if (cap > SIZE_MAX / 4 / sizeof(*t->slots))
			return sb_fail(err, SB_BUG, ENOMEM, "map.join",
			    "too many objects");
		cap *= 2;
	}
	t->slots = calloc(cap, sizeof(*t->slots));
	if (t->slots == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.join", "out of memory");
	t->mask = cap - 1;
	t->ci = ci;
	return SB_OK;
}

static void
htab_free(struct htab *t)
{
	free(t->slots);
	t->slots = NULL;
}

/* The slot holding key, or the empty slot where it would go. */
static struct hslot *
htab_slot(const struct htab *t, const void *key, size_t len)
{
	struct hslot *s;
	size_t i = (size_t)hash_key(key, len, t->ci) & t->mask;

	for (;; i = (i + 1) & t->mask) {
		s = &t->slots[i];
		if (s->key == NULL)
			return s;
		if (s->len == len && (t->ci ?
		    strncasecmp((const char *)s->key, key, len) == 0 :
		    memcmp(s->key, key, len) == 0))
			return s;
	}
}

/* The table never fills: it has at least twice as many slots as puts. */
static void
htab_put(struct htab *t, const void *key, size_t len, size_t idx)
{
	struct hslot *s = htab_slot(t, key, len);

	if (s->key == NULL) {
		s->key = key;
		s->len = len;
		s->idx = idx;
	} else if (s->idx != idx) {
		s->dup = 1;
	}
}

static const struct hslot *
htab_get(const struct htab *t, const void *key, size_t len)
{
	const struct hslot *s = htab_slot(t, key, len);

	return s->key != NULL ? s : NULL;
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
lookup(const struct htab *t, const void *key, size_t len)
{
	const struct hslot *s = htab_get(t, key, len);

	if (s == NULL)
		return -1;
	return s->dup ? -2 : (long)s->idx;
}

static enum sb_status
match_cloud(const struct dirobj *c, const struct htab *guids,
    const struct htab *sids, struct cloud_match *m, struct sb_error *err)
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
    const struct htab *wb, int report, struct plan *f, struct sb_error *err)
{
	const struct dirobj *c = pr->cloud;
	long idx = -1;

	if (wb->slots != NULL && has_anchor(c->cloud_id))
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
    const struct htab *wb, struct plan *f, struct sb_error *err)
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
	const struct hslot *s;
	enum sb_status st = SB_OK;
	size_t i;

	if (j->npairs == 0)
		return SB_OK;	/* no user: the id table is empty */
	for (i = 0; mbx != NULL && i < mbx->n && st == SB_OK; i++) {
		m = mbx->objs[i];
		s = has_anchor(m->cloud_id) ?
		    htab_get(&j->ids, m->cloud_id, strlen(m->cloud_id)) : NULL;
		if (s == NULL) {
			if (f)
				st = map_plan_add_finding(f, err,
				    MAP_FINDING_NOT_JOINED, NULL, m, NULL,
				    "mailbox: no cloud user has this "
				    "ExternalDirectoryObjectId");
			continue;
		}
		pr = &j->pairs[s->idx];
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
	struct htab claims = { 0 };
	const struct hslot *s;
	enum sb_status st;
	size_t i;

	st = htab_init(&claims, j->npairs, 0, err);
	for (i = 0; i < j->npairs && st == SB_OK; i++)
		if (j->pairs[i].ad != NULL)
			htab_put(&claims, &j->pairs[i].ad,
			    sizeof(j->pairs[i].ad), i);
	for (i = 0; i < j->npairs && st == SB_OK; i++) {
		if (j->pairs[i].ad == NULL)
			continue;
		s = htab_get(&claims, &j->pairs[i].ad, sizeof(j->pairs[i].ad));
		if (s == NULL || !s->dup)
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
	htab_free(&claims);
	return st;
}

enum sb_status
map_join_build(const struct dirset *ad, const struct dirset *cloud,
    const struct dirset *mailboxes, struct plan *findings,
    struct map_join **out, struct sb_error *err)
{
	struct htab guids = { 0 }, sids = { 0 }, wb = { 0 };
	struct map_join *j = NULL;
	struct cloud_match m;
	const struct sb_bytes *anchor;
	const struct dirobj *c;
	enum map_join_key key;
	enum sb_status st;
	const char *id;
	size_t i, idlen;

	j = calloc(1, sizeof(*j));
	if (j == NULL || (cloud->n > 0 &&
	    (j->pairs = calloc(cloud->n, sizeof(*j->pairs))) == NULL)) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.join", "out of memory");
		goto done;
	}
	j->npairs = cloud->n;
	st = htab_init(&guids, ad->n, 0, err);
	if (st == SB_OK)
		st = htab_init(&sids, ad->n, 0, err);
	if (st == SB_OK)
		st = htab_init(&j->ids, cloud->n, 1, err);
	if (st == SB_OK)
		st = htab_init(&wb, ad->n, 1, err);
	if (st != SB_OK)
		goto done;
	for (i = 0; i < ad->n; i++) {
		/* Read only for nested protection (dirobj.h): never a match. */
		if (ad->objs[i]->protect_only)
			continue;
		anchor = ad_anchor(ad->objs[i], &key);
		if (anchor != NULL)
			htab_put(&guids, anchor->p, anchor->len, i);
		if (ad->objs[i]->sid.len > 0)
			htab_put(&sids, ad->objs[i]->sid.p,
			    ad->objs[i]->sid.len, i);
		id = map_join_writeback_id(ad->objs[i], &idlen);
		if (id != NULL)
			htab_put(&wb, id, idlen, i);
	}
	for (i = 0; i < cloud->n; i++) {
		c = cloud->objs[i];
		j->pairs[i].cloud = c;
		if (has_anchor(c->cloud_id))
			htab_put(&j->ids, c->cloud_id, strlen(c->cloud_id), i);
		st = match_cloud(c, &guids, &sids, &m, err);
		if (st == SB_OK)
			st = decide(ad, &j->pairs[i], &m, &wb, findings, err);
		if (st != SB_OK)
			goto done;
	}
	st = drop_shared(j, findings, err);
	if (st == SB_OK)
		st = attach_mailboxes(j, mailboxes, findings, err);
	if (st != SB_OK)
		goto done;
	*out = j;
	j = NULL;
done:
	htab_free(&guids);
	htab_free(&sids);
	htab_free(&wb);
	map_join_free(j);
	return st;
}

void
map_join_free(struct map_join *j)
{
	if (j == NULL)
		return;
	htab_free(&j->ids);
	free(j->pairs);
	free(j);
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
	const struct hslot *s;

	if (!has_anchor(cloud_id))
		return NULL;
	s = htab_get(&j->ids, cloud_id, strlen(cloud_id));
	return s != NULL ? &j->pairs[s->idx] : NULL;
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
