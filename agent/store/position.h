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
