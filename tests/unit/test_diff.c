/* Unit tests of mapping/diff.c: minimal value-level deltas, and idempotence. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/diff.h"
#include "test_mapping.h"

#define ANN_DN	"CN=Ann,OU=Staff,DC=corp,DC=example"

struct dw {
	struct dirobj	*want;
	struct dirobj	*ad;
	struct change	 c;
};

static void
dw_init(struct dw *w)
{
	w->want = dirobj_new(DIROBJ_USER);
	w->ad = fx_ad_user(ANN_DN, 1, 1105);
	assert_non_null(w->want);
	assert_int_equal(map_change_init(&w->c, MAP_CHANGE_MODIFY, w->ad, NULL,
	    "isCloudManaged", NULL), SB_OK);
}

static void
dw_diff(struct dw *w)
{
	assert_int_equal(map_diff(w->want, w->ad, &w->c, NULL), SB_OK);
}

/* Applies the deltas to AD and diffs again: there must be nothing left. */
static void
dw_assert_idempotent(struct dw *w)
{
	struct change again;

	fx_apply(w->ad, &w->c);
	assert_int_equal(map_change_init(&again, MAP_CHANGE_MODIFY, w->ad,
	    NULL, "isCloudManaged", NULL), SB_OK);
	assert_int_equal(map_diff(w->want, w->ad, &again, NULL), SB_OK);
	assert_int_equal(again.ndeltas, 0);
	map_change_clear(&again);
}

static void
dw_free(struct dw *w)
{
	map_change_clear(&w->c);
	dirobj_free(w->want);
	dirobj_free(w->ad);
}

static void
test_diff_adds_one_new_proxy_address_as_one_value_add(void **state)
{
	const struct delta *d;
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "proxyAddresses", "SMTP:ann@corp.example",
	    "smtp:ann@corp.mail.onmicrosoft.com", NULL);
	fx_set(w.want, "proxyAddresses", "SMTP:ann@corp.example",
	    "smtp:ann@corp.mail.onmicrosoft.com", "smtp:as@corp.example", NULL);
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 1);
	d = fx_delta(&w.c, "proxyAddresses", MAP_DELTA_ADD);
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "smtp:as@corp.example"));
	assert_int_equal(d->nbefore, 2);	/* the journal's before-image */
	dw_assert_idempotent(&w);
	dw_free(&w);
}

static void
test_diff_deletes_only_the_stale_proxy_address(void **state)
{
	const struct delta *d;
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "proxyAddresses", "SMTP:ann@corp.example",
	    "smtp:old@corp.example", "X500:/o=Org/cn=ann", NULL);
	fx_set(w.want, "proxyAddresses", "X500:/o=Org/cn=ann",
	    "SMTP:ann@corp.example", NULL);
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 1);
	d = fx_delta(&w.c, "proxyAddresses", MAP_DELTA_DELETE);
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "smtp:old@corp.example"));
	dw_assert_idempotent(&w);
	dw_free(&w);
}

static void
test_diff_prefix_case_change_is_a_delete_then_an_add(void **state)
{
	struct dw w;

	(void)state;
	dw_init(&w);
	/* the primary address moves from ann@ to as@ */
	fx_set(w.ad, "proxyAddresses", "SMTP:ann@corp.example",
	    "smtp:as@corp.example", NULL);
	fx_set(w.want, "proxyAddresses", "smtp:ann@corp.example",
	    "SMTP:as@corp.example", NULL);
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 2);
	assert_int_equal(w.c.deltas[0].op, MAP_DELTA_DELETE);
	assert_int_equal(w.c.deltas[1].op, MAP_DELTA_ADD);
	assert_int_equal(w.c.deltas[0].nvals, 2);
	assert_true(sb_bytes_eq_str(&w.c.deltas[0].vals[0],
	    "SMTP:ann@corp.example"));
	assert_true(sb_bytes_eq_str(&w.c.deltas[0].vals[1],
	    "smtp:as@corp.example"));
	assert_int_equal(w.c.deltas[1].nvals, 2);
	assert_true(sb_bytes_eq_str(&w.c.deltas[1].vals[0],
	    "smtp:ann@corp.example"));
	assert_true(sb_bytes_eq_str(&w.c.deltas[1].vals[1],
	    "SMTP:as@corp.example"));
	dw_assert_idempotent(&w);
	assert_true(fx_has_value(w.ad, "proxyAddresses", "SMTP:as@corp.example"));
	assert_false(fx_has_value(w.ad, "proxyAddresses",
	    "SMTP:ann@corp.example"));
	dw_free(&w);
}

