/*
 * The service's signals: SIGTERM and SIGINT ask it to stop (the writer
 * finishes the object in hand and starts no other), SIGHUP asks for the
 * configuration to be read again at the next cycle boundary.  The
 * handlers only set flags; sync, which installs none, never sees a stop.
 */
#ifndef SB_SIGNALS_H
#define SB_SIGNALS_H

#include "mapping/core.h"

/* Installs the handlers (sigaction, SA_RESTART). */
enum sb_status agent_signals_install(struct sb_error *err);
/* What a handler does with signo: sets the stop or reload flag. */
void agent_signals_note(int signo);
/* Whether SIGTERM or SIGINT came (the flag stays set). */
int agent_stop_requested(void);
/* Whether SIGHUP came since the last call (the flag is cleared). */
int agent_reload_take(void);
/*
 * Sleeps up to seconds, returning early (1) when a stop or reload is
 * asked, also one that came before the call; 0 after the full wait.
 */
int agent_signals_wait(long seconds);

#endif
