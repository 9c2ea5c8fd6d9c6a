/*
 * map_attrname (mapping/attrname.h): one shared copy per name, exact (case
 * included), also when two threads ask at once; too long a name, or one
 * past the table's end, is not kept (NULL: the caller keeps its own), and
 * dirobj keeps working with such names.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mapping/attrname.h"
#include "mapping/dirobj.h"

static void
test_one_copy_per_name(void **state)
{
	char buf[32];
	const char *a, *b;

	(void)state;
	strcpy(buf, "extensionAttribute1");
	a = map_attrname(buf);
	assert_non_null(a);
	assert_ptr_not_equal(a, buf);
	strcpy(buf, "xxxxxxxxxxxxxxxxxxx"); /* the copy does not follow */
	assert_string_equal(a, "extensionAttribute1");
	b = map_attrname("extensionAttribute1");
	assert_ptr_equal(a, b);
	b = map_attrname("EXTENSIONATTRIBUTE1");
	assert_non_null(b);
	assert_ptr_not_equal(a, b); /* exact: the spelling is kept */
}

static void
test_too_long_is_not_kept(void **state)
{
	char name[MAP_ATTRNAME_LEN_MAX + 2];

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_null(map_attrname(name));
	name[MAP_ATTRNAME_LEN_MAX] = '\0';
	assert_non_null(map_attrname(name));
}

#define PER_THREAD 500

static void *
intern_many(void *arg)
{
	const char **out = arg;
	char name[32];
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		snprintf(name, sizeof(name), "threaded%d", i);
		out[i] = map_attrname(name);
	}
	return NULL;
}

static void
test_two_threads_get_the_same_copies(void **state)
{
	static const char *one[PER_THREAD], *two[PER_THREAD];
	pthread_t t;
	int i;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, intern_many, one), 0);
	intern_many(two);
	pthread_join(t, NULL);
	for (i = 0; i < PER_THREAD; i++) {
		assert_non_null(one[i]);
		assert_ptr_equal(one[i], two[i]);
	}
}

/* Run last: it fills the table. */
static void
test_a_full_table_keeps_no_more_and_dirobj_still_works(void **state)
{
	struct dirobj *o;
	char name[32];
	int i, kept = 0;

	(void)state;
	for (i = 0; i < MAP_ATTRNAME_MAX + 10; i++) {
		snprintf(name, sizeof(name), "filler%d", i);
		kept += map_attrname(name) != NULL;
	}
	assert_true(kept < MAP_ATTRNAME_MAX); /* earlier tests took some */
	assert_null(map_attrname("neverSeenBefore"));
	o = dirobj_new(DIROBJ_USER);
	assert_non_null(o);
	assert_int_equal(dirobj_add_str(o, "neverSeenBefore", "v", NULL),
	    SB_OK);
	assert_string_equal(dirobj_get_str(o, "neverseenbefore"), "v");
	assert_true(o->attrs[0].owned_name);
	dirobj_free(o); /* frees the name it owns: LeakSanitizer checks */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_copy_per_name),
		cmocka_unit_test(test_too_long_is_not_kept),
		cmocka_unit_test(test_two_threads_get_the_same_copies),
		cmocka_unit_test(
		    test_a_full_table_keeps_no_more_and_dirobj_still_works),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
