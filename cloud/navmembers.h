/*
 * The members of many groups read through $batch: one request for twenty
 * groups' first pages, and plain paged GETs only for the groups whose first
 * page says more follow (graph-exo-protocol.md sections 2 and 5).  A group
 * that cannot be read whole is that group's finding, never the run's.
 */
#ifndef SB_CLOUD_NAVMEMBERS_H
#define SB_CLOUD_NAVMEMBERS_H

#include <stddef.h>

#include "mapping/dirobj.h"
#include "client.h"

/* One member of group index (of the ids given); owns m, also on failure. */
typedef enum sb_status (*cloud_members_member_fn)(size_t index,
		    struct dirobj *m, void *arg, struct sb_error *err);

/*
 * Group index is read.  st SB_OK: every member was handed over.  st SB_SKIP:
 * its membership is unknown, why says why (code 404: the group is gone;
 * otherwise a malformed member entry or an id that is not a Graph object
 * id), and the members handed over before are not the whole list.  A status
 * other than SB_OK ends the reads with it.
 */
typedef enum sb_status (*cloud_members_end_fn)(size_t index,
		    enum sb_status st, const struct sb_error *why, void *arg,
		    struct sb_error *err);

struct cloud_members_read {
	cloud_members_member_fn	 member;
	cloud_members_end_fn	 end;
	void			*arg;
};

/*
 * GET /groups/{id}/members?$select=id,displayName&$top=999 for ids[0..n),
 * CLOUD_BATCH_MAX to a $batch (cloud_batch_run: throttled items retried
 * after their own Retry-After); a group whose first page carries
 * @odata.nextLink is paged on alone (cloud_graph_members_pages).  Members
 * are parsed as cloud_graph_members parses them, under the same cap
 * (CLOUD_GRAPH_MEMBERS_MAX).  Each group gets its members, then exactly one
 * r->end; the groups whose id is not a Graph object id first (nothing is
 * sent for them), the others in order.  Any item status but 200 and 404
 * (items still throttled, a 403 naming the permission) fails the call, as
 * it fails cloud_graph_members.
 */
enum sb_status	cloud_nav_members(struct cloud_client *c,
		    const char *const *ids, size_t n,
		    const struct cloud_members_read *r, struct sb_error *err);

#endif
