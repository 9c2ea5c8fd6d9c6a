/* Range retrieval: "member;range=N-M" windows until one ends in "*". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap/internal.h"
#include "ldap/range.h"
#include "ldap/trace.h"

static const char range_opt[] = ";range=";

/* Decimal digits at *s into *v; 0 when none or on overflow. */
static int
parse_ulong(const char **s, unsigned long *v)
{
	unsigned long n = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (~0UL - (unsigned long)(*p - '0')) / 10)
			return 0;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	*s = p;
	*v = n;
	return 1;
}

int
ad_range_parse(const char *attr, struct ad_range *r)
{
	const char *p, *opt = NULL;
	struct ad_range got = { 0 };
	size_t n = sizeof(range_opt) - 1;

	for (p = attr; *p != '\0'; p++) {
		if (*p == ';' && strncasecmp(p, range_opt, n) == 0) {
			opt = p;
			break;
		}
	}
	if (opt == NULL)
		return 0;
	got.baselen = (size_t)(opt - attr);
	if (got.baselen == 0)
		return -1;
	p = opt + n;
	if (!parse_ulong(&p, &got.start) || *p++ != '-')
		return -1;
	if (*p == '*') {
		got.end_star = 1;
		p++;
	} else if (!parse_ulong(&p, &got.end) || got.end < got.start) {
		return -1;
	}
	/* Another option may follow (";binary"); nothing else may. */
	if (*p != '\0' && *p != ';')
		return -1;
	*r = got;
	return 1;
}

/* Does the returned description name attr, ranged or not? */
static int
names_attr(const char *got, const char *attr, struct ad_range *r, int *ranged)
{
	int pr = ad_range_parse(got, r);

	if (pr < 0)
		return -1;
	*ranged = pr;
	if (pr == 0)
		return strcasecmp(got, attr) == 0;
	return r->baselen == strlen(attr) &&
	    strncasecmp(got, attr, r->baselen) == 0;
}

/* One window being read: what was asked and what came back. */
struct window {
	const char	*dn;
	const char	*attr;
	unsigned long	 start;		/* asked from */
	struct dirobj	*tmp;		/* every value so far */
	unsigned long	 next;		/* where the next window starts */
	int		 done;		/* ended in "*", or attr is absent */
	int		 found;		/* the attribute came back */
};

/*
 * Asks for one window, "attr;range=start-(start+STEP-1)", and waits for
 * its result: *res is the caller's to free, also on failure.
 */
static enum sb_status
search_window(struct ad_conn *c, const struct window *w,
    const struct ad_errctx *ctx, LDAPMessage **res, struct sb_error *err)
{
	char want[256], *attrs[2] = { want, NULL };
	enum sb_status st;
	int rc, msgid = -1;

	if ((st = ad_conn_check(c, ctx, err)) != SB_OK)
		return st;
	if ((size_t)snprintf(want, sizeof(want), "%s;range=%lu-%lu", w->attr,
	    w->start, w->start + AD_RANGE_STEP - 1) >= sizeof(want))
		return sb_fail(err, SB_BUG, 0, "ad.range",
		    "attribute name too long: %.64s", w->attr);
	rc = ldap_search_ext(c->ld, w->dn, LDAP_SCOPE_BASE, "(objectClass=*)",
	    attrs, 0, NULL, NULL, NULL, 0, &msgid);
	if (rc != LDAP_SUCCESS)
		return ad_conn_fail(c, rc, ctx, err);
	if ((st = ad_conn_wait(c, msgid, 0, res, ctx, err)) != SB_OK)
		return st;
	return ad_conn_result(c, *res, NULL, ctx, err);
}

/*
 * One attribute description a of the window's entry e: when it names the
 * attribute read, its values go to w->tmp and, unless its range ends in
 * "*", w->next says where the next window starts.  A malformed range, or
 * one that does not start where asked (values changed during the read),
 * is SB_RESYNC.
 */
static enum sb_status
take_values(struct ad_conn *c, LDAPMessage *e, const char *a,
    struct window *w, struct sb_error *err)
{
	struct berval **vals = NULL;
	struct ad_range r;
	enum sb_status st = SB_OK;
	int hit, ranged;
	size_t i;

