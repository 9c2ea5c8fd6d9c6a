/* Maps LDAP result codes to a status and a message naming DN, attribute and AD's diagnostic. */
#include <ldap.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ldap/errmap.h"

struct rc_row {
	int		 rc;
	enum sb_status	 st;
	const char	*reason;
	const char	*hint;		/* may be NULL */
};

/*
 * Style §3: transport and load are RETRY; stale view (object or value not
 * as we thought) is RESYNC; one bad value or object is SKIP; credentials and
 * rights are STOP; what only the configuration can fix is CONFIG; what we
 * should never have sent is BUG.
 */
static const struct rc_row rc_rows[] = {
	{ LDAP_OPERATIONS_ERROR, SB_STOP, "operations error",
	    "AD could not perform it; see AD's message" },
	{ LDAP_PROTOCOL_ERROR, SB_BUG, "protocol error", NULL },
	{ LDAP_TIMELIMIT_EXCEEDED, SB_RETRY, "time limit exceeded", NULL },
	{ LDAP_SIZELIMIT_EXCEEDED, SB_BUG, "size limit exceeded",
	    "the search should have been paged" },
	{ LDAP_AUTH_METHOD_NOT_SUPPORTED, SB_CONFIG,
	    "authentication method not supported", NULL },
	{ LDAP_STRONG_AUTH_REQUIRED, SB_CONFIG,
	    "the server requires a protected connection",
	    "use ldaps:// or starttls" },
	{ LDAP_REFERRAL, SB_CONFIG,
	    "the DN is held by another naming context (referral)",
	    "check base_dn and write_scope" },
	{ LDAP_ADMINLIMIT_EXCEEDED, SB_SKIP, "administrative limit exceeded",
	    "too many values in one operation; split it" },
	{ LDAP_UNAVAILABLE_CRITICAL_EXTENSION, SB_CONFIG,
	    "the server does not support a control soabridge requires",
	    "is it an Active Directory domain controller?" },
	{ LDAP_CONFIDENTIALITY_REQUIRED, SB_CONFIG,
	    "the server requires an encrypted connection",
	    "use ldaps:// or starttls" },
	{ LDAP_NO_SUCH_ATTRIBUTE, SB_RESYNC, "attribute or value not present",
	    NULL },
	{ LDAP_UNDEFINED_TYPE, SB_CONFIG,
	    "attribute not in the directory's schema",
	    "extend the schema or remove the attribute from the map" },
	{ LDAP_INAPPROPRIATE_MATCHING, SB_BUG, "inappropriate matching", NULL },
	{ LDAP_CONSTRAINT_VIOLATION, SB_SKIP, "constraint violation",
	    "a value is too long, a duplicate or not allowed" },
	{ LDAP_TYPE_OR_VALUE_EXISTS, SB_RESYNC, "value already present",
	    NULL },
	{ LDAP_INVALID_SYNTAX, SB_SKIP, "invalid attribute syntax",
	    "a value does not fit the attribute's syntax or length" },
	{ LDAP_NO_SUCH_OBJECT, SB_RESYNC, "no such object", NULL },
	{ LDAP_INVALID_DN_SYNTAX, SB_SKIP, "invalid DN syntax", NULL },
	{ LDAP_ALIAS_DEREF_PROBLEM, SB_BUG, "alias dereferencing problem",
	    NULL },
	{ LDAP_INAPPROPRIATE_AUTH, SB_STOP, "inappropriate authentication",
	    "check bind_dn and password_file" },
	{ LDAP_INVALID_CREDENTIALS, SB_STOP, "invalid credentials",
	    "check password_file" },
	{ LDAP_INSUFFICIENT_ACCESS, SB_STOP, "insufficient access", NULL },
	{ LDAP_BUSY, SB_RETRY, "server busy", NULL },
	{ LDAP_UNAVAILABLE, SB_RETRY, "server unavailable", NULL },
	{ LDAP_UNWILLING_TO_PERFORM, SB_STOP, "server unwilling to perform",
	    "see AD's message" },
	{ LDAP_LOOP_DETECT, SB_STOP, "loop detected", NULL },
	{ LDAP_NAMING_VIOLATION, SB_SKIP, "naming violation",
	    "the name does not fit the object's class or parent" },
	{ LDAP_OBJECT_CLASS_VIOLATION, SB_SKIP, "object class violation",
	    "a required attribute is missing or one is not allowed" },
	{ LDAP_NOT_ALLOWED_ON_NONLEAF, SB_SKIP,
	    "not allowed on an object with children", NULL },
	{ LDAP_NOT_ALLOWED_ON_RDN, SB_SKIP,
	    "not allowed on the naming attribute", "rename the object instead" },
	{ LDAP_ALREADY_EXISTS, SB_RESYNC,
	    "an object with this name already exists", NULL },
	{ LDAP_NO_OBJECT_CLASS_MODS, SB_SKIP,
	    "object class changes are not allowed", NULL },
	{ LDAP_AFFECTS_MULTIPLE_DSAS, SB_SKIP,
	    "the operation crosses naming contexts", NULL },
	{ LDAP_OTHER, SB_STOP, "other server error", "see AD's message" },

	/* libldap's own (client-side) codes */
	{ LDAP_SERVER_DOWN, SB_RETRY, "can't contact the LDAP server", NULL },
	{ LDAP_LOCAL_ERROR, SB_STOP, "local error in the LDAP library", NULL },
	{ LDAP_ENCODING_ERROR, SB_BUG, "request encoding error", NULL },
	{ LDAP_DECODING_ERROR, SB_RETRY, "could not decode the server's reply",
	    NULL },
	{ LDAP_TIMEOUT, SB_RETRY, "timed out", NULL },
	{ LDAP_AUTH_UNKNOWN, SB_CONFIG, "unknown authentication method",
	    NULL },
	{ LDAP_FILTER_ERROR, SB_BUG, "bad search filter", NULL },
	{ LDAP_USER_CANCELLED, SB_RETRY, "cancelled", NULL },
	{ LDAP_PARAM_ERROR, SB_BUG, "bad parameter to the LDAP library",
	    NULL },
	{ LDAP_NO_MEMORY, SB_BUG, "out of memory", NULL },
	{ LDAP_CONNECT_ERROR, SB_RETRY, "connect error", NULL },
	{ LDAP_X_CONNECTING, SB_RETRY, "the connection did not complete in time",
	    NULL },
	{ LDAP_NOT_SUPPORTED, SB_CONFIG, "not supported by the LDAP library",
	    NULL },
	{ LDAP_CONTROL_NOT_FOUND, SB_BUG,
	    "an expected control is missing from the reply", NULL },
	{ LDAP_NO_RESULTS_RETURNED, SB_RETRY, "no results returned", NULL },
	{ LDAP_MORE_RESULTS_TO_RETURN, SB_BUG, "more results to return",
	    NULL },
	{ LDAP_CLIENT_LOOP, SB_STOP, "referral loop", NULL },
	{ LDAP_REFERRAL_LIMIT_EXCEEDED, SB_STOP, "referral limit exceeded",
	    NULL },
};

