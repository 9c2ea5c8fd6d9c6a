/*
 * Membership of a group the cloud owns: the cloud's members resolved to AD
 * DNs through the join, against the AD group's member values, in linear
 * time (hash tables: groups of 100,000 members).
 *   - a cloud user or group member becomes its joined AD object's DN; a
 *     nested group only when it exists in AD (or is created by the same
 *     plan); anything else (cloud-only users, devices, contacts, service
 *     principals) is an UNRESOLVED finding with its display name;
 *   - a protected account or group is never added (PROTECTED finding), and
 *     one already there is never removed;
 *   - an AD member missing in the cloud is removed when it has a cloud
 *     counterpart (a joined object); an AD-only member is kept and reported
 *     (AD_ONLY_MEMBER) unless groups.remove_unsynced_members.
 * Per group and kind at most MAP_MEMBER_FINDINGS_MAX findings are listed,
 * then one that counts the rest.  Pure.
 */
#ifndef MAP_MEMBERS_H
#define MAP_MEMBERS_H

#include <stddef.h>

#include "adindex.h"
#include "core.h"
#include "dirobj.h"
#include "join.h"
#include "options.h"
#include "plan.h"
#include "strmap.h"

/* Values per LDAP modify of member: a few hundred (ad-writeback.md). */
#define MAP_MEMBER_CHUNK		500
#define MAP_MEMBER_FINDINGS_MAX		100

struct map_member_ctx {
	const struct map_join		*j;
	const struct map_adindex	*ix;
	const struct map_options	*opt;
	/* Groups the plan creates: cloud id -> index into planned_dn. */
	const struct map_strmap		*planned;
	char *const			*planned_dn;
};

struct map_member_diff {
	const struct sb_bytes	**del;	/* AD's own values (borrowed from the group) */
	size_t			  ndel;
	char			**add;	/* DNs to add (owned) */
	size_t			  nadd;
	size_t			  kept_ad_only;	/* AD-only members left in place */
};

/*
 * Diffs the members of cloud group cloud (its member records,
 * mapping/dirobj.h) against AD group ad (NULL: a group the plan creates,
 * with DN dn; else dn is ad's).  Findings go to f.  out is filled
 * on success; free it with map_member_diff_clear.
 */
enum sb_status	map_members_diff(const struct map_member_ctx *mc,
		    const struct dirobj *ad, const char *dn,
		    const struct dirobj *cloud, struct plan *f,
		    struct map_member_diff *out, struct sb_error *err);
void		map_member_diff_clear(struct map_member_diff *d);

/* "user", "group", "device", ... of an @odata.type; "object" when unknown. */
const char	*map_member_type_name(const char *odata_type);

#endif
