/*
 * Unit tests for ldap/lease.c: the lease value's text, both ways, and the
 * read and the swap against the byte-level fake server (test_ldap_fake.h):
 * one ModifyRequest deleting the value read and adding the new one, a lost
 * race reported as lost and not as an error.
 */
#include <stdint.h>

#include "test_ldap_fake.h"

#include "ldap/lease.h"
#include "mapping/log.h"

#define LEASE_DN "CN=soabridge-lease,OU=Service,DC=corp,DC=example"
#define OLD "holder=dc1:41:00aa00aa00aa00aa;expires=1700000090"
#define NEW "holder=dc2:42:11bb11bb11bb11bb;expires=1700000190"

/* A ModifyRequest's change: SEQUENCE, then ENUMERATED operation (RFC 4511). */
static const unsigned char op_add[] = { 0x0a, 0x01, 0x00 };
static const unsigned char op_delete[] = { 0x0a, 0x01, 0x01 };

/* Offset of p[0..n) in request i, or -1. */
static long
find(const struct fake_ldap *f, size_t i, const void *p, size_t n)
{
	size_t j;

	for (j = 0; j + n <= f->mlen[i]; j++)
		if (memcmp(f->buf + f->off[i] + j, p, n) == 0)
			return (long)j;
	return -1;
}

static struct ad_lease
lease_of(const char *s)
{
	struct ad_lease l;

	assert_true(ad_lease_parse(s, strlen(s), &l));
	return l;
}

static void
test_lease_value_formats_and_parses_back(void **state)
{
	char buf[AD_LEASE_VALUE_MAX];
	struct ad_lease l;

	(void)state;
	assert_true(ad_lease_format("dc1.corp.example:4711:0123456789abcdef",
	    1700000090, buf, sizeof(buf)));
	assert_string_equal(buf,
	    "holder=dc1.corp.example:4711:"
	    "0123456789abcdef;expires=1700000090");
	assert_true(ad_lease_parse(buf, strlen(buf), &l));
	assert_true(l.present);
	assert_true(l.valid);
	assert_string_equal(l.holder, "dc1.corp.example:4711:0123456789abcdef");
	assert_int_equal(l.expires, 1700000090);
	assert_string_equal(l.raw, buf);
}

static void
test_lease_value_that_is_no_lease_is_present_but_not_valid(void **state)
{
	static const char *const bad[] = {
		"holder=;expires=1",
		"holder=a;expires=",
		"holder=a;expires=-1",
		"holder=a;expires=+1",
		"holder=a;expires=1x",
		"holder=a;expires= 1",
		"holder=a;expires=12345678901234567890",
		"holder=a b;expires=1",
		"holder=a=b;expires=1",
		"expires=1;holder=a",
		"holder=a;expires=1;x=2",
		"holder=a",
		"soabridge lease",
	};
	char nul[] = "holder=a;expires=1\0";
	struct ad_lease l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ad_lease_parse(bad[i], strlen(bad[i]), &l))
			fail_msg("'%s' parsed as a lease", bad[i]);
		assert_true(l.present);
		assert_false(l.valid);
	}
	assert_false(ad_lease_parse(nul, sizeof(nul) - 1, &l));
	assert_false(ad_lease_parse("", 0, &l));
	assert_false(l.present);
}

