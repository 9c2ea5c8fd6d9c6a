/*
 * Groups: who owns a group, and its changes.  Called by map_build_plan for
 * every cloud group and every AD group that carries a writeback anchor.
 *
 * Authority: mapping/groupauth.h; what to read first: mapping/groupreads.h.
 *
 * Changes of one group, as separate changes (parts) applied in this order:
 *   ADD of a provisioned group (objectClass, sAMAccountName, groupType,
 *     displayName, description, adminDescription and, where the schema has
 *     it, msDS-ExternalDirectoryObjectId = Group_<cloud id>), in its
 *     extension's OU or groups.default_ou;
 *   MODIFY of its attributes and members, members in chunks of
 *     MAP_MEMBER_CHUNK values (mapping/members.h);
 *   RENAME (move) into the OU its extension value names (an existing group
 *     without a value stays where it is: mapping/placement.h);
 *   DELETE of a provisioned group gone from the cloud, with groups.delete,
 *     and only when soabridge's journal shows it created the group
 *     (map_options groups.created_guids); else a CLOUD_DELETED finding.
 *
 * What the readers put into the objects, besides plan.h's conventions:
 * - AD groups: kind GROUP, dn, guid, sid; sAMAccountName, groupType,
 *   displayName, description, adminDescription,
 *   msDS-ExternalDirectoryObjectId, mail, mailNickname, proxyAddresses,
 *   memberOf, adminCount, isCriticalSystemObject; "member" (every value,
 *   range retrieval) for the groups map_groups_reads names.
 * - Cloud groups: kind GROUP, cloud_id, display_name, sid_string,
 *   sync_enabled, cloud_managed; Graph's displayName, description,
 *   mailEnabled, securityEnabled, groupTypes, mail, mailNickname,
 *   proxyAddresses, the ou_extension property; the member records
 *   (mapping/dirobj.h) for the groups map_groups_reads names.
 * - Name holders, for unique names when provisioning: objects that are
 *   neither users, contacts nor groups (computers, OUs, ...) may be in the
 *   AD set as kind OTHER with a dn and their sAMAccountName.
 * - Parents, for nested protection: the memberOf groups of read groups
 *   that the searches did not return (outside ldap.base_dn), transitively,
 *   marked protect_only (mapping/dirobj.h) with objectClass, objectSid,
 *   sAMAccountName, adminCount, isCriticalSystemObject and memberOf.
 * Pure.
 */
#ifndef MAP_GROUPS_H
#define MAP_GROUPS_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "groupauth.h"
#include "join.h"
#include "options.h"
#include "plan.h"

/*
 * Groups visited when looking for a protected group above one (memberOf),
 * and the parents outside what was read that the agent reads for it.
 */
#define MAP_GROUPS_NEST_MAX	10000

/*
 * Appends the changes and findings of every group to p.  j pairs cloud
 * with ad (both borrowed).  Only out of memory fails.
 */
enum sb_status	map_groups_plan(struct plan *p, const struct map_join *j,
		    const struct dirset *ad, const struct dirset *cloud,
		    const struct map_options *opt, struct sb_error *err);

#endif
