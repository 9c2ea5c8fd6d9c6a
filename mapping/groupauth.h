/*
 * Who owns a group (map_group_authority_decide), on top of
 * mapping/authority.h:
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
 * Pure.
 */
#ifndef MAP_GROUPAUTH_H
#define MAP_GROUPAUTH_H

#include <stddef.h>

#include "adindex.h"
#include "dirobj.h"
#include "join.h"
#include "options.h"

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

/* 1 when cloud group c has on-premises anchors (immutableId or SID). */
int		map_group_has_anchor(const struct dirobj *c);
/* 1 when cloud group c is mail-enabled: Exchange attributes are its. */
int		map_group_mail_enabled(const struct dirobj *c);
/*
 * 1 when AD object i of ix is a provisioned group (Group_<id> anchor)
 * whose cloud group is gone: not joined, every cloud group was listed
 * (opt->groups_complete), and no cloud object of j has that id.
 */
int		map_group_gone_from_cloud(const struct map_join *j,
		    const struct map_adindex *ix, size_t i,
		    const struct map_options *opt);

#endif
