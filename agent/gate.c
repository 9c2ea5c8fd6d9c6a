/* The write gate: re-read the target in AD and re-check the safety rules right before each write. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/flap.h"
#include "agent/gate.h"
#include "agent/recover.h"
#include "ldap/conn.h"
#include "ldap/escape.h"
#include "ldap/search.h"
#include "mapping/codec.h"
#include "mapping/dn.h"
#include "mapping/options.h"
#include "mapping/placement.h"
#include "mapping/protect.h"

/* Member values looked up per search: keeps the filter a few KB. */
#define GATE_MEMBER_BATCH	50

/* userAccountControl bits of domain controller accounts (MS-ADTS 2.2.16). */
#define UAC_SERVER_TRUST_ACCOUNT	0x00002000UL
#define UAC_PARTIAL_SECRETS_ACCOUNT	0x04000000UL

struct agent_gate {
	struct ad_conn		*ad;
	const char		*domain;	/* the naming context searched */
	struct map_options	 opt;		/* scope and OUs, borrowed from conf */
	char			**quar;		/* quarantined objectGUID texts */
	size_t			 nquar;
};

/* What every protection check reads of an object (memberOf: its nesting). */
static const char *const protect_attrs[] = { "objectClass", "objectGUID",
    "objectSid", "adminCount", "isCriticalSystemObject", "sAMAccountName",
    "userAccountControl", "memberOf", NULL };

enum sb_status
agent_gate_new(struct ad_conn *ad, const struct conf *conf,
    const char *const *quarantined, size_t nquarantined,
    struct agent_gate **out, struct sb_error *err)
{
	struct agent_gate *g;
	size_t i;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (g == NULL || (g->quar = calloc(nquarantined + 1,
	    sizeof(*g->quar))) == NULL) {
		free(g);
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	}
	g->ad = ad;
	g->domain = ad_conn_default_nc(ad);
	if (g->domain == NULL || *g->domain == '\0')
		g->domain = conf->ldap.base_dn;
	map_options_init(&g->opt);
	g->opt.base_dn = conf->ldap.base_dn;
	g->opt.write_scope = conf->ldap.write_scope.v;
	g->opt.nwrite_scope = conf->ldap.write_scope.n;
	g->opt.groups.allowed_ous = conf->groups.allowed_ous.v;
	g->opt.groups.nallowed_ous = conf->groups.allowed_ous.n;
	for (i = 0; i < nquarantined; i++) {
		g->quar[i] = strdup(quarantined[i]);
		if (g->quar[i] == NULL) {
			agent_gate_free(g);
			return sb_fail(err, SB_BUG, ENOMEM, "gate",
			    "out of memory");
		}
		g->nquar++;
	}
	*out = g;
	return SB_OK;
}

void
agent_gate_free(struct agent_gate *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nquar; i++)
		free(g->quar[i]);
	free(g->quar);
	free(g);
}

/*
 * map_protect_check, plus what only the gate sees of members it was never
 * asked to plan: domain controller accounts (a DC's isCriticalSystemObject
 * may be unset on some directories) and foreign security principals
 * (well-known and other-forest SIDs, which no cloud object stands for).
 */
static int
protected_obj(const struct agent_gate *g, const struct dirobj *o, char *why,
    size_t whysz)
{
	const char *uac = dirobj_get_str(o, "userAccountControl");
	const struct dirattr *oc = dirobj_get(o, "objectClass");
	unsigned long bits;
	size_t i;

	if (map_protect_check(o, g->domain, why, whysz))
		return 1;
	if (uac != NULL) {
		bits = strtoul(uac, NULL, 10);
		if (bits & (UAC_SERVER_TRUST_ACCOUNT |
		    UAC_PARTIAL_SECRETS_ACCOUNT)) {
			snprintf(why, whysz, "a domain controller account");
			return 1;
		}
	}
	for (i = 0; oc != NULL && i < oc->nvals; i++)
		if (oc->vals[i].len == 26 && strncasecmp((const char *)
		    oc->vals[i].p, "foreignSecurityPrincipal", 24) == 0) {
			snprintf(why, whysz, "a foreign security principal");
			return 1;
		}
	return 0;
}

/* ---- the target ---- */

/* Groups read while walking one nesting chain: enough for any real domain. */
#define GATE_CHAIN_MAX	1000

/* The DNs of a walk, visited once each (case-insensitive normal forms). */
struct walk {
	char	**dn;
	size_t	  n;
};

