/* RFC 4515 filter value escaping, by libldap's ldap_bv2escaped_filter_value(). */
#include <errno.h>
#include <ldap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap/escape.h"

enum sb_status
ad_filter_escape(const void *p, size_t len, char **out, struct sb_error *err)
{
	struct berval in, esc = { 0, NULL };
	char *copy = NULL;
	enum sb_status st;

	if (len > AD_ESCAPE_MAX_VALUE) {
		st = sb_fail(err, SB_SKIP, EMSGSIZE, "ad.escape",
		    "filter value of %zu bytes exceeds the %d-byte limit", len,
		    AD_ESCAPE_MAX_VALUE);
		goto done;
	}
	in.bv_len = len;
	in.bv_val = (char *)(uintptr_t)p;	/* libldap only reads it */
	if (len > 0 && ldap_bv2escaped_filter_value(&in, &esc) != 0) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.escape", "out of memory");
		goto done;
	}
	copy = malloc(esc.bv_len + 1);
	if (copy == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.escape", "out of memory");
		goto done;
	}
	if (esc.bv_len > 0)
		memcpy(copy, esc.bv_val, esc.bv_len);
	copy[esc.bv_len] = '\0';
	*out = copy;
	copy = NULL;
	st = SB_OK;
done:
	free(copy);
	ber_memfree(esc.bv_val);
	return st;
}

static int
attr_name_ok(const char *attr)
{
	const char *s;

	if (attr == NULL || *attr == '\0')
		return 0;
	for (s = attr; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == ';' ||
		    *s == '.'))
			return 0;
	}
	return 1;
}

enum sb_status
ad_filter_eq(const char *attr, const void *p, size_t len, char **out,
    struct sb_error *err)
{
	char *val = NULL, *f = NULL;
	size_t n;
	enum sb_status st;

	if (!attr_name_ok(attr)) {
		st = sb_fail(err, SB_BUG, EINVAL, "ad.escape",
		    "not an attribute name: \"%s\"", attr ? attr : "(null)");
		goto done;
	}
	st = ad_filter_escape(p, len, &val, err);
	if (st != SB_OK)
		goto done;
	n = strlen(attr) + strlen(val) + 4;
	f = malloc(n);
	if (f == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.escape", "out of memory");
		goto done;
	}
	snprintf(f, n, "(%s=%s)", attr, val);
	*out = f;
	f = NULL;
	st = SB_OK;
done:
	free(f);
	free(val);
	return st;
}
