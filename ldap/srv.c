/* DCs from DNS SRV records: parse, order (RFC 2782), ask the resolver. */
#include <netinet/in.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/log.h"
#include "ldap/srv.h"

#define AD_SRV_LDAPS_PORT 636
#define AD_SRV_ANSWER_MAX 65536

/* One SRV record's RDATA (priority, weight, port, target) into *r. */
static enum sb_status
parse_rr(const ns_msg *m, const ns_rr *rr, struct ad_srv *r,
    struct sb_error *err)
{
	const unsigned char *rd = ns_rr_rdata(*rr);
	size_t tl;

	if (ns_rr_rdlen(*rr) < 7)
		return sb_fail(err, SB_RETRY, 0, "ad.srv",
		    "an SRV record of %u bytes is too short", ns_rr_rdlen(*rr));
	r->priority = ns_get16(rd);
	r->weight = ns_get16(rd + 2);
	r->port = ns_get16(rd + 4);
	if (ns_name_uncompress(ns_msg_base(*m), ns_msg_end(*m), rd + 6,
		r->target, sizeof(r->target)) < 0)
		return sb_fail(err, SB_RETRY, 0, "ad.srv",
		    "an SRV record's target name does not parse");
	tl = strlen(r->target);
	if (tl > 0 && r->target[tl - 1] == '.')
		r->target[tl - 1] = '\0';
	/*
	 * DNS is an input: a target becomes part of an LDAP URI, so anything
	 * but a host name (letters, digits, '-', '.') is left out, not used.
	 */
	if (strspn(r->target,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
		"VWXYZ0123456789-.") != strlen(r->target)) {
		log_warn("ad.srv target=\"%.80s\" result=skipped (not a host "
			 "name)",
		    r->target);
		r->target[0] = '\0';
	}
	return SB_OK;
}

enum sb_status
ad_srv_parse(const unsigned char *msg, int len, struct ad_srv **out, size_t *n,
    struct sb_error *err)
{
	struct ad_srv *v = NULL;
	ns_msg m;
	ns_rr rr;
	int i, count;
	size_t k = 0;
	enum sb_status st = SB_OK;

	*out = NULL;
	*n = 0;
	if (ns_initparse(msg, len, &m) < 0)
		return sb_fail(err, SB_RETRY, errno, "ad.srv",
		    "the DNS reply (%d bytes) does not parse", len);
	count = ns_msg_count(m, ns_s_an);
	v = calloc(count > 0 ? (size_t)count : 1, sizeof(*v));
	if (v == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "ad.srv", "out of memory");
	for (i = 0; i < count && st == SB_OK; i++) {
		if (ns_parserr(&m, ns_s_an, i, &rr) < 0) {
			st = sb_fail(err, SB_RETRY, errno, "ad.srv",
			    "answer "
			    "%d of %d in the DNS reply does not parse",
			    i + 1, count);
			break;
		}
		if (ns_rr_type(rr) != ns_t_srv || ns_rr_class(rr) != ns_c_in)
			continue; /* a CNAME on the way, say */
		st = parse_rr(&m, &rr, &v[k], err);
		if (st == SB_OK && v[k].target[0] != '\0')
			k++; /* "." is "not here": left out */
	}
	if (st != SB_OK) {
		free(v);
		return st;
	}
	*out = v;
	*n = k;
	return SB_OK;
}

/*
 * By priority, weight 0 first within one (RFC 2782: so that a running sum
 * of 0 can still pick them); stable, so equal records keep the reply's
 * order and the picks depend on the random source alone.
 */
static int
before(const struct ad_srv *a, const struct ad_srv *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->weight == 0 && b->weight != 0;
}

static void
sort_stable(struct ad_srv *v, size_t n)
{
	struct ad_srv t;
	size_t i, k;

	/* An insertion sort: a reply holds a few dozen records at most. */
	for (i = 1; i < n; i++) {
		t = v[i];
		for (k = i; k > 0 && before(&t, &v[k - 1]); k--)
			v[k] = v[k - 1];
		v[k] = t;
	}
}

/* Orders v[0..n-1] (one priority) by weighted random picks. */
static void
order_group(struct ad_srv *v, size_t n, ad_srv_rand rnd, void *arg)
{
	struct ad_srv t;
	unsigned long total, sum, pick;
	size_t i, k;

	for (i = 0; i + 1 < n; i++) {
		total = 0;
		for (k = i; k < n; k++)
			total += v[k].weight;
		pick = rnd(arg, total);
		if (pick > total)
			pick = total;
		sum = 0;
		for (k = i; k < n; k++) {
			sum += v[k].weight;
			if (sum >= pick)
				break;
		}
		if (k == n)
			k = n - 1;
		t = v[k];
		memmove(&v[i + 1], &v[i], (k - i) * sizeof(*v));
		v[i] = t;
	}
}

