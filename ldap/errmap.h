/*
 * LDAP result codes to what the caller does next (enum sb_status), with a
 * message an administrator can act on: the operation, the DN, the
 * attribute, a hint, and AD's own diagnostic ("[AD: 00002077: ...]").
 * Pure: no libldap call; the rc values are LDAP's (RFC 4511, and libldap's
 * negative client codes).
 */
#ifndef AD_ERRMAP_H
#define AD_ERRMAP_H

#include "mapping/core.h"

/* What failed, for the message.  Every field may be NULL. */
struct ad_errctx {
	const char	*where;	/* sb_error.where: "ad.bind", "ad.modify" */
	const char	*op;	/* "bind as", "search", "modify", "rename" */
	const char	*uri;	/* the server, for connection failures */
	const char	*dn;	/* the object (or bind DN) */
	const char	*attr;	/* the attribute(s) written, when one matters */
	int		 tls;	/* a TLS connection: a failed connect may be the certificate */
};

/*
 * Fills err for LDAP result rc (not LDAP_SUCCESS) and returns the status:
 * diag is LDAP_OPT_DIAGNOSTIC_MESSAGE or the result's error message,
 * matched the result's matched DN (both may be NULL or empty).
 */
enum sb_status	ad_errmap(int rc, const char *diag, const char *matched,
		    const struct ad_errctx *ctx, struct sb_error *err);

/* The status ad_errmap gives rc, without a message. */
enum sb_status	ad_errmap_status(int rc, const char *diag, int tls);

/*
 * 1 when e says no answer came: the connection was lost or the operation
 * timed out.  For a write its outcome is unknown (AD may have done it just
 * before it went); only a read of the object can tell.
 */
int		ad_errmap_no_answer(const struct sb_error *e);

/* 1 when a failed connect's diagnostic looks like a certificate failure. */
int		ad_errmap_is_cert(const char *diag);

#endif
