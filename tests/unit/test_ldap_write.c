/*
 * Unit tests for ldap/write.c against the byte-level fake server
 * (test_ldap_fake.h): what is sent, the log lines and their redaction;
 * argument checks and a lost connection on a connection never opened.
 */
#include <stdint.h>

#include "test_ldap_fake.h"

#include "mapping/log.h"
#include "ldap/write.h"

#define ANN	"CN=Doe\\, Ann,OU=Staff,DC=corp,DC=example,DC=test"
#define ANN_Q	"dn=\"CN=Doe\\\\, Ann,OU=Staff,DC=corp,DC=example,DC=test\""

static FILE *cap;
static int saved_fd = -1;

static void
capture_start(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fileno(cap), 2) >= 0);
}

/* Everything written to stderr since capture_start(); the caller frees it. */
static char *
capture_end(void)
{
	char *buf;
	long n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	fseek(cap, 0, SEEK_END);
	n = ftell(cap);
	fseek(cap, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, cap), (size_t)n);
	fclose(cap);
	return buf;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("log does not contain [%s]; it is:\n%s", needle, hay);
}

/* A connection that never connected: nothing may reach a send. */
static struct ad_conn *
bare_conn(void)
{
	struct ad_conn *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->uri = (char *)"ldaps://dc1.test";	/* never freed: not ad_close()d */
	c->tls = 1;
	return c;
}

/* A fake server that answers the next n writes (tags[i]) with success. */
static void
ok_server(struct fake_ldap *f, const ber_tag_t *tags, size_t n)
{
	size_t i;

	fake_ldap_open(f, NULL);
	for (i = 0; i < n; i++)
		fake_ldap_result(f, (int)i + 1, tags[i], LDAP_SUCCESS, NULL);
}

/* 1 when request i holds the text s anywhere. */
static int
sent_text(const struct fake_ldap *f, size_t i, const char *s)
{
	return fake_ldap_holds(f, i, s, strlen(s));
}

static struct sb_bytes
b(const char *s)
{
	struct sb_bytes v = { (unsigned char *)(uintptr_t)s, strlen(s) };

	return v;
}

static void
test_write_modify_sends_one_operation_and_logs_counts_per_attribute(
    void **state)
{
	static const ber_tag_t tags[] = { LDAP_RES_MODIFY };
	struct fake_ldap f;
	struct sb_bytes add = b("smtp:new@corp.example");
	struct sb_bytes del = b("smtp:old@corp.example");
	struct ad_mod m[] = {
		{ "proxyAddresses", AD_MOD_ADD, &add, 1 },
		{ "proxyAddresses", AD_MOD_DELETE, &del, 1 },
		{ "extensionAttribute1", AD_MOD_DELETE, NULL, 0 },
		{ "mail", AD_MOD_REPLACE, &add, 1 },
	};
	struct sb_error err;
	char *log;

	(void)state;
	log_set_level(LOG_LVL_INFO);
	ok_server(&f, tags, 1);
	capture_start();
	assert_int_equal(ad_modify(f.c, ANN, m, 4, &err), SB_OK);
	log = capture_end();
	fake_ldap_requests(&f);
	/* one ModifyRequest (AD applies it whole), every value in it */
	assert_int_equal(f.nmsg, 1);
	assert_true(sent_text(&f, 0, "smtp:new@corp.example"));
	assert_true(sent_text(&f, 0, "smtp:old@corp.example"));
	assert_true(sent_text(&f, 0, "extensionAttribute1"));
	assert_contains(log, "ad.modify " ANN_Q " attr=proxyAddresses add=1 "
	    "del=1 result=ok\n");
	assert_contains(log, "ad.modify " ANN_Q " attr=extensionAttribute1 "
	    "del=all result=ok\n");
	assert_contains(log, "ad.modify " ANN_Q " attr=mail replace=1 "
	    "result=ok\n");
	/* Values only at debug level. */
	assert_null(strstr(log, "smtp:new"));
	free(log);
	fake_ldap_close(&f);
}

