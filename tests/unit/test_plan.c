/* Unit tests of mapping/plan.c: map_build_plan end to end, findings, order, counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_mapping.h"

#define ANN_DN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define BOB_DN	"CN=Bob,OU=Staff,DC=corp,DC=example"
#define BOSS_DN	"CN=Boss,OU=Staff,DC=corp,DC=example"

/*
 * Ann: isCloudManaged, with mailbox, differing in identity and exchange.
 * Boss: synced (AD-authoritative), Ann's manager.
 */
static void
ann_and_boss(struct fx_world *w, struct dirobj **ad_ann, struct dirobj **c_ann,
    struct dirobj **m_ann)
{
	struct dirobj *a, *c, *m;

	fx_world_init(w);
	a = fx_ad_user(ANN_DN, 1, 1105);
	fx_set(a, "displayName", "Ann Smith", NULL);
	fx_set(a, "title", "Engineer", NULL);
	fx_set(a, "proxyAddresses", "SMTP:ann@corp.example", NULL);
	fx_set(a, "mail", "ann@corp.example", NULL);
	fx_set(a, "extensionAttribute1", "old", NULL);
	fx_add(&w->ad, a);
	fx_add(&w->ad, fx_ad_user(BOSS_DN, 2, 1106));

	c = fx_cloud_user("id-ann", "Ann Smith", 1, 1105, SB_TRI_UNSET,
	    SB_TRI_TRUE);
	fx_set(c, "displayName", "Ann Smith", NULL);
	fx_set(c, "jobTitle", "Senior Engineer", NULL);
	fx_set(c, "manager", "id-boss", NULL);
	fx_add(&w->cloud, c);
	fx_add(&w->cloud, fx_cloud_user("id-boss", "Boss", 2, 1106,
	    SB_TRI_TRUE, SB_TRI_FALSE));

	/* an isCloudManaged user's mailbox: not IsExchangeCloudManaged */
	m = fx_mailbox("id-ann", SB_TRI_FALSE, SB_TRI_FALSE);
	fx_set(m, "EmailAddresses", "SMTP:ann@corp.example",
	    "smtp:as@corp.example", NULL);
	fx_set(m, "WindowsEmailAddress", "ann@corp.example", NULL);
	fx_set(m, "CustomAttribute1", NULL);
	fx_add(&w->mbx, m);
	if (ad_ann)
		*ad_ann = a;
	if (c_ann)
		*c_ann = c;
	if (m_ann)
		*m_ann = m;
}

