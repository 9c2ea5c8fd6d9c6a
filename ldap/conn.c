/* Connects to a DC over TLS, binds, reads the rootDSE; waits for and checks results. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mapping/log.h"
#include "ldap/conn.h"
#include "ldap/internal.h"
#include "ldap/trace.h"

/* What the rootDSE tells us; filled as a whole, moved into the connection on success. */
struct root_info {
	char		*default_nc;
	char		*schema_nc;
	char		*dns_host;
	char *service_dn; /* dsServiceName: the DC's NTDS Settings */
	unsigned long long usn;
};

static void
root_info_free(struct root_info *ri)
{
	free(ri->default_nc);
	free(ri->schema_nc);
	free(ri->dns_host);
	free(ri->service_dn);
	memset(ri, 0, sizeof(*ri));
}

void
ad_conn_ctx(const struct ad_conn *c, struct ad_errctx *ctx, const char *where,
    const char *op, const char *dn, const char *attr)
{
	ctx->where = where;
	ctx->op = op;
	ctx->uri = c ? (c->name ? c->name : c->uri) : NULL;
	ctx->dn = dn;
	ctx->attr = attr;
	ctx->tls = c ? c->tls : 0;
}

enum sb_status
ad_conn_fail(struct ad_conn *c, int rc, const struct ad_errctx *ctx,
    struct sb_error *err)
{
	char *diag = NULL;
	enum sb_status st;

	/*
	 * libldap drops a lost connection and would open a new, anonymous
	 * one for the next request: refuse that instead (ad_conn_check).
	 */
	if (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR)
		c->broken = 1;
	if (c->ld != NULL &&
	    ldap_get_option(c->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diag) !=
	    LDAP_OPT_SUCCESS)
		diag = NULL;
	st = ad_errmap(rc, diag, NULL, ctx, err);
	ldap_memfree(diag);
	return st;
}

enum sb_status
ad_conn_check(struct ad_conn *c, const struct ad_errctx *ctx,
    struct sb_error *err)
{
	if (!c->broken)
		return SB_OK;
	return sb_fail(err, SB_RETRY, LDAP_SERVER_DOWN, ctx->where,
	    "the connection to %s was lost: reconnect before %s%s%s",
	    c->name ? c->name : c->uri,
	    ctx->op ? ctx->op : "the next operation", ctx->dn ? " " : "",
	    ctx->dn ? ctx->dn : "");
}

enum sb_status
ad_conn_wait(struct ad_conn *c, int msgid, int one, LDAPMessage **res,
    const struct ad_errctx *ctx, struct sb_error *err)
{
	struct timeval tv = c->timeout;	/* ldap_result() may change it */
	int rc, code = LDAP_OTHER;

	*res = NULL;
	rc = ldap_result(c->ld, msgid, one ? LDAP_MSG_ONE : LDAP_MSG_ALL, &tv,
	    res);
	if (rc == 0) {
		/* The server may still be working on it: tell it to stop. */
		ldap_abandon_ext(c->ld, msgid, NULL, NULL);
		return ad_errmap(LDAP_TIMEOUT, NULL, NULL, ctx, err);
	}
	if (rc == -1) {
		if (ldap_get_option(c->ld, LDAP_OPT_RESULT_CODE, &code) !=
		    LDAP_OPT_SUCCESS || code == LDAP_SUCCESS)
			code = LDAP_SERVER_DOWN;
		return ad_conn_fail(c, code, ctx, err);
	}
	return SB_OK;
}

enum sb_status
ad_conn_result(struct ad_conn *c, LDAPMessage *res, LDAPControl ***ctrls,
    const struct ad_errctx *ctx, struct sb_error *err)
{
	char *matched = NULL, *diag = NULL;
	LDAPControl **got = NULL;
	enum sb_status st;
	int rc, code = LDAP_OTHER;

	rc = ldap_parse_result(c->ld, res, &code, &matched, &diag, NULL,
	    ctrls ? &got : NULL, 0);
	if (rc != LDAP_SUCCESS) {
		st = ad_conn_fail(c, rc, ctx, err);
		goto done;
	}
	if (code != LDAP_SUCCESS) {
		st = ad_errmap(code, diag, matched, ctx, err);
		goto done;
	}
	if (ctrls != NULL) {
		*ctrls = got;
		got = NULL;
	}
	st = SB_OK;
done:
	ldap_controls_free(got);
	ldap_memfree(matched);
	ldap_memfree(diag);
	return st;
}

