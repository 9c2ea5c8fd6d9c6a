/* Unit tests of mapping/provision.c: provisioning scope, valid and unique names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test_mapping.h"
#include "test_groups.h"
#include "mapping/adindex.h"
#include "mapping/dn.h"
#include "mapping/provision.h"

static char *
sam_of(const char *pattern, const struct dirobj *c)
{
	char *s = NULL;

	assert_int_equal(map_provision_sam(pattern, c, &s, NULL), SB_OK);
	return s;
}

static char *
cn_of(const char *name)
{
	char *s = NULL;

	assert_int_equal(map_provision_cn(name, "gid", &s, NULL), SB_OK);
	return s;
}

static void
test_provision_sam_replaces_what_ad_refuses(void **state)
{
	struct dirobj *c = fx_cloud_group("gid", " Eng/Ops: [Tier*1] = \"a\";b|c,d+e?<f>\\g. ",
	    0, SB_TRI_FALSE);
	char *s;

	(void)state;
	s = sam_of("%{displayName}", c);
	/* Each refused character becomes '_'; spaces trimmed; no trailing dot. */
	assert_string_equal(s, "Eng_Ops_ _Tier_1_ _ _a__b_c_d_e__f__g");
	free(s);
	dirobj_free(c);
}

static void
test_provision_sam_pattern_placeholders_and_text(void **state)
{
	struct dirobj *c = fx_cloud_group("1234", "Sales", 0, SB_TRI_FALSE);
	char *s;

	(void)state;
	fx_set(c, "mailNickname", "sales-team", NULL);
	s = sam_of("grp-%{mailNickname}", c);
	assert_string_equal(s, "grp-sales-team");
	free(s);
	s = sam_of("%{displayName}-%{id}", c);
	assert_string_equal(s, "Sales-1234");
	free(s);
	s = sam_of("100%", c);		/* a lone % is text */
	assert_string_equal(s, "100%");
	free(s);
	dirobj_free(c);
}

static void
test_provision_sam_falls_back_to_the_anchor_when_nothing_is_left(void **state)
{
	struct dirobj *c = fx_cloud_group("gid-1", "...", 0, SB_TRI_FALSE);
	char *s;

	(void)state;
	s = sam_of("%{displayName}", c);
	assert_string_equal(s, "Group_gid-1");
	free(s);
	s = sam_of("%{mailNickname}", c);	/* none in the cloud */
	assert_string_equal(s, "Group_gid-1");
	free(s);
	dirobj_free(c);
}