static void
test_plan_writes_what_a_cloud_managed_user_owns(void **state)
{
	const struct change *ch;
	const struct delta *d;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, NULL, NULL, NULL);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 1);
	ch = fx_change(p, ANN_DN);
	assert_non_null(ch);
	assert_int_equal(ch->op, MAP_CHANGE_MODIFY);
	assert_string_equal(ch->rule, "isCloudManaged");
	assert_string_equal(ch->cloud_id, "id-ann");
	assert_string_equal(ch->display_name, "Ann Smith");
	assert_int_equal(ch->kind, DIROBJ_USER);
	assert_null(ch->new_superior);
	d = fx_delta(ch, "title", MAP_DELTA_REPLACE);
	assert_non_null(d);
	assert_true(sb_bytes_eq_str(&d->vals[0], "Senior Engineer"));
	d = fx_delta(ch, "manager", MAP_DELTA_REPLACE);
	assert_non_null(d);
	assert_true(sb_bytes_eq_str(&d->vals[0], BOSS_DN));
	d = fx_delta(ch, "proxyAddresses", MAP_DELTA_ADD);
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	assert_non_null(fx_delta(ch, "extensionAttribute1", MAP_DELTA_DELETE));
	assert_null(fx_delta(ch, "proxyAddresses", MAP_DELTA_REPLACE));
	assert_null(fx_delta(ch, "displayName", MAP_DELTA_REPLACE));
	assert_null(fx_delta(ch, "mail", MAP_DELTA_REPLACE));
	assert_int_equal(ch->ndeltas, 4);
	/* Boss is synced and AD's; Graph has no values for it: no drift */
	assert_int_equal(fx_findings(p, MAP_FINDING_AD_AUTHORITATIVE), 0);
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_second_run_after_applying_is_empty(void **state)
{
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, NULL, NULL, NULL);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 1);
	fx_apply_plan(&w.ad, p);
	map_plan_free(p);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(p->nfindings, 0);
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_never_writes_nor_removes_an_excluded_proxy_address_prefix(void **state)
{
	char *exclude[] = { "SPO:" };
	struct dirobj *a, *m;
	const struct delta *d;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, &a, NULL, &m);
	w.opt.proxy_exclude = exclude;
	w.opt.nproxy_exclude = 1;
	dirobj_remove(a, "proxyAddresses");
	fx_set(a, "proxyAddresses", "SMTP:ann@corp.example",
	    "spo:SPO_kept@SPO_0a1b2c", NULL);
	dirobj_remove(m, "EmailAddresses");
	fx_set(m, "EmailAddresses", "SMTP:ann@corp.example",
	    "SPO:SPO_new@SPO_0a1b2c", "SIP:ann@corp.example", NULL);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 1);
	d = fx_delta(&p->changes[0], "proxyAddresses", MAP_DELTA_ADD);
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "SIP:ann@corp.example"));
	assert_null(fx_delta(&p->changes[0], "proxyAddresses",
	    MAP_DELTA_DELETE));
	/* Once applied: no drift left over the SPO: addresses. */
	fx_apply_plan(&w.ad, p);
	map_plan_free(p);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	assert_true(fx_has_value(a, "proxyAddresses",
	    "spo:SPO_kept@SPO_0a1b2c"));
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_ad_authoritative_object_has_no_change_whatever_the_cloud_says(void **state)
{
	struct dirobj *c, *m;
	const struct finding *f;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, NULL, &c, &m);
	c->cloud_managed = SB_TRI_FALSE;
	c->sync_enabled = SB_TRI_TRUE;
	fx_set(c, "department", "Anything", NULL);
	fx_set(c, "proxyAddresses", "SMTP:evil@corp.example", NULL);
	m->exchange_cloud_managed = SB_TRI_FALSE;
	m->sync_enabled = SB_TRI_TRUE;
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	f = fx_finding(p, MAP_FINDING_AD_AUTHORITATIVE);
	assert_non_null(f);
	assert_string_equal(f->dn, ANN_DN);
	assert_non_null(strstr(f->message, "title"));
	assert_non_null(strstr(f->message, "department"));
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_exchange_cloud_managed_user_gets_exchange_changes_only(void **state)
{
	struct dirobj *c, *m;
	const struct change *ch;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, NULL, &c, &m);
	c->cloud_managed = SB_TRI_FALSE;
	c->sync_enabled = SB_TRI_TRUE;
	m->exchange_cloud_managed = SB_TRI_TRUE;
	m->sync_enabled = SB_TRI_TRUE;
	p = fx_plan(&w);
	ch = fx_change(p, ANN_DN);
	assert_non_null(ch);
	assert_string_equal(ch->rule, "IsExchangeCloudManaged");
	assert_non_null(fx_delta(ch, "proxyAddresses", MAP_DELTA_ADD));
	assert_non_null(fx_delta(ch, "extensionAttribute1", MAP_DELTA_DELETE));
	assert_null(fx_delta(ch, "title", MAP_DELTA_REPLACE));
	assert_null(fx_delta(ch, "manager", MAP_DELTA_REPLACE));
	assert_int_equal(ch->ndeltas, 2);
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_out_of_scope_object_is_a_finding_not_a_change(void **state)
{
	struct dirobj *a;
	const struct finding *f;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, &a, NULL, NULL);
	/* a string-suffix check would call this "under OU=Staff" */
	assert_int_equal(dirobj_set_str(&a->dn,
	    "CN=Ann,OU=XStaff,DC=corp,DC=example", NULL), SB_OK);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	f = fx_finding(p, MAP_FINDING_OUT_OF_SCOPE);
	assert_non_null(f);
	assert_string_equal(f->dn, "CN=Ann,OU=XStaff,DC=corp,DC=example");
	assert_non_null(strstr(f->message, "isCloudManaged"));
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_protected_object_is_a_finding_not_a_change(void **state)
{
	struct dirobj *a;
	const struct finding *f;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, &a, NULL, NULL);
	fx_set(a, "adminCount", "1", NULL);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	f = fx_finding(p, MAP_FINDING_PROTECTED);
	assert_non_null(f);
	assert_non_null(strstr(f->message, "adminCount=1"));
	assert_int_equal(fx_findings(p, MAP_FINDING_OUT_OF_SCOPE), 0);
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_refuses_cloud_managed_object_still_synced(void **state)
{
	struct dirobj *c;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, NULL, &c, NULL);
	c->sync_enabled = SB_TRI_TRUE;
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(fx_findings(p, MAP_FINDING_INCONSISTENT_SOA), 1);
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_unresolved_manager_is_a_finding_and_the_rest_is_written(void **state)
{
	struct dirobj *c;
	const struct change *ch;
	const struct finding *f;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, NULL, &c, NULL);
	fx_set(c, "manager", "id-not-in-ad", NULL);
	p = fx_plan(&w);
	ch = fx_change(p, ANN_DN);
	assert_non_null(ch);
	assert_null(fx_delta(ch, "manager", MAP_DELTA_REPLACE));
	assert_non_null(fx_delta(ch, "title", MAP_DELTA_REPLACE));
	f = fx_finding(p, MAP_FINDING_UNRESOLVED);
	assert_non_null(f);
	assert_string_equal(f->attr, "manager");
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_disabled_classes_are_not_written(void **state)
{
	const struct change *ch;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, NULL, NULL, NULL);
	w.opt.classes = MAP_CLASS_EXCHANGE;
	p = fx_plan(&w);
	ch = fx_change(p, ANN_DN);
	assert_non_null(ch);
	assert_null(fx_delta(ch, "title", MAP_DELTA_REPLACE));
	map_plan_free(p);
	w.opt.classes = 0;
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_without_write_scope_uses_the_base_dn(void **state)
{
	struct dirobj *a;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, &a, NULL, NULL);
	assert_int_equal(dirobj_set_str(&a->dn,
	    "CN=Ann,OU=Other,DC=corp,DC=example", NULL), SB_OK);
	w.opt.nwrite_scope = 0;
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 1);
	map_plan_free(p);
	/* and outside the base DN nothing is written */
	w.opt.base_dn = (char *)"DC=other,DC=example";
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(fx_findings(p, MAP_FINDING_OUT_OF_SCOPE), 1);
	map_plan_free(p);
	w.opt.base_dn = NULL;
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	map_plan_free(p);
	fx_world_free(&w);
}

