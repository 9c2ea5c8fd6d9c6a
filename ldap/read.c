/* Converts an LDAP entry into a struct dirobj: anchors checked, values byte-exact. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/log.h"
#include "ldap/internal.h"
#include "ldap/range.h"
#include "ldap/read.h"
#include "ldap/trace.h"

static int
val_is(const struct sb_bytes *v, const char *s)
{
	size_t n = strlen(s);

	return v->len == n && strncasecmp((const char *)v->p, s, n) == 0;
}

enum dirobj_kind
ad_read_kind(const struct dirobj *o)
{
	const struct dirattr *oc = dirobj_get(o, "objectClass");
	int user = 0, group = 0, contact = 0;
	size_t i;

	for (i = 0; oc != NULL && i < oc->nvals; i++) {
		/* computer, msDS-(Group)ManagedServiceAccount derive from it */
		if (val_is(&oc->vals[i], "computer"))
			return DIROBJ_OTHER;
		if (val_is(&oc->vals[i], "user"))
			user = 1;
		else if (val_is(&oc->vals[i], "group"))
			group = 1;
		else if (val_is(&oc->vals[i], "contact"))
			contact = 1;
	}
	if (group)
		return DIROBJ_GROUP;
	if (user)
		return DIROBJ_USER;
	if (contact)
		return DIROBJ_CONTACT;
	return DIROBJ_OTHER;
}

int
ad_read_sid_valid(const void *p, size_t len)
{
	const unsigned char *s = p;

	/* MS-DTYP 2.4.2.2: revision 1, count <= 15, 6-byte authority, 4 bytes each. */
	return p != NULL && len >= 8 && len <= AD_READ_SID_MAX && s[0] == 1 &&
	    s[1] <= 15 && len == 8 + 4 * (size_t)s[1];
}

static size_t
nvals(struct berval *const *vals)
{
	size_t n = 0;

	while (vals != NULL && vals[n] != NULL)
		n++;
	return n;
}

static const char *
dn_of(const struct dirobj *o)
{
	return o->dn ? o->dn : "(no dn)";
}

static enum sb_status
pending_add(struct ad_read_pending *pending, const char *name, size_t len,
    const struct dirobj *o, struct sb_error *err)
{
	size_t i;
	char *copy;

	for (i = 0; i < pending->n; i++)
		if (strlen(pending->names[i]) == len &&
		    strncasecmp(pending->names[i], name, len) == 0)
			return SB_OK;
	if (pending->n == AD_READ_MAX_RANGED)
		return sb_fail(err, SB_SKIP, 0, "ad.read",
		    "%s: more than %d ranged attributes", dn_of(o),
		    AD_READ_MAX_RANGED);
	copy = strndup(name, len);
	if (copy == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "ad.read", "out of memory");
	pending->names[pending->n++] = copy;
	return SB_OK;
}

void
ad_read_pending_free(struct ad_read_pending *pending)
{
	size_t i;

	for (i = 0; i < pending->n; i++)
		free(pending->names[i]);
	pending->n = 0;
}

static enum sb_status
store(struct dirobj *o, const char *name, size_t namelen,
    struct berval *const *vals, struct sb_error *err)
{
	char *plain = NULL;
	enum sb_status st;
	size_t i;

	plain = strndup(name, namelen);
	if (plain == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.read", "out of memory");
		goto done;
	}
	st = dirobj_touch(o, plain, err);
	for (i = 0; st == SB_OK && vals != NULL && vals[i] != NULL; i++)
		st = dirobj_add_value(o, plain, vals[i]->bv_val,
		    vals[i]->bv_len, err);
done:
	free(plain);
	return st;
}

enum sb_status
ad_read_attr(struct dirobj *o, const char *name, struct berval *const *vals,
    struct ad_read_pending *pending, struct sb_error *err)
{
	struct ad_range r;
	size_t n = nvals(vals);
	int pr;

