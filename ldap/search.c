/* Paged searches: an ldap_result() loop per page, entries converted and handed on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/log.h"
#include "ldap/internal.h"
#include "ldap/search.h"
#include "ldap/trace.h"

/* What one search has done so far, for the debug line. */
struct search_state {
	unsigned long	 entries;
	unsigned long	 refs;
	unsigned long	 pages;
};

void
ad_search_set_page_size(struct ad_conn *c, int n)
{
	c->page_size = n > 0 ? n : 0;
}

/* attrs plus objectClass when it is missing (NULL or "*": all, nothing to add). */
static enum sb_status
attrs_with_class(const char *const *attrs, char ***out, struct sb_error *err)
{
	char **list;
	size_t n, i;
	int has = 0;

	*out = NULL;
	if (attrs == NULL)
		return SB_OK;
	for (n = 0; attrs[n] != NULL; n++)
		if (strcmp(attrs[n], "*") == 0 ||
		    strcasecmp(attrs[n], "objectClass") == 0)
			has = 1;
	list = calloc(n + 2, sizeof(*list));
	if (list == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "ad.search", "out of memory");
	/* libldap's prototype is not const-correct; it only reads them. */
	for (i = 0; i < n; i++)
		list[i] = (char *)attrs[i];
	if (!has)
		list[n] = (char *)"objectClass";
	*out = list;
	return SB_OK;
}

/* Handles one message of a page; *last when it was the page's result. */
static enum sb_status
on_message(struct ad_conn *c, LDAPMessage *msg, ad_entry_cb cb, void *arg,
    struct berval *cookie, int *last, struct search_state *ss,
    const struct ad_errctx *ctx, struct sb_error *err)
{
	LDAPControl **ctrls = NULL, *pc;
	struct dirobj *o = NULL;
	struct berval next = { 0, NULL };
	enum sb_status st = SB_OK;
	ber_int_t estimate = 0;
	int rc;

	switch (ldap_msgtype(msg)) {
	case LDAP_RES_SEARCH_ENTRY:
		st = ad_read_entry(c, msg, &o, err);
		if (st != SB_OK)
			goto done;
		ss->entries++;
		st = cb(o, arg, err);	/* takes o */
		o = NULL;
		break;
	case LDAP_RES_SEARCH_REFERENCE:
		/* Other partitions (DomainDnsZones, Configuration): not ours. */
		ss->refs++;
		break;
	case LDAP_RES_SEARCH_RESULT:
		*last = 1;
		ss->pages++;
		st = ad_conn_result(c, msg, &ctrls, ctx, err);
		if (st != SB_OK)
			goto done;
		ber_memfree(cookie->bv_val);
		cookie->bv_val = NULL;
		cookie->bv_len = 0;
		pc = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
		if (pc == NULL)
			break;	/* no paging in the reply: that was all */
		rc = ldap_parse_pageresponse_control(c->ld, pc, &estimate,
		    &next);
		if (rc != LDAP_SUCCESS) {
			st = ad_conn_fail(c, rc, ctx, err);
			goto done;
		}
		*cookie = next;
		break;
	default:
		st = sb_fail(err, SB_BUG, 0, ctx->where,
		    "search under %s: unexpected message type 0x%x",
		    ctx->dn ? ctx->dn : "", ldap_msgtype(msg));
		break;
	}
done:
	dirobj_free(o);
	ldap_controls_free(ctrls);
	return st;
}

