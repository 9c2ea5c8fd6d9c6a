/* Change index to objectGUID text, by DN, in n log n. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/guids.h"

static int
by_dn(const void *a, const void *b)
{
	const struct dirobj *const *x = a, *const *y = b;

	return strcmp((*x)->dn, (*y)->dn);
}

enum sb_status
agent_plan_guids(const struct plan *p, const struct dirset *ad,
    struct plan_guids *out, struct sb_error *err)
{
	struct plan_guids g = { NULL, NULL };
	struct dirobj **idx = NULL, key, *kp = &key, **hit;
	enum sb_status st = SB_OK;
	size_t i, n = 0;

	idx = calloc(ad->n + 1, sizeof(*idx));
	g.buf = calloc(p->nchanges + 1, sizeof(*g.buf));
	g.of = calloc(p->nchanges + 1, sizeof(*g.of));
	if (idx == NULL || g.buf == NULL || g.of == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "guids", "out of memory");
		goto done;
	}
	for (i = 0; i < ad->n; i++)
		if (ad->objs[i]->dn != NULL)
			idx[n++] = ad->objs[i];
	qsort(idx, n, sizeof(*idx), by_dn);
	memset(&key, 0, sizeof(key));
	for (i = 0; i < p->nchanges; i++) {
		g.of[i] = g.buf[i];
		key.dn = p->changes[i].dn;
		hit = key.dn ? bsearch(&kp, idx, n, sizeof(*idx), by_dn) : NULL;
		if (hit != NULL && (*hit)->guid.len == MAP_GUID_LEN)
			map_guid_to_text((*hit)->guid.p, (*hit)->guid.len,
			    g.buf[i], MAP_GUID_TEXT_SIZE, NULL);
	}
	*out = g;
	g.buf = NULL;
	g.of = NULL;
done:
	agent_plan_guids_free(&g);
	free(idx);
	return st;
}

void
agent_plan_guids_free(struct plan_guids *g)
{
	if (g == NULL)
		return;
	free(g->buf);
	free(g->of);
	g->buf = NULL;
	g->of = NULL;
}
