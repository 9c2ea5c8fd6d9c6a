/* Groups: authority, what to read, and each group's changes and findings. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adindex.h"
#include "authority.h"
#include "diff.h"
#include "dn.h"
#include "groupchg.h"
#include "groups.h"
#include "members.h"
#include "placement.h"
#include "protect.h"
#include "provision.h"

#define NEST_MAX	MAP_GROUPS_NEST_MAX

/* Per cloud group: what the first passes decided. */
struct gstate {
	unsigned	 classes;	/* owned and writable (joined groups) */
	const char	*rule;
	char		*move_to;	/* joined: the OU to move it to */
	char		*new_dn;	/* provisioned now: its DN */
	char		*sam;
	size_t		 planned;	/* index in planned_dn */
};

struct gctx {
	struct plan			*p;
	const struct map_join		*j;
	const struct dirset		*ad;
	const struct dirset		*cloud;
	const struct map_options	*opt;
	struct map_adindex		 ix;
	struct gstate			*gs;		/* per cloud object */
	struct map_strmap		*planned;	/* cloud id -> planned_dn */
	char				**planned_dn;	/* borrowed from gs */
	size_t				 nplanned;
};

/* ---- protection by nesting ---- */

/*
 * The AD object named by memberOf value v: *found and *up when it was
 * read; else *found is 0 and reason says which parent could not be told.
 */
static enum sb_status
parent_of(struct gctx *g, const struct sb_bytes *v,
    const struct dirobj **up, int *found, char *reason, size_t reasonsz,
    struct sb_error *err)
{
	char *norm = NULL;
	enum sb_status st;
	size_t k;

	*found = 0;
	if (memchr(v->p, '\0', v->len) != NULL) {
		snprintf(reason, reasonsz, "a memberOf value holds a NUL byte: "
		    "cannot tell it is not nested in a protected group");
		return SB_OK;
	}
	st = map_dn_normalize((const char *)v->p, &norm, err);
	if (st == SB_SKIP) {
		snprintf(reason, reasonsz, "memberOf \"%.200s\" is not a DN: "
		    "cannot tell it is not nested in a protected group",
		    (const char *)v->p);
		return SB_OK;
	}
	if (st != SB_OK)
		return st;
	if (map_adindex_dn(&g->ix, norm, &k) && k != MAP_ADINDEX_PLANNED) {
		*up = g->ad->objs[k];
		*found = 1;
	} else {
		snprintf(reason, reasonsz, "nested in %.200s, which soabridge "
		    "could not read (outside ldap.base_dn and not readable, or "
		    "gone): cannot tell it is not protected",
		    (const char *)v->p);
	}
	free(norm);
	return SB_OK;
}

/*
 * 1 when AD group g sits, directly or through other groups, in a protected
 * group: its members would hold that group's rights, so writing its
 * membership is writing the protected group's.  A parent that was not read
 * (the agent reads the parents outside ldap.base_dn, agent/cycle.c; one
 * it could not read stays missing) counts as protected: what cannot be
 * resolved is never taken as harmless.  The reason names the parent.
 */
