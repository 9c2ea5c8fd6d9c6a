/*
 * Unit tests for ldap/read.c: entries as AD returns them (canned in
 * tests/data/ldap/entries.ldif) into struct dirobj, through the same
 * per-attribute conversion ad_search() uses, fed bervals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "ldap/internal.h"	/* <ldap.h> first: <ldif.h> needs its types */
#include "ldap/read.h"

#include <ldif.h>

#define MAX_RECS	16
#define MAX_ATTRS	32
#define MAX_VALS	16

/* One LDIF record: attributes grouped by name, in order of appearance, values copied. */
struct rec {
	char		*dn;
	size_t		 nattrs;
	struct {
		char		*name;
		struct berval	 bv[MAX_VALS];
		struct berval	*vals[MAX_VALS + 1];
		size_t		 n;
	} a[MAX_ATTRS];
};

static struct rec recs[MAX_RECS];
static size_t nrecs;

static char *
dup_bv(const struct berval *v)
{
	char *s = malloc(v->bv_len + 1);

	assert_non_null(s);
	memcpy(s, v->bv_val, v->bv_len);
	s[v->bv_len] = '\0';
	return s;
}

static void
rec_add(struct rec *r, const struct berval *type, const struct berval *val)
{
	size_t i;

	for (i = 0; i < r->nattrs; i++)
		if (strlen(r->a[i].name) == type->bv_len &&
		    strncasecmp(r->a[i].name, type->bv_val, type->bv_len) == 0)
			break;
	if (i == r->nattrs) {
		assert_true(r->nattrs < MAX_ATTRS);
		r->a[i].name = dup_bv(type);
		r->nattrs++;
	}
	assert_true(r->a[i].n < MAX_VALS);
	r->a[i].bv[r->a[i].n].bv_val = dup_bv(val);
	r->a[i].bv[r->a[i].n].bv_len = val->bv_len;
	r->a[i].vals[r->a[i].n] = &r->a[i].bv[r->a[i].n];
	r->a[i].n++;
	r->a[i].vals[r->a[i].n] = NULL;
}

static int
load(void **state)
{
	const char *dir = getenv("SOABRIDGE_TEST_DATA");
	char path[1024], *buf = NULL, *next, *line;
	struct berval type, val;
	unsigned long lineno = 0;
	int buflen = 0, freeval;
	LDIFFP *fp;
	struct rec *r;

	(void)state;
	snprintf(path, sizeof(path), "%s/ldap/entries.ldif",
	    dir ? dir : "tests/data");
	fp = ldif_open(path, "r");
	if (fp == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	while (ldif_read_record(fp, &lineno, &buf, &buflen) > 0) {
		assert_true(nrecs < MAX_RECS);
		r = &recs[nrecs++];
		next = buf;
		while ((line = ldif_getline(&next)) != NULL) {
			freeval = 0;
			assert_true(ldif_parse_line2(line, &type, &val,
			    &freeval) == 0);
			assert_int_equal(freeval, 0);
			if (type.bv_len == 2 && strncasecmp(type.bv_val, "dn",
			    2) == 0)
				r->dn = dup_bv(&val);
			else
				rec_add(r, &type, &val);
		}
	}
	ber_memfree(buf);
	ldif_close(fp);
	return nrecs > 0 ? 0 : -1;
}

static int
unload(void **state)
{
	size_t i, j, k;

	(void)state;
	for (i = 0; i < nrecs; i++) {
		free(recs[i].dn);
		for (j = 0; j < recs[i].nattrs; j++) {
			free(recs[i].a[j].name);
			for (k = 0; k < recs[i].a[j].n; k++)
				free(recs[i].a[j].bv[k].bv_val);
		}
	}
	return 0;
}

static const struct rec *
rec_named(const char *dn)
{
	size_t i;

	for (i = 0; i < nrecs; i++)
		if (strcmp(recs[i].dn, dn) == 0)
			return &recs[i];
	fail_msg("no record %s in entries.ldif", dn);
	return NULL;
}

/* Converts a record as ad_read_entry() does, without the ranged follow-up. */
static enum sb_status
convert(const char *dn, struct dirobj **out, struct ad_read_pending *pending,
    struct sb_error *err)
{
	const struct rec *r = rec_named(dn);
	struct dirobj *o = dirobj_new(DIROBJ_OTHER);
	enum sb_status st = SB_OK;
	size_t i;

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->dn, r->dn, err), SB_OK);
	for (i = 0; i < r->nattrs && st == SB_OK; i++)
		st = ad_read_attr(o, r->a[i].name, r->a[i].vals, pending, err);
	if (st == SB_OK)
		ad_read_finish(o);
	*out = o;
	return st;
}

static int
has_value(const struct dirobj *o, const char *attr, const void *p, size_t len)
{
	const struct dirattr *a = dirobj_get(o, attr);
	size_t i;

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (a->vals[i].len == len && memcmp(a->vals[i].p, p, len) == 0)
			return 1;
	return 0;
}

