/*
 * The changes of one group, as mapping/groups.c plans them: a list of
 * changes (parts) for one object, filled in the order they must be applied
 * and moved into the plan at the end, empty modifies dropped and parts
 * numbered.  Also the AD values the cloud asks of a group it owns.  Pure.
 */
#ifndef MAP_GROUPCHG_H
#define MAP_GROUPCHG_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "join.h"
#include "members.h"
#include "options.h"
#include "plan.h"

struct map_chlist {
	struct change	*v;
	size_t		 n;
	size_t		 cap;
};

void		map_chlist_free(struct map_chlist *l);

/*
 * The AD values cloud group cloud asks for the classes it owns: description
 * and displayName (identity), mail, mailNickname and proxyAddresses
 * (exchange), honouring the options' skipped attributes.  A Graph property
 * present without a value asks for a clear; an absent one is left alone.
 * *out is new (dirobj_free).
 */
enum sb_status	map_group_desired(const struct dirobj *cloud,
		    unsigned classes, const struct map_options *opt,
		    struct dirobj **out, struct sb_error *err);

/*
 * A new change at the end of l, initialised as map_change_init does, kind
 * GROUP, DN dn when ad is NULL.  *out points into l until l grows.
 */
enum sb_status	map_chlist_start(struct map_chlist *l, enum change_op op,
		    const struct dirobj *ad, const struct dirobj *cloud,
		    const char *dn, const char *rule, struct change **out,
		    struct sb_error *err);
/*
 * Member deltas of md in chunks of MAP_MEMBER_CHUNK values, deletions
 * first: the first chunk into change first of l (SIZE_MAX: a new one), the
 * others into new MODIFY changes.  Each delta's before holds the values its
 * change deletes (plan.h).
 */
enum sb_status	map_chlist_members(struct map_chlist *l, size_t first,
		    const struct dirobj *ad, const struct dirobj *cloud,
		    const char *dn, const char *rule,
		    const struct map_member_diff *md, struct sb_error *err);
/*
 * The ADD of a new group at dn: objectClass, sAMAccountName sam, groupType
 * of opt's type, adminDescription and (unless the schema lacks it)
 * msDS-ExternalDirectoryObjectId Group_<cloud id>, and the values
 * map_group_desired gives for classes.
 */
enum sb_status	map_chlist_add_group(struct map_chlist *l,
		    const struct dirobj *cloud, const char *dn,
		    const char *sam, unsigned classes, const char *rule,
		    const struct map_options *opt, struct sb_error *err);
/* A RENAME of pr->ad into OU to, keeping its RDN. */
enum sb_status	map_chlist_move(struct map_chlist *l,
		    const struct map_pair *pr, const char *to,
		    const char *rule, struct sb_error *err);
/*
 * The DELETE of AD group ad, provisioned for cloud_id: its attributes as
 * the before-image (memberOf and the protection markers left out).
 */
enum sb_status	map_chlist_delete(struct map_chlist *l,
		    const struct dirobj *ad, const char *cloud_id,
		    struct sb_error *err);
/* Moves l's changes into p (l is emptied, also on failure). */
enum sb_status	map_chlist_commit(struct map_chlist *l, struct plan *p,
		    struct sb_error *err);

#endif
