/* Unit tests of mapping/report*.c: entries, states, owners, values, counts. */
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
#include "mapping/attrmap.h"
#include "mapping/report.h"

#define ANN_DN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define BOB_DN	"CN=Bob,OU=Staff,DC=corp,DC=example"
#define BOSS_DN	"CN=Boss,OU=Staff,DC=corp,DC=example"
#define OUT_DN	"CN=Olga,OU=Outside,DC=corp,DC=example"
#define ADM_DN	"CN=Adam,OU=Staff,DC=corp,DC=example"

/* A copy of one entry, enough to assert on after the walk. */
struct got {
	enum map_report_state	 state;
	enum map_report_owner	 owner;
	unsigned		 cls;
	enum dirobj_kind	 kind;
	char			 dn[160];
	char			 cloud_id[64];
	char			 attr[64];
	char			 reason[32];
	char			 ad[256], cloud[256], add[256], rem[256];
	int			 cloud_known;
	int			 ad_marks, cloud_marks;
};

struct gots {
	struct got		*v;
	size_t			 n;
	struct map_report_counts counts;
};

static void
join_vals(char *out, size_t outsz, const struct map_report_vals *v)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < v->n && o < outsz; i++)
		o += (size_t)snprintf(out + o, outsz - o, "%s%.*s", i ? "|" : "",
		    (int)v->v[i]->len, (const char *)v->v[i]->p);
}

static enum sb_status
collect(const struct map_report_entry *e, void *arg, struct sb_error *err)
{
	struct gots *g = arg;
	struct got *x;
	size_t i;

	(void)err;
	g->v = realloc(g->v, (g->n + 1) * sizeof(*g->v));
	assert_non_null(g->v);
	x = &g->v[g->n++];
	memset(x, 0, sizeof(*x));
	x->state = e->state;
	x->owner = e->owner;
	x->cls = e->cls;
	x->kind = e->kind;
	snprintf(x->dn, sizeof(x->dn), "%s", e->dn ? e->dn : "");
	snprintf(x->cloud_id, sizeof(x->cloud_id), "%s",
	    e->cloud_id ? e->cloud_id : "");
	snprintf(x->attr, sizeof(x->attr), "%s", e->attr ? e->attr : "");
	snprintf(x->reason, sizeof(x->reason), "%s", e->reason ? e->reason : "");
	join_vals(x->ad, sizeof(x->ad), &e->ad);
	join_vals(x->cloud, sizeof(x->cloud), &e->cloud);
	join_vals(x->add, sizeof(x->add), &e->add);
	join_vals(x->rem, sizeof(x->rem), &e->remove);
	x->cloud_known = e->cloud_known;
	for (i = 0; e->ad_diff != NULL && i < e->ad.n; i++)
		x->ad_marks += e->ad_diff[i];
	for (i = 0; e->cloud_diff != NULL && i < e->cloud.n; i++)
		x->cloud_marks += e->cloud_diff[i];
	map_report_count(&g->counts, e);
	return SB_OK;
}

/* Plans w and walks the report over the same sets. */
static void
walk(struct fx_world *w, const char *limit, struct gots *g,
    struct map_report_stats *stats)
{
	struct map_report_input in;
	struct sb_error err;
	struct plan *p = fx_plan(w);

	memset(g, 0, sizeof(*g));
	memset(&in, 0, sizeof(in));
	in.ad = &w->ad;
	in.cloud = &w->cloud;
	in.mailboxes = &w->mbx;
	in.opt = &w->opt;
	in.plan = p;
	in.limit = limit;
	assert_int_equal(map_report_walk(&in, collect, g, stats, &err), SB_OK);
	map_plan_free(p);
}

static const struct got *
find(const struct gots *g, const char *dn_or_id, const char *attr)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if ((strcmp(g->v[i].dn, dn_or_id) == 0 ||
		    strcmp(g->v[i].cloud_id, dn_or_id) == 0) &&
		    strcmp(g->v[i].attr, attr ? attr : "") == 0)
			return &g->v[i];
	return NULL;
}