static void
test_lease_format_refuses_a_holder_that_would_not_parse_back(void **state)
{
	char buf[AD_LEASE_VALUE_MAX], longid[AD_LEASE_HOLDER_MAX + 1];

	(void)state;
	assert_false(ad_lease_format("", 1, buf, sizeof(buf)));
	assert_false(ad_lease_format("a;expires=9", 1, buf, sizeof(buf)));
	assert_false(ad_lease_format("a=b", 1, buf, sizeof(buf)));
	assert_false(ad_lease_format("a", -1, buf, sizeof(buf)));
	memset(longid, 'a', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_false(ad_lease_format(longid, 1, buf, sizeof(buf)));
	/* too small a buffer is a failure, never a cut value */
	assert_false(ad_lease_format("a", 1700000000, buf, 20));
}

static void
test_lease_swap_deletes_the_value_read_and_adds_the_new_one_at_once(void *
	*state)
{
	struct ad_lease old = lease_of(OLD);
	struct fake_ldap f;
	struct sb_error err;
	long del, add;
	int won = 0;

	(void)state;
	log_set_level(LOG_LVL_ERROR);
	fake_ldap_open(&f, NULL);
	fake_ldap_result(&f, 1, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(ad_lease_swap(f.c, LEASE_DN, &old, NEW, &won, &err),
	    SB_OK);
	assert_int_equal(won, 1);
	fake_ldap_requests(&f);
	/* one modify: AD applies both or neither */
	assert_int_equal(f.nmsg, 1);
	assert_int_equal(fake_ldap_req_op(&f, 0), LDAP_REQ_MODIFY);
	assert_true(fake_ldap_holds_str(&f, 0, LEASE_DN));
	assert_true(fake_ldap_holds_str(&f, 0, "adminDescription"));
	assert_true(fake_ldap_holds_str(&f, 0, OLD));
	assert_true(fake_ldap_holds_str(&f, 0, NEW));
	del = find(&f, 0, op_delete, sizeof(op_delete));
	add = find(&f, 0, op_add, sizeof(op_add));
	assert_true(del >= 0 && add > del);
	/* the value, not the attribute: a delete that names OLD */
	assert_true(find(&f, 0, OLD, strlen(OLD)) > del);
	assert_true(find(&f, 0, OLD, strlen(OLD)) < add);
	fake_ldap_close(&f);
}

static void
test_lease_swap_of_an_empty_lease_only_adds(void **state)
{
	struct ad_lease none;
	struct fake_ldap f;
	struct sb_error err;
	int won = 0;

	(void)state;
	memset(&none, 0, sizeof(none));
	fake_ldap_open(&f, NULL);
	fake_ldap_result(&f, 1, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(ad_lease_swap(f.c, LEASE_DN, &none, NEW, &won, &err),
	    SB_OK);
	assert_int_equal(won, 1);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 1);
	assert_true(find(&f, 0, op_add, sizeof(op_add)) >= 0);
	assert_true(find(&f, 0, op_delete, sizeof(op_delete)) < 0);
	fake_ldap_close(&f);
}

static void
test_lease_release_only_deletes_the_value_read(void **state)
{
	struct ad_lease old = lease_of(OLD);
	struct fake_ldap f;
	struct sb_error err;
	int won = 0;

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_result(&f, 1, LDAP_RES_MODIFY, LDAP_SUCCESS, NULL);
	assert_int_equal(ad_lease_swap(f.c, LEASE_DN, &old, NULL, &won, &err),
	    SB_OK);
	assert_int_equal(won, 1);
	fake_ldap_requests(&f);
	assert_true(find(&f, 0, op_delete, sizeof(op_delete)) >= 0);
	assert_true(find(&f, 0, op_add, sizeof(op_add)) < 0);
	assert_true(fake_ldap_holds_str(&f, 0, OLD));
	fake_ldap_close(&f);
}

static void
test_lease_swap_lost_to_another_agent_is_lost_not_an_error(void **state)
{
	/* what AD and Samba answer when the value changed since it was read */
	static const int lost[] = { LDAP_NO_SUCH_ATTRIBUTE,
		LDAP_TYPE_OR_VALUE_EXISTS, LDAP_CONSTRAINT_VIOLATION };
	struct ad_lease old = lease_of(OLD), none;
	struct fake_ldap f;
	struct sb_error err;
	size_t i;
	int won;

	(void)state;
	memset(&none, 0, sizeof(none));
	for (i = 0; i < sizeof(lost) / sizeof(lost[0]); i++) {
		fake_ldap_open(&f, NULL);
		fake_ldap_result(&f, 1, LDAP_RES_MODIFY, lost[i],
		    "00002083: AtrErr: DSID-03151904");
		won = 1;
		assert_int_equal(ad_lease_swap(f.c, LEASE_DN,
				     i == 0 ? &old : &none, NEW, &won, &err),
		    SB_OK);
		assert_int_equal(won, 0);
		fake_ldap_close(&f);
	}
}

static void
test_lease_swap_refused_by_ad_is_an_error(void **state)
{
	struct ad_lease old = lease_of(OLD);
	struct fake_ldap f;
	struct sb_error err;
	int won = 1;

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_result(&f, 1, LDAP_RES_MODIFY, LDAP_INSUFFICIENT_ACCESS,
	    "00002098: SecErr: DSID-03150F94");
	assert_int_equal(ad_lease_swap(f.c, LEASE_DN, &old, NEW, &won, &err),
	    SB_STOP);
	assert_int_equal(won, 0);
	assert_int_equal(err.code, LDAP_INSUFFICIENT_ACCESS);
	assert_non_null(strstr(err.text, "SecErr"));
	fake_ldap_close(&f);
}

static void
test_lease_swap_never_replaces_a_value_that_is_no_lease(void **state)
{
	struct ad_lease odd;
	struct fake_ldap f;
	struct sb_error err;
	int won = 1;

	(void)state;
	assert_false(ad_lease_parse("set by hand", 11, &odd));
	fake_ldap_open(&f, NULL);
	assert_int_equal(ad_lease_swap(f.c, LEASE_DN, &odd, NEW, &won, &err),
	    SB_BUG);
	assert_int_equal(won, 0);
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 0);
	fake_ldap_close(&f);
}

static void
test_lease_read_gives_the_holder_and_whether_it_may_be_written(void **state)
{
	struct fake_search_req r;
	struct fake_ldap f;
	struct sb_error err;
	struct ad_lease l;

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_entry(&f, 1, LEASE_DN, "objectClass", "top", "container",
	    NULL, "adminDescription", OLD, NULL, "allowedAttributesEffective",
	    "description", "adminDescription", NULL, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_lease_read(f.c, LEASE_DN, &l, &err), SB_OK);
	assert_true(l.present && l.valid && l.writable);
	assert_string_equal(l.holder, "dc1:41:00aa00aa00aa00aa");
	assert_int_equal(l.expires, 1700000090);
	fake_ldap_requests(&f);
	fake_ldap_search_req(&f, 0, &r);
	assert_string_equal(r.base, LEASE_DN);
	assert_int_equal(r.scope, LDAP_SCOPE_BASE);
	ber_memvfree((void **)r.attrs);
	fake_ldap_close(&f);

	/* empty, and this account may not write it */
	fake_ldap_open(&f, NULL);
	fake_ldap_entry(&f, 1, LEASE_DN, "objectClass", "top", "container",
	    NULL, "allowedAttributesEffective", "description", NULL, NULL);
	fake_ldap_done(&f, 1, LDAP_SUCCESS, NULL, "");
	assert_int_equal(ad_lease_read(f.c, LEASE_DN, &l, &err), SB_OK);
	assert_false(l.present);
	assert_false(l.writable);
	fake_ldap_close(&f);
}

static void
test_lease_read_of_a_missing_object_fails_naming_it(void **state)
{
	struct fake_ldap f;
	struct sb_error err;
	struct ad_lease l;

	(void)state;
	fake_ldap_open(&f, NULL);
	fake_ldap_done(&f, 1, LDAP_NO_SUCH_OBJECT,
	    "0000208D: NameErr: DSID-03100241", NULL);
	assert_int_not_equal(ad_lease_read(f.c, LEASE_DN, &l, &err), SB_OK);
	assert_non_null(strstr(err.text, "NameErr"));
	fake_ldap_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_value_formats_and_parses_back),
		cmocka_unit_test(
		    test_lease_value_that_is_no_lease_is_present_but_not_valid),
		cmocka_unit_test(
		    test_lease_format_refuses_a_holder_that_would_not_parse_back),
		cmocka_unit_test(
		    test_lease_swap_deletes_the_value_read_and_adds_the_new_one_at_once),
		cmocka_unit_test(test_lease_swap_of_an_empty_lease_only_adds),
		cmocka_unit_test(
		    test_lease_release_only_deletes_the_value_read),
		cmocka_unit_test(
		    test_lease_swap_lost_to_another_agent_is_lost_not_an_error),
		cmocka_unit_test(test_lease_swap_refused_by_ad_is_an_error),
		cmocka_unit_test(
		    test_lease_swap_never_replaces_a_value_that_is_no_lease),
		cmocka_unit_test(
		    test_lease_read_gives_the_holder_and_whether_it_may_be_written),
		cmocka_unit_test(
		    test_lease_read_of_a_missing_object_fails_naming_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
