/*
 * Unit tests for agent/lease.c: who takes the lease and when (pure), the
 * margin before expiry within which no write is made, the holder id, and
 * the write guard when the lease cannot be read (not held: no write).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/lease.h"
#include "mapping/log.h"

#define SELF "dc1:41:00aa00aa00aa00aa"
#define OTHER "dc2:42:11bb11bb11bb11bb"

static struct ad_lease
held_by(const char *holder, long long expires)
{
	char buf[AD_LEASE_VALUE_MAX];
	struct ad_lease l;

	assert_true(ad_lease_format(holder, expires, buf, sizeof(buf)));
	assert_true(ad_lease_parse(buf, strlen(buf), &l));
	return l;
}

static void
test_lease_empty_is_taken(void **state)
{
	struct ad_lease none;

	(void)state;
	memset(&none, 0, sizeof(none));
	assert_int_equal(agent_lease_decide(&none, SELF, 1000),
	    AGENT_LEASE_TAKE);
}

static void
test_lease_of_another_is_never_taken_before_it_expires(void **state)
{
	struct ad_lease l = held_by(OTHER, 1090);

	(void)state;
	assert_int_equal(agent_lease_decide(&l, SELF, 1000),
	    AGENT_LEASE_STANDBY);
	assert_int_equal(agent_lease_decide(&l, SELF, 1089),
	    AGENT_LEASE_STANDBY);
	/* at its expiry, and after, it is free */
	assert_int_equal(agent_lease_decide(&l, SELF, 1090), AGENT_LEASE_TAKE);
	assert_int_equal(agent_lease_decide(&l, SELF, 5000), AGENT_LEASE_TAKE);
}

static void
test_lease_of_this_agent_is_renewed_expired_or_not(void **state)
{
	struct ad_lease l = held_by(SELF, 1090);

	(void)state;
	assert_int_equal(agent_lease_decide(&l, SELF, 1000), AGENT_LEASE_RENEW);
	assert_int_equal(agent_lease_decide(&l, SELF, 2000), AGENT_LEASE_RENEW);
	/* a restarted process is another holder: its old lease is not its own */
	assert_int_equal(agent_lease_decide(&l, "dc1:41:ffffffffffffffff",
			     1000),
	    AGENT_LEASE_STANDBY);
}

static void
test_lease_value_that_is_no_lease_is_never_taken(void **state)
{
	struct ad_lease odd;

	(void)state;
	assert_false(ad_lease_parse("set by hand", 11, &odd));
	assert_int_equal(agent_lease_decide(&odd, SELF, 1000),
	    AGENT_LEASE_UNKNOWN);
}

static void
test_lease_covers_a_write_only_up_to_a_third_before_expiry(void **state)
{
	(void)state;
	/* 90 s: writes stop 30 s before expiry */
	assert_true(agent_lease_usable(1090, 1000, 90));
	assert_true(agent_lease_usable(1090, 1060, 90));
	assert_false(agent_lease_usable(1090, 1061, 90));
	assert_false(agent_lease_usable(1090, 1090, 90));
	assert_false(agent_lease_usable(1090, 2000, 90));
	/* an expiry further away than a lease can be is a clock gone wrong */
	assert_false(agent_lease_usable(1091, 1000, 90));
}

static void
test_lease_is_renewed_once_a_third_has_gone_by(void **state)
{
	(void)state;
	assert_false(agent_lease_renew_due(1090, 1000, 90));
	assert_false(agent_lease_renew_due(1090, 1030, 90));
	assert_true(agent_lease_renew_due(1090, 1031, 90));
	/* renewal comes before the writes stop */
	assert_true(agent_lease_renew_due(1090, 1060, 90));
	assert_true(agent_lease_usable(1090, 1060, 90));
}

static void
test_lease_holder_is_host_pid_and_a_token_new_per_process(void **state)
{
	struct agent_lease *a = NULL, *b = NULL;
	struct sb_error err;
	char host[65], want[128];

	(void)state;
	assert_int_equal(agent_lease_new("soabridge", "run", &a, &err), SB_OK);
	assert_int_equal(agent_lease_new("soabridge", "run", &b, &err), SB_OK);
	assert_true(ad_lease_holder_valid(agent_lease_id(a)));
	assert_string_not_equal(agent_lease_id(a), agent_lease_id(b));
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	host[sizeof(host) - 1] = '\0';
	snprintf(want, sizeof(want), ":%ld:", (long)getpid());
	assert_non_null(strstr(agent_lease_id(a), want));
	assert_int_equal(strlen(strrchr(agent_lease_id(a), ':') + 1), 16);
	agent_lease_end(a);
	agent_lease_end(b);
}

