/* The write gate's kept reads (agent/gatecache.h). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/gatecache.h"
#include "agent/gateprotect.h"
#include "agent/gatetypes.h"
#include "agent/recover.h"
#include "ldap/escape.h"
#include "ldap/search.h"
#include "mapping/codec.h"
#include "mapping/dn.h"
#include "mapping/plan.h"
#include "mapping/strmap.h"

/* A kept answer that is "gone": no object. */
#define GONE SIZE_MAX

struct gate_cache {
	struct map_strmap *at; /* key -> index into objs, or GONE */
	struct dirset objs;
};

/*
 * "kind:guid" or "kind:dn", lowercased: AD compares both without case.
 * Another spelling of the same DN only misses, and is read again.
 */
static char *
cache_key(enum gate_read_kind kind, const char *guid, const char *dn)
{
	const char *s = guid != NULL && *guid != '\0' ? guid : dn;
	size_t i, n = strlen(s ? s : "");
	char *k = malloc(n + 3);

	if (k == NULL)
		return NULL;
	k[0] = (char)kind;
	k[1] = guid != NULL && *guid != '\0' ? 'g' : 'd';
	for (i = 0; i < n; i++)
		k[i + 2] = (char)tolower((unsigned char)s[i]);
	k[n + 2] = '\0';
	return k;
}

/* Keeps o (taken, may be NULL: gone) as the answer to key. */
static enum sb_status
cache_put(struct gate_cache *c, const char *key, struct dirobj *o,
    struct sb_error *err)
{
	size_t at = GONE;
	enum sb_status st;

	if (o != NULL) {
		at = c->objs.n;
		st = dirset_add(&c->objs, o, err);
		if (st != SB_OK)
			return st;
	}
	return map_strmap_set(c->at, key, strlen(key), at, err);
}

enum sb_status
agent_gate_reread(struct agent_gate *g, enum gate_read_kind kind,
    const char *guid, const char *dn, const char *const *attrs,
    struct dirobj **out, struct sb_error *err)
{
	struct dirobj *o = NULL, *keep = NULL;
	enum sb_status st;
	size_t at;
	char *key;

