/* conf/: every error class reported with file, line and key; good files load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "mapping/dn.h"
#include "conf/secret.h"

struct fixture {
	char	dir[64];
	char	conf[128];
	char	secret[128];
	char	ca[128];
};

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/sbconfXXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->conf, sizeof(fx->conf), "%s/soabridge.conf", fx->dir);
	snprintf(fx->secret, sizeof(fx->secret), "%s/ldap.secret", fx->dir);
	snprintf(fx->ca, sizeof(fx->ca), "%s/ca.pem", fx->dir);
	write_file(fx->secret, "s3cret\n", 0600);
	write_file(fx->ca, "-----BEGIN CERTIFICATE-----\n", 0644);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

/*
 * A valid file with one line replaced: "@LDAPEXTRA@" and "@CLOUDEXTRA@" mark
 * where a test adds lines; @SECRET@ and @CA@ are the fixture's files.
 */
static const char base_conf[] =
"ldap {\n"					/* 1 */
"  uri = \"ldaps://127.0.0.1\"\n"		/* 2 */
"  ca_file = \"@CA@\"\n"			/* 3 */
"  bind_dn = \"CN=svc,OU=Service,DC=corp,DC=example\"\n"	/* 4 */
"  password_file = \"@SECRET@\"\n"		/* 5 */
"  base_dn = \"DC=corp,DC=example\"\n"		/* 6 */
"  write_scope = {\"OU=Staff,DC=corp,DC=example\"}\n"	/* 7 */
"  @LDAPEXTRA@\n"				/* 8 */
"}\n"						/* 9 */
"cloud {\n"					/* 10 */
"  tenant_id = \"00000000-0000-4000-8000-000000000001\"\n"	/* 11 */
"  client_id = \"11111111-1111-4111-8111-111111111111\"\n"	/* 12 */
"  client_secret_file = \"@SECRET@\"\n"		/* 13 */
"  login_url = \"https://127.0.0.1:8443\"\n"	/* 14 */
"  @CLOUDEXTRA@\n"				/* 15 */
"}\n"						/* 16 */
"limits { max_changes = 10 }\n"			/* 17 */
"state_dir = \"/var/lib/soabridge\"\n";		/* 18 */

static void
replace(char *buf, size_t cap, const char *token, const char *with)
{
	char *at, tmp[4096];

	while ((at = strstr(buf, token)) != NULL) {
		snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)(at - buf), buf,
		    with, at + strlen(token));
		snprintf(buf, cap, "%s", tmp);
	}
}

static void
make_conf(struct fixture *fx, const char *ldap_extra, const char *cloud_extra)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", base_conf);
	replace(buf, sizeof(buf), "@SECRET@", fx->secret);
	replace(buf, sizeof(buf), "@CA@", fx->ca);
	replace(buf, sizeof(buf), "@LDAPEXTRA@", ldap_extra);
	replace(buf, sizeof(buf), "@CLOUDEXTRA@", cloud_extra);
	write_file(fx->conf, buf, 0644);
}

/* Load fx->conf, expect failure, return the joined diagnostics. */
static char *
load_fails(struct fixture *fx)
{
	struct conf_diag diag;
	struct conf *c = NULL;
	char *all = calloc(1, 8192);
	size_t i;

	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_CONFIG);
	assert_null(c);
	assert_true(diag.n > 0);
	for (i = 0; i < diag.n; i++) {
		strncat(all, diag.lines[i], 8192 - strlen(all) - 2);
		strncat(all, "\n", 8192 - strlen(all) - 1);
	}
	conf_diag_free(&diag);
	return all;
}

static void
assert_has(const char *all, const char *want)
{
	if (strstr(all, want) == NULL)
		fail_msg("expected '%s' in:\n%s", want, all);
}

static void
test_conf_valid_file_loads_every_section(void **state)
{
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;

	make_conf(fx, "", "");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_non_null(c);
	assert_int_equal(diag.nwarn, 0);
	conf_diag_free(&diag);
	assert_int_equal(c->ldap.uri.n, 1);
	assert_string_equal(c->ldap.uri.v[0], "ldaps://127.0.0.1");
	assert_string_equal(c->ldap.domain, "");
	assert_int_equal(c->ldap.write_scope.n, 1);
	/* unset URLs: "", the environment's hosts (cloud/token.c) */
	assert_string_equal(c->cloud.environment, "global");
	assert_string_equal(c->cloud.graph_url, "");
	assert_string_equal(c->cloud.login_url, "https://127.0.0.1:8443");
	assert_int_equal(c->limits.max_changes, 10);
	assert_int_equal(c->limits.max_deletes, 50);
	assert_int_equal(c->limits.flap_threshold, 3);
	assert_int_equal(c->groups.type, CONF_GROUP_UNIVERSAL);
	assert_int_equal(c->daemon.interval, 60);
	assert_string_equal(c->state_dir, "/var/lib/soabridge");
	conf_free(c);
}

static void
test_conf_unknown_key_names_file_line_and_key(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "colour = \"blue\"", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:8: ldap: no such option 'colour'",
	    fx->conf);
	assert_has(all, want);
	free(all);
}

/*
 * Found by fuzz_conf: libconfuse fails on a second value after "key =
 * value" without a message of its own; check-config said "0 errors".
 */
