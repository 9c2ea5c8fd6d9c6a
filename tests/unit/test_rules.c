/* Unit tests of mapping/rules.c: desired AD values from the map and the cloud's values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/join.h"
#include "mapping/rules.h"
#include "test_mapping.h"

#define ANN_DN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define BOSS_DN	"CN=Boss\\, The,OU=Staff,DC=corp,DC=example"

struct rw {
	struct fx_world		 w;
	struct dirobj		*cloud;	/* Ann in the cloud */
	struct dirobj		*mbx;	/* her mailbox, if added */
	struct plan		*findings;
	struct map_join		*j;
	struct dirobj		*want;
};

static void
rw_init(struct rw *r, int with_mailbox)
{
	fx_world_init(&r->w);
	fx_add(&r->w.ad, fx_ad_user(ANN_DN, 1, 1105));
	fx_add(&r->w.ad, fx_ad_user(BOSS_DN, 2, 1106));
	r->cloud = fx_cloud_user("id-ann", "Ann", 1, 1105, SB_TRI_UNSET,
	    SB_TRI_TRUE);
	fx_add(&r->w.cloud, r->cloud);
	fx_add(&r->w.cloud, fx_cloud_user("id-boss", "Boss", 2, 1106,
	    SB_TRI_TRUE, SB_TRI_FALSE));
	fx_add(&r->w.cloud, fx_cloud_user("id-cloudonly", "Temp", 0, 0,
	    SB_TRI_UNSET, SB_TRI_FALSE));
	r->mbx = NULL;
	if (with_mailbox) {
		r->mbx = fx_mailbox("id-ann", SB_TRI_TRUE, SB_TRI_TRUE);
		fx_add(&r->w.mbx, r->mbx);
	}
	r->findings = map_plan_new();
	assert_non_null(r->findings);
	r->j = NULL;
	r->want = NULL;
}

/* Joins, then computes Ann's desired values for classes. */
static const struct dirobj *
rw_desired(struct rw *r, unsigned classes)
{
	const struct map_pair *pr;

	assert_int_equal(map_join_build(&r->w.ad, &r->w.cloud, &r->w.mbx,
	    NULL, &r->j, NULL), SB_OK);
	pr = map_join_find(r->j, "id-ann");
	assert_non_null(pr);
	assert_non_null(pr->ad);
	assert_int_equal(map_rules_desired(pr, classes, &r->w.opt, r->j,
	    r->findings, &r->want, NULL), SB_OK);
	assert_string_equal(r->want->dn, ANN_DN);
	return r->want;
}

static void
rw_free(struct rw *r)
{
	dirobj_free(r->want);
	map_join_free(r->j);
	map_plan_free(r->findings);
	fx_world_free(&r->w);
}

static size_t
nvals(const struct dirobj *o, const char *attr)
{
	const struct dirattr *a = dirobj_get(o, attr);

	assert_non_null(a);
	return a->nvals;
}

static void
test_rules_map_mailbox_properties_to_exchange_attributes(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 1);
	fx_set(r.mbx, "EmailAddresses", "SMTP:ann@corp.example",
	    "smtp:ann.smith@corp.example", "X500:/o=Org/cn=ann",
	    "SIP:ann@corp.example", NULL);
	fx_set(r.mbx, "WindowsEmailAddress", "ann@corp.example", NULL);
	fx_set(r.mbx, "Alias", "ann", NULL);
	fx_set(r.mbx, "CustomAttribute3", "cost-center-42", NULL);
	fx_set(r.mbx, "ExtensionCustomAttribute2", "a", "b", NULL);
	fx_set(r.mbx, "HiddenFromAddressListsEnabled", "true", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE);
	assert_int_equal(nvals(d, "proxyAddresses"), 4);
	assert_true(fx_has_value(d, "proxyAddresses", "SMTP:ann@corp.example"));
	assert_true(fx_has_value(d, "proxyAddresses",
	    "smtp:ann.smith@corp.example"));
	assert_true(fx_has_value(d, "proxyAddresses", "X500:/o=Org/cn=ann"));
	assert_string_equal(dirobj_get_str(d, "mail"), "ann@corp.example");
	assert_string_equal(dirobj_get_str(d, "mailNickname"), "ann");
	assert_string_equal(dirobj_get_str(d, "extensionAttribute3"),
	    "cost-center-42");
	assert_int_equal(nvals(d, "msExchExtensionCustomAttribute2"), 2);
	assert_string_equal(dirobj_get_str(d, "msExchHideFromAddressLists"),
	    "TRUE");
	/* not in the mailbox: unknown, so AD is left alone */
	assert_null(dirobj_get(d, "extensionAttribute4"));
	/* identity is not owned here */
	assert_null(dirobj_get(d, "displayName"));
	assert_int_equal(r.findings->nfindings, 0);
	rw_free(&r);
}

