/*
 * What a connection learned at connect: the rootDSE's facts, and which
 * database the DC serves: the invocationId of its NTDS Settings object.
 * USNs are per database, and a restored or rebuilt DC keeps its name but
 * gets a new invocationId, so a watermark is kept with it
 * (ad-writeback.md: uSNChanged is per DC).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "ldap/conn.h"
#include "ldap/internal.h"
#include "ldap/trace.h"
#include "mapping/log.h"
#include "mapping/codec.h"

enum sb_status
ad_read_invocation_id(struct ad_conn *c, const char *server_dn, char *out,
    struct sb_error *err)
{
	char *attrs[] = { "invocationId", NULL };
	struct ad_errctx ctx;
	struct berval **vals = NULL;
	LDAPMessage *res = NULL, *e;
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	int rc, msgid = -1;

	out[0] = '\0';
	if (server_dn == NULL) /* not an AD DC's rootDSE: unknown */
		return SB_OK;
	ad_conn_ctx(c, &ctx, "ad.invocation", "read the DC's invocationId",
	    server_dn, "invocationId");
	if ((st = ad_conn_check(c, &ctx, err)) != SB_OK)
		goto done;
	rc = ldap_search_ext(c->ld, server_dn, LDAP_SCOPE_BASE,
	    "(objectClass=*)", attrs, 0, NULL, NULL, NULL, 0, &msgid);
	if (rc != LDAP_SUCCESS) {
		st = ad_conn_fail(c, rc, &ctx, err);
		goto done;
	}
	if ((st = ad_conn_wait(c, msgid, 0, &res, &ctx, err)) != SB_OK ||
	    (st = ad_conn_result(c, res, NULL, &ctx, err)) != SB_OK)
		goto done;
	e = ldap_first_entry(c->ld, res);
	if (e != NULL)
		vals = ldap_get_values_len(c->ld, e, "invocationId");
	if (vals != NULL && vals[0] != NULL)
		st = map_guid_to_text(vals[0]->bv_val, vals[0]->bv_len, out,
		    MAP_GUID_TEXT_SIZE, err);
done:
	if (st != SB_OK)
		out[0] = '\0';
	ad_trace_op("invocation", server_dn, NULL, st, err, t0);
	ldap_value_free_len(vals);
	ldap_msgfree(res);
	return st;
}

enum sb_status
ad_conn_name_set(struct ad_conn *c, struct sb_error *err)
{
	const char *host = c->dns_host ? c->dns_host : "no dnsHostName";
	size_t n = strlen(c->uri) + strlen(host) + 4;

	free(c->name);
	c->name = malloc(n);
	if (c->name == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "ad.connect",
		    "out of memory");
	snprintf(c->name, n, "%s (%s)", c->uri, host);
	return SB_OK;
}

const char *
ad_conn_default_nc(const struct ad_conn *c)
{
	return c->default_nc;
}

const char *
ad_conn_schema_nc(const struct ad_conn *c)
{
	return c->schema_nc;
}

const char *
ad_conn_dns_host(const struct ad_conn *c)
{
	return c->dns_host;
}

const char *
ad_conn_uri(const struct ad_conn *c)
{
	return c->uri;
}

const char *
ad_conn_bound(const struct ad_conn *c)
{
	return c->bound != NULL ? c->bound : "";
}

unsigned long long
ad_conn_usn(const struct ad_conn *c)
{
	return c->usn;
}

const char *
ad_conn_invocation_id(const struct ad_conn *c)
{
	return c->invocation_id;
}

void
ad_conn_log(const struct ad_conn *c, int starttls, int gssapi)
{
	char qhost[AD_TRACE_QBUF], qdn[AD_TRACE_QBUF], quri[AD_TRACE_QBUF];
	char qbound[AD_TRACE_QBUF];

	log_info("ad.connect uri=%s bind=%s bind_dn=%s bound=%s tls=%s "
		 "host=%s usn=%llu invocation_id=%s result=ok",
	    ad_trace_qstr(quri, sizeof(quri), c->uri),
	    gssapi ? "gssapi" : "simple",
	    ad_trace_qstr(qdn, sizeof(qdn), c->bind_dn),
	    ad_trace_qstr(qbound, sizeof(qbound), ad_conn_bound(c)),
	    starttls   ? "starttls" :
		c->tls ? "ldaps" :
			 "none-sasl-sealed",
	    ad_trace_qstr(qhost, sizeof(qhost), c->dns_host), c->usn,
	    c->invocation_id);
}
