/*
 * The write gate as its parts see it: what agent_gate_new sets up and every
 * check reads.  Private to agent/gate*.c (elsewhere struct agent_gate is
 * only a name); it includes nothing of the gate, so no part reaches another
 * through it.
 */
#ifndef SB_GATETYPES_H
#define SB_GATETYPES_H

#include <stddef.h>

#include "mapping/options.h"

struct ad_conn;
struct agent_lease;
struct gate_cache;

struct agent_gate {
	struct ad_conn		*ad;
	const char		*domain;	/* naming context searched */
	struct map_options	 opt;		/* scope, OUs: conf's */
	char			**quar;		/* quarantined GUID texts */
	size_t			 nquar;
	struct agent_lease	*lease;		/* run's, or NULL: no guard */
	struct gate_cache	*cache;		/* reads kept while no write
						   follows (agent/gatecache.h);
						   NULL: each read goes to AD */
};

#endif
