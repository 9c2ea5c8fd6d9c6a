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
	assert_int_equal(dirobj_add_str(g, MAP_MEMBERS_ATTR, ID_OK2, NULL),
	    SB_OK);
	assert_int_equal(dirobj_touch(g, MAP_MEMBERS_TYPE_ATTR, NULL), SB_OK);
	assert_int_equal(dirobj_touch(g, MAP_MEMBERS_NAME_ATTR, NULL), SB_OK);
	assert_int_equal(agent_skips_members(&k, g, "malformed member entry",
	    NULL), SB_OK);
	/* Absent: "not read", never "no members". */
	assert_null(dirobj_get(g, MAP_MEMBERS_ATTR));
	assert_null(dirobj_get(g, MAP_MEMBERS_TYPE_ATTR));
	assert_null(dirobj_get(g, MAP_MEMBERS_NAME_ATTR));
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
	assert_int_equal(agent_skips_members(&k, g, "malformed member entry "
	    "from GET ...: member 1 of the page has no \"id\" string", NULL),
	    SB_OK);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skips_sift_sets_aside_objects_with_a_bad_id),
		cmocka_unit_test(test_skips_a_group_with_unreadable_members_keeps_no_member_list),
		cmocka_unit_test(test_skips_apply_leaves_out_every_change_and_names_the_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