static void
test_rules_empty_custom_attribute_asks_for_a_clear(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 1);
	fx_set(r.mbx, "CustomAttribute1", NULL);	/* "" from EXO */
	fx_set(r.mbx, "ExtensionCustomAttribute1", NULL);
	fx_set(r.mbx, "HiddenFromAddressListsEnabled", "False", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE);
	assert_int_equal(nvals(d, "extensionAttribute1"), 0);
	assert_int_equal(nvals(d, "msExchExtensionCustomAttribute1"), 0);
	assert_string_equal(dirobj_get_str(d, "msExchHideFromAddressLists"),
	    "FALSE");
	rw_free(&r);
}

static void
test_rules_mail_falls_back_to_the_primary_smtp_address(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 1);
	fx_set(r.mbx, "WindowsEmailAddress", NULL);
	fx_set(r.mbx, "PrimarySmtpAddress", "ann@corp.example", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE);
	assert_string_equal(dirobj_get_str(d, "mail"), "ann@corp.example");
	rw_free(&r);
}

static void
test_rules_map_graph_names_to_identity_attributes(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 0);
	fx_set(r.cloud, "displayName", "Ann Smith", NULL);
	fx_set(r.cloud, "givenName", "Ann", NULL);
	fx_set(r.cloud, "surname", "Smith", NULL);
	fx_set(r.cloud, "jobTitle", "Engineer", NULL);
	fx_set(r.cloud, "companyName", "Corp", NULL);
	fx_set(r.cloud, "officeLocation", "B1", NULL);
	fx_set(r.cloud, "businessPhones", "+1 555 0100", "+1 555 0199", NULL);
	fx_set(r.cloud, "mobilePhone", NULL);		/* null: clear */
	fx_set(r.cloud, "city", "Springfield", NULL);
	fx_set(r.cloud, "state", "IL", NULL);
	fx_set(r.cloud, "country", "United States", NULL);
	fx_set(r.cloud, "employeeId", "E-7", NULL);
	d = rw_desired(&r, MAP_CLASS_IDENTITY);
	assert_string_equal(dirobj_get_str(d, "displayName"), "Ann Smith");
	assert_string_equal(dirobj_get_str(d, "givenName"), "Ann");
	assert_string_equal(dirobj_get_str(d, "sn"), "Smith");
	assert_string_equal(dirobj_get_str(d, "title"), "Engineer");
	assert_string_equal(dirobj_get_str(d, "company"), "Corp");
	assert_string_equal(dirobj_get_str(d, "physicalDeliveryOfficeName"),
	    "B1");
	assert_int_equal(nvals(d, "telephoneNumber"), 1);
	assert_string_equal(dirobj_get_str(d, "telephoneNumber"),
	    "+1 555 0100");
	assert_int_equal(nvals(d, "mobile"), 0);
	assert_string_equal(dirobj_get_str(d, "l"), "Springfield");
	assert_string_equal(dirobj_get_str(d, "st"), "IL");
	assert_string_equal(dirobj_get_str(d, "co"), "United States");
	assert_string_equal(dirobj_get_str(d, "employeeID"), "E-7");
	assert_null(dirobj_get(d, "department"));	/* not read */
	assert_null(dirobj_get(d, "manager"));
	rw_free(&r);
}