/* Ann: isCloudManaged with a mailbox; Boss: synced, AD's, Ann's manager. */
static void
ann_and_boss(struct fx_world *w)
{
	struct dirobj *a, *c, *m;

	fx_world_init(w);
	a = fx_ad_user(ANN_DN, 1, 1105);
	fx_set(a, "displayName", "Ann Smith", NULL);
	fx_set(a, "title", "Engineer", NULL);
	fx_set(a, "proxyAddresses", "SMTP:ann@corp.example",
	    "smtp:old@corp.example", NULL);
	fx_set(a, "mail", "ann@corp.example", NULL);
	fx_add(&w->ad, a);
	a = fx_ad_user(BOSS_DN, 2, 1106);
	fx_set(a, "title", "Boss", NULL);
	fx_add(&w->ad, a);

	c = fx_cloud_user("id-ann", "Ann Smith", 1, 1105, SB_TRI_UNSET,
	    SB_TRI_TRUE);
	fx_set(c, "displayName", "Ann Smith", NULL);
	fx_set(c, "jobTitle", "Senior Engineer", NULL);
	fx_set(c, "manager", "id-boss", NULL);
	fx_add(&w->cloud, c);
	c = fx_cloud_user("id-boss", "Boss", 2, 1106, SB_TRI_TRUE,
	    SB_TRI_FALSE);
	fx_set(c, "jobTitle", "Chief", NULL);
	fx_add(&w->cloud, c);

	m = fx_mailbox("id-ann", SB_TRI_FALSE, SB_TRI_FALSE);
	fx_set(m, "EmailAddresses", "SMTP:ann@corp.example",
	    "smtp:as@corp.example", NULL);
	fx_set(m, "WindowsEmailAddress", "ann@corp.example", NULL);
	fx_add(&w->mbx, m);
}

static void
free_all(struct fx_world *w, struct gots *g)
{
	free(g->v);
	fx_world_free(w);
}

static void
test_report_drift_entries_carry_the_plans_values(void **state)
{
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	ann_and_boss(&w);
	walk(&w, NULL, &g, NULL);
	x = find(&g, ANN_DN, "title");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_CLOUD_DRIFT);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_CLOUD);
	assert_int_equal(x->cls, MAP_CLASS_IDENTITY);
	assert_string_equal(x->ad, "Engineer");
	assert_string_equal(x->cloud, "Senior Engineer");
	assert_string_equal(x->add, "Senior Engineer");
	assert_string_equal(x->rem, "Engineer");
	assert_int_equal(x->ad_marks, 1);
	assert_int_equal(x->cloud_marks, 1);
	/* multi-valued: only the value that goes and the one that comes */
	x = find(&g, ANN_DN, "proxyAddresses");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_CLOUD_DRIFT);
	assert_string_equal(x->add, "smtp:as@corp.example");
	assert_string_equal(x->rem, "smtp:old@corp.example");
	assert_int_equal(x->ad_marks, 1);
	assert_int_equal(x->cloud_marks, 1);
	/* the manager resolved through the join: a DN both sides */
	x = find(&g, ANN_DN, "manager");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_CLOUD_DRIFT);
	assert_string_equal(x->cloud, BOSS_DN);
	x = find(&g, ANN_DN, "mail");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_IN_SYNC);
	assert_int_equal(x->ad_marks + x->cloud_marks, 0);
	assert_true(map_report_has_drift(&g.counts));
	free_all(&w, &g);
}

static void
test_report_excluded_proxy_prefixes_are_no_drift(void **state)
{
	char *exclude[] = { "SPO:" };
	const struct got *x;
	struct fx_world w;
	struct gots g;
	struct plan *p;

	(void)state;
	ann_and_boss(&w);
	w.opt.proxy_exclude = exclude;
	w.opt.nproxy_exclude = 1;
	fx_set(w.ad.objs[0], "proxyAddresses", "SMTP:ann@corp.example",
	    "spo:SPO_old@SPO_0a1b2c", NULL);
	fx_set(w.mbx.objs[0], "EmailAddresses", "SMTP:ann@corp.example",
	    "SPO:SPO_new@SPO_0a1b2c", NULL);
	p = fx_plan(&w);
	fx_apply_plan(&w.ad, p);
	map_plan_free(p);
	walk(&w, NULL, &g, NULL);
	x = find(&g, ANN_DN, "proxyAddresses");
	assert_non_null(x);
	/* AD keeps its SPO: value, the cloud's is never written: in sync */
	assert_int_equal(x->state, MAP_REPORT_IN_SYNC);
	assert_string_equal(x->ad, "SMTP:ann@corp.example|"
	    "spo:SPO_old@SPO_0a1b2c");
	assert_string_equal(x->cloud, "SMTP:ann@corp.example");
	assert_false(map_report_has_drift(&g.counts));
	free_all(&w, &g);
}

