/* Reverting a group's creation, move or deletion for undo: pure, from the journal and AD as it is now. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/store/revert.h"
#include "agent/store/values.h"
#include "mapping/dn.h"
#include "mapping/members.h"

/* Values quoted in a conflict message. */
#define REVERT_MSG_VALUES	160

/*
 * What soabridge writes when it creates a group, and so what a re-created
 * group gets back (member in parts of its own, objectClass as "group"),
 * then memberOf, read to see whether someone nested the group since.
 */
const char *const agent_revert_group_attrs[] = {
	"objectClass", "sAMAccountName", "groupType", "description",
	"displayName", "adminDescription", "msDS-ExternalDirectoryObjectId",
	"mail", "mailNickname", "proxyAddresses", "member", "memberOf", NULL
};

/*
 * Attributes that say whose group it is: a creation is reverted only while
 * they hold what the run created the group with.  description, displayName
 * and the mail attributes may have been changed since (by later syncs,
 * too): they go with the group.
 */
static const char *const identity_attrs[] = {
	"sAMAccountName", "groupType", "adminDescription",
	"msDS-ExternalDirectoryObjectId", NULL
};

static int
in_list(const char *const *list, const char *name)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcasecmp(list[i], name) == 0)
			return 1;
	return 0;
}

/* A finding of kind refused: one conflict, the object left alone. */
static enum sb_status
conflict(struct plan *p, const struct dirobj *o, const char *attr,
    long *conflicts, struct sb_error *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static enum sb_status
conflict(struct plan *p, const struct dirobj *o, const char *attr,
    long *conflicts, struct sb_error *err, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	(*conflicts)++;
	return map_plan_add_finding(p, err, MAP_FINDING_REFUSED, o, NULL, attr,
	    "%s", text);
}

/* A DN value (journal bytes, NUL-terminated by the copy) as text. */
static const char *
dn_of(const struct sb_bytes *v)
{
	if (v == NULL || v->p == NULL || memchr(v->p, '\0', v->len) != NULL)
		return "";
	return (const char *)v->p;
}

/* 1 when dn (text) is among v, compared as DNs. */
static int
dn_in(const struct sb_bytes *v, size_t n, const struct sb_bytes *dn)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sb_bytes_cmp(&v[i], dn) == 0 ||
		    map_dn_equal(dn_of(&v[i]), dn_of(dn)))
			return 1;
	return 0;
}

/* Values of a (NULL: none) not among v, compared as DNs: count, first. */
static size_t
dns_not_in(const struct dirattr *a, const struct sb_bytes *v, size_t n,
    const struct sb_bytes **first)
{
	size_t i, m = 0;

	*first = NULL;
	for (i = 0; a != NULL && i < a->nvals; i++)
		if (!dn_in(v, n, &a->vals[i]) && m++ == 0)
			*first = &a->vals[i];
	return m;
}

/* The creation still holds what the run wrote where it says whose it is. */
static enum sb_status
check_identity(struct plan *p, const struct journal_row *rows, size_t n,
    const struct dirobj *cur, const struct revert_ctx *x, long *conflicts,
    int *ok, struct sb_error *err)
{
	char have[REVERT_MSG_VALUES], wrote[REVERT_MSG_VALUES];
	const struct dirattr *a;
	size_t i;

	*ok = 1;
	for (i = 0; i < n; i++) {
		if (!in_list(identity_attrs, rows[i].attr))
			continue;
		a = dirobj_get(cur, rows[i].attr);
		if (agent_journal_holds(&rows[i], a ? a->vals : NULL,
		    a ? a->nvals : 0) == JOURNAL_HOLDS_AFTER)
			continue;
		*ok = 0;
		return conflict(p, cur, rows[i].attr, conflicts, err,
		    "conflict: the group run %lld created now has %s %s, not "
		    "%s: changed since by someone else, not deleted",
		    x->of_run, rows[i].attr, agent_values_text(a ? a->vals :
		    NULL, a ? a->nvals : 0, have, sizeof(have)),
		    agent_values_text(rows[i].after, rows[i].nafter, wrote,
		    sizeof(wrote)));
	}
	return SB_OK;
}

/* The deletion of cur, its attributes as the before-image (journal). */
static enum sb_status
plan_delete(struct plan *p, const struct dirobj *cur,
    const struct revert_ctx *x, size_t *added, struct sb_error *err)
{
	const struct dirattr *a;
	struct change c;
	enum sb_status st;
	size_t i;

	st = map_change_init(&c, MAP_CHANGE_DELETE, cur, NULL, x->rule, err);
	for (i = 0; st == SB_OK && i < cur->nattrs; i++) {
		a = &cur->attrs[i];
		/* Members: only the run's, removed before this (checked). */
		if (a->nvals == 0 || strcasecmp(a->name, "memberOf") == 0 ||
		    strcasecmp(a->name, "member") == 0)
			continue;
		st = map_change_add_delta(&c, a->name, MAP_DELTA_DELETE, NULL,
		    0, a->vals, a->nvals, err);
	}
	if (st != SB_OK) {
		map_change_clear(&c);
		return st;
	}
	st = map_plan_take_change(p, &c, err);
	if (st == SB_OK)
		(*added)++;
	return st;
}