/*
 * Each URI of a (space- or comma-separated) list must be ldaps://, or
 * ldap:// with StartTLS: a simple bind never crosses the wire in clear.
 * Plain ldap:// is allowed sealed: a GSSAPI bind seals what follows.
 */
static enum sb_status
check_uris(const char *uri, int starttls, int sealed, struct sb_error *err)
{
	const char *s = uri, *e;
	size_t n;
	int ldaps = 0, plain = 0;

	if (uri == NULL || *uri == '\0')
		return sb_fail(err, SB_CONFIG, 0, "ad.connect", "ldap uri is empty");
	if (strlen(uri) > AD_CONN_URI_MAX)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "ldap uri is longer than %d characters", AD_CONN_URI_MAX);
	while (*s != '\0') {
		while (*s == ' ' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		for (e = s; *e != '\0' && *e != ' ' && *e != ','; e++)
			;
		n = (size_t)(e - s);
		if (n > 8 && strncasecmp(s, "ldaps://", 8) == 0)
			ldaps++;
		else if (n > 7 && strncasecmp(s, "ldap://", 7) == 0)
			plain++;
		else
			return sb_fail(err, SB_CONFIG, 0, "ad.connect",
			    "ldap uri \"%.*s\": use ldaps://host or ldap://host "
			    "with starttls", (int)(n > 200 ? 200 : n), s);
		s = e;
	}
	if (ldaps + plain == 0)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect", "ldap uri is empty");
	if (ldaps > 0 && plain > 0)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "ldap uri mixes ldaps:// and ldap://: use one scheme");
	if (plain > 0 && !starttls && !sealed)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "refusing a simple bind in clear text over %s: use "
		    "ldaps:// or set starttls", uri);
	if (ldaps > 0 && starttls)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "starttls is for ldap:// URIs; %s is already TLS", uri);
	return SB_OK;
}

static enum sb_status
set_opt(struct ad_conn *c, int opt, const void *val, const char *what,
    struct sb_error *err)
{
	if (ldap_set_option(c->ld, opt, val) != LDAP_OPT_SUCCESS)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "cannot set LDAP option %s for %s", what, c->uri);
	return SB_OK;
}

/*
 * libldap before 2.6.9 (ITS#8047) ignores the network timeout during the
 * TLS handshake of a synchronous connect: against a server that accepts TCP
 * but never answers it spins on the CPU forever.  Its asynchronous connect
 * polls with the timeout, so we use that there (and wait for the TCP
 * connect ourselves: connecting()).
 */
#define AD_CONN_TLS_TIMEOUT_FIXED	20609

static int
needs_async_connect(void)
{
	LDAPAPIInfo ai;
	int i, old = 1;

	memset(&ai, 0, sizeof(ai));
	ai.ldapai_info_version = LDAP_API_INFO_VERSION;
	if (ldap_get_option(NULL, LDAP_OPT_API_INFO, &ai) != LDAP_OPT_SUCCESS)
		return 1;
	old = ai.ldapai_vendor_version < AD_CONN_TLS_TIMEOUT_FIXED;
	for (i = 0; ai.ldapai_extensions != NULL &&
	    ai.ldapai_extensions[i] != NULL; i++)
		ldap_memfree(ai.ldapai_extensions[i]);
	ldap_memfree(ai.ldapai_extensions);
	ldap_memfree(ai.ldapai_vendor_name);
	return old;
}

/*
 * After a request failed with rc: when an asynchronous TCP connect is still
 * under way (LDAP_X_CONNECTING) and time is left, waits until the socket
 * can be written (or the deadline) and says to try again.
 */
int
ad_conn_connecting(struct ad_conn *c, int rc, long long deadline)
{
	struct pollfd pfd;
	long long left;
	int fd = -1;

	left = deadline - ad_trace_now_ms();
	if (rc != LDAP_X_CONNECTING || left <= 0)
		return 0;
	if (ldap_get_option(c->ld, LDAP_OPT_DESC, &fd) != LDAP_OPT_SUCCESS ||
	    fd < 0)
		return 0;
	pfd.fd = fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	(void)poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
	return 1;
}

