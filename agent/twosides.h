/*
 * Two independent reads side by side: one in the calling thread, the other
 * in a thread of its own, so that a cycle waits for the slower of AD and
 * the cloud, not for both one after the other.  Each side must own what it
 * touches (its connection, its sets); the log and the status line are safe
 * to share (agent/log.c, agent/progress.c).
 */
#ifndef SB_TWOSIDES_H
#define SB_TWOSIDES_H

#include "mapping/core.h"

typedef enum sb_status (*agent_side_fn)(void *arg, struct sb_error *err);

/*
 * Runs here(here_arg) in this thread and there(there_arg) in another, and
 * returns once both have ended: SB_OK when both did; else the first
 * failure of here, then of there, into err.  When both failed, there's
 * error is logged (nothing is hidden).  Neither side is cut short: a
 * failure waits for the other side's end.  When no thread can be started,
 * the two run one after the other, here first.
 */
enum sb_status agent_two_sides(agent_side_fn here, void *here_arg,
    agent_side_fn there, void *there_arg, struct sb_error *err);

#endif
