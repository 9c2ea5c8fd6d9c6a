/* Read both sides and plan: the shared front half of plan, sync and report. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/adconnect.h"
#include "agent/cloudread.h"
#include "agent/cycle.h"
#include "agent/progress.h"
#include "agent/adparents.h"
#include "agent/store/journal.h"
#include "mapping/log.h"
#include "agent/store/state.h"
#include "agent/testhook.h"
#include "agent/twosides.h"
#include "cloud/client.h"
#include "cloud/exo.h"
#include "cloud/graph.h"
#include "cloud/navmembers.h"
#include "conf/secret.h"
#include "ldap/conn.h"
#include "ldap/schema.h"
#include "ldap/search.h"
#include "ldap/trace.h"
#include "ldap/range.h"
#include "mapping/attrmap.h"
#include "mapping/build.h"
#include "mapping/dn.h"
#include "mapping/groupreads.h"
#include "mapping/groups.h"
#include "mapping/strmap.h"

/* AD objects the agent reads: users and contacts; groups apart. */
static const char ad_filter[] =
    "(|(&(objectCategory=person)(objectClass=user))(objectClass=contact))";
static const char ad_group_filter[] = "(objectClass=group)";
/*
 * Name holders, read only to pick unique names for groups created
 * (mapping/groups.h): domain-wide, the other sAMAccountNames (computers,
 * service accounts); in the allowed OUs, the other objects (OUs,
 * containers, printers) whose cn a new group must not take.
 */
static const char ad_sam_filter[] = "(&(sAMAccountName=*)(!(objectClass=group))"
    "(!(&(objectCategory=person)(objectClass=user))))";
static const char ad_ou_filter[] = "(!(|(sAMAccountName=*)(objectClass=group)"
    "(objectClass=contact)))";
static const char *const ad_name_attrs[] = { "objectClass", "sAMAccountName",
    NULL };
/*
 * The service's tokens between cycles (agent_cycle_keep_tokens); NULL for
 * the commands that run one cycle and exit.
 */
static struct cloud_token_keep *token_keep;

void
agent_cycle_keep_tokens(struct cloud_token_keep *k)
{
	token_keep = k;
}

static enum sb_status
collect(struct dirobj *o, void *arg, struct sb_error *err)
{
	agent_progress_read(1);
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
	cy->mopt.proxy_exclude = c->exchange.proxy_address_exclude.v;
	cy->mopt.nproxy_exclude = c->exchange.proxy_address_exclude.n;
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
	cy->mopt.groups.created_guids = cy->created_guids;
	cy->mopt.groups.ncreated_guids = cy->ncreated;
}

enum sb_status
agent_cycle_open(struct cycle *cy, const struct conf *conf,
    struct sb_error *err)
{
	struct cloud_params cp = { 0 };
	enum sb_status st;

	memset(cy, 0, sizeof(*cy));
	cy->conf = conf;
	dirset_init(&cy->ad_objs);
	dirset_init(&cy->cloud_users);
	dirset_init(&cy->mailboxes);

	st = agent_ad_secret(conf, &cy->ldap_pw, err);
	if (st != SB_OK)
		return st;
	/* conf/ made sure there is one credential: the secret or the pair. */
	if (*conf->cloud.client_secret_file != '\0')
		st = conf_secret_read(conf->cloud.client_secret_file,
		    &cy->client_secret, err);
	else
		st = conf_secret_read(conf->cloud.private_key_file,
		    &cy->private_key, err);
	if (st != SB_OK)
		return st;

	st = agent_ad_bind(conf, &cy->ldap_pw, &cy->ad, err);
	if (st != SB_OK)
		return st;

