/* Each section's keys copied out of libconfuse and validated into struct conf. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "internal.h"
#include "mapping/dn.h"

/* One element of ldap.uri: a valid URI whose scheme fits starttls. */
static void
check_one_uri(struct conf_ctx *ctx, const char *uri, int starttls, int gssapi,
    int *schemes)
{
	const char *problem;
	int ldaps = 1;

	if (strpbrk(uri, " \t,") != NULL) {
		conf_diag_key(ctx, "ldap", "uri",
		    "'%.300s' holds several "
		    "URIs: give each its own string, uri = {\"ldaps://a\", "
		    "\"ldaps://b\"}",
		    uri);
		return;
	}
	problem = conf_check_ldap_uri(uri, &ldaps);
	if (problem != NULL) {
		conf_diag_key(ctx, "ldap", "uri", "'%s' %s", uri, problem);
		return;
	}
	*schemes |= ldaps ? 1 : 2;
	/* A GSSAPI bind seals plain LDAP itself (ldap/sasl.c). */
	if (!ldaps && !starttls && !gssapi)
		conf_diag_key(ctx, "ldap", "uri",
		    "'%s' is plain LDAP: use ldaps:// or set starttls = true "
		    "(a password is never sent in clear text; plain LDAP is "
		    "for sasl_mech = \"GSSAPI\", sealed)",
		    uri);
	else if (ldaps && starttls)
		conf_diag_key(ctx, "ldap", "starttls",
		    "starttls applies to "
		    "ldap:// only; '%s' is already TLS",
		    uri);
}

/*
 * ldap.uri: the DCs, tried in order by ldap/dclist.c (each connect on its
 * own, with the timeout, so a DC that does not answer is skipped), all
 * ldaps:// or all ldap:// with starttls.  Or ldap.domain: the DCs from DNS
 * (ldap/srv.c), never both: which one would win is not for us to guess.
 */
static void
load_uri(struct conf_ctx *ctx, cfg_t *sec, struct conf_ldap *l)
{
	size_t i;
	int schemes = 0;

	conf_copy_list(ctx, sec, "uri", &l->uri);
	l->domain = conf_copy_str(ctx, sec, "domain");
	if (ctx->oom)
		return;
	if (l->uri.n > 0 && *l->domain != '\0') {
		conf_diag_key(ctx, "ldap", "domain",
		    "'%s' with uri: give one, "
		    "uri (the DCs named, tried in order) or domain (the DCs "
		    "found in DNS)",
		    l->domain);
		return;
	}
	if (l->uri.n == 0 && *l->domain == '\0') {
		conf_diag_add(ctx, 0, "ldap.uri",
		    "required key is missing "
		    "(the DCs, tried in order), or give ldap.domain to find "
		    "them in DNS");
		return;
	}
	if (*l->domain != '\0' && !conf_check_domain(l->domain))
		conf_diag_key(ctx, "ldap", "domain",
		    "'%s' is not a DNS domain "
		    "name (corp.example)",
		    l->domain);
	for (i = 0; i < l->uri.n; i++)
		check_one_uri(ctx, l->uri.v[i], l->starttls,
		    *l->sasl_mech != '\0', &schemes);
	if (schemes == 3)
		conf_diag_key(ctx, "ldap", "uri",
		    "mixes ldaps:// and ldap:// "
		    "URIs: use one scheme for every DC");
}

/* A simple bind: bind_dn and the file of its password; no Kerberos keys. */
static void
check_simple_bind(struct conf_ctx *ctx, const struct conf_ldap *l)
{
	if (*l->keytab_file != '\0')
		conf_diag_key(ctx, "ldap", "keytab_file",
		    "is for sasl_mech = "
		    "\"GSSAPI\" (a simple bind uses password_file)");
	if (*l->principal != '\0')
		conf_diag_key(ctx, "ldap", "principal",
		    "is for sasl_mech = "
		    "\"GSSAPI\" (a simple bind uses bind_dn)");
	if (*l->bind_dn == '\0')
		conf_diag_key(ctx, "ldap", "bind_dn",
		    "required (the account of the simple bind)");
	else
		conf_dncheck(ctx, "ldap", "bind_dn", l->bind_dn, NULL);
	if (*l->password_file == '\0')
		conf_diag_key(ctx, "ldap", "password_file",
		    "required (the "
		    "file holding bind_dn's password)");
	else
		conf_check_secret(ctx, "ldap", "password_file",
		    l->password_file);
}