/* AD's "data NNN" in a bind failure (MS-ADTS / Win32 error codes). */
static const struct {
	const char	*code;
	const char	*what;
	const char	*hint;
} bind_data[] = {
	{ "52e", NULL, "check password_file" },
	{ "525", "no such user", "check bind_dn" },
	{ "530", "logon not permitted at this time", "check the account's logon hours" },
	{ "531", "logon not permitted from this workstation", "check the account's userWorkstations" },
	{ "532", "password expired", "set a new password and update password_file" },
	{ "533", "account disabled", "enable the service account" },
	{ "568", "too many security IDs", NULL },
	{ "701", "account expired", "extend the service account's accountExpires" },
	{ "773", "password must be changed", "set a new password and update password_file" },
	{ "775", "account locked out", "unlock the service account; check password_file" },
};

/* A message being built in a fixed buffer: too long ends in "...", never overflows. */
struct msg {
	char	 text[sizeof(((struct sb_error *)0)->text)];
	size_t	 len;
	int	 full;
};

static void msg_add(struct msg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
msg_add(struct msg *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->text + m->len, sizeof(m->text) - m->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(m->text) - m->len) {
		m->full = 1;
		m->len = sizeof(m->text) - 1;
		memcpy(m->text + m->len - 3, "...", 3);
		return;
	}
	m->len += (size_t)n;
}

static const struct rc_row *
find_row(int rc)
{
	size_t i;

	for (i = 0; i < sizeof(rc_rows) / sizeof(rc_rows[0]); i++)
		if (rc_rows[i].rc == rc)
			return &rc_rows[i];
	return NULL;
}