static void
test_write_debug_shows_values_quoted_and_binary_as_hex(void **state)
{
	static const unsigned char guid[4] = { 0x00, 0x2a, 0xff, 0x10 };
	static const ber_tag_t tags[] = { LDAP_RES_MODIFY };
	struct fake_ldap f;
	struct sb_bytes v = b("a \"quoted\"\nvalue");
	struct sb_bytes g = { (unsigned char *)(uintptr_t)guid, 4 };
	struct ad_mod m[] = {
		{ "description", AD_MOD_REPLACE, &v, 1 },
		{ "mS-DS-ConsistencyGuid", AD_MOD_REPLACE, &g, 1 },
		{ "extensionAttribute2", AD_MOD_REPLACE, NULL, 0 },
	};
	struct sb_error err;
	char *log;

	(void)state;
	ok_server(&f, tags, 1);
	log_set_level(LOG_LVL_DEBUG);
	capture_start();
	assert_int_equal(ad_modify(f.c, ANN, m, 3, &err), SB_OK);
	log = capture_end();
	log_set_level(LOG_LVL_WARN);
	assert_contains(log, "ad.modify.value " ANN_Q " attr=description "
	    "op=replace value=\"a \\\"quoted\\\"\\x0avalue\"\n");
	assert_contains(log, "attr=mS-DS-ConsistencyGuid op=replace "
	    "value=0x002aff10\n");
	assert_contains(log, "attr=extensionAttribute2 replace=none "
	    "result=ok");
	free(log);
	fake_ldap_close(&f);
}

static void
test_write_password_values_never_reach_the_log(void **state)
{
	/* "\"Secret-1\"" in UTF-16LE, as unicodePwd takes it. */
	static const char pw[] = "\"\0S\0e\0c\0r\0e\0t\0-\0001\0\"\0";
	static const ber_tag_t tags[] = { LDAP_RES_MODIFY, LDAP_RES_ADD };
	struct fake_ldap f;
	struct sb_bytes v = { (unsigned char *)(uintptr_t)pw, sizeof(pw) - 1 };
	struct sb_bytes txt = b("Secret-1");
	struct ad_mod m[] = {
		{ "unicodePwd", AD_MOD_REPLACE, &v, 1 },
		{ "userPassword", AD_MOD_REPLACE, &txt, 1 },
	};
	struct sb_error err;
	char *log;

	(void)state;
	ok_server(&f, tags, 2);
	log_set_level(LOG_LVL_DEBUG);
	capture_start();
	assert_int_equal(ad_modify(f.c, ANN, m, 2, &err), SB_OK);
	assert_int_equal(ad_add(f.c, ANN, m, 2, &err), SB_OK);
	log = capture_end();
	/* sent as given, only the log redacts */
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 2);
	assert_true(fake_ldap_holds(&f, 0, pw, sizeof(pw) - 1));
	assert_true(sent_text(&f, 1, "Secret-1"));
	log_set_level(LOG_LVL_WARN);
	assert_contains(log, "attr=unicodePwd op=replace value=<redacted>");
	assert_contains(log, "attr=userPassword op=add value=<redacted>");
	assert_null(strstr(log, "Secret"));
	assert_null(strstr(log, "0022005300"));
	free(log);
	fake_ldap_close(&f);
}

static void
test_write_add_rename_delete_send_each_and_log_it(void **state)
{
	static const ber_tag_t tags[] = { LDAP_RES_ADD, LDAP_RES_MODDN,
	    LDAP_RES_MODDN, LDAP_RES_DELETE };
	struct fake_ldap f;
	struct sb_bytes oc = b("group"), sam = b("g1");
	struct ad_mod a[] = {
		{ "objectClass", AD_MOD_ADD, &oc, 1 },
		{ "sAMAccountName", AD_MOD_REPLACE, &sam, 1 },	/* op ignored */
	};
	struct sb_error err;
	char *log;

	(void)state;
	ok_server(&f, tags, 4);
	log_set_level(LOG_LVL_INFO);
	capture_start();
	assert_int_equal(ad_add(f.c, "CN=g1,OU=Groups,DC=x", a, 2, &err),
	    SB_OK);
	assert_int_equal(ad_rename(f.c, "CN=g1,OU=Groups,DC=x", "CN=g2",
	    "OU=Other,DC=x", &err), SB_OK);
	assert_int_equal(ad_rename(f.c, "CN=g1,OU=Groups,DC=x", "CN=g2", NULL,
	    &err), SB_OK);
	assert_int_equal(ad_delete(f.c, "CN=g2,OU=Groups,DC=x", &err), SB_OK);
	log = capture_end();
	fake_ldap_requests(&f);
	assert_int_equal(f.nmsg, 4);
	assert_true(sent_text(&f, 0, "sAMAccountName"));
	assert_true(sent_text(&f, 1, "OU=Other,DC=x"));
	assert_false(sent_text(&f, 2, "OU=Other,DC=x"));
	assert_true(sent_text(&f, 3, "CN=g2,OU=Groups,DC=x"));
	assert_contains(log, "ad.add dn=\"CN=g1,OU=Groups,DC=x\" "
	    "attrs=objectClass,sAMAccountName result=ok\n");
	assert_contains(log, "ad.rename dn=\"CN=g1,OU=Groups,DC=x\" "
	    "new_rdn=\"CN=g2\" new_superior=\"OU=Other,DC=x\" "
	    "result=ok\n");
	assert_contains(log, "new_rdn=\"CN=g2\" new_superior=- "
	    "result=ok\n");
	assert_contains(log, "ad.delete dn=\"CN=g2,OU=Groups,DC=x\" "
	    "result=ok\n");
	free(log);
	fake_ldap_close(&f);
}