static void
test_conf_silent_syntax_error_still_names_file_and_line(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "", "login_url = x \"\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:10: file: syntax error", fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_wrong_type_names_file_line_and_key(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "timeout = \"soon\"", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:8: ldap: invalid integer value for "
	    "option 'timeout'", fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_malformed_uri_is_reported(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "", "graph_url = \"http://graph.example\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:15: cloud.graph_url: "
	    "'http://graph.example' must be an https:// URL", fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_plain_ldap_without_starttls_is_refused(void **state)
{
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;
	char want[512], buf[4096], *all;

	/* Replace the uri line (line 2) by a plain ldap:// one. */
	snprintf(buf, sizeof(buf), "%s", base_conf);
	replace(buf, sizeof(buf), "ldaps://127.0.0.1", "ldap://127.0.0.1");
	replace(buf, sizeof(buf), "@SECRET@", fx->secret);
	replace(buf, sizeof(buf), "@CA@", fx->ca);
	replace(buf, sizeof(buf), "@LDAPEXTRA@", "");
	replace(buf, sizeof(buf), "@CLOUDEXTRA@", "");
	write_file(fx->conf, buf, 0644);
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:2: ldap.uri: 'ldap://127.0.0.1' is "
	    "plain LDAP", fx->conf);
	assert_has(all, want);
	free(all);

	/* With starttls the same URI is fine. */
	replace(buf, sizeof(buf), "  \n}\ncloud", "  starttls = true\n}\ncloud");
	write_file(fx->conf, buf, 0644);
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	conf_diag_free(&diag);
	assert_true(c->ldap.starttls);
	conf_free(c);
}

static void
test_conf_malformed_dn_is_reported(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "write_scope = {\"OU=Staff,,DC=corp\"}", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:8: ldap.write_scope: "
	    "'OU=Staff,,DC=corp' is not a valid DN", fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_write_scope_outside_base_is_reported(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "write_scope = {\"OU=Staff,DC=other,DC=example\"}", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:8: ldap.write_scope: "
	    "'OU=Staff,DC=other,DC=example' is not inside base_dn", fx->conf);
	assert_has(all, want);
	free(all);
}

/*
 * check-config reads a DN as the write gate does (mapping/dn.c): an escaped
 * "\2C" is the same comma as "\,", attribute types and spaces around ','
 * do not matter; a different value is still outside.
 */
static void
test_conf_write_scope_is_read_as_the_write_gate_reads_it(void **state)
{
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;
	char want[512], *all;

	make_conf(fx, "base_dn = \"OU=Acme\\\\, Inc,DC=corp,DC=example\" "
	    "write_scope = {\"OU=Staff,ou=Acme\\\\2C Inc, dc=corp,DC=example\"}",
	    "");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_non_null(c);
	assert_true(map_dn_is_under("OU=Staff,ou=Acme\\2C Inc, dc=corp,"
	    "DC=example", "OU=Acme\\, Inc,DC=corp,DC=example"));
	conf_free(c);
	conf_diag_free(&diag);

	make_conf(fx, "base_dn = \"OU=Acme\\\\, Inc,DC=corp,DC=example\" "
	    "write_scope = {\"OU=Staff,OU=Acme\\\\2C Incorporated,DC=corp,"
	    "DC=example\"}", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:8: ldap.write_scope: "
	    "'OU=Staff,OU=Acme\\2C Incorporated,DC=corp,DC=example' is not "
	    "inside base_dn", fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_unreadable_file_is_reported(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "", "ca_file = \"/nonexistent/ca.pem\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:15: cloud.ca_file: cannot read "
	    "'/nonexistent/ca.pem'", fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_secret_readable_by_others_is_refused(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	assert_int_equal(chmod(fx->secret, 0644), 0);
	make_conf(fx, "", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:5: ldap.password_file: %s is "
	    "accessible by group or others (mode 0644)", fx->conf, fx->secret);
	assert_has(all, want);
	snprintf(want, sizeof(want), "%s:13: cloud.client_secret_file:",
	    fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_missing_required_key_is_reported(void **state)
{
	struct fixture *fx = *state;
	char want[512], buf[4096], *all;

	snprintf(buf, sizeof(buf), "%s", base_conf);
	replace(buf, sizeof(buf), "  base_dn = \"DC=corp,DC=example\"\n", "");
	replace(buf, sizeof(buf), "@SECRET@", fx->secret);
	replace(buf, sizeof(buf), "@CA@", fx->ca);
	replace(buf, sizeof(buf), "@LDAPEXTRA@", "");
	replace(buf, sizeof(buf), "@CLOUDEXTRA@", "");
	write_file(fx->conf, buf, 0644);
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s: ldap.base_dn: required key is "
	    "missing", fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_out_of_range_and_bad_enum_are_reported(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf(fx, "timeout = 0", "client_id = \"not-a-guid\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:8: ldap.timeout: 0 is out of range",
	    fx->conf);
	assert_has(all, want);
	snprintf(want, sizeof(want), "%s:15: cloud.client_id: 'not-a-guid' is "
	    "not a GUID", fx->conf);
	assert_has(all, want);
	free(all);
}

/* libconfuse 3.3 miscounts lines after comments; ours must not. */
static void
test_conf_line_numbers_count_comment_lines_once(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	write_file(fx->conf, "# a comment line\n"
	    "// another\n"
	    "/* a block\n   over two lines */\n"
	    "limits { # trailing comment\n"
	    "  max_changes = 5  # \"quoted\" in a comment\n"
	    "  colour = \"#not a comment\"\n"
	    "}\n", 0644);
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:7: limits: no such option 'colour'",
	    fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_missing_file_is_reported(void **state)
{
	struct conf_diag diag;
	struct conf *c = NULL;

	(void)state;
	assert_int_equal(conf_load("/nonexistent/soabridge.conf", &c, &diag),
	    SB_CONFIG);
	assert_int_equal(diag.n, 1);
	assert_non_null(strstr(diag.lines[0], "/nonexistent/soabridge.conf: "
	    "file: cannot read: No such file or directory"));
	conf_diag_free(&diag);
}

static void
test_conf_secret_read_strips_one_newline_and_wipes(void **state)
{
	struct fixture *fx = *state;
	struct sb_bytes s = { 0 };
	struct sb_error err;

	assert_int_equal(conf_secret_read(fx->secret, &s, &err), SB_OK);
	assert_int_equal(s.len, 6);
	assert_memory_equal(s.p, "s3cret", 6);
	conf_secret_free(&s);
	assert_null(s.p);
	assert_int_equal(s.len, 0);
}

/* Load fx->conf, expect success; return the joined warnings (maybe ""). */
static char *
load_warns(struct fixture *fx)
{
	struct conf_diag diag;
	struct conf *c = NULL;
	char *all = calloc(1, 8192);
	size_t i;

	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_non_null(c);
	assert_int_equal(diag.n, 0);
	for (i = 0; i < diag.nwarn; i++) {
		strncat(all, diag.warnings[i], 8192 - strlen(all) - 2);
		strncat(all, "\n", 8192 - strlen(all) - 1);
	}
	conf_diag_free(&diag);
	conf_free(c);
	return all;
}

/* Write base_conf with extra lines at 8 and 15 and text appended at 19. */
static void
make_conf_tail(struct fixture *fx, const char *ldap_extra,
    const char *cloud_extra, const char *tail)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s%s", base_conf, tail);
	replace(buf, sizeof(buf), "@SECRET@", fx->secret);
	replace(buf, sizeof(buf), "@CA@", fx->ca);
	replace(buf, sizeof(buf), "@LDAPEXTRA@", ldap_extra);
	replace(buf, sizeof(buf), "@CLOUDEXTRA@", cloud_extra);
	write_file(fx->conf, buf, 0644);
}

/* base_conf with line 13 (the secret) replaced by line13, and 15 added. */
static void
make_cred_conf(struct fixture *fx, const char *line13, const char *extra)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", base_conf);
	replace(buf, sizeof(buf), "  client_secret_file = \"@SECRET@\"\n",
	    line13);
	replace(buf, sizeof(buf), "@SECRET@", fx->secret);
	replace(buf, sizeof(buf), "@CA@", fx->ca);
	replace(buf, sizeof(buf), "@LDAPEXTRA@", "");
	replace(buf, sizeof(buf), "@CLOUDEXTRA@", extra);
	write_file(fx->conf, buf, 0644);
}

static void
test_conf_certificate_and_key_instead_of_a_secret_load(void **state)
{
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;
	char line13[256], extra[256];

	/* fx->ca stands in for the certificate: conf/ only checks the files */
	snprintf(line13, sizeof(line13), "  certificate_file = \"%s\"\n",
	    fx->ca);
	snprintf(extra, sizeof(extra), "private_key_file = \"%s\"", fx->secret);
	make_cred_conf(fx, line13, extra);
	if (conf_load(fx->conf, &c, &diag) != SB_OK)
		fail_msg("%s", diag.n > 0 ? diag.lines[0] : "?");
	assert_string_equal(c->cloud.client_secret_file, "");
	assert_string_equal(c->cloud.certificate_file, fx->ca);
	assert_string_equal(c->cloud.private_key_file, fx->secret);
	conf_diag_free(&diag);
	conf_free(c);
}

static void
test_conf_certificate_needs_its_key_and_the_key_its_certificate(void **state)
{
	struct fixture *fx = *state;
	char want[512], line13[256], extra[256], *all;

	snprintf(line13, sizeof(line13), "  certificate_file = \"%s\"\n",
	    fx->ca);
	make_cred_conf(fx, line13, "");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:13: cloud.certificate_file: needs "
	    "private_key_file too",
	    fx->conf);
	assert_has(all, want);
	free(all);

	snprintf(extra, sizeof(extra), "private_key_file = \"%s\"", fx->secret);
	make_cred_conf(fx, "\n", extra);
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:15: cloud.private_key_file: needs "
	    "certificate_file too",
	    fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_exactly_one_credential_is_required(void **state)
{
	struct fixture *fx = *state;
	char want[512], extra[512], *all;

	/* both the secret and the pair */
	snprintf(extra, sizeof(extra),
	    "certificate_file = \"%s\" "
	    "private_key_file = \"%s\"",
	    fx->ca, fx->secret);
	make_conf(fx, "", extra);
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:15: cloud.certificate_file: give one "
	    "credential: client_secret_file, or certificate_file with "
	    "private_key_file, not both",
	    fx->conf);
	assert_has(all, want);
	free(all);

	/* neither */
	make_cred_conf(fx, "\n", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "cloud.client_secret_file: required (the "
	    "file holding the app registration's client secret), or "
	    "certificate_file and private_key_file");
	assert_has(all, want);
	assert_has(all, fx->conf);
	free(all);
}

/* The key file is a secret file: the same checks as client_secret_file. */
static void
test_conf_private_key_readable_by_others_is_refused(void **state)
{
	struct fixture *fx = *state;
	char want[512], key[160], line13[256], extra[256], *all;

	snprintf(key, sizeof(key), "%s/app.key", fx->dir);
	write_file(key, "-----BEGIN PRIVATE KEY-----\n", 0640);
	snprintf(line13, sizeof(line13), "  certificate_file = \"%s\"\n",
	    fx->ca);
	snprintf(extra, sizeof(extra), "private_key_file = \"%s\"", key);
	make_cred_conf(fx, line13, extra);
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:15: cloud.private_key_file: %s is "
	    "accessible by group or others (mode 0640)",
	    fx->conf, key);
	assert_has(all, want);
	free(all);

	make_cred_conf(fx, line13, "private_key_file = \"app.key\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:15: cloud.private_key_file: "
	    "'app.key' must be an absolute path",
	    fx->conf);
	assert_has(all, want);
	free(all);
	unlink(key);
}

static struct conf *load_ok(struct fixture *fx);

/* The base file with a GSSAPI bind in place of bind_dn and password_file. */
static void
make_gssapi_conf(struct fixture *fx, const char *uri, const char *bind)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", base_conf);
	replace(buf, sizeof(buf),
	    "  bind_dn = \"CN=svc,OU=Service,DC=corp,DC=example\"\n", "");
	replace(buf, sizeof(buf), "  password_file = \"@SECRET@\"\n", "");
	replace(buf, sizeof(buf), "ldaps://127.0.0.1", uri);
	replace(buf, sizeof(buf), "@SECRET@", fx->secret);
	replace(buf, sizeof(buf), "@CA@", fx->ca);
	replace(buf, sizeof(buf), "@LDAPEXTRA@", bind);
	replace(buf, sizeof(buf), "@CLOUDEXTRA@", "");
	write_file(fx->conf, buf, 0644);
}

static void
test_conf_gssapi_binds_with_a_private_keytab(void **state)
{
	struct fixture *fx = *state;
	char kt[160], bind[512], want[512], *all;
	struct conf *c;

	snprintf(kt, sizeof(kt), "%s/ldap.keytab", fx->dir);
	write_file(kt, "keys", 0600);
	snprintf(bind, sizeof(bind),
	    "sasl_mech = \"gssapi\" keytab_file = "
	    "\"%s\" principal = \"svc@CORP.EXAMPLE\"",
	    kt);
	make_gssapi_conf(fx, "ldaps://dc1.corp.example", bind);
	c = load_ok(fx);
	assert_string_equal(c->ldap.sasl_mech, "GSSAPI");
	assert_string_equal(c->ldap.keytab_file, kt);
	assert_string_equal(c->ldap.principal, "svc@CORP.EXAMPLE");
	assert_string_equal(c->ldap.bind_dn, "");
	conf_free(c);

	/* plain ldap:// is for GSSAPI (sealed); the principal is optional */
	snprintf(bind, sizeof(bind),
	    "sasl_mech = \"GSSAPI\" keytab_file = "
	    "\"%s\"",
	    kt);
	make_gssapi_conf(fx, "ldap://dc1.corp.example", bind);
	c = load_ok(fx);
	assert_string_equal(c->ldap.principal, "");
	conf_free(c);

	/* a keytab others can read is refused, naming the key */
	assert_int_equal(chmod(kt, 0644), 0);
	make_gssapi_conf(fx, "ldaps://dc1.corp.example", bind);
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:6: ldap.keytab_file: %s is "
	    "accessible by group or others (mode 0644)",
	    fx->conf, kt);
	assert_has(all, want);
	free(all);
	unlink(kt);
}

static void
test_conf_gssapi_refuses_what_it_would_not_use(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_gssapi_conf(fx, "ldaps://dc1.corp.example",
	    "sasl_mech = \"GSSAPI\" password_file = \"/k.pw\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s: ldap.keytab_file: required with "
	    "sasl_mech = \"GSSAPI\"",
	    fx->conf);
	assert_has(all, want);
	assert_has(all,
	    "ldap.password_file: not used with sasl_mech = "
	    "\"GSSAPI\"");
	free(all);

	make_gssapi_conf(fx, "ldaps://dc1.corp.example",
	    "sasl_mech = \"DIGEST-MD5\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:6: ldap.sasl_mech: 'DIGEST-MD5': "
	    "only \"GSSAPI\"",
	    fx->conf);
	assert_has(all, want);
	free(all);

	/* Kerberos keys without GSSAPI, and plain LDAP for a password */
	make_conf(fx, "keytab_file = \"/k.keytab\" principal = \"svc@C\"", "");
	all = load_fails(fx);
	assert_has(all, "ldap.keytab_file: is for sasl_mech = \"GSSAPI\"");
	assert_has(all, "ldap.principal: is for sasl_mech = \"GSSAPI\"");
	free(all);
	make_conf(fx, "uri = \"ldap://dc1.corp.example\"", "");
	all = load_fails(fx);
	assert_has(all, "is plain LDAP: use ldaps://");
	free(all);
}

static void
test_conf_national_clouds_load(void **state)
{
	static const char *const envs[] = { "global", "usgov", "usgov-dod",
	    "china" };
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;
	char want[512], *all, line[96];
	size_t i;

	/* every environment of the contract loads, URLs or not */
	for (i = 0; i < sizeof(envs) / sizeof(envs[0]); i++) {
		snprintf(line, sizeof(line), "environment = \"%s\"", envs[i]);
		make_conf(fx, "", line);
		assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
		assert_int_equal(diag.nwarn, 0);
		conf_diag_free(&diag);
		assert_string_equal(c->cloud.environment, envs[i]);
		/* login_url stays as given: it only says where to send */
		assert_string_equal(c->cloud.login_url,
		    "https://127.0.0.1:8443");
		assert_string_equal(c->cloud.exchange_url, "");
		conf_free(c);
		c = NULL;
	}

	/* anything else: named, with the values there are */
	make_conf(fx, "", "environment = \"mars\"");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:15: cloud.environment: 'mars' is not "
	    "one of global, usgov (GCC High), usgov-dod (DoD), china "
	    "(21Vianet)", fx->conf);
	assert_has(all, want);
	free(all);
	make_conf(fx, "", "environment = \"USGov\"");
	all = load_fails(fx);
	assert_has(all, "cloud.environment: 'USGov' is not one of");
	free(all);
}

/* The base file with its uri line (line 2) replaced by line. */
static void
make_conf_uri(struct fixture *fx, const char *line, const char *ldap_extra)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", base_conf);
	replace(buf, sizeof(buf), "uri = \"ldaps://127.0.0.1\"", line);
	replace(buf, sizeof(buf), "@SECRET@", fx->secret);
	replace(buf, sizeof(buf), "@CA@", fx->ca);
	replace(buf, sizeof(buf), "@LDAPEXTRA@", ldap_extra);
	replace(buf, sizeof(buf), "@CLOUDEXTRA@", "");
	write_file(fx->conf, buf, 0644);
}

static void
test_conf_ldap_uri_list_is_kept_in_order(void **state)
{
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;

	make_conf_uri(fx,
	    "uri = {\"ldaps://dc2.corp.example\", "
	    "\"ldaps://127.0.0.1:6360\", \"ldaps://dc1.corp.example\"}",
	    "");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->ldap.uri.n, 3);
	assert_string_equal(c->ldap.uri.v[0], "ldaps://dc2.corp.example");
	assert_string_equal(c->ldap.uri.v[1], "ldaps://127.0.0.1:6360");
	assert_string_equal(c->ldap.uri.v[2], "ldaps://dc1.corp.example");
	assert_string_equal(c->ldap.domain, "");
	conf_diag_free(&diag);
	conf_free(c);

	/* ldap:// with starttls: every one of them */
	make_conf_uri(fx, "uri = {\"ldap://dc1\", \"ldap://dc2:3890\"}",
	    "starttls = true");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->ldap.uri.n, 2);
	conf_diag_free(&diag);
	conf_free(c);
}

