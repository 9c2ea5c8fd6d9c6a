/*
 * Microsoft Graph reads: users, groups, contacts and group members, paged and
 * handed over page by page as struct dirobj.  The navigation properties
 * read per object (source of authority, manager) are in cloud/nav.h.
 */
#ifndef SB_CLOUD_GRAPH_H
#define SB_CLOUD_GRAPH_H

#include <stddef.h>

#include "mapping/dirobj.h"
#include "client.h"
#include "pager.h"	/* cloud_obj_cb */

/* Objects per page asked of Graph (its maximum for directory objects). */
#define CLOUD_GRAPH_TOP		999
/* Members of one group that we accept. */
#define CLOUD_GRAPH_MEMBERS_MAX	((size_t)5000000)
/* Properties in one $select, and the length of one name. */
#define CLOUD_GRAPH_SELECT_MAX	128
#define CLOUD_GRAPH_NAME_MAX	120

/*
 * GET {graph_url}/v1.0/users?$select=...&$top=999[&$expand=manager($select=id)]
 * and every @odata.nextLink as given.  Each user becomes a DIROBJ_USER:
 * cloud_id (id), display_name, immutable_id (onPremisesImmutableId),
 * sid_string (onPremisesSecurityIdentifier), sync_enabled
 * (onPremisesSyncEnabled), cloud_managed UNSET (see cloud_graph_soa), and one
 * attribute per selected property by its Graph name: absent stays absent;
 * null, "" and [] are present with no values; collections multi-valued;
 * booleans "true"/"false"; numbers as text; objects flattened
 * ("onPremisesExtensionAttributes.extensionAttribute1").  expand_manager adds
 * "manager" = the manager's id (present with no value when there is none);
 * Graph then serves at most 100 objects a page whatever $top says, so the
 * agent lists without it and reads the managers it needs through
 * cloud_nav_managers (cloud/nav.h).  The anchor
 * properties are always requested.  select: NULL-terminated Graph names
 * ([A-Za-z0-9_]), or NULL for all properties Graph returns by default.
 * Pages are handed over as they arrive: on failure the objects already
 * handed over are the callback's, and the listing is incomplete.
 */
enum sb_status	cloud_graph_users(struct cloud_client *c,
		    const char *const *select, int expand_manager,
		    cloud_obj_cb cb, void *arg, struct sb_error *err);
/* Same for /v1.0/groups (DIROBJ_GROUP; expand_manager must be 0). */
enum sb_status	cloud_graph_groups(struct cloud_client *c,
		    const char *const *select, int expand_manager,
		    cloud_obj_cb cb, void *arg, struct sb_error *err);
/* Same for /v1.0/contacts (DIROBJ_CONTACT). */
enum sb_status	cloud_graph_contacts(struct cloud_client *c,
		    const char *const *select, int expand_manager,
		    cloud_obj_cb cb, void *arg, struct sb_error *err);

/*
 * GET /v1.0/groups/{id}/members?$select=id,displayName&$top=999, paged.
 * Each member: kind from @odata.type (user, group, orgContact, else
 * DIROBJ_OTHER), cloud_id, display_name, attribute "odataType".  A member
 * entry without a usable id (not an object, no "id" string, an id that
 * map_cloudid_valid refuses) leaves the group's membership unknown:
 * SB_SKIP, naming the group and the entry, for this group only.  So is a
 * group_id that is not a Graph object id (nothing is sent).
 */
enum sb_status	cloud_graph_members(struct cloud_client *c,
		    const char *group_id, cloud_obj_cb cb, void *arg,
		    struct sb_error *err);

/*
 * The members pages of group_id from url on (an @odata.nextLink, absolute,
 * on the Graph host: SB_STOP otherwise, the token stays home), as
 * cloud_graph_members reads them, at most max_objects of them.  For the
 * groups whose first page came in a $batch (cloud/navmembers.h).
 */
enum sb_status	cloud_graph_members_pages(struct cloud_client *c,
		    const char *group_id, const char *url, size_t max_objects,
		    cloud_obj_cb cb, void *arg, struct sb_error *err);

/*
 * isCloudManaged of n objects of one kind (user, group, contact) as a
 * tri-state, through cloud_nav_soa (cloud/nav.h, which the agent uses: it
 * tells each object's failure apart).  out[i] answers ids[i]: true, false,
 * or UNSET when Graph has no such object (404).  A 200 without a boolean
 * isCloudManaged fails the call (SB_RETRY naming the object), never reads
 * as false.  out is written only on success.
 */
enum sb_status	cloud_graph_soa(struct cloud_client *c, enum dirobj_kind kind,
		    const char *const *ids, size_t n, enum sb_tri *out,
		    struct sb_error *err);

/* Parsers, public for unit tests. */

/*
 * One page of users, groups or contacts (kind) into out (appended); copies
 * @odata.nextLink into *next_link (NULL on the last page).  Nothing is added
 * to out unless the whole page is well-formed.
 */
enum sb_status	cloud_graph_parse_page(const char *body, size_t len,
		    enum dirobj_kind kind, const char *const *select,
		    int expand_manager, struct dirset *out, char **next_link,
		    struct sb_error *err);
enum sb_status	cloud_graph_parse_members(const char *body, size_t len,
		    struct dirset *out, char **next_link, struct sb_error *err);
/* The same, naming group_id (may be NULL) in what it says of a bad page. */
enum sb_status	cloud_graph_parse_group_members(const char *body, size_t len,
		    const char *group_id, struct dirset *out, char **next_link,
		    struct sb_error *err);

/*
 * Appends "$select=..." for a listing of kind to url: its anchors, then
 * select (manager, a navigation property, and repeats left out).  For the
 * delta queries (cloud/delta.h), which ask for the listing's properties.
 */
enum sb_status	cloud_graph_select_param(enum dirobj_kind kind,
		    const char *const *select, struct sb_buf *url,
		    struct sb_error *err);

#endif
