/*
 * Credentials from a keytab for GSSAPI binds: MIT krb5 acquires them
 * (krb5_get_init_creds_keytab) into a memory cache of this process and
 * acquires them again before they expire.  No Kerberos protocol here: only
 * what libkrb5 needs to be told.
 */
#include <errno.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>
#include <profile.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mapping/log.h"
#include "ldap/kerberos.h"

/*
 * One cache per process.  MEMORY: is never the user's default cache
 * (KRB5CCNAME, /tmp/krb5cc_<uid>), never touches the disk, and goes with the
 * process; the credentials live as long as the keytab allows.
 */
static struct {
	char ccname[64];
	char keytab[4096];
	char wanted[512]; /* ldap.principal; "": the keytab's first */
	char principal[512]; /* the client, as text */
	char realm[256];
	long long start, end;
	int have;
} krb;

/* The first principal the keytab holds (ldap.principal left empty). */
static krb5_error_code
first_principal(krb5_context ctx, krb5_keytab kt, krb5_principal *out)
{
	krb5_kt_cursor cur;
	krb5_keytab_entry ent;
	krb5_error_code rc;

	rc = krb5_kt_start_seq_get(ctx, kt, &cur);
	if (rc != 0)
		return rc;
	rc = krb5_kt_next_entry(ctx, kt, &ent, &cur);
	if (rc == 0) {
		rc = krb5_copy_principal(ctx, ent.principal, out);
		krb5_free_keytab_entry_contents(ctx, &ent);
	}
	krb5_kt_end_seq_get(ctx, kt, &cur);
	return rc;
}

/* The first kdc krb5.conf names for realm, into out ("" when none). */
static void
realm_kdc(krb5_context ctx, const char *realm, char *out, size_t size)
{
	const char *names[] = { "realms", realm, "kdc", NULL };
	struct _profile_t *prof = NULL;
	char **vals = NULL;

	out[0] = '\0';
	if (krb5_get_profile(ctx, &prof) != 0)
		return;
	if (profile_get_values(prof, names, &vals) == 0 && vals != NULL &&
	    vals[0] != NULL)
		snprintf(out, size, "%s", vals[0]);
	profile_free_list(vals);
	profile_release(prof);
}

/* Maps rc with krb5's own message and the realm's KDC as known. */
static enum sb_status
krb_fail(krb5_context ctx, krb5_error_code rc, struct ad_krb_errctx *x,
    struct sb_error *err)
{
	const char *msg = ctx != NULL ? krb5_get_error_message(ctx, rc) : NULL;
	char kdc[256] = "";
	enum sb_status st;

	if (ctx != NULL && x->realm != NULL)
		realm_kdc(ctx, x->realm, kdc, sizeof(kdc));
	x->kdc = kdc;
	x->detail = msg != NULL ? msg : "cannot initialise krb5";
	st = ad_krb_errmap(rc, x, err);
	if (msg != NULL)
		krb5_free_error_message(ctx, msg);
	return st;
}

/* From the keytab into the cache: the whole acquisition, or nothing. */
static enum sb_status
acquire(krb5_context ctx, const char *keytab, const char *wanted,
    struct sb_error *err)
{
	struct ad_krb_errctx x = { .principal = wanted, .keytab = keytab };
	krb5_get_init_creds_opt *opt = NULL;
	krb5_principal client = NULL;
	krb5_keytab kt = NULL;
	krb5_ccache cc = NULL;
	krb5_creds creds;
	krb5_error_code rc;
	enum sb_status st = SB_OK;
	char ktname[4200], *name = NULL, realm[256] = "";

	memset(&creds, 0, sizeof(creds));
	snprintf(ktname, sizeof(ktname), "FILE:%s", keytab);
	rc = krb5_kt_resolve(ctx, ktname, &kt);
	if (rc == 0)
		rc = *wanted ? krb5_parse_name(ctx, wanted, &client) :
			       first_principal(ctx, kt, &client);
	if (rc == 0 && (rc = krb5_unparse_name(ctx, client, &name)) == 0) {
		x.principal = name;
		snprintf(realm, sizeof(realm), "%.*s",
		    (int)client->realm.length, client->realm.data);
		x.realm = realm;
	}
	/* The lifetime is krb5.conf's ticket_lifetime (default 1 day). */
	if (rc == 0)
		rc = krb5_get_init_creds_opt_alloc(ctx, &opt);
	if (rc == 0)
		rc = krb5_get_init_creds_keytab(ctx, &creds, client, kt, 0,
		    NULL, opt);
	if (rc == 0)
		rc = krb5_cc_resolve(ctx, krb.ccname, &cc);
	if (rc == 0)
		rc = krb5_cc_initialize(ctx, cc, client);
	if (rc == 0)
		rc = krb5_cc_store_cred(ctx, cc, &creds);
	if (rc != 0) {
		st = krb_fail(ctx, rc, &x, err);
		goto done;
	}
	snprintf(krb.principal, sizeof(krb.principal), "%s", name);
	snprintf(krb.realm, sizeof(krb.realm), "%s", realm);
	krb.start = creds.times.starttime ? creds.times.starttime :
					    creds.times.authtime;
	krb.end = creds.times.endtime;
done:
	if (cc != NULL)
		krb5_cc_close(ctx, cc);
	krb5_free_cred_contents(ctx, &creds);
	krb5_get_init_creds_opt_free(ctx, opt);
	krb5_free_unparsed_name(ctx, name);
	krb5_free_principal(ctx, client);
	if (kt != NULL)
		krb5_kt_close(ctx, kt);
	return st;
}