static void
test_conf_ldap_uri_list_names_the_bad_uri(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;

	make_conf_uri(fx, "uri = {\"ldaps://dc1\", \"https://dc2\"}", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:2: ldap.uri: 'https://dc2' ",
	    fx->conf);
	assert_has(all, want);
	assert_true(strstr(all, "'ldaps://dc1'") == NULL);
	free(all);

	/* a plain one among TLS ones: named, and the mix refused */
	make_conf_uri(fx, "uri = {\"ldaps://dc1\", \"ldap://dc2\"}", "");
	all = load_fails(fx);
	assert_has(all, "ldap.uri: 'ldap://dc2' is plain LDAP");
	assert_has(all, "ldap.uri: mixes ldaps:// and ldap:// URIs");
	free(all);

	/* libldap's own list syntax in one string: one URI per string */
	make_conf_uri(fx, "uri = \"ldaps://127.0.0.1 ldaps://127.0.0.2\"", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:2: ldap.uri: 'ldaps://127.0.0.1 "
	    "ldaps://127.0.0.2' holds several URIs: give each its own string",
	    fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_ldap_domain_instead_of_uri(void **state)
{
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;
	char want[512], *all;

	make_conf_uri(fx, "domain = \"corp.example\"", "");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->ldap.uri.n, 0);
	assert_string_equal(c->ldap.domain, "corp.example");
	conf_diag_free(&diag);
	conf_free(c);

	/* both: which one to keep is said */
	make_conf(fx, "domain = \"corp.example\"", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:8: ldap.domain: 'corp.example' with "
	    "uri: give one, uri (the DCs named, tried in order) or domain "
	    "(the DCs found in DNS)",
	    fx->conf);
	assert_has(all, want);
	free(all);

	/* neither */
	make_conf_uri(fx, "", "");
	all = load_fails(fx);
	assert_has(all,
	    "ldap.uri: required key is missing (the DCs, tried "
	    "in order), or give ldap.domain to find them in DNS");
	free(all);

	/* not a domain name */
	make_conf_uri(fx, "domain = \"corp example\"", "");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:2: ldap.domain: 'corp example' is "
	    "not a DNS domain name",
	    fx->conf);
	assert_has(all, want);
	free(all);
}