static enum sb_status
set_options(struct ad_conn *c, const char *ca_file, struct sb_error *err)
{
	struct timeval net = { c->timeout_s, 0 };
	int v3 = LDAP_VERSION3, demand = LDAP_OPT_X_TLS_DEMAND;
	int tlsmin = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2, client = 0;
	enum sb_status st;

	if ((st = set_opt(c, LDAP_OPT_PROTOCOL_VERSION, &v3, "protocol",
	    err)) != SB_OK ||
	    (st = set_opt(c, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals",
	    err)) != SB_OK ||
	    (st = set_opt(c, LDAP_OPT_NETWORK_TIMEOUT, &net, "network timeout",
	    err)) != SB_OK ||
	    (st = set_opt(c, LDAP_OPT_TIMEOUT, &net, "timeout", err)) != SB_OK)
		return st;
	if (needs_async_connect() && (st = set_opt(c, LDAP_OPT_CONNECT_ASYNC,
	    LDAP_OPT_ON, "asynchronous connect", err)) != SB_OK)
		return st;
	if (ca_file != NULL && *ca_file != '\0') {
		if (access(ca_file, R_OK) != 0)
			return sb_fail(err, SB_CONFIG, errno, "ad.connect",
			    "ca_file %s: %s", ca_file, strerror(errno));
		if ((st = set_opt(c, LDAP_OPT_X_TLS_CACERTFILE, ca_file,
		    "ca_file", err)) != SB_OK)
			return st;
	}
	if ((st = set_opt(c, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand,
	    "require_cert", err)) != SB_OK ||
	    (st = set_opt(c, LDAP_OPT_X_TLS_PROTOCOL_MIN, &tlsmin,
	    "TLS 1.2 minimum", err)) != SB_OK)
		return st;
	/* The handle's TLS settings take effect in a context of its own. */
	if (ldap_set_option(c->ld, LDAP_OPT_X_TLS_NEWCTX, &client) !=
	    LDAP_OPT_SUCCESS)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "cannot set up TLS%s%s: not a readable PEM CA certificate?",
		    ca_file && *ca_file ? " with ca_file " : "",
		    ca_file && *ca_file ? ca_file : "");
	return SB_OK;
}

static enum sb_status
start_tls(struct ad_conn *c, struct sb_error *err)
{
	struct ad_errctx ctx;
	enum sb_status st = SB_OK;
	long long t0 = ad_trace_now_ms();
	int rc;

	long long deadline = t0 + 1000LL * c->timeout_s;

	ad_conn_ctx(c, &ctx, "ad.starttls", "StartTLS", NULL, NULL);
	ctx.tls = 1;
	do
		rc = ldap_start_tls_s(c->ld, NULL, NULL);
	while (ad_conn_connecting(c, rc, deadline));
	if (rc != LDAP_SUCCESS)
		st = ad_conn_fail(c, rc, &ctx, err);
	ad_trace_op("starttls", NULL, NULL, st, err, t0);
	return st;
}

enum sb_status
ad_conn_finish(struct ad_conn *c, int rc, int msgid, const struct ad_errctx *ctx,
    struct sb_error *err)
{
	LDAPMessage *res = NULL;
	enum sb_status st;

	if (rc != LDAP_SUCCESS) {
		st = ad_conn_fail(c, rc, ctx, err);
		goto done;
	}
	st = ad_conn_wait(c, msgid, 0, &res, ctx, err);
	if (st != SB_OK)
		goto done;
	st = ad_conn_result(c, res, NULL, ctx, err);
done:
	ldap_msgfree(res);
	return st;
}

static enum sb_status
bind_simple(struct ad_conn *c, const struct sb_bytes *pw, struct sb_error *err)
{
	struct berval cred;
	struct ad_errctx ctx;
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	long long deadline = t0 + 1000LL * c->timeout_s;
	int rc, msgid = -1;

	ad_conn_ctx(c, &ctx, "ad.bind", "bind as", c->bind_dn, NULL);
	cred.bv_len = pw->len;
	cred.bv_val = (char *)pw->p;
	/* With ldaps:// the bind is the first request: it connects. */
	do
		rc = ldap_sasl_bind(c->ld, c->bind_dn, LDAP_SASL_SIMPLE, &cred,
		    NULL, NULL, &msgid);
	while (ad_conn_connecting(c, rc, deadline));
	st = ad_conn_finish(c, rc, msgid, &ctx, err);
	ad_trace_op("bind", c->bind_dn, NULL, st, err, t0);
	return st;
}