	cp.environment = conf->cloud.environment;
	cp.login_url = conf->cloud.login_url;
	cp.graph_url = conf->cloud.graph_url;
	cp.exchange_url = conf->cloud.exchange_url;
	cp.tenant_id = conf->cloud.tenant_id;
	cp.client_id = conf->cloud.client_id;
	cp.client_secret = &cy->client_secret;
	cp.certificate_file = conf->cloud.certificate_file;
	cp.private_key = &cy->private_key;
	cp.ca_file = *conf->cloud.ca_file ? conf->cloud.ca_file : NULL;
	cp.timeout_s = (int)conf->cloud.timeout;
	st = cloud_open(&cp, &cy->cloud, err);
	if (st == SB_OK)
		cloud_client_set_rate(cy->cloud, conf->cloud.max_per_second);
	if (st == SB_OK && token_keep != NULL)
		cloud_client_tokens_restore(cy->cloud, token_keep);
	return st;
}

enum sb_status
agent_cycle_tokens(struct cycle *cy, struct sb_error *err)
{
	return cloud_check_tokens(cy->cloud, err);
}

/* The attributes read of users and of groups, each once. */
static const char **
schema_names(void)
{
	const char *const *lists[] = { map_ad_read_attrs(),
	    map_ad_group_read_attrs() };
	const char **names;
	size_t i, k, m, n = 0, total = 0;
	int dup;

	for (i = 0; i < 2; i++)
		for (k = 0; lists[i][k] != NULL; k++)
			total++;
	names = calloc(total + 1, sizeof(*names));
	for (i = 0; names != NULL && i < 2; i++)
		for (k = 0; lists[i][k] != NULL; k++) {
			for (m = 0, dup = 0; m < n && !dup; m++)
				dup = strcasecmp(names[m], lists[i][k]) == 0;
			if (!dup)
				names[n++] = lists[i][k];
		}
	return names;
}

/* Which mapped attributes the directory lacks: those are skipped, loudly. */
static enum sb_status
read_schema(struct cycle *cy, struct sb_error *err)
{
	const char **names = schema_names();
	enum sb_status st;
	size_t i;

	if (names == NULL)
		return sb_fail(err, SB_BUG, 0, "cycle.schema", "out of memory");
	st = ad_schema_missing(cy->ad, names, &cy->missing_attrs,
	    &cy->nmissing, err);
	free(names);
	if (st != SB_OK)
		return st;
	for (i = 0; i < cy->nmissing; i++)
		log_warn("ad.schema attr=%s result=missing (not written; "
		    "extend the schema to map it)", cy->missing_attrs[i]);
	return SB_OK;
}

enum sb_status
agent_cycle_group_select(const struct conf *conf, const char ***out,
    struct sb_error *err)
{
	const char *const *base = map_graph_group_select();
	const char *ext = conf->groups.ou_extension;
	const char **select;
	size_t n = 0;

	while (base[n] != NULL)
		n++;
	select = calloc(n + 2, sizeof(*select));
	if (select == NULL)
		return sb_fail(err, SB_BUG, 0, "cycle.groups", "out of memory");
	memcpy(select, base, n * sizeof(*select));
	if (ext != NULL && *ext != '\0')
		select[n++] = ext;
	*out = select;
	return SB_OK;
}

/* Graph group properties, and the configured ou_extension property. */
static enum sb_status
read_cloud_groups(struct cycle *cy, struct sb_error *err)
{
	const char **select;
	enum sb_status st;
	size_t before = cy->cloud_users.n;

	if ((st = agent_cycle_group_select(cy->conf, &select, err)) != SB_OK)
		return st;
	st = cloud_graph_groups(cy->cloud, select, 0, collect,
	    &cy->cloud_users, err);
	free(select);
	if (st == SB_OK)	/* before any use of an id */
		st = agent_skips_sift(&cy->skips, &cy->cloud_users, before,
		    err);
	if (st != SB_OK)
		return st;
	log_info("graph.groups objects=%zu", cy->cloud_users.n - before);
	return agent_cloudread_soa(cy->cloud, &cy->cloud_users, &cy->skips,
	    DIROBJ_GROUP, err);
}

/* One member of a cloud group into the group's member records. */
static enum sb_status
collect_member(struct dirobj *m, void *arg, struct sb_error *err)
{
	enum sb_status st;

	agent_progress_read(1);
	st = dirobj_add_member(arg, m->cloud_id, dirobj_get_str(m,
	    "odataType"), m->display_name, err);
	dirobj_free(m);
	return st;
}

