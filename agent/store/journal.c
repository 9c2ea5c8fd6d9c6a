/* Journal rows: built from a change, freed, compared with what AD holds. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/store/array.h"
#include "agent/store/journal.h"
#include "agent/store/values.h"
#include "mapping/attrmap.h"
#include "mapping/dn.h"

static const char *const state_names[] = {
	"pending", "applied", "failed", "not-applied",
};
static const char *const mode_names[] = { "values", "replace" };

const char *
agent_journal_state_name(enum journal_state st)
{
	if ((unsigned)st < sizeof(state_names) / sizeof(state_names[0]))
		return state_names[st];
	return "unknown";
}

const char *
agent_journal_mode_name(enum journal_mode m)
{
	return m == JOURNAL_REPLACE ? mode_names[1] : mode_names[0];
}

/* void *: agent_array_free() clears each row through it. */
static void
row_clear(void *p)
{
	struct journal_row *r = p;

	free(r->dn);
	free(r->attr);
	free(r->error);
	agent_values_free(r->before, r->nbefore);
	agent_values_free(r->after, r->nafter);
	memset(r, 0, sizeof(*r));
}

void
agent_journal_rows_free(struct journal_rows *r)
{
	if (r == NULL)
		return;
	agent_array_free(r->v, r->n, sizeof(r->v[0]), row_clear);
	r->v = NULL;
	r->n = 0;
}

/* Applies one delta to the row's after-values. */
static enum sb_status
row_apply(struct journal_row *r, const struct delta *d, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	switch (d->op) {
	case MAP_DELTA_ADD:
		for (i = 0; i < d->nvals && st == SB_OK; i++)
			if (!agent_values_contain(r->after, r->nafter,
			    &d->vals[i]))
				st = agent_values_append(&r->after, &r->nafter,
				    &d->vals[i], err);
		break;
	case MAP_DELTA_DELETE:
		if (d->nvals == 0) {
			agent_values_clear(&r->after, &r->nafter);
			r->mode = JOURNAL_REPLACE;
		}
		for (i = 0; i < d->nvals; i++)
			agent_values_remove(r->after, &r->nafter, &d->vals[i]);
		break;
	case MAP_DELTA_REPLACE:
		agent_values_clear(&r->after, &r->nafter);
		st = agent_values_copy(d->vals, d->nvals, &r->after,
		    &r->nafter, err);
		r->mode = JOURNAL_REPLACE;
		break;
	}
	return st;
}

/* The rename of c as a delta of the DN: before the old DN, after the new. */
static enum sb_status
rename_delta(const struct change *c, struct delta *d, struct sb_bytes *old,
    struct sb_bytes *new, struct sb_error *err)
{
	char *parent = NULL, *dn = NULL;
	enum sb_status st = SB_OK;
	size_t n;

	if (c->new_superior == NULL)
		st = map_dn_parent(c->dn, &parent, err);
	if (st != SB_OK)
		goto done;
	n = strlen(c->new_rdn ? c->new_rdn : "") + 2 + strlen(c->new_superior ?
	    c->new_superior : parent);
	dn = malloc(n);
	if (dn == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "journal", "out of memory");
		goto done;
	}
	snprintf(dn, n, "%s,%s", c->new_rdn ? c->new_rdn : "",
	    c->new_superior ? c->new_superior : parent);
	old->p = (unsigned char *)c->dn;
	old->len = strlen(c->dn);
	new->p = (unsigned char *)dn;
	new->len = strlen(dn);
	memset(d, 0, sizeof(*d));
	d->attr = (char *)(uintptr_t)AGENT_JOURNAL_DN_ATTR;
	d->op = MAP_DELTA_REPLACE;
	d->vals = new;
	d->nvals = 1;
	d->before = old;
	d->nbefore = 1;
	dn = NULL;	/* new->p owns it: the caller frees it */
done:
	free(dn);
	free(parent);
	return st;
}

/*
 * The deltas of c as the journal sees them: a delete's leave nothing after
 * them; a rename is one delta of the DN.
 */
static enum sb_status
journal_delta(const struct change *c, size_t i, struct delta *d,
    struct sb_bytes dnv[2], struct sb_error *err)
{
	if (c->op == MAP_CHANGE_RENAME)
		return rename_delta(c, d, &dnv[0], &dnv[1], err);
	*d = c->deltas[i];
	if (c->op == MAP_CHANGE_DELETE) {
		d->op = MAP_DELTA_DELETE;
		d->vals = NULL;
		d->nvals = 0;
	}
	return SB_OK;
}