/* Plans w, then puts a finding of kind on cloud object id in place of its own. */
static void
walk_with_finding(struct fx_world *w, const char *id, const char *dn,
    enum finding_kind kind, struct gots *g)
{
	struct map_report_input in;
	struct sb_error err;
	struct plan *p = fx_plan(w);
	struct dirobj ad, cloud;
	size_t i, keep = 0;

	for (i = 0; i < p->nfindings; i++) {
		if (p->findings[i].cloud_id != NULL &&
		    strcmp(p->findings[i].cloud_id, id) == 0) {
			free(p->findings[i].dn);
			free(p->findings[i].cloud_id);
			free(p->findings[i].display_name);
			free(p->findings[i].attr);
			free(p->findings[i].message);
			continue;
		}
		p->findings[keep++] = p->findings[i];
	}
	p->nfindings = keep;
	memset(&ad, 0, sizeof(ad));
	memset(&cloud, 0, sizeof(cloud));
	ad.dn = (char *)dn;
	cloud.cloud_id = (char *)id;
	assert_int_equal(map_plan_add_finding(p, NULL, kind, &ad, &cloud,
	    NULL, "its source of authority could not be read"), SB_OK);
	map_plan_sort(p);
	memset(g, 0, sizeof(*g));
	memset(&in, 0, sizeof(in));
	in.ad = &w->ad;
	in.cloud = &w->cloud;
	in.mailboxes = &w->mbx;
	in.opt = &w->opt;
	in.plan = p;
	assert_int_equal(map_report_walk(&in, collect, g, NULL, &err), SB_OK);
	map_plan_free(p);
}

static void
test_report_soa_unreadable_object_has_no_owner_and_is_refused(void **state)
{
	struct dirobj *a, *c;
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	ann_and_boss(&w);
	a = fx_ad_user(BOB_DN, 3, 1107);
	fx_set(a, "title", "Clerk", NULL);
	fx_add(&w.ad, a);
	/* a candidate whose isCloudManaged was never read */
	c = fx_cloud_user("id-bob", "Bob", 3, 1107, SB_TRI_UNSET, SB_TRI_UNSET);
	fx_set(c, "jobTitle", "Manager", NULL);
	fx_add(&w.cloud, c);
	walk_with_finding(&w, "id-bob", BOB_DN, MAP_FINDING_SOA_UNREADABLE, &g);
	x = find(&g, BOB_DN, "title");
	assert_non_null(x);
	/* never "AD is authoritative": nobody knows who owns it */
	assert_int_equal(x->state, MAP_REPORT_REFUSED);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_NONE);
	assert_string_equal(x->reason, "soa-unreadable");
	x = find(&g, BOB_DN, NULL);
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_REFUSED);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_NONE);
	assert_string_equal(x->reason, "soa-unreadable");
	free_all(&w, &g);

	/* gone-in-cloud: its own entry has no cloud object to own it */
	ann_and_boss(&w);
	walk_with_finding(&w, "id-ann", ANN_DN, MAP_FINDING_GONE_IN_CLOUD, &g);
	x = find(&g, ANN_DN, NULL);
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_UNJOINED);
	assert_string_equal(x->reason, "gone-in-cloud");
	free_all(&w, &g);
}

static void
test_report_after_sync_nothing_is_cloud_drift(void **state)
{
	const struct got *x;
	struct fx_world w;
	struct gots g;
	struct plan *p;

	(void)state;
	ann_and_boss(&w);
	p = fx_plan(&w);
	fx_apply_plan(&w.ad, p);
	map_plan_free(p);
	walk(&w, NULL, &g, NULL);
	assert_int_equal(g.counts.state[MAP_REPORT_CLOUD_DRIFT], 0);
	assert_false(map_report_has_drift(&g.counts));
	x = find(&g, ANN_DN, "title");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_IN_SYNC);
	assert_string_equal(x->ad, "Senior Engineer");
	assert_string_equal(x->cloud, "Senior Engineer");
	free_all(&w, &g);
}

