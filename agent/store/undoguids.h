/*
 * The objectGUID text of each change of an undo plan, in the form the
 * write gate and the writer take (one const char * per change).  The plan
 * grows one reverted change at a time, so the table grows with it.
 */
#ifndef SB_UNDOGUIDS_H
#define SB_UNDOGUIDS_H

#include <stddef.h>

#include "mapping/codec.h"

/* Owns both arrays; agent_undoguids_free() frees them. */
struct undo_guids {
	char		(*buf)[MAP_GUID_TEXT_SIZE];
	const char	**v;		/* v[i] is buf[i]; NULL while empty */
};

/*
 * Grows g to n changes and sets the GUID of those from index from on to
 * guid ("" when not known).  n 0 leaves g as it is.
 */
enum sb_status	agent_undoguids_set(struct undo_guids *g, size_t n,
		    size_t from, const char *guid, struct sb_error *err);
void		agent_undoguids_free(struct undo_guids *g);

#endif