static void
test_diff_empty_custom_attribute_clears_the_ad_value(void **state)
{
	const struct delta *d;
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "extensionAttribute1", "old", NULL);
	fx_set(w.want, "extensionAttribute1", NULL);
	fx_set(w.want, "extensionAttribute2", NULL);	/* AD has none: nothing */
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 1);
	d = fx_delta(&w.c, "extensionAttribute1", MAP_DELTA_DELETE);
	assert_non_null(d);
	assert_int_equal(d->nvals, 0);
	assert_int_equal(d->nbefore, 1);
	assert_true(sb_bytes_eq_str(&d->before[0], "old"));
	dw_assert_idempotent(&w);
	assert_null(dirobj_get(w.ad, "extensionAttribute1"));
	dw_free(&w);
}

static void
test_diff_cleared_multi_valued_attribute_deletes_each_value(void **state)
{
	const struct delta *d;
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "msExchExtensionCustomAttribute1", "a", "b", NULL);
	fx_set(w.want, "msExchExtensionCustomAttribute1", NULL);
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 1);
	d = fx_delta(&w.c, "msExchExtensionCustomAttribute1", MAP_DELTA_DELETE);
	assert_non_null(d);
	assert_int_equal(d->nvals, 2);
	dw_assert_idempotent(&w);
	dw_free(&w);
}

static void
test_diff_replaces_a_different_single_value_and_keeps_an_equal_one(void **state)
{
	const struct delta *d;
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "title", "Engineer", NULL);
	fx_set(w.ad, "department", "R&D", NULL);
	fx_set(w.want, "title", "Senior Engineer", NULL);
	fx_set(w.want, "department", "R&D", NULL);
	fx_set(w.want, "mobile", "+1 555 0101", NULL);	/* AD has none */
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 2);
	d = fx_delta(&w.c, "title", MAP_DELTA_REPLACE);
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "Senior Engineer"));
	assert_true(sb_bytes_eq_str(&d->before[0], "Engineer"));
	d = fx_delta(&w.c, "mobile", MAP_DELTA_REPLACE);
	assert_non_null(d);
	assert_int_equal(d->nbefore, 0);
	dw_assert_idempotent(&w);
	dw_free(&w);
}

static void
test_diff_single_value_case_change_is_a_replace(void **state)
{
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "displayName", "ann smith", NULL);
	fx_set(w.want, "displayName", "Ann Smith", NULL);
	dw_diff(&w);
	assert_non_null(fx_delta(&w.c, "displayName", MAP_DELTA_REPLACE));
	dw_assert_idempotent(&w);
	dw_free(&w);
}

static void
test_diff_compares_booleans_case_insensitively(void **state)
{
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "msExchHideFromAddressLists", "true", NULL);
	fx_set(w.want, "msExchHideFromAddressLists", "TRUE", NULL);
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 0);
	fx_set(w.want, "msExchHideFromAddressLists", "FALSE", NULL);
	dw_diff(&w);
	assert_non_null(fx_delta(&w.c, "msExchHideFromAddressLists",
	    MAP_DELTA_REPLACE));
	dw_free(&w);
}

static void
test_diff_compares_manager_dns_as_dns(void **state)
{
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "manager", "CN=Boss\\2C The,OU=Staff,DC=corp,DC=example",
	    NULL);
	fx_set(w.want, "manager", "cn=boss\\, the, ou=staff,DC=corp,DC=example",
	    NULL);
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 0);
	fx_set(w.want, "manager", "CN=Other,OU=Staff,DC=corp,DC=example", NULL);
	dw_diff(&w);
	assert_non_null(fx_delta(&w.c, "manager", MAP_DELTA_REPLACE));
	dw_free(&w);
}

static void
test_diff_leaves_attributes_absent_from_desired_alone(void **state)
{
	struct dw w;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "extensionAttribute5", "keep", NULL);
	fx_set(w.ad, "proxyAddresses", "SMTP:keep@corp.example", NULL);
	fx_set(w.want, "mail", "ann@corp.example", NULL);
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 1);
	assert_non_null(fx_delta(&w.c, "mail", MAP_DELTA_REPLACE));
	dw_free(&w);
}

static void
test_diff_handles_fifty_thousand_values_by_sorting(void **state)
{
	char v[32];
	const struct delta *d;
	struct dw w;
	int i;

	(void)state;
	dw_init(&w);
	fx_set(w.ad, "proxyAddresses", NULL);
	fx_set(w.want, "proxyAddresses", NULL);
	for (i = 0; i < 50000; i++) {
		snprintf(v, sizeof(v), "smtp:u%d@x", i);
		if (i != 7)
			assert_int_equal(dirobj_add_str(w.ad, "proxyAddresses",
			    v, NULL), SB_OK);
		snprintf(v, sizeof(v), "smtp:u%d@x", 49999 - i);
		if (49999 - i != 9)
			assert_int_equal(dirobj_add_str(w.want,
			    "proxyAddresses", v, NULL), SB_OK);
	}
	dw_diff(&w);
	assert_int_equal(w.c.ndeltas, 2);
	d = fx_delta(&w.c, "proxyAddresses", MAP_DELTA_DELETE);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "smtp:u9@x"));
	d = fx_delta(&w.c, "proxyAddresses", MAP_DELTA_ADD);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "smtp:u7@x"));
	dw_free(&w);
}

