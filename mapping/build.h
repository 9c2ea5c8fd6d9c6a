/*
 * map_build_plan: the plan (mapping/plan.h) of both sides' objects, through
 * the join, authority, scope and protection, rules and diff; groups by
 * mapping/groups.h.  Pure: no I/O, no clock.
 */
#ifndef MAP_BUILD_H
#define MAP_BUILD_H

#include "core.h"
#include "dirobj.h"
#include "join.h"
#include "options.h"
#include "plan.h"

/*
 * Computes the plan.  ad: AD users, groups, contacts; cloud: Graph users
 * and groups; mailboxes: Exchange Online mailboxes (may be NULL).  All are
 * borrowed.  Data problems become findings; only out of memory fails
 * (SB_BUG).  *out is a new plan the caller frees with map_plan_free.
 * Groups are planned by mapping/groups.h, which documents what it needs
 * of group objects (members, anchors, name holders).
 *
 * What the readers put into the dirobjs:
 * - AD (ldap/): kind USER/GROUP/CONTACT, dn, guid (16 raw bytes),
 *   consistency_guid (16 raw bytes, or empty), sid (binary); attributes by
 *   LDAP name as read (map_ad_read_attrs()): adminCount "1",
 *   isCriticalSystemObject "TRUE", manager a DN, booleans "TRUE"/"FALSE".
 *   An attribute AD does not hold is absent.
 * - Graph (cloud/): kind USER (GROUP, CONTACT), cloud_id, display_name,
 *   immutable_id, sid_string, sync_enabled, cloud_managed (SB_TRI_UNSET when
 *   not read); attributes by Graph name: strings one value, collections
 *   multi-valued, a selected property that was null present with 0 values,
 *   an unselected one absent.  "manager" holds the manager's cloud id; when
 *   the manager was read and there is none, "manager" present with 0 values
 *   clears AD's; absent leaves AD's alone.
 * - Exchange Online (cloud/): kind MAILBOX, cloud_id = ExternalDirectoryObjectId,
 *   exchange_cloud_managed = IsExchangeCloudManaged, sync_enabled =
 *   IsDirSynced; attributes by EXO name (map_mailbox_properties()),
 *   CustomAttributeN "" present with 0 values, arrays multi-valued,
 *   booleans "true"/"false".
 */
enum sb_status	 map_build_plan(const struct dirset *ad,
		     const struct dirset *cloud, const struct dirset *mailboxes,
		     const struct map_options *opt, struct plan **out,
		     struct sb_error *err);
/*
 * The same over a join already built of these sets (map_join_build): a
 * cycle joins once and shares the join with the reads, the plan and the
 * report.  The join's findings are copied into the plan.
 */
enum sb_status	 map_build_plan_joined(const struct map_join *j,
		     const struct dirset *ad, const struct dirset *cloud,
		     const struct map_options *opt, struct plan **out,
		     struct sb_error *err);

#endif
