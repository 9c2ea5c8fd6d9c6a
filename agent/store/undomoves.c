/* The groups an undo moves back, so later reverts find them where they go. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store/undomoves.h"

enum sb_status
agent_undomoves_add(struct undo_moves *m, const char *guid, const char *dn,
    struct sb_error *err)
{
	struct undo_move *nv;

	nv = realloc(m->v, (m->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	m->v = nv;
	snprintf(nv[m->n].guid, sizeof(nv->guid), "%s", guid);
	nv[m->n].dn = strdup(dn);
	if (nv[m->n].dn == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	m->n++;
	return SB_OK;
}

const char *
agent_undomoves_find(const struct undo_moves *m, const char *guid)
{
	size_t i;

	for (i = 0; guid[0] != '\0' && i < m->n; i++)
		if (strcmp(m->v[i].guid, guid) == 0)
			return m->v[i].dn;
	return NULL;
}

void
agent_undomoves_free(struct undo_moves *m)
{
	if (m == NULL)
		return;
	while (m->n > 0)
		free(m->v[--m->n].dn);
	free(m->v);
	m->v = NULL;
}

enum sb_status
agent_undomoves_retarget(struct plan *p, size_t from, const char *dn,
    struct sb_error *err)
{
	size_t i;

	for (i = from; i < p->nchanges; i++) {
		free(p->changes[i].dn);
		p->changes[i].dn = strdup(dn);
		if (p->changes[i].dn == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "undo",
			    "out of memory");
	}
	return SB_OK;
}