static enum sb_status
copy_first(struct ad_conn *c, LDAPMessage *e, const char *attr, char **out,
    struct sb_error *err)
{
	struct berval **vals;
	char *s = NULL;
	enum sb_status st = SB_OK;

	vals = ldap_get_values_len(c->ld, e, attr);
	if (vals != NULL && vals[0] != NULL) {
		if (memchr(vals[0]->bv_val, '\0', vals[0]->bv_len) != NULL) {
			st = sb_fail(err, SB_BUG, 0, "ad.rootdse",
			    "rootDSE %s holds a NUL byte", attr);
			goto done;
		}
		s = malloc(vals[0]->bv_len + 1);
		if (s == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "ad.rootdse",
			    "out of memory");
			goto done;
		}
		memcpy(s, vals[0]->bv_val, vals[0]->bv_len);
		s[vals[0]->bv_len] = '\0';
	}
	*out = s;
	s = NULL;
done:
	free(s);
	ldap_value_free_len(vals);
	return st;
}

static enum sb_status
parse_usn(const char *s, unsigned long long *usn, struct sb_error *err)
{
	unsigned long long v;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return sb_fail(err, SB_STOP, 0, "ad.rootdse",
		    "the rootDSE has no valid highestCommittedUSN: is this "
		    "an Active Directory DC?");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return sb_fail(err, SB_STOP, 0, "ad.rootdse",
		    "the rootDSE's highestCommittedUSN \"%.40s\" is not a "
		    "number", s);
	*usn = v;
	return SB_OK;
}

/* Reads the rootDSE: all five facts, or (usn_only) just highestCommittedUSN. */
static enum sb_status
root_read(struct ad_conn *c, int usn_only, struct root_info *out,
    struct sb_error *err)
{
	char *all[] = { "defaultNamingContext", "schemaNamingContext",
		"dnsHostName", "highestCommittedUSN", "dsServiceName", NULL };
	char *usn_attr[] = { "highestCommittedUSN", NULL };
	struct root_info ri = { 0 };
	struct ad_errctx ctx;
	LDAPMessage *res = NULL, *e;
	char *usn = NULL;
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	int rc, msgid = -1;

	ad_conn_ctx(c, &ctx, "ad.rootdse", "read the rootDSE", NULL, NULL);
	if ((st = ad_conn_check(c, &ctx, err)) != SB_OK)
		goto done;
	rc = ldap_search_ext(c->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)",
	    usn_only ? usn_attr : all, 0, NULL, NULL, NULL, 0, &msgid);
	if (rc != LDAP_SUCCESS) {
		st = ad_conn_fail(c, rc, &ctx, err);
		goto done;
	}
	st = ad_conn_wait(c, msgid, 0, &res, &ctx, err);
	if (st != SB_OK)
		goto done;
	st = ad_conn_result(c, res, NULL, &ctx, err);
	if (st != SB_OK)
		goto done;
	e = ldap_first_entry(c->ld, res);
	if (e == NULL) {
		st = sb_fail(err, SB_STOP, 0, "ad.rootdse",
		    "%s returned no rootDSE", c->uri);
		goto done;
	}
	if ((st = copy_first(c, e, "highestCommittedUSN", &usn, err)) !=
	    SB_OK || (st = parse_usn(usn, &ri.usn, err)) != SB_OK)
		goto done;
	if (!usn_only) {
		if ((st = copy_first(c, e, "defaultNamingContext",
			 &ri.default_nc, err)) != SB_OK ||
		    (st = copy_first(c, e, "schemaNamingContext", &ri.schema_nc,
			 err)) != SB_OK ||
		    (st = copy_first(c, e, "dnsHostName", &ri.dns_host, err)) !=
			SB_OK ||
		    (st = copy_first(c, e, "dsServiceName", &ri.service_dn,
			 err)) != SB_OK)
			goto done;
		if (ri.default_nc == NULL || ri.schema_nc == NULL) {
			st = sb_fail(err, SB_STOP, 0, "ad.rootdse",
			    "the rootDSE of %s has no defaultNamingContext or "
			    "schemaNamingContext: is this an Active Directory "
			    "DC?", c->uri);
			goto done;
		}
	}
	*out = ri;
	memset(&ri, 0, sizeof(ri));
	st = SB_OK;
