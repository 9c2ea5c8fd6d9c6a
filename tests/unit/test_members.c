/* Unit tests of mapping/members.c: the member diff of one cloud-owned group. */
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
#include "mapping/adindex.h"

#define ENG	"CN=SG-Eng,OU=Cloud Groups,OU=Groups,DC=corp,DC=example"
#define ANN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define BEN	"CN=Ben,OU=Staff,DC=corp,DC=example"
#define CID	"CN=Cid,OU=Staff,DC=corp,DC=example"
#define DOT	"CN=Dot,OU=Staff,DC=corp,DC=example"
#define SUB	"CN=SG-Sub,OU=Groups,DC=corp,DC=example"

/* Everything one diff needs, built from a world. */
struct fx_diff {
	struct map_join		*j;
	struct map_adindex	 ix;
	struct map_member_ctx	 mc;
	struct plan		*f;
	struct map_member_diff	 d;
};

static void
diff_run(struct fx_world *w, const struct dirobj *ad, const struct dirobj *c,
    struct fx_diff *x)
{
	memset(x, 0, sizeof(*x));
	assert_int_equal(map_join_build(&w->ad, &w->cloud, NULL, NULL, &x->j,
	    NULL), SB_OK);
	assert_int_equal(map_adindex_build(&w->ad, x->j, &x->ix, NULL), SB_OK);
	x->mc.j = x->j;
	x->mc.ix = &x->ix;
	x->mc.opt = &w->opt;
	x->f = map_plan_new();
	assert_non_null(x->f);
	assert_int_equal(map_members_diff(&x->mc, ad, ad ? ad->dn : ENG, c,
	    x->f, &x->d, NULL), SB_OK);
}

static void
diff_free(struct fx_diff *x)
{
	map_member_diff_clear(&x->d);
	map_plan_free(x->f);
	map_adindex_free(&x->ix);
	map_join_free(x->j);
}

static int
adds(const struct fx_diff *x, const char *dn)
{
	size_t i;

	for (i = 0; i < x->d.nadd; i++)
		if (strcmp(x->d.add[i], dn) == 0)
			return 1;
	return 0;
}

static int
dels(const struct fx_diff *x, const char *dn)
{
	size_t i;

	for (i = 0; i < x->d.ndel; i++)
		if (sb_bytes_eq_str(x->d.del[i], dn))
			return 1;
	return 0;
}

/* Ann, Ben, Cid synced; Dot AD-only; SG-Eng cloud-managed. */
static void
world(struct fx_gworld *g, struct dirobj **ad, struct dirobj **cloud)
{
	fx_gworld_init(g);
	fx_user_pair(&g->w, ANN, "id-ann", 1);
	fx_user_pair(&g->w, BEN, "id-ben", 2);
	fx_user_pair(&g->w, CID, "id-cid", 3);
	fx_add(&g->w.ad, fx_ad_user(DOT, 4, 0));
	*ad = fx_ad_group(ENG, 10, 2001);
	fx_add(&g->w.ad, *ad);
	*cloud = fx_cloud_group("id-eng", "SG-Eng", 2001, SB_TRI_TRUE);
	fx_add(&g->w.cloud, *cloud);
}

