/* Unit tests of mapping/dn.c: RFC 4514 escaping, parsing, comparison, ancestry. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/dn.h"

static void
check_escape(const char *in, size_t len, const char *want)
{
	char *s = NULL;

	assert_int_equal(map_dn_escape_value(in, len, &s, NULL), SB_OK);
	assert_string_equal(s, want);
	free(s);
}

static void
test_dn_escape_value_escapes_each_special_character(void **state)
{
	(void)state;
	check_escape("Smith, Ann", 10, "Smith\\, Ann");
	check_escape("a+b", 3, "a\\+b");
	check_escape("say \"hi\"", 8, "say \\\"hi\\\"");
	check_escape("back\\slash", 10, "back\\\\slash");
	check_escape("<tag>", 5, "\\<tag\\>");
	check_escape("semi;colon", 10, "semi\\;colon");
	check_escape("a=b", 3, "a\\=b");
	check_escape("plain", 5, "plain");
	check_escape("", 0, "");
}

static void
test_dn_escape_value_escapes_leading_hash_and_edge_spaces(void **state)
{
	(void)state;
	check_escape("#1 fan", 6, "\\#1 fan");
	check_escape("a#b", 3, "a#b");
	check_escape(" lead", 5, "\\ lead");
	check_escape("trail ", 6, "trail\\ ");
	check_escape("in side", 7, "in side");
	check_escape(" ", 1, "\\ ");
	check_escape("  ", 2, "\\ \\ ");
}

static void
test_dn_escape_value_hex_escapes_nul_and_controls(void **state)
{
	(void)state;
	check_escape("a\0b", 3, "a\\00b");
	check_escape("line\nbreak\t", 11, "line\\0Abreak\\09");
	check_escape("del\x7f", 4, "del\\7F");
}

static void
test_dn_escape_value_keeps_utf8_and_escapes_invalid_bytes(void **state)
{
	(void)state;
	check_escape("J\xc3\xbcrgen M\xc3\xbcller", 15,
	    "J\xc3\xbcrgen M\xc3\xbcller");
	check_escape("\xe6\x9d\xb1\xe4\xba\xac", 6, "\xe6\x9d\xb1\xe4\xba\xac");
	check_escape("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80");
	check_escape("bad\xff", 4, "bad\\FF");
	check_escape("cut\xc3", 4, "cut\\C3");
	check_escape("\xc0\xaf", 2, "\\C0\\AF");	/* overlong '/' */
}

static void
test_dn_parse_unescapes_values_and_splits_multi_valued_rdns(void **state)
{
	struct map_dn *dn = NULL;

	(void)state;
	assert_int_equal(map_dn_parse("CN=Smith\\, Ann+employeeNumber=42,"
	    "OU=R\\26D \\2C Lab,DC=corp,DC=example", &dn, NULL), SB_OK);
	assert_int_equal(dn->nrdns, 4);
	assert_int_equal(dn->rdns[0].navas, 2);
	assert_string_equal(dn->rdns[0].avas[0].type, "CN");
	assert_int_equal(dn->rdns[0].avas[0].value.len, 10);
	assert_memory_equal(dn->rdns[0].avas[0].value.p, "Smith, Ann", 10);
	assert_string_equal(dn->rdns[0].avas[1].type, "employeeNumber");
	assert_memory_equal(dn->rdns[0].avas[1].value.p, "42", 2);
	assert_memory_equal(dn->rdns[1].avas[0].value.p, "R&D , Lab", 9);
	assert_string_equal(dn->rdns[3].avas[0].type, "DC");
	map_dn_free(dn);
}

static void
test_dn_parse_keeps_escaped_nul_in_a_value(void **state)
{
	struct map_dn *dn = NULL;

	(void)state;
	assert_int_equal(map_dn_parse("CN=a\\00b,DC=x", &dn, NULL), SB_OK);
	assert_int_equal(dn->rdns[0].avas[0].value.len, 3);
	assert_memory_equal(dn->rdns[0].avas[0].value.p, "a\0b", 3);
	map_dn_free(dn);
}

static void
test_dn_escaped_value_parses_back_to_the_original(void **state)
{
	const char *v = " #Smith, \"Ann\" <a+b=c;d>\\ ";
	struct map_dn *dn = NULL;
	char *esc = NULL, *full;
	size_t len = strlen(v);

	(void)state;
	assert_int_equal(map_dn_escape_value(v, len, &esc, NULL), SB_OK);
	full = malloc(strlen(esc) + 32);
	assert_non_null(full);
	snprintf(full, strlen(esc) + 32, "CN=%s,DC=x", esc);
	assert_true(map_dn_valid(full));
	assert_int_equal(map_dn_parse(full, &dn, NULL), SB_OK);
	assert_int_equal(dn->rdns[0].avas[0].value.len, len);
	assert_memory_equal(dn->rdns[0].avas[0].value.p, v, len);
	map_dn_free(dn);
	free(full);
	free(esc);
}

