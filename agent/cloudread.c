/*
 * The per-object cloud reads of a cycle, after the listings: the source of
 * authority of the candidates and the managers of isCloudManaged users,
 * each through $batch (cloud/nav.h), their answers put into the cloud
 * objects the planner reads (mapping/plan.h) or set aside as findings
 * (agent/skips.h).
 */
#include <stdlib.h>
#include <string.h>

#include "agent/cloudread.h"
#include "mapping/log.h"
#include "cloud/nav.h"
#include "mapping/cloudid.h"

/* A candidate for the SOA read: on-premises anchors, not syncing. */
static int
soa_candidate(const struct dirobj *o, enum dirobj_kind kind)
{
	return o->kind == kind && (o->immutable_id != NULL ||
	    o->sid_string != NULL) && o->sync_enabled != SB_TRI_TRUE;
}

/*
 * Of n candidates, how many unreadable answers a run takes as findings:
 * a few percent (one at least).  More, or every candidate unreadable, is
 * not bad luck but a reply soabridge does not understand: the run stops.
 */
static size_t
soa_unreadable_allowed(size_t n)
{
	size_t allowed = n * AGENT_SOA_UNREADABLE_PCT / 100;

	return allowed > 0 ? allowed : 1;
}

/* The candidates' answers into the objects; the others set aside. */
static enum sb_status
apply_soa(struct dirset *objs, struct agent_skips *skips,
    enum dirobj_kind kind, const struct cloud_soa *v, size_t *nbad,
    struct sb_error *err)
{
	enum sb_status st = SB_OK;
	struct dirobj *o;
	size_t i, n = 0;

	*nbad = 0;
	for (i = 0; st == SB_OK && i < objs->n; i++) {
		o = objs->objs[i];
		if (!soa_candidate(o, kind))
			continue;
		switch (v[n].state) {
		case CLOUD_SOA_TRUE:
			o->cloud_managed = SB_TRI_TRUE;
			break;
		case CLOUD_SOA_FALSE:
			o->cloud_managed = SB_TRI_FALSE;
			break;
		case CLOUD_SOA_GONE:
			st = agent_skips_object(skips, o,
			    MAP_FINDING_GONE_IN_CLOUD, NULL, 1, v[n].why, err);
			break;
		case CLOUD_SOA_UNREADABLE:
			(*nbad)++;
			st = agent_skips_object(skips, o,
			    MAP_FINDING_SOA_UNREADABLE, NULL, 1, v[n].why, err);
			break;
		}
		n++;
	}
	return st;
}

/*
 * SOA is read only for candidates: objects with on-premises anchors whose
 * onPremisesSyncEnabled is not true (graph-exo-protocol.md section 3).  A
 * candidate whose answer is unreadable, or gone, is set aside with a
 * finding (agent/skips.h); too many unreadable ones stop the run.
 */
enum sb_status
agent_cloudread_soa(struct cloud_client *cl, struct dirset *objs,
    struct agent_skips *skips, enum dirobj_kind kind, struct sb_error *err)
{
	const char **ids = NULL;
	struct cloud_soa *v = NULL;
	struct dirobj *o;
	enum sb_status st;
	size_t i, n = 0, nbad = 0;

