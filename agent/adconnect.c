/* Binds to AD with the config's account: a password, or a keytab. */
#include <string.h>

#include "agent/adconnect.h"
#include "conf/secret.h"

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

enum sb_status
agent_ad_bind(const struct conf *conf, const struct sb_bytes *secret,
    struct ad_conn **out, struct sb_error *err)
{
	struct ad_params ap = { 0 };

	ap.uri = conf->ldap.uri;
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
	return ad_connect(&ap, out, err);
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
