/*
 * Applying a plan with the journal written ahead, shared by sync and undo:
 * for each change, the write gate (agent/gate.h) re-reads AD and may
 * refuse it (nothing sent, nothing journaled) or take member values out
 * of it; then its rows are committed pending, the change is sent as
 * one LDAP operation (agent/apply.c), then its rows are marked applied or
 * failed.  A credentials, rights or connection failure ends the loop (the
 * rest would fail too); any other failure is recorded and the loop goes on.
 * A stop asked by a signal (agent/signals.h, the service only) ends the
 * loop before the next change: the one in hand is always finished.
 * After an ADD the new object's objectGUID is read back and journaled on
 * its rows and on this apply's later changes of it, so that an undo finds
 * a created group by GUID.
 */
#ifndef SB_WRITER_H
#define SB_WRITER_H

#include <stddef.h>

#include "agent/report/outcome.h"
#include "agent/store/state.h"
#include "mapping/plan.h"

struct ad_conn;
struct agent_gate;

struct agent_writer_result {
	int		*applied;	/* AGENT_WRITE_* per change
					   (agent/report/outcome.h) */
	char		**errors;	/* per change: AD's error, the gate's
					   reason (refused, trimmed), or NULL */
	size_t		 n;
	long		 napplied;	/* applied and trimmed */
	long		 nfailed;
	long		 nrefused;
	/*
	 * The write whose reply never came (the DC lost, or a timeout): its
	 * journal rows stay pending, settled by the next run reading AD
	 * (agent/recover.h); lost: why the loop stopped there, or NULL.
	 */
	long		 npending;
	char		*lost;
};

/*
 * Applies p for run; guids[i] is the objectGUID text of change i's object
 * ("" when unknown).  *out is filled (agent_writer_result_free) also when
 * the state store fails, which is the only failure returned: the run
 * cannot go on without its journal.
 */
enum sb_status	agent_writer_apply(struct agent_state *s, long long run,
		    struct ad_conn *ad, struct agent_gate *gate,
		    const struct plan *p,
		    const char *const *guids, struct agent_writer_result *out,
		    struct sb_error *err);
/*
 * A plan's pass through the same loop: each change meets the gate, which
 * says refused, trimmed or (applied[i] AGENT_WRITE_NOT_TRIED) "would
 * write"; nothing is journaled or sent.  Fails only when the gate cannot
 * read AD (the rest is left unchecked) or on a bug.
 */
enum sb_status	agent_writer_check(struct ad_conn *ad,
		    struct agent_gate *gate, const struct plan *p,
		    const char *const *guids, struct agent_writer_result *out,
		    struct sb_error *err);
void		agent_writer_result_free(struct agent_writer_result *r);

#endif
