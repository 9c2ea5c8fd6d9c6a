/* Unit tests of mapping/attrmap.c and options.c: the map table and the lists it exports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "mapping/attrmap.h"
#include "mapping/options.h"

static int
listed(const char *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

static void
test_attrmap_every_mapped_attribute_is_read_from_ad(void **state)
{
	const struct map_attr *m;
	size_t n, i;

	(void)state;
	m = map_attrmap_default(&n);
	assert_int_equal(n, 40);	/* 24 exchange, 16 identity */
	for (i = 0; i < n; i++)
		if (!listed(map_ad_read_attrs(), m[i].ad_name))
			fail_msg("%s is not read from AD", m[i].ad_name);
	assert_true(listed(map_ad_read_attrs(), "objectGUID"));
	assert_true(listed(map_ad_read_attrs(), "objectSid"));
	assert_true(listed(map_ad_read_attrs(), "mS-DS-ConsistencyGuid"));
	assert_true(listed(map_ad_read_attrs(), "adminCount"));
	assert_true(listed(map_ad_read_attrs(), "isCriticalSystemObject"));
}

static void
test_attrmap_every_cloud_source_is_requested(void **state)
{
	const struct map_attr *m;
	size_t n, i;

	(void)state;
	m = map_attrmap_default(&n);
	for (i = 0; i < n; i++) {
		/* manager is a navigation property: $expand, not $select */
		if (m[i].graph_src != NULL && m[i].xf != MAP_XF_MANAGER_DN &&
		    !listed(map_graph_user_select(), m[i].graph_src))
			fail_msg("%s is not in $select", m[i].graph_src);
		if (m[i].mailbox_src != NULL &&
		    !listed(map_mailbox_properties(), m[i].mailbox_src))
			fail_msg("%s is not requested", m[i].mailbox_src);
		if (m[i].mailbox_alt != NULL &&
		    !listed(map_mailbox_properties(), m[i].mailbox_alt))
			fail_msg("%s is not requested", m[i].mailbox_alt);
		if (m[i].cls == MAP_CLASS_EXCHANGE && m[i].mailbox_src == NULL)
			fail_msg("%s has no mailbox source", m[i].ad_name);
	}
	assert_false(listed(map_graph_user_select(), "manager"));
	assert_true(listed(map_graph_user_select(), "onPremisesImmutableId"));
	assert_true(listed(map_mailbox_properties(), "IsExchangeCloudManaged"));
	assert_true(listed(map_mailbox_properties(),
	    "ExternalDirectoryObjectId"));
}

static void
test_attrmap_rows_carry_the_documented_mapping(void **state)
{
	const struct map_attr *a;

	(void)state;
	a = map_attrmap_find("PROXYADDRESSES");
	assert_non_null(a);
	assert_true(a->multi);
	assert_string_equal(a->mailbox_src, "EmailAddresses");
	a = map_attrmap_find("mail");
	assert_string_equal(a->mailbox_alt, "PrimarySmtpAddress");
	a = map_attrmap_find("extensionAttribute15");
	assert_false(a->multi);
	assert_string_equal(a->mailbox_src, "CustomAttribute15");
	a = map_attrmap_find("msExchExtensionCustomAttribute5");
	assert_true(a->multi);
	a = map_attrmap_find("msExchHideFromAddressLists");
	assert_int_equal(a->xf, MAP_XF_BOOL);
	a = map_attrmap_find("telephoneNumber");
	assert_int_equal(a->xf, MAP_XF_FIRST);
	assert_string_equal(a->graph_src, "businessPhones");
	a = map_attrmap_find("physicalDeliveryOfficeName");
	assert_string_equal(a->graph_src, "officeLocation");
	assert_int_equal(a->cls, MAP_CLASS_IDENTITY);
	a = map_attrmap_find("manager");
	assert_int_equal(a->match, MAP_MATCH_DN);
	assert_null(map_attrmap_find("unicodePwd"));
	assert_string_equal(map_class_name(MAP_CLASS_EXCHANGE), "exchange");
}

static void
test_options_init_enables_every_class_and_nothing_else(void **state)
{
	char *skip[] = { "Mail" };
	struct map_options o;

	(void)state;
	map_options_init(&o);
	assert_int_equal(o.classes, MAP_CLASS_ALL);
	assert_null(o.base_dn);
	assert_int_equal(o.nwrite_scope, 0);
	assert_false(o.groups.provision);
	assert_int_equal(o.groups.type, MAP_GROUP_UNIVERSAL);
	assert_false(map_options_skips(&o, "mail"));
	o.skip_attrs = skip;
	o.nskip_attrs = 1;
	assert_true(map_options_skips(&o, "mail"));
	assert_false(map_options_skips(&o, "mailNickname"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attrmap_every_mapped_attribute_is_read_from_ad),
		cmocka_unit_test(test_attrmap_every_cloud_source_is_requested),
		cmocka_unit_test(test_attrmap_rows_carry_the_documented_mapping),
		cmocka_unit_test(test_options_init_enables_every_class_and_nothing_else),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