/*
 * The bind: simple, or with sasl_mech = "GSSAPI" Kerberos from keytab_file
 * as principal (default: the keytab's first).  Keys of the other kind are
 * refused rather than ignored: a password_file beside GSSAPI would leave
 * unclear which credential binds.
 */
static void
check_bind(struct conf_ctx *ctx, struct conf_ldap *l)
{
	if (*l->sasl_mech == '\0') {
		check_simple_bind(ctx, l);
		return;
	}
	if (strcasecmp(l->sasl_mech, "GSSAPI") != 0) {
		conf_diag_key(ctx, "ldap", "sasl_mech",
		    "'%s': only \"GSSAPI\" "
		    "(a Kerberos bind from a keytab), or empty for a simple "
		    "bind with bind_dn and password_file",
		    l->sasl_mech);
		return;
	}
	memcpy(l->sasl_mech, "GSSAPI", 7);
	if (*l->bind_dn != '\0')
		conf_diag_key(ctx, "ldap", "bind_dn",
		    "not used with sasl_mech "
		    "= \"GSSAPI\" (the principal binds): remove it");
	if (*l->password_file != '\0')
		conf_diag_key(ctx, "ldap", "password_file",
		    "not used with "
		    "sasl_mech = \"GSSAPI\" (keytab_file is the credential): "
		    "remove it");
	if (*l->keytab_file == '\0')
		conf_diag_key(ctx, "ldap", "keytab_file",
		    "required with "
		    "sasl_mech = \"GSSAPI\" (the keytab holding the "
		    "principal's keys)");
	else
		conf_check_secret(ctx, "ldap", "keytab_file", l->keytab_file);
}

void
conf_sections_ldap(struct conf_ctx *ctx, cfg_t *sec, struct conf_ldap *l)
{
	size_t i;

	l->starttls = cfg_getbool(sec, "starttls");
	l->ca_file = conf_copy_str(ctx, sec, "ca_file");
	l->bind_dn = conf_copy_str(ctx, sec, "bind_dn");
	l->password_file = conf_copy_str(ctx, sec, "password_file");
	l->sasl_mech = conf_copy_str(ctx, sec, "sasl_mech");
	l->keytab_file = conf_copy_str(ctx, sec, "keytab_file");
	l->principal = conf_copy_str(ctx, sec, "principal");
	l->base_dn = conf_copy_str(ctx, sec, "base_dn");
	conf_copy_list(ctx, sec, "write_scope", &l->write_scope);
	l->timeout = conf_copy_long(ctx, sec, "ldap", "timeout", 1, 3600);
	if (!ctx->oom)
		load_uri(ctx, sec, l);
	if (ctx->oom)
		return;

	if (*l->ca_file)
		conf_check_readable(ctx, "ldap", "ca_file", l->ca_file);
	check_bind(ctx, l);
	conf_dncheck(ctx, "ldap", "base_dn", l->base_dn, NULL);
	if (l->write_scope.n == 0)
		conf_diag_key(ctx, "ldap", "write_scope", "at least one DN is "
		    "required: writes are confined to it");
	for (i = 0; i < l->write_scope.n; i++)
		conf_dncheck(ctx, "ldap", "write_scope", l->write_scope.v[i],
		    l->base_dn);
}

/*
 * cloud.environment: Microsoft's global cloud or a national one.  It sets
 * the hosts and the token audiences (cloud/token.c); the URL keys only move
 * where requests go.  The names are the contract's (DESIGN.md).
 */
static void
check_environment(struct conf_ctx *ctx, const char *env)
{
	static const char *const names[] = { "global", "usgov", "usgov-dod",
	    "china" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(env, names[i]) == 0)
			return;
	conf_diag_key(ctx, "cloud", "environment", "'%s' is not one of global, "
	    "usgov (GCC High), usgov-dod (DoD), china (21Vianet)", env);
}

/*
 * The credentials: ids of the tenant and the app, and exactly one way to
 * prove the app's identity: the client secret's file, or a certificate with
 * its private key (both of the pair, never beside a secret: with two, the
 * admin could not tell which one a token was asked with).
 */