static void
walk_free(struct walk *w)
{
	while (w->n > 0)
		free(w->dn[--w->n]);
	free(w->dn);
	w->dn = NULL;
}

/* Adds o's memberOf values not seen yet; 0 when out of memory. */
static int
walk_push(struct walk *w, const struct dirobj *o)
{
	const struct dirattr *mo = dirobj_get(o, "memberOf");
	char *v;
	size_t i, k;
	int seen;

	for (i = 0; mo != NULL && i < mo->nvals; i++) {
		if (w->n >= GATE_CHAIN_MAX + 1)
			return 1;	/* the caller sees the bound */
		v = strndup((const char *)mo->vals[i].p, mo->vals[i].len);
		if (v == NULL)
			return 0;
		for (k = 0, seen = 0; k < w->n && !seen; k++)
			seen = map_dn_equal(w->dn[k], v);
		if (seen || strlen(v) != mo->vals[i].len) {
			free(v);
			continue;
		}
		w->dn[w->n++] = v;
	}
	return 1;
}

/*
 * Walks up from o through memberOf, reading each group in AD at this
 * moment (never from what the planner read, and outside base_dn too):
 * *prot 1 with why when a group at any depth is protected, or when a
 * group of the chain cannot be read (gone, no rights, an error) or the
 * chain is longer than GATE_CHAIN_MAX groups: what cannot be resolved
 * counts as protected.  A user's primary group is not a memberOf value:
 * Domain Users protects no one.
 */
static enum sb_status
check_chain(struct agent_gate *g, const struct dirobj *o, int *prot,
    char *why, enum sb_status *read_st, struct sb_error *err)
{
	static const char *const attrs[] = { "objectClass", "objectGUID",
	    "objectSid", "adminCount", "isCriticalSystemObject",
	    "sAMAccountName", "userAccountControl", "memberOf", NULL };
	char r[MAP_PROTECT_REASON_SIZE];
	struct walk w = { NULL, 0 };
	struct dirobj *up = NULL;
	struct sb_error rerr;
	enum sb_status st;
	size_t at;

	*prot = 0;
	w.dn = calloc(GATE_CHAIN_MAX + 2, sizeof(*w.dn));
	if (w.dn == NULL || !walk_push(&w, o)) {
		walk_free(&w);
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	}
	for (at = 0; at < w.n && !*prot; at++) {
		if (at >= GATE_CHAIN_MAX) {
			snprintf(why, AGENT_GATE_WHY_SIZE, "nested more than %d "
			    "groups deep: cannot tell it is not protected",
			    GATE_CHAIN_MAX);
			*prot = 1;
			break;
		}
		st = agent_recover_reread(g->ad, g->domain, "", w.dn[at], attrs,
		    &up, &rerr);
		if (st != SB_OK || up == NULL) {
			if (st != SB_OK)
				*read_st = st;
			snprintf(why, AGENT_GATE_WHY_SIZE, "nested in %.250s, "
			    "which could not be read (%.150s): counted as "
			    "protected", w.dn[at], st != SB_OK ? rerr.text :
			    "no such object");
			*prot = 1;
		} else if (protected_obj(g, up, r, sizeof(r))) {
			snprintf(why, AGENT_GATE_WHY_SIZE, "nested in %.250s: %s",
			    w.dn[at], r);
			*prot = 1;
		} else if (!walk_push(&w, up)) {
			dirobj_free(up);
			walk_free(&w);
			return sb_fail(err, SB_BUG, ENOMEM, "gate",
			    "out of memory");
		}
		dirobj_free(up);
		up = NULL;
	}
	walk_free(&w);
	return SB_OK;
}

static int
quarantined(const struct agent_gate *g, const struct dirobj *o)
{
	char text[MAP_GUID_TEXT_SIZE];
	size_t i;

	if (o->guid.len != MAP_GUID_LEN || g->nquar == 0)
		return 0;
	map_guid_to_text(o->guid.p, o->guid.len, text, sizeof(text), NULL);
	for (i = 0; i < g->nquar; i++)
		if (strcasecmp(g->quar[i], text) == 0)
			return 1;
	return 0;
}

/*
 * The object a MODIFY, RENAME or DELETE writes, as AD holds it now: found
 * by objectGUID in the whole domain (a moved object is found, and refused
 * as moved), else by DN.  *ok 0 with why when it may not be written.
 */
