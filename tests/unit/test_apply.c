/*
 * Unit tests of agent/apply.c over the fake LDAP connection
 * (test_ldap_fake.h): one change, one LDAP operation, as apply.h promises;
 * the bytes libldap sent are what is checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/apply.h"
#include "ldap/write.h"
#include "test_agent.h"
#include "test_ldap_fake.h"

#define GRP	"CN=Sales,OU=Groups,DC=corp,DC=example"

static void
test_apply_modify_is_one_modify_request_with_every_delta(void **state)
{
	struct fake_ldap f;
	struct change c;
	struct sb_error err;

	(void)state;
	fake_ldap_open(&f, NULL);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "Engineer", NULL, "Lead",
	    NULL);
	fx_delta(&c, "extensionAttribute3", MAP_DELTA_DELETE, "stale", NULL,
	    NULL);
	fake_ldap_result(&f, 1, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_apply_change(f.c, &c, &err), SB_OK);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	assert_int_equal(fake_ldap_req_op(&f, 0), LDAP_REQ_MODIFY);
	assert_true(fake_ldap_holds_str(&f, 0, FX_ANN));
	assert_true(fake_ldap_holds_str(&f, 0, "title"));
	assert_true(fake_ldap_holds_str(&f, 0, "Lead"));
	assert_true(fake_ldap_holds_str(&f, 0, "extensionAttribute3"));
	/* a user's attributes: no permissive control */
	assert_false(fake_ldap_holds_str(&f, 0, AD_PERMISSIVE_MODIFY_OID));
	map_change_clear(&c);
	fake_ldap_close(&f);
}

static void
test_apply_member_chunk_is_sent_permissive_and_the_flag_reset(void **state)
{
	struct fake_ldap f;
	struct change c;
	struct sb_error err;

	(void)state;
	fake_ldap_open(&f, NULL);
	fx_change(&c, GRP);
	fx_delta(&c, "member", MAP_DELTA_ADD, NULL, FX_ANN, FX_BOB, NULL);
	fake_ldap_result(&f, 1, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_apply_change(f.c, &c, &err), SB_OK);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	assert_int_equal(fake_ldap_req_op(&f, 0), LDAP_REQ_MODIFY);
	assert_true(fake_ldap_holds_str(&f, 0, AD_PERMISSIVE_MODIFY_OID));
	/* the next write, of another object, must not inherit it */
	assert_int_equal(f.c->permissive, 0);
	map_change_clear(&c);
	fake_ldap_close(&f);
}

static void
test_apply_add_creates_with_values_and_skips_empty_attributes(void **state)
{
	struct fake_ldap f;
	struct change c;
	struct sb_error err;

	(void)state;
	fake_ldap_open(&f, NULL);
	fx_change(&c, GRP);
	c.op = MAP_CHANGE_ADD;
	fx_delta(&c, "objectClass", MAP_DELTA_ADD, NULL, "group", NULL);
	fx_delta(&c, "description", MAP_DELTA_ADD, NULL, NULL);
	fx_delta(&c, "sAMAccountName", MAP_DELTA_ADD, NULL, "Sales", NULL);
	fake_ldap_result(&f, 1, LDAP_RES_ADD, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_apply_change(f.c, &c, &err), SB_OK);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	assert_int_equal(fake_ldap_req_op(&f, 0), LDAP_REQ_ADD);
	assert_true(fake_ldap_holds_str(&f, 0, GRP));
	assert_true(fake_ldap_holds_str(&f, 0, "sAMAccountName"));
	assert_true(fake_ldap_holds_str(&f, 0, "group"));
	/* AD refuses an attribute without values in an add */
	assert_false(fake_ldap_holds_str(&f, 0, "description"));
	map_change_clear(&c);
	fake_ldap_close(&f);
}

static void
test_apply_delete_and_rename_are_their_own_operations(void **state)
{
	struct fake_ldap f;
	struct change c;
	struct sb_error err;

	(void)state;
	fake_ldap_open(&f, NULL);
	fx_change(&c, GRP);
	c.op = MAP_CHANGE_DELETE;
	fake_ldap_result(&f, 1, LDAP_RES_DELETE, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_apply_change(f.c, &c, &err), SB_OK);
	map_change_clear(&c);

	fx_change(&c, GRP);
	c.op = MAP_CHANGE_RENAME;
	c.new_rdn = strdup("CN=Sales EU");
	c.new_superior = strdup("OU=EU,DC=corp,DC=example");
	assert_non_null(c.new_rdn);
	assert_non_null(c.new_superior);
	fake_ldap_result(&f, 2, LDAP_RES_MODDN, LDAP_SUCCESS, NULL);
	assert_int_equal(agent_apply_change(f.c, &c, &err), SB_OK);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 2);
	assert_int_equal(fake_ldap_req_op(&f, 0), LDAP_REQ_DELETE);
	assert_int_equal(fake_ldap_req_op(&f, 1), LDAP_REQ_MODDN);
	assert_true(fake_ldap_holds_str(&f, 1, "CN=Sales EU"));
	map_change_clear(&c);
	fake_ldap_close(&f);
}

static void
test_apply_ad_refusal_is_returned_with_ads_code(void **state)
{
	struct fake_ldap f;
	struct change c;
	struct sb_error err;

	(void)state;
	memset(&err, 0, sizeof(err));
	fake_ldap_open(&f, NULL);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "title", MAP_DELTA_REPLACE, "Engineer", NULL, "Lead",
	    NULL);
	fake_ldap_result(&f, 1, LDAP_RES_MODIFY, LDAP_INSUFFICIENT_ACCESS,
	    "00002098: SecErr");
	assert_int_equal(agent_apply_change(f.c, &c, &err), SB_STOP);
	assert_int_equal(err.code, LDAP_INSUFFICIENT_ACCESS);
	map_change_clear(&c);
	fake_ldap_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_apply_modify_is_one_modify_request_with_every_delta),
		cmocka_unit_test(
		    test_apply_member_chunk_is_sent_permissive_and_the_flag_reset),
		cmocka_unit_test(
		    test_apply_add_creates_with_values_and_skips_empty_attributes),
		cmocka_unit_test(
		    test_apply_delete_and_rename_are_their_own_operations),
		cmocka_unit_test(
		    test_apply_ad_refusal_is_returned_with_ads_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
