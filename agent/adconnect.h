/*
 * The one way the agent binds to AD: the ldap section of the config turned
 * into ad_params and the bind secret read for it.  The cycle and the lease
 * both use it, so a new way to bind is added once.
 */
#ifndef AGENT_ADCONNECT_H
#define AGENT_ADCONNECT_H

#include "conf/conf.h"
#include "ldap/conn.h"

/*
 * Reads what the bind needs from files (the password) into *secret, which
 * the caller wipes with conf_secret_free(); for a GSSAPI bind, checks the
 * keytab's mode and leaves *secret empty.  Done before anything connects,
 * so a bad file costs no bind.
 */
enum sb_status	agent_ad_secret(const struct conf *conf, struct sb_bytes *secret,
		    struct sb_error *err);
/* Connects and binds as conf says with the secret read; *out is new. */
enum sb_status	agent_ad_bind(const struct conf *conf,
		    const struct sb_bytes *secret, struct ad_conn **out,
		    struct sb_error *err);
/* Both, the secret wiped before it returns. */
enum sb_status	agent_ad_connect(const struct conf *conf, struct ad_conn **out,
		    struct sb_error *err);

#endif
