/*
 * The join: pairs each cloud object with its AD object, in linear time
 * (hash tables).  First by onPremisesImmutableId = base64 of the AD object's
 * mS-DS-ConsistencyGuid (when set) or objectGUID, compared as 16 raw bytes;
 * then by onPremisesSecurityIdentifier = objectSid.  Mailboxes attach to the
 * cloud user whose id is their ExternalDirectoryObjectId.  A cloud group
 * without on-premises anchors (cloud-native; v1.0 groups have no
 * onPremisesImmutableId) joins the AD group whose adminDescription or
 * msDS-ExternalDirectoryObjectId is "Group_<its id>": the anchor written
 * when it was provisioned (by soabridge or Microsoft's group writeback).
 * Every doubt is a finding and no pair: never a guess.  AD objects marked
 * protect_only (mapping/dirobj.h) are never joined.
 */
#ifndef MAP_JOIN_H
#define MAP_JOIN_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "plan.h"

enum map_join_key {
	MAP_JOIN_NONE = 0,		/* not joined */
	MAP_JOIN_CONSISTENCY_GUID,	/* immutableId = mS-DS-ConsistencyGuid */
	MAP_JOIN_OBJECT_GUID,		/* immutableId = objectGUID */
	MAP_JOIN_SID,			/* onPremisesSecurityIdentifier = objectSid */
	MAP_JOIN_WRITEBACK,		/* adminDescription = Group_<cloud id> */
};

/* The writeback anchor's prefix (ad-writeback.md section 1). */
#define MAP_WRITEBACK_PREFIX	"Group_"

/* One per cloud object; every pointer is borrowed from the sets given. */
struct map_pair {
	const struct dirobj	*cloud;
	const struct dirobj	*ad;		/* NULL: not joined (see findings) */
	const struct dirobj	*mailbox;	/* NULL: none */
	enum map_join_key	 key;
	int			 mailbox_ambiguous; /* two mailboxes claim it */
	int			 ambiguous;	/* not joined for a doubt: never
						   create its AD object */
};

struct map_join;

/*
 * Joins; the sets are borrowed and must outlive *out.  mailboxes may be
 * NULL.  The join keeps its findings (NOT_JOINED, AMBIGUOUS_JOIN,
 * CLOUD_ONLY: map_join_findings) and also copies them to findings when it
 * is not NULL; a cloud-only group gets none here (mapping/groups.c says
 * whether it is provisioned or why not).  *out is new; the caller frees it
 * with map_join_free.
 */
enum sb_status		 map_join_build(const struct dirset *ad,
			     const struct dirset *cloud,
			     const struct dirset *mailboxes,
			     struct plan *findings, struct map_join **out,
			     struct sb_error *err);
void			 map_join_free(struct map_join *j);
/* The findings of the join, borrowed from j. */
const struct plan	*map_join_findings(const struct map_join *j);

/* Pairs in the order of the cloud set: i < map_join_count(j). */
size_t			 map_join_count(const struct map_join *j);
const struct map_pair	*map_join_pair(const struct map_join *j, size_t i);
/* The pair of cloud object cloud_id (case-insensitive), or NULL. */
const struct map_pair	*map_join_find(const struct map_join *j,
			     const char *cloud_id);
/* The AD object joined to cloud object cloud_id, or NULL (manager, members). */
const struct dirobj	*map_join_ad_of(const struct map_join *j,
			     const char *cloud_id);
const char		*map_join_key_name(enum map_join_key key);
/*
 * The cloud id in the writeback anchor of AD group o ("Group_<id>" in
 * adminDescription, else in msDS-ExternalDirectoryObjectId), as a pointer
 * into o's value with its length in *len; NULL when o is not a group or has
 * none (or a malformed one).  The id is NUL-terminated at *len (values
 * carry a spare NUL).
 */
const char		*map_join_writeback_id(const struct dirobj *o,
			     size_t *len);

#endif
