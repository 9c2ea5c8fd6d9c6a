/* Binds to AD with the config's account. */
#include <string.h>

#include "agent/adconnect.h"
#include "conf/secret.h"

enum sb_status
agent_ad_secret(const struct conf *conf, struct sb_bytes *secret,
    struct sb_error *err)
{
	if (conf->ldap.sasl_mech != NULL && *conf->ldap.sasl_mech != '\0')
		return sb_fail(err, SB_CONFIG, 0, "conf",
		    "%s: ldap.sasl_mech: GSSAPI binds are not supported by "
		    "this version; use bind_dn and password_file",
		    conf->path);
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