	if (strcasecmp(name, "objectGUID") == 0) {
		if (n != 1 || vals[0]->bv_len != AD_READ_GUID_LEN)
			return sb_fail(err, SB_SKIP, 0, "ad.read",
			    "%s: objectGUID is %zu bytes (%zu values), expected "
			    "one of %d", dn_of(o), n ? (size_t)vals[0]->bv_len : 0, n,
			    AD_READ_GUID_LEN);
		sb_bytes_free(&o->guid);
		return sb_bytes_copy(&o->guid, vals[0]->bv_val,
		    vals[0]->bv_len, err);
	}
	if (strcasecmp(name, "mS-DS-ConsistencyGuid") == 0) {
		if (n != 1 || vals[0]->bv_len != AD_READ_GUID_LEN) {
			char qdn[AD_TRACE_QBUF];

			/*
			 * Written by someone else, not a GUID: joining on it
			 * would be wrong, dropping the object worse.  The
			 * join falls back to objectGUID.
			 */
			log_warn("ad.read dn=%s attr=mS-DS-ConsistencyGuid "
			    "problem=\"%zu bytes, expected %d\" result=ignored",
			    ad_trace_qstr(qdn, sizeof(qdn), o->dn),
			    n ? (size_t)vals[0]->bv_len : 0,
			    AD_READ_GUID_LEN);
			return SB_OK;
		}
		sb_bytes_free(&o->consistency_guid);
		return sb_bytes_copy(&o->consistency_guid, vals[0]->bv_val,
		    vals[0]->bv_len, err);
	}
	if (strcasecmp(name, "objectSid") == 0) {
		if (n != 1 || !ad_read_sid_valid(vals[0]->bv_val,
		    vals[0]->bv_len))
			return sb_fail(err, SB_SKIP, 0, "ad.read",
			    "%s: objectSid is not a valid SID (%zu bytes)",
			    dn_of(o), n ? (size_t)vals[0]->bv_len : 0);
		sb_bytes_free(&o->sid);
		return sb_bytes_copy(&o->sid, vals[0]->bv_val, vals[0]->bv_len,
		    err);
	}
	pr = ad_range_parse(name, &r);
	if (pr < 0)
		return sb_fail(err, SB_SKIP, 0, "ad.read",
		    "%s: malformed ranged attribute \"%.80s\"", dn_of(o), name);
	if (pr == 0)
		return store(o, name, strlen(name), vals, err);
	if (r.start == 0 && r.end_star)
		return store(o, name, r.baselen, vals, err);
	return pending_add(pending, name, r.baselen, o, err);
}

void
ad_read_finish(struct dirobj *o)
{
	static const char *const names[] = { "displayName", "cn", "name" };
	const char *s;
	size_t i;

	o->kind = ad_read_kind(o);
	if (o->display_name != NULL)
		return;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		s = dirobj_get_str(o, names[i]);
		if (s != NULL && *s != '\0') {
			/* Out of memory only leaves it unset: it is for display. */
			(void)dirobj_set_str(&o->display_name, s, NULL);
			return;
		}
	}
}

enum sb_status
ad_read_entry(struct ad_conn *c, LDAPMessage *e, struct dirobj **out,
    struct sb_error *err)
{
	struct ad_read_pending pending = { .n = 0 };
	struct dirobj *o = NULL;
	struct berval **vals = NULL;
	BerElement *ber = NULL;
	char *dn = NULL, *a = NULL;
	enum sb_status st;
	size_t i;

	o = dirobj_new(DIROBJ_OTHER);
	if (o == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.read", "out of memory");
		goto done;
	}
	dn = ldap_get_dn(c->ld, e);
	if (dn == NULL) {
		st = sb_fail(err, SB_RETRY, 0, "ad.read",
		    "an entry from %s has no DN", c->uri);
		goto done;
	}
	if ((st = dirobj_set_str(&o->dn, dn, err)) != SB_OK)
		goto done;
	for (a = ldap_first_attribute(c->ld, e, &ber); a != NULL;
	    a = ldap_next_attribute(c->ld, e, ber)) {
		vals = ldap_get_values_len(c->ld, e, a);
		st = ad_read_attr(o, a, vals, &pending, err);
		if (st != SB_OK)
			goto done;
		ldap_value_free_len(vals);
		vals = NULL;
		ldap_memfree(a);
	}
	for (i = 0; i < pending.n; i++) {
		st = ad_read_ranged(c, o->dn, pending.names[i], o, err);
		if (st != SB_OK)
			goto done;
	}
	ad_read_finish(o);
	*out = o;
	o = NULL;
	st = SB_OK;
done:
	ad_read_pending_free(&pending);
	ldap_value_free_len(vals);
	ldap_memfree(a);
	ber_free(ber, 0);
	ldap_memfree(dn);
	dirobj_free(o);
	return st;
}