/* Every key of the daemon section is read (issue 14): none refused. */
static void
test_conf_daemon_every_key_is_read(void **state)
{
	struct fixture *fx = *state;
	char tail[512];
	struct conf_diag diag;
	struct conf *c = NULL;

	snprintf(tail, sizeof(tail),
	    "daemon { interval = 30 full_interval = 600 "
	    "metrics_file = \"%s/m.prom\" "
	    "lease_dn = \"CN=lease,DC=corp,DC=example\" lease_seconds = 30 }\n",
	    fx->dir);
	make_conf_tail(fx, "", "", tail);
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(diag.n + diag.nwarn, 0);
	assert_int_equal(c->daemon.interval, 30);
	assert_int_equal(c->daemon.full_interval, 600);
	assert_non_null(strstr(c->daemon.metrics_file, "/m.prom"));
	assert_string_equal(c->daemon.lease_dn, "CN=lease,DC=corp,DC=example");
	assert_int_equal(c->daemon.lease_seconds, 30);
	conf_diag_free(&diag);
	conf_free(c);
}

static void
test_conf_daemon_metrics_file_in_a_directory_that_exists(void **state)
{
	struct fixture *fx = *state;
	char want[512], tail[256], *all;
	struct conf_diag diag;
	struct conf *c = NULL;

	snprintf(tail, sizeof(tail),
	    "daemon { metrics_file = \"%s/m.prom\" }\n", fx->dir);
	make_conf_tail(fx, "", "", tail);
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	snprintf(want, sizeof(want), "%s/m.prom", fx->dir);
	assert_string_equal(c->daemon.metrics_file, want);
	assert_int_equal(diag.n + diag.nwarn, 0);
	conf_diag_free(&diag);
	conf_free(c);

	/* unset: "" */
	make_conf_tail(fx, "", "", "daemon { interval = 5 }\n");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_string_equal(c->daemon.metrics_file, "");
	conf_diag_free(&diag);
	conf_free(c);

	snprintf(tail, sizeof(tail),
	    "daemon { metrics_file = \"%s/nodir/m.prom\" }\n", fx->dir);
	make_conf_tail(fx, "", "", tail);
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:19: daemon.metrics_file: "
	    "'%s/nodir/m.prom': directory %s/nodir: No such file or "
	    "directory",
	    fx->conf, fx->dir, fx->dir);
	assert_has(all, want);
	free(all);

	make_conf_tail(fx, "", "", "daemon { metrics_file = \"m.prom\" }\n");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:19: daemon.metrics_file: 'm.prom' "
	    "must be an absolute path",
	    fx->conf);
	assert_has(all, want);
	free(all);

	snprintf(tail, sizeof(tail), "daemon { metrics_file = \"%s/\" }\n",
	    fx->dir);
	make_conf_tail(fx, "", "", tail);
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:19: daemon.metrics_file: '%s/' "
	    "names a directory, not a file",
	    fx->conf, fx->dir);
	assert_has(all, want);
	free(all);

	/* the "directory" is the configuration file */
	snprintf(tail, sizeof(tail),
	    "daemon { metrics_file = \"%s/m.prom\" "
	    "}\n",
	    fx->conf);
	make_conf_tail(fx, "", "", tail);
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:19: daemon.metrics_file: "
	    "'%s/m.prom': %s is not a directory",
	    fx->conf, fx->conf, fx->conf);
	assert_has(all, want);
	free(all);
}