static void
test_report_ad_owned_difference_is_informational(void **state)
{
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	ann_and_boss(&w);
	walk(&w, NULL, &g, NULL);
	x = find(&g, BOSS_DN, "title");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_AD_DIFFERENCE);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_AD);
	assert_string_equal(x->reason, "ad-authoritative");
	assert_string_equal(x->ad, "Boss");
	assert_string_equal(x->cloud, "Chief");
	assert_string_equal(x->add, "Chief");
	free_all(&w, &g);
}

static void
test_report_exchange_cloud_managed_owns_exchange_only(void **state)
{
	struct dirobj *a, *c, *m;
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	fx_world_init(&w);
	a = fx_ad_user(BOB_DN, 3, 1107);
	fx_set(a, "title", "AD title", NULL);
	fx_set(a, "extensionAttribute1", "ad-one", NULL);
	fx_add(&w.ad, a);
	c = fx_cloud_user("id-bob", "Bob", 3, 1107, SB_TRI_TRUE, SB_TRI_FALSE);
	fx_set(c, "jobTitle", "Cloud title", NULL);
	fx_add(&w.cloud, c);
	m = fx_mailbox("id-bob", SB_TRI_TRUE, SB_TRI_TRUE);
	fx_set(m, "CustomAttribute1", "cloud-one", NULL);
	fx_add(&w.mbx, m);
	walk(&w, NULL, &g, NULL);
	x = find(&g, BOB_DN, "extensionAttribute1");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_CLOUD_DRIFT);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_EXCHANGE);
	assert_int_equal(x->cls, MAP_CLASS_EXCHANGE);
	x = find(&g, BOB_DN, "title");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_AD_DIFFERENCE);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_AD);
	free_all(&w, &g);
}

static void
test_report_refuses_out_of_scope_and_protected_objects(void **state)
{
	struct dirobj *a, *c;
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	fx_world_init(&w);
	a = fx_ad_user(OUT_DN, 4, 1108);
	fx_set(a, "title", "Old", NULL);
	fx_add(&w.ad, a);
	a = fx_ad_user(ADM_DN, 5, 1109);
	fx_set(a, "title", "Old", NULL);
	fx_set(a, "adminCount", "1", NULL);
	fx_add(&w.ad, a);
	c = fx_cloud_user("id-olga", "Olga", 4, 0, SB_TRI_UNSET, SB_TRI_TRUE);
	fx_set(c, "jobTitle", "New", NULL);
	fx_add(&w.cloud, c);
	c = fx_cloud_user("id-adam", "Adam", 5, 0, SB_TRI_UNSET, SB_TRI_TRUE);
	fx_set(c, "jobTitle", "New", NULL);
	fx_add(&w.cloud, c);
	walk(&w, NULL, &g, NULL);
	x = find(&g, OUT_DN, "title");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_REFUSED);
	assert_string_equal(x->reason, "out-of-scope");
	assert_int_equal(x->owner, MAP_REPORT_OWNER_CLOUD);
	assert_string_equal(x->add, "New");
	x = find(&g, ADM_DN, "title");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_REFUSED);
	assert_string_equal(x->reason, "protected");
	assert_int_equal(g.counts.state[MAP_REPORT_CLOUD_DRIFT], 0);
	assert_false(map_report_has_drift(&g.counts));
	free_all(&w, &g);
}

static void
test_report_unresolved_manager_shows_the_cloud_id(void **state)
{
	struct dirobj *a, *c;
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	fx_world_init(&w);
	a = fx_ad_user(ANN_DN, 1, 1105);
	fx_set(a, "manager", BOSS_DN, NULL);
	fx_add(&w.ad, a);
	c = fx_cloud_user("id-ann", "Ann", 1, 0, SB_TRI_UNSET, SB_TRI_TRUE);
	fx_set(c, "manager", "id-nobody", NULL);
	fx_add(&w.cloud, c);
	walk(&w, NULL, &g, NULL);
	x = find(&g, ANN_DN, "manager");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_UNRESOLVED);
	assert_string_equal(x->ad, BOSS_DN);
	assert_string_equal(x->cloud, "id-nobody");
	assert_string_equal(x->reason, "unresolved");
	free_all(&w, &g);
}

