/* The lease value in AD: its text, its read and its atomic swap. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap/internal.h"
#include "ldap/lease.h"
#include "ldap/search.h"
#include "ldap/write.h"
#include "mapping/dirobj.h"

static const char holder_key[] = "holder=";
static const char expires_key[] = ";expires=";

int
ad_lease_holder_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) &&
		    strchr(".:_-", s[i]) == NULL)
			return 0;
	return i > 0 && i < AD_LEASE_HOLDER_MAX;
}

int
ad_lease_parse(const void *p, size_t len, struct ad_lease *out)
{
	const char *s = p, *h, *e;
	char num[24];
	size_t hlen, nlen, i;

	memset(out, 0, sizeof(*out));
	out->present = len > 0;
	/* A value is text: a NUL or an overlong one is no lease. */
	if (len == 0 || len >= AD_LEASE_VALUE_MAX || memchr(s, '\0', len))
		return 0;
	if (len <= sizeof(holder_key) - 1 ||
	    memcmp(s, holder_key, sizeof(holder_key) - 1) != 0)
		return 0;
	h = s + sizeof(holder_key) - 1;
	for (e = h; e < s + len && *e != ';'; e++)
		;
	hlen = (size_t)(e - h);
	if (hlen == 0 || hlen >= AD_LEASE_HOLDER_MAX ||
	    (size_t)(s + len - e) <= sizeof(expires_key) - 1 ||
	    memcmp(e, expires_key, sizeof(expires_key) - 1) != 0)
		return 0;
	e += sizeof(expires_key) - 1;
	nlen = (size_t)(s + len - e);
	/* Digits only: no sign, no space, at most 19 (fits a long long). */
	if (nlen == 0 || nlen > 19)
		return 0;
	for (i = 0; i < nlen; i++)
		if (!isdigit((unsigned char)e[i]))
			return 0;
	memcpy(out->holder, h, hlen);
	out->holder[hlen] = '\0';
	if (!ad_lease_holder_valid(out->holder)) {
		out->holder[0] = '\0';
		return 0;
	}
	memcpy(num, e, nlen);
	num[nlen] = '\0';
	errno = 0;
	out->expires = strtoll(num, NULL, 10);
	if (errno != 0) {
		out->holder[0] = '\0';
		return 0;
	}
	memcpy(out->raw, s, len);
	out->raw[len] = '\0';
	out->valid = 1;
	return 1;
}

int
ad_lease_format(const char *holder, long long expires, char *buf, size_t size)
{
	int n;

	if (!ad_lease_holder_valid(holder) || expires < 0)
		return 0;
	n = snprintf(buf, size, "%s%s%s%lld", holder_key, holder, expires_key,
	    expires);
	return n > 0 && (size_t)n < size;
}

static enum sb_status
keep_entry(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct dirobj **slot = arg;

	(void)err;
	dirobj_free(*slot);
	*slot = o;
	return SB_OK;
}

enum sb_status
ad_lease_read(struct ad_conn *c, const char *dn, struct ad_lease *out,
    struct sb_error *err)
{
	static const char *const attrs[] = { AD_LEASE_ATTR,
		"allowedAttributesEffective", NULL };
	const struct dirattr *a, *w;
	size_t i;
	struct dirobj *o = NULL;
	struct ad_lease l;
	enum sb_status st;

	memset(&l, 0, sizeof(l));
	st = ad_search(c, dn, AD_SCOPE_BASE, "(objectClass=*)", attrs,
	    keep_entry, &o, err);
	if (st != SB_OK)
		goto done;
	if (o == NULL) {
		st = sb_fail(err, SB_SKIP, LDAP_NO_SUCH_OBJECT, "ad.lease",
		    "%s: no such object (daemon.lease_dn)", dn);
		goto done;
	}
	a = dirobj_get(o, AD_LEASE_ATTR);
	/* Single-valued: a second value is no lease anyone wrote. */
	if (a != NULL && a->nvals > 0 &&
	    (!ad_lease_parse(a->vals[0].p, a->vals[0].len, &l) ||
		a->nvals > 1)) {
		l.valid = 0;
		l.present = 1;
	}
	w = dirobj_get(o, "allowedAttributesEffective");
	for (i = 0; w != NULL && i < w->nvals; i++)
		if (w->vals[i].len == sizeof(AD_LEASE_ATTR) - 1 &&
		    strncasecmp((const char *)w->vals[i].p, AD_LEASE_ATTR,
			w->vals[i].len) == 0)
			l.writable = 1;
	*out = l;
done:
	dirobj_free(o);
	return st;
}

/*
 * A lost race: the value deleted is gone, or the one added is there.  The
 * status too, for Samba's rc 16 on an attribute its schema lacks is no
 * race (errmap.c).
 */
static int
lost_race(enum sb_status st, int code)
{
	if (st != SB_RESYNC && st != SB_SKIP)
		return 0;
	return code == LDAP_NO_SUCH_ATTRIBUTE ||
	    code == LDAP_TYPE_OR_VALUE_EXISTS ||
	    code == LDAP_CONSTRAINT_VIOLATION;
}

enum sb_status
ad_lease_swap(struct ad_conn *c, const char *dn, const struct ad_lease *old,
    const char *value, int *won, struct sb_error *err)
{
	struct sb_bytes oldv = { NULL, 0 }, newv = { NULL, 0 };
	struct ad_mod mods[2];
	struct sb_error merr;
	enum sb_status st;
	size_t n = 0;

	*won = 0;
	if (old != NULL && old->present && !old->valid)
		return sb_fail(err, SB_BUG, 0, "ad.lease",
		    "%s: refusing to "
		    "replace a value that is no lease",
		    dn);
	/* Delete the value read, not the attribute: the compare of the swap. */
	if (old != NULL && old->present) {
		oldv.p = (unsigned char *)(uintptr_t)old->raw;
		oldv.len = strlen(old->raw);
		mods[n++] = (struct ad_mod){ AD_LEASE_ATTR, AD_MOD_DELETE,
			&oldv, 1 };
	}
	if (value != NULL) {
		newv.p = (unsigned char *)(uintptr_t)value;
		newv.len = strlen(value);
		mods[n++] = (struct ad_mod){ AD_LEASE_ATTR, AD_MOD_ADD, &newv,
			1 };
	}
	if (n == 0)
		return sb_fail(err, SB_BUG, 0, "ad.lease",
		    "%s: nothing to "
		    "swap",
		    dn);
	memset(&merr, 0, sizeof(merr));
	st = ad_modify(c, dn, mods, n, &merr);
	if (st == SB_OK)
		*won = 1;
	else if (lost_race(st, merr.code))
		st = SB_OK;
	else
		*err = merr;
	return st;
}