static void
test_rules_resolve_the_manager_to_the_dn_of_its_ad_object(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 0);
	fx_set(r.cloud, "manager", "id-boss", NULL);
	d = rw_desired(&r, MAP_CLASS_IDENTITY);
	assert_string_equal(dirobj_get_str(d, "manager"), BOSS_DN);
	assert_int_equal(r.findings->nfindings, 0);
	rw_free(&r);
}

static void
test_rules_unresolved_manager_is_a_finding_and_left_alone(void **state)
{
	const struct finding *f;
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 0);
	fx_set(r.cloud, "manager", "id-cloudonly", NULL);
	d = rw_desired(&r, MAP_CLASS_IDENTITY);
	assert_null(dirobj_get(d, "manager"));
	f = fx_finding(r.findings, MAP_FINDING_UNRESOLVED);
	assert_non_null(f);
	assert_string_equal(f->attr, "manager");
	assert_string_equal(f->dn, ANN_DN);
	assert_non_null(strstr(f->message, "id-cloudonly"));
	rw_free(&r);
}

static void
test_rules_manager_present_without_value_asks_for_a_clear(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 0);
	fx_set(r.cloud, "manager", NULL);
	d = rw_desired(&r, MAP_CLASS_IDENTITY);
	assert_int_equal(nvals(d, "manager"), 0);
	rw_free(&r);
}

static void
test_rules_cloud_managed_user_without_mailbox_takes_exchange_from_graph(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 0);
	fx_set(r.cloud, "proxyAddresses", "SMTP:ann@corp.example", NULL);
	fx_set(r.cloud, "mail", "ann@corp.example", NULL);
	fx_set(r.cloud, "mailNickname", "ann", NULL);
	/* Graph's CustomAttribute-like data is not a source */
	fx_set(r.cloud, "CustomAttribute1", "x", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE | MAP_CLASS_IDENTITY);
	assert_string_equal(dirobj_get_str(d, "proxyAddresses"),
	    "SMTP:ann@corp.example");
	assert_string_equal(dirobj_get_str(d, "mail"), "ann@corp.example");
	assert_string_equal(dirobj_get_str(d, "mailNickname"), "ann");
	assert_null(dirobj_get(d, "extensionAttribute1"));
	assert_null(dirobj_get(d, "msExchHideFromAddressLists"));
	rw_free(&r);
}

static void
test_rules_bad_boolean_is_a_finding_and_left_alone(void **state)
{
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 1);
	fx_set(r.mbx, "HiddenFromAddressListsEnabled", "maybe", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE);
	assert_null(dirobj_get(d, "msExchHideFromAddressLists"));
	assert_int_equal(fx_findings(r.findings, MAP_FINDING_BAD_VALUE), 1);
	rw_free(&r);
}

static void
test_rules_drop_duplicate_and_empty_values(void **state)
{
	const struct dirobj *d;
	const struct dirattr *a;
	struct rw r;

	(void)state;
	rw_init(&r, 1);
	fx_set(r.mbx, "EmailAddresses", "SMTP:a@x", "", "smtp:b@x", "SMTP:a@x",
	    "smtp:b@x", "smtp:B@x", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE);
	a = dirobj_get(d, "proxyAddresses");
	assert_int_equal(a->nvals, 3);
	assert_true(sb_bytes_eq_str(&a->vals[0], "SMTP:a@x"));
	assert_true(sb_bytes_eq_str(&a->vals[1], "smtp:b@x"));
	assert_true(sb_bytes_eq_str(&a->vals[2], "smtp:B@x"));
	rw_free(&r);
}

