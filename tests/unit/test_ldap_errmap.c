/* Unit tests for ldap/errmap.c: LDAP result codes to status and admin-readable messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ldap/errmap.h"

#define BIND_DN		"CN=svc-soabridge,OU=Service,DC=corp,DC=example,DC=test"
#define ANN		"CN=Doe\\, Ann,OU=Staff,DC=corp,DC=example,DC=test"
#define URI		"ldaps://dc1.corp.example.test"
#define AD_52E		"80090308: LdapErr: DSID-0C0903A9, comment: " \
			"AcceptSecurityContext error, data 52e, v1db1"

static const struct ad_errctx bind_ctx = {
	"ad.bind", "bind as", URI, BIND_DN, NULL, 1
};
static const struct ad_errctx modify_ctx = {
	"ad.modify", "modify", URI, ANN, "proxyAddresses", 1
};

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static enum sb_status
map(int rc, const char *diag, const char *matched,
    const struct ad_errctx *ctx, struct sb_error *err)
{
	memset(err, 0x5a, sizeof(*err));
	return ad_errmap(rc, diag, matched, ctx, err);
}

static void
test_errmap_invalid_credentials_stops_and_quotes_ad(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(49, AD_52E, NULL, &bind_ctx, &err), SB_STOP);
	assert_int_equal(err.status, SB_STOP);
	assert_int_equal(err.code, 49);
	assert_string_equal(err.where, "ad.bind");
	assert_string_equal(err.text, "bind as " BIND_DN " failed: invalid "
	    "credentials (check password_file) [AD: " AD_52E "]");
}

static void
test_errmap_bind_data_codes_name_the_account_problem(void **state)
{
	struct sb_error err;

	(void)state;
	map(49, "80090308: LdapErr: DSID-0C09042A, comment: "
	    "AcceptSecurityContext error, data 533, v4563", NULL, &bind_ctx,
	    &err);
	assert_contains(err.text, "invalid credentials: account disabled");
	map(49, "... data 775, v4563", NULL, &bind_ctx, &err);
	assert_contains(err.text, "account locked out");
	map(49, "... data 532, v4563", NULL, &bind_ctx, &err);
	assert_contains(err.text, "password expired");
	map(49, "... data 525, v4563", NULL, &bind_ctx, &err);
	assert_contains(err.text, "no such user (check bind_dn)");
	/* No data code (not AD): the generic hint. */
	assert_int_equal(map(49, NULL, NULL, &bind_ctx, &err), SB_STOP);
	assert_string_equal(err.text, "bind as " BIND_DN " failed: invalid "
	    "credentials (check password_file)");
}

static void
test_errmap_server_down_is_retry_naming_the_server(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(-1, NULL, NULL, &bind_ctx, &err), SB_RETRY);
	assert_contains(err.text, "cannot reach " URI);
	assert_contains(err.text, BIND_DN);
	assert_int_equal(map(-11, NULL, NULL, &bind_ctx, &err), SB_RETRY);
	assert_contains(err.text, "cannot reach " URI);
	assert_int_equal(map(-5, NULL, NULL, &modify_ctx, &err), SB_RETRY);
	assert_contains(err.text, "timed out");
	assert_int_equal(map(51, NULL, NULL, &modify_ctx, &err), SB_RETRY);
	assert_int_equal(map(52, NULL, NULL, &modify_ctx, &err), SB_RETRY);
}

static void
test_errmap_tls_certificate_failure_stops_pointing_at_ca_file(void **state)
{
	struct sb_error err;

	(void)state;
	/* GnuTLS-built libldap: a failed peer verification. */
	assert_int_equal(map(-1, "(unknown error code)", NULL, &bind_ctx, &err),
	    SB_STOP);
	assert_contains(err.text, "cannot connect to " URI ": certificate "
	    "verification failed (check ca_file");
	assert_int_equal(map(-11, "TLS: hostname does not match CN in peer "
	    "certificate", NULL, &bind_ctx, &err), SB_STOP);
	assert_contains(err.text, "certificate verification failed");
	assert_int_equal(map(-1, "error:0A000086:SSL routines::certificate "
	    "verify failed (self-signed certificate in certificate chain)",
	    NULL, &bind_ctx, &err), SB_STOP);
	/* Another TLS failure (a plain port, a reset): retry. */
	assert_int_equal(map(-1, "The TLS connection was non-properly "
	    "terminated.", NULL, &bind_ctx, &err), SB_RETRY);
	assert_contains(err.text, "TLS handshake failed");
}