static void
test_members_adds_the_cloud_members_by_their_joined_dn(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	fx_member(c, "id-ann", "user", "Ann");
	fx_member(c, "id-ben", "user", "Ben");
	fx_member(c, "id-ann", "user", "Ann");	/* twice: added once */
	fx_set(ad, "member", BEN, NULL);
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.nadd, 1);
	assert_true(adds(&x, ANN));
	assert_int_equal(x.d.ndel, 0);
	assert_int_equal(x.f->nfindings, 0);
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_removes_a_member_with_a_cloud_counterpart(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	fx_member(c, "id-ann", "user", "Ann");
	fx_set(ad, "member", ANN, CID, NULL);	/* Cid added in AD by hand */
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.nadd, 0);
	assert_int_equal(x.d.ndel, 1);
	assert_true(dels(&x, CID));
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_keeps_and_reports_an_ad_only_member(void **state)
{
	const struct finding *f;
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	fx_member(c, "id-ann", "user", "Ann");
	/* Dot has no cloud counterpart; the computer is not even read. */
	fx_set(ad, "member", ANN, DOT, "CN=PC1,OU=Staff,DC=corp,DC=example",
	    NULL);
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.ndel, 0);
	assert_int_equal(x.d.kept_ad_only, 2);
	assert_int_equal(fx_findings(x.f, MAP_FINDING_AD_ONLY_MEMBER), 2);
	f = fx_finding(x.f, MAP_FINDING_AD_ONLY_MEMBER);
	assert_string_equal(f->dn, ENG);
	assert_string_equal(f->attr, "member");
	assert_non_null(strstr(f->message, "remove_unsynced_members"));
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_removes_ad_only_members_when_configured(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	g.w.opt.groups.remove_unsynced_members = 1;
	fx_member(c, "id-ann", "user", "Ann");
	fx_set(ad, "member", ANN, DOT, NULL);
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.ndel, 1);
	assert_true(dels(&x, DOT));
	assert_int_equal(fx_findings(x.f, MAP_FINDING_AD_ONLY_MEMBER), 0);
	diff_free(&x);
	fx_world_free(&g.w);
}

