/* Unit tests of mapping/placement.c: the target OU of a group, and refusals. */
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
#include "mapping/placement.h"

#define TEAM	"OU=Team A,OU=Groups,DC=corp,DC=example"

/* The target of a group whose extension is ext, for a new or existing group. */
static void
target_for(const char *ext, struct map_options *opt,
    enum map_placement_for what, struct map_placement *pl)
{
	struct dirobj *c = fx_cloud_group("gid", "G", 0, SB_TRI_FALSE);

	if (ext != NULL)
		fx_set(c, FX_EXT, ext, NULL);
	assert_int_equal(map_placement_target(c, opt, what, pl, NULL), SB_OK);
	dirobj_free(c);
}

/* The target of a group soabridge would create. */
static void
target(const char *ext, struct map_options *opt, struct map_placement *pl)
{
	target_for(ext, opt, MAP_PLACE_FOR_NEW, pl);
}

static void
test_placement_an_existing_group_without_a_value_stays(void **state)
{
	struct map_placement pl;
	struct fx_gworld g;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	/* issue 11: default_ou is where new groups go, not existing ones */
	target_for(NULL, &g.w.opt, MAP_PLACE_FOR_EXISTING, &pl);
	assert_null(pl.ou);
	assert_false(pl.refused);
	assert_int_equal(pl.source, MAP_PLACE_NONE);
	map_placement_clear(&pl);
	target_for("", &g.w.opt, MAP_PLACE_FOR_EXISTING, &pl);
	assert_null(pl.ou);
	map_placement_clear(&pl);
	/* with a value naming an allowed OU it has a target */
	target_for("CN=G," TEAM, &g.w.opt, MAP_PLACE_FOR_EXISTING, &pl);
	assert_string_equal(pl.ou, TEAM);
	assert_int_equal(pl.source, MAP_PLACE_EXTENSION);
	map_placement_clear(&pl);
	/* a refused default_ou is not even looked at for it */
	g.w.opt.groups.default_ou = (char *)"OU=Outside,DC=corp,DC=example";
	target_for(NULL, &g.w.opt, MAP_PLACE_FOR_EXISTING, &pl);
	assert_null(pl.ou);
	assert_false(pl.refused);
	map_placement_clear(&pl);
	fx_world_free(&g.w);
}

static void
test_placement_default_ou_without_an_extension_value(void **state)
{
	struct map_placement pl;
	struct fx_gworld g;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	target(NULL, &g.w.opt, &pl);
	assert_string_equal(pl.ou, FX_CLOUDG);
	assert_int_equal(pl.source, MAP_PLACE_DEFAULT);
	map_placement_clear(&pl);
	target("", &g.w.opt, &pl);		/* empty: no value */
	assert_string_equal(pl.ou, FX_CLOUDG);
	map_placement_clear(&pl);
	g.w.opt.groups.default_ou = NULL;
	target(NULL, &g.w.opt, &pl);
	assert_null(pl.ou);
	assert_false(pl.refused);
	assert_int_equal(pl.source, MAP_PLACE_NONE);
	fx_world_free(&g.w);
}

static void
test_placement_the_parent_of_the_extension_dn(void **state)
{
	struct map_placement pl;
	struct fx_gworld g;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	target("CN=Smith\\, Ann's group," TEAM, &g.w.opt, &pl);
	assert_string_equal(pl.ou, TEAM);
	assert_int_equal(pl.source, MAP_PLACE_EXTENSION);
	map_placement_clear(&pl);
	/* Without ou_extension configured the property is not looked at. */
	g.w.opt.groups.ou_extension = NULL;
	target("CN=G," TEAM, &g.w.opt, &pl);
	assert_string_equal(pl.ou, FX_CLOUDG);
	map_placement_clear(&pl);
	fx_world_free(&g.w);
}

/* ext is refused, and the reason holds why. */
static void
refused(struct map_options *opt, const char *ext, const char *why)
{
	struct map_placement pl;

	target(ext, opt, &pl);
	assert_null(pl.ou);
	assert_true(pl.refused);
	if (strstr(pl.reason, why) == NULL)
		fail_msg("%s: reason \"%s\" lacks \"%s\"", ext, pl.reason, why);
	map_placement_clear(&pl);
}