	ids = calloc(objs->n + 1, sizeof(*ids));
	v = calloc(objs->n + 1, sizeof(*v));
	if (ids == NULL || v == NULL) {
		st = sb_fail(err, SB_BUG, 0, "cycle.soa", "out of memory");
		goto done;
	}
	for (i = 0; i < objs->n; i++) {
		o = objs->objs[i];
		if (soa_candidate(o, kind))
			ids[n++] = o->cloud_id;
	}
	log_info("graph.soa kind=%s candidates=%zu of=%zu",
	    dirobj_kind_name(kind), n, objs->n);
	st = n ? cloud_nav_soa(cl, kind, ids, n, v, err) : SB_OK;
	if (st == SB_OK)
		st = apply_soa(objs, skips, kind, v, &nbad, err);
	if (st != SB_OK)
		goto done;
	if (nbad > 0)
		log_warn("graph.soa kind=%s unreadable=%zu candidates=%zu "
		    "allowed=%zu", dirobj_kind_name(kind), nbad, n,
		    soa_unreadable_allowed(n));
	if (nbad > soa_unreadable_allowed(n) || (nbad > 0 && nbad == n))
		st = sb_fail(err, SB_STOP, 0, "graph.soa", "the source of "
		    "authority of %zu of %zu candidate %ss could not be read "
		    "(a reply without a boolean isCloudManaged; more than %d%% "
		    "or all of them): soabridge cannot tell which objects the "
		    "cloud owns, so this run writes nothing; run again with -v "
		    "and report the reply (graph.soa lines) if it persists",
		    nbad, n, dirobj_kind_name(kind),
		    AGENT_SOA_UNREADABLE_PCT);
done:
	free(ids);
	if (v != NULL)
		cloud_nav_soa_free(v, n);
	free(v);
	return st;
}

/* A user whose identity class the cloud owns: its manager is read. */
static int
manager_wanted(const struct dirobj *o)
{
	return o->kind == DIROBJ_USER && o->cloud_managed == SB_TRI_TRUE;
}

/* One user's manager as the planner reads it (mapping/plan.h). */
static enum sb_status
apply_manager(struct agent_skips *skips, struct dirobj *o,
    const struct cloud_manager *m, struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];

	switch (m->state) {
	case CLOUD_MGR_SET:
		return dirobj_add_str(o, "manager", m->id, err);
	case CLOUD_MGR_NONE:		/* present, no value: clears AD's */
		return dirobj_touch(o, "manager", err);
	case CLOUD_MGR_GONE:
		return agent_skips_object(skips, o,
		    MAP_FINDING_GONE_IN_CLOUD, NULL, 0, m->why, err);
	case CLOUD_MGR_FAILED:		/* absent: AD's manager stays */
		log_warn("graph.managers user=\"%s\" result=unread (manager "
		    "left alone): %s", map_cloudid_show(o->cloud_id, shown,
		    sizeof(shown)), m->why);
		break;
	}
	return SB_OK;
}

/*
 * Managers of the users whose identity the cloud owns, in $batch: the
 * listing asks for none ($expand=manager would cap its pages at 100), and
 * no other user's manager is ever written.  A manager attribute left
 * absent means "not read": AD's stays.
 */
enum sb_status
agent_cloudread_managers(struct cloud_client *cl, struct dirset *objs,
    struct agent_skips *skips, struct sb_error *err)
{
	struct cloud_manager *v = NULL;
	const char **ids = NULL;
	struct dirobj *o;
	enum sb_status st = SB_OK;
	size_t i, n = 0, k;

	for (i = 0; i < objs->n; i++)
		n += manager_wanted(objs->objs[i]);
	log_info("graph.managers users=%zu of=%zu", n, objs->n);
	if (n == 0)
		return SB_OK;
	ids = calloc(n, sizeof(*ids));
	v = calloc(n, sizeof(*v));
	if (ids == NULL || v == NULL) {
		st = sb_fail(err, SB_BUG, 0, "cycle.managers", "out of memory");
		goto done;
	}
	for (i = 0, k = 0; i < objs->n; i++)
		if (manager_wanted(objs->objs[i]))
			ids[k++] = objs->objs[i]->cloud_id;
	st = cloud_nav_managers(cl, ids, n, v, err);
	for (i = 0, k = 0; st == SB_OK && i < objs->n; i++) {
		o = objs->objs[i];
		if (manager_wanted(o))
			st = apply_manager(skips, o, &v[k++], err);
	}
done:
	if (v != NULL)
		cloud_nav_managers_free(v, n);
	free(v);
	free(ids);
	return st;
}