static void
test_errmap_certificate_words_do_not_matter_without_tls(void **state)
{
	struct ad_errctx plain = bind_ctx;
	struct sb_error err;

	(void)state;
	plain.tls = 0;
	assert_int_equal(map(-1, "(unknown error code)", NULL, &plain, &err),
	    SB_RETRY);
}

static void
test_errmap_insufficient_access_names_dn_and_attribute(void **state)
{
	struct sb_error err;
	static const char diag[] = "00002098: SecErr: DSID-03150F94, problem "
	    "4003 (INSUFF_ACCESS_RIGHTS), data 0";

	(void)state;
	assert_int_equal(map(50, diag, NULL, &modify_ctx, &err), SB_STOP);
	assert_string_equal(err.text, "modify " ANN " failed: insufficient "
	    "access to proxyAddresses (grant the bind account Write Property "
	    "on proxyAddresses for this object or its OU) [AD: 00002098: "
	    "SecErr: DSID-03150F94, problem 4003 (INSUFF_ACCESS_RIGHTS), "
	    "data 0]");
}

static void
test_errmap_insufficient_access_hint_follows_the_operation(void **state)
{
	struct ad_errctx add = { "ad.add", "add", URI, ANN, NULL, 1 };
	struct ad_errctx del = { "ad.delete", "delete", URI, ANN, NULL, 1 };
	struct sb_error err;

	(void)state;
	map(50, NULL, NULL, &add, &err);
	assert_contains(err.text, "Create Child");
	map(50, NULL, NULL, &del, &err);
	assert_contains(err.text, "Delete");
}

static void
test_errmap_bad_values_skip_the_object(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(19, "00002082: AtrErr: DSID-03151904, #1:\n\t0: "
	    "00002082: DSID-03151904, problem 1005 (CONSTRAINT_ATT_TYPE), "
	    "data 0, Att 9000a (extensionAttribute1)", NULL, &modify_ctx, &err),
	    SB_SKIP);
	assert_contains(err.text, "constraint violation on proxyAddresses");
	assert_contains(err.text, ANN);
	assert_contains(err.text, "[AD: 00002082");
	assert_int_equal(map(21, NULL, NULL, &modify_ctx, &err), SB_SKIP);
	assert_contains(err.text, "invalid attribute syntax");
}

static void
test_errmap_stale_view_resyncs(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(32, "0000208D: NameErr: DSID-03100241, problem "
	    "2001 (NO_OBJECT), data 0, best match of:\n\t'OU=Staff,DC=corp'",
	    "OU=Staff,DC=corp,DC=example,DC=test", &modify_ctx, &err),
	    SB_RESYNC);
	assert_contains(err.text, "modify " ANN " failed: no such object");
	assert_contains(err.text, "the nearest existing entry is "
	    "OU=Staff,DC=corp,DC=example,DC=test");
	assert_int_equal(map(20, NULL, NULL, &modify_ctx, &err), SB_RESYNC);
	assert_contains(err.text, "value already present");
	assert_int_equal(map(16, NULL, NULL, &modify_ctx, &err), SB_RESYNC);
	assert_int_equal(map(68, NULL, NULL, &modify_ctx, &err), SB_RESYNC);
}

static void
test_errmap_attribute_is_named_only_where_it_is_the_problem(void **state)
{
	struct ad_errctx two = modify_ctx;
	struct sb_error err;

	(void)state;
	map(32, NULL, NULL, &modify_ctx, &err);
	assert_null(strstr(err.text, "proxyAddresses"));
	map(20, NULL, NULL, &modify_ctx, &err);
	assert_contains(err.text, "value already present in proxyAddresses");
	two.attr = "proxyAddresses,mail";
	map(21, NULL, NULL, &two, &err);
	assert_contains(err.text, "invalid attribute syntax on one of "
	    "proxyAddresses,mail");
	map(50, NULL, NULL, &two, &err);
	assert_contains(err.text, "insufficient access to one of "
	    "proxyAddresses,mail");
}

static void
test_errmap_samba_schema_miss_is_config_not_resync(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(16, "acl_modify: attribute 'mailNickname' on "
	    "entry 'CN=x' was not found in the schema!", NULL, &modify_ctx,
	    &err), SB_CONFIG);
	assert_contains(err.text, "attribute not in the directory's schema");
	assert_int_equal(map(16, "no such attribute for delete", NULL,
	    &modify_ctx, &err), SB_RESYNC);
}