static void
check_credentials(struct conf_ctx *ctx, struct conf_cloud *c)
{
	int secret = *c->client_secret_file != '\0';
	int cert = *c->certificate_file != '\0';
	int key = *c->private_key_file != '\0';

	if (!conf_check_guid(c->tenant_id) && !conf_check_domain(c->tenant_id))
		conf_diag_key(ctx, "cloud", "tenant_id", "'%s' is neither a "
		    "GUID nor a domain name", c->tenant_id);
	if (!conf_check_guid(c->client_id))
		conf_diag_key(ctx, "cloud", "client_id", "'%s' is not a GUID "
		    "(the application's client id)", c->client_id);
	if (secret && (cert || key))
		conf_diag_key(ctx, "cloud",
		    cert ? "certificate_file" : "private_key_file",
		    "give one credential: client_secret_file, or "
		    "certificate_file with private_key_file, not both");
	else if (cert && !key)
		conf_diag_key(ctx, "cloud", "certificate_file",
		    "needs private_key_file too (the file holding its "
		    "private key)");
	else if (key && !cert)
		conf_diag_key(ctx, "cloud", "private_key_file",
		    "needs certificate_file too (the certificate of this "
		    "key)");
	else if (!secret && !cert)
		conf_diag_key(ctx, "cloud", "client_secret_file",
		    "required (the file holding the app registration's "
		    "client secret), or certificate_file and "
		    "private_key_file");
	if (secret)
		conf_check_secret(ctx, "cloud", "client_secret_file",
		    c->client_secret_file);
	if (cert)
		conf_check_readable(ctx, "cloud", "certificate_file",
		    c->certificate_file);
	if (key)
		conf_check_secret(ctx, "cloud", "private_key_file",
		    c->private_key_file);
}

void
conf_sections_cloud(struct conf_ctx *ctx, cfg_t *sec, struct conf_cloud *c)
{
	static const char *const urls[] = { "login_url", "graph_url",
	    "exchange_url" };
	char **fields[] = { &c->login_url, &c->graph_url, &c->exchange_url };
	const char *problem;
	size_t i;

	c->tenant_id = conf_copy_str(ctx, sec, "tenant_id");
	c->client_id = conf_copy_str(ctx, sec, "client_id");
	c->client_secret_file = conf_copy_str(ctx, sec, "client_secret_file");
	c->certificate_file = conf_copy_str(ctx, sec, "certificate_file");
	c->private_key_file = conf_copy_str(ctx, sec, "private_key_file");
	c->environment = conf_copy_str(ctx, sec, "environment");
	for (i = 0; i < 3; i++)
		*fields[i] = conf_copy_str(ctx, sec, urls[i]);
	c->ca_file = conf_copy_str(ctx, sec, "ca_file");
	c->timeout = conf_copy_long(ctx, sec, "cloud", "timeout", 1, 3600);
	c->max_per_second = (int)conf_copy_long(ctx, sec, "cloud",
	    "max_requests_per_second", 1, 1000);
	if (ctx->oom)
		return;

	check_credentials(ctx, c);
	check_environment(ctx, c->environment);
	for (i = 0; i < 3; i++) {
		if (**fields[i] == '\0')
			continue;	/* the environment's */
		problem = conf_check_https_url(*fields[i]);
		if (problem != NULL)
			conf_diag_key(ctx, "cloud", urls[i], "'%s' %s",
			    *fields[i], problem);
	}
	if (*c->ca_file)
		conf_check_readable(ctx, "cloud", "ca_file", c->ca_file);
}

/* groups.default_ou: a valid DN inside allowed_ous and ldap.write_scope. */
static void
check_default_ou(struct conf_ctx *ctx, const struct conf_groups *g,
    const struct conf_ldap *l)
{
	if (*g->default_ou == '\0') {
		if (g->provision)
			conf_diag_add(ctx, conf_diag_line(ctx, "groups",
			    "provision"), "groups.default_ou",
			    "required when provision = true");
		return;
	}
	conf_dncheck(ctx, "groups", "default_ou", g->default_ou, l->base_dn);
	if (!map_dn_valid(g->default_ou))
		return;
	if (!conf_dncheck_in_list(g->default_ou, &g->allowed_ous))
		conf_diag_key(ctx, "groups", "default_ou", "'%s' is not inside "
		    "any of allowed_ous", g->default_ou);
	if (!conf_dncheck_in_list(g->default_ou, &l->write_scope))
		conf_diag_key(ctx, "groups", "default_ou", "'%s' is not inside "
		    "ldap.write_scope", g->default_ou);
}

