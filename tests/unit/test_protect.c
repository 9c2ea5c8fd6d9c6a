/* Unit tests of mapping/protect.c: objects soabridge never writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/protect.h"
#include "test_mapping.h"

static int
check(struct dirobj *o, char *why)
{
	int r = map_protect_check(o, FX_BASE, why, MAP_PROTECT_REASON_SIZE);

	dirobj_free(o);
	return r;
}

static void
test_protect_ordinary_user_is_not_protected(void **state)
{
	char why[MAP_PROTECT_REASON_SIZE];
	struct dirobj *o = fx_ad_user("CN=Ann,OU=Staff," FX_BASE, 1, 1105);

	(void)state;
	fx_set(o, "adminCount", "0", NULL);
	fx_set(o, "isCriticalSystemObject", "FALSE", NULL);
	assert_false(check(o, why));
}

static void
test_protect_admin_count_one_is_protected(void **state)
{
	char why[MAP_PROTECT_REASON_SIZE];
	struct dirobj *o = fx_ad_user("CN=Ann,OU=Staff," FX_BASE, 1, 1105);

	(void)state;
	fx_set(o, "adminCount", "1", NULL);
	assert_true(check(o, why));
	assert_non_null(strstr(why, "adminCount=1"));
}

static void
test_protect_critical_system_object_is_protected(void **state)
{
	char why[MAP_PROTECT_REASON_SIZE];
	struct dirobj *o = fx_ad_user("CN=Ann,OU=Staff," FX_BASE, 1, 1105);

	(void)state;
	fx_set(o, "isCriticalSystemObject", "TRUE", NULL);
	assert_true(check(o, why));
	assert_non_null(strstr(why, "isCriticalSystemObject"));
}

static void
test_protect_privileged_domain_rids_are_protected(void **state)
{
	static const unsigned rids[] = { 498, 500, 502, 512, 516, 517, 518,
	    519, 520, 521, 526, 527, 501, 513 };
	char why[MAP_PROTECT_REASON_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rids) / sizeof(rids[0]); i++)
		if (!check(fx_ad_user("CN=X,OU=Staff," FX_BASE, 1, rids[i]),
		    why))
			fail_msg("RID %u not protected", rids[i]);
	assert_true(check(fx_ad_user("CN=X,OU=Staff," FX_BASE, 1, 512), why));
	assert_non_null(strstr(why, "Domain Admins"));
	assert_false(check(fx_ad_user("CN=X,OU=Staff," FX_BASE, 1, 1000), why));
}

static void
test_protect_builtin_sids_are_protected(void **state)
{
	static const unsigned rids[] = { 544, 548, 549, 550, 551 };
	char why[MAP_PROTECT_REASON_SIZE], sid[32];
	struct dirobj *o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rids) / sizeof(rids[0]); i++) {
		o = fx_ad_user("CN=X,OU=Groups," FX_BASE, 1, 0);
		snprintf(sid, sizeof(sid), "S-1-5-32-%u", rids[i]);
		assert_int_equal(map_sid_from_text(sid, &o->sid, NULL), SB_OK);
		assert_true(check(o, why));
		assert_non_null(strstr(why, sid));
	}
}

static void
test_protect_unparsable_sid_is_protected(void **state)
{
	char why[MAP_PROTECT_REASON_SIZE];
	struct dirobj *o = fx_ad_user("CN=X,OU=Staff," FX_BASE, 1, 1105);

	(void)state;
	o->sid.len = 27;	/* one byte short */
	assert_true(check(o, why));
}

static void
test_protect_objects_under_builtin_or_system_are_protected(void **state)
{
	char why[MAP_PROTECT_REASON_SIZE];

	(void)state;
	assert_true(check(fx_ad_user("CN=Thing,CN=Builtin," FX_BASE, 1, 1105),
	    why));
	assert_non_null(strstr(why, "Builtin"));
	assert_true(check(fx_ad_user("CN=AdminSDHolder,CN=System," FX_BASE, 1,
	    1105), why));
	assert_false(check(fx_ad_user("CN=System,OU=Staff," FX_BASE, 1, 1105),
	    why));
}

static void
test_protect_privileged_groups_with_dynamic_rids_by_name(void **state)
{
	char why[MAP_PROTECT_REASON_SIZE];
	struct dirobj *o;

	(void)state;
	o = fx_ad_user("CN=DnsAdmins,CN=Users," FX_BASE, 1, 1101);
	o->kind = DIROBJ_GROUP;
	fx_set(o, "sAMAccountName", "dnsadmins", NULL);
	assert_true(check(o, why));
	assert_string_equal(why, "privileged group DnsAdmins");
	o = fx_ad_user("CN=EWP,OU=Groups," FX_BASE, 1, 1102);
	o->kind = DIROBJ_GROUP;
	fx_set(o, "sAMAccountName", "Exchange Windows Permissions", NULL);
	assert_true(check(o, why));
	/* A user of that name is not a group. */
	o = fx_ad_user("CN=DnsAdmins,OU=Staff," FX_BASE, 1, 1103);
	fx_set(o, "sAMAccountName", "DnsAdmins", NULL);
	assert_false(check(o, why));
}

static void
test_protect_every_group_the_issue_names_is_protected(void **state)
{
	static const unsigned rids[] = { 512, 516, 518, 519, 520, 526, 527,
	    525, 522 };
	static const unsigned builtin[] = { 544, 548, 549, 550, 551, 555,
	    557, 580 };
	char why[MAP_PROTECT_REASON_SIZE], sid[64];
	struct dirobj *o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rids) / sizeof(rids[0]); i++) {
		o = fx_ad_user("CN=G,OU=Groups," FX_BASE, 1, rids[i]);
		o->kind = DIROBJ_GROUP;
		assert_true(check(o, why));
	}
	for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		o = fx_ad_user("CN=G,OU=Groups," FX_BASE, 1, 0);
		o->kind = DIROBJ_GROUP;
		snprintf(sid, sizeof(sid), "S-1-5-32-%u", builtin[i]);
		assert_int_equal(map_sid_from_text(sid, &o->sid, NULL), SB_OK);
		assert_true(check(o, why));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protect_ordinary_user_is_not_protected),
		cmocka_unit_test(test_protect_privileged_groups_with_dynamic_rids_by_name),
		cmocka_unit_test(test_protect_every_group_the_issue_names_is_protected),
		cmocka_unit_test(test_protect_admin_count_one_is_protected),
		cmocka_unit_test(test_protect_critical_system_object_is_protected),
		cmocka_unit_test(test_protect_privileged_domain_rids_are_protected),
		cmocka_unit_test(test_protect_builtin_sids_are_protected),
		cmocka_unit_test(test_protect_unparsable_sid_is_protected),
		cmocka_unit_test(test_protect_objects_under_builtin_or_system_are_protected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
