/*
 * Flap quarantine.  A run finds an attribute of an object "changed back"
 * when its plan writes again, value by value, what soabridge itself wrote
 * last and AD no longer holds: it adds a value soabridge last added (AD
 * dropped it) or removes one soabridge last removed (AD has it again); a
 * single-valued attribute is the same with its one value
 * (agent/store/flapscan.h).  Values soabridge never wrote are growth from the
 * cloud, never a revert: a group that gains a member every run is not
 * flapping.  Each (object, attribute) keeps a count of consecutive runs
 * that found it so; a run that does not resets it.  At
 * limits.flap_threshold the object is quarantined: all of its changes
 * (every attribute, every part) leave that run's plan and every later
 * one, replaced by one finding of kind flap, until 'soabridge release
 * DN|GUID'.  The first sync after a release writes the object without
 * counting (what was put back by hand is still there), and counting starts
 * again from the run after.  Objects are tracked by objectGUID text.
 */
#ifndef SB_FLAP_H
#define SB_FLAP_H

#include <stddef.h>

#include "agent/store/state.h"
#include "mapping/codec.h"
#include "mapping/plan.h"

/* One counted (object, attribute), or one quarantined object. */
struct flap_entry {
	char		 guid[MAP_GUID_TEXT_SIZE];
	char		*dn;
	char		*attr;
	long		 count;		/* consecutive runs it came back */
	long long	 run;		/* quarantine: the run deciding it */
	char		 since[AGENT_STATE_TIME_SIZE];
	int		 released;	/* released: one run not counted */
};

struct flap_list {
	struct flap_entry	*v;
	size_t			 n;
};

/* What agent_flap_filter decided, for agent_flap_commit. */
struct agent_flaps {
	struct flap_list	 counts;	/* pairs counted, count >= 1 */
	struct flap_list	 quarantine;	/* quarantined by this run */
	size_t			 held;		/* changes dropped: their object
						   was quarantined before */
};

/* Pure: the count after a run that found the attribute changed back or not. */
long		agent_flap_next(long count, int changed_back);
/* Pure: 1 when count reaches threshold (quarantine). */
int		agent_flap_trips(long count, long threshold);

void		agent_flap_list_free(struct flap_list *l);
void		agent_flap_free(struct agent_flaps *f);

/*
 * Applies the quarantine to plan p: guids[i] is the objectGUID text of the
 * object of p->changes[i] ("" when unknown: never counted).  The changes of
 * one object are judged together.  Every change of a quarantined object,
 * and of an object this run quarantines, leaves the plan; one flap finding
 * per object says why.  guids leaves with them: guids[i] stays the GUID of
 * p->changes[i] (the writer journals and gates by it).  Reads the state
 * only (s may be NULL: no state yet); *out says what agent_flap_commit()
 * should record.
 */
enum sb_status	agent_flap_filter(struct agent_state *s, struct plan *p,
		    const char **guids, long threshold,
		    struct agent_flaps *out, struct sb_error *err);
/*
 * Records f for run in one transaction: the counts (pairs not counted by
 * this run start again from zero), the new quarantines, and the end of the
 * grace of released objects.
 */
enum sb_status	agent_flap_commit(struct agent_state *s,
		    const struct agent_flaps *f, long long run,
		    struct sb_error *err);

/* Quarantined objects by DN.  out is new. */
enum sb_status	agent_flap_quarantined(struct agent_state *s,
		    struct flap_list *out, struct sb_error *err);
/*
 * Ends the quarantine of the object named by DN or GUID text (braces
 * optional), and its counts.  out: what was released (n 0: nothing was
 * quarantined under that name).
 */
enum sb_status	agent_flap_release(struct agent_state *s, const char *name,
		    struct flap_list *out, struct sb_error *err);

#endif
