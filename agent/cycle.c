/* Read both sides and plan: the shared front half of plan, sync and report. */
#include <stdlib.h>
#include <string.h>

#include "agent/cycle.h"
#include "agent/log.h"
#include "cloud/client.h"
#include "cloud/exo.h"
#include "cloud/graph.h"
#include "conf/secret.h"
#include "ldap/conn.h"
#include "ldap/schema.h"
#include "ldap/search.h"
#include "mapping/attrmap.h"

/* AD objects the agent reads: users and contacts (groups come later). */
static const char ad_filter[] =
    "(|(&(objectCategory=person)(objectClass=user))(objectClass=contact))";

static enum sb_status
collect(struct dirobj *o, void *arg, struct sb_error *err)
{
	return dirset_add(arg, o, err);
}

static void
options_from_conf(struct cycle *cy)
{
	const struct conf *c = cy->conf;

	map_options_init(&cy->mopt);
	cy->mopt.base_dn = c->ldap.base_dn;
	cy->mopt.write_scope = c->ldap.write_scope.v;
	cy->mopt.nwrite_scope = c->ldap.write_scope.n;
	cy->mopt.skip_attrs = cy->missing_attrs;
	cy->mopt.nskip_attrs = cy->nmissing;
	cy->mopt.groups.provision = c->groups.provision;
	cy->mopt.groups.provision_groups = c->groups.provision_groups.v;
	cy->mopt.groups.nprovision_groups = c->groups.provision_groups.n;
	cy->mopt.groups.type = (enum map_group_type)c->groups.type;
	cy->mopt.groups.sam_pattern = c->groups.sam_pattern;
	cy->mopt.groups.default_ou = c->groups.default_ou;
	cy->mopt.groups.allowed_ous = c->groups.allowed_ous.v;
	cy->mopt.groups.nallowed_ous = c->groups.allowed_ous.n;
	cy->mopt.groups.ou_extension = c->groups.ou_extension;
	cy->mopt.groups.remove_unsynced_members =
	    c->groups.remove_unsynced_members;
	cy->mopt.groups.delete_removed = c->groups.delete;
}

enum sb_status
agent_cycle_open(struct cycle *cy, const struct conf *conf,
    struct sb_error *err)
{
	struct ad_params ap = { 0 };
	struct cloud_params cp = { 0 };
	enum sb_status st;

	memset(cy, 0, sizeof(*cy));
	cy->conf = conf;
	dirset_init(&cy->ad_objs);
	dirset_init(&cy->cloud_users);
	dirset_init(&cy->mailboxes);

	if (*conf->ldap.sasl_mech != '\0')
		return sb_fail(err, SB_CONFIG, 0, "conf",
		    "%s: ldap.sasl_mech: GSSAPI binds are not supported by "
		    "this version; use bind_dn and password_file",
		    conf->path);
	if (*conf->cloud.client_secret_file == '\0')
		return sb_fail(err, SB_CONFIG, 0, "conf",
		    "%s: cloud.certificate_file: certificate credentials are "
		    "not supported by this version; use client_secret_file",
		    conf->path);
	st = conf_secret_read(conf->ldap.password_file, &cy->ldap_pw, err);
	if (st != SB_OK)
		return st;
	st = conf_secret_read(conf->cloud.client_secret_file,
	    &cy->client_secret, err);
	if (st != SB_OK)
		return st;

	ap.uri = conf->ldap.uri;
	ap.ca_file = conf->ldap.ca_file;
	ap.starttls = conf->ldap.starttls;
	ap.bind_dn = conf->ldap.bind_dn;
	ap.password = &cy->ldap_pw;
	ap.timeout_s = (int)conf->ldap.timeout;
	st = ad_connect(&ap, &cy->ad, err);
	if (st != SB_OK)
		return st;

	cp.login_url = conf->cloud.login_url;
	cp.graph_url = conf->cloud.graph_url;
	cp.exchange_url = conf->cloud.exchange_url;
	cp.tenant_id = conf->cloud.tenant_id;
	cp.client_id = conf->cloud.client_id;
	cp.client_secret = &cy->client_secret;
	cp.ca_file = *conf->cloud.ca_file ? conf->cloud.ca_file : NULL;
	cp.timeout_s = (int)conf->cloud.timeout;
	return cloud_open(&cp, &cy->cloud, err);
}

