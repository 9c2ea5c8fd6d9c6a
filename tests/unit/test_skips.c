/* Unit tests of agent/skips.c: bad cloud objects become findings, not aborts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/skips.h"
#include "mapping/members.h"
#include "test_agent.h"

#define ID_OK	"20000000-0000-4000-8000-000000000001"
#define ID_OK2	"20000000-0000-4000-8000-000000000002"
#define G_DN	"CN=SG-Eng,OU=Groups,DC=corp,DC=example"

static struct dirobj *
cloud_group(const char *id, const char *name)
{
	struct dirobj *o = dirobj_new(DIROBJ_GROUP);

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->cloud_id, id, NULL), SB_OK);
	assert_int_equal(dirobj_set_str(&o->display_name, name, NULL), SB_OK);
	return o;
}

static void
test_skips_sift_sets_aside_objects_with_a_bad_id(void **state)
{
	struct agent_skips k = { NULL, 0 };
	struct dirset set;
	char long_id[201];

	(void)state;
	memset(long_id, 'a', 200);
	long_id[200] = '\0';
	dirset_init(&set);
	assert_int_equal(dirset_add(&set, cloud_group(ID_OK, "user-ish"),
	    NULL), SB_OK);
	assert_int_equal(dirset_add(&set, cloud_group(long_id, "SG-Long"),
	    NULL), SB_OK);
	assert_int_equal(dirset_add(&set, cloud_group(ID_OK2, "SG-Ok"), NULL),
	    SB_OK);
	assert_int_equal(dirset_add(&set, cloud_group("a\nb", "SG-Ctl"),
	    NULL), SB_OK);
	/* From index 1 on: the first object is not looked at. */
	assert_int_equal(agent_skips_sift(&k, &set, 1, NULL), SB_OK);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.objs[0]->cloud_id, ID_OK);
	assert_string_equal(set.objs[1]->cloud_id, ID_OK2);
	assert_int_equal(k.n, 2);
	assert_string_equal(k.v[0].cloud_id, long_id);
	assert_string_equal(k.v[0].display_name, "SG-Long");
	assert_string_equal(k.v[0].attr, "id");
	assert_non_null(strstr(k.v[0].why, "200 characters, at most 64"));
	assert_non_null(strstr(k.v[1].why, "control character"));
	agent_skips_free(&k);
	dirset_free(&set);
}

static void
test_skips_a_group_with_unreadable_members_keeps_no_member_list(void **state)
{
	struct agent_skips k = { NULL, 0 };
	struct dirobj *g = cloud_group(ID_OK, "SG-Eng");

	(void)state;
	assert_int_equal(dirobj_add_member(g, ID_OK2, "#microsoft.graph.user",
	    "Ann", NULL), SB_OK);
	assert_int_equal(agent_skips_members(&k, g, MAP_FINDING_BAD_VALUE,
	    "malformed member entry", NULL), SB_OK);
	/* Absent: "not read", never "no members". */
	assert_int_equal(g->members_read, 0);
	assert_int_equal(g->nmembers, 0);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.v[0].attr, "members");
	agent_skips_free(&k);
	dirobj_free(g);
}

/* A change of dn from cloud object id. */
static void
take(struct plan *p, const char *dn, const char *id)
{
	struct change c;

	fx_change(&c, dn);
	free(c.cloud_id);
	c.cloud_id = strdup(id);
	fx_delta(&c, "description", MAP_DELTA_REPLACE, "a", NULL, "b", NULL);
	assert_int_equal(map_plan_take_change(p, &c, NULL), SB_OK);
}

static void
test_skips_apply_leaves_out_every_change_and_names_the_object(void **state)
{
	struct agent_skips k = { NULL, 0 };
	struct dirobj *g = cloud_group(ID_OK, "SG-Eng");
	struct dirset set;
	struct plan *p = map_plan_new();
	size_t i, nbad = 0;

	(void)state;
	assert_non_null(p);
	dirset_init(&set);
	assert_int_equal(dirset_add(&set, cloud_group("bad id", "SG-Bad"),
	    NULL), SB_OK);
	assert_int_equal(agent_skips_sift(&k, &set, 0, NULL), SB_OK);
	assert_int_equal(agent_skips_members(&k, g, MAP_FINDING_BAD_VALUE,
	    "malformed member entry from GET ...: member 1 of the page has no "
	    "\"id\" string", NULL), SB_OK);
	take(p, G_DN, ID_OK);
	take(p, G_DN, ID_OK);	/* a second part */
	take(p, FX_ANN, ID_OK2);
	assert_int_equal(agent_skips_apply(&k, p, NULL), SB_OK);
	assert_int_equal(p->nchanges, 1);
	assert_string_equal(p->changes[0].dn, FX_ANN);
	for (i = 0; i < p->nfindings; i++) {
		assert_int_equal(p->findings[i].kind, MAP_FINDING_BAD_VALUE);
		nbad++;
		if (strcmp(p->findings[i].cloud_id, ID_OK) == 0) {
			assert_string_equal(p->findings[i].dn, G_DN);
			assert_string_equal(p->findings[i].attr, "members");
			assert_non_null(strstr(p->findings[i].message,
			    "has no \"id\" string: skipped"));
		} else {
			assert_null(p->findings[i].dn);
			assert_string_equal(p->findings[i].display_name,
			    "SG-Bad");
			assert_non_null(strstr(p->findings[i].message,
			    "holds ' '"));
		}
	}
	assert_int_equal(nbad, 2);
	map_plan_free(p);
	agent_skips_free(&k);
	dirset_free(&set);
	dirobj_free(g);
}

