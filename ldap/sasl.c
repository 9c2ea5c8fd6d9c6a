/*
 * The SASL GSSAPI bind (Kerberos, through libldap and Cyrus SASL) and the
 * LDAP "Who am I?" that tells, after any bind, which identity the DC sees.
 */
#include <errno.h>
#include <sasl/sasl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap/internal.h"
#include "ldap/kerberos.h"
#include "ldap/trace.h"

/*
 * GSSAPI asks nothing but an authorization identity, which we leave empty:
 * the DC then acts as the principal itself.
 */
static int
interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	sasl_interact_t *it;

	(void)ld;
	(void)flags;
	(void)defaults;
	for (it = in; it->id != SASL_CB_LIST_END; it++) {
		it->result = "";
		it->len = 0;
	}
	return LDAP_SUCCESS;
}

/* The host of the connection's URI: the name the service ticket is for. */
static enum sb_status
uri_host(const struct ad_conn *c, char *out, size_t size, struct sb_error *err)
{
	LDAPURLDesc *lud = NULL;
	enum sb_status st = SB_OK;

	if (ldap_url_parse(c->uri, &lud) != LDAP_URL_SUCCESS ||
	    lud->lud_host == NULL || *lud->lud_host == '\0' ||
	    strlen(lud->lud_host) >= size)
		st = sb_fail(err, SB_CONFIG, 0, "ad.bind",
		    "ldap uri %s names "
		    "no DC host name, which a GSSAPI bind needs",
		    c->uri);
	else
		memcpy(out, lud->lud_host, strlen(lud->lud_host) + 1);
	ldap_free_urldesc(lud);
	return st;
}

/*
 * Security properties: inside TLS no SASL layer (AD refuses signing or
 * sealing within TLS); on plain ldap:// sealing, which AD and Samba demand
 * of a SASL bind without TLS and which keeps the traffic private.
 */
static enum sb_status
sasl_options(struct ad_conn *c, struct sb_error *err)
{
	const char *props = c->tls ? "maxssf=0" : "minssf=56";

	if (ldap_set_option(c->ld, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON) !=
		LDAP_OPT_SUCCESS ||
	    ldap_set_option(c->ld, LDAP_OPT_X_SASL_SECPROPS, props) !=
		LDAP_OPT_SUCCESS)
		return sb_fail(err, SB_CONFIG, 0, "ad.bind",
		    "cannot set the "
		    "SASL options (%s) for %s: is libsasl2 installed?",
		    props, c->uri);
	return SB_OK;
}

enum sb_status
ad_bind_gssapi(struct ad_conn *c, const char *keytab, const char *principal,
    struct sb_error *err)
{
	char host[256], who[512];
	struct ad_errctx ctx;
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	long long deadline = t0 + 1000LL * c->timeout_s;
	int rc;

	if ((st = uri_host(c, host, sizeof(host), err)) != SB_OK ||
	    (st = ad_krb_creds(keytab, principal, who, sizeof(who), err)) !=
		SB_OK)
		goto done;
	free(c->bind_dn);
	c->gssapi = 1;
	if ((c->bind_dn = strdup(who)) == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.bind", "out of memory");
		goto done;
	}
	if ((st = ad_krb_service(host, err)) != SB_OK ||
	    (st = sasl_options(c, err)) != SB_OK)
		goto done;
	ad_conn_ctx(c, &ctx, "ad.bind", "GSSAPI bind as", c->bind_dn, NULL);
	do
		rc = ldap_sasl_interactive_bind_s(c->ld, NULL, "GSSAPI", NULL,
		    NULL, LDAP_SASL_QUIET, interact, NULL);
	while (ad_conn_connecting(c, rc, deadline));
	if (rc != LDAP_SUCCESS)
		st = ad_conn_fail(c, rc, &ctx, err);
done:
	ad_trace_op("bind", c->bind_dn, "mech=GSSAPI", st, err, t0);
	return st;
}

/*
 * When the DC does not implement WhoAmI (Samba 4.17 answers protocolError;
 * Windows DCs implement it): the identity the bind proved, marked as ours.
 * A GSSAPI bind succeeds only as the principal whose ticket the DC took.
 */
static enum sb_status
bound_as_bind(struct ad_conn *c, struct sb_error *err)
{
	size_t n = strlen(c->bind_dn) + 8;

	if ((c->bound = malloc(n)) == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "ad.whoami",
		    "out of memory");
	snprintf(c->bound, n, "%s%s", c->gssapi ? "krb5:" : "dn:", c->bind_dn);
	return SB_OK;
}

enum sb_status
ad_whoami(struct ad_conn *c, struct sb_error *err)
{
	struct berval *id = NULL;
	struct ad_errctx ctx;
	LDAPMessage *res = NULL;
	enum sb_status st;
	int rc, msgid = -1;

	ad_conn_ctx(c, &ctx, "ad.whoami", "ask who we are bound as", NULL,
	    NULL);
	rc = ldap_whoami(c->ld, NULL, NULL, &msgid);
	if (rc != LDAP_SUCCESS) {
		st = ad_conn_fail(c, rc, &ctx, err);
		goto done;
	}
	if ((st = ad_conn_wait(c, msgid, 0, &res, &ctx, err)) != SB_OK)
		goto done;
	if ((st = ad_conn_result(c, res, NULL, &ctx, err)) != SB_OK) {
		/* The DC answered, without the extended operation. */
		if (err->code == LDAP_PROTOCOL_ERROR ||
		    err->code == LDAP_UNWILLING_TO_PERFORM)
			st = bound_as_bind(c, err);
		goto done;
	}
	rc = ldap_parse_whoami(c->ld, res, &id);
	if (rc != LDAP_SUCCESS) {
		st = ad_conn_fail(c, rc, &ctx, err);
		goto done;
	}
	/* "u:CORP\\name" or "dn:..."; anonymous is empty, which we never are. */
	c->bound = id != NULL && id->bv_len > 0 ?
	    strndup(id->bv_val, id->bv_len) :
	    strdup("");
	if (c->bound == NULL)
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.whoami", "out of memory");
done:
	ber_bvfree(id);
	ldap_msgfree(res);
	return st;
}