	hit = names_attr(a, w->attr, &r, &ranged);
	if (hit < 0)
		return sb_fail(err, SB_RESYNC, 0, "ad.range",
		    "ranged read of %s in %s: malformed range \"%.80s\"",
		    w->attr, w->dn, a);
	if (!hit)
		return SB_OK;
	if (ranged && r.start != w->start)
		return sb_fail(err, SB_RESYNC, 0, "ad.range",
		    "ranged read of %s in %s: asked from %lu, got from %lu "
		    "(values changed during the read)", w->attr, w->dn,
		    w->start, r.start);
	w->found = 1;
	vals = ldap_get_values_len(c->ld, e, a);
	for (i = 0; vals != NULL && vals[i] != NULL; i++) {
		if (w->start + i >= AD_RANGE_MAX_VALUES) {
			st = sb_fail(err, SB_SKIP, 0, "ad.range",
			    "%s of %s has more than %d values", w->attr,
			    w->dn, AD_RANGE_MAX_VALUES);
			goto done;
		}
		st = dirobj_add_value(w->tmp, w->attr, vals[i]->bv_val,
		    vals[i]->bv_len, err);
		if (st != SB_OK)
			goto done;
	}
	if (ranged && !r.end_star) {
		/* AD may return fewer than asked: go on after its end. */
		w->next = r.end + 1;
		w->done = 0;
	}
done:
	ldap_value_free_len(vals);
	return st;
}

/*
 * One window: asks from start, adds what comes back to tmp and says where
 * the next window starts (*done when the range ended in "*" or the
 * attribute is absent).
 */
static enum sb_status
read_window(struct ad_conn *c, const char *dn, const char *attr,
    unsigned long start, struct dirobj *tmp, unsigned long *next, int *done,
    struct sb_error *err)
{
	struct window w = { dn, attr, start, tmp, *next, 1, 0 };
	BerElement *ber = NULL;
	LDAPMessage *res = NULL, *e;
	struct ad_errctx ctx;
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	char *a = NULL, extra[320];

	ad_conn_ctx(c, &ctx, "ad.range", "ranged read of", dn, attr);
	if ((st = search_window(c, &w, &ctx, &res, err)) != SB_OK)
		goto done;
	e = ldap_first_entry(c->ld, res);
	if (e == NULL) {
		st = sb_fail(err, SB_RESYNC, 0, "ad.range",
		    "ranged read of %s in %s: the object is gone", attr, dn);
		goto done;
	}
	for (a = ldap_first_attribute(c->ld, e, &ber); a != NULL;
	    a = ldap_next_attribute(c->ld, e, ber)) {
		if ((st = take_values(c, e, a, &w, err)) != SB_OK)
			goto done;
		ldap_memfree(a);
	}
	/* A window past the end: absent.  Only the first may be empty. */
	if (!w.found && start > 0) {
		st = sb_fail(err, SB_RESYNC, 0, "ad.range",
		    "ranged read of %s in %s: nothing from %lu on (values "
		    "changed during the read)", attr, dn, start);
		goto done;
	}
	*next = w.next;
	*done = w.done;
	st = SB_OK;
done:
	snprintf(extra, sizeof(extra), "attr=%s start=%lu", attr, start);
	ad_trace_op("range", dn, extra, st, err, t0);
	ldap_memfree(a);
	ber_free(ber, 0);
	ldap_msgfree(res);
	return st;
}

enum sb_status
ad_read_ranged(struct ad_conn *c, const char *dn, const char *attr,
    struct dirobj *o, struct sb_error *err)
{
	struct dirobj *tmp = NULL;
	const struct dirattr *got;
	unsigned long start = 0, next = 0;
	enum sb_status st;
	size_t i;
	int done = 0;

	tmp = dirobj_new(DIROBJ_OTHER);
	if (tmp == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.range", "out of memory");
		goto done;
	}
	while (!done) {
		st = read_window(c, dn, attr, start, tmp, &next, &done, err);
		if (st != SB_OK)
			goto done;
		if (!done && next <= start) {
			st = sb_fail(err, SB_RESYNC, 0, "ad.range",
			    "ranged read of %s in %s made no progress at %lu",
			    attr, dn, start);
			goto done;
		}
		start = next;
	}
	dirobj_remove(o, attr);
	got = dirobj_get(tmp, attr);
	for (i = 0; got != NULL && i < got->nvals; i++) {
		st = dirobj_add_value(o, attr, got->vals[i].p, got->vals[i].len,
		    err);
		if (st != SB_OK)
			goto done;
	}
	st = SB_OK;
done:
	dirobj_free(tmp);
	return st;
}
