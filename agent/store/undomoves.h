/*
 * The groups an undo moves back, by objectGUID, and where to.  The undo
 * plans the newest change of the run first, so a group's move back is
 * planned before the older changes of its attributes and members: those
 * are written after the move and must name the group at the DN it will
 * have then, not at the DN AD shows now.
 */
#ifndef SB_UNDOMOVES_H
#define SB_UNDOMOVES_H

#include <stddef.h>

#include "mapping/codec.h"
#include "mapping/plan.h"

struct undo_move {
	char		 guid[MAP_GUID_TEXT_SIZE];
	char		*dn;		/* where the group goes back to */
};

/* Owns each dn; agent_undomoves_free() frees them. */
struct undo_moves {
	struct undo_move	*v;
	size_t			 n;
};

/* Records that the group with GUID guid moves back to dn (copied). */
enum sb_status	 agent_undomoves_add(struct undo_moves *m, const char *guid,
		     const char *dn, struct sb_error *err);
/* The DN the group with GUID guid moves back to, or NULL; "" never matches. */
const char	*agent_undomoves_find(const struct undo_moves *m,
		     const char *guid);
void		 agent_undomoves_free(struct undo_moves *m);
/* Sets the DN of p's changes from index from on to dn (copied). */
enum sb_status	 agent_undomoves_retarget(struct plan *p, size_t from,
		     const char *dn, struct sb_error *err);

#endif