static void
test_provision_names_are_cut_at_a_character_boundary(void **state)
{
	char name[256], *s;
	struct dirobj *c;
	size_t i;

	(void)state;
	/* 70 times "é" (2 bytes each): 64 characters are 128 bytes. */
	for (i = 0; i < 70; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[140] = '\0';
	c = fx_cloud_group("gid", name, 0, SB_TRI_FALSE);
	s = sam_of("%{displayName}", c);
	assert_int_equal(strlen(s), 2 * MAP_SAM_MAX);
	free(s);
	s = cn_of(name);
	assert_int_equal(strlen(s), 2 * MAP_CN_MAX);
	free(s);
	dirobj_free(c);
}

static void
test_provision_cn_drops_control_characters_and_trims(void **state)
{
	char *s;

	(void)state;
	s = cn_of("  Sales\tEMEA\x01 ");
	assert_string_equal(s, "SalesEMEA");
	free(s);
	s = cn_of("\x02\x03");
	assert_string_equal(s, "Group_gid");
	free(s);
}

/* An index over: Ann (sAM "sales"), SG-Eng in Cloud Groups, OU=Branch. */
static void
index_world(struct fx_world *w, struct map_adindex *ix)
{
	struct dirobj *o;

	fx_world_init(w);
	o = fx_ad_user("CN=Ann,OU=Staff,DC=corp,DC=example", 1, 0);
	fx_set(o, "sAMAccountName", "Sales", NULL);
	fx_add(&w->ad, o);
	o = fx_ad_group("CN=SG-Eng," FX_CLOUDG, 2, 0);
	fx_set(o, "sAMAccountName", "SG-Eng", NULL);
	fx_add(&w->ad, o);
	o = dirobj_new(DIROBJ_OTHER);		/* a name holder: an OU */
	assert_int_equal(dirobj_set_str(&o->dn, "OU=Branch," FX_CLOUDG, NULL),
	    SB_OK);
	fx_add(&w->ad, o);
	assert_int_equal(map_adindex_build(&w->ad, NULL, ix, NULL), SB_OK);
}

static void
claim(struct map_adindex *ix, const char *cn, const char *sam, char **dn,
    char **cn_out, char **sam_out)
{
	assert_int_equal(map_provision_claim(ix, cn, sam, FX_CLOUDG, dn, cn_out,
	    sam_out, NULL), SB_OK);
}

static void
test_provision_claim_takes_the_next_free_name(void **state)
{
	char *dn, *cn, *sam;
	struct map_adindex ix;
	struct fx_world w;

	(void)state;
	index_world(&w, &ix);
	/* cn taken by a group, sAM by the same group (case differs). */
	claim(&ix, "SG-Eng", "sg-eng", &dn, &cn, &sam);
	assert_string_equal(dn, "CN=SG-Eng (2)," FX_CLOUDG);
	assert_string_equal(cn, "SG-Eng (2)");
	assert_string_equal(sam, "sg-eng-2");
	free(dn); free(cn); free(sam);
	/* The same names again in one plan: the next ones. */
	claim(&ix, "SG-Eng", "SG-Eng", &dn, &cn, &sam);
	assert_string_equal(dn, "CN=SG-Eng (3)," FX_CLOUDG);
	assert_string_equal(sam, "SG-Eng-3");
	free(dn); free(cn); free(sam);
	/* An OU named Branch takes the name "Branch" in its parent. */
	claim(&ix, "Branch", "Branch", &dn, &cn, &sam);
	assert_string_equal(dn, "CN=Branch (2)," FX_CLOUDG);
	assert_string_equal(sam, "Branch");
	free(dn); free(cn); free(sam);
	/* A sAMAccountName a user holds; the cn is free. */
	claim(&ix, "Sales", "SALES", &dn, &cn, &sam);
	assert_string_equal(dn, "CN=Sales," FX_CLOUDG);
	assert_string_equal(sam, "SALES-2");
	free(dn); free(cn); free(sam);
	map_adindex_free(&ix);
	fx_world_free(&w);
}

static void
test_provision_claim_escapes_the_cn_in_the_dn(void **state)
{
	char *dn, *cn, *sam;
	struct map_adindex ix;
	struct fx_world w;

	(void)state;
	index_world(&w, &ix);
	claim(&ix, "#Sales, EMEA+1 ", "s1", &dn, &cn, &sam);
	assert_string_equal(dn, "CN=\\#Sales\\, EMEA\\+1\\ ," FX_CLOUDG);
	assert_int_equal(map_dn_depth(dn), map_dn_depth(FX_CLOUDG) + 1);
	free(dn); free(cn); free(sam);
	map_adindex_free(&ix);
	fx_world_free(&w);
}

static void
test_provision_suffixes_keep_names_within_their_limits(void **state)
{
	char long_name[80], dn_buf[256], *dn, *cn, *sam;
	struct map_adindex ix;
	struct fx_world w;
	struct dirobj *o;

	(void)state;
	memset(long_name, 'x', MAP_CN_MAX);
	long_name[MAP_CN_MAX] = '\0';
	fx_world_init(&w);
	snprintf(dn_buf, sizeof(dn_buf), "CN=%s,%s", long_name, FX_CLOUDG);
	o = fx_ad_group(dn_buf, 1, 0);
	fx_set(o, "sAMAccountName", long_name, NULL);
	fx_add(&w.ad, o);
	assert_int_equal(map_adindex_build(&w.ad, NULL, &ix, NULL), SB_OK);
	claim(&ix, long_name, long_name, &dn, &cn, &sam);
	assert_int_equal(strlen(cn), MAP_CN_MAX);
	assert_string_equal(cn + MAP_CN_MAX - 4, " (2)");
	assert_int_equal(strlen(sam), MAP_SAM_MAX);
	assert_string_equal(sam + MAP_SAM_MAX - 2, "-2");
	free(dn); free(cn); free(sam);
	map_adindex_free(&ix);
	fx_world_free(&w);
}

static void
test_provision_decides_by_switch_list_and_kind(void **state)
{
	char *listed[1] = { (char *)"GID-A" };
	struct dirobj *a = fx_cloud_group("gid-a", "A", 0, SB_TRI_FALSE);
	struct dirobj *m365 = fx_cloud_group("gid-b", "B", 0, SB_TRI_FALSE);
	struct dirobj *dist = fx_cloud_group("gid-c", "C", 0, SB_TRI_FALSE);
	struct map_options opt;

	(void)state;
	map_options_init(&opt);
	fx_set(m365, "groupTypes", "Unified", NULL);
	fx_set(dist, "securityEnabled", "false", NULL);
	assert_int_equal(map_provision_decide(a, &opt), MAP_PROVISION_OFF);
	opt.groups.provision = 1;
	assert_int_equal(map_provision_decide(a, &opt), MAP_PROVISION_YES);
	assert_int_equal(map_provision_decide(m365, &opt),
	    MAP_PROVISION_NOT_SECURITY);
	assert_int_equal(map_provision_decide(dist, &opt),
	    MAP_PROVISION_NOT_SECURITY);
	assert_false(map_group_is_security(m365));
	opt.groups.provision_groups = listed;
	opt.groups.nprovision_groups = 1;
	assert_int_equal(map_provision_decide(a, &opt), MAP_PROVISION_YES);
	assert_int_equal(map_provision_decide(m365, &opt),
	    MAP_PROVISION_NOT_LISTED);
	assert_non_null(strstr(map_provision_verdict_text(
	    MAP_PROVISION_NOT_LISTED), "provision_groups"));
	dirobj_free(a);
	dirobj_free(m365);
	dirobj_free(dist);
}

static void
test_provision_group_types_are_security_groups(void **state)
{
	(void)state;
	assert_string_equal(map_provision_group_type(MAP_GROUP_UNIVERSAL),
	    "-2147483640");
	assert_string_equal(map_provision_group_type(MAP_GROUP_GLOBAL),
	    "-2147483646");
	assert_string_equal(map_provision_group_type(MAP_GROUP_DOMAIN_LOCAL),
	    "-2147483644");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_provision_sam_replaces_what_ad_refuses),
		cmocka_unit_test(test_provision_sam_pattern_placeholders_and_text),
		cmocka_unit_test(test_provision_sam_falls_back_to_the_anchor_when_nothing_is_left),
		cmocka_unit_test(test_provision_names_are_cut_at_a_character_boundary),
		cmocka_unit_test(test_provision_cn_drops_control_characters_and_trims),
		cmocka_unit_test(test_provision_claim_takes_the_next_free_name),
		cmocka_unit_test(test_provision_claim_escapes_the_cn_in_the_dn),
		cmocka_unit_test(test_provision_suffixes_keep_names_within_their_limits),
		cmocka_unit_test(test_provision_decides_by_switch_list_and_kind),
		cmocka_unit_test(test_provision_group_types_are_security_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