static void
test_diff_neither_writes_nor_removes_excluded_proxy_addresses(void **state)
{
	char *exclude[] = { "SPO:" };
	struct map_options opt;
	const struct delta *d;
	struct change again;
	struct dw w;

	(void)state;
	map_options_init(&opt);
	opt.proxy_exclude = exclude;
	opt.nproxy_exclude = 1;
	dw_init(&w);
	fx_set(w.ad, "proxyAddresses", "SMTP:ann@corp.example",
	    "spo:SPO_old@SPO_0a1b2c", "smtp:stale@corp.example", NULL);
	/* Even when desired holds one (rules leave them out anyway). */
	fx_set(w.want, "proxyAddresses", "SMTP:ann@corp.example",
	    "SPO:SPO_new@SPO_0a1b2c", "SIP:ann@corp.example", NULL);
	assert_int_equal(map_diff_opt(w.want, w.ad, &opt, &w.c, NULL), SB_OK);
	d = fx_delta(&w.c, "proxyAddresses", MAP_DELTA_ADD);
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);
	assert_true(sb_bytes_eq_str(&d->vals[0], "SIP:ann@corp.example"));
	d = fx_delta(&w.c, "proxyAddresses", MAP_DELTA_DELETE);
	assert_non_null(d);
	assert_int_equal(d->nvals, 1);	/* the SPO: value AD holds stays */
	assert_true(sb_bytes_eq_str(&d->vals[0], "smtp:stale@corp.example"));
	assert_int_equal(d->nbefore, 3);
	/* Applied, nothing is left to do: no drift forever. */
	fx_apply(w.ad, &w.c);
	assert_int_equal(map_change_init(&again, MAP_CHANGE_MODIFY, w.ad, NULL,
	    "isCloudManaged", NULL), SB_OK);
	assert_int_equal(map_diff_opt(w.want, w.ad, &opt, &again, NULL), SB_OK);
	assert_int_equal(again.ndeltas, 0);
	map_change_clear(&again);
	assert_true(fx_has_value(w.ad, "proxyAddresses",
	    "spo:SPO_old@SPO_0a1b2c"));

	/* The cloud clearing proxyAddresses still leaves the SPO: value. */
	map_change_clear(&w.c);
	assert_int_equal(map_change_init(&w.c, MAP_CHANGE_MODIFY, w.ad, NULL,
	    "isCloudManaged", NULL), SB_OK);
	dirobj_remove(w.want, "proxyAddresses");
	assert_int_equal(dirobj_touch(w.want, "proxyAddresses", NULL), SB_OK);
	assert_int_equal(map_diff_opt(w.want, w.ad, &opt, &w.c, NULL), SB_OK);
	d = fx_delta(&w.c, "proxyAddresses", MAP_DELTA_DELETE);
	assert_non_null(d);
	assert_int_equal(d->nvals, 2);
	assert_false(sb_bytes_eq_str(&d->vals[0], "spo:SPO_old@SPO_0a1b2c"));
	assert_false(sb_bytes_eq_str(&d->vals[1], "spo:SPO_old@SPO_0a1b2c"));
	/* map_diff (no options): the SPO: value would go. */
	map_change_clear(&w.c);
	assert_int_equal(map_change_init(&w.c, MAP_CHANGE_MODIFY, w.ad, NULL,
	    "isCloudManaged", NULL), SB_OK);
	dw_diff(&w);
	assert_int_equal(fx_delta(&w.c, "proxyAddresses",
	    MAP_DELTA_DELETE)->nvals, 3);
	dw_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_adds_one_new_proxy_address_as_one_value_add),
		cmocka_unit_test(test_diff_deletes_only_the_stale_proxy_address),
		cmocka_unit_test(test_diff_prefix_case_change_is_a_delete_then_an_add),
		cmocka_unit_test(test_diff_empty_custom_attribute_clears_the_ad_value),
		cmocka_unit_test(test_diff_cleared_multi_valued_attribute_deletes_each_value),
		cmocka_unit_test(test_diff_replaces_a_different_single_value_and_keeps_an_equal_one),
		cmocka_unit_test(test_diff_single_value_case_change_is_a_replace),
		cmocka_unit_test(test_diff_compares_booleans_case_insensitively),
		cmocka_unit_test(test_diff_compares_manager_dns_as_dns),
		cmocka_unit_test(test_diff_leaves_attributes_absent_from_desired_alone),
		cmocka_unit_test(test_diff_handles_fifty_thousand_values_by_sorting),
		cmocka_unit_test(test_diff_neither_writes_nor_removes_excluded_proxy_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
