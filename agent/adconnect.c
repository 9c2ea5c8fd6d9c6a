/* Binds to AD with the config's account (a password, or a keytab). */
#include <stdlib.h>
#include <string.h>

#include "agent/adconnect.h"
#include "agent/testhook.h"
#include "conf/secret.h"
#include "ldap/dclist.h"
#include "ldap/srv.h"
#include "mapping/log.h"

static int
gssapi(const struct conf *conf)
{
	return conf->ldap.sasl_mech != NULL && *conf->ldap.sasl_mech != '\0';
}

enum sb_status
agent_ad_secret(const struct conf *conf, struct sb_bytes *secret,
    struct sb_error *err)
{
	/*
	 * A GSSAPI bind reads no secret here: libkrb5 reads the keytab at
	 * each (re)acquisition.  Its mode is checked now all the same, so a
	 * keytab others can read stops the run before anything connects.
	 */
	if (gssapi(conf)) {
		secret->p = NULL;
		secret->len = 0;
		return conf_secret_check(conf->ldap.keytab_file, err);
	}
	return conf_secret_read(conf->ldap.password_file, secret, err);
}

/*
 * ldap.domain: the DCs of the SRV records, in RFC 2782 order.  The record's
 * port is the LDAP port (389): with ldaps the URI is ldaps://<target>:636,
 * with starttls ldap://<target>:<port>.
 */
static enum sb_status
bind_from_dns(const struct conf *conf, const struct ad_params *ap,
    struct ad_conn **out, struct sb_error *err)
{
	struct ad_srv *recs = NULL;
	char **uris = NULL;
	size_t i, n = 0;
	enum sb_status st;

	st = ad_srv_lookup(conf->ldap.domain, agent_testhook_resolver, &recs,
	    &n, err);
	if (st == SB_OK)
		st = ad_srv_uris(recs, n, conf->ldap.starttls, &uris, err);
	for (i = 0; st == SB_OK && i < n; i++)
		log_info("ad.srv domain=%s dc=%zu uri=%s priority=%u weight=%u",
		    conf->ldap.domain, i + 1, uris[i], recs[i].priority,
		    recs[i].weight);
	if (st == SB_OK)
		st = ad_connect_first(ap, (const char *const *)uris, n, out,
		    err);
	ad_srv_uris_free(uris);
	free(recs);
	return st;
}

enum sb_status
agent_ad_bind(const struct conf *conf, const struct sb_bytes *secret,
    struct ad_conn **out, struct sb_error *err)
{
	struct ad_params ap = { 0 };

	ap.ca_file = conf->ldap.ca_file;
	ap.starttls = conf->ldap.starttls;
	ap.bind_dn = conf->ldap.bind_dn;
	ap.password = secret;
	ap.timeout_s = (int)conf->ldap.timeout;
	if (gssapi(conf)) {
		ap.sasl_mech = conf->ldap.sasl_mech;
		ap.keytab = conf->ldap.keytab_file;
		ap.principal = conf->ldap.principal;
		ap.bind_dn = NULL;
		ap.password = NULL;
	}
	if (conf->ldap.uri.n == 0 && *conf->ldap.domain != '\0')
		return bind_from_dns(conf, &ap, out, err);
	return ad_connect_first(&ap, (const char *const *)conf->ldap.uri.v,
	    conf->ldap.uri.n, out, err);
}

enum sb_status
agent_ad_connect(const struct conf *conf, struct ad_conn **out,
    struct sb_error *err)
{
	struct sb_bytes secret = { NULL, 0 };
	enum sb_status st;

	st = agent_ad_secret(conf, &secret, err);
	if (st == SB_OK)
		st = agent_ad_bind(conf, &secret, out, err);
	conf_secret_free(&secret);
	return st;
}
