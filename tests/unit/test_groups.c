/* Unit tests of mapping/groups.c: group authority, provisioning, placement, deletion, parts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_mapping.h"
#include "test_groups.h"

#define ANN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define BEN	"CN=Ben,OU=Staff,DC=corp,DC=example"
#define ENG	"CN=SG-Eng," FX_CLOUDG
#define DA	"CN=Domain Admins,CN=Users,DC=corp,DC=example"
#define NEWG	"CN=SG-New," FX_CLOUDG

/* Ann and Ben synced; SG-Eng cloud-managed with Ann as its cloud member. */
static void
world(struct fx_gworld *g, struct dirobj **ad, struct dirobj **cloud)
{
	fx_gworld_init(g);
	fx_user_pair(&g->w, ANN, "id-ann", 1);
	fx_user_pair(&g->w, BEN, "id-ben", 2);
	*ad = fx_ad_group(ENG, 10, 2001);
	fx_set(*ad, "displayName", "SG-Eng", NULL);
	fx_add(&g->w.ad, *ad);
	*cloud = fx_cloud_group("id-eng", "SG-Eng", 2001, SB_TRI_TRUE);
	fx_member(*cloud, "id-ann", "user", "Ann");
	fx_add(&g->w.cloud, *cloud);
}

/* Applies the plan's member and attribute modifies to the AD set. */
static void
apply_modifies(struct dirset *ad, const struct plan *p)
{
	size_t i, k;

	for (i = 0; i < p->nchanges; i++)
		if (p->changes[i].op == MAP_CHANGE_MODIFY)
			for (k = 0; k < ad->n; k++)
				if (strcmp(ad->objs[k]->dn, p->changes[i].dn) ==
				    0)
					fx_apply(ad->objs[k], &p->changes[i]);
}

