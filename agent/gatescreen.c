/* The write gate over a whole plan before anything is written (undo's). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/gatecheck.h"
#include "agent/gatemembers.h"
#include "agent/gatecache.h"
#include "agent/gatescreen.h"
#include "agent/gatetypes.h"
#include "mapping/dn.h"

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
		return agent_gate_check_members(g, c, v, trimmed, why, rst,
		    err);
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
	/* Nothing is written meanwhile: the reads are kept (gatecache.h). */
	st = agent_gate_keep_reads(g, p, guids, err);
	if (st != SB_OK)
		return st;
	for (i = 0, k = 0; i < p->nchanges; i++) {
		if (st == SB_OK)
			st = screen_one(g, p, k, &p->changes[i], guids ?
			    guids[i] : "", &v, &trimmed, why, &rst, err);
		if (st != SB_OK) {
			v = GATE_PASS;	/* keep the rest; the caller fails */
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
	agent_gate_forget(g);
	return st;
}
