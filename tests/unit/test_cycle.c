/*
 * Unit tests of agent/cycle.c without AD or the cloud.  agent_cycle_read
 * needs a bound ad_conn and an open cloud client for a dozen reads in a
 * row, and agent_cycle_open connects for real (ldap/conn.c has no seam),
 * so what is tested here is the part that stands alone: the plan built
 * from what a read left in the cycle (cycle.h: "Compute cy->plan from
 * what was read, over cy->join"), and the configurations agent_cycle_open
 * refuses before it reads a secret or connects.  The cycle writes nothing
 * itself: sync hands cy->plan to the writer (agent/cmd/sync.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/cycle.h"
#include "agent/skips.h"
#include "mapping/join.h"
#include "test_mapping.h"

#define ANN_DN	"CN=Ann,OU=Staff,DC=corp,DC=example"

/*
 * A cycle as agent_cycle_read leaves it: Ann in AD, her cloud-managed
 * Exchange mailbox with CustomAttribute3, joined.
 */
static void
cy_init(struct cycle *cy, struct conf *conf, const char *missing)
{
	struct dirobj *mbx;

	memset(conf, 0, sizeof(*conf));
	conf->ldap.base_dn = (char *)FX_BASE;
	memset(cy, 0, sizeof(*cy));
	cy->conf = conf;
	dirset_init(&cy->ad_objs);
	dirset_init(&cy->cloud_users);
	dirset_init(&cy->mailboxes);
	fx_add(&cy->ad_objs, fx_ad_user(ANN_DN, 1, 1105));
	fx_add(&cy->cloud_users, fx_cloud_user("id-ann", "Ann", 1, 1105,
	    SB_TRI_TRUE, SB_TRI_FALSE));
	mbx = fx_mailbox("id-ann", SB_TRI_TRUE, SB_TRI_TRUE);
	fx_set(mbx, "CustomAttribute3", "cost-center-42", NULL);
	fx_set(mbx, "CustomAttribute4", "building-7", NULL);
	fx_add(&cy->mailboxes, mbx);
	if (missing != NULL) {
		cy->missing_attrs = calloc(1, sizeof(*cy->missing_attrs));
		assert_non_null(cy->missing_attrs);
		cy->missing_attrs[0] = strdup(missing);
		assert_non_null(cy->missing_attrs[0]);
		cy->nmissing = 1;
	}
	assert_int_equal(map_join_build(&cy->ad_objs, &cy->cloud_users,
	    &cy->mailboxes, NULL, &cy->join, NULL), SB_OK);
}

/* The value a change's delta of attr sets, or NULL. */
static const struct delta *
sets(const struct change *c, const char *attr)
{
	const struct delta *d = fx_delta(c, attr, MAP_DELTA_REPLACE);

	return d != NULL ? d : fx_delta(c, attr, MAP_DELTA_ADD);
}

static void
test_cycle_plan_writes_the_cloud_managed_values_it_read(void **state)
{
	const struct change *c;
	const struct delta *d;
	struct sb_error err;
	struct cycle cy;
	struct conf conf;

	(void)state;
	cy_init(&cy, &conf, NULL);
	assert_int_equal(agent_cycle_plan(&cy, &err), SB_OK);
	assert_non_null(cy.plan);
	c = fx_change(cy.plan, ANN_DN);
	assert_non_null(c);
	assert_int_equal(c->op, MAP_CHANGE_MODIFY);
	d = sets(c, "extensionAttribute3");
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "cost-center-42"));
	assert_non_null(sets(c, "extensionAttribute4"));
	agent_cycle_close(&cy);
}

static void
test_cycle_plan_leaves_out_attributes_ads_schema_lacks(void **state)
{
	const struct change *c;
	struct sb_error err;
	struct cycle cy;
	struct conf conf;

	(void)state;
	cy_init(&cy, &conf, "extensionAttribute3");
	assert_int_equal(agent_cycle_plan(&cy, &err), SB_OK);
	c = fx_change(cy.plan, ANN_DN);
	assert_non_null(c);
	assert_null(sets(c, "extensionAttribute3"));
	assert_null(fx_delta(c, "extensionAttribute3", MAP_DELTA_DELETE));
	/* the attributes AD has are still written */
	assert_non_null(sets(c, "extensionAttribute4"));
	agent_cycle_close(&cy);
}