static void
test_report_lists_unjoined_objects_on_both_sides(void **state)
{
	unsigned char g16[16];
	struct dirobj *a, *c;
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	fx_world_init(&w);
	/* synced in AD (mS-DS-ConsistencyGuid), nothing in the cloud */
	a = fx_ad_user(BOB_DN, 7, 0);
	fx_guid(g16, 7);
	assert_int_equal(sb_bytes_copy(&a->consistency_guid, g16, 16, NULL),
	    SB_OK);
	fx_add(&w.ad, a);
	/* never synced in AD: not listed */
	fx_add(&w.ad, fx_ad_user(BOSS_DN, 8, 0));
	/* an anchor that matches nothing, and a cloud-only user */
	fx_add(&w.cloud, fx_cloud_user("id-lost", "Lost", 9, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	c = fx_cloud_user("id-cloud", "Cloud Only", 0, 0, SB_TRI_UNSET,
	    SB_TRI_FALSE);
	fx_add(&w.cloud, c);
	fx_add(&w.mbx, fx_mailbox("id-stray", SB_TRI_TRUE, SB_TRI_TRUE));
	walk(&w, NULL, &g, NULL);
	x = find(&g, "id-lost", NULL);
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_UNJOINED);
	assert_string_equal(x->reason, "not-joined");
	assert_int_equal(x->kind, DIROBJ_USER);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_NONE);
	x = find(&g, "id-cloud", NULL);
	assert_non_null(x);
	assert_string_equal(x->reason, "cloud-only");
	x = find(&g, "id-stray", NULL);
	assert_non_null(x);
	assert_int_equal(x->kind, DIROBJ_MAILBOX);
	x = find(&g, BOB_DN, NULL);
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_UNJOINED);
	assert_string_equal(x->reason, "ad-only");
	assert_null(find(&g, BOSS_DN, NULL));
	assert_int_equal(g.counts.state[MAP_REPORT_UNJOINED], 4);
	assert_int_equal(g.counts.cls[map_report_class_slot(0)], 4);
	free_all(&w, &g);
}

static void
test_report_limit_turns_drift_into_refused_and_still_counts_as_drift(
    void **state)
{
	const struct got *x;
	struct fx_world w;
	struct gots g;

	(void)state;
	ann_and_boss(&w);
	walk(&w, "over max_changes", &g, NULL);
	x = find(&g, ANN_DN, "title");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_REFUSED);
	assert_string_equal(x->reason, "limit");
	assert_string_equal(x->add, "Senior Engineer");
	assert_int_equal(g.counts.state[MAP_REPORT_CLOUD_DRIFT], 0);
	assert_true(g.counts.limit_refused > 0);
	assert_true(map_report_has_drift(&g.counts));
	free_all(&w, &g);
}

static void
test_report_counts_attributes_empty_on_both_sides_without_listing_them(
    void **state)
{
	struct map_report_stats st;
	struct fx_world w;
	struct gots g;
	size_t nmap;

	(void)state;
	ann_and_boss(&w);
	map_attrmap_default(&nmap);
	walk(&w, NULL, &g, &st);
	assert_null(find(&g, ANN_DN, "extensionAttribute9"));
	assert_int_equal(st.joined, 2);
	assert_int_equal(st.ad_objects, 2);
	assert_int_equal(st.cloud_objects, 2);
	assert_int_equal(st.mailboxes, 1);
	/* every attribute of the map, of both joined objects, is one or other */
	assert_int_equal(g.n + st.empty, 2 * nmap);
	free_all(&w, &g);
}

static void
test_report_counts_by_state_owner_and_class(void **state)
{
	struct fx_world w;
	struct gots g;
	size_t i, sum_s = 0, sum_o = 0, sum_c = 0;

	(void)state;
	ann_and_boss(&w);
	walk(&w, NULL, &g, NULL);
	for (i = 0; i < MAP_REPORT_NSTATES; i++)
		sum_s += g.counts.state[i];
	for (i = 0; i < MAP_REPORT_NOWNERS; i++)
		sum_o += g.counts.owner[i];
	for (i = 0; i < MAP_REPORT_NCLASSES; i++)
		sum_c += g.counts.cls[i];
	assert_int_equal(g.counts.entries, g.n);
	assert_int_equal(sum_s, g.n);
	assert_int_equal(sum_o, g.n);
	assert_int_equal(sum_c, g.n);
	assert_true(g.counts.owner[MAP_REPORT_OWNER_CLOUD] > 0);
	assert_true(g.counts.owner[MAP_REPORT_OWNER_AD] > 0);
	free_all(&w, &g);
}