static void
conf_with_lease(struct conf *c, char *lease_dn)
{
	static char *uris[] = { (char *)"ldaps://127.0.0.1:1", NULL };

	memset(c, 0, sizeof(*c));
	c->ldap.uri.v = uris;
	c->ldap.uri.n = 1;
	c->ldap.domain = (char *)"";
	c->ldap.ca_file = (char *)"";
	c->ldap.bind_dn = (char *)"CN=svc,DC=corp,DC=example";
	c->ldap.password_file = (char *)"/nonexistent/soabridge/bind.secret";
	c->ldap.timeout = 1;
	c->daemon.interval = 1;
	c->daemon.lease_dn = lease_dn;
	c->daemon.lease_seconds = 30;
}

static void
test_lease_without_lease_dn_lets_every_cycle_and_write_through(void **state)
{
	struct agent_lease *l = NULL;
	struct sb_error err;
	struct conf c;
	char why[256];

	(void)state;
	conf_with_lease(&c, (char *)"");
	assert_int_equal(agent_lease_new("soabridge", "run", &l, &err), SB_OK);
	assert_int_equal(agent_lease_turn(l, &c), 1);
	assert_int_equal(agent_lease_guard(l, why, sizeof(why)), 1);
	agent_lease_end(l);
}

static void
test_lease_that_cannot_be_read_is_not_held_and_no_write_passes(void **state)
{
	struct agent_lease *l = NULL;
	struct sb_error err;
	struct conf c;
	char why[256];

	(void)state;
	log_set_level(LOG_LVL_ERROR);
	conf_with_lease(&c, (char *)"CN=lease,OU=Service,DC=corp,DC=example");
	assert_int_equal(agent_lease_new("soabridge", "run", &l, &err), SB_OK);
	assert_int_equal(agent_lease_turn(l, &c), 0);
	assert_non_null(strstr(agent_lease_state(l), "unreadable"));
	assert_int_equal(agent_lease_guard(l, why, sizeof(why)), 0);
	assert_non_null(strstr(why,
	    "no longer holds the lease on "
	    "CN=lease,OU=Service,DC=corp,DC=example"));
	/* taken out of the configuration (a reload): no guard any more */
	conf_with_lease(&c, (char *)"");
	assert_int_equal(agent_lease_turn(l, &c), 1);
	assert_int_equal(agent_lease_guard(l, why, sizeof(why)), 1);
	agent_lease_end(l);
}

static void
test_lease_sync_by_hand_without_the_lease_writes_nothing(void **state)
{
	struct agent_lease *l = NULL;
	struct sb_error err;
	struct conf c;

	(void)state;
	conf_with_lease(&c, (char *)"CN=lease,OU=Service,DC=corp,DC=example");
	assert_int_equal(agent_lease_for_sync("soabridge", &c, &l, &err),
	    SB_RETRY);
	assert_null(l);
	assert_non_null(strstr(err.text, "does not hold the lease"));
	conf_with_lease(&c, (char *)"");
	assert_int_equal(agent_lease_for_sync("soabridge", &c, &l, &err),
	    SB_OK);
	assert_null(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lease_empty_is_taken),
		cmocka_unit_test(
		    test_lease_of_another_is_never_taken_before_it_expires),
		cmocka_unit_test(
		    test_lease_of_this_agent_is_renewed_expired_or_not),
		cmocka_unit_test(
		    test_lease_value_that_is_no_lease_is_never_taken),
		cmocka_unit_test(
		    test_lease_covers_a_write_only_up_to_a_third_before_expiry),
		cmocka_unit_test(
		    test_lease_is_renewed_once_a_third_has_gone_by),
		cmocka_unit_test(
		    test_lease_holder_is_host_pid_and_a_token_new_per_process),
		cmocka_unit_test(
		    test_lease_without_lease_dn_lets_every_cycle_and_write_through),
		cmocka_unit_test(
		    test_lease_that_cannot_be_read_is_not_held_and_no_write_passes),
		cmocka_unit_test(
		    test_lease_sync_by_hand_without_the_lease_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