enum sb_status
ad_krb_creds(const char *keytab, const char *principal, char *who,
    size_t whosize, struct sb_error *err)
{
	struct ad_krb_errctx x = { .principal = principal, .keytab = keytab };
	long long now = (long long)time(NULL), left = krb.end - now;
	krb5_context ctx = NULL;
	krb5_error_code rc;
	enum sb_status st;
	int renewing;

	if (principal == NULL)
		principal = "";
	renewing = krb.have && strcmp(krb.keytab, keytab) == 0 &&
	    strcmp(krb.wanted, principal) == 0;
	if (renewing && !ad_krb_renew_due(now, krb.start, krb.end)) {
		snprintf(who, whosize, "%s", krb.principal);
		return SB_OK;
	}
	/* krb5 would say "not found in keytab" of a file it cannot read. */
	if (access(keytab, R_OK) == -1)
		return ad_krb_errmap(errno, &x, err);
	if (krb.ccname[0] == '\0')
		snprintf(krb.ccname, sizeof(krb.ccname), "MEMORY:soabridge-%ld",
		    (long)getpid());
	if ((rc = krb5_init_context(&ctx)) != 0)
		return krb_fail(NULL, rc, &x, err);
	krb.have = 0;
	st = acquire(ctx, keytab, principal, err);
	krb5_free_context(ctx);
	if (st != SB_OK)
		return st;
	snprintf(krb.keytab, sizeof(krb.keytab), "%s", keytab);
	snprintf(krb.wanted, sizeof(krb.wanted), "%s", principal);
	krb.have = 1;
	if (renewing)
		log_info("ad.kerberos principal=%s keytab=%s cache=%s "
			 "lifetime=%llds result=renewed left=%llds",
		    krb.principal, keytab, krb.ccname, krb.end - krb.start,
		    left);
	else
		log_info("ad.kerberos principal=%s keytab=%s cache=%s "
			 "lifetime=%llds result=acquired",
		    krb.principal, keytab, krb.ccname, krb.end - krb.start);
	snprintf(who, whosize, "%s", krb.principal);
	return SB_OK;
}

enum sb_status
ad_krb_service(const char *host, struct sb_error *err)
{
	struct ad_krb_errctx x = { .principal = krb.principal,
		.keytab = krb.keytab,
		.realm = krb.realm,
		.host = host };
	krb5_context ctx = NULL;
	krb5_ccache cc = NULL;
	krb5_creds in, *out = NULL;
	krb5_error_code rc;
	OM_uint32 minor;
	enum sb_status st = SB_OK;

	memset(&in, 0, sizeof(in));
	if (!krb.have)
		return sb_fail(err, SB_BUG, 0, "ad.kerberos",
		    "no Kerberos "
		    "credentials acquired before the bind to %s",
		    host);
	/*
	 * Cyrus SASL's GSSAPI plugin binds with GSSAPI's default credentials:
	 * point them, for this thread (the one that binds), at our cache.
	 * Setting KRB5CCNAME instead would hand the cache's name to every
	 * library and child process of the agent.
	 */
	if (gss_krb5_ccache_name(&minor, krb.ccname, NULL) != GSS_S_COMPLETE)
		return sb_fail(err, SB_BUG, (int)minor, "ad.kerberos",
		    "cannot point GSSAPI at the credential cache %s",
		    krb.ccname);
	if ((rc = krb5_init_context(&ctx)) != 0)
		return krb_fail(NULL, rc, &x, err);
	/* The name GSSAPI asks for: host-based, as krb5.conf maps it. */
	rc = krb5_cc_resolve(ctx, krb.ccname, &cc);
	if (rc == 0)
		rc = krb5_cc_get_principal(ctx, cc, &in.client);
	if (rc == 0)
		rc = krb5_sname_to_principal(ctx, host, "ldap", KRB5_NT_SRV_HST,
		    &in.server);
	if (rc == 0)
		rc = krb5_get_credentials(ctx, 0, cc, &in, &out);
	if (rc != 0) {
		/* Acquire anew next time whatever went wrong. */
		if (rc == KRB5KRB_AP_ERR_TKT_EXPIRED)
			krb.have = 0;
		st = krb_fail(ctx, rc, &x, err);
	}
	krb5_free_creds(ctx, out);
	krb5_free_cred_contents(ctx, &in);
	if (cc != NULL)
		krb5_cc_close(ctx, cc);
	krb5_free_context(ctx);
	return st;
}