static void
test_groups_cloud_managed_group_gets_its_cloud_members(void **state)
{
	const struct change *c;
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	p = fx_plan(&g.w);
	c = fx_change(p, ENG);
	assert_non_null(c);
	assert_int_equal(c->op, MAP_CHANGE_MODIFY);
	assert_string_equal(c->rule, "isCloudManaged");
	assert_int_equal(c->kind, DIROBJ_GROUP);
	assert_int_equal(c->nparts, 0);
	assert_int_equal(fx_member_values(p, ENG, MAP_DELTA_ADD), 1);
	assert_true(sb_bytes_eq_str(&fx_delta(c, "member",
	    MAP_DELTA_ADD)->vals[0], ANN));
	apply_modifies(&g.w.ad, p);
	map_plan_free(p);
	p = fx_plan(&g.w);
	assert_int_equal(p->nchanges, 0);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_members_are_written_in_parts_of_five_hundred(void **state)
{
	const struct change *c;
	struct plan_counts n;
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;
	char dn[96], id[32];
	size_t i;

	(void)state;
	world(&g, &ad, &cl);
	for (i = 0; i < 1200; i++) {
		snprintf(dn, sizeof(dn), "CN=U%04zu,OU=Staff,DC=corp,DC=example",
		    i);
		snprintf(id, sizeof(id), "id-u%04zu", i);
		fx_add(&g.w.ad, fx_ad_user(dn, 0, 5000 + (unsigned)i));
		fx_add(&g.w.cloud, fx_cloud_user(id, id, 0, 5000 + (unsigned)i,
		    SB_TRI_TRUE, SB_TRI_FALSE));
		fx_member(cl, id, "user", id);
	}
	fx_set(ad, "member", BEN, NULL);	/* Ben: removed */
	fx_set(cl, "displayName", "SG-Eng renamed", NULL);
	p = fx_plan(&g.w);
	/* 1 delete + 1201 adds = 1202 values: parts of 500, 500, 202. */
	for (i = 0; i < 3; i++) {
		c = fx_change_n(p, ENG, i);
		assert_non_null(c);
		assert_int_equal(c->part, i + 1);
		assert_int_equal(c->nparts, 3);
	}
	assert_null(fx_change_n(p, ENG, 3));
	/* The attribute change rides in part 1, with the deletion first. */
	c = fx_change_n(p, ENG, 0);
	assert_non_null(fx_delta(c, "displayName", MAP_DELTA_REPLACE));
	assert_int_equal(fx_delta(c, "member", MAP_DELTA_DELETE)->nvals, 1);
	assert_int_equal(fx_delta(c, "member", MAP_DELTA_ADD)->nvals, 499);
	/* A member delta's before holds just the values its change deletes. */
	assert_int_equal(fx_delta(c, "member", MAP_DELTA_DELETE)->nbefore, 1);
	assert_int_equal(fx_delta(c, "member", MAP_DELTA_ADD)->nbefore, 1);
	assert_int_equal(fx_delta(fx_change_n(p, ENG, 1), "member",
	    MAP_DELTA_ADD)->nbefore, 0);
	map_plan_count(p, &n);
	assert_int_equal(n.changes, 1);		/* one object */
	assert_int_equal(n.modifies, 3);
	assert_int_equal(n.value_adds, 1201);
	assert_int_equal(n.value_deletes, 1);
	apply_modifies(&g.w.ad, p);
	map_plan_free(p);
	p = fx_plan(&g.w);
	assert_int_equal(p->nchanges, 0);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_an_ad_owned_group_is_never_written(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	cl->cloud_managed = SB_TRI_FALSE;
	cl->sync_enabled = SB_TRI_TRUE;		/* synced by Entra Connect */
	fx_set(cl, "displayName", "Another name", NULL);
	p = fx_plan(&g.w);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(p->nfindings, 0);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_a_rolled_back_group_is_handed_back(void **state)
{
	const struct finding *f;
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	cl->cloud_managed = SB_TRI_FALSE;	/* onPremisesSyncEnabled null */
	p = fx_plan(&g.w);
	assert_int_equal(p->nchanges, 0);
	f = fx_finding(p, MAP_FINDING_HANDED_BACK);
	assert_non_null(f);
	assert_string_equal(f->dn, ENG);
	assert_string_equal(map_finding_kind_name(f->kind), "handed-back");
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_cloud_managed_while_syncing_is_inconsistent(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	cl->sync_enabled = SB_TRI_TRUE;
	p = fx_plan(&g.w);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(fx_findings(p, MAP_FINDING_INCONSISTENT_SOA), 1);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_protected_groups_are_never_written(void **state)
{
	struct dirobj *ad, *cl, *da, *nested, *c2;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	/* The cloud claims Domain Admins' SID, with isCloudManaged. */
	da = fx_ad_group(DA, 20, 512);
	fx_add(&g.w.ad, da);
	c2 = fx_cloud_group("id-da", "Domain Admins", 512, SB_TRI_TRUE);
	fx_member(c2, "id-ann", "user", "Ann");
	fx_add(&g.w.cloud, c2);
	/* A group in OU=Groups nested in Domain Admins. */
	nested = fx_ad_group("CN=SG-Ops," FX_GROUPS, 21, 2002);
	fx_set(nested, "memberOf", "CN=Mid," FX_GROUPS, NULL);
	fx_add(&g.w.ad, nested);
	nested = fx_ad_group("CN=Mid," FX_GROUPS, 22, 2003);
	fx_set(nested, "memberOf", DA, NULL);
	fx_add(&g.w.ad, nested);
	c2 = fx_cloud_group("id-ops", "SG-Ops", 2002, SB_TRI_TRUE);
	fx_member(c2, "id-ann", "user", "Ann");
	fx_add(&g.w.cloud, c2);
	/* DnsAdmins: a privileged group with a dynamic RID. */
	nested = fx_ad_group("CN=DnsAdmins," FX_GROUPS, 23, 1101);
	fx_set(nested, "sAMAccountName", "DnsAdmins", NULL);
	fx_add(&g.w.ad, nested);
	c2 = fx_cloud_group("id-dns", "DnsAdmins", 1101, SB_TRI_TRUE);
	fx_member(c2, "id-ann", "user", "Ann");
	fx_add(&g.w.cloud, c2);
	p = fx_plan(&g.w);
	assert_null(fx_change(p, DA));
	assert_null(fx_change(p, "CN=SG-Ops," FX_GROUPS));
	assert_null(fx_change(p, "CN=DnsAdmins," FX_GROUPS));
	assert_non_null(fx_change(p, ENG));	/* the ordinary one is */
	assert_true(fx_finding_has(p, MAP_FINDING_PROTECTED, DA,
	    "privileged RID 512: Domain Admins"));
	assert_true(fx_finding_has(p, MAP_FINDING_PROTECTED,
	    "CN=SG-Ops," FX_GROUPS, "nested in " DA));
	assert_true(fx_finding_has(p, MAP_FINDING_PROTECTED,
	    "CN=DnsAdmins," FX_GROUPS, "privileged group DnsAdmins"));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_outside_the_write_scope_is_reported(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	assert_int_equal(dirobj_set_str(&ad->dn, "CN=SG-Eng,OU=Outside,"
	    "DC=corp,DC=example", NULL), SB_OK);
	p = fx_plan(&g.w);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(fx_findings(p, MAP_FINDING_OUT_OF_SCOPE), 1);
	map_plan_free(p);
	fx_world_free(&g.w);
}

/* The ADD delta of attr in change c, as a string (its only value). */
static const char *
add_value(const struct change *c, const char *attr)
{
	const struct delta *d = fx_delta(c, attr, MAP_DELTA_ADD);

	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	return (const char *)d->vals[0].p;
}

static void
test_groups_provisioning_creates_then_joins_by_the_anchor(void **state)
{
	const struct change *add, *mem;
	struct dirobj *ad, *cl, *n, *created;
	struct fx_gworld g;
	struct plan *p;
	size_t i;

	(void)state;
	world(&g, &ad, &cl);
	g.w.opt.groups.provision = 1;
	g.w.opt.groups.type = MAP_GROUP_DOMAIN_LOCAL;
	n = fx_cloud_group("id-new", "SG-New", 0, SB_TRI_FALSE);
	fx_set(n, "description", "made in the cloud", NULL);
	fx_member(n, "id-ann", "user", "Ann");
	fx_add(&g.w.cloud, n);
	p = fx_plan(&g.w);
	add = fx_change_n(p, NEWG, 0);
	mem = fx_change_n(p, NEWG, 1);
	assert_non_null(add);
	assert_non_null(mem);
	assert_int_equal(add->op, MAP_CHANGE_ADD);
	assert_string_equal(add->rule, "groups.provision");
	assert_int_equal(add->part, 1);
	assert_int_equal(mem->op, MAP_CHANGE_MODIFY);
	assert_int_equal(mem->part, 2);
	assert_string_equal(add_value(add, "objectClass"), "group");
	assert_string_equal(add_value(add, "sAMAccountName"), "SG-New");
	assert_string_equal(add_value(add, "groupType"), "-2147483644");
	assert_string_equal(add_value(add, "description"), "made in the cloud");
	assert_string_equal(add_value(add, "displayName"), "SG-New");
	assert_string_equal(add_value(add, "adminDescription"), "Group_id-new");
	assert_string_equal(add_value(add, "msDS-ExternalDirectoryObjectId"),
	    "Group_id-new");
	assert_null(fx_delta(add, "member", MAP_DELTA_ADD));
	assert_null(fx_delta(add, "mail", MAP_DELTA_ADD));
	assert_true(sb_bytes_eq_str(&fx_delta(mem, "member",
	    MAP_DELTA_ADD)->vals[0], ANN));
	/* Creations are applied first. */
	assert_int_equal(p->changes[0].op, MAP_CHANGE_ADD);
	/* AD now holds it as the ADD made it: the next plan creates nothing. */
	created = fx_ad_group(NEWG, 30, 3001);
	for (i = 0; i < add->ndeltas; i++)
		fx_set(created, add->deltas[i].attr,
		    (const char *)add->deltas[i].vals[0].p, NULL);
	fx_set(created, "member", ANN, NULL);
	fx_add(&g.w.ad, created);
	map_plan_free(p);
	p = fx_plan(&g.w);
	assert_null(fx_change(p, NEWG));
	for (i = 0; i < p->nchanges; i++)
		assert_int_not_equal(p->changes[i].op, MAP_CHANGE_ADD);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_a_provisioned_group_is_owned_through_its_anchor(void **state)
{
	struct dirobj *ad, *cl, *n, *created;
	const struct change *c;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	/* provision is off now: membership is still the cloud's. */
	n = fx_cloud_group("id-new", "SG-New", 0, SB_TRI_FALSE);
	fx_member(n, "id-ben", "user", "Ben");
	fx_add(&g.w.cloud, n);
	created = fx_ad_group("CN=SG-New," FX_GROUPS, 30, 3001);
	fx_set(created, "adminDescription", "Group_ID-NEW", NULL);
	fx_set(created, "displayName", "SG-New", NULL);
	fx_add(&g.w.ad, created);
	p = fx_plan(&g.w);
	c = fx_change(p, "CN=SG-New," FX_GROUPS);
	assert_non_null(c);
	assert_string_equal(c->rule, "provisioned");
	assert_int_equal(fx_member_values(p, "CN=SG-New," FX_GROUPS,
	    MAP_DELTA_ADD), 1);
	/* Not in the provisioning scope: not moved to the default OU. */
	for (size_t i = 0; i < p->nchanges; i++)
		assert_int_not_equal(p->changes[i].op, MAP_CHANGE_RENAME);
	assert_int_equal(fx_findings(p, MAP_FINDING_CLOUD_ONLY), 0);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_not_provisioned_groups_are_reported(void **state)
{
	struct dirobj *ad, *cl, *n;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	n = fx_cloud_group("id-m365", "All Company", 0, SB_TRI_FALSE);
	fx_set(n, "groupTypes", "Unified", NULL);
	fx_add(&g.w.cloud, n);
	fx_add(&g.w.cloud, fx_cloud_group("id-sec", "SG-Sec", 0,
	    SB_TRI_FALSE));
	p = fx_plan(&g.w);
	assert_true(fx_finding_has(p, MAP_FINDING_CLOUD_ONLY, "id-sec",
	    "groups.provision is false"));
	map_plan_free(p);
	g.w.opt.groups.provision = 1;
	p = fx_plan(&g.w);
	assert_true(fx_finding_has(p, MAP_FINDING_CLOUD_ONLY, "id-m365",
	    "not a security group"));
	assert_non_null(fx_change(p, "CN=SG-Sec," FX_CLOUDG));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_two_ad_groups_with_one_anchor_create_nothing(void **state)
{
	struct dirobj *ad, *cl, *a, *b;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	g.w.opt.groups.provision = 1;
	fx_add(&g.w.cloud, fx_cloud_group("id-new", "SG-New", 0,
	    SB_TRI_FALSE));
	a = fx_ad_group("CN=A," FX_GROUPS, 30, 3001);
	fx_set(a, "adminDescription", "Group_id-new", NULL);
	b = fx_ad_group("CN=B," FX_GROUPS, 31, 3002);
	fx_set(b, "msDS-ExternalDirectoryObjectId", "Group_id-new", NULL);
	fx_add(&g.w.ad, a);
	fx_add(&g.w.ad, b);
	p = fx_plan(&g.w);
	assert_int_equal(fx_findings(p, MAP_FINDING_AMBIGUOUS_JOIN), 1);
	assert_null(fx_change(p, NEWG));
	assert_null(fx_change(p, "CN=A," FX_GROUPS));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_an_unmatched_sid_falls_back_to_the_writeback_anchor(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	ad->sid.len = 0;			/* the SID names no AD object */
	fx_set(ad, "adminDescription", "Group_id-eng", NULL);
	p = fx_plan(&g.w);
	assert_non_null(fx_change(p, ENG));
	assert_string_equal(fx_change(p, ENG)->rule, "isCloudManaged");
	assert_int_equal(fx_findings(p, MAP_FINDING_NOT_JOINED), 0);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_an_anchored_group_missing_in_ad_is_never_created(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;
	size_t i;

	(void)state;
	world(&g, &ad, &cl);
	g.w.opt.groups.provision = 1;
	ad->sid.len = 0;			/* deleted in AD, say */
	p = fx_plan(&g.w);
	assert_int_equal(fx_findings(p, MAP_FINDING_NOT_JOINED), 1);
	for (i = 0; i < p->nchanges; i++)
		assert_int_not_equal(p->changes[i].op, MAP_CHANGE_ADD);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_schema_without_the_external_id_is_not_written(void **state)
{
	char *skip[1] = { (char *)"msDS-ExternalDirectoryObjectId" };
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	g.w.opt.groups.provision = 1;
	g.w.opt.skip_attrs = skip;
	g.w.opt.nskip_attrs = 1;
	fx_add(&g.w.cloud, fx_cloud_group("id-new", "SG-New", 0,
	    SB_TRI_FALSE));
	p = fx_plan(&g.w);
	assert_non_null(fx_change(p, NEWG));
	assert_null(fx_delta(fx_change(p, NEWG),
	    "msDS-ExternalDirectoryObjectId", MAP_DELTA_ADD));
	assert_non_null(fx_delta(fx_change(p, NEWG), "adminDescription",
	    MAP_DELTA_ADD));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_a_group_moves_to_its_target_ou_after_its_modifies(void **state)
{
	const struct change *mod, *mv;
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;
	size_t i, imod = 0, imv = 0;

	(void)state;
	world(&g, &ad, &cl);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	fx_set(cl, FX_EXT, "CN=SG-Eng,OU=Team A," FX_GROUPS, NULL);
	p = fx_plan(&g.w);
	mod = fx_change_n(p, ENG, 0);
	mv = fx_change_n(p, ENG, 1);
	assert_non_null(mv);
	assert_int_equal(mod->op, MAP_CHANGE_MODIFY);
	assert_int_equal(mv->op, MAP_CHANGE_RENAME);
	assert_string_equal(mv->new_rdn, "CN=SG-Eng");
	assert_string_equal(mv->new_superior, "OU=Team A," FX_GROUPS);
	assert_int_equal(mv->ndeltas, 0);
	assert_int_equal(mv->part, 2);
	for (i = 0; i < p->nchanges; i++) {
		if (&p->changes[i] == mod)
			imod = i;
		if (&p->changes[i] == mv)
			imv = i;
	}
	assert_true(imod < imv);
	map_plan_free(p);
	/* Refused target: a finding, no move; the members still written. */
	fx_set(cl, FX_EXT, "CN=SG-Eng,CN=Users,DC=corp,DC=example", NULL);
	p = fx_plan(&g.w);
	assert_null(fx_change_n(p, ENG, 1));
	assert_true(fx_finding_has(p, MAP_FINDING_PLACEMENT, ENG,
	    "protected container CN=Users"));
	assert_int_equal(fx_member_values(p, ENG, MAP_DELTA_ADD), 1);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_a_move_onto_a_taken_name_is_refused(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	fx_set(ad, "member", ANN, NULL);	/* no member changes */
	assert_int_equal(dirobj_set_str(&ad->dn, "CN=SG-Eng," FX_GROUPS, NULL),
	    SB_OK);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	fx_set(cl, FX_EXT, ENG, NULL);		/* it belongs in CG */
	fx_add(&g.w.ad, fx_ad_user(ENG, 40, 0));	/* the name is taken */
	p = fx_plan(&g.w);
	assert_int_equal(p->nchanges, 0);
	assert_true(fx_finding_has(p, MAP_FINDING_PLACEMENT,
	    "CN=SG-Eng," FX_GROUPS, "is there already"));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_a_provisioned_group_gone_from_the_cloud(void **state)
{
	char text[MAP_GUID_TEXT_SIZE];
	/* sorted: "0000..." < the fixture's "e3e2e100-..." < "ffff..." */
	char *created[3] = { (char *)"00000000-0000-0000-0000-000000000001",
	    text, (char *)"ffffffff-0000-0000-0000-000000000000" };
	struct dirobj *ad, *cl, *gone;
	const struct change *c;
	struct plan_counts n;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	gone = fx_ad_group("CN=SG-Gone," FX_CLOUDG, 30, 3001);
	fx_set(gone, "adminDescription", "Group_id-gone", NULL);
	fx_set(gone, "member", ANN, BEN, NULL);
	fx_set(gone, "memberOf", ENG, NULL);
	fx_add(&g.w.ad, gone);
	p = fx_plan(&g.w);
	assert_true(fx_finding_has(p, MAP_FINDING_CLOUD_DELETED,
	    "CN=SG-Gone," FX_CLOUDG, "groups.delete = false"));
	assert_null(fx_change(p, "CN=SG-Gone," FX_CLOUDG));
	map_plan_free(p);
	g.w.opt.groups.delete_removed = 1;
	/* issue 11: the anchor alone is not enough, the journal must say so */
	p = fx_plan(&g.w);
	assert_null(fx_change(p, "CN=SG-Gone," FX_CLOUDG));
	assert_true(fx_finding_has(p, MAP_FINDING_CLOUD_DELETED,
	    "CN=SG-Gone," FX_CLOUDG, "not created by soabridge: not deleted"));
	map_plan_free(p);
	assert_int_equal(map_guid_to_text(gone->guid.p, gone->guid.len, text,
	    sizeof(text), NULL), SB_OK);
	g.w.opt.groups.created_guids = created;
	g.w.opt.groups.ncreated_guids = 3;
	p = fx_plan(&g.w);
	c = fx_change(p, "CN=SG-Gone," FX_CLOUDG);
	assert_non_null(c);
	assert_int_equal(c->op, MAP_CHANGE_DELETE);
	assert_string_equal(c->rule, "groups.delete");
	assert_string_equal(c->cloud_id, "id-gone");
	assert_int_equal(fx_delta(c, "member", MAP_DELTA_DELETE)->nbefore, 2);
	assert_null(fx_delta(c, "memberOf", MAP_DELTA_DELETE));
	assert_int_equal(p->changes[p->nchanges - 1].op, MAP_CHANGE_DELETE);
	map_plan_count(p, &n);
	assert_int_equal(n.deletes, 1);
	assert_int_equal(n.value_deletes, 0);	/* the before-image */
	map_plan_free(p);
	/* Without a full listing of cloud groups nothing counts as gone. */
	g.w.opt.groups_complete = 0;
	p = fx_plan(&g.w);
	assert_null(fx_change(p, "CN=SG-Gone," FX_CLOUDG));
	assert_int_equal(fx_findings(p, MAP_FINDING_CLOUD_DELETED), 0);
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_exchange_attributes_only_for_a_mail_enabled_group(void **state)
{
	struct dirobj *ad, *cl;
	const struct change *c;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	fx_set(cl, "mail", "eng@corp.example", NULL);
	fx_set(cl, "mailNickname", "eng", NULL);
	fx_set(cl, "proxyAddresses", "SMTP:eng@corp.example", NULL);
	fx_set(ad, "mail", "old@corp.example", NULL);
	p = fx_plan(&g.w);
	c = fx_change(p, ENG);
	assert_null(fx_delta(c, "mail", MAP_DELTA_REPLACE));
	assert_null(fx_delta(c, "mailNickname", MAP_DELTA_REPLACE));
	map_plan_free(p);
	fx_set(cl, "mailEnabled", "true", NULL);
	p = fx_plan(&g.w);
	c = fx_change(p, ENG);
	assert_non_null(fx_delta(c, "mail", MAP_DELTA_REPLACE));
	assert_non_null(fx_delta(c, "mailNickname", MAP_DELTA_REPLACE));
	assert_non_null(fx_delta(c, "proxyAddresses", MAP_DELTA_ADD));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_authority_of_each_kind_of_group(void **state)
{
	struct map_group_authority ga;
	struct map_options opt;
	struct map_pair pr;
	struct dirobj *c, *a;

	(void)state;
	map_options_init(&opt);
	memset(&pr, 0, sizeof(pr));
	c = fx_cloud_group("id-x", "X", 2001, SB_TRI_TRUE);
	a = fx_ad_group(ENG, 1, 2001);
	pr.cloud = c;
	pr.ad = a;
	map_group_authority_decide(&pr, &opt, &ga);
	assert_string_equal(ga.rule, "isCloudManaged");
	assert_int_equal(ga.classes, MAP_CLASS_IDENTITY | MAP_CLASS_MEMBERSHIP |
	    MAP_CLASS_PLACEMENT);		/* not mail-enabled */
	c->cloud_managed = SB_TRI_FALSE;
	map_group_authority_decide(&pr, &opt, &ga);
	assert_true(ga.handed_back);
	assert_int_equal(ga.classes, 0);
	c->sync_enabled = SB_TRI_TRUE;		/* Entra Connect took it back */
	map_group_authority_decide(&pr, &opt, &ga);
	assert_false(ga.handed_back);
	assert_string_equal(ga.rule, "AD is authoritative");
	fx_set(a, "adminDescription", "Group_id-x", NULL);
	c->sync_enabled = SB_TRI_UNSET;
	/* The anchor does not override Graph: handed back is AD's again. */
	map_group_authority_decide(&pr, &opt, &ga);
	assert_true(ga.provisioned);
	assert_true(ga.handed_back);
	assert_int_equal(ga.classes, 0);
	/* ... and so is a group Entra Connect syncs. */
	c->sync_enabled = SB_TRI_TRUE;
	map_group_authority_decide(&pr, &opt, &ga);
	assert_int_equal(ga.classes, 0);
	assert_string_equal(ga.rule, "AD is authoritative");
	assert_non_null(ga.conflict);
	assert_non_null(strstr(ga.conflict, "onPremisesSyncEnabled is true"));
	/* A cloud-only group (no anchors, not syncing) that carries it. */
	assert_int_equal(dirobj_set_str(&c->sid_string, NULL, NULL), SB_OK);
	c->sync_enabled = SB_TRI_UNSET;
	c->cloud_managed = SB_TRI_FALSE;	/* a cloud-native group's */
	map_group_authority_decide(&pr, &opt, &ga);
	assert_true(ga.provisioned);
	assert_null(ga.conflict);
	assert_string_equal(ga.rule, "provisioned");
	assert_int_equal(ga.classes, MAP_CLASS_IDENTITY | MAP_CLASS_MEMBERSHIP);
	opt.groups.provision = 1;
	map_group_authority_decide(&pr, &opt, &ga);
	assert_true(ga.classes & MAP_CLASS_PLACEMENT);
	dirobj_free(c);
	dirobj_free(a);
}

/* issue 11: Group_<id> in AD, Graph says the group is AD's: never written. */
static void
test_groups_the_writeback_anchor_does_not_override_graph(void **state)
{
	struct dirobj *ad, *cl, *sy, *hb, *a1, *a2;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	/* Entra Connect syncs it (its SID names no AD object read). */
	sy = fx_cloud_group("id-sync", "SG-Sync", 2101, SB_TRI_UNSET);
	sy->sync_enabled = SB_TRI_TRUE;
	fx_set(sy, "description", "from the cloud", NULL);
	fx_member(sy, "id-ben", "user", "Ben");
	fx_add(&g.w.cloud, sy);
	a1 = fx_ad_group("CN=SG-Sync," FX_CLOUDG, 31, 3101);
	fx_set(a1, "adminDescription", "Group_id-sync", NULL);
	fx_add(&g.w.ad, a1);
	/* Handed back: isCloudManaged false, on-premises anchors. */
	hb = fx_cloud_group("id-back", "SG-Back", 3102, SB_TRI_FALSE);
	fx_set(hb, "description", "from the cloud", NULL);
	fx_member(hb, "id-ben", "user", "Ben");
	fx_add(&g.w.cloud, hb);
	a2 = fx_ad_group("CN=SG-Back," FX_CLOUDG, 32, 3102);
	fx_set(a2, "adminDescription", "Group_id-back", NULL);
	fx_add(&g.w.ad, a2);
	p = fx_plan(&g.w);
	assert_null(fx_change(p, "CN=SG-Sync," FX_CLOUDG));
	assert_null(fx_change(p, "CN=SG-Back," FX_CLOUDG));
	assert_true(fx_finding_has(p, MAP_FINDING_INCONSISTENT_SOA,
	    "CN=SG-Sync," FX_CLOUDG, "Entra Connect syncs this group"));
	assert_true(fx_finding_has(p, MAP_FINDING_HANDED_BACK,
	    "CN=SG-Back," FX_CLOUDG, "AD's again"));
	assert_non_null(fx_change(p, ENG));	/* cloud-managed: written */
	map_plan_free(p);
	fx_world_free(&g.w);
}

/* A group read only for protection: a copy of what agent/cycle.c reads. */
static struct dirobj *
parent(const char *dn, const char *sam, unsigned rid, const char *up)
{
	struct dirobj *o = fx_ad_group(dn, 0, rid);

	o->guid.len = 0;		/* not read */
	sb_bytes_free(&o->guid);
	fx_set(o, "sAMAccountName", sam, NULL);
	if (up != NULL)
		fx_set(o, "memberOf", up, NULL);
	o->protect_only = 1;
	return o;
}

#define DNSADMINS	"CN=DnsAdmins,CN=Users,DC=corp,DC=example"
#define OUTSIDE		"CN=Helpdesk,CN=Users,DC=corp,DC=example"

/* issue 11: a parent that was not read is "cannot tell", so protected. */
static void
test_groups_nested_in_an_unread_parent_is_protected(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	fx_set(ad, "memberOf", DNSADMINS, NULL);
	p = fx_plan(&g.w);
	assert_null(fx_change(p, ENG));
	assert_true(fx_finding_has(p, MAP_FINDING_PROTECTED, ENG,
	    "nested in " DNSADMINS ", which soabridge could not read"));
	map_plan_free(p);
	/* The agent read it: DnsAdmins by its name. */
	fx_add(&g.w.ad, parent(DNSADMINS, "DnsAdmins", 1101, NULL));
	p = fx_plan(&g.w);
	assert_null(fx_change(p, ENG));
	assert_true(fx_finding_has(p, MAP_FINDING_PROTECTED, ENG,
	    "nested in " DNSADMINS ": privileged group DnsAdmins"));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_nested_two_levels_below_a_protected_parent_is_protected(void **state)
{
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	fx_set(ad, "memberOf", OUTSIDE, NULL);
	fx_add(&g.w.ad, parent(OUTSIDE, "Helpdesk", 1102, DNSADMINS));
	p = fx_plan(&g.w);	/* DnsAdmins itself not read: cannot tell */
	assert_null(fx_change(p, ENG));
	assert_true(fx_finding_has(p, MAP_FINDING_PROTECTED, ENG,
	    "nested in " DNSADMINS ", which soabridge could not read"));
	map_plan_free(p);
	fx_add(&g.w.ad, parent(DNSADMINS, "DnsAdmins", 1101, NULL));
	p = fx_plan(&g.w);
	assert_null(fx_change(p, ENG));
	assert_true(fx_finding_has(p, MAP_FINDING_PROTECTED, ENG,
	    "nested in " DNSADMINS ": privileged group DnsAdmins"));
	map_plan_free(p);
	fx_world_free(&g.w);
}

static void
test_groups_nested_in_a_harmless_parent_that_was_read_is_written(void **state)
{
	struct dirobj *ad, *cl, *c2;
	struct fx_gworld g;
	struct plan *p;

	(void)state;
	world(&g, &ad, &cl);
	fx_set(ad, "memberOf", OUTSIDE, NULL);
	fx_add(&g.w.ad, parent(OUTSIDE, "Helpdesk", 1102, NULL));
	/* A cloud group naming the parent's SID: a parent is never joined. */
	c2 = fx_cloud_group("id-help", "Helpdesk", 1102, SB_TRI_TRUE);
	fx_member(c2, "id-ann", "user", "Ann");
	fx_add(&g.w.cloud, c2);
	p = fx_plan(&g.w);
	assert_non_null(fx_change(p, ENG));
	assert_int_equal(fx_findings(p, MAP_FINDING_PROTECTED), 0);
	assert_null(fx_change(p, OUTSIDE));
	assert_int_equal(fx_findings(p, MAP_FINDING_NOT_JOINED), 1);
	map_plan_free(p);
	fx_world_free(&g.w);
}

/* issue 11: default_ou is where new groups go; an existing one stays. */
static void
test_groups_an_existing_group_without_an_ou_value_stays(void **state)
{
	const struct change *mv;
	struct dirobj *ad, *cl;
	struct fx_gworld g;
	struct plan *p;
	size_t i;

	(void)state;
	world(&g, &ad, &cl);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	g.w.opt.groups.provision = 1;
	assert_int_equal(dirobj_set_str(&ad->dn, "CN=SG-Eng,OU=Finance,"
	    FX_GROUPS, NULL), SB_OK);
	p = fx_plan(&g.w);
	for (i = 0; i < p->nchanges; i++)
		assert_int_not_equal(p->changes[i].op, MAP_CHANGE_RENAME);
	assert_int_equal(fx_member_values(p, "CN=SG-Eng,OU=Finance," FX_GROUPS,
	    MAP_DELTA_ADD), 1);
	map_plan_free(p);
	/* With a value naming an allowed OU it moves there. */
	fx_set(cl, FX_EXT, "CN=SG-Eng,OU=Team A," FX_GROUPS, NULL);
	p = fx_plan(&g.w);
	mv = fx_change_n(p, "CN=SG-Eng,OU=Finance," FX_GROUPS, 1);
	assert_non_null(mv);
	assert_int_equal(mv->op, MAP_CHANGE_RENAME);
	assert_string_equal(mv->new_superior, "OU=Team A," FX_GROUPS);
	map_plan_free(p);
	fx_world_free(&g.w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_cloud_managed_group_gets_its_cloud_members),
		cmocka_unit_test(test_groups_members_are_written_in_parts_of_five_hundred),
		cmocka_unit_test(test_groups_an_ad_owned_group_is_never_written),
		cmocka_unit_test(test_groups_a_rolled_back_group_is_handed_back),
		cmocka_unit_test(test_groups_cloud_managed_while_syncing_is_inconsistent),
		cmocka_unit_test(test_groups_protected_groups_are_never_written),
		cmocka_unit_test(test_groups_outside_the_write_scope_is_reported),
		cmocka_unit_test(test_groups_provisioning_creates_then_joins_by_the_anchor),
		cmocka_unit_test(test_groups_a_provisioned_group_is_owned_through_its_anchor),
		cmocka_unit_test(test_groups_not_provisioned_groups_are_reported),
		cmocka_unit_test(test_groups_two_ad_groups_with_one_anchor_create_nothing),
		cmocka_unit_test(test_groups_an_unmatched_sid_falls_back_to_the_writeback_anchor),
		cmocka_unit_test(test_groups_an_anchored_group_missing_in_ad_is_never_created),
		cmocka_unit_test(test_groups_schema_without_the_external_id_is_not_written),
		cmocka_unit_test(test_groups_a_group_moves_to_its_target_ou_after_its_modifies),
		cmocka_unit_test(test_groups_a_move_onto_a_taken_name_is_refused),
		cmocka_unit_test(test_groups_a_provisioned_group_gone_from_the_cloud),
		cmocka_unit_test(test_groups_exchange_attributes_only_for_a_mail_enabled_group),
		cmocka_unit_test(test_groups_authority_of_each_kind_of_group),
		cmocka_unit_test(test_groups_the_writeback_anchor_does_not_override_graph),
		cmocka_unit_test(test_groups_nested_in_an_unread_parent_is_protected),
		cmocka_unit_test(test_groups_nested_two_levels_below_a_protected_parent_is_protected),
		cmocka_unit_test(test_groups_nested_in_a_harmless_parent_that_was_read_is_written),
		cmocka_unit_test(test_groups_an_existing_group_without_an_ou_value_stays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