static void
test_placement_refuses_what_it_must_not_write(void **state)
{
	struct fx_gworld g;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	refused(&g.w.opt, "CN=G,OU=Outside,DC=corp,DC=example",
	    "not inside groups.allowed_ous");
	refused(&g.w.opt, "CN=G,CN=Users,DC=corp,DC=example",
	    "protected container CN=Users");
	refused(&g.w.opt, "CN=G,OU=Domain Controllers,DC=corp,DC=example",
	    "protected container OU=Domain Controllers");
	refused(&g.w.opt, "CN=G,OU=X,DC=other,DC=example",
	    "outside ldap.base_dn");
	refused(&g.w.opt, "CN=G,DC=corp,DC=example", "domain root");
	refused(&g.w.opt, "CN=G", "is not the DN of an object in an OU");
	refused(&g.w.opt, "not a dn", "is not the DN of an object in an OU");
	/* Metacharacters in the OU: an escaped comma, '+', quotes, '#'. */
	refused(&g.w.opt, "CN=G,OU=Groups\\,OU=Cloud Groups,OU=Groups,"
	    "DC=corp,DC=example", "metacharacter '\\'");
	refused(&g.w.opt, "CN=G,OU=A+OU=B,OU=Groups,DC=corp,DC=example",
	    "metacharacter '+'");
	refused(&g.w.opt, "CN=G,OU=#41,OU=Groups,DC=corp,DC=example",
	    "metacharacter '#'");
	/* A container, not an OU, inside the allowed OU. */
	refused(&g.w.opt, "CN=G,CN=Stuff,OU=Groups,DC=corp,DC=example",
	    "not an organizational unit");
	fx_world_free(&g.w);
}

static void
test_placement_protected_containers_stay_refused_whatever_is_allowed(void **state)
{
	char *all[1] = { (char *)FX_BASE };
	struct fx_gworld g;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	g.w.opt.groups.allowed_ous = all;
	g.w.opt.write_scope = all;
	g.w.opt.nwrite_scope = 1;
	refused(&g.w.opt, "CN=G,CN=Users,DC=corp,DC=example",
	    "protected container CN=Users");
	refused(&g.w.opt, "CN=G,OU=Domain Controllers,DC=corp,DC=example",
	    "OU=Domain Controllers");
	refused(&g.w.opt, "CN=G,OU=Sub,CN=Builtin,DC=corp,DC=example",
	    "CN=Builtin");
	refused(&g.w.opt, "CN=G,CN=Computers,DC=corp,DC=example",
	    "CN=Computers");
	fx_world_free(&g.w);
}

static void
test_placement_write_scope_bounds_allowed_ous(void **state)
{
	char *allowed[2] = { (char *)FX_GROUPS, (char *)"OU=Outside,DC=corp,"
	    "DC=example" };
	struct fx_gworld g;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.ou_extension = (char *)FX_EXT;
	g.w.opt.groups.allowed_ous = allowed;
	g.w.opt.groups.nallowed_ous = 2;
	refused(&g.w.opt, "CN=G,OU=Outside,DC=corp,DC=example",
	    "outside ldap.write_scope");
	fx_world_free(&g.w);
}

static void
test_placement_a_refused_default_ou_is_refused_too(void **state)
{
	struct map_placement pl;
	struct fx_gworld g;

	(void)state;
	fx_gworld_init(&g);
	g.w.opt.groups.default_ou = (char *)"OU=Outside,DC=corp,DC=example";
	target(NULL, &g.w.opt, &pl);
	assert_null(pl.ou);
	assert_true(pl.refused);
	assert_int_equal(pl.source, MAP_PLACE_DEFAULT);
	map_placement_clear(&pl);
	fx_world_free(&g.w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placement_default_ou_without_an_extension_value),
		cmocka_unit_test(test_placement_the_parent_of_the_extension_dn),
		cmocka_unit_test(test_placement_an_existing_group_without_a_value_stays),
		cmocka_unit_test(test_placement_refuses_what_it_must_not_write),
		cmocka_unit_test(test_placement_protected_containers_stay_refused_whatever_is_allowed),
		cmocka_unit_test(test_placement_write_scope_bounds_allowed_ous),
		cmocka_unit_test(test_placement_a_refused_default_ou_is_refused_too),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