static void
test_dn_valid_rejects_malformed_dns(void **state)
{
	static const char *bad[] = { "", " ", "CN", "CN=", "=x", "CN=a,",
	    ",CN=a", "CN=a,,DC=x", "CN=a\\", "CN=a\\zz", "CN=a\"b",
	    "CN=a;DC=x", "CN=<a>", "CN=a+", "1CN=a", "C N=a", "CN=#abc",
	    "CN=#zz", "CN=#ab c" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (map_dn_valid(bad[i]))
			fail_msg("accepted malformed DN \"%s\"", bad[i]);
	assert_true(map_dn_valid("CN=Ann,OU=Staff,DC=corp,DC=example"));
	assert_true(map_dn_valid("cn = Ann , ou=Staff"));
	assert_true(map_dn_valid("CN=#04024869,DC=x"));
	assert_true(map_dn_valid("2.5.4.3=Ann,DC=x"));
	assert_true(map_dn_valid("CN=a\\2Cb\\,c\\ "));
	assert_true(map_dn_valid("CN=a=b,DC=x"));
}

static void
test_dn_equal_ignores_case_spaces_and_escape_form(void **state)
{
	(void)state;
	assert_true(map_dn_equal("CN=Smith\\, Ann,OU=Staff,DC=corp,DC=example",
	    "cn=smith\\2c ann, ou=STAFF ,dc=Corp,dc=EXAMPLE"));
	assert_true(map_dn_equal("CN=a+SN=b,DC=x", "sn=B+cn=A,dc=x"));
	assert_false(map_dn_equal("CN=Ann,OU=Staff,DC=x", "CN=Anne,OU=Staff,DC=x"));
	assert_false(map_dn_equal("CN=Ann,DC=x", "CN=Ann,OU=Staff,DC=x"));
	assert_false(map_dn_equal("CN=Ann", "CN=Ann,"));
	assert_false(map_dn_equal("CN=a+SN=b,DC=x", "CN=a,DC=x"));
}

static void
test_dn_normalize_gives_one_form_for_equal_dns(void **state)
{
	char *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(map_dn_normalize(
	    "CN=Smith\\, Ann+SN=X,OU=Staff,DC=corp,DC=example", &a, NULL),
	    SB_OK);
	assert_int_equal(map_dn_normalize(
	    "sn=x + cn=smith\\2C ann, ou=staff, dc=CORP, dc=example", &b, NULL),
	    SB_OK);
	assert_string_equal(a, "cn=smith\\, ann+sn=x,ou=staff,dc=corp,dc=example");
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(map_dn_normalize("CN=,DC=x", &a, NULL), SB_SKIP);
}

static void
test_dn_is_under_compares_rdns_not_string_suffixes(void **state)
{
	const char *staff = "OU=Staff,DC=corp,DC=example";

	(void)state;
	assert_true(map_dn_is_under("CN=Ann,OU=Staff,DC=corp,DC=example",
	    staff));
	assert_true(map_dn_is_under("CN=Ann,OU=Sub,ou=staff,DC=Corp,DC=example",
	    staff));
	assert_true(map_dn_is_under(staff, staff));
	assert_false(map_dn_is_under("CN=Ann,OU=XStaff,DC=corp,DC=example",
	    staff));
	assert_false(map_dn_is_under("OU=Staff,DC=corp,DC=example,DC=org",
	    staff));
	assert_false(map_dn_is_under("CN=Ann\\,OU=Staff,DC=corp,DC=example",
	    "DC=corp,DC=example,DC=x"));
	assert_false(map_dn_is_under("CN=x\\,OU=Staff,DC=evil",
	    "OU=Staff,DC=evil"));
	assert_true(map_dn_is_under("CN=x\\,OU=Staff,DC=evil", "DC=evil"));
	assert_false(map_dn_is_under("DC=corp,DC=example", staff));
	assert_false(map_dn_is_under("CN=Ann,OU=Staff,DC=corp,DC=example",
	    "OU=Staff,,DC=corp"));
	assert_false(map_dn_is_under("CN=Ann,OU=Staff,DC=corp,DC=example", ""));
}

static void
test_dn_equal_counts_repeated_avas_of_a_multi_valued_rdn(void **state)
{
	(void)state;
	/* issue 11: a repeated AVA must not stand for a missing one */
	assert_false(map_dn_equal("CN=a+CN=a,DC=x", "CN=a+CN=b,DC=x"));
	assert_false(map_dn_equal("CN=a+CN=b,DC=x", "CN=a+CN=a,DC=x"));
	assert_false(map_dn_equal("CN=a+CN=a+CN=b,DC=x",
	    "CN=a+CN=b+CN=b,DC=x"));
	assert_false(map_dn_equal("CN=a+CN=b+CN=b,DC=x",
	    "CN=a+CN=a+CN=b,DC=x"));
	assert_true(map_dn_equal("CN=a+CN=a,DC=x", "cn=A + cn=a,dc=X"));
	assert_true(map_dn_equal("CN=a+CN=b+CN=a,DC=x", "CN=b+CN=a+CN=a,DC=x"));
	assert_false(map_dn_equal("CN=a+CN=a,DC=x", "CN=a,DC=x"));
}

static void
test_dn_is_under_counts_repeated_avas_of_the_base(void **state)
{
	(void)state;
	assert_false(map_dn_is_under("CN=u,OU=a+OU=a,DC=x", "OU=a+OU=b,DC=x"));
	assert_false(map_dn_is_under("CN=u,OU=a+OU=b,DC=x", "OU=a+OU=a,DC=x"));
	assert_true(map_dn_is_under("CN=u,OU=a+OU=b,DC=x", "ou=B+ou=A,DC=x"));
	assert_true(map_dn_is_under("CN=u,OU=a+OU=a,DC=x", "OU=a+OU=a,DC=x"));
	assert_false(map_dn_is_under_rdn("CN=u,CN=S+CN=S,DC=x", "CN=S+CN=T",
	    "DC=x"));
	assert_false(map_dn_is_under_rdn("CN=u,CN=S+CN=T,DC=x", "CN=S+CN=S",
	    "DC=x"));
}

/* Every pair of a set of tricky DNs: equal iff the normal forms are. */
static void
test_dn_equal_iff_normal_forms_are_equal_and_symmetric(void **state)
{
	static const char *const dns[] = {
		"CN=a+CN=a,DC=x", "CN=a+CN=b,DC=x", "CN=b+CN=a,DC=x",
		"CN=A+cn=a,dc=x", "CN=a+CN=a+CN=b,DC=x", "CN=a+CN=b+CN=b,DC=x",
		"CN=a,DC=x", "CN=a+SN=a,DC=x", "SN=a+CN=a,DC=x",
		"CN=\\#04,DC=x", "CN=#04,DC=x", "CN=#04+CN=\\#04,DC=x",
		"CN=\\23\\30\\34+CN=#04,DC=x", "CN=Smith\\, Ann,DC=x",
		"cn=smith\\2c ann,dc=X", "CN=x\\,DC=x", "CN=x,DC=x",
		"OU=a+OU=a,DC=x", "OU=a+OU=b,DC=x",
	};
	size_t n = sizeof(dns) / sizeof(dns[0]), i, k;
	char *na = NULL, *nb = NULL;

	(void)state;
	for (i = 0; i < n; i++)
		for (k = 0; k < n; k++) {
			assert_int_equal(map_dn_normalize(dns[i], &na, NULL),
			    SB_OK);
			assert_int_equal(map_dn_normalize(dns[k], &nb, NULL),
			    SB_OK);
			if (map_dn_equal(dns[i], dns[k]) !=
			    (strcmp(na, nb) == 0))
				fail_msg("map_dn_equal(\"%s\", \"%s\") = %d, "
				    "normal forms \"%s\" and \"%s\"", dns[i],
				    dns[k], map_dn_equal(dns[i], dns[k]), na,
				    nb);
			assert_int_equal(map_dn_equal(dns[i], dns[k]),
			    map_dn_equal(dns[k], dns[i]));
			free(na);
			free(nb);
			na = nb = NULL;
		}
}

static void
test_dn_is_under_rdn_finds_system_containers(void **state)
{
	const char *base = "DC=corp,DC=example";

	(void)state;
	assert_true(map_dn_is_under_rdn("CN=System,DC=corp,DC=example",
	    "CN=System", base));
	assert_true(map_dn_is_under_rdn(
	    "CN=AdminSDHolder,CN=System,DC=corp,DC=example", "cn=system", base));
	assert_false(map_dn_is_under_rdn(
	    "CN=System,OU=Staff,DC=corp,DC=example", "CN=System", base));
	assert_false(map_dn_is_under_rdn("CN=Systems,DC=corp,DC=example",
	    "CN=System", base));
	assert_false(map_dn_is_under_rdn("DC=corp,DC=example", "CN=System",
	    base));
}

static void
test_dn_parent_and_rdn_split_at_the_first_unescaped_comma(void **state)
{
	char *s = NULL;

	(void)state;
	assert_int_equal(map_dn_parent("CN=Smith\\, Ann,OU=Staff,DC=x", &s,
	    NULL), SB_OK);
	assert_string_equal(s, "OU=Staff,DC=x");
	free(s);
	assert_int_equal(map_dn_rdn("CN=Smith\\, Ann,OU=Staff,DC=x", &s, NULL),
	    SB_OK);
	assert_string_equal(s, "CN=Smith\\, Ann");
	free(s);
	assert_int_equal(map_dn_rdn("CN=a\\ ,DC=x", &s, NULL), SB_OK);
	assert_string_equal(s, "CN=a\\ ");
	free(s);
	assert_int_equal(map_dn_parent("DC=x", &s, NULL), SB_SKIP);
	assert_int_equal(map_dn_parent("CN=a,", &s, NULL), SB_SKIP);
	assert_int_equal(map_dn_depth("CN=a+SN=b,OU=c,DC=x"), 3);
	assert_int_equal(map_dn_depth("CN=a,,DC=x"), 0);
}

static void
test_dn_hex_values_stay_text_and_trailing_spaces_drop(void **state)
{
	struct map_dn *d = NULL;
	char *s = NULL;

	(void)state;
	assert_int_equal(map_dn_parse("CN=#04024869 ,DC=x", &d, NULL), SB_OK);
	assert_int_equal(d->rdns[0].avas[0].value.len, 9);
	assert_memory_equal(d->rdns[0].avas[0].value.p, "#04024869", 9);
	map_dn_free(d);
	assert_int_equal(map_dn_normalize("CN=#0402AB, DC=X", &s, NULL), SB_OK);
	assert_string_equal(s, "cn=#0402ab,dc=x");
	free(s);
	assert_false(map_dn_equal("CN=#0402,DC=x", "CN=\\#0402,DC=x"));
	assert_true(map_dn_equal("CN=a  ,DC=x", "CN=a,DC=x"));
	assert_false(map_dn_equal("CN=a\\ ,DC=x", "CN=a,DC=x"));
}

static void
test_dn_caps_avas_per_rdn_and_the_length(void **state)
{
	char rdn[MAP_DN_MAX_AVAS * 8 + 16], *big;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < MAP_DN_MAX_AVAS; i++)
		n += (size_t)snprintf(rdn + n, sizeof(rdn) - n, "%sCN=%zu",
		    i > 0 ? "+" : "", i);
	assert_true(map_dn_valid(rdn));
	snprintf(rdn + n, sizeof(rdn) - n, "+CN=x");
	assert_false(map_dn_valid(rdn));
	big = malloc(MAP_DN_MAX + 2);
	assert_non_null(big);
	memcpy(big, "CN=", 3);
	memset(big + 3, 'a', MAP_DN_MAX - 3);
	big[MAP_DN_MAX] = '\0';
	assert_int_equal(map_dn_depth(big), 1);
	big[MAP_DN_MAX] = 'a';
	big[MAP_DN_MAX + 1] = '\0';
	assert_int_equal(map_dn_depth(big), 0);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dn_escape_value_escapes_each_special_character),
		cmocka_unit_test(test_dn_escape_value_escapes_leading_hash_and_edge_spaces),
		cmocka_unit_test(test_dn_escape_value_hex_escapes_nul_and_controls),
		cmocka_unit_test(test_dn_escape_value_keeps_utf8_and_escapes_invalid_bytes),
		cmocka_unit_test(test_dn_parse_unescapes_values_and_splits_multi_valued_rdns),
		cmocka_unit_test(test_dn_parse_keeps_escaped_nul_in_a_value),
		cmocka_unit_test(test_dn_escaped_value_parses_back_to_the_original),
		cmocka_unit_test(test_dn_valid_rejects_malformed_dns),
		cmocka_unit_test(test_dn_equal_ignores_case_spaces_and_escape_form),
		cmocka_unit_test(test_dn_normalize_gives_one_form_for_equal_dns),
		cmocka_unit_test(test_dn_is_under_compares_rdns_not_string_suffixes),
		cmocka_unit_test(test_dn_equal_counts_repeated_avas_of_a_multi_valued_rdn),
		cmocka_unit_test(test_dn_is_under_counts_repeated_avas_of_the_base),
		cmocka_unit_test(test_dn_equal_iff_normal_forms_are_equal_and_symmetric),
		cmocka_unit_test(test_dn_is_under_rdn_finds_system_containers),
		cmocka_unit_test(test_dn_parent_and_rdn_split_at_the_first_unescaped_comma),
		cmocka_unit_test(test_dn_hex_values_stay_text_and_trailing_spaces_drop),
		cmocka_unit_test(test_dn_caps_avas_per_rdn_and_the_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