static void
test_cycle_plan_drops_the_changes_of_a_skipped_cloud_object(void **state)
{
	const struct finding *f;
	struct sb_error err;
	struct cycle cy;
	struct conf conf;

	(void)state;
	cy_init(&cy, &conf, NULL);
	/* deleted in the cloud while the read went on */
	assert_int_equal(agent_skips_object(&cy.skips, cy.cloud_users.objs[0],
	    MAP_FINDING_GONE_IN_CLOUD, NULL, 0, "404 on its manager", NULL),
	    SB_OK);
	assert_int_equal(agent_cycle_plan(&cy, &err), SB_OK);
	assert_null(fx_change(cy.plan, ANN_DN));
	f = fx_finding(cy.plan, MAP_FINDING_GONE_IN_CLOUD);
	assert_non_null(f);
	assert_non_null(f->dn);
	assert_string_equal(f->dn, ANN_DN);
	agent_cycle_close(&cy);
}

/* A file of mode m holding text, in a fresh temporary directory. */
static void
fx_write_file(char *path, size_t pathsz, const char *name, const char *text,
    mode_t m)
{
	char dir[] = "/tmp/sb-cycle-XXXXXX";
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, pathsz, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, m), 0);
}

/* The key file of a certificate passes the checks of any secret file. */
static void
test_cycle_open_checks_the_private_key_file_like_a_secret(void **state)
{
	char pw[128], key[128];
	struct sb_error err;
	struct cycle cy;
	struct conf conf;

	(void)state;
	fx_write_file(pw, sizeof(pw), "ldap.pw", "pw\n", 0600);
	fx_write_file(key, sizeof(key), "app.key",
	    "-----BEGIN PRIVATE KEY-----\n", 0644);
	memset(&conf, 0, sizeof(conf));
	memset(&err, 0, sizeof(err));
	conf.path = (char *)"/etc/soabridge/soabridge.conf";
	conf.ldap.sasl_mech = (char *)"";
	conf.ldap.password_file = pw;
	conf.cloud.client_secret_file = (char *)"";
	conf.cloud.certificate_file = (char *)"/nonexistent/app.pem";
	conf.cloud.private_key_file = key;
	assert_int_equal(agent_cycle_open(&cy, &conf, &err), SB_CONFIG);
	assert_non_null(strstr(err.text, "accessible by group or others"));
	assert_non_null(strstr(err.text, key));
	assert_null(cy.ad);
	agent_cycle_close(&cy);
	unlink(pw);
	unlink(key);
}

/* A GSSAPI bind reads no password, but a keytab others can read stops it. */
static void
test_cycle_open_checks_the_keytab_before_it_connects(void **state)
{
	char kt[128];
	struct sb_error err;
	struct cycle cy;
	struct conf conf;

	(void)state;
	fx_write_file(kt, sizeof(kt), "ldap.keytab", "keys", 0644);
	memset(&conf, 0, sizeof(conf));
	memset(&err, 0, sizeof(err));
	conf.path = (char *)"/etc/soabridge/soabridge.conf";
	conf.ldap.sasl_mech = (char *)"GSSAPI";
	conf.ldap.keytab_file = kt;
	conf.ldap.password_file = (char *)"";
	conf.cloud.client_secret_file = (char *)"/nonexistent/secret";
	assert_int_equal(agent_cycle_open(&cy, &conf, &err), SB_CONFIG);
	assert_non_null(strstr(err.text, kt));
	assert_non_null(strstr(err.text, "accessible by group or others"));
	assert_null(cy.ad);
	assert_null(cy.cloud);
	agent_cycle_close(&cy);
	unlink(kt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_cycle_plan_writes_the_cloud_managed_values_it_read),
		cmocka_unit_test(
		    test_cycle_plan_leaves_out_attributes_ads_schema_lacks),
		cmocka_unit_test(
		    test_cycle_plan_drops_the_changes_of_a_skipped_cloud_object),
		cmocka_unit_test(
		    test_cycle_open_checks_the_keytab_before_it_connects),
		cmocka_unit_test(
		    test_cycle_open_checks_the_private_key_file_like_a_secret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