static void
test_errmap_diagnostic_is_one_clean_line(void **state)
{
	struct sb_error err;

	(void)state;
	map(50, "00002098: Object CN=x has no write property access\n", NULL,
	    &modify_ctx, &err);
	assert_contains(err.text, "OU) [AD: 00002098: Object CN=x has no "
	    "write property access]");
	map(32, "0000208D: NameErr: DSID-03100241, problem 2001 (NO_OBJECT), "
	    "data 0, best match of:\n\t'OU=Staff,DC=corp'\n", NULL,
	    &modify_ctx, &err);
	assert_contains(err.text, "best match of: 'OU=Staff,DC=corp']");
	assert_null(strchr(err.text, '\n'));
	assert_null(strchr(err.text, '\t'));
}

static void
test_errmap_unwilling_to_perform_stops(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(53, "0000052D: SvcErr: DSID-031A126C, problem "
	    "5003 (WILL_NOT_PERFORM), data 0", NULL, &modify_ctx, &err),
	    SB_STOP);
	assert_contains(err.text, "unwilling to perform");
	assert_contains(err.text, "0000052D");
}

static void
test_errmap_strong_auth_required_is_config(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(8, "BindSimple: Transport encryption required.",
	    NULL, &bind_ctx, &err), SB_CONFIG);
	assert_contains(err.text, "use ldaps:// or starttls");
	assert_int_equal(map(13, NULL, NULL, &bind_ctx, &err), SB_CONFIG);
}

static void
test_errmap_programming_errors_are_bugs(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(-7, NULL, NULL, &modify_ctx, &err), SB_BUG);
	assert_int_equal(map(-9, NULL, NULL, &modify_ctx, &err), SB_BUG);
	assert_int_equal(map(2, NULL, NULL, &modify_ctx, &err), SB_BUG);
}

static void
test_errmap_unknown_code_stops_with_its_number(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(map(4242, NULL, NULL, &modify_ctx, &err), SB_STOP);
	assert_contains(err.text, "unexpected LDAP result 4242");
}

static void
test_errmap_long_diagnostic_is_cut_with_an_ellipsis(void **state)
{
	char diag[1000];
	struct sb_error err;
	size_t n;

	(void)state;
	memset(diag, 'd', sizeof(diag) - 1);
	diag[sizeof(diag) - 1] = '\0';
	map(19, diag, NULL, &modify_ctx, &err);
	n = strlen(err.text);
	assert_int_equal(n, sizeof(err.text) - 1);
	assert_string_equal(err.text + n - 3, "...");
	/* The part an admin acts on comes first and survives. */
	assert_contains(err.text, "modify " ANN " failed: constraint violation");
}

static void
test_errmap_tolerates_null_context_and_error(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(ad_errmap(50, NULL, NULL, NULL, NULL), SB_STOP);
	assert_int_equal(ad_errmap(32, NULL, NULL, NULL, &err), SB_RESYNC);
	assert_contains(err.text, "no such object");
	assert_int_equal(ad_errmap_status(19, NULL, 0), SB_SKIP);
	assert_int_equal(ad_errmap_status(0, NULL, 0), SB_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errmap_invalid_credentials_stops_and_quotes_ad),
		cmocka_unit_test(test_errmap_bind_data_codes_name_the_account_problem),
		cmocka_unit_test(test_errmap_server_down_is_retry_naming_the_server),
		cmocka_unit_test(test_errmap_tls_certificate_failure_stops_pointing_at_ca_file),
		cmocka_unit_test(test_errmap_certificate_words_do_not_matter_without_tls),
		cmocka_unit_test(test_errmap_insufficient_access_names_dn_and_attribute),
		cmocka_unit_test(test_errmap_insufficient_access_hint_follows_the_operation),
		cmocka_unit_test(test_errmap_bad_values_skip_the_object),
		cmocka_unit_test(test_errmap_stale_view_resyncs),
		cmocka_unit_test(test_errmap_attribute_is_named_only_where_it_is_the_problem),
		cmocka_unit_test(test_errmap_samba_schema_miss_is_config_not_resync),
		cmocka_unit_test(test_errmap_diagnostic_is_one_clean_line),
		cmocka_unit_test(test_errmap_unwilling_to_perform_stops),
		cmocka_unit_test(test_errmap_strong_auth_required_is_config),
		cmocka_unit_test(test_errmap_programming_errors_are_bugs),
		cmocka_unit_test(test_errmap_unknown_code_stops_with_its_number),
		cmocka_unit_test(test_errmap_long_diagnostic_is_cut_with_an_ellipsis),
		cmocka_unit_test(test_errmap_tolerates_null_context_and_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