/* An unread member (a DC's computer account, Administrator outside base_dn) is never removed. */
static void
test_members_keeps_an_unread_member_even_when_configured(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	g.w.opt.groups.remove_unsynced_members = 1;
	fx_member(c, "id-ann", "user", "Ann");
	fx_set(ad, "member", ANN, DOT, "CN=DC1,OU=Domain Controllers,"
	    "DC=corp,DC=example", NULL);
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.ndel, 1);
	assert_true(dels(&x, DOT));
	assert_int_equal(x.d.kept_ad_only, 1);
	assert_true(fx_finding_has(x.f, MAP_FINDING_AD_ONLY_MEMBER, ENG,
	    "CN=DC1,OU=Domain Controllers,DC=corp,DC=example was not read"));
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_reports_what_cannot_be_a_member_by_name(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	fx_add(&g.w.cloud, fx_cloud_user("id-eve", "Eve Cloudonly", 0, 0,
	    SB_TRI_UNSET, SB_TRI_FALSE));
	fx_member(c, "id-eve", "user", "Eve Cloudonly");
	fx_member(c, "id-dev", "device", "LAPTOP-01");
	fx_member(c, "id-sp", "servicePrincipal", "Backup App");
	fx_member(c, "id-ct", "orgContact", "Vendor Contact");
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.nadd, 0);
	assert_int_equal(fx_findings(x.f, MAP_FINDING_UNRESOLVED), 4);
	assert_true(fx_finding_has(x.f, MAP_FINDING_UNRESOLVED, ENG,
	    "\"Eve Cloudonly\" (user id-eve) has no AD object"));
	assert_true(fx_finding_has(x.f, MAP_FINDING_UNRESOLVED, ENG,
	    "\"LAPTOP-01\" (device id-dev)"));
	assert_true(fx_finding_has(x.f, MAP_FINDING_UNRESOLVED, ENG,
	    "\"Backup App\" (service principal"));
	assert_true(fx_finding_has(x.f, MAP_FINDING_UNRESOLVED, ENG,
	    "\"Vendor Contact\" (contact"));
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_nested_group_only_when_it_exists_in_ad(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	fx_add(&g.w.ad, fx_ad_group(SUB, 11, 2002));
	fx_add(&g.w.cloud, fx_cloud_group("id-sub", "SG-Sub", 2002,
	    SB_TRI_FALSE));
	fx_add(&g.w.cloud, fx_cloud_group("id-new", "SG-New", 0,
	    SB_TRI_FALSE));
	fx_member(c, "id-sub", "group", "SG-Sub");
	fx_member(c, "id-new", "group", "SG-New");
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.nadd, 1);
	assert_true(adds(&x, SUB));
	assert_true(fx_finding_has(x.f, MAP_FINDING_UNRESOLVED, ENG,
	    "\"SG-New\" (group id-new) has no AD object"));
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_a_group_the_plan_creates_is_added_by_its_new_dn(void **state)
{
	char *planned[1] = { (char *)"CN=SG-New," FX_CLOUDG };
	struct map_strmap *m = NULL;
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	fx_add(&g.w.cloud, fx_cloud_group("id-new", "SG-New", 0,
	    SB_TRI_FALSE));
	fx_member(c, "id-new", "group", "SG-New");
	assert_int_equal(map_strmap_new(MAP_STRMAP_CI, &m, NULL), SB_OK);
	assert_int_equal(map_strmap_put_str(m, "ID-NEW", 0, NULL, NULL), SB_OK);
	memset(&x, 0, sizeof(x));
	assert_int_equal(map_join_build(&g.w.ad, &g.w.cloud, NULL, NULL, &x.j,
	    NULL), SB_OK);
	assert_int_equal(map_adindex_build(&g.w.ad, x.j, &x.ix, NULL), SB_OK);
	x.mc.j = x.j;
	x.mc.ix = &x.ix;
	x.mc.opt = &g.w.opt;
	x.mc.planned = m;
	x.mc.planned_dn = planned;
	x.f = map_plan_new();
	assert_int_equal(map_members_diff(&x.mc, ad, ENG, c, x.f, &x.d, NULL),
	    SB_OK);
	assert_int_equal(x.d.nadd, 1);
	assert_true(adds(&x, planned[0]));
	map_strmap_free(m);
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_never_adds_nor_removes_a_protected_account(void **state)
{
	struct dirobj *ad, *c, *wade;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	/* The Administrator (RID 500), joined by SID; Wade with adminCount. */
	fx_add(&g.w.ad, fx_ad_user("CN=Administrator,CN=Users,DC=corp,"
	    "DC=example", 20, 500));
	fx_add(&g.w.cloud, fx_cloud_user("id-adm", "Administrator", 0, 500,
	    SB_TRI_TRUE, SB_TRI_FALSE));
	wade = fx_ad_user("CN=Wade,OU=Staff,DC=corp,DC=example", 21, 0);
	fx_set(wade, "adminCount", "1", NULL);
	fx_add(&g.w.ad, wade);
	fx_add(&g.w.cloud, fx_cloud_user("id-wade", "Wade", 21, 0,
	    SB_TRI_TRUE, SB_TRI_FALSE));
	/* Domain Admins, claimed by a synced cloud group. */
	fx_add(&g.w.ad, fx_ad_group("CN=Domain Admins,CN=Users,DC=corp,"
	    "DC=example", 22, 512));
	fx_add(&g.w.cloud, fx_cloud_group("id-da", "Domain Admins", 512,
	    SB_TRI_FALSE));
	fx_member(c, "id-adm", "user", "Administrator");
	fx_member(c, "id-da", "group", "Domain Admins");
	fx_member(c, "id-ann", "user", "Ann");
	/* Wade is in AD and the cloud does not want him: kept anyway. */
	fx_set(ad, "member", "CN=Wade,OU=Staff,DC=corp,DC=example", NULL);
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.nadd, 1);
	assert_true(adds(&x, ANN));
	assert_int_equal(x.d.ndel, 0);
	assert_int_equal(fx_findings(x.f, MAP_FINDING_PROTECTED), 3);
	assert_true(fx_finding_has(x.f, MAP_FINDING_PROTECTED, ENG,
	    "\"Administrator\" is protected (privileged RID 500"));
	assert_true(fx_finding_has(x.f, MAP_FINDING_PROTECTED, ENG,
	    "\"Domain Admins\" is protected (privileged RID 512"));
	assert_true(fx_finding_has(x.f, MAP_FINDING_PROTECTED, ENG,
	    "never removed"));
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_compares_dns_as_ad_does(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;

	(void)state;
	world(&g, &ad, &c);
	fx_member(c, "id-ann", "user", "Ann");
	fx_set(ad, "member", "cn=ann, ou=STAFF,dc=corp,dc=example", NULL);
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.nadd, 0);
	assert_int_equal(x.d.ndel, 0);
	diff_free(&x);
	fx_world_free(&g.w);
}

