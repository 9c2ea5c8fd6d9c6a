/* The file's sections and keys with their defaults: libconfuse's option tables. */
#include <stdio.h>

#include "conf.h"
#include "internal.h"

/*
 * Keys of the contract that are not supported yet parse and are refused
 * unless they hold their default: uri as a list, domain (sections.c); the
 * daemon section (unsupported.c).
 */
static cfg_opt_t ldap_opts[] = {
	CFG_STR_LIST("uri", NULL, CFGF_NODEFAULT),
	CFG_STR("domain", "", CFGF_NONE),
	CFG_BOOL("starttls", cfg_false, CFGF_NONE),
	CFG_STR("ca_file", "", CFGF_NONE),
	CFG_STR("bind_dn", "", CFGF_NONE),
	CFG_STR("password_file", "", CFGF_NONE),
	CFG_STR("sasl_mech", "", CFGF_NONE),
	CFG_STR("keytab_file", "", CFGF_NONE),
	CFG_STR("principal", "", CFGF_NONE),
	CFG_STR("base_dn", NULL, CFGF_NODEFAULT),
	CFG_STR_LIST("write_scope", NULL, CFGF_NODEFAULT),
	CFG_INT("timeout", 30, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t cloud_opts[] = {
	CFG_STR("tenant_id", NULL, CFGF_NODEFAULT),
	CFG_STR("client_id", NULL, CFGF_NODEFAULT),
	CFG_STR("client_secret_file", "", CFGF_NONE),
	CFG_STR("certificate_file", "", CFGF_NONE),
	CFG_STR("private_key_file", "", CFGF_NONE),
	CFG_STR("environment", "global", CFGF_NONE),
	/* "": the environment's host (cloud/token.c has them) */
	CFG_STR("login_url", "", CFGF_NONE),
	CFG_STR("graph_url", "", CFGF_NONE),
	CFG_STR("exchange_url", "", CFGF_NONE),
	CFG_STR("ca_file", "", CFGF_NONE),
	CFG_INT("timeout", 60, CFGF_NONE),
	CFG_INT("max_requests_per_second", CONF_CLOUD_MAX_RPS, CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t groups_opts[] = {
	CFG_BOOL("provision", cfg_false, CFGF_NONE),
	CFG_STR_LIST("provision_groups", "{}", CFGF_NONE),
	CFG_STR("type", "universal", CFGF_NONE),
	CFG_STR("sam_pattern", "%{displayName}", CFGF_NONE),
	CFG_STR("default_ou", "", CFGF_NONE),
	CFG_STR_LIST("allowed_ous", "{}", CFGF_NONE),
	CFG_STR("ou_extension", "", CFGF_NONE),
	CFG_BOOL("remove_unsynced_members", cfg_false, CFGF_NONE),
	CFG_BOOL("delete", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t limits_opts[] = {
	CFG_INT("max_changes", 500, CFGF_NONE),
	CFG_INT("max_deletes", 50, CFGF_NONE),
	CFG_INT("flap_threshold", 3, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t exchange_opts[] = {
	CFG_STR_LIST("proxy_address_exclude", "{\"SPO:\"}", CFGF_NONE),
	CFG_END()
};

static cfg_opt_t daemon_opts[] = {
	CFG_INT("interval", CONF_DAEMON_INTERVAL, CFGF_NONE),
	CFG_INT("full_interval", CONF_DAEMON_FULL_INTERVAL, CFGF_NONE),
	CFG_STR("metrics_file", "", CFGF_NONE),
	CFG_STR("lease_dn", "", CFGF_NONE),
	CFG_INT("lease_seconds", CONF_DAEMON_LEASE_SECONDS, CFGF_NONE),
	CFG_END()
};

cfg_opt_t conf_schema_root[] = {
	CFG_SEC("ldap", ldap_opts, CFGF_NODEFAULT),
	CFG_SEC("cloud", cloud_opts, CFGF_NODEFAULT),
	CFG_SEC("groups", groups_opts, CFGF_NONE),
	CFG_SEC("limits", limits_opts, CFGF_NONE),
	CFG_SEC("exchange", exchange_opts, CFGF_NONE),
	CFG_SEC("daemon", daemon_opts, CFGF_NONE),
	CFG_STR("state_dir", "/var/lib/soabridge", CFGF_NONE),
	CFG_END()
};

void
conf_schema_watch(cfg_t *cfg)
{
	static const struct {
		const char	*section;
		cfg_opt_t	*opts;
	} secs[] = {
		{ "ldap", ldap_opts }, { "cloud", cloud_opts },
		{ "groups", groups_opts }, { "limits", limits_opts },
		{ "exchange", exchange_opts }, { "daemon", daemon_opts },
	};
	char path[96];
	size_t i;
	cfg_opt_t *o;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (o = secs[i].opts; o->name != NULL; o++) {
			snprintf(path, sizeof(path), "%s|%s", secs[i].section,
			    o->name);
			cfg_set_validate_func(cfg, path, conf_diag_set_by);
		}
	cfg_set_validate_func(cfg, "state_dir", conf_diag_set_by);
}
