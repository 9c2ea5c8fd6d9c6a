/* Unit tests of mapping/authority.c: who owns which attribute classes, and why. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/authority.h"
#include "test_mapping.h"

static struct map_authority
decide(enum sb_tri sync, enum sb_tri managed, enum dirobj_kind kind,
    struct dirobj *mbx)
{
	struct dirobj *c = fx_cloud_user("id", "X", 1, 0, sync, managed);
	struct map_authority a;

	c->kind = kind;
	map_authority_decide(c, mbx, &a);
	dirobj_free(c);
	return a;
}

static void
test_authority_cloud_managed_user_owns_identity_and_exchange(void **state)
{
	struct map_authority a;

	(void)state;
	/* after conversion onPremisesSyncEnabled is null */
	a = decide(SB_TRI_UNSET, SB_TRI_TRUE, DIROBJ_USER, NULL);
	assert_int_equal(a.classes, MAP_CLASS_IDENTITY | MAP_CLASS_EXCHANGE);
	assert_string_equal(a.rule, "isCloudManaged");
	assert_null(a.conflict);
	a = decide(SB_TRI_FALSE, SB_TRI_TRUE, DIROBJ_USER, NULL);
	assert_int_equal(a.classes, MAP_CLASS_IDENTITY | MAP_CLASS_EXCHANGE);
}

static void
test_authority_cloud_managed_group_also_owns_membership_and_placement(void **state)
{
	struct map_authority a;

	(void)state;
	a = decide(SB_TRI_UNSET, SB_TRI_TRUE, DIROBJ_GROUP, NULL);
	assert_int_equal(a.classes, MAP_CLASS_ALL);
	assert_string_equal(a.rule, MAP_RULE_CLOUD_MANAGED);
}

static void
test_authority_exchange_cloud_managed_mailbox_owns_exchange_only(void **state)
{
	struct dirobj *m = fx_mailbox("id", SB_TRI_TRUE, SB_TRI_TRUE);
	struct map_authority a;

	(void)state;
	a = decide(SB_TRI_TRUE, SB_TRI_FALSE, DIROBJ_USER, m);
	assert_int_equal(a.classes, MAP_CLASS_EXCHANGE);
	assert_string_equal(a.rule, "IsExchangeCloudManaged");
	assert_null(a.conflict);
	dirobj_free(m);
}

static void
test_authority_neither_flag_leaves_ad_authoritative(void **state)
{
	struct dirobj *m = fx_mailbox("id", SB_TRI_FALSE, SB_TRI_TRUE);
	struct map_authority a;

	(void)state;
	a = decide(SB_TRI_TRUE, SB_TRI_FALSE, DIROBJ_USER, m);
	assert_int_equal(a.classes, 0);
	assert_string_equal(a.rule, "AD is authoritative");
	assert_null(a.conflict);
	a = decide(SB_TRI_TRUE, SB_TRI_FALSE, DIROBJ_USER, NULL);
	assert_int_equal(a.classes, 0);
	dirobj_free(m);
}

static void
test_authority_unread_soa_counts_as_not_cloud_managed(void **state)
{
	struct dirobj *m = fx_mailbox("id", SB_TRI_UNSET, SB_TRI_TRUE);
	struct map_authority a;

	(void)state;
	a = decide(SB_TRI_UNSET, SB_TRI_UNSET, DIROBJ_USER, m);
	assert_int_equal(a.classes, 0);
	assert_string_equal(a.rule, MAP_RULE_AD);
	assert_null(a.conflict);
	dirobj_free(m);
}

static void
test_authority_refuses_cloud_managed_while_sync_is_enabled(void **state)
{
	struct dirobj *m = fx_mailbox("id", SB_TRI_TRUE, SB_TRI_TRUE);
	struct map_authority a;

	(void)state;
	a = decide(SB_TRI_TRUE, SB_TRI_TRUE, DIROBJ_USER, NULL);
	assert_int_equal(a.classes, 0);
	assert_string_equal(a.rule, MAP_RULE_AD);
	assert_non_null(a.conflict);
	assert_non_null(strstr(a.conflict, "loop"));
	/*
	 * Graph contradicts itself (cloud-managed and syncing): the mailbox
	 * flag needs a synced user that is not cloud-managed, so nothing.
	 */
	a = decide(SB_TRI_TRUE, SB_TRI_TRUE, DIROBJ_USER, m);
	assert_int_equal(a.classes, 0);
	assert_string_equal(a.rule, MAP_RULE_AD);
	assert_non_null(a.conflict);
	assert_non_null(strstr(a.conflict, "loop"));
	dirobj_free(m);
}

static void
test_authority_exchange_flag_needs_graph_to_show_a_synced_user(void **state)
{
	struct dirobj *m = fx_mailbox("id", SB_TRI_TRUE, SB_TRI_TRUE);
	struct map_authority a;

	(void)state;
	/* issue 11: Exchange says synced, Graph says null */
	a = decide(SB_TRI_UNSET, SB_TRI_UNSET, DIROBJ_USER, m);
	assert_int_equal(a.classes, 0);
	assert_string_equal(a.rule, MAP_RULE_AD);
	assert_non_null(a.conflict);
	assert_non_null(strstr(a.conflict, "onPremisesSyncEnabled is null"));
	a = decide(SB_TRI_FALSE, SB_TRI_UNSET, DIROBJ_USER, m);
	assert_int_equal(a.classes, 0);
	assert_non_null(a.conflict);
	assert_non_null(strstr(a.conflict, "onPremisesSyncEnabled is false"));
	/* a handed-back user (isCloudManaged false, sync null) too */
	a = decide(SB_TRI_UNSET, SB_TRI_FALSE, DIROBJ_USER, m);
	assert_int_equal(a.classes, 0);
	assert_non_null(a.conflict);
	/* no Graph user at all */
	map_authority_decide(NULL, m, &a);
	assert_int_equal(a.classes, 0);
	assert_non_null(a.conflict);
	/* Graph agrees: synced, SOA unread (Entra Connect syncs it) */
	a = decide(SB_TRI_TRUE, SB_TRI_UNSET, DIROBJ_USER, m);
	assert_int_equal(a.classes, MAP_CLASS_EXCHANGE);
	assert_null(a.conflict);
	dirobj_free(m);
}

static void
test_authority_exchange_flag_without_dir_sync_is_inconsistent(void **state)
{
	struct dirobj *m = fx_mailbox("id", SB_TRI_TRUE, SB_TRI_FALSE);
	struct map_authority a;

	(void)state;
	a = decide(SB_TRI_TRUE, SB_TRI_FALSE, DIROBJ_USER, m);
	assert_int_equal(a.classes, 0);
	assert_non_null(a.conflict);
	dirobj_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authority_cloud_managed_user_owns_identity_and_exchange),
		cmocka_unit_test(test_authority_cloud_managed_group_also_owns_membership_and_placement),
		cmocka_unit_test(test_authority_exchange_cloud_managed_mailbox_owns_exchange_only),
		cmocka_unit_test(test_authority_neither_flag_leaves_ad_authoritative),
		cmocka_unit_test(test_authority_unread_soa_counts_as_not_cloud_managed),
		cmocka_unit_test(test_authority_refuses_cloud_managed_while_sync_is_enabled),
		cmocka_unit_test(test_authority_exchange_flag_without_dir_sync_is_inconsistent),
		cmocka_unit_test(test_authority_exchange_flag_needs_graph_to_show_a_synced_user),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