/* A finding of kind on cloud object id, or NULL. */
static const struct finding *
finding_of(const struct plan *p, enum finding_kind kind, const char *id)
{
	size_t i;

	for (i = 0; i < p->nfindings; i++)
		if (p->findings[i].kind == kind && p->findings[i].cloud_id &&
		    strcmp(p->findings[i].cloud_id, id) == 0)
			return &p->findings[i];
	return NULL;
}

static void
test_skips_a_group_gone_while_its_members_are_read_is_gone_in_cloud(
    void **state)
{
	struct agent_skips k = { NULL, 0 };
	struct dirobj *g = cloud_group(ID_OK, "SG-Gone");
	struct plan *p = map_plan_new();
	const struct finding *f;

	(void)state;
	assert_non_null(p);
	dirobj_members_touch(g);
	assert_int_equal(agent_skips_members(&k, g, MAP_FINDING_GONE_IN_CLOUD,
	    "GET /v1.0/groups/{id}/members: HTTP 404 Request_ResourceNotFound: "
	    "Resource '" ID_OK "' does not exist", NULL), SB_OK);
	/* Not read, never "no members". */
	assert_int_equal(g->members_read, 0);
	take(p, G_DN, ID_OK);
	take(p, FX_ANN, ID_OK2);
	assert_int_equal(agent_skips_apply(&k, p, NULL), SB_OK);
	assert_int_equal(p->nchanges, 1);
	assert_string_equal(p->changes[0].dn, FX_ANN);
	f = finding_of(p, MAP_FINDING_GONE_IN_CLOUD, ID_OK);
	assert_non_null(f);
	assert_string_equal(f->dn, G_DN);
	assert_string_equal(f->attr, "members");
	assert_string_equal(f->display_name, "SG-Gone");
	assert_non_null(strstr(f->message, "deleted in the cloud while this "
	    "run read it"));
	assert_non_null(strstr(f->message, "HTTP 404"));
	assert_null(finding_of(p, MAP_FINDING_BAD_VALUE, ID_OK));
	map_plan_free(p);
	agent_skips_free(&k);
	dirobj_free(g);
}

static void
test_skips_an_unreadable_soa_leaves_no_authority_judgement(void **state)
{
	struct agent_skips k = { NULL, 0 };
	struct dirobj *u = cloud_group(ID_OK, "Ann Archer");
	struct dirobj ad;
	struct plan *p = map_plan_new();
	const struct finding *f;

	(void)state;
	assert_non_null(p);
	u->kind = DIROBJ_USER;
	memset(&ad, 0, sizeof(ad));
	ad.kind = DIROBJ_USER;
	ad.dn = (char *)FX_ANN;
	/* What the planner says of an object whose SOA it takes as AD's. */
	assert_int_equal(map_plan_add_finding(p, NULL,
	    MAP_FINDING_AD_AUTHORITATIVE, &ad, u, NULL, "AD is authoritative"),
	    SB_OK);
	assert_int_equal(map_plan_add_finding(p, NULL, MAP_FINDING_NOT_JOINED,
	    NULL, u, NULL, "kept"), SB_OK);
	assert_int_equal(agent_skips_object(&k, u, MAP_FINDING_SOA_UNREADABLE,
	    NULL, 1, "GET /v1.0/users/{id}/onPremisesSyncBehavior answered 200 "
	    "without a boolean isCloudManaged (isCloudManaged is absent)",
	    NULL), SB_OK);
	assert_int_equal(agent_skips_apply(&k, p, NULL), SB_OK);
	assert_null(finding_of(p, MAP_FINDING_AD_AUTHORITATIVE, ID_OK));
	assert_non_null(finding_of(p, MAP_FINDING_NOT_JOINED, ID_OK));
	f = finding_of(p, MAP_FINDING_SOA_UNREADABLE, ID_OK);
	assert_non_null(f);
	assert_string_equal(f->dn, FX_ANN);	/* from the finding dropped */
	assert_null(f->attr);
	assert_non_null(strstr(f->message, "source of authority could not be "
	    "read"));
	assert_non_null(strstr(f->message, "isCloudManaged is absent"));
	assert_int_equal(p->nfindings, 2);
	map_plan_free(p);
	agent_skips_free(&k);
	dirobj_free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skips_sift_sets_aside_objects_with_a_bad_id),
		cmocka_unit_test(test_skips_a_group_with_unreadable_members_keeps_no_member_list),
		cmocka_unit_test(test_skips_apply_leaves_out_every_change_and_names_the_object),
		cmocka_unit_test(test_skips_a_group_gone_while_its_members_are_read_is_gone_in_cloud),
		cmocka_unit_test(test_skips_an_unreadable_soa_leaves_no_authority_judgement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
