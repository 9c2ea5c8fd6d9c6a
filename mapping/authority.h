/*
 * Source of authority: which attribute classes the cloud owns for one joined
 * object, and the name of the rule that says so (printed in plans).
 *   isCloudManaged                  identity + exchange (+ membership and
 *                                   placement for groups)
 *   IsExchangeCloudManaged (and the mailbox IsDirSynced)   exchange only,
 *                                   and only while Graph agrees the user is
 *                                   a synced object: onPremisesSyncEnabled
 *                                   true and isCloudManaged not true
 *   neither                         nothing: AD is authoritative
 * isCloudManaged on an object whose onPremisesSyncEnabled is true is refused
 * (Entra Connect still syncs it up: writing it back would loop), and a flag
 * that was not read (SB_TRI_UNSET) counts as false.  When the two services
 * disagree (the mailbox claims a synced object Graph does not show as one,
 * or Graph says isCloudManaged and syncing at once) nothing is owned and
 * out->conflict says why (graph-exo-protocol.md section 3).  Groups add
 * their own rules (mapping/groups.h): a group soabridge provisioned, its
 * creation and its deletion.
 */
#ifndef MAP_AUTHORITY_H
#define MAP_AUTHORITY_H

#include "dirobj.h"
#include "options.h"

#define MAP_RULE_CLOUD_MANAGED	"isCloudManaged"
#define MAP_RULE_EXCHANGE	"IsExchangeCloudManaged"
#define MAP_RULE_AD		"AD is authoritative"
#define MAP_RULE_PROVISIONED	"provisioned"		/* Group_<id> anchor */
#define MAP_RULE_PROVISION	"groups.provision"	/* creating a group */
#define MAP_RULE_DELETE		"groups.delete"		/* deleting one */

struct map_authority {
	unsigned	 classes;	/* MAP_CLASS_* bits the cloud owns */
	const char	*rule;		/* static: one of MAP_RULE_* */
	const char	*conflict;	/* static: why a flag was refused, or NULL */
};

/*
 * Decides for cloud object cloud and its mailbox (NULL when none).  Pure and
 * total: it cannot fail.  A non-NULL out->conflict is a finding for the
 * caller to record (INCONSISTENT_SOA).
 */
void	map_authority_decide(const struct dirobj *cloud,
	    const struct dirobj *mailbox, struct map_authority *out);

#endif