	*out = NULL;
	if (g->cache == NULL)
		return agent_recover_reread(g->ad, g->domain, guid, dn, attrs,
		    out, err);
	key = cache_key(kind, guid, dn);
	if (key == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	if (map_strmap_get_str(g->cache->at, key, &at)) {
		free(key);
		return at == GONE ?
		    SB_OK :
		    dirobj_clone(g->cache->objs.objs[at], out, err);
	}
	st = agent_recover_reread(g->ad, g->domain, guid, dn, attrs, &o, err);
	if (st == SB_OK && o != NULL)
		st = dirobj_clone(o, &keep, err);
	if (st == SB_OK)
		st = cache_put(g->cache, key, keep, err);
	free(key);
	if (st != SB_OK) {
		dirobj_free(o);
		return st;
	}
	*out = o;
	return SB_OK;
}

/* Keeps o (taken) as the answer of kind about guid, else dn. */
static enum sb_status
keep_as(struct gate_cache *c, enum gate_read_kind kind, const char *guid,
    const char *dn, struct dirobj *o, struct sb_error *err)
{
	enum sb_status st;
	char *key = cache_key(kind, guid, dn);

	if (key == NULL) {
		dirobj_free(o);
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	}
	st = cache_put(c, key, o, err);
	free(key);
	return st;
}

/* One fetched target, kept under its objectGUID. */
static enum sb_status
keep_target(struct dirobj *o, void *arg, struct sb_error *err)
{
	char text[MAP_GUID_TEXT_SIZE];

	if (o->guid.len != MAP_GUID_LEN ||
	    map_guid_to_text(o->guid.p, o->guid.len, text, sizeof(text),
		NULL) != SB_OK) {
		dirobj_free(o); /* not findable by GUID: read alone later */
		return SB_OK;
	}
	return keep_as(arg, GATE_READ_TARGET, text, NULL, o, err);
}

/* Appends s to *f (of *len bytes, NUL-terminated). */
static enum sb_status
append_text(char **f, size_t *len, const char *s, struct sb_error *err)
{
	size_t n = strlen(s);
	char *nf;

	nf = realloc(*f, *len + n + 1);
	if (nf == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	memcpy(nf + *len, s, n + 1);
	*f = nf;
	*len += n;
	return SB_OK;
}

/* One fetched group of a chain, kept under its DN. */
static enum sb_status
keep_chain(struct dirobj *o, void *arg, struct sb_error *err)
{
	if (o->dn == NULL) {
		dirobj_free(o);
		return SB_OK;
	}
	return keep_as(arg, GATE_READ_CHAIN, "", o->dn, o, err);
}

/*
 * One search of the domain for the objects whose attr (objectGUID: the
 * GUID texts; distinguishedName: the DNs) is one of vals[0..n), each
 * kept by keep.  A failed search keeps nothing: each object is then read
 * alone when asked for.
 */
static enum sb_status
fetch(struct agent_gate *g, const char *attr, const char *const *vals, size_t n,
    ad_entry_cb keep, struct sb_error *err)
{
	unsigned char raw[MAP_GUID_LEN];
	struct sb_error ferr;
	enum sb_status st = SB_OK;
	char *f = NULL, *eq;
	size_t i, len = 0;

	st = append_text(&f, &len, "(|", err);
	for (i = 0; st == SB_OK && i < n; i++) {
		eq = NULL;
		if (strcmp(attr, "objectGUID") == 0) {
			st = map_guid_from_text(vals[i], raw, &ferr);
			if (st == SB_OK)
				st = ad_filter_eq(attr, raw, sizeof(raw), &eq,
				    err);
		} else
			st = ad_filter_eq(attr, vals[i], strlen(vals[i]), &eq,
			    err);
		if (st == SB_OK)
			st = append_text(&f, &len, eq, err);
		else if (st != SB_BUG)
			st = SB_OK; /* not a GUID, not a DN: read alone */
		free(eq);
	}
	if (st == SB_OK)
		st = append_text(&f, &len, ")", err);
	if (st == SB_OK) {
		st = ad_search(g->ad, g->domain, AD_SCOPE_SUB, f,
		    agent_gate_protect_attrs, keep, g->cache, &ferr);
		if (st == SB_BUG)
			*err = ferr;
		else
			st = SB_OK;
	}
	free(f);
	return st;
}

/* Collects the vals to fetch, GATE_PREFETCH_MAX to a search. */
struct batch {
	struct agent_gate *g;
	const char *attr;
	ad_entry_cb keep;
	const char *v[GATE_PREFETCH_MAX];
	size_t n;
};

static enum sb_status
batch_add(struct batch *b, const char *v, struct sb_error *err)
{
	enum sb_status st = SB_OK;

	b->v[b->n++] = v;
	if (b->n == GATE_PREFETCH_MAX) {
		st = fetch(b->g, b->attr, b->v, b->n, b->keep, err);
		b->n = 0;
	}
	return st;
}

static enum sb_status
batch_end(struct batch *b, struct sb_error *err)
{
	enum sb_status st = SB_OK;

	if (b->n > 0)
		st = fetch(b->g, b->attr, b->v, b->n, b->keep, err);
	b->n = 0;
	return st;
}

/*
 * The groups the kept objects from index *from on are members of (their
 * memberOf values) that no kept read answers yet, fetched by DN; *from
 * moves past the objects scanned.  *more: some were fetched.
 */
static enum sb_status
fetch_parents(struct agent_gate *g, size_t *from, int *more,
    struct sb_error *err)
{
	struct batch b = { g, "distinguishedName", keep_chain, { 0 }, 0 };
	struct map_strmap *asked = NULL;
	const struct dirattr *mo;
	struct dirobj **objs;
	enum sb_status st;
	size_t i, k, end = g->cache->objs.n;
	char *key;
	int dup;

	*more = 0;
	st = map_strmap_new(0, &asked, err);
	for (i = *from; st == SB_OK && i < end; i++) {
		objs = g->cache->objs.objs;
		mo = dirobj_get(objs[i], "memberOf");
		for (k = 0; st == SB_OK && mo != NULL && k < mo->nvals; k++) {
			key = cache_key(GATE_READ_CHAIN, "",
			    (const char *)mo->vals[k].p);
			if (key == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "gate",
				    "out of memory");
				break;
			}
			dup = 1;
			if (!map_strmap_get_str(g->cache->at, key, NULL))
				st = map_strmap_put_str(asked, key, 0, &dup,
				    err);
			if (st == SB_OK && !dup) {
				*more = 1;
				st = batch_add(&b, (const char *)mo->vals[k].p,
				    err);
			}
			free(key);
		}
	}
	if (st == SB_OK)
		st = batch_end(&b, err);
	map_strmap_free(asked);
	*from = end;
	return st;
}

/* Nesting deeper than this is read group by group, as the walk asks. */
#define GATE_PREFETCH_LEVELS 8

/* A copy of o kept as the chain answer for dn. */
static enum sb_status
keep_copy(struct gate_cache *c, const char *dn, const struct dirobj *o,
    struct sb_error *err)
{
	struct dirobj *copy = NULL;
	enum sb_status st;

