/* check-config: validate the file (OpenBSD's -n), optionally try the connections. */
#include <stdio.h>
#include <string.h>

#include "agent/cmd/cli.h"
#include "mapping/log.h"
#include "agent/cycle.h"
#include "agent/lease.h"
#include "conf/conf.h"
#include "ldap/conn.h"
#include "ldap/schema.h"
#include "mapping/attrmap.h"

/* The lease object exists, can be read, and this account may write it. */

/* The DC's dnsHostName, or why there is none to show. */
static const char *
dc_host(const struct ad_conn *ad)
{
	return ad_conn_dns_host(ad) ? ad_conn_dns_host(ad) : "no dnsHostName";
}

static enum sb_status
check_lease(const struct conf *conf, struct sb_error *err)
{
	const char *dn = conf->daemon.lease_dn;
	struct ad_lease l;
	char when[32];
	enum sb_status st;

	st = agent_lease_read_holder(conf, &l, err);
	if (st != SB_OK)
		return st;
	if (!l.writable)
		return sb_fail(err, SB_STOP, 0, "lease",
		    "%s (daemon.lease_dn): "
		    "%s may read it but not write %s: delegate Read and Write "
		    "Property of %s on it (README: Several hosts, one writer)",
		    dn, conf->ldap.bind_dn, AD_LEASE_ATTR, AD_LEASE_ATTR);
	if (!l.present)
		printf("lease: %s can be read and written; free\n", dn);
	else if (!l.valid)
		printf("lease: %s can be read and written; its %s holds a "
		       "value that is no lease: no agent writes until it is "
		       "cleared\n",
		    dn, AD_LEASE_ATTR);
	else
		printf("lease: %s can be read and written; held by %s until "
		       "%s\n",
		    dn, l.holder, sb_utc_text(l.expires, when, sizeof(when)));
	return SB_OK;
}

/* Bind, get both tokens, compare the map with the schema; say what was done. */
static enum sb_status
check_connect(const struct cli *cli, const struct conf *conf)
{
	struct sb_error err = { 0 };
	struct cycle cy;
	enum sb_status st;
	size_t i;

	st = agent_cycle_open(&cy, conf, &err);
	if (st == SB_OK) {
		/* Which DC, and who it says we are (WhoAmI, or the bind's). */
		if (*conf->ldap.sasl_mech != '\0')
			printf("ldap: bound to %s (DC: %s) as %s (%s)\n",
			    ad_conn_uri(cy.ad), dc_host(cy.ad),
			    ad_conn_bound(cy.ad), conf->ldap.sasl_mech);
		else
			printf(
			    "ldap: bound to %s (DC: %s) as %s (whoami: %s)\n",
			    ad_conn_uri(cy.ad), dc_host(cy.ad),
			    conf->ldap.bind_dn, ad_conn_bound(cy.ad));
		st = agent_cycle_tokens(&cy, &err);
	}
	if (st == SB_OK) {
		printf("cloud: got Graph and Exchange Online tokens for client "
		    "%s in tenant %s\n", conf->cloud.client_id,
		    conf->cloud.tenant_id);
		st = ad_schema_missing(cy.ad, map_ad_read_attrs(),
		    &cy.missing_attrs, &cy.nmissing, &err);
	}
	if (st == SB_OK && cy.nmissing == 0)
		printf("schema: every mapped attribute exists in AD\n");
	for (i = 0; st == SB_OK && i < cy.nmissing; i++)
		printf("schema: AD lacks %s: it will not be written (extend "
		    "the schema, e.g. with the Exchange schema)\n",
		    cy.missing_attrs[i]);
	if (st == SB_OK && *conf->daemon.lease_dn != '\0')
		st = check_lease(conf, &err);
	if (st != SB_OK)
		fprintf(stderr, "%s: %s: %s\n", cli->prog, err.where,
		    err.text);
	agent_cycle_close(&cy);
	return st;
}

int
agent_cmd_check_config(const struct cli *cli, int argc, char **argv)
{
	struct conf_diag diag;
	struct conf *conf = NULL;
	enum sb_status st;
	int do_connect = 0, i;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--connect") == 0)
			do_connect = 1;
		else {
			agent_usage_error(cli, "check-config: unknown argument "
			    "'%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	st = conf_load(cli->config_path, &conf, &diag);
	for (k = 0; k < diag.n; k++)
		fprintf(stderr, "%s\n", diag.lines[k]);
	/* A section nothing reads: said, but the file is usable (exit 0). */
	for (k = 0; !cli->quiet && k < diag.nwarn; k++)
		fprintf(stderr, "%s\n", diag.warnings[k]);
	if (st != SB_OK) {
		fprintf(stderr, "%s: configuration has %zu error%s\n",
		    cli->config_path, diag.n, diag.n == 1 ? "" : "s");
		conf_diag_free(&diag);
		return agent_exit_code(st);
	}
	if (!cli->quiet && diag.nwarn > 0)
		printf("%s: configuration OK (%zu warning%s)\n",
		    cli->config_path, diag.nwarn, diag.nwarn == 1 ? "" : "s");
	else if (!cli->quiet)
		printf("%s: configuration OK\n", cli->config_path);
	if (!cli->quiet && *conf->daemon.lease_dn != '\0')
		printf("lease: %s (%s), %ld s; writes stop %ld s before it "
		       "expires\n",
		    conf->daemon.lease_dn, AD_LEASE_ATTR,
		    conf->daemon.lease_seconds,
		    AGENT_LEASE_MARGIN(conf->daemon.lease_seconds));
	if (!cli->quiet && conf->daemon.metrics_file[0] != '\0')
		printf("metrics: 'soabridge run' writes its counters in the "
		       "Prometheus text format to %s at start and after every "
		       "cycle\n",
		    conf->daemon.metrics_file);
	conf_diag_free(&diag);
	st = do_connect ? check_connect(cli, conf) : SB_OK;
	conf_free(conf);
	return agent_exit_code(st);
}