static void
test_report_entries_come_in_dn_order_whatever_the_input_order(void **state)
{
	struct fx_world w;
	struct gots g;
	size_t i;

	(void)state;
	ann_and_boss(&w);
	walk(&w, NULL, &g, NULL);
	/* Ann's entries all come before Boss's: by DN, not by cloud order */
	for (i = 1; i < g.n; i++)
		assert_true(strcmp(g.v[i - 1].dn, g.v[i].dn) <= 0);
	free_all(&w, &g);
}

/* A member change of parts, a move and a group to create, outside the map. */
static void
test_report_shows_changes_outside_the_map_once_per_attribute(void **state)
{
	const struct sb_bytes m1 = { (unsigned char *)"CN=M1", 5 };
	const struct sb_bytes m2 = { (unsigned char *)"CN=M2", 5 };
	const struct sb_bytes gc = { (unsigned char *)"group", 5 };
	const struct sb_bytes *p1[] = { &m1 }, *p2[] = { &m2 }, *pg[] = { &gc };
	struct map_report_input in;
	struct dirobj *g, *n, *c;
	const struct got *x;
	struct sb_error err;
	struct fx_world w;
	struct change ch;
	struct plan *p;
	struct gots got;
	int part;

	(void)state;
	fx_world_init(&w);
	g = dirobj_new(DIROBJ_GROUP);
	n = dirobj_new(DIROBJ_GROUP);
	c = dirobj_new(DIROBJ_GROUP);
	assert_int_equal(dirobj_set_str(&g->dn, "CN=G," FX_STAFF, NULL), SB_OK);
	assert_int_equal(dirobj_set_str(&n->dn, "CN=New," FX_STAFF, NULL),
	    SB_OK);
	assert_int_equal(dirobj_set_str(&c->cloud_id, "id-g", NULL), SB_OK);
	p = map_plan_new();
	assert_non_null(p);
	for (part = 1; part <= 2; part++) {
		assert_int_equal(map_change_init(&ch, MAP_CHANGE_MODIFY, g, c,
		    "provisioned", NULL), SB_OK);
		assert_int_equal(map_change_add_delta(&ch, "member",
		    MAP_DELTA_ADD, part == 1 ? p1 : p2, 1, NULL, 0, NULL), SB_OK);
		assert_int_equal(map_plan_take_change(p, &ch, NULL), SB_OK);
	}
	assert_int_equal(map_change_init(&ch, MAP_CHANGE_RENAME, g, c,
	    "provisioned", NULL), SB_OK);
	ch.new_rdn = strdup("CN=G");
	ch.new_superior = strdup("OU=Groups," FX_BASE);
	assert_int_equal(map_plan_take_change(p, &ch, NULL), SB_OK);
	assert_int_equal(map_change_init(&ch, MAP_CHANGE_ADD, n, c,
	    "groups.provision", NULL), SB_OK);
	assert_int_equal(map_change_add_delta(&ch, "objectClass",
	    MAP_DELTA_ADD, pg, 1, NULL, 0, NULL), SB_OK);
	assert_int_equal(map_plan_take_change(p, &ch, NULL), SB_OK);
	memset(&in, 0, sizeof(in));
	memset(&got, 0, sizeof(got));
	in.ad = &w.ad;
	in.cloud = &w.cloud;
	in.mailboxes = &w.mbx;
	in.opt = &w.opt;
	in.plan = p;
	assert_int_equal(map_report_walk(&in, collect, &got, NULL, &err),
	    SB_OK);
	assert_int_equal(got.n, 3);
	x = find(&got, "CN=G," FX_STAFF, "member");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_CLOUD_DRIFT);
	assert_int_equal(x->cls, MAP_CLASS_MEMBERSHIP);
	assert_int_equal(x->kind, DIROBJ_GROUP);
	assert_string_equal(x->add, "CN=M1|CN=M2");
	assert_string_equal(x->cloud, "CN=M1|CN=M2");
	x = find(&got, "CN=G," FX_STAFF, "distinguishedName");
	assert_non_null(x);
	assert_int_equal(x->cls, MAP_CLASS_PLACEMENT);
	assert_string_equal(x->cloud, "CN=G,OU=Groups," FX_BASE);
	assert_string_equal(x->rem, "CN=G," FX_STAFF);
	x = find(&got, "CN=New," FX_STAFF, "objectClass");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_CLOUD_DRIFT);
	assert_int_equal(x->cls, MAP_CLASS_PLACEMENT);
	assert_string_equal(x->ad, "");
	free(got.v);
	map_plan_free(p);
	dirobj_free(g);
	dirobj_free(n);
	dirobj_free(c);
	fx_world_free(&w);
}