static void
check_groups(struct conf_ctx *ctx, cfg_t *sec, struct conf_groups *g,
    const struct conf_ldap *l)
{
	const char *type = cfg_getstr(sec, "type");
	size_t i;

	if (strcmp(type, "universal") == 0)
		g->type = CONF_GROUP_UNIVERSAL;
	else if (strcmp(type, "global") == 0)
		g->type = CONF_GROUP_GLOBAL;
	else if (strcmp(type, "domain-local") == 0)
		g->type = CONF_GROUP_DOMAIN_LOCAL;
	else
		conf_diag_key(ctx, "groups", "type", "'%s' is not one of "
		    "universal, global, domain-local", type);
	for (i = 0; i < g->provision_groups.n; i++)
		if (!conf_check_guid(g->provision_groups.v[i]))
			conf_diag_key(ctx, "groups", "provision_groups",
			    "'%s' is not a cloud group id (GUID)",
			    g->provision_groups.v[i]);
	if (!conf_check_sam_pattern(g->sam_pattern))
		conf_diag_key(ctx, "groups", "sam_pattern", "'%s' is empty or "
		    "uses an unknown placeholder (known: %%{displayName}, "
		    "%%{mailNickname}, %%{id})", g->sam_pattern);
	for (i = 0; i < g->allowed_ous.n; i++)
		conf_dncheck(ctx, "groups", "allowed_ous", g->allowed_ous.v[i],
		    l->base_dn);
	check_default_ou(ctx, g, l);
	if (*g->ou_extension != '\0' &&
	    !conf_check_extension_name(g->ou_extension))
		conf_diag_key(ctx, "groups", "ou_extension", "'%s' is not a "
		    "directory extension name (extension_<appId without "
		    "dashes>_<name>)", g->ou_extension);
}

void
conf_sections_groups(struct conf_ctx *ctx, cfg_t *sec, struct conf_groups *g,
    const struct conf_ldap *l)
{
	g->provision = cfg_getbool(sec, "provision");
	conf_copy_list(ctx, sec, "provision_groups", &g->provision_groups);
	g->sam_pattern = conf_copy_str(ctx, sec, "sam_pattern");
	g->default_ou = conf_copy_str(ctx, sec, "default_ou");
	conf_copy_list(ctx, sec, "allowed_ous", &g->allowed_ous);
	g->ou_extension = conf_copy_str(ctx, sec, "ou_extension");
	g->remove_unsynced_members = cfg_getbool(sec,
	    "remove_unsynced_members");
	g->delete = cfg_getbool(sec, "delete");
	if (!ctx->oom)
		check_groups(ctx, sec, g, l);
}

/* exchange.proxy_address_exclude: prefixes kept out of proxyAddresses writes. */
static void
load_exchange(struct conf_ctx *ctx, cfg_t *sec, struct conf_exchange *x)
{
	size_t i;

	conf_copy_list(ctx, sec, "proxy_address_exclude",
	    &x->proxy_address_exclude);
	for (i = 0; !ctx->oom && i < x->proxy_address_exclude.n; i++)
		if (!conf_check_prefix(x->proxy_address_exclude.v[i]))
			conf_diag_key(ctx, "exchange", "proxy_address_exclude",
			    "'%.64s' is not an address prefix (up to %d "
			    "letters, digits, '-' or '_', and an optional ':', "
			    "e.g. \"SPO:\")", x->proxy_address_exclude.v[i],
			    CONF_PREFIX_MAX);
}

void
conf_sections_rest(struct conf_ctx *ctx, cfg_t *cfg, struct conf *c)
{
	cfg_t *lim = cfg_getsec(cfg, "limits");

	c->limits.max_changes = conf_copy_long(ctx, lim, "limits",
	    "max_changes", 0, 100000000);
	c->limits.max_deletes = conf_copy_long(ctx, lim, "limits",
	    "max_deletes", 0, 100000000);
	c->limits.flap_threshold = conf_copy_long(ctx, lim, "limits",
	    "flap_threshold", 1, 1000);
	c->state_dir = conf_copy_str(ctx, cfg, "state_dir");
	if (ctx->oom)
		return;
	if (c->state_dir[0] != '/')
		conf_diag_key(ctx, "", "state_dir",
		    "'%s' must be an absolute path", c->state_dir);
	load_exchange(ctx, cfg_getsec(cfg, "exchange"), &c->exchange);
	if (ctx->oom)
		return;
	conf_daemon(ctx, cfg, c);
}
