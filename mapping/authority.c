/* Decides which attribute classes the cloud owns for one object, and by which rule. */
#include <stddef.h>

#include "authority.h"

/*
 * Graph's view of a user the mailbox flag may stand on: a synced object
 * (onPremisesSyncEnabled true: Entra Connect still syncs it) that is not
 * cloud-managed.  A converted user shows onPremisesSyncEnabled null with
 * isCloudManaged true and is covered by the isCloudManaged rule; a
 * cloud-only user (null, no anchors) has no AD object the flag could own.
 */
static const char *
mailbox_disagrees(const struct dirobj *cloud)
{
	if (cloud == NULL)
		return "IsExchangeCloudManaged is true but no Graph user "
		    "confirms it: Exchange attributes are left to AD";
	if (cloud->cloud_managed == SB_TRI_TRUE)
		return NULL;	/* the isCloudManaged conflict says it */
	if (cloud->sync_enabled == SB_TRI_FALSE)
		return "IsExchangeCloudManaged is true but Graph says the "
		    "user is not synced (onPremisesSyncEnabled is false): "
		    "Exchange attributes are left to AD";
	if (cloud->sync_enabled != SB_TRI_TRUE)
		return "IsExchangeCloudManaged is true but Graph says the "
		    "user is not synced (onPremisesSyncEnabled is null): "
		    "Exchange attributes are left to AD";
	return NULL;
}

void
map_authority_decide(const struct dirobj *cloud, const struct dirobj *mailbox,
    struct map_authority *out)
{
	const char *why;

	out->classes = 0;
	out->rule = MAP_RULE_AD;
	out->conflict = NULL;

	if (cloud != NULL && cloud->cloud_managed == SB_TRI_TRUE) {
		if (cloud->sync_enabled != SB_TRI_TRUE) {
			out->classes = MAP_CLASS_IDENTITY | MAP_CLASS_EXCHANGE;
			if (cloud->kind == DIROBJ_GROUP)
				out->classes |= MAP_CLASS_MEMBERSHIP |
				    MAP_CLASS_PLACEMENT;
			out->rule = MAP_RULE_CLOUD_MANAGED;
			return;
		}
		out->conflict = "isCloudManaged is true but "
		    "onPremisesSyncEnabled is also true: Entra Connect still "
		    "syncs this object, so writing it back would loop";
	}
	if (mailbox == NULL || mailbox->exchange_cloud_managed != SB_TRI_TRUE)
		return;
	if (mailbox->sync_enabled != SB_TRI_TRUE) {
		if (out->conflict == NULL)
			out->conflict = "IsExchangeCloudManaged is true but "
			    "the mailbox is not IsDirSynced: its Exchange "
			    "attributes have no on-premises object to own";
		return;
	}
	/* Graph must agree: a synced user that is not cloud-managed. */
	why = mailbox_disagrees(cloud);
	if (why != NULL || out->conflict != NULL) {
		if (out->conflict == NULL)
			out->conflict = why;
		return;
	}
	out->classes = MAP_CLASS_EXCHANGE;
	out->rule = MAP_RULE_EXCHANGE;
}
