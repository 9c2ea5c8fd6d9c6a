/*
 * What the write gate answers about one change.  Apart from gate.h so that
 * each part of the gate (gatecheck.c, gatemembers.c, gatescreen.c) can say
 * it without including another part: this header includes nothing.
 */
#ifndef SB_GATEVERDICT_H
#define SB_GATEVERDICT_H

#define AGENT_GATE_WHY_SIZE	512

enum gate_verdict {
	GATE_PASS = 0,		/* send the change as it is */
	GATE_TRIMMED,		/* send the trimmed copy: members refused */
	GATE_REFUSED,		/* send nothing */
};

#endif
