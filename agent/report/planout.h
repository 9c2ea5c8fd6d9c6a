/*
 * Printing a plan: the text an admin reads before a sync, and the JSON
 * scripts consume.  The same function prints what sync applied.
 */
#ifndef SB_PLANOUT_H
#define SB_PLANOUT_H

#include <stdio.h>

#include "mapping/plan.h"

enum planout_format {
	PLANOUT_TEXT = 0,
	PLANOUT_JSON,
};

/* Which run printed a plan: sync and undo are runs, plan is not. */
struct planout_run {
	long long	 run;		/* the run's id; 0: none */
	long long	 undo_of;	/* undo: the run it reverts; else 0 */
	const char	*dc;		/* text: "DC: <host> (<uri>)"; may be NULL */
};

/* Parse "text" or "json"; -1 when neither. */
int	agent_planout_format(const char *s);

/*
 * Print plan p to f.  title: "plan" or "sync".  applied (may be NULL): per
 * change, AGENT_WRITE_* (agent/report/outcome.h); errors (may be NULL): the
 * message of each failed change.
 */
void	agent_planout_print(FILE *f, enum planout_format fmt, const char *title,
	    const struct plan *p, const int *applied,
	    const char *const *errors);
/* The same, naming the run (r may be NULL): JSON "run" and "undo_of". */
void	agent_planout_print_run(FILE *f, enum planout_format fmt,
	    const char *title, const struct planout_run *r,
	    const struct plan *p, const int *applied,
	    const char *const *errors);

#endif
