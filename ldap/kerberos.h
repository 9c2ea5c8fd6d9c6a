/*
 * Kerberos credentials for GSSAPI binds, private to ldap/: acquired from a
 * keytab with MIT krb5 into this process's own memory credential cache and
 * acquired again from the keytab before they expire.  No krb5 type leaves
 * this header; the rules (when to renew, what an error means) are pure and
 * live in krbrules.c.
 */
#ifndef AD_KERBEROS_H
#define AD_KERBEROS_H

#include <stddef.h>

#include "mapping/core.h"

/*
 * Credentials are renewed with at least this much life left.  The lab's
 * Samba KDC answers "Ticket expired" to a service ticket request made with
 * a TGT that has 120 s or less left (seen with krb5 tracing), so a TGT must
 * be renewed before that, with room for the connect and bind that follow.
 */
#define AD_KRB_RENEW_MARGIN_S	150

/* What an error message may name; any member may be NULL (unknown). */
struct ad_krb_errctx {
	const char	*principal;	/* the client: "svc@CORP.EXAMPLE" */
	const char	*keytab;	/* its path */
	const char	*realm;
	const char	*kdc;		/* from krb5.conf, when it names one */
	const char	*host;		/* the DC's host name: ldap/<host> */
	const char	*detail;	/* krb5's own message for the code */
};

/* krbrules.c */

/*
 * 1 when credentials valid from start to end (seconds) should be acquired
 * again at now: there are none (end <= start), or less than a third of
 * their lifetime or less than AD_KRB_RENEW_MARGIN_S is left.
 */
int		ad_krb_renew_due(long long now, long long start, long long end);
/*
 * A failed krb5 call's error code as an error an admin can act on, naming
 * the keytab, principal, realm, KDC or SPN it concerns.
 */
enum sb_status	ad_krb_errmap(long code, const struct ad_krb_errctx *x,
		    struct sb_error *err);

/* kerberos.c */

/*
 * Makes sure this process holds credentials for principal (NULL or "":
 * the keytab's first) from keytab, acquiring or renewing them as
 * ad_krb_renew_due() says, and points GSSAPI at their cache.  The client
 * principal is copied into who.
 */
enum sb_status	ad_krb_creds(const char *keytab, const char *principal,
		    char *who, size_t whosize, struct sb_error *err);
/*
 * Gets (or finds cached) the service ticket for ldap/<host> with those
 * credentials, so that a missing SPN, a skewed clock or an unreachable KDC
 * is reported as such, not as a generic GSSAPI failure of the bind.
 */
enum sb_status	ad_krb_service(const char *host, struct sb_error *err);

#endif