void
ad_srv_order(struct ad_srv *v, size_t n, ad_srv_rand rnd, void *arg)
{
	size_t i, j;

	sort_stable(v, n);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].priority == v[i].priority; j++)
			;
		order_group(v + i, j - i, rnd, arg);
	}
}

static unsigned long
system_rand(void *arg, unsigned long bound)
{
	(void)arg;
	if (bound >= 0xffffffffUL)
		return arc4random();
	return arc4random_uniform((unsigned int)bound + 1);
}

/* h_errno of a failed query as words an admin can act on. */
static const char *
herr_text(int h)
{
	switch (h) {
	case HOST_NOT_FOUND:
		return "no such name (NXDOMAIN)";
	case NO_DATA:
		return "the name has no SRV record";
	case TRY_AGAIN:
		return "no answer from the DNS servers (try again)";
	}
	return "the DNS query failed";
}

enum sb_status
ad_srv_lookup(const char *domain, void (*prep)(void *), struct ad_srv **out,
    size_t *n, struct sb_error *err)
{
	struct __res_state rs;
	unsigned char *ans = NULL;
	char name[AD_SRV_HOST_MAX + sizeof(AD_SRV_PREFIX)];
	enum sb_status st;
	int len;

	*out = NULL;
	*n = 0;
	if (strlen(domain) >= AD_SRV_HOST_MAX)
		return sb_fail(err, SB_CONFIG, 0, "ad.srv",
		    "ldap.domain is too long");
	snprintf(name, sizeof(name), "%s%s", AD_SRV_PREFIX, domain);
	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) != 0)
		return sb_fail(err, SB_RETRY, 0, "ad.srv",
		    "cannot set up the "
		    "DNS resolver (/etc/resolv.conf) to look up %s",
		    name);
	if (prep != NULL)
		prep(&rs);
	ans = malloc(AD_SRV_ANSWER_MAX);
	if (ans == NULL) {
		res_nclose(&rs);
		return sb_fail(err, SB_BUG, ENOMEM, "ad.srv", "out of memory");
	}
	len = res_nquery(&rs, name, ns_c_in, ns_t_srv, ans, AD_SRV_ANSWER_MAX);
	if (len < 0)
		st = sb_fail(err, SB_RETRY, rs.res_h_errno, "ad.srv",
		    "no domain controller found for ldap.domain %s: DNS SRV "
		    "%s: %s",
		    domain, name, herr_text(rs.res_h_errno));
	else
		st = ad_srv_parse(ans,
		    len > AD_SRV_ANSWER_MAX ? AD_SRV_ANSWER_MAX : len, out, n,
		    err);
	if (st == SB_OK && *n == 0)
		st = sb_fail(err, SB_RETRY, 0, "ad.srv",
		    "no domain "
		    "controller found for ldap.domain %s: DNS SRV %s has no "
		    "usable record",
		    domain, name);
	if (st == SB_OK)
		ad_srv_order(*out, *n, system_rand, NULL);
	if (st != SB_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	free(ans);
	res_nclose(&rs);
	return st;
}

enum sb_status
ad_srv_uris(const struct ad_srv *v, size_t n, int starttls, char ***uris,
    struct sb_error *err)
{
	char **u;
	size_t i, len;

	*uris = NULL;
	u = calloc(n + 1, sizeof(*u));
	if (u == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "ad.srv", "out of memory");
	for (i = 0; i < n; i++) {
		len = strlen(v[i].target) + 32;
		u[i] = malloc(len);
		if (u[i] == NULL) {
			ad_srv_uris_free(u);
			return sb_fail(err, SB_BUG, ENOMEM, "ad.srv",
			    "out of memory");
		}
		/* The record gives the LDAP port; LDAPS is on 636 beside it. */
		if (starttls)
			snprintf(u[i], len, "ldap://%s:%u", v[i].target,
			    v[i].port);
		else
			snprintf(u[i], len, "ldaps://%s:%d", v[i].target,
			    AD_SRV_LDAPS_PORT);
	}
	*uris = u;
	return SB_OK;
}

void
ad_srv_uris_free(char **uris)
{
	size_t i;

	for (i = 0; uris != NULL && uris[i] != NULL; i++)
		free(uris[i]);
	free(uris);
}