enum sb_status
agent_cycle_tokens(struct cycle *cy, struct sb_error *err)
{
	return cloud_check_tokens(cy->cloud, err);
}

/* Which mapped attributes the directory lacks: those are skipped, loudly. */
static enum sb_status
read_schema(struct cycle *cy, struct sb_error *err)
{
	enum sb_status st;
	size_t i;

	st = ad_schema_missing(cy->ad, map_ad_read_attrs(), &cy->missing_attrs,
	    &cy->nmissing, err);
	if (st != SB_OK)
		return st;
	for (i = 0; i < cy->nmissing; i++)
		log_warn("ad.schema attr=%s result=missing (not written; "
		    "extend the schema to map it)", cy->missing_attrs[i]);
	return SB_OK;
}

/*
 * SOA is read only for candidates: objects with on-premises anchors whose
 * onPremisesSyncEnabled is not true (graph-exo-protocol.md section 3).
 */
static enum sb_status
read_soa(struct cycle *cy, struct sb_error *err)
{
	const char **ids = NULL;
	enum sb_tri *flags = NULL;
	struct dirobj *o;
	enum sb_status st;
	size_t i, n = 0;

	ids = calloc(cy->cloud_users.n + 1, sizeof(*ids));
	flags = calloc(cy->cloud_users.n + 1, sizeof(*flags));
	if (ids == NULL || flags == NULL) {
		st = sb_fail(err, SB_BUG, 0, "cycle.soa", "out of memory");
		goto done;
	}
	for (i = 0; i < cy->cloud_users.n; i++) {
		o = cy->cloud_users.objs[i];
		if ((o->immutable_id != NULL || o->sid_string != NULL) &&
		    o->sync_enabled != SB_TRI_TRUE)
			ids[n++] = o->cloud_id;
	}
	log_info("graph.soa candidates=%zu of=%zu", n, cy->cloud_users.n);
	st = n ? cloud_graph_soa(cy->cloud, DIROBJ_USER, ids, n, flags, err) :
	    SB_OK;
	if (st != SB_OK)
		goto done;
	for (i = 0, n = 0; i < cy->cloud_users.n; i++) {
		o = cy->cloud_users.objs[i];
		if ((o->immutable_id != NULL || o->sid_string != NULL) &&
		    o->sync_enabled != SB_TRI_TRUE)
			o->cloud_managed = flags[n++];
	}
done:
	free(ids);
	free(flags);
	return st;
}

enum sb_status
agent_cycle_read(struct cycle *cy, struct sb_error *err)
{
	enum sb_status st;

	st = read_schema(cy, err);
	if (st != SB_OK)
		return st;
	st = ad_search(cy->ad, cy->conf->ldap.base_dn, AD_SCOPE_SUB, ad_filter,
	    map_ad_read_attrs(), collect, &cy->ad_objs, err);
	if (st != SB_OK)
		return st;
	log_info("ad.read objects=%zu", cy->ad_objs.n);
	st = cloud_graph_users(cy->cloud, map_graph_user_select(), 1, collect,
	    &cy->cloud_users, err);
	if (st != SB_OK)
		return st;
	log_info("graph.users objects=%zu", cy->cloud_users.n);
	st = read_soa(cy, err);
	if (st != SB_OK)
		return st;
	st = cloud_exo_mailboxes(cy->cloud, collect, &cy->mailboxes, err);
	if (st != SB_OK)
		return st;
	log_info("exo.mailboxes objects=%zu", cy->mailboxes.n);
	return SB_OK;
}

enum sb_status
agent_cycle_plan(struct cycle *cy, struct sb_error *err)
{
	options_from_conf(cy);
	return map_build_plan(&cy->ad_objs, &cy->cloud_users, &cy->mailboxes,
	    &cy->mopt, &cy->plan, err);
}

void
agent_cycle_close(struct cycle *cy)
{
	size_t i;

	map_plan_free(cy->plan);
	dirset_free(&cy->ad_objs);
	dirset_free(&cy->cloud_users);
	dirset_free(&cy->mailboxes);
	for (i = 0; i < cy->nmissing; i++)
		free(cy->missing_attrs[i]);
	free(cy->missing_attrs);
	cloud_close(cy->cloud);
	ad_close(cy->ad);
	conf_secret_free(&cy->ldap_pw);
	conf_secret_free(&cy->client_secret);
	memset(cy, 0, sizeof(*cy));
}