static void
test_conf_daemon_lease_is_a_dn_and_ten_seconds_to_an_hour(void **state)
{
	struct fixture *fx = *state;
	struct conf_diag diag;
	struct conf *c = NULL;
	char want[512], *all;

	make_conf_tail(fx, "", "",
	    "daemon {\n" /* 19 */
	    "  lease_dn = \"CN=lease,OU=Service,DC=corp,DC=example\"\n"
	    "  lease_seconds = 30\n" /* 21 */
	    "}\n");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_string_equal(c->daemon.lease_dn,
	    "CN=lease,OU=Service,DC=corp,DC=example");
	assert_int_equal(c->daemon.lease_seconds, 30);
	conf_diag_free(&diag);
	conf_free(c);
	c = NULL;

	/* Without lease_dn there is no lease; lease_seconds keeps 90. */
	make_conf_tail(fx, "", "", "daemon { interval = 5 }\n");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_string_equal(c->daemon.lease_dn, "");
	assert_int_equal(c->daemon.lease_seconds, 90);
	conf_diag_free(&diag);
	conf_free(c);

	make_conf_tail(fx, "", "",
	    "daemon {\n" /* 19 */
	    "  lease_dn = \"lease without equals\"\n" /* 20 */
	    "  lease_seconds = 9\n" /* 21 */
	    "}\n");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:20: daemon.lease_dn: 'lease "
	    "without equals' is not a valid DN",
	    fx->conf);
	assert_has(all, want);
	snprintf(want, sizeof(want),
	    "%s:21: daemon.lease_seconds: 9 is out "
	    "of range (10 to 3600)",
	    fx->conf);
	assert_has(all, want);
	free(all);

	make_conf_tail(fx, "", "", "daemon { lease_seconds = 3601 }\n");
	all = load_fails(fx);
	assert_has(all,
	    "daemon.lease_seconds: 3601 is out of range "
	    "(10 to 3600)");
	free(all);
}