done:
	ad_trace_op("rootdse", "", NULL, st, err, t0);
	root_info_free(&ri);
	free(usn);
	ldap_msgfree(res);
	return st;
}

/* What the bind needs is there; a simple bind's password is not empty. */
static enum sb_status
check_params(const struct ad_params *p, int gssapi, struct sb_error *err)
{
	enum sb_status st;

	if ((st = check_uris(p->uri, p->starttls, gssapi, err)) != SB_OK)
		return st;
	if (gssapi)
		return p->keytab != NULL && *p->keytab != '\0' ?
		    SB_OK :
		    sb_fail(err, SB_CONFIG, 0, "ad.connect",
			"a GSSAPI bind "
			"needs a keytab (ldap.keytab_file)");
	if (p->bind_dn == NULL || *p->bind_dn == '\0')
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "bind_dn is empty");
	/* A simple bind with a DN and no password is anonymous in AD. */
	if (p->password == NULL || p->password->len == 0)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "the password for %s is empty (check password_file)",
		    p->bind_dn);
	return SB_OK;
}

enum sb_status
ad_connect(const struct ad_params *p, struct ad_conn **out,
    struct sb_error *err)
{
	struct ad_conn *c = NULL;
	struct root_info ri = { 0 };
	enum sb_status st;
	int rc, gssapi = p->sasl_mech != NULL && *p->sasl_mech != '\0';

	if ((st = check_params(p, gssapi, err)) != SB_OK)
		goto done;
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->uri = strdup(p->uri)) == NULL ||
	    (c->bind_dn = strdup(gssapi ? "" : p->bind_dn)) == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.connect", "out of memory");
		goto done;
	}
	c->tls = p->starttls || strncasecmp(p->uri, "ldaps://", 8) == 0;
	c->timeout_s = p->timeout_s > 0 ? p->timeout_s : AD_CONN_TIMEOUT_S;
	c->timeout.tv_sec = c->timeout_s;
	c->timeout.tv_usec = 0;
	rc = ldap_initialize(&c->ld, c->uri);
	if (rc != LDAP_SUCCESS) {
		st = sb_fail(err, SB_CONFIG, rc, "ad.connect",
		    "ldap uri %s: %s", c->uri, ldap_err2string(rc));
		goto done;
	}
	if ((st = set_options(c, p->ca_file, err)) != SB_OK)
		goto done;
	if (p->starttls && (st = start_tls(c, err)) != SB_OK)
		goto done;
	st = gssapi ? ad_bind_gssapi(c, p->keytab, p->principal, err) :
		      bind_simple(c, p->password, err);
	if (st != SB_OK || (st = ad_whoami(c, err)) != SB_OK ||
	    (st = root_read(c, 0, &ri, err)) != SB_OK)
		goto done;
	c->default_nc = ri.default_nc;
	c->schema_nc = ri.schema_nc;
	c->dns_host = ri.dns_host;
	c->usn = ri.usn;
	ri.default_nc = ri.schema_nc = ri.dns_host = NULL; /* c's now */
	if ((st = ad_conn_name_set(c, err)) != SB_OK)
		goto done;
	/*
	 * The USN counts this DC's database only: a watermark means
	 * something only with the database it came from (its invocationId).
	 */
	if ((st = ad_read_invocation_id(c, ri.service_dn, c->invocation_id,
		 err)) != SB_OK)
		goto done;
	ad_conn_log(c, p->starttls, gssapi);
	*out = c;
	c = NULL;
	st = SB_OK;
done:
	root_info_free(&ri);
	ad_close(c);
	return st;
}

void
ad_close(struct ad_conn *c)
{
	if (c == NULL)
		return;
	if (c->ld != NULL)
		ldap_unbind_ext_s(c->ld, NULL, NULL);
	free(c->uri);
	free(c->bind_dn);
	free(c->bound);
	free(c->default_nc);
	free(c->schema_nc);
	free(c->dns_host);
	free(c->name);
	free(c);
}

enum sb_status
ad_root_usn(struct ad_conn *c, unsigned long long *usn, struct sb_error *err)
{
	struct root_info ri = { 0 };
	enum sb_status st;

	st = root_read(c, 1, &ri, err);
	if (st == SB_OK)
		*usn = ri.usn;
	root_info_free(&ri);
	return st;
}