#define ANN "CN=Doe\\, Ann,OU=Staff,DC=corp,DC=example,DC=test"

static void
test_read_user_gets_kind_dn_and_byte_exact_anchors(void **state)
{
	static const unsigned char guid[16] = { 0x00, 0x11, 0x22, 0x33, 0x44,
	    0x55, 0x66, 0x77, 0x88, 0x99, 0x2a, 0x28, 0x29, 0x5c, 0xff, 0x00 };
	static const unsigned char cguid[16] = { 0x10, 0x00, 0x20, 0x30, 0x40,
	    0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0 };
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert(ANN, &o, &pending, &err), SB_OK);
	assert_int_equal(o->kind, DIROBJ_USER);
	assert_string_equal(o->dn, ANN);
	assert_int_equal(o->guid.len, 16);
	assert_memory_equal(o->guid.p, guid, 16);
	assert_int_equal(o->consistency_guid.len, 16);
	assert_memory_equal(o->consistency_guid.p, cguid, 16);
	assert_int_equal(o->sid.len, 28);
	assert_true(ad_read_sid_valid(o->sid.p, o->sid.len));
	assert_int_equal(pending.n, 0);
	dirobj_free(o);
}

static void
test_read_anchors_are_not_also_attributes(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert(ANN, &o, &pending, &err), SB_OK);
	assert_null(dirobj_get(o, "objectGUID"));
	assert_null(dirobj_get(o, "objectSid"));
	assert_null(dirobj_get(o, "mS-DS-ConsistencyGuid"));
	assert_non_null(dirobj_get(o, "objectClass"));
	dirobj_free(o);
}

static void
test_read_values_keep_exact_bytes_and_lengths(void **state)
{
	static const unsigned char photo[14] = { 0xff, 0xd8, 0xff, 0xe0, 0x00,
	    0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x0a, 0x0d };
	static const char utf8[] = "Ann Do\xc3\xab \xe6\x97\xa5\xe6\x9c\xac";
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert(ANN, &o, &pending, &err), SB_OK);
	assert_int_equal(dirobj_get(o, "proxyAddresses")->nvals, 2);
	assert_true(has_value(o, "proxyaddresses", "SMTP:ann@corp.example", 21));
	assert_true(has_value(o, "proxyAddresses", "smtp:ann.doe@corp.example",
	    25));
	assert_true(has_value(o, "extensionAttribute1",
	    "  leading, trailing  ", 21));
	assert_true(has_value(o, "thumbnailPhoto", photo, sizeof(photo)));
	assert_true(has_value(o, "displayName", utf8, strlen(utf8)));
	assert_true(has_value(o, "cn", "Doe, Ann", 8));
	assert_string_equal(o->display_name, utf8);
	dirobj_free(o);
}

static void
test_read_computer_is_other_not_user(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert("CN=WS01,CN=Computers,DC=corp,DC=example,"
	    "DC=test", &o, &pending, &err), SB_OK);
	assert_int_equal(o->kind, DIROBJ_OTHER);
	assert_string_equal(o->display_name, "WS01");
	dirobj_free(o);
}

static void
test_read_contact_group_and_ou_kinds(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert("CN=Ext Partner,OU=Staff,DC=corp,DC=example,"
	    "DC=test", &o, &pending, &err), SB_OK);
	assert_int_equal(o->kind, DIROBJ_CONTACT);
	dirobj_free(o);
	assert_int_equal(convert("CN=Small,OU=Groups,DC=corp,DC=example,"
	    "DC=test", &o, &pending, &err), SB_OK);
	assert_int_equal(o->kind, DIROBJ_GROUP);
	dirobj_free(o);
	assert_int_equal(convert("OU=Staff,DC=corp,DC=example,DC=test", &o,
	    &pending, &err), SB_OK);
	assert_int_equal(o->kind, DIROBJ_OTHER);
	dirobj_free(o);
}

static void
test_read_partial_range_is_left_for_the_ranged_read(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert("CN=Big,OU=Groups,DC=corp,DC=example,DC=test",
	    &o, &pending, &err), SB_OK);
	assert_int_equal(pending.n, 1);
	assert_string_equal(pending.names[0], "member");
	/* Neither the ranged name nor a partial "member" reaches the object. */
	assert_null(dirobj_get(o, "member"));
	assert_null(dirobj_get(o, "member;range=0-1499"));
	assert_int_equal(o->kind, DIROBJ_GROUP);
	ad_read_pending_free(&pending);
	dirobj_free(o);
}