static int
has(const char *s)
{
	return s != NULL && *s != '\0';
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

int
ad_errmap_is_cert(const char *diag)
{
	/*
	 * GnuTLS-built libldap (Debian) reports a failed peer verification as
	 * gnutls_strerror(-1), "(unknown error code)"; OpenSSL builds name
	 * the certificate; both name a host name mismatch.
	 */
	if (!has(diag))
		return 0;
	return strcmp(diag, "(unknown error code)") == 0 ||
	    contains_ci(diag, "certificate") || contains_ci(diag, "hostname") ||
	    contains_ci(diag, "issuer") || contains_ci(diag, "self-signed") ||
	    contains_ci(diag, "self signed") || contains_ci(diag, "unknown ca");
}

static int
is_connect_rc(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR ||
	    rc == LDAP_X_CONNECTING;
}

int
ad_errmap_no_answer(const struct sb_error *e)
{
	return e->status == SB_RETRY &&
	    (is_connect_rc(e->code) || e->code == LDAP_TIMEOUT);
}

enum sb_status
ad_errmap_status(int rc, const char *diag, int tls)
{
	const struct rc_row *row;

	if (rc == LDAP_SUCCESS)
		return SB_OK;
	if (tls && is_connect_rc(rc) && ad_errmap_is_cert(diag))
		return SB_STOP;
	row = find_row(rc);
	return row ? row->st : SB_STOP;
}

/* Row of bind_data for the "data 52e" of an AD bind diagnostic, or (size_t)-1. */
static size_t
bind_data_index(const char *diag)
{
	const char *p;
	size_t i, n;

	if (!has(diag))
		return (size_t)-1;
	for (p = diag; (p = strstr(p, "data ")) != NULL; p += 5) {
		for (i = 0; i < sizeof(bind_data) / sizeof(bind_data[0]); i++) {
			n = strlen(bind_data[i].code);
			if (strncasecmp(p + 5, bind_data[i].code, n) == 0 &&
			    (p[5 + n] == ',' || p[5 + n] == '\0' ||
			    p[5 + n] == ' '))
				return i;
		}
	}
	return (size_t)-1;
}

/*
 * AD's diagnostics carry "\n\t" (Windows) or a trailing newline (Samba):
 * one line, no control characters, no trailing blanks.
 */
static void
clean_diag(const char *diag, char *out, size_t size)
{
	size_t i, o = 0;
	unsigned char ch;

	for (i = 0; diag != NULL && diag[i] != '\0' && o + 1 < size; i++) {
		ch = (unsigned char)diag[i];
		if (ch < 0x20 || ch == 0x7f) {
			if (o > 0 && out[o - 1] != ' ')
				out[o++] = ' ';
			continue;
		}
		out[o++] = (char)ch;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* How the attribute joins the reason: "value already present in mail". */
static const char *
attr_joiner(int rc)
{
	switch (rc) {
	case LDAP_NO_SUCH_ATTRIBUTE:
	case LDAP_TYPE_OR_VALUE_EXISTS:
		return " in ";
	case LDAP_UNDEFINED_TYPE:
		return ": ";
	case LDAP_CONSTRAINT_VIOLATION:
	case LDAP_INVALID_SYNTAX:
	case LDAP_INAPPROPRIATE_MATCHING:
	case LDAP_ADMINLIMIT_EXCEEDED:
		return " on ";
	}
	return NULL;
}

/*
 * Samba answers a write to an attribute its schema lacks with rc 16 (no
 * such attribute), which would otherwise read as a stale view.
 */
static int
is_schema_miss(int rc, const char *diag)
{
	return rc == LDAP_NO_SUCH_ATTRIBUTE && has(diag) &&
	    contains_ci(diag, "not found in the schema");
}

static const char *
nz(const char *s, const char *dflt)
{
	return has(s) ? s : dflt;
}

static void
connect_message(struct msg *m, const char *diag,
    const struct ad_errctx *ctx, const struct rc_row *row)
{
	if (ctx->tls && ad_errmap_is_cert(diag)) {
		msg_add(m, "cannot connect to %s: certificate verification "
		    "failed (check ca_file, and that the URI names a host the "
		    "server's certificate is issued for)",
		    nz(ctx->uri, "the server"));
		msg_add(m, " [TLS: %s]", diag);
		return;
	}
	msg_add(m, "cannot reach %s", nz(ctx->uri, "the server"));
	if (has(ctx->op))
		msg_add(m, " (%s%s%s)", ctx->op, has(ctx->dn) ? " " : "",
		    has(ctx->dn) ? ctx->dn : "");
	msg_add(m, ": %s", row ? row->reason : "connection failed");
	/* GnuTLS names a failed socket read or write its "pull"/"push function". */
	if (ctx->tls && has(diag) && !contains_ci(diag, "push function") &&
	    !contains_ci(diag, "pull function"))
		msg_add(m, " (TLS handshake failed)");
	if (has(diag))
		msg_add(m, " [%s]", diag);
}

/* Rights hint for rc 50, by operation. */
static void
access_hint(struct msg *m, const struct ad_errctx *ctx)
{
	const char *op = nz(ctx->op, "");

	if (has(ctx->attr))
		msg_add(m, " to %s%s", strchr(ctx->attr, ',') ? "one of " : "",
		    ctx->attr);
	if (strcmp(op, "add") == 0)
		msg_add(m, " (grant the bind account Create Child for this "
		    "object class in the parent OU)");
	else if (strcmp(op, "delete") == 0)
		msg_add(m, " (grant the bind account Delete on this object "
		    "or Delete Child in its OU)");
	else if (strcmp(op, "rename") == 0)
		msg_add(m, " (grant the bind account Write Property on name "
		    "and cn, and for a move Create Child in the new OU and "
		    "Delete Child in the old)");
	else if (has(ctx->attr))
		msg_add(m, " (grant the bind account Write Property on %s for "
		    "this object or its OU)", ctx->attr);
	else
		msg_add(m, " (grant the bind account the rights it needs on "
		    "this object)");
}

enum sb_status
ad_errmap(int rc, const char *diag, const char *matched,
    const struct ad_errctx *ctx, struct sb_error *err)
{
	static const struct ad_errctx none = { 0 };
	const struct rc_row *row;
	struct msg m = { .len = 0, .full = 0 };
	char ad[sizeof(m.text)];
	const char *join;
	enum sb_status st;
	size_t bi;

	if (ctx == NULL)
		ctx = &none;
	m.text[0] = '\0';
	clean_diag(diag, ad, sizeof(ad));
	st = ad_errmap_status(rc, ad, ctx->tls);
	row = find_row(rc);
	if (is_schema_miss(rc, ad)) {
		st = SB_CONFIG;
		row = find_row(LDAP_UNDEFINED_TYPE);
	}

	if (is_connect_rc(rc) || rc == LDAP_TIMEOUT) {
		if (rc == LDAP_TIMEOUT)
			msg_add(&m, "%s%s%s on %s timed out",
			    nz(ctx->op, "operation"), has(ctx->dn) ? " " : "",
			    has(ctx->dn) ? ctx->dn : "",
			    nz(ctx->uri, "the server"));
		else
			connect_message(&m, ad, ctx, row);
		return sb_fail(err, st, rc, ctx->where, "%s", m.text);
	}

	msg_add(&m, "%s%s%s failed: ", nz(ctx->op, "LDAP operation"),
	    has(ctx->dn) ? " " : "", has(ctx->dn) ? ctx->dn : "");
	if (row != NULL)
		msg_add(&m, "%s", row->reason);
	else
		msg_add(&m, "unexpected LDAP result %d (%s)", rc,
		    ldap_err2string(rc));

	if (rc == LDAP_INVALID_CREDENTIALS &&
	    (bi = bind_data_index(ad)) != (size_t)-1) {
		if (bind_data[bi].what != NULL)
			msg_add(&m, ": %s", bind_data[bi].what);
		if (bind_data[bi].hint != NULL)
			msg_add(&m, " (%s)", bind_data[bi].hint);
	} else if (rc == LDAP_INSUFFICIENT_ACCESS) {
		access_hint(&m, ctx);
	} else {
		join = attr_joiner(is_schema_miss(rc, ad) ?
		    LDAP_UNDEFINED_TYPE : rc);
		if (has(ctx->attr) && join != NULL)
			msg_add(&m, "%s%s%s", join,
			    strchr(ctx->attr, ',') ? "one of " : "", ctx->attr);
		if (row != NULL && row->hint != NULL)
			msg_add(&m, " (%s)", row->hint);
	}
	if (has(matched) && rc == LDAP_NO_SUCH_OBJECT)
		msg_add(&m, "; the nearest existing entry is %s", matched);
	if (has(ad))
		msg_add(&m, " [AD: %s]", ad);
	return sb_fail(err, st, rc, ctx->where, "%s", m.text);
}
