/*
 * Groups: who owns a group, and its changes.  Called by map_build_plan for
 * every cloud group and every AD group that carries a writeback anchor.
 *
 * Authority (map_group_authority_decide), on top of mapping/authority.h:
 *   isCloudManaged (not syncing)     identity, exchange, membership,
 *                                    placement: rule "isCloudManaged"
 *   the AD group carries the anchor  identity, exchange, membership, and
 *   Group_<its cloud id> (soabridge  placement while it is in the
 *   or Microsoft provisioned it),    provisioning scope: rule "provisioned"
 *   and Graph shows a cloud-only
 *   group (no on-premises anchors,
 *   onPremisesSyncEnabled not true)
 *   the anchor, but Graph shows a    nothing: an INCONSISTENT_SOA finding
 *   synced group (Entra Connect      says why (Entra Connect never syncs a
 *   owns it) or one with anchors     Group_ group up, so the two disagree)
 *   that is not isCloudManaged
 *   isCloudManaged false, on-premises anchors, onPremisesSyncEnabled null:
 *                                    handed back to AD (rollback): nothing
 *                                    is written, a HANDED_BACK finding
 *   otherwise                        AD's: nothing is written
 * Exchange attributes (mail, mailNickname, proxyAddresses from Graph) only
 * for a mailEnabled group.  A protected group (mapping/protect.h, or one
 * nested in a protected group through memberOf, where a parent that was
 * not read counts as protected) or one outside write_scope is never
 * written, whatever the cloud says.
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
 *   proxyAddresses, the ou_extension property; the members
 *   (MAP_MEMBERS_ATTR, mapping/members.h) for the groups map_groups_reads
 *   names.
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
#include "join.h"
#include "options.h"
#include "plan.h"

/*
 * Groups visited when looking for a protected group above one (memberOf),
 * and the parents outside what was read that the agent reads for it.
 */
#define MAP_GROUPS_NEST_MAX	10000

struct map_group_authority {
	unsigned	 classes;	/* MAP_CLASS_* the cloud owns (before the options) */
	const char	*rule;		/* static: MAP_RULE_* */
	const char	*conflict;	/* INCONSISTENT_SOA text, or NULL */
	int		 handed_back;	/* isCloudManaged turned false: AD's again */
	int		 provisioned;	/* the AD group carries Group_<cloud id> */
};

/* Total: cannot fail.  pr->ad may be NULL (then only the flags count). */
void		map_group_authority_decide(const struct map_pair *pr,
		    const struct map_options *opt,
		    struct map_group_authority *out);

/*
 * What must be read before planning (agent/cycle.c): the members of cloud
 * groups cloud[0..ncloud) (indexes into the cloud set) and the member
 * values of AD groups ad[0..nad) (indexes into the AD set).  Needs the
 * cloud groups' cloud_managed already read.  out is new on success; free
 * it with map_group_reads_free.
 */
struct map_group_reads {
	size_t		*cloud;
	size_t		 ncloud;
	size_t		*ad;
	size_t		 nad;
};

enum sb_status	map_groups_reads(const struct dirset *ad,
		    const struct dirset *cloud, const struct map_options *opt,
		    struct map_group_reads *out, struct sb_error *err);
void		map_group_reads_free(struct map_group_reads *r);

/*
 * Appends the changes and findings of every group to p.  j pairs cloud
 * with ad (both borrowed).  Only out of memory fails.
 */
enum sb_status	map_groups_plan(struct plan *p, const struct map_join *j,
		    const struct dirset *ad, const struct dirset *cloud,
		    const struct map_options *opt, struct sb_error *err);

#endif
