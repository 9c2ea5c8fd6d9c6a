/*
 * Exchange Online has no delta query: the service asks for the mailboxes
 * whose WhenChangedUTC is at or after its previous cycle's start minus a
 * margin (changes reach the service's reads a little late), so the same
 * change is reported by several cycles.  The seen set remembers which
 * (mailbox, WhenChangedUTC) pairs a finished cycle already took in, so that
 * only a new change makes a cycle read in full.  Pure: no clock, no I/O.
 */
#ifndef SB_AGENT_EXOSEEN_H
#define SB_AGENT_EXOSEEN_H

#include <stddef.h>
#include <time.h>

#include "mapping/core.h"

/*
 * How far before the previous cycle's start the next one asks: Exchange
 * Online stamps WhenChangedUTC where the write happened and the reads may
 * come from a copy a little behind it.
 */
#define AGENT_EXO_MARGIN_S	120

struct agent_exo_seen_entry {
	char	*id;		/* ExternalDirectoryObjectId, as served */
	time_t	 when;		/* its WhenChangedUTC */
};

struct agent_exo_seen {
	struct agent_exo_seen_entry	*v;
	size_t				 n, cap;
};

/*
 * WhenChangedUTC as Exchange Online serves it: ISO 8601
 * "2026-12-05T10:11:12Z", with fractions of a second or an offset
 * ("+00:00"), into *out.  0 when s is not such a time.
 */
int		agent_exo_parse_time(const char *s, time_t *out);

/* Whether the pair was taken in already. */
int		agent_exo_seen_has(const struct agent_exo_seen *s,
		    const char *id, time_t when);
/* Remembers the pair (a repeat is not added twice). */
enum sb_status	agent_exo_seen_add(struct agent_exo_seen *s, const char *id,
		    time_t when, struct sb_error *err);
/* Forgets the pairs changed before t: no later question reaches them. */
void		agent_exo_seen_prune(struct agent_exo_seen *s, time_t t);
void		agent_exo_seen_free(struct agent_exo_seen *s);

#endif
