/*
 * The drift report's entries: for every joined object and every attribute of
 * the map, what AD holds, what the cloud holds, who owns it and what sync
 * does about it; plus one entry per cloud or synced AD object that is not
 * joined, per unresolvable manager or member and per refused write.
 *
 * The state comes from the plan map_build_plan made from the same sets, so
 * the report and the writes cannot disagree: an attribute is cloud-drift
 * exactly when the plan changes it, with the plan's values.  Everything
 * else is compared with the same rules and diff the plan uses.
 *
 * Entries are produced one at a time through a callback and live only for
 * the call: a report over 100k objects needs no more memory than the plan.
 * Pure: no I/O, no clock.
 */
#ifndef MAP_REPORT_H
#define MAP_REPORT_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "options.h"
#include "plan.h"

enum map_report_state {
	MAP_REPORT_IN_SYNC = 0,		/* AD holds what the cloud holds */
	MAP_REPORT_CLOUD_DRIFT,		/* cloud-owned: sync writes it */
	MAP_REPORT_AD_DIFFERENCE,	/* AD-owned, different: informational */
	MAP_REPORT_REFUSED,		/* cloud-owned, not written */
	MAP_REPORT_UNRESOLVED,		/* manager or member not in AD */
	MAP_REPORT_UNJOINED,		/* an object without its other half */
};
#define MAP_REPORT_NSTATES	6

enum map_report_owner {
	MAP_REPORT_OWNER_NONE = 0,	/* unjoined: nobody's yet */
	MAP_REPORT_OWNER_CLOUD,		/* the cloud, through isCloudManaged */
	MAP_REPORT_OWNER_EXCHANGE,	/* the cloud: IsExchangeCloudManaged */
	MAP_REPORT_OWNER_AD,		/* AD is authoritative */
};
#define MAP_REPORT_NOWNERS	4

/* Class slots in counts: exchange, identity, membership, placement, object. */
#define MAP_REPORT_NCLASSES	5

/* A list of borrowed values. */
struct map_report_vals {
	const struct sb_bytes *const	*v;
	size_t				 n;
};

/*
 * One entry.  Every pointer is borrowed and valid only during the callback.
 * ad_diff[i] is 1 when AD value i is not what the cloud has (sync removes or
 * would remove it), cloud_diff[i] when cloud value i is missing in AD; both
 * NULL when there is nothing to mark.
 */
struct map_report_entry {
	enum map_report_state	 state;
	enum map_report_owner	 owner;
	unsigned		 cls;		/* MAP_CLASS_* bit; 0: object */
	enum dirobj_kind	 kind;
	const char		*dn;		/* AD DN; NULL: none in AD */
	const char		*cloud_id;	/* NULL: none in the cloud */
	const char		*display_name;	/* the cloud's, else AD's */
	const char		*attr;		/* AD attribute; NULL: object */
	const char		*rule;		/* authority rule, or NULL */
	struct map_report_vals	 ad;
	struct map_report_vals	 cloud;
	int			 cloud_known;	/* 0: no cloud value */
	/* drift: what sync adds and removes; else what would make AD equal */
	struct map_report_vals	 add;
	struct map_report_vals	 remove;
	const unsigned char	*ad_diff;
	const unsigned char	*cloud_diff;
	const char		*reason;	/* a short token, or NULL */
	const char		*message;	/* detail for people; or NULL */
};

struct map_report_input {
	const struct dirset	*ad;
	const struct dirset	*cloud;
	const struct dirset	*mailboxes;	/* may be NULL */
	const struct map_options *opt;
	const struct plan	*plan;		/* the plan of these sets */
	/*
	 * Non-NULL when sync would refuse the whole run (a safety limit): every
	 * would-be cloud-drift entry is refused, reason "limit", this message.
	 */
	const char		*limit;
};

/* What the walk saw besides its entries. */
struct map_report_stats {
	size_t	ad_objects;
	size_t	cloud_objects;
	size_t	mailboxes;
	size_t	joined;		/* cloud objects joined to an AD object */
	size_t	empty;		/* attributes empty on both sides: no entry */
};

/* The summary: counts of entries by state, owner and class. */
struct map_report_counts {
	size_t	entries;
	size_t	state[MAP_REPORT_NSTATES];
	size_t	owner[MAP_REPORT_NOWNERS];
	size_t	cls[MAP_REPORT_NCLASSES];
	size_t	limit_refused;	/* refused only because of the run's limit */
};

typedef enum sb_status (*map_report_cb)(const struct map_report_entry *e,
    void *arg, struct sb_error *err);

/*
 * Calls cb for every entry, in a fixed order: joined objects by DN (their
 * attributes in the map's order, then what else the plan changes on them),
 * then plan changes of objects not joined (groups to create), then findings
 * of objects not joined, then synced AD objects (mS-DS-ConsistencyGuid set)
 * that no cloud object joined.  Stops at the first status cb returns other
 * than SB_OK and returns it.  stats may be NULL.  Out of memory: SB_BUG.
 */
enum sb_status	map_report_walk(const struct map_report_input *in,
		    map_report_cb cb, void *arg, struct map_report_stats *stats,
		    struct sb_error *err);

/* Adds e to c. */
void		map_report_count(struct map_report_counts *c,
		    const struct map_report_entry *e);
/* 1 when c holds cloud-owned drift (also when a limit alone refused it). */
int		map_report_has_drift(const struct map_report_counts *c);

/*
 * How each state is named, in one table (mapping/reportlabel.c) for every
 * writer.  Out of range: "unknown", hint and note empty.
 */
struct map_report_state_label {
	const char	*name;	/* "cloud-drift": JSON, CSV, HTML classes */
	const char	*title;	/* "cloud-owned drift": headings */
	const char	*hint;	/* the HTML summary's line on what it means */
	const char	*note;	/* the text summary's remark; "" for none */
	const char	*heading; /* the text's section: what it means */
};
const struct map_report_state_label *map_report_state_label(
		    enum map_report_state s);
/*
 * "in-sync", "cloud-drift", "ad-difference", "refused", "unresolved",
 * "unjoined": the label's name.
 */
const char	*map_report_state_name(enum map_report_state s);
/*
 * The state of the entry a finding of kind k makes when shown on its own
 * (the service's metrics count findings by it too).
 */
enum map_report_state map_report_finding_state(enum finding_kind k);
/* "isCloudManaged", "IsExchangeCloudManaged", "AD", "none". */
const char	*map_report_owner_name(enum map_report_owner o);
/* Slot of a class in map_report_counts.cls (0 is "object"): 0..4. */
size_t		map_report_class_slot(unsigned cls);
/* "exchange", "identity", "membership", "placement", "object" by slot. */
const char	*map_report_slot_name(size_t slot);

#endif
