/*
 * dirobj_clone (mapping/dirobj.h): a deep copy, equal in every field, that
 * shares no memory with the original (the gate's kept reads hand out
 * copies; freeing one must leave the other whole).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mapping/dirobj.h"

static struct dirobj *
sample(void)
{
	static const unsigned char guid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
		11, 12, 13, 14, 15, 16 };
	struct dirobj *o = dirobj_new(DIROBJ_GROUP);

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->dn, "CN=G,DC=x", NULL), SB_OK);
	assert_int_equal(dirobj_set_str(&o->cloud_id, "id-1", NULL), SB_OK);
	assert_int_equal(sb_bytes_copy(&o->guid, guid, 16, NULL), SB_OK);
	o->cloud_managed = SB_TRI_TRUE;
	o->protect_only = 1;
	assert_int_equal(dirobj_add_str(o, "memberOf", "CN=A,DC=x", NULL),
	    SB_OK);
	assert_int_equal(dirobj_add_str(o, "memberOf", "CN=B,DC=x", NULL),
	    SB_OK);
	assert_int_equal(dirobj_touch(o, "adminCount", NULL), SB_OK);
	assert_int_equal(dirobj_add_member(o, "m1", "#microsoft.graph.user",
			     NULL, NULL),
	    SB_OK);
	return o;
}

static void
test_clone_is_equal_and_apart(void **state)
{
	struct dirobj *o = sample(), *c = NULL;
	const struct dirattr *a;

	(void)state;
	assert_int_equal(dirobj_clone(o, &c, NULL), SB_OK);
	assert_non_null(c);
	assert_ptr_not_equal(c->dn, o->dn);
	assert_ptr_not_equal(c->guid.p, o->guid.p);
	dirobj_free(o); /* the copy stands alone */
	assert_int_equal(c->kind, DIROBJ_GROUP);
	assert_string_equal(c->dn, "CN=G,DC=x");
	assert_string_equal(c->cloud_id, "id-1");
	assert_null(c->display_name);
	assert_int_equal(c->guid.len, 16);
	assert_int_equal(c->guid.p[15], 16);
	assert_null(c->sid.p);
	assert_int_equal(c->cloud_managed, SB_TRI_TRUE);
	assert_int_equal(c->sync_enabled, SB_TRI_UNSET);
	assert_int_equal(c->protect_only, 1);
	a = dirobj_get(c, "memberof");
	assert_non_null(a);
	assert_int_equal(a->nvals, 2);
	assert_memory_equal(a->vals[1].p, "CN=B,DC=x", 9);
	a = dirobj_get(c, "adminCount");
	assert_non_null(a);
	assert_int_equal(a->nvals, 0); /* present, empty: kept so */
	assert_int_equal(c->nmembers, 1);
	assert_string_equal(c->members[0].id, "m1");
	assert_null(c->members[0].name);
	assert_int_equal(c->members_read, 1);
	dirobj_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clone_is_equal_and_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
