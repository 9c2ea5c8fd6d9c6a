/*
 * What became of each change of an applied plan: the writer
 * (agent/writer.c) records it per change, the plan output prints it.
 * Here, below both, so that printing a plan needs no writer.
 */
#ifndef SB_OUTCOME_H
#define SB_OUTCOME_H

#define AGENT_WRITE_APPLIED	1	/* sent, AD took it */
/* sent without the member values the gate refused */
#define AGENT_WRITE_TRIMMED	2
#define AGENT_WRITE_NOT_TRIED	0
#define AGENT_WRITE_FAILED	(-1)	/* sent, AD refused it */
#define AGENT_WRITE_REFUSED	(-2)	/* the gate refused it: nothing sent */

#endif