static void
test_rules_skip_attributes_the_options_exclude(void **state)
{
	char *skip[] = { "MSEXCHHIDEFROMADDRESSLISTS", "title" };
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 1);
	r.w.opt.skip_attrs = skip;
	r.w.opt.nskip_attrs = 2;
	fx_set(r.mbx, "HiddenFromAddressListsEnabled", "true", NULL);
	fx_set(r.mbx, "Alias", "ann", NULL);
	fx_set(r.cloud, "jobTitle", "Engineer", NULL);
	fx_set(r.cloud, "department", "R&D", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE | MAP_CLASS_IDENTITY);
	assert_null(dirobj_get(d, "msExchHideFromAddressLists"));
	assert_null(dirobj_get(d, "title"));
	assert_string_equal(dirobj_get_str(d, "mailNickname"), "ann");
	assert_string_equal(dirobj_get_str(d, "department"), "R&D");
	rw_free(&r);
}

static void
test_rules_leave_out_excluded_proxy_address_prefixes_in_any_case(void **state)
{
	char *exclude[] = { "SPO:", "x400" };
	const struct dirobj *d;
	struct rw r;

	(void)state;
	rw_init(&r, 1);
	r.w.opt.proxy_exclude = exclude;
	r.w.opt.nproxy_exclude = 2;
	fx_set(r.mbx, "EmailAddresses", "SMTP:ann@corp.example",
	    "SPO:SPO_1d2e3f@SPO_0a1b2c", "spo:SPO_lower@SPO_0a1b2c",
	    "SIP:ann@corp.example", "X400:c=US;a= ;p=Org;o=Ex;s=Ann",
	    "SPOT:not-a-match@corp.example", "nocolon", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE);
	assert_int_equal(nvals(d, "proxyAddresses"), 4);
	assert_true(fx_has_value(d, "proxyAddresses", "SMTP:ann@corp.example"));
	assert_true(fx_has_value(d, "proxyAddresses", "SIP:ann@corp.example"));
	/* the prefix before the colon, whole: SPOT: is not SPO: */
	assert_true(fx_has_value(d, "proxyAddresses",
	    "SPOT:not-a-match@corp.example"));
	assert_true(fx_has_value(d, "proxyAddresses", "nocolon"));
	assert_false(fx_has_value(d, "proxyAddresses",
	    "SPO:SPO_1d2e3f@SPO_0a1b2c"));
	assert_false(fx_has_value(d, "proxyAddresses",
	    "spo:SPO_lower@SPO_0a1b2c"));
	rw_free(&r);

	/* No exclusion configured: every prefix, as the cloud holds it. */
	rw_init(&r, 1);
	fx_set(r.mbx, "EmailAddresses", "SMTP:ann@corp.example",
	    "SPO:SPO_1d2e3f@SPO_0a1b2c", NULL);
	d = rw_desired(&r, MAP_CLASS_EXCHANGE);
	assert_int_equal(nvals(d, "proxyAddresses"), 2);
	rw_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_map_mailbox_properties_to_exchange_attributes),
		cmocka_unit_test(test_rules_empty_custom_attribute_asks_for_a_clear),
		cmocka_unit_test(test_rules_mail_falls_back_to_the_primary_smtp_address),
		cmocka_unit_test(test_rules_map_graph_names_to_identity_attributes),
		cmocka_unit_test(test_rules_resolve_the_manager_to_the_dn_of_its_ad_object),
		cmocka_unit_test(test_rules_unresolved_manager_is_a_finding_and_left_alone),
		cmocka_unit_test(test_rules_manager_present_without_value_asks_for_a_clear),
		cmocka_unit_test(test_rules_cloud_managed_user_without_mailbox_takes_exchange_from_graph),
		cmocka_unit_test(test_rules_bad_boolean_is_a_finding_and_left_alone),
		cmocka_unit_test(test_rules_drop_duplicate_and_empty_values),
		cmocka_unit_test(test_rules_skip_attributes_the_options_exclude),
		cmocka_unit_test(test_rules_leave_out_excluded_proxy_address_prefixes_in_any_case),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