static void
test_conf_daemon_full_interval_is_ten_seconds_to_thirty_days(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;
	struct conf_diag diag;
	struct conf *c = NULL;

	make_conf_tail(fx, "", "",
	    "daemon {\n" /* 19 */
	    "  full_interval = 5\n" /* 20 */
	    "}\n");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:20: daemon.full_interval: 5 is out "
	    "of range (10 to 2592000)",
	    fx->conf);
	assert_has(all, want);
	free(all);

	/* shorter than interval: every cycle is a full one, not an error */
	make_conf_tail(fx, "", "",
	    "daemon { interval = 120 full_interval = 60 "
	    "}\n");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->daemon.full_interval, 60);
	assert_int_equal(diag.n + diag.nwarn, 0);
	conf_diag_free(&diag);
	conf_free(c);
}

static void
test_conf_daemon_interval_is_one_second_to_a_day(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;
	struct conf_diag diag;
	struct conf *c = NULL;

	make_conf_tail(fx, "", "",
	    "daemon {\n" /* 19 */
	    "  interval = 0\n" /* 20 */
	    "}\n");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:20: daemon.interval: 0 is out of "
	    "range (1 to 86400)",
	    fx->conf);
	assert_has(all, want);
	free(all);

	make_conf_tail(fx, "", "", "daemon { interval = 86401 }\n");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:19: daemon.interval: 86401 is out "
	    "of range (1 to 86400)",
	    fx->conf);
	assert_has(all, want);
	free(all);

	make_conf_tail(fx, "", "", "daemon { interval = 2 }\n");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->daemon.interval, 2);
	assert_int_equal(diag.n + diag.nwarn, 0);
	conf_diag_free(&diag);
	conf_free(c);

	make_conf_tail(fx, "", "", "daemon { interval = 86400 }\n");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->daemon.interval, 86400);
	conf_diag_free(&diag);
	conf_free(c);
}