static enum sb_status
nested_protected(struct gctx *g, const struct dirobj *grp, int *prot,
    char *reason, size_t reasonsz, struct sb_error *err)
{
	char why[MAP_PROTECT_REASON_SIZE];
	const struct dirobj **queue = NULL, *o, *up = NULL;
	const struct dirattr *mo;
	struct map_strmap *seen = NULL;
	enum sb_status st;
	size_t head = 0, tail = 0, i, k;
	int existed, found;

	*prot = 0;
	queue = calloc(NEST_MAX + 1, sizeof(*queue));
	if (queue == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
	st = map_strmap_new(0, &seen, err);
	queue[tail++] = grp;
	while (st == SB_OK && head < tail && !*prot) {
		o = queue[head++];
		mo = dirobj_get(o, "memberOf");
		for (i = 0; st == SB_OK && mo != NULL && i < mo->nvals &&
		    !*prot; i++) {
			st = parent_of(g, &mo->vals[i], &up, &found, reason,
			    reasonsz, err);
			if (st != SB_OK)
				break;
			if (!found) {
				*prot = 1;
				break;
			}
			if (map_protect_check(up, g->opt->base_dn, why,
			    sizeof(why))) {
				snprintf(reason, reasonsz, "nested in %.200s: "
				    "%s", up->dn, why);
				*prot = 1;
				break;
			}
			k = map_adindex_of(&g->ix, up);
			st = map_strmap_put(seen, &k, sizeof(k), k, &existed,
			    err);
			if (st == SB_OK && !existed && tail < NEST_MAX)
				queue[tail++] = up;
		}
	}
	if (st == SB_OK && !*prot && tail >= NEST_MAX) {
		snprintf(reason, reasonsz, "nested more than %d groups deep: "
		    "cannot tell it is not protected", NEST_MAX);
		*prot = 1;
	}
	map_strmap_free(seen);
	free(queue);
	return st;
}

static struct map_member_ctx
member_ctx(const struct gctx *g)
{
	struct map_member_ctx mc;

	mc.j = g->j;
	mc.ix = &g->ix;
	mc.opt = g->opt;
	mc.planned = g->planned;
	mc.planned_dn = g->planned_dn;
	return mc;
}

/* ---- pass 1: joined groups: authority, protection, scope, placement ---- */

static enum sb_status
place_joined(struct gctx *g, const struct map_pair *pr, struct gstate *s,
    struct sb_error *err)
{
	struct map_placement pl;
	char *parent = NULL, *rdn = NULL, *to = NULL;
	enum sb_status st;
	size_t n;

	st = map_placement_target(pr->cloud, g->opt, MAP_PLACE_FOR_EXISTING,
	    &pl, err);
	if (st != SB_OK)
		return st;
	if (pl.refused) {
		st = map_plan_add_finding(g->p, err, MAP_FINDING_PLACEMENT,
		    pr->ad, pr->cloud, NULL, "not moved: the target OU from "
		    "%s is refused: %s", map_placement_source_name(pl.source),
		    pl.reason);
		goto done;
	}
	if (pl.ou == NULL)
		goto done;
	st = map_dn_parent(pr->ad->dn, &parent, err);
	if (st == SB_OK)
		st = map_dn_rdn(pr->ad->dn, &rdn, err);
	if (st == SB_SKIP) {
		st = SB_OK;	/* no parent: nothing to move */
		goto done;
	}
	if (st != SB_OK || map_dn_equal(parent, pl.ou))
		goto done;
	n = strlen(rdn) + strlen(pl.ou) + 2;
	to = malloc(n);
	if (to == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
		goto done;
	}
	snprintf(to, n, "%s,%s", rdn, pl.ou);
	if (map_adindex_dn_taken(&g->ix, to)) {
		st = map_plan_add_finding(g->p, err, MAP_FINDING_PLACEMENT,
		    pr->ad, pr->cloud, NULL, "not moved to %s (from %s): an "
		    "object named %s is there already", pl.ou,
		    map_placement_source_name(pl.source), rdn);
		goto done;
	}
	st = map_adindex_claim_dn(&g->ix, to, err);
	if (st != SB_OK)
		goto done;
	s->move_to = pl.ou;
	pl.ou = NULL;
done:
	map_placement_clear(&pl);
	free(parent);
	free(rdn);
	free(to);
	return st;
}

static enum sb_status
decide_joined(struct gctx *g, const struct map_pair *pr, struct gstate *s,
    struct sb_error *err)
{
	char why[MAP_PROTECT_REASON_SIZE + 256];	/* "nested in DN: why" */
	struct map_group_authority ga;
	enum sb_status st = SB_OK;
	unsigned classes;
	int prot;

	map_group_authority_decide(pr, g->opt, &ga);
	if (ga.conflict != NULL)
		return map_plan_add_finding(g->p, err,
		    MAP_FINDING_INCONSISTENT_SOA, pr->ad, pr->cloud, NULL,
		    "%s", ga.conflict);
	if (ga.handed_back)
		return map_plan_add_finding(g->p, err, MAP_FINDING_HANDED_BACK,
		    pr->ad, pr->cloud, NULL, "isCloudManaged is false and "
		    "Entra Connect has not taken the group over yet: it is "
		    "AD's again (rollback); soabridge no longer writes it");
	classes = ga.classes & g->opt->classes;
	if (classes == 0)
		return SB_OK;	/* AD's (or the configuration writes none) */
	prot = map_protect_check(pr->ad, g->opt->base_dn, why, sizeof(why));
	if (!prot)
		st = nested_protected(g, pr->ad, &prot, why, sizeof(why), err);
	if (st != SB_OK)
		return st;
	if (prot)
		return map_plan_add_finding(g->p, err, MAP_FINDING_PROTECTED,
		    pr->ad, pr->cloud, NULL, "protected group (%s): never "
		    "written although %s", why, ga.rule);
	if (!map_options_in_scope(g->opt, pr->ad->dn))
		return map_plan_add_finding(g->p, err, MAP_FINDING_OUT_OF_SCOPE,
		    pr->ad, pr->cloud, NULL, "outside the write scope: not "
		    "written although %s", ga.rule);
	s->classes = classes;
	s->rule = ga.rule;
	if (classes & MAP_CLASS_PLACEMENT)
		st = place_joined(g, pr, s, err);
	return st;
}

/* ---- pass 2: groups to create: scope, OU, names ---- */

static enum sb_status
decide_new(struct gctx *g, const struct map_pair *pr, struct gstate *s,
    struct sb_error *err)
{
	const struct dirobj *c = pr->cloud;
	enum map_provision_verdict v;
	struct map_placement pl;
	char *cn = NULL, *sam = NULL, *ucn = NULL;
	enum sb_status st;

	if (pr->ambiguous || map_group_has_anchor(c))
		return SB_OK;	/* the join said why it has no pair */
	v = map_provision_decide(c, g->opt);
	if (v != MAP_PROVISION_YES)
		return map_plan_add_finding(g->p, err, MAP_FINDING_CLOUD_ONLY,
		    NULL, c, NULL, "cloud-only group: not provisioned (%s)",
		    map_provision_verdict_text(v));
	st = map_placement_target(c, g->opt, MAP_PLACE_FOR_NEW, &pl, err);
	if (st != SB_OK)
		return st;
	if (pl.ou == NULL) {
		st = map_plan_add_finding(g->p, err, MAP_FINDING_PLACEMENT,
		    NULL, c, NULL, "not created: %s%s%s", pl.refused ?
		    "the target OU from " : "no target OU (set "
		    "groups.default_ou)", pl.refused ?
		    map_placement_source_name(pl.source) : "", pl.refused ?
		    " is refused" : "");
		if (st == SB_OK && pl.refused)
			st = map_plan_add_finding(g->p, err,
			    MAP_FINDING_PLACEMENT, NULL, c, NULL, "not "
			    "created: %s", pl.reason);
		goto done;
	}
	st = map_provision_cn(c->display_name, c->cloud_id, &cn, err);
	if (st == SB_OK)
		st = map_provision_sam(g->opt->groups.sam_pattern, c, &sam,
		    err);
	if (st == SB_OK)
		st = map_provision_claim(&g->ix, cn, sam, pl.ou, &s->new_dn,
		    &ucn, &s->sam, err);
	if (st == SB_SKIP) {
		st = map_plan_add_finding(g->p, err, MAP_FINDING_BAD_VALUE,
		    NULL, c, NULL, "not created: %s", err ? err->text : "no "
		    "free name");
		goto done;
	}
	if (st != SB_OK)
		goto done;
	s->rule = MAP_RULE_PROVISION;
	s->classes = MAP_CLASS_ALL & g->opt->classes;
	if (!map_group_mail_enabled(c))
		s->classes &= ~(unsigned)MAP_CLASS_EXCHANGE;
	s->planned = g->nplanned;
	g->planned_dn[g->nplanned++] = s->new_dn;
	st = map_strmap_put_str(g->planned, c->cloud_id, s->planned, NULL,
	    err);
done:
	map_placement_clear(&pl);
	free(cn);
	free(sam);
	free(ucn);
	return st;
}

/* ---- pass 3: the changes ---- */

static enum sb_status
plan_joined(struct gctx *g, const struct map_pair *pr, struct gstate *s,
    struct sb_error *err)
{
	struct map_member_ctx mc = member_ctx(g);
	struct map_member_diff md = { NULL, 0, NULL, 0, 0 };
	struct map_chlist l = { NULL, 0, 0 };
	struct dirobj *want = NULL;
	struct change *c;
	enum sb_status st;

	st = map_group_desired(pr->cloud, s->classes, g->opt, &want, err);
	if (st == SB_OK)
		st = map_chlist_start(&l, MAP_CHANGE_MODIFY, pr->ad, pr->cloud,
		    NULL, s->rule, &c, err);
	if (st == SB_OK)
		st = map_diff_opt(want, pr->ad, g->opt, c, err);
	if (st == SB_OK && (s->classes & MAP_CLASS_MEMBERSHIP) &&
	    pr->cloud->members_read) {
		st = map_members_diff(&mc, pr->ad, pr->ad->dn, pr->cloud, g->p,
		    &md, err);
		if (st == SB_OK)
			st = map_chlist_members(&l, 0, pr->ad, pr->cloud, NULL,
			    s->rule, &md, err);
	}
	if (st == SB_OK && s->move_to != NULL)
		st = map_chlist_move(&l, pr, s->move_to, s->rule, err);
	if (st == SB_OK)
		st = map_chlist_commit(&l, g->p, err);
	map_chlist_free(&l);
	map_member_diff_clear(&md);
	dirobj_free(want);
	return st;
}

static enum sb_status
plan_new(struct gctx *g, const struct map_pair *pr, struct gstate *s,
    struct sb_error *err)
{
	struct map_member_ctx mc = member_ctx(g);
	struct map_member_diff md = { NULL, 0, NULL, 0, 0 };
	struct map_chlist l = { NULL, 0, 0 };
	enum sb_status st;

	st = map_chlist_add_group(&l, pr->cloud, s->new_dn, s->sam,
	    s->classes, s->rule, g->opt, err);
	if (st == SB_OK && (s->classes & MAP_CLASS_MEMBERSHIP) &&
	    pr->cloud->members_read) {
		st = map_members_diff(&mc, NULL, s->new_dn, pr->cloud, g->p,
		    &md, err);
		if (st == SB_OK)
			st = map_chlist_members(&l, SIZE_MAX, NULL, pr->cloud,
			    s->new_dn, s->rule, &md, err);
	}
	if (st == SB_OK)
		st = map_chlist_commit(&l, g->p, err);
	map_chlist_free(&l);
	map_member_diff_clear(&md);
	return st;
}

/* ---- pass 4: provisioned groups gone from the cloud ---- */

static enum sb_status
plan_gone(struct gctx *g, size_t i, struct sb_error *err)
{
	const struct dirobj *o = g->ad->objs[i];
	char why[MAP_PROTECT_REASON_SIZE], id[80];
	struct map_chlist l = { NULL, 0, 0 };
	const char *wid;
	enum sb_status st;
	size_t len = 0;

	wid = map_join_writeback_id(o, &len);
	snprintf(id, sizeof(id), "%.*s", (int)len, wid ? wid : "");
	if (map_protect_check(o, g->opt->base_dn, why, sizeof(why)))
		return map_plan_add_finding(g->p, err, MAP_FINDING_PROTECTED, o,
		    NULL, NULL, "provisioned group %s is gone from the cloud, "
		    "but it is protected (%s): never deleted", id, why);
	if (!g->opt->groups.delete_removed)
		return map_plan_add_finding(g->p, err,
		    MAP_FINDING_CLOUD_DELETED, o, NULL, NULL, "its cloud "
		    "group %s is gone (deleted in the cloud): kept in AD "
		    "(groups.delete = false)", id);
	/*
	 * The anchor alone proves nothing (anyone may write it, Microsoft's
	 * writeback does): only a group soabridge's journal shows it created.
	 */
	if (!map_options_created(g->opt, &o->guid))
		return map_plan_add_finding(g->p, err,
		    MAP_FINDING_CLOUD_DELETED, o, NULL, NULL, "its cloud "
		    "group %s is gone (deleted in the cloud), but soabridge's "
		    "journal does not show that soabridge created it: not "
		    "created by soabridge: not deleted", id);
	if (!map_options_in_scope(g->opt, o->dn))
		return map_plan_add_finding(g->p, err,
		    MAP_FINDING_OUT_OF_SCOPE, o, NULL, NULL, "its cloud "
		    "group %s is gone, but it is outside the write scope: not "
		    "deleted", id);
	st = map_chlist_delete(&l, o, id, err);
	if (st == SB_OK)
		st = map_chlist_commit(&l, g->p, err);
	map_chlist_free(&l);
	return st;
}

/* ---- the whole ---- */

static void
gctx_free(struct gctx *g)
{
	size_t i;

	for (i = 0; g->gs != NULL && i < g->cloud->n; i++) {
		free(g->gs[i].move_to);
		free(g->gs[i].new_dn);
		free(g->gs[i].sam);
	}
	free(g->gs);
	free(g->planned_dn);
	map_strmap_free(g->planned);
	if (g->ix.ad != NULL)
		map_adindex_free(&g->ix);
}

/* Anything to do: a cloud group, or an AD group with a writeback anchor. */
static int
any_group(const struct dirset *ad, const struct dirset *cloud)
{
	size_t i, len;

	for (i = 0; i < cloud->n; i++)
		if (cloud->objs[i]->kind == DIROBJ_GROUP)
			return 1;
	for (i = 0; i < ad->n; i++)
		if (map_join_writeback_id(ad->objs[i], &len) != NULL)
			return 1;
	return 0;
}

enum sb_status
map_groups_plan(struct plan *p, const struct map_join *j,
    const struct dirset *ad, const struct dirset *cloud,
    const struct map_options *opt, struct sb_error *err)
{
	const struct map_pair *pr;
	struct gctx g;
	enum sb_status st;
	size_t i;

	if (!any_group(ad, cloud))
		return SB_OK;
	memset(&g, 0, sizeof(g));
	g.p = p;
	g.j = j;
	g.ad = ad;
	g.cloud = cloud;
	g.opt = opt;
	g.gs = calloc(cloud->n + 1, sizeof(*g.gs));
	g.planned_dn = calloc(cloud->n + 1, sizeof(*g.planned_dn));
	if (g.gs == NULL || g.planned_dn == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.groups",
		    "out of memory");
		goto done;
	}
	st = map_strmap_new(MAP_STRMAP_CI, &g.planned, err);
	if (st == SB_OK)
		st = map_adindex_build(ad, j, &g.ix, err);
	/* Existing groups claim their target DNs before new ones pick names. */
	for (i = 0; st == SB_OK && i < map_join_count(j); i++) {
		pr = map_join_pair(j, i);
		if (pr->cloud->kind == DIROBJ_GROUP && pr->ad != NULL)
			st = decide_joined(&g, pr, &g.gs[i], err);
	}
	for (i = 0; st == SB_OK && i < map_join_count(j); i++) {
		pr = map_join_pair(j, i);
		if (pr->cloud->kind == DIROBJ_GROUP && pr->ad == NULL)
			st = decide_new(&g, pr, &g.gs[i], err);
	}
	for (i = 0; st == SB_OK && i < map_join_count(j); i++) {
		pr = map_join_pair(j, i);
		if (pr->cloud->kind != DIROBJ_GROUP || g.gs[i].rule == NULL)
			continue;
		if (pr->ad != NULL)
			st = plan_joined(&g, pr, &g.gs[i], err);
		else
			st = plan_new(&g, pr, &g.gs[i], err);
	}
	for (i = 0; st == SB_OK && i < ad->n; i++)
		if (map_group_gone_from_cloud(j, &g.ix, i, opt))
			st = plan_gone(&g, i, err);
done:
	gctx_free(&g);
	return st;
}
