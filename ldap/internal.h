/*
 * Private to ldap/: the connection's insides and the helpers its .c files
 * share.  This is the one header that includes <ldap.h>; nothing
 * outside ldap/ (and its unit tests) may include it, so no libldap type
 * leaves the folder.  Prototypes are grouped by the file that defines them.
 */
#ifndef AD_INTERNAL_H
#define AD_INTERNAL_H

#include <ldap.h>

#include "mapping/core.h"
#include "mapping/dirobj.h"
#include "ldap/errmap.h"

struct ad_conn {
	LDAP		*ld;
	char		*uri;
	char		*bind_dn;
	int		 tls;		/* ldaps:// or StartTLS: always, once open */
	int		 timeout_s;
	struct timeval	 timeout;	/* per ldap_result() wait */
	int		 permissive;	/* write.c: permissive-modify control */
	int		 page_size;	/* search.c; 0: AD_SEARCH_PAGE_SIZE */
	int		 broken;	/* the connection was lost: ad_conn_check() */
	int		 gssapi;	/* bound with SASL GSSAPI: bind_dn is the principal */
	char		*bound;		/* WhoAmI after the bind: "u:CORP\\svc" */

	/* Read from the rootDSE at connect. */
	char		*default_nc;
	char		*schema_nc;
	char		*dns_host;
	/* "uri (dnsHostName)": who a lost connection's error names */
	char		*name;
	unsigned long long usn;
	/* Of the DC's database (conninfo.c); "" when the DC did not say. */
	char		 invocation_id[37];
};

/* conninfo.c */

/* The info line of a connection made: where, bound how and as whom. */
void		ad_conn_log(const struct ad_conn *c, int starttls, int gssapi);

/*
 * The invocationId of the DC's NTDS Settings object server_dn (the
 * rootDSE's dsServiceName), as GUID text, into out (37 bytes); "" when
 * server_dn is NULL or the object shows none.
 */
enum sb_status	ad_read_invocation_id(struct ad_conn *c,
		    const char *server_dn, char *out, struct sb_error *err);

/*
 * Sets c->name from the URI and the rootDSE's dnsHostName: an error on a
 * connection names both, the URI the admin wrote and the DC behind it.
 */
enum sb_status	ad_conn_name_set(struct ad_conn *c, struct sb_error *err);

/* conn.c */

/*
 * Waits for the complete result of msgid (LDAP_MSG_ALL) or, with one set,
 * for the next message of it.  A timeout abandons the operation (SB_RETRY).
 * *res is the caller's to ldap_msgfree(), also on failure.
 */
enum sb_status	ad_conn_wait(struct ad_conn *c, int msgid, int one,
		    LDAPMessage **res, const struct ad_errctx *ctx,
		    struct sb_error *err);
/*
 * Reads the result code of a result message (freeit = 0: the caller still
 * frees res) and maps a failure through errmap with AD's diagnostic and
 * matched DN.  *ctrls (may be NULL) receives the response controls, freed
 * by the caller with ldap_controls_free().
 */
enum sb_status	ad_conn_result(struct ad_conn *c, LDAPMessage *res,
		    LDAPControl ***ctrls, const struct ad_errctx *ctx,
		    struct sb_error *err);
/*
 * For a request whose libldap call returned rc (and msgid): waits for the
 * complete result and checks it; the result message is freed here.
 */
enum sb_status	ad_conn_finish(struct ad_conn *c, int rc, int msgid,
		    const struct ad_errctx *ctx, struct sb_error *err);
/*
 * A libldap call failed with rc before any result arrived: maps it with the
 * handle's diagnostic message (which, for TLS, names the failure).
 */
enum sb_status	ad_conn_fail(struct ad_conn *c, int rc,
		    const struct ad_errctx *ctx, struct sb_error *err);
/* SB_RETRY once the connection was lost; call before each operation. */
enum sb_status	ad_conn_check(struct ad_conn *c, const struct ad_errctx *ctx,
		    struct sb_error *err);
/*
 * After a request failed with rc: 1 when an asynchronous TCP connect is
 * still under way and time is left before deadline (ms): try again.
 */
int		ad_conn_connecting(struct ad_conn *c, int rc, long long deadline);
/* Fills ctx for an operation on this connection. */
void		ad_conn_ctx(const struct ad_conn *c, struct ad_errctx *ctx,
		    const char *where, const char *op, const char *dn,
		    const char *attr);

/* sasl.c */

/*
 * Binds with SASL GSSAPI as principal (NULL or "": the keytab's first),
 * its credentials acquired or renewed from keytab first; c->bind_dn
 * becomes the principal.
 */
enum sb_status	ad_bind_gssapi(struct ad_conn *c, const char *keytab,
		    const char *principal, struct sb_error *err);
/*
 * LDAP "Who am I?" (RFC 4532) into c->bound; from a DC without it, the bind's
 * own identity ("krb5:principal" or "dn:bind DN").
 */
enum sb_status	ad_whoami(struct ad_conn *c, struct sb_error *err);

/* read.c */

/* Names of ranged attributes seen in one entry, to be fetched in full. */
#define AD_READ_MAX_RANGED	8	/* AD ranges member, msDS-*: few per entry */

struct ad_read_pending {
	char	*names[AD_READ_MAX_RANGED];
	size_t	 n;
};

/*
 * Adds one attribute of an entry, as received, to o: anchors (objectGUID,
 * mS-DS-ConsistencyGuid, objectSid) checked and stored raw; an incomplete
 * "attr;range=a-b" is left out and its plain name recorded in pending; a
 * complete "attr;range=a-*" is stored under the plain name; anything else
 * byte-exact under its name.  Malformed objectGUID or objectSid: SB_SKIP.
 */
enum sb_status	ad_read_attr(struct dirobj *o, const char *name,
		    struct berval *const *vals, struct ad_read_pending *pending,
		    struct sb_error *err);
/* After all attributes: kind from objectClass, display name. */
void		ad_read_finish(struct dirobj *o);
void		ad_read_pending_free(struct ad_read_pending *pending);
/*
 * One entry of a search result into a new dirobj (*out, the caller's),
 * following ranged attributes with ad_read_ranged().
 */
enum sb_status	ad_read_entry(struct ad_conn *c, LDAPMessage *e,
		    struct dirobj **out, struct sb_error *err);

#endif