/* The ceiling on cloud requests: 20 a second unless set, 1 to 1000. */
static void
test_conf_cloud_max_requests_per_second(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;
	struct conf_diag diag;
	struct conf *c = NULL;

	make_conf(fx, "", "");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->cloud.max_per_second, 20);
	conf_diag_free(&diag);
	conf_free(c);

	make_conf(fx, "", "max_requests_per_second = 2");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->cloud.max_per_second, 2);
	assert_int_equal(diag.n + diag.nwarn, 0);
	conf_diag_free(&diag);
	conf_free(c);

	make_conf(fx, "", "max_requests_per_second = 1000");
	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_int_equal(c->cloud.max_per_second, 1000);
	conf_diag_free(&diag);
	conf_free(c);

	make_conf(fx, "", "max_requests_per_second = 0");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:15: cloud.max_requests_per_second: 0 is out of range "
	    "(1 to 1000)",
	    fx->conf);
	assert_has(all, want);
	free(all);

	make_conf(fx, "", "max_requests_per_second = 1001");
	all = load_fails(fx);
	snprintf(want, sizeof(want),
	    "%s:15: cloud.max_requests_per_second: 1001 is out of range "
	    "(1 to 1000)",
	    fx->conf);
	assert_has(all, want);
	free(all);
}

/* Load fx->conf, expect success, return it (conf_free it). */
static struct conf *
load_ok(struct fixture *fx)
{
	struct conf_diag diag;
	struct conf *c = NULL;

	assert_int_equal(conf_load(fx->conf, &c, &diag), SB_OK);
	assert_non_null(c);
	assert_int_equal(diag.nwarn, 0);
	conf_diag_free(&diag);
	return c;
}

static void
test_conf_proxy_address_exclude_defaults_to_spo_and_is_checked(void **state)
{
	struct fixture *fx = *state;
	char want[512], *all;
	struct conf *c;

	/* DESIGN.md's default, the section left out. */
	make_conf(fx, "", "");
	c = load_ok(fx);
	assert_int_equal(c->exchange.proxy_address_exclude.n, 1);
	assert_string_equal(c->exchange.proxy_address_exclude.v[0], "SPO:");
	conf_free(c);

	/* Set: read, with no warning and no refusal. */
	make_conf_tail(fx, "", "",
	    "exchange { proxy_address_exclude = {\"spo:\", \"X400\"} }\n");
	c = load_ok(fx);
	assert_int_equal(c->exchange.proxy_address_exclude.n, 2);
	assert_string_equal(c->exchange.proxy_address_exclude.v[0], "spo:");
	assert_string_equal(c->exchange.proxy_address_exclude.v[1], "X400");
	conf_free(c);

	/* Empty: every prefix written as the cloud holds it. */
	make_conf_tail(fx, "", "", "exchange { proxy_address_exclude = {} }\n");
	c = load_ok(fx);
	assert_int_equal(c->exchange.proxy_address_exclude.n, 0);
	conf_free(c);

	/* Not a prefix: FILE:LINE: KEY, exit 2. */
	make_conf_tail(fx, "", "",
	    "exchange { proxy_address_exclude = {\"SPO:\", \"S P:\", \":\"} }\n");
	all = load_fails(fx);
	snprintf(want, sizeof(want), "%s:19: exchange.proxy_address_exclude: "
	    "'S P:' is not an address prefix", fx->conf);
	assert_has(all, want);
	snprintf(want, sizeof(want), "%s:19: exchange.proxy_address_exclude: "
	    "':' is not an address prefix", fx->conf);
	assert_has(all, want);
	assert_null(strstr(all, "not supported yet"));
	free(all);
}