static void
test_write_bad_changes_are_bugs_before_anything_is_sent(void **state)
{
	struct ad_conn *c = bare_conn();
	struct sb_bytes v = b("x");
	struct ad_mod add_none[] = { { "mail", AD_MOD_ADD, NULL, 0 } };
	struct ad_mod no_attr[] = { { NULL, AD_MOD_REPLACE, &v, 1 } };
	struct ad_mod no_vals[] = { { "mail", AD_MOD_REPLACE, NULL, 2 } };
	struct ad_mod bad_op[] = { { "mail", (enum ad_mod_op)7, &v, 1 } };
	struct ad_mod ok[] = { { "mail", AD_MOD_REPLACE, &v, 1 } };
	struct sb_error err;

	(void)state;
	assert_int_equal(ad_modify(c, ANN, add_none, 1, &err), SB_BUG);
	assert_int_equal(ad_modify(c, ANN, no_attr, 1, &err), SB_BUG);
	assert_int_equal(ad_modify(c, ANN, no_vals, 1, &err), SB_BUG);
	assert_int_equal(ad_modify(c, ANN, bad_op, 1, &err), SB_BUG);
	assert_int_equal(ad_modify(c, ANN, ok, 0, &err), SB_BUG);
	assert_int_equal(ad_modify(c, "", ok, 1, &err), SB_BUG);
	assert_int_equal(ad_modify(c, NULL, ok, 1, &err), SB_BUG);
	assert_int_equal(ad_add(c, ANN, add_none, 1, &err), SB_BUG);
	assert_int_equal(ad_rename(c, ANN, "", NULL, &err), SB_BUG);
	assert_int_equal(ad_rename(c, ANN, "CN=x", "", &err), SB_BUG);
	assert_int_equal(ad_delete(c, "", &err), SB_BUG);
	assert_string_equal(err.where, "ad.delete");
	free(c);
}

static void
test_write_on_a_lost_connection_is_retry(void **state)
{
	struct ad_conn *c = bare_conn();
	struct sb_bytes v = b("x");
	struct ad_mod ok[] = { { "mail", AD_MOD_REPLACE, &v, 1 } };
	struct sb_error err;

	(void)state;
	c->broken = 1;
	assert_int_equal(ad_modify(c, ANN, ok, 1, &err), SB_RETRY);
	assert_non_null(strstr(err.text, "connection to ldaps://dc1.test was "
	    "lost"));
	assert_non_null(strstr(err.text, ANN));
	assert_int_equal(ad_delete(c, ANN, &err), SB_RETRY);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_modify_sends_one_operation_and_logs_counts_per_attribute),
		cmocka_unit_test(test_write_debug_shows_values_quoted_and_binary_as_hex),
		cmocka_unit_test(test_write_password_values_never_reach_the_log),
		cmocka_unit_test(test_write_add_rename_delete_send_each_and_log_it),
		cmocka_unit_test(test_write_bad_changes_are_bugs_before_anything_is_sent),
		cmocka_unit_test(test_write_on_a_lost_connection_is_retry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
