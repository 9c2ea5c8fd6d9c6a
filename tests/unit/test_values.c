/* Unit tests of agent/store/values.c: value lists, their JSON text, their text in messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/store/values.h"
#include "test_agent.h"

static void
test_values_lists_compare_bytes_and_remove_one(void **state)
{
	struct sb_bytes *v = NULL, x = fx_b("SMTP:a@x"), y = fx_b("smtp:a@x");
	size_t n = 0;

	(void)state;
	assert_int_equal(agent_values_append(&v, &n, &x, NULL), SB_OK);
	assert_int_equal(agent_values_append(&v, &n, &y, NULL), SB_OK);
	assert_true(agent_values_contain(v, n, &x));
	agent_values_remove(v, &n, &x);
	assert_int_equal(n, 1);
	assert_false(agent_values_contain(v, n, &x));
	assert_true(agent_values_contain(v, n, &y));
	agent_values_clear(&v, &n);
	assert_null(v);
	assert_int_equal(n, 0);
}

static void
test_values_round_trip_as_json_text_and_base64(void **state)
{
	static const unsigned char bin[] = { 0x00, 0xff, 0x10, 0x80 };
	struct sb_bytes in[4], *out = NULL;
	size_t n = 0;
	char *text = NULL;

	(void)state;
	in[0] = fx_b("Müller \"quoted\"");
	in[1].p = (unsigned char *)(uintptr_t)bin;
	in[1].len = sizeof(bin);
	in[2] = fx_b("");
	in[3].p = (unsigned char *)(uintptr_t)"\xc3\x28";	/* not UTF-8 */
	in[3].len = 2;
	assert_int_equal(agent_values_encode(in, 4, &text, NULL), SB_OK);
	assert_string_equal(text, "[\"Müller \\\"quoted\\\"\",{\"base64\":"
	    "\"AP8QgA==\"},\"\",{\"base64\":\"wyg=\"}]");
	assert_int_equal(agent_values_decode(text, &out, &n, NULL), SB_OK);
	assert_int_equal(n, 4);
	assert_int_equal(sb_bytes_cmp(&in[0], &out[0]), 0);
	assert_int_equal(sb_bytes_cmp(&in[1], &out[1]), 0);
	assert_int_equal(out[2].len, 0);
	assert_int_equal(sb_bytes_cmp(&in[3], &out[3]), 0);
	agent_values_free(out, n);
	free(text);
	assert_int_equal(agent_values_encode(NULL, 0, &text, NULL), SB_OK);
	assert_string_equal(text, "[]");
	free(text);
	assert_int_equal(agent_values_decode("{\"a\":1}", &out, &n, NULL),
	    SB_BUG);
	assert_int_equal(agent_values_decode("[1]", &out, &n, NULL), SB_BUG);
}

static void
test_values_text_escapes_and_cuts(void **state)
{
	struct sb_bytes v[2];
	char buf[24];

	(void)state;
	v[0] = fx_b("a\"b\n");
	v[1] = fx_b("second value that is long");
	assert_string_equal(agent_values_text(v, 1, buf, sizeof(buf)),
	    "\"a\\\"b\\x0a\"");
	assert_string_equal(agent_values_text(NULL, 0, buf,
	    sizeof(buf)), "(none)");
	agent_values_text(v, 2, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_string_equal(buf + sizeof(buf) - 4, "...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_lists_compare_bytes_and_remove_one),
		cmocka_unit_test(test_values_round_trip_as_json_text_and_base64),
		cmocka_unit_test(test_values_text_escapes_and_cuts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
