/* The write gate's life: set up on a connection, conf and quarantines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/gate.h"
#include "agent/gatecache.h"
#include "agent/gatetypes.h"
#include "agent/store/flap.h"
#include "ldap/conn.h"

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
agent_gate_set_lease(struct agent_gate *g, struct agent_lease *lease)
{
	g->lease = lease;
}

void
agent_gate_free(struct agent_gate *g)
{
	size_t i;

	if (g == NULL)
		return;
	agent_gate_forget(g);
	for (i = 0; i < g->nquar; i++)
		free(g->quar[i]);
	free(g->quar);
	free(g);
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