/* The cloud groups whose members a cycle reads, and what was read. */
struct member_reads {
	struct cycle *cy;
	const struct map_group_reads *r;
	size_t nvals;
};

static enum sb_status
member_of(size_t i, struct dirobj *m, void *arg, struct sb_error *err)
{
	struct member_reads *mr = arg;

	return collect_member(m, mr->cy->cloud_users.objs[mr->r->cloud[i]],
	    err);
}

static enum sb_status
members_end(size_t i, enum sb_status st, const struct sb_error *why, void *arg,
    struct sb_error *err)
{
	struct member_reads *mr = arg;
	struct dirobj *o = mr->cy->cloud_users.objs[mr->r->cloud[i]];

	if (st == SB_SKIP) /* this group only: a finding */
		return agent_skips_members(&mr->cy->skips, o,
		    why->code == 404 ? MAP_FINDING_GONE_IN_CLOUD :
				       MAP_FINDING_BAD_VALUE,
		    why->text, err);
	mr->nvals += o->nmembers;
	return SB_OK;
}

/* The members of the cloud groups r names, 20 groups to a $batch. */
static enum sb_status
read_cloud_members(struct cycle *cy, const struct map_group_reads *r,
    struct sb_error *err)
{
	struct member_reads mr = { cy, r, 0 };
	struct cloud_members_read cb = { member_of, members_end, &mr };
	const char **ids;
	enum sb_status st;
	size_t i;

	ids = calloc(r->ncloud ? r->ncloud : 1, sizeof(*ids));
	if (ids == NULL)
		return sb_fail(err, SB_BUG, 0, "cycle.members",
		    "out of memory");
	for (i = 0; i < r->ncloud; i++) {
		dirobj_members_touch(cy->cloud_users.objs[r->cloud[i]]);
		ids[i] = cy->cloud_users.objs[r->cloud[i]]->cloud_id;
	}
	st = cloud_nav_members(cy->cloud, ids, r->ncloud, &cb, err);
	free(ids);
	if (st == SB_OK)
		log_info("graph.members groups=%zu members=%zu", r->ncloud,
		    mr.nvals);
	return st;
}

/* The member reads of a cycle, each side's. */
struct member_job {
	struct cycle *cy;
	struct map_group_reads *r;
};

/* AD's side: each group's member values, ranged. */
static enum sb_status
read_ad_members(void *arg, struct sb_error *err)
{
	struct member_job *j = arg;
	struct dirobj *o;
	enum sb_status st = SB_OK;
	size_t i, nvals = 0;

	for (i = 0; st == SB_OK && i < j->r->nad; i++) {
		o = j->cy->ad_objs.objs[j->r->ad[i]];
		st = ad_read_ranged(j->cy->ad, o->dn, "member", o, err);
		if (st == SB_OK)
			st = dirobj_touch(o, "member", err);
		if (st == SB_OK)
			nvals += dirobj_get(o, "member")->nvals;
	}
	if (st == SB_OK)
		log_info("ad.members groups=%zu members=%zu", j->r->nad, nvals);
	return st;
}

static enum sb_status
read_cloud_members_side(void *arg, struct sb_error *err)
{
	struct member_job *j = arg;

	return read_cloud_members(j->cy, j->r, err);
}

/*
 * Members where the plan needs them (mapping/groups.h): of the cloud groups
 * the cloud owns or that are to be created, and the member values of their
 * AD groups, read with explicit ranges ("member;range=0-1499", ...: the
 * loop runs on Samba too, which does not enforce MaxValRange).  The two
 * sides are read side by side (agent/twosides.h): each touches only its
 * own groups (and the cloud's, skips).
 */
static enum sb_status
read_members(struct cycle *cy, struct sb_error *err)
{
	struct map_group_reads r = { NULL, 0, NULL, 0 };
	struct member_job j = { cy, &r };
	enum sb_status st;

	st = map_groups_reads(cy->join, &cy->ad_objs, &cy->cloud_users,
	    &cy->mopt, &r, err);
	if (st == SB_OK)
		st = agent_two_sides(read_ad_members, &j,
		    read_cloud_members_side, &j, err);
	map_group_reads_free(&r);
	return st;
}