/* A section nothing reads, with defaults only: loads, with a warning. */
static void
test_conf_sections_with_defaults_load_without_warnings(void **state)
{
	struct fixture *fx = *state;
	char *all;

	make_conf(fx, "", "");
	all = load_warns(fx);
	assert_string_equal(all, "");
	free(all);

	/* The exchange and daemon sections are read now: no warning. */
	make_conf_tail(fx, "", "", "exchange {\n"		/* 19 */
	    "  proxy_address_exclude = {}\n"			/* 20 */
	    "}\n"						/* 21 */
	    "daemon { interval = 60 lease_seconds = 90 }\n");	/* 22 */
	all = load_warns(fx);
	assert_string_equal(all, "");
	free(all);

	make_conf_tail(fx, "", "", "\n  daemon\t{\n\n}\n");
	all = load_warns(fx);
	assert_string_equal(all, "");
	free(all);

	/* defaults written out are no refusal either */
	make_conf(fx, "sasl_mech = \"\" keytab_file = \"\" domain = \"\"",
	    "environment = \"global\" certificate_file = \"\"");
	all = load_warns(fx);
	assert_string_equal(all, "");
	free(all);
}

static void
test_conf_example_file_parses_up_to_its_placeholder_files(void **state)
{
	struct conf_diag diag;
	struct conf *c = NULL;
	const char *data = getenv("SOABRIDGE_SOURCE_DIR");
	char path[512];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/conf/soabridge.conf.example",
	    data ? data : ".");
	/* The example names files that do not exist here: only those fail. */
	assert_int_equal(conf_load(path, &c, &diag), SB_CONFIG);
	for (i = 0; i < diag.n; i++)
		if (strstr(diag.lines[i], "/etc/soabridge/") == NULL)
			fail_msg("unexpected: %s", diag.lines[i]);
	/* It shows only what exists: no section nothing reads. */
	for (i = 0; i < diag.nwarn; i++)
		fail_msg("unexpected warning: %s", diag.warnings[i]);
	conf_diag_free(&diag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_conf_valid_file_loads_every_section),
		T(test_conf_unknown_key_names_file_line_and_key),
		T(test_conf_wrong_type_names_file_line_and_key),
		T(test_conf_silent_syntax_error_still_names_file_and_line),
		T(test_conf_malformed_uri_is_reported),
		T(test_conf_plain_ldap_without_starttls_is_refused),
		T(test_conf_malformed_dn_is_reported),
		T(test_conf_write_scope_outside_base_is_reported),
		T(test_conf_write_scope_is_read_as_the_write_gate_reads_it),
		T(test_conf_unreadable_file_is_reported),
		T(test_conf_secret_readable_by_others_is_refused),
		T(test_conf_missing_required_key_is_reported),
		T(test_conf_out_of_range_and_bad_enum_are_reported),
		T(test_conf_line_numbers_count_comment_lines_once),
		T(test_conf_missing_file_is_reported),
		T(test_conf_secret_read_strips_one_newline_and_wipes),
		T(test_conf_certificate_and_key_instead_of_a_secret_load),
		T(test_conf_certificate_needs_its_key_and_the_key_its_certificate),
		T(test_conf_exactly_one_credential_is_required),
		T(test_conf_private_key_readable_by_others_is_refused),
		T(test_conf_gssapi_binds_with_a_private_keytab),
		T(test_conf_gssapi_refuses_what_it_would_not_use),
		T(test_conf_national_clouds_load),
		T(test_conf_ldap_uri_list_is_kept_in_order),
		T(test_conf_ldap_uri_list_names_the_bad_uri),
		T(test_conf_ldap_domain_instead_of_uri),
		T(test_conf_daemon_every_key_is_read),
		T(test_conf_daemon_metrics_file_in_a_directory_that_exists),
		T(test_conf_daemon_lease_is_a_dn_and_ten_seconds_to_an_hour),
		T(test_conf_daemon_full_interval_is_ten_seconds_to_thirty_days),
		T(test_conf_daemon_interval_is_one_second_to_a_day),
		T(test_conf_cloud_max_requests_per_second),
		T(test_conf_proxy_address_exclude_defaults_to_spo_and_is_checked),
		T(test_conf_sections_with_defaults_load_without_warnings),
		T(test_conf_example_file_parses_up_to_its_placeholder_files),
#undef T
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