enum sb_status
agent_revert_add(struct plan *p, const struct journal_row *rows, size_t n,
    const struct dirobj *cur, const struct revert_ctx *x, long *conflicts,
    size_t *added, struct sb_error *err)
{
	char vals[REVERT_MSG_VALUES];
	const struct sb_bytes *first;
	struct dirobj gone;
	enum sb_status st;
	size_t m;
	int ok;

	*added = 0;
	memset(&gone, 0, sizeof(gone));
	gone.kind = DIROBJ_GROUP;
	gone.dn = rows[0].dn;
	if (cur == NULL)
		return conflict(p, &gone, NULL, conflicts, err, "conflict: the "
		    "group run %lld created is no longer in AD%s: nothing "
		    "deleted", x->of_run, rows[0].guid[0] ? "" :
		    " at this DN (moved or deleted since)");
	if (!map_dn_equal(cur->dn, rows[0].dn))
		return conflict(p, cur, NULL, conflicts, err, "conflict: the "
		    "group run %lld created at %s was moved or renamed since "
		    "by someone else: not deleted", x->of_run, rows[0].dn);
	st = check_identity(p, rows, n, cur, x, conflicts, &ok, err);
	if (st != SB_OK || !ok)
		return st;
	m = dns_not_in(dirobj_get(cur, "member"), x->ours, x->nours, &first);
	if (m > 0)
		return conflict(p, cur, "member", conflicts, err, "conflict: "
		    "the group run %lld created holds %zu member%s it did not "
		    "write (%s): not deleted; remove them (or undo the later "
		    "runs that added them) first", x->of_run, m, m == 1 ? "" :
		    "s", agent_values_text(first, 1, vals, sizeof(vals)));
	m = dns_not_in(dirobj_get(cur, "memberOf"), x->parents, x->nparents,
	    &first);
	if (m > 0)
		return conflict(p, cur, "memberOf", conflicts, err, "conflict: "
		    "the group run %lld created was made a member of %zu "
		    "group%s since (%s): not deleted", x->of_run, m, m == 1 ?
		    "" : "s", agent_values_text(first, 1, vals, sizeof(vals)));
	return plan_delete(p, cur, x, added, err);
}

enum sb_status
agent_revert_rename(struct plan *p, const struct journal_row *rows, size_t n,
    const struct dirobj *cur, const struct revert_ctx *x, long *conflicts,
    size_t *added, struct sb_error *err)
{
	const struct journal_row *r = &rows[0];
	char *rdn = NULL, *parent = NULL, *now_parent = NULL;
	const char *old, *new;
	struct dirobj gone;
	struct change c;
	enum sb_status st = SB_OK;

	(void)n;
	*added = 0;
	memset(&c, 0, sizeof(c));
	memset(&gone, 0, sizeof(gone));
	gone.kind = DIROBJ_GROUP;
	gone.dn = r->dn;
	old = r->nbefore == 1 ? dn_of(&r->before[0]) : "";
	new = r->nafter == 1 ? dn_of(&r->after[0]) : "";
	if (strcasecmp(r->attr, AGENT_JOURNAL_DN_ATTR) != 0 || !*old || !*new)
		return conflict(p, &gone, NULL, conflicts, err, "run %lld's "
		    "rename of this object is not undone: its journal row "
		    "holds no old and new DN", x->of_run);
	if (cur == NULL)
		return conflict(p, &gone, NULL, conflicts, err, "conflict: the "
		    "object run %lld moved to %s is no longer in AD: not moved "
		    "back", x->of_run, new);
	if (map_dn_equal(cur->dn, old))
		return SB_OK;		/* already back */
	if (!map_dn_equal(cur->dn, new))
		return conflict(p, cur, NULL, conflicts, err, "conflict: run "
		    "%lld moved it to %s; it was moved or renamed since by "
		    "someone else: not moved back to %s", x->of_run, new, old);
	if (x->taken != NULL)
		return conflict(p, cur, NULL, conflicts, err, "conflict: %s, "
		    "where run %lld moved it from, is taken by another object "
		    "since: not moved back", old, x->of_run);
	st = map_dn_rdn(old, &rdn, err);
	if (st == SB_OK)
		st = map_dn_parent(old, &parent, err);
	if (st == SB_OK)
		st = map_dn_parent(cur->dn, &now_parent, err);
	if (st == SB_OK)
		st = map_change_init(&c, MAP_CHANGE_RENAME, cur, NULL, x->rule,
		    err);
	if (st != SB_OK)
		goto done;
	c.new_rdn = rdn;
	rdn = NULL;
	if (!map_dn_equal(parent, now_parent)) {
		c.new_superior = parent;
		parent = NULL;
	}
	st = map_plan_take_change(p, &c, err);
	if (st == SB_OK)
		*added = 1;
done:
	map_change_clear(&c);
	free(rdn);
	free(parent);
	free(now_parent);
	return st;
}

