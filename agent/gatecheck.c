/* The write gate's check of one change: target and nesting re-read in AD. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/gatecache.h"
#include "agent/gatecheck.h"
#include "agent/gatemembers.h"
#include "agent/gateprotect.h"
#include "agent/gatetypes.h"
#include "agent/lease.h"
#include "agent/recover.h"
#include "mapping/codec.h"
#include "mapping/dn.h"
#include "mapping/placement.h"
#include "mapping/protect.h"

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
 * Judges the group read for w->dn[at] (up, NULL: gone) and queues its
 * parents: *prot 1 with why when it is protected or could not be read
 * (rerr's text when the read failed, st its status).
 */
static enum sb_status
judge(struct agent_gate *g, struct walk *w, size_t at, const struct dirobj *up,
    enum sb_status rst, const struct sb_error *rerr, int *prot, char *why,
    enum sb_status *read_st, struct sb_error *err)
{
	char r[MAP_PROTECT_REASON_SIZE];

	if (rst != SB_OK || up == NULL) {
		if (rst != SB_OK)
			*read_st = rst;
		snprintf(why, AGENT_GATE_WHY_SIZE,
		    "nested in %.250s, which "
		    "could not be read (%.150s): counted as protected",
		    w->dn[at], rst != SB_OK ? rerr->text : "no such object");
		*prot = 1;
	} else if (agent_gate_protected(g, up, r, sizeof(r))) {
		snprintf(why, AGENT_GATE_WHY_SIZE, "nested in %.250s: %s",
		    w->dn[at], r);
		*prot = 1;
	} else if (!walk_push(w, up))
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	return SB_OK;
}

/*
 * Walks up from o through memberOf, reading each group in AD at this
 * moment (never from what the planner read, and outside base_dn too),
 * the groups of a level many to a search (agent_gate_reread_dns): *prot 1
 * with why when a group at any depth is protected, or when a group of the
 * chain cannot be read (gone, no rights, an error) or the chain is longer
 * than GATE_CHAIN_MAX groups: what cannot be resolved counts as
 * protected.  A user's primary group is not a memberOf value: Domain
 * Users protects no one.
 */
static enum sb_status
check_chain(struct agent_gate *g, const struct dirobj *o, int *prot,
    char *why, enum sb_status *read_st, struct sb_error *err)
{
	struct dirobj *ups[GATE_PREFETCH_MAX];
	struct walk w = { NULL, 0 };
	struct sb_error rerr;
	enum sb_status st = SB_OK, rst;
	size_t at = 0, k, n;

	*prot = 0;
	w.dn = calloc(GATE_CHAIN_MAX + 2, sizeof(*w.dn));
	if (w.dn == NULL || !walk_push(&w, o)) {
		walk_free(&w);
		return sb_fail(err, SB_BUG, ENOMEM, "gate", "out of memory");
	}
	while (st == SB_OK && at < w.n && !*prot) {
		if (at >= GATE_CHAIN_MAX) {
			snprintf(why, AGENT_GATE_WHY_SIZE, "nested more than "
			    "%d groups deep: cannot tell it is not protected",
			    GATE_CHAIN_MAX);
			*prot = 1;
			break;
		}
		/* The groups queued and not read yet, together. */
		n = w.n - at;
		if (n > GATE_PREFETCH_MAX)
			n = GATE_PREFETCH_MAX;
		if (at + n > GATE_CHAIN_MAX)
			n = GATE_CHAIN_MAX - at;
		memset(&rerr, 0, sizeof(rerr));
		rst = agent_gate_reread_dns(g, (const char *const *)&w.dn[at],
		    n, ups, &rerr);
		if (rst == SB_BUG) {
			*err = rerr;
			st = rst;
		}
		for (k = 0; st == SB_OK && k < n && !*prot; k++)
			st = judge(g, &w, at + k, ups[k], rst, &rerr, prot, why,
			    read_st, err);
		for (k = 0; k < n; k++)
			dirobj_free(ups[k]);
		at += n;
	}
	walk_free(&w);
	return st;
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
	st = agent_gate_reread(g, GATE_READ_TARGET, guid ? guid : "", c->dn,
	    agent_gate_protect_attrs, &cur, &rerr);
	if (st != SB_OK) {
		*read_st = st;
		snprintf(why, AGENT_GATE_WHY_SIZE, "the object could not be "
		    "read again before the write (%.300s)", rerr.text);
		return SB_OK;
	}
	if (cur == NULL || cur->dn == NULL) {
		snprintf(why, AGENT_GATE_WHY_SIZE,
		    "the object is gone from AD");
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
	if (agent_gate_protected(g, cur, r, sizeof(r))) {
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
			return 1;	/* in place: the target check holds */
		ou = c->new_superior;
	} else {
		if (map_dn_parent(c->dn, &parent, &perr) != SB_OK) {
			snprintf(why, AGENT_GATE_WHY_SIZE,
			    "its DN has no parent");
			return 0;
		}
		ou = parent;
	}
	ok = map_placement_allowed(ou, &g->opt, r, sizeof(r));
	if (!ok)
		snprintf(why, AGENT_GATE_WHY_SIZE, "%s refused: %s",
		    c->op == MAP_CHANGE_RENAME ? "the move" : "the creation",
		    r);
	free(parent);
	return ok;
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
	/* Asked at the moment of the write; without the lease none follows. */
	if (g->lease != NULL &&
	    !agent_lease_guard(g->lease, why, AGENT_GATE_WHY_SIZE)) {
		*read_st = SB_RETRY;
		return SB_OK;
	}
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
	return agent_gate_check_members(g, c, v, trimmed, why, read_st, err);
}
