/*
 * Positions: where the next incremental read starts, per source ("ad.usn",
 * the highestCommittedUSN read before the last complete sync; later the
 * Graph delta links).  A position advances only inside a transaction
 * (agent_state_begin), the one that also records the changes it covers:
 * agent_position_advance() refuses otherwise.  A numeric one never moves
 * backwards.
 */
#ifndef SB_POSITION_H
#define SB_POSITION_H

#include <stddef.h>

#include "agent/store/state.h"

#define AGENT_POSITION_MAX	4096	/* a Graph delta link fits */

/*
 * The names: AD's watermark is "ad.usn.<invocationId>" (per DC database),
 * "ad.dc" the invocationId of the last complete read; the service's Graph
 * delta links; the start (unix seconds) of the service's last cycle whose
 * Exchange Online changes were applied; when its last full reconciliation
 * started.
 */
#define AGENT_POSITION_AD_USN		"ad.usn."
#define AGENT_POSITION_AD_DC		"ad.dc"
#define AGENT_POSITION_USERS_DELTA	"graph.users.delta"
#define AGENT_POSITION_GROUPS_DELTA	"graph.groups.delta"
#define AGENT_POSITION_EXO_SINCE	"exo.since"
#define AGENT_POSITION_FULL_AT		"service.full"

/* A position: name ("ad.usn", "graph.users.delta") and its new value. */
struct agent_position {
	const char	*name;
	const char	*value;
	int		 numeric;	/* 1: never moves backwards (a USN) */
};

struct agent_position_row {
	char		 name[64];
	char		 value[AGENT_POSITION_MAX];
	long long	 run;
	char		 updated[AGENT_STATE_TIME_SIZE];
};

/*
 * Advances one position for run; only inside a transaction (SB_BUG
 * otherwise).  A numeric position never moves backwards: a smaller value
 * is ignored.
 */
enum sb_status	agent_position_advance(struct agent_state *s,
		    const struct agent_position *p, long long run,
		    struct sb_error *err);
/* The value of name into out (size n); "" when unset. */
enum sb_status	agent_position_get(struct agent_state *s, const char *name,
		    char *out, size_t n, struct sb_error *err);
/* Every position, by name.  *out is new (free()). */
enum sb_status	agent_position_list(struct agent_state *s,
		    struct agent_position_row **out, size_t *n,
		    struct sb_error *err);

#endif