/* The re-created group as AD will hold it (x->recreated), from change c. */
static enum sb_status
image_of(const struct change *c, const struct sb_bytes *const *members,
    size_t nmembers, struct dirobj **out, struct sb_error *err)
{
	struct dirobj *o;
	enum sb_status st;
	size_t i, k;

	o = dirobj_new(DIROBJ_GROUP);
	if (o == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	st = dirobj_set_str(&o->dn, c->dn, err);
	for (i = 0; st == SB_OK && i < c->ndeltas; i++)
		for (k = 0; st == SB_OK && k < c->deltas[i].nvals; k++)
			st = dirobj_add_value(o, c->deltas[i].attr,
			    c->deltas[i].vals[k].p, c->deltas[i].vals[k].len,
			    err);
	for (i = 0; st == SB_OK && i < nmembers; i++)
		st = dirobj_add_value(o, "member", members[i]->p,
		    members[i]->len, err);
	if (st != SB_OK) {
		dirobj_free(o);
		return st;
	}
	*out = o;
	return SB_OK;
}

/* The ADD of the group at rows' DN from the before-image, no members. */
static enum sb_status
recreate_change(struct change *c, const struct journal_row *rows, size_t n,
    const struct dirobj *at, const char *rule, struct sb_error *err)
{
	struct sb_bytes group = { (unsigned char *)"group", 5 };
	const struct sb_bytes *gp = &group;
	const struct sb_bytes **ptrs = NULL;
	enum sb_status st;
	size_t i, k;

	st = map_change_init(c, MAP_CHANGE_ADD, at, NULL, rule, err);
	if (st == SB_OK)
		st = map_change_add_delta(c, "objectClass", MAP_DELTA_ADD, &gp,
		    1, NULL, 0, err);
	for (i = 0; st == SB_OK && i < n; i++) {
		if (rows[i].nbefore == 0 || !in_list(agent_revert_group_attrs,
		    rows[i].attr) || strcasecmp(rows[i].attr, "member") == 0 ||
		    strcasecmp(rows[i].attr, "memberOf") == 0 ||
		    strcasecmp(rows[i].attr, "objectClass") == 0)
			continue;
		free(ptrs);
		ptrs = calloc(rows[i].nbefore, sizeof(*ptrs));
		if (ptrs == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "undo",
			    "out of memory");
			break;
		}
		for (k = 0; k < rows[i].nbefore; k++)
			ptrs[k] = &rows[i].before[k];
		st = map_change_add_delta(c, rows[i].attr, MAP_DELTA_ADD, ptrs,
		    rows[i].nbefore, NULL, 0, err);
	}
	free(ptrs);
	return st;
}

/* The before-image's members still in AD, in parts of MAP_MEMBER_CHUNK. */
static enum sb_status
recreate_members(struct plan *p, const struct dirobj *at,
    const struct sb_bytes *const *m, size_t nm, const char *rule,
    size_t *added, struct sb_error *err)
{
	struct change c;
	enum sb_status st = SB_OK;
	size_t i, k;

	for (i = 0; st == SB_OK && i < nm; i += k) {
		k = nm - i < MAP_MEMBER_CHUNK ? nm - i : MAP_MEMBER_CHUNK;
		st = map_change_init(&c, MAP_CHANGE_MODIFY, at, NULL, rule,
		    err);
		if (st == SB_OK)
			st = map_change_add_delta(&c, "member", MAP_DELTA_ADD,
			    &m[i], k, NULL, 0, err);
		if (st == SB_OK)
			st = map_plan_take_change(p, &c, err);
		else
			map_change_clear(&c);
		if (st == SB_OK)
			(*added)++;
	}
	return st;
}

/* Parts numbered 1..added over the last added changes of p. */
static void
number_parts(struct plan *p, size_t added)
{
	size_t i;

	for (i = 0; added > 1 && i < added; i++) {
		p->changes[p->nchanges - added + i].part = (unsigned)(i + 1);
		p->changes[p->nchanges - added + i].nparts = (unsigned)added;
	}
}