/*
 * groups.delete deletes only groups soabridge's journal shows it created:
 * their GUIDs, from the state read only (plan and report never write it).
 * No state yet, or one that cannot be read, gives none: nothing is deleted
 * and the plan says why (a CLOUD_DELETED finding).
 */
static enum sb_status
read_created(struct cycle *cy, struct sb_error *err)
{
	struct agent_state *s = NULL;
	struct sb_error e2 = { 0 };
	enum sb_status st;

	if (!cy->conf->groups.delete)
		return SB_OK;
	st = agent_state_open(cy->conf->state_dir, AGENT_STATE_RO, &s, &e2);
	if (st == SB_OK && s != NULL)
		st = agent_journal_created(s, &cy->created_guids,
		    &cy->ncreated, &e2);
	agent_state_close(s);
	if (st == SB_BUG) {
		*err = e2;
		return st;
	}
	if (st != SB_OK)
		log_warn("state.created result=unread (groups.delete deletes "
		    "nothing this run): %s: %s", e2.where, e2.text);
	else
		log_info("state.created groups=%zu", cy->ncreated);
	return SB_OK;
}

/*
 * Names a group created or moved must not take: sAMAccountNames only when
 * groups may be created, the objects of the allowed OUs when groups may be
 * created or moved there.
 */
static enum sb_status
read_name_holders(struct cycle *cy, struct sb_error *err)
{
	const struct conf_groups *g = &cy->conf->groups;
	enum sb_status st = SB_OK;
	size_t i, before = cy->ad_objs.n;

	if (!g->provision && *g->default_ou == '\0' && *g->ou_extension == '\0')
		return SB_OK;
	if (g->provision)
		st = ad_search(cy->ad, cy->conf->ldap.base_dn, AD_SCOPE_SUB,
		    ad_sam_filter, ad_name_attrs, collect, &cy->ad_objs, err);
	for (i = 0; st == SB_OK && i < g->allowed_ous.n; i++) {
		st = ad_search(cy->ad, g->allowed_ous.v[i], AD_SCOPE_SUB,
		    ad_ou_filter, ad_name_attrs, collect, &cy->ad_objs, err);
		if (st == SB_RESYNC && err->code == 32) {
			/* An allowed OU that does not exist holds no names. */
			log_warn("ad.names base=\"%s\" result=missing (groups."
			    "allowed_ous names no object)", g->allowed_ous.v[i]);
			st = SB_OK;
		}
	}
	if (st == SB_OK)
		log_info("ad.names objects=%zu", cy->ad_objs.n - before);
	return st;
}

/*
 * AD's side of the reads: the schema, the groups soabridge created, users
 * and contacts, groups, the parents of the read groups, the name holders.
 * It runs beside the cloud's side (agent/twosides.h) and touches only the
 * AD connection and ad_objs.
 */
static enum sb_status
read_ad_side(void *arg, struct sb_error *err)
{
	struct cycle *cy = arg;
	enum sb_status st;
	size_t nusers;

	st = read_schema(cy, err);
	if (st == SB_OK)
		st = read_created(cy, err);
	if (st != SB_OK)
		return st;
	options_from_conf(cy);
	st = ad_search(cy->ad, cy->conf->ldap.base_dn, AD_SCOPE_SUB, ad_filter,
	    map_ad_read_attrs(), collect, &cy->ad_objs, err);
	if (st != SB_OK)
		return st;
	nusers = cy->ad_objs.n;
	st = ad_search(cy->ad, cy->conf->ldap.base_dn, AD_SCOPE_SUB,
	    ad_group_filter, map_ad_group_read_attrs(), collect, &cy->ad_objs,
	    err);
	if (st != SB_OK)
		return st;
	log_info("ad.read objects=%zu groups=%zu", cy->ad_objs.n,
	    cy->ad_objs.n - nusers);
	st = agent_ad_read_parents(cy->ad, &cy->ad_objs, nusers, err);
	if (st == SB_OK)
		st = read_name_holders(cy, err);
	/* A test's moment: the cloud's side is under way meanwhile (test 099). */
	if (st == SB_OK)
		agent_testhook_point("ad-read", 0);
	return st;
}