	st = dirobj_clone(o, &copy, err);
	return st == SB_OK ? keep_as(c, GATE_READ_CHAIN, "", dn, copy, err) :
			     st;
}

/* What one search by DN returned, matched to the DNs asked. */
struct level {
	const char *const *dns;
	size_t n;
	struct dirobj **out;
};

static enum sb_status
keep_level(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct level *lv = arg;
	size_t i;

	(void)err;
	for (i = 0; o->dn != NULL && i < lv->n; i++)
		if (lv->out[i] == NULL && map_dn_equal(lv->dns[i], o->dn)) {
			lv->out[i] = o;
			return SB_OK;
		}
	dirobj_free(o); /* not asked for */
	return SB_OK;
}

static void
level_clear(struct dirobj **out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dirobj_free(out[i]);
		out[i] = NULL;
	}
}

/* The DNs of dns[0..n) no kept read answers, in one search. */
static enum sb_status
search_level(struct agent_gate *g, const char *const *dns, size_t n,
    struct dirobj **out, const int *kept, struct sb_error *err)
{
	struct level lv = { dns, n, out };
	enum sb_status st;
	char *f = NULL, *eq;
	size_t i, len = 0, terms = 0;

	st = append_text(&f, &len, "(|", err);
	for (i = 0; st == SB_OK && i < n; i++) {
		if (kept[i])
			continue;
		eq = NULL;
		st = ad_filter_eq("distinguishedName", dns[i], strlen(dns[i]),
		    &eq, err);
		if (st == SB_OK) {
			st = append_text(&f, &len, eq, err);
			terms++;
		} else if (st != SB_BUG)
			st = SB_OK; /* not a DN: read alone below */
		free(eq);
	}
	if (st == SB_OK)
		st = append_text(&f, &len, ")", err);
	if (st == SB_OK && terms > 0)
		st = ad_search(g->ad, g->domain, AD_SCOPE_SUB, f,
		    agent_gate_protect_attrs, keep_level, &lv, err);
	free(f);
	return st;
}

enum sb_status
agent_gate_reread_dns(struct agent_gate *g, const char *const *dns, size_t n,
    struct dirobj **out, struct sb_error *err)
{
	int kept[GATE_PREFETCH_MAX];
	enum sb_status st = SB_OK;
	size_t i, at;
	char *key;

	if (n > GATE_PREFETCH_MAX)
		return sb_fail(err, SB_BUG, 0, "gate",
		    "%zu groups in one "
		    "read",
		    n);
	for (i = 0; i < n; i++) {
		out[i] = NULL;
		kept[i] = 0;
		if (g->cache == NULL || st != SB_OK)
			continue;
		key = cache_key(GATE_READ_CHAIN, "", dns[i]);
		if (key == NULL)
			st = sb_fail(err, SB_BUG, ENOMEM, "gate",
			    "out of memory");
		else if (map_strmap_get_str(g->cache->at, key, &at)) {
			kept[i] = 1;
			if (at != GONE)
				st = dirobj_clone(g->cache->objs.objs[at],
				    &out[i], err);
		}
		free(key);
	}
	if (st == SB_OK)
		st = search_level(g, dns, n, out, kept, err);
	for (i = 0; st == SB_OK && g->cache != NULL && i < n; i++)
		if (!kept[i] && out[i] != NULL)
			st = keep_copy(g->cache, dns[i], out[i], err);
	/* Not returned: read alone, as one group at a time always was. */
	for (i = 0; st == SB_OK && i < n; i++)
		if (!kept[i] && out[i] == NULL)
			st = agent_gate_reread(g, GATE_READ_CHAIN, "", dns[i],
			    agent_gate_protect_attrs, &out[i], err);
	if (st != SB_OK)
		level_clear(out, n);
	return st;
}

enum sb_status
agent_gate_keep_reads(struct agent_gate *g, const struct plan *p,
    const char *const *guids, struct sb_error *err)
{
	struct batch b = { g, "objectGUID", keep_target, { 0 }, 0 };
	enum sb_status st = SB_OK;
	size_t i, from = 0, level;
	int more = 1;

	agent_gate_forget(g);
	g->cache = calloc(1, sizeof(*g->cache));
	if (g->cache == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	dirset_init(&g->cache->objs);
	st = map_strmap_new(0, &g->cache->at, err);
	for (i = 0; st == SB_OK && guids != NULL && i < p->nchanges; i++)
		if (p->changes[i].op != MAP_CHANGE_ADD && guids[i] != NULL &&
		    *guids[i] != '\0')
			st = batch_add(&b, guids[i], err);
	if (st == SB_OK)
		st = batch_end(&b, err);
	/* Then the groups above them, level by level. */
	for (level = 0; st == SB_OK && more && level < GATE_PREFETCH_LEVELS;
	     level++)
		st = fetch_parents(g, &from, &more, err);
	if (st != SB_OK)
		agent_gate_forget(g);
	return st;
}

void
agent_gate_forget(struct agent_gate *g)
{
	if (g->cache == NULL)
		return;
	map_strmap_free(g->cache->at);
	dirset_free(&g->cache->objs);
	free(g->cache);
	g->cache = NULL;
}
