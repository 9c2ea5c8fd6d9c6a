/* Unit tests of agent/report/encode.c: UTF-8, JSON, HTML, CSV and terminal encodings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/report/report.h"

/* What fn wrote, as a new string. */
struct cap {
	char	*buf;
	size_t	 len;
	FILE	*f;
};

static void
cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static char *
cap_close(struct cap *c)
{
	assert_int_equal(fclose(c->f), 0);
	return c->buf;
}

static char *
json_of(const char *s, size_t len, int script)
{
	struct cap c;

	cap_open(&c);
	agent_reportenc_json_str(c.f, s, len, script);
	return cap_close(&c);
}

static void
test_reportenc_text_rejects_nul_overlong_surrogates_and_bad_bytes(void **state)
{
	(void)state;
	assert_true(agent_reportenc_is_text("plain", 5));
	assert_true(agent_reportenc_is_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
	assert_true(agent_reportenc_is_text("", 0));
	assert_false(agent_reportenc_is_text("a\0b", 3));
	assert_false(agent_reportenc_is_text("\xc0\xaf", 2));	/* overlong '/' */
	assert_false(agent_reportenc_is_text("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(agent_reportenc_is_text("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(agent_reportenc_is_text("\xff", 1));
	assert_false(agent_reportenc_is_text("\xe2\x82", 2));	/* cut short */
}

static void
test_reportenc_json_escapes_quotes_controls_and_bad_utf8(void **state)
{
	char *s;

	(void)state;
	s = json_of("a\"b\\c\n\t\x01\x7f", 9, 0);
	assert_string_equal(s, "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\"");
	free(s);
	s = json_of("x\xff" "y", 3, 0);
	assert_string_equal(s, "\"x\\ufffdy\"");
	free(s);
	/* outside a script, < > & stay as they are */
	s = json_of("<a&b>", 5, 0);
	assert_string_equal(s, "\"<a&b>\"");
	free(s);
}

static void
test_reportenc_json_for_script_escapes_markup_and_line_separators(void **state)
{
	char *s;

	(void)state;
	s = json_of("</script><!--&\xe2\x80\xa8\xe2\x80\xa9", 20, 1);
	assert_string_equal(s, "\"\\u003c/script\\u003e\\u003c!--\\u0026"
	    "\\u2028\\u2029\"");
	assert_null(strchr(s, '<'));
	free(s);
}

static void
test_reportenc_json_value_of_binary_is_base64(void **state)
{
	unsigned char g[4] = { 0, 1, 2, 0xff };
	struct sb_bytes v = { g, sizeof(g) };
	struct cap c;

	(void)state;
	cap_open(&c);
	agent_reportenc_json_value(c.f, &v, 0);
	assert_string_equal(cap_close(&c), "{\"base64\":\"AAEC/w==\"}");
	free(c.buf);
}

static void
test_reportenc_html_escapes_markup_and_shows_controls(void **state)
{
	struct cap c;

	(void)state;
	cap_open(&c);
	agent_reportenc_html_cstr(c.f, "<script>alert('x') & \"y\"</script>\x1b");
	assert_string_equal(cap_close(&c), "&lt;script&gt;alert(&#39;x&#39;) "
	    "&amp; &quot;y&quot;&lt;/script&gt;&#x241b;");
	free(c.buf);
	cap_open(&c);
	agent_reportenc_html(c.f, "a\0b\xff", 4);
	assert_string_equal(cap_close(&c), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	free(c.buf);
}

static void
test_reportenc_csv_cell_quotes_when_needed_and_guards_formulas(void **state)
{
	struct cap c;

	(void)state;
	cap_open(&c);
	agent_reportenc_csv_cell(c.f, "plain", 5);
	fputc('/', c.f);
	agent_reportenc_csv_cell(c.f, "a,\"b\"", 5);
	fputc('/', c.f);
	agent_reportenc_csv_cell(c.f, "line\nbreak", 10);
	fputc('/', c.f);
	agent_reportenc_csv_cell(c.f, "=HYPERLINK(1)", 13);
	fputc('/', c.f);
	agent_reportenc_csv_cell(c.f, "'quoted", 7);
	assert_string_equal(cap_close(&c), "plain/\"a,\"\"b\"\"\"/"
	    "\"line\nbreak\"/'=HYPERLINK(1)/''quoted");
	free(c.buf);
}

static void
test_reportenc_csv_values_join_escape_and_encode_binary(void **state)
{
	unsigned char bin[2] = { 0, 0xfe };
	struct sb_bytes v[4] = {
		{ (unsigned char *)"+1 555", 6 },
		{ (unsigned char *)"a|b\\c", 5 },
		{ (unsigned char *)"say \"hi\"", 8 },
		{ bin, 2 },
	};
	const struct sb_bytes *pv[4] = { &v[0], &v[1], &v[2], &v[3] };
	struct map_report_vals vals = { pv, 4 }, none = { NULL, 0 };
	struct cap c;

	(void)state;
	cap_open(&c);
	agent_reportenc_csv_values(c.f, &vals);
	fputc('/', c.f);
	agent_reportenc_csv_values(c.f, &none);
	assert_string_equal(cap_close(&c),
	    "\"'+1 555|a\\|b\\\\c|say \"\"hi\"\"|\\b64:AP4=\"/\"\"");
	free(c.buf);
}

static void
test_reportenc_text_value_shortens_to_the_columns_with_the_length(void **state)
{
	char longv[300];
	struct sb_bytes v = { (unsigned char *)longv, sizeof(longv) };
	struct sb_bytes q = { (unsigned char *)"a\"b\x01", 4 };
	struct cap c;
	size_t used;
	char *s;

	(void)state;
	memset(longv, 'x', sizeof(longv));
	cap_open(&c);
	used = agent_reportenc_text_value(c.f, &v, 60);
	s = cap_close(&c);
	assert_true(strlen(s) <= 60);
	assert_int_equal(used, strlen(s));
	assert_non_null(strstr(s, "(300 bytes)"));
	free(s);
	cap_open(&c);
	used = agent_reportenc_text_value(c.f, &q, 60);
	s = cap_close(&c);
	assert_string_equal(s, "\"a\\\"b\\x01\"");
	assert_int_equal(used, strlen(s));
	free(s);
	cap_open(&c);
	agent_reportenc_text_str(c.f, "dn\x1b[31m");
	s = cap_close(&c);
	assert_string_equal(s, "dn\\x1b[31m");	/* no terminal escape gets out */
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reportenc_text_rejects_nul_overlong_surrogates_and_bad_bytes),
		cmocka_unit_test(test_reportenc_json_escapes_quotes_controls_and_bad_utf8),
		cmocka_unit_test(test_reportenc_json_for_script_escapes_markup_and_line_separators),
		cmocka_unit_test(test_reportenc_json_value_of_binary_is_base64),
		cmocka_unit_test(test_reportenc_html_escapes_markup_and_shows_controls),
		cmocka_unit_test(test_reportenc_csv_cell_quotes_when_needed_and_guards_formulas),
		cmocka_unit_test(test_reportenc_csv_values_join_escape_and_encode_binary),
		cmocka_unit_test(test_reportenc_text_value_shortens_to_the_columns_with_the_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
