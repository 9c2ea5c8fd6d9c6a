/* The write gate's check of member values: each one looked up in AD. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/gatemembers.h"
#include "agent/gateprotect.h"
#include "agent/gatetypes.h"
#include "ldap/escape.h"
#include "ldap/search.h"
#include "mapping/dn.h"
#include "mapping/protect.h"

/* Member values looked up per search: keeps the filter a few KB. */
#define GATE_MEMBER_BATCH	50

/* Per member value: 0 unknown (not read), 1 may be written, 2 protected. */
struct members {
	const struct agent_gate	*g;
	const struct sb_bytes	**vals;
	unsigned char		*verdict;
	char			**reason;	/* per protected value */
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

	prot = agent_gate_protected(m->g, o, r, sizeof(r));
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
		    agent_gate_protect_attrs, member_entry, m, &serr);
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
enum sb_status
agent_gate_check_members(struct agent_gate *g, const struct change *c,
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
		/* A creation goes without them; a modify if any is left. */
		*v = st == SB_OK && (c->op == MAP_CHANGE_ADD || nkept > 0 ||
		    trimmed->ndeltas > 0) ? GATE_TRIMMED : GATE_REFUSED;
		if (*v == GATE_REFUSED && st == SB_OK)
			map_change_clear(trimmed);
	}
	members_free(&m);
	return st;
}
