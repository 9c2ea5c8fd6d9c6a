/*
 * The service's metrics: counters over the life of 'soabridge run', added
 * up cycle by cycle, rendered in the Prometheus text exposition format
 * (version 0.0.4) and written to daemon.metrics_file the way the
 * node_exporter textfile collector wants it: a temporary file in the same
 * directory, fsync, rename, so the collector never reads half a file.
 *
 * Every name starts with soabridge_; counters end in _total.  Labels:
 * kind full|incremental and result ok|refused|failed of a cycle; side
 * ad|graph|exchange of the objects read; class exchange|identity|
 * membership|placement|object of a change (agent/cyclestats.h); state (the
 * drift report's, mapping/report.h) and kind (the plan's name) of a
 * finding.
 */
#ifndef SB_METRICS_H
#define SB_METRICS_H

#include <time.h>

#include "agent/cyclestats.h"
#include "mapping/core.h"

enum agent_cycle_kind {
	AGENT_CYCLE_FULL = 0,		/* a full read of both sides */
	AGENT_CYCLE_INCREMENTAL,	/* changes since the last delta token */
};
#define AGENT_NCYCLE_KINDS	2

enum agent_cycle_result {
	AGENT_CYCLE_OK = 0,
	AGENT_CYCLE_REFUSED,		/* a safety limit: nothing written */
	AGENT_CYCLE_FAILED,
};
#define AGENT_NCYCLE_RESULTS	3

/* The file's largest size: a few kB in practice. */
#define AGENT_METRICS_MAX	(64 * 1024)

struct agent_metrics {
	unsigned long	cycles[AGENT_NCYCLE_KINDS][AGENT_NCYCLE_RESULTS];
	unsigned long	objects_read[AGENT_NSIDES];
	unsigned long	planned[MAP_REPORT_NCLASSES];
	unsigned long	applied[MAP_REPORT_NCLASSES];
	unsigned long	failed[MAP_REPORT_NCLASSES];
	unsigned long	refused[MAP_REPORT_NCLASSES];
	/* a gauge: of the last cycle that made a plan */
	unsigned long	findings[AGENT_NFINDING_KINDS];
	unsigned long	cloud_requests;
	unsigned long	cloud_throttled;
	unsigned long	delta_resyncs;
	long long	last_success;	/* end of the last ok cycle, Unix s; 0: none */
	double		last_duration;	/* seconds; 0 before the first cycle */
};

/* Zero counters: what the file says before the first cycle. */
void		agent_metrics_init(struct agent_metrics *m);
/*
 * Adds one cycle of kind that ended at now with result; s (NULL: nothing
 * known but the result) is what the cycle counted.
 */
void		agent_metrics_add_cycle(struct agent_metrics *m,
		    enum agent_cycle_kind kind, enum agent_cycle_result result,
		    const struct agent_cycle_stats *s, time_t now);
/* An incremental cycle found its delta token expired: a full resync. */
void		agent_metrics_delta_resync(struct agent_metrics *m);

/* Appends v to b as a label value: \ " and newline escaped. */
enum sb_status	agent_metrics_label(struct sb_buf *b, const char *v,
		    struct sb_error *err);
/* Renders m as Prometheus text into b (sb_buf_init'ed by the caller). */
enum sb_status	agent_metrics_render(const struct agent_metrics *m,
		    struct sb_buf *b, struct sb_error *err);
/*
 * Writes m to path atomically (mode 0644): the file is either the old one
 * or the new one, and no temporary file is left behind.  Errors name the
 * file or directory and the system's reason.
 */
enum sb_status	agent_metrics_write(const struct agent_metrics *m,
		    const char *path, struct sb_error *err);

#endif