static void
test_read_complete_range_is_stored_under_the_plain_name(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert("CN=Small,OU=Groups,DC=corp,DC=example,"
	    "DC=test", &o, &pending, &err), SB_OK);
	assert_int_equal(pending.n, 0);
	assert_int_equal(dirobj_get(o, "member")->nvals, 2);
	assert_true(has_value(o, "member", ANN, strlen(ANN)));
	assert_null(dirobj_get(o, "member;range=0-*"));
	dirobj_free(o);
}

static void
test_read_short_object_guid_skips_the_object(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert("CN=Bad Guid,OU=Staff,DC=corp,DC=example,"
	    "DC=test", &o, &pending, &err), SB_SKIP);
	assert_non_null(strstr(err.text, "CN=Bad Guid"));
	assert_non_null(strstr(err.text, "15 bytes"));
	assert_int_equal(o->guid.len, 0);
	dirobj_free(o);
}

static void
test_read_odd_consistency_guid_is_ignored_not_fatal(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert("CN=Odd Consistency,OU=Staff,DC=corp,"
	    "DC=example,DC=test", &o, &pending, &err), SB_OK);
	assert_int_equal(o->consistency_guid.len, 0);
	assert_int_equal(o->guid.len, 16);
	dirobj_free(o);
}

static void
test_read_malformed_sid_skips_the_object(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o;

	(void)state;
	assert_int_equal(convert("CN=Bad Sid,OU=Staff,DC=corp,DC=example,"
	    "DC=test", &o, &pending, &err), SB_SKIP);
	assert_non_null(strstr(err.text, "objectSid"));
	dirobj_free(o);
}

static void
test_read_sid_structure_is_checked(void **state)
{
	unsigned char sid[68] = { 1, 5, 0, 0, 0, 0, 0, 5 };

	(void)state;
	assert_true(ad_read_sid_valid(sid, 8 + 4 * 5));
	assert_false(ad_read_sid_valid(sid, 8 + 4 * 4));
	assert_false(ad_read_sid_valid(sid, 7));
	sid[0] = 2;
	assert_false(ad_read_sid_valid(sid, 8 + 4 * 5));
	sid[0] = 1;
	sid[1] = 15;
	assert_true(ad_read_sid_valid(sid, 68));
	sid[1] = 16;
	assert_false(ad_read_sid_valid(sid, 72));
	sid[1] = 0;
	assert_true(ad_read_sid_valid(sid, 8));	/* S-1-5: no sub-authority */
	assert_false(ad_read_sid_valid(NULL, 8));
}

static void
test_read_attribute_without_values_is_present_and_empty(void **state)
{
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o = dirobj_new(DIROBJ_OTHER);

	(void)state;
	assert_int_equal(ad_read_attr(o, "description", NULL, &pending, &err),
	    SB_OK);
	assert_non_null(dirobj_get(o, "description"));
	assert_int_equal(dirobj_get(o, "description")->nvals, 0);
	dirobj_free(o);
}

static void
test_read_two_object_guids_are_refused(void **state)
{
	static char g[16];
	struct berval b = { 16, g }, *two[] = { &b, &b, NULL };
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o = dirobj_new(DIROBJ_OTHER);

	(void)state;
	assert_int_equal(ad_read_attr(o, "objectGUID", two, &pending, &err),
	    SB_SKIP);
	dirobj_free(o);
}

static void
test_read_malformed_range_name_is_refused(void **state)
{
	struct berval b = { 1, "x" }, *one[] = { &b, NULL };
	struct ad_read_pending pending = { .n = 0 };
	struct sb_error err;
	struct dirobj *o = dirobj_new(DIROBJ_OTHER);

	(void)state;
	assert_int_equal(ad_read_attr(o, "member;range=9-1", one, &pending,
	    &err), SB_SKIP);
	assert_int_equal(pending.n, 0);
	dirobj_free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_user_gets_kind_dn_and_byte_exact_anchors),
		cmocka_unit_test(test_read_anchors_are_not_also_attributes),
		cmocka_unit_test(test_read_values_keep_exact_bytes_and_lengths),
		cmocka_unit_test(test_read_computer_is_other_not_user),
		cmocka_unit_test(test_read_contact_group_and_ou_kinds),
		cmocka_unit_test(test_read_partial_range_is_left_for_the_ranged_read),
		cmocka_unit_test(test_read_complete_range_is_stored_under_the_plain_name),
		cmocka_unit_test(test_read_short_object_guid_skips_the_object),
		cmocka_unit_test(test_read_odd_consistency_guid_is_ignored_not_fatal),
		cmocka_unit_test(test_read_malformed_sid_skips_the_object),
		cmocka_unit_test(test_read_sid_structure_is_checked),
		cmocka_unit_test(test_read_attribute_without_values_is_present_and_empty),
		cmocka_unit_test(test_read_two_object_guids_are_refused),
		cmocka_unit_test(test_read_malformed_range_name_is_refused),
	};

	return cmocka_run_group_tests(tests, load, unload);
}