enum sb_status
agent_revert_delete(struct plan *p, const struct journal_row *rows, size_t n,
    const struct dirobj *cur, const struct revert_ctx *x, long *conflicts,
    size_t *added, struct sb_error *err)
{
	const struct sb_bytes **members = NULL;
	const struct journal_row *mr = NULL;
	char vals[REVERT_MSG_VALUES];
	struct dirobj at;
	struct change c;
	enum sb_status st;
	size_t i, nm = 0;

	*added = 0;
	memset(&c, 0, sizeof(c));
	memset(&at, 0, sizeof(at));
	at.kind = DIROBJ_GROUP;
	at.dn = rows[0].dn;
	for (i = 0; i < n; i++) {
		if (strcasecmp(rows[i].attr, "member") == 0)
			mr = &rows[i];
		if (strcasecmp(rows[i].attr, "displayName") == 0 &&
		    rows[i].nbefore == 1)
			at.display_name = (char *)rows[i].before[0].p;
	}
	if (cur != NULL)
		return conflict(p, cur, NULL, conflicts, err, "conflict: the "
		    "group run %lld deleted is in AD again (restored from the "
		    "Recycle Bin?), at %s: not created again", x->of_run,
		    cur->dn);
	if (x->taken != NULL)
		return conflict(p, &at, NULL, conflicts, err, "conflict: the "
		    "DN of the group run %lld deleted is taken by another "
		    "object since: not created again", x->of_run);
	members = calloc((mr ? mr->nbefore : 0) + 1, sizeof(*members));
	if (members == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	for (i = 0; mr != NULL && i < mr->nbefore; i++)
		if (!dn_in(x->gone, x->ngone, &mr->before[i]))
			members[nm++] = &mr->before[i];
	st = recreate_change(&c, rows, n, &at, x->rule, err);
	if (st == SB_OK && x->recreated != NULL)
		st = image_of(&c, members, nm, x->recreated, err);
	if (st == SB_OK)
		st = map_plan_take_change(p, &c, err);
	if (st == SB_OK)
		(*added)++;
	if (st == SB_OK)
		st = recreate_members(p, &at, members, nm, x->rule, added,
		    err);
	if (st == SB_OK)
		number_parts(p, *added);
	/* A member deleted since is someone else's change: not put back. */
	if (st == SB_OK && x->ngone > 0) {
		*conflicts += (long)x->ngone - 1;
		st = conflict(p, &at, "member", conflicts, err, "conflict: %zu "
		    "member%s of the group run %lld deleted %s no longer in AD "
		    "(%s): not added back", x->ngone, x->ngone == 1 ? "" : "s",
		    x->of_run, x->ngone == 1 ? "is" : "are",
		    agent_values_text(x->gone, 1, vals, sizeof(vals)));
	}
	map_change_clear(&c);
	free(members);
	if (st != SB_OK && x->recreated != NULL) {
		dirobj_free(*x->recreated);
		*x->recreated = NULL;
	}
	return st;
}

/* Appends a borrowed value to *v (*n of them, room for cap). */
static enum sb_status
borrow(struct sb_bytes **v, size_t *n, size_t *cap, const void *p, size_t len,
    struct sb_error *err)
{
	struct sb_bytes *nv;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		nv = realloc(*v, *cap * sizeof(*nv));
		if (nv == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "undo",
			    "out of memory");
		*v = nv;
	}
	(*v)[*n].p = (unsigned char *)(uintptr_t)p;
	(*v)[(*n)++].len = len;
	return SB_OK;
}

enum sb_status
agent_revert_run_members(const struct journal_row *rows, size_t n,
    int pending, const char *dn, const char *guid, struct sb_bytes **ours,
    size_t *nours, struct sb_bytes **parents, size_t *nparents,
    struct sb_error *err)
{
	struct sb_bytes *o = NULL, *pa = NULL, self;
	size_t no = 0, co = 0, np = 0, cp = 0, i, k;
	enum sb_status st = SB_OK;
	const struct journal_row *r;

	self.p = (unsigned char *)(uintptr_t)dn;
	self.len = strlen(dn);
	for (i = 0; st == SB_OK && i < n; i++) {
		r = &rows[i];
		if (strcasecmp(r->attr, "member") != 0 ||
		    !(r->state == JOURNAL_APPLIED ||
		    (pending && r->state == JOURNAL_PENDING)))
			continue;
		if (map_dn_equal(r->dn, dn) || (guid[0] != '\0' &&
		    strcmp(r->guid, guid) == 0)) {
			for (k = 0; st == SB_OK && k < r->nafter; k++)
				st = borrow(&o, &no, &co, r->after[k].p,
				    r->after[k].len, err);
		} else if (dn_in(r->after, r->nafter, &self) &&
		    !dn_in(r->before, r->nbefore, &self)) {
			st = borrow(&pa, &np, &cp, r->dn, strlen(r->dn), err);
		}
	}
	if (st != SB_OK) {
		free(o);
		free(pa);
		return st;
	}
	*ours = o;
	*nours = no;
	*parents = pa;
	*nparents = np;
	return SB_OK;
}
