/*
 * One cycle: read AD and the cloud, build the plan, and (for sync) apply it.
 * This is the only place that joins ldap/, cloud/ and mapping/.
 */
#ifndef SB_CYCLE_H
#define SB_CYCLE_H

#include "agent/skips.h"
#include "conf/conf.h"
#include "mapping/dirobj.h"
#include "mapping/options.h"
#include "mapping/plan.h"

struct ad_conn;
struct cloud_client;
struct cloud_token_keep;
struct map_join;

struct cycle {
	const struct conf	*conf;		/* borrowed */
	struct sb_bytes		 ldap_pw;	/* wiped on close */
	struct sb_bytes		 client_secret;	/* wiped on close */
	struct sb_bytes private_key; /* PEM, or empty; wiped on close */
	struct ad_conn		*ad;
	struct cloud_client	*cloud;
	char			**missing_attrs; /* mapped attributes AD's schema lacks */
	size_t			 nmissing;
	char			**created_guids; /* groups soabridge created
						   (agent_journal_created) */
	size_t			 ncreated;
	struct map_options	 mopt;
	struct dirset		 ad_objs;	/* users, contacts, groups
						   (and name holders and
						   protect-only parents:
						   groups.h) */
	struct dirset		 cloud_users;	/* Graph users, then groups */
	struct dirset		 mailboxes;
	struct agent_skips	 skips;		/* cloud objects skipped */
	int			 groups_listed;	/* every cloud group was listed */
	struct map_join		*join;		/* of ad_objs, cloud_users and
						   mailboxes: built once, when
						   both sides are read */
	struct plan		*plan;
};

/* Read the secrets, bind to AD, open the cloud client. */
enum sb_status	agent_cycle_open(struct cycle *cy, const struct conf *conf,
		    struct sb_error *err);
/* Get both cloud tokens (for check-config --connect). */
enum sb_status	agent_cycle_tokens(struct cycle *cy, struct sb_error *err);
/*
 * Read the schema, AD users, contacts and groups, Graph users and groups,
 * SOA of candidates, the managers of isCloudManaged users, every mailbox,
 * and the members of the groups the plan needs (mapping/groups.h).  AD and
 * the cloud are read side by side (agent/twosides.h); the members after
 * both, as they need the join.  A failure of AD's side is the one
 * returned when both failed.  A
 * cloud object whose SOA is unreadable or that is gone since it was listed
 * is set aside with a finding (agent/skips.h); SB_STOP when more than a few
 * percent of the candidates' SOA replies are unreadable.
 */
enum sb_status	agent_cycle_read(struct cycle *cy, struct sb_error *err);
/* Compute cy->plan from what was read, over cy->join. */
enum sb_status	agent_cycle_plan(struct cycle *cy, struct sb_error *err);
void		agent_cycle_close(struct cycle *cy);
/*
 * From now on every cycle of this process starts with the cloud tokens the
 * previous one ended with, in k (the service: cloud/client.h); NULL stops.
 */
void		agent_cycle_keep_tokens(struct cloud_token_keep *k);
/*
 * The Graph properties of groups the cycle reads: the map's and the
 * configured ou_extension.  *out is new (free() the array only).
 */
enum sb_status	agent_cycle_group_select(const struct conf *conf,
		    const char ***out, struct sb_error *err);

#endif