static enum sb_status
check_target(struct agent_gate *g, const struct change *c, const char *guid,
    int *ok, char *why, enum sb_status *read_st, struct sb_error *err)
{
	char r[MAP_PROTECT_REASON_SIZE];
	struct dirobj *cur = NULL;
	struct sb_error rerr;
	enum sb_status st;
	int prot = 0;

	*ok = 0;
	st = agent_recover_reread(g->ad, g->domain, guid ? guid : "", c->dn,
	    protect_attrs, &cur, &rerr);
	if (st != SB_OK) {
		*read_st = st;
		snprintf(why, AGENT_GATE_WHY_SIZE, "the object could not be "
		    "read again before the write (%.300s)", rerr.text);
		return SB_OK;
	}
	if (cur == NULL || cur->dn == NULL) {
		snprintf(why, AGENT_GATE_WHY_SIZE, "the object is gone from AD");
		goto done;
	}
	if (!map_dn_equal(cur->dn, c->dn)) {
		snprintf(why, AGENT_GATE_WHY_SIZE, "the object was moved since "
		    "it was read: it is now %.300s", cur->dn);
		goto done;
	}
	if (quarantined(g, cur)) {
		snprintf(why, AGENT_GATE_WHY_SIZE, "the object is quarantined "
		    "for flapping (see 'soabridge status'; 'soabridge release' "
		    "ends it)");
		goto done;
	}
	if (!map_options_in_scope(&g->opt, cur->dn)) {
		snprintf(why, AGENT_GATE_WHY_SIZE, "the object is outside "
		    "ldap.write_scope");
		goto done;
	}
	if (protected_obj(g, cur, r, sizeof(r))) {
		snprintf(why, AGENT_GATE_WHY_SIZE, "protected object (%s)", r);
		goto done;
	}
	st = check_chain(g, cur, &prot, why, read_st, err);
	if (st == SB_OK && !prot)
		*ok = 1;
done:
	dirobj_free(cur);
	return st;
}

/* A move or a creation lands in an allowed OU inside the write scope. */
static int
check_destination(struct agent_gate *g, const struct change *c, char *why)
{
	char r[MAP_PROTECT_REASON_SIZE];
	struct sb_error perr;
	char *parent = NULL;
	const char *ou;
	int ok;

	if (c->op == MAP_CHANGE_RENAME) {
		if (c->new_superior == NULL)
			return 1;	/* a rename in place: the target check holds */
		ou = c->new_superior;
	} else {
		if (map_dn_parent(c->dn, &parent, &perr) != SB_OK) {
			snprintf(why, AGENT_GATE_WHY_SIZE, "its DN has no parent");
			return 0;
		}
		ou = parent;
	}
	ok = map_placement_allowed(ou, &g->opt, r, sizeof(r));
	if (!ok)
		snprintf(why, AGENT_GATE_WHY_SIZE, "%s refused: %s",
		    c->op == MAP_CHANGE_RENAME ? "the move" : "the creation", r);
	free(parent);
	return ok;
}

/* ---- member values ---- */

/* Per member value: 0 unknown (not read), 1 may be written, 2 protected. */
struct members {
	const struct agent_gate	*g;
	const struct sb_bytes	**vals;
	unsigned char		*verdict;
	char			**reason;	/* per value, for protected ones */
	size_t			 n;
	size_t			 from, to;	/* the batch searched */
};

static enum sb_status
member_entry(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct members *m = arg;
	char r[MAP_PROTECT_REASON_SIZE];
	size_t i;
	int prot;

	prot = protected_obj(m->g, o, r, sizeof(r));
	for (i = m->from; i < m->to; i++) {
		if (m->verdict[i] != 0 || o->dn == NULL ||
		    !map_dn_equal((const char *)m->vals[i]->p, o->dn))
			continue;
		m->verdict[i] = prot ? 2 : 1;
		if (prot && (m->reason[i] = strdup(r)) == NULL) {
			dirobj_free(o);
			return sb_fail(err, SB_BUG, ENOMEM, "gate",
			    "out of memory");
		}
	}
	dirobj_free(o);
	return SB_OK;
}

/* Appends the NUL-terminated s to the string *buf of length *len. */
static int
append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *nb;

	nb = realloc(*buf, *len + n + 1);
	if (nb == NULL)
		return 0;
	memcpy(nb + *len, s, n + 1);
	*buf = nb;
	*len += n;
	return 1;
}

