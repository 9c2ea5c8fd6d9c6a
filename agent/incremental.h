/*
 * The service's incremental cycle: has anything changed since the
 * positions of the last applied cycle?  AD answers with the objects whose
 * uSNChanged is above the watermark of the DC database in use, Graph with
 * the users and groups delta links, Exchange Online with the mailboxes
 * whose WhenChangedUTC is recent (agent/exoseen.h).  Nothing changed: the
 * positions advance and the cycle ends without a read.  Something changed,
 * or a position cannot be used (none yet, another DC, a spent delta link):
 * a full read and plan follow, and the new positions advance only with
 * that cycle's clean end (agent_sync_opts.pos), never over an unapplied
 * change.  The full read is what makes this safe: no deletion ever rests
 * on a delta.
 */
#ifndef SB_AGENT_INCREMENTAL_H
#define SB_AGENT_INCREMENTAL_H

#include <stddef.h>
#include <time.h>

#include "agent/exoseen.h"
#include "agent/store/position.h"
#include "conf/conf.h"

enum agent_incr_verdict {
	AGENT_INCR_QUIET = 0,	/* nothing changed; positions advanced */
	AGENT_INCR_CHANGED,	/* changes seen: read in full */
	AGENT_INCR_FULL,	/* no usable position: read in full */
};

/* A mailbox change the check saw, to remember once its cycle is applied. */
struct agent_incr_mailbox {
	char	*id;
	time_t	 when;
};

struct agent_incr {
	enum agent_incr_verdict	 verdict;
	char			 why[160];	/* of FULL, for the log */
	int			 resync;	/* a delta link was spent */
	unsigned long		 ad_changed;
	size_t			 users_changed;	/* changed and removed */
	size_t			 groups_changed; /* and member changes */
	size_t			 mailboxes_changed;
	struct agent_incr_mailbox *mbx;		/* seen by this check */
	size_t			 nmbx;
	/* For the full cycle to advance (agent_sync_opts.pos). */
	char			*users_link;
	char			*groups_link;
	char			 exo_since[24];
	struct agent_position	 pos[3];
	size_t			 npos;
	/* The check's own cloud requests and throttled replies (metrics),
	   kept also when it fails. */
	unsigned long		 cloud_requests;
	unsigned long		 cloud_throttled;
};

/*
 * The incremental check of a cycle that started at start, with the
 * positions of state_dir and the pairs seen (not changed).  QUIET has
 * advanced the positions already; CHANGED and FULL leave them in out->pos.
 */
enum sb_status	agent_incr_check(const struct conf *conf,
		    const struct agent_exo_seen *seen, time_t start,
		    struct agent_incr *out, struct sb_error *err);
/*
 * Positions for a full reconciliation that starts at start: fresh delta
 * links for the present state ($deltatoken=latest), taken before the
 * full read, so that nothing between them and the read is missed.
 */
enum sb_status	agent_incr_fresh(const struct conf *conf, time_t start,
		    struct agent_incr *out, struct sb_error *err);
/* Remembers the check's mailbox changes once its cycle was applied. */
enum sb_status	agent_incr_remember(const struct agent_incr *in,
		    struct agent_exo_seen *seen, struct sb_error *err);
void		agent_incr_free(struct agent_incr *in);
/*
 * Why the AD watermark cannot be used, or NULL: saved_dc and saved_usn are
 * the last full read's DC database (invocationId) and its USN, dc_now the
 * invocationId of the DC connected now.  Another DC (a fail-over, a DC
 * restored from backup) counts its USNs from elsewhere: a full read, never
 * a missed change.  Pure.
 */
const char	*agent_incr_dc_unusable(const char *saved_dc,
		    const char *saved_usn, const char *dc_now);

#endif
