/* The GUID of each change of an undo plan, grown as the plan grows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent/store/undoguids.h"

enum sb_status
agent_undoguids_set(struct undo_guids *g, size_t n, size_t from,
    const char *guid, struct sb_error *err)
{
	char (*nb)[MAP_GUID_TEXT_SIZE];
	const char **ng;
	size_t i;

	if (n == 0)
		return SB_OK;
	nb = realloc(g->buf, n * sizeof(*nb));
	if (nb == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	g->buf = nb;
	ng = realloc(g->v, n * sizeof(*ng));
	if (ng == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	g->v = ng;
	for (i = from; i < n; i++)
		snprintf(g->buf[i], MAP_GUID_TEXT_SIZE, "%s", guid);
	for (i = 0; i < n; i++)		/* realloc may have moved buf */
		g->v[i] = g->buf[i];
	return SB_OK;
}

void
agent_undoguids_free(struct undo_guids *g)
{
	if (g == NULL)
		return;
	free(g->buf);
	free(g->v);
	g->buf = NULL;
	g->v = NULL;
}
