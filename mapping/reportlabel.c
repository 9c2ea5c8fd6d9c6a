/* The one table of labels per report enum: states, owners, class slots. */
#include <stddef.h>

#include "report.h"

/*
 * Indexed by enum map_report_state.  Every writer takes its words from
 * here, so that a state reads the same in text, JSON, CSV and HTML.
 */
static const struct map_report_state_label labels[MAP_REPORT_NSTATES] = {
	[MAP_REPORT_IN_SYNC] = { "in-sync", "in sync",
	    "AD matches the cloud", "", "in sync" },
	[MAP_REPORT_CLOUD_DRIFT] = { "cloud-drift", "cloud-owned drift",
	    "sync would write these", "sync would write these",
	    "cloud-owned drift: sync would write these" },
	[MAP_REPORT_AD_DIFFERENCE] = { "ad-difference", "AD-owned difference",
	    "AD is authoritative; informational", "informational",
	    "AD-owned difference: AD is authoritative, the cloud differs "
	    "(informational)" },
	[MAP_REPORT_REFUSED] = { "refused", "refused",
	    "cloud-owned, policy forbids the write",
	    "cloud-owned, not written (policy)",
	    "refused: cloud-owned and different, but policy forbids the "
	    "write" },
	[MAP_REPORT_UNRESOLVED] = { "unresolved", "unresolved",
	    "manager or member not in AD", "",
	    "unresolved: a manager or member with no AD object" },
	[MAP_REPORT_UNJOINED] = { "unjoined", "unjoined",
	    "no object on the other side", "",
	    "unjoined: no matching object on the other side" },
};

static const struct map_report_state_label unknown_state = {
	"unknown", "unknown", "", "", "unknown"
};

/* Indexed by enum map_report_owner: the rule that makes the owner. */
static const char *const owner_names[MAP_REPORT_NOWNERS] = {
	[MAP_REPORT_OWNER_NONE] = "none",
	[MAP_REPORT_OWNER_CLOUD] = "isCloudManaged",
	[MAP_REPORT_OWNER_EXCHANGE] = "IsExchangeCloudManaged",
	[MAP_REPORT_OWNER_AD] = "AD",
};

/* Indexed by the slot of map_report_class_slot. */
static const char *const slot_names[MAP_REPORT_NCLASSES] = {
	"exchange", "identity", "membership", "placement", "object",
};

const struct map_report_state_label *
map_report_state_label(enum map_report_state s)
{
	if ((size_t)s >= MAP_REPORT_NSTATES)
		return &unknown_state;
	return &labels[s];
}

const char *
map_report_state_name(enum map_report_state s)
{
	return map_report_state_label(s)->name;
}

const char *
map_report_owner_name(enum map_report_owner o)
{
	return (size_t)o < MAP_REPORT_NOWNERS ? owner_names[o] : "unknown";
}

const char *
map_report_slot_name(size_t slot)
{
	return slot < MAP_REPORT_NCLASSES ? slot_names[slot] : "object";
}
