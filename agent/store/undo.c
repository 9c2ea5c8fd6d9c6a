/*
 * The pure part of undo: from a run's journal rows and what AD holds now,
 * the changes that put back what the run wrote (attributes here; group
 * creations, moves and deletions in revert.c), and the conflicts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store/undo.h"
#include "agent/store/values.h"

#define UNDO_MSG_VALUES	160	/* values quoted in a conflict message */
/* Values of want (n) that are (in 1) or are not (in 0) among have. */
static size_t
pick(const struct sb_bytes *want, size_t n, const struct sb_bytes *not_in,
    size_t nnot, const struct sb_bytes *have, size_t nhave, int in,
    const struct sb_bytes **out)
{
	size_t i, k, m = 0;
	int found, excluded;

	for (i = 0; i < n; i++) {
		for (k = 0, excluded = 0; k < nnot && !excluded; k++)
			excluded = sb_bytes_cmp(&want[i], &not_in[k]) == 0;
		if (excluded)
			continue;
		for (k = 0, found = 0; k < nhave && !found; k++)
			found = sb_bytes_cmp(&want[i], &have[k]) == 0;
		if (found == in)
			out[m++] = &want[i];
	}
	return m;
}

/* A VALUES row: remove what the run added, add back what it removed. */
static enum sb_status
undo_values(struct change *c, const struct journal_row *r,
    const struct sb_bytes *cur, size_t ncur, struct sb_error *err)
{
	const struct sb_bytes **list;
	enum sb_status st = SB_OK;
	size_t m;

	list = calloc(r->nafter + r->nbefore + 1, sizeof(*list));
	if (list == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	m = pick(r->after, r->nafter, r->before, r->nbefore, cur, ncur, 1,
	    list);
	if (m > 0)
		st = map_change_add_delta(c, r->attr, MAP_DELTA_DELETE, list, m,
		    cur, ncur, err);
	m = pick(r->before, r->nbefore, r->after, r->nafter, cur, ncur, 0,
	    list);
	if (m > 0 && st == SB_OK)
		st = map_change_add_delta(c, r->attr, MAP_DELTA_ADD, list, m,
		    cur, ncur, err);
	free(list);
	return st;
}

/* A REPLACE row: back to the before-values if AD holds what the run wrote. */
static enum sb_status
undo_replace(struct plan *p, struct change *c, const struct journal_row *r,
    const struct dirobj *obj, const struct sb_bytes *cur, size_t ncur,
    long long of_run, long *conflicts, struct sb_error *err)
{
	const struct sb_bytes **list = NULL;
	char have[UNDO_MSG_VALUES], wrote[UNDO_MSG_VALUES];
	enum sb_status st = SB_OK;
	size_t i;

	switch (agent_journal_holds(r, cur, ncur)) {
	case JOURNAL_HOLDS_BEFORE:
		break;			/* already as it was */
	case JOURNAL_HOLDS_OTHER:
		(*conflicts)++;
		st = map_plan_add_finding(p, err, MAP_FINDING_REFUSED, obj,
		    NULL, r->attr, "conflict: AD holds %s, not what run %lld "
		    "wrote (%s); changed since by someone else, left alone",
		    agent_values_text(cur, ncur, have, sizeof(have)),
		    of_run, agent_values_text(r->after, r->nafter,
		    wrote, sizeof(wrote)));
		break;
	case JOURNAL_HOLDS_AFTER:
		if (r->nbefore == 0) {
			st = map_change_add_delta(c, r->attr, MAP_DELTA_DELETE,
			    NULL, 0, cur, ncur, err);
			break;
		}
		list = calloc(r->nbefore, sizeof(*list));
		if (list == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "undo",
			    "out of memory");
			break;
		}
		for (i = 0; i < r->nbefore; i++)
			list[i] = &r->before[i];
		st = map_change_add_delta(c, r->attr, MAP_DELTA_REPLACE, list,
		    r->nbefore, cur, ncur, err);
		break;
	}
	free(list);
	return st;
}

enum sb_status
agent_undo_object(struct plan *p, const struct journal_row *rows, size_t n,
    const struct dirobj *cur, const struct revert_ctx *x, long *conflicts,
    size_t *added, struct sb_error *err)
{
	const struct dirattr *a;
	struct dirobj gone;
	struct change c;
	enum sb_status st;
	size_t i;

	*added = 0;
	switch (rows[0].op) {
	case MAP_CHANGE_ADD:
		return agent_revert_add(p, rows, n, cur, x, conflicts, added,
		    err);
	case MAP_CHANGE_RENAME:
		return agent_revert_rename(p, rows, n, cur, x, conflicts,
		    added, err);
	case MAP_CHANGE_DELETE:
		return agent_revert_delete(p, rows, n, cur, x, conflicts,
		    added, err);
	case MAP_CHANGE_MODIFY:
		break;
	}
	memset(&c, 0, sizeof(c));
	memset(&gone, 0, sizeof(gone));
	gone.dn = rows[0].dn;
	if (cur == NULL) {
		*conflicts += (long)n;
		return map_plan_add_finding(p, err, MAP_FINDING_REFUSED, &gone,
		    NULL, NULL, "conflict: the object is no longer in AD; "
		    "nothing of run %lld to revert", x->of_run);
	}
	st = map_change_init(&c, MAP_CHANGE_MODIFY, cur, NULL, x->rule, err);
	for (i = 0; st == SB_OK && i < n; i++) {
		a = dirobj_get(cur, rows[i].attr);
		if (rows[i].mode == JOURNAL_VALUES) {
			st = undo_values(&c, &rows[i], a ? a->vals : NULL,
			    a ? a->nvals : 0, err);
		} else {
			st = undo_replace(p, &c, &rows[i], cur, a ? a->vals :
			    NULL, a ? a->nvals : 0, x->of_run, conflicts, err);
		}
	}
	if (st != SB_OK || c.ndeltas == 0) {
		map_change_clear(&c);
		return st;
	}
	st = map_plan_take_change(p, &c, err);
	if (st == SB_OK)
		*added = 1;
	return st;
}