enum sb_status
agent_journal_from_change(const struct change *c, const char *guid,
    long long run, long seq, struct journal_rows *out, struct sb_error *err)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_bytes dnv[2] = { { NULL, 0 }, { NULL, 0 } };
	struct journal_row *r, *nv;
	struct delta dd, *d = &dd;
	enum sb_status st = SB_OK;
	size_t i, k, n;

	n = c->op == MAP_CHANGE_RENAME ? 1 : c->ndeltas;
	for (i = 0; i < n; i++) {
		free(dnv[1].p);
		dnv[1].p = NULL;
		st = journal_delta(c, i, d, dnv, err);
		if (st != SB_OK)
			goto done;
		r = NULL;
		for (k = 0; k < rows.n; k++)
			if (strcasecmp(rows.v[k].attr, d->attr) == 0)
				r = &rows.v[k];
		if (r == NULL) {
			nv = realloc(rows.v, (rows.n + 1) * sizeof(*nv));
			if (nv == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "journal",
				    "out of memory");
				goto done;
			}
			rows.v = nv;
			r = &rows.v[rows.n++];
			memset(r, 0, sizeof(*r));
			r->run = run;
			r->seq = seq;
			r->op = c->op;
			r->state = JOURNAL_PENDING;
			r->mode = JOURNAL_VALUES;
			snprintf(r->guid, sizeof(r->guid), "%s", guid ? guid :
			    "");
			r->dn = strdup(c->dn ? c->dn : "");
			r->attr = strdup(d->attr);
			if (r->dn == NULL || r->attr == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "journal",
				    "out of memory");
				goto done;
			}
			st = agent_values_copy(d->before, d->nbefore,
			    &r->before, &r->nbefore, err);
			if (st == SB_OK)
				st = agent_values_copy(d->before, d->nbefore,
				    &r->after, &r->nafter, err);
			if (st != SB_OK)
				goto done;
		}
		st = row_apply(r, d, err);
		if (st != SB_OK)
			goto done;
	}
	*out = rows;
	rows.v = NULL;
	rows.n = 0;
done:
	free(dnv[1].p);
	agent_journal_rows_free(&rows);
	return st;
}

/* ---- what AD holds (pure) ---- */

static int
value_equal(enum map_match m, const struct sb_bytes *a,
    const struct sb_bytes *b)
{
	if (sb_bytes_cmp(a, b) == 0)
		return 1;
	if (memchr(a->p, '\0', a->len) != NULL ||
	    memchr(b->p, '\0', b->len) != NULL)
		return 0;
	if (m == MAP_MATCH_BOOL)
		return a->len == b->len &&
		    strncasecmp((const char *)a->p, (const char *)b->p,
		    a->len) == 0;
	if (m == MAP_MATCH_DN)
		return map_dn_equal((const char *)a->p, (const char *)b->p);
	return 0;
}

/* a and b hold the same values (as sets; the match rule for each pair). */
static int
same_set(enum map_match m, const struct sb_bytes *a, size_t na,
    const struct sb_bytes *b, size_t nb)
{
	size_t i, k;
	int found;

	for (i = 0; i < na; i++) {
		for (k = 0, found = 0; k < nb && !found; k++)
			found = value_equal(m, &a[i], &b[k]);
		if (!found)
			return 0;
	}
	for (k = 0; k < nb; k++) {
		for (i = 0, found = 0; i < na && !found; i++)
			found = value_equal(m, &a[i], &b[k]);
		if (!found)
			return 0;
	}
	return 1;
}

/*
 * VALUES rows: the change added after \ before and removed before \ after.
 * AD holds the after-values when every added value is there and no removed
 * one; the before-values in the opposite case.
 */
static enum journal_holds
holds_values(const struct journal_row *r, const struct sb_bytes *cur,
    size_t ncur)
{
	int after = 1, before = 1, in;
	size_t i;

	for (i = 0; i < r->nafter; i++) {
		if (agent_values_contain(r->before, r->nbefore, &r->after[i]))
			continue;
		in = agent_values_contain(cur, ncur, &r->after[i]);
		after &= in;
		before &= !in;
	}
	for (i = 0; i < r->nbefore; i++) {
		if (agent_values_contain(r->after, r->nafter, &r->before[i]))
			continue;
		in = agent_values_contain(cur, ncur, &r->before[i]);
		after &= !in;
		before &= in;
	}
	if (after)
		return JOURNAL_HOLDS_AFTER;
	return before ? JOURNAL_HOLDS_BEFORE : JOURNAL_HOLDS_OTHER;
}

enum journal_holds
agent_journal_holds(const struct journal_row *row, const struct sb_bytes *cur,
    size_t ncur)
{
	const struct map_attr *a = map_attrmap_find(row->attr);
	enum map_match m = a ? a->match : MAP_MATCH_EXACT;

	if (strcasecmp(row->attr, AGENT_JOURNAL_DN_ATTR) == 0)
		m = MAP_MATCH_DN;

	if (row->mode == JOURNAL_VALUES)
		return holds_values(row, cur, ncur);
	if (same_set(m, row->after, row->nafter, cur, ncur))
		return JOURNAL_HOLDS_AFTER;
	if (same_set(m, row->before, row->nbefore, cur, ncur))
		return JOURNAL_HOLDS_BEFORE;
	return JOURNAL_HOLDS_OTHER;
}