/* Looks up vals[from..to) in one search of the domain by distinguishedName. */
static enum sb_status
lookup_batch(struct agent_gate *g, struct members *m, enum sb_status *read_st,
    struct sb_error *err)
{
	struct sb_error serr;
	char *filter = NULL, *eq;
	size_t i, len = 0, nterms = 0;
	enum sb_status st = SB_OK;
	int mem = append(&filter, &len, "(|");

	for (i = m->from; mem && st == SB_OK && i < m->to; i++) {
		if (memchr(m->vals[i]->p, '\0', m->vals[i]->len) != NULL)
			continue;	/* not a DN: stays unknown */
		st = ad_filter_eq("distinguishedName", m->vals[i]->p,
		    m->vals[i]->len, &eq, err);
		if (st == SB_SKIP) {
			st = SB_OK;
			continue;
		}
		if (st != SB_OK)
			break;
		mem = append(&filter, &len, eq);
		free(eq);
		nterms++;
	}
	if (mem)
		mem = append(&filter, &len, ")");
	if (!mem) {
		free(filter);
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	}
	if (st == SB_OK && nterms > 0) {
		st = ad_search(g->ad, g->domain, AD_SCOPE_SUB, filter,
		    protect_attrs, member_entry, m, &serr);
		if (st == SB_BUG) {
			*err = serr;
		} else if (st != SB_OK) {
			*read_st = st;	/* the batch stays unknown: refused */
			st = SB_OK;
		}
	}
	free(filter);
	return st;
}

