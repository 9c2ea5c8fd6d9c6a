/*
 * The objectGUID text of each change's AD object.  The quarantine and the
 * journal go by GUID (a DN changes on a move); plans carry AD's DN, so the
 * GUIDs are looked up once per plan from the AD objects that were read.
 */
#ifndef SB_GUIDS_H
#define SB_GUIDS_H

#include "mapping/codec.h"
#include "mapping/dirobj.h"
#include "mapping/plan.h"

struct plan_guids {
	char		(*buf)[MAP_GUID_TEXT_SIZE];
	const char	**of;	/* of[i]: change i's GUID text, "" when unknown */
};

enum sb_status	agent_plan_guids(const struct plan *p, const struct dirset *ad,
		    struct plan_guids *out, struct sb_error *err);
void		agent_plan_guids_free(struct plan_guids *g);

#endif
