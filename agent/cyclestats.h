/*
 * What one sync cycle did, in numbers: the service's metrics
 * (agent/metrics.h) add them up.  agent_sync_cycle adds to one its
 * caller zeroed and passes (struct agent_sync_opts); the service adds its
 * incremental check's cloud requests and the cycle's duration.
 *
 * Changes are counted as 'soabridge runs' counts them, one per change of
 * the plan (one LDAP operation), and by class: the report's classes
 * (mapping/report.h), a creation or deletion being "object", a rename or
 * move "placement", a modify the class of each attribute it writes.  A
 * modify that writes attributes of two classes counts once in each, so a
 * sum over the classes can exceed the run's count.
 */
#ifndef SB_CYCLESTATS_H
#define SB_CYCLESTATS_H

#include "mapping/plan.h"
#include "mapping/report.h"

struct cycle;

/* Where objects were read from. */
enum agent_side {
	AGENT_SIDE_AD = 0,	/* users, contacts, groups (and their parents) */
	AGENT_SIDE_GRAPH,	/* Graph users and groups */
	AGENT_SIDE_EXCHANGE,	/* Exchange Online mailboxes */
};
#define AGENT_NSIDES	3

/* Every enum finding_kind; the last one is MAP_FINDING_GONE_IN_CLOUD. */
#define AGENT_NFINDING_KINDS	(MAP_FINDING_GONE_IN_CLOUD + 1)

struct agent_cycle_stats {
	unsigned long	objects_read[AGENT_NSIDES];
	/* by class slot (map_report_class_slot) */
	unsigned long	planned[MAP_REPORT_NCLASSES];
	unsigned long	applied[MAP_REPORT_NCLASSES];	/* trimmed too */
	unsigned long	failed[MAP_REPORT_NCLASSES];	/* AD refused it */
	unsigned long	refused[MAP_REPORT_NCLASSES];	/* the write gate did */
	int		planned_known;	/* a plan was made: findings are its */
	unsigned long	findings[AGENT_NFINDING_KINDS];	/* by kind */
	unsigned long	cloud_requests;	/* retries included */
	unsigned long	cloud_throttled; /* replies 429, 503, 504 */
	double		seconds;	/* the cycle took: the caller's to set */
};

/* Class slots (bit i: slot i of map_report_class_slot) that c writes. */
unsigned	agent_change_class_slots(const struct change *c);
/*
 * Pure: adds p's changes (planned, and by their outcome in applied, an
 * AGENT_WRITE_* per change, or NULL when none was attempted) and findings
 * to s, and sets planned_known.
 */
void		agent_cycle_stats_count(struct agent_cycle_stats *s,
		    const struct plan *p, const int *applied);
/*
 * Adds to s what cy read and planned (any of it may be missing after a
 * failed step) and its cloud client's counters.
 */
void		agent_cycle_stats_take(struct agent_cycle_stats *s,
		    const struct cycle *cy, const int *applied);

#endif