/* Sends one page request and consumes its messages. */
static enum sb_status
search_page(struct ad_conn *c, const char *base, int scope,
    const char *filter, char **attrs, ad_entry_cb cb, void *arg,
    struct berval *cookie, struct search_state *ss,
    const struct ad_errctx *ctx, struct sb_error *err)
{
	LDAPControl *page = NULL, *sctrls[2] = { NULL, NULL };
	LDAPMessage *msg = NULL;
	enum sb_status st;
	int rc, msgid = -1, last = 0;
	int size = c->page_size > 0 ? c->page_size : AD_SEARCH_PAGE_SIZE;

	rc = ldap_create_page_control(c->ld, size,
	    cookie->bv_len > 0 ? cookie : NULL, 1, &page);
	if (rc != LDAP_SUCCESS) {
		st = ad_conn_fail(c, rc, ctx, err);
		goto done;
	}
	sctrls[0] = page;
	rc = ldap_search_ext(c->ld, base, scope, filter, attrs, 0, sctrls,
	    NULL, NULL, LDAP_NO_LIMIT, &msgid);
	if (rc != LDAP_SUCCESS) {
		msgid = -1;
		st = ad_conn_fail(c, rc, ctx, err);
		goto done;
	}
	st = SB_OK;
	while (!last) {
		st = ad_conn_wait(c, msgid, 1, &msg, ctx, err);
		if (st != SB_OK) {
			msgid = -1;	/* abandoned or lost already */
			goto done;
		}
		st = on_message(c, msg, cb, arg, cookie, &last, ss, ctx, err);
		ldap_msgfree(msg);
		msg = NULL;
		if (st != SB_OK)
			goto done;
	}
done:
	if (st != SB_OK && msgid != -1 && !last)
		ldap_abandon_ext(c->ld, msgid, NULL, NULL);
	ldap_msgfree(msg);
	ldap_control_free(page);
	return st;
}

static int
scope_ldap(int scope)
{
	switch (scope) {
	case AD_SCOPE_BASE:	return LDAP_SCOPE_BASE;
	case AD_SCOPE_ONE:	return LDAP_SCOPE_ONELEVEL;
	case AD_SCOPE_SUB:	return LDAP_SCOPE_SUBTREE;
	}
	return -1;
}

static const char *
scope_name(int scope)
{
	switch (scope) {
	case AD_SCOPE_BASE:	return "base";
	case AD_SCOPE_ONE:	return "one";
	case AD_SCOPE_SUB:	return "sub";
	}
	return "?";
}

enum sb_status
ad_search(struct ad_conn *c, const char *base, int scope, const char *filter,
    const char *const *attrs, ad_entry_cb cb, void *arg,
    struct sb_error *err)
{
	struct search_state ss = { 0, 0, 0 };
	struct berval cookie = { 0, NULL };
	struct ad_errctx ctx;
	char **list = NULL, qf[AD_TRACE_QBUF], extra[AD_TRACE_QBUF + 128];
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	int lscope = scope_ldap(scope);

	ad_conn_ctx(c, &ctx, "ad.search", "search under", base, NULL);
	if (base == NULL || lscope < 0 || cb == NULL) {
		st = sb_fail(err, SB_BUG, 0, "ad.search",
		    "search: bad arguments (base %s, scope %d)",
		    base ? base : "NULL", scope);
		goto done;
	}
	if ((st = ad_conn_check(c, &ctx, err)) != SB_OK)
		goto done;
	if ((st = attrs_with_class(attrs, &list, err)) != SB_OK)
		goto done;
	if (filter == NULL || *filter == '\0')
		filter = "(objectClass=*)";
	do {
		if (ss.pages >= AD_SEARCH_MAX_PAGES) {
			st = sb_fail(err, SB_SKIP, 0, "ad.search",
			    "search under %s: more than %d pages", base,
			    AD_SEARCH_MAX_PAGES);
			goto done;
		}
		/*
		 * Samba sends a cookie with the last full page and then an
		 * empty page: the loop ends on the empty cookie either way.
		 */
		st = search_page(c, base, lscope, filter, list, cb, arg,
		    &cookie, &ss, &ctx, err);
		if (st != SB_OK)
			goto done;
	} while (cookie.bv_len > 0);
	st = SB_OK;
done:
	snprintf(extra, sizeof(extra),
	    "scope=%s filter=%s entries=%lu refs=%lu pages=%lu",
	    scope_name(scope), ad_trace_qstr(qf, sizeof(qf), filter),
	    ss.entries, ss.refs, ss.pages);
	ad_trace_op("search", base, extra, st, err, t0);
	ber_memfree(cookie.bv_val);
	free(list);
	return st;
}
