/* Decides which attribute classes the cloud owns for one object, and by which rule. */
#include <stddef.h>

#include "authority.h"

void
map_authority_decide(const struct dirobj *cloud, const struct dirobj *mailbox,
    struct map_authority *out)
{
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
	if (mailbox != NULL && mailbox->exchange_cloud_managed == SB_TRI_TRUE) {
		if (mailbox->sync_enabled == SB_TRI_TRUE) {
			out->classes = MAP_CLASS_EXCHANGE;
			out->rule = MAP_RULE_EXCHANGE;
			return;
		}
		if (out->conflict == NULL)
			out->conflict = "IsExchangeCloudManaged is true but "
			    "the mailbox is not IsDirSynced: its Exchange "
			    "attributes have no on-premises object to own";
	}
}