/* issue 11: an existing cloud-managed group without an OU value stays. */
static void
test_report_says_a_group_without_an_ou_value_stays(void **state)
{
	const char *dn = "CN=SG-Fin,OU=Finance," FX_GROUPS;
	struct dirobj *ad, *cl;
	const struct got *x;
	struct fx_gworld g;
	struct gots got;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	ad = fx_ad_group(dn, 10, 2001);
	fx_set(ad, "displayName", "SG-Fin", NULL);
	fx_add(&g.w.ad, ad);
	cl = fx_cloud_group("id-fin", "SG-Fin", 2001, SB_TRI_TRUE);
	fx_add(&g.w.cloud, cl);
	walk(&g.w, NULL, &got, NULL);
	x = find(&got, dn, "distinguishedName");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_IN_SYNC);
	assert_int_equal(x->cls, MAP_CLASS_PLACEMENT);
	assert_int_equal(x->owner, MAP_REPORT_OWNER_CLOUD);
	assert_string_equal(x->reason, "stays");
	assert_string_equal(x->ad, dn);
	assert_false(x->cloud_known);
	free(got.v);
	/* With a value naming another allowed OU: the move, no note. */
	fx_set(cl, FX_EXT, "CN=SG-Fin," FX_CLOUDG, NULL);
	walk(&g.w, NULL, &got, NULL);
	x = find(&got, dn, "distinguishedName");
	assert_non_null(x);
	assert_int_equal(x->state, MAP_REPORT_CLOUD_DRIFT);
	assert_string_equal(x->reason, "");
	free_all(&g.w, &got);
}

/* A parent read only for nested protection is no AD object of the report. */
static void
test_report_leaves_out_parents_read_for_protection(void **state)
{
	struct map_report_stats stats;
	struct dirobj *p;
	struct fx_world w;
	struct gots got;
	unsigned char g[16];

	(void)state;
	fx_world_init(&w);
	fx_add(&w.ad, fx_ad_user(ANN_DN, 1, 0));
	p = fx_ad_user("CN=DnsAdmins,CN=Users," FX_BASE, 2, 1101);
	p->kind = DIROBJ_GROUP;
	fx_guid(g, 9);	/* as if synced: would be an "ad-only" entry */
	assert_int_equal(sb_bytes_copy(&p->consistency_guid, g, 16, NULL),
	    SB_OK);
	p->protect_only = 1;
	fx_add(&w.ad, p);
	walk(&w, NULL, &got, &stats);
	assert_int_equal(stats.ad_objects, 1);
	assert_null(find(&got, "CN=DnsAdmins,CN=Users," FX_BASE, NULL));
	free_all(&w, &got);
}

static enum sb_status
stop_at_first(const struct map_report_entry *e, void *arg,
    struct sb_error *err)
{
	(void)e;
	(*(int *)arg)++;
	return sb_fail(err, SB_STOP, 0, "test", "stop");
}

static void
test_report_walk_stops_at_the_first_callback_failure(void **state)
{
	struct map_report_input in;
	struct sb_error err;
	struct fx_world w;
	struct plan *p;
	int calls = 0;

	(void)state;
	ann_and_boss(&w);
	p = fx_plan(&w);
	memset(&in, 0, sizeof(in));
	in.ad = &w.ad;
	in.cloud = &w.cloud;
	in.mailboxes = &w.mbx;
	in.opt = &w.opt;
	in.plan = p;
	assert_int_equal(map_report_walk(&in, stop_at_first, &calls, NULL,
	    &err), SB_STOP);
	assert_int_equal(calls, 1);
	map_plan_free(p);
	fx_world_free(&w);
}