/* Three cloud-managed users in reverse order; a plan is sorted by DN. */
static void
three_users(struct fx_world *w, int reversed)
{
	static const char *dns[] = { "CN=Zed,OU=Staff,DC=corp,DC=example",
	    "CN=Amy,OU=Staff,DC=corp,DC=example",
	    "CN=Max,OU=Staff,DC=corp,DC=example" };
	static const char *ids[] = { "id-z", "id-a", "id-m" };
	struct dirobj *c;
	int i, k;

	fx_world_init(w);
	for (k = 0; k < 3; k++) {
		i = reversed ? 2 - k : k;
		fx_add(&w->ad, fx_ad_user(dns[i], i + 1, 0));
		c = fx_cloud_user(ids[i], ids[i], i + 1, 0, SB_TRI_UNSET,
		    SB_TRI_TRUE);
		fx_set(c, "jobTitle", "T", NULL);
		fx_set(c, "manager", "id-gone", NULL);
		fx_add(&w->cloud, c);
	}
	fx_add(&w->cloud, fx_cloud_user("id-gone", "Gone", 9, 0, SB_TRI_UNSET,
	    SB_TRI_TRUE));
}

static void
test_plan_orders_changes_and_findings_the_same_whatever_the_input_order(void **state)
{
	struct fx_world w1, w2;
	struct plan *p1, *p2;
	size_t i;

	(void)state;
	three_users(&w1, 0);
	three_users(&w2, 1);
	p1 = fx_plan(&w1);
	p2 = fx_plan(&w2);
	assert_int_equal(p1->nchanges, 3);
	assert_string_equal(p1->changes[0].dn,
	    "CN=Amy,OU=Staff,DC=corp,DC=example");
	assert_string_equal(p1->changes[1].dn,
	    "CN=Max,OU=Staff,DC=corp,DC=example");
	assert_string_equal(p1->changes[2].dn,
	    "CN=Zed,OU=Staff,DC=corp,DC=example");
	assert_int_equal(p2->nchanges, 3);
	for (i = 0; i < 3; i++)
		assert_string_equal(p1->changes[i].dn, p2->changes[i].dn);
	assert_int_equal(p1->nfindings, 4);	/* 3 unresolved, 1 not joined */
	assert_int_equal(p2->nfindings, p1->nfindings);
	for (i = 0; i < p1->nfindings; i++) {
		assert_int_equal(p1->findings[i].kind, p2->findings[i].kind);
		assert_string_equal(p1->findings[i].message,
		    p2->findings[i].message);
	}
	map_plan_free(p1);
	map_plan_free(p2);
	fx_world_free(&w1);
	fx_world_free(&w2);
}

