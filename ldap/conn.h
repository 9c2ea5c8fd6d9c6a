/*
 * A connection to an Active Directory DC: TLS (ldaps:// or ldap:// with
 * StartTLS, the certificate always verified), LDAPv3, referrals off,
 * network and operation timeouts, a simple bind, and the rootDSE facts read
 * once at connect.  struct ad_conn is opaque outside ldap/.
 */
#ifndef AD_CONN_H
#define AD_CONN_H

#include "mapping/core.h"

#define AD_CONN_TIMEOUT_S	30	/* when ad_params.timeout_s is 0 */
#define AD_CONN_URI_MAX		1024

struct ad_conn;

/*
 * All borrowed for the call; nothing is kept but copies of uri and bind_dn.
 * A simple bind (bind_dn, password) unless sasl_mech is "GSSAPI": then a
 * Kerberos bind with credentials from keytab for principal, and plain
 * ldap:// without starttls is allowed, sealed by SASL.
 */
struct ad_params {
	const char		*uri;		/* "ldaps://dc1.corp.example" or ldap:// */
	const char		*ca_file;	/* PEM; NULL or "": the system store */
	int			 starttls;	/* ldap:// without it: GSSAPI only */
	const char		*bind_dn;	/* DN, UPN or DOMAIN\user */
	const struct sb_bytes	*password;	/* never logged, never in err */
	int			 timeout_s;	/* connect and per operation; 0: default */
	const char		*sasl_mech;	/* NULL or "": simple; "GSSAPI" */
	const char		*keytab;	/* GSSAPI: the keytab file */
	const char		*principal;	/* GSSAPI: NULL or "": keytab's first */
};

/*
 * Connects, binds, asks who it is bound as and reads the rootDSE.  *out is
 * new: the caller frees it with ad_close().  Plain ldap:// without starttls
 * is SB_CONFIG for a simple bind (no password in clear text), as is an
 * empty password (AD would take it as an anonymous bind).
 */
enum sb_status	ad_connect(const struct ad_params *p, struct ad_conn **out,
		    struct sb_error *err);
/* Unbinds and frees; NULL is a no-op. */
void		ad_close(struct ad_conn *c);

/* Re-reads highestCommittedUSN from the rootDSE. */
enum sb_status	ad_root_usn(struct ad_conn *c, unsigned long long *usn,
		    struct sb_error *err);

/* From the rootDSE at connect; borrowed, valid until ad_close(). */
const char	*ad_conn_default_nc(const struct ad_conn *c);
const char	*ad_conn_schema_nc(const struct ad_conn *c);
const char	*ad_conn_dns_host(const struct ad_conn *c);
const char	*ad_conn_uri(const struct ad_conn *c);
/* The identity the DC says we are bound as (LDAP WhoAmI): "u:CORP\\svc". */
const char	*ad_conn_bound(const struct ad_conn *c);
/* highestCommittedUSN as read at connect. */
unsigned long long ad_conn_usn(const struct ad_conn *c);
/*
 * The invocationId of the DC's database, read at connect (GUID text; ""
 * when unknown): a USN watermark holds only for the same one.
 */
const char	*ad_conn_invocation_id(const struct ad_conn *c);

#endif
