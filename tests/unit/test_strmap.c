/* Unit tests of mapping/strmap.c: the hash map of the group code. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/strmap.h"

static void
test_strmap_finds_what_was_put_and_keeps_the_first_value(void **state)
{
	struct map_strmap *m = NULL;
	size_t v = 0;
	int existed = -1;

	(void)state;
	assert_int_equal(map_strmap_new(0, &m, NULL), SB_OK);
	assert_int_equal(map_strmap_put_str(m, "cn=a", 7, &existed, NULL),
	    SB_OK);
	assert_int_equal(existed, 0);
	assert_int_equal(map_strmap_put_str(m, "cn=a", 9, &existed, NULL),
	    SB_OK);
	assert_int_equal(existed, 1);
	assert_true(map_strmap_get_str(m, "cn=a", &v));
	assert_int_equal(v, 7);
	assert_false(map_strmap_get_str(m, "CN=a", NULL));	/* exact */
	assert_int_equal(map_strmap_count(m), 1);
	map_strmap_free(m);
	map_strmap_free(NULL);
}

static void
test_strmap_case_insensitive_keys_and_binary_keys(void **state)
{
	struct map_strmap *m = NULL;
	const char bin[4] = { 'a', '\0', 'b', '\0' };
	size_t v = 0;

	(void)state;
	assert_int_equal(map_strmap_new(MAP_STRMAP_CI, &m, NULL), SB_OK);
	assert_int_equal(map_strmap_put_str(m, "SG-Eng", 1, NULL, NULL), SB_OK);
	assert_true(map_strmap_get_str(m, "sg-ENG", &v));
	assert_int_equal(v, 1);
	assert_int_equal(map_strmap_put(m, bin, 3, 2, NULL, NULL), SB_OK);
	assert_true(map_strmap_get(m, bin, 3, &v));
	assert_int_equal(v, 2);
	assert_false(map_strmap_get(m, bin, 1, NULL));
	map_strmap_free(m);
}

static void
test_strmap_grows_to_a_hundred_thousand_keys(void **state)
{
	struct map_strmap *m = NULL;
	char key[32];
	size_t i, v;

	(void)state;
	assert_int_equal(map_strmap_new(0, &m, NULL), SB_OK);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_int_equal(map_strmap_put_str(m, key, i, NULL, NULL),
		    SB_OK);
	}
	for (i = 0; i < 100000; i += 997) {
		snprintf(key, sizeof(key), "k%zu", i);
		assert_true(map_strmap_get_str(m, key, &v));
		assert_int_equal(v, i);
	}
	assert_int_equal(map_strmap_count(m), 100000);
	map_strmap_free(m);
}

/*
 * A borrowing map keeps the caller's pointers across growth (no copy, no
 * free: ASan would report a free of this stack array), and set replaces a
 * value in place.
 */
static void
test_strmap_borrowed_keys_survive_growth_and_are_not_freed(void **state)
{
	struct map_strmap *m = NULL;
	char keys[64][8];
	size_t i, v;

	(void)state;
	assert_int_equal(map_strmap_new(MAP_STRMAP_BORROW | MAP_STRMAP_CI, &m,
	    NULL), SB_OK);
	for (i = 0; i < 64; i++) {
		snprintf(keys[i], sizeof(keys[i]), "Id%zu", i);
		assert_int_equal(map_strmap_put_str(m, keys[i], i, NULL, NULL),
		    SB_OK);
	}
	assert_true(map_strmap_get_str(m, "ID63", &v));
	assert_int_equal(v, 63);
	assert_int_equal(map_strmap_set(m, "id7", 3, 700, NULL), SB_OK);
	assert_true(map_strmap_get_str(m, keys[7], &v));
	assert_int_equal(v, 700);
	assert_int_equal(map_strmap_count(m), 64);
	map_strmap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_finds_what_was_put_and_keeps_the_first_value),
		cmocka_unit_test(test_strmap_case_insensitive_keys_and_binary_keys),
		cmocka_unit_test(test_strmap_grows_to_a_hundred_thousand_keys),
		cmocka_unit_test(test_strmap_borrowed_keys_survive_growth_and_are_not_freed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
