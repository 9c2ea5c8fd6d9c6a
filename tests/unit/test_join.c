/* Unit tests of mapping/join.c: anchors, fallbacks, ambiguity, mailboxes, lookups. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/join.h"
#include "test_mapping.h"

#define ANN_DN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define BOB_DN	"CN=Bob,OU=Staff,DC=corp,DC=example"

struct jw {
	struct dirset	 ad, cloud, mbx;
	struct plan	*findings;
	struct map_join	*j;
};

static void
jw_init(struct jw *w)
{
	dirset_init(&w->ad);
	dirset_init(&w->cloud);
	dirset_init(&w->mbx);
	w->findings = map_plan_new();
	assert_non_null(w->findings);
	w->j = NULL;
}

static void
jw_join(struct jw *w)
{
	assert_int_equal(map_join_build(&w->ad, &w->cloud, &w->mbx,
	    w->findings, &w->j, NULL), SB_OK);
	assert_int_equal(map_join_count(w->j), w->cloud.n);
}

static void
jw_free(struct jw *w)
{
	map_join_free(w->j);
	map_plan_free(w->findings);
	dirset_free(&w->ad);
	dirset_free(&w->cloud);
	dirset_free(&w->mbx);
}

static void
test_join_prefers_consistency_guid_over_object_guid(void **state)
{
	struct dirobj *ann, *bob;
	unsigned char g[16];
	struct jw w;

	(void)state;
	jw_init(&w);
	/* Ann's objectGUID is 1 but her mS-DS-ConsistencyGuid is 7. */
	ann = fx_ad_user(ANN_DN, 1, 0);
	fx_guid(g, 7);
	assert_int_equal(sb_bytes_copy(&ann->consistency_guid, g, 16, NULL),
	    SB_OK);
	fx_add(&w.ad, ann);
	bob = fx_ad_user(BOB_DN, 2, 0);
	fx_add(&w.ad, bob);
	fx_add(&w.cloud, fx_cloud_user("id-ann", "Ann", 7, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	/* immutableId = Ann's objectGUID: not her anchor any more */
	fx_add(&w.cloud, fx_cloud_user("id-old", "Old", 1, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_ptr_equal(map_join_pair(w.j, 0)->ad, ann);
	assert_int_equal(map_join_pair(w.j, 0)->key, MAP_JOIN_CONSISTENCY_GUID);
	assert_null(map_join_pair(w.j, 1)->ad);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_NOT_JOINED), 1);
	assert_string_equal(map_join_key_name(MAP_JOIN_CONSISTENCY_GUID),
	    "mS-DS-ConsistencyGuid");
	jw_free(&w);
}

static void
test_join_matches_object_guid_bytes_with_zero_bytes(void **state)
{
	struct dirobj *ann, *bob;
	struct jw w;

	(void)state;
	jw_init(&w);
	/* fx_guid puts a zero in byte 0: a strlen-based join would break. */
	ann = fx_ad_user(ANN_DN, 3, 0);
	bob = fx_ad_user(BOB_DN, 4, 0);
	fx_add(&w.ad, ann);
	fx_add(&w.ad, bob);
	fx_add(&w.cloud, fx_cloud_user("id-bob", "Bob", 4, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	fx_add(&w.cloud, fx_cloud_user("id-ann", "Ann", 3, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_ptr_equal(map_join_pair(w.j, 0)->ad, bob);
	assert_ptr_equal(map_join_pair(w.j, 1)->ad, ann);
	assert_int_equal(map_join_pair(w.j, 1)->key, MAP_JOIN_OBJECT_GUID);
	assert_int_equal(w.findings->nfindings, 0);
	jw_free(&w);
}

static void
test_join_falls_back_to_the_sid_when_the_immutable_id_is_unknown(void **state)
{
	struct dirobj *ann, *c;
	struct jw w;

	(void)state;
	jw_init(&w);
	ann = fx_ad_user(ANN_DN, 1, 1105);
	fx_add(&w.ad, ann);
	/* an immutableId from another anchor source, and Ann's SID */
	c = fx_cloud_user("id-ann", "Ann", 0, 1105, SB_TRI_TRUE, SB_TRI_FALSE);
	assert_int_equal(dirobj_set_str(&c->immutable_id, "YW5uQGNvcnA=",
	    NULL), SB_OK);
	fx_add(&w.cloud, c);
	fx_add(&w.cloud, fx_cloud_user("id-x", "X", 0, 1106, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_ptr_equal(map_join_pair(w.j, 0)->ad, ann);
	assert_int_equal(map_join_pair(w.j, 0)->key, MAP_JOIN_SID);
	assert_null(map_join_pair(w.j, 1)->ad);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_NOT_JOINED), 1);
	jw_free(&w);
}

static void
test_join_reports_an_anchored_cloud_object_without_ad_match(void **state)
{
	const struct finding *f;
	struct jw w;

	(void)state;
	jw_init(&w);
	fx_add(&w.ad, fx_ad_user(ANN_DN, 1, 1105));
	fx_add(&w.cloud, fx_cloud_user("id-gone", "Gone", 9, 1199,
	    SB_TRI_TRUE, SB_TRI_TRUE));
	jw_join(&w);
	assert_null(map_join_pair(w.j, 0)->ad);
	assert_int_equal(map_join_pair(w.j, 0)->key, MAP_JOIN_NONE);
	f = fx_finding(w.findings, MAP_FINDING_NOT_JOINED);
	assert_non_null(f);
	assert_string_equal(f->cloud_id, "id-gone");
	assert_string_equal(f->display_name, "Gone");
	assert_null(f->dn);
	jw_free(&w);
}

static void
test_join_reports_two_ad_objects_with_one_anchor_as_ambiguous(void **state)
{
	struct dirobj *bob;
	unsigned char g[16];
	struct jw w;

	(void)state;
	jw_init(&w);
	fx_add(&w.ad, fx_ad_user(ANN_DN, 1, 0));
	/* Bob's consistency guid copies Ann's objectGUID (a bad migration) */
	bob = fx_ad_user(BOB_DN, 2, 0);
	fx_guid(g, 1);
	assert_int_equal(sb_bytes_copy(&bob->consistency_guid, g, 16, NULL),
	    SB_OK);
	fx_add(&w.ad, bob);
	fx_add(&w.cloud, fx_cloud_user("id-ann", "Ann", 1, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_null(map_join_pair(w.j, 0)->ad);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_AMBIGUOUS_JOIN),
	    1);
	jw_free(&w);
}

static void
test_join_reports_anchors_that_disagree_as_ambiguous(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w);
	fx_add(&w.ad, fx_ad_user(ANN_DN, 1, 1105));
	fx_add(&w.ad, fx_ad_user(BOB_DN, 2, 1106));
	/* immutableId says Ann, SID says Bob */
	fx_add(&w.cloud, fx_cloud_user("id-x", "X", 1, 1106, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_null(map_join_pair(w.j, 0)->ad);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_AMBIGUOUS_JOIN),
	    1);
	jw_free(&w);
}

static void
test_join_refuses_two_cloud_objects_on_one_ad_object(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w);
	fx_add(&w.ad, fx_ad_user(ANN_DN, 1, 1105));
	fx_add(&w.cloud, fx_cloud_user("id-a", "A", 1, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	fx_add(&w.cloud, fx_cloud_user("id-b", "B", 0, 1105, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_null(map_join_pair(w.j, 0)->ad);
	assert_null(map_join_pair(w.j, 1)->ad);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_AMBIGUOUS_JOIN),
	    2);
	jw_free(&w);
}

static void
test_join_reports_cloud_only_objects(void **state)
{
	struct jw w;

	(void)state;
	jw_init(&w);
	fx_add(&w.ad, fx_ad_user(ANN_DN, 1, 1105));
	fx_add(&w.cloud, fx_cloud_user("id-new", "New", 0, 0, SB_TRI_UNSET,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_null(map_join_pair(w.j, 0)->ad);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_CLOUD_ONLY), 1);
	assert_int_equal(w.findings->nfindings, 1);
	jw_free(&w);
}

static void
test_join_does_not_pair_a_user_with_an_ad_group(void **state)
{
	struct dirobj *grp;
	struct jw w;

	(void)state;
	jw_init(&w);
	grp = fx_ad_user("CN=G,OU=Staff,DC=corp,DC=example", 1, 0);
	grp->kind = DIROBJ_GROUP;
	fx_add(&w.ad, grp);
	fx_add(&w.cloud, fx_cloud_user("id-a", "A", 1, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_null(map_join_pair(w.j, 0)->ad);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_NOT_JOINED), 1);
	jw_free(&w);
}

static void
test_join_attaches_mailboxes_by_external_directory_object_id(void **state)
{
	struct dirobj *m, *m2, *m3, *orphan;
	struct jw w;

	(void)state;
	jw_init(&w);
	fx_add(&w.ad, fx_ad_user(ANN_DN, 1, 0));
	fx_add(&w.ad, fx_ad_user(BOB_DN, 2, 0));
	fx_add(&w.cloud, fx_cloud_user("6f1c0a2e-aaaa-4bbb-8ccc-000000000001",
	    "Ann", 1, 0, SB_TRI_TRUE, SB_TRI_FALSE));
	fx_add(&w.cloud, fx_cloud_user("id-bob", "Bob", 2, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	/* EXO may print the id in another case */
	m = fx_mailbox("6F1C0A2E-AAAA-4BBB-8CCC-000000000001", SB_TRI_TRUE,
	    SB_TRI_TRUE);
	fx_add(&w.mbx, m);
	m2 = fx_mailbox("id-bob", SB_TRI_TRUE, SB_TRI_TRUE);
	m3 = fx_mailbox("id-bob", SB_TRI_TRUE, SB_TRI_TRUE);
	fx_add(&w.mbx, m2);
	fx_add(&w.mbx, m3);
	orphan = fx_mailbox("id-nobody", SB_TRI_TRUE, SB_TRI_TRUE);
	fx_add(&w.mbx, orphan);
	jw_join(&w);
	assert_ptr_equal(map_join_pair(w.j, 0)->mailbox, m);
	assert_null(map_join_pair(w.j, 1)->mailbox);
	assert_true(map_join_pair(w.j, 1)->mailbox_ambiguous);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_AMBIGUOUS_JOIN),
	    1);
	assert_int_equal(fx_findings(w.findings, MAP_FINDING_NOT_JOINED), 1);
	jw_free(&w);
}

static void
test_join_looks_up_the_ad_object_of_a_cloud_id(void **state)
{
	struct dirobj *ann;
	struct jw w;

	(void)state;
	jw_init(&w);
	ann = fx_ad_user(ANN_DN, 1, 0);
	fx_add(&w.ad, ann);
	fx_add(&w.cloud, fx_cloud_user("id-ann", "Ann", 1, 0, SB_TRI_TRUE,
	    SB_TRI_FALSE));
	fx_add(&w.cloud, fx_cloud_user("id-cloud", "C", 0, 0, SB_TRI_UNSET,
	    SB_TRI_FALSE));
	jw_join(&w);
	assert_ptr_equal(map_join_ad_of(w.j, "id-ann"), ann);
	assert_ptr_equal(map_join_ad_of(w.j, "ID-ANN"), ann);
	assert_null(map_join_ad_of(w.j, "id-cloud"));
	assert_non_null(map_join_find(w.j, "id-cloud"));
	assert_null(map_join_ad_of(w.j, "id-unknown"));
	assert_null(map_join_ad_of(w.j, ""));
	jw_free(&w);
}

/* 20000 objects each side: linear tables, so this takes milliseconds. */
static void
test_join_pairs_twenty_thousand_objects_in_linear_time(void **state)
{
	char dn[64], id[32];
	struct jw w;
	size_t i, n = 20000;
	struct dirobj *a, *c;
	char *imm;

	(void)state;
	jw_init(&w);
	for (i = 0; i < n; i++) {
		snprintf(dn, sizeof(dn), "CN=u%zu,OU=Staff,DC=corp,DC=example",
		    i);
		a = fx_ad_user(dn, 0, 0);
		a->guid.p[0] = (unsigned char)(i >> 16);
		a->guid.p[1] = (unsigned char)(i >> 8);
		a->guid.p[2] = (unsigned char)i;
		fx_add(&w.ad, a);
		snprintf(id, sizeof(id), "id-%zu", n - 1 - i);
		c = fx_cloud_user(id, id, 0, 0, SB_TRI_TRUE, SB_TRI_FALSE);
		fx_add(&w.cloud, c);
	}
	for (i = 0; i < n; i++) {
		a = w.ad.objs[n - 1 - i];
		assert_int_equal(map_immutable_id_from_guid(a->guid.p, 16,
		    &imm, NULL), SB_OK);
		w.cloud.objs[i]->immutable_id = imm;
	}
	jw_join(&w);
	for (i = 0; i < n; i++)
		assert_ptr_equal(map_join_pair(w.j, i)->ad, w.ad.objs[n - 1 - i]);
	assert_int_equal(w.findings->nfindings, 0);
	jw_free(&w);
}

/* A group read only for nested protection (dirobj.h). */
static struct dirobj *
protect_only(const char *dn, int seed, unsigned rid, const char *anchor)
{
	struct dirobj *g = fx_ad_user(dn, seed, rid);

	g->kind = DIROBJ_GROUP;
	if (anchor != NULL)
		fx_set(g, "adminDescription", anchor, NULL);
	g->protect_only = 1;
	return g;
}

/* Objects read only for nested protection never pair, by any anchor. */
static void
test_join_never_pairs_a_protect_only_object(void **state)
{
	struct jw w;
	size_t i;

	(void)state;
	jw_init(&w);
	fx_add(&w.ad, protect_only("CN=P1,CN=Users,DC=corp,DC=example", 3,
	    0, NULL));
	fx_add(&w.ad, protect_only("CN=P2,CN=Users,DC=corp,DC=example", 0,
	    1101, NULL));
	fx_add(&w.ad, protect_only("CN=P3,CN=Users,DC=corp,DC=example", 0,
	    0, "Group_id-wb"));
	fx_add(&w.cloud, fx_cloud_user("id-guid", "G", 3, 0, SB_TRI_UNSET,
	    SB_TRI_TRUE));
	fx_add(&w.cloud, fx_cloud_user("id-sid", "S", 0, 1101, SB_TRI_UNSET,
	    SB_TRI_TRUE));
	fx_add(&w.cloud, fx_cloud_user("id-wb", "W", 0, 0, SB_TRI_UNSET,
	    SB_TRI_UNSET));
	for (i = 0; i < 3; i++)
		w.cloud.objs[i]->kind = DIROBJ_GROUP;
	jw_join(&w);
	for (i = 0; i < 3; i++)
		assert_null(map_join_pair(w.j, i)->ad);
	jw_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_prefers_consistency_guid_over_object_guid),
		cmocka_unit_test(test_join_matches_object_guid_bytes_with_zero_bytes),
		cmocka_unit_test(test_join_falls_back_to_the_sid_when_the_immutable_id_is_unknown),
		cmocka_unit_test(test_join_reports_an_anchored_cloud_object_without_ad_match),
		cmocka_unit_test(test_join_reports_two_ad_objects_with_one_anchor_as_ambiguous),
		cmocka_unit_test(test_join_reports_anchors_that_disagree_as_ambiguous),
		cmocka_unit_test(test_join_refuses_two_cloud_objects_on_one_ad_object),
		cmocka_unit_test(test_join_reports_cloud_only_objects),
		cmocka_unit_test(test_join_does_not_pair_a_user_with_an_ad_group),
		cmocka_unit_test(test_join_attaches_mailboxes_by_external_directory_object_id),
		cmocka_unit_test(test_join_looks_up_the_ad_object_of_a_cloud_id),
		cmocka_unit_test(test_join_pairs_twenty_thousand_objects_in_linear_time),
		cmocka_unit_test(test_join_never_pairs_a_protect_only_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