/*
 * The cloud's side: Graph users (their SOA, managers), Graph groups (their
 * SOA), Exchange Online mailboxes.  It touches only the cloud client,
 * cloud_users, mailboxes and skips; the options are AD's side's, so every
 * cloud group listed is recorded in groups_listed, for after both ended.
 */
static enum sb_status
read_cloud_side(void *arg, struct sb_error *err)
{
	struct cycle *cy = arg;
	enum sb_status st;

	/* No $expand: it caps pages at 100 (managers: agent/cloudread.h). */
	st = cloud_graph_users(cy->cloud, map_graph_user_select(), 0, collect,
	    &cy->cloud_users, err);
	if (st == SB_OK)	/* before any use of an id */
		st = agent_skips_sift(&cy->skips, &cy->cloud_users, 0, err);
	if (st != SB_OK)
		return st;
	log_info("graph.users objects=%zu", cy->cloud_users.n);
	st = agent_cloudread_soa(cy->cloud, &cy->cloud_users, &cy->skips,
	    DIROBJ_USER, err);
	if (st == SB_OK)
		st = agent_cloudread_managers(cy->cloud, &cy->cloud_users,
		    &cy->skips, err);
	if (st == SB_OK)
		st = read_cloud_groups(cy, err);
	if (st != SB_OK)
		return st;
	cy->groups_listed = 1;
	st = cloud_exo_mailboxes(cy->cloud, collect, &cy->mailboxes, err);
	if (st == SB_OK)
		log_info("exo.mailboxes objects=%zu", cy->mailboxes.n);
	return st;
}

enum sb_status
agent_cycle_read(struct cycle *cy, struct sb_error *err)
{
	enum sb_status st;

	st = agent_two_sides(read_ad_side, cy, read_cloud_side, cy, err);
	if (st != SB_OK)
		return st;
	/* Every cloud group was listed: a provisioned one missing is gone. */
	cy->mopt.groups_complete = cy->groups_listed;
	/*
	 * Both sides are listed: the one join of the cycle, shared by the
	 * member reads, the plan and the report (the sets stay as they are).
	 */
	st = map_join_build(&cy->ad_objs, &cy->cloud_users, &cy->mailboxes,
	    NULL, &cy->join, err);
	return st == SB_OK ? read_members(cy, err) : st;
}

enum sb_status
agent_cycle_plan(struct cycle *cy, struct sb_error *err)
{
	int complete = cy->mopt.groups_complete;
	enum sb_status st;

	options_from_conf(cy);
	cy->mopt.groups_complete = complete;
	st = map_build_plan_joined(cy->join, &cy->ad_objs, &cy->cloud_users,
	    &cy->mopt, &cy->plan, err);
	return st == SB_OK ? agent_skips_apply(&cy->skips, cy->plan, err) : st;
}

void
agent_cycle_close(struct cycle *cy)
{
	size_t i;

	map_plan_free(cy->plan);
	map_join_free(cy->join);
	dirset_free(&cy->ad_objs);
	dirset_free(&cy->cloud_users);
	dirset_free(&cy->mailboxes);
	agent_skips_free(&cy->skips);
	agent_journal_guids_free(cy->created_guids, cy->ncreated);
	for (i = 0; i < cy->nmissing; i++)
		free(cy->missing_attrs[i]);
	free(cy->missing_attrs);
	cloud_client_log_budget(cy->cloud); /* one line per cycle */
	if (token_keep != NULL && cy->cloud != NULL)
		cloud_client_tokens_keep(cy->cloud, token_keep);
	cloud_close(cy->cloud);
	ad_close(cy->ad);
	conf_secret_free(&cy->ldap_pw);
	conf_secret_free(&cy->client_secret);
	conf_secret_free(&cy->private_key);
	memset(cy, 0, sizeof(*cy));
}
