/*
 * After a crash: the runs a dead process left "running" are closed as
 * "interrupted", and each of their pending journal rows is settled by
 * re-reading its object from AD (applied when AD holds the row's
 * after-values, else not-applied).  The caller holds the state_dir lock,
 * which is what makes a "running" run of another process a dead one.
 */
#ifndef SB_RECOVER_H
#define SB_RECOVER_H

#include "agent/store/journal.h"
#include "agent/store/state.h"
#include "mapping/dirobj.h"

struct ad_conn;

/*
 * Re-reads one object with attrs (NULL-terminated): by objectGUID text
 * under base_dn when guid is not "" (a rename keeps it), else by DN.  *out
 * is new (dirobj_free), or NULL when the object is gone.
 */
enum sb_status	agent_recover_reread(struct ad_conn *ad, const char *base_dn,
		    const char *guid, const char *dn, const char *const *attrs,
		    struct dirobj **out, struct sb_error *err);

/* Settles every run but self left running; *nruns: how many. */
enum sb_status	agent_recover_runs(struct agent_state *s, struct ad_conn *ad,
		    const char *base_dn, long long self, size_t *nruns,
		    struct sb_error *err);

/*
 * Settles the pending rows of runs that ended (not running, not self):
 * those of a write whose reply never came, the DC lost under it.  *nruns:
 * how many runs had some.
 */
enum sb_status	agent_recover_pending(struct agent_state *s,
		    struct ad_conn *ad, const char *base_dn, long long self,
		    size_t *nruns, struct sb_error *err);

#endif