static void
test_plan_counts_changes_and_value_adds_and_deletes(void **state)
{
	struct plan_counts n;
	struct dirobj *a, *m;
	struct fx_world w;
	struct plan *p;

	(void)state;
	ann_and_boss(&w, &a, NULL, &m);
	fx_set(a, "proxyAddresses", "SMTP:ann@corp.example", "smtp:x@corp",
	    "smtp:y@corp", NULL);
	p = fx_plan(&w);
	map_plan_count(p, &n);
	assert_int_equal(n.changes, 1);
	assert_int_equal(n.modifies, 1);
	assert_int_equal(n.value_adds, 1);	/* smtp:as@ */
	assert_int_equal(n.value_deletes, 3);	/* x@, y@, extensionAttribute1 */
	assert_int_equal(n.replaces, 2);	/* title, manager */
	assert_int_equal(map_plan_count_changes(p), 1);
	assert_int_equal(map_plan_count_value_adds(p), 1);
	assert_int_equal(map_plan_count_value_deletes(p), 3);
	assert_string_equal(map_finding_kind_name(MAP_FINDING_OUT_OF_SCOPE),
	    "out-of-scope");
	assert_string_equal(map_change_op_name(MAP_CHANGE_RENAME), "rename");
	assert_string_equal(map_delta_op_name(MAP_DELTA_REPLACE), "replace");
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_plan_of_empty_sets_is_empty(void **state)
{
	struct fx_world w;
	struct plan *p;

	(void)state;
	fx_world_init(&w);
	p = fx_plan(&w);
	assert_int_equal(p->nchanges, 0);
	assert_int_equal(p->nfindings, 0);
	map_plan_free(p);
	map_plan_free(NULL);
	fx_world_free(&w);
}

/* Values held as sb_bytes for a delta. */
static struct sb_bytes
bv(const char *s)
{
	struct sb_bytes b = { (unsigned char *)(uintptr_t)s, strlen(s) };

	return b;
}

static int
bytes_is(const struct sb_bytes *b, const char *s)
{
	return b->len == strlen(s) && memcmp(b->p, s, b->len) == 0;
}

/* The member chunk the write gate trims: other deltas whole, kept values only. */
static void
test_plan_filter_values_keeps_what_is_marked(void **state)
{
	struct sb_bytes desc = bv("Team"), a = bv("CN=A"), b = bv("CN=B"),
	    c = bv("CN=C"), d = bv("CN=D");
	const struct sb_bytes *one[] = { &desc }, *add[] = { &a, &b },
	    *del[] = { &c, &d };
	struct sb_bytes before[] = { c, d };
	unsigned char keep[] = { 1, 0, 0, 1 }, none[] = { 0, 0, 0, 0 };
	struct sb_error err;
	struct change ch, out;
	size_t nkept;

	(void)state;
	memset(&ch, 0, sizeof(ch));
	ch.op = MAP_CHANGE_MODIFY;
	ch.dn = strdup("CN=G,OU=Groups,DC=x");
	ch.rule = strdup("isCloudManaged");
	assert_int_equal(map_change_add_delta(&ch, "description",
	    MAP_DELTA_REPLACE, one, 1, NULL, 0, &err), SB_OK);
	assert_int_equal(map_change_add_delta(&ch, "member", MAP_DELTA_ADD,
	    add, 2, NULL, 0, &err), SB_OK);
	assert_int_equal(map_change_add_delta(&ch, "member", MAP_DELTA_DELETE,
	    del, 2, before, 2, &err), SB_OK);

	assert_int_equal(map_change_filter_values(&ch, "Member", keep, &out,
	    &nkept, &err), SB_OK);
	assert_int_equal(nkept, 2);
	assert_string_equal(out.dn, ch.dn);
	assert_string_equal(out.rule, "isCloudManaged");
	assert_int_equal(out.ndeltas, 3);
	assert_string_equal(out.deltas[0].attr, "description");
	assert_true(bytes_is(&out.deltas[0].vals[0], "Team"));
	assert_int_equal(out.deltas[1].op, MAP_DELTA_ADD);
	assert_int_equal(out.deltas[1].nvals, 1);
	assert_true(bytes_is(&out.deltas[1].vals[0], "CN=A"));
	assert_int_equal(out.deltas[2].op, MAP_DELTA_DELETE);
	assert_int_equal(out.deltas[2].nvals, 1);
	assert_true(bytes_is(&out.deltas[2].vals[0], "CN=D"));
	assert_int_equal(out.deltas[2].nbefore, 1);
	assert_true(bytes_is(&out.deltas[2].before[0], "CN=D"));
	map_change_clear(&out);

	/* Nothing kept: the member deltas go, the rest stays. */
	assert_int_equal(map_change_filter_values(&ch, "member", none, &out,
	    &nkept, &err), SB_OK);
	assert_int_equal(nkept, 0);
	assert_int_equal(out.ndeltas, 1);
	assert_string_equal(out.deltas[0].attr, "description");
	map_change_clear(&out);
	map_change_clear(&ch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_filter_values_keeps_what_is_marked),
		cmocka_unit_test(test_plan_writes_what_a_cloud_managed_user_owns),
		cmocka_unit_test(test_plan_second_run_after_applying_is_empty),
		cmocka_unit_test(test_plan_ad_authoritative_object_has_no_change_whatever_the_cloud_says),
		cmocka_unit_test(test_plan_exchange_cloud_managed_user_gets_exchange_changes_only),
		cmocka_unit_test(test_plan_out_of_scope_object_is_a_finding_not_a_change),
		cmocka_unit_test(test_plan_protected_object_is_a_finding_not_a_change),
		cmocka_unit_test(test_plan_refuses_cloud_managed_object_still_synced),
		cmocka_unit_test(test_plan_unresolved_manager_is_a_finding_and_the_rest_is_written),
		cmocka_unit_test(test_plan_disabled_classes_are_not_written),
		cmocka_unit_test(test_plan_without_write_scope_uses_the_base_dn),
		cmocka_unit_test(test_plan_orders_changes_and_findings_the_same_whatever_the_input_order),
		cmocka_unit_test(test_plan_counts_changes_and_value_adds_and_deletes),
		cmocka_unit_test(test_plan_of_empty_sets_is_empty),
		cmocka_unit_test(test_plan_never_writes_nor_removes_an_excluded_proxy_address_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