static void
members_free(struct members *m)
{
	size_t i;

	for (i = 0; m->reason != NULL && i < m->n; i++)
		free(m->reason[i]);
	free(m->reason);
	free(m->verdict);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static int
is_member_delta(const struct delta *d)
{
	return strcasecmp(d->attr, "member") == 0;
}

/* Every member value of c's ADD and DELETE deltas, looked up in AD. */
static enum sb_status
lookup_members(struct agent_gate *g, const struct change *c,
    struct members *m, enum sb_status *read_st, struct sb_error *err)
{
	const struct delta *d;
	enum sb_status st = SB_OK;
	size_t i, j, n = 0;

	memset(m, 0, sizeof(*m));
	m->g = g;
	for (i = 0; i < c->ndeltas; i++)
		if (is_member_delta(&c->deltas[i]))
			n += c->deltas[i].nvals;
	m->vals = calloc(n + 1, sizeof(*m->vals));
	m->verdict = calloc(n + 1, sizeof(*m->verdict));
	m->reason = calloc(n + 1, sizeof(*m->reason));
	if (m->vals == NULL || m->verdict == NULL || m->reason == NULL) {
		members_free(m);
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	}
	for (i = 0; i < c->ndeltas; i++) {
		d = &c->deltas[i];
		for (j = 0; is_member_delta(d) && j < d->nvals; j++)
			m->vals[m->n++] = &d->vals[j];
	}
	for (m->from = 0; st == SB_OK && m->from < m->n; m->from = m->to) {
		m->to = m->from + GATE_MEMBER_BATCH < m->n ?
		    m->from + GATE_MEMBER_BATCH : m->n;
		st = lookup_batch(g, m, read_st, err);
	}
	return st;
}

/* Appends to why (bounded): "; value: reason". */
static void
why_append(char *why, const struct sb_bytes *v, const char *reason)
{
	size_t len = strlen(why);

	if (len + 8 >= AGENT_GATE_WHY_SIZE)
		return;
	snprintf(why + len, AGENT_GATE_WHY_SIZE - len, "%smember %.*s: %s",
	    len > 0 ? "; " : "", (int)(v->len > 200 ? 200 : v->len),
	    (const char *)v->p, reason);
}

/*
 * Member values of c: a protected one, or one AD does not show, is taken
 * out.  *v: PASS (all fine), TRIMMED (*trimmed holds the rest) or REFUSED
 * (nothing left).
 */
static enum sb_status
check_members(struct agent_gate *g, const struct change *c,
    enum gate_verdict *v, struct change *trimmed, char *why,
    enum sb_status *read_st, struct sb_error *err)
{
	struct members m;
	enum sb_status st;
	size_t i, nbad = 0, nkept = 0;

	for (i = 0; i < c->ndeltas; i++)
		if (is_member_delta(&c->deltas[i]) &&
		    c->deltas[i].op == MAP_DELTA_REPLACE) {
			*v = GATE_REFUSED;
			snprintf(why, AGENT_GATE_WHY_SIZE, "member is written "
			    "value by value only, never replaced whole");
			return SB_OK;
		}
	st = lookup_members(g, c, &m, read_st, err);
	if (st != SB_OK)
		return st;
	for (i = 0; i < m.n; i++) {
		if (m.verdict[i] == 1)
			continue;
		nbad++;
		why_append(why, m.vals[i], m.verdict[i] == 2 ? m.reason[i] :
		    "not found in AD: cannot tell it is not protected");
	}
	if (nbad == 0) {
		*v = GATE_PASS;
	} else {
		for (i = 0; i < m.n; i++)
			m.verdict[i] = m.verdict[i] == 1;
		st = map_change_filter_values(c, "member", m.verdict, trimmed,
		    &nkept, err);
		/* A creation is sent without them; a modify only if any is left. */
		*v = st == SB_OK && (c->op == MAP_CHANGE_ADD || nkept > 0 ||
		    trimmed->ndeltas > 0) ? GATE_TRIMMED : GATE_REFUSED;
		if (*v == GATE_REFUSED && st == SB_OK)
			map_change_clear(trimmed);
	}
	members_free(&m);
	return st;
}

enum sb_status
agent_gate_check(struct agent_gate *g, const struct change *c,
    const char *guid, enum gate_verdict *v, struct change *trimmed,
    char *why, enum sb_status *read_st, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	int ok = 1;

	*v = GATE_REFUSED;
	*read_st = SB_OK;
	why[0] = '\0';
	memset(trimmed, 0, sizeof(*trimmed));
	if (c->op != MAP_CHANGE_ADD)
		st = check_target(g, c, guid, &ok, why, read_st, err);
	if (st != SB_OK || !ok)
		return st;
	if ((c->op == MAP_CHANGE_ADD || c->op == MAP_CHANGE_RENAME) &&
	    !check_destination(g, c, why))
		return SB_OK;
	if (c->op == MAP_CHANGE_ADD && !map_options_in_scope(&g->opt, c->dn)) {
		snprintf(why, AGENT_GATE_WHY_SIZE, "the creation is outside "
		    "ldap.write_scope");
		return SB_OK;
	}
	if (c->op == MAP_CHANGE_RENAME || c->op == MAP_CHANGE_DELETE) {
		*v = GATE_PASS;
		return SB_OK;
	}
	return check_members(g, c, v, trimmed, why, read_st, err);
}

/* A refused-kind finding for c, naming its DN and cloud object. */
static enum sb_status
refusal_finding(struct plan *p, const struct change *c, const char *what,
    const char *why, struct sb_error *err)
{
	struct dirobj ad, cloud;

	memset(&ad, 0, sizeof(ad));
	memset(&cloud, 0, sizeof(cloud));
	ad.dn = c->dn;
	cloud.cloud_id = c->cloud_id;
	cloud.display_name = c->display_name;
	return map_plan_add_finding(p, err, MAP_FINDING_REFUSED, &ad,
	    c->cloud_id || c->display_name ? &cloud : NULL, NULL,
	    "%s at the write gate: %s", what, why);
}

/* The DN a RENAME gives its object; NULL when out of memory or not a DN. */
static char *
renamed_dn(const struct change *c)
{
	struct sb_error perr;
	char *parent = NULL, *dn;
	const char *sup = c->new_superior;
	size_t n;

	if (sup == NULL) {
		if (map_dn_parent(c->dn, &parent, &perr) != SB_OK)
			return NULL;
		sup = parent;
	}
	n = strlen(c->new_rdn) + strlen(sup) + 2;
	dn = malloc(n);
	if (dn != NULL)
		snprintf(dn, n, "%s,%s", c->new_rdn, sup);
	free(parent);
	return dn;
}

/*
 * What an earlier kept change of p (changes[0..k)) does to dn, which the
 * screen cannot see in AD yet: 1 it creates dn, 2 it moves an object to
 * dn (*from: the DN it has now, borrowed), 0 neither.
 */
static int
earlier_effect(const struct plan *p, size_t k, const char *dn,
    const char **from)
{
	const struct change *e;
	char *to;
	int hit;

	while (k-- > 0) {
		e = &p->changes[k];
		if (e->op == MAP_CHANGE_ADD && map_dn_equal(e->dn, dn))
			return 1;
		if (e->op != MAP_CHANGE_RENAME || e->new_rdn == NULL)
			continue;
		to = renamed_dn(e);
		hit = to != NULL && map_dn_equal(to, dn);
		free(to);
		if (hit) {
			*from = e->dn;
			return 2;
		}
	}
	return 0;
}

/*
 * The screen's check of change k of p: as agent_gate_check, but an object
 * an earlier change of the plan creates or moves is judged as it will be
 * (created: scope and members only; moved: at the DN it has now).  The
 * writer checks every change again when its turn comes.
 */
static enum sb_status
screen_one(struct agent_gate *g, const struct plan *p, size_t k,
    const struct change *c, const char *guid, enum gate_verdict *v,
    struct change *trimmed, char *why, enum sb_status *rst,
    struct sb_error *err)
{
	const char *from = NULL;
	struct change as_now;
	enum sb_status st;
	char *dn;

	switch (earlier_effect(p, k, c->dn, &from)) {
	case 1:
		*v = GATE_REFUSED;
		*rst = SB_OK;
		why[0] = '\0';
		memset(trimmed, 0, sizeof(*trimmed));
		if (!map_options_in_scope(&g->opt, c->dn)) {
			snprintf(why, AGENT_GATE_WHY_SIZE, "the object is "
			    "outside ldap.write_scope");
			return SB_OK;
		}
		if (c->op != MAP_CHANGE_MODIFY) {
			*v = GATE_PASS;
			return SB_OK;
		}
		return check_members(g, c, v, trimmed, why, rst, err);
	case 2:
		as_now = *c;
		as_now.dn = (char *)(uintptr_t)from;
		st = agent_gate_check(g, &as_now, guid, v, trimmed, why, rst,
		    err);
		if (st != SB_OK || *v != GATE_TRIMMED)
			return st;
		dn = strdup(c->dn);
		if (dn == NULL) {
			map_change_clear(trimmed);
			return sb_fail(err, SB_BUG, ENOMEM, "gate",
			    "out of memory");
		}
		free(trimmed->dn);
		trimmed->dn = dn;
		return SB_OK;
	default:
		return agent_gate_check(g, c, guid, v, trimmed, why, rst, err);
	}
}

enum sb_status
agent_gate_screen(struct agent_gate *g, struct plan *p, const char **guids,
    size_t *nrefused, struct sb_error *err)
{
	char why[AGENT_GATE_WHY_SIZE];
	struct change trimmed;
	enum gate_verdict v;
	enum sb_status st = SB_OK, rst;
	size_t i, k;

	*nrefused = 0;
	for (i = 0, k = 0; i < p->nchanges; i++) {
		if (st == SB_OK)
			st = screen_one(g, p, k, &p->changes[i], guids ?
			    guids[i] : "", &v, &trimmed, why, &rst, err);
		if (st != SB_OK) {
			v = GATE_PASS;	/* keep the rest as it is; the caller fails */
		} else if (v == GATE_REFUSED) {
			st = refusal_finding(p, &p->changes[i], "refused", why,
			    err);
			map_change_clear(&p->changes[i]);
			(*nrefused)++;
			continue;
		} else if (v == GATE_TRIMMED) {
			st = refusal_finding(p, &p->changes[i], "member values "
			    "taken out", why, err);
			map_change_clear(&p->changes[i]);
			p->changes[i] = trimmed;
		}
		if (k != i) {
			p->changes[k] = p->changes[i];
			memset(&p->changes[i], 0, sizeof(p->changes[i]));
			if (guids != NULL)
				guids[k] = guids[i];
		}
		k++;
	}
	p->nchanges = k;
	return st;
}

enum sb_status
agent_gate_open(struct ad_conn *ad, const struct conf *conf,
    struct agent_state *s, struct agent_gate **out, struct sb_error *err)
{
	struct flap_list q = { NULL, 0 };
	const char **guids = NULL;
	enum sb_status st = SB_OK;
	size_t i;

	if (s != NULL)
		st = agent_flap_quarantined(s, &q, err);
	if (st != SB_OK)
		return st;
	guids = calloc(q.n + 1, sizeof(*guids));
	if (guids == NULL) {
		agent_flap_list_free(&q);
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	}
	for (i = 0; i < q.n; i++)
		guids[i] = q.v[i].guid;
	st = agent_gate_new(ad, conf, guids, q.n, out, err);
	free(guids);
	agent_flap_list_free(&q);
	return st;
}