static void
test_members_lists_at_most_a_hundred_findings_then_counts(void **state)
{
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;
	char id[32];
	int i;

	(void)state;
	world(&g, &ad, &c);
	for (i = 0; i < 150; i++) {
		snprintf(id, sizeof(id), "id-dev-%d", i);
		fx_member(c, id, "device", id);
	}
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(fx_findings(x.f, MAP_FINDING_UNRESOLVED),
	    MAP_MEMBER_FINDINGS_MAX + 1);
	assert_true(fx_finding_has(x.f, MAP_FINDING_UNRESOLVED, ENG,
	    "and 50 more"));
	diff_free(&x);
	fx_world_free(&g.w);
}

/* 100,000 members: hash tables, not a quadratic loop (well under a second). */
static void
test_members_a_hundred_thousand_members_in_linear_time(void **state)
{
	enum { N = 100000 };
	struct dirobj *ad, *c;
	struct fx_gworld g;
	struct fx_diff x;
	char dn[96], id[32];
	int i;

	(void)state;
	fx_gworld_init(&g);
	ad = fx_ad_group(ENG, 1, 2001);
	c = fx_cloud_group("id-eng", "SG-Eng", 2001, SB_TRI_TRUE);
	fx_members_read(c);
	for (i = 0; i < N; i++) {
		snprintf(dn, sizeof(dn), "CN=U%06d,OU=Staff,DC=corp,DC=example",
		    i);
		snprintf(id, sizeof(id), "id-%06d", i);
		fx_add(&g.w.ad, fx_ad_user(dn, 0, 10000 + (unsigned)i));
		fx_add(&g.w.cloud, fx_cloud_user(id, id, 0,
		    10000 + (unsigned)i, SB_TRI_TRUE, SB_TRI_FALSE));
		/* In the cloud all but the first; in AD all but the last. */
		if (i > 0)
			fx_member(c, id, "user", id);
		if (i < N - 1)
			assert_int_equal(dirobj_add_str(ad, "member", dn, NULL),
			    SB_OK);
	}
	fx_add(&g.w.ad, ad);
	fx_add(&g.w.cloud, c);
	diff_run(&g.w, ad, c, &x);
	assert_int_equal(x.d.nadd, 1);
	assert_true(adds(&x, "CN=U099999,OU=Staff,DC=corp,DC=example"));
	assert_int_equal(x.d.ndel, 1);
	assert_true(dels(&x, "CN=U000000,OU=Staff,DC=corp,DC=example"));
	assert_int_equal(x.f->nfindings, 0);
	diff_free(&x);
	fx_world_free(&g.w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_members_adds_the_cloud_members_by_their_joined_dn),
		cmocka_unit_test(test_members_removes_a_member_with_a_cloud_counterpart),
		cmocka_unit_test(test_members_keeps_and_reports_an_ad_only_member),
		cmocka_unit_test(test_members_removes_ad_only_members_when_configured),
		cmocka_unit_test(test_members_keeps_an_unread_member_even_when_configured),
		cmocka_unit_test(test_members_reports_what_cannot_be_a_member_by_name),
		cmocka_unit_test(test_members_nested_group_only_when_it_exists_in_ad),
		cmocka_unit_test(test_members_a_group_the_plan_creates_is_added_by_its_new_dn),
		cmocka_unit_test(test_members_never_adds_nor_removes_a_protected_account),
		cmocka_unit_test(test_members_compares_dns_as_ad_does),
		cmocka_unit_test(test_members_lists_at_most_a_hundred_findings_then_counts),
		cmocka_unit_test(test_members_a_hundred_thousand_members_in_linear_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