static void
test_report_state_and_owner_names_are_the_documented_tokens(void **state)
{
	(void)state;
	assert_string_equal(map_report_state_name(MAP_REPORT_IN_SYNC),
	    "in-sync");
	assert_string_equal(map_report_state_name(MAP_REPORT_CLOUD_DRIFT),
	    "cloud-drift");
	assert_string_equal(map_report_state_name(MAP_REPORT_AD_DIFFERENCE),
	    "ad-difference");
	assert_string_equal(map_report_state_name(MAP_REPORT_REFUSED),
	    "refused");
	assert_string_equal(map_report_state_name(MAP_REPORT_UNRESOLVED),
	    "unresolved");
	assert_string_equal(map_report_state_name(MAP_REPORT_UNJOINED),
	    "unjoined");
	assert_string_equal(map_report_owner_name(MAP_REPORT_OWNER_CLOUD),
	    "isCloudManaged");
	assert_string_equal(map_report_owner_name(MAP_REPORT_OWNER_EXCHANGE),
	    "IsExchangeCloudManaged");
	assert_string_equal(map_report_owner_name(MAP_REPORT_OWNER_AD), "AD");
	assert_string_equal(map_report_slot_name(
	    map_report_class_slot(MAP_CLASS_MEMBERSHIP)), "membership");
	assert_string_equal(map_report_slot_name(map_report_class_slot(0)),
	    "object");
}

static void
test_report_every_state_has_a_full_label_row_and_unknown_is_named(
    void **state)
{
	const struct map_report_state_label *lb;
	size_t i;

	(void)state;
	for (i = 0; i < MAP_REPORT_NSTATES; i++) {
		lb = map_report_state_label((enum map_report_state)i);
		assert_non_null(lb->name);
		assert_non_null(lb->title);
		assert_non_null(lb->hint);
		assert_non_null(lb->note);
		assert_non_null(lb->heading);
		assert_string_equal(lb->name,
		    map_report_state_name((enum map_report_state)i));
	}
	lb = map_report_state_label(MAP_REPORT_CLOUD_DRIFT);
	assert_string_equal(lb->title, "cloud-owned drift");
	assert_string_equal(lb->note, "sync would write these");
	lb = map_report_state_label((enum map_report_state)MAP_REPORT_NSTATES);
	assert_string_equal(lb->name, "unknown");
	assert_string_equal(lb->hint, "");
	assert_string_equal(map_report_owner_name(
	    (enum map_report_owner)MAP_REPORT_NOWNERS), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_drift_entries_carry_the_plans_values),
		cmocka_unit_test(test_report_after_sync_nothing_is_cloud_drift),
		cmocka_unit_test(test_report_ad_owned_difference_is_informational),
		cmocka_unit_test(test_report_exchange_cloud_managed_owns_exchange_only),
		cmocka_unit_test(test_report_refuses_out_of_scope_and_protected_objects),
		cmocka_unit_test(test_report_unresolved_manager_shows_the_cloud_id),
		cmocka_unit_test(test_report_lists_unjoined_objects_on_both_sides),
		cmocka_unit_test(test_report_limit_turns_drift_into_refused_and_still_counts_as_drift),
		cmocka_unit_test(test_report_counts_attributes_empty_on_both_sides_without_listing_them),
		cmocka_unit_test(test_report_counts_by_state_owner_and_class),
		cmocka_unit_test(test_report_entries_come_in_dn_order_whatever_the_input_order),
		cmocka_unit_test(test_report_shows_changes_outside_the_map_once_per_attribute),
		cmocka_unit_test(test_report_says_a_group_without_an_ou_value_stays),
		cmocka_unit_test(test_report_leaves_out_parents_read_for_protection),
		cmocka_unit_test(test_report_walk_stops_at_the_first_callback_failure),
		cmocka_unit_test(test_report_state_and_owner_names_are_the_documented_tokens),
		cmocka_unit_test(test_report_every_state_has_a_full_label_row_and_unknown_is_named),
		cmocka_unit_test(test_report_excluded_proxy_prefixes_are_no_drift),
		cmocka_unit_test(test_report_soa_unreadable_object_has_no_owner_and_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
